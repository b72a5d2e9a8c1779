// SPDX-License-Identifier: GPL-2.0
/*
 * The C preprocessor pass (ktrace -C), run over each source before the
 * lexer when kt_compile_opts.cpp is set.  Built in, so -C works where no
 * cpp(1) is installed and costs no process start.
 *
 * What it does, as C99 (and GNU cpp where noted) specifies:
 *   - backslash-newline splices, comments become one space;
 *   - #define (object-like, function-like, variadic with __VA_ARGS__ and
 *     GNU's ", ## __VA_ARGS__"), # stringizing, ## pasting, #undef;
 *     rescanning with hide sets, so a macro never expands inside its own
 *     expansion;
 *   - #if/#ifdef/#ifndef/#elif/#else/#endif with integer constant
 *     expressions (defined, every C operator but assignments, ?:);
 *   - #include "file" (the including file's directory, then the -I
 *     directories) and <file> (the -I directories), nested up to 32;
 *   - #error, #warning (GNU), #line, #pragma (passed on), #ident (GNU,
 *     ignored), the null directive; a first line "#!..." is dropped;
 *   - __LINE__, __FILE__, and the predefined __ktrace, __linux__,
 *     __x86_64__, _LP64, __LP64__, __SUNW_D, __SUNW_D_64 (as dtrace -C).
 *
 * Output: the text the lexer reads (dt_source.scan).  Tokens stay on
 * their source line and, where nothing before them on the line was
 * expanded, in their column, so diagnostics point at the original text;
 * where the file changes (#include) a "#line N \"file\"" marker tells the
 * lexer, and each included file becomes a source of its own (its text
 * is what a diagnostic's source line shows).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dt_impl.h"

#define PP_MAX_INCLUDE_DEPTH	32
#define PP_MAX_FILE		(16 << 20)

enum pp_kind { PP_IDENT, PP_NUMBER, PP_STRING, PP_CHAR, PP_PUNCT, PP_OTHER };

/* A hide set: the macros a token came out of (sorted macro ids). */
struct pp_hs {
	int	n;
	int	id[];
};

struct pp_tok {
	enum pp_kind		kind;
	const char		*text;
	int			len;
	int			line, col;	/* col 0: no column to keep */
	bool			space;		/* whitespace before it */
	bool			bol;		/* first on its logical line */
	bool			noexpand;	/* an identifier that must not expand again */
	const struct pp_hs	*hs;
};

struct pp_vec {
	struct pp_tok	*v;
	int		n, cap;
};

struct pp_macro {
	const char	*name;
	int		id;
	bool		defined;
	bool		fn;		/* function-like */
	bool		variadic;	/* last parameter is __VA_ARGS__ */
	int		nparams;
	const char	**params;
	struct pp_vec	body;
	int		builtin;	/* PP_B_* */
	int		src, line;	/* where defined (0: predefined) */
};

enum { PP_B_NONE, PP_B_LINE, PP_B_FILE };

/* The #if stack. */
struct pp_cond {
	bool	parent_on;	/* the enclosing group is being output */
	bool	taken;		/* a branch of this #if was taken */
	bool	on;		/* the current branch is output */
	bool	seen_else;
	int	src, line;
};

struct pp {
	struct dt_cc	*cc;
	struct dt_hmap	macros;
	int		nmacros;
	int		depth;		/* #include nesting */
	/* output */
	char		*out;
	size_t		olen, ocap;
	int		osrc;		/* source the output is in, -1 at start */
	int		oline;		/* line the output is on */
	int		ocol;		/* 1-based column of the next byte */
	bool		ofresh;		/* nothing on the output line yet */
};

/* The file being read. */
struct pp_file {
	int		src;
	const char	*name;
	const char	*dir;		/* for #include "..." ("." for none) */
	struct pp_vec	toks;
	int		pos;
	struct pp_cond	*conds;
	int		nconds, condcap;
};

static void vec_push(struct pp *pp, struct pp_vec *v, const struct pp_tok *t)
{
	if (v->n == v->cap) {
		int ncap = v->cap ? v->cap * 2 : 16;
		struct pp_tok *nv = dt_alloc(&pp->cc->ar, sizeof(*nv) * (size_t)ncap);

		if (v->n)
			memcpy(nv, v->v, sizeof(*nv) * (size_t)v->n);
		v->v = nv;
		v->cap = ncap;
	}
	v->v[v->n++] = *t;
}

static void vec_append(struct pp *pp, struct pp_vec *v, const struct pp_vec *w)
{
	for (int i = 0; i < w->n; i++)
		vec_push(pp, v, &w->v[i]);
}

/* ----- hide sets ----- */
static bool hs_has(const struct pp_hs *h, int id)
{
	for (int i = 0; h && i < h->n; i++)
		if (h->id[i] == id)
			return true;
	return false;
}

static const struct pp_hs *hs_add(struct pp *pp, const struct pp_hs *h, int id)
{
	int n = h ? h->n : 0, i, j;
	struct pp_hs *r;

	if (hs_has(h, id))
		return h;
	r = dt_alloc(&pp->cc->ar, sizeof(*r) + sizeof(int) * (size_t)(n + 1));
	for (i = 0, j = 0; i < n && h->id[i] < id; i++)
		r->id[j++] = h->id[i];
	r->id[j++] = id;
	for (; i < n; i++)
		r->id[j++] = h->id[i];
	r->n = j;
	return r;
}

static const struct pp_hs *hs_union(struct pp *pp, const struct pp_hs *a, const struct pp_hs *b)
{
	for (int i = 0; b && i < b->n; i++)
		a = hs_add(pp, a, b->id[i]);
	return a;
}

static const struct pp_hs *hs_inter(struct pp *pp, const struct pp_hs *a, const struct pp_hs *b)
{
	const struct pp_hs *r = NULL;

	for (int i = 0; a && i < a->n; i++)
		if (hs_has(b, a->id[i]))
			r = hs_add(pp, r, a->id[i]);
	return r;
}

/* ----- tokenizing a file (phases 1-3) ----- */
static bool is_id0(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_id(int c)
{
	return is_id0(c) || (c >= '0' && c <= '9');
}

static const char *const pp_puncts[] = {	/* longest first */
	"<<=", ">>=", "...",
	"->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "^^",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "##",
};

/*
 * A cursor over raw text that steps over backslash-newlines, counting
 * lines and columns of the physical text.
 */
struct pp_cur {
	const char	*s;
	size_t		len, pos;
	int		line, col;
};

static void cur_splice(struct pp_cur *c)
{
	while (c->pos + 1 < c->len && c->s[c->pos] == '\\' &&
	       (c->s[c->pos + 1] == '\n' ||
		(c->s[c->pos + 1] == '\r' && c->pos + 2 < c->len && c->s[c->pos + 2] == '\n'))) {
		c->pos += c->s[c->pos + 1] == '\r' ? 3 : 2;
		c->line++;
		c->col = 1;
	}
}

static int cur_peek(struct pp_cur *c, size_t ahead)
{
	struct pp_cur t = *c;

	cur_splice(&t);
	while (ahead--) {
		if (t.pos >= t.len)
			return -1;
		t.pos++;
		cur_splice(&t);
	}
	return t.pos < t.len ? (unsigned char)t.s[t.pos] : -1;
}

static int cur_get(struct pp_cur *c)
{
	int ch;

	cur_splice(c);
	if (c->pos >= c->len)
		return -1;
	ch = (unsigned char)c->s[c->pos++];
	if (ch == '\n') {
		c->line++;
		c->col = 1;
	} else {
		c->col++;
	}
	return ch;
}

/* A growing string on the arena (out of memory: dt_alloc longjmps). */
struct pp_sbuf {
	struct dt_arena	*ar;
	char		*s;
	size_t		n, cap;
};

static void sb_putc(struct pp_sbuf *b, int ch)
{
	if (b->n + 1 >= b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 64;
		char *ns = dt_alloc(b->ar, ncap);

		if (b->n)
			memcpy(ns, b->s, b->n);
		b->s = ns;
		b->cap = ncap;
	}
	b->s[b->n++] = (char)ch;
	b->s[b->n] = '\0';
}

static const char *sb_str(struct pp_sbuf *b)
{
	if (!b->s)
		sb_putc(b, 0), b->n = 0;
	return b->s;
}

static void pp_err(struct pp *pp, int src, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void pp_err(struct pp *pp, int src, int line, int col, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dt_error(pp->cc, src, line, col, "D_PREPROC", "%s", buf);
}

/* Skip blanks and comments; true if a newline (outside comments) ends the line. */
static void skip_blank(struct pp *pp, struct pp_file *f, struct pp_cur *c, bool *space)
{
	int ch;

	for (;;) {
		ch = cur_peek(c, 0);
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
			cur_get(c);
			*space = true;
		} else if (ch == '/' && cur_peek(c, 1) == '*') {
			int line = c->line, col = c->col;

			cur_get(c);
			cur_get(c);
			for (;;) {
				ch = cur_get(c);
				if (ch < 0) {
					dt_error(pp->cc, f->src, line, col, "D_SYNTAX",
						 "end-of-file encountered before matching */");
					break;
				}
				if (ch == '*' && cur_peek(c, 0) == '/') {
					cur_get(c);
					break;
				}
			}
			*space = true;
		} else if (ch == '/' && cur_peek(c, 1) == '/') {
			while ((ch = cur_peek(c, 0)) >= 0 && ch != '\n')
				cur_get(c);
			*space = true;
		} else {
			return;
		}
	}
}

static void lex_quoted(struct pp *pp, struct pp_file *f, struct pp_cur *c,
		       struct pp_sbuf *b, int q, int line, int col)
{
	int ch;

	sb_putc(b, cur_get(c));
	for (;;) {
		ch = cur_peek(c, 0);
		if (ch < 0 || ch == '\n')
			return;		/* unterminated: the compiler's lexer says so */
		sb_putc(b, cur_get(c));
		if (ch == '\\' && cur_peek(c, 0) >= 0 && cur_peek(c, 0) != '\n')
			sb_putc(b, cur_get(c));
		else if (ch == q)
			return;
	}
}

static void lex_punct(struct pp_cur *c, struct pp_sbuf *b)
{
	for (size_t i = 0; i < sizeof(pp_puncts) / sizeof(pp_puncts[0]); i++) {
		const char *p = pp_puncts[i];
		size_t n = strlen(p), k;

		for (k = 0; k < n && cur_peek(c, k) == (unsigned char)p[k]; k++)
			;
		if (k == n) {
			while (n--)
				sb_putc(b, cur_get(c));
			return;
		}
	}
	sb_putc(b, cur_get(c));
}

static void pp_tokenize(struct pp *pp, struct pp_file *f, const char *text, size_t len)
{
	struct pp_cur c = { text, len, 0, 1, 1 };
	struct pp_sbuf b = { .ar = &pp->cc->ar };
	bool bol = true, space = false;
	int ch;

	if (len >= 2 && text[0] == '#' && text[1] == '!')	/* #!/usr/sbin/ktrace -Cs */
		while (c.pos < len && text[c.pos] != '\n')
			c.pos++;
	for (;;) {
		struct pp_tok t = { 0 };

		skip_blank(pp, f, &c, &space);
		ch = cur_peek(&c, 0);
		if (ch < 0)
			break;
		if (ch == '\n') {
			cur_get(&c);
			bol = true;
			space = false;
			continue;
		}
		t.line = c.line;
		t.col = c.col;
		t.space = space || bol;		/* a newline separates too */
		t.bol = bol;
		b.n = 0;
		if (is_id0(ch)) {
			t.kind = PP_IDENT;
			while (is_id(cur_peek(&c, 0)))
				sb_putc(&b, cur_get(&c));
		} else if ((ch >= '0' && ch <= '9') ||
			   (ch == '.' && cur_peek(&c, 1) >= '0' && cur_peek(&c, 1) <= '9')) {
			t.kind = PP_NUMBER;
			for (;;) {
				ch = cur_peek(&c, 0);
				if ((ch == '+' || ch == '-') && b.n &&
				    strchr("eEpP", b.s[b.n - 1]))
					sb_putc(&b, cur_get(&c));
				else if (is_id(ch) || ch == '.')
					sb_putc(&b, cur_get(&c));
				else
					break;
			}
		} else if (ch == '"' || ch == '\'') {
			t.kind = ch == '"' ? PP_STRING : PP_CHAR;
			lex_quoted(pp, f, &c, &b, ch, t.line, t.col);
		} else if (ch < 0x80 && strchr("!%&()*+,-./:;<=>?[]^{|}~#@$`\\", ch)) {
			t.kind = PP_PUNCT;
			lex_punct(&c, &b);
		} else {
			t.kind = PP_OTHER;
			sb_putc(&b, cur_get(&c));
		}
		t.text = dt_strndup(&pp->cc->ar, sb_str(&b), b.n);
		t.len = (int)b.n;
		vec_push(pp, &f->toks, &t);
		bol = false;
		space = false;
	}
}

static bool tok_is(const struct pp_tok *t, const char *s)
{
	return t && (int)strlen(s) == t->len && !memcmp(t->text, s, (size_t)t->len);
}

/* A string literal with both quotes (an unterminated one is kept as is). */
static bool str_complete(const struct pp_tok *t)
{
	int bs = 0;

	if (t->kind != PP_STRING || t->len < 2 || t->text[t->len - 1] != '"')
		return false;
	for (int i = t->len - 2; i > 0 && t->text[i] == '\\'; i--)
		bs++;
	return !(bs & 1);
}

/* ----- output ----- */
static void out_put(struct pp *pp, const char *s, size_t n)
{
	if (pp->olen + n + 1 > pp->ocap) {
		size_t ncap = pp->ocap ? pp->ocap : 4096;
		char *no;

		while (pp->olen + n + 1 > ncap)
			ncap *= 2;
		no = dt_alloc(&pp->cc->ar, ncap);
		if (pp->olen)
			memcpy(no, pp->out, pp->olen);
		pp->out = no;
		pp->ocap = ncap;
	}
	memcpy(pp->out + pp->olen, s, n);
	pp->olen += n;
	pp->out[pp->olen] = '\0';
	for (size_t i = 0; i < n; i++)
		pp->ocol = s[i] == '\n' ? 1 : pp->ocol + 1;
}

static void out_marker(struct pp *pp, int src, int line)
{
	const char *name = pp->cc->srcs[src].name;
	char buf[64];

	if (!pp->ofresh || pp->olen)
		out_put(pp, "\n", 1);
	snprintf(buf, sizeof(buf), "#line %d \"", line);
	out_put(pp, buf, strlen(buf));
	for (; *name; name++) {
		if (*name == '"' || *name == '\\')
			out_put(pp, "\\", 1);
		out_put(pp, name, 1);
	}
	out_put(pp, "\"\n", 2);
	pp->osrc = src;
	pp->oline = line;
	pp->ofresh = true;
}

/* Move the output to (src, line): newlines, or a marker. */
static void out_goto(struct pp *pp, int src, int line)
{
	if (src != pp->osrc || line < pp->oline || line > pp->oline + 8) {
		if (src == pp->osrc && line < pp->oline)
			return;		/* a macro call spanning lines: stay */
		out_marker(pp, src, line);
		return;
	}
	while (pp->oline < line) {
		out_put(pp, "\n", 1);
		pp->oline++;
		pp->ofresh = true;
	}
}

static bool word_like(const struct pp_tok *t)
{
	return t->kind == PP_IDENT || t->kind == PP_NUMBER;
}

/* Would A immediately followed by B lex as something else? */
static bool would_merge(const struct pp_tok *a, const struct pp_tok *b)
{
	char buf[4];

	if (word_like(a) && (word_like(b) || b->kind == PP_STRING || b->kind == PP_CHAR))
		return true;
	if (a->kind == PP_NUMBER && (tok_is(b, ".") || tok_is(b, "+") || tok_is(b, "-")))
		return true;
	if (a->kind != PP_PUNCT || b->kind != PP_PUNCT)
		return false;
	if (a->len > 2)
		return false;
	memcpy(buf, a->text, (size_t)a->len);
	buf[a->len] = b->text[0];
	buf[a->len + 1] = '\0';
	if (!strcmp(buf, "/*") || !strcmp(buf, "//"))
		return true;
	for (size_t i = 0; i < sizeof(pp_puncts) / sizeof(pp_puncts[0]); i++)
		if (!strncmp(pp_puncts[i], buf, strlen(buf)))
			return true;
	return false;
}

static void out_tokens(struct pp *pp, int src, const struct pp_vec *v)
{
	static const struct pp_tok none = { .kind = PP_OTHER };
	const struct pp_tok *prev = &none;

	for (int i = 0; i < v->n; i++) {
		const struct pp_tok *t = &v->v[i];

		if (t->line > 0)
			out_goto(pp, src, t->line);
		if (pp->ofresh)
			prev = &none;
		if (t->col > pp->ocol) {
			while (pp->ocol < t->col)
				out_put(pp, " ", 1);
		} else if (!pp->ofresh && (t->space || would_merge(prev, t))) {
			out_put(pp, " ", 1);
		}
		out_put(pp, t->text, (size_t)t->len);
		pp->ofresh = false;
		prev = t;
	}
}

/* ----- macros ----- */
static struct pp_macro *macro_get(struct pp *pp, const char *name, int len)
{
	return dt_hget(&pp->macros, name, (uint32_t)len);
}

static struct pp_macro *macro_new(struct pp *pp, const char *name, int len)
{
	struct pp_macro *m = macro_get(pp, name, len);

	if (m)
		return m;
	m = dt_alloc(&pp->cc->ar, sizeof(*m));
	m->name = dt_strndup(&pp->cc->ar, name, (size_t)len);
	m->id = ++pp->nmacros;
	if (!dt_hput(&pp->macros, m->name, (uint32_t)len, m))
		longjmp(pp->cc->oom_jmp, 1);
	return m;
}

static struct pp_macro *macro_defined(struct pp *pp, const struct pp_tok *t)
{
	struct pp_macro *m;

	if (t->kind != PP_IDENT)
		return NULL;
	m = macro_get(pp, t->text, t->len);
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

static void expand(struct pp *pp, struct pp_file *f, const struct pp_vec *in, struct pp_vec *out);
static bool word_like(const struct pp_tok *t);

/* Spell TOKENS as one string literal (the # operator). */
static struct pp_tok stringize(struct pp *pp, const struct pp_vec *arg)
{
	struct pp_sbuf b = { .ar = &pp->cc->ar };
	struct pp_tok t = { .kind = PP_STRING };

	sb_putc(&b, '"');
	for (int i = 0; i < arg->n; i++) {
		const struct pp_tok *a = &arg->v[i];

		if (i && a->space)
			sb_putc(&b, ' ');
		for (int k = 0; k < a->len; k++) {
			if ((a->kind == PP_STRING || a->kind == PP_CHAR) &&
			    (a->text[k] == '"' || a->text[k] == '\\'))
				sb_putc(&b, '\\');
			sb_putc(&b, a->text[k]);
		}
	}
	sb_putc(&b, '"');
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
	    tmp.toks.v[0].len == 1 && word_like(&tmp.toks.v[1])) {
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
		bool paste_next = i + 1 < body->n && tok_is(&body->v[i + 1], "##");

		if (m->fn && tok_is(t, "#") && (p = param_index(m, &body->v[i + 1])) >= 0) {
			struct pp_tok s = stringize(pp, &args[p]);

			s.space = t->space;
			vec_push(pp, out, &s);
			placemarker = false;
			i++;
			continue;
		}
		if (tok_is(t, "##")) {	/* never first or last (do_define) */
			const struct pp_tok *r = &body->v[++i];
			struct pp_vec rv = { (struct pp_tok *)r, 1, 1 };

			p = m->fn ? param_index(m, r) : -1;
			if (p >= 0)
				rv = args[p];
			/* GNU: ", ## __VA_ARGS__" drops the comma when there are none */
			if (p >= 0 && m->variadic && p == m->nparams - 1 &&
			    tok_is(&body->v[i - 2], ",") && !placemarker) {
				if (!rv.n)
					out->n--;
				else
					vec_append(pp, out, &rv);
				continue;
			}
			if (!rv.n)
				continue;			/* X ## <empty>: X */
			if (placemarker) {			/* <empty> ## Y: Y */
				vec_append(pp, out, &rv);
				placemarker = false;
				continue;
			}
			if (paste(pp, f, call, &out->v[out->n - 1], &rv.v[0]))
				for (int k = 1; k < rv.n; k++)
					vec_push(pp, out, &rv.v[k]);
			continue;
		}
		p = m->fn ? param_index(m, t) : -1;
		if (p >= 0) {
			int at = out->n;

			if (paste_next) {	/* operands of ## are not expanded */
				vec_append(pp, out, &args[p]);
				placemarker = !args[p].n;
			} else {
				struct pp_vec ex = { 0 };

				expand(pp, f, &args[p], &ex);
				vec_append(pp, out, &ex);
				placemarker = false;
			}
			if (out->n > at)
				out->v[at].space = t->space;
			continue;
		}
		vec_push(pp, out, t);
		placemarker = false;
	}
	for (int i = first; i < out->n; i++) {
		struct pp_tok *t = &out->v[i];

		t->hs = hs_union(pp, t->hs, hs);
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
		if (depth == 0 && tok_is(t, ")"))
			break;
		if (tok_is(t, "(") || tok_is(t, "[") || tok_is(t, "{"))
			depth++;
		else if ((tok_is(t, ")") || tok_is(t, "]") || tok_is(t, "}")) && depth)
			depth--;
		if (depth == 0 && tok_is(t, ",") && !(m->variadic && cur == m->nparams - 1)) {
			cur++;		/* extra arguments are counted, not kept */
			continue;
		}
		if (cur < cap)
			vec_push(pp, &args[cur], t);
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

		sb_putc(&b, '"');
		for (const char *p = f->name; *p; p++) {
			if (*p == '"' || *p == '\\')
				sb_putc(&b, '\\');
			sb_putc(&b, *p);
		}
		sb_putc(&b, '"');
		t.kind = PP_STRING;
		t.text = b.s;
		t.len = (int)b.n;
	}
	t.hs = NULL;
	vec_push(pp, out, &t);
}

/* Macro-expand IN into OUT (C99 6.10.3.4: rescanning with hide sets). */
static void expand(struct pp *pp, struct pp_file *f, const struct pp_vec *in, struct pp_vec *out)
{
	struct pp_vec copy = *in;
	struct pp_stream s = { 0 };
	const struct pp_tok *t;

	st_push(pp, &s, &copy);
	while ((t = st_next(&s))) {
		struct pp_macro *m = t->noexpand ? NULL : macro_defined(pp, t);
		struct pp_vec *body;

		if (!m || hs_has(t->hs, m->id)) {
			struct pp_tok c = *t;

			if (m)	/* painted blue: never expands again (C99 6.10.3.4p2) */
				c.noexpand = true;
			vec_push(pp, out, &c);
			continue;
		}
		if (m->builtin) {
			expand_builtin(pp, f, m, t, out);
			continue;
		}
		body = dt_alloc(&pp->cc->ar, sizeof(*body));
		if (!m->fn) {
			subst(pp, f, m, NULL, t, hs_add(pp, t->hs, m->id), body);
		} else {
			const struct pp_tok *lp = st_peek(&s), *rp;
			struct pp_vec *args;

			if (!lp || !tok_is(lp, "(")) {
				vec_push(pp, out, t);
				continue;
			}
			if (!read_args(pp, f, &s, m, t, &args, &rp))
				continue;
			subst(pp, f, m, args, t, hs_add(pp, hs_inter(pp, t->hs, rp->hs), m->id), body);
		}
		st_push(pp, &s, body);
	}
}

/* ----- directives ----- */

/* The tokens of the directive line starting at f->pos (after '#' NAME). */
static void directive_line(struct pp_file *f, struct pp_vec *line)
{
	line->v = &f->toks.v[f->pos];
	line->n = 0;
	while (f->pos < f->toks.n && !f->toks.v[f->pos].bol) {
		line->n++;
		f->pos++;
	}
	line->cap = line->n;
}

static void do_define(struct pp *pp, struct pp_file *f, const struct pp_tok *hash,
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
	if (tok_is(name, "defined")) {
		pp_err(pp, f->src, name->line, name->col, "\"defined\" cannot be used as a macro name");
		return;
	}
	if (l->n > 1 && tok_is(&l->v[1], "(") && !l->v[1].space) {
		const char **params = dt_alloc(&pp->cc->ar, sizeof(char *) * (size_t)l->n);

		nm.fn = true;
		for (i = 2; i < l->n; i++) {
			const struct pp_tok *t = &l->v[i];

			if (tok_is(t, ")") && nm.nparams == 0)
				break;
			if (tok_is(t, "...")) {
				nm.variadic = true;
				params[nm.nparams++] = "__VA_ARGS__";
				t = i + 1 < l->n ? &l->v[++i] : NULL;
				if (!t || !tok_is(t, ")")) {
					pp_err(pp, f->src, name->line, name->col,
					       "missing ')' after \"...\" in macro \"%s\"", name->text);
					return;
				}
				break;
			}
			if (t->kind != PP_IDENT || tok_is(t, "__VA_ARGS__")) {
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
			if (t && tok_is(t, ")"))
				break;
			if (!t || !tok_is(t, ",")) {
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
		vec_push(pp, &nm.body, &l->v[i]);
	if (nm.body.n) {
		nm.body.v[0].space = false;
		if (tok_is(&nm.body.v[0], "##") || tok_is(&nm.body.v[nm.body.n - 1], "##")) {
			pp_err(pp, f->src, name->line, name->col,
			       "'##' cannot appear at either end of a macro expansion");
			return;
		}
	}
	for (int k = 0; nm.fn && k < nm.body.n; k++)
		if (tok_is(&nm.body.v[k], "#") &&
		    (k + 1 >= nm.body.n || param_index(&nm, &nm.body.v[k + 1]) < 0)) {
			pp_err(pp, f->src, nm.body.v[k].line, nm.body.v[k].col,
			       "'#' is not followed by a macro parameter");
			return;
		}
	for (int k = 0; k < nm.body.n; k++)
		if (!nm.variadic && tok_is(&nm.body.v[k], "__VA_ARGS__")) {
			pp_err(pp, f->src, nm.body.v[k].line, nm.body.v[k].col,
			       "__VA_ARGS__ can only appear in the expansion of a variadic macro");
			return;
		}
	m = macro_new(pp, name->text, name->len);
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

/* ----- #if expressions ----- */
struct pp_eval {
	struct pp	*pp;
	struct pp_file	*f;
	struct pp_vec	*v;
	int		pos;
	bool		err;
	const struct pp_tok *where;
};

static int64_t ev_cond(struct pp_eval *e, bool live);

static const struct pp_tok *ev_peek(struct pp_eval *e)
{
	return e->pos < e->v->n ? &e->v->v[e->pos] : NULL;
}

static void ev_fail(struct pp_eval *e, const struct pp_tok *t, const char *msg)
{
	if (e->err)
		return;
	e->err = true;
	t = t ? t : e->where;
	pp_err(e->pp, e->f->src, t->line > 0 ? t->line : e->where->line,
	       t->col > 0 ? t->col : e->where->col, "%s", msg);
}

static int64_t ev_number(struct pp_eval *e, const struct pp_tok *t)
{
	char buf[128], *end;
	unsigned long long v;
	int n = t->len < (int)sizeof(buf) - 1 ? t->len : (int)sizeof(buf) - 1;

	memcpy(buf, t->text, (size_t)n);
	buf[n] = '\0';
	errno = 0;
	if (buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B'))
		v = strtoull(buf + 2, &end, 2);
	else
		v = strtoull(buf, &end, 0);
	while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
		end++;
	if (*end || errno) {
		ev_fail(e, t, "invalid integer constant in #if");
		return 0;
	}
	return (int64_t)v;
}

static int64_t ev_char(struct pp_eval *e, const struct pp_tok *t)
{
	const char *p = t->text + 1;

	if (t->len < 3) {
		ev_fail(e, t, "empty character constant in #if");
		return 0;
	}
	if (*p != '\\')
		return (unsigned char)*p;
	switch (p[1]) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case '0': return strtol(p + 1, NULL, 8);
	case 'x': return strtol(p + 2, NULL, 16);
	case 'a': return '\a';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'v': return '\v';
	default: return (unsigned char)p[1];
	}
}

static int64_t ev_unary(struct pp_eval *e, bool live)
{
	const struct pp_tok *t = ev_peek(e);
	int64_t v;

	if (!t) {
		ev_fail(e, NULL, "#if with no expression");
		return 0;
	}
	e->pos++;
	if (tok_is(t, "-"))
		return -(uint64_t)ev_unary(e, live);
	if (tok_is(t, "+"))
		return ev_unary(e, live);
	if (tok_is(t, "~"))
		return ~ev_unary(e, live);
	if (tok_is(t, "!"))
		return !ev_unary(e, live);
	if (tok_is(t, "(")) {
		v = ev_cond(e, live);
		t = ev_peek(e);
		if (!t || !tok_is(t, ")"))
			ev_fail(e, t, "missing ')' in expression");
		else
			e->pos++;
		return v;
	}
	if (t->kind == PP_NUMBER)
		return ev_number(e, t);
	if (t->kind == PP_CHAR)
		return ev_char(e, t);
	if (t->kind == PP_IDENT)	/* not a macro: 0 (C99 6.10.1p4) */
		return 0;
	ev_fail(e, t, "token is not valid in preprocessor expressions");
	return 0;
}

static int ev_prec(const struct pp_tok *t)
{
	static const struct { const char *op; int prec; } ops[] = {
		{ "*", 10 }, { "/", 10 }, { "%", 10 }, { "+", 9 }, { "-", 9 },
		{ "<<", 8 }, { ">>", 8 }, { "<", 7 }, { ">", 7 }, { "<=", 7 }, { ">=", 7 },
		{ "==", 6 }, { "!=", 6 }, { "&", 5 }, { "^", 4 }, { "|", 3 },
		{ "&&", 2 }, { "||", 1 },
	};

	for (size_t i = 0; t && i < sizeof(ops) / sizeof(ops[0]); i++)
		if (tok_is(t, ops[i].op))
			return ops[i].prec;
	return 0;
}

static int64_t ev_binop(struct pp_eval *e, const struct pp_tok *op, int64_t a, int64_t b,
			bool live)
{
	if (tok_is(op, "*")) return (int64_t)((uint64_t)a * (uint64_t)b);
	if (tok_is(op, "/") || tok_is(op, "%")) {
		if (!b) {
			if (live)
				ev_fail(e, op, "division by zero in #if");
			return 0;
		}
		if (a == INT64_MIN && b == -1)
			return tok_is(op, "/") ? a : 0;
		return tok_is(op, "/") ? a / b : a % b;
	}
	if (tok_is(op, "+")) return (int64_t)((uint64_t)a + (uint64_t)b);
	if (tok_is(op, "-")) return (int64_t)((uint64_t)a - (uint64_t)b);
	if (tok_is(op, "<<")) return b < 0 || b > 63 ? 0 : (int64_t)((uint64_t)a << b);
	if (tok_is(op, ">>")) return b < 0 || b > 63 ? (a < 0 ? -1 : 0) : a >> b;
	if (tok_is(op, "<")) return a < b;
	if (tok_is(op, ">")) return a > b;
	if (tok_is(op, "<=")) return a <= b;
	if (tok_is(op, ">=")) return a >= b;
	if (tok_is(op, "==")) return a == b;
	if (tok_is(op, "!=")) return a != b;
	if (tok_is(op, "&")) return a & b;
	if (tok_is(op, "^")) return a ^ b;
	if (tok_is(op, "|")) return a | b;
	if (tok_is(op, "&&")) return a && b;
	return a || b;
}

/* Precedence climbing over the binary operators; && and || short-circuit. */
static int64_t ev_binary(struct pp_eval *e, int minprec, bool live)
{
	int64_t a = ev_unary(e, live), b;
	const struct pp_tok *op;
	int prec;

	while (!e->err && (prec = ev_prec(op = ev_peek(e))) >= minprec && prec) {
		bool rlive = live;

		e->pos++;
		if (tok_is(op, "&&") && !a)
			rlive = false;
		if (tok_is(op, "||") && a)
			rlive = false;
		b = ev_binary(e, prec + 1, rlive);
		a = ev_binop(e, op, a, b, rlive);
	}
	return a;
}

static int64_t ev_cond(struct pp_eval *e, bool live)
{
	int64_t c = ev_binary(e, 1, live), a, b;
	const struct pp_tok *t = ev_peek(e);

	if (!t || !tok_is(t, "?"))
		return c;
	e->pos++;
	a = ev_cond(e, live && c);
	t = ev_peek(e);
	if (!t || !tok_is(t, ":")) {
		ev_fail(e, t, "'?' without following ':'");
		return 0;
	}
	e->pos++;
	b = ev_cond(e, live && !c);
	return c ? a : b;
}

/* Evaluate the #if / #elif line L; -1 on error (diagnosed). */
static int eval_if(struct pp *pp, struct pp_file *f, const struct pp_tok *hash, struct pp_vec *l)
{
	struct pp_vec pre = { 0 }, ex = { 0 };
	struct pp_eval e = { pp, f, &ex, 0, false, hash };
	int64_t v;

	/* defined X / defined(X) first, before expansion */
	for (int i = 0; i < l->n; i++) {
		const struct pp_tok *t = &l->v[i];
		struct pp_tok one;
		bool paren;

		if (!tok_is(t, "defined")) {
			vec_push(pp, &pre, t);
			continue;
		}
		paren = i + 1 < l->n && tok_is(&l->v[i + 1], "(");
		i += paren ? 2 : 1;
		if (i >= l->n || l->v[i].kind != PP_IDENT ||
		    (paren && (i + 1 >= l->n || !tok_is(&l->v[i + 1], ")")))) {
			pp_err(pp, f->src, t->line, t->col,
			       "operator \"defined\" requires an identifier");
			return -1;
		}
		one = *t;
		one.kind = PP_NUMBER;
		one.text = macro_defined(pp, &l->v[i]) ? "1" : "0";
		one.len = 1;
		vec_push(pp, &pre, &one);
		i += paren ? 1 : 0;
	}
	expand(pp, f, &pre, &ex);
	v = ev_cond(&e, true);
	if (!e.err && e.pos < ex.n)
		ev_fail(&e, &ex.v[e.pos], "missing binary operator in #if");
	return e.err ? -1 : v != 0;
}

static struct pp_cond *cond_top(struct pp_file *f)
{
	return f->nconds ? &f->conds[f->nconds - 1] : NULL;
}

static bool cond_on(struct pp_file *f)
{
	return !f->nconds || cond_top(f)->on;
}

static void cond_push(struct pp *pp, struct pp_file *f, const struct pp_tok *hash, bool on)
{
	struct pp_cond *c;

	if (f->nconds == f->condcap) {
		int ncap = f->condcap ? f->condcap * 2 : 8;
		struct pp_cond *nv = dt_alloc(&pp->cc->ar, sizeof(*nv) * (size_t)ncap);

		if (f->nconds)
			memcpy(nv, f->conds, sizeof(*nv) * (size_t)f->nconds);
		f->conds = nv;
		f->condcap = ncap;
	}
	c = &f->conds[f->nconds];
	c->parent_on = cond_on(f);
	c->on = c->parent_on && on;
	c->taken = c->on;
	c->seen_else = false;
	c->src = f->src;
	c->line = hash->line;
	f->nconds++;
}

static void process(struct pp *pp, struct pp_file *f);

/* "name" or <name>: the file name of an #include line (after expansion). */
static char *include_name(struct pp *pp, struct pp_file *f, struct pp_vec *l, bool *angled)
{
	struct pp_vec ex = { 0 };
	struct pp_sbuf b = { .ar = &pp->cc->ar };

	if (l->n && l->v[0].kind != PP_STRING && !tok_is(&l->v[0], "<"))
		expand(pp, f, l, &ex);
	else
		ex = *l;
	if (ex.n == 1 && str_complete(&ex.v[0])) {
		*angled = false;
		return dt_strndup(&pp->cc->ar, ex.v[0].text + 1, (size_t)ex.v[0].len - 2);
	}
	if (ex.n < 3 || !tok_is(&ex.v[0], "<") || !tok_is(&ex.v[ex.n - 1], ">"))
		return NULL;
	*angled = true;
	for (int i = 1; i < ex.n - 1; i++) {
		if (i > 1 && ex.v[i].space)
			sb_putc(&b, ' ');
		for (int k = 0; k < ex.v[i].len; k++)
			sb_putc(&b, ex.v[i].text[k]);
	}
	return b.s;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!fp)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 8192;
			nb = cap > PP_MAX_FILE + 8192 ? NULL : realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(fp);
				errno = EFBIG;
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n - 1, fp);
		n += r;
	} while (r > 0);
	if (ferror(fp)) {
		free(buf);
		fclose(fp);
		errno = EIO;
		return NULL;
	}
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int add_source(struct pp *pp, const char *name, char *text, size_t len)
{
	struct dt_cc *cc = pp->cc;
	struct dt_source *nv = dt_alloc(&cc->ar, sizeof(*nv) * (size_t)(cc->nsrcs + 1));

	memcpy(nv, cc->srcs, sizeof(*nv) * (size_t)cc->nsrcs);
	nv[cc->nsrcs].name = dt_strndup(&cc->ar, name, strlen(name));
	nv[cc->nsrcs].text = dt_strndup(&cc->ar, text, len);
	nv[cc->nsrcs].len = len;
	cc->srcs = nv;
	return cc->nsrcs++;
}

static const char *dir_of(struct pp *pp, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return ".";
	if (slash == path)
		return "/";
	return dt_strndup(&pp->cc->ar, path, (size_t)(slash - path));
}

static void do_include(struct pp *pp, struct pp_file *f, const struct pp_tok *hash,
		       struct pp_vec *l)
{
	const struct kt_compile_opts *o = pp->cc->opts;
	struct pp_file inc = { 0 };
	char *name, *text = NULL, path[PATH_MAX];
	bool angled = false;
	size_t len = 0;
	int err = ENOENT;

	name = include_name(pp, f, l, &angled);
	if (!name || !*name) {
		pp_err(pp, f->src, hash->line, hash->col, "#include expects \"FILENAME\" or <FILENAME>");
		return;
	}
	if (pp->depth >= PP_MAX_INCLUDE_DEPTH) {
		pp_err(pp, f->src, hash->line, hash->col, "#include nested more than %d deep",
		       PP_MAX_INCLUDE_DEPTH);
		return;
	}
	if (name[0] == '/') {
		snprintf(path, sizeof(path), "%s", name);
		text = read_file(path, &len);
		err = errno;
	}
	for (int i = -1; !text && name[0] != '/' && i < o->ncpp_incdirs; i++) {
		const char *dir = i < 0 ? (angled ? NULL : f->dir) : o->cpp_incdirs[i];

		if (!dir)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
			continue;
		text = read_file(path, &len);
		if (!text && errno != ENOENT)
			err = errno;
	}
	if (!text) {
		pp_err(pp, f->src, hash->line, hash->col, "#include %c%s%c: %s",
		       angled ? '<' : '"', name, angled ? '>' : '"', strerror(err));
		return;
	}
	if (o->cpp_included)
		o->cpp_included(o->cpp_ctx, path, pp->depth + 1);
	inc.src = add_source(pp, path, text, len);
	inc.name = pp->cc->srcs[inc.src].name;
	inc.dir = dir_of(pp, inc.name);
	pp_tokenize(pp, &inc, text, len);
	free(text);
	pp->depth++;
	process(pp, &inc);
	pp->depth--;
}

static void do_line(struct pp *pp, struct pp_file *f, const struct pp_tok *hash, struct pp_vec *l)
{
	struct pp_vec ex = { 0 };
	long n;

	expand(pp, f, l, &ex);
	if (!ex.n || ex.v[0].kind != PP_NUMBER ||
	    (n = strtol(ex.v[0].text, NULL, 10)) <= 0 || n > INT_MAX ||
	    (ex.n > 1 && (ex.n > 2 || !str_complete(&ex.v[1])))) {
		pp_err(pp, f->src, hash->line, hash->col,
		       "#line expects a positive line number and an optional \"file\"");
		return;
	}
	/* Lines after it are numbered from N: shift the rest of the file. */
	{
		int delta = (int)n - (hash->line + 1);

		for (int i = f->pos; i < f->toks.n; i++)
			f->toks.v[i].line += delta;
	}
	if (ex.n > 1) {
		char *nm = dt_strndup(&pp->cc->ar, ex.v[1].text + 1, (size_t)ex.v[1].len - 2);

		f->name = nm;
		f->src = add_source(pp, nm, "", 0);
	}
	pp->osrc = -1;		/* force a marker before the next token */
}

static void do_message(struct pp *pp, struct pp_file *f, const struct pp_tok *hash,
		       const struct pp_tok *dir, struct pp_vec *l, bool error)
{
	struct pp_sbuf b = { .ar = &pp->cc->ar };

	for (int i = 0; i < l->n; i++) {
		if (i && l->v[i].space)
			sb_putc(&b, ' ');
		for (int k = 0; k < l->v[i].len; k++)
			sb_putc(&b, l->v[i].text[k]);
	}
	if (error)
		pp_err(pp, f->src, hash->line, hash->col, "#error %s", sb_str(&b));
	else
		dt_warn(pp->cc, f->src, hash->line, hash->col, "D_PREPROC", "#%.*s %s",
			dir->len, dir->text, sb_str(&b));
}

/* A directive: f->pos is at the '#'. */
static void directive(struct pp *pp, struct pp_file *f)
{
	const struct pp_tok *hash = &f->toks.v[f->pos++];
	const struct pp_tok *dir = NULL;
	struct pp_cond *c = cond_top(f);
	struct pp_vec l;
	bool on = cond_on(f);
	int v;

	if (f->pos < f->toks.n && !f->toks.v[f->pos].bol)
		dir = &f->toks.v[f->pos++];
	directive_line(f, &l);
	if (!dir)
		return;		/* the null directive */
	if (tok_is(dir, "if") || tok_is(dir, "ifdef") || tok_is(dir, "ifndef")) {
		if (!on) {
			cond_push(pp, f, hash, false);
			return;
		}
		if (tok_is(dir, "if")) {
			v = eval_if(pp, f, hash, &l);
		} else if (l.n != 1 || l.v[0].kind != PP_IDENT) {
			pp_err(pp, f->src, dir->line, dir->col, "#%.*s expects one macro name",
			       dir->len, dir->text);
			v = -1;
		} else {
			v = (macro_defined(pp, &l.v[0]) != NULL) == tok_is(dir, "ifdef");
		}
		cond_push(pp, f, hash, v > 0);
		return;
	}
	if (tok_is(dir, "elif") || tok_is(dir, "else") || tok_is(dir, "endif")) {
		if (!c) {
			pp_err(pp, f->src, dir->line, dir->col, "#%.*s without #if",
			       dir->len, dir->text);
			return;
		}
		if (tok_is(dir, "endif")) {
			f->nconds--;
			return;
		}
		if (c->seen_else) {
			pp_err(pp, f->src, dir->line, dir->col, "#%.*s after #else",
			       dir->len, dir->text);
			return;
		}
		if (tok_is(dir, "else")) {
			c->seen_else = true;
			c->on = c->parent_on && !c->taken;
		} else {
			c->on = c->parent_on && !c->taken && eval_if(pp, f, hash, &l) > 0;
		}
		c->taken |= c->on;
		return;
	}
	if (!on)
		return;		/* other directives of skipped groups are not looked at */
	if (tok_is(dir, "define")) {
		do_define(pp, f, hash, &l);
	} else if (tok_is(dir, "undef")) {
		struct pp_macro *m;

		if (l.n != 1 || l.v[0].kind != PP_IDENT) {
			pp_err(pp, f->src, dir->line, dir->col, "#undef expects one macro name");
			return;
		}
		m = macro_get(pp, l.v[0].text, l.v[0].len);
		if (m && m->builtin)
			pp_err(pp, f->src, l.v[0].line, l.v[0].col, "\"%s\" cannot be undefined", m->name);
		else if (m)
			m->defined = false;
	} else if (tok_is(dir, "include")) {
		do_include(pp, f, hash, &l);
	} else if (tok_is(dir, "line")) {
		do_line(pp, f, hash, &l);
	} else if (tok_is(dir, "error") || tok_is(dir, "warning")) {
		do_message(pp, f, hash, dir, &l, tok_is(dir, "error"));
	} else if (tok_is(dir, "pragma")) {
		/* passed on as written, for the compiler (#pragma D option ...) */
		struct pp_vec whole = { (struct pp_tok *)hash, (int)(l.v + l.n - hash), 0 };

		whole.cap = whole.n;
		out_tokens(pp, f->src, &whole);
		pp->ofresh = false;
		out_put(pp, "\n", 1);
		pp->oline++;
		pp->ofresh = true;
	} else if (tok_is(dir, "ident") || tok_is(dir, "sccs")) {
		/* GNU: ignored */
	} else if (dir->kind == PP_NUMBER) {	/* # 12 "file" (cpp's output): as #line */
		struct pp_vec nl = { (struct pp_tok *)dir, l.n + 1, l.n + 1 };

		do_line(pp, f, hash, &nl);
	} else {
		pp_err(pp, f->src, dir->line, dir->col, "invalid preprocessing directive #%.*s",
		       dir->len, dir->text);
	}
}

/* Text lines up to the next directive: expanded and written out. */
static void text_run(struct pp *pp, struct pp_file *f)
{
	struct pp_vec run = { &f->toks.v[f->pos], 0, 0 }, ex = { 0 };

	while (f->pos < f->toks.n &&
	       !(f->toks.v[f->pos].bol && tok_is(&f->toks.v[f->pos], "#"))) {
		run.n++;
		f->pos++;
	}
	run.cap = run.n;
	if (!cond_on(f))
		return;
	expand(pp, f, &run, &ex);
	out_tokens(pp, f->src, &ex);
}

static void process(struct pp *pp, struct pp_file *f)
{
	while (f->pos < f->toks.n && !dt_too_many_errors(pp->cc)) {
		if (f->toks.v[f->pos].bol && tok_is(&f->toks.v[f->pos], "#"))
			directive(pp, f);
		else
			text_run(pp, f);
	}
	for (int i = f->nconds - 1; i >= 0; i--)
		pp_err(pp, f->conds[i].src, f->conds[i].line, 1, "unterminated #if");
	pp->osrc = -1;		/* the includer continues after a marker */
}

/* -D NAME[=VALUE] as "#define NAME VALUE" (VALUE: 1 if none). */
static void define_cmdline(struct pp *pp, const char *def)
{
	struct pp_file f = { .src = -1, .name = "<command line>", .dir = "." };
	const char *eq = strchr(def, '=');
	size_t n = strlen(def) + 16;
	char *text = dt_alloc(&pp->cc->ar, n);
	struct pp_vec l;

	if (eq)
		snprintf(text, n, "%.*s %s", (int)(eq - def), def, eq + 1);
	else
		snprintf(text, n, "%s 1", def);
	pp_tokenize(pp, &f, text, strlen(text));
	l = f.toks;
	do_define(pp, &f, &(struct pp_tok){ .line = 0, .col = 0 }, &l);
}

static void predefine(struct pp *pp)
{
	static const char *const pre[] = {
		"__ktrace", "__linux", "__linux__", "__unix__", "__x86_64", "__x86_64__",
		"__amd64", "_LP64", "__LP64__", "__SUNW_D", "__SUNW_D_64",
	};
	struct pp_macro *m;

	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		define_cmdline(pp, pre[i]);
	m = macro_new(pp, "__LINE__", 8);
	m->defined = true;
	m->builtin = PP_B_LINE;
	m = macro_new(pp, "__FILE__", 8);
	m->defined = true;
	m->builtin = PP_B_FILE;
}

int dt_cpp(struct dt_cc *cc, int src)
{
	const struct kt_compile_opts *o = cc->opts;
	struct pp pp = { .cc = cc, .osrc = src, .oline = 1, .ocol = 1, .ofresh = true };
	struct pp_file f = { .src = src };
	int before = cc->diags ? cc->diags->nerrors : 0;

	f.name = cc->srcs[src].name;
	f.dir = (f.name[0] == '<') ? "." : dir_of(&pp, f.name);
	predefine(&pp);
	for (int i = 0; i < o->ncpp_defs; i++) {
		const char *d = o->cpp_defs[i];

		if (d[0] == 'D') {
			define_cmdline(&pp, d + 1);
		} else {
			struct pp_macro *m = macro_get(&pp, d + 1, (int)strlen(d + 1));

			if (m && !m->builtin)
				m->defined = false;
		}
	}
	pp_tokenize(&pp, &f, cc->srcs[src].text, cc->srcs[src].len);
	process(&pp, &f);
	out_put(&pp, "\n", 1);
	dt_hfree(&pp.macros);
	cc->srcs[src].scan = pp.out;
	cc->srcs[src].scanlen = pp.olen;
	return cc->diags && cc->diags->nerrors != before ? -1 : 0;
}
