/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sched.d: the sched provider's arguments (module/prov_sched.c fires them
 * with these native arguments; docs/providers.md), translated as DTrace
 * translates them, with procfs.d's psinfo_t and lwpsinfo_t.
 */
#pragma D depends_on library procfs.d
#pragma D attributes Evolving/Evolving/ISA provider sched provider
#pragma D attributes Private/Private/Unknown provider sched module
#pragma D attributes Private/Private/Unknown provider sched function
#pragma D attributes Evolving/Evolving/ISA provider sched name
#pragma D attributes Evolving/Evolving/ISA provider sched args

provider sched {
	probe on__cpu();
	probe off__cpu(struct task_struct *t, struct task_struct *p) : (lwpsinfo_t *t, psinfo_t *p);
	probe sleep();
	probe preempt();
	probe wakeup(struct task_struct *t, struct task_struct *p) : (lwpsinfo_t *t, psinfo_t *p);
	probe change__pri(struct task_struct *t, struct task_struct *p, int pri) :
	    (lwpsinfo_t *t, psinfo_t *p, int pri);
	probe enqueue(struct task_struct *t, struct task_struct *p, int c, int head) :
	    (lwpsinfo_t *t, psinfo_t *p, cpuinfo_t *c, int head);
	probe dequeue(struct task_struct *t, struct task_struct *p, int c, int sleep) :
	    (lwpsinfo_t *t, psinfo_t *p, cpuinfo_t *c, int sleep);
	probe tick(struct task_struct *t, struct task_struct *p) : (lwpsinfo_t *t, psinfo_t *p);
	probe surrender(struct task_struct *t, struct task_struct *p) : (lwpsinfo_t *t, psinfo_t *p);
};
