#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# syslat -c: exactly the helper's 300 reads land in the histogram.
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks syslat
syslat -c "$W read 300" >$OUT 2>&1
has syslat_histogram "value +-+ Distribution -+ count"
n=$(awk '$2 == "|" || $2 ~ /^\|/ { s += $NF } END { print s + 0 }' $OUT)
[ "$n" -eq 300 ] && ktap_ok syslat_counts_every_read || ktap_fail syslat_counts_every_read "sum $n, wanted 300"
ktap_finished
