// SPDX-License-Identifier: GPL-2.0
/*
 * keyloop K PASSES - close(2) of the invalid descriptors KEYLOOP_FD_BASE,
 * +1, ..., +K-1, PASSES times over (B13: an aggregation keyed on the
 * descriptor grows to K distinct keys during the first pass, and every
 * later pass updates keys already in the table).
 *
 * Each close fails with EBADF: one syscall and nothing else.  Prints
 *   ns_per_op=X ops=N total_ns=T ins_ns=A upd_ns=B
 * with the mean over all passes, over the first (insert) pass and over
 * the later (update) passes (0 with one pass).
 */
#include <unistd.h>
#include "bench.h"

#define KEYLOOP_FD_BASE 4000000

int main(int argc, char **argv)
{
	unsigned long long k, passes, p, i, t0, t1, t2;

	if (argc != 3) {
		fprintf(stderr, "usage: keyloop K PASSES\n");
		return 2;
	}
	k = bench_arg("keyloop", "K", argv[1]);
	passes = bench_arg("keyloop", "PASSES", argv[2]);
	if (k > 100000000) {
		fprintf(stderr, "keyloop: K %llu is more than 100000000\n", k);
		return 2;
	}
	/* warm up on descriptors outside the keys */
	for (i = 0; i < 1000; i++)
		close((int)(KEYLOOP_FD_BASE - 1 - i % 10));
	t0 = bench_now_ns();
	for (i = 0; i < k; i++)
		close((int)(KEYLOOP_FD_BASE + i));
	t1 = bench_now_ns();
	for (p = 1; p < passes; p++)
		for (i = 0; i < k; i++)
			close((int)(KEYLOOP_FD_BASE + i));
	t2 = bench_now_ns();
	printf("ns_per_op=%.1f ops=%llu total_ns=%llu ins_ns=%.1f upd_ns=%.1f\n",
	       (double)(t2 - t0) / (k * passes), k * passes, t2 - t0,
	       (double)(t1 - t0) / k, passes > 1 ? (double)(t2 - t1) / (k * (passes - 1)) : 0.0);
	return 0;
}
