#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vfscount -n toolwork on toolwork read 300 (one open, 300 read(2)s of
# /dev/zero: exactly 300 vfs_read) and toolwork open /etc/hosts 7 (7 opens:
# with the first, 8 vfs_open); -t 1 keeps the most called; -i prints each
# interval.
. "$(dirname "$0")/lib.sh"
ktap_plan 6
usage_checks vfscount
bg_until '^Tracing' vfscount -n toolwork
"$W" read 300
"$W" open /etc/hosts 7
bg_stop
c() { awk -v f="$1" '$1 == f { print $2 }' $OUT; }
[ "$(c vfs_read)" = 300 ] && ktap_ok vfscount_exact_reads ||
	ktap_fail vfscount_exact_reads "vfs_read '$(c vfs_read)', wanted 300: $(tr '\n' '|' <$OUT | head -c 400)"
[ "$(c vfs_open)" = 8 ] && ktap_ok vfscount_exact_opens ||
	ktap_fail vfscount_exact_opens "vfs_open '$(c vfs_open)', wanted 8: $(tr '\n' '|' <$OUT | head -c 400)"
# most called first, every row a vfs_ function
if awk '$1 ~ /^vfs_/ { if (p != "" && $2 > p) bad = 1; p = $2; n++ } END { exit bad || n < 2 }' $OUT &&
   ! awk 'NR > 2 && NF == 2 && $1 != "FUNC" && $1 !~ /^vfs_/' $OUT | grep -q .; then
	ktap_ok vfscount_sorted_vfs_only
else ktap_fail vfscount_sorted_vfs_only "$(tr '\n' '|' <$OUT | head -c 400)"; fi
# -t 1 -i 1 -d 3: a dated block per second, one row each; the reads' second has vfs_read 2000
bg_until '^Tracing' vfscount -n toolwork -t 1 -i 1 -d 3
"$W" read 2000
wait $BG
rows=$(grep -c '^vfs_' $OUT) dates=$(grep -cE '^[0-9]{4} [A-Z][a-z]{2} ' $OUT)
if [ "$dates" -ge 2 ] && [ "$rows" -le "$dates" ] && [ "$(awk '$1 == "vfs_read" { s += $2 } END { print s }' $OUT)" = 2000 ]; then
	ktap_ok vfscount_interval_top
else ktap_fail vfscount_interval_top "$dates dates, $rows rows: $(tr '\n' '|' <$OUT | head -c 400)"; fi
ktap_finished
