/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktrace-analytics: a local web page over live tracing.
 *
 *   analytics.c     main, the HTTP side (libmicrohttpd): routes, parameters,
 *                   JSON answers, the built-in page
 *   instr.c         the instrumentation table (metric x key x predicate) and
 *                   the D program each one becomes
 *   session.c       the sessions: one ktrace process each, its output kept
 *                   in a bounded ring, stopped on request or when no page
 *                   has asked for it for KA_IDLE_STOP_S seconds
 *   assets.c        page.html, analytics.js, analytics.css built in
 *
 * Locking: one mutex (ka_lock) covers the session table and every ring; the
 * HTTP thread takes it per request, the main thread per collection round.
 */
#ifndef KTRACE_ANALYTICS_H
#define KTRACE_ANALYTICS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "kt_json.h"
#include <sys/types.h>

#define KA_PNAME		"ktrace-analytics"
#define KA_MAX_SESSIONS		8
#define KA_IDLE_STOP_S		10	/* no page asked for 10 s: stop */
#define KA_RELEASE_S		60	/* ended and not asked for: forgotten */
#define KA_RING_LINES		8192	/* lines kept per session */
#define KA_RING_BYTES		(8u << 20)
#define KA_LINE_MAX		(1u << 20)	/* a longer line is dropped (counted) */
#define KA_MAX_ANSWER_LINES	2000
#define KA_MAX_PARAM		128	/* bytes of one query value */
#define KA_MAX_ARGS		8	/* macro arguments ($$1..) of a program */
#define KA_ERR_MAX		512

/* ----- instrumentations (instr.c) ----- */
struct ka_instr {
	const char	*metric;	/* row of the table */
	const char	*view;		/* heatmap, flamegraph, timeline */
	char		key[16];
	char		pred_text[KA_MAX_PARAM + 1];
	char		arg[40];	/* syscall name (syscall_latency) */
	char		*prog;		/* the generated D program */
	char		*margs[KA_MAX_ARGS];	/* its string macro arguments ($$N) */
	int		nmargs;
};

/*
 * Build an instrumentation from the request's metric, key, predicate and
 * argument (NULL when absent).  0, or -1 with a message for the client in
 * err (what was wrong and what is allowed).
 */
int ka_instr_build(struct ka_instr *in, const char *metric, const char *key,
		   const char *pred, const char *arg, char *err, size_t errlen);
void ka_instr_free(struct ka_instr *in);
/* The table as JSON (GET /api/metrics). */
void ka_instr_table_json(FILE *o);

/* ----- sessions (session.c) ----- */
enum ka_state { KA_STARTING, KA_RUNNING, KA_STOPPED, KA_FAILED };

struct ka_line {
	uint64_t	seq;
	uint64_t	t_ms;		/* arrival, ms since the epoch */
	char		*text;		/* one JSON object, as ktrace wrote it */
	size_t		len;
};

struct ka_session {
	int		id;		/* 0: free slot */
	struct ka_instr	in;
	enum ka_state	state;
	pid_t		pid;		/* the ktrace process, 0 once reaped */
	int		out_fd, err_fd;
	char		*partial;	/* an output line not ended yet */
	size_t		plen;
	int		skipping;	/* dropping the rest of an overlong line */
	char		err[KA_ERR_MAX];	/* ktrace's stderr, last bytes */
	size_t		errlen;
	int		status;		/* wait status once reaped */
	struct ka_line	*ring;		/* KA_RING_LINES slots */
	uint64_t	next_seq;	/* seq of the next line (first is 1) */
	size_t		ring_bytes;
	uint64_t	dropped;	/* lines lost: overlong, or pushed out */
	double		last_seen;	/* monotonic s of the last request for it */
	double		started;
	double		stop_asked;	/* SIGTERM sent; SIGKILL 5 s later */
};

extern pthread_mutex_t ka_lock;
extern const char *ka_ktrace;	/* the CLI to run */

/* under ka_lock: start one (its id) or -1 with the reason */
int ka_session_start(struct ka_instr *in, char *err, size_t errlen);
struct ka_session *ka_session_get(int id);
/* ask it to stop (SIGTERM; ktrace ends its session), still listed as stopped */
void ka_session_stop(struct ka_session *s);
/* every session as JSON, with the CPU time of each ktrace and of this process */
void ka_sessions_json(FILE *o);
/* lines after seq since (at most KA_MAX_ANSWER_LINES) as JSON */
void ka_session_data_json(FILE *o, struct ka_session *s, uint64_t since);
/* the main thread's loop: read outputs, reap, stop idle ones; until *stop */
void ka_collect_loop(volatile int *stop);
/* stop every session and wait for the ktrace processes (at exit) */
void ka_sessions_shutdown(void);
double ka_now(void);

/* ----- the page (assets.c) ----- */
struct ka_asset {
	const char	*path;
	const char	*type;
	const char	*data;
	size_t		len;
};
const struct ka_asset *ka_asset_find(const char *path);

#endif
