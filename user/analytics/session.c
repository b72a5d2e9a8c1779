// SPDX-License-Identifier: GPL-2.0
/*
 * session.c: one ktrace process per instrumentation (each its own kernel
 * session, listed by `ktrace --sessions`).  ktrace runs the generated
 * program with --format json; every line it prints (one aggregation
 * snapshot per second, or one record) goes into the session's ring with a
 * sequence number and its arrival time, and the page asks for the lines
 * after the last it has.  A session stops when asked (DELETE), or when no
 * request has named it for KA_IDLE_STOP_S seconds (the page went away):
 * SIGTERM makes ktrace end its kernel session and exit; SIGKILL follows if
 * it has not exited 5 s later (the kernel tears a session down when its
 * file is released either way).
 *
 * Locking: everything here runs under ka_lock (analytics.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "analytics.h"

pthread_mutex_t ka_lock = PTHREAD_MUTEX_INITIALIZER;
const char *ka_ktrace = "ktrace";

static struct ka_session sessions[KA_MAX_SESSIONS];
static int next_id = 1;

double ka_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t wall_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}

static void ring_free(struct ka_session *s)
{
	if (!s->ring)
		return;
	for (size_t i = 0; i < KA_RING_LINES; i++)
		free(s->ring[i].text);
	free(s->ring);
	s->ring = NULL;
}

static void ring_push(struct ka_session *s, const char *text, size_t len)
{
	struct ka_line *l;
	uint64_t oldest;

	/* only what ktrace's JSON writer makes: one object per line */
	if (len < 2 || text[0] != '{' || text[len - 1] != '}') {
		s->dropped++;
		return;
	}
	l = &s->ring[s->next_seq % KA_RING_LINES];
	if (l->text) {
		s->ring_bytes -= l->len;
		free(l->text);
		l->text = NULL;
		s->dropped++;
	}
	/* over the byte budget: push out the oldest lines */
	oldest = s->next_seq >= KA_RING_LINES ? s->next_seq - KA_RING_LINES + 1 : 1;
	while (s->ring_bytes + len > KA_RING_BYTES && oldest < s->next_seq) {
		struct ka_line *o = &s->ring[oldest % KA_RING_LINES];

		if (o->text && o->seq == oldest) {
			s->ring_bytes -= o->len;
			free(o->text);
			o->text = NULL;
			s->dropped++;
		}
		oldest++;
	}
	l->text = malloc(len + 1);
	if (!l->text) {
		s->dropped++;
		return;
	}
	memcpy(l->text, text, len);
	l->text[len] = '\0';
	l->len = len;
	l->seq = s->next_seq++;
	l->t_ms = wall_ms();
	s->ring_bytes += len;
}

int ka_session_start(struct ka_instr *in, char *err, size_t errlen)
{
	struct ka_session *s = NULL;
	int out[2] = { -1, -1 }, errp[2] = { -1, -1 };
	const char *av[16 + KA_MAX_ARGS];
	int n = 0;

	for (int i = 0; i < KA_MAX_SESSIONS; i++)
		if (!sessions[i].id) {
			s = &sessions[i];
			break;
		}
	if (!s) {
		snprintf(err, errlen, "%d sessions already: stop one first", KA_MAX_SESSIONS);
		return -1;
	}
	memset(s, 0, sizeof(*s));
	s->ring = calloc(KA_RING_LINES, sizeof(*s->ring));
	if (!s->ring || pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot start ktrace: %s", strerror(errno));
		goto fail;
	}
	av[n++] = ka_ktrace;
	av[n++] = "-q";
	av[n++] = "--format";
	av[n++] = "json";
	av[n++] = "-x";
	av[n++] = "switchrate=4hz";
	av[n++] = "-x";
	av[n++] = "strsize=64";
	av[n++] = "-n";
	av[n++] = in->prog;
	av[n++] = "--";
	for (int i = 0; i < in->nmargs; i++)
		av[n++] = in->margs[i];
	av[n] = NULL;
	s->pid = fork();
	if (s->pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto fail;
	}
	if (s->pid == 0) {
		dup2(out[1], 1);
		dup2(errp[1], 2);
		setpgid(0, 0);	/* a Ctrl-C for the server is not one for it */
		/* the server dies (even SIGKILL): ktrace ends its session */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execvp(ka_ktrace, (char **)av);
		fprintf(stderr, "cannot run %s: %s\n", ka_ktrace, strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(errp[1]);
	s->out_fd = out[0];
	s->err_fd = errp[0];
	fcntl(s->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(s->err_fd, F_SETFL, O_NONBLOCK);
	s->in = *in;
	memset(in, 0, sizeof(*in));	/* the session owns the program now */
	s->id = next_id++;
	s->state = KA_STARTING;
	s->next_seq = 1;
	s->started = s->last_seen = ka_now();
	return s->id;
fail:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	ring_free(s);
	s->pid = 0;
	return -1;
}

struct ka_session *ka_session_get(int id)
{
	for (int i = 0; i < KA_MAX_SESSIONS; i++)
		if (sessions[i].id == id && id > 0)
			return &sessions[i];
	return NULL;
}

void ka_session_stop(struct ka_session *s)
{
	if (s->pid > 0 && (s->state == KA_STARTING || s->state == KA_RUNNING)) {
		kill(s->pid, SIGTERM);
		s->state = KA_STOPPED;
		s->stop_asked = ka_now();
	}
}

static const char *state_name(enum ka_state st)
{
	static const char *const names[] = { "starting", "running", "stopped", "failed" };

	return names[st];
}

/* CPU seconds of a process (utime + stime of /proc/PID/stat), -1 if gone */
static double proc_cpu_s(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

void ka_sessions_json(FILE *o)
{
	struct rusage ru;
	int first = 1;

	getrusage(RUSAGE_SELF, &ru);
	fprintf(o, "{\"server_cpu_s\":%.3f,\"sessions\":[",
		ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	for (int i = 0; i < KA_MAX_SESSIONS; i++) {
		struct ka_session *s = &sessions[i];

		if (!s->id)
			continue;
		fprintf(o, "%s{\"id\":%d,\"metric\":\"%s\",\"view\":\"%s\",\"key\":\"%s\",\"syscall\":",
			first ? "" : ",", s->id, s->in.metric, s->in.view, s->in.key);
		first = 0;
		kt_json_string(o, s->in.arg);
		fputs(",\"predicate\":", o);
		kt_json_string(o, s->in.pred_text);
		fprintf(o, ",\"state\":\"%s\",\"ktrace_pid\":%d,\"ktrace_cpu_s\":%.3f,"
			"\"lines\":%llu,\"dropped\":%llu,\"stderr\":",
			state_name(s->state), (int)s->pid, s->pid > 0 ? proc_cpu_s(s->pid) : -1.0,
			(unsigned long long)(s->next_seq - 1), (unsigned long long)s->dropped);
		kt_json_string(o, s->err);
		fputs(",\"program\":", o);
		kt_json_string(o, s->in.prog ? s->in.prog : "");
		fputc('}', o);
	}
	fputs("]}", o);
}

void ka_session_data_json(FILE *o, struct ka_session *s, uint64_t since)
{
	uint64_t first = s->next_seq > KA_RING_LINES ? s->next_seq - KA_RING_LINES : 1;
	int n = 0, comma = 0;

	s->last_seen = ka_now();
	if (since + 1 > first)
		first = since + 1;
	fprintf(o, "{\"id\":%d,\"state\":\"%s\",\"view\":\"%s\",\"dropped\":%llu,\"stderr\":",
		s->id, state_name(s->state), s->in.view, (unsigned long long)s->dropped);
	kt_json_string(o, s->err);
	fputs(",\"lines\":[", o);
	for (uint64_t q = first; q < s->next_seq && n < KA_MAX_ANSWER_LINES; q++) {
		struct ka_line *l = &s->ring[q % KA_RING_LINES];

		if (!l->text || l->seq != q)
			continue;
		fprintf(o, "%s\n{\"seq\":%llu,\"t\":%llu,\"v\":%s}", comma ? "," : "",
			(unsigned long long)q, (unsigned long long)l->t_ms, l->text);
		comma = 1;
		n++;
	}
	fputs("]}", o);
}

/* ktrace's output: whole lines into the ring */
static void read_out(struct ka_session *s)
{
	char buf[65536];
	ssize_t r;

	while ((r = read(s->out_fd, buf, sizeof(buf))) > 0) {
		char *p = buf, *end = buf + r;

		if (s->state == KA_STARTING)
			s->state = KA_RUNNING;
		while (p < end) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = (size_t)((nl ? nl : end) - p);

			if (s->skipping || s->plen + n > KA_LINE_MAX) {
				if (!s->skipping)
					s->dropped++;
				s->skipping = !nl;
				s->plen = 0;
			} else if (nl && !s->plen) {
				ring_push(s, p, n);
			} else {
				char *q = realloc(s->partial, s->plen + n + 1);

				if (!q) {
					s->skipping = !nl;
					s->plen = 0;
					s->dropped++;
				} else {
					s->partial = q;
					memcpy(q + s->plen, p, n);
					s->plen += n;
					if (nl) {
						ring_push(s, s->partial, s->plen);
						s->plen = 0;
					}
				}
			}
			p += n + (nl ? 1 : 0);
		}
	}
	if (r == 0) {
		close(s->out_fd);
		s->out_fd = -1;
	}
}

/* ktrace's stderr: the last KA_ERR_MAX - 1 bytes */
static void read_err(struct ka_session *s)
{
	char buf[KA_ERR_MAX], all[2 * KA_ERR_MAX];
	ssize_t r;

	while ((r = read(s->err_fd, buf, sizeof(buf))) > 0) {
		size_t tot = s->errlen + (size_t)r, keep = sizeof(s->err) - 1;

		memcpy(all, s->err, s->errlen);
		memcpy(all + s->errlen, buf, (size_t)r);
		if (keep > tot)
			keep = tot;
		memcpy(s->err, all + tot - keep, keep);
		s->errlen = keep;
		s->err[keep] = '\0';
	}
	if (r == 0) {
		close(s->err_fd);
		s->err_fd = -1;
	}
}

static void reap(struct ka_session *s)
{
	int ws;

	if (s->pid <= 0 || waitpid(s->pid, &ws, WNOHANG) != s->pid)
		return;
	s->pid = 0;
	s->status = ws;
	if (s->state != KA_STOPPED)
		s->state = WIFEXITED(ws) && !WEXITSTATUS(ws) ? KA_STOPPED : KA_FAILED;
}

/* a session whose process is gone and that no page asks for: freed */
static void release(struct ka_session *s)
{
	if (s->out_fd >= 0)
		close(s->out_fd);
	if (s->err_fd >= 0)
		close(s->err_fd);
	ring_free(s);
	free(s->partial);
	ka_instr_free(&s->in);
	memset(s, 0, sizeof(*s));
}

static void collect_once(void)
{
	struct pollfd pf[2 * KA_MAX_SESSIONS];
	int n = 0;
	double now;

	pthread_mutex_lock(&ka_lock);
	for (int i = 0; i < KA_MAX_SESSIONS; i++) {
		struct ka_session *s = &sessions[i];

		if (!s->id)
			continue;
		if (s->out_fd >= 0)
			read_out(s);
		if (s->err_fd >= 0)
			read_err(s);
		reap(s);
		now = ka_now();
		if (now - s->last_seen > KA_IDLE_STOP_S)
			ka_session_stop(s);
		if (s->pid > 0 && s->state == KA_STOPPED && now - s->stop_asked > 5)
			kill(s->pid, SIGKILL);
		if (!s->pid && now - s->last_seen > KA_RELEASE_S)
			release(s);
	}
	for (int i = 0; i < KA_MAX_SESSIONS; i++) {
		if (!sessions[i].id)
			continue;
		if (sessions[i].out_fd >= 0)
			pf[n++] = (struct pollfd){ .fd = sessions[i].out_fd, .events = POLLIN };
		if (sessions[i].err_fd >= 0)
			pf[n++] = (struct pollfd){ .fd = sessions[i].err_fd, .events = POLLIN };
	}
	pthread_mutex_unlock(&ka_lock);
	/* the fds stay open: only this thread closes them */
	poll(pf, (nfds_t)n, 200);
}

void ka_collect_loop(volatile int *stop)
{
	while (!*stop)
		collect_once();
}

void ka_sessions_shutdown(void)
{
	double t0 = ka_now();
	int left;

	pthread_mutex_lock(&ka_lock);
	for (int i = 0; i < KA_MAX_SESSIONS; i++)
		if (sessions[i].id)
			ka_session_stop(&sessions[i]);
	do {
		left = 0;
		for (int i = 0; i < KA_MAX_SESSIONS; i++) {
			struct ka_session *s = &sessions[i];

			if (!s->id)
				continue;
			if (s->out_fd >= 0)
				read_out(s);
			if (s->err_fd >= 0)
				read_err(s);
			reap(s);
			if (s->pid > 0 && ka_now() - t0 > 5)
				kill(s->pid, SIGKILL);
			left += s->pid > 0;
		}
		if (left)
			usleep(50000);
	} while (left);
	for (int i = 0; i < KA_MAX_SESSIONS; i++)
		if (sessions[i].id)
			release(&sessions[i]);
	pthread_mutex_unlock(&ka_lock);
}
