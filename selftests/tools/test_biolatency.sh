#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# biolatency compiles and attaches to the block tracepoints; with a block
# device present, exactly the reads made from it land in the histogram.
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks biolatency
biolatency -d 1 >$OUT 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q '^Tracing block I/O' $OUT; then ktap_ok biolatency_attaches
else ktap_fail biolatency_attaches "status $rc: $(head -c 400 $OUT | tr '\n' '|')"; fi
dev=$(ls /sys/block 2>/dev/null | grep -v -e '^loop' -e '^ram' | head -n 1)
if [ -z "$dev" ] || [ ! -b /dev/$dev ]; then
	ktap_missing biolatency_sees_io nullb0 "no block device in this guest"
else
	# two runs of 256 direct 4 KiB reads: 512 I/Os in the histogram, exactly
	bg_until '^Tracing block I/O' biolatency -d 120
	for i in 1 2; do dd if=/dev/$dev of=/dev/null bs=4k count=256 iflag=direct 2>/dev/null; done
	bg_stop
	n=$(awk '$2 ~ /^\|/ { s += $NF } END { print s + 0 }' $OUT)
	[ "$n" -eq 512 ] && ktap_ok biolatency_sees_io ||
		ktap_fail biolatency_sees_io "$n I/Os, wanted 512: $(tr '\n' '|' <$OUT)"
fi
ktap_finished
