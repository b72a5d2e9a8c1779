#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ktrace-stat (user/tools/ktrace-stat) on the cpc provider's software
# events, against workloads whose truth is known: the page faults of a
# command that touches N pages (exact, with a -f predicate on the faulting
# address), its context switches (at least one per wait), per-interval
# counts that add up to the total, and clear errors for what cannot be
# counted or named.  In the providers suite (MODULE_SUITES), so it runs on
# every kernel.  The formatter's ratios (IPC, miss rates) are checked on
# the host (selftests/tools/test_ktrace-stat.sh): QEMU TCG has no
# PMU, vm/cpc-hw.sh runs it on hardware counters.
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

TOOLS=$(cd ../lib/tools 2>/dev/null && pwd)
[ -n "$TOOLS" ] || ktap_skip_all "tools not staged (../lib/tools)"
PATH=$TOOLS:$PATH
command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
[ -x ./workload ] || ktap_skip_all "workload helper missing"

W=$(pwd)/workload
OUT=/tmp/cpcstat.$$
trap 'rm -f $OUT $OUT.go' EXIT
BASE=17592186044416	# KT_TOUCH_ADDR of workload.c
RANGE="arg2 >= $BASE && arg2 < $BASE + 300 * 4096"
ktap_plan 8
snip() { head -c 400 $OUT | tr '\n' '|'; }
# count EVENT: the number on EVENT's line of the last block
count() { awk -v e="$1" '$2 == e || $3 == e { v = $1 } END { print v }' $OUT; }

ktrace-stat -h >$OUT 2>&1 && grep -q '^usage:' $OUT && ktap_ok ktrace_stat_help ||
	ktap_fail ktrace_stat_help "$(snip)"

# exactly the command's faults in its range
ktrace-stat -e page-faults -m user -f "$RANGE" -c "$W touch 300" >$OUT 2>&1
rc=$?
[ $rc = 0 ] && [ "$(count page-faults)" = 300 ] && grep -q "stats for '$W touch 300'" $OUT &&
	ktap_ok ktrace_stat_page_faults_exact || ktap_fail ktrace_stat_page_faults_exact "rc=$rc: $(snip)"

# the default events (software ones under TCG), each on a line; context
# switches at least one per wait of the command
ktrace-stat -c "$W naps 50" >$OUT 2>&1
n=$(count context-switches)
ok=1
for e in task-clock context-switches cpu-migrations page-faults; do
	grep -Eq " $e\$| $e +#" $OUT || ok=0
done
[ $ok = 1 ] && [ -n "$n" ] && [ "$n" -ge 50 ] && grep -q 'seconds time elapsed' $OUT &&
	ktap_ok ktrace_stat_default_events || ktap_fail ktrace_stat_default_events "$(snip)"
ktap_diag "context switches of 50 waits: $n"

# -i: the intervals add up to the total, which is exact (system-wide, the
# predicate keeps the workload's range)
: >$OUT
ktrace-stat -e page-faults -f "$RANGE" -i 1 -d 6 >>$OUT 2>&1 &
bg=$!
i=0
while ! grep -q '^ *[0-9.]* s$' $OUT && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
"$W" touch 300
wait $bg
sum=$(awk '/^ *[0-9.]+ s$/ { inb = 1; next } /Performance counter stats/ { inb = 0 }
	inb && $2 == "page-faults" { s += $1 } END { print s + 0 }' $OUT)
[ "$sum" = 300 ] && [ "$(count page-faults)" = 300 ] && ktap_ok ktrace_stat_intervals_add_up ||
	ktap_fail ktrace_stat_intervals_add_up "sum=$sum: $(snip)"

# -p: a running process and its children from then on (the process
# waits for ktrace-stat to be counting: its first interval)
rm -f $OUT.go
sh -c "while [ ! -e $OUT.go ]; do sleep 0.1; done; $W touch 300" &
p=$!
: >$OUT
ktrace-stat -e page-faults -f "$RANGE" -i 1 -p $p >>$OUT 2>&1 &
bg=$!
i=0
while ! grep -q '^ *[0-9.]* s$' $OUT && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
: >$OUT.go
wait $bg
[ "$(count page-faults)" = 300 ] && grep -q "stats for process $p" $OUT &&
	ktap_ok ktrace_stat_pid_and_children || ktap_fail ktrace_stat_pid_and_children "$(snip)"
wait $p 2>/dev/null

# bad names and values: status 2 and a message, before ktrace runs
bad=
for a in "-e cycles;exit" "-e page-faults:0" "-e page-faults,page-faults" "-i 0" "-m both" \
	 "-p 0"; do
	# shellcheck disable=SC2086
	ktrace-stat $a -c true >$OUT 2>&1
	rc=$?
	[ $rc = 2 ] && grep -q '^ktrace-stat: ' $OUT || bad="$bad [$a: rc=$rc $(snip)]"
done
[ -z "$bad" ] && ktap_ok ktrace_stat_bad_arguments || ktap_fail ktrace_stat_bad_arguments "$bad"

# an event the machine cannot count: ktrace's reason, ktrace's status
if ktrace -l -P cpc 2>/dev/null | grep -q ' cycles-all-'; then
	ktap_skip ktrace_stat_unsupported_event "this machine has a PMU"
else
	ktrace-stat -e cycles -c true >$OUT 2>&1
	rc=$?
	[ $rc != 0 ] && grep -q 'cpc:::cycles-all-10000: Operation not supported' $OUT &&
		ktap_ok ktrace_stat_unsupported_event || ktap_fail ktrace_stat_unsupported_event "rc=$rc: $(snip)"
fi

# kernel mode: the command's user-mode faults are not counted
ktrace-stat -e page-faults -m kernel -f "$RANGE" -c "$W touch 300" >$OUT 2>&1
[ "$(count page-faults)" = 0 ] && ktap_ok ktrace_stat_mode_kernel ||
	ktap_fail ktrace_stat_mode_kernel "$(snip)"

ktap_finished
