/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The network providers' view of a packet (prov_ip.c, prov_tcp.c,
 * prov_udp.c): its IP header, its transport header and protocol, and the
 * socket a probe may show.  Called from kprobe handlers (probe context:
 * no sleeping, no allocation, no locks); the packet and its socket are
 * the kernel's, held by the function the handler interrupts.
 *
 * The points the providers probe see each packet with its headers built
 * and in the skb's linear part: ip_output()/ip_mc_output()/ip6_output()
 * after the IP layer wrote the header, ip_local_deliver()/ip6_input() and
 * the TCP and UDP receive functions after the IP layer checked it.
 */
#ifndef _KTRACE_NETPKT_H
#define _KTRACE_NETPKT_H

#include <linux/skbuff.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <linux/in.h>
#include <net/sock.h>
#include <net/dst.h>
#include <net/tcp_states.h>
#include <linux/ktrace_stable.h>

struct kt_pkt {
	const u8	*iph;	/* the IP header */
	const u8	*l4;	/* the transport header, NULL: none (a later fragment,
				 * IPv6 extension headers) */
	u8		proto;	/* IPPROTO_* of l4 */
};

/*
 * The headers of a packet whose network header is set.  false: not
 * IPv4 or IPv6 (or a malformed header length).  The transport header is
 * found from the IP header: after the IPv4 options, or right after the
 * IPv6 fixed header when no extension header comes first.
 */
static __always_inline bool kt_pkt_parse(const struct sk_buff *skb, struct kt_pkt *pk)
{
	const u8 *nh = skb_network_header(skb);

	pk->iph = nh;
	pk->l4 = NULL;
	if (nh[0] >> 4 == 4) {
		const struct iphdr *ip = (const struct iphdr *)nh;

		if (ip->ihl < 5)
			return false;
		pk->proto = ip->protocol;
		if (!(ip->frag_off & htons(IP_OFFSET)))
			pk->l4 = nh + ip->ihl * 4;
		return true;
	}
	if (nh[0] >> 4 == 6) {
		pk->proto = ((const struct ipv6hdr *)nh)->nexthdr;
		if (pk->proto == IPPROTO_TCP || pk->proto == IPPROTO_UDP)
			pk->l4 = nh + sizeof(struct ipv6hdr);
		return true;
	}
	return false;
}

/*
 * The socket of a packet as the probes show it: a full socket (not a
 * request or time-wait mini socket, whose struct is smaller) of the
 * protocol and type given (proto 0, type 0: any), else NULL.
 */
static __always_inline struct sock *kt_pkt_sock(struct sock *sk, int proto, int type)
{
	if (!sk || !sk_fullsock(sk))
		return NULL;
	if (proto && (sk->sk_protocol != proto || sk->sk_type != type))
		return NULL;
	return sk;
}

/* the device a packet leaves by (ip_output and ip6_output set skb->dev from it) */
static __always_inline struct net_device *kt_pkt_out_dev(const struct sk_buff *skb)
{
	const struct dst_entry *dst = skb_dst(skb);

	return dst ? READ_ONCE(dst->dev) : skb->dev;
}

#endif /* _KTRACE_NETPKT_H */
