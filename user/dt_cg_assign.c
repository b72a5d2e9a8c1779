// SPDX-License-Identifier: GPL-2.0
/*
 * dt_cg_assign.c: the code generator's assignments (see dt_codegen.c for
 * the scheme): =, the compound assignments (+= ... >>=), ++ and -- of a
 * variable or an array's element, a declared array's element (ldgx/stgx),
 * a store through a pointer (st into scratch), a member of a struct
 * variable and a struct variable's copy (dt_cg_var.c).  cg_expr()
 * (dt_cg_expr.c) calls them.
 */
#include <stdlib.h>
#include <string.h>
#include "dt_cg.h"

/* Load an lvalue's current value (with keys already evaluated). */
static int cg_lvalue_load(struct cg *g, struct dt_node *l, struct keyregs *k)
{
	int r = cg_ralloc(g);

	cg_var_load(g, r, l->ident, k);
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

/*
 * The value `l op= r` or `l++`... stores (OP: the assignment operator, or
 * T_INC/T_DEC), from CUR, l's current value, of type T: CUR +/- T's step
 * (a pointer's target size), or CUR op N's right-hand side (an integer
 * added to or taken from a pointer scaled so), narrowed to T; in a new
 * register.
 */
int cg_compound_value(struct cg *g, struct dt_node *n, int op, int cur, const struct dt_type *t)
{
	int v;

	if (op == T_INC || op == T_DEC) {
		v = cg_ralloc(g);
		cg_emit(g, KTRACE_OP_ADDI, v, cur, 0, op == T_INC ? cg_ptr_scale(t) : -cg_ptr_scale(t));
	} else {
		v = cg_expr(g, n->b);
		if (t->kind == DT_T_PTR && (op == T_ADD_EQ || op == T_SUB_EQ))
			cg_scale(g, v, cg_ptr_scale(t));
		cg_emit(g, cg_arith_op(op, t->kind == DT_T_INT && t->sign), v, cur, v, 0);
	}
	cg_narrow(g, v, t);
	return v;
}

/*
 * The value of a compound assignment or ++/-- that stored V from CUR: V,
 * or CUR for the postfix forms (POST); the other register is freed.
 */
int cg_compound_result(struct cg *g, int cur, int v, bool post)
{
	if (post) {
		cg_rfree(g, v);
		return cur;
	}
	cg_rfree(g, cur);
	return v;
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
		cg_narrow(g, v, t);
		cg_emit(g, KTRACE_OP_STGX, idx, v, 0, var);
		cg_rfree(g, idx);
		return v;
	}
	cur = cg_ralloc(g);
	cg_emit(g, KTRACE_OP_LDGX, cur, idx, 0, var);
	v = cg_compound_value(g, n, op, cur, t);
	cg_emit(g, KTRACE_OP_STGX, idx, v, 0, var);
	cg_rfree(g, idx);
	return cg_compound_result(g, cur, v, post);
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
		cg_narrow(g, v, t);
		cg_emit(g, KTRACE_OP_ST, addr, v, 0, store_size(t));
		cg_rfree(g, addr);
		return v;
	}
	cur = cg_ralloc(g);
	cg_emit(g, KTRACE_OP_MOV, cur, addr, 0, 0);
	if (l->kind == DT_N_MEMBER)
		cg_emit(g, cg_load_op(l->a->type.aspace), cur, cur, 0, store_size(t) |
			(t->kind == DT_T_INT && t->sign && t->size < 8 ? KTRACE_LD_SIGNED : 0));
	else
		cg_deref(g, cur, &l->a->type);
	v = cg_compound_value(g, n, op, cur, t);
	cg_emit(g, KTRACE_OP_ST, addr, v, 0, store_size(t));
	cg_rfree(g, addr);
	return cg_compound_result(g, cur, v, post);
}

int cg_assign(struct cg *g, struct dt_node *n)
{
	struct dt_node *l = n->a;
	struct dt_ident *id = l->ident;
	struct keyregs k;
	int v, cur;

	if (cg_garr_elem(l))
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
		cg_var_store(g, v, id, &k);
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
	cg_var_store(g, cur, id, &k);
	cg_keys_free(g, &k);
	return cur;
}

int cg_incdec(struct cg *g, struct dt_node *n, bool post)
{
	struct dt_node *l = n->a;
	struct dt_ident *id = l->ident;
	struct keyregs k;
	int cur, nv;

	if (cg_garr_elem(l))
		return cg_garr_store(g, n, n->op, post);
	if (ptr_lvalue(l))
		return cg_ptr_store(g, n, n->op, post);
	if (l->kind == DT_N_MEMBER && l->mem_how == DT_MEM_VAR)
		return cg_var_member_store(g, n, n->op, post);
	cg_lvalue_keys(g, l, &k);
	cur = cg_lvalue_load(g, l, &k);
	nv = cg_compound_value(g, n, n->op, cur, &id->type);
	cg_var_store(g, nv, id, &k);
	cg_keys_free(g, &k);
	return cg_compound_result(g, cur, nv, post);
}
