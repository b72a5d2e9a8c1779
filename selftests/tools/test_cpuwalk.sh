#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cpuwalk: two helpers bound to CPU 0 and CPU 1 (sched_setaffinity) are
# each found on their own CPU only; -p keeps one process.
. "$(dirname "$0")/lib.sh"
[ "$(nproc)" -ge 2 ] || ktap_skip_all "needs 2 CPUs"
ktap_plan 4
usage_checks cpuwalk
# hist PID: "CPU COUNT" lines of PID's histogram
hist() {
	awk -v p="$1" '$1 == "PID:" { on = ($2 == p); next }
		on && $2 ~ /^\|/ && $1 ~ /^[0-9]+$/ { print $1, $NF }' $OUT
}
# only CPU PID: PID has 20 samples or more, all on CPU
only() {
	hist "$2" | awk -v c="$1" '$1 == c { n += $2 } $1 != c { o += $2 } END { exit !(n >= 20 && o == 0) }'
}
"$W" spincpu 0 600000 & A=$!
"$W" spincpu 1 600000 & B=$!
sleep 0.3
cpuwalk -n toolwork -d 2 >$OUT 2>&1
if only 0 $A && only 1 $B; then ktap_ok cpuwalk_finds_each_cpu
else ktap_fail cpuwalk_finds_each_cpu "$A on 0, $B on 1: $(tr '\n' '|' <$OUT | head -c 900)"; fi
cpuwalk -p $B -d 2 >$OUT 2>&1
pids=$(awk '$1 == "PID:" { print $2 }' $OUT | sort -u | tr '\n' ' ')
kill $A $B 2>/dev/null; wait $A $B 2>/dev/null
[ "$pids" = "$B " ] && only 1 $B && ktap_ok cpuwalk_pid_only ||
	ktap_fail cpuwalk_pid_only "pids '$pids', wanted $B: $(tr '\n' '|' <$OUT | head -c 900)"
ktap_finished
