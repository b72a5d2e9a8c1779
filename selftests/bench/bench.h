/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the benchmark workloads (selftests/bench/): a monotonic
 * clock in nanoseconds and a strict argument parser.
 */
#ifndef KTRACE_BENCH_H
#define KTRACE_BENCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline unsigned long long bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Parse a positive integer argument or exit with a usage error. */
static inline unsigned long long bench_arg(const char *prog, const char *what,
					   const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v == 0) {
		fprintf(stderr, "%s: bad %s '%s' (want a positive integer)\n",
			prog, what, s);
		exit(2);
	}
	return v;
}

#endif /* KTRACE_BENCH_H */
