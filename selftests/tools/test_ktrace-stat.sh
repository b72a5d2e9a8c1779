#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host test (selftests/host-tests.list): ktrace-stat's formatter, with
# KTRACE set to a stand-in that prints what the D program prints (the
# "@ EVENT COUNT" / "= MS" / "!" lines) for counts chosen here, so the
# ratios perf stat shows (IPC, cache and branch miss rates) are checked
# against known values: QEMU TCG has no hardware counters to produce them.
# Not executable: the guest runner skips it.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
T=${TMPDIR:-/tmp}/kstatfmt.$$
trap 'rm -rf $T' EXIT
mkdir -p $T
# the stand-in: its arguments in $T/args, the lines of $T/feed on stdout,
# the status in $T/status
cat >$T/ktrace <<EOF
#!/bin/sh
printf '%s\n' "\$@" >$T/args
cat $T/feed
exit \$(cat $T/status)
EOF
chmod +x $T/ktrace
export KTRACE=$T/ktrace
S=user/tools/ktrace-stat
ktap_plan 6
# line EVENT: the last line of the output for EVENT, blanks squeezed
line() { grep -E " $1( |\$)" $T/out | tail -n 1 | tr -s ' ' | sed 's/^ //'; }

printf '!\n@ cycles 2000000\n@ instructions 3000000\n@ cache-references 1000\n@ cache-misses 250\n@ branches 400\n@ branch-misses 4\n= 1500\n' >$T/feed
echo 0 >$T/status
sh $S -e cycles,instructions,cache-references,cache-misses,branches,branch-misses -c 'x y' >$T/out 2>&1
[ "$(line instructions)" = "3000000 instructions # 1.50 insn per cycle" ] && ktap_ok ipc ||
	ktap_fail ipc "$(line instructions)"
[ "$(line cache-misses)" = "250 cache-misses # 25.00 % of all cache refs" ] &&
	[ "$(line branch-misses)" = "4 branch-misses # 1.00 % of all branches" ] && ktap_ok miss_rates ||
	ktap_fail miss_rates "$(line cache-misses) / $(line branch-misses)"
grep -q "Performance counter stats for 'x y':" $T/out && grep -q '1.500 seconds time elapsed' $T/out &&
	grep -qx -- '-c' $T/args && grep -qx 'x y' $T/args && ktap_ok header_and_command ||
	ktap_fail header_and_command "$(tr '\n' '|' <$T/out)"

# no ratio without both of its events; a missing count prints 0
printf '!\n@ instructions 10\n= 10\n' >$T/feed
sh $S -e instructions,cache-misses -c true >$T/out 2>&1
[ "$(line instructions)" = "10 instructions" ] && [ "$(line cache-misses)" = "0 cache-misses" ] &&
	ktap_ok no_ratio_without_both || ktap_fail no_ratio_without_both "$(tr '\n' '|' <$T/out)"

# -i: a block per interval, then the totals; clocks in msec
printf '@ task-clock 2000000\n= 1000\n@ task-clock 3000000\n= 2000\n!\n@ task-clock 500000\n= 2100\n' >$T/feed
sh $S -e task-clock -i 1 >$T/out 2>&1
[ "$(grep -c ' s$' $T/out)" = 2 ] && [ "$(line task-clock)" = "5.50 msec task-clock" ] &&
	ktap_ok intervals_then_totals || ktap_fail intervals_then_totals "$(tr '\n' '|' <$T/out)"

# ktrace's status is the tool's
echo 3 >$T/status
sh $S -e page-faults -c true >$T/out 2>&1
rc=$?
[ $rc = 3 ] && ktap_ok status_is_ktraces || ktap_fail status_is_ktraces "status $rc"
ktap_finished
