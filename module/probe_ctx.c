// SPDX-License-Identifier: GPL-2.0
/*
 * probe_ctx.c: what probe context needs below the dispatcher: the per-CPU
 * recursion guard, the firing's first clock read, and ktrace's own text
 * (never probed).  The lowest layer of the probe core: probe.c (the
 * dispatcher), buffer.c and env.c call it, it calls no other file of the
 * module.
 *
 * Locks (order in ktrace_internal.h): none; per-CPU state only.
 *   per-CPU ktrace_in_probe  the recursion guard, touched by its own CPU
 *                        with interrupts disabled only: by a firing
 *                        (probe.c:probe_fire), and by code that changes
 *                        per-CPU state a firing in an NMI could also
 *                        change (ktrace_probe_guard_*: buffer.c's
 *                        speculation commits, env.c's dynamic variable
 *                        lock).  An NMI runs to completion before the code
 *                        it interrupted resumes, so a plain flag is enough.
 *   per-CPU ktrace_firing_t0 its own CPU in probe context only: reset by
 *                        each firing (probe.c), set by its first clock
 *                        read (env.c).
 */
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/lockdep.h>
#include "ktrace_internal.h"

DEFINE_PER_CPU(int, ktrace_in_probe);
/* when the CPU's current firing read the clock first (0: not yet), env.c */
DEFINE_PER_CPU(u64, ktrace_firing_t0);

bool ktrace_is_own_text(unsigned long addr)
{
	return within_module(addr, THIS_MODULE);
}

bool ktrace_probe_guard_enter(void)
{
	int *guard = this_cpu_ptr(&ktrace_in_probe);

	lockdep_assert_irqs_disabled();
	if (*guard)
		return false;
	*guard = 1;
	barrier();
	return true;
}

void ktrace_probe_guard_exit(void)
{
	barrier();
	__this_cpu_write(ktrace_in_probe, 0);
}
