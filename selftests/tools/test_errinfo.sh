#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# errinfo names the helper's ENOENT from openat, live and counted (-c).
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks errinfo
loop_start "$W" open /nonexistent.kt 3
errinfo -d 4 -n toolwork >$OUT 2>&1
has errinfo_live "^toolwork +[0-9]+ +openat +2 ENOENT$"
errinfo -c -d 4 -n toolwork >$OUT 2>&1
loop_stop
has errinfo_counted "^toolwork +openat +2 ENOENT +[0-9]*[3-9]$|^toolwork +openat +2 ENOENT +[0-9]{2,}$"
ktap_finished
