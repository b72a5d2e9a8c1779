// SPDX-License-Identifier: GPL-2.0
/*
 * The stable providers' shared machinery: probes from the table of
 * uapi/linux/ktrace_stable.h, fired by hooks on kernel tracepoints (or
 * kprobes where Linux has no tracepoint) that the provider files
 * (prov_proc.c, prov_sched.c, prov_io.c, prov_ip.c, prov_tcp.c, prov_udp.c) give.  A source is registered
 * (or kretprobe) when the first probe needing it is enabled and unregistered when the
 * last one is disabled; its hook fires only the probes that are enabled
 * (kt_sp_live[]), so a source shared by several probes (sched_switch:
 * off-cpu, sleep, preempt) costs one hook.
 *
 * Locks: kt_sp_mutex protects every source's users/registration and the
 * writers of kt_sp_live[]; it nests inside ktrace_probe_mutex (enable and
 * disable are called under it).  Hooks only READ_ONCE() kt_sp_live[].
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "stable.h"

struct ktrace_probe *kt_sp_live[KTRACE_SP_NR];
static DEFINE_MUTEX(kt_sp_mutex);

static const struct {
	const char *prov, *name;
} kt_sp_names[KTRACE_SP_NR] = {
#define KT_SP_NAME(id, prov, name)	[KTRACE_SP_##id] = { prov, name },
	KTRACE_STABLE_PROBES(KT_SP_NAME)
#undef KT_SP_NAME
};

static struct kt_sp_provider *kt_sp_of(const struct ktrace_probe *p)
{
	return container_of(p->prov, struct kt_sp_provider, prov);
}

/* Every stable probe is made by populate(): a LOOKUP of another name is refused. */
int kt_sp_create(struct ktrace_probe *p, const struct ktrace_probe_desc *d)
{
	return -ENOENT;
}

/* Fire p with arg0..arg7 (the rest 0) and the firing's flags. */
static __always_inline void kt_sp_fire_args(struct ktrace_probe *p, struct pt_regs *regs,
					    u32 flags, u64 a0, u64 a1, u64 a2, u64 a3,
					    u64 a4, u64 a5, u64 a6, u64 a7)
{
	struct ktrace_fire f __uninitialized;	/* ktrace_fire_init() sets it all */

	ktrace_fire_init(&f, p, regs);
	f.flags = flags;
	f.args[0] = a0;
	f.args[1] = a1;
	f.args[2] = a2;
	f.args[3] = a3;
	f.args[4] = a4;
	f.args[5] = a5;
	f.args[6] = a6;
	f.args[7] = a7;
	ktrace_probe_fire(p, &f);
}

void kt_sp_fire_slow(struct ktrace_probe *p, struct pt_regs *regs, u32 flags,
		     u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
	kt_sp_fire_args(p, regs, flags, a0, a1, a2, a3, a4, a5, 0, 0);
}
NOKPROBE_SYMBOL(kt_sp_fire_slow);

void kt_sp_fire8(enum ktrace_stable_probe id, struct pt_regs *regs, u64 a0, u64 a1, u64 a2,
		 u64 a3, u64 a4, u64 a5, u64 a6, u64 a7)
{
	struct ktrace_probe *p = READ_ONCE(kt_sp_live[id]);

	if (p)
		kt_sp_fire_args(p, regs, 0, a0, a1, a2, a3, a4, a5, a6, a7);
}
NOKPROBE_SYMBOL(kt_sp_fire8);

static const struct kt_sp_need *kt_sp_need_of(const struct kt_sp_provider *sp,
					      enum ktrace_stable_probe id)
{
	unsigned int i;

	for (i = 0; i < sp->nneed; i++)
		if (sp->need[i].probe == id)
			return &sp->need[i];
	return NULL;
}

/* Under kt_sp_mutex. */
static int kt_sp_source_get(struct kt_sp_source *s)
{
	int ret;

	if (s->users++)
		return 0;
	if (!s->is_kprobe) {
		ret = s->tp ? tracepoint_probe_register(s->tp, s->hook, NULL) : -ENOENT;
	} else if (s->is_kretprobe) {
		memset(&s->krp, 0, sizeof(s->krp));
		s->krp.kp.symbol_name = s->name;
		s->krp.entry_handler = s->entry;
		s->krp.handler = s->ret;
		s->krp.data_size = s->data_size;
		s->krp.maxactive = s->maxactive;
		ret = register_kretprobe(&s->krp);
	} else {
		memset(&s->kp, 0, sizeof(s->kp));
		s->kp.symbol_name = s->name;
		s->kp.pre_handler = s->pre;
		ret = register_kprobe(&s->kp);
		if (ret == -ENOENT && s->alt) {
			memset(&s->kp, 0, sizeof(s->kp));
			s->kp.symbol_name = s->alt;
			s->kp.pre_handler = s->pre;
			ret = register_kprobe(&s->kp);
		}
	}
	if (ret && s->optional) {
		/* -ENOENT: a function of another configuration (lockdep's, PREEMPT_RT's) */
		if (ret == -ENOENT)
			pr_debug("ktrace: %s not in this kernel\n", s->name);
		else
			pr_info("ktrace: %s not probed (%d): some probes of it will not fire\n",
				s->name, ret);
		return 0;
	}
	if (ret)
		s->users--;
	else
		s->registered = true;
	return ret;
}

/* Under kt_sp_mutex. */
static void kt_sp_source_put(struct kt_sp_source *s)
{
	if (WARN_ON_ONCE(!s->users) || --s->users)
		return;
	if (!s->registered)
		return;
	s->registered = false;
	if (s->is_kretprobe) {
		if (s->krp.nmissed)
			pr_info("ktrace: %s: %d returns missed (more than %d calls at once)\n",
				s->name, s->krp.nmissed, s->krp.maxactive);
		unregister_kretprobe(&s->krp);
	} else if (s->is_kprobe)
		unregister_kprobe(&s->kp);
	else
		tracepoint_probe_unregister(s->tp, s->hook, NULL);
}

int kt_sp_enable(struct ktrace_probe *p)
{
	struct kt_sp_provider *sp = kt_sp_of(p);
	const struct kt_sp_need *need;
	unsigned int i;
	int ret = 0;

	if (p->priv_u64 >= KTRACE_SP_NR)
		return -EINVAL;
	need = kt_sp_need_of(sp, p->priv_u64);
	if (!need)
		return -ENOENT;
	mutex_lock(&kt_sp_mutex);
	if (kt_sp_live[p->priv_u64])
		goto unlock;
	for (i = 0; i < sp->nsrc; i++) {
		if (!(need->sources & BIT_ULL(i)))
			continue;
		ret = kt_sp_source_get(&sp->src[i]);
		if (ret) {
			while (i--)
				if (need->sources & BIT_ULL(i))
					kt_sp_source_put(&sp->src[i]);
			goto unlock;
		}
	}
	/*
	 * Publish p to the hooks' READ_ONCE (stable.h:kt_sp_fire, kt_sp_on;
	 * kt_sp_fire8): p was set up when its provider registered it, long
	 * before, and the hooks reach it only through this pointer (an
	 * address dependency).
	 */
	WRITE_ONCE(kt_sp_live[p->priv_u64], p);
unlock:
	mutex_unlock(&kt_sp_mutex);
	return ret;
}

void kt_sp_disable(struct ktrace_probe *p)
{
	struct kt_sp_provider *sp = kt_sp_of(p);
	const struct kt_sp_need *need;
	unsigned int i;

	if (p->priv_u64 >= KTRACE_SP_NR)
		return;
	need = kt_sp_need_of(sp, p->priv_u64);
	mutex_lock(&kt_sp_mutex);
	if (need && kt_sp_live[p->priv_u64] == p) {
		WRITE_ONCE(kt_sp_live[p->priv_u64], NULL);
		for (i = 0; i < sp->nsrc; i++)
			if (need->sources & BIT_ULL(i))
				kt_sp_source_put(&sp->src[i]);
	}
	mutex_unlock(&kt_sp_mutex);
}

static void kt_sp_find_tp(struct tracepoint *tp, void *priv)
{
	struct kt_sp_provider *sp = priv;
	unsigned int i;

	for (i = 0; i < sp->nsrc; i++)
		if (!sp->src[i].is_kprobe && !strcmp(tp->name, sp->src[i].name))
			sp->src[i].tp = tp;
}

int kt_sp_init_provider(struct kt_sp_provider *sp)
{
	unsigned int i;

	BUILD_BUG_ON(KTRACE_SP_NR > 64);
	if (WARN_ON_ONCE(sp->nsrc > 64))
		return -EINVAL;
	for (i = 0; i < sp->nsrc; i++)	/* a hole in a provider's designated initializers */
		if (WARN_ON_ONCE(!sp->src[i].name))
			return -EINVAL;
	for_each_kernel_tracepoint(kt_sp_find_tp, sp);
	return 0;
}

void kt_sp_exit_provider(struct kt_sp_provider *sp)
{
	unsigned int i;

	mutex_lock(&kt_sp_mutex);
	for (i = 0; i < sp->nneed; i++)
		WRITE_ONCE(kt_sp_live[sp->need[i].probe], NULL);
	for (i = 0; i < sp->nsrc; i++) {
		if (!sp->src[i].users)
			continue;
		sp->src[i].users = 1;
		kt_sp_source_put(&sp->src[i]);
	}
	mutex_unlock(&kt_sp_mutex);
	/* no hook may still run in this module's text */
	tracepoint_synchronize_unregister();
	if (sp->exit_report)
		sp->exit_report();
}

/*
 * Add the provider's probes whose sources this kernel has (a kprobe'd
 * function is checked only when the probe is enabled).
 */
int kt_sp_populate_provider(struct kt_sp_provider *sp)
{
	struct ktrace_probe *p;
	unsigned int i, j;
	bool ok;

	if (sp->populated)
		return 0;
	for (i = 0; i < sp->nneed; i++) {
		const struct kt_sp_need *n = &sp->need[i];

		if (strcmp(kt_sp_names[n->probe].prov, sp->prov.name))
			return -EINVAL;
		ok = true;
		for (j = 0; j < sp->nsrc; j++)
			if ((n->sources & BIT_ULL(j)) && !sp->src[j].is_kprobe && !sp->src[j].tp)
				ok = false;
		if (!ok)
			continue;
		p = ktrace_probe_add(&sp->prov, KTRACE_MOD_VMLINUX, "",
				     kt_sp_names[n->probe].name);
		if (IS_ERR_OR_NULL(p))
			return p ? PTR_ERR(p) : -ENOMEM;
		p->priv_u64 = n->probe;
	}
	sp->populated = true;
	return 0;
}
