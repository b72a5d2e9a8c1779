#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ktruss shows exactly the calls the helper made: its 3 opens of /etc/hosts
# (a file descriptor back), its 2 failing opens (Err#2), nanosleep()s that
# lasted their 100 ms, a process given by -p, the children of -f, and the
# counts of -S.
. "$(dirname "$0")/lib.sh"
ktap_plan 9
usage_checks ktruss
ktruss -c "$W open /etc/hosts 3" >$OUT 2>&1
n=$(grep -Ec '^ *[0-9]+/[0-9]+ +[0-9]+ openat\(0xffffff9c, "/etc/hosts", 0x0\) = [0-9]+$' $OUT)
np=$(awk '$1 ~ /^[0-9]+\/[0-9]+$/ { split($1, a, "/"); print a[1] }' $OUT | sort -u | wc -l)
[ "$n" -eq 3 ] && [ "$np" -eq 1 ] && ktap_ok ktruss_shows_each_call ||
	ktap_fail ktruss_shows_each_call "$n opens, $np pids: $(head -c 600 $OUT | tr '\n' '|')"
ktruss -c "$W open /nonexistent.kt 2" >$OUT 2>&1
n=$(grep -Ec 'openat\(0xffffff9c, "/nonexistent.kt", 0x0\) = -1 Err#2$' $OUT)
[ "$n" -eq 2 ] && ktap_ok ktruss_shows_errno || ktap_fail ktruss_shows_errno "$n: $(head -c 600 $OUT | tr '\n' '|')"
# 3 sleeps of 100 ms: each line's elapsed time is 100 ms or more (and under 5 s)
ktruss -c "$W sleep 3 100" >$OUT 2>&1
n=$(awk '$3 ~ /^(clock_)?nanosleep\(/ && $2 >= 100000 && $2 < 5000000 { n++ } END { print n + 0 }' $OUT)
[ "$n" -eq 3 ] && ktap_ok ktruss_elapsed_time || ktap_fail ktruss_elapsed_time "$n: $(head -c 600 $OUT | tr '\n' '|')"
# -p: the sleeps of a process already running, under its pid
"$W" sleep 100000 100 &
S=$!
bg_until 'PID/TID' ktruss -p $S
wait_lines 2 "^ *$S/$S +[0-9]+ (clock_)?nanosleep\\("
bg_stop
kill $S; wait $S 2>/dev/null
n=$(grep -Ec "^ *$S/$S +[0-9]+ (clock_)?nanosleep\(" $OUT)
other=$(grep -E '^ *[0-9]+/' $OUT | grep -Evc "^ *$S/$S ")
[ "$n" -ge 2 ] && [ "$other" -eq 0 ] && ktap_ok ktruss_attaches_to_pid ||
	ktap_fail ktruss_attaches_to_pid "$n sleeps, $other others: $(head -c 600 $OUT | tr '\n' '|')"
# -f: the two children's execs of /proc/self/exe, from two other pids
ktruss -f -c "$W forkexec 2" >$OUT 2>&1
kids=$(grep -E '^ *[0-9]+/[0-9]+ +[0-9]+ execve\("/proc/self/exe", ' $OUT | awk '{ print $1 }' | sort -u | wc -l)
ktruss -c "$W forkexec 2" >$OUT.nof 2>&1
nof=$(grep -c 'execve("/proc/self/exe"' $OUT.nof)
[ "$kids" -eq 2 ] && [ "$nof" -eq 0 ] && ktap_ok ktruss_follows_children ||
	ktap_fail ktruss_follows_children "-f: $kids children, without: $nof: $(grep execve $OUT | head -c 400 | tr '\n' '|')"
# -S: exactly 50 getppid calls, no errors
ktruss -S -c "$W getppid 50" >$OUT 2>&1
has ktruss_summary_counts '^getppid +50 +0 +[0-9]+ +[0-9]+ +[0-9]+$'
# a bad pid, or two targets, is refused with status 2
ktruss -p 1 -n x >$OUT 2>&1; rc=$?
ktruss -p 0 >>$OUT 2>&1; rc2=$?
[ $rc -eq 2 ] && [ $rc2 -eq 2 ] && ktap_ok ktruss_refuses_two_targets || ktap_fail ktruss_refuses_two_targets "status $rc, $rc2"
ktap_finished
