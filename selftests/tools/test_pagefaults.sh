#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# pagefaults -c on toolwork faults 100: touch_pages writes to 100 new pages
# (100 user-mode faults with touch_pages on the user stack), read_pages reads
# /dev/zero into 100 more (100 kernel-mode faults under vfs_read).
. "$(dirname "$0")/lib.sh"
ktap_plan 7
usage_checks pagefaults
pagefaults -u -k >$OUT 2>&1; rc=$?
[ $rc -eq 2 ] && ktap_ok pagefaults_u_k_exclusive || ktap_fail pagefaults_u_k_exclusive "status $rc"
# faults SECTION FRAME: the faults of the stacks of SECTION ("user-mode" or
# "kernel-mode") that have a frame starting with FRAME, summed
faults() {
	awk -v sec="$1" -v f="$2" '
	/^(user|kernel)-mode faults by process/ { on = index($0, sec) == 1; has = 0; next }
	!on { next }
	NF == 1 && $1 ~ /^[0-9]+$/ { if (has) s += $1; has = 0; next }
	{ for (i = 1; i <= NF; i++) if (index($i, f) == 1) has = 1 }
	END { print s + 0 }' $OUT
}
pagefaults -c "$W faults 100" >$OUT 2>&1
n=$(faults user-mode 'toolwork`touch_pages+')
[ "$n" = 100 ] && ktap_ok pagefaults_user_stack_exact ||
	ktap_fail pagefaults_user_stack_exact "$n faults under touch_pages, wanted 100: $(tr '\n' '|' <$OUT | head -c 900)"
n=$(faults kernel-mode 'vfs_read+')
[ "$n" = 100 ] && ktap_ok pagefaults_kernel_stack_exact ||
	ktap_fail pagefaults_kernel_stack_exact "$n faults under vfs_read, wanted 100: $(tr '\n' '|' <$OUT | tail -c 900)"
# the totals: at least the 100 of each kind
u=$(sed -n 's/^user-mode page faults: \([0-9]*\)$/\1/p' $OUT)
k=$(sed -n 's/^kernel-mode page faults: \([0-9]*\)$/\1/p' $OUT)
[ "${u:-0}" -ge 100 ] && [ "${k:-0}" -ge 100 ] && ktap_ok pagefaults_totals ||
	ktap_fail pagefaults_totals "user '$u' kernel '$k'"
# -u: no kernel-mode section
pagefaults -u -c "$W faults 10" >$OUT 2>&1
if [ "$(faults user-mode 'toolwork`touch_pages+')" = 10 ] && ! grep -q '^kernel-mode' $OUT; then
	ktap_ok pagefaults_user_only
else ktap_fail pagefaults_user_only "$(tr '\n' '|' <$OUT | head -c 600)"; fi
ktap_finished
