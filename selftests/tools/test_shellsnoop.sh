#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellsnoop -p: a shell reads two command lines from a FIFO; the test sees
# them read (R) by that shell, the builtin echo's output written (W) by the
# shell, and ls's output written by its child (PPID: the shell; busybox may
# run the applet in a forked shell, named sh).
. "$(dirname "$0")/lib.sh"
ktap_plan 6
usage_checks shellsnoop
mkfifo $OUT.fifo
: >$OUT.data
sh <$OUT.fifo >$OUT.sh 2>&1 &
S=$!
bg_until '^ *PID +PPID' shellsnoop -p $S
exec 3>$OUT.fifo
printf 'echo kt_hello_%s\n' 7 >&3
sleep 0.3
printf 'ls %s\n' $OUT.data >&3
exec 3>&-
wait $S
sleep 0.3
bg_stop
has shellsnoop_reads_commands "^ *$S +[0-9]+ sh +R echo kt_hello_7$"
has shellsnoop_reads_second_command "^ *$S +[0-9]+ sh +R ls $OUT.data$"
has shellsnoop_shell_output "^ *$S +[0-9]+ sh +W kt_hello_7$"
has shellsnoop_child_output "^ *[0-9]+ +$S +(ls|sh) +W $OUT.data$"
ktap_finished
