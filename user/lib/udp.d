/* SPDX-License-Identifier: GPL-2.0 */
/*
 * udp.d: the udp provider's arguments, udpsinfo_t and udpinfo_t,
 * translated from the socket and the UDP header in the packet
 * (module/prov_udp.c fires udp:::send and udp:::receive; ip.d has the
 * common arguments; docs/providers.md).  arg3 is the struct sock *, arg4
 * the address of the UDP header.
 */
#pragma D depends_on library ip.d
#pragma D attributes Evolving/Evolving/ISA provider udp provider
#pragma D attributes Private/Private/Unknown provider udp module
#pragma D attributes Private/Private/Unknown provider udp function
#pragma D attributes Evolving/Evolving/ISA provider udp name
#pragma D attributes Evolving/Evolving/ISA provider udp args

typedef struct udpsinfo {
	uintptr_t	udps_addr;	/* the struct sock */
	uint16_t	udps_lport;	/* local port */
	uint16_t	udps_rport;	/* remote port */
	string		udps_laddr;	/* local address, as text */
	string		udps_raddr;	/* remote address, as text */
} udpsinfo_t;

typedef struct udpinfo {
	uint16_t	udp_sport;	/* source port */
	uint16_t	udp_dport;	/* destination port */
	uint16_t	udp_length;	/* length, header included */
	uint16_t	udp_checksum;	/* checksum */
	uintptr_t	udp_hdr;	/* the header (struct udphdr) */
} udpinfo_t;

/*
 * An unconnected socket has no remote end (and may be bound to any
 * address): those come from the datagram (arg2, arg4), whose local end
 * is its source when it is sent, its destination when it is received.
 */
translator udpsinfo_t < struct sock *S > {
	udps_addr = (uintptr_t)S;
	/* inet_sport outlives the port's release (a closing socket's skc_num is 0) */
	udps_lport = S != NULL && ((struct inet_sock *)S)->inet_sport != 0 ?
	    ntohs(((struct inet_sock *)S)->inet_sport) :
	    S != NULL && S->__sk_common.skc_num != 0 ? S->__sk_common.skc_num :
	    arg4 == NULL ? 0 : arg7 == KT_NET_OUTBOUND ? ntohs(((struct udphdr *)arg4)->source) :
	    ntohs(((struct udphdr *)arg4)->dest);
	udps_rport = S != NULL && S->__sk_common.skc_dport != 0 ? ntohs(S->__sk_common.skc_dport) :
	    arg4 == NULL ? 0 : arg7 == KT_NET_OUTBOUND ? ntohs(((struct udphdr *)arg4)->dest) :
	    ntohs(((struct udphdr *)arg4)->source);
	udps_laddr = arg2 == NULL ? (S != NULL ? kt_sk_laddr[S] : "<unknown>") :
	    arg7 == KT_NET_OUTBOUND ? kt_ip_saddr[(struct iphdr *)arg2] : kt_ip_daddr[(struct iphdr *)arg2];
	udps_raddr = S != NULL && S->__sk_common.skc_dport != 0 ? kt_sk_raddr[S] :
	    arg2 == NULL ? "<unknown>" :
	    arg7 == KT_NET_OUTBOUND ? kt_ip_daddr[(struct iphdr *)arg2] : kt_ip_saddr[(struct iphdr *)arg2];
};

translator udpinfo_t < struct udphdr *U > {
	udp_sport = U != NULL ? ntohs(U->source) : 0;
	udp_dport = U != NULL ? ntohs(U->dest) : 0;
	udp_length = U != NULL ? ntohs(U->len) : 0;
	udp_checksum = U != NULL ? ntohs(U->check) : 0;
	udp_hdr = (uintptr_t)U;
};

provider udp {
	probe send(struct sk_buff *p, struct sock *c, struct iphdr *i, struct sock *s,
	    struct udphdr *u) :
	    (pktinfo_t *p, csinfo_t *c, ipinfo_t *i, udpsinfo_t *s, udpinfo_t *u);
	probe receive(struct sk_buff *p, struct sock *c, struct iphdr *i, struct sock *s,
	    struct udphdr *u) :
	    (pktinfo_t *p, csinfo_t *c, ipinfo_t *i, udpsinfo_t *s, udpinfo_t *u);
};
