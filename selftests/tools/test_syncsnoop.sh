#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# syncsnoop -c shows exactly the helper's 5 fsync()s and 5 fdatasync()s of
# one descriptor, all successful, and counts them at the end.
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks syncsnoop
F=/tmp/syncsnoop.$$
syncsnoop -c "$W fsync $F 5" >$OUT 2>&1
rm -f $F
# PID COMM CALL FD RET LAT
a=$(awk '$2 == "toolwork" && $3 == "fsync" && $4 >= 0 && $5 == 0 && $6 ~ /^[0-9]+$/' $OUT | wc -l)
b=$(awk '$2 == "toolwork" && $3 == "fdatasync" && $4 >= 0 && $5 == 0' $OUT | wc -l)
fds=$(awk '$2 == "toolwork" { print $4 }' $OUT | sort -u | wc -l)
[ "$a" -eq 5 ] && [ "$b" -eq 5 ] && [ "$fds" -eq 1 ] && ktap_ok syncsnoop_sees_calls ||
	ktap_fail syncsnoop_sees_calls "$a fsync, $b fdatasync on $fds fds: $(head -c 600 $OUT | tr '\n' '|')"
if grep -Eq '^fsync +5$' $OUT && grep -Eq '^fdatasync +5$' $OUT; then ktap_ok syncsnoop_summary
else ktap_fail syncsnoop_summary "$(tail -n 4 $OUT | tr '\n' '|')"; fi
ktap_finished
