#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Principal buffers are backed as they are written (docs/buffers.md,
# "Memory"): an idle session holds its pool's pages and no data page;
# a burst on one CPU gives that CPU exactly the pages its records
# reached, with every record intact, and no other CPU any; a burst
# bigger than the pool within one firing (BEGIN: nothing refills it
# meanwhile) drops exactly what did not fit, reported as drops, and keeps
# the records that did (the limit at N and N + 1 records); the pool's
# module parameter takes 1..4096.  Aggregation copies are mapped as they
# fill: an idle aggregating session holds each copy's header, buckets and
# first 256 KiB of entries, and a copy that outgrows them keeps every key
# (the mapping grows behind the inserts).  The figures are the module's own
# (ktrace --sessions RES/BUF/MAX, netlink MEM_RESIDENT/MEM_BUFFERS/
# MEM_RESERVED).
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
[ -x ./bufload ] || ktap_skip_all "bufload helper missing"
PAR=/sys/module/ktrace/parameters
[ -w $PAR/buf_pool_pages ] || ktap_skip_all "no writable buf_pool_pages parameter"

B=$(pwd)/bufload
T=/tmp/lazymem.$$
mkdir -p $T
POOL0=$(cat $PAR/buf_pool_pages)
KPID=
cleanup() {
	[ -n "$KPID" ] && kill -INT $KPID 2>/dev/null && wait $KPID
	echo "$POOL0" >$PAR/buf_pool_pages
	rm -rf $T
}
trap cleanup EXIT
# possible CPUs: every one of them has a buffer
NPOS=$(awk -F, '{ n = 0; for (i = 1; i <= NF; i++) { split($i, r, "-"); n += (r[2] == "" ? 1 : r[2] - r[1] + 1) } print n }' /sys/devices/system/cpu/possible)
ktap_plan 8
ktap_diag "$NPOS possible CPUs, buf_pool_pages=$POOL0"

# sess_mem PID: "RES BUF MAX" (KiB) of the active session opened by PID
sess_mem() { ktrace --sessions 2>/dev/null | awk -v p="$1" '$2 == p && $5 == "active" { print $10, $11, $12 }'; }
active() { [ -n "$(sess_mem "$1")" ]; }
# inorder FILE: 0 when its number lines are 1, 2, 3... (other lines ignored)
inorder() { awk '/^[0-9]+$/ { if ($1 != ++n) bad = 1 } END { print bad + 0 }' "$1"; }
# sum of N in "ktrace: N drop(s) on CPU M" lines of FILE
drops() { sed -n 's/^ktrace: \([0-9]*\) drops\{0,1\} on CPU [0-9]*$/\1/p' "$1" | awk '{ s += $1 } END { print s + 0 }'; }

# ---- an idle session: the pool's pages, no data page (default 4m buffers).
# Its pool: 256 pages, more than the burst below needs, so that no record
# of it waits for a refill (a drop when the refill is late is a matter of
# timing; the BEGIN cases below drop deterministically).
POOL=256
echo $POOL >$PAR/buf_pool_pages
ktrace -q -x bufsize=4m -n 'syscall::read:entry /arg0 == 42/ { printf("%d\n", arg2); }' \
	>$T/out 2>$T/err &
KPID=$!
if ktap_poll 60 active $KPID; then
	sleep 1
	set -- $(sess_mem $KPID)
	RES1=$1 BUF1=$2 MAX1=$3
	# everything reserved but the NPOS x 4 MiB of data and the NPOS x 32 KiB
	# of speculation buffers (the program never speculates), plus the pool
	want=$((MAX1 - NPOS * 4096 - NPOS * 32 + POOL * 4))
	ktap_diag "idle: resident $RES1 KiB ($BUF1 in buffers) of $MAX1 KiB reserved (expected $want)"
	if [ "$BUF1" = 0 ] && [ $((RES1 - want)) -le 2 ] && [ $((want - RES1)) -le 2 ]; then
		ktap_ok idle_session_holds_no_data_page
	else
		ktap_fail idle_session_holds_no_data_page "resident $RES1 KiB, buffers $BUF1 KiB, reserved $MAX1 KiB, expected $want KiB"
	fi

	# ---- a burst on CPU 0: about what it wrote becomes resident, records intact
	N=20000
	env BUFLOAD_CPU=0 "$B" reads $N
	ktap_poll 60 sh -c "[ \$(grep -c . $T/out) -ge $N ]"
	set -- $(sess_mem $KPID)
	RES2=$1 BUF2=$2
	kill -INT $KPID
	wait $KPID
	rc=$?
	KPID=
	n=$(grep -c '^[0-9][0-9]*$' $T/out) d=$(drops $T/err)
	inorder=$(inorder $T/out)
	# printf("%d\n", arg2): a 32-byte record (16 header, 8 item, 8 value);
	# CPU 0's first lap took the pages its records reached, whole pages
	wrote=$(((N * 32 + 4095) / 4096 * 4))
	ktap_diag "burst of $N records on CPU 0: buffers $BUF1 -> $BUF2 KiB (expected $wrote), resident $RES1 -> $RES2 KiB, $n records, $d drops"
	if [ $rc = 0 ] && [ "$n" = $N ] && [ "$d" = 0 ] && [ "$inorder" = 0 ]; then
		ktap_ok burst_records_intact
	else
		ktap_fail burst_records_intact "rc=$rc records=$n drops=$d inorder=$inorder: $(head -c 300 $T/err)"
	fi
	# resident: the pages taken, less what the pool has not refilled yet
	# (at most its target); never one CPU's whole 4 MiB, let alone NPOS
	grown=$((RES2 - RES1))
	if [ "$BUF2" = $wrote ] && [ "$grown" -ge $((wrote - POOL * 4)) ] && [ "$grown" -lt 4096 ]; then
		ktap_ok burst_backs_the_pages_it_wrote
	else
		ktap_fail burst_backs_the_pages_it_wrote "buffers $BUF2 KiB for $wrote KiB written; resident grew $grown KiB"
	fi
else
	ktap_fail idle_session_holds_no_data_page "session not active: $(head -c 300 $T/err)"
	ktap_fail burst_records_intact "no session"
	ktap_fail burst_backs_the_pages_it_wrote "no session"
fi

# ---- aggregation copies: mapped as they fill.  The same idle one-liner
# with printf and with an aggregation (aggsize=4m: 32768 buckets, 128 KiB):
# the aggregating one holds, per copy, its header page, the buckets and 256
# KiB of entries more than the printf one's one-page copies; not 4 MiB.
idle_res() {
	ktrace -q -x aggsize=4m -n "syscall::read:entry /arg0 == 42/ { $1 }" >$T/idle.out 2>$T/idle.err &
	KPID=$!
	if ktap_poll 60 active $KPID; then
		sleep 1
		set -- $(sess_mem $KPID)
		echo "$1"
	fi
	kill -INT $KPID 2>/dev/null
	wait $KPID 2>/dev/null
	KPID=
}
RP=$(idle_res 'printf("%d\n", arg2);')
RA=$(idle_res '@[arg2] = count();')
# 2 copies per CPU, each (128 + 256) KiB of buckets and entries (+ <= 1 page)
lo=$((NPOS * 2 * (128 + 256))) hi=$((NPOS * 2 * (128 + 256 + 8)))
ktap_diag "idle: printf session $RP KiB, aggregating session $RA KiB resident (copies: $lo..$hi KiB more expected; 4 MiB each if mapped whole)"
if [ -n "$RP" ] && [ -n "$RA" ] && [ $((RA - RP)) -ge $lo ] && [ $((RA - RP)) -le $hi ]; then
	ktap_ok idle_aggregation_maps_buckets_and_first_entries
else
	ktap_fail idle_aggregation_maps_buckets_and_first_entries "printf $RP KiB, aggregation $RA KiB: $(head -c 300 $T/idle.err)"
fi

# ---- a copy that outgrows its first mapping: 30000 keys of 32-byte
# entries (960 KiB) on CPU 0, counted twice each; every key kept, exact
# counts, no drop
N=30000
ktrace -q -x aggsize=4m -x aggrate=600s -n 'syscall::read:entry /pid == $target && arg0 == 42/ { @[arg2] = count(); } END { printa("%d %@d\n", @); }' \
	-c "env BUFLOAD_CPU=0 $B reads $N 2" >$T/grow.out 2>$T/grow.err
rc=$?
k=$(grep -c '^[0-9][0-9]* [0-9][0-9]*$' $T/grow.out)
bad=$(awk 'NF == 2 && ($2 != 2 || $1 < 1 || $1 > '$N') { b++ } END { print b + 0 }' $T/grow.out)
keys=$(awk 'NF == 2 { print $1 }' $T/grow.out | sort -un | wc -l)
ktap_diag "grown copy: $k entries ($keys distinct keys of $N), $bad with a count other than 2"
if [ $rc = 0 ] && [ "$k" = $N ] && [ "$keys" = $N ] && [ "$bad" = 0 ] && ! grep -q 'aggregation drop' $T/grow.err; then
	ktap_ok aggregation_outgrowing_its_mapping_keeps_every_key
else
	ktap_fail aggregation_outgrowing_its_mapping_keeps_every_key "rc=$rc entries=$k keys=$keys bad=$bad: $(head -c 300 $T/grow.err)"
fi

# ---- the pool's limit within one firing: P pages hold P x 128 records of
# 32 bytes; BEGIN's clauses all run in one firing, which nothing refills
P=2
echo $P >$PAR/buf_pool_pages
# begin_prog K: K BEGIN clauses printing 1..K, then exit from a tick
begin_prog() {
	i=1
	while [ $i -le "$1" ]; do
		echo "BEGIN { printf(\"%d\\n\", $i); }"
		i=$((i + 1))
	done
	echo 'tick-200ms { exit(0); }'
}
FIT=$((P * 128))
begin_prog $FIT >$T/fit.d
ktrace -q -s $T/fit.d >$T/fit.out 2>$T/fit.err
rc=$? n=$(grep -c '^[0-9][0-9]*$' $T/fit.out) d=$(drops $T/fit.err)
inorder=$(inorder $T/fit.out)
if [ $rc = 0 ] && [ "$n" = $FIT ] && [ "$d" = 0 ] && [ "$inorder" = 0 ]; then
	ktap_ok pool_of_n_pages_holds_n_pages_of_records
else
	ktap_fail pool_of_n_pages_holds_n_pages_of_records "rc=$rc records=$n drops=$d inorder=$inorder: $(head -c 300 $T/fit.err)"
fi
begin_prog $((FIT + 1)) >$T/over.d
ktrace -q -s $T/over.d >$T/over.out 2>$T/over.err
rc=$? n=$(grep -c '^[0-9][0-9]*$' $T/over.out) d=$(drops $T/over.err)
inorder=$(inorder $T/over.out)
if [ $rc = 0 ] && [ "$n" = $FIT ] && [ "$d" = 1 ] && [ "$inorder" = 0 ]; then
	ktap_ok one_record_more_is_one_reported_drop
else
	ktap_fail one_record_more_is_one_reported_drop "rc=$rc records=$n drops=$d inorder=$inorder: $(head -c 300 $T/over.err)"
fi
echo "$POOL0" >$PAR/buf_pool_pages

# ---- the parameter's bounds: 1 and 4096 taken, 0 and 4097 refused
ok=1
for v in 0 4097 x; do
	echo $v >$PAR/buf_pool_pages 2>/dev/null && ok=0
done
for v in 1 4096; do
	{ echo $v >$PAR/buf_pool_pages && [ "$(cat $PAR/buf_pool_pages)" = $v ]; } 2>/dev/null || ok=0
done
echo "$POOL0" >$PAR/buf_pool_pages
[ $ok = 1 ] && [ "$(cat $PAR/buf_pool_pages)" = "$POOL0" ] && ktap_ok pool_parameter_takes_1_to_4096 ||
	ktap_fail pool_parameter_takes_1_to_4096 "bounds not enforced"
ktap_finished
