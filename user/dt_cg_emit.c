// SPDX-License-Identifier: GPL-2.0
/*
 * dt_cg_emit.c: the code generator's emitter (see dt_codegen.c for the
 * scheme), below the expressions (dt_cg_expr.c, dt_cg_var.c,
 * dt_cg_assign.c) and the statements (dt_codegen.c): the object's string
 * and integer tables, emitting and patching instructions, the register
 * bitmap, constants, and which instruction loads, stores or computes what
 * (a variable's scope, an address space, an operator, a pointer's scale).
 * It generates no expression.
 */
#include <stdlib.h>
#include <string.h>
#include "dt_cg.h"

/* ----- tables ----- */
void *cg_grow(struct dt_cc *cc, void *v, uint32_t n, uint32_t *cap, size_t esize)
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

uint32_t cg_stroff_n(struct dt_cc *cc, const char *s, uint32_t len)
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

uint32_t cg_stroff(struct dt_cc *cc, const char *s)
{
	return cg_stroff_n(cc, s, (uint32_t)strlen(s));
}

static uint32_t intidx(struct dt_cc *cc, int64_t v)
{
	struct kt_prog *p = cc->prog;
	void *e = dt_hget(&cc->intmap, &v, sizeof(v));
	int64_t *key;

	if (e)
		return (uint32_t)(uintptr_t)e - 1;
	p->ints = cg_grow(cc, p->ints, p->nints, &cc->intcap, sizeof(*p->ints));
	p->ints[p->nints] = v;
	key = dt_alloc(&cc->ar, sizeof(*key));
	*key = v;
	if (!dt_hput(&cc->intmap, key, sizeof(*key), (void *)(uintptr_t)(p->nints + 1)))
		longjmp(cc->oom_jmp, 1);
	return p->nints++;
}

/* ----- instructions ----- */
int cg_emit(struct cg *g, int op, int rd, int rs1, int rs2, int32_t imm)
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
	p->insns = cg_grow(g->cc, p->insns, p->ninsns, &g->cc->insncap, sizeof(*p->insns));
	in = &p->insns[p->ninsns];
	in->op = (uint8_t)op;
	in->rd = (uint8_t)rd;
	in->rs1 = (uint8_t)rs1;
	in->rs2 = (uint8_t)rs2;
	in->imm = imm;
	return (int)p->ninsns++;
}

int cg_here(struct cg *g)
{
	return (int)g->p->ninsns;
}

void cg_patch(struct cg *g, int at, int target)
{
	if (at >= 0 && (uint32_t)at < g->p->ninsns)
		g->p->insns[at].imm = target;
}

void cg_pl_add(struct dt_cc *cc, struct patchlist *l, int at)
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
int cg_ralloc(struct cg *g)
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

void cg_rfree(struct cg *g, int r)
{
	if (r > 0 && r < KTRACE_NREGS)
		g->used &= (uint16_t)~(1u << r);
}

void cg_set_const(struct cg *g, int r, int64_t v)
{
	if (v >= INT32_MIN && v <= INT32_MAX)
		cg_emit(g, KTRACE_OP_SETI, r, 0, 0, (int32_t)v);
	else
		cg_emit(g, KTRACE_OP_SETX, r, 0, 0, (int32_t)intidx(g->cc, v));
}

/* Normalise a register to an integer type of size < 8. */
void cg_narrow(struct cg *g, int r, const struct dt_type *t)
{
	if (t->kind != DT_T_INT || t->size >= 8)
		return;
	cg_emit(g, t->sign ? KTRACE_OP_SEXT : KTRACE_OP_ZEXT, r, r, 0, t->size * 8);
}

/* ----- which instruction ----- */
int cg_ld_op(int scope)
{
	switch (scope) {
	case KTRACE_SCOPE_TLS: return KTRACE_OP_LDT;
	case KTRACE_SCOPE_LOCAL: return KTRACE_OP_LDL;
	case KTRACE_SCOPE_GARRAY: return KTRACE_OP_LDGA;
	case KTRACE_SCOPE_TARRAY: return KTRACE_OP_LDTA;
	default: return KTRACE_OP_LDG;
	}
}

int cg_st_op(int scope)
{
	switch (scope) {
	case KTRACE_SCOPE_TLS: return KTRACE_OP_STT;
	case KTRACE_SCOPE_LOCAL: return KTRACE_OP_STL;
	case KTRACE_SCOPE_GARRAY: return KTRACE_OP_STGA;
	case KTRACE_SCOPE_TARRAY: return KTRACE_OP_STTA;
	default: return KTRACE_OP_STG;
	}
}

/* The load from address space ASPACE (DT_AS_*): ldu, lds or ldk. */
int cg_load_op(int aspace)
{
	return aspace == DT_AS_USER ? KTRACE_OP_LDU : aspace == DT_AS_KTRACE ? KTRACE_OP_LDS :
	       KTRACE_OP_LDK;
}

/* *R, R a pointer of type PTR: the load of what it points to, into R. */
void cg_deref(struct cg *g, int r, const struct dt_type *ptr)
{
	int size, sign;

	if (ptr->pdepth > 1) {
		size = 8;
		sign = 0;
	} else {
		size = ptr->bsize ? ptr->bsize : 8;
		sign = ptr->bsign && size < 8;
	}
	cg_emit(g, cg_load_op(ptr->aspace), r, r, 0, size | (sign ? KTRACE_LD_SIGNED : 0));
}

int cg_ptr_scale(const struct dt_type *t)
{
	if (t->kind != DT_T_PTR)
		return 1;
	if (t->pdepth > 1)
		return 8;
	if (t->btf)	/* a kernel struct: its size */
		return (int)dt_btf_type_size(t->btf);
	if (t->dstruct)	/* a struct declared in D: its size */
		return (int)dt_dstruct_size(t->dstruct);
	return t->bsize ? t->bsize : 1;
}

void cg_scale(struct cg *g, int r, int s)
{
	if (s > 1) {
		int t = cg_ralloc(g);

		cg_set_const(g, t, s);
		cg_emit(g, KTRACE_OP_MUL, r, r, t, 0);
		cg_rfree(g, t);
	}
}

int cg_arith_op(int op, bool sign)
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
