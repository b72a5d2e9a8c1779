#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Probes on hot paths under load (fork, read, stat, yield for a few
# seconds): the slab allocator, the scheduler, the timer interrupt, a
# 4999 Hz profile probe, all at once on every CPU.  Each session must see
# its events, end normally, leave no registration, and the log stays clean.
cd "$(dirname "$0")" || exit 1
. ./common.sh
ktap_plan 8
NCPU=$(nproc)
mark=$(klog_mark)

# hot NAME SECONDS PROGRAM: trace PROGRAM while the workload runs
hot() {
	_name=$1 _secs=$2; shift 2
	ktrace -q -b 256k -x aggsize=256k -n "$1 BEGIN { printf(\"hot-ready\\n\"); }" >$T/out 2>$T/err &
	_k=$!
	# the workload starts once every probe is enabled (BEGIN fires after
	# that): enabling fbt probes under TCG on a loaded host takes seconds
	if ! ktap_poll $((60 * ${KTRACE_TIMEOUT_SCALE:-1})) grep -q '^hot-ready$' $T/out; then
		echo "# $_name: not enabled: $(head -c 300 $T/err | tr '\n' '|')"
		kill -INT $_k; wait $_k
		return 1
	fi
	$STRESS mix $_secs >$T/mix
	sleep 1
	kill -INT $_k
	wait $_k; _rc=$?
	[ $_rc = 0 ] || { echo "# $_name: ktrace rc=$_rc: $(head -c 300 $T/err | tr '\n' '|')"; return 1; }
	grep -q '^mix loops=' $T/mix || { echo "# $_name: workload failed"; return 1; }
	no_registrations || { echo "# $_name: left registered: $(registrations)"; return 1; }
	return 0
}
# count KEY: the value printed for @KEY
count() { awk -v k="$1" '$1 == k { print $2 }' $T/out; }
# percpu: CPUs with a non-zero count in "cpu N COUNT" lines
percpu() { awk '$1 == "cpu" && $3 > 0 { n++ } END { print n + 0 }' $T/out; }

if hot slab 4 'fbt::kmem_cache_alloc:entry { @a = count(); } END { printa("alloc %@d\n", @a); }'; then
	n=$(count alloc)
	[ "${n:-0}" -ge 1000 ] && ktap_ok kmem_cache_alloc_under_load || ktap_fail kmem_cache_alloc_under_load "count=$n"
else
	ktap_fail kmem_cache_alloc_under_load
fi

if hot sched 4 'fbt::schedule:entry { @s = count(); } tracepoint:sched::sched_switch { @w = count(); } END { printa("schedule %@d\n", @s); printa("switch %@d\n", @w); }'; then
	s=$(count schedule) w=$(count switch)
	[ "${s:-0}" -ge 100 ] && [ "${w:-0}" -ge 100 ] && ktap_ok scheduler_probes_under_load ||
		ktap_fail scheduler_probes_under_load "schedule=$s switch=$w"
else
	ktap_fail scheduler_probes_under_load
fi

if hot hrtimer 4 'fbt::hrtimer_interrupt:entry { @c[cpu] = count(); } END { printa("cpu %d %@d\n", @c); }'; then
	n=$(percpu)
	[ "$n" = "$NCPU" ] && ktap_ok timer_interrupt_probe_every_cpu ||
		ktap_fail timer_interrupt_probe_every_cpu "fired on $n of $NCPU CPUs: $(tr '\n' '|' <$T/out)"
else
	ktap_fail timer_interrupt_probe_every_cpu
fi

if hot profile 4 'profile-4999 { @c[cpu] = count(); @k[stack(3)] = count(); } END { printa("cpu %d %@d\n", @c); }'; then
	n=$(percpu)
	[ "$n" = "$NCPU" ] && ktap_ok profile_4999_every_cpu ||
		ktap_fail profile_4999_every_cpu "fired on $n of $NCPU CPUs: $(tr '\n' '|' <$T/out)"
else
	ktap_fail profile_4999_every_cpu
fi

# probes firing in interrupt context: the clause sees it (irq or softirq)
if hot inirq 3 'fbt::hrtimer_interrupt:entry, fbt::run_timer_softirq:entry { @i[probefunc] = count(); } END { printa("%s %@d\n", @i); }'; then
	h=$(count hrtimer_interrupt)
	[ "${h:-0}" -ge 10 ] && ktap_ok probes_in_interrupt_context || ktap_fail probes_in_interrupt_context "$(tr '\n' '|' <$T/out)"
else
	ktap_fail probes_in_interrupt_context
fi

# everything at once, with records (printf) and aggregations, small buffers
if hot all 5 'fbt::kmem_cache_alloc:entry, fbt::schedule:entry, tracepoint:sched::sched_switch, fbt::hrtimer_interrupt:entry, profile-4999, syscall:::entry { @[probeprov, cpu] = count(); } syscall::read:entry { printf("%d %s\n", pid, execname); } END { printa("%s %d %@d\n", @); }'; then
	np=$(awk 'NF == 3 { p[$1] = 1 } END { n = 0; for (k in p) n++; print n }' $T/out)
	[ "$np" -ge 4 ] && ktap_ok all_hot_probes_at_once || ktap_fail all_hot_probes_at_once "providers seen: $np: $(head -c 300 $T/out | tr '\n' '|')"
else
	ktap_fail all_hot_probes_at_once
fi
ktap_result hot_paths_no_registrations_left no_registrations
ktap_result hot_paths_klog_clean klog_clean $mark
ktap_finished
