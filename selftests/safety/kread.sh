#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ldk, the interpreter's kernel load, reads inline (kt_compat.h,
# ktrace_kread_word) with copy_from_kernel_nofault()'s rules.  Each width
# reads the right bytes of a value the test knows (its own pid, through
# curthread), and each address the rules refuse or the page tables lack
# is an "invalid address" error of the clause, never a fault of the
# kernel: a non-canonical address, the vsyscall page, the unmapped guard
# hole below the direct map.  The kernel log stays clean.
cd "$(dirname "$0")" || exit 1
. ./common.sh
ktap_plan 8
mark=$(klog_mark)

kt() { timeout 60 ktrace -q "$@" >$T/out 2>$T/err; echo $? >$T/rc; }
rc() { cat $T/rc; }
diag() { echo "rc=$(rc) out='$(head -c 200 $T/out | tr '\n' '|')' err='$(head -c 300 $T/err | tr '\n' '|')'"; }

# 1, 2, 4 and 8 bytes of curthread->pid, the pid of the -c child (sleep):
# the low byte, the low half, the word, and the word with its neighbour
# (tgid, the same for a single-threaded child) above it
kt -c 'sleep 0.2' -n 'syscall:::entry /pid == $target/ {
	printf("%d %d %d %d %d\n", pid,
	    *(uint8_t *)&curthread->pid, *(uint16_t *)&curthread->pid,
	    *(int32_t *)&curthread->pid,
	    (*(uint64_t *)&curthread->pid) >> 32);
	exit(0); }'
read -r p b h w hi <$T/out
if [ "$(rc)" = 0 ] && [ -n "$p" ] && [ "$b" = $((p & 255)) ] && [ "$h" = $((p & 65535)) ] &&
   [ "$w" = "$p" ] && [ "$hi" = "$p" ]; then
	ktap_ok load_widths_read_the_right_bytes
else
	ktap_fail load_widths_read_the_right_bytes "$(diag)"
fi

# a signed byte load sign-extends: -1 stored in a kernel word reads as -1
# (the top byte of a kernel pointer, 0xff, read as int8_t)
kt -n 'BEGIN { printf("%d\n", *((int8_t *)&curthread->stack + 7)); exit(0); }'
if [ "$(rc)" = 0 ] && grep -qx -- '-1' $T/out; then
	ktap_ok signed_byte_load_sign_extends
else
	ktap_fail signed_byte_load_sign_extends "$(diag)"
fi

# refused_address NAME ADDR: reading ADDR is an invalid-address error of
# the clause, the session goes on to its next clause
refused_address() {
	kt -n "BEGIN { trace(*(uint64_t *)$2); } BEGIN { printf(\"after\\n\"); exit(0); }"
	if grep -q 'invalid address' $T/err && grep -qx after $T/out; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "$(diag)"
	fi
}
refused_address noncanonical_address_is_invalid 0x8000000000000000
refused_address vsyscall_page_is_invalid 0xffffffffff600000
# the guard hole of the x86-64 layout (reserved for a hypervisor, never
# mapped in this guest): a real page fault, fixed up by the exception table
refused_address unmapped_kernel_address_is_invalid 0xffff800000001000

# an aggregation keyed on a string in kernel memory (aggks: the string read
# straight into the key): the -c child's comm, as a char array member and
# through stringof(), is the key execname gives, with the same count
kt -c 'sleep 0.2' -n 'syscall:::entry /pid == $target/ {
	@a[curthread->comm] = count(); @b[stringof(curthread->comm)] = count();
	@c[execname] = count(); }
	END { printa("a %s %@d\n", @a); printa("b %s %@d\n", @b); printa("c %s %@d\n", @c); }'
a=$(sed -n 's/^a //p' $T/out) b=$(sed -n 's/^b //p' $T/out) c=$(sed -n 's/^c //p' $T/out)
if [ "$(rc)" = 0 ] && [ "${c% *}" = sleep ] && [ "${c#* }" -gt 3 ] && [ "$a" = "$c" ] && [ "$b" = "$c" ]; then
	ktap_ok agg_key_from_kernel_string_is_the_string
else
	ktap_fail agg_key_from_kernel_string_is_the_string "a='$a' b='$b' c='$c' $(diag)"
fi

# ... and one at an address the page tables lack is an invalid-address
# error of its clause, the next clause runs
kt -n 'BEGIN { @[stringof((char *)0xffff800000001000)] = count(); } BEGIN { printf("after\n"); exit(0); }'
if grep -q 'invalid address' $T/err && grep -qx after $T/out; then
	ktap_ok agg_key_from_unmapped_kernel_string_is_invalid
else
	ktap_fail agg_key_from_unmapped_kernel_string_is_invalid "$(diag)"
fi

ktap_result kernel_log_clean klog_clean $mark
ktap_finished
