// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the shared VM: loader, verifier rules, every opcode,
 * every fault, subroutines, aggregations, dynamic variables, disassembler.
 * KTAP output through kselftest_harness.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include "env_host.h"
#include "kselftest_harness.h"

static struct tobj T;
static struct tenv E;

#define I(op, rd, rs1, rs2, imm) t_i(&T, KTRACE_OP_##op, rd, rs1, rs2, imm)
#define BODY()	t_clause(&T, 0, 0, 0, T.ni)

/* load T as one clause (body = all insns) */
static int load(const struct ktrace_opts *o)
{
	if (!T.ncl)
		BODY();
	return tenv_load(&E, &T, o);
}

/* load and run clause 0; *fault = 0 or the fault code */
static int run(u64 *ret)
{
	int err = load(NULL);

	if (err) {
		fprintf(stderr, "# load failed %d: %s", err, E.log);
		return err;
	}
	return tenv_run(&E, 0, ret);
}

#include "rules_check.h"
#define FAULTS(code, pc) do {						\
	u64 __r;							\
	ASSERT_EQ(-EFAULT, run(&__r));					\
	ASSERT_EQ(code, E.vm.fault);					\
	ASSERT_EQ(pc, E.vm.fault_pc);					\
} while (0)
#define RUNS(val) do {							\
	u64 __r = 0;							\
	int __e = run(&__r);						\
	if (__e)							\
		fprintf(stderr, "# fault %u at %u val 0x%llx\n", E.vm.fault,	\
			E.vm.fault_pc, (unsigned long long)E.vm.fault_val);	\
	ASSERT_EQ(0, __e);						\
	ASSERT_EQ((u64)(val), __r);					\
} while (0)

FIXTURE(vm) { int unused; };
FIXTURE_SETUP(vm) { tobj_init(&T); memset(host_kmem, 0, sizeof(host_kmem)); }
FIXTURE_TEARDOWN(vm) { tenv_free(&E); }

/* ================= loader ================= */

static void *blob_of(u32 *size)
{
	if (!T.ncl)
		BODY();
	return tobj_blob(&T, size);
}

static int load_blob(void *b, u32 size, const struct ktrace_opts *o)
{
	int err = tenv_load_blob(&E, b, size, o);

	free(b);
	return err;
}

TEST_F(vm, load_minimal_accepted)
{
	I(RET, 0, 0, 0, 0);
	ACCEPTS();
	ASSERT_EQ(KTRACE_DEF_STRSIZE, E.prog->opts.strsize);
	ASSERT_EQ(KTRACE_DEF_MAXLOOPS, E.prog->opts.maxloops);
	ASSERT_EQ(KTRACE_DEF_BUDGET, E.prog->opts.insn_budget);
	ASSERT_EQ(4U << 20, E.prog->opts.bufsize);
	ASSERT_EQ(1U, E.prog->opts.nspec);
}

TEST_F(vm, load_bad_magic)
{
	u32 n;
	struct ktrace_obj_hdr *h;

	I(RET, 0, 0, 0, 0);
	h = blob_of(&n);
	h->magic = 0x1234;
	ASSERT_EQ(-EINVAL, load_blob(h, n, NULL));
	ASSERT_TRUE(logged("object: bad magic 0x00001234"));
}

TEST_F(vm, load_bad_version_size_flags_reserved)
{
	u32 n;
	struct ktrace_obj_hdr *h;

	I(RET, 0, 0, 0, 0);
	h = blob_of(&n);
	h->version = 2;
	ASSERT_EQ(-EINVAL, load_blob(h, n, NULL));
	ASSERT_TRUE(logged("object: unsupported version 2"));
	h = blob_of(&n);
	ASSERT_EQ(-EINVAL, load_blob(h, n - 8, NULL));
	ASSERT_TRUE(logged("object: obj_size"));
	h = blob_of(&n);
	h->flags = 2;
	ASSERT_EQ(-EINVAL, load_blob(h, n, NULL));
	ASSERT_TRUE(logged("object: unknown flags 0x2"));
	h = blob_of(&n);
	h->reserved[3] = 1;
	ASSERT_EQ(-EINVAL, load_blob(h, n, NULL));
	ASSERT_TRUE(logged("object: reserved[3] is not zero"));
}

TEST_F(vm, load_section_checks)
{
	u32 n;
	struct ktrace_obj_hdr *h;

	I(RET, 0, 0, 0, 0);
	h = blob_of(&n);
	h->int_off = 4;
	ASSERT_EQ(-EINVAL, load_blob(h, n, NULL));
	ASSERT_TRUE(logged("object: section ints: offset 4 is not 8-aligned"));
	h = blob_of(&n);
	h->insn_cnt = 1000;
	ASSERT_EQ(-EINVAL, load_blob(h, n, NULL));
	ASSERT_TRUE(logged("object: section insns: [96, 8096) outside the object"));
	h = blob_of(&n);
	h->clause_off = h->insn_off;
	ASSERT_EQ(-EINVAL, load_blob(h, n, NULL));
	ASSERT_TRUE(logged("object: sections insns and clauses overlap (96, 96)"));
}

TEST_F(vm, load_strtab_offset_checked_before_use)
{
	u32 n;
	struct ktrace_obj_hdr *h;

	/* found by fuzz_vm: the string table's first byte was read before the bounds check */
	I(RET, 0, 0, 0, 0);
	h = blob_of(&n);
	h->strtab_off = 0x7ffffff8;
	ASSERT_EQ(-EINVAL, load_blob(h, n, NULL));
	ASSERT_TRUE(logged("object: section strtab: [2147483640, 2147483641) outside the object"));
}

/* an object of n instructions (n-1 nops and ret), built by hand */
static void *big(u32 n, u32 *size)
{
	struct ktrace_obj_hdr *h;
	struct ktrace_clause_desc *c;
	struct ktrace_insn *in;
	u32 sz = sizeof(*h) + n * 8 + 8 + sizeof(*c);
	u8 *b = calloc(1, sz);

	h = (void *)b;
	h->magic = KTRACE_OBJ_MAGIC;
	h->version = KTRACE_ABI_VERSION;
	h->hdr_size = sizeof(*h);
	h->obj_size = sz;
	h->insn_off = sizeof(*h);
	h->insn_cnt = n;
	h->strtab_off = sizeof(*h) + n * 8;
	h->strtab_cnt = 1;
	h->clause_off = h->strtab_off + 8;
	h->clause_cnt = 1;
	in = (void *)(b + h->insn_off);
	in[n - 1].op = KTRACE_OP_RET;
	c = (void *)(b + h->clause_off);
	c->body_len = n;
	*size = sz;
	return b;
}

TEST_F(vm, limit_insns_at_max_accepted)
{
	u32 n;
	void *b = big(KTRACE_MAX_INSNS, &n);

	ASSERT_EQ(0, load_blob(b, n, NULL));
}

TEST_F(vm, limit_insns_over_max_rejected)
{
	u32 n;
	void *b = big(KTRACE_MAX_INSNS + 1, &n);

	ASSERT_EQ(-E2BIG, load_blob(b, n, NULL));
	ASSERT_TRUE(logged("object: section insns: count 65537 over the limit 65536"));
}

TEST_F(vm, load_strtab_must_be_terminated)
{
	u32 n;
	struct ktrace_obj_hdr *h;

	I(RET, 0, 0, 0, 0);
	t_str(&T, "abc");
	h = blob_of(&n);
	((char *)h)[h->strtab_off + h->strtab_cnt - 1] = 'x';
	ASSERT_EQ(-EINVAL, load_blob(h, n, NULL));
	ASSERT_TRUE(logged("object: string table is not NUL-terminated"));
}

TEST_F(vm, load_descriptor_checks)
{
	u32 v;

	I(RET, 0, 0, 0, 0);
	v = t_var(&T, "x", KTRACE_SCOPE_MAX, KTRACE_TYPE_INT, 0);
	REJECTS(-EINVAL, "var 0: unknown scope 5");
	tenv_free(&E);
	T.var[v].scope = KTRACE_SCOPE_GARRAY;
	REJECTS(-EINVAL, "var 0: bad key count 0");
	tenv_free(&E);
	T.var[v].nkeys = 9;
	REJECTS(-EINVAL, "var 0: bad key count 9");
	tenv_free(&E);
	T.var[v].nkeys = 8;
	T.var[v].name = T.nstr;
	REJECTS(-EINVAL, "var 0: string offset");
	tenv_free(&E);
	T.var[v].name = 0;
	ACCEPTS();
}

TEST_F(vm, load_agg_param_checks)
{
	u32 a;

	I(RET, 0, 0, 0, 0);
	a = t_agg(&T, "a", KTRACE_AGG_LQUANTIZE, 0, 0, 10, 0, 0);
	REJECTS(-EINVAL, "agg 0: bad lquantize (base 0, limit 10, step 0)");
	tenv_free(&E);
	T.agg[a].params[2] = 1;
	ACCEPTS();
	tenv_free(&E);
	T.agg[a].params[3] = 1;
	REJECTS(-EINVAL, "agg 0: unused params[3] is not zero");
	tenv_free(&E);
	T.agg[a].func = KTRACE_AGG_LLQUANTIZE;
	T.agg[a].params[0] = 10; T.agg[a].params[1] = 0;
	T.agg[a].params[2] = 2; T.agg[a].params[3] = 7;
	REJECTS(-EINVAL, "agg 0: bad llquantize (factor 10, low 0, high 2, steps 7)");
	tenv_free(&E);
	T.agg[a].params[3] = 10;
	ACCEPTS();
	/* 28 buckets of magnitudes (the middle, 27 steps) on each side: [0] <= -1000 .. [56] >= 1000 */
	ASSERT_EQ(57U, E.prog->agg_nvals[0]);
	tenv_free(&E);
	/* as DTrace: steps dividing the factor, and one order of magnitude (low == high) */
	T.agg[a].params[3] = 5;
	ACCEPTS();
	tenv_free(&E);
	T.agg[a].params[1] = 2;
	T.agg[a].params[3] = 10;
	ACCEPTS();
	tenv_free(&E);
	T.agg[a].params[1] = 3;
	REJECTS(-EINVAL, "agg 0: bad llquantize (factor 10, low 3, high 2, steps 10)");
	tenv_free(&E);
	T.agg[a].params[1] = 0;
	T.agg[a].params[3] = 3;
	REJECTS(-EINVAL, "agg 0: bad llquantize (factor 10, low 0, high 2, steps 3)");
}

TEST_F(vm, load_lquantize_full_range_no_overflow)
{
	u32 a;

	/* found by fuzz_vm: limit - base overflowed s64 */
	I(RET, 0, 0, 0, 0);
	a = t_agg(&T, "a", KTRACE_AGG_LQUANTIZE, 0, INT64_MIN, INT64_MAX, 1, 0);
	REJECTS(-EINVAL, "agg 0: bad lquantize (base -9223372036854775808, limit 9223372036854775807, step 1)");
	tenv_free(&E);
	T.agg[a].params[2] = 1LL << 50;
	ACCEPTS();
	ASSERT_EQ(16383U + 2, E.prog->agg_nvals[0]);
}

TEST_F(vm, load_destructive_needs_flag_and_option)
{
	struct ktrace_opts o = { .flags = KTRACE_OPT_F_DESTRUCTIVE };

	I(RET, 0, 0, 0, 0);
	t_act(&T, KTRACE_ACT_RAISE, 1);
	REJECTS(-EINVAL, "action 0: destructive action in an object not flagged destructive");
	tenv_free(&E);
	T.flags = KTRACE_OBJ_F_DESTRUCTIVE;
	REJECTS(-EACCES, "object: destructive actions need the destructive option (-w)");
	tenv_free(&E);
	ASSERT_EQ(0, load(&o));
}

TEST_F(vm, load_clause_and_enabling_checks)
{
	I(RET, 0, 0, 0, 0);
	t_clause(&T, 0, 0, 0, 2);
	REJECTS(-EINVAL, "clause 0: body [0, +2) outside the 1 instructions");
	tenv_free(&E);
	T.cl[0].body_len = 1;
	T.en[0].clause = 1;
	REJECTS(-EINVAL, "enabling 0: bad probe 1 or clause 1 (1 clauses)");
}

TEST_F(vm, load_opts_checks)
{
	struct ktrace_opts o = { .strsize = KTRACE_MAX_STRSIZE + 1 };

	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(-EINVAL, load(&o));
	ASSERT_TRUE(logged("opts: strsize 8193 not in 2..8192"));
	tenv_free(&E);
	o.strsize = KTRACE_MAX_STRSIZE;
	ASSERT_EQ(0, load(&o));
	tenv_free(&E);
	/* dtrace(1)'s least strsize is 2 characters, kept as given (no rounding) */
	o.strsize = KTRACE_MIN_STRSIZE - 1;
	ASSERT_EQ(-EINVAL, load(&o));
	ASSERT_TRUE(logged("opts: strsize 1 not in 2..8192"));
	tenv_free(&E);
	o.strsize = KTRACE_MIN_STRSIZE;
	ASSERT_EQ(0, load(&o));
	ASSERT_EQ(2U, E.prog->opts.strsize);
	tenv_free(&E);
	o.strsize = 5;
	ASSERT_EQ(0, load(&o));
	ASSERT_EQ(5U, E.prog->opts.strsize);
	tenv_free(&E);
	o.strsize = 0;
	o.ustacksize = KTRACE_MAX_USTACKSIZE + 1;
	ASSERT_EQ(-EINVAL, load(&o));
	ASSERT_TRUE(logged("opts: ustacksize 8193 not in 64..8192"));
	tenv_free(&E);
	o.ustacksize = KTRACE_MAX_USTACKSIZE;
	o.flags = KTRACE_OPT_F_USTACK_DWARF;
	ASSERT_EQ(0, load(&o));
}

/* every option of KTRACE_OPTS_LIMITS is checked at its bounds, 0 is its default */
TEST_F(vm, load_opts_limits_table)
{
	/* sizes take any value from 1 byte, as dtrace(1)'s (the session rounds them) */
	struct ktrace_opts o = { .bufsize = KTRACE_MIN_BUFSIZE, .aggsize = KTRACE_MIN_AGGSIZE,
				 .dynvarsize = KTRACE_MIN_DYNVARSIZE,
				 .specsize = KTRACE_MIN_SPECSIZE };

	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(&o));
	ASSERT_EQ(1U, E.prog->opts.bufsize);
	ASSERT_EQ(1U, E.prog->opts.aggsize);
	ASSERT_EQ(1U, E.prog->opts.dynvarsize);
	ASSERT_EQ(1U, E.prog->opts.specsize);
	tenv_free(&E);
	o.aggsize = o.dynvarsize = o.specsize = 0;
	o.bufsize = KTRACE_MAX_BUFSIZE + 1;
	ASSERT_EQ(-EINVAL, load(&o));
	ASSERT_TRUE(logged("opts: bufsize 4294967297 not in 1..4294967296"));
	tenv_free(&E);
	o.bufsize = KTRACE_MAX_BUFSIZE;
	o.stackframes = KTRACE_MAX_STACKFRAMES + 1;
	ASSERT_EQ(-EINVAL, load(&o));
	ASSERT_TRUE(logged("opts: stackframes 129 not in 1..128"));
	tenv_free(&E);
	o.stackframes = KTRACE_MAX_STACKFRAMES;
	o.bufpolicy = KTRACE_BUFPOLICY_RING + 1;
	ASSERT_EQ(-EINVAL, load(&o));
	ASSERT_TRUE(logged("opts: bufpolicy 3 not in 0..2"));
	tenv_free(&E);
	o.bufpolicy = KTRACE_BUFPOLICY_RING;
	o.flags = KTRACE_OPT_F_NODEADMAN;
	ASSERT_EQ(-EINVAL, load(&o));
	ASSERT_TRUE(logged("opts: nodeadman requires destructive (-w)"));
	tenv_free(&E);
	o.flags = 0;
	ASSERT_EQ(0, load(&o));
	ASSERT_EQ(KTRACE_MAX_BUFSIZE, E.prog->opts.bufsize);
	ASSERT_EQ(KTRACE_DEF_AGGSIZE, E.prog->opts.aggsize);
	ASSERT_EQ(KTRACE_DEF_USTACKFRAMES, E.prog->opts.ustackframes);
}

TEST_F(vm, load_derives_var_offsets)
{
	I(RET, 0, 0, 0, 0);
	t_var(&T, "a", KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_INT, 0);
	t_var(&T, "s", KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_STRING, 0);
	t_var(&T, "b", KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_INT, 0);
	t_var(&T, "l", KTRACE_SCOPE_LOCAL, KTRACE_TYPE_INT, 0);
	ACCEPTS();
	ASSERT_EQ(0U, E.prog->var_off[0]);
	ASSERT_EQ(8U, E.prog->var_off[1]);
	/* a string's slot: strsize characters and the NUL, rounded up to 8 */
	ASSERT_EQ(8U + 264, E.prog->var_off[2]);
	ASSERT_EQ(16U + 264, E.prog->globals_size);
	ASSERT_EQ(8U, E.prog->locals_size);
}

/* a declared array (int a[N]): elem size | KTRACE_LD_SIGNED, N elements */
static u32 t_garr(const char *name, u16 elem, u32 nelems)
{
	u32 v = t_var(&T, name, KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_INT, 0);

	T.var[v].elem = elem;
	T.var[v].nelems = nelems;
	return v;
}

TEST_F(vm, load_declared_array_size_in_words)
{
	I(RET, 0, 0, 0, 0);
	t_garr("a", 4 | KTRACE_LD_SIGNED, 5);	/* 20 bytes: 24 */
	t_var(&T, "b", KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_INT, 0);
	ACCEPTS();
	ASSERT_EQ(24U, E.prog->var_off[1]);
	ASSERT_EQ(32U, E.prog->globals_size);
}

TEST_F(vm, load_declared_array_limits)
{
	u32 v;

	I(RET, 0, 0, 0, 0);
	v = t_garr("a", 8, KTRACE_MAX_ARRAY_SIZE / 8);		/* N at the limit */
	ACCEPTS();
	tenv_free(&E);
	T.var[v].nelems++;					/* N + 1 */
	REJECTS(-EINVAL, "var 0: bad declared array (scope 0, type 0, element 0x8, 8193 elements)");
	tenv_free(&E);
	T.var[v].elem = 1;
	T.var[v].nelems = KTRACE_MAX_ARRAY_SIZE;
	ACCEPTS();
	tenv_free(&E);
	T.var[v].nelems = 0;					/* an element size, no N */
	REJECTS(-EINVAL, "var 0: bad declared array");
	tenv_free(&E);
	T.var[v].nelems = 1;
	T.var[v].elem = 3;
	REJECTS(-EINVAL, "var 0: bad declared array (scope 0, type 0, element 0x3, 1 elements)");
	tenv_free(&E);
	T.var[v].elem = 0x28;					/* unknown flag bits */
	REJECTS(-EINVAL, "var 0: bad declared array");
	tenv_free(&E);
	T.var[v].elem = 0;					/* N, no element size */
	REJECTS(-EINVAL, "var 0: bad declared array");
	tenv_free(&E);
	T.var[v].elem = 8;
	T.var[v].type = KTRACE_TYPE_STRING;
	REJECTS(-EINVAL, "var 0: bad declared array (scope 0, type 1");
	tenv_free(&E);
	T.var[v].type = KTRACE_TYPE_INT;
	T.var[v].scope = KTRACE_SCOPE_LOCAL;
	REJECTS(-EINVAL, "var 0: bad declared array (scope 2");
}

/* ================= verifier rules ================= */
#include "rules.inc"

/* ================= opcodes ================= */

struct alu_case { u8 op; s64 a, b, want; };

TEST_F(vm, alu_ops)
{
	static const struct alu_case c[] = {
		{ KTRACE_OP_ADD, 5, 7, 12 }, { KTRACE_OP_ADD, INT64_MAX, 1, INT64_MIN },
		{ KTRACE_OP_SUB, 5, 7, -2 }, { KTRACE_OP_MUL, -3, 7, -21 },
		{ KTRACE_OP_SDIV, -7, 2, -3 }, { KTRACE_OP_SDIV, INT64_MIN, -1, INT64_MIN },
		{ KTRACE_OP_UDIV, -2, 2, (s64)0x7fffffffffffffffLL },
		{ KTRACE_OP_SREM, -7, 2, -1 }, { KTRACE_OP_SREM, INT64_MIN, -1, 0 },
		{ KTRACE_OP_UREM, 7, 4, 3 }, { KTRACE_OP_AND, 12, 10, 8 },
		{ KTRACE_OP_OR, 12, 10, 14 }, { KTRACE_OP_XOR, 12, 10, 6 },
		{ KTRACE_OP_SHL, 1, 65, 2 }, { KTRACE_OP_SHR, -1, 60, 15 },
		{ KTRACE_OP_SAR, -16, 2, -4 }, { KTRACE_OP_SEQ, 3, 3, 1 },
		{ KTRACE_OP_SNE, 3, 3, 0 }, { KTRACE_OP_SLT, -1, 0, 1 },
		{ KTRACE_OP_SLE, 0, 0, 1 }, { KTRACE_OP_SLTU, -1, 0, 0 },
		{ KTRACE_OP_SLEU, 0, -1, 1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		tobj_init(&T);
		I(SETX, 1, 0, 0, t_int(&T, c[i].a));
		I(SETX, 2, 0, 0, t_int(&T, c[i].b));
		t_i(&T, c[i].op, 3, 1, 2, 0);
		I(RET, 0, 3, 0, 0);
		RUNS(c[i].want);
		tenv_free(&E);
	}
}

TEST_F(vm, unary_and_immediate_ops)
{
	struct { u8 op; s64 a; s32 imm; s64 want; } c[] = {
		{ KTRACE_OP_MOV, 42, 0, 42 }, { KTRACE_OP_NEG, 42, 0, -42 },
		{ KTRACE_OP_NOT, 0, 0, -1 }, { KTRACE_OP_LNOT, 5, 0, 0 },
		{ KTRACE_OP_LNOT, 0, 0, 1 }, { KTRACE_OP_ADDI, 40, 2, 42 },
		{ KTRACE_OP_ADDI, 40, -50, -10 }, { KTRACE_OP_SEXT, 0xff, 8, -1 },
		{ KTRACE_OP_SEXT, 0x7fff, 16, 0x7fff }, { KTRACE_OP_SEXT, 0x80000000LL, 32, -2147483648LL },
		{ KTRACE_OP_ZEXT, -1, 16, 0xffff }, { KTRACE_OP_ZEXT, -1, 32, 0xffffffffLL },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		tobj_init(&T);
		I(SETX, 1, 0, 0, t_int(&T, c[i].a));
		t_i(&T, c[i].op, 3, 1, 0, c[i].imm);
		I(RET, 0, 3, 0, 0);
		RUNS(c[i].want);
		tenv_free(&E);
	}
}

TEST_F(vm, nop_seti_setx_sets)
{
	u32 s = t_str(&T, "hi");

	I(NOP, 0, 0, 0, 0);
	I(SETI, 1, 0, 0, -5);
	I(SETS, 2, 0, 0, s);
	I(LDS, 3, 2, 0, 1);
	I(ADD, 1, 1, 3, 0);
	I(RET, 0, 1, 0, 0);
	RUNS(-5 + 'h');
}

TEST_F(vm, branches)
{
	I(SETI, 1, 0, 0, 0);	/* 0 */
	I(BZ, 0, 1, 0, 3);	/* 1: taken */
	I(RET, 0, 0, 0, 0);	/* 2 */
	I(BNZ, 0, 1, 0, 6);	/* 3: not taken */
	I(SETI, 2, 0, 0, 9);	/* 4 */
	I(BA, 0, 0, 0, 7);	/* 5 */
	I(RET, 0, 0, 0, 0);	/* 6 */
	I(RET, 0, 2, 0, 0);	/* 7 */
	RUNS(9);
}

TEST_F(vm, loop_sums_1_to_10)
{
	I(SETI, 1, 0, 0, 0);	/* 0: i */
	I(SETI, 2, 0, 0, 0);	/* 1: sum */
	I(ADDI, 1, 1, 0, 1);	/* 2: head: i++ */
	I(ADD, 2, 2, 1, 0);	/* 3 */
	I(SETI, 3, 0, 0, 10);	/* 4 */
	I(SEQ, 4, 1, 3, 0);	/* 5 */
	I(BNZ, 0, 4, 0, 8);	/* 6: break */
	I(LOOP, 0, 0, 0, 2);	/* 7 */
	I(RET, 0, 2, 0, 0);	/* 8 */
	RUNS(55);
	ASSERT_EQ(9U, E.vm.loops);
}

TEST_F(vm, ldk_ldu_kernel_and_user_memory)
{
	s64 v = -2;

	memcpy(host_kmem + 16, &v, 8);
	host_umem[3] = 0x80;
	I(SETX, 1, 0, 0, t_int(&T, HOST_KBASE + 16));
	I(LDK, 2, 1, 0, 4 | KTRACE_LD_SIGNED);
	I(SETX, 3, 0, 0, t_int(&T, HOST_UBASE + 3));
	I(LDU, 4, 3, 0, 1);
	I(ADD, 5, 2, 4, 0);
	I(RET, 0, 5, 0, 0);
	RUNS(-2 + 0x80);
}

/*
 * A load's offset (imm bits 8-31) is added to its address register: ldk
 * and ldu at positive and negative offsets read the same bytes as addi +
 * load, lds in scratch too, and a fault names the address read (base +
 * offset), not the base.
 */
TEST_F(vm, load_offset_adds_to_the_address)
{
	s64 v = 0x1122334455667788LL;

	memcpy(host_kmem + 64, &v, 8);
	host_umem[40] = 0x5a;
	I(SETX, 1, 0, 0, t_int(&T, HOST_KBASE + 40));
	I(LDK, 2, 1, 0, KTRACE_LD_IMM(8, 24));		/* host_kmem + 64 */
	I(SETX, 3, 0, 0, t_int(&T, HOST_KBASE + 100));
	I(LDK, 4, 3, 0, KTRACE_LD_IMM(2, -36));		/* host_kmem + 64: 0x7788 */
	I(SETX, 5, 0, 0, t_int(&T, HOST_UBASE + 50));
	I(LDU, 6, 5, 0, KTRACE_LD_IMM(1, -10));		/* host_umem + 40 */
	I(SUB, 7, 2, 4, 0);
	I(ADD, 7, 7, 6, 0);
	I(RET, 0, 7, 0, 0);
	RUNS(0x1122334455667788LL - 0x7788 + 0x5a);
	tenv_free(&E);
	tobj_init(&T);
	I(SETI, 1, 0, 0, 16);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(CALL, 2, 0, 0, KTRACE_SUBR_ALLOCA);
	I(SETI, 3, 0, 0, 0x4321);
	I(ADDI, 4, 2, 0, 8);
	I(ST, 4, 3, 0, 2);
	I(LDS, 5, 2, 0, KTRACE_LD_IMM(2, 8));
	I(RET, 0, 5, 0, 0);
	RUNS(0x4321);
	tenv_free(&E);
	tobj_init(&T);
	I(SETX, 1, 0, 0, t_int(&T, HOST_KBASE + HOST_KSIZE - 8));
	I(LDK, 2, 1, 0, KTRACE_LD_IMM(8, 8));	/* one word past the end */
	I(RET, 0, 2, 0, 0);
	FAULTS(KTRACE_FAULT_BADADDR, 1);
	ASSERT_EQ(HOST_KBASE + HOST_KSIZE, E.vm.fault_val);
}

/* a member of a NULL pointer faults at NULL (DTrace), another bad base at the address read */
TEST_F(vm, load_through_null_faults_at_null)
{
	static const u32 ops[] = { KTRACE_OP_LDK, KTRACE_OP_LDU, KTRACE_OP_LDS };

	for (u32 i = 0; i < 3; i++) {
		tobj_init(&T);
		I(SETI, 1, 0, 0, 0);
		t_i(&T, ops[i], 2, 1, 0, KTRACE_LD_IMM(4, 1264));
		I(RET, 0, 2, 0, 0);
		FAULTS(KTRACE_FAULT_BADADDR, 1);
		ASSERT_EQ(0U, E.vm.fault_val);
		tenv_free(&E);
	}
	tobj_init(&T);
	I(SETI, 1, 0, 0, 8);
	I(LDK, 2, 1, 0, KTRACE_LD_IMM(4, 1264));
	I(RET, 0, 2, 0, 0);
	FAULTS(KTRACE_FAULT_BADADDR, 1);
	ASSERT_EQ(8U + 1264, E.vm.fault_val);
}

TEST_F(vm, st_and_lds_in_scratch)
{
	I(SETI, 1, 0, 0, 16);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(CALL, 2, 0, 0, KTRACE_SUBR_ALLOCA);
	I(SETI, 3, 0, 0, 0x1234);
	I(ST, 2, 3, 0, 2);
	I(LDS, 4, 2, 0, 8);
	I(RET, 0, 4, 0, 0);
	RUNS(0x1234);
}

TEST_F(vm, global_int_and_string_vars)
{
	u32 s = t_str(&T, "hello");

	t_var(&T, "n", KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_INT, 0);
	t_var(&T, "s", KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_STRING, 0);
	I(SETI, 1, 0, 0, 77);
	I(STG, 0, 1, 0, 0);
	I(SETS, 2, 0, 0, s);
	I(STG, 0, 2, 0, 1);
	I(LDG, 3, 0, 0, 1);
	I(PUSH, 0, 3, 0, KTRACE_TT_STR);
	I(CALL, 4, 0, 0, KTRACE_SUBR_STRLEN);
	I(LDG, 5, 0, 0, 0);
	I(ADD, 6, 4, 5, 0);
	I(RET, 0, 6, 0, 0);
	RUNS(82);
	ASSERT_STREQ("hello", (char *)E.rt.globals + 8);
}

/* int a[5]: stgx/ldgx at 0 and N-1, the element's size and sign, adrg's bytes */
TEST_F(vm, declared_array_elements)
{
	t_garr("a", 4 | KTRACE_LD_SIGNED, 5);
	I(SETI, 1, 0, 0, 4);
	I(SETI, 2, 0, 0, -2);
	I(STGX, 1, 2, 0, 0);			/* a[4] = -2 */
	I(SETI, 3, 0, 0, 0);
	I(SETX, 4, 0, 0, t_int(&T, 0x100000005LL));
	I(STGX, 3, 4, 0, 0);			/* a[0] = 0x100000005: 5 */
	I(LDGX, 5, 1, 0, 0);			/* -2, sign-extended */
	I(LDGX, 6, 3, 0, 0);			/* 5 */
	I(ADRG, 7, 0, 0, 0);
	I(LDS, 8, 7, 0, 4 | KTRACE_LD_SIGNED);	/* a[0] by its address */
	I(ADDI, 7, 7, 0, 16);
	I(LDS, 9, 7, 0, 4 | KTRACE_LD_SIGNED);	/* a[4] by its address */
	I(MUL, 5, 5, 6, 0);
	I(MUL, 5, 5, 8, 0);
	I(MUL, 5, 5, 9, 0);
	I(RET, 0, 5, 0, 0);
	RUNS(-2 * 5 * 5 * -2);
	ASSERT_EQ(5, ((int32_t *)E.rt.globals)[0]);
	ASSERT_EQ(-2, ((int32_t *)E.rt.globals)[4]);
}

TEST_F(vm, declared_array_unsigned_byte_elements)
{
	t_garr("c", 1, 3);
	I(SETI, 1, 0, 0, 2);
	I(SETI, 2, 0, 0, 0x1ff);
	I(STGX, 1, 2, 0, 0);			/* c[2] = 0x1ff: 0xff */
	I(LDGX, 3, 1, 0, 0);
	I(RET, 0, 3, 0, 0);
	RUNS(0xff);
	ASSERT_EQ(0, ((uint8_t *)E.rt.globals)[1]);
}

/* an index of N or more faults with the index, whether read or written */
TEST_F(vm, declared_array_index_bounds)
{
	t_garr("a", 8, 5);
	I(SETI, 1, 0, 0, 5);
	I(LDGX, 2, 1, 0, 0);
	I(RET, 0, 2, 0, 0);
	FAULTS(KTRACE_FAULT_BADINDEX, 1);
	ASSERT_EQ(5ULL, E.vm.fault_val);
	tenv_free(&E);
	tobj_init(&T);
	t_garr("a", 8, 5);
	I(SETI, 1, 0, 0, -1);			/* negative: a huge unsigned index */
	I(STGX, 1, 1, 0, 0);
	I(RET, 0, 0, 0, 0);
	FAULTS(KTRACE_FAULT_BADINDEX, 1);
	ASSERT_EQ(~0ULL, E.vm.fault_val);
}

/* a global or clause-local string variable holds NULL apart from "" */
TEST_F(vm, string_vars_hold_null)
{
	u32 e = t_str(&T, "");

	t_var(&T, "s", KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_STRING, 0);
	t_var(&T, "l", KTRACE_SCOPE_LOCAL, KTRACE_TYPE_STRING, 0);
	I(SETI, 1, 0, 0, 0);
	I(STG, 0, 1, 0, 0);
	I(STL, 0, 1, 0, 1);
	I(LDG, 2, 0, 0, 0);			/* 0: NULL */
	I(LDL, 3, 0, 0, 1);			/* 0: NULL */
	I(SETS, 4, 0, 0, e);
	I(STL, 0, 4, 0, 1);
	I(LDL, 5, 0, 0, 1);			/* "": a string */
	I(OR, 6, 2, 3, 0);
	I(SEQ, 7, 5, 0, 0);			/* 1 if "" read as NULL */
	I(OR, 6, 6, 7, 0);
	I(RET, 0, 6, 0, 0);
	RUNS(0);
	ASSERT_STREQ("", (char *)(uintptr_t)E.vm.regs[5]);
}

/* a string variable nobody wrote is "", and one given NULL faults where read */
TEST_F(vm, string_var_null_faults_when_read)
{
	t_var(&T, "s", KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_STRING, 0);
	I(LDG, 1, 0, 0, 0);
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(CALL, 2, 0, 0, KTRACE_SUBR_STRLEN);	/* "": 0 */
	I(SETI, 1, 0, 0, 0);
	I(STG, 0, 1, 0, 0);
	I(LDG, 1, 0, 0, 0);
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(CALL, 2, 0, 0, KTRACE_SUBR_STRLEN);
	I(RET, 0, 2, 0, 0);
	FAULTS(KTRACE_FAULT_BADADDR, 6);	/* the push of the NULL string */
	ASSERT_EQ(0U, E.vm.fault_val);
}

/* an absent self->s or a[k] of string type reads as NULL (0), as DTrace's */
TEST_F(vm, absent_dynamic_string_is_null)
{
	t_var(&T, "t", KTRACE_SCOPE_TLS, KTRACE_TYPE_STRING, 0);
	I(LDT, 1, 0, 0, 0);
	I(RET, 0, 1, 0, 0);
	RUNS(0);
}

/*
 * A clause-local variable keeps its value from one firing to the next (as
 * DTrace's per-CPU clause-locals): only a newly loaded program's start at 0.
 */
TEST_F(vm, clause_local_vars_kept_across_firings)
{
	u64 r;

	t_var(&T, "l", KTRACE_SCOPE_LOCAL, KTRACE_TYPE_INT, 0);
	I(LDL, 1, 0, 0, 0);
	I(ADDI, 1, 1, 0, 1);
	I(STL, 0, 1, 0, 0);
	I(RET, 0, 1, 0, 0);
	RUNS(1);
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(2U, r);
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(3U, r);
	tenv_free(&E);
	RUNS(1);		/* loaded again: a new area */
}

TEST_F(vm, thread_local_vars)
{
	u64 r;

	t_var(&T, "t", KTRACE_SCOPE_TLS, KTRACE_TYPE_INT, 0);
	I(LDT, 1, 0, 0, 0);
	I(ADDI, 1, 1, 0, 1);
	I(STT, 0, 1, 0, 0);
	I(RET, 0, 1, 0, 0);
	RUNS(1);
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(2U, r);
	host_thread_key = 0x2000;	/* another thread */
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(1U, r);
	host_thread_key = 0x1000;
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(3U, r);
}

TEST_F(vm, assoc_arrays_and_free_on_zero)
{
	u64 r, drops, dd;
	u32 s = t_str(&T, "key");

	t_var(&T, "a", KTRACE_SCOPE_GARRAY, KTRACE_TYPE_INT, 2);
	t_var(&T, "ta", KTRACE_SCOPE_TARRAY, KTRACE_TYPE_STRING, 1);
	I(SETS, 1, 0, 0, s);			/* 0 */
	I(LDB, 2, 0, 0, KTRACE_VAR_ARG0);	/* 1 */
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);	/* 2 */
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);	/* 3 */
	I(LDGA, 3, 0, 0, 0);			/* 4 */
	I(ADDI, 3, 3, 0, 10);			/* 5 */
	I(LDB, 4, 0, 0, KTRACE_VAR_ARG1);	/* 6 */
	I(BZ, 0, 4, 0, 9);			/* 7 */
	I(SETI, 3, 0, 0, 0);			/* 8: arg1 != 0: store 0 */
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);	/* 9 */
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);	/* 10 */
	I(STGA, 0, 3, 0, 0);			/* 11 */
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);	/* 12 */
	I(STTA, 0, 1, 0, 1);			/* 13 */
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);	/* 14 */
	I(LDTA, 5, 0, 0, 1);			/* 15 */
	I(PUSH, 0, 5, 0, KTRACE_TT_STR);	/* 16 */
	I(CALL, 6, 0, 0, KTRACE_SUBR_STRLEN);	/* 17 */
	I(ADD, 3, 3, 6, 0);			/* 18 */
	I(RET, 0, 3, 0, 0);			/* 19 */
	E.fire.args[0] = 5;
	ASSERT_EQ(0, load(NULL));
	E.fire.args[0] = 5;
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(13U, r);
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(23U, r);
	E.fire.args[0] = 6;			/* another key */
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(13U, r);
	E.fire.args[0] = 5;
	E.fire.args[1] = 1;			/* a["key", 5] = 0 frees it */
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(3U, r);
	E.fire.args[1] = 0;
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(13U, r);			/* absent again: 0 + 10 */
	ktrace_dynvars_counters(E.rt.dynvars, &drops, &dd);
	ASSERT_EQ(0U, drops);
}

TEST_F(vm, builtins)
{
	I(LDB, 1, 0, 0, KTRACE_VAR_PID);
	I(LDB, 2, 0, 0, KTRACE_VAR_ARG3);
	I(ADD, 1, 1, 2, 0);
	I(LDB, 3, 0, 0, KTRACE_VAR_EXECNAME);
	I(PUSH, 0, 3, 0, KTRACE_TT_STR);
	I(CALL, 4, 0, 0, KTRACE_SUBR_STRLEN);
	I(ADD, 1, 1, 4, 0);
	I(LDB, 5, 0, 0, KTRACE_VAR_PROBEFUNC);
	I(PUSH, 0, 5, 0, KTRACE_TT_STR);
	I(CALL, 4, 0, 0, KTRACE_SUBR_STRLEN);
	I(ADD, 1, 1, 4, 0);
	I(SETI, 6, 0, 0, 3);
	I(LDARG, 7, 6, 0, 0);
	I(ADD, 1, 1, 7, 0);
	I(RET, 0, 1, 0, 0);
	ASSERT_EQ(0, load(NULL));
	E.fire.args[3] = 100;
	{
		u64 r;

		ASSERT_EQ(0, tenv_run(&E, 0, &r));
		ASSERT_EQ(1234U + 100 + 8 + 4 + 100, r);
	}
}

TEST_F(vm, tracepoint_raw_record_is_readable)
{
	u8 raw[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	u64 r;

	I(LDB, 1, 0, 0, KTRACE_VAR_TPRAW);
	I(LDS, 2, 1, 0, 4);
	I(RET, 0, 2, 0, 0);
	ASSERT_EQ(0, load(NULL));
	E.fire.raw = raw;
	E.fire.raw_size = sizeof(raw);
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(0x04030201U, r);
	E.fire.raw_size = 3;
	ASSERT_EQ(-EFAULT, tenv_run(&E, 0, &r));
	ASSERT_EQ(KTRACE_FAULT_BADADDR, E.vm.fault);
}

TEST_F(vm, actions_record_items)
{
	u32 s = t_str(&T, "ab");
	struct ktrace_rec_item *it;
	u8 *p;
	s64 v;

	t_act(&T, KTRACE_ACT_PRINTF, 2);
	t_act(&T, KTRACE_ACT_EXIT, 1);
	I(SETI, 1, 0, 0, 42);
	I(SETS, 2, 0, 0, s);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(PUSH, 0, 2, 0, KTRACE_TT_STR);
	I(ACT, 0, 0, 0, 0);
	I(SETI, 3, 0, 0, 3);
	I(PUSH, 0, 3, 0, KTRACE_TT_INT);
	I(ACT, 0, 0, 0, 1);
	I(RET, 0, 0, 0, 0);
	host_actions = 0;
	RUNS(0);
	ASSERT_EQ(40U, E.vm.rec_used);
	it = (void *)E.rec;
	ASSERT_EQ(24U, it->size);
	ASSERT_EQ(0, it->action);
	p = (u8 *)(it + 1);
	memcpy(&v, p, 8);
	ASSERT_EQ(42, v);
	ASSERT_STREQ("ab", (char *)p + 8);
	ASSERT_EQ(0, p[15]);
	it = (void *)(E.rec + 24);
	ASSERT_EQ(16U, it->size);
	ASSERT_EQ(1, it->action);
	ASSERT_EQ(1, E.vm.exit_req);
	ASSERT_EQ(3, E.vm.exit_status);
	ASSERT_EQ(1U, host_actions);
	ASSERT_EQ(KTRACE_ACT_EXIT, host_last_action);
	ASSERT_EQ(2U, E.vm.actidx);
}

TEST_F(vm, fault_discards_partial_record)
{
	t_act(&T, KTRACE_ACT_TRACE, 1);
	I(SETI, 1, 0, 0, 1);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(ACT, 0, 0, 0, 0);
	I(UDIV, 2, 1, 0, 0);
	I(RET, 0, 2, 0, 0);
	FAULTS(KTRACE_FAULT_DIVZERO, 3);
	ASSERT_EQ(0U, E.vm.rec_used);
	ASSERT_EQ(1U, E.vm.actidx);
}

TEST_F(vm, action_may_end_the_clause_quietly)
{
	/* speculate(0)'s KTRACE_ACT_END_CLAUSE: no fault, no record, no more insns */
	t_act(&T, KTRACE_ACT_TRACE, 1);
	t_act(&T, KTRACE_ACT_SPECULATE, 1);
	I(SETI, 1, 0, 0, 1);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(ACT, 0, 0, 0, 0);
	I(SETI, 2, 0, 0, 0);
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);
	I(ACT, 0, 0, 0, 1);
	I(RET, 0, 1, 0, 0);
	host_action_ret = KTRACE_ACT_END_CLAUSE;
	host_actions = 0;
	RUNS(0);
	host_action_ret = 0;
	ASSERT_EQ(0U, E.vm.rec_used);
	ASSERT_EQ(0U, E.vm.fault);
	ASSERT_EQ(1U, host_actions);
	ASSERT_EQ(KTRACE_ACT_SPECULATE, host_last_action);
	/* without it the clause runs on to its return */
	RUNS(1);
	ASSERT_EQ(16U, E.vm.rec_used);
}

TEST_F(vm, raise_is_recorded)
{
	struct ktrace_opts o = { .flags = KTRACE_OPT_F_DESTRUCTIVE };
	struct ktrace_rec_item *it;
	u64 r;

	/* as DTrace: raise()'s clause has a record (its probe line shows) */
	t_act(&T, KTRACE_ACT_RAISE, 1);
	I(SETI, 1, 0, 0, 2);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(ACT, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	T.flags = KTRACE_OBJ_F_DESTRUCTIVE;
	host_actions = 0;
	ASSERT_EQ(0, load(&o));
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(16U, E.vm.rec_used);
	it = (void *)E.rec;
	ASSERT_EQ(0, it->action);
	ASSERT_EQ(2, *(u64 *)(it + 1));
	ASSERT_EQ(1U, host_actions);
	ASSERT_EQ(KTRACE_ACT_RAISE, host_last_action);
}

TEST_F(vm, stack_push_and_record)
{
	struct ktrace_rec_item *it;
	u64 *p;

	t_act(&T, KTRACE_ACT_STACK, 1);
	I(CALL, 1, 0, 0, KTRACE_SUBR_STACK);
	I(PUSH, 0, 1, 0, KTRACE_TT_STACK);
	I(ACT, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	RUNS(0);
	it = (void *)E.rec;
	ASSERT_EQ(8U + 8 + 5 * 8, it->size);
	p = (u64 *)(it + 1);
	ASSERT_EQ(5U, p[0]);
	ASSERT_EQ(0xffffffff81000010ULL, p[2]);
}

/*
 * A BYTES push (trace() of a struct or array, tracemem()): the count,
 * the bytes, zeros to 8; kernel memory is copied by the push (the copy
 * lasts the statement), ktrace memory read where it is.
 */
TEST_F(vm, bytes_push_records_kernel_memory)
{
	struct ktrace_rec_item *it;
	u8 *p;
	u64 n;

	for (int i = 0; i < 32; i++)
		host_kmem[100 + i] = (u8)(0xa0 + i);
	t_act(&T, KTRACE_ACT_TRACEMEM, 1);
	I(SETX, 1, 0, 0, t_int(&T, HOST_KBASE + 103));
	I(SETI, 2, 0, 0, 13);
	I(PUSH, 0, 1, 2, KTRACE_TT_BYTES);
	I(ACT, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	RUNS(0);
	it = (void *)E.rec;
	ASSERT_EQ(8U + 8 + 16, it->size);
	p = (u8 *)(it + 1);
	memcpy(&n, p, 8);
	ASSERT_EQ(13U, n);
	for (int i = 0; i < 13; i++)
		ASSERT_EQ(0xa3 + i, p[8 + i]);
	for (int i = 13; i < 16; i++)
		ASSERT_EQ(0, p[8 + i]);
	/* the copy was the statement's: scratch is free again */
	ASSERT_EQ(E.vm.scratch_keep, E.vm.scratch_used);
}

TEST_F(vm, bytes_push_records_ktrace_memory_and_none)
{
	u32 s = t_str(&T, "abcdefghij");
	struct ktrace_rec_item *it;
	u8 *p;
	u64 n;

	t_act(&T, KTRACE_ACT_TRACE, 1);
	t_act(&T, KTRACE_ACT_TRACE, 1);
	I(SETS, 1, 0, 0, s);
	I(SETI, 2, 0, 0, 8);
	I(PUSH, 0, 1, 2, KTRACE_TT_BYTES);
	I(ACT, 0, 0, 0, 0);
	I(PUSH, 0, 0, 0, KTRACE_TT_BYTES);	/* no count register: no bytes, no read */
	I(ACT, 0, 0, 0, 1);
	I(RET, 0, 0, 0, 0);
	RUNS(0);
	it = (void *)E.rec;
	ASSERT_EQ(8U + 8 + 8, it->size);
	p = (u8 *)(it + 1);
	memcpy(&n, p, 8);
	ASSERT_EQ(8U, n);
	ASSERT_EQ(0, memcmp(p + 8, "abcdefgh", 8));
	it = (void *)(E.rec + it->size);
	ASSERT_EQ(8U + 8, it->size);
	memcpy(&n, it + 1, 8);
	ASSERT_EQ(0U, n);
}

TEST_F(vm, bytes_push_faults)
{
	u32 s = t_str(&T, "abc");

	/* kernel memory that cannot be read: invalid address, at the push */
	t_act(&T, KTRACE_ACT_TRACE, 1);
	I(SETX, 1, 0, 0, t_int(&T, HOST_KBASE + HOST_KSIZE - 4));
	I(SETI, 2, 0, 0, 8);
	I(PUSH, 0, 1, 2, KTRACE_TT_BYTES);
	I(ACT, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	FAULTS(KTRACE_FAULT_BADADDR, 2);
	ASSERT_EQ(HOST_KBASE + HOST_KSIZE - 4, E.vm.fault_val);
	tenv_free(&E);
	/* a user address is not read (copyin() it first) */
	tobj_init(&T);
	t_act(&T, KTRACE_ACT_TRACE, 1);
	I(SETX, 1, 0, 0, t_int(&T, HOST_UBASE));
	I(SETI, 2, 0, 0, 4);
	I(PUSH, 0, 1, 2, KTRACE_TT_BYTES);
	I(ACT, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	FAULTS(KTRACE_FAULT_BADADDR, 2);
	tenv_free(&E);
	/* past the end of the ktrace region it starts in */
	tobj_init(&T);
	s = t_str(&T, "abc");
	t_act(&T, KTRACE_ACT_TRACE, 1);
	I(SETS, 1, 0, 0, s);
	I(SETI, 2, 0, 0, 4096);
	I(PUSH, 0, 1, 2, KTRACE_TT_BYTES);
	I(ACT, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	FAULTS(KTRACE_FAULT_BADADDR, 2);
	tenv_free(&E);
	/* more than scratch holds: out of scratch space, with the count */
	tobj_init(&T);
	t_act(&T, KTRACE_ACT_TRACE, 1);
	I(SETX, 1, 0, 0, t_int(&T, HOST_KBASE));
	I(SETX, 2, 0, 0, t_int(&T, 1ULL << 33));
	I(PUSH, 0, 1, 2, KTRACE_TT_BYTES);
	I(ACT, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	FAULTS(KTRACE_FAULT_NOSCRATCH, 2);
	ASSERT_EQ(1ULL << 33, E.vm.fault_val);
}

/* ================= faults ================= */

TEST_F(vm, fault_badaddr)
{
	I(SETI, 1, 0, 0, 0x1234);
	I(LDS, 2, 1, 0, 8);
	I(RET, 0, 2, 0, 0);
	FAULTS(KTRACE_FAULT_BADADDR, 1);
	ASSERT_EQ(0x1234U, E.vm.fault_val);
}

TEST_F(vm, fault_badalign)
{
	I(SETI, 1, 0, 0, 16);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(CALL, 2, 0, 0, KTRACE_SUBR_ALLOCA);
	I(ADDI, 2, 2, 0, 1);
	I(ST, 2, 1, 0, 4);
	I(RET, 0, 0, 0, 0);
	FAULTS(KTRACE_FAULT_BADALIGN, 4);
}

TEST_F(vm, fault_illop_ldarg)
{
	I(SETI, 1, 0, 0, 9);
	I(LDARG, 2, 1, 0, 0);
	I(SETI, 1, 0, 0, 10);
	I(LDARG, 2, 1, 0, 0);
	I(RET, 0, 2, 0, 0);
	FAULTS(KTRACE_FAULT_ILLOP, 3);
	ASSERT_EQ(10U, E.vm.fault_val);
}

TEST_F(vm, fault_divzero_every_division)
{
	u8 ops[] = { KTRACE_OP_SDIV, KTRACE_OP_UDIV, KTRACE_OP_SREM, KTRACE_OP_UREM };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		tobj_init(&T);
		I(SETI, 1, 0, 0, 1);
		t_i(&T, ops[i], 2, 1, 0, 0);
		I(RET, 0, 2, 0, 0);
		FAULTS(KTRACE_FAULT_DIVZERO, 1);
		tenv_free(&E);
	}
}

TEST_F(vm, fault_noscratch)
{
	I(SETI, 1, 0, 0, KTRACE_DEF_SCRATCHSIZE);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(CALL, 2, 0, 0, KTRACE_SUBR_ALLOCA);	/* all of scratchsize: fine */
	I(SETI, 1, 0, 0, 8);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(CALL, 2, 0, 0, KTRACE_SUBR_ALLOCA);	/* one more: fault */
	I(RET, 0, 0, 0, 0);
	FAULTS(KTRACE_FAULT_NOSCRATCH, 5);
}

TEST_F(vm, fault_badaddr_on_user_ldk_and_upriv_on_kernel_ldu)
{
	I(SETX, 1, 0, 0, t_int(&T, HOST_UBASE));
	I(LDK, 2, 1, 0, 8);
	I(RET, 0, 2, 0, 0);
	FAULTS(KTRACE_FAULT_BADADDR, 1);
	ASSERT_EQ(HOST_UBASE, E.vm.fault_val);
	tenv_free(&E);
	tobj_init(&T);
	I(SETX, 1, 0, 0, t_int(&T, HOST_KBASE));
	I(LDU, 2, 1, 0, 8);
	I(RET, 0, 2, 0, 0);
	FAULTS(KTRACE_FAULT_UPRIV, 1);
	ASSERT_EQ(HOST_KBASE, E.vm.fault_val);
}

TEST_F(vm, fault_kernel_read_fails)
{
	I(SETX, 1, 0, 0, t_int(&T, HOST_KBASE + HOST_KSIZE - 4));
	I(LDK, 2, 1, 0, 4);
	I(LDK, 2, 1, 0, 8);
	I(RET, 0, 2, 0, 0);
	FAULTS(KTRACE_FAULT_BADADDR, 2);
}

TEST_F(vm, fault_tuple_overflow_unverified)
{
	/* the verifier rejects this; run it directly to test the backstop */
	struct ktrace_insn in[3] = {
		{ .op = KTRACE_OP_PUSH, .rs1 = 0, .imm = 0 },
		{ .op = KTRACE_OP_BA, .imm = 0 },
	};
	u64 r;

	I(RET, 0, 0, 0, 0);
	ACCEPTS();
	E.prog->insns = in;
	E.prog->ninsns = 2;
	ASSERT_EQ(-EFAULT, ktrace_vm_run(&E.vm, 0, &r));
	ASSERT_EQ(KTRACE_FAULT_TUPOFLOW, E.vm.fault);
}

TEST_F(vm, fault_badstack)
{
	I(SETI, 1, 0, 0, 16);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(CALL, 2, 0, 0, KTRACE_SUBR_ALLOCA);
	I(SETI, 3, 0, 0, 1000);
	I(ST, 2, 3, 0, 8);			/* depth 1000 */
	I(PUSH, 0, 2, 0, KTRACE_TT_STACK);
	I(POPTS, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	FAULTS(KTRACE_FAULT_BADSTACK, 5);
}

static void loop_n(s32 n)
{
	I(SETI, 1, 0, 0, n);	/* 0 */
	I(ADDI, 1, 1, 0, -1);	/* 1: head */
	I(BZ, 0, 1, 0, 4);	/* 2 */
	I(LOOP, 0, 0, 0, 1);	/* 3 */
	I(RET, 0, 1, 0, 0);	/* 4 */
}

TEST_F(vm, loop_limit_at_max_runs)
{
	struct ktrace_opts o = { .maxloops = 5 };
	u64 r;

	loop_n(6);	/* 5 back-edges */
	ASSERT_EQ(0, load(&o));
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
}

TEST_F(vm, loop_limit_exceeded_faults)
{
	struct ktrace_opts o = { .maxloops = 5 };
	u64 r;

	loop_n(7);	/* 6 back-edges */
	ASSERT_EQ(0, load(&o));
	ASSERT_EQ(-EFAULT, tenv_run(&E, 0, &r));
	ASSERT_EQ(KTRACE_FAULT_LOOPMAX, E.vm.fault);
	ASSERT_EQ(3U, E.vm.fault_pc);
}

TEST_F(vm, budget_at_max_runs)
{
	struct ktrace_opts o = { .insn_budget = 5 };
	u64 r;

	loop_n(2);	/* 0 1 2 3 1 2 4: 7 insns */
	o.insn_budget = 7;
	ASSERT_EQ(0, load(&o));
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(7U, E.vm.insns);
}

TEST_F(vm, budget_exceeded_faults)
{
	struct ktrace_opts o = { .insn_budget = 6 };
	u64 r;

	loop_n(2);
	ASSERT_EQ(0, load(&o));
	ASSERT_EQ(-EFAULT, tenv_run(&E, 0, &r));
	ASSERT_EQ(KTRACE_FAULT_BUDGET, E.vm.fault);
	ASSERT_EQ(4U, E.vm.fault_pc);
}

TEST_F(vm, budget_spans_the_firing)
{
	struct ktrace_opts o = { .insn_budget = 3 };
	u64 r;

	I(NOP, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(&o));
	ktrace_vm_firing_begin(&E.vm, &E.fire);
	ASSERT_EQ(0, ktrace_vm_run(&E.vm, 0, &r));
	ASSERT_EQ(-EFAULT, ktrace_vm_run(&E.vm, 0, &r));
	ASSERT_EQ(KTRACE_FAULT_BUDGET, E.vm.fault);
}

/* ================= subroutines ================= */

/* call subr with string/int args given as "s:..." or "i:..." */
static int call_subr(u32 subr, u64 *r, int n, const char **args)
{
	int i;

	tobj_init(&T);
	for (i = 0; i < n; i++) {
		if (args[i][0] == 's') {
			I(SETS, 1, 0, 0, t_str(&T, args[i] + 2));
			I(PUSH, 0, 1, 0, KTRACE_TT_STR);
		} else {
			I(SETX, 1, 0, 0, t_int(&T, (s64)strtoull(args[i] + 2, NULL, 0)));
			I(PUSH, 0, 1, 0, KTRACE_TT_INT);
		}
	}
	I(CALL, 2, 0, 0, subr);
	I(RET, 0, 2, 0, 0);
	tenv_free(&E);
	return run(r);
}

#define CALLS(subr, ...) ({						\
	const char *__a[] = { __VA_ARGS__ };				\
	u64 __r = 0;							\
	int __e = call_subr(KTRACE_SUBR_##subr, &__r, ARRAY_SIZE(__a), __a);	\
	ASSERT_EQ(0, __e);						\
	__r;								\
})
#define SCALL(subr, ...) ({ u64 __p = CALLS(subr, __VA_ARGS__); __p ? (const char *)(uintptr_t)__p : "<null>"; })

TEST_F(vm, subr_strlen_strjoin_substr)
{
	ASSERT_EQ(5U, CALLS(STRLEN, "s:hello"));
	ASSERT_EQ(0U, CALLS(STRLEN, "s:"));
	ASSERT_STREQ("foobar", SCALL(STRJOIN, "s:foo", "s:bar"));
	ASSERT_STREQ("llo", SCALL(SUBSTR, "s:hello", "i:2"));
	ASSERT_STREQ("el", SCALL(SUBSTR, "s:hello", "i:1", "i:2"));
	ASSERT_STREQ("lo", SCALL(SUBSTR, "s:hello", "i:-2"));
	ASSERT_STREQ("hel", SCALL(SUBSTR, "s:hello", "i:0", "i:-2"));
	ASSERT_STREQ("", SCALL(SUBSTR, "s:hello", "i:9"));
	ASSERT_STREQ("h", SCALL(SUBSTR, "s:hello", "i:-7", "i:3"));
}

TEST_F(vm, subr_strjoin_bounded_by_strsize)
{
	char big[300];

	memset(big, 'a', sizeof(big));
	big[0] = 's';
	big[1] = ':';
	big[299] = 0;
	/* strsize counts characters, as DTrace's: 256 of them and the NUL */
	ASSERT_EQ(256U, strlen(SCALL(STRJOIN, big, "s:xyz")));
	ASSERT_EQ(256U, CALLS(STRLEN, big));
}

TEST_F(vm, subr_index_rindex)
{
	ASSERT_EQ(2U, CALLS(INDEX, "s:abcabc", "s:ca"));
	ASSERT_EQ((u64)-1, CALLS(INDEX, "s:abc", "s:x"));
	ASSERT_EQ(3U, CALLS(INDEX, "s:abcabc", "s:a", "i:1"));
	ASSERT_EQ(3U, CALLS(RINDEX, "s:abcabc", "s:a"));
	ASSERT_EQ(0U, CALLS(RINDEX, "s:abcabc", "s:a", "i:2"));
	ASSERT_EQ((u64)-1, CALLS(RINDEX, "s:abc", "s:x"));
}

TEST_F(vm, subr_strchr_strrchr_strstr)
{
	ASSERT_STREQ("llo.c", SCALL(STRCHR, "s:hello.c", "i:108"));
	ASSERT_STREQ("o.c", SCALL(STRRCHR, "s:hello.c", "i:111"));
	ASSERT_STREQ("<null>", SCALL(STRCHR, "s:hello", "i:122"));
	ASSERT_STREQ("lo.c", SCALL(STRSTR, "s:hello.c", "s:lo"));
	ASSERT_STREQ("<null>", SCALL(STRSTR, "s:hello", "s:xx"));
}

TEST_F(vm, subr_strtok_continues)
{
	u32 s = t_str(&T, "a,,b,c"), d = t_str(&T, ",");

	/* strtok("a,,b,c", ","), then strtok(NULL, ",") twice: "c" */
	I(SETS, 1, 0, 0, s);
	I(SETS, 2, 0, 0, d);
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(PUSH, 0, 2, 0, KTRACE_TT_STR);
	I(CALL, 3, 0, 0, KTRACE_SUBR_STRTOK);
	I(PUSH, 0, 0, 0, KTRACE_TT_INT);
	I(PUSH, 0, 2, 0, KTRACE_TT_STR);
	I(CALL, 4, 0, 0, KTRACE_SUBR_STRTOK);
	I(PUSH, 0, 0, 0, KTRACE_TT_INT);
	I(PUSH, 0, 2, 0, KTRACE_TT_STR);
	I(CALL, 5, 0, 0, KTRACE_SUBR_STRTOK);
	I(PUSH, 0, 0, 0, KTRACE_TT_INT);
	I(PUSH, 0, 2, 0, KTRACE_TT_STR);
	I(CALL, 6, 0, 0, KTRACE_SUBR_STRTOK);
	I(RET, 0, 6, 0, 0);
	RUNS(0);
	ASSERT_STREQ("a", (char *)(uintptr_t)E.vm.regs[3]);
	ASSERT_STREQ("b", (char *)(uintptr_t)E.vm.regs[4]);
	ASSERT_STREQ("c", (char *)(uintptr_t)E.vm.regs[5]);
}

/* the next strtok(NULL, d) starts at the delimiter that ended the token */
TEST_F(vm, subr_strtok_resumes_at_the_delimiter)
{
	u32 s = t_str(&T, "xAyMz"), d1 = t_str(&T, "A"), d2 = t_str(&T, "M");

	I(SETS, 1, 0, 0, s);
	I(SETS, 2, 0, 0, d1);
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(PUSH, 0, 2, 0, KTRACE_TT_STR);
	I(CALL, 3, 0, 0, KTRACE_SUBR_STRTOK);
	I(SETS, 2, 0, 0, d2);
	I(PUSH, 0, 0, 0, KTRACE_TT_INT);
	I(PUSH, 0, 2, 0, KTRACE_TT_STR);
	I(CALL, 4, 0, 0, KTRACE_SUBR_STRTOK);
	I(SETS, 2, 0, 0, d1);
	I(PUSH, 0, 0, 0, KTRACE_TT_INT);
	I(PUSH, 0, 2, 0, KTRACE_TT_STR);
	I(CALL, 5, 0, 0, KTRACE_SUBR_STRTOK);
	I(PUSH, 0, 0, 0, KTRACE_TT_INT);
	I(PUSH, 0, 2, 0, KTRACE_TT_STR);
	I(CALL, 6, 0, 0, KTRACE_SUBR_STRTOK);
	I(RET, 0, 6, 0, 0);
	RUNS(0);
	ASSERT_STREQ("x", (char *)(uintptr_t)E.vm.regs[3]);
	ASSERT_STREQ("Ay", (char *)(uintptr_t)E.vm.regs[4]);
	ASSERT_STREQ("Mz", (char *)(uintptr_t)E.vm.regs[5]);
}

TEST_F(vm, subr_case_lltostr_strtoll)
{
	ASSERT_STREQ("hello w1", SCALL(TOLOWER, "s:HeLLo W1"));
	ASSERT_STREQ("HELLO W1", SCALL(TOUPPER, "s:HeLLo w1"));
	ASSERT_STREQ("-1234", SCALL(LLTOSTR, "i:-1234"));
	ASSERT_STREQ("ff", SCALL(LLTOSTR, "i:255", "i:16"));
	ASSERT_STREQ("-9223372036854775808", SCALL(LLTOSTR, "i:0x8000000000000000"));
	ASSERT_EQ((u64)-42, CALLS(STRTOLL, "s:  -42xyz"));
	ASSERT_EQ(255U, CALLS(STRTOLL, "s:0xff", "i:16"));
	ASSERT_EQ(5U, CALLS(STRTOLL, "s:101", "i:2"));
	ASSERT_EQ(-EFAULT, call_subr(KTRACE_SUBR_STRTOLL, &(u64){0}, 2,
				     (const char *[]){ "s:1", "i:1" }));
	ASSERT_EQ(KTRACE_FAULT_ILLOP, E.vm.fault);
}

TEST_F(vm, subr_paths)
{
	ASSERT_STREQ("bar", SCALL(BASENAME, "s:/foo/bar"));
	ASSERT_STREQ("bar", SCALL(BASENAME, "s:/foo/bar//"));
	ASSERT_STREQ("/", SCALL(BASENAME, "s:/"));
	ASSERT_STREQ(".", SCALL(BASENAME, "s:"));
	ASSERT_STREQ("/foo", SCALL(DIRNAME, "s:/foo/bar"));
	ASSERT_STREQ("/", SCALL(DIRNAME, "s:/foo"));
	ASSERT_STREQ(".", SCALL(DIRNAME, "s:foo"));
	ASSERT_STREQ("/", SCALL(DIRNAME, "s:/"));
	ASSERT_STREQ("/a/c", SCALL(CLEANPATH, "s:/a/./b/../c"));
	ASSERT_STREQ("/a/b", SCALL(CLEANPATH, "s:/a//b"));
	ASSERT_STREQ("/", SCALL(CLEANPATH, "s:/a/.."));
	/* relative paths keep the ".." they cannot resolve; no trailing '/' */
	ASSERT_STREQ("../..", SCALL(CLEANPATH, "s:../.."));
	ASSERT_STREQ("..", SCALL(CLEANPATH, "s:a/../.."));
	ASSERT_STREQ(".", SCALL(CLEANPATH, "s:a/.."));
	ASSERT_STREQ("a", SCALL(CLEANPATH, "s:././a"));
	ASSERT_STREQ(".", SCALL(CLEANPATH, "s:./"));
	ASSERT_STREQ("", SCALL(CLEANPATH, "s:"));
	ASSERT_STREQ("/baz", SCALL(CLEANPATH, "s:/foo/bar/../../baz/.//"));
	ASSERT_STREQ("/", SCALL(CLEANPATH, "s:/../../"));
	ASSERT_STREQ("../x", SCALL(CLEANPATH, "s:../x/y/.."));
}

TEST_F(vm, subr_byteorder_inet)
{
	ASSERT_EQ(0x3412U, CALLS(HTONS, "i:0x1234"));
	ASSERT_EQ(0x78563412U, CALLS(HTONL, "i:0x12345678"));
	ASSERT_EQ(0x0807060504030201ULL, CALLS(HTONLL, "i:0x0102030405060708"));
	ASSERT_STREQ("192.168.1.2", SCALL(INET_NTOA, "i:0x0201a8c0"));
}

/* inet_ntoa6/inet_ntop read the address from (fake) kernel memory: stage it there */
static char ntop_kaddr[32];

static const char *ntop_put(const u8 *a, size_t n)
{
	memcpy(host_kmem + 256, a, n);
	snprintf(ntop_kaddr, sizeof(ntop_kaddr), "i:%llu", (unsigned long long)(HOST_KBASE + 256));
	return ntop_kaddr;
}

#define NTOA6(a)	SCALL(INET_NTOA6, ntop_put(a, 16))
#define NTOP(af, a, n)	SCALL(INET_NTOP, af, ntop_put(a, n))
#define NTOA6S(a, strict)	SCALL(INET_NTOA6, ntop_put(a, 16), strict)

TEST_F(vm, subr_inet_ntoa6_ntop)
{
	static const u8 lo6[16] = { [15] = 1 }, any6[16] = { 0 },
		ll[16] = { 0xfe, 0x80, [8] = 0x02, 0x16, 0x3e, 0xff, 0xfe, 0x00, 0x00, 0x01 },
		mid[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 },
		one0[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 },
		two0[16] = { 0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1 },
		mapped[16] = { [10] = 0xff, 0xff, 127, 0, 0, 1 },
		compat[16] = { [12] = 127, 0, 0, 1 }, notv4[16] = { [10] = 0xff, 0xfe, 127, 0, 0, 1 },
		v4[4] = { 10, 0, 2, 15 };

	ASSERT_STREQ("::1", NTOA6(lo6));
	ASSERT_STREQ("::", NTOA6(any6));
	ASSERT_STREQ("fe80::216:3eff:fe00:1", NTOA6(ll));
	ASSERT_STREQ("2001:db8:0:1::1", NTOA6(mid));
	/* one zero group is not shortened; of two equal runs the first is */
	ASSERT_STREQ("2001:db8:0:1:1:1:1:1", NTOA6(one0));
	ASSERT_STREQ("2001::1:0:0:1:1", NTOA6(two0));
	ASSERT_STREQ("::ffff:127.0.0.1", NTOP("i:10", mapped, 16));
	/* inet_ntoa6(): an embedded IPv4 address alone, as DTrace's; strict: in IPv6 form */
	ASSERT_STREQ("127.0.0.1", NTOA6(mapped));
	ASSERT_STREQ("127.0.0.1", NTOA6(compat));
	ASSERT_STREQ("::fffe:7f00:1", NTOA6(notv4));
	ASSERT_STREQ("::ffff:127.0.0.1", NTOA6S(mapped, "i:1"));
	ASSERT_STREQ("::127.0.0.1", NTOA6S(compat, "i:42"));
	ASSERT_STREQ("127.0.0.1", NTOA6S(compat, "i:0"));
	ASSERT_STREQ("::1", NTOA6S(lo6, "i:1"));
	ASSERT_STREQ("::7f00:1", NTOP("i:10", compat, 16));
	ASSERT_STREQ("10.0.2.15", NTOP("i:2", v4, 4));
	/* an unknown family faults, as does an address that cannot be read */
	ASSERT_EQ(-EFAULT, call_subr(KTRACE_SUBR_INET_NTOP, &(u64){0}, 2,
				     (const char *[]){ "i:3", "i:0xffff800000000000" }));
	ASSERT_EQ(KTRACE_FAULT_ILLOP, E.vm.fault);
	ASSERT_EQ(-EFAULT, call_subr(KTRACE_SUBR_INET_NTOA6, &(u64){0}, 1,
				     (const char *[]){ "i:0x1000" }));
	ASSERT_EQ(KTRACE_FAULT_BADADDR, E.vm.fault);
}

#define LINK_NTOP(type, a, n)	SCALL(LINK_NTOP, type, ntop_put(a, n))

TEST_F(vm, subr_link_ntop)
{
	static const u8 mac[6] = { 0x00, 0x10, 0xe0, 0x8a, 0x71, 0x5e },
		ib[20] = { 0x80, 0x00, 0x04, 0x04, 0xfe, 0x8c, 0x41, 0x7a, 0, 0, 0, 0, 0, 0x02,
			   0xc9, 0x02, 0x00, 0x29, 0x31, 0xcd };
	u64 r;

	/* ARPHRD_ETHER 1: 6 bytes; ARPHRD_INFINIBAND 32: 20 bytes, zero-padded lowercase hex */
	ASSERT_STREQ("00:10:e0:8a:71:5e", LINK_NTOP("i:1", mac, 6));
	ASSERT_STREQ("80:00:04:04:fe:8c:41:7a:00:00:00:00:00:02:c9:02:00:29:31:cd",
		     LINK_NTOP("i:32", ib, 20));
	/* another hardware type faults ILLOP, an unreadable address BADADDR */
	ASSERT_EQ(-EFAULT, call_subr(KTRACE_SUBR_LINK_NTOP, &r, 2,
				     (const char *[]){ "i:2", ntop_put(mac, 6) }));
	ASSERT_EQ(KTRACE_FAULT_ILLOP, E.vm.fault);
	ASSERT_EQ(-EFAULT, call_subr(KTRACE_SUBR_LINK_NTOP, &r, 2,
				     (const char *[]){ "i:1", "i:0" }));
	ASSERT_EQ(KTRACE_FAULT_BADADDR, E.vm.fault);
}

TEST_F(vm, subr_strncmp)
{
	ASSERT_EQ(0U, CALLS(STRNCMP, "s:abcx", "s:abcy", "i:3"));
	ASSERT_EQ((u64)-1, CALLS(STRNCMP, "s:abcx", "s:abcy", "i:4"));
	ASSERT_EQ(1U, CALLS(STRNCMP, "s:b", "s:a", "i:10"));
	ASSERT_EQ((u64)-1, CALLS(STRNCMP, "s:ab", "s:abc", "i:10"));
}

TEST_F(vm, subr_copyin_copyinstr_copyinto)
{
	char hs[32];
	u64 r;

	strcpy((char *)host_umem + 100, "user string");
	snprintf(hs, sizeof(hs), "i:%llu", (unsigned long long)HOST_UBASE + 100);
	ASSERT_STREQ("user string", SCALL(COPYINSTR, hs));
	/* as DTrace for Linux: the maximum length counts the terminating NUL */
	ASSERT_STREQ("use", SCALL(COPYINSTR, hs, "i:4"));
	ASSERT_STREQ("", SCALL(COPYINSTR, hs, "i:1"));
	r = CALLS(COPYIN, hs, "i:4");
	ASSERT_EQ(0, memcmp((void *)(uintptr_t)r, "user", 4));
	/* a string running into unmapped memory faults */
	memset(host_umem + HOST_USIZE - 8, 'x', 8);
	snprintf(hs, sizeof(hs), "i:%llu", (unsigned long long)HOST_UBASE + HOST_USIZE - 8);
	ASSERT_EQ(-EFAULT, call_subr(KTRACE_SUBR_COPYINSTR, &r, 1, (const char *[]){ hs }));
	ASSERT_EQ(KTRACE_FAULT_BADADDR, E.vm.fault);
	ASSERT_EQ(HOST_UBASE + HOST_USIZE, E.vm.fault_val);
	ASSERT_EQ(-EFAULT, call_subr(KTRACE_SUBR_COPYIN, &r, 2,
				     (const char *[]){ "i:0xffff888000100000", "i:4" }));
	ASSERT_EQ(KTRACE_FAULT_UPRIV, E.vm.fault);
	/* copyinto an alloca'd buffer */
	tobj_init(&T);
	I(SETI, 1, 0, 0, 8);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(CALL, 2, 0, 0, KTRACE_SUBR_ALLOCA);
	I(SETX, 3, 0, 0, t_int(&T, HOST_UBASE + 100));
	I(PUSH, 0, 3, 0, KTRACE_TT_INT);
	I(SETI, 4, 0, 0, 4);
	I(PUSH, 0, 4, 0, KTRACE_TT_INT);
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);
	I(CALL, 5, 0, 0, KTRACE_SUBR_COPYINTO);
	I(LDS, 6, 2, 0, 4);
	I(RET, 0, 6, 0, 0);
	tenv_free(&E);
	RUNS(0x72657375);	/* "user" */
}

/*
 * stringof() of kernel memory reads aligned pieces of up to 8 bytes: every
 * start alignment and length reads exactly the string, a limit cuts it at
 * any offset, and a string whose NUL is the last byte of the readable
 * memory reads without touching the byte after it.
 */
TEST_F(vm, subr_stringof_every_alignment_and_length)
{
	char want[32], arg[32], lim[16];
	u32 a, len, cut;
	u64 at, r;

	for (a = 0; a < 8; a++) {
		for (len = 0; len <= 19; len++) {
			at = HOST_KBASE + 128 + a;
			memset(host_kmem + 128, 'x', 64);
			for (cut = 0; cut < len; cut++)
				host_kmem[128 + a + cut] = (u8)('a' + cut);
			host_kmem[128 + a + len] = 0;
			snprintf(arg, sizeof(arg), "i:%llu", (unsigned long long)at);
			memcpy(want, host_kmem + 128 + a, len + 1);
			ASSERT_STREQ(want, SCALL(KSTRING, arg));
			for (cut = 1; cut <= len; cut++) {
				snprintf(lim, sizeof(lim), "i:%u", cut);
				want[cut] = 0;
				ASSERT_STREQ(want, SCALL(KSTRING, arg, lim));
				want[cut] = host_kmem[128 + a + cut];
			}
		}
	}
	/* the NUL in the last byte of the readable memory, at every length */
	for (len = 0; len < 12; len++) {
		memset(host_kmem + HOST_KSIZE - 16, 'y', 16);
		host_kmem[HOST_KSIZE - 1] = 0;
		at = HOST_KBASE + HOST_KSIZE - 1 - len;
		snprintf(arg, sizeof(arg), "i:%llu", (unsigned long long)at);
		memset(want, 'y', len);
		want[len] = 0;
		ASSERT_STREQ(want, SCALL(KSTRING, arg));
	}
	/* no NUL before the end of the readable memory: a fault there */
	memset(host_kmem + HOST_KSIZE - 16, 'z', 16);
	snprintf(arg, sizeof(arg), "i:%llu", (unsigned long long)(HOST_KBASE + HOST_KSIZE - 5));
	ASSERT_EQ(-EFAULT, call_subr(KTRACE_SUBR_KSTRING, &r, 1, (const char *[]){ arg }));
	ASSERT_EQ(KTRACE_FAULT_BADADDR, E.vm.fault);
}

TEST_F(vm, subr_stringof_bcopy_alloca)
{
	char hs[32];
	u64 r;

	strcpy((char *)host_kmem + 64, "kernel str");
	snprintf(hs, sizeof(hs), "i:%llu", (unsigned long long)HOST_KBASE + 64);
	ASSERT_STREQ("kernel str", SCALL(KSTRING, hs));
	ASSERT_STREQ("kern", SCALL(KSTRING, hs, "i:4"));
	ASSERT_STREQ("already", SCALL(KSTRING, "s:already"));
	ASSERT_EQ(-EFAULT, call_subr(KTRACE_SUBR_KSTRING, &r, 1, (const char *[]){ "i:4096" }));
	ASSERT_EQ(KTRACE_FAULT_BADADDR, E.vm.fault);
	/* bcopy kernel memory into alloca'd scratch */
	tobj_init(&T);
	I(SETI, 1, 0, 0, 16);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(CALL, 2, 0, 0, KTRACE_SUBR_ALLOCA);
	I(SETX, 3, 0, 0, t_int(&T, HOST_KBASE + 64));
	I(PUSH, 0, 3, 0, KTRACE_TT_INT);
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);
	I(SETI, 4, 0, 0, 6);
	I(PUSH, 0, 4, 0, KTRACE_TT_INT);
	I(CALL, 5, 0, 0, KTRACE_SUBR_BCOPY);
	I(PUSH, 0, 2, 0, KTRACE_TT_STR);
	I(CALL, 6, 0, 0, KTRACE_SUBR_STRLEN);
	I(RET, 0, 6, 0, 0);
	tenv_free(&E);
	RUNS(6);
	/* bcopy into non-scratch memory faults */
	tobj_init(&T);
	I(SETX, 3, 0, 0, t_int(&T, HOST_KBASE + 64));
	I(PUSH, 0, 3, 0, KTRACE_TT_INT);
	I(SETS, 2, 0, 0, t_str(&T, "strtab!"));
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);
	I(SETI, 4, 0, 0, 4);
	I(PUSH, 0, 4, 0, KTRACE_TT_INT);
	I(CALL, 5, 0, 0, KTRACE_SUBR_BCOPY);
	I(RET, 0, 5, 0, 0);
	tenv_free(&E);
	FAULTS(KTRACE_FAULT_BADADDR, 6);
}

/* alloca(n) in r2 (n rounded up to 8 by the VM), then insns of the test */
static void alloca_prologue(u32 n)
{
	I(SETI, 1, 0, 0, n);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(CALL, 2, 0, 0, KTRACE_SUBR_ALLOCA);
}

/* bcopy(src r3, dst = r2 + off, size) */
static void bcopy_at(u32 off, u32 size)
{
	I(SETX, 3, 0, 0, t_int(&T, HOST_KBASE + 64));
	I(PUSH, 0, 3, 0, KTRACE_TT_INT);
	I(ADDI, 4, 2, 0, off);
	I(PUSH, 0, 4, 0, KTRACE_TT_INT);
	I(SETI, 5, 0, 0, size);
	I(PUSH, 0, 5, 0, KTRACE_TT_INT);
	I(CALL, 6, 0, 0, KTRACE_SUBR_BCOPY);
}

TEST_F(vm, alloca_top_bounds_stores_and_bcopy)
{
	/* the last byte alloca(15) gave (its 16th, rounded up) is writable ... */
	alloca_prologue(15);
	I(SETI, 3, 0, 0, 65);
	I(ADDI, 4, 2, 0, 15);
	I(ST, 4, 3, 0, 1);
	I(LDS, 5, 4, 0, 1);
	I(RET, 0, 5, 0, 0);
	RUNS(65);
	tenv_free(&E);
	/* ... the byte past the top is not: invalid address (its address) */
	tobj_init(&T);
	alloca_prologue(15);
	I(SETI, 3, 0, 0, 65);
	I(ADDI, 4, 2, 0, 16);
	I(ST, 4, 3, 0, 1);
	I(RET, 0, 0, 0, 0);
	FAULTS(KTRACE_FAULT_BADADDR, 5);
	ASSERT_EQ(E.vm.fault_val, (u64)(uintptr_t)E.vm.scratch + 16);
	tenv_free(&E);
	/* bcopy() filling alloca(16) to its top runs */
	tobj_init(&T);
	alloca_prologue(16);
	bcopy_at(15, 1);
	I(RET, 0, 6, 0, 0);
	RUNS(0);
	tenv_free(&E);
	/* bcopy() starting at the top: invalid address */
	tobj_init(&T);
	alloca_prologue(16);
	bcopy_at(16, 1);
	I(RET, 0, 0, 0, 0);
	FAULTS(KTRACE_FAULT_BADADDR, 9);
	tenv_free(&E);
	/* bcopy() crossing the top: invalid size (the size) */
	tobj_init(&T);
	alloca_prologue(16);
	bcopy_at(15, 2);
	I(RET, 0, 0, 0, 0);
	FAULTS(KTRACE_FAULT_BADSIZE, 9);
	ASSERT_EQ(2U, E.vm.fault_val);
	tenv_free(&E);
	/* alloca(0) gives no byte: a copy to it is an invalid address */
	tobj_init(&T);
	alloca_prologue(0);
	bcopy_at(0, 8);
	I(RET, 0, 0, 0, 0);
	FAULTS(KTRACE_FAULT_BADADDR, 9);
}

/* a predicate's alloca() lasts its clause: the body stores through it */
TEST_F(vm, alloca_in_predicate_lasts_the_body)
{
	u32 body;

	t_var(&T, "p", KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_INT, 0);
	alloca_prologue(8);			/* predicate: p = alloca(8), true */
	I(STG, 0, 2, 0, 0);
	I(SETI, 1, 0, 0, 1);
	I(RET, 0, 1, 0, 0);
	body = T.ni;
	I(LDG, 3, 0, 0, 0);			/* body: *p = 65 ... */
	I(SETI, 4, 0, 0, 65);
	I(ST, 3, 4, 0, 1);
	alloca_prologue(8);			/* ... a new alloca() lies past it */
	I(SUB, 6, 2, 3, 0);
	I(LDS, 5, 3, 0, 1);
	I(ADD, 5, 5, 6, 0);
	I(RET, 0, 5, 0, 0);
	t_clause(&T, 0, body, body, T.ni - body);
	RUNS(65 + 8);
}

TEST_F(vm, alloca_scratchsize_bounds_a_clause)
{
	struct ktrace_opts o = { .scratchsize = 9 };	/* rounded up to 16 */
	u64 r;

	/* 16 bytes in two alloca()s fit ... */
	alloca_prologue(8);
	I(SETI, 1, 0, 0, 8);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(CALL, 3, 0, 0, KTRACE_SUBR_ALLOCA);
	I(SUB, 4, 3, 2, 0);
	I(RET, 0, 4, 0, 0);
	ASSERT_EQ(0, load(&o));
	ASSERT_EQ(16U, E.prog->opts.scratchsize);
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(8U, r);
	tenv_free(&E);
	/* ... one byte more is out of scratch space */
	tobj_init(&T);
	alloca_prologue(16);
	I(SETI, 1, 0, 0, 1);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(CALL, 3, 0, 0, KTRACE_SUBR_ALLOCA);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(&o));
	ASSERT_EQ(-EFAULT, tenv_run(&E, 0, &r));
	ASSERT_EQ(KTRACE_FAULT_NOSCRATCH, E.vm.fault);
	ASSERT_EQ(5U, E.vm.fault_pc);
	tenv_free(&E);
	/* scratchsize is checked at its bounds */
	tobj_init(&T);
	I(RET, 0, 0, 0, 0);
	o.scratchsize = KTRACE_MAX_SCRATCHSIZE + 1;
	ASSERT_EQ(-EINVAL, load(&o));
	ASSERT_TRUE(logged("opts: scratchsize 65537 not in 8..65536"));
	tenv_free(&E);
	o.scratchsize = KTRACE_MAX_SCRATCHSIZE;
	ASSERT_EQ(0, load(&o));
	tenv_free(&E);
	o.reserved = 1;
	ASSERT_EQ(-EINVAL, load(&o));
	ASSERT_TRUE(logged("opts: reserved field not zero"));
}

TEST_F(vm, alloca_memory_of_an_earlier_clause_is_stale)
{
	u32 g, c1;
	u64 r;

	/* clause 0: x = alloca(8); *x = 7; return *x */
	g = t_var(&T, "x", KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_INT, 0);
	alloca_prologue(8);
	I(STG, 0, 2, 0, g);
	I(SETI, 3, 0, 0, 7);
	I(ST, 2, 3, 0, 1);
	I(LDS, 4, 2, 0, 1);
	I(RET, 0, 4, 0, 0);
	BODY();
	/* clause 1: return *x, a pointer into scratch reset since */
	c1 = T.ni;
	I(LDG, 1, 0, 0, g);
	I(LDS, 2, 1, 0, 1);
	I(RET, 0, 2, 0, 0);
	t_clause(&T, 0, 0, c1, T.ni - c1);
	ASSERT_EQ(0, load(NULL));
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(7U, r);
	ASSERT_EQ(-EFAULT, tenv_run(&E, 1, &r));
	ASSERT_EQ(KTRACE_FAULT_BADADDR, E.vm.fault);
	ASSERT_EQ((u64)(uintptr_t)E.vm.scratch, E.vm.fault_val);
	ASSERT_EQ(c1 + 1, E.vm.fault_pc);
}

TEST_F(vm, subr_env_ones)
{
	ASSERT_EQ(4U, CALLS(RAND));
	ASSERT_EQ(1U, CALLS(SPECULATION));
	ASSERT_EQ(1U, CALLS(PROGENYOF, "i:1"));
	ASSERT_EQ(0U, CALLS(COPYOUT, "i:1", "i:2", "i:3"));
}

TEST_F(vm, subr_ustack)
{
	u64 *p = (u64 *)(uintptr_t)CALLS(USTACK, "i:3");

	ASSERT_EQ(1234U, p[0]);
	ASSERT_EQ(3U, p[1]);
	ASSERT_EQ(0x400010U, p[3]);
}

TEST_F(vm, scmp_compares_strings)
{
	struct { const char *a, *b; s64 want; } c[] = {
		{ "abc", "abc", 0 }, { "abc", "abd", -1 }, { "b", "abc", 1 },
		{ "ab", "abc", -1 }, { "\xff", "a", 1 },
		/* NULL (NULL below) sorts before every string, "" too */
		{ NULL, "", -1 }, { "", NULL, 1 }, { NULL, NULL, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		tobj_init(&T);
		if (c[i].a)
			I(SETS, 1, 0, 0, t_str(&T, c[i].a));
		else
			I(SETI, 1, 0, 0, 0);
		if (c[i].b)
			I(SETS, 2, 0, 0, t_str(&T, c[i].b));
		else
			I(SETI, 2, 0, 0, 0);
		I(SCMP, 3, 1, 2, 0);
		I(RET, 0, 3, 0, 0);
		RUNS(c[i].want);
		tenv_free(&E);
	}
}

/* ================= aggregations ================= */

static s64 *agg_vals(u32 agg, const void *key, u32 keysize)
{
	struct ktrace_agg_hdr *h = E.ab.hdr;
	u32 off = h->entries_off;

	while (off < h->used) {
		struct ktrace_agg_ent *e = (void *)((u8 *)h + off);

		if (e->agg == agg && e->keysize == keysize && !memcmp(e + 1, key, keysize))
			return (s64 *)((u8 *)(e + 1) + keysize);
		off += e->size;
	}
	return NULL;
}

/* a second aggregation copy for comparisons (aggb_equals_pushb_agg) */
static u8 twin_mem[64 * 1024] __attribute__((aligned(8)));
static struct ktrace_aggbuf twin_ab = { .hdr = (struct ktrace_agg_hdr *)twin_mem, .size = sizeof(twin_mem) };

static s64 *twin_vals(u32 agg, const void *key, u32 keysize)
{
	struct ktrace_agg_hdr *h = twin_ab.hdr;
	u32 off = h->entries_off;

	while (off < h->used) {
		struct ktrace_agg_ent *e = (void *)((u8 *)h + off);

		if (e->agg == agg && e->keysize == keysize && !memcmp(e + 1, key, keysize))
			return (s64 *)((u8 *)(e + 1) + keysize);
		off += e->size;
	}
	return NULL;
}

/* aggregate arg0 for 1..100 into every function */
TEST_F(vm, agg_values_1_to_100)
{
	u32 f;
	u64 r;
	s64 i, *v;

	for (f = 0; f < KTRACE_AGG_LQUANTIZE; f++)
		t_agg(&T, "a", f, 0, 0, 0, 0, 0);
	t_agg(&T, "lq", KTRACE_AGG_LQUANTIZE, 0, 0, 50, 10, 0);
	t_agg(&T, "llq", KTRACE_AGG_LLQUANTIZE, 0, 10, 0, 2, 10);
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG0);
	for (f = 0; f < KTRACE_AGGFUNC_NR; f++)
		I(AGG, 0, 1, 0, f);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(NULL));
	for (i = 1; i <= 100; i++) {
		E.fire.args[0] = i;
		ASSERT_EQ(0, tenv_run(&E, 0, &r));
	}
	ASSERT_EQ(100, agg_vals(KTRACE_AGG_COUNT, "", 0)[0]);
	ASSERT_EQ(5050, agg_vals(KTRACE_AGG_SUM, "", 0)[0]);
	v = agg_vals(KTRACE_AGG_AVG, "", 0);
	ASSERT_EQ(100, v[0]);
	ASSERT_EQ(5050, v[1]);
	ASSERT_EQ(50, v[1] / v[0]);
	ASSERT_EQ(1, agg_vals(KTRACE_AGG_MIN, "", 0)[0]);
	ASSERT_EQ(100, agg_vals(KTRACE_AGG_MAX, "", 0)[0]);
	v = agg_vals(KTRACE_AGG_STDDEV, "", 0);
	ASSERT_EQ(100, v[0]);
	ASSERT_EQ(5050, v[1]);
	ASSERT_EQ(338350, v[2]);
	ASSERT_EQ(0, v[3]);
	v = agg_vals(KTRACE_AGG_QUANTIZE, "", 0);
	/* 1 | 2-3 | 4-7 | 8-15 | 16-31 | 32-63 | 64-127 */
	ASSERT_EQ(1, v[64]);
	ASSERT_EQ(2, v[65]);
	ASSERT_EQ(4, v[66]);
	ASSERT_EQ(8, v[67]);
	ASSERT_EQ(16, v[68]);
	ASSERT_EQ(32, v[69]);
	ASSERT_EQ(37, v[70]);
	ASSERT_EQ(0, v[63]);
	v = agg_vals(KTRACE_AGG_LQUANTIZE, "", 0);
	ASSERT_EQ(0, v[0]);	/* < 0 */
	ASSERT_EQ(9, v[1]);	/* 0..9 */
	ASSERT_EQ(10, v[2]);
	ASSERT_EQ(10, v[5]);	/* 40..49 */
	ASSERT_EQ(51, v[6]);	/* >= 50 */
	v = agg_vals(KTRACE_AGG_LLQUANTIZE, "", 0);
	/* the positive side, from the middle bucket [28] (|v| < 1) */
	ASSERT_EQ(0, v[27]);	/* -1 */
	ASSERT_EQ(0, v[28]);	/* 0 */
	ASSERT_EQ(1, v[29]);	/* 1 */
	ASSERT_EQ(1, v[37]);	/* 9 */
	ASSERT_EQ(10, v[38]);	/* 10..19 */
	ASSERT_EQ(10, v[46]);	/* 90..99 */
	ASSERT_EQ(1, v[47]);	/* 100..199 */
	ASSERT_EQ(0, v[56]);	/* >= 1000 */
}

/* DTrace for Linux's llquantize: negative values mirror the positive buckets around |v| < factor^low */
TEST_F(vm, agg_llquantize_negative_and_steps_below_factor)
{
	u64 r;
	s64 *v, vals[] = { 0, -1, -3, -4, -15, -16, 1, 3, 4, 15, 16, INT64_MIN, INT64_MAX };
	unsigned int i;

	/* factor 4, magnitudes 0..1, 2 steps: [0] <= -16, -8, -4, -2, -1, [5] 0, 1, 2, 4, 8, [10] >= 16 */
	t_agg(&T, "llq", KTRACE_AGG_LLQUANTIZE, 0, 4, 0, 1, 2);
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG0);
	I(LDB, 2, 0, 0, KTRACE_VAR_ARG1);
	I(AGG, 0, 1, 2, 0);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(NULL));
	ASSERT_EQ(11U, E.prog->agg_nvals[0]);
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		E.fire.args[0] = vals[i];
		E.fire.args[1] = 3;
		ASSERT_EQ(0, tenv_run(&E, 0, &r));
	}
	v = agg_vals(0, "", 0);
	ASSERT_EQ(6, v[0]);	/* -16, INT64_MIN */
	ASSERT_EQ(3, v[1]);	/* -15: -8..-15 */
	ASSERT_EQ(3, v[2]);	/* -4 */
	ASSERT_EQ(3, v[3]);	/* -3: -2..-3 */
	ASSERT_EQ(3, v[4]);	/* -1 */
	ASSERT_EQ(3, v[5]);	/* 0 */
	ASSERT_EQ(3, v[6]);	/* 1 */
	ASSERT_EQ(3, v[7]);	/* 3: 2..3 */
	ASSERT_EQ(3, v[8]);	/* 4 */
	ASSERT_EQ(3, v[9]);	/* 15 */
	ASSERT_EQ(6, v[10]);	/* 16, INT64_MAX */
}

TEST_F(vm, agg_quantize_negative_zero_extremes_and_weight)
{
	u64 r;
	s64 *v, vals[] = { 0, -1, -2, -3, -4, INT64_MIN, INT64_MAX };
	unsigned int i;

	t_agg(&T, "q", KTRACE_AGG_QUANTIZE, 0, 0, 0, 0, 0);
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG0);
	I(LDB, 2, 0, 0, KTRACE_VAR_ARG1);
	I(AGG, 0, 1, 2, 0);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(NULL));
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		E.fire.args[0] = vals[i];
		E.fire.args[1] = 2;
		ASSERT_EQ(0, tenv_run(&E, 0, &r));
	}
	v = agg_vals(0, "", 0);
	ASSERT_EQ(2, v[63]);
	ASSERT_EQ(2, v[62]);	/* -1 */
	ASSERT_EQ(4, v[61]);	/* -2, -3 */
	ASSERT_EQ(2, v[60]);	/* -4 */
	ASSERT_EQ(2, v[0]);	/* INT64_MIN */
	ASSERT_EQ(2, v[126]);	/* INT64_MAX */
}

TEST_F(vm, agg_stddev_128bit_sum_of_squares)
{
	u64 r;
	s64 *v;

	t_agg(&T, "s", KTRACE_AGG_STDDEV, 0, 0, 0, 0, 0);
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG0);
	I(AGG, 0, 1, 0, 0);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(NULL));
	E.fire.args[0] = 1ULL << 40;
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	E.fire.args[0] = -(1LL << 40);
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	v = agg_vals(0, "", 0);
	ASSERT_EQ(2, v[0]);
	ASSERT_EQ(0, v[1]);
	ASSERT_EQ(0, v[2]);		/* 2 * 2^80 = 2^81: lo 0 */
	ASSERT_EQ(1LL << 17, v[3]);	/* hi 2^17 */
}

TEST_F(vm, agg_keys_separate_entries)
{
	u64 r;
	u8 key[16] = { 0 };

	t_agg(&T, "c", KTRACE_AGG_COUNT, 2, 0, 0, 0, 0);
	T.agg[0].key_types[0] = KTRACE_TYPE_STRING;
	T.agg[0].key_types[1] = KTRACE_TYPE_INT;
	I(LDB, 1, 0, 0, KTRACE_VAR_EXECNAME);
	I(LDB, 2, 0, 0, KTRACE_VAR_ARG0);
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);
	I(AGG, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(NULL));
	E.fire.args[0] = 1;
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	E.fire.args[0] = 2;
	ASSERT_EQ(0, tenv_run(&E, 0, &r));
	ASSERT_EQ(2U, E.ab.hdr->nentries);
	memcpy(key, "hostprog", 9);
	{
		u8 k[24] = { 0 };

		memcpy(k, key, 16);
		k[16] = 1;
		ASSERT_EQ(2, agg_vals(0, k, 24)[0]);
		k[16] = 2;
		ASSERT_EQ(1, agg_vals(0, k, 24)[0]);
	}
}

/* pushb execname / pid: the same keys and values as ldb + push */
TEST_F(vm, pushb_keys_equal_ldb_push)
{
	u64 r;
	u8 k[24] = { 0 };
	const char *names[] = { "hostprog", "rdloop", "fifteen_chars__", "" };
	u32 i;

	t_agg(&T, "a", KTRACE_AGG_COUNT, 2, 0, 0, 0, 0);
	t_agg(&T, "b", KTRACE_AGG_COUNT, 2, 0, 0, 0, 0);
	T.agg[0].key_types[0] = T.agg[1].key_types[0] = KTRACE_TYPE_STRING;
	I(PUSHB, 0, 0, 0, KTRACE_VAR_EXECNAME);
	I(PUSHB, 0, 0, 0, KTRACE_VAR_PID);
	I(AGG, 0, 0, 0, 0);
	I(LDB, 1, 0, 0, KTRACE_VAR_EXECNAME);
	I(LDB, 2, 0, 0, KTRACE_VAR_PID);
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);
	I(AGG, 0, 0, 0, 1);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(NULL));
	for (i = 0; i < 4; i++) {
		host_execname = names[i];
		ASSERT_EQ(0, tenv_run(&E, 0, &r));
		ASSERT_EQ(0, tenv_run(&E, 0, &r));
	}
	host_execname = "hostprog";
	ASSERT_EQ(8U, E.ab.hdr->nentries);
	for (i = 0; i < 4; i++) {
		u32 n = (u32)strlen(names[i]), ks = (n + 8) / 8 * 8;

		memset(k, 0, sizeof(k));
		memcpy(k, names[i], n);
		*(s64 *)(k + ks) = 1234;	/* env_host's pid */
		ASSERT_NE(NULL, agg_vals(0, k, ks + 8));
		ASSERT_EQ(2, agg_vals(0, k, ks + 8)[0]);
		ASSERT_EQ(2, agg_vals(1, k, ks + 8)[0]);
	}
}

/*
 * aggb execname / pid / probefunc, with values and weights: the same
 * entries (keys, values) as pushb + agg into twin aggregations
 */
TEST_F(vm, aggb_equals_pushb_agg)
{
	const char *names[] = { "hostprog", "rdloop", "fifteen_chars__", "", "a" };
	struct ktrace_agg_hdr *h;
	u32 i, off, nent[6] = { 0 };
	u64 r;

	for (i = 0; i < 6; i++) {
		t_agg(&T, "x", i < 2 ? KTRACE_AGG_COUNT : i < 4 ? KTRACE_AGG_SUM :
		      KTRACE_AGG_QUANTIZE, 1, 0, 0, 0, 0);
		T.agg[i].key_types[0] = i % 2 ? KTRACE_TYPE_INT : KTRACE_TYPE_STRING;
	}
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG0);
	I(LDB, 2, 0, 0, KTRACE_VAR_ARG1);
	I(AGGB, 0, 0, 0, KTRACE_AGGB_IMM(0, KTRACE_VAR_EXECNAME));
	I(AGGB, 0, 1, 0, KTRACE_AGGB_IMM(1, KTRACE_VAR_PID));
	I(AGGB, 0, 1, 0, KTRACE_AGGB_IMM(2, KTRACE_VAR_PROBEFUNC));
	I(AGGB, 0, 1, 0, KTRACE_AGGB_IMM(3, KTRACE_VAR_ARG0));
	I(AGGB, 0, 1, 2, KTRACE_AGGB_IMM(4, KTRACE_VAR_EXECNAME));
	I(AGGB, 0, 1, 2, KTRACE_AGGB_IMM(5, KTRACE_VAR_TID));
	I(RET, 0, 0, 0, 0);
	t_clause(&T, 0, 0, 0, T.ni);
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG0);
	I(LDB, 2, 0, 0, KTRACE_VAR_ARG1);
	I(PUSHB, 0, 0, 0, KTRACE_VAR_EXECNAME);
	I(AGG, 0, 0, 0, 0);
	I(PUSHB, 0, 0, 0, KTRACE_VAR_PID);
	I(AGG, 0, 1, 0, 1);
	I(PUSHB, 0, 0, 0, KTRACE_VAR_PROBEFUNC);
	I(AGG, 0, 1, 0, 2);
	I(LDB, 3, 0, 0, KTRACE_VAR_ARG0);
	I(PUSH, 0, 3, 0, KTRACE_TT_INT);
	I(AGG, 0, 1, 0, 3);
	I(PUSHB, 0, 0, 0, KTRACE_VAR_EXECNAME);
	I(AGG, 0, 1, 2, 4);
	I(PUSHB, 0, 0, 0, KTRACE_VAR_TID);
	I(AGG, 0, 1, 2, 5);
	I(RET, 0, 0, 0, 0);
	t_clause(&T, 0, 0, 9, T.ni - 9);
	if (load(NULL))
		TH_LOG("%s", E.log);
	ASSERT_EQ(0, E.err);
	ktrace_aggbuf_reset(&twin_ab);
	/* clause 0 (aggb) into E.ab, clause 1 (pushb + agg) into a twin copy */
	for (i = 0; i < 10; i++) {
		struct ktrace_aggbuf *ab = E.vm.agg;

		host_execname = names[i % 5];
		E.fire.args[0] = i * 7;
		E.fire.args[1] = i + 1;
		ASSERT_EQ(0, tenv_run(&E, 0, &r));
		E.vm.agg = &twin_ab;
		ASSERT_EQ(0, tenv_run(&E, 1, &r));
		E.vm.agg = ab;
	}
	host_execname = "hostprog";
	ASSERT_EQ(0U, E.ab.hdr->drops);
	ASSERT_EQ(0U, twin_ab.hdr->drops);
	ASSERT_EQ(twin_ab.hdr->nentries, E.ab.hdr->nentries);
	/* every aggb entry has a twin with the same key and values */
	h = E.ab.hdr;
	for (off = h->entries_off; off < h->used; ) {
		struct ktrace_agg_ent *e = (void *)((u8 *)h + off);
		u32 nv = E.prog->agg_nvals[e->agg];
		s64 *tv = twin_vals(e->agg, e + 1, e->keysize);

		ASSERT_NE(NULL, tv);
		ASSERT_EQ(0, memcmp(tv, (u8 *)(e + 1) + e->keysize, nv * 8));
		nent[e->agg]++;
		off += e->size;
	}
	ASSERT_EQ(5U, nent[0]);		/* five names */
	ASSERT_EQ(1U, nent[1]);		/* one pid */
	ASSERT_EQ(1U, nent[2]);		/* one probefunc */
	ASSERT_EQ(10U, nent[3]);	/* ten arg0 values */
}

/*
 * aggks: the kernel string straight into the key.  At every start
 * alignment, length (words with and without their NUL) and limit (the
 * array's length, and 0: strsize), the same entries as stringof + push +
 * agg into a twin aggregation; a user address and a string running into
 * unreadable memory fault BADADDR as stringof does.
 */
TEST_F(vm, aggks_equals_stringof_push_agg)
{
	static const u32 lims[] = { 0, 1, 7, 8, 9, 32 };
	struct ktrace_agg_hdr *h;
	u32 a, len, l, off, n = 0;
	u64 r;

	for (l = 0; l < 6; l++) {
		t_agg(&T, "x", l % 2 ? KTRACE_AGG_COUNT : KTRACE_AGG_SUM, 1, 0, 0, 0, 0);
		T.agg[l].key_types[0] = KTRACE_TYPE_STRING;
	}
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG0);
	I(LDB, 2, 0, 0, KTRACE_VAR_ARG1);
	for (l = 0; l < 6; l++)
		I(AGGKS, 1, 2, 0, KTRACE_AGGKS_IMM(l, lims[l]));
	I(RET, 0, 0, 0, 0);
	t_clause(&T, 0, 0, 0, T.ni);
	off = T.ni;
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG0);
	I(LDB, 2, 0, 0, KTRACE_VAR_ARG1);
	for (l = 0; l < 6; l++) {
		I(PUSH, 0, 1, 0, KTRACE_TT_INT);
		if (lims[l]) {
			I(SETI, 3, 0, 0, lims[l]);
			I(PUSH, 0, 3, 0, KTRACE_TT_INT);
		}
		I(CALL, 4, 0, 0, KTRACE_SUBR_KSTRING);
		I(PUSH, 0, 4, 0, KTRACE_TT_STR);
		I(AGG, 0, 2, 0, l);
	}
	I(RET, 0, 0, 0, 0);
	t_clause(&T, 0, 0, off, T.ni - off);
	if (load(NULL))
		TH_LOG("%s", E.log);
	ASSERT_EQ(0, E.err);
	ktrace_aggbuf_reset(&twin_ab);
	for (a = 0; a < 8; a++) {
		for (len = 0; len <= 19; len++) {
			struct ktrace_aggbuf *ab = E.vm.agg;

			memset(host_kmem + 128, 'x', 64);
			for (l = 0; l < len; l++)
				host_kmem[128 + a + l] = (u8)('a' + (l + a) % 26);
			host_kmem[128 + a + len] = 0;
			E.fire.args[0] = HOST_KBASE + 128 + a;
			E.fire.args[1] = len + 1;
			ASSERT_EQ(0, tenv_run(&E, 0, &r));
			E.vm.agg = &twin_ab;
			ASSERT_EQ(0, tenv_run(&E, 1, &r));
			E.vm.agg = ab;
		}
	}
	ASSERT_EQ(0U, E.ab.hdr->drops);
	ASSERT_EQ(twin_ab.hdr->nentries, E.ab.hdr->nentries);
	h = E.ab.hdr;
	for (off = h->entries_off; off < h->used; n++) {
		struct ktrace_agg_ent *e = (void *)((u8 *)h + off);
		s64 *tv = twin_vals(e->agg, e + 1, e->keysize);

		ASSERT_NE(NULL, tv);
		ASSERT_EQ(0, memcmp(tv, (u8 *)(e + 1) + e->keysize, E.prog->agg_nvals[e->agg] * 8));
		off += e->size;
	}
	ASSERT_EQ(n, E.ab.hdr->nentries);
	ASSERT_LT(160U, n);	/* 160 strings under each of 6 limits, most of them distinct */
	/* a user address, and no NUL before the end of the readable memory */
	E.fire.args[0] = 4096;
	ASSERT_EQ(-EFAULT, tenv_run(&E, 0, &r));
	ASSERT_EQ(KTRACE_FAULT_BADADDR, E.vm.fault);
	memset(host_kmem + HOST_KSIZE - 16, 'z', 16);
	E.fire.args[0] = HOST_KBASE + HOST_KSIZE - 5;
	ASSERT_EQ(-EFAULT, tenv_run(&E, 0, &r));
	ASSERT_EQ(KTRACE_FAULT_BADADDR, E.vm.fault);
}

TEST_F(vm, agg_key_type_mismatch_faults)
{
	t_agg(&T, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);
	T.agg[0].key_types[0] = KTRACE_TYPE_STRING;
	I(SETI, 1, 0, 0, 1);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(AGG, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	FAULTS(KTRACE_FAULT_ILLOP, 2);
}

/* A program with one count() aggregation, and an empty copy of bytes at mem. */
#define AGG_COUNT_COPY(ab, mem, bytes) do {				\
	t_agg(&T, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);		\
	I(RET, 0, 0, 0, 0);						\
	ASSERT_EQ(0, load(NULL));					\
	(ab).hdr = (void *)(mem);					\
	(ab).size = (bytes);						\
	ktrace_aggbuf_reset(&(ab));					\
} while (0)

TEST_F(vm, agg_full_drops_and_counts)
{
	struct ktrace_aggbuf ab = { 0 };
	u8 mem[512] __attribute__((aligned(8)));
	s64 key;
	int i, ok = 0;

	AGG_COUNT_COPY(ab, mem, sizeof(mem));
	ASSERT_EQ(16U, ab.hdr->nbuckets);
	for (i = 0; i < 100; i++) {
		key = i;
		if (!ktrace_agg_update(&ab, E.prog, 0, &key, 8, 1, 1))
			ok++;
	}
	/* (512 - 64 - 64) / 32 entries fit */
	ASSERT_EQ(12, ok);
	ASSERT_EQ(88U, ab.hdr->drops);
	ASSERT_LE(ab.hdr->used, sizeof(mem));
	key = 3;
	ASSERT_EQ(0, ktrace_agg_update(&ab, E.prog, 0, &key, 8, 1, 1));	/* existing key: fine */
	ktrace_aggbuf_reset(&ab);
	ASSERT_EQ(0U, ab.hdr->nentries);
	ASSERT_EQ(0, ktrace_agg_update(&ab, E.prog, 0, &key, 8, 1, 1));
}

/* A grower that only counts the requests: the test maps more (raises limit) itself. */
static int grow_asks;
static void grow_count(struct ktrace_aggbuf *ab)
{
	grow_asks++;
}

TEST_F(vm, agg_mapped_as_it_fills_asks_at_half_and_drops_past_limit)
{
	struct ktrace_aggbuf ab = { 0 };
	static u8 mem[4096] __attribute__((aligned(8)));
	u32 start, room, fit, i;
	s64 key;

	AGG_COUNT_COPY(ab, mem, sizeof(mem));
	start = ab.hdr->entries_off;
	ASSERT_EQ(start, ktrace_agg_entries_off(sizeof(mem)));
	/* mapped: the buckets and room for 8 entries of 32 bytes */
	room = 8 * 32;
	ab.limit = start + room;
	ab.grow = grow_count;
	grow_asks = 0;
	/* 4 entries leave half of the room: no request yet */
	for (i = 0; i < 4; i++) {
		key = i;
		ASSERT_EQ(0, ktrace_agg_update(&ab, E.prog, 0, &key, 8, 1, 1));
	}
	ASSERT_EQ(0, grow_asks);
	/* the 5th asks, once; the 8th is the last that fits, the 9th drops */
	for (fit = 0; i < 9; i++) {
		key = i;
		if (!ktrace_agg_update(&ab, E.prog, 0, &key, 8, 1, 1))
			fit++;
	}
	ASSERT_EQ(1, grow_asks);
	ASSERT_EQ(1U, ab.asked);
	ASSERT_EQ(4U, fit);
	ASSERT_EQ(1U, ab.hdr->drops);
	ASSERT_EQ(8U, ab.hdr->nentries);
	/* an update of an existing key needs no room */
	key = 2;
	ASSERT_EQ(0, ktrace_agg_update(&ab, E.prog, 0, &key, 8, 1, 1));
	/* the grower mapped twice the room and cleared the request */
	ab.limit = start + 2 * room;
	ab.asked = 0;
	key = 8;
	ASSERT_EQ(0, ktrace_agg_update(&ab, E.prog, 0, &key, 8, 1, 1));
	ASSERT_EQ(2, grow_asks);	/* 9 of 16 entries: past half again */
	/* all of it mapped (limit 0): up to size, no request */
	ab.limit = 0;
	ab.asked = 0;
	for (i = 9; i < 200; i++) {
		key = i;
		ktrace_agg_update(&ab, E.prog, 0, &key, 8, 1, 1);
	}
	ASSERT_EQ(2, grow_asks);
	ASSERT_EQ((sizeof(mem) - start) / 32, ab.hdr->nentries);
	/* every key kept its count: 2 was updated twice */
	for (i = 0; i < ab.hdr->nentries; i++) {
		const struct ktrace_agg_ent *e = (const void *)(mem + start + 32 * i);
		s64 k, v;

		memcpy(&k, e + 1, 8);
		memcpy(&v, (const u8 *)(e + 1) + 8, 8);
		ASSERT_EQ(k == 2 ? 2 : 1, v);
	}
}

/*
 * ktrace_agg_min_size() is the least copy that holds one entry of each
 * aggregation (keys of 8 bytes): a copy of it takes one entry, 8 bytes
 * less none; a larger llquantize needs more buckets' room too.
 */
TEST_F(vm, agg_min_size_holds_one_entry)
{
	static u8 mem[1 << 16] __attribute__((aligned(8)));
	struct ktrace_aggbuf ab = { .hdr = (void *)mem };
	s64 key[2] = { 7, 9 };
	u32 agg = 99;
	u64 need;

	t_agg(&T, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);
	t_agg(&T, "s2", KTRACE_AGG_SUM, 2, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(NULL));
	need = ktrace_agg_min_size(E.prog, &agg);
	/* header 64 + 16 buckets; @s2's entry: 16 + 2 keys + 1 value */
	ASSERT_EQ(1U, agg);
	ASSERT_EQ(64U + 64 + 16 + 16 + 8, need);
	ab.size = need;
	ktrace_aggbuf_reset(&ab);
	ASSERT_EQ(0, ktrace_agg_update(&ab, E.prog, 1, key, 16, 1, 1));
	ASSERT_EQ(-ENOSPC, ktrace_agg_update(&ab, E.prog, 1, key, 8, 1, 1));
	ab.size = need - 8;
	ktrace_aggbuf_reset(&ab);
	ASSERT_EQ(-ENOSPC, ktrace_agg_update(&ab, E.prog, 1, key, 16, 1, 1));
	tenv_free(&E);
	/* LOAD takes aggsize = need, refuses need - 1: ENOSPC, naming @s2 */
	{
		struct ktrace_opts o = { .aggsize = need };

		ASSERT_EQ(0, load(&o));
		tenv_free(&E);
		o.aggsize = need - 1;
		ASSERT_EQ(-ENOSPC, load(&o));
		ASSERT_TRUE(logged("opts: aggsize 167 cannot hold one entry of @s2 (at least 168 bytes)"));
		tenv_free(&E);
	}
	/* an llquantize of thousands of values: the entry's room brings more buckets */
	tobj_init(&T);
	t_agg(&T, "l", KTRACE_AGG_LLQUANTIZE, 0, 2, 0, 60, 64);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(NULL));
	need = ktrace_agg_min_size(E.prog, &agg);
	ASSERT_EQ(0U, agg);
	ASSERT_LE(need, sizeof(mem));
	ab.size = need;
	ktrace_aggbuf_reset(&ab);
	ASSERT_LT(16U, ab.hdr->nbuckets);
	ASSERT_EQ(0, ktrace_agg_update(&ab, E.prog, 0, key, 0, 5, 1));
	ab.size = need - 8;
	ktrace_aggbuf_reset(&ab);
	ASSERT_EQ(-ENOSPC, ktrace_agg_update(&ab, E.prog, 0, key, 0, 5, 1));
	tenv_free(&E);
	/* no aggregation: no least size */
	tobj_init(&T);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(NULL));
	ASSERT_EQ(0U, ktrace_agg_min_size(E.prog, &agg));
}

/* ================= dynamic variables ================= */

TEST_F(vm, dynvar_insert_lookup_free_clean)
{
	static u8 mem[KTRACE_DYNVARS_MIN] __attribute__((aligned(8)));
	struct ktrace_dynvars *dv;
	u64 k = 1, drops, dd;
	u64 *a, *b;
	int n = 0;

	ASSERT_EQ(-EINVAL, ktrace_dynvars_init(&dv, mem, KTRACE_DYNVARS_MIN - 8));
	ASSERT_EQ(0, ktrace_dynvars_init(&dv, mem, sizeof(mem)));
	ASSERT_NULL(ktrace_dynvar_get(dv, 0, &k, 8, 8, false));
	a = ktrace_dynvar_get(dv, 0, &k, 8, 8, true);
	ASSERT_NE(NULL, a);
	ASSERT_EQ(0U, *a);
	*a = 99;
	ASSERT_EQ(a, ktrace_dynvar_get(dv, 0, &k, 8, 8, false));
	ASSERT_NULL(ktrace_dynvar_get(dv, 1, &k, 8, 8, false));	/* other var */
	ASSERT_TRUE(ktrace_dynvars_contains(dv, (uintptr_t)a, 8));
	ASSERT_FALSE(ktrace_dynvars_contains(dv, (uintptr_t)mem, 8));
	/* fill it */
	for (k = 2; (b = ktrace_dynvar_get(dv, 0, &k, 8, 8, true)); k++)
		n++;
	ASSERT_GT(n, 10);
	ktrace_dynvars_counters(dv, &drops, &dd);
	ASSERT_EQ(1U, drops);
	ASSERT_EQ(0U, dd);
	/* free one: not reusable until two cleans */
	k = 1;
	ktrace_dynvar_free(dv, a, false);
	ktrace_dynvar_free(dv, a, false);	/* double free is ignored */
	ASSERT_NULL(ktrace_dynvar_get(dv, 0, &k, 8, 8, false));
	k = 100000;
	ASSERT_NULL(ktrace_dynvar_get(dv, 0, &k, 8, 8, true));
	ktrace_dynvars_counters(dv, &drops, &dd);
	ASSERT_EQ(1U, dd);
	ktrace_dynvars_clean(dv);
	ASSERT_NULL(ktrace_dynvar_get(dv, 0, &k, 8, 8, true));
	ktrace_dynvars_clean(dv);
	b = ktrace_dynvar_get(dv, 0, &k, 8, 8, true);
	ASSERT_EQ(a, b);		/* the freed entry, reused */
	ASSERT_EQ(0U, *b);
}

TEST_F(vm, dynvar_thread_local_free_is_reusable_at_once)
{
	static u8 mem[KTRACE_DYNVARS_MIN] __attribute__((aligned(8)));
	struct ktrace_dynvars *dv;
	u64 k = 1, drops, dd;
	u64 *a, *b;

	ASSERT_EQ(0, ktrace_dynvars_init(&dv, mem, sizeof(mem)));
	a = ktrace_dynvar_get(dv, 0, &k, 8, 8, true);
	ASSERT_NE(NULL, a);
	for (k = 2; ktrace_dynvar_get(dv, 0, &k, 8, 8, true); k++)
		;
	k = 1;
	ktrace_dynvar_free(dv, a, true);
	k = 100000;
	b = ktrace_dynvar_get(dv, 0, &k, 8, 8, true);	/* no clean needed */
	ASSERT_EQ(a, b);
	ASSERT_EQ(0U, *b);
	ktrace_dynvars_counters(dv, &drops, &dd);
	ASSERT_EQ(1U, drops);
	ASSERT_EQ(0U, dd);
}

TEST_F(vm, dynvar_variable_key_sizes)
{
	static u8 mem[65536] __attribute__((aligned(8)));
	struct ktrace_dynvars *dv;
	char k1[40] = "a long key", k2[40] = "a long kez";
	char *s;

	ASSERT_EQ(0, ktrace_dynvars_init(&dv, mem, sizeof(mem)));
	s = ktrace_dynvar_get(dv, 3, k1, 40, 256, true);
	ASSERT_NE(NULL, s);
	strcpy(s, "v1");
	ASSERT_NULL(ktrace_dynvar_get(dv, 3, k2, 40, 256, false));
	ASSERT_NULL(ktrace_dynvar_get(dv, 3, k1, 32, 256, false));
	ASSERT_STREQ("v1", (char *)ktrace_dynvar_get(dv, 3, k1, 40, 256, false));
}

TEST_F(vm, dynvar_full_drops_stores)
{
	u64 r, drops, dd;

	t_var(&T, "a", KTRACE_SCOPE_GARRAY, KTRACE_TYPE_STRING, 1);
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG0);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(LDB, 2, 0, 0, KTRACE_VAR_EXECNAME);
	I(STGA, 0, 2, 0, 0);
	I(RET, 0, 0, 0, 0);
	ASSERT_EQ(0, load(NULL));
	for (r = 0; r < 1000; r++) {
		E.fire.args[0] = r;
		ASSERT_EQ(0, tenv_run(&E, 0, &(u64){0}));
	}
	ktrace_dynvars_counters(E.rt.dynvars, &drops, &dd);
	ASSERT_GT(drops, 0U);
	ASSERT_LT(drops, 1000U);
}

/* ================= disassembler ================= */

TEST_F(vm, disasm_formats)
{
	char buf[128];
	static const char * const want[] = {
		"  0000: add   %r3, %r1, %r2",
		"  0001: ldg   %r4, counter",
		"  0002: call  %r5, strjoin",
		"  0003: sets  %r6, \"hello\"",
		"  0004: ldb   %r7, execname",
		"  0005: ldk   %r8, [%r7], 4s",
		"  0006: bz    %r8, 0008",
		"  0007: push  %r6, str",
		"  0008: agg   @lat, %r1, %r0",
		"  0009: stg   counter, %r3",
		"  0010: ret   %r3",
	};
	unsigned int i;

	t_var(&T, "counter", KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_INT, 0);
	t_agg(&T, "lat", KTRACE_AGG_QUANTIZE, 0, 0, 0, 0, 0);
	I(ADD, 3, 1, 2, 0);
	I(LDG, 4, 0, 0, 0);
	I(CALL, 5, 0, 0, KTRACE_SUBR_STRJOIN);
	I(SETS, 6, 0, 0, t_str(&T, "hello"));
	I(LDB, 7, 0, 0, KTRACE_VAR_EXECNAME);
	I(LDK, 8, 7, 0, 4 | KTRACE_LD_SIGNED);
	I(BZ, 0, 8, 0, 8);
	I(PUSH, 0, 6, 0, KTRACE_TT_STR);
	I(AGG, 0, 1, 0, 0);
	I(STG, 0, 3, 0, 0);
	I(RET, 0, 3, 0, 0);
	BODY();
	{
		/* disassemble without verifying (the program reads unset regs) */
		u32 n;
		void *b = tobj_blob(&T, &n);
		struct ktrace_obj_hdr *h = b;
		struct ktrace_prog p = { 0 };

		p.insns = (void *)((u8 *)b + h->insn_off);
		p.ninsns = h->insn_cnt;
		p.strtab = (char *)b + h->strtab_off;
		p.strtab_size = h->strtab_cnt;
		p.vars = (void *)((u8 *)b + h->var_off);
		p.nvars = h->var_cnt;
		p.aggs = (void *)((u8 *)b + h->agg_off);
		p.naggs = h->agg_cnt;
		for (i = 0; i < ARRAY_SIZE(want); i++) {
			ktrace_disasm_insn(buf, sizeof(buf), &p.insns[i], &p);
			ASSERT_STREQ(want[i], buf);
		}
		free(b);
	}
	{
		struct ktrace_insn in = { .op = 0xee, .rd = 1, .imm = -3 };

		ktrace_disasm_insn(buf, sizeof(buf), &in, NULL);
		ASSERT_STREQ(".insn 0xee, 1, 0, 0, -3", buf);
		in.op = KTRACE_OP_LDG;
		ktrace_disasm_insn(buf, sizeof(buf), &in, NULL);
		ASSERT_STREQ("ldg   %r1, var4294967293", buf);
		ASSERT_EQ(5, ktrace_disasm_insn(buf, 4, &(struct ktrace_insn){ .op = KTRACE_OP_POPTS }, NULL));
		ASSERT_STREQ("pop", buf);
		/* a declared array's element and address, uregs[R] */
		in = (struct ktrace_insn){ .op = KTRACE_OP_LDGX, .rd = 1, .rs1 = 2, .imm = 3 };
		ktrace_disasm_insn(buf, sizeof(buf), &in, NULL);
		ASSERT_STREQ("ldgx  %r1, var3[%r2]", buf);
		in.op = KTRACE_OP_STGX;
		ktrace_disasm_insn(buf, sizeof(buf), &in, NULL);
		ASSERT_STREQ("stgx  var3[%r1], %r2", buf);
		in.op = KTRACE_OP_ADRG;
		ktrace_disasm_insn(buf, sizeof(buf), &in, NULL);
		ASSERT_STREQ("adrg  %r1, &var3", buf);
		in = (struct ktrace_insn){ .op = KTRACE_OP_LDB, .rd = 1, .imm = KTRACE_VAR_UREGS + 16 };
		ktrace_disasm_insn(buf, sizeof(buf), &in, NULL);
		ASSERT_STREQ("ldb   %r1, uregs[16]", buf);
	}
	ASSERT_STREQ("divide-by-zero", ktrace_fault_name(KTRACE_FAULT_DIVZERO));
	ASSERT_STREQ("stringof", ktrace_subr_name(KTRACE_SUBR_KSTRING));
	ASSERT_STREQ("walltimestamp", ktrace_builtin_name(KTRACE_VAR_WALLTIMESTAMP));
	ASSERT_NULL(ktrace_op_name(0xff));
}

TEST_F(vm, vlog_truncates_safely)
{
	char buf[16];
	struct ktrace_vlog l = { .buf = buf, .size = sizeof(buf) };

	ktrace_vlog(&l, "insn %u: %s\n", 1, "a very long reason indeed");
	ASSERT_EQ(15U, l.used);
	ASSERT_EQ(0, buf[15]);
	ktrace_vlog(&l, "more");
	ASSERT_EQ(15U, l.used);
}

TEST_HARNESS_MAIN
