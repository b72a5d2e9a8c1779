# SPDX-License-Identifier: GPL-2.0
# Helpers of the safety tests (sourced; not a test).
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"

TR=/sys/kernel/tracing
KPL=/sys/kernel/debug/kprobes/list
PAR=/sys/module/ktrace/parameters
[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null
[ -f $KPL ] || mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
STRESS=$(pwd)/stress
T=/tmp/safety.$$
mkdir -p $T
KBAD='BUG:|WARNING:|Oops|general protection|soft lockup|hard LOCKUP|rcu_sched detected stall|rcu: INFO|scheduling while atomic|sleeping function called from invalid context|UBSAN|Kernel panic|invoked oom-killer|Out of memory:'

# Module parameters are restored whatever happens.
SAVED_PARAMS=
for p in deadman_interval_ms deadman_timeout_ms deadman_user_ms drop_event_threshold; do
	[ -f $PAR/$p ] && SAVED_PARAMS="$SAVED_PARAMS $p=$(cat $PAR/$p)"
done
restore_params() {
	for kv in $SAVED_PARAMS; do
		[ -f $PAR/${kv%%=*} ] && echo "${kv#*=}" >$PAR/${kv%%=*} 2>/dev/null
	done
}
cleanup() { restore_params; rm -rf $T; }
trap cleanup EXIT
set_param() { echo "$2" >$PAR/$1; }

# No kprobe, uprobe or ftrace registration of ours is left.
no_registrations() {
	[ ! -f $KPL ] || ! grep -q . $KPL || return 1
	[ ! -f $TR/uprobe_events ] || ! grep -q . $TR/uprobe_events || return 1
	[ ! -f $TR/enabled_functions ] || ! grep -q . $TR/enabled_functions || return 1
	return 0
}
registrations() {
	{ cat $KPL; cat $TR/enabled_functions; } 2>/dev/null | head -n 3 | tr '\n' '|'
}
kprobes_on() { [ -f $KPL ] && grep -q . $KPL; }
ftrace_on() { grep -q . $TR/enabled_functions 2>/dev/null; }
fbt_on() { kprobes_on || ftrace_on; }
# klog_mark / klog_clean MARK: no BUG/WARNING/stall since MARK
klog_mark() { dmesg | wc -l; }
klog_clean() {
	_hit=$(dmesg | tail -n +$(($1 + 1)) | grep -E -m1 "$KBAD")
	[ -z "$_hit" ] && return 0
	echo "# kernel log: $_hit"
	return 1
}
# alive PID: the process exists and is not a zombie
alive() { [ -d /proc/$1 ] && ! grep -q '^State:.*Z' /proc/$1/status 2>/dev/null; }
# nsessions: sessions listed by ktrace --sessions
nsessions() { ktrace --sessions 2>/dev/null | tail -n +2 | grep -c .; }
