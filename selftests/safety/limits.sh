#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bounded execution in probe context: a runaway loop hits the loop limit
# (at maxloops it runs, at maxloops + 1 it faults), the instruction budget
# cuts a clause at N + 1 instructions, and a clause that faults on every
# firing of a hot probe leaves the system working.  Faults are reported by
# the CLI and counted; the kernel log stays clean.
cd "$(dirname "$0")" || exit 1
. ./common.sh
ktap_plan 9
mark=$(klog_mark)

kt() { timeout 120 ktrace -q "$@" >$T/out 2>$T/err; echo $? >$T/rc; }
rc() { cat $T/rc; }
diag() { echo "rc=$(rc) out='$(head -c 200 $T/out | tr '\n' '|')' err='$(head -c 300 $T/err | tr '\n' '|')'"; }

# while (1) {}: the loop limit fault is reported; the next clause still runs
kt -n 'BEGIN { while (1) { } } BEGIN { printf("after\n"); exit(0); }'
if [ "$(rc)" = 0 ] && grep -q 'loop limit exceeded' $T/err && grep -qx after $T/out; then
	ktap_ok runaway_loop_hits_loop_limit
else
	ktap_fail runaway_loop_hits_loop_limit "$(diag)"
fi

# maxloops=100: 100 iterations run, 101 fault
kt -x maxloops=100 -n 'BEGIN { i = 0; while (i < 100) { i++; } printf("i=%d\n", i); exit(0); }'
if [ "$(rc)" = 0 ] && grep -qx 'i=100' $T/out && ! grep -q error $T/err; then
	ktap_ok loop_limit_allows_maxloops_iterations
else
	ktap_fail loop_limit_allows_maxloops_iterations "$(diag)"
fi
kt -x maxloops=100 -n 'BEGIN { i = 0; while (i < 101) { i++; } printf("i=%d\n", i); } BEGIN { exit(0); }'
if [ "$(rc)" = 0 ] && grep -q 'loop limit exceeded' $T/err && ! grep -q 'i=' $T/out; then
	ktap_ok loop_limit_faults_at_maxloops_plus_1
else
	ktap_fail loop_limit_faults_at_maxloops_plus_1 "$(diag)"
fi

# instruction budget: N instructions run with budget N, fault with N - 1
prog='BEGIN { a = 1; b = 2; c = 3; printf("%d\n", a + b + c); } tick-200ms { exit(0); }'
n=$(ktrace -S -n "$prog" 2>/dev/null | awk '/^clause 0 /{c=1; next} /^clause/{c=0} c && /^ *[0-9]+:/{n++} END{print n+0}')
if [ "$n" -gt 8 ]; then
	kt -x budget=$n -n "$prog"
	if [ "$(rc)" = 0 ] && grep -qx 6 $T/out && ! grep -q error $T/err; then
		ktap_ok budget_allows_n_instructions
	else
		ktap_fail budget_allows_n_instructions "budget=$n $(diag)"
	fi
	kt -x budget=$((n - 1)) -n "$prog"
	if [ "$(rc)" = 0 ] && grep -q 'instruction budget exceeded' $T/err && ! grep -qx 6 $T/out; then
		ktap_ok budget_faults_at_n_plus_1_instructions
	else
		ktap_fail budget_faults_at_n_plus_1_instructions "budget=$((n - 1)) $(diag)"
	fi
else
	ktap_fail budget_allows_n_instructions "cannot count the clause's instructions with -S (n=$n)"
	ktap_fail budget_faults_at_n_plus_1_instructions "no instruction count"
fi

# a long loop under a big loop limit is cut by the default budget (the
# firing's: a second BEGIN clause would have none left, so tick exits)
kt -x maxloops=16777216 -n 'BEGIN { i = 0; while (i < 16000000) { i++; } printf("done\n"); } tick-200ms { exit(0); }'
if [ "$(rc)" = 0 ] && grep -q 'instruction budget exceeded' $T/err && ! grep -q done $T/out; then
	ktap_ok long_loop_cut_by_default_budget
else
	ktap_fail long_loop_cut_by_default_budget "$(diag)"
fi

# every firing of a hot probe runs into the loop limit: counted, system fine
kt -n 'syscall:::entry /pid == $target/ { while (1) { } }' -c "$STRESS mix 3"
nerr=$(grep -c 'loop limit exceeded' $T/err)
if [ "$(rc)" = 0 ] && [ "$nerr" -ge 10 ]; then
	ktap_ok hot_probe_faulting_every_firing
else
	ktap_fail hot_probe_faulting_every_firing "$nerr faults reported; $(diag)"
fi
# ... and burning the whole budget on every firing (loops allowed)
t0=$(date +%s)
kt -x maxloops=16777216 -n 'syscall:::entry /pid == $target/ { while (1) { } } tick-5s { exit(0); }' -c "$STRESS mix 2"
t1=$(date +%s)
nerr=$(grep -c 'instruction budget exceeded' $T/err)
if [ "$(rc)" = 0 ] && [ "$nerr" -ge 1 ] && [ $((t1 - t0)) -le 60 ]; then
	ktap_ok hot_probe_burning_budget_every_firing
else
	ktap_fail hot_probe_burning_budget_every_firing "$nerr faults in $((t1 - t0)) s; $(diag)"
fi
ktap_result limits_klog_clean klog_clean $mark
ktap_finished
