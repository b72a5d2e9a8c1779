/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proc.d: the proc provider's arguments (module/prov_proc.c fires them
 * with these native arguments; docs/providers.md), translated as DTrace
 * translates them, with procfs.d's psinfo_t and lwpsinfo_t.
 */
#pragma D depends_on library procfs.d
#pragma D attributes Evolving/Evolving/ISA provider proc provider
#pragma D attributes Private/Private/Unknown provider proc module
#pragma D attributes Private/Private/Unknown provider proc function
#pragma D attributes Evolving/Evolving/ISA provider proc name
#pragma D attributes Evolving/Evolving/ISA provider proc args

/* proc:::exit args[0], as DTrace (and <sys/wait.h>'s si_code) defines them */
inline int CLD_EXITED = 1;
inline int CLD_KILLED = 2;
inline int CLD_DUMPED = 3;

provider proc {
	probe create(struct task_struct *p) : (psinfo_t *p);
	probe exec(string path) : (string path);
	probe exec__failure(int err) : (int err);
	probe exec__success();
	probe exit(int r) : (int r);
	probe lwp__create(struct task_struct *t, struct task_struct *p) : (lwpsinfo_t *t, psinfo_t *p);
	probe lwp__exit();
	probe start();
	probe lwp__start();
	probe signal__send(struct task_struct *t, struct task_struct *p, int sig) :
	    (lwpsinfo_t *t, psinfo_t *p, int sig);
	probe signal__discard(struct task_struct *t, struct task_struct *p, int sig) :
	    (lwpsinfo_t *t, psinfo_t *p, int sig);
	probe signal__handle(int sig, struct kernel_siginfo *info, void *handler) :
	    (int sig, struct kernel_siginfo *info, void *handler);
};
