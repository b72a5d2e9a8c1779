#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# sockstat -n toolwork 1 while the helper listens on a port (socket, bind,
# listen) and makes 4 connections to itself (socket, connect, accept each):
# summed over the lines, exactly 5 socket, 1 bind, 1 listen, 4 connect and
# 4 accept calls, 15 in all, and no shutdown; each line's ALL is the sum of
# its columns.
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks sockstat
P=$((20000 + ($$ + 71) % 20000))
bg_until '^TIME +ALL' sockstat -n toolwork 1
"$W" tcp $P 4
sleep 1.2	# the interval the calls fell in is printed
bg_stop
# TIME ALL SOCKET BIND LISTEN CONNECT ACCEPT SHUTDOWN
got=$(awk '$1 ~ /^[0-9][0-9]:/ { for (i = 2; i <= 8; i++) s[i] += $i }
	END { for (i = 2; i <= 8; i++) printf "%d ", s[i] }' $OUT)
[ "$got" = "15 5 1 1 4 4 0 " ] && ktap_ok sockstat_counts_calls ||
	ktap_fail sockstat_counts_calls "'$got', wanted '15 5 1 1 4 4 0 ': $(head -c 900 $OUT | tr '\n' '|')"
bad=$(awk '$1 ~ /^[0-9][0-9]:/ && $2 != $3 + $4 + $5 + $6 + $7 + $8' $OUT | wc -l)
n=$(grep -c '^[0-9][0-9]:' $OUT)
[ "$n" -ge 1 ] && [ "$bad" -eq 0 ] && ktap_ok sockstat_all_is_the_sum ||
	ktap_fail sockstat_all_is_the_sum "$bad of $n lines: $(head -c 900 $OUT | tr '\n' '|')"
ktap_finished
