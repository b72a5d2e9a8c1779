// SPDX-License-Identifier: GPL-2.0
/*
 * prov_ip.c: the ip provider, one of DTrace's stable providers: IPv4 and
 * IPv6 packets sent and received (module/prov_ip.c; user/lib/ip.d
 * translates their arguments).
 * Its probes are the "ip" entries of uapi/linux/ktrace_stable.h, created
 * by the module at load (those this kernel can fire) and listed by its
 * registry.
 */
#include "prov.h"

const struct kt_provider kt_prov_ip = {
	.name		= "ip",
	.flags		= KT_PROV_KERNEL,
};
KT_PROVIDER(115, kt_prov_ip);
