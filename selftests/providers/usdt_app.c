// SPDX-License-Identifier: GPL-2.0
/*
 * An application with <sys/sdt.h> probes (provider "ktest"), for usdt.sh:
 *   usdt_app hit N     N times: ktest:::hit(i, -i, "hello"), in work();
 *                      ktest:::query__start(i) when its semaphore is set
 *                      (is-enabled); prints "enabled=K" (iterations that
 *                      saw the semaphore set)
 *   usdt_app ops N     N times ktest:::ops with operands of every kind:
 *                      a constant, a signed char -1, an unsigned short
 *                      65535, a global int (memory, rip-relative), a
 *                      stack slot, the loop counter
 *   usdt_app watch MS  until SIGTERM (or MS ms): print "sem=V" each time
 *                      the semaphore of query__start changes, first
 *                      "sem=0" or "sem=1" at start, "ready" once
 *   usdt_app sleep MS  sleep, then hit 5
 * Run without arguments (as the selftest runner does), it reports a KTAP
 * skip: it is a helper, not a test.
 */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* sys/sdt.h's is-enabled counters (with _SDT_HAS_SEMAPHORES every probe has one) */
#define KT_SEM(p, n) __extension__ unsigned short p##_##n##_semaphore __attribute__((section(".probes")))
KT_SEM(ktest, query__start);
KT_SEM(ktest, hit);
KT_SEM(ktest, ops);

int kt_global = 4242;
static volatile sig_atomic_t stop;

static int query_enabled(void)
{
	return *(volatile unsigned short *)&ktest_query__start_semaphore != 0;
}

__attribute__((noinline)) int work(long i, const char *s)
{
	int on = query_enabled();

	DTRACE_PROBE3(ktest, hit, i, -i, s);
	if (on)
		STAP_PROBE1(ktest, query__start, i);
	__asm__ volatile("" ::: "memory");
	return on;
}

__attribute__((noinline)) void ops(long i)
{
	volatile int local = 77;
	signed char c = -1;
	unsigned short us = 65535;

	__asm__ volatile("" : "+r"(c), "+r"(us));
	STAP_PROBE6(ktest, ops, 12345, c, us, kt_global, local, i);
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	long n, i, on = 0;

	if (argc < 3) {
		printf("KTAP version 1\n1..0 # SKIP helper program of usdt.sh\n");
		return 4;
	}
	n = atol(argv[2]);
	if (!strcmp(argv[1], "sleep")) {
		usleep(n * 1000);
		n = 5;
		argv[1] = "hit";
	}
	if (!strcmp(argv[1], "hit")) {
		for (i = 0; i < n; i++)
			on += work(i, "hello");
		printf("enabled=%ld\n", on);
		return 0;
	}
	if (!strcmp(argv[1], "ops")) {
		for (i = 0; i < n; i++)
			ops(i);
		return 0;
	}
	if (!strcmp(argv[1], "watch")) {
		long end = now_ms() + n;
		int last = query_enabled();

		signal(SIGTERM, on_term);
		setvbuf(stdout, NULL, _IOLBF, 0);
		printf("sem=%d\nready\n", last);
		while (!stop && now_ms() < end) {
			int cur = query_enabled();

			if (cur != last)
				printf("sem=%d\n", cur);
			last = cur;
			usleep(2000);
		}
		return 0;
	}
	return 2;
}
