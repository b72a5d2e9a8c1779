// SPDX-License-Identifier: GPL-2.0
/*
 * bench_interp: host benchmark of the interpreter (the very code the
 * module runs), built -O2 without sanitizers.
 *   alu loop          instructions per second on a tight arithmetic loop
 *   count by key      ns per firing of @[execname, arg0 & 15] = count()
 *   quantize          ns per firing of @ = quantize(arg0)
 *   string clause     ns per firing of strjoin/substr/strlen + printf record
 *   self-> clause     ns per firing of self->ts = timestamp; read back
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "env_host.h"

#define I(op, rd, rs1, rs2, imm) t_i(&t, KTRACE_OP_##op, rd, rs1, rs2, imm)

static struct tobj t;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* run clause 0 n times; returns ns per firing, *insns the insns per firing */
static double bench(struct tenv *te, u64 n, double *insns)
{
	double t0 = now(), t1;
	u64 i, r, total = 0;

	for (i = 0; i < n; i++) {
		te->fire.args[0] = i;
		te->vm.rec_used = 0;
		if (tenv_run(te, 0, &r)) {
			fprintf(stderr, "fault %u at %u\n", te->vm.fault, te->vm.fault_pc);
			exit(1);
		}
		total += te->vm.insns;
		if (i == 0)
			t0 = now();
	}
	t1 = now();
	*insns = (double)total / n;
	return (t1 - t0) * 1e9 / (n - 1);
}

static void load(struct tenv *te, const struct ktrace_opts *o)
{
	if (!t.ncl)
		t_clause(&t, 0, 0, 0, t.ni);
	if (tenv_load(te, &t, o)) {
		fprintf(stderr, "load: %s", te->log);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	u64 n = argc > 1 ? strtoull(argv[1], NULL, 0) : 2000000;
	struct ktrace_opts o = { .maxloops = 1U << 24, .insn_budget = KTRACE_MAX_BUDGET };
	struct tenv te;
	double ns, ins;

	/* 1. alu loop: 1000 iterations of 6 insns */
	tobj_init(&t);
	I(SETI, 1, 0, 0, 0);
	I(SETI, 2, 0, 0, 0);
	I(ADDI, 1, 1, 0, 1);	/* head */
	I(XOR, 2, 2, 1, 0);
	I(SETI, 3, 0, 0, 1000);
	I(SLT, 4, 1, 3, 0);
	I(BZ, 0, 4, 0, 8);
	I(LOOP, 0, 0, 0, 2);
	I(RET, 0, 2, 0, 0);
	load(&te, &o);
	ns = bench(&te, n / 200 + 2, &ins);
	printf("alu loop:        %8.1f ns/firing %6.0f insns/firing %7.1f M insns/s\n",
	       ns, ins, ins / ns * 1e3);
	tenv_free(&te);

	/* 2. count by key */
	tobj_init(&t);
	t_agg(&t, "c", KTRACE_AGG_COUNT, 2, 0, 0, 0, 0);
	t.agg[0].key_types[0] = KTRACE_TYPE_STRING;
	I(LDB, 1, 0, 0, KTRACE_VAR_EXECNAME);
	I(LDB, 2, 0, 0, KTRACE_VAR_ARG0);
	I(SETI, 3, 0, 0, 15);
	I(AND, 2, 2, 3, 0);
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);
	I(AGG, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	load(&te, NULL);
	ns = bench(&te, n, &ins);
	printf("count by key:    %8.1f ns/firing %6.0f insns/firing %7.1f M insns/s\n",
	       ns, ins, ins / ns * 1e3);
	tenv_free(&te);

	/* 3. quantize */
	tobj_init(&t);
	t_agg(&t, "q", KTRACE_AGG_QUANTIZE, 0, 0, 0, 0, 0);
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG0);
	I(AGG, 0, 1, 0, 0);
	I(RET, 0, 0, 0, 0);
	load(&te, NULL);
	ns = bench(&te, n, &ins);
	printf("quantize:        %8.1f ns/firing %6.0f insns/firing %7.1f M insns/s\n",
	       ns, ins, ins / ns * 1e3);
	tenv_free(&te);

	/* 4. string-heavy clause */
	tobj_init(&t);
	t_act(&t, KTRACE_ACT_PRINTF, 2);
	I(LDB, 1, 0, 0, KTRACE_VAR_EXECNAME);
	I(SETS, 2, 0, 0, t_str(&t, "/usr/lib/x86_64-linux-gnu/libc.so.6"));
	I(PUSH, 0, 2, 0, KTRACE_TT_STR);
	I(CALL, 3, 0, 0, KTRACE_SUBR_BASENAME);
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(PUSH, 0, 3, 0, KTRACE_TT_STR);
	I(CALL, 4, 0, 0, KTRACE_SUBR_STRJOIN);
	I(PUSH, 0, 4, 0, KTRACE_TT_STR);
	I(SETI, 5, 0, 0, 2);
	I(PUSH, 0, 5, 0, KTRACE_TT_INT);
	I(CALL, 6, 0, 0, KTRACE_SUBR_SUBSTR);
	I(PUSH, 0, 6, 0, KTRACE_TT_STR);
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(ACT, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	load(&te, NULL);
	ns = bench(&te, n, &ins);
	printf("string clause:   %8.1f ns/firing %6.0f insns/firing %7.1f M insns/s\n",
	       ns, ins, ins / ns * 1e3);
	tenv_free(&te);

	/* 5. self-> store and load */
	tobj_init(&t);
	t_var(&t, "ts", KTRACE_SCOPE_TLS, KTRACE_TYPE_INT, 0);
	I(LDB, 1, 0, 0, KTRACE_VAR_TIMESTAMP);
	I(STT, 0, 1, 0, 0);
	I(LDT, 2, 0, 0, 0);
	I(SUB, 3, 1, 2, 0);
	I(RET, 0, 3, 0, 0);
	load(&te, NULL);
	ns = bench(&te, n, &ins);
	printf("self-> clause:   %8.1f ns/firing %6.0f insns/firing %7.1f M insns/s\n",
	       ns, ins, ins / ns * 1e3);
	tenv_free(&te);
	return 0;
}
