// SPDX-License-Identifier: GPL-2.0
/*
 * env.c: the kernel's environment hooks for the VM (module/vm.h):
 * fault-safe memory reads, built-in variables, stacks, the thread key of
 * self->, the kernel side of actions and environment subroutines, and
 * the dynamic variable space's lock.
 *
 * Contexts and locks:
 *   Everything here but ktrace_env_check_lockdown(), ktrace_env_cpu_init()
 *   and ktrace_env_cpu_sync() runs in probe context (interrupts off, NMI
 *   only for the cpc provider, never re-entered on a CPU): no sleeping, no
 *   allocation, no lock but the dynamic variable space's arch spinlock;
 *   user memory is read with copy_from_user_nmi() and never written in an
 *   NMI.
 *   ktrace_env_lock() also runs in process context (the cleaning work):
 *   it disables interrupts and holds the recursion guard while the lock
 *   is held, so a probe firing (in an NMI too) on
 *   the same CPU can never spin on a lock its own CPU holds.  The saved
 *   flags live in a per-CPU slot (the lock never nests).
 *   Per-CPU session state (struct ktrace_cpu, via vm->env) is written only
 *   by its CPU.  raise()/stop() hand the signal to an irq_work (signals
 *   take the sighand lock; probe context may already be inside it).
 *   ktrace_kread_locked is a sticky flag set in process context (lockdown
 *   never lifts), read in probe context (here and by ldk's inline read,
 *   ktrace_kread_word() in kt_compat.h).
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/cred.h>
#include <linux/uaccess.h>
#include <linux/stacktrace.h>
#include <linux/security.h>
#include <linux/hardirq.h>
#include <linux/timekeeping.h>
#include <linux/ptrace.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/topology.h>
#include <asm/unwind.h>
#include "ktrace_internal.h"
#include "vm_mem.h"

bool ktrace_kread_locked;
static DEFINE_PER_CPU(unsigned long, ktrace_lock_flags);
static DEFINE_PER_CPU(bool, ktrace_lock_guarded);	/* ktrace_env_lock() took the guard */

#define KTRACE_CHILL_WINDOW_NS	NSEC_PER_SEC
#define KTRACE_CHILL_MAX_NS	(500 * NSEC_PER_MSEC)	/* per CPU and window */

/*
 * Process context: kernel reads are refused once the kernel is locked down.
 * The flag is read with READ_ONCE by ktrace_env_read_kernel() in probe
 * context; it orders nothing else (a firing that misses it by one load
 * behaves as one that ran just before the lockdown).
 */
void ktrace_env_check_lockdown(void)
{
	if (!READ_ONCE(ktrace_kread_locked) &&
	    security_locked_down(LOCKDOWN_BPF_READ_KERNEL) < 0)
		WRITE_ONCE(ktrace_kread_locked, true);
}

static inline struct ktrace_cpu *env_cpu(struct ktrace_vm *vm)
{
	return vm->env;
}

static inline struct ktrace_session *env_sess(struct ktrace_vm *vm)
{
	return env_cpu(vm)->sess;
}

/* ------------------------------------------------------------------ */
/* memory                                                              */
/* ------------------------------------------------------------------ */

int ktrace_env_read_kernel(void *dst, u64 src, size_t size)
{
	if (unlikely(READ_ONCE(ktrace_kread_locked)))
		return -EACCES;
	if (copy_from_kernel_nofault(dst, (const void *)(uintptr_t)src, size))
		return -EFAULT;
	return 0;
}

static bool user_ctx_ok(void)
{
	return current->mm && !(current->flags & (PF_KTHREAD | PF_EXITING));
}

/*
 * Reads of user memory: copy_from_user_nmi() is copy_from_user_nofault()
 * that is also safe in NMI context (the cpc provider's hardware events):
 * it gives up when the NMI interrupted a switch of address space
 * (nmi_uaccess_okay()), and page faults are disabled around the copy.
 */
static int user_read(void *dst, unsigned long src, size_t size)
{
	return copy_from_user_nmi(dst, (const void __user *)src, size) ? -EFAULT : 0;
}

int ktrace_env_read_user(void *dst, u64 src, size_t size)
{
	if (!user_ctx_ok())
		return -EFAULT;
	return user_read(dst, src, size);
}

/* ------------------------------------------------------------------ */
/* stacks                                                              */
/* ------------------------------------------------------------------ */

/*
 * Kernel stack of this firing.
 *
 * With kernel registers from the probe mechanism (kprobe, ftrace,
 * kretprobe, the profile timer interrupt) the ORC unwinder starts from
 * them: the trampolines between the probed site and ktrace (the ftrace
 * trampoline in particular) have no unwind data of their own, so a walk
 * from here would stop there.  The first frame is the probed PC
 * (fire->pc, else the registers' ip), then the callers.
 *
 * Otherwise (BEGIN/END, the syscall provider and uprobes, whose registers
 * are the *user* ones, perf's made-up caller registers of a tracepoint)
 * the walk cannot start here either: the interpreter's computed-goto
 * dispatch has no unwind data.  It starts from the frame of the
 * dispatcher's entry (fire->kframe, a frame-pointer frame: saved rbp,
 * return address), as if interrupted at that return address, and skips
 * ktrace's own frames (the provider callback).
 */
static u32 kstack_walk(struct unwind_state *state, bool skip_own, unsigned long skip_sp,
		       u64 *dst, u32 out, u32 max)
{
	unsigned long addr;

	for (; out < max && !unwind_done(state); unwind_next_frame(state)) {
		addr = unwind_get_return_address(state);
		if (!addr)
			break;
		if (state->sp <= skip_sp || (skip_own && ktrace_is_own_text(addr)))
			continue;
		skip_own = false;
		dst[out++] = addr;
	}
	return out;
}

static u32 kstack(struct ktrace_cpu *c, const struct ktrace_fire *f, u64 *dst, u32 max)
{
	struct pt_regs *regs = f ? f->regs : NULL;
	unsigned long frame[2], skip_sp = 0;
	struct unwind_state state __uninitialized;	/* __unwind_start() clears it */
	struct pt_regs *fr;
	u32 out = 0;

	if (!max)
		return 0;
	/*
	 * An interrupt that stopped user code (a profile sample) has no
	 * kernel stack: as in DTrace, stack() is empty, not the interrupt's
	 * own frames (ustack() has the sample).
	 */
	if (f && (f->flags & KTRACE_FIRE_F_INTR) && (!regs || user_mode(regs)))
		return 0;
	if (regs && !user_mode(regs) && (regs->flags & X86_EFLAGS_FIXED)) {
		dst[out++] = f->pc ?: instruction_pointer(regs);
		if ((f->flags & KTRACE_FIRE_F_RETIP) && out < max)
			dst[out++] = instruction_pointer(regs);
		__unwind_start(&state, current, regs, NULL);
		return kstack_walk(&state, false, 0, dst, out, max);
	}
	/* perf's caller regs (tracepoints): sp is the frame to start at */
	if (regs && !user_mode(regs))
		skip_sp = regs->sp;
	if (!f || !f->kframe ||
	    copy_from_kernel_nofault(frame, (void *)(uintptr_t)f->kframe, sizeof(frame)))
		return 0;
	fr = &c->stackregs;
	memset(fr, 0, sizeof(*fr));
	fr->ip = frame[1];
	fr->sp = f->kframe + sizeof(frame);
	fr->bp = frame[0];
	fr->cs = __KERNEL_CS;
	fr->flags = X86_EFLAGS_FIXED;
	__unwind_start(&state, current, fr, NULL);
	/* the first frame is the return address itself */
	if (!ktrace_is_own_text(fr->ip) && fr->sp > skip_sp)
		dst[out++] = fr->ip;
	return kstack_walk(&state, !out, skip_sp, dst, out, max);
}

/* User frames by frame pointers, from the registers saved at kernel entry. */
static u32 ustack(u64 *dst, u32 max)
{
	struct pt_regs *regs;
	unsigned long fp, frame[2];
	u32 n = 0;

	if (!user_ctx_ok() || !max)
		return 0;
	regs = task_pt_regs(current);
	if (!regs)
		return 0;
	dst[n++] = instruction_pointer(regs);
	fp = regs->bp;
	while (n < max && fp && !(fp & (sizeof(long) - 1))) {
		if (user_read(frame, fp, sizeof(frame)))
			break;
		if (!frame[1])
			break;
		dst[n++] = frame[1];
		if (frame[0] <= fp)	/* stacks grow down: frames go up */
			break;
		fp = frame[0];
	}
	return n;
}

/*
 * A user stack sample for the consumer's unwinder: the registers saved at
 * kernel entry (a uprobe's, a syscall's, or those of the user code an
 * interrupt stopped) and the stack from sp up, copied without faulting
 * (copy_from_user_nmi: page faults disabled, NMI-safe) and cut at the
 * first byte that is not mapped (the top of the stack).
 */
u32 ktrace_env_usample(struct ktrace_vm *vm, struct ktrace_uregs *ur, void *stack, u32 max)
{
	struct pt_regs *regs;
	unsigned long left;

	memset(ur, 0, sizeof(*ur));
	if (!user_ctx_ok())
		return 0;
	regs = task_pt_regs(current);
	if (!regs || !user_mode(regs))
		return 0;
	ur->ip = instruction_pointer(regs);
	ur->sp = user_stack_pointer(regs);
	ur->bp = regs->bp;
	ur->bx = regs->bx;
	ur->r12 = regs->r12;
	ur->r13 = regs->r13;
	ur->r14 = regs->r14;
	ur->r15 = regs->r15;
	if (!max || (ur->sp & 7))
		return 0;
	left = copy_from_user_nmi(stack, (const void __user *)ur->sp, max);
	return (max - (u32)left) & ~7U;
}

u32 ktrace_env_stack(struct ktrace_vm *vm, int user, u64 *dst, u32 max)
{
	struct ktrace_session *s = env_sess(vm);

	max = min_t(u32, max, user ? s->opts.ustackframes : s->opts.stackframes);
	max = min_t(u32, max, KTRACE_MAX_STACKFRAMES);
	return user ? ustack(dst, max) : kstack(env_cpu(vm), vm->fire, dst, max);
}

/* ------------------------------------------------------------------ */
/* built-in variables                                                  */
/* ------------------------------------------------------------------ */

static int ctx_level(void)
{
	if (in_nmi())
		return 3;
	if (in_hardirq())
		return 2;
	if (in_serving_softirq())
		return 1;
	return 0;
}

static int scratch_str(struct ktrace_vm *vm, const char *src, size_t max, u64 *out)
{
	size_t len = strnlen(src ?: "", max);
	char *p = ktrace_vm_scratch_alloc(vm, len + 1);

	if (!p) {
		vm->fault = KTRACE_FAULT_NOSCRATCH;
		vm->fault_val = len + 1;
		return -ENOSPC;
	}
	memcpy(p, src ?: "", len);
	p[len] = '\0';
	*out = (uintptr_t)p;
	return 0;
}

/*
 * execname: the whole comm array in two word copies (a variable-length
 * memcpy is a rep movsb, one emulated iteration per byte under QEMU
 * TCG), NUL-terminated at its end in case a rename races with the copy.
 */
static int scratch_comm(struct ktrace_vm *vm, struct task_struct *t, u64 *out)
{
	char *p = ktrace_vm_scratch_alloc(vm, TASK_COMM_LEN);

	BUILD_BUG_ON(sizeof(t->comm) != 16 || TASK_COMM_LEN != 16);
	if (!p) {
		vm->fault = KTRACE_FAULT_NOSCRATCH;
		vm->fault_val = TASK_COMM_LEN;
		return -ENOSPC;
	}
	memcpy(p, t->comm, 8);
	memcpy(p + 8, t->comm + 8, 8);
	p[TASK_COMM_LEN - 1] = '\0';
	*out = (uintptr_t)p;
	return 0;
}

/*
 * The frame after the probed PC: what called the probed function.  This
 * and ucaller_pc() keep their frame arrays out of ktrace_env_builtin():
 * an array there is zeroed (CONFIG_INIT_STACK_ALL_ZERO) and guarded by a
 * stack canary on every built-in read, execname and pid included.
 */
static noinline u64 caller_pc(struct ktrace_vm *vm)
{
	u64 pcs[2];

	return kstack(env_cpu(vm), vm->fire, pcs, 2) == 2 ? pcs[1] : 0;
}

/* The user frame after the current user PC. */
static noinline u64 ucaller_pc(void)
{
	u64 pcs[2];

	return ustack(pcs, 2) == 2 ? pcs[1] : 0;
}

/*
 * uregs[r]: the user register r (DTrace's R_* numbering, user/lib/regs.d)
 * saved at the thread's kernel entry; r is below KTRACE_NUREGS (verifier
 * rule 18).  0 in a thread with no user context (a kernel thread), as
 * uregs_pc and ucaller.  On x86-64, 0..20 are the words of struct pt_regs
 * (their order is DTrace's), 21..25 the segment and trap state DTrace
 * reads from the thread_struct.
 */
static noinline u64 ureg(struct task_struct *t, u32 r)
{
	static const u8 off[] = {
		offsetof(struct pt_regs, r15), offsetof(struct pt_regs, r14),
		offsetof(struct pt_regs, r13), offsetof(struct pt_regs, r12),
		offsetof(struct pt_regs, bp), offsetof(struct pt_regs, bx),
		offsetof(struct pt_regs, r11), offsetof(struct pt_regs, r10),
		offsetof(struct pt_regs, r9), offsetof(struct pt_regs, r8),
		offsetof(struct pt_regs, ax), offsetof(struct pt_regs, cx),
		offsetof(struct pt_regs, dx), offsetof(struct pt_regs, si),
		offsetof(struct pt_regs, di), offsetof(struct pt_regs, orig_ax),
		offsetof(struct pt_regs, ip), offsetof(struct pt_regs, cs),
		offsetof(struct pt_regs, flags), offsetof(struct pt_regs, sp),
		offsetof(struct pt_regs, ss),
	};
	const struct pt_regs *regs;
	unsigned long v;

	BUILD_BUG_ON(ARRAY_SIZE(off) + 5 != KTRACE_NUREGS);
	BUILD_BUG_ON(KTRACE_VAR_NAMED_END > KTRACE_VAR_UREGS);
	if (!user_ctx_ok())
		return 0;
	if (r < ARRAY_SIZE(off)) {
		regs = task_pt_regs(t);
		memcpy(&v, (const u8 *)regs + off[r], sizeof(v));
		return v;
	}
	switch (r - ARRAY_SIZE(off)) {
	case 0:
		return t->thread.ds;
	case 1:
		return t->thread.es;
	case 2:
		return t->thread.fsbase;
	case 3:
		return t->thread.gsbase;
	case 4:
		return t->thread.trap_nr;
	}
	return 0;
}

int ktrace_env_builtin(struct ktrace_vm *vm, u32 id, u64 *out)
{
	const struct ktrace_fire *f = vm->fire;
	struct ktrace_cpu *c = env_cpu(vm);
	struct task_struct *t = current;

	switch (id) {
	case KTRACE_VAR_ARG0 ... KTRACE_VAR_ARG9:
		*out = f->args[id - KTRACE_VAR_ARG0];
		return 0;
	case KTRACE_VAR_PID:
		*out = t->tgid;
		return 0;
	case KTRACE_VAR_TID:
		*out = t->pid;
		return 0;
	case KTRACE_VAR_PPID:
		/* irqs off: an RCU read-side section */
		*out = rcu_dereference_sched(t->real_parent)->tgid;
		return 0;
	case KTRACE_VAR_UID:
		*out = from_kuid_munged(&init_user_ns, current_uid());
		return 0;
	case KTRACE_VAR_GID:
		*out = from_kgid_munged(&init_user_ns, current_gid());
		return 0;
	case KTRACE_VAR_EXECNAME:
		return scratch_comm(vm, t, out);
	case KTRACE_VAR_TIMESTAMP:
		/* one value per firing, its records' timestamp, as DTrace's */
		*out = ktrace_fire_ts(c);
		return 0;
	case KTRACE_VAR_VTIMESTAMP:
		*out = t->se.sum_exec_runtime;
		return 0;
	case KTRACE_VAR_WALLTIMESTAMP:
		*out = ktime_get_real_fast_ns();
		return 0;
	case KTRACE_VAR_CPU:
		*out = smp_processor_id();
		return 0;
	case KTRACE_VAR_ID:
		*out = f->probe_id;
		return 0;
	case KTRACE_VAR_EPID:
		*out = f->epid;
		return 0;
	case KTRACE_VAR_PROBEPROV:
		return scratch_str(vm, f->prov, KTRACE_PROVNAMELEN, out);
	case KTRACE_VAR_PROBEMOD:
		return scratch_str(vm, f->mod, KTRACE_MODNAMELEN, out);
	case KTRACE_VAR_PROBEFUNC:
		return scratch_str(vm, f->func, KTRACE_FUNCNAMELEN, out);
	case KTRACE_VAR_PROBENAME:
		return scratch_str(vm, f->name, KTRACE_NAMELEN, out);
	case KTRACE_VAR_ERRNO:
		*out = f->errno_val;
		return 0;
	case KTRACE_VAR_CURTHREAD:
		*out = (uintptr_t)t;
		return 0;
	case KTRACE_VAR_CALLER:
		*out = caller_pc(vm);
		return 0;
	case KTRACE_VAR_UCALLER:
		*out = ucaller_pc();
		return 0;
	case KTRACE_VAR_STACKDEPTH:
		*out = kstack(c, f, c->depthbuf, ARRAY_SIZE(c->depthbuf));
		return 0;
	case KTRACE_VAR_USTACKDEPTH:
		/* at most ustackframes (maxframes), as ustack() and dwarf mode */
		*out = ktrace_env_stack(vm, 1, c->depthbuf, ARRAY_SIZE(c->depthbuf));
		return 0;
	case KTRACE_VAR_UREGS_PC:
		*out = user_ctx_ok() ? instruction_pointer(task_pt_regs(t)) : 0;
		return 0;
	case KTRACE_VAR_IPL:
		*out = ctx_level();
		return 0;
	case KTRACE_VAR_TPRAW:
		*out = (uintptr_t)f->raw;
		return 0;
	case KTRACE_VAR_TPRAWSIZE:
		*out = f->raw ? f->raw_size : 0;
		return 0;
	case KTRACE_VAR_CHIP:
		*out = topology_physical_package_id(smp_processor_id());
		return 0;
	case KTRACE_VAR_LGRP:
		*out = cpu_to_node(smp_processor_id());
		return 0;
	case KTRACE_VAR_UREGS ... KTRACE_VAR_MAX - 1:
		*out = ureg(t, id - KTRACE_VAR_UREGS);
		return 0;
	}
	vm->fault = KTRACE_FAULT_ILLOP;
	vm->fault_val = id;
	return -EINVAL;
}

/*
 * self-> key: the thread plus the context level, so an interrupt's
 * self-> variables are not those of the thread it interrupted.  A probe
 * that fires on behalf of that thread (KTRACE_FIRE_F_THREAD: sched:::tick,
 * as DTrace's) sees the thread's own: level 0.  That is safe for the
 * entries that are freed for reuse at once (thread-local ones): the
 * thread's own firings run on this CPU with interrupts disabled, so the
 * interrupt never runs in the middle of one.  The idle threads all have
 * pid 0: they are told apart by CPU.
 */
u64 ktrace_env_thread_key(struct ktrace_vm *vm)
{
	u64 who = current->pid ? (u64)current->pid : (1ULL << 40) | smp_processor_id();
	u64 level = vm->fire->flags & KTRACE_FIRE_F_THREAD ? 0 : ctx_level();

	return (level << 60) | who;
}

/* ------------------------------------------------------------------ */
/* actions                                                             */
/* ------------------------------------------------------------------ */

static void raise_fn(struct irq_work *w)
{
	struct ktrace_cpu *c = container_of(w, struct ktrace_cpu, raise_work);
	/*
	 * Pairs with the WRITE_ONCE in do_raise(): the irq_work runs on the
	 * CPU that queued it, so program order there puts raise_sig before
	 * raise_task.  The WRITE_ONCE below pairs with do_raise()'s READ_ONCE
	 * (one signal pending per CPU), and ktrace_env_cpu_sync()'s xchg
	 * takes what is left after irq_work_sync().
	 */
	struct task_struct *t = READ_ONCE(c->raise_task);

	if (!t)
		return;
	send_sig(c->raise_sig, t, 1);
	WRITE_ONCE(c->raise_task, NULL);
	put_task_struct(t);
}

void ktrace_env_cpu_init(struct ktrace_cpu *c)
{
	init_irq_work(&c->raise_work, raise_fn);
	c->rand = get_random_u64() | 1;
}

/* Teardown: no firing can queue raise_work any more. */
void ktrace_env_cpu_sync(struct ktrace_cpu *c)
{
	struct task_struct *t;

	irq_work_sync(&c->raise_work);
	t = xchg(&c->raise_task, NULL);
	if (t)
		put_task_struct(t);
}

static int do_raise(struct ktrace_vm *vm, int sig, bool group)
{
	struct ktrace_cpu *c = env_cpu(vm);

	if (sig <= 0 || sig > _NSIG) {
		vm->fault = KTRACE_FAULT_ILLOP;
		vm->fault_val = sig;
		return -EINVAL;
	}
	if (current->flags & PF_KTHREAD)
		return 0;	/* nothing to signal */
	if (READ_ONCE(c->raise_task))
		return 0;	/* one pending per CPU: this one is dropped */
	get_task_struct(current);
	c->raise_sig = sig;
	/* raise_sig before raise_task: read in that order by raise_fn() here */
	WRITE_ONCE(c->raise_task, group ? current->group_leader : current);
	if (group) {
		get_task_struct(current->group_leader);
		put_task_struct(current);
	}
	irq_work_queue(&c->raise_work);
	return 0;
}

static void do_chill(struct ktrace_cpu *c, u64 ns)
{
	u64 now = ktime_get_mono_fast_ns();

	if (now - c->chill_start > KTRACE_CHILL_WINDOW_NS) {
		c->chill_start = now;
		c->chill_ns = 0;
	}
	ns = min(ns, KTRACE_CHILL_MAX_NS - c->chill_ns);
	c->chill_ns += ns;
	/*
	 * Spin on the clock, not udelay(): udelay() trusts the boot-time
	 * calibration (loops_per_jiffy, tsc_khz), which an emulated or
	 * overcommitted CPU gets wrong by a large factor, and chill() means
	 * wall time.
	 */
	while (ktime_get_mono_fast_ns() - now < ns)
		cpu_relax();
}

static s64 tup_int(struct ktrace_vm *vm, u32 i)
{
	return i < vm->ntup ? (s64)vm->tup[i].val : 0;
}

static bool spec_id_ok(struct ktrace_session *s, u64 id)
{
	return id >= 1 && id <= s->nspec;
}

/*
 * commit() or discard(): as DTrace, of speculation 0 does nothing, of an
 * id above nspec is an illegal operation (the id).
 */
static int spec_end(struct ktrace_vm *vm, int to)
{
	struct ktrace_session *s = env_sess(vm);
	struct ktrace_cpu *c = env_cpu(vm);
	u64 id = tup_int(vm, 0);
	int st;

	if (!id)
		return 0;
	if (!spec_id_ok(s, id))
		return ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, id);
	/*
	 * Pairs with the cmpxchg in buffer.c:ktrace_spec_stage (full
	 * barriers both): a CPU that staged records made the state
	 * ACTIVEMANY before this sees it, and a CPU that stages later sees
	 * COMMITTING/DISCARDING and refuses.
	 */
	do {
		st = READ_ONCE(s->spec[id - 1].state);
		if (!ktrace_spec_is_active(st))
			return 0;	/* not active: nothing to do (DTrace ignores it too) */
	} while (cmpxchg(&s->spec[id - 1].state, st, to) != st);
	if (to == KTRACE_SPEC_COMMITTING)
		ktrace_spec_commit_local(c, id);
	else
		ktrace_spec_discard_local(c, id);
	if (st == KTRACE_SPEC_ACTIVE || st == KTRACE_SPEC_ACTIVEONE + (int)c->cpu) {
		/*
		 * No other CPU staged records (it would have made the state
		 * ACTIVEMANY first): done here, the speculation is free again
		 * at once, as in DTrace.
		 */
		cmpxchg(&s->spec[id - 1].state, to, KTRACE_SPEC_INACTIVE);
		return 0;
	}
	ktrace_session_kick(s, KTRACE_KICK_SPEC);
	return 0;
}

int ktrace_env_action(struct ktrace_vm *vm, const struct ktrace_action_desc *ad)
{
	struct ktrace_session *s = env_sess(vm);
	u64 id;

	switch (ad->kind) {
	case KTRACE_ACT_EXIT:
		/* interp.c records the status (the first exit() wins) */
		return 0;
	case KTRACE_ACT_SPECULATE:
		id = tup_int(vm, 0);
		/* speculate(0): as DTrace, the rest of the clause does not run */
		if (!id)
			return KTRACE_ACT_END_CLAUSE;
		if (!spec_id_ok(s, id) ||
		    !ktrace_spec_is_active(READ_ONCE(s->spec[id - 1].state))) {
			/* the clause's data is dropped (counted when staged) */
			vm->spec = U32_MAX;
			return 0;
		}
		vm->spec = id;
		return 0;
	case KTRACE_ACT_COMMIT:
		return spec_end(vm, KTRACE_SPEC_COMMITTING);
	case KTRACE_ACT_DISCARD:
		return spec_end(vm, KTRACE_SPEC_DISCARDING);
	case KTRACE_ACT_RAISE:
	case KTRACE_ACT_STOP:
	case KTRACE_ACT_CHILL:
	case KTRACE_ACT_PANIC:
		if (!s->destructive) {
			vm->fault = KTRACE_FAULT_ILLOP;
			vm->fault_val = ad->kind;
			return -EPERM;
		}
		break;
	default:
		/* data-recording and consumer-side actions: nothing in the kernel */
		return 0;
	}
	switch (ad->kind) {
	case KTRACE_ACT_RAISE:
		return do_raise(vm, (int)tup_int(vm, 0), false);
	case KTRACE_ACT_STOP:
		return do_raise(vm, SIGSTOP, true);
	case KTRACE_ACT_CHILL:
		if (tup_int(vm, 0) > 0)
			do_chill(env_cpu(vm), tup_int(vm, 0));
		return 0;
	default:	/* PANIC */
		panic("ktrace: panic() action in pid %d (%s)\n", current->pid, current->comm);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* subroutines                                                         */
/* ------------------------------------------------------------------ */

/* Is [p, p+len) in this CPU's scratch, the globals or the string table? */
static bool env_src_ok(struct ktrace_vm *vm, uintptr_t p, size_t len)
{
	const struct ktrace_prog *prog = vm->prog;
	struct ktrace_region r[3] = {
		{ (uintptr_t)vm->scratch, vm->scratch_size },
		{ (uintptr_t)vm->rt->globals, prog->globals_size },
		{ (uintptr_t)prog->strtab, prog->strtab_size },
	};
	int i;

	for (i = 0; i < 3; i++)
		if (p >= r[i].base && len <= r[i].size && p - r[i].base <= r[i].size - len)
			return true;
	return false;
}

static int do_copyout(struct ktrace_vm *vm, bool str)
{
	struct ktrace_session *s = env_sess(vm);
	uintptr_t src = vm->ntup > 0 ? vm->tup[0].val : 0;
	u64 dst = tup_int(vm, 1);
	u64 len = tup_int(vm, 2);

	if (!s->destructive) {
		vm->fault = KTRACE_FAULT_ILLOP;
		return -EPERM;
	}
	if (str) {
		const char *p = (const char *)src;
		size_t max = min_t(u64, len, s->opts.strsize + 1);

		if (!env_src_ok(vm, src, 1))
			goto badaddr;
		/* bounded by the region the string lives in */
		while (max > 1 && !env_src_ok(vm, src, max))
			max--;
		len = strnlen(p, max - 1) + 1;
	}
	if (!len)
		return 0;
	if (len > vm->scratch_size || !env_src_ok(vm, src, len))
		goto badaddr;
	/* no write to user memory from an NMI (cpc): it may be mid-switch */
	if (!user_ctx_ok() || in_nmi() ||
	    copy_to_user_nofault((void __user *)(uintptr_t)dst, (void *)src, len)) {
		vm->fault = KTRACE_FAULT_BADADDR;
		vm->fault_val = dst;
		return -EFAULT;
	}
	return 0;
badaddr:
	vm->fault = KTRACE_FAULT_BADADDR;
	vm->fault_val = src;
	return -EFAULT;
}

/*
 * Is the current process pid or one of its descendants?  The walk up the
 * real_parent chain (RCU-protected; probe context is an RCU read-side
 * section) ends at the idle task, whose parent is itself; it is bounded
 * by PID_MAX_LIMIT steps in case the chain ever changes under us.
 */
static bool progenyof(pid_t pid)
{
	struct task_struct *t = current;
	unsigned int n;

	if (pid <= 0)
		return false;
	rcu_read_lock();
	for (n = 0; n < PID_MAX_LIMIT; n++) {
		struct task_struct *parent;

		if (task_tgid_nr(t) == pid) {
			rcu_read_unlock();
			return true;
		}
		parent = rcu_dereference(t->real_parent);
		if (!parent || parent == t)
			break;
		t = parent;
	}
	rcu_read_unlock();
	return false;
}

bool ktrace_env_firing_overtime(struct ktrace_vm *vm)
{
	u64 now = ktime_get_mono_fast_ns();
	u64 t0 = __this_cpu_read(ktrace_firing_t0);

	if (!t0) {
		__this_cpu_write(ktrace_firing_t0, now);
		return false;
	}
	return now - t0 > (u64)KTRACE_FIRING_MAX_MS * NSEC_PER_MSEC;
}

int ktrace_env_subr(struct ktrace_vm *vm, u32 subr, u64 *out)
{
	struct ktrace_session *s = env_sess(vm);
	struct ktrace_cpu *c = env_cpu(vm);
	u32 i;

	switch (subr) {
	case KTRACE_SUBR_SPECULATION:
		for (i = 0; i < s->nspec; i++) {
			if (cmpxchg(&s->spec[i].state, KTRACE_SPEC_INACTIVE,
				    KTRACE_SPEC_ACTIVE) == KTRACE_SPEC_INACTIVE) {
				*out = i + 1;
				return 0;
			}
		}
		/*
		 * As DTrace: "busy" when a buffer would be free once its
		 * commit or discard completes, "unavailable" otherwise.
		 */
		for (i = 0; i < s->nspec; i++) {
			int st = READ_ONCE(s->spec[i].state);

			if (st == KTRACE_SPEC_COMMITTING || st == KTRACE_SPEC_DISCARDING)
				break;
		}
		if (i < s->nspec)
			c->spec_busy++;
		else
			c->spec_unavail++;
		*out = 0;
		return 0;
	case KTRACE_SUBR_RAND:
		/* xorshift64, per CPU */
		c->rand ^= c->rand << 13;
		c->rand ^= c->rand >> 7;
		c->rand ^= c->rand << 17;
		*out = (u32)(c->rand >> 16);
		return 0;
	case KTRACE_SUBR_PROGENYOF:
		*out = progenyof((pid_t)tup_int(vm, 0));
		return 0;
	case KTRACE_SUBR_COPYOUT:
		*out = 0;
		return do_copyout(vm, false);
	case KTRACE_SUBR_COPYOUTSTR:
		*out = 0;
		return do_copyout(vm, true);
	}
	vm->fault = KTRACE_FAULT_ILLOP;
	vm->fault_val = subr;
	return -EINVAL;
}

/* ------------------------------------------------------------------ */
/* the dynamic variable space's lock                                   */
/* ------------------------------------------------------------------ */

void ktrace_env_lock(void *lock)
{
	unsigned long flags;

	local_irq_save(flags);
	/*
	 * Outside probe context (the cleaning work) hold the recursion guard
	 * too: a firing in an NMI (cpc) on this CPU would otherwise spin on
	 * the lock its own CPU holds.
	 */
	__this_cpu_write(ktrace_lock_guarded, ktrace_probe_guard_enter());
	arch_spin_lock(lock);
	__this_cpu_write(ktrace_lock_flags, flags);
}

void ktrace_env_unlock(void *lock)
{
	unsigned long flags = __this_cpu_read(ktrace_lock_flags);

	arch_spin_unlock(lock);
	if (__this_cpu_read(ktrace_lock_guarded))
		ktrace_probe_guard_exit();
	local_irq_restore(flags);
}
