// SPDX-License-Identifier: GPL-2.0
/*
 * The udp provider (DTrace's stable UDP probes).  Linux has no tracepoint
 * per datagram, so it probes the functions every datagram passes with its
 * headers built:
 *   send     kprobes on ip_output(), ip_mc_output() and ip6_output(), UDP
 *            packets: a datagram as it leaves the IP layer (before
 *            fragmentation: one firing per datagram)
 *   receive  kprobe on __udp_enqueue_schedule_skb(), which both IPv4 and
 *            IPv6 call to queue a datagram on its socket (after the
 *            checksum and socket filters; not datagrams no socket takes,
 *            nor those a tunnel's encapsulation socket consumes)
 * Arguments in DTrace's order (pktinfo_t, csinfo_t, ipinfo_t, udpsinfo_t,
 * udpinfo_t; uapi/linux/ktrace_stable.h): arg0 the struct sk_buff *, arg1
 * and arg3 the UDP socket (NULL when a send has none), arg2 the IP
 * header, arg4 the UDP header, arg7 KTRACE_NET_*.  UDP-Lite is not UDP:
 * its datagrams do not fire.
 * Locks and contexts: see stable.h and netpkt.h.
 */
#include <linux/module.h>
#include <linux/udp.h>

#include "stable.h"
#include "netpkt.h"

enum { US_OUT4, US_MC4, US_OUT6, US_RCV };

static void udpp_fire(enum ktrace_stable_probe id, struct pt_regs *regs,
		     const struct sk_buff *skb, const struct kt_pkt *pk, const struct sock *sk,
		     int dir)
{
	unsigned long s = (unsigned long)sk;

	kt_sp_fire8(id, regs, (unsigned long)skb, s, (unsigned long)pk->iph, s,
		    (unsigned long)pk->l4, 0, 0, dir);
}

/* ip_output(), ip_mc_output(), ip6_output(): (struct net *, struct sock *, struct sk_buff *) */
static int udpp_xmit(struct kprobe *kp, struct pt_regs *regs)
{
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 2);
	struct kt_pkt pk;

	if (!skb || !kt_sp_on(KTRACE_SP_UDP_SEND) || !kt_pkt_parse(skb, &pk) ||
	    pk.proto != IPPROTO_UDP || !pk.l4)
		return 0;
	udpp_fire(KTRACE_SP_UDP_SEND, regs, skb, &pk, kt_pkt_sock(skb->sk, IPPROTO_UDP, SOCK_DGRAM),
		 KTRACE_NET_OUTBOUND);
	return 0;
}
NOKPROBE_SYMBOL(udpp_xmit);

/* __udp_enqueue_schedule_skb(struct sock *sk, struct sk_buff *skb) */
static int udpp_rcv(struct kprobe *kp, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 1);
	struct kt_pkt pk;

	if (!sk || !skb || !kt_sp_on(KTRACE_SP_UDP_RECEIVE) || sk->sk_protocol != IPPROTO_UDP ||
	    !kt_pkt_parse(skb, &pk))
		return 0;
	/* UDP found its header (after any IPv6 extension header) */
	pk.l4 = skb_transport_header(skb);
	udpp_fire(KTRACE_SP_UDP_RECEIVE, regs, skb, &pk, sk, KTRACE_NET_INBOUND);
	return 0;
}
NOKPROBE_SYMBOL(udpp_rcv);

static struct kt_sp_source udp_src[] = {
	[US_OUT4] = { .name = "ip_output", .is_kprobe = true, .pre = udpp_xmit },
	[US_MC4]  = { .name = "ip_mc_output", .is_kprobe = true, .pre = udpp_xmit, .optional = true },
	[US_OUT6] = { .name = "ip6_output", .is_kprobe = true, .pre = udpp_xmit, .optional = true },
	[US_RCV]  = { .name = "__udp_enqueue_schedule_skb", .is_kprobe = true, .pre = udpp_rcv },
};

static const struct kt_sp_need udp_need[] = {
	{ KTRACE_SP_UDP_SEND,		BIT(US_OUT4) | BIT(US_MC4) | BIT(US_OUT6) },
	{ KTRACE_SP_UDP_RECEIVE,	BIT(US_RCV) },
};

KT_SP_DEFINE(kt_sp_udp, "udp", udp_src, udp_need);
KTRACE_PROVIDER(115, struct kt_sp_provider, kt_sp_udp, .prov);
