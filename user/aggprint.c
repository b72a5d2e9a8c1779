// SPDX-License-Identifier: GPL-2.0
/*
 * aggprint.c: the consumer's aggregation table (merged from every CPU's
 * snapshot copy), the consumer-side aggregation actions (clear, trunc,
 * normalize), sorting and printa exactly as DTrace prints aggregations
 * (each value's own printing and sort value: aggdist.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/ioctl.h>
#include "cli.h"
#include "vm.h"

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
	t->cpu = -1;
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
		free(t->v[i]->pcpu);
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
			 *enc == KTRACE_TYPE_USTACK ? KT_DT_USTACK :
			 *enc == KTRACE_TYPE_USAMPLE ? KT_DT_USAMPLE : KT_DT_S64;
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

static void clear_vals(const struct ktrace_agg_desc *ad, int64_t *vals, uint32_t nvals);

/*
 * aggpercpu: E's values as the copy of CPU t->cpu gave them too, each CPU's
 * apart (a CPU with none has the function's empty value: min()'s INT64_MAX)
 */
static int merge_pcpu(struct kt_aggtab *t, const struct ktrace_agg_desc *ad,
		      struct kt_aggent *e, const int64_t *vals, uint32_t nvals)
{
	int c;

	if (!t->ncpus || t->cpu < 0 || t->cpu >= t->ncpus)
		return 0;
	if (!e->pcpu) {
		e->pcpu = malloc((size_t)t->ncpus * nvals * sizeof(int64_t));
		if (!e->pcpu)
			return -1;
		for (c = 0; c < t->ncpus; c++)
			clear_vals(ad, e->pcpu + (size_t)c * nvals, nvals);
	}
	merge_vals(ad, e->pcpu + (size_t)t->cpu * nvals, vals, nvals);
	return 0;
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
		return merge_pcpu(t, ad, e, vals, nvals);
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
	if (decode_keys(t->prog, e) < 0 || merge_pcpu(t, ad, e, vals, nvals) < 0)
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
	free(e->pcpu);
	free(e);
	return -1;
}

/* Append n bytes to the growing key *k (size *len, capacity *cap). */
static int key_append(uint8_t **k, size_t *len, size_t *cap, const void *src, size_t n)
{
	if (*len + n > *cap) {
		size_t nc = (*len + n) * 2;
		uint8_t *nk = realloc(*k, nc);

		if (!nk)
			return -1;
		*k = nk;
		*cap = nc;
	}
	memcpy(*k + *len, src, n);
	*len += n;
	return 0;
}

/*
 * usym()/ufunc() keys are by function and umod() keys by object, as in
 * DTrace: the addresses of a key are replaced by where their function (or
 * object) starts, looked up now, while the process lives.  A ustack() of
 * ustackmode=dwarf (a stack sample) is unwound now and kept as its frames,
 * so samples with the same frames are one key.  *norm: a malloc'd new
 * key (*normsize bytes) when it had some of these, else NULL.
 */
static int normalize_key(const struct kt_prog *p, uint32_t agg, const uint8_t *key,
			 uint32_t keysize, uint8_t **norm, uint32_t *normsize)
{
	const struct ktrace_agg_desc *ad = &p->aggs[agg];
	uint32_t off = 0;
	int64_t pid = 0;
	int i, n, enc, dtype;
	uint8_t *nk = NULL;
	size_t nlen = 0, ncap = 0;
	bool changed = false;

	*norm = NULL;
	for (i = 0; i < ad->nkeys && i < KTRACE_MAX_KEYS; i++) {
		key_types(p, agg, i, &enc, &dtype);
		if (enc == KTRACE_TYPE_USAMPLE || dtype == KT_DT_USYM || dtype == KT_DT_UMOD)
			break;
	}
	if (i == ad->nkeys || i == KTRACE_MAX_KEYS)
		return 0;	/* nothing to normalize */
	for (i = 0; i < ad->nkeys && i < KTRACE_MAX_KEYS; i++) {
		struct kt_val v;
		uint64_t a;
		uint8_t *u = NULL;
		size_t ulen = 0;

		key_types(p, agg, i, &enc, &dtype);
		if (enc == KTRACE_TYPE_USAMPLE) {
			n = kt_usample_unwound(key + off, keysize - off, dtype, &u, &ulen);
			if (n < 0)
				goto fail;
			changed = true;
			if (key_append(&nk, &nlen, &ncap, u, ulen) < 0) {
				free(u);
				goto fail;
			}
			free(u);
			off += n;
			continue;
		}
		n = kt_decode_val(key + off, keysize - off, enc, dtype, &v);
		if (n < 0)
			goto fail;
		if (key_append(&nk, &nlen, &ncap, key + off, n) < 0)
			goto fail;
		if (dtype == KT_DT_UPID) {
			pid = v.i;
		} else if (dtype == KT_DT_USYM || dtype == KT_DT_UMOD) {
			kt_upid_note((int)pid);
			a = dtype == KT_DT_USYM ? kt_usym_func((int)pid, (uint64_t)v.i) :
						  kt_umod_base((int)pid, (uint64_t)v.i);
			if (a != (uint64_t)v.i) {
				memcpy(nk + nlen - n, &a, sizeof(a));
				changed = true;
			}
		}
		off += n;
	}
	if (!changed || nlen > UINT32_MAX) {
		free(nk);
		return 0;
	}
	*norm = nk;
	*normsize = (uint32_t)nlen;
	return 0;
fail:
	free(nk);
	return -1;
}

int kt_agg_merge(struct kt_aggtab *t, uint32_t agg, const uint8_t *key, uint32_t keysize,
		 const int64_t *vals, uint32_t nvals)
{
	const struct ktrace_agg_desc *ad;
	uint8_t *norm;
	uint32_t normsize;
	int ret;

	if (agg >= t->prog->naggs)
		return -1;
	ad = &t->prog->aggs[agg];
	if (nvals != kt_agg_nvals(ad))
		return -1;
	if (normalize_key(t->prog, agg, key, keysize, &norm, &normsize) < 0)
		return -1;
	if (norm) {
		ret = merge_key(t, agg, norm, normsize, vals, nvals);
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

static void clear_vals(const struct ktrace_agg_desc *ad, int64_t *vals, uint32_t nvals)
{
	memset(vals, 0, nvals * sizeof(int64_t));
	if (ad->func == KTRACE_AGG_MIN)
		vals[0] = INT64_MAX;
	else if (ad->func == KTRACE_AGG_MAX)
		vals[0] = INT64_MIN;
}

void kt_agg_clear(struct kt_aggtab *t, uint32_t agg)
{
	size_t i;
	int c;

	for (i = 0; i < t->n; i++) {
		struct kt_aggent *e = t->v[i];

		if (e->agg != agg)
			continue;
		clear_vals(&t->prog->aggs[agg], e->vals, e->nvals);
		for (c = 0; e->pcpu && c < t->ncpus; c++)
			clear_vals(&t->prog->aggs[agg], e->pcpu + (size_t)c * e->nvals, e->nvals);
	}
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
	free(e->pcpu);
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
	if (!vr) {
		int64_t za = kt_agg_zeroweight(ad, a), zb = kt_agg_zeroweight(ad, b);

		vr = za < zb ? -1 : za > zb;
	}
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
 * aggpercpu: after an entry's line, each CPU's value as dtrace(1) shows it,
 * "    [CPU N]" and the value (every CPU the session has, from 0)
 */
static void print_pcpu(FILE *fp, const struct kt_aggtab *t, const struct kt_aggdata *d)
{
	struct kt_aggent one = *d->e;
	struct kt_aggdata dc = *d;
	int c;

	if (!d->e->pcpu)
		return;
	dc.e = &one;
	for (c = 0; c < t->ncpus; c++) {
		one.vals = d->e->pcpu + (size_t)c * d->e->nvals;
		fprintf(fp, "    [CPU %d]", c);
		kt_agg_print_value(fp, &dc, false);
		fputc('\n', fp);
	}
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
		if (o->aggpercpu && naggs == 1)
			print_pcpu(fp, t, &d[0]);
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

/*
 * What is left unprinted at the end, aggregation by aggregation in the
 * order they are defined; aggsortrev reverses that order too, as dtrace(1)'s
 * reversed sort compares the aggregations' ids as well (aggs/tst.signedkeyspos)
 */
int kt_agg_print_all(FILE *fp, struct kt_aggtab *t, const struct kt_cliopts *o)
{
	struct kt_aggent **s;
	uint32_t a, k;
	size_t i, n;

	for (k = 0; k < t->prog->naggs; k++) {
		a = o->aggsortrev ? t->prog->naggs - 1 - k : k;
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

/* ------------------------------------------------------------ snapshot --- */

int kt_sess_agg_snap(struct kt_sess *s)
{
	struct ktrace_aggsnap as = { .size = sizeof(as) };
	uint32_t c;
	int bad = 0;

	if (!s->p->naggs)
		return 0;
	if (ioctl(s->fd, KTRACE_IOC_AGGSNAP, &as) < 0) {
		kt_errmsg("failed to snapshot aggregations: %s\n", strerror(errno));
		return -1;
	}
	s->aggs.ncpus = s->out.o->aggpercpu ? (int)s->hdr->ncpus : 0;
	for (c = 0; c < s->hdr->ncpus; c++) {
		const struct ktrace_cpu_area *a = &s->hdr->cpu[c];
		uint64_t drops = 0, off = a->agg_off[as.readable & 1];

		if (!a->agg_size || off + a->agg_size > s->map_size)
			continue;
		s->aggs.cpu = (int)c;
		if (kt_agg_merge_copy(&s->aggs, (char *)s->map + off, a->agg_size, &drops) < 0)
			bad++;
		s->aggs.cpu = -1;
		/* the exporter's table of what this snapshot added (never cleared by the program) */
		if (s->delta &&
		    kt_agg_merge_copy(s->delta, (char *)s->map + off, a->agg_size, NULL) < 0)
			bad++;
		s->aggdrops_total += drops;
		/* each copy counts its own drops since it was emptied */
		kt_report_count(drops, "aggregation drop", (int)c);
	}
	if (bad)
		kt_errmsg("malformed aggregation data on %d CPU(s)\n", bad);
	return 0;
}
