// SPDX-License-Identifier: GPL-2.0
/* mkcorpus: writes the seed corpus of fuzz_vm (valid hand-made objects). */
#include <stdio.h>
#include <stdlib.h>
#include "env_host.h"

#define I(op, rd, rs1, rs2, imm) t_i(&t, KTRACE_OP_##op, rd, rs1, rs2, imm)

static void save(const char *dir, const char *name, const void *b, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b, 1, n, f) != n)
		exit(1);
	fclose(f);
}

static void save_obj(const char *dir, const char *name, struct tobj *t)
{
	u32 n;
	void *b;

	if (!t->ncl)
		t_clause(t, 0, 0, 0, t->ni);
	b = tobj_blob(t, &n);
	save(dir, name, b, n);
	free(b);
}

int main(int argc, char **argv)
{
	static struct tobj t;
	const char *dir = argc > 1 ? argv[1] : ".";

	/* count() by execname, with a predicate */
	tobj_init(&t);
	t_agg(&t, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);
	t.agg[0].key_types[0] = KTRACE_TYPE_STRING;
	I(LDB, 1, 0, 0, KTRACE_VAR_PID);
	I(RET, 0, 1, 0, 0);
	I(LDB, 1, 0, 0, KTRACE_VAR_EXECNAME);
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(AGG, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	t_clause(&t, 0, 2, 2, 4);
	save_obj(dir, "obj_count_execname", &t);

	/* loop summing args + printf */
	tobj_init(&t);
	t_act(&t, KTRACE_ACT_PRINTF, 2);
	I(SETI, 1, 0, 0, 0);
	I(SETI, 2, 0, 0, 0);
	I(LDARG, 3, 1, 0, 0);
	I(ADD, 2, 2, 3, 0);
	I(ADDI, 1, 1, 0, 1);
	I(SETI, 4, 0, 0, 10);
	I(SLTU, 5, 1, 4, 0);
	I(BZ, 0, 5, 0, 9);
	I(LOOP, 0, 0, 0, 2);
	I(SETS, 6, 0, 0, t_str(&t, "sum %d\n"));
	I(PUSH, 0, 6, 0, KTRACE_TT_STR);
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);
	I(ACT, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	save_obj(dir, "obj_loop_printf", &t);

	/* self-> and assoc arrays, strings */
	tobj_init(&t);
	t_var(&t, "ts", KTRACE_SCOPE_TLS, KTRACE_TYPE_INT, 0);
	t_var(&t, "a", KTRACE_SCOPE_GARRAY, KTRACE_TYPE_STRING, 1);
	I(LDB, 1, 0, 0, KTRACE_VAR_TIMESTAMP);
	I(STT, 0, 1, 0, 0);
	I(LDT, 2, 0, 0, 0);
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);
	I(SETS, 3, 0, 0, t_str(&t, "/usr/lib/../bin/ls"));
	I(PUSH, 0, 3, 0, KTRACE_TT_STR);
	I(CALL, 4, 0, 0, KTRACE_SUBR_CLEANPATH);
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);
	I(STGA, 0, 4, 0, 1);
	I(RET, 0, 0, 0, 0);
	save_obj(dir, "obj_dynvars_strings", &t);

	/* quantize of a kernel load */
	tobj_init(&t);
	t_agg(&t, "q", KTRACE_AGG_QUANTIZE, 0, 0, 0, 0, 0);
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG1);
	I(LDK, 2, 1, 0, 8);
	I(AGG, 0, 2, 0, 0);
	I(RET, 0, 0, 0, 0);
	save_obj(dir, "obj_quantize_ldk", &t);

	/* pushb (ldb + push superinstruction): string and integer keys, printf arguments */
	tobj_init(&t);
	t_agg(&t, "c", KTRACE_AGG_COUNT, 2, 0, 0, 0, 0);
	t.agg[0].key_types[0] = KTRACE_TYPE_STRING;
	t_act(&t, KTRACE_ACT_PRINTF, 3);
	I(PUSHB, 0, 0, 0, KTRACE_VAR_EXECNAME);
	I(PUSHB, 0, 0, 0, KTRACE_VAR_PID);
	I(AGG, 0, 0, 0, 0);
	I(SETS, 1, 0, 0, t_str(&t, "%s %s\n"));
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(PUSHB, 0, 0, 0, KTRACE_VAR_PROBEFUNC);
	I(PUSHB, 0, 0, 0, KTRACE_VAR_EXECNAME);
	I(ACT, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
	save_obj(dir, "obj_pushb_keys_printf", &t);

	/* aggb (pushb + agg superinstruction): string and integer built-in keys */
	tobj_init(&t);
	t_agg(&t, "s", KTRACE_AGG_SUM, 1, 0, 0, 0, 0);
	t.agg[0].key_types[0] = KTRACE_TYPE_STRING;
	t_agg(&t, "q", KTRACE_AGG_QUANTIZE, 1, 0, 0, 0, 0);
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG1);
	I(AGGB, 0, 1, 0, KTRACE_AGGB_IMM(0, KTRACE_VAR_EXECNAME));
	I(AGGB, 0, 1, 1, KTRACE_AGGB_IMM(1, KTRACE_VAR_ARG0));
	I(AGGB, 0, 1, 0, KTRACE_AGGB_IMM(0, KTRACE_VAR_PROBEFUNC));
	I(RET, 0, 0, 0, 0);
	save_obj(dir, "obj_aggb", &t);

	/* template-mode seeds: bare instruction streams */
	{
		struct ktrace_insn s1[] = {
			{ KTRACE_OP_LDB, 1, 0, 0, KTRACE_VAR_ARG0 },
			{ KTRACE_OP_PUSH, 0, 1, 0, KTRACE_TT_INT },
			{ KTRACE_OP_AGG, 0, 1, 0, 1 },
			{ KTRACE_OP_SETS, 2, 0, 0, 1 },
			{ KTRACE_OP_PUSH, 0, 2, 0, KTRACE_TT_STR },
			{ KTRACE_OP_SETS, 3, 0, 0, 18 },
			{ KTRACE_OP_PUSH, 0, 3, 0, KTRACE_TT_STR },
			{ KTRACE_OP_CALL, 4, 0, 0, KTRACE_SUBR_STRTOK },
			{ KTRACE_OP_PUSH, 0, 4, 0, KTRACE_TT_STR },
			{ KTRACE_OP_ACT, 0, 0, 0, 0 },
			{ KTRACE_OP_RET, 0, 0, 0, 0 },
		};
		struct ktrace_insn s2[] = {
			{ KTRACE_OP_NOP, 0, 0, 0, 2 },
			{ KTRACE_OP_LDB, 1, 0, 0, KTRACE_VAR_PID },
			{ KTRACE_OP_RET, 0, 1, 0, 0 },
			{ KTRACE_OP_LDB, 1, 0, 0, KTRACE_VAR_ARG2 },
			{ KTRACE_OP_PUSH, 0, 1, 0, KTRACE_TT_INT },
			{ KTRACE_OP_CALL, 2, 0, 0, KTRACE_SUBR_COPYINSTR },
			{ KTRACE_OP_STT, 0, 2, 0, 3 },
			{ KTRACE_OP_RET, 0, 0, 0, 0 },
		};

		struct ktrace_insn s3[] = {
			{ KTRACE_OP_PUSHB, 0, 0, 0, KTRACE_VAR_EXECNAME },
			{ KTRACE_OP_PUSHB, 0, 0, 0, KTRACE_VAR_ARG0 },
			{ KTRACE_OP_AGG, 0, 0, 0, 1 },
			{ KTRACE_OP_PUSHB, 0, 0, 0, KTRACE_VAR_PROBENAME },
			{ KTRACE_OP_CALL, 1, 0, 0, KTRACE_SUBR_STRLEN },
			{ KTRACE_OP_RET, 0, 1, 0, 0 },
		};

		save(dir, "ins_agg_strtok", s1, sizeof(s1));
		struct ktrace_insn s4[] = {
			{ KTRACE_OP_LDB, 1, 0, 0, KTRACE_VAR_ARG1 },
			{ KTRACE_OP_AGGB, 0, 1, 0, KTRACE_AGGB_IMM(1, KTRACE_VAR_ARG0) },
			{ KTRACE_OP_AGGB, 0, 0, 0, KTRACE_AGGB_IMM(9, KTRACE_VAR_EXECNAME) },
			{ KTRACE_OP_AGGB, 0, 1, 1, KTRACE_AGGB_IMM(7, KTRACE_VAR_PID) },
			{ KTRACE_OP_RET, 0, 0, 0, 0 },
		};

		save(dir, "ins_pushb", s3, sizeof(s3));
		save(dir, "ins_aggb", s4, sizeof(s4));
		/* aggks: kernel strings at arg0 and arg1 as aggregation 9's key */
		struct ktrace_insn s5[] = {
			{ KTRACE_OP_LDB, 1, 0, 0, KTRACE_VAR_ARG0 },
			{ KTRACE_OP_LDB, 2, 0, 0, KTRACE_VAR_ARG1 },
			{ KTRACE_OP_AGGKS, 1, 2, 0, KTRACE_AGGKS_IMM(9, 16) },
			{ KTRACE_OP_AGGKS, 2, 0, 0, KTRACE_AGGKS_IMM(9, 0) },
			{ KTRACE_OP_AGGKS, 1, 1, 2, KTRACE_AGGKS_IMM(9, 7) },
			{ KTRACE_OP_RET, 0, 0, 0, 0 },
		};

		save(dir, "ins_aggks", s5, sizeof(s5));
		save(dir, "ins_pred_copyinstr", s2, sizeof(s2));
	}
	return 0;
}
