#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hotkernel: a getppid() storm puts its kernel functions in the list, with
# offsets merged per function and percentages summing to ~100.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks hotkernel
"$W" sys 8000 & p=$!
hotkernel -d 3 -t 0 >$OUT 2>&1
kill $p 2>/dev/null; wait $p 2>/dev/null
has hotkernel_header "^FUNCTION +SAMPLES +PCT$"
if grep -q '+0x' $OUT; then ktap_fail hotkernel_merges_offsets "$(grep -m2 '+0x' $OUT)"
else ktap_ok hotkernel_merges_offsets; fi
has hotkernel_sees_syscall_work "^(__task_pid_nr_ns|__x64_sys_getppid|syscall_enter_from_user_mode|do_syscall_64|entry_SYSCALL_64[a-z_]*|syscall_exit_to_user_mode) "
ktap_finished
