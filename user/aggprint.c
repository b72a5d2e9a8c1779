// SPDX-License-Identifier: GPL-2.0
/*
 * aggprint.c: the consumer's aggregation table (merged from every CPU's
 * snapshot copy), the consumer-side aggregation actions (clear, trunc,
 * normalize) and printing exactly as DTrace prints aggregations.
 */
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "cli.h"
#include "vm.h"

/* a * b saturating at INT64_MAX (a, b > 0) */
static int64_t llq_mul(int64_t a, int64_t b)
{
	return a > INT64_MAX / b ? INT64_MAX : a * b;
}

/*
 * Values per entry of an aggregation: the kernel's own layout function
 * (module/agg.c, compiled into the CLI too), so the two cannot disagree.
 */
uint32_t kt_agg_nvals(const struct ktrace_agg_desc *ad)
{
	return ktrace_agg_nvals(ad);
}

/* --------------------------------------------------------------- table --- */

static uint32_t hash_key(uint32_t agg, const uint8_t *key, uint32_t n)
{
	uint32_t h = 2166136261u ^ agg;
	uint32_t i;

	for (i = 0; i < n; i++) {
		h ^= key[i];
		h *= 16777619u;
	}
	return h;
}

int kt_aggtab_init(struct kt_aggtab *t, const struct kt_prog *p)
{
	uint32_t i;

	memset(t, 0, sizeof(*t));
	t->prog = p;
	t->nbuckets = 1024;
	t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
	t->normal = calloc(p->naggs + 1, sizeof(*t->normal));
	t->printed = calloc(p->naggs + 1, sizeof(*t->printed));
	t->drops = calloc(KTRACE_MAX_CPUS, sizeof(*t->drops));
	if (!t->buckets || !t->normal || !t->printed || !t->drops)
		return -1;
	for (i = 0; i < p->naggs; i++)
		t->normal[i] = 1;
	return 0;
}

void kt_aggtab_free(struct kt_aggtab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i]->key);
		free(t->v[i]->vals);
		free(t->v[i]);
	}
	free(t->v);
	free(t->buckets);
	free(t->normal);
	free(t->printed);
	free(t->drops);
	memset(t, 0, sizeof(*t));
}

static int key_types(const struct kt_prog *p, uint32_t agg, int i, int *enc, int *dtype)
{
	const struct ktrace_agg_desc *ad = &p->aggs[agg];

	*enc = ad->key_types[i];
	*dtype = p->agg_key_dtypes ? p->agg_key_dtypes[agg][i] : KT_DT_S64;
	if (kt_dtype_enc(*dtype) != *enc) {
		/* the display type must agree with the encoding */
		*dtype = *enc == KTRACE_TYPE_STRING ? KT_DT_STRING :
			 *enc == KTRACE_TYPE_STACK ? KT_DT_STACK :
			 *enc == KTRACE_TYPE_USTACK ? KT_DT_USTACK : KT_DT_S64;
	}
	return 0;
}

static int decode_keys(const struct kt_prog *p, struct kt_aggent *e)
{
	const struct ktrace_agg_desc *ad = &p->aggs[e->agg];
	uint32_t off = 0;
	int i, n, enc, dtype;

	for (i = 0; i < ad->nkeys && i < KTRACE_MAX_KEYS; i++) {
		key_types(p, e->agg, i, &enc, &dtype);
		n = kt_decode_val(e->key + off, e->keysize - off, enc, dtype, &e->keys[i]);
		if (n < 0)
			return -1;
		off += n;
	}
	e->nkeys = kt_vals_fold_upid(e->keys, i);
	return off == e->keysize ? 0 : -1;
}

static void merge_vals(const struct ktrace_agg_desc *ad, int64_t *dst, const int64_t *src,
		       uint32_t n)
{
	uint64_t lo;
	uint32_t i;

	switch (ad->func) {
	case KTRACE_AGG_MIN:
		if (src[0] < dst[0])
			dst[0] = src[0];
		return;
	case KTRACE_AGG_MAX:
		if (src[0] > dst[0])
			dst[0] = src[0];
		return;
	case KTRACE_AGG_STDDEV:
		dst[0] += src[0];
		dst[1] += src[1];
		lo = (uint64_t)dst[2] + (uint64_t)src[2];
		dst[3] = (int64_t)((uint64_t)dst[3] + (uint64_t)src[3] + (lo < (uint64_t)dst[2]));
		dst[2] = (int64_t)lo;
		return;
	default:
		for (i = 0; i < n; i++)
			dst[i] += src[i];
	}
}

/* Merge one entry whose key is final. */
struct kt_aggent *kt_agg_find(const struct kt_aggtab *t, uint32_t agg, const uint8_t *key,
			      uint32_t keysize)
{
	uint32_t h = hash_key(agg, key, keysize);
	struct kt_aggent *e;

	for (e = t->buckets[h & (t->nbuckets - 1)]; e; e = e->hnext)
		if (e->hash == h && e->agg == agg && e->keysize == keysize &&
		    !memcmp(e->key, key, keysize))
			return e;
	return NULL;
}

static int merge_key(struct kt_aggtab *t, uint32_t agg, const uint8_t *key, uint32_t keysize,
		     const int64_t *vals, uint32_t nvals)
{
	const struct ktrace_agg_desc *ad = &t->prog->aggs[agg];
	struct kt_aggent *e;
	uint32_t h, b;

	h = hash_key(agg, key, keysize);
	b = h & (t->nbuckets - 1);
	e = kt_agg_find(t, agg, key, keysize);
	if (e) {
		merge_vals(ad, e->vals, vals, nvals);
		return 0;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return -1;
	e->agg = agg;
	e->keysize = keysize;
	e->hash = h;
	e->nvals = nvals;
	e->key = malloc(keysize ? keysize : 1);
	e->vals = malloc(nvals * sizeof(int64_t));
	if (!e->key || !e->vals)
		goto fail;
	memcpy(e->key, key, keysize);
	memcpy(e->vals, vals, nvals * sizeof(int64_t));
	if (decode_keys(t->prog, e) < 0)
		goto fail;
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 256;
		struct kt_aggent **nv = realloc(t->v, nc * sizeof(*nv));

		if (!nv)
			goto fail;
		t->v = nv;
		t->cap = nc;
	}
	t->v[t->n++] = e;
	e->hnext = t->buckets[b];
	t->buckets[b] = e;
	return 0;
fail:
	free(e->key);
	free(e->vals);
	free(e);
	return -1;
}

/*
 * usym()/ufunc() keys are by function and umod() keys by object, as in
 * DTrace: the addresses of a key are replaced by where their function (or
 * object) starts, looked up now, while the process lives.  *norm: a
 * malloc'd copy of key when it had some, else NULL.
 */
static int normalize_key(const struct kt_prog *p, uint32_t agg, const uint8_t *key,
			 uint32_t keysize, uint8_t **norm)
{
	const struct ktrace_agg_desc *ad = &p->aggs[agg];
	uint32_t off = 0;
	int64_t pid = 0;
	int i, n, enc, dtype;

	*norm = NULL;
	for (i = 0; i < ad->nkeys && i < KTRACE_MAX_KEYS; i++) {
		struct kt_val v;
		uint64_t a;

		key_types(p, agg, i, &enc, &dtype);
		n = kt_decode_val(key + off, keysize - off, enc, dtype, &v);
		if (n < 0)
			return -1;
		if (dtype == KT_DT_UPID) {
			pid = v.i;
		} else if (dtype == KT_DT_USYM || dtype == KT_DT_UMOD) {
			kt_upid_note((int)pid);
			a = dtype == KT_DT_USYM ? kt_usym_func((int)pid, (uint64_t)v.i) :
						  kt_umod_base((int)pid, (uint64_t)v.i);
			if (a != (uint64_t)v.i) {
				if (!*norm) {
					*norm = malloc(keysize);
					if (!*norm)
						return -1;
					memcpy(*norm, key, keysize);
				}
				memcpy(*norm + off, &a, sizeof(a));
			}
		}
		off += n;
	}
	return 0;
}

int kt_agg_merge(struct kt_aggtab *t, uint32_t agg, const uint8_t *key, uint32_t keysize,
		 const int64_t *vals, uint32_t nvals)
{
	const struct ktrace_agg_desc *ad;
	uint8_t *norm;
	int ret;

	if (agg >= t->prog->naggs)
		return -1;
	ad = &t->prog->aggs[agg];
	if (nvals != kt_agg_nvals(ad))
		return -1;
	if (normalize_key(t->prog, agg, key, keysize, &norm) < 0)
		return -1;
	if (norm) {
		ret = merge_key(t, agg, norm, keysize, vals, nvals);
		free(norm);
		return ret;
	}
	return merge_key(t, agg, key, keysize, vals, nvals);
}

int kt_agg_merge_copy(struct kt_aggtab *t, const void *base, uint64_t size, uint64_t *drops)
{
	const struct ktrace_agg_hdr *h = base;
	const uint8_t *p = base;
	uint64_t off, used;
	int bad = 0;

	if (size < sizeof(*h))
		return -1;
	used = __atomic_load_n(&h->used, __ATOMIC_ACQUIRE);
	if (used > size)
		used = size;
	if (drops)
		*drops = h->drops;
	for (off = h->entries_off; off + sizeof(struct ktrace_agg_ent) <= used;) {
		const struct ktrace_agg_ent *e = (const void *)(p + off);
		uint32_t nvals;

		if (e->size < sizeof(*e) + e->keysize || e->size % 8 || off + e->size > used)
			return -1;
		nvals = (e->size - sizeof(*e) - e->keysize) / 8;
		if (kt_agg_merge(t, e->agg, (const uint8_t *)(e + 1), e->keysize,
				 (const int64_t *)((const uint8_t *)(e + 1) + e->keysize), nvals) < 0)
			bad++;
		off += e->size;
	}
	return bad ? -1 : 0;
}

/* ------------------------------------------------------------ actions --- */

static void clear_vals(const struct ktrace_agg_desc *ad, struct kt_aggent *e)
{
	memset(e->vals, 0, e->nvals * sizeof(int64_t));
	if (ad->func == KTRACE_AGG_MIN)
		e->vals[0] = INT64_MAX;
	else if (ad->func == KTRACE_AGG_MAX)
		e->vals[0] = INT64_MIN;
}

void kt_agg_clear(struct kt_aggtab *t, uint32_t agg)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i]->agg == agg)
			clear_vals(&t->prog->aggs[agg], t->v[i]);
}

static void remove_entry(struct kt_aggtab *t, struct kt_aggent *e)
{
	struct kt_aggent **pp = &t->buckets[e->hash & (t->nbuckets - 1)];
	size_t i;

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	for (i = 0; i < t->n; i++)
		if (t->v[i] == e) {
			memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(*t->v));
			t->n--;
			break;
		}
	free(e->key);
	free(e->vals);
	free(e);
}

void kt_agg_trunc(struct kt_aggtab *t, uint32_t agg, int64_t n, const struct kt_cliopts *o)
{
	struct kt_cliopts o2 = *o;
	struct kt_aggent **s;
	size_t ns, i, keep;

	/* keep the n largest (n > 0) or the |n| smallest (n < 0) */
	o2.aggsortkey = false;
	o2.aggsortrev = n > 0;
	s = kt_agg_sorted(t, &agg, 1, &ns, &o2);
	if (!s)
		return;
	keep = (size_t)(n < 0 ? -n : n);
	for (i = keep; i < ns; i++)
		remove_entry(t, s[i]);
	free(s);
}

void kt_agg_normalize(struct kt_aggtab *t, uint32_t agg, int64_t normal)
{
	if (agg < t->prog->naggs)
		t->normal[agg] = normal ? normal : 1;
}

/* ------------------------------------------------------------ sorting --- */

static long double qbucket_val(int i)
{
	if (i < KTRACE_QUANTIZE_ZERO)
		return -(long double)(1ULL << (KTRACE_QUANTIZE_ZERO - 1 - i));
	if (i == KTRACE_QUANTIZE_ZERO)
		return 0;
	return (long double)(1ULL << (i - KTRACE_QUANTIZE_ZERO - 1));
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

static int cmp_val(const struct kt_val *a, const struct kt_val *b)
{
	uint32_t i;
	int r;

	if (a->enc != b->enc)
		return a->enc < b->enc ? -1 : 1;
	switch (a->enc) {
	case KTRACE_TYPE_INT:
		if ((uint64_t)a->i != (uint64_t)b->i)
			return (uint64_t)a->i < (uint64_t)b->i ? -1 : 1;
		return a->pid == b->pid ? 0 : a->pid < b->pid ? -1 : 1;	/* usym(): by process */
	case KTRACE_TYPE_STRING:
		r = strcmp(a->s, b->s);
		return r < 0 ? -1 : r > 0;
	default:
		if (a->pid != b->pid)
			return a->pid < b->pid ? -1 : 1;
		for (i = 0; i < a->depth && i < b->depth; i++)
			if (a->pcs[i] != b->pcs[i])
				return a->pcs[i] < b->pcs[i] ? -1 : 1;
		return a->depth == b->depth ? 0 : a->depth < b->depth ? -1 : 1;
	}
}

static int cmp_keys(const struct kt_aggent *a, const struct kt_aggent *b, int startpos)
{
	int i, n = a->nkeys < b->nkeys ? a->nkeys : b->nkeys, r, k;

	if (startpos < 0 || startpos >= n)
		startpos = 0;
	for (i = 0; i < n; i++) {
		k = (startpos + i) % n;
		r = cmp_val(&a->keys[k], &b->keys[k]);
		if (r)
			return r;
	}
	return a->nkeys - b->nkeys;
}

static const struct kt_aggtab *sort_tab;
static const struct kt_cliopts *sort_opts;

static int cmp_entries(const void *pa, const void *pb)
{
	const struct kt_aggent *a = *(struct kt_aggent *const *)pa;
	const struct kt_aggent *b = *(struct kt_aggent *const *)pb;
	const struct ktrace_agg_desc *ad;
	long double va, vb;
	int r = 0, vr;

	if (a->agg != b->agg)
		return a->agg < b->agg ? -1 : 1;
	ad = &sort_tab->prog->aggs[a->agg];
	va = kt_agg_sortval(ad, a);
	vb = kt_agg_sortval(ad, b);
	vr = va < vb ? -1 : va > vb;
	if (sort_opts->aggsortkey) {
		r = cmp_keys(a, b, sort_opts->aggsortkeypos);
		if (!r)
			r = vr;
	} else {
		r = vr;
		if (!r)
			r = cmp_keys(a, b, sort_opts->aggsortkeypos);
	}
	return sort_opts->aggsortrev ? -r : r;
}

struct kt_aggent **kt_agg_sorted(struct kt_aggtab *t, const uint32_t *aggs, int naggs,
				 size_t *np, const struct kt_cliopts *o)
{
	struct kt_aggent **s;
	size_t i, n = 0;
	int j;

	s = malloc((t->n + 1) * sizeof(*s));
	if (!s)
		return NULL;
	for (i = 0; i < t->n; i++)
		for (j = 0; j < naggs; j++)
			if (t->v[i]->agg == aggs[j]) {
				s[n++] = t->v[i];
				break;
			}
	sort_tab = t;
	sort_opts = o;
	qsort(s, n, sizeof(*s), cmp_entries);
	*np = n;
	return s;
}

/* ----------------------------------------------------------- printing --- */

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
		fprintf(fp, " %16lld", e->vals[0] ?
			(long long)(e->vals[1] / norm / e->vals[0]) : 0LL);
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

static void print_key(FILE *fp, const struct kt_val *k, const struct kt_cliopts *o)
{
	char sym[512];

	switch (k->enc) {
	case KTRACE_TYPE_STRING:
		fprintf(fp, "  %-50s", k->s);
		return;
	case KTRACE_TYPE_STACK:
	case KTRACE_TYPE_USTACK:
		kt_print_stack(fp, k, o->stackindent, NULL);
		return;
	}
	switch (k->dtype) {
	case KT_DT_SYM: case KT_DT_USYM: case KT_DT_MOD: case KT_DT_UMOD:
		kt_addr_text(k->dtype, k->pid, (uint64_t)k->i, false, sym, sizeof(sym));
		fprintf(fp, "  %-50s", sym);
		return;
	case KT_DT_S32: case KT_DT_U32:
		fprintf(fp, " %8d", (int32_t)k->i);
		return;
	/* as dtrace(1) (aggs/tst.signedkeys.r): 8- and 16-bit keys print unsigned */
	case KT_DT_S16: case KT_DT_U16:
		fprintf(fp, " %5u", (unsigned int)(uint16_t)k->i);
		return;
	case KT_DT_S8: case KT_DT_U8: case KT_DT_CHAR:
		fprintf(fp, " %3u", (unsigned int)(uint8_t)k->i);
		return;
	default:
		fprintf(fp, " %16lld", (long long)k->i);
	}
}

static void fill_data(struct kt_aggtab *t, struct kt_aggdata *d, const struct kt_aggent *e)
{
	d->ad = &t->prog->aggs[e->agg];
	d->e = e;
	d->normal = t->normal[e->agg];
	d->vdtype = t->prog->agg_val_dtype ? t->prog->agg_val_dtype[e->agg] : KT_DT_S64;
}

static struct kt_aggent *find_entry(struct kt_aggtab *t, uint32_t agg, const struct kt_aggent *like)
{
	uint32_t h = hash_key(agg, like->key, like->keysize);
	struct kt_aggent *e;

	for (e = t->buckets[h & (t->nbuckets - 1)]; e; e = e->hnext)
		if (e->hash == h && e->agg == agg && e->keysize == like->keysize &&
		    !memcmp(e->key, like->key, like->keysize))
			return e;
	return NULL;
}

/*
 * One line of a printa() of naggs aggregations (a joined printa when more
 * than one): an aggregation without e's key contributes a zero value, with
 * as many buckets as its function has (a quantize's distribution of zeros).
 */
static int print_entry(FILE *fp, struct kt_aggtab *t, const struct kt_aggent *e,
		       const uint32_t *aggs, int naggs, const char *fmt,
		       const struct kt_cliopts *o)
{
	struct kt_aggdata *d = calloc((size_t)naggs + 1, sizeof(*d));
	struct kt_aggent *zero = calloc((size_t)naggs, sizeof(*zero));
	int64_t **zvals = calloc((size_t)naggs, sizeof(*zvals));
	char err[128];
	int i, ret = -1;

	if (!d || !zero || !zvals)
		goto out;
	for (i = 0; i < naggs; i++) {
		const struct kt_aggent *x = aggs[i] == e->agg ? e : find_entry(t, aggs[i], e);

		if (!x) {
			uint32_t nv = kt_agg_nvals(&t->prog->aggs[aggs[i]]);

			zvals[i] = calloc(nv ? nv : 1, sizeof(int64_t));
			if (!zvals[i])
				goto out;
			zero[i] = *e;
			zero[i].agg = aggs[i];
			zero[i].vals = zvals[i];
			zero[i].nvals = nv;
			x = &zero[i];
		}
		fill_data(t, &d[i], x);
	}
	if (fmt) {
		if (kt_format(fp, fmt, e->keys, e->nkeys, d, o, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: printa(): %s\n", KT_PNAME, err);
			goto out;
		}
	} else {
		for (i = 0; i < e->nkeys; i++)
			print_key(fp, &e->keys[i], o);
		for (i = 0; i < naggs; i++)
			kt_agg_print_value(fp, &d[i], false);
		fputc('\n', fp);
	}
	ret = 0;
out:
	for (i = 0; zvals && i < naggs; i++)
		free(zvals[i]);
	free(zvals);
	free(zero);
	free(d);
	return ret;
}

int kt_agg_print(FILE *fp, struct kt_aggtab *t, const uint32_t *aggs, int naggs,
		 const char *fmt, const struct kt_cliopts *o)
{
	struct kt_aggent **s;
	size_t n, i;
	int pos = 0, j;
	uint32_t first;

	if (naggs <= 0)
		return 0;
	for (j = 0; j < naggs; j++) {
		if (aggs[j] >= t->prog->naggs)
			return -1;
		t->printed[aggs[j]] = true;
	}
	/* joined printa: entries of the aggsortpos'th aggregation lead */
	if (naggs > 1 && o->aggsortpos > 0 && o->aggsortpos < naggs)
		pos = o->aggsortpos;
	first = aggs[pos];
	if (!fmt)
		fputc('\n', fp);
	s = kt_agg_sorted(t, aggs, naggs, &n, o);
	if (!s)
		return -1;
	for (i = 0; i < n; i++) {
		const struct kt_aggent *e = s[i];

		if (naggs > 1 && e->agg != first) {
			/* only print keys not present in the leading aggregation */
			if (find_entry(t, first, e))
				continue;
			bool dup = false;
			for (j = 0; j < naggs && aggs[j] != e->agg; j++)
				if (aggs[j] != first && find_entry(t, aggs[j], e))
					dup = true;
			if (dup)
				continue;
		}
		if (print_entry(fp, t, e, aggs, naggs, fmt, o) < 0) {
			free(s);
			return -1;
		}
	}
	free(s);
	return 0;
}

bool kt_agg_pending(const struct kt_aggtab *t, uint32_t agg)
{
	size_t i;

	if (t->printed[agg])
		return false;
	for (i = 0; i < t->n; i++)
		if (t->v[i]->agg == agg)
			return true;
	return false;
}

int kt_agg_print_all(FILE *fp, struct kt_aggtab *t, const struct kt_cliopts *o)
{
	struct kt_aggent **s;
	uint32_t a;
	size_t i, n;

	for (a = 0; a < t->prog->naggs; a++) {
		if (!kt_agg_pending(t, a))
			continue;
		s = kt_agg_sorted(t, &a, 1, &n, o);
		if (!s)
			return -1;
		for (i = 0; i < n; i++)
			print_entry(fp, t, s[i], &a, 1, NULL, o);
		free(s);
	}
	return 0;
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
