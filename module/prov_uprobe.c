// SPDX-License-Identifier: GPL-2.0
/*
 * User-level probes, all uprobes at file offsets of an ELF file:
 *   pid<PID>:MODULE:FUNCTION:entry|return   only in process PID
 *   uprobe:PATH:FUNCTION:entry|return        in every process
 *   USDT (KTRACE_PD_F_USDT, provider "usdt"): the sites of a <sys/sdt.h>
 *     probe; its description keeps the application's names
 *     (PROVIDER[PID]:MODULE:FUNCTION:NAME), in process PID when pid is set,
 *     else in every process mapping the file.
 * (for uprobe probes user space puts the binary's basename, or the path
 * when it fits, in the module field; the path itself always comes in
 * probe_desc.path and is kept in probe->path by the core).
 *
 * User space resolves FUNCTION in the ELF symbol table (USDT: the note's
 * sites and argument specs) and passes file offsets.  The kernel checks
 * that the path is a regular file and every offset inside it; with a pid
 * it checks that the process exists and that the provider name ends in
 * that pid.
 *
 * Mechanism: uprobe_register_refctr(inode, offset, semaphore, consumer)
 * per site on enable, with the path (and so the inode) held until
 * disable.  The uprobe core increments a USDT probe's is-enabled
 * semaphore in every process the breakpoint goes into (also processes
 * that map the file later) and decrements it when the consumer goes,
 * whether the session ends or its file is closed by a killed consumer.
 * The pid provider's consumer filter only lets the breakpoint into the
 * target's mm, and its handlers ignore every other mm (a uprobe is
 * shared by every consumer of the same inode:offset).
 * Arguments: entry: arg0..arg5 = the x86-64 argument registers; return:
 * arg0 = the address returned to, arg1 = the return value (rax); USDT:
 * arg0..arg9 decoded from the site's specs (constant, register, or
 * memory read with copy_from_user_nofault(): a fault reads 0).
 *
 * Locks and contexts:
 *   Per-probe state is written by create/enable/disable/destroy under
 *   ktrace_probe_mutex, process context.  Handlers run in the traced
 *   task (breakpoint handling, process context) and read only their
 *   probe; uprobe_unregister() waits for running handlers.  They never
 *   sleep: user memory is read without faulting pages in.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/uprobes.h>
#include <linux/namei.h>
#include <linux/fs.h>
#include <linux/path.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/pid.h>
#include <linux/slab.h>
#include <linux/ptrace.h>
#include <linux/uaccess.h>

#include "provider.h"
#include "ktrace_internal.h"

struct up_probe;

/* One uprobe: a function's entry or return, or one site of a USDT probe. */
struct up_site {
	struct uprobe_consumer	uc;
	struct up_probe		*up;
	loff_t			offset;
	bool			registered;
	u32			nargs;				/* USDT */
	struct ktrace_usdt_arg	args[KTRACE_USDT_MAXARGS];	/* USDT */
};

struct up_probe {
	struct ktrace_probe	*p;
	struct path		path;		/* held while registered */
	struct mm_struct	*mm;		/* pid: target (mmgrab'd) while enabled */
	loff_t			semaphore;	/* USDT: is-enabled counter's offset, or 0 */
	bool			is_return;
	bool			is_usdt;
	bool			enabled;
	u32			nsites;
	struct up_site		sites[];
};

/* A USDT operand's register; NONE reads 0. */
static u64 usdt_reg(const struct pt_regs *regs, u8 r)
{
	switch (r) {
	case KTRACE_UREG_RAX: return regs->ax;
	case KTRACE_UREG_RBX: return regs->bx;
	case KTRACE_UREG_RCX: return regs->cx;
	case KTRACE_UREG_RDX: return regs->dx;
	case KTRACE_UREG_RSI: return regs->si;
	case KTRACE_UREG_RDI: return regs->di;
	case KTRACE_UREG_RBP: return regs->bp;
	case KTRACE_UREG_RSP: return regs->sp;
	case KTRACE_UREG_R8: return regs->r8;
	case KTRACE_UREG_R9: return regs->r9;
	case KTRACE_UREG_R10: return regs->r10;
	case KTRACE_UREG_R11: return regs->r11;
	case KTRACE_UREG_R12: return regs->r12;
	case KTRACE_UREG_R13: return regs->r13;
	case KTRACE_UREG_R14: return regs->r14;
	case KTRACE_UREG_R15: return regs->r15;
	/* the uprobe core sets ip to the breakpoint's address for handlers */
	case KTRACE_UREG_RIP: return regs->ip;
	default: return 0;
	}
}

/* Probe context: a USDT argument's value, truncated and extended. */
static u64 usdt_arg(const struct ktrace_usdt_arg *a, const struct pt_regs *regs)
{
	u64 v = 0;

	switch (a->kind) {
	case KTRACE_USDT_ARG_CONST:
		v = a->val;
		break;
	case KTRACE_USDT_ARG_REG:
		v = usdt_reg(regs, a->base);
		break;
	case KTRACE_USDT_ARG_MEM: {
		unsigned long addr = usdt_reg(regs, a->base) + a->val +
				     usdt_reg(regs, a->index) * a->scale;

		/* little-endian: the low a->size bytes of v */
		if (copy_from_user_nofault(&v, (const void __user *)addr, a->size))
			v = 0;
		break;
	}
	default:
		return 0;
	}
	switch (a->size) {
	case 1: return a->is_signed ? (u64)(s64)(s8)v : (u8)v;
	case 2: return a->is_signed ? (u64)(s64)(s16)v : (u16)v;
	case 4: return a->is_signed ? (u64)(s64)(s32)v : (u32)v;
	default: return v;
	}
}

static __always_inline void up_fire(struct up_site *site, struct pt_regs *regs, bool entry)
{
	struct up_probe *up = site->up;
	struct ktrace_probe *p = up->p;
	struct ktrace_fire f __uninitialized;	/* ktrace_fire_init() sets it all */
	u32 i;

	ktrace_fire_init(&f, p, regs);
	if (up->is_usdt) {
		for (i = 0; i < site->nargs; i++)
			f.args[i] = usdt_arg(&site->args[i], regs);
	} else if (entry) {
		f.args[0] = regs->di;
		f.args[1] = regs->si;
		f.args[2] = regs->dx;
		f.args[3] = regs->cx;
		f.args[4] = regs->r8;
		f.args[5] = regs->r9;
	} else {
		f.args[0] = instruction_pointer(regs);
		f.args[1] = regs_return_value(regs);
	}
	ktrace_probe_fire(p, &f);
}

static bool up_wanted(struct up_probe *up)
{
	return !up->mm || current->mm == up->mm;
}

static int up_handler(struct uprobe_consumer *uc, struct pt_regs *regs)
{
	struct up_site *site = container_of(uc, struct up_site, uc);

	if (up_wanted(site->up))
		up_fire(site, regs, true);
	return 0;
}

static int up_ret_handler(struct uprobe_consumer *uc, unsigned long func,
			  struct pt_regs *regs)
{
	struct up_site *site = container_of(uc, struct up_site, uc);

	if (up_wanted(site->up))
		up_fire(site, regs, false);
	return 0;
}

static bool up_filter(struct uprobe_consumer *uc, enum uprobe_filter_ctx ctx,
		      struct mm_struct *mm)
{
	struct up_site *site = container_of(uc, struct up_site, uc);

	return !site->up->mm || mm == site->up->mm;
}

/* "pid123" -> 123; 0 if not a pid provider name. */
static u32 up_pid_of(const char *prov)
{
	unsigned int pid;
	char c;

	if (strncmp(prov, "pid", 3) || prov[3] < '1' || prov[3] > '9')
		return 0;
	if (sscanf(prov + 3, "%u%c", &pid, &c) != 1)
		return 0;
	return pid;
}

static bool up_match_name(const char *provname)
{
	return !strcmp(provname, "uprobe") || up_pid_of(provname);
}

static struct mm_struct *up_target_mm(u32 pid)
{
	struct task_struct *task;
	struct mm_struct *mm;

	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_TGID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task)
		return NULL;
	mm = get_task_mm(task);
	put_task_struct(task);
	return mm;
}

/* The process exists; the file is regular and each offset inside it. */
static int up_check(const struct ktrace_probe *p, u32 pid, const loff_t *offs, u32 n)
{
	struct mm_struct *mm;
	struct path path;
	loff_t size;
	u32 i;
	int ret;

	if (pid) {
		mm = up_target_mm(pid);
		if (!mm)
			return -ESRCH;
		mmput(mm);
	}
	ret = kern_path(p->path, LOOKUP_FOLLOW, &path);
	if (ret)
		return ret;
	if (!d_is_reg(path.dentry)) {
		ret = -EINVAL;
		goto out;
	}
	size = i_size_read(d_real_inode(path.dentry));
	for (i = 0; i < n; i++)
		if (offs[i] < 0 || offs[i] >= size)
			ret = -ERANGE;
out:
	path_put(&path);
	return ret;
}

static struct up_probe *up_alloc(struct ktrace_probe *p, u32 nsites)
{
	struct up_probe *up = kzalloc(struct_size(up, sites, nsites), GFP_KERNEL);
	u32 i;

	if (!up)
		return NULL;
	up->p = p;
	up->nsites = nsites;
	for (i = 0; i < nsites; i++)
		up->sites[i].up = up;
	return up;
}

static int up_create(struct ktrace_probe *p, const struct ktrace_probe_desc *d)
{
	u32 pid = up_pid_of(d->provider);
	struct up_probe *up;
	loff_t off = d->addr;
	bool is_return;
	int ret;

	if (!strcmp(d->name, "entry"))
		is_return = false;
	else if (!strcmp(d->name, "return"))
		is_return = true;
	else
		return -ENOENT;
	if (!p->path || !d->function[0] || (s64)d->addr < 0)
		return -EINVAL;
	if (pid ? d->pid != pid : d->pid)
		return -EINVAL;
	ret = up_check(p, pid, &off, 1);
	if (ret)
		return ret;
	up = up_alloc(p, 1);
	if (!up)
		return -ENOMEM;
	up->sites[0].offset = off;
	up->is_return = is_return;
	p->priv = up;
	return 0;
}

static bool usdt_arg_ok(const struct ktrace_usdt_arg *a)
{
	bool sized = a->size == 1 || a->size == 2 || a->size == 4 || a->size == 8;

	if (a->reserved || a->is_signed > 1 || a->base >= KTRACE_UREG_COUNT ||
	    a->index >= KTRACE_UREG_COUNT)
		return false;
	switch (a->kind) {
	case KTRACE_USDT_ARG_NONE:
		return !a->base && !a->index && !a->scale && !a->val;
	case KTRACE_USDT_ARG_CONST:
		return sized && !a->base && !a->index && !a->scale;
	case KTRACE_USDT_ARG_REG:
		return sized && a->base && !a->index && !a->scale && !a->val;
	case KTRACE_USDT_ARG_MEM:
		if (!a->index)
			return sized && !a->scale;
		return sized && a->index != KTRACE_UREG_RIP &&
		       (a->scale == 1 || a->scale == 2 || a->scale == 4 || a->scale == 8);
	default:
		return false;
	}
}

static bool usdt_site_ok(const struct ktrace_usdt_site *s)
{
	static const struct ktrace_usdt_arg zero;
	u32 i;

	if (s->reserved || s->nargs > KTRACE_USDT_MAXARGS)
		return false;
	for (i = 0; i < KTRACE_USDT_MAXARGS; i++)
		if (i < s->nargs ? !usdt_arg_ok(&s->args[i]) :
				   memcmp(&s->args[i], &zero, sizeof(zero)))
			return false;
	return true;
}

/* "PROVIDER<pid>": the provider name ends in the decimal pid. */
static bool usdt_name_has_pid(const char *prov, u32 pid)
{
	char num[12];
	size_t n = strlen(prov), k = snprintf(num, sizeof(num), "%u", pid);

	return n > k && !strcmp(prov + n - k, num);
}

static int usdt_create(struct ktrace_probe *p, const struct ktrace_probe_desc *d)
{
	const void __user *uptr = u64_to_user_ptr(d->usdt);
	struct ktrace_usdt_site *sites;
	struct ktrace_usdt hdr;
	struct up_probe *up;
	loff_t *offs;
	u32 usize, i;
	int ret;

	if (!(d->flags & KTRACE_PD_F_USDT) || !p->path || d->addr)
		return -EINVAL;
	if (d->pid && !usdt_name_has_pid(d->provider, d->pid))
		return -EINVAL;
	if (get_user(usize, (const u32 __user *)uptr))
		return -EFAULT;
	ret = ktrace_copy_struct_from_user(&hdr, sizeof(hdr), uptr, usize);
	if (ret)
		return ret;
	if (!hdr.nsites || hdr.nsites > KTRACE_USDT_MAXSITES || hdr.semaphore > LLONG_MAX)
		return -EINVAL;
	sites = memdup_user(uptr + usize, array_size(hdr.nsites, sizeof(*sites)));
	if (IS_ERR(sites))
		return PTR_ERR(sites);
	offs = kcalloc(hdr.nsites + 1, sizeof(*offs), GFP_KERNEL);
	ret = -ENOMEM;
	if (!offs)
		goto out;
	ret = -EINVAL;
	for (i = 0; i < hdr.nsites; i++) {
		if (!usdt_site_ok(&sites[i]) || sites[i].offset > LLONG_MAX)
			goto out;
		offs[i] = sites[i].offset;
	}
	offs[i] = hdr.semaphore;	/* 0 (none) is inside any file */
	ret = up_check(p, d->pid, offs, hdr.nsites + 1);
	if (ret)
		goto out;
	ret = -ENOMEM;
	up = up_alloc(p, hdr.nsites);
	if (!up)
		goto out;
	up->is_usdt = true;
	up->semaphore = hdr.semaphore;
	for (i = 0; i < hdr.nsites; i++) {
		up->sites[i].offset = sites[i].offset;
		up->sites[i].nargs = sites[i].nargs;
		memcpy(up->sites[i].args, sites[i].args, sizeof(sites[i].args));
	}
	p->priv = up;
	ret = 0;
out:
	kfree(offs);
	kfree(sites);
	return ret;
}

static void up_unregister(struct up_probe *up)
{
	struct inode *inode = d_real_inode(up->path.dentry);
	u32 i;

	for (i = 0; i < up->nsites; i++) {
		if (!up->sites[i].registered)
			continue;
		uprobe_unregister(inode, up->sites[i].offset, &up->sites[i].uc);
		up->sites[i].registered = false;
	}
	path_put(&up->path);
	if (up->mm) {
		mmdrop(up->mm);
		up->mm = NULL;
	}
}

static int up_enable(struct ktrace_probe *p)
{
	struct up_probe *up = p->priv;
	u32 pid = p->desc.pid, i;
	int ret;

	if (!up)
		return -EINVAL;
	if (up->enabled)
		return 0;
	if (pid) {
		up->mm = up_target_mm(pid);
		if (!up->mm)
			return -ESRCH;
		/* keep only the struct for the pointer comparison */
		mmgrab(up->mm);
		mmput(up->mm);
	}
	ret = kern_path(p->path, LOOKUP_FOLLOW, &up->path);
	if (ret) {
		if (up->mm) {
			mmdrop(up->mm);
			up->mm = NULL;
		}
		return ret;
	}
	for (i = 0; i < up->nsites; i++) {
		struct up_site *site = &up->sites[i];

		memset(&site->uc, 0, sizeof(site->uc));
		if (up->is_return)
			site->uc.ret_handler = up_ret_handler;
		else
			site->uc.handler = up_handler;
		if (pid)
			site->uc.filter = up_filter;
		ret = uprobe_register_refctr(d_real_inode(up->path.dentry), site->offset,
					     up->semaphore, &site->uc);
		if (ret) {
			up_unregister(up);
			return ret;
		}
		site->registered = true;
	}
	up->enabled = true;
	return 0;
}

static void up_disable(struct ktrace_probe *p)
{
	struct up_probe *up = p->priv;

	if (!up || !up->enabled)
		return;
	up_unregister(up);
	up->enabled = false;
}

static void up_destroy(struct ktrace_probe *p)
{
	up_disable(p);
	kfree(p->priv);
	p->priv = NULL;
}

struct ktrace_provider ktrace_prov_uprobe = {
	.name		= "uprobe",
	.match_name	= up_match_name,
	.create		= up_create,
	.enable		= up_enable,
	.disable	= up_disable,
	.destroy	= up_destroy,
};
KTRACE_PROVIDER(60, struct ktrace_provider, ktrace_prov_uprobe);

struct ktrace_provider ktrace_prov_usdt = {
	.name		= "usdt",
	.pd_flags	= KTRACE_PD_F_USDT,
	.create		= usdt_create,
	.enable		= up_enable,
	.disable	= up_disable,
	.destroy	= up_destroy,
};
KTRACE_PROVIDER(70, struct ktrace_provider, ktrace_prov_usdt);
