#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# errinfo names the helper's ENOENT from openat, live and counted (-c), and
# the kernel-internal ERESTARTNOHAND (514) of a pause() a signal ends.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks errinfo
loop_start "$W" open /nonexistent.kt 3
errinfo -d 4 -n toolwork >$OUT 2>&1
has errinfo_live "^toolwork +[0-9]+ +openat +2 ENOENT$"
errinfo -c -d 4 -n toolwork >$OUT 2>&1
loop_stop
has errinfo_counted "^toolwork +openat +2 ENOENT +[0-9]*[3-9]$|^toolwork +openat +2 ENOENT +[0-9]{2,}$"
loop_start "$W" pause 10
errinfo -d 3 -n toolwork >$OUT 2>&1
loop_stop
has errinfo_kernel_errno "^toolwork +[0-9]+ +pause +514 ERESTARTNOHAND$"
ktap_finished
