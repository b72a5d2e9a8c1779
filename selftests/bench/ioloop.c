// SPDX-License-Identifier: GPL-2.0
/*
 * ioloop DEV N - N direct 4 KiB reads of block device DEV (B9).
 *
 * O_DIRECT bypasses the page cache, so every pread(2) is exactly one block
 * request issued to the driver (one block_rq_issue) and completed (one
 * block_rq_complete); on null_blk the device does no work of its own.
 * Prints "ns_per_op=X ops=N total_ns=T" with one op per request.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include "bench.h"

#define IOSZ 4096

int main(int argc, char **argv)
{
	unsigned long long n, i, t0, t1;
	void *buf;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: ioloop DEV N\n");
		return 2;
	}
	n = bench_arg("ioloop", "N", argv[2]);
	fd = open(argv[1], O_RDONLY | O_DIRECT);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	if (posix_memalign(&buf, IOSZ, IOSZ)) {
		fprintf(stderr, "ioloop: out of memory\n");
		return 1;
	}
	for (i = 0; i < 200; i++)
		if (pread(fd, buf, IOSZ, 0) != IOSZ)
			goto fail;
	t0 = bench_now_ns();
	for (i = 0; i < n; i++)
		if (pread(fd, buf, IOSZ, (off_t)(i % 256) * IOSZ) != IOSZ)
			goto fail;
	t1 = bench_now_ns();
	printf("ns_per_op=%.1f ops=%llu total_ns=%llu\n",
	       (double)(t1 - t0) / n, n, t1 - t0);
	return 0;
fail:
	perror("ioloop: pread");
	return 1;
}
