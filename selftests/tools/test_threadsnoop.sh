#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# threadsnoop shows exactly the two threads the helper starts (toolwork pipe:
# tw_writer and tw_reader), created by its PID; -a adds the helper's forks.
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks threadsnoop
bg_until '^ +PID +COMM' threadsnoop -n toolwork
"$W" pipe 2 1 & w=$!; wait $w
"$W" fork 3
bg_stop
# PID COMM TID NEWTID KIND FLAGS
n=$(awk -v w=$w '$1 == w && $2 == "toolwork" && $3 == w && $4 > w && $5 == "thread"' $OUT | wc -l)
all=$(grep -vc -e '^ *PID' -e '^$' $OUT)
[ "$n" -eq 2 ] && [ "$all" -eq 2 ] && ktap_ok threadsnoop_sees_threads ||
	ktap_fail threadsnoop_sees_threads "$n of $all lines (pid $w): $(head -c 600 $OUT | tr '\n' '|')"
bg_until '^ +PID +COMM' threadsnoop -a -n toolwork
"$W" fork 3 & w=$!; wait $w
bg_stop
n=$(awk -v w=$w '$1 == w && $5 == "process"' $OUT | wc -l)
[ "$n" -eq 3 ] && ktap_ok threadsnoop_all_tasks ||
	ktap_fail threadsnoop_all_tasks "$n forks, wanted 3: $(head -c 600 $OUT | tr '\n' '|')"
ktap_finished
