#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The lock subroutines on the kernel's own rwlocks and mutexes, at points
# where the calling thread's hold is certain:
#  - entering read_unlock() (_raw_read_unlock, rt_read_unlock under
#    PREEMPT_RT) the caller holds the lock for reading: rw_read_held() is
#    non-zero and rw_write_held() zero (no writer can hold it then);
#  - entering write_unlock() (_raw_write_unlock*, rt_write_unlock) the
#    caller holds it for writing: rw_write_held() and rw_iswriter() non-zero;
#  - entering mutex_unlock() the caller owns the mutex: mutex_owned() is 1
#    and mutex_owner() is curthread;
#  - a pointer that reaches no memory is an invalid address error.
# Every firing's values are folded into min/max (so one wrong value shows),
# while a workload forks, exits and is waited for (tasklist_lock among
# others).  Runs in the guest (needs /dev/ktrace).
. "$(dirname "$0")/common.sh"

if uname -v | grep -q PREEMPT_RT; then
	ru=fbt::rt_read_unlock:entry
	wu=fbt::rt_write_unlock:entry
else
	ru=fbt::_raw_read_unlock:entry
	wu="fbt::_raw_write_unlock:entry, fbt::_raw_write_unlock_irq:entry, fbt::_raw_write_unlock_irqrestore:entry, fbt::_raw_write_unlock_bh:entry"
fi
work='sh -c "for i in 1 2 3 4 5 6 7 8; do /bin/true; done"'

run() {	# PROGRAM: stdout in $tmp/out, stderr in $tmp/err, status in $rc
	timeout 120 "$ktrace" -q -Z -n "$1" -c "$work" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}
got() { grep '^>' "$tmp/out" | tr '\n' ' '; }	# check compares the '>' lines, each followed by ' '

ktap_plan 4

# args[0] of each unlock function is its rwlock_t *, typed from BTF
prog=""
for p in $(echo "$ru" | tr -d ' ' | tr ',' ' '); do
	prog="$prog $p { @n = count(); @rlo = min(rw_read_held(args[0]) != 0);
		@rhi = max(rw_read_held(args[0]) != 0); @wlo = min(rw_write_held(args[0]) != 0);
		@whi = max(rw_write_held(args[0]) != 0); }"
done
run "$prog END { printa(\">read held %@d..%@d\n\", @rlo, @rhi);
	printa(\">write held %@d..%@d\n\", @wlo, @whi); printa(\">some %@d\n\", @n); }"
# the count is only checked to be there: '>some N' with N > 0
sed -i 's/^>some [1-9][0-9]*$/>some/' "$tmp/out"
check rw_read_held_by_reader ">read held 1..1 >write held 0..0 >some "

prog=""
for p in $(echo "$wu" | tr -d ' ' | tr ',' ' '); do
	prog="$prog $p { @n = count(); @wlo = min(rw_write_held(args[0]) != 0);
		@whi = max(rw_write_held(args[0]) != 0); @ilo = min(rw_iswriter(args[0]) != 0);
		@ihi = max(rw_iswriter(args[0]) != 0); }"
done
run "$prog END { printa(\">write held %@d..%@d\n\", @wlo, @whi);
	printa(\">iswriter %@d..%@d\n\", @ilo, @ihi); printa(\">some %@d\n\", @n); }"
sed -i 's/^>some [1-9][0-9]*$/>some/' "$tmp/out"
check rw_write_held_by_writer ">write held 1..1 >iswriter 1..1 >some "

run 'fbt::mutex_unlock:entry { @n = count(); @olo = min(mutex_owned(args[0]));
	@ohi = max(mutex_owned(args[0])); @clo = min(mutex_owner(args[0]) == curthread);
	@chi = max(mutex_owner(args[0]) == curthread); }
	END { printa(">owned %@d..%@d\n", @olo, @ohi);
	printa(">owner is curthread %@d..%@d\n", @clo, @chi); printa(">some %@d\n", @n); }'
sed -i 's/^>some [1-9][0-9]*$/>some/' "$tmp/out"
check mutex_owned_by_unlocker ">owned 1..1 >owner is curthread 1..1 >some "

# the owner word is read at 16 + its offset in struct mutex (0, or 24 in an
# rt_mutex): that address, unmapped, is the error's
timeout 60 "$ktrace" -q -n 'BEGIN { trace(mutex_owned((struct mutex *)16)); exit(0); }' \
	>"$tmp/out" 2>"$tmp/err" </dev/null
a=$(sed -n 's/.*invalid address (\(0x[0-9a-f]*\)).*/\1/p' "$tmp/err" | head -n1)
if [ -n "$a" ] && [ $((a)) -ge 16 ] && [ $((a)) -lt 80 ]; then
	ktap_ok mutex_owned_bad_pointer_is_invalid_address
else
	ktap_fail mutex_owned_bad_pointer_is_invalid_address "$(head -n3 "$tmp/err" | tr '\n' ' ')"
fi
