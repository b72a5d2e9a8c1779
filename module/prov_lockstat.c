// SPDX-License-Identifier: GPL-2.0
/*
 * The lockstat provider (DTrace's lock contention probes) on Linux's lock
 * contention tracepoints, contention_begin(lock, flags) and
 * contention_end(lock, ret), which the lock slow paths call:
 *   adaptive-spin   a mutex was contended and its waiter spun (optimistic
 *                   spinning); arg1 the nanoseconds spent spinning
 *   adaptive-block  a mutex was contended and its waiter slept (and on
 *                   PREEMPT_RT kernels an rt_mutex or a spinlock_t, which
 *                   are sleeping locks there); arg1 the nanoseconds slept
 *   spin-spin       a spinlock_t (queued spinlock) was contended; arg1 the
 *                   nanoseconds spent spinning
 *   rw-block        an rw_semaphore was contended and its waiter slept; arg1
 *                   the nanoseconds, arg2 1 for a writer, 0 for a reader
 * arg0 is the lock's address.  Each fires in the waiter, when it has the
 * lock (contention_end).  A mutex waiter may spin, sleep, and spin again:
 * the times are summed per kind, and both probes fire for one acquisition
 * when it did both.
 *
 * The times come from pairing begin and end per (task, lock): a slot of
 * lk_slots[] holds one contention in flight.  The slot is claimed with a
 * cmpxchg on its task by that task, and read and written only by it (an
 * interrupt nesting a spinlock contention in a waiting task uses another
 * slot: its lock differs); more than LK_SLOTS contentions in flight at
 * once are not traced (lk_full counts them).
 * Locks and contexts: see stable.h.  The hooks run in lock slow paths,
 * with or without preemption: they take no lock.
 */
#include <linux/module.h>
#include <linux/hash.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/atomic.h>

#include "stable.h"

/* trace/events/lock.h's contention_begin flags */
#define LK_F_SPIN	(1U << 0)
#define LK_F_READ	(1U << 1)
#define LK_F_WRITE	(1U << 2)
#define LK_F_RT		(1U << 3)
#define LK_F_PERCPU	(1U << 4)
#define LK_F_MUTEX	(1U << 5)

#define LK_SLOTS_BITS	10
#define LK_SLOTS	(1U << LK_SLOTS_BITS)
#define LK_PROBE	8	/* slots tried from the hashed one */

struct lk_slot {
	struct task_struct	*task;		/* owner; NULL: free */
	void			*lock;
	u64			since;		/* start of the current phase */
	u64			spin, block;	/* ns so far */
	unsigned int		kind;		/* flags of the first begin */
	bool			spinning;	/* current phase */
};

static struct lk_slot lk_slots[LK_SLOTS];
static atomic_long_t lk_full;

enum { LS_BEGIN, LS_END };

static struct lk_slot *lk_find(void *lock, bool claim)
{
	struct task_struct *me = current;
	unsigned int h = hash_ptr((void *)((unsigned long)me ^ (unsigned long)lock),
				  LK_SLOTS_BITS), i;
	struct lk_slot *s;

	for (i = 0; i < LK_PROBE; i++) {
		s = &lk_slots[(h + i) & (LK_SLOTS - 1)];
		if (READ_ONCE(s->task) == me && s->lock == lock)
			return s;
	}
	if (!claim)
		return NULL;
	for (i = 0; i < LK_PROBE; i++) {
		s = &lk_slots[(h + i) & (LK_SLOTS - 1)];
		/*
		 * The claim (a full barrier) pairs with lk_end()'s release
		 * store of NULL: the last owner's reads of the slot are done
		 * before the stores below.
		 */
		if (!READ_ONCE(s->task) && !cmpxchg(&s->task, NULL, me)) {
			s->lock = lock;
			s->spin = 0;
			s->block = 0;
			s->kind = ~0U;
			s->since = 0;
			return s;
		}
	}
	atomic_long_inc(&lk_full);
	return NULL;
}

static void lk_account(struct lk_slot *s, u64 now)
{
	if (!s->since)
		return;
	if (s->spinning)
		s->spin += now - s->since;
	else
		s->block += now - s->since;
}

static void lk_begin(void *data, void *lock, unsigned int flags)
{
	u64 now = ktime_get_mono_fast_ns();
	struct lk_slot *s = lk_find(lock, true);

	if (!s)
		return;
	lk_account(s, now);
	if (s->kind == ~0U)
		s->kind = flags;
	s->spinning = flags & LK_F_SPIN;
	s->since = now;
}

static void lk_end(void *data, void *lock, int ret)
{
	u64 now = ktime_get_mono_fast_ns();
	struct lk_slot *s = lk_find(lock, false);
	unsigned long l = (unsigned long)lock;
	unsigned int kind;
	u64 spin, block;

	if (!s)
		return;
	lk_account(s, now);
	kind = s->kind;
	spin = s->spin;
	block = s->block;
	/* free the slot after reading it: pairs with lk_find()'s cmpxchg */
	smp_store_release(&s->task, NULL);
	if (ret)		/* interrupted, killed, timed out: not acquired */
		return;
	if (kind & LK_F_MUTEX) {
		if (spin)
			kt_sp_fire(KTRACE_SP_LOCKSTAT_ADAPTIVE_SPIN, NULL, l, spin, 0, 0, 0, 0);
		if (block)
			kt_sp_fire(KTRACE_SP_LOCKSTAT_ADAPTIVE_BLOCK, NULL, l, block, 0, 0, 0, 0);
	} else if (kind == LK_F_SPIN) {
		kt_sp_fire(KTRACE_SP_LOCKSTAT_SPIN_SPIN, NULL, l, spin, 0, 0, 0, 0);
	} else if (kind == LK_F_RT) {
		kt_sp_fire(KTRACE_SP_LOCKSTAT_ADAPTIVE_BLOCK, NULL, l, spin + block, 0, 0, 0, 0);
	} else if ((kind & (LK_F_READ | LK_F_WRITE)) && !(kind & (LK_F_SPIN | LK_F_PERCPU))) {
		/* rw_semaphore, or PREEMPT_RT's rwbase (LK_F_RT) */
		kt_sp_fire(KTRACE_SP_LOCKSTAT_RW_BLOCK, NULL, l, spin + block,
			   !!(kind & LK_F_WRITE), 0, 0, 0);
	}
	/* rwlock_t (spinning), percpu_rw_semaphore and semaphore: no DTrace probe */
}

static struct kt_sp_source lk_src[] = {
	[LS_BEGIN] = { .name = "contention_begin", .hook = lk_begin },
	[LS_END]   = { .name = "contention_end", .hook = lk_end },
};

static const struct kt_sp_need lk_need[] = {
	{ KTRACE_SP_LOCKSTAT_ADAPTIVE_SPIN,	BIT(LS_BEGIN) | BIT(LS_END) },
	{ KTRACE_SP_LOCKSTAT_ADAPTIVE_BLOCK,	BIT(LS_BEGIN) | BIT(LS_END) },
	{ KTRACE_SP_LOCKSTAT_SPIN_SPIN,		BIT(LS_BEGIN) | BIT(LS_END) },
	{ KTRACE_SP_LOCKSTAT_RW_BLOCK,		BIT(LS_BEGIN) | BIT(LS_END) },
};

static bool lk_match(const char *provname)
{
	return !strcmp(provname, "lockstat");
}

extern struct kt_sp_provider kt_sp_lockstat;	/* below: its callbacks name it */

static int lk_init(void)
{
	return kt_sp_init_provider(&kt_sp_lockstat);
}

static void lk_exit(void)
{
	kt_sp_exit_provider(&kt_sp_lockstat);
	if (atomic_long_read(&lk_full))
		pr_info("ktrace: lockstat: %ld contentions not traced (more than %u at once)\n",
			atomic_long_read(&lk_full), LK_SLOTS);
}

static int lk_populate(void)
{
	return kt_sp_populate_provider(&kt_sp_lockstat);
}

struct kt_sp_provider kt_sp_lockstat = {
	.prov	= KT_SP_PROVIDER("lockstat", lk_match, lk_init, lk_exit, lk_populate),
	.src	= lk_src,
	.nsrc	= ARRAY_SIZE(lk_src),
	.need	= lk_need,
	.nneed	= ARRAY_SIZE(lk_need),
};
KTRACE_PROVIDER(120, struct kt_sp_provider, kt_sp_lockstat, .prov);
