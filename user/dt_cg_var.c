// SPDX-License-Identifier: GPL-2.0
/*
 * dt_cg_var.c: the code generator's tuple stack and variables (see
 * dt_codegen.c for the scheme), on the emitter (dt_cg_emit.c): the values
 * pushed for subroutines, actions and keys (ustack()-derived values
 * recorded as samples), an array's keys, loads and stores of variables,
 * and variables of struct types declared in D (their members, copies and
 * words).  The expressions (dt_cg_expr.c) and assignments (dt_cg_assign.c)
 * use it.
 */
#include <stdlib.h>
#include <string.h>
#include "dt_cg.h"

/* ----- the tuple stack ----- */
/*
 * ustackmode=dwarf: ucaller and ustackdepth (alone, or ucaller in usym(),
 * ufunc(), uaddr(), umod()) where a value is recorded as it is, an
 * argument of trace() or printf() or an aggregation key (g->record, set
 * by cg_act and cg_agg), are a ustack() sample the consumer derives them
 * from (format.c), as it unwinds ustack(); the node's type says which
 * (tc_ident, tc_call).  Anywhere else, a subroutine's argument within
 * such a value included, the value would be needed in the probe: cg_expr
 * refuses it.
 */
static bool cg_usample_node(const struct dt_node *n)
{
	if (!kt_dt_from_usample(dt_type_to_dtype(&n->type)))
		return false;
	if (n->kind == DT_N_CALL && n->scope == DT_CC_IDENTITY)
		n = n->b;
	return n->kind == DT_N_IDENT && n->builtin;
}

/* The sample of such a value: ucaller needs two frames, ustackdepth all (ustackframes). */
static int cg_usample_value(struct cg *g, const struct dt_node *n)
{
	int r = cg_ralloc(g);

	if (dt_type_to_dtype(&n->type) != KT_DT_USTACKDEPTH) {
		cg_set_const(g, r, 2);
		cg_emit(g, KTRACE_OP_PUSH, 0, r, 0, KTRACE_TT_INT);
	}
	cg_emit(g, KTRACE_OP_CALL, r, 0, 0, KTRACE_SUBR_USTACK);
	return r;
}

/* A value pushed: a sample for ucaller/ustackdepth recorded (above), else the expression's. */
int cg_value(struct cg *g, struct dt_node *n)
{
	bool record = g->record;
	int r;

	if (record && cg_usample_node(n))
		return cg_usample_value(g, n);
	g->record = false;	/* what the value is computed from is not recorded */
	r = cg_expr(g, n);
	g->record = record;
	return r;
}

bool cg_uses_tuple(const struct dt_node *n)
{
	if (!n)
		return false;
	if (cg_usample_node(n))
		return true;	/* a ustack() call */
	switch (n->kind) {
	case DT_N_CALL:
		if (n->scope == DT_CC_SUBR)
			return true;
		break;
	case DT_N_INDEX:
		if (n->ident)
			return true;
		break;
	case DT_N_STRINGOF:
		if (n->a && n->a->type.kind != DT_T_STRING)
			return true;
		break;
	case DT_N_MEMBER:
		/* a char array as a string: stringof()/copyinstr() of its address */
		if (n->mem_how == DT_MEM_STR)
			return true;
		break;
	case DT_N_ASSIGN:
	case DT_N_POSTOP:
		if (n->a && n->a->kind == DT_N_INDEX)
			return true;
		break;
	case DT_N_UNOP:
		if ((n->op == T_INC || n->op == T_DEC) && n->a && n->a->kind == DT_N_INDEX)
			return true;
		break;
	default:
		break;
	}
	if (cg_uses_tuple(n->a) || cg_uses_tuple(n->c) || cg_uses_tuple(n->d))
		return true;
	for (const struct dt_node *b = n->b; b; b = b->next)
		if (cg_uses_tuple(b))
			return true;
	return false;
}

static int tuple_type(const struct dt_type *t)
{
	if (kt_dt_from_usample(dt_type_to_dtype(t)))
		return KTRACE_TT_USTACK;	/* a sample (ustack_samples in dt_compile.c) */
	switch (t->kind) {
	case DT_T_STRING:
		return KTRACE_TT_STR;
	case DT_T_STACK:
		return KTRACE_TT_STACK;
	case DT_T_USTACK:
		return KTRACE_TT_USTACK;
	default:
		return KTRACE_TT_INT;
	}
}

/* Push one value; user addresses are preceded by the pid. Returns elements pushed. */
int cg_push_val(struct cg *g, int r, const struct dt_type *t)
{
	int dt = dt_type_to_dtype(t);
	int n = 0;

	if (dt == KT_DT_USYM || dt == KT_DT_UMOD) {
		int pr = cg_ralloc(g);

		cg_emit(g, KTRACE_OP_LDB, pr, 0, 0, KTRACE_VAR_PID);
		cg_emit(g, KTRACE_OP_PUSH, 0, pr, 0, KTRACE_TT_INT);
		cg_rfree(g, pr);
		n++;
	}
	cg_emit(g, KTRACE_OP_PUSH, 0, r, 0, tuple_type(t));
	return n + 1;
}

/* pushb: the tuple type a built-in pushes (string built-ins STR), from the uapi list */
static const uint8_t builtin_tt[KTRACE_VAR_MAX] = {
#define CG_BI_TT(name, val, str, isstr) [val] = isstr ? KTRACE_TT_STR : KTRACE_TT_INT,
	KTRACE_BUILTINS(CG_BI_TT)
#undef CG_BI_TT
};

/*
 * The built-in a value is, when it is pushed as the built-in's own type
 * (execname as a string, pid as an integer...), else -1: such a push is
 * one pushb (ldb + push in one dispatch, no register), and an aggregation
 * with it as its only key one aggb.
 */
int cg_builtin_key(const struct dt_node *a)
{
	int bi, dt;

	if (a->kind != DT_N_IDENT || !a->builtin || (a->isconst && a->type.kind == DT_T_INT))
		return -1;
	bi = a->builtin - 1;
	dt = dt_type_to_dtype(&a->type);
	if (bi < 0 || bi >= KTRACE_VAR_MAX || tuple_type(&a->type) != builtin_tt[bi] ||
	    dt == KT_DT_USYM || dt == KT_DT_UMOD || kt_dt_from_usample(dt))
		return -1;
	return bi;
}

static bool cg_push_builtin(struct cg *g, const struct dt_node *a)
{
	int bi = cg_builtin_key(a);

	if (bi < 0)
		return false;
	cg_emit(g, KTRACE_OP_PUSHB, 0, 0, 0, bi);
	return true;
}

/* Can evaluating N change anything (a variable, scratch) or call out? */
static bool cg_has_effect(const struct dt_node *n)
{
	if (!n)
		return false;
	switch (n->kind) {
	case DT_N_ASSIGN:
	case DT_N_POSTOP:
	case DT_N_CALL:
		return true;
	case DT_N_UNOP:
		if (n->op == T_INC || n->op == T_DEC)
			return true;
		break;
	default:
		break;
	}
	if (cg_has_effect(n->a) || cg_has_effect(n->c) || cg_has_effect(n->d))
		return true;
	for (const struct dt_node *b = n->b; b; b = b->next)
		if (cg_has_effect(b))
			return true;
	return false;
}

/*
 * Evaluate a list of values and push them.  dtypes (optional) receives
 * each element's display type.  Returns the number of elements pushed.
 *
 * A subroutine call consumes the whole tuple stack, so the values up to
 * the last one that uses it (a call, an array key...) are computed before
 * any is pushed.  Of those, a value without effects and without the tuple
 * stack is computed only when pushed, in its turn: a printf() of many
 * values holds a register only for each value a call makes (or that has
 * an effect, kept in order before the calls).
 */
int cg_push_list(struct cg *g, struct dt_node *list, uint8_t *dtypes, int maxd)
{
	struct dt_node *a, *last = NULL;
	int regs[64], nr = 0, cnt = 0;

	for (a = list; a; a = a->next)
		if (cg_uses_tuple(a))
			last = a;
	a = list;
	if (last) {
		struct dt_node *b;

		for (b = list; ; b = b->next) {
			if (nr < 64)
				regs[nr++] = cg_uses_tuple(b) || cg_has_effect(b) ? cg_value(g, b) : -1;
			if (b == last)
				break;
		}
		nr = 0;
		for (b = list; ; b = b->next) {
			int dt = dt_type_to_dtype(&b->type);
			int k;

			if (regs[nr] < 0)
				regs[nr] = cg_value(g, b);
			k = cg_push_val(g, regs[nr], &b->type);

			if (dtypes && k == 2 && cnt < maxd)
				dtypes[cnt] = KT_DT_UPID;
			if (dtypes && cnt + k - 1 < maxd)
				dtypes[cnt + k - 1] = (uint8_t)dt;
			cnt += k;
			cg_rfree(g, regs[nr++]);
			if (b == last)
				break;
		}
		a = last->next;
	}
	for (; a; a = a->next) {
		int dt = dt_type_to_dtype(&a->type);
		int r, k;

		if (cg_push_builtin(g, a)) {
			k = 1;
		} else {
			r = cg_value(g, a);
			k = cg_push_val(g, r, &a->type);
			cg_rfree(g, r);
		}
		if (dtypes && k == 2 && cnt < maxd)
			dtypes[cnt] = KT_DT_UPID;
		if (dtypes && cnt + k - 1 < maxd)
			dtypes[cnt + k - 1] = (uint8_t)dt;
		cnt += k;
	}
	return cnt;
}

/* ----- variables ----- */
bool cg_is_array(const struct dt_ident *id)
{
	return id->scope == KTRACE_SCOPE_GARRAY || id->scope == KTRACE_SCOPE_TARRAY;
}

/* a[i] of a declared array (int a[N]) */
bool cg_garr_elem(const struct dt_node *l)
{
	return l->kind == DT_N_INDEX && l->ident && l->ident->nelems;
}

/* Key registers for an array reference (evaluated once, pushed as often as needed). */
static int word_index(const struct dt_ident *id, uint32_t k);
static const struct dt_type key_word = { .kind = DT_T_INT, .size = 8 };

void cg_keys_eval(struct cg *g, struct dt_node *keys, struct keyregs *k)
{
	k->n = 0;
	for (struct dt_node *a = keys; a && k->n < KTRACE_MAX_KEYS; a = a->next) {
		if (a->type.kind == DT_T_STRUCT) {
			/* a struct variable: its words, one key each (dt_key_width()) */
			int w = dt_key_width(&a->type);

			for (int i = 0; i < w && k->n < KTRACE_MAX_KEYS; i++) {
				k->r[k->n] = cg_ralloc(g);
				cg_emit(g, cg_ld_op(a->ident->scope), k->r[k->n], 0, 0,
					word_index(a->ident, (uint32_t)i));
				k->t[k->n] = &key_word;
				k->n++;
			}
			continue;
		}
		k->r[k->n] = cg_expr(g, a);
		k->t[k->n] = &a->type;
		k->n++;
	}
}

static void keys_push(struct cg *g, const struct keyregs *k)
{
	for (int i = 0; i < k->n; i++)
		cg_emit(g, KTRACE_OP_PUSH, 0, k->r[i], 0, tuple_type(k->t[i]));
}

void cg_keys_free(struct cg *g, const struct keyregs *k)
{
	for (int i = 0; i < k->n; i++)
		cg_rfree(g, k->r[i]);
}

void cg_var_load(struct cg *g, int rd, const struct dt_ident *id, const struct keyregs *k)
{
	if (cg_is_array(id) && k)
		keys_push(g, k);
	cg_emit(g, cg_ld_op(id->scope), rd, 0, 0, id->index);
}

void cg_var_store(struct cg *g, int rs, const struct dt_ident *id, const struct keyregs *k)
{
	if (cg_is_array(id) && k)
		keys_push(g, k);
	cg_emit(g, cg_st_op(id->scope), 0, rs, 0, id->index);
}

/*
 * ----- variables of a struct or union type declared in D -----
 * (struct coords P; this struct coords p; self->...).  Such a
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
static int word_index(const struct dt_ident *id, uint32_t k)
{
	return k ? id->word1 + (int)k - 1 : id->index;
}

/*
 * The keys of the struct variable N is (a member of): an associative
 * array's element a[k].m or self->a[k].m has those of a[k]; K->n is 0
 * for a variable that is no array.  Its words are arrays of the same keys.
 */
static void var_struct_keys(struct cg *g, const struct dt_node *n, struct keyregs *k)
{
	while (n->kind == DT_N_MEMBER)
		n = n->a;
	k->n = 0;
	if (n->kind == DT_N_INDEX)
		cg_keys_eval(g, n->b, k);
}

/* R = the NBITS bits from bit POS of ID's words (no word boundary among them) */
static void extract(struct cg *g, int r, const struct dt_ident *id, const struct keyregs *keys,
		    uint32_t pos, int nbits, bool sign)
{
	int sh = (int)(pos % 64), m;

	if (cg_is_array(id))
		keys_push(g, keys);
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
static void insert(struct cg *g, int v, const struct dt_ident *id, const struct keyregs *keys,
		   uint32_t pos, int nbits)
{
	int sh = (int)(pos % 64), k = word_index(id, pos / 64), w, t, m;

	if (nbits >= 64) {
		if (cg_is_array(id))
			keys_push(g, keys);
		cg_emit(g, cg_st_op(id->scope), 0, v, 0, k);
		return;
	}
	w = cg_ralloc(g);
	t = cg_ralloc(g);
	m = cg_ralloc(g);
	if (cg_is_array(id))
		keys_push(g, keys);
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
	if (cg_is_array(id))
		keys_push(g, keys);
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
	struct keyregs k;
	int r;

	var_struct_keys(g, n, &k);
	r = cg_ralloc(g);
	extract(g, r, n->ident, &k, member_pos(n), member_bits(n), scalar_sign(&n->type));
	cg_keys_free(g, &k);
	return r;
}

/* V.M = E, V.M op= E, ++V.M, V.M--...: OP is the operator (T_INC, T_DEC for ++, --) */
int cg_var_member_store(struct cg *g, struct dt_node *n, int op, bool post)
{
	struct dt_node *l = n->a;
	const struct dt_type *t = &l->type;
	uint32_t pos = member_pos(l);
	int nbits = member_bits(l), cur, v;
	struct keyregs k;

	var_struct_keys(g, l, &k);
	if (op == T_ASSIGN) {
		v = cg_expr(g, n->b);
		cg_narrow(g, v, t);
		insert(g, v, l->ident, &k, pos, nbits);
		cg_keys_free(g, &k);
		return v;
	}
	cur = cg_ralloc(g);
	extract(g, cur, l->ident, &k, pos, nbits, scalar_sign(t));
	v = cg_compound_value(g, n, op, cur, t);
	insert(g, v, l->ident, &k, pos, nbits);
	cg_keys_free(g, &k);
	return cg_compound_result(g, cur, v, post);
}

/*
 * trace(V) of a struct variable V (or struct member of one): push the
 * words holding its SIZE bytes, as integers (their record is the bytes,
 * little-endian); returns how many.
 */
int cg_push_var_words(struct cg *g, const struct dt_node *n, uint32_t size)
{
	uint32_t off = n->kind == DT_N_MEMBER ? n->mem_off : 0, k;
	int r = cg_ralloc(g);

	for (k = off / 8; k <= (off + size - 1) / 8; k++) {
		cg_emit(g, cg_ld_op(n->ident->scope), r, 0, 0, word_index(n->ident, k));
		cg_emit(g, KTRACE_OP_PUSH, 0, r, 0, KTRACE_TT_INT);
	}
	cg_rfree(g, r);
	return (int)((off + size - 1) / 8 - off / 8 + 1);
}

/* A = B of struct variables (or struct members of them): B's bytes into A's */
int cg_struct_assign(struct cg *g, struct dt_node *n)
{
	const struct dt_node *d = n->a, *s = n->b;
	uint32_t doff = d->kind == DT_N_MEMBER ? d->mem_off : 0;
	uint32_t soff = s->kind == DT_N_MEMBER ? s->mem_off : 0;
	uint32_t left = dt_dstruct_size(n->type.dstruct);
	struct keyregs dk, sk = { 0 };
	int r;

	var_struct_keys(g, d, &dk);
	if (s->kind == DT_N_INT) {	/* self->s = 0, a[k] = 0: every word 0, deleted */
		r = cg_ralloc(g);
		cg_set_const(g, r, 0);
		for (int w = 0; w < d->ident->nwords; w++)
			insert(g, r, d->ident, &dk, (uint32_t)w * 64, 64);
		cg_keys_free(g, &dk);
		return r;
	}
	var_struct_keys(g, s, &sk);
	r = cg_ralloc(g);
	while (left) {
		uint32_t c = left;

		if (c > 8 - soff % 8)
			c = 8 - soff % 8;
		if (c > 8 - doff % 8)
			c = 8 - doff % 8;
		extract(g, r, s->ident, &sk, soff * 8, (int)c * 8, false);
		insert(g, r, d->ident, &dk, doff * 8, (int)c * 8);
		soff += c;
		doff += c;
		left -= c;
	}
	cg_keys_free(g, &sk);
	cg_keys_free(g, &dk);
	cg_set_const(g, r, 0);	/* the statement's value: nothing */
	return r;
}
