// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace-exporter: runs D programs continuously (one ktrace session per
 * program) and serves their aggregations as Prometheus metrics on
 * /metrics, over libmicrohttpd.  See docs/tools/ktrace-exporter.8 and
 * docs/fleet.md.
 *
 * Threads: libmicrohttpd's own polling thread answers requests; the main
 * thread collects every second (heartbeat, drain, snapshot) and reloads on
 * SIGHUP.  One mutex covers the sessions and the store: a scrape collects
 * first, so it sees every event up to the request.
 *
 * Nothing that arrives over HTTP is compiled or run: the programs come
 * only from the configuration directory (or the built-in set).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "exporter.h"

struct kx_state {
	pthread_mutex_t		lock;
	struct kx_store		store;
	struct kx_prog		progs[KX_MAX_PROGS];
	int			nprogs;
	bool			builtin;
	const char		*dir;
	bool			dir_given;
	/* its own metrics */
	uint64_t		scrapes, errors, reloads_ok, reloads_failed, http_errors;
	double			last_scrape_s, start_time;
	double			last_collect;	/* monotonic */
};

static struct kx_state X = { .lock = PTHREAD_MUTEX_INITIALIZER };
static volatile sig_atomic_t got_hup, got_term;

static void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logmsg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", KX_PNAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static double now_unix(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ labels --- */

static void key_text(const struct kt_val *k, char *buf, size_t n)
{
	if (k->enc == KTRACE_TYPE_STRING) {
		snprintf(buf, n, "%s", k->s ? k->s : "");
		return;
	}
	switch (k->dtype) {
	case KT_DT_SYM: case KT_DT_USYM: case KT_DT_MOD: case KT_DT_UMOD:
		kt_addr_text(k->dtype, k->pid, (uint64_t)k->i, false, buf, n);
		break;
	case KT_DT_PTR:
		snprintf(buf, n, "0x%llx", (unsigned long long)k->i);
		break;
	case KT_DT_U64:
		snprintf(buf, n, "%llu", (unsigned long long)k->i);
		break;
	case KT_DT_U32:
		snprintf(buf, n, "%u", (uint32_t)k->i);
		break;
	case KT_DT_S32:
		snprintf(buf, n, "%d", (int32_t)k->i);
		break;
	case KT_DT_U16:
		snprintf(buf, n, "%u", (uint16_t)k->i);
		break;
	case KT_DT_S16:
		snprintf(buf, n, "%d", (int16_t)k->i);
		break;
	case KT_DT_U8:
		snprintf(buf, n, "%u", (uint8_t)k->i);
		break;
	case KT_DT_S8: case KT_DT_CHAR:
		snprintf(buf, n, "%d", (int8_t)k->i);
		break;
	default:
		snprintf(buf, n, "%lld", (long long)k->i);
	}
}

/* the rendered labels of entry e for metric m (program label first) */
static void entry_labels(const struct kx_metric *m, const struct kt_aggent *e, char *out,
			 size_t n)
{
	char val[1024];
	int i;

	out[0] = '\0';
	for (i = 0; i < m->nlabels && i < e->nkeys; i++) {
		size_t o = strlen(out);

		snprintf(out + o, n - o, "%s%s=\"", i ? "," : "", m->labels[i]);
		key_text(&e->keys[i], val, sizeof(val));
		kx_escape_label(out, n - 1, val);
		o = strlen(out);
		snprintf(out + o, n - o, "\"");
	}
}

/* -------------------------------------------------------- collecting --- */

static struct kx_family *metric_family(const struct kx_metric *m)
{
	return kx_family(&X.store, m->name, m->help, m->type, m->nb, m->le,
			 m->sumi != UINT32_MAX);
}

static long double gauge_value(const struct ktrace_agg_desc *ad, const int64_t *v)
{
	switch (ad->func) {
	case KTRACE_AGG_AVG:
		return v[0] ? (long double)v[1] / v[0] : 0;
	case KTRACE_AGG_STDDEV:
		return (long double)kt_stddev(v, 1);
	default:
		return v[0];
	}
}

static void collect_prog(struct kx_prog *xp, double now)
{
	struct kt_sess *s = &xp->sess;
	char labels[4096];
	size_t i;
	int j;

	if (!xp->running)
		return;
	if (kt_sess_status(s, &xp->st) < 0 || xp->st.state == KTRACE_STATE_KILLED ||
	    xp->st.exited) {
		logmsg("%s: the session ended (%s); its metrics stay as they were", xp->path,
		       xp->st.exited ? "exit() called" : "aborted by the kernel");
		X.errors++;
		kt_sess_close(s);
		xp->running = false;
		return;
	}
	/*
	 * Every snapshot merged from now on lands in the delta table too: the
	 * consumer takes some of its own while it carries out a record's
	 * printa(), clear() or trunc() (record.c), not only the one below.
	 */
	kt_aggtab_free(&xp->delta);
	if (kt_aggtab_init(&xp->delta, xp->prog) < 0) {
		s->delta = NULL;
		X.errors++;
		return;
	}
	s->delta = &xp->delta;
	kt_sess_consume(s);
	if (kt_sess_agg_snap(s) < 0)
		X.errors++;
	for (j = 0; j < xp->nm; j++) {
		const struct kx_metric *m = &xp->m[j];
		const struct ktrace_agg_desc *ad = &xp->prog->aggs[m->aggi];
		struct kx_family *f = metric_family(m);
		/* counters and histograms: what this snapshot added; gauges: the
		 * program's own view (after its clear()/trunc()) */
		const struct kt_aggtab *t = m->type == KX_GAUGE ? &s->aggs : &xp->delta;

		if (!f) {
			X.errors++;
			continue;
		}
		for (i = 0; i < t->n; i++) {
			const struct kt_aggent *e = t->v[i];
			struct kx_series *se;

			if (e->agg != m->aggi)
				continue;
			entry_labels(m, e, labels, sizeof(labels));
			se = kx_series(&X.store, f, labels, now);
			if (!se)
				continue;
			if (m->type == KX_GAUGE) {
				kx_gauge_set(&X.store, se, gauge_value(ad, e->vals) * m->scale);
			} else if (m->type == KX_COUNTER) {
				kx_counter_add(se, e->vals[0] * m->scale);
			} else {
				const struct kt_aggent *se_sum = m->sumi == UINT32_MAX ? NULL :
					kt_agg_find(&xp->delta, m->sumi, e->key, e->keysize);

				if (e->nvals == m->nb)
					kx_hist_add(f, se, e->vals,
						    se_sum ? se_sum->vals[0] * m->scale : 0);
			}
		}
		/* the sum of a histogram whose buckets did not change this time */
		if (m->type == KX_HISTOGRAM && m->sumi != UINT32_MAX)
			for (i = 0; i < xp->delta.n; i++) {
				const struct kt_aggent *e = xp->delta.v[i];
				struct kx_series *se;

				if (e->agg != m->sumi ||
				    kt_agg_find(&xp->delta, m->aggi, e->key, e->keysize))
					continue;
				entry_labels(m, e, labels, sizeof(labels));
				se = kx_series(&X.store, f, labels, now);
				if (se)
					se->sum += e->vals[0] * m->scale;
			}
	}
}

/* the exporter's own families (names under ktrace_exporter_ and ktrace_session_) */
static struct kx_family *own_family(const char *name, const char *help, enum kx_type type)
{
	struct kx_family *f = kx_family(&X.store, name, help, type, 0, NULL, false);

	if (f)
		f->own = true;
	return f;
}

static void own_counter(const char *name, const char *help, const char *labels, long double v,
			double now)
{
	struct kx_family *f = own_family(name, help, KX_COUNTER);
	struct kx_series *s = f ? kx_series(&X.store, f, labels, now) : NULL;

	if (s)
		s->value = v;
}

static void own_gauge(const char *name, const char *help, const char *labels, long double v,
		      double now)
{
	struct kx_family *f = own_family(name, help, KX_GAUGE);
	struct kx_series *s = f ? kx_series(&X.store, f, labels, now) : NULL;

	if (s)
		kx_gauge_set(&X.store, s, v);
}

static void collect_own(double now)
{
	struct rusage ru;
	char l[512];
	int i, running = 0;

	/* own families: never refused for want of room, nor counted against
	 * --max-series (they are few and bounded) */
	for (i = 0; i < X.nprogs; i++) {
		struct kx_prog *xp = &X.progs[i];
		const struct ktrace_status *st = &xp->st;
		uint64_t drops = 0;
		uint32_t c;

		running += xp->running;
		l[0] = '\0';
		strcat(l, "program=\"");
		kx_escape_label(l, sizeof(l) - 2, xp->name);
		strcat(l, "\"");
		own_gauge("ktrace_session_up", "1 while the program's session runs", l,
			  xp->running, now);
		own_gauge("ktrace_session_probes", "Probes the program's clauses matched, as ktrace counts them (not the ERROR clause)", l,
			  xp->nprobes, now);
		if (xp->sess.hdr)
			for (c = 0; c < xp->sess.hdr->ncpus && c < KTRACE_MAX_CPUS; c++)
				drops += xp->sess.drops[c];
		own_counter("ktrace_session_drops", "Principal buffer drops (ktrace STATUS)", l,
			    drops, now);
		own_counter("ktrace_session_aggregation_drops", "Aggregation drops (no room in the aggregation buffer)",
			    l, xp->sess.aggdrops_total, now);
		own_counter("ktrace_session_errors", "Probe faults (ktrace STATUS errors)", l,
			    st->errors, now);
		own_counter("ktrace_session_dynvar_drops", "Dynamic variable drops (ktrace STATUS)",
			    l, st->dynvar_drops, now);
		own_counter("ktrace_session_recursion_drops", "Firings dropped by the recursion guard (ktrace STATUS)",
			    l, st->recursion_drops, now);
		own_counter("ktrace_session_budget_faults", "Firings cut by the instruction budget (ktrace STATUS)",
			    l, st->budget_faults, now);
	}
	own_gauge("ktrace_exporter_sessions", "Programs whose session runs", "", running, now);
	own_counter("ktrace_exporter_scrapes", "Scrapes of /metrics answered", "", X.scrapes, now);
	own_counter("ktrace_exporter_errors", "Collection errors (failed snapshots, ended sessions)",
		    "", X.errors, now);
	own_counter("ktrace_exporter_http_errors", "Requests answered with an error status", "",
		    X.http_errors, now);
	own_counter("ktrace_exporter_reloads", "Configuration reloads (SIGHUP)", "result=\"ok\"",
		    X.reloads_ok, now);
	own_counter("ktrace_exporter_reloads", "Configuration reloads (SIGHUP)",
		    "result=\"refused\"", X.reloads_failed, now);
	own_counter("ktrace_exporter_dropped_series", "Series not exported: --max-series reached",
		    "", X.store.dropped, now);
	own_gauge("ktrace_exporter_series", "Series held (all families)", "", X.store.nseries, now);
	own_gauge("ktrace_exporter_scrape_duration_seconds", "How long the previous scrape took",
		  "", X.last_scrape_s, now);
	getrusage(RUSAGE_SELF, &ru);
	own_counter("ktrace_exporter_cpu_seconds", "CPU time of the exporter (user + system)", "",
		    ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6L, now);
}

/* with X.lock held */
static void collect(void)
{
	double now = now_unix();
	int i;

	X.last_collect = now_mono();
	X.store.gen++;
	for (i = 0; i < X.nprogs; i++)
		collect_prog(&X.progs[i], now);
	collect_own(now);
}

/* ---------------------------------------------------------- sessions --- */

static int start_prog(struct kx_prog *xp)
{
	xp->devnull = xp->devnull ? xp->devnull : fopen("/dev/null", "w");
	if (!xp->devnull)
		return -1;
	if (kt_sess_open(&xp->sess, xp->prog, &xp->opts, xp->devnull, 0, &xp->nprobes) < 0 ||
	    kt_sess_go(&xp->sess) < 0) {
		kt_sess_close(&xp->sess);
		return -1;
	}
	xp->running = true;
	return 0;
}

/* the last snapshot, then the session ends (closing the device removes its probes) */
static void stop_prog(struct kx_prog *xp, bool last_collect)
{
	if (xp->running && last_collect)
		collect_prog(xp, now_unix());
	if (xp->running)
		kt_sess_close(&xp->sess);
	xp->running = false;
	kt_aggtab_free(&xp->delta);
	if (xp->devnull)
		fclose(xp->devnull);
	xp->devnull = NULL;
	kx_prog_free(xp);
}

/*
 * Start progs[0..n): all, or (strict) none.  Not strict (the built-in
 * set): a program whose probes this kernel lacks is left out, with a note.
 */
static int start_all(struct kx_prog *progs, int n, bool strict)
{
	int i, j, started = 0;

	for (i = 0; i < n; i++) {
		if (start_prog(&progs[i]) == 0) {
			started++;
			continue;
		}
		if (strict) {
			logmsg("%s: could not start its session (above)", progs[i].path);
			for (j = 0; j < i; j++)
				if (progs[j].running) {
					kt_sess_close(&progs[j].sess);
					progs[j].running = false;
				}
			return -1;
		}
		logmsg("%s: left out: this kernel cannot run it (above)", progs[i].path);
	}
	return started ? 0 : -1;
}

/*
 * SIGHUP: compile the configuration again; if it compiles, the old
 * sessions are collected a last time and stopped, then the new ones
 * start (one after the other: no event is counted twice).  Counters and
 * histograms of the metrics the new set still has go on from their
 * totals (no reset, no gap); metrics it no longer has go away.  A
 * configuration that does not compile, or whose sessions cannot start,
 * changes nothing: the old one is started again.
 */
static void reload(void)
{
	struct kx_prog *nw = calloc(KX_MAX_PROGS, sizeof(*nw));
	const char **keep;
	char *err = NULL;
	bool builtin;
	int n = 0, i, j, k = 0;

	if (!nw) {
		X.reloads_failed++;
		return;
	}
	if (kx_config_load(X.dir, X.dir_given, nw, &n, &builtin, &err) < 0) {
		logmsg("reload refused, the running configuration stays: %s", err ? err : "?");
		free(err);
		free(nw);
		X.reloads_failed++;
		return;
	}
	pthread_mutex_lock(&X.lock);
	for (i = 0; i < X.nprogs; i++) {
		if (X.progs[i].running)
			collect_prog(&X.progs[i], now_unix());
		if (X.progs[i].running)
			kt_sess_close(&X.progs[i].sess);
		X.progs[i].running = false;
	}
	if (start_all(nw, n, !builtin) < 0) {
		logmsg("reload refused: the new programs' sessions did not start; restarting the old ones");
		for (i = 0; i < n; i++)
			stop_prog(&nw[i], false);
		start_all(X.progs, X.nprogs, false);
		X.reloads_failed++;
		pthread_mutex_unlock(&X.lock);
		free(nw);
		return;
	}
	for (i = 0; i < X.nprogs; i++)
		stop_prog(&X.progs[i], false);
	memcpy(X.progs, nw, n * sizeof(*nw));
	X.nprogs = n;
	X.builtin = builtin;
	/* the families still defined keep their series */
	keep = calloc(KX_MAX_PROGS * 64 + 1, sizeof(*keep));
	if (keep) {
		for (i = 0; i < n; i++)
			for (j = 0; j < X.progs[i].nm && k < KX_MAX_PROGS * 64; j++)
				keep[k++] = X.progs[i].m[j].name;
		for (i = 0; i < (int)X.store.nfam && k < KX_MAX_PROGS * 64; i++)
			if (!strncmp(X.store.fam[i]->name, "ktrace_exporter_", 16) ||
			    !strncmp(X.store.fam[i]->name, "ktrace_session_", 15))
				keep[k++] = X.store.fam[i]->name;
		keep[k] = NULL;
		kx_store_retain(&X.store, keep);
		free(keep);
	}
	X.reloads_ok++;
	collect();
	pthread_mutex_unlock(&X.lock);
	free(nw);
	logmsg("reloaded: %d program%s%s", n, n == 1 ? "" : "s", builtin ? " (built-in set)" : "");
}

/* -------------------------------------------------------------- HTTP --- */

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int code, const char *ctype,
			     char *body, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", ctype);
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, "Allow", "GET, HEAD");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	if (code >= 400) {
		pthread_mutex_lock(&X.lock);
		X.http_errors++;
		pthread_mutex_unlock(&X.lock);
	}
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned int code, const char *msg)
{
	char *b = strdup(msg);

	return b ? reply(c, code, "text/plain; charset=utf-8", b, strlen(b)) : MHD_NO;
}

/*
 * GET /metrics: the exposition (OpenMetrics when the Accept header prefers
 * it); GET /: where the metrics are.  Everything else is an error; no
 * request body is ever read, let alone run.
 */
static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	char *body = NULL;
	size_t len = 0;
	FILE *f;
	bool om;
	double t0;

	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	if (*upload_size) {
		*upload_size = 0;	/* ignored */
		return MHD_YES;
	}
	if (!strcmp(url, "/"))
		return reply_text(c, MHD_HTTP_OK,
				  "ktrace-exporter: the metrics are at /metrics\n");
	if (strcmp(url, "/metrics"))
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found: the metrics are at /metrics\n");
	om = kx_accept_openmetrics(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
								MHD_HTTP_HEADER_ACCEPT));
	f = open_memstream(&body, &len);
	if (!f)
		return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	pthread_mutex_lock(&X.lock);
	t0 = now_mono();
	X.scrapes++;
	collect();
	kx_render(&X.store, f, om);
	X.last_scrape_s = now_mono() - t0;
	pthread_mutex_unlock(&X.lock);
	if (fclose(f) != 0) {
		free(body);
		return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	}
	return reply(c, MHD_HTTP_OK, om ? KX_CT_OM : KX_CT_TEXT, body, len);
}

/* -------------------------------------------------------------- main --- */

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [--listen ADDR:PORT] [--config DIR] [--max-series N]\n"
		"       %s --check [--config DIR] | --print-builtin\n"
		"  --listen ADDR:PORT  serve /metrics there (default 127.0.0.1:9464; IPv4)\n"
		"  --config DIR        the programs, DIR/*.d (default %s; when that\n"
		"                      directory is missing or empty: the built-in set)\n"
		"  --max-series N      at most N series of the programs' metrics (default 10000;\n"
		"                      0: no limit); the rest are counted in\n"
		"                      ktrace_exporter_dropped_series_total\n"
		"  --check             compile the configuration, say what it exports, exit\n"
		"  --print-builtin     print the built-in programs and exit\n"
		"Signals: SIGHUP reloads the configuration; SIGTERM/SIGINT stop.\n",
		KX_PNAME, KX_PNAME, KX_CONFIG_DIR);
}

static int parse_listen(const char *s, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 1 || port > 65535)
		return -1;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	if (!*host || !strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	return inet_pton(AF_INET, host, &sin->sin_addr) == 1 ? 0 : -1;
}

static void print_check(void)
{
	static const char *const tn[] = { "counter", "gauge", "histogram" };
	int i, j, k;

	for (i = 0; i < X.nprogs; i++)
		for (j = 0; j < X.progs[i].nm; j++) {
			const struct kx_metric *m = &X.progs[i].m[j];

			printf("%s: %s%s %s", X.progs[i].path, m->name,
			       m->type == KX_COUNTER ? "_total" : "", tn[m->type]);
			for (k = 0; k < m->nlabels; k++)
				printf("%s%s", k ? "," : " {", m->labels[k]);
			printf("%s from @%s\n", m->nlabels ? "}" : "", m->agg);
		}
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "config", required_argument, NULL, 'c' },
		{ "max-series", required_argument, NULL, 'm' },
		{ "check", no_argument, NULL, 'C' },
		{ "print-builtin", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *listen = "127.0.0.1:9464";
	struct sockaddr_in sin;
	struct MHD_Daemon *d;
	struct sigaction sa;
	bool check = false;
	char *err = NULL, *end;
	int opt, i;

	X.dir = KX_CONFIG_DIR;
	X.store.max_series = 10000;
	while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (opt) {
		case 'l':
			listen = optarg;
			break;
		case 'c':
			X.dir = optarg;
			X.dir_given = true;
			break;
		case 'm':
			errno = 0;
			X.store.max_series = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-') {
				logmsg("--max-series wants a number, not '%s'", optarg);
				return 2;
			}
			break;
		case 'C':
			check = true;
			break;
		case 'P':
			for (i = 0; kx_builtins[i].name; i++)
				printf("==> %s.d <==\n%s\n", kx_builtins[i].name, kx_builtins[i].src);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		logmsg("unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (parse_listen(listen, &sin) < 0) {
		logmsg("--listen wants IPV4ADDR:PORT, not '%s'", listen);
		return 2;
	}
	if (kx_config_load(X.dir, X.dir_given, X.progs, &X.nprogs, &X.builtin, &err) < 0) {
		logmsg("%s", err ? err : "cannot load the configuration");
		return 1;
	}
	if (check) {
		print_check();
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	X.start_time = now_unix();
	if (start_all(X.progs, X.nprogs, !X.builtin) < 0) {
		logmsg("no session started: nothing to export");
		return 1;
	}
	pthread_mutex_lock(&X.lock);
	collect();
	pthread_mutex_unlock(&X.lock);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
			     handler, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
			     MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536, MHD_OPTION_END);
	if (!d) {
		logmsg("cannot listen on %s: %s", listen, strerror(errno));
		for (i = 0; i < X.nprogs; i++)
			stop_prog(&X.progs[i], false);
		return 1;
	}
	logmsg("serving %d program%s%s on http://%s/metrics", X.nprogs, X.nprogs == 1 ? "" : "s",
	       X.builtin ? " (built-in set)" : "", listen);
	while (!got_term) {
		/* a heartbeat and a drain every second, scraped or not */
		struct timespec ts = { 1, 0 };

		nanosleep(&ts, NULL);
		if (got_term)
			break;
		if (got_hup) {
			got_hup = 0;
			reload();
			continue;
		}
		/* not again when a scrape just collected (1 s scrapes: half the work) */
		pthread_mutex_lock(&X.lock);
		if (now_mono() - X.last_collect >= 0.9)
			collect();
		pthread_mutex_unlock(&X.lock);
	}
	MHD_stop_daemon(d);
	for (i = 0; i < X.nprogs; i++)
		stop_prog(&X.progs[i], false);
	kx_store_free(&X.store);
	logmsg("stopped");
	return 0;
}
