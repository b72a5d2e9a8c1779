// SPDX-License-Identifier: GPL-2.0
/*
 * tstart first|whole CMD [ARG...] - startup timing for B5.
 *
 *   whole  fork, exec CMD (stdout to /dev/null), wait for it: prints
 *          "ms=X rc=R", the wall time from before fork() to its exit.
 *   first  fork, exec CMD with stdout on a pipe, then generate one event
 *          (close(2) of the invalid descriptor 2000000) about every 100 us
 *          until CMD prints a line that is exactly "hit": prints
 *          "ms=X rc=R" with X the wall time from before fork() to that
 *          line, and R CMD's exit status (CMD is expected to exit() on its
 *          first event; it is sent SIGINT if it does not within 30 s).
 * A command that fails or never reports prints "ms=-1 rc=R" and exits 1.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

#define TSTART_EVENT_FD 2000000
#define TSTART_LIMIT_NS (60ull * 1000000000ull)

static pid_t spawn(char **argv, int out_fd)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("tstart: fork");
		exit(1);
	}
	if (pid == 0) {
		dup2(out_fd, 1);
		if (out_fd > 2)
			close(out_fd);
		execvp(argv[0], argv);
		perror("tstart: exec");
		_exit(127);
	}
	return pid;
}

static int exit_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int run_whole(char **argv)
{
	unsigned long long t0, t1;
	int null, status;
	pid_t pid;

	null = open("/dev/null", O_WRONLY);
	t0 = bench_now_ns();
	pid = spawn(argv, null);
	close(null);
	if (waitpid(pid, &status, 0) < 0) {
		perror("tstart: waitpid");
		return 1;
	}
	t1 = bench_now_ns();
	if (exit_code(status)) {
		printf("ms=-1 rc=%d\n", exit_code(status));
		return 1;
	}
	printf("ms=%.2f rc=0\n", (t1 - t0) / 1e6);
	return 0;
}

/* Scan @buf for a complete line "hit"; keeps a partial last line. */
static int saw_hit(char *buf, size_t *len)
{
	char *p = buf, *nl;

	while ((nl = memchr(p, '\n', *len - (p - buf)))) {
		*nl = 0;
		if (!strcmp(p, "hit") || !strcmp(p, "hit\r"))
			return 1;
		p = nl + 1;
	}
	*len -= p - buf;
	memmove(buf, p, *len);
	return 0;
}

static int run_first(char **argv)
{
	unsigned long long t0, t_hit = 0;
	char buf[8192];
	size_t len = 0;
	int fds[2], status = 0, sent_int = 0, eof = 0;
	pid_t pid;

	if (pipe(fds)) {
		perror("tstart: pipe");
		return 1;
	}
	t0 = bench_now_ns();
	pid = spawn(argv, fds[1]);
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd pfd = { fds[0], POLLIN, 0 };
		pid_t w;

		if (!t_hit)
			close(TSTART_EVENT_FD);
		if (!eof && poll(&pfd, 1, 0) > 0) {
			ssize_t r = read(fds[0], buf + len, sizeof(buf) - 1 - len);

			if (r == 0)
				eof = 1;
			if (r > 0) {
				len += r;
				if (!t_hit && saw_hit(buf, &len))
					t_hit = bench_now_ns();
				if (len == sizeof(buf) - 1)
					len = 0;	/* overlong line: not "hit" */
			}
		}
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (!sent_int && bench_now_ns() - t0 > TSTART_LIMIT_NS / 2) {
			kill(pid, SIGINT);
			sent_int = 1;
		}
		if (bench_now_ns() - t0 > TSTART_LIMIT_NS) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(100);
	}
	/* output written just before the exit may still be in the pipe */
	if (!t_hit && !eof) {
		ssize_t r;

		fcntl(fds[0], F_SETFL, 0);
		while (!t_hit && (r = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0) {
			len += r;
			if (saw_hit(buf, &len))
				t_hit = bench_now_ns();
			if (len == sizeof(buf) - 1)
				len = 0;
		}
	}
	if (!t_hit) {
		printf("ms=-1 rc=%d\n", exit_code(status));
		return 1;
	}
	printf("ms=%.2f rc=%d\n", (t_hit - t0) / 1e6, exit_code(status));
	return 0;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 3 && !strcmp(argv[1], "whole"))
		return run_whole(argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "first"))
		return run_first(argv + 2);
	fprintf(stderr, "usage: tstart first|whole CMD [ARG...]\n");
	return 2;
}
