#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# execsnoop sees the helper exec'd with its arguments, and -n filters.
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks execsnoop
loop_start "$W" read 1
execsnoop -d 4 -n toolwork >$OUT 2>&1
loop_stop
has execsnoop_sees_exec_with_args "^ *[0-9]+ +[0-9]+ +[^ ]+ +$W read 1 *$"
if grep -v -e '^ *PID' -e '^$' $OUT | grep -vq toolwork; then
	ktap_fail execsnoop_name_filter "a line without toolwork: $(grep -v toolwork $OUT | head -n 2)"
else ktap_ok execsnoop_name_filter; fi
ktap_finished
