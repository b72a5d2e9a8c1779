// SPDX-License-Identifier: GPL-2.0
/*
 * rdloop N - read one byte from /dev/zero N times (B1, B2, B3, B7).
 *
 * Every iteration is exactly one read(2) syscall, one vfs_read() call and
 * one sys_enter_read/sys_exit_read pair, so the traced-minus-untraced time
 * per iteration is the per-event cost of the tracer.  Prints
 * "ns_per_op=X ops=N total_ns=T" on stdout.
 */
#include <fcntl.h>
#include <unistd.h>
#include "bench.h"

int main(int argc, char **argv)
{
	unsigned long long n, i, t0, t1;
	char c;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: rdloop N\n");
		return 2;
	}
	n = bench_arg("rdloop", "N", argv[1]);
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0) {
		perror("rdloop: /dev/zero");
		return 1;
	}
	/* warm up: fault in the code and the file's paths */
	for (i = 0; i < 1000; i++)
		if (read(fd, &c, 1) != 1)
			goto fail;
	t0 = bench_now_ns();
	for (i = 0; i < n; i++)
		if (read(fd, &c, 1) != 1)
			goto fail;
	t1 = bench_now_ns();
	printf("ns_per_op=%.1f ops=%llu total_ns=%llu\n",
	       (double)(t1 - t0) / n, n, t1 - t0);
	return 0;
fail:
	perror("rdloop: read");
	return 1;
}
