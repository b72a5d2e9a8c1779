// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace-analytics: a local web page over live tracing (docs/analytics.md).
 *
 *   ktrace-analytics [--listen ADDR:PORT] [--ktrace PATH]
 *
 * Serves one page (built into the binary: no network, no CDN) and a small
 * JSON API on libmicrohttpd, 127.0.0.1:8377 by default:
 *   GET    /api/metrics                    the instrumentation table
 *   GET    /api/sessions                   sessions, CPU time of each ktrace
 *   POST   /api/sessions?metric=M[&key=K][&pred=P][&syscall=S]
 *                                          start one: 201 {"id":N}
 *   GET    /api/sessions/N[?since=SEQ]     its lines after SEQ (JSON)
 *   DELETE /api/sessions/N   (or POST /api/sessions/N/stop)   stop it
 * The page (/) takes add=QUERY parameters: instrumentations it starts at
 * load, as if added in its form (links that open a set of views).
 * A bad request gets a 4xx with {"error": "..."} and changes nothing:
 * unknown paths, methods, parameters, metrics or keys, a predicate outside
 * the grammar (instr.c), values over KA_MAX_PARAM bytes, a request body, a
 * Host that is not an address or localhost (DNS rebinding), or an Origin
 * that is not the page's own (another site's page posting to localhost).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "analytics.h"

#define KA_DEFAULT_LISTEN	"127.0.0.1:8377"
#define KA_MAX_PATH		256

static volatile int got_stop;

static void on_stop(int sig)
{
	(void)sig;
	got_stop = 1;
}

/* ------------------------------------------------------------ answers --- */
static enum MHD_Result answer(struct MHD_Connection *c, unsigned int code, const char *type,
			      char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; style-src 'self'");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

/* a JSON answer written by fn(o, arg) */
static enum MHD_Result answer_json(struct MHD_Connection *c, unsigned int code,
				   void (*fn)(FILE *o, void *arg), void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&buf, &len);

	if (!o)
		return MHD_NO;
	pthread_mutex_lock(&ka_lock);
	fn(o, arg);
	pthread_mutex_unlock(&ka_lock);
	fputc('\n', o);
	if (fclose(o)) {
		free(buf);
		return MHD_NO;
	}
	return answer(c, code, "application/json", buf, len, MHD_RESPMEM_MUST_FREE);
}

static void error_json(FILE *o, void *arg)
{
	fputs("{\"error\":", o);
	kt_json_string(o, arg);
	fputc('}', o);
}

static enum MHD_Result fail(struct MHD_Connection *c, unsigned int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum MHD_Result fail(struct MHD_Connection *c, unsigned int code, const char *fmt, ...)
{
	char msg[KA_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return answer_json(c, code, error_json, msg);
}

static void metrics_json(FILE *o, void *arg)
{
	(void)arg;
	ka_instr_table_json(o);
}

static void sessions_json(FILE *o, void *arg)
{
	(void)arg;
	ka_sessions_json(o);
}

struct data_req {
	int		id;
	uint64_t	since;
	int		found;
};

static void data_json(FILE *o, void *arg)
{
	struct data_req *d = arg;
	struct ka_session *s = ka_session_get(d->id);

	d->found = s != NULL;
	if (s)
		ka_session_data_json(o, s, d->since);
	else
		fprintf(o, "{\"error\":\"no session %d\"}", d->id);
}

/* --------------------------------------------------------- parameters --- */
struct params {
	const char *const	*allowed;	/* NULL-terminated names */
	const char		*val[8];	/* by index in allowed */
	char			bad[KA_ERR_MAX];
};

static enum MHD_Result param_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	struct params *p = cls;
	int i;

	(void)kind;
	for (i = 0; p->allowed[i]; i++)
		if (!strcmp(p->allowed[i], key))
			break;
	if (!p->allowed[i]) {
		snprintf(p->bad, sizeof(p->bad), "unknown parameter '%.40s'", key);
		return MHD_NO;
	}
	if (p->val[i]) {
		snprintf(p->bad, sizeof(p->bad), "parameter '%s' given twice", key);
		return MHD_NO;
	}
	if (!value)
		value = "";
	if (strlen(value) > KA_MAX_PARAM) {
		snprintf(p->bad, sizeof(p->bad), "parameter '%s' longer than %d bytes", key,
			 KA_MAX_PARAM);
		return MHD_NO;
	}
	p->val[i] = value;
	return MHD_YES;
}

/* the query's parameters, each at most once and among allowed; 0 or -1 */
static int get_params(struct MHD_Connection *c, struct params *p)
{
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, param_cb, p);
	return p->bad[0] ? -1 : 0;
}

/* Host is an address literal or localhost; Origin, if any, is http://Host */
static const char *check_origin(struct MHD_Connection *c)
{
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	size_t n;

	if (!host)
		return "no Host header";
	n = strcspn(host, ":");
	if (strncmp(host, "localhost", n) || n != 9) {
		if (host[0] == '[')
			n = strcspn(host, "]") + 1;
		for (size_t i = 0; i < n; i++)
			if (!isdigit((unsigned char)host[i]) && !strchr(".[]:abcdef", host[i]))
				return "Host must be an IP address or localhost";
	}
	if (host[n] && (host[n] != ':' || !host[n + 1] ||
			strspn(host + n + 1, "0123456789") != strlen(host + n + 1)))
		return "bad port in Host";
	if (origin && (strncmp(origin, "http://", 7) || strcmp(origin + 7, host)))
		return "cross-origin request refused";
	return NULL;
}

/* "/api/sessions/N" or ".../N/stop": N (> 0) or -1 */
static int session_id(const char *rest, const char **tail)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)rest[0]))
		return -1;
	errno = 0;
	v = strtol(rest, &end, 10);
	if (errno || v <= 0 || v > 1000000000 || end - rest > 10)
		return -1;
	*tail = end;
	return (int)v;
}

/* --------------------------------------------------------------- routes --- */
static const char *const no_params[] = { NULL };
static const char *const page_params[] = { "add", NULL };

/* the page's own parameters: add (repeatable), each at most KA_MAX_PARAM * 2 */
static enum MHD_Result page_param_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	struct params *p = cls;

	(void)kind;
	if (strcmp(key, "add"))
		snprintf(p->bad, sizeof(p->bad), "unknown parameter '%.40s'", key);
	else if (value && strlen(value) > 2 * KA_MAX_PARAM)
		snprintf(p->bad, sizeof(p->bad), "parameter 'add' longer than %d bytes",
			 2 * KA_MAX_PARAM);
	return p->bad[0] ? MHD_NO : MHD_YES;
}

static enum MHD_Result start_session(struct MHD_Connection *c)
{
	static const char *const allowed[] = { "metric", "key", "pred", "syscall", NULL };
	struct params p = { .allowed = allowed };
	struct ka_instr in;
	char err[KA_ERR_MAX], body[64];
	int id;

	if (get_params(c, &p) < 0)
		return fail(c, MHD_HTTP_BAD_REQUEST, "%s", p.bad);
	if (ka_instr_build(&in, p.val[0], p.val[1], p.val[2], p.val[3], err, sizeof(err)) < 0)
		return fail(c, MHD_HTTP_BAD_REQUEST, "%s", err);
	pthread_mutex_lock(&ka_lock);
	id = ka_session_start(&in, err, sizeof(err));
	pthread_mutex_unlock(&ka_lock);
	if (id < 0) {
		ka_instr_free(&in);
		return fail(c, MHD_HTTP_TOO_MANY_REQUESTS, "%s", err);
	}
	snprintf(body, sizeof(body), "{\"id\":%d}\n", id);
	return answer(c, MHD_HTTP_CREATED, "application/json", body, strlen(body),
		      MHD_RESPMEM_MUST_COPY);
}

static enum MHD_Result stop_session(struct MHD_Connection *c, int id)
{
	struct params p = { .allowed = no_params };
	struct ka_session *s;
	char body[64];

	if (get_params(c, &p) < 0)
		return fail(c, MHD_HTTP_BAD_REQUEST, "%s", p.bad);
	pthread_mutex_lock(&ka_lock);
	s = ka_session_get(id);
	if (s)
		ka_session_stop(s);
	pthread_mutex_unlock(&ka_lock);
	if (!s)
		return fail(c, MHD_HTTP_NOT_FOUND, "no session %d", id);
	snprintf(body, sizeof(body), "{\"stopped\":%d}\n", id);
	return answer(c, MHD_HTTP_OK, "application/json", body, strlen(body), MHD_RESPMEM_MUST_COPY);
}

static enum MHD_Result session_data(struct MHD_Connection *c, int id)
{
	static const char *const allowed[] = { "since", NULL };
	struct params p = { .allowed = allowed };
	struct data_req d = { .id = id };

	if (get_params(c, &p) < 0)
		return fail(c, MHD_HTTP_BAD_REQUEST, "%s", p.bad);
	if (p.val[0]) {
		char *end;

		errno = 0;
		d.since = strtoull(p.val[0], &end, 10);
		if (errno || end == p.val[0] || *end || !isdigit((unsigned char)p.val[0][0]))
			return fail(c, MHD_HTTP_BAD_REQUEST, "since: '%.40s' is not a number", p.val[0]);
	}
	pthread_mutex_lock(&ka_lock);
	d.found = ka_session_get(id) != NULL;
	pthread_mutex_unlock(&ka_lock);
	if (!d.found)
		return fail(c, MHD_HTTP_NOT_FOUND, "no session %d", id);
	return answer_json(c, MHD_HTTP_OK, data_json, &d);
}

static enum MHD_Result route(struct MHD_Connection *c, const char *url, const char *method)
{
	int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
	int post = !strcmp(method, "POST"), del = !strcmp(method, "DELETE");
	struct params p = { .allowed = no_params };
	const char *why, *tail;
	int id;

	if (strlen(url) > KA_MAX_PATH)
		return fail(c, MHD_HTTP_URI_TOO_LONG, "path longer than %d bytes", KA_MAX_PATH);
	why = check_origin(c);
	if (why)
		return fail(c, MHD_HTTP_FORBIDDEN, "%s", why);
	if (!strncmp(url, "/api/", 5)) {
		if (!strcmp(url, "/api/metrics") || !strcmp(url, "/api/sessions")) {
			if (!strcmp(url, "/api/sessions") && post)
				return start_session(c);
			if (!get)
				return fail(c, MHD_HTTP_METHOD_NOT_ALLOWED, "%s %s: no such method", method, url);
			if (get_params(c, &p) < 0)
				return fail(c, MHD_HTTP_BAD_REQUEST, "%s", p.bad);
			return answer_json(c, MHD_HTTP_OK, url[5] == 'm' ? metrics_json : sessions_json, NULL);
		}
		if (!strncmp(url, "/api/sessions/", 14) && (id = session_id(url + 14, &tail)) > 0) {
			if (!*tail && get)
				return session_data(c, id);
			if ((!*tail && del) || (!strcmp(tail, "/stop") && post))
				return stop_session(c, id);
			if (!*tail || !strcmp(tail, "/stop"))
				return fail(c, MHD_HTTP_METHOD_NOT_ALLOWED, "%s %s: no such method", method, url);
		}
		return fail(c, MHD_HTTP_NOT_FOUND, "no such API path");
	}
	{
		const struct ka_asset *a = ka_asset_find(url);

		if (!a)
			return fail(c, MHD_HTTP_NOT_FOUND, "no such page");
		if (!get)
			return fail(c, MHD_HTTP_METHOD_NOT_ALLOWED, "%s %s: no such method", method, url);
		/* the page takes add=QUERY (instrumentations to start: the server
		 * checks each when the page posts it) */
		p.allowed = page_params;
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, page_param_cb, &p);
		if (p.bad[0])
			return fail(c, MHD_HTTP_BAD_REQUEST, "%s", p.bad);
		return answer(c, MHD_HTTP_OK, a->type, (char *)a->data, a->len, MHD_RESPMEM_PERSISTENT);
	}
}

/* per connection: whether a body came (refused once it has) */
static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	static int fresh, had_body;

	(void)cls;
	(void)version;
	(void)upload;
	if (!*con_cls) {
		*con_cls = &fresh;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;	/* read and thrown away */
		*con_cls = &had_body;
		return MHD_YES;
	}
	if (*con_cls == &had_body)
		return fail(c, MHD_HTTP_BAD_REQUEST, "no request body is expected");
	return route(c, url, method);
}

/* ----------------------------------------------------------------- main --- */
static void usage(int st)
{
	fprintf(st ? stderr : stdout,
		"usage: %s [--listen ADDR:PORT] [--ktrace PATH]\n"
		"  --listen ADDR:PORT  where to serve the page (default %s; an IPv4 address)\n"
		"  --ktrace PATH       the ktrace CLI to run (default $KTRACE or ktrace from PATH)\n"
		"Open http://ADDR:PORT/ in a browser.  See docs/analytics.md.\n",
		KA_PNAME, KA_DEFAULT_LISTEN);
	exit(st);
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port < 0 || port > 65535)
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "ktrace", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *listen = KA_DEFAULT_LISTEN;
	const union MHD_DaemonInfo *info;
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	struct sigaction act = { .sa_handler = on_stop };
	char addr[INET_ADDRSTRLEN];
	int c;

	if (getenv("KTRACE") && *getenv("KTRACE"))
		ka_ktrace = getenv("KTRACE");
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 'k': ka_ktrace = optarg; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind != argc)
		usage(2);
	if (parse_listen(listen, &sa) < 0) {
		fprintf(stderr, "%s: --listen '%s': expected an IPv4 ADDR:PORT\n", KA_PNAME, listen);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGTERM, &act, NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
			     handler, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "%s: cannot listen on %s: %s\n", KA_PNAME, listen, strerror(errno));
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof(addr));
	printf("%s: serving http://%s:%u/ (ktrace: %s); Ctrl-C to stop\n", KA_PNAME, addr,
	       info ? info->port : ntohs(sa.sin_port), ka_ktrace);
	fflush(stdout);
	ka_collect_loop(&got_stop);
	MHD_stop_daemon(d);
	ka_sessions_shutdown();
	printf("%s: stopped, every session ended\n", KA_PNAME);
	return 0;
}
