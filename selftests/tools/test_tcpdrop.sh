#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tcpdrop -P PORT while the helper connects 3 times to 127.0.0.1:PORT, where
# nothing listens, and once to PORT+1: the kernel answers each SYN with a
# reset and drops it (NO_SOCKET, no socket to own it): exactly 3 lines, the
# SYNs from 3 client ports to PORT, each followed by the kernel stack that
# dropped it (TCP's receive path); the drop on PORT+1 is filtered out.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks tcpdrop
P=$((20000 + ($$ + 41) % 20000))
bg_until '^SADDR' tcpdrop -P $P
"$W" refused $P 3
"$W" refused $((P + 1)) 1
bg_stop
# SADDR SPORT DADDR DPORT FLAGS STATE REASON
n=$(awk -v p=$P '$1 == "127.0.0.1" && $3 == "127.0.0.1" && $4 == p && $5 == "S" && $6 == "-" &&
	$7 == "NO_SOCKET" { print $2 }' $OUT | sort -u | wc -l)
[ "$n" -eq 3 ] && ktap_ok tcpdrop_sees_dropped_syns ||
	ktap_fail tcpdrop_sees_dropped_syns "$n SYNs: $(head -c 900 $OUT | tr '\n' '|')"
all=$(grep -c '^[0-9a-f.:]* *[0-9][0-9]* ' $OUT)
[ "$all" -eq 3 ] && ktap_ok tcpdrop_port_filter ||
	ktap_fail tcpdrop_port_filter "$all lines, wanted 3: $(head -c 900 $OUT | tr '\n' '|')"
# each line's stack: the frames up to the next blank line hold tcp_v4_rcv
s=$(awk '/^127\.0\.0\.1 / { if (on) print ok; on = 1; ok = 0; next }
	on && /^ *tcp_v4_rcv\+/ { ok = 1 } END { if (on) print ok }' $OUT | tr '\n' ' ')
[ "$s" = "1 1 1 " ] && ktap_ok tcpdrop_stacks ||
	ktap_fail tcpdrop_stacks "tcp_v4_rcv in the stacks: '$s': $(head -c 900 $OUT | tr '\n' '|')"
ktap_finished
