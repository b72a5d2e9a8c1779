#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# writeback sees the flusher write 1 MiB (256 pages) that dd left dirty in
# the page cache of the null_blk disk: with dirty_expire_centisecs 1 and
# dirty_writeback_centisecs 10, periodic writeback takes them within ~0.1 s.
# The shell keeps the disk open: the last close of a block device writes
# its dirty pages itself, without the flusher.
. "$(dirname "$0")/lib.sh"
ktap_plan 6
usage_checks writeback
writeback -D 8 >$OUT 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "^writeback: -D '8' is not MAJ:MIN" $OUT && ktap_ok writeback_refuses_bad_device ||
	ktap_fail writeback_refuses_bad_device "status $rc: $(head -c 200 $OUT)"
dev=$(cat /sys/block/nullb0/dev 2>/dev/null)
if [ -z "$dev" ]; then
	for t in writeback_periodic_pages writeback_device_filter writeback_latency_column; do
		ktap_missing $t nullb0 "no null_blk disk (nullb0) in this guest"
	done
	ktap_finished
fi
V=/proc/sys/vm
wb=$(cat $V/dirty_writeback_centisecs) ex=$(cat $V/dirty_expire_centisecs)
exec 3>/dev/nullb0
bg_until 'DEV +REASON' writeback -D $dev
echo 10 >$V/dirty_writeback_centisecs; echo 1 >$V/dirty_expire_centisecs
dd if=/dev/zero of=/dev/fd/3 bs=4k count=256 2>/dev/null
sleep 1.5
bg_stop
echo $wb >$V/dirty_writeback_centisecs; echo $ex >$V/dirty_expire_centisecs
exec 3>&-
n=$(awk -v d=$dev '$1 == d && $2 == "periodic" { s += $3 } END { print s + 0 }' $OUT)
[ "$n" = 256 ] && ktap_ok writeback_periodic_pages ||
	ktap_fail writeback_periodic_pages "$n pages by periodic writeback of $dev, wanted 256: $(tr '\n' '|' <$OUT | head -c 600)"
o=$(awk -v d=$dev 'NR > 1 && $1 != d' $OUT | grep -c .)
[ "$o" = 0 ] && ktap_ok writeback_device_filter || ktap_fail writeback_device_filter "$o lines of other devices"
# every line: a latency in ms with 3 decimals
if awk 'NR > 1 && NF { if ($4 !~ /^[0-9]+\.[0-9][0-9][0-9]$/) bad = 1; n++ } END { exit bad || !n }' $OUT; then
	ktap_ok writeback_latency_column
else ktap_fail writeback_latency_column "$(tr '\n' '|' <$OUT | head -c 300)"; fi
ktap_finished
