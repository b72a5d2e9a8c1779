#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# uregs[R_*]: the thread's user registers saved at its kernel entry, read
# in probe context and checked against what the workload's code makes
# them (ustack_fp, providers/ustack_app.c: main -> ust_a -> ust_b -> ust_c,
# whose inline "syscall" instruction makes one getppid(2)):
#  - at pid$target::ust_c:entry (a uprobe on the function's first byte),
#    R_PC is ust_c itself, with no offset, and the word at R_SP is the
#    return address into ust_b (the call just pushed it);
#  - at syscall::getppid:entry, the two bytes before R_PC are the syscall
#    instruction (0f 05) inside ust_c, R_ERR (orig_ax) is getppid's number
#    (110), R_RAX the -ENOSYS the entry code stores, R_CS and R_SS the
#    64-bit user selectors (0x33, 0x2b), R_FS the glibc thread's TLS base;
#  - in a kernel thread (the idle task) every register reads 0.
# Runs in the guest (needs /dev/ktrace).
. "$(dirname "$0")/common.sh"
app=$here/../providers/ustack_fp
[ -x "$app" ] || ktap_skip_all "providers/ustack_fp helper missing"

# check and checkre compare the first line that starts with '>' (a probe may
# fire again before exit() stops the session)
got() { grep -m1 '^>' "$tmp/out"; }
checkre() {	# NAME ERE: ktrace succeeded and got matches ERE
	g=$(got)
	if [ $rc = 0 ] && printf '%s\n' "$g" | grep -Eq "$2"; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "exit $rc, got '$g', want /$2/; $(head -n3 "$tmp/err" | tr '\n' ' ')"
	fi
}

ktap_plan 7

# a uprobe on ust_c's first instruction: R_PC is the function, exactly
run 'pid$target:ustack_fp:ust_c:entry { printf(">%A\n", uregs[R_PC]); exit(0); }' -c "$app 3"
check uregs_pc_is_probed_function "$(printf '>ustack_fp`ust_c')"

# ... and R_SP points at the return address the call pushed, into ust_b
run 'pid$target:ustack_fp:ust_c:entry { printf(">%A\n", *(uint64_t *)copyin(uregs[R_SP], 8)); exit(0); }' \
	-c "$app 3"
checkre uregs_sp_holds_return_address '^>ustack_fp`ust_b\+0x[0-9a-f]+$'

# at the system call: the instruction before the saved PC is "syscall", in ust_c
run 'syscall::getppid:entry /pid == $target/ {
	printf(">%x %A\n", *(uint16_t *)copyin(uregs[R_PC] - 2, 2), uregs[R_PC]); exit(0); }' -c "$app 3"
checkre uregs_pc_after_syscall_insn '^>50f ustack_fp`ust_c\+0x[0-9a-f]+$'

# orig_ax is the system call's number, ax the -ENOSYS the entry code stores
run 'syscall::getppid:entry /pid == $target/ {
	printf(">%d %d %d\n", uregs[R_ERR], (int64_t)uregs[R_RAX], uregs[R_EAX] == uregs[R_R0]); exit(0); }' -c "$app 3"
check uregs_err_is_syscall_number ">110 -38 1"

# the 64-bit user code and stack segment selectors
run 'syscall::getppid:entry /pid == $target/ { printf(">%x %x\n", uregs[R_CS], uregs[R_SS]); exit(0); }' -c "$app 3"
check uregs_cs_ss_user_selectors ">33 2b"

# R_FS is the thread's fs base: glibc's TLS block, never 0 in a glibc program
run 'syscall::getppid:entry /pid == $target/ {
	printf(">%d %d\n", uregs[R_FS] != 0, uregs[R_FS] == curthread->thread.fsbase); exit(0); }' -c "$app 3"
check uregs_fs_is_tls_base ">1 1"

# a kernel thread has no user registers: 0, as uregs_pc and ucaller
run 'profile-997 /pid == 0/ {
	printf(">%d %d %d\n", uregs[R_PC], uregs[R_SP], uregs[R_TRAPNO]); exit(0); }'
check uregs_zero_in_kernel_thread ">0 0 0"
ktap_finished
