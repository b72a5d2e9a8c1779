// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 15: run-queue latency from a CPU hog at high priority.
 *
 * ticker wakes every 10 ms to do a little work.  Three batch jobs share its
 * CPU (everything is pinned to CPU 0), named at random from a list, each
 * burning 20 ms of CPU every 100 ms: the same CPU use.  Two run at nice 19,
 * and ticker preempts them as soon as it wakes; one, picked per start, runs
 * at nice -20, and ticker waits in the run queue until its burst is over.
 * The answer is that job's pid.
 *
 * ticker's wait is charged stretch by stretch, each to the task that had the
 * CPU during it, not all to the task switched out when ticker gets the CPU:
 * on a PREEMPT_RT kernel the softirq work of the tick that ends the nice -20
 * job's slice runs in threads (ksoftirqd, rcuc), which get the CPU before
 * ticker, and the last task before ticker is most often ksoftirqd.
 */
#include "lab.h"

#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define JOBS 3

static const char *names[] = {
	"reindex", "thumbgen", "compactor", "etl-batch", "scrubber", "archiver", "dedupe",
};

static void pin(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		lab_die("sched_setaffinity");
}

static void job(const char *name, int nice)
{
	lab_name(name);
	setpriority(PRIO_PROCESS, 0, nice);
	for (;;) {
		lab_spin_us(20000);
		lab_sleep_ms(80 + lab_rand(20));
	}
}

static void work(const struct lab_run *run)
{
	const char *n[sizeof(names) / sizeof(names[0])];
	unsigned int culprit = lab_rand(JOBS);
	pid_t pid;

	lab_name("ticker");
	pin();
	memcpy(n, names, sizeof(n));
	lab_shuffle(n, sizeof(n) / sizeof(n[0]));
	for (unsigned int i = 0; i < JOBS; i++) {
		pid = lab_fork();
		if (pid == 0)
			job(n[i], i == culprit ? -20 : 19);
		if (i == culprit)
			lab_answer("%d", (int)pid);
	}
	for (;;) {
		lab_spin_us(100);
		lab_sleep_ms(10);
	}
}

const struct lab lab = {
	.title = "a ticker that misses its deadlines",
	.level = "hard",
	.teaches = "tracepoint provider (sched_wakeup, sched_switch, args->), arrays keyed by cpu, sum() by pid; USE: CPU saturation vs utilisation",
	.symptom =
	"\"ticker must run every 10 ms, and now and then it runs 10 or 20 ms late.\n"
	"The box is not overloaded: three batch jobs share its CPU, each using\n"
	"about the same small share. Which one is in ticker's way?\"",
	.kind = LAB_PID,
	.hints = {
		"USE method: utilisation (CPU use) is the same for the three jobs. Look at saturation: how long does ticker wait to run once it is woken?",
		"That wait is run-queue latency: from tracepoint:sched::sched_wakeup of ticker (args->pid) to the tracepoint:sched::sched_switch that puts it on the CPU (args->next_pid).",
		"Each sched_switch on ticker's CPU (args->target_cpu of the wakeup) while it waits ends a stretch held by args->prev_pid: sum the stretches by args->prev_pid (keep the last switch's time per cpu). Not the whole wait by the last one: on a PREEMPT_RT kernel, threads such as ksoftirqd often run just before ticker.",
		"The answer is the pid of the job ticker waits behind.",
		NULL,
	},
	.solution =
	"# 1. CPU use by process (the three jobs look alike)\n"
	"ktrace -q -n 'profile-99 /pid/ { @[pid, execname] = count(); } tick-2s { exit(0); }'\n"
	"# 2. ticker's run-queue latency for 3 s: from its wakeup to the switch that\n"
	"#    gives it the CPU, each stretch between two switches on its CPU is\n"
	"#    charged to the task that ran in it (prev)\n"
	"ktrace -q -n '\n"
	"tracepoint:sched::sched_wakeup /args->comm == \"ticker\"/ { woken = timestamp; tcpu = args->target_cpu; }\n"
	"tracepoint:sched::sched_switch /woken && cpu == tcpu/ {\n"
	"\t@wait_ns[args->prev_pid, args->prev_comm] =\n"
	"\t    sum(timestamp - (last[cpu] > woken ? last[cpu] : woken)); }\n"
	"tracepoint:sched::sched_switch { last[cpu] = timestamp; }\n"
	"tracepoint:sched::sched_switch /args->next_comm == \"ticker\"/ { woken = 0; }\n"
	"tick-3s { exit(0); }' | tee /tmp/lab-ticker.out\n"
	"# 3. the answer: the task ticker waited behind longest (last line)\n"
	"awk 'NF == 3 { p = $1 } END { print p }' /tmp/lab-ticker.out\n",
	.work = work,
};
