// SPDX-License-Identifier: GPL-2.0
/*
 * The tcp provider (DTrace's stable TCP probes) on Linux's socket and TCP
 * tracepoints, and a kprobe where Linux has none:
 *   state-change         inet_sock_set_state, TCP sockets: every state
 *                        change; arg5 the previous state, arg6 the new one
 *                        (the tracepoint fires just before the socket's
 *                        sk_state changes: it still holds the old state)
 *   connect-request      inet_sock_set_state CLOSE -> SYN_SENT (connect()
 *                        sends its SYN)
 *   connect-established  inet_sock_set_state SYN_SENT -> ESTABLISHED (the
 *                        SYN-ACK came)
 *   accept-established   inet_sock_set_state SYN_RECV -> ESTABLISHED, on
 *                        the new socket (the handshake's last ACK came)
 *   connect-refused      tcp_receive_reset on a SYN_SENT socket (an RST
 *                        answered the SYN)
 *   accept-refused       kprobe on tcp_v4_send_reset()/tcp_v6_send_reset()
 *                        with no socket, for a SYN (no listener: the RST
 *                        for a SYN to a closed port has no tracepoint)
 * Arguments in DTrace's order (pktinfo_t, csinfo_t, ipinfo_t, tcpsinfo_t,
 * tcpinfo_t): arg0, arg2 and arg4 the packet's struct sk_buff * (NULL for
 * the probes the tracepoints give no packet), arg1 and arg3 the struct
 * sock * (NULL for accept-refused).  Each fires in the context that sends
 * or receives (often a softirq: pid is not the socket's owner).
 * Locks and contexts: see stable.h.
 */
#include <linux/module.h>
#include <linux/tcp.h>
#include <linux/in.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "stable.h"

enum { TS_STATE, TS_RECV_RESET, TS_SEND_RESET4, TS_SEND_RESET6 };

static void tcp_state(void *data, const struct sock *sk, const int oldstate,
		      const int newstate)
{
	unsigned long s = (unsigned long)sk;
	enum ktrace_stable_probe id;

	if (sk->sk_protocol != IPPROTO_TCP)
		return;
	if (kt_sp_on(KTRACE_SP_TCP_STATE_CHANGE))
		kt_sp_fire7(KTRACE_SP_TCP_STATE_CHANGE, 0, s, 0, s, 0, oldstate, newstate);
	if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT)
		id = KTRACE_SP_TCP_CONNECT_REQUEST;
	else if (oldstate == TCP_SYN_SENT && newstate == TCP_ESTABLISHED)
		id = KTRACE_SP_TCP_CONNECT_ESTABLISHED;
	else if (oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED)
		id = KTRACE_SP_TCP_ACCEPT_ESTABLISHED;
	else
		return;
	kt_sp_fire(id, NULL, 0, s, 0, s, 0, 0);
}

static void tcp_recv_reset(void *data, struct sock *sk)
{
	if (sk->sk_state == TCP_SYN_SENT)
		kt_sp_fire(KTRACE_SP_TCP_CONNECT_REFUSED, NULL, 0, (unsigned long)sk, 0,
			   (unsigned long)sk, 0, 0);
}

/* tcp_v{4,6}_send_reset(const struct sock *sk, struct sk_buff *skb) */
static int tcp_send_reset(struct kprobe *kp, struct pt_regs *regs)
{
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 1);
	const struct tcphdr *th;

	if (regs_get_kernel_argument(regs, 0) || !skb ||
	    !kt_sp_on(KTRACE_SP_TCP_ACCEPT_REFUSED))
		return 0;
	th = tcp_hdr(skb);
	if (th->syn && !th->ack)
		kt_sp_fire(KTRACE_SP_TCP_ACCEPT_REFUSED, regs, (unsigned long)skb, 0,
			   (unsigned long)skb, 0, (unsigned long)skb, 0);
	return 0;
}
NOKPROBE_SYMBOL(tcp_send_reset);

static struct kt_sp_source tcp_src[] = {
	[TS_STATE]	 = { .name = "inet_sock_set_state", .hook = tcp_state },
	[TS_RECV_RESET]	 = { .name = "tcp_receive_reset", .hook = tcp_recv_reset },
	[TS_SEND_RESET4] = { .name = "tcp_v4_send_reset", .is_kprobe = true, .pre = tcp_send_reset },
	[TS_SEND_RESET6] = { .name = "tcp_v6_send_reset", .is_kprobe = true, .pre = tcp_send_reset,
			     .optional = true },
};

static const struct kt_sp_need tcp_need[] = {
	{ KTRACE_SP_TCP_STATE_CHANGE,		BIT(TS_STATE) },
	{ KTRACE_SP_TCP_CONNECT_REQUEST,	BIT(TS_STATE) },
	{ KTRACE_SP_TCP_CONNECT_ESTABLISHED,	BIT(TS_STATE) },
	{ KTRACE_SP_TCP_CONNECT_REFUSED,	BIT(TS_RECV_RESET) },
	{ KTRACE_SP_TCP_ACCEPT_ESTABLISHED,	BIT(TS_STATE) },
	{ KTRACE_SP_TCP_ACCEPT_REFUSED,		BIT(TS_SEND_RESET4) | BIT(TS_SEND_RESET6) },
};

static bool tcp_match(const char *provname)
{
	return !strcmp(provname, "tcp");
}

extern struct kt_sp_provider kt_sp_tcp;	/* below: its callbacks name it */

static int tcp_init(void)
{
	return kt_sp_init_provider(&kt_sp_tcp);
}

static void tcp_exit(void)
{
	kt_sp_exit_provider(&kt_sp_tcp);
}

static int tcp_populate(void)
{
	return kt_sp_populate_provider(&kt_sp_tcp);
}

struct kt_sp_provider kt_sp_tcp = {
	.prov	= KT_SP_PROVIDER("tcp", tcp_match, tcp_init, tcp_exit, tcp_populate),
	.src	= tcp_src,
	.nsrc	= ARRAY_SIZE(tcp_src),
	.need	= tcp_need,
	.nneed	= ARRAY_SIZE(tcp_need),
};
KTRACE_PROVIDER(110, struct kt_sp_provider, kt_sp_tcp, .prov);
