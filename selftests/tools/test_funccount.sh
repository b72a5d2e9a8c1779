#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# funccount counts vfs_read for the helper's reads (>= 100 per run).
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks funccount
funccount 'bad pattern;' >$OUT 2>&1; rc=$?
[ $rc -eq 2 ] && ktap_ok funccount_rejects_bad_glob || ktap_fail funccount_rejects_bad_glob "status $rc"
loop_start "$W" read 100
funccount -d 4 -n toolwork 'vfs_rea*' >$OUT 2>&1
loop_stop
n=$(awk '$1 == "vfs_read" { print $2 }' $OUT)
[ "${n:-0}" -ge 100 ] && ktap_ok funccount_counts_vfs_read ||
	ktap_fail funccount_counts_vfs_read "vfs_read count '${n}': $(head -c 300 $OUT | tr '\n' '|')"
ktap_finished
