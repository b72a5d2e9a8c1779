// SPDX-License-Identifier: GPL-2.0
/*
 * genl.c: the generic netlink family "ktrace" (uapi/linux/ktrace.h,
 * docs/uapi.md "Netlink"): a dump of the live sessions and the multicast
 * group "events" (session started, stopped, aborted, drops).
 *
 * Locks (order in ktrace_internal.h):
 *   ktrace_sessions_lock (mutex)  owned here with the list it protects;
 *                    main.c links a session at open and unlinks it at
 *                    release, the dump walks the list under it
 *                    (process context, inside the genl core's dump
 *                    lock).  A listed session cannot be freed meanwhile
 *                    (release unlinks it first).  The dump never takes
 *                    s->lock (it nests outside ktrace_sessions_lock): it
 *                    reads per-CPU counters only in states that exist
 *                    after a successful LOAD (ACTIVE and later), where
 *                    s->cpu stays until release.
 *   s->lock (mutex)  held by every caller of ktrace_genl_started() and
 *                    ktrace_genl_ended(): the "sent" flags are under it.
 *   s->drops_next    cmpxchg: STATUS and the notify work may race.
 *   s->mem, s->resident  read without a lock (WRITE_ONCE at LOAD and
 *                    release, atomic64 in mem.c).
 *
 * Contexts: everything here runs in process context and allocates with
 * GFP_KERNEL.  Probe context never sends: an abort goes irq_work ->
 * kill_work (session.c) -> ktrace_genl_ended(); drops are sampled by a
 * work the deadman timer queues, and by STATUS.
 */
#include <linux/module.h>
#include <linux/sort.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/cred.h>
#include <linux/capability.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include "ktrace_internal.h"

/* The live sessions: main.c adds at open, removes at release; the dump walks them. */
DEFINE_MUTEX(ktrace_sessions_lock);
LIST_HEAD(ktrace_sessions);

static unsigned int ktrace_drop_event_threshold = 1000;
module_param_named(drop_event_threshold, ktrace_drop_event_threshold, uint, 0644);
MODULE_PARM_DESC(drop_event_threshold,
		 "send a drops event each time a session's buffer drops pass another multiple of this (0: never)");

static atomic_t ktrace_session_ids = ATOMIC_INIT(0);
static struct genl_family ktrace_genl_family;
static bool ktrace_genl_registered;

enum { KTRACE_GENL_GRP_EVENTS };

/* ------------------------------------------------------------------ */
/* messages                                                            */
/* ------------------------------------------------------------------ */

/*
 * Counters since GO, and the bytes of principal buffer pages the CPUs
 * took (buffer.c); zero before (s->cpu is only stable from GO on).
 */
static void session_counters(struct ktrace_session *s, int state, u64 *drops, u64 *errors,
			     u64 *bufs)
{
	unsigned int cpu;

	*drops = 0;
	*errors = 0;
	*bufs = 0;
	if (state == KTRACE_STATE_NEW || state == KTRACE_STATE_LOADED || !s->cpu)
		return;
	for_each_possible_cpu(cpu) {
		struct ktrace_cpu *c = s->cpu[cpu];

		if (!c)
			continue;
		*drops += READ_ONCE(c->drops);
		*errors += READ_ONCE(c->errors);
		*bufs += min(READ_ONCE(c->backed), c->bsize);
	}
}

static int fill_session(struct sk_buff *skb, struct ktrace_session *s, u8 cmd,
			u32 portid, u32 seq, int flags)
{
	int state = READ_ONCE(s->state);
	u64 drops, errors, bufs, age = 0, go = READ_ONCE(s->go_time);
	void *hdr;

	/*
	 * State before the per-CPU state it guards (s->cpu and its
	 * counters).  Pairs with the smp_store_release of ACTIVE in
	 * session.c:ktrace_session_go, which orders everything LOAD built
	 * before that state.
	 */
	smp_rmb();
	session_counters(s, state, &drops, &errors, &bufs);
	if (go && state != KTRACE_STATE_NEW && state != KTRACE_STATE_LOADED)
		age = div_u64(ktime_get_mono_fast_ns() - go, NSEC_PER_MSEC);
	hdr = genlmsg_put(skb, portid, seq, &ktrace_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KTRACE_GENL_A_SESSION, s->id) ||
	    nla_put_u32(skb, KTRACE_GENL_A_PID, s->owner_pid) ||
	    nla_put_u32(skb, KTRACE_GENL_A_UID, from_kuid_munged(&init_user_ns, s->owner_uid)) ||
	    nla_put_string(skb, KTRACE_GENL_A_COMM, s->comm) ||
	    nla_put_u32(skb, KTRACE_GENL_A_STATE, state) ||
	    nla_put_u32(skb, KTRACE_GENL_A_ABORT_REASON, READ_ONCE(s->abort_reason)) ||
	    nla_put_u32(skb, KTRACE_GENL_A_PROBES, READ_ONCE(s->nprobes)) ||
	    nla_put_u32(skb, KTRACE_GENL_A_ENABLINGS,
			state == KTRACE_STATE_NEW ? 0 : READ_ONCE(s->necbs)) ||
	    nla_put_u64_64bit(skb, KTRACE_GENL_A_DROPS, drops, KTRACE_GENL_A_PAD) ||
	    nla_put_u64_64bit(skb, KTRACE_GENL_A_ERRORS, errors, KTRACE_GENL_A_PAD) ||
	    nla_put_u64_64bit(skb, KTRACE_GENL_A_AGE_MS, age, KTRACE_GENL_A_PAD) ||
	    nla_put_u64_64bit(skb, KTRACE_GENL_A_MEM_RESERVED, READ_ONCE(s->mem),
			      KTRACE_GENL_A_PAD) ||
	    nla_put_u64_64bit(skb, KTRACE_GENL_A_MEM_RESIDENT,
			      (u64)atomic64_read(&s->resident), KTRACE_GENL_A_PAD) ||
	    nla_put_u64_64bit(skb, KTRACE_GENL_A_MEM_BUFFERS, bufs, KTRACE_GENL_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Multicast one event about s (process context). */
static void send_event(struct ktrace_session *s, u8 cmd)
{
	struct sk_buff *skb;

	if (!READ_ONCE(ktrace_genl_registered) ||
	    !genl_has_listeners(&ktrace_genl_family, &init_net, KTRACE_GENL_GRP_EVENTS))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (fill_session(skb, s, cmd, 0, 0, 0)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast(&ktrace_genl_family, skb, 0, KTRACE_GENL_GRP_EVENTS, GFP_KERNEL);
}

/* ------------------------------------------------------------------ */
/* hooks (session.c, main.c)                                           */
/* ------------------------------------------------------------------ */

/* open: identity of the session (process context, the opener). */
void ktrace_genl_session_init(struct ktrace_session *s)
{
	s->id = atomic_inc_return(&ktrace_session_ids);
	get_task_comm(s->comm, current);
	s->drops_next = ktrace_drop_event_threshold;
	INIT_WORK(&s->notify_work, ktrace_genl_notify_work);
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* Distinct probes among the session's enablings. */
static u32 count_probes(struct ktrace_session *s)
{
	u32 *ids, i, n = 0;

	if (!s->necbs)
		return 0;
	ids = kvmalloc_array(s->necbs, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return s->necbs;	/* an upper bound */
	for (i = 0; i < s->necbs; i++)
		ids[i] = s->ecbs[i].probe->id;
	sort(ids, s->necbs, sizeof(*ids), cmp_u32, NULL);
	for (i = 0; i < s->necbs; i++)
		n += i == 0 || ids[i] != ids[i - 1];
	kvfree(ids);
	return n;
}

/* GO succeeded (s->lock held). */
void ktrace_genl_started(struct ktrace_session *s)
{
	lockdep_assert_held(&s->lock);
	WRITE_ONCE(s->nprobes, count_probes(s));
	s->ev_started = true;
	send_event(s, KTRACE_GENL_CMD_EV_STARTED);
}

/*
 * The session ended: stopped, aborted (KILLED) or closed.  Sends one
 * event per session (s->lock held); a session never started sends
 * nothing unless GO failed (ABORTED, reason ERROR).
 */
void ktrace_genl_ended(struct ktrace_session *s)
{
	int state = READ_ONCE(s->state);

	lockdep_assert_held(&s->lock);
	if (s->ev_ended)
		return;
	if (state == KTRACE_STATE_KILLED) {
		s->ev_ended = true;
		send_event(s, KTRACE_GENL_CMD_EV_ABORTED);
	} else if (s->ev_started) {
		s->ev_ended = true;
		send_event(s, KTRACE_GENL_CMD_EV_STOPPED);
	}
}

/* Process context, after GO: report drops past the next threshold. */
void ktrace_genl_check_drops(struct ktrace_session *s)
{
	unsigned int step = READ_ONCE(ktrace_drop_event_threshold);
	int state = READ_ONCE(s->state);
	u64 drops, errors, bufs, next;

	if (!step)
		return;
	/* as fill_session(): pairs with session.c:ktrace_session_go's release */
	smp_rmb();
	session_counters(s, state, &drops, &errors, &bufs);
	next = READ_ONCE(s->drops_next);
	if (!drops || drops < next)
		return;
	/* the next multiple of step above drops; one event per crossing */
	if (cmpxchg(&s->drops_next, next, (div64_u64(drops, step) + 1) * step) != next)
		return;
	send_event(s, KTRACE_GENL_CMD_EV_DROPS);
}

void ktrace_genl_notify_work(struct work_struct *w)
{
	ktrace_genl_check_drops(container_of(w, struct ktrace_session, notify_work));
}

/* ------------------------------------------------------------------ */
/* the family                                                          */
/* ------------------------------------------------------------------ */

/* Same rule as opening /dev/ktrace. */
static int sessions_start(struct netlink_callback *cb)
{
	if (!netlink_capable(cb->skb, CAP_SYS_ADMIN) && !netlink_capable(cb->skb, CAP_PERFMON))
		return -EPERM;
	return 0;
}

/* Sessions are listed in id order (open order); cb->args[0]: last id sent. */
static int sessions_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ktrace_session *s;
	u32 last = cb->args[0];
	int err = 0;

	mutex_lock(&ktrace_sessions_lock);
	list_for_each_entry(s, &ktrace_sessions, list) {
		if (s->id <= last)
			continue;
		err = fill_session(skb, s, KTRACE_GENL_CMD_GET_SESSIONS,
				   NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err)
			break;
		last = s->id;
	}
	mutex_unlock(&ktrace_sessions_lock);
	cb->args[0] = last;
	if (err && !skb->len)
		return err;	/* one session does not fit in a message */
	return skb->len;
}

static const struct genl_ops ktrace_genl_ops[] = {
	{
		.cmd	= KTRACE_GENL_CMD_GET_SESSIONS,
		.start	= sessions_start,
		.dumpit	= sessions_dump,
	},
};

static const struct genl_multicast_group ktrace_genl_mcgrps[] = {
	[KTRACE_GENL_GRP_EVENTS] = {
		.name	= KTRACE_GENL_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_SYS_ADMIN,
	},
};

static struct genl_family ktrace_genl_family __ro_after_init = {
	.name		= KTRACE_GENL_NAME,
	.version	= KTRACE_GENL_VERSION,
	.maxattr	= KTRACE_GENL_A_MAX,
	.module		= THIS_MODULE,
	.ops		= ktrace_genl_ops,
	.n_ops		= ARRAY_SIZE(ktrace_genl_ops),
	.mcgrps		= ktrace_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ktrace_genl_mcgrps),
};

int __init ktrace_genl_init(void)
{
	int err = genl_register_family(&ktrace_genl_family);

	/* a flag for send_event()'s READ_ONCE; it orders nothing else */
	if (!err)
		WRITE_ONCE(ktrace_genl_registered, true);
	return err;
}

void ktrace_genl_exit(void)
{
	WRITE_ONCE(ktrace_genl_registered, false);
	genl_unregister_family(&ktrace_genl_family);
}
