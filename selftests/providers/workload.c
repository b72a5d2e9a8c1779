// SPDX-License-Identifier: GPL-2.0
/*
 * Deterministic workloads for the provider tests (providers.sh):
 *   workload read N      N read(2)s of 7 bytes from /dev/zero, then one
 *                        read(-1) (fails with EBADF)
 *   workload call N      N calls of kt_target(i, 7) (for uprobe/pid)
 *   workload spin MS     burn CPU in user mode for MS milliseconds
 *   workload sleep MS    sleep, then N=3 calls of kt_target
 *   workload malloc N    N calls of malloc(4242) (each freed)
 *   workload touch N     write once to each of N new pages mapped at
 *                        KT_TOUCH_ADDR (no huge pages): N page faults there
 *                        (a 2 ms pause every 64: under perf's sampling limit)
 *   workload naps N      N round trips of a byte through pipes with a child,
 *                        both on one CPU: the parent is switched away at
 *                        least once per round (it blocks or is preempted)
 *                        whatever the timing (a short sleep may expire
 *                        before it blocks under TCG)
 * workload-dyn is the same program linked dynamically (pid provider on a
 * library that is mapped only after the probes are enabled).
 * Run without arguments (as the selftest runner does), it reports a KTAP
 * skip: it is a helper, not a test.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) long kt_target(long a, long b)
{
	__asm__ volatile("" ::: "memory");
	return a * 1000 + b;
}

#define KT_TOUCH_ADDR	0x100000000000UL	/* cpc.sh's page-fault range starts here */

static int touch(long n)
{
	char *p = mmap((void *)KT_TOUCH_ADDR, n * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	long i;

	if (p != (char *)KT_TOUCH_ADDR)
		return 1;
	/* EINVAL: a kernel without THP (the debug kernel): no huge page to avoid */
	if (madvise(p, n * 4096, MADV_NOHUGEPAGE) && errno != EINVAL)
		return 1;
	for (i = 0; i < n; i++) {
		if (i && !(i % 64))
			usleep(2000);
		p[i * 4096] = 1;
	}
	return 0;
}

static int naps(long n)
{
	int to[2], from[2], st;
	cpu_set_t one;
	long i;
	pid_t c;
	char b = 0;

	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof(one), &one) || pipe(to) || pipe(from))
		return 1;
	c = fork();
	if (c < 0)
		return 1;
	if (!c) {
		close(to[1]);
		close(from[0]);
		while (read(to[0], &b, 1) == 1)
			if (write(from[1], &b, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	for (i = 0; i < n; i++)
		if (write(to[1], &b, 1) != 1 || read(from[0], &b, 1) != 1)
			return 1;
	close(to[1]);
	return waitpid(c, &st, 0) != c || st;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	char buf[16];
	long n, i, s = 0;
	int fd;

	if (argc < 3) {
		printf("KTAP version 1\n1..0 # SKIP helper program of providers.sh\n");
		return 4;
	}
	n = atol(argv[2]);
	if (!strcmp(argv[1], "read")) {
		fd = open("/dev/zero", O_RDONLY);
		if (fd < 0)
			return 1;
		for (i = 0; i < n; i++)
			if (read(fd, buf, 7) != 7)
				return 1;
		return read(-1, buf, 1) == -1 ? 0 : 1;
	}
	if (!strcmp(argv[1], "call")) {
		for (i = 0; i < n; i++)
			s += kt_target(i, 7);
		return s == 0;
	}
	if (!strcmp(argv[1], "spin")) {
		long end = now_ms() + n;

		while (now_ms() < end)
			s++;
		return 0;
	}
	if (!strcmp(argv[1], "malloc")) {
		for (i = 0; i < n; i++) {
			void *volatile p = malloc(4242);

			free(p);
		}
		return 0;
	}
	if (!strcmp(argv[1], "touch"))
		return touch(n);
	if (!strcmp(argv[1], "naps"))
		return naps(n);
	if (!strcmp(argv[1], "sleep")) {
		usleep(n * 1000);
		for (i = 0; i < 3; i++)
			s += kt_target(i, 7);
		return 0;
	}
	return 2;
}
