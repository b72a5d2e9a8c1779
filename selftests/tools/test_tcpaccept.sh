#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tcpaccept -P PORT shows exactly the helper's 3 accepts on 127.0.0.1:PORT,
# from 3 distinct remote ports.
. "$(dirname "$0")/lib.sh"
ktap_plan 3
usage_checks tcpaccept
P=$((20000 + ($$ + 7) % 20000))
bg_until '^ +PID +COMM' tcpaccept -P $P
"$W" tcp $P 3 & w=$!; wait $w
bg_stop
# PID COMM IP LADDR LPORT RADDR RPORT
n=$(awk -v w=$w -v p=$P '$1 == w && $2 == "toolwork" && $3 == 4 && $4 == "127.0.0.1" &&
	$5 == p && $6 == "127.0.0.1" && $7 != p { print $7 }' $OUT | sort -u | wc -l)
all=$(grep -vc -e '^ *PID' -e '^$' $OUT)
[ "$n" -eq 3 ] && [ "$all" -eq 3 ] && ktap_ok tcpaccept_sees_accepts ||
	ktap_fail tcpaccept_sees_accepts "$n of $all lines (pid $w): $(head -c 600 $OUT | tr '\n' '|')"
ktap_finished
