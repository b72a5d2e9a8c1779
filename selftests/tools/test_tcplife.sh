#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tcplife -P PORT on the helper's 3 loopback sessions to 127.0.0.1:PORT, each
# held 300 ms: 3 client lines (its own ports to PORT, 1000 bytes sent, 2000
# received) and 3 server lines (PORT to those ports, the reverse), all of the
# helper's pid, each lasting at least 300 ms; the listener is no session.
. "$(dirname "$0")/lib.sh"
ktap_plan 6
usage_checks tcplife
P=$((20000 + $$ % 20000))
bg_until '^ +PID +COMM' tcplife -P $P
"$W" tcp $P 3 300 & w=$!; wait $w
bg_stop
# PID COMM IP LADDR LPORT RADDR RPORT TX RX MS
# sel FIELD TX RX: "LPORT RPORT" of the helper's lines with PORT in FIELD
sel() {
	awk -v w=$w -v p=$P -v f=$1 -v tx=$2 -v rx=$3 '$1 == w && $2 == "toolwork" && $3 == 4 &&
		$4 == "127.0.0.1" && $6 == "127.0.0.1" && $f == p && $8 == tx && $9 == rx {
		print $5, $7 }' $OUT | sort -u
}
cli=$(sel 7 1000 2000)
srv=$(sel 5 2000 1000)
n=$(echo "$cli" | grep -c .)
[ "$n" -eq 3 ] && ktap_ok tcplife_client_sessions ||
	ktap_fail tcplife_client_sessions "$n client lines (pid $w): $(head -c 600 $OUT | tr '\n' '|')"
# the server's remote ports are the client's local ports
[ "$(echo "$srv" | awk '{ print $2 }' | sort)" = "$(echo "$cli" | awk '{ print $1 }' | sort)" ] &&
	[ "$n" -eq 3 ] && ktap_ok tcplife_server_sessions ||
	ktap_fail tcplife_server_sessions "server '$(echo $srv)', client '$(echo $cli)'"
# 6 sessions and nothing else: the listener (LPORT PORT, RPORT 0) is not one
all=$(grep -vc -e '^ *PID' -e '^$' $OUT)
[ "$all" -eq 6 ] && ktap_ok tcplife_only_sessions ||
	ktap_fail tcplife_only_sessions "$all lines: $(head -c 600 $OUT | tr '\n' '|')"
# each was held 300 ms, and none took more than 20 s (a stale start time would)
bad=$(awk '$1 ~ /^[0-9]+$/ && ($10 < 300 || $10 > 20000) { print $10 }' $OUT)
[ "$all" -gt 0 ] && [ -z "$bad" ] && ktap_ok tcplife_lifespan ||
	ktap_fail tcplife_lifespan "MS out of 300..20000: '$(echo $bad)' of $all lines"
ktap_finished
