#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Kernel structures through BTF (/sys/kernel/btf/vmlinux): curthread is a
# struct task_struct *, struct casts, -> and . chains, char arrays as
# strings, arrays of structs; each value is checked against what the
# kernel says another way (built-in variables, the file a workload reads).
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
[ -x ./workload ] || ktap_skip_all "workload helper missing"
[ -r /sys/kernel/btf/vmlinux ] || ktap_missing_all btf "the kernel has no BTF (/sys/kernel/btf/vmlinux)"

W=$(pwd)/workload
OUT=/tmp/btf.$$
trap 'rm -f $OUT' EXIT
ktap_plan 9

kt() { ktrace -q "$@" >$OUT 2>&1; }
expect() {
	if grep -qx "$2" $OUT; then ktap_ok "$1"; else ktap_fail "$1" "wanted '$2', got: $(head -c 300 $OUT | tr '\n' '|')"; fi
}

# task_struct members agree with the built-in variables
kt -n 'syscall::read:entry /pid == $target/ {
	printf("%d %d %d %d\n", curthread->pid == tid, curthread->tgid == pid,
	    curthread->real_parent->tgid == ppid, curthread->cred->uid.val == uid);
	exit(0); }' -c "$W read 3"
expect curthread_members_match_builtins "1 1 1 1"

# a char array member is a string
kt -n 'syscall::read:entry /pid == $target/ { printf("%s|%s\n", curthread->comm, execname); exit(0); }' \
	-c "$W read 3"
expect char_array_member_is_string "workload|workload"

# a cast argument, -> and . through nested structs: the file vfs_read() reads
kt -n 'fbt::vfs_read:entry /pid == $target/ {
	this->f = (struct file *)arg0;
	printf("%s\n", stringof(this->f->f_path.dentry->d_name.name)); exit(0); }' -c "$W read 3"
expect struct_cast_member_chain "zero"

# an array of structs inside a struct: the pid as the pid namespace sees it
kt -n 'syscall::read:entry /pid == $target/ {
	this->p = curthread->thread_pid;
	printf("%d\n", this->p->numbers[this->p->level].nr == tid); exit(0); }' -c "$W read 3"
expect array_of_structs_indexed "1"

# fbt args[] typed from the function's prototype (BTF): entry and return
kt -n 'fbt::vfs_read:entry /pid == $target/ {
	printf("%s %d\n", stringof(args[0]->f_path.dentry->d_name.name), args[2]); exit(0); }' -c "$W read 3"
expect fbt_entry_args_typed "zero 7"
kt -n 'fbt::vfs_read:return /pid == $target/ { printf("%d\n", args[1]); exit(0); }' -c "$W read 3"
expect fbt_return_value_typed "7"

# *p is the struct, (*p).m its member
kt -n 'syscall::read:entry /pid == $target/ { printf("%d\n", (*curthread).tgid == pid); exit(0); }' \
	-c "$W read 3"
expect deref_then_dot "1"

# a bad pointer faults in probe context: reported, the session goes on
kt -n 'BEGIN { trace(((struct task_struct *)16)->pid); } BEGIN { printf("after\n"); exit(0); }'
if grep -q "invalid address" $OUT && grep -qx "after" $OUT; then ktap_ok bad_struct_pointer_faults_safely
else ktap_fail bad_struct_pointer_faults_safely "$(head -c 300 $OUT | tr '\n' '|')"; fi

# an unknown member is a compile-time error naming the struct
if ! ktrace -e -n 'BEGIN { trace(curthread->no_such_member); }' >$OUT 2>&1 &&
	grep -q "struct task_struct has no member named no_such_member" $OUT; then
	ktap_ok unknown_member_diagnosed
else ktap_fail unknown_member_diagnosed "$(head -c 300 $OUT | tr '\n' '|')"; fi

ktap_finished
