// SPDX-License-Identifier: GPL-2.0
/*
 * The ktrace labs' framework: the commands every lab program answers
 * (lab.h has the list and the state layout).  LAB_NUM (the NN of the
 * lab's file name) comes from user/labs/Makefile.
 */
#include "lab.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef LAB_NUM
#error "LAB_NUM must be defined (user/labs/Makefile)"
#endif

/* seconds a forgotten lab runs before its workload ends itself */
#define LAB_LIFETIME_DEFAULT 3600
/* seconds `start` waits for the workload to record its answer */
#define LAB_START_WAIT 20

static char state_dir[256];	/* $KTRACE_LAB_STATE/NN */
static char *argv_area;		/* argv's strings, rewritten by lab_name() */
static size_t argv_len;

static void path_of(char *buf, size_t len, const char *file)
{
	snprintf(buf, len, "%s/%s", state_dir, file);
}

unsigned int lab_rand(unsigned int n)
{
	unsigned int r;

	if (n <= 1)
		return 0;
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned int)lab_now_ns() ^ (unsigned int)getpid() * 2654435761u;
	return r % n;
}

void lab_shuffle(const char **v, unsigned int n)
{
	unsigned int i, j;
	const char *t;

	for (i = n; i > 1; i--) {
		j = lab_rand(i);
		t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

unsigned long long lab_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ull + t.tv_nsec;
}

void lab_sleep_ms(unsigned int ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000l };

	while (nanosleep(&t, &t) && errno == EINTR)
		;
}

void lab_spin_us(unsigned int us)
{
	unsigned long long end = lab_now_ns() + us * 1000ull;
	volatile unsigned long x = 0;

	while (lab_now_ns() < end)
		for (int i = 0; i < 200; i++)
			x = x * 6364136223846793005ul + 1;
}

static void die_write(const char *fmt, va_list ap)
{
	fprintf(stderr, "ktrace-lab %02d: ", LAB_NUM);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void lab_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	die_write(fmt, ap);
	va_end(ap);
	kill(0, SIGKILL);
	_exit(1);
}

/* an error of a command: message, exit status 2 */
static void __attribute__((format(printf, 1, 2), noreturn)) fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	die_write(fmt, ap);
	va_end(ap);
	exit(2);
}

void lab_write_file(const char *path, size_t len)
{
	char buf[4096];
	int fd;

	memset(buf, 'k', sizeof(buf));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		lab_die("create %s: %s", path, strerror(errno));
	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		if (write(fd, buf, n) != (ssize_t)n)
			lab_die("write %s: %s", path, strerror(errno));
		len -= n;
	}
	close(fd);
}

void lab_answer(const char *fmt, ...)
{
	char tmp[300], path[300];
	va_list ap;
	FILE *f;
	int fd;

	path_of(tmp, sizeof(tmp), "answer.tmp");
	path_of(path, sizeof(path), "answer");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f)
		lab_die("%s: %s", tmp, strerror(errno));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	if (fclose(f) || rename(tmp, path))
		lab_die("%s: %s", path, strerror(errno));
}

void lab_name(const char *name)
{
	prctl(PR_SET_NAME, name, 0, 0, 0);
	if (argv_area && argv_len) {
		memset(argv_area, 0, argv_len);
		strncpy(argv_area, name, argv_len - 1);
	}
}

pid_t lab_fork(void)
{
	pid_t parent = getpid(), pid;

	pid = fork();
	if (pid < 0)
		lab_die("fork: %s", strerror(errno));
	if (pid == 0) {
		/* the leader's SIGTERM/SIGALRM handlers end the whole group:
		 * not for a helper (a lab may signal its own processes) */
		signal(SIGTERM, SIG_DFL);
		signal(SIGALRM, SIG_DFL);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(0);
	}
	return pid;
}

/* ------------------------------------------------------------ state --- */

static int read_file(const char *file, char *buf, size_t len)
{
	char path[300];
	ssize_t n;
	int fd;

	path_of(path, sizeof(path), file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		buf[--n] = 0;
	return 0;
}

static void write_state(const char *file, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void write_state(const char *file, const char *fmt, ...)
{
	char path[300];
	va_list ap;
	FILE *f;
	int fd;

	path_of(path, sizeof(path), file);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f)
		fail("%s: %s", path, strerror(errno));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f))
		fail("%s: %s", path, strerror(errno));
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static void workdir_of(char *buf, size_t len)
{
	snprintf(buf, len, "%s/ktrace-lab.%02d", env_or("KTRACE_LAB_TMP", "/tmp"), LAB_NUM);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path) && errno != ENOENT ? -1 : 0;
}

static int rm_tree(const char *path)
{
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) && errno != ENOENT)
		return -1;
	return 0;
}

/* processes of process group pgid that are still alive (not zombies) */
static int group_alive(pid_t pgid)
{
	struct dirent *d;
	int n = 0;
	DIR *dir;

	dir = opendir("/proc");
	if (!dir)
		return kill(-pgid, 0) == 0;
	while ((d = readdir(dir))) {
		char path[300], buf[512], *p, state;
		int fd, pgrp;
		ssize_t r;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		r = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (r <= 0)
			continue;
		buf[r] = 0;
		/* pid (comm) state ppid pgrp: comm may hold anything but ')' ends it */
		p = strrchr(buf, ')');
		if (p && sscanf(p + 1, " %c %*d %d", &state, &pgrp) == 2 &&
		    pgrp == pgid && state != 'Z' && state != 'X')
			n++;
	}
	closedir(dir);
	return n;
}

static pid_t running_pgid(void)
{
	char buf[32];
	long v;

	if (read_file("pgid", buf, sizeof(buf)))
		return 0;
	v = strtol(buf, NULL, 10);
	return v > 1 && group_alive((pid_t)v) ? (pid_t)v : 0;
}

/* kill the workload and remove its files; 0, or -1 with a message */
static int cleanup(void)
{
	char buf[32], work[256];
	pid_t pgid = 0;
	int i;

	if (!read_file("pgid", buf, sizeof(buf)))
		pgid = (pid_t)strtol(buf, NULL, 10);
	if (pgid > 1) {
		kill(-pgid, SIGKILL);
		for (i = 0; group_alive(pgid); i++) {
			if (i == 1000) {
				fprintf(stderr, "ktrace-lab %02d: process group %d did not end\n",
					LAB_NUM, (int)pgid);
				return -1;
			}
			lab_sleep_ms(10);
		}
	}
	if (lab.cleanup)
		lab.cleanup();
	workdir_of(work, sizeof(work));
	if (rm_tree(work) || rm_tree(state_dir)) {
		fprintf(stderr, "ktrace-lab %02d: removing %s or %s: %s\n", LAB_NUM, work,
			state_dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* --------------------------------------------------------- commands --- */

static void need_running(void)
{
	if (!running_pgid())
		fail("lab %d is not running (ktrace-lab start %d)", LAB_NUM, LAB_NUM);
}

static void lifetime_over(int sig)
{
	kill(0, SIGKILL);
}

/* the background side of start: the process group's leader */
static void __attribute__((noreturn)) leader(const struct lab_run *run)
{
	char log[300];
	int fd;

	path_of(log, sizeof(log), "log");
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		close(fd);
	}
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd >= 0) {
		dup2(fd, 2);
		close(fd);
	}
	signal(SIGTERM, lifetime_over);
	signal(SIGALRM, lifetime_over);
	alarm((unsigned int)atoi(env_or("KTRACE_LAB_LIFETIME", "3600")) ?: LAB_LIFETIME_DEFAULT);
	if (chdir(run->workdir))
		lab_die("chdir %s: %s", run->workdir, strerror(errno));
	lab.work(run);
	lab_die("the workload returned");
}

static int cmd_start(void)
{
	static struct lab_run run;
	char buf[256];
	pid_t pid;
	int i;

	if (running_pgid())
		fail("lab %d is already running (ktrace-lab stop %d)", LAB_NUM, LAB_NUM);
	if (cleanup())	/* what a lab that died left behind */
		return 2;
	snprintf(buf, sizeof(buf), "%s", env_or("KTRACE_LAB_STATE", "/run/ktrace-lab"));
	if (mkdir(buf, 0700) && errno != EEXIST)
		fail("mkdir %s: %s", buf, strerror(errno));
	if (mkdir(state_dir, 0700))
		fail("mkdir %s: %s", state_dir, strerror(errno));
	workdir_of(run.workdir, sizeof(run.workdir));
	if (mkdir(run.workdir, 0755))
		fail("mkdir %s: %s", run.workdir, strerror(errno));
	write_state("hints", "0\n");
	if (lab.setup)
		lab.setup(&run);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (pid == 0) {
		setsid();
		leader(&run);
	}
	write_state("pgid", "%d\n", (int)pid);
	/* the workload records the truth once it knows it (a pid, say) */
	for (i = 0; read_file("answer", buf, sizeof(buf)); i++) {
		if (i == LAB_START_WAIT * 100 || waitpid(pid, NULL, WNOHANG) == pid) {
			read_file("log", buf, sizeof(buf));
			cleanup();
			fail("the workload did not start (%s)", buf);
		}
		lab_sleep_ms(10);
	}
	printf("lab %d: %s\n\n", LAB_NUM, lab.title);
	printf(lab.symptom, run.shown);
	printf("\n\nFind the culprit with ktrace, then: ktrace-lab check %d ANSWER\n"
	       "(ktrace-lab hint %d for a hint, ktrace-lab stop %d to end the lab)\n",
	       LAB_NUM, LAB_NUM, LAB_NUM);
	return 0;
}

static int cmd_hint(void)
{
	unsigned int n = 0, shown = 0;
	char buf[32];

	need_running();
	while (lab.hints[n])
		n++;
	if (!read_file("hints", buf, sizeof(buf)))
		shown = (unsigned int)strtoul(buf, NULL, 10);
	if (shown >= n) {
		printf("no more hints (%u given): ktrace-lab solution %d shows the reference solution\n",
		       n, LAB_NUM);
		return 0;
	}
	printf("hint %u/%u: %s\n", shown + 1, n, lab.hints[shown]);
	write_state("hints", "%u\n", shown + 1);
	return 0;
}

static void trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	while (isspace((unsigned char)s[i]))
		i++;
	memmove(s, s + i, n - i + 1);
}

/* "N[ns|us|ms|s]" (ms without a unit) in ns; -1 if it is not a duration */
static long long duration_ns(const char *s)
{
	static const struct { const char *unit; long long ns; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 }, { "", 1000000 },
	};
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0 || v > 1e15)
		return -1;
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit))
			return (long long)(v * units[i].ns);
	return -1;
}

static int matches(char *ans, const char *truth)
{
	long long lo, hi, v;
	char *p, *end;

	trim(ans);
	switch (lab.kind) {
	case LAB_PID:
		v = strtoll(ans, &end, 10);
		return end != ans && !*end && v == strtoll(truth, NULL, 10);
	case LAB_FUNC:
		p = strrchr(ans, '`');
		if (p)
			ans = p + 1;
		p = strchr(ans, '+');
		if (p)
			*p = 0;
		trim(ans);
		return !strcmp(ans, truth);
	case LAB_FILE:
		p = strrchr(ans, '/');
		return !strcmp(p ? p + 1 : ans, truth);
	case LAB_BAND:
		v = duration_ns(ans);
		return v >= 0 && sscanf(truth, "%lld %lld", &lo, &hi) == 2 && v >= lo && v < hi;
	case LAB_TEXT:
		break;
	}
	return !strcmp(ans, truth);
}

static int cmd_check(int argc, char **argv)
{
	char truth[256], ans[512] = "";

	need_running();
	for (int i = 0; i < argc; i++)	/* the answer may come in words */
		snprintf(ans + strlen(ans), sizeof(ans) - strlen(ans), "%s%s", i ? " " : "", argv[i]);
	if (!*ans)
		fail("usage: ktrace-lab check %d ANSWER", LAB_NUM);
	if (read_file("answer", truth, sizeof(truth)))
		fail("lab %d has no recorded answer (restart it)", LAB_NUM);
	if (matches(ans, truth)) {
		printf("right: that is the culprit. Well done! (ktrace-lab stop %d ends the lab)\n",
		       LAB_NUM);
		return 0;
	}
	printf("wrong: '%s' is not the culprit; keep digging (ktrace-lab hint %d)\n", ans, LAB_NUM);
	return 1;
}

static int cmd_stop(void)
{
	struct stat st;

	if (stat(state_dir, &st)) {
		printf("lab %d is not running\n", LAB_NUM);
		return 0;
	}
	if (cleanup())
		return 2;
	printf("lab %d stopped\n", LAB_NUM);
	return 0;
}

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %02d-lab info|start|hint|check ANSWER|stop|solution|teaches\n"
		"(run through ktrace-lab(8): ktrace-lab CMD %d ...)\n", LAB_NUM, LAB_NUM);
	exit(status);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (argc > 0) {
		argv_area = argv[0];
		argv_len = argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0];
	}
	snprintf(state_dir, sizeof(state_dir), "%s/%02d",
		 env_or("KTRACE_LAB_STATE", "/run/ktrace-lab"), LAB_NUM);
	if (!strcmp(cmd, "info")) {
		printf("%-6s %s\n", lab.level, lab.title);
		return 0;
	}
	if (!strcmp(cmd, "teaches")) {
		printf("%s\n", lab.teaches);
		return 0;
	}
	if (!strcmp(cmd, "solution")) {
		printf("%s", lab.solution);
		return 0;
	}
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
		usage(0);
	if (strcmp(cmd, "start") && strcmp(cmd, "hint") && strcmp(cmd, "check") &&
	    strcmp(cmd, "stop"))
		usage(2);
	if (strcmp(cmd, "check") ? argc != 2 : argc < 3)
		usage(2);
	if (geteuid() != 0)
		fail("labs run as root (the workloads and ktrace need it)");
	if (!strcmp(cmd, "start"))
		return cmd_start();
	if (!strcmp(cmd, "hint"))
		return cmd_hint();
	if (!strcmp(cmd, "check"))
		return cmd_check(argc - 2, argv + 2);
	return cmd_stop();
}
