#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fbt-phase-guest.sh - the guest half of selftests/bench/fbt-phase (busybox
# sh), run by vm/run in the directory it stages: rdloop, rdmin, b7fbt.d,
# b7fbt.bt and ktrace-cutN.ko, the module whose fbt firings end after
# phase N (module/bench_phase.h; N=0: the production build, whole firings).
#
# B7's workload and program (one read(2) of /dev/zero per operation, one
# vfs_read() call; fbt::vfs_read:entry /0/ {}).  A run is rdmin's: the
# fastest of TARGET_MS * 2 batches of reads (about 0.5 ms each untraced),
# in ns per read.  Per repetition, for every cut in an order rotated per
# repetition: load its module, an untraced run, a run under ktrace; then
# an untraced run, a run under bpftrace's kprobe:vfs_read {} (B7's other
# side) and an untraced run.  Every traced run sits between two untraced
# ones, against which the host measures it.
#
# One line per measurement, in order:
#   @@PHASE env ...
#   @@PHASE run cut=N|none|kprobe rep=R ns_per_op=MIN p10=X median=Y ...
#   @@PHASE fail why=...
# Environment: PHASE_REPS (5), PHASE_TARGET_MS (500), PHASE_CUTS (the cut
# numbers, 0 among them).
cd "$(dirname "$0")" || exit 1
REPS=${PHASE_REPS:-5}
TARGET_MS=${PHASE_TARGET_MS:-500}
CUTS=${PHASE_CUTS:?PHASE_CUTS: the cut numbers}
T=/tmp/phase
mkdir -p $T

emit() { echo "@@PHASE $*"; }
fail() { emit fail why="$*"; exit 1; }

alive() {
	[ -r "/proc/$1/stat" ] || return 1
	! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat" 2>/dev/null
}

# tracer_start ktrace|bpftrace PROG: start it and wait for its READY (60 s)
TPID=
tracer_start() {
	: >$T/out
	case $1 in
	ktrace)   ktrace -q -s "$2" >$T/out 2>$T/err & ;;
	bpftrace) bpftrace -B line "$2" >$T/out 2>$T/err & ;;
	esac
	TPID=$!
	i=0
	while ! grep -q '^READY' $T/out; do
		if ! alive $TPID || [ $i -gt 600 ]; then
			kill -9 $TPID 2>/dev/null
			fail "$1 not READY: $(head -c 200 $T/err | tr '\n' ' ')"
		fi
		i=$((i + 1))
		sleep 0.1
	done
}
tracer_stop() {
	kill -INT $TPID
	wait $TPID
}

# load N: ktrace-cutN.ko in place of the module loaded
load() {
	rmmod ktrace && insmod "./ktrace-cut$1.ko" || fail "cannot load ktrace-cut$1.ko"
}

# run WHAT REP: one timed run
run() {
	emit run cut=$1 rep=$2 $(./rdmin "$B" "$M")
}

# batches of about 0.5 ms untraced, TARGET_MS * 2 of them
./rdloop 20000 >/dev/null
M=$(./rdmin 200 100 | sed -n 's/^ns_per_op=\([0-9.]*\) .*/\1/p' |
	awk '{ m = int(500000 / $1); if (m < 50) m = 50; print m }')
B=$((TARGET_MS * 2))
emit env kernel="$(uname -r)" cpus="$(nproc)" batch=$M batches=$B reps=$REPS \
	clocksource="$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
bpftrace -e 'BEGIN { exit(); }' >/dev/null 2>&1
ktrace -q -n 'BEGIN { exit(0); }' >/dev/null 2>&1

rep=1
while [ $rep -le "$REPS" ]; do
	# the cuts, rotated by the repetition
	set -- $CUTS
	k=$((rep % $#))
	while [ $k -gt 0 ]; do
		w=$1
		shift
		set -- "$@" "$w"
		k=$((k - 1))
	done
	for cut in "$@"; do
		load "$cut"
		run none $rep
		tracer_start ktrace b7fbt.d
		run "$cut" $rep
		tracer_stop
	done
	run none $rep
	tracer_start bpftrace b7fbt.bt
	run kprobe $rep
	tracer_stop
	run none $rep
	rep=$((rep + 1))
done
load 0
exit 0
