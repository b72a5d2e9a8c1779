#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# 16 concurrent sessions on the same probe, each with its own -c target
# making a distinct number of getppid() calls: every session counts
# exactly its own target's calls, all 16 are listed at once by
# ktrace --sessions, and all end cleanly.
cd "$(dirname "$0")" || exit 1
. ./common.sh
N=16
# slower kernels (the debug kernel: KASAN, lockdep) get more time to start 16 sessions
scale=${KTRACE_TIMEOUT_SCALE:-1}
ktap_plan 4
mark=$(klog_mark)

i=1
while [ $i -le $N ]; do
	# each target waits 8 s (scaled) before its calls: every session is up by then
	ktrace -q -b 64k -x aggsize=16k -x dynvarsize=16k \
		-n 'syscall::getppid:entry /pid == $target/ { n++; } END { printf("n=%d\n", n); }' \
		-c "$STRESS getppid $((100 + i)) $((8000 * scale))" >$T/out.$i 2>$T/err.$i &
	eval "pid_$i=\$!"
	i=$((i + 1))
done
ktap_poll $((30 * scale)) sh -c "[ \$(ktrace --sessions 2>/dev/null | awk '\$5 == \"active\"' | grep -c .) -ge $N ]"
n=$(ktrace --sessions 2>/dev/null | awk '$5 == "active"' | grep -c .)
[ "$n" -ge $N ] && ktap_ok sixteen_sessions_listed_active || ktap_fail sixteen_sessions_listed_active "$n active"

bad=
i=1
while [ $i -le $N ]; do
	eval "wait \$pid_$i"; rc=$?
	got=$(cat $T/out.$i)
	[ $rc = 0 ] && [ "$got" = "n=$((100 + i))" ] ||
		bad="$bad [$i: rc=$rc out='$got' err='$(head -c 100 $T/err.$i | tr '\n' ' ')']"
	i=$((i + 1))
done
[ -z "$bad" ] && ktap_ok sixteen_sessions_each_see_own_events || ktap_fail sixteen_sessions_each_see_own_events "$bad"
n=$(nsessions)
[ "$n" = 0 ] && ktap_ok all_sessions_closed || ktap_fail all_sessions_closed "$n left"
ktap_result concurrent_klog_clean klog_clean $mark
ktap_finished
