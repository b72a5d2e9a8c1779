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
#include "dt_cg.h"
#include "prov.h"

/* ----- actions ----- */
static struct ktrace_action_desc *new_action(struct cg *g, int kind, uint32_t *idx)
{
	struct kt_prog *p = g->p;
	struct ktrace_action_desc *ad;

	p->actions = cg_grow(g->cc, p->actions, p->nactions, &g->cc->actcap, sizeof(*p->actions));
	ad = &p->actions[p->nactions];
	memset(ad, 0, sizeof(*ad));
	ad->kind = (uint16_t)kind;
	*idx = p->nactions++;
	return ad;
}

/* printa(fmt, @a, @b...): push each aggregation's index as an integer. */
static int push_aggs(struct cg *g, struct dt_node *args, uint8_t *dtypes, int max)
{
	int n = 0, r = cg_ralloc(g);

	for (; args; args = args->next, n++) {
		if (n >= max)
			continue;
		cg_set_const(g, r, args->agg->index);
		cg_emit(g, KTRACE_OP_PUSH, 0, r, 0, KTRACE_TT_INT);
		dtypes[n] = KT_DT_S64;
	}
	cg_rfree(g, r);
	return n;
}

/* A struct variable (or struct member of one): its bytes are in its words */
static bool var_struct(const struct dt_node *a)
{
	return a->type.kind == DT_T_STRUCT && a->ident && a->ident->nwords &&
	       (a->kind == DT_N_IDENT || a->kind == DT_N_SELF || a->kind == DT_N_THIS ||
		(a->kind == DT_N_MEMBER && a->mem_how == DT_MEM_VAR));
}

/*
 * COUNT (a register) bytes at the address in R (of address space ASPACE)
 * pushed as one BYTES value: ktrace memory as it is, kernel memory copied
 * by the push (fault-safe), user memory by copyin( ).
 */
static void push_bytes_reg(struct cg *g, int r, int aspace, int count)
{
	if (aspace == DT_AS_USER) {	/* r: the copy (CALL takes the tuple: first) */
		cg_emit(g, KTRACE_OP_PUSH, 0, r, 0, KTRACE_TT_INT);
		cg_emit(g, KTRACE_OP_PUSH, 0, count, 0, KTRACE_TT_INT);
		cg_emit(g, KTRACE_OP_CALL, r, 0, 0, KTRACE_SUBR_COPYIN);
	}
	cg_emit(g, KTRACE_OP_PUSH, 0, r, count, KTRACE_TT_BYTES);
}

/* The same of the address A evaluates to. */
static void push_bytes_at(struct cg *g, struct dt_node *a, int aspace, int count)
{
	int r;

	if (a->kind == DT_N_MEMBER && a->mem_how == DT_MEM_STR) {
		a->mem_how = DT_MEM_ADDR;	/* a char array: its address */
		r = cg_expr(g, a);
		a->mem_how = DT_MEM_STR;
	} else {
		r = cg_expr(g, a);
	}
	push_bytes_reg(g, r, aspace, count);
	cg_rfree(g, r);
}

/*
 * print(P) of a pointer to an object (typecheck: call->nbytes of it): the
 * object's bytes, then P (the bytes first: a copyin( ) takes the tuple).
 */
static int push_print(struct cg *g, struct dt_node *call, uint8_t *dtypes)
{
	struct dt_node *a = call->b;
	int r = cg_expr(g, a), ra = cg_ralloc(g), c = cg_ralloc(g);

	cg_emit(g, KTRACE_OP_MOV, ra, r, 0, 0);
	cg_set_const(g, c, call->nbytes);
	push_bytes_reg(g, r, a->type.aspace, c);
	cg_emit(g, KTRACE_OP_PUSH, 0, ra, 0, KTRACE_TT_INT);
	cg_rfree(g, c);
	cg_rfree(g, ra);
	cg_rfree(g, r);
	dtypes[0] = KT_DT_BYTES;
	dtypes[1] = KT_DT_PTR;
	return 2;
}

/* Action IDX shows its object as of type PT (index + 1 in the type table) */
static void set_act_ptype(struct cg *g, uint32_t idx, uint32_t pt)
{
	struct kt_prog *p = g->p;
	uint32_t *v;

	if (!pt)
		return;
	v = realloc(p->act_ptype, sizeof(*v) * (idx + 1));
	if (!v)
		dt_oom();
	memset(v + p->nact_ptype, 0, sizeof(*v) * (idx + 1 - p->nact_ptype));
	v[idx] = pt;
	p->act_ptype = v;
	p->nact_ptype = idx + 1;
}

/*
 * trace() of a struct, union or array (typecheck: call->nbytes bytes):
 * a struct variable's words as integers, joined again by the consumer
 * (KT_ACTF_WORDS), else the bytes in memory.  Returns the values pushed.
 */
static int push_trace_bytes(struct cg *g, struct dt_node *call, uint8_t *dtypes,
			    uint32_t *flags)
{
	struct dt_node *a = call->b;
	int c, n;

	if (var_struct(a)) {
		n = cg_push_var_words(g, a, call->nbytes);
		for (int i = 0; i < n && i < 16; i++)
			dtypes[i] = KT_DT_U64;
		*flags = KT_ACTF_WORDS | call->nbytes |
			 ((a->kind == DT_N_MEMBER ? a->mem_off % 8 : 0) << KT_ACTF_WORDS_SKIP_SHIFT);
		return n;
	}
	c = cg_ralloc(g);
	cg_set_const(g, c, call->nbytes);
	push_bytes_at(g, a, a->kind == DT_N_MEMBER && a->mem_how == DT_MEM_STR ?
		      a->a->type.aspace : a->type.aspace, c);
	cg_rfree(g, c);
	dtypes[0] = KT_DT_BYTES;
	return 1;
}

/*
 * tracemem(addr, size [, dynsize]): the first min(dynsize, size) bytes,
 * size when dynsize is negative (one unsigned comparison does both).
 */
static int push_tracemem(struct cg *g, struct dt_node *call, uint8_t *dtypes)
{
	struct dt_node *addr = call->b, *dyn = addr->next->next;
	int c, s, t, j;

	if (dyn) {
		c = cg_expr(g, dyn);
		s = cg_ralloc(g);
		t = cg_ralloc(g);
		cg_set_const(g, s, call->nbytes);
		cg_emit(g, KTRACE_OP_SLTU, t, s, c, 0);
		j = cg_emit(g, KTRACE_OP_BZ, 0, t, 0, 0);
		cg_emit(g, KTRACE_OP_MOV, c, s, 0, 0);
		cg_patch(g, j, cg_here(g));
		cg_rfree(g, t);
		cg_rfree(g, s);
	} else {
		c = cg_ralloc(g);
		cg_set_const(g, c, call->nbytes);
	}
	push_bytes_at(g, addr, addr->type.kind == DT_T_PTR ? addr->type.aspace : DT_AS_KERNEL, c);
	cg_rfree(g, c);
	dtypes[0] = KT_DT_BYTES;
	return 1;
}

static void cg_act(struct cg *g, struct dt_node *call)
{
	uint8_t dtypes[16];
	struct ktrace_action_desc *ad;
	struct dt_node *args = call->b;
	uint32_t idx;
	int kind = (int)call->ival, n = 0;
	uint32_t fmt = 0, agg = 0, flags = 0, pt = 0;

	memset(dtypes, 0, sizeof(dtypes));
	if (!strcmp(call->sval, "stack") || !strcmp(call->sval, "ustack") ||
	    !strcmp(call->sval, "jstack")) {
		int r;
		bool u = strcmp(call->sval, "stack") != 0;

		if (call->b)
			call->b->next = NULL;	/* ustack(frames, strsize): strsize unused */
		cg_push_list(g, call->b, NULL, 0);
		r = cg_ralloc(g);
		cg_emit(g, KTRACE_OP_CALL, r, 0, 0, u ? KTRACE_SUBR_USTACK : KTRACE_SUBR_STACK);
		cg_emit(g, KTRACE_OP_PUSH, 0, r, 0, u ? KTRACE_TT_USTACK : KTRACE_TT_STACK);
		cg_rfree(g, r);
		ad = new_action(g, u ? KTRACE_ACT_USTACK : KTRACE_ACT_STACK, &idx);
		ad->nargs = 1;
		ad->arg_types[0] = u ? KT_DT_USTACK : KT_DT_STACK;
		cg_emit(g, KTRACE_OP_ACT, 0, 0, 0, (int32_t)idx);
		return;
	}
	switch (kind) {
	case KTRACE_ACT_PRINTA:
	case KTRACE_ACT_CLEAR:
	case KTRACE_ACT_TRUNC:
	case KTRACE_ACT_NORMALIZE:
	case KTRACE_ACT_DENORMALIZE:
		if (args && args->kind == DT_N_STR) {
			fmt = cg_stroff_n(g->cc, args->sval, args->slen);
			args = args->next;
		}
		agg = (uint32_t)call->agg->index;
		if (kind == KTRACE_ACT_PRINTA && args && args->next) {
			/* joined printa: the record carries the aggregation indexes */
			n = push_aggs(g, args, dtypes, 16);
			break;
		}
		args = args ? args->next : NULL;	/* skip the aggregation */
		n = cg_push_list(g, args, dtypes, 16);
		break;
	case KTRACE_ACT_PRINTF:
	case KTRACE_ACT_SYSTEM:
	case KTRACE_ACT_FREOPEN:
		fmt = cg_stroff_n(g->cc, args->sval, args->slen);
		g->record = kind == KTRACE_ACT_PRINTF;
		n = cg_push_list(g, args->next, dtypes, 16);
		g->record = false;
		break;
	case KTRACE_ACT_TRACEMEM:
		n = push_tracemem(g, call, dtypes);
		break;
	case KTRACE_ACT_TRACE:
		if (call->nbytes) {
			n = push_trace_bytes(g, call, dtypes, &flags);
			break;
		}
		goto value;
	case KTRACE_ACT_PRINT:
		if (call->nbytes && args->type.kind == DT_T_STRUCT) {	/* a value */
			n = push_trace_bytes(g, call, dtypes, &flags);
			pt = dt_ptype_of(g->cc, &args->type);
			break;
		}
		if (call->nbytes) {
			n = push_print(g, call, dtypes);
			pt = dt_ptype_of_pointee(g->cc, &args->type);
			break;
		}
		/* fall through */
value:
	default:
		g->record = kind == KTRACE_ACT_TRACE;
		n = cg_push_list(g, args, dtypes, 16);
		g->record = false;
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
	ad->flags = flags;
	memcpy(ad->arg_types, dtypes, sizeof(dtypes));
	set_act_ptype(g, idx, pt);
	cg_emit(g, KTRACE_OP_ACT, 0, 0, 0, (int32_t)idx);
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
	/* @[built-in] = f(): one aggb (pushb + agg) */
	if (s->b && !s->b->next && cg_builtin_key(s->b) >= 0) {
		cg_emit(g, KTRACE_OP_AGGB, 0, rv, rw,
			KTRACE_AGGB_IMM(ag->index, cg_builtin_key(s->b)));
		cg_rfree(g, rv);
		cg_rfree(g, rw);
		return;
	}
	/* @[a kernel string] = f(): one aggks (stringof + push + agg) */
	if (s->b && !s->b->next) {
		uint32_t max;
		int ra = cg_kstring_addr(g, s->b, &max);

		if (ra >= 0) {
			cg_emit(g, KTRACE_OP_AGGKS, ra, rv, rw, KTRACE_AGGKS_IMM(ag->index, max));
			cg_rfree(g, ra);
			cg_rfree(g, rv);
			cg_rfree(g, rw);
			return;
		}
	}
	/* keys: evaluate the ones that use the tuple stack first, then push all */
	g->record = true;
	{
		bool any = false;

		for (struct dt_node *a = s->b; a; a = a->next)
			any |= cg_uses_tuple(a);
		if (any) {
			k.n = 0;
			for (struct dt_node *a = s->b; a && k.n < KTRACE_MAX_KEYS; a = a->next) {
				k.r[k.n] = cg_value(g, a);
				k.t[k.n++] = &a->type;
			}
			for (int i = 0; i < k.n; i++)
				cg_push_val(g, k.r[i], k.t[i]);
			cg_keys_free(g, &k);
		} else {
			cg_push_list(g, s->b, NULL, 0);
		}
	}
	g->record = false;
	cg_emit(g, KTRACE_OP_AGG, 0, rv, rw, ag->index);
	cg_rfree(g, rv);
	cg_rfree(g, rw);
}

/* ----- statements ----- */
static void cg_stmts(struct cg *g, struct dt_node *s);

static void cg_loop_end(struct cg *g, struct loopctx *lc, int cont_target, int end_target)
{
	for (int i = 0; i < lc->cont.n; i++)
		cg_patch(g, lc->cont.v[i], cont_target);
	for (int i = 0; i < lc->brk.n; i++)
		cg_patch(g, lc->brk.v[i], end_target);
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
			cg_push_list(g, s->a->b, NULL, 0);
			r = cg_ralloc(g);
			cg_emit(g, KTRACE_OP_CALL, r, 0, 0, (int32_t)s->a->ival);
			cg_rfree(g, r);
			return;
		}
		if (s->a->isconst)
			return;	/* no effect */
		r = cg_expr(g, s->a);
		cg_rfree(g, r);
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
		j = cg_emit(g, KTRACE_OP_BZ, 0, r, 0, 0);
		cg_rfree(g, r);
		if (s->b)
			cg_stmt(g, s->b);
		if (s->c) {
			j2 = cg_emit(g, KTRACE_OP_BA, 0, 0, 0, 0);
			cg_patch(g, j, cg_here(g));
			cg_stmt(g, s->c);
			cg_patch(g, j2, cg_here(g));
		} else {
			cg_patch(g, j, cg_here(g));
		}
		return;
	case DT_S_WHILE:
	case DT_S_FOR: {
		struct dt_node *cond = s->kind == DT_S_WHILE ? s->a : s->b;
		struct dt_node *body = s->kind == DT_S_WHILE ? s->b : s->d;
		int cont;

		if (s->kind == DT_S_FOR && s->a) {
			r = cg_expr(g, s->a);
			cg_rfree(g, r);
		}
		memset(&lc, 0, sizeof(lc));
		lc.outer = g->loop;
		g->loop = &lc;
		top = cg_here(g);
		j = -1;
		if (cond && !(cond->isconst && cond->ival)) {
			r = cg_expr(g, cond);
			j = cg_emit(g, KTRACE_OP_BZ, 0, r, 0, 0);
			cg_rfree(g, r);
		}
		if (body)
			cg_stmt(g, body);
		cont = cg_here(g);
		if (s->kind == DT_S_FOR && s->c) {
			g->stmt = s;
			r = cg_expr(g, s->c);
			cg_rfree(g, r);
		}
		/* while (1) {}: loop must branch strictly backward (verifier rule 11) */
		if (cg_here(g) == top)
			cg_emit(g, KTRACE_OP_NOP, 0, 0, 0, 0);
		cg_emit(g, KTRACE_OP_LOOP, 0, 0, 0, top);
		if (j >= 0)
			cg_patch(g, j, cg_here(g));
		g->loop = lc.outer;
		cg_loop_end(g, &lc, cont, cg_here(g));
		return;
	}
	case DT_S_BREAK:
	case DT_S_CONTINUE:
		if (!g->loop)
			return;
		j = cg_emit(g, KTRACE_OP_BA, 0, 0, 0, 0);
		cg_pl_add(g->cc, s->kind == DT_S_BREAK ? &g->loop->brk : &g->loop->cont, j);
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

		vd->name = cg_stroff(cc, id->name);
		vd->scope = (uint8_t)id->scope;
		vd->type = id->type.kind == DT_T_STRING ? KTRACE_TYPE_STRING : KTRACE_TYPE_INT;
		if (id->nelems) {	/* int a[N]: N elements of their type's size */
			vd->nelems = id->nelems;
			vd->elem = (uint16_t)(id->type.kind == DT_T_PTR ? 8 :
					      id->type.size | (id->type.sign && id->type.size < 8 ?
							       KTRACE_LD_SIGNED : 0));
		}
		if (cg_is_array(id)) {
			/* tuple entries: a struct key takes one per word */
			uint32_t w = 0;

			for (int k = 0; k < id->nkeys; k++)
				w += (uint32_t)dt_key_width(&id->keys[k]);
			vd->nkeys = w ? w : 1;
		}
	}
	/* an array of structs: its words are arrays of its keys */
	for (int i = 0; i < cc->nvars; i++) {
		const struct dt_ident *id = cc->vars[i];

		if (cg_is_array(id) && id->nwords > 1)
			for (int k = 1; k < id->nwords; k++)
				p->vars[id->word1 + k - 1].nkeys = p->vars[i].nkeys;
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

		ad->name = cg_stroff(cc, ag->name);
		ad->func = (uint16_t)(ag->func < 0 ? 0 : ag->func);
		ad->nkeys = (uint16_t)ag->nkeys;
		for (int k = 0; k < ag->nkeys && k < KTRACE_MAX_KEYS; k++) {
			int dt = ag->kdtype[k];

			ad->key_types[k] = kt_dt_from_usample(dt) ? KTRACE_TYPE_USAMPLE :
					   dt == KT_DT_STRING ? KTRACE_TYPE_STRING :
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
 * "error in clause N for probe ID P ..." message.
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
	r = cg_ralloc(g);
	for (int i = 1; i <= 5; i++) {
		cg_emit(g, KTRACE_OP_LDB, r, 0, 0, KTRACE_VAR_ARG0 + i);
		cg_emit(g, KTRACE_OP_PUSH, 0, r, 0, KTRACE_TT_INT);
	}
	cg_rfree(g, r);
	ad = new_action(g, KTRACE_ACT_TRACE, &idx);
	ad->nargs = 5;
	ad->flags = KT_ACTF_DEFERR;
	cg_emit(g, KTRACE_OP_ACT, 0, 0, 0, (int32_t)idx);
	cg_emit(g, KTRACE_OP_RET, 0, 0, 0, 0);
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
	cg_stroff_n(cc, "", 0);	/* offset 0 is "" */
	if (!p->strtab_size) {
		p->strtab = cg_grow(cc, p->strtab, 0, &cc->strcap, 1);
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
			cg_emit(&g, KTRACE_OP_RET, 0, r, 0, 0);
			cd->pred_len = p->ninsns - cd->pred_start;
		}
		cd->body_start = p->ninsns;
		g.used = 0;
		if (!c->b) {
			uint32_t idx;

			new_action(&g, KTRACE_ACT_NONE, &idx);
			cg_emit(&g, KTRACE_OP_ACT, 0, 0, 0, (int32_t)idx);
		} else {
			cg_stmts(&g, c->b);
		}
		cg_emit(&g, KTRACE_OP_RET, 0, 0, 0, 0);
		cd->body_len = p->ninsns - cd->body_start;
		if (!cd->pred_len)
			cd->pred_start = 0;
	}
	if (cc->opts->error_clause && !cc->opts->probe_only)
		cg_default_error(&g);
	cg_tables(&g);
	return cc->diags && cc->diags->nerrors ? -1 : 0;
}
