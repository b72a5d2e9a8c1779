// SPDX-License-Identifier: GPL-2.0
/*
 * User-level function probes:
 *   pid<PID>:MODULE:FUNCTION:entry|return   only in process PID
 *   uprobe:PATH:FUNCTION:entry|return        in every process
 * (for uprobe probes user space puts the binary's basename, or the path
 * when it fits, in the module field; the path itself always comes in
 * probe_desc.path and is kept in probe->path by the core).
 *
 * User space resolves FUNCTION in the ELF symbol table and passes its
 * file offset in probe_desc.addr.  The kernel checks that the path is a
 * regular file and the offset inside it; the pid provider also checks
 * that the process exists and that its name matches "pid<PID>".
 *
 * Mechanism: uprobe_register(inode, offset, consumer) on enable, with
 * the path (and so the inode) held until disable.  The pid provider's
 * consumer filter only lets the breakpoint into the target's mm, and its
 * handlers ignore every other mm (a uprobe is shared by every consumer
 * of the same inode:offset).  entry: arg0..arg5 = the x86-64 argument
 * registers; return: arg0 = the address returned to, arg1 = the return
 * value (rax).
 *
 * Locks and contexts:
 *   Per-probe state is written by create/enable/disable/destroy under
 *   ktrace_probe_mutex, process context.  Handlers run in the traced
 *   task (breakpoint handling, process context) and read only their
 *   probe; uprobe_unregister() waits for running handlers.
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

#include "provider.h"

struct up_probe {
	struct ktrace_probe	*p;
	struct uprobe_consumer	uc;
	struct path		path;		/* held while registered */
	struct mm_struct	*mm;		/* pid provider: target (mmgrab'd) while enabled */
	loff_t			offset;
	bool			is_return;
	bool			registered;
};

static __always_inline void up_fire(struct up_probe *up, struct pt_regs *regs, bool entry)
{
	struct ktrace_probe *p = up->p;
	struct ktrace_fire f __uninitialized;	/* ktrace_fire_init() sets it all */

	ktrace_fire_init(&f, p, regs);
	if (entry) {
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
	struct up_probe *up = container_of(uc, struct up_probe, uc);

	if (up_wanted(up))
		up_fire(up, regs, true);
	return 0;
}

static int up_ret_handler(struct uprobe_consumer *uc, unsigned long func,
			  struct pt_regs *regs)
{
	struct up_probe *up = container_of(uc, struct up_probe, uc);

	if (up_wanted(up))
		up_fire(up, regs, false);
	return 0;
}

static bool up_filter(struct uprobe_consumer *uc, enum uprobe_filter_ctx ctx,
		      struct mm_struct *mm)
{
	struct up_probe *up = container_of(uc, struct up_probe, uc);

	return !up->mm || mm == up->mm;
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

static int up_create(struct ktrace_probe *p, const struct ktrace_probe_desc *d)
{
	u32 pid = up_pid_of(d->provider);
	struct up_probe *up;
	struct mm_struct *mm;
	struct path path;
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
	if (pid) {
		mm = up_target_mm(pid);
		if (!mm)
			return -ESRCH;
		mmput(mm);
	}
	ret = kern_path(p->path, LOOKUP_FOLLOW, &path);
	if (ret)
		return ret;
	if (!d_is_reg(path.dentry))
		ret = -EINVAL;
	else if (d->addr >= i_size_read(d_real_inode(path.dentry)))
		ret = -ERANGE;
	path_put(&path);
	if (ret)
		return ret;

	up = kzalloc(sizeof(*up), GFP_KERNEL);
	if (!up)
		return -ENOMEM;
	up->p = p;
	up->offset = d->addr;
	up->is_return = is_return;
	p->priv = up;
	return 0;
}

static int up_enable(struct ktrace_probe *p)
{
	struct up_probe *up = p->priv;
	u32 pid = p->desc.pid;
	int ret;

	if (!up)
		return -EINVAL;
	if (up->registered)
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
	if (ret)
		goto out_mm;
	memset(&up->uc, 0, sizeof(up->uc));
	if (up->is_return)
		up->uc.ret_handler = up_ret_handler;
	else
		up->uc.handler = up_handler;
	if (pid)
		up->uc.filter = up_filter;
	ret = uprobe_register(d_real_inode(up->path.dentry), up->offset, &up->uc);
	if (ret)
		goto out_path;
	up->registered = true;
	return 0;
out_path:
	path_put(&up->path);
out_mm:
	if (up->mm) {
		mmdrop(up->mm);
		up->mm = NULL;
	}
	return ret;
}

static void up_disable(struct ktrace_probe *p)
{
	struct up_probe *up = p->priv;

	if (!up || !up->registered)
		return;
	uprobe_unregister(d_real_inode(up->path.dentry), up->offset, &up->uc);
	up->registered = false;
	path_put(&up->path);
	if (up->mm) {
		mmdrop(up->mm);
		up->mm = NULL;
	}
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
