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
 *   enqueue,        kprobes on the scheduling classes' enqueue_task and
 *   dequeue         dequeue_task methods (enqueue_task_fair, _rt, _dl,
 *                   _stop; Linux has no tracepoint there): a thread joins
 *                   or leaves a CPU's run queue; arg0, arg1 its task_struct,
 *                   arg2 the CPU (task_cpu(), the queue's CPU under the
 *                   queue's lock), arg3 enqueue: 1 when it goes to the
 *                   queue's head (ENQUEUE_HEAD), dequeue: 1 when it leaves
 *                   to sleep (DEQUEUE_SLEEP), else 0 (migration, priority
 *                   or policy change); in the thread doing it, which is
 *                   often another (the waker, the balancer)
 *   tick            kprobe on scheduler_tick(), the periodic scheduler
 *                   tick, in the timer interrupt of each CPU that is not
 *                   idle (NO_HZ stops the tick of an idle CPU); arg0, arg1
 *                   the thread it interrupted, whose self-> variables
 *                   the clauses see (KTRACE_FIRE_F_THREAD)
 *   surrender       kprobe on do_sched_yield(): the thread gives up its
 *                   CPU (sched_yield(2), and yield() in the kernel); arg0,
 *                   arg1 that thread
 * Locks and contexts: see stable.h.  sched_switch, finish_task_switch and
 * the queue methods run with the runqueue lock held and interrupts off,
 * the tick in hard interrupt context: the hooks take no lock and never wake
 * anything (the session's wakeup is an irq_work).
 */
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/minmax.h>

#include "stable.h"

enum {
	SS_SWITCH, SS_ONCPU, SS_WAKING, SS_PRIO, SS_TICK, SS_YIELD,
	SS_ENQ_FIRST, SS_ENQ_LAST = SS_ENQ_FIRST + 3,
	SS_DEQ_FIRST, SS_DEQ_LAST = SS_DEQ_FIRST + 3,
	SS_NR
};

/* kernel/sched/sched.h's flags of enqueue_task and dequeue_task (private there) */
#define SS_DEQUEUE_SLEEP	0x01
#define SS_ENQUEUE_HEAD		0x10

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

static int sched_tick(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned long t = (unsigned long)current;

	/* on behalf of the interrupted thread: self-> is its, as in DTrace */
	kt_sp_fire_f(KTRACE_SP_SCHED_TICK, regs, KTRACE_FIRE_F_THREAD, t, t, 0, 0, 0, 0);
	return 0;
}
NOKPROBE_SYMBOL(sched_tick);

static int sched_yield_hook(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned long t = (unsigned long)current;

	kt_sp_fire(KTRACE_SP_SCHED_SURRENDER, regs, t, t, 0, 0, 0, 0);
	return 0;
}
NOKPROBE_SYMBOL(sched_yield_hook);

/* A class's enqueue_task/dequeue_task(struct rq *rq, struct task_struct *p, int flags). */
static int sched_queue(struct kprobe *kp, struct pt_regs *regs)
{
	enum ktrace_stable_probe id = kt_sp_src_of(kp)->priv;
	struct task_struct *p = (struct task_struct *)regs_get_kernel_argument(regs, 1);
	int flags = regs_get_kernel_argument(regs, 2);
	u64 how;

	if (!kt_sp_on(id))
		return 0;
	if (id == KTRACE_SP_SCHED_ENQUEUE)
		how = !!(flags & SS_ENQUEUE_HEAD);
	else
		how = !!(flags & SS_DEQUEUE_SLEEP);
	kt_sp_fire(id, regs, (unsigned long)p, (unsigned long)p, task_cpu(p), how, 0, 0);
	return 0;
}
NOKPROBE_SYMBOL(sched_queue);

#define SS_QUEUE(fn, probe)							\
	{ .name = fn, .is_kprobe = true, .optional = true, .pre = sched_queue,	\
	  .priv = KTRACE_SP_SCHED_##probe }

static struct kt_sp_source sched_src[] = {
	[SS_SWITCH] = { .name = "sched_switch", .hook = sched_switch },
	[SS_ONCPU]  = { .name = "finish_task_switch", .alt = "finish_task_switch.isra.0",
			.is_kprobe = true, .pre = sched_on_cpu },
	[SS_WAKING] = { .name = "sched_waking", .hook = sched_waking },
	[SS_PRIO]   = { .name = "sched_pi_setprio", .hook = sched_prio },
	[SS_TICK]   = { .name = "scheduler_tick", .is_kprobe = true, .pre = sched_tick },
	[SS_YIELD]  = { .name = "do_sched_yield", .is_kprobe = true, .pre = sched_yield_hook },
	[SS_ENQ_FIRST] =
	SS_QUEUE("enqueue_task_fair", ENQUEUE),
	SS_QUEUE("enqueue_task_rt", ENQUEUE),
	SS_QUEUE("enqueue_task_dl", ENQUEUE),
	[SS_ENQ_LAST] =
	SS_QUEUE("enqueue_task_stop", ENQUEUE),
	[SS_DEQ_FIRST] =
	SS_QUEUE("dequeue_task_fair", DEQUEUE),
	SS_QUEUE("dequeue_task_rt", DEQUEUE),
	SS_QUEUE("dequeue_task_dl", DEQUEUE),
	[SS_DEQ_LAST] =
	SS_QUEUE("dequeue_task_stop", DEQUEUE),
};
static_assert(ARRAY_SIZE(sched_src) == SS_NR);

static const struct kt_sp_need sched_need[] = {
	{ KTRACE_SP_SCHED_ON_CPU,	BIT(SS_ONCPU) },
	{ KTRACE_SP_SCHED_OFF_CPU,	BIT(SS_SWITCH) },
	{ KTRACE_SP_SCHED_SLEEP,	BIT(SS_SWITCH) },
	{ KTRACE_SP_SCHED_PREEMPT,	BIT(SS_SWITCH) },
	{ KTRACE_SP_SCHED_WAKEUP,	BIT(SS_WAKING) },
	{ KTRACE_SP_SCHED_CHANGE_PRI,	BIT(SS_PRIO) },
	{ KTRACE_SP_SCHED_TICK,		BIT(SS_TICK) },
	{ KTRACE_SP_SCHED_SURRENDER,	BIT(SS_YIELD) },
	{ KTRACE_SP_SCHED_ENQUEUE,	GENMASK_ULL(SS_ENQ_LAST, SS_ENQ_FIRST) },
	{ KTRACE_SP_SCHED_DEQUEUE,	GENMASK_ULL(SS_DEQ_LAST, SS_DEQ_FIRST) },
};

KT_SP_DEFINE(kt_sp_sched, "sched", sched_src, sched_need);
KTRACE_PROVIDER(90, struct kt_sp_provider, kt_sp_sched, .prov);
