#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cpc-hw.sh: the cpc provider's hardware-event cases, for a machine (or a
# KVM guest with a virtual PMU: qemu -enable-kvm -cpu host) where
# `ktrace -l -P cpc` lists cycles and instructions.  QEMU TCG, where the
# guest suites run, has no PMU, so selftests/providers/cpc.sh skips them.
#
# Run as root with ktrace.ko loaded and ktrace, ktrace-stat and the
# providers' workload helper (build/selftests/stage/providers/workload) at
# hand:
#     sudo vm/cpc-hw.sh [WORKLOAD]
# or in a KVM guest with a vPMU on a host that can nest it:
#     VM_ACCEL=kvm VM_QEMU_ARGS="-cpu host" vm/run --add build/selftests/stage \
#         -- sh /mnt/add/../cpc-hw.sh providers/workload   (copy this file in too)
# KTAP output; exit 0 when every case passes.  Each case checks what is
# exact about a workload it controls (which process, which mode, which
# PC range), and prints the rates it measured as diagnostics.
W=${1:-$(dirname "$0")/../build/selftests/stage/providers/workload}
OUT=/tmp/cpc-hw.$$
trap 'rm -f $OUT' EXIT
n=0 fails=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n $1"; echo "# $2"; }
val() { sed -n "s/^$1=//p" $OUT | head -n1; }
echo "KTAP version 1"
if ! ktrace -l -P cpc 2>/dev/null | grep -q ' cycles-all-'; then
	echo "1..0 # SKIP no hardware counters here (ktrace -l -P cpc lists no cycles)"
	exit 4
fi
[ -x "$W" ] || { echo "1..0 # SKIP no workload helper at $W"; exit 4; }
echo "1..5"

# instructions in user mode of a spinning target: every firing has a
# user PC and no kernel PC, and they are the workload's own
ktrace -q -n 'cpc:::instructions-user-1000000 /pid == $target/ { n++; u += arg1 != 0 && arg0 == 0; }
    END { printf("n=%d\nu=%d\n", n, u); }' -c "$W spin 500" >$OUT 2>&1
[ "$(val n)" -ge 10 ] 2>/dev/null && [ "$(val n)" = "$(val u)" ] && ok cpc_hw_instructions_user ||
	nok cpc_hw_instructions_user "$(tr '\n' '|' <$OUT)"
echo "# instructions-user-1000000 over 500 ms of spin: $(val n) overflows"

# kernel mode: no user PC in any firing (system-wide, one second)
ktrace -q -n 'cpc:::cycles-kernel-1000000 { n++; k += arg0 != 0 && arg1 == 0; }
    tick-1s { printf("n=%d\nk=%d\n", n, k); exit(0); }' >$OUT 2>&1
[ "$(val n)" -ge 1 ] 2>/dev/null && [ "$(val n)" = "$(val k)" ] && ok cpc_hw_cycles_kernel ||
	nok cpc_hw_cycles_kernel "$(tr '\n' '|' <$OUT)"

# NMI context: aggregations, stacks, self-> variables and strings in the
# overflow handler, at a high rate, for two seconds; the kernel log stays
# clean (check dmesg after) and nothing faults
ktrace -q -n 'cpc:::cycles-all-100000 { @s[stack(4)] = count(); self->x = arg0; @e[execname] = sum(1); }
    cpc:::cycles-all-100000 /self->x/ { self->x = 0; }
    tick-2s { exit(0); }' >$OUT 2>&1
rc=$?
[ $rc = 0 ] && ! grep -q "ktrace: error in " $OUT && ok cpc_hw_nmi_clause ||
	nok cpc_hw_nmi_clause "rc=$rc: $(head -c 300 $OUT | tr '\n' '|')"

# per-task counter of the target against perf-like totals: ktrace-stat's
# instructions and cycles of a known spin are non-zero and give an IPC
ktrace-stat -e cycles,instructions -c "$W spin 300" >$OUT 2>&1
grep -q 'instructions' $OUT && grep -q 'IPC' $OUT && ok cpc_hw_ktrace_stat ||
	nok cpc_hw_ktrace_stat "$(tr '\n' '|' <$OUT)"

# what cannot run in an NMI is refused at load
ktrace -q -w -n 'cpc:::cycles-all-100000 { chill(1); }' >$OUT 2>&1
grep -q 'cannot run in NMI context' $OUT && ok cpc_hw_chill_refused ||
	nok cpc_hw_chill_refused "$(tr '\n' '|' <$OUT)"

if dmesg | grep -Eq 'BUG:|WARNING:|Oops|lockup|rcu.*stall'; then
	echo "# the kernel log is not clean: dmesg | grep -E 'BUG:|WARNING:|Oops|lockup|rcu.*stall'"
	fails=$((fails + 1))
fi
[ $fails = 0 ]
