#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# statsnoop shows exactly the helper's three stat()s of /etc/hosts (result 0)
# and its one of a missing file (-1, ENOENT); -x only the failure; -f takes
# the path as data.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks statsnoop
# count PID RET ERR PATH: lines of $OUT for PID with that result and path
count() { awk -v p=$1 -v r=$2 -v e=$3 -v f="$4" '$1 == p && $2 == "toolwork" &&
	($3 == "newfstatat" || $3 == "statx" || $3 == "stat") && $4 == r && $5 == e && $6 == f' $OUT | wc -l; }
bg_until '^ +PID +COMM' statsnoop -n toolwork
"$W" stat /etc/hosts 3 & p1=$!; wait $p1
"$W" stat /nonexistent.kt 1 & p2=$!; wait $p2
bg_stop
a=$(count $p1 0 0 /etc/hosts) b=$(count $p2 -1 2 /nonexistent.kt)
[ "$a" -eq 3 ] && [ "$b" -eq 1 ] && ktap_ok statsnoop_sees_stats ||
	ktap_fail statsnoop_sees_stats "$a and $b lines, wanted 3 and 1: $(head -c 600 $OUT | tr '\n' '|')"
bg_until '^ +PID +COMM' statsnoop -x -n toolwork
"$W" stat /etc/hosts 3 & p1=$!; wait $p1
"$W" stat /nonexistent.kt 1 & p2=$!; wait $p2
bg_stop
a=$(count $p1 0 0 /etc/hosts) b=$(count $p2 -1 2 /nonexistent.kt)
[ "$a" -eq 0 ] && [ "$b" -eq 1 ] && ktap_ok statsnoop_failed_only ||
	ktap_fail statsnoop_failed_only "$a and $b lines, wanted 0 and 1: $(head -c 600 $OUT | tr '\n' '|')"
# -f takes the path as data: quotes and D code in it match literally
Q='/tmp/kt"); system("id"); printf("'
: >"$Q"
bg_until '^ +PID +COMM' statsnoop -f "$Q"
"$W" stat "$Q" 2 & p1=$!; wait $p1
"$W" stat /etc/hosts 1
bg_stop
rm -f "$Q"
n=$(grep -cF -- " 0   0 $Q" $OUT) other=$(grep -v -e '^ *PID' -e '^$' $OUT | grep -cvF -- "$Q")
[ "$n" -eq 2 ] && [ "$other" -eq 0 ] && ktap_ok statsnoop_path_is_data ||
	ktap_fail statsnoop_path_is_data "$n matching, $other other: $(head -c 400 $OUT | tr '\n' '|')"
ktap_finished
