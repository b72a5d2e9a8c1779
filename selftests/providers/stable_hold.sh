#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The stable probes on kernel functions (kprobes, kretprobes): sched:::tick,
# surrender, enqueue and dequeue, proc:::exec and exec-failure, and
# lockstat's hold events (adaptive-, spin- and rw-acquire and -release).
# Each fires for a workload this test controls (./workload), as often as
# the workload made it happen, with the arguments it knows: the lock it
# took (its own pi_lock, tasklist_lock, its pipe's mutex), the path it
# executed and why that failed, its own thread; the ticks of a pinned busy
# loop agree with the kernel's HZ (jiffies against timestamp) and the CPU
# time the loop measured.  No kprobe is left behind.
cd "$(dirname "$0")" || exit 1
. ./stable_lib.sh
ktap_plan 11

# sched:::surrender: once per sched_yield(), in the yielding thread (args[0], args[1])
kt -n 'sched:::surrender /pid == $target && args[0]->pr_lwpid == tid && args[1]->pr_pid == pid/ { n++; }
	END { printf("yields %d\n", n); }' -c "$W yield 50"
same sched_surrender_per_yield "50" "$(val yields)"

# sched:::tick: a loop pinned to one CPU for 1 s of CPU time has one tick per
# local timer interrupt of its CPU (/proc/interrupts LOC:, read by the loop;
# a few of those are other timers, and a loaded emulator merges late
# interrupts: the kernel's own count is the truth, not the clock; a slow
# kernel's interrupt may run the tick twice, when hrtimer_interrupt() finds
# the next one already due and retries: 5 % more), and never
# more than HZ per second of its CPU time (HZ measured: jiffies against
# timestamp over the run; it must be a kernel HZ: 100, 250, 300 or 1000);
# the ticks counted are the loop's, inside the window its count of
# interrupts covers: after its pinning (sched_setaffinity), from the close
# of its first reading of /proc/interrupts to the openat of its second (a
# slow kernel takes ticks to read the file: those are not counted)
kt -n 'BEGIN { j0 = *(unsigned long *)&`jiffies; t0 = timestamp; }
	syscall::sched_setaffinity:return /pid == $target/ { pinned = 1; }
	syscall::close:entry /pid == $target && pinned == 1/ { pinned = 2; loop = 1; }
	syscall::openat:entry /pid == $target && loop/ { loop = 0; }
	sched:::tick /loop && pid == $target && args[0]->pr_lwpid == tid && args[1]->pr_pid == pid/ { n++; }
	END { printf("ticks %d\nhz %d\n", n, (*(unsigned long *)&`jiffies - j0) * 1000000000 / (timestamp - t0)); }' -c "$W cpuspin 1000"
t=$(val ticks); hz=$(val hz); ns=$(val cpu_ns); loc=$(val loc_irqs)
max=$(( ${hz:-0} * ${ns:-0} / 1000000000 ))
ktap_diag "tick: $t ticks in ${ns:-?} ns of CPU time, ${loc:-?} timer interrupts, HZ ${hz:-?} (at most $max)"
hzok=0
for h in 100 250 300 1000; do
	[ -n "$hz" ] && [ $((hz * 100)) -ge $((h * 95)) ] && [ $((hz * 100)) -le $((h * 105)) ] && hzok=1
done
if [ $hzok = 1 ] && [ -n "$t" ] && [ "${loc:--1}" -gt 0 ] && [ "$t" -gt 0 ] &&
   [ "$t" -le $((max * 105 / 100 + 2)) ] && [ "$t" -le $((loc * 105 / 100 + 2)) ] && [ "$t" -ge $((loc * 70 / 100 - 2)) ]; then
	ktap_ok sched_tick_per_timer_interrupt
else ktap_fail sched_tick_per_timer_interrupt "HZ ok $hzok; $(head -c 300 $OUT | tr '\n' '|')"; fi

# sched:::tick runs on behalf of the thread it interrupted: its clauses see
# and change that thread's self-> variables (as DTrace's), not the timer
# interrupt's own.  The pinned loop's thread sets self->spin at its
# sched_setaffinity(); every tick of the loop reads it and counts in
# self->ticks, which the thread's own write() then reads: all the same count.
kt -n 'syscall::sched_setaffinity:return /pid == $target/ { self->spin = tid; loop = 1; }
	sched:::tick /loop && pid == $target/ { n++; seen += self->spin == tid; self->ticks++; }
	syscall::write:entry /pid == $target && loop/ { loop = 0; printf("thread %d\n", self->ticks); self->spin = 0; }
	END { printf("ticks %d\nseen %d\n", n, seen); }' -c "$W cpuspin 300"
t=$(val ticks); seen=$(val seen); th=$(val thread)
if [ "${t:-0}" -gt 0 ] && [ "$seen" = "$t" ] && [ "$th" = "$t" ]; then
	ktap_ok sched_tick_self_is_interrupted_thread
else ktap_fail sched_tick_self_is_interrupted_thread "ticks '$t', self->spin seen '$seen', self->ticks '$th' ($(head -c 300 $OUT | tr '\n' '|'))"; fi

# sched:::dequeue when the thread sleeps (args[3] 1) and sched:::enqueue when
# it is woken: 10 round trips through pipes, each a sleep of the workload
# (naps); a move between run queues (migration, on PREEMPT_RT often) is a
# dequeue (args[3] 0) and an enqueue: every enqueue of the thread has its
# dequeue (its first, at fork, and its last, at exit, may fall outside the
# trace); args[2] is a CPU of the system
kt -n 'sched:::dequeue /args[1]->pr_pid == $target/ { d[args[3]]++; }
	sched:::enqueue /args[1]->pr_pid == $target && args[2]->cpu_id >= 0 && args[2]->cpu_id < *(unsigned int *)&`nr_cpu_ids/ { e++; }
	sched:::enqueue /args[1]->pr_pid == $target/ { ea++; }
	END { printf("sleeps %d\nmoves %d\nenq %d\nenqall %d\n", d[1], d[0], e, ea); }' -c "$W naps 10"
ds=$(val sleeps); dm=$(val moves); e=$(val enq); ea=$(val enqall)
ktap_diag "naps 10: $ds dequeues to sleep, $dm moves, $e enqueues ($ea)"
[ "${ds:-0}" -ge 10 ] && [ "${e:-0}" -ge 10 ] && [ "$e" = "$ea" ] &&
	[ $((e - ds - dm)) -ge -1 ] && [ $((e - ds - dm)) -le 1 ] &&
	ktap_ok sched_dequeue_enqueue_sleeps || ktap_fail sched_dequeue_enqueue_sleeps "$(head -c 300 $OUT | tr '\n' '|')"

# proc:::exec with the path, then proc:::exec-failure with ENOENT (2)
kt -n 'proc:::exec /pid == $target/ { printf("exec %s\n", args[0]); }
	proc:::exec-failure /pid == $target/ { printf("fail %d\n", args[0]); }
	proc:::exec-success /pid == $target/ { printf("success\n"); }' -c "$W execfail 42"
same proc_exec_failure_enoent "exec /nonexistent/ktrace-42|fail 2|" "$(grep -E '^(exec|fail|success)' $OUT | tr '\n' '|')"

# proc:::exec then exec-success (no failure) for an exec that works
kt -n 'proc:::exec /pid == $target/ { printf("exec %s\n", basename(args[0])); }
	proc:::exec-failure /pid == $target/ { printf("fail %d\n", args[0]); }
	proc:::exec-success /pid == $target/ { printf("success %s\n", execname); }' -c "$W exec 1"
same proc_exec_success_path "exec workload|success workload|" "$(grep -E '^(exec|fail|success)' $OUT | tr '\n' '|')"

# lockstat:::adaptive-acquire/-release: each 1-byte pipe write takes the
# pipe's mutex once; the busiest mutex of the workload is it (N writes, and
# a few more for the pipe's creation and close)
kt -n 'lockstat:::adaptive-acquire /pid == $target/ { @a[arg0] = count(); }
	lockstat:::adaptive-release /pid == $target/ { @r[arg0] = count(); }
	END { printa("m %x %@d %@d\n", @a, @r); }' -c "$W pipe 200"
top=$(awk '$1 == "m" { print $3, $4 }' $OUT | sort -n | tail -n 1)
ktap_diag "busiest mutex: acquired, released: $top"
a=${top% *}; r=${top#* }
[ -n "$top" ] && [ "$a" -ge 200 ] && [ "$a" -le 210 ] && [ "$a" = "$r" ] &&
	ktap_ok lockstat_adaptive_acquire_release_pipe || ktap_fail lockstat_adaptive_acquire_release_pipe "$(head -c 300 $OUT | tr '\n' '|')"

# lockstat:::spin-acquire/-release on the task's own pi_lock (a raw
# spinlock), once each per sched_getaffinity()
kt -n 'lockstat:::spin-acquire /pid == $target && arg0 == (uint64_t)&curthread->pi_lock/ { a++; }
	lockstat:::spin-release /pid == $target && arg0 == (uint64_t)&curthread->pi_lock/ { r++; }
	END { printf("acq %d\nrel %d\n", a, r); }' -c "$W affinity 300"
a=$(val acq); r=$(val rel)
ktap_diag "pi_lock: $a acquired, $r released"
[ "${a:-0}" -ge 300 ] && [ "${a:-0}" -le 320 ] && [ "${r:-0}" -ge 300 ] && [ "${r:-0}" -le 320 ] &&
	ktap_ok lockstat_spin_acquire_release_pi_lock || ktap_fail lockstat_spin_acquire_release_pi_lock "$(head -c 300 $OUT | tr '\n' '|')"

# lockstat:::rw-acquire/-release: setpgid() takes tasklist_lock for writing
kt -n 'lockstat:::rw-acquire /pid == $target && arg0 == (uint64_t)&`tasklist_lock/ { @a[args[1] == RW_WRITER ? "w" : "r"] = count(); }
	lockstat:::rw-release /pid == $target && arg0 == (uint64_t)&`tasklist_lock/ { @r[args[1] == RW_WRITER ? "w" : "r"] = count(); }
	END { printa("acq %s %@d\n", @a); printa("rel %s %@d\n", @r); }' -c "$W setpgid 100"
aw=$(awk '$1 == "acq" && $2 == "w" { print $3 }' $OUT); rw=$(awk '$1 == "rel" && $2 == "w" { print $3 }' $OUT)
ktap_diag "tasklist_lock as writer: $aw acquired, $rw released"
[ "${aw:-0}" -ge 100 ] && [ "${aw:-0}" -le 105 ] && [ "$aw" = "$rw" ] &&
	ktap_ok lockstat_rw_acquire_release_tasklist || ktap_fail lockstat_rw_acquire_release_tasklist "$(head -c 300 $OUT | tr '\n' '|')"

# a listing names them all
names=$(ktrace -l -n 'lockstat:::' -n 'sched:::' -n 'proc:::' 2>/dev/null | awk 'NR > 1 { print $NF }' | sort | tr '\n' ' ')
miss=
for p in adaptive-acquire adaptive-acquire-error adaptive-release spin-acquire spin-release rw-acquire rw-release rw-spin \
	 tick surrender enqueue dequeue exec exec-failure; do
	case " $names " in *" $p "*) ;; *) miss="$miss $p" ;; esac
done
[ -z "$miss" ] && ktap_ok stable_hold_probes_listed || ktap_fail stable_hold_probes_listed "missing:$miss"

# nothing left registered
no_kprobe_left stable_hold_no_kprobe_left
ktap_finished
