// SPDX-License-Identifier: GPL-2.0
/*
 * verify.c: the verifier.  ktrace_verify() checks every function (each
 * clause's predicate and body) of a parsed object before anything runs.
 *
 * The rules, numbered as docs/bytecode.md numbers them.  A rejection
 * appends "insn N: reason (values)\n" to the user's log (never to the
 * kernel log) and fails with -EINVAL (malformed: rules 1-8, 18, 19) or -EACCES
 * (unsafe: rules 9-16):
 *
 *  1. Every opcode is one of KTRACE_OPS.
 *  2. Every register field used by the format is < KTRACE_NREGS.
 *  3. Every field the format does not use (registers, imm) is zero.
 *  4. No instruction writes %r0.
 *  5. Immediates are valid for the op: load sizes 1/2/4/8 (+ signed bit
 *     for loads), sext/zext widths 8/16/32, push types KTRACE_TT_*.
 *  6. Every index is in range: setx (ints), sets (string table), ldb
 *     (builtins), call (subroutines), act (actions), agg (aggregations),
 *     variable ops (variables).
 *  7. Every branch target lies inside the branch's function.
 *  8. Every function's last instruction is ret (no fall-through off the
 *     end).
 *  9. Every variable op names a variable of its own scope: ldg/stg a
 *     GLOBAL, ldt/stt a TLS, ldl/stl a LOCAL, ldga/stga a GARRAY,
 *     ldta/stta a TARRAY; ldgx/stgx/adrg a GLOBAL that is a declared
 *     array (nelems > 0), ldg/stg one that is not.
 * 10. ba/bz/bnz branch forward (target > pc).
 * 11. loop branches backward (target < pc); [target, pc] is a loop.
 *     Loops are properly nested: two loops are disjoint or one contains
 *     the other.
 * 12. No branch from outside a loop into its body, except to its head.
 * 13. No register is read before it is written on every path to the
 *     read (dataflow to a fixed point, loops included; %r0 reads 0).
 * 14. The tuple stack depth is at most KTRACE_TUPLE_MAX on every path.
 * 15. call, act, agg and the array variable ops see a tuple depth that
 *     can match what they take (subroutine min..max arguments, the
 *     action's nargs, the aggregation's or array's nkeys) on some path;
 *     when the depth is known exactly it must match.  (The interpreter
 *     checks the exact count again at run time.)
 * 16. A push with a size register (rs2) is a STR push (the size bounds
 *     the string) or a BYTES push (the size is the count); STACK/USTACK/
 *     USAMPLE/INT pushes have rs2 = 0.
 * 17. The verification's work, instruction visits over every pass of
 *     every function, stays under KTRACE_MAX_VERIFY_WORK (-E2BIG).
 * 18. ldb and pushb (the superinstruction for ldb + push) name a
 *     built-in variable (KTRACE_VAR_VALID(imm): a named one or a uregs[R],
 *     R < KTRACE_NUREGS, -EINVAL); pushb pushes one element of
 *     the built-in's own type, so rules 14 and 15 count it as a push.
 * 19. aggb (the superinstruction for pushb + agg) names an aggregation
 *     in range with exactly one key, and a built-in in range whose type
 *     is that key's (STRING for a string built-in, INT otherwise); imm's
 *     bits 24-31 are zero (-EINVAL).  It takes no tuple elements (rule 15
 *     with 0..0) and, like agg, empties the tuple stack.
 * 20. aggks (the superinstruction for stringof + push + agg, the string
 *     read from kernel memory at rd) names an aggregation in range with
 *     exactly one key, of type STRING; imm's bit 31 is zero (-EINVAL).
 *     It reads rd, rs1 and rs2 (rule 13), takes no tuple elements (rule
 *     15 with 0..0) and, like agg, empties the tuple stack.
 *
 * Cost: every pass is linear in the function's length (rule 12 uses the
 * innermost loop around each target that does not start there, found in
 * the same sweep as the nesting), a range shared by several clauses is
 * verified once, and rule 17 bounds the sum, so LOAD's time is bounded
 * whatever the object.  Between passes the verifier yields the CPU, and
 * gives up (-EINTR) when the task is being killed.
 *
 * Context: process context (load time); allocates its work arrays with
 * GFP_KERNEL, owns no shared state, takes no locks.
 */
#include "vm.h"

/* The user's log of a LOAD: prog.c's and the verifier's rejections, mem.c's and ioctl.c's. */
void ktrace_vlog(struct ktrace_vlog *log, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!log || !log->buf || !log->size || log->used + 1 >= log->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(log->buf + log->used, log->size - log->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		log->used = min_t(u32, log->size - 1, log->used + (u32)n);
}

enum ktrace_fmt {
	KTRACE_FMT_N, KTRACE_FMT_RRR, KTRACE_FMT_RRI, KTRACE_FMT_RR,
	KTRACE_FMT_RI, KTRACE_FMT_J, KTRACE_FMT_JR, KTRACE_FMT_VR,
	KTRACE_FMT_VW, KTRACE_FMT_ST, KTRACE_FMT_PU, KTRACE_FMT_CA,
	KTRACE_FMT_AC, KTRACE_FMT_AG, KTRACE_FMT_RET, KTRACE_FMT_PB,
	KTRACE_FMT_AB, KTRACE_FMT_AK, KTRACE_FMT_BAD,
};

static const u8 op_fmt[256] = {
	[0 ... 255] = KTRACE_FMT_BAD,
#define KTRACE_OP_FMT(name, val, mn, fmt) [val] = KTRACE_FMT_##fmt,
	KTRACE_OPS(KTRACE_OP_FMT)
#undef KTRACE_OP_FMT
};

static const u8 subr_nargs[KTRACE_SUBR_MAX][2] = {
#define KTRACE_SUBR_NARGS(name, val, str, mn, mx, rs) [val] = { mn, mx },
	KTRACE_SUBRS(KTRACE_SUBR_NARGS)
#undef KTRACE_SUBR_NARGS
};

/* Per-instruction dataflow state. */
struct vstate {
	u16	init;		/* registers written on every path */
	u8	lo, hi;		/* tuple depth range */
	u8	seen;		/* reached */
};

struct vloop {
	u32	start, end;	/* [head, back-edge] */
};

struct vctx {
	const struct ktrace_prog	*prog;
	struct ktrace_vlog		*log;
	u32				start, end;	/* function [start, end) */
	struct vstate			*st;		/* [end - start] */
	struct vloop			*loops;
	u32				nloops;
	u32				*outer;		/* per insn: innermost loop + 1 around it
							 * that does not start there, 0: none */
	u32				*bystart;	/* loop ids sorted by head */
	u32				*cnt;
	u32				*done;		/* per start insn: length verified + 1 */
	u32				work;		/* rule 17: instruction visits so far */
};

#define REJECT(c, err, pc, fmt, ...) ({					\
	ktrace_vlog((c)->log, "insn %u: " fmt "\n", (pc), ##__VA_ARGS__);	\
	(err);								\
})

/* Registers a format reads / writes, as bitmasks. */
static void insn_regs(const struct ktrace_insn *in, u16 *rd, u16 *wr)
{
	u16 r = 0, w = 0;

	switch (op_fmt[in->op]) {
	case KTRACE_FMT_RRR:
		r = (1U << in->rs1) | (1U << in->rs2);
		w = 1U << in->rd;
		break;
	case KTRACE_FMT_RRI:
	case KTRACE_FMT_RR:
		r = 1U << in->rs1;
		w = 1U << in->rd;
		break;
	case KTRACE_FMT_RI:
	case KTRACE_FMT_VR:
	case KTRACE_FMT_CA:
		w = 1U << in->rd;
		break;
	case KTRACE_FMT_JR:
	case KTRACE_FMT_VW:
	case KTRACE_FMT_RET:
		r = 1U << in->rs1;
		break;
	case KTRACE_FMT_ST:
		r = (1U << in->rd) | (1U << in->rs1);
		break;
	case KTRACE_FMT_PU:
	case KTRACE_FMT_AG:
	case KTRACE_FMT_AB:
		r = (1U << in->rs1) | (1U << in->rs2);
		break;
	case KTRACE_FMT_AK:
		r = (1U << in->rd) | (1U << in->rs1) | (1U << in->rs2);
		break;
	}
	*rd = r;
	*wr = w;
}

/* Rules 2, 3, 4: fields. */
static int check_fields(struct vctx *c, u32 pc, const struct ktrace_insn *in)
{
	/* which of rd, rs1, rs2, imm the format uses: bits 0..3 */
	static const u8 used[] = {
		[KTRACE_FMT_N] = 0, [KTRACE_FMT_RRR] = 7, [KTRACE_FMT_RRI] = 0xb,
		[KTRACE_FMT_RR] = 3, [KTRACE_FMT_RI] = 9, [KTRACE_FMT_J] = 8,
		[KTRACE_FMT_JR] = 0xa, [KTRACE_FMT_VR] = 9, [KTRACE_FMT_VW] = 0xa,
		[KTRACE_FMT_ST] = 0xb, [KTRACE_FMT_PU] = 0xe, [KTRACE_FMT_CA] = 9,
		[KTRACE_FMT_AC] = 8, [KTRACE_FMT_AG] = 0xe, [KTRACE_FMT_RET] = 2,
		[KTRACE_FMT_PB] = 8, [KTRACE_FMT_AB] = 0xe, [KTRACE_FMT_AK] = 0xf,
	};
	u8 fmt = op_fmt[in->op];
	u8 u = used[fmt];
	u16 r, w;

	if ((!(u & 1) && in->rd) || (!(u & 2) && in->rs1) ||
	    (!(u & 4) && in->rs2) || (!(u & 8) && in->imm))
		return REJECT(c, -EINVAL, pc,
			      "unused operand field is not zero (rd %u, rs1 %u, rs2 %u, imm %d)",
			      in->rd, in->rs1, in->rs2, in->imm);
	if (in->rd >= KTRACE_NREGS || in->rs1 >= KTRACE_NREGS || in->rs2 >= KTRACE_NREGS)
		return REJECT(c, -EINVAL, pc, "register out of range (rd %u, rs1 %u, rs2 %u)",
			      in->rd, in->rs1, in->rs2);
	insn_regs(in, &r, &w);
	if (w & 1)
		return REJECT(c, -EINVAL, pc, "write to %%r0");
	return 0;
}

static int check_var(struct vctx *c, u32 pc, const struct ktrace_insn *in,
		     u32 scope)
{
	static const char * const sname[] = {
		"global", "thread-local", "clause-local", "global array",
		"thread-local array",
	};
	const struct ktrace_var_desc *v;

	if ((u32)in->imm >= c->prog->nvars)
		return REJECT(c, -EINVAL, pc, "variable %u out of range (%u variables)",
			      (u32)in->imm, c->prog->nvars);
	v = &c->prog->vars[in->imm];
	if (v->scope != scope)
		return REJECT(c, -EACCES, pc, "%s of variable %u, which is %s, not %s",
			      ktrace_op_name(in->op), (u32)in->imm,
			      v->scope < KTRACE_SCOPE_MAX ? sname[v->scope] : "?",
			      sname[scope]);
	return 0;
}

/* Rule 9: ldgx/stgx/adrg name a declared array, ldg/stg a global that is none. */
static int check_garr(struct vctx *c, u32 pc, const struct ktrace_insn *in, bool array)
{
	int err = check_var(c, pc, in, KTRACE_SCOPE_GLOBAL);

	if (err)
		return err;
	if (!c->prog->vars[in->imm].nelems != !array)
		return REJECT(c, -EACCES, pc, "%s of variable %u, which is %sa declared array",
			      ktrace_op_name(in->op), (u32)in->imm, array ? "not " : "");
	return 0;
}

/* Rule 19: aggb's aggregation and built-in, and the key's type. */
static int check_aggb(struct vctx *c, u32 pc, u32 imm)
{
	static const u8 bi_str[KTRACE_VAR_MAX] = {
#define KTRACE_BI_STR(name, val, str, isstr) [val] = isstr,
		KTRACE_BUILTINS(KTRACE_BI_STR)
#undef KTRACE_BI_STR
	};
	const struct ktrace_prog *p = c->prog;
	u32 agg = KTRACE_AGGB_AGG(imm), var = KTRACE_AGGB_VAR(imm);
	const struct ktrace_agg_desc *ad;
	u8 want;

	if (imm != (u32)KTRACE_AGGB_IMM(agg, var))
		return REJECT(c, -EINVAL, pc, "aggb immediate 0x%x has bits above the built-in", imm);
	if (agg >= p->naggs)
		return REJECT(c, -EINVAL, pc, "aggregation %u out of range (%u aggregations)",
			      agg, p->naggs);
	if (!KTRACE_VAR_VALID(var))
		return REJECT(c, -EINVAL, pc, "aggb of unknown built-in variable %u (%u built-ins)",
			      var, KTRACE_VAR_MAX);
	ad = &p->aggs[agg];
	want = bi_str[var] ? KTRACE_TYPE_STRING : KTRACE_TYPE_INT;
	if (ad->nkeys != 1 || ad->key_types[0] != want)
		return REJECT(c, -EINVAL, pc,
			      "aggb keys aggregation %u (%u keys, first of type %u) on built-in %u (type %u)",
			      agg, ad->nkeys, ad->nkeys ? ad->key_types[0] : 0, var, want);
	return 0;
}

/* Rule 20: aggks's aggregation, its one string key, and imm's free bit. */
static int check_aggks(struct vctx *c, u32 pc, u32 imm)
{
	const struct ktrace_prog *p = c->prog;
	u32 agg = KTRACE_AGGKS_AGG(imm);
	const struct ktrace_agg_desc *ad;

	if (imm != (u32)KTRACE_AGGKS_IMM(agg, KTRACE_AGGKS_MAX(imm)))
		return REJECT(c, -EINVAL, pc, "aggks immediate 0x%x has bit 31 set", imm);
	if (agg >= p->naggs)
		return REJECT(c, -EINVAL, pc, "aggregation %u out of range (%u aggregations)",
			      agg, p->naggs);
	ad = &p->aggs[agg];
	if (ad->nkeys != 1 || ad->key_types[0] != KTRACE_TYPE_STRING)
		return REJECT(c, -EINVAL, pc,
			      "aggks keys aggregation %u (%u keys, first of type %u) on a string",
			      agg, ad->nkeys, ad->nkeys ? ad->key_types[0] : 0);
	return 0;
}

/* Rules 5, 6, 9: immediates and indexes. */
static int check_imm(struct vctx *c, u32 pc, const struct ktrace_insn *in)
{
	const struct ktrace_prog *p = c->prog;
	u32 imm = (u32)in->imm;
	u32 sz = imm & KTRACE_LD_SIZE_MASK;

	switch (in->op) {
	case KTRACE_OP_LDK:
	case KTRACE_OP_LDU:
	case KTRACE_OP_LDS:
	case KTRACE_OP_ST:
		if ((sz != 1 && sz != 2 && sz != 4 && sz != 8) ||
		    (imm & ~(KTRACE_LD_SIZE_MASK | KTRACE_LD_SIGNED) & ((1U << KTRACE_LD_OFF_SHIFT) - 1)) ||
		    (in->op == KTRACE_OP_ST && (imm & ~KTRACE_LD_SIZE_MASK)))
			return REJECT(c, -EINVAL, pc, "bad access size 0x%x", imm);
		break;
	case KTRACE_OP_SEXT:
	case KTRACE_OP_ZEXT:
		if (imm != 8 && imm != 16 && imm != 32)
			return REJECT(c, -EINVAL, pc, "bad extension width %d", in->imm);
		break;
	case KTRACE_OP_SETX:
		if (imm >= p->nints)
			return REJECT(c, -EINVAL, pc, "integer %u out of range (%u integers)",
				      imm, p->nints);
		break;
	case KTRACE_OP_SETS:
		if (imm >= p->strtab_size)
			return REJECT(c, -EINVAL, pc, "string offset %u out of range (%u bytes)",
				      imm, p->strtab_size);
		break;
	case KTRACE_OP_LDB:
		if (!KTRACE_VAR_VALID(imm))
			return REJECT(c, -EINVAL, pc, "built-in variable %u out of range (%u)",
				      imm, KTRACE_VAR_MAX);
		break;
	case KTRACE_OP_PUSHB:
		if (!KTRACE_VAR_VALID(imm))
			return REJECT(c, -EINVAL, pc, "pushb of unknown built-in variable %u (%u built-ins)",
				      imm, KTRACE_VAR_MAX);
		break;
	case KTRACE_OP_AGGB:
		return check_aggb(c, pc, imm);
	case KTRACE_OP_AGGKS:
		return check_aggks(c, pc, imm);
	case KTRACE_OP_CALL:
		if (imm >= KTRACE_SUBR_MAX)
			return REJECT(c, -EINVAL, pc, "subroutine %u out of range (%u)",
				      imm, KTRACE_SUBR_MAX);
		break;
	case KTRACE_OP_ACT:
		if (imm >= p->nactions)
			return REJECT(c, -EINVAL, pc, "action %u out of range (%u actions)",
				      imm, p->nactions);
		break;
	case KTRACE_OP_AGG:
		if (imm >= p->naggs)
			return REJECT(c, -EINVAL, pc, "aggregation %u out of range (%u aggregations)",
				      imm, p->naggs);
		break;
	case KTRACE_OP_PUSH:
		if (imm >= KTRACE_TT_MAX)
			return REJECT(c, -EINVAL, pc, "bad tuple type %u", imm);
		if (in->rs2 && imm != KTRACE_TT_STR && imm != KTRACE_TT_BYTES)
			return REJECT(c, -EACCES, pc,
				      "size register with a push of neither a string nor bytes (type %u)",
				      imm);
		break;
	case KTRACE_OP_LDG:
	case KTRACE_OP_STG:
		return check_garr(c, pc, in, false);
	case KTRACE_OP_LDGX:
	case KTRACE_OP_STGX:
	case KTRACE_OP_ADRG:
		return check_garr(c, pc, in, true);
	case KTRACE_OP_LDT:
	case KTRACE_OP_STT:
		return check_var(c, pc, in, KTRACE_SCOPE_TLS);
	case KTRACE_OP_LDL:
	case KTRACE_OP_STL:
		return check_var(c, pc, in, KTRACE_SCOPE_LOCAL);
	case KTRACE_OP_LDGA:
	case KTRACE_OP_STGA:
		return check_var(c, pc, in, KTRACE_SCOPE_GARRAY);
	case KTRACE_OP_LDTA:
	case KTRACE_OP_STTA:
		return check_var(c, pc, in, KTRACE_SCOPE_TARRAY);
	}
	return 0;
}

static bool is_branch(u8 op)
{
	return op == KTRACE_OP_BA || op == KTRACE_OP_BZ || op == KTRACE_OP_BNZ;
}

/* Rules 7, 10, 11: targets; collect loops. */
static int check_targets(struct vctx *c)
{
	u32 pc;

	for (pc = c->start; pc < c->end; pc++) {
		const struct ktrace_insn *in = &c->prog->insns[pc];
		u32 t = (u32)in->imm;

		if (!is_branch(in->op) && in->op != KTRACE_OP_LOOP)
			continue;
		if (t < c->start || t >= c->end)
			return REJECT(c, -EINVAL, pc, "branch target %d outside the function [%u, %u)",
				      in->imm, c->start, c->end);
		if (in->op == KTRACE_OP_LOOP) {
			if (t >= pc)
				return REJECT(c, -EACCES, pc, "loop target %u is not backward", t);
			c->loops[c->nloops].start = t;
			c->loops[c->nloops].end = pc;
			c->nloops++;
		} else if (t <= pc) {
			return REJECT(c, -EACCES, pc,
				      "backward branch to %u is not a loop back-edge", t);
		}
	}
	return 0;
}

/* Rule 17: charge n instruction visits of the function starting at pc. */
static int charge(struct vctx *c, u32 n)
{
	if (ktrace_yield())
		return -EINTR;
	if (n > KTRACE_MAX_VERIFY_WORK - c->work)
		return REJECT(c, -E2BIG, c->start,
			      "verification needs more than %u instruction visits (program too complex)",
			      KTRACE_MAX_VERIFY_WORK);
	c->work += n;
	return 0;
}

/* Rules 11 (nesting), 12: loop structure. */
static int check_loops(struct vctx *c)
{
	u32 n = c->end - c->start, i, pc, sp = 0;
	u32 *stack = c->cnt + n + 1;	/* nloops entries after the counts */

	if (!c->nloops)
		return 0;
	/* counting sort of loops by head; same head: outer (later end) first */
	memset(c->cnt, 0, (n + 1) * sizeof(u32));
	for (i = 0; i < c->nloops; i++)
		c->cnt[c->loops[i].start - c->start + 1]++;
	for (i = 1; i <= n; i++)
		c->cnt[i] += c->cnt[i - 1];
	for (i = c->nloops; i-- > 0; )
		c->bystart[c->cnt[c->loops[i].start - c->start]++] = i;
	/* cnt[x] is now the end of head x's run; recompute starts as we go */
	i = 0;
	for (pc = c->start; pc < c->end; pc++) {
		while (sp && c->loops[stack[sp - 1]].end < pc)
			sp--;
		/* what is open here started before pc */
		c->outer[pc - c->start] = sp ? stack[sp - 1] + 1 : 0;
		while (i < c->nloops && c->loops[c->bystart[i]].start == pc) {
			struct vloop *l = &c->loops[c->bystart[i]];

			if (sp && l->end > c->loops[stack[sp - 1]].end)
				return REJECT(c, -EACCES, l->end,
					      "loop [%u, %u] overlaps loop [%u, %u]",
					      l->start, l->end,
					      c->loops[stack[sp - 1]].start,
					      c->loops[stack[sp - 1]].end);
			stack[sp++] = c->bystart[i];
			i++;
		}
	}
	/*
	 * Rule 12: a forward branch pc -> t enters every loop around t whose
	 * head is after pc (a loop around t contains pc iff its head is at
	 * or before pc).  The loops around t that start at t itself are
	 * innermost; the first one out that does not, outer[t], has the
	 * latest head of the rest: the branch is fine iff that head is at or
	 * before pc.  One look per branch.
	 */
	for (pc = c->start; pc < c->end; pc++) {
		const struct ktrace_insn *in = &c->prog->insns[pc];
		u32 t = (u32)in->imm, l;

		if (!is_branch(in->op))
			continue;
		l = c->outer[t - c->start];
		if (l && c->loops[l - 1].start > pc)
			return REJECT(c, -EACCES, pc,
				      "branch to %u enters loop [%u, %u] not at its head",
				      t, c->loops[l - 1].start, c->loops[l - 1].end);
	}
	return 0;
}

/* Merge state s into the state of insn t; true if it changed. */
static bool merge(struct vctx *c, u32 t, const struct vstate *s)
{
	struct vstate *d = &c->st[t - c->start];

	if (!d->seen) {
		*d = *s;
		d->seen = 1;
		return true;
	}
	if ((d->init & s->init) == d->init && d->lo <= s->lo && d->hi >= s->hi)
		return false;
	d->init &= s->init;
	d->lo = min(d->lo, s->lo);
	d->hi = max(d->hi, s->hi);
	return true;
}

/* Rule 15: does the depth range allow [mn, mx]? */
static int check_depth(struct vctx *c, u32 pc, const struct vstate *s,
		       u32 mn, u32 mx, const char *what)
{
	if (s->hi < mn || s->lo > mx || (s->lo == s->hi && (s->lo < mn || s->lo > mx)))
		return REJECT(c, -EACCES, pc, "%s takes %u..%u tuple elements, tuple holds %u..%u",
			      what, mn, mx, s->lo, s->hi);
	return 0;
}

static int transfer(struct vctx *c, u32 pc, struct vstate *s, bool final)
{
	const struct ktrace_insn *in = &c->prog->insns[pc];
	const struct ktrace_prog *p = c->prog;
	u16 r, w;
	int err = 0;

	insn_regs(in, &r, &w);
	if (final) {
		u16 bad = r & ~s->init & ~1U;

		if (bad)
			return REJECT(c, -EACCES, pc, "read of uninitialized register %%r%u",
				      (unsigned int)__builtin_ctz(bad));
	}
	s->init |= w;
	switch (in->op) {
	case KTRACE_OP_PUSH:
	case KTRACE_OP_PUSHB:
		if (s->hi + 1 > KTRACE_TUPLE_MAX)
			return REJECT(c, -EACCES, pc, "tuple stack may exceed %u elements",
				      KTRACE_TUPLE_MAX);
		s->lo++;
		s->hi++;
		return 0;
	case KTRACE_OP_CALL:
		if (final)
			err = check_depth(c, pc, s, subr_nargs[in->imm][0],
					  subr_nargs[in->imm][1], ktrace_subr_name(in->imm));
		break;
	case KTRACE_OP_ACT:
		if (final)
			err = check_depth(c, pc, s, p->actions[in->imm].nargs,
					  p->actions[in->imm].nargs, "action");
		break;
	case KTRACE_OP_AGG:
		if (final)
			err = check_depth(c, pc, s, p->aggs[in->imm].nkeys,
					  p->aggs[in->imm].nkeys, "aggregation");
		break;
	case KTRACE_OP_AGGB:
		if (final)
			err = check_depth(c, pc, s, 0, 0, "aggb");
		break;
	case KTRACE_OP_AGGKS:
		if (final)
			err = check_depth(c, pc, s, 0, 0, "aggks");
		break;
	case KTRACE_OP_LDGA:
	case KTRACE_OP_STGA:
	case KTRACE_OP_LDTA:
	case KTRACE_OP_STTA:
		if (final)
			err = check_depth(c, pc, s, p->vars[in->imm].nkeys,
					  p->vars[in->imm].nkeys, "array variable");
		break;
	case KTRACE_OP_POPTS:
		break;
	default:
		return 0;
	}
	s->lo = s->hi = 0;
	return err;
}

/* Rules 13, 14, 15: dataflow to a fixed point. */
static int dataflow(struct vctx *c)
{
	struct vstate s = { .init = 1, .lo = 0, .hi = 0, .seen = 1 };
	bool changed = true;
	u32 pc;
	int err;

	memset(c->st, 0, (c->end - c->start) * sizeof(*c->st));
	merge(c, c->start, &s);
	while (changed) {
		changed = false;
		err = charge(c, c->end - c->start);
		if (err)
			return err;
		for (pc = c->start; pc < c->end; pc++) {
			const struct ktrace_insn *in = &c->prog->insns[pc];

			if (!c->st[pc - c->start].seen)
				continue;
			s = c->st[pc - c->start];
			err = transfer(c, pc, &s, false);
			if (err)
				return err;
			switch (in->op) {
			case KTRACE_OP_RET:
				continue;
			case KTRACE_OP_BA:
			case KTRACE_OP_LOOP:
				changed |= merge(c, in->imm, &s);
				continue;
			case KTRACE_OP_BZ:
			case KTRACE_OP_BNZ:
				changed |= merge(c, in->imm, &s);
				break;
			}
			/* rule 8 makes pc + 1 < end for anything but ret */
			changed |= merge(c, pc + 1, &s);
		}
	}
	for (pc = c->start; pc < c->end; pc++) {
		if (!c->st[pc - c->start].seen)
			continue;
		s = c->st[pc - c->start];
		err = transfer(c, pc, &s, true);
		if (err)
			return err;
	}
	return 0;
}

static int verify_func(struct vctx *c, u32 start, u32 len)
{
	u32 pc;
	int err;

	c->start = start;
	c->end = start + len;
	c->nloops = 0;
	/* the fields, targets, loops and final passes */
	err = charge(c, 4 * len);
	if (err)
		return err;
	for (pc = c->start; pc < c->end; pc++) {
		const struct ktrace_insn *in = &c->prog->insns[pc];

		if (op_fmt[in->op] == KTRACE_FMT_BAD)
			return REJECT(c, -EINVAL, pc, "unknown opcode 0x%02x", in->op);
		err = check_fields(c, pc, in);
		if (!err)
			err = check_imm(c, pc, in);
		if (err)
			return err;
	}
	if (c->prog->insns[c->end - 1].op != KTRACE_OP_RET)
		return REJECT(c, -EINVAL, c->end - 1,
			      "function [%u, %u) does not end in ret", c->start, c->end);
	err = check_targets(c);
	if (!err)
		err = check_loops(c);
	if (!err)
		err = dataflow(c);
	return err;
}

/*
 * Verify [start, start + len) unless that very range passed already (the
 * verdict depends on nothing else): clauses sharing one range cost one
 * verification.
 */
static int verify_once(struct vctx *c, u32 start, u32 len)
{
	int err;

	if (c->done[start] == len + 1)
		return 0;
	err = verify_func(c, start, len);
	if (!err)
		c->done[start] = len + 1;
	return err;
}

int ktrace_verify(const struct ktrace_prog *prog, struct ktrace_vlog *log)
{
	struct vctx c = { .prog = prog, .log = log };
	u32 n = prog->ninsns, i;
	int err = -ENOMEM;

	c.st = kvcalloc(n, sizeof(*c.st), KTRACE_GFP_MAYFAIL);
	c.loops = kvcalloc(n, sizeof(*c.loops), KTRACE_GFP_MAYFAIL);
	c.outer = kvcalloc(n, sizeof(u32), KTRACE_GFP_MAYFAIL);
	c.bystart = kvcalloc(n, sizeof(u32), KTRACE_GFP_MAYFAIL);
	c.cnt = kvcalloc(2 * (size_t)n + 1, sizeof(u32), KTRACE_GFP_MAYFAIL);
	c.done = kvcalloc(n, sizeof(u32), KTRACE_GFP_MAYFAIL);
	if (!c.st || !c.loops || !c.outer || !c.bystart || !c.cnt || !c.done)
		goto free_arrays;
	err = 0;
	for (i = 0; i < prog->nclauses && !err; i++) {
		const struct ktrace_clause_desc *cd = &prog->clauses[i];

		if (cd->pred_len)
			err = verify_once(&c, cd->pred_start, cd->pred_len);
		if (!err)
			err = verify_once(&c, cd->body_start, cd->body_len);
	}
free_arrays:
	kvfree(c.done);
	kvfree(c.cnt);
	kvfree(c.bystart);
	kvfree(c.outer);
	kvfree(c.loops);
	kvfree(c.st);
	return err;
}
