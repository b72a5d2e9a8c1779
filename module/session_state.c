// SPDX-License-Identifier: GPL-2.0
/*
 * session_state.c: the session's state changes that probe context makes,
 * the lowest layer of the session: exit() (ACTIVE -> DRAINING), the aborts
 * (ACTIVE/DRAINING -> KILLED: deadman, fill, a faulting BEGIN) and the kick,
 * the irq_work that hands what probe context cannot do to process context.
 * buffer.c, env.c and probe.c call down into it; it calls no other file of
 * the module (the works it queues were set up by session.c).
 *
 * Locks (order in ktrace_internal.h; session.c's comment has the rest of
 * struct ktrace_session):
 *   s->state         written here with cmpxchg from probe context
 *                    (exit() -> DRAINING, deadman/fill -> KILLED), by the
 *                    deadman timer and by process context (session.c: GO,
 *                    STOP); read with READ_ONCE anywhere.
 *   s->exited, s->exit_status, s->abort_reason
 *                    written here, first writer wins (cmpxchg), before the
 *                    state they explain (full barrier of the state's
 *                    cmpxchg); read by STATUS after the state.
 *   s->kick          irq_work queued by probe context (any context, NMI
 *   s->kick_flags    included: set_bit, irq_work_queue); its callback runs
 *                    in hard irq context, wakes pollers and queues works:
 *                    kill, speculations, and the pool work that refills
 *                    the principal buffers' page pool (buffer.c).
 *   s->dead          read here (READ_ONCE); written by
 *                    ktrace_session_destroy (session.c), which then waits
 *                    for the kick with irq_work_sync().
 */
#include <linux/kernel.h>
#include <linux/workqueue.h>
#include <linux/irq_work.h>
#include "ktrace_internal.h"

/* s->kick's callback (hard irq), set up by ktrace_session_create(). */
void ktrace_session_kick_fn(struct irq_work *w)
{
	struct ktrace_session *s = container_of(w, struct ktrace_session, kick);

	/*
	 * Unbound: the CPU that noticed the abort may be the one its probes
	 * are drowning (an interrupt storm); another CPU disables them.
	 */
	if (test_and_clear_bit(KTRACE_KICK_KILL, &s->kick_flags))
		queue_work(system_unbound_wq, &s->kill_work);
	if (test_and_clear_bit(KTRACE_KICK_SPEC, &s->kick_flags))
		schedule_work(&s->spec_work);
	/* unbound too: the CPU that took the pages is busy tracing */
	if (test_and_clear_bit(KTRACE_KICK_POOL, &s->kick_flags))
		queue_work(system_unbound_wq, &s->pool.work);
	/* unbound: the copy's CPU is busy tracing too */
	if (test_and_clear_bit(KTRACE_KICK_AGG, &s->kick_flags))
		queue_work(system_unbound_wq, &s->agg_work);
	if (test_and_clear_bit(KTRACE_KICK_WAKE, &s->kick_flags))
		wake_up_interruptible_all(&s->wq);
}

void ktrace_session_kick(struct ktrace_session *s, int bit)
{
	/*
	 * dead: WRITE_ONCE in ktrace_session_destroy() under s->lock, then
	 * irq_work_sync(): a kick that missed it is waited for there.
	 */
	if (READ_ONCE(s->dead))
		return;
	set_bit(bit, &s->kick_flags);
	irq_work_queue(&s->kick);
}

/* exit(): ACTIVE -> DRAINING; the first call's status wins. */
void ktrace_session_exit(struct ktrace_session *s, s32 status)
{
	if (cmpxchg(&s->exited, 0, 1) != 0)
		return;
	WRITE_ONCE(s->exit_status, status);
	/*
	 * A full barrier: exited and exit_status before DRAINING.  Pairs
	 * with the smp_rmb in session.c:ktrace_session_status.
	 */
	cmpxchg(&s->state, KTRACE_STATE_ACTIVE, KTRACE_STATE_DRAINING);
	ktrace_session_kick(s, KTRACE_KICK_WAKE);
}

/* Kill an ACTIVE or DRAINING session; its probes go from process context. */
void ktrace_session_abort(struct ktrace_session *s, u32 reason)
{
	int st;

	for (;;) {
		st = READ_ONCE(s->state);
		if (st != KTRACE_STATE_ACTIVE && st != KTRACE_STATE_DRAINING)
			return;
		cmpxchg(&s->abort_reason, KTRACE_ABORT_NONE, reason);
		/*
		 * A full barrier: abort_reason before KILLED.  Pairs with the
		 * smp_rmb in session.c:ktrace_session_status (and its kill_work_fn
		 * reads both under s->lock, after the irq_work that queued it).
		 */
		if (cmpxchg(&s->state, st, KTRACE_STATE_KILLED) == st)
			break;
	}
	set_bit(KTRACE_KICK_WAKE, &s->kick_flags);
	ktrace_session_kick(s, KTRACE_KICK_KILL);
}
