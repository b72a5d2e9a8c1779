// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the VM's bounds (issue 23): what one firing may run, the
 * verifier's cost, the reuse of scratch within a clause, exit()'s status.
 * Each test fails on the code before its fix.  KTAP through
 * kselftest_harness.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "env_host.h"
#include "bigobj.h"
#include "kselftest_harness.h"

static struct tobj T;
static struct tenv E;

#define I(op, rd, rs1, rs2, imm) t_i(&T, KTRACE_OP_##op, rd, rs1, rs2, imm)

static int load(const struct ktrace_opts *o)
{
	if (!T.ncl)
		t_clause(&T, 0, 0, 0, T.ni);
	return tenv_load(&E, &T, o);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* LOAD a big object; *secs: how long it took */
static int load_big(const struct bigobj *o, double *secs)
{
	u32 size;
	void *b = bigobj_blob(o, &size);
	double t0 = now_s();
	int err = tenv_load_blob(&E, b, size, NULL);

	*secs = now_s() - t0;
	free(b);
	return err;
}

FIXTURE(vm) { int unused; };
FIXTURE_SETUP(vm)
{
	tobj_init(&T);
	host_overtime_calls = 0;
	host_overtime_at = 0;
}
FIXTURE_TEARDOWN(vm) { tenv_free(&E); }

/* 0: head; loops forever (the budget or maxloops ends it) */
static void spin(void)
{
	I(NOP, 0, 0, 0, 0);
	I(LOOP, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
}

/* ================= instructions per firing ================= */

TEST_F(vm, budget_fault_charges_the_budget)
{
	struct ktrace_opts o = { .insn_budget = 1000, .maxloops = 1 << 20 };
	u64 r;

	spin();
	ASSERT_EQ(0, load(&o));
	ktrace_vm_firing_begin(&E.vm, &E.fire);
	ASSERT_EQ(-EFAULT, ktrace_vm_run(&E.vm, 0, &r));
	ASSERT_EQ(KTRACE_FAULT_BUDGET, E.vm.fault);
	ASSERT_EQ(1000U, E.vm.insns);
	/* the next clause of the same firing has nothing left */
	ASSERT_EQ(-EFAULT, ktrace_vm_run(&E.vm, 0, &r));
	ASSERT_EQ(KTRACE_FAULT_BUDGET, E.vm.fault);
	ASSERT_EQ(0U, E.vm.fault_pc);
	ASSERT_EQ(1000U, E.vm.insns);
}

TEST_F(vm, budget_counts_across_chunks)
{
	struct ktrace_opts o = { .insn_budget = 3 * KTRACE_BUDGET_CHUNK + 5,
				 .maxloops = 1 << 20 };
	u64 r;

	spin();
	ASSERT_EQ(0, load(&o));
	ASSERT_EQ(-EFAULT, tenv_run(&E, 0, &r));
	ASSERT_EQ(KTRACE_FAULT_BUDGET, E.vm.fault);
	ASSERT_EQ(o.insn_budget, E.vm.insns);
	/* the clock was asked at each chunk boundary crossed */
	ASSERT_EQ(3U, host_overtime_calls);
}

TEST_F(vm, firing_over_its_time_faults_at_a_chunk)
{
	struct ktrace_opts o = { .maxloops = 1 << 20 };
	u64 r;

	spin();
	host_overtime_at = 2;	/* the clock says "too long" at the second look */
	ASSERT_EQ(0, load(&o));
	ASSERT_EQ(-EFAULT, tenv_run(&E, 0, &r));
	ASSERT_EQ(KTRACE_FAULT_BUDGET, E.vm.fault);
	ASSERT_EQ(2U * KTRACE_BUDGET_CHUNK, E.vm.fault_val);
	/* nothing is left for the firing's other clauses */
	ASSERT_EQ(KTRACE_DEF_BUDGET, E.vm.insns);
	ASSERT_EQ(-EFAULT, ktrace_vm_run(&E.vm, 0, &r));
	ASSERT_EQ(KTRACE_FAULT_BUDGET, E.vm.fault);
	ASSERT_EQ(0U, E.vm.fault_pc);
}

TEST_F(vm, clock_is_read_per_chunk_of_the_firing_not_per_clause)
{
	struct ktrace_opts o = { .maxloops = 1 << 20 };
	u64 r;
	int i;

	/* 10 instructions a clause: 1000 clauses cross two chunk boundaries */
	for (i = 0; i < 9; i++)
		I(NOP, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(&o));
	ktrace_vm_firing_begin(&E.vm, &E.fire);
	for (i = 0; i < 1000; i++)
		ASSERT_EQ(0, ktrace_vm_run(&E.vm, 0, &r));
	ASSERT_EQ(10000U, E.vm.insns);
	ASSERT_EQ(2U, host_overtime_calls);
}

TEST_F(vm, budget_option_limit_at_max_and_over)
{
	struct ktrace_opts o = { .insn_budget = KTRACE_MAX_BUDGET };

	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(&o));
	tenv_free(&E);
	o.insn_budget = KTRACE_MAX_BUDGET + 1;
	ASSERT_EQ(-EINVAL, load(&o));
	ASSERT_NE(NULL, strstr(E.log, "opts: insn_budget 16777217 not in 1..16777216"));
}

/* ================= exit() ================= */

TEST_F(vm, first_exit_of_a_clause_wins)
{
	u32 a = t_act(&T, KTRACE_ACT_EXIT, 1);
	u64 r;
	int v;

	for (v = 5; v <= 7; v++) {
		I(SETI, 1, 0, 0, v);
		I(PUSH, 0, 1, 0, KTRACE_TT_INT);
		I(ACT, 0, 0, 0, a);
	}
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(NULL));
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(1, E.vm.exit_req);
	ASSERT_EQ(5, E.vm.exit_status);
}

/* ================= scratch ================= */

/*
 * for (i = n; i; i--) { probefunc; } or, with_agg,
 * for (i = n; i; i--) { @a[probefunc] = count(); }
 * (each probefunc is a new 8-byte scratch string).
 */
static void scratch_loop(u32 n, bool with_agg)
{
	u32 ag = t_agg(&T, "a", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0), head;

	T.agg[ag].key_types[0] = KTRACE_TYPE_STRING;
	I(SETI, 1, 0, 0, n);
	head = I(LDB, 2, 0, 0, KTRACE_VAR_PROBEFUNC);
	if (with_agg) {
		I(PUSH, 0, 2, 0, KTRACE_TT_STR);
		I(AGG, 0, 0, 0, ag);
	}
	I(ADDI, 1, 1, 0, -1);
	I(BZ, 0, 1, 0, T.ni + 2);
	I(LOOP, 0, 0, 0, head);
}

TEST_F(vm, scratch_of_a_statement_is_reused_after_an_aggregation)
{
	u64 r;

	/* 2000 strings of 8 bytes: twice the 8 KiB scratch, kept */
	scratch_loop(2000, true);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(NULL));
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_GE(8U, E.vm.scratch_used);
}

TEST_F(vm, scratch_of_a_statement_is_reused_at_a_loop_back_edge)
{
	u64 r;

	scratch_loop(2000, false);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(NULL));
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
}

TEST_F(vm, alloca_memory_outlives_the_statements_after_it)
{
	u64 r;

	/* p = alloca(8); *p = 42; <loop of 2000 statements>; return *p */
	I(SETI, 6, 0, 0, 8);
	I(PUSH, 0, 6, 0, KTRACE_TT_INT);
	I(CALL, 7, 0, 0, KTRACE_SUBR_ALLOCA);
	I(SETI, 6, 0, 0, 42);
	I(ST, 7, 6, 0, 8);
	scratch_loop(2000, true);
	I(LDS, 3, 7, 0, 8);
	I(RET, 0, 3, 0, 0);
	ASSERT_EQ(0, load(NULL));
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(42U, r);
}

/* ================= the verifier's cost ================= */

TEST_F(vm, verify_branches_into_a_deep_loop_nest_is_linear)
{
	struct bigobj o;
	double secs;

	bigobj_branches_to_loop_head(&o, 4);
	ASSERT_EQ(0, load_big(&o, &secs));
	bigobj_free(&o);
	fprintf(stderr, "# verified in %.3f s\n", secs);
	/* quadratic: ~4 x 10^9 steps, minutes under ASan */
	ASSERT_GT(2.0, secs);
}

TEST_F(vm, verify_a_range_shared_by_1024_clauses_once)
{
	struct bigobj o;
	double secs;

	bigobj_nops(&o, KTRACE_MAX_INSNS, KTRACE_MAX_CLAUSES, 0);
	ASSERT_EQ(0, load_big(&o, &secs));
	bigobj_free(&o);
	fprintf(stderr, "# verified in %.3f s\n", secs);
	ASSERT_GT(2.0, secs);
}

TEST_F(vm, verify_work_over_the_limit_is_e2big)
{
	struct bigobj o;
	double secs;

	/* 1024 distinct ranges of ~64k instructions: ~3 x 10^8 visits */
	bigobj_nops(&o, KTRACE_MAX_INSNS, KTRACE_MAX_CLAUSES, 1);
	ASSERT_EQ(-E2BIG, load_big(&o, &secs));
	bigobj_free(&o);
	fprintf(stderr, "# rejected in %.3f s\n", secs);
	ASSERT_NE(NULL, strstr(E.log, "verification needs more than 4194304 instruction visits (program too complex)"));
	ASSERT_GT(2.0, secs);
}

TEST_F(vm, verify_work_at_the_limit_is_accepted)
{
	struct bigobj o;
	double secs;

	/*
	 * 10 distinct ranges of ~64k instructions, each charged 4 + 2
	 * dataflow passes = 6 visits per instruction: 3.9 M, under 4 M.
	 */
	bigobj_nops(&o, KTRACE_MAX_INSNS, 10, 1);
	ASSERT_EQ(0, load_big(&o, &secs));
	bigobj_free(&o);
}

TEST_HARNESS_MAIN
