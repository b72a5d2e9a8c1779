#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The "ktrace" generic netlink family through the CLI: ktrace --sessions
# lists the live sessions (header, then one line each) and ktrace --watch
# prints one line per event: started, stopped, aborted (with the reason)
# and drops past drop_event_threshold; it stops on SIGINT with status 0.
cd "$(dirname "$0")" || exit 1
. ./common.sh
ktap_plan 9
mark=$(klog_mark)

ktrace --sessions >$T/s 2>$T/e; rc=$?
if [ $rc = 0 ] && [ "$(grep -c . $T/s)" = 1 ] && grep -q '^ *SESSION  *PID  *UID  *COMM  *STATE' $T/s; then
	ktap_ok sessions_idle_prints_header_only
else
	ktap_fail sessions_idle_prints_header_only "rc=$rc $(tr '\n' '|' <$T/s) $(cat $T/e)"
fi

ktrace --watch >$T/w 2>$T/we &
w=$!
sleep 1

ktrace -q -n 'syscall::read:entry { @ = count(); }' >/dev/null 2>&1 &
k=$!
ktap_poll 20 sh -c "ktrace --sessions 2>/dev/null | awk '\$2 == $k && \$5 == \"active\"' | grep -q ."
line=$(ktrace --sessions 2>/dev/null | awk -v p=$k '$2 == p')
set -- $line
if [ "$2" = $k ] && [ "$3" = 0 ] && [ "$4" = ktrace ] && [ "$5" = active ] && [ "$6" -ge 1 ]; then
	ktap_ok sessions_lists_running_session
else
	ktap_fail sessions_lists_running_session "line '$line'"
fi
kill -INT $k; wait $k
sleep 1
grep -q "^started session=[0-9]* pid=$k uid=0 comm=ktrace probes=[1-9]" $T/w &&
	grep -q "^stopped session=[0-9]* pid=$k uid=0 comm=ktrace drops=0 errors=0" $T/w &&
	ktap_ok watch_reports_started_and_stopped ||
	ktap_fail watch_reports_started_and_stopped "$(tr '\n' '|' <$T/w)"

# SIGKILL: the close is reported as stopped too
ktrace -q -n 'syscall::read:entry { @ = count(); }' >/dev/null 2>&1 &
k=$!
ktap_poll 20 grep -q "^started session=[0-9]* pid=$k " $T/w
kill -9 $k; wait $k 2>/dev/null
ktap_poll 5 grep -q "^stopped session=[0-9]* pid=$k " $T/w &&
	ktap_ok watch_reports_killed_consumer_as_stopped ||
	ktap_fail watch_reports_killed_consumer_as_stopped "$(tr '\n' '|' <$T/w)"

# aborted, with the reason: the consumer misses its heartbeat (1 s); the
# timer's own lateness limit (deadman_timeout_ms) is kept well above what a
# loaded, emulated guest can hold a timer back, else the reason is "deadman"
set_param deadman_interval_ms 100
set_param deadman_timeout_ms 3000
set_param deadman_user_ms 1000
ktrace -q -n 'BEGIN { }' >/dev/null 2>&1 &
k=$!
ktap_poll 20 grep -q "^started session=[0-9]* pid=$k " $T/w
kill -STOP $k
ktap_poll 15 grep -q "^aborted session=[0-9]* pid=$k uid=0 comm=ktrace reason=consumer" $T/w &&
	ktap_ok watch_reports_abort_reason ||
	ktap_fail watch_reports_abort_reason "$(tr '\n' '|' <$T/w)"
kill -CONT $k; wait $k
restore_params

# drops past the threshold: tiny buffer, consumer stopped while syscalls trace
set_param drop_event_threshold 10
ktrace -q -b 4k -n 'syscall:::entry { printf("%d %s %d\n", pid, execname, arg0); }' >/dev/null 2>&1 &
k=$!
ktap_poll 20 grep -q "^started session=[0-9]* pid=$k " $T/w
kill -STOP $k
$STRESS mix 2 >/dev/null
ktap_poll 10 grep -q "^drops session=[0-9]* pid=$k " $T/w
kill -CONT $k; kill -INT $k; wait $k
d=$(awk -v p="pid=$k" '$1 == "drops" && $3 == p { sub("drops=", "", $6); print $6 }' $T/w | tail -n1)
[ "${d:-0}" -ge 10 ] && ktap_ok watch_reports_drops_past_threshold ||
	ktap_fail watch_reports_drops_past_threshold "$(tr '\n' '|' <$T/w)"
restore_params

# one line per event, nothing else on stdout
bad=$(grep -cv '^\(started\|stopped\|aborted\|drops\) session=[0-9]* pid=[0-9]* uid=[0-9]* comm=' $T/w)
[ "$bad" = 0 ] && ktap_ok watch_one_line_per_event || ktap_fail watch_one_line_per_event "$bad other lines"

kill -INT $w; wait $w; rc=$?
[ $rc = 0 ] && ktap_ok watch_stops_on_sigint || ktap_fail watch_stops_on_sigint "rc=$rc $(cat $T/we)"
ktap_result netlink_klog_clean klog_clean $mark
ktap_finished
