// SPDX-License-Identifier: GPL-2.0
/*
 * ustack_app: known user call chains for ustack.sh.
 *
 *   ustack_app N [unlink] [wait FILE] [dlopen LIB]
 *   ustack_app trace PID
 *
 * Each of N rounds calls ust_a -> ust_b -> ust_c in the executable and
 * ust_lib_a -> ust_lib_b -> ust_lib_c (in the shared library when built
 * split, see build.mk); ust_c and ust_lib_c each make one getppid(2)
 * with an inline `syscall` instruction, so the user registers at the
 * syscall are those of the chain's last function, whatever libc is
 * (syscall::getppid:entry sees ust_c or ust_lib_c as the first frame).
 * With "unlink", the program first removes its own executable file (it
 * runs deleted-but-mapped).  With "wait FILE", it then prints "ready"
 * and makes its rounds only once FILE exists (a -p target: ktrace is
 * started on it in between).  With "dlopen LIB" (not in the static
 * build), it then loads LIB and each round also calls that library's
 * ust_lib_a (a library mapped only after ktrace has read the mappings;
 * RTLD_DEEPBIND: its chain calls its own ust_lib_b, not the linked one's).
 * Then it prints "done N" and exits.
 * "trace PID" is a tracer in the way of strace: it seizes PID with
 * ptrace, prints "tracing", passes on the signals it stops for, and
 * exits when PID has exited (a -p target ktrace cannot follow itself).
 *
 * Built three ways from this one file (build.mk): ustack_fp and
 * ustack_nofp (dynamic, -O2 with and without -fno-omit-frame-pointer,
 * the chain ust_lib_* in libustack_fp.so / libustack_nofp.so, found
 * through $ORIGIN), and ustack_app itself (static, the generic rule).
 * USTACK_LIB_ONLY builds the library part alone, USTACK_MAIN_ONLY the
 * program without it.
 * Run without arguments (as the selftest runner does), it reports a KTAP
 * skip: it is a helper, not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef USTACK_MAIN_ONLY
#include <dlfcn.h>
#endif
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define UST_FN	__attribute__((noinline, noclone, used))

static volatile long ust_sink;

/* a call, so that the chain's last function is no leaf (gcc 12 gives
 * leaves no frame pointer even with -mno-omit-leaf-frame-pointer) */
static UST_FN void ust_touch(void)
{
	ust_sink++;
}

/* getppid(2) from here, after the call: nothing after the syscall but a store */
#define UST_SYSCALL()							\
	do {								\
		long r;							\
		ust_touch();						\
		__asm__ volatile("syscall" : "=a"(r) : "0"((long)SYS_getppid) \
				 : "rcx", "r11", "memory");		\
		ust_sink += r;						\
	} while (0)

#ifndef USTACK_MAIN_ONLY
UST_FN void ust_lib_c(void)
{
	UST_SYSCALL();
}

UST_FN void ust_lib_b(void)
{
	ust_lib_c();
	ust_sink++;	/* no tail call: this frame stays */
}

UST_FN void ust_lib_a(void)
{
	ust_lib_b();
	ust_sink++;
}
#else
void ust_lib_a(void);
#endif

#ifndef USTACK_LIB_ONLY
UST_FN void ust_c(void)
{
	UST_SYSCALL();
}

UST_FN void ust_b(void)
{
	ust_c();
	ust_sink++;
}

UST_FN void ust_a(void)
{
	ust_b();
	ust_sink++;
}

/* out of main: main's frame stays small, its caller within a small ustacksize */
static UST_FN int unlink_self(void)
{
	char self[4096];
	ssize_t l = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (l < 0 || (self[l] = '\0', unlink(self) < 0)) {
		perror("ustack_app: unlink");
		return -1;
	}
	return 0;
}

/* "trace PID": follow PID with ptrace until it exits, as strace would */
static int trace_pid(pid_t pid)
{
	int st;

	if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) < 0) {
		perror("ustack_app: PTRACE_SEIZE");
		return 1;
	}
	printf("tracing\n");
	fflush(stdout);
	for (;;) {
		if (waitpid(pid, &st, __WALL) < 0)
			return 1;
		if (!WIFSTOPPED(st))
			return 0;
		/* a signal-delivery stop passes its signal on; a trap stop none */
		ptrace(PTRACE_CONT, pid, NULL, (void *)(long)((st >> 16) ? 0 : WSTOPSIG(st)));
	}
}

/* "wait FILE": up to 60 s for FILE to exist */
static int wait_file(const char *file)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct stat sb;

	printf("ready\n");
	fflush(stdout);
	for (int i = 0; i < 6000; i++) {
		if (!stat(file, &sb))
			return 0;
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "ustack_app: %s did not appear\n", file);
	return -1;
}

int main(int argc, char **argv)
{
	void (*late_lib_a)(void) = NULL;
	long i, n;
	int a = 2;

	if (argc < 2) {
		printf("KTAP version 1\n1..0 # SKIP helper program of ustack.sh\n");
		return 4;
	}
	if (!strcmp(argv[1], "trace"))
		return argc > 2 ? trace_pid((pid_t)atoi(argv[2])) : 2;
	n = atol(argv[1]);
	if (argc > a && !strcmp(argv[a], "unlink") && (a++, unlink_self() < 0))
		return 1;
	if (argc > a + 1 && !strcmp(argv[a], "wait") && (a += 2, wait_file(argv[a - 1]) < 0))
		return 1;
#ifdef USTACK_MAIN_ONLY
	if (argc > a + 1 && !strcmp(argv[a], "dlopen")) {
		void *h = dlopen(argv[a + 1], RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);

		late_lib_a = h ? (void (*)(void))dlsym(h, "ust_lib_a") : NULL;
		if (!late_lib_a) {
			fprintf(stderr, "ustack_app: %s: %s\n", argv[a + 1], dlerror());
			return 1;
		}
	}
#endif
	for (i = 0; i < n; i++) {
		ust_a();
		ust_lib_a();
		if (late_lib_a)
			late_lib_a();
	}
	printf("done %ld\n", n);
	return 0;
}
#endif
