#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host test (selftests/host-tests.list) of ktrace-timeline: the trace-event
# JSON it writes is checked against the format (trace_event_check.js, node)
# for a recording written here, whose every slice and arrow is known, and for
# a real recording in the cloud guest of `toolwork pipe 20 10` (threads
# tw_writer and tw_reader: 20 writes each followed by a 10 ms sleep, 20
# blocking 1-byte reads).  Not executable: the guest runner skips it.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
TL=build/user/ktrace-timeline
CHECK=selftests/tools/trace_event_check.js
[ -x $TL ] || ktap_skip_all "$TL not built (make -C user/tools)"
command -v node >/dev/null || ktap_skip_all "no node (Debian's nodejs)"
T=$(mktemp -d "${TMPDIR:-/tmp}/timeline.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
ktap_plan 9

# js NAME EXPR: ok if EXPR (over s, the checker's summary by thread name) holds
js() {
	if node -e '
		const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const s = {};
		for (const k in r) s[r[k].name] = Object.assign({ key: k }, r[k]);
		const ok = eval(process.argv[2]);
		if (!ok) { console.log(JSON.stringify(s).slice(0, 900)); process.exit(1); }' "$2" "$3" >$T/why 2>&1
	then ktap_ok "$1"; else ktap_fail "$1" "$(head -c 900 $T/why)"; fi
}
# valid NAME JSON: the checker accepts JSON; its summary goes to JSON.sum
valid() {
	if node $CHECK "$2" >$T/chk 2>&1 && [ "$(head -n 1 $T/chk)" = valid ]; then
		sed -n 2p $T/chk >"$2.sum"; ktap_ok "$1"
	else
		: >"$2.sum"; ktap_fail "$1" "$(head -c 600 $T/chk | tr '\n' '|')"
	fi
}

# 1. a recording written here: rd (pid 100) blocks in read at 2 us, woken by
# wr (tid 201 of process 200) inside its write at 5 us; CPU 1's events come
# after CPU 0's, as ktrace prints one CPU's buffer after the other
printf '%s\n' 'E 1000 0 100 100	read	rd' 'S 2000 0 100 100 1 0	rd	swapper/0' \
	'W 5000 1 200 201 100	rd' 'S 5500 0 0 0 0 100	swapper/0	rd' 'R 7000 0 100 100 1	read' \
	'S 9000 0 100 100 256 0	rd	swapper/0' \
	'E 1500 1 200 201	write	wr' 'R 5200 1 200 201 1	write' >$T/rec
$TL -i $T/rec >$T/known.json 2>$T/err; rc=$?
[ $rc = 0 ] || ktap_diag "ktrace-timeline -i: status $rc, $(head -c 300 $T/err)"
valid timeline_known_recording_is_valid_trace_event_json $T/known.json
js timeline_known_slices_and_arrow $T/known.json.sum '
	s.rd.key === "100/100" && s.wr.key === "200/201" && s.rd.process === "rd" && s.wr.process === "wr" &&
	s.rd.slices.read.count === 1 && s.rd.slices.read.min_us === 6 &&
	s.wr.slices.write.count === 1 && s.wr.slices.write.min_us === 3.7 &&
	s.rd.slices.running.count === 3 &&
	s.rd.flows_in.join() === "wr" && s.wr.flows_out.join() === "rd"'
if grep -q '"end_state":"S"' $T/known.json && grep -q '"end_state":"R"' $T/known.json &&
   grep -q '"ts":5.500,"dur":1.500' $T/known.json; then
	ktap_ok timeline_known_states_and_nested_running
else
	ktap_fail timeline_known_states_and_nested_running "$(grep running $T/known.json | tr '\n' '|')"
fi

# 2. bad input: refused with the line, nothing written; usage errors exit 2
printf '%s\n' 'E 1000 0 100 100	read	rd' 'E 12x 0 1 1	read	rd' >$T/bad
$TL -i $T/bad >$T/bad.out 2>$T/bad.err; rc=$?
if [ $rc = 1 ] && [ ! -s $T/bad.out ] && grep -q ':2: not a recorded event' $T/bad.err; then
	ktap_ok timeline_bad_recording_refused_with_line
else
	ktap_fail timeline_bad_recording_refused_with_line "status $rc, $(head -c 200 $T/bad.err)"
fi
$TL -d 0 >/dev/null 2>&1; r1=$?
$TL -i $T/rec -c true >/dev/null 2>&1; r2=$?
$TL -Q >/dev/null 2>&1; r3=$?
[ "$r1$r2$r3" = 222 ] && ktap_ok timeline_usage_errors_exit_2 || ktap_fail timeline_usage_errors_exit_2 "statuses $r1 $r2 $r3"

# 3. a real recording in the guest
STAGE=build/selftests/stage
if [ ! -f build/cloud/ktrace.ko ] || [ ! -x $STAGE/tools/toolwork ] || [ ! -x $STAGE/lib/tools/ktrace-timeline ]; then
	for n in valid threads_named reads_exact sleeps_at_least_10ms; do
		ktap_skip timeline_guest_$n "build/cloud/ktrace.ko or the guest stage missing (make module KERNEL=cloud; make -C selftests guest)"
	done
	ktap_finished
fi
vm/run --kernel cloud --add $STAGE --timeout 300 -- sh -c \
	'PATH=$PWD/lib/tools:$PATH ktrace-timeline -c "tools/toolwork pipe 20 10" -o /tmp/t.json && cat /tmp/t.json' \
	>$T/guest.json 2>$T/guest.err; rc=$?
[ $rc = 0 ] || ktap_diag "vm/run: status $rc, $(tail -c 400 $T/guest.err | tr '\n' '|')"
ktap_diag "guest: $(grep -o '"otherData".*' $T/guest.json)"
valid timeline_guest_valid_trace_event_json $T/guest.json
js timeline_guest_threads_named $T/guest.json.sum '
	s.tw_reader && s.tw_writer && s.tw_reader.process === "toolwork" &&
	s.tw_writer.key.split("/")[0] === s.tw_reader.key.split("/")[0]'
js timeline_guest_reads_exact $T/guest.json.sum '
	s.tw_reader.slices.read.count === 20 && s.tw_writer.slices.write.count === 20'
# a sleep lasts at least what was asked: every one of the 20 is >= 10 ms; the
# reader, woken by the writer, gets arrows from it (how many: timing)
js timeline_guest_sleeps_at_least_10ms $T/guest.json.sum '
	const z = s.tw_writer.slices.clock_nanosleep || s.tw_writer.slices.nanosleep;
	console.error(`# reader arrows from the writer: ${s.tw_reader.flows_in.filter((n) => n === "tw_writer").length}`);
	z.count === 20 && z.min_us >= 10000 && s.tw_reader.flows_in.includes("tw_writer")'
cat $T/why | grep '^#' || true
ktap_finished
