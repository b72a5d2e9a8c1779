#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make docs-oneliners` runs this in the vm/run guest (cloud kernel, with the
# selftests' stage): every one-liner of docs/oneliners.md marked "example",
# on the workload its "run:" comment names, exactly as test_oneliners.sh runs
# it (oneliners/lib.sh); its standard output (the test checks that stderr
# holds only the notices) as "@@@ K" blocks (K: the K-th example);
# the Makefile puts each after its one-liner in docs/oneliners.md
# (oneliners.awk -v insert=...).  Nothing in those blocks is typed by hand.
cd "$(dirname "$0")" || exit 1
. ./oneliners/lib.sh
ol_setup "$(pwd)"
MAX=24	# lines of output shown
awk -f oneliners/oneliners.awk oneliners/oneliners.md >/tmp/ol.list
k=0
while IFS= read -r line; do
	case $line in
	"cmd "*) args=${line#cmd } wl= ex=0 ;;
	"run "*) wl=${line#run } ;;
	example) ex=1 ;;
	end)
		[ $ex = 1 ] || continue
		k=$((k + 1))
		w=$(ol_run_cmd "$wl")
		ol_ktrace 120 "$args" "$wl" >/tmp/ol.raw 2>/dev/null
		rc=$?
		# without the blank lines around it
		awk 'NF { while (b-- > 0) print ""; b = 0; s = 1; print; next } s { b++ }' /tmp/ol.raw >/tmp/ol.out
		# the workload as a reader would name it
		w=$(echo "$w" | sed -e "s|$(pwd)/tools/||" -e "s|$(pwd)/providers/||")
		n=$(wc -l </tmp/ol.out)
		printf '@@@ %d\n' $k
		printf 'Output in the guest (Debian 12 cloud kernel, 2 vCPUs, QEMU TCG), tracing `%s`' "$w"
		[ "$n" -gt $MAX ] && printf ' (the first %d of %d lines)' $MAX "$n"
		[ $rc = 0 ] || printf ' (ktrace exited with status %d)' $rc
		printf ':\n\n```text\n'
		head -n $MAX /tmp/ol.out
		printf '```\n'
		;;
	esac
done </tmp/ol.list
