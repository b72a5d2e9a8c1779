#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vfsstat prints COUNT rows of rates, and its columns add up to what the
# helper did: 1 create (open O_CREAT|O_EXCL of a new file), 40 fsync + 40
# fdatasync, 1 unlink; 200 reads per run of the read loop.
. "$(dirname "$0")/lib.sh"
ktap_plan 7
usage_checks vfsstat
F=/tmp/vfsstat.$$
bg_until '^[0-9]{2}:[0-9]{2}:[0-9]{2} ' vfsstat 1 5
"$W" fsync $F 40 || ktap_diag "toolwork fsync failed"
wait $BG; rc=$?
[ $rc -eq 0 ] && ktap_ok vfsstat_exit_status || ktap_fail vfsstat_exit_status "status $rc"
rows=$(grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2} ' $OUT)
[ "$rows" -eq 5 ] && ktap_ok vfsstat_count_rows || ktap_fail vfsstat_count_rows "$rows rows"
# columns: TIME READ WRITE OPEN FSYNC CREATE UNLINK
sums=$(awk '/^[0-9][0-9]:/ { f += $5; c += $6; u += $7 } END { print f + 0, c + 0, u + 0 }' $OUT)
set -- $sums
[ "$1" -eq 80 ] && ktap_ok vfsstat_counts_fsyncs ||
	ktap_fail vfsstat_counts_fsyncs "FSYNC total $1, wanted 80: $(tr '\n' '|' <$OUT)"
[ "$2" -eq 1 ] && [ "$3" -eq 1 ] && ktap_ok vfsstat_counts_create_unlink ||
	ktap_fail vfsstat_counts_create_unlink "CREATE $2, UNLINK $3, wanted 1 and 1: $(tr '\n' '|' <$OUT)"
loop_start "$W" read 200
vfsstat 1 4 >$OUT 2>&1
loop_stop
max=$(awk '/^[0-9][0-9]:/ && $2 > m { m = $2 } END { print m + 0 }' $OUT)
[ "$max" -ge 200 ] && ktap_ok vfsstat_sees_reads || ktap_fail vfsstat_sees_reads "max READ/s $max: $(tr '\n' '|' <$OUT)"
ktap_finished
