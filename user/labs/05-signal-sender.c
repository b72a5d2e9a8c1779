// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 5: a signal sent by an unexpected process.
 *
 * A supervisor runs "worker" and restarts it when it dies.  Four helpers,
 * named at random from a list of plausible ones, signal the worker:
 * liveness checks (signal 0) and log reopen requests (SIGUSR1, which the
 * worker handles); one of them, picked per start, also sends it SIGTERM
 * about once a second.  The answer is that helper's pid.
 */
#include "lab.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define HELPERS 4

static const char *names[] = {
	"logrotate", "healthcheck", "watchdogd", "cron-cleanup", "statuspoll", "confsync",
};
static volatile sig_atomic_t reopened;

static void on_usr1(int sig)
{
	reopened++;
}

/* the worker's pid, published by the supervisor for the helpers */
static void publish(const char *path, pid_t pid)
{
	char tmp[320];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", (int)pid) < 0 || fclose(f) || rename(tmp, path))
		lab_die("writing %s", path);
}

static pid_t worker_pid(const char *path)
{
	FILE *f = fopen(path, "r");
	int pid = 0;

	if (f) {
		if (fscanf(f, "%d", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	return pid;
}

static void helper(const char *name, const char *pidfile, int killer)
{
	lab_name(name);
	for (unsigned int i = 1;; i++) {
		pid_t w = worker_pid(pidfile);

		if (w > 0) {
			kill(w, 0);
			if (i % 4 == 0)
				kill(w, SIGUSR1);
			if (killer && i % 5 == 0)
				kill(w, SIGTERM);
		}
		lab_sleep_ms(200 + lab_rand(50));
	}
}

static void supervisor(const char *pidfile)
{
	pid_t w;

	lab_name("supervisor");
	for (;;) {
		w = lab_fork();
		if (w == 0) {
			lab_name("worker");
			signal(SIGUSR1, on_usr1);
			for (;;)
				pause();
		}
		publish(pidfile, w);
		waitpid(w, NULL, 0);
		lab_sleep_ms(100);
	}
}

static void work(const struct lab_run *run)
{
	const char *n[sizeof(names) / sizeof(names[0])];
	unsigned int culprit = lab_rand(HELPERS);
	char pidfile[300];
	pid_t pid;

	memcpy(n, names, sizeof(n));
	lab_shuffle(n, sizeof(n) / sizeof(n[0]));
	snprintf(pidfile, sizeof(pidfile), "%s/worker.pid", run->workdir);
	lab_name("svcmgr");
	if (lab_fork() == 0)
		supervisor(pidfile);
	for (unsigned int i = 0; i < HELPERS; i++) {
		pid = lab_fork();
		if (pid == 0)
			helper(n[i], pidfile, i == culprit);
		if (i == culprit)
			lab_answer("%d", (int)pid);
	}
	for (;;)
		pause();
}

const struct lab lab = {
	.title = "a worker that keeps getting restarted",
	.level = "easy",
	.teaches = "syscall provider (kill entry: arg0 target, arg1 signal); killsnoop",
	.symptom =
	"\"The supervisor log says worker was 'terminated by signal 15' and restarted,\n"
	"about once a second. Nobody on the team sends it signals. Who does?\"",
	.kind = LAB_PID,
	.hints = {
		"A signal is sent by a system call (kill, tkill, tgkill): trace the senders, not the victim.",
		"killsnoop shows every kill() with the sender's pid and name, the target pid and the signal.",
		"Several processes signal the worker; only one sends signal 15 (SIGTERM). Signal 0 only checks that a process exists.",
		"The answer is the pid of the process that sends SIGTERM.",
		NULL,
	},
	.solution =
	"# 1. every signal sent, for 3 s: sender, target, signal\n"
	"killsnoop -d 3 | tee /tmp/lab-killers.out\n"
	"# 2. the answer: the sender of signal 15 (SIGTERM)\n"
	"awk '$5 == 15 { p = $1 } END { print p }' /tmp/lab-killers.out\n",
	.work = work,
};
