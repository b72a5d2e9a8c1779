// SPDX-License-Identifier: GPL-2.0
/*
 * The C preprocessor (ktrace -C): the integer constant expressions of #if and #elif.
 * dt_cpp.c has the overview and the driver; dt_cpp.h the shared types.
 */
#include "dt_cpp.h"

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
	if (pp_tok_is(t, "-"))
		return -(uint64_t)ev_unary(e, live);
	if (pp_tok_is(t, "+"))
		return ev_unary(e, live);
	if (pp_tok_is(t, "~"))
		return ~ev_unary(e, live);
	if (pp_tok_is(t, "!"))
		return !ev_unary(e, live);
	if (pp_tok_is(t, "(")) {
		v = ev_cond(e, live);
		t = ev_peek(e);
		if (!t || !pp_tok_is(t, ")"))
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
		if (pp_tok_is(t, ops[i].op))
			return ops[i].prec;
	return 0;
}

static int64_t ev_binop(struct pp_eval *e, const struct pp_tok *op, int64_t a, int64_t b,
			bool live)
{
	if (pp_tok_is(op, "*")) return (int64_t)((uint64_t)a * (uint64_t)b);
	if (pp_tok_is(op, "/") || pp_tok_is(op, "%")) {
		if (!b) {
			if (live)
				ev_fail(e, op, "division by zero in #if");
			return 0;
		}
		if (a == INT64_MIN && b == -1)
			return pp_tok_is(op, "/") ? a : 0;
		return pp_tok_is(op, "/") ? a / b : a % b;
	}
	if (pp_tok_is(op, "+")) return (int64_t)((uint64_t)a + (uint64_t)b);
	if (pp_tok_is(op, "-")) return (int64_t)((uint64_t)a - (uint64_t)b);
	if (pp_tok_is(op, "<<")) return b < 0 || b > 63 ? 0 : (int64_t)((uint64_t)a << b);
	if (pp_tok_is(op, ">>")) return b < 0 || b > 63 ? (a < 0 ? -1 : 0) : a >> b;
	if (pp_tok_is(op, "<")) return a < b;
	if (pp_tok_is(op, ">")) return a > b;
	if (pp_tok_is(op, "<=")) return a <= b;
	if (pp_tok_is(op, ">=")) return a >= b;
	if (pp_tok_is(op, "==")) return a == b;
	if (pp_tok_is(op, "!=")) return a != b;
	if (pp_tok_is(op, "&")) return a & b;
	if (pp_tok_is(op, "^")) return a ^ b;
	if (pp_tok_is(op, "|")) return a | b;
	if (pp_tok_is(op, "&&")) return a && b;
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
		if (pp_tok_is(op, "&&") && !a)
			rlive = false;
		if (pp_tok_is(op, "||") && a)
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

	if (!t || !pp_tok_is(t, "?"))
		return c;
	e->pos++;
	a = ev_cond(e, live && c);
	t = ev_peek(e);
	if (!t || !pp_tok_is(t, ":")) {
		ev_fail(e, t, "'?' without following ':'");
		return 0;
	}
	e->pos++;
	b = ev_cond(e, live && !c);
	return c ? a : b;
}

/* Evaluate the #if / #elif line L; -1 on error (diagnosed). */
int pp_eval_if(struct pp *pp, struct pp_file *f, const struct pp_tok *hash, struct pp_vec *l)
{
	struct pp_vec pre = { 0 }, ex = { 0 };
	struct pp_eval e = { pp, f, &ex, 0, false, hash };
	int64_t v;

	/* defined X / defined(X) first, before expansion */
	for (int i = 0; i < l->n; i++) {
		const struct pp_tok *t = &l->v[i];
		struct pp_tok one;
		bool paren;

		if (!pp_tok_is(t, "defined")) {
			pp_vec_push(pp, &pre, t);
			continue;
		}
		paren = i + 1 < l->n && pp_tok_is(&l->v[i + 1], "(");
		i += paren ? 2 : 1;
		if (i >= l->n || l->v[i].kind != PP_IDENT ||
		    (paren && (i + 1 >= l->n || !pp_tok_is(&l->v[i + 1], ")")))) {
			pp_err(pp, f->src, t->line, t->col,
			       "operator \"defined\" requires an identifier");
			return -1;
		}
		one = *t;
		one.kind = PP_NUMBER;
		one.text = pp_macro_defined(pp, &l->v[i]) ? "1" : "0";
		one.len = 1;
		pp_vec_push(pp, &pre, &one);
		i += paren ? 1 : 0;
	}
	pp_expand(pp, f, &pre, &ex);
	v = ev_cond(&e, true);
	if (!e.err && e.pos < ex.n)
		ev_fail(&e, &ex.v[e.pos], "missing binary operator in #if");
	return e.err ? -1 : v != 0;
}
