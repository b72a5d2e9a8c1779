#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# execsnoop reports every exec, with path and arguments: the shell's, and
# a compiled program's fork+exec whose child execs at once with string
# constants (pages not yet mapped in the child: reading execve()'s user
# pointers at syscall entry misses these); -n filters by file name.
. "$(dirname "$0")/lib.sh"
ktap_plan 8
usage_checks execsnoop
bg_until '^ *PID ' execsnoop -d 120
for i in 1 2 3; do "$W" forkexec 5; done
"$W" read 1
bg_stop
# each of the 3 runs: toolwork forkexec 5 (exec'd by this shell), then its
# 5 children /proc/self/exe nop execmark-K
n=$(grep -cE "^ *[0-9]+ +[0-9]+ +[^ ]+ +$W forkexec 5 *$" $OUT)
[ "$n" -eq 3 ] && ktap_ok execsnoop_sees_shell_execs ||
	ktap_fail execsnoop_sees_shell_execs "$n of 3: $(head -c 600 $OUT | tr '\n' '|')"
bad=
for k in 1 2 3 4 5; do
	n=$(grep -cE "^ *[0-9]+ +[0-9]+ +toolwork +/proc/self/exe nop execmark-$k *$" $OUT)
	[ "$n" -eq 3 ] || bad="$bad execmark-$k:$n"
done
[ -z "$bad" ] && ktap_ok execsnoop_sees_fork_exec_of_compiled_code ||
	ktap_fail execsnoop_sees_fork_exec_of_compiled_code "wanted 3 of each, got$bad: $(head -c 600 $OUT | tr '\n' '|')"
has execsnoop_sees_exec_with_args "^ *[0-9]+ +[0-9]+ +[^ ]+ +$W read 1 *$"
if grep -q 'invalid address\|error' $OUT; then
	ktap_fail execsnoop_no_errors "$(grep -m 2 'invalid address\|error' $OUT)"
else ktap_ok execsnoop_no_errors; fi
bg_until '^ *PID ' execsnoop -d 120 -n toolwork
"$W" forkexec 2; "$W" read 1
bg_stop
if grep -v -e '^ *PID' -e '^$' $OUT | grep -q -e execmark -e '/proc/self/exe'; then
	ktap_fail execsnoop_name_filter "a line of another name: $(grep -m 2 execmark $OUT)"
elif ! grep -q "$W read 1" $OUT; then
	ktap_fail execsnoop_name_filter "toolwork missing: $(head -c 300 $OUT | tr '\n' '|')"
else ktap_ok execsnoop_name_filter; fi
# -n takes the name as data: quotes and D code in it compile and match nothing
execsnoop -d 1 -n 'x"); system("id"); printf("' >$OUT 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q '^ *PID ' $OUT && ! grep -q 'uid=' $OUT; then ktap_ok execsnoop_name_is_data
else ktap_fail execsnoop_name_is_data "status $rc: $(head -c 300 $OUT | tr '\n' '|')"; fi
ktap_finished
