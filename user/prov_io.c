// SPDX-License-Identifier: GPL-2.0
/*
 * prov_io.c: the io provider, one of DTrace's stable providers:
 * block I/O requests: start and done (module/prov_io.c).
 * Its probes are the "io" entries of uapi/linux/ktrace_stable.h, created
 * by the module at load (those this kernel can fire) and listed by its
 * registry.
 */
#include "prov.h"

const struct kt_provider kt_prov_io = {
	.name		= "io",
	.flags		= KT_PROV_KERNEL,
};
KT_PROVIDER(110, kt_prov_io);
