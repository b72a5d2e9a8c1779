// SPDX-License-Identifier: GPL-2.0
/*
 * swloop N - N context switches on one CPU (B8).
 *
 * Two processes pinned to CPU 0 hand a byte back and forth over two pipes:
 * each write wakes the other, which is the only other runnable task on the
 * CPU, and each read blocks, so every hand-over is exactly one switch (one
 * sched_switch, one finish_task_switch) and N/2 round trips make N of them.
 * Prints "ns_per_op=X ops=N total_ns=T" with one op per switch.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

static void pin0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("swloop: sched_setaffinity");
		exit(1);
	}
}

/* hand the byte over ROUNDS times: read from IN, write to OUT */
static int relay(int in, int out, unsigned long long rounds, int first)
{
	unsigned long long i;
	char c = 'x';

	for (i = 0; i < rounds; i++) {
		if (first && write(out, &c, 1) != 1)
			return -1;
		if (read(in, &c, 1) != 1)
			return -1;
		if (!first && write(out, &c, 1) != 1)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long n, rounds, warm = 500, t0, t1;
	int ab[2], ba[2], st;
	pid_t child;

	if (argc != 2) {
		fprintf(stderr, "usage: swloop N\n");
		return 2;
	}
	n = bench_arg("swloop", "N", argv[1]);
	rounds = (n + 1) / 2;
	if (pipe(ab) || pipe(ba)) {
		perror("swloop: pipe");
		return 1;
	}
	pin0();
	child = fork();
	if (child < 0) {
		perror("swloop: fork");
		return 1;
	}
	if (child == 0)
		_exit(relay(ab[0], ba[1], warm + rounds, 0) ? 1 : 0);
	/* warm up: both sides running, the pipes' pages touched */
	if (relay(ba[0], ab[1], warm, 1))
		goto fail;
	t0 = bench_now_ns();
	if (relay(ba[0], ab[1], rounds, 1))
		goto fail;
	t1 = bench_now_ns();
	if (waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "swloop: the other side failed\n");
		return 1;
	}
	printf("ns_per_op=%.1f ops=%llu total_ns=%llu\n",
	       (double)(t1 - t0) / (2 * rounds), 2 * rounds, t1 - t0);
	return 0;
fail:
	perror("swloop: pipe hand-over");
	kill(child, SIGKILL);
	return 1;
}
