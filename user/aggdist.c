// SPDX-License-Identifier: GPL-2.0
/*
 * aggdist.c: an aggregation's value as DTrace prints and sorts it: the
 * quantize, lquantize and llquantize histograms, avg and stddev, a
 * symbol-valued aggregation, the sort value of each function, and the
 * buckets' upper bounds (for JSON and the exporter).  Pure functions of an
 * entry's values; aggprint.c (the table, sorting, printa) and format.c
 * (printf's %@ conversions) both print through them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "vm.h"

/* a * b saturating at INT64_MAX (a, b > 0) */
static int64_t llq_mul(int64_t a, int64_t b)
{
	return a > INT64_MAX / b ? INT64_MAX : a * b;
}

static long double qbucket_val(int i)
{
	if (i < KTRACE_QUANTIZE_ZERO)
		return -(long double)(1ULL << (KTRACE_QUANTIZE_ZERO - 1 - i));
	if (i == KTRACE_QUANTIZE_ZERO)
		return 0;
	return (long double)(1ULL << (i - KTRACE_QUANTIZE_ZERO - 1));
}

int64_t kt_agg_avg(const int64_t *vals, int64_t normal)
{
	return vals[0] ? vals[1] / (normal > 0 ? normal : 1) / vals[0] : 0;
}

uint64_t kt_stddev(const int64_t *vals, int64_t normal)
{
	unsigned __int128 sq, avgsq, sqavg, diff, r, bit;
	int64_t avg;
	uint64_t cnt = (uint64_t)vals[0];

	if (!cnt)
		return 0;
	if (normal <= 0)
		normal = 1;
	sq = ((unsigned __int128)(uint64_t)vals[3] << 64) | (uint64_t)vals[2];
	/* as DTrace: the sum of squares is normalised by normal^2 */
	avgsq = sq / (uint64_t)normal / (uint64_t)normal / cnt;
	avg = vals[1] / normal / (int64_t)cnt;
	if (avg < 0)
		avg = -avg;
	sqavg = (unsigned __int128)(uint64_t)avg * (uint64_t)avg;
	diff = avgsq - sqavg;	/* wraps like DTrace's 128-bit subtraction */
	/* integer square root */
	r = 0;
	bit = (unsigned __int128)1 << 126;
	while (bit > diff)
		bit >>= 2;
	while (bit) {
		if (diff >= r + bit) {
			diff -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return (uint64_t)r;
}

static long double llq_sortval(const __s64 *pa, const int64_t *v, uint32_t n);

long double kt_agg_sortval(const struct ktrace_agg_desc *ad, const struct kt_aggent *e)
{
	long double s = 0;
	uint32_t i, levels;

	switch (ad->func) {
	case KTRACE_AGG_AVG:
		return e->vals[0] ? (long double)e->vals[1] / e->vals[0] : 0;
	case KTRACE_AGG_STDDEV:
		return (long double)kt_stddev(e->vals, 1);
	case KTRACE_AGG_QUANTIZE:
		for (i = 0; i < e->nvals; i++)
			s += qbucket_val(i) * e->vals[i];
		return s;
	case KTRACE_AGG_LQUANTIZE:
		levels = e->nvals - 2;
		s += (long double)e->vals[0] * (ad->params[0] - 1);
		for (i = 1; i <= levels; i++)
			s += (long double)e->vals[i] * (ad->params[0] + (int64_t)(i - 1) * ad->params[2]);
		s += (long double)e->vals[levels + 1] * (ad->params[0] + (int64_t)levels * ad->params[2]);
		return s;
	case KTRACE_AGG_LLQUANTIZE:
		return llq_sortval(ad->params, e->vals, e->nvals);
	default:
		return e->vals[0];
	}
}


static void quantline(FILE *fp, int64_t val, int64_t normal, long double total,
		      bool pos, bool neg)
{
	static const char ats[] = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@";
	static const char sp[] = "                                        ";
	unsigned int len = 40, depth;
	long double f;

	if (!neg) {
		depth = 0;
		if (pos) {
			f = fabsl((long double)val) * len / total;
			depth = (unsigned int)(f + 0.5);
		}
		fprintf(fp, "|%s%s %-9lld\n", ats + len - depth, sp + depth,
			(long long)(val / normal));
		return;
	}
	if (!pos) {
		f = fabsl((long double)val) * len / total;
		depth = (unsigned int)(f + 0.5);
		fprintf(fp, "%s%s| %-9lld\n", sp + depth, ats + len - depth,
			(long long)(val / normal));
		return;
	}
	/* both signs: half-length bars on each side of a centre line */
	len /= 2;
	f = fabsl((long double)val) * len / total;
	depth = (unsigned int)(f + 0.5);
	if (val <= 0)
		fprintf(fp, "%s%s|%*s %-9lld\n", sp + 20 + depth, ats + 20 + len - depth,
			(int)len, "", (long long)(val / normal));
	else
		fprintf(fp, "%20s|%s%s %-9lld\n", "", ats + 20 + len - depth, sp + 20 + depth,
			(long long)(val / normal));
}

static void dist_header(FILE *fp)
{
	fprintf(fp, "\n%16s %41s %-9s\n", "value",
		"------------- Distribution -------------", "count");
}

static void bar_stats(const int64_t *v, int first, int last, long double *total,
		      bool *pos, bool *neg)
{
	int i;

	*total = 0;
	*pos = *neg = false;
	for (i = first; i <= last; i++) {
		*pos |= v[i] > 0;
		*neg |= v[i] < 0;
		*total += fabsl((long double)v[i]);
	}
}

void kt_print_quantize(FILE *fp, const int64_t *v, uint32_t n, int64_t normal)
{
	int first = 0, last = (int)n - 1, i;
	long double total;
	bool pos, neg;

	while (first < (int)n - 1 && v[first] == 0)
		first++;
	if (first == (int)n - 1 && v[first] == 0) {
		first = KTRACE_QUANTIZE_ZERO - 1;
		last = KTRACE_QUANTIZE_ZERO + 1;
	} else {
		if (first > 0)
			first--;
		while (last > 0 && v[last] == 0)
			last--;
		if (last < (int)n - 1)
			last++;
	}
	bar_stats(v, first, last, &total, &pos, &neg);
	dist_header(fp);
	for (i = first; i <= last; i++) {
		fprintf(fp, "%16lld ", (long long)qbucket_val(i));
		quantline(fp, v[i], normal, total, pos, neg);
	}
}

void kt_print_lquantize(FILE *fp, const int64_t *v, uint32_t n, const __s64 *params,
			int64_t normal)
{
	int64_t base = params[0], step = params[2];
	int levels = (int)n - 2, first = 0, last = levels + 1, i;
	long double total;
	bool pos, neg;
	char c[32];

	while (first <= levels + 1 && v[first] == 0)
		first++;
	if (first > levels + 1) {
		first = 0;
		last = 2;
	} else {
		if (first > 0)
			first--;
		while (last > 0 && v[last] == 0)
			last--;
		if (last < levels + 1)
			last++;
	}
	bar_stats(v, first, last, &total, &pos, &neg);
	dist_header(fp);
	for (i = first; i <= last; i++) {
		if (i == 0) {
			snprintf(c, sizeof(c), "< %lld", (long long)base);
			fprintf(fp, "%16s ", c);
		} else if (i == levels + 1) {
			snprintf(c, sizeof(c), ">= %lld", (long long)(base + levels * step));
			fprintf(fp, "%16s ", c);
		} else {
			fprintf(fp, "%16lld ", (long long)(base + (i - 1) * step));
		}
		quantline(fp, v[i], normal, total, pos, neg);
	}
}

/*
 * Walk llquantize's buckets 1 .. n-2 in DTrace's order: fn(i, lower bound
 * of bucket i).  Returns the lower bound of the last bucket (n - 1).
 */
static int64_t llq_walk(const __s64 *pa, uint32_t n,
			void (*fn)(void *arg, uint32_t bin, int64_t value), void *arg)
{
	int64_t factor = pa[0], nsteps = pa[3], value = 1, next, step;
	int64_t order;
	uint32_t bin = 1;

	for (order = 0; order < pa[1] && value < INT64_MAX; order++)
		value = llq_mul(value, factor);
	next = llq_mul(value, factor);
	step = next > nsteps ? next / nsteps : 1;
	while (order <= pa[2] && bin + 1 < n) {
		if (fn)
			fn(arg, bin, value);
		bin++;
		if (value > INT64_MAX - step)
			break;
		value += step;
		if (value != next)
			continue;
		next = llq_mul(value, factor);
		step = next > nsteps ? next / nsteps : 1;
		order++;
	}
	return value;
}

static int64_t llq_lowbound(const __s64 *pa)
{
	int64_t value = 1, order;

	for (order = 0; order < pa[1] && value < INT64_MAX; order++)
		value = llq_mul(value, pa[0]);
	return value;
}

struct llq_print {
	FILE		*fp;
	const int64_t	*v;
	int64_t		normal;
	long double	total;
	bool		pos, neg;
	uint32_t	first, last;
};

static void llq_print_bin(void *arg, uint32_t bin, int64_t value)
{
	struct llq_print *p = arg;

	if (bin < p->first || bin > p->last)
		return;
	fprintf(p->fp, "%16lld ", (long long)value);
	quantline(p->fp, p->v[bin], p->normal, p->total, p->pos, p->neg);
}

/* DTrace's llquantize output: "< factor^low", one row per bucket, ">= top". */
void kt_print_llquantize(FILE *fp, const int64_t *v, uint32_t n, const __s64 *params,
			 int64_t normal)
{
	struct llq_print p = { .fp = fp, .v = v, .normal = normal };
	int64_t top;
	char c[32];

	if (n < 2)
		return;
	p.first = 0;
	p.last = n - 1;
	while (p.first < n && v[p.first] == 0)
		p.first++;
	if (p.first == n) {
		p.first = 0;
		p.last = 1;
	} else {
		if (p.first > 0)
			p.first--;
		while (p.last > 0 && v[p.last] == 0)
			p.last--;
		if (p.last < n - 1)
			p.last++;
	}
	bar_stats(v, (int)p.first, (int)p.last, &p.total, &p.pos, &p.neg);
	dist_header(fp);
	if (p.first == 0) {
		snprintf(c, sizeof(c), "< %lld", (long long)llq_lowbound(params));
		fprintf(fp, "%16s ", c);
		quantline(fp, v[0], normal, p.total, p.pos, p.neg);
	}
	top = llq_walk(params, n, llq_print_bin, &p);
	if (p.last < n - 1)
		return;
	snprintf(c, sizeof(c), ">= %lld", (long long)top);
	fprintf(fp, "%16s ", c);
	quantline(fp, v[n - 1], normal, p.total, p.pos, p.neg);
}

struct llq_sum {
	const int64_t	*v;
	long double	s;
};

static void llq_sum_bin(void *arg, uint32_t bin, int64_t value)
{
	struct llq_sum *p = arg;

	p->s += (long double)p->v[bin] * (long double)value;
}

/* DTrace sorts llquantize by the sum of count x bucket lower bound. */
static long double llq_sortval(const __s64 *pa, const int64_t *v, uint32_t n)
{
	struct llq_sum p = { .v = v };
	int64_t top;

	if (n < 2)
		return 0;
	p.s = (long double)v[0] * ((long double)llq_lowbound(pa) - 1);
	top = llq_walk(pa, n, llq_sum_bin, &p);
	return p.s + (long double)v[n - 1] * (long double)top;
}

void kt_agg_print_value(FILE *fp, const struct kt_aggdata *d, bool packed)
{
	const struct ktrace_agg_desc *ad = d->ad;
	const struct kt_aggent *e = d->e;
	int64_t norm = d->normal > 0 ? d->normal : 1;
	char sym[512];

	(void)packed;
	switch (ad->func) {
	case KTRACE_AGG_QUANTIZE:
		kt_print_quantize(fp, e->vals, e->nvals, norm);
		return;
	case KTRACE_AGG_LQUANTIZE:
		kt_print_lquantize(fp, e->vals, e->nvals, ad->params, norm);
		return;
	case KTRACE_AGG_LLQUANTIZE:
		kt_print_llquantize(fp, e->vals, e->nvals, ad->params, norm);
		return;
	case KTRACE_AGG_AVG:
		fprintf(fp, " %16lld", (long long)kt_agg_avg(e->vals, norm));
		return;
	case KTRACE_AGG_STDDEV:
		fprintf(fp, " %16llu", (unsigned long long)kt_stddev(e->vals, norm));
		return;
	default:
		if (d->vdtype == KT_DT_SYM || d->vdtype == KT_DT_USYM ||
		    d->vdtype == KT_DT_MOD || d->vdtype == KT_DT_UMOD) {
			kt_addr_text(d->vdtype, 0, (uint64_t)e->vals[0], false, sym, sizeof(sym));
			fprintf(fp, "  %-50s", sym);
			return;
		}
		fprintf(fp, " %16lld", (long long)(e->vals[0] / norm));
	}
}

struct llq_le {
	long double	*le;
	uint32_t	prev;
};

static void llq_le_bin(void *arg, uint32_t bin, int64_t value)
{
	struct llq_le *p = arg;

	/* bucket bin starts at value: the one before it ends just below */
	p->le[bin - 1] = (long double)value - 1;
	p->prev = bin;
}

void kt_agg_bucket_le(const struct ktrace_agg_desc *ad, uint32_t n, long double *le)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		le[i] = INFINITY;
	if (!n)
		return;
	switch (ad->func) {
	case KTRACE_AGG_QUANTIZE:
		/* bucket ZERO + k (k > 0) holds [2^(k-1), 2^k - 1]; ZERO - k holds
		 * [-(2^k - 1), -2^(k-1)]: integers, so these bounds are exact */
		for (i = 0; i + 1 < n; i++) {
			if (i < KTRACE_QUANTIZE_ZERO)
				le[i] = qbucket_val((int)i);
			else
				le[i] = i == KTRACE_QUANTIZE_ZERO ? 0 :
					ldexpl(1, (int)(i - KTRACE_QUANTIZE_ZERO)) - 1;
		}
		break;
	case KTRACE_AGG_LQUANTIZE:
		/* 0: below base; 1..levels: [base + (i-1) step, base + i step - 1] */
		for (i = 0; i + 1 < n; i++)
			le[i] = (long double)ad->params[0] + (long double)i * ad->params[2] - 1;
		break;
	case KTRACE_AGG_LLQUANTIZE: {
		struct llq_le p = { .le = le };
		int64_t top;

		if (n < 2)
			break;
		top = llq_walk(ad->params, n, llq_le_bin, &p);
		le[n - 2] = (long double)top - 1;
		break;
	}
	default:
		break;
	}
}
