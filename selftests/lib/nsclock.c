// SPDX-License-Identifier: GPL-2.0
/*
 * nsclock [realtime|monotonic|boottime]: print the clock in nanoseconds
 * (busybox date has no %N).  Default monotonic.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	clockid_t id = CLOCK_MONOTONIC;
	struct timespec ts;

	if (argc > 1 && !strcmp(argv[1], "realtime"))
		id = CLOCK_REALTIME;
	else if (argc > 1 && !strcmp(argv[1], "boottime"))
		id = CLOCK_BOOTTIME;
	if (clock_gettime(id, &ts))
		return 1;
	printf("%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	return 0;
}
