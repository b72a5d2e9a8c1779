// SPDX-License-Identifier: GPL-2.0
/*
 * Type checking, in program order (as DTrace does; a clause's body before
 * its predicate): a variable's type is
 * fixed by its declaration or by its first assignment; self-> and this->
 * variables read before any assignment are implicitly int64; globals and
 * arrays read before being defined are errors (D_IDENT_UNDEF).
 *
 * The checker is these files around one private header (dt_tc.h):
 *   dt_types.c     the type model: names, conversions, built-in variables;
 *   dt_builtins.c  subroutines, actions and aggregating functions (from the
 *                  uapi's X-macros) and prototype checks (D_PROTO_LEN,
 *                  D_PROTO_ARG);
 *   dt_typecheck.c this file: identifiers, variables, indexing, casts,
 *                  and tc_expr(), which checks any expression;
 *   dt_tcop.c      operators: C's usual arithmetic conversions and
 *                  constant folding (division by a constant zero is
 *                  D_DIV_ZERO), string comparison, assignments, ++ and --;
 *   dt_tcmember.c  members: kernel structs (BTF, bit-fields), structs
 *                  declared in D, tracepoint fields;
 *   dt_tclock.c    the lock subroutines (mutex_owned()...) rewritten into
 *                  loads of the lock's words;
 *   dt_tcaction.c  calls, actions, destructive actions (need -w), DTrace's
 *                  speculation ordering rules (D_ACT_SPEC);
 *   dt_tcagg.c     aggregation definitions (the same function, parameters
 *                  and key prototypes on every use: D_AGG_REDEF...) and the
 *                  actions on aggregations (printa( ), clear( )...);
 *   dt_tcstmt.c    statements, clauses and dt_typecheck() itself;
 *   dt_printf.c    printf-style formats against their arguments
 *                  (D_PRINTF_ARG_PROTO, D_PRINTF_ARG_EXTRA...).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "dt_tc.h"

/* ----- expressions ----- */

static void tc_ident(struct dt_cc *cc, struct dt_node *n)
{
	int b = dt_builtin_lookup(n->sval);
	struct dt_ident *id;

	if (b >= 0) {
		n->builtin = b + 1;
		n->type = tc_builtin_type(b);
		/* ustackmode=dwarf: derived from a stack sample by the consumer (cg_usample_value) */
		if (cc->ustack_dwarf && b == KTRACE_VAR_UCALLER)
			n->type = tc_with_dtype(n->type, KT_DT_UCALLER);
		if (cc->ustack_dwarf && b == KTRACE_VAR_USTACKDEPTH)
			n->type = tc_with_dtype(n->type, KT_DT_USTACKDEPTH);
		if (b == KTRACE_VAR_CURTHREAD)
			tc_type_curthread(cc, n);
		return;
	}
	if (!strcmp(n->sval, "NULL") && !dt_var_lookup(cc, "NULL", KTRACE_SCOPE_GLOBAL)) {
		n->type = dt_t_i32;	/* DTrace's NULL is the int 0: sizeof (NULL) is 4 */
		n->ival = 0;
		n->isconst = true;
		return;
	}
	id = dt_var_lookup(cc, n->sval, KTRACE_SCOPE_GLOBAL);
	if (!id && tc_decl_ident(cc, n))
		return;
	if (!id && dt_const_lookup(n->sval, &n->ival)) {
		n->type = dt_t_i32;
		n->isconst = true;
		return;
	}
	if (!id && dt_hget(&cc->externs, n->sval, (uint32_t)strlen(n->sval))) {
		n->kind = DT_N_KSYM;	/* extern TYPE NAME; then NAME */
		tc_ksym(cc, n);
		return;
	}
	if (!id) {
		dt_nerror(cc, n, "D_IDENT_UNDEF", "failed to resolve %s: Unknown variable name",
			  n->sval);
		tc_set_err(n);
		return;
	}
	if (id->scope == KTRACE_SCOPE_GARRAY) {
		dt_nerror(cc, n, "D_ARR_BADREF", "%s is an associative array: use %s[key]",
			  n->sval, n->sval);
		tc_set_err(n);
		return;
	}
	n->ident = id;
	n->type = id->type;
	n->lvalue = true;
	if (id->nelems) {
		/* a declared array's value is the address of its first element */
		n->type = tc_ptr_to(&id->type);
		n->type.aspace = DT_AS_KTRACE;
		n->lvalue = false;
	}
}

static void tc_dynvar(struct dt_cc *cc, struct dt_node *n)
{
	int scope = n->kind == DT_N_SELF ? KTRACE_SCOPE_TLS : KTRACE_SCOPE_LOCAL;
	struct dt_ident *id = dt_var_lookup(cc, n->sval, scope);

	if (id && id->scope == KTRACE_SCOPE_TARRAY) {
		dt_nerror(cc, n, "D_ARR_BADREF", "self->%s is an associative array: use self->%s[key]",
			  n->sval, n->sval);
		tc_set_err(n);
		return;
	}
	if (!id) {
		/* read before any assignment: an implicit int64, as in DTrace */
		id = dt_var_new(cc, n->sval, scope, n);
		id->type = dt_t_i64;
		id->typed = true;
	}
	n->ident = id;
	n->type = id->type;
	n->lvalue = true;
}

/*
 * uregs[R]: the thread's user register R (R_PC, R_SP... from the D
 * library's regs.d), a built-in read with one ldb of KTRACE_VAR_UREGS + R.
 * As in DTrace, R must be an integer constant below the number of
 * registers (the verifier bounds the built-in again).
 */
static void tc_uregs(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_node *k = n->b;
	char y[64];

	if (tc_count_list(k) != 1) {
		dt_nerror(cc, n, "D_PROTO_LEN",
			  "uregs[ ] prototype mismatch: %d args passed, 1 expected",
			  tc_count_list(k));
		tc_set_err(n);
		return;
	}
	tc_expr(cc, k);
	if (is_err(&k->type)) {
		tc_set_err(n);
		return;
	}
	if (!k->isconst || !is_int(&k->type)) {
		dt_type_name(&k->type, y, sizeof(y));
		dt_nerror(cc, k, "D_PROTO_ARG",
			  "uregs[ ] argument #1 is incompatible with prototype:\n"
			  "\tprototype: integer constant\n\t argument: %s", y);
		tc_set_err(n);
		return;
	}
	if (k->ival < 0 || k->ival >= KTRACE_NUREGS) {
		dt_nerror(cc, k, "D_UNKNOWN", "uregs[]: index out of bounds (%lld)",
			  (long long)k->ival);
		tc_set_err(n);
		return;
	}
	n->builtin = KTRACE_VAR_UREGS + (int)k->ival + 1;
	n->type = dt_t_u64;
}

/*
 * a[i] of a declared array (int a[N]): one integer index; a constant one
 * must be below N (D_ARR_BOUNDS), a computed one is checked by the
 * kernel's ldgx/stgx (an "index out of bounds" fault).
 */
static void tc_garr_index(struct dt_cc *cc, struct dt_node *n, struct dt_ident *id)
{
	struct dt_node *k = n->b;

	tc_expr(cc, n->a);	/* the array's address, as its value */
	if (tc_count_list(k) != 1) {
		dt_nerror(cc, n, "D_ARR_BADREF",
			  "%s is an array of %u elements: it takes one subscript, not %d",
			  id->name, id->nelems, tc_count_list(k));
		tc_set_err(n);
		return;
	}
	tc_expr(cc, k);
	if (is_err(&k->type)) {
		tc_set_err(n);
		return;
	}
	if (!is_int(&k->type)) {
		dt_nerror(cc, k, "D_ARR_BADREF", "the subscript of array %s must be an integer",
			  id->name);
		tc_set_err(n);
		return;
	}
	if (k->isconst && (k->ival < 0 || (uint64_t)k->ival >= id->nelems)) {
		dt_nerror(cc, k, "D_ARR_BOUNDS", "index %lld is out of range for array %s of %u",
			  (long long)k->ival, id->name, id->nelems);
		tc_set_err(n);
		return;
	}
	n->ident = id;
	n->type = id->type;
	n->lvalue = true;
}

static void tc_index(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_node *base = n->a;
	struct dt_ident *id = NULL;
	int scope;
	const char *name;

	if (base->kind == DT_N_IDENT && !strcmp(base->sval, "uregs")) {
		tc_uregs(cc, n);
		return;
	}
	if (base->kind == DT_N_IDENT) {
		id = dt_var_lookup(cc, base->sval, KTRACE_SCOPE_GLOBAL);
		if (id && id->nelems) {
			tc_garr_index(cc, n, id);
			return;
		}
		id = NULL;
	}
	if (base->kind == DT_N_IDENT && !dt_var_lookup(cc, base->sval, KTRACE_SCOPE_GARRAY) &&
	    !dt_var_lookup(cc, base->sval, KTRACE_SCOPE_GLOBAL) && tc_decl_index(cc, n))
		return;
	for (struct dt_node *k = n->b; k; k = k->next)
		tc_expr(cc, k);
	for (struct dt_node *k = n->b; k; k = k->next)
		if (is_err(&k->type)) {
			tc_set_err(n);
			return;
		}
	if (base->kind == DT_N_IDENT && !dt_var_lookup(cc, base->sval, KTRACE_SCOPE_GARRAY) &&
	    !dt_var_lookup(cc, base->sval, KTRACE_SCOPE_GLOBAL) &&
	    dt_hget(&cc->externs, base->sval, (uint32_t)strlen(base->sval))) {
		const struct dt_dtype *d = dt_hget(&cc->externs, base->sval,
						   (uint32_t)strlen(base->sval));

		/* extern T NAME[N]; then NAME[i]: its element i, checked against N */
		if (d->ext == DT_EXT_ARRAY && d->nelems && d->ndims == 1 &&
		    tc_count_list(n->b) == 1 && n->b->isconst &&
		    (n->b->ival < 0 || n->b->ival >= d->nelems)) {
			dt_nerror(cc, n->b, "D_ARR_BOUNDS",
				  "index %lld is out of range for array %s of %u",
				  (long long)n->b->ival, base->sval, d->nelems);
			tc_set_err(n);
			return;
		}
		tc_expr(cc, base);
		goto ptrindex;
	}
	if (base->kind == DT_N_IDENT && dt_builtin_lookup(base->sval) < 0) {
		scope = KTRACE_SCOPE_GARRAY;
		name = base->sval;
		id = dt_var_lookup(cc, name, scope);
		if (id && id->scope != KTRACE_SCOPE_GARRAY) {
			struct dt_node *b2 = base;

			/* a scalar pointer variable indexed: pointer arithmetic */
			tc_expr(cc, b2);
			goto ptrindex;
		}
	} else if (base->kind == DT_N_SELF) {
		scope = KTRACE_SCOPE_TARRAY;
		name = base->sval;
		id = dt_var_lookup(cc, name, KTRACE_SCOPE_TLS);
		if (id && id->scope != KTRACE_SCOPE_TARRAY) {
			tc_expr(cc, base);
			goto ptrindex;
		}
	} else if (base->kind == DT_N_THIS) {
		/* a clause-local pointer indexed: pointer arithmetic */
		if (dt_var_lookup(cc, base->sval, KTRACE_SCOPE_LOCAL)) {
			tc_expr(cc, base);
			goto ptrindex;
		}
		dt_nerror(cc, n, "D_ARR_LOCAL", "clause-local arrays are not supported: this->%s[ ]",
			  base->sval);
		tc_set_err(n);
		return;
	} else {
		tc_expr(cc, base);
		goto ptrindex;
	}
	if (!id) {
		/* an array read before it is written: create it (values read as 0) */
		id = dt_var_new(cc, name, scope, n);
		id->type = dt_t_i64;
		id->typed = false;
	}
	n->ident = id;
	if (!tc_check_keys(cc, n, tc_scope_prefix(scope), name, &id->nkeys, id->keys, n->b, false)) {
		tc_set_err(n);
		return;
	}
	n->type = id->type;
	n->lvalue = true;
	return;

ptrindex:
	if (is_err(&base->type)) {
		tc_set_err(n);
		return;
	}
	if (base->type.kind == DT_T_STRING && tc_count_list(n->b) == 1 && is_int(&n->b->type)) {
		/* a char array member: a constant index must be within its bounds */
		if (base->kind == DT_N_MEMBER && base->mem_how == DT_MEM_STR && n->b->isconst &&
		    (n->b->ival < 0 || n->b->ival >= base->tp_size)) {
			dt_nerror(cc, n->b, "D_ARR_BOUNDS",
				  "index %lld is out of range for array %s of %d",
				  (long long)n->b->ival, base->sval, base->tp_size);
			tc_set_err(n);
			return;
		}
		/* str[i]: the char at index i (read only; a NULL string faults) */
		n->ident = NULL;
		n->type = DT_INT_TYPE(1, true);
		n->type.ischar = true;
		return;
	}
	if (!is_ptr(&base->type) || tc_count_list(n->b) != 1 || !is_int(&n->b->type)) {
		char x[64];

		dt_type_name(&base->type, x, sizeof(x));
		dt_nerror(cc, n, "D_OP_ARRAY", "operator [ ] cannot be applied to a value of type \"%s\"",
			  x);
		tc_set_err(n);
		return;
	}
	if (base->type.pdepth == 1 && !base->type.bsize && !base->type.btf && !base->type.dstruct) {
		dt_nerror(cc, n, "D_DEREF_VOID", "cannot dereference a pointer to void");
		tc_set_err(n);
		return;
	}
	n->ident = NULL;
	if (base->type.pdepth > 1) {
		n->type = base->type;
		n->type.pdepth--;
	} else if (base->type.btf || base->type.dstruct) {
		n->type = tc_struct_at(&base->type);
	} else {
		n->type = DT_INT_TYPE(base->type.bsize, base->type.bsign);
		n->type.ischar = base->type.bsize == 1 && base->type.bsign;
	}
}

static bool cast_ok(const struct dt_type *to, const struct dt_type *from)
{
	if (is_scalar(to) && is_scalar(from))
		return true;
	if (is_str(to) && (is_str(from)))
		return true;
	return false;
}

/*
 * Whether every probe of the clause being checked is dtrace:::BEGIN or
 * dtrace:::END, which have no arguments (args[N] is an error there, as
 * in DTrace; arg0..arg9 stay readable, as zeros).
 */
static bool clause_without_args(const struct dt_cc *cc)
{
	const struct dt_node *c = cc->clause;

	if (!c || !c->nspecs)
		return false;
	for (int i = 0; i < c->nspecs; i++) {
		const struct kt_probespec *s = &c->specs[i];

		if (strcmp(s->prov, "dtrace") || (s->mod[0] && strcmp(s->mod, "*")) ||
		    (s->func[0] && strcmp(s->func, "*")) ||
		    (strcmp(s->name, "BEGIN") && strcmp(s->name, "END")))
			return false;
	}
	return true;
}

void tc_expr(struct dt_cc *cc, struct dt_node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case DT_N_INT:
		if (n->type.kind != DT_T_ERR && n->type.kind != DT_T_INT) {
			n->type = dt_t_i32;
		}
		if (n->type.kind == DT_T_INT)
			n->isconst = true;
		return;
	case DT_N_STR:
		n->type = dt_t_string;
		if ((int)n->slen > cc->strsize)
			dt_warn(cc, n->src, n->line, n->col, "D_STR_TRUNC",
				"string literal is longer than strsize (%d) and will be truncated",
				cc->strsize);
		return;
	case DT_N_IDENT:
		tc_ident(cc, n);
		return;
	case DT_N_SELF:
	case DT_N_THIS:
		tc_dynvar(cc, n);
		return;
	case DT_N_AGGREF:
		dt_nerror(cc, n, "D_AGG_REF",
			  "aggregation @%s can only be used in printa( ), clear( ), trunc( ), normalize( ), denormalize( )",
			  n->sval);
		tc_set_err(n);
		return;
	case DT_N_KSYM:
		tc_ksym(cc, n);
		return;
	case DT_N_INDEX:
		tc_index(cc, n);
		return;
	case DT_N_CALL:
		tc_call(cc, n, false);
		return;
	case DT_N_UNOP:
		tc_unop(cc, n);
		return;
	case DT_N_POSTOP:
		tc_incdec(cc, n);
		return;
	case DT_N_BINOP:
		tc_binop(cc, n);
		return;
	case DT_N_LOGOP:
		tc_logop(cc, n);
		return;
	case DT_N_ASSIGN:
		tc_assign(cc, n);
		return;
	case DT_N_COMMA:
		tc_expr(cc, n->a);
		tc_expr(cc, n->b);
		if (is_err(&n->a->type) || is_err(&n->b->type))
			tc_set_err(n);
		else
			n->type = n->b->type;
		return;
	case DT_N_TERNARY: {
		struct dt_type *b, *c;

		tc_expr(cc, n->a);
		tc_expr(cc, n->b);
		tc_expr(cc, n->c);
		if (is_err(&n->a->type) || is_err(&n->b->type) || is_err(&n->c->type)) {
			tc_set_err(n);
			return;
		}
		if (!is_scalar(&n->a->type)) {
			dt_nerror(cc, n->a, "D_OP_SCALAR", "operator ?: requires a scalar condition");
			tc_set_err(n);
			return;
		}
		b = &n->b->type;
		c = &n->c->type;
		if (is_int(b) && is_int(c))
			n->type = tc_arith_conv(b, c);
		else if (is_scalar(b) && is_scalar(c))
			n->type = is_ptr(b) ? *b : *c;
		else if (is_str(b) && is_str(c))
			n->type = dt_t_string;
		else {
			char x[64], y[64];

			dt_type_name(b, x, sizeof(x));
			dt_type_name(c, y, sizeof(y));
			dt_nerror(cc, n, "D_OP_INCOMPAT",
				  "operator ?: operands must have compatible types: \"%s\" : \"%s\"", x, y);
			tc_set_err(n);
			return;
		}
		if (n->a->isconst && n->b->isconst && n->c->isconst && is_int(&n->type)) {
			n->ival = tc_trunc_val(n->a->ival ? n->b->ival : n->c->ival, &n->type);
			n->isconst = true;
		}
		return;
	}
	case DT_N_XLATE:
		tc_xlate_bare(cc, n);
		return;
	case DT_N_OFFSETOF:
		tc_offsetof(cc, n);
		return;
	case DT_N_CAST:
		tc_expr(cc, n->a);
		if (!tc_node_ctype(cc, n) || is_err(&n->a->type) || n->ctype.kind == DT_T_ERR) {
			tc_set_err(n);
			return;
		}
		if (n->ctype.kind == DT_T_STRUCT && n->a->type.kind == DT_T_STRUCT &&
		    n->ctype.dstruct == n->a->type.dstruct && n->ctype.btf == n->a->type.btf) {
			/* (struct s)v of a struct s: v itself */
			struct dt_node *next = n->next;

			*n = *n->a;
			n->next = next;
			return;
		}
		if (is_str(&n->ctype) && is_ptr(&n->a->type)) {
			/* (string)p: the string at p, as stringof(p) */
			n->kind = DT_N_STRINGOF;
			n->type = dt_t_string;
			return;
		}
		if (!cast_ok(&n->ctype, &n->a->type)) {
			char x[64], y[64];

			dt_type_name(&n->a->type, x, sizeof(x));
			dt_type_name(&n->ctype, y, sizeof(y));
			dt_nerror(cc, n, "D_CAST_INVAL", "invalid cast expression: \"%s\" to \"%s\"", x, y);
			tc_set_err(n);
			return;
		}
		n->type = n->ctype;
		if (is_ptr(&n->type) && is_ptr(&n->a->type))
			n->type.aspace = n->a->type.aspace;
		if (n->a->isconst && is_int(&n->type)) {
			n->ival = tc_trunc_val(n->a->ival, &n->type);
			n->isconst = true;
		}
		return;
	case DT_N_SIZEOF: {
		const struct dt_type *t;

		if (n->a) {
			tc_expr(cc, n->a);
			if (is_err(&n->a->type)) {
				tc_set_err(n);
				return;
			}
			t = &n->a->type;
		} else {
			if (!tc_node_ctype(cc, n)) {
				tc_set_err(n);
				return;
			}
			t = &n->ctype;
		}
		n->type = dt_t_u64;
		n->isconst = true;
		switch (t->kind) {
		case DT_T_INT:
		case DT_T_PTR:
		case DT_T_FLOAT:
			n->ival = t->size;
			break;
		case DT_T_STRING:
			/* a string constant is its characters and NUL, as in C */
			n->ival = n->a && n->a->kind == DT_N_STR ? (int64_t)n->a->slen + 1 :
			     cc->strsize;
			break;
		case DT_T_STRUCT: {	/* sizeof(*curthread) from BTF; declared in D */
			uint32_t align;

			n->ival = dt_type_sizeof(cc, t, &align);
			if (!n->ival)
				tc_set_err(n);
			break;
		}
		default:
			dt_nerror(cc, n, "D_SIZEOF_TYPE", "sizeof cannot be applied to this type");
			tc_set_err(n);
		}
		return;
	}
	case DT_N_MEMBER:
		tc_member(cc, n);
		return;
	case DT_N_ARGS:
		if (n->a && n->a->kind == DT_N_INT) {
			tc_provider_arg(cc, n);
			if (n->kind != DT_N_ARGS)
				return;
		}
		tc_expr(cc, n->a);
		if (is_err(&n->a->type)) {
			tc_set_err(n);
			return;
		}
		if (!is_int(&n->a->type)) {
			dt_nerror(cc, n, "D_ARGS_IDX", "args[ ] index must be an integer");
			tc_set_err(n);
			return;
		}
		if (n->a->isconst && (n->a->ival < 0 || n->a->ival > 9)) {
			dt_nerror(cc, n, "D_ARGS_IDX", "index %lld is out of range for args[ ] (0..9)",
				  (long long)n->a->ival);
			tc_set_err(n);
			return;
		}
		if (clause_without_args(cc)) {
			dt_nerror(cc, n, "D_ARGS_IDX",
				  "args[ ] may not be referenced: the probe %s:::%s has no arguments",
				  cc->clause->specs[0].prov, cc->clause->specs[0].name);
			tc_set_err(n);
			return;
		}
		n->type = dt_t_i64;
		if (n->a->isconst)
			tc_fbt_arg_type(cc, n, (int)n->a->ival);
		return;
	case DT_N_STRINGOF:
		tc_expr(cc, n->a);
		if (is_err(&n->a->type)) {
			tc_set_err(n);
			return;
		}
		if (!is_scalar(&n->a->type) && !is_str(&n->a->type)) {
			dt_nerror(cc, n, "D_STRINGOF_TYPE",
				  "stringof( ) requires a pointer, integer or string operand");
			tc_set_err(n);
			return;
		}
		n->type = dt_t_string;
		return;
	case DT_N_MACRO:
	default:
		tc_set_err(n);
		return;
	}
}
