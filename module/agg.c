// SPDX-License-Identifier: GPL-2.0
/*
 * agg.c: one CPU's aggregation copy (uapi struct ktrace_agg_hdr): a hash
 * of (aggregation, key) to entries appended linearly after the bucket
 * array, with DTrace's semantics for every aggregating function.
 *
 * Context: ktrace_agg_update() runs in probe context on the CPU that
 * owns the copy, interrupts disabled; ktrace_aggbuf_reset() runs on a
 * copy no CPU is updating (after the AGGSNAP flip).  No locks: a copy
 * has a single writer, and readers (user space) only read the inactive
 * copy.  No allocation: the copy's pages are mapped by the kernel's
 * growth work when an insert asks (struct ktrace_aggbuf's limit).
 */
#include "vm.h"

#define AGG_MIN_BUCKETS	16

/* Buckets of a copy of size bytes: about one per 64 bytes of entries. */
static u32 agg_nbuckets(size_t size)
{
	size_t room = size > sizeof(struct ktrace_agg_hdr) ? size - sizeof(struct ktrace_agg_hdr) : 0;
	u32 nb = AGG_MIN_BUCKETS;

	while ((size_t)nb * 2 * (4 + 64) <= room && nb < (1U << 24))
		nb *= 2;
	return nb;
}

size_t ktrace_agg_entries_off(size_t size)
{
	return ALIGN(sizeof(struct ktrace_agg_hdr) + (size_t)agg_nbuckets(size) * 4, 8);
}

void ktrace_aggbuf_reset(struct ktrace_aggbuf *ab)
{
	struct ktrace_agg_hdr *h = ab->hdr;
	u32 nb = agg_nbuckets(ab->size);

	memset(h, 0, sizeof(*h));
	h->nbuckets = nb;
	h->buckets_off = sizeof(*h);
	h->entries_off = ktrace_agg_entries_off(ab->size);
	if (h->entries_off > ab->size) {
		/* too small for anything: every update drops */
		h->nbuckets = 0;
		h->used = ab->size;
		return;
	}
	memset((u8 *)h + h->buckets_off, 0, nb * 4);
	h->used = h->entries_off;
}

/*
 * The smallest copy that holds one entry of each aggregation of p, its
 * keys at their smallest (8 bytes each); *agg is the aggregation with the
 * largest such entry.  0 without aggregations.  LOAD refuses a smaller
 * aggsize: some aggregation could never store anything.
 */
u64 ktrace_agg_min_size(const struct ktrace_prog *p, u32 *agg)
{
	u64 ent = 0, size, need;
	u32 i;

	for (i = 0; i < p->naggs; i++) {
		u64 e = sizeof(struct ktrace_agg_ent) + (u64)p->aggs[i].nkeys * 8 +
			(u64)p->agg_nvals[i] * 8;

		if (e > ent) {
			ent = e;
			*agg = i;
		}
	}
	if (!ent)
		return 0;
	/* more room can mean more buckets: grow until the entry fits */
	for (size = ktrace_agg_entries_off(0) + ent;
	     (need = ktrace_agg_entries_off(size) + ent) > size;)
		size = need;
	return size;
}

/* a * b saturating at S64_MAX (a, b > 0) */
static s64 mul_sat(s64 a, s64 b)
{
	return a > S64_MAX / b ? S64_MAX : a * b;
}

/*
 * llquantize, as DTrace for Linux lays it out: the bucket of a magnitude
 * m >= 0 among 0 (m < factor^low), 1..P (the steps of each order of
 * magnitude low..high) and P + 1 (m >= factor^(high+1)).  An order
 * [lo, hi) is cut at the multiples of w = hi / min(hi, nsteps): lo/w of
 * them lie below lo (steps >= factor: the previous order's; steps < factor,
 * w > lo: none, the first bucket runs from lo to w).  A value v is then in
 * bucket O + pos(v) when v >= 0 and O - pos(-v) when v < 0, O = P + 1 (the
 * middle bucket: |v| < factor^low); docs/buffers.md.
 */
static u32 llq_pos(const s64 *pa, u64 m)
{
	s64 factor = pa[0], low = pa[1], high = pa[2], nsteps = pa[3];
	s64 lo = 1, hi, order, nb, w, skip;
	u32 base = 1;

	for (order = 0; order < low && lo < S64_MAX; order++)
		lo = mul_sat(lo, factor);
	if (m < (u64)lo)
		return 0;
	for (order = low; order <= high; order++) {
		hi = mul_sat(lo, factor);
		nb = min(hi, nsteps);
		w = hi / nb;
		skip = lo / w;
		if (hi == S64_MAX && m >= (u64)hi)
			m = hi - 1;	/* the magnitude overflows: clamp into it */
		if (m < (u64)hi)
			return base + (u32)((s64)m / w - skip);
		base += (u32)(nb - skip);
		lo = hi;
	}
	return base;
}

u32 ktrace_agg_nvals(const struct ktrace_agg_desc *ad)
{
	switch (ad->func) {
	case KTRACE_AGG_AVG:
		return 2;
	case KTRACE_AGG_STDDEV:
		return 4;
	case KTRACE_AGG_QUANTIZE:
		return KTRACE_QUANTIZE_NBUCKETS;
	case KTRACE_AGG_LQUANTIZE:
		if (ad->params[2] <= 0 || ad->params[1] <= ad->params[0])
			return 2;
		return (u32)min_t(u64, ((u64)ad->params[1] - (u64)ad->params[0]) /
				  (u64)ad->params[2], 1U << 20) + 2;
	case KTRACE_AGG_LLQUANTIZE:
		if (ad->params[0] < 2 || ad->params[3] < 1)
			return 1;
		/* the middle bucket and both sides of it */
		return 2 * llq_pos(ad->params, S64_MAX) + 1;
	default:
		return 1;
	}
}

static u32 fls64_(u64 v)
{
	return v ? 64 - __builtin_clzll(v) : 0;
}

static void agg_apply(const struct ktrace_agg_desc *ad, u32 nvals, s64 *d,
		      s64 v, s64 w)
{
	const s64 *pa = ad->params;
	u32 b;

	switch (ad->func) {
	case KTRACE_AGG_COUNT:
		d[0]++;
		break;
	case KTRACE_AGG_SUM:
		d[0] = (s64)((u64)d[0] + (u64)v);
		break;
	case KTRACE_AGG_AVG:
		d[0]++;
		d[1] = (s64)((u64)d[1] + (u64)v);
		break;
	case KTRACE_AGG_MIN:
		if (v < d[0])
			d[0] = v;
		break;
	case KTRACE_AGG_MAX:
		if (v > d[0])
			d[0] = v;
		break;
	case KTRACE_AGG_STDDEV: {
		u64 a = v < 0 ? -(u64)v : (u64)v;
		unsigned __int128 sq = (unsigned __int128)a * a;
		unsigned __int128 acc = ((unsigned __int128)(u64)d[3] << 64) | (u64)d[2];

		acc += sq;
		d[0]++;
		d[1] = (s64)((u64)d[1] + (u64)v);
		d[2] = (s64)(u64)acc;
		d[3] = (s64)(u64)(acc >> 64);
		break;
	}
	case KTRACE_AGG_QUANTIZE:
		if (v > 0)
			b = KTRACE_QUANTIZE_ZERO + fls64_((u64)v);
		else if (v < 0)
			b = KTRACE_QUANTIZE_ZERO - min_t(u32, fls64_(-(u64)v),
							KTRACE_QUANTIZE_ZERO);
		else
			b = KTRACE_QUANTIZE_ZERO;
		d[b] += w;
		break;
	case KTRACE_AGG_LQUANTIZE:
		if (v < pa[0]) {
			b = 0;
		} else {
			u64 lvl = ((u64)v - (u64)pa[0]) / (u64)pa[2];

			b = lvl >= nvals - 2 ? nvals - 1 : (u32)lvl + 1;
		}
		d[b] += w;
		break;
	case KTRACE_AGG_LLQUANTIZE: {
		u32 mid = (nvals - 1) / 2;

		if (v >= 0)
			b = mid + min(llq_pos(pa, (u64)v), mid);
		else
			b = mid - min(llq_pos(pa, -(u64)v), mid);
		d[b] += w;
		break;
	}
	}
}

/* n is a multiple of 8 (ktrace_agg_update checks it first) */
static __always_inline u32 agg_hash(u32 agg, const u8 *key, u32 n)
{
	u64 h = 0xcbf29ce484222325ULL ^ agg, w;
	u32 i;

	for (i = 0; i < n; i += 8) {
		memcpy(&w, key + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	return (u32)(h ^ (h >> 32));
}

/*
 * Keys are whole words (keysize % 8 == 0 is checked first): compare them
 * word by word, inline (memcmp() is a call, and a byte loop).
 */
static __always_inline bool keys_equal(const void *a, const void *b, u32 n)
{
	u64 x, y;
	u32 i;

	for (i = 0; i < n; i += 8) {
		memcpy(&x, (const u8 *)a + i, 8);
		memcpy(&y, (const u8 *)b + i, 8);
		if (x != y)
			return false;
	}
	return true;
}

/*
 * A copy mapped as it fills (struct ktrace_aggbuf's limit): whether the
 * entries may end at 'end', asking for more room first when less than
 * half of the mapped entries' room would be left.  limit is read once:
 * the grower changes it (and hdr, before it) only from an IPI, which
 * cannot interrupt an update (irqs off); an NMI's update that interrupts
 * the IPI sees the new hdr with the old or the new limit, both mapped.
 */
static bool agg_mapped(struct ktrace_aggbuf *ab, u64 end)
{
	size_t limit = READ_ONCE(ab->limit);
	u64 start = ab->hdr->entries_off;

	if (!limit)
		return true;
	if (end > limit - (limit - start) / 2 && !READ_ONCE(ab->asked)) {
		WRITE_ONCE(ab->asked, 1);
		ab->grow(ab);
	}
	return end <= limit;
}

/*
 * The slow half of an update, out of line so that the lookup keeps few
 * registers: a new entry for (agg, key) at the end of the copy, linked
 * into its bucket, or a drop when the copy is full.
 */
static noinline int agg_insert(struct ktrace_aggbuf *ab, const struct ktrace_prog *prog,
			       u32 agg, const void *key, u32 keysize, s64 val, s64 weight,
			       u32 hash, u32 *bucket)
{
	struct ktrace_agg_hdr *h = ab->hdr;
	const struct ktrace_agg_desc *ad = &prog->aggs[agg];
	u32 nvals, off;
	struct ktrace_agg_ent *e;
	u8 *base = (u8 *)h;
	u64 esize;
	s64 *d;

	nvals = prog->agg_nvals[agg];
	esize = sizeof(*e) + keysize + (u64)nvals * 8;
	if (h->used > ab->size || esize > ab->size - h->used || h->used + esize > U32_MAX) {
		h->drops++;
		return -ENOSPC;
	}
	if (unlikely(ab->limit) && !agg_mapped(ab, h->used + esize)) {
		h->drops++;
		return -ENOSPC;
	}
	off = (u32)h->used;
	e = (struct ktrace_agg_ent *)(base + off);
	e->size = (u32)esize;
	e->hash = hash;
	e->agg = (u16)agg;
	e->keysize = (u16)keysize;
	memcpy(e + 1, key, keysize);
	d = (s64 *)((u8 *)(e + 1) + keysize);
	memset(d, 0, nvals * 8);
	if (ad->func == KTRACE_AGG_MIN)
		d[0] = S64_MAX;
	else if (ad->func == KTRACE_AGG_MAX)
		d[0] = S64_MIN;
	agg_apply(ad, nvals, d, val, weight);
	e->next = *bucket;
	h->used += esize;
	h->nentries++;
	/*
	 * The entry is complete before the bucket makes it reachable.  No
	 * reader follows buckets concurrently: only this CPU walks them (in
	 * program order), and user space reads a copy only after AGGSNAP
	 * flipped it away, which the on_each_cpu() of
	 * session_mem.c:ktrace_session_aggsnap orders (the IPI's completion
	 * is a release, its wait an acquire; user/aggprint.c:
	 * kt_agg_merge_copy reads after the ioctl returns).  So this pairs
	 * with no other barrier; it costs nothing on x86.
	 */
	smp_wmb();
	*bucket = off;
	return 0;
}

int ktrace_agg_update(struct ktrace_aggbuf *ab, const struct ktrace_prog *prog,
		      u32 agg, const void *key, u32 keysize, s64 val, s64 weight)
{
	struct ktrace_agg_hdr *h = ab->hdr;
	u32 hash, *bucket, off;
	struct ktrace_agg_ent *e;
	u8 *base = (u8 *)h;
	u64 tag, etag;
	s64 *d;

	/* hash, agg and keysize are one little-endian word of an entry */
	BUILD_BUG_ON(offsetof(struct ktrace_agg_ent, agg) != offsetof(struct ktrace_agg_ent, hash) + 4 ||
		     offsetof(struct ktrace_agg_ent, keysize) != offsetof(struct ktrace_agg_ent, hash) + 6);
	if (unlikely(keysize % 8 || keysize > 0xffff || !h->nbuckets)) {
		h->drops++;
		return -ENOSPC;
	}
	hash = agg_hash(agg, key, keysize);
	tag = hash | (u64)(u16)agg << 32 | (u64)keysize << 48;
	bucket = (u32 *)(base + h->buckets_off) + (hash & (h->nbuckets - 1));
	for (off = *bucket; off; off = e->next) {
		e = (struct ktrace_agg_ent *)(base + off);
		memcpy(&etag, (const u8 *)e + offsetof(struct ktrace_agg_ent, hash), 8);
		if (etag == tag && keys_equal(e + 1, key, keysize)) {
			const struct ktrace_agg_desc *ad = &prog->aggs[agg];

			d = (s64 *)((u8 *)(e + 1) + keysize);
			/* count() and sum(), the common ones, without a call */
			if (ad->func == KTRACE_AGG_COUNT)
				d[0]++;
			else if (ad->func == KTRACE_AGG_SUM)
				d[0] = (s64)((u64)d[0] + (u64)val);
			else
				agg_apply(ad, prog->agg_nvals[agg], d, val, weight);
			return 0;
		}
	}
	return agg_insert(ab, prog, agg, key, keysize, val, weight, hash, bucket);
}
