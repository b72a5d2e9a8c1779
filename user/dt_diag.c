// SPDX-License-Identifier: GPL-2.0
/*
 * Diagnostics as data.  Every pass reports through dt_error()/dt_warn();
 * the result is a list of struct kt_diag the caller prints with
 * kt_diags_print():
 *
 *   FILE:LINE:COL: error: message
 *   <the source line>
 *   <spaces (tabs kept) up to the column>^
 *
 * The compiler keeps going after an error (up to a limit) so one run
 * reports several; warnings are kept whatever happens.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "dt_impl.h"

#define DT_MAX_ERRORS	20

static char *diag_srcline(const struct dt_source *s, int line)
{
	const char *p, *e;
	char *out;
	int l = 1;

	if (!s || !s->text || line <= 0)
		return NULL;
	p = s->text;
	e = s->text + s->len;
	while (p < e && l < line) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));

		if (!nl)
			return NULL;
		p = nl + 1;
		l++;
	}
	if (l != line)
		return NULL;
	{
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);

		if (n && p[n - 1] == '\r')
			n--;
		if (n > 4096)
			n = 4096;
		out = malloc(n + 1);
		if (!out)
			return NULL;
		memcpy(out, p, n);
		out[n] = '\0';
		/* never print raw control bytes other than tabs */
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)out[i] < 0x20 && out[i] != '\t')
				out[i] = ' ';
	}
	return out;
}

static void diag_add(struct dt_cc *cc, enum kt_diag_kind kind, int src, int line,
		     int col, const char *tag, const char *fmt, va_list ap)
{
	struct kt_diags *d = cc->diags;
	struct kt_diag *g;
	char buf[1024];

	if (!d)
		return;
	if (kind == KT_DIAG_ERROR && d->nerrors >= DT_MAX_ERRORS) {
		d->nerrors++;
		return;
	}
	if (d->n == d->cap) {
		int ncap = d->cap ? d->cap * 2 : 8;
		struct kt_diag *nv = realloc(d->v, sizeof(*nv) * (size_t)ncap);

		if (!nv)
			return;
		d->v = nv;
		d->cap = ncap;
	}
	vsnprintf(buf, sizeof(buf), fmt, ap);
	g = &d->v[d->n];
	memset(g, 0, sizeof(*g));
	g->kind = kind;
	g->line = line;
	g->col = col;
	g->tag = tag;
	g->msg = strdup(buf);
	if (!g->msg)
		return;
	/* owned: an #include'd file's name lives in the compiler's arena */
	if (src >= 0 && src < cc->nsrcs && !(g->file = strdup(cc->srcs[src].name))) {
		free(g->msg);
		return;
	}
	if (src >= 0 && src < cc->nsrcs)
		g->srcline = diag_srcline(&cc->srcs[src], line);
	d->n++;
	if (kind == KT_DIAG_ERROR)
		d->nerrors++;
}

void dt_error(struct dt_cc *cc, int src, int line, int col, const char *tag,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(cc, KT_DIAG_ERROR, src, line, col, tag, fmt, ap);
	va_end(ap);
}

void dt_warn(struct dt_cc *cc, int src, int line, int col, const char *tag,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(cc, KT_DIAG_WARNING, src, line, col, tag, fmt, ap);
	va_end(ap);
}

void dt_nerror(struct dt_cc *cc, const struct dt_node *n, const char *tag,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (n)
		diag_add(cc, KT_DIAG_ERROR, n->src, n->line, n->col, tag, fmt, ap);
	else
		diag_add(cc, KT_DIAG_ERROR, -1, 0, 0, tag, fmt, ap);
	va_end(ap);
}

bool dt_too_many_errors(const struct dt_cc *cc)
{
	return cc->diags && cc->diags->nerrors >= DT_MAX_ERRORS;
}

static const char *kind_name(enum kt_diag_kind k)
{
	switch (k) {
	case KT_DIAG_ERROR:
		return "error";
	case KT_DIAG_WARNING:
		return "warning";
	default:
		return "note";
	}
}

void kt_diags_print(const struct kt_diags *d, FILE *f)
{
	int shown_errors = 0;

	if (!d)
		return;
	for (int i = 0; i < d->n; i++) {
		const struct kt_diag *g = &d->v[i];

		if (g->kind == KT_DIAG_ERROR)
			shown_errors++;
		if (g->file && g->line > 0)
			fprintf(f, "%s:%d:%d: ", g->file, g->line, g->col > 0 ? g->col : 1);
		else if (g->file)
			fprintf(f, "%s: ", g->file);
		fprintf(f, "%s: ", kind_name(g->kind));
		if (d->tags && g->tag)
			fprintf(f, "[%s] ", g->tag);
		fprintf(f, "%s\n", g->msg ? g->msg : "");
		if (g->srcline && g->col > 0) {
			const char *s = g->srcline;
			size_t len = strlen(s);

			fprintf(f, "%s\n", s);
			for (int c = 1; c < g->col; c++)
				fputc((size_t)(c - 1) < len && s[c - 1] == '\t' ? '\t' : ' ', f);
			fputs("^\n", f);
		}
	}
	if (d->nerrors > shown_errors)
		fprintf(f, "too many errors (%d more not shown)\n", d->nerrors - shown_errors);
}

void kt_diags_free(struct kt_diags *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->n; i++) {
		free(d->v[i].msg);
		free(d->v[i].file);
		free(d->v[i].srcline);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = d->nerrors = 0;
}
