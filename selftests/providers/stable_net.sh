#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The tcp provider on loopback: one connection made, used and closed, then
# one connection refused (./workload tcp PORT).  Each probe fires for its
# socket with the ports and addresses the workload used (its client ports
# are printed by the workload), and each socket goes through the states
# Linux's TCP takes it through, in order.
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
[ -x ./workload ] || ktap_skip_all "workload helper missing"

KPL=/sys/kernel/debug/kprobes/list
[ -f $KPL ] || mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
W=$(pwd)/workload
OUT=/tmp/stable_net.$$
P=47123
ktap_plan 10

same() {
	if [ -n "$2" ] && [ "$2" = "$3" ]; then ktap_ok "$1"
	else ktap_fail "$1" "wanted '$(echo "$2" | tr '\n' '|')', got '$(echo "$3" | tr '\n' '|')' ($(head -c 400 $OUT | tr '\n' '|'))"; fi
}

names=$(ktrace -l -n 'tcp:::' 2>/dev/null | awk '$2 == "tcp" { print $NF }' | tr '\n' ' ')
same tcp_probes_listed "state-change connect-request connect-established connect-refused accept-established accept-refused " "$names"

# sk: arg1 (csinfo_t) and arg3 (tcpsinfo_t) are the socket; 127.0.0.1 is
# 0x100007f read as a little-endian word
ktrace -q -n '
tcp:::state-change /((struct sock *)arg3)->__sk_common.skc_family == 2/ {
	printf("sc %d %d %d %d %d\n", ((struct sock *)arg3)->__sk_common.skc_num,
	    htons(((struct sock *)arg3)->__sk_common.skc_dport), arg5, arg6, arg1 == arg3);
}
tcp:::connect-request, tcp:::connect-established, tcp:::accept-established, tcp:::connect-refused
/((struct sock *)arg1)->__sk_common.skc_family == 2/ {
	printf("%s %d %d %x %x %d\n", probename, ((struct sock *)arg1)->__sk_common.skc_num,
	    htons(((struct sock *)arg1)->__sk_common.skc_dport), ((struct sock *)arg1)->__sk_common.skc_rcv_saddr,
	    ((struct sock *)arg1)->__sk_common.skc_daddr, arg1 == arg3);
}
tcp:::accept-refused {
	this->th = (struct tcphdr *)(((struct sk_buff *)arg0)->head + ((struct sk_buff *)arg0)->transport_header);
	printf("%s %d %d %d\n", probename, htons(this->th->source), htons(this->th->dest), arg0 == arg2 && arg2 == arg4 && arg1 == 0);
}' -c "$W tcp $P" >$OUT 2>&1
C=$(awk '$1 == "tcp" { print $2 }' $OUT)
R=$(awk '$1 == "refused" { print $2 }' $OUT)
ktap_diag "client port ${C:-?}, refused client port ${R:-?}"

# connect-request: the local port is not chosen yet when Linux sends the SYN state (0)
same tcp_connect_request "connect-request 0 $P 100007f 100007f 1|connect-request 0 $((P + 1)) 100007f 100007f 1|" \
	"$(grep '^connect-request ' $OUT | tr '\n' '|')"
same tcp_connect_established "connect-established $C $P 100007f 100007f 1" "$(grep '^connect-established ' $OUT)"
same tcp_accept_established "accept-established $P $C 100007f 100007f 1" "$(grep '^accept-established ' $OUT)"
same tcp_connect_refused "connect-refused $R $((P + 1)) 100007f 100007f 1" "$(grep '^connect-refused ' $OUT)"
same tcp_accept_refused "accept-refused $R $((P + 1)) 1" "$(grep '^accept-refused ' $OUT)"
# state changes (Linux TCP_*: 1 ESTABLISHED 2 SYN_SENT 3 SYN_RECV 4 FIN_WAIT1
# 5 FIN_WAIT2 7 CLOSE 8 CLOSE_WAIT 9 LAST_ACK 10 LISTEN); the client closes first
same tcp_state_client "7 2|2 1|1 4|4 5|5 7|" "$(awk -v p=$P '$1 == "sc" && $3 == p && $6 == 1 { print $4, $5 }' $OUT | tr '\n' '|')"
same tcp_state_server "3 1|1 8|8 9|9 7|" "$(awk -v c=$C '$1 == "sc" && $3 == c && $6 == 1 { print $4, $5 }' $OUT | tr '\n' '|')"
same tcp_state_listener "7 10|10 3|10 7|" "$(awk -v p=$P '$1 == "sc" && $2 == p && $3 == 0 && $6 == 1 { print $4, $5 }' $OUT | tr '\n' '|')"
if [ ! -s $KPL ] || ! grep -q . $KPL; then ktap_ok tcp_no_kprobe_left
else ktap_fail tcp_no_kprobe_left "$(head -c 300 $KPL | tr '\n' '|')"; fi
rm -f $OUT
ktap_finished
