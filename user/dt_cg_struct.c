// SPDX-License-Identifier: GPL-2.0
/*
 * dt_cg_struct.c: code for variables of a struct or union type declared
 * in D (struct coords P; this struct coords p; self->...).  Such a
 * variable holds its bytes in 64-bit words, its own variable and hidden
 * ones of its scope (dt_var_words() in dt_resolve.c), little-endian as in
 * memory: bit B of the struct is bit B % 64 of word B / 64.  A member
 * (a bit-field too) is read by shifting its bits out of its word
 * (sign-extended for a signed integer) and written by masking them into
 * it; a member never straddles two words (C's alignment, and bit-fields
 * cross no boundary of their type), and a copy (a = b, a.m = b) moves the
 * bytes in pieces that straddle none.  The kernel sees plain integer
 * variables: a union's members share bytes, and a variable nobody wrote
 * reads as zeros, as in DTrace.
 */
#include "dt_cg.h"

static int word_index(const struct dt_ident *id, uint32_t k)
{
	return k ? id->word1 + (int)k - 1 : id->index;
}

/* R = the NBITS bits from bit POS of ID's words (no word boundary among them) */
static void extract(struct cg *g, int r, const struct dt_ident *id, uint32_t pos, int nbits,
		    bool sign)
{
	int sh = (int)(pos % 64), m;

	cg_emit(g, cg_ld_op(id->scope), r, 0, 0, word_index(id, pos / 64));
	if (nbits >= 64)
		return;
	m = cg_ralloc(g);
	if (64 - sh - nbits) {
		cg_set_const(g, m, 64 - sh - nbits);
		cg_emit(g, KTRACE_OP_SHL, r, r, m, 0);
	}
	cg_set_const(g, m, 64 - nbits);
	cg_emit(g, sign ? KTRACE_OP_SAR : KTRACE_OP_SHR, r, r, m, 0);
	cg_rfree(g, m);
}

/* The NBITS bits from bit POS of ID's words = the low NBITS bits of V (V is kept) */
static void insert(struct cg *g, int v, const struct dt_ident *id, uint32_t pos, int nbits)
{
	int sh = (int)(pos % 64), k = word_index(id, pos / 64), w, t, m;

	if (nbits >= 64) {
		cg_emit(g, cg_st_op(id->scope), 0, v, 0, k);
		return;
	}
	w = cg_ralloc(g);
	t = cg_ralloc(g);
	m = cg_ralloc(g);
	cg_emit(g, cg_ld_op(id->scope), w, 0, 0, k);
	cg_set_const(g, m, (int64_t)~((((uint64_t)1 << nbits) - 1) << sh));
	cg_emit(g, KTRACE_OP_AND, w, w, m, 0);
	cg_set_const(g, m, 64 - nbits);
	cg_emit(g, KTRACE_OP_SHL, t, v, m, 0);
	if (64 - nbits - sh) {
		cg_set_const(g, m, 64 - nbits - sh);
		cg_emit(g, KTRACE_OP_SHR, t, t, m, 0);
	}
	cg_emit(g, KTRACE_OP_OR, w, w, t, 0);
	cg_emit(g, cg_st_op(id->scope), 0, w, 0, k);
	cg_rfree(g, m);
	cg_rfree(g, t);
	cg_rfree(g, w);
}

/* A member's first bit and width in bits */
static uint32_t member_pos(const struct dt_node *n)
{
	return n->mem_off * 8 + n->mem_bshift;
}

static int member_bits(const struct dt_node *n)
{
	if (n->mem_bits)
		return n->mem_bits;
	return n->type.kind == DT_T_INT ? n->type.size * 8 : 64;
}

static bool scalar_sign(const struct dt_type *t)
{
	return t->kind == DT_T_INT && t->sign;
}

/* V.M, an integer or pointer member of a struct variable */
int cg_var_member(struct cg *g, struct dt_node *n)
{
	int r = cg_ralloc(g);

	extract(g, r, n->ident, member_pos(n), member_bits(n), scalar_sign(&n->type));
	return r;
}

/* V.M = E, V.M op= E, ++V.M, V.M--...: OP is the operator (T_INC, T_DEC for ++, --) */
int cg_var_member_store(struct cg *g, struct dt_node *n, int op, bool post)
{
	struct dt_node *l = n->a;
	const struct dt_type *t = &l->type;
	uint32_t pos = member_pos(l);
	int nbits = member_bits(l), cur, v;

	if (op == T_ASSIGN) {
		v = cg_expr(g, n->b);
		cg_narrow(g, v, t);
		insert(g, v, l->ident, pos, nbits);
		return v;
	}
	cur = cg_ralloc(g);
	extract(g, cur, l->ident, pos, nbits, scalar_sign(t));
	if (op == T_INC || op == T_DEC) {
		v = cg_ralloc(g);
		cg_emit(g, KTRACE_OP_ADDI, v, cur, 0,
			op == T_INC ? cg_ptr_scale(t) : -cg_ptr_scale(t));
	} else {
		v = cg_expr(g, n->b);
		if (t->kind == DT_T_PTR && (op == T_ADD_EQ || op == T_SUB_EQ))
			cg_scale(g, v, cg_ptr_scale(t));
		cg_emit(g, cg_arith_op(op, scalar_sign(t)), v, cur, v, 0);
	}
	cg_narrow(g, v, t);
	insert(g, v, l->ident, pos, nbits);
	if (post) {
		cg_rfree(g, v);
		return cur;
	}
	cg_rfree(g, cur);
	return v;
}

/* A = B of struct variables (or struct members of them): B's bytes into A's */
int cg_struct_assign(struct cg *g, struct dt_node *n)
{
	const struct dt_node *d = n->a, *s = n->b;
	uint32_t doff = d->kind == DT_N_MEMBER ? d->mem_off : 0;
	uint32_t soff = s->kind == DT_N_MEMBER ? s->mem_off : 0;
	uint32_t left = dt_dstruct_size(n->type.dstruct);
	int r = cg_ralloc(g);

	while (left) {
		uint32_t c = left;

		if (c > 8 - soff % 8)
			c = 8 - soff % 8;
		if (c > 8 - doff % 8)
			c = 8 - doff % 8;
		extract(g, r, s->ident, soff * 8, (int)c * 8, false);
		insert(g, r, d->ident, doff * 8, (int)c * 8);
		soff += c;
		doff += c;
		left -= c;
	}
	cg_set_const(g, r, 0);	/* the statement's value: nothing */
	return r;
}
