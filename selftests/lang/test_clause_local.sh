#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Clause-local variables (this->) as DTrace keeps them: each CPU has the
# session's own storage for them, which nothing clears between firings.
#  - a value stored at a read(2)'s entry is there at its return, a later
#    firing (the workload is pinned to CPU 0, so both fire there): DTrace's
#    own funcs/tst.mutex_owned.d does the same with mutex_lock();
#  - the clauses of one firing see each other's values (each read's size);
#  - with reads that take turns on CPU 0 and CPU 1, each CPU's first firing
#    reads 0 (the session's storage starts zeroed) and every later one the
#    value the previous firing on the same CPU stored, never the other
#    CPU's; a second session starts from 0 again.
# The workload is bufload's (buffers/): its reads are the only ones from
# fd 42.  Runs in the guest (needs /dev/ktrace).
. "$(dirname "$0")/common.sh"
B=$here/../buffers/bufload
[ -x "$B" ] || ktap_skip_all "no $B"

ktap_plan 4

# the entry's timestamp, kept in this-> and in self->: equal at the return
run 'syscall::read:entry /pid == $target && arg0 == 42/ { this->ts = timestamp; self->ts = this->ts; }
	syscall::read:return /self->ts/ { @n = count(); @lo = min(this->ts == self->ts);
		@hi = max(this->ts == self->ts); self->ts = 0; }
	END { printa(">same %@d..%@d\n", @lo, @hi); printa(">n %@d\n", @n); }' \
	-c "env BUFLOAD_CPU=0 $B reads 40"
check value_of_entry_read_at_return ">same 1..1|>n 40|"

# reads of 1..40 bytes: each firing's own size, not an earlier firing's
run 'syscall::read:entry /pid == $target && arg0 == 42/ { this->k = arg2 * 3 + 1; }
	syscall::read:entry /pid == $target && arg0 == 42/ { @n = count();
		@lo = min(this->k == arg2 * 3 + 1); @hi = max(this->k == arg2 * 3 + 1); }
	END { printa(">same %@d..%@d\n", @lo, @hi); printa(">n %@d\n", @n); }' \
	-c "$B reads 40"
check clauses_of_a_firing_share ">same 1..1|>n 40|"

# reads of 1..40 bytes, the odd ones on CPU 0 and the even ones on CPU 1,
# each after the other's: CPU c stores c + 1 and reads 0 first, then c + 1
pp='syscall::read:entry /arg0 == 42 && execname == "bufload"/ { @n[cpu] = count();
	@lo[cpu] = min(this->last); @hi[cpu] = max(this->last); this->last = cpu + 1; }
	END { printa(">cpu %d: %@d reads, %@d..%@d\n", @n, @lo, @hi); }'
if [ "$(nproc)" -lt 2 ]; then
	ktap_skip per_cpu_values_kept_across_firings "one CPU online"
	ktap_skip new_session_starts_from_zero "one CPU online"
else
	run "$pp" -c "$B pingpong 20"
	check per_cpu_values_kept_across_firings ">cpu 0: 20 reads, 0..1|>cpu 1: 20 reads, 0..2|"
	run "$pp" -c "$B pingpong 20"
	check new_session_starts_from_zero ">cpu 0: 20 reads, 0..1|>cpu 1: 20 reads, 0..2|"
fi
ktap_finished
