#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Issue 23's bugs, through the CLI: progenyof() answers, a fault in BEGIN
# ends the session instead of leaving it waiting, the first exit() of a
# firing wins, scratch is reused within a clause (a printf in a long
# loop), an oversized dynamic variable space is refused with ENOMEM (no
# OOM killer), and char arrays as strings in any aggregation key or
# printf position load.  The kernel log stays clean.
cd "$(dirname "$0")" || exit 1
. ./common.sh
ktap_plan 9
mark=$(klog_mark)

kt() { timeout 60 ktrace -q "$@" >$T/out 2>$T/err; echo $? >$T/rc; }
rc() { cat $T/rc; }
diag() { echo "rc=$(rc) out='$(head -c 200 $T/out | tr '\n' '|')' err='$(head -c 300 $T/err | tr '\n' '|')'"; }

# progenyof(1): every process descends from init; progenyof(pid of a
# process that is not an ancestor) is false
sleep 30 & other=$!
kt -n "BEGIN { printf(\"%d %d\\n\", progenyof(1), progenyof($other)); exit(0); }"
kill $other 2>/dev/null
if [ "$(rc)" = 0 ] && grep -qx '1 0' $T/out && ! grep -q error $T/err; then
	ktap_ok progenyof_answers
else
	ktap_fail progenyof_answers "$(diag)"
fi

# a fault in BEGIN before its exit(): reported, and the session ends
t0=$(date +%s)
kt -n 'BEGIN { trace(*(int *)8); exit(0); }'
t1=$(date +%s)
if [ "$(rc)" != 0 ] && [ "$(rc)" != 124 ] && [ $((t1 - t0)) -lt 30 ] &&
   grep -q 'invalid address' $T/err && grep -q 'error in a BEGIN clause' $T/err; then
	ktap_ok begin_fault_ends_the_session
else
	ktap_fail begin_fault_ends_the_session "$(diag) in $((t1 - t0)) s"
fi

# the first exit() of a firing wins (was: the last, 999 & 0xff = 231)
kt -n 'BEGIN { i = 3; while (i < 1000) { exit(i); i++; } }'
if [ "$(rc)" = 3 ]; then
	ktap_ok first_exit_of_a_firing_wins
else
	ktap_fail first_exit_of_a_firing_wins "$(diag)"
fi
kt -n 'BEGIN { exit(4); } BEGIN { exit(5); }'
if [ "$(rc)" = 4 ]; then
	ktap_ok first_exit_of_two_clauses_wins
else
	ktap_fail first_exit_of_two_clauses_wins "$(diag)"
fi

# printf in a 500-iteration loop (issue 21 item 8): scratch is reused
kt -n 'BEGIN { i = 0; while (i < 500) { printf("%s %s %d\n", execname, probename, i); i++; } exit(0); }'
if [ "$(rc)" = 0 ] && [ "$(grep -c ' BEGIN ' $T/out)" = 500 ] && grep -q ' BEGIN 499$' $T/out &&
   ! grep -q error $T/err; then
	ktap_ok printf_in_a_500_iteration_loop
else
	ktap_fail printf_in_a_500_iteration_loop "$(grep -c BEGIN $T/out) lines; $(diag)"
fi

# dynvarsize bigger than RAM allows: LOAD fails with ENOMEM and says why
kt -x dynvarsize=400m -n 'BEGIN { self->x = 1; exit(0); }'
if [ "$(rc)" != 0 ] && grep -q 'memory: the session needs' $T/err; then
	ktap_ok dynvarsize_over_memory_refused
else
	ktap_fail dynvarsize_over_memory_refused "$(diag)"
fi

# char arrays used as strings after the first key / argument
kt -n 'syscall:::entry /pid == $target/ { @[pid, curthread->comm] = count(); }' -c 'sleep 0.1'
if [ "$(rc)" = 0 ] && grep -q 'sleep' $T/out && ! grep -q 'insn' $T/err; then
	ktap_ok comm_array_as_second_agg_key
else
	ktap_fail comm_array_as_second_agg_key "$(diag)"
fi
kt -n 'BEGIN { printf("%s %s\n", execname, stringof(curthread->comm)); exit(0); }'
if [ "$(rc)" = 0 ] && grep -qx 'ktrace ktrace' $T/out; then
	ktap_ok comm_array_as_second_printf_argument
else
	ktap_fail comm_array_as_second_printf_argument "$(diag)"
fi

ktap_result reliability_klog_clean klog_clean $mark
ktap_finished
