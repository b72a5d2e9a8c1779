// SPDX-License-Identifier: GPL-2.0
/*
 * The tcp provider (DTrace's stable TCP probes) on Linux's socket and TCP
 * tracepoints, and kprobes where Linux has none:
 *   state-change         inet_sock_set_state, TCP sockets: every state
 *                        change; arg5 the previous state, arg6 the new one
 *                        (the tracepoint fires just before the socket's
 *                        sk_state changes: it still holds the old state)
 *   connect-established  inet_sock_set_state SYN_SENT -> ESTABLISHED (the
 *                        SYN-ACK came)
 *   accept-established   inet_sock_set_state SYN_RECV -> ESTABLISHED, on
 *                        the new socket (the handshake's last ACK came)
 *   connect-refused      tcp_receive_reset on a SYN_SENT socket (an RST
 *                        answered the SYN)
 *   accept-refused       kprobe on tcp_v4_send_reset()/tcp_v6_send_reset()
 *                        with no socket, for a SYN (no listener: the RST
 *                        for a SYN to a closed port has no tracepoint)
 *   send                 kprobe on ip_output()/ip6_output(), TCP packets:
 *                        every segment as it leaves the IP layer (headers
 *                        built; a TSO/GSO packet is one firing)
 *   connect-request      the same, for a SYN without ACK from a SYN_SENT
 *                        socket (connect()'s SYN, its port chosen)
 *   receive              kprobe on tcp_rcv_established() and
 *                        tcp_rcv_state_process(): every segment a socket
 *                        takes (not those of time-wait sockets, nor those
 *                        no socket takes)
 * Arguments in DTrace's order (pktinfo_t, csinfo_t, ipinfo_t, tcpsinfo_t,
 * tcpinfo_t; uapi/linux/ktrace_stable.h): arg0 the packet's struct
 * sk_buff * (NULL for the probes the tracepoints give no packet), arg1
 * and arg3 the struct sock * (NULL: not a full TCP socket, e.g. the
 * SYN-ACK of a request socket or an RST sent by a control socket), arg2
 * and arg4 its IP and TCP headers, arg6 the connection's state after the
 * event, arg7 KTRACE_NET_*.  Each fires in the context that sends or
 * receives (often a softirq: pid is not the socket's owner).
 * Locks and contexts: see stable.h and netpkt.h.
 */
#include <linux/module.h>
#include <linux/tcp.h>
#include <linux/in.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <net/tcp.h>

#include "stable.h"
#include "netpkt.h"

enum {
	TS_STATE, TS_RECV_RESET, TS_SEND_RESET4, TS_SEND_RESET6, TS_XMIT4, TS_XMIT6,
	TS_RCV_EST, TS_RCV_STATE,
};

/* Fire id for the packet-less event of socket sk (a tracepoint's). */
static void tcpp_fire_sk(enum ktrace_stable_probe id, const struct sock *sk, int old, int state,
			int dir)
{
	unsigned long s = (unsigned long)sk;

	kt_sp_fire8(id, NULL, 0, s, 0, s, 0, old, state, dir);
}

static void tcpp_state(void *data, const struct sock *sk, const int oldstate,
		      const int newstate)
{
	if (sk->sk_protocol != IPPROTO_TCP)
		return;
	if (kt_sp_on(KTRACE_SP_TCP_STATE_CHANGE))
		tcpp_fire_sk(KTRACE_SP_TCP_STATE_CHANGE, sk, oldstate, newstate,
			    KTRACE_NET_OUTBOUND);
	if (newstate != TCP_ESTABLISHED)
		return;
	if (oldstate == TCP_SYN_SENT && kt_sp_on(KTRACE_SP_TCP_CONNECT_ESTABLISHED))
		tcpp_fire_sk(KTRACE_SP_TCP_CONNECT_ESTABLISHED, sk, 0, newstate,
			    KTRACE_NET_INBOUND);
	else if (oldstate == TCP_SYN_RECV && kt_sp_on(KTRACE_SP_TCP_ACCEPT_ESTABLISHED))
		tcpp_fire_sk(KTRACE_SP_TCP_ACCEPT_ESTABLISHED, sk, 0, newstate,
			    KTRACE_NET_INBOUND);
}

static void tcpp_recv_reset(void *data, struct sock *sk)
{
	if (sk->sk_state == TCP_SYN_SENT && kt_sp_on(KTRACE_SP_TCP_CONNECT_REFUSED))
		tcpp_fire_sk(KTRACE_SP_TCP_CONNECT_REFUSED, sk, 0, sk->sk_state,
			    KTRACE_NET_INBOUND);
}

/* Fire id for a packet whose TCP header pk.l4 is known. */
static void tcpp_fire_pkt(enum ktrace_stable_probe id, struct pt_regs *regs,
			 const struct sk_buff *skb, const struct kt_pkt *pk,
			 const struct sock *sk, int state, int dir)
{
	unsigned long s = (unsigned long)sk;

	kt_sp_fire8(id, regs, (unsigned long)skb, s, (unsigned long)pk->iph, s,
		    (unsigned long)pk->l4, 0, state, dir);
}

/* tcp_v{4,6}_send_reset(const struct sock *sk, struct sk_buff *skb) */
static int tcpp_send_reset(struct kprobe *kp, struct pt_regs *regs)
{
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 1);
	const struct tcphdr *th;
	struct kt_pkt pk;

	if (regs_get_kernel_argument(regs, 0) || !skb ||
	    !kt_sp_on(KTRACE_SP_TCP_ACCEPT_REFUSED) || !kt_pkt_parse(skb, &pk))
		return 0;
	th = tcp_hdr(skb);
	pk.l4 = (const u8 *)th;
	if (th->syn && !th->ack)
		tcpp_fire_pkt(KTRACE_SP_TCP_ACCEPT_REFUSED, regs, skb, &pk, NULL, TCP_CLOSE,
			     KTRACE_NET_RST_REPLY);
	return 0;
}
NOKPROBE_SYMBOL(tcpp_send_reset);

/* ip_output(), ip6_output(): (struct net *, struct sock *, struct sk_buff *) */
static int tcpp_xmit(struct kprobe *kp, struct pt_regs *regs)
{
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 2);
	const struct tcphdr *th;
	struct sock *sk;
	struct kt_pkt pk;
	int state;

	if (!skb || (!kt_sp_on(KTRACE_SP_TCP_SEND) && !kt_sp_on(KTRACE_SP_TCP_CONNECT_REQUEST)) ||
	    !kt_pkt_parse(skb, &pk) || pk.proto != IPPROTO_TCP || !pk.l4)
		return 0;
	sk = kt_pkt_sock(skb->sk, IPPROTO_TCP, SOCK_STREAM);
	/* a request socket's SYN-ACK: the connection is being received */
	state = sk ? sk->sk_state :
		skb->sk && skb->sk->sk_state == TCP_NEW_SYN_RECV ? TCP_SYN_RECV : TCP_CLOSE;
	tcpp_fire_pkt(KTRACE_SP_TCP_SEND, regs, skb, &pk, sk, state, KTRACE_NET_OUTBOUND);
	th = (const struct tcphdr *)pk.l4;
	/* connect()'s SYN, not its retransmission: snd_nxt moves past it once sent */
	if (sk && state == TCP_SYN_SENT && th->syn && !th->ack &&
	    !before(ntohl(th->seq), READ_ONCE(tcp_sk(sk)->snd_nxt)))
		tcpp_fire_pkt(KTRACE_SP_TCP_CONNECT_REQUEST, regs, skb, &pk, sk, state,
			     KTRACE_NET_OUTBOUND);
	return 0;
}
NOKPROBE_SYMBOL(tcpp_xmit);

/* tcp_rcv_established(), tcp_rcv_state_process(): (struct sock *, struct sk_buff *) */
static int tcpp_rcv(struct kprobe *kp, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 1);
	struct kt_pkt pk;

	if (!sk || !skb || !kt_sp_on(KTRACE_SP_TCP_RECEIVE) || !kt_pkt_parse(skb, &pk))
		return 0;
	/* TCP found its header (after any IPv6 extension header) */
	pk.l4 = skb_transport_header(skb);
	tcpp_fire_pkt(KTRACE_SP_TCP_RECEIVE, regs, skb, &pk, sk, sk->sk_state, KTRACE_NET_INBOUND);
	return 0;
}
NOKPROBE_SYMBOL(tcpp_rcv);

static struct kt_sp_source tcpp_src[] = {
	[TS_STATE]	 = { .name = "inet_sock_set_state", .hook = tcpp_state },
	[TS_RECV_RESET]	 = { .name = "tcp_receive_reset", .hook = tcpp_recv_reset },
	[TS_SEND_RESET4] = { .name = "tcp_v4_send_reset", .is_kprobe = true, .pre = tcpp_send_reset },
	[TS_SEND_RESET6] = { .name = "tcp_v6_send_reset", .is_kprobe = true, .pre = tcpp_send_reset,
			     .optional = true },
	[TS_XMIT4]	 = { .name = "ip_output", .is_kprobe = true, .pre = tcpp_xmit },
	[TS_XMIT6]	 = { .name = "ip6_output", .is_kprobe = true, .pre = tcpp_xmit,
			     .optional = true },
	[TS_RCV_EST]	 = { .name = "tcp_rcv_established", .is_kprobe = true, .pre = tcpp_rcv },
	[TS_RCV_STATE]	 = { .name = "tcp_rcv_state_process", .is_kprobe = true, .pre = tcpp_rcv },
};

static const struct kt_sp_need tcpp_need[] = {
	{ KTRACE_SP_TCP_STATE_CHANGE,		BIT(TS_STATE) },
	{ KTRACE_SP_TCP_SEND,			BIT(TS_XMIT4) | BIT(TS_XMIT6) },
	{ KTRACE_SP_TCP_RECEIVE,		BIT(TS_RCV_EST) | BIT(TS_RCV_STATE) },
	{ KTRACE_SP_TCP_CONNECT_REQUEST,	BIT(TS_XMIT4) | BIT(TS_XMIT6) },
	{ KTRACE_SP_TCP_CONNECT_ESTABLISHED,	BIT(TS_STATE) },
	{ KTRACE_SP_TCP_CONNECT_REFUSED,	BIT(TS_RECV_RESET) },
	{ KTRACE_SP_TCP_ACCEPT_ESTABLISHED,	BIT(TS_STATE) },
	{ KTRACE_SP_TCP_ACCEPT_REFUSED,		BIT(TS_SEND_RESET4) | BIT(TS_SEND_RESET6) },
};

KT_SP_DEFINE(kt_sp_tcp, "tcp", tcpp_src, tcpp_need);
KTRACE_PROVIDER(110, struct kt_sp_provider, kt_sp_tcp, .prov);
