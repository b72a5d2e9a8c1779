// SPDX-License-Identifier: GPL-2.0
/*
 * prov_dtrace.c: the dtrace provider: BEGIN, END and ERROR (ids 1, 2, 3 in
 * the kernel's registry, which lists them).
 */
#include <string.h>

#include "prov.h"

static bool dtrace_bare(const char *name)
{
	return !strcmp(name, "BEGIN") || !strcmp(name, "END") || !strcmp(name, "ERROR");
}

const struct kt_provider kt_prov_dtrace = {
	.name		= "dtrace",
	.flags		= KT_PROV_KERNEL | KT_PROV_ANYCPU,
	.bare		= dtrace_bare,
	.attr		= (const struct kt_attr[KT_ATTR_NPARTS]) {
		KT_ATTR(STABLE, STABLE, COMMON), KT_ATTR(PRIVATE, PRIVATE, UNKNOWN),
		KT_ATTR(PRIVATE, PRIVATE, UNKNOWN), KT_ATTR(STABLE, STABLE, COMMON),
		KT_ATTR(STABLE, STABLE, COMMON) },
};
KT_PROVIDER(10, kt_prov_dtrace);
