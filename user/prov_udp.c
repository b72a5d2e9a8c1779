// SPDX-License-Identifier: GPL-2.0
/*
 * prov_udp.c: the udp provider, one of DTrace's stable providers: UDP
 * datagrams sent and received (module/prov_udp.c; user/lib/udp.d
 * translates their arguments).
 * Its probes are the "udp" entries of uapi/linux/ktrace_stable.h, created
 * by the module at load (those this kernel can fire) and listed by its
 * registry.
 */
#include "prov.h"

const struct kt_provider kt_prov_udp = {
	.name		= "udp",
	.flags		= KT_PROV_KERNEL,
};
KT_PROVIDER(125, kt_prov_udp);
