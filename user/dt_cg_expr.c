// SPDX-License-Identifier: GPL-2.0
/*
 * dt_cg_expr.c: the code generator's expressions (see dt_codegen.c for the
 * scheme), on the emitter (dt_cg_emit.c): the tuple stack, loads and
 * stores of variables (of struct types declared in D too), and every
 * expression.  dt_codegen.c builds actions, statements and clauses on top
 * of it.
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

static void var_load(struct cg *g, int rd, const struct dt_ident *id, const struct keyregs *k)
{
	if (cg_is_array(id) && k)
		keys_push(g, k);
	cg_emit(g, cg_ld_op(id->scope), rd, 0, 0, id->index);
}

static void var_store(struct cg *g, int rs, const struct dt_ident *id, const struct keyregs *k)
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
	insert(g, v, l->ident, &k, pos, nbits);
	cg_keys_free(g, &k);
	if (post) {
		cg_rfree(g, v);
		return cur;
	}
	cg_rfree(g, cur);
	return v;
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

/* ----- expressions ----- */
static int load_op(int aspace)
{
	return aspace == DT_AS_USER ? KTRACE_OP_LDU : aspace == DT_AS_KTRACE ? KTRACE_OP_LDS :
	       KTRACE_OP_LDK;
}

static void deref(struct cg *g, int r, const struct dt_type *ptr)
{
	int size, sign;

	if (ptr->pdepth > 1) {
		size = 8;
		sign = 0;
	} else {
		size = ptr->bsize ? ptr->bsize : 8;
		sign = ptr->bsign && size < 8;
	}
	cg_emit(g, load_op(ptr->aspace), r, r, 0, size | (sign ? KTRACE_LD_SIGNED : 0));
}

/* Load an lvalue's current value (with keys already evaluated). */
static int cg_lvalue_load(struct cg *g, struct dt_node *l, struct keyregs *k)
{
	int r = cg_ralloc(g);

	var_load(g, r, l->ident, k);
	return r;
}

static void cg_lvalue_keys(struct cg *g, struct dt_node *l, struct keyregs *k)
{
	k->n = 0;
	if (l->kind == DT_N_INDEX && l->ident)
		cg_keys_eval(g, l->b, k);
}

static void cg_store_narrow(struct cg *g, int r, const struct dt_ident *id)
{
	cg_narrow(g, r, &id->type);
}

/* a[i] of a declared array (int a[N]) */
static bool garr_elem(const struct dt_node *l)
{
	return l->kind == DT_N_INDEX && l->ident && l->ident->nelems;
}

/*
 * Assignment, compound assignment, ++ and -- of a declared array's element:
 * ldgx and stgx with the index (the kernel faults when it is not below N).
 * op as for cg_ptr_store().
 */
static int cg_garr_store(struct cg *g, struct dt_node *n, int op, bool post)
{
	struct dt_node *l = n->a;
	const struct dt_type *t = &l->type;
	int var = l->ident->index;
	int idx = cg_expr(g, l->b), cur, v;

	if (op == T_ASSIGN) {
		v = cg_expr(g, n->b);
	} else {
		cur = cg_ralloc(g);
		cg_emit(g, KTRACE_OP_LDGX, cur, idx, 0, var);
		if (op == T_INC || op == T_DEC) {
			v = cg_ralloc(g);
			cg_emit(g, KTRACE_OP_ADDI, v, cur, 0,
				op == T_INC ? cg_ptr_scale(t) : -cg_ptr_scale(t));
		} else {
			v = cg_expr(g, n->b);
			if (t->kind == DT_T_PTR && (op == T_ADD_EQ || op == T_SUB_EQ))
				cg_scale(g, v, cg_ptr_scale(t));
			cg_emit(g, cg_arith_op(op, t->sign), v, cur, v, 0);
		}
	}
	if (t->kind == DT_T_INT)
		cg_narrow(g, v, t);
	cg_emit(g, KTRACE_OP_STGX, idx, v, 0, var);
	cg_rfree(g, idx);
	if (op == T_ASSIGN)
		return v;
	if (post) {
		cg_rfree(g, v);
		return cur;
	}
	cg_rfree(g, cur);
	return v;
}

/* *p or p[i] as a store target (the type checker left no variable on it). */
static bool ptr_lvalue(const struct dt_node *l)
{
	return !l->ident && ((l->kind == DT_N_UNOP && l->op == T_STAR) || l->kind == DT_N_INDEX ||
			     (l->kind == DT_N_MEMBER && l->mem_how == DT_MEM_LOAD));
}

/* The address a pointer lvalue names, in a new register. */
static int cg_ptr_addr(struct cg *g, struct dt_node *l)
{
	int r, t;

	if (l->kind == DT_N_INDEX && l->a->kind == DT_N_MEMBER && l->a->mem_how == DT_MEM_STR) {
		l->a->mem_how = DT_MEM_ADDR;	/* p->name[i]: the char array's address */
		r = cg_expr(g, l->a);
		l->a->mem_how = DT_MEM_STR;
	} else {
		r = cg_expr(g, l->a);
	}

	if (l->kind == DT_N_MEMBER) {	/* the struct's address + the member's offset */
		if (l->mem_off)
			cg_emit(g, KTRACE_OP_ADDI, r, r, 0, (int32_t)l->mem_off);
		return r;
	}
	if (l->kind == DT_N_INDEX) {
		t = cg_expr(g, l->b);
		cg_scale(g, t, cg_ptr_scale(&l->a->type));
		cg_emit(g, KTRACE_OP_ADD, r, r, t, 0);
		cg_rfree(g, t);
	}
	return r;
}

static int store_size(const struct dt_type *t)
{
	return t->kind == DT_T_INT ? t->size : 8;
}

/*
 * Assignment, compound assignment, ++ and -- through a pointer: `st` into
 * scratch (the VM faults on any other address).  op is the assignment
 * operator, or T_INC/T_DEC with post for the postfix forms.
 */
static int cg_ptr_store(struct cg *g, struct dt_node *n, int op, bool post)
{
	struct dt_node *l = n->a;
	const struct dt_type *t = &l->type;
	int addr = cg_ptr_addr(g, l), cur, v;

	if (op == T_ASSIGN) {
		v = cg_expr(g, n->b);
		if (t->kind == DT_T_INT)
			cg_narrow(g, v, t);
		cg_emit(g, KTRACE_OP_ST, addr, v, 0, store_size(t));
		cg_rfree(g, addr);
		return v;
	}
	cur = cg_ralloc(g);
	cg_emit(g, KTRACE_OP_MOV, cur, addr, 0, 0);
	if (l->kind == DT_N_MEMBER)
		cg_emit(g, load_op(l->a->type.aspace), cur, cur, 0, store_size(t) |
			(t->kind == DT_T_INT && t->sign && t->size < 8 ? KTRACE_LD_SIGNED : 0));
	else
		deref(g, cur, &l->a->type);
	if (op == T_INC || op == T_DEC) {
		v = cg_ralloc(g);
		cg_emit(g, KTRACE_OP_ADDI, v, cur, 0, op == T_INC ? cg_ptr_scale(t) : -cg_ptr_scale(t));
	} else {
		v = cg_expr(g, n->b);
		if (t->kind == DT_T_PTR && (op == T_ADD_EQ || op == T_SUB_EQ))
			cg_scale(g, v, cg_ptr_scale(t));
		cg_emit(g, cg_arith_op(op, t->sign), v, cur, v, 0);
	}
	if (t->kind == DT_T_INT)
		cg_narrow(g, v, t);
	cg_emit(g, KTRACE_OP_ST, addr, v, 0, store_size(t));
	cg_rfree(g, addr);
	if (post) {
		cg_rfree(g, v);
		return cur;
	}
	cg_rfree(g, cur);
	return v;
}

static int cg_assign(struct cg *g, struct dt_node *n)
{
	struct dt_node *l = n->a;
	struct dt_ident *id = l->ident;
	struct keyregs k;
	int v, cur;

	if (garr_elem(l))
		return cg_garr_store(g, n, n->op, false);
	if (ptr_lvalue(l))
		return cg_ptr_store(g, n, n->op, false);
	if (n->type.kind == DT_T_STRUCT)
		return cg_struct_assign(g, n);
	if (l->kind == DT_N_MEMBER && l->mem_how == DT_MEM_VAR)
		return cg_var_member_store(g, n, n->op, false);
	if (n->op == T_ASSIGN) {
		v = cg_expr(g, n->b);
		cg_lvalue_keys(g, l, &k);
		if (id->type.kind == DT_T_INT)
			cg_store_narrow(g, v, id);
		var_store(g, v, id, &k);
		cg_keys_free(g, &k);
		return v;
	}
	cg_lvalue_keys(g, l, &k);
	cur = cg_lvalue_load(g, l, &k);
	v = cg_expr(g, n->b);
	if (id->type.kind == DT_T_PTR && (n->op == T_ADD_EQ || n->op == T_SUB_EQ))
		cg_scale(g, v, cg_ptr_scale(&id->type));
	cg_emit(g, cg_arith_op(n->op, id->type.sign), cur, cur, v, 0);
	cg_rfree(g, v);
	cg_narrow(g, cur, &id->type);
	var_store(g, cur, id, &k);
	cg_keys_free(g, &k);
	return cur;
}

static int cg_incdec(struct cg *g, struct dt_node *n, bool post)
{
	struct dt_node *l = n->a;
	struct dt_ident *id = l->ident;
	struct keyregs k;
	int cur, nv, step;

	if (garr_elem(l))
		return cg_garr_store(g, n, n->op, post);
	if (ptr_lvalue(l))
		return cg_ptr_store(g, n, n->op, post);
	if (l->kind == DT_N_MEMBER && l->mem_how == DT_MEM_VAR)
		return cg_var_member_store(g, n, n->op, post);
	step = cg_ptr_scale(&id->type);

	cg_lvalue_keys(g, l, &k);
	cur = cg_lvalue_load(g, l, &k);
	nv = cg_ralloc(g);
	cg_emit(g, KTRACE_OP_ADDI, nv, cur, 0, n->op == T_INC ? step : -step);
	cg_narrow(g, nv, &id->type);
	var_store(g, nv, id, &k);
	cg_keys_free(g, &k);
	if (post) {
		cg_rfree(g, nv);
		return cur;
	}
	cg_rfree(g, cur);
	return nv;
}

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
		cg_emit(g, load_op(t->kind == DT_T_PTR ? t->aspace : DT_AS_KERNEL), r, r, 0, 4);
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
			last->op = (uint8_t)load_op(n->a->type.aspace);
			last->imm = KTRACE_LD_IMM(szf, last->imm);
		} else {
			cg_emit(g, load_op(n->a->type.aspace), r, r, 0, szf);
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

		cg_emit(g, load_op(n->a->type.aspace), r, r, 0, n->mem_lsize);
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
			var_load(g, r, n->ident, NULL);
		return r;
	case DT_N_SELF:
	case DT_N_THIS:
		r = cg_ralloc(g);
		var_load(g, r, n->ident, NULL);
		return r;
	case DT_N_INDEX:
		if (n->builtin) {	/* uregs[R] */
			r = cg_ralloc(g);
			cg_emit(g, KTRACE_OP_LDB, r, 0, 0, n->builtin - 1);
			return r;
		}
		if (garr_elem(n)) {
			r = cg_expr(g, n->b);
			cg_emit(g, KTRACE_OP_LDGX, r, r, 0, n->ident->index);
			return r;
		}
		if (n->ident) {
			struct keyregs k;

			cg_keys_eval(g, n->b, &k);
			r = cg_ralloc(g);
			var_load(g, r, n->ident, &k);
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
			deref(g, r, &n->a->type);
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
				deref(g, r, &n->a->type);
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
