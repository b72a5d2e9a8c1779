// SPDX-License-Identifier: GPL-2.0
/*
 * The sched provider (DTrace's stable scheduler probes) on Linux's
 * scheduler tracepoints, and a kprobe where Linux has none:
 *   off-cpu         sched_switch, in the thread leaving the CPU; arg0,
 *                   arg1 the task_struct of the thread coming on
 *   sleep, preempt  sched_switch, just before off-cpu: sleep when the
 *                   thread blocks (it leaves in a sleeping state, not
 *                   preempted), preempt when it is preempted
 *   on-cpu          kprobe on finish_task_switch(), the first thing a
 *                   thread runs after the switch, in that thread (the
 *                   tracepoints of the switch all fire in the thread
 *                   leaving); the compiler may have renamed it
 *                   (finish_task_switch.isra.0)
 *   wakeup          sched_waking, in the waker; arg0, arg1 the woken
 *                   thread's task_struct
 *   change-pri      sched_pi_setprio (priority inheritance: Linux has no
 *                   tracepoint for other priority changes); arg2 the new
 *                   Linux priority (0..139, lower runs first)
 * Locks and contexts: see stable.h.  sched_switch and finish_task_switch
 * run with the runqueue lock held and interrupts off: the hooks take no
 * lock and never wake anything (the session's wakeup is an irq_work).
 */
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/minmax.h>

#include "stable.h"

enum { SS_SWITCH, SS_ONCPU, SS_WAKING, SS_PRIO };

static void sched_switch(void *data, bool preempt, struct task_struct *prev,
			 struct task_struct *next, unsigned int prev_state)
{
	if (preempt)
		kt_sp_fire(KTRACE_SP_SCHED_PREEMPT, NULL, 0, 0, 0, 0, 0, 0);
	else if (prev_state)
		kt_sp_fire(KTRACE_SP_SCHED_SLEEP, NULL, 0, 0, 0, 0, 0, 0);
	kt_sp_fire(KTRACE_SP_SCHED_OFF_CPU, NULL, (unsigned long)next,
		   (unsigned long)next, 0, 0, 0, 0);
}

static int sched_on_cpu(struct kprobe *kp, struct pt_regs *regs)
{
	kt_sp_fire(KTRACE_SP_SCHED_ON_CPU, regs, 0, 0, 0, 0, 0, 0);
	return 0;
}
NOKPROBE_SYMBOL(sched_on_cpu);

static void sched_waking(void *data, struct task_struct *p)
{
	kt_sp_fire(KTRACE_SP_SCHED_WAKEUP, NULL, (unsigned long)p, (unsigned long)p,
		   0, 0, 0, 0);
}

static void sched_prio(void *data, struct task_struct *tsk, struct task_struct *pi_task)
{
	int prio = pi_task ? min(tsk->normal_prio, pi_task->prio) : tsk->normal_prio;

	kt_sp_fire(KTRACE_SP_SCHED_CHANGE_PRI, NULL, (unsigned long)tsk,
		   (unsigned long)tsk, prio, 0, 0, 0);
}

static struct kt_sp_source sched_src[] = {
	[SS_SWITCH] = { .name = "sched_switch", .hook = sched_switch },
	[SS_ONCPU]  = { .name = "finish_task_switch", .alt = "finish_task_switch.isra.0",
			.is_kprobe = true, .pre = sched_on_cpu },
	[SS_WAKING] = { .name = "sched_waking", .hook = sched_waking },
	[SS_PRIO]   = { .name = "sched_pi_setprio", .hook = sched_prio },
};

static const struct kt_sp_need sched_need[] = {
	{ KTRACE_SP_SCHED_ON_CPU,	BIT(SS_ONCPU) },
	{ KTRACE_SP_SCHED_OFF_CPU,	BIT(SS_SWITCH) },
	{ KTRACE_SP_SCHED_SLEEP,	BIT(SS_SWITCH) },
	{ KTRACE_SP_SCHED_PREEMPT,	BIT(SS_SWITCH) },
	{ KTRACE_SP_SCHED_WAKEUP,	BIT(SS_WAKING) },
	{ KTRACE_SP_SCHED_CHANGE_PRI,	BIT(SS_PRIO) },
};

static bool sched_match(const char *provname)
{
	return !strcmp(provname, "sched");
}

extern struct kt_sp_provider kt_sp_sched;	/* below: its callbacks name it */

static int sched_init(void)
{
	return kt_sp_init_provider(&kt_sp_sched);
}

static void sched_exit(void)
{
	kt_sp_exit_provider(&kt_sp_sched);
}

static int sched_populate(void)
{
	return kt_sp_populate_provider(&kt_sp_sched);
}

struct kt_sp_provider kt_sp_sched = {
	.prov	= KT_SP_PROVIDER("sched", sched_match, sched_init, sched_exit, sched_populate),
	.src	= sched_src,
	.nsrc	= ARRAY_SIZE(sched_src),
	.need	= sched_need,
	.nneed	= ARRAY_SIZE(sched_need),
};
KTRACE_PROVIDER(90, struct kt_sp_provider, kt_sp_sched, .prov);
