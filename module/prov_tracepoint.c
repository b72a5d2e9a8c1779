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
 * CPUs that come online while a probe is enabled are not covered.
 *
 * Locks and contexts:
 *   Provider state per probe (struct tp_probe) is written only by
 *   create/enable/disable/destroy under ktrace_probe_mutex.
 *   The overflow handler runs in the traced context (preemption
 *   disabled by the tracepoint); it reads only its probe, which
 *   outlives every perf event (perf_event_release_kernel() waits).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/perf_event.h>
#include <linux/trace_events.h>
#include <linux/cpu.h>
#include <linux/slab.h>
#include <linux/err.h>

#include "provider.h"

struct tp_probe {
	u64			event_id;
	struct perf_event	**events;	/* [nr_cpu_ids] while enabled */
};

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
	p->priv = tp;
	p->desc.addr = id;
	return 0;
}

static void tp_release_events(struct tp_probe *tp)
{
	unsigned int cpu;

	if (!tp->events)
		return;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (tp->events[cpu])
			perf_event_release_kernel(tp->events[cpu]);
	kfree(tp->events);
	tp->events = NULL;
}

static int tp_enable(struct ktrace_probe *p)
{
	struct tp_probe *tp = p->priv;
	struct perf_event_attr attr = {
		.type		= PERF_TYPE_TRACEPOINT,
		.size		= sizeof(attr),
		.config		= tp->event_id,
		.sample_period	= 1,
		.sample_type	= PERF_SAMPLE_RAW,
	};
	struct perf_event *ev;
	unsigned int cpu;
	int ret = 0;

	if (tp->events)
		return 0;
	tp->events = kcalloc(nr_cpu_ids, sizeof(*tp->events), GFP_KERNEL);
	if (!tp->events)
		return -ENOMEM;
	/*
	 * Not under cpus_read_lock(): creating a tracepoint event takes
	 * event_mutex then tracepoints_mutex, and tracepoint registration
	 * takes tracepoints_mutex then cpu_hotplug_lock — holding the
	 * hotplug lock here closes that cycle (lockdep on the debug kernel).
	 * A CPU coming online meanwhile is not traced (no hotplug support).
	 */
	for_each_online_cpu(cpu) {
		ev = perf_event_create_kernel_counter(&attr, cpu, NULL, tp_overflow, p);
		if (IS_ERR(ev)) {
			ret = PTR_ERR(ev);
			break;
		}
		tp->events[cpu] = ev;
	}
	if (ret)
		tp_release_events(tp);
	return ret;
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
};
