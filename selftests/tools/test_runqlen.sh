#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# runqlen: three CPU-bound helpers bound to CPU 1 keep two threads waiting
# there (one runs): CPU 1's histogram sits at 2; CPU 0's, without them, below
# (0 or 1: the rt kernel's irq and RCU threads keep it at 1 often).
. "$(dirname "$0")/lib.sh"
[ "$(nproc)" -ge 2 ] || ktap_skip_all "needs 2 CPUs"
ktap_plan 4
usage_checks runqlen
# hist CPU: "LENGTH COUNT" lines of CPU's histogram
hist() {
	awk -v c="$1" '$1 == "CPU" { on = ($2 == c); next }
		on && $2 ~ /^\|/ && $1 ~ /^[0-9]+$/ { print $1, $NF }' $OUT
}
"$W" spincpu 1 600000 & A=$!
"$W" spincpu 1 600000 & B=$!
"$W" spincpu 1 600000 & C=$!
sleep 0.3
runqlen -d 2 >$OUT 2>&1
kill $A $B $C 2>/dev/null; wait $A $B $C 2>/dev/null
# CPU 1: 20 samples or more, 80% of them at 2 or above (the consumer may
# add one), none above 5
if hist 1 | awk '{ n += $2 } $1 >= 2 { w += $2 } $1 > 5 { b += $2 }
	END { exit !(n >= 20 && w >= 0.8 * n && b == 0) }'; then ktap_ok runqlen_busy_cpu
else ktap_fail runqlen_busy_cpu "$(tr '\n' '|' <$OUT | head -c 900)"; fi
if hist 0 | awk '{ n += $2 } $1 >= 2 { w += $2 } END { exit !(n >= 20 && w <= 0.2 * n) }'; then
	ktap_ok runqlen_other_cpu_short
else ktap_fail runqlen_other_cpu_short "$(tr '\n' '|' <$OUT | head -c 900)"; fi
ktap_finished
