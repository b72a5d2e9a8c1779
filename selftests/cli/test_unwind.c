// SPDX-License-Identifier: GPL-2.0
/*
 * test_unwind: the consumer's side of ustackmode=dwarf on the host, no
 * module needed: user/unwind.c (libdw) and user/sym.c on samples taken the
 * way the kernel takes them (env.c: the user registers at a syscall's
 * entry and the stack from sp up), here through ptrace, of the ustack
 * workloads (selftests/providers/ustack_app.c, built by the Makefile with
 * and without frame pointers, their chain ust_lib_* in a shared library).
 * Exact frames, then the same samples unwound after the process has
 * exited, a stack cut short, and a sample with no registers.
 * KTAP output; exit 1 on any failure.
 *
 *   test_unwind DIR    DIR holds ustack_fp, ustack_nofp and their libraries
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include "kt_user.h"

static int ntests, nfail;

static void result(const char *name, bool ok, const char *why)
{
	ntests++;
	if (!ok) {
		nfail++;
		printf("# %s: %s\n", name, why);
	}
	printf("%s %d %s\n", ok ? "ok" : "not ok", ntests, name);
}

struct sample {
	struct ktrace_uregs	regs;
	uint8_t			stack[8192];
	uint32_t		size;
};

/*
 * Run PROG 1 under ptrace and take a sample at the entry of each of its
 * getppid(2)s (ust_c's, then ust_lib_c's); the process is left stopped at
 * the second.  Returns its pid, or -1.
 */
static pid_t take_samples(const char *prog, struct sample s[2])
{
	int st, n = 0;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execl(prog, prog, "1", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
		return -1;
	while (n < 2) {
		struct user_regs_struct r;
		char path[64];
		ssize_t got;
		int fd;

		if (ptrace(PTRACE_SYSCALL, pid, NULL, NULL) < 0 ||
		    waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st) ||
		    ptrace(PTRACE_GETREGS, pid, NULL, &r) < 0)
			goto fail;
		/* a syscall-entry stop has rax = -ENOSYS */
		if (r.orig_rax != SYS_getppid || r.rax != (unsigned long long)-ENOSYS)
			continue;
		s[n].regs = (struct ktrace_uregs){ r.rip, r.rsp, r.rbp, r.rbx,
						   r.r12, r.r13, r.r14, r.r15 };
		snprintf(path, sizeof(path), "/proc/%d/mem", pid);
		fd = open(path, O_RDONLY);
		got = fd < 0 ? -1 : pread(fd, s[n].stack, sizeof(s[n].stack), (off_t)r.rsp);
		if (fd >= 0)
			close(fd);
		if (got <= 0)
			goto fail;
		s[n].size = (uint32_t)got & ~7U;	/* cut at the top of the stack, as the kernel */
		kt_upid_note(pid);			/* as the consumer, when the pid first shows */
		n++;
	}
	return pid;
fail:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

/* The unwound frames as "mod`func|mod`func|..." (offsets dropped). */
static void frames(pid_t pid, const struct sample *s, uint32_t size, uint32_t max,
		   char *out, size_t outsz)
{
	uint64_t pcs[KTRACE_MAX_STACKFRAMES];
	uint32_t n = kt_unwind(pid, &s->regs, s->stack, size, pcs, max);
	size_t len = 0;

	out[0] = '\0';
	for (uint32_t i = 0; i < n && len < outsz; i++) {
		char sym[512], *plus;

		kt_usym(pid, pcs[i], sym, sizeof(sym), true);
		plus = strrchr(sym, '+');
		if (plus)
			*plus = '\0';
		len += snprintf(out + len, outsz - len, "%s%s", i ? "|" : "", sym);
	}
}

static void expect(const char *name, const char *got, const char *want_prefix)
{
	char why[2048];

	snprintf(why, sizeof(why), "want [%s...], got [%s]", want_prefix, got);
	result(name, !strncmp(got, want_prefix, strlen(want_prefix)), why);
}

static void one_build(const char *dir, const char *v)
{
	struct sample *s = calloc(2, sizeof(*s));
	char prog[4096], name[128], got[4096], want[512];
	pid_t pid;
	int st;

	snprintf(prog, sizeof(prog), "%s/ustack_%s", dir, v);
	pid = s ? take_samples(prog, s) : -1;
	snprintf(name, sizeof(name), "%s_samples_taken", v);
	result(name, pid > 0, prog);
	if (pid <= 0) {
		free(s);
		return;
	}
	/* while it lives */
	frames(pid, &s[0], s[0].size, KTRACE_MAX_STACKFRAMES, got, sizeof(got));
	snprintf(want, sizeof(want), "ustack_%s`ust_c|ustack_%s`ust_b|ustack_%s`ust_a|ustack_%s`main|",
		 v, v, v, v);
	snprintf(name, sizeof(name), "%s_executable_chain", v);
	expect(name, got, want);
	snprintf(name, sizeof(name), "%s_chain_ends_at_start", v);
	snprintf(want, sizeof(want), "|ustack_%s`_start", v);
	result(name, strstr(got, want) && strstr(got, "libc.so.6`") &&
	       !strcmp(strstr(got, want), want), got);
	frames(pid, &s[1], s[1].size, KTRACE_MAX_STACKFRAMES, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "libustack_%s.so`ust_lib_c|libustack_%s.so`ust_lib_b|libustack_%s.so`ust_lib_a|ustack_%s`main|",
		 v, v, v, v);
	snprintf(name, sizeof(name), "%s_library_chain", v);
	expect(name, got, want);
	/* ustack(n): at most n frames */
	frames(pid, &s[1], s[1].size, 2, got, sizeof(got));
	snprintf(want, sizeof(want), "libustack_%s.so`ust_lib_c|libustack_%s.so`ust_lib_b", v, v);
	snprintf(name, sizeof(name), "%s_frames_bounded", v);
	result(name, !strcmp(got, want), got);
	/* a short copy: the frames it holds, then the end */
	frames(pid, &s[0], 16, KTRACE_MAX_STACKFRAMES, got, sizeof(got));
	snprintf(name, sizeof(name), "%s_short_copy_stops", v);
	result(name, !strncmp(got, "ustack_", 7) && !strstr(got, "_start"), got);

	/* gone: the same samples, from the mappings kept for the session */
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	frames(pid, &s[1], s[1].size, KTRACE_MAX_STACKFRAMES, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "libustack_%s.so`ust_lib_c|libustack_%s.so`ust_lib_b|libustack_%s.so`ust_lib_a|ustack_%s`main|",
		 v, v, v, v);
	snprintf(name, sizeof(name), "%s_library_chain_after_exit", v);
	expect(name, got, want);
	free(s);
}

int main(int argc, char **argv)
{
	struct ktrace_uregs none = { 0 };
	uint64_t pcs[4];

	if (argc != 2) {
		fprintf(stderr, "usage: test_unwind DIR\n");
		return 2;
	}
	printf("KTAP version 1\n1..15\n");
	one_build(argv[1], "nofp");
	one_build(argv[1], "fp");
	/* a firing without user context: no frames */
	result("no_registers_no_frames", kt_unwind(getpid(), &none, NULL, 0, pcs, 4) == 0, "");
	return nfail ? 1 : 0;
}
