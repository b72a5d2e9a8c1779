// SPDX-License-Identifier: GPL-2.0
/*
 * Deterministic workloads for the buffer tests (buffers.sh and the
 * corpus cases tst.buf_*.d, tst.agg_reads_*.d).  Every read is from
 * /dev/zero on fd 42 so that a predicate "arg0 == 42" sees only ours.
 *   bufload reads N [R]    read(2)s of 1, 2, ..., N bytes (R times over)
 *   bufload loop N [RATE]  N read(2)s of 1 byte, at most RATE per second
 *                          if given; prints "T ns" (elapsed) to stderr
 *   bufload percpu N       one child pinned to each online CPU, each
 *                          doing N read(2)s of 7 bytes, all started at once
 *   bufload spin MS N      one read of 3 bytes, burn user CPU for MS ms,
 *                          then N reads of 3 bytes
 *   bufload pingpong N     reads of 1, 2, ..., 2N bytes taking turns: the
 *                          odd ones on CPU 0, the even ones on CPU 1 (a
 *                          child), each after the other's through a pipe
 * BUFLOAD_CPU=N in the environment pins the process to CPU N first.
 * Run without arguments (as the selftest runner does), it reports a KTAP
 * skip: it is a helper, not a test.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#define FD	42

static char buf[1 << 16];

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int rd(long n)
{
	return read(FD, buf, n) == n ? 0 : -1;
}

static int percpu(long n)
{
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN), i, st, bad = 0;
	int go[2];
	char c;

	if (pipe(go) < 0)
		return 1;
	for (i = 0; i < ncpu; i++) {
		pid_t p = fork();

		if (p < 0)
			return 1;
		if (p == 0) {
			cpu_set_t set;
			long k;

			CPU_ZERO(&set);
			CPU_SET(i, &set);
			if (sched_setaffinity(0, sizeof(set), &set) < 0)
				_exit(2);
			close(go[1]);
			if (read(go[0], &c, 1) != 0)
				_exit(3);
			for (k = 0; k < n; k++)
				if (rd(7) < 0)
					_exit(1);
			_exit(0);
		}
	}
	close(go[0]);
	close(go[1]);	/* everyone starts now */
	for (i = 0; i < ncpu; i++)
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	return bad != 0;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* Read i bytes on our turn (i = first, first + 2, ...), then pass the turn on. */
static int turns(long n, long first, int in, int out)
{
	char c = 0;

	for (long i = first; i <= 2 * n; i += 2) {
		if (i > 1 && read(in, &c, 1) != 1)
			return -1;
		if (rd(i) < 0 || write(out, &c, 1) != 1)
			return -1;
	}
	return 0;
}

static int pingpong(long n)
{
	int ab[2], ba[2], st;
	pid_t p;

	if (n < 1 || 2 * n >= (long)sizeof(buf) || pipe(ab) < 0 || pipe(ba) < 0)
		return 1;
	p = fork();
	if (p < 0)
		return 1;
	if (p == 0)
		_exit(pin(1) < 0 || turns(n, 2, ab[0], ba[1]) < 0);
	if (pin(0) < 0 || turns(n, 1, ba[0], ab[1]) < 0)
		return 1;
	return waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
	long n, i;
	long long t0;
	int fd;

	if (argc < 3) {
		printf("KTAP version 1\n1..0 # SKIP helper program of buffers.sh\n");
		return 4;
	}
	n = atol(argv[2]);
	if (getenv("BUFLOAD_CPU")) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(atoi(getenv("BUFLOAD_CPU")), &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			return 1;
	}
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0 || dup2(fd, FD) != FD)
		return 1;
	close(fd);
	if (!strcmp(argv[1], "reads")) {
		long r, reps = argc > 3 ? atol(argv[3]) : 1;

		for (r = 0; r < reps; r++)
			for (i = 1; i <= n; i++)
				if (rd(i % (long)sizeof(buf)) < 0)
					return 1;
		return 0;
	}
	if (!strcmp(argv[1], "loop")) {
		long rate = argc > 3 ? atol(argv[3]) : 0;

		t0 = now_ns();
		for (i = 0; i < n; i++) {
			if (rd(1) < 0)
				return 1;
			/* paced: never ahead of i / rate seconds */
			if (rate > 0 && i % 256 == 255)
				while (now_ns() - t0 < (i + 1) * 1000000000LL / rate)
					;
		}
		fprintf(stderr, "%lld ns\n", now_ns() - t0);
		return 0;
	}
	if (!strcmp(argv[1], "percpu"))
		return percpu(n);
	if (!strcmp(argv[1], "pingpong"))
		return pingpong(n);
	if (!strcmp(argv[1], "spin") && argc > 3) {
		volatile unsigned long x = 0;

		if (rd(3) < 0)
			return 1;
		t0 = now_ns();
		while (now_ns() - t0 < n * 1000000LL)
			x++;
		for (i = atol(argv[3]); i > 0; i--)
			if (rd(3) < 0)
				return 1;
		return 0;
	}
	fprintf(stderr, "bufload: unknown mode %s\n", argv[1]);
	return 1;
}
