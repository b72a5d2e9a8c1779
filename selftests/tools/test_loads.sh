#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# loads prints the load averages /proc/loadavg shows, read before and after
# it (the kernel updates them every 5 s: loads shows one of the two, the
# same if no update came in between); with INTERVAL COUNT, COUNT lines.
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks loads
# the three loads of /proc/loadavg, as loads prints them
proc_loads() { awk '{ printf "%s, %s, %s\n", $1, $2, $3 }' /proc/loadavg; }
before=$(proc_loads)
loads >$OUT 2>&1
after=$(proc_loads)
if [ "$(grep -c . $OUT)" -eq 1 ] &&
   grep -Eq "^[0-9]{4} [A-Z][a-z]{2} +[0-9]+ [0-9:]{8}, load average: ($before|$after)\$" $OUT; then
	ktap_ok loads_matches_proc_loadavg
else ktap_fail loads_matches_proc_loadavg "/proc/loadavg '$before' / '$after': $(tr '\n' '|' <$OUT)"; fi
loads 1 2 >$OUT 2>&1; rc=$?
n=$(grep -c ', load average: [0-9]*\.[0-9][0-9], [0-9]*\.[0-9][0-9], [0-9]*\.[0-9][0-9]$' $OUT)
[ $rc -eq 0 ] && [ "$n" -eq 2 ] && [ "$(grep -c . $OUT)" -eq 2 ] && ktap_ok loads_interval_count ||
	ktap_fail loads_interval_count "status $rc, $n lines: $(tr '\n' '|' <$OUT)"
ktap_finished
