// SPDX-License-Identifier: GPL-2.0
/*
 * pace MS GAP_MS RATE... - paced event source for the streaming case (B4).
 *
 * Runs one phase per RATE (events per second, or "max" for as fast as
 * possible), each MS milliseconds long, with GAP_MS milliseconds of quiet
 * between phases so a tracer can drain its buffers.  An event is one
 * close(2) of the invalid descriptor 1000000 + phase index (it fails with
 * EBADF), so a tracer can tell the phases apart with a predicate on the
 * descriptor and print one line per event; comparing its line count per
 * phase with "sent" gives the drops.  Prints one line per phase:
 *   phase=I fd=F target=R sent=K ns=T eps=E
 * (target=0 for "max").
 */
#include <string.h>
#include <unistd.h>
#include "bench.h"

#define PACE_FD_BASE 1000000

static void sleep_ms(unsigned long long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Wait until the monotonic clock reaches @deadline; sleep when far away. */
static void wait_until(unsigned long long deadline)
{
	unsigned long long now;

	while ((now = bench_now_ns()) < deadline) {
		if (deadline - now > 2000000) {
			struct timespec ts = { 0, (long)(deadline - now - 1000000) };

			nanosleep(&ts, NULL);
		}
	}
}

static void phase(int idx, unsigned long long rate, unsigned long long ms)
{
	unsigned long long t0, t1, end, k = 0;
	int fd = PACE_FD_BASE + idx;

	t0 = bench_now_ns();
	end = t0 + ms * 1000000ull;
	if (rate) {
		unsigned long long total = rate * ms / 1000;

		for (k = 0; k < total; k++) {
			wait_until(t0 + k * 1000000000ull / rate);
			close(fd);
		}
	} else {
		do {
			/* check the clock every 64 events only */
			for (int j = 0; j < 64; j++)
				close(fd);
			k += 64;
		} while (bench_now_ns() < end);
	}
	t1 = bench_now_ns();
	printf("phase=%d fd=%d target=%llu sent=%llu ns=%llu eps=%.0f\n", idx,
	       fd, rate, k, t1 - t0, k * 1e9 / (double)(t1 - t0));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	unsigned long long ms, gap;
	int i;

	if (argc < 4) {
		fprintf(stderr, "usage: pace MS GAP_MS RATE|max...\n");
		return 2;
	}
	ms = bench_arg("pace", "MS", argv[1]);
	gap = bench_arg("pace", "GAP_MS", argv[2]);
	for (i = 3; i < argc; i++) {
		unsigned long long rate = 0;

		if (strcmp(argv[i], "max"))
			rate = bench_arg("pace", "RATE", argv[i]);
		phase(i - 3, rate, ms);
		sleep_ms(gap);
	}
	return 0;
}
