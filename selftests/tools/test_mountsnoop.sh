#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# mountsnoop shows a tmpfs mount with its source, target, type and result 0,
# its unmount (0) and a second unmount of the same target (-EINVAL); -x only
# that failure.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks mountsnoop
M=/tmp/ktmnt.$$ S=ktsrc$$
mkdir -p $M
work() { mount -t tmpfs $S $M; umount $M; umount $M 2>/dev/null; }
bg_until '^ +PID +COMM' mountsnoop
work
bg_stop
# PID COMM CALL RET FLAGS ARGS...
has mountsnoop_sees_mount "^ *[0-9]+ mount +mount +0 +[0-9a-f]+ $S $M tmpfs$"
n=$(awk -v m=$M '$3 == "umount2" && $6 == m { print $4 }' $OUT | tr '\n' ' ')
[ "$n" = "0 -22 " ] && ktap_ok mountsnoop_sees_umounts ||
	ktap_fail mountsnoop_sees_umounts "results '$n': $(head -c 600 $OUT | tr '\n' '|')"
bg_until '^ +PID +COMM' mountsnoop -x
work
bg_stop
rmdir $M
n=$(grep -vc -e '^ *PID' -e '^$' $OUT)
has mountsnoop_failed_only "^ *[0-9]+ [a-z]+ +umount2 +-22 +0 $M$"
[ "$n" -eq 1 ] || ktap_diag "mountsnoop -x printed $n lines"
ktap_finished
