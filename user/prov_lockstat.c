// SPDX-License-Identifier: GPL-2.0
/*
 * prov_lockstat.c: the lockstat provider, one of DTrace's stable
 * providers: contended kernel locks, how long their waiters spun or slept
 * (module/prov_lockstat.c).
 * Its probes are the "lockstat" entries of uapi/linux/ktrace_stable.h,
 * created by the module at load (those this kernel can fire) and listed
 * by its registry.
 */
#include "prov.h"

const struct kt_provider kt_prov_lockstat = {
	.name		= "lockstat",
	.flags		= KT_PROV_KERNEL,
};
KT_PROVIDER(130, kt_prov_lockstat);
