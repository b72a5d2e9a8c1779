// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_vm: libFuzzer target for the shared VM.
 *
 * Input: either a whole program object (starts with KTRACE_OBJ_MAGIC) or
 * a raw instruction stream that is wrapped into a template object with
 * one variable of every scope and type, one aggregation of every
 * function, a few actions and strings.  Whatever ktrace_prog_load()
 * accepts is run (every clause's predicate and body, several firings)
 * with the host environment in separately allocated arenas, so ASan
 * reports any access outside them; the instruction budget and loop
 * limit bound every run.
 */
#include <stdlib.h>
#include "env_host.h"

static void build_template(struct tobj *t, const u8 *data, size_t size)
{
	size_t n = size / sizeof(struct ktrace_insn);
	u16 f;

	tobj_init(t);
	if (n > ARRAY_SIZE(t->insn))
		n = ARRAY_SIZE(t->insn);
	memcpy(t->insn, data, n * sizeof(struct ktrace_insn));
	t->ni = (u32)n;
	t_int(t, -1);
	t_int(t, (s64)HOST_KBASE);
	t_int(t, (s64)HOST_UBASE);
	t_str(t, "hello/world/../x");
	t_str(t, ",");
	t_var(t, "g", KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_INT, 0);
	t_var(t, "gs", KTRACE_SCOPE_GLOBAL, KTRACE_TYPE_STRING, 0);
	t_var(t, "t", KTRACE_SCOPE_TLS, KTRACE_TYPE_INT, 0);
	t_var(t, "ts", KTRACE_SCOPE_TLS, KTRACE_TYPE_STRING, 0);
	t_var(t, "l", KTRACE_SCOPE_LOCAL, KTRACE_TYPE_INT, 0);
	t_var(t, "ls", KTRACE_SCOPE_LOCAL, KTRACE_TYPE_STRING, 0);
	t_var(t, "a", KTRACE_SCOPE_GARRAY, KTRACE_TYPE_INT, 1);
	t_var(t, "as", KTRACE_SCOPE_GARRAY, KTRACE_TYPE_STRING, 2);
	t_var(t, "ta", KTRACE_SCOPE_TARRAY, KTRACE_TYPE_INT, 1);
	t_var(t, "tas", KTRACE_SCOPE_TARRAY, KTRACE_TYPE_STRING, 1);
	for (f = 0; f < KTRACE_AGGFUNC_NR; f++) {
		u32 a = t_agg(t, "x", f, f % 3, 0, 0, 0, 0);

		t->agg[a].key_types[1] = KTRACE_TYPE_STRING;
		if (f == KTRACE_AGG_LQUANTIZE) {
			t->agg[a].params[0] = -10;
			t->agg[a].params[1] = 100;
			t->agg[a].params[2] = 7;
		} else if (f == KTRACE_AGG_LLQUANTIZE) {
			t->agg[a].params[0] = 2;
			t->agg[a].params[1] = 0;
			t->agg[a].params[2] = 62;
			t->agg[a].params[3] = 4;
		}
	}
	t_act(t, KTRACE_ACT_TRACE, 1);
	t_act(t, KTRACE_ACT_PRINTF, 2);
	t_act(t, KTRACE_ACT_EXIT, 1);
	t_act(t, KTRACE_ACT_STACK, 1);
	t_act(t, KTRACE_ACT_NONE, 0);
	t_act(t, KTRACE_ACT_COMMIT, 1);
	if (n) {
		/* split in predicate + body when the first insn is a nop */
		if (n > 2 && t->insn[0].op == KTRACE_OP_NOP && t->insn[0].imm > 0 &&
		    (size_t)t->insn[0].imm < n)
			t_clause(t, 1, t->insn[0].imm, 1 + t->insn[0].imm,
				 (u32)n - 1 - t->insn[0].imm);
		else
			t_clause(t, 0, 0, 0, (u32)n);
	}
}

static u8 raw[64];

static void run_all(struct tenv *te)
{
	u32 c, fire;
	u64 r;

	for (fire = 0; fire < 3; fire++) {
		te->fire.args[0] = fire;
		te->fire.args[1] = HOST_KBASE + 8 * fire;
		te->fire.args[2] = HOST_UBASE + 100;
		te->fire.args[3] = (u64)-1;
		te->fire.raw = raw;
		te->fire.raw_size = sizeof(raw);
		host_thread_key = 0x1000 + fire % 2;
		for (c = 0; c < te->prog->nclauses; c++) {
			te->vm.exit_req = 0;
			tenv_run(te, c, &r);
		}
		ktrace_dynvars_clean(te->rt.dynvars);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct tobj t;
	struct ktrace_opts o = { .insn_budget = 20000, .maxloops = 2000 };
	struct tenv te;
	void *blob;
	u32 bsize;
	u32 magic = KTRACE_OBJ_MAGIC;

	if (size >= 4 && !memcmp(data, &magic, 4)) {
		if (size > (1U << 20))
			return 0;
		blob = malloc(size ? size : 1);
		memcpy(blob, data, size);
		bsize = (u32)size;
	} else {
		build_template(&t, data, size);
		blob = tobj_blob(&t, &bsize);
	}
	if (size > 0)
		o.strsize = (data[size - 1] & 1) ? 16 : 0;
	if (!tenv_load_blob(&te, blob, bsize, &o))
		run_all(&te);
	tenv_free(&te);
	free(blob);
	return 0;
}
