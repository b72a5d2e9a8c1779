// SPDX-License-Identifier: GPL-2.0
/*
 * The lockstat provider (DTrace's lock probes).
 *
 * Contention, on Linux's lock contention tracepoints contention_begin(lock,
 * flags) and contention_end(lock, ret), which the lock slow paths call:
 *   adaptive-spin   a mutex was contended and its waiter spun (optimistic
 *                   spinning); arg1 the nanoseconds spent spinning
 *   adaptive-block  a mutex was contended and its waiter slept (and on
 *                   PREEMPT_RT kernels an rt_mutex or a spinlock_t, which
 *                   are sleeping locks there); arg1 the nanoseconds slept
 *   spin-spin       a spinlock_t (queued spinlock) was contended; arg1 the
 *                   nanoseconds spent spinning
 *   rw-spin         an rwlock_t (queued rwlock) was contended; arg1 the
 *                   nanoseconds spent spinning, arg2 1 for a writer
 *   rw-block        an rw_semaphore was contended and its waiter slept; arg1
 *                   the nanoseconds, arg2 1 for a writer, 0 for a reader
 * arg0 is the lock's address.  Each fires in the waiter, when it has the
 * lock (contention_end).  A mutex waiter may spin, sleep, and spin again:
 * the times are summed per kind, and both probes fire for one acquisition
 * when it did both.
 *
 * Hold events, on the lock functions themselves (Linux has no tracepoint
 * for an uncontended lock): a kretprobe on each acquiring function fires
 * when it returns with the lock held (its entry keeps the lock's address
 * in the instance), a kprobe on each releasing function fires at its
 * entry, while the lock is still held:
 *   adaptive-acquire        mutex_lock, mutex_lock_interruptible and
 *                           mutex_lock_killable returning 0, mutex_trylock
 *                           returning 1 (with lockdep: their _nested
 *                           versions, _mutex_lock_nest_lock, mutex_lock_io_nested)
 *   adaptive-acquire-error  mutex_lock_interruptible or _killable gave up
 *                           (a signal); arg1 the negative errno
 *   adaptive-release        mutex_unlock
 *   spin-acquire            _raw_spin_lock{,_bh,_irq,_irqsave}, and
 *                           _raw_spin_trylock{,_bh} returning 1 (with lockdep
 *                           also _raw_spin_lock{,_irqsave}_nested,
 *                           _raw_spin_lock_nest_lock); on
 *                           PREEMPT_RT also rt_spin_lock, rt_spin_trylock
 *                           (spinlock_t there)
 *   spin-release            _raw_spin_unlock{,_bh,_irq,_irqrestore}; on
 *                           PREEMPT_RT rt_spin_unlock
 *   rw-acquire, rw-release  the same for rwlock_t (_raw_read_*, _raw_write_*;
 *                           rt_read_*, rt_write_* on PREEMPT_RT); arg1
 *                           KTRACE_RW_READER or KTRACE_RW_WRITER
 * Only the functions this kernel has are probed (each source is optional):
 * a lock or unlock the kernel inlines (spin_unlock() where the kernel's
 * configuration inlines it: PREEMPT_RT's _raw_spin_unlock) is not seen.
 *
 * Recursion: these hooks fire on the lock primitives, so probe context must
 * never take a lock through them.  It does not: ktrace's probe context
 * takes no kernel lock (the dynamic variables' lock is an arch_spinlock_t
 * taken directly, and the session wakeup is an irq_work), and kprobes
 * itself refuses to nest: a lock function hit while a kprobe handler runs
 * on the CPU only counts as missed (kprobe_running()), for kretprobes as
 * for kprobes.  A missed return (more acquirers at once than the
 * kretprobe's instances) is counted and logged at disable.
 *
 * The contention times come from pairing begin and end per (task, lock): a slot of
 * lk_slots[] holds one contention in flight.  The slot is claimed with a
 * cmpxchg on its task by that task, and read and written only by it (an
 * interrupt nesting a spinlock contention in a waiting task uses another
 * slot: its lock differs); more than LK_SLOTS contentions in flight at
 * once are not traced (lk_full counts them).
 * Locks and contexts: see stable.h.  The hooks run in lock slow paths and
 * lock functions, with or without preemption or interrupts: they take no lock.
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
	} else if (kind == (LK_F_SPIN | LK_F_READ) || kind == (LK_F_SPIN | LK_F_WRITE)) {
		/* rwlock_t: qrwlock's slow paths */
		kt_sp_fire(KTRACE_SP_LOCKSTAT_RW_SPIN, NULL, l, spin, !!(kind & LK_F_WRITE),
			   0, 0, 0);
	} else if (kind == LK_F_RT) {
		kt_sp_fire(KTRACE_SP_LOCKSTAT_ADAPTIVE_BLOCK, NULL, l, spin + block, 0, 0, 0, 0);
	} else if ((kind & (LK_F_READ | LK_F_WRITE)) && !(kind & (LK_F_SPIN | LK_F_PERCPU))) {
		/* rw_semaphore, or PREEMPT_RT's rwbase (LK_F_RT) */
		kt_sp_fire(KTRACE_SP_LOCKSTAT_RW_BLOCK, NULL, l, spin + block,
			   !!(kind & LK_F_WRITE), 0, 0, 0);
	}
	/* percpu_rw_semaphore and semaphore: no DTrace probe */
}

/*
 * A hold-event source's priv: the probe it fires (bits 0..7) and how
 * (LKH_*).  The hooks below read it from their kprobe's source.
 */
#define LKH_PROBE	0xffUL
#define LKH_TRY		(1UL << 8)	/* a trylock: acquired only when it returns 1 */
#define LKH_ERR		(1UL << 9)	/* non-zero return: adaptive-acquire-error */
#define LKH_READER	(1UL << 10)	/* rwlock_t: arg1 KTRACE_RW_READER */
#define LKH_WRITER	(1UL << 11)	/* rwlock_t: arg1 KTRACE_RW_WRITER */

/* kretprobe instances: a spinning acquirer holds one while it spins, a mutex's while it sleeps */
#define LKH_SPIN_ACTIVE	128
#define LKH_MUTEX_ACTIVE 1024

/*
 * Fire a hold event: the probe in f's bits 0..7 with the lock as arg0 and,
 * for an rwlock_t, the reader or writer as arg1.  Shared by the acquiring
 * functions' returns and the releasing functions' entries (probe context:
 * no lock, no sleep, no allocation).
 */
static __always_inline void lkh_fire(unsigned long f, struct pt_regs *regs,
				     unsigned long lock)
{
	u64 rw = 0;

	if (f & LKH_READER)
		rw = KTRACE_RW_READER;
	else if (f & LKH_WRITER)
		rw = KTRACE_RW_WRITER;
	kt_sp_fire(f & LKH_PROBE, regs, lock, rw, 0, 0, 0, 0);
}

/* Entry of an acquiring function: keep the lock (arg0) for the return. */
static int lkh_acq_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	unsigned long f = kt_sp_src_of_ri(ri)->priv;

	if (!kt_sp_on(f & LKH_PROBE) &&
	    !((f & LKH_ERR) && kt_sp_on(KTRACE_SP_LOCKSTAT_ADAPTIVE_ACQUIRE_ERROR)))
		return 1;	/* nothing enabled wants this return */
	*(unsigned long *)ri->data = regs_get_kernel_argument(regs, 0);
	return 0;
}
NOKPROBE_SYMBOL(lkh_acq_entry);

/* Return of an acquiring function: fire if it took the lock. */
static int lkh_acq_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	unsigned long f = kt_sp_src_of_ri(ri)->priv;
	unsigned long lock = *(unsigned long *)ri->data;
	int rv = (int)regs_return_value(regs);

	if ((f & LKH_TRY) && rv != 1)
		return 0;
	if ((f & LKH_ERR) && rv) {
		kt_sp_fire(KTRACE_SP_LOCKSTAT_ADAPTIVE_ACQUIRE_ERROR, regs, lock, (s64)rv,
			   0, 0, 0, 0);
		return 0;
	}
	lkh_fire(f, regs, lock);
	return 0;
}
NOKPROBE_SYMBOL(lkh_acq_ret);

/* Entry of a releasing function: the lock is still held. */
static int lkh_rel(struct kprobe *kp, struct pt_regs *regs)
{
	lkh_fire(kt_sp_src_of(kp)->priv, regs, regs_get_kernel_argument(regs, 0));
	return 0;
}
NOKPROBE_SYMBOL(lkh_rel);

#define LK_ACQ(fn, probe, flags, active)					\
	{ .name = fn, .is_kprobe = true, .is_kretprobe = true, .optional = true,	\
	  .entry = lkh_acq_entry, .ret = lkh_acq_ret,				\
	  .data_size = sizeof(unsigned long), .maxactive = active,		\
	  .priv = KTRACE_SP_LOCKSTAT_##probe | (flags) }
#define LK_REL(fn, probe, flags)						\
	{ .name = fn, .is_kprobe = true, .optional = true, .pre = lkh_rel,	\
	  .priv = KTRACE_SP_LOCKSTAT_##probe | (flags) }

enum {
	LS_BEGIN, LS_END,
	LS_MUTEX_FIRST, LS_MUTEX_ERR_FIRST = LS_MUTEX_FIRST + 5,
	LS_MUTEX_LAST = LS_MUTEX_ERR_FIRST + 3, LS_MUTEX_UNLOCK,
	LS_SPIN_FIRST, LS_SPIN_LAST = LS_SPIN_FIRST + 10,
	LS_SPIN_UNLOCK_FIRST, LS_SPIN_UNLOCK_LAST = LS_SPIN_UNLOCK_FIRST + 4,
	LS_RW_FIRST, LS_RW_LAST = LS_RW_FIRST + 14,
	LS_RW_UNLOCK_FIRST, LS_RW_UNLOCK_LAST = LS_RW_UNLOCK_FIRST + 9,
	LS_NR
};

static struct kt_sp_source lk_src[] = {
	[LS_BEGIN] = { .name = "contention_begin", .hook = lk_begin },
	[LS_END]   = { .name = "contention_end", .hook = lk_end },
	/*
	 * A kernel with lockdep (CONFIG_DEBUG_LOCK_ALLOC) has the _nested
	 * functions instead of mutex_lock, mutex_lock_interruptible and
	 * mutex_lock_killable; mutex_lock_io() is only probed there, elsewhere
	 * it calls mutex_lock()
	 */
	[LS_MUTEX_FIRST] =
	LK_ACQ("mutex_lock", ADAPTIVE_ACQUIRE, 0, LKH_MUTEX_ACTIVE),
	LK_ACQ("mutex_lock_nested", ADAPTIVE_ACQUIRE, 0, LKH_MUTEX_ACTIVE),
	LK_ACQ("_mutex_lock_nest_lock", ADAPTIVE_ACQUIRE, 0, LKH_MUTEX_ACTIVE),
	LK_ACQ("mutex_lock_io_nested", ADAPTIVE_ACQUIRE, 0, LKH_MUTEX_ACTIVE),
	LK_ACQ("mutex_trylock", ADAPTIVE_ACQUIRE, LKH_TRY, LKH_SPIN_ACTIVE),
	[LS_MUTEX_ERR_FIRST] =
	LK_ACQ("mutex_lock_interruptible", ADAPTIVE_ACQUIRE, LKH_ERR, LKH_MUTEX_ACTIVE),
	LK_ACQ("mutex_lock_killable", ADAPTIVE_ACQUIRE, LKH_ERR, LKH_MUTEX_ACTIVE),
	LK_ACQ("mutex_lock_interruptible_nested", ADAPTIVE_ACQUIRE, LKH_ERR, LKH_MUTEX_ACTIVE),
	[LS_MUTEX_LAST] =
	LK_ACQ("mutex_lock_killable_nested", ADAPTIVE_ACQUIRE, LKH_ERR, LKH_MUTEX_ACTIVE),
	[LS_MUTEX_UNLOCK] =
	LK_REL("mutex_unlock", ADAPTIVE_RELEASE, 0),
	[LS_SPIN_FIRST] =
	LK_ACQ("_raw_spin_lock", SPIN_ACQUIRE, 0, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_spin_lock_bh", SPIN_ACQUIRE, 0, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_spin_lock_irq", SPIN_ACQUIRE, 0, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_spin_lock_irqsave", SPIN_ACQUIRE, 0, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_spin_trylock", SPIN_ACQUIRE, LKH_TRY, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_spin_trylock_bh", SPIN_ACQUIRE, LKH_TRY, LKH_SPIN_ACTIVE),
	/* lockdep's (CONFIG_DEBUG_LOCK_ALLOC) */
	LK_ACQ("_raw_spin_lock_nested", SPIN_ACQUIRE, 0, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_spin_lock_irqsave_nested", SPIN_ACQUIRE, 0, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_spin_lock_nest_lock", SPIN_ACQUIRE, 0, LKH_SPIN_ACTIVE),
	/* PREEMPT_RT's spinlock_t, a sleeping lock: its waiters may be many */
	LK_ACQ("rt_spin_lock", SPIN_ACQUIRE, 0, LKH_MUTEX_ACTIVE),
	[LS_SPIN_LAST] =
	LK_ACQ("rt_spin_trylock", SPIN_ACQUIRE, LKH_TRY, LKH_SPIN_ACTIVE),
	[LS_SPIN_UNLOCK_FIRST] =
	LK_REL("_raw_spin_unlock", SPIN_RELEASE, 0),
	LK_REL("_raw_spin_unlock_bh", SPIN_RELEASE, 0),
	LK_REL("_raw_spin_unlock_irq", SPIN_RELEASE, 0),
	LK_REL("_raw_spin_unlock_irqrestore", SPIN_RELEASE, 0),
	[LS_SPIN_UNLOCK_LAST] =
	LK_REL("rt_spin_unlock", SPIN_RELEASE, 0),
	[LS_RW_FIRST] =
	LK_ACQ("_raw_read_lock", RW_ACQUIRE, LKH_READER, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_read_lock_bh", RW_ACQUIRE, LKH_READER, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_read_lock_irq", RW_ACQUIRE, LKH_READER, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_read_lock_irqsave", RW_ACQUIRE, LKH_READER, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_read_trylock", RW_ACQUIRE, LKH_READER | LKH_TRY, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_write_lock", RW_ACQUIRE, LKH_WRITER, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_write_lock_nested", RW_ACQUIRE, LKH_WRITER, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_write_lock_bh", RW_ACQUIRE, LKH_WRITER, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_write_lock_irq", RW_ACQUIRE, LKH_WRITER, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_write_lock_irqsave", RW_ACQUIRE, LKH_WRITER, LKH_SPIN_ACTIVE),
	LK_ACQ("_raw_write_trylock", RW_ACQUIRE, LKH_WRITER | LKH_TRY, LKH_SPIN_ACTIVE),
	LK_ACQ("rt_read_lock", RW_ACQUIRE, LKH_READER, LKH_MUTEX_ACTIVE),
	LK_ACQ("rt_read_trylock", RW_ACQUIRE, LKH_READER | LKH_TRY, LKH_SPIN_ACTIVE),
	LK_ACQ("rt_write_lock", RW_ACQUIRE, LKH_WRITER, LKH_MUTEX_ACTIVE),
	[LS_RW_LAST] =
	LK_ACQ("rt_write_trylock", RW_ACQUIRE, LKH_WRITER | LKH_TRY, LKH_SPIN_ACTIVE),
	[LS_RW_UNLOCK_FIRST] =
	LK_REL("_raw_read_unlock", RW_RELEASE, LKH_READER),
	LK_REL("_raw_read_unlock_bh", RW_RELEASE, LKH_READER),
	LK_REL("_raw_read_unlock_irq", RW_RELEASE, LKH_READER),
	LK_REL("_raw_read_unlock_irqrestore", RW_RELEASE, LKH_READER),
	LK_REL("_raw_write_unlock", RW_RELEASE, LKH_WRITER),
	LK_REL("_raw_write_unlock_bh", RW_RELEASE, LKH_WRITER),
	LK_REL("_raw_write_unlock_irq", RW_RELEASE, LKH_WRITER),
	LK_REL("_raw_write_unlock_irqrestore", RW_RELEASE, LKH_WRITER),
	LK_REL("rt_read_unlock", RW_RELEASE, LKH_READER),
	[LS_RW_UNLOCK_LAST] =
	LK_REL("rt_write_unlock", RW_RELEASE, LKH_WRITER),
};
static_assert(ARRAY_SIZE(lk_src) == LS_NR && LS_NR <= 64);

#define LS_RANGE(a, b)	GENMASK_ULL(b, a)
#define LS_CONTENTION	(BIT_ULL(LS_BEGIN) | BIT_ULL(LS_END))

static const struct kt_sp_need lk_need[] = {
	{ KTRACE_SP_LOCKSTAT_ADAPTIVE_SPIN,	LS_CONTENTION },
	{ KTRACE_SP_LOCKSTAT_ADAPTIVE_BLOCK,	LS_CONTENTION },
	{ KTRACE_SP_LOCKSTAT_SPIN_SPIN,		LS_CONTENTION },
	{ KTRACE_SP_LOCKSTAT_RW_BLOCK,		LS_CONTENTION },
	{ KTRACE_SP_LOCKSTAT_RW_SPIN,		LS_CONTENTION },
	{ KTRACE_SP_LOCKSTAT_ADAPTIVE_ACQUIRE,	LS_RANGE(LS_MUTEX_FIRST, LS_MUTEX_LAST) },
	{ KTRACE_SP_LOCKSTAT_ADAPTIVE_ACQUIRE_ERROR, LS_RANGE(LS_MUTEX_ERR_FIRST, LS_MUTEX_LAST) },
	{ KTRACE_SP_LOCKSTAT_ADAPTIVE_RELEASE,	BIT_ULL(LS_MUTEX_UNLOCK) },
	{ KTRACE_SP_LOCKSTAT_SPIN_ACQUIRE,	LS_RANGE(LS_SPIN_FIRST, LS_SPIN_LAST) },
	{ KTRACE_SP_LOCKSTAT_SPIN_RELEASE,
		LS_RANGE(LS_SPIN_UNLOCK_FIRST, LS_SPIN_UNLOCK_LAST) },
	{ KTRACE_SP_LOCKSTAT_RW_ACQUIRE,	LS_RANGE(LS_RW_FIRST, LS_RW_LAST) },
	{ KTRACE_SP_LOCKSTAT_RW_RELEASE,	LS_RANGE(LS_RW_UNLOCK_FIRST, LS_RW_UNLOCK_LAST) },
};

static void lk_exit_report(void)
{
	if (atomic_long_read(&lk_full))
		pr_info("ktrace: lockstat: %ld contentions not traced (more than %u at once)\n",
			atomic_long_read(&lk_full), LK_SLOTS);
}

KT_SP_DEFINE(kt_sp_lockstat, "lockstat", lk_src, lk_need, .exit_report = lk_exit_report);
KTRACE_PROVIDER(120, struct kt_sp_provider, kt_sp_lockstat, .prov);
