// SPDX-License-Identifier: GPL-2.0
/*
 * D's declarations of types and names (the parser's third file):
 *   typedef TYPE NAME;
 *   struct|union NAME { TYPE MEMBER; ... };   enum NAME { A, B = 2, ... };
 *		(their bodies are parsed with the type: dt_parse_type.c)
 *   inline TYPE NAME = EXPR;
 *   inline TYPE NAME[TYPE PARAM, ...] = EXPR;	(used as NAME[key, ...])
 *   translator OUT < IN NAME > { MEMBER = EXPR; ... };
 *   provider NAME { probe PROBE(NATIVE, ...) : (TRANSLATED, ...); ... };
 * They fill the compilation's tables (struct dt_cc, dt_impl.h); dt_xlate.c
 * uses them when the program is type-checked.  Kernel struct names in a
 * library file are kept as names and looked up in BTF when a program uses
 * them (dt_dtype_resolve(), dt_types.c), so reading the library never
 * loads BTF.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "dt_parse.h"
#include "dt_tc.h"

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

/*
 * A type name into *D: its type, the kernel struct it names (sname) and
 * where it is written.  False (p->failed) after a diagnosed error.
 */
static bool parse_dtype(struct ps *p, struct dt_dtype *d)
{
	struct dt_token at = TOK(p);

	if (!ps_parse_type(p, &d->t)) {
		p->failed = true;
		return false;
	}
	d->sname = p->sname_out;
	d->src = at.src;
	d->line = at.line;
	d->col = at.col;
	return true;
}

/* inline TYPE NAME = EXPR; */
static void parse_inline(struct ps *p)
{
	const struct dt_node *self;
	struct dt_inline *il = dt_alloc(&p->cc->ar, sizeof(*il));
	struct dt_token at;

	ps_next(p);
	if (!parse_dtype(p, &il->type))
		return;
	if (TOK(p).kind != T_IDENT) {
		ps_syntax_error(p, &TOK(p));
		return;
	}
	il->name = TOK(p).sval;
	il->src = TOK(p).src;
	il->line = TOK(p).line;
	il->col = TOK(p).col;
	ps_next(p);
	if (TOK(p).kind == T_LBRACK) {	/* NAME[TYPE PARAM, ...]: used as NAME[key, ...] */
		do {
			ps_next(p);
			at = TOK(p);
			if (il->nparams == KTRACE_MAX_KEYS) {
				dt_error(p->cc, at.src, at.line, at.col, "D_DECL_ARRDIM",
					 "inline %s: too many parameters (at most %d)", il->name,
					 KTRACE_MAX_KEYS);
				p->failed = true;
				return;
			}
			if (!parse_dtype(p, &il->ptype[il->nparams]))
				return;
			if (TOK(p).kind != T_IDENT) {
				ps_syntax_error(p, &TOK(p));
				return;
			}
			il->param[il->nparams++] = TOK(p).sval;
			ps_next(p);
		} while (TOK(p).kind == T_COMMA);
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
	/*
	 * a constant of the wrong kind is diagnosed here, where it is
	 * declared, as in DTrace (any other expression where it is used)
	 */
	if (!il->type.sname &&
	    ((il->expr->kind == DT_N_STR && (il->type.t.kind == DT_T_INT ||
					      (il->type.t.kind == DT_T_PTR &&
					       il->type.t.bsize != 1))) ||
	     (il->expr->kind == DT_N_INT && il->type.t.kind == DT_T_STRING))) {
		char x[96];

		dt_type_name(&il->type.t, x, sizeof(x));
		dt_error(p->cc, il->src, il->line, il->col, "D_OP_INCOMPAT",
			 "inline %s definition uses incompatible types: \"%s\" = \"%s\"", il->name,
			 x, il->expr->kind == DT_N_STR ? "string" : "int");
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
	if (!parse_dtype(p, &x->in))
		return;
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
		bool found = false, dup;

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
		/*
		 * DTrace accepts a member defined twice and translates it
		 * by its first definition: so does ktrace, with a warning
		 */
		dup = false;
		for (a = x->members; a && !dup; a = a->next)
			dup = !strcmp(a->a->sval, m.sval);
		if (dup)
			dt_warn(p->cc, m.src, m.line, m.col, "D_XLATE_REDECL",
				"translator member %s is defined twice: its first definition is used",
				m.sval);
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
		if (dup)
			continue;
		*tail = a;
		tail = &a->next;
	}
	ps_next(p);
	if (TOK(p).kind != T_SEMI) {
		ps_syntax_error(p, &TOK(p));
		return;
	}
	key = dt_tag_key(p->cc, ds->kind, ds->name);
	head = dt_hget(&p->cc->xlators, key, (uint32_t)strlen(key));
	if (head) {
		x->next = head->next;
		head->next = x;
	} else if (!dt_hput(&p->cc->xlators, key, (uint32_t)strlen(key), x)) {
		dt_oom();
	}
}

/*
 * The type of a probe parameter as written, scan[from..to): its words one
 * space apart and its '*'s after them ("struct mutex *", "char **"), as
 * DTrace names types (dtrace -lv's "Argument Types").
 */
static char *type_text(struct ps *p, const char *scan, uint32_t from, uint32_t to)
{
	char *s = dt_alloc(&p->cc->ar, (size_t)(to - from) + 2), *o = s;
	int stars = 0;

	for (uint32_t i = from; i < to; ) {
		if (scan[i] == '*') {
			stars++;
			i++;
		} else if (isspace((unsigned char)scan[i])) {
			i++;
		} else {
			if (o > s)
				*o++ = ' ';
			while (i < to && scan[i] != '*' && !isspace((unsigned char)scan[i]))
				*o++ = scan[i++];
		}
	}
	if (stars && o > s)
		*o++ = ' ';
	while (stars--)
		*o++ = '*';
	*o = '\0';
	return s;
}

/*
 * ( [TYPE [NAME] {, TYPE [NAME]}] ) of a probe; names in names[] (or
 * NULL), the types as written in texts[]
 */
static int parse_probe_params(struct ps *p, struct dt_dtype *v, const char **names,
			      const char **texts)
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
		if (!parse_dtype(p, &v[n]))
			return -1;
		texts[n] = type_text(p, p->cc->srcs[at.src].scan, at.pos, TOK(p).pos);
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
	pr->nnative = parse_probe_params(p, pr->native, nn, pr->ntext);
	if (pr->nnative < 0)
		return NULL;
	if (TOK(p).kind == T_COLON) {
		ps_next(p);
		pr->nargs = parse_probe_params(p, pr->args, an, pr->argtext);
		if (pr->nargs < 0)
			return NULL;
	} else {
		pr->nargs = pr->nnative;
		memcpy(pr->args, pr->native, sizeof(pr->args));
		memcpy(an, nn, sizeof(an));
		memcpy(pr->argtext, pr->ntext, sizeof(pr->argtext));
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
 * The specifiers of an extern declaration: D's types, and C's float,
 * double and long double (*fsize: their size; a variable of those has no
 * value in D, a pointer to one moves in bytes), or none at all before the
 * name (C's implicit int: extern x;).
 */
static bool extern_spec(struct ps *p, struct type_spec *ts, uint8_t *fsize)
{
	const struct dt_token *nx = dt_lex_peek(&p->lx, 1);
	struct dt_token t = TOK(p);

	*fsize = 0;
	if (t.kind == T_IDENT && (!strcmp(t.sval, "float") || !strcmp(t.sval, "double")))
		*fsize = t.sval[0] == 'f' ? 4 : 8;
	else if (t.kind == T_LONG && nx->kind == T_IDENT && !strcmp(nx->sval, "double"))
		*fsize = 16;
	if (*fsize || (t.kind == T_IDENT && !dt_usertype_lookup(p->cc, t.sval))) {
		memset(ts, 0, sizeof(*ts));
		ts->start = t;
		if (!*fsize) {
			ts->t = DT_INT_TYPE(4, true);
			return true;
		}
		ts->t.kind = DT_T_VOID;
		if (*fsize == 16)
			ps_next(p);
		ps_next(p);
		return true;
	}
	return ps_parse_type_spec(p, ts);
}

/* A function's parameters: '(' [ void | TYPE [NAME] {, TYPE [NAME]} ] ')' */
static bool extern_params(struct ps *p)
{
	ps_next(p);	/* '(' */
	while (TOK(p).kind != T_RPAREN) {
		struct type_spec ts;
		struct dt_type t;
		uint8_t fs;

		if (!extern_spec(p, &ts, &fs) || !ps_parse_type_ptrs(p, &ts, &t))
			return false;
		if (TOK(p).kind == T_IDENT)
			ps_next(p);
		if (TOK(p).kind != T_COMMA)
			break;
		ps_next(p);
	}
	return ps_expect(p, T_RPAREN);
}

/* { '[' [N] ']' }: the dimensions of an array declarator */
static bool extern_dims(struct ps *p, struct dt_dtype *d)
{
	while (TOK(p).kind == T_LBRACK) {
		struct dt_token at;

		ps_next(p);
		at = TOK(p);
		if (at.kind == T_INT) {
			if (at.ival <= 0 || at.ival > UINT32_MAX) {
				dt_error(p->cc, at.src, at.line, at.col, "D_DECL_ARRSUB",
					 "an array dimension must be a positive integer");
				return false;
			}
			if (!d->ndims)
				d->nelems = (uint32_t)at.ival;
			ps_next(p);
		} else if (d->ndims) {	/* only the first dimension may be left out */
			ps_syntax_error(p, &at);
			return false;
		}
		if (!ps_expect(p, T_RBRACK))
			return false;
		if (d->ndims == UINT8_MAX) {
			dt_error(p->cc, at.src, at.line, at.col, "D_DECL_ARRDIM",
				 "too many array dimensions");
			return false;
		}
		d->ndims++;
		d->ext = DT_EXT_ARRAY;
	}
	return true;
}

/*
 * One declarator of an extern declaration, as C writes them:
 *   {'*'} NAME {'[' [N] ']'}		a variable or an array
 *   {'*'} NAME '(' PARAMS ')'		a function
 *   {'*'} '(' '*' {'*'} NAME {'[' [N] ']'} ')' '(' PARAMS ')'
 *					a pointer to a function (or an array of them)
 * Returns the name's token in *name; false after a diagnosed error.
 */
static bool extern_declarator(struct ps *p, const struct type_spec *ts, uint8_t fsize,
			      struct dt_dtype *d, struct dt_token *name)
{
	int inner = 0;

	if (!ps_parse_type_ptrs(p, ts, &d->t))
		return false;
	d->sname = p->sname_out;
	if (TOK(p).kind == T_LPAREN) {
		ps_next(p);
		while (TOK(p).kind == T_STAR) {
			inner++;
			ps_next(p);
		}
		if (!inner) {
			ps_syntax_error(p, &TOK(p));
			return false;
		}
	}
	if (TOK(p).kind != T_IDENT && TOK(p).kind != T_KSYM) {
		ps_syntax_error(p, &TOK(p));
		return false;
	}
	*name = TOK(p);
	ps_next(p);
	if (!extern_dims(p, d))
		return false;
	if (inner) {	/* (*NAME)(PARAMS): a pointer to a function is a void * */
		if (!ps_expect(p, T_RPAREN))
			return false;
		if (TOK(p).kind != T_LPAREN) {
			ps_syntax_error(p, &TOK(p));
			return false;
		}
		d->t = (struct dt_type){ .kind = DT_T_PTR, .size = 8,
					 .pdepth = (uint8_t)(inner > 8 ? 8 : inner) };
		d->sname = NULL;
		return extern_params(p);
	}
	if (TOK(p).kind == T_LPAREN) {
		if (d->ext == DT_EXT_ARRAY) {	/* C has no arrays of functions */
			ps_syntax_error(p, &TOK(p));
			return false;
		}
		d->ext = DT_EXT_FUNC;
		return extern_params(p);
	}
	if (fsize && d->t.kind == DT_T_VOID) {
		d->ext = d->ext ? d->ext : DT_EXT_FLOAT;
		d->fsize = fsize;
		return true;
	}
	if (d->t.kind != DT_T_INT && d->t.kind != DT_T_PTR && d->t.kind != DT_T_STRUCT) {
		dt_error(p->cc, ts->start.src, ts->start.line, ts->start.col, "D_DECL_EXTERN",
			 "extern %s: only integer, floating-point, pointer, struct, array and function types",
			 name->sval);
		return false;
	}
	return true;
}

/*
 * extern TYPE DECLARATOR {, DECLARATOR}; (NAME may be written `NAME or
 * `MOD`NAME): the type of a kernel variable, array or function the
 * kernel's BTF does not describe (dt_ksym.c).
 */
static void parse_extern(struct ps *p)
{
	struct type_spec ts;
	uint8_t fsize;

	ps_next(p);
	if (!extern_spec(p, &ts, &fsize)) {
		p->failed = true;
		return;
	}
	for (;;) {
		struct dt_dtype *d = dt_alloc(&p->cc->ar, sizeof(*d));
		struct dt_token name;

		d->src = ts.start.src;
		d->line = ts.start.line;
		d->col = ts.start.col;
		if (!extern_declarator(p, &ts, fsize, d, &name)) {
			p->failed = true;
			return;
		}
		if (!dt_hget(&p->cc->externs, name.sval, (uint32_t)strlen(name.sval)) &&
		    !dt_hput(&p->cc->externs, name.sval, (uint32_t)strlen(name.sval), d))
			dt_oom();
		if (TOK(p).kind != T_COMMA)
			break;
		ps_next(p);
	}
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
