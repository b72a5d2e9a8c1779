/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_phase.h: the cuts of the fbt firing path, for measuring it per
 * phase (selftests/bench/fbt-phase).  A module built with
 * -DKTRACE_BENCH_CUT=N (for probe.c and prov_fbt.c only) ends every fbt
 * firing right after phase N; BEGIN and END (fired by the session, with
 * `only` set) run whole, so a tracer still starts and stops.  Without the
 * define KTRACE_BENCH_STOP() is false and every cut compiles away: the
 * production module's code is the same as without them.
 *
 * The phases, in firing order (selftests/bench/fbt-phase reads their
 * numbers and names from the KTRACE_BENCH_CUT lines below, their
 * descriptions from the comment line above each):
 */
#ifndef _KTRACE_BENCH_PHASE_H
#define _KTRACE_BENCH_PHASE_H

/* ftrace's trampoline (SAVE_REGS) has called fbt_ftrace_handler */
#define KTRACE_BENCH_CUT_CALLBACK	1	/* KTRACE_BENCH_CUT callback */
/* ftrace's recursion lock taken (preemption off), regs and RCU checked */
#define KTRACE_BENCH_CUT_RECURSION	2	/* KTRACE_BENCH_CUT recursion */
/* the probe found by ip in fbt_hash */
#define KTRACE_BENCH_CUT_LOOKUP		3	/* KTRACE_BENCH_CUT lookup */
/* struct ktrace_fire built (ktrace_fire_init, 6 args), ktrace_probe_fire called */
#define KTRACE_BENCH_CUT_FIRE_INIT	4	/* KTRACE_BENCH_CUT fire_init */
/* ECB list tested, frame taken, interrupts saved and disabled */
#define KTRACE_BENCH_CUT_IRQ_OFF	5	/* KTRACE_BENCH_CUT irq_off */
/* NMI and recursion guard tested and set, firing_t0 and the names set */
#define KTRACE_BENCH_CUT_GUARD		6	/* KTRACE_BENCH_CUT guard */
/* the first ECB: its session's state tested (ecb_may_run) */
#define KTRACE_BENCH_CUT_STATE		7	/* KTRACE_BENCH_CUT state */
/* the deadman's clock read and test, state tested again */
#define KTRACE_BENCH_CUT_DEADMAN	8	/* KTRACE_BENCH_CUT deadman */
/* per-firing state reset, ktrace_vm_firing_begin() */
#define KTRACE_BENCH_CUT_FIRING_BEGIN	9	/* KTRACE_BENCH_CUT firing_begin */
/* (no cut, the production build: ecb_run, the clause's run; the whole firing) */

#ifdef KTRACE_BENCH_CUT
#define KTRACE_BENCH_STOP(cut)	((cut) == KTRACE_BENCH_CUT)
#else
#define KTRACE_BENCH_STOP(cut)	false
#endif

#endif /* _KTRACE_BENCH_PHASE_H */
