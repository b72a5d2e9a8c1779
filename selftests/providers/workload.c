// SPDX-License-Identifier: GPL-2.0
/*
 * Deterministic workloads for the provider tests (providers.sh):
 *   workload read N      N read(2)s of 7 bytes from /dev/zero, then one
 *                        read(-1) (fails with EBADF)
 *   workload call N      N calls of kt_target(i, 7) (for uprobe/pid)
 *   workload spin MS     burn CPU in user mode for MS milliseconds
 *   workload sleep MS    sleep, then N=3 calls of kt_target
 *   workload malloc N    N calls of malloc(4242) (each freed)
 *   workload strlen N    N calls of strlen() on a string of KT_STRLEN_LEN
 *                        (4243) bytes (glibc's strlen is an indirect
 *                        function: the pid provider probes what it resolves to)
 *   workload fork N      N children, each _exit(7)s (reaped)
 *   workload kill N      N children, each killed by SIGTERM while it sleeps
 *   workload abort N     N children, each calls abort() in /tmp (SIGABRT, core
 *                        size unlimited: it dumps core where the kernel can)
 *                        fork, kill and abort print "child PID HOW" for each
 *                        child as its wait status says: exited, killed, dumped
 *   workload threads N   N threads, each created and joined in turn
 *   workload signal N    N raise(SIGUSR1)s with a handler, then one SIGUSR2
 *                        sent to itself while ignored
 *   workload exec N      exec itself (argv[0]) as "workload read 0" (N unused)
 *   workload tcp PORT    on loopback: listen on 127.0.0.2:PORT, connect to
 *                        it, accept, send KT_TCP_CBYTES (1000) bytes from the
 *                        client in one write and KT_TCP_SBYTES (2000) back in
 *                        one write, close (client first); then connect to
 *                        PORT+1, where nothing listens (refused).  The
 *                        client's address is 127.0.0.1.  Prints
 *                        "tcp CLIENTPORT" and "refused CLIENTPORT".
 *   workload tcp6 PORT   the same over IPv6 (::1); exits 3 ("noipv6") if the
 *                        guest has no IPv6 loopback
 *   workload udp PORT    on loopback: a socket bound to 127.0.0.2:PORT gets
 *                        one datagram of KT_UDP_CBYTES (1234) bytes from an
 *                        unconnected socket and answers it with one of
 *                        KT_UDP_SBYTES (321) bytes (from 127.0.0.1); then the
 *                        same on [::1]:PORT (skipped, "noipv6", without IPv6).
 *                        Prints "udp4 CLIENTPORT" and "udp6 CLIENTPORT".
 *   workload mmaplock N  a thread maps, fills and unmaps 4 MiB N times (its
 *                        address space's mmap_lock taken for writing) while
 *                        another faults pages in over and over (for
 *                        reading): the readers wait for the writer
 *   workload touch N     write once to each of N new pages mapped at
 *                        KT_TOUCH_ADDR (no huge pages): N page faults there
 *                        (a 2 ms pause every 64: under perf's sampling limit)
 *   workload naps N      N round trips of a byte through pipes with a child,
 *                        both on one CPU: the parent sleeps in its read
 *                        once per round whatever the timing (the child
 *                        replies only once it sees it asleep there; a
 *                        short sleep may expire before it blocks under TCG)
 *   workload yield N     sched_yield() N times
 *   workload cpuspin MS  pinned to the first CPU it may use, busy until its
 *                        thread has MS ms of CPU time; prints "cpu_ns NS"
 *                        (its thread's CPU time, CLOCK_THREAD_CPUTIME_ID)
 *                        and "loc_irqs N" (the local timer interrupts of
 *                        its CPU meanwhile, /proc/interrupts LOC:)
 *   workload affinity N  sched_getaffinity() N times (each takes and drops
 *                        its own task's pi_lock, a raw spinlock)
 *   workload setpgid N   setpgid(0, 0) N times (each takes and drops
 *                        tasklist_lock, an rwlock_t, for writing)
 *   workload pipe N      N one-byte writes to a pipe nobody reads (each takes
 *                        and drops the pipe's mutex); prints "pipe_writes N"
 *   workload execfail N  execve() of the path /nonexistent/ktrace-N, which
 *                        fails (ENOENT); exits 0 when it did
 * workload-dyn is the same program linked dynamically (pid provider on a
 * library that is mapped only after the probes are enabled).
 * Run without arguments (as the selftest runner does), it reports a KTAP
 * skip: it is a helper, not a test.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define KT_STRLEN_LEN	4243	/* workload strlen: the length each call returns */

__attribute__((noinline)) long kt_target(long a, long b)
{
	__asm__ volatile("" ::: "memory");
	return a * 1000 + b;
}

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	handled++;
}

static void *thread_fn(void *arg)
{
	return arg;
}

/* N children, each ending as how says: 'e' _exit(7), 'k' SIGTERM, 'a' abort() */
static int children(long n, char how)
{
	struct rlimit core = { RLIM_INFINITY, RLIM_INFINITY };
	long i;

	for (i = 0; i < n; i++) {
		pid_t c = fork();
		int st;

		if (c < 0)
			return 1;
		if (!c) {
			if (how == 'e')
				_exit(7);
			if (how == 'a') {
				if (setrlimit(RLIMIT_CORE, &core) || chdir("/tmp"))
					_exit(1);
				abort();
			}
			pause();
			_exit(1);
		}
		if (how == 'k') {
			usleep(1000);
			kill(c, SIGTERM);
		}
		if (waitpid(c, &st, 0) != c)
			return 1;
		printf("child %d %s\n", (int)c, WIFEXITED(st) ? "exited" :
		       WCOREDUMP(st) ? "dumped" : "killed");
		fflush(stdout);
	}
	return 0;
}

#define KT_TOUCH_ADDR	0x100000000000UL	/* cpc.sh's page-fault range starts here */

static int touch(long n)
{
	char *p = mmap((void *)KT_TOUCH_ADDR, n * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	long i;

	if (p != (char *)KT_TOUCH_ADDR)
		return 1;
	/* EINVAL: a kernel without THP (the debug kernel): no huge page to avoid */
	if (madvise(p, n * 4096, MADV_NOHUGEPAGE) && errno != EINVAL)
		return 1;
	for (i = 0; i < n; i++) {
		if (i && !(i % 64))
			usleep(2000);
		p[i * 4096] = 1;
	}
	return 0;
}

#define KT_TCP_CBYTES	1000
#define KT_TCP_SBYTES	2000
#define KT_UDP_CBYTES	1234
#define KT_UDP_SBYTES	321

/*
 * The server's loopback address of family af, port port: 127.0.0.2 (any
 * 127/8 address is the host's; a client's packets to it come from
 * 127.0.0.1, so each direction has its own addresses) or ::1.
 */
static socklen_t lo_addr(int af, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		a->sin6_addr = in6addr_loopback;
		return sizeof(*a);
	}
	((struct sockaddr_in *)ss)->sin_family = AF_INET;
	((struct sockaddr_in *)ss)->sin_port = htons(port);
	((struct sockaddr_in *)ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1);
	return sizeof(struct sockaddr_in);
}

static int local_port(int fd)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	return ntohs(a.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&a)->sin6_port :
			 ((struct sockaddr_in *)&a)->sin_port);
}

/* IPv6 on loopback: a socket can bind to ::1 (not so with IPv6 disabled) */
static int have_ipv6(void)
{
	struct sockaddr_storage a;
	socklen_t len = lo_addr(AF_INET6, 0, &a);
	int fd = socket(AF_INET6, SOCK_DGRAM, 0), ok;

	ok = fd >= 0 && !bind(fd, (struct sockaddr *)&a, len);
	if (fd >= 0)
		close(fd);
	return ok;
}

/* read exactly n bytes */
static int read_all(int fd, char *b, size_t n)
{
	while (n) {
		ssize_t r = read(fd, b, n);

		if (r <= 0)
			return -1;
		b += r;
		n -= r;
	}
	return 0;
}

static int tcp_conn(int af, int port)
{
	static char b[KT_TCP_SBYTES];
	struct sockaddr_storage a;
	socklen_t alen = lo_addr(af, port, &a);
	int one = 1, l, c, s;

	if (af == AF_INET6 && !have_ipv6()) {
		printf("noipv6\n");
		return 3;
	}
	memset(b, 'x', sizeof(b));
	l = socket(af, SOCK_STREAM, 0);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, alen) || listen(l, 4))
		return 1;
	c = socket(af, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, alen))
		return 1;
	s = accept(l, NULL, NULL);
	if (s < 0 || write(c, b, KT_TCP_CBYTES) != KT_TCP_CBYTES ||
	    read_all(s, b, KT_TCP_CBYTES) || write(s, b, KT_TCP_SBYTES) != KT_TCP_SBYTES ||
	    read_all(c, b, KT_TCP_SBYTES))
		return 1;
	printf("tcp %d\n", local_port(c));
	close(c);
	if (read(s, b, 1) != 0)	/* the client's FIN */
		return 1;
	close(s);
	close(l);
	alen = lo_addr(af, port + 1, &a);
	c = socket(af, SOCK_STREAM, 0);
	if (c < 0 || !connect(c, (struct sockaddr *)&a, alen) || errno != ECONNREFUSED)
		return 1;
	printf("refused %d\n", local_port(c));
	close(c);
	fflush(stdout);
	return 0;
}

/* one datagram each way between a bound and an unconnected socket of family af */
static int udp_pair(int af, int port)
{
	static char b[KT_UDP_CBYTES];
	struct sockaddr_storage a, from;
	socklen_t alen = lo_addr(af, port, &a), flen = sizeof(from);
	int srv, cli;

	memset(b, 'u', sizeof(b));
	srv = socket(af, SOCK_DGRAM, 0);
	cli = socket(af, SOCK_DGRAM, 0);
	if (srv < 0 || cli < 0 || bind(srv, (struct sockaddr *)&a, alen) ||
	    sendto(cli, b, KT_UDP_CBYTES, 0, (struct sockaddr *)&a, alen) != KT_UDP_CBYTES ||
	    recvfrom(srv, b, sizeof(b), 0, (struct sockaddr *)&from, &flen) != KT_UDP_CBYTES ||
	    sendto(srv, b, KT_UDP_SBYTES, 0, (struct sockaddr *)&from, flen) != KT_UDP_SBYTES ||
	    recv(cli, b, sizeof(b), 0) != KT_UDP_SBYTES)
		return 1;
	printf("udp%c %d\n", af == AF_INET6 ? '6' : '4', local_port(cli));
	close(cli);
	close(srv);
	return 0;
}

static int udp_both(int port)
{
	if (udp_pair(AF_INET, port))
		return 1;
	if (!have_ipv6())
		printf("noipv6\n");
	else if (udp_pair(AF_INET6, port))
		return 1;
	fflush(stdout);
	return 0;
}

static volatile int mmaplock_done;

static void *faulter(void *arg)
{
	char *p = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long i;

	if (p == MAP_FAILED)
		return arg;
	while (!mmaplock_done) {
		for (i = 0; i < 1 << 16; i += 4096)
			p[i] = 1;
		madvise(p, 1 << 16, MADV_DONTNEED);
	}
	munmap(p, 1 << 16);
	return NULL;
}

static int mmaplock(long n)
{
	pthread_t t;
	long i;

	if (pthread_create(&t, NULL, faulter, NULL))
		return 1;
	for (i = 0; i < n; i++) {
		char *p = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

		if (p == MAP_FAILED)
			return 1;
		munmap(p, 4 << 20);
	}
	mmaplock_done = 1;
	return pthread_join(t, NULL) ? 1 : 0;
}

/* The state letter of process pid (/proc/PID/stat), 0 if unknown */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	p = strrchr(buf, ')');	/* the comm may hold anything */
	return p && p[1] == ' ' ? p[2] : 0;
}

static int naps(long n)
{
	int to[2], from[2], st;
	cpu_set_t one;
	long i;
	pid_t c;
	char b = 0;

	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof(one), &one) || pipe(to) || pipe(from))
		return 1;
	c = fork();
	if (c < 0)
		return 1;
	if (!c) {
		pid_t parent = getppid();
		char st;

		close(to[1]);
		close(from[0]);
		while (read(to[0], &b, 1) == 1) {
			/*
			 * reply once the parent sleeps in its read: woken by
			 * the byte, this child may run first (wakeup
			 * preemption), and a reply written before the parent
			 * reads would let it go on without sleeping
			 */
			while ((st = proc_state(parent)) && st != 'S')
				sched_yield();
			if (write(from[1], &b, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	for (i = 0; i < n; i++)
		if (write(to[1], &b, 1) != 1 || read(from[0], &b, 1) != 1)
			return 1;
	close(to[1]);
	return waitpid(c, &st, 0) != c || st;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static long thread_cpu_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* CPU c's count of local timer interrupts (/proc/interrupts LOC:), -1 if unknown */
static long loc_irqs(int c)
{
	char line[4096], *p, *e;
	long v = -1;
	FILE *f = fopen("/proc/interrupts", "r");
	int i;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		p = line + strspn(line, " ");
		if (strncmp(p, "LOC:", 4))
			continue;
		p += 4;
		for (i = 0; i <= c; i++) {
			v = strtol(p, &e, 10);
			if (e == p) {
				v = -1;
				break;
			}
			p = e;
		}
		break;
	}
	fclose(f);
	return v;
}

/* Busy on one CPU until this thread has ms of CPU time. */
static int cpuspin(long ms)
{
	cpu_set_t set, one;
	long t0, spent, loc0;
	int c;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	for (c = 0; c < CPU_SETSIZE && !CPU_ISSET(c, &set); c++)
		;
	CPU_ZERO(&one);
	CPU_SET(c, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		return 1;
	loc0 = loc_irqs(c);
	t0 = thread_cpu_ns();
	do
		spent = thread_cpu_ns() - t0;
	while (spent < ms * 1000000L);
	printf("cpu_ns %ld\nloc_irqs %ld\n", spent, loc0 < 0 ? -1 : loc_irqs(c) - loc0);
	return 0;
}

int main(int argc, char **argv)
{
	char buf[16];
	long n, i, s = 0;
	int fd;

	if (argc < 3) {
		printf("KTAP version 1\n1..0 # SKIP helper program of providers.sh\n");
		return 4;
	}
	n = atol(argv[2]);
	if (!strcmp(argv[1], "read")) {
		fd = open("/dev/zero", O_RDONLY);
		if (fd < 0)
			return 1;
		for (i = 0; i < n; i++)
			if (read(fd, buf, 7) != 7)
				return 1;
		return read(-1, buf, 1) == -1 ? 0 : 1;
	}
	if (!strcmp(argv[1], "call")) {
		for (i = 0; i < n; i++)
			s += kt_target(i, 7);
		return s == 0;
	}
	if (!strcmp(argv[1], "spin")) {
		long end = now_ms() + n;

		while (now_ms() < end)
			s++;
		return 0;
	}
	if (!strcmp(argv[1], "malloc")) {
		for (i = 0; i < n; i++) {
			void *volatile p = malloc(4242);

			free(p);
		}
		return 0;
	}
	if (!strcmp(argv[1], "strlen")) {
		static char str[KT_STRLEN_LEN + 1];
		size_t (*volatile len)(const char *) = strlen;	/* a call, not a builtin */

		memset(str, 'k', KT_STRLEN_LEN);
		for (i = 0; i < n; i++)
			s += len(str) == KT_STRLEN_LEN;
		return s != n;
	}
	if (!strcmp(argv[1], "fork"))
		return children(n, 'e');
	if (!strcmp(argv[1], "kill"))
		return children(n, 'k');
	if (!strcmp(argv[1], "abort"))
		return children(n, 'a');
	if (!strcmp(argv[1], "threads")) {
		for (i = 0; i < n; i++) {
			pthread_t t;

			if (pthread_create(&t, NULL, thread_fn, NULL) || pthread_join(t, NULL))
				return 1;
		}
		return 0;
	}
	if (!strcmp(argv[1], "signal")) {
		signal(SIGUSR1, on_usr1);
		for (i = 0; i < n; i++)
			raise(SIGUSR1);
		signal(SIGUSR2, SIG_IGN);
		kill(getpid(), SIGUSR2);
		return handled == n ? 0 : 1;
	}
	if (!strcmp(argv[1], "mmaplock"))
		return mmaplock(n);
	if (!strcmp(argv[1], "tcp"))
		return tcp_conn(AF_INET, n);
	if (!strcmp(argv[1], "tcp6"))
		return tcp_conn(AF_INET6, n);
	if (!strcmp(argv[1], "udp"))
		return udp_both(n);
	if (!strcmp(argv[1], "yield")) {
		for (i = 0; i < n; i++)
			sched_yield();
		return 0;
	}
	if (!strcmp(argv[1], "cpuspin"))
		return cpuspin(n);
	if (!strcmp(argv[1], "affinity")) {
		cpu_set_t set;

		for (i = 0; i < n; i++)
			if (sched_getaffinity(0, sizeof(set), &set))
				return 1;
		return 0;
	}
	if (!strcmp(argv[1], "setpgid")) {
		for (i = 0; i < n; i++)
			setpgid(0, 0);
		return 0;
	}
	if (!strcmp(argv[1], "pipe")) {
		int pfd[2];

		if (pipe(pfd))
			return 1;
		for (i = 0; i < n; i++)
			if (write(pfd[1], "k", 1) != 1)
				return 1;
		printf("pipe_writes %ld\n", n);
		return 0;
	}
	if (!strcmp(argv[1], "execfail")) {
		char path[64];

		snprintf(path, sizeof(path), "/nonexistent/ktrace-%ld", n);
		execl(path, path, (char *)NULL);
		return errno == ENOENT ? 0 : 1;
	}
	if (!strcmp(argv[1], "exec")) {
		execl(argv[0], argv[0], "read", "0", (char *)NULL);
		return 1;
	}
	if (!strcmp(argv[1], "touch"))
		return touch(n);
	if (!strcmp(argv[1], "naps"))
		return naps(n);
	if (!strcmp(argv[1], "sleep")) {
		usleep(n * 1000);
		for (i = 0; i < 3; i++)
			s += kt_target(i, 7);
		return 0;
	}
	return 2;
}
