// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 6: a service that sleeps on the wrong timer.
 *
 * schedd has five threads, each waiting for work with a timeout of one
 * second, through a different system call (picked per start from eight:
 * nanosleep, clock_nanosleep, poll, ppoll, select, pselect6, epoll_wait,
 * epoll_pwait).  One thread's timeout was written in the wrong unit: it
 * waits one millisecond.  The answer is that thread's system call.  The
 * calls are made with syscall(2), so each is exactly the one named.
 */
#include "lab.h"

#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define THREADS 5

static const char *calls[] = {
	"nanosleep", "clock_nanosleep", "poll", "ppoll", "select", "pselect6", "epoll_wait",
	"epoll_pwait",
};

struct waiter {
	const char *call;
	unsigned int ms;
	int fd;		/* a pipe's read end nobody writes to */
	int ep;		/* an epoll instance watching it */
};

static void wait_once(const struct waiter *w)
{
	struct timespec ts = { w->ms / 1000, (w->ms % 1000) * 1000000l };
	struct timeval tv = { w->ms / 1000, (w->ms % 1000) * 1000l };
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
	struct epoll_event ev;
	fd_set set;

	FD_ZERO(&set);
	FD_SET(w->fd, &set);
	if (!strcmp(w->call, "nanosleep"))
		syscall(SYS_nanosleep, &ts, NULL);
	else if (!strcmp(w->call, "clock_nanosleep"))
		syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
	else if (!strcmp(w->call, "poll"))
		syscall(SYS_poll, &pfd, 1, (int)w->ms);
	else if (!strcmp(w->call, "ppoll"))
		syscall(SYS_ppoll, &pfd, 1, &ts, NULL, 8);
	else if (!strcmp(w->call, "select"))
		syscall(SYS_select, w->fd + 1, &set, NULL, NULL, &tv);
	else if (!strcmp(w->call, "pselect6"))
		syscall(SYS_pselect6, w->fd + 1, &set, NULL, NULL, &ts, NULL);
	else if (!strcmp(w->call, "epoll_wait"))
		syscall(SYS_epoll_wait, w->ep, &ev, 1, (int)w->ms);
	else
		syscall(SYS_epoll_pwait, w->ep, &ev, 1, (int)w->ms, NULL, 8);
}

static void *waiter(void *arg)
{
	for (;;)
		wait_once(arg);
	return NULL;
}

static void work(const struct lab_run *run)
{
	static struct waiter w[THREADS];
	const char *c[sizeof(calls) / sizeof(calls[0])];
	unsigned int culprit = lab_rand(THREADS);
	struct epoll_event ev = { .events = EPOLLIN };
	pthread_t t;
	int p[2];

	lab_name("schedd");
	memcpy(c, calls, sizeof(c));
	lab_shuffle(c, sizeof(c) / sizeof(c[0]));
	for (unsigned int i = 0; i < THREADS; i++) {
		if (pipe(p))
			lab_die("pipe");
		w[i].call = c[i];
		w[i].ms = i == culprit ? 1 : 1000;
		w[i].fd = p[0];
		w[i].ep = epoll_create1(0);
		if (w[i].ep < 0 || epoll_ctl(w[i].ep, EPOLL_CTL_ADD, p[0], &ev))
			lab_die("epoll");
	}
	lab_answer("%s", c[culprit]);
	for (unsigned int i = 1; i < THREADS; i++)
		if (pthread_create(&t, NULL, waiter, &w[i]))
			lab_die("pthread_create");
	waiter(&w[0]);
}

const struct lab lab = {
	.title = "an idle service that never sleeps",
	.level = "easy",
	.teaches = "syscall provider, count() by probefunc and tid; syscount -n",
	.symptom =
	"\"schedd is idle (no jobs queued) but powertop says it wakes the CPU up a\n"
	"thousand times a second. Each of its threads should wake once a second.\"",
	.kind = LAB_TEXT,
	.hints = {
		"A process that wakes up returns from something that put it to sleep: a system call that waits.",
		"syscount -n schedd counts its system calls by name.",
		"Five threads wait in five different calls; one of them returns far more often: ktrace -n 'syscall:::entry /execname == \"schedd\"/ { @[tid, probefunc] = count(); }'",
		"The answer is the name of that system call, e.g. nanosleep",
		NULL,
	},
	.solution =
	"# 1. schedd's system calls for 2 s, by name (the busiest last)\n"
	"syscount -n schedd -d 2 | tee /tmp/lab-schedd.out\n"
	"# 2. by thread: one thread makes them all\n"
	"ktrace -q -n 'syscall:::entry /execname == \"schedd\"/ { @[tid, probefunc] = count(); } tick-1s { exit(0); }'\n"
	"# 3. the answer: the busiest system call\n"
	"awk 'NF == 2 && $2 ~ /^[0-9]+$/ { s = $1 } END { print s }' /tmp/lab-schedd.out\n",
	.work = work,
};
