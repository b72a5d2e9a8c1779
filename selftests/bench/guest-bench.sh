#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest-bench.sh - the guest half of `make bench` (busybox sh).  Run by
# selftests/bench/run through vm/run in the directory it stages: the static
# workloads (rdloop, spin, pace, tstart) and progs/*.d (ktrace) / *.bt
# (bpftrace).
#
# Every measurement is one line on stdout, parsed by the host:
#   @@BENCH env  kernel=K cpus=C ktrace=0|1 bpftrace=0|1 n_rd=N n_spin=N ...
#   @@BENCH run  case=C tool=none|ktrace|bpftrace rep=R ns_per_op=X ops=N
#                total_ns=T rc=R maxnum=M lastmax=L
#                                          (B1 B2 B3 B6 B7tp B7fbt B8 B9)
#                (B13, B13M: ins_ns=A upd_ns=B keys=N csum=S cmin=A cmax=B
#                aggdrops=D want=K: keyloop's phases and the table at exit)
#   @@BENCH b4   tool=T rep=R phase=P target=E sent=N ns=T eps=E recv=N
#   @@BENCH b5   kind=first|whole tool=T rep=R ms=X rc=R
#   @@BENCH b11  tool=T cpus=C rep=R kib=K rss_kib=K [maps_kib=K perf_kib=K progs_kib=K]
#   @@BENCH b10  tool=T rep=R probes=P ms=X count=N sum=S rc=R
#   @@BENCH b12  tool=T set=cap|all rep=R probes=P hooked=H enable_ms=E
#                stop_ms=S clear_ms=C n1=N n2=N ns1=X ns2=Y c1=A c2=B rc=R
#                tcpu1=U tcpu2=U
#                (tool=none: n2=N ns2=Y; see B12 below)
#   @@BENCH fail case=C tool=T rep=R why=...
# Lines starting with "#" are notes for humans.
#
# Method: a tracer is started, and only once it has printed READY from its
# BEGIN clause (every probe is enabled by then, in both tools) does the
# workload run; the workload times itself with clock_gettime, so neither
# the tracer's start nor its SIGINT teardown is in any figure.  Untraced,
# ktrace and bpftrace runs are interleaved, and the order rotates per
# repetition.
#
# Environment: BENCH_REPS (5), BENCH_TARGET_MS (1000: untraced length of
# one workload run), BENCH_CASES ("rd b6 sw io b4 b5 kl b11 up"), BENCH_B4_MS (1000),
# BENCH_B4_RATES, BENCH_B4_REPS (3), BENCH_RD (the read-loop cases to run,
# e.g. "B1 B7tp"; default all), BENCH_B13_KEYS ("B13:100000 B13M:1000000"),
# BENCH_B13_REPS (1), BENCH_B10_REPS (1), BENCH_B12_MAX (2000, or "all"),
# BENCH_B12_N1 (N2 / 4), BENCH_B12_N2 (TARGET_MS untraced), BENCH_B12_REPS (1),
# BENCH_B12_TLIMIT (1800 s; 12000 with BENCH_B12_MAX=all).

cd "$(dirname "$0")" || exit 1
export PATH="$PWD:$PATH"
REPS=${BENCH_REPS:-5}
TARGET_MS=${BENCH_TARGET_MS:-1000}
CASES=${BENCH_CASES:-"rd b6 sw io b4 b5 kl b11 up"}
B4_MS=${BENCH_B4_MS:-1000}
B4_RATES=${BENCH_B4_RATES:-"1000 2000 5000 10000 20000 50000 100000 200000 max"}
B4_REPS=${BENCH_B4_REPS:-3}
B10_REPS=${BENCH_B10_REPS:-1}
T=/tmp/bench
mkdir -p "$T"

emit() { echo "@@BENCH $*"; }
note() { echo "# $*"; }

# alive PID: PID exists and is not a zombie (busybox sh reaps late)
alive() {
	[ -r "/proc/$1/stat" ] || return 1
	! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat" 2>/dev/null
}

# ------------------------------------------------------------ tools ---
KT=0 BT=0
if command -v ktrace >/dev/null 2>&1; then
	if ktrace -q -n 'BEGIN { printf("x\n"); exit(0); }' >"$T/kt.out" 2>"$T/kt.err" &&
	   grep -qx x "$T/kt.out"; then
		KT=1
	else
		note "ktrace does not work in the guest: $(head -c 300 "$T/kt.err" | tr '\n' ' ')"
	fi
else
	note "no ktrace CLI in the guest"
fi
[ -e /dev/ktrace ] || { [ $KT = 1 ] && note "no /dev/ktrace"; KT=0; }
if command -v bpftrace >/dev/null 2>&1 &&
   bpftrace -e 'BEGIN { printf("x\n"); exit(); }' 2>"$T/bt.err" | grep -qx x; then
	BT=1
else
	note "bpftrace does not work in the guest: $(head -c 300 "$T/bt.err" | tr '\n' ' ')"
fi

# ---------------------------------------------------------- tracers ---
TPID=
# tracer_start TOOL PROG OUT [ARG...]: start TOOL on PROG (with ARGs) with
# stdout in OUT and wait until it has printed READY (its BEGIN clause ran:
# probes enabled), at most TLIMIT tenths of a second (default 1200).
tracer_start() {
	tool=$1 prog=$2 tout=$3
	shift 3
	: >"$tout"
	case $tool in
	ktrace)   ktrace -q "$@" -s "$prog" >"$tout" 2>"$tout.err" & ;;
	bpftrace) bpftrace -B line "$@" "$prog" >"$tout" 2>"$tout.err" & ;;
	esac
	TPID=$!
	i=0
	while ! grep -q '^READY' "$tout"; do
		if ! alive $TPID; then
			wait $TPID
			TWHY="$tool exited before READY (rc=$?): $(head -c 200 "$tout.err" | tr '\n' ' ')"
			return 1
		fi
		i=$((i + 1))
		if [ $i -gt "${TLIMIT:-1200}" ]; then
			tracer_stop
			TWHY="$tool not READY after $((${TLIMIT:-1200} / 10)) s"
			return 1
		fi
		sleep 0.1
	done
	return 0
}

uptime_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# tracer_stop: SIGINT the tracer (SIGKILL after TSTOP s, default 300); sets
# TRC to its status.
tracer_stop() {
	kill -INT $TPID 2>/dev/null
	( sleep "${TSTOP:-300}"; kill -9 $TPID 2>/dev/null ) &
	dog=$!
	wait $TPID
	TRC=$?
	kill $dog 2>/dev/null
	wait $dog 2>/dev/null
}

# ------------------------------------------------------- calibration ---
# calib PROG: N such that PROG N runs about TARGET_MS untraced
calib() {
	"$@" | sed -n 's/^ns_per_op=\([0-9.]*\) .*/\1/p' |
		awk -v t="$TARGET_MS" '{ n = t * 1e6 / $1; if (n < 1000) n = 1000; printf "%d\n", n }'
}
N_RD=0 N_SPIN=0
case " $CASES " in *" rd "*|*" b6 "*)
	./rdloop 20000 >/dev/null
	N_RD=$(calib ./rdloop 50000)
	N_SPIN=$(calib ./spin 200)
esac
N_SW=0
case " $CASES " in *" sw "*) N_SW=$(calib ./swloop 20000) ;; esac
# B9 reads null_blk's disk (vm/run VM_EXTRA_MODULES=null_blk); none: no B9
IODEV=/dev/nullb0
N_IO=0
case " $CASES " in *" io "*)
	if [ -b $IODEV ]; then
		N_IO=$(calib ./ioloop $IODEV 5000)
	else
		note "no $IODEV (null_blk not loaded): no B9"
	fi
esac
emit env kernel="$(uname -r)" cpus="$(nproc)" ktrace=$KT bpftrace=$BT \
	n_rd=$N_RD n_spin=$N_SPIN n_sw=$N_SW n_io=$N_IO reps=$REPS target_ms=$TARGET_MS \
	cases="$(echo $CASES | tr ' ' ,)" \
	bpftrace_version="$(bpftrace --version 2>/dev/null | awk '{print $2}')"

# what an indirect branch or a return costs here (the interpreter's dispatch,
# every call): the kernel's Spectre v2 / return-thunk mode on this CPU model
for v in spectre_v2 retbleed spec_rstack_overflow; do
	[ -r /sys/devices/system/cpu/vulnerabilities/$v ] &&
		note "cpu vulnerability $v: $(cat /sys/devices/system/cpu/vulnerabilities/$v)"
done

# warm both tools up (first exec of a 100+ MB binary, BTF parsing...)
[ $BT = 1 ] && bpftrace -e 'BEGIN { exit(); }' >/dev/null 2>&1
[ $KT = 1 ] && ktrace -q -n 'BEGIN { exit(0); }' >/dev/null 2>&1

# run_wl CASE TOOL PROG REP WORKLOAD...: one timed workload run
run_wl() {
	c=$1 tool=$2 prog=$3 rep=$4
	shift 4
	if [ "$tool" = none ]; then
		r=$("$@")
		emit run case=$c tool=none rep=$rep $r rc=0 maxnum=0
		return
	fi
	if [ "$tool" = ktrace ] && [ $KT = 0 ]; then return 1; fi
	if [ "$tool" = bpftrace ] && [ $BT = 0 ]; then return 1; fi
	out=$T/$c.$tool.$rep.out
	if ! tracer_start "$tool" "progs/$prog" "$out"; then
		emit fail case=$c tool=$tool rep=$rep why="$TWHY"
		return 1
	fi
	r=$("$@")
	s0=$(uptime_ms)
	tracer_stop
	s1=$(uptime_ms)
	# largest number in the tracer's output: B1/B2's count must reach N;
	# total of the histogram rows (ktrace "value |@@ count", bpftrace
	# "[lo, hi) count |@@|"): B3's must reach N
	m=$(grep -o '[0-9][0-9]*' "$out" | sort -n | tail -n 1)
	h=$(awk '/\|/ { if ($0 ~ /^ *[[(]/) { x = $0; sub(/ *\|.*/, "", x); n = split(x, f, " "); s += f[n] }
		else s += $NF } END { printf "%d", s }' "$out")
	# largest count of a keyed aggregation (the number ending a line:
	# ktrace "  KEY  N", bpftrace "@[KEY]: N"): B8/B9 keys may be numbers
	l=$(awk '$NF ~ /^[0-9]+$/ && NF > 1 && $NF + 0 > m { m = $NF + 0 } END { printf "%d", m }' "$out")
	emit run case=$c tool=$tool rep=$rep $r rc=$TRC maxnum=${m:-0} hsum=$h lastmax=$l stop_ms=$((s1 - s0))
	if [ $TRC != 0 ] || [ -s "$out.err" ]; then
		note "$tool $prog rc=$TRC stderr: $(head -c 300 "$out.err" | tr '\n' ' ')"
	fi
	[ "$rep" = 1 ] && { note "--- $tool $prog output (head):"; head -n 12 "$out" | sed 's/^/#   /'; }
	rm -f "$out"
	return 0
}

# rotate K WORDS...: print WORDS rotated left by K
rotate() {
	k=$1
	shift
	k=$((k % $#))
	while [ $k -gt 0 ]; do
		w=$1
		shift
		set -- "$@" "$w"
		k=$((k - 1))
	done
	echo "$@"
}

# ----------------------------------------- B1 B2 B3 B7 (read loop) ---
# Every traced run sits between two untraced runs of the same workload: the
# host derives each traced run's overhead from its own neighbours, which
# cancels slow drift of the (shared, emulated) machine's speed.
RD_CFG="B1:ktrace:b1.d B1:bpftrace:b1.bt B2:ktrace:b2.d B2:bpftrace:b2.bt
	B7tp:ktrace:b7tp.d B7tp:bpftrace:b7tp.bt B7fbt:ktrace:b7fbt.d
	B7fbt:bpftrace:b7fbt.bt B3:ktrace:b3.d B3:bpftrace:b3.bt"
case " $CASES " in *" rd "*)
	note "read loop: N=$N_RD, $REPS repetitions"
	rep=1
	while [ $rep -le "$REPS" ]; do
		run_wl RD none - $rep ./rdloop "$N_RD"
		for cfg in $(rotate $(((rep - 1) * 3)) $RD_CFG); do
			c=${cfg%%:*} prog=${cfg##*:}
			# BENCH_RD: only the cases it names
			case " ${BENCH_RD:-$c} " in *" $c "*) ;; *) continue ;; esac
			tool=${cfg#*:}
			tool=${tool%:*}
			run_wl "$c" "$tool" "$prog" $rep ./rdloop "$N_RD" &&
				run_wl RD none - $rep ./rdloop "$N_RD"
		done
		rep=$((rep + 1))
	done
esac

# --------------------------------------------------------- B6 profile ---
case " $CASES " in *" b6 "*)
	note "profile: spin N=$N_SPIN, $REPS repetitions"
	rep=1
	while [ $rep -le "$REPS" ]; do
		run_wl B6 none - $rep ./spin "$N_SPIN"
		for cfg in $(rotate $((rep - 1)) ktrace:b6.d bpftrace:b6.bt); do
			run_wl B6 "${cfg%%:*}" "${cfg#*:}" $rep ./spin "$N_SPIN" &&
				run_wl B6 none - $rep ./spin "$N_SPIN"
		done
		rep=$((rep + 1))
	done
esac

# ------------------------------------------- B8 switches, B9 block I/O ---
# pair_case CASE PROG WORKLOAD...: per repetition an untraced run, then each
# tool's run followed by an untraced one, the tools' order rotating
pair_case() {
	c=$1 p=$2
	shift 2
	note "$c: $*, $REPS repetitions"
	rep=1
	while [ $rep -le "$REPS" ]; do
		run_wl "$c" none - $rep "$@"
		for tool in $(rotate $((rep - 1)) ktrace bpftrace); do
			ext=d
			[ "$tool" = bpftrace ] && ext=bt
			run_wl "$c" "$tool" "$p.$ext" $rep "$@" &&
				run_wl "$c" none - $rep "$@"
		done
		rep=$((rep + 1))
	done
}
case " $CASES " in *" sw "*) pair_case B8 b8 ./swloop "$N_SW" ;; esac
case " $CASES " in *" io "*)
	[ "$N_IO" -gt 0 ] && pair_case B9 b9 ./ioloop $IODEV "$N_IO" ;;
esac

# ------------------------------------------------------- B4 streaming ---
# b4_run TOOL REP: one paced run, one b4 line per phase
b4_run() {
	tool=$1 rep=$2
	if [ "$tool" = none ]; then
		./pace "$B4_MS" 200 $B4_RATES | while read -r line; do
			emit b4 tool=none rep=$rep $line recv=0
		done
		return
	fi
	if [ "$tool" = ktrace ] && [ $KT = 0 ]; then return; fi
	if [ "$tool" = bpftrace ] && [ $BT = 0 ]; then return; fi
	ext=d
	[ "$tool" = bpftrace ] && ext=bt
	out=$T/b4.$tool.$rep.out
	if ! tracer_start "$tool" "progs/b4.$ext" "$out"; then
		emit fail case=B4 tool=$tool rep=$rep why="$TWHY"
		return
	fi
	./pace "$B4_MS" 1000 $B4_RATES >"$T/pace.out"
	sleep 2
	tracer_stop
	awk '/^[0-9]+$/ { c[$1]++ } END { for (k in c) print k, c[k] }' "$out" >"$T/b4.counts"
	while read -r line; do
		fd=$(echo "$line" | sed -n 's/.* fd=\([0-9]*\) .*/\1/p')
		recv=$(awk -v fd="$fd" '$1 == fd { print $2 }' "$T/b4.counts")
		emit b4 tool=$tool rep=$rep $line recv=${recv:-0}
	done <"$T/pace.out"
	if [ $TRC != 0 ] || [ -s "$out.err" ]; then
		note "$tool b4 rc=$TRC stderr: $(head -c 300 "$out.err" | tr '\n' ' ')"
	fi
	rm -f "$out"
}
case " $CASES " in *" b4 "*)
	note "streaming: rates $B4_RATES, ${B4_MS} ms each, $B4_REPS repetitions"
	rep=1
	while [ $rep -le "$B4_REPS" ]; do
		for tool in $(rotate $((rep - 1)) none ktrace bpftrace); do
			b4_run $tool $rep
		done
		rep=$((rep + 1))
	done
esac

# --------------------------------------------------------- B5 startup ---
KT_FIRST='syscall::close:entry /arg0 == 2000000/ { printf("hit\n"); exit(0); }'
BT_FIRST='tracepoint:syscalls:sys_enter_close /args->fd == 2000000/ { printf("hit\n"); exit(); }'
b5_run() {
	kind=$1 tool=$2 rep=$3
	if [ "$tool" = ktrace ] && [ $KT = 0 ]; then return; fi
	if [ "$tool" = bpftrace ] && [ $BT = 0 ]; then return; fi
	case $kind.$tool in
	first.ktrace)   r=$(./tstart first ktrace -q -n "$KT_FIRST") ;;
	first.bpftrace) r=$(./tstart first bpftrace -e "$BT_FIRST") ;;
	whole.ktrace)   r=$(./tstart whole ktrace -q -n 'BEGIN { exit(0); }') ;;
	whole.bpftrace) r=$(./tstart whole bpftrace -e 'BEGIN { exit(); }') ;;
	esac
	emit b5 kind=$kind tool=$tool rep=$rep $r
}
case " $CASES " in *" b5 "*)
	note "startup: $REPS repetitions"
	rep=1
	while [ $rep -le "$REPS" ]; do
		for cfg in $(rotate $((rep - 1)) first:ktrace first:bpftrace whole:ktrace whole:bpftrace); do
			b5_run "${cfg%%:*}" "${cfg#*:}" $rep
		done
		rep=$((rep + 1))
	done
esac
# ------------------------------------------ B13 aggregation table growth ---
# keyloop K 2: close(2) of K distinct descriptors twice over; the programs
# key a count() on the descriptor, so the table grows to K keys in the first
# pass and is updated in place in the second.  b13_run CASE TOOL REP K: one
# run (untraced with TOOL none); a traced run checks what the tracer printed
# at exit: K keys, each counted twice (ktrace "  4000012  2", bpftrace
# "@[4000012]: 2"), and reports aggregation drops from its stderr.
B13_KEYS=${BENCH_B13_KEYS:-"B13:100000 B13M:1000000"}
B13_REPS=${BENCH_B13_REPS:-1}
b13_run() {
	c=$1 tool=$2 rep=$3 k=$4
	if [ "$tool" = none ]; then
		emit run case=$c tool=none rep=$rep $(./keyloop "$k" 2) rc=0 maxnum=0
		return 0
	fi
	if [ "$tool" = ktrace ] && [ $KT = 0 ]; then return 1; fi
	if [ "$tool" = bpftrace ] && [ $BT = 0 ]; then return 1; fi
	ext=d
	[ "$tool" = bpftrace ] && ext=bt
	out=$T/$c.$tool.$rep.out
	if ! tracer_start "$tool" "progs/b13.$ext" "$out"; then
		emit fail case=$c tool=$tool rep=$rep why="$TWHY"
		return 1
	fi
	r=$(./keyloop "$k" 2)
	s0=$(uptime_ms)
	tracer_stop
	s1=$(uptime_ms)
	kc=$(awk '{ k = $1; gsub(/[^0-9]/, "", k) }
		k + 0 >= 4000000 && $NF ~ /^[0-9]+$/ {
			n++; s += $NF
			if (n == 1 || $NF + 0 < lo) lo = $NF + 0
			if ($NF + 0 > hi) hi = $NF + 0
		}
		END { printf "keys=%d csum=%d cmin=%d cmax=%d", n, s, lo, hi }' "$out")
	d=$(sed -n 's/^ktrace: \([0-9]*\) aggregation drops\{0,1\}.*/\1/p' "$out.err" |
		awk '{ s += $1 } END { print s + 0 }')
	emit run case=$c tool=$tool rep=$rep $r rc=$TRC $kc aggdrops=$d want=$k stop_ms=$((s1 - s0))
	if [ $TRC != 0 ] || [ -s "$out.err" ]; then
		note "$tool b13 rc=$TRC stderr: $(head -c 300 "$out.err" | tr '\n' ' ')"
	fi
	rm -f "$out" "$out.err"
	return 0
}
case " $CASES " in *" kl "*)
	note "aggregation growth: $B13_KEYS, $B13_REPS repetitions"
	# bpftrace's maps hold 4096 keys unless told otherwise
	export BPFTRACE_MAP_KEYS_MAX=1100000
	for ck in $B13_KEYS; do
		c=${ck%%:*} k=${ck#*:}
		rep=1
		while [ $rep -le "$B13_REPS" ]; do
			b13_run "$c" none $rep "$k"
			for tool in $(rotate $((rep - 1)) ktrace bpftrace); do
				b13_run "$c" "$tool" $rep "$k" && b13_run "$c" none $rep "$k"
			done
			rep=$((rep + 1))
		done
	done
	unset BPFTRACE_MAP_KEYS_MAX
esac

# --------------------------------------------------------- B11 memory ---
# Kernel memory an idle one-liner's session holds (B5's one-liner without
# its exit: the probe is enabled, nothing fires).  ktrace: the module's own
# count of what the session has allocated (ktrace --sessions RES, netlink
# MEM_RESIDENT).  bpftrace: what its maps and programs hold (memlock in
# /proc/PID/fdinfo of each BPF map and program fd) plus its perf ring
# buffers (the [perf_event] mappings in /proc/PID/maps, allocated whole
# by the kernel at mmap).  rss_kib: the tracer process's own VmRSS.
KT_IDLE='syscall::close:entry /arg0 == 2000000/ { printf("hit\n"); }'
BT_IDLE='tracepoint:syscalls:sys_enter_close /args->fd == 2000000/ { printf("hit\n"); }'
# b11_wait COND: poll COND every 0.1 s for up to 60 s
b11_wait() {
	i=0
	while ! eval "$1"; do
		alive $TPID || return 1
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.1
	done
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' /proc/$1/status; }
# kt_mem PID: the RES column (KiB) of PID's active ktrace session, if any
kt_mem() { ktrace --sessions 2>/dev/null | awk -v p="$1" '$2 == p && $5 == "active" { print $10 }'; }
# perf_bytes PID: bytes of PID's [perf_event] mappings
perf_bytes() {
	n=0
	while read -r range rest; do
		case $rest in *perf_event*) n=$((n + 0x${range#*-} - 0x${range%-*})) ;; esac
	done </proc/$1/maps
	echo $n
}
b11_run() {
	tool=$1 rep=$2 ncpu=$(nproc)
	out=$T/b11.$tool.out
	case $tool in
	ktrace)
		[ $KT = 1 ] || return
		ktrace -q -n "$KT_IDLE" >"$out" 2>"$out.err" &
		TPID=$!
		if b11_wait '[ -n "$(kt_mem $TPID)" ]'; then
			sleep 1
			kib=$(kt_mem $TPID)
			emit b11 tool=ktrace cpus=$ncpu rep=$rep kib=${kib:-nan} rss_kib=$(rss_kib $TPID)
		else
			emit fail case=B11 tool=ktrace rep=$rep why="no active session: $(head -c 200 "$out.err" | tr '\n' ' ')"
		fi
		;;
	bpftrace)
		[ $BT = 1 ] || return
		bpftrace -e "$BT_IDLE" >"$out" 2>"$out.err" &
		TPID=$!
		if b11_wait 'grep -qs "^Attaching" "$out" "$out.err"'; then
			sleep 1
			m=0 p=0
			for f in /proc/$TPID/fdinfo/*; do
				k=$(awk '/^map_type:/ { t = "m" } /^prog_type:/ { t = "p" } /^memlock:/ { v = $2 } END { if (t != "") print t, v + 0 }' "$f" 2>/dev/null)
				case $k in m\ *) m=$((m + ${k#m })) ;; p\ *) p=$((p + ${k#p })) ;; esac
			done
			perf=$(perf_bytes $TPID)
			emit b11 tool=bpftrace cpus=$ncpu rep=$rep kib=$(((m + p + perf + 1023) / 1024)) \
				rss_kib=$(rss_kib $TPID) maps_kib=$(((m + 1023) / 1024)) \
				perf_kib=$(((perf + 1023) / 1024)) progs_kib=$(((p + 1023) / 1024))
		else
			emit fail case=B11 tool=bpftrace rep=$rep why="not attached: $(head -c 200 "$out.err" | tr '\n' ' ')"
		fi
		;;
	esac
	tracer_stop
	rm -f "$out" "$out.err"
}
case " $CASES " in *" b11 "*)
	note "memory of an idle one-liner: $(nproc) CPUs, 3 repetitions"
	for rep in 1 2 3; do
		for tool in $(rotate $((rep - 1)) ktrace bpftrace); do
			b11_run $tool $rep
		done
	done
esac

# ------------------------------------------- B10 uprobes at scale ---
# A probe on each of manyfuncs' 4096 functions (pid$target:manyfuncs:fn_*:
# entry vs uprobe:PATH:fn_* -p PID, bpftrace's probe limit raised): the
# time from the tracer's start to its READY, with manyfuncs already
# running (blocked reading a fifo); then manyfuncs calls each function
# once and exits, and the tracer must print 4096 lines "F", one a firing
# (printed as they come: bpftrace takes minutes to detach 4096 uprobes
# after SIGINT, and an aggregation would be printed only after that).
MF=$PWD/manyfuncs
B10_BT=$T/b10.bt
printf 'BEGIN { printf("READY\\n"); }\nuprobe:%s:fn_* { printf("F\\n"); }\n' "$MF" >"$B10_BT"
b10_run() {
	tool=$1 rep=$2
	if [ "$tool" = ktrace ] && [ $KT = 0 ]; then return; fi
	if [ "$tool" = bpftrace ] && [ $BT = 0 ]; then return; fi
	fifo=$T/mf.in
	rm -f "$fifo" && mkfifo "$fifo" || { note "mkfifo failed"; return; }
	"$MF" run <"$fifo" >"$T/mf.out" &
	mpid=$!
	exec 7>"$fifo"
	out=$T/b10.$tool.$rep.out
	t0=$(uptime_ms)
	TLIMIT=6000
	case $tool in
	ktrace)   tracer_start ktrace progs/b10.d "$out" -p $mpid ;;
	bpftrace) tracer_start bpftrace "$B10_BT" "$out" -p $mpid ;;
	esac
	ok=$?
	TLIMIT=
	t1=$(uptime_ms)
	echo go >&7
	exec 7>&-
	wait $mpid
	mrc=$?
	if [ $ok != 0 ]; then
		emit fail case=B10 tool=$tool rep=$rep why="$TWHY"
		return
	fi
	i=0
	while [ "$(grep -c '^F$' "$out")" -lt 4096 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if alive $TPID; then
		tracer_stop
	else
		wait $TPID
		TRC=$?
	fi
	n=$(grep -c '^F$' "$out")
	s=$(sed -n 's/^sum=//p' "$T/mf.out")
	emit b10 tool=$tool rep=$rep probes=4096 ms=$((t1 - t0)) count=$n sum=${s:-none} rc=$TRC mrc=$mrc
	[ -s "$out.err" ] && note "$tool b10 rc=$TRC stderr: $(head -c 300 "$out.err" | tr '\n' ' ')"
	rm -f "$out" "$fifo"
}
case " $CASES " in *" up "*)
	# bpftrace opens a perf event per probe: raise its limits
	export BPFTRACE_MAX_PROBES=10000
	ulimit -n 65536 || note "ulimit -n 65536 failed: $(ulimit -n)"
	note "uprobes at scale: 4096 functions, $B10_REPS repetitions"
	rep=1
	while [ $rep -le "$B10_REPS" ]; do
		for tool in $(rotate $((rep - 1)) ktrace bpftrace); do
			b10_run $tool $rep
		done
		rep=$((rep + 1))
	done
esac
# ------------------------------------ B12 every kernel function ---
# fbt entry probes on very many kernel functions against bpftrace's kprobes
# on the same functions: the time from the tracer's start to its READY (all
# probes live), then the cost per traced function call while they all are,
# and the teardown.  bpftrace 0.17 in the guest has no kprobe_multi: it
# registers one perf kprobe per function, each its own ftrace update (tens
# of ms under TCG), so the set is capped at BENCH_B12_MAX functions (2000;
# "all": fbt:::entry against kprobe:*, ~50 min each way, ~90 ms a kprobe): every k-th vmlinux
# function of `ktrace -l -n fbt:::entry` (kprobe: names no module), written
# out as one description per function for both tools.  ktrace also enables
# fbt:::entry, every function (set=all), alone.
#
# Per event: rdloop N1 then rdloop N2 run while the probes are live, and
# each tool counts events per process (@[pid] = count()); the difference
# of the two processes' counts over N2 - N1 is the traced calls per read
# (start-up and exit cancel), and (traced - untraced ns per read) divided
# by it the cost per traced call.  Everything is bounded: READY within
# BENCH_B12_TLIMIT s (1800; "all": 12000), each workload within 600 s, the
# tracer's exit within 600 s (then SIGKILL), and the kernel's hooked
# functions (tracefs enabled_functions) must be gone within 600 s of the
# SIGINT ("all": 4000 s each; BENCH_TIMEOUT must then be raised too);
# if they are not, the remaining B12 runs are skipped.
#   @@BENCH b12  tool=T set=S rep=R probes=P hooked=H enable_ms=E stop_ms=S
#                clear_ms=C n1=N1 n2=N2 ns1=X ns2=Y c1=A c2=B rc=R
#                tcpu1=U1 tcpu2=U2 (the tracer's CPU ms during each rdloop)
#                (tool=none: n2=N2 ns2=Y, untraced)
TR=/sys/kernel/tracing
B12_MAX=${BENCH_B12_MAX:-2000}
# N2: about TARGET_MS of reads untraced (tens of times that traced)
B12_N2=${BENCH_B12_N2:-0}
case " $CASES " in *" b12 "*)
	[ "$B12_N2" -gt 0 ] || { ./rdloop 20000 >/dev/null; B12_N2=$(calib ./rdloop 50000); } ;;
esac
B12_N1=${BENCH_B12_N1:-$((B12_N2 / 4))}
B12_REPS=${BENCH_B12_REPS:-1}
B12_DEAD=0
# bounds, s: to READY, and from SIGINT to no function hooked (bpftrace
# detaches its kprobes one at a time, as it attached them)
B12_WAIT=600
[ "$B12_MAX" = all ] && B12_WAIT=4000
B12_TLIMIT=${BENCH_B12_TLIMIT:-$((B12_WAIT * 3))}
# hooked: the functions ftrace has hooked now (fbt's ftrace_ops, kprobes)
hooked() { n=$(grep -c . $TR/enabled_functions 2>/dev/null); echo "${n:-0}"; }
# b12_wl N: rdloop N in the background, SIGKILLed after 600 s; its pid in
# WPID, its output line in WOUT
b12_wl() {
	./rdloop "$1" >"$T/b12.wl" 2>&1 &
	WPID=$!
	( sleep 600; kill -9 $WPID 2>/dev/null ) &
	wdog=$!
	wait $WPID
	kill $wdog 2>/dev/null
	wait $wdog 2>/dev/null
	WOUT=$(cat "$T/b12.wl")
}
# cpu_ms PID: the CPU time PID has used (user + system), ms
cpu_ms() { awk -v hz=100 '{ sub(/.*\) /, ""); printf "%d\n", ($12 + $13) * 1000 / hz }' /proc/$1/stat 2>/dev/null; }
# b12_count OUT PID: the count the tracer printed for PID
# (ktrace "  PID  N", bpftrace "@[PID]: N")
b12_count() {
	awk -v p="$2" '{ k = $1; gsub(/[^0-9]/, "", k) } NF == 2 && k == p && $2 ~ /^[0-9]+$/ { print $2 }' "$1"
}
# b12_run TOOL SET REP PROG PROBES: one run
b12_run() {
	tool=$1 set=$2 rep=$3 prog=$4 probes=$5
	if [ "$tool" = none ]; then
		b12_wl "$B12_N2"
		emit b12 tool=none set=$set rep=$rep n2=$B12_N2 ns2=$(echo "$WOUT" | sed -n 's/^ns_per_op=\([0-9.]*\) .*/\1/p')
		return
	fi
	[ $B12_DEAD = 0 ] || return
	if [ "$tool" = ktrace ] && [ $KT = 0 ]; then return; fi
	if [ "$tool" = bpftrace ] && [ $BT = 0 ]; then return; fi
	out=$T/b12.$tool.$set.$rep.out
	h0=$(hooked)
	t0=$(uptime_ms)
	TLIMIT=$((B12_TLIMIT * 10))
	# ktrace -Z: a listed function kallsyms has no address for (an alias)
	# matches nothing instead of failing the run
	if [ "$tool" = ktrace ]; then
		tracer_start ktrace "$prog" "$out" -Z
	else
		tracer_start bpftrace "$prog" "$out"
	fi
	ok=$?
	TLIMIT=
	t1=$(uptime_ms)
	if [ $ok = 0 ]; then
		h=$(hooked)
		u0=$(cpu_ms $TPID)
		b12_wl "$B12_N1"; p1=$WPID; o1=$WOUT
		u1=$(cpu_ms $TPID)
		b12_wl "$B12_N2"; p2=$WPID; o2=$WOUT
		u2=$(cpu_ms $TPID)
		s0=$(uptime_ms)
		TSTOP=$B12_WAIT
		tracer_stop
		TSTOP=
		s1=$(uptime_ms)
	else
		emit fail case=B12 tool=$tool rep=$rep why="$set: $TWHY"
		s0=$(uptime_ms) s1=$s0 TRC=1
	fi
	# the kernel must let go of every function it hooked for the tracer
	i=0
	while [ "$(hooked)" -gt "$h0" ] && [ $i -lt $((B12_WAIT * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	s2=$(uptime_ms)
	left=$(($(hooked) - h0))
	if [ $left -gt 0 ]; then
		emit fail case=B12 tool=$tool rep=$rep why="$set: $left functions still hooked $B12_WAIT s after SIGINT; the other B12 runs are skipped"
		B12_DEAD=1
	fi
	[ -s "$out.err" ] && note "$tool b12 $set rc=$TRC stderr: $(head -c 300 "$out.err" | tr '\n' ' ')"
	if [ $ok = 0 ]; then
		ns1=$(echo "$o1" | sed -n 's/^ns_per_op=\([0-9.]*\) .*/\1/p')
		ns2=$(echo "$o2" | sed -n 's/^ns_per_op=\([0-9.]*\) .*/\1/p')
		emit b12 tool=$tool set=$set rep=$rep probes=$probes hooked=$((h - h0)) \
			enable_ms=$((t1 - t0)) stop_ms=$((s1 - s0)) clear_ms=$((s2 - s0)) \
			n1=$B12_N1 n2=$B12_N2 ns1=${ns1:-none} ns2=${ns2:-none} \
			c1=$(b12_count "$out" $p1) c2=$(b12_count "$out" $p2) rc=$TRC \
			tcpu1=$((${u1:-0} - ${u0:-0})) tcpu2=$((${u2:-0} - ${u1:-0}))
	fi
	rm -f "$out" "$out.err"
}
case " $CASES " in *" b12 "*)
	# ktrace -l: "ID PROVIDER MODULE FUNCTION NAME"
	ktrace -l -n 'fbt:::entry' 2>/dev/null | awk '$2 == "fbt" && $5 == "entry"' >"$T/b12.list"
	nfbt=$(grep -c . "$T/b12.list")
	awk '$3 == "vmlinux" { print $4 }' "$T/b12.list" >"$T/b12.all"
	nall=$(grep -c . "$T/b12.all")
	if [ "$B12_MAX" = all ]; then
		set=all nset=$nfbt
		printf 'BEGIN { printf("READY\\n"); }\nfbt:::entry { @[pid] = count(); }\n' >"$T/b12.d"
		printf 'BEGIN { printf("READY\\n"); }\nkprobe:* { @[pid] = count(); }\n' >"$T/b12.bt"
	else
		# every k-th function, at most B12_MAX of them
		awk -v n="$nall" -v m="$B12_MAX" 'BEGIN { k = int((n + m - 1) / m); if (k < 1) k = 1 }
			(NR - 1) % k == 0 && c < m { print; c++ }' "$T/b12.all" >"$T/b12.set"
		set=cap nset=$(grep -c . "$T/b12.set")
		{ echo 'BEGIN { printf("READY\n"); }'
		  sed 's/.*/fbt:vmlinux:&:entry,/; $s/,$//' "$T/b12.set"
		  echo '{ @[pid] = count(); }'; } >"$T/b12.d"
		{ echo 'BEGIN { printf("READY\n"); }'
		  sed 's/.*/kprobe:&,/; $s/,$//' "$T/b12.set"
		  echo '{ @[pid] = count(); }'; } >"$T/b12.bt"
	fi
	printf 'BEGIN { printf("READY\\n"); }\nfbt:::entry { @[pid] = count(); }\n' >"$T/b12all.d"
	note "every kernel function: $nfbt fbt functions ($nall in vmlinux), set $set ($nset), reads $B12_N1 and $B12_N2, $B12_REPS repetitions"
	# bpftrace opens a perf event per kprobe: raise its limits
	export BPFTRACE_MAX_PROBES=$((nall + 100000))
	ulimit -n $((nall + 100000)) || note "ulimit -n failed: $(ulimit -n)"
	rep=1
	while [ $rep -le "$B12_REPS" ]; do
		b12_run none "$set" $rep
		for tool in $(rotate $((rep - 1)) ktrace bpftrace); do
			ext=d
			[ "$tool" = bpftrace ] && ext=bt
			b12_run $tool "$set" $rep "$T/b12.$ext" "$nset"
			b12_run none "$set" $rep
		done
		[ "$set" = all ] || b12_run ktrace all $rep "$T/b12all.d" "$nfbt"
		rep=$((rep + 1))
	done
	unset BPFTRACE_MAX_PROBES
esac
emit done
