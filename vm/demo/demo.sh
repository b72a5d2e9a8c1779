#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`: a short ktrace showcase, run inside the vm/run guest.
set -u
banner() { printf '\n=== %s\n$ %s\n' "$1" "$2"; }

# A workload that makes syscalls from a few differently named processes.
workload() {
	end=$(($(date +%s) + $1))
	while [ "$(date +%s)" -lt "$end" ]; do
		cat /proc/version >/dev/null
		cat /etc/passwd /etc/hosts >/dev/null; ls /sys/kernel/tracing >/dev/null
		for bs in 1 16 100 512 4096 65536; do
			dd if=/dev/zero of=/dev/null bs=$bs count=32 2>/dev/null
		done
	done
}

rc=0
p='syscall:::entry { @[execname] = count(); } tick-1s { exit(0); }'
banner "system calls by process name, for one second" "ktrace -n '$p'"
workload 4 &
ktrace -n "$p" || rc=1
wait

p='syscall::read:return /execname == "dd"/ { @["read(2) bytes"] = quantize(arg0); } tick-1s { exit(0); }'
banner "histogram of read(2) sizes returned to dd" "ktrace -n '$p'"
workload 4 &
ktrace -n "$p" || rc=1
wait

p='syscall::openat:entry { @[execname, copyinstr(arg1)] = count(); } tick-1s { exit(0); }'
banner "files opened, by process" "ktrace -q -n '$p'"
workload 3 &
ktrace -q -n "$p" || rc=1
wait

# ktrace-lab: simulated problems to solve with ktrace (docs/labs.md)
if [ -x bin/ktrace-lab ]; then
	export PATH="$(pwd)/bin:$PATH" KTRACE_LAB_DIR="$(pwd)/labs"
	banner "ktrace-lab: learn ktrace by solving simulated problems" "ktrace-lab list"
	ktrace-lab list || rc=1
	banner "start lab 1: a workload with a planted problem, and its symptom" "ktrace-lab start 1"
	ktrace-lab start 1 || rc=1
	banner "a hint, if you need one" "ktrace-lab hint 1"
	ktrace-lab hint 1 || rc=1
	banner "the reference solution (ktrace commands), run" "ktrace-lab solution 1 | sh"
	ktrace-lab solution 1 | sh | tee /tmp/lab1.answer
	banner "is that the culprit?" "ktrace-lab check 1 \"$(tail -n 1 /tmp/lab1.answer)\""
	ktrace-lab check 1 "$(tail -n 1 /tmp/lab1.answer)" || rc=1
	ktrace-lab stop 1 || rc=1
fi
exit $rc
