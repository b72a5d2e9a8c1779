// SPDX-License-Identifier: GPL-2.0
/*
 * The profile provider: profile:::profile-RATE fires on every online CPU
 * at RATE, profile:::tick-RATE on one CPU.  RATE is a number with an
 * optional unit: ns nsec us usec ms msec s sec m min h hour d day, or hz
 * (the default: "profile-997" is 997 Hz).  The interval must be at least
 * 200 us (at most 5000 Hz) and at most one day.
 *
 * Any valid rate is created on LOOKUP; populate() adds a default set so
 * that `ktrace -l` shows some.
 *
 * arg0 is the interrupted kernel PC (0 if the CPU was in user mode),
 * arg1 the interrupted user PC (0 if it was in the kernel), from
 * get_irq_regs() in the timer callback.
 *
 * Mechanism: one hrtimer per CPU per enabled probe, HRTIMER_MODE_ABS_
 * PINNED_HARD (hardirq expiry on PREEMPT_RT too), re-armed with
 * hrtimer_forward_now().  profile-N follows CPU hotplug: an enabled probe
 * is an instance of a dynamic CPU hotplug state (CPUHP_AP_ONLINE_DYN)
 * whose startup callback starts the CPU's timer on that CPU and whose
 * teardown cancels it there before the CPU goes down, so a CPU that comes
 * online is sampled and a CPU that goes offline does not leave its timer
 * to migrate onto a live one (which would double that CPU's rate).
 * tick-N is one timer, started on the enabling CPU by enable(); if that
 * CPU goes offline the hrtimer core moves the timer to a live CPU and it
 * keeps its rate.
 *
 * Locks and contexts:
 *   Per-probe state is written only by create/enable/disable/destroy/
 *   populate, under ktrace_probe_mutex, process context; pp->timers[cpu]
 *   is also written by the hotplug callbacks of that CPU, which run on
 *   it in process context (the cpuhp thread) under the CPU hotplug lock,
 *   only between enable()'s cpuhp_state_add_instance() and disable()'s
 *   cpuhp_state_remove_instance() (both take that lock), so never
 *   concurrently with enable/disable for the same timer.
 *   Lock order: ktrace_probe_mutex -> cpu_hotplug_lock; the callbacks
 *   take no lock of ours.
 *   The timer callback (hardirq) reads only its own struct prof_timer
 *   and the probe; disable() cancels (and waits for) every timer before
 *   the timers are freed.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/smp.h>
#include <linux/slab.h>
#include <asm/irq_regs.h>

#include "provider.h"

#define PROF_MIN_NS	(200 * NSEC_PER_USEC)
#define PROF_MAX_NS	(86400ULL * NSEC_PER_SEC)

struct prof_timer {
	struct hrtimer		timer;
	struct ktrace_probe	*p;
	ktime_t			interval;
	bool			started;
};

struct prof_probe {
	u64			interval_ns;
	bool			tick;		/* one CPU */
	bool			hotplug;	/* an instance of prof_cpuhp_state */
	struct prof_timer	*timers;	/* [nr_cpu_ids] while enabled */
	struct hlist_node	cpuhp_node;	/* profile-N: hotplug instance */
};

/* The dynamic hotplug state of profile-N probes; 0 until init. */
static enum cpuhp_state prof_cpuhp_state;

static const char *const prof_defaults[] = {
	"profile-97", "profile-199", "profile-499", "profile-997",
	"profile-1001", "profile-4999",
	"tick-1", "tick-10", "tick-100", "tick-500", "tick-1000", "tick-5000",
	"tick-1s", "tick-5s", "tick-10s",
};

static const struct {
	const char	*name;
	u64		ns;		/* 0: hz */
} prof_units[] = {
	{ "ns", 1 }, { "nsec", 1 },
	{ "us", NSEC_PER_USEC }, { "usec", NSEC_PER_USEC },
	{ "ms", NSEC_PER_MSEC }, { "msec", NSEC_PER_MSEC },
	{ "s", NSEC_PER_SEC }, { "sec", NSEC_PER_SEC },
	{ "m", 60 * NSEC_PER_SEC }, { "min", 60 * NSEC_PER_SEC },
	{ "h", 3600 * NSEC_PER_SEC }, { "hour", 3600 * NSEC_PER_SEC },
	{ "d", 86400 * NSEC_PER_SEC }, { "day", 86400 * NSEC_PER_SEC },
	{ "hz", 0 }, { "", 0 },
};

/* "profile-997", "tick-1s" -> interval; -ENOENT if not a profile name. */
static int prof_parse(const char *name, u64 *interval, bool *tick)
{
	const char *s;
	u64 n = 0;
	unsigned int i;

	if (!strncmp(name, "profile-", 8)) {
		*tick = false;
		s = name + 8;
	} else if (!strncmp(name, "tick-", 5)) {
		*tick = true;
		s = name + 5;
	} else {
		return -ENOENT;
	}
	if (*s < '0' || *s > '9')
		return -ENOENT;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > PROF_MAX_NS)
			return -ERANGE;
		n = n * 10 + (*s - '0');
	}
	if (!n)
		return -ERANGE;
	for (i = 0; i < ARRAY_SIZE(prof_units); i++) {
		if (strcmp(s, prof_units[i].name))
			continue;
		if (!prof_units[i].ns) {
			if (n > NSEC_PER_SEC / PROF_MIN_NS)
				return -ERANGE;
			*interval = div64_u64(NSEC_PER_SEC, n);
		} else {
			if (n > div64_u64(PROF_MAX_NS, prof_units[i].ns))
				return -ERANGE;
			*interval = n * prof_units[i].ns;
		}
		if (*interval < PROF_MIN_NS || *interval > PROF_MAX_NS)
			return -ERANGE;
		return 0;
	}
	return -ENOENT;
}

static enum hrtimer_restart prof_fire(struct hrtimer *timer)
{
	struct prof_timer *pt = container_of(timer, struct prof_timer, timer);
	struct ktrace_probe *p = pt->p;
	struct pt_regs *regs = get_irq_regs();
	struct ktrace_fire f __uninitialized;	/* ktrace_fire_init() sets it all */

	ktrace_fire_init(&f, p, regs);
	f.flags = KTRACE_FIRE_F_INTR;
	if (regs) {
		if (user_mode(regs))
			f.args[1] = instruction_pointer(regs);
		else
			f.args[0] = instruction_pointer(regs);
	}
	ktrace_probe_fire(p, &f);
	hrtimer_forward_now(timer, pt->interval);
	/*
	 * Never leave the CPU less than half an interval between firings:
	 * when a firing (or the machine: an emulated or overloaded guest)
	 * is slower than the rate, samples are skipped instead of turning
	 * the timer into an interrupt storm that starves everything else,
	 * the deadman's process-context work included.
	 */
	if (ktime_before(hrtimer_get_expires(timer),
			 ktime_add(hrtimer_cb_get_time(timer), ktime_divns(pt->interval, 2))))
		hrtimer_add_expires(timer, pt->interval);
	return HRTIMER_RESTART;
}

static struct prof_probe *prof_alloc(const char *name, int *err)
{
	struct prof_probe *pp;
	u64 interval;
	bool tick;

	*err = prof_parse(name, &interval, &tick);
	if (*err)
		return NULL;
	pp = kzalloc(sizeof(*pp), GFP_KERNEL);
	if (!pp) {
		*err = -ENOMEM;
		return NULL;
	}
	pp->interval_ns = interval;
	pp->tick = tick;
	return pp;
}

static int prof_create(struct ktrace_probe *p, const struct ktrace_probe_desc *d)
{
	int err;

	if (d->addr || d->path || d->pid || d->module[0] || d->function[0])
		return -EINVAL;
	p->priv = prof_alloc(d->name, &err);
	return p->priv ? 0 : err;
}

static void prof_timer_start(struct prof_probe *pp, struct ktrace_probe *p,
			     unsigned int cpu, enum hrtimer_mode mode)
{
	struct prof_timer *pt = &pp->timers[cpu];

	hrtimer_init(&pt->timer, CLOCK_MONOTONIC, mode);
	pt->timer.function = prof_fire;
	pt->p = p;
	pt->interval = ns_to_ktime(pp->interval_ns);
	pt->started = true;
	hrtimer_start(&pt->timer, ktime_add(ktime_get(), pt->interval), mode);
}

static void prof_timer_stop(struct prof_probe *pp, unsigned int cpu)
{
	struct prof_timer *pt = &pp->timers[cpu];

	if (!pt->started)
		return;
	hrtimer_cancel(&pt->timer);
	pt->started = false;
}

/* Hotplug startup, on @cpu: a CPU coming online (or already online at enable). */
static int prof_cpu_online(unsigned int cpu, struct hlist_node *node)
{
	struct prof_probe *pp = hlist_entry(node, struct prof_probe, cpuhp_node);

	prof_timer_start(pp, pp->timers[cpu].p, cpu, HRTIMER_MODE_ABS_PINNED_HARD);
	return 0;
}

/* Hotplug teardown, on @cpu: the CPU is going down (or the probe disabled). */
static int prof_cpu_offline(unsigned int cpu, struct hlist_node *node)
{
	prof_timer_stop(hlist_entry(node, struct prof_probe, cpuhp_node), cpu);
	return 0;
}

static void prof_stop_all(struct prof_probe *pp)
{
	unsigned int cpu;

	if (!pp->timers)
		return;
	if (pp->hotplug)	/* runs the teardown on every online CPU */
		cpuhp_state_remove_instance(prof_cpuhp_state, &pp->cpuhp_node);
	pp->hotplug = false;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		prof_timer_stop(pp, cpu);
	kfree(pp->timers);
	pp->timers = NULL;
}

static int prof_enable(struct ktrace_probe *p)
{
	struct prof_probe *pp = p->priv;
	unsigned int cpu;
	int ret;

	if (!pp)
		return -EINVAL;
	if (pp->timers)
		return 0;
	pp->timers = kcalloc(nr_cpu_ids, sizeof(*pp->timers), GFP_KERNEL);
	if (!pp->timers)
		return -ENOMEM;
	if (pp->tick) {
		prof_timer_start(pp, p, raw_smp_processor_id(), HRTIMER_MODE_ABS_HARD);
		return 0;
	}
	for_each_possible_cpu(cpu)	/* read by prof_cpu_online() */
		pp->timers[cpu].p = p;
	/* Runs the startup on every online CPU, on that CPU. */
	ret = cpuhp_state_add_instance(prof_cpuhp_state, &pp->cpuhp_node);
	if (ret) {
		prof_stop_all(pp);
		return ret;
	}
	pp->hotplug = true;
	return 0;
}

static void prof_disable(struct ktrace_probe *p)
{
	if (p->priv)
		prof_stop_all(p->priv);
}

static void prof_destroy(struct ktrace_probe *p)
{
	if (!p->priv)
		return;
	prof_stop_all(p->priv);
	kfree(p->priv);
	p->priv = NULL;
}

static int prof_populate(void)
{
	struct ktrace_probe *p;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(prof_defaults); i++) {
		p = ktrace_probe_add(&ktrace_prov_profile, "", "", prof_defaults[i]);
		if (!p)
			return -ENOMEM;
		if (p->priv)
			continue;
		p->priv = prof_alloc(prof_defaults[i], &err);
		if (!p->priv)
			return err;
	}
	return 0;
}

static int prof_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "ktrace/profile:online",
				      prof_cpu_online, prof_cpu_offline);
	if (ret < 0)
		return ret;
	prof_cpuhp_state = ret;
	return 0;
}

static void prof_exit(void)
{
	cpuhp_remove_multi_state(prof_cpuhp_state);
}

static bool prof_match_name(const char *provname)
{
	return !strcmp(provname, "profile");
}

struct ktrace_provider ktrace_prov_profile = {
	.name		= "profile",
	.match_name	= prof_match_name,
	.create		= prof_create,
	.enable		= prof_enable,
	.disable	= prof_disable,
	.destroy	= prof_destroy,
	.populate	= prof_populate,
	.init		= prof_init,
	.exit		= prof_exit,
};
KTRACE_PROVIDER(50, struct ktrace_provider, ktrace_prov_profile);
