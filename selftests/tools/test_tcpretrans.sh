#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The helper connects to a listener whose accept queue is full: the SYN is
# dropped and retransmitted once (RTO 1 s) in the 1.5 s it waits.
# tcpretrans shows that one retransmission in SYN_SENT; -c counts it.
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks tcpretrans
P=$((20000 + ($$ + 13) % 20000))
bg_until '^LADDR' tcpretrans -P $P
"$W" synretrans $P
bg_stop
n=$(awk -v p=$P '$1 == "127.0.0.1" && $3 == "127.0.0.1" && $4 == p && $5 == "SYN_SENT"' $OUT | wc -l)
[ "$n" -eq 1 ] && ktap_ok tcpretrans_sees_syn_retransmit ||
	ktap_fail tcpretrans_sees_syn_retransmit "$n lines: $(head -c 600 $OUT | tr '\n' '|')"
P=$((P + 1))
bg_until '^Tracing TCP' tcpretrans -c -P $P
"$W" synretrans $P
bg_stop
has tcpretrans_counts "^127\.0\.0\.1 +[0-9]+ 127\.0\.0\.1 +$P SYN_SENT +1$"
ktap_finished
