#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# malloccount -c counts the helper's 100 malloc(300) calls (pid provider).
. "$(dirname "$0")/lib.sh"
ktap_plan 6
usage_checks malloccount
malloccount >$OUT 2>&1; rc=$?
[ $rc -eq 2 ] && ktap_ok malloccount_needs_target || ktap_fail malloccount_needs_target "status $rc"
malloccount -c "$W malloc 100 300" >$OUT 2>&1
n=$(sed -n 's/^malloc calls: \([0-9]*\)$/\1/p' $OUT)
[ "${n:-0}" -ge 100 ] && ktap_ok malloccount_counts_calls ||
	ktap_fail malloccount_counts_calls "calls '${n}': $(head -c 300 $OUT | tr '\n' '|')"
# the 100 malloc(300) calls in the 256..511 bucket (static glibc's own few
# allocations at start-up may add one or two there)
n=$(awk '$1 == 256 && $2 ~ /^\|/ { print $NF }' $OUT)
[ "${n:-0}" -ge 100 ] && [ "${n:-0}" -le 103 ] && ktap_ok malloccount_size_bucket ||
	ktap_fail malloccount_size_bucket "256..511 bucket '$n', wanted 100..103: $(tr '\n' '|' <$OUT)"
# -s: the stacks are symbols, from the probed malloc down (the command has
# exited when they are printed: its mappings were cached while it ran)
malloccount -s -c "$W malloc 100 300" >$OUT 2>&1
if grep -Eq '^ *toolwork`(__libc_)?malloc$' $OUT &&
   grep -Eq '^ *toolwork`[A-Za-z_]+\+0x[0-9a-f]+$' $OUT; then ktap_ok malloccount_stacks_symbolic
else ktap_fail malloccount_stacks_symbolic "$(tail -c 600 $OUT | tr '\n' '|')"; fi
ktap_finished
