/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktrace_internal.h: the kernel core's private types (sessions, ECBs,
 * per-CPU session state, speculations) shared by main.c, params.c, ioctl.c,
 * session.c, session_mem.c, session_state.c, probe.c, probe_ctx.c,
 * buffer.c, env.c, uaccess.c and prov_dtrace.c (their layers:
 * docs/architecture.md, "The module's files").
 *
 * Locks, in the order they nest (outer first):
 *   ktrace_session.lock (mutex)   one session's ioctls and state changes
 *                                 from process context (LOAD, GO, STOP,
 *                                 AGGSNAP, teardown, the kill work).
 *   ktrace_session.agg_lock (mutex)  the aggregation copies' mappings
 *                                 (struct ktrace_aggmap): AGGSNAP (inside
 *                                 .lock) and the growth work (alone).
 *   ktrace_probe_mutex (mutex)    the probe registry and every probe's
 *                                 ECB list writers (probe.c).
 *   provider mutexes              (prov_*.c), taken inside ktrace_probe_mutex.
 *   ktrace_sessions_lock (mutex)  the list of live sessions (genl.c; main.c
 *                                 links and unlinks them), leaf; the netlink
 *                                 dump (genl.c) walks it.
 *   dynamic variable space lock   arch_spinlock_t, probe context only, leaf.
 *   (the page pool of the principal buffers, struct ktrace_pool, takes no
 *   lock: cmpxchg in probe context, one filler in process context.)
 *
 * Contexts:
 *   probe context   ktrace_probe_fire(): interrupts disabled for the whole
 *                   firing, NMI only for a provider that asks (cpc, its
 *                   hardware events; others' NMI firings are dropped),
 *                   never re-entered on a CPU (dropped).  Reads the ECB lists under RCU (irqs off is
 *                   an RCU read-side section), writes only per-CPU session
 *                   state (struct ktrace_cpu), the CPU's principal buffer
 *                   and its active aggregation copy, the session's state
 *                   word (cmpxchg), and queues the session's irq_work.
 *   irq_work        ktrace_session.kick: wakes pollers, queues the kill
 *                   and speculation works (probe context cannot).
 *   timer (softirq) the deadman timer: refreshes 'alive'.
 *   process         ioctls, works, release, netlink (genl.c: events are
 *                   sent from process context only).
 */
#ifndef _KTRACE_INTERNAL_H
#define _KTRACE_INTERNAL_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/timer.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/poll.h>
#include <linux/mm_types.h>
#include <linux/sizes.h>
#include <linux/percpu.h>
#include <linux/atomic.h>
#include "vm.h"
#include "provider.h"

/* Probe ids of the dtrace provider. */
#define KTRACE_PROBE_BEGIN	1
#define KTRACE_PROBE_END	2
#define KTRACE_PROBE_ERROR	3

/* Limits of the core (the option limits are KTRACE_OPTS_LIMITS in the uapi). */
#define KTRACE_MAX_OBJ_SIZE	(64U << 20)
#define KTRACE_MAX_LOG_SIZE	(16U << 20)
#define KTRACE_REC_STAGING	(64U << 10)
#define KTRACE_SCRATCH_EXTRA	(16U << 10)
/*
 * The page pool of the principal buffers (buffer.c, docs/buffers.md):
 * pages a new session starts with (module parameter buf_pool_pages,
 * default KTRACE_POOL_START: two of the largest records), and the most
 * the pool ever holds ready (its ring of slots).
 */
#define KTRACE_POOL_START	32U
#define KTRACE_POOL_MAX		4096U
/*
 * Most descriptions one KTRACE_IOC_PROBES call takes (count); the call
 * yields the CPU and the probe mutex every KTRACE_PROBE_QUERY_BATCH
 * descriptions and stops (-EINTR) when its task is killed.
 */
#define KTRACE_MAX_PROBE_QUERY	65536
#define KTRACE_PROBE_QUERY_BATCH 64

struct ktrace_session;

/* An enabling control block: one (probe, clause) of one session. */
struct ktrace_ecb {
	struct list_head		node;		/* probe->ecbs, RCU */
	struct ktrace_session		*sess;
	struct ktrace_probe		*probe;
	const struct ktrace_clause_desc	*clause;
	u32				epid;		/* enabling index + 1 */
	bool				attached;	/* on probe->ecbs */
};

/* Speculation states (ktrace_spec.state). */
enum {
	KTRACE_SPEC_INACTIVE = 0,	/* free for speculation() */
	KTRACE_SPEC_ACTIVE,		/* allocated; speculate() fills it */
	KTRACE_SPEC_COMMITTING,		/* commit() called; other CPUs flushed by work */
	KTRACE_SPEC_DISCARDING,		/* discard() called; other CPUs emptied by work */
	KTRACE_SPEC_ACTIVEMANY,		/* active, records staged on several CPUs */
	KTRACE_SPEC_ACTIVEONE,		/* + cpu: active, records staged on that CPU only */
};

static inline bool ktrace_spec_is_active(int st)
{
	return st == KTRACE_SPEC_ACTIVE || st >= KTRACE_SPEC_ACTIVEMANY;
}

/* One speculation of a session (buffers are per CPU, in ktrace_cpu). */
struct ktrace_spec {
	int	state;			/* KTRACE_SPEC_*, cmpxchg */
};

/* One CPU's speculation buffer of one speculation. */
struct ktrace_specbuf {
	u8	*data;
	u32	used;			/* bytes of whole records */
	u32	size;
};

/*
 * The zeroed pages a session keeps ready for its CPUs' principal buffers
 * (buffer.c).  Process context fills it (LOAD, then the pool work: one
 * filler at a time), any CPU in probe context (NMI included) takes from
 * it with a cmpxchg on 'taken'.  Slot i % cap holds the i-th page put in;
 * the filler never has more than cap pages in it, so it reuses a slot only
 * after its page was taken.
 */
struct ktrace_pool {
	void			**slot;		/* [cap] kernel addresses of pages */
	unsigned long		cap;		/* power of two */
	unsigned long		filled;		/* pages ever put in (release store) */
	unsigned long		taken;		/* pages ever taken (cmpxchg) */
	unsigned long		target;		/* the filler keeps this many ready */
	unsigned long		left;		/* pages the session may still allocate */
	bool			starved;	/* a take found it empty: grow target */
	struct work_struct	work;		/* the filler, queued by KTRACE_KICK_POOL */
};

/* Per session and CPU, never mapped.  Touched only by that CPU in
 * probe context, or by process context while no firing can run on it
 * (IPI with on_each_cpu, or after the probes are disabled). */
/*
 * The pages of one aggregation copy (session_mem.c): total pages of
 * which the first 'mapped' exist, mapped contiguously at the copy's hdr
 * (vmap).  The copy starts with its header, buckets and
 * KTRACE_AGG_ROOM_LOAD bytes of entries; the growth work doubles it as
 * the copy asks (struct ktrace_aggbuf's limit), under s->agg_lock; the
 * mmap fault handler reads pg[i] for i < mapped (acquire).
 */
struct ktrace_aggmap {
	struct page		**pg;		/* [total] */
	unsigned int		mapped;
	unsigned int		total;
};

/* Entries' room of an aggregation copy mapped at LOAD (the rest as it fills). */
#define KTRACE_AGG_ROOM_LOAD	SZ_256K

struct ktrace_cpu {
	struct ktrace_vm	vm;
	struct ktrace_session	*sess;
	int			cpu;
	/* principal buffer (in the mapping) */
	struct ktrace_buf_hdr	*bhdr;		/* its own page */
	/*
	 * The data: bsize bytes in pages taken from the session's pool as
	 * the first lap reaches them (buffer.c); bpg[i] backs bytes
	 * [i * PAGE_SIZE, (i + 1) * PAGE_SIZE), NULL until then.  Written by
	 * this CPU in probe context, read by the mmap fault handler.
	 */
	u8			**bpg;		/* [bsize / PAGE_SIZE] */
	u64			backed;		/* bytes backed from 0; U64_MAX: all */
	u64			bsize;		/* power of two */
	u64			head;		/* kernel copy of bhdr->head */
	u64			rtail;		/* ring policy: kernel copy of bhdr->tail */
	u64			*consumer_tail;	/* user-writable: untrusted */
	bool			wake_armed;	/* watermark crossing not yet signalled */
	/* aggregation copies (in the mapping) and their pages */
	struct ktrace_aggbuf	agg[2];
	struct ktrace_aggmap	aggmap[2];
	unsigned int		agg_active;
	/* speculations */
	struct ktrace_specbuf	*spec;		/* [nspec] */
	/* firing state */
	u64			fire_ts;	/* timestamp of the current firing */
	bool			in_error;	/* running ERROR clauses */
	/*
	 * The ERROR clauses of one firing share one budget of insn_budget
	 * instructions and maxloops back-edges, apart from the other
	 * clauses' (which a fault may have used up): a firing runs at most
	 * twice insn_budget instructions.  Zeroed when the firing starts.
	 */
	u32			err_insns;
	u32			err_loops;
	u64			rand;		/* xorshift state */
	u64			chill_start;	/* chill() window start */
	u64			chill_ns;	/* chilled in that window */
	/* stack capture (probe context, this CPU only) */
	struct pt_regs		stackregs;	/* kstack()'s start without kernel regs */
	u64			depthbuf[KTRACE_MAX_STACKFRAMES];
	/* deferred raise()/stop() */
	struct irq_work		raise_work;
	struct task_struct	*raise_task;	/* non-NULL: raise_work busy */
	int			raise_sig;
	/* counters (summed by STATUS) */
	u64			errors;
	u64			double_errors;
	u64			recursion_drops;
	u64			budget_faults;
	u64			spec_drops;
	u64			spec_unavail;
	u64			spec_busy;
	u64			drops;		/* principal buffer drops */
};

/*
 * The current firing's timestamp: read once per firing, at its first use
 * (its first record or a clause's `timestamp`), so that every record and
 * every `timestamp` of one firing agree, as DTrace's.  dispatch() zeroes
 * fire_ts when a session's firing starts.  Probe context, this CPU only.
 */
static __always_inline u64 ktrace_fire_ts(struct ktrace_cpu *c)
{
	if (!c->fire_ts)
		c->fire_ts = ktime_get_mono_fast_ns();
	return c->fire_ts;
}

/* Bits of ktrace_session.kick_flags. */
enum {
	KTRACE_KICK_WAKE,	/* wake pollers */
	KTRACE_KICK_KILL,	/* disable the probes of a killed session */
	KTRACE_KICK_SPEC,	/* finish commits/discards on every CPU */
	KTRACE_KICK_POOL,	/* refill the page pool of the principal buffers */
	KTRACE_KICK_AGG,	/* map more of the aggregation copies that asked */
};

struct ktrace_session {
	struct mutex		lock;		/* see the top of this file */
	int			state;		/* enum ktrace_state; cmpxchg from probe context */
	u32			abort_reason;	/* enum ktrace_abort_reason, set with KILLED */
	s32			exit_status;
	u32			exited;
	bool			warmup;		/* GO: only BEGIN may run */
	bool			stopping;	/* STOP: only END may run */
	bool			probes_on;	/* ECBs attached */
	bool			destructive;
	bool			nodeadman;
	bool			has_end;	/* the program enables END (fill reserve) */
	bool			only_dtrace;	/* enables only BEGIN, END and ERROR */
	bool			dead;		/* release: timers and works must not re-arm */
	struct ktrace_prog	*prog;
	struct ktrace_rt	rt;
	struct ktrace_opts	opts;		/* effective options */
	/* the mapping (docs/buffers.md): its pages are found by map_page() */
	void			*map;		/* the header pages (vmalloc) */
	void			*mapped;	/* == map once LOAD succeeded (release store) */
	u64			map_size;
	u64			hdr_map_size;	/* writable part at offset 0 */
	u64			cpu_map_size;	/* one CPU's part: page + bufsize + 2 aggregation copies */
	u32			*slot_cpu;	/* [num_possible_cpus()]: the CPU of each part */
	void			*zpage;		/* zeros: mapped for data pages not written yet */
	struct ktrace_pool	pool;		/* pages of the principal buffers */
	struct ktrace_map_hdr	*mhdr;
	u64			reserve;	/* fill policy: bytes kept for END */
	u64			watermark;	/* poll: readable past this many bytes */
	/* non-mapped state */
	struct ktrace_cpu	**cpu;		/* [nr_cpu_ids], NULL for impossible CPUs */
	u8			*globals;
	void			*dynmem;
	u64			dynsize;
	u64			mem;		/* bytes reserved in ktrace_mem_used (LOAD) */
	atomic64_t		resident;	/* bytes of it allocated now (mem.c) */
	struct ktrace_spec	*spec;		/* [nspec] */
	u32			nspec;
	struct ktrace_ecb	*ecbs;
	u32			necbs;
	int			agg_readable;	/* -1: none yet */
	/* deadman (ns, ktime_get_mono_fast_ns) */
	u64			alive;
	u64			heartbeat;
	u64			deadman_due;	/* when the deadman timer should run */
	struct timer_list	deadman_timer;
	/* deferred work */
	struct irq_work		kick;
	unsigned long		kick_flags;
	struct work_struct	kill_work;
	struct work_struct	spec_work;
	struct mutex		agg_lock;	/* see the top of this file */
	struct work_struct	agg_work;	/* grows copies, queued by KTRACE_KICK_AGG */
	struct delayed_work	clean_work;
	bool			clean_on;
	wait_queue_head_t	wq;
	/* identity, for the session list */
	pid_t			owner_pid;
	kuid_t			owner_uid;
	u64			go_time;
	struct list_head	list;		/* ktrace_sessions */
	/* netlink (genl.c): identity and events */
	u32			id;		/* unique while the module is loaded */
	char			comm[TASK_COMM_LEN];	/* opener's */
	u32			nprobes;	/* distinct probes, set at GO */
	u64			drops_next;	/* drop count of the next event (cmpxchg) */
	bool			ev_started;	/* STARTED sent (s->lock) */
	bool			ev_ended;	/* STOPPED/ABORTED sent (s->lock) */
	struct work_struct	notify_work;	/* drop check, queued by the deadman timer */
};

/* params.c: the module parameters */
extern unsigned int ktrace_deadman_interval_ms;
extern unsigned int ktrace_deadman_timeout_ms;
extern unsigned int ktrace_deadman_user_ms;
extern unsigned int ktrace_cleanrate_ms;
/*
 * Memory of every loaded session together (session_mem.c accounts it at
 * LOAD, before allocating anything): at most ktrace_mem_limit bytes
 * (module parameter mem_limit; 0: half of RAM).
 */
extern unsigned long ktrace_mem_limit;
/* Pages a new session's pool starts with (module parameter buf_pool_pages). */
extern unsigned int ktrace_buf_pool_pages;

/* mem.c */
struct ktrace_mem {
	u64	bufs;		/* the mapped principal and aggregation buffers */
	u64	spec;		/* speculation buffers, every CPU */
	u64	dyn;		/* the dynamic variable space */
	u64	other;		/* per-CPU VM state, globals, ECBs, the program */
};
u64 ktrace_mem_limit_bytes(void);
u64 ktrace_mem_in_use(void);
/* Reserve m's total for s (s->mem) or fail with -ENOMEM and the reason in log. */
int ktrace_mem_reserve(struct ktrace_session *s, const struct ktrace_mem *m,
		       struct ktrace_vlog *log);
void ktrace_mem_release(struct ktrace_session *s);
/* s allocated (bytes > 0) or freed part of its reservation (process context). */
void ktrace_mem_resident_add(struct ktrace_session *s, s64 bytes);
u64 ktrace_mem_resident(void);

/* genl.c: the live sessions (main.c links and unlinks them) */
extern struct mutex ktrace_sessions_lock;
extern struct list_head ktrace_sessions;

/* session.c: the state machine (LOAD, GO, STOP, STATUS), the deadman */
struct ktrace_session *ktrace_session_create(void);
void ktrace_session_destroy(struct ktrace_session *s);
/* s->lock held; the structs were copied in by ioctl.c */
int ktrace_session_load(struct ktrace_session *s, const void *obj, u32 size,
			const struct ktrace_opts *opts, struct ktrace_vlog *log);
void ktrace_session_load_end(struct ktrace_session *s, long err);
int ktrace_session_go(struct ktrace_session *s);
int ktrace_session_stop(struct ktrace_session *s);
/* no lock: a heartbeat, and st zeroed and filled */
void ktrace_session_status(struct ktrace_session *s, struct ktrace_status *st);

/* session_state.c: the state changes of probe context (any context) */
void ktrace_session_exit(struct ktrace_session *s, s32 status);
void ktrace_session_abort(struct ktrace_session *s, u32 reason);
void ktrace_session_kick(struct ktrace_session *s, int bit);
/* s->kick's callback (ktrace_session_create sets it up) */
void ktrace_session_kick_fn(struct irq_work *w);

/* session_mem.c: a session's memory, mmap, poll */
int ktrace_session_build(struct ktrace_session *s, struct ktrace_vlog *log);
void ktrace_session_free_load(struct ktrace_session *s);
int ktrace_session_aggsnap(struct ktrace_session *s);
int ktrace_session_mmap(struct ktrace_session *s, struct vm_area_struct *vma);
__poll_t ktrace_session_poll(struct ktrace_session *s, struct file *file, poll_table *pt);

/* ioctl.c: the ioctls */
long ktrace_session_ioctl(struct ktrace_session *s, unsigned int cmd, unsigned long arg);

/* uaccess.c: a size-versioned uapi struct in (ioctl.c, probe.c, prov_uprobe.c) */
int ktrace_copy_struct_from_user(void *dst, size_t ksize, const void __user *src,
				 size_t usize);

/* probe.c */
extern struct mutex ktrace_probe_mutex;
int ktrace_probes_init(void);
void ktrace_probes_exit(void);
long ktrace_probe_query(void __user *arg);
int ktrace_ecbs_attach(struct ktrace_ecb *ecbs, u32 n);
void ktrace_ecbs_detach(struct ktrace_ecb *ecbs, u32 n);
/* Fire p for one session only (BEGIN, END from process context). */
void ktrace_probe_fire_session(struct ktrace_probe *p, struct ktrace_fire *fire,
			       struct ktrace_session *s);

/* probe_ctx.c (guard_enter/exit, is_own_text: provider.h) */
/* The recursion guard: set while this CPU runs a firing or holds the guard. */
DECLARE_PER_CPU(int, ktrace_in_probe);
/* Monotonic ns of the CPU's current firing's first clock read, 0: none yet. */
DECLARE_PER_CPU(u64, ktrace_firing_t0);

/* buffer.c */
int ktrace_buf_commit(struct ktrace_cpu *c, const void *rec, u32 size, bool is_end);
int ktrace_spec_stage(struct ktrace_cpu *c, u32 id, const void *rec, u32 size);
void ktrace_spec_commit_local(struct ktrace_cpu *c, u32 id);
void ktrace_spec_flush(struct ktrace_session *s);
void ktrace_spec_discard_local(struct ktrace_cpu *c, u32 id);
bool ktrace_buf_readable(struct ktrace_cpu *c);
/* process context: the pool's filler (LOAD, then the pool work); pages added */
unsigned long ktrace_pool_fill(struct ktrace_session *s);
void ktrace_pool_work(struct work_struct *work);
/* session_mem.c: KTRACE_KICK_AGG's work, maps more of the copies that asked */
void ktrace_agg_grow_work(struct work_struct *work);
void ktrace_spec_work(struct work_struct *work);

/* env.c (ktrace_kread_locked: kt_compat.h, where ldk's inline read tests it) */
void ktrace_env_check_lockdown(void);
void ktrace_env_cpu_init(struct ktrace_cpu *c);
void ktrace_env_cpu_sync(struct ktrace_cpu *c);

/* genl.c (process context only) */
int ktrace_genl_init(void);
void ktrace_genl_exit(void);
void ktrace_genl_session_init(struct ktrace_session *s);
void ktrace_genl_started(struct ktrace_session *s);
void ktrace_genl_ended(struct ktrace_session *s);
void ktrace_genl_check_drops(struct ktrace_session *s);
void ktrace_genl_notify_work(struct work_struct *w);

/* prov_dtrace.c */
struct ktrace_probe *ktrace_dtrace_probe(u32 id);

#endif /* _KTRACE_INTERNAL_H */
