#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tcpstates -P PORT on the helper's one loopback session to 127.0.0.1:PORT,
# held 300 ms, the client closing first: its three sockets (client, the
# server's, the listener) go through exactly the states Linux's TCP takes
# them through, in order, and the established ones stay ESTABLISHED for
# at least the 300 ms.
. "$(dirname "$0")/lib.sh"
ktap_plan 6
usage_checks tcpstates
P=$((20000 + $$ % 20000))
bg_until '^SKADDR +PID' tcpstates -P $P
"$W" tcp $P 1 300
bg_stop
# SKADDR PID COMM IP LADDR LPORT RADDR RPORT OLDSTATE NEWSTATE MS
# states SKADDR-TEST: "OLD>NEW MS" of the socket(s) of the first line where
# the test holds, in order
states() {
	sk=$(awk -v p=$P "$1 { print \$1; exit }" $OUT)
	[ -n "$sk" ] && awk -v s=$sk '$1 == s && $4 == 4 && $5 == "127.0.0.1" {
		print $9 ">" $10, $11 }' $OUT
}
same() {	# same NAME WANT GOT
	[ "$2" = "$3" ] && ktap_ok $1 ||
		ktap_fail $1 "wanted '$2', got '$3': $(head -c 900 $OUT | tr '\n' '|')"
}
cli=$(states '$8 == p && $6 != p')
srv=$(states '$6 == p && $10 == "SYN_RECV"')
lis=$(states '$6 == p && $10 == "LISTEN"')
same tcpstates_client "CLOSE>SYN_SENT SYN_SENT>ESTABLISHED ESTABLISHED>FIN_WAIT1 FIN_WAIT1>FIN_WAIT2 FIN_WAIT2>CLOSE" \
	"$(echo "$cli" | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')"
same tcpstates_server "LISTEN>SYN_RECV SYN_RECV>ESTABLISHED ESTABLISHED>CLOSE_WAIT CLOSE_WAIT>LAST_ACK LAST_ACK>CLOSE" \
	"$(echo "$srv" | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')"
same tcpstates_listener "CLOSE>LISTEN LISTEN>CLOSE" "$(echo "$lis" | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')"
# MS: "-" for a socket's first change; ESTABLISHED lasted the 300 ms the
# helper held the session (and not 20 s: a stale start would)
t=$(printf '%s\n%s\n' "$cli" "$srv" | awk '
	NR == 1 || $1 == "LISTEN>SYN_RECV" { if ($2 != "-") bad = bad " first:" $2 }
	$1 ~ /^ESTABLISHED>/ { n++; if ($2 < 300 || $2 > 20000) bad = bad " " $1 ":" $2 }
	END { print n + 0, bad }')
same tcpstates_time_in_state "2 " "$t"
ktap_finished
