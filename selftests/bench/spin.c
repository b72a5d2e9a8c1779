// SPDX-License-Identifier: GPL-2.0
/*
 * spin N - CPU-bound workload for the profiling case (B6): N rounds of a
 * xorshift generator with no system calls.  A timer-sampling tracer slows it
 * only by the time its sampling interrupts steal.  Prints
 * "ns_per_op=X ops=N total_ns=T sink=S" (sink keeps the loop alive).
 */
#include "bench.h"

#define SPIN_INNER 1000

int main(int argc, char **argv)
{
	unsigned long long n, i, t0, t1;
	unsigned long long x = 88172645463325252ull;
	int j;

	if (argc != 2) {
		fprintf(stderr, "usage: spin N   (N rounds of %d steps)\n", SPIN_INNER);
		return 2;
	}
	n = bench_arg("spin", "N", argv[1]);
	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		for (j = 0; j < SPIN_INNER; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		__asm__ volatile("" : "+r"(x));
	}
	t1 = bench_now_ns();
	printf("ns_per_op=%.1f ops=%llu total_ns=%llu sink=%llu\n",
	       (double)(t1 - t0) / n, n, t1 - t0, x & 0xff);
	return 0;
}
