// SPDX-License-Identifier: GPL-2.0
/*
 * What a privileged user cannot make the kernel do (issue 23), through
 * the raw ioctls and hand-made objects: LOAD's verification is bounded
 * and yields, one firing is bounded (every enabling and the ERROR
 * clauses together) far below the soft-lockup and RCU-stall thresholds,
 * PROBES takes a bounded count, LOAD's memory is accounted across
 * sessions and fails with ENOMEM instead of calling the OOM killer, and
 * a faulting BEGIN ends its session.  The guest runs with its lockup and
 * stall detectors at their defaults; vm/run fails the run on any of
 * their reports, or on the OOM killer.  Times are printed as measured.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include "bigobj.h"
#include "kselftest_harness.h"

static char lg[8192];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void small_opts(struct ktrace_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->bufsize = 64 << 10;
	o->aggsize = 16 << 10;
	o->dynvarsize = 64 << 10;
	o->specsize = 4096;
}

/* LOAD o into fd with opts (NULL: small); 0 or -errno; *secs: its time */
static int load_big(int fd, const struct bigobj *o, const struct ktrace_opts *opts,
		    double *secs)
{
	struct ktrace_load ld = { .size = sizeof(ld) };
	__u32 size;
	void *blob = bigobj_blob(o, &size);
	double t0 = now_s();
	int r;

	ld.obj = (uintptr_t)blob;
	ld.obj_size = size;
	ld.log_buf = (uintptr_t)lg;
	ld.log_size = sizeof(lg);
	if (opts)
		ld.opts = *opts;
	else
		small_opts(&ld.opts);
	lg[0] = 0;
	r = ioctl(fd, KTRACE_IOC_LOAD, &ld) ? -errno : 0;
	if (secs)
		*secs = now_s() - t0;
	free(blob);
	return r;
}

static int simple(int fd, unsigned long cmd)
{
	struct ktrace_go g = { .size = sizeof(g) };

	return ioctl(fd, cmd, &g) ? -errno : 0;
}

static int status(int fd, struct ktrace_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return ioctl(fd, KTRACE_IOC_STATUS, st) ? -errno : 0;
}

static void conf(struct ktrace_conf *c)
{
	int fd = open(KTRACE_DEVICE, O_RDWR | O_CLOEXEC);

	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	if (fd < 0 || ioctl(fd, KTRACE_IOC_CONF, c))
		memset(c, 0, sizeof(*c));
	if (fd >= 0)
		close(fd);
}

FIXTURE(b) { int fd; };
FIXTURE_SETUP(b)
{
	if (access(KTRACE_DEVICE, F_OK))
		SKIP(return, "%s: no ktrace module loaded", KTRACE_DEVICE);
	self->fd = open(KTRACE_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
}
FIXTURE_TEARDOWN(b)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* ================= verification ================= */

TEST_F(b, verify_deep_loop_nest_as_4_clauses_is_quick)
{
	struct bigobj o;
	double secs;

	bigobj_branches_to_loop_head(&o, 4);
	ASSERT_EQ(0, load_big(self->fd, &o, NULL, &secs)) TH_LOG("log: %s", lg);
	bigobj_free(&o);
	fprintf(stderr, "# LOAD (verification) took %.3f s (was 44 s)\n", secs);
	ASSERT_GT(5.0, secs);
}

TEST_F(b, verify_1024_clauses_sharing_65536_insns_is_quick)
{
	struct bigobj o;
	double secs;

	bigobj_nops(&o, 65536, 1024, 0);
	ASSERT_EQ(0, load_big(self->fd, &o, NULL, &secs)) TH_LOG("log: %s", lg);
	bigobj_free(&o);
	fprintf(stderr, "# LOAD (verification) took %.3f s (was 25 s)\n", secs);
	ASSERT_GT(5.0, secs);
}

TEST_F(b, verify_work_over_its_limit_is_e2big_quickly)
{
	struct ktrace_conf c;
	struct bigobj o;
	double secs;
	char want[128];

	conf(&c);
	ASSERT_NE(0, c.max_verify_work);
	bigobj_nops(&o, 65536, 1024, 1);
	ASSERT_EQ(-E2BIG, load_big(self->fd, &o, NULL, &secs));
	bigobj_free(&o);
	snprintf(want, sizeof(want), "verification needs more than %u instruction visits",
		 c.max_verify_work);
	EXPECT_NE(NULL, strstr(lg, want)) TH_LOG("log: %s", lg);
	fprintf(stderr, "# LOAD rejected in %.3f s\n", secs);
	ASSERT_GT(10.0, secs);
}

/* ================= one firing ================= */

/*
 * n enablings on BEGIN of a clause that loops for ever, and an ERROR
 * clause that loops for ever, with the largest budget and loop count the
 * kernel accepts: GO fires BEGIN, which must end well within a second or
 * so (the firing's clock), every enabling faulting.
 */
static void looping_begin(struct bigobj *o, __u32 n)
{
	__u32 i;

	bigobj_init(o, 6, 2);
	bigobj_insn(o, 0, KTRACE_OP_NOP, 0);
	bigobj_insn(o, 1, KTRACE_OP_LOOP, 0);
	bigobj_insn(o, 2, KTRACE_OP_RET, 0);
	bigobj_insn(o, 3, KTRACE_OP_NOP, 0);
	bigobj_insn(o, 4, KTRACE_OP_LOOP, 3);
	bigobj_insn(o, 5, KTRACE_OP_RET, 0);
	o->cl[0].body_len = 3;
	o->cl[1].body_start = 3;
	o->cl[1].body_len = 3;
	o->en = calloc(n + 1, sizeof(*o->en));
	o->nen = n + 1;
	for (i = 0; i < n; i++)
		o->en[i].probe = 1;
	o->en[n].probe = 3;		/* ERROR */
	o->en[n].clause = 1;
}

static void firing_is_bounded(struct __test_metadata *_metadata, int fd, __u32 n)
{
	struct ktrace_conf c;
	struct ktrace_opts opts;
	struct ktrace_status st;
	struct bigobj o;
	double t0, secs;

	conf(&c);
	ASSERT_NE(0, c.max_insn_budget);
	small_opts(&opts);
	opts.insn_budget = c.max_insn_budget;
	opts.maxloops = c.max_loops;
	looping_begin(&o, n);
	ASSERT_EQ(0, load_big(fd, &o, &opts, NULL)) TH_LOG("log: %s", lg);
	bigobj_free(&o);
	t0 = now_s();
	ASSERT_EQ(0, simple(fd, KTRACE_IOC_GO));
	secs = now_s() - t0;
	ASSERT_EQ(0, status(fd, &st));
	fprintf(stderr, "# %u looping enablings + ERROR: BEGIN took %.3f s (limit %u ms), %llu errors, %llu double errors\n",
		n, secs, c.max_firing_ms, (unsigned long long)st.errors,
		(unsigned long long)st.double_errors);
	ASSERT_GT(2.0 * c.max_firing_ms / 1000 + 1.0, secs);
	ASSERT_EQ(n, st.errors);
	ASSERT_EQ(n, st.double_errors);		/* the ERROR clause faults each time */
	ASSERT_EQ(2 * n, st.budget_faults);	/* all of them on the budget */
	/* a faulting BEGIN ends the session */
	ASSERT_EQ(KTRACE_STATE_KILLED, st.state);
	ASSERT_EQ(KTRACE_ABORT_BEGIN, st.abort_reason);
}

TEST_F(b, firing_of_100_looping_enablings_is_bounded)
{
	firing_is_bounded(_metadata, self->fd, 100);
}

TEST_F(b, firing_of_3000_looping_enablings_and_error_is_bounded)
{
	firing_is_bounded(_metadata, self->fd, 3000);
}

TEST_F(b, insn_budget_at_conf_max_and_over)
{
	struct ktrace_conf c;
	struct ktrace_opts opts;
	struct bigobj o;
	int fd2;

	conf(&c);
	ASSERT_NE(0, c.max_insn_budget);
	ASSERT_GT(10000U, c.max_firing_ms);
	bigobj_nops(&o, 2, 1, 0);
	small_opts(&opts);
	opts.insn_budget = c.max_insn_budget + 1;
	EXPECT_EQ(-EINVAL, load_big(self->fd, &o, &opts, NULL));
	EXPECT_NE(NULL, strstr(lg, "insn_budget")) TH_LOG("log: %s", lg);
	opts.insn_budget = c.max_insn_budget;
	fd2 = open(KTRACE_DEVICE, O_RDWR | O_CLOEXEC);
	EXPECT_EQ(0, load_big(fd2, &o, &opts, NULL)) TH_LOG("log: %s", lg);
	close(fd2);
	bigobj_free(&o);
}

/* ================= BEGIN and exit() ================= */

/*
 * BEGIN clause 0: ldk from address 8 (faults); with_exit, BEGIN clause 1
 * calls exit(3): a faulting BEGIN ends its session (KILLED, reason
 * BEGIN), unless a clause called exit() (the session drains).
 */
TEST_F(b, faulting_begin_ends_the_session_unless_exit_was_called)
{
	struct ktrace_status st;
	struct bigobj o;
	int with_exit;

	for (with_exit = 0; with_exit <= 1; with_exit++) {
		int fd = open(KTRACE_DEVICE, O_RDWR | O_CLOEXEC);

		bigobj_init(&o, 6, 1 + with_exit);
		o.insn[0] = (struct ktrace_insn){ .op = KTRACE_OP_SETI, .rd = 1, .imm = 8 };
		o.insn[1] = (struct ktrace_insn){ .op = KTRACE_OP_LDK, .rd = 1, .rs1 = 1, .imm = 8 };
		o.insn[2] = (struct ktrace_insn){ .op = KTRACE_OP_RET, .rs1 = 1 };
		o.cl[0].body_len = 3;
		o.insn[3] = (struct ktrace_insn){ .op = KTRACE_OP_SETI, .rd = 1, .imm = 3 };
		o.insn[4] = (struct ktrace_insn){ .op = KTRACE_OP_PUSH, .rs1 = 1,
						  .imm = KTRACE_TT_INT };
		o.insn[5] = (struct ktrace_insn){ .op = KTRACE_OP_ACT };
		o.act[0].kind = KTRACE_ACT_EXIT;
		o.act[0].nargs = 1;
		o.nact = 1;
		if (with_exit) {
			o.cl[1].body_start = 3;
			o.cl[1].body_len = 4;
			o.insn = realloc(o.insn, 7 * sizeof(*o.insn));
			o.insn[6] = (struct ktrace_insn){ .op = KTRACE_OP_RET };
			o.ni = 7;
		} else {
			o.insn[3] = (struct ktrace_insn){ .op = KTRACE_OP_RET };
			o.ni = 4;
			o.cl[0].body_len = 3;
		}
		ASSERT_EQ(0, load_big(fd, &o, NULL, NULL)) TH_LOG("log: %s", lg);
		bigobj_free(&o);
		ASSERT_EQ(0, simple(fd, KTRACE_IOC_GO));
		ASSERT_EQ(0, status(fd, &st));
		ASSERT_EQ(1U, st.errors);
		if (with_exit) {
			ASSERT_EQ(KTRACE_STATE_DRAINING, st.state);
			ASSERT_EQ(1U, st.exited);
			ASSERT_EQ(3, st.exit_status);
		} else {
			ASSERT_EQ(KTRACE_STATE_KILLED, st.state);
			ASSERT_EQ(KTRACE_ABORT_BEGIN, st.abort_reason);
		}
		close(fd);
	}
}

/* ================= PROBES ================= */

static int lookup_begin(__u32 count, double *secs)
{
	struct ktrace_probe_query q = { .size = sizeof(q), .op = KTRACE_PROBE_LOOKUP };
	struct ktrace_probe_desc *d = calloc(count ? count : 1, sizeof(*d));
	int fd = open(KTRACE_DEVICE, O_RDWR | O_CLOEXEC), r;
	double t0 = now_s();
	__u32 i;

	for (i = 0; i < count; i++) {
		strcpy(d[i].provider, "dtrace");
		strcpy(d[i].name, "BEGIN");
	}
	q.count = count;
	q.descs = (uintptr_t)d;
	q.desc_size = sizeof(*d);
	r = ioctl(fd, KTRACE_IOC_PROBES, &q) ? -errno : 0;
	*secs = now_s() - t0;
	for (i = 0; !r && i < count; i++)
		if (d[i].id != 1)
			r = -EIO;
	close(fd);
	free(d);
	return r;
}

TEST_F(b, probes_lookup_count_at_max_and_over)
{
	struct ktrace_conf c;
	struct ktrace_probe_query q = { .size = sizeof(q), .op = KTRACE_PROBE_LOOKUP };
	static struct ktrace_probe_desc one;
	double secs;

	conf(&c);
	ASSERT_NE(0, c.max_probe_query);
	/* 30 million, the count of the stall report: refused up front */
	q.count = 30000000;
	q.descs = (uintptr_t)&one;
	q.desc_size = sizeof(one);
	EXPECT_EQ(-1, ioctl(self->fd, KTRACE_IOC_PROBES, &q));
	EXPECT_EQ(E2BIG, errno);
	ASSERT_EQ(-E2BIG, lookup_begin(c.max_probe_query + 1, &secs));
	ASSERT_EQ(0, lookup_begin(c.max_probe_query, &secs));
	fprintf(stderr, "# LOOKUP of %u descriptions took %.3f s\n", c.max_probe_query, secs);
}

/* ================= memory ================= */

TEST_F(b, speculation_buffers_over_memory_are_enomem)
{
	struct ktrace_conf c;
	struct ktrace_opts opts;
	struct bigobj o;

	conf(&c);
	bigobj_nops(&o, 2, 1, 0);
	small_opts(&opts);
	/* 26 x 16 MiB per CPU: the OOM killer in a 512 MB guest, once */
	opts.nspec = 26;
	opts.specsize = 16 << 20;
	EXPECT_EQ(-ENOMEM, load_big(self->fd, &o, &opts, NULL));
	EXPECT_NE(NULL, strstr(lg, "memory: the session needs")) TH_LOG("log: %s", lg);
	EXPECT_NE(NULL, strstr(lg, "speculations")) TH_LOG("log: %s", lg);
	bigobj_free(&o);
}

TEST_F(b, sessions_together_stay_under_mem_limit)
{
	struct ktrace_conf c0, c;
	struct ktrace_opts opts;
	struct bigobj o;
	int fds[64], n = 0, r = 0;

	conf(&c0);
	ASSERT_NE(0, c0.mem_limit);
	bigobj_nops(&o, 2, 1, 0);
	small_opts(&opts);
	opts.bufsize = 32 << 20;
	while (n < 64) {
		fds[n] = open(KTRACE_DEVICE, O_RDWR | O_CLOEXEC);
		r = load_big(fds[n], &o, &opts, NULL);
		n++;
		if (r)
			break;
		conf(&c);
		ASSERT_GE(c.mem_limit, c.mem_used);
		/* reserved is the most a session holds; 32 MiB buffers unwritten are not held */
		ASSERT_LT(c.mem_resident - c0.mem_resident, c.mem_used - c0.mem_used);
	}
	fprintf(stderr, "# %d sessions of bufsize=32m loaded, then: %s", n - 1, lg);
	EXPECT_EQ(-ENOMEM, r);
	EXPECT_NE(NULL, strstr(lg, "memory:")) TH_LOG("log: %s", lg);
	EXPECT_LT(0, n - 1);
	while (n > 0)
		close(fds[--n]);
	conf(&c);
	EXPECT_EQ(c0.mem_used, c.mem_used);
	EXPECT_EQ(c0.mem_resident, c.mem_resident);
	bigobj_free(&o);
}

TEST_HARNESS_MAIN
