#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tcpconnect -P PORT shows exactly the helper's 3 connects to 127.0.0.1:PORT,
# each from its own local port, result 0.
. "$(dirname "$0")/lib.sh"
ktap_plan 3
usage_checks tcpconnect
P=$((20000 + $$ % 20000))
bg_until '^ +PID +COMM' tcpconnect -P $P
"$W" tcp $P 3 & w=$!; wait $w
bg_stop
# PID COMM IP SADDR SPORT DADDR DPORT RET
n=$(awk -v w=$w -v p=$P '$1 == w && $2 == "toolwork" && $3 == 4 && $4 == "127.0.0.1" &&
	$6 == "127.0.0.1" && $7 == p && $8 == 0 { print $5 }' $OUT | sort -u | wc -l)
all=$(grep -vc -e '^ *PID' -e '^$' $OUT)
[ "$n" -eq 3 ] && [ "$all" -eq 3 ] && ktap_ok tcpconnect_sees_connects ||
	ktap_fail tcpconnect_sees_connects "$n of $all lines (pid $w): $(head -c 600 $OUT | tr '\n' '|')"
ktap_finished
