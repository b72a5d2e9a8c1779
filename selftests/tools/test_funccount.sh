#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# funccount counts exactly the helper's vfs_read calls.
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks funccount
funccount 'bad pattern;' >$OUT 2>&1; rc=$?
[ $rc -eq 2 ] && ktap_ok funccount_rejects_bad_glob || ktap_fail funccount_rejects_bad_glob "status $rc"
# two runs of 100 read(2)s while tracing (the static helper reads nothing else)
bg_until '^Tracing kernel functions' funccount -d 120 -n toolwork 'vfs_rea*'
"$W" read 100; "$W" read 100
bg_stop
n=$(awk '$1 == "vfs_read" { print $2 }' $OUT)
[ "${n:-0}" -eq 200 ] && ktap_ok funccount_counts_vfs_read ||
	ktap_fail funccount_counts_vfs_read "vfs_read count '${n}', wanted 200: $(head -c 300 $OUT | tr '\n' '|')"
ktap_finished
