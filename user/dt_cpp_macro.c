// SPDX-License-Identifier: GPL-2.0
/*
 * The C preprocessor (ktrace -C): macro expansion (rescanning with hide sets, # and ##) and #define/#undef.
 * dt_cpp.c has the overview and the driver; dt_cpp.h the shared types.
 */
#include "dt_cpp.h"

/* ----- macros ----- */
struct pp_macro *pp_macro_get(struct pp *pp, const char *name, int len)
{
	return dt_hget(&pp->macros, name, (uint32_t)len);
}

struct pp_macro *pp_macro_new(struct pp *pp, const char *name, int len)
{
	struct pp_macro *m = pp_macro_get(pp, name, len);

	if (m)
		return m;
	m = dt_alloc(&pp->cc->ar, sizeof(*m));
	m->name = dt_strndup(&pp->cc->ar, name, (size_t)len);
	m->id = ++pp->nmacros;
	if (!dt_hput(&pp->macros, m->name, (uint32_t)len, m))
		longjmp(pp->cc->oom_jmp, 1);
	return m;
}

struct pp_macro *pp_macro_defined(struct pp *pp, const struct pp_tok *t)
{
	struct pp_macro *m;

	if (t->kind != PP_IDENT)
		return NULL;
	m = pp_macro_get(pp, t->text, t->len);
	return m && m->defined ? m : NULL;
}

/* The input of expansion: a stack of token arrays, read front to back. */
struct pp_in {
	struct pp_vec	*v;
	int		pos;
	struct pp_in	*next;
};

struct pp_stream {
	struct pp_in	*top;
};

static const struct pp_tok *st_peek(struct pp_stream *s)
{
	while (s->top && s->top->pos >= s->top->v->n)
		s->top = s->top->next;
	return s->top ? &s->top->v->v[s->top->pos] : NULL;
}

static const struct pp_tok *st_next(struct pp_stream *s)
{
	const struct pp_tok *t = st_peek(s);

	if (t)
		s->top->pos++;
	return t;
}

static void st_push(struct pp *pp, struct pp_stream *s, struct pp_vec *v)
{
	struct pp_in *in = dt_alloc(&pp->cc->ar, sizeof(*in));

	in->v = v;
	in->next = s->top;
	s->top = in;
}


/* Spell TOKENS as one string literal (the # operator). */
static struct pp_tok stringize(struct pp *pp, const struct pp_vec *arg)
{
	struct pp_sbuf b = { .ar = &pp->cc->ar };
	struct pp_tok t = { .kind = PP_STRING };

	pp_sb_putc(&b, '"');
	for (int i = 0; i < arg->n; i++) {
		const struct pp_tok *a = &arg->v[i];

		if (i && a->space)
			pp_sb_putc(&b, ' ');
		for (int k = 0; k < a->len; k++) {
			if ((a->kind == PP_STRING || a->kind == PP_CHAR) &&
			    (a->text[k] == '"' || a->text[k] == '\\'))
				pp_sb_putc(&b, '\\');
			pp_sb_putc(&b, a->text[k]);
		}
	}
	pp_sb_putc(&b, '"');
	t.text = b.s;
	t.len = (int)b.n;
	return t;
}

/* A ## B: one token, or an error. */
static bool paste(struct pp *pp, struct pp_file *f, const struct pp_tok *where,
		  struct pp_tok *a, const struct pp_tok *b)
{
	struct pp_file tmp = { .src = f->src };
	size_t n = (size_t)a->len + (size_t)b->len;
	char *s = dt_alloc(&pp->cc->ar, n + 1);
	int before = pp->cc->diags ? pp->cc->diags->nerrors : 0;

	memcpy(s, a->text, (size_t)a->len);
	memcpy(s + a->len, b->text, (size_t)b->len);
	pp_tokenize(pp, &tmp, s, n);
	/* D's own tokens: @agg, $1, $target, `sym are one token to the compiler */
	if (tmp.toks.n == 2 && !tmp.toks.v[1].space && strchr("@$`", tmp.toks.v[0].text[0]) &&
	    tmp.toks.v[0].len == 1 && pp_word_like(&tmp.toks.v[1])) {
		tmp.toks.n = 1;
		tmp.toks.v[0].kind = PP_IDENT;
		tmp.toks.v[0].text = s;
		tmp.toks.v[0].len = (int)n;
	}
	if (tmp.toks.n != 1 || (pp->cc->diags && pp->cc->diags->nerrors != before)) {
		pp_err(pp, f->src, where->line, where->col,
		       "pasting \"%.*s\" and \"%.*s\" does not give a valid preprocessing token",
		       a->len, a->text, b->len, b->text);
		return false;
	}
	a->kind = tmp.toks.v[0].kind;
	a->text = tmp.toks.v[0].text;
	a->len = tmp.toks.v[0].len;
	return true;
}

static int param_index(const struct pp_macro *m, const struct pp_tok *t)
{
	if (t->kind != PP_IDENT)
		return -1;
	for (int i = 0; i < m->nparams; i++)
		if ((int)strlen(m->params[i]) == t->len && !memcmp(m->params[i], t->text, (size_t)t->len))
			return i;
	return -1;
}

/*
 * The replacement list of M with ARGS substituted (C99 6.10.3.1-3), every
 * token given hide set HS and the call's position (first token).
 */
static void subst(struct pp *pp, struct pp_file *f, const struct pp_macro *m,
		  struct pp_vec *args, const struct pp_tok *call,
		  const struct pp_hs *hs, struct pp_vec *out)
{
	const struct pp_vec *body = &m->body;
	bool placemarker = false;	/* the last operand of ## was empty */
	int first = out->n, p;

	for (int i = 0; i < body->n; i++) {
		const struct pp_tok *t = &body->v[i];
		bool paste_next = i + 1 < body->n && pp_tok_is(&body->v[i + 1], "##");

		if (m->fn && pp_tok_is(t, "#") && (p = param_index(m, &body->v[i + 1])) >= 0) {
			struct pp_tok s = stringize(pp, &args[p]);

			s.space = t->space;
			pp_vec_push(pp, out, &s);
			placemarker = false;
			i++;
			continue;
		}
		if (pp_tok_is(t, "##")) {	/* never first or last (pp_do_define) */
			const struct pp_tok *r = &body->v[++i];
			struct pp_vec rv = { (struct pp_tok *)r, 1, 1 };

			p = m->fn ? param_index(m, r) : -1;
			if (p >= 0)
				rv = args[p];
			/* GNU: ", ## __VA_ARGS__" drops the comma when there are none */
			if (p >= 0 && m->variadic && p == m->nparams - 1 &&
			    pp_tok_is(&body->v[i - 2], ",") && !placemarker) {
				if (!rv.n)
					out->n--;
				else
					pp_vec_append(pp, out, &rv);
				continue;
			}
			if (!rv.n)
				continue;			/* X ## <empty>: X */
			if (placemarker) {			/* <empty> ## Y: Y */
				pp_vec_append(pp, out, &rv);
				placemarker = false;
				continue;
			}
			if (paste(pp, f, call, &out->v[out->n - 1], &rv.v[0]))
				for (int k = 1; k < rv.n; k++)
					pp_vec_push(pp, out, &rv.v[k]);
			continue;
		}
		p = m->fn ? param_index(m, t) : -1;
		if (p >= 0) {
			int at = out->n;

			if (paste_next) {	/* operands of ## are not expanded */
				pp_vec_append(pp, out, &args[p]);
				placemarker = !args[p].n;
			} else {
				struct pp_vec ex = { 0 };

				pp_expand(pp, f, &args[p], &ex);
				pp_vec_append(pp, out, &ex);
				placemarker = false;
			}
			if (out->n > at)
				out->v[at].space = t->space;
			continue;
		}
		pp_vec_push(pp, out, t);
		placemarker = false;
	}
	for (int i = first; i < out->n; i++) {
		struct pp_tok *t = &out->v[i];

		t->hs = pp_hs_union(pp, t->hs, hs);
		t->line = i == first ? call->line : 0;
		t->col = i == first ? call->col : 0;
		t->bol = false;
	}
	if (out->n > first)
		out->v[first].space = call->space;
}

/* After NAME, read "( args )" from S; false (diagnosed) if malformed. */
static bool read_args(struct pp *pp, struct pp_file *f, struct pp_stream *s,
		      const struct pp_macro *m, const struct pp_tok *name,
		      struct pp_vec **argsp, const struct pp_tok **rparen)
{
	int cap = m->nparams ? m->nparams : 1, depth = 0, cur = 0, given;
	struct pp_vec *args = dt_alloc(&pp->cc->ar, sizeof(*args) * (size_t)cap);
	const struct pp_tok *t;

	st_next(s);	/* ( */
	for (;;) {
		t = st_next(s);
		if (!t) {
			pp_err(pp, f->src, name->line, name->col,
			       "unterminated argument list invoking macro \"%s\"", m->name);
			return false;
		}
		if (depth == 0 && pp_tok_is(t, ")"))
			break;
		if (pp_tok_is(t, "(") || pp_tok_is(t, "[") || pp_tok_is(t, "{"))
			depth++;
		else if ((pp_tok_is(t, ")") || pp_tok_is(t, "]") || pp_tok_is(t, "}")) && depth)
			depth--;
		if (depth == 0 && pp_tok_is(t, ",") && !(m->variadic && cur == m->nparams - 1)) {
			cur++;		/* extra arguments are counted, not kept */
			continue;
		}
		if (cur < cap)
			pp_vec_push(pp, &args[cur], t);
	}
	given = cur + 1;
	if (given > cap || (!m->nparams && args[0].n)) {
		pp_err(pp, f->src, name->line, name->col,
		       "macro \"%s\" passed %d arguments, but takes just %d",
		       m->name, m->nparams ? given : (int)args[0].n ? 1 : 0, m->nparams);
		return false;
	}
	if (given < m->nparams && !(m->variadic && given + 1 == m->nparams)) {
		pp_err(pp, f->src, name->line, name->col,
		       "macro \"%s\" requires %d arguments, but only %d given",
		       m->name, m->nparams, given);
		return false;
	}
	*argsp = args;
	*rparen = t;
	return true;
}

static void expand_builtin(struct pp *pp, struct pp_file *f, const struct pp_macro *m,
			   const struct pp_tok *name, struct pp_vec *out)
{
	struct pp_tok t = *name;
	char buf[32];

	if (m->builtin == PP_B_LINE) {
		snprintf(buf, sizeof(buf), "%d", name->line > 0 ? name->line : 0);
		t.kind = PP_NUMBER;
		t.text = dt_strndup(&pp->cc->ar, buf, strlen(buf));
		t.len = (int)strlen(buf);
	} else {
		struct pp_sbuf b = { .ar = &pp->cc->ar };

		pp_sb_putc(&b, '"');
		for (const char *p = f->name; *p; p++) {
			if (*p == '"' || *p == '\\')
				pp_sb_putc(&b, '\\');
			pp_sb_putc(&b, *p);
		}
		pp_sb_putc(&b, '"');
		t.kind = PP_STRING;
		t.text = b.s;
		t.len = (int)b.n;
	}
	t.hs = NULL;
	pp_vec_push(pp, out, &t);
}

/* Macro-expand IN into OUT (C99 6.10.3.4: rescanning with hide sets). */
void pp_expand(struct pp *pp, struct pp_file *f, const struct pp_vec *in, struct pp_vec *out)
{
	struct pp_vec copy = *in;
	struct pp_stream s = { 0 };
	const struct pp_tok *t;

	st_push(pp, &s, &copy);
	while ((t = st_next(&s))) {
		struct pp_macro *m = t->noexpand ? NULL : pp_macro_defined(pp, t);
		struct pp_vec *body;

		if (!m || pp_hs_has(t->hs, m->id)) {
			struct pp_tok c = *t;

			if (m)	/* painted blue: never expands again (C99 6.10.3.4p2) */
				c.noexpand = true;
			pp_vec_push(pp, out, &c);
			continue;
		}
		if (m->builtin) {
			expand_builtin(pp, f, m, t, out);
			continue;
		}
		body = dt_alloc(&pp->cc->ar, sizeof(*body));
		if (!m->fn) {
			subst(pp, f, m, NULL, t, pp_hs_add(pp, t->hs, m->id), body);
		} else {
			const struct pp_tok *lp = st_peek(&s), *rp;
			struct pp_vec *args;

			if (!lp || !pp_tok_is(lp, "(")) {
				pp_vec_push(pp, out, t);
				continue;
			}
			if (!read_args(pp, f, &s, m, t, &args, &rp))
				continue;
			subst(pp, f, m, args, t, pp_hs_add(pp, pp_hs_inter(pp, t->hs, rp->hs), m->id), body);
		}
		st_push(pp, &s, body);
	}
}

/* ----- directives ----- */

/* The tokens of the directive line starting at f->pos (after '#' NAME). */
void pp_directive_line(struct pp_file *f, struct pp_vec *line)
{
	line->v = &f->toks.v[f->pos];
	line->n = 0;
	while (f->pos < f->toks.n && !f->toks.v[f->pos].bol) {
		line->n++;
		f->pos++;
	}
	line->cap = line->n;
}

void pp_do_define(struct pp *pp, struct pp_file *f, const struct pp_tok *hash,
		  struct pp_vec *l)
{
	const struct pp_tok *name = l->n ? &l->v[0] : NULL;
	struct pp_macro *m, nm = { 0 };
	int i = 1;

	if (!name || name->kind != PP_IDENT) {
		pp_err(pp, f->src, name ? name->line : hash->line, name ? name->col : hash->col,
		       "macro names must be identifiers");
		return;
	}
	if (pp_tok_is(name, "defined")) {
		pp_err(pp, f->src, name->line, name->col, "\"defined\" cannot be used as a macro name");
		return;
	}
	if (l->n > 1 && pp_tok_is(&l->v[1], "(") && !l->v[1].space) {
		const char **params = dt_alloc(&pp->cc->ar, sizeof(char *) * (size_t)l->n);

		nm.fn = true;
		for (i = 2; i < l->n; i++) {
			const struct pp_tok *t = &l->v[i];

			if (pp_tok_is(t, ")") && nm.nparams == 0)
				break;
			if (pp_tok_is(t, "...")) {
				nm.variadic = true;
				params[nm.nparams++] = "__VA_ARGS__";
				t = i + 1 < l->n ? &l->v[++i] : NULL;
				if (!t || !pp_tok_is(t, ")")) {
					pp_err(pp, f->src, name->line, name->col,
					       "missing ')' after \"...\" in macro \"%s\"", name->text);
					return;
				}
				break;
			}
			if (t->kind != PP_IDENT || pp_tok_is(t, "__VA_ARGS__")) {
				pp_err(pp, f->src, t->line, t->col,
				       "\"%.*s\" may not appear in macro parameter list", t->len, t->text);
				return;
			}
			for (int k = 0; k < nm.nparams; k++)
				if (!strcmp(params[k], dt_strndup(&pp->cc->ar, t->text, (size_t)t->len))) {
					pp_err(pp, f->src, t->line, t->col,
					       "duplicate macro parameter \"%.*s\"", t->len, t->text);
					return;
				}
			params[nm.nparams++] = dt_strndup(&pp->cc->ar, t->text, (size_t)t->len);
			t = i + 1 < l->n ? &l->v[++i] : NULL;
			if (t && pp_tok_is(t, ")"))
				break;
			if (!t || !pp_tok_is(t, ",")) {
				pp_err(pp, f->src, name->line, name->col,
				       "expected ',' or ')' in the parameter list of macro \"%s\"",
				       name->text);
				return;
			}
		}
		if (i >= l->n) {
			pp_err(pp, f->src, name->line, name->col,
			       "missing ')' in the parameter list of macro \"%s\"", name->text);
			return;
		}
		nm.params = params;
		i++;
	}
	for (; i < l->n; i++)
		pp_vec_push(pp, &nm.body, &l->v[i]);
	if (nm.body.n) {
		nm.body.v[0].space = false;
		if (pp_tok_is(&nm.body.v[0], "##") || pp_tok_is(&nm.body.v[nm.body.n - 1], "##")) {
			pp_err(pp, f->src, name->line, name->col,
			       "'##' cannot appear at either end of a macro expansion");
			return;
		}
	}
	for (int k = 0; nm.fn && k < nm.body.n; k++)
		if (pp_tok_is(&nm.body.v[k], "#") &&
		    (k + 1 >= nm.body.n || param_index(&nm, &nm.body.v[k + 1]) < 0)) {
			pp_err(pp, f->src, nm.body.v[k].line, nm.body.v[k].col,
			       "'#' is not followed by a macro parameter");
			return;
		}
	for (int k = 0; k < nm.body.n; k++)
		if (!nm.variadic && pp_tok_is(&nm.body.v[k], "__VA_ARGS__")) {
			pp_err(pp, f->src, nm.body.v[k].line, nm.body.v[k].col,
			       "__VA_ARGS__ can only appear in the expansion of a variadic macro");
			return;
		}
	m = pp_macro_new(pp, name->text, name->len);
	if (m->builtin) {
		pp_err(pp, f->src, name->line, name->col, "\"%s\" cannot be redefined", m->name);
		return;
	}
	if (m->defined && m->src >= 0) {
		bool same = m->fn == nm.fn && m->nparams == nm.nparams &&
			    m->body.n == nm.body.n;

		for (int k = 0; same && k < nm.body.n; k++)
			same = m->body.v[k].len == nm.body.v[k].len &&
			       !memcmp(m->body.v[k].text, nm.body.v[k].text, (size_t)nm.body.v[k].len) &&
			       (k == 0 || m->body.v[k].space == nm.body.v[k].space);
		if (!same)
			dt_warn(pp->cc, f->src, name->line, name->col, "D_PREPROC",
				"\"%s\" redefined", m->name);
	}
	m->defined = true;
	m->fn = nm.fn;
	m->variadic = nm.variadic;
	m->nparams = nm.nparams;
	m->params = nm.params;
	m->body = nm.body;
	m->src = f->src;
	m->line = name->line;
}
