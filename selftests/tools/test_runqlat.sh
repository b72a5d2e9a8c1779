#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# runqlat -n toolwork: each of the helper's 20 nanosleep()s ends in a wakeup,
# and each wakeup is one run queue wait in the histogram (at least 20).
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks runqlat
bg_until '^Tracing run queue' runqlat -n toolwork
"$W" sleep 20 5
bg_stop
has runqlat_histogram "value +-+ Distribution -+ count"
n=$(awk '$2 ~ /^\|/ { s += $NF } END { print s + 0 }' $OUT)
# no wait of a second or more on an idle guest (a truncated start time would be)
big=$(awk '$2 ~ /^\|/ && $1 >= 1048576 { s += $NF } END { print s + 0 }' $OUT)
[ "$n" -ge 20 ] && [ "$big" -eq 0 ] && ktap_ok runqlat_counts_wakeups || ktap_fail runqlat_counts_wakeups "$n waits, wanted >= 20: $(tr '\n' '|' <$OUT)"
ktap_finished
