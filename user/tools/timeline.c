// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace-timeline: record an interval of scheduling and system calls with
 * ktrace and write it as Chrome trace-event JSON (the format Perfetto's UI,
 * trace_processor, chrome://tracing and Trace Compass's JSON importer load).
 *
 *   ktrace-timeline [-d SECS | -c CMD] [-p PID] [-o FILE]   record, then write
 *   ktrace-timeline -i RECORDING [-o FILE]                   convert a recording
 *   ktrace-timeline -R ...                                    print the recording
 *
 * The recording is the text ktrace prints for the program in record_prog
 * below, one event per line:
 *   S ts cpu pid prev_tid prev_state next_tid\tprev_comm\tnext_comm  sched_switch
 *   W ts cpu pid tid wakee_tid\tcomm                                 sched_waking, _wakeup_new
 *   E ts cpu pid tid\tsyscall\tcomm                                  syscall entry
 *   R ts cpu pid tid ret\tsyscall                                    syscall return
 * (pid/tid/comm: the thread running on cpu when the event fired).  Per-CPU
 * buffers reach user space one CPU at a time, so the events are sorted by
 * timestamp (stably: one CPU's events are already in order) before use.
 *
 * The JSON: one track per thread (pid = thread group, tid = thread), named
 * by thread_name/process_name metadata; an "X" slice "running" for every
 * on-CPU interval (args: cpu, the state it left the CPU in); an "X" slice
 * per system call, its running slices nested in it (a running slice is cut
 * at syscall entry and return, so the two always nest); a wakeup is a flow
 * arrow ("s" on the waker's running slice, "f" binding to the wakee's next
 * running slice).  The arrow starts at sched_waking, which fires in the
 * waker's context; sched_wakeup may fire later on the wakee's CPU (a remote
 * wakeup queued to an idle CPU), in the idle thread.  The idle threads (tid 0) have no track and their
 * wakeups (interrupts on an idle CPU) no arrow.  Timestamps are
 * microseconds with nanosecond decimals.
 *
 * Exit status 0, 1 on a failed recording or bad input, 2 on usage.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kt_json.h"

static const char *prog = "ktrace-timeline";

struct ev {
	uint64_t	ts;
	size_t		seq;		/* input order: the sort's tie-break */
	char		kind;		/* S W E R */
	int		cpu, pid, tid;
	int		a, b;		/* S: prev_state, next_tid; W: wakee; R: ret */
	long long	ret;
	char		*s1, *s2;	/* S: prev, next comm; W: comm; E: syscall, comm; R: syscall */
};

struct thr {
	int		tid, pid;	/* tid 0: free slot */
	char		comm[32];
	int		oncpu, cpu, ever_on;
	int		bound;		/* the running slice ends a wakeup arrow */
	uint64_t	run_start;
	char		sys[40];
	uint64_t	sys_start;	/* 0: not in a (known) system call */
	long		flow;		/* pending wakeup arrow id, 0 if none */
};

static struct thr *thr_tab;
static size_t thr_cap, thr_n;
static FILE *out;
static int first_event = 1;
static uint64_t t0;		/* the recording's first timestamp */
static long nflows, nslices, nsyscalls, nidlewake;

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);

	if (!p) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	return p;
}

/* ------------------------------------------------------------ threads --- */
static struct thr *thr_slot(struct thr *tab, size_t cap, int tid)
{
	size_t i = ((unsigned int)tid * 2654435761u) & (cap - 1);

	while (tab[i].tid && tab[i].tid != tid)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static struct thr *thr_get(int tid)
{
	struct thr *t;

	if (2 * (thr_n + 1) > thr_cap) {
		size_t ncap = thr_cap ? 2 * thr_cap : 256;
		struct thr *ntab = xcalloc(ncap, sizeof(*ntab));

		for (size_t i = 0; i < thr_cap; i++)
			if (thr_tab[i].tid)
				*thr_slot(ntab, ncap, thr_tab[i].tid) = thr_tab[i];
		free(thr_tab);
		thr_tab = ntab;
		thr_cap = ncap;
	}
	t = thr_slot(thr_tab, thr_cap, tid);
	if (!t->tid) {
		t->tid = tid;
		t->pid = tid;
		thr_n++;
	}
	return t;
}

/* ---------------------------------------------------------------- JSON --- */

static void json_ts(const char *key, uint64_t ns)
{
	fprintf(out, ",\"%s\":%" PRIu64 ".%03u", key, ns / 1000, (unsigned int)(ns % 1000));
}

static void ev_open(const char *ph, const char *name, const char *cat, const struct thr *t)
{
	fputs(first_event ? "\n" : ",\n", out);
	first_event = 0;
	fprintf(out, "{\"ph\":\"%s\",\"name\":", ph);
	kt_json_string(out, name);
	fprintf(out, ",\"cat\":\"%s\",\"pid\":%d,\"tid\":%d", cat, t->pid, t->tid);
}

/* the state a thread left the CPU in (sched_switch's prev_state): R S D ... */
static const char *state_name(int st, char *buf, size_t len)
{
	static const char letters[] = "SDTtXZPI";
	int low = st & 0xff;

	if (low == 0)
		return "R";	/* preempted (0x100 flag) or yielded */
	if ((low & (low - 1)) == 0) {
		snprintf(buf, len, "%c", letters[__builtin_ctz(low)]);
		return buf;
	}
	snprintf(buf, len, "0x%x", st);
	return buf;
}

/* the thread's running slice ends at ts (end_state NULL: cut, not switched out) */
static void run_close(struct thr *t, uint64_t ts, const char *end_state)
{
	if (!t->oncpu)
		return;
	t->oncpu = 0;
	if (ts == t->run_start && !end_state && !t->bound)
		return;		/* cut at its very start: nothing ran */
	ev_open("X", "running", "sched", t);
	json_ts("ts", t->run_start);
	json_ts("dur", ts - t->run_start);
	fprintf(out, ",\"args\":{\"cpu\":%d", t->cpu);
	if (end_state) {
		fputs(",\"end_state\":", out);
		kt_json_string(out, end_state);
	}
	fputs("}}", out);
	nslices++;
}

static void run_open(struct thr *t, uint64_t ts, int cpu)
{
	t->oncpu = 1;
	t->ever_on = 1;
	t->bound = 0;
	t->run_start = ts;
	t->cpu = cpu;
}

/*
 * The thread is current on cpu at ts: if no switch-in was seen, it has been
 * running since the recording began (first sight) or since ts.
 */
static void run_current(struct thr *t, uint64_t ts, int cpu)
{
	if (t->oncpu)
		return;
	run_open(t, t->ever_on ? ts : t0, cpu);
}

static void set_comm(struct thr *t, const char *comm)
{
	if (comm && *comm)
		snprintf(t->comm, sizeof(t->comm), "%s", comm);
}

static struct thr *current(const struct ev *e, const char *comm)
{
	struct thr *t;

	if (e->tid == 0)
		return NULL;
	t = thr_get(e->tid);
	set_comm(t, comm);
	run_current(t, e->ts, e->cpu);
	return t;
}

static void do_switch(const struct ev *e)
{
	struct thr *prev = current(e, e->s1), *next;
	char buf[16];

	if (prev)
		run_close(prev, e->ts, state_name(e->a, buf, sizeof(buf)));
	if (e->b == 0)
		return;
	next = thr_get(e->b);
	set_comm(next, e->s2);
	if (next->oncpu)	/* a lost switch-out: end that slice here */
		run_close(next, e->ts, NULL);
	run_open(next, e->ts, e->cpu);
	if (next->flow) {
		ev_open("f", "wakeup", "wakeup", next);
		fprintf(out, ",\"bp\":\"e\",\"id\":%ld", next->flow);
		json_ts("ts", e->ts);
		fputs("}", out);
		next->flow = 0;
		next->bound = 1;
	}
}

static void do_wakeup(const struct ev *e)
{
	struct thr *waker = current(e, NULL), *wakee;

	if (!waker) {
		nidlewake++;
		return;
	}
	wakee = thr_get(e->a);
	set_comm(wakee, e->s1);
	if (wakee->oncpu || wakee->flow || e->a == 0)
		return;		/* already running, or already woken */
	wakee->flow = ++nflows;
	ev_open("s", "wakeup", "wakeup", waker);
	fprintf(out, ",\"id\":%ld", wakee->flow);
	json_ts("ts", e->ts);
	fputs("}", out);
}

static void do_entry(const struct ev *e)
{
	struct thr *t = current(e, e->s2);

	if (!t)
		return;
	run_close(t, e->ts, NULL);
	snprintf(t->sys, sizeof(t->sys), "%s", e->s1);
	t->sys_start = e->ts;
	run_open(t, e->ts, e->cpu);
}

static void syscall_close(struct thr *t, uint64_t ts, const long long *ret)
{
	ev_open("X", t->sys, "syscall", t);
	json_ts("ts", t->sys_start);
	json_ts("dur", ts - t->sys_start);
	if (ret)
		fprintf(out, ",\"args\":{\"ret\":%lld}", *ret);
	fputs("}", out);
	nsyscalls++;
	t->sys_start = 0;
}

static void do_return(const struct ev *e)
{
	struct thr *t = current(e, NULL);

	if (!t)
		return;
	run_close(t, e->ts, NULL);
	/* a return without its entry (the call began before the recording) has no slice */
	if (t->sys_start && !strcmp(t->sys, e->s1))
		syscall_close(t, e->ts, &e->ret);
	t->sys_start = 0;
	run_open(t, e->ts, e->cpu);
}

/* ------------------------------------------------------------- parsing --- */
static char *field(char **p)
{
	char *s = *p, *tab = strchr(s, '\t');

	if (tab) {
		*tab = '\0';
		*p = tab + 1;
	} else {
		*p = s + strlen(s);
	}
	return s;
}

static int parse_line(char *line, struct ev *e)
{
	char *rest, *nums;
	int n = 0, want;

	line[strcspn(line, "\n")] = '\0';
	if (!line[0] || !strchr("SWER", line[0]) || line[1] != ' ')
		return -1;
	memset(e, 0, sizeof(*e));
	e->kind = line[0];
	rest = line + 2;
	nums = field(&rest);
	switch (e->kind) {
	case 'S':
		want = 6;
		n = sscanf(nums, "%" SCNu64 " %d %d %d %d %d", &e->ts, &e->cpu, &e->pid,
			   &e->tid, &e->a, &e->b);
		e->s1 = field(&rest);
		e->s2 = field(&rest);
		break;
	case 'W':
		want = 5;
		n = sscanf(nums, "%" SCNu64 " %d %d %d %d", &e->ts, &e->cpu, &e->pid, &e->tid, &e->a);
		e->s1 = field(&rest);
		break;
	case 'E':
		want = 4;
		n = sscanf(nums, "%" SCNu64 " %d %d %d", &e->ts, &e->cpu, &e->pid, &e->tid);
		e->s1 = field(&rest);
		e->s2 = field(&rest);
		break;
	default:
		want = 5;
		n = sscanf(nums, "%" SCNu64 " %d %d %d %lld", &e->ts, &e->cpu, &e->pid, &e->tid, &e->ret);
		e->s1 = field(&rest);
		break;
	}
	if (n != want || e->tid < 0 || e->pid < 0 || e->cpu < 0 || e->a < 0 || e->b < 0 ||
	    ((e->kind == 'E' || e->kind == 'R') && !*e->s1))
		return -1;
	e->s1 = strdup(e->s1);
	e->s2 = e->s2 ? strdup(e->s2) : NULL;
	if (!e->s1 || (!e->s2 && e->kind != 'W' && e->kind != 'R')) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	return 0;
}

static int ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Read a recording; lines that are not events are refused with their number. */
static struct ev *read_events(FILE *in, const char *name, size_t *np)
{
	struct ev *evs = NULL;
	size_t n = 0, cap = 0, lineno = 0, llen = 0;
	char *line = NULL;

	while (getline(&line, &llen, in) > 0) {
		lineno++;
		if (line[0] == '\n')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			evs = xrealloc(evs, cap * sizeof(*evs));
		}
		if (parse_line(line, &evs[n]) < 0) {
			line[strcspn(line, "\n")] = '\0';
			fprintf(stderr, "%s: %s:%zu: not a recorded event: '%.80s'\n", prog, name,
				lineno, line);
			exit(1);
		}
		evs[n].seq = n;
		n++;
	}
	free(line);
	qsort(evs, n, sizeof(*evs), ev_cmp);
	*np = n;
	return evs;
}

static struct thr *thr_find(int tid)
{
	struct thr *t = thr_cap ? thr_slot(thr_tab, thr_cap, tid) : NULL;

	return t && t->tid ? t : NULL;
}

static void name_meta(const char *what, const struct thr *t)
{
	ev_open("M", what, "__metadata", t);
	fputs(",\"args\":{\"name\":", out);
	kt_json_string(out, t->comm[0] ? t->comm : "?");
	fputs("}}", out);
}

/* a process is named once: by its leader thread, else by its first thread seen */
static void name_process(const struct thr *t)
{
	static int *named;
	static size_t nnamed;

	for (size_t i = 0; i < nnamed; i++)
		if (named[i] == t->pid)
			return;
	named = xrealloc(named, (nnamed + 1) * sizeof(*named));
	named[nnamed++] = t->pid;
	name_meta("process_name", t);
}

static void write_json(struct ev *evs, size_t n)
{
	uint64_t tend = n ? evs[n - 1].ts : 0;

	t0 = n ? evs[0].ts : 0;
	/* first, who belongs to which process: events in a thread's context say */
	for (size_t i = 0; i < n; i++)
		if (evs[i].tid)
			thr_get(evs[i].tid)->pid = evs[i].pid;
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", out);
	for (size_t i = 0; i < n; i++) {
		switch (evs[i].kind) {
		case 'S': do_switch(&evs[i]); break;
		case 'W': do_wakeup(&evs[i]); break;
		case 'E': do_entry(&evs[i]); break;
		default: do_return(&evs[i]); break;
		}
	}
	/* what is still open ends with the recording; then the names */
	for (size_t i = 0; i < thr_cap; i++) {
		struct thr *t = &thr_tab[i];

		if (!t->tid)
			continue;
		run_close(t, tend, NULL);
		if (t->sys_start)
			syscall_close(t, tend, NULL);
		name_meta("thread_name", t);
		if (t->pid == t->tid || !thr_find(t->pid))
			name_process(t);
	}
	fprintf(out, "\n],\"otherData\":{\"tool\":\"ktrace-timeline\",\"events\":\"%zu\","
		"\"threads\":\"%zu\",\"running_slices\":\"%ld\",\"syscall_slices\":\"%ld\","
		"\"wakeup_arrows\":\"%ld\",\"wakeups_from_idle\":\"%ld\"}}\n",
		n, thr_n, nslices, nsyscalls, nflows, nidlewake);
}

/* ----------------------------------------------------------- recording --- */
/*
 * The D program: every switch and wakeup of the system (a wakeup chain
 * crosses processes); system calls of everyone but ktrace itself, or of
 * one process ($$1 with -p, $target with -c).
 */
static char *record_prog(const char *syspred, int secs)
{
	char *p;

	if (asprintf(&p,
		     "tracepoint:sched::sched_switch {\n"
		     "\tprintf(\"S %%d %%d %%d %%d %%d %%d\\t%%s\\t%%s\\n\", timestamp, cpu, pid,\n"
		     "\t       args->prev_pid, args->prev_state, args->next_pid,\n"
		     "\t       args->prev_comm, args->next_comm);\n}\n"
		     "tracepoint:sched::sched_waking, tracepoint:sched::sched_wakeup_new {\n"
		     "\tprintf(\"W %%d %%d %%d %%d %%d\\t%%s\\n\", timestamp, cpu, pid, tid,\n"
		     "\t       args->pid, args->comm);\n}\n"
		     "syscall:::entry /%s/ {\n"
		     "\tprintf(\"E %%d %%d %%d %%d\\t%%s\\t%%s\\n\", timestamp, cpu, pid, tid,\n"
		     "\t       probefunc, execname);\n}\n"
		     "syscall:::return /%s/ {\n"
		     "\tprintf(\"R %%d %%d %%d %%d %%d\\t%%s\\n\", timestamp, cpu, pid, tid,\n"
		     "\t       arg0, probefunc);\n}\n"
		     "%s",
		     syspred, syspred, secs ? "tick-1s /++n == $2/ { exit(0); }\n" : "") < 0) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	return p;
}

/* Run ktrace with the program; its output (the recording) comes on a pipe. */
static FILE *record_start(const char *ktrace, const char *cmd, const char *pid, int secs,
			  const char *bufsize, pid_t *child)
{
	char secs_s[16], *src;
	const char *av[20];
	int fds[2], n = 0;
	const char *pred = cmd ? "pid == $target" : pid ? "pid == $1" : "pid != $pid && pid != $3";
	char self[16];

	snprintf(secs_s, sizeof(secs_s), "%d", secs);
	snprintf(self, sizeof(self), "%d", (int)getpid());
	src = record_prog(pred, secs);
	av[n++] = ktrace;
	av[n++] = "-q";
	av[n++] = "-b";
	av[n++] = bufsize;
	av[n++] = "-x";
	av[n++] = "switchrate=20hz";
	av[n++] = "-x";		/* $1..$3 are read only by some of the programs */
	av[n++] = "argref";
	if (cmd) {
		av[n++] = "-c";
		av[n++] = cmd;
	}
	av[n++] = "-n";
	av[n++] = src;
	av[n++] = "--";
	av[n++] = pid ? pid : "0";
	av[n++] = secs_s;
	av[n++] = self;
	av[n] = NULL;
	if (pipe(fds) < 0) {
		fprintf(stderr, "%s: pipe: %s\n", prog, strerror(errno));
		exit(1);
	}
	*child = fork();
	if (*child < 0) {
		fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
		exit(1);
	}
	if (*child == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp(ktrace, (char **)av);
		fprintf(stderr, "%s: cannot run %s: %s\n", prog, ktrace, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	free(src);
	return fdopen(fds[0], "r");
}

static void usage(int st)
{
	fprintf(st ? stderr : stdout,
		"usage: ktrace-timeline [-h] [-d SECS | -c CMD] [-p PID] [-b SIZE] [-o FILE] [-R]\n"
		"       ktrace-timeline -i RECORDING [-o FILE]\n"
		"ktrace-timeline - record threads' scheduling and system calls as a timeline for Perfetto.\n"
		"  -d SECS     record SECS seconds (default 5)\n"
		"  -c CMD      run CMD and record until it exits (its system calls only)\n"
		"  -p PID      system calls of process PID only (scheduling: every thread)\n"
		"  -b SIZE     ktrace's buffer size per CPU (default 16m)\n"
		"  -o FILE     write to FILE instead of standard output\n"
		"  -R          write the recording itself (input for -i), not JSON\n"
		"  -i FILE     convert a recording made with -R ('-': standard input)\n"
		"Output: Chrome trace-event JSON for Perfetto (ui.perfetto.dev, trace_processor),\n"
		"chrome://tracing and Trace Compass.  KTRACE names the ktrace binary.\n");
	exit(st);
}

static int num_arg(const char *what, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "%s: %s '%s' is not a number in %ld..%ld\n", prog, what, s, lo, hi);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	const char *cmd = NULL, *pid = NULL, *input = NULL, *output = NULL, *bufsize = "16m";
	const char *ktrace = getenv("KTRACE") ? getenv("KTRACE") : "ktrace";
	int secs = 0, raw = 0, c, st = 0;
	pid_t child = 0;
	struct ev *evs;
	size_t n;
	FILE *in;

	while ((c = getopt(argc, argv, "hd:c:p:b:o:Ri:")) != -1) {
		switch (c) {
		case 'd': secs = num_arg("-d", optarg, 1, 86400); break;
		case 'c': cmd = optarg; break;
		case 'p': num_arg("-p", optarg, 1, 4194304); pid = optarg; break;
		case 'b': bufsize = optarg; break;
		case 'o': output = optarg; break;
		case 'R': raw = 1; break;
		case 'i': input = optarg; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind != argc || (cmd && (secs || pid)) || (input && (cmd || secs || pid || raw)))
		usage(2);
	if (!cmd && !secs && !input)
		secs = 5;
	out = stdout;
	if (output && !(out = fopen(output, "w"))) {
		fprintf(stderr, "%s: %s: %s\n", prog, output, strerror(errno));
		return 1;
	}
	if (input)
		in = strcmp(input, "-") ? fopen(input, "r") : stdin;
	else
		in = record_start(ktrace, cmd, pid, secs, bufsize, &child);
	if (!in) {
		fprintf(stderr, "%s: %s: %s\n", prog, input, strerror(errno));
		return 1;
	}
	if (raw) {
		char buf[65536];
		size_t k;

		while ((k = fread(buf, 1, sizeof(buf), in)) > 0)
			fwrite(buf, 1, k, out);
	} else {
		evs = read_events(in, input ? input : "ktrace", &n);
		if (child)
			fprintf(stderr, "%s: %zu events recorded\n", prog, n);
		write_json(evs, n);
	}
	if (child) {
		int ws;

		fclose(in);
		if (waitpid(child, &ws, 0) < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws)) {
			fprintf(stderr, "%s: ktrace failed (status 0x%x)\n", prog, ws);
			st = 1;
		}
	}
	if (fflush(out) || ferror(out)) {
		fprintf(stderr, "%s: write error\n", prog);
		st = 1;
	}
	return st;
}
