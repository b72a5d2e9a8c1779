// SPDX-License-Identifier: GPL-2.0
/*
 * prov_tcp.c: the tcp provider, one of DTrace's stable providers:
 * TCP connections: state changes, connection requests, establishment and
 * refusals, segments sent and received (module/prov_tcp.c; user/lib/tcp.d
 * translates their arguments).
 * Its probes are the "tcp" entries of uapi/linux/ktrace_stable.h, created
 * by the module at load (those this kernel can fire) and listed by its
 * registry.
 */
#include "prov.h"

const struct kt_provider kt_prov_tcp = {
	.name		= "tcp",
	.flags		= KT_PROV_KERNEL,
};
KT_PROVIDER(120, kt_prov_tcp);
