// SPDX-License-Identifier: GPL-2.0
/*
 * probe.c: the probe registry, the ECB lists and the dispatcher.
 *
 * Locks (see ktrace_internal.h for the global order):
 *   ktrace_probe_mutex   process context only.  Protects the registry
 *                        (ktrace_probe_ids, ktrace_probe_hash, the
 *                        provider list), every probe's ECB list writers,
 *                        nenabled/enabled, and the calls to a provider's
 *                        create/enable/disable/populate/destroy.
 *   RCU                  probe context walks a probe's ECB list with
 *                        interrupts disabled (an RCU read-side section);
 *                        detaching ECBs is followed by a grace period
 *                        (synchronize_rcu_expedited()) before they are
 *                        freed.  ktrace_probe_lookup_id()
 *                        uses the xarray's own RCU lookup.
 *   per-CPU ktrace_in_probe  the recursion guard (probe_ctx.c says who
 *                        touches it): taken and dropped here by every
 *                        firing, with interrupts disabled.
 *
 * Probe context (ktrace_probe_fire) never sleeps, allocates or takes a
 * lock: everything it writes is per-CPU session state, the session's
 * state word (cmpxchg) and the session's irq_work.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/uaccess.h>
#include <linux/percpu.h>
#include <linux/hardirq.h>
#include <linux/timekeeping.h>
#include <linux/jiffies.h>
#include <linux/rculist.h>
#include <linux/sched/signal.h>
#include "ktrace_internal.h"
#include "bench_phase.h"

DEFINE_MUTEX(ktrace_probe_mutex);
static DEFINE_XARRAY_ALLOC1(ktrace_probe_ids);
static DEFINE_HASHTABLE(ktrace_probe_hash, 12);
static LIST_HEAD(ktrace_providers);

/* ------------------------------------------------------------------ */
/* registry                                                            */
/* ------------------------------------------------------------------ */

static u32 probe_hash(const char *prov, const char *mod, const char *func,
		      const char *name, u32 pid)
{
	u32 h = jhash(prov, strlen(prov), pid);

	h = jhash(mod, strlen(mod), h);
	h = jhash(func, strlen(func), h);
	return jhash(name, strlen(name), h);
}

static struct ktrace_probe *probe_find(const char *prov, const char *mod,
				       const char *func, const char *name, u32 pid)
{
	struct ktrace_probe *p;
	u32 h = probe_hash(prov, mod, func, name, pid);

	lockdep_assert_held(&ktrace_probe_mutex);
	hash_for_each_possible(ktrace_probe_hash, p, hnode, h) {
		if (p->desc.pid == pid && !strcmp(p->desc.provider, prov) &&
		    !strcmp(p->desc.module, mod) && !strcmp(p->desc.function, func) &&
		    !strcmp(p->desc.name, name))
			return p;
	}
	return NULL;
}

/* Give p an id and make it visible; p->desc is filled. */
static int probe_insert(struct ktrace_probe *p)
{
	u32 id;
	int err;

	err = xa_alloc(&ktrace_probe_ids, &id, p, xa_limit_32b, GFP_KERNEL);
	if (err)
		return err;
	p->id = id;
	p->desc.id = id;
	hash_add(ktrace_probe_hash, &p->hnode,
		 probe_hash(p->desc.provider, p->desc.module, p->desc.function,
			    p->desc.name, p->desc.pid));
	return 0;
}

static struct ktrace_probe *probe_alloc(const struct ktrace_provider *prov,
					const char *mod, const char *func,
					const char *name)
{
	struct ktrace_probe *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	p->prov = prov;
	INIT_LIST_HEAD(&p->ecbs);
	INIT_HLIST_NODE(&p->hnode);
	strscpy(p->desc.provider, prov->name, sizeof(p->desc.provider));
	strscpy(p->desc.module, mod ?: "", sizeof(p->desc.module));
	strscpy(p->desc.function, func ?: "", sizeof(p->desc.function));
	strscpy(p->desc.name, name ?: "", sizeof(p->desc.name));
	return p;
}

/*
 * Add a probe a provider can enumerate itself; returns the existing one
 * if already registered.  Under ktrace_probe_mutex (populate/init paths).
 */
struct ktrace_probe *ktrace_probe_add(const struct ktrace_provider *prov,
				      const char *mod, const char *func,
				      const char *name)
{
	struct ktrace_probe *p;

	lockdep_assert_held(&ktrace_probe_mutex);
	p = probe_find(prov->name, mod ?: "", func ?: "", name ?: "", 0);
	if (p)
		return p;
	p = probe_alloc(prov, mod, func, name);
	if (!p)
		return NULL;
	if (probe_insert(p)) {
		kfree(p);
		return NULL;
	}
	return p;
}
EXPORT_SYMBOL_GPL(ktrace_probe_add);

struct ktrace_probe *ktrace_probe_lookup_id(u32 id)
{
	return xa_load(&ktrace_probe_ids, id);
}

int ktrace_provider_register(struct ktrace_provider *prov)
{
	int err = 0;

	if (prov->init) {
		err = prov->init();
		if (err)
			return err;
	}
	mutex_lock(&ktrace_probe_mutex);
	list_add_tail(&prov->list, &ktrace_providers);
	if (prov->populate)
		err = prov->populate();
	mutex_unlock(&ktrace_probe_mutex);
	if (err)
		pr_warn("ktrace: provider %s: populate failed (%d)\n", prov->name, err);
	return 0;
}

int ktrace_probes_init(void)
{
	return 0;
}

/* Module exit: every session is gone, so no probe has an ECB. */
void ktrace_probes_exit(void)
{
	struct ktrace_provider *prov, *tmp;
	struct ktrace_probe *p;
	unsigned long id;

	mutex_lock(&ktrace_probe_mutex);
	xa_for_each(&ktrace_probe_ids, id, p) {
		WARN_ON_ONCE(!list_empty(&p->ecbs));
		xa_erase(&ktrace_probe_ids, id);
		hash_del(&p->hnode);
		if (p->prov->destroy)
			p->prov->destroy(p);
		kfree(p->path);
		kfree(p);
	}
	list_for_each_entry_safe(prov, tmp, &ktrace_providers, list)
		list_del(&prov->list);
	mutex_unlock(&ktrace_probe_mutex);
	/* providers' own exit, in reverse order of registration, by main.c */
}

/* ------------------------------------------------------------------ */
/* KTRACE_IOC_PROBES                                                   */
/* ------------------------------------------------------------------ */

static int desc_str_ok(const char *s, size_t len)
{
	return strnlen(s, len) < len;
}

/* By the description's flags (USDT: any provider name), else by name. */
static const struct ktrace_provider *provider_for(const struct ktrace_probe_desc *d)
{
	const struct ktrace_provider *prov;
	const char *name = d->provider;

	list_for_each_entry(prov, &ktrace_providers, list) {
		if (d->flags || prov->pd_flags) {
			if (d->flags == prov->pd_flags)
				return prov;
			continue;
		}
		if (!strcmp(prov->name, name))
			return prov;
		if (prov->match_name && prov->match_name(name))
			return prov;
	}
	return NULL;
}

static int probe_lookup_one(struct ktrace_probe_desc *d)
{
	const struct ktrace_provider *prov;
	struct ktrace_probe *p;
	char *path = NULL;
	int err;

	if ((d->flags & ~KTRACE_PD_F_ALL) || d->reserved || d->id ||
	    !(d->flags & KTRACE_PD_F_USDT) != !d->usdt)
		return -EINVAL;
	if (!desc_str_ok(d->provider, sizeof(d->provider)) ||
	    !desc_str_ok(d->module, sizeof(d->module)) ||
	    !desc_str_ok(d->function, sizeof(d->function)) ||
	    !desc_str_ok(d->name, sizeof(d->name)) || !d->provider[0])
		return -EINVAL;

	prov = provider_for(d);
	if (!prov)
		return -ENOENT;
	p = probe_find(d->provider, d->module, d->function, d->name, d->pid);
	if (p)
		goto found;
	if (!prov->create)
		return -ENOENT;
	if (d->path) {
		path = strndup_user(u64_to_user_ptr(d->path), PATH_MAX);
		if (IS_ERR(path))
			return PTR_ERR(path);
	}
	p = probe_alloc(prov, d->module, d->function, d->name);
	if (!p) {
		kfree(path);
		return -ENOMEM;
	}
	/* keep the user's provider spelling ("pid123") */
	strscpy(p->desc.provider, d->provider, sizeof(p->desc.provider));
	p->desc.addr = d->addr;
	p->desc.pid = d->pid;
	p->path = path;
	err = prov->create(p, d);
	if (err)
		goto free;
	err = probe_insert(p);
	if (err) {
		if (prov->destroy)
			prov->destroy(p);
		goto free;
	}
found:
	d->id = p->id;
	d->flags = 0;
	return 0;
free:
	kfree(p->path);
	kfree(p);
	return err;
}

static void desc_out(struct ktrace_probe_desc *o, const struct ktrace_probe *p)
{
	*o = p->desc;
	o->id = p->id;
	o->flags = 0;
	o->path = 0;
	o->reserved = 0;
	o->usdt = 0;
}

/*
 * Count one more descriptor of a query in *n; after each batch of them,
 * let others have the probe mutex and the CPU: -EINTR when the caller is
 * being killed.  Called with the mutex held, returns with it held.
 */
static int query_next(u32 *n)
{
	if (++*n % KTRACE_PROBE_QUERY_BATCH)
		return 0;
	mutex_unlock(&ktrace_probe_mutex);
	cond_resched();
	mutex_lock(&ktrace_probe_mutex);
	return fatal_signal_pending(current) ? -EINTR : 0;
}

long ktrace_probe_query(void __user *arg)
{
	struct ktrace_probe_query q;
	struct ktrace_probe_desc d;
	const struct ktrace_provider *prov;
	u32 __user *usize = arg;
	u32 size, i, n = 0;
	long err = 0;

	if (get_user(size, usize))
		return -EFAULT;
	err = ktrace_copy_struct_from_user(&q, sizeof(q), arg, size);
	if (err)
		return err;
	if (q.op > KTRACE_PROBE_LOOKUP || q.desc_size < offsetofend(struct ktrace_probe_desc, name) ||
	    q.desc_size > PAGE_SIZE || (q.count && !q.descs) || q.next)
		return -EINVAL;
	if (q.op == KTRACE_PROBE_LIST && q.errors)
		return -EINVAL;
	if (q.count > KTRACE_MAX_PROBE_QUERY)
		return -E2BIG;

	mutex_lock(&ktrace_probe_mutex);
	if (q.op == KTRACE_PROBE_LIST) {
		struct ktrace_probe *p;
		unsigned long id = max_t(u32, q.start, 1);

		list_for_each_entry(prov, &ktrace_providers, list)
			if (prov->populate)
				prov->populate();
		q.next = 0;
		xa_for_each_start(&ktrace_probe_ids, id, p, id) {
			if (n == q.count) {
				q.next = id;
				break;
			}
			memset(&d, 0, sizeof(d));
			desc_out(&d, p);
			if (copy_to_user(u64_to_user_ptr(q.descs) + (u64)n * q.desc_size,
					 &d, min_t(u32, q.desc_size, sizeof(d))) ||
			    (q.desc_size > sizeof(d) &&
			     clear_user(u64_to_user_ptr(q.descs) + (u64)n * q.desc_size + sizeof(d),
					q.desc_size - sizeof(d)))) {
				err = -EFAULT;
				goto unlock;
			}
			/* p is not used past this point: it may go while unlocked */
			err = query_next(&n);
			if (err)
				goto unlock;
		}
	} else {
		for (i = 0; i < q.count; i++) {
			void __user *ud = u64_to_user_ptr(q.descs) + (u64)i * q.desc_size;
			int e;

			e = ktrace_copy_struct_from_user(&d, sizeof(d), ud, q.desc_size);
			if (!e)
				e = probe_lookup_one(&d);
			if (!e && copy_to_user(ud, &d, offsetofend(struct ktrace_probe_desc, flags)))
				e = -EFAULT;
			if (q.errors) {
				s32 ev = e;

				if (copy_to_user(u64_to_user_ptr(q.errors) + (u64)i * sizeof(s32),
						 &ev, sizeof(ev))) {
					err = -EFAULT;
					goto unlock;
				}
			} else if (e) {
				err = e;
				goto unlock;
			}
			err = query_next(&n);
			if (err)
				goto unlock;
		}
	}
	q.count = n;
	if (put_user(q.count, &((struct ktrace_probe_query __user *)arg)->count) ||
	    put_user(q.next, &((struct ktrace_probe_query __user *)arg)->next))
		err = -EFAULT;
unlock:
	mutex_unlock(&ktrace_probe_mutex);
	return err;
}

/* ------------------------------------------------------------------ */
/* ECB lists                                                           */
/* ------------------------------------------------------------------ */

static void ecb_detach_one(struct ktrace_ecb *e)
{
	struct ktrace_probe *p = e->probe;

	if (!e->attached)
		return;
	list_del_rcu(&e->node);
	e->attached = false;
	if (--p->nenabled == 0 && p->enabled) {
		if (p->prov->disable)
			p->prov->disable(p);
		p->enabled = false;
	}
}

/*
 * Attach every ECB; all or nothing.  The ECBs are visible to probe
 * context as soon as attached, so the session must not be ACTIVE yet.
 */
static void batch_begin(void)
{
	struct ktrace_provider *prov;

	list_for_each_entry(prov, &ktrace_providers, list)
		if (prov->batch_begin)
			prov->batch_begin();
}

/* Apply the providers' deferred work; the first error is returned. */
static int batch_end(void)
{
	struct ktrace_provider *prov;
	int err = 0, e;

	list_for_each_entry(prov, &ktrace_providers, list) {
		if (!prov->batch_end)
			continue;
		e = prov->batch_end();
		if (e && !err)
			err = e;
	}
	return err;
}

static void detach_locked(struct ktrace_ecb *ecbs, u32 n)
{
	u32 i;

	batch_begin();
	for (i = n; i-- > 0;)
		ecb_detach_one(&ecbs[i]);
	batch_end();
}

/*
 * Attach every ECB; all or nothing.  The ECBs are visible to probe
 * context as soon as attached, so the session must not be ACTIVE yet.
 */
int ktrace_ecbs_attach(struct ktrace_ecb *ecbs, u32 n)
{
	int i, err = 0;

	mutex_lock(&ktrace_probe_mutex);
	batch_begin();
	for (i = 0; i < (int)n; i++) {
		struct ktrace_ecb *e = &ecbs[i];
		struct ktrace_probe *p = e->probe;

		list_add_tail_rcu(&e->node, &p->ecbs);
		e->attached = true;
		if (p->nenabled++ == 0 && !p->enabled) {
			err = p->prov->enable ? p->prov->enable(p) : 0;
			if (err) {
				list_del_rcu(&e->node);
				e->attached = false;
				p->nenabled--;
				break;
			}
			p->enabled = true;
		}
	}
	i = batch_end();
	if (i && !err)
		err = i;
	if (err)
		detach_locked(ecbs, n);
	mutex_unlock(&ktrace_probe_mutex);
	if (err)
		synchronize_rcu();
	return err;
}

/*
 * Detach every ECB and wait until no CPU can still be running one.  The
 * wait is an expedited grace period (it covers the irqs-off firings like
 * a normal one): a session's teardown, and so the tracer's exit, waits
 * about a millisecond instead of one or more scheduler ticks.  It runs
 * once per session stop, so the IPIs it sends are rare.
 */
void ktrace_ecbs_detach(struct ktrace_ecb *ecbs, u32 n)
{
	mutex_lock(&ktrace_probe_mutex);
	detach_locked(ecbs, n);
	mutex_unlock(&ktrace_probe_mutex);
	synchronize_rcu_expedited();
}

/* ------------------------------------------------------------------ */
/* the dispatcher                                                      */
/* ------------------------------------------------------------------ */

/*
 * May this session run a clause of probe id now?
 * Pairings (session.c, session_state.c): state with ktrace_session_go's
 * smp_store_release of ACTIVE and the cmpxchgs of ktrace_session_exit/abort; warmup with
 * ktrace_session_go's smp_store_release of false (BEGIN's globals and
 * records before any other clause); stopping with the WRITE_ONCE in
 * ktrace_session_stop, kill_work_fn and ktrace_session_destroy, each
 * followed by a grace period (synchronize_rcu, or ktrace_ecbs_detach's).
 * These loads are not ordered against the clause's later loads by any
 * barrier here: x86, the one architecture ktrace builds for, keeps loads
 * in order.
 */
static __always_inline bool ecb_may_run(struct ktrace_session *s, u32 probe_id, bool direct)
{
	int st = READ_ONCE(s->state);

	if (probe_id == KTRACE_PROBE_ERROR)
		return st == KTRACE_STATE_ACTIVE || st == KTRACE_STATE_DRAINING ||
		       (st == KTRACE_STATE_KILLED && READ_ONCE(s->stopping));
	if (!direct)	/* BEGIN and END only run when session.c fires them */
		return st == KTRACE_STATE_ACTIVE && !READ_ONCE(s->warmup) &&
		       !READ_ONCE(s->stopping) && probe_id > KTRACE_PROBE_ERROR;
	if (probe_id == KTRACE_PROBE_BEGIN)
		return st == KTRACE_STATE_ACTIVE;
	return st != KTRACE_STATE_NEW && st != KTRACE_STATE_LOADED;
}

static noinline void fire_error(struct ktrace_cpu *c, const struct ktrace_ecb *e,
				struct ktrace_vm *vm);

/*
 * alive and heartbeat: WRITE_ONCE by session.c (deadman_fn,
 * ktrace_session_go, ktrace_session_status); single values read whole,
 * ordering nothing else.
 */
static __always_inline void deadman_check(struct ktrace_session *s, u64 now)
{
	u64 alive = READ_ONCE(s->alive);
	u64 hb;

	if (s->nodeadman || now <= alive ||
	    now - alive <= (u64)READ_ONCE(ktrace_deadman_timeout_ms) * NSEC_PER_MSEC)
		return;
	hb = READ_ONCE(s->heartbeat);
	ktrace_session_abort(s, (now > hb &&
				 now - hb > (u64)READ_ONCE(ktrace_deadman_user_ms) * NSEC_PER_MSEC) ?
			     KTRACE_ABORT_CONSUMER : KTRACE_ABORT_DEADMAN);
}

/*
 * The deadman check reads the clock on every firing: a firing may itself
 * hold its CPU for long (chill(), a huge clause under TCG), and a cached
 * clock (per tick, or per N firings) lets a session drown a CPU for
 * N firings before it is noticed.  The records' timestamp is read when
 * the firing commits its first record.
 */
static __always_inline void deadman_maybe(struct ktrace_session *s)
{
	deadman_check(s, ktime_get_mono_fast_ns());
}

/*
 * Run one ECB's clause on this CPU and commit its record.  The firing's
 * path is inlined into one function: under QEMU TCG every return is an
 * indirect jump, looked up at run time.
 */
static __always_inline void ecb_run(struct ktrace_cpu *c, const struct ktrace_ecb *e,
		    struct ktrace_fire *fire)
{
	struct ktrace_session *s = e->sess;
	const struct ktrace_clause_desc *cd = e->clause;
	struct ktrace_vm *vm = &c->vm;
	struct ktrace_rec *rec = (struct ktrace_rec *)vm->rec;
	u64 r;

	fire->epid = e->epid;
	vm->fire = fire;
	vm->spec = 0;
	vm->exit_req = 0;
	vm->rec_used = sizeof(*rec);
	if (cd->pred_len) {
		if (ktrace_vm_run(vm, cd->pred_start, &r) < 0)
			goto fault;
		if (!r)
			return;
		vm->in_clause = 1;	/* one clause: the body keeps its alloca()s */
	}
	if (ktrace_vm_run(vm, cd->body_start, &r) < 0)
		goto fault;
	/* a clause speculate()d stages its record even with no data (DTrace) */
	if (vm->rec_used > sizeof(*rec) || (vm->spec && vm->spec != U32_MAX)) {
		rec->size = ALIGN(vm->rec_used, 8);
		rec->epid = e->epid;
		rec->timestamp = ktrace_fire_ts(c);
		if (vm->spec)
			ktrace_spec_stage(c, vm->spec, rec, rec->size);
		else
			ktrace_buf_commit(c, rec, rec->size, fire->probe_id == KTRACE_PROBE_END);
	}
	if (vm->exit_req)
		ktrace_session_exit(s, vm->exit_status);
	return;
fault:
	if (vm->fault == KTRACE_FAULT_BUDGET)
		c->budget_faults++;
	if (c->in_error) {
		c->double_errors++;
		return;
	}
	c->errors++;
	fire_error(c, e, vm);
}

/*
 * Run the ECBs of p (only those of 'only' if non-NULL) on this CPU.
 * Interrupts are disabled and the recursion guard is held.
 */
static __always_inline void dispatch(struct ktrace_probe *p, struct ktrace_fire *fire,
		     struct ktrace_session *only)
{
	struct ktrace_session *last = NULL;
	struct ktrace_ecb *e;
	int cpu = smp_processor_id();

	list_for_each_entry_rcu(e, &p->ecbs, node) {
		struct ktrace_session *s = e->sess;
		struct ktrace_cpu *c;

		if (only && s != only)
			continue;
		if (!ecb_may_run(s, p->id, only != NULL))
			continue;
		if (!only && KTRACE_BENCH_STOP(KTRACE_BENCH_CUT_STATE))
			break;
		c = s->cpu[cpu];
		if (s != last) {
			/* a new session in this firing: deadman, per-firing state */
			deadman_maybe(s);
			if (!ecb_may_run(s, p->id, only != NULL))
				continue;
			if (!only && KTRACE_BENCH_STOP(KTRACE_BENCH_CUT_DEADMAN))
				break;
			c->fire_ts = 0;
			c->err_insns = 0;
			c->err_loops = 0;
			ktrace_vm_firing_begin(&c->vm, fire);
			last = s;
			if (!only && KTRACE_BENCH_STOP(KTRACE_BENCH_CUT_FIRING_BEGIN))
				break;
		}
		ecb_run(c, e, fire);
	}
}

static noinline void fire_error(struct ktrace_cpu *c, const struct ktrace_ecb *e,
				struct ktrace_vm *vm)
{
	/* dtrace:::ERROR, by its ABI id: the registry is this file's */
	struct ktrace_probe *ep = ktrace_probe_lookup_id(KTRACE_PROBE_ERROR);
	const struct ktrace_fire *outer = vm->fire;
	u32 loops = vm->loops, insns = vm->insns;
	u64 ts = c->fire_ts;
	struct ktrace_fire f = {
		.probe_id = KTRACE_PROBE_ERROR,
		.prov = "dtrace", .mod = "", .func = "", .name = "ERROR",
		.regs = outer ? outer->regs : NULL,
		.pc = outer ? outer->pc : 0,
		.kframe = outer ? outer->kframe : 0,
		/* its self-> variables are those of the faulting firing */
		.flags = KTRACE_FIRE_F_ERROR | (outer ? outer->flags & KTRACE_FIRE_F_THREAD : 0),
	};

	if (!ep || list_empty(&ep->ecbs))
		return;
	/* as DTrace's BPF implementation: the faulting probe and clause */
	f.args[0] = 0;
	f.args[1] = outer ? outer->probe_id : 0;
	f.args[2] = e->clause - e->sess->prog->clauses;
	f.args[3] = vm->fault_pc;
	f.args[4] = vm->fault;
	f.args[5] = vm->fault_val;
	c->in_error = true;
	{
		struct ktrace_ecb *ee;

		ktrace_vm_firing_begin(vm, &f);
		/* the firing's ERROR budget, not a fresh one per fault */
		vm->insns = c->err_insns;
		vm->loops = c->err_loops;
		list_for_each_entry_rcu(ee, &ep->ecbs, node) {
			if (ee->sess != e->sess || !ecb_may_run(ee->sess, KTRACE_PROBE_ERROR, true))
				continue;
			ecb_run(c, ee, &f);
		}
	}
	c->in_error = false;
	c->err_insns = vm->insns;
	c->err_loops = vm->loops;
	/* back to the outer firing (this-> variables are the CPU's: shared with ERROR's clauses) */
	vm->fire = outer;
	vm->loops = loops;
	vm->insns = insns;
	c->fire_ts = ts;
}

static noinline void count_recursion(struct ktrace_probe *p)
{
	struct ktrace_session *last = NULL;
	struct ktrace_ecb *e;
	int cpu = smp_processor_id();

	list_for_each_entry_rcu(e, &p->ecbs, node) {
		if (e->sess == last || !e->sess->cpu[cpu])
			continue;
		last = e->sess;
		last->cpu[cpu]->recursion_drops++;
	}
}

static __always_inline void probe_fire(struct ktrace_probe *p, struct ktrace_fire *fire,
		       struct ktrace_session *only)
{
	unsigned long flags;
	int *guard;

	local_irq_save(flags);
	if (!only && KTRACE_BENCH_STOP(KTRACE_BENCH_CUT_IRQ_OFF)) {
		local_irq_restore(flags);
		return;
	}
	guard = this_cpu_ptr(&ktrace_in_probe);
	/* NMI: only a provider whose handler says so (cpc); see "NMI context" */
	if (unlikely((in_nmi() && !(fire->flags & KTRACE_FIRE_F_NMI)) || *guard)) {
		count_recursion(p);
		local_irq_restore(flags);
		return;
	}
	*guard = 1;
	/*
	 * Compiler barriers only: the guard pairs with the same test in an
	 * NMI on this CPU (program order is all an interrupt needs), so it
	 * must be set before the firing's code and cleared after it.
	 */
	barrier();
	__this_cpu_write(ktrace_firing_t0, 0);
	fire->probe_id = p->id;
	if (!fire->prov) {
		fire->prov = p->desc.provider;
		fire->mod = p->desc.module;
		fire->func = p->desc.function;
		fire->name = p->desc.name;
	}
	if (only || !KTRACE_BENCH_STOP(KTRACE_BENCH_CUT_GUARD))
		dispatch(p, fire, only);
	barrier();
	*guard = 0;
	local_irq_restore(flags);
}

void ktrace_probe_fire(struct ktrace_probe *p, struct ktrace_fire *fire)
{
	if (KTRACE_BENCH_STOP(KTRACE_BENCH_CUT_FIRE_INIT))
		return;
	if (list_empty(&p->ecbs))
		return;
	/*
	 * Where stack() starts when the firing has no kernel registers: the
	 * interpreter has no unwind data, so the walk cannot go through it.
	 * barrier(): no tail call, the frame lives during the firing.
	 */
	fire->kframe = (uintptr_t)__builtin_frame_address(0);
	probe_fire(p, fire, NULL);
	barrier();
}
EXPORT_SYMBOL_GPL(ktrace_probe_fire);

/*
 * BEGIN and END of session S, from its GO and STOP: no kernel stack (no
 * kframe), as DTrace's: stack() is empty and stackdepth 0, not the
 * frames of ktrace's own ioctl (an ERROR they raise has none either).
 */
void ktrace_probe_fire_session(struct ktrace_probe *p, struct ktrace_fire *fire,
			       struct ktrace_session *s)
{
	fire->kframe = 0;
	probe_fire(p, fire, s);
}
