// SPDX-License-Identifier: GPL-2.0
/*
 * xload: the known workload of test_prometheus.sh (run in the guest).
 *   xload R1 R2 R3 C
 * reads /dev/zero R1 times 100 bytes, R2 times 1000, R3 times 5000, then
 * makes C TCP connections to itself over loopback (each accepted).
 * Linked statically: no loader reads of its own.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[5000];

int main(int argc, char **argv)
{
	static const int size[3] = { 100, 1000, 5000 };
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	int fd, i, k, n, ls, c, s;

	if (argc != 5)
		return 2;
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0)
		return 1;
	for (k = 0; k < 3; k++)
		for (n = atoi(argv[k + 1]), i = 0; i < n; i++)
			if (read(fd, buf, size[k]) != size[k])
				return 1;
	close(fd);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 64) < 0 ||
	    getsockname(ls, (struct sockaddr *)&a, &al) < 0)
		return 1;
	for (n = atoi(argv[4]), i = 0; i < n; i++) {
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
			return 1;
		s = accept(ls, NULL, NULL);
		if (s < 0)
			return 1;
		close(s);
		close(c);
	}
	close(ls);
	return 0;
}
