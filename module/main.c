// SPDX-License-Identifier: GPL-2.0
/*
 * main.c: module init/exit, the misc device /dev/ktrace and its file
 * operations; the top of the module's layers (it calls every layer, none
 * calls it).  The module parameters are params.c's.
 *
 * Locks: ktrace_sessions_lock (genl.c's, process context only, a leaf)
 * protects the list of live sessions: open adds a session, release
 * removes it.  Each open file owns one session (file->private_data); its
 * own locking is in session.c.  fops.owner pins the module while a
 * session is open.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/capability.h>
#include <linux/poll.h>
#include "ktrace_internal.h"
#include "version.h"
#include "stable.h"

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
