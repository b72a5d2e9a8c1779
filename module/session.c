// SPDX-License-Identifier: GPL-2.0
/*
 * session.c: one tracing session per open of /dev/ktrace: its state
 * machine (NEW -> LOADED -> ACTIVE -> DRAINING/KILLED -> STOPPED: LOAD,
 * GO, STOP and STATUS after ioctl.c copied their structs), its creation
 * and teardown, the deadman and the session's works.  The state changes
 * probe context makes (exit(), the aborts, the kick) are
 * session_state.c's; the session's memory (layout, allocation, AGGSNAP,
 * mmap, poll) is session_mem.c's.
 *
 * Locks (order in ktrace_internal.h):
 *   s->lock (mutex)  process context: every ioctl but CONF/PROBES/STATUS
 *                    (taken in ioctl.c), the kill and speculation works,
 *                    release.  It is never taken by mmap (session_mem.c
 *                    says why): LOAD publishes the mapping last, with a
 *                    release store (ktrace_session_load_end).
 *   s->state         written with cmpxchg by probe context and the
 *                    deadman timer (session_state.c: exit() -> DRAINING,
 *                    deadman/fill -> KILLED) and by process context here
 *                    (GO, STOP); read with READ_ONCE anywhere.
 *   s->alive         written by the deadman timer (softirq) and GO; read
 *   s->heartbeat     by probe context.  heartbeat: STATUS (process).
 *   s->deadman_due   written by whoever arms the deadman timer (GO, the
 *                    timer itself), read by the timer.
 *   s->kick          irq_work (session_state.c), initialized here; the
 *                    works it queues (kill, speculations, the pool work
 *                    of buffer.c) are set up here and cancelled at
 *                    teardown after s->dead and irq_work_sync().
 *   per-CPU state    struct ktrace_cpu: its CPU in probe context; process
 *                    context only before GO, after the probes are
 *                    detached, or from an IPI (AGGSNAP, speculations).
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sched/signal.h>
#include <linux/cred.h>
#include <linux/timekeeping.h>
#include "ktrace_internal.h"

/* ------------------------------------------------------------------ */
/* timers and works                                                    */
/* ------------------------------------------------------------------ */

/*
 * Arm the deadman timer one interval from now and remember when it is due
 * (monotonic ns): a timer that runs more than the timeout after that was
 * held back by the system itself (every CPU busy in probe context with
 * interrupts off), which is the deadman's other trigger.
 */
static void deadman_arm(struct ktrace_session *s, u64 now)
{
	unsigned int ms = max(1U, READ_ONCE(ktrace_deadman_interval_ms));

	WRITE_ONCE(s->deadman_due, now + (u64)ms * NSEC_PER_MSEC);
	mod_timer(&s->deadman_timer, jiffies + max(1UL, msecs_to_jiffies(ms)));
}

static void deadman_fn(struct timer_list *t)
{
	struct ktrace_session *s = from_timer(s, t, deadman_timer);
	u64 now = ktime_get_mono_fast_ns();
	u64 hb = READ_ONCE(s->heartbeat);
	u64 due = READ_ONCE(s->deadman_due);
	u64 user = (u64)READ_ONCE(ktrace_deadman_user_ms) * NSEC_PER_MSEC;
	u64 tmo = (u64)READ_ONCE(ktrace_deadman_timeout_ms) * NSEC_PER_MSEC;

	if (READ_ONCE(s->dead))
		return;
	if (now > due && now - due > tmo)
		/* this timer itself was held back: the system is unresponsive */
		ktrace_session_abort(s, KTRACE_ABORT_DEADMAN);
	else if (now < hb || now - hb < user)
		WRITE_ONCE(s->alive, now);
	else if (now - hb > user + tmo)
		/* no probe may fire to notice: kill from here as well */
		ktrace_session_abort(s, KTRACE_ABORT_CONSUMER);
	schedule_work(&s->notify_work);		/* drops events (genl.c) */
	deadman_arm(s, now);
}

static void kill_work_fn(struct work_struct *w)
{
	struct ktrace_session *s = container_of(w, struct ktrace_session, kill_work);

	mutex_lock(&s->lock);
	if (s->probes_on && READ_ONCE(s->state) == KTRACE_STATE_KILLED &&
	    READ_ONCE(s->abort_reason) != KTRACE_ABORT_FILL) {
		WRITE_ONCE(s->stopping, true);
		ktrace_ecbs_detach(s->ecbs, s->necbs);
		s->probes_on = false;
	}
	if (READ_ONCE(s->state) == KTRACE_STATE_KILLED)
		ktrace_genl_ended(s);		/* ABORTED event */
	mutex_unlock(&s->lock);
	wake_up_interruptible_all(&s->wq);
}

static void clean_work_fn(struct work_struct *w)
{
	struct ktrace_session *s = container_of(to_delayed_work(w), struct ktrace_session,
						clean_work);

	/* no CPU is still in probe context from before this point */
	synchronize_rcu();
	ktrace_dynvars_clean(s->rt.dynvars);
	if (!READ_ONCE(s->dead))
		schedule_delayed_work(&s->clean_work,
				      max(1UL, msecs_to_jiffies(READ_ONCE(ktrace_cleanrate_ms))));
}

/* ------------------------------------------------------------------ */
/* create / destroy                                                    */
/* ------------------------------------------------------------------ */

struct ktrace_session *ktrace_session_create(void)
{
	struct ktrace_session *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	mutex_init(&s->lock);
	init_waitqueue_head(&s->wq);
	timer_setup(&s->deadman_timer, deadman_fn, 0);
	init_irq_work(&s->kick, ktrace_session_kick_fn);
	INIT_WORK(&s->kill_work, kill_work_fn);
	INIT_WORK(&s->spec_work, ktrace_spec_work);
	INIT_WORK(&s->pool.work, ktrace_pool_work);
	mutex_init(&s->agg_lock);
	INIT_WORK(&s->agg_work, ktrace_agg_grow_work);
	INIT_DELAYED_WORK(&s->clean_work, clean_work_fn);
	s->agg_readable = -1;
	s->state = KTRACE_STATE_NEW;
	s->owner_pid = task_tgid_nr(current);
	s->owner_uid = current_uid();
	INIT_LIST_HEAD(&s->list);
	ktrace_genl_session_init(s);
	return s;
}

void ktrace_session_destroy(struct ktrace_session *s)
{
	mutex_lock(&s->lock);
	WRITE_ONCE(s->stopping, true);
	if (s->probes_on) {
		ktrace_ecbs_detach(s->ecbs, s->necbs);
		s->probes_on = false;
	}
	ktrace_genl_ended(s);		/* closed without STOP: STOPPED/ABORTED */
	/*
	 * Read with READ_ONCE by ktrace_session_kick, deadman_fn and
	 * clean_work_fn; the *_sync() calls below wait for any that missed
	 * it, so it orders nothing by itself.
	 */
	WRITE_ONCE(s->dead, true);
	mutex_unlock(&s->lock);

	timer_shutdown_sync(&s->deadman_timer);
	cancel_work_sync(&s->notify_work);
	cancel_delayed_work_sync(&s->clean_work);
	irq_work_sync(&s->kick);
	cancel_work_sync(&s->kill_work);
	cancel_work_sync(&s->spec_work);
	cancel_work_sync(&s->pool.work);
	cancel_work_sync(&s->agg_work);
	irq_work_sync(&s->kick);
	ktrace_session_free_load(s);
	kfree(s);
}

/* ------------------------------------------------------------------ */
/* LOAD                                                                */
/* ------------------------------------------------------------------ */

/*
 * LOAD (s->lock held), the object copied in by ioctl.c: parse, verify and
 * build the session.  Nothing is left allocated on error.
 */
int ktrace_session_load(struct ktrace_session *s, const void *obj, u32 size,
			const struct ktrace_opts *opts, struct ktrace_vlog *log)
{
	int err;

	ktrace_env_check_lockdown();
	err = ktrace_prog_load(obj, size, opts, log, &s->prog);
	if (err) {
		s->prog = NULL;
		return err;
	}
	if ((s->prog->hdr->flags & KTRACE_OBJ_F_DESTRUCTIVE) &&
	    !(opts->flags & KTRACE_OPT_F_DESTRUCTIVE)) {
		ktrace_vlog(log, "program uses destructive actions: they must be allowed (-w)\n");
		err = -EPERM;
		goto out_free;
	}
	err = ktrace_session_build(s, log);
	if (err)
		goto out_free;
	WRITE_ONCE(s->state, KTRACE_STATE_LOADED);
	return 0;
out_free:
	ktrace_session_free_load(s);
	return err;
}

/*
 * The end of LOAD (s->lock held), once ioctl.c copied the answer out: err
 * 0 makes the mapping visible to mmap; an error after a successful load
 * (the answer could not be copied out) undoes it.
 */
void ktrace_session_load_end(struct ktrace_session *s, long err)
{
	if (!err) {
		/*
		 * Everything built: mmap may look now.  Pairs with the
		 * smp_load_acquire in session_mem.c:ktrace_session_mmap,
		 * which takes no s->lock: the map's contents, map_size and
		 * hdr_map_size before the pointer.
		 */
		smp_store_release(&s->mapped, s->map);
	} else if (s->state == KTRACE_STATE_LOADED) {
		/* could not report success: undo */
		WRITE_ONCE(s->state, KTRACE_STATE_NEW);
		ktrace_session_free_load(s);
	}
}

/* ------------------------------------------------------------------ */
/* GO / STOP                                                           */
/* ------------------------------------------------------------------ */

static void fire_dtrace(struct ktrace_session *s, u32 id, const char *name)
{
	struct ktrace_probe *p = ktrace_dtrace_probe(id);
	struct ktrace_fire f = {
		.prov = "dtrace", .mod = "", .func = "", .name = name,
	};

	if (p)
		ktrace_probe_fire_session(p, &f, s);
}

/* Faults so far on every CPU (exact while nothing else runs: BEGIN). */
static u64 session_errors(struct ktrace_session *s)
{
	unsigned int cpu;
	u64 n = 0;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(s->cpu[cpu]->errors);
	return n;
}

/* GO (s->lock held): attach the probes, fire BEGIN, go ACTIVE. */
int ktrace_session_go(struct ktrace_session *s)
{
	u64 now, errors;
	int err;

	if (s->state == KTRACE_STATE_NEW)
		return -ENOENT;
	if (s->state != KTRACE_STATE_LOADED)
		return -EBUSY;

	now = ktime_get_mono_fast_ns();
	WRITE_ONCE(s->heartbeat, now);
	WRITE_ONCE(s->alive, now);
	s->go_time = now;
	err = ktrace_ecbs_attach(s->ecbs, s->necbs);
	if (err) {
		WRITE_ONCE(s->abort_reason, KTRACE_ABORT_ERROR);
		WRITE_ONCE(s->state, KTRACE_STATE_KILLED);
		ktrace_genl_ended(s);
		wake_up_interruptible_all(&s->wq);
		return err;
	}
	s->probes_on = true;
	/*
	 * Attaching thousands of functions can take longer than the deadman
	 * timeout (ftrace patches every call site): the session is alive
	 * from the moment its probes are, not from when GO began.
	 */
	now = ktime_get_mono_fast_ns();
	WRITE_ONCE(s->heartbeat, now);
	WRITE_ONCE(s->alive, now);
	if (!s->nodeadman)
		deadman_arm(s, now);
	if (s->clean_on)
		schedule_delayed_work(&s->clean_work,
				      max(1UL, msecs_to_jiffies(ktrace_cleanrate_ms)));
	/*
	 * BEGIN runs before any other clause: warmup holds the others back.
	 * The release orders warmup and everything LOAD built (s->cpu, the
	 * counters) before ACTIVE.  Pairs with the smp_rmb in ktrace_session_status,
	 * genl.c:fill_session and genl.c:ktrace_genl_check_drops, and with
	 * probe.c:ecb_may_run's READ_ONCE of the state.
	 */
	WRITE_ONCE(s->warmup, true);
	smp_store_release(&s->state, KTRACE_STATE_ACTIVE);
	errors = session_errors(s);
	fire_dtrace(s, KTRACE_PROBE_BEGIN, "BEGIN");
	/*
	 * A BEGIN clause faulted (before its exit(), if it had one), no
	 * clause called exit(), and nothing but END and ERROR can ever fire
	 * to call it: the session would wait forever.  It ends here instead
	 * (docs/uapi.md).  With other probes it traces on, as in DTrace.
	 */
	if (s->only_dtrace && session_errors(s) != errors &&
	    READ_ONCE(s->state) == KTRACE_STATE_ACTIVE)
		ktrace_session_abort(s, KTRACE_ABORT_BEGIN);
	/*
	 * BEGIN's effects (globals, records, exit()) before the other
	 * clauses may run.  Pairs with probe.c:ecb_may_run's READ_ONCE of
	 * warmup.
	 */
	smp_store_release(&s->warmup, false);
	wake_up_interruptible_all(&s->wq);
	ktrace_genl_started(s);
	return 0;
}

/* STOP (s->lock held): fire END, drain speculations, detach the probes. */
int ktrace_session_stop(struct ktrace_session *s)
{
	int state;

	state = READ_ONCE(s->state);
	if (state == KTRACE_STATE_NEW)
		return -ENOENT;
	if (state == KTRACE_STATE_LOADED) {
		WRITE_ONCE(s->state, KTRACE_STATE_STOPPED);
		wake_up_interruptible_all(&s->wq);
		return 0;
	}
	if (!s->probes_on && READ_ONCE(s->stopping))
		return 0;	/* already stopped */

	/*
	 * Only END from now on; let clauses already running finish.  Pairs
	 * with probe.c:ecb_may_run's READ_ONCE: a firing after the grace
	 * period sees stopping.
	 */
	WRITE_ONCE(s->stopping, true);
	synchronize_rcu();
	state = READ_ONCE(s->state);
	if (s->probes_on && (state == KTRACE_STATE_ACTIVE || state == KTRACE_STATE_DRAINING ||
			     (state == KTRACE_STATE_KILLED &&
			      READ_ONCE(s->abort_reason) == KTRACE_ABORT_FILL)))
		fire_dtrace(s, KTRACE_PROBE_END, "END");
	/* commits still pending (e.g. commit() in END) land before the last read */
	if (s->probes_on && s->spec)
		ktrace_spec_flush(s);
	for (;;) {
		state = READ_ONCE(s->state);
		if (state == KTRACE_STATE_KILLED ||
		    cmpxchg(&s->state, state, KTRACE_STATE_STOPPED) == state)
			break;
	}
	if (s->probes_on) {
		ktrace_ecbs_detach(s->ecbs, s->necbs);
		s->probes_on = false;
	}
	del_timer_sync(&s->deadman_timer);
	ktrace_genl_ended(s);
	wake_up_interruptible_all(&s->wq);
	return 0;
}

/* ------------------------------------------------------------------ */
/* STATUS                                                              */
/* ------------------------------------------------------------------ */

/*
 * STATUS (no lock; see the lock comment above): a heartbeat for the
 * deadman, and st filled (zeroed first) with the state and the counters.
 */
void ktrace_session_status(struct ktrace_session *s, struct ktrace_status *st)
{
	unsigned int cpu;

	WRITE_ONCE(s->heartbeat, ktime_get_mono_fast_ns());
	memset(st, 0, sizeof(*st));
	st->state = READ_ONCE(s->state);
	/*
	 * The state before what it guards: abort_reason, exited and
	 * exit_status (ordered before their state by the cmpxchg in
	 * ktrace_session_abort and ktrace_session_exit) and s->cpu with its
	 * counters (by ktrace_session_go's smp_store_release of ACTIVE).  GO's failure
	 * path writes abort_reason, then KILLED, with WRITE_ONCE alone: x86
	 * keeps those two stores in order, as this barrier needs.
	 */
	smp_rmb();
	st->abort_reason = READ_ONCE(s->abort_reason);
	st->exited = READ_ONCE(s->exited);
	st->exit_status = READ_ONCE(s->exit_status);
	/*
	 * Counters exist from GO on.  Not in LOADED: STATUS does not take
	 * s->lock, and a LOAD that cannot copy its answer back goes
	 * LOADED -> NEW and frees s->cpu under it.
	 */
	if (st->state != KTRACE_STATE_NEW && st->state != KTRACE_STATE_LOADED && s->cpu) {
		for_each_possible_cpu(cpu) {
			struct ktrace_cpu *c = s->cpu[cpu];

			if (!c)
				continue;
			st->errors += READ_ONCE(c->errors);
			st->double_errors += READ_ONCE(c->double_errors);
			st->spec_drops += READ_ONCE(c->spec_drops);
			st->spec_unavail += READ_ONCE(c->spec_unavail);
			st->spec_busy += READ_ONCE(c->spec_busy);
			st->recursion_drops += READ_ONCE(c->recursion_drops);
			st->budget_faults += READ_ONCE(c->budget_faults);
		}
		ktrace_dynvars_counters(s->rt.dynvars, &st->dynvar_drops,
					&st->dynvar_dirty_drops);
		ktrace_genl_check_drops(s);
	}
}
