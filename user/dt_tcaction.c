// SPDX-License-Identifier: GPL-2.0
/*
 * Type checking of calls and actions (see dt_typecheck.c for the
 * overview): subroutine calls against their prototypes (getmajor( ) and
 * getminor( ) written out as operators), actions as statements (trace( )
 * of bytes, tracemem( ), printf( ), printa( ) and the other actions on
 * aggregations, destructive actions, which need -w), and DTrace's
 * speculation ordering rules within a clause (D_ACT_SPEC), whose state
 * this file keeps: dt_tcstmt.c resets it per clause (tc_clause_begin( )),
 * dt_tcagg.c notes an aggregating action (tc_note_agg( )).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "dt_tc.h"

/* ----- calls ----- */

struct spec_state {
	bool	data, spec, commit, agg;
};

static __thread struct spec_state clause_spec;	/* per compilation (one per thread) */

/* A new clause: no action recorded data, speculated, committed or aggregated yet. */
void tc_clause_begin(void)
{
	memset(&clause_spec, 0, sizeof(clause_spec));
}

/* N (WHAT) records data: not after commit( ). */
void tc_note_data(struct dt_cc *cc, struct dt_node *n, const char *what)
{
	if (clause_spec.commit)
		dt_nerror(cc, n, "D_ACT_SPEC", "%s may not follow commit( )", what);
	clause_spec.data = true;
}

/* S is an aggregating action: false (diagnosed) after speculate( ). */
bool tc_note_agg(struct dt_cc *cc, struct dt_node *s)
{
	if (clause_spec.spec) {
		dt_nerror(cc, s, "D_AGG_SPEC", "aggregating actions may not follow speculate( )");
		return false;
	}
	clause_spec.agg = true;
	return true;
}

/*
 * getmajor(dev), getminor(dev): the major and minor numbers of a Linux
 * dev_t as the kernel encodes it (MINORBITS 20: major << 20 | minor), a
 * computation written out here rather than a subroutine.
 */
#define DT_MINORBITS	20

struct dt_node *tc_binop_node(struct dt_cc *cc, const struct dt_node *at, int op,
			      struct dt_node *a, int64_t b)
{
	struct dt_node *n = dt_node_new(cc, DT_N_BINOP, at->src, at->line, at->col);

	n->op = (int16_t)op;
	n->a = a;
	n->b = dt_node_new(cc, DT_N_INT, at->src, at->line, at->col);
	n->b->ival = b;
	n->b->type = dt_t_i64;
	n->b->isconst = true;
	return n;
}

static void tc_devnum(struct dt_cc *cc, struct dt_node *n, int nargs)
{
	bool major = !strcmp(n->sval, "getmajor");
	struct dt_node *x, *c, *next = n->next;

	if (!tc_check_arg_count(cc, n, n->sval, nargs, 1, 1))
		return;
	x = dt_node_new(cc, DT_N_CAST, n->src, n->line, n->col);
	x->ctype = dt_t_u64;
	x->a = n->b;
	x->a->next = NULL;
	if (major)
		x = tc_binop_node(cc, n, T_SHR, x, DT_MINORBITS);
	x = tc_binop_node(cc, n, T_AMP, x, major ? 0xfff : (1 << DT_MINORBITS) - 1);
	c = dt_node_new(cc, DT_N_CAST, n->src, n->line, n->col);
	c->ctype = dt_t_u32;
	c->a = x;
	*n = *c;
	n->next = next;
	tc_expr(cc, n);
}

/*
 * A char * of the kernel where a subroutine takes a string (strjoin(),
 * substr(), strchr(), basename()...): the string at that address, as
 * DTrace's, read as stringof() reads it (a char * into ktrace's memory,
 * alloca()'s or copyin()'s, too).  A user address stays an error: its
 * characters need copyinstr().
 */
static void tc_char_ptr_as_string(struct dt_cc *cc, struct dt_node *a)
{
	const struct dt_type *t = &a->type;
	struct dt_node *p;

	if (!is_ptr(t) || t->pdepth != 1 || t->bsize != 1 || t->btf || t->dstruct ||
	    t->aspace == DT_AS_USER)
		return;
	p = dt_node_new(cc, DT_N_STRINGOF, a->src, a->line, a->col);
	*p = *a;
	p->next = NULL;
	a->kind = DT_N_STRINGOF;
	a->a = p;
	a->b = a->c = a->d = NULL;
	a->isconst = false;
	a->lvalue = false;
	a->ident = NULL;
	a->type = dt_t_string;
}

void tc_call(struct dt_cc *cc, struct dt_node *n, bool stmt)
{
	const char *name = n->sval;
	struct dt_action act;
	struct dt_subr sub;
	const struct dt_subr *s = &sub;
	int nargs = tc_count_list(n->b), dtype, min, max, i;
	struct dt_node *a;

	dtype = dt_identity_dtype(name);
	if (dtype >= 0) {
		if (!tc_check_arg_count(cc, n, name, nargs, 1, 1))
			return;
		tc_expr(cc, n->b);
		if (is_err(&n->b->type)) {
			tc_set_err(n);
			return;
		}
		if (!is_scalar(&n->b->type)) {
			tc_proto_arg_error(cc, n, name, 1, n->b, "pointer or integer");
			return;
		}
		n->scope = DT_CC_IDENTITY;
		/* usym(ucaller)... with ustackmode=dwarf: still from the sample */
		if (dt_type_to_dtype(&n->b->type) == KT_DT_UCALLER)
			dtype = dtype == KT_DT_UMOD ? KT_DT_UCALLER_MOD : KT_DT_UCALLER_SYM;
		n->type = tc_with_dtype(dt_t_u64, dtype);
		return;
	}
	if (dt_aggfunc_lookup(name, &min, &max) >= 0) {
		dt_nerror(cc, n, "D_AGG_FUNC",
			  "%s( ) may only be used as the value of an aggregation: @name[keys] = %s(...)",
			  name, name);
		tc_set_err(n);
		return;
	}
	if (dt_action_find(name, &act)) {
		if (!stmt) {
			dt_nerror(cc, n, "D_ACT_EXPR", "%s( ) is an action and cannot be used in an expression",
				  name);
			tc_set_err(n);
			return;
		}
		/* checked by tc_action() */
		return;
	}
	if (!strcmp(name, "getmajor") || !strcmp(name, "getminor")) {
		tc_devnum(cc, n, nargs);
		return;
	}
	if (tc_lock_subr(cc, n, nargs))
		return;
	if (!dt_subr_find(name, &sub)) {
		dt_nerror(cc, n, "D_IDENT_UNDEF", "failed to resolve %s: Unknown function name", name);
		tc_set_err(n);
		return;
	}
	if (!tc_check_arg_count(cc, n, name, nargs, s->min, s->max))
		return;
	for (a = n->b; a; a = a->next)
		tc_expr(cc, a);
	for (a = n->b, i = 0; a; a = a->next, i++) {
		if (is_err(&a->type)) {
			tc_set_err(n);
			return;
		}
		if (s->args[i] == DT_A_STR)
			tc_char_ptr_as_string(cc, a);
		if (!tc_arg_ok(a, s->args[i])) {
			tc_proto_arg_error(cc, n, name, i + 1, a, tc_argk_name(s->args[i]));
			return;
		}
	}
	if (s->destructive && !tc_check_destructive(cc, n, name)) {
		tc_set_err(n);
		return;
	}
	/* a constant alloca() size that can never fit (as DTrace, at compile time) */
	if (s->id == KTRACE_SUBR_ALLOCA && n->b->isconst &&
	    (uint64_t)n->b->ival > ((cc->scratchsize + 7) & ~7ULL)) {
		dt_nerror(cc, n, "D_ALLOCA_SIZE", "alloca(%llu) size larger than scratchsize %llu",
			  (unsigned long long)n->b->ival,
			  (unsigned long long)((cc->scratchsize + 7) & ~7ULL));
		tc_set_err(n);
		return;
	}
	if (s->id == KTRACE_SUBR_SPECULATION && stmt)
		dt_warn(cc, n->src, n->line, n->col, "D_SPEC_UNUSED",
			"speculation( ) result is not used");
	n->scope = DT_CC_SUBR;
	n->ival = s->id;
	switch (s->ret) {
	case DT_R_I64: n->type = dt_t_i64; break;
	case DT_R_STRING: n->type = dt_t_string; break;
	case DT_R_VOID: n->type = dt_t_void; break;
	case DT_R_KPTR: {
		struct dt_type t = { .kind = DT_T_PTR, .size = 8, .pdepth = 1, .bsize = 0,
				     .aspace = DT_AS_KTRACE };

		n->type = t;
		break;
	}
	case DT_R_U64: n->type = dt_t_u64; break;
	case DT_R_STACK: n->type.kind = DT_T_STACK; break;
	case DT_R_USTACK: n->type.kind = DT_T_USTACK; break;
	case DT_R_I32: n->type = dt_t_i32; break;
	case DT_R_U16: n->type = DT_INT_TYPE(2, false); break;
	case DT_R_U32: n->type = dt_t_u32; break;
	}
	/* constant frame counts */
	if ((s->id == KTRACE_SUBR_STACK || s->id == KTRACE_SUBR_USTACK) && n->b) {
		if (n->b->next && (!n->b->next->isconst || n->b->next->ival < 0)) {
			dt_nerror(cc, n->b->next, "D_USTACK_STRSIZE",
				  "%s( ) string size (argument #2) must be a non-negative constant",
				  name);
			tc_set_err(n);
			return;
		}
		if (!n->b->isconst || n->b->ival <= 0 || n->b->ival > KTRACE_MAX_STACKFRAMES) {
			dt_nerror(cc, n->b, "D_STACK_SIZE",
				  "%s( ) frame count must be a constant in 1..%d", name,
				  KTRACE_MAX_STACKFRAMES);
			tc_set_err(n);
			return;
		}
	}
}

/* ----- actions ----- */

/*
 * trace() of a struct or union (a variable declared in D, or one in
 * memory: *p, p->member) or of an array member (curthread->comm)
 * records its bytes, shown as a hex dump as DTrace does; N->nbytes is
 * their count.  False when the argument is a value like any other.
 */
static bool tc_trace_bytes(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_node *a = n->b;
	uint32_t size, align;

	if (a->kind == DT_N_MEMBER && a->mem_how == DT_MEM_STR && a->tp_size > 0) {
		n->nbytes = (uint32_t)a->tp_size;
		return true;
	}
	if (a->kind == DT_N_MEMBER && a->mem_how == DT_MEM_ADDR && a->nbytes) {
		n->nbytes = a->nbytes;		/* an array of another type */
		return true;
	}
	if (a->type.kind != DT_T_STRUCT)
		return false;
	size = dt_type_sizeof(cc, &a->type, &align);
	if (!size) {
		char x[96];

		dt_type_name(&a->type, x, sizeof(x));
		dt_nerror(cc, a, "D_PROTO_ARG", "%s( ) argument #1 has no size: \"%s\"", n->sval, x);
		tc_set_err(n);
		return true;
	}
	if (tc_is_var_struct(a) &&
	    ((a->kind == DT_N_MEMBER ? a->mem_off % 8 : 0) + size + 7) / 8 > 16) {
		dt_nerror(cc, a, "D_PROTO_ARG",
			  "%s( ) of a struct variable records at most 16 words (128 bytes): %s the copy in alloca( ) memory (*p) of a larger one",
			  n->sval, n->sval);
		tc_set_err(n);
		return true;
	}
	n->nbytes = size;
	return true;
}

/*
 * print(P) of a pointer to an object of a known type (a struct or union,
 * of the kernel or declared in D; an integer): the object's bytes (at
 * most printsize of them) are recorded with P, and shown member by member
 * (DTrace's print( )); print(S) of a struct or union value, its bytes as
 * trace(S) records them, shown the same way.  Other values print as
 * trace( ) shows them.  False if diagnosed.
 */
static bool tc_print_object(struct dt_cc *cc, struct dt_node *n)
{
	const struct dt_type *pt = &n->b->type;
	struct dt_type o;
	uint32_t size, align;
	char x[96];

	if (pt->kind == DT_T_STRUCT) {	/* a struct value (*p, p->m, a variable): as trace( ) */
		tc_trace_bytes(cc, n);
		if (is_err(&n->type))
			return false;
		if (!tc_is_var_struct(n->b) && n->nbytes > cc->printsize)
			n->nbytes = (uint32_t)cc->printsize;
		return true;
	}
	if (pt->kind != DT_T_PTR || pt->pdepth != 1 || pt->dtype)
		return true;
	if (pt->dstruct || pt->btf)
		o = (struct dt_type){ .kind = DT_T_STRUCT, .dstruct = pt->dstruct, .btf = pt->btf };
	else if (pt->bsize)
		o = (struct dt_type){ .kind = DT_T_INT, .size = pt->bsize, .sign = pt->bsign };
	else
		return true;	/* void *: an address */
	size = dt_type_sizeof(cc, &o, &align);
	if (!size) {
		dt_type_name(&o, x, sizeof(x));
		dt_nerror(cc, n->b, "D_PRINT_SIZE",
			  "print( ) argument #1 reference has type '%s' with size 0; cannot print( ) it",
			  x);
		tc_set_err(n);
		return false;
	}
	n->nbytes = size < cc->printsize ? size : (uint32_t)cc->printsize;
	return true;
}

/*
 * tracemem(addr, size [, dynsize]): SIZE bytes (an integer constant) at
 * ADDR, kernel memory (or ktrace memory: copyin(), alloca()), of which
 * the first DYNSIZE are shown (all of them when DYNSIZE is negative or
 * more than SIZE), as DTrace has it.
 */
static void tc_tracemem(struct dt_cc *cc, struct dt_node *n, const struct dt_action *act)
{
	struct dt_node *addr = n->b, *size = addr->next, *dyn = size->next;
	char y[96];

	if (!is_int(&addr->type) && !is_ptr(&addr->type)) {
		dt_type_name(&addr->type, y, sizeof(y));
		dt_nerror(cc, addr, "D_TRACEMEM_ADDR",
			  "%s( ) argument #1 is incompatible with prototype:\n\tprototype: pointer or integer\n\t argument: %s",
			  act->name, y);
		tc_set_err(n);
		return;
	}
	if (!is_int(&size->type)) {
		tc_proto_arg_error(cc, n, act->name, 2, size, "size_t");
		return;
	}
	if (!size->isconst || size->ival <= 0 || size->ival > UINT32_MAX) {
		dt_nerror(cc, size, "D_TRACEMEM_SIZE",
			  "%s( ) argument #2 must be a non-zero positive integral constant expression",
			  act->name);
		tc_set_err(n);
		return;
	}
	if (dyn && !is_int(&dyn->type)) {
		tc_proto_arg_error(cc, n, act->name, 3, dyn, "ssize_t");
		return;
	}
	n->nbytes = (uint32_t)size->ival;
	tc_note_data(cc, n, "data-recording actions");
}

void tc_action(struct dt_cc *cc, struct dt_node *n, const struct dt_action *act)
{
	int nargs = tc_count_list(n->b);
	struct dt_node *a;

	n->scope = DT_CC_ACTION;
	n->ival = act->kind;
	n->type = dt_t_void;
	if (!tc_check_arg_count(cc, n, act->name, nargs, act->min, act->max))
		return;
	if (act->destructive && !tc_check_destructive(cc, n, act->name)) {
		tc_set_err(n);
		return;
	}
	if (clause_spec.spec && (act->destructive || act->kind == KTRACE_ACT_EXIT)) {
		dt_nerror(cc, n, "D_ACT_SPEC", "%s( ) may not follow speculate( )", act->name);
		tc_set_err(n);
		return;
	}
	switch (act->kind) {
	case KTRACE_ACT_PRINTA:
	case KTRACE_ACT_CLEAR:
	case KTRACE_ACT_TRUNC:
	case KTRACE_ACT_NORMALIZE:
	case KTRACE_ACT_DENORMALIZE: {
		struct dt_node *aggn = n->b;
		const char *fmt = NULL;
		struct dt_aggr *ag;

		if (act->kind == KTRACE_ACT_PRINTA && aggn && aggn->kind == DT_N_STR) {
			fmt = aggn->sval;
			aggn = aggn->next;
			if (!aggn) {
				dt_nerror(cc, n, "D_PROTO_LEN",
					  "printa( ) prototype mismatch: an aggregation is required after the format");
				tc_set_err(n);
				return;
			}
			if (aggn->next) {
				tc_printa_multi(cc, n, fmt, aggn);
				return;
			}
		} else if (act->kind == KTRACE_ACT_PRINTA && nargs > 1) {
			if (aggn->kind != DT_N_AGGREF)
				tc_expr(cc, aggn);
			dt_nerror(cc, aggn, "D_PRINTA_PROTO",
				  "printa( ) argument #1 is incompatible with prototype:\n\tprototype: string constant or aggregation");
			tc_set_err(n);
			return;
		}
		ag = tc_agg_arg(cc, n, aggn, fmt ? 2 : 1);
		if (!ag) {
			tc_set_err(n);
			return;
		}
		n->agg = ag;
		if (act->kind == KTRACE_ACT_PRINTA) {
			tc_note_data(cc, n, "printa( )");
			if (fmt && ag->func < 0)
				tc_printa_defer(cc, n, fmt);
			else if (fmt && dt_printf_check(cc, n, "printa", fmt, NULL, 1, ag) < 0) {
				tc_set_err(n);
			}
			return;
		}
		/* trunc(@, n), normalize(@, n) */
		for (a = aggn->next; a; a = a->next) {
			tc_expr(cc, a);
			if (is_err(&a->type)) {
				tc_set_err(n);
				return;
			}
			if (!is_int(&a->type)) {
				tc_proto_arg_error(cc, n, act->name, 2, a, "integer");
				return;
			}
		}
		tc_note_data(cc, n, act->name);
		return;
	}
	default:
		break;
	}
	for (a = n->b; a; a = a->next)
		tc_expr(cc, a);
	for (a = n->b; a; a = a->next)
		if (is_err(&a->type)) {
			tc_set_err(n);
			return;
		}
	switch (act->kind) {
	case KTRACE_ACT_TRACEMEM:
		tc_tracemem(cc, n, act);
		return;
	case KTRACE_ACT_TRACE:
		if (tc_trace_bytes(cc, n)) {
			if (!is_err(&n->type))
				tc_note_data(cc, n, "data-recording actions");
			return;
		}
		/* fall through */
	case KTRACE_ACT_PRINT:
		if (n->b->type.kind == DT_T_VOID) {
			dt_nerror(cc, n->b, "D_PROTO_ARG", "%s( ) argument #1 is void", act->name);
			tc_set_err(n);
			return;
		}
		if (n->b->type.kind == DT_T_FLOAT) {
			dt_nerror(cc, n->b, "D_PROTO_ARG",
				  "%s( ) argument #1 is floating-point: print it with printf( )'s %%e, %%f or %%g",
				  act->name);
			tc_set_err(n);
			return;
		}
		if (act->kind == KTRACE_ACT_PRINT && !tc_print_object(cc, n))
			return;
		tc_note_data(cc, n, "data-recording actions");
		return;
	case KTRACE_ACT_PRINTF:
	case KTRACE_ACT_SYSTEM:
	case KTRACE_ACT_FREOPEN:
		if (n->b->kind != DT_N_STR) {
			char y[64];

			dt_type_name(&n->b->type, y, sizeof(y));
			dt_nerror(cc, n->b, "D_PRINTF_ARG_FMT",
				  "%s( ) argument #1 is incompatible with prototype:\n\tprototype: string constant\n\t argument: %s",
				  act->name, y);
			tc_set_err(n);
			return;
		}
		if (act->kind == KTRACE_ACT_PRINTF && !n->b->sval[0]) {
			dt_nerror(cc, n->b, "D_PRINTF_FMT_EMPTY", "%s( ) format string is empty",
				  act->name);
			tc_set_err(n);
			return;
		}
		if (dt_printf_check(cc, n, act->name, n->b->sval, n->b->next, 2, NULL) < 0) {
			tc_set_err(n);
			return;
		}
		tc_note_data(cc, n, "data-recording actions");
		return;
	case KTRACE_ACT_EXIT:
	case KTRACE_ACT_RAISE:
	case KTRACE_ACT_CHILL:
		if (!is_int(&n->b->type)) {
			tc_proto_arg_error(cc, n, act->name, 1, n->b, "integer");
			return;
		}
		if (act->kind == KTRACE_ACT_EXIT)
			tc_note_data(cc, n, "exit( )");
		return;
	case KTRACE_ACT_SETOPT:
		for (a = n->b, nargs = 1; a; a = a->next, nargs++)
			if (!is_str(&a->type)) {
				tc_proto_arg_error(cc, n, act->name, nargs, a, "string");
				return;
			}
		return;
	case KTRACE_ACT_SPECULATE:
	case KTRACE_ACT_COMMIT:
	case KTRACE_ACT_DISCARD:
		if (!is_int(&n->b->type)) {
			tc_proto_arg_error(cc, n, act->name, 1, n->b, "integer");
			return;
		}
		if (act->kind == KTRACE_ACT_SPECULATE) {
			if (clause_spec.spec) {
				dt_nerror(cc, n, "D_ACT_SPEC", "speculate( ) may not follow speculate( )");
				tc_set_err(n);
			} else if (clause_spec.data) {
				dt_nerror(cc, n, "D_ACT_SPEC",
					  "speculate( ) may not follow data-recording actions");
				tc_set_err(n);
			} else if (clause_spec.agg) {
				dt_nerror(cc, n, "D_ACT_SPEC",
					  "speculate( ) may not follow aggregating actions");
				tc_set_err(n);
			} else if (clause_spec.commit) {
				dt_nerror(cc, n, "D_ACT_SPEC",
					  "speculate( ) may not follow commit( )");
				tc_set_err(n);
			}
			clause_spec.spec = true;
		} else {
			/*
			 * As DTrace: commit( ) neither follows data-recording
			 * actions nor is followed by them; discard( ) may come
			 * anywhere after them and before anything
			 * (speculation/tst.DiscardAftDataRec, tst.ExitAftDiscard).
			 */
			if (clause_spec.data && act->kind == KTRACE_ACT_COMMIT) {
				dt_nerror(cc, n, "D_ACT_SPEC", "%s( ) may not follow data-recording actions",
					  act->name);
				tc_set_err(n);
			} else if (clause_spec.spec) {
				dt_nerror(cc, n, "D_ACT_SPEC", "%s( ) may not follow speculate( )",
					  act->name);
				tc_set_err(n);
			}
			if (act->kind == KTRACE_ACT_COMMIT)
				clause_spec.commit = true;
		}
		return;
	default:
		return;
	}
}
