// SPDX-License-Identifier: GPL-2.0
/*
 * Code generation: the type-checked tree to ktrace bytecode
 * (docs/bytecode.md) and the object's tables.
 *
 * Each clause becomes an optional predicate function and a body
 * function, each ending in `ret`.  Expressions are evaluated into
 * registers allocated from %r1..%r15 (a bitmap; temporaries are freed as
 * soon as they are consumed, and nothing lives across statements).
 *
 * The tuple stack is consumed whole by call/act/agg/ldga/stga/ldta/stta,
 * so a tuple is only ever built right before the instruction that uses
 * it: arguments that may themselves use the tuple stack (subroutine
 * calls, array reads) are evaluated into registers first, then
 * everything is pushed.  Nothing is ever on the tuple stack at a branch.
 *
 * Loops are structured: the condition branches forward past the loop,
 * `continue` jumps forward to the increment, `break` forward past the
 * loop, and a single `loop` instruction is the back-edge.
 */
#include <stdlib.h>
#include <string.h>
#include "dt_impl.h"
#include "prov.h"

#define DT_MAX_INSNS	65536

struct patchlist {
	int	*v;
	int	n, cap;
};

struct loopctx {
	struct patchlist	brk, cont;
	struct loopctx		*outer;
};

struct cg {
	struct dt_cc		*cc;
	struct kt_prog		*p;
	uint16_t		used;		/* allocated registers (bit i: %ri) */
	bool			noreg;		/* ran out of registers (diagnosed) */
	bool			toobig;
	struct loopctx		*loop;
	const struct dt_node	*stmt;		/* for diagnostics */
};

static int cg_expr(struct cg *g, struct dt_node *n);

/* ----- tables ----- */
static void *grow(struct dt_cc *cc, void *v, uint32_t n, uint32_t *cap, size_t esize)
{
	void *nv;
	uint32_t ncap;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : 64;
	nv = realloc(v, ncap * esize);
	if (!nv)
		longjmp(cc->oom_jmp, 1);
	memset((char *)nv + (size_t)*cap * esize, 0, (size_t)(ncap - *cap) * esize);
	*cap = ncap;
	return nv;
}

static uint32_t stroff_n(struct dt_cc *cc, const char *s, uint32_t len)
{
	struct kt_prog *p = cc->prog;
	void *v = dt_hget(&cc->strmap, s, len);
	uint32_t off;
	char *key;

	if (v)
		return (uint32_t)(uintptr_t)v - 1;
	if (!len && p->strtab_size)
		return 0;
	while (p->strtab_size + len + 1 > cc->strcap) {
		uint32_t ncap = cc->strcap ? cc->strcap * 2 : 1024;
		char *ns = realloc(p->strtab, ncap);

		if (!ns)
			longjmp(cc->oom_jmp, 1);
		p->strtab = ns;
		cc->strcap = ncap;
	}
	off = p->strtab_size;
	memcpy(p->strtab + off, s, len);
	p->strtab[off + len] = '\0';
	p->strtab_size += len + 1;
	key = dt_strndup(&cc->ar, s, len);
	if (!dt_hput(&cc->strmap, key, len, (void *)(uintptr_t)(off + 1)))
		longjmp(cc->oom_jmp, 1);
	return off;
}

static uint32_t stroff(struct dt_cc *cc, const char *s)
{
	return stroff_n(cc, s, (uint32_t)strlen(s));
}

static uint32_t intidx(struct dt_cc *cc, int64_t v)
{
	struct kt_prog *p = cc->prog;
	void *e = dt_hget(&cc->intmap, &v, sizeof(v));
	int64_t *key;

	if (e)
		return (uint32_t)(uintptr_t)e - 1;
	p->ints = grow(cc, p->ints, p->nints, &cc->intcap, sizeof(*p->ints));
	p->ints[p->nints] = v;
	key = dt_alloc(&cc->ar, sizeof(*key));
	*key = v;
	if (!dt_hput(&cc->intmap, key, sizeof(*key), (void *)(uintptr_t)(p->nints + 1)))
		longjmp(cc->oom_jmp, 1);
	return p->nints++;
}

/* ----- instructions ----- */
static int emit(struct cg *g, int op, int rd, int rs1, int rs2, int32_t imm)
{
	struct kt_prog *p = g->p;
	struct ktrace_insn *in;

	if (p->ninsns >= DT_MAX_INSNS) {
		if (!g->toobig)
			dt_nerror(g->cc, g->stmt, "D_PROG_SIZE",
				  "program too large: more than %d instructions", DT_MAX_INSNS);
		g->toobig = true;
		return (int)p->ninsns - 1;
	}
	p->insns = grow(g->cc, p->insns, p->ninsns, &g->cc->insncap, sizeof(*p->insns));
	in = &p->insns[p->ninsns];
	in->op = (uint8_t)op;
	in->rd = (uint8_t)rd;
	in->rs1 = (uint8_t)rs1;
	in->rs2 = (uint8_t)rs2;
	in->imm = imm;
	return (int)p->ninsns++;
}

static int here(struct cg *g)
{
	return (int)g->p->ninsns;
}

static void patch(struct cg *g, int at, int target)
{
	if (at >= 0 && (uint32_t)at < g->p->ninsns)
		g->p->insns[at].imm = target;
}

static void pl_add(struct dt_cc *cc, struct patchlist *l, int at)
{
	if (l->n == l->cap) {
		int ncap = l->cap ? l->cap * 2 : 8;
		int *nv = realloc(l->v, sizeof(int) * (size_t)ncap);

		if (!nv)
			longjmp(cc->oom_jmp, 1);
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n++] = at;
}

/* ----- registers ----- */
static int ralloc(struct cg *g)
{
	for (int r = 1; r < KTRACE_NREGS; r++)
		if (!(g->used & (1u << r))) {
			g->used |= (uint16_t)(1u << r);
			return r;
		}
	if (!g->noreg)
		dt_nerror(g->cc, g->stmt, "D_NOREG",
			  "insufficient registers to generate code: simplify the expression");
	g->noreg = true;
	return 1;
}

static void rfree(struct cg *g, int r)
{
	if (r > 0 && r < KTRACE_NREGS)
		g->used &= (uint16_t)~(1u << r);
}

static void set_const(struct cg *g, int r, int64_t v)
{
	if (v >= INT32_MIN && v <= INT32_MAX)
		emit(g, KTRACE_OP_SETI, r, 0, 0, (int32_t)v);
	else
		emit(g, KTRACE_OP_SETX, r, 0, 0, (int32_t)intidx(g->cc, v));
}

/* Normalise a register to an integer type of size < 8. */
static void narrow(struct cg *g, int r, const struct dt_type *t)
{
	if (t->kind != DT_T_INT || t->size >= 8)
		return;
	emit(g, t->sign ? KTRACE_OP_SEXT : KTRACE_OP_ZEXT, r, r, 0, t->size * 8);
}

/* ----- the tuple stack ----- */
static bool uses_tuple(const struct dt_node *n)
{
	if (!n)
		return false;
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
	if (uses_tuple(n->a) || uses_tuple(n->c) || uses_tuple(n->d))
		return true;
	for (const struct dt_node *b = n->b; b; b = b->next)
		if (uses_tuple(b))
			return true;
	return false;
}

static int tuple_type(const struct dt_type *t)
{
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
static int push_val(struct cg *g, int r, const struct dt_type *t)
{
	int dt = dt_type_to_dtype(t);
	int n = 0;

	if (dt == KT_DT_USYM || dt == KT_DT_UMOD) {
		int pr = ralloc(g);

		emit(g, KTRACE_OP_LDB, pr, 0, 0, KTRACE_VAR_PID);
		emit(g, KTRACE_OP_PUSH, 0, pr, 0, KTRACE_TT_INT);
		rfree(g, pr);
		n++;
	}
	emit(g, KTRACE_OP_PUSH, 0, r, 0, tuple_type(t));
	return n + 1;
}

/*
 * Evaluate a list of values and push them.  dtypes (optional) receives
 * each element's display type.  Returns the number of elements pushed.
 */
static int push_list(struct cg *g, struct dt_node *list, uint8_t *dtypes, int maxd)
{
	struct dt_node *a, *last = NULL;
	int regs[64], nr = 0, cnt = 0;

	for (a = list; a; a = a->next)
		if (uses_tuple(a))
			last = a;
	a = list;
	if (last) {
		struct dt_node *b;

		for (b = list; ; b = b->next) {
			if (nr < 64)
				regs[nr++] = cg_expr(g, b);
			if (b == last)
				break;
		}
		nr = 0;
		for (b = list; ; b = b->next) {
			int dt = dt_type_to_dtype(&b->type);
			int k = push_val(g, regs[nr], &b->type);

			if (dtypes && k == 2 && cnt < maxd)
				dtypes[cnt] = KT_DT_UPID;
			if (dtypes && cnt + k - 1 < maxd)
				dtypes[cnt + k - 1] = (uint8_t)dt;
			cnt += k;
			rfree(g, regs[nr++]);
			if (b == last)
				break;
		}
		a = last->next;
	}
	for (; a; a = a->next) {
		int r = cg_expr(g, a);
		int dt = dt_type_to_dtype(&a->type);
		int k = push_val(g, r, &a->type);

		if (dtypes && k == 2 && cnt < maxd)
			dtypes[cnt] = KT_DT_UPID;
		if (dtypes && cnt + k - 1 < maxd)
			dtypes[cnt + k - 1] = (uint8_t)dt;
		cnt += k;
		rfree(g, r);
	}
	return cnt;
}

/* ----- variables ----- */
static int ld_op(int scope)
{
	switch (scope) {
	case KTRACE_SCOPE_TLS: return KTRACE_OP_LDT;
	case KTRACE_SCOPE_LOCAL: return KTRACE_OP_LDL;
	case KTRACE_SCOPE_GARRAY: return KTRACE_OP_LDGA;
	case KTRACE_SCOPE_TARRAY: return KTRACE_OP_LDTA;
	default: return KTRACE_OP_LDG;
	}
}

static int st_op(int scope)
{
	switch (scope) {
	case KTRACE_SCOPE_TLS: return KTRACE_OP_STT;
	case KTRACE_SCOPE_LOCAL: return KTRACE_OP_STL;
	case KTRACE_SCOPE_GARRAY: return KTRACE_OP_STGA;
	case KTRACE_SCOPE_TARRAY: return KTRACE_OP_STTA;
	default: return KTRACE_OP_STG;
	}
}

static bool is_array(const struct dt_ident *id)
{
	return id->scope == KTRACE_SCOPE_GARRAY || id->scope == KTRACE_SCOPE_TARRAY;
}

/* Key registers for an array reference (evaluated once, pushed as often as needed). */
struct keyregs {
	int			r[KTRACE_MAX_KEYS];
	const struct dt_type	*t[KTRACE_MAX_KEYS];
	int			n;
};

static void keys_eval(struct cg *g, struct dt_node *keys, struct keyregs *k)
{
	k->n = 0;
	for (struct dt_node *a = keys; a && k->n < KTRACE_MAX_KEYS; a = a->next) {
		k->r[k->n] = cg_expr(g, a);
		k->t[k->n] = &a->type;
		k->n++;
	}
}

static void keys_push(struct cg *g, const struct keyregs *k)
{
	for (int i = 0; i < k->n; i++)
		emit(g, KTRACE_OP_PUSH, 0, k->r[i], 0, tuple_type(k->t[i]));
}

static void keys_free(struct cg *g, const struct keyregs *k)
{
	for (int i = 0; i < k->n; i++)
		rfree(g, k->r[i]);
}

static void var_load(struct cg *g, int rd, const struct dt_ident *id, const struct keyregs *k)
{
	if (is_array(id) && k)
		keys_push(g, k);
	emit(g, ld_op(id->scope), rd, 0, 0, id->index);
}

static void var_store(struct cg *g, int rs, const struct dt_ident *id, const struct keyregs *k)
{
	if (is_array(id) && k)
		keys_push(g, k);
	emit(g, st_op(id->scope), 0, rs, 0, id->index);
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
	emit(g, load_op(ptr->aspace), r, r, 0, size | (sign ? KTRACE_LD_SIGNED : 0));
}

static int ptr_scale(const struct dt_type *t)
{
	if (t->kind != DT_T_PTR)
		return 1;
	if (t->pdepth > 1)
		return 8;
	if (t->btf)	/* a kernel struct: its size */
		return (int)dt_btf_type_size(t->btf);
	return t->bsize ? t->bsize : 1;
}

static void scale(struct cg *g, int r, int s)
{
	if (s > 1) {
		int t = ralloc(g);

		set_const(g, t, s);
		emit(g, KTRACE_OP_MUL, r, r, t, 0);
		rfree(g, t);
	}
}

/* Load an lvalue's current value (with keys already evaluated). */
static int cg_lvalue_load(struct cg *g, struct dt_node *l, struct keyregs *k)
{
	int r = ralloc(g);

	var_load(g, r, l->ident, k);
	return r;
}

static void cg_lvalue_keys(struct cg *g, struct dt_node *l, struct keyregs *k)
{
	k->n = 0;
	if (l->kind == DT_N_INDEX && l->ident)
		keys_eval(g, l->b, k);
}

static int arith_op(int op, bool sign)
{
	switch (op) {
	case T_PLUS: case T_ADD_EQ: case T_INC: return KTRACE_OP_ADD;
	case T_MINUS: case T_SUB_EQ: case T_DEC: return KTRACE_OP_SUB;
	case T_STAR: case T_MUL_EQ: return KTRACE_OP_MUL;
	case T_SLASH: case T_DIV_EQ: return sign ? KTRACE_OP_SDIV : KTRACE_OP_UDIV;
	case T_PERCENT: case T_MOD_EQ: return sign ? KTRACE_OP_SREM : KTRACE_OP_UREM;
	case T_AMP: case T_AND_EQ: return KTRACE_OP_AND;
	case T_PIPE: case T_OR_EQ: return KTRACE_OP_OR;
	case T_CARET: case T_XOR_EQ: return KTRACE_OP_XOR;
	case T_SHL: case T_SHL_EQ: return KTRACE_OP_SHL;
	case T_SHR: case T_SHR_EQ: return sign ? KTRACE_OP_SAR : KTRACE_OP_SHR;
	default: return KTRACE_OP_ADD;
	}
}

static void cg_store_narrow(struct cg *g, int r, const struct dt_ident *id)
{
	narrow(g, r, &id->type);
}

/* *p or p[i] as a store target (the type checker left no variable on it). */
static bool ptr_lvalue(const struct dt_node *l)
{
	return !l->ident && ((l->kind == DT_N_UNOP && l->op == T_STAR) || l->kind == DT_N_INDEX);
}

/* The address a pointer lvalue names, in a new register. */
static int cg_ptr_addr(struct cg *g, struct dt_node *l)
{
	int r = cg_expr(g, l->a), t;

	if (l->kind == DT_N_INDEX) {
		t = cg_expr(g, l->b);
		scale(g, t, ptr_scale(&l->a->type));
		emit(g, KTRACE_OP_ADD, r, r, t, 0);
		rfree(g, t);
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
			narrow(g, v, t);
		emit(g, KTRACE_OP_ST, addr, v, 0, store_size(t));
		rfree(g, addr);
		return v;
	}
	cur = ralloc(g);
	emit(g, KTRACE_OP_MOV, cur, addr, 0, 0);
	deref(g, cur, &l->a->type);
	if (op == T_INC || op == T_DEC) {
		v = ralloc(g);
		emit(g, KTRACE_OP_ADDI, v, cur, 0, op == T_INC ? ptr_scale(t) : -ptr_scale(t));
	} else {
		v = cg_expr(g, n->b);
		if (t->kind == DT_T_PTR && (op == T_ADD_EQ || op == T_SUB_EQ))
			scale(g, v, ptr_scale(t));
		emit(g, arith_op(op, t->sign), v, cur, v, 0);
	}
	if (t->kind == DT_T_INT)
		narrow(g, v, t);
	emit(g, KTRACE_OP_ST, addr, v, 0, store_size(t));
	rfree(g, addr);
	if (post) {
		rfree(g, v);
		return cur;
	}
	rfree(g, cur);
	return v;
}

static int cg_assign(struct cg *g, struct dt_node *n)
{
	struct dt_node *l = n->a;
	struct dt_ident *id = l->ident;
	struct keyregs k;
	int v, cur;

	if (ptr_lvalue(l))
		return cg_ptr_store(g, n, n->op, false);
	if (n->op == T_ASSIGN) {
		v = cg_expr(g, n->b);
		cg_lvalue_keys(g, l, &k);
		if (id->type.kind == DT_T_INT)
			cg_store_narrow(g, v, id);
		var_store(g, v, id, &k);
		keys_free(g, &k);
		return v;
	}
	cg_lvalue_keys(g, l, &k);
	cur = cg_lvalue_load(g, l, &k);
	v = cg_expr(g, n->b);
	if (id->type.kind == DT_T_PTR && (n->op == T_ADD_EQ || n->op == T_SUB_EQ))
		scale(g, v, ptr_scale(&id->type));
	emit(g, arith_op(n->op, id->type.sign), cur, cur, v, 0);
	rfree(g, v);
	narrow(g, cur, &id->type);
	var_store(g, cur, id, &k);
	keys_free(g, &k);
	return cur;
}

static int cg_incdec(struct cg *g, struct dt_node *n, bool post)
{
	struct dt_node *l = n->a;
	struct dt_ident *id = l->ident;
	struct keyregs k;
	int cur, nv, step;

	if (ptr_lvalue(l))
		return cg_ptr_store(g, n, n->op, post);
	step = ptr_scale(&id->type);

	cg_lvalue_keys(g, l, &k);
	cur = cg_lvalue_load(g, l, &k);
	nv = ralloc(g);
	emit(g, KTRACE_OP_ADDI, nv, cur, 0, n->op == T_INC ? step : -step);
	narrow(g, nv, &id->type);
	var_store(g, nv, id, &k);
	keys_free(g, &k);
	if (post) {
		rfree(g, nv);
		return cur;
	}
	rfree(g, cur);
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
		emit(g, KTRACE_OP_SCMP, a, a, b, 0);
		b = 0;	/* compare the strcmp result with 0, signed */
		lt = KTRACE_OP_SLT;
		le = KTRACE_OP_SLE;
	}
	switch (n->op) {
	case T_EQ: emit(g, KTRACE_OP_SEQ, a, a, b, 0); break;
	case T_NE: emit(g, KTRACE_OP_SNE, a, a, b, 0); break;
	case T_LT: emit(g, lt, a, a, b, 0); break;
	case T_LE: emit(g, le, a, a, b, 0); break;
	case T_GT: emit(g, lt, a, b, a, 0); break;
	default: emit(g, le, a, b, a, 0); break;
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
		rfree(g, b);
		return a;
	}
	if (n->type.kind == DT_T_PTR) {
		/* pointer +/- integer: scale the integer */
		if (ta->kind == DT_T_PTR)
			scale(g, b, ptr_scale(ta));
		else
			scale(g, a, ptr_scale(tb));
		emit(g, n->op == T_MINUS ? KTRACE_OP_SUB : KTRACE_OP_ADD, a, a, b, 0);
		rfree(g, b);
		return a;
	}
	if (ta->kind == DT_T_PTR && tb->kind == DT_T_PTR && n->op == T_MINUS) {
		int s = ptr_scale(ta);

		emit(g, KTRACE_OP_SUB, a, a, b, 0);
		if (s > 1) {
			set_const(g, b, s);
			emit(g, KTRACE_OP_SDIV, a, a, b, 0);
		}
		rfree(g, b);
		return a;
	}
	{
		bool sign = n->type.sign;

		if (n->op == T_SHR)
			sign = n->a->type.kind == DT_T_INT && n->a->type.sign && n->a->type.size >= 4 ?
			       true : (n->a->type.kind == DT_T_INT && n->a->type.size < 4);
		emit(g, arith_op(n->op, sign), a, a, b, 0);
	}
	rfree(g, b);
	if (n->op != T_SLASH && n->op != T_PERCENT && n->op != T_AMP && n->op != T_PIPE &&
	    n->op != T_CARET)
		narrow(g, a, &n->type);
	return a;
}

static int cg_logop(struct cg *g, struct dt_node *n)
{
	int r = cg_expr(g, n->a), t, j;

	if (n->op == T_LXOR) {
		t = cg_expr(g, n->b);
		emit(g, KTRACE_OP_SNE, r, r, 0, 0);
		emit(g, KTRACE_OP_SNE, t, t, 0, 0);
		emit(g, KTRACE_OP_XOR, r, r, t, 0);
		rfree(g, t);
		return r;
	}
	emit(g, KTRACE_OP_SNE, r, r, 0, 0);
	j = emit(g, n->op == T_LAND ? KTRACE_OP_BZ : KTRACE_OP_BNZ, 0, r, 0, 0);
	t = cg_expr(g, n->b);
	emit(g, KTRACE_OP_SNE, r, t, 0, 0);
	rfree(g, t);
	patch(g, j, here(g));
	return r;
}

static int cg_ternary(struct cg *g, struct dt_node *n)
{
	int r = ralloc(g), c, t, jelse, jend;

	c = cg_expr(g, n->a);
	jelse = emit(g, KTRACE_OP_BZ, 0, c, 0, 0);
	rfree(g, c);
	t = cg_expr(g, n->b);
	emit(g, KTRACE_OP_MOV, r, t, 0, 0);
	rfree(g, t);
	jend = emit(g, KTRACE_OP_BA, 0, 0, 0, 0);
	patch(g, jelse, here(g));
	t = cg_expr(g, n->c);
	emit(g, KTRACE_OP_MOV, r, t, 0, 0);
	rfree(g, t);
	patch(g, jend, here(g));
	if (n->type.kind == DT_T_INT)
		narrow(g, r, &n->type);
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
		emit(g, load_op(t->kind == DT_T_PTR ? t->aspace : DT_AS_KERNEL), r, r, 0, 4);
		emit(g, KTRACE_OP_PUSH, 0, r, 0, KTRACE_TT_INT);
		emit(g, KTRACE_OP_CALL, r, 0, 0, (int32_t)n->ival);
		return r;
	}
	push_list(g, n->b, NULL, 0);
	r = ralloc(g);
	emit(g, KTRACE_OP_CALL, r, 0, 0, (int32_t)n->ival);
	return r;
}

/* E->M, E.M of a kernel struct: E's address (or pointer value) + offset. */
static int cg_struct_member(struct cg *g, struct dt_node *n)
{
	int r = cg_expr(g, n->a);
	struct ktrace_insn *last = g->p->ninsns ? &g->p->insns[g->p->ninsns - 1] : NULL;

	/* a.b.c: one addi for the nested offsets (straight-line code, no label between) */
	if (n->mem_off && n->a->kind == DT_N_MEMBER && n->a->mem_how == DT_MEM_ADDR &&
	    n->a->mem_off && last && last->op == KTRACE_OP_ADDI && last->rd == r &&
	    last->rs1 == r && (uint64_t)last->imm + n->mem_off <= INT32_MAX)
		last->imm += (int32_t)n->mem_off;
	else if (n->mem_off)
		emit(g, KTRACE_OP_ADDI, r, r, 0, (int32_t)n->mem_off);
	switch (n->mem_how) {
	case DT_MEM_LOAD:
		emit(g, load_op(n->a->type.aspace), r, r, 0,
		     (n->type.kind == DT_T_PTR ? 8 : n->type.size) |
		     (n->type.kind == DT_T_INT && n->type.sign && n->type.size < 8 ?
		      KTRACE_LD_SIGNED : 0));
		break;
	case DT_MEM_STR: {	/* at most the array's length */
		int m = ralloc(g);

		emit(g, KTRACE_OP_PUSH, 0, r, 0, KTRACE_TT_INT);
		set_const(g, m, n->tp_size);
		emit(g, KTRACE_OP_PUSH, 0, m, 0, KTRACE_TT_INT);
		rfree(g, m);
		emit(g, KTRACE_OP_CALL, r, 0, 0, n->a->type.aspace == DT_AS_USER ?
		     KTRACE_SUBR_COPYINSTR : KTRACE_SUBR_KSTRING);
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

	if (n->mem_how)
		return cg_struct_member(g, n);
	r = ralloc(g);

	emit(g, KTRACE_OP_LDB, r, 0, 0, KTRACE_VAR_TPRAW);
	if (n->tp_dataloc) {
		int t = ralloc(g), m = ralloc(g);

		emit(g, KTRACE_OP_ADDI, t, r, 0, n->tp_off);
		emit(g, KTRACE_OP_LDS, t, t, 0, 4);
		set_const(g, m, 0xffff);
		emit(g, KTRACE_OP_AND, t, t, m, 0);
		emit(g, KTRACE_OP_ADD, r, r, t, 0);
		rfree(g, m);
		rfree(g, t);
		return r;
	}
	if (n->tp_off)
		emit(g, KTRACE_OP_ADDI, r, r, 0, n->tp_off);
	if (n->tp_str)
		return r;
	emit(g, KTRACE_OP_LDS, r, r, 0,
	     n->tp_size | (n->tp_sign && n->tp_size < 8 ? KTRACE_LD_SIGNED : 0));
	return r;
}

static int cg_expr(struct cg *g, struct dt_node *n)
{
	int r, t;

	if (n->isconst && n->type.kind == DT_T_INT) {
		r = ralloc(g);
		set_const(g, r, n->ival);
		return r;
	}
	switch (n->kind) {
	case DT_N_STR:
		r = ralloc(g);
		emit(g, KTRACE_OP_SETS, r, 0, 0, (int32_t)stroff_n(g->cc, n->sval, n->slen));
		return r;
	case DT_N_IDENT:
		r = ralloc(g);
		if (n->builtin)
			emit(g, KTRACE_OP_LDB, r, 0, 0, n->builtin - 1);
		else
			var_load(g, r, n->ident, NULL);
		return r;
	case DT_N_SELF:
	case DT_N_THIS:
		r = ralloc(g);
		var_load(g, r, n->ident, NULL);
		return r;
	case DT_N_INDEX:
		if (n->ident) {
			struct keyregs k;

			keys_eval(g, n->b, &k);
			r = ralloc(g);
			var_load(g, r, n->ident, &k);
			keys_free(g, &k);
			return r;
		}
		r = cg_expr(g, n->a);
		t = cg_expr(g, n->b);
		if (n->a->type.kind == DT_T_STRING) {
			/* str[i]: a string is a reference into ktrace memory */
			emit(g, KTRACE_OP_ADD, r, r, t, 0);
			rfree(g, t);
			emit(g, KTRACE_OP_LDS, r, r, 0, 1 | KTRACE_LD_SIGNED);
			return r;
		}
		scale(g, t, ptr_scale(&n->a->type));
		emit(g, KTRACE_OP_ADD, r, r, t, 0);
		rfree(g, t);
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
			emit(g, KTRACE_OP_NEG, r, r, 0, 0);
			narrow(g, r, &n->type);
			break;
		case T_TILDE:
			emit(g, KTRACE_OP_NOT, r, r, 0, 0);
			narrow(g, r, &n->type);
			break;
		case T_BANG:
			emit(g, KTRACE_OP_LNOT, r, r, 0, 0);
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
	case DT_N_CAST:
		r = cg_expr(g, n->a);
		if (n->type.kind == DT_T_INT)
			narrow(g, r, &n->type);
		return r;
	case DT_N_MEMBER:
		return cg_member(g, n);
	case DT_N_ARGS:
		r = cg_expr(g, n->a);
		emit(g, KTRACE_OP_LDARG, r, r, 0, 0);
		if (n->type.kind == DT_T_INT)	/* typed from BTF: int, u16... */
			narrow(g, r, &n->type);
		return r;
	case DT_N_STRINGOF:
		if (n->a->type.kind == DT_T_STRING)
			return cg_expr(g, n->a);
		r = cg_expr(g, n->a);
		emit(g, KTRACE_OP_PUSH, 0, r, 0, KTRACE_TT_INT);
		emit(g, KTRACE_OP_CALL, r, 0, 0, KTRACE_SUBR_KSTRING);
		return r;
	default:
		r = ralloc(g);
		emit(g, KTRACE_OP_SETI, r, 0, 0, 0);
		return r;
	}
}

/* ----- actions ----- */
static struct ktrace_action_desc *new_action(struct cg *g, int kind, uint32_t *idx)
{
	struct kt_prog *p = g->p;
	struct ktrace_action_desc *ad;

	p->actions = grow(g->cc, p->actions, p->nactions, &g->cc->actcap, sizeof(*p->actions));
	ad = &p->actions[p->nactions];
	memset(ad, 0, sizeof(*ad));
	ad->kind = (uint16_t)kind;
	*idx = p->nactions++;
	return ad;
}

/* printa(fmt, @a, @b...): push each aggregation's index as an integer. */
static int push_aggs(struct cg *g, struct dt_node *args, uint8_t *dtypes, int max)
{
	int n = 0, r = ralloc(g);

	for (; args; args = args->next, n++) {
		if (n >= max)
			continue;
		set_const(g, r, args->agg->index);
		emit(g, KTRACE_OP_PUSH, 0, r, 0, KTRACE_TT_INT);
		dtypes[n] = KT_DT_S64;
	}
	rfree(g, r);
	return n;
}

static void cg_act(struct cg *g, struct dt_node *call)
{
	uint8_t dtypes[16];
	struct ktrace_action_desc *ad;
	struct dt_node *args = call->b;
	uint32_t idx;
	int kind = (int)call->ival, n = 0;
	uint32_t fmt = 0, agg = 0;

	memset(dtypes, 0, sizeof(dtypes));
	if (!strcmp(call->sval, "stack") || !strcmp(call->sval, "ustack") ||
	    !strcmp(call->sval, "jstack")) {
		int r;
		bool u = strcmp(call->sval, "stack") != 0;

		if (call->b)
			call->b->next = NULL;	/* ustack(frames, strsize): strsize unused */
		push_list(g, call->b, NULL, 0);
		r = ralloc(g);
		emit(g, KTRACE_OP_CALL, r, 0, 0, u ? KTRACE_SUBR_USTACK : KTRACE_SUBR_STACK);
		emit(g, KTRACE_OP_PUSH, 0, r, 0, u ? KTRACE_TT_USTACK : KTRACE_TT_STACK);
		rfree(g, r);
		ad = new_action(g, u ? KTRACE_ACT_USTACK : KTRACE_ACT_STACK, &idx);
		ad->nargs = 1;
		ad->arg_types[0] = u ? KT_DT_USTACK : KT_DT_STACK;
		emit(g, KTRACE_OP_ACT, 0, 0, 0, (int32_t)idx);
		return;
	}
	switch (kind) {
	case KTRACE_ACT_PRINTA:
	case KTRACE_ACT_CLEAR:
	case KTRACE_ACT_TRUNC:
	case KTRACE_ACT_NORMALIZE:
	case KTRACE_ACT_DENORMALIZE:
		if (args && args->kind == DT_N_STR) {
			fmt = stroff_n(g->cc, args->sval, args->slen);
			args = args->next;
		}
		agg = (uint32_t)call->agg->index;
		if (kind == KTRACE_ACT_PRINTA && args && args->next) {
			/* joined printa: the record carries the aggregation indexes */
			n = push_aggs(g, args, dtypes, 16);
			break;
		}
		args = args ? args->next : NULL;	/* skip the aggregation */
		n = push_list(g, args, dtypes, 16);
		break;
	case KTRACE_ACT_PRINTF:
	case KTRACE_ACT_SYSTEM:
	case KTRACE_ACT_FREOPEN:
		fmt = stroff_n(g->cc, args->sval, args->slen);
		n = push_list(g, args->next, dtypes, 16);
		break;
	default:
		n = push_list(g, args, dtypes, 16);
		break;
	}
	if (n > 16) {
		dt_nerror(g->cc, call, "D_PROTO_LEN",
			  "%s( ): too many values (%d): one action records at most 16", call->sval, n);
		return;
	}
	ad = new_action(g, kind, &idx);
	ad->nargs = (uint16_t)n;
	ad->fmt = fmt;
	ad->agg = agg;
	memcpy(ad->arg_types, dtypes, sizeof(dtypes));
	emit(g, KTRACE_OP_ACT, 0, 0, 0, (int32_t)idx);
}

static void cg_agg(struct cg *g, struct dt_node *s)
{
	struct dt_aggr *ag = s->agg;
	struct dt_node *call = s->c, *val = call->b, *w = NULL;
	int rv = 0, rw = 0;
	struct keyregs k;

	if (ag->func == KTRACE_AGG_QUANTIZE && val)
		w = val->next;
	else if (ag->func == KTRACE_AGG_LQUANTIZE && val && val->next && val->next->next)
		w = val->next->next->next ? val->next->next->next->next : NULL;
	else if (ag->func == KTRACE_AGG_LLQUANTIZE && val)
		w = val->next->next->next->next ? val->next->next->next->next->next : NULL;
	if (val)
		rv = cg_expr(g, val);
	if (w)
		rw = cg_expr(g, w);
	/* keys: evaluate the ones that use the tuple stack first, then push all */
	{
		bool any = false;

		for (struct dt_node *a = s->b; a; a = a->next)
			any |= uses_tuple(a);
		if (any) {
			keys_eval(g, s->b, &k);
			for (int i = 0; i < k.n; i++)
				push_val(g, k.r[i], k.t[i]);
			keys_free(g, &k);
		} else {
			push_list(g, s->b, NULL, 0);
		}
	}
	emit(g, KTRACE_OP_AGG, 0, rv, rw, ag->index);
	rfree(g, rv);
	rfree(g, rw);
}

/* ----- statements ----- */
static void cg_stmts(struct cg *g, struct dt_node *s);

static void cg_loop_end(struct cg *g, struct loopctx *lc, int cont_target, int end_target)
{
	for (int i = 0; i < lc->cont.n; i++)
		patch(g, lc->cont.v[i], cont_target);
	for (int i = 0; i < lc->brk.n; i++)
		patch(g, lc->brk.v[i], end_target);
	free(lc->cont.v);
	free(lc->brk.v);
}

static void cg_stmt(struct cg *g, struct dt_node *s)
{
	int r, j, j2, top;
	struct loopctx lc;

	g->stmt = s;
	switch (s->kind) {
	case DT_S_EXPR:
		if (s->a->kind == DT_N_CALL && s->a->scope == DT_CC_ACTION) {
			cg_act(g, s->a);
			return;
		}
		if (s->a->type.kind == DT_T_VOID && s->a->kind == DT_N_CALL) {
			push_list(g, s->a->b, NULL, 0);
			r = ralloc(g);
			emit(g, KTRACE_OP_CALL, r, 0, 0, (int32_t)s->a->ival);
			rfree(g, r);
			return;
		}
		if (s->a->isconst)
			return;	/* no effect */
		r = cg_expr(g, s->a);
		rfree(g, r);
		return;
	case DT_S_AGG:
		cg_agg(g, s);
		return;
	case DT_S_IF:
		if (s->a->isconst) {
			if (s->a->ival && s->b)
				cg_stmt(g, s->b);
			else if (!s->a->ival && s->c)
				cg_stmt(g, s->c);
			return;
		}
		r = cg_expr(g, s->a);
		j = emit(g, KTRACE_OP_BZ, 0, r, 0, 0);
		rfree(g, r);
		if (s->b)
			cg_stmt(g, s->b);
		if (s->c) {
			j2 = emit(g, KTRACE_OP_BA, 0, 0, 0, 0);
			patch(g, j, here(g));
			cg_stmt(g, s->c);
			patch(g, j2, here(g));
		} else {
			patch(g, j, here(g));
		}
		return;
	case DT_S_WHILE:
	case DT_S_FOR: {
		struct dt_node *cond = s->kind == DT_S_WHILE ? s->a : s->b;
		struct dt_node *body = s->kind == DT_S_WHILE ? s->b : s->d;
		int cont;

		if (s->kind == DT_S_FOR && s->a) {
			r = cg_expr(g, s->a);
			rfree(g, r);
		}
		memset(&lc, 0, sizeof(lc));
		lc.outer = g->loop;
		g->loop = &lc;
		top = here(g);
		j = -1;
		if (cond && !(cond->isconst && cond->ival)) {
			r = cg_expr(g, cond);
			j = emit(g, KTRACE_OP_BZ, 0, r, 0, 0);
			rfree(g, r);
		}
		if (body)
			cg_stmt(g, body);
		cont = here(g);
		if (s->kind == DT_S_FOR && s->c) {
			g->stmt = s;
			r = cg_expr(g, s->c);
			rfree(g, r);
		}
		/* while (1) {}: loop must branch strictly backward (verifier rule 11) */
		if (here(g) == top)
			emit(g, KTRACE_OP_NOP, 0, 0, 0, 0);
		emit(g, KTRACE_OP_LOOP, 0, 0, 0, top);
		if (j >= 0)
			patch(g, j, here(g));
		g->loop = lc.outer;
		cg_loop_end(g, &lc, cont, here(g));
		return;
	}
	case DT_S_BREAK:
	case DT_S_CONTINUE:
		if (!g->loop)
			return;
		j = emit(g, KTRACE_OP_BA, 0, 0, 0, 0);
		pl_add(g->cc, s->kind == DT_S_BREAK ? &g->loop->brk : &g->loop->cont, j);
		return;
	case DT_S_BLOCK:
		cg_stmts(g, s->a);
		return;
	default:
		return;
	}
}

static void cg_stmts(struct cg *g, struct dt_node *s)
{
	for (; s; s = s->next) {
		cg_stmt(g, s);
		g->used = 0;	/* nothing lives across statements */
	}
}

/* ----- tables ----- */
static void cg_tables(struct cg *g)
{
	struct dt_cc *cc = g->cc;
	struct kt_prog *p = g->p;

	p->nvars = (uint32_t)cc->nvars;
	if (cc->nvars) {
		p->vars = calloc((size_t)cc->nvars, sizeof(*p->vars));
		if (!p->vars)
			longjmp(cc->oom_jmp, 1);
	}
	for (int i = 0; i < cc->nvars; i++) {
		const struct dt_ident *id = cc->vars[i];
		struct ktrace_var_desc *vd = &p->vars[i];

		vd->name = stroff(cc, id->name);
		vd->scope = (uint8_t)id->scope;
		vd->type = id->type.kind == DT_T_STRING ? KTRACE_TYPE_STRING : KTRACE_TYPE_INT;
		if (is_array(id))
			vd->nkeys = id->nkeys > 0 ? (uint32_t)id->nkeys : 1;
	}
	p->naggs = (uint32_t)cc->naggs;
	if (cc->naggs) {
		p->aggs = calloc((size_t)cc->naggs, sizeof(*p->aggs));
		p->agg_key_dtypes = calloc((size_t)cc->naggs, sizeof(*p->agg_key_dtypes));
		p->agg_val_dtype = calloc((size_t)cc->naggs, 1);
		if (!p->aggs || !p->agg_key_dtypes || !p->agg_val_dtype)
			longjmp(cc->oom_jmp, 1);
	}
	for (int i = 0; i < cc->naggs; i++) {
		const struct dt_aggr *ag = cc->aggv[i];
		struct ktrace_agg_desc *ad = &p->aggs[i];

		ad->name = stroff(cc, ag->name);
		ad->func = (uint16_t)(ag->func < 0 ? 0 : ag->func);
		ad->nkeys = (uint16_t)ag->nkeys;
		for (int k = 0; k < ag->nkeys && k < KTRACE_MAX_KEYS; k++) {
			int dt = ag->kdtype[k];

			ad->key_types[k] = dt == KT_DT_STRING ? KTRACE_TYPE_STRING :
					   dt == KT_DT_STACK ? KTRACE_TYPE_STACK :
					   dt == KT_DT_USTACK ? KTRACE_TYPE_USTACK : KTRACE_TYPE_INT;
			p->agg_key_dtypes[i][k] = (uint8_t)dt;
		}
		memcpy(ad->params, ag->params, sizeof(ad->params));
		p->agg_val_dtype[i] = (uint8_t)dt_type_to_dtype(&ag->valtype);
		if (ag->func == KTRACE_AGG_COUNT)
			p->agg_val_dtype[i] = KT_DT_U64;
	}
}

/*
 * The default ERROR clause: dtrace:::ERROR { record arg1..arg5 } as one
 * action flagged KT_ACTF_DEFERR, from which the consumer prints DTrace's
 * "error on enabled probe ID ..." message.
 */
static void cg_default_error(struct cg *g)
{
	struct kt_prog *p = g->p;
	struct ktrace_clause_desc *cd = &p->clauses[p->nclauses];
	struct kt_clause_info *ci = &p->cinfo[p->nclauses];
	struct ktrace_action_desc *ad;
	uint32_t idx;
	int r;

	ci->specs = calloc(1, sizeof(*ci->specs));
	if (!ci->specs)
		longjmp(g->cc->oom_jmp, 1);
	strcpy(ci->specs->prov, kt_prov_dtrace.name);
	strcpy(ci->specs->name, "ERROR");
	ci->specs->file = "<default ERROR handler>";
	ci->nspecs = 1;
	ci->src = -1;
	p->errclause = (int)p->nclauses++;
	cd->body_start = p->ninsns;
	g->used = 0;
	r = ralloc(g);
	for (int i = 1; i <= 5; i++) {
		emit(g, KTRACE_OP_LDB, r, 0, 0, KTRACE_VAR_ARG0 + i);
		emit(g, KTRACE_OP_PUSH, 0, r, 0, KTRACE_TT_INT);
	}
	rfree(g, r);
	ad = new_action(g, KTRACE_ACT_TRACE, &idx);
	ad->nargs = 5;
	ad->flags = KT_ACTF_DEFERR;
	emit(g, KTRACE_OP_ACT, 0, 0, 0, (int32_t)idx);
	emit(g, KTRACE_OP_RET, 0, 0, 0, 0);
	cd->body_len = p->ninsns - cd->body_start;
}

static bool is_pid(const struct dt_node *n)
{
	return n->kind == DT_N_IDENT && n->builtin == KTRACE_VAR_PID + 1;
}

/*
 * Does predicate n hold only in the target or its progeny?  `pid ==
 * $target` (either way round), `progenyof($target)`, or a conjunction
 * with one of them on either side.
 */
static bool pred_target_only(const struct dt_node *n, int target, int depth)
{
	if (!n || target <= 0 || depth > 64)
		return false;
	if (n->kind == DT_N_LOGOP && n->op == T_LAND)
		return pred_target_only(n->a, target, depth + 1) ||
		       pred_target_only(n->b, target, depth + 1);
	if (n->kind == DT_N_CALL && n->sval && !strcmp(n->sval, "progenyof"))
		return n->b && !n->b->next && n->b->kind == DT_N_INT && n->b->ival == target;
	if (n->kind != DT_N_BINOP || n->op != T_EQ)
		return false;
	return (is_pid(n->a) && n->b->kind == DT_N_INT && n->b->ival == target) ||
	       (is_pid(n->b) && n->a->kind == DT_N_INT && n->a->ival == target);
}

int dt_codegen(struct dt_cc *cc)
{
	struct cg g;
	struct kt_prog *p;
	uint32_t nclauses = 0;
	int nlib = 0;

	p = calloc(1, sizeof(*p));
	if (!p)
		longjmp(cc->oom_jmp, 1);
	cc->prog = p;
	memset(&g, 0, sizeof(g));
	g.cc = cc;
	g.p = p;
	stroff_n(cc, "", 0);	/* offset 0 is "" */
	if (!p->strtab_size) {
		p->strtab = grow(cc, p->strtab, 0, &cc->strcap, 1);
		p->strtab[0] = '\0';
		p->strtab_size = 1;
	}
	p->errclause = -1;
	while (nlib < cc->nsrcs && cc->srcs[nlib].lib)
		nlib++;
	for (struct dt_node *c = cc->top; c; c = c->next)
		if (c->kind == DT_TOP_CLAUSE)
			nclauses++;
	nclauses += cc->opts->error_clause && !cc->opts->probe_only;
	if (nclauses) {
		p->cinfo = calloc(nclauses, sizeof(*p->cinfo));
		p->clauses = calloc(nclauses, sizeof(*p->clauses));
		if (!p->cinfo || !p->clauses)
			longjmp(cc->oom_jmp, 1);
	}
	for (struct dt_node *c = cc->top; c; c = c->next) {
		struct ktrace_clause_desc *cd;
		struct kt_clause_info *ci;
		int r;

		if (c->kind != DT_TOP_CLAUSE)
			continue;
		cd = &p->clauses[p->nclauses];
		ci = &p->cinfo[p->nclauses];
		p->nclauses++;
		ci->specs = calloc((size_t)c->nspecs, sizeof(*ci->specs));
		if (!ci->specs && c->nspecs)
			longjmp(cc->oom_jmp, 1);
		memcpy(ci->specs, c->specs, sizeof(*ci->specs) * (size_t)c->nspecs);
		ci->nspecs = c->nspecs;
		ci->target_only = pred_target_only(c->a, cc->opts->target_pid, 0);
		ci->src = c->src - nlib;
		dt_clause_attrs(c, &ci->desc_attr, &ci->stmt_attr);
		if (cc->opts->probe_only)
			continue;
		g.stmt = c;
		g.noreg = false;
		if (c->a) {
			cd->pred_start = p->ninsns;
			g.used = 0;
			r = cg_expr(&g, c->a);
			emit(&g, KTRACE_OP_RET, 0, r, 0, 0);
			cd->pred_len = p->ninsns - cd->pred_start;
		}
		cd->body_start = p->ninsns;
		g.used = 0;
		if (!c->b) {
			uint32_t idx;

			new_action(&g, KTRACE_ACT_NONE, &idx);
			emit(&g, KTRACE_OP_ACT, 0, 0, 0, (int32_t)idx);
		} else {
			cg_stmts(&g, c->b);
		}
		emit(&g, KTRACE_OP_RET, 0, 0, 0, 0);
		cd->body_len = p->ninsns - cd->body_start;
		if (!cd->pred_len)
			cd->pred_start = 0;
	}
	if (cc->opts->error_clause && !cc->opts->probe_only)
		cg_default_error(&g);
	cg_tables(&g);
	return cc->diags && cc->diags->nerrors ? -1 : 0;
}
