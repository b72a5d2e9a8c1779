// SPDX-License-Identifier: GPL-2.0
/*
 * KTRACE_IOC_PROBES LOOKUP of USDT descriptions (KTRACE_PD_F_USDT): the
 * kernel checks every field of struct ktrace_usdt, its sites and their
 * argument specs, refuses bad ones with a clear errno and creates nothing.
 * The binary is this test program itself (any regular file would do:
 * nothing is enabled here; selftests/providers/usdt.sh fires real probes).
 */
#include <stdio.h>
#include <sys/stat.h>
#include "kselftest_harness.h"
#include "ktrace_uapi_test.h"

struct usdt_buf {
	struct ktrace_usdt	h;
	struct ktrace_usdt_site	s[KTRACE_USDT_MAXSITES + 1];
};

FIXTURE(u) {
	int fd;
	char path[4096];
	long size;
	struct ktrace_probe_desc d;
	struct usdt_buf b;
};

FIXTURE_SETUP(u)
{
	struct stat st;
	ssize_t n;

	self->fd = kt_open();
	ASSERT_LE(0, self->fd);
	n = readlink("/proc/self/exe", self->path, sizeof(self->path) - 1);
	ASSERT_LT(0, n);
	self->path[n] = 0;
	ASSERT_EQ(0, stat(self->path, &st));
	self->size = st.st_size;
	memset(&self->d, 0, sizeof(self->d));
	memset(&self->b, 0, sizeof(self->b));
	/* a unique name per test: a created probe is found, not re-checked */
	snprintf(self->d.provider, sizeof(self->d.provider), "kttest");
	snprintf(self->d.module, sizeof(self->d.module), "usdt_desc");
	snprintf(self->d.function, sizeof(self->d.function), "f%d", getpid());
	snprintf(self->d.name, sizeof(self->d.name), "%s", _metadata->name);
	self->d.flags = KTRACE_PD_F_USDT;
	self->d.path = (uintptr_t)self->path;
	self->d.usdt = (uintptr_t)&self->b;
	self->b.h.size = sizeof(self->b.h);
	self->b.h.nsites = 1;
	self->b.s[0].offset = 16;
	self->b.s[0].nargs = 2;
	self->b.s[0].args[0] = (struct ktrace_usdt_arg){ .kind = KTRACE_USDT_ARG_REG, .size = 8,
							 .base = KTRACE_UREG_RDI };
	self->b.s[0].args[1] = (struct ktrace_usdt_arg){ .kind = KTRACE_USDT_ARG_MEM, .size = 4,
							 .is_signed = 1, .base = KTRACE_UREG_RBP,
							 .index = KTRACE_UREG_RAX, .scale = 8,
							 .val = -16 };
}

FIXTURE_TEARDOWN(u)
{
	close(self->fd);
}

/* LOOKUP a copy of one description: its errno (per-desc result) or 0, d->id set. */
static int lookup(int fd, struct ktrace_probe_desc *d)
{
	struct ktrace_probe_desc c = *d;
	struct ktrace_probe_query q = { .size = sizeof(q), .op = KTRACE_PROBE_LOOKUP, .count = 1,
					.descs = (uintptr_t)&c, .desc_size = sizeof(c) };
	__s32 e = 0;

	q.errors = (uintptr_t)&e;
	if (ioctl(fd, KTRACE_IOC_PROBES, &q))
		return -errno;
	d->id = c.id;
	return e;
}

TEST_F(u, valid_description_is_created)
{
	self->b.h.semaphore = 8;
	ASSERT_EQ(0, lookup(self->fd, &self->d));
	ASSERT_LT(3, self->d.id);
}

TEST_F(u, flag_without_spec_is_einval)
{
	self->d.usdt = 0;
	ASSERT_EQ(-EINVAL, lookup(self->fd, &self->d));
}

TEST_F(u, spec_without_flag_is_einval)
{
	self->d.flags = 0;
	ASSERT_EQ(-EINVAL, lookup(self->fd, &self->d));
}

TEST_F(u, unknown_flag_is_einval)
{
	self->d.flags |= 2;
	ASSERT_EQ(-EINVAL, lookup(self->fd, &self->d));
}

TEST_F(u, addr_set_is_einval)
{
	self->d.addr = 16;
	ASSERT_EQ(-EINVAL, lookup(self->fd, &self->d));
}

TEST_F(u, sites_at_zero_max_and_over)
{
	int i;

	self->b.h.nsites = 0;
	ASSERT_EQ(-EINVAL, lookup(self->fd, &self->d));
	for (i = 1; i <= KTRACE_USDT_MAXSITES; i++)
		self->b.s[i].offset = 16 + i;
	self->b.h.nsites = KTRACE_USDT_MAXSITES + 1;
	ASSERT_EQ(-EINVAL, lookup(self->fd, &self->d));
	self->b.h.nsites = KTRACE_USDT_MAXSITES;
	ASSERT_EQ(0, lookup(self->fd, &self->d));
}

TEST_F(u, larger_header_with_nonzero_tail_is_e2big)
{
	/* the sites start at h.size: a 24-byte header is followed by s[0] */
	self->b.h.size = sizeof(self->b.h) + 8;
	self->b.s[0].offset = 16;
	ASSERT_EQ(-E2BIG, lookup(self->fd, &self->d));
}

TEST_F(u, nonzero_reserved_is_einval)
{
	self->b.s[0].reserved = 1;
	ASSERT_EQ(-EINVAL, lookup(self->fd, &self->d));
	self->b.s[0].reserved = 0;
	self->b.s[0].args[0].reserved = 1;
	ASSERT_EQ(-EINVAL, lookup(self->fd, &self->d));
}

TEST_F(u, bad_argument_specs_are_einval)
{
	struct ktrace_usdt_arg good = self->b.s[0].args[1];

	self->b.s[0].args[1].kind = KTRACE_USDT_ARG_MEM + 1;
	EXPECT_EQ(-EINVAL, lookup(self->fd, &self->d));
	self->b.s[0].args[1] = good;
	self->b.s[0].args[1].size = 3;
	EXPECT_EQ(-EINVAL, lookup(self->fd, &self->d));
	self->b.s[0].args[1] = good;
	self->b.s[0].args[1].scale = 3;
	EXPECT_EQ(-EINVAL, lookup(self->fd, &self->d));
	self->b.s[0].args[1] = good;
	self->b.s[0].args[1].index = KTRACE_UREG_RIP;
	EXPECT_EQ(-EINVAL, lookup(self->fd, &self->d));
	self->b.s[0].args[1] = good;
	self->b.s[0].args[1].base = KTRACE_UREG_COUNT;
	EXPECT_EQ(-EINVAL, lookup(self->fd, &self->d));
	self->b.s[0].args[1] = good;
	self->b.s[0].args[1].is_signed = 2;
	EXPECT_EQ(-EINVAL, lookup(self->fd, &self->d));
	self->b.s[0].args[1] = good;
	self->b.s[0].args[0].val = 1;	/* a register has no displacement */
	EXPECT_EQ(-EINVAL, lookup(self->fd, &self->d));
	self->b.s[0].args[0].val = 0;
	self->b.s[0].args[2].size = 8;	/* past nargs: must be zero */
	EXPECT_EQ(-EINVAL, lookup(self->fd, &self->d));
	self->b.s[0].args[2].size = 0;
	self->b.s[0].nargs = KTRACE_USDT_MAXARGS + 1;
	EXPECT_EQ(-EINVAL, lookup(self->fd, &self->d));
	self->b.s[0].nargs = 2;
	EXPECT_EQ(0, lookup(self->fd, &self->d));
}

TEST_F(u, offsets_past_the_file_are_erange)
{
	self->b.s[0].offset = self->size;
	ASSERT_EQ(-ERANGE, lookup(self->fd, &self->d));
	self->b.s[0].offset = self->size - 1;
	self->b.h.semaphore = self->size;
	ASSERT_EQ(-ERANGE, lookup(self->fd, &self->d));
	self->b.h.semaphore = self->size - 2;
	ASSERT_EQ(0, lookup(self->fd, &self->d));
}

TEST_F(u, pid_must_end_the_provider_name_and_exist)
{
	self->d.pid = getpid();
	ASSERT_EQ(-EINVAL, lookup(self->fd, &self->d));
	snprintf(self->d.provider, sizeof(self->d.provider), "kttest%d", getpid());
	ASSERT_EQ(0, lookup(self->fd, &self->d));
	self->d.id = 0;
	self->d.pid = 99999999;
	snprintf(self->d.provider, sizeof(self->d.provider), "kttest%u", self->d.pid);
	ASSERT_EQ(-ESRCH, lookup(self->fd, &self->d));
}

TEST_F(u, bad_spec_pointer_is_efault)
{
	self->d.usdt = 8;
	ASSERT_EQ(-EFAULT, lookup(self->fd, &self->d));
}

TEST_HARNESS_MAIN
