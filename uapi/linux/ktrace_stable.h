/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ktrace's stable providers (proc, sched, io, ip, tcp, udp, lockstat): the one
 * list of their probes.  The module creates a probe because it is listed
 * here (when the running kernel has what fires it); the module file of each
 * provider (module/prov_proc.c, ...) says what fires it and what it passes.
 *
 * KTRACE_STABLE_PROBES(X) calls X(ID, PROVIDER, NAME) once per probe, ID
 * naming KTRACE_SP_ID of enum ktrace_stable_probe, NAME as DTrace names
 * the probe.  The native arguments (argN) are given after each probe:
 * kernel pointers (read as their kernel type through BTF) or integers, in
 * DTrace's argument order; args[N] is argN translated to DTrace's type by
 * the D library's provider declaration and translators (user/lib/).
 */
#ifndef _UAPI_LINUX_KTRACE_STABLE_H
#define _UAPI_LINUX_KTRACE_STABLE_H

#define KTRACE_STABLE_PROBES(X)						\
	/* arg0: struct task_struct * of the child (psinfo_t) */	\
	X(PROC_CREATE,		"proc", "create")			\
	X(PROC_EXEC_SUCCESS,	"proc", "exec-success")			\
	/* arg0: the path being executed (a kernel string) */		\
	X(PROC_EXEC,		"proc", "exec")				\
	/* arg0: why it failed (a positive errno) */			\
	X(PROC_EXEC_FAILURE,	"proc", "exec-failure")			\
	/* arg0: KTRACE_CLD_* */					\
	X(PROC_EXIT,		"proc", "exit")				\
	/* arg0, arg1: struct task_struct * of the new thread */	\
	X(PROC_LWP_CREATE,	"proc", "lwp-create")			\
	X(PROC_LWP_EXIT,	"proc", "lwp-exit")			\
	X(PROC_START,		"proc", "start")			\
	X(PROC_LWP_START,	"proc", "lwp-start")			\
	/* arg0, arg1: struct task_struct * of the target; arg2: signal */ \
	X(PROC_SIGNAL_SEND,	"proc", "signal-send")			\
	X(PROC_SIGNAL_DISCARD,	"proc", "signal-discard")		\
	/* arg0: signal; arg1: struct kernel_siginfo *; arg2: handler */ \
	X(PROC_SIGNAL_HANDLE,	"proc", "signal-handle")		\
	X(SCHED_ON_CPU,		"sched", "on-cpu")			\
	/* arg0, arg1: struct task_struct * of the thread coming on */	\
	X(SCHED_OFF_CPU,	"sched", "off-cpu")			\
	X(SCHED_SLEEP,		"sched", "sleep")			\
	X(SCHED_PREEMPT,	"sched", "preempt")			\
	/* arg0, arg1: struct task_struct * of the woken thread */	\
	X(SCHED_WAKEUP,		"sched", "wakeup")			\
	/* arg0, arg1: struct task_struct *; arg2: new priority */	\
	X(SCHED_CHANGE_PRI,	"sched", "change-pri")			\
	/*								\
	 * arg0, arg1: struct task_struct * of the thread; arg2: the	\
	 * CPU of its run queue; arg3: enqueue: 1 if it goes to the	\
	 * queue's head; dequeue: 1 if it leaves to sleep		\
	 */								\
	X(SCHED_ENQUEUE,	"sched", "enqueue")			\
	X(SCHED_DEQUEUE,	"sched", "dequeue")			\
	/* arg0, arg1: struct task_struct * of the current thread */	\
	X(SCHED_TICK,		"sched", "tick")			\
	X(SCHED_SURRENDER,	"sched", "surrender")			\
	/* arg0..arg2: struct request * */				\
	X(IO_START,		"io", "start")				\
	/* arg0..arg2: struct request *; arg3: bytes; arg4: -errno */	\
	X(IO_DONE,		"io", "done")				\
	/*								\
	 * ip, tcp, udp: arg0 the packet's struct sk_buff * (NULL: none), \
	 * arg1 the struct sock * (NULL: none), arg2 the address of its	\
	 * IP header (IPv4 or IPv6; NULL: none), arg7 KTRACE_NET_*.	\
	 * ip: arg3 struct net_device *, arg4 the IPv4 header (NULL for	\
	 * IPv6), arg5 the IPv6 header (NULL for IPv4).			\
	 */								\
	X(IP_SEND,		"ip", "send")				\
	X(IP_RECEIVE,		"ip", "receive")			\
	/*								\
	 * tcp: arg3 the struct sock * (as arg1), arg4 the address of	\
	 * the TCP header (NULL: none), arg5 state-change's old state,	\
	 * arg6 the connection's state after the event (TCP_*; CLOSE	\
	 * without a socket)						\
	 */								\
	X(TCP_STATE_CHANGE,	"tcp", "state-change")			\
	X(TCP_SEND,		"tcp", "send")				\
	X(TCP_RECEIVE,		"tcp", "receive")			\
	X(TCP_CONNECT_REQUEST,	"tcp", "connect-request")		\
	X(TCP_CONNECT_ESTABLISHED, "tcp", "connect-established")	\
	X(TCP_CONNECT_REFUSED,	"tcp", "connect-refused")		\
	X(TCP_ACCEPT_ESTABLISHED, "tcp", "accept-established")		\
	X(TCP_ACCEPT_REFUSED,	"tcp", "accept-refused")			\
	/* udp: arg3 the struct sock * (as arg1), arg4 the UDP header */ \
	X(UDP_SEND,		"udp", "send")				\
	X(UDP_RECEIVE,		"udp", "receive")			\
	/*								\
	 * lockstat: arg0 the lock's address, arg1 the nanoseconds	\
	 * spent spinning or blocked; rw-block, rw-spin: arg2 1 for a	\
	 * writer							\
	 */								\
	X(LOCKSTAT_ADAPTIVE_SPIN, "lockstat", "adaptive-spin")		\
	X(LOCKSTAT_ADAPTIVE_BLOCK, "lockstat", "adaptive-block")	\
	X(LOCKSTAT_SPIN_SPIN,	"lockstat", "spin-spin")		\
	X(LOCKSTAT_RW_BLOCK,	"lockstat", "rw-block")			\
	X(LOCKSTAT_RW_SPIN,	"lockstat", "rw-spin")			\
	/* arg0 the lock's address */					\
	X(LOCKSTAT_ADAPTIVE_ACQUIRE, "lockstat", "adaptive-acquire")	\
	X(LOCKSTAT_ADAPTIVE_RELEASE, "lockstat", "adaptive-release")	\
	X(LOCKSTAT_SPIN_ACQUIRE, "lockstat", "spin-acquire")		\
	X(LOCKSTAT_SPIN_RELEASE, "lockstat", "spin-release")		\
	/* arg1: the (negative) errno the interruptible wait returned */ \
	X(LOCKSTAT_ADAPTIVE_ACQUIRE_ERROR, "lockstat", "adaptive-acquire-error") \
	/* arg1: KTRACE_RW_WRITER or KTRACE_RW_READER */		\
	X(LOCKSTAT_RW_ACQUIRE,	"lockstat", "rw-acquire")		\
	X(LOCKSTAT_RW_RELEASE,	"lockstat", "rw-release")

enum ktrace_stable_probe {
#define KTRACE_SP_ENUM(id, prov, name)	KTRACE_SP_##id,
	KTRACE_STABLE_PROBES(KTRACE_SP_ENUM)
#undef KTRACE_SP_ENUM
	KTRACE_SP_NR
};

/* proc:::exit args[0]: how the process ended (DTrace's, from <sys/wait.h>'s si_code) */
#define KTRACE_CLD_EXITED	1	/* it called exit() or returned from main */
#define KTRACE_CLD_KILLED	2	/* a signal killed it */
#define KTRACE_CLD_DUMPED	3	/* a signal killed it and it dumped core */

/* lockstat:::rw-acquire and rw-release arg1, as DTrace's RW_WRITER and RW_READER */
#define KTRACE_RW_WRITER	0
#define KTRACE_RW_READER	1

/* arg7 of the ip, tcp and udp probes: which way their packet goes */
#define KTRACE_NET_OUTBOUND	0	/* being sent (or: no packet) */
#define KTRACE_NET_INBOUND	1	/* received */
#define KTRACE_NET_RST_REPLY	2	/* received, and the probe is the RST Linux
					 * answers it with (tcp:::accept-refused) */

#endif /* _UAPI_LINUX_KTRACE_STABLE_H */
