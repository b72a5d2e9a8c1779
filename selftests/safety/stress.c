// SPDX-License-Identifier: GPL-2.0
/*
 * stress: workload helper of the safety tests (not a test itself).
 *
 *   stress getppid N [DELAY_MS]  sleep DELAY_MS, then N getppid() calls
 *   stress mix SECONDS           fork/exit, read /dev/zero, stat and
 *                                sched_yield() in a loop for SECONDS
 *   stress spin SECONDS          burn CPU in user space for SECONDS
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int mix(double secs)
{
	double end = now_s() + secs;
	char buf[4096];
	struct stat st;
	int fd = open("/dev/zero", O_RDONLY);
	long loops = 0;

	if (fd < 0)
		return 1;
	while (now_s() < end) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		if (p > 0)
			waitpid(p, NULL, 0);
		for (int i = 0; i < 16; i++)
			if (read(fd, buf, sizeof(buf)) < 0)
				return 1;
		stat("/proc/self/status", &st);
		sched_yield();
		loops++;
	}
	close(fd);
	printf("mix loops=%ld\n", loops);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		printf("KTAP version 1\n1..0 # SKIP helper program of the safety tests\n");
		return 4;
	}
	if (!strcmp(argv[1], "getppid")) {
		long n = atol(argv[2]);

		if (argc > 3)
			usleep(atol(argv[3]) * 1000);
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		return 0;
	}
	if (!strcmp(argv[1], "mix"))
		return mix(atof(argv[2]));
	if (!strcmp(argv[1], "spin")) {
		double end = now_s() + atof(argv[2]);
		volatile unsigned long x = 0;

		while (now_s() < end)
			for (int i = 0; i < 100000; i++)
				x++;
		return 0;
	}
	fprintf(stderr, "stress: unknown mode '%s'\n", argv[1]);
	return 2;
}
