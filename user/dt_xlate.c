// SPDX-License-Identifier: GPL-2.0
/*
 * The type checker's view of D's declarations (dt_decl.c): enum
 * constants, inlines, offsetof of declared types (their sizes and layouts
 * are the type model's, dt_types.c), and translators.  Inlines and translated members are expanded in place: an
 * inline's name becomes (a copy of) its expression, converted to its
 * type; xlate<T *>(E)->M (and xlate<T>(E).M) becomes the translator's
 * expression for M with its input name bound to (a copy of) E, as DTrace
 * defines it.  Provider arguments declared in D (provider NAME { probe
 * P(native) : (translated); }) make args[I] xlate<T>((N) argJ).  Nothing
 * here reaches the code generator: it sees ordinary expressions.
 */
#include <fnmatch.h>
#include <string.h>
#include "dt_tc.h"

/* ----- copies of syntax trees ----- */
static struct dt_node *clone_list(struct dt_cc *cc, const struct dt_node *n);

struct dt_node *dt_clone(struct dt_cc *cc, const struct dt_node *n)
{
	struct dt_node *c;

	if (!n)
		return NULL;
	c = dt_alloc(&cc->ar, sizeof(*c));
	*c = *n;
	c->next = NULL;
	c->a = clone_list(cc, n->a);
	c->b = clone_list(cc, n->b);
	c->c = clone_list(cc, n->c);
	c->d = clone_list(cc, n->d);
	return c;
}

static struct dt_node *clone_list(struct dt_cc *cc, const struct dt_node *n)
{
	struct dt_node *head = NULL, **tail = &head;

	for (; n; n = n->next) {
		*tail = dt_clone(cc, n);
		tail = &(*tail)->next;
	}
	return head;
}

/* Every identifier NAME in N becomes a copy of WITH. */
static void bind_ident(struct dt_cc *cc, struct dt_node *n, const char *name,
		       const struct dt_node *with)
{
	for (; n; n = n->next) {
		if (n->kind == DT_N_IDENT && !strcmp(n->sval, name)) {
			struct dt_node *next = n->next, *w = dt_clone(cc, with);

			*n = *w;
			n->next = next;
			continue;
		}
		bind_ident(cc, n->a, name, with);
		bind_ident(cc, n->b, name, with);
		bind_ident(cc, n->c, name, with);
		bind_ident(cc, n->d, name, with);
	}
}

/* Replace N (in place: its parent keeps pointing at it) by R. */
static void replace(struct dt_node *n, const struct dt_node *r)
{
	struct dt_node *next = n->next;

	*n = *r;
	n->next = next;
}

/* (TYPE) E for a scalar TYPE, so the value has the declared type; stringof(E) for a
 * string (the address of a string in the kernel); E otherwise. */
static struct dt_node *convert(struct dt_cc *cc, struct dt_node *e, const struct dt_type *t,
			       const struct dt_node *at)
{
	struct dt_node *c;

	if (is_str(t)) {
		/* a string argument: the address of the string in the kernel */
		c = dt_node_new(cc, DT_N_STRINGOF, at->src, at->line, at->col);
		c->a = e;
		return c;
	}
	if (!is_scalar(t) || t->dstruct)
		return e;
	c = dt_node_new(cc, DT_N_CAST, at->src, at->line, at->col);
	c->ctype = *t;
	c->a = e;
	return c;
}

/* A kernel struct named in a library file: looked up now. */
bool tc_node_ctype(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_dtype d = { .t = n->ctype, .sname = n->csname, .src = n->src,
			      .line = n->line, .col = n->col };

	if (!n->csname)
		return true;
	if (!dt_dtype_resolve(cc, &d))
		return false;
	n->ctype = d.t;
	n->csname = NULL;
	return true;
}

static const struct dt_smember *dmember(struct dt_cc *cc, const struct dt_type *t,
					const char *name)
{
	const struct dt_dstruct *ds = cc->dstructs[t->dstruct - 1];

	for (int i = 0; i < ds->nmembers; i++)
		if (!strcmp(ds->m[i].name, name))
			return &ds->m[i];
	return NULL;
}

/* A pointer to a value of type T (an array member's first element, &E) */
struct dt_type tc_ptr_to(const struct dt_type *t)
{
	struct dt_type p = { .kind = DT_T_PTR, .size = 8, .pdepth = 1 };

	if (t->kind == DT_T_PTR) {
		p = *t;
		p.pdepth++;
	} else if (t->kind == DT_T_INT) {
		p.bsize = t->size;
		p.bsign = t->sign;
	} else if (t->kind == DT_T_STRUCT) {
		p.btf = t->btf;
		p.dstruct = t->dstruct;
	}
	return p;
}

/*
 * E->M, E.M of a struct or union declared in D, in memory (alloca() or
 * copyin() buffers, kernel or user memory cast to it): M's offset and
 * value, as for kernel structs (tc_struct_member).  False if E is none.
 */
bool tc_dstruct_member(struct dt_cc *cc, struct dt_node *n)
{
	const struct dt_type *a = &n->a->type;
	const struct dt_smember *m;
	struct dt_dtype mt;
	uint32_t align;

	if (!a->dstruct || !((n->op == T_ARROW && a->kind == DT_T_PTR && a->pdepth == 1) ||
			     (n->op == T_DOT && a->kind == DT_T_STRUCT)))
		return false;
	if (!cc->dstructs[a->dstruct - 1]->defined) {
		dt_nerror(cc, n, "D_DECL_INCOMPLETE",
			  "%s %s is incomplete: it is neither a kernel type nor defined in D",
			  dt_tag_word(cc->dstructs[a->dstruct - 1]->kind),
			  dt_dstruct_name(a->dstruct));
		tc_set_err(n);
		return true;
	}
	if (!dt_type_sizeof(cc, &(struct dt_type){ .kind = DT_T_STRUCT, .dstruct = a->dstruct },
			    &align)) {
		tc_set_err(n);
		return true;
	}
	m = dmember(cc, a, n->sval);
	if (!m) {
		dt_nerror(cc, n, "D_TYPE_MEMBER", "%s %s has no member named %s",
			  cc->dstructs[a->dstruct - 1]->kind == T_UNION ? "union" : "struct",
			  dt_dstruct_name(a->dstruct), n->sval);
		tc_set_err(n);
		return true;
	}
	mt = m->type;
	if (!dt_dtype_resolve(cc, &mt)) {
		tc_set_err(n);
		return true;
	}
	n->mem_off = m->off;
	if (m->bits) {	/* a bit-field: the fewest bytes that hold it, as a kernel one */
		uint32_t lsize = 1;

		while (lsize * 8 < m->bitoff % 8 + m->bits)
			lsize *= 2;
		n->type = mt.t;
		n->type.aspace = a->aspace;
		n->mem_bshift = (uint8_t)(m->bitoff % 8);
		n->mem_bits = m->bits;
		n->mem_lsize = (uint8_t)lsize;
		n->mem_how = DT_MEM_BITS;
		return true;
	}
	if (mt.nelems && mt.t.kind == DT_T_INT && mt.t.size == 1) {
		n->type = dt_t_string;	/* char[N]: the string there, at most N bytes */
		n->mem_how = DT_MEM_STR;
		n->tp_size = (int)mt.nelems;
		return true;
	}
	if (!mt.nelems && mt.t.kind == DT_T_FLOAT && mt.t.size > 8) {
		dt_nerror(cc, n, "D_TYPE_ERR",
			  "member %s is a long double: D holds at most 8 bytes of a value", n->sval);
		tc_set_err(n);
		return true;
	}
	if (mt.nelems) {
		n->type = tc_ptr_to(&mt.t);
		n->mem_how = DT_MEM_ADDR;
	} else {
		n->type = mt.t;
		n->mem_how = mt.t.kind == DT_T_STRUCT ? DT_MEM_ADDR : DT_MEM_LOAD;
	}
	n->type.aspace = a->aspace;
	return true;
}

/* ----- variables of a struct type declared in D ----- */

/* N (type-checked) is a struct variable or a struct member of one */
bool tc_is_var_struct(const struct dt_node *n)
{
	if (n->type.kind != DT_T_STRUCT || !n->type.dstruct || !n->ident || !n->ident->nwords)
		return false;
	return n->kind == DT_N_IDENT || n->kind == DT_N_SELF || n->kind == DT_N_THIS ||
	       n->kind == DT_N_INDEX || (n->kind == DT_N_MEMBER && n->mem_how == DT_MEM_VAR);
}

/* V.M of a struct variable V (or of a struct member of one): bytes in its words */
void tc_var_member(struct dt_cc *cc, struct dt_node *n)
{
	const struct dt_node *v = n->a;
	const struct dt_smember *m = dmember(cc, &v->type, n->sval);
	struct dt_dtype mt;

	if (!m) {
		dt_nerror(cc, n, "D_TYPE_MEMBER", "%s %s has no member named %s",
			  cc->dstructs[v->type.dstruct - 1]->kind == T_UNION ? "union" : "struct",
			  dt_dstruct_name(v->type.dstruct), n->sval);
		tc_set_err(n);
		return;
	}
	mt = m->type;
	if (!dt_dtype_resolve(cc, &mt)) {
		tc_set_err(n);
		return;
	}
	if (mt.nelems || !(is_scalar(&mt.t) || (mt.t.kind == DT_T_STRUCT && mt.t.dstruct))) {
		dt_nerror(cc, n, "D_STRUCT_VALUE",
			  "member %s of a struct variable: only integers, pointers and structs declared in D can be held (use a pointer to alloca() memory)",
			  n->sval);
		tc_set_err(n);
		return;
	}
	n->ident = v->ident;
	n->mem_off = (v->kind == DT_N_MEMBER ? v->mem_off : 0) + m->off;
	if (m->bits) {	/* a bit-field: its bits from mem_off's byte on */
		n->mem_bshift = (uint8_t)(m->bitoff % 8);
		n->mem_bits = m->bits;
	}
	n->mem_how = DT_MEM_VAR;
	n->type = mt.t;
	n->lvalue = true;
}

/*
 * A = B where B is a struct variable (or struct member of one): A, a
 * struct variable of the same type or one this assignment declares, gets
 * B's bytes.  False if B is no struct variable (an ordinary assignment).
 */
bool tc_struct_assign(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_node *l = n->a, *r = n->b;
	struct dt_ident *id;
	char x[96], y[96];

	/*
	 * self->s = 0 or a[k] = 0 of a struct held by a dynamic variable
	 * deletes it, as storing 0 deletes any dynamic variable: its words
	 * are zeroed (each a dynamic variable, freed when it is 0).
	 */
	if (r->kind == DT_N_INT && r->ival == 0 &&
	    (l->kind == DT_N_SELF || (l->kind == DT_N_INDEX && l->a->kind != DT_N_THIS))) {
		if (l->kind == DT_N_SELF) {
			id = dt_var_lookup(cc, l->sval, KTRACE_SCOPE_TLS);
			if (id && id->type.kind == DT_T_STRUCT && id->type.dstruct && id->nwords) {
				l->ident = id;
				l->type = id->type;
				l->lvalue = true;
			}
		} else {
			id = dt_var_lookup(cc, l->a->sval, l->a->kind == DT_N_SELF ?
					   KTRACE_SCOPE_TLS : KTRACE_SCOPE_GLOBAL);
			if (id && (id->scope == KTRACE_SCOPE_GARRAY || id->scope == KTRACE_SCOPE_TARRAY) &&
			    id->type.kind == DT_T_STRUCT && id->type.dstruct && id->nwords)
				tc_expr(cc, l);
		}
		if (l->ident && tc_is_var_struct(l)) {
			tc_expr(cc, r);
			n->type = l->type;
			return true;
		}
		if (l->ident && is_err(&l->type)) {
			tc_set_err(n);
			return true;
		}
	}
	if (r->kind != DT_N_IDENT && r->kind != DT_N_SELF && r->kind != DT_N_THIS &&
	    r->kind != DT_N_INDEX && !(r->kind == DT_N_MEMBER && r->op == T_DOT))
		return false;
	tc_expr(cc, r);
	if (is_err(&r->type)) {
		tc_set_err(n);
		return true;
	}
	if (!tc_is_var_struct(r))
		return false;
	if (l->kind == DT_N_INDEX) {
		/*
		 * a[k] = s: an associative array of such structs (words of its
		 * own, which tc_assign_target() gives a new one with its type)
		 */
		if (l->a->kind != DT_N_IDENT && l->a->kind != DT_N_SELF)
			return false;
		id = tc_assign_target(cc, l, true, &r->type);
		if (!id) {
			tc_set_err(n);
			return true;
		}
		l->ident = id;
		l->type = id->type;
		l->lvalue = true;
	} else if (l->kind == DT_N_MEMBER) {
		tc_expr(cc, l);
		if (is_err(&l->type)) {
			tc_set_err(n);
			return true;
		}
	} else if (l->kind == DT_N_IDENT || l->kind == DT_N_SELF || l->kind == DT_N_THIS) {
		int scope = l->kind == DT_N_SELF ? KTRACE_SCOPE_TLS :
			    l->kind == DT_N_THIS ? KTRACE_SCOPE_LOCAL : KTRACE_SCOPE_GLOBAL;

		id = dt_var_lookup(cc, l->sval, scope);
		if (!id) {
			id = dt_var_new(cc, l->sval, scope, l);
			id->type = r->type;
			id->type.aspace = 0;
			id->typed = true;
			if (!dt_var_words(cc, id, l)) {
				tc_set_err(n);
				return true;
			}
		}
		l->ident = id;
		l->type = id->type;
		l->lvalue = true;
	}
	if (!tc_is_var_struct(l) || l->type.dstruct != r->type.dstruct) {
		dt_type_name(&l->type, x, sizeof(x));
		dt_type_name(&r->type, y, sizeof(y));
		dt_nerror(cc, n, "D_OP_INCOMPAT", "operands have incompatible types: \"%s\" = \"%s\"",
			  x, y);
		tc_set_err(n);
		return true;
	}
	n->type = l->type;
	return true;
}

void tc_offsetof(struct dt_cc *cc, struct dt_node *n)
{
	const struct dt_type *t = &n->ctype;
	uint32_t a, bitoff, bitsize, mt;

	if (!tc_node_ctype(cc, n)) {
		tc_set_err(n);
		return;
	}
	n->type = dt_t_u64;
	if (t->kind == DT_T_STRUCT && t->dstruct) {
		const struct dt_smember *m = dmember(cc, t, n->sval);

		if (!m) {
			dt_nerror(cc, n, "D_OFFSETOF_MEMBER", "struct %s has no member named %s",
				  dt_dstruct_name(t->dstruct), n->sval);
			tc_set_err(n);
			return;
		}
		if (!dt_type_sizeof(cc, t, &a)) {
			tc_set_err(n);
			return;
		}
		if (m->bits) {
			dt_nerror(cc, n, "D_OFFSETOF_BITFIELD",
				  "offsetof( ) cannot be applied to bit-field %s", n->sval);
			tc_set_err(n);
			return;
		}
		n->ival = m->off;
		n->isconst = true;
		return;
	}
	if (t->kind == DT_T_STRUCT && t->btf && cc->btf) {
		if (!dt_btf_member(cc->btf, t->btf, n->sval, &mt, &bitoff, &bitsize)) {
			dt_nerror(cc, n, "D_OFFSETOF_MEMBER", "struct %s has no member named %s",
				  dt_btf_name(cc->btf, t->btf), n->sval);
			tc_set_err(n);
			return;
		}
		if (bitsize || (bitoff & 7)) {
			dt_nerror(cc, n, "D_OFFSETOF_BITFIELD",
				  "offsetof( ) cannot be applied to bit-field %s", n->sval);
			tc_set_err(n);
			return;
		}
		n->ival = bitoff / 8;
		n->isconst = true;
		return;
	}
	dt_nerror(cc, n, "D_OFFSETOF_TYPE", "offsetof( ) requires a struct or union type");
	tc_set_err(n);
}

/* ----- names: enum constants and inlines ----- */
/*
 * Inline IL can be expanded at N: not within its own expansion, its type
 * resolved.  False (diagnosed, N in error) if not.
 */
static bool inline_ready(struct dt_cc *cc, struct dt_node *n, struct dt_inline *il)
{
	if (il->busy) {
		dt_nerror(cc, n, "D_IDENT_INLINE", "inline %s is defined in terms of itself",
			  il->name);
		tc_set_err(n);
		return false;
	}
	if (!dt_dtype_resolve(cc, &il->type)) {
		tc_set_err(n);
		return false;
	}
	return true;
}

bool tc_decl_ident(struct dt_cc *cc, struct dt_node *n)
{
	const int64_t *v = dt_hget(&cc->enumconsts, n->sval, (uint32_t)strlen(n->sval));
	struct dt_inline *il;

	if (v) {
		n->type = dt_t_i32;
		n->ival = *v;
		n->isconst = true;
		return true;
	}
	il = dt_hget(&cc->inlines, n->sval, (uint32_t)strlen(n->sval));
	if (!il)
		return false;
	if (!inline_ready(cc, n, il))
		return true;
	if (il->nparams) {
		dt_nerror(cc, n, "D_IDENT_INLINE", "inline %s takes %s: use %s[%s%s]",
			  il->name, il->nparams > 1 ? "keys" : "a key", il->name, il->param[0],
			  il->nparams > 1 ? ", ..." : "");
		tc_set_err(n);
		return true;
	}
	replace(n, convert(cc, dt_clone(cc, il->expr), &il->type.t, n));
	il->busy = true;
	tc_expr(cc, n);
	il->busy = false;
	return true;
}

/*
 * NAME[key] of an inline declared NAME[TYPE PARAM] (DTrace's
 * tcp_state_string[] and the like): N becomes the inline's expression
 * with PARAM bound to (TYPE) key, converted to the inline's type.  False
 * if N's base names no such inline (an array or a pointer: not ours).
 */
bool tc_decl_index(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_inline *il;
	struct dt_node *e, *k;
	int nk = 0;

	if (n->a->kind != DT_N_IDENT)
		return false;
	il = dt_hget(&cc->inlines, n->a->sval, (uint32_t)strlen(n->a->sval));
	if (!il || !il->nparams)
		return false;
	for (k = n->b; k; k = k->next)
		nk++;
	if (nk != il->nparams) {
		dt_nerror(cc, n, "D_IDENT_INLINE", "inline %s takes %d key%s, not %d", il->name,
			  il->nparams, il->nparams > 1 ? "s" : "", nk);
		tc_set_err(n);
		return true;
	}
	if (!inline_ready(cc, n, il))
		return true;
	for (int i = 0; i < il->nparams; i++)
		if (!dt_dtype_resolve(cc, &il->ptype[i])) {
			tc_set_err(n);
			return true;
		}
	e = dt_clone(cc, il->expr);
	k = n->b;
	for (int i = 0; i < il->nparams; i++) {
		struct dt_node *next = k->next;

		k->next = NULL;
		bind_ident(cc, e, il->param[i], convert(cc, k, &il->ptype[i].t, k));
		k = next;
	}
	replace(n, convert(cc, e, &il->type.t, n));
	il->busy = true;
	tc_expr(cc, n);
	il->busy = false;
	return true;
}

/* ----- provider arguments declared in D ----- */
static bool same_dtype(const struct dt_dtype *a, const struct dt_dtype *b)
{
	if (!a->sname != !b->sname || (a->sname && strcmp(a->sname, b->sname)))
		return false;
	return !memcmp(&a->t, &b->t, sizeof(a->t)) && a->nelems == b->nelems;
}

/*
 * The declaration of args[IDX] of the current clause's probes: every
 * probe its descriptions can match must declare it alike.  NULL when a
 * description names no declared provider (args[IDX] is then untyped).
 */
static const struct dt_pprobe *clause_probe(struct dt_cc *cc, int idx, int *map)
{
	const struct dt_node *c = cc->clause;
	const struct dt_pprobe *first = NULL;

	if (!c || !c->nspecs)
		return NULL;
	for (int i = 0; i < c->nspecs; i++) {
		const struct kt_probespec *s = &c->specs[i];
		const struct dt_pdecl *pd = s->prov[0] ? dt_pdecl_find(cc, s->prov) : NULL;

		if (!pd)
			return NULL;
		for (const struct dt_pprobe *pr = pd->probes; pr; pr = pr->next) {
			if (s->name[0] && fnmatch(s->name, pr->name, 0))
				continue;
			if (idx >= pr->nargs)
				return NULL;
			if (!first) {
				first = pr;
				continue;
			}
			/*
			 * compare them resolved: an earlier args[] of the clause
			 * resolved the first probe's types (a kernel struct's
			 * name to its BTF id) but not this one's
			 */
			if (!dt_dtype_resolve(cc, (struct dt_dtype *)&first->args[idx]) ||
			    !dt_dtype_resolve(cc, (struct dt_dtype *)&pr->args[idx]) ||
			    !dt_dtype_resolve(cc, (struct dt_dtype *)&first->native[first->map[idx]]) ||
			    !dt_dtype_resolve(cc, (struct dt_dtype *)&pr->native[pr->map[idx]]))
				return NULL;
			if (!same_dtype(&first->args[idx], &pr->args[idx]) ||
			    !same_dtype(&first->native[first->map[idx]],
					&pr->native[pr->map[idx]]))
				return NULL;
		}
	}
	if (first)
		*map = first->map[idx];
	return first;
}

/*
 * args[I] of a declared provider's probe as the expression it stands
 * for: (NATIVE) argJ, or xlate<T>((NATIVE) argJ) when translated.  N is
 * replaced; false if args[I] is not declared (left as it is).
 */
static bool expand_args(struct dt_cc *cc, struct dt_node *n)
{
	const struct dt_pprobe *pr;
	struct dt_dtype *nt, *at;
	struct dt_node *arg, *e;
	char name[8];
	int j = 0;

	if (!n->a || n->a->kind != DT_N_INT)
		return false;
	pr = clause_probe(cc, (int)n->a->ival, &j);
	if (!pr)
		return false;
	nt = (struct dt_dtype *)&pr->native[j];
	at = (struct dt_dtype *)&pr->args[n->a->ival];
	if (!dt_dtype_resolve(cc, nt) || !dt_dtype_resolve(cc, at)) {
		tc_set_err(n);
		return true;
	}
	snprintf(name, sizeof(name), "arg%d", j);
	arg = dt_node_new(cc, DT_N_IDENT, n->src, n->line, n->col);
	arg->sval = dt_strndup(&cc->ar, name, strlen(name));
	e = convert(cc, arg, &nt->t, n);
	if (!same_dtype(nt, at)) {
		struct dt_node *x = dt_node_new(cc, DT_N_XLATE, n->src, n->line, n->col);

		x->ctype = at->t;
		x->a = e;
		e = x;
	}
	replace(n, e);
	return true;
}

void tc_provider_arg(struct dt_cc *cc, struct dt_node *n)
{
	if (expand_args(cc, n))
		tc_expr(cc, n);
}

/* ----- translators ----- */
static bool input_matches(struct dt_cc *cc, struct dt_xlator *x, const struct dt_type *t)
{
	const struct dt_type *in;

	if (!dt_dtype_resolve(cc, &x->in))
		return false;
	in = &x->in.t;
	if (in->kind != t->kind)
		return is_int(in) && is_int(t);
	if (is_ptr(in))
		return in->pdepth == t->pdepth && in->btf == t->btf &&
		       in->dstruct == t->dstruct && in->bsize == t->bsize;
	return in->btf == t->btf && in->dstruct == t->dstruct;
}

/*
 * The program's translators, checked as DTrace checks them at their
 * declaration: each member's expression, with the input a value of the
 * input type, must type-check and suit the member (a pointer member takes
 * no integer but the constant 0, a string member only a string).  The
 * library's are checked when used (their kernel types are read lazily).
 */
static void check_xlator(struct dt_cc *cc, struct dt_xlator *xl)
{
	const struct dt_dstruct *ds;
	struct dt_node *in;

	if (!dt_dtype_resolve(cc, &xl->in) || !dt_dtype_resolve(cc, &xl->out) ||
	    !is_scalar(&xl->in.t) || !xl->out.t.dstruct)
		return;		/* a struct input: checked where translated */
	ds = cc->dstructs[xl->out.t.dstruct - 1];
	in = dt_node_new(cc, DT_N_CAST, xl->src, xl->line, xl->col);
	in->ctype = xl->in.t;
	in->a = dt_node_new(cc, DT_N_INT, xl->src, xl->line, xl->col);
	in->a->type = dt_t_i64;
	for (struct dt_node *e = xl->members; e && !dt_too_many_errors(cc); e = e->next) {
		struct dt_node *v = dt_clone(cc, e->b);
		const struct dt_smember *m = NULL;
		struct dt_dtype mt;
		bool bad;

		for (int i = 0; i < ds->nmembers && !m; i++)
			if (!strcmp(ds->m[i].name, e->a->sval))
				m = &ds->m[i];
		if (!m)
			continue;	/* diagnosed with the declaration */
		bind_ident(cc, v, xl->inname, in);
		tc_expr(cc, v);
		mt = m->type;
		if (is_err(&v->type) || !dt_dtype_resolve(cc, &mt))
			continue;
		bad = (is_ptr(&mt.t) && !mt.nelems && is_int(&v->type) &&
		       !(v->isconst && v->ival == 0)) ||
		      (is_str(&mt.t) || (mt.nelems && is_int(&mt.t) && mt.t.size == 1)) !=
		      is_str(&v->type);
		if (bad) {
			char x[96], y[96];

			dt_type_name(&mt.t, x, sizeof(x));
			dt_type_name(&v->type, y, sizeof(y));
			dt_nerror(cc, e, "D_XLATE_INCOMPAT",
				  "translator member %s of type \"%s%s\" is given \"%s\"", e->a->sval,
				  x, mt.nelems ? "[]" : "", y);
		}
	}
}

void tc_check_xlators(struct dt_cc *cc)
{
	for (uint32_t i = 0; i < cc->xlators.cap; i++) {
		struct dt_xlator *xl = cc->xlators.v[i].key ? cc->xlators.v[i].val : NULL;

		for (; xl; xl = xl->next)
			if (!cc->srcs[xl->src].lib)
				check_xlator(cc, xl);
	}
}

/* The translator to OUT (a D struct) from a value of type IN, or NULL (diagnosed). */
static struct dt_xlator *find_xlator(struct dt_cc *cc, const struct dt_node *at, uint16_t out,
				     const struct dt_type *in)
{
	const struct dt_dstruct *ds = cc->dstructs[out - 1];
	char key[300], x[96];
	struct dt_xlator *xl;

	snprintf(key, sizeof(key), "%s %s", ds->kind == T_UNION ? "union" : "struct", ds->name);
	for (xl = dt_hget(&cc->xlators, key, (uint32_t)strlen(key)); xl; xl = xl->next)
		if (input_matches(cc, xl, in))
			return xl;
	dt_type_name(in, x, sizeof(x));
	dt_nerror(cc, at, "D_XLATE_NONE", "translator does not exist: %s from \"%s\"", key, x);
	return NULL;
}

static int xlate_expand(struct dt_cc *cc, struct dt_node *n);

/*
 * The xlate<> under a member access, once inlines, declared provider
 * arguments and translated members (a translated struct inside a
 * translated struct) are expanded: N->a itself, or the operand of *N->a
 * for '.'.  NULL if there is none, or (*failed) after an error.
 */
static struct dt_node *xlate_under(struct dt_cc *cc, struct dt_node *n, bool *deref,
				   bool *failed)
{
	struct dt_node *b = n->a;

	*deref = false;
	*failed = false;
	for (int guard = 0; guard < 64; guard++) {
		struct dt_inline *il;
		int r;

		if (b->kind == DT_N_IDENT &&
		    (il = dt_hget(&cc->inlines, b->sval, (uint32_t)strlen(b->sval))) &&
		    !il->busy) {
			if (!dt_dtype_resolve(cc, &il->type)) {
				*failed = true;
				return NULL;
			}
			replace(b, convert(cc, dt_clone(cc, il->expr), &il->type.t, b));
			continue;
		}
		if (b->kind == DT_N_ARGS && expand_args(cc, b))
			continue;
		if (b->kind == DT_N_MEMBER && (r = xlate_expand(cc, b)) != 0) {
			if (r < 0) {
				*failed = true;
				return NULL;
			}
			continue;
		}
		if (b->kind == DT_N_UNOP && b->op == T_STAR && !*deref) {
			*deref = true;
			b = b->a;
			continue;
		}
		break;
	}
	return b->kind == DT_N_XLATE ? b : NULL;
}

/*
 * E->M / E.M where E is a translation: N replaced by the translator's
 * expression for M (1), not a translation (0), or an error (-1, diagnosed).
 */
static int xlate_expand(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_node *x, *in, *e, *v;
	const struct dt_smember *m;
	struct dt_xlator *xl;
	struct dt_dtype mt;
	struct dt_type t;
	bool deref, isptr, failed;

	x = xlate_under(cc, n, &deref, &failed);
	if (failed)
		return -1;
	if (!x)
		return 0;
	if (!tc_node_ctype(cc, x))
		return -1;
	t = x->ctype;
	isptr = t.kind == DT_T_PTR && t.pdepth == 1;
	if (!t.dstruct || (!isptr && t.kind != DT_T_STRUCT) ||
	    (n->op == T_ARROW) != (isptr && !deref)) {
		char y[96];

		dt_type_name(&t, y, sizeof(y));
		dt_nerror(cc, n, "D_XLATE_MEMBER", "operator %s cannot be applied to xlate<%s>%s",
			  n->op == T_ARROW ? "->" : ".", y, deref ? " under *" : "");
		return -1;
	}
	m = dmember(cc, &t, n->sval);
	if (!m) {
		dt_nerror(cc, n, "D_XLATE_MEMBER", "struct %s has no member named %s",
			  dt_dstruct_name(t.dstruct), n->sval);
		return -1;
	}
	/* the input's type picks the translator: check a copy */
	in = dt_clone(cc, x->a);
	tc_expr(cc, in);
	if (is_err(&in->type))
		return -1;
	xl = find_xlator(cc, n, t.dstruct, &in->type);
	if (!xl)
		return -1;
	for (e = xl->members; e && strcmp(e->a->sval, n->sval); e = e->next)
		;
	if (!e) {
		dt_nerror(cc, n, "D_XLATE_MEMBER",
			  "translator to struct %s does not define member %s",
			  dt_dstruct_name(t.dstruct), n->sval);
		return -1;
	}
	mt = m->type;
	if (!dt_dtype_resolve(cc, &mt))
		return -1;
	v = dt_clone(cc, e->b);
	bind_ident(cc, v, xl->inname, x->a);
	replace(n, mt.nelems ? v : convert(cc, v, &mt.t, n));
	return 1;
}

bool tc_xlate_member(struct dt_cc *cc, struct dt_node *n)
{
	int r = xlate_expand(cc, n);

	if (r < 0)
		tc_set_err(n);
	else if (r > 0)
		tc_expr(cc, n);
	return r != 0;
}

static struct dt_node *mk(struct dt_cc *cc, int kind, const struct dt_node *at,
			  struct dt_node *a, struct dt_node *b)
{
	struct dt_node *n = dt_node_new(cc, kind, at->src, at->line, at->col);

	n->a = a;
	n->b = b;
	return n;
}

/*
 * xlate<T *>(E) as a value (trace(curcpu), (int64_t)curcpu): as DTrace,
 * a pointer to the whole translation, built in scratch memory:
 *   (this->__xlate_T = (T *)alloca(sizeof (T)),
 *    this->__xlate_T->M = xlate<T *>(E)->M, ...,  this->__xlate_T)
 * for a translator whose members are all scalars; NULL if it cannot be.
 */
static struct dt_node *xlate_build(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_node *in, *tmp, *alloc, *cast, *chain, *e;
	const struct dt_dstruct *ds;
	struct dt_ident *id;
	struct dt_xlator *xl;
	struct dt_type t;
	char name[96];

	if (!tc_node_ctype(cc, n))
		return NULL;
	t = n->ctype;
	if (!t.dstruct || t.kind != DT_T_PTR || t.pdepth != 1)
		return NULL;
	ds = cc->dstructs[t.dstruct - 1];
	in = dt_clone(cc, n->a);
	tc_expr(cc, in);
	if (is_err(&in->type))
		return NULL;
	xl = find_xlator(cc, n, t.dstruct, &in->type);
	if (!xl)
		return NULL;
	for (e = xl->members; e; e = e->next) {
		const struct dt_smember *m = dmember(cc, &t, e->a->sval);
		struct dt_dtype mt;

		if (!m)
			return NULL;
		mt = m->type;
		if (!dt_dtype_resolve(cc, &mt) || mt.nelems || !is_scalar(&mt.t) || mt.t.dstruct)
			return NULL;
	}
	snprintf(name, sizeof(name), "__xlate_%s", *ds->name ? ds->name : "anon");
	/* the clause-local variable holds this translation's alloca() pointer */
	id = dt_var_lookup(cc, name, KTRACE_SCOPE_LOCAL);
	if (!id)
		id = dt_var_new(cc, name, KTRACE_SCOPE_LOCAL, n);
	id->type = t;
	id->type.aspace = DT_AS_KTRACE;
	id->typed = true;
	tmp = dt_node_new(cc, DT_N_THIS, n->src, n->line, n->col);
	tmp->sval = dt_strndup(&cc->ar, name, strlen(name));
	alloc = mk(cc, DT_N_CALL, n, NULL, dt_node_new(cc, DT_N_INT, n->src, n->line, n->col));
	alloc->sval = dt_strndup(&cc->ar, "alloca", 6);
	alloc->b->ival = (int64_t)dt_dstruct_size(t.dstruct);
	alloc->b->type = dt_t_u64;
	cast = mk(cc, DT_N_CAST, n, alloc, NULL);
	cast->ctype = t;
	chain = mk(cc, DT_N_ASSIGN, n, dt_clone(cc, tmp), cast);
	chain->op = T_ASSIGN;
	for (e = xl->members; e; e = e->next) {
		struct dt_node *l = mk(cc, DT_N_MEMBER, n, dt_clone(cc, tmp), NULL);
		struct dt_node *r = mk(cc, DT_N_MEMBER, n, dt_clone(cc, n), NULL);
		struct dt_node *a = mk(cc, DT_N_ASSIGN, n, l, r);

		l->op = r->op = T_ARROW;
		l->sval = r->sval = e->a->sval;
		a->op = T_ASSIGN;
		chain = mk(cc, DT_N_COMMA, n, chain, a);
	}
	return mk(cc, DT_N_COMMA, n, chain, tmp);
}

/*
 * xlate<T>(E) not under -> or .: xlate<T *>(E) is a pointer to the
 * translation built in scratch memory; otherwise its members are read
 * one at a time.
 */
void tc_xlate_bare(struct dt_cc *cc, struct dt_node *n)
{
	int nerr = cc->diags->nerrors;
	struct dt_node *v = xlate_build(cc, n);

	if (v && cc->diags->nerrors == nerr) {
		replace(n, v);
		tc_expr(cc, n);
		return;
	}
	if (cc->diags->nerrors == nerr)
		dt_nerror(cc, n, "D_XLATE_USE",
			  "a translated value can only be used with -> or . to read one member, or as a pointer to a translation of scalar members");
	tc_set_err(n);
}
