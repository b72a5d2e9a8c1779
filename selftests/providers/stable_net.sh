#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The ip, tcp and udp providers on loopback, through the D library's
# translators (user/lib/ip.d, tcp.d, udp.d), against the truth of
# ./workload (selftests/providers/workload.c):
#   workload tcp[6] PORT  a connection from 127.0.0.1 (::1) to 127.0.0.2:PORT
#                         ([::1]:PORT): 1000 bytes sent by the client, 2000
#                         back, the client closes first; then a connection
#                         to PORT+1, refused.  It prints its client ports.
#   workload udp PORT     a datagram of 1234 bytes to 127.0.0.2:PORT from an
#                         unconnected socket, 321 bytes back; then on ::1.
# Each probe fires for its packets and sockets with the addresses, ports,
# sizes, flags and states the workload's traffic has, in IPv4 and IPv6.
cd "$(dirname "$0")" || exit 1
. ./stable_lib.sh
ktap_plan 38

same tcp_probes_listed "state-change send receive connect-request connect-established connect-refused accept-established accept-refused " "$(names tcp)"
same ip_probes_listed "send receive " "$(names ip)"
same udp_probes_listed "send receive " "$(names udp)"

# The connection events and state changes of the workload's ports P and
# Q = P + 1 (the listener's clone has no remote port yet when it enters
# SYN_RECV: its lport is P); accept-refused is the RST Linux answers the
# SYN with, checked against the SYN's own header (arg4).
tcp_events() {
	cat <<EOF
tcp:::state-change /args[3]->tcps_lport == $1 || args[3]->tcps_rport == $1 || args[3]->tcps_rport == $2/ {
	printf("sc %d %d %s %s\n", args[3]->tcps_lport, args[3]->tcps_rport,
	    tcp_state_string[args[5]->tcps_state], tcp_state_string[args[3]->tcps_state]);
}
tcp:::connect-request, tcp:::connect-established, tcp:::accept-established,
tcp:::connect-refused, tcp:::accept-refused
/args[3]->tcps_lport == $1 || args[3]->tcps_rport == $1 || args[3]->tcps_lport == $2 ||
 args[3]->tcps_rport == $2/ {
	printf("ev %s %s %s %d %d %s %s %s\n", probename, args[2]->ip_saddr, args[2]->ip_daddr,
	    args[3]->tcps_lport, args[3]->tcps_rport, args[3]->tcps_laddr, args[3]->tcps_raddr,
	    tcp_state_string[args[3]->tcps_state]);
	printf("hd %s %d %d %x %d %d %d %d\n", probename, args[4]->tcp_sport, args[4]->tcp_dport,
	    args[4]->tcp_flags, args[0]->pkt_addr == arg0 && args[1]->cs_addr == arg1,
	    probename == "accept-refused" ? args[4]->tcp_ack == ntohl(((struct tcphdr *)arg4)->seq) + 1 : -1,
	    args[2]->ip_ver, args[3]->tcps_local);
}
tcp:::send, tcp:::receive
/args[4]->tcp_sport == $1 || args[4]->tcp_dport == $1 || args[4]->tcp_sport == $2 ||
 args[4]->tcp_dport == $2/ {
	printf("sg %s %s %d %s %d %d %x %d %d\n", probename, args[2]->ip_saddr, args[4]->tcp_sport,
	    args[2]->ip_daddr, args[4]->tcp_dport, args[2]->ip_plength - args[4]->tcp_offset,
	    args[4]->tcp_flags & (TH_FIN | TH_SYN | TH_RST | TH_ACK),
	    (args[4]->tcp_flags & (TH_FIN | TH_SYN | TH_RST)) != 0, args[3]->tcps_retransmit);
}
EOF
}

# tcp_case FAMILY PORT SERVERADDR CLIENTADDR
tcp_case() {
	f=$1 p=$2 q=$(($2 + 1)) s=$3 l=$4
	ktrace -q -n "$(tcp_events $p $q)" -c "$W tcp${f#4} $p" >$OUT 2>&1
	if grep -q '^noipv6' $OUT; then
		for t in connect_request connect_established accept_established connect_refused \
			 accept_refused state_client state_server state_listener send_bytes \
			 receive_bytes send_control receive_control; do
			ktap_skip "tcp${f}_$t" "no IPv6 loopback in this guest"
		done
		return
	fi
	c=$(awk '$1 == "tcp" { print $2 }' $OUT)
	r=$(awk '$1 == "refused" { print $2 }' $OUT)
	ktap_diag "tcp$f: client port ${c:-?}, refused client port ${r:-?}"
	# the SYN as it leaves: ports chosen; the socket says where it goes
	same tcp${f}_connect_request "ev connect-request $l $s $c $p $l $s state-syn-sent|hd connect-request $c $p 2 1 -1 ${f} 1|ev connect-request $l $s $r $q $l $s state-syn-sent|hd connect-request $r $q 2 1 -1 ${f} 1|" \
		"$(grep -E '^(ev|hd) connect-request ' $OUT | tr '\n' '|')"
	# no packet: ipinfo_t from the socket, as the SYN-ACK (ACK) that came would carry it
	same tcp${f}_connect_established "ev connect-established $s $l $c $p $l $s state-established|hd connect-established $p $c 0 1 -1 ${f} 1|" \
		"$(grep -E '^(ev|hd) connect-established ' $OUT | tr '\n' '|')"
	same tcp${f}_accept_established "ev accept-established $l $s $p $c $s $l state-established|hd accept-established $c $p 0 1 -1 ${f} 1|" \
		"$(grep -E '^(ev|hd) accept-established ' $OUT | tr '\n' '|')"
	same tcp${f}_connect_refused "ev connect-refused $s $l $r $q $l $s state-syn-sent|hd connect-refused $q $r 0 1 -1 ${f} 1|" \
		"$(grep -E '^(ev|hd) connect-refused ' $OUT | tr '\n' '|')"
	# the RST: from the closed port back to the client, RST|ACK acknowledging the SYN
	same tcp${f}_accept_refused "ev accept-refused $s $l $q $r $s $l state-closed|hd accept-refused $q $r 14 1 1 ${f} 1|" \
		"$(grep -E '^(ev|hd) accept-refused ' $OUT | tr '\n' '|')"
	# state changes, Linux's (no time-wait: the time-wait socket is another
	# object; the socket itself closes); the client closes first
	same tcp${f}_state_client "state-closed state-syn-sent|state-syn-sent state-established|state-established state-fin-wait-1|state-fin-wait-1 state-fin-wait-2|state-fin-wait-2 state-closed|" \
		"$(awk -v p=$p '$1 == "sc" && $3 == p { print $4, $5 }' $OUT | tr '\n' '|')"
	same tcp${f}_state_server "state-syn-received state-established|state-established state-close-wait|state-close-wait state-last-ack|state-last-ack state-closed|" \
		"$(awk -v c=$c '$1 == "sc" && $3 == c { print $4, $5 }' $OUT | tr '\n' '|')"
	same tcp${f}_state_listener "state-closed state-listen|state-listen state-syn-received|state-listen state-closed|" \
		"$(awk -v p=$p '$1 == "sc" && $2 == p && $3 == 0 { print $4, $5 }' $OUT | tr '\n' '|')"
	# payload bytes per direction, each a single segment on loopback
	same tcp${f}_send_bytes "$l $c $s $p 1000|$s $p $l $c 2000|" \
		"$(awk '$1 == "sg" && $2 == "send" && $7 > 0 { b[$3 " " $4 " " $5 " " $6] += $7 }
		    END { for (k in b) print k, b[k] }' $OUT | sort -k5n | tr '\n' '|')"
	same tcp${f}_receive_bytes "$l $c $s $p 1000|$s $p $l $c 2000|" \
		"$(awk '$1 == "sg" && $2 == "receive" && $7 > 0 { b[$3 " " $4 " " $5 " " $6] += $7 }
		    END { for (k in b) print k, b[k] }' $OUT | sort -k5n | tr '\n' '|')"
	# the segments with SYN, FIN or RST (flags & 0x17: FIN SYN RST ACK),
	# none a retransmission; the SYN to the closed port finds no socket
	# to receive it
	ctl() {
		awk -v d=$1 '$1 == "sg" && $2 == d && $9 == 1 { print $3, $4, $5, $6, $8, $10 }' $OUT |
		    LC_ALL=C sort | tr '\n' '|'
	}
	same tcp${f}_send_control "$(lines "$l $c $s $p 2 0" "$s $p $l $c 12 0" "$l $c $s $p 11 0" \
		"$s $p $l $c 11 0" "$l $r $s $q 2 0" "$s $q $l $r 14 0")" "$(ctl send)"
	same tcp${f}_receive_control "$(lines "$l $c $s $p 2 0" "$s $p $l $c 12 0" "$l $c $s $p 11 0" \
		"$s $p $l $c 11 0" "$s $q $l $r 14 0")" "$(ctl receive)"
}

tcp_case 4 47123 127.0.0.2 127.0.0.1
tcp_case 6 47133 ::1 ::1

# UDP: both datagrams at the udp and ip probes, v4 and v6
P=47143
ktrace -q -n "
udp:::send, udp:::receive /args[4]->udp_sport == $P || args[4]->udp_dport == $P/ {
	printf(\"u %s %s %d %s %d %d %d\n\", probename, args[2]->ip_saddr, args[4]->udp_sport,
	    args[2]->ip_daddr, args[4]->udp_dport, args[4]->udp_length, args[2]->ip_plength);
	printf(\"us %s %d %s %d %s %d\n\", probename, args[3]->udps_lport, args[3]->udps_laddr,
	    args[3]->udps_rport, args[3]->udps_raddr, args[2]->ip_ver);
}
ip:::send, ip:::receive /args[2]->ip_plength == 1242 || args[2]->ip_plength == 329/ {
	printf(\"ip %s %d %s %s %d %s %d %s\n\", probename, args[2]->ip_ver, args[2]->ip_saddr,
	    args[2]->ip_daddr, args[2]->ip_plength, args[3]->if_name, args[3]->if_local,
	    args[2]->ip_ver == 4 ? args[4]->ipv4_protostr : args[5]->ipv6_nextstr);
	printf(\"ipv %s %d %d %d %d %d\n\", probename, args[2]->ip_ver,
	    args[4]->ipv4_ver + args[5]->ipv6_ver, args[4]->ipv4_length + args[5]->ipv6_plen,
	    args[0]->pkt_addr == arg0, args[4]->ipv4_flags);
}" -c "$W udp $P" >$OUT 2>&1
u4=$(awk '$1 == "udp4" { print $2 }' $OUT)
u6=$(awk '$1 == "udp6" { print $2 }' $OUT)
ktap_diag "udp client ports: ${u4:-?} (IPv4), ${u6:-?} (IPv6)"
udp_check() {
	f=$1 u=$2 s=$3 l=$4
	# 1234 bytes + the 8-byte UDP header; the answer 321 + 8
	same udp${f}_send "u send $l $u $s $P 1242 1242|u send $s $P $l $u 329 329|" \
		"$(grep "^u send " $OUT | grep " $s " | grep -E " ($u|$P) " | tr '\n' '|')"
	same udp${f}_receive "u receive $l $u $s $P 1242 1242|u receive $s $P $l $u 329 329|" \
		"$(grep "^u receive " $OUT | grep " $s " | grep -E " ($u|$P) " | tr '\n' '|')"
	# the sockets are unconnected: their far end comes from the datagram
	same udp${f}_sockets "$(lines "us receive $P $s $u $l ${f}" "us receive $u $l $P $s ${f}" \
		"us send $P $s $u $l ${f}" "us send $u $l $P $s ${f}")" \
		"$(awk -v v=$f '$1 == "us" && $7 == v' $OUT | LC_ALL=C sort | tr '\n' '|')"
	same ip${f}_udp "$(lines "ip receive $f $l $s 1242 lo 1 UDP" "ip receive $f $s $l 329 lo 1 UDP" \
		"ip send $f $l $s 1242 lo 1 UDP" "ip send $f $s $l 329 lo 1 UDP")" \
		"$(awk -v v=$f '$1 == "ip" && $3 == v' $OUT | LC_ALL=C sort | tr '\n' '|')"
	# ipv4info_t (IPv4) or ipv6info_t (IPv6): the other is NULL (0s); the
	# IPv4 total length counts its 20-byte header, the IPv6 one does not;
	# the IPv4 datagrams carry DF (path MTU discovery, Linux's default for
	# UDP): ipv4_flags 4 as DTrace gives it
	if [ $f = 4 ]; then a="1262 1 4" b="349 1 4"; else a="1242 1 0" b="329 1 0"; fi
	same ip${f}_version_info "$(lines "ipv receive $f $f $a" "ipv receive $f $f $b" \
		"ipv send $f $f $a" "ipv send $f $f $b")" \
		"$(awk -v v=$f '$1 == "ipv" && $3 == v' $OUT | LC_ALL=C sort | tr '\n' '|')"
}
udp_check 4 "$u4" 127.0.0.2 127.0.0.1
if grep -q '^noipv6' $OUT; then
	for t in udp6_send udp6_receive udp6_sockets ip6_udp ip6_version_info; do
		ktap_skip $t "no IPv6 loopback in this guest"
	done
else
	udp_check 6 "$u6" ::1 ::1
fi

no_kprobe_left net_no_kprobe_left
ktap_finished
