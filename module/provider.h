/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Providers and probes: the one arrow.
 *
 * A provider (module/prov_*.c, one file each) turns a kernel mechanism
 * (tracepoints, kprobes, ftrace, hrtimers, uprobes) into probes and calls
 * ktrace_probe_fire() when one fires.  The core (module/probe.c) owns the
 * probe registry (ids), the per-probe list of enablings (ECBs) of every
 * session, and reference counts: a provider's enable() is called when a
 * probe gets its first ECB and disable() when it loses its last, so a
 * probe shared by several sessions is registered once and fans out.
 *
 * Locks:
 *   ktrace_probe_mutex (probe.c): the registry and every probe's ECB
 *     list writers, enable/disable; process context only; may sleep.
 *     Taken before a provider's own mutex, never after.
 *   Probe ECB lists are read under RCU-sched (interrupts disabled) by
 *     ktrace_probe_fire(), in probe context.
 */
#ifndef _KTRACE_PROVIDER_H
#define _KTRACE_PROVIDER_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/rculist.h>
#include <linux/ktrace.h>
#include "vm.h"

struct ktrace_probe;
struct ktrace_ecb;

struct ktrace_provider {
	const char	*name;		/* "syscall", "fbt", "tracepoint", "profile", "pid", "uprobe", "dtrace" */
	/* Does this provider own a description with this provider name? ("pid123" -> pid) */
	bool		(*match_name)(const char *provname);
	/*
	 * Non-zero: the provider owns exactly the descriptions whose flags
	 * are these KTRACE_PD_F_* (whatever their provider name: USDT) and
	 * no others; match_name is not asked.
	 */
	u32		pd_flags;
	/*
	 * Validate a description from user space and fill the provider
	 * private part of a new probe (p->priv*); process context.  Called
	 * once per new probe id, under ktrace_probe_mutex.
	 */
	int		(*create)(struct ktrace_probe *p, const struct ktrace_probe_desc *d);
	/* Register the mechanism (first ECB) / unregister it (last ECB gone). */
	int		(*enable)(struct ktrace_probe *p);
	void		(*disable)(struct ktrace_probe *p);
	/* Free provider private data of a probe (module unload). */
	void		(*destroy)(struct ktrace_probe *p);
	/*
	 * Add every probe this provider can list without user-space help
	 * (syscalls, tracepoints) to the registry, via ktrace_probe_add().
	 * Called at module load and on each LIST query (idempotent).
	 */
	int		(*populate)(void);
	/* Module init/exit for the provider's own state. */
	int		(*init)(void);
	void		(*exit)(void);
	/*
	 * Optional (may be NULL): bracket a series of enable()/disable()
	 * calls made for one operation (a session's GO, its teardown),
	 * under ktrace_probe_mutex.  Between them a provider may defer the
	 * costly part of its work (fbt: one ftrace filter update for all
	 * functions instead of one per function); batch_end() applies it
	 * and returns 0 or its error.  Without the calls every enable() and
	 * disable() takes effect before it returns.
	 */
	void		(*batch_begin)(void);
	int		(*batch_end)(void);
	/*
	 * Optional: does this probe fire in NMI context (cpc hardware
	 * events)?  LOAD then refuses clauses that cannot run there.
	 */
	bool		(*fires_in_nmi)(const struct ktrace_probe *p);
	struct list_head list;
};

/* A probe: one registry entry, stable id while the module is loaded. */
struct ktrace_probe {
	u32				id;
	const struct ktrace_provider	*prov;
	struct ktrace_probe_desc	desc;		/* names, addr, pid; path NULL */
	char				*path;		/* uprobe binary path, kmalloc'd */
	struct list_head		ecbs;		/* RCU list of struct ktrace_ecb */
	unsigned int			nenabled;	/* ECBs attached */
	bool				enabled;	/* provider->enable() succeeded */
	void				*priv;		/* provider private */
	u64				priv_u64;	/* provider private */
	struct hlist_node		hnode;		/* registry hash by name */
};

/* Registry (probe.c). */
int ktrace_provider_register(struct ktrace_provider *prov);
struct ktrace_probe *ktrace_probe_add(const struct ktrace_provider *prov,
				      const char *mod, const char *func,
				      const char *name);
struct ktrace_probe *ktrace_probe_lookup_id(u32 id);

/*
 * Fire a probe: run every ECB attached to it.  Called by providers in
 * probe context (any context; NMI only with KTRACE_FIRE_F_NMI in
 * fire->flags, else the dispatcher drops NMI firings, and recursive
 * ones always, and counts them).  fire->args etc. filled by the
 * provider; the dispatcher disables interrupts for the duration.
 */
void ktrace_probe_fire(struct ktrace_probe *p, struct ktrace_fire *fire);

/*
 * Fill every field of a provider's on-stack struct ktrace_fire, one store
 * each: declare it `struct ktrace_fire f __uninitialized;` and call this.
 * With CONFIG_INIT_STACK_ALL_ZERO (Debian's kernels) a plain declaration
 * costs a rep stos at the hook's entry on every event, traced or not
 * (one emulated loop iteration per word under QEMU TCG); a memset the same.
 */
static __always_inline void ktrace_fire_init(struct ktrace_fire *f,
					     const struct ktrace_probe *p, void *regs)
{
	/* a new field of struct ktrace_fire must be set here too */
	BUILD_BUG_ON(sizeof(*f) != 168 || ARRAY_SIZE(f->args) != 10);
	f->args[0] = 0;
	f->args[1] = 0;
	f->args[2] = 0;
	f->args[3] = 0;
	f->args[4] = 0;
	f->args[5] = 0;
	f->args[6] = 0;
	f->args[7] = 0;
	f->args[8] = 0;
	f->args[9] = 0;
	f->probe_id = p->id;
	f->epid = 0;
	f->prov = p->desc.provider;
	f->mod = p->desc.module;
	f->func = p->desc.function;
	f->name = p->desc.name;
	f->regs = regs;
	f->pc = 0;
	f->kframe = 0;
	f->errno_val = 0;
	f->raw = NULL;
	f->raw_size = 0;
	f->flags = 0;
}

/*
 * A provider registers itself with one line, at the start of a line of its
 * file, after its definition:
 *	KTRACE_PROVIDER(ORDER, TYPE, OBJECT[, .MEMBER]);
 * Kbuild collects these lines, sorted by ORDER, into ktrace_provs.h, and
 * main.c registers &OBJECT.MEMBER (a stable provider's .prov) of each in
 * that order at init (dtrace first: probe ids 1..3).  Here the line checks
 * that OBJECT is a TYPE.  No list names the providers: a new one is its file.
 */
#define KTRACE_PROVIDER(order, type, obj, ...)					\
	static_assert(__builtin_types_compatible_p(typeof(obj), type),		\
		      #obj " is not a " #type)

extern struct ktrace_provider ktrace_prov_dtrace;
extern struct ktrace_provider ktrace_prov_syscall;
/*
 * At most this many return probes (kretprobes) registered at once.  Each
 * registration rewrites its function's call site through ftrace, which
 * walks every ftrace record: ~90 ms per function under QEMU TCG, ~1-2 ms
 * on hardware, so fbt:::return (~35k functions) would take minutes to
 * hours.  Above the cap enable fails with -E2BIG (user space says why).
 * Reported to user space by KTRACE_IOC_CONF (max_fbt_return).
 */
#define KTRACE_FBT_MAX_RETURN	1024

extern struct ktrace_provider ktrace_prov_fbt;
extern struct ktrace_provider ktrace_prov_tracepoint;
extern struct ktrace_provider ktrace_prov_profile;
extern struct ktrace_provider ktrace_prov_uprobe;
extern struct ktrace_provider ktrace_prov_usdt;
extern struct ktrace_provider ktrace_prov_cpc;

/*
 * Hold the recursion guard outside probe context: process or IPI code that
 * changes per-CPU state a firing also changes (a speculation commit into
 * the principal buffer, the dynamic variable lock) holds it, so a firing
 * in an NMI that interrupts that code is dropped and counted, not run on
 * half-changed state.  Interrupts must be disabled; returns false if the
 * guard was already held (in probe context), then exit must not be called.
 * (probe_ctx.c, as ktrace_is_own_text)
 */
bool ktrace_probe_guard_enter(void);
void ktrace_probe_guard_exit(void);

/* ktrace's own code is never probed: providers refuse these ranges. */
bool ktrace_is_own_text(unsigned long addr);

#endif /* _KTRACE_PROVIDER_H */
