// SPDX-License-Identifier: GPL-2.0
/*
 * expo.c: the series store and the exposition formats (expo.h).
 *
 * Text format 0.0.4: "# HELP x_total ...", "# TYPE x_total counter",
 * "x_total{l="v"} 42"; histograms as x_bucket{le=...} (cumulative, +Inf
 * last), x_sum, x_count.  OpenMetrics 1.0: the family is named without
 * _total ("# TYPE x counter"), counters and histograms carry x_created
 * (unix seconds), le values are canonical numbers ("1023.0"), and the
 * exposition ends with "# EOF".
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "expo.h"

static bool name_ok(const char *s, bool colon)
{
	const char *p;

	if (!s || !*s || isdigit((unsigned char)*s))
		return false;
	for (p = s; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_' || (colon && *p == ':')) ||
		    (unsigned char)*p >= 0x80)
			return false;
	return true;
}

bool kx_metric_name_ok(const char *s)
{
	return name_ok(s, true);
}

bool kx_label_name_ok(const char *s)
{
	/* names beginning with __ are reserved; "le" is the histograms' own */
	return name_ok(s, false) && strncmp(s, "__", 2) && strcmp(s, "le");
}

void kx_escape_label(char *out, size_t size, const char *s)
{
	size_t o = strlen(out);
	const char *rep;
	char one[2] = { 0, 0 };

	for (; *s; s++) {
		switch (*s) {
		case '\\':
			rep = "\\\\";
			break;
		case '"':
			rep = "\\\"";
			break;
		case '\n':
			rep = "\\n";
			break;
		default:
			one[0] = *s;
			rep = one;
		}
		if (o + strlen(rep) + 1 > size)
			break;
		memcpy(out + o, rep, strlen(rep));
		o += strlen(rep);
	}
	/* never end inside a UTF-8 sequence (truncation above) */
	if (*s) {
		while (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
			o--;
		if (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0xc0)
			o--;
	}
	out[o] = '\0';
}

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void series_free(struct kx_series *s)
{
	free(s->labels);
	free(s->counts);
	free(s);
}

static void family_empty(struct kx_store *st, struct kx_family *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		series_free(f->v[i]);
	st->nseries -= f->n;
	if (f->own)
		st->nown -= f->n;
	f->n = 0;
	memset(f->hash, 0, sizeof(f->hash));
}

static void family_free(struct kx_store *st, struct kx_family *f)
{
	family_empty(st, f);
	free(f->v);
	free(f->le);
	free(f->name);
	free(f->help);
	free(f);
}

void kx_store_free(struct kx_store *st)
{
	size_t i;

	for (i = 0; i < st->nfam; i++)
		family_free(st, st->fam[i]);
	free(st->fam);
	st->fam = NULL;
	st->nfam = st->cap = 0;
}

static bool same_shape(const struct kx_family *f, enum kx_type type, uint32_t nb,
		       const long double *le, bool has_sum)
{
	if (f->type != type || f->nb != nb || f->has_sum != has_sum)
		return false;
	return !nb || !memcmp(f->le, le, nb * sizeof(*le));
}

struct kx_family *kx_family(struct kx_store *st, const char *name, const char *help,
			    enum kx_type type, uint32_t nb, const long double *le, bool has_sum)
{
	struct kx_family *f = NULL;
	char *h;
	size_t i;

	for (i = 0; i < st->nfam; i++)
		if (!strcmp(st->fam[i]->name, name))
			f = st->fam[i];
	if (f && same_shape(f, type, nb, le, has_sum)) {
		if (strcmp(f->help, help) && (h = strdup(help))) {
			free(f->help);
			f->help = h;
		}
		return f;
	}
	if (!f) {
		if (st->nfam == st->cap) {
			size_t nc = st->cap ? st->cap * 2 : 16;
			void *nv = realloc(st->fam, nc * sizeof(*st->fam));

			if (!nv)
				return NULL;
			st->fam = nv;
			st->cap = nc;
		}
		f = calloc(1, sizeof(*f));
		if (!f || !(f->name = strdup(name))) {
			free(f);
			return NULL;
		}
		st->fam[st->nfam++] = f;
	} else {
		/* redefined: its old series mean something else now */
		family_empty(st, f);
		free(f->le);
		f->le = NULL;
		free(f->help);
		f->help = NULL;
	}
	f->type = type;
	f->nb = nb;
	f->has_sum = has_sum;
	f->help = strdup(help);
	if (nb) {
		f->le = malloc(nb * sizeof(*le));
		if (f->le)
			memcpy(f->le, le, nb * sizeof(*le));
	}
	if (!f->help || (nb && !f->le)) {
		f->nb = 0;
		return NULL;
	}
	return f;
}

void kx_store_retain(struct kx_store *st, const char *const *keep)
{
	size_t i, o = 0;
	const char *const *k;

	for (i = 0; i < st->nfam; i++) {
		for (k = keep; *k && strcmp(*k, st->fam[i]->name); k++)
			;
		if (*k)
			st->fam[o++] = st->fam[i];
		else
			family_free(st, st->fam[i]);
	}
	st->nfam = o;
}

struct kx_series *kx_series(struct kx_store *st, struct kx_family *f, const char *labels,
			    double now)
{
	uint32_t h = hash_str(labels);
	struct kx_series *s;

	for (s = f->hash[h & 255]; s; s = s->hnext)
		if (s->hash == h && !strcmp(s->labels, labels))
			return s;
	if (st->max_series && !f->own && st->nseries - st->nown >= st->max_series) {
		st->dropped++;
		return NULL;
	}
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 16;
		void *nv = realloc(f->v, nc * sizeof(*f->v));

		if (!nv)
			return NULL;
		f->v = nv;
		f->cap = nc;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->labels = strdup(labels);
	if (f->nb)
		s->counts = calloc(f->nb, sizeof(*s->counts));
	if (!s->labels || (f->nb && !s->counts)) {
		series_free(s);
		return NULL;
	}
	s->hash = h;
	s->created = now;
	s->gen = UINT64_MAX;
	s->hnext = f->hash[h & 255];
	f->hash[h & 255] = s;
	f->v[f->n++] = s;
	st->nseries++;
	st->nown += f->own;
	return s;
}

void kx_counter_add(struct kx_series *s, long double delta)
{
	s->value += delta;
}

void kx_gauge_set(struct kx_store *st, struct kx_series *s, long double v)
{
	s->value = v;
	s->gen = st->gen;
}

void kx_hist_add(struct kx_family *f, struct kx_series *s, const int64_t *counts,
		 long double sum)
{
	uint32_t i;

	for (i = 0; i < f->nb; i++)
		if (counts[i] > 0)
			s->counts[i] += (uint64_t)counts[i];
	s->sum += sum;
}

/* ------------------------------------------------------------ render --- */

static void put_help(FILE *fp, const char *s, bool om)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", fp);
		else if (*s == '\n')
			fputs("\\n", fp);
		else if (*s == '"' && om)
			fputs("\\\"", fp);
		else
			fputc(*s, fp);
	}
}

/* a number: integers exactly, OpenMetrics integers of float kind as "N.0" */
static void num_str(char *b, size_t n, long double v, bool om_float)
{
	if (isinf(v))
		snprintf(b, n, "%s", v > 0 ? "+Inf" : "-Inf");
	else if (isnan(v))
		snprintf(b, n, "NaN");
	else if (v == floorl(v) && fabsl(v) < 1e19L)
		snprintf(b, n, om_float ? "%.1Lf" : "%.0Lf", v);
	else
		snprintf(b, n, "%.15Lg", v);
}

static void put_num(FILE *fp, long double v, bool om_float)
{
	char b[64];

	num_str(b, sizeof(b), v, om_float);
	fputs(b, fp);
}

static void put_labels(FILE *fp, const char *labels, const char *extra)
{
	if (!*labels && !extra)
		return;
	fprintf(fp, "{%s%s%s}", labels, *labels && extra ? "," : "", extra ? extra : "");
}

static void render_hist(FILE *fp, const struct kx_family *f, const struct kx_series *s,
			bool om)
{
	uint32_t i, first = f->nb, last = 0;
	uint64_t cum = 0, total = 0;
	char le[80], num[64];

	for (i = 0; i < f->nb; i++) {
		total += s->counts[i];
		if (s->counts[i]) {
			if (first == f->nb)
				first = i;
			last = i;
		}
	}
	/* the buckets from the lowest to the highest non-empty one (the set
	 * only grows: the counts do), then +Inf; before any: just +Inf */
	for (i = 0; first < f->nb && i <= last; i++) {
		cum += s->counts[i];
		if (i < first || isinf(f->le[i]))
			continue;
		num_str(num, sizeof(num), f->le[i], om);
		snprintf(le, sizeof(le), "le=\"%s\"", num);
		fprintf(fp, "%s_bucket", f->name);
		put_labels(fp, s->labels, le);
		fprintf(fp, " %llu\n", (unsigned long long)cum);
	}
	fprintf(fp, "%s_bucket", f->name);
	put_labels(fp, s->labels, "le=\"+Inf\"");
	fprintf(fp, " %llu\n", (unsigned long long)total);
	fprintf(fp, "%s_count", f->name);
	put_labels(fp, s->labels, NULL);
	fprintf(fp, " %llu\n", (unsigned long long)total);
	if (f->has_sum) {
		fprintf(fp, "%s_sum", f->name);
		put_labels(fp, s->labels, NULL);
		fputc(' ', fp);
		put_num(fp, s->sum, false);
		fputc('\n', fp);
	}
}

void kx_render(const struct kx_store *st, FILE *fp, bool om)
{
	static const char *const tname[] = { "counter", "gauge", "histogram" };
	size_t i, j;

	for (i = 0; i < st->nfam; i++) {
		const struct kx_family *f = st->fam[i];
		const char *suffix = f->type == KX_COUNTER && !om ? "_total" : "";

		fprintf(fp, "# HELP %s%s ", f->name, suffix);
		put_help(fp, f->help, om);
		fprintf(fp, "\n# TYPE %s%s %s\n", f->name, suffix, tname[f->type]);
		for (j = 0; j < f->n; j++) {
			const struct kx_series *s = f->v[j];

			switch (f->type) {
			case KX_GAUGE:
				if (s->gen != st->gen)
					break;	/* not in the last collection */
				fputs(f->name, fp);
				put_labels(fp, s->labels, NULL);
				fputc(' ', fp);
				put_num(fp, s->value, false);
				fputc('\n', fp);
				break;
			case KX_COUNTER:
				fprintf(fp, "%s_total", f->name);
				put_labels(fp, s->labels, NULL);
				fputc(' ', fp);
				put_num(fp, s->value, false);
				fputc('\n', fp);
				break;
			case KX_HISTOGRAM:
				render_hist(fp, f, s, om);
				break;
			}
			if (om && f->type != KX_GAUGE) {
				fprintf(fp, "%s_created", f->name);
				put_labels(fp, s->labels, NULL);
				fprintf(fp, " %.3f\n", s->created);
			}
		}
	}
	if (om)
		fputs("# EOF\n", fp);
}

/* ------------------------------------------------------- negotiation --- */

/* q of one Accept element "type/sub;p=v;q=0.5" for media type mt, or -1 */
static double accept_q(const char *el, size_t n, const char *mt, bool *version_ok)
{
	size_t ml = strlen(mt);
	const char *p = el, *end = el + n;
	double q = 1;

	while (p < end && isspace((unsigned char)*p))
		p++;
	if ((size_t)(end - p) < ml || strncasecmp(p, mt, ml) ||
	    (p + ml < end && p[ml] != ';' && !isspace((unsigned char)p[ml])))
		return -1;
	*version_ok = true;
	for (p += ml; p < end; p++) {
		if (*p != ';')
			continue;
		while (p + 1 < end && isspace((unsigned char)p[1]))
			p++;
		if (end - p > 2 && !strncasecmp(p + 1, "q=", 2))
			q = strtod(p + 3, NULL);
		else if (end - p > 8 && !strncasecmp(p + 1, "version=", 8))
			*version_ok = !strncmp(p + 9, "1.0.0", 5) || !strncmp(p + 9, "0.0.1", 5);
	}
	return q;
}

bool kx_accept_openmetrics(const char *accept)
{
	double om = -1, text = -1, q;
	const char *p = accept, *c;
	bool vok;

	if (!accept)
		return false;
	while (*p) {
		c = strchr(p, ',');
		if (!c)
			c = p + strlen(p);
		q = accept_q(p, (size_t)(c - p), "application/openmetrics-text", &vok);
		if (q > om && vok)
			om = q;
		q = accept_q(p, (size_t)(c - p), "text/plain", &vok);
		if (q > text)
			text = q;
		p = *c ? c + 1 : c;
	}
	return om > 0 && om >= text;
}
