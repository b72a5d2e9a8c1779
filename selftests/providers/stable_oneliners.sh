#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The classic one-liners of the stable providers (DTrace's documentation,
# the DTrace book, the one-liner pages), run unchanged through the D
# library's translators (user/lib/proc.d, sched.d, io.d), each on a
# workload this test controls, each with the output that workload must
# give: the translated members agree with what the workload says it did.
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
[ -x ./workload ] || ktap_skip_all "workload helper missing"

W=$(pwd)/workload
OUT=/tmp/stable_oneliners.$$
ktap_plan 10

kt() { ktrace -q "$@" >$OUT 2>&1; }
same() {
	if [ -n "$2" ] && [ "$2" = "$3" ]; then ktap_ok "$1"
	else ktap_fail "$1" "wanted '$(echo "$2" | tr '\n' '|')', got '$(echo "$3" | tr '\n' '|')' ($(head -c 400 $OUT | tr '\n' '|'))"; fi
}

# new processes: the exec'd image's name
kt -n 'proc:::exec-success { trace(curpsinfo->pr_fname); }' -c "$W exec 1"
same oneliner_exec_success_fname "workload" "$(grep -o 'workload' $OUT | head -n1)"

# process creation, child pid and parent from psinfo_t
kt -n 'proc:::create /pid == $target/ { printf("%d %d\n", args[0]->pr_pid, args[0]->pr_ppid); }' -c "$W fork 3"
same oneliner_create_psinfo "$(awk '$1 == "child" { print $2 }' $OUT | sort)" \
	"$(awk 'NF == 2 && $1 ~ /^[0-9]+$/ { print $1 }' $OUT | sort)"
pp=$(awk 'NF == 2 && $1 ~ /^[0-9]+$/ { print $2 }' $OUT | sort -u)
[ -n "$pp" ] && [ "$(echo "$pp" | wc -l)" = 1 ] && ktap_ok oneliner_create_ppid_is_target ||
	ktap_fail oneliner_create_ppid_is_target "ppids '$pp'"

# signals by sender, recipient and number (sig.d)
kt -n 'proc:::signal-send { @[execname, stringof(args[1]->pr_fname), args[2]] = count(); }' -c "$W kill 3"
same oneliner_signal_send "workload workload 15 3" "$(awk '$1 == "workload" && $3 == 15 { print $1, $2, $3, $4 }' $OUT)"

# exit reasons
kt -n 'proc:::exit /ppid == $target/ { @[args[0] == CLD_KILLED ? "killed" : args[0] == CLD_EXITED ? "exited" : "dumped"] = count(); }' -c "$W kill 2"
same oneliner_exit_reason "killed 2" "$(awk 'NF == 2 { print $1, $2 }' $OUT)"

# threads created: lwpsinfo_t's id is a thread of the creator's process
kt -n 'proc:::lwp-create /pid == $target/ { @[args[0]->pr_lwpid != pid && args[1]->pr_pid == pid] = count(); }' -c "$W threads 3"
same oneliner_lwp_create "1 3" "$(awk 'NF == 2 { print $1, $2 }' $OUT)"

# on-CPU time per CPU (the DTrace guide's sched example): one
# distribution per CPU, every value counted
kt -n 'sched:::on-cpu { self->ts = timestamp; } sched:::off-cpu /self->ts/ { @[cpu] = quantize(timestamp - self->ts); self->ts = 0; }' -c "$W sleep 30"
n=$(grep -c 'value  ---' $OUT)
[ "$n" -ge 1 ] && [ "$n" -le "$(grep -c ^processor /proc/cpuinfo)" ] && ktap_ok oneliner_oncpu_quantize ||
	ktap_fail oneliner_oncpu_quantize "$n distributions: $(head -c 300 $OUT | tr '\n' '|')"

# who wakes the target: the woken thread is the target's
kt -n 'sched:::wakeup /args[1]->pr_pid == $target/ { @[args[0]->pr_lwpid == $target] = count(); }' -c "$W sleep 30"
same oneliner_wakeup_lwpsinfo "1" "$(awk 'NF == 2 { print $1 }' $OUT)"

if [ -b /dev/nullb0 ]; then
	# I/O size distribution by process (iosnoop's classic)
	kt -n 'io:::start { @size[execname] = quantize(args[0]->b_bcount); }' -c "dd if=/dev/nullb0 of=/dev/null bs=8k count=4 iflag=direct"
	same oneliner_io_size_quantize "8192 4" "$(awk '$1 == 8192 { print $1, $NF }' $OUT)"
	# bytes by device and direction (the DTrace guide's io example)
	kt -n 'io:::start { @[args[1]->dev_statname, args[0]->b_flags & B_READ ? "R" : "W"] = sum(args[0]->b_bcount); }' \
		-c "dd if=/dev/zero of=/dev/nullb0 bs=4k count=3 oflag=direct"
	same oneliner_io_dev_bytes "nullb0 W 12288" "$(awk '$1 == "nullb0" { print $1, $2, $3 }' $OUT)"
else
	ktap_missing oneliner_io_size_quantize nullb0 "no /dev/nullb0 (null_blk not loaded)"
	ktap_missing oneliner_io_dev_bytes nullb0 "no /dev/nullb0 (null_blk not loaded)"
fi
rm -f $OUT
ktap_finished
