#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# killsnoop reports the helper's kill(self, SIGUSR1) (success) and
# kill(999999, 0) (ESRCH = -3).
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks killsnoop
loop_start "$W" kill 10
killsnoop -d 4 -n toolwork >$OUT 2>&1
loop_stop
has killsnoop_sees_signal "^ *([0-9]+) toolwork +kill +[0-9]+ +10 +0$"
has killsnoop_sees_failure "^ *[0-9]+ toolwork +kill +999999 +0 +-3$"
ktap_finished
