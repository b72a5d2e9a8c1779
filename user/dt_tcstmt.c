// SPDX-License-Identifier: GPL-2.0
/*
 * Type checking of calls, actions, aggregations and statements, and the
 * pass itself (dt_typecheck()); see dt_typecheck.c for the overview.
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

static void note_data(struct dt_cc *cc, struct dt_node *n, const char *what)
{
	if (clause_spec.commit)
		dt_nerror(cc, n, "D_ACT_SPEC", "%s may not follow commit( )", what);
	clause_spec.data = true;
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

static struct dt_aggr *agg_new(struct dt_cc *cc, const char *name, struct dt_node *where);

/* printa() formats whose aggregation is defined later: checked at the end. */
struct deferred {
	struct dt_node		*call;
	const char		*fmt;
	struct deferred		*next;
};

static __thread struct deferred *deferred_printa;

static struct dt_aggr *agg_lookup(struct dt_cc *cc, const char *name)
{
	return dt_hget(&cc->aggs, name, (uint32_t)strlen(name));
}

/* The aggregation argument of printa/clear/trunc/...: must be defined already. */
static struct dt_aggr *agg_arg(struct dt_cc *cc, struct dt_node *call, struct dt_node *a,
			       int argno)
{
	struct dt_aggr *ag;

	if (!a || a->kind != DT_N_AGGREF) {
		if (a)
			tc_expr(cc, a);
		dt_nerror(cc, a ? a : call, "D_PRINTA_AGGARG",
			  "%s( ) argument #%d is incompatible with prototype:\n\tprototype: aggregation\n\t argument: %s",
			  call->sval, argno, a && a->kind == DT_N_STR ? "string" : "expression");
		return NULL;
	}
	if (a->ival) {
		dt_nerror(cc, a, "D_PRINTA_AGGBAD", "%s( ) takes an aggregation without keys: @%s",
			  call->sval, a->sval);
		return NULL;
	}
	ag = agg_lookup(cc, a->sval);
	if (!ag)
		ag = agg_new(cc, a->sval, a);	/* defined later in the program (checked at the end) */
	a->agg = ag;
	return ag;
}

/* Do two aggregations have the same key signature (for a joined printa)? */
static bool same_keys(const struct dt_aggr *a, const struct dt_aggr *b)
{
	if (a->nuser != b->nuser)
		return false;
	for (int i = 0; i < a->nuser && i < KTRACE_MAX_KEYS; i++) {
		const struct dt_type *x = &a->keys[i], *y = &b->keys[i];

		/* integers and pointers are both INT tuple elements */
		if (x->kind != y->kind && !(is_scalar(x) && is_scalar(y)))
			return false;
	}
	return true;
}

static void printa_keys_check(struct dt_cc *cc, struct dt_node *call)
{
	const struct dt_node *first = NULL;
	int argno = 1;

	for (struct dt_node *a = call->b; a; a = a->next, argno++) {
		if (a->kind != DT_N_AGGREF || !a->agg || a->agg->func < 0)
			continue;
		if (!first) {
			first = a;
			continue;
		}
		if (!same_keys(first->agg, a->agg)) {
			dt_nerror(cc, a, "D_PRINTA_AGGPROTO",
				  "printa( ) argument #%d is incompatible with prototype:\n\tprototype: aggregation with the key signature of @%s\n\t argument: @%s",
				  argno, first->sval, a->sval);
			tc_set_err(call);
			return;
		}
	}
}

/*
 * printa(fmt, @a, @b, ...): the aggregations are joined on their keys, so
 * they must have the same key signature; the n-th %@ prints the n-th one.
 */
static void tc_printa_multi(struct dt_cc *cc, struct dt_node *n, const char *fmt,
			    struct dt_node *aggn)
{
	int argno = 2;
	bool later = false;

	for (struct dt_node *a = aggn; a; a = a->next, argno++) {
		struct dt_aggr *ag = agg_arg(cc, n, a, argno);

		if (!ag) {
			tc_set_err(n);
			return;
		}
		if (ag->func < 0)
			later = true;
	}
	n->agg = aggn->agg;
	note_data(cc, n, "printa( )");
	if (later) {
		struct deferred *df = dt_alloc(&cc->ar, sizeof(*df));

		df->call = n;
		df->fmt = fmt;
		df->next = deferred_printa;
		deferred_printa = df;
		return;
	}
	printa_keys_check(cc, n);
	if (dt_printf_check(cc, n, "printa", fmt, NULL, 1, aggn->agg) < 0)
		tc_set_err(n);
}

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
		dt_nerror(cc, a, "D_PROTO_ARG", "trace( ) argument #1 has no size: \"%s\"", x);
		tc_set_err(n);
		return true;
	}
	if (tc_is_var_struct(a) &&
	    ((a->kind == DT_N_MEMBER ? a->mem_off % 8 : 0) + size + 7) / 8 > 16) {
		dt_nerror(cc, a, "D_PROTO_ARG",
			  "trace( ) of a struct variable records at most 16 words (128 bytes): trace the copy in alloca( ) memory (*p) of a larger one");
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
 * (DTrace's print( )).  Other values print as trace( ) shows them.  False
 * if diagnosed.
 */
static bool tc_print_object(struct dt_cc *cc, struct dt_node *n)
{
	const struct dt_type *pt = &n->b->type;
	struct dt_type o;
	uint32_t size, align;
	char x[96];

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
	note_data(cc, n, "data-recording actions");
}

static void tc_action(struct dt_cc *cc, struct dt_node *n, const struct dt_action *act)
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
		ag = agg_arg(cc, n, aggn, fmt ? 2 : 1);
		if (!ag) {
			tc_set_err(n);
			return;
		}
		n->agg = ag;
		if (act->kind == KTRACE_ACT_PRINTA) {
			note_data(cc, n, "printa( )");
			if (fmt && ag->func < 0) {
				struct deferred *df = dt_alloc(&cc->ar, sizeof(*df));

				df->call = n;
				df->fmt = fmt;
				df->next = deferred_printa;
				deferred_printa = df;
			} else if (fmt && dt_printf_check(cc, n, "printa", fmt, NULL, 1, ag) < 0) {
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
		note_data(cc, n, act->name);
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
				note_data(cc, n, "data-recording actions");
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
		note_data(cc, n, "data-recording actions");
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
		note_data(cc, n, "data-recording actions");
		return;
	case KTRACE_ACT_EXIT:
	case KTRACE_ACT_RAISE:
	case KTRACE_ACT_CHILL:
		if (!is_int(&n->b->type)) {
			tc_proto_arg_error(cc, n, act->name, 1, n->b, "integer");
			return;
		}
		if (act->kind == KTRACE_ACT_EXIT)
			note_data(cc, n, "exit( )");
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

/* ----- aggregations ----- */

static struct dt_aggr *agg_new(struct dt_cc *cc, const char *name, struct dt_node *where)
{
	struct dt_aggr *ag = dt_alloc(&cc->ar, sizeof(*ag));

	ag->name = dt_strndup(&cc->ar, name, strlen(name));
	ag->index = cc->naggs;
	ag->func = -1;
	ag->nuser = -1;
	ag->src = where->src;
	ag->line = where->line;
	ag->col = where->col;
	if (cc->naggs == cc->aggcap) {
		int ncap = cc->aggcap ? cc->aggcap * 2 : 8;
		struct dt_aggr **nv = realloc(cc->aggv, sizeof(*nv) * (size_t)ncap);

		if (!nv)
			longjmp(cc->oom_jmp, 1);
		cc->aggv = nv;
		cc->aggcap = ncap;
	}
	cc->aggv[cc->naggs++] = ag;
	if (!dt_hput(&cc->aggs, ag->name, (uint32_t)strlen(ag->name), ag))
		longjmp(cc->oom_jmp, 1);
	return ag;
}

static bool const_arg(struct dt_cc *cc, struct dt_node *call, struct dt_node *a, int argno,
		      int64_t *v)
{
	if (!a->isconst || !is_int(&a->type)) {
		dt_nerror(cc, a, "D_AGG_CONST", "%s( ) argument #%d must be an integer constant",
			  call->sval, argno);
		return false;
	}
	*v = a->ival;
	return true;
}

static void tc_agg(struct dt_cc *cc, struct dt_node *s)
{
	struct dt_node *call = s->c, *a;
	struct dt_aggr *ag;
	int func, min, max, nargs, i;
	int64_t params[4] = { 0, 0, 0, 0 };
	struct dt_type valtype = dt_t_i64;

	if (!call || call->kind != DT_N_CALL) {
		dt_nerror(cc, s, "D_AGG_FUNC",
			  "aggregations may only be assigned the result of an aggregating function");
		return;
	}
	func = dt_aggfunc_lookup(call->sval, &min, &max);
	if (func < 0) {
		dt_nerror(cc, call, "D_AGG_FUNC", "%s( ) is not an aggregating function", call->sval);
		return;
	}
	if (clause_spec.spec) {
		dt_nerror(cc, s, "D_AGG_SPEC", "aggregating actions may not follow speculate( )");
		return;
	}
	clause_spec.agg = true;
	nargs = tc_count_list(call->b);
	if (!tc_check_arg_count(cc, call, call->sval, nargs, min, max))
		return;
	for (a = s->b; a; a = a->next)
		tc_expr(cc, a);
	for (a = call->b; a; a = a->next)
		tc_expr(cc, a);
	for (a = s->b; a; a = a->next)
		if (is_err(&a->type))
			return;
	for (a = call->b, i = 1; a; a = a->next, i++) {
		if (is_err(&a->type))
			return;
		if (!is_scalar(&a->type)) {
			tc_proto_arg_error(cc, call, call->sval, i, a, "integer");
			return;
		}
	}
	if (call->b)
		valtype = call->b->type;
	/* parameters */
	if (func == KTRACE_AGG_LQUANTIZE) {
		struct dt_node *x = call->b->next;
		int64_t lo, hi, step = 1;

		if (!const_arg(cc, call, x, 2, &lo) || !const_arg(cc, call, x->next, 3, &hi))
			return;
		if (x->next->next && !const_arg(cc, call, x->next->next, 4, &step))
			return;
		if (step <= 0 || step > UINT16_MAX) {
			dt_nerror(cc, call, "D_LQUANT_STEPVAL",
				  "lquantize( ) step must be in 1..%d", UINT16_MAX);
			return;
		}
		if (lo >= hi) {
			dt_nerror(cc, call, "D_LQUANT_MISMATCH",
				  "lquantize( ) lower bound (%lld) must be less than upper bound (%lld)",
				  (long long)lo, (long long)hi);
			return;
		}
		if (lo < INT32_MIN || hi > INT32_MAX) {
			dt_nerror(cc, call, "D_LQUANT_BASEVAL",
				  "lquantize( ) bounds must be 32-bit integers");
			return;
		}
		if ((hi - lo) / step > UINT16_MAX) {
			dt_nerror(cc, call, "D_LQUANT_STEPLARGE",
				  "lquantize( ) has too many levels: (upper - lower) / step must not exceed %d",
				  UINT16_MAX);
			return;
		}
		params[0] = lo;
		params[1] = hi;
		params[2] = step;
	} else if (func == KTRACE_AGG_LLQUANTIZE) {
		struct dt_node *x = call->b->next;
		int64_t f, lo, hi, ns;

		if (!const_arg(cc, call, x, 2, &f) || !const_arg(cc, call, x->next, 3, &lo) ||
		    !const_arg(cc, call, x->next->next, 4, &hi) ||
		    !const_arg(cc, call, x->next->next->next, 5, &ns))
			return;
		if (f < 2 || f > UINT16_MAX) {
			dt_nerror(cc, call, "D_LLQUANT_FACTORVAL",
				  "llquantize( ) factor (argument #2) must be in 2..%d", UINT16_MAX);
			return;
		}
		if (lo < 0 || lo > UINT16_MAX || hi < 0 || hi > UINT16_MAX) {
			dt_nerror(cc, call, "D_LLQUANT_MAGRANGE",
				  "llquantize( ) magnitudes (arguments #3, #4) must be in 0..%d", UINT16_MAX);
			return;
		}
		if (hi < lo) {
			dt_nerror(cc, call, "D_LLQUANT_MAGRANGE",
				  "llquantize( ) high magnitude (argument #4) must not be less than the low magnitude");
			return;
		}
		/* as DTrace: steps below the factor divide it (llquantize(v, 4, 0, 1, 2)) */
		if (ns < 1 || (ns < f && f % ns)) {
			dt_nerror(cc, call, "D_LLQUANT_NSTEPMATCH",
				  "llquantize( ) steps (argument #5) must divide the factor or be a multiple of it");
			return;
		}
		if (ns >= f && ns % f) {
			dt_nerror(cc, call, "D_LLQUANT_NSTEPMATCH",
				  "llquantize( ) steps (argument #5) must be a multiple of the factor");
			return;
		}
		if (ns >= f) {
			/* the smallest power of the factor not below steps must be a multiple of steps */
			int64_t v = f;

			while (v < ns)
				v *= f;
			if (v % ns) {
				dt_nerror(cc, call, "D_LLQUANT_NSTEPMATCH",
					  "llquantize( ) steps (argument #5) must divide a power of the factor");
				return;
			}
		}
		if ((hi - lo + 1) * ns + 2 > 65536) {
			dt_nerror(cc, call, "D_LLQUANT_MAGTOOBIG",
				  "llquantize( ) has too many buckets: (high - low + 1) * steps must not exceed 65534");
			return;
		}
		{
			/* factor^(hi+1) must fit in 64 bits */
			uint64_t v = 1;

			for (int64_t k = 0; k <= hi; k++) {
				if (v > UINT64_MAX / (uint64_t)f) {
					dt_nerror(cc, call, "D_LLQUANT_MAGTOOBIG",
						  "llquantize( ) factor ** (high magnitude + 1) overflows 64 bits");
					return;
				}
				v *= (uint64_t)f;
			}
		}
		params[0] = f;
		params[1] = lo;
		params[2] = hi;
		params[3] = ns;
	}
	ag = agg_lookup(cc, s->sval);
	if (!ag)
		ag = agg_new(cc, s->sval, s);
	if (ag->func < 0) {
		ag->src = s->src;
		ag->line = s->line;
		ag->col = s->col;
		ag->func = func;
		memcpy(ag->params, params, sizeof(params));
		ag->valtype = valtype;
	} else if (ag->func != func || memcmp(ag->params, params, sizeof(params))) {
		dt_nerror(cc, s, "D_AGG_REDEF",
			  "aggregation redefined: @%s\n\t current: %s( )\n\tprevious: %s( ) at %s:%d:%d",
			  s->sval, call->sval, dt_aggfunc_name(ag->func),
			  cc->srcs[ag->src].name, ag->line, ag->col);
		return;
	}
	if (!tc_check_keys(cc, s, "@", s->sval, &ag->nuser, ag->keys, s->b, true))
		return;
	/* tuple layout: user/umod keys take two elements */
	if (ag->nkeys == 0 && ag->nuser > 0) {
		int k = 0;

		for (a = s->b, i = 0; a; a = a->next, i++) {
			int dt = dt_type_to_dtype(&a->type);

			if (dt == KT_DT_USYM || dt == KT_DT_UMOD) {
				if (k < KTRACE_MAX_KEYS)
					ag->kdtype[k] = KT_DT_UPID;
				k++;
			}
			if (k < KTRACE_MAX_KEYS)
				ag->kdtype[k] = (uint8_t)dt;
			k++;
		}
		if (k > KTRACE_MAX_KEYS) {
			dt_nerror(cc, s, "D_ARR_KEYS",
				  "@%s[ ]: too many keys (usym( )/umod( ) keys count twice; at most %d)",
				  s->sval, KTRACE_MAX_KEYS);
			return;
		}
		ag->nkeys = k;
	}
	s->agg = ag;
}

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
					note_data(cc, s->a, "data-recording actions");
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
	    /* trace(s): its bytes (tc_trace_bytes) */
	    !(parent->kind == DT_N_CALL && parent->ival == KTRACE_ACT_TRACE &&
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
	if (!is_err(&c->a->type) && !is_scalar(&c->a->type)) {
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
	deferred_printa = NULL;
	tc_check_xlators(cc);
	for (struct dt_node *c = cc->top; c; c = c->next) {
		if (c->kind != DT_TOP_CLAUSE)
			continue;
		if (dt_too_many_errors(cc))
			break;
		cc->clause = c;
		memset(&clause_spec, 0, sizeof(clause_spec));
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
	for (int i = 0; i < cc->naggs; i++) {
		struct dt_aggr *ag = cc->aggv[i];

		if (ag->func < 0)
			dt_error(cc, ag->src, ag->line, ag->col, "D_AGG_UNDEF",
				 "failed to resolve @%s: Unknown aggregation", ag->name);
	}
	for (struct deferred *df = deferred_printa; df; df = df->next)
		if (df->call->agg && df->call->agg->func >= 0) {
			printa_keys_check(cc, df->call);
			dt_printf_check(cc, df->call, "printa", df->fmt, NULL, 1, df->call->agg);
		}
	deferred_printa = NULL;
	return cc->diags && cc->diags->nerrors ? -1 : 0;
}
