#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# memleak on toolwork leak 25 1000 7 MS: 25 malloc(1000) in leak_malloc, 7 of
# them freed, one calloc(3, 1000) in leak_calloc, one malloc(1000) in
# leak_realloc grown by realloc to 2000: outstanding are exactly 18 blocks
# (18000 bytes) from leak_malloc, 3000 bytes from leak_calloc and 2000 bytes
# from leak_realloc's realloc (its malloc'ed block was freed by realloc).
. "$(dirname "$0")/lib.sh"
ktap_plan 10
usage_checks memleak
memleak >$OUT 2>&1; rc=$?
[ $rc -eq 2 ] && ktap_ok memleak_needs_target || ktap_fail memleak_needs_target "status $rc"

# groups REPORT FUNC: "BYTES COUNT FRAME2" of each stack of the report whose
# header starts with REPORT that begins in toolwork`FUNC
groups() {
	awk -v r="$1" -v f="$2" '
	/^[^ ].*: [0-9]+ bytes in [0-9]+ allocations? outstanding/ { on = index($0, r) == 1 }
	on && /^[0-9]+ bytes in [0-9]+ allocations? from:$/ { h = $1 " " $4; getline
		if (index($1, "toolwork`" f "+0x") == 1) { getline; print h, $1 } }' $OUT
}
memleak -c "$W leak 25 1000 7 300" >$OUT 2>&1
g=$(groups "at the end:" leak_malloc)
[ "$g" = "18000 18 toolwork\`main+${g##*main+}" ] && [ -n "${g##*main+}" ] &&
	ktap_ok memleak_outstanding_malloc_by_stack ||
	ktap_fail memleak_outstanding_malloc_by_stack "leak_malloc: '$g', wanted 18000 bytes in 18 from main: $(tr '\n' '|' <$OUT | head -c 900)"
g=$(groups "at the end:" leak_calloc)
[ "${g% *}" = "3000 1" ] && ktap_ok memleak_outstanding_calloc ||
	ktap_fail memleak_outstanding_calloc "leak_calloc: '$g', wanted 3000 bytes in 1"
# one stack from leak_realloc: realloc's 2000 bytes; the malloc(1000) it grew is gone
g=$(groups "at the end:" leak_realloc)
[ "${g% *}" = "2000 1" ] && ktap_ok memleak_realloc_moves_the_block ||
	ktap_fail memleak_realloc_moves_the_block "leak_realloc: '$(echo $g)', wanted one stack, 2000 bytes in 1"
t=$(sed -n 's/^at the end: \([0-9]*\) bytes in \([0-9]*\) allocations outstanding$/\1 \2/p' $OUT)
[ "${t% *}" -ge 23000 ] 2>/dev/null && [ "${t#* }" -ge 20 ] && ktap_ok memleak_total_line ||
	ktap_fail memleak_total_line "'$t', wanted >= 23000 bytes in >= 20"

# -a 5000: blocks 0.3 s old at the end are not reported
memleak -a 5000 -c "$W leak 25 1000 7 300" >$OUT 2>&1
if grep -q '^at the end: .* outstanding (at least 5000 ms old)$' $OUT && [ -z "$(groups "at the end:" leak_malloc)" ]; then
	ktap_ok memleak_min_age_hides_young
else ktap_fail memleak_min_age_hides_young "$(tr '\n' '|' <$OUT | head -c 600)"; fi

# -i 1 -a 1000 on blocks that live 8 s: an interval report (headed by the
# date) has them once they are a second old; SIGTERM ends it with the last report
bg_until '^[0-9]{4} [A-Z][a-z]{2} .*: [0-9]+ bytes in .* outstanding \(at least 1000 ms old\)$' \
	memleak -i 1 -a 1000 -c "$W leak 25 1000 7 8000"
i=0
while [ -z "$(groups 2 leak_malloc)" ] && [ $i -lt 60 ]; do sleep 0.1; i=$((i + 1)); done
bg_stop
g=$(groups 2 leak_malloc)
[ "${g%% toolwork*}" = "18000 18" ] && ktap_ok memleak_interval_report ||
	ktap_fail memleak_interval_report "dated reports: '$(echo $g)': $(tr '\n' '|' <$OUT | head -c 600)"
g=$(groups "at the end:" leak_malloc)
[ "${g%% toolwork*}" = "18000 18" ] && ktap_ok memleak_sigterm_prints_summary ||
	ktap_fail memleak_sigterm_prints_summary "end: '$g': $(tail -c 600 $OUT | tr '\n' '|')"
ktap_finished
