// SPDX-License-Identifier: GPL-2.0
/*
 * prov_proc.c: the proc provider, one of DTrace's stable providers:
 * process creation, exec, exit, thread start/exit and signals (module/prov_proc.c).
 * Its probes are the "proc" entries of uapi/linux/ktrace_stable.h, created
 * by the module at load (those this kernel can fire) and listed by its
 * registry.
 */
#include "prov.h"

const struct kt_provider kt_prov_proc = {
	.name		= "proc",
	.flags		= KT_PROV_KERNEL,
};
KT_PROVIDER(90, kt_prov_proc);
