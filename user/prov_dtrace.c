// SPDX-License-Identifier: GPL-2.0
/*
 * prov_dtrace.c: the dtrace provider: BEGIN, END and ERROR (ids 1, 2, 3 in
 * the kernel's registry, which lists them).
 */
#include "prov.h"

const struct kt_provider kt_prov_dtrace = {
	.name		= "dtrace",
	.flags		= KT_PROV_KERNEL,
};
