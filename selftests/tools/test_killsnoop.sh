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
# the helper signals itself: TPID is its own PID
if awk '$2 == "toolwork" && $3 == "kill" && $5 == 10 && $6 == 0 && $1 == $4 { f = 1 } END { exit !f }' $OUT
then ktap_ok killsnoop_sees_signal
else ktap_fail killsnoop_sees_signal "no 'PID toolwork kill PID 10 0' line: $(head -c 400 $OUT | tr '\n' '|')"; fi
has killsnoop_sees_failure "^ *[0-9]+ toolwork +kill +999999 +0 +-3$"
ktap_finished
