// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ktrace refuses bad input with a clear error and changes nothing:
 * struct sizes, reserved fields, unknown flags, bad pointers, calls in
 * the wrong state, bad mmaps, unprivileged opens.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include "kselftest_harness.h"
#include "ktrace_uapi_test.h"

static void begin_exit(struct kt_obj *o)
{
	kt_obj_init(o);
	kt_clause_print(o, 1, "x %d\n", 1, 1, 0);
}

/* LOAD with a raw struct; returns -errno or 0. */
static int raw_load(int fd, struct ktrace_load *ld)
{
	return ioctl(fd, KTRACE_IOC_LOAD, ld) ? -errno : 0;
}

static void *blob_of(struct kt_obj *o, uint32_t *size)
{
	return kt_obj_build(o, size);
}

static void fill_load(struct ktrace_load *ld, void *blob, uint32_t size)
{
	memset(ld, 0, sizeof(*ld));
	ld->size = sizeof(*ld);
	ld->obj = (uintptr_t)blob;
	ld->obj_size = size;
	ld->log_buf = (uintptr_t)kt_log;
	ld->log_size = sizeof(kt_log);
	kt_small_opts(&ld->opts);
}

static int state_of(int fd)
{
	struct ktrace_status st;

	return kt_status(fd, &st) ? -1 : (int)st.state;
}

FIXTURE(sess) {
	int fd;
	struct kt_obj o;
	void *blob;
	uint32_t size;
	struct ktrace_load ld;
};

FIXTURE_SETUP(sess)
{
	self->fd = kt_open();
	ASSERT_LE(0, self->fd);
	begin_exit(&self->o);
	self->blob = blob_of(&self->o, &self->size);
	fill_load(&self->ld, self->blob, self->size);
}

FIXTURE_TEARDOWN(sess)
{
	free(self->blob);
	close(self->fd);
}

TEST_F(sess, load_size_below_header_is_einval)
{
	self->ld.size = 4;
	EXPECT_EQ(-EINVAL, raw_load(self->fd, &self->ld));
	EXPECT_EQ(KTRACE_STATE_NEW, state_of(self->fd));
}

TEST_F(sess, load_larger_struct_with_nonzero_tail_is_e2big)
{
	struct { struct ktrace_load ld; uint64_t extra; } big;

	big.ld = self->ld;
	big.ld.size = sizeof(big);
	big.extra = 1;
	EXPECT_EQ(-E2BIG, raw_load(self->fd, &big.ld));
	EXPECT_EQ(KTRACE_STATE_NEW, state_of(self->fd));
}

TEST_F(sess, load_larger_struct_with_zero_tail_is_accepted)
{
	struct { struct ktrace_load ld; uint64_t extra; } big;

	big.ld = self->ld;
	big.ld.size = sizeof(big);
	big.extra = 0;
	EXPECT_EQ(0, raw_load(self->fd, &big.ld)) TH_LOG("log: %s", kt_log);
	EXPECT_EQ(KTRACE_STATE_LOADED, state_of(self->fd));
}

TEST_F(sess, load_nonzero_reserved_is_einval)
{
	self->ld.reserved = 1;
	EXPECT_EQ(-EINVAL, raw_load(self->fd, &self->ld));
	self->ld.reserved = 0;
	EXPECT_EQ(KTRACE_STATE_NEW, state_of(self->fd));
}

TEST_F(sess, load_ustacksize_over_limit_is_einval)
{
	self->ld.opts.ustacksize = KTRACE_MAX_USTACKSIZE + 1;
	EXPECT_EQ(-EINVAL, raw_load(self->fd, &self->ld));
	EXPECT_NE(NULL, strstr(kt_log, "ustacksize"));
	EXPECT_EQ(KTRACE_STATE_NEW, state_of(self->fd));
	self->ld.opts.ustacksize = KTRACE_MAX_USTACKSIZE;
	self->ld.opts.flags = KTRACE_OPT_F_USTACK_DWARF;
	EXPECT_EQ(0, raw_load(self->fd, &self->ld)) TH_LOG("log: %s", kt_log);
	EXPECT_EQ(KTRACE_STATE_LOADED, state_of(self->fd));
}

TEST_F(sess, load_unknown_flags_are_einval)
{
	self->ld.flags = 1;
	EXPECT_EQ(-EINVAL, raw_load(self->fd, &self->ld));
	self->ld.flags = 0;
	self->ld.opts.flags = 1u << 31;
	EXPECT_EQ(-EINVAL, raw_load(self->fd, &self->ld));
	EXPECT_NE(NULL, strstr(kt_log, "unknown flags"));
	EXPECT_EQ(KTRACE_STATE_NEW, state_of(self->fd));
}

TEST_F(sess, load_bad_object_pointer_is_efault)
{
	self->ld.obj = 8;
	EXPECT_EQ(-EFAULT, raw_load(self->fd, &self->ld));
	EXPECT_EQ(KTRACE_STATE_NEW, state_of(self->fd));
}

TEST_F(sess, load_bad_struct_pointer_is_efault)
{
	EXPECT_EQ(-1, ioctl(self->fd, KTRACE_IOC_LOAD, (void *)8));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(sess, load_bad_log_pointer_is_efault_and_loads_nothing)
{
	self->ld.log_buf = 16;
	EXPECT_EQ(-EFAULT, raw_load(self->fd, &self->ld));
	EXPECT_EQ(KTRACE_STATE_NEW, state_of(self->fd));
	/* and the session is still usable */
	self->ld.log_buf = (uintptr_t)kt_log;
	EXPECT_EQ(0, raw_load(self->fd, &self->ld));
}

TEST_F(sess, load_huge_object_size_is_e2big)
{
	self->ld.obj_size = 1u << 31;
	EXPECT_EQ(-E2BIG, raw_load(self->fd, &self->ld));
}

TEST_F(sess, load_bad_option_is_einval_with_log)
{
	self->ld.opts.bufpolicy = 9;
	EXPECT_EQ(-EINVAL, raw_load(self->fd, &self->ld));
	EXPECT_NE(NULL, strstr(kt_log, "bufpolicy")) TH_LOG("log: %s", kt_log);
	kt_small_opts(&self->ld.opts);
	self->ld.opts.strsize = KTRACE_MIN_STRSIZE - 1;
	EXPECT_EQ(-EINVAL, raw_load(self->fd, &self->ld));
	EXPECT_NE(NULL, strstr(kt_log, "strsize 1 not in 2..8192")) TH_LOG("log: %s", kt_log);
	EXPECT_EQ(KTRACE_STATE_NEW, state_of(self->fd));
}

TEST_F(sess, load_bufsize_at_max_and_above)
{
	struct ktrace_conf c = { .size = sizeof(c) };

	ASSERT_EQ(0, ioctl(self->fd, KTRACE_IOC_CONF, &c));
	self->ld.opts.bufsize = c.max_bufsize + 1;
	EXPECT_EQ(-EINVAL, raw_load(self->fd, &self->ld));
	self->ld.opts.bufsize = 4096;
	EXPECT_EQ(0, raw_load(self->fd, &self->ld)) TH_LOG("log: %s", kt_log);
}

/* the least sizes (1 byte; strsize 2) load: the session rounds them up */
TEST_F(sess, load_least_sizes)
{
	self->ld.opts.bufsize = KTRACE_MIN_BUFSIZE;
	self->ld.opts.aggsize = KTRACE_MIN_AGGSIZE;
	self->ld.opts.dynvarsize = KTRACE_MIN_DYNVARSIZE;
	self->ld.opts.specsize = KTRACE_MIN_SPECSIZE;
	self->ld.opts.strsize = KTRACE_MIN_STRSIZE;
	EXPECT_EQ(0, raw_load(self->fd, &self->ld)) TH_LOG("log: %s", kt_log);
}

TEST_F(sess, nodeadman_without_destructive_is_einval)
{
	self->ld.opts.flags = KTRACE_OPT_F_NODEADMAN;
	EXPECT_EQ(-EINVAL, raw_load(self->fd, &self->ld));
}

TEST_F(sess, destructive_object_without_destructive_option_is_eacces)
{
	struct ktrace_obj_hdr *h = self->blob;

	h->flags = KTRACE_OBJ_F_DESTRUCTIVE;
	EXPECT_EQ(-EACCES, raw_load(self->fd, &self->ld)) TH_LOG("log: %s", kt_log);
	EXPECT_EQ(KTRACE_STATE_NEW, state_of(self->fd));
}

TEST_F(sess, enabling_of_unknown_probe_is_enoent)
{
	struct kt_obj o;
	void *b;
	uint32_t sz;

	kt_obj_init(&o);
	kt_clause_print(&o, 0x7ffffff0, "x %d\n", 1, 0, 0);
	b = kt_obj_build(&o, &sz);
	fill_load(&self->ld, b, sz);
	EXPECT_EQ(-ENOENT, raw_load(self->fd, &self->ld));
	EXPECT_NE(NULL, strstr(kt_log, "no probe")) TH_LOG("log: %s", kt_log);
	free(b);
}

TEST_F(sess, load_twice_is_ebusy)
{
	ASSERT_EQ(0, raw_load(self->fd, &self->ld));
	EXPECT_EQ(-EBUSY, raw_load(self->fd, &self->ld));
	EXPECT_EQ(KTRACE_STATE_LOADED, state_of(self->fd));
}

TEST_F(sess, go_before_load_is_enoent)
{
	EXPECT_EQ(-ENOENT, kt_simple(self->fd, KTRACE_IOC_GO));
	EXPECT_EQ(-ENOENT, kt_simple(self->fd, KTRACE_IOC_STOP));
	EXPECT_EQ(KTRACE_STATE_NEW, state_of(self->fd));
}

TEST_F(sess, go_twice_is_ebusy)
{
	ASSERT_EQ(0, raw_load(self->fd, &self->ld));
	ASSERT_EQ(0, kt_simple(self->fd, KTRACE_IOC_GO));
	EXPECT_EQ(-EBUSY, kt_simple(self->fd, KTRACE_IOC_GO));
}

TEST_F(sess, go_with_nonzero_reserved_is_einval)
{
	struct ktrace_go g = { .size = sizeof(g), .reserved = 1 };

	ASSERT_EQ(0, raw_load(self->fd, &self->ld));
	EXPECT_EQ(-1, ioctl(self->fd, KTRACE_IOC_GO, &g));
	EXPECT_EQ(EINVAL, errno);
	g.reserved = 0;
	g.flags = 2;
	EXPECT_EQ(-1, ioctl(self->fd, KTRACE_IOC_GO, &g));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(KTRACE_STATE_LOADED, state_of(self->fd));
}

TEST_F(sess, status_unknown_flags_are_einval)
{
	struct ktrace_status st = { .size = sizeof(st), .flags = 4 };

	EXPECT_EQ(-1, ioctl(self->fd, KTRACE_IOC_STATUS, &st));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(sess, unknown_ioctl_is_enotty)
{
	EXPECT_EQ(-1, ioctl(self->fd, _IO(KTRACE_IOC_MAGIC, 0x7f), 0));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(sess, mmap_before_load_is_enodev)
{
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd, 0));
	EXPECT_EQ(ENODEV, errno);
}

TEST_F(sess, mmap_beyond_map_size_is_einval)
{
	ASSERT_EQ(0, kt_load(self->fd, &self->o, &self->ld));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, self->ld.map_size + 4096, PROT_READ, MAP_SHARED,
				   self->fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd,
				   self->ld.map_size));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(sess, mmap_writable_of_read_only_part_is_eacces)
{
	void *p;

	ASSERT_EQ(0, kt_load(self->fd, &self->o, &self->ld));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, self->ld.map_size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, self->fd, 0));
	EXPECT_EQ(EACCES, errno);
	/* and a read-only mapping cannot be made writable later */
	p = mmap(NULL, self->ld.map_size, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect((char *)p + self->ld.hdr_map_size, 4096, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	munmap(p, self->ld.map_size);
}

TEST_F(sess, header_pages_map_writable)
{
	struct ktrace_map_hdr *h;

	ASSERT_EQ(0, kt_load(self->fd, &self->o, &self->ld));
	ASSERT_EQ(0, self->ld.hdr_map_size % 4096);
	h = mmap(NULL, self->ld.hdr_map_size, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, h);
	EXPECT_EQ(KTRACE_OBJ_MAGIC, h->magic);
	EXPECT_EQ(self->ld.map_size, h->map_size);
	h->cpu[0].consumer_tail = ~0ULL;	/* nonsense is clamped, not trusted */
	munmap(h, self->ld.hdr_map_size);
	EXPECT_EQ(0, kt_simple(self->fd, KTRACE_IOC_GO));
	EXPECT_EQ(KTRACE_STATE_DRAINING, state_of(self->fd));
}

TEST_F(sess, lying_consumer_tail_loses_only_its_records)
{
	struct kt_map m;
	struct ktrace_status st;
	unsigned int cpu;

	ASSERT_EQ(0, kt_load(self->fd, &self->o, &self->ld));
	ASSERT_EQ(0, kt_map(self->fd, &self->ld, &m));
	for (cpu = 0; cpu < m.hdr->ncpus; cpu++)
		m.hdr->cpu[cpu].consumer_tail = 0x8000000000000000ULL + cpu;
	ASSERT_EQ(0, kt_simple(self->fd, KTRACE_IOC_GO));
	ASSERT_EQ(0, kt_status(self->fd, &st));
	EXPECT_EQ(KTRACE_STATE_DRAINING, st.state);
	EXPECT_EQ(1, st.exited);
	kt_unmap(&m);
}

TEST(conf_reports_abi_and_limits)
{
	struct ktrace_conf c = { .size = sizeof(c) };
	int fd = kt_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, KTRACE_IOC_CONF, &c));
	EXPECT_EQ(KTRACE_ABI_VERSION, c.abi_version);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_CONF), c.ncpus);
	EXPECT_LT(0, c.max_bufsize);
	EXPECT_EQ(32, c.max_tuple);
	/* the option limits are the uapi's one definition */
	EXPECT_EQ(KTRACE_MAX_BUFSIZE, c.max_bufsize);
	EXPECT_EQ(KTRACE_MAX_STRSIZE, c.max_strsize);
	EXPECT_EQ(KTRACE_MAX_STACKFRAMES, c.max_stackframes);
	EXPECT_EQ(KTRACE_MAX_SCRATCHSIZE, c.max_scratchsize);
	EXPECT_EQ(0, c.reserved2);
	EXPECT_EQ(1024, c.max_fbt_return);
	close(fd);
}

TEST(conf_smaller_struct_gets_a_prefix)
{
	struct { uint32_t size, abi; uint64_t canary; } c = { .size = 8, .canary = 0x5a5a };
	int fd = kt_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, KTRACE_IOC_CONF, &c));
	EXPECT_EQ(0x5a5a, c.canary);
	close(fd);
}

static int drop_caps_and_open(int keep_perfmon, uid_t uid)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { 0 };
	int fd;

	if (uid && setresuid(uid, uid, uid))
		return -1000;
	if (!uid) {
		if (keep_perfmon) {
			d[CAP_PERFMON / 32].effective = 1u << (CAP_PERFMON % 32);
			d[CAP_PERFMON / 32].permitted = 1u << (CAP_PERFMON % 32);
		}
		if (syscall(SYS_capset, &h, d))
			return -1001;
	}
	fd = kt_open();
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int in_child(int keep_perfmon, uid_t uid)
{
	int st;
	pid_t pid = fork();

	if (!pid)
		_exit(-drop_caps_and_open(keep_perfmon, uid) & 0xff);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(open_as_nobody_is_refused)
{
	/* mode 0600 root: the permission check refuses nobody first */
	EXPECT_EQ(EACCES, in_child(0, 65534));
}

TEST(open_as_root_without_sys_admin_or_perfmon_is_eperm)
{
	EXPECT_EQ(EPERM, in_child(0, 0));
}

TEST(open_with_only_perfmon_is_allowed)
{
	EXPECT_EQ(0, in_child(1, 0));
}

TEST_HARNESS_MAIN
