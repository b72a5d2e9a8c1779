// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_fuzz: a randomised fuzzer of /dev/ktrace.  Threads share a few
 * session fds and race: garbage structs, wrong sizes, bad pointers
 * (NULL, unmapped, kernel, read-only, crossing into an unmapped page),
 * random ioctl numbers, valid and mutated programs with LOAD, GO, STOP,
 * STATUS, AGGSNAP, PROBES, close/reopen, mmap with random ranges and
 * protections (writing the header page), poll.  Counts and sizes reach the
 * kernel's bounds and beyond: PROBES counts around max_probe_query and up to
 * 2^32-1, LOADs asking for buffers, speculations and dynamic variables from
 * 1 MiB to past the limits, so the memory accounting (mem_limit) answers
 * ENOMEM/E2BIG instead of the OOM killer.  It stops after a fixed number of
 * ioctl calls (KTRACE_FUZZ_CALLS, default 200000; seed KTRACE_FUZZ_SEED),
 * then checks that every registration and every accounted byte is gone and a
 * plain session still works.
 */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include "kselftest_harness.h"
#include "../uapi/ktrace_uapi_test.h"

#define NSLOTS		8
#define NTHREADS	4

static _Atomic int slots[NSLOTS];
static atomic_ulong ncalls, nok, nfault, nbig, nnomem, ntoobig;
static struct ktrace_conf conf;	/* the kernel's limits, read once */
static unsigned long target_calls;
static unsigned long seed;
static char *garbage;		/* 1 page rw, then 1 unmapped page */
static char *ropage;		/* 1 page read-only */
static struct ktrace_load *roload;	/* a valid LOAD in a read-only page */
static void *good_blob;
static uint32_t good_size;

static const unsigned int cmds[] = {
	KTRACE_IOC_CONF, KTRACE_IOC_PROBES, KTRACE_IOC_LOAD, KTRACE_IOC_GO,
	KTRACE_IOC_STOP, KTRACE_IOC_STATUS, KTRACE_IOC_AGGSNAP,
};
static const size_t cmd_sizes[] = {
	sizeof(struct ktrace_conf), sizeof(struct ktrace_probe_query),
	sizeof(struct ktrace_load), sizeof(struct ktrace_go), sizeof(struct ktrace_stop),
	sizeof(struct ktrace_status), sizeof(struct ktrace_aggsnap),
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

struct rng { uint64_t s; };

static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static unsigned int rn(struct rng *r, unsigned int n)
{
	return n ? rnd(r) % n : 0;
}

static void fill_random(struct rng *r, void *p, size_t n)
{
	uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		b[i] = rnd(r);
}

/* Count one ioctl; false once the budget of calls is spent. */
static bool do_ioctl(int fd, unsigned long cmd, void *arg)
{
	if (atomic_fetch_add(&ncalls, 1) >= target_calls)
		return false;
	if (ioctl(fd, cmd, arg) == 0)
		atomic_fetch_add(&nok, 1);
	else if (errno == EFAULT)
		atomic_fetch_add(&nfault, 1);
	else if (errno == ENOMEM)
		atomic_fetch_add(&nnomem, 1);
	else if (errno == E2BIG)
		atomic_fetch_add(&ntoobig, 1);
	return true;
}

/* A PROBES count: mostly small, else at, just past or far past the bound. */
static uint32_t pick_count(struct rng *r)
{
	switch (rn(r, 8)) {
	case 0: return conf.max_probe_query;
	case 1: return conf.max_probe_query + 1;
	case 2: return (uint32_t)rnd(r);
	case 3: return rn(r, 2) ? 1u << 24 : 0xffffffffu;
	default: return rn(r, 8);
	}
}

/*
 * Large LOAD sizes, one dimension at a time, from 1 MiB to past the kernel's
 * maximum: what a session may allocate is bounded by mem_limit, so these get
 * a session or ENOMEM/E2BIG/EINVAL, never the OOM killer (the guest runner
 * fails the test on "invoked oom-killer").
 */
static void big_opts(struct rng *r, struct ktrace_opts *o)
{
	kt_small_opts(o);
	atomic_fetch_add(&nbig, 1);
	switch (rn(r, 4)) {
	case 0: o->bufsize = 1ULL << (20 + rn(r, 10)); break;
	case 1: o->nspec = 1 + rn(r, 64); o->specsize = 1ULL << (20 + rn(r, 6)); break;
	case 2: o->dynvarsize = 1ULL << (20 + rn(r, 11)); break;
	default: o->aggsize = 1ULL << (20 + rn(r, 10)); break;
	}
}

static int slot_fd(struct rng *r)
{
	return atomic_load(&slots[rn(r, NSLOTS)]);
}

/* A pointer the kernel must refuse or handle: mostly good memory. */
static void *pick_ptr(struct rng *r, void *good, size_t len)
{
	switch (rn(r, 12)) {
	case 0: return NULL;
	case 1: return (void *)1UL;
	case 2: return (void *)0xffffffff81000000UL;	/* kernel text */
	case 3: return (void *)-8UL;
	case 4: return garbage + 4096;			/* unmapped */
	case 5: return garbage + 4096 - rn(r, len + 1);	/* crosses into it */
	case 6: return ropage;				/* out-copies fail */
	default: return good;
	}
}

static uint32_t pick_size(struct rng *r, size_t ksize)
{
	static const uint32_t odd[] = { 0, 1, 4, 7, 8, 9, 4095, 4096, 4097, 65536, 0xffffffffu };

	switch (rn(r, 6)) {
	case 0: return odd[rn(r, sizeof(odd) / sizeof(odd[0]))];
	case 1: return ksize - 1 - rn(r, 8);
	case 2: return ksize + 8 * (1 + rn(r, 4));
	case 3: return rnd(r);
	default: return ksize;
	}
}

/* A LOAD struct for the good (or a mutated) object, small buffers. */
static void good_load(struct rng *r, struct ktrace_load *ld, void *blob, uint32_t size)
{
	memset(ld, 0, sizeof(*ld));
	ld->size = sizeof(*ld);
	ld->obj = (uintptr_t)blob;
	ld->obj_size = size;
	kt_small_opts(&ld->opts);
	if (rn(r, 4) == 0) {
		ld->opts.maxloops = rn(r, 1000);
		ld->opts.strsize = rn(r, 512);
		ld->opts.bufpolicy = rn(r, 4);
	}
}

static void op_garbage_ioctl(struct rng *r, int fd)
{
	unsigned int i = rn(r, NCMDS);
	uint8_t buf[4096 + 64] __attribute__((aligned(8)));
	uint32_t size = pick_size(r, cmd_sizes[i]);
	void *p;

	if (rn(r, 2))
		fill_random(r, buf, sizeof(buf));
	else
		memset(buf, 0, sizeof(buf));
	memcpy(buf, &size, sizeof(size));
	if (cmds[i] == KTRACE_IOC_LOAD) {
		/* don't let random options ask for destructive actions */
		struct ktrace_load *ld = (void *)buf;

		ld->opts.flags &= ~KTRACE_OPT_F_DESTRUCTIVE;
		if (rn(r, 2)) {
			ld->obj = (uintptr_t)good_blob;
			ld->obj_size = rn(r, 4) ? good_size : rn(r, 1 << 20);
		}
		if (ld->log_size > (1 << 20))
			ld->log_size = rn(r, 1 << 20);
		if (rn(r, 128) == 0)
			big_opts(r, &ld->opts);
		else if (ld->opts.bufsize > (1 << 20) || ld->opts.aggsize > (1 << 20) ||
			 ld->opts.dynvarsize > (1 << 20) || ld->opts.specsize > (1 << 20) ||
			 ld->opts.nspec > 16)
			kt_small_opts(&ld->opts);
	}
	if (cmds[i] == KTRACE_IOC_PROBES && rn(r, 2)) {
		struct ktrace_probe_query *q = (void *)buf;

		q->descs = (uintptr_t)pick_ptr(r, garbage, 4096);
		q->count = pick_count(r);
		q->desc_size = rn(r, 2) ? sizeof(struct ktrace_probe_desc) : rnd(r);
		q->op = rn(r, 3);
		q->errors = rn(r, 2) ? (uintptr_t)pick_ptr(r, garbage + 2048, 64) : 0;
		q->next = rn(r, 4) ? 0 : rnd(r);
		if (rn(r, 2))
			fill_random(r, garbage, 4096);
	}
	p = pick_ptr(r, buf, cmd_sizes[i]);
	if ((char *)p >= garbage && (char *)p < garbage + 4096) {
		size_t room = garbage + 4096 - (char *)p;

		memcpy(p, buf, room < 64 ? room : 64);
	}
	do_ioctl(fd, cmds[i], p);
}

static void op_random_cmd(struct rng *r, int fd)
{
	uint8_t buf[4096] __attribute__((aligned(8)));
	unsigned long cmd;

	fill_random(r, buf, sizeof(buf));
	if (rn(r, 2))
		cmd = (uint32_t)rnd(r);
	else
		cmd = _IOC(rn(r, 4), KTRACE_IOC_MAGIC, rn(r, 32), rn(r, 1 << 14));
	/* never the real numbers with these random contents: op_garbage does that */
	for (unsigned int i = 0; i < NCMDS; i++)
		if (cmd == cmds[i])
			cmd ^= 0x1000000;
	do_ioctl(fd, cmd, pick_ptr(r, buf, sizeof(buf)));
}

static void op_valid(struct rng *r, int fd)
{
	struct ktrace_load ld;
	struct ktrace_status st;
	struct ktrace_go g = { .size = sizeof(g) };
	struct ktrace_aggsnap as = { .size = sizeof(as) };
	uint8_t *mut;

	switch (rn(r, 7)) {
	case 6:	/* LOAD succeeds but cannot write its answer back: undone */
		do_ioctl(fd, KTRACE_IOC_LOAD, roload);
		break;
	case 0:
		good_load(r, &ld, good_blob, good_size);
		if (rn(r, 128) == 0)
			big_opts(r, &ld.opts);
		do_ioctl(fd, KTRACE_IOC_LOAD, &ld);
		break;
	case 1:	/* a mutated object: the verifier must refuse or run it safely */
		mut = malloc(good_size);
		if (!mut)
			return;
		memcpy(mut, good_blob, good_size);
		for (unsigned int n = 1 + rn(r, 4); n; n--)
			mut[rn(r, good_size)] = rnd(r);
		good_load(r, &ld, mut, good_size);
		do_ioctl(fd, KTRACE_IOC_LOAD, &ld);
		free(mut);
		break;
	case 2:
		do_ioctl(fd, KTRACE_IOC_GO, &g);
		break;
	case 3:
		do_ioctl(fd, KTRACE_IOC_STOP, &g);
		break;
	case 4:
		do_ioctl(fd, KTRACE_IOC_AGGSNAP, &as);
		break;
	default:
		memset(&st, 0, sizeof(st));
		st.size = sizeof(st);
		do_ioctl(fd, KTRACE_IOC_STATUS, &st);
		break;
	}
}

static void op_mmap(struct rng *r, int fd)
{
	long pg = 4096;
	size_t len = (1 + rn(r, 16)) * pg;
	off_t off = rn(r, 4) ? 0 : rn(r, 64) * pg;
	int prot = rn(r, 3) ? PROT_READ : PROT_READ | PROT_WRITE;
	volatile char *m = mmap(NULL, len, prot, rn(r, 8) ? MAP_SHARED : MAP_PRIVATE, fd, off);

	if (m == MAP_FAILED)
		return;
	for (size_t i = 0; i < len; i += pg)
		(void)m[i];
	if (prot & PROT_WRITE)	/* consumer_tail and friends: untrusted */
		for (unsigned int i = 0; i < 8; i++)
			((volatile uint64_t *)m)[rn(r, pg / 8)] = rnd(r);
	if (rn(r, 4) == 0)
		mprotect((void *)m, len, PROT_READ | PROT_WRITE);
	munmap((void *)m, len);
}

static void op_slot(struct rng *r)
{
	unsigned int i = rn(r, NSLOTS);
	int fd = rn(r, 2) ? kt_open() : -1;
	int old = atomic_exchange(&slots[i], fd);

	if (old >= 0)
		close(old);
}

static void *fuzz_thread(void *arg)
{
	struct rng r = { .s = seed * 0x9e3779b97f4a7c15ULL + (uintptr_t)arg + 1 };

	while (atomic_load(&ncalls) < target_calls) {
		unsigned int w = rn(&r, 100);
		int fd = slot_fd(&r);

		if (fd < 0 && w >= 6)
			fd = 12345;	/* a closed fd: EBADF is fine too */
		if (w < 3)
			op_slot(&r);
		else if (w < 6)
			op_mmap(&r, fd);
		else if (w < 8) {
			struct pollfd p = { .fd = fd, .events = POLLIN | POLLPRI };

			poll(&p, 1, 0);
		} else if (w < 50)
			op_garbage_ioctl(&r, fd);
		else if (w < 62)
			op_random_cmd(&r, fd);
		else
			op_valid(&r, fd);
	}
	return NULL;
}

/* A BEGIN clause that prints 42 and calls exit(7). */
static void *begin_blob(uint32_t *size)
{
	struct kt_obj o;

	kt_obj_init(&o);
	kt_clause_print(&o, 1 /* dtrace:::BEGIN */, "x %d\n", 42, 1, 7);
	return kt_obj_build(&o, size);
}

/* CONF's mem_used once the closed sessions are freed (up to 10 s): 0 expected. */
static unsigned long long mem_used_settles(void)
{
	struct ktrace_conf c = { .size = sizeof(c) };
	int fd = kt_open();

	if (fd < 0)
		return ~0ULL;
	/* sessions end on a workqueue and RCU: up to 60 s on a starved guest */
	for (int i = 0; i < 600; i++) {
		if (ioctl(fd, KTRACE_IOC_CONF, &c) || c.mem_used == 0)
			break;
		usleep(100 * 1000);
	}
	close(fd);
	return c.mem_used;
}

static int file_has_lines(const char *path)
{
	char line[256];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

/* 200k calls take a few minutes under TCG */
TEST_F_TIMEOUT(fuzz, random_ioctls_leave_kernel_sane, 800)
{
	pthread_t th[NTHREADS];
	const char *e;
	time_t t0 = time(NULL);
	int fd;

	fd = kt_open();
	if (fd < 0)
		SKIP(return, "cannot open %s: %s", KTRACE_DEVICE, strerror(errno));
	conf.size = sizeof(conf);
	ASSERT_EQ(0, ioctl(fd, KTRACE_IOC_CONF, &conf));
	close(fd);
	ASSERT_LT(0, conf.max_probe_query);
	ASSERT_LT(0, conf.mem_limit);
	e = getenv("KTRACE_FUZZ_CALLS");
	target_calls = e ? strtoul(e, NULL, 0) : 200000;
	e = getenv("KTRACE_FUZZ_SEED");
	seed = e ? strtoul(e, NULL, 0) : (unsigned long)time(NULL);
	printf("# ioctl_fuzz: seed %lu (KTRACE_FUZZ_SEED), %lu calls, %d threads\n",
	       seed, target_calls, NTHREADS);
	fflush(stdout);	/* the harness child ends with _exit() */
	garbage = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, garbage);
	munmap(garbage + 4096, 4096);
	ropage = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ropage);
	good_blob = begin_blob(&good_size);
	roload = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, roload);
	good_load(&(struct rng){ .s = 1 }, roload, good_blob, good_size);
	roload->opts.maxloops = 0;
	roload->opts.strsize = 0;
	roload->opts.bufpolicy = 0;
	ASSERT_EQ(0, mprotect(roload, 4096, PROT_READ));
	for (int i = 0; i < NSLOTS; i++)
		atomic_store(&slots[i], kt_open());
	for (long i = 0; i < NTHREADS; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, fuzz_thread, (void *)i));
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < NSLOTS; i++) {
		fd = atomic_exchange(&slots[i], -1);
		if (fd >= 0)
			close(fd);
	}
	printf("# ioctl_fuzz: %lu ioctl calls (%lu succeeded, %lu EFAULT, %lu ENOMEM, %lu E2BIG; %lu LOADs with sizes from 1 MiB up, mem_limit %llu) in %ld s\n",
	       (unsigned long)(atomic_load(&ncalls) < target_calls ? atomic_load(&ncalls) : target_calls),
	       (unsigned long)atomic_load(&nok), (unsigned long)atomic_load(&nfault),
	       (unsigned long)atomic_load(&nnomem), (unsigned long)atomic_load(&ntoobig),
	       (unsigned long)atomic_load(&nbig), (unsigned long long)conf.mem_limit,
	       (long)(time(NULL) - t0));
	fflush(stdout);
	EXPECT_GE(atomic_load(&ncalls), target_calls);
	/* some calls must have got through the checks, some must have faulted */
	EXPECT_LT(0, atomic_load(&nok));
	EXPECT_LT(0, atomic_load(&nfault));
	/* every session is closed: nothing of ours stays registered */
	EXPECT_EQ(0, file_has_lines("/sys/kernel/debug/kprobes/list"));
	EXPECT_EQ(0, file_has_lines("/sys/kernel/tracing/enabled_functions"));
	/* and every byte the sessions had accounted is given back */
	EXPECT_EQ(0, mem_used_settles());
	free(good_blob);
}

static void count_rec(const struct ktrace_rec *rec, void *arg)
{
	(*(int *)arg)++;
}

TEST_F(fuzz, plain_session_works_after_fuzz)
{
	struct kt_obj o;
	struct ktrace_load ld;
	struct ktrace_status st;
	struct kt_map m;
	int fd = kt_open(), nrec = 0;

	if (fd < 0)
		SKIP(return, "cannot open %s: %s", KTRACE_DEVICE, strerror(errno));
	kt_obj_init(&o);
	kt_clause_print(&o, 1 /* dtrace:::BEGIN */, "x %d\n", 42, 1, 7);
	ASSERT_EQ(0, kt_load(fd, &o, &ld)) TH_LOG("load: %s", kt_log);
	ASSERT_EQ(0, kt_map(fd, &ld, &m));
	ASSERT_EQ(0, kt_simple(fd, KTRACE_IOC_GO));
	ASSERT_EQ(0, kt_status(fd, &st));
	EXPECT_EQ(KTRACE_STATE_DRAINING, st.state);
	EXPECT_EQ(1, st.exited);
	EXPECT_EQ(7, st.exit_status);
	EXPECT_EQ(0, st.errors);
	ASSERT_EQ(0, kt_simple(fd, KTRACE_IOC_STOP));
	EXPECT_EQ(1, kt_consume(&m, count_rec, &nrec));
	EXPECT_EQ(1, nrec);
	ASSERT_EQ(0, kt_status(fd, &st));
	EXPECT_EQ(KTRACE_STATE_STOPPED, st.state);
	kt_unmap(&m);
	close(fd);
}

TEST_HARNESS_MAIN
