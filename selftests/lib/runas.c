// SPDX-License-Identifier: GPL-2.0
/*
 * runas UID[:GID] COMMAND [ARG...]: drop every privilege (supplementary groups,
 * gid, uid) and exec COMMAND.  The guest's busybox has no setpriv; tests of
 * unprivileged access use this.  "nobody" is accepted for 65534:65534.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long uid, gid;
	char *end;

	if (argc < 3) {
		fprintf(stderr, "usage: runas UID[:GID]|nobody COMMAND [ARG...]\n");
		return 2;
	}
	if (!strcmp(argv[1], "nobody")) {
		uid = gid = 65534;
	} else {
		uid = strtoul(argv[1], &end, 10);
		gid = uid;
		if (*end == ':')
			gid = strtoul(end + 1, &end, 10);
		if (*end) {
			fprintf(stderr, "runas: bad id '%s'\n", argv[1]);
			return 2;
		}
	}
	if (setgroups(0, NULL) || setgid(gid) || setuid(uid)) {
		fprintf(stderr, "runas: dropping privileges: %s\n", strerror(errno));
		return 126;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "runas: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
