// SPDX-License-Identifier: GPL-2.0
/*
 * Type checking of operators (see dt_typecheck.c for the overview):
 * binary operators with C's usual arithmetic conversions, pointer
 * arithmetic, string comparison and constant folding (division by a
 * constant zero is D_DIV_ZERO); the logical operators; assignments and
 * compound assignments (lvalues: variables, declared arrays' elements,
 * stores through pointers), ++ and --; the unary operators (- ~ ! * &).
 * tc_expr() (dt_typecheck.c) dispatches to them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "dt_tc.h"

static void fold_binop(struct dt_cc *cc, struct dt_node *n)
{
	int64_t a = n->a->ival, b = n->b->ival, r = 0;
	bool u = !n->type.sign;

	if (!n->a->isconst || !n->b->isconst || !is_int(&n->type))
		return;
	switch (n->op) {
	case T_PLUS: r = (int64_t)((uint64_t)a + (uint64_t)b); break;
	case T_MINUS: r = (int64_t)((uint64_t)a - (uint64_t)b); break;
	case T_STAR: r = (int64_t)((uint64_t)a * (uint64_t)b); break;
	case T_SLASH:
	case T_PERCENT:
		if (b == 0)
			return;	/* diagnosed */
		if (u)
			r = (int64_t)(n->op == T_SLASH ? (uint64_t)a / (uint64_t)b :
					(uint64_t)a % (uint64_t)b);
		else if (b == -1)
			r = n->op == T_SLASH ? (int64_t)(0 - (uint64_t)a) : 0;
		else
			r = n->op == T_SLASH ? a / b : a % b;
		break;
	case T_AMP: r = a & b; break;
	case T_PIPE: r = a | b; break;
	case T_CARET: r = a ^ b; break;
	case T_SHL: r = (int64_t)((uint64_t)a << (b & 63)); break;
	case T_SHR:
		r = u ? (int64_t)((uint64_t)a >> (b & 63)) : a >> (b & 63);
		break;
	case T_EQ: r = a == b; break;
	case T_NE: r = a != b; break;
	case T_LT: r = u ? (uint64_t)a < (uint64_t)b : a < b; break;
	case T_LE: r = u ? (uint64_t)a <= (uint64_t)b : a <= b; break;
	case T_GT: r = u ? (uint64_t)a > (uint64_t)b : a > b; break;
	case T_GE: r = u ? (uint64_t)a >= (uint64_t)b : a >= b; break;
	default:
		return;
	}
	(void)cc;
	/*
	 * + - * keep their 64-bit value, as the code computing them does; so
	 * does a folded <<, as DTrace's folding does ((1 << 63) - 1 is
	 * INT64_MAX, aggs/tst.neglquant), where a computed shift is narrowed
	 */
	if (n->op != T_PLUS && n->op != T_MINUS && n->op != T_STAR && n->op != T_SHL)
		r = tc_trunc_val(r, &n->type);
	n->ival = r;
	n->isconst = true;
}

/* N is NULL (DTrace's null pointer, not just any 0) and OTHER a string */
static bool is_null_const(const struct dt_node *n, const struct dt_type *other)
{
	return is_str(other) && n->kind == DT_N_IDENT && !strcmp(n->sval, "NULL") &&
	       n->isconst && n->ival == 0;
}

static bool is_cmp(int op)
{
	return op == T_EQ || op == T_NE || op == T_LT || op == T_LE || op == T_GT || op == T_GE;
}

void tc_binop(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_type *a, *b;
	int op = n->op;

	tc_expr(cc, n->a);
	tc_expr(cc, n->b);
	a = &n->a->type;
	b = &n->b->type;
	if (is_err(a) || is_err(b)) {
		tc_set_err(n);
		return;
	}
	if (is_cmp(op)) {
		if ((op == T_EQ || op == T_NE) && (is_null_const(n->a, b) || is_null_const(n->b, a))) {
			/* a string against NULL: is the reference NULL (strtok() at the end) */
			n->type = dt_t_i32;
			n->ctype = dt_t_u64;
			return;
		}
		if ((is_str(a) && is_str(b)) || (is_scalar(a) && is_scalar(b))) {
			n->type = dt_t_i32;
			/* signedness of the comparison: from the operands */
			if (is_scalar(a)) {
				struct dt_type c = (is_ptr(a) || is_ptr(b)) ? dt_t_u64 : tc_arith_conv(a, b);

				n->ctype = c;	/* comparison type for codegen */
				n->type = dt_t_i32;
				{
					struct dt_type save = n->type;

					n->type = c;
					fold_binop(cc, n);
					n->type = save;
				}
			}
			return;
		}
		tc_incompat(cc, n, a, op, b);
		return;
	}
	if (op == T_PLUS && ((is_str(a) && is_int(b)) || (is_int(a) && is_str(b)))) {
		/* string + n (n + string): the string from its n-th byte, as DTrace */
		n->type = dt_t_string;
		return;
	}
	if (!is_scalar(a) || !is_scalar(b)) {
		tc_incompat(cc, n, a, op, b);
		return;
	}
	if (is_ptr(a) || is_ptr(b)) {
		/* void * has no element size: no arithmetic on it, as in D */
		if ((op == T_PLUS || op == T_MINUS) && (is_void_ptr(a) || is_void_ptr(b))) {
			tc_incompat(cc, n, a, op, b);
			return;
		}
		if (op == T_PLUS && is_ptr(a) != is_ptr(b)) {
			n->type = is_ptr(a) ? *a : *b;
			return;
		}
		if (op == T_MINUS && is_ptr(a) && is_int(b)) {
			n->type = *a;
			return;
		}
		if (op == T_MINUS && is_ptr(a) && is_ptr(b)) {
			n->type = dt_t_i64;
			return;
		}
		/* bit operations on addresses: treat as integers */
		if (op == T_AMP || op == T_PIPE || op == T_CARET || op == T_SHL || op == T_SHR ||
		    op == T_PERCENT || op == T_SLASH || op == T_STAR) {
			n->type = dt_t_u64;
			return;
		}
		tc_incompat(cc, n, a, op, b);
		return;
	}
	if ((op == T_SLASH || op == T_PERCENT) && n->b->isconst && n->b->ival == 0) {
		dt_nerror(cc, n, "D_DIV_ZERO", "expression contains division by zero");
		tc_set_err(n);
		return;
	}
	if (op == T_SHL || op == T_SHR)
		n->type = tc_promote(*a);
	else
		n->type = tc_arith_type(a, b);
	fold_binop(cc, n);
}

void tc_logop(struct dt_cc *cc, struct dt_node *n)
{
	tc_expr(cc, n->a);
	tc_expr(cc, n->b);
	if (is_err(&n->a->type) || is_err(&n->b->type)) {
		tc_set_err(n);
		return;
	}
	if (!is_scalar(&n->a->type) || !is_scalar(&n->b->type)) {
		tc_incompat(cc, n, &n->a->type, n->op, &n->b->type);
		return;
	}
	n->type = dt_t_i32;
	if (n->a->isconst && n->b->isconst) {
		bool x = n->a->ival != 0, y = n->b->ival != 0;

		n->ival = n->op == T_LAND ? (x && y) : n->op == T_LOR ? (x || y) : (x != y);
		n->isconst = true;
	}
}

/*
 * A store through a pointer: *p, p[i] where p is a pointer variable or
 * expression (not an associative array), p->m, s.m.  Code generation emits `st`,
 * which the VM bounds to scratch (alloca() memory).
 */
static bool is_ptr_lvalue(struct dt_cc *cc, const struct dt_node *l)
{
	const struct dt_ident *id;

	if ((l->kind == DT_N_UNOP && l->op == T_STAR) || l->kind == DT_N_MEMBER)
		return true;
	if (l->kind != DT_N_INDEX)
		return false;
	switch (l->a->kind) {
	case DT_N_IDENT:
		if (dt_builtin_lookup(l->a->sval) >= 0)
			return true;
		id = dt_var_lookup(cc, l->a->sval, KTRACE_SCOPE_GLOBAL);
		return id && id->scope != KTRACE_SCOPE_GARRAY;
	case DT_N_SELF:
		id = dt_var_lookup(cc, l->a->sval, KTRACE_SCOPE_TLS);
		return id && id->scope != KTRACE_SCOPE_TARRAY;
	case DT_N_THIS:
		return true;	/* a clause-local pointer, or D_ARR_LOCAL from tc_index */
	default:
		return true;
	}
}

/*
 * p->name[i] = c: a char of a char array member of a struct in alloca( )
 * or copyin( ) memory, stored (plain assignment only; strings elsewhere
 * are read only).
 */
static bool tc_char_array_store(const struct dt_node *n, const struct dt_node *l)
{
	const struct dt_node *m = l->a;

	return n->kind == DT_N_ASSIGN && n->op == T_ASSIGN && m->kind == DT_N_MEMBER &&
	       m->mem_how == DT_MEM_STR && m->a && m->a->type.aspace == DT_AS_KTRACE &&
	       (m->a->type.kind == DT_T_PTR || m->a->type.kind == DT_T_STRUCT);
}

/* Type-check the target of a store through a pointer; false if diagnosed. */
static bool tc_ptr_lvalue(struct dt_cc *cc, struct dt_node *n, struct dt_node *l)
{
	tc_expr(cc, l);
	if (is_err(&l->type))
		return false;
	/*
	 * a member: an integer or pointer of a struct in alloca()/copyin()
	 * memory, or of a struct variable
	 */
	if (l->kind == DT_N_MEMBER && l->mem_how == DT_MEM_VAR && is_scalar(&l->type)) {
		l->lvalue = true;
		return true;
	}
	if (l->kind == DT_N_MEMBER && (l->mem_how != DT_MEM_LOAD ||
	    (!l->a->type.dstruct && l->a->type.aspace != DT_AS_KTRACE))) {
		dt_nerror(cc, n, "D_OP_LVAL", "operator %s requires a modifiable lvalue",
			  tc_opname(n->op));
		return false;
	}
	if (l->kind == DT_N_INDEX && l->a->type.kind == DT_T_STRING &&
	    !tc_char_array_store(n, l)) {
		dt_nerror(cc, n, "D_OP_LVAL", "operator %s requires a modifiable lvalue: the characters of a string cannot be assigned",
			  tc_opname(n->op));
		return false;
	}
	if (!is_int(&l->type) && !is_ptr(&l->type)) {
		char x[64];

		dt_type_name(&l->type, x, sizeof(x));
		dt_nerror(cc, n, "D_OP_LVAL", "operator %s requires a modifiable lvalue: cannot store a value of type \"%s\" through a pointer",
			  tc_opname(n->op), x);
		return false;
	}
	l->lvalue = true;
	return true;
}

static bool check_lvalue(struct dt_cc *cc, struct dt_node *n, int op)
{
	struct dt_node *l = n->a;
	const struct dt_ident *id;

	if (l->kind == DT_N_IDENT && dt_builtin_lookup(l->sval) >= 0) {
		dt_nerror(cc, n, "D_OP_WRITE", "operator %s requires a modifiable lvalue: %s is a built-in variable",
			  tc_opname(op), l->sval);
		return false;
	}
	if (l->kind == DT_N_IDENT && (id = dt_var_lookup(cc, l->sval, KTRACE_SCOPE_GLOBAL)) &&
	    id->nelems) {
		dt_nerror(cc, n, "D_OP_LVAL", "operator %s requires a modifiable lvalue: %s is an array",
			  tc_opname(op), l->sval);
		return false;
	}
	if (l->kind == DT_N_IDENT || l->kind == DT_N_SELF || l->kind == DT_N_THIS ||
	    (l->kind == DT_N_INDEX && (l->a->kind == DT_N_IDENT || l->a->kind == DT_N_SELF)) ||
	    is_ptr_lvalue(cc, l))
		return true;
	if (l->kind == DT_N_AGGREF) {
		dt_nerror(cc, n, "D_AGG_FUNC",
			  "aggregations may only be assigned the result of an aggregating function");
		return false;
	}
	dt_nerror(cc, n, "D_OP_LVAL", "operator %s requires a modifiable lvalue", tc_opname(op));
	return false;
}

/* Look up or create the variable an assignment targets. */
struct dt_ident *tc_assign_target(struct dt_cc *cc, struct dt_node *l, bool define,
				  const struct dt_type *rt)
{
	struct dt_ident *id;

	switch (l->kind) {
	case DT_N_IDENT:
		id = dt_var_lookup(cc, l->sval, KTRACE_SCOPE_GLOBAL);
		if (id && id->scope == KTRACE_SCOPE_GARRAY) {
			dt_nerror(cc, l, "D_ARR_BADREF", "%s is an associative array: use %s[key]",
				  l->sval, l->sval);
			return NULL;
		}
		if (!id) {
			if (!define) {
				dt_nerror(cc, l, "D_IDENT_UNDEF",
					  "failed to resolve %s: Unknown variable name", l->sval);
				return NULL;
			}
			id = dt_var_new(cc, l->sval, KTRACE_SCOPE_GLOBAL, l);
		}
		break;
	case DT_N_SELF:
	case DT_N_THIS: {
		int scope = l->kind == DT_N_SELF ? KTRACE_SCOPE_TLS : KTRACE_SCOPE_LOCAL;

		id = dt_var_lookup(cc, l->sval, scope);
		if (id && id->scope == KTRACE_SCOPE_TARRAY) {
			dt_nerror(cc, l, "D_ARR_BADREF", "self->%s is an associative array", l->sval);
			return NULL;
		}
		if (!id)
			id = dt_var_new(cc, l->sval, scope, l);
		break;
	}
	case DT_N_INDEX: {
		bool self = l->a->kind == DT_N_SELF;
		int scope = self ? KTRACE_SCOPE_TARRAY : KTRACE_SCOPE_GARRAY;

		if (l->a->kind == DT_N_IDENT && !strcmp(l->a->sval, "uregs")) {
			dt_nerror(cc, l, "D_OP_WRITE", "uregs[ ] is a read-only built-in variable");
			return NULL;
		}

		for (struct dt_node *k = l->b; k; k = k->next)
			tc_expr(cc, k);
		for (struct dt_node *k = l->b; k; k = k->next)
			if (is_err(&k->type))
				return NULL;
		id = dt_var_lookup(cc, l->a->sval, self ? KTRACE_SCOPE_TLS : KTRACE_SCOPE_GLOBAL);
		if (id && id->scope != scope) {
			dt_nerror(cc, l, "D_ARR_BADREF", "%s%s is not an associative array",
				  self ? "self->" : "", l->a->sval);
			return NULL;
		}
		if (!id)
			id = dt_var_new(cc, l->a->sval, scope, l);
		if (!tc_check_keys(cc, l, tc_scope_prefix(scope), l->a->sval, &id->nkeys, id->keys, l->b,
				true))
			return NULL;
		break;
	}
	default:
		return NULL;
	}
	if (!id->typed && rt) {
		id->type = *rt;
		id->type.dtype = rt->dtype;
		if (is_int(&id->type) && id->type.size < 4 && !id->type.ischar)
			id->type = tc_promote(id->type);
		id->typed = true;
		if (!dt_var_words(cc, id, l))
			return NULL;
	} else if (!id->typed) {
		id->type = dt_t_i64;
		id->typed = true;
	}
	l->ident = id;
	l->type = id->type;
	l->lvalue = true;
	return id;
}

void tc_assign(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_node *l = n->a;
	struct dt_ident *id;
	int op = n->op;

	if (!check_lvalue(cc, n, op)) {
		tc_set_err(n);
		tc_expr(cc, n->b);
		return;
	}
	if (op == T_ASSIGN && tc_struct_assign(cc, n))
		return;
	if (is_ptr_lvalue(cc, l)) {
		bool ok = tc_ptr_lvalue(cc, n, l);

		tc_expr(cc, n->b);
		if (!ok || is_err(&n->b->type)) {
			tc_set_err(n);
			return;
		}
		if ((op == T_ASSIGN && !is_scalar(&n->b->type)) ||
		    (op != T_ASSIGN && (!is_int(&n->b->type) ||
					(is_ptr(&l->type) && op != T_ADD_EQ && op != T_SUB_EQ)))) {
			tc_incompat(cc, n, &l->type, op, &n->b->type);
			return;
		}
		n->type = l->type;
		return;
	}
	tc_expr(cc, n->b);
	if (is_err(&n->b->type)) {
		tc_set_err(n);
		return;
	}
	if (op == T_ASSIGN) {
		if (!tc_storable(cc, n->b, &n->b->type)) {
			tc_set_err(n);
			return;
		}
		id = tc_assign_target(cc, l, true, &n->b->type);
		if (!id) {
			tc_set_err(n);
			return;
		}
		{
			const struct dt_type *L = &id->type, *R = &n->b->type;
			/* a string's characters through a char * (char *s = probeprov) */
			bool chars = is_ptr(L) && L->pdepth == 1 && L->bsize == 1 && !L->btf &&
				     !L->dstruct && is_str(R);
			/*
			 * a pointer variable takes an integer only as the constant
			 * 0 (NULL), as in C: x = curthread; x = pid; is an error.
			 * (An integer variable may still hold a pointer's value:
			 * x = 0; x = curthread; as ktrace's NULL is an integer.)
			 */
			bool null = (n->b->kind == DT_N_INT || n->b->isconst) && n->b->ival == 0;
			/* a string variable takes NULL too: it then holds no string */
			bool ok = (is_scalar(L) && is_scalar(R) &&
				   (!is_ptr(L) || !is_int(R) || null)) ||
				  (is_str(L) && (is_str(R) || (is_int(R) && null))) || chars ||
				  (L->kind == DT_T_FLOAT && R->kind == DT_T_FLOAT &&
				   L->size == R->size);

			if (!ok) {
				tc_incompat(cc, n, L, op, R);
				return;
			}
			/*
			 * As DTrace: a variable holds alloca() pointers or other
			 * pointers, never both (NULL goes with either).  Not for
			 * a declared variable, whose type its declaration gives.
			 */
			if (!id->declared && is_ptr(L) && is_ptr(R) &&
			    (L->aspace == DT_AS_KTRACE) != (R->aspace == DT_AS_KTRACE)) {
				if (n->b->kind == DT_N_TERNARY)
					dt_nerror(cc, n, "D_ALLOCA_INCOMPAT",
						  "ternary conditional with alloca and non-alloca branches cannot be assigned to a variable");
				else
					dt_nerror(cc, n, "D_ALLOCA_INCOMPAT",
						  "%s: cannot reuse the same identifier for both alloca and non-alloca allocations",
						  id->name);
				tc_set_err(n);
				return;
			}
		}
		n->type = id->type;
		return;
	}
	/* compound: the variable must hold an integer (or pointer for += -=) */
	{
		struct dt_type it = dt_t_i64;

		id = tc_assign_target(cc, l, true, &it);
	}
	if (!id) {
		tc_set_err(n);
		return;
	}
	if (!is_scalar(&id->type) || !is_int(&n->b->type) ||
	    (is_ptr(&id->type) && op != T_ADD_EQ && op != T_SUB_EQ)) {
		tc_incompat(cc, n, &id->type, op, &n->b->type);
		return;
	}
	if ((op == T_DIV_EQ || op == T_MOD_EQ) && n->b->isconst && n->b->ival == 0) {
		dt_nerror(cc, n, "D_DIV_ZERO", "expression contains division by zero");
		tc_set_err(n);
		return;
	}
	n->type = id->type;
}

void tc_incdec(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_ident *id;
	struct dt_type it = dt_t_i64;

	if (!check_lvalue(cc, n, n->op)) {
		tc_set_err(n);
		return;
	}
	if (is_ptr_lvalue(cc, n->a)) {
		if (!tc_ptr_lvalue(cc, n, n->a)) {
			tc_set_err(n);
			return;
		}
		n->type = n->a->type;
		return;
	}
	id = tc_assign_target(cc, n->a, true, &it);
	if (!id) {
		tc_set_err(n);
		return;
	}
	if (!is_scalar(&id->type)) {
		char x[64];

		dt_type_name(&id->type, x, sizeof(x));
		dt_nerror(cc, n, "D_OP_SCALAR", "operator %s requires an operand of scalar type, not \"%s\"",
			  tc_opname(n->op), x);
		tc_set_err(n);
		return;
	}
	n->type = id->type;
}

void tc_unop(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_type *t;

	if (n->op == T_INC || n->op == T_DEC) {
		tc_incdec(cc, n);
		return;
	}
	if (tc_ksym_addrof(cc, n))
		return;
	if (n->op == T_AMP) {
		tc_addrof_memory(cc, n);
		return;
	}
	tc_expr(cc, n->a);
	t = &n->a->type;
	if (is_err(t)) {
		tc_set_err(n);
		return;
	}
	switch (n->op) {
	case T_STAR:
		if (!is_ptr(t)) {
			char x[64];

			dt_type_name(t, x, sizeof(x));
			dt_nerror(cc, n, "D_DEREF_NONPTR",
				  "unary * requires an operand of pointer type, not \"%s\"", x);
			tc_set_err(n);
			return;
		}
		if (t->pdepth == 1 && !t->bsize && !t->btf && !t->dstruct) {
			dt_nerror(cc, n, "D_DEREF_VOID", "cannot dereference a pointer to void");
			tc_set_err(n);
			return;
		}
		if (t->pdepth > 1) {
			n->type = *t;
			n->type.pdepth--;
		} else if (t->btf || t->dstruct) {
			n->type = tc_struct_at(t);
		} else {
			n->type = DT_INT_TYPE(t->bsize, t->bsign);
		}
		n->lvalue = false;
		return;
	case T_BANG:
		if (!is_scalar(t)) {
			char x[64];

			dt_type_name(t, x, sizeof(x));
			dt_nerror(cc, n, "D_OP_SCALAR", "operator ! requires an operand of scalar type, not \"%s\"", x);
			tc_set_err(n);
			return;
		}
		n->type = dt_t_i32;
		if (n->a->isconst) {
			n->ival = !n->a->ival;
			n->isconst = true;
		}
		return;
	default:	/* - + ~ */
		if (!is_int(t)) {
			char x[64];

			dt_type_name(t, x, sizeof(x));
			dt_nerror(cc, n, "D_OP_INT", "operator %s requires an operand of integer type, not \"%s\"",
				  tc_opname(n->op), x);
			tc_set_err(n);
			return;
		}
		n->type = tc_promote(*t);
		if (n->a->isconst) {
			int64_t v = n->a->ival;

			v = n->op == T_MINUS ? (int64_t)(0 - (uint64_t)v) : n->op == T_TILDE ? ~v : v;
			n->ival = tc_trunc_val(v, &n->type);
			n->isconst = true;
		}
		return;
	}
}
