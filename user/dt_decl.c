// SPDX-License-Identifier: GPL-2.0
/*
 * D's declarations of types and names (the parser's third file):
 *   typedef TYPE NAME;
 *   struct|union NAME { TYPE MEMBER; ... };   enum NAME { A, B = 2, ... };
 *   inline TYPE NAME = EXPR;
 *   inline TYPE NAME[TYPE PARAM] = EXPR;	(used as NAME[key])
 *   translator OUT < IN NAME > { MEMBER = EXPR; ... };
 *   provider NAME { probe PROBE(NATIVE, ...) : (TRANSLATED, ...); ... };
 * They fill the compilation's tables (struct dt_cc, dt_impl.h); dt_xlate.c
 * uses them when the program is type-checked.  Kernel struct names in a
 * library file are kept as names and looked up in BTF when a program uses
 * them (dt_dtype_resolve(), dt_types.c), so reading the library never
 * loads BTF.
 */
#include <stdlib.h>
#include <string.h>
#include "dt_parse.h"
#include "dt_tc.h"

static struct dt_dstruct *dstruct_new(struct dt_cc *cc, const char *name, int kind)
{
	struct dt_dstruct *ds = dt_alloc(&cc->ar, sizeof(*ds));

	if (cc->ndstructs == cc->dstructcap) {
		int cap = cc->dstructcap ? cc->dstructcap * 2 : 16;
		struct dt_dstruct **v = dt_alloc(&cc->ar, sizeof(*v) * (size_t)cap);

		if (cc->ndstructs)
			memcpy(v, cc->dstructs, sizeof(*v) * (size_t)cc->ndstructs);
		cc->dstructs = v;
		cc->dstructcap = cap;
	}
	if (cc->ndstructs >= UINT16_MAX)
		dt_oom();
	ds->name = dt_strndup(&cc->ar, name, strlen(name));
	ds->kind = kind;
	cc->dstructs[cc->ndstructs++] = ds;
	dt_dstruct_bind(cc);
	return ds;
}

static char *tag_key(struct dt_cc *cc, int kind, const char *name)
{
	size_t n = strlen(name) + 8;
	char *k = dt_alloc(&cc->ar, n);

	snprintf(k, n, "%s %s", dt_tag_word(kind), name);
	return k;
}

/* A member declaration list: { TYPE NAME [ '[' N ']' ] {, ...} ; ... } */
static bool parse_members(struct ps *p, struct dt_dstruct *ds)
{
	struct dt_smember m[256];
	int n = 0;

	ps_next(p);	/* '{' */
	while (TOK(p).kind != T_RBRACE) {
		struct type_spec ts;

		if (!ps_parse_type_spec(p, &ts))
			return false;
		for (;;) {
			struct dt_smember *sm = &m[n < 256 ? n : 255];
			struct dt_token at = TOK(p);

			memset(sm, 0, sizeof(*sm));
			if (!ps_parse_type_ptrs(p, &ts, &sm->type.t))
				return false;
			sm->type.sname = p->sname_out;
			sm->type.src = at.src;
			sm->type.line = at.line;
			sm->type.col = at.col;
			if (TOK(p).kind != T_IDENT) {
				ps_syntax_error(p, &TOK(p));
				return false;
			}
			sm->name = TOK(p).sval;
			for (int i = 0; i < n && i < 256; i++)
				if (!strcmp(m[i].name, sm->name)) {
					dt_error(p->cc, at.src, TOK(p).line, TOK(p).col, "D_DECL_MEMBER",
						 "member %s is declared twice in %s %s", sm->name,
						 dt_tag_word(ds->kind), ds->name);
					return false;
				}
			ps_next(p);
			if (TOK(p).kind == T_LBRACK) {
				ps_next(p);
				if (TOK(p).kind != T_INT || TOK(p).ival <= 0 || TOK(p).ival > 65536) {
					dt_error(p->cc, at.src, TOK(p).line, TOK(p).col, "D_DECL_ARRSUB",
						 "an array member's size must be an integer from 1 to 65536");
					return false;
				}
				sm->type.nelems = (uint32_t)TOK(p).ival;
				ps_next(p);
				if (!ps_expect(p, T_RBRACK))
					return false;
			}
			if (TOK(p).kind == T_COLON) {	/* NAME : WIDTH, of an integer type */
				ps_next(p);
				if (sm->type.t.kind != DT_T_INT || sm->type.nelems ||
				    TOK(p).kind != T_INT || TOK(p).ival < 1 ||
				    TOK(p).ival > sm->type.t.size * 8) {
					dt_error(p->cc, at.src, TOK(p).line, TOK(p).col,
						 "D_DECL_BITFIELD",
						 "bit-field %s must be an integer type of 1 to its size in bits",
						 sm->name);
					return false;
				}
				sm->bits = (uint8_t)TOK(p).ival;
				ps_next(p);
			}
			if (++n > 256) {
				dt_error(p->cc, at.src, at.line, at.col, "D_DECL_MEMBER",
					 "too many members (at most 256)");
				return false;
			}
			if (TOK(p).kind != T_COMMA)
				break;
			ps_next(p);
		}
		if (!ps_expect(p, T_SEMI))
			return false;
	}
	ds->m = dt_alloc(&p->cc->ar, sizeof(*m) * (size_t)(n ? n : 1));
	memcpy(ds->m, m, sizeof(*m) * (size_t)n);
	ds->nmembers = n;
	ds->defined = true;
	return true;	/* at '}' */
}

/* An enumerator list: { NAME [= constant] {, ...} } */
static bool parse_enumerators(struct ps *p, struct dt_dstruct *ds)
{
	int64_t next = 0;

	ps_next(p);	/* '{' */
	while (TOK(p).kind != T_RBRACE) {
		struct dt_token at = TOK(p);
		int64_t *v;

		if (at.kind != T_IDENT) {
			ps_syntax_error(p, &at);
			return false;
		}
		ps_next(p);
		if (TOK(p).kind == T_ASSIGN) {
			struct dt_node *e;

			ps_next(p);
			e = ps_parse_assign(p);
			if (p->failed)
				return false;
			p->cc->tc_const(p->cc, e);
			if (is_err(&e->type))
				return false;
			if (!e->isconst || !is_int(&e->type)) {
				dt_nerror(p->cc, e, "D_DECL_ENCONST",
					  "enumerator %s must be assigned an integer constant", at.sval);
				return false;
			}
			next = e->ival;
		}
		if (next < INT32_MIN || next > INT32_MAX) {
			dt_error(p->cc, at.src, at.line, at.col, "D_DECL_ENOFLOW",
				 "enumerator %s's value %lld does not fit an int", at.sval,
				 (long long)next);
			return false;
		}
		if (dt_hget(&p->cc->enumconsts, at.sval, (uint32_t)strlen(at.sval)) ||
		    dt_hget(&p->cc->inlines, at.sval, (uint32_t)strlen(at.sval))) {
			dt_error(p->cc, at.src, at.line, at.col, "D_DECL_IDRED",
				 "identifier redeclared: %s", at.sval);
			return false;
		}
		v = dt_alloc(&p->cc->ar, sizeof(*v));
		*v = next++;
		if (!dt_hput(&p->cc->enumconsts, at.sval, (uint32_t)strlen(at.sval), v))
			dt_oom();
		if (TOK(p).kind != T_COMMA)
			break;
		ps_next(p);
	}
	if (TOK(p).kind != T_RBRACE) {
		ps_syntax_error(p, &TOK(p));
		return false;
	}
	ds->defined = true;
	return true;
}

/*
 * struct|union|enum [NAME] [{ ... }] at the current token: a type declared
 * in D (ts->t has its dstruct index), an enum (int), or a kernel struct
 * (ts->isstruct, ts->sname).  Leaves the current token on the last token
 * of the specifier.
 */
bool ps_tag_type(struct ps *p, struct type_spec *ts)
{
	struct dt_cc *cc = p->cc;
	int kind = TOK(p).kind;
	struct dt_token name = { 0 };
	struct dt_dstruct *ds = NULL;
	const struct dt_token *nx;
	char *key = NULL;
	bool scoped = false;

	nx = dt_lex_peek(&p->lx, 1);
	if (nx->kind == T_IDENT || nx->kind == T_TYPEDEF_NAME) {
		bool kernel = false;

		ps_next(p);
		name = TOK(p);
		nx = dt_lex_peek(&p->lx, 1);
		/* DTrace's scoped names: struct D`s is D's, struct vmlinux`s the kernel's */
		if (nx->kind == T_KSYM && nx->pos == name.pos + name.slen && !strchr(nx->sval, '`')) {
			kernel = strcmp(name.sval, "D") != 0;
			scoped = true;
			ps_next(p);
			name = TOK(p);
		}
		key = tag_key(cc, kind, name.sval);
		ds = kernel ? NULL : dt_hget(&cc->tags, key, (uint32_t)strlen(key));
		nx = dt_lex_peek(&p->lx, 1);
	} else if (nx->kind != T_LBRACE) {
		ps_next(p);
		ps_syntax_error(p, &TOK(p));
		return false;
	}
	if (nx->kind == T_LBRACE && scoped) {	/* a definition names no scope */
		ps_next(p);
		ps_syntax_error(p, &TOK(p));
		return false;
	}
	if (nx->kind == T_LBRACE) {
		if (ds && ds->defined) {
			dt_error(cc, name.src, name.line, name.col, "D_DECL_TYPERED",
				 "%s %s is already defined", dt_tag_word(kind), name.sval);
			return false;
		}
		if (!ds) {
			ds = dstruct_new(cc, key ? name.sval : "", kind);
			if (key && !dt_hput(&cc->tags, key, (uint32_t)strlen(key), ds))
				dt_oom();
		}
		ps_next(p);
		if (!(kind == T_ENUM ? parse_enumerators(p, ds) : parse_members(p, ds)))
			return false;
		ts->tagdef = true;
	}
	if (kind == T_ENUM) {
		if (!ds) {
			dt_error(cc, name.src, name.line, name.col, "D_DECL_TYPEUNDEF",
				 "enum %s is not declared", name.sval);
			return false;
		}
		ts->t = DT_INT_TYPE(4, true);
		return true;
	}
	if (ds) {
		ts->t = (struct dt_type){ .kind = DT_T_STRUCT };
		for (int i = 0; i < cc->ndstructs; i++)
			if (cc->dstructs[i] == ds)
				ts->t.dstruct = (uint16_t)(i + 1);
		return true;
	}
	/* not declared in D: the kernel's (in BTF) */
	ts->t.kind = DT_T_VOID;
	ts->isstruct = true;
	ts->sname = name;
	return true;
}

/* typedef TYPE NAME {, NAME}; */
static void parse_typedef(struct ps *p)
{
	struct type_spec ts;

	ps_next(p);
	if (!ps_parse_type_spec(p, &ts)) {
		p->failed = true;
		return;
	}
	for (;;) {
		struct dt_dtype *d = dt_alloc(&p->cc->ar, sizeof(*d));
		struct dt_token at = TOK(p);
		const char *name;

		if (!ps_parse_type_ptrs(p, &ts, &d->t)) {
			p->failed = true;
			return;
		}
		d->sname = p->sname_out;
		d->src = ts.start.src;
		d->line = ts.start.line;
		d->col = ts.start.col;
		if (TOK(p).kind != T_IDENT && TOK(p).kind != T_TYPEDEF_NAME) {
			ps_syntax_error(p, &TOK(p));
			return;
		}
		name = TOK(p).sval;
		if (dt_hget(&p->cc->typedefs, name, (uint32_t)strlen(name))) {
			const struct dt_dtype *o = dt_hget(&p->cc->typedefs, name,
							   (uint32_t)strlen(name));

			/* the same declaration twice (two library files) is fine */
			if (memcmp(&o->t, &d->t, sizeof(d->t)) ||
			    (!o->sname != !d->sname) || (o->sname && strcmp(o->sname, d->sname))) {
				dt_error(p->cc, at.src, TOK(p).line, TOK(p).col, "D_DECL_IDRED",
					 "typedef %s redeclared with another type", name);
				p->failed = true;
				return;
			}
		} else if (!dt_hput(&p->cc->typedefs, name, (uint32_t)strlen(name), d)) {
			dt_oom();
		}
		ps_next(p);
		if (TOK(p).kind != T_COMMA)
			break;
		ps_next(p);
	}
	if (TOK(p).kind != T_SEMI)
		ps_syntax_error(p, &TOK(p));
}

/* A subroutine, action or aggregating function is called NAME */
static bool is_function_name(const char *name)
{
	struct dt_subr s;
	struct dt_action a;
	int min, max;

	return dt_subr_find(name, &s) || dt_action_find(name, &a) ||
	       dt_aggfunc_lookup(name, &min, &max) >= 0;
}

/* The first bare identifier NAME in expression N, or NULL */
static const struct dt_node *find_ident(const struct dt_node *n, const char *name)
{
	const struct dt_node *f;

	for (; n; n = n->next) {
		if (n->kind == DT_N_IDENT && !strcmp(n->sval, name))
			return n;
		if ((f = find_ident(n->a, name)) || (f = find_ident(n->b, name)) ||
		    (f = find_ident(n->c, name)) || (f = find_ident(n->d, name)))
			return f;
	}
	return NULL;
}

/* inline TYPE NAME = EXPR; */
static void parse_inline(struct ps *p)
{
	const struct dt_node *self;
	struct dt_inline *il = dt_alloc(&p->cc->ar, sizeof(*il));
	struct dt_token at;

	ps_next(p);
	at = TOK(p);
	if (!ps_parse_type(p, &il->type.t)) {
		p->failed = true;
		return;
	}
	il->type.sname = p->sname_out;
	il->type.src = at.src;
	il->type.line = at.line;
	il->type.col = at.col;
	if (TOK(p).kind != T_IDENT) {
		ps_syntax_error(p, &TOK(p));
		return;
	}
	il->name = TOK(p).sval;
	il->src = TOK(p).src;
	il->line = TOK(p).line;
	il->col = TOK(p).col;
	ps_next(p);
	if (TOK(p).kind == T_LBRACK) {	/* NAME[TYPE PARAM]: used as NAME[key] */
		ps_next(p);
		at = TOK(p);
		if (!ps_parse_type(p, &il->ptype.t)) {
			p->failed = true;
			return;
		}
		il->ptype.sname = p->sname_out;
		il->ptype.src = at.src;
		il->ptype.line = at.line;
		il->ptype.col = at.col;
		if (TOK(p).kind != T_IDENT) {
			ps_syntax_error(p, &TOK(p));
			return;
		}
		il->param = TOK(p).sval;
		ps_next(p);
		if (!ps_expect(p, T_RBRACK))
			return;
	}
	if (!ps_expect(p, T_ASSIGN))
		return;
	il->expr = ps_parse_assign(p);
	if (p->failed)
		return;
	if (TOK(p).kind != T_SEMI) {
		ps_syntax_error(p, &TOK(p));
		return;
	}
	if (dt_hget(&p->cc->inlines, il->name, (uint32_t)strlen(il->name)) ||
	    dt_hget(&p->cc->enumconsts, il->name, (uint32_t)strlen(il->name)) ||
	    dt_builtin_lookup(il->name) >= 0 || is_function_name(il->name)) {
		dt_error(p->cc, il->src, il->line, il->col, "D_DECL_IDRED",
			 "identifier redeclared: %s", il->name);
		p->failed = true;
		return;
	}
	/* as in DTrace, the name is not defined yet in its own expression */
	self = find_ident(il->expr, il->name);
	if (self) {
		dt_nerror(p->cc, self, "D_IDENT_UNDEF", "failed to resolve %s: Unknown variable name",
			  il->name);
		p->failed = true;
		return;
	}
	if (!dt_hput(&p->cc->inlines, il->name, (uint32_t)strlen(il->name), il))
		dt_oom();
}

/* translator OUT < IN NAME > { MEMBER = EXPR; ... }; */
static void parse_translator(struct ps *p)
{
	struct dt_xlator *x = dt_alloc(&p->cc->ar, sizeof(*x)), *head;
	struct dt_node **tail = &x->members;
	struct dt_token at = TOK(p);
	const struct dt_dstruct *ds;
	char *key;

	x->src = at.src;
	x->line = at.line;
	x->col = at.col;
	ps_next(p);
	if (!ps_parse_type(p, &x->out.t)) {
		p->failed = true;
		return;
	}
	if (x->out.t.kind != DT_T_STRUCT || !x->out.t.dstruct) {
		dt_error(p->cc, at.src, at.line, at.col, "D_XLATE_OUT",
			 "a translator's output type must be a struct declared in D");
		p->failed = true;
		return;
	}
	ds = p->cc->dstructs[x->out.t.dstruct - 1];
	if (!ps_expect(p, T_LT))
		return;
	at = TOK(p);
	if (!ps_parse_type(p, &x->in.t)) {
		p->failed = true;
		return;
	}
	x->in.sname = p->sname_out;
	x->in.src = at.src;
	x->in.line = at.line;
	x->in.col = at.col;
	if (TOK(p).kind != T_IDENT) {
		ps_syntax_error(p, &TOK(p));
		return;
	}
	x->inname = TOK(p).sval;
	ps_next(p);
	if (!ps_expect(p, T_GT) || !ps_expect(p, T_LBRACE))
		return;
	while (TOK(p).kind != T_RBRACE) {
		struct dt_token m = TOK(p);
		struct dt_node *a;
		bool found = false;

		if (m.kind != T_IDENT) {
			ps_syntax_error(p, &m);
			return;
		}
		for (int i = 0; i < ds->nmembers; i++)
			found |= !strcmp(ds->m[i].name, m.sval);
		if (!found) {
			dt_error(p->cc, m.src, m.line, m.col, "D_XLATE_MEMBER",
				 "translator member %s is not a member of struct %s", m.sval,
				 ds->name);
			p->failed = true;
			return;
		}
		for (a = x->members; a; a = a->next)
			if (!strcmp(a->a->sval, m.sval)) {
				dt_error(p->cc, m.src, m.line, m.col, "D_XLATE_REDECL",
					 "translator member %s is defined twice", m.sval);
				p->failed = true;
				return;
			}
		a = ps_mk(p, DT_N_ASSIGN, &m);
		a->op = T_ASSIGN;
		a->a = ps_mk(p, DT_N_IDENT, &m);
		a->a->sval = m.sval;
		ps_next(p);
		if (!ps_expect(p, T_ASSIGN))
			return;
		a->b = ps_parse_assign(p);
		if (p->failed || !ps_expect(p, T_SEMI))
			return;
		*tail = a;
		tail = &a->next;
	}
	ps_next(p);
	if (TOK(p).kind != T_SEMI) {
		ps_syntax_error(p, &TOK(p));
		return;
	}
	key = tag_key(p->cc, ds->kind, ds->name);
	head = dt_hget(&p->cc->xlators, key, (uint32_t)strlen(key));
	if (head) {
		x->next = head->next;
		head->next = x;
	} else if (!dt_hput(&p->cc->xlators, key, (uint32_t)strlen(key), x)) {
		dt_oom();
	}
}

/* ( [TYPE [NAME] {, TYPE [NAME]}] ) of a probe; names in names[] (or NULL) */
static int parse_probe_params(struct ps *p, struct dt_dtype *v, const char **names)
{
	int n = 0;

	if (!ps_expect(p, T_LPAREN))
		return -1;
	if (TOK(p).kind == T_VOID && dt_lex_peek(&p->lx, 1)->kind == T_RPAREN)
		ps_next(p);
	while (TOK(p).kind != T_RPAREN) {
		struct dt_token at = TOK(p);

		if (n == DT_PROBE_MAXARGS) {
			dt_error(p->cc, at.src, at.line, at.col, "D_PROV_ARGS",
				 "a probe has at most %d arguments", DT_PROBE_MAXARGS);
			p->failed = true;
			return -1;
		}
		memset(&v[n], 0, sizeof(v[n]));
		if (!ps_parse_type(p, &v[n].t)) {
			p->failed = true;
			return -1;
		}
		v[n].sname = p->sname_out;
		v[n].src = at.src;
		v[n].line = at.line;
		v[n].col = at.col;
		names[n] = NULL;
		if (TOK(p).kind == T_IDENT) {
			names[n] = TOK(p).sval;
			ps_next(p);
		}
		n++;
		if (TOK(p).kind != T_COMMA)
			break;
		ps_next(p);
	}
	if (!ps_expect(p, T_RPAREN))
		return -1;
	return n;
}

/* probe NAME ( native ) [: ( translated )] ; */
static struct dt_pprobe *parse_probe(struct ps *p)
{
	struct dt_pprobe *pr = dt_alloc(&p->cc->ar, sizeof(*pr));
	const char *nn[DT_PROBE_MAXARGS], *an[DT_PROBE_MAXARGS];
	struct dt_token at;
	char *s;

	ps_next(p);	/* probe */
	at = TOK(p);
	if (at.kind != T_IDENT) {
		ps_syntax_error(p, &at);
		return NULL;
	}
	pr->name = dt_strndup(&p->cc->ar, at.sval, strlen(at.sval));
	for (s = pr->name; (s = strstr(s, "__")); )	/* DTrace: "__" is "-" */
		memmove(s, s + 1, strlen(s + 1) + 1), *s++ = '-';
	ps_next(p);
	pr->nnative = parse_probe_params(p, pr->native, nn);
	if (pr->nnative < 0)
		return NULL;
	if (TOK(p).kind == T_COLON) {
		ps_next(p);
		pr->nargs = parse_probe_params(p, pr->args, an);
		if (pr->nargs < 0)
			return NULL;
	} else {
		pr->nargs = pr->nnative;
		memcpy(pr->args, pr->native, sizeof(pr->args));
		memcpy(an, nn, sizeof(an));
	}
	for (int i = 0; i < pr->nargs; i++) {
		pr->map[i] = -1;
		for (int j = 0; an[i] && j < pr->nnative; j++)
			if (nn[j] && !strcmp(an[i], nn[j]))
				pr->map[i] = j;
		if (pr->map[i] < 0) {
			if (an[i] || i >= pr->nnative) {
				dt_error(p->cc, at.src, at.line, at.col, "D_PROV_ARGMAP",
					 "probe %s: translated argument %d names no native argument",
					 pr->name, i);
				p->failed = true;
				return NULL;
			}
			pr->map[i] = i;
		}
	}
	if (TOK(p).kind != T_SEMI) {
		ps_syntax_error(p, &TOK(p));
		return NULL;
	}
	ps_next(p);
	return pr;
}

/* provider NAME { probe ...; ... }; */
static void parse_provider(struct ps *p)
{
	struct dt_pdecl *pd;
	struct dt_pprobe **tail;
	struct dt_token at;

	ps_next(p);
	at = TOK(p);
	if (at.kind != T_IDENT) {
		ps_syntax_error(p, &at);
		return;
	}
	pd = dt_hget(&p->cc->pdecls, at.sval, (uint32_t)strlen(at.sval));
	if (pd && pd->probes) {
		dt_error(p->cc, at.src, at.line, at.col, "D_PROV_REDECL",
			 "provider %s is already declared", at.sval);
		p->failed = true;
		return;
	}
	if (!pd) {
		pd = dt_alloc(&p->cc->ar, sizeof(*pd));
		pd->name = at.sval;
		if (!dt_hput(&p->cc->pdecls, pd->name, (uint32_t)strlen(pd->name), pd))
			dt_oom();
	}
	ps_next(p);
	if (!ps_expect(p, T_LBRACE))
		return;
	tail = &pd->probes;
	while (TOK(p).kind == T_IDENT && !strcmp(TOK(p).sval, "probe")) {
		struct dt_pprobe *pr = parse_probe(p);

		if (!pr)
			return;
		*tail = pr;
		tail = &pr->next;
	}
	if (!ps_expect(p, T_RBRACE))
		return;
	if (TOK(p).kind != T_SEMI)
		ps_syntax_error(p, &TOK(p));
}

const struct dt_pdecl *dt_pdecl_find(struct dt_cc *cc, const char *prov)
{
	return dt_hget(&cc->pdecls, prov, (uint32_t)strlen(prov));
}

/*
 * extern TYPE NAME; (NAME may be written `NAME or `MOD`NAME): the type of
 * a kernel variable the kernel's BTF does not describe (dt_ksym.c).
 */
static void parse_extern(struct ps *p)
{
	struct dt_dtype *d = dt_alloc(&p->cc->ar, sizeof(*d));
	struct dt_token at;
	const char *name;

	ps_next(p);
	at = TOK(p);
	if (!ps_parse_type(p, &d->t)) {
		p->failed = true;
		return;
	}
	d->sname = p->sname_out;
	d->src = at.src;
	d->line = at.line;
	d->col = at.col;
	if (TOK(p).kind != T_IDENT && TOK(p).kind != T_KSYM) {
		ps_syntax_error(p, &TOK(p));
		return;
	}
	name = TOK(p).sval;
	if (d->t.kind != DT_T_INT && d->t.kind != DT_T_PTR && d->t.kind != DT_T_STRUCT) {
		dt_error(p->cc, at.src, at.line, at.col, "D_DECL_EXTERN",
			 "extern %s: only integer, pointer and struct types", name);
		p->failed = true;
		return;
	}
	if (!dt_hget(&p->cc->externs, name, (uint32_t)strlen(name)) &&
	    !dt_hput(&p->cc->externs, name, (uint32_t)strlen(name), d))
		dt_oom();
	ps_next(p);
	if (TOK(p).kind != T_SEMI)
		ps_syntax_error(p, &TOK(p));
}

void ps_decl_special(struct ps *p)
{
	switch (TOK(p).kind) {
	case T_EXTERN:
		parse_extern(p);
		return;
	case T_TYPEDEF:
		parse_typedef(p);
		return;
	case T_INLINE:
		parse_inline(p);
		return;
	case T_TRANSLATOR:
		parse_translator(p);
		return;
	default:
		parse_provider(p);
		return;
	}
}
