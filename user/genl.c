// SPDX-License-Identifier: GPL-2.0
/*
 * genl.c: the CLI side of the "ktrace" generic netlink family
 * (docs/uapi.md, "Netlink"), with libnl-genl-3.
 *
 *   ktrace --sessions   one line per live session, after a header
 *   ktrace --watch      one line per session event until SIGINT/SIGTERM
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include "cli.h"

struct kt_nlsess {
	uint32_t	id, pid, uid, state, reason, probes, enablings;
	uint64_t	drops, errors, age_ms;
	uint64_t	mem_reserved, mem_resident, mem_buffers;	/* bytes */
	char		comm[32];
};

static const char *state_name(uint32_t st)
{
	static const char *const names[] = {
		"new", "loaded", "active", "draining", "stopped", "killed",
	};

	return st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}

static const char *reason_name(uint32_t r)
{
	static const char *const names[] = {
		"none", "deadman", "consumer", "fill", "error",
	};

	return r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}

static int parse_sess(struct nl_msg *msg, struct kt_nlsess *s, uint8_t *cmd)
{
	struct nlattr *tb[KTRACE_GENL_A_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KTRACE_GENL_A_MAX, NULL) < 0 ||
	    !tb[KTRACE_GENL_A_SESSION])
		return -1;
	memset(s, 0, sizeof(*s));
	*cmd = gh->cmd;
#define U32(a, f) do { if (tb[a]) s->f = nla_get_u32(tb[a]); } while (0)
#define U64(a, f) do { if (tb[a]) s->f = nla_get_u64(tb[a]); } while (0)
	U32(KTRACE_GENL_A_SESSION, id);
	U32(KTRACE_GENL_A_PID, pid);
	U32(KTRACE_GENL_A_UID, uid);
	U32(KTRACE_GENL_A_STATE, state);
	U32(KTRACE_GENL_A_ABORT_REASON, reason);
	U32(KTRACE_GENL_A_PROBES, probes);
	U32(KTRACE_GENL_A_ENABLINGS, enablings);
	U64(KTRACE_GENL_A_DROPS, drops);
	U64(KTRACE_GENL_A_ERRORS, errors);
	U64(KTRACE_GENL_A_AGE_MS, age_ms);
	U64(KTRACE_GENL_A_MEM_RESERVED, mem_reserved);
	U64(KTRACE_GENL_A_MEM_RESIDENT, mem_resident);
	U64(KTRACE_GENL_A_MEM_BUFFERS, mem_buffers);
#undef U32
#undef U64
	if (tb[KTRACE_GENL_A_COMM])
		snprintf(s->comm, sizeof(s->comm), "%s", nla_get_string(tb[KTRACE_GENL_A_COMM]));
	return 0;
}

/* A socket connected to the family; NULL after printing why. */
static struct nl_sock *connect_family(int *family)
{
	struct nl_sock *sk = nl_socket_alloc();
	int err;

	if (!sk) {
		fprintf(stderr, "%s: out of memory\n", KT_PNAME);
		return NULL;
	}
	err = genl_connect(sk);
	if (err < 0) {
		fprintf(stderr, "%s: cannot open a generic netlink socket: %s\n", KT_PNAME,
			nl_geterror(err));
		goto fail;
	}
	*family = genl_ctrl_resolve(sk, KTRACE_GENL_NAME);
	if (*family < 0) {
		fprintf(stderr, "%s: no '%s' generic netlink family (is ktrace.ko loaded?)\n",
			KT_PNAME, KTRACE_GENL_NAME);
		goto fail;
	}
	return sk;
fail:
	nl_socket_free(sk);
	return NULL;
}

static const char *perm_hint(int err)
{
	return err == -NLE_PERM ? " (need CAP_SYS_ADMIN or CAP_PERFMON)" : "";
}

/* ------------------------------------------------------- --sessions --- */

struct dump_ctx {
	FILE	*out;
	int	n;
};

static void sessions_header(FILE *out)
{
	fprintf(out, "%7s %7s %6s %-16s %-16s %6s %10s %10s %9s %10s %10s %10s\n", "SESSION",
		"PID", "UID", "COMM", "STATE", "PROBES", "DROPS", "ERRORS", "AGE(s)", "RES(KiB)",
		"BUF(KiB)", "MAX(KiB)");
}

static int on_session(struct nl_msg *msg, void *arg)
{
	struct dump_ctx *d = arg;
	struct kt_nlsess s;
	char st[32];
	uint8_t cmd;

	if (parse_sess(msg, &s, &cmd) < 0)
		return NL_SKIP;
	if (d->n == 0)
		sessions_header(d->out);
	if (s.state == KTRACE_STATE_KILLED)
		snprintf(st, sizeof(st), "killed:%s", reason_name(s.reason));
	else
		snprintf(st, sizeof(st), "%s", state_name(s.state));
	fprintf(d->out, "%7" PRIu32 " %7" PRIu32 " %6" PRIu32 " %-16s %-16s %6" PRIu32
		" %10" PRIu64 " %10" PRIu64 " %9.1f %10" PRIu64 " %10" PRIu64 " %10" PRIu64 "\n",
		s.id, s.pid, s.uid, s.comm, st, s.probes, s.drops, s.errors, s.age_ms / 1000.0,
		(s.mem_resident + 1023) / 1024, (s.mem_buffers + 1023) / 1024,
		(s.mem_reserved + 1023) / 1024);
	d->n++;
	return NL_OK;
}

int kt_genl_sessions(FILE *out)
{
	struct dump_ctx d = { out, 0 };
	struct nl_sock *sk;
	struct nl_msg *msg;
	int family, err;

	sk = connect_family(&family);
	if (!sk)
		return KT_EXIT_ERROR;
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP,
				 KTRACE_GENL_CMD_GET_SESSIONS, KTRACE_GENL_VERSION)) {
		fprintf(stderr, "%s: out of memory\n", KT_PNAME);
		err = -NLE_NOMEM;
		goto out;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_session, &d);
	err = nl_send_auto(sk, msg);
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	if (err >= 0 && d.n == 0)
		sessions_header(out);	/* no session: the header alone */
	if (err < 0)
		fprintf(stderr, "%s: cannot list sessions: %s%s\n", KT_PNAME, nl_geterror(err),
			perm_hint(err));
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
	fflush(out);
	return err < 0 ? KT_EXIT_ERROR : KT_EXIT_OK;
}

/* ---------------------------------------------------------- --watch --- */

static volatile sig_atomic_t watch_stop;

static void on_watch_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	FILE *out = arg;
	struct kt_nlsess s;
	uint8_t cmd;

	if (parse_sess(msg, &s, &cmd) < 0)
		return NL_SKIP;
	switch (cmd) {
	case KTRACE_GENL_CMD_EV_STARTED:
		fprintf(out, "started session=%" PRIu32 " pid=%" PRIu32 " uid=%" PRIu32
			" comm=%s probes=%" PRIu32 "\n", s.id, s.pid, s.uid, s.comm, s.probes);
		break;
	case KTRACE_GENL_CMD_EV_STOPPED:
		fprintf(out, "stopped session=%" PRIu32 " pid=%" PRIu32 " uid=%" PRIu32
			" comm=%s drops=%" PRIu64 " errors=%" PRIu64 "\n", s.id, s.pid, s.uid,
			s.comm, s.drops, s.errors);
		break;
	case KTRACE_GENL_CMD_EV_ABORTED:
		fprintf(out, "aborted session=%" PRIu32 " pid=%" PRIu32 " uid=%" PRIu32
			" comm=%s reason=%s drops=%" PRIu64 " errors=%" PRIu64 "\n", s.id, s.pid,
			s.uid, s.comm, reason_name(s.reason), s.drops, s.errors);
		break;
	case KTRACE_GENL_CMD_EV_DROPS:
		fprintf(out, "drops session=%" PRIu32 " pid=%" PRIu32 " uid=%" PRIu32
			" comm=%s drops=%" PRIu64 "\n", s.id, s.pid, s.uid, s.comm, s.drops);
		break;
	default:
		return NL_SKIP;
	}
	fflush(out);
	return NL_OK;
}

int kt_genl_watch(FILE *out)
{
	struct sigaction sa;
	struct nl_sock *sk;
	int family, grp, err = 0;

	sk = connect_family(&family);
	if (!sk)
		return KT_EXIT_ERROR;
	grp = genl_ctrl_resolve_grp(sk, KTRACE_GENL_NAME, KTRACE_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		fprintf(stderr, "%s: no '%s' multicast group: %s\n", KT_PNAME,
			KTRACE_GENL_MCGRP_EVENTS, nl_geterror(grp));
		nl_socket_free(sk);
		return KT_EXIT_ERROR;
	}
	err = nl_socket_add_membership(sk, grp);
	if (err < 0) {
		fprintf(stderr, "%s: cannot watch session events: %s%s\n", KT_PNAME,
			nl_geterror(err), err == -NLE_PERM ? " (need CAP_SYS_ADMIN)" : "");
		nl_socket_free(sk);
		return KT_EXIT_ERROR;
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, out);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_watch_signal;	/* no SA_RESTART: poll returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "%s: watching session events (Ctrl-C to stop)\n", KT_PNAME);
	while (!watch_stop) {
		struct pollfd p = { .fd = nl_socket_get_fd(sk), .events = POLLIN };
		int n = poll(&p, 1, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: poll: %s\n", KT_PNAME, strerror(errno));
			err = -1;
			break;
		}
		err = nl_recvmsgs_default(sk);
		if (err < 0 && err != -NLE_INTR && err != -NLE_AGAIN) {
			/* ENOBUFS: events were lost; say so and go on */
			if (err == -NLE_NOMEM) {
				fprintf(stderr, "%s: some events were lost (socket buffer full)\n",
					KT_PNAME);
				err = 0;
				continue;
			}
			fprintf(stderr, "%s: receiving events: %s\n", KT_PNAME, nl_geterror(err));
			break;
		}
		err = 0;
	}
	nl_socket_free(sk);
	fflush(out);
	return err < 0 ? KT_EXIT_ERROR : KT_EXIT_OK;
}
