#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The stable providers (proc, sched, io): each probe fires for a workload
# this test controls (./workload, dd on null_blk's /dev/nullb0), and its
# arguments agree with the workload's own account: child pids and how each
# ended (its wait status), signal numbers, thread counts, the next thread
# of a context switch (the thread on-cpu then sees), the device's name and
# the bytes and direction of each request.  No kprobe is left behind.
cd "$(dirname "$0")" || exit 1
. ./stable_lib.sh
ktap_plan 28

# the probes, named as DTrace names them
same proc_probes_listed "create exec-success exec exec-failure exit lwp-create lwp-exit start lwp-start signal-send signal-discard signal-handle " "$(names proc)"
same sched_probes_listed "on-cpu off-cpu sleep preempt wakeup change-pri tick surrender enqueue dequeue " "$(names sched)"
same io_probes_listed "start done " "$(names io)"
# as DTrace lists them: module vmlinux, no function (ID PROVIDER MODULE NAME)
same stable_probes_module_vmlinux "io vmlinux done
proc vmlinux exec-success
sched vmlinux off-cpu
syscall vmlinux read entry" "$(ktrace -l -n io:::done -n proc:::exec-success -n sched:::off-cpu -n syscall::read:entry 2>/dev/null |
	awk 'NR > 1 { $1 = ""; print substr($0, 2) }' | sort)"
# a description that matches nothing: said on stderr, the header alone, exit 0 (dtrace -l)
ktrace -l -m nosuchmodule >$OUT 2>$OUT.err; rc=$?
if [ $rc = 0 ] && [ "$(wc -l <$OUT)" = 1 ] && grep -q '^ *ID *PROVIDER *MODULE *FUNCTION NAME$' $OUT &&
   grep -qx 'ktrace: failed to match :nosuchmodule::: No probe matches description' $OUT.err; then
	ktap_ok list_no_match_header_exit_0
else ktap_fail list_no_match_header_exit_0 "status $rc: $(cat $OUT $OUT.err | head -c 300 | tr '\n' '|')"; fi

# -lv: after each probe's line, dtrace -lv's report: the attributes of its
# description and arguments, and its args[] types from the D library
lvblock() {	# DESC-ATTR ARG-ATTR TYPE...: the report, each attribute "Name/Data/Class"
	d=$1 a=$2; shift 2
	for x in "Probe Description:$d" "Argument:$a"; do
		printf '\n\t%s Attributes\n' "${x%%:*}"
		echo "${x#*:}" | awk -F/ '{ printf "\t\tIdentifier Names: %s\n\t\tData Semantics:   %s\n\t\tDependency Class: %s\n", $1, $2, $3 }'
	done
	printf '\n\tArgument Types\n'
	[ $# = 0 ] && printf '\t\tNone\n'
	i=0; for t in "$@"; do printf '\t\targs[%d]: %s\n' $i "$t"; i=$((i + 1)); done
	echo
}
# the probe lines without their ids
noids() { awk '/^ *[0-9]+ / { $1 = "#"; print; next } { print }' "$@"; }
{ echo "   ID   PROVIDER            MODULE                          FUNCTION NAME"
  echo "# sched vmlinux off-cpu"
  lvblock Private/Private/Unknown Evolving/Evolving/ISA 'lwpsinfo_t *' 'psinfo_t *'; } >$OUT.want
ktrace -lvn sched:::off-cpu >$OUT 2>&1
same lv_stable_probe_report "$(cat $OUT.want)" "$(noids $OUT)"
# several descriptions: each probe its own report (-l -v -n, -m, -P)
{ echo "   ID   PROVIDER            MODULE                          FUNCTION NAME"
  echo "# proc vmlinux exit"
  lvblock Private/Private/Unknown Evolving/Evolving/ISA int
  echo "# dtrace BEGIN"
  lvblock Stable/Stable/Common Stable/Stable/Common
  echo "# lockstat vmlinux spin-spin"
  lvblock Private/Private/Unknown Evolving/Evolving/ISA 'spinlock_t *' uint64_t
  echo "# fbt vmlinux vfs_read entry"
  lvblock Private/Private/Unknown Private/Private/ISA 'struct file *' 'char *' size_t 'loff_t *'
  echo "# fbt vmlinux vfs_read return"
  lvblock Private/Private/Unknown Private/Private/ISA int64_t ssize_t
  echo "# profile tick-1s"
  lvblock Evolving/Evolving/Common Evolving/Evolving/Common; } >$OUT.want
ktrace -l -v -n proc:::exit -n dtrace:::BEGIN -n lockstat:::spin-spin -f vfs_read -n profile:::tick-1s >$OUT 2>&1
same lv_each_probe_its_report "$(cat $OUT.want)" "$(noids $OUT)"
# -l -v -s: the probes of each clause with their reports, no stability report of the script
printf 'io:::done { trace(args[0]->b_bcount); }\n' >$OUT.d
{ echo "   ID   PROVIDER            MODULE                          FUNCTION NAME"
  echo "# io vmlinux done"
  lvblock Private/Private/Unknown Evolving/Evolving/ISA 'bufinfo_t *' 'devinfo_t *' 'fileinfo_t *'; } >$OUT.want
ktrace -l -v -s $OUT.d >$OUT 2>&1
same lv_script_probes_reported "$(cat $OUT.want)" "$(noids $OUT)"

# proc:::create in the parent, arg0 the child (its pid and parent)
kt -n 'proc:::create /pid == $target/ { printf("create %d %d\n", ((struct task_struct *)arg0)->tgid, ((struct task_struct *)arg0)->real_parent->tgid - pid); }' -c "$W fork 3"
same proc_create_child "$(awk '$1 == "child" { print "create " $2 " 0" }' $OUT | sort)" "$(grep '^create ' $OUT | sort)"

# proc:::exit in the exiting process, arg0 CLD_EXITED (1), CLD_KILLED (2) or
# CLD_DUMPED (3) as the parent's wait status says
reason='{ print "exit " $2 " " ($3 == "exited" ? 1 : $3 == "killed" ? 2 : 3) }'
for w in fork kill abort; do
	kt -n 'proc:::exit /ppid == $target/ { printf("exit %d %d\n", pid, arg0); }' -c "$W $w 2"
	ktap_diag "$w: $(awk '$1 == "child" { print $3 }' $OUT | tr '\n' ' ')"
	same proc_exit_reason_$w "$(awk '$1 == "child"' $OUT | awk "$reason" | sort)" "$(grep '^exit ' $OUT | sort)"
done

# proc:::signal-send in the sender: arg0 the target, arg2 the signal
kt -n 'proc:::signal-send /pid == $target && arg2 == 15/ { printf("send %d %d\n", ((struct task_struct *)arg1)->tgid, arg2); }' -c "$W kill 2"
same proc_signal_send_args "$(awk '$1 == "child" { print "send " $2 " 15" }' $OUT | sort)" "$(grep '^send ' $OUT | sort)"

# signal-send, -handle (SIGUSR1, caught) and -discard (SIGUSR2, ignored)
kt -n 'proc:::signal-send /pid == $target && arg2 != 17/ { printf("send %d %d\n", arg2, ((struct task_struct *)arg0)->pid == tid); }
	proc:::signal-handle /pid == $target/ { printf("handle %d %d\n", arg0, ((struct kernel_siginfo *)arg1)->_sifields._kill._pid == pid); }
	proc:::signal-discard /pid == $target/ { printf("discard %d\n", arg2); }' -c "$W signal 3"
same proc_signal_send_handle_discard "send 10 1|handle 10 1|send 10 1|handle 10 1|send 10 1|handle 10 1|discard 12|" \
	"$(grep -E '^(send|handle|discard) ' $OUT | tr '\n' '|')"

# signal-handle for a fatal signal taking its default action: once per
# child, with the signal: SIGTERM (15, made a SIGKILL of the group by the
# kernel) and abort()'s SIGABRT (6, which dumps core)
for w in kill:15 abort:6; do
	kt -n 'proc:::signal-handle /ppid == $target/ { printf("handle %d %d\n", pid, arg0); }' -c "$W ${w%:*} 2"
	same proc_signal_handle_fatal_${w%:*} "$(awk -v s=${w#*:} '$1 == "child" { print "handle " $2 " " s }' $OUT | sort)" \
		"$(grep '^handle ' $OUT | sort)"
done

# threads: lwp-create (in the creator, arg0 the thread), lwp-start (in the
# thread), lwp-exit (every thread, the last one too), exit (once)
kt -n 'proc:::lwp-create /pid == $target && ((struct task_struct *)arg0)->tgid == pid && ((struct task_struct *)arg1)->pid != tid/ { c++; }
	proc:::lwp-start /pid == $target && tid != pid/ { s++; } proc:::start /pid == $target/ { st++; }
	proc:::lwp-exit /pid == $target/ { e++; } proc:::exit /pid == $target/ { x++; }
	END { printf("c=%d s=%d e=%d x=%d st=%d\n", c, s, e, x, st); }' -c "$W threads 4"
same proc_lwp_probes "c=4 s=4 e=5 x=1 st=0" "$(grep '^c=' $OUT)"

# proc:::start in the new process, before it returns from fork
kt -n 'proc:::start /ppid == $target/ { printf("start %d\n", pid); }' -c "$W fork 2"
same proc_start_child "$(awk '$1 == "child" { print "start " $2 }' $OUT | sort)" "$(grep '^start ' $OUT | sort)"

# proc:::exec-success in the new image
kt -n 'proc:::exec-success /pid == $target/ { printf("exec %s\n", execname); }' -c "$W exec 1"
same proc_exec_success "exec workload" "$(grep '^exec ' $OUT)"

# sched:::off-cpu fires in the thread leaving with arg0 the thread coming
# on, and sched:::on-cpu in that thread: every on-cpu is off-cpu's arg0
kt -n 'sched:::off-cpu { nxt[cpu] = ((struct task_struct *)arg0)->pid + 1; }
	sched:::on-cpu /nxt[cpu]/ { @[nxt[cpu] == tid + 1 ? "match" : "mismatch"] = count(); nxt[cpu] = 0; }
	sched:::on-cpu /pid == $target/ { @["on"] = count(); } sched:::off-cpu /pid == $target/ { @["off"] = count(); }
	END { printa("%s %@d\n", @); }' -c "$W sleep 30"
m=$(awk '$1 == "match" { print $2 }' $OUT); mm=$(awk '$1 == "mismatch" { print $2 }' $OUT)
on=$(awk '$1 == "on" { print $2 }' $OUT); off=$(awk '$1 == "off" { print $2 }' $OUT)
ktap_diag "on-cpu after off-cpu: ${m:-0} matched, ${mm:-0} not; target on ${on:-0} off ${off:-0}"
[ "${m:-0}" -gt 0 ] && [ -z "$mm" ] && [ "${on:-0}" -ge 2 ] && [ "$((on - off))" -ge -1 ] && [ "$((on - off))" -le 1 ] &&
	ktap_ok sched_on_off_cpu_pair || ktap_fail sched_on_off_cpu_pair "$(head -c 300 $OUT | tr '\n' '|')"

# sched:::sleep in the sleeping thread, sched:::wakeup in the waker with
# arg0 the sleeper (a nanosleep: one sleep, woken once by its timer)
kt -n 'sched:::sleep /pid == $target/ { self->slept = 1; } sched:::wakeup /((struct task_struct *)arg1)->pid == $target/ { w++; }
	syscall::nanosleep:return,syscall::clock_nanosleep:return /pid == $target && self->slept/ { n++; }
	END { printf("woken=%d after-sleep=%d\n", w > 0, n); }' -c "$W sleep 30"
same sched_sleep_wakeup "woken=1 after-sleep=1" "$(grep '^woken=' $OUT)"

# io:::start and io:::done on null_blk: the device's name, each request's
# bytes and direction; done's arg3 the bytes completed, arg4 the errno
if [ -b /dev/nullb0 ]; then
	kt -n 'io:::start /stringof(((struct request *)arg1)->q->disk->disk_name) == "nullb0"/ { printf("start %d %d\n", ((struct request *)arg0)->__data_len, ((struct request *)arg0)->cmd_flags & 0xff); }
		io:::done /stringof(((struct request *)arg1)->q->disk->disk_name) == "nullb0"/ { printf("done %d %d\n", arg3, arg4); }' \
		-c "dd if=/dev/nullb0 of=/dev/null bs=4k count=5 iflag=direct"
	same io_start_done_read "done 4096 0 x5|start 4096 0 x5|" \
		"$(grep -E '^(start|done) ' $OUT | sort | uniq -c | awk '{ print $2, $3, $4, "x" $1 }' | tr '\n' '|')"
	kt -n 'io:::start /stringof(((struct request *)arg1)->q->disk->disk_name) == "nullb0"/ { @[((struct request *)arg0)->cmd_flags & 0xff, ((struct request *)arg0)->__data_len] = count(); }
		END { printa("w %d %d %@d\n", @); }' -c "dd if=/dev/zero of=/dev/nullb0 bs=8k count=3 oflag=direct"
	same io_start_write "w 1 8192 3" "$(grep '^w ' $OUT)"
else
	ktap_missing io_start_done_read nullb0 "no /dev/nullb0 (null_blk not loaded)"
	ktap_missing io_start_write nullb0 "no /dev/nullb0 (null_blk not loaded)"
fi

# the same through the D library's translators (io.d): devinfo_t's
# major and name are /dev/nullb0's, bufinfo_t's block the sector read
if [ -b /dev/nullb0 ]; then
	kt -n 'io:::done /args[1]->dev_statname == "nullb0"/ { printf("%d %d %s %s %d %d %s\n", args[1]->dev_major, args[0]->b_edev >> 20,
		args[1]->dev_pathname, args[2]->fi_pathname, args[0]->b_blkno, args[0]->b_bcount, args[0]->b_flags & B_READ ? "R" : "W"); }' \
		-c "dd if=/dev/nullb0 of=/dev/null bs=4k count=1 skip=3 iflag=direct"
	maj=$(ls -l /dev/nullb0 | awk '{ print $5 }' | tr -d ,)
	same io_translated_dev "$maj $maj /dev/nullb0 <unknown> 24 4096 R" "$(grep ' /dev/nullb0 ' $OUT)"
else
	ktap_missing io_translated_dev nullb0 "no /dev/nullb0 (null_blk not loaded)"
fi
# psinfo_t/lwpsinfo_t of off-cpu's next thread are on-cpu's curpsinfo/curlwpsinfo
kt -n 'sched:::off-cpu { nxt[cpu] = args[0]->pr_lwpid + 1; np[cpu] = args[1]->pr_pid + 1; }
	sched:::on-cpu /nxt[cpu]/ { @[nxt[cpu] == curlwpsinfo->pr_lwpid + 1 && np[cpu] == curpsinfo->pr_pid + 1] = count(); nxt[cpu] = 0; }
	END { printa("pair %d %@d\n", @); }' -c "$W sleep 30"
same sched_translated_pair "1" "$(awk '$1 == "pair" { print $2 }' $OUT | tr '\n' ' ' | sed 's/ $//')"

# lockstat:::rw-block in the waiter once it has the lock: the faulting
# thread waits for mmap_lock as a reader (arg2 0) while the other unmaps,
# and the unmapping one as a writer (arg2 1); arg1 the time waited
same lockstat_probes_listed "adaptive-spin adaptive-block spin-spin rw-block rw-spin adaptive-acquire adaptive-acquire-error adaptive-release spin-acquire spin-release rw-acquire rw-release " "$(names lockstat)"
kt -n 'lockstat:::rw-block /pid == $target/ { @n[arg2] = count(); @t = min(arg1); }
	END { printa("rw %d %@d\n", @n); printa("min %@d\n", @t); }' -c "$W mmaplock 100"
r=$(awk '$1 == "rw" && $2 == 0 { print $3 }' $OUT); w=$(awk '$1 == "rw" && $2 == 1 { print $3 }' $OUT)
t=$(awk '$1 == "min" { print $2 }' $OUT)
ktap_diag "rw-block: ${r:-0} as reader, ${w:-0} as writer, shortest ${t:-?} ns"
[ "${r:-0}" -ge 1 ] && [ -n "$t" ] && [ "$t" -gt 0 ] && ! grep -v -E '^(rw|min) ' $OUT | grep -q . &&
	ktap_ok lockstat_rw_block_reader || ktap_fail lockstat_rw_block_reader "$(head -c 300 $OUT | tr '\n' '|')"

# nothing left registered: the kprobes of exit, start and on-cpu are gone
no_kprobe_left stable_no_kprobe_left
rm -f /tmp/core*
ktap_finished
