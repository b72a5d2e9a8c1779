// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 4: a fork storm.
 *
 * Four agents run side by side, named at random from a list of plausible
 * daemons.  Each runs a check program now and then (fork, exec /bin/true);
 * one of them, picked per start, runs it twenty times a second, as a shell
 * loop without a sleep in it would.  The answer is that agent's pid.
 */
#include "lab.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define AGENTS 4

static const char *names[] = {
	"healthd", "metricsd", "logshipper", "inventoryd", "backupd", "pkgwatch", "certcheck",
};

static const char *true_path(void)
{
	return access("/bin/true", X_OK) == 0 ? "/bin/true" : "/usr/bin/true";
}

static void agent(const char *name, unsigned int period_ms)
{
	const char *prog = true_path();
	pid_t pid;

	lab_name(name);
	for (;;) {
		pid = fork();
		if (pid == 0) {
			execl(prog, "true", (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
		lab_sleep_ms(period_ms);
	}
}

static void work(const struct lab_run *run)
{
	const char *n[sizeof(names) / sizeof(names[0])];
	unsigned int culprit = lab_rand(AGENTS);
	pid_t pid;

	memcpy(n, names, sizeof(n));
	lab_shuffle(n, sizeof(n) / sizeof(n[0]));
	lab_name("agentd");
	for (unsigned int i = 0; i < AGENTS; i++) {
		pid = lab_fork();
		if (pid == 0)
			agent(n[i], i == culprit ? 50 : 2000 + 500 * i);
		if (i == culprit)
			lab_answer("%d", (int)pid);
	}
	for (;;)
		pause();
}

const struct lab lab = {
	.title = "the machine is busy but no process stands out",
	.level = "easy",
	.teaches = "tracepoint provider (sched_process_exec), execsnoop; count() by ppid",
	.symptom =
	"\"Load is up on this box, a lot of it system time, but top shows no process\n"
	"using much CPU: everything that runs seems to exit at once.\"",
	.kind = LAB_PID,
	.hints = {
		"Short-lived processes never show in top. Who is starting new processes, and how often?",
		"execsnoop traces every exec (tracepoint:sched::sched_process_exec), with the parent's pid (PPID).",
		"Count execs by parent: ktrace -n 'tracepoint:sched::sched_process_exec { @[ppid] = count(); }'",
		"The answer is the pid of the process that starts them.",
		NULL,
	},
	.solution =
	"# 1. new programs for 2 s, with their parents\n"
	"execsnoop -d 2 >/tmp/lab-agents.out\n"
	"head -n 12 /tmp/lab-agents.out\n"
	"# 2. execs by parent (pid and name), the busiest last\n"
	"ktrace -q -n 'tracepoint:sched::sched_process_exec { @[ppid, curthread->real_parent->comm] = count(); }\n"
	"\ttick-2s { exit(0); }' | tee /tmp/lab-agents.agg\n"
	"# 3. the answer: the parent pid that starts the most\n"
	"awk 'NF == 3 { p = $1 } END { print p }' /tmp/lab-agents.agg\n",
	.work = work,
};
