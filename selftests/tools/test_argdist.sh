#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# argdist -n toolwork -H vfs_read:arg2 -C vfs_read:retval while the helper
# makes 50 read(2)s of 64 bytes from /dev/zero: the histogram of the size
# argument holds exactly 50 values, all in the 64 row, and the count of the
# return values is exactly "64 50".  A spec that is not FUNC:argN or
# FUNC:retval is refused (status 2), a function that does not exist too
# (status 1), each with a message naming it.
. "$(dirname "$0")/lib.sh"
ktap_plan 6
usage_checks argdist
bg_until '^Tracing 2 function' argdist -n toolwork -H vfs_read:arg2 -C vfs_read:retval
"$W" read 50
bg_stop
# rows of the section titled $1: "VALUE COUNT" (the histogram's non-empty rows)
rows() {
	awk -v t="$1" '$0 == t { on = 1; next } on && /^[a-z_]+:/ { on = 0 }
		on && $2 ~ /^\|/ && $NF > 0 { print $1, $NF }
		on && $1 ~ /^-?[0-9]+$/ && $2 ~ /^[0-9]+$/ && NF == 2 { print $1, $2 }' $OUT | tr '\n' ' '
}
got=$(rows vfs_read:arg2)
[ "$got" = "64 50 " ] && ktap_ok argdist_histogram_of_argument ||
	ktap_fail argdist_histogram_of_argument "got '$got': $(head -c 900 $OUT | tr '\n' '|')"
got=$(rows vfs_read:retval)
[ "$got" = "64 50 " ] && ktap_ok argdist_count_of_return_value ||
	ktap_fail argdist_count_of_return_value "got '$got': $(head -c 900 $OUT | tr '\n' '|')"
argdist -H 'vfs_read:arg2);exit(0' >$OUT 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "^argdist: -H 'vfs_read:arg2);exit(0'" $OUT && ktap_ok argdist_refuses_bad_spec ||
	ktap_fail argdist_refuses_bad_spec "status $rc: $(head -c 300 $OUT | tr '\n' '|')"
argdist -C no_such_function_kt:retval >$OUT 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q "^argdist: no kernel function 'no_such_function_kt'" $OUT &&
	ktap_ok argdist_unknown_function || ktap_fail argdist_unknown_function "status $rc: $(head -c 300 $OUT | tr '\n' '|')"
ktap_finished
