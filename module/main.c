// SPDX-License-Identifier: GPL-2.0
/*
 * main.c: module init/exit, the misc device /dev/ktrace and its file
 * operations, module parameters.
 *
 * Locks: ktrace_sessions_lock (mutex, process context only, a leaf)
 * protects the list of live sessions (for introspection).  Each open
 * file owns one session (file->private_data); its own locking is in
 * session.c.  fops.owner pins the module while a session is open.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/capability.h>
#include <linux/poll.h>
#include "ktrace_internal.h"
#include "version.h"
#include "stable.h"

unsigned int ktrace_deadman_interval_ms = 1000;
unsigned int ktrace_deadman_timeout_ms = 10000;
unsigned int ktrace_deadman_user_ms = 30000;
unsigned int ktrace_cleanrate_ms = 10;
unsigned long ktrace_mem_limit;
unsigned int ktrace_buf_pool_pages = KTRACE_POOL_START;

static int param_set_ms(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int err = kstrtouint(val, 0, &v);

	if (err)
		return err;
	if (v < 1 || v > 3600 * 1000)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static const struct kernel_param_ops ms_ops = {
	.set = param_set_ms,
	.get = param_get_uint,
};

module_param_cb(deadman_interval_ms, &ms_ops, &ktrace_deadman_interval_ms, 0644);
MODULE_PARM_DESC(deadman_interval_ms, "deadman timer period (ms, default 1000)");
module_param_cb(deadman_timeout_ms, &ms_ops, &ktrace_deadman_timeout_ms, 0644);
MODULE_PARM_DESC(deadman_timeout_ms, "abort a session not refreshed for this long (ms, default 10000)");
module_param_cb(deadman_user_ms, &ms_ops, &ktrace_deadman_user_ms, 0644);
MODULE_PARM_DESC(deadman_user_ms, "consumer heartbeat (STATUS) timeout (ms, default 30000)");
module_param_cb(cleanrate_ms, &ms_ops, &ktrace_cleanrate_ms, 0644);
MODULE_PARM_DESC(cleanrate_ms, "dynamic variable cleaning period (ms, default 10)");

module_param_named(mem_limit, ktrace_mem_limit, ulong, 0644);
MODULE_PARM_DESC(mem_limit, "bytes all loaded sessions may use together (0, the default: half of RAM)");

static int param_set_pool(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int err = kstrtouint(val, 0, &v);

	if (err)
		return err;
	if (v < 1 || v > KTRACE_POOL_MAX)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static const struct kernel_param_ops pool_ops = {
	.set = param_set_pool,
	.get = param_get_uint,
};

module_param_cb(buf_pool_pages, &pool_ops, &ktrace_buf_pool_pages, 0644);
MODULE_PARM_DESC(buf_pool_pages, "zeroed pages a new session keeps ready for its principal buffers (1..4096, default 32; docs/buffers.md)");

DEFINE_MUTEX(ktrace_sessions_lock);
LIST_HEAD(ktrace_sessions);

static int ktrace_open(struct inode *inode, struct file *file)
{
	struct ktrace_session *s;

	if (!capable(CAP_SYS_ADMIN) && !capable(CAP_PERFMON))
		return -EPERM;
	s = ktrace_session_create();
	if (!s)
		return -ENOMEM;
	mutex_lock(&ktrace_sessions_lock);
	list_add_tail(&s->list, &ktrace_sessions);
	mutex_unlock(&ktrace_sessions_lock);
	file->private_data = s;
	return nonseekable_open(inode, file);
}

static int ktrace_release(struct inode *inode, struct file *file)
{
	struct ktrace_session *s = file->private_data;

	mutex_lock(&ktrace_sessions_lock);
	list_del(&s->list);
	mutex_unlock(&ktrace_sessions_lock);
	ktrace_session_destroy(s);
	return 0;
}

static long ktrace_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return ktrace_session_ioctl(file->private_data, cmd, arg);
}

static int ktrace_mmap(struct file *file, struct vm_area_struct *vma)
{
	return ktrace_session_mmap(file->private_data, vma);
}

static __poll_t ktrace_poll(struct file *file, poll_table *pt)
{
	return ktrace_session_poll(file->private_data, file, pt);
}

static const struct file_operations ktrace_fops = {
	.owner		= THIS_MODULE,
	.open		= ktrace_open,
	.release	= ktrace_release,
	.unlocked_ioctl	= ktrace_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= ktrace_mmap,
	.poll		= ktrace_poll,
	.llseek		= no_llseek,
};

static struct miscdevice ktrace_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "ktrace",
	.fops	= &ktrace_fops,
	.mode	= 0600,
};

/* Providers in registration order (provider.h's KTRACE_PROVIDER lines, by order). */
#undef KTRACE_PROVIDER
#define KTRACE_PROVIDER(order, type, obj, ...)	extern type obj;
#include "ktrace_provs.h"
#undef KTRACE_PROVIDER
#define KTRACE_PROVIDER(order, type, obj, ...)	&obj __VA_ARGS__,

static struct ktrace_provider *const ktrace_provs[] = {
#include "ktrace_provs.h"
};
#undef KTRACE_PROVIDER

static void providers_exit(int n)
{
	while (n-- > 0)
		if (ktrace_provs[n]->exit)
			ktrace_provs[n]->exit();
}

static int __init ktrace_init(void)
{
	int i, err;

	err = ktrace_probes_init();
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(ktrace_provs); i++) {
		err = ktrace_provider_register(ktrace_provs[i]);
		if (err) {
			pr_err("ktrace: provider %s failed to initialise (%d)\n",
			       ktrace_provs[i]->name, err);
			goto undo;
		}
	}
	if (!ktrace_dtrace_probe(KTRACE_PROBE_ERROR)) {
		err = -ENOMEM;
		goto undo;
	}
	err = ktrace_genl_init();
	if (err)
		goto undo;
	err = misc_register(&ktrace_dev);
	if (err)
		goto undo_genl;
	return 0;
undo_genl:
	ktrace_genl_exit();
undo:
	ktrace_probes_exit();
	providers_exit(i);
	return err;
}

static void __exit ktrace_exit(void)
{
	misc_deregister(&ktrace_dev);
	ktrace_genl_exit();
	ktrace_probes_exit();
	providers_exit(ARRAY_SIZE(ktrace_provs));
}

module_init(ktrace_init);
module_exit(ktrace_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ktrace: DTrace for Linux");
MODULE_AUTHOR("the ktrace developers");
MODULE_VERSION(KTRACE_VERSION);
