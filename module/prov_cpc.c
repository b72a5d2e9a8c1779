// SPDX-License-Identifier: GPL-2.0
/*
 * The cpc provider: cpc:::EVENT-MODE-COUNT fires every COUNT events of
 * EVENT counted in MODE (user, kernel or all), as DTrace's cpc provider
 * names them: cpc:::cycles-kernel-100000, cpc:::page-faults-all-1.
 *
 * EVENT is one of perf's generic hardware events (cycles, instructions,
 * cache-references, cache-misses, branches, branch-misses, bus-cycles,
 * stalled-cycles-frontend, stalled-cycles-backend, ref-cycles), one of
 * its software events (cpu-clock, task-clock, page-faults, minor-faults,
 * major-faults, context-switches, cpu-migrations, alignment-faults,
 * emulation-faults), each also spelled with underscores (cpu_clock) and
 * as the kernel's enumerator (perf_count_sw_cpu_clock: see CPC_EV), or a
 * raw PMU event r<hex> (PERF_TYPE_RAW).  COUNT
 * is the overflow period: at least KT_CPC_MIN_HW for hardware and raw
 * events (every overflow is an NMI), at least KT_CPC_MIN_CLOCK ns for the
 * two clocks (as profile's 200 us), at least 1 for the other software
 * events.  Any valid name is created on LOOKUP; populate() lists each
 * event this machine can count (a counter is created and released once
 * per event to find out) in each mode with a default period, in perf's
 * spelling and the kernel's; a named
 * event it cannot count is refused on LOOKUP (EOPNOTSUPP).  Raw events
 * are not checked before enable (perf refuses an unknown one then).
 *
 * arg0 is the kernel PC of the overflow (0 in user mode), arg1 the user
 * PC (0 in the kernel), as with profile; arg2 the sample address when
 * the event has one (the faulting address of the fault events), else 0.
 *
 * Two kinds of probes:
 *  - desc.pid == 0: one counter per online CPU, counting everything that
 *    runs there.  It follows CPU hotplug as the tracepoint provider does:
 *    the hotplug callbacks only mark the CPU and a work item creates the
 *    new counter in process context (a CPU is counted from a few ms
 *    after it is up); a CPU that goes down loses its counter with it.
 *  - desc.pid == N: one counter on task N, inherited by the children it
 *    creates after the enabling (perf's inherit), following the task from
 *    CPU to CPU: the CLI makes this kind for -c/-p when every clause of
 *    the probe is predicated on pid == $target, so that counting one
 *    command costs nothing on the rest of the system.  The probe keeps a
 *    reference to the struct pid, not the task: enable fails with ESRCH
 *    once the process is gone.
 *
 * Contexts: the overflow handler of a hardware or raw event runs in NMI
 * context; software events in the context that counted them (process:
 * faults; the scheduler with its runqueue lock held: context switches,
 * migrations; hardirq: the clocks).  The handler sets KTRACE_FIRE_F_NMI,
 * which is the dispatcher's permission to run it in NMI context
 * (docs/architecture.md, "NMI context", says what makes that safe).
 *
 * Locks and contexts:
 *   Lock order: ktrace_probe_mutex -> cp->lock -> (perf's ctx mutex)
 *   -> cpu_hotplug_lock.
 *   cp->events[] is written under cp->lock by enable/disable (which also
 *   hold ktrace_probe_mutex) and by cp->work (which does not); cp->task
 *   only by enable/disable.  cp->online and cp->stale are cpumasks
 *   changed with atomic bitops by the hotplug callbacks (cpuhp thread,
 *   hotplug lock held: they take no lock of ours) and by cp->work.
 *   disable() removes the hotplug instance, cancels the work, then
 *   releases the counters: after it nothing of the probe's runs.
 *   The overflow handler reads only its probe, which outlives every
 *   counter (perf_event_release_kernel() waits for its handlers).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/perf_event.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <linux/slab.h>
#include <linux/pid.h>
#include <linux/sched/task.h>
#include <linux/err.h>
#include <linux/string_helpers.h>

#include "provider.h"

#define KT_CPC_MIN_HW		5000ULL
#define KT_CPC_MIN_CLOCK	200000ULL
#define KT_CPC_MAX		(1ULL << 62)

enum cpc_mode { CPC_USER, CPC_KERNEL, CPC_ALL };

static const char *const cpc_modes[] = { "user", "kernel", "all" };

/*
 * An event has three spellings: perf's (cpu-clock), the same with
 * underscores (cpu_clock: DTrace for Linux's scripts write the dash that
 * separates a probe name's parts only between them), and the kernel's
 * enumerator, lower-case (perf_count_sw_cpu_clock), which DTrace for
 * Linux lists.  The enumerator's spelling is its identifier, kept by
 * CPC_EV's stringification: it is not written twice.
 */
#define CPC_EV(name, type, config, dflt)	{ name, #config, type, config, dflt }

static const struct cpc_event {
	const char	*name;
	const char	*kname;		/* PERF_COUNT_..., compared without case */
	u32		type;
	u64		config;
	u64		dflt;		/* the period populate() lists */
} cpc_events[] = {
	CPC_EV("cycles",			PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 1000000),
	CPC_EV("instructions",		PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 1000000),
	CPC_EV("cache-references",		PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES, 100000),
	CPC_EV("cache-misses",		PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, 10000),
	CPC_EV("branches",			PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 1000000),
	CPC_EV("branch-misses",		PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, 10000),
	CPC_EV("bus-cycles",			PERF_TYPE_HARDWARE, PERF_COUNT_HW_BUS_CYCLES, 100000),
	CPC_EV("stalled-cycles-frontend",	PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, 100000),
	CPC_EV("stalled-cycles-backend",	PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_BACKEND, 100000),
	CPC_EV("ref-cycles",			PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES, 1000000),
	CPC_EV("cpu-clock",			PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, 10000000),
	CPC_EV("task-clock",			PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 10000000),
	CPC_EV("page-faults",		PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 1),
	CPC_EV("minor-faults",		PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN, 1),
	CPC_EV("major-faults",		PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ, 1),
	CPC_EV("context-switches",		PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, 1),
	CPC_EV("cpu-migrations",		PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, 1),
	CPC_EV("alignment-faults",		PERF_TYPE_SOFTWARE, PERF_COUNT_SW_ALIGNMENT_FAULTS, 1),
	CPC_EV("emulation-faults",		PERF_TYPE_SOFTWARE, PERF_COUNT_SW_EMULATION_FAULTS, 1),
};

/* Which cpc_events this machine counts: found by the first populate(). */
static DECLARE_BITMAP(cpc_supported, ARRAY_SIZE(cpc_events));
static bool cpc_probed;

struct cpc_probe {
	struct perf_event_attr	attr;
	struct pid		*pid;		/* per-task probe: the target */
	struct perf_event	*task_ev;	/* per-task: the counter while enabled */
	struct perf_event	**events;	/* per-CPU: [nr_cpu_ids] while enabled */
	struct ktrace_probe	*p;
	struct mutex		lock;		/* events[] */
	struct hlist_node	cpuhp_node;
	bool			hotplug;
	struct work_struct	work;		/* cpc_cpu_work() */
	cpumask_var_t		online;		/* came online: needs a counter */
	cpumask_var_t		stale;		/* went offline: its counter is dead */
};

static enum cpuhp_state cpc_cpuhp_state;

static void cpc_overflow(struct perf_event *event, struct perf_sample_data *data,
			 struct pt_regs *regs)
{
	struct ktrace_probe *p = event->overflow_handler_context;
	struct ktrace_fire f __uninitialized;	/* ktrace_fire_init() sets it all */

	ktrace_fire_init(&f, p, regs);
	f.flags = KTRACE_FIRE_F_INTR | KTRACE_FIRE_F_NMI;
	if (regs) {
		if (user_mode(regs))
			f.args[1] = instruction_pointer(regs);
		else
			f.args[0] = instruction_pointer(regs);
	}
	if (data && (event->attr.sample_type & PERF_SAMPLE_ADDR))
		f.args[2] = data->addr;
	ktrace_probe_fire(p, &f);
}

/* "r1a2b" -> raw config; false if not a raw event name. */
static bool cpc_raw(const char *s, size_t len, u64 *config)
{
	char buf[20];

	if (len < 2 || len > 17 || s[0] != 'r')
		return false;
	memcpy(buf, s + 1, len - 1);
	buf[len - 1] = '\0';
	return !kstrtou64(buf, 16, config);
}

/* Is ev[0..len) one of e's spellings (see CPC_EV)? */
static bool cpc_event_is(const struct cpc_event *e, const char *ev, size_t len)
{
	size_t i;

	if (len == strlen(e->kname) && !strncasecmp(ev, e->kname, len))
		return true;
	if (len != strlen(e->name))
		return false;
	for (i = 0; i < len; i++)
		if (ev[i] != e->name[i] && !(ev[i] == '_' && e->name[i] == '-'))
			return false;
	return true;
}

/*
 * Parse EVENT-MODE-COUNT into attr; -ENOENT if it is not a cpc name,
 * -ERANGE if COUNT is out of the event's range.
 */
static int cpc_parse(const char *name, struct perf_event_attr *attr)
{
	const char *dash2 = strrchr(name, '-'), *dash1, *ev;
	size_t evlen;
	unsigned int i, mode;
	u64 count, min = 1;

	if (!dash2 || dash2 == name)
		return -ENOENT;
	for (dash1 = dash2 - 1; dash1 > name && *dash1 != '-'; dash1--)
		;
	if (dash1 == name)
		return -ENOENT;
	for (mode = 0; mode < ARRAY_SIZE(cpc_modes); mode++)
		if (dash2 - dash1 - 1 == strlen(cpc_modes[mode]) &&
		    !strncmp(dash1 + 1, cpc_modes[mode], dash2 - dash1 - 1))
			break;
	if (mode == ARRAY_SIZE(cpc_modes))
		return -ENOENT;
	if (dash2[1] < '1' || dash2[1] > '9' || kstrtou64(dash2 + 1, 10, &count))
		return dash2[1] >= '0' && dash2[1] <= '9' ? -ERANGE : -ENOENT;
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	ev = name;
	evlen = dash1 - name;
	for (i = 0; i < ARRAY_SIZE(cpc_events); i++)
		if (cpc_event_is(&cpc_events[i], ev, evlen))
			break;
	if (i < ARRAY_SIZE(cpc_events)) {
		attr->type = cpc_events[i].type;
		attr->config = cpc_events[i].config;
	} else if (cpc_raw(ev, evlen, &attr->config)) {
		attr->type = PERF_TYPE_RAW;
	} else {
		return -ENOENT;
	}
	if (attr->type != PERF_TYPE_SOFTWARE)
		min = KT_CPC_MIN_HW;
	else if (attr->config == PERF_COUNT_SW_CPU_CLOCK ||
		 attr->config == PERF_COUNT_SW_TASK_CLOCK)
		min = KT_CPC_MIN_CLOCK;
	if (count < min || count > KT_CPC_MAX)
		return -ERANGE;
	attr->sample_period = count;
	attr->exclude_user = mode == CPC_KERNEL;
	attr->exclude_kernel = mode == CPC_USER;
	attr->exclude_hv = mode == CPC_USER;
	if (attr->type == PERF_TYPE_SOFTWARE &&
	    (attr->config == PERF_COUNT_SW_PAGE_FAULTS ||
	     attr->config == PERF_COUNT_SW_PAGE_FAULTS_MIN ||
	     attr->config == PERF_COUNT_SW_PAGE_FAULTS_MAJ ||
	     attr->config == PERF_COUNT_SW_ALIGNMENT_FAULTS ||
	     attr->config == PERF_COUNT_SW_EMULATION_FAULTS))
		attr->sample_type = PERF_SAMPLE_ADDR;
	return 0;
}

static void cpc_cpu_work(struct work_struct *work);
static void cpc_destroy(struct ktrace_probe *p);

static int cpc_alloc(struct ktrace_probe *p, const char *name, u32 pid)
{
	struct cpc_probe *cp;
	int err;

	cp = kzalloc(sizeof(*cp), GFP_KERNEL);
	if (!cp)
		return -ENOMEM;
	err = cpc_parse(name, &cp->attr);
	if (err)
		goto free;
	if (pid) {
		cp->pid = find_get_pid(pid);
		err = -ESRCH;
		if (!cp->pid)
			goto free;
		cp->attr.inherit = 1;	/* the children it forks from now on */
	}
	cp->p = p;
	mutex_init(&cp->lock);
	INIT_WORK(&cp->work, cpc_cpu_work);
	p->priv = cp;
	return 0;
free:
	kfree(cp);
	return err;
}

/* A named event (not raw) this machine was found not to count? */
static bool cpc_unsupported(const struct perf_event_attr *attr)
{
	unsigned int i;

	for (i = 0; cpc_probed && i < ARRAY_SIZE(cpc_events); i++)
		if (cpc_events[i].type == attr->type && cpc_events[i].config == attr->config)
			return !test_bit(i, cpc_supported);
	return false;
}

static int cpc_create(struct ktrace_probe *p, const struct ktrace_probe_desc *d)
{
	int err;

	if (d->addr || d->path || d->module[0] || d->function[0] || d->pid > PID_MAX_LIMIT)
		return -EINVAL;
	err = cpc_alloc(p, d->name, d->pid);
	if (!err && cpc_unsupported(&((struct cpc_probe *)p->priv)->attr)) {
		cpc_destroy(p);
		err = -EOPNOTSUPP;	/* no PMU (QEMU TCG), or not this one's event */
	}
	return err;
}

static struct perf_event *cpc_counter(struct cpc_probe *cp, int cpu, struct task_struct *t)
{
	return perf_event_create_kernel_counter(&cp->attr, cpu, t, cpc_overflow, cp->p);
}

/* Under cp->lock. */
static void cpc_release_one(struct cpc_probe *cp, unsigned int cpu)
{
	if (!cp->events[cpu])
		return;
	perf_event_release_kernel(cp->events[cpu]);
	cp->events[cpu] = NULL;
}

/* Under cp->lock: a counter on every online CPU that has none (-ENODEV: going down). */
static int cpc_fill_online(struct cpc_probe *cp)
{
	struct perf_event *ev;
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		if (cp->events[cpu])
			continue;
		ev = cpc_counter(cp, cpu, NULL);
		if (PTR_ERR_OR_ZERO(ev) == -ENODEV)
			continue;
		if (IS_ERR(ev))
			return PTR_ERR(ev);
		cp->events[cpu] = ev;
	}
	return 0;
}

/* Process context (system workqueue): count again on CPUs that came back. */
static void cpc_cpu_work(struct work_struct *work)
{
	struct cpc_probe *cp = container_of(work, struct cpc_probe, work);
	unsigned int cpu;
	int err;

	mutex_lock(&cp->lock);
	if (!cp->events)
		goto unlock;
	for_each_possible_cpu(cpu) {
		if (!cpumask_test_and_clear_cpu(cpu, cp->online))
			continue;
		if (cpumask_test_and_clear_cpu(cpu, cp->stale))
			cpc_release_one(cp, cpu);
	}
	err = cpc_fill_online(cp);
	if (err)
		pr_warn_ratelimited("ktrace: cpc %s: a CPU that came online is not counted (%d)\n",
				    cp->p->desc.name, err);
unlock:
	mutex_unlock(&cp->lock);
}

static int cpc_cpu_online(unsigned int cpu, struct hlist_node *node)
{
	struct cpc_probe *cp = hlist_entry(node, struct cpc_probe, cpuhp_node);

	cpumask_set_cpu(cpu, cp->online);
	schedule_work(&cp->work);
	return 0;
}

static int cpc_cpu_offline(unsigned int cpu, struct hlist_node *node)
{
	struct cpc_probe *cp = hlist_entry(node, struct cpc_probe, cpuhp_node);

	cpumask_set_cpu(cpu, cp->stale);
	return 0;
}

static void cpc_release(struct cpc_probe *cp)
{
	unsigned int cpu;

	if (cp->task_ev) {
		perf_event_release_kernel(cp->task_ev);
		cp->task_ev = NULL;
	}
	if (!cp->events)
		return;
	if (cp->hotplug)
		cpuhp_state_remove_instance_nocalls(cpc_cpuhp_state, &cp->cpuhp_node);
	cp->hotplug = false;
	cancel_work_sync(&cp->work);
	mutex_lock(&cp->lock);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		cpc_release_one(cp, cpu);
	kfree(cp->events);
	cp->events = NULL;
	mutex_unlock(&cp->lock);
	free_cpumask_var(cp->online);
	free_cpumask_var(cp->stale);
}

static int cpc_enable_task(struct cpc_probe *cp)
{
	struct task_struct *t = get_pid_task(cp->pid, PIDTYPE_PID);
	struct perf_event *ev;

	if (!t)
		return -ESRCH;
	ev = cpc_counter(cp, -1, t);
	put_task_struct(t);
	if (IS_ERR(ev))
		return PTR_ERR(ev);
	cp->task_ev = ev;
	return 0;
}

static int cpc_enable(struct ktrace_probe *p)
{
	struct cpc_probe *cp = p->priv;
	int ret;

	if (cp->task_ev || cp->events)
		return 0;
	if (cp->pid)
		return cpc_enable_task(cp);
	if (!zalloc_cpumask_var(&cp->online, GFP_KERNEL))
		return -ENOMEM;
	if (!zalloc_cpumask_var(&cp->stale, GFP_KERNEL))
		goto free_online;
	cp->events = kcalloc(nr_cpu_ids, sizeof(*cp->events), GFP_KERNEL);
	if (!cp->events)
		goto free_stale;
	/* the instance first: a CPU coming online after the scan is not missed */
	ret = cpuhp_state_add_instance_nocalls(cpc_cpuhp_state, &cp->cpuhp_node);
	if (ret) {
		kfree(cp->events);
		cp->events = NULL;
		free_cpumask_var(cp->stale);
		free_cpumask_var(cp->online);
		return ret;
	}
	cp->hotplug = true;
	mutex_lock(&cp->lock);
	ret = cpc_fill_online(cp);
	mutex_unlock(&cp->lock);
	if (ret)
		cpc_release(cp);
	return ret;
free_stale:
	free_cpumask_var(cp->stale);
free_online:
	free_cpumask_var(cp->online);
	return -ENOMEM;
}

static void cpc_disable(struct ktrace_probe *p)
{
	cpc_release(p->priv);
}

static void cpc_destroy(struct ktrace_probe *p)
{
	struct cpc_probe *cp = p->priv;

	if (!cp)
		return;
	cpc_release(cp);
	put_pid(cp->pid);
	kfree(cp);
	p->priv = NULL;
}

/* Can this machine count event i?  A disabled counter on this CPU says. */
static bool cpc_event_works(unsigned int i)
{
	struct perf_event_attr attr = {
		.type		= cpc_events[i].type,
		.size		= sizeof(attr),
		.config		= cpc_events[i].config,
		.sample_period	= cpc_events[i].dflt,
		.disabled	= 1,
	};
	struct perf_event *ev;
	int cpu = get_cpu();

	put_cpu();	/* perf may sleep; a CPU that goes away meanwhile is -ENODEV */
	ev = perf_event_create_kernel_counter(&attr, cpu, NULL, NULL, NULL);
	if (IS_ERR(ev))
		return false;
	perf_event_release_kernel(ev);
	return true;
}

static int cpc_populate(void)
{
	struct ktrace_probe *p;
	unsigned int i, k, m;
	char name[KTRACE_NAMELEN];
	int err;

	if (!cpc_probed) {
		for (i = 0; i < ARRAY_SIZE(cpc_events); i++)
			if (cpc_event_works(i))
				__set_bit(i, cpc_supported);
		cpc_probed = true;
	}
	for_each_set_bit(i, cpc_supported, ARRAY_SIZE(cpc_events)) {
		for (k = 0; k < 2 * ARRAY_SIZE(cpc_modes); k++) {
			/* perf's spelling, then the kernel's (lower case) */
			m = k % ARRAY_SIZE(cpc_modes);
			snprintf(name, sizeof(name), "%s-%s-%llu",
				 k < ARRAY_SIZE(cpc_modes) ? cpc_events[i].name : cpc_events[i].kname,
				 cpc_modes[m], cpc_events[i].dflt);
			string_lower(name, name);
			p = ktrace_probe_add(&ktrace_prov_cpc, "", "", name);
			if (!p)
				return -ENOMEM;
			if (p->priv)
				continue;
			err = cpc_alloc(p, name, 0);
			if (err)
				return err;
		}
	}
	return 0;
}

static int cpc_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "ktrace/cpc:online",
				      cpc_cpu_online, cpc_cpu_offline);
	if (ret < 0)
		return ret;
	cpc_cpuhp_state = ret;
	return 0;
}

static void cpc_exit(void)
{
	cpuhp_remove_multi_state(cpc_cpuhp_state);
}

/* Hardware and raw events overflow in an NMI (software events do not). */
static bool cpc_fires_in_nmi(const struct ktrace_probe *p)
{
	const struct cpc_probe *cp = p->priv;

	return cp && cp->attr.type != PERF_TYPE_SOFTWARE;
}

static bool cpc_match_name(const char *provname)
{
	return !strcmp(provname, "cpc");
}

struct ktrace_provider ktrace_prov_cpc = {
	.name		= "cpc",
	.match_name	= cpc_match_name,
	.create		= cpc_create,
	.enable		= cpc_enable,
	.disable	= cpc_disable,
	.destroy	= cpc_destroy,
	.populate	= cpc_populate,
	.init		= cpc_init,
	.exit		= cpc_exit,
	.fires_in_nmi	= cpc_fires_in_nmi,
};
KTRACE_PROVIDER(130, struct ktrace_provider, ktrace_prov_cpc);
