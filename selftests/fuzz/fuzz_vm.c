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
 *
 * Verifier cost: an input starting with 'V' is a recipe for a big object
 * (up to KTRACE_MAX_INSNS instructions and KTRACE_MAX_CLAUSES clauses,
 * shared or distinct ranges, nops, branches into a loop nest, nested
 * loops or a mix driven by the input) that is only loaded: its load time
 * must stay bounded (rule 17), and the worst seen is printed at exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "env_host.h"
#include "bigobj.h"

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
	/* aggregation 9: one string key, what aggb of a string built-in and aggks take */
	t->agg[t_agg(t, "y", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0)].key_types[0] = KTRACE_TYPE_STRING;
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

static double worst_secs;
static u32 worst_ni, worst_ncl, worst_shape;

static void report_worst(void)
{
	fprintf(stderr, "# worst verification time seen: %.3f s (%u instructions, %u clauses, shape %u)\n",
		worst_secs, worst_ni, worst_ncl, worst_shape);
}

/* Build the object a 'V' input describes. */
static void cost_object(struct bigobj *o, const u8 *d, size_t size, u32 *shapep)
{
	u32 n = 2 + (u32)(d[1] | d[2] << 8) % (KTRACE_MAX_INSNS - 1);
	u32 ncl = 1 + (u32)(d[3] | d[4] << 8) % KTRACE_MAX_CLAUSES;
	u32 shape = d[5] % 4, distinct = d[6] & 1, i;
	const u8 *mix = d + 7;
	size_t nmix = size - 7;

	bigobj_nops(o, n, ncl, 0);
	for (i = 0; i < ncl; i++) {
		o->cl[i].body_start = distinct ? i % (n - 1) : 0;
		o->cl[i].body_len = n - o->cl[i].body_start;
	}
	for (i = 0; i + 1 < n; i++) {
		u32 half = (n - 1) / 2;

		switch (shape) {
		case 1:		/* forward branches to one head, loops back to it */
			if (i < half)
				bigobj_insn(o, i, KTRACE_OP_BA, half);
			else if (i > half)
				bigobj_insn(o, i, KTRACE_OP_LOOP, half);
			break;
		case 2:		/* loops nested as deep as the function allows */
			if (i >= n - 1 - i && i < n - 1)
				bigobj_insn(o, i, KTRACE_OP_LOOP, n - 2 - i);
			break;
		case 3:		/* the input's pattern: nop, forward branch, back-edge */
			if (!nmix)
				break;
			switch (mix[i % nmix] % 3) {
			case 1:
				bigobj_insn(o, i, KTRACE_OP_BA,
					    i + 1 + mix[(i + 1) % nmix] % (n - 1 - i));
				break;
			case 2:
				if (i)
					bigobj_insn(o, i, KTRACE_OP_LOOP, mix[(i + 1) % nmix] % i);
				break;
			}
			break;
		}
	}
	*shapep = shape;
}

static void verify_cost(const u8 *data, size_t size)
{
	struct timespec t0, t1;
	struct bigobj o;
	struct tenv te;
	u32 bsize, shape;
	void *blob;
	double secs;

	cost_object(&o, data, size, &shape);
	blob = bigobj_blob(&o, &bsize);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tenv_load_blob(&te, blob, bsize, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (secs > worst_secs) {
		if (!worst_secs)
			atexit(report_worst);
		worst_secs = secs;
		worst_ni = o.ni;
		worst_ncl = o.ncl;
		worst_shape = shape;
	}
	tenv_free(&te);
	free(blob);
	bigobj_free(&o);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct tobj t;
	struct ktrace_opts o = { .insn_budget = 20000, .maxloops = 2000 };
	struct tenv te;
	void *blob;
	u32 bsize;
	u32 magic = KTRACE_OBJ_MAGIC;

	if (size >= 7 && data[0] == 'V') {
		verify_cost(data, size);
		return 0;
	}
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
