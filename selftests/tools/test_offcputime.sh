#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# offcputime: the helper blocks in 10 nanosleep()s of 50 ms: one entry under
# do_nanosleep, named toolwork, 10 blocks of 500 ms or more in total; -u adds the
# helper's own user stack (its nanosleep call); -m 2000000 keeps a 2.5 s block
# and drops 20 ms ones.
. "$(dirname "$0")/lib.sh"
ktap_plan 6
usage_checks offcputime
# entries: one line per entry of $OUT: NAME TOTAL BLOCKS |FRAME|FRAME...
# (kernel, then user frames); an entry is its frames, the name, then
# "N us, K blocks"
entries() {
	awk '/^ +[0-9]+ us, [0-9]+ blocks$/ { print last, $1, $3, fr; fr = ""; last = ""; next }
		NF { if (last != "") fr = fr "|" last; last = $1 }' $OUT
}
# sleep_total: the microseconds of the toolwork entries under do_nanosleep
sleep_total() {
	entries | awk '$1 == "toolwork" && $4 ~ /\|do_nanosleep\+/ { s += $2 } END { print s + 0 }'
}
# sleep_blocks: their number of blocks
sleep_blocks() {
	entries | awk '$1 == "toolwork" && $4 ~ /\|do_nanosleep\+/ { s += $3 } END { print s + 0 }'
}
bg_until '^Tracing off-CPU' offcputime -n toolwork
"$W" sleep 10 50
bg_stop
t=$(sleep_total) b=$(sleep_blocks)
[ "$t" -ge 500000 ] && [ "$t" -lt 5000000 ] && [ "$b" -eq 10 ] && ktap_ok offcputime_sums_blocked_time ||
	ktap_fail offcputime_sums_blocked_time "$t us in $b blocks, wanted 500000..5000000 in 10: $(head -c 800 $OUT | tr '\n' '|')"
# -p: only the process given, whose sleeps are all there
"$W" sleep 100 50 &
S=$!
bg_until '^Tracing off-CPU' offcputime -u -p $S
sleep 1.5
bg_stop
kill $S; wait $S 2>/dev/null
names=$(entries | awk '{ print $1 }' | sort -u | tr '\n' ' ')
t=$(sleep_total)
[ "$t" -ge 500000 ] && [ "$names" = "toolwork " ] && ktap_ok offcputime_pid_only ||
	ktap_fail offcputime_pid_only "$t us, names '$names': $(head -c 800 $OUT | tr '\n' '|')"
# -u: under the kernel's do_nanosleep, the helper's own call of (clock_)nanosleep
if entries | grep -Eq '^toolwork [0-9]+ .*\|do_nanosleep\+.*\|toolwork`(__)?(clock_)?nanosleep\+'; then
	ktap_ok offcputime_user_stack
else ktap_fail offcputime_user_stack "no toolwork\`nanosleep under do_nanosleep: $(head -c 800 $OUT | tr '\n' '|')"; fi
# -m: one sleep of 2.5 s is kept, five of 20 ms are left out
bg_until '^Tracing off-CPU' offcputime -n toolwork -m 2000000
"$W" sleep 1 2500
"$W" sleep 5 20
bg_stop
t=$(sleep_total) b=$(sleep_blocks)
[ "$t" -ge 2500000 ] && [ "$b" -eq 1 ] && ktap_ok offcputime_minimum_block ||
	ktap_fail offcputime_minimum_block "$t us in $b blocks, wanted 2500000 or more in 1: $(head -c 800 $OUT | tr '\n' '|')"
ktap_finished
