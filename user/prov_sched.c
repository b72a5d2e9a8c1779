// SPDX-License-Identifier: GPL-2.0
/*
 * prov_sched.c: the sched provider, one of DTrace's stable providers:
 * the CPU scheduler: on-cpu, off-cpu, sleep, preempt, wakeup, change-pri (module/prov_sched.c).
 * Its probes are the "sched" entries of uapi/linux/ktrace_stable.h, created
 * by the module at load (those this kernel can fire) and listed by its
 * registry.
 */
#include "prov.h"

const struct kt_provider kt_prov_sched = {
	.name		= "sched",
	.flags		= KT_PROV_KERNEL,
};
KT_PROVIDER(100, kt_prov_sched);
