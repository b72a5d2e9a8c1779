/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lockstat.d: the lockstat provider's arguments (module/prov_lockstat.c
 * fires them; docs/providers.md): the contended lock, the nanoseconds its
 * waiter spun or slept, and rw-block's kind of waiter.  They are not
 * translated: args[N] is argN with the type DTrace gives it.  On
 * PREEMPT_RT kernels, adaptive-block's lock may be an rt_mutex or a
 * (sleeping) spinlock_t: each starts with the rt_mutex_base that a struct
 * mutex starts with there.
 */
#pragma D attributes Evolving/Evolving/ISA provider lockstat provider
#pragma D attributes Private/Private/Unknown provider lockstat module
#pragma D attributes Private/Private/Unknown provider lockstat function
#pragma D attributes Evolving/Evolving/ISA provider lockstat name
#pragma D attributes Evolving/Evolving/ISA provider lockstat args

/* the kernel's spinlock_t, as DTrace names spin-spin's lock */
typedef struct spinlock spinlock_t;

provider lockstat {
	probe adaptive__spin(struct mutex *lock, uint64_t ns);
	probe adaptive__block(struct mutex *lock, uint64_t ns);
	probe spin__spin(spinlock_t *lock, uint64_t ns);
	probe rw__block(struct rw_semaphore *lock, uint64_t ns, int writer);
};
