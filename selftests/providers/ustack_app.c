// SPDX-License-Identifier: GPL-2.0
/*
 * ustack_app: known user call chains for ustack.sh.
 *
 *   ustack_app N [unlink]
 *
 * Each of N rounds calls ust_a -> ust_b -> ust_c in the executable and
 * ust_lib_a -> ust_lib_b -> ust_lib_c (in the shared library when built
 * split, see build.mk); ust_c and ust_lib_c each make one getppid(2)
 * with an inline `syscall` instruction, so the user registers at the
 * syscall are those of the chain's last function, whatever libc is
 * (syscall::getppid:entry sees ust_c or ust_lib_c as the first frame).
 * With "unlink", the program first removes its own executable file (it
 * runs deleted-but-mapped).  Then it prints "done N" and exits.
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
#include <unistd.h>
#include <sys/syscall.h>

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

int main(int argc, char **argv)
{
	long i, n;

	if (argc < 2) {
		printf("KTAP version 1\n1..0 # SKIP helper program of ustack.sh\n");
		return 4;
	}
	n = atol(argv[1]);
	if (argc > 2 && !strcmp(argv[2], "unlink") && unlink_self() < 0)
		return 1;
	for (i = 0; i < n; i++) {
		ust_a();
		ust_lib_a();
	}
	printf("done %ld\n", n);
	return 0;
}
#endif
