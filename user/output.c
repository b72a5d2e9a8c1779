// SPDX-License-Identifier: GPL-2.0
/*
 * output.c: what a session shows, and the text form of it (dtrace(1)'s
 * output).  The consumer (record.c) calls the ops of the chosen output
 * for each record, action and printa(); json.c is the other form.  The
 * choice between them is made here, once per option change.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

static void text_rec_begin(struct kt_output *out, int cpu, const struct ktrace_probe_desc *pd,
			   uint64_t ts)
{
	if (out->o->quiet)
		return;
	if (!out->heading) {
		kt_print_header(out->fp, out->o);
		out->heading = true;
	}
	kt_print_probe(out->fp, out->o, &out->flow, cpu, pd);
}

static void text_action(struct kt_output *out, const struct ktrace_action_desc *ad,
			const char *fmt, const struct kt_val *v, int nv)
{
	char err[128];
	int i;

	switch (ad->kind) {
	case KTRACE_ACT_TRACE:
	case KTRACE_ACT_PRINT:
	case KTRACE_ACT_TRACEMEM:
		for (i = 0; i < nv; i++)
			kt_print_trace(out->fp, &v[i], out->o);
		break;
	case KTRACE_ACT_PRINTF:
		if (fmt && kt_format(out->fp, fmt, v, nv, NULL, out->o, err, sizeof(err)) < 0)
			fprintf(stderr, "%s: printf(): %s\n", KT_PNAME, err);
		break;
	case KTRACE_ACT_STACK:
	case KTRACE_ACT_USTACK:
		for (i = 0; i < nv; i++)
			kt_print_stack(out->fp, &v[i], out->o->stackindent, NULL);
		break;
	default:	/* the other actions show nothing */
		break;
	}
}

static void text_print(struct kt_output *out, const struct kt_prog *p, uint32_t type,
		       const struct kt_val *v, int nv)
{
	kt_print_object(out->fp, p, type, v, nv, out->o->printsize);
}

static void text_printa(struct kt_output *out, struct kt_aggtab *t, const uint32_t *aggs,
			int naggs, const char *fmt)
{
	kt_agg_print(out->fp, t, aggs, naggs, fmt, out->o);
}

static void text_system(struct kt_output *out, const char *cmd)
{
	fflush(out->fp);
	fflush(stdout);
	if (system(cmd) < 0)
		fprintf(stderr, "%s: system(): %s\n", KT_PNAME, strerror(errno));
}

static void text_truncate(struct kt_output *out)
{
	fflush(out->fp);
	if (ftruncate(fileno(out->fp), 0) == 0)
		fseeko(out->fp, 0, SEEK_SET);
}

static void text_redirect(struct kt_output *out, FILE *fp)
{
	kt_output_leave(out, fp);
}

static void text_rec_end(struct kt_output *out)
{
	if (!out->o->quiet)
		fputc('\n', out->fp);
}

static void text_final(struct kt_output *out, struct kt_aggtab *t)
{
	fputc('\n', out->fp);
	kt_agg_print_all(out->fp, t, out->o);
}

static const struct kt_output_ops kt_output_text = {
	.rec_begin	= text_rec_begin,
	.action		= text_action,
	.printa		= text_printa,
	.print		= text_print,
	.system		= text_system,
	.truncate	= text_truncate,
	.redirect	= text_redirect,
	.rec_end	= text_rec_end,
	.final		= text_final,
};

void kt_output_select(struct kt_output *out)
{
	out->ops = out->o->json ? &kt_output_json : &kt_output_text;
}

void kt_output_init(struct kt_output *out, FILE *fp, const struct kt_cliopts *o)
{
	memset(out, 0, sizeof(*out));
	out->fp = fp;
	out->fp0 = fp;
	out->o = o;
	kt_output_select(out);
}
