// SPDX-License-Identifier: GPL-2.0
/*
 * manyfuncs - a program with 4096 functions of its own (fn_000 .. fn_fff),
 * for the pid provider at scale (providers/pid_scale.sh) and make bench's
 * B10 (time to enable a uprobe on every function of a large binary).
 *
 * "manyfuncs run" waits for one line on stdin (so that a tracer can attach
 * first), then calls each of the 4096 functions exactly once, prints
 * "sum=S" and exits.  Without "run" it exits 4 (KSFT_SKIP): the guest test
 * runner runs every executable of the area, and this one is no test.
 * Every function has a body of its own (a distinct constant from
 * __COUNTER__), so the compiler cannot fold them into one.
 */
#include <stdio.h>
#include <string.h>

#define DEF(n)	__attribute__((noinline)) int n(int x) \
		{ __asm__ volatile("" : "+r"(x)); return x + __COUNTER__; }
#define CALL(n)	s = n(s);
#define X16(M, p) M(p##0) M(p##1) M(p##2) M(p##3) M(p##4) M(p##5) M(p##6) \
	M(p##7) M(p##8) M(p##9) M(p##a) M(p##b) M(p##c) M(p##d) M(p##e) M(p##f)
#define Y16(M, p) X16(M, p##0) X16(M, p##1) X16(M, p##2) X16(M, p##3) \
	X16(M, p##4) X16(M, p##5) X16(M, p##6) X16(M, p##7) X16(M, p##8) \
	X16(M, p##9) X16(M, p##a) X16(M, p##b) X16(M, p##c) X16(M, p##d) \
	X16(M, p##e) X16(M, p##f)
#define Z16(M, p) Y16(M, p##0) Y16(M, p##1) Y16(M, p##2) Y16(M, p##3) \
	Y16(M, p##4) Y16(M, p##5) Y16(M, p##6) Y16(M, p##7) Y16(M, p##8) \
	Y16(M, p##9) Y16(M, p##a) Y16(M, p##b) Y16(M, p##c) Y16(M, p##d) \
	Y16(M, p##e) Y16(M, p##f)

Z16(DEF, fn_)

int main(int argc, char **argv)
{
	char line[64];
	int s = 0;

	if (argc != 2 || strcmp(argv[1], "run")) {
		fprintf(stderr, "usage: manyfuncs run (then a line on stdin)\n");
		return 4;
	}
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	Z16(CALL, fn_)
	printf("sum=%d\n", s);
	return 0;
}
