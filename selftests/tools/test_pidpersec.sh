#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# pidpersec -n toolwork 1 4: four rows whose FORKS add up to the helpers'
# 7 + 3 forks, and that total at the end.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks pidpersec
bg_until '^TIME +FORKS' pidpersec -n toolwork 1 4
"$W" fork 7
"$W" forkexec 3
wait $BG
rows=$(grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2} +[0-9]+ +[0-9]+$' $OUT)
[ "$rows" -eq 4 ] && ktap_ok pidpersec_rows || ktap_fail pidpersec_rows "$rows rows: $(tr '\n' '|' <$OUT)"
sum=$(awk '/^[0-9][0-9]:/ { s += $2 } END { print s + 0 }' $OUT)
[ "$sum" -eq 10 ] && ktap_ok pidpersec_counts_forks || ktap_fail pidpersec_counts_forks "sum $sum, wanted 10: $(tr '\n' '|' <$OUT)"
has pidpersec_total '^total: 10 new processes$'
ktap_finished
