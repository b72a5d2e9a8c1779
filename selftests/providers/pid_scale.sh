#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The pid provider at scale: ./manyfuncs has 4096 functions of its own
# (fn_000 .. fn_fff), each called exactly once when it reads a line from
# stdin, and prints the running sum (sum=8386560: 0 + 1 + ... + 4095).
# Entry and return probes on all of them enable, fire once each, see the
# right arguments and return values, and leave no uprobe behind.  Counts,
# not times (make bench's B10 times the enabling).
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
[ -x ./manyfuncs ] || ktap_skip_all "manyfuncs helper missing"

TR=/sys/kernel/tracing
[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null
M=$(pwd)/manyfuncs
OUT=/tmp/pid_scale.$$
trap 'rm -f $OUT' EXIT
ktap_plan 5

# kt PROGRAM: trace a run of manyfuncs (its stdin line comes from echo)
kt() { echo go | ktrace -q -c "$M run" -n "$1" >$OUT 2>&1; }
# expect NAME LINE...: the output has each LINE
expect() {
	name=$1
	shift
	for l in "$@"; do
		grep -qx "$l" $OUT || { ktap_fail "$name" "wanted '$l', got: $(head -c 300 $OUT | tr '\n' '|')"; return; }
	done
	ktap_ok "$name"
}

n=$(ktrace -l -n 'pid$target:manyfuncs:fn_*:entry' -c "$M run" </dev/null 2>/dev/null | grep -c ' fn_[0-9a-f]* *entry$')
[ "$n" = 4096 ] && ktap_ok pid_scale_listing_4096 || ktap_fail pid_scale_listing_4096 "listed $n entry probes, wanted 4096"

kt 'pid$target:manyfuncs:fn_*:entry { n++; } pid$target:manyfuncs:fn_*:entry /!seen[probefunc]/ { seen[probefunc] = 1; u++; }
    END { printf("entries=%d distinct=%d\n", n, u); }'
expect pid_scale_entry_each_once "entries=4096 distinct=4096" "sum=8386560"

# fn_800's argument is the sum of 0 .. 0x7ff; its return value adds 0x800
kt 'pid$target:manyfuncs:fn_800:entry { printf("arg0=%d\n", arg0); }
    pid$target:manyfuncs:fn_800:return { printf("ret=%d\n", arg1); }'
expect pid_scale_one_function_args "arg0=2096128" "ret=2098176"

kt 'pid$target:manyfuncs:fn_*:return { n++; s = arg1; } END { printf("returns=%d last=%d\n", n, s); }'
expect pid_scale_return_each_once "returns=4096 last=8386560" "sum=8386560"

sleep 1
if [ -f $TR/uprobe_events ] && grep -q . $TR/uprobe_events; then
	ktap_fail pid_scale_no_uprobe_left "$(wc -l <$TR/uprobe_events) uprobe events left"
else
	ktap_ok pid_scale_no_uprobe_left
fi
ktap_finished
