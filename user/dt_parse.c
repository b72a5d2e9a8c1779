// SPDX-License-Identifier: GPL-2.0
/*
 * The D parser: hand-written recursive descent from tokens (dt_lex.c)
 * to the syntax tree (dt_ast.h).
 *
 * program     := { pragma | decl | clause }
 * clause      := desc { ',' desc } [ '/' expr '/' ] [ '{' stmts '}' ]
 * decl        := [self|this|static|extern] type declarator {',' declarator} ';'
 * declarator  := {'*'} name [ '[' type {',' type} ']' ]
 * stmt        := '{' stmts '}' | if | while | for | break ';' | continue ';'
 *              | '@'name ['[' exprs ']'] '=' func '(' exprs ')' | expr | ';'
 * expr        := C expressions with C precedence, plus '^^', self->x,
 *                this->x, args[], `sym, stringof, $macros
 *
 * The closing '/' of a predicate is told from a division by what
 * follows it: '{', the end of the input, or a new line end the predicate.
 *
 * Syntax errors are reported ("syntax error near ...") and the parser
 * resynchronises at the next ';' or '}' (statements) or at the end of the
 * clause, so one run reports several errors.  Nesting depth is bounded,
 * so no input can exhaust the stack.
 *
 * This file: statements, declarations of variables, pragmas, clauses and
 * the entry points; dt_decl.c: D's declarations of types and names;
 * dt_parse_type.c: type names; dt_parse_expr.c: the parser's helpers and
 * expressions; dt_parse.h: what they share.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "dt_parse.h"

static struct dt_node *parse_stmt(struct ps *p);

/* Skip to a statement boundary after an error. */
static void sync_stmt(struct ps *p)
{
	int depth = 0;

	while (TOK(p).kind != T_EOF) {
		int k = TOK(p).kind;

		if (k == T_LBRACE)
			depth++;
		else if (k == T_RBRACE) {
			if (depth == 0)
				break;
			depth--;
		} else if (k == T_SEMI && depth == 0) {
			ps_next(p);
			break;
		}
		ps_next(p);
	}
	p->failed = false;
}

static void parse_pragma(struct ps *p);

static struct dt_node *parse_block_body(struct ps *p, int close)
{
	struct dt_node *head = NULL, **tail = &head;

	while (TOK(p).kind != close && TOK(p).kind != T_EOF) {
		struct dt_node *s;

		if (dt_too_many_errors(p->cc))
			return head;
		if (TOK(p).kind == T_PRAGMA) {	/* as DTrace: a #pragma line anywhere */
			parse_pragma(p);
			ps_next(p);
			continue;
		}
		s = parse_stmt(p);
		if (p->failed)
			sync_stmt(p);
		if (s) {
			*tail = s;
			while (s->next)
				s = s->next;
			tail = &s->next;
		}
	}
	return head;
}

/* After a simple statement: ';' or the end of the block. */
static void stmt_end(struct ps *p)
{
	if (TOK(p).kind == T_SEMI)
		ps_next(p);
	else if (TOK(p).kind != T_RBRACE)
		ps_syntax_error(p, &TOK(p));
}

static struct dt_node *parse_agg_stmt(struct ps *p)
{
	struct dt_token t = TOK(p);
	struct dt_node *n = ps_mk(p, DT_S_AGG, &t);
	struct dt_token ft;

	n->sval = t.sval;
	ps_next(p);
	if (TOK(p).kind == T_LBRACK) {
		ps_next(p);
		if (TOK(p).kind == T_RBRACK) {	/* @a[] = ...: a subscript needs a key */
			ps_syntax_error(p, &TOK(p));
			return n;
		}
		n->b = ps_parse_list(p, T_RBRACK, &n->nkeys);
	}
	if (TOK(p).kind != T_ASSIGN) {
		ps_syntax_error(p, &TOK(p));
		return n;
	}
	ps_next(p);
	ft = TOK(p);
	if (ft.kind != T_IDENT || dt_lex_peek(&p->lx, 1)->kind != T_LPAREN) {
		if (!p->failed)
			dt_error(p->cc, ft.src, ft.line, ft.col, "D_AGG_FUNC",
				 "aggregations may only be assigned the result of an aggregating function");
		p->failed = true;
		return n;
	}
	n->c = ps_parse_postfix(p);
	stmt_end(p);
	return n;
}

static struct dt_node *parse_stmt(struct ps *p)
{
	struct dt_token t = TOK(p);
	struct dt_node *n;

	if (!ps_enter(p))
		return NULL;
	switch (t.kind) {
	case T_SEMI:
		ps_next(p);
		n = ps_mk(p, DT_S_EMPTY, &t);
		break;
	case T_LBRACE:
		ps_next(p);
		n = ps_mk(p, DT_S_BLOCK, &t);
		n->a = parse_block_body(p, T_RBRACE);
		ps_expect(p, T_RBRACE);
		break;
	case T_IF:
		ps_next(p);
		n = ps_mk(p, DT_S_IF, &t);
		ps_expect(p, T_LPAREN);
		n->a = ps_parse_expr(p);
		ps_expect(p, T_RPAREN);
		if (p->failed)
			break;
		n->b = parse_stmt(p);
		if (TOK(p).kind == T_ELSE && !p->failed) {
			ps_next(p);
			n->c = parse_stmt(p);
		}
		break;
	case T_WHILE:
		ps_next(p);
		n = ps_mk(p, DT_S_WHILE, &t);
		ps_expect(p, T_LPAREN);
		n->a = ps_parse_expr(p);
		ps_expect(p, T_RPAREN);
		if (!p->failed)
			n->b = parse_stmt(p);
		break;
	case T_FOR:
		ps_next(p);
		n = ps_mk(p, DT_S_FOR, &t);
		ps_expect(p, T_LPAREN);
		if (TOK(p).kind != T_SEMI)
			n->a = ps_parse_expr(p);
		ps_expect(p, T_SEMI);
		if (TOK(p).kind != T_SEMI)
			n->b = ps_parse_expr(p);
		ps_expect(p, T_SEMI);
		if (TOK(p).kind != T_RPAREN)
			n->c = ps_parse_expr(p);
		ps_expect(p, T_RPAREN);
		if (!p->failed)
			n->d = parse_stmt(p);
		break;
	case T_BREAK:
	case T_CONTINUE:
		ps_next(p);
		n = ps_mk(p, t.kind == T_BREAK ? DT_S_BREAK : DT_S_CONTINUE, &t);
		stmt_end(p);
		break;
	case T_RETURN:
		dt_error(p->cc, t.src, t.line, t.col, "D_SYNTAX",
			 "return is not supported in a clause");
		p->failed = true;
		n = NULL;
		break;
	case T_AGG:
		if (dt_lex_peek(&p->lx, 1)->kind == T_LBRACK ||
		    dt_lex_peek(&p->lx, 1)->kind == T_ASSIGN) {
			n = parse_agg_stmt(p);
			break;
		}
		/* fall through */
	default:
		n = ps_mk(p, DT_S_EXPR, &t);
		n->a = ps_parse_expr(p);
		if (!p->failed)
			stmt_end(p);
		break;
	}
	p->depth--;
	return n;
}

/* ----- top level ----- */

static void add_top(struct ps *p, struct dt_node *n)
{
	if (p->cc->toptail)
		p->cc->toptail->next = n;
	else
		p->cc->top = n;
	p->cc->toptail = n;
}

/* #pragma D option: collected in order for the CLI (kt_prog.options) */
static void add_option(struct dt_cc *cc, const char *name, const char *value)
{
	struct kt_option *o;

	if (cc->noptions == cc->optcap) {
		int ncap = cc->optcap ? cc->optcap * 2 : 8;
		struct kt_option *nv = realloc(cc->options, sizeof(*nv) * (size_t)ncap);

		if (!nv)
			dt_oom();
		cc->options = nv;
		cc->optcap = ncap;
	}
	o = &cc->options[cc->noptions];
	o->name = strdup(name);
	o->value = value ? strdup(value) : NULL;
	if (!o->name || (value && !o->value)) {
		free(o->name);
		free(o->value);
		dt_oom();
	}
	cc->noptions++;
}

static void parse_pragma(struct ps *p)
{
	struct dt_token t = TOK(p);
	char *s = t.sval, *w[3] = { NULL, NULL, NULL };
	int nw = 0;

	while (*s && nw < 3) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s)
			break;
		w[nw++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r')
			s++;
		if (*s)
			*s++ = '\0';
	}
	if (nw > 0 && !strcmp(w[0], "ident"))
		return;
	if (nw == 0 || strcmp(w[0], "D")) {
		dt_warn(p->cc, t.src, t.line, t.col, "D_PRAGMA_UNKNOWN",
			"ignoring unknown #pragma");
		return;
	}
	if (nw < 2) {
		dt_error(p->cc, t.src, t.line, t.col, "D_PRAGMA_MALFORM",
			 "malformed #pragma D directive");
		return;
	}
	if (!strcmp(w[1], "option")) {
		const struct kt_optdesc *od;
		char *eq, *name, *val = NULL, why[160];
		uint64_t v;

		if (nw < 3) {
			dt_error(p->cc, t.src, t.line, t.col, "D_PRAGMA_MALFORM",
				 "malformed #pragma D option: option name expected");
			return;
		}
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (*s) {
			dt_error(p->cc, t.src, t.line, t.col, "D_PRAGMA_MALFORM",
				 "malformed #pragma D option: extra text after the option");
			return;
		}
		name = w[2];
		eq = strchr(name, '=');
		if (eq) {
			*eq = '\0';
			val = eq + 1;
		}
		if (kt_opt_parse(name, val, &od, &v, why, sizeof(why)) < 0) {
			dt_error(p->cc, t.src, t.line, t.col, "D_PRAGMA_OPTSET",
				 "failed to set option '%s': %s", name, why);
			return;
		}
		add_option(p->cc, name, val);
		/* the options that change how the program compiles */
		if (!strcmp(od->name, "destructive") && v)
			p->cc->destructive_ok = true;
		else if (!strcmp(od->name, "defaultargs") && v)
			p->cc->defaultargs = true;
		else if (!strcmp(od->name, "ustackmode"))
			p->cc->ustack_dwarf = v != 0;
		else if (!strcmp(od->name, "strsize"))
			p->cc->strsize = (int)v;
		else if (!strcmp(od->name, "version"))
			p->cc->dversion = v;
		else if (!strcmp(od->name, "scratchsize"))
			p->cc->scratchsize = v;
		else if (!strcmp(od->name, "printsize"))
			p->cc->printsize = v;
		else if (!strcmp(od->name, "cpu")) {
			p->cc->one_cpu = true;
			p->cc->cpu = (uint32_t)v;
		}
		return;
	}
	/* as DTrace: a program cannot load a library (its dependencies are the library's own) */
	if (!strcmp(w[1], "depends_on") && w[2] && !strcmp(w[2], "library") && t.src >= 0 &&
	    !p->cc->srcs[t.src].lib) {
		dt_error(p->cc, t.src, t.line, t.col, "D_PRAGMA_DEPEND",
			 "#pragma D depends_on library is for D library files, not a program");
		return;
	}
	if (!strcmp(w[1], "attributes") || !strcmp(w[1], "binding") ||
	    !strcmp(w[1], "depends_on") || !strcmp(w[1], "error") || !strcmp(w[1], "ident") ||
	    !strcmp(w[1], "line") || !strcmp(w[1], "stability"))
		return;
	dt_error(p->cc, t.src, t.line, t.col, "D_PRAGMA_INVAL",
		 "invalid control directive: #pragma D %s", w[1]);
}

/* One declarator of a declaration: ['*'...] NAME ['[' type {',' type} ']'] */
static struct dt_node *parse_declarator(struct ps *p, const struct dt_token *t, int scope,
					const struct type_spec *ts)
{
	struct dt_node *n = ps_mk(p, DT_TOP_DECL, t);

	n->scope = scope;
	if (!ps_parse_type_ptrs(p, ts, &n->ctype)) {
		p->failed = true;
		return NULL;
	}
	if (TOK(p).kind != T_IDENT) {
		ps_syntax_error(p, &TOK(p));
		return NULL;
	}
	n->sval = TOK(p).sval;
	n->line = TOK(p).line;
	n->col = TOK(p).col;
	ps_next(p);
	if (TOK(p).kind == T_LBRACK) {
		struct dt_type kt[KTRACE_MAX_KEYS + 1];
		int nk = 0;

		ps_next(p);
		if (TOK(p).kind == T_RBRACK) {
			dt_error(p->cc, n->src, n->line, n->col, "D_DECL_ARRNULL",
				 "array declaration requires array dimension or tuple signature: %s",
				 n->sval);
			p->failed = true;
			return NULL;
		}
		if (TOK(p).kind == T_INT || TOK(p).kind == T_MINUS) {
			/* int a[N]: a declared array of N elements */
			if (TOK(p).kind != T_INT || TOK(p).ival <= 0 ||
			    TOK(p).ival > KTRACE_MAX_ARRAY_SIZE) {
				dt_error(p->cc, n->src, TOK(p).line, TOK(p).col, "D_DECL_ARRSUB",
					 "positive integral constant expression or tuple signature expected as array declaration subscript");
				p->failed = true;
				return NULL;
			}
			n->nelems = (uint32_t)TOK(p).ival;
			ps_next(p);
			if (!ps_expect(p, T_RBRACK))
				return NULL;
			if (TOK(p).kind == T_LBRACK) {
				dt_error(p->cc, n->src, TOK(p).line, TOK(p).col, "D_DECL_ARRDIM",
					 "declared arrays have one dimension: %s", n->sval);
				p->failed = true;
				return NULL;
			}
			return n;
		}
		for (;;) {
			struct dt_type k;

			if (!ps_parse_type(p, &k)) {
				p->failed = true;
				return NULL;
			}
			if (nk <= KTRACE_MAX_KEYS)
				kt[nk] = k;
			nk++;
			if (TOK(p).kind != T_COMMA)
				break;
			ps_next(p);
		}
		if (!ps_expect(p, T_RBRACK))
			return NULL;
		if (nk > KTRACE_MAX_KEYS) {
			dt_error(p->cc, n->src, n->line, n->col, "D_DECL_ARRDIM",
				 "too many array dimensions: at most %d keys", KTRACE_MAX_KEYS);
			p->failed = true;
			return NULL;
		}
		n->nkeys = nk;
		n->keyt = dt_alloc(&p->cc->ar, sizeof(struct dt_type) * (size_t)nk);
		memcpy(n->keyt, kt, sizeof(struct dt_type) * (size_t)nk);
	}
	return n;
}

/* decl := [self|this|static] type-specifiers declarator {',' declarator} ';' */
static void parse_decl(struct ps *p)
{
	struct dt_token t = TOK(p);
	struct dt_node *decls[64];
	struct type_spec ts;
	int scope = 0, nd = 0;

	if (t.kind == T_IDENT && (!strcmp(t.sval, "register") || !strcmp(t.sval, "auto"))) {
		/* C's storage classes D has no use for */
		dt_error(p->cc, t.src, t.line, t.col, "D_DECL_BADCLASS",
			 "invalid storage class: %s", t.sval);
		p->failed = true;
		return;
	}
	if (t.kind == T_SELF || t.kind == T_THIS) {
		scope = t.kind == T_SELF ? 1 : 2;
		ps_next(p);
	} else if (t.kind == T_EXTERN) {
		ps_decl_special(p);	/* extern TYPE `sym: a kernel symbol's type */
		return;
	} else if (t.kind == T_STATIC) {
		ps_next(p);
	}
	if (t.kind == T_TYPEDEF || t.kind == T_INLINE || t.kind == T_TRANSLATOR ||
	    (t.kind == T_IDENT && !strcmp(t.sval, "provider"))) {
		ps_decl_special(p);
		return;
	}
	if (scope && TOK(p).kind == T_IDENT && !dt_usertype_lookup(p->cc, TOK(p).sval) &&
	    strcmp(TOK(p).sval, "float") && strcmp(TOK(p).sval, "double")) {
		/* self x; this x; without a type: int, as in DTrace */
		memset(&ts, 0, sizeof(ts));
		ts.t = DT_INT_TYPE(4, true);
		ts.start = TOK(p);
	} else if (!ps_parse_type_spec(p, &ts)) {
		p->failed = true;
		return;
	}
	if (ts.tagdef && TOK(p).kind == T_SEMI && !scope)
		return;		/* struct/union/enum NAME { ... }; */
	for (;;) {
		struct dt_node *n = parse_declarator(p, &t, scope, &ts);

		if (!n)
			return;
		if (nd == (int)(sizeof(decls) / sizeof(decls[0]))) {
			dt_error(p->cc, n->src, n->line, n->col, "D_DECL_COMBO",
				 "too many declarators in one declaration (at most %d)", nd);
			p->failed = true;
			return;
		}
		decls[nd++] = n;
		if (TOK(p).kind != T_COMMA)
			break;
		ps_next(p);
	}
	if (TOK(p).kind != T_SEMI) {
		ps_syntax_error(p, &TOK(p));
		return;
	}
	for (int i = 0; i < nd; i++)
		add_top(p, decls[i]);
}

static bool is_decl_start(struct ps *p)
{
	const struct dt_lexer *lx = &p->lx;
	size_t i = lx->pos, s = i;
	char w[64];
	int sz;
	bool sg;
	static const char *const words[] = {
		"self", "this", "static", "extern", "char", "short", "int", "long", "signed",
		"unsigned", "void", "string", "struct", "const", "volatile", "union", "enum",
		"float", "double",
		"typedef", "inline", "translator", "provider", "register", "auto",
	};

	while (i < lx->len && (isalnum((unsigned char)lx->s[i]) || lx->s[i] == '_'))
		i++;
	if (i == s || i - s >= sizeof(w))
		return false;
	memcpy(w, lx->s + s, i - s);
	w[i - s] = '\0';
	/* a word followed by probe description characters is a description */
	if (i < lx->len && strchr(":-*?.[$!", lx->s[i]))
		return false;
	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (!strcmp(w, words[k]))
			return true;
	return dt_typedef_lookup(w, &sz, &sg) || dt_usertype_lookup(p->cc, w) ||
	       dt_ktypedef_lookup(p->cc, lx->src, w);
}

static void sync_top(struct ps *p)
{
	/* skip to the end of the clause: the '}' closing the outermost '{' */
	int depth = 0;

	while (TOK(p).kind != T_EOF) {
		if (TOK(p).kind == T_LBRACE)
			depth++;
		else if (TOK(p).kind == T_RBRACE && --depth <= 0) {
			break;
		}
		ps_next(p);
	}
	p->failed = false;
}

static bool add_spec(struct ps *p, struct dt_node *c, char *desc, int line, int col)
{
	struct kt_probespec *ns;

	/*
	 * The array's capacity is the power of two at or above nspecs (grown
	 * when nspecs is 0 or a power of two): a clause of n descriptions (a
	 * generated list of thousands of functions) copies O(n) specs in all,
	 * not n^2 / 2 (2,000 descriptions were 600 MB of arena).
	 */
	if (!(c->nspecs & (c->nspecs - 1))) {
		size_t cap = c->nspecs ? 2 * (size_t)c->nspecs : 1;

		ns = dt_alloc(&p->cc->ar, sizeof(*ns) * cap);
		if (c->nspecs)
			memcpy(ns, c->specs, sizeof(*ns) * (size_t)c->nspecs);
		c->specs = ns;
	}
	/* the raw text is kept in the spec's name for the resolver (dt_resolve.c) */
	ns = &c->specs[c->nspecs++];
	ns->line = line;
	ns->col = col;
	ns->file = p->cc->srcs[p->lx.src].name;
	/* stash the raw description; dt_resolve() splits it */
	c->a = c->a;	/* predicate set later */
	{
		struct dt_node *raw = dt_node_new(p->cc, DT_N_STR, p->lx.src, line, col);

		raw->sval = desc;
		raw->slen = (uint32_t)strlen(desc);
		raw->next = c->d;
		c->d = raw;	/* reversed list of raw descriptions */
	}
	return true;
}

static void parse_clause(struct ps *p)
{
	struct dt_node *c = dt_node_new(p->cc, DT_TOP_CLAUSE, p->lx.src, p->lx.line, 0);
	int errs0 = p->cc->diags ? p->cc->diags->nerrors : 0;
	char *desc;
	int line, col;

	for (;;) {
		if (!dt_lex_probedesc(&p->lx, &desc, &line, &col)) {
			/* not a description: report at the offending token */
			ps_next(p);
			ps_syntax_error(p, &TOK(p));
			sync_top(p);
			return;
		}
		if (!c->nspecs) {
			c->line = line;
			c->col = col;
		}
		add_spec(p, c, desc, line, col);
		if (dt_lex_skip_space(&p->lx) || p->lx.s[p->lx.pos] != ',')
			break;
		p->lx.pos++;
	}
	ps_next(p);
	if (TOK(p).kind == T_SLASH) {
		struct dt_token t = TOK(p);

		ps_next(p);
		p->in_pred = true;
		c->a = ps_parse_expr(p);
		p->in_pred = false;
		if (!p->failed && TOK(p).kind != T_SLASH)
			ps_syntax_error(p, &TOK(p));
		if (p->failed) {
			sync_top(p);
			return;
		}
		(void)t;
		ps_next(p);
	}
	if (TOK(p).kind == T_LBRACE) {
		ps_next(p);
		c->b = parse_block_body(p, T_RBRACE);
		if (TOK(p).kind != T_RBRACE) {
			/* the end of the input: say so unless this clause already failed */
			if (!p->cc->diags || p->cc->diags->nerrors == errs0)
				ps_syntax_error(p, &TOK(p));
			return;
		}
		/* the next item starts right after '}': stay in raw mode */
		c->ival = 1;	/* has a body */
	} else if (TOK(p).kind != T_EOF) {
		/* a clause without a body followed by another item */
		dt_lex_rewind(&p->lx);
		p->lx.tok.kind = T_EOF;
		add_top(p, c);
		return;
	}
	add_top(p, c);
}

int dt_parse(struct dt_cc *cc, int src)
{
	struct ps ps, *p = &ps;
	int errs = cc->diags ? cc->diags->nerrors : 0;

	memset(p, 0, sizeof(*p));
	p->cc = cc;
	p->defer = cc->srcs[src].lib;
	dt_lex_init(&p->lx, cc, src);
	for (;;) {
		if (dt_too_many_errors(cc))
			break;
		p->failed = false;
		p->depth = 0;
		p->lx.npeek = 0;
		if (dt_lex_skip_space(&p->lx))
			break;
		if (p->lx.s[p->lx.pos] == '#' && p->lx.pos == 0 && p->lx.len > 1 &&
		    p->lx.s[1] == '!') {
			while (p->lx.pos < p->lx.len && p->lx.s[p->lx.pos] != '\n')
				p->lx.pos++;
			continue;
		}
		if (p->lx.s[p->lx.pos] == '#') {
			ps_next(p);
			if (TOK(p).kind == T_PRAGMA)
				parse_pragma(p);
			else if (TOK(p).kind != T_EOF) {
				ps_syntax_error(p, &TOK(p));
			}
			dt_lex_resync(&p->lx);
			continue;
		}
		if (p->lx.s[p->lx.pos] == ';') {
			p->lx.pos++;
			continue;
		}
		if (!p->defer)
			cc->nuser_items++;
		if (is_decl_start(p)) {
			ps_next(p);
			parse_decl(p);
			while (p->failed && TOK(p).kind != T_SEMI && TOK(p).kind != T_EOF)
				ps_next(p);
			dt_lex_resync(&p->lx);
			continue;
		}
		if (p->defer) {
			ps_next(p);
			dt_error(cc, src, TOK(p).line, TOK(p).col, "D_LIB_CLAUSE",
				 "a D library file may contain only declarations and pragmas");
			break;
		}
		parse_clause(p);
		/* after a clause: the current token is its '}' (raw pos past it) */
		dt_lex_resync(&p->lx);
	}
	return cc->diags && cc->diags->nerrors > errs ? -1 : 0;
}

/* -l -n PATTERN: descriptions only. */
int dt_parse_probe_only(struct dt_cc *cc, int src)
{
	struct ps ps, *p = &ps;
	struct dt_node *c;
	char *desc;
	int line, col;

	memset(p, 0, sizeof(*p));
	p->cc = cc;
	dt_lex_init(&p->lx, cc, src);
	c = dt_node_new(cc, DT_TOP_CLAUSE, src, 1, 1);
	for (;;) {
		if (!dt_lex_probedesc(&p->lx, &desc, &line, &col)) {
			ps_next(p);
			ps_syntax_error(p, &TOK(p));
			return -1;
		}
		add_spec(p, c, desc, line, col);
		if (dt_lex_skip_space(&p->lx))
			break;
		if (p->lx.s[p->lx.pos] != ',') {
			ps_next(p);
			ps_syntax_error(p, &TOK(p));
			return -1;
		}
		p->lx.pos++;
	}
	add_top(p, c);
	return 0;
}
