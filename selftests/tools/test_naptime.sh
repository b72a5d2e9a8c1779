#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# naptime: toolwork naps 3 50 asks three times each for 50 ms of
# nanosleep (clock_nanosleep in this C library), poll and select (pselect6):
# nine lines with its pid and 50.000 ms; -s counts them by call.
. "$(dirname "$0")/lib.sh"
ktap_plan 6
usage_checks naptime
bg_until '^ *PID +PPID' naptime -n toolwork
"$W" naps 3 50 & N=$!
wait $N
bg_stop
for k in 'clock_nanosleep|nanosleep' 'poll|ppoll' 'pselect6|select'; do
	n=$(grep -Ec "^ *$N +[0-9]+ toolwork +($k) +50\.000$" $OUT)
	c=$(echo "$k" | cut -d'|' -f1)
	[ "$n" -eq 3 ] && ktap_ok naptime_sees_$c ||
		ktap_fail naptime_sees_$c "$n lines, wanted 3: $(head -c 800 $OUT | tr '\n' '|')"
done
# -s: per pid and call, 2 naps of 30 ms: count 2, 60000 us asked
bg_until '^Tracing sleeping' naptime -s -n toolwork
"$W" naps 2 30 & N=$!
wait $N
bg_stop
n=$(grep -Ec "^ *$N +toolwork +(clock_nanosleep|nanosleep|poll|ppoll|pselect6|select) +2 +60000$" $OUT)
[ "$n" -eq 3 ] && ktap_ok naptime_summary || ktap_fail naptime_summary "$n rows, wanted 3: $(head -c 800 $OUT | tr '\n' '|')"
ktap_finished
