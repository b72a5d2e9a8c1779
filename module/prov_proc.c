// SPDX-License-Identifier: GPL-2.0
/*
 * The proc provider (DTrace's stable process probes) on Linux's process
 * tracepoints, and kprobes where Linux has none:
 *   create, lwp-create    sched_process_fork: a new process (the child
 *                         leads its thread group) or thread; fires in the
 *                         parent; arg0 (and arg1) the child's task_struct
 *   exec                  kretprobe on bprm_execve(), at its entry: the
 *                         process is about to load a new image (execve()
 *                         has copied its arguments); arg0 the path being
 *                         executed (bprm->filename, a kernel string)
 *   exec-failure          the same kretprobe, at the return: the exec
 *                         failed (the file cannot be opened or is not an
 *                         executable...), the old image goes on; arg0 the
 *                         errno (positive)
 *   exec-success          sched_process_exec, in the new image
 *   exit                  kprobe on exit_itimers(), which do_exit() calls
 *                         only for the last thread of a process (no
 *                         tracepoint tells the last thread apart; exec
 *                         calls it too, without PF_EXITING); arg0
 *                         CLD_EXITED/KILLED/DUMPED from the exit code
 *   lwp-exit              sched_process_exit: every thread, the last
 *                         included (Solaris: all but the last)
 *   start, lwp-start      kprobe on schedule_tail(), the first thing a new
 *                         task runs (no tracepoint)
 *   signal-send, -discard signal_generate in the sender: discard when the
 *                         target ignores the signal, send otherwise;
 *                         arg0, arg1 the target's task_struct, arg2 the
 *                         signal
 *   signal-handle         signal_deliver in the receiving thread, before
 *                         its handler or default action; arg0 the signal,
 *                         arg1 its kernel_siginfo, arg2 the handler.  A
 *                         fatal signal's default action is the SIGKILL of a
 *                         group exit there: it fires once, in the main
 *                         thread, with the fatal signal, arg1 NULL, arg2
 *                         SIG_DFL
 * Locks and contexts: see stable.h; every hook runs in the traced task's
 * context with preemption disabled and takes no lock.
 */
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/binfmts.h>

#include "stable.h"

enum {
	PS_FORK, PS_EXEC, PS_EXIT_GROUP, PS_EXIT, PS_START, PS_SIG_GEN, PS_SIG_DELIVER,
	PS_EXECVE, PS_NR
};

/* the values of trace/events/signal.h's TRACE_SIGNAL_* the hook tells apart */
#define PROC_TRACE_SIGNAL_IGNORED	1

static void proc_fork(void *data, struct task_struct *parent, struct task_struct *child)
{
	if (thread_group_leader(child))
		kt_sp_fire(KTRACE_SP_PROC_CREATE, NULL, (unsigned long)child, 0, 0, 0, 0, 0);
	else
		kt_sp_fire(KTRACE_SP_PROC_LWP_CREATE, NULL, (unsigned long)child,
			   (unsigned long)child, 0, 0, 0, 0);
}

static void proc_exec(void *data, struct task_struct *p, pid_t old_pid, void *bprm)
{
	kt_sp_fire(KTRACE_SP_PROC_EXEC_SUCCESS, NULL, 0, 0, 0, 0, 0, 0);
}

/* bprm_execve(struct linux_binprm *bprm, int fd, struct filename *filename, int flags) */
static int proc_execve_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct linux_binprm *bprm = (struct linux_binprm *)regs_get_kernel_argument(regs, 0);

	if (kt_sp_on(KTRACE_SP_PROC_EXEC))
		kt_sp_fire(KTRACE_SP_PROC_EXEC, regs, (unsigned long)bprm->filename,
			   0, 0, 0, 0, 0);
	/* non-zero: no return hook when nobody wants the failure */
	return !kt_sp_on(KTRACE_SP_PROC_EXEC_FAILURE);
}
NOKPROBE_SYMBOL(proc_execve_entry);

static int proc_execve_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	int rv = (int)regs_return_value(regs);

	if (rv < 0)
		kt_sp_fire(KTRACE_SP_PROC_EXEC_FAILURE, regs, -rv, 0, 0, 0, 0, 0);
	return 0;
}
NOKPROBE_SYMBOL(proc_execve_ret);

/*
 * How the process ended, from the exit code: group exits (exit_group(),
 * a fatal signal, a core dump) leave it in signal->group_exit_code; the
 * last thread calling exit() alone has status << 8, an exit.
 */
static u64 proc_exit_reason(struct task_struct *t)
{
	int code = 0;

	if (t->signal->flags & SIGNAL_GROUP_EXIT)
		code = t->signal->group_exit_code;
	if (!(code & 0x7f))
		return KTRACE_CLD_EXITED;
	return (code & 0x80) ? KTRACE_CLD_DUMPED : KTRACE_CLD_KILLED;
}

static int proc_exit_group(struct kprobe *kp, struct pt_regs *regs)
{
	if (current->flags & PF_EXITING)
		kt_sp_fire(KTRACE_SP_PROC_EXIT, regs, proc_exit_reason(current), 0, 0, 0, 0, 0);
	return 0;
}
NOKPROBE_SYMBOL(proc_exit_group);

static void proc_exit(void *data, struct task_struct *p)
{
	kt_sp_fire(KTRACE_SP_PROC_LWP_EXIT, NULL, 0, 0, 0, 0, 0, 0);
}

static int proc_start(struct kprobe *kp, struct pt_regs *regs)
{
	if (thread_group_leader(current))
		kt_sp_fire(KTRACE_SP_PROC_START, regs, 0, 0, 0, 0, 0, 0);
	else
		kt_sp_fire(KTRACE_SP_PROC_LWP_START, regs, 0, 0, 0, 0, 0, 0);
	return 0;
}
NOKPROBE_SYMBOL(proc_start);

static void proc_sig_generate(void *data, int sig, struct kernel_siginfo *info,
			      struct task_struct *task, int group, int result)
{
	kt_sp_fire(result == PROC_TRACE_SIGNAL_IGNORED ? KTRACE_SP_PROC_SIGNAL_DISCARD :
		   KTRACE_SP_PROC_SIGNAL_SEND, NULL, (unsigned long)task,
		   (unsigned long)task, sig, 0, 0, 0);
}

static void proc_sig_deliver(void *data, int sig, struct kernel_siginfo *info,
			     struct k_sigaction *ka)
{
	unsigned long handler = (unsigned long)ka->sa.sa_handler;

	if (info == SEND_SIG_NOINFO) {
		/*
		 * The SIGKILL a group exit sends every thread.  A fatal signal
		 * taking its default action (SIGKILL itself included) became
		 * one in complete_signal(), which left the signal in
		 * group_exit_code: that is the signal handled, once, in the
		 * main thread.  Not for exit_group() (its code is status << 8),
		 * an exec's de_thread() (0), or a core dump (its signal fired
		 * here already, in the thread that dumps).
		 */
		int code = READ_ONCE(current->signal->group_exit_code);

		if (!thread_group_leader(current) || code <= 0 || code >= _NSIG ||
		    sig_kernel_coredump(code))
			return;
		sig = code;
		info = NULL;
		handler = (unsigned long)SIG_DFL;
	}
	kt_sp_fire(KTRACE_SP_PROC_SIGNAL_HANDLE, NULL, sig, (unsigned long)info, handler,
		   0, 0, 0);
}

static struct kt_sp_source proc_src[] = {
	[PS_FORK]	 = { .name = "sched_process_fork", .hook = proc_fork },
	[PS_EXEC]	 = { .name = "sched_process_exec", .hook = proc_exec },
	[PS_EXIT_GROUP]	 = { .name = "exit_itimers", .is_kprobe = true, .pre = proc_exit_group },
	[PS_EXIT]	 = { .name = "sched_process_exit", .hook = proc_exit },
	[PS_START]	 = { .name = "schedule_tail", .is_kprobe = true, .pre = proc_start },
	[PS_SIG_GEN]	 = { .name = "signal_generate", .hook = proc_sig_generate },
	[PS_SIG_DELIVER] = { .name = "signal_deliver", .hook = proc_sig_deliver },
	[PS_EXECVE]	 = { .name = "bprm_execve", .is_kprobe = true, .is_kretprobe = true,
			     .entry = proc_execve_entry, .ret = proc_execve_ret,
			     .maxactive = 64 },
};
static_assert(ARRAY_SIZE(proc_src) == PS_NR);

static const struct kt_sp_need proc_need[] = {
	{ KTRACE_SP_PROC_CREATE,	 BIT(PS_FORK) },
	{ KTRACE_SP_PROC_EXEC_SUCCESS,	 BIT(PS_EXEC) },
	{ KTRACE_SP_PROC_EXEC,		 BIT(PS_EXECVE) },
	{ KTRACE_SP_PROC_EXEC_FAILURE,	 BIT(PS_EXECVE) },
	{ KTRACE_SP_PROC_EXIT,		 BIT(PS_EXIT_GROUP) },
	{ KTRACE_SP_PROC_LWP_CREATE,	 BIT(PS_FORK) },
	{ KTRACE_SP_PROC_LWP_EXIT,	 BIT(PS_EXIT) },
	{ KTRACE_SP_PROC_START,		 BIT(PS_START) },
	{ KTRACE_SP_PROC_LWP_START,	 BIT(PS_START) },
	{ KTRACE_SP_PROC_SIGNAL_SEND,	 BIT(PS_SIG_GEN) },
	{ KTRACE_SP_PROC_SIGNAL_DISCARD, BIT(PS_SIG_GEN) },
	{ KTRACE_SP_PROC_SIGNAL_HANDLE,	 BIT(PS_SIG_DELIVER) },
};

KT_SP_DEFINE(kt_sp_proc, "proc", proc_src, proc_need);
KTRACE_PROVIDER(80, struct kt_sp_provider, kt_sp_proc, .prov);
