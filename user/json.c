// SPDX-License-Identifier: GPL-2.0
/*
 * json.c: --format json, JSON Lines (https://jsonlines.org): every record
 * and every aggregation is one JSON object on one line:
 *   {"type":"record","cpu":0,"id":1,"probe":"dtrace:::BEGIN","timestamp":N,
 *    "data":[{"action":"printf","output":"hello 42\n"}, ...]}
 *   {"type":"aggregation","name":"a","function":"count",
 *    "entries":[{"keys":["bash"],"value":12}, ...]}
 * Every action of a record is an item of its "data" ({"action":"trunc",
 * "values":[2]}); what the action does (trunc, clear, exit...) is done by
 * the consumer as in text mode.  printa() inside a record ends the record's
 * line, prints its aggregations, and the record goes on in a
 * {"type":"record-continued","data":[...]} line.
 * Distributions give "buckets":[{"value":V,"count":C}, ...] (non-zero only;
 * V is the bucket's lower bound, and for the bucket below an lquantize
 * range, the range's lower bound - 1; llquantize's V is its row's label:
 * the negated lower bound of a negative step, 0 for the middle bucket,
 * -factor^(high+1) and factor^(high+1) for the ends).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include "cli.h"


void kt_json_val(FILE *fp, const struct kt_val *v)
{
	char sym[512];
	uint32_t i;

	switch (v->enc) {
	case KTRACE_TYPE_STRING:
		kt_json_string(fp, v->s);
		return;
	case KTRACE_TYPE_STACK:
	case KTRACE_TYPE_USTACK:
		fputc('[', fp);
		for (i = 0; i < v->depth && v->pcs[i]; i++) {
			kt_addr_text(v->enc == KTRACE_TYPE_STACK ? KT_DT_SYM : KT_DT_USYM, v->pid,
				     v->pcs[i], true, sym, sizeof(sym));
			if (i)
				fputc(',', fp);
			kt_json_string(fp, sym);
		}
		fputc(']', fp);
		return;
	case KTRACE_TYPE_BYTES:		/* the bytes' values */
		fputc('[', fp);
		for (i = 0; i < v->nbytes; i++)
			fprintf(fp, i ? ",%u" : "%u", v->bytes[i]);
		fputc(']', fp);
		return;
	}
	switch (v->dtype) {
	case KT_DT_SYM: case KT_DT_USYM: case KT_DT_MOD: case KT_DT_UMOD:
		kt_addr_text(v->dtype, v->pid, (uint64_t)v->i, true, sym, sizeof(sym));
		kt_json_string(fp, sym);
		return;
	case KT_DT_U64: case KT_DT_PTR:
		fprintf(fp, "%llu", (unsigned long long)v->i);
		return;
	default:
		fprintf(fp, "%lld", (long long)v->i);
	}
}

static const char *func_name(unsigned int f)
{
	static const char *const names[] = {
#define KT_AGG_NAME(name, val, str, np) [val] = str,
		KTRACE_AGGFUNCS(KT_AGG_NAME)
#undef KT_AGG_NAME
	};
	return f < KTRACE_AGGFUNC_NR ? names[f] : "?";
}

static long long qval(int i)
{
	if (i < KTRACE_QUANTIZE_ZERO)
		return -(1LL << (KTRACE_QUANTIZE_ZERO - 1 - i));
	if (i == KTRACE_QUANTIZE_ZERO)
		return 0;
	return 1LL << (i - KTRACE_QUANTIZE_ZERO - 1);
}

static void json_value(FILE *fp, const struct ktrace_agg_desc *ad, const struct kt_aggent *e,
		       int64_t norm)
{
	int64_t *llv = NULL;
	uint32_t i;
	bool first = true;

	if (norm <= 0)
		norm = 1;
	switch (ad->func) {
	case KTRACE_AGG_AVG:
		fprintf(fp, "\"value\":%lld", (long long)kt_agg_avg(e->vals, norm));
		return;
	case KTRACE_AGG_STDDEV:
		fprintf(fp, "\"value\":%llu", (unsigned long long)kt_stddev(e->vals, norm));
		return;
	case KTRACE_AGG_QUANTIZE:
	case KTRACE_AGG_LQUANTIZE:
	case KTRACE_AGG_LLQUANTIZE:
		/* llquantize: each bucket's value as its printed row's */
		if (ad->func == KTRACE_AGG_LLQUANTIZE) {
			llv = malloc(e->nvals * sizeof(*llv));
			if (!llv || kt_agg_llq_values(ad->params, e->nvals, llv) < 0) {
				free(llv);
				fputs("\"buckets\":null", fp);
				return;
			}
		}
		fputs("\"buckets\":[", fp);
		for (i = 0; i < e->nvals; i++) {
			long long bv;

			if (!e->vals[i])
				continue;
			if (ad->func == KTRACE_AGG_QUANTIZE)
				bv = qval(i);
			else if (ad->func == KTRACE_AGG_LQUANTIZE)
				bv = i == 0 ? ad->params[0] - 1 :
				     ad->params[0] + (long long)(i - 1) * ad->params[2];
			else
				bv = llv[i];
			fprintf(fp, "%s{\"value\":%lld,\"count\":%lld}", first ? "" : ",", bv,
				(long long)(e->vals[i] / norm));
			first = false;
		}
		fputc(']', fp);
		free(llv);
		return;
	default:
		fprintf(fp, "\"value\":%lld", (long long)(e->vals[0] / norm));
	}
}

void kt_json_agg(FILE *fp, struct kt_aggtab *t, const uint32_t *aggs, int naggs,
		 const struct kt_cliopts *o)
{
	int j;

	for (j = 0; j < naggs; j++) {
		const struct ktrace_agg_desc *ad = &t->prog->aggs[aggs[j]];
		struct kt_aggent **s;
		size_t n, i;
		int k;

		s = kt_agg_sorted(t, &aggs[j], 1, &n, o);
		if (!s)
			return;
		fputs("{\"type\":\"aggregation\",\"name\":", fp);
		kt_json_string(fp, ad->name < t->prog->strtab_size ? t->prog->strtab + ad->name : "");
		fprintf(fp, ",\"function\":\"%s\",\"entries\":[", func_name(ad->func));
		for (i = 0; i < n; i++) {
			fprintf(fp, "%s{\"keys\":[", i ? "," : "");
			for (k = 0; k < s[i]->nkeys; k++) {
				if (k)
					fputc(',', fp);
				kt_json_val(fp, &s[i]->keys[k]);
			}
			fputs("],", fp);
			json_value(fp, ad, s[i], t->normal[aggs[j]]);
			fputc('}', fp);
		}
		fputs("]}\n", fp);
		free(s);
	}
}

/* ------------------------------------------------- the output ops --- */

static void json_rec_begin(struct kt_output *out, int cpu, const struct ktrace_probe_desc *pd,
			   uint64_t ts)
{
	char name[512];

	fprintf(out->fp, "{\"type\":\"record\",\"cpu\":%d,\"id\":%u,\"probe\":", cpu, pd->id);
	snprintf(name, sizeof(name), "%s:%s:%s:%s", pd->provider, pd->module, pd->function,
		 pd->name);
	kt_json_string(out->fp, name);
	fprintf(out->fp, ",\"timestamp\":%llu,\"data\":[", (unsigned long long)ts);
	out->first = true;
}

static void json_action(struct kt_output *out, const struct ktrace_action_desc *ad,
			const char *fmt, const struct kt_val *v, int nv)
{
	static const char *const kinds[] = {
#define KT_ACT_STR(name, val, str, rec, destr) [val] = str,
		KTRACE_ACTIONS(KT_ACT_STR)
#undef KT_ACT_STR
	};
	char *buf = NULL, err[128];
	size_t blen = 0;
	FILE *m;
	int i;

	fprintf(out->fp, "%s{\"action\":\"%s\"", out->first ? "" : ",",
		ad->kind < KTRACE_ACT_MAX ? kinds[ad->kind] : "?");
	out->first = false;
	if (ad->kind == KTRACE_ACT_PRINTF && fmt) {
		m = open_memstream(&buf, &blen);
		if (m) {
			if (kt_format(m, fmt, v, nv, NULL, out->o, err, sizeof(err)) < 0)
				fprintf(m, "<%s>", err);
			fclose(m);
			fputs(",\"output\":", out->fp);
			kt_json_string(out->fp, buf ? buf : "");
			free(buf);
		}
	} else {
		fputs(",\"values\":[", out->fp);
		for (i = 0; i < nv; i++) {
			if (i)
				fputc(',', out->fp);
			kt_json_val(out->fp, &v[i]);
		}
		fputc(']', out->fp);
	}
	fputc('}', out->fp);
}

static void json_print(struct kt_output *out, const struct kt_prog *p, uint32_t type,
		       const struct kt_val *v, int nv)
{
	fprintf(out->fp, "%s{\"action\":\"print\"", out->first ? "" : ",");
	out->first = false;
	kt_json_object(out->fp, p, type, v, nv, out->o->printsize);
	fputc('}', out->fp);
}

static void json_printa(struct kt_output *out, struct kt_aggtab *t, const uint32_t *aggs,
			int naggs, const char *fmt)
{
	for (int j = 0; j < naggs; j++)
		if (aggs[j] >= t->prog->naggs)
			return;
	for (int j = 0; j < naggs; j++)
		t->printed[aggs[j]] = true;
	fputs("]}\n", out->fp);
	kt_json_agg(out->fp, t, aggs, naggs, out->o);
	fputs("{\"type\":\"record-continued\",\"data\":[", out->fp);
	out->first = true;
}

/* The command's standard output is captured: it is the item's "output". */
static void json_system(struct kt_output *out, const char *cmd)
{
	char *buf = NULL, chunk[4096];
	size_t blen = 0, n;
	FILE *m = open_memstream(&buf, &blen), *p;

	fflush(out->fp);
	p = m ? popen(cmd, "r") : NULL;
	if (p) {
		while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
			fwrite(chunk, 1, n, m);
		pclose(p);
	} else {
		fprintf(stderr, "%s: system(): %s\n", KT_PNAME, strerror(errno));
	}
	if (m)
		fclose(m);
	fprintf(out->fp, "%s{\"action\":\"system\",\"command\":", out->first ? "" : ",");
	kt_json_string(out->fp, cmd);
	fputs(",\"output\":", out->fp);
	kt_json_string(out->fp, buf ? buf : "");
	fputc('}', out->fp);
	out->first = false;
	free(buf);
}

/* What the record wrote so far goes too: it goes on in a continued line. */
static void json_truncate(struct kt_output *out)
{
	fflush(out->fp);
	if (ftruncate(fileno(out->fp), 0) == 0)
		fseeko(out->fp, 0, SEEK_SET);
	fputs("{\"type\":\"record-continued\",\"data\":[", out->fp);
	out->first = true;
}

/* Each file gets whole lines: the record ends here and goes on there. */
static void json_redirect(struct kt_output *out, FILE *fp)
{
	fputs("]}\n", out->fp);
	kt_output_leave(out, fp);
	fputs("{\"type\":\"record-continued\",\"data\":[", out->fp);
	out->first = true;
}

static void json_rec_end(struct kt_output *out)
{
	fputs("]}\n", out->fp);
}

static void json_final(struct kt_output *out, struct kt_aggtab *t)
{
	for (uint32_t a = 0; a < t->prog->naggs; a++)
		if (kt_agg_pending(t, a))
			kt_json_agg(out->fp, t, &a, 1, out->o);
}

const struct kt_output_ops kt_output_json = {
	.rec_begin	= json_rec_begin,
	.action		= json_action,
	.printa		= json_printa,
	.print		= json_print,
	.system		= json_system,
	.truncate	= json_truncate,
	.redirect	= json_redirect,
	.rec_end	= json_rec_end,
	.final		= json_final,
};
