#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Teardown: SIGKILL of the consumer while it enables a few hundred fbt
# probes and while it traces heavily leaves no kprobe/ftrace registration;
# the module cannot be removed while a session is open (EWOULDBLOCK, "in
# use") and can be once the sessions are closed; it is loaded back with
# the same arguments for the tests that follow.
cd "$(dirname "$0")" || exit 1
. ./common.sh
[ -r /vm/modules ] || ktap_skip_all "not in the vm/run guest (no /vm/modules)"
# the ktrace.ko line of the guest's load list (other modules come first)
read -r KO KOARGS <<EOF
$(grep -E '/ktrace\.ko( |$)' /vm/modules | tail -n 1)
EOF
[ -f "$KO" ] || ktap_skip_all "module file $KO not found"
ktap_plan 10
mark=$(klog_mark)

# SIGKILL during enable: fbt::vfs_*:entry takes a while to register
fails=
for d in 0.1 0.3 0.6 1 2; do
	ktrace -q -n 'fbt::vfs_*:entry { @[probefunc] = count(); }' >/dev/null 2>$T/err &
	k=$!
	sleep $d
	kill -9 $k; wait $k 2>/dev/null
	ktap_poll 10 no_registrations || fails="$fails after ${d}s: $(registrations)"
done
[ -z "$fails" ] && ktap_ok sigkill_during_enable_leaves_nothing || ktap_fail sigkill_during_enable_leaves_nothing "$fails"

# the same enabling is complete after a while: it really registers
ktrace -q -n 'fbt::vfs_*:entry { @[probefunc] = count(); }' >/dev/null 2>$T/err &
k=$!
if ktap_poll 60 sh -c "ktrace --sessions 2>/dev/null | awk '\$2 == $k && \$5 == \"active\"' | grep -q ."; then
	n=$(grep -c . $TR/enabled_functions 2>/dev/null)
	n=$((n + $(grep -c . $KPL 2>/dev/null)))
	kill -9 $k; wait $k 2>/dev/null
	if [ "$n" -ge 10 ] && ktap_poll 10 no_registrations; then ktap_ok sigkill_after_enable_leaves_nothing
	else ktap_fail sigkill_after_enable_leaves_nothing "$n registered while active; after: $(registrations)"; fi
else
	kill -9 $k; wait $k 2>/dev/null
	ktap_fail sigkill_after_enable_leaves_nothing "never active: $(head -c 300 $T/err)"
fi

# SIGKILL during heavy tracing (records, aggregations, several providers)
ktrace -q -b 64k -n 'fbt::vfs_read:entry, fbt::kmem_cache_alloc:entry, syscall:::entry, profile-997 { @[probefunc] = count(); } syscall::read:entry { printf("%d %s %d\n", pid, execname, arg2); }' >/dev/null 2>$T/err &
k=$!
sleep 1
$STRESS mix 3 >/dev/null
kill -9 $k; wait $k 2>/dev/null
ktap_poll 10 no_registrations && ktap_ok sigkill_during_heavy_tracing_leaves_nothing ||
	ktap_fail sigkill_during_heavy_tracing_leaves_nothing "$(registrations)"
n=$(nsessions)
[ "$n" = 0 ] && ktap_ok sigkill_sessions_gone || ktap_fail sigkill_sessions_gone "$n sessions listed"

# rmmod while a session is open: refused, nothing changes
exec 3<>/dev/ktrace
rmmod ktrace 2>$T/rm; rc=$?
if [ $rc != 0 ] && grep -q ktrace /proc/modules && [ -c /dev/ktrace ]; then
	ktap_ok rmmod_refused_with_open_session
else
	ktap_fail rmmod_refused_with_open_session "rc=$rc $(cat $T/rm)"
fi
exec 3>&-

# rmmod while a session is tracing
ktrace -q -n 'fbt::vfs_read:entry { @ = count(); }' >/dev/null 2>&1 &
k=$!
ktap_poll 30 fbt_on
rmmod ktrace 2>$T/rm; rc=$?
alive $k; a=$?
if [ $rc != 0 ] && [ $a = 0 ] && grep -q ktrace /proc/modules; then
	ktap_ok rmmod_refused_while_tracing
else
	ktap_fail rmmod_refused_while_tracing "rc=$rc consumer alive=$a $(cat $T/rm)"
fi
kill -INT $k; wait $k; rc=$?
[ $rc = 0 ] && ktap_ok consumer_unaffected_by_failed_rmmod || ktap_fail consumer_unaffected_by_failed_rmmod "rc=$rc"

# every session closed: rmmod succeeds and leaves nothing; load it back
if rmmod ktrace 2>$T/rm && ! grep -q '^ktrace ' /proc/modules && no_registrations; then
	ktap_ok rmmod_succeeds_after_sessions_closed
else
	ktap_fail rmmod_succeeds_after_sessions_closed "$(cat $T/rm) $(registrations)"
fi
grep -q '^ktrace ' /proc/modules || insmod "$KO" $KOARGS
ktap_poll 5 test -c /dev/ktrace
out=$(ktrace -q -n 'BEGIN { printf("back\n"); exit(0); }' 2>&1)
[ "$out" = back ] && ktap_ok module_reloaded_works || ktap_fail module_reloaded_works "$out"
ktap_result teardown_klog_clean klog_clean $mark
ktap_finished
