#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host test (selftests/host-tests.list): every instrumentation of
# ktrace-analytics' template table, run for real.  The server runs in the
# cloud guest (guest_serve.sh) beside toolwork pipe (tw_reader blocked on a
# pipe, tw_writer computing) and direct reads of a null_blk disk; through
# vm/run --forward, instr_driver.js starts each metric once per key and
# once with no key but a predicate on every field, checks that its data
# comes with the key's shape and the workload's values (the reader's read
# latency, its off-CPU time, the disk's I/O latency, the writer's on-CPU
# stacks, the reader's context switches), and stops it.  Then the guest
# shows every session stopped and `ktrace --sessions` empty.  One KTAP
# result per metric.  Not executable: the guest runner skips it.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
. selftests/analytics/prereq.sh
ka_guest_prereqs node curl
T=$(mktemp -d "${TMPDIR:-/tmp}/ka-instr.XXXXXX") || exit 1
VM= SRV=
trap '[ -n "$VM" ] && kill $VM 2>/dev/null; [ -n "$SRV" ] && kill $SRV 2>/dev/null; rm -rf "$T"' EXIT

# the table, as this build serves it (the server runs on the host too)
PORT=$((20000 + $$ % 20000))
$KA --listen 127.0.0.1:$PORT >$T/host-srv.out 2>&1 &
SRV=$!
i=0
until curl -s -o $T/table.json http://127.0.0.1:$PORT/api/metrics || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
kill $SRV; wait $SRV 2>/dev/null; SRV=
metrics=$(node -e 'for (const m of JSON.parse(require("fs").readFileSync(process.argv[1])).metrics) console.log(m.name)' $T/table.json) ||
	ktap_skip_all "no instrumentation table from $KA"
# one session per key, and one with a predicate
n=$(node -e 'let n = 0; for (const m of JSON.parse(require("fs").readFileSync(process.argv[1])).metrics) n += 1 + m.keys.length; console.log(n)' $T/table.json)
ktap_plan $(($(echo "$metrics" | wc -l) + 2))

vm/analytics-demo --stage $T/add || ktap_skip_all "vm/analytics-demo --stage failed"
cp -p selftests/analytics/guest_serve.sh $T/add/
PORT=$((PORT + 1))
DPORT=$((PORT + 1))
VM_EXTRA_MODULES=null_blk vm/run --kernel cloud --add $T/add --forward $PORT:8377 --forward $DPORT:8378 --timeout 560 -- \
	sh guest_serve.sh $n 480 >$T/guest.out 2>$T/guest.err &
VM=$!
i=0
until curl -s -o /dev/null http://127.0.0.1:$PORT/api/metrics || [ $i -ge 300 ]; do
	kill -0 $VM 2>/dev/null || break
	sleep 1; i=$((i + 1))
done
node selftests/analytics/instr_driver.js http://127.0.0.1:$PORT $T/table.json >$T/drv.out 2>$T/drv.err
ka_guest_done $DPORT
# sessions that never started: the guest would wait for them until its bound
[ "$(grep -c '"id":' $T/drv.out)" = "$n" ] || { kill $VM 2>/dev/null; ktap_diag "not every session started: the guest is stopped"; }
if grep -q '"table":false' $T/drv.out || ! grep -q '"done":true' $T/drv.out; then
	ktap_diag "driver: $(head -c 600 $T/drv.out) $(head -c 600 $T/drv.err)"
fi
sed 's/^/# /' $T/drv.out
for m in $metrics; do
	all=$(grep -c "\"metric\":\"$m\"" $T/drv.out)
	good=$(grep "\"metric\":\"$m\"" $T/drv.out | grep -c '"ok":true')
	want=$(node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1])).metrics.find((x) => x.name === process.argv[2]); console.log(1 + m.keys.length)' $T/table.json "$m")
	if [ "$all" = "$want" ] && [ "$good" = "$want" ]; then
		ktap_ok "instr_${m}_every_key_runs"
	else
		ktap_fail "instr_${m}_every_key_runs" "$good of $want fit: $(grep "\"metric\":\"$m\"" $T/drv.out | grep -v '"ok":true' | head -c 600)"
	fi
done

# the guest: every session stopped, none left in ktrace --sessions
wait $VM; rc=$?; VM=
final=$(sed -n '/^@@@ final-sessions/,/^@@@ server-exit/p' $T/guest.out | grep -c '^ *[0-9]')
stopped=$(sed -n '/^@@@ server-sessions/,/^@@@ final-sessions/p' $T/guest.out | grep -o '"state":"stopped"' | wc -l)
failed=$(sed -n '/^@@@ server-sessions/,/^@@@ final-sessions/p' $T/guest.out | grep -c '"state":"failed"')
if [ "$final" = 0 ] && [ "$stopped" -ge 1 ] && [ "$failed" = 0 ] && grep -q '^@@@ final-sessions' $T/guest.out; then
	ktap_ok instr_sessions_all_stopped_no_leak
else
	ktap_fail instr_sessions_all_stopped_no_leak "$final sessions left, $stopped stopped, $failed failed: $(sed -n '/^@@@ server-sessions/,$p' $T/guest.out | head -c 600)"
fi
grep -q '^@@@ server-exit 0$' $T/guest.out && [ $rc = 0 ] && ktap_ok instr_server_exit_clean ||
	ktap_fail instr_server_exit_clean "vm/run status $rc, $(grep '@@@ server-exit' $T/guest.out) $(tail -c 300 $T/guest.err | tr '\n' '|')"
ktap_finished
