#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# fileslower on toolwork slowrw FILE 300: a write(2) and a read(2) of 4096
# bytes of a regular file that each last >= 300 ms (their user page arrives
# through userfaultfd 300 ms later), and one fast write and read each; and on
# toolwork pipe 3 250, whose thread tw_reader blocks about 250 ms in 2 of its
# 3 one-byte reads of an anonymous pipe (not a regular file: shown with -a).
. "$(dirname "$0")/lib.sh"
ktap_plan 7
usage_checks fileslower
F=/tmp/kt_slowrw.dat
# lines LAT_MIN D BYTES NAME_ERE: the lines of $OUT for toolwork's NAME, D
# and BYTES with a latency >= LAT_MIN ms (any latency: -1), counted
lines() {
	awk -v l="$1" -v d="$2" -v b="$3" -v f="$4" '$3 == d && $4 == b && $6 ~ f &&
		$5 + 0 >= l + 0 { n++ } END { print n + 0 }' $OUT
}
if no_uffd; then
	for t in slow_write slow_read threshold_and_regular_only zero_shows_all; do
		ktap_skip fileslower_$t "$UFFD_WHY"
	done
else
	bg_until 'PID +COMM' fileslower -m 200
	"$W" slowrw $F 300
	"$W" pipe 3 250
	bg_stop
	[ "$(lines 300 W 4096 '^kt_slowrw[.]dat$')" = 1 ] && ktap_ok fileslower_slow_write ||
		ktap_fail fileslower_slow_write "no W of 4096 bytes >= 300 ms: $(tr '\n' '|' <$OUT | head -c 600)"
	[ "$(lines 300 R 4096 '^kt_slowrw[.]dat$')" = 1 ] && ktap_ok fileslower_slow_read ||
		ktap_fail fileslower_slow_read "no R of 4096 bytes >= 300 ms: $(tr '\n' '|' <$OUT | head -c 600)"
	# the fast write and read, and the pipe (not a regular file), are not shown
	n=$(grep -c -e kt_slowrw -e 'pipe:' $OUT)
	[ "$n" = 2 ] && ktap_ok fileslower_threshold_and_regular_only ||
		ktap_fail fileslower_threshold_and_regular_only "$n lines, wanted 2: $(tr '\n' '|' <$OUT | head -c 600)"

	# -m 0 -n toolwork: all four, each 4096 bytes
	bg_until 'PID +COMM' fileslower -m 0 -n toolwork
	"$W" slowrw $F 300
	bg_stop
	[ "$(lines -1 W 4096 '^kt_slowrw[.]dat$')" = 2 ] && [ "$(lines -1 R 4096 '^kt_slowrw[.]dat$')" = 2 ] &&
		[ "$(grep -c kt_slowrw $OUT)" = 4 ] && ktap_ok fileslower_zero_shows_all ||
		ktap_fail fileslower_zero_shows_all "$(tr '\n' '|' <$OUT | head -c 600)"
fi

# -a: the pipe's blocked reads, named pipe:[INODE]; each waits for the
# writer's 250 ms sleep, less the time the reader took to come back to
# read(2) after the previous byte (so: more than 200 ms, not quite 250)
bg_until 'PID +COMM' fileslower -a -m 200 -n tw_reader
"$W" pipe 3 250
bg_stop
n=$(lines 200 R 1 '^pipe:[[][0-9]+[]]$')
[ "$n" -ge 2 ] && [ "$n" -le 3 ] && ktap_ok fileslower_all_files_pipe ||
	ktap_fail fileslower_all_files_pipe "$n slow pipe reads, wanted 2 or 3: $(tr '\n' '|' <$OUT | head -c 600)"
ktap_finished
