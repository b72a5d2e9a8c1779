/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ktrace virtual machine: the interface between the shared safety
 * core (object parsing, verifier, interpreter, subroutines, aggregation
 * and dynamic-variable data structures, disassembler) and the two
 * environments it is compiled into: the kernel module and the host
 * test/fuzz/bench programs.
 *
 * Shared sources (compiled by Kbuild into ktrace.ko AND by
 * selftests/Makefile and user/Makefile for the host):
 *	module/prog.c      object parsing and limits
 *	module/verify.c    the verifier
 *	module/interp.c    the interpreter
 *	module/subr.c      string and other pure subroutines
 *	module/vm_mem.c    memory helpers: scratch, faults, region checks
 *	                   (vm_mem.h; used by interp.c, subr.c and the envs)
 *	module/agg.c       per-CPU aggregation buffer update
 *	module/dynvar.c    dynamic variables (self->, assoc arrays)
 *	module/disasm.c    the disassembler (also used by `ktrace -S`)
 * These include only "vm.h" or "vm_mem.h" (and through them kt_compat.h),
 * never kernel headers directly, so the host build works.
 *
 * Environment hooks (ktrace_env_*) are implemented by the kernel in
 * module/env.c and by the host in selftests/host/env_host.c.
 *
 * Contexts: everything here except ktrace_prog_load()/ktrace_prog_free()
 * runs in probe context: interrupts disabled, on any CPU, possibly with
 * arbitrary kernel locks held.  It never sleeps, allocates, or takes a
 * lock other than the dynamic variable space's raw arch spinlock.
 */
#ifndef _KTRACE_VM_H
#define _KTRACE_VM_H

#include "kt_compat.h"
#include <linux/ktrace.h>

/*
 * Limits of this implementation (reported by KTRACE_IOC_CONF); the option
 * limits and defaults are KTRACE_OPTS_LIMITS in the uapi header.
 */
#define KTRACE_MAX_INSNS	65536
#define KTRACE_MAX_INTS		8192
#define KTRACE_MAX_STRTAB	(256 * 1024)
#define KTRACE_MAX_VARS		1024
#define KTRACE_MAX_AGGS		256
#define KTRACE_MAX_ACTIONS	4096
#define KTRACE_MAX_CLAUSES	1024
#define KTRACE_MAX_ENABLINGS	65536
#define KTRACE_TUPLE_MAX	32
/* The dynamic variable space's least size (dynvarsize below is raised to it). */
#define KTRACE_DYNVARS_MIN	4096U

/*
 * strsize (uapi) is the longest string in characters, as DTrace's; a
 * string's storage (variables, dynamic variable values) is that and the
 * NUL, rounded up to 8 bytes so that what follows it stays aligned.
 */
static inline u32 ktrace_str_slot(const struct ktrace_opts *o)
{
	return ALIGN(o->strsize + 1, 8);
}
/*
 * The wall-clock limit of one firing: the interpreter reads the clock
 * every KTRACE_BUDGET_CHUNK instructions of the firing and faults the
 * clause (BUDGET) once the firing has run KTRACE_FIRING_MAX_MS, or when
 * insn_budget (at most KTRACE_MAX_BUDGET, uapi) instructions ran,
 * whichever comes first.  Interrupts are off during a firing: 500 ms is
 * 40 times below the soft-lockup (20 s) and RCU-stall (21 s) detectors'
 * thresholds.
 */
#define KTRACE_BUDGET_CHUNK	4096
#define KTRACE_FIRING_MAX_MS	500
/*
 * Verifier work per object: instruction visits over every pass of every
 * function (a function shared by several clauses is verified once).  A
 * 65536-instruction program needs ~6 passes; 2^22 visits take well under
 * a second natively, and the verifier yields between passes.
 */
#define KTRACE_MAX_VERIFY_WORK	(1U << 22)

/* A user-visible log for load-time errors: "insn N: reason (values)". */
struct ktrace_vlog {
	char	*buf;		/* kernel (or host) buffer, copied out by the caller */
	u32	size;
	u32	used;		/* bytes written, excluding the NUL */
};

__printf(2, 3) void ktrace_vlog(struct ktrace_vlog *log, const char *fmt, ...);

/*
 * A loaded, verified program.  Immutable after ktrace_prog_load(); the
 * tables point into 'blob' (a copy of the object owned by the program).
 */
struct ktrace_prog {
	void				*blob;
	u32				blob_size;
	const struct ktrace_obj_hdr	*hdr;
	const struct ktrace_insn	*insns;
	u32				ninsns;
	const s64			*ints;
	u32				nints;
	const char			*strtab;
	u32				strtab_size;
	const struct ktrace_var_desc	*vars;
	u32				nvars;
	const struct ktrace_agg_desc	*aggs;
	u32				naggs;
	const struct ktrace_action_desc	*actions;
	u32				nactions;
	const struct ktrace_clause_desc	*clauses;
	u32				nclauses;
	const struct ktrace_enabling	*enablings;
	u32				nenablings;
	/* derived at load time */
	u32				*var_off;	/* per var: offset in globals or locals area */
	u32				globals_size;	/* bytes of global scalar storage */
	u32				locals_size;	/* bytes of clause-local storage */
	u32				*agg_nvals;	/* per agg: number of __s64 values */
	struct ktrace_opts		opts;		/* with defaults filled in */
};

/*
 * Parse, check and verify an object (a kernel or host copy, not a user
 * pointer).  On success *progp owns a private copy.  Returns 0, -EINVAL
 * (malformed), -EACCES (unsafe), -E2BIG (over a limit) or -ENOMEM, with
 * the reason in log.
 */
int ktrace_prog_load(const void *obj, u32 size, const struct ktrace_opts *opts,
		     struct ktrace_vlog *log, struct ktrace_prog **progp);
void ktrace_prog_free(struct ktrace_prog *prog);
/* Fill every zero (default) option with its KTRACE_DEF_* value. */
void ktrace_opts_defaults(struct ktrace_opts *o);

/* The verifier proper, called by ktrace_prog_load() for each function. */
int ktrace_verify(const struct ktrace_prog *prog, struct ktrace_vlog *log);

/* ----- run-time state ----- */

/* One tuple stack element. */
struct ktrace_tuple {
	u64	val;		/* integer, or address of the data in ktrace memory */
	u32	type;		/* enum ktrace_tuple_type */
	u32	size;		/* bytes of data for by-reference elements */
};

/* A memory region the VM may read (and, if writable, write). */
struct ktrace_region {
	uintptr_t	base;
	size_t		size;
};

struct ktrace_dynvars;		/* dynvar.c */
struct ktrace_aggbuf;		/* agg.c: one CPU's active aggregation copy */

/*
 * Per-session runtime: everything the interpreter touches besides the
 * per-CPU state.  Owned by the session (kernel) or the test (host).
 */
struct ktrace_rt {
	const struct ktrace_prog	*prog;
	u8				*globals;	/* prog->globals_size bytes */
	struct ktrace_dynvars		*dynvars;
	/* counters, updated with plain per-CPU or atomic adds by the owner */
	void				*owner;		/* the session, for env hooks */
};

/* Per-firing probe information supplied by the provider. */
struct ktrace_fire {
	u64		args[10];	/* arg0..arg9 */
	u32		probe_id;
	u32		epid;		/* set per enabling by the dispatcher */
	const char	*prov, *mod, *func, *name;	/* probe description */
	void		*regs;		/* struct pt_regs * or NULL */
	u64		pc;		/* probed PC, first frame of stack(); 0: regs' ip */
	u64		kframe;		/* kernel: frame address of the dispatcher's entry, set by it */
	u64		errno_val;	/* syscall return: errno when the call failed */
	const void	*raw;		/* tracepoint raw record (format layout), or NULL */
	u32		raw_size;	/* its size in bytes */
	u32		flags;		/* KTRACE_FIRE_F_* */
};

#define KTRACE_FIRE_F_ERROR	(1U << 0)	/* this firing is the ERROR probe */
#define KTRACE_FIRE_F_RETIP	(1U << 1)	/* regs' ip is the return site (a return probe) */
#define KTRACE_FIRE_F_INTR	(1U << 2)	/* regs: the context an interrupt stopped (profile) */
#define KTRACE_FIRE_F_NMI	(1U << 3)	/* the provider may fire in NMI context (cpc) */
/* the firing is on behalf of the thread the interrupt stopped: self-> is its (sched:::tick) */
#define KTRACE_FIRE_F_THREAD	(1U << 4)

/*
 * Per-CPU machine state, preallocated per session and CPU.  A firing
 * runs the clauses of every enabling of the probe in order on the same
 * struct; scratch and the tuple stack are reset per clause, the
 * clause-local (this->) area per firing.
 */
struct ktrace_vm {
	struct ktrace_rt		*rt;
	const struct ktrace_prog	*prog;
	const struct ktrace_fire	*fire;
	struct ktrace_aggbuf		*agg;		/* this CPU's active copy */
	u64				regs[KTRACE_NREGS];
	struct ktrace_tuple		tup[KTRACE_TUPLE_MAX];
	u32				ntup;
	u8				*scratch;	/* strings and temporaries */
	u32				scratch_size;
	u32				scratch_used;
	u32				scratch_keep;	/* scratch that lasts the clause (alloca, copyin, strtok) */
	u32				alloca_used;	/* bytes alloca() gave this clause (<= scratchsize) */
	u8				*locals;	/* prog->locals_size bytes */
	u8				*rec;		/* staging of this clause's record */
	u32				rec_size;
	u32				rec_used;	/* 0: nothing recorded yet */
	u32				loops;		/* back-edges taken this firing */
	u32				insns;		/* instructions run this firing */
	u32				actidx;		/* current action number (1-based), 0 in predicates */
	u32				spec;		/* speculation id of this clause, 0: none */
	u32				in_clause;	/* set by the caller: the next run is the body of the clause whose predicate ran (its kept scratch, alloca()'s, stays) */
	/* the last fault, valid when ktrace_vm_run() returns < 0 */
	u32				fault;		/* enum ktrace_fault */
	u32				fault_pc;	/* insn index */
	u64				fault_val;	/* bad address or value */
	int				exit_req;	/* exit() called: 1 */
	s32				exit_status;
	uintptr_t			strtok;		/* strtok() position, 0: none (per firing) */
	void				*env;		/* environment private (kernel: unused) */
};

/*
 * Run one function (a predicate or a clause body) starting at insn
 * 'start'.  Returns 0 with *ret set to the RET value, or -EFAULT with
 * vm->fault* set.  Records built by data actions are appended to
 * vm->rec; committing them to a buffer is the caller's job.
 */
int ktrace_vm_run(struct ktrace_vm *vm, u32 start, u64 *ret);

/*
 * Start a firing on this CPU's vm: sets vm->fire, zeroes the
 * clause-local area and the per-firing loop and instruction counters.
 * ktrace_vm_run() itself resets the registers, the tuple stack, scratch,
 * actidx and the fault fields at each call (but the scratch a predicate
 * kept, alloca()'s, when the caller set in_clause to run its body); data actions append items at
 * vm->rec + vm->rec_used (the caller sets rec_used before a clause, e.g.
 * to sizeof(struct ktrace_rec) to keep room for the record header) and a
 * faulting run restores rec_used to its value at entry.
 */
void ktrace_vm_firing_begin(struct ktrace_vm *vm, const struct ktrace_fire *fire);

/* Scratch allocation, faults and region checks: vm_mem.h. */

/*
 * Environment hooks returning an error (< 0) fault the clause: with
 * vm->fault/fault_val if the hook set vm->fault, else with BADADDR for
 * -EFAULT and ILLOP otherwise.
 */

/*
 * Aggregation buffer: one copy of one CPU (struct ktrace_agg_hdr at
 * 'base', 'size' bytes).  agg.c owns the layout (see uapi).
 */
struct ktrace_aggbuf {
	struct ktrace_agg_hdr	*hdr;
	size_t			size;
	/*
	 * A copy that is mapped as it fills (the kernel's, session_mem.c):
	 * limit is the bytes mapped from hdr (the header and buckets, then
	 * the entries' room so far), 0 when all of size is.  An insert that
	 * leaves less than half of the mapped entries' room free asks for
	 * more, once, through grow(), which may run in any context (NMI
	 * included) and must not sleep; one that does not fit below limit
	 * is dropped like one that does not fit in size.  The grower
	 * publishes a new hdr, then limit (so a reader never pairs an old
	 * mapping with a new limit: see session_mem.c:agg_swap), and clears
	 * asked.
	 */
	size_t			limit;
	void			(*grow)(struct ktrace_aggbuf *ab);
	void			*owner;		/* grow()'s: the kernel's struct ktrace_cpu */
	unsigned int		asked;
};

void ktrace_aggbuf_reset(struct ktrace_aggbuf *ab);
/* Where the entries of a copy of size bytes start (after its header and buckets). */
size_t ktrace_agg_entries_off(size_t size);
u64 ktrace_agg_min_size(const struct ktrace_prog *p, u32 *agg);
int ktrace_agg_update(struct ktrace_aggbuf *ab, const struct ktrace_prog *prog,
		      u32 agg, const void *key, u32 keysize, s64 val, s64 weight);
u32 ktrace_agg_nvals(const struct ktrace_agg_desc *ad);

/* Dynamic variables: one space per session, shared by all CPUs. */
int ktrace_dynvars_init(struct ktrace_dynvars **dvp, void *mem, size_t size);
/* Find (or, if create, insert) the value slot for (var, key); NULL if absent or full. */
void *ktrace_dynvar_get(struct ktrace_dynvars *dv, u32 var, const void *key,
			u32 keysize, u32 valsize, bool create);
/*
 * Free a slot.  Entries of other threads' firings may still be in use on
 * other CPUs, so a freed entry normally waits for two cleans; a
 * thread-local entry (reuse_now) is only ever touched by its own thread,
 * which cannot run on two CPUs at once, so it is reusable at once.
 */
void ktrace_dynvar_free(struct ktrace_dynvars *dv, void *slot, bool reuse_now);
/* Off the hot path: reclaim freed entries (cleanrate). */
void ktrace_dynvars_clean(struct ktrace_dynvars *dv);
void ktrace_dynvars_counters(struct ktrace_dynvars *dv, u64 *drops, u64 *dirty_drops);
/*
 * Details of the dynamic variable space:
 *  - mem/size is preallocated by the caller (8-aligned, at least
 *    KTRACE_DYNVARS_MIN bytes); nothing else is allocated.
 *  - ktrace_dynvar_get() returns a slot of valsize bytes (zeroed when
 *    created) that stays valid until it is freed AND two successive
 *    ktrace_dynvars_clean() calls have run: freed entries go to a dirty
 *    list; a clean() call makes the entries that were dirty at the
 *    previous call reusable and moves the current dirty list aside.  The
 *    caller must let an RCU-sched grace period elapse between two
 *    clean() calls (no CPU still in probe context from before).
 *  - ktrace_dynvars_contains(): is [addr, addr+len) inside the space
 *    (the interpreter's reference check).
 *  - ktrace_env_lock()/unlock() are given &space->lock, a ktrace_lock_t
 *    (arch_spinlock_t in the kernel) initialised with KTRACE_LOCK_INIT.
 */
bool ktrace_dynvars_contains(const struct ktrace_dynvars *dv, uintptr_t addr, size_t len);
/* The whole space as a region (for reference checks). */
void ktrace_dynvars_region(const struct ktrace_dynvars *dv, struct ktrace_region *r);

/*
 * Kernel addresses have the top bit set (x86-64, arm64): ldk of anything
 * else faults KPRIV, ldu of a kernel address faults UPRIV.
 */
#define KTRACE_IS_KERNEL_ADDR(a)	((s64)(a) < 0)

/*
 * Internal to the shared VM files (interp.c -> subr.c); not an interface
 * for the rest of the module.  Both build on vm_mem.h.
 */
/* Subroutine 'subr' with vm->tup[0..ntup) as arguments; 0 or -EFAULT (vm->fault set). */
int ktrace_subr_call(struct ktrace_vm *vm, u32 subr, u64 *out);
/* The kernel string at addr, at most lim chars, into d (lim + 1 bytes); *len its length. */
int ktrace_vm_read_kstr(struct ktrace_vm *vm, char *d, u64 addr, u32 lim, u32 *len);

/* ----- environment hooks: kernel (env.c) and host (env_host.c) ----- */

/* Fault-safe copies; 0 or -EFAULT. */
int ktrace_env_read_kernel(void *dst, u64 src, size_t size);
int ktrace_env_read_user(void *dst, u64 src, size_t size);
/* Built-in variables; strings are written into vm scratch and *out points at them. */
int ktrace_env_builtin(struct ktrace_vm *vm, u32 id, u64 *out);
/* Capture a stack (user != 0: user stack) into dst; returns frames stored. */
u32 ktrace_env_stack(struct ktrace_vm *vm, int user, u64 *dst, u32 max);
/*
 * A user stack sample (ustackmode=dwarf): the user registers into *regs
 * and up to max bytes of user stack from regs->sp into stack; returns the
 * bytes copied, a multiple of 8 (0, regs zero: no user context).
 */
u32 ktrace_env_usample(struct ktrace_vm *vm, struct ktrace_uregs *regs, void *stack, u32 max);
/* Key of the current thread and context for self-> (thread + irq/softirq/nmi level). */
u64 ktrace_env_thread_key(struct ktrace_vm *vm);
/*
 * Kernel-side effects of actions (exit, speculate, commit, discard,
 * destructive ones): 0, < 0 a fault (vm->fault set, else ILLOP), or
 * KTRACE_ACT_END_CLAUSE: the clause ends here, quietly, without its record
 * (speculate(0), as DTrace).
 */
#define KTRACE_ACT_END_CLAUSE	1
int ktrace_env_action(struct ktrace_vm *vm, const struct ktrace_action_desc *ad);
/* Subroutines needing the environment: speculation(), rand(), copyout... */
int ktrace_env_subr(struct ktrace_vm *vm, u32 subr, u64 *out);
/*
 * Called every KTRACE_BUDGET_CHUNK instructions of a firing: true once
 * the firing has run longer than KTRACE_FIRING_MAX_MS.
 */
bool ktrace_env_firing_overtime(struct ktrace_vm *vm);
/* The raw lock of the dynamic variable space. */
void ktrace_env_lock(void *lock);
void ktrace_env_unlock(void *lock);

/* ----- the disassembler ----- */

/* Print one instruction into buf; returns bytes written (snprintf-like). */
int ktrace_disasm_insn(char *buf, size_t size, const struct ktrace_insn *insn,
		       const struct ktrace_prog *prog);
const char *ktrace_op_name(unsigned int op);
const char *ktrace_subr_name(unsigned int subr);
const char *ktrace_builtin_name(unsigned int id);
const char *ktrace_fault_name(unsigned int fault);

#endif /* _KTRACE_VM_H */
