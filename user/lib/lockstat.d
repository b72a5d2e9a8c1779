/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lockstat.d: the lockstat provider's arguments (module/prov_lockstat.c
 * fires them; docs/providers.md): arg0 the lock, as DTrace types it (a
 * mutex, a spinlock_t, an rwlock_t: struct rwlock, as DTrace names it; an
 * rw_semaphore for rw-block), arg1 the nanoseconds its waiter spun or
 * slept, an errno (adaptive-acquire-error) or RW_WRITER/RW_READER
 * (rw-acquire, rw-release), rw-block's and rw-spin's arg2 1 for a writer.
 * They are not translated: args[N] is argN with the type DTrace gives it.
 * On PREEMPT_RT kernels, adaptive-block's lock may be an rt_mutex or a
 * (sleeping) spinlock_t: each starts with the rt_mutex_base that a struct
 * mutex starts with there.
 */
#pragma D attributes Evolving/Evolving/ISA provider lockstat provider
#pragma D attributes Private/Private/Unknown provider lockstat module
#pragma D attributes Private/Private/Unknown provider lockstat function
#pragma D attributes Evolving/Evolving/ISA provider lockstat name
#pragma D attributes Evolving/Evolving/ISA provider lockstat args

/* the kernel's spinlock_t, as DTrace names the spin probes' lock */
typedef struct spinlock spinlock_t;

/* rw-acquire and rw-release args[1] (uapi/linux/ktrace_stable.h KTRACE_RW_*) */
inline int RW_WRITER = 0;
inline int RW_READER = 1;

provider lockstat {
	probe adaptive__acquire(struct mutex *lock);
	probe adaptive__acquire__error(struct mutex *lock, int err);
	probe adaptive__release(struct mutex *lock);
	probe adaptive__spin(struct mutex *lock, uint64_t ns);
	probe adaptive__block(struct mutex *lock, uint64_t ns);
	probe spin__acquire(spinlock_t *lock);
	probe spin__release(spinlock_t *lock);
	probe spin__spin(spinlock_t *lock, uint64_t ns);
	probe rw__acquire(struct rwlock *lock, int rw);
	probe rw__release(struct rwlock *lock, int rw);
	probe rw__spin(struct rwlock *lock, uint64_t ns, int writer);
	probe rw__block(struct rw_semaphore *lock, uint64_t ns, int writer);
};
