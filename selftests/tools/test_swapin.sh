#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# swapin on toolwork swaptouch 24 in a memory cgroup of 8 MiB, with swap on a
# memory-backed null_blk disk (configfs): the second pass over its 24 MiB
# must read at least the 16 MiB that cannot be resident (4096 pages) back
# from swap, in the toolwork process.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks swapin
. ./swap.sh
why=$(swap_why)
[ -z "$why" ] && ! swap_on 2>$OUT.e && why="swap on null_blk failed: $(head -c 200 $OUT.e)"
if [ -n "$why" ]; then
	swap_off
	ktap_missing swapin_counts_swapped_pages swap "$why"
	ktap_missing swapin_only_the_process swap "$why"
	ktap_missing swapin_interval swap "$why"
	ktap_finished
fi
bg_until '^Tracing' swapin -i 1
( echo 0 >$SW_CG/kt_swap/cgroup.procs && exec "$W" swaptouch 24 ) & p=$!
wait $p; rc=$?
sleep 1.2
bg_stop
swap_off
n=$(awk -v p=$p '$1 == "toolwork" && $2 == p { s += $3 } END { print s + 0 }' $OUT)
# (a page read ahead may be reclaimed again before its turn and read twice:
# at most twice the 6144 pages)
[ $rc = 0 ] && [ "$n" -ge 4096 ] && [ "$n" -le 12288 ] && ktap_ok swapin_counts_swapped_pages ||
	ktap_fail swapin_counts_swapped_pages "status $rc, $n pages for pid $p, wanted 4096..12288: $(tr '\n' '|' <$OUT | head -c 600)"
# the other processes read (almost) nothing back
o=$(awk -v p=$p '$2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ && $2 != p { s += $3 } END { print s + 0 }' $OUT)
[ "$o" -lt 256 ] && ktap_ok swapin_only_the_process || ktap_fail swapin_only_the_process "$o pages of others"
d=$(grep -cE '^[0-9]{4} [A-Z][a-z]{2} ' $OUT)
[ "$d" -ge 1 ] && [ "$d" = "$(grep -c '^COMM' $OUT)" ] && ktap_ok swapin_interval ||
	ktap_fail swapin_interval "$d dated blocks: $(tr '\n' '|' <$OUT | head -c 300)"
ktap_finished
