// SPDX-License-Identifier: GPL-2.0
/*
 * bench_interp: host benchmark of the interpreter (the very code the
 * module runs), built -O2 without sanitizers, broken down per phase of a
 * firing.  Each case is a small clause run N times on one VM arena (as
 * the dispatcher does per firing: ktrace_vm_firing_begin, then the
 * predicate and body); the phases are differences between cases that
 * add one step at a time:
 *
 *   empty          ret                           a run's fixed cost
 *   ldb_pid        ldb pid                       + an integer built-in
 *   ldb_execname   ldb execname                  + execname copied to scratch
 *   push_int       ldb pid; push int; popts      + a tuple push (int)
 *   push_str       ldb execname; push str; popts + a tuple push (string: strlen)
 *   agg_nokey      agg @ = count()               + an aggregation without key
 *   b1             @[execname] = count()         (B1's clause: ldb, push, agg)
 *   b2             @[pid] = count()              (B2's clause: ldb, push, agg)
 *   b1_pushb       B1 with pushb: pushb execname; agg
 *   b2_pushb       B2 likewise: pushb pid; agg
 *   b1_aggb        B1 as the compiler emits it now: aggb @[execname]
 *   b2_aggb        B2 likewise: aggb @[pid]
 *   b9             B9's clause as the compiler emits it: @[args[1]->dev_statname]
 *                  = count() (arg1 -> q -> disk -> disk_name in fake kernel memory:
 *                  two ldk, then aggks, the name read straight into the key)
 *   b9_call        B9 as it was before aggks: stringof, push of the string, agg
 *   b9_ldk         its two ldk and an integer key (the pointer): the loads' share
 *   b9_str         its two ldk and stringof, no aggregation: the string's share
 *   keys_16        aggb @[arg0 % 16] = count(): the base of keys_*
 *   b3             self->ts = timestamp; then /self->ts/ { @ = quantize(timestamp -
 *                  self->ts); self->ts = 0; }    (B3's two clauses, one firing each)
 *   ldt            self->ts read (absent)        a dynamic variable lookup
 *   keys_100k      aggb @[arg0 % 100000] = count(): 100,000 keys (B13)
 *   keys_1m        aggb @[arg0 % 1000000] = count(): 1,000,000 keys (B13M)
 *   alu            1000-iteration loop           dispatch per instruction
 *
 * Usage: bench_interp [N] [CASE...]   (N firings per case, default 2000000;
 * the alu case runs N/200 firings of 6000 instructions).  One line per
 * case: "CASE ns=X insns=Y" (ns per firing, VM instructions per firing),
 * then the phase table.  selftests/bench-host/ir.sh runs the cases under
 * cachegrind to count machine instructions, memory references and
 * indirect branches per firing: what QEMU TCG (make bench's guest) pays
 * for, where native time hides it in caches and branch predictors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* ---- the cases' programs ---- */

static void mk_empty(void)
{
	I(RET, 0, 0, 0, 0);
}

static void mk_ldb_pid(void)
{
	I(LDB, 1, 0, 0, KTRACE_VAR_PID);
	I(RET, 0, 0, 0, 0);
}

static void mk_ldb_execname(void)
{
	I(LDB, 1, 0, 0, KTRACE_VAR_EXECNAME);
	I(RET, 0, 0, 0, 0);
}

static void mk_push_int(void)
{
	I(LDB, 1, 0, 0, KTRACE_VAR_PID);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(POPTS, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
}

static void mk_push_str(void)
{
	I(LDB, 1, 0, 0, KTRACE_VAR_EXECNAME);
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(POPTS, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
}

static void mk_agg_nokey(void)
{
	t_agg(&t, "c", KTRACE_AGG_COUNT, 0, 0, 0, 0, 0);
	I(AGG, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
}

/* B9's translator chain: arg1 (the request) -> q -> disk -> &disk_name in %r1 */
static void b9_chain(void)
{
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG1);
	I(LDK, 1, 1, 0, 8);
#ifdef KTRACE_LD_IMM
	I(LDK, 1, 1, 0, KTRACE_LD_IMM(8, 104));	/* the member's offset in the load */
#else
	I(ADDI, 1, 1, 0, 104);
	I(LDK, 1, 1, 0, 8);
#endif
	I(ADDI, 1, 1, 0, 12);
}

/* ... and stringof(disk_name, 32) into %r1 */
static void b9_stringof(void)
{
	b9_chain();
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(SETI, 2, 0, 0, 32);
	I(PUSH, 0, 2, 0, KTRACE_TT_INT);
	I(CALL, 1, 0, 0, KTRACE_SUBR_KSTRING);
}

/* B9's clause before aggks: stringof, push, agg */
static void mk_b9_call(void)
{
	t_agg(&t, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);
	t.agg[0].key_types[0] = KTRACE_TYPE_STRING;
	b9_stringof();
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(AGG, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
}

/* B9's clause: @[args[1]->dev_statname] = count() as the compiler emits it
 * (ktrace -S); main() puts the request, queue and disk in host_kmem */
static void mk_b9(void)
{
#ifdef KTRACE_AGGKS_IMM
	t_agg(&t, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);
	t.agg[0].key_types[0] = KTRACE_TYPE_STRING;
	b9_chain();
	I(AGGKS, 1, 0, 0, KTRACE_AGGKS_IMM(0, 32));
	I(RET, 0, 0, 0, 0);
#else
	mk_b9_call();
#endif
}

/* its loads only: the pointer to the name as an integer key */
static void mk_b9_ldk(void)
{
	t_agg(&t, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);
	b9_chain();
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(AGG, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
}

/* its loads and stringof, no aggregation */
static void mk_b9_str(void)
{
	b9_stringof();
	I(RET, 0, 0, 0, 0);
}

static void mk_b1(void)
{
	t_agg(&t, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);
	t.agg[0].key_types[0] = KTRACE_TYPE_STRING;
	I(LDB, 1, 0, 0, KTRACE_VAR_EXECNAME);
	I(PUSH, 0, 1, 0, KTRACE_TT_STR);
	I(AGG, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
}

/*
 * pushb and aggb came with KTRACE_AGGB_IMM: without them (the sources of
 * an older tree, to compare with) those cases are left out.
 */
#ifdef KTRACE_AGGB_IMM
static void mk_b1_pushb(void)
{
	t_agg(&t, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);
	t.agg[0].key_types[0] = KTRACE_TYPE_STRING;
	I(PUSHB, 0, 0, 0, KTRACE_VAR_EXECNAME);
	I(AGG, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
}

static void mk_b2_pushb(void)
{
	t_agg(&t, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);
	I(PUSHB, 0, 0, 0, KTRACE_VAR_PID);
	I(AGG, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
}

static void mk_b1_aggb(void)
{
	t_agg(&t, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);
	t.agg[0].key_types[0] = KTRACE_TYPE_STRING;
	I(AGGB, 0, 0, 0, KTRACE_AGGB_IMM(0, KTRACE_VAR_EXECNAME));
	I(RET, 0, 0, 0, 0);
}

static void mk_b2_aggb(void)
{
	t_agg(&t, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);
	I(AGGB, 0, 0, 0, KTRACE_AGGB_IMM(0, KTRACE_VAR_PID));
	I(RET, 0, 0, 0, 0);
}

#endif

static void mk_b2(void)
{
	t_agg(&t, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);
	I(LDB, 1, 0, 0, KTRACE_VAR_PID);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(AGG, 0, 0, 0, 0);
	I(RET, 0, 0, 0, 0);
}

static void mk_b3(void)
{
	u32 p;

	t_var(&t, "ts", KTRACE_SCOPE_TLS, KTRACE_TYPE_INT, 0);
	t_agg(&t, "q", KTRACE_AGG_QUANTIZE, 0, 0, 0, 0, 0);
	/* clause 0: syscall::read:entry { self->ts = timestamp; } */
	I(LDB, 1, 0, 0, KTRACE_VAR_TIMESTAMP);
	I(STT, 0, 1, 0, 0);
	I(RET, 0, 0, 0, 0);
	t_clause(&t, 0, 0, 0, 3);
	/* clause 1: syscall::read:return /self->ts/ { ... } */
	p = I(LDT, 1, 0, 0, 0);
	I(RET, 0, 1, 0, 0);
	I(LDB, 1, 0, 0, KTRACE_VAR_TIMESTAMP);
	I(LDT, 2, 0, 0, 0);
	I(SUB, 1, 1, 2, 0);
	I(AGG, 0, 1, 0, 0);
	I(SETI, 1, 0, 0, 0);
	I(STT, 0, 1, 0, 0);
	I(RET, 0, 0, 0, 0);
	t_clause(&t, p, 2, p + 2, 7);
}

static void mk_ldt(void)
{
	t_var(&t, "ts", KTRACE_SCOPE_TLS, KTRACE_TYPE_INT, 0);
	I(LDT, 1, 0, 0, 0);
	I(RET, 0, 1, 0, 0);
}

/* @[arg0 % K] = count(), as the compiler emits it */
static void mk_keys(void)
{
	t_agg(&t, "c", KTRACE_AGG_COUNT, 1, 0, 0, 0, 0);
#ifdef KTRACE_AGGB_IMM
	I(AGGB, 0, 0, 0, KTRACE_AGGB_IMM(0, KTRACE_VAR_ARG0));
#else
	I(LDB, 1, 0, 0, KTRACE_VAR_ARG0);
	I(PUSH, 0, 1, 0, KTRACE_TT_INT);
	I(AGG, 0, 0, 0, 0);
#endif
	I(RET, 0, 0, 0, 0);
}

static void mk_alu(void)
{
	/* 1000 iterations of 6 insns */
	I(SETI, 1, 0, 0, 0);
	I(SETI, 2, 0, 0, 0);
	I(ADDI, 1, 1, 0, 1);	/* head */
	I(XOR, 2, 2, 1, 0);
	I(SETI, 3, 0, 0, 1000);
	I(SLT, 4, 1, 3, 0);
	I(BZ, 0, 4, 0, 8);
	I(LOOP, 0, 0, 0, 2);
	I(RET, 0, 2, 0, 0);
}

struct bcase {
	const char	*name;
	void		(*build)(void);
	u32		nclauses;	/* clauses run per firing, in order */
	u64		keys;		/* arg0 = firing % keys (0: the firing number) */
	size_t		aggsize;	/* 0: the arena's */
	u32		ndiv;		/* firings = N / ndiv */
	double		ns, insns;	/* results */
	int		ran;
};

static struct bcase cases[] = {
	{ "empty",	  mk_empty,	   1, 0, 0, 1 },
	{ "ldb_pid",	  mk_ldb_pid,	   1, 0, 0, 1 },
	{ "ldb_execname", mk_ldb_execname, 1, 0, 0, 1 },
	{ "push_int",	  mk_push_int,	   1, 0, 0, 1 },
	{ "push_str",	  mk_push_str,	   1, 0, 0, 1 },
	{ "agg_nokey",	  mk_agg_nokey,	   1, 0, 0, 1 },
	{ "b1",		  mk_b1,	   1, 0, 0, 1 },
	{ "b9",		  mk_b9,	   1, 0, 0, 1 },
	{ "b9_call",	  mk_b9_call,	   1, 0, 0, 1 },
	{ "b9_ldk",	  mk_b9_ldk,	   1, 0, 0, 1 },
	{ "b9_str",	  mk_b9_str,	   1, 0, 0, 1 },
	{ "b2",		  mk_b2,	   1, 0, 0, 1 },
#ifdef KTRACE_AGGB_IMM
	{ "b1_pushb",	  mk_b1_pushb,	   1, 0, 0, 1 },
	{ "b2_pushb",	  mk_b2_pushb,	   1, 0, 0, 1 },
	{ "b1_aggb",	  mk_b1_aggb,	   1, 0, 0, 1 },
	{ "b2_aggb",	  mk_b2_aggb,	   1, 0, 0, 1 },
#endif
	{ "keys_16",	  mk_keys,	   1, 16, 0, 1 },
	{ "b3",		  mk_b3,	   2, 0, 0, 1 },
	{ "ldt",	  mk_ldt,	   1, 0, 0, 1 },
	{ "keys_100k",	  mk_keys,	   1, 100000, 8UL << 20, 1 },
	{ "keys_1m",	  mk_keys,	   1, 1000000, 64UL << 20, 1 },
	{ "alu",	  mk_alu,	   1, 0, 0, 200 },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static struct bcase *find(const char *name)
{
	u32 i;

	for (i = 0; i < NCASES; i++)
		if (!strcmp(cases[i].name, name))
			return &cases[i];
	return NULL;
}

static void run_case(struct bcase *bc, u64 n)
{
	struct ktrace_opts o = { .maxloops = 1U << 24, .insn_budget = KTRACE_MAX_BUDGET };
	struct tenv te;
	u64 i, r, total = 0;
	double t0 = 0;
	void *big = NULL;
	u32 c;

	tobj_init(&t);
	bc->build();
	if (!t.ncl)
		t_clause(&t, 0, 0, 0, t.ni);
	if (tenv_load(&te, &t, &o)) {
		fprintf(stderr, "%s: load: %s", bc->name, te.log);
		exit(1);
	}
	if (bc->aggsize) {
		big = aligned_alloc(64, bc->aggsize);
		if (!big) {
			fprintf(stderr, "%s: no memory for the aggregation\n", bc->name);
			exit(1);
		}
		te.ab.hdr = big;
		te.ab.size = bc->aggsize;
		ktrace_aggbuf_reset(&te.ab);
	}
	n = n / bc->ndiv + 2;
	for (i = 0; i < n; i++) {
		te.fire.args[0] = bc->keys ? i % bc->keys : i;
		te.fire.args[1] = HOST_KBASE;
		ktrace_vm_firing_begin(&te.vm, &te.fire);
		for (c = 0; c < bc->nclauses; c++) {
			const struct ktrace_clause_desc *cd = &te.prog->clauses[c];

			te.vm.rec_used = 0;
			if (cd->pred_len) {
				if (ktrace_vm_run(&te.vm, cd->pred_start, &r))
					goto fault;
				if (!r)
					continue;
				te.vm.in_clause = 1;
			}
			if (ktrace_vm_run(&te.vm, cd->body_start, &r))
				goto fault;
		}
		total += te.vm.insns;
		if (i == 0)
			t0 = now();	/* the first firing warms up */
	}
	bc->ns = (now() - t0) * 1e9 / (n - 1);
	bc->insns = (double)total / n;
	bc->ran = 1;
	if (te.ab.hdr->drops) {
		fprintf(stderr, "%s: %llu aggregation drops\n", bc->name,
			(unsigned long long)te.ab.hdr->drops);
		exit(1);
	}
	printf("%-13s ns=%.1f insns=%.0f\n", bc->name, bc->ns, bc->insns);
	fflush(stdout);
	tenv_free(&te);
	free(big);
	return;
fault:
	fprintf(stderr, "%s: fault %u at %u\n", bc->name, te.vm.fault, te.vm.fault_pc);
	exit(1);
}

/* one phase: a - b (ns), when both cases ran */
static void phase(const char *what, const char *a, const char *b)
{
	struct bcase *x = find(a), *y = b ? find(b) : NULL;

	if (!x || !x->ran || (b && (!y || !y->ran)))
		return;
	printf("  %-52s %7.1f ns  (%s%s%s)\n", what, x->ns - (y ? y->ns : 0), a,
	       b ? " - " : "", b ? b : "");
}

int main(int argc, char **argv)
{
	u64 n = argc > 1 ? strtoull(argv[1], NULL, 0) : 2000000;
	struct bcase *bc;
	int i;
	u32 k;

	host_execname = "rdloop";	/* make bench's read loop */
	{	/* B9's request -> queue -> disk -> "nullb0" in fake kernel memory */
		u64 q = HOST_KBASE + 256, d = HOST_KBASE + 512;

		memcpy(host_kmem, &q, 8);
		memcpy(host_kmem + 256 + 104, &d, 8);
		memcpy(host_kmem + 512 + 12, "nullb0", 7);
	}
	if (argc > 1 && !n) {
		fprintf(stderr, "usage: bench_interp [N] [CASE...]\n");
		return 2;
	}
	for (i = 2; i < argc; i++)
		if (!find(argv[i])) {
			fprintf(stderr, "bench_interp: no case '%s'\n", argv[i]);
			return 2;
		}
	for (k = 0; k < NCASES; k++) {
		bc = &cases[k];
		if (argc > 2) {
			for (i = 2; i < argc && strcmp(argv[i], bc->name); i++)
				;
			if (i == argc)
				continue;
		}
		run_case(bc, n);
	}
	printf("phases (ns per firing, differences of the cases above):\n");
	bc = find("alu");
	if (bc->ran)
		printf("  %-52s %7.2f ns  (alu / insns)\n", "dispatch, per VM instruction",
		       bc->ns / bc->insns);
	phase("run: firing_begin + vm_run's entry and exit", "empty", NULL);
	phase("integer built-in (pid)", "ldb_pid", "empty");
	phase("execname copied to scratch", "ldb_execname", "empty");
	phase("int tuple push (+ popts)", "push_int", "ldb_pid");
	phase("string tuple push: strlen (+ popts)", "push_str", "ldb_execname");
	phase("aggregation, no key: lookup + count", "agg_nokey", "empty");
	phase("string key: encode + hash + lookup + count", "b1", "push_str");
	phase("int key: encode + hash + lookup + count", "b2", "push_int");
	phase("B1 saved by pushb (ldb + push -> pushb)", "b1", "b1_pushb");
	phase("B2 saved by pushb", "b2", "b2_pushb");
	phase("B1 saved by aggb (pushb + agg -> aggb)", "b1_pushb", "b1_aggb");
	phase("B2 saved by aggb", "b2_pushb", "b2_aggb");
	phase("self-> lookup (absent: hash + lock + walk)", "ldt", "empty");
	phase("B3 pair: 2 runs, 3 self-> ops, quantize", "b3", NULL);
	phase("int key, 100,000 keys in the table (vs 16)", "keys_100k", "keys_16");
	phase("int key, 1,000,000 keys in the table (vs 16)", "keys_1m", "keys_16");
	return 0;
}
