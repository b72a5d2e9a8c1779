#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-guest-tests.sh [PATTERN...]: run every guest selftest of the staging
# directory this script sits in (built by `make -C selftests guest`), inside
# the vm/run guest.  Each <area>/ holds executables (kselftest harness
# binaries, *.sh) run from their own directory through lib/ktap-run, with the
# timeout from <area>/settings ("timeout=S", default 120); corpus/ is run by
# lib/run-corpus.  After every program the new kernel log lines are checked:
# a BUG/WARNING/Oops/... adds a "not ok" naming the program.  PATTERNs select
# programs whose "area/name" contains one of them.  KTRACE_TIMEOUT_SCALE=N
# multiplies every timeout (make vm-check uses 4 for the debug kernel).
cd "$(dirname "$0")" || exit 1
stage=$(pwd)
lib=$stage/lib
export PATH="$lib:$PATH"
bad='BUG:|WARNING:|Oops|general protection|soft lockup|hard LOCKUP|rcu_sched detected stall|rcu: INFO|scheduling while atomic|sleeping function called from invalid context|kmemleak: .*suspected memory leak|UBSAN|Kernel panic|blocked for more than [0-9]+ seconds|invoked oom-killer|Out of memory:'
pats="$*"
status=0
# slow kernels (debug: KASAN, lockdep...) multiply every timeout
scale=${KTRACE_TIMEOUT_SCALE:-1}

echo "# guest: kernel $(uname -r), $(nproc) cpus, ktrace.ko $(grep -q '^ktrace ' /proc/modules && echo loaded || echo NOT loaded)"

selected() {
	[ -z "$pats" ] && return 0
	for p in $pats; do case "$1" in *"$p"*) return 0 ;; esac; done
	return 1
}

klog_mark() { dmesg 2>/dev/null | wc -l; }
klog_check() {	# $1 = mark before, $2 = test name
	# tools/test_oomkill.sh's own OOM, in a memory cgroup, is allowed (as vm/run allows it)
	hit=$(dmesg 2>/dev/null | tail -n +$(($1 + 1)) |
		sed 's/\[ *[0-9.]*\] kt_oomhog invoked oom-killer: .*$//' | grep -E -m1 "$bad")
	[ -z "$hit" ] && return 0
	echo "not ok 1 $2 # kernel log: $hit"
	return 1
}

run_one() {	# $1 = area dir, $2 = program (relative to the area), $3 = timeout
	name="$1/$2"
	mark=$(klog_mark)
	t0=$(cut -d' ' -f1 /proc/uptime)
	(cd "$stage/$1" && "$lib/ktap-run" -t "$3" -n "$name" -- "./$2") || status=1
	klog_check "$mark" "$name" || status=1
	# wall time per program: what make check's budget is made of
	echo "# time: $name $(awk -v a="$t0" '{ printf "%.1f", $1 - a }' /proc/uptime)s"
}

for area in */; do
	area=${area%/}
	case "$area" in lib|corpus) continue ;; esac
	tmo=120
	if [ -f "$area/settings" ]; then
		t=$(sed -n 's/^timeout=\([0-9][0-9]*\).*/\1/p' "$area/settings" | tail -n1)
		[ -n "$t" ] && tmo=$t
	fi
	tmo=$((tmo * scale))
	for t in "$area"/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		# a shared object a test loads (providers/libustack_*.so) is no test
		case "$t" in *.so) continue ;; esac
		selected "$t" || continue
		run_one "$area" "${t#"$area"/}" "$tmo"
	done
done

if [ -d corpus ] && selected corpus/; then
	mark=$(klog_mark)
	KTRACE_CORPUS_TIMEOUT=$((${KTRACE_CORPUS_TIMEOUT:-30} * scale)) \
	"$lib/ktap-run" -t $((${KTRACE_CORPUS_TOTAL_TIMEOUT:-3000} * scale)) -n corpus -- \
		"$lib/run-corpus" "$stage/corpus" || status=1
	klog_check "$mark" corpus || status=1
fi
exit $status
