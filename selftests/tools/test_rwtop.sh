#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rwtop -C 1 on toolwork read 200 (200 reads of 64 bytes: 12800 bytes) and
# toolwork pipe 6 1 (6 one-byte writes and 6 one-byte reads of a pipe): the
# per-interval lines of each process add up to exactly those calls and bytes.
. "$(dirname "$0")/lib.sh"
ktap_plan 8
usage_checks rwtop
rwtop 0 >$OUT 2>&1; rc=$?
[ $rc -eq 2 ] && ktap_ok rwtop_refuses_interval_0 || ktap_fail rwtop_refuses_interval_0 "status $rc"
# sum PID D: "CALLS BYTES" of PID's D lines over all intervals
sum() { awk -v p="$1" -v d="$2" '$1 == p && $3 == d { c += $4; b += $5 } END { print c + 0, b + 0 }' $OUT; }
bg_until '^Tracing read' rwtop -C 1
"$W" read 200 & a=$!
wait $a
"$W" pipe 6 1 & b=$!
wait $b
sleep 2.2
bg_stop
[ "$(sum $a R)" = "200 12800" ] && [ "$(sum $a W)" = "0 0" ] && ktap_ok rwtop_read_bytes_and_calls ||
	ktap_fail rwtop_read_bytes_and_calls "pid $a R '$(sum $a R)' W '$(sum $a W)', wanted 200 12800 and none: $(tr '\n' '|' <$OUT | head -c 600)"
[ "$(sum $b R)" = "6 6" ] && [ "$(sum $b W)" = "6 6" ] && ktap_ok rwtop_pipe_both_directions ||
	ktap_fail rwtop_pipe_both_directions "pid $b R '$(sum $b R)' W '$(sum $b W)', wanted 6 6 each"
# each interval: a dated header with the totals, then the columns
h=$(grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2} \(UTC\)  reads: [0-9]+ KiB in [0-9]+ calls, writes: [0-9]+ KiB in [0-9]+ calls$' $OUT)
[ "$h" -ge 2 ] && [ "$h" = "$(grep -c '^ *PID COMM' $OUT)" ] && ktap_ok rwtop_interval_headers ||
	ktap_fail rwtop_interval_headers "$h headers: $(tr '\n' '|' <$OUT | head -c 400)"
! grep -q "$(printf '\033')" $OUT && ktap_ok rwtop_C_no_clear || ktap_fail rwtop_C_no_clear "escape sequence with -C"
# INTERVAL COUNT: two screens of 1 s, then it exits by itself (cleared: the escape)
rwtop -n toolwork 1 2 >$OUT 2>&1; rc=$?
n=$(grep -c '(UTC)  reads:' $OUT)
[ $rc = 0 ] && [ "$n" = 2 ] && grep -q "$(printf '\033')\[H" $OUT && ktap_ok rwtop_count_and_clear ||
	ktap_fail rwtop_count_and_clear "status $rc, $n screens: $(tr '\n\033' '|E' <$OUT | head -c 400)"
ktap_finished
