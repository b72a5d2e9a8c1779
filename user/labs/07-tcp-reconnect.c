// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 7: a TCP client that reconnects for every request.
 *
 * kvstore listens on 127.0.0.1 (a port picked per start); four clients,
 * named at random from a list of plausible services, send it ten requests
 * a second each.  Three keep their connection open; one, picked per start,
 * connects, sends one request and closes, every time.  The answer is that
 * client's pid.
 */
#include "lab.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CLIENTS 4
#define MAXFD 64

static const char *names[] = {
	"api-gateway", "billing", "search", "reports", "mailer", "scheduler", "thumbnailer",
};

static int listener(struct sockaddr_in *addr)
{
	int s, one = 1;

	for (unsigned int tries = 0; tries < 50; tries++) {
		s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0)
			lab_die("socket");
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		addr->sin_family = AF_INET;
		addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		addr->sin_port = htons(20000 + lab_rand(20000));
		if (!bind(s, (struct sockaddr *)addr, sizeof(*addr)) && !listen(s, 64))
			return s;
		close(s);
	}
	lab_die("no free port on 127.0.0.1");
}

/* one request: "GET key\n" -> "VALUE\n" */
static int request(int s)
{
	char buf[64];

	if (write(s, "GET k\n", 6) != 6)
		return -1;
	return read(s, buf, sizeof(buf)) > 0 ? 0 : -1;
}

static int dial(const struct sockaddr_in *addr)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s >= 0 && connect(s, (const struct sockaddr *)addr, sizeof(*addr))) {
		close(s);
		s = -1;
	}
	return s;
}

static void client(const char *name, const struct sockaddr_in *addr, int reconnect)
{
	int s = -1;

	lab_name(name);
	for (;;) {
		if (s < 0)
			s = dial(addr);
		if (s >= 0 && (request(s) || reconnect)) {
			close(s);
			s = -1;
		}
		lab_sleep_ms(100);
	}
}

static void server(int ls)
{
	struct pollfd fds[MAXFD];
	unsigned int n = 1;
	char buf[256];

	lab_name("kvstore");
	fds[0].fd = ls;
	fds[0].events = POLLIN;
	for (;;) {
		if (poll(fds, n, -1) < 0)
			continue;
		for (unsigned int i = n; i-- > 1;) {
			if (!fds[i].revents)
				continue;
			if (read(fds[i].fd, buf, sizeof(buf)) <= 0 || write(fds[i].fd, "v\n", 2) != 2) {
				close(fds[i].fd);
				fds[i] = fds[--n];
			}
		}
		if (fds[0].revents & POLLIN) {
			int c = accept(ls, NULL, NULL);

			if (c >= 0 && n < MAXFD) {
				fds[n].fd = c;
				fds[n++].events = POLLIN;
			} else if (c >= 0) {
				close(c);
			}
		}
	}
}

static void work(const struct lab_run *run)
{
	const char *n[sizeof(names) / sizeof(names[0])];
	unsigned int culprit = lab_rand(CLIENTS);
	struct sockaddr_in addr;
	int ls;
	pid_t pid;

	lab_name("kvstore");
	ls = listener(&addr);
	memcpy(n, names, sizeof(n));
	lab_shuffle(n, sizeof(n) / sizeof(n[0]));
	for (unsigned int i = 0; i < CLIENTS; i++) {
		pid = lab_fork();
		if (pid == 0) {
			close(ls);
			client(n[i], &addr, i == culprit);
		}
		if (i == culprit)
			lab_answer("%d", (int)pid);
	}
	server(ls);
}

const struct lab lab = {
	.title = "a key-value store drowning in new connections",
	.level = "easy",
	.teaches = "syscall provider (connect, accept4), count() by pid and execname",
	.symptom =
	"\"kvstore on this box accepts hundreds of new connections a minute and\n"
	"TIME_WAIT sockets pile up, though it has only four clients, all of which\n"
	"are supposed to keep their connection open. Which client reconnects?\"",
	.kind = LAB_PID,
	.hints = {
		"Characterise the connections: who opens them, how often?",
		"A client opens a TCP connection with connect(2): syscall::connect:entry fires in the client.",
		"ktrace -n 'syscall::connect:entry { @[pid, execname] = count(); }' counts them by process.",
		"The answer is the pid of the client that connects over and over.",
		NULL,
	},
	.solution =
	"# 1. connections accepted by the server and made by clients, for 3 s\n"
	"ktrace -q -n 'syscall::accept*:return /execname == \"kvstore\" && arg0 >= 0/ { @a = count(); }\n"
	"\tsyscall::connect:entry { @c[pid, execname] = count(); }\n"
	"\ttick-3s { printa(\"accepted: %@d\\n\", @a); printa(\"%d %s %@d\\n\", @c); exit(0); }' | tee /tmp/lab-kvstore.out\n"
	"# 2. the answer: the client with the most connects (last line)\n"
	"awk 'NF == 3 && $1 ~ /^[0-9]+$/ { p = $1 } END { print p }' /tmp/lab-kvstore.out\n",
	.work = work,
};
