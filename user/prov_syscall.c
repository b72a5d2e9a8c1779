// SPDX-License-Identifier: GPL-2.0
/*
 * prov_syscall.c: the syscall provider: syscall::NAME:entry and :return for
 * every system call, created by the module at load and listed by its
 * registry (arg0..argN: the call's arguments, arg0/arg1 on return: the
 * return value, errno set).
 */
#include "prov.h"

const struct kt_provider kt_prov_syscall = {
	.name		= "syscall",
	.flags		= KT_PROV_KERNEL | KT_PROV_SYSCALLS,
	.attr		= (const struct kt_attr[KT_ATTR_NPARTS]) {
		KT_ATTR(EVOLVING, EVOLVING, COMMON), KT_ATTR(PRIVATE, PRIVATE, UNKNOWN),
		KT_ATTR(UNSTABLE, UNSTABLE, ISA), KT_ATTR(EVOLVING, EVOLVING, COMMON),
		KT_ATTR(UNSTABLE, UNSTABLE, ISA) },
};
KT_PROVIDER(20, kt_prov_syscall);
