// SPDX-License-Identifier: GPL-2.0
/*
 * The C preprocessor (ktrace -C): token vectors, hide sets, tokenizing a file (phases 1-3) and the output.
 * dt_cpp.c has the overview and the driver; dt_cpp.h the shared types.
 */
#include "dt_cpp.h"

void pp_vec_push(struct pp *pp, struct pp_vec *v, const struct pp_tok *t)
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

void pp_vec_append(struct pp *pp, struct pp_vec *v, const struct pp_vec *w)
{
	for (int i = 0; i < w->n; i++)
		pp_vec_push(pp, v, &w->v[i]);
}

/* ----- hide sets ----- */
bool pp_hs_has(const struct pp_hs *h, int id)
{
	for (int i = 0; h && i < h->n; i++)
		if (h->id[i] == id)
			return true;
	return false;
}

const struct pp_hs *pp_hs_add(struct pp *pp, const struct pp_hs *h, int id)
{
	int n = h ? h->n : 0, i, j;
	struct pp_hs *r;

	if (pp_hs_has(h, id))
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

const struct pp_hs *pp_hs_union(struct pp *pp, const struct pp_hs *a, const struct pp_hs *b)
{
	for (int i = 0; b && i < b->n; i++)
		a = pp_hs_add(pp, a, b->id[i]);
	return a;
}

const struct pp_hs *pp_hs_inter(struct pp *pp, const struct pp_hs *a, const struct pp_hs *b)
{
	const struct pp_hs *r = NULL;

	for (int i = 0; a && i < a->n; i++)
		if (pp_hs_has(b, a->id[i]))
			r = pp_hs_add(pp, r, a->id[i]);
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

void pp_sb_putc(struct pp_sbuf *b, int ch)
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

const char *pp_sb_str(struct pp_sbuf *b)
{
	if (!b->s)
		pp_sb_putc(b, 0), b->n = 0;
	return b->s;
}


void pp_err(struct pp *pp, int src, int line, int col, const char *fmt, ...)
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

	pp_sb_putc(b, cur_get(c));
	for (;;) {
		ch = cur_peek(c, 0);
		if (ch < 0 || ch == '\n')
			return;		/* unterminated: the compiler's lexer says so */
		pp_sb_putc(b, cur_get(c));
		if (ch == '\\' && cur_peek(c, 0) >= 0 && cur_peek(c, 0) != '\n')
			pp_sb_putc(b, cur_get(c));
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
				pp_sb_putc(b, cur_get(c));
			return;
		}
	}
	pp_sb_putc(b, cur_get(c));
}

void pp_tokenize(struct pp *pp, struct pp_file *f, const char *text, size_t len)
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
				pp_sb_putc(&b, cur_get(&c));
		} else if ((ch >= '0' && ch <= '9') ||
			   (ch == '.' && cur_peek(&c, 1) >= '0' && cur_peek(&c, 1) <= '9')) {
			t.kind = PP_NUMBER;
			for (;;) {
				ch = cur_peek(&c, 0);
				if ((ch == '+' || ch == '-') && b.n &&
				    strchr("eEpP", b.s[b.n - 1]))
					pp_sb_putc(&b, cur_get(&c));
				else if (is_id(ch) || ch == '.')
					pp_sb_putc(&b, cur_get(&c));
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
			pp_sb_putc(&b, cur_get(&c));
		}
		t.text = dt_strndup(&pp->cc->ar, pp_sb_str(&b), b.n);
		t.len = (int)b.n;
		pp_vec_push(pp, &f->toks, &t);
		bol = false;
		space = false;
	}
}

bool pp_tok_is(const struct pp_tok *t, const char *s)
{
	return t && (int)strlen(s) == t->len && !memcmp(t->text, s, (size_t)t->len);
}

/* A string literal with both quotes (an unterminated one is kept as is). */
bool pp_str_complete(const struct pp_tok *t)
{
	int bs = 0;

	if (t->kind != PP_STRING || t->len < 2 || t->text[t->len - 1] != '"')
		return false;
	for (int i = t->len - 2; i > 0 && t->text[i] == '\\'; i--)
		bs++;
	return !(bs & 1);
}

/* ----- output ----- */
void pp_out_put(struct pp *pp, const char *s, size_t n)
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
		pp_out_put(pp, "\n", 1);
	snprintf(buf, sizeof(buf), "#line %d \"", line);
	pp_out_put(pp, buf, strlen(buf));
	for (; *name; name++) {
		if (*name == '"' || *name == '\\')
			pp_out_put(pp, "\\", 1);
		pp_out_put(pp, name, 1);
	}
	pp_out_put(pp, "\"\n", 2);
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
		pp_out_put(pp, "\n", 1);
		pp->oline++;
		pp->ofresh = true;
	}
}

bool pp_word_like(const struct pp_tok *t)
{
	return t->kind == PP_IDENT || t->kind == PP_NUMBER;
}

/* Would A immediately followed by B lex as something else? */
static bool would_merge(const struct pp_tok *a, const struct pp_tok *b)
{
	char buf[4];

	if (pp_word_like(a) && (pp_word_like(b) || b->kind == PP_STRING || b->kind == PP_CHAR))
		return true;
	if (a->kind == PP_NUMBER && (pp_tok_is(b, ".") || pp_tok_is(b, "+") || pp_tok_is(b, "-")))
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

void pp_out_tokens(struct pp *pp, int src, const struct pp_vec *v)
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
				pp_out_put(pp, " ", 1);
		} else if (!pp->ofresh && (t->space || would_merge(prev, t))) {
			pp_out_put(pp, " ", 1);
		}
		pp_out_put(pp, t->text, (size_t)t->len);
		pp->ofresh = false;
		prev = t;
	}
}
