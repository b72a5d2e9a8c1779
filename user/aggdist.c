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
 * llquantize's buckets (module/agg.c, DTrace for Linux's layout): n = 2 O + 1
 * values, [0] v <= -factor^(high+1), [1 .. O-1] the negative steps from the
 * most negative, [O] |v| < factor^low, [O+1 .. 2O-1] the positive steps,
 * [2O] v >= factor^(high+1).  llq_steps() fills b[0 .. O-2] with the lower
 * bounds of the positive steps (the rows DTrace prints) and returns O - 1;
 * *lo = factor^low, *top = factor^(high+1) (saturated).
 */
static uint32_t llq_steps(const __s64 *pa, uint32_t n, int64_t *b, int64_t *lo_out,
			  int64_t *top)
{
	int64_t factor = pa[0], nsteps = pa[3], lo = 1, hi, nb, w, skip, k, order;
	uint32_t np = n >= 3 ? (n - 1) / 2 - 1 : 0, i = 0;

	for (order = 0; order < pa[1] && lo < INT64_MAX; order++)
		lo = llq_mul(lo, factor);
	*lo_out = lo;
	for (order = pa[1]; order <= pa[2] && i < np; order++) {
		hi = llq_mul(lo, factor);
		nb = hi < nsteps ? hi : nsteps;
		w = hi / nb;
		skip = lo / w;
		for (k = 0; k < nb - skip && i < np; k++)
			b[i++] = k == 0 ? lo : (skip + k) * w;
		lo = hi;
	}
	*top = lo;
	return np;
}

/*
 * The value of each of the n buckets, as DTrace labels its row: the
 * step's lower bound (negated below the middle), 0 for the middle,
 * -factor^(high+1) and factor^(high+1) for the ends.  0 or -1 (no memory).
 */
int kt_agg_llq_values(const __s64 *pa, uint32_t n, int64_t *val)
{
	int64_t *b, lo, top;
	uint32_t np, mid, i;

	if (n < 3) {
		for (i = 0; i < n; i++)
			val[i] = 0;
		return 0;
	}
	b = malloc(((n - 1) / 2) * sizeof(*b));
	if (!b)
		return -1;
	np = llq_steps(pa, n, b, &lo, &top);
	mid = np + 1;
	val[0] = -top;
	for (i = 1; i < mid; i++)
		val[i] = -b[mid - 1 - i];
	val[mid] = 0;
	for (i = mid + 1; i < 2 * mid; i++)
		val[i] = b[i - mid - 1];
	val[2 * mid] = top;
	free(b);
	return 0;
}

static int64_t llq_lowbound(const __s64 *pa)
{
	int64_t value = 1, order;

	for (order = 0; order < pa[1] && value < INT64_MAX; order++)
		value = llq_mul(value, pa[0]);
	return value;
}

/* DTrace's llquantize output: a row per bucket from the one before the first used to the one after the last. */
void kt_print_llquantize(FILE *fp, const int64_t *v, uint32_t n, const __s64 *params,
			 int64_t normal)
{
	uint32_t first = 0, last, mid, i;
	int64_t *val;
	long double total;
	bool pos, neg;
	char c[48];

	if (n < 3)
		return;
	val = malloc(n * sizeof(*val));
	if (!val || kt_agg_llq_values(params, n, val) < 0) {
		free(val);
		return;
	}
	mid = (n - 1) / 2;
	last = n - 1;
	while (first < n && v[first] == 0)
		first++;
	if (first == n) {
		/* no data (cleared, or weights that cancel): as DTrace, 0 and the two rows above */
		first = mid;
		last = mid + 2 < n ? mid + 2 : n - 1;
	} else {
		if (first > 0)
			first--;
		while (last > 0 && v[last] == 0)
			last--;
		if (last < n - 1)
			last++;
	}
	bar_stats(v, (int)first, (int)last, &total, &pos, &neg);
	dist_header(fp);
	for (i = first; i <= last; i++) {
		if (i == 0)
			snprintf(c, sizeof(c), "<= %lld", (long long)val[0]);
		else if (i == n - 1)
			snprintf(c, sizeof(c), ">= %lld", (long long)val[i]);
		else if (i == mid && llq_lowbound(params) > 1)
			snprintf(c, sizeof(c), "abs() < %lld", (long long)llq_lowbound(params));
		else
			snprintf(c, sizeof(c), "%lld", (long long)val[i]);
		fprintf(fp, "%16s ", c);
		quantline(fp, v[i], normal, total, pos, neg);
	}
	free(val);
}

/* DTrace sorts llquantize by the sum of count x bucket value. */
static long double llq_sortval(const __s64 *pa, const int64_t *v, uint32_t n)
{
	int64_t *val = malloc(n * sizeof(*val));
	long double s = 0;

	if (!val || kt_agg_llq_values(pa, n, val) < 0) {
		free(val);
		return 0;
	}
	for (uint32_t i = 0; i < n; i++)
		s += (long double)v[i] * (long double)val[i];
	free(val);
	return s;
}

/*
 * DTrace's tie-break of two distributions of the same sort value: the
 * weight in the bucket that holds zero (none: 0, a tie).
 */
int64_t kt_agg_zeroweight(const struct ktrace_agg_desc *ad, const struct kt_aggent *e)
{
	switch (ad->func) {
	case KTRACE_AGG_QUANTIZE:
		return e->nvals > KTRACE_QUANTIZE_ZERO ? e->vals[KTRACE_QUANTIZE_ZERO] : 0;
	case KTRACE_AGG_LQUANTIZE: {
		int64_t base = ad->params[0], step = ad->params[2];
		uint32_t levels = e->nvals - 2;

		if (base > 0 || e->nvals < 2 || step <= 0)
			return 0;
		if ((uint64_t)-base / (uint64_t)step >= levels)
			return 0;
		return e->vals[(uint64_t)-base / (uint64_t)step + 1];
	}
	case KTRACE_AGG_LLQUANTIZE:
		return e->nvals >= 3 ? e->vals[(e->nvals - 1) / 2] : 0;
	default:
		return 0;
	}
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
		/* a negative step holds (-next, -lower]: its value; the middle
		 * up to factor^low - 1; a positive step up to the next one - 1 */
		int64_t *val = malloc(n * sizeof(*val));
		uint32_t mid = (n - 1) / 2;

		if (n < 3 || !val || kt_agg_llq_values(ad->params, n, val) < 0) {
			free(val);
			break;
		}
		for (i = 0; i < mid; i++)
			le[i] = (long double)val[i];
		le[mid] = (long double)llq_lowbound(ad->params) - 1;
		for (i = mid + 1; i + 1 < n; i++)
			le[i] = (long double)val[i + 1] - 1;
		free(val);
		break;
	}
	default:
		break;
	}
}
