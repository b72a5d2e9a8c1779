// SPDX-License-Identifier: GPL-2.0
/*
 * An application whose probes are written in a D provider file
 * (usdt_gen.d) and compiled from the header `ktrace -h` generated from it,
 * for usdt.sh:
 *   usdt_gen N   N times: KTGEN_START("gen", i); KTGEN_QUERY_DONE(i,
 *                i * 1000, i + 200) only when KTGEN_QUERY_DONE_ENABLED();
 *                KTGEN_TICK(); prints "enabled=K" (iterations that saw
 *                query-done enabled)
 * Run without arguments (as the selftest runner does), it reports a KTAP
 * skip: it is a helper, not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include "usdt_gen_probes.h"

__attribute__((noinline)) static int step(int i)
{
	int on = 0;

	KTGEN_START("gen", i);
	if (KTGEN_QUERY_DONE_ENABLED()) {
		KTGEN_QUERY_DONE(i, (long long)i * 1000, (unsigned char)(i + 200));
		on = 1;
	}
	KTGEN_TICK();
	__asm__ volatile("" ::: "memory");
	return on;
}

int main(int argc, char **argv)
{
	int n, i, on = 0;

	if (argc < 2) {
		printf("KTAP version 1\n1..0 # SKIP helper program of usdt.sh\n");
		return 4;
	}
	n = atoi(argv[1]);
	for (i = 0; i < n; i++)
		on += step(i);
	printf("enabled=%d\n", on);
	return 0;
}
