#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# CPU hotplug and the per-CPU providers: a CPU that comes online while a
# profile-N, tracepoint or system-wide cpc probe is enabled is covered from then on (also
# after an offline/online cycle, where perf's old event is dead), a CPU
# that goes offline does not leave its profile timer to run on a live CPU
# (which would double that CPU's rate), and tick-N keeps firing when its
# CPU goes away.  Needs CPU 1 and its sysfs online switch (2-CPU guest).
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
[ -x ./workload ] || ktap_skip_all "workload helper missing"
ON=/sys/devices/system/cpu/cpu1/online
[ -w $ON ] || ktap_skip_all "no CPU 1 with a hotplug switch ($ON)"
command -v taskset >/dev/null 2>&1 || ktap_skip_all "no taskset"

W=$(pwd)/workload
OUT=/tmp/hotplug.$$
CMD=/tmp/hotplug-cmd.$$
cpu1() { echo "$1" >$ON; }
trap 'cpu1 1; rm -f $OUT $CMD' EXIT
# cmd SHELL-TEXT: a script for -c (which splits its argument at blanks)
# that runs the text, then becomes the traced workload ($target)
cmd() { printf '%s\n' "$1" >$CMD; echo "sh $CMD"; }
cpu1 1
ktap_plan 7

kt() { ktrace -q "$@" >$OUT 2>&1; }
val() { sed -n "s/^$1=//p" $OUT | head -n1; }
num_between() {	# VALUE LOW HIGH
	[ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

# profile-N: CPU 1 offline when the probe is enabled, online 1 s later:
# it is sampled from then on (~200 samples in 2 s at 100 Hz)
cpu1 0
( sleep 1; cpu1 1 ) &
kt -n 'profile:::profile-100 /cpu == 1/ { n++; } tick-3s { printf("n=%d\n", n); exit(0); }'
wait
n=$(val n)
num_between "$n" 40 400 && ktap_ok profile_cpu_onlined_is_sampled ||
	ktap_fail profile_cpu_onlined_is_sampled "n=$n: $(head -c 300 $OUT | tr '\n' '|')"

# profile-N: CPU 1 goes offline 0.5 s in; CPU 0 keeps its own rate (its
# sample count follows a tick-100 probe's), it does not also run CPU 1's
# timer.  tick-100 keeps firing, wherever its CPU went.
( sleep 0.5; cpu1 0 ) &
kt -n 'profile:::profile-100 /cpu == 0/ { p++; } profile:::tick-100 { t++; }
    tick-3s { printf("p=%d\nt=%d\n", p, t); exit(0); }'
wait
p=$(val p)
t=$(val t)
if num_between "$t" 150 450 && num_between "$p" $((t * 3 / 4)) $((t * 5 / 4 + 10)); then
	ktap_ok profile_cpu_offlined_keeps_rate
else
	ktap_fail profile_cpu_offlined_keeps_rate "profile on CPU 0 p=$p, tick t=$t (p ~ 2t: CPU 1's timer moved to CPU 0): $(head -c 300 $OUT | tr '\n' '|')"
fi
cpu1 1

# profile-N: CPU 1 offline then online again inside the session: a
# process pinned to it is sampled
kt -n 'profile:::profile-199 /cpu == 1 && pid == $target/ { n++; } END { printf("n=%d\n", n); }' \
	-c "$(cmd "echo 0 >$ON; echo 1 >$ON; exec taskset -c 1 $W spin 1000")"
n=$(val n)
num_between "$n" 20 400 && ktap_ok profile_cpu_reonlined_is_sampled ||
	ktap_fail profile_cpu_reonlined_is_sampled "n=$n: $(head -c 300 $OUT | tr '\n' '|')"

# tracepoint: CPU 1 offline when the probe is enabled; a process pinned
# to it once it is online is traced (every one of its 100 reads)
TP='tracepoint:syscalls::sys_enter_read /pid == $target && args->count == 7 && cpu == 1/ { n++; } END { printf("n=%d\n", n); }'
cpu1 0
kt -n "$TP" -c "$(cmd "echo 1 >$ON; sleep 0.5; exec taskset -c 1 $W read 100")"
n=$(val n)
[ "$n" = 100 ] && ktap_ok tracepoint_cpu_onlined_is_traced ||
	ktap_fail tracepoint_cpu_onlined_is_traced "n=$n, wanted 100: $(head -c 300 $OUT | tr '\n' '|')"
cpu1 1

# tracepoint: CPU 1 offline then online again inside the session (perf
# dropped the probe's event on it): traced again
kt -n "$TP" -c "$(cmd "echo 0 >$ON; echo 1 >$ON; sleep 0.5; exec taskset -c 1 $W read 100")"
n=$(val n)
[ "$n" = 100 ] && ktap_ok tracepoint_cpu_reonlined_is_traced ||
	ktap_fail tracepoint_cpu_reonlined_is_traced "n=$n, wanted 100: $(head -c 300 $OUT | tr '\n' '|')"

# cpc (system-wide: one counter per CPU): CPU 1 offline then online
# again inside the session (perf dropped its counter): a process pinned to
# it has every one of the 100 page faults it takes in its range counted
BASE=17592186044416	# KT_TOUCH_ADDR of workload.c
kt -n "cpc:::page-faults-user-1 /cpu == 1 && arg2 >= $BASE && arg2 < $BASE + 100 * 4096/ { n++; }
    END { printf(\"n=%d\n\", n); }" \
	-c "$(cmd "echo 0 >$ON; echo 1 >$ON; sleep 0.5; exec taskset -c 1 $W touch 100")"
n=$(val n)
[ "$n" = 100 ] && ktap_ok cpc_cpu_reonlined_is_counted ||
	ktap_fail cpc_cpu_reonlined_is_counted "n=$n, wanted 100: $(head -c 300 $OUT | tr '\n' '|')"

# cycling CPU 1 while probes of both providers are enabled and disabled
# again and again: every session ends normally (and the kernel log stays
# clean: the harness checks it)
( for i in 1 2 3 4 5 6 7 8 9 10; do cpu1 0; sleep 0.1; cpu1 1; sleep 0.1; done ) &
bad=0
for i in 1 2 3 4 5; do
	ktrace -q -n 'profile:::profile-499 { n++; } tracepoint:syscalls::sys_enter_read { r++; }
	    tick-300ms { exit(0); }' >$OUT 2>&1 || bad=$((bad + 1))
done
wait
[ $bad = 0 ] && ktap_ok hotplug_churn_sessions_end_cleanly ||
	ktap_fail hotplug_churn_sessions_end_cleanly "$bad of 5 sessions failed: $(head -c 300 $OUT | tr '\n' '|')"

ktap_finished
