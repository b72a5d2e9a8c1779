#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# biolatency compiles and attaches to the block tracepoints; with a block
# device present, reads from it land in the histogram.
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks biolatency
biolatency -d 1 >$OUT 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q '^Tracing block I/O' $OUT; then ktap_ok biolatency_attaches
else ktap_fail biolatency_attaches "status $rc: $(head -c 400 $OUT | tr '\n' '|')"; fi
dev=$(ls /sys/block 2>/dev/null | grep -v -e '^loop' -e '^ram' | head -n 1)
if [ -z "$dev" ] || [ ! -b /dev/$dev ]; then
	ktap_skip biolatency_sees_io "no block device in this guest"
else
	loop_start dd if=/dev/$dev of=/dev/null bs=4k count=256 iflag=direct
	biolatency -d 3 >$OUT 2>&1
	loop_stop
	n=$(awk '$2 ~ /^\|/ { s += $NF } END { print s + 0 }' $OUT)
	[ "$n" -gt 0 ] && ktap_ok biolatency_sees_io || ktap_fail biolatency_sees_io "$(tr '\n' '|' <$OUT)"
fi
ktap_finished
