// SPDX-License-Identifier: GPL-2.0
/*
 * Type checking of aggregations (see dt_typecheck.c for the overview):
 * the program's aggregations (cc->aggs, cc->aggv: one per name, defined
 * by its first @name[keys] = func(args) statement, the same function,
 * parameters and key prototypes on every use: D_AGG_REDEF...), the
 * aggregation arguments of printa( ), clear( ), trunc( )... and printa( )
 * formats joined on the keys of several aggregations; a printa( ) of an
 * aggregation defined later in the program is checked at the end
 * (tc_aggs_end( )).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "dt_tc.h"

static struct dt_aggr *agg_new(struct dt_cc *cc, const char *name, struct dt_node *where);

/* printa() formats whose aggregation is defined later: checked at the end. */
struct deferred {
	struct dt_node		*call;
	const char		*fmt;
	struct deferred		*next;
};

static __thread struct deferred *deferred_printa;

/* printa(FMT, ...) call N of an aggregation not defined yet: check it at the end. */
void tc_printa_defer(struct dt_cc *cc, struct dt_node *n, const char *fmt)
{
	struct deferred *df = dt_alloc(&cc->ar, sizeof(*df));

	df->call = n;
	df->fmt = fmt;
	df->next = deferred_printa;
	deferred_printa = df;
}

static struct dt_aggr *agg_lookup(struct dt_cc *cc, const char *name)
{
	return dt_hget(&cc->aggs, name, (uint32_t)strlen(name));
}

/* The aggregation argument of printa/clear/trunc/...: must be defined already. */
struct dt_aggr *tc_agg_arg(struct dt_cc *cc, struct dt_node *call, struct dt_node *a,
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
void tc_printa_multi(struct dt_cc *cc, struct dt_node *n, const char *fmt,
		     struct dt_node *aggn)
{
	int argno = 2;
	bool later = false;

	for (struct dt_node *a = aggn; a; a = a->next, argno++) {
		struct dt_aggr *ag = tc_agg_arg(cc, n, a, argno);

		if (!ag) {
			tc_set_err(n);
			return;
		}
		if (ag->func < 0)
			later = true;
	}
	n->agg = aggn->agg;
	tc_note_data(cc, n, "printa( )");
	if (later) {
		tc_printa_defer(cc, n, fmt);
		return;
	}
	printa_keys_check(cc, n);
	if (dt_printf_check(cc, n, "printa", fmt, NULL, 1, aggn->agg) < 0)
		tc_set_err(n);
}


/* ----- aggregation statements ----- */

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

void tc_agg(struct dt_cc *cc, struct dt_node *s)
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
	if (!tc_note_agg(cc, s))
		return;
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

/* A program's type check begins: no printa( ) waits for its aggregation. */
void tc_aggs_begin(void)
{
	deferred_printa = NULL;
}

/*
 * The program is checked: every aggregation used is defined
 * (D_AGG_UNDEF), and the printa( ) formats that waited for theirs are
 * checked against them.
 */
void tc_aggs_end(struct dt_cc *cc)
{
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
}
