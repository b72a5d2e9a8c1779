// SPDX-License-Identifier: GPL-2.0
/*
 * Deterministic workloads for the tool selftests (test_*.sh):
 *   toolwork open PATH N     open(PATH) N times (O_RDONLY), closing each
 *   toolwork malloc N SIZE   N malloc(SIZE) calls (each freed)
 *   toolwork read N          N read(2)s of 64 bytes from /dev/zero
 *   toolwork kill SIG        kill(getpid(), SIG) with SIG ignored, then
 *                            kill(999999, 0) (fails with ESRCH)
 *   toolwork spin MS         burn CPU in user mode for MS milliseconds
 *   toolwork sys MS          make getppid() calls (kernel work) for MS ms
 *   toolwork getppid N       exactly N getppid() calls
 *   toolwork forkexec N      N times: fork, and the child execs
 *                            /proc/self/exe nop execmark-K (K = 1..N, N <= 5)
 *                            right away, with string constants only (their
 *                            pages are not mapped in the child yet); waits
 *   toolwork nop [ARG...]    nothing (the program forkexec runs)
 *   toolwork fsync PATH N    create PATH (O_CREAT|O_EXCL), N x (write 1 byte,
 *                            fsync), N x fdatasync, unlink PATH
 *   toolwork pause N         N pause(2)s, each ended by a 20 ms SIGALRM that
 *                            has a handler: the kernel returns
 *                            -ERESTARTNOHAND (514) until the signal is taken
 *   toolwork pipe N MS       threads tw_writer and tw_reader over a pipe:
 *                            the writer N times makes a byte (produce_byte,
 *                            user-mode work), writes it, sleeps MS ms;
 *                            the reader makes exactly N 1-byte read(2)s,
 *                            each blocked until the writer's byte (so
 *                            every read but the first lasts >= MS ms)
 * Run without arguments (as the selftest runner does), it reports a KTAP
 * skip: it is a helper, not a test.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* spin_leaf -> spin_mix: two frames of user stack for the profile tests */
__attribute__((noinline)) static unsigned long spin_mix(unsigned long x)
{
	__asm__ volatile("" ::: "memory");
	return x * 6364136223846793005ul + 1442695040888963407ul;
}

__attribute__((noinline)) static unsigned long spin_leaf(unsigned long x)
{
	for (int i = 0; i < 100000; i++)
		x = spin_mix(x);
	return x;
}

/* toolwork pipe: the writer's work before each byte (on-CPU frames by name) */
struct pipework {
	int	fd[2];
	long	n, ms;
};

__attribute__((noinline)) static char produce_byte(long i)
{
	unsigned long x = (unsigned long)i;

	for (int k = 0; k < 20; k++)
		x = spin_mix(x);
	return (char)x;
}

static void *pipe_writer(void *arg)
{
	struct pipework *w = arg;
	struct timespec ts = { w->ms / 1000, (w->ms % 1000) * 1000000 };

	pthread_setname_np(pthread_self(), "tw_writer");
	for (long i = 0; i < w->n; i++) {
		char c = produce_byte(i);

		if (write(w->fd[1], &c, 1) != 1)
			return (void *)1;
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void *pipe_reader(void *arg)
{
	struct pipework *w = arg;
	char c;

	pthread_setname_np(pthread_self(), "tw_reader");
	for (long i = 0; i < w->n; i++)
		if (read(w->fd[0], &c, 1) != 1)
			return (void *)1;
	return NULL;
}

static int pipework(long n, long ms)
{
	struct pipework w = { .n = n, .ms = ms };
	pthread_t wr, rd;
	void *rw, *rr;

	if (n < 1 || ms < 1 || ms > 10000 || pipe(w.fd) < 0)
		return 2;
	if (pthread_create(&rd, NULL, pipe_reader, &w) ||
	    pthread_create(&wr, NULL, pipe_writer, &w))
		return 1;
	pthread_join(wr, &rw);
	pthread_join(rd, &rr);
	return rw || rr;
}

/* the child execs at once: nothing of .rodata is faulted in on its side */
static int forkexec(long n)
{
	static const char *const marks[] = {
		"execmark-1", "execmark-2", "execmark-3", "execmark-4", "execmark-5",
	};
	int status;

	if (n < 1 || n > 5)
		return 2;
	for (long i = 0; i < n; i++) {
		pid_t p = fork();

		if (p < 0)
			return 1;
		if (p == 0) {
			char *av[] = { "toolwork", "nop", (char *)marks[i], NULL };

			execv("/proc/self/exe", av);
			_exit(127);
		}
		if (waitpid(p, &status, 0) != p || !WIFEXITED(status) || WEXITSTATUS(status))
			return 1;
	}
	return 0;
}

/* a new file: 1 create, n fsync() and n fdatasync() of it, then unlink */
static int fsyncs(const char *path, long n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

	if (fd < 0)
		return 1;
	for (long i = 0; i < n; i++)
		if (write(fd, "x", 1) != 1 || fsync(fd) < 0)
			return 1;
	for (long i = 0; i < n; i++)
		if (fdatasync(fd) < 0)
			return 1;
	close(fd);
	return unlink(path) < 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	volatile unsigned long sink = 0;
	long n, end;
	char buf[64];
	int fd;

	if (argc < 2) {
		printf("KTAP version 1\n1..0 # SKIP toolwork is a helper of test_*.sh\n");
		return 4;
	}
	if (!strcmp(argv[1], "open") && argc == 4) {
		n = atol(argv[3]);
		for (long i = 0; i < n; i++) {
			fd = open(argv[2], O_RDONLY);
			if (fd >= 0)
				close(fd);
		}
	} else if (!strcmp(argv[1], "malloc") && argc == 4) {
		size_t sz = (size_t)atol(argv[3]);

		n = atol(argv[2]);
		for (long i = 0; i < n; i++) {
			char *p = malloc(sz);

			if (p)
				p[0] = 1;
			sink += (unsigned long)p;
			free(p);
		}
	} else if (!strcmp(argv[1], "read") && argc == 3) {
		fd = open("/dev/zero", O_RDONLY);
		n = atol(argv[2]);
		for (long i = 0; i < n; i++)
			if (read(fd, buf, sizeof(buf)) < 0)
				return 1;
		close(fd);
	} else if (!strcmp(argv[1], "kill") && argc == 3) {
		int sig = atoi(argv[2]);

		signal(sig, SIG_IGN);
		kill(getpid(), sig);
		kill(999999, 0);
	} else if (!strcmp(argv[1], "spin") && argc == 3) {
		end = now_ms() + atol(argv[2]);
		while (now_ms() < end)
			sink += spin_leaf(sink);
	} else if (!strcmp(argv[1], "sys") && argc == 3) {
		end = now_ms() + atol(argv[2]);
		while (now_ms() < end)
			for (int i = 0; i < 1000; i++)
				sink += syscall(SYS_getppid);
	} else if (!strcmp(argv[1], "getppid") && argc == 3) {
		n = atol(argv[2]);
		for (long i = 0; i < n; i++)
			sink += syscall(SYS_getppid);
	} else if (!strcmp(argv[1], "forkexec") && argc == 3) {
		return forkexec(atol(argv[2]));
	} else if (!strcmp(argv[1], "nop")) {
		return 0;
	} else if (!strcmp(argv[1], "fsync") && argc == 4) {
		return fsyncs(argv[2], atol(argv[3]));
	} else if (!strcmp(argv[1], "pipe") && argc == 4) {
		return pipework(atol(argv[2]), atol(argv[3]));
	} else if (!strcmp(argv[1], "pause") && argc == 3) {
		struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
		struct sigaction sa = { .sa_handler = on_alarm };

		sigaction(SIGALRM, &sa, NULL);
		setitimer(ITIMER_REAL, &it, NULL);
		n = atol(argv[2]);
		for (long i = 0; i < n; i++)
			syscall(SYS_pause);
	} else {
		fprintf(stderr, "toolwork: bad arguments (see the source)\n");
		return 2;
	}
	return 0;
}
