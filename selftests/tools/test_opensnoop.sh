#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# opensnoop sees the file the helper opened (fd, errno 0) and the failing
# open (-1, ENOENT); -x shows failures only.
. "$(dirname "$0")/lib.sh"
ktap_plan 6
usage_checks opensnoop
loop_start sh -c "$W open /etc/hosts 1; $W open /nonexistent.kt 1"
opensnoop -d 4 -n toolwork >$OUT 2>&1
has opensnoop_sees_open "^ *[0-9]+ toolwork +[0-9]+ +0 /etc/hosts$"
has opensnoop_sees_enoent "^ *[0-9]+ toolwork +-1 +2 /nonexistent.kt$"
opensnoop -x -d 4 -n toolwork >$OUT 2>&1
loop_stop
if grep -q /nonexistent.kt $OUT && ! grep -q /etc/hosts $OUT; then ktap_ok opensnoop_failed_only
else ktap_fail opensnoop_failed_only "$(head -c 400 $OUT | tr '\n' '|')"; fi
# -f takes the path as data: quotes and D code in it match literally
Q='/tmp/kt"); system("id"); printf("'
: >"$Q"
loop_start "$W" open "$Q" 1
opensnoop -d 3 -f "$Q" >$OUT 2>&1
loop_stop
rm -f "$Q"
if grep -qF -- " 0 $Q" $OUT && ! grep -v -e '^ *PID' -e '^$' $OUT | grep -qvF -- "$Q"; then
	ktap_ok opensnoop_path_is_data
else ktap_fail opensnoop_path_is_data "$(head -c 400 $OUT | tr '\n' '|')"; fi
ktap_finished
