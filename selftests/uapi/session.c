// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ktrace sessions end to end with hand-built objects: BEGIN + exit
 * through the mapped buffers, END at STOP, state machine, heartbeats,
 * AGGSNAP, the deadman, 16 concurrent sessions, rmmod while open.
 */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "kselftest_harness.h"
#include "ktrace_uapi_test.h"

struct seen {
	int n;
	uint32_t epid[16];
	int64_t val[16];
	uint16_t action[16];
	int nitems[16];
};

/* Record: items of (struct ktrace_rec_item + one __s64). */
static void collect(const struct ktrace_rec *r, void *arg)
{
	struct seen *s = arg;
	const char *p = (const char *)(r + 1), *end = (const char *)r + r->size;
	int k = s->n++;

	if (k >= 16)
		return;
	s->epid[k] = r->epid;
	s->nitems[k] = 0;
	while (p + sizeof(struct ktrace_rec_item) <= end) {
		const struct ktrace_rec_item *it = (const void *)p;

		if (it->size < sizeof(*it) || p + it->size > end)
			break;
		if (s->nitems[k]++ == 0) {
			s->action[k] = it->action;
			memcpy(&s->val[k], it + 1, 8);
		}
		p += it->size;
	}
}

TEST(device_node_is_0600_char_device)
{
	struct stat sb;

	ASSERT_EQ(0, stat(KTRACE_DEVICE, &sb));
	EXPECT_TRUE(S_ISCHR(sb.st_mode));
	EXPECT_EQ(0600, sb.st_mode & 07777);
}

TEST(begin_printf_and_exit_reach_the_mapped_buffer)
{
	struct ktrace_load ld;
	struct ktrace_status st;
	struct kt_obj o;
	struct kt_map m;
	struct seen s = { 0 };
	int fd = kt_open();

	ASSERT_LE(0, fd);
	kt_obj_init(&o);
	kt_clause_print(&o, 1 /* BEGIN */, "hello %d\n", 42, 1, 3);
	ASSERT_EQ(0, kt_load(fd, &o, &ld)) TH_LOG("log: %s", kt_log);
	ASSERT_EQ(0, kt_map(fd, &ld, &m));
	ASSERT_EQ(KTRACE_OBJ_MAGIC, m.hdr->magic);
	ASSERT_EQ(0, kt_status(fd, &st));
	EXPECT_EQ(KTRACE_STATE_LOADED, st.state);
	ASSERT_EQ(0, kt_simple(fd, KTRACE_IOC_GO));
	ASSERT_EQ(0, kt_status(fd, &st));
	EXPECT_EQ(KTRACE_STATE_DRAINING, st.state);
	EXPECT_EQ(1, st.exited);
	EXPECT_EQ(3, st.exit_status);
	EXPECT_EQ(0, st.errors);
	ASSERT_EQ(1, kt_consume(&m, collect, &s));
	EXPECT_EQ(1, s.epid[0]);
	EXPECT_EQ(2, s.nitems[0]);	/* printf item, exit item */
	EXPECT_EQ(0, s.action[0]);
	EXPECT_EQ(42, s.val[0]);
	ASSERT_EQ(0, kt_simple(fd, KTRACE_IOC_STOP));
	ASSERT_EQ(0, kt_status(fd, &st));
	EXPECT_EQ(KTRACE_STATE_STOPPED, st.state);
	/* STOP is idempotent */
	EXPECT_EQ(0, kt_simple(fd, KTRACE_IOC_STOP));
	kt_unmap(&m);
	close(fd);
}

TEST(end_clause_runs_at_stop_after_begin)
{
	struct ktrace_load ld;
	struct kt_obj o;
	struct kt_map m;
	struct seen s = { 0 };
	int fd = kt_open();

	ASSERT_LE(0, fd);
	kt_obj_init(&o);
	kt_clause_print(&o, 2 /* END */, "end %d\n", 7, 0, 0);
	kt_clause_print(&o, 1 /* BEGIN */, "begin %d\n", 5, 0, 0);
	ASSERT_EQ(0, kt_load(fd, &o, &ld)) TH_LOG("log: %s", kt_log);
	ASSERT_EQ(0, kt_map(fd, &ld, &m));
	ASSERT_EQ(0, kt_simple(fd, KTRACE_IOC_GO));
	ASSERT_EQ(1, kt_consume(&m, collect, &s));
	EXPECT_EQ(2, s.epid[0]);
	EXPECT_EQ(5, s.val[0]);
	ASSERT_EQ(0, kt_simple(fd, KTRACE_IOC_STOP));
	ASSERT_EQ(1, kt_consume(&m, collect, &s));
	EXPECT_EQ(1, s.epid[1]);
	EXPECT_EQ(7, s.val[1]);
	kt_unmap(&m);
	close(fd);
}

TEST(poll_reports_readable_once_exit_was_called)
{
	struct ktrace_load ld;
	struct kt_obj o;
	struct pollfd p;
	int fd = kt_open();

	ASSERT_LE(0, fd);
	kt_obj_init(&o);
	kt_clause_print(&o, 1, "x %d\n", 1, 0, 0);
	ASSERT_EQ(0, kt_load(fd, &o, &ld));
	ASSERT_EQ(0, kt_simple(fd, KTRACE_IOC_GO));
	p.fd = fd;
	p.events = POLLIN;
	EXPECT_EQ(0, poll(&p, 1, 0));	/* one small record: below the watermark */
	close(fd);

	fd = kt_open();
	ASSERT_LE(0, fd);
	kt_obj_init(&o);
	kt_clause_print(&o, 1, "x %d\n", 1, 1, 0);
	ASSERT_EQ(0, kt_load(fd, &o, &ld));
	ASSERT_EQ(0, kt_simple(fd, KTRACE_IOC_GO));
	p.fd = fd;
	p.events = POLLIN;
	ASSERT_EQ(1, poll(&p, 1, 1000));
	EXPECT_TRUE(p.revents & POLLIN);
	close(fd);
}

TEST(aggsnap_alternates_readable_copies)
{
	struct ktrace_aggsnap as = { .size = sizeof(as) };
	struct ktrace_load ld;
	struct kt_obj o;
	int fd = kt_open();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, KTRACE_IOC_AGGSNAP, &as));
	EXPECT_EQ(ENOENT, errno);
	kt_obj_init(&o);
	kt_clause_print(&o, 1, "x %d\n", 1, 0, 0);
	ASSERT_EQ(0, kt_load(fd, &o, &ld));
	ASSERT_EQ(0, kt_simple(fd, KTRACE_IOC_GO));
	ASSERT_EQ(0, ioctl(fd, KTRACE_IOC_AGGSNAP, &as));
	EXPECT_EQ(0, as.readable);
	as.readable = 0;
	ASSERT_EQ(0, ioctl(fd, KTRACE_IOC_AGGSNAP, &as));
	EXPECT_EQ(1, as.readable);
	as.readable = 0;
	ASSERT_EQ(0, ioctl(fd, KTRACE_IOC_AGGSNAP, &as));
	EXPECT_EQ(0, as.readable);
	close(fd);
}

struct conc {
	int ok;
	int idx;
};

static void *one_session(void *arg)
{
	struct conc *c = arg;
	struct ktrace_load ld;
	struct ktrace_status st;
	struct kt_obj o;
	struct kt_map m;
	struct seen s = { 0 };
	int fd = kt_open();

	if (fd < 0)
		return NULL;
	kt_obj_init(&o);
	kt_clause_print(&o, 1, "s %d\n", 1000 + c->idx, 1, c->idx);
	if (kt_load(fd, &o, &ld) || kt_map(fd, &ld, &m) || kt_simple(fd, KTRACE_IOC_GO))
		goto out;
	if (kt_status(fd, &st) || st.state != KTRACE_STATE_DRAINING || st.exit_status != c->idx)
		goto out;
	if (kt_consume(&m, collect, &s) != 1 || s.val[0] != 1000 + c->idx)
		goto out;
	if (kt_simple(fd, KTRACE_IOC_STOP))
		goto out;
	kt_unmap(&m);
	c->ok = 1;
out:
	close(fd);
	return NULL;
}

TEST(fault_fires_error_probe_with_dtrace_arguments)
{
	struct ktrace_load ld;
	struct ktrace_status st;
	struct kt_obj o;
	struct kt_map m;
	struct seen s = { 0 };
	unsigned int start, a;
	int fd = kt_open();

	ASSERT_LE(0, fd);
	kt_obj_init(&o);
	/* ERROR: printf("%d", arg4) -- the fault code */
	start = o.ninsn;
	a = kt_action(&o, KTRACE_ACT_PRINTF, 1, "fault %d\n");
	kt_insn(&o, KTRACE_OP_LDB, 1, 0, 0, KTRACE_VAR_ARG4);
	kt_insn(&o, KTRACE_OP_PUSH, 0, 1, 0, KTRACE_TT_INT);
	kt_insn(&o, KTRACE_OP_ACT, 0, 0, 0, a);
	kt_insn(&o, KTRACE_OP_RET, 0, 0, 0, 0);
	kt_clause(&o, start, 3 /* ERROR */);
	/* BEGIN: ldk at address 8 (a user address): invalid kernel access */
	start = o.ninsn;
	a = kt_action(&o, KTRACE_ACT_PRINTF, 1, "never %d\n");
	kt_insn(&o, KTRACE_OP_SETI, 2, 0, 0, 8);
	kt_insn(&o, KTRACE_OP_LDK, 1, 2, 0, 8);
	kt_insn(&o, KTRACE_OP_PUSH, 0, 1, 0, KTRACE_TT_INT);
	kt_insn(&o, KTRACE_OP_ACT, 0, 0, 0, a);
	kt_insn(&o, KTRACE_OP_RET, 0, 0, 0, 0);
	kt_clause(&o, start, 1 /* BEGIN */);
	ASSERT_EQ(0, kt_load(fd, &o, &ld)) TH_LOG("log: %s", kt_log);
	ASSERT_EQ(0, kt_map(fd, &ld, &m));
	ASSERT_EQ(0, kt_simple(fd, KTRACE_IOC_GO));
	ASSERT_EQ(0, kt_status(fd, &st));
	EXPECT_EQ(1, st.errors);
	EXPECT_EQ(0, st.double_errors);
	ASSERT_EQ(1, kt_consume(&m, collect, &s));	/* only ERROR's record */
	EXPECT_EQ(1, s.epid[0]);
	EXPECT_EQ(KTRACE_FAULT_BADADDR, s.val[0]);
	kt_unmap(&m);
	close(fd);
}

TEST(sixteen_concurrent_sessions_are_independent)
{
	pthread_t t[16];
	struct conc c[16];
	int i, ok = 0;

	for (i = 0; i < 16; i++) {
		c[i].ok = 0;
		c[i].idx = i;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, one_session, &c[i]));
	}
	for (i = 0; i < 16; i++) {
		pthread_join(t[i], NULL);
		ok += c[i].ok;
	}
	EXPECT_EQ(16, ok);
}

static int write_param(const char *name, const char *val)
{
	char path[128];
	int fd, r;

	snprintf(path, sizeof(path), "/sys/module/ktrace/parameters/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	r = write(fd, val, strlen(val)) < 0 ? -errno : 0;
	close(fd);
	return r;
}

TEST(deadman_kills_session_without_heartbeat)
{
	struct ktrace_load ld;
	struct ktrace_status st;
	struct kt_obj o;
	int fd;

	ASSERT_EQ(0, write_param("deadman_interval_ms", "50"));
	ASSERT_EQ(0, write_param("deadman_timeout_ms", "300"));
	ASSERT_EQ(0, write_param("deadman_user_ms", "500"));
	fd = kt_open();
	ASSERT_LE(0, fd);
	kt_obj_init(&o);
	kt_clause_print(&o, 1, "x %d\n", 1, 0, 0);
	ASSERT_EQ(0, kt_load(fd, &o, &ld));
	ASSERT_EQ(0, kt_simple(fd, KTRACE_IOC_GO));
	sleep(2);	/* no STATUS: no heartbeat */
	ASSERT_EQ(0, kt_status(fd, &st));
	EXPECT_EQ(KTRACE_STATE_KILLED, st.state);
	EXPECT_EQ(KTRACE_ABORT_CONSUMER, st.abort_reason);
	/* a killed session still stops cleanly */
	EXPECT_EQ(0, kt_simple(fd, KTRACE_IOC_STOP));
	ASSERT_EQ(0, kt_status(fd, &st));
	EXPECT_EQ(KTRACE_STATE_KILLED, st.state);
	close(fd);
	write_param("deadman_interval_ms", "1000");
	write_param("deadman_timeout_ms", "10000");
	write_param("deadman_user_ms", "30000");
}

TEST(heartbeats_keep_session_alive)
{
	struct ktrace_load ld;
	struct ktrace_status st;
	struct kt_obj o;
	int fd, i;

	/*
	 * A heartbeat every 100 ms for 4 s, over twice the 1.5 s a silent
	 * consumer is given: 15 times the heartbeat period, so a guest
	 * starved by its host (a 100 ms sleep taking several times that) is
	 * still alive, and one without heartbeats would not be.
	 */
	ASSERT_EQ(0, write_param("deadman_interval_ms", "50"));
	ASSERT_EQ(0, write_param("deadman_timeout_ms", "1000"));
	ASSERT_EQ(0, write_param("deadman_user_ms", "1500"));
	fd = kt_open();
	ASSERT_LE(0, fd);
	kt_obj_init(&o);
	kt_clause_print(&o, 1, "x %d\n", 1, 0, 0);
	ASSERT_EQ(0, kt_load(fd, &o, &ld));
	ASSERT_EQ(0, kt_simple(fd, KTRACE_IOC_GO));
	for (i = 0; i < 40; i++) {
		usleep(100000);
		ASSERT_EQ(0, kt_status(fd, &st));
	}
	EXPECT_EQ(KTRACE_STATE_ACTIVE, st.state);
	close(fd);
	write_param("deadman_interval_ms", "1000");
	write_param("deadman_timeout_ms", "10000");
	write_param("deadman_user_ms", "30000");
}

TEST(rmmod_fails_while_a_session_is_open)
{
	int fd = kt_open();
	char buf[32] = "";
	int rfd;

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, syscall(SYS_delete_module, "ktrace", O_NONBLOCK));
	/* the kernel says EWOULDBLOCK for a module in use (rmmod: "in use") */
	EXPECT_TRUE(errno == EWOULDBLOCK || errno == EBUSY) TH_LOG("errno %d", errno);
	EXPECT_EQ(0, access("/sys/module/ktrace", F_OK));
	rfd = open("/sys/module/ktrace/refcnt", O_RDONLY);
	ASSERT_LE(0, rfd);
	ASSERT_LT(0, read(rfd, buf, sizeof(buf) - 1));
	EXPECT_LE(1, atoi(buf));
	close(rfd);
	close(fd);
}

TEST_HARNESS_MAIN
