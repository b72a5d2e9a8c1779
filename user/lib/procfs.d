/* SPDX-License-Identifier: GPL-2.0 */
/*
 * procfs.d: DTrace's process and thread views (psinfo_t, lwpsinfo_t),
 * cpuinfo_t, and curpsinfo, curlwpsinfo, curcpu (and pset), translated from the
 * kernel's struct task_struct (BTF) as Linux defines it.  Members Linux
 * has no equivalent for are left out rather than invented; see
 * docs/language.md ("The D library").
 */
#pragma D attributes Stable/Stable/Common psinfo_t

/* pr_state values and their letters (pr_sname), as DTrace defines them */
inline char SSLEEP = 1;		/* sleeping: waiting for an event */
inline char SRUN = 2;		/* runnable */
inline char SZOMB = 3;		/* exited, not yet reaped */
inline char SSTOP = 4;		/* stopped (signal or tracer) */
inline char SIDL = 5;		/* being created */
inline char SONPROC = 6;	/* running on a CPU */
inline char SWAIT = 7;		/* waiting to become runnable */

typedef struct lwpsinfo {
	int		pr_flag;	/* task flags (PF_*) */
	int		pr_lwpid;	/* thread id */
	uintptr_t	pr_addr;	/* the task_struct's address */
	char		pr_state;	/* SSLEEP, SRUN, ... */
	char		pr_sname;	/* its letter: S R Z T O */
	int		pr_nice;	/* nice + 20 (0..39) */
	int		pr_pri;		/* kernel priority (0..139, lower runs first) */
	int		pr_onpro;	/* the CPU it last ran on */
	int		pr_policy;	/* scheduling policy (SCHED_*) */
	char		pr_name[16];	/* thread name */
} lwpsinfo_t;

typedef struct psinfo {
	int		pr_nlwp;	/* threads */
	pid_t		pr_pid;
	pid_t		pr_ppid;
	pid_t		pr_pgid;
	pid_t		pr_sid;
	uid_t		pr_uid;
	uid_t		pr_euid;
	gid_t		pr_gid;
	gid_t		pr_egid;
	uintptr_t	pr_addr;	/* the thread group leader's task_struct */
	size_t		pr_size;	/* virtual size in Kbytes */
	int		pr_wstat;	/* exit status (as wait(2) reports it) */
	char		pr_fname[16];	/* process name (the group leader's comm) */
	uint64_t	pr_start;	/* start time: ns since boot (Linux's clock) */
} psinfo_t;

typedef struct cpuinfo {
	int		cpu_id;
} cpuinfo_t;

translator lwpsinfo_t < struct task_struct *T > {
	pr_flag = T->flags;
	pr_lwpid = T->pid;
	pr_addr = (uintptr_t)T;
	pr_state = T->on_cpu ? SONPROC : T->__state == 0 ? SRUN :
	    (T->exit_state & 0x30) ? SZOMB : (T->__state & 0x0c) ? SSTOP : SSLEEP;
	pr_sname = T->on_cpu ? 'O' : T->__state == 0 ? 'R' :
	    (T->exit_state & 0x30) ? 'Z' : (T->__state & 0x0c) ? 'T' : 'S';
	pr_nice = T->static_prio - 100;
	pr_pri = T->prio;
	pr_onpro = T->thread_info.cpu;
	pr_policy = T->policy;
	pr_name = T->comm;
};

translator psinfo_t < struct task_struct *T > {
	pr_nlwp = T->signal->nr_threads;
	pr_pid = T->tgid;
	pr_ppid = T->real_parent->tgid;
	pr_pgid = T->signal->pids[2]->numbers[0].nr;
	pr_sid = T->signal->pids[3]->numbers[0].nr;
	pr_uid = T->cred->uid.val;
	pr_euid = T->cred->euid.val;
	pr_gid = T->cred->gid.val;
	pr_egid = T->cred->egid.val;
	pr_addr = (uintptr_t)T->group_leader;
	pr_size = T->mm ? T->mm->total_vm * 4 : 0;
	pr_wstat = T->exit_code;
	pr_fname = T->group_leader->comm;
	pr_start = T->group_leader->start_time;
};

translator cpuinfo_t < int C > {
	cpu_id = C;
};

inline psinfo_t *curpsinfo = xlate <psinfo_t *> (curthread);
inline lwpsinfo_t *curlwpsinfo = xlate <lwpsinfo_t *> (curthread);
inline cpuinfo_t *curcpu = xlate <cpuinfo_t *> (cpu);

/* DTrace's processor set: Linux has none, every CPU is in set 0 */
inline int pset = 0;
