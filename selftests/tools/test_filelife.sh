#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# filelife sees toolwork tmpfile create kt_life.A, keep it 400 ms and delete
# it itself; and kt_life.B created by touch and deleted 1 s later by rm; a
# file created before tracing and deleted during it is not shown.
. "$(dirname "$0")/lib.sh"
ktap_plan 7
usage_checks filelife
A=/tmp/kt_life.A B=/tmp/kt_life.B C=/tmp/kt_life.C
rm -f $A $B $C
: >$C
bg_until 'CPID +CREATOR' filelife
"$W" tmpfile $A 400 & p=$!
wait $p
touch $B
sleep 1
rm $B $C
sleep 0.3
bg_stop
# line FILE: CPID CREATOR DPID DELETER AGE of FILE's line(s)
line() { awk -v f="$1" '$6 == f { print $1, $2, $3, $4, $5 }' $OUT; }
set -- $(line kt_life.A)
if [ $# = 5 ] && [ "$1" = $p ] && [ "$2" = toolwork ] && [ "$3" = $p ] && [ "$4" = toolwork ]; then
	ktap_ok filelife_creator_and_deleter
else ktap_fail filelife_creator_and_deleter "kt_life.A: '$*', wanted pid $p twice: $(tr '\n' '|' <$OUT | head -c 600)"; fi
# its age: the 400 ms sleep between create and unlink, plus a little
a=${5%%.*}
[ $# = 5 ] && [ "$a" -ge 400 ] && [ "$a" -lt 3000 ] && ktap_ok filelife_age ||
	ktap_fail filelife_age "age '$5' ms, wanted 400..3000"
set -- $(line kt_life.B)
if [ $# = 5 ] && [ "$2" = touch ] && [ "$4" = rm ] && [ "$1" != "$3" ] && [ "${5%%.*}" -ge 1000 ]; then
	ktap_ok filelife_other_deleter
else ktap_fail filelife_other_deleter "kt_life.B: '$*', wanted touch, rm, >= 1000 ms"; fi
n=$(grep -c 'kt_life\.C' $OUT)
[ "$n" = 0 ] && ktap_ok filelife_older_files_not_shown ||
	ktap_fail filelife_older_files_not_shown "kt_life.C (created before tracing) shown"
# -m 1000: the 400 ms file, not the 1 s one; -n touch: only touch's file
bg_until 'CPID +CREATOR' filelife -m 1000
"$W" tmpfile $A 400
touch $B; sleep 1.2; rm $B
sleep 0.3
bg_stop
if [ "$(line kt_life.A | wc -l)" = 1 ] && [ -z "$(line kt_life.B)" ]; then ktap_ok filelife_max_age
else ktap_fail filelife_max_age "$(tr '\n' '|' <$OUT | head -c 600)"; fi
ktap_finished
