#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fbt at scale: listing and matching agree, function for function, with
# the kernel's own lists (available_filter_functions minus the kprobes
# blacklist and minus "func.cold"-style names, one probe per name); a
# wildcard enables exactly that many probes; every function's entry
# probe enables (or fails with a message), and fbt:::return is refused
# with a clear message.  Counts, not times.
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"

TR=/sys/kernel/tracing
BL=/sys/kernel/debug/kprobes/blacklist
[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null
[ -f $BL ] || mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
[ -r $TR/available_filter_functions ] || ktap_skip_all "no available_filter_functions"
OUT=/tmp/fbt_scale.$$
EXP=/tmp/fbt_scale.exp.$$
trap 'rm -f $OUT $EXP $EXP.*' EXIT
ktap_plan 7

# "mod func" for every function fbt should offer, sorted, unique (not
# ktrace's own functions: the module refuses to probe itself; not the
# __ftrace_invalid_address___N records of discarded weak functions)
expected() {
	{ [ -r $BL ] && awk -F'\t' '{ split($2, a, " "); m = "vmlinux";
		if (a[2] ~ /^\[/) { m = a[2]; gsub(/[][]/, "", m) } print "BL", m, a[1] }' $BL
	  awk '{ m = "vmlinux"; if ($2 ~ /^\[/) { m = $2; gsub(/[][]/, "", m) }
		if ($1 !~ /\./ && $1 !~ /^__ftrace_invalid_address__/ && m != "ktrace") print "FN", m, $1 }' $TR/available_filter_functions
	} | awk '$1 == "BL" { bl[$2 " " $3] = 1; next } !(($2 " " $3) in bl) { print $2, $3 }' |
		sort -u
}
expected >$EXP
nall=$(wc -l <$EXP)
grep ' vfs_' $EXP >$EXP.vfs
nvfs=$(wc -l <$EXP.vfs)

# listing everything: one entry and one return probe per function
ktrace -l >$OUT 2>&1
n=$(awk '$2 == "fbt"' $OUT | wc -l)
[ "$nall" -gt 1000 ] && [ "$n" -eq $((2 * nall)) ] && ktap_ok fbt_list_all_count ||
	ktap_fail fbt_list_all_count "listed $n fbt probes, expected 2 x $nall"

# ... the very same functions
awk '$2 == "fbt" && $5 == "entry" { print $3, $4 }' $OUT | sort -u >$EXP.listed
cmp -s $EXP $EXP.listed && ktap_ok fbt_list_all_names ||
	ktap_fail fbt_list_all_names "$(diff $EXP $EXP.listed | head -5 | tr '\n' '|')"

# a wildcard lists exactly its functions
ktrace -l -n 'fbt::vfs_*:entry' >$OUT 2>&1
awk '$2 == "fbt" && $5 == "entry" { print $3, $4 }' $OUT | sort -u >$EXP.listed
n=$(awk '$2 == "fbt"' $OUT | wc -l)
[ "$nvfs" -gt 10 ] && [ "$n" -eq "$nvfs" ] && cmp -s $EXP.vfs $EXP.listed &&
	ktap_ok fbt_list_wildcard_count ||
	ktap_fail fbt_list_wildcard_count "listed $n, expected $nvfs"

# ... and enables exactly that many probes
ktrace -n 'fbt::vfs_*:entry { } BEGIN { exit(0); }' >$OUT 2>&1
grep -q "matched $((nvfs + 1)) probes" $OUT && ktap_ok fbt_enable_wildcard_count ||
	ktap_fail fbt_enable_wildcard_count "expected 'matched $((nvfs + 1)) probes' (with BEGIN), got: $(head -c 300 $OUT | tr '\n' '|')"

# every function's entry: enables and fires; never hangs.  Left out (at
# most 1%): the module's deny-list, names whose address kallsyms gives to
# another symbol (weak aliases of sys_ni_syscall...), those kprobes refuse.
# Under TCG attaching ~35k functions takes longer than the deadman timeout:
# the session's alive time starts once its probes are attached.
ktrace -n 'fbt:::entry { exit(0); }' >$OUT 2>&1
rc=$?
m=$(sed -n 's/.* matched \([0-9]*\) probes.*/\1/p' $OUT | head -n1)
if [ $rc -eq 0 ] && [ -n "$m" ] && [ "$m" -le "$nall" ] && [ "$m" -ge $((nall - nall / 100)) ] &&
   ! grep -q . $TR/enabled_functions; then
	ktap_ok fbt_enable_all_entry
else
	ktap_fail fbt_enable_all_entry "rc=$rc, matched '$m' of $nall: $(head -c 400 $OUT | tr '\n' '|')"
fi

# a generated list, one description per function (every 100th of those
# fbt:::entry creates, modules included) and one glob among them: each
# matches its own function, no more, no less (from the second description
# on, the catalogue is read once and each description filtered in memory)
ktrace -l -n 'fbt:::entry' 2>/dev/null |
	awk '$2 == "fbt" && $5 == "entry" && $1 + 0 > 0 && $4 != "vfs_read" && NR % 100 == 1 { print $3, $4 }' >$EXP.list
nlist=$(wc -l <$EXP.list)
{ echo 'BEGIN { exit(0); }'
  awk '{ printf "fbt:%s:%s:entry,\n", $1, $2 }' $EXP.list
  echo 'fbt::vfs_rea?:entry { }'; } >$EXP.d
ktrace -s $EXP.d >$OUT 2>&1
rc=$?
if [ "$nlist" -gt 100 ] && [ $rc -eq 0 ] && grep -q "matched $((nlist + 2)) probes" $OUT &&
   ! grep -q . $TR/enabled_functions; then
	ktap_ok fbt_enable_list_each_its_function
else
	ktap_fail fbt_enable_list_each_its_function "rc=$rc, $nlist descriptions (+ vfs_rea? + BEGIN): $(head -c 300 $OUT | tr '\n' '|')"
fi

# every function's return: refused up front, with the reason, nothing enabled
ktrace -n 'fbt:::return { }' >$OUT 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q 'at most [0-9]* fbt return probes' $OUT &&
   ! grep -q . $TR/enabled_functions; then
	ktap_ok fbt_enable_all_return_refused
else
	ktap_fail fbt_enable_all_return_refused "rc=$rc: $(head -c 300 $OUT | tr '\n' '|')"
fi
ktap_finished
