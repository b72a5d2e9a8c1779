/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stable providers' shared machinery (module/stable.c), used by
 * prov_proc.c, prov_sched.c, prov_io.c, prov_ip.c, prov_tcp.c, prov_udp.c and
 * prov_lockstat.c; netpkt.h has the network providers' packet helpers.
 *
 * A stable probe (uapi/linux/ktrace_stable.h lists them all, with their
 * arguments) fires from one or more sources: a kernel tracepoint (the
 * stable interface, preferred) or, where Linux has no tracepoint, a
 * kprobe on a kernel function, or a kretprobe where the probe fires when
 * the function returns (its entry handler keeps what the return needs in
 * the instance's data).  A provider file gives its sources, which
 * sources each of its probes needs, and the source hooks; the hooks call
 * kt_sp_fire(), which fires the probe if some session enabled it.
 *
 * Locks: kt_sp_mutex (stable.c) orders source registration and the live
 * table; taken under ktrace_probe_mutex, never before it.  Hooks run in
 * the traced context and only read kt_sp_live[] (READ_ONCE): a probe
 * outlives every firing (probes are freed at module unload, after every
 * source is unregistered and tracepoint_synchronize_unregister()).
 */
#ifndef _KTRACE_STABLE_H
#define _KTRACE_STABLE_H

#include <linux/kprobes.h>
#include <linux/tracepoint.h>
#include <linux/ktrace_stable.h>
#include "provider.h"

struct kt_sp_source {
	const char	*name;		/* tracepoint name, or kprobe'd function */
	const char	*alt;		/* kprobe: a second symbol to try ("f.isra.0"), or NULL */
	bool		is_kprobe;	/* a kprobe or (is_kretprobe) a kretprobe */
	bool		is_kretprobe;
	bool		optional;	/* kprobe: a kernel without the function still fires the rest */
	void		*hook;		/* tracepoint: fn with its TP_PROTO (void *data first) */
	kprobe_pre_handler_t pre;	/* kprobe: pre_handler */
	kretprobe_handler_t entry;	/* kretprobe: entry_handler (non-zero: no return hook) */
	kretprobe_handler_t ret;	/* kretprobe: handler, at the return */
	size_t		data_size;	/* kretprobe: bytes of ri->data */
	int		maxactive;	/* kretprobe: instances (0: the kernel's default) */
	unsigned long	priv;		/* the provider's, for its handlers (kt_sp_src_of*()) */
	/* state, under kt_sp_mutex */
	struct tracepoint *tp;		/* found at init; NULL: not in this kernel */
	union {
		struct kprobe		kp;	/* is_kprobe && !is_kretprobe */
		struct kretprobe	krp;	/* is_kretprobe */
	};
	unsigned int	users;		/* enabled probes using it */
	bool		registered;	/* an optional kprobe may be missing while used */
};

struct kt_sp_need {
	enum ktrace_stable_probe	probe;
	u64				sources;	/* BIT_ULL(i): src[i] */
};

struct kt_sp_provider {
	struct ktrace_provider	prov;	/* first: container_of from p->prov */
	struct kt_sp_source	*src;
	unsigned int		nsrc;
	const struct kt_sp_need	*need;
	unsigned int		nneed;
	bool			populated;
	void			(*exit_report)(void);	/* after exit: the provider's own counters */
};

/* The stable providers are kt_sp_NAME (prov_NAME.c); main.c registers &kt_sp_NAME.prov. */

/* The enabled probe of each stable probe id, or NULL. */
extern struct ktrace_probe *kt_sp_live[KTRACE_SP_NR];

/* Provider callbacks shared by every stable provider. */
int kt_sp_create(struct ktrace_probe *p, const struct ktrace_probe_desc *d);
int kt_sp_enable(struct ktrace_probe *p);
void kt_sp_disable(struct ktrace_probe *p);
int kt_sp_init_provider(struct kt_sp_provider *sp);
void kt_sp_exit_provider(struct kt_sp_provider *sp);
int kt_sp_populate_provider(struct kt_sp_provider *sp);

/*
 * Define stable provider OBJ (struct kt_sp_provider) named PNAME, with its
 * sources SRCS[] and what its probes need NEEDS[]: the provider callbacks,
 * which take no argument and so name OBJ, and OBJ itself; more members may
 * follow (.exit_report).  The file still registers OBJ with its own
 * KTRACE_PROVIDER(ORDER, struct kt_sp_provider, OBJ, .prov); line.
 */
#define KT_SP_DEFINE(obj, pname, srcs, needs, ...)				\
	extern struct kt_sp_provider obj;					\
	static bool obj##_match(const char *provname)				\
	{									\
		return !strcmp(provname, pname);				\
	}									\
	static int obj##_init(void)						\
	{									\
		return kt_sp_init_provider(&obj);				\
	}									\
	static void obj##_exit(void)						\
	{									\
		kt_sp_exit_provider(&obj);					\
	}									\
	static int obj##_populate(void)						\
	{									\
		return kt_sp_populate_provider(&obj);				\
	}									\
	struct kt_sp_provider obj = {						\
		.prov = {							\
			.name		= pname,				\
			.match_name	= obj##_match,				\
			.create		= kt_sp_create,				\
			.enable		= kt_sp_enable,				\
			.disable	= kt_sp_disable,			\
			.populate	= obj##_populate,			\
			.init		= obj##_init,				\
			.exit		= obj##_exit,				\
		},								\
		.src	= srcs,							\
		.nsrc	= ARRAY_SIZE(srcs),					\
		.need	= needs,						\
		.nneed	= ARRAY_SIZE(needs),					\
		__VA_ARGS__							\
	}

void kt_sp_fire_slow(struct ktrace_probe *p, struct pt_regs *regs, u32 flags,
		     u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5);
/* Fire stable probe id with arg0..arg7 if it is enabled (regs may be NULL). */
void kt_sp_fire8(enum ktrace_stable_probe id, struct pt_regs *regs, u64 a0, u64 a1, u64 a2,
		 u64 a3, u64 a4, u64 a5, u64 a6, u64 a7);

/*
 * Fire stable probe id with arg0..arg5 if it is enabled (hook context);
 * flags: the firing's KTRACE_FIRE_F_* (KTRACE_FIRE_F_THREAD).
 */
static __always_inline void kt_sp_fire_f(enum ktrace_stable_probe id, struct pt_regs *regs,
					 u32 flags, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4,
					 u64 a5)
{
	/* pairs with the WRITE_ONCE in stable.c:kt_sp_enable (p set up before) */
	struct ktrace_probe *p = READ_ONCE(kt_sp_live[id]);

	if (p)
		kt_sp_fire_slow(p, regs, flags, a0, a1, a2, a3, a4, a5);
}

static __always_inline void kt_sp_fire(enum ktrace_stable_probe id, struct pt_regs *regs,
				       u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
	kt_sp_fire_f(id, regs, 0, a0, a1, a2, a3, a4, a5);
}

/* The source a kprobe or kretprobe handler was called for. */
static __always_inline struct kt_sp_source *kt_sp_src_of(struct kprobe *kp)
{
	return container_of(kp, struct kt_sp_source, kp);
}

static __always_inline struct kt_sp_source *kt_sp_src_of_ri(struct kretprobe_instance *ri)
{
	return container_of(get_kretprobe(ri), struct kt_sp_source, krp);
}

static __always_inline bool kt_sp_on(enum ktrace_stable_probe id)
{
	return READ_ONCE(kt_sp_live[id]) != NULL;
}

#endif /* _KTRACE_STABLE_H */
