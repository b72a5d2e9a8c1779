#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# syscount ranks the helper's getppid() storm first, by syscall and by process.
. "$(dirname "$0")/lib.sh"
ktap_plan 6
usage_checks syscount
loop_start "$W" sys 300
syscount -d 4 -n toolwork -t 3 >$OUT 2>&1
has syscount_header "^SYSCALL +COUNT$"
last=$(grep -E '^[a-z_0-9]+ +[0-9]+$' $OUT | tail -n 1)
case "$last" in getppid*) n=${last##* }; [ "$n" -ge 1000 ] && ktap_ok syscount_top_is_getppid ||
	ktap_fail syscount_top_is_getppid "count $n" ;;
*) ktap_fail syscount_top_is_getppid "last line '$last'" ;; esac
syscount -P -d 4 -n toolwork >$OUT 2>&1
loop_stop
has syscount_by_process "^[0-9]+ +toolwork +[0-9]{4,}$"
# exactly the helper's calls: two runs of 3000 getppid()
bg_until '^Tracing syscalls' syscount -d 120 -n toolwork -t 0
"$W" getppid 3000; "$W" getppid 3000
bg_stop
n=$(awk '$1 == "getppid" { print $2 }' $OUT)
[ "${n:-0}" -eq 6000 ] && ktap_ok syscount_counts_exactly ||
	ktap_fail syscount_counts_exactly "getppid count '$n', wanted 6000: $(head -c 300 $OUT | tr '\n' '|')"
ktap_finished
