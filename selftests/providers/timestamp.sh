#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# timestamp is one value per probe firing, the time of the firing's records
# (as DTrace's): read twice in a clause, in its predicate and in a second
# clause of the same firing it is the same, and it is the record's timestamp
# (--format json shows both); another firing has a later one.
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"

OUT=/tmp/timestamp.$$
ktap_plan 3

ktrace -q --format json -n 'BEGIN /(t = timestamp) != 0/ { printf("a %d %d %d\n", t, timestamp, timestamp); }
	BEGIN { printf("b %d\n", timestamp); }
	tick-10ms { printf("c %d\n", timestamp); exit(0); }' >$OUT 2>&1
# "timestamp":N of each record and the values it printed
vals=$(sed -n 's/.*"timestamp":\([0-9]*\).*"output":"\([abc][ 0-9]*\)\\n".*/\1 \2/p' $OUT | tr '\n' ' ')
set -- $vals
# $1 a t ts ts  $6 b ts  $9 c ts
if [ $# = 11 ] && [ "$2" = a ] && [ "$3" = "$1" ] && [ "$4" = "$1" ] && [ "$5" = "$1" ]; then
	ktap_ok timestamp_same_in_predicate_clause_and_record
else ktap_fail timestamp_same_in_predicate_clause_and_record "got '$vals': $(head -c 400 $OUT)"; fi
if [ $# = 11 ] && [ "$7" = b ] && [ "$6" = "$1" ] && [ "$8" = "$1" ]; then
	ktap_ok timestamp_same_in_every_clause_of_a_firing
else ktap_fail timestamp_same_in_every_clause_of_a_firing "got '$vals'"; fi
if [ $# = 11 ] && [ "${10}" = c ] && [ "$9" = "${11}" ] && [ "${11}" -gt "$1" ]; then
	ktap_ok timestamp_later_in_a_later_firing
else ktap_fail timestamp_later_in_a_later_firing "got '$vals'"; fi
rm -f $OUT
ktap_finished
