// SPDX-License-Identifier: GPL-2.0
/*
 * Deterministic workloads for the provider tests (providers.sh):
 *   workload read N      N read(2)s of 7 bytes from /dev/zero, then one
 *                        read(-1) (fails with EBADF)
 *   workload call N      N calls of kt_target(i, 7) (for uprobe/pid)
 *   workload spin MS     burn CPU in user mode for MS milliseconds
 *   workload sleep MS    sleep, then N=3 calls of kt_target
 *   workload malloc N    N calls of malloc(4242) (each freed)
 * workload-dyn is the same program linked dynamically (pid provider on a
 * library that is mapped only after the probes are enabled).
 * Run without arguments (as the selftest runner does), it reports a KTAP
 * skip: it is a helper, not a test.
 */
#include <fcntl.h>
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
	if (!strcmp(argv[1], "sleep")) {
		usleep(n * 1000);
		for (i = 0; i < 3; i++)
			s += kt_target(i, 7);
		return 0;
	}
	return 2;
}
