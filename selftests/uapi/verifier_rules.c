// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier's rules in the kernel: every rule test of the host suite
 * (selftests/host/rules.inc) again, with the hand-made program submitted
 * through the raw KTRACE_IOC_LOAD ioctl instead of the host loader.  Each
 * rule is violated at N (rejected with -EINVAL or -EACCES and the exact
 * "insn N: reason" line in the user's log buffer) and satisfied one step
 * inside (accepted).  The kernel log must stay clean: vm/run checks it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "tobj.h"
#include "kselftest_harness.h"

static struct tobj T;

/* what rules.inc needs of the host's struct tenv: the verifier's log */
struct genv {
	char	log[8192];
};
static struct genv E;

#define I(op, rd, rs1, rs2, imm) t_i(&T, KTRACE_OP_##op, rd, rs1, rs2, imm)
#define BODY()	t_clause(&T, 0, 0, 0, T.ni)

static void tenv_free(struct genv *e)
{
	memset(e->log, 0, sizeof(e->log));
}

/* submit T (one clause on BEGIN, id 1) to a new session; 0 or -errno */
static int load(const struct ktrace_opts *o)
{
	struct ktrace_load ld;
	void *blob;
	u32 size;
	int fd, ret;

	if (!T.ncl)
		BODY();
	blob = tobj_blob(&T, &size);
	fd = open(KTRACE_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		free(blob);
		return -errno;
	}
	memset(&ld, 0, sizeof(ld));
	ld.size = sizeof(ld);
	ld.obj = (uintptr_t)blob;
	ld.obj_size = size;
	ld.log_buf = (uintptr_t)E.log;
	ld.log_size = sizeof(E.log);
	if (o)
		ld.opts = *o;
	ret = ioctl(fd, KTRACE_IOC_LOAD, &ld) < 0 ? -errno : 0;
	close(fd);
	free(blob);
	return ret;
}

#include "rules_check.h"

FIXTURE(vm) { int unused; };
FIXTURE_SETUP(vm)
{
	if (access(KTRACE_DEVICE, F_OK))
		SKIP(return, "%s: no ktrace module loaded", KTRACE_DEVICE);
	tobj_init(&T);
	tenv_free(&E);
}
FIXTURE_TEARDOWN(vm) { }

#include "rules.inc"

TEST_HARNESS_MAIN
