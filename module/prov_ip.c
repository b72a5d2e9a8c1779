// SPDX-License-Identifier: GPL-2.0
/*
 * The ip provider (DTrace's stable IP probes).  Linux has no tracepoint
 * per IP packet, so it probes the functions every packet passes with its
 * IP header built:
 *   send     kprobes on ip_output() (unicast IPv4), ip_mc_output() (IPv4
 *            multicast and broadcast) and ip6_output() (all IPv6): a
 *            packet handed to the device layer, before netfilter's
 *            POSTROUTING and before fragmentation (a datagram larger than
 *            the MTU, or a TSO/GSO packet, is one firing)
 *   receive  kprobes on ip_local_deliver() and ip6_input(): a packet for
 *            this host, after routing; IPv4 fragments fire one by one,
 *            before reassembly
 * Arguments in DTrace's order (pktinfo_t, csinfo_t, ipinfo_t, ifinfo_t,
 * ipv4info_t, ipv6info_t; uapi/linux/ktrace_stable.h): arg0 the struct
 * sk_buff *, arg1 its full socket (NULL: none, e.g. most received
 * packets), arg2 the IP header, arg3 the struct net_device * it leaves by
 * or came in on, arg4 the IPv4 header (NULL for IPv6), arg5 the IPv6
 * header (NULL for IPv4), arg7 KTRACE_NET_*.
 * Locks and contexts: see stable.h and netpkt.h.
 */
#include <linux/module.h>
#include <linux/netdevice.h>

#include "stable.h"
#include "netpkt.h"

enum { IS_OUT4, IS_MC4, IS_OUT6, IS_IN4, IS_IN6 };

static void ip_fire(enum ktrace_stable_probe id, struct pt_regs *regs, struct sk_buff *skb,
		    const struct net_device *dev, int dir)
{
	unsigned long iph;
	struct kt_pkt pk;

	if (!skb || !kt_pkt_parse(skb, &pk))
		return;
	iph = (unsigned long)pk.iph;
	kt_sp_fire8(id, regs, (unsigned long)skb, (unsigned long)kt_pkt_sock(skb->sk, 0, 0),
		    iph, (unsigned long)dev, pk.iph[0] >> 4 == 4 ? iph : 0,
		    pk.iph[0] >> 4 == 6 ? iph : 0, 0, dir);
}

/* ip_output(), ip_mc_output(), ip6_output(): (struct net *, struct sock *, struct sk_buff *) */
static int ip_xmit(struct kprobe *kp, struct pt_regs *regs)
{
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 2);

	if (skb && kt_sp_on(KTRACE_SP_IP_SEND))
		ip_fire(KTRACE_SP_IP_SEND, regs, skb, kt_pkt_out_dev(skb), KTRACE_NET_OUTBOUND);
	return 0;
}
NOKPROBE_SYMBOL(ip_xmit);

/* ip_local_deliver(), ip6_input(): (struct sk_buff *) */
static int ip_deliver(struct kprobe *kp, struct pt_regs *regs)
{
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 0);

	if (skb && kt_sp_on(KTRACE_SP_IP_RECEIVE))
		ip_fire(KTRACE_SP_IP_RECEIVE, regs, skb, skb->dev, KTRACE_NET_INBOUND);
	return 0;
}
NOKPROBE_SYMBOL(ip_deliver);

static struct kt_sp_source ip_src[] = {
	[IS_OUT4] = { .name = "ip_output", .is_kprobe = true, .pre = ip_xmit },
	[IS_MC4]  = { .name = "ip_mc_output", .is_kprobe = true, .pre = ip_xmit, .optional = true },
	[IS_OUT6] = { .name = "ip6_output", .is_kprobe = true, .pre = ip_xmit, .optional = true },
	[IS_IN4]  = { .name = "ip_local_deliver", .is_kprobe = true, .pre = ip_deliver },
	[IS_IN6]  = { .name = "ip6_input", .is_kprobe = true, .pre = ip_deliver, .optional = true },
};

static const struct kt_sp_need ip_need[] = {
	{ KTRACE_SP_IP_SEND,	BIT(IS_OUT4) | BIT(IS_MC4) | BIT(IS_OUT6) },
	{ KTRACE_SP_IP_RECEIVE,	BIT(IS_IN4) | BIT(IS_IN6) },
};

KT_SP_DEFINE(kt_sp_ip, "ip", ip_src, ip_need);
KTRACE_PROVIDER(105, struct kt_sp_provider, kt_sp_ip, .prov);
