// SPDX-License-Identifier: GPL-2.0
/*
 * dynvar.c: the dynamic variable space of a session (self-> variables
 * and associative arrays), carved out of one preallocated area:
 *
 *   struct ktrace_dynvars | u32 bucket[nbuckets] | heap of entries
 *
 * Entries (header, value, key) come from per-size-class free lists or,
 * while it lasts, from the untouched end of the heap.  A freed entry is
 * unlinked from its bucket and put on the dirty list; ktrace_dynvars_
 * clean() makes entries reusable only two calls later (dirty -> rinsing
 * -> free), so a CPU still using a slot it looked up before the free is
 * never handed a reused entry, given a grace period between calls.
 * Thread-local entries (self->) skip the dirty list: only their own
 * thread touches them, and it runs on one CPU at a time with interrupts
 * off during a firing, so nobody else can hold their slot.
 *
 * Locks: one, dv->lock, a raw arch spinlock (ktrace_env_lock/unlock),
 * taken by every get/free (probe context, interrupts off, any CPU) and
 * by clean (process context, which must disable interrupts around the
 * call in the kernel: env.c does).  Never held across anything but the
 * list operations; no other lock is taken under it.  Values are read and
 * written by the interpreter outside the lock (as in DTrace: concurrent
 * updates of one variable race benignly, never outside the entry).
 */
#include "vm.h"

#define DV_NCLASSES	24
#define DV_MINCLASS	64

enum { DV_FREE, DV_LIVE, DV_DIRTY };

struct dv_ent {
	u32	next;		/* offset of the next entry in its list, 0: end */
	u32	hash;
	u32	var;
	u32	keysize;
	u32	valsize;	/* rounded up to 8 */
	u8	cls;
	u8	state;
	u16	pad;
	/* value (valsize bytes), then key (keysize bytes) */
};

struct ktrace_dynvars {
	ktrace_lock_t	lock;
	u32		nbuckets;
	u32		buckets_off;
	u32		heap_off;	/* first byte of the heap */
	u64		heap_next;	/* first never-used byte */
	u64		size;
	u32		free[DV_NCLASSES];
	u32		dirty;		/* freed since the last clean() */
	u32		rinsing;	/* freed before the last clean() */
	u64		drops;		/* no room */
	u64		dirty_drops;	/* no room, but entries were waiting for clean() */
};

static inline struct dv_ent *ent_at(struct ktrace_dynvars *dv, u32 off)
{
	return (struct dv_ent *)((u8 *)dv + off);
}

int ktrace_dynvars_init(struct ktrace_dynvars **dvp, void *mem, size_t size)
{
	struct ktrace_dynvars *dv = mem;
	u32 nb = 16;

	if (size < KTRACE_DYNVARS_MIN || size > U32_MAX || ((uintptr_t)mem & 7))
		return -EINVAL;
	while ((size_t)nb * 2 * 4 * 64 <= size && nb < (1U << 22))
		nb *= 2;
	memset(dv, 0, sizeof(*dv));
	dv->lock = KTRACE_LOCK_INIT;
	dv->nbuckets = nb;
	dv->buckets_off = ALIGN((u32)sizeof(*dv), 8);
	dv->heap_off = ALIGN(dv->buckets_off + nb * 4, 8);
	dv->heap_next = dv->heap_off;
	dv->size = size;
	memset((u8 *)dv + dv->buckets_off, 0, nb * 4);
	*dvp = dv;
	return 0;
}

/*
 * Keys are a thread key and encoded tuple elements, whole words: hash and
 * compare them a word at a time (a byte loop, or a memcmp() call, costs
 * an emulated iteration per byte under QEMU TCG); a tail that is not a
 * whole word (no caller makes one) goes bytewise.
 */
static u32 dv_hash(u32 var, const u8 *key, u32 n)
{
	u64 h = 0x9e3779b97f4a7c15ULL ^ ((u64)var << 32), w;
	u32 i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, key + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ key[i]) * 0x100000001b3ULL;
	return (u32)(h ^ (h >> 31));
}

static __always_inline bool dv_keys_equal(const u8 *a, const u8 *b, u32 n)
{
	u64 x, y;
	u32 i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return false;
	}
	for (; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static u32 dv_alloc(struct ktrace_dynvars *dv, u64 need)
{
	u32 cls = 0, off;
	u64 csz = DV_MINCLASS;

	while (csz < need && cls < DV_NCLASSES - 1) {
		csz <<= 1;
		cls++;
	}
	if (csz < need)
		return 0;
	off = dv->free[cls];
	if (off) {
		dv->free[cls] = ent_at(dv, off)->next;
	} else {
		if (csz > dv->size - dv->heap_next)
			return 0;
		off = (u32)dv->heap_next;
		dv->heap_next += csz;
	}
	ent_at(dv, off)->cls = (u8)cls;
	return off;
}

void *ktrace_dynvar_get(struct ktrace_dynvars *dv, u32 var, const void *key,
			u32 keysize, u32 valsize, bool create)
{
	u32 hash = dv_hash(var, key, keysize), *bucket, off, vsz = ALIGN(valsize, 8);
	struct dv_ent *e;
	void *slot = NULL;

	bucket = (u32 *)((u8 *)dv + dv->buckets_off) + (hash & (dv->nbuckets - 1));
	ktrace_env_lock(&dv->lock);
	for (off = *bucket; off; off = e->next) {
		e = ent_at(dv, off);
		if (e->hash == hash && e->var == var && e->keysize == keysize &&
		    dv_keys_equal((u8 *)(e + 1) + e->valsize, key, keysize)) {
			slot = e + 1;
			goto unlock;
		}
	}
	if (!create)
		goto unlock;
	off = dv_alloc(dv, sizeof(*e) + (u64)vsz + keysize);
	if (!off) {
		if (dv->dirty || dv->rinsing)
			dv->dirty_drops++;
		else
			dv->drops++;
		goto unlock;
	}
	e = ent_at(dv, off);
	e->hash = hash;
	e->var = var;
	e->keysize = keysize;
	e->valsize = vsz;
	e->state = DV_LIVE;
	e->pad = 0;
	memset(e + 1, 0, vsz);
	memcpy((u8 *)(e + 1) + vsz, key, keysize);
	e->next = *bucket;
	*bucket = off;
	slot = e + 1;
unlock:
	ktrace_env_unlock(&dv->lock);
	return slot;
}

void ktrace_dynvar_free(struct ktrace_dynvars *dv, void *slot, bool reuse_now)
{
	struct dv_ent *e = (struct dv_ent *)slot - 1, *p;
	u32 off = (u32)((u8 *)e - (u8 *)dv), *link;

	ktrace_env_lock(&dv->lock);
	if (e->state != DV_LIVE)
		goto unlock;
	link = (u32 *)((u8 *)dv + dv->buckets_off) + (e->hash & (dv->nbuckets - 1));
	while (*link && *link != off) {
		p = ent_at(dv, *link);
		link = &p->next;
	}
	if (!*link)
		goto unlock;
	*link = e->next;
	if (reuse_now) {
		e->state = DV_FREE;
		e->next = dv->free[e->cls];
		dv->free[e->cls] = off;
	} else {
		e->state = DV_DIRTY;
		e->next = dv->dirty;
		dv->dirty = off;
	}
unlock:
	ktrace_env_unlock(&dv->lock);
}

void ktrace_dynvars_clean(struct ktrace_dynvars *dv)
{
	u32 off, next;

	ktrace_env_lock(&dv->lock);
	for (off = dv->rinsing; off; off = next) {
		struct dv_ent *e = ent_at(dv, off);

		next = e->next;
		e->state = DV_FREE;
		e->next = dv->free[e->cls];
		dv->free[e->cls] = off;
	}
	dv->rinsing = dv->dirty;
	dv->dirty = 0;
	ktrace_env_unlock(&dv->lock);
}

void ktrace_dynvars_counters(struct ktrace_dynvars *dv, u64 *drops, u64 *dirty_drops)
{
	*drops = READ_ONCE(dv->drops);
	*dirty_drops = READ_ONCE(dv->dirty_drops);
}

void ktrace_dynvars_region(const struct ktrace_dynvars *dv, struct ktrace_region *r)
{
	r->base = (uintptr_t)dv + dv->heap_off;
	r->size = dv->size - dv->heap_off;
}

bool ktrace_dynvars_contains(const struct ktrace_dynvars *dv, uintptr_t addr, size_t len)
{
	struct ktrace_region r;

	ktrace_dynvars_region(dv, &r);
	return addr >= r.base && len <= r.size && addr - r.base <= r.size - len;
}
