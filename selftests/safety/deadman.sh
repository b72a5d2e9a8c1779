#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The deadman: a consumer stopped with SIGSTOP is aborted once it missed
# deadman_user_ms of heartbeats (its probes are removed while it is still
# stopped; it reports the abort and exits 1 when continued); a session
# with no firing probe is reaped by the timer; a session whose probes keep
# the CPUs busy with interrupts off (chill() from a profile probe on every
# CPU) is aborted for systemic unresponsiveness and the system recovers.
# The intervals are shrunk through /sys/module/ktrace/parameters.
cd "$(dirname "$0")" || exit 1
. ./common.sh
[ -w $PAR/deadman_user_ms ] || ktap_skip_all "module parameters not writable"
ktap_plan 11

set_param deadman_interval_ms 100
set_param deadman_timeout_ms 1000
set_param deadman_user_ms 1500

# --- 1. stopped consumer, firing probes: aborted (CONSUMER), probes gone
mark=$(klog_mark)
ktrace -q -n 'fbt::vfs_read:entry { @n = count(); }' >$T/out 2>$T/err &
k=$!
if ktap_poll 30 fbt_on; then
	kill -STOP $k
	# keep vfs_read firing while the consumer is stopped
	$STRESS mix 4 >/dev/null
	if ktap_poll 10 no_registrations; then
		ktap_ok stopped_consumer_probes_removed
	else
		ktap_fail stopped_consumer_probes_removed "still registered: $(registrations)"
	fi
	st=$(ktrace --sessions 2>/dev/null | awk -v p=$k '$2 == p { print $5 }')
	if [ "$st" = killed:consumer ]; then ktap_ok stopped_consumer_session_killed_consumer
	else ktap_fail stopped_consumer_session_killed_consumer "state '$st'"; fi
	kill -CONT $k
	wait $k; rc=$?
	if [ $rc = 1 ] && grep -q '^ktrace: processing aborted: Abort due to an unresponsive consumer' $T/err; then
		ktap_ok stopped_consumer_reports_abort_exit_1
	else
		ktap_fail stopped_consumer_reports_abort_exit_1 "rc=$rc err: $(head -c 300 $T/err | tr '\n' '|')"
	fi
else
	kill -9 $k; wait $k
	ktap_fail stopped_consumer_probes_removed "the session never enabled its probe: $(head -c 300 $T/err)"
	ktap_skip stopped_consumer_session_killed_consumer "no session"
	ktap_skip stopped_consumer_reports_abort_exit_1 "no session"
fi
ktap_result stopped_consumer_klog_clean klog_clean $mark

# --- 2. stopped consumer, no probe firing: the timer reaps it
ktrace -q -n 'BEGIN { }' >$T/out 2>$T/err &
k=$!
if ktap_poll 20 sh -c "ktrace --sessions 2>/dev/null | awk '\$2 == $k && \$5 == \"active\"' | grep -q ."; then
	kill -STOP $k
	t0=$(date +%s)
	ktap_poll 15 sh -c "ktrace --sessions 2>/dev/null | awk '\$2 == $k && \$5 == \"killed:consumer\"' | grep -q ."
	ok=$?; t1=$(date +%s)
	# user (1.5 s) + timeout (1 s); not before (the session did nothing wrong)
	if [ $ok = 0 ] && [ $((t1 - t0)) -ge 2 ]; then
		ktap_ok silent_session_reaped_by_timer
	else
		ktap_fail silent_session_reaped_by_timer "reaped=$ok after $((t1 - t0)) s"
	fi
	kill -CONT $k; wait $k; rc=$?
	[ $rc = 1 ] && ktap_ok silent_session_consumer_exit_1 || ktap_fail silent_session_consumer_exit_1 "rc=$rc"
else
	kill -9 $k; wait $k
	ktap_fail silent_session_reaped_by_timer "session never active: $(head -c 300 $T/err)"
	ktap_skip silent_session_consumer_exit_1 "no session"
fi

# --- 3. a heartbeating consumer (status every 1 s) is never aborted
set_param deadman_user_ms 3000
ktrace -q -n 'fbt::vfs_read:entry { @n = count(); } tick-1s { i++; } tick-1s /i == 4/ { exit(0); }' >$T/out 2>$T/err &
k=$!
$STRESS mix 5 >/dev/null
wait $k; rc=$?
if [ $rc = 0 ] && ! grep -q aborted $T/err; then ktap_ok live_consumer_not_aborted
else ktap_fail live_consumer_not_aborted "rc=$rc err: $(head -c 300 $T/err | tr '\n' '|')"; fi

# --- 4. probes that keep every CPU busy with interrupts off: DEADMAN
set_param deadman_user_ms 30000
set_param deadman_interval_ms 100
set_param deadman_timeout_ms 200
mark=$(klog_mark)
t0=$(date +%s)
timeout 60 ktrace -w -q -n 'profile-997 { chill(400000000); }' >$T/out 2>$T/err
rc=$?; t1=$(date +%s)
if [ $rc = 1 ] && grep -q '^ktrace: processing aborted: Abort due to systemic unresponsiveness' $T/err; then
	ktap_ok unresponsive_system_aborted_deadman
else
	ktap_fail unresponsive_system_aborted_deadman "rc=$rc after $((t1 - t0)) s: $(head -c 300 $T/err | tr '\n' '|') clock: $(dmesg | grep -iE 'tsc|clocksource' | tail -n 3 | tr '\n' '|')"
fi
[ $((t1 - t0)) -le 20 ] && ktap_ok unresponsive_abort_within_20s || ktap_fail unresponsive_abort_within_20s "$((t1 - t0)) s"
restore_params
# the system recovered: a new session runs and ends normally, fast
t0=$(date +%s)
out=$(ktrace -q -n 'BEGIN { printf("up\n"); exit(0); }' 2>&1); rc=$?
t1=$(date +%s)
if [ $rc = 0 ] && [ "$out" = up ] && [ $((t1 - t0)) -le 10 ]; then ktap_ok system_recovers_after_deadman
else ktap_fail system_recovers_after_deadman "rc=$rc out='$out' $((t1 - t0)) s"; fi
ktap_result unresponsive_klog_clean klog_clean $mark
ktap_finished
