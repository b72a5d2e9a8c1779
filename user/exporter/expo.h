/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expo.h: ktrace-exporter's series store and its exposition in the
 * Prometheus text format 0.0.4 and OpenMetrics 1.0 (expo.c).  No kernel,
 * no HTTP: the host tests (selftests/exporter/test_expo.c) drive it alone.
 *
 * A family is one metric (counter, gauge or histogram) with its series,
 * one per label set.  Counters and histograms only grow: the exporter adds
 * what each aggregation snapshot added (never what a program's clear() or
 * trunc() took away), so they survive both and a SIGHUP reload.  Gauges are
 * set on every collection; a series not set in the last one (its entry
 * truncated or cleared away) is not shown.
 */
#ifndef KTRACE_EXPO_H
#define KTRACE_EXPO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum kx_type { KX_COUNTER, KX_GAUGE, KX_HISTOGRAM };

struct kx_series {
	struct kx_series	*hnext;
	char			*labels;	/* rendered pairs: a="x",b="y" (escaped) or "" */
	uint32_t		hash;
	long double		value;		/* counter total, gauge value */
	uint64_t		*counts;	/* histogram: per-bucket totals [nb] */
	long double		sum;		/* histogram: total of the observations */
	double			created;	/* unix time it appeared */
	uint64_t		gen;		/* gauge: the collection that set it */
};

struct kx_family {
	char			*name;		/* without _total */
	char			*help;
	enum kx_type		type;
	uint32_t		nb;		/* histogram buckets */
	long double		*le;		/* [nb] inclusive upper bounds, last +Inf */
	bool			has_sum;	/* histogram: _sum is known */
	bool			own;		/* the exporter's own: outside max_series */
	struct kx_series	**v;		/* in creation order */
	size_t			n, cap;
	struct kx_series	*hash[256];
};

struct kx_store {
	struct kx_family	**fam;
	size_t			nfam, cap;
	size_t			nseries;	/* all families' */
	size_t			nown;		/* of them, in own families */
	size_t			max_series;	/* 0: no limit (own series not counted) */
	uint64_t		dropped;	/* series refused by max_series */
	uint64_t		gen;		/* current collection */
};

/* Metric and label names as Prometheus accepts them. */
bool kx_metric_name_ok(const char *s);
bool kx_label_name_ok(const char *s);
/* s as a label value (\\, \" and \n escaped) appended to out (size bytes,
 * NUL terminated; truncated at a character boundary if it does not fit). */
void kx_escape_label(char *out, size_t size, const char *s);

void kx_store_free(struct kx_store *st);
/*
 * The family NAME: created, or the existing one when its type, bucket
 * bounds and _sum agree (a reload keeps its counters); one that disagrees
 * is emptied and redefined.  NULL when out of memory.
 */
struct kx_family *kx_family(struct kx_store *st, const char *name, const char *help,
			    enum kx_type type, uint32_t nb, const long double *le, bool has_sum);
/* Drop families not in keep[] (after a reload): NULL-terminated names. */
void kx_store_retain(struct kx_store *st, const char *const *keep);
/* The series of f with these rendered labels: found, created (now: unix
 * time), or NULL when the programs' series reached max_series (counted in
 * st->dropped; an own family's series are neither refused nor counted). */
struct kx_series *kx_series(struct kx_store *st, struct kx_family *f, const char *labels,
			    double now);
void kx_counter_add(struct kx_series *s, long double delta);
void kx_gauge_set(struct kx_store *st, struct kx_series *s, long double v);
/* A histogram's per-bucket counts added (nb of them), and their sum. */
void kx_hist_add(struct kx_family *f, struct kx_series *s, const int64_t *counts,
		 long double sum);

/* The whole exposition: OpenMetrics 1.0 (with # EOF) or text 0.0.4. */
void kx_render(const struct kx_store *st, FILE *fp, bool openmetrics);

/*
 * Content negotiation: does this Accept header prefer OpenMetrics 1.0 to
 * the text format?  (Prometheus asks for both, OpenMetrics first.)
 */
bool kx_accept_openmetrics(const char *accept);
#define KX_CT_TEXT	"text/plain; version=0.0.4; charset=utf-8"
#define KX_CT_OM	"application/openmetrics-text; version=1.0.0; charset=utf-8"

#endif /* KTRACE_EXPO_H */
