#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vfsstat prints COUNT rows of rates; the helper's reads show up as READ/s.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks vfsstat
loop_start "$W" read 200
vfsstat 1 4 >$OUT 2>&1; rc=$?
loop_stop
[ $rc -eq 0 ] && ktap_ok vfsstat_exit_status || ktap_fail vfsstat_exit_status "status $rc"
rows=$(grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2} ' $OUT)
[ "$rows" -eq 4 ] && ktap_ok vfsstat_count_rows || ktap_fail vfsstat_count_rows "$rows rows"
max=$(awk '/^[0-9][0-9]:/ && $2 > m { m = $2 } END { print m + 0 }' $OUT)
[ "$max" -ge 200 ] && ktap_ok vfsstat_sees_reads || ktap_fail vfsstat_sees_reads "max READ/s $max: $(tr '\n' '|' <$OUT)"
ktap_finished
