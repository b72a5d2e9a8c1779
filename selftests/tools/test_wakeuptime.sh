#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# wakeuptime -n toolwork: the helper blocks in 20 nanosleep()s of 10 ms, so
# the blocked time summed over its wakers is at least 200 ms (and, on an
# otherwise idle guest, well under 20 s).
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks wakeuptime
bg_until "^Tracing blocked" wakeuptime -n toolwork
"$W" sleep 20 10
bg_stop
has wakeuptime_names_target " -> toolwork$"
t=$(awk '/ -> toolwork$/ { getline; s += $1 } END { print s + 0 }' $OUT)
[ "$t" -ge 200000 ] && [ "$t" -lt 20000000 ] && ktap_ok wakeuptime_sums_blocked_time ||
	ktap_fail wakeuptime_sums_blocked_time "$t us, wanted 200000..20000000: $(head -c 800 $OUT | tr '\n' '|')"
ktap_finished
