// SPDX-License-Identifier: GPL-2.0
/*
 * The fbt provider: fbt:MODULE:FUNCTION:entry and :return for kernel
 * functions (MODULE is "vmlinux" or a module name).
 *
 * Probes are made on demand: user space reads the function's address
 * from /proc/kallsyms (as root) and passes it in probe_desc.addr.  The
 * kernel checks with sprint_symbol() that the address is exactly
 * FUNCTION+0x0 in MODULE, and refuses ktrace's own text and the deny-list
 * below.  The address is checked again on every enable (a module may
 * have been reloaded elsewhere).
 *
 * Entry: ONE ftrace_ops (SAVE_REGS, RECURSION: we take the recursion
 * lock ourselves) covers every enabled entry probe; its filter holds the
 * enabled functions' fentry sites and is updated with
 * ftrace_set_filter_ips() -- once per batch (provider batch_begin/
 * batch_end) or once per enable()/disable() otherwise.  The filter is
 * never empty while the ops is registered (an empty filter traces every
 * function).  The callback finds the probe by ip in an RCU hash.
 * A function ftrace cannot trace gets a kprobe instead.
 * Return: one kretprobe per function, registered and unregistered in
 * batches (register_kretprobes() at batch_end).  arg0 is the address the function
 * returns to (a kretprobe cannot know the offset of the ret instruction
 * DTrace reports), arg1 the return value.  Batching saves RCU grace
 * periods but not the per-function cost: each kretprobe is an ftrace-
 * based kprobe whose registration is its own ftrace filter update, i.e. a
 * walk of every ftrace record and a text patch (measured ~90 ms per
 * function under QEMU TCG: fbt::vfs_*:return, ~40 functions, enables in
 * ~3.5 s; entry probes share one ftrace_ops and one filter update per
 * batch).  Hence KTRACE_FBT_MAX_RETURN.  A return hook from our own ftrace_ops
 * (rewriting the return address, as rethook does) would avoid the per-
 * function updates, but an unmarked return trampoline breaks ORC
 * unwinding (stack(), livepatch's reliable stacks), so it is not done.
 * A k(ret)probe that kprobes refuse fails alone: the others of its batch
 * are still registered (fbt_register_kind()).
 *
 * Deny-list: functions that ktrace's probe context itself calls (fault-
 * safe copies, the fast clocks, the stack walker, irq_work) are refused:
 * a firing inside a firing would be dropped anyway, but probing them
 * would only produce drop counts and distort every other measurement.
 * User space also leaves out /sys/kernel/debug/kprobes/blacklist.
 *
 * Locks and contexts:
 *   fbt_mutex: fbt_list, fbt_hash writers, the ftrace_ops filter and
 *     registration, kprobe/kretprobe (un)registration; process context;
 *     taken inside ktrace_probe_mutex (create/enable/disable/batch) or
 *     alone (module notifier).
 *   fbt_hash is read by the ftrace callback (any context, preemption
 *     disabled by the recursion lock: RCU-sched) and only while RCU is
 *     watching.  kprobe/kretprobe handlers use their own probe's data.
 *   struct fbt_probe lives until destroy() (module unload), after the
 *     ops and every k(ret)probe are unregistered.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/kallsyms.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/uaccess.h>
#include <linux/trace_recursion.h>

#include "provider.h"
#include "bench_phase.h"

#define FBT_HASH_BITS	12


struct fbt_probe {
	struct ktrace_probe	*p;
	unsigned long		addr;		/* function start */
	unsigned long		ip;		/* its fentry site (after endbr64) */
	bool			is_return;
	bool			use_kprobe;	/* entry: ftrace cannot trace it */
	bool			want;		/* entry/ftrace: should be in the filter */
	bool			in_filter;	/* entry/ftrace: is in the filter */
	bool			armed;		/* k(ret)probe registered / in hash */
	bool			kwant;		/* k(ret)probe: should be registered */
	bool			gone;		/* its module was unloaded */
	struct hlist_node	hnode;		/* fbt_hash, by ip */
	struct list_head	node;		/* fbt_list */
	struct rcu_head		rcu;
	union {
		struct kprobe		kp;
		struct kretprobe	krp;
	};
};

static DEFINE_HASHTABLE(fbt_hash, FBT_HASH_BITS);
static LIST_HEAD(fbt_list);
static DEFINE_MUTEX(fbt_mutex);
static bool fbt_batching;
static bool fbt_ops_registered;
static unsigned int fbt_nwant;
static unsigned int fbt_nret;		/* kretprobes registered */

/* Functions ktrace's probe context calls (see the comment above). */
static const char *const fbt_deny[] = {
	"copy_from_kernel_nofault", "copy_from_kernel_nofault_allowed",
	"copy_from_user_nofault", "copy_to_user_nofault", "copy_from_user_nmi",
	"ktime_get_mono_fast_ns", "ktime_get_boot_fast_ns",
	"ktime_get_real_fast_ns", "ktime_get_raw_fast_ns",
	"ktime_get_tai_fast_ns",
	"stack_trace_save", "stack_trace_consume_entry", "arch_stack_walk",
	"__unwind_start", "unwind_next_frame", "unwind_get_return_address",
	"unwind_get_return_address_ptr", "ftrace_graph_ret_addr",
	"__kernel_text_address", "kernel_text_address", "is_ftrace_trampoline",
	"is_bpf_text_address", "__module_address", "__module_text_address",
	"is_module_text_address", "in_entry_stack",
	"irq_work_queue", "irq_work_queue_on", "irq_work_claim",
	"arch_irq_work_raise", "rcu_is_watching",
	"fixup_exception", "search_exception_tables", "search_extable",
	"search_module_extables", "ex_handler_default", "ex_handler_fault",
	"do_user_addr_fault", "kernelmode_fixup_or_oops",
	"get_task_comm", "__get_task_comm",
	"__task_pid_nr_ns", "task_active_pid_ns",
	"perf_swevent_event", "perf_tp_event", "__perf_event_overflow",
	"hrtimer_forward",
};

static void fbt_ftrace_handler(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs);

static struct ftrace_ops fbt_ops = {
	.func	= fbt_ftrace_handler,
	/*
	 * No FTRACE_OPS_FL_RECURSION: the handler takes the ftrace recursion
	 * lock itself (which also disables preemption), so ftrace can call it
	 * straight from the trampoline instead of through its assist wrapper.
	 */
	.flags	= FTRACE_OPS_FL_SAVE_REGS,
};

static __always_inline void fbt_fire(struct fbt_probe *fp, struct pt_regs *regs,
				     u64 a0, u64 a1, bool entry)
{
	struct ktrace_probe *p = fp->p;
	struct ktrace_fire f __uninitialized;	/* ktrace_fire_init() sets it all */

	ktrace_fire_init(&f, p, regs);
	f.pc = fp->addr;		/* stack()'s first frame: the probed function */
	if (entry) {
		/* x86-64 function call ABI */
		f.args[0] = regs->di;
		f.args[1] = regs->si;
		f.args[2] = regs->dx;
		f.args[3] = regs->cx;
		f.args[4] = regs->r8;
		f.args[5] = regs->r9;
	} else {
		f.args[0] = a0;
		f.args[1] = a1;
		f.flags = KTRACE_FIRE_F_RETIP;	/* ip: where it returns to */
	}
	ktrace_probe_fire(p, &f);
}

static void notrace fbt_ftrace_handler(unsigned long ip, unsigned long parent_ip,
				       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct pt_regs *regs = ftrace_get_regs(fregs);
	struct fbt_probe *fp;
	int bit;

	if (KTRACE_BENCH_STOP(KTRACE_BENCH_CUT_CALLBACK))
		return;
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		return;
	/* the hash is RCU-sched protected: only while RCU watches this CPU */
	if (unlikely(!regs || !rcu_is_watching()))
		goto out_unlock;
	if (KTRACE_BENCH_STOP(KTRACE_BENCH_CUT_RECURSION))
		goto out_unlock;
	hash_for_each_possible_rcu_notrace(fbt_hash, fp, hnode, ip) {
		if (fp->ip == ip) {
			if (!KTRACE_BENCH_STOP(KTRACE_BENCH_CUT_LOOKUP))
				fbt_fire(fp, regs, 0, 0, true);
			break;
		}
	}
out_unlock:
	ftrace_test_recursion_unlock(bit);
}

static int fbt_kprobe_handler(struct kprobe *kp, struct pt_regs *regs)
{
	fbt_fire(container_of(kp, struct fbt_probe, kp), regs, 0, 0, true);
	return 0;
}
NOKPROBE_SYMBOL(fbt_kprobe_handler);

static int fbt_kretprobe_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct fbt_probe *fp = container_of(get_kretprobe(ri), struct fbt_probe, krp);

	fbt_fire(fp, regs, get_kretprobe_retaddr(ri), regs_return_value(regs), false);
	return 0;
}
NOKPROBE_SYMBOL(fbt_kretprobe_handler);

/*
 * Is addr exactly FUNCTION+0x0 in MODULE ("vmlinux" for the kernel)?
 * sprint_symbol() prints "func+0x0/0x1a8" or "func+0x0/0x1a8 [mod]".
 */
static int fbt_check_symbol(unsigned long addr, const char *mod, const char *func)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t flen = strlen(func);
	char *rest;

	sprint_symbol(buf, addr);
	if (strncmp(buf, func, flen) || strncmp(buf + flen, "+0x0/", 5))
		return -ENOENT;
	rest = strchr(buf + flen + 5, ' ');
	if (!rest)
		return strcmp(mod, KTRACE_MOD_VMLINUX) ? -ENOENT : 0;
	if (rest[1] != '[' || strncmp(rest + 2, mod, strlen(mod)) ||
	    strcmp(rest + 2 + strlen(mod), "]"))
		return -ENOENT;
	return 0;
}

static bool fbt_denied(const char *func)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fbt_deny); i++)
		if (!strcmp(func, fbt_deny[i]))
			return true;
	return false;
}

/* The fentry site: after an endbr64 when the kernel uses IBT. */
static unsigned long fbt_fentry_ip(unsigned long addr)
{
	static const u8 endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
	u8 insn[4];

	if (!copy_from_kernel_nofault(insn, (void *)addr, sizeof(insn)) &&
	    !memcmp(insn, endbr64, sizeof(insn)))
		return addr + sizeof(insn);
	return addr;
}

/* Can ftrace trace ip?  Checked on a private, never registered ops. */
static struct ftrace_ops fbt_check_ops;

static bool fbt_ftrace_ok(unsigned long ip)
{
	if (ftrace_set_filter_ip(&fbt_check_ops, ip, 0, 1))
		return false;
	ftrace_set_filter_ip(&fbt_check_ops, ip, 1, 0);
	return true;
}

static int fbt_create(struct ktrace_probe *p, const struct ktrace_probe_desc *d)
{
	unsigned long addr = (unsigned long)d->addr;
	struct fbt_probe *fp;
	bool is_return;
	int ret;

	if (!strcmp(d->name, "entry"))
		is_return = false;
	else if (!strcmp(d->name, "return"))
		is_return = true;
	else
		return -ENOENT;
	if (!addr || d->path || d->pid || !d->function[0] || !d->module[0])
		return -EINVAL;
	if (ktrace_is_own_text(addr) || fbt_denied(d->function))
		return -EACCES;
	ret = fbt_check_symbol(addr, d->module, d->function);
	if (ret)
		return ret;

	fp = kzalloc(sizeof(*fp), GFP_KERNEL);
	if (!fp)
		return -ENOMEM;
	fp->p = p;
	fp->addr = addr;
	fp->ip = fbt_fentry_ip(addr);
	fp->is_return = is_return;
	INIT_HLIST_NODE(&fp->hnode);

	mutex_lock(&fbt_mutex);
	if (!is_return)
		fp->use_kprobe = !fbt_ftrace_ok(fp->ip);
	list_add_tail(&fp->node, &fbt_list);
	mutex_unlock(&fbt_mutex);
	p->priv = fp;
	return 0;
}

static int fbt_collect(unsigned long *ips, bool adds)
{
	struct fbt_probe *fp;
	int n = 0;

	list_for_each_entry(fp, &fbt_list, node) {
		if (fp->is_return || fp->use_kprobe)
			continue;
		if (adds ? (fp->want && !fp->in_filter) : (!fp->want && fp->in_filter))
			ips[n++] = fp->ip;
	}
	return n;
}

static void fbt_mark(bool adds)
{
	struct fbt_probe *fp;

	list_for_each_entry(fp, &fbt_list, node) {
		if (fp->is_return || fp->use_kprobe)
			continue;
		if (adds && fp->want && !fp->in_filter)
			fp->in_filter = true;
		else if (!adds && !fp->want && fp->in_filter)
			fp->in_filter = false;
	}
}

/* A failed update: forget the wanted-but-not-installed entries. */
static void fbt_drop_unfiltered(void)
{
	struct fbt_probe *fp;

	list_for_each_entry(fp, &fbt_list, node) {
		if (fp->is_return || fp->use_kprobe || !fp->want || fp->in_filter)
			continue;
		fp->want = false;
		fbt_nwant--;
		if (fp->armed) {
			hash_del_rcu(&fp->hnode);
			fp->armed = false;
		}
	}
}

/*
 * Bring fbt_ops's filter and registration in line with the want flags:
 * at most one filter update for the additions, one for the removals.
 * Never leaves a registered ops with an empty filter.
 */
static int fbt_sync(void)
{
	unsigned long *ips;
	unsigned int max = 0;
	struct fbt_probe *fp;
	int n, ret = 0;

	list_for_each_entry(fp, &fbt_list, node)
		max++;
	if (!max)
		return 0;
	ips = kvmalloc_array(max, sizeof(*ips), GFP_KERNEL);
	if (!ips)
		return -ENOMEM;

	if (!fbt_nwant && fbt_ops_registered) {
		unregister_ftrace_function(&fbt_ops);
		fbt_ops_registered = false;
	}
	n = fbt_collect(ips, true);
	if (n) {
		ret = ftrace_set_filter_ips(&fbt_ops, ips, n, 0, 0);
		if (ret) {
			fbt_drop_unfiltered();
			goto out_free;
		}
		fbt_mark(true);
	}
	n = fbt_collect(ips, false);
	if (n) {
		/* removals only after additions: the filter stays non-empty */
		ret = ftrace_set_filter_ips(&fbt_ops, ips, n, 1, 0);
		if (ret)
			goto out_free;
		fbt_mark(false);
	}
	if (fbt_nwant && !fbt_ops_registered) {
		ret = register_ftrace_function(&fbt_ops);
		if (ret) {
			pr_warn_ratelimited("ktrace: fbt: register_ftrace_function: %d\n", ret);
			goto out_free;
		}
		fbt_ops_registered = true;
	}
out_free:
	kvfree(ips);
	return ret;
}

static void fbt_prep_kprobe(struct fbt_probe *fp)
{
	if (fp->is_return) {
		memset(&fp->krp, 0, sizeof(fp->krp));
		fp->krp.kp.addr = (kprobe_opcode_t *)fp->addr;
		fp->krp.handler = fbt_kretprobe_handler;
		fp->krp.maxactive = max_t(int, 64, 4 * num_possible_cpus());
	} else {
		memset(&fp->kp, 0, sizeof(fp->kp));
		fp->kp.addr = (kprobe_opcode_t *)fp->addr;
		fp->kp.pre_handler = fbt_kprobe_handler;
	}
}

/* Was fp's k(ret)probe left unregistered by fbt_register_kind()? */
static bool fbt_kp_failed(struct fbt_probe *fp)
{
	return fp->is_return ? !fp->krp.kp.addr : !fp->kp.addr;
}

/*
 * Register n kprobes or kretprobes.  register_k(ret)probes() is all or
 * nothing: one function kprobes refuse (-EINVAL: in a section kprobes
 * cannot patch) would fail the whole batch, e.g. all of fbt:::entry.
 * Then each is registered on its own and the ones refused are skipped
 * (their addr is cleared: fbt_kp_failed()); only a batch of one fails.
 */
static int fbt_register_kind(bool is_return, void **v, unsigned int n)
{
	unsigned int i, ok = 0;
	int ret, first = 0;

	ret = is_return ? register_kretprobes((struct kretprobe **)v, n) :
			  register_kprobes((struct kprobe **)v, n);
	if (!ret || n == 1)
		return ret;
	for (i = 0; i < n; i++) {
		struct fbt_probe *fp;

		if (is_return) {
			struct kretprobe *krp = v[i];

			fp = container_of(krp, struct fbt_probe, krp);
			fbt_prep_kprobe(fp);
			ret = register_kretprobe(krp);
		} else {
			struct kprobe *kp = v[i];

			fp = container_of(kp, struct fbt_probe, kp);
			fbt_prep_kprobe(fp);
			ret = register_kprobe(kp);
		}
		if (ret) {
			first = first ?: ret;
			fbt_prep_kprobe(fp);
			if (is_return)
				fp->krp.kp.addr = NULL;
			else
				fp->kp.addr = NULL;
			continue;
		}
		ok++;
	}
	if (first)
		pr_debug("ktrace: fbt: %u of %u %s refused (%d)\n", n - ok, n,
			 is_return ? "kretprobes" : "kprobes", first);
	return ok ? 0 : first;
}

/*
 * Bring the kprobes and kretprobes in line with the kwant flags: one
 * register_k(ret)probes() call per kind for the additions and one
 * unregister_k(ret)probes() for the removals (a single RCU grace period
 * for all of them instead of one per probe).  register_k(ret)probes()
 * is all or nothing: on failure none of that kind is left registered.
 */
static int fbt_ksync_kind(bool is_return, bool adds, void **v, unsigned int max)
{
	struct fbt_probe *fp;
	unsigned int n = 0;
	int ret = 0;

	list_for_each_entry(fp, &fbt_list, node) {
		if (fp->is_return != is_return || (!is_return && !fp->use_kprobe))
			continue;
		if (adds ? (fp->kwant && !fp->armed) : (!fp->kwant && fp->armed)) {
			if (adds)
				fbt_prep_kprobe(fp);
			v[n++] = is_return ? (void *)&fp->krp : (void *)&fp->kp;
		}
		if (n == max)
			break;
	}
	if (!n)
		return 0;
	if (adds && is_return && n + fbt_nret > KTRACE_FBT_MAX_RETURN)
		ret = -E2BIG;
	else if (adds)
		ret = fbt_register_kind(is_return, v, n);
	else if (is_return)
		unregister_kretprobes((struct kretprobe **)v, n);
	else
		unregister_kprobes((struct kprobe **)v, n);
	list_for_each_entry(fp, &fbt_list, node) {
		if (fp->is_return != is_return || (!is_return && !fp->use_kprobe))
			continue;
		if (adds && fp->kwant && !fp->armed) {
			if (ret || fbt_kp_failed(fp)) {
				fp->kwant = false;	/* not registered */
			} else {
				fp->armed = true;
				fbt_nret += is_return;
			}
		} else if (!adds && !fp->kwant && fp->armed) {
			fp->armed = false;
			fbt_nret -= is_return;
		}
	}
	return ret;
}

static int fbt_ksync(void)
{
	struct fbt_probe *fp;
	unsigned int max = 0;
	int ret, r;
	void **v;

	list_for_each_entry(fp, &fbt_list, node)
		if (fp->is_return || fp->use_kprobe)
			max++;
	if (!max)
		return 0;
	v = kvmalloc_array(max, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	/* removals first: their functions may be wanted again */
	fbt_ksync_kind(true, false, v, max);
	fbt_ksync_kind(false, false, v, max);
	ret = fbt_ksync_kind(true, true, v, max);
	r = fbt_ksync_kind(false, true, v, max);
	kvfree(v);
	if (ret)
		pr_warn_ratelimited("ktrace: fbt: register_kretprobes: %d\n", ret);
	if (r)
		pr_warn_ratelimited("ktrace: fbt: register_kprobes: %d\n", r);
	return ret ?: r;
}

static int fbt_enable(struct ktrace_probe *p)
{
	struct fbt_probe *fp = p->priv;
	int ret = 0;

	if (!fp)
		return -EINVAL;
	mutex_lock(&fbt_mutex);
	if (fp->gone || fbt_check_symbol(fp->addr, p->desc.module, p->desc.function)) {
		fp->gone = true;
		ret = -ENOENT;
		goto out_unlock;
	}
	if (fp->is_return || fp->use_kprobe) {
		fp->kwant = true;
		if (!fbt_batching)
			ret = fbt_ksync();
		goto out_unlock;
	}
	if (fp->want)
		goto out_unlock;
	fp->want = true;
	fbt_nwant++;
	if (!fp->armed) {
		hash_add_rcu(fbt_hash, &fp->hnode, fp->ip);
		fp->armed = true;
	}
	if (!fbt_batching) {
		ret = fbt_sync();
		if (ret && fp->want) {
			fp->want = false;
			fbt_nwant--;
		}
		if (ret && fp->armed && !fp->in_filter) {
			hash_del_rcu(&fp->hnode);
			fp->armed = false;
		}
	}
out_unlock:
	mutex_unlock(&fbt_mutex);
	return ret;
}

/* fbt_mutex held. */
static void fbt_off(struct fbt_probe *fp)
{
	if (fp->is_return || fp->use_kprobe) {
		fp->kwant = false;	/* unregistered by the next fbt_ksync() */
		return;
	}
	if (fp->armed) {
		hash_del_rcu(&fp->hnode);
		fp->armed = false;
	}
	if (fp->want) {
		fp->want = false;
		fbt_nwant--;
	}
}

static void fbt_disable(struct ktrace_probe *p)
{
	struct fbt_probe *fp = p->priv;

	if (!fp)
		return;
	mutex_lock(&fbt_mutex);
	fbt_off(fp);
	if (!fbt_batching) {
		fbt_ksync();
		fbt_sync();
	}
	mutex_unlock(&fbt_mutex);
}

static void fbt_batch_begin(void)
{
	mutex_lock(&fbt_mutex);
	fbt_batching = true;
	mutex_unlock(&fbt_mutex);
}

static int fbt_batch_end(void)
{
	int ret, r;

	mutex_lock(&fbt_mutex);
	fbt_batching = false;
	ret = fbt_ksync();
	r = fbt_sync();
	mutex_unlock(&fbt_mutex);
	return ret ?: r;
}

static void fbt_destroy(struct ktrace_probe *p)
{
	struct fbt_probe *fp = p->priv;

	if (!fp)
		return;
	mutex_lock(&fbt_mutex);
	fbt_off(fp);
	if (fp->armed && (fp->is_return || fp->use_kprobe))
		fbt_ksync();
	if (fp->in_filter || (!fbt_nwant && fbt_ops_registered))
		fbt_sync();
	list_del(&fp->node);
	mutex_unlock(&fbt_mutex);
	p->priv = NULL;
	/* an ftrace callback may still be looking at it */
	kfree_rcu(fp, rcu);
}

/* A module going away: its probes stop for good (ids stay, enable fails). */
static int fbt_module_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *mod = data;
	struct fbt_probe *fp;
	bool any = false;

	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&fbt_mutex);
	list_for_each_entry(fp, &fbt_list, node) {
		if (strcmp(fp->p->desc.module, mod->name))
			continue;
		fbt_off(fp);
		fp->gone = true;
		any = true;
	}
	if (any) {
		fbt_ksync();
		fbt_sync();
	}
	mutex_unlock(&fbt_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block fbt_module_nb = {
	.notifier_call = fbt_module_notify,
};

static int fbt_init(void)
{
	return register_module_notifier(&fbt_module_nb);
}

static void fbt_exit(void)
{
	unregister_module_notifier(&fbt_module_nb);
	mutex_lock(&fbt_mutex);
	if (fbt_ops_registered) {
		unregister_ftrace_function(&fbt_ops);
		fbt_ops_registered = false;
	}
	mutex_unlock(&fbt_mutex);
	ftrace_free_filter(&fbt_ops);
	ftrace_free_filter(&fbt_check_ops);
}

static bool fbt_match_name(const char *provname)
{
	return !strcmp(provname, "fbt");
}

struct ktrace_provider ktrace_prov_fbt = {
	.name		= "fbt",
	.match_name	= fbt_match_name,
	.create		= fbt_create,
	.enable		= fbt_enable,
	.disable	= fbt_disable,
	.destroy	= fbt_destroy,
	.init		= fbt_init,
	.exit		= fbt_exit,
	.batch_begin	= fbt_batch_begin,
	.batch_end	= fbt_batch_end,
};
KTRACE_PROVIDER(40, struct ktrace_provider, ktrace_prov_fbt);
