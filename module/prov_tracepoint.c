// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoint provider: tracepoint:SUBSYSTEM::EVENT for every trace
 * event of the kernel (and of loaded modules).
 *
 * Probes are made on demand: user space lists the events from tracefs
 * (available_events) and looks each one up with provider "tracepoint",
 * module SUBSYSTEM, function "" and name EVENT (probe_desc.addr may carry
 * the event id from tracefs events/S/E/id; it must then match).  The
 * kernel verifies the event with trace_get_event_file() and keeps its id.
 *
 * Mechanism: the event's formatted record is what `args->FIELD` reads
 * (layout of tracefs events/S/E/format), so a probe is one perf event
 * per online CPU (perf_event_create_kernel_counter(), PERF_TYPE_TRACEPOINT,
 * config = event id, PERF_SAMPLE_RAW, sample_period 1) whose overflow
 * handler fires the probe with fire->raw = the record (common header
 * included, so tracefs offsets apply unchanged).  arg0..arg9 are the
 * record's first ten u64 words after the 8-byte common header (raw
 * words; a field narrower than 8 bytes shares a word with its
 * neighbour): D code should use args->FIELD.
 * (A direct tracepoint_probe_register() on the event's tracepoint would
 * hand us the TP_PROTO arguments, but not the formatted record: the
 * record is built by the event class's own perf/trace probe.  Using
 * perf keeps one path that gives both the record and a cheap filter.)
 *
 * CPU hotplug: perf detaches a CPU's events when the CPU goes down and
 * does not bring them back, so an enabled probe is an instance of a
 * dynamic hotplug state (CPUHP_AP_ONLINE_DYN).  Its callbacks run under
 * the CPU hotplug lock, where creating a tracepoint perf event cannot be
 * done (that takes event_mutex and tracepoints_mutex, which nest outside
 * the hotplug lock elsewhere), so they only mark the CPU (offline: its
 * event is dead; online: it needs one) and queue tp->work, which replaces
 * the dead event with a new one in process context.  A CPU that comes
 * online is traced from when that work has run (milliseconds).
 *
 * Locks and contexts:
 *   Lock order: ktrace_probe_mutex -> tp->lock -> (perf: event_mutex,
 *   tracepoints_mutex) -> cpu_hotplug_lock.
 *   tp->events[] is written under tp->lock by enable/disable (which
 *   also hold ktrace_probe_mutex) and by tp->work (which does not).
 *   tp->online and tp->stale are cpumasks changed with atomic bitops by
 *   the hotplug callbacks (process context, the cpuhp thread, hotplug
 *   lock held for writing: they take no lock of ours) and by tp->work.
 *   disable() removes the hotplug instance, then cancels the work, then
 *   releases the events: after it nothing of the probe's runs.
 *   The overflow handler runs in the traced context (preemption
 *   disabled by the tracepoint); it reads only its probe, which
 *   outlives every perf event (perf_event_release_kernel() waits).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/perf_event.h>
#include <linux/trace_events.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <linux/slab.h>
#include <linux/err.h>

#include "provider.h"

struct tp_probe {
	u64			event_id;
	struct perf_event	**events;	/* [nr_cpu_ids] while enabled */
	struct ktrace_probe	*p;		/* the probe (overflow context) */
	struct mutex		lock;		/* events[] */
	struct hlist_node	cpuhp_node;	/* hotplug instance while enabled */
	bool			hotplug;
	struct work_struct	work;		/* tp_cpu_work() */
	cpumask_var_t		online;		/* came online: needs an event */
	cpumask_var_t		stale;		/* went offline: its event is dead */
};

/* The dynamic hotplug state of tracepoint probes; 0 until init. */
static enum cpuhp_state tp_cpuhp_state;

static void tp_overflow(struct perf_event *event, struct perf_sample_data *data,
			struct pt_regs *regs)
{
	struct ktrace_probe *p = event->overflow_handler_context;
	struct ktrace_fire f __uninitialized;	/* ktrace_fire_init() sets it all */
	const u8 *raw = NULL;
	u32 size = 0, i;

	if (data->raw) {
		raw = data->raw->frag.data;
		size = data->raw->frag.size;
	}
	ktrace_fire_init(&f, p, regs);
	f.raw = raw;
	f.raw_size = size;
	for (i = 0; i < ARRAY_SIZE(f.args) && 8 + 8 * (i + 1) <= size; i++)
		memcpy(&f.args[i], raw + 8 + 8 * i, sizeof(u64));
	ktrace_probe_fire(p, &f);
}

/* The event id of SUBSYS:EVENT, or a negative errno. */
static s64 tp_event_id(const char *sys, const char *event)
{
	struct trace_event_file *file;
	s64 id;

	file = trace_get_event_file(NULL, sys, event);
	if (IS_ERR(file))
		return PTR_ERR(file);
	id = file->event_call->event.type;
	trace_put_event_file(file);
	return id;
}

static void tp_cpu_work(struct work_struct *work);

static int tp_create(struct ktrace_probe *p, const struct ktrace_probe_desc *d)
{
	struct tp_probe *tp;
	s64 id;

	if (d->path || d->pid || d->function[0] || !d->module[0] || !d->name[0])
		return -EINVAL;
	id = tp_event_id(d->module, d->name);
	if (id < 0)
		return id == -EINVAL ? -ENOENT : (int)id;
	if (d->addr && d->addr != (u64)id)
		return -ENOENT;
	tp = kzalloc(sizeof(*tp), GFP_KERNEL);
	if (!tp)
		return -ENOMEM;
	tp->event_id = id;
	tp->p = p;
	mutex_init(&tp->lock);
	INIT_WORK(&tp->work, tp_cpu_work);
	p->priv = tp;
	p->desc.addr = id;
	return 0;
}

static struct perf_event *tp_event_on(struct tp_probe *tp, unsigned int cpu)
{
	struct perf_event_attr attr = {
		.type		= PERF_TYPE_TRACEPOINT,
		.size		= sizeof(attr),
		.config		= tp->event_id,
		.sample_period	= 1,
		.sample_type	= PERF_SAMPLE_RAW,
	};

	return perf_event_create_kernel_counter(&attr, cpu, NULL, tp_overflow, tp->p);
}

/* Under tp->lock. */
static void tp_release_one(struct tp_probe *tp, unsigned int cpu)
{
	if (!tp->events[cpu])
		return;
	perf_event_release_kernel(tp->events[cpu]);
	tp->events[cpu] = NULL;
}

/*
 * Under tp->lock: an event for every online CPU that has none.  A CPU
 * going down meanwhile makes perf refuse (-ENODEV): it is skipped, and
 * traced again when it comes back (tp_cpu_work()).
 */
static int tp_fill_online(struct tp_probe *tp)
{
	struct perf_event *ev;
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		if (tp->events[cpu])
			continue;
		ev = tp_event_on(tp, cpu);
		if (PTR_ERR_OR_ZERO(ev) == -ENODEV)
			continue;
		if (IS_ERR(ev))
			return PTR_ERR(ev);
		tp->events[cpu] = ev;
	}
	return 0;
}

/* Process context (system workqueue): re-cover CPUs that came back. */
static void tp_cpu_work(struct work_struct *work)
{
	struct tp_probe *tp = container_of(work, struct tp_probe, work);
	unsigned int cpu;
	int err;

	mutex_lock(&tp->lock);
	if (!tp->events)
		goto unlock;
	for_each_possible_cpu(cpu) {
		if (!cpumask_test_and_clear_cpu(cpu, tp->online))
			continue;
		if (cpumask_test_and_clear_cpu(cpu, tp->stale))
			tp_release_one(tp, cpu);
	}
	err = tp_fill_online(tp);
	if (err)
		pr_warn_ratelimited("ktrace: tracepoint %s:%s: a CPU that came online is not traced (%d)\n",
				    tp->p->desc.module, tp->p->desc.name, err);
unlock:
	mutex_unlock(&tp->lock);
}

/* Hotplug callbacks (cpuhp thread, hotplug lock held): mark and defer. */
static int tp_cpu_online(unsigned int cpu, struct hlist_node *node)
{
	struct tp_probe *tp = hlist_entry(node, struct tp_probe, cpuhp_node);

	cpumask_set_cpu(cpu, tp->online);
	schedule_work(&tp->work);
	return 0;
}

static int tp_cpu_offline(unsigned int cpu, struct hlist_node *node)
{
	struct tp_probe *tp = hlist_entry(node, struct tp_probe, cpuhp_node);

	cpumask_set_cpu(cpu, tp->stale);
	return 0;
}

static void tp_release_events(struct tp_probe *tp)
{
	unsigned int cpu;

	if (!tp->events)	/* not enabled: no event, mask or instance */
		return;
	if (tp->hotplug)
		cpuhp_state_remove_instance_nocalls(tp_cpuhp_state, &tp->cpuhp_node);
	tp->hotplug = false;
	cancel_work_sync(&tp->work);
	mutex_lock(&tp->lock);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		tp_release_one(tp, cpu);
	kfree(tp->events);
	tp->events = NULL;
	mutex_unlock(&tp->lock);
	free_cpumask_var(tp->online);
	free_cpumask_var(tp->stale);
}

static int tp_enable(struct ktrace_probe *p)
{
	struct tp_probe *tp = p->priv;
	int ret;

	if (tp->events)
		return 0;
	if (!zalloc_cpumask_var(&tp->online, GFP_KERNEL))
		return -ENOMEM;
	if (!zalloc_cpumask_var(&tp->stale, GFP_KERNEL))
		goto free_online;
	tp->events = kcalloc(nr_cpu_ids, sizeof(*tp->events), GFP_KERNEL);
	if (!tp->events)
		goto free_stale;
	/*
	 * First the hotplug instance, so that no CPU coming online after
	 * the scan below is missed; the scan is not under cpus_read_lock():
	 * creating a tracepoint event takes event_mutex then
	 * tracepoints_mutex, and tracepoint registration takes
	 * tracepoints_mutex then cpu_hotplug_lock (lockdep on the debug
	 * kernel would see the cycle).
	 */
	ret = cpuhp_state_add_instance_nocalls(tp_cpuhp_state, &tp->cpuhp_node);
	if (ret)
		goto free_events;
	tp->hotplug = true;
	mutex_lock(&tp->lock);
	ret = tp_fill_online(tp);
	mutex_unlock(&tp->lock);
	if (ret)
		tp_release_events(tp);
	return ret;
free_events:
	kfree(tp->events);
	tp->events = NULL;
	free_cpumask_var(tp->stale);
	free_cpumask_var(tp->online);
	return ret;
free_stale:
	free_cpumask_var(tp->stale);
free_online:
	free_cpumask_var(tp->online);
	return -ENOMEM;
}

static void tp_disable(struct ktrace_probe *p)
{
	tp_release_events(p->priv);
}

static void tp_destroy(struct ktrace_probe *p)
{
	struct tp_probe *tp = p->priv;

	if (!tp)
		return;
	tp_release_events(tp);
	kfree(tp);
	p->priv = NULL;
}

static int tp_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "ktrace/tracepoint:online",
				      tp_cpu_online, tp_cpu_offline);
	if (ret < 0)
		return ret;
	tp_cpuhp_state = ret;
	return 0;
}

static void tp_exit(void)
{
	cpuhp_remove_multi_state(tp_cpuhp_state);
}

static bool tp_match_name(const char *provname)
{
	return !strcmp(provname, "tracepoint");
}

struct ktrace_provider ktrace_prov_tracepoint = {
	.name		= "tracepoint",
	.match_name	= tp_match_name,
	.create		= tp_create,
	.enable		= tp_enable,
	.disable	= tp_disable,
	.destroy	= tp_destroy,
	.init		= tp_init,
	.exit		= tp_exit,
};
KTRACE_PROVIDER(30, struct ktrace_provider, ktrace_prov_tracepoint);
