#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# exitsnoop shows each helper's exit with its PID, parent and status: code 0,
# code 7 and signal 9; -x leaves out the clean exit.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks exitsnoop
# run_exits: three helpers, one after the other; their PIDs in $p0 $p7 $p9
run_exits() {
	"$W" exit 0 & p0=$!; wait $p0
	"$W" exit 7 & p7=$!; wait $p7
	"$W" die 9 & p9=$!; wait $p9
}
# line PID PPID EXIT: the exitsnoop line for PID (PID PPID TID COMM AGE EXIT)
line() { awk -v p=$1 -v pp=$2 -v e="$3" '$1 == p && $2 == pp && $3 == p && $4 == "toolwork" &&
	$5 ~ /^[0-9]+$/ && $6 " " $7 == e { f = 1 } END { exit !f }' $OUT; }
bg_until '^ +PID +PPID' exitsnoop -n toolwork
run_exits
bg_stop
if line $p0 $$ "code 0" && line $p7 $$ "code 7" && line $p9 $$ "signal 9"; then
	ktap_ok exitsnoop_sees_exits
else ktap_fail exitsnoop_sees_exits "pids $p0 $p7 $p9 (ppid $$): $(head -c 600 $OUT | tr '\n' '|')"; fi
n=$(awk '$4 == "toolwork"' $OUT | wc -l)
[ "$n" -eq 3 ] && ktap_ok exitsnoop_one_line_each || ktap_fail exitsnoop_one_line_each "$n lines, wanted 3"
bg_until '^ +PID +PPID' exitsnoop -x -n toolwork
run_exits
bg_stop
if ! line $p0 $$ "code 0" && line $p7 $$ "code 7" && line $p9 $$ "signal 9"; then
	ktap_ok exitsnoop_failures_only
else ktap_fail exitsnoop_failures_only "pids $p0 $p7 $p9: $(head -c 600 $OUT | tr '\n' '|')"; fi
ktap_finished
