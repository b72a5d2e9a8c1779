// SPDX-License-Identifier: GPL-2.0
/*
 * dt_cg_expr.c: the code generator's expressions (see dt_codegen.c for the
 * scheme), on the emitter (dt_cg_emit.c): comparisons, arithmetic and
 * logical operators, ?:, subroutine calls, members of kernel structs and
 * tracepoints, loads, and cg_expr(), which generates any expression (the
 * tuple stack and variables are dt_cg_var.c's, assignments
 * dt_cg_assign.c's).  dt_codegen.c builds actions, statements and clauses
 * on top of it.
 */
#include <stdlib.h>
#include <string.h>
#include "dt_cg.h"

/* ----- expressions ----- */
static int cg_cmp(struct cg *g, struct dt_node *n, int a, int b)
{
	/* a string against NULL compares the reference */
	bool str = n->a->type.kind == DT_T_STRING && n->b->type.kind == DT_T_STRING;
	bool sign = !str && n->ctype.kind == DT_T_INT && n->ctype.sign;
	int lt = sign ? KTRACE_OP_SLT : KTRACE_OP_SLTU;
	int le = sign ? KTRACE_OP_SLE : KTRACE_OP_SLEU;

	if (str) {
		cg_emit(g, KTRACE_OP_SCMP, a, a, b, 0);
		b = 0;	/* compare the strcmp result with 0, signed */
		lt = KTRACE_OP_SLT;
		le = KTRACE_OP_SLE;
	}
	switch (n->op) {
	case T_EQ: cg_emit(g, KTRACE_OP_SEQ, a, a, b, 0); break;
	case T_NE: cg_emit(g, KTRACE_OP_SNE, a, a, b, 0); break;
	case T_LT: cg_emit(g, lt, a, a, b, 0); break;
	case T_LE: cg_emit(g, le, a, a, b, 0); break;
	case T_GT: cg_emit(g, lt, a, b, a, 0); break;
	default: cg_emit(g, le, a, b, a, 0); break;
	}
	return a;
}

static int cg_binop(struct cg *g, struct dt_node *n)
{
	int a = cg_expr(g, n->a);
	int b = cg_expr(g, n->b);
	const struct dt_type *ta = &n->a->type, *tb = &n->b->type;

	if (n->op == T_EQ || n->op == T_NE || n->op == T_LT || n->op == T_LE ||
	    n->op == T_GT || n->op == T_GE) {
		cg_cmp(g, n, a, b);
		cg_rfree(g, b);
		return a;
	}
	if (n->type.kind == DT_T_PTR) {
		/* pointer +/- integer: scale the integer */
		if (ta->kind == DT_T_PTR)
			cg_scale(g, b, cg_ptr_scale(ta));
		else
			cg_scale(g, a, cg_ptr_scale(tb));
		cg_emit(g, n->op == T_MINUS ? KTRACE_OP_SUB : KTRACE_OP_ADD, a, a, b, 0);
		cg_rfree(g, b);
		return a;
	}
	if (ta->kind == DT_T_PTR && tb->kind == DT_T_PTR && n->op == T_MINUS) {
		int s = cg_ptr_scale(ta);

		cg_emit(g, KTRACE_OP_SUB, a, a, b, 0);
		if (s > 1) {
			cg_set_const(g, b, s);
			cg_emit(g, KTRACE_OP_SDIV, a, a, b, 0);
		}
		cg_rfree(g, b);
		return a;
	}
	{
		bool sign = n->type.sign;

		if (n->op == T_SHR)
			sign = n->a->type.kind == DT_T_INT && n->a->type.sign && n->a->type.size >= 4 ?
			       true : (n->a->type.kind == DT_T_INT && n->a->type.size < 4);
		cg_emit(g, cg_arith_op(n->op, sign), a, a, b, 0);
	}
	cg_rfree(g, b);
	/*
	 * + - * keep 64 bits, narrowed only where stored, cast or recorded
	 * (D's semantics: tc_arith_type()); a shift's result is its type's
	 */
	if (n->op == T_SHL || n->op == T_SHR)
		cg_narrow(g, a, &n->type);
	return a;
}

static int cg_logop(struct cg *g, struct dt_node *n)
{
	int r = cg_expr(g, n->a), t, j;

	if (n->op == T_LXOR) {
		t = cg_expr(g, n->b);
		cg_emit(g, KTRACE_OP_SNE, r, r, 0, 0);
		cg_emit(g, KTRACE_OP_SNE, t, t, 0, 0);
		cg_emit(g, KTRACE_OP_XOR, r, r, t, 0);
		cg_rfree(g, t);
		return r;
	}
	cg_emit(g, KTRACE_OP_SNE, r, r, 0, 0);
	j = cg_emit(g, n->op == T_LAND ? KTRACE_OP_BZ : KTRACE_OP_BNZ, 0, r, 0, 0);
	t = cg_expr(g, n->b);
	cg_emit(g, KTRACE_OP_SNE, r, t, 0, 0);
	cg_rfree(g, t);
	cg_patch(g, j, cg_here(g));
	return r;
}

/*
 * c ? b : e.  The value of b's register is the result; on e's path that
 * register holds nothing yet, so it is free while e is computed and e's
 * value is moved into it: a chain a ? x : b ? y : ... (DTrace's string
 * tables) needs no register per level.
 */
static int cg_ternary(struct cg *g, struct dt_node *n)
{
	int r, c, t, jelse, jend;

	c = cg_expr(g, n->a);
	jelse = cg_emit(g, KTRACE_OP_BZ, 0, c, 0, 0);
	cg_rfree(g, c);
	r = cg_expr(g, n->b);
	jend = cg_emit(g, KTRACE_OP_BA, 0, 0, 0, 0);
	cg_patch(g, jelse, cg_here(g));
	cg_rfree(g, r);
	t = cg_expr(g, n->c);
	if (t != r) {
		cg_emit(g, KTRACE_OP_MOV, r, t, 0, 0);
		cg_rfree(g, t);
	}
	g->used |= (uint16_t)(1u << r);
	cg_patch(g, jend, cg_here(g));
	if (n->type.kind == DT_T_INT)
		cg_narrow(g, r, &n->type);
	return r;
}

static int cg_call(struct cg *g, struct dt_node *n)
{
	int r;

	if (n->scope == DT_CC_IDENTITY)
		return cg_expr(g, n->b);
	if (n->ival == KTRACE_SUBR_USTACK && n->b)
		n->b->next = NULL;	/* ustack(frames, strsize): strsize is for jstack only */
	if (n->ival == KTRACE_SUBR_INET_NTOA && n->b) {
		/* inet_ntoa(ipaddr_t *): the subroutine takes the address as loaded */
		const struct dt_type *t = &n->b->type;

		r = cg_expr(g, n->b);
		cg_emit(g, cg_load_op(t->kind == DT_T_PTR ? t->aspace : DT_AS_KERNEL), r, r, 0, 4);
		cg_emit(g, KTRACE_OP_PUSH, 0, r, 0, KTRACE_TT_INT);
		cg_emit(g, KTRACE_OP_CALL, r, 0, 0, (int32_t)n->ival);
		return r;
	}
	if (n->ival == KTRACE_SUBR_COPYINSTR && n->b && n->b->next) {
		/*
		 * copyinstr(addr, n): at most min(n, strsize) bytes with the
		 * NUL, as DTrace for Linux (copyinstr(a, 96) under strsize=12
		 * is 11 characters): the subroutine gets n clamped to strsize.
		 */
		int a = cg_expr(g, n->b), m, t, j;

		cg_emit(g, KTRACE_OP_PUSH, 0, a, 0, KTRACE_TT_INT);
		cg_rfree(g, a);
		m = cg_expr(g, n->b->next);
		t = cg_ralloc(g);
		cg_set_const(g, t, g->cc->strsize);
		a = cg_ralloc(g);
		cg_emit(g, KTRACE_OP_SLTU, a, t, m, 0);
		j = cg_emit(g, KTRACE_OP_BZ, 0, a, 0, 0);
		cg_emit(g, KTRACE_OP_MOV, m, t, 0, 0);
		cg_patch(g, j, cg_here(g));
		cg_emit(g, KTRACE_OP_PUSH, 0, m, 0, KTRACE_TT_INT);
		cg_rfree(g, a);
		cg_rfree(g, t);
		cg_rfree(g, m);
		r = cg_ralloc(g);
		cg_emit(g, KTRACE_OP_CALL, r, 0, 0, (int32_t)n->ival);
		return r;
	}
	cg_push_list(g, n->b, NULL, 0);
	r = cg_ralloc(g);
	cg_emit(g, KTRACE_OP_CALL, r, 0, 0, (int32_t)n->ival);
	return r;
}

/* E->M, E.M of a kernel struct: the member's address, E's address (or pointer value) + offset */
static int cg_member_addr(struct cg *g, struct dt_node *n)
{
	int r = cg_expr(g, n->a);
	struct ktrace_insn *last = g->p->ninsns ? &g->p->insns[g->p->ninsns - 1] : NULL;

	/* a.b.c: one addi for the nested offsets (straight-line code, no label between) */
	if (n->mem_off && n->a->kind == DT_N_MEMBER && n->a->mem_how == DT_MEM_ADDR &&
	    n->a->mem_off && last && last->op == KTRACE_OP_ADDI && last->rd == r &&
	    last->rs1 == r && (uint64_t)last->imm + n->mem_off <= INT32_MAX)
		last->imm += (int32_t)n->mem_off;
	else if (n->mem_off)
		cg_emit(g, KTRACE_OP_ADDI, r, r, 0, (int32_t)n->mem_off);
	return r;
}

/*
 * A string the code reads from kernel memory (stringof( ) of it): a char
 * array member of a kernel struct, or stringof( ) of a kernel pointer.
 * Its address into a new register and *max its most characters (0:
 * strsize), for aggks; -1 (nothing emitted) for any other expression.
 */
int cg_kstring_addr(struct cg *g, struct dt_node *n, uint32_t *max)
{
	if (n->kind == DT_N_MEMBER && n->mem_how == DT_MEM_STR && n->a->type.aspace != DT_AS_USER &&
	    n->tp_size > 0 && n->tp_size <= KTRACE_AGGKS_MAXLEN) {
		*max = (uint32_t)n->tp_size;
		return cg_member_addr(g, n);
	}
	if (n->kind == DT_N_STRINGOF && n->a->type.kind != DT_T_STRING) {
		*max = 0;
		return cg_expr(g, n->a);
	}
	if (n->kind == DT_N_STRINGOF)	/* of a string: that string */
		return cg_kstring_addr(g, n->a, max);
	return -1;
}

static int cg_struct_member(struct cg *g, struct dt_node *n)
{
	int r = cg_member_addr(g, n);

	switch (n->mem_how) {
	case DT_MEM_LOAD: {
		int32_t szf = (n->type.kind == DT_T_PTR ? 8 : n->type.size) |
			      (n->type.kind == DT_T_INT && n->type.sign && n->type.size < 8 ?
			       KTRACE_LD_SIGNED : 0);
		struct ktrace_insn *last = g->p->ninsns ? &g->p->insns[g->p->ninsns - 1] : NULL;

		/*
		 * the addi of the member's offset that cg_member_addr just
		 * emitted (or grew) becomes the load's offset, in place (a
		 * branch to it still lands on the same work)
		 */
		if (n->mem_off && last && last->op == KTRACE_OP_ADDI && last->rd == r &&
		    last->rs1 == r && last->imm >= -KTRACE_LD_OFF_MAX - 1 &&
		    last->imm <= KTRACE_LD_OFF_MAX) {
			last->op = (uint8_t)cg_load_op(n->a->type.aspace);
			last->imm = KTRACE_LD_IMM(szf, last->imm);
		} else {
			cg_emit(g, cg_load_op(n->a->type.aspace), r, r, 0, szf);
		}
		break;
	}
	case DT_MEM_STR: {	/* at most the array's length */
		int m = cg_ralloc(g);

		cg_emit(g, KTRACE_OP_PUSH, 0, r, 0, KTRACE_TT_INT);
		cg_set_const(g, m, n->tp_size);
		cg_emit(g, KTRACE_OP_PUSH, 0, m, 0, KTRACE_TT_INT);
		cg_rfree(g, m);
		cg_emit(g, KTRACE_OP_CALL, r, 0, 0, n->a->type.aspace == DT_AS_USER ?
		     KTRACE_SUBR_COPYINSTR : KTRACE_SUBR_KSTRING);
		break;
	}
	case DT_MEM_BITS: {	/* (x << (64 - shift - bits)) >> (64 - bits), sar if signed */
		int m = cg_ralloc(g);

		cg_emit(g, cg_load_op(n->a->type.aspace), r, r, 0, n->mem_lsize);
		cg_set_const(g, m, 64 - n->mem_bshift - n->mem_bits);
		cg_emit(g, KTRACE_OP_SHL, r, r, m, 0);
		cg_set_const(g, m, 64 - n->mem_bits);
		cg_emit(g, n->type.sign ? KTRACE_OP_SAR : KTRACE_OP_SHR, r, r, m, 0);
		cg_rfree(g, m);
		break;
	}
	default:	/* DT_MEM_ADDR: the address is the value */
		break;
	}
	return r;
}

static int cg_member(struct cg *g, struct dt_node *n)
{
	int r;

	if (n->mem_how == DT_MEM_VAR)
		return cg_var_member(g, n);

	if (n->mem_how)
		return cg_struct_member(g, n);
	r = cg_ralloc(g);

	cg_emit(g, KTRACE_OP_LDB, r, 0, 0, KTRACE_VAR_TPRAW);
	if (n->tp_dataloc) {
		int t = cg_ralloc(g), m = cg_ralloc(g);

		cg_emit(g, KTRACE_OP_ADDI, t, r, 0, n->tp_off);
		cg_emit(g, KTRACE_OP_LDS, t, t, 0, 4);
		cg_set_const(g, m, 0xffff);
		cg_emit(g, KTRACE_OP_AND, t, t, m, 0);
		cg_emit(g, KTRACE_OP_ADD, r, r, t, 0);
		cg_rfree(g, m);
		cg_rfree(g, t);
		return r;
	}
	if (n->tp_off)
		cg_emit(g, KTRACE_OP_ADDI, r, r, 0, n->tp_off);
	if (n->tp_str)
		return r;
	cg_emit(g, KTRACE_OP_LDS, r, r, 0,
	     n->tp_size | (n->tp_sign && n->tp_size < 8 ? KTRACE_LD_SIGNED : 0));
	return r;
}

int cg_expr(struct cg *g, struct dt_node *n)
{
	int r, t;

	if (n->isconst && n->type.kind == DT_T_INT) {
		r = cg_ralloc(g);
		cg_set_const(g, r, n->ival);
		return r;
	}
	switch (n->kind) {
	case DT_N_STR:
		r = cg_ralloc(g);
		cg_emit(g, KTRACE_OP_SETS, r, 0, 0, (int32_t)cg_stroff_n(g->cc, n->sval, n->slen));
		return r;
	case DT_N_IDENT:
		if (n->builtin && kt_dt_from_usample(dt_type_to_dtype(&n->type)))
			dt_nerror(g->cc, n, "D_USTACKMODE",
				  "%s with ustackmode=dwarf is derived by ktrace from a stack sample: it can be "
				  "an aggregation key or a value of trace( ) or printf( ) (alone, or ucaller in "
				  "usym( ), ufunc( ), uaddr( ), umod( )), not part of an expression, a predicate "
				  "or a variable (ustackmode=fp computes it in the probe)", n->sval);
		r = cg_ralloc(g);
		if (n->builtin)
			cg_emit(g, KTRACE_OP_LDB, r, 0, 0, n->builtin - 1);
		else if (n->ident->nelems)	/* a declared array: its address */
			cg_emit(g, KTRACE_OP_ADRG, r, 0, 0, n->ident->index);
		else
			cg_var_load(g, r, n->ident, NULL);
		return r;
	case DT_N_SELF:
	case DT_N_THIS:
		r = cg_ralloc(g);
		cg_var_load(g, r, n->ident, NULL);
		return r;
	case DT_N_INDEX:
		if (n->builtin) {	/* uregs[R] */
			r = cg_ralloc(g);
			cg_emit(g, KTRACE_OP_LDB, r, 0, 0, n->builtin - 1);
			return r;
		}
		if (cg_garr_elem(n)) {
			r = cg_expr(g, n->b);
			cg_emit(g, KTRACE_OP_LDGX, r, r, 0, n->ident->index);
			return r;
		}
		if (n->ident) {
			struct keyregs k;

			cg_keys_eval(g, n->b, &k);
			r = cg_ralloc(g);
			cg_var_load(g, r, n->ident, &k);
			cg_keys_free(g, &k);
			return r;
		}
		r = cg_expr(g, n->a);
		t = cg_expr(g, n->b);
		if (n->a->type.kind == DT_T_STRING) {
			/* str[i]: a string is a reference into ktrace memory */
			cg_emit(g, KTRACE_OP_ADD, r, r, t, 0);
			cg_rfree(g, t);
			cg_emit(g, KTRACE_OP_LDS, r, r, 0, 1 | KTRACE_LD_SIGNED);
			return r;
		}
		cg_scale(g, t, cg_ptr_scale(&n->a->type));
		cg_emit(g, KTRACE_OP_ADD, r, r, t, 0);
		cg_rfree(g, t);
		if (n->type.kind != DT_T_STRUCT)	/* a struct's value is its address */
			cg_deref(g, r, &n->a->type);
		return r;
	case DT_N_CALL:
		return cg_call(g, n);
	case DT_N_UNOP:
		if (n->op == T_INC || n->op == T_DEC)
			return cg_incdec(g, n, false);
		r = cg_expr(g, n->a);
		switch (n->op) {
		case T_MINUS:
			cg_emit(g, KTRACE_OP_NEG, r, r, 0, 0);
			cg_narrow(g, r, &n->type);
			break;
		case T_TILDE:
			cg_emit(g, KTRACE_OP_NOT, r, r, 0, 0);
			cg_narrow(g, r, &n->type);
			break;
		case T_BANG:
			cg_emit(g, KTRACE_OP_LNOT, r, r, 0, 0);
			break;
		case T_STAR:
			if (n->type.kind != DT_T_STRUCT)
				cg_deref(g, r, &n->a->type);
			break;
		default:
			break;
		}
		return r;
	case DT_N_POSTOP:
		return cg_incdec(g, n, true);
	case DT_N_BINOP:
		return cg_binop(g, n);
	case DT_N_LOGOP:
		return cg_logop(g, n);
	case DT_N_ASSIGN:
		return cg_assign(g, n);
	case DT_N_TERNARY:
		return cg_ternary(g, n);
	case DT_N_COMMA:
		cg_rfree(g, cg_expr(g, n->a));
		return cg_expr(g, n->b);
	case DT_N_CAST:
		r = cg_expr(g, n->a);
		if (n->type.kind == DT_T_INT)
			cg_narrow(g, r, &n->type);
		return r;
	case DT_N_MEMBER:
		return cg_member(g, n);
	case DT_N_ARGS:
		r = cg_expr(g, n->a);
		cg_emit(g, KTRACE_OP_LDARG, r, r, 0, 0);
		if (n->type.kind == DT_T_INT)	/* typed from BTF: int, u16... */
			cg_narrow(g, r, &n->type);
		return r;
	case DT_N_STRINGOF:
		if (n->a->type.kind == DT_T_STRING)
			return cg_expr(g, n->a);
		r = cg_expr(g, n->a);
		cg_emit(g, KTRACE_OP_PUSH, 0, r, 0, KTRACE_TT_INT);
		cg_emit(g, KTRACE_OP_CALL, r, 0, 0, KTRACE_SUBR_KSTRING);
		return r;
	default:
		r = cg_ralloc(g);
		cg_emit(g, KTRACE_OP_SETI, r, 0, 0, 0);
		return r;
	}
}
