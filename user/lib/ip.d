/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ip.d: the network providers' common views (pktinfo_t, csinfo_t,
 * ipinfo_t, ifinfo_t, ipv4info_t, ipv6info_t) and the ip provider's
 * arguments, translated from the kernel's struct sk_buff, struct sock,
 * struct net_device and the IP header in the packet (module/prov_ip.c,
 * prov_tcp.c and prov_udp.c fire them; docs/providers.md).
 *
 * The native arguments of every ip, tcp and udp probe: arg0 the packet's
 * struct sk_buff *, arg1 the struct sock *, arg2 the address of the IP
 * header (IPv4 or IPv6: its version nibble tells), arg7 which way the
 * packet went (KT_NET_* below, as uapi/linux/ktrace_stable.h's
 * KTRACE_NET_*).  A tcp probe without a packet (state-change,
 * connect-request, connect-established, accept-established,
 * connect-refused) has arg0 and arg2 NULL: its ipinfo_t is taken from the
 * socket (arg3) as the packet would carry it, with ip_plength 0.
 * Members Linux has no equivalent for are left out rather than invented.
 */
#pragma D attributes Evolving/Evolving/ISA provider ip provider
#pragma D attributes Private/Private/Unknown provider ip module
#pragma D attributes Private/Private/Unknown provider ip function
#pragma D attributes Evolving/Evolving/ISA provider ip name
#pragma D attributes Evolving/Evolving/ISA provider ip args

/* address families as Linux numbers them (inet_ntop's first argument) */
inline int AF_INET = 2;
inline int AF_INET6 = 10;

/* ARP hardware types (linux/if_arp.h) link_ntop() formats */
inline int ARPHRD_ETHER = 1;
inline int ARPHRD_INFINIBAND = 32;

/* IP protocol numbers (ipv4_protocol, ipv6_nexthdr) */
inline int IPPROTO_IP = 0;
inline int IPPROTO_ICMP = 1;
inline int IPPROTO_IGMP = 2;
inline int IPPROTO_TCP = 6;
inline int IPPROTO_UDP = 17;
inline int IPPROTO_IPV6 = 41;
inline int IPPROTO_ROUTING = 43;
inline int IPPROTO_FRAGMENT = 44;
inline int IPPROTO_GRE = 47;
inline int IPPROTO_ESP = 50;
inline int IPPROTO_AH = 51;
inline int IPPROTO_ICMPV6 = 58;
inline int IPPROTO_NONE = 59;
inline int IPPROTO_DSTOPTS = 60;
inline int IPPROTO_SCTP = 132;
inline int IPPROTO_UDPLITE = 136;
inline int IPPROTO_RAW = 255;

/* arg7 of the network probes (uapi/linux/ktrace_stable.h KTRACE_NET_*) */
inline int KT_NET_OUTBOUND = 0;		/* the packet is being sent */
inline int KT_NET_INBOUND = 1;		/* the packet was received */
inline int KT_NET_RST_REPLY = 2;	/* the packet was received; the probe is the RST
					 * Linux answers it with (tcp:::accept-refused) */

typedef uint32_t ipaddr_t;
typedef struct in6_addr in6_addr_t;
typedef uint64_t netstackid_t;

typedef struct pktinfo {
	uintptr_t	pkt_addr;	/* the struct sk_buff (0: no packet) */
} pktinfo_t;

typedef struct csinfo {
	uintptr_t	cs_addr;	/* the struct sock (0: none) */
	uint64_t	cs_cid;		/* a connection id: the same address */
} csinfo_t;

typedef struct ipinfo {
	uint8_t		ip_ver;		/* 4 or 6 */
	uint32_t	ip_plength;	/* payload bytes (after the IPv4 header, or the
					 * IPv6 fixed header) */
	string		ip_saddr;	/* source address, as text */
	string		ip_daddr;	/* destination address, as text */
} ipinfo_t;

typedef struct ifinfo {
	string		if_name;	/* interface name: lo, eth0 */
	int8_t		if_local;	/* 1: the loopback interface */
	netstackid_t	if_ipstack;	/* the network namespace's inode number */
	uintptr_t	if_addr;	/* the struct net_device */
} ifinfo_t;

typedef struct ipv4info {
	uint8_t		ipv4_ver;	/* 4 */
	uint8_t		ipv4_ihl;	/* header length, bytes */
	uint8_t		ipv4_tos;	/* type of service */
	uint16_t	ipv4_length;	/* total length, header included */
	uint16_t	ipv4_ident;	/* identification */
	uint8_t		ipv4_flags;	/* flags as DTrace gives them: DF 4, MF 2 (the
					 * fragment offset field's top 3 bits >> 12) */
	uint16_t	ipv4_offset;	/* fragment offset, bytes */
	uint8_t		ipv4_ttl;	/* time to live */
	uint8_t		ipv4_protocol;	/* IPPROTO_* */
	string		ipv4_protostr;	/* its name: TCP, UDP, ICMP... */
	uint16_t	ipv4_checksum;	/* header checksum */
	ipaddr_t	ipv4_src;	/* source address (network order) */
	ipaddr_t	ipv4_dst;	/* destination address (network order) */
	string		ipv4_saddr;	/* source address, as text */
	string		ipv4_daddr;	/* destination address, as text */
	uintptr_t	ipv4_hdr;	/* the header (struct iphdr) */
} ipv4info_t;

typedef struct ipv6info {
	uint8_t		ipv6_ver;	/* 6 */
	uint8_t		ipv6_tclass;	/* traffic class */
	uint32_t	ipv6_flow;	/* flow label */
	uint16_t	ipv6_plen;	/* payload length */
	uint8_t		ipv6_nexthdr;	/* next header (IPPROTO_*) */
	string		ipv6_nextstr;	/* its name: TCP, UDP, ICMPV6... */
	uint8_t		ipv6_hlim;	/* hop limit */
	uintptr_t	ipv6_src;	/* source address (in6_addr_t *) */
	uintptr_t	ipv6_dst;	/* destination address (in6_addr_t *) */
	string		ipv6_saddr;	/* source address, as text */
	string		ipv6_daddr;	/* destination address, as text */
	uintptr_t	ipv6_hdr;	/* the header (struct ipv6hdr) */
} ipv6info_t;

/* the name of an IP protocol number */
inline string ip_protostr[uint8_t p] =
	p == IPPROTO_TCP ? "TCP" : p == IPPROTO_UDP ? "UDP" : p == IPPROTO_ICMP ? "ICMP" :
	p == IPPROTO_ICMPV6 ? "ICMPV6" : p == IPPROTO_IGMP ? "IGMP" : p == IPPROTO_IPV6 ? "IPV6" :
	p == IPPROTO_GRE ? "GRE" : p == IPPROTO_ESP ? "ESP" : p == IPPROTO_AH ? "AH" :
	p == IPPROTO_SCTP ? "SCTP" : p == IPPROTO_UDPLITE ? "UDPLITE" :
	p == IPPROTO_ROUTING ? "ROUTING" : p == IPPROTO_FRAGMENT ? "FRAGMENT" :
	p == IPPROTO_DSTOPTS ? "DSTOPTS" : p == IPPROTO_NONE ? "NONE" : p == IPPROTO_RAW ? "RAW" :
	lltostr(p);

/*
 * The addresses of a socket as text: the local one (laddr) and the remote
 * one (raddr), for an IPv4 or an IPv6 socket.
 */
inline string kt_sk_laddr[struct sock *S] =
	S->__sk_common.skc_family == AF_INET6 ?
	    inet_ntoa6((in6_addr_t *)((uintptr_t)S + offsetof(struct sock_common, skc_v6_rcv_saddr))) :
	    inet_ntoa((ipaddr_t *)((uintptr_t)S + offsetof(struct sock_common, skc_rcv_saddr)));
inline string kt_sk_raddr[struct sock *S] =
	S->__sk_common.skc_family == AF_INET6 ?
	    inet_ntoa6((in6_addr_t *)((uintptr_t)S + offsetof(struct sock_common, skc_v6_daddr))) :
	    inet_ntoa((ipaddr_t *)((uintptr_t)S + offsetof(struct sock_common, skc_daddr)));

/* The source (saddr) and destination (daddr) address of an IP header as text. */
inline string kt_ip_saddr[struct iphdr *I] =
	*(uint8_t *)I >> 4 == 6 ?
	    inet_ntoa6((in6_addr_t *)((uintptr_t)I + offsetof(struct ipv6hdr, saddr))) :
	    inet_ntoa((ipaddr_t *)((uintptr_t)I + offsetof(struct iphdr, saddr)));
inline string kt_ip_daddr[struct iphdr *I] =
	*(uint8_t *)I >> 4 == 6 ?
	    inet_ntoa6((in6_addr_t *)((uintptr_t)I + offsetof(struct ipv6hdr, daddr))) :
	    inet_ntoa((ipaddr_t *)((uintptr_t)I + offsetof(struct iphdr, daddr)));

translator pktinfo_t < struct sk_buff *B > {
	pkt_addr = (uintptr_t)B;
};

translator csinfo_t < struct sock *S > {
	cs_addr = (uintptr_t)S;
	cs_cid = (uint64_t)S;
};

/*
 * arg2 (I) is the IP header; without one (a tcp probe with no packet),
 * the socket (arg3) says what its packet carries: a received one comes
 * from the remote address, a sent one from the local address.  For
 * accept-refused (KT_NET_RST_REPLY) I is the segment Linux refuses and
 * the view is of the RST it answers with: a bare 20-byte TCP header, back
 * to where the segment came from.
 */
translator ipinfo_t < struct iphdr *I > {
	ip_ver = I != NULL ? *(uint8_t *)I >> 4 :
	    arg3 != NULL ? (((struct sock *)arg3)->__sk_common.skc_family == AF_INET6 ? 6 : 4) : 0;
	ip_plength = I == NULL ? 0 : arg7 == KT_NET_RST_REPLY ? 20 :
	    *(uint8_t *)I >> 4 == 6 ? ntohs(((struct ipv6hdr *)I)->payload_len) :
	    ntohs(I->tot_len) - ((*(uint8_t *)I & 0xf) << 2);
	ip_saddr = I != NULL ? (arg7 == KT_NET_RST_REPLY ? kt_ip_daddr[I] : kt_ip_saddr[I]) :
	    arg3 == NULL ? "<unknown>" :
	    arg7 == KT_NET_INBOUND ? kt_sk_raddr[(struct sock *)arg3] : kt_sk_laddr[(struct sock *)arg3];
	ip_daddr = I != NULL ? (arg7 == KT_NET_RST_REPLY ? kt_ip_saddr[I] : kt_ip_daddr[I]) :
	    arg3 == NULL ? "<unknown>" :
	    arg7 == KT_NET_INBOUND ? kt_sk_laddr[(struct sock *)arg3] : kt_sk_raddr[(struct sock *)arg3];
};

translator ifinfo_t < struct net_device *N > {
	if_name = N != NULL ? stringof(N->name) : "<unknown>";
	if_local = N != NULL ? (N->flags & 8) != 0 : 0;	/* IFF_LOOPBACK */
	if_ipstack = N != NULL ? N->nd_net.net->ns.inum : 0;
	if_addr = (uintptr_t)N;
};

translator ipv4info_t < struct iphdr *I > {
	ipv4_ver = I != NULL ? 4 : 0;
	ipv4_ihl = I != NULL ? (*(uint8_t *)I & 0xf) << 2 : 0;
	ipv4_tos = I != NULL ? I->tos : 0;
	ipv4_length = I != NULL ? ntohs(I->tot_len) : 0;
	ipv4_ident = I != NULL ? ntohs(I->id) : 0;
	ipv4_flags = I != NULL ? (ntohs(I->frag_off) & 0xe000) >> 12 : 0;
	ipv4_offset = I != NULL ? (ntohs(I->frag_off) & 0x1fff) << 3 : 0;
	ipv4_ttl = I != NULL ? I->ttl : 0;
	ipv4_protocol = I != NULL ? I->protocol : 0;
	ipv4_protostr = I != NULL ? ip_protostr[I->protocol] : "<null>";
	ipv4_checksum = I != NULL ? ntohs(I->check) : 0;
	ipv4_src = I != NULL ? I->saddr : 0;
	ipv4_dst = I != NULL ? I->daddr : 0;
	ipv4_saddr = I != NULL ? kt_ip_saddr[I] : "<null>";
	ipv4_daddr = I != NULL ? kt_ip_daddr[I] : "<null>";
	ipv4_hdr = (uintptr_t)I;
};

translator ipv6info_t < struct ipv6hdr *I > {
	ipv6_ver = I != NULL ? 6 : 0;
	ipv6_tclass = I != NULL ? ntohl(*(uint32_t *)I) >> 20 & 0xff : 0;
	ipv6_flow = I != NULL ? ntohl(*(uint32_t *)I) & 0xfffff : 0;
	ipv6_plen = I != NULL ? ntohs(I->payload_len) : 0;
	ipv6_nexthdr = I != NULL ? I->nexthdr : 0;
	ipv6_nextstr = I != NULL ? ip_protostr[I->nexthdr] : "<null>";
	ipv6_hlim = I != NULL ? I->hop_limit : 0;
	ipv6_src = I != NULL ? (uintptr_t)I + offsetof(struct ipv6hdr, saddr) : 0;
	ipv6_dst = I != NULL ? (uintptr_t)I + offsetof(struct ipv6hdr, daddr) : 0;
	ipv6_saddr = I != NULL ? kt_ip_saddr[(struct iphdr *)I] : "<null>";
	ipv6_daddr = I != NULL ? kt_ip_daddr[(struct iphdr *)I] : "<null>";
	ipv6_hdr = (uintptr_t)I;
};

/*
 * ip:::send and ip:::receive (module/prov_ip.c): arg3 the interface,
 * arg4 the IPv4 header (NULL for IPv6), arg5 the IPv6 header (NULL for
 * IPv4).
 */
provider ip {
	probe send(struct sk_buff *p, struct sock *c, struct iphdr *i, struct net_device *f,
	    struct iphdr *v4, struct ipv6hdr *v6) :
	    (pktinfo_t *p, csinfo_t *c, ipinfo_t *i, ifinfo_t *f, ipv4info_t *v4, ipv6info_t *v6);
	probe receive(struct sk_buff *p, struct sock *c, struct iphdr *i, struct net_device *f,
	    struct iphdr *v4, struct ipv6hdr *v6) :
	    (pktinfo_t *p, csinfo_t *c, ipinfo_t *i, ifinfo_t *f, ipv4info_t *v4, ipv6info_t *v6);
};
