/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp.d: the tcp provider's arguments, tcpsinfo_t, tcpinfo_t and
 * tcplsinfo_t, DTrace's TH_* flags, TCP_STATE_* and tcp_state_string[],
 * translated from Linux's struct tcp_sock and the TCP header in the packet
 * (module/prov_tcp.c fires the probes; docs/providers.md).
 *
 * Native arguments (ip.d has the common ones): arg3 the connection's
 * struct sock * (NULL: none, e.g. a segment answered by a control
 * socket), arg4 the address of the TCP header (NULL: no packet), arg5
 * the previous state (state-change), arg6 the connection's state after
 * the event.  Members Linux's struct tcp_sock has no honest value for
 * (the initial sequence numbers, the urgent pointer, whether this end
 * opened the connection) are left out rather than invented.
 */
#pragma D depends_on library ip.d
#pragma D attributes Evolving/Evolving/ISA provider tcp provider
#pragma D attributes Private/Private/Unknown provider tcp module
#pragma D attributes Private/Private/Unknown provider tcp function
#pragma D attributes Evolving/Evolving/ISA provider tcp name
#pragma D attributes Evolving/Evolving/ISA provider tcp args

/* tcp_flags bits */
inline int TH_FIN = 0x01;
inline int TH_SYN = 0x02;
inline int TH_RST = 0x04;
inline int TH_PUSH = 0x08;
inline int TH_ACK = 0x10;
inline int TH_URG = 0x20;
inline int TH_ECE = 0x40;
inline int TH_CWR = 0x80;

/*
 * tcps_state values: Linux's TCP_* state numbers (include/net/tcp_states.h)
 * under DTrace's names.  Linux has no idle and bound states (an unconnected
 * socket is CLOSED): those two are never reported.
 */
inline int TCP_STATE_IDLE = -5;
inline int TCP_STATE_BOUND = -4;
inline int TCP_STATE_ESTABLISHED = 1;
inline int TCP_STATE_SYN_SENT = 2;
inline int TCP_STATE_SYN_RECEIVED = 3;
inline int TCP_STATE_FIN_WAIT_1 = 4;
inline int TCP_STATE_FIN_WAIT_2 = 5;
inline int TCP_STATE_TIME_WAIT = 6;
inline int TCP_STATE_CLOSED = 7;
inline int TCP_STATE_CLOSE_WAIT = 8;
inline int TCP_STATE_LAST_ACK = 9;
inline int TCP_STATE_LISTEN = 10;
inline int TCP_STATE_CLOSING = 11;

/* a state's name, as DTrace prints it */
inline string tcp_state_string[int32_t s] =
	s == TCP_STATE_CLOSED ? "state-closed" :
	s == TCP_STATE_IDLE ? "state-idle" :
	s == TCP_STATE_BOUND ? "state-bound" :
	s == TCP_STATE_LISTEN ? "state-listen" :
	s == TCP_STATE_SYN_SENT ? "state-syn-sent" :
	s == TCP_STATE_SYN_RECEIVED ? "state-syn-received" :
	s == TCP_STATE_ESTABLISHED ? "state-established" :
	s == TCP_STATE_CLOSE_WAIT ? "state-close-wait" :
	s == TCP_STATE_FIN_WAIT_1 ? "state-fin-wait-1" :
	s == TCP_STATE_CLOSING ? "state-closing" :
	s == TCP_STATE_LAST_ACK ? "state-last-ack" :
	s == TCP_STATE_FIN_WAIT_2 ? "state-fin-wait-2" :
	s == TCP_STATE_TIME_WAIT ? "state-time-wait" : "<unknown>";

typedef struct tcpsinfo {
	uintptr_t	tcps_addr;	/* the struct sock (0: none) */
	int		tcps_local;	/* 1: both ends on this host (its route, or the
					 * packet's device, is the loopback interface) */
	uint16_t	tcps_lport;	/* local port */
	uint16_t	tcps_rport;	/* remote port */
	string		tcps_laddr;	/* local address, as text */
	string		tcps_raddr;	/* remote address, as text */
	int32_t		tcps_state;	/* TCP_STATE_* */
	uint32_t	tcps_suna;	/* oldest sequence number sent, not acknowledged */
	uint32_t	tcps_snxt;	/* next sequence number to send */
	uint32_t	tcps_rnxt;	/* next sequence number expected */
	uint32_t	tcps_swnd;	/* send window (the peer's window) */
	uint32_t	tcps_rwnd;	/* receive window */
	uint32_t	tcps_cwnd;	/* congestion window, segments (Linux counts segments) */
	uint32_t	tcps_cwnd_ssthresh;	/* slow start threshold, segments */
	uint32_t	tcps_mss;	/* current MSS, bytes */
	int		tcps_retransmit;	/* send: 1 if the segment (data, SYN, FIN) was sent before */
	uint32_t	tcps_rtt;	/* smoothed round-trip time, ms */
	uint32_t	tcps_rtt_sd;	/* its mean deviation, ms */
	uint32_t	tcps_rtt_us;	/* smoothed round-trip time, us (Linux's own unit) */
} tcpsinfo_t;

typedef struct tcplsinfo {
	int32_t		tcps_state;	/* the previous state (state-change) */
} tcplsinfo_t;

typedef struct tcpinfo {
	uint16_t	tcp_sport;	/* source port */
	uint16_t	tcp_dport;	/* destination port */
	uint32_t	tcp_seq;	/* sequence number */
	uint32_t	tcp_ack;	/* acknowledgement number */
	uint8_t		tcp_offset;	/* header length, bytes */
	uint8_t		tcp_flags;	/* TH_* */
	uint16_t	tcp_window;	/* window (unscaled) */
	uint16_t	tcp_checksum;	/* checksum */
	uint16_t	tcp_urgent;	/* urgent pointer */
	uintptr_t	tcp_hdr;	/* the header (struct tcphdr) */
} tcpinfo_t;

/*
 * The connection (S, arg3).  A socket without a remote end yet (a
 * listener receiving a SYN) or no socket at all (accept-refused) takes
 * the ports and addresses from the segment (arg2, arg4): the local end is
 * its destination unless it is being sent.
 */
translator tcpsinfo_t < struct sock *S > {
	tcps_addr = (uintptr_t)S;
	tcps_local = S != NULL && S->sk_dst_cache != NULL ?
	    (S->sk_dst_cache->dev->flags & 8) != 0 :		/* IFF_LOOPBACK */
	    arg0 != NULL && ((struct sk_buff *)arg0)->dev != NULL ?
	    (((struct sk_buff *)arg0)->dev->flags & 8) != 0 : 0;
	/* inet_sport outlives the port's release (a closing socket's skc_num is 0) */
	tcps_lport = S != NULL && ((struct inet_sock *)S)->inet_sport != 0 ?
	    ntohs(((struct inet_sock *)S)->inet_sport) :
	    S != NULL && S->__sk_common.skc_num != 0 ? S->__sk_common.skc_num :
	    arg4 == NULL ? 0 : arg7 == KT_NET_OUTBOUND ? ntohs(((struct tcphdr *)arg4)->source) :
	    ntohs(((struct tcphdr *)arg4)->dest);
	tcps_rport = S != NULL && S->__sk_common.skc_dport != 0 ? ntohs(S->__sk_common.skc_dport) :
	    arg4 == NULL ? 0 : arg7 == KT_NET_OUTBOUND ? ntohs(((struct tcphdr *)arg4)->dest) :
	    ntohs(((struct tcphdr *)arg4)->source);
	tcps_laddr = S != NULL && (S->__sk_common.skc_dport != 0 || arg2 == NULL) ? kt_sk_laddr[S] :
	    arg2 == NULL ? "<unknown>" :
	    arg7 == KT_NET_OUTBOUND ? kt_ip_saddr[(struct iphdr *)arg2] : kt_ip_daddr[(struct iphdr *)arg2];
	tcps_raddr = S != NULL && (S->__sk_common.skc_dport != 0 || arg2 == NULL) ? kt_sk_raddr[S] :
	    arg2 == NULL ? "<unknown>" :
	    arg7 == KT_NET_OUTBOUND ? kt_ip_daddr[(struct iphdr *)arg2] : kt_ip_saddr[(struct iphdr *)arg2];
	tcps_state = arg6;
	tcps_suna = S != NULL ? ((struct tcp_sock *)S)->snd_una : 0;
	tcps_snxt = S != NULL ? ((struct tcp_sock *)S)->snd_nxt : 0;
	tcps_rnxt = S != NULL ? ((struct tcp_sock *)S)->rcv_nxt : 0;
	tcps_swnd = S != NULL ? ((struct tcp_sock *)S)->snd_wnd : 0;
	tcps_rwnd = S != NULL ? ((struct tcp_sock *)S)->rcv_wnd : 0;
	tcps_cwnd = S != NULL ? ((struct tcp_sock *)S)->snd_cwnd : 0;
	tcps_cwnd_ssthresh = S != NULL ? ((struct tcp_sock *)S)->snd_ssthresh : 0;
	tcps_mss = S != NULL ? ((struct tcp_sock *)S)->mss_cache : 0;
	/*
	 * a segment taking sequence space (data, SYN, FIN) below snd_nxt
	 * was sent before: snd_nxt moves past a segment once it is sent
	 */
	tcps_retransmit = S != NULL && arg2 != NULL && arg4 != NULL && arg7 == KT_NET_OUTBOUND &&
	    ((*((uint8_t *)arg4 + 13) & (TH_SYN | TH_FIN)) != 0 ||
	    (*(uint8_t *)arg2 >> 4 == 6 ? ntohs(((struct ipv6hdr *)arg2)->payload_len) :
	    ntohs(((struct iphdr *)arg2)->tot_len) - ((*(uint8_t *)arg2 & 0xf) << 2)) >
	    ((*((uint8_t *)arg4 + 12) & 0xf0) >> 2)) &&
	    (int32_t)(ntohl(((struct tcphdr *)arg4)->seq) - ((struct tcp_sock *)S)->snd_nxt) < 0;
	tcps_rtt = S != NULL ? (((struct tcp_sock *)S)->srtt_us >> 3) / 1000 : 0;
	tcps_rtt_sd = S != NULL ? (((struct tcp_sock *)S)->mdev_us >> 2) / 1000 : 0;
	tcps_rtt_us = S != NULL ? ((struct tcp_sock *)S)->srtt_us >> 3 : 0;
};

translator tcplsinfo_t < int I > {
	tcps_state = I;
};

/*
 * The segment's header (T, arg4); for accept-refused (KT_NET_RST_REPLY)
 * T is the SYN Linux refuses and the view is of the RST it answers with
 * (RFC 793: sequence 0, acknowledging the SYN, no window).
 */
translator tcpinfo_t < struct tcphdr *T > {
	/*
	 * without the packet (connect-established, accept-established,
	 * connect-refused: the SYN-ACK, ACK or RST received), the ports are
	 * the socket's in the direction of that packet
	 */
	tcp_sport = T != NULL ? ntohs(arg7 == KT_NET_RST_REPLY ? T->dest : T->source) :
	    arg7 == KT_NET_INBOUND && arg3 != NULL ?
	    ntohs(((struct sock *)arg3)->__sk_common.skc_dport) : 0;
	tcp_dport = T != NULL ? ntohs(arg7 == KT_NET_RST_REPLY ? T->source : T->dest) :
	    arg7 == KT_NET_INBOUND && arg3 != NULL ? ((struct sock *)arg3)->__sk_common.skc_num : 0;
	tcp_seq = T == NULL || arg7 == KT_NET_RST_REPLY ? 0 : ntohl(T->seq);
	tcp_ack = T == NULL ? 0 : arg7 == KT_NET_RST_REPLY ? ntohl(T->seq) + 1 : ntohl(T->ack_seq);
	tcp_offset = T == NULL ? 0 : arg7 == KT_NET_RST_REPLY ? 20 :
	    (*((uint8_t *)T + 12) & 0xf0) >> 2;
	tcp_flags = T == NULL ? 0 : arg7 == KT_NET_RST_REPLY ? TH_RST | TH_ACK : *((uint8_t *)T + 13);
	tcp_window = T == NULL || arg7 == KT_NET_RST_REPLY ? 0 : ntohs(T->window);
	tcp_checksum = T == NULL || arg7 == KT_NET_RST_REPLY ? 0 : ntohs(T->check);
	tcp_urgent = T == NULL || arg7 == KT_NET_RST_REPLY ? 0 : ntohs(T->urg_ptr);
	tcp_hdr = (uintptr_t)T;
};

provider tcp {
	probe send(struct sk_buff *p, struct sock *c, struct iphdr *i, struct sock *s,
	    struct tcphdr *t) :
	    (pktinfo_t *p, csinfo_t *c, ipinfo_t *i, tcpsinfo_t *s, tcpinfo_t *t);
	probe receive(struct sk_buff *p, struct sock *c, struct iphdr *i, struct sock *s,
	    struct tcphdr *t) :
	    (pktinfo_t *p, csinfo_t *c, ipinfo_t *i, tcpsinfo_t *s, tcpinfo_t *t);
	probe connect__request(struct sk_buff *p, struct sock *c, struct iphdr *i, struct sock *s,
	    struct tcphdr *t) :
	    (pktinfo_t *p, csinfo_t *c, ipinfo_t *i, tcpsinfo_t *s, tcpinfo_t *t);
	probe connect__established(struct sk_buff *p, struct sock *c, struct iphdr *i,
	    struct sock *s, struct tcphdr *t) :
	    (pktinfo_t *p, csinfo_t *c, ipinfo_t *i, tcpsinfo_t *s, tcpinfo_t *t);
	probe connect__refused(struct sk_buff *p, struct sock *c, struct iphdr *i, struct sock *s,
	    struct tcphdr *t) :
	    (pktinfo_t *p, csinfo_t *c, ipinfo_t *i, tcpsinfo_t *s, tcpinfo_t *t);
	probe accept__established(struct sk_buff *p, struct sock *c, struct iphdr *i,
	    struct sock *s, struct tcphdr *t) :
	    (pktinfo_t *p, csinfo_t *c, ipinfo_t *i, tcpsinfo_t *s, tcpinfo_t *t);
	probe accept__refused(struct sk_buff *p, struct sock *c, struct iphdr *i, struct sock *s,
	    struct tcphdr *t) :
	    (pktinfo_t *p, csinfo_t *c, ipinfo_t *i, tcpsinfo_t *s, tcpinfo_t *t);
	probe state__change(struct sk_buff *p, struct sock *c, struct iphdr *i, struct sock *s,
	    struct tcphdr *t, int l) :
	    (pktinfo_t *p, csinfo_t *c, ipinfo_t *i, tcpsinfo_t *s, tcpinfo_t *t, tcplsinfo_t *l);
};
