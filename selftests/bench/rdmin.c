// SPDX-License-Identifier: GPL-2.0
/*
 * rdmin B M - read one byte from /dev/zero in B batches of M reads and
 * report the fastest batch (selftests/bench/fbt-phase).
 *
 * rdloop's workload (one read(2), one vfs_read() call per operation), timed
 * per batch: on a shared host the guest's vCPU loses its host CPU now and
 * then, and a whole run's mean carries that; a short batch that was not
 * interrupted (by the host or the guest's tick) is the cost of the path
 * itself, and the fastest of many batches is that batch.  Prints
 * "ns_per_op=MIN p10=X median=Y batches=B size=M" on stdout (ns per read;
 * p10 and median of the batches for the spread).
 */
#include <fcntl.h>
#include <unistd.h>
#include "bench.h"

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	unsigned long long b, m, i, j, t0;
	double *ns;
	char c;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: rdmin BATCHES SIZE\n");
		return 2;
	}
	b = bench_arg("rdmin", "BATCHES", argv[1]);
	m = bench_arg("rdmin", "SIZE", argv[2]);
	ns = calloc(b, sizeof(*ns));
	fd = open("/dev/zero", O_RDONLY);
	if (!ns || fd < 0) {
		perror("rdmin");
		return 1;
	}
	for (i = 0; i < 1000; i++)
		if (read(fd, &c, 1) != 1)
			goto fail;
	for (i = 0; i < b; i++) {
		t0 = bench_now_ns();
		for (j = 0; j < m; j++)
			if (read(fd, &c, 1) != 1)
				goto fail;
		ns[i] = (double)(bench_now_ns() - t0) / m;
	}
	qsort(ns, b, sizeof(*ns), cmp);
	printf("ns_per_op=%.1f p10=%.1f median=%.1f batches=%llu size=%llu\n",
	       ns[0], ns[b / 10], ns[b / 2], b, m);
	return 0;
fail:
	perror("rdmin: read");
	return 1;
}
