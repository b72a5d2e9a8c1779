#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The CPU built-ins DTrace has beside cpu: on every CPU a profile probe fires
# on, chip is that CPU's physical package and lgrp its NUMA node, as sysfs
# gives them (topology/physical_package_id, the cpuN/nodeK link); pset is 0
# (Linux has no processor sets).  Every online CPU is seen.
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"

OUT=/tmp/cpu_vars.$$
ktap_plan 4

ktrace -q -n 'profile-97 { @[cpu, chip, lgrp, pset] = count(); }
	tick-3s { exit(0); }
	END { printa("%d %d %d %d %@d\n", @); }' >$OUT 2>&1
rc=$?
[ $rc -eq 0 ] && ktap_ok cpu_vars_run || ktap_fail cpu_vars_run "status $rc: $(head -c 300 $OUT | tr '\n' '|')"

# CPU -> "chip lgrp" from sysfs
want() {
	d=/sys/devices/system/cpu/cpu$1
	node=0
	for l in "$d"/node[0-9]*; do [ -e "$l" ] && node=${l##*/node}; done
	echo "$(cat "$d/topology/physical_package_id") $node"
}
bad_chip= bad_pset= seen=
while read -r c chip lgrp pset n; do
	case $c in ''|*[!0-9]*) continue ;; esac
	seen="$seen $c"
	w=$(want "$c")
	[ "$chip $lgrp" = "$w" ] || bad_chip="$bad_chip cpu$c:$chip,$lgrp(sysfs $w)"
	[ "$pset" = 0 ] || bad_pset="$bad_pset cpu$c:$pset"
done <$OUT
[ -z "$bad_chip" ] && [ -n "$seen" ] && ktap_ok chip_lgrp_match_sysfs ||
	ktap_fail chip_lgrp_match_sysfs "${bad_chip:-no samples}"
[ -z "$bad_pset" ] && [ -n "$seen" ] && ktap_ok pset_is_zero || ktap_fail pset_is_zero "${bad_pset:-no samples}"
missing=
for d in /sys/devices/system/cpu/cpu[0-9]*; do
	c=${d##*cpu}
	[ "$(cat "$d/online" 2>/dev/null || echo 1)" = 1 ] || continue
	case " $seen " in *" $c "*) ;; *) missing="$missing $c" ;; esac
done
[ -z "$missing" ] && ktap_ok every_online_cpu_seen || ktap_fail every_online_cpu_seen "not seen:$missing"
rm -f $OUT
ktap_finished
