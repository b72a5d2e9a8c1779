// SPDX-License-Identifier: GPL-2.0
/*
 * instr.c: the instrumentations ktrace-analytics offers, in the Cloud
 * Analytics way: a metric, decomposed by a key, filtered by a predicate.
 * Each is one row of metrics[] below; the D program is that row's template
 * with the key's and the predicate's expressions put in.  Nothing from the
 * request becomes program text except what this file checked character by
 * character: names found in the tables, decimal numbers, and a system call
 * name of [a-z0-9_].  String values (execname == "x") reach ktrace as macro
 * arguments ($$1...), never as D.
 *
 * Predicate grammar (at most KA_MAX_PARAM bytes):
 *   pred  := cmp { "&&" cmp }
 *   cmp   := FIELD OP VALUE
 *   OP    := == | != | < | <= | > | >=     (strings: == and != only)
 *   VALUE := decimal integer (0..4294967295) | "string" | bare word
 *            (a bare word starts with a letter: [A-Za-z][A-Za-z0-9_.:/+-]*)
 * FIELD is one of the metric's fields (its context's table).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "analytics.h"

/* a field or key: its name, and the D it is in the metric's context ("@"
 * in a field's expression stands for "OP VALUE"; a string field compares) */
struct ka_field {
	const char	*name;
	const char	*expr;
	int		string;
};

struct ka_ctx {
	const char		*name;
	const struct ka_field	*fields;
	const struct ka_field	*keys;
};

#define END_FIELD { NULL, NULL, 0 }

/* a thread's own context: a system call, a profile tick */
static const struct ka_field task_fields[] = {
	{ "execname", "execname @", 1 }, { "pid", "pid @", 0 }, { "tid", "tid @", 0 },
	{ "uid", "uid @", 0 }, { "cpu", "cpu @", 0 }, END_FIELD,
};
static const struct ka_field task_keys[] = {
	{ "execname", "execname", 1 }, { "pid", "pid", 0 }, { "tid", "tid", 0 },
	{ "syscall", "probefunc", 1 }, { "cpu", "cpu", 0 }, END_FIELD,
};
static const struct ka_field prof_keys[] = {
	{ "execname", "execname", 1 }, { "pid", "pid", 0 }, { "tid", "tid", 0 },
	{ "cpu", "cpu", 0 }, END_FIELD,
};
/* sched_switch, measured for the thread switched in (next) */
static const struct ka_field wake_fields[] = {
	{ "execname", "args->next_comm @", 1 }, { "tid", "args->next_pid @", 0 },
	{ "cpu", "cpu @", 0 }, END_FIELD,
};
static const struct ka_field wake_keys[] = {
	{ "execname", "args->next_comm", 1 }, { "tid", "args->next_pid", 0 },
	{ "cpu", "cpu", 0 }, END_FIELD,
};
/* sched_switch, either side (the timeline) */
static const struct ka_field switch_fields[] = {
	{ "execname", "(args->prev_comm @ || args->next_comm @)", 1 },
	{ "tid", "(args->prev_pid @ || args->next_pid @)", 0 }, { "cpu", "cpu @", 0 }, END_FIELD,
};
/* block I/O completion (interrupt context: no task fields) */
static const struct ka_field bio_fields[] = {
	{ "device", "args->dev @", 0 }, { "cpu", "cpu @", 0 }, END_FIELD,
};
static const struct ka_field bio_keys[] = {
	{ "device", "args->dev", 0 }, { "cpu", "cpu", 0 }, END_FIELD,
};
/* block I/O issue: the request, in the issuing task's context or not */
static const struct ka_field bio_issue_fields[] = {
	{ "device", "args->dev @", 0 }, { "cpu", "cpu @", 0 }, END_FIELD,
};
/* a profile tick on each CPU, idle or not */
static const struct ka_field cpu_fields[] = { { "cpu", "cpu @", 0 }, END_FIELD };
static const struct ka_field cpu_keys[] = { { "cpu", "cpu", 0 }, END_FIELD };
/* openat(2)'s return; the path was saved at entry */
static const struct ka_field open_keys[] = {
	{ "execname", "execname", 1 }, { "pid", "pid", 0 },
	{ "file", "copyinstr(self->ka_path)", 1 }, { "errno", "errno", 0 }, END_FIELD,
};
/* a TCP connection established (often in a softirq: no task fields) */
#define KA_SK "((struct sock *)arg1)->__sk_common"
static const struct ka_field tcp_fields[] = {
	{ "lport", KA_SK ".skc_num @", 0 }, { "rport", "ntohs(" KA_SK ".skc_dport) @", 0 },
	END_FIELD,
};
static const struct ka_field tcp_keys[] = {
	{ "direction", "probename", 1 }, { "lport", KA_SK ".skc_num", 0 },
	{ "rport", "ntohs(" KA_SK ".skc_dport)", 0 }, END_FIELD,
};
static const struct ka_field no_keys[] = { END_FIELD };

/*
 * Templates: {P} the predicate (1 when none), {K} "[KEY]" or "", {KC} "KEY, "
 * or "", {S} the system call's probe function ("" = every call).
 *
 * Views: heatmap (a quantize or lquantize each second: time on x, the
 * buckets on y, in yunit, linear steps of ystep or powers of two when 0),
 * count (a count() each second, decomposed by the key: stacked columns),
 * flamegraph (stacks as keys), timeline (one record per context switch).
 */
struct ka_metric {
	const char		*name;
	const char		*title;
	const char		*view;
	const char		*unit;	/* what a count or a flame graph's value counts */
	const char		*yunit;	/* a heat map's buckets: ns, bytes or % */
	int			ystep;	/* lquantize's step; 0: quantize */
	const struct ka_field	*fields;
	const struct ka_field	*keys;
	int			takes_syscall;
	const char		*tmpl;
};

static const struct ka_metric metrics[] = {
	{ "syscall_latency", "system call latency (entry to return)", "heatmap", "events", "ns", 0,
	  task_fields, task_keys, 1,
	  "syscall::{S}:entry /{P}/ { self->ka_ts = timestamp; }\n"
	  "syscall::{S}:return /self->ka_ts/ {\n"
	  "\t@lat{K} = quantize(timestamp - self->ka_ts);\n\tself->ka_ts = 0;\n}\n"
	  "tick-1s { printa(@lat); trunc(@lat); }\n" },
	{ "offcpu_latency", "off-CPU time (switched out to switched back in)", "heatmap", "events", "ns", 0,
	  wake_fields, wake_keys, 0,
	  "tracepoint:sched::sched_switch /args->prev_pid/ { ka_off[args->prev_pid] = timestamp; }\n"
	  "tracepoint:sched::sched_switch /ka_off[args->next_pid] && ({P})/ {\n"
	  "\t@lat{K} = quantize(timestamp - ka_off[args->next_pid]);\n"
	  "\tka_off[args->next_pid] = 0;\n}\n"
	  "tick-1s { printa(@lat); trunc(@lat); }\n" },
	{ "bio_latency", "block I/O latency (issue to completion)", "heatmap", "events", "ns", 0,
	  bio_fields, bio_keys, 0,
	  "tracepoint:block::block_rq_issue { ka_bio[args->dev, args->sector] = timestamp; }\n"
	  "tracepoint:block::block_rq_complete /ka_bio[args->dev, args->sector] && ({P})/ {\n"
	  "\t@lat{K} = quantize(timestamp - ka_bio[args->dev, args->sector]);\n"
	  "\tka_bio[args->dev, args->sector] = 0;\n}\n"
	  "tick-1s { printa(@lat); trunc(@lat); }\n" },
	/* where on the disk: the byte offset of each request issued */
	{ "bio_offset", "block I/O offset (bytes into the device, at issue)", "heatmap", "requests",
	  "bytes", 0, bio_issue_fields, bio_keys, 0,
	  "tracepoint:block::block_rq_issue /{P}/ { @off{K} = quantize(args->sector * 512); }\n"
	  "tick-1s { printa(@off); trunc(@off); }\n" },
	/*
	 * Each CPU counts its busy samples (a thread other than the idle
	 * task's, pid 0) at 97 Hz; once a second profile-1 fires on every CPU,
	 * which puts its own share of the second into the distribution: the
	 * heat map counts CPUs by utilization band.
	 */
	{ "cpu_utilization", "CPU utilization (each CPU's busy share of a second, 97 Hz samples)",
	  "heatmap", "CPUs", "%", 10, cpu_fields, cpu_keys, 0,
	  "profile-97 /pid != 0 && ({P})/ { ka_busy[cpu] = ka_busy[cpu] + 1; }\n"
	  "profile-1 /{P}/ {\n"
	  "\t@util{K} = lquantize(ka_busy[cpu] * 100 / 97, 0, 100, 10);\n"
	  "\tka_busy[cpu] = 0;\n}\n"
	  "tick-1s { printa(@util); trunc(@util); }\n" },
	{ "file_opens", "files opened (openat(2) calls, failed ones included)", "count", "opens",
	  NULL, 0, task_fields, open_keys, 0,
	  "syscall::openat:entry /{P}/ { self->ka_path = arg1; }\n"
	  "syscall::openat:return /self->ka_path/ { @n{K} = count(); self->ka_path = 0; }\n"
	  "tick-1s { printa(@n); trunc(@n); }\n" },
	{ "tcp_connections", "TCP connections established (connect and accept, IPv4 and IPv6)",
	  "count", "connections", NULL, 0, tcp_fields, tcp_keys, 0,
	  "tcp:::connect-established, tcp:::accept-established /{P}/ { @n{K} = count(); }\n"
	  "tick-1s { printa(@n); trunc(@n); }\n" },
	{ "oncpu", "on-CPU stacks, kernel and user, sampled at 99 Hz", "flamegraph", "samples", NULL, 0,
	  task_fields, prof_keys, 0,
	  "profile-99 /pid != 0 && ({P})/ { @st[{KC}stack(), ustack()] = count(); }\n"
	  "tick-1s { printa(@st); trunc(@st); }\n" },
	/*
	 * off-cpu fires in the thread leaving the CPU, on-cpu in the thread
	 * coming back (first thing after the switch): its stacks are where it
	 * blocked.  The predicate is tested when it leaves, the key when it is back.
	 */
	{ "offcpu_stacks", "off-CPU time by kernel and user stack (where threads block)",
	  "flamegraph", "ns", NULL, 0, task_fields, prof_keys, 0,
	  "sched:::off-cpu /pid != 0 && ({P})/ { self->ka_off = timestamp; }\n"
	  "sched:::on-cpu /self->ka_off/ {\n"
	  "\t@st[{KC}stack(), ustack()] = sum(timestamp - self->ka_off);\n"
	  "\tself->ka_off = 0;\n}\n"
	  "tick-1s { printa(@st); trunc(@st); }\n" },
	{ "threads", "thread timeline: every context switch", "timeline", "events", NULL, 0,
	  switch_fields, no_keys, 0,
	  "tracepoint:sched::sched_switch /{P}/ {\n"
	  "\tprintf(\"%d %d %d %d %d\\t%s\\t%s\\n\", timestamp, cpu, args->prev_pid,\n"
	  "\t       args->prev_state, args->next_pid, args->prev_comm, args->next_comm);\n}\n" },
};

#define NMETRICS (sizeof(metrics) / sizeof(metrics[0]))

static const struct ka_field *field_find(const struct ka_field *t, const char *name, size_t n)
{
	for (; t->name; t++)
		if (strlen(t->name) == n && !strncmp(t->name, name, n))
			return t;
	return NULL;
}

static void names_of(const struct ka_field *t, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (; t->name && o < len; t++)
		o += snprintf(buf + o, len - o, "%s%s", o ? ", " : "", t->name);
}

/* a growing string; out of memory aborts the program (a few KB at most) */
struct sb {
	char	*s;
	size_t	len, cap;
};

static void sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s) {
			fprintf(stderr, "%s: out of memory\n", KA_PNAME);
			exit(1);
		}
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_str(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* one comparison's D: the field's expression with "@" = "OP VALUE" */
static void cmp_expr(struct sb *b, const struct ka_field *f, const char *cmp)
{
	for (const char *p = f->expr; *p; p++) {
		if (*p == '@')
			sb_str(b, cmp);
		else
			sb_add(b, p, 1);
	}
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); goto fail; } while (0)

static int parse_pred(struct ka_instr *in, const struct ka_metric *m, const char *p,
		      struct sb *out, char *err, size_t errlen)
{
	static const char *const ops[] = { "==", "!=", "<=", ">=", "<", ">" };
	char allowed[256];

	names_of(m->fields, allowed, sizeof(allowed));
	for (int first = 1;; first = 0) {
		const struct ka_field *f;
		const char *name, *op = NULL;
		char cmp[96], val[KA_MAX_PARAM + 1];
		size_t n, vn = 0;

		while (*p == ' ')
			p++;
		if (!first) {
			if (!*p)
				break;
			if (strncmp(p, "&&", 2))
				FAIL("predicate: expected && or the end at '%.20s'", p);
			p += 2;
			while (*p == ' ')
				p++;
		}
		name = p;
		while (islower((unsigned char)*p))
			p++;
		n = (size_t)(p - name);
		if (!n)
			FAIL("predicate: expected a field (%s) at '%.20s'", allowed, name);
		f = field_find(m->fields, name, n);
		if (!f)
			FAIL("predicate: unknown field '%.*s' for %s (fields: %s)", (int)n, name,
			     m->name, allowed);
		while (*p == ' ')
			p++;
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			if (!strncmp(p, ops[i], strlen(ops[i]))) {
				op = ops[i];
				break;
			}
		if (!op)
			FAIL("predicate: expected ==, !=, <, <=, > or >= after %s", f->name);
		p += strlen(op);
		while (*p == ' ')
			p++;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (!isprint((unsigned char)*p) || *p == '\\')
					FAIL("predicate: a string holds printable characters but \\");
				val[vn++] = *p;
			}
			if (*p != '"')
				FAIL("predicate: unterminated string");
			p++;
			val[vn] = '\0';
			if (!vn)
				FAIL("predicate: empty string");
		} else if (isalpha((unsigned char)*p)) {
			while (isalnum((unsigned char)*p) || strchr("_.:/+-", *p))
				val[vn++] = *p++;
			val[vn] = '\0';
		} else if (isdigit((unsigned char)*p)) {
			char *end;
			unsigned long long v = strtoull(p, &end, 10);

			if (end - p > 10 || v > 4294967295ull)
				FAIL("predicate: %s: number out of range (0..4294967295)", f->name);
			if (f->string)
				FAIL("predicate: %s is a string: quote it", f->name);
			snprintf(cmp, sizeof(cmp), "%s %llu", op, v);
			p = end;
			goto add;
		} else {
			FAIL("predicate: expected a number or a string after %s %s", f->name, op);
		}
		if (!f->string)
			FAIL("predicate: %s takes a number, not '%s'", f->name, val);
		if (strcmp(op, "==") && strcmp(op, "!="))
			FAIL("predicate: strings compare with == and != only");
		if (in->nmargs == KA_MAX_ARGS)
			FAIL("predicate: at most %d strings", KA_MAX_ARGS);
		in->margs[in->nmargs] = strdup(val);
		if (!in->margs[in->nmargs])
			FAIL("out of memory");
		snprintf(cmp, sizeof(cmp), "%s $$%d", op, ++in->nmargs);
add:
		if (out->len)
			sb_str(out, " && ");
		cmp_expr(out, f, cmp);
	}
	return 0;
fail:
	return -1;
}

static const struct ka_metric *metric_find(const char *name)
{
	for (size_t i = 0; i < NMETRICS; i++)
		if (!strcmp(metrics[i].name, name))
			return &metrics[i];
	return NULL;
}

int ka_instr_build(struct ka_instr *in, const char *metric, const char *key,
		   const char *pred, const char *arg, char *err, size_t errlen)
{
	const struct ka_metric *m;
	const struct ka_field *k = NULL;
	struct sb pb = { 0 }, prog = { 0 };
	char allowed[256], kbuf[128];

	memset(in, 0, sizeof(*in));
	if (!metric)
		FAIL("missing parameter 'metric'");
	m = metric_find(metric);
	if (!m) {
		size_t o = 0;

		for (size_t i = 0; i < NMETRICS; i++)
			o += snprintf(allowed + o, sizeof(allowed) - o, "%s%s", i ? ", " : "",
				      metrics[i].name);
		FAIL("unknown metric '%.40s' (metrics: %s)", metric, allowed);
	}
	in->metric = m->name;
	in->view = m->view;
	if (key && *key && strcmp(key, "none")) {
		k = field_find(m->keys, key, strlen(key));
		if (!k) {
			names_of(m->keys, allowed, sizeof(allowed));
			FAIL("unknown key '%.40s' for %s (keys: none%s%s)", key, m->name,
			     *allowed ? ", " : "", allowed);
		}
		snprintf(in->key, sizeof(in->key), "%s", k->name);
	} else {
		snprintf(in->key, sizeof(in->key), "none");
	}
	if (arg && *arg) {
		size_t n = strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789_");

		if (!m->takes_syscall)
			FAIL("%s takes no 'syscall' parameter", m->name);
		if (arg[n] || n >= sizeof(in->arg) || isdigit((unsigned char)arg[0]))
			FAIL("bad syscall name '%.40s' ([a-z0-9_], at most %zu)", arg, sizeof(in->arg) - 1);
		snprintf(in->arg, sizeof(in->arg), "%s", arg);
	} else if (m->takes_syscall) {
		snprintf(in->arg, sizeof(in->arg), "read");
	}
	if (pred && *pred) {
		if (strlen(pred) > KA_MAX_PARAM)
			FAIL("predicate longer than %d bytes", KA_MAX_PARAM);
		snprintf(in->pred_text, sizeof(in->pred_text), "%s", pred);
		if (parse_pred(in, m, pred, &pb, err, errlen) < 0)
			goto fail;
	} else {
		sb_str(&pb, "1");
	}
	for (const char *t = m->tmpl; *t; t++) {
		if (!strncmp(t, "{P}", 3)) {
			sb_str(&prog, pb.s);
			t += 2;
		} else if (!strncmp(t, "{K}", 3)) {
			if (k) {
				snprintf(kbuf, sizeof(kbuf), "[%s]", k->expr);
				sb_str(&prog, kbuf);
			}
			t += 2;
		} else if (!strncmp(t, "{KC}", 4)) {
			if (k) {
				snprintf(kbuf, sizeof(kbuf), "%s, ", k->expr);
				sb_str(&prog, kbuf);
			}
			t += 3;
		} else if (!strncmp(t, "{S}", 3)) {
			sb_str(&prog, strcmp(in->arg, "all") ? in->arg : "");
			t += 2;
		} else {
			sb_add(&prog, t, 1);
		}
	}
	free(pb.s);
	in->prog = prog.s;
	return 0;
fail:
	free(pb.s);
	free(prog.s);
	ka_instr_free(in);
	return -1;
}


void ka_instr_free(struct ka_instr *in)
{
	for (int i = 0; i < in->nmargs; i++)
		free(in->margs[i]);
	in->nmargs = 0;
	free(in->prog);
	in->prog = NULL;
}

static void fields_json(FILE *o, const struct ka_field *t)
{
	fputc('[', o);
	for (int i = 0; t[i].name; i++)
		fprintf(o, "%s{\"name\":\"%s\",\"type\":\"%s\"}", i ? "," : "", t[i].name,
			t[i].string ? "string" : "number");
	fputc(']', o);
}

void ka_instr_table_json(FILE *o)
{
	fputs("{\"metrics\":[", o);
	for (size_t i = 0; i < NMETRICS; i++) {
		const struct ka_metric *m = &metrics[i];

		fprintf(o, "%s{\"name\":\"%s\",\"title\":", i ? "," : "", m->name);
		kt_json_string(o, m->title);
		fprintf(o, ",\"view\":\"%s\",\"unit\":\"%s\",", m->view, m->unit);
		if (m->yunit)
			fprintf(o, "\"yunit\":\"%s\",\"ystep\":%d,", m->yunit, m->ystep);
		fprintf(o, "\"syscall\":%s,\"keys\":", m->takes_syscall ? "true" : "false");
		fields_json(o, m->keys);
		fputs(",\"fields\":", o);
		fields_json(o, m->fields);
		fputc('}', o);
	}
	fputs("]}", o);
}
