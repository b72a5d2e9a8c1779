#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# oomkill sees a real OOM kill: toolwork oom runs a child named kt_oomhog in
# a memory cgroup limited to 32 MiB, touching memory until the OOM killer
# ends it.  The line names the child as both trigger and victim (its pid),
# the cgroup's limit (8192 pages) and constraint, a resident size near the
# limit, and the RAM /proc/meminfo gives.  vm/run and run-guest-tests.sh
# allow this OOM's "kt_oomhog invoked oom-killer" in the kernel log, and
# nothing else.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks oomkill
bg_until '^Tracing OOM' oomkill
"$W" oom 32 256 >$OUT.hog
rc=$?
sleep 0.5
bg_stop
if [ $rc -eq 4 ]; then
	for t in oomkill_reports_kill oomkill_limit_and_rss oomkill_memory_totals; do
		ktap_skip $t "no cgroup2 memory controller to confine the OOM to"
	done
	ktap_finished
	exit
fi
read -r _ H st <$OUT.hog
line=$(grep -E "^[0-9]{2}:[0-9]{2}:[0-9]{2} +$H +kt_oomhog +$H +kt_oomhog " $OUT)
[ $rc -eq 0 ] && [ -n "$line" ] && ktap_ok oomkill_reports_kill ||
	ktap_fail oomkill_reports_kill "toolwork oom: status $rc, $(cat $OUT.hog); $(head -c 600 $OUT | tr '\n' '|')"
# TIME TPID TCOMM KPID KCOMM RSS LIMIT CONSTRAINT FREE RAM L1 L5 L15
set -- $line
rss=$6 lim=$7 cons=$8 free=$9 ram=${10}
[ "$lim" = 8192 ] && [ "$cons" = memcg ] && [ "${rss:-0}" -ge 4096 ] && [ "$rss" -le 9216 ] &&
	ktap_ok oomkill_limit_and_rss || ktap_fail oomkill_limit_and_rss "'$line'"
memtotal=$(awk '$1 == "MemTotal:" { print $2 / 4 }' /proc/meminfo)
if [ "$ram" = "$memtotal" ] && [ "${free:-0}" -gt 0 ] && [ "$free" -lt "$ram" ] &&
   echo "$line" | grep -Eq ' [0-9]+\.[0-9]{2} [0-9]+\.[0-9]{2} [0-9]+\.[0-9]{2}$'; then
	ktap_ok oomkill_memory_totals
else ktap_fail oomkill_memory_totals "RAM $ram pages, /proc/meminfo $memtotal: '$line'"; fi
ktap_finished
