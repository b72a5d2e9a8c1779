// SPDX-License-Identifier: GPL-2.0
/*
 * consumer.c: one tracing session through /dev/ktrace (the records it reads
 * are decoded in record.c and shown through output.c/json.c).
 *
 *   open -> resolve probes into enablings -> serialise -> LOAD -> mmap
 *   -> GO -> (release the -c child) -> loop { sleep until the next of
 *   switchrate/aggrate/statusrate or a signal; drain every CPU's
 *   principal buffer; AGGSNAP + merge; STATUS heartbeat }
 *   -> STOP (fires END) -> final drain -> print aggregations.
 *
 * The header page of the mapping is the only writable one: the consumer
 * stores each CPU's consumer_tail there after it has read the records
 * (the kernel's head is acquire-loaded, our tail release-stored).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include "cli.h"

volatile int kt_intr;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* now + a rate's period, saturating (a rate may be up to UINT64_MAX ns) */
static uint64_t after(uint64_t now, uint64_t ns)
{
	return ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
}

/* --------------------------------------------------- -e / -S on host --- */

#include "../module/vm.h"

static void disasm_range(FILE *out, const struct ktrace_prog *lp, const struct kt_prog *p,
			 uint32_t start, uint32_t len)
{
	char buf[256];
	uint32_t i;

	for (i = start; i < start + len && i < p->ninsns; i++) {
		ktrace_disasm_insn(buf, sizeof(buf), &p->insns[i], lp);
		fprintf(out, "%5u: %s\n", i, buf);
	}
}

int kt_host_check(struct kt_prog *p, const struct kt_cliopts *o, bool disasm, FILE *out)
{
	struct ktrace_enabling *en;
	struct ktrace_prog *lp = NULL;
	struct ktrace_vlog log;
	char logbuf[8192];
	void *obj = NULL;
	uint32_t size, i;
	int err, ret = KT_EXIT_OK;

	en = calloc(p->nclauses + 1, sizeof(*en));
	if (!en)
		return KT_EXIT_ERROR;
	/* placeholder probe ids: the verifier does not look at them */
	for (i = 0; i < p->nclauses; i++) {
		en[i].probe = 1;
		en[i].clause = i;
	}
	if (kt_prog_serialize(p, en, p->nclauses, &obj, &size) < 0) {
		kt_errmsg("failed to serialise the program\n");
		free(en);
		return KT_EXIT_ERROR;
	}
	memset(&log, 0, sizeof(log));
	log.buf = logbuf;
	log.size = sizeof(logbuf);
	logbuf[0] = '\0';
	err = ktrace_prog_load(obj, size, &o->k, &log, &lp);
	if (disasm) {
		for (i = 0; i < p->nclauses; i++) {
			const struct ktrace_clause_desc *c = &p->clauses[i];
			const struct kt_probespec *s;

			if ((int)i == p->errclause)
				continue;	/* ours, not the program's */
			s = p->cinfo && p->cinfo[i].nspecs ? p->cinfo[i].specs : NULL;
			fprintf(out, "clause %u", i);
			if (s)
				fprintf(out, " (%s:%s:%s:%s%s)", s->prov, s->mod, s->func, s->name,
					p->cinfo[i].nspecs > 1 ? ", ..." : "");
			fprintf(out, ":\n");
			if (c->pred_len) {
				fprintf(out, "  predicate:\n");
				disasm_range(out, err ? NULL : lp, p, c->pred_start, c->pred_len);
			}
			fprintf(out, "  body:\n");
			disasm_range(out, err ? NULL : lp, p, c->body_start, c->body_len);
		}
	}
	if (err) {
		kt_errmsg("program rejected: %s\n", strerror(-err));
		if (logbuf[0])
			fputs(logbuf, stderr);
		ret = KT_EXIT_ERROR;
	}
	ktrace_prog_free(lp);
	free(obj);
	free(en);
	return ret;
}

/* ------------------------------------------------------------ probes --- */

static void spec_text(const struct kt_probespec *s, char *buf, size_t n)
{
	snprintf(buf, n, "%s:%s:%s:%s", s->prov, s->mod, s->func, s->name);
}

static int resolve(struct kt_sess *s, int target, struct ktrace_enabling **enp, uint32_t *nenp)
{
	struct kt_catalog cat = { 0 };
	struct ktrace_enabling *en = NULL;
	uint32_t nen = 0, cap = 0, c;
	int i, k, before, r;
	char txt[512];

	for (c = 0; c < s->p->nclauses; c++) {
		const struct kt_clause_info *ci = &s->p->cinfo[c];

		for (i = 0; i < ci->nspecs; i++) {
			struct kt_probespec sp = ci->specs[i];

			if (ci->target_only)	/* cpc: a counter on the target, not on every CPU */
				sp.task = target;
			before = cat.n;
			r = kt_probes_match(s->fd, &sp, target, &cat);
			spec_text(&ci->specs[i], txt, sizeof(txt));
			if (r < 0) {
				kt_errmsg("failed to resolve probe description %s: %s\n", txt,
				          strerror(r < -1 ? -r : errno ? errno : EINVAL));
				goto fail;
			}
			if (cat.n == before && !s->o->zdefs && (int)c != s->errclause) {
				kt_errmsg("failed to compile script: probe description %s does not match any probes\n",
				          txt);
				goto fail;
			}
			for (k = before; k < cat.n; k++) {
				if (nen == cap) {
					uint32_t nc = cap ? cap * 2 : 64;
					void *nv = realloc(en, nc * sizeof(*en));
					void *ne = realloc(s->ep, nc * sizeof(*s->ep));

					if (ne)
						s->ep = ne;
					if (!nv || !ne) {
						free(nv ? nv : en);
						en = NULL;
						kt_errmsg("out of memory\n");
						goto fail;
					}
					en = nv;
					cap = nc;
				}
				en[nen].probe = cat.v[k].d.id;
				en[nen].clause = c;
				s->ep[nen].pd = cat.v[k].d;
				s->ep[nen].clause = c;
				nen++;
			}
		}
	}
	kt_probes_match_done();
	kt_catalog_free(&cat);
	s->nep = nen;
	*enp = en;
	*nenp = nen;
	return 0;
fail:
	kt_probes_match_done();
	kt_catalog_free(&cat);
	free(en);
	return -1;
}

/* --------------------------------------------------------------- map --- */

static int map_buffers(struct kt_sess *s, uint64_t map_size)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *base, *p;

	if (map_size < (uint64_t)pg)
		return -1;
	base = mmap(NULL, map_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return -1;
	p = mmap(base, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, s->fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	if (map_size > (uint64_t)pg) {
		p = mmap((char *)base + pg, map_size - pg, PROT_READ, MAP_SHARED | MAP_FIXED,
			 s->fd, pg);
		if (p == MAP_FAILED)
			goto fail;
	}
	s->map = base;
	s->map_size = map_size;
	s->hdr = base;
	if (s->hdr->magic != KTRACE_OBJ_MAGIC || s->hdr->ncpus > KTRACE_MAX_CPUS ||
	    sizeof(*s->hdr) + s->hdr->ncpus * sizeof(struct ktrace_cpu_area) > (uint64_t)pg) {
		errno = EPROTO;
		goto fail;
	}
	return 0;
fail:
	munmap(base, map_size);
	s->map = NULL;
	return -1;
}

/* ------------------------------------------------------- aggregations --- */

/* One CPU's principal buffer, from what was consumed to what is published. */
struct kt_cursor {
	const struct ktrace_buf_hdr	*bh;
	const uint8_t			*data;
	uint64_t			size, head, tail;
};

static bool cursor_open(struct kt_sess *s, uint32_t cpu, struct kt_cursor *k)
{
	const struct ktrace_cpu_area *a = &s->hdr->cpu[cpu];
	uint64_t ktail;

	k->size = a->buf_size;
	if (!k->size || (k->size & (k->size - 1)) ||
	    a->buf_off + s->hdr->page_size + k->size > s->map_size)
		return false;
	k->bh = (const void *)((const char *)s->map + a->buf_off);
	k->data = (const uint8_t *)k->bh + s->hdr->page_size;
	k->head = __atomic_load_n(&k->bh->head, __ATOMIC_ACQUIRE);
	k->tail = s->tails[cpu];
	ktail = __atomic_load_n(&k->bh->tail, __ATOMIC_ACQUIRE);
	if (ktail > k->tail)
		k->tail = ktail;	/* ring policy: older data was overwritten */
	if (k->head - k->tail > k->size)
		k->tail = k->head - k->size;
	return true;
}

/* The next record at k->tail (pad records skipped), or NULL at the end. */
static const struct ktrace_rec *cursor_next(struct kt_cursor *k, uint32_t cpu)
{
	while (k->tail < k->head) {
		uint64_t pos = k->tail & (k->size - 1);
		const struct ktrace_rec *rec = (const void *)(k->data + pos);
		uint32_t rsize = rec->size;

		/* a pad record at the end of the ring may be just size + epid (8 bytes) */
		if (rsize >= 8 && rsize % 8 == 0 && rec->epid == 0 && pos + rsize == k->size &&
		    k->tail + rsize <= k->head) {
			k->tail += rsize;
			continue;
		}
		if (rsize < sizeof(*rec) || rsize % 8 || pos + rsize > k->size ||
		    k->tail + rsize > k->head) {
			kt_errmsg("malformed record on CPU %u at %llu; skipping the buffer\n", cpu,
			          (unsigned long long)k->tail);
			k->tail = k->head;
			return NULL;
		}
		if (rec->epid != 0)
			return rec;
		k->tail += rsize;
	}
	return NULL;
}

static void cursor_close(struct kt_sess *s, uint32_t cpu, const struct kt_cursor *k)
{
	uint64_t drops;

	s->tails[cpu] = k->tail;
	__atomic_store_n(&s->hdr->cpu[cpu].consumer_tail, k->tail, __ATOMIC_RELEASE);
	drops = __atomic_load_n(&k->bh->drops, __ATOMIC_RELAXED);
	if (drops > s->drops[cpu]) {
		kt_report_count(drops - s->drops[cpu], "drop", (int)cpu);
		s->drops[cpu] = drops;
	}
}

/*
 * Drain every CPU.  Each CPU's records are in time order already, so
 * merging the CPUs by record timestamp makes one pass's output
 * chronological (what another CPU publishes later lands in the next pass).
 * With -x temporal, a pass stops at the time it began (taken before any
 * buffer is looked at) and leaves the newer records for the next one:
 * a record stamped before that time and published before it is in this
 * pass whichever CPU has it, so what one CPU caused on another (a wakeup,
 * a pipe) is printed after its cause across passes too.
 */
void kt_sess_consume(struct kt_sess *s)
{
	static struct kt_cursor k[KTRACE_MAX_CPUS];
	static const struct ktrace_rec *next[KTRACE_MAX_CPUS];
	static bool open[KTRACE_MAX_CPUS];
	uint32_t c, ncpus = s->hdr->ncpus < KTRACE_MAX_CPUS ? s->hdr->ncpus : KTRACE_MAX_CPUS;
	/* the records' clock (ktime_get_mono_fast_ns) is CLOCK_MONOTONIC's */
	uint64_t horizon = s->o->temporal && !s->stopped ? now_ns() : UINT64_MAX;
	int best;

	for (c = 0; c < ncpus; c++) {
		open[c] = cursor_open(s, c, &k[c]);
		next[c] = open[c] ? cursor_next(&k[c], c) : NULL;
	}
	for (;;) {
		best = -1;
		for (c = 0; c < ncpus; c++)
			if (next[c] && (best < 0 || next[c]->timestamp < next[best]->timestamp))
				best = (int)c;
		if (best < 0 || next[best]->timestamp >= horizon)
			break;
		c = (uint32_t)best;
		if (kt_record(s, best, (const uint8_t *)next[c], next[c]->size) < 0)
			kt_errmsg("malformed record (epid %u) on CPU %u\n", next[c]->epid, c);
		k[c].tail += next[c]->size;
		next[c] = cursor_next(&k[c], c);
	}
	for (c = 0; c < ncpus; c++)
		if (open[c])
			cursor_close(s, c, &k[c]);
	fflush(s->out.fp);
}

/* ------------------------------------------------------------ status --- */

static void status_deltas(struct kt_sess *s, const struct ktrace_status *st)
{
	kt_report_count(st->dynvar_drops - s->last.dynvar_drops, "dynamic variable drop", -1);
	if (st->dynvar_dirty_drops > s->last.dynvar_dirty_drops) {
		uint64_t n = st->dynvar_dirty_drops - s->last.dynvar_dirty_drops;

		kt_errmsg("%llu dynamic variable drop%s with non-empty dirty list\n",
		          (unsigned long long)n, n == 1 ? "" : "s");
	}
	kt_report_count(st->spec_drops - s->last.spec_drops, "speculative drop", -1);
	if (st->spec_unavail > s->last.spec_unavail) {
		uint64_t n = st->spec_unavail - s->last.spec_unavail;

		kt_errmsg("%llu failed speculation%s (no speculative buffer available)\n",
		          (unsigned long long)n, n == 1 ? "" : "s");
	}
	if (st->spec_busy > s->last.spec_busy) {
		uint64_t n = st->spec_busy - s->last.spec_busy;

		kt_errmsg("%llu failed speculation%s (available buffer(s) still busy)\n",
		          (unsigned long long)n, n == 1 ? "" : "s");
	}
	if (st->double_errors > s->last.double_errors) {
		uint64_t n = st->double_errors - s->last.double_errors;

		kt_errmsg("%llu error%s in ERROR probe enabling\n", (unsigned long long)n,
		          n == 1 ? "" : "s");
	}
	s->last = *st;
}

/* Heartbeat; returns the state, or -1 if the ioctl failed. */
int kt_sess_status(struct kt_sess *s, struct ktrace_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	if (ioctl(s->fd, KTRACE_IOC_STATUS, st) < 0)
		return -1;
	status_deltas(s, st);
	return (int)st->state;
}

static const char *abort_text(uint32_t reason)
{
	switch (reason) {
	case KTRACE_ABORT_DEADMAN:
		return "Abort due to systemic unresponsiveness";
	case KTRACE_ABORT_CONSUMER:
		return "Abort due to an unresponsive consumer (no heartbeat)";
	case KTRACE_ABORT_ERROR:
		return "Abort due to an internal error while enabling probes";
	case KTRACE_ABORT_BEGIN:
		return "Abort due to an error in a BEGIN clause";
	default:
		return "Abort";
	}
}

/* -------------------------------------------------------------- loop --- */

static void on_signal(int sig)
{
	(void)sig;
	kt_intr++;
}

static void on_chld(int sig)
{
	(void)sig;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * Sleep until ns have passed, a signal arrives, or the kernel reports the
 * session readable (a CPU's buffer passed the watermark, or the session
 * is draining/stopped/killed).  Returns true on a readable wakeup.
 */
static bool wait_ns(int fd, uint64_t ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000ull, .tv_nsec = ns % 1000000000ull };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	/* a signal cuts it short (EINTR) */
	return ppoll(&pfd, 1, &ts, NULL) > 0 && (pfd.revents & POLLIN);
}

/*
 * The -c command's (or a seized -p target's) state changes, without
 * blocking: true once it has exited (or cannot be waited for).  When
 * ktrace traces it (seize_child, seize_target in ktrace.c), its ptrace
 * stops come here: at its exec and at its exit
 * (its memory still mapped) its mappings are read for the session's
 * symbols; a signal is passed on; a job-control stop is kept (LISTEN:
 * SIGCONT resumes it) and resumed when it ends.
 */
static bool child_events(pid_t pid)
{
	int st, sig;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG | __WALL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return true;
		if (r == 0)
			return false;
		if (!WIFSTOPPED(st))
			return true;	/* exited or killed */
		sig = WSTOPSIG(st);
		switch (st >> 16) {
		case PTRACE_EVENT_EXIT:
		case PTRACE_EVENT_EXEC:
			kt_upid_learn(pid);
			ptrace(PTRACE_CONT, pid, NULL, NULL);
			break;
		case PTRACE_EVENT_STOP:
			if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
				ptrace(PTRACE_LISTEN, pid, NULL, NULL);
			else
				ptrace(PTRACE_CONT, pid, NULL, NULL);
			break;
		default:	/* a signal for it: deliver it */
			ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
			break;
		}
	}
}

static bool target_gone(struct kt_session_args *a, bool quiet)
{
	if (a->target_pid <= 0)
		return false;
	if (a->target_is_child || a->target_traced) {
		if (!child_events(a->target_pid))
			return false;
	} else if (kill(a->target_pid, 0) == 0 || errno != ESRCH) {
		return false;
	}
	if (!quiet)
		kt_errmsg("pid %d has exited\n", a->target_pid);
	a->target_pid = 0;
	return true;
}

static int open_device(void)
{
	int fd = open(KTRACE_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == EPERM || errno == EACCES)
		kt_errmsg("failed to open %s: Operation not permitted (need CAP_SYS_ADMIN or CAP_PERFMON)\n",
		          KTRACE_DEVICE);
	else if (errno == ENOENT || errno == ENXIO || errno == ENODEV)
		kt_errmsg("failed to open %s: %s (is ktrace.ko loaded?)\n", KTRACE_DEVICE,
		          strerror(errno));
	else
		kt_errmsg("failed to open %s: %s\n", KTRACE_DEVICE, strerror(errno));
	return -1;
}

static int load(struct kt_sess *s, void *obj, uint32_t size)
{
	struct ktrace_load ld;
	char *log = calloc(1, 65536);
	int ret;

	memset(&ld, 0, sizeof(ld));
	ld.size = sizeof(ld);
	ld.obj = (uintptr_t)obj;
	ld.obj_size = size;
	ld.log_size = log ? 65536 : 0;
	ld.log_buf = (uintptr_t)log;
	ld.opts = s->o->k;
	ret = ioctl(s->fd, KTRACE_IOC_LOAD, &ld);
	if (ret < 0) {
		int e = errno;

		kt_errmsg("failed to load the program: %s\n", strerror(e));
		if (log && log[0]) {
			log[65535] = '\0';
			fputs(log, stderr);
			if (log[strlen(log) - 1] != '\n')
				fputc('\n', stderr);
		}
		free(log);
		return -1;
	}
	free(log);
	if (map_buffers(s, ld.map_size) < 0) {
		kt_errmsg("failed to map the session buffers: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static void finish_child_handshake(struct kt_session_args *a)
{
	if (a->child_go_fd >= 0) {
		/* -c: the command waits, stopped right after its exec */
		if (a->target_pid > 0 && kill(a->target_pid, SIGCONT) < 0)
			kt_errmsg("failed to start the command: %s\n", strerror(errno));
		close(a->child_go_fd);
		a->child_go_fd = -1;
	}
}

static bool child_exec_failed(struct kt_session_args *a)
{
	int e = 0;
	ssize_t n;

	if (a->child_err_fd < 0)
		return false;
	n = read(a->child_err_fd, &e, sizeof(e));
	if (n < 0 && errno == EAGAIN)
		return false;
	close(a->child_err_fd);
	a->child_err_fd = -1;
	if (n == (ssize_t)sizeof(e)) {
		kt_errmsg("failed to execute the command: %s\n", strerror(e));
		return true;
	}
	return false;
}

int kt_sess_open(struct kt_sess *s, struct kt_prog *p, struct kt_cliopts *o, FILE *out,
		 int target_pid, uint32_t *nprobes)
{
	struct ktrace_enabling *en = NULL;
	uint32_t nen = 0, size, i;
	void *obj = NULL;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	s->p = p;
	s->o = o;
	kt_output_init(&s->out, out, o);
	s->errclause = p->errclause;	/* the compiler's (kt_compile_opts.error_clause) */
	s->fd = open_device();
	if (s->fd < 0)
		return -1;
	if (resolve(s, target_pid, &en, &nen) < 0)
		goto out;
	if (kt_prog_serialize(p, en, nen, &obj, &size) < 0) {
		kt_errmsg("failed to serialise the program\n");
		goto out;
	}
	if (kt_aggtab_init(&s->aggs, p) < 0) {
		kt_errmsg("out of memory\n");
		goto out;
	}
	if (load(s, obj, size) < 0)
		goto out;
	if (nprobes) {
		*nprobes = 0;
		for (i = 0; i < nen; i++)
			*nprobes += (int)en[i].clause != s->errclause;
	}
	ret = 0;
out:
	free(en);
	free(obj);
	return ret;
}

int kt_sess_go(struct kt_sess *s)
{
	struct ktrace_go go = { .size = sizeof(go) };

	/*
	 * -x cpu=N: BEGIN (fired by GO) and END (by STOP) run where this
	 * process runs, so it runs on CPU N from here on, as dtrace's BEGIN
	 * fires on the CPU -x cpu names
	 */
	if (s->o->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(s->o->cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			kt_errmsg("could not run on CPU %d for BEGIN and END: %s\n", s->o->cpu,
				  strerror(errno));
	}

	if (ioctl(s->fd, KTRACE_IOC_GO, &go) < 0) {
		kt_errmsg("could not enable tracing: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

void kt_sess_close(struct kt_sess *s)
{
	if (s->map)
		munmap(s->map, s->map_size);
	s->map = NULL;
	kt_aggtab_free(&s->aggs);
	free(s->ep);
	s->ep = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int kt_consume_run(struct kt_session_args *a)
{
	struct kt_sess s;
	struct ktrace_stop stop = { .size = sizeof(stop) };
	struct ktrace_status st;
	uint32_t nprobes = 0;
	uint64_t now, next_switch, next_agg, next_status, tick;
	int ret = KT_EXIT_ERROR, state;
	bool done = false, killed = false, execfail = false;

	if (kt_sess_open(&s, a->prog, a->opts, a->out, a->target_pid, &nprobes) < 0)
		goto out;
	if (!s.o->quiet)
		kt_errmsg("%s matched %u probe%s\n", a->what, nprobes, nprobes == 1 ? "" : "s");
	install_signals();
	if (kt_sess_go(&s) < 0)
		goto out;
	if (s.o->destructive && !s.o->quiet)
		kt_errmsg("allowing destructive actions\n");
	kt_upid_note(a->target_pid);	/* its symbols, cached while it lives */
	kt_usym_noresolve = s.o->noresolve;
	finish_child_handshake(a);

	/*
	 * The first aggregation snapshot is one aggrate away: a snapshot
	 * now would flip the copies while a -c child, already released,
	 * makes its first updates (nothing is there to read yet).
	 */
	now = now_ns();
	next_switch = next_status = now;
	next_agg = after(now, s.o->aggrate_ns);
	while (!done) {
		now = now_ns();
		if (now >= next_status) {
			state = kt_sess_status(&s, &st);
			if (state == KTRACE_STATE_KILLED) {
				if (st.abort_reason == KTRACE_ABORT_FILL) {
					done = true;
				} else {
					s.stopped = true;
					kt_sess_consume(&s);
					fflush(s.out.fp);
					kt_errmsg("processing aborted: %s\n", abort_text(st.abort_reason));
					killed = true;
					break;
				}
			}
			if (st.exited) {
				s.exited = true;
				s.exit_status = st.exit_status;
			}
			next_status = after(now, s.o->statusrate_ns);
		}
		if (now >= next_switch) {
			/* as DTrace: ring buffers are read once tracing has stopped */
			if (s.o->k.bufpolicy != KTRACE_BUFPOLICY_RING)
				kt_sess_consume(&s);
			next_switch = after(now, s.o->switchrate_ns);
		}
		if (now >= next_agg) {
			kt_sess_agg_snap(&s);
			next_agg = after(now, s.o->aggrate_ns);
		}
		if (child_exec_failed(a)) {
			execfail = true;
			done = true;
		}
		if (s.exited || kt_intr || target_gone(a, s.o->quiet))
			done = true;
		if (done)
			break;
		now = now_ns();
		tick = next_switch;
		if (next_agg < tick)
			tick = next_agg;
		if (next_status < tick)
			tick = next_status;
		if (tick > now && wait_ns(s.fd, tick - now)) {
			/* a buffer passed its watermark or the state changed: drain now */
			next_switch = now;
			next_status = now;
		}
	}
	if (!killed) {
		if (ioctl(s.fd, KTRACE_IOC_STOP, &stop) < 0)
			kt_errmsg("couldn't stop tracing: %s\n", strerror(errno));
		s.stopped = true;
		kt_sess_consume(&s);
		if (kt_sess_status(&s, &st) >= 0 && st.exited && !s.exited) {
			s.exited = true;
			s.exit_status = st.exit_status;
		}
		kt_sess_agg_snap(&s);
		if (kt_intr < 2) {
			s.out.ops->final(&s.out, &s.aggs);
		}
		fflush(s.out.fp);
	}
	if (killed || execfail)
		ret = KT_EXIT_ERROR;
	else
		ret = s.exited ? s.exit_status & 0xff : KT_EXIT_OK;
out:
	if (a->child_go_fd >= 0) {
		/* never enabled: the caller kills the stopped child */
		close(a->child_go_fd);
		a->child_go_fd = -1;
	}
	kt_sess_close(&s);
	return ret;
}
