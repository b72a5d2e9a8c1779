#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# iotop -C 1 3 while two dd processes of known pids (they wait on a fifo
# before they exec) make direct I/O on the null_blk disk: 40 reads of 4 KiB
# by one, 3 writes of 16 KiB by the other, further on the disk (issued to
# the driver by a kworker; iotop finds a request's submitter by device and
# sector, see iotop(8)): over the intervals, exactly those requests and KiB for each
# pid, direction and disk; -n keeps only the process named; SIGTERM ends
# iotop and its ktrace.
. "$(dirname "$0")/lib.sh"
ktap_plan 6
usage_checks iotop
dev=$(cat /sys/block/nullb0/dev 2>/dev/null)
if [ -z "$dev" ]; then
	ktap_missing iotop_reads nullb0 "no null_blk disk (nullb0) in this guest"
	ktap_missing iotop_writes nullb0 "no null_blk disk (nullb0) in this guest"
	ktap_missing iotop_name_filter nullb0 "no null_blk disk (nullb0) in this guest"
	ktap_missing iotop_sigterm nullb0 "no null_blk disk (nullb0) in this guest"
	ktap_finished
	exit 0
fi
maj=${dev%:*} min=${dev#*:}
mkfifo $OUT.go
# run OPTION...: iotop OPTION... during the two dd's; $r and $w their pids
run() {
	sh -c "read x <$OUT.go; exec dd if=/dev/nullb0 of=/dev/null bs=4k count=40 iflag=direct 2>/dev/null" &
	r=$!
	sh -c "read x <$OUT.go; exec dd if=/dev/zero of=/dev/nullb0 bs=16k seek=1000 count=3 oflag=direct 2>/dev/null" &
	w=$!
	bg_until '^Tracing block I/O' iotop "$@"
	echo go >$OUT.go	# one writer, two readers: both start
	wait $r $w
}
# sums PID D: "I/O KBYTES" summed over the intervals for PID's D lines on the disk
sums() {
	awk -v p=$1 -v d=$2 -v maj=$maj -v min=$min -v n=$(basename $(dirname /sys/block/nullb0/dev)) \
		'$1 == p && $2 == "dd" && $3 == d && $4 == maj && $5 == min && $6 == n { i += $7; k += $8 }
		END { print i + 0, k + 0 }' $OUT
}
run -C 1 3
wait $BG
got=$(sums $r R)
[ "$got" = "40 160" ] && ktap_ok iotop_reads ||
	ktap_fail iotop_reads "pid $r: '$got', wanted '40 160': $(head -c 900 $OUT | tr '\n' '|')"
got=$(sums $w W)
[ "$got" = "3 48" ] && ktap_ok iotop_writes ||
	ktap_fail iotop_writes "pid $w: '$got', wanted '3 48': $(head -c 900 $OUT | tr '\n' '|')"
# -n: a name neither dd has shows no line; the screen is cleared each
# interval.  Without COUNT, until SIGTERM: then iotop and its ktrace end.
# iotops: the ktrace processes of iotop (their command lines in /proc)
iotops() {
	for f in /proc/[0-9]*/cmdline; do tr '\0' ' ' <$f 2>/dev/null; echo; done |
		grep -c '^[^ ]*ktrace -x argref -q -x aggsortrev '
}
run -n nomatch 1
i=0
while [ "$(grep -c "$(printf '\033')\[2J" $OUT)" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
before=$(iotops)
bg_stop
n=$(grep -c '^ *[0-9][0-9]* ' $OUT)
[ "$n" -eq 0 ] && [ "$(grep -c "$(printf '\033')\[2J" $OUT)" -ge 2 ] && ktap_ok iotop_name_filter ||
	ktap_fail iotop_name_filter "$n lines: $(head -c 900 $OUT | tr '\n\033' '|E')"
left=$(iotops)
[ "$before" -eq 1 ] && [ "$left" -eq 0 ] && ktap_ok iotop_sigterm ||
	ktap_fail iotop_sigterm "ktrace processes: $before before SIGTERM, $left after"
ktap_finished
