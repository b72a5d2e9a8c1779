#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# stackcount vfs_read -n toolwork: the helper's 100 reads come through one
# kernel stack (read(2) -> ksys_read -> vfs_read), counted exactly 100.
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks stackcount
bg_until "^Tracing stacks" stackcount vfs_read -n toolwork
"$W" read 100
bg_stop
# the stack's frames, then its count alone on a line
n=$(awk '/ksys_read/ { k = 1 } /^ +[0-9]+$/ { if (k) s += $1; k = 0 } END { print s + 0 }' $OUT)
[ "$n" -eq 100 ] && ktap_ok stackcount_counts_calls ||
	ktap_fail stackcount_counts_calls "$n calls under ksys_read, wanted 100: $(head -c 800 $OUT | tr '\n' '|')"
bg_until "^Tracing stacks" stackcount -u -P vfs_read -n toolwork
"$W" read 10 & w=$!; wait $w
bg_stop
if grep -Eq "^ *$w +toolwork *$" $OUT; then ktap_ok stackcount_per_process
else ktap_fail stackcount_per_process "$(head -c 800 $OUT | tr '\n' '|')"; fi
ktap_finished
