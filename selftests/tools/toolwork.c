// SPDX-License-Identifier: GPL-2.0
/*
 * Deterministic workloads for the tool selftests (test_*.sh):
 *   toolwork open PATH N     open(PATH) N times (O_RDONLY), closing each
 *   toolwork malloc N SIZE   N malloc(SIZE) calls (each freed)
 *   toolwork read N          N read(2)s of 64 bytes from /dev/zero
 *   toolwork kill SIG        kill(getpid(), SIG) with SIG ignored, then
 *                            kill(999999, 0) (fails with ESRCH)
 *   toolwork spin MS         burn CPU in user mode for MS milliseconds
 *   toolwork spincpu CPU MS  as spin, bound to CPU (sched_setaffinity)
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
 *                            20000 spin_mix calls of user-mode work: ~50 us
 *                            native, ~2 ms under TCG), writes it, sleeps MS ms;
 *                            the reader makes exactly N 1-byte read(2)s,
 *                            each blocked until the writer's byte (so
 *                            every read but the first lasts >= MS ms)
 *   toolwork exit CODE       exit with status CODE (0..255)
 *   toolwork die SIG         end by signal SIG (its default action restored)
 *   toolwork stat PATH N     stat(PATH) N times (the libc call: newfstatat
 *                            or statx, as the C library chooses)
 *   toolwork sleep N MS      N nanosleep()s of MS milliseconds each
 *   toolwork naps N MS       N times: nanosleep(MS ms), poll(no fds, MS),
 *                            select(no fds, MS ms)
 *   toolwork fork N          N times: fork, the child _exit(0)s; waits
 *   toolwork setuid UID      fork; the child calls setgid(UID), then
 *                            setuid(UID), and exits; waits
 *   toolwork tcp PORT N [MS] listen on 127.0.0.1:PORT, then N times: connect,
 *                            accept, the client sends 1000 bytes and the
 *                            server 2000, (with MS: both wait MS ms), both
 *                            close (client first)
 *   toolwork refused PORT N  N connects to 127.0.0.1:PORT, where nothing
 *                            listens: each SYN is answered by a reset
 *   toolwork backlog PORT N  listen on 127.0.0.1:PORT with backlog N (N <= 64),
 *                            connect N times without accepting (the accept
 *                            queue holds 0, 1, ..., N - 1 as each comes),
 *                            wait until all N are queued, close all
 *   toolwork udp PORT N      a socket bound to 127.0.0.1:PORT and another on a
 *                            port of its own: N times the second sends 100
 *                            bytes to the first (sendto), which receives
 *                            them (recvfrom) and sends 300 back, received
 *                            the same way
 *   toolwork synretrans PORT listen on 127.0.0.1:PORT with a full accept
 *                            queue: a second connect's SYN is dropped and
 *                            retransmitted (after ~1 s); waits 1.5 s
 *   toolwork leak N SIZE K MS  leak_malloc: N malloc(SIZE), then frees the
 *                            first K of them; leak_calloc: one calloc(3, SIZE);
 *                            leak_realloc: one malloc(SIZE) grown by realloc
 *                            to 2 x SIZE (the malloc'ed block is gone); then
 *                            sleeps MS ms and exits: outstanding are N - K
 *                            blocks of SIZE, 3 x SIZE and 2 x SIZE, one stack each
 *   toolwork uffd            exit 0 if the kernel has userfaultfd (slowrw), else 3
 *   toolwork slowrw PATH MS  create PATH and write(2) it twice, 4096 bytes
 *                            each: the first from a page of its own whose
 *                            fault (userfaultfd) a helper thread resolves
 *                            after MS ms (the write lasts >= MS ms), the
 *                            second from ready memory (fast); then two
 *                            read(2)s of 4096 bytes, the first slow the same
 *                            way, the second fast; unlinks PATH
 *   toolwork tmpfile PATH MS create PATH (O_CREAT|O_EXCL), write 1 byte, sleep
 *                            MS ms, unlink PATH
 *   toolwork oom LIMIT MB    a memory cgroup limited to LIMIT MiB (cgroup2,
 *                            mounted on /sys/fs/cgroup if it is not), and in
 *                            it a child named kt_oomhog, oom_score_adj 1000,
 *                            that touches MB MiB of new anonymous memory,
 *                            1 MiB at a time, until the OOM killer ends it;
 *                            prints "kt_oomhog PID STATUS" (the wait status),
 *                            removes the cgroup; exits 0 if SIGKILL ended
 *                            the child, 4 without a memory controller
 *   toolwork faults N        touch_pages writes to N new anonymous pages (N
 *                            user-mode page faults), then read_pages reads
 *                            4096 bytes of /dev/zero into each of N more new
 *                            pages (N faults taken in the kernel, in read(2))
 *   toolwork swaptouch MB    write to every page of MB MiB of new anonymous
 *                            memory, then read every page again (in a memory
 *                            cgroup smaller than MB, with swap on, the second
 *                            pass reads pages back from swap)
 * Run without arguments (as the selftest runner does), it reports a KTAP
 * skip: it is a helper, not a test.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

	for (int k = 0; k < 20000; k++)
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

/* a TCP socket bound to (listen) or connected to 127.0.0.1:port */
static int tcp_socket(int port, int listening, int backlog)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return -1;
	if (listening) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, backlog) < 0)
			goto fail;
	} else if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* n connections to port: 1000 bytes client -> server, 2000 back, ms held */
static int tcp_sessions(int port, long n, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	static char buf[2000];
	int l = tcp_socket(port, 1, 16);

	if (l < 0)
		return 1;
	for (long i = 0; i < n; i++) {
		int c = tcp_socket(port, 0, 0), s = c < 0 ? -1 : accept(l, NULL, NULL);

		if (s < 0 || write(c, buf, 1000) != 1000 || read(s, buf, 1000) != 1000 ||
		    write(s, buf, 2000) != 2000)
			return 1;
		for (int got = 0, r; got < 2000; got += r)
			if ((r = read(c, buf, sizeof(buf))) <= 0)
				return 1;
		if (ms)
			nanosleep(&ts, NULL);
		close(c);
		close(s);
	}
	close(l);
	return 0;
}

/* n UDP exchanges: 100 bytes to 127.0.0.1:port, 300 bytes back */
static int udp_exchanges(int port, long n)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) }, from;
	int r = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0);
	static char buf[300];
	socklen_t fl;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (r < 0 || s < 0 || bind(r, (struct sockaddr *)&a, sizeof(a)) < 0)
		return 1;
	for (long i = 0; i < n; i++) {
		fl = sizeof(from);
		if (sendto(s, buf, 100, 0, (struct sockaddr *)&a, sizeof(a)) != 100 ||
		    recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl) != 100 ||
		    sendto(r, buf, 300, 0, (struct sockaddr *)&from, fl) != 300)
			return 1;
		fl = sizeof(from);
		if (recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl) != 300)
			return 1;
	}
	close(s);
	close(r);
	return 0;
}

/* n connections queued on a listener that does not accept them */
static int backlog(int port, long n)
{
	int l = tcp_socket(port, 1, (int)n), c[64];
	long i;

	if (l < 0 || n < 1 || n > 64)
		return 1;
	for (i = 0; i < n; i++)
		if ((c[i] = tcp_socket(port, 0, 0)) < 0)
			return 1;
	/*
	 * connect() returns once the client has sent the handshake's last
	 * ACK; the listener completes the connection when that ACK is
	 * processed, which on a loaded machine can come later.  Closing the
	 * listener first would race with the last completions (one could see
	 * the queue the close has just emptied).  Wait, 10 s at most, until
	 * all n are in the accept queue: a listener's TCP_INFO gives its
	 * length in tcpi_unacked.
	 */
	for (i = 0; i < 10000; i++) {
		struct tcp_info ti;
		socklen_t len = sizeof(ti);

		if (!getsockopt(l, IPPROTO_TCP, TCP_INFO, &ti, &len) && ti.tcpi_unacked >= n)
			break;
		usleep(1000);
	}
	for (i = 0; i < n; i++)
		close(c[i]);
	close(l);
	return 0;
}

/*
 * A listener with backlog 0 whose queue the first connection fills: the
 * second connection's SYN is dropped, and the kernel retransmits it
 */
static int syn_retrans(int port)
{
	int l = tcp_socket(port, 1, 0), c1 = tcp_socket(port, 0, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int c2 = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || c1 < 0 || c2 < 0)
		return 1;
	fcntl(c2, F_SETFL, O_NONBLOCK);
	connect(c2, (struct sockaddr *)&a, sizeof(a));
	usleep(1500000);
	close(c2);
	close(c1);
	close(l);
	return 0;
}

/*
 * toolwork leak: each allocator is called from a function of its own (its
 * stack), not as a tail call, so that frame stays on the stack
 */
static void *leak_blocks[1002];

__attribute__((noinline)) static int leak_malloc(long n, size_t sz)
{
	for (long i = 0; i < n; i++)
		if (!(leak_blocks[i] = malloc(sz)))
			return 1;
	return 0;
}

__attribute__((noinline)) static int leak_calloc(size_t sz)
{
	leak_blocks[1000] = calloc(3, sz);
	return !leak_blocks[1000];
}

__attribute__((noinline)) static int leak_realloc(size_t sz)
{
	void *p = malloc(sz);

	leak_blocks[1001] = p ? realloc(p, 2 * sz) : NULL;
	return !leak_blocks[1001];
}

static int leak(long n, long sz, long k, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	if (n < 1 || n > 1000 || k < 0 || k > n || sz < 1 || sz > 1 << 20 || ms < 0)
		return 2;
	if (leak_malloc(n, (size_t)sz))
		return 1;
	for (long i = 0; i < k; i++)
		free(leak_blocks[i]);
	if (leak_calloc((size_t)sz) || leak_realloc((size_t)sz))
		return 1;
	nanosleep(&ts, NULL);
	return 0;
}

/*
 * toolwork slowrw: a page registered with userfaultfd, not yet present; the
 * first touch (the kernel copying to or from it in write(2) or read(2))
 * waits until the helper thread fills it, ms milliseconds later
 */
struct slowpage {
	int	uffd;
	long	ms;
};

static void *slowpage_filler(void *arg)
{
	struct slowpage *sp = arg;
	struct timespec ts = { sp->ms / 1000, (sp->ms % 1000) * 1000000 };
	struct pollfd pfd = { .fd = sp->uffd, .events = POLLIN };
	static char fill[4096] __attribute__((aligned(4096)));
	struct uffd_msg msg;
	struct uffdio_copy cp;

	memset(fill, 'x', sizeof(fill));
	if (poll(&pfd, 1, 30000) != 1 || read(sp->uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		return (void *)1;
	nanosleep(&ts, NULL);
	cp = (struct uffdio_copy){ .dst = msg.arg.pagefault.address & ~4095ull,
				   .src = (unsigned long)fill, .len = 4096 };
	return ioctl(sp->uffd, UFFDIO_COPY, &cp) ? (void *)1 : NULL;
}

/* do one read(2) or write(2) of 4096 bytes whose user page arrives after ms */
static int slow_io(int fd, int writing, long ms)
{
	struct slowpage sp = { .ms = ms };
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_t t;
	void *tr;
	ssize_t n;

	sp.uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (page == MAP_FAILED || sp.uffd < 0 || ioctl(sp.uffd, UFFDIO_API, &api))
		return 1;
	reg.range = (struct uffdio_range){ .start = (unsigned long)page, .len = 4096 };
	if (ioctl(sp.uffd, UFFDIO_REGISTER, &reg) || pthread_create(&t, NULL, slowpage_filler, &sp))
		return 1;
	n = writing ? write(fd, page, 4096) : read(fd, page, 4096);
	pthread_join(t, &tr);
	close(sp.uffd);
	munmap(page, 4096);
	return n != 4096 || tr;
}

/* toolwork uffd: exit 0 if this kernel has userfaultfd (slowrw needs it), 3 if not */
static bool have_uffd(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	bool ok = fd >= 0 && !ioctl(fd, UFFDIO_API, &api);

	if (fd >= 0)
		close(fd);
	return ok;
}

static int slowrw(const char *path, long ms)
{
	static char buf[4096];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600), bad;

	if (fd < 0 || ms < 1 || ms > 10000)
		return 2;
	bad = slow_io(fd, 1, ms) || write(fd, buf, sizeof(buf)) != sizeof(buf) ||
	      lseek(fd, 0, SEEK_SET) != 0 || slow_io(fd, 0, ms) ||
	      read(fd, buf, sizeof(buf)) != sizeof(buf);
	close(fd);
	return unlink(path) || bad;
}

/*
 * toolwork oom: the OOM killer's victim.  vm/run lets the guest's log show
 * "kt_oomhog invoked oom-killer" (and only that): the name is the test's
 * own.  A global OOM still fails the run ("Out of memory:").
 */
static void oom_hog(long mb)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);

	prctl(PR_SET_NAME, "kt_oomhog");
	if (fd < 0 || write(fd, "1000", 4) != 4)
		_exit(1);
	close(fd);
	for (long i = 0; i < mb; i++) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		memset(p, 1, 1 << 20);
	}
	_exit(3);
}

/* put_str PATH S: write S to the file PATH; 0 if it all went */
static int put_str(const char *path, const char *str)
{
	int fd = open(path, O_WRONLY);
	int ok = fd >= 0 && write(fd, str, strlen(str)) == (ssize_t)strlen(str);

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static int oom_in_cgroup(long limit_mb, long mb)
{
	const char *root = "/sys/fs/cgroup";
	char dir[128], path[192], val[32];
	int mounted = 0, status = 0;
	pid_t p;

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK)) {
		mkdir(root, 0755);
		if (mount("none", root, "cgroup2", 0, NULL))
			return 4;
		mounted = 1;
	}
	if (put_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory")) {
		status = 4;
		goto unmount;
	}
	snprintf(dir, sizeof(dir), "%s/kt_oomhog.%d", root, (int)getpid());
	if (mkdir(dir, 0755)) {
		status = 1;
		goto unmount;
	}
	snprintf(path, sizeof(path), "%s/memory.max", dir);
	snprintf(val, sizeof(val), "%ld", limit_mb << 20);
	if (put_str(path, val)) {
		status = 1;
		goto rmdir;
	}
	snprintf(path, sizeof(path), "%s/memory.swap.max", dir);
	if (!access(path, F_OK) && put_str(path, "0")) {
		status = 1;
		goto rmdir;
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	p = fork();
	if (p < 0) {
		status = 1;
		goto rmdir;
	}
	if (p == 0) {
		if (put_str(path, "0"))	/* "0": the writing process */
			_exit(1);
		oom_hog(mb);
	}
	waitpid(p, &status, 0);
	printf("kt_oomhog %d %d\n", (int)p, status);
	status = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : 3;
rmdir:
	rmdir(dir);
unmount:
	if (mounted)
		umount(root);
	return status;
}

/* toolwork faults: a fresh private anonymous mapping of n pages, no huge pages */
static char *new_pages(long n)
{
	char *p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, n * 4096, MADV_NOHUGEPAGE);
	return p;
}

__attribute__((noinline)) static int touch_pages(long n)
{
	volatile char *p = new_pages(n);

	if (!p)
		return 1;
	for (long i = 0; i < n; i++)
		p[i * 4096] = 1;
	return 0;
}

__attribute__((noinline)) static int read_pages(long n)
{
	char *p = new_pages(n);
	int fd = open("/dev/zero", O_RDONLY), bad = !p || fd < 0;

	for (long i = 0; !bad && i < n; i++)
		bad = read(fd, p + i * 4096, 4096) != 4096;
	close(fd);
	return bad;
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
	} else if (!strcmp(argv[1], "spincpu") && argc == 4) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(atoi(argv[2]), &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return 1;
		end = now_ms() + atol(argv[3]);
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
	} else if (!strcmp(argv[1], "exit") && argc == 3) {
		return atoi(argv[2]);
	} else if (!strcmp(argv[1], "die") && argc == 3) {
		signal(atoi(argv[2]), SIG_DFL);
		raise(atoi(argv[2]));
		return 1;
	} else if (!strcmp(argv[1], "stat") && argc == 4) {
		struct stat st;

		n = atol(argv[3]);
		for (long i = 0; i < n; i++)
			stat(argv[2], &st);
	} else if (!strcmp(argv[1], "sleep") && argc == 4) {
		long ms = atol(argv[3]);
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

		n = atol(argv[2]);
		for (long i = 0; i < n; i++)
			nanosleep(&ts, NULL);
	} else if (!strcmp(argv[1], "naps") && argc == 4) {
		long ms = atol(argv[3]);
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

		n = atol(argv[2]);
		for (long i = 0; i < n; i++) {
			struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

			nanosleep(&ts, NULL);
			poll(NULL, 0, (int)ms);
			select(0, NULL, NULL, NULL, &tv);
		}
	} else if (!strcmp(argv[1], "fork") && argc == 3) {
		n = atol(argv[2]);
		for (long i = 0; i < n; i++) {
			pid_t p = fork();

			if (p < 0)
				return 1;
			if (p == 0)
				_exit(0);
			waitpid(p, NULL, 0);
		}
	} else if (!strcmp(argv[1], "setuid") && argc == 3) {
		pid_t p = fork();

		if (p < 0)
			return 1;
		if (p == 0)
			_exit(setgid(atoi(argv[2])) || setuid(atoi(argv[2])));
		waitpid(p, NULL, 0);
	} else if (!strcmp(argv[1], "tcp") && (argc == 4 || argc == 5)) {
		return tcp_sessions(atoi(argv[2]), atol(argv[3]), argc == 5 ? atol(argv[4]) : 0);
	} else if (!strcmp(argv[1], "refused") && argc == 4) {
		n = atol(argv[3]);
		for (long i = 0; i < n; i++)
			if (tcp_socket(atoi(argv[2]), 0, 0) >= 0)
				return 1;
	} else if (!strcmp(argv[1], "backlog") && argc == 4) {
		return backlog(atoi(argv[2]), atol(argv[3]));
	} else if (!strcmp(argv[1], "udp") && argc == 4) {
		return udp_exchanges(atoi(argv[2]), atol(argv[3]));
	} else if (!strcmp(argv[1], "oom") && argc == 4) {
		return oom_in_cgroup(atol(argv[2]), atol(argv[3]));
	} else if (!strcmp(argv[1], "synretrans") && argc == 3) {
		return syn_retrans(atoi(argv[2]));
	} else if (!strcmp(argv[1], "swaptouch") && argc == 3) {
		long pages = atol(argv[2]) * 256;
		volatile char *p = pages > 0 && pages <= 256 * 1024 ? new_pages(pages) : NULL;

		if (!p)
			return 2;
		for (long i = 0; i < pages; i++)
			p[i * 4096] = 1;
		for (long i = 0; i < pages; i++)
			sink += p[i * 4096];
	} else if (!strcmp(argv[1], "faults") && argc == 3) {
		n = atol(argv[2]);
		if (n < 1 || n > 100000)
			return 2;
		return touch_pages(n) || read_pages(n);
	} else if (!strcmp(argv[1], "tmpfile") && argc == 4) {
		long ms = atol(argv[3]);
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

		fd = open(argv[2], O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || write(fd, "x", 1) != 1)
			return 1;
		close(fd);
		nanosleep(&ts, NULL);
		return unlink(argv[2]) < 0;
	} else if (!strcmp(argv[1], "uffd") && argc == 2) {
		return have_uffd() ? 0 : 3;
	} else if (!strcmp(argv[1], "slowrw") && argc == 4) {
		return slowrw(argv[2], atol(argv[3]));
	} else if (!strcmp(argv[1], "leak") && argc == 6) {
		return leak(atol(argv[2]), atol(argv[3]), atol(argv[4]), atol(argv[5]));
	} else {
		fprintf(stderr, "toolwork: bad arguments (see the source)\n");
		return 2;
	}
	return 0;
}
