#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# procsystime: the helper's 200 getppid() calls are counted exactly; its 3
# sleeps of 100 ms add up to 300 ms or more of elapsed time but little CPU
# time; -p keeps only the process given; -T adds the totals.
. "$(dirname "$0")/lib.sh"
ktap_plan 7
usage_checks procsystime
# val TITLE CALL: the value of CALL in the table whose title starts with TITLE
val() {
	awk -v t="$1" -v c="$2" 'index($0, t) == 1 { on = 1; next } /^[A-Z].* for / { on = 0 }
		on && $1 == c { v = $2 } END { print v + 0 }' $OUT
}
bg_until '^Tracing' procsystime -a -T -n toolwork
"$W" getppid 200
"$W" sleep 3 100
bg_stop
n=$(val 'System Call Counts' getppid)
[ "$n" -eq 200 ] && ktap_ok procsystime_counts_calls || ktap_fail procsystime_counts_calls "$n: $(head -c 800 $OUT | tr '\n' '|')"
e=$(($(val 'Elapsed Times' nanosleep) + $(val 'Elapsed Times' clock_nanosleep)))
c=$(($(val 'CPU Times' nanosleep) + $(val 'CPU Times' clock_nanosleep)))
[ $e -ge 300000000 ] && [ $e -lt 5000000000 ] && ktap_ok procsystime_elapsed_times ||
	ktap_fail procsystime_elapsed_times "$e ns: $(head -c 800 $OUT | tr '\n' '|')"
[ $c -gt 0 ] && [ $c -lt 100000000 ] && ktap_ok procsystime_cpu_times ||
	ktap_fail procsystime_cpu_times "$c ns on CPU: $(head -c 800 $OUT | tr '\n' '|')"
# the TOTAL line of the counts is the sum of the table above it
if awk 'index($0, "System Call Counts") == 1 { on = 1; next } on && $1 == "TOTAL:" { t = $2; exit }
	on && NF == 2 && $2 ~ /^[0-9]+$/ { s += $2 } END { exit !(t == s && s >= 200) }' $OUT; then
	ktap_ok procsystime_totals
else ktap_fail procsystime_totals "$(head -c 800 $OUT | tr '\n' '|')"; fi
# -p: the table has only the sleeps of the process given (default: elapsed times)
"$W" sleep 100 50 &
S=$!
bg_until '^Tracing' procsystime -p $S
"$W" getppid 100
sleep 1
bg_stop
kill $S; wait $S 2>/dev/null
e=$(($(val 'Elapsed Times' nanosleep) + $(val 'Elapsed Times' clock_nanosleep)))
if grep -q "^Elapsed Times for PID $S:" $OUT && [ $e -ge 50000000 ] && ! grep -qw getppid $OUT &&
   ! grep -q 'System Call Counts' $OUT; then ktap_ok procsystime_pid_only
else ktap_fail procsystime_pid_only "$e ns: $(head -c 800 $OUT | tr '\n' '|')"; fi
ktap_finished
