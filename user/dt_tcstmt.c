// SPDX-License-Identifier: GPL-2.0
/*
 * Type checking of statements and clauses, and the pass itself
 * (dt_typecheck( )); see dt_typecheck.c for the overview.  A clause's
 * body is checked before its predicate (unless the predicate defines a
 * global), as DTrace cooks a clause; calls and actions are dt_tcaction.c's,
 * aggregations dt_tcagg.c's.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "dt_tc.h"

/* ----- statements ----- */

static void tc_stmts(struct dt_cc *cc, struct dt_node *s);

static void tc_stmt(struct dt_cc *cc, struct dt_node *s)
{
	switch (s->kind) {
	case DT_S_EXPR:
		if (s->a && s->a->kind == DT_N_CALL) {
			struct dt_action act;

			if (dt_identity_dtype(s->a->sval) >= 0) {
				/* sym(x); func(x); ... are actions too: trace(sym(x)) (DTrace) */
				struct dt_node *t = dt_node_new(cc, DT_N_CALL, s->a->src, s->a->line,
								s->a->col);

				t->sval = dt_strndup(&cc->ar, "trace", 5);
				t->b = s->a;
				s->a = t;
			}
			if (dt_action_find(s->a->sval, &act)) {
				tc_action(cc, s->a, &act);
				return;
			}
			if (!strcmp(s->a->sval, "stack") || !strcmp(s->a->sval, "ustack") ||
			    !strcmp(s->a->sval, "jstack")) {
				tc_call(cc, s->a, true);
				if (!is_err(&s->a->type)) {
					s->a->scope = DT_CC_ACTION;	/* recorded like trace(stack()) */
					tc_note_data(cc, s->a, "data-recording actions");
				}
				return;
			}
			tc_call(cc, s->a, true);
			return;
		}
		tc_expr(cc, s->a);
		return;
	case DT_S_AGG:
		tc_agg(cc, s);
		return;
	case DT_S_IF:
		tc_expr(cc, s->a);
		if (!is_err(&s->a->type) && !is_scalar(&s->a->type))
			dt_nerror(cc, s->a, "D_COND_SCALAR", "if condition must be of scalar type");
		if (s->b)
			tc_stmt(cc, s->b);
		if (s->c)
			tc_stmt(cc, s->c);
		return;
	case DT_S_WHILE:
		tc_expr(cc, s->a);
		if (!is_err(&s->a->type) && !is_scalar(&s->a->type))
			dt_nerror(cc, s->a, "D_COND_SCALAR", "while condition must be of scalar type");
		cc->loopdepth++;
		if (s->b)
			tc_stmt(cc, s->b);
		cc->loopdepth--;
		return;
	case DT_S_FOR:
		if (s->a)
			tc_expr(cc, s->a);
		if (s->b) {
			tc_expr(cc, s->b);
			if (!is_err(&s->b->type) && !is_scalar(&s->b->type))
				dt_nerror(cc, s->b, "D_COND_SCALAR", "for condition must be of scalar type");
		}
		if (s->c)
			tc_expr(cc, s->c);
		cc->loopdepth++;
		if (s->d)
			tc_stmt(cc, s->d);
		cc->loopdepth--;
		return;
	case DT_S_BREAK:
	case DT_S_CONTINUE:
		if (!cc->loopdepth)
			dt_nerror(cc, s, "D_LOOP_CTL", "%s statement not within a loop",
				  s->kind == DT_S_BREAK ? "break" : "continue");
		return;
	case DT_S_BLOCK:
		tc_stmts(cc, s->a);
		return;
	default:
		return;
	}
}

static void tc_stmts(struct dt_cc *cc, struct dt_node *s)
{
	for (; s; s = s->next) {
		if (dt_too_many_errors(cc))
			return;
		tc_stmt(cc, s);
	}
}

/*
 * A kernel struct (DT_T_STRUCT) is only ever the operand of '.' (or the
 * result of * and [ ] on its way there): it has no value that could be
 * stored, compared, printed or used as a key.  N is checked as a child of
 * PARENT; a child of an expression already in error is not reported
 * again (statements and clauses have no type: they are always checked).
 */
static void no_struct_values(struct dt_cc *cc, const struct dt_node *parent, struct dt_node *n)
{
	struct dt_node *kids[4] = { n->a, n->b, n->c, n->d };

	if (n->type.kind == DT_T_STRUCT &&
	    (parent->kind >= DT_S_EXPR || !is_err(&parent->type)) &&
	    !(parent->kind == DT_N_MEMBER && parent->op == T_DOT && parent->a == n) &&
	    parent->kind != DT_N_SIZEOF &&
	    /* trace(s), print(s): its bytes (tc_trace_bytes) */
	    !(parent->kind == DT_N_CALL && (parent->ival == KTRACE_ACT_TRACE ||
					    parent->ival == KTRACE_ACT_PRINT) &&
	      parent->scope == DT_CC_ACTION && parent->b == n) &&
	    /* a struct variable declared in D as an array's key (checked there) */
	    !(parent->kind == DT_N_INDEX && n != parent->a && n->type.dstruct) &&
	    /* a struct variable's copy (a = b) as a statement, and its sides */
	    !(n->kind == DT_N_ASSIGN && parent->kind == DT_S_EXPR) &&
	    !(parent->kind == DT_N_ASSIGN && parent->type.kind == DT_T_STRUCT)) {
		char x[96];

		dt_type_name(&n->type, x, sizeof(x));
		dt_nerror(cc, n, "D_STRUCT_VALUE",
			  "\"%s\" is not a value: use its members (s.member) or a pointer to it", x);
		return;
	}
	for (int i = 0; i < 4; i++)
		for (struct dt_node *k = kids[i]; k; k = k->next)
			no_struct_values(cc, n, k);
}

static void tc_pred(struct dt_cc *cc, struct dt_node *c)
{
	char x[64];

	if (!c->a)
		return;
	tc_expr(cc, c->a);
	if (is_err(&c->a->type))
		return;
	/* a declared array (int a[4]; /a/) is no scalar, though its value is its address */
	if (c->a->kind == DT_N_IDENT && c->a->ident && c->a->ident->nelems) {
		dt_type_name(&c->a->ident->type, x, sizeof(x));
		dt_nerror(cc, c->a, "D_PRED_SCALAR",
			  "predicate result must be of scalar type, not \"%s [%u]\"", x,
			  (unsigned)c->a->ident->nelems);
	} else if (!is_scalar(&c->a->type)) {
		dt_type_name(&c->a->type, x, sizeof(x));
		dt_nerror(cc, c->a, "D_PRED_SCALAR",
			  "predicate result must be of scalar type, not \"%s\"", x);
	}
}

/* Expression N assigns (=, op=, ++, --) a global not declared yet */
static bool defines_global(struct dt_cc *cc, const struct dt_node *n)
{
	for (; n; n = n->next) {
		const struct dt_node *t = n->a;

		if ((n->kind == DT_N_ASSIGN || n->kind == DT_N_POSTOP ||
		     (n->kind == DT_N_UNOP && (n->op == T_INC || n->op == T_DEC))) &&
		    t && t->kind == DT_N_IDENT &&
		    !dt_var_lookup(cc, t->sval, KTRACE_SCOPE_GLOBAL))
			return true;
		if (defines_global(cc, n->a) || defines_global(cc, n->b) ||
		    defines_global(cc, n->c) || defines_global(cc, n->d))
			return true;
	}
	return false;
}

int dt_typecheck(struct dt_cc *cc)
{
	tc_aggs_begin();
	tc_check_xlators(cc);
	for (struct dt_node *c = cc->top; c; c = c->next) {
		if (c->kind != DT_TOP_CLAUSE)
			continue;
		if (dt_too_many_errors(cc))
			break;
		cc->clause = c;
		tc_clause_begin();
		/*
		 * The body first, then the predicate, as DTrace cooks a
		 * clause: a global the body assigns (x++, n = 0) may be read
		 * in the predicate of the same clause (/x == 0/ { x++; }).
		 * DTrace cooks the predicate first when the body fails on an
		 * undefined name: here, when the predicate defines a global
		 * (/x++ == 0/ { exit(x - 1); }).
		 */
		if (c->a && defines_global(cc, c->a)) {
			tc_pred(cc, c);
			tc_stmts(cc, c->b);
		} else {
			tc_stmts(cc, c->b);
			tc_pred(cc, c);
		}
		for (struct dt_node *x = c->a; x; x = x->next)
			no_struct_values(cc, c, x);
		for (struct dt_node *x = c->b; x; x = x->next)
			no_struct_values(cc, c, x);
	}
	cc->clause = NULL;
	tc_aggs_end(cc);
	return cc->diags && cc->diags->nerrors ? -1 : 0;
}
