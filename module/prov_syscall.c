// SPDX-License-Identifier: GPL-2.0
/*
 * The syscall provider: syscall::NAME:entry and syscall::NAME:return for
 * every x86-64 system call of the kernel the module was built for.
 *
 * The name/number table is the target kernel's own
 * arch/x86/include/generated/uapi/asm/unistd_64.h, turned into
 * ktrace_syscalls.h (KTRACE_SYSCALL(nr, name) lines) by a Kbuild rule at
 * build time; x86-64 syscall numbers are ABI and never change.
 *
 * Mechanism: the raw_syscalls:sys_enter and sys_exit tracepoints (found
 * with for_each_kernel_tracepoint(), their __tracepoint_* symbols are not
 * exported).  One hook per direction is registered while at least one
 * probe of that direction is enabled.  Each hook loads
 * sc_probes[dir][nr]: a firing of a syscall nobody traces costs one array
 * load.  32-bit (ia32) and x32 system calls use other numbers and are not
 * syscall-provider probes: they are ignored.
 *
 * Locks and contexts:
 *   sc_mutex: sc_probes writers, sc_nenabled and the tracepoint
 *     (un)registration; process context; taken inside ktrace_probe_mutex.
 *   sc_probes[][] is read in the tracepoint hooks (syscall entry/exit,
 *     preemption disabled by the tracepoint, i.e. RCU-sched) with
 *     rcu_dereference_sched(); the probes themselves live until the
 *     module is unloaded, after tracepoint_synchronize_unregister().
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/tracepoint.h>
#include <linux/ptrace.h>
#include <linux/err.h>
#include <asm/syscall.h>

#include "provider.h"

static const char *const sc_names[] = {
#define KTRACE_SYSCALL(nr, name) [nr] = #name,
#include "ktrace_syscalls.h"
#undef KTRACE_SYSCALL
};

#define SC_NR		ARRAY_SIZE(sc_names)
#define SC_ENTRY	0
#define SC_RETURN	1

/* priv_u64 of a syscall probe: number << 1 | direction. */
#define SC_PRIV(nr, dir)	(((u64)(nr) << 1) | (dir))
#define SC_PRIV_NR(v)		((unsigned int)((v) >> 1))
#define SC_PRIV_DIR(v)		((unsigned int)((v) & 1))

static struct ktrace_probe __rcu *sc_probes[2][SC_NR];
static unsigned int sc_nenabled[2];
static struct tracepoint *sc_tp[2];	/* sys_enter, sys_exit */
static bool sc_populated;
static DEFINE_MUTEX(sc_mutex);

static void sc_fire_entry(void *data, struct pt_regs *regs, long id)
{
	struct ktrace_probe *p;
	struct ktrace_fire f __uninitialized;	/* ktrace_fire_init() sets it all */

	if (unlikely((unsigned long)id >= SC_NR))
		return;
	p = rcu_dereference_sched(sc_probes[SC_ENTRY][id]);
	if (!p || in_ia32_syscall())
		return;

	ktrace_fire_init(&f, p, regs);
	/* x86-64 syscall ABI: rdi, rsi, rdx, r10, r8, r9 */
	f.args[0] = regs->di;
	f.args[1] = regs->si;
	f.args[2] = regs->dx;
	f.args[3] = regs->r10;
	f.args[4] = regs->r8;
	f.args[5] = regs->r9;
	ktrace_probe_fire(p, &f);
}

static void sc_fire_return(void *data, struct pt_regs *regs, long ret)
{
	unsigned long nr = (unsigned long)regs->orig_ax;
	struct ktrace_probe *p;
	struct ktrace_fire f __uninitialized;	/* ktrace_fire_init() sets it all */

	if (unlikely(nr >= SC_NR))
		return;
	p = rcu_dereference_sched(sc_probes[SC_RETURN][nr]);
	if (!p || in_ia32_syscall())
		return;

	ktrace_fire_init(&f, p, regs);
	f.args[0] = ret;
	f.args[1] = ret;
	if (ret >= -MAX_ERRNO && ret <= -1)
		f.errno_val = -ret;
	ktrace_probe_fire(p, &f);
}

static void *const sc_hooks[2] = { sc_fire_entry, sc_fire_return };

static void sc_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sys_enter"))
		sc_tp[SC_ENTRY] = tp;
	else if (!strcmp(tp->name, "sys_exit"))
		sc_tp[SC_RETURN] = tp;
}

static int sc_lookup_nr(const char *name)
{
	unsigned int i;

	for (i = 0; i < SC_NR; i++)
		if (sc_names[i] && !strcmp(sc_names[i], name))
			return i;
	return -ENOENT;
}

static int sc_dir(const char *name)
{
	if (!strcmp(name, "entry"))
		return SC_ENTRY;
	if (!strcmp(name, "return"))
		return SC_RETURN;
	return -ENOENT;
}

/*
 * Every syscall probe is made by populate(); a LOOKUP of a name that is
 * not in the table reaches create() and is refused.
 */
static int sc_create(struct ktrace_probe *p, const struct ktrace_probe_desc *d)
{
	int nr, dir;

	if (d->addr || d->path || d->pid || d->module[0])
		return -EINVAL;
	nr = sc_lookup_nr(d->function);
	dir = sc_dir(d->name);
	if (nr < 0 || dir < 0)
		return -ENOENT;
	p->priv_u64 = SC_PRIV(nr, dir);
	return 0;
}

static int sc_enable(struct ktrace_probe *p)
{
	unsigned int nr = SC_PRIV_NR(p->priv_u64), dir = SC_PRIV_DIR(p->priv_u64);
	int ret = 0;

	if (nr >= SC_NR)
		return -EINVAL;
	mutex_lock(&sc_mutex);
	if (rcu_access_pointer(sc_probes[dir][nr]))
		goto out_unlock;	/* already on */
	if (!sc_nenabled[dir]) {
		if (!sc_tp[dir]) {
			ret = -ENODEV;
			goto out_unlock;
		}
		ret = tracepoint_probe_register(sc_tp[dir], sc_hooks[dir], NULL);
		if (ret)
			goto out_unlock;
	}
	sc_nenabled[dir]++;
	rcu_assign_pointer(sc_probes[dir][nr], p);
out_unlock:
	mutex_unlock(&sc_mutex);
	return ret;
}

static void sc_disable(struct ktrace_probe *p)
{
	unsigned int nr = SC_PRIV_NR(p->priv_u64), dir = SC_PRIV_DIR(p->priv_u64);

	if (nr >= SC_NR)
		return;
	mutex_lock(&sc_mutex);
	if (rcu_access_pointer(sc_probes[dir][nr]) != p)
		goto out_unlock;
	RCU_INIT_POINTER(sc_probes[dir][nr], NULL);
	if (!--sc_nenabled[dir])
		tracepoint_probe_unregister(sc_tp[dir], sc_hooks[dir], NULL);
out_unlock:
	mutex_unlock(&sc_mutex);
}

static int sc_populate(void)
{
	static const char *const dirs[2] = { "entry", "return" };
	struct ktrace_probe *p;
	unsigned int i, dir;

	if (sc_populated)
		return 0;
	for (i = 0; i < SC_NR; i++) {
		if (!sc_names[i])
			continue;
		for (dir = 0; dir < 2; dir++) {
			p = ktrace_probe_add(&ktrace_prov_syscall, KTRACE_MOD_VMLINUX, sc_names[i],
					     dirs[dir]);
			if (IS_ERR_OR_NULL(p))
				return p ? PTR_ERR(p) : -ENOMEM;
			p->priv_u64 = SC_PRIV(i, dir);
		}
	}
	sc_populated = true;
	return 0;
}

static int sc_init(void)
{
	for_each_kernel_tracepoint(sc_find_tp, NULL);
	if (!sc_tp[SC_ENTRY] || !sc_tp[SC_RETURN])
		pr_warn("ktrace: raw_syscalls tracepoints not found, syscall provider unavailable\n");
	return 0;
}

static void sc_exit(void)
{
	unsigned int dir;

	mutex_lock(&sc_mutex);
	for (dir = 0; dir < 2; dir++) {
		if (sc_nenabled[dir])
			tracepoint_probe_unregister(sc_tp[dir], sc_hooks[dir], NULL);
		sc_nenabled[dir] = 0;
		memset(sc_probes[dir], 0, sizeof(sc_probes[dir]));
	}
	mutex_unlock(&sc_mutex);
	/* no hook may still run in this module's text */
	tracepoint_synchronize_unregister();
}

static bool sc_match_name(const char *provname)
{
	return !strcmp(provname, "syscall");
}

struct ktrace_provider ktrace_prov_syscall = {
	.name		= "syscall",
	.match_name	= sc_match_name,
	.create		= sc_create,
	.enable		= sc_enable,
	.disable	= sc_disable,
	.populate	= sc_populate,
	.init		= sc_init,
	.exit		= sc_exit,
};
KTRACE_PROVIDER(20, struct ktrace_provider, ktrace_prov_syscall);
