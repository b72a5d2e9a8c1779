// SPDX-License-Identifier: GPL-2.0
/*
 * session.c: one tracing session per open of /dev/ktrace.
 *
 * Locks (order in ktrace_internal.h):
 *   s->lock (mutex)  process context: every ioctl but CONF/PROBES/STATUS,
 *                    the kill and speculation works, release.  It is
 *                    never taken by mmap (which runs under mmap_lock while
 *                    LOAD copies from user memory under s->lock): mmap
 *                    only reads s->map, published once with a release
 *                    store after LOAD has built everything.
 *   s->state         written with cmpxchg by probe context (exit() ->
 *                    DRAINING, deadman/fill -> KILLED) and by process
 *                    context (GO, STOP); read with READ_ONCE anywhere.
 *   s->alive         written by the deadman timer (softirq) and GO; read
 *   s->heartbeat     by probe context.  heartbeat: STATUS (process).
 *   s->deadman_due   written by whoever arms the deadman timer (GO, the
 *                    timer itself), read by the timer.
 *   s->kick          irq_work queued by probe context; its callback wakes
 *                    pollers and queues works (probe context cannot).
 *   per-CPU state    struct ktrace_cpu: its CPU in probe context; process
 *                    context only before GO, after the probes are
 *                    detached, or from an IPI (AGGSNAP, speculations).
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/uaccess.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/cred.h>
#include <linux/capability.h>
#include <linux/log2.h>
#include <linux/cpu.h>
#include <linux/timekeeping.h>
#include <linux/sizes.h>
#include "ktrace_internal.h"

/* ------------------------------------------------------------------ */
/* uapi struct helpers                                                 */
/* ------------------------------------------------------------------ */

/*
 * Copy a size-versioned struct: a smaller user struct is zero-filled, a
 * larger one is accepted only if the extra bytes are zero (-E2BIG).
 */
int ktrace_copy_struct_from_user(void *dst, size_t ksize, const void __user *src,
				 size_t usize)
{
	if (usize < 2 * sizeof(u32) || usize > PAGE_SIZE)
		return -EINVAL;
	return copy_struct_from_user(dst, ksize, src, usize);
}

static int get_struct(void *dst, size_t ksize, unsigned long arg, u32 *usizep)
{
	u32 usize;
	int err;

	if (get_user(usize, (u32 __user *)arg))
		return -EFAULT;
	err = ktrace_copy_struct_from_user(dst, ksize, (void __user *)arg, usize);
	if (err)
		return err;
	*(u32 *)dst = min_t(u32, usize, ksize);	/* the size we answer with */
	*usizep = usize;
	return 0;
}

/* Copy an out struct back: min(user size, kernel size) bytes. */
static int put_struct(unsigned long arg, const void *src, size_t ksize, u32 usize)
{
	return copy_to_user((void __user *)arg, src, min_t(size_t, ksize, usize)) ? -EFAULT : 0;
}

/* ------------------------------------------------------------------ */
/* probe-context state changes                                         */
/* ------------------------------------------------------------------ */

static void kick_fn(struct irq_work *w)
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
	 * with the smp_rmb in ioc_status.
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
		 * smp_rmb in ioc_status (and kill_work_fn reads both under
		 * s->lock, after the irq_work that queued it).
		 */
		if (cmpxchg(&s->state, st, KTRACE_STATE_KILLED) == st)
			break;
	}
	set_bit(KTRACE_KICK_WAKE, &s->kick_flags);
	ktrace_session_kick(s, KTRACE_KICK_KILL);
}

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
	init_irq_work(&s->kick, kick_fn);
	INIT_WORK(&s->kill_work, kill_work_fn);
	INIT_WORK(&s->spec_work, ktrace_spec_work);
	INIT_DELAYED_WORK(&s->clean_work, clean_work_fn);
	s->agg_readable = -1;
	s->state = KTRACE_STATE_NEW;
	s->owner_pid = task_tgid_nr(current);
	s->owner_uid = current_uid();
	INIT_LIST_HEAD(&s->list);
	ktrace_genl_session_init(s);
	return s;
}

/* Free everything LOAD allocated; nothing may run on it any more. */
static void session_free_load(struct ktrace_session *s)
{
	unsigned int cpu;

	if (s->cpu) {
		for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
			struct ktrace_cpu *c = s->cpu[cpu];

			if (!c)
				continue;
			ktrace_env_cpu_sync(c);
			kvfree(c->vm.scratch);
			kvfree(c->vm.locals);
			kvfree(c->vm.rec);
			if (c->spec)
				kvfree(c->spec[0].data);
			kfree(c->spec);
			kfree(c);
		}
		kfree(s->cpu);
		s->cpu = NULL;
	}
	kfree(s->ecbs);
	s->ecbs = NULL;
	s->necbs = 0;
	kfree(s->spec);
	s->spec = NULL;
	kvfree(s->dynmem);
	s->dynmem = NULL;
	kvfree(s->globals);
	s->globals = NULL;
	vfree(s->map);
	s->map = NULL;
	ktrace_prog_free(s->prog);
	s->prog = NULL;
	ktrace_mem_release(s);
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
	irq_work_sync(&s->kick);
	session_free_load(s);
	kfree(s);
}

/* ------------------------------------------------------------------ */
/* KTRACE_IOC_CONF                                                     */
/* ------------------------------------------------------------------ */

static long ioc_conf(unsigned long arg)
{
	struct ktrace_conf c;
	u32 usize;
	int err = get_struct(&c, sizeof(c), arg, &usize);

	if (err)
		return err;
	memset(&c, 0, sizeof(c));
	c.size = min_t(u32, usize, sizeof(c));
	c.abi_version = KTRACE_ABI_VERSION;
	c.max_insns = KTRACE_MAX_INSNS;
	c.max_ints = KTRACE_MAX_INTS;
	c.max_strtab = KTRACE_MAX_STRTAB;
	c.max_vars = KTRACE_MAX_VARS;
	c.max_aggs = KTRACE_MAX_AGGS;
	c.max_actions = KTRACE_MAX_ACTIONS;
	c.max_clauses = KTRACE_MAX_CLAUSES;
	c.max_enablings = KTRACE_MAX_ENABLINGS;
	c.max_tuple = KTRACE_TUPLE_MAX;
	c.max_strsize = KTRACE_MAX_STRSIZE;
	c.max_loops = KTRACE_MAX_LOOPS;
	c.ncpus = nr_cpu_ids;
	c.max_bufsize = KTRACE_MAX_BUFSIZE;
	c.max_aggsize = KTRACE_MAX_AGGSIZE;
	c.max_dynvarsize = KTRACE_MAX_DYNVARSIZE;
	c.max_stackframes = KTRACE_MAX_STACKFRAMES;
	c.max_fbt_return = KTRACE_FBT_MAX_RETURN;
	c.max_insn_budget = KTRACE_MAX_BUDGET;
	c.max_firing_ms = KTRACE_FIRING_MAX_MS;
	c.max_verify_work = KTRACE_MAX_VERIFY_WORK;
	c.max_probe_query = KTRACE_MAX_PROBE_QUERY;
	c.mem_limit = ktrace_mem_limit_bytes();
	c.mem_used = ktrace_mem_in_use();
	return put_struct(arg, &c, sizeof(c), usize);
}

/* ------------------------------------------------------------------ */
/* KTRACE_IOC_LOAD                                                     */
/* ------------------------------------------------------------------ */

/* Effective options: the VM's defaults, sizes rounded as the buffers need. */
static void fill_opts(struct ktrace_opts *o)
{
	ktrace_opts_defaults(o);
	o->bufsize = roundup_pow_of_two(o->bufsize);
	o->aggsize = PAGE_ALIGN(o->aggsize);
	o->dynvarsize = ALIGN(o->dynvarsize, 8);
	o->specsize = ALIGN(o->specsize, 8);
}

static bool prog_uses_dynvars(const struct ktrace_prog *prog)
{
	u32 i;

	for (i = 0; i < prog->nvars; i++)
		if (prog->vars[i].scope == KTRACE_SCOPE_TLS ||
		    prog->vars[i].scope == KTRACE_SCOPE_GARRAY ||
		    prog->vars[i].scope == KTRACE_SCOPE_TARRAY)
			return true;
	return false;
}

/*
 * Bytes of one aggregation copy: a program without aggregations gets one
 * page (an empty, valid copy) instead of aggsize, which vmalloc_user()
 * would zero for nothing (megabytes per CPU: most of a short session's
 * start-up under emulation).
 */
static u64 agg_copy_size(const struct ktrace_session *s)
{
	return s->prog->naggs ? s->opts.aggsize : PAGE_SIZE;
}

/* The mapping's size: header pages, then per CPU buffer and aggregation pages. */
static u64 map_bytes(const struct ktrace_session *s, u64 *hdrp, u64 *per_cpup)
{
	u64 per_cpu = PAGE_SIZE + s->opts.bufsize + 2 * agg_copy_size(s);
	u64 hdr = PAGE_ALIGN(sizeof(struct ktrace_map_hdr) +
			     (u64)nr_cpu_ids * sizeof(struct ktrace_cpu_area));

	if (hdrp)
		*hdrp = hdr;
	if (per_cpup)
		*per_cpup = per_cpu;
	return hdr + per_cpu * num_possible_cpus();
}

/*
 * Everything LOAD is about to allocate for s, by kind (for mem.c): the
 * mapped buffers, the speculation buffers, the dynamic variable space,
 * and the rest (per-CPU VM state: scratch, clause locals, record
 * staging; the globals, the ECBs, the program).
 */
static void session_mem(const struct ktrace_session *s, u64 dynsize, struct ktrace_mem *m)
{
	const struct ktrace_opts *o = &s->opts;
	const struct ktrace_prog *prog = s->prog;
	u64 ncpus = num_possible_cpus();
	u64 cpu_state = sizeof(struct ktrace_cpu) + 8ULL * o->strsize + KTRACE_SCRATCH_EXTRA +
			max_t(u32, prog->locals_size, 8) +
			min_t(u64, KTRACE_REC_STAGING, o->bufsize / 4) +
			(u64)s->nspec * sizeof(struct ktrace_specbuf);

	m->bufs = map_bytes(s, NULL, NULL);
	m->spec = ncpus * s->nspec * o->specsize;
	m->dyn = dynsize;
	m->other = ncpus * cpu_state + max_t(u32, prog->globals_size, 8) +
		   (u64)s->nspec * sizeof(*s->spec) + (u64)nr_cpu_ids * sizeof(*s->cpu) +
		   (u64)max_t(u32, prog->nenablings, 1) * sizeof(*s->ecbs) + prog->blob_size;
}

/* The mapping: header pages, then per CPU: buf header page + data, 2 agg copies. */
static int alloc_map(struct ktrace_session *s, struct ktrace_vlog *log)
{
	const struct ktrace_opts *o = &s->opts;
	u64 aggsize = agg_copy_size(s);
	u64 hdr, per_cpu, total = map_bytes(s, &hdr, &per_cpu);
	struct ktrace_map_hdr *mh;
	u64 off = hdr;
	unsigned int cpu;

	if (total > (u64)INT_MAX * PAGE_SIZE) {
		ktrace_vlog(log, "options: buffers need %llu bytes (%llu per CPU), over %llu\n",
			    total, per_cpu, (u64)INT_MAX * PAGE_SIZE);
		return -ENOMEM;
	}
	/* mapped page by page (ktrace_session_mmap), so no VM_USERMAP needed */
	s->map = __vmalloc(total, KTRACE_GFP_MAYFAIL | __GFP_ZERO);
	if (!s->map) {
		ktrace_vlog(log, "options: cannot allocate %llu bytes of buffers\n", total);
		return -ENOMEM;
	}
	s->map_size = total;
	s->hdr_map_size = hdr;
	mh = s->map;
	mh->magic = KTRACE_OBJ_MAGIC;
	mh->version = KTRACE_ABI_VERSION;
	mh->ncpus = nr_cpu_ids;
	mh->page_size = PAGE_SIZE;
	mh->map_size = total;
	for_each_possible_cpu(cpu) {
		struct ktrace_cpu_area *a = &mh->cpu[cpu];

		a->buf_off = off;
		a->buf_size = o->bufsize;
		off += PAGE_SIZE + o->bufsize;
		a->agg_off[0] = off;
		a->agg_off[1] = off + aggsize;
		a->agg_size = aggsize;
		off += 2 * aggsize;
	}
	s->mhdr = mh;
	return 0;
}

static int alloc_cpu(struct ktrace_session *s, unsigned int cpu)
{
	const struct ktrace_opts *o = &s->opts;
	struct ktrace_cpu_area *a = &s->mhdr->cpu[cpu];
	struct ktrace_cpu *c;
	u32 i;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	s->cpu[cpu] = c;
	c->sess = s;
	c->cpu = cpu;
	c->bhdr = s->map + a->buf_off;
	c->bdata = s->map + a->buf_off + PAGE_SIZE;
	c->bsize = o->bufsize;
	c->consumer_tail = &a->consumer_tail;
	c->wake_armed = true;
	for (i = 0; i < 2; i++) {
		c->agg[i].hdr = s->map + a->agg_off[i];
		c->agg[i].size = a->agg_size;
		ktrace_aggbuf_reset(&c->agg[i]);
	}
	c->vm.rt = &s->rt;
	c->vm.prog = s->prog;
	c->vm.agg = &c->agg[0];
	c->vm.env = c;
	c->vm.scratch_size = 8 * o->strsize + KTRACE_SCRATCH_EXTRA;
	c->vm.scratch = kvzalloc(c->vm.scratch_size, KTRACE_GFP_MAYFAIL);
	c->vm.locals = kvzalloc(max_t(u32, s->prog->locals_size, 8), KTRACE_GFP_MAYFAIL);
	c->vm.rec_size = min_t(u64, KTRACE_REC_STAGING, o->bufsize / 4);
	c->vm.rec = kvzalloc(c->vm.rec_size, KTRACE_GFP_MAYFAIL);
	if (!c->vm.scratch || !c->vm.locals || !c->vm.rec)
		return -ENOMEM;
	c->spec = kcalloc(s->nspec, sizeof(*c->spec), GFP_KERNEL);
	if (!c->spec)
		return -ENOMEM;
	c->spec[0].data = kvzalloc((size_t)s->nspec * o->specsize, KTRACE_GFP_MAYFAIL);
	if (!c->spec[0].data)
		return -ENOMEM;
	for (i = 0; i < s->nspec; i++) {
		c->spec[i].data = c->spec[0].data + (size_t)i * o->specsize;
		c->spec[i].size = o->specsize;
	}
	ktrace_env_cpu_init(c);
	return 0;
}

/*
 * What of a clause's code cannot run in NMI context (docs/architecture.md,
 * "NMI context"): the name of the first such subroutine or action, or NULL.
 * chill() busy-waits; copyout()/copyoutstr() write user memory.
 */
static const char *range_nmi_unsafe(const struct ktrace_prog *prog, u32 start, u32 len)
{
	const struct ktrace_insn *in;
	u32 i;

	for (i = start; i < start + len && i < prog->ninsns; i++) {
		in = &prog->insns[i];
		if (in->op == KTRACE_OP_CALL && in->imm == KTRACE_SUBR_COPYOUT)
			return "copyout()";
		if (in->op == KTRACE_OP_CALL && in->imm == KTRACE_SUBR_COPYOUTSTR)
			return "copyoutstr()";
		if (in->op == KTRACE_OP_ACT && (u32)in->imm < prog->nactions &&
		    prog->actions[in->imm].kind == KTRACE_ACT_CHILL)
			return "chill()";
	}
	return NULL;
}

static int check_nmi_clause(const struct ktrace_prog *prog, u32 clause,
			    const struct ktrace_probe *p, struct ktrace_vlog *log)
{
	const struct ktrace_clause_desc *cd = &prog->clauses[clause];
	const char *what;

	if (!p->prov->fires_in_nmi || !p->prov->fires_in_nmi(p))
		return 0;
	what = range_nmi_unsafe(prog, cd->pred_start, cd->pred_len) ?:
	       range_nmi_unsafe(prog, cd->body_start, cd->body_len);
	if (!what)
		return 0;
	ktrace_vlog(log, "clause %u: %s cannot run in NMI context, where %s:%s:%s:%s fires\n",
		    clause, what, p->desc.provider, p->desc.module, p->desc.function,
		    p->desc.name);
	return -EINVAL;
}

static int build_session(struct ktrace_session *s, struct ktrace_vlog *log)
{
	const struct ktrace_prog *prog = s->prog;
	struct ktrace_mem mem;
	unsigned int cpu;
	u64 dynsize;
	u32 i;
	int err;

	s->opts = prog->opts;
	fill_opts(&s->opts);
	s->destructive = s->opts.flags & KTRACE_OPT_F_DESTRUCTIVE;
	s->nodeadman = s->opts.flags & KTRACE_OPT_F_NODEADMAN;
	s->nspec = s->opts.nspec;
	s->watermark = max_t(u64, s->opts.bufsize / 4, 1);
	dynsize = prog_uses_dynvars(prog) ? s->opts.dynvarsize : KTRACE_MIN_DYNVARSIZE;

	session_mem(s, dynsize, &mem);
	err = ktrace_mem_reserve(s, &mem, log);
	if (err)
		return err;
	err = alloc_map(s, log);
	if (err)
		return err;

	s->globals = kvzalloc(max_t(u32, prog->globals_size, 8), KTRACE_GFP_MAYFAIL);
	s->dynmem = kvzalloc(dynsize, KTRACE_GFP_MAYFAIL);
	s->spec = kcalloc(s->nspec, sizeof(*s->spec), GFP_KERNEL);
	s->cpu = kcalloc(nr_cpu_ids, sizeof(*s->cpu), GFP_KERNEL);
	s->ecbs = kcalloc(max_t(u32, prog->nenablings, 1), sizeof(*s->ecbs), GFP_KERNEL);
	if (!s->globals || !s->dynmem || !s->spec || !s->cpu || !s->ecbs) {
		ktrace_vlog(log, "out of memory for session state\n");
		return -ENOMEM;
	}
	s->dynsize = dynsize;
	err = ktrace_dynvars_init(&s->rt.dynvars, s->dynmem, dynsize);
	if (err) {
		ktrace_vlog(log, "option dynvarsize: cannot initialise %llu bytes\n", dynsize);
		return err;
	}
	s->clean_on = prog_uses_dynvars(prog);
	s->rt.prog = prog;
	s->rt.globals = s->globals;
	s->rt.owner = s;

	for_each_possible_cpu(cpu) {
		err = alloc_cpu(s, cpu);
		if (err) {
			ktrace_vlog(log, "out of memory for CPU %u state\n", cpu);
			return err;
		}
	}

	s->only_dtrace = true;
	for (i = 0; i < prog->nenablings; i++) {
		const struct ktrace_enabling *en = &prog->enablings[i];
		struct ktrace_ecb *e = &s->ecbs[i];

		if (en->clause >= prog->nclauses) {
			ktrace_vlog(log, "enabling %u: clause %u does not exist\n", i, en->clause);
			return -EINVAL;
		}
		e->probe = ktrace_probe_lookup_id(en->probe);
		if (!e->probe) {
			ktrace_vlog(log, "enabling %u: no probe with id %u\n", i, en->probe);
			return -ENOENT;
		}
		err = check_nmi_clause(prog, en->clause, e->probe, log);
		if (err)
			return err;
		if (en->probe == KTRACE_PROBE_END)
			s->has_end = true;
		if (en->probe > KTRACE_PROBE_ERROR)
			s->only_dtrace = false;
		e->sess = s;
		e->clause = &prog->clauses[en->clause];
		e->epid = i + 1;
		INIT_LIST_HEAD(&e->node);
	}
	s->necbs = prog->nenablings;
	if (s->opts.bufpolicy == KTRACE_BUFPOLICY_FILL && s->has_end)
		s->reserve = min_t(u64, s->opts.bufsize / 4, KTRACE_REC_STAGING);
	return 0;
}

static long ioc_load(struct ktrace_session *s, unsigned long arg)
{
	struct ktrace_load ld;
	struct ktrace_vlog log = { };
	void *obj = NULL;
	u32 usize;
	long err;

	err = get_struct(&ld, sizeof(ld), arg, &usize);
	if (err)
		return err;
	if (ld.flags || ld.reserved)
		return -EINVAL;
	/* out fields (log_used, map_size, hdr_map_size) are ignored on input */
	ld.log_used = 0;
	if (ld.log_size > KTRACE_MAX_LOG_SIZE || (ld.log_size && !ld.log_buf))
		return -EINVAL;
	if (ld.obj_size < sizeof(struct ktrace_obj_hdr) || !ld.obj)
		return -EINVAL;
	if (ld.obj_size > KTRACE_MAX_OBJ_SIZE)
		return -E2BIG;
	if (s->state != KTRACE_STATE_NEW)
		return -EBUSY;

	if (ld.log_size) {
		log.buf = kvzalloc(ld.log_size, KTRACE_GFP_MAYFAIL);
		if (!log.buf)
			return -ENOMEM;
		log.size = ld.log_size;
	}
	if ((ld.opts.flags & KTRACE_OPT_F_DESTRUCTIVE) && !capable(CAP_SYS_ADMIN)) {
		ktrace_vlog(&log, "options: destructive actions need CAP_SYS_ADMIN\n");
		err = -EPERM;
		goto out_log;
	}
	obj = kvmalloc(ld.obj_size, KTRACE_GFP_MAYFAIL);
	if (!obj) {
		err = -ENOMEM;
		goto out_log;
	}
	if (copy_from_user(obj, u64_to_user_ptr(ld.obj), ld.obj_size)) {
		err = -EFAULT;
		goto out_log;
	}
	ktrace_env_check_lockdown();
	err = ktrace_prog_load(obj, ld.obj_size, &ld.opts, &log, &s->prog);
	if (err) {
		s->prog = NULL;
		goto out_log;
	}
	if ((s->prog->hdr->flags & KTRACE_OBJ_F_DESTRUCTIVE) &&
	    !(ld.opts.flags & KTRACE_OPT_F_DESTRUCTIVE)) {
		ktrace_vlog(&log, "program uses destructive actions: they must be allowed (-w)\n");
		err = -EPERM;
		goto out_free;
	}
	err = build_session(s, &log);
	if (err)
		goto out_free;

	ld.map_size = s->map_size;
	ld.hdr_map_size = s->hdr_map_size;
	ld.opts = s->opts;
	WRITE_ONCE(s->state, KTRACE_STATE_LOADED);
	goto out_log;
out_free:
	session_free_load(s);
out_log:
	kvfree(obj);
	if (ld.log_size) {
		ld.log_used = log.used + 1;
		if (copy_to_user(u64_to_user_ptr(ld.log_buf), log.buf, ld.log_used) && !err)
			err = -EFAULT;
	}
	kvfree(log.buf);
	if (put_struct(arg, &ld, sizeof(ld), usize) && !err)
		err = -EFAULT;
	if (!err) {
		/*
		 * Everything built: mmap may look now.  Pairs with the
		 * smp_load_acquire in ktrace_session_mmap, which takes no
		 * s->lock: the map's contents, map_size and hdr_map_size
		 * before the pointer.
		 */
		smp_store_release(&s->mapped, s->map);
	} else if (s->state == KTRACE_STATE_LOADED) {
		/* could not report success: undo */
		WRITE_ONCE(s->state, KTRACE_STATE_NEW);
		session_free_load(s);
	}
	return err;
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

static long ioc_go(struct ktrace_session *s, unsigned long arg)
{
	struct ktrace_go go;
	u32 usize;
	u64 now, errors;
	int err;

	err = get_struct(&go, sizeof(go), arg, &usize);
	if (err)
		return err;
	if (go.flags || go.reserved)
		return -EINVAL;
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
	 * counters) before ACTIVE.  Pairs with the smp_rmb in ioc_status,
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

static long ioc_stop(struct ktrace_session *s, unsigned long arg)
{
	struct ktrace_stop st;
	u32 usize;
	int err, state;

	err = get_struct(&st, sizeof(st), arg, &usize);
	if (err)
		return err;
	if (st.flags || st.reserved)
		return -EINVAL;
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
/* STATUS / AGGSNAP                                                    */
/* ------------------------------------------------------------------ */

static long ioc_status(struct ktrace_session *s, unsigned long arg)
{
	struct ktrace_status st;
	unsigned int cpu;
	u32 usize;
	int err;

	err = get_struct(&st, sizeof(st), arg, &usize);
	if (err)
		return err;
	if (st.flags)
		return -EINVAL;
	WRITE_ONCE(s->heartbeat, ktime_get_mono_fast_ns());
	memset(&st, 0, sizeof(st));
	st.size = min_t(u32, usize, sizeof(st));
	st.state = READ_ONCE(s->state);
	/*
	 * The state before what it guards: abort_reason, exited and
	 * exit_status (ordered before their state by the cmpxchg in
	 * ktrace_session_abort and ktrace_session_exit) and s->cpu with its
	 * counters (by ioc_go's smp_store_release of ACTIVE).  GO's failure
	 * path writes abort_reason, then KILLED, with WRITE_ONCE alone: x86
	 * keeps those two stores in order, as this barrier needs.
	 */
	smp_rmb();
	st.abort_reason = READ_ONCE(s->abort_reason);
	st.exited = READ_ONCE(s->exited);
	st.exit_status = READ_ONCE(s->exit_status);
	/*
	 * Counters exist from GO on.  Not in LOADED: STATUS does not take
	 * s->lock, and a LOAD that cannot copy its answer back goes
	 * LOADED -> NEW and frees s->cpu under it.
	 */
	if (st.state != KTRACE_STATE_NEW && st.state != KTRACE_STATE_LOADED && s->cpu) {
		for_each_possible_cpu(cpu) {
			struct ktrace_cpu *c = s->cpu[cpu];

			if (!c)
				continue;
			st.errors += READ_ONCE(c->errors);
			st.double_errors += READ_ONCE(c->double_errors);
			st.spec_drops += READ_ONCE(c->spec_drops);
			st.spec_unavail += READ_ONCE(c->spec_unavail);
			st.spec_busy += READ_ONCE(c->spec_busy);
			st.recursion_drops += READ_ONCE(c->recursion_drops);
			st.budget_faults += READ_ONCE(c->budget_faults);
		}
		ktrace_dynvars_counters(s->rt.dynvars, &st.dynvar_drops,
					&st.dynvar_dirty_drops);
		ktrace_genl_check_drops(s);
	}
	return put_struct(arg, &st, sizeof(st), usize);
}

static void aggflip_ipi(void *arg)
{
	struct ktrace_session *s = arg;
	struct ktrace_cpu *c = s->cpu[smp_processor_id()];

	if (!c)
		return;
	c->agg_active ^= 1;
	c->vm.agg = &c->agg[c->agg_active];
}

/* An offline CPU runs no probe: flip it directly (CPU hotplug is held off). */
static void aggflip_offline(struct ktrace_session *s, unsigned int cpu)
{
	struct ktrace_cpu *c = s->cpu[cpu];

	c->agg_active ^= 1;
	c->vm.agg = &c->agg[c->agg_active];
}

static long ioc_aggsnap(struct ktrace_session *s, unsigned long arg)
{
	struct ktrace_aggsnap as;
	unsigned int cpu;
	u32 usize;
	int err;

	err = get_struct(&as, sizeof(as), arg, &usize);
	if (err)
		return err;
	if (as.flags || as.reserved || as.readable)
		return -EINVAL;
	if (s->state == KTRACE_STATE_NEW)
		return -ENOENT;
	/* the copy read last time is inactive everywhere: empty it */
	if (s->agg_readable >= 0)
		for_each_possible_cpu(cpu)
			ktrace_aggbuf_reset(&s->cpu[cpu]->agg[s->agg_readable]);
	/* a CPU in probe context has irqs off: the flip cannot split an update */
	cpus_read_lock();
	on_each_cpu(aggflip_ipi, s, 1);
	/* offline CPUs did not get the IPI: flip them here (nothing runs there) */
	for_each_possible_cpu(cpu)
		if (!cpu_online(cpu))
			aggflip_offline(s, cpu);
	cpus_read_unlock();
	s->agg_readable = s->cpu[cpumask_first(cpu_possible_mask)]->agg_active ^ 1;
	as.readable = s->agg_readable;
	as.size = min_t(u32, usize, sizeof(as));
	return put_struct(arg, &as, sizeof(as), usize);
}

/* ------------------------------------------------------------------ */
/* ioctl / mmap / poll                                                 */
/* ------------------------------------------------------------------ */

long ktrace_session_ioctl(struct ktrace_session *s, unsigned int cmd, unsigned long arg)
{
	long err;

	switch (cmd) {
	case KTRACE_IOC_CONF:
		return ioc_conf(arg);
	case KTRACE_IOC_PROBES:
		return ktrace_probe_query((void __user *)arg);
	case KTRACE_IOC_STATUS:
		return ioc_status(s, arg);
	case KTRACE_IOC_LOAD:
	case KTRACE_IOC_GO:
	case KTRACE_IOC_STOP:
	case KTRACE_IOC_AGGSNAP:
		break;
	default:
		return -ENOTTY;
	}
	if (mutex_lock_interruptible(&s->lock))
		return -EINTR;
	switch (cmd) {
	case KTRACE_IOC_LOAD:
		err = ioc_load(s, arg);
		break;
	case KTRACE_IOC_GO:
		err = ioc_go(s, arg);
		break;
	case KTRACE_IOC_STOP:
		err = ioc_stop(s, arg);
		break;
	default:
		err = ioc_aggsnap(s, arg);
		break;
	}
	mutex_unlock(&s->lock);
	return err;
}

int ktrace_session_mmap(struct ktrace_session *s, struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	unsigned long addr;
	void *map;

	/*
	 * LOAD published the map; it lives until release (after every
	 * munmap).  Pairs with ioc_load's smp_store_release of s->mapped:
	 * map_size and hdr_map_size are read after it.
	 */
	map = smp_load_acquire(&s->mapped);
	if (!map)
		return -ENODEV;
	if (off >= s->map_size || len > s->map_size - off)
		return -EINVAL;
	if (off + len > s->hdr_map_size) {
		/* the kernel-written part is read-only */
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		vma->vm_flags &= ~VM_MAYWRITE;
	}
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP;
	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE, off += PAGE_SIZE) {
		int err = vm_insert_page(vma, addr, vmalloc_to_page(map + off));

		if (err)
			return err;
		if (!(off & (SZ_4M - 1)))
			cond_resched();
	}
	return 0;
}

__poll_t ktrace_session_poll(struct ktrace_session *s, struct file *file, poll_table *pt)
{
	__poll_t mask = 0;
	unsigned int cpu;
	int st;

	poll_wait(file, &s->wq, pt);
	/*
	 * Pairs with ioc_go's smp_store_release of ACTIVE, which orders
	 * s->cpu before it; no barrier follows this load (x86 keeps loads in
	 * order, see probe.c:ecb_may_run).
	 */
	st = READ_ONCE(s->state);
	if (st == KTRACE_STATE_NEW || st == KTRACE_STATE_LOADED)
		return 0;
	if (st == KTRACE_STATE_DRAINING || st == KTRACE_STATE_STOPPED ||
	    st == KTRACE_STATE_KILLED)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLPRI;
	for_each_possible_cpu(cpu)
		if (ktrace_buf_readable(s->cpu[cpu]))
			mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}
