// SPDX-License-Identifier: GPL-2.0
/*
 * The D parser's expressions: C's operators and precedence, plus '^^',
 * self->x, this->x, args[], `sym, stringof and $macros; the closing '/'
 * of a predicate told from a division (see dt_parse.c).
 */
#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "dt_parse.h"

/* ----- the parser's helpers, for every file of it ----- */
struct dt_node *ps_mk(struct ps *p, int kind, const struct dt_token *at)
{
	return dt_node_new(p->cc, kind, at->src, at->line, at->col);
}

void ps_next(struct ps *p)
{
	p->lx.quiet = p->failed;	/* no lexer errors while skipping after one */
	dt_lex_next(&p->lx);
}

void ps_syntax_error(struct ps *p, const struct dt_token *t)
{
	char near[64];

	if (p->failed)
		return;
	p->failed = true;
	if (t->kind == T_ERR)
		return;		/* the lexer said why */
	if (t->kind == T_EOF) {
		dt_error(p->cc, t->src, t->line, t->col, "D_SYNTAX",
			 "syntax error: unexpected end of input");
		return;
	}
	if (t->kind == T_IDENT || t->kind == T_TYPEDEF_NAME)
		snprintf(near, sizeof(near), "%.48s", t->sval);
	else if (t->kind == T_INT || t->kind == T_CHR)
		snprintf(near, sizeof(near), "%.*s", 48, p->lx.s + t->pos);
	else if (t->kind == T_STR)
		snprintf(near, sizeof(near), "\"%.40s\"", t->sval);
	else if (t->kind == T_MACRO)
		snprintf(near, sizeof(near), "$%s%.40s", t->dollar2 ? "$" : "", t->sval);
	else if (t->kind == T_AGG)
		snprintf(near, sizeof(near), "@%.40s", t->sval);
	else
		snprintf(near, sizeof(near), "%s", dt_tok_name(t->kind));
	/* only keep what a token could be (ints: digits and suffixes) */
	if (t->kind == T_INT) {
		size_t i = 0;

		while (near[i] && (isalnum((unsigned char)near[i])))
			i++;
		near[i] = '\0';
	}
	dt_error(p->cc, t->src, t->line, t->col, "D_SYNTAX", "syntax error near \"%s\"", near);
}

bool ps_expect(struct ps *p, int kind)
{
	if (TOK(p).kind == kind) {
		ps_next(p);
		return true;
	}
	ps_syntax_error(p, &TOK(p));
	return false;
}

struct dt_node *ps_err_node(struct ps *p)
{
	struct dt_node *n = ps_mk(p, DT_N_INT, &TOK(p));

	n->type.kind = DT_T_ERR;
	return n;
}

bool ps_enter(struct ps *p)
{
	if (++p->depth > DT_MAX_DEPTH) {
		if (!p->failed)
			dt_error(p->cc, TOK(p).src, TOK(p).line, TOK(p).col, "D_SYNTAX",
				 "expression or statement nested too deeply");
		p->failed = true;
		return false;
	}
	return true;
}

/* args := expr { ',' expr } ; into a list, up to the closing token. */
struct dt_node *ps_parse_list(struct ps *p, int close, int *count)
{
	struct dt_node *head = NULL, **tail = &head;
	int n = 0;

	if (TOK(p).kind != close) {
		for (;;) {
			struct dt_node *e = ps_parse_assign(p);

			*tail = e;
			tail = &e->next;
			n++;
			if (TOK(p).kind != T_COMMA)
				break;
			ps_next(p);
		}
	}
	ps_expect(p, close);
	if (count)
		*count = n;
	return head;
}

/* ----- expressions ----- */
/* Is the '/' at the current token the end of a predicate? */
static bool pred_close_here(struct ps *p)
{
	const struct dt_lexer *lx = &p->lx;
	size_t i;
	bool nl = false;

	if (lx->npeek) {
		const struct dt_token *t = &lx->peek[0];

		return t->kind == T_LBRACE || t->kind == T_EOF || t->line != TOK(p).line;
	}
	i = lx->pos;
	while (i < lx->len) {
		char c = lx->s[i];

		if (c == '\n') {
			nl = true;
			i++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			i++;
		} else if (c == '/' && i + 1 < lx->len && lx->s[i + 1] == '*') {
			const char *e = NULL;

			for (size_t j = i + 2; j + 1 < lx->len; j++)
				if (lx->s[j] == '*' && lx->s[j + 1] == '/') {
					e = lx->s + j;
					break;
				}
			if (!e)
				return true;
			for (const char *q = lx->s + i; q < e; q++)
				if (*q == '\n')
					nl = true;
			i = (size_t)(e - lx->s) + 2;
		} else if (c == '/' && i + 1 < lx->len && lx->s[i + 1] == '/') {
			while (i < lx->len && lx->s[i] != '\n')
				i++;
		} else {
			return c == '{' || nl;
		}
	}
	return true;
}

static struct dt_node *parse_primary(struct ps *p)
{
	struct dt_token t = TOK(p);
	struct dt_node *n;

	switch (t.kind) {
	case T_INT:
	case T_CHR:
		n = ps_mk(p, DT_N_INT, &t);
		n->ival = t.ival;
		n->type = DT_INT_TYPE(t.islong ? 8 : 4, !t.isunsigned);
		if (t.kind == T_CHR)
			n->type = DT_INT_TYPE(t.islong ? 8 : 4, true);
		n->isconst = true;
		ps_next(p);
		return n;
	case T_STR:
		n = ps_mk(p, DT_N_STR, &t);
		n->sval = t.sval;
		n->slen = t.slen;
		ps_next(p);
		/* adjacent string literals concatenate */
		while (TOK(p).kind == T_STR) {
			char *s = dt_alloc(&p->cc->ar, n->slen + TOK(p).slen + 1);

			memcpy(s, n->sval, n->slen);
			memcpy(s + n->slen, TOK(p).sval, TOK(p).slen);
			n->sval = s;
			n->slen += TOK(p).slen;
			ps_next(p);
		}
		return n;
	case T_IDENT:
		n = ps_mk(p, DT_N_IDENT, &t);
		n->sval = t.sval;
		ps_next(p);
		if (TOK(p).kind == T_KSYM && TOK(p).pos == t.pos + t.slen) {
			/* mod`sym: a kernel symbol of a module (vmlinux`max_pfn) */
			size_t len = t.slen + 1 + TOK(p).slen;

			n->kind = DT_N_KSYM;
			n->sval = dt_alloc(&p->cc->ar, len + 1);
			snprintf(n->sval, len + 1, "%s`%s", t.sval, TOK(p).sval);
			ps_next(p);
			return n;
		}
		if (TOK(p).kind == T_LPAREN) {
			ps_next(p);
			n->kind = DT_N_CALL;
			n->b = ps_parse_list(p, T_RPAREN, NULL);
		} else if (!strcmp(n->sval, "args") && TOK(p).kind == T_LBRACK) {
			ps_next(p);
			n->kind = DT_N_ARGS;
			n->a = ps_parse_expr(p);
			ps_expect(p, T_RBRACK);
		}
		return n;
	case T_MACRO:
		n = ps_mk(p, DT_N_MACRO, &t);
		n->sval = t.sval;
		n->ival = t.dollar2;
		ps_next(p);
		return n;
	case T_AGG:
		n = ps_mk(p, DT_N_AGGREF, &t);
		n->sval = t.sval;
		ps_next(p);
		if (TOK(p).kind == T_LBRACK) {
			ps_next(p);
			if (TOK(p).kind == T_RBRACK) {	/* @a[]: a subscript needs a key */
				ps_syntax_error(p, &TOK(p));
				return ps_err_node(p);
			}
			n->b = ps_parse_list(p, T_RBRACK, NULL);
			n->ival = 1;	/* indexed: diagnosed by the type checker */
		}
		return n;
	case T_XLATE:	/* xlate < type > ( expr ) */
		n = ps_mk(p, DT_N_XLATE, &t);
		ps_next(p);
		if (!ps_expect(p, T_LT))
			return ps_err_node(p);
		if (!ps_parse_type(p, &n->ctype)) {
			p->failed = true;
			return ps_err_node(p);
		}
		n->csname = p->sname_out;
		if (!ps_expect(p, T_GT) || !ps_expect(p, T_LPAREN))
			return ps_err_node(p);
		n->a = ps_parse_expr(p);
		ps_expect(p, T_RPAREN);
		return n;
	case T_OFFSETOF:	/* offsetof ( type , member ) */
		n = ps_mk(p, DT_N_OFFSETOF, &t);
		ps_next(p);
		if (!ps_expect(p, T_LPAREN))
			return ps_err_node(p);
		if (!ps_parse_type(p, &n->ctype)) {
			p->failed = true;
			return ps_err_node(p);
		}
		n->csname = p->sname_out;
		if (!ps_expect(p, T_COMMA))
			return ps_err_node(p);
		if (TOK(p).kind != T_IDENT) {
			ps_syntax_error(p, &TOK(p));
			return ps_err_node(p);
		}
		n->sval = TOK(p).sval;
		ps_next(p);
		ps_expect(p, T_RPAREN);
		return n;
	case T_KSYM:
		n = ps_mk(p, DT_N_KSYM, &t);
		n->sval = t.sval;
		ps_next(p);
		return n;
	case T_SELF:
	case T_THIS:
		ps_next(p);
		if (TOK(p).kind != T_ARROW) {
			ps_syntax_error(p, &TOK(p));
			return ps_err_node(p);
		}
		ps_next(p);
		if (TOK(p).kind != T_IDENT && !(TOK(p).kind >= T_KW_FIRST &&
						 TOK(p).kind < T_KW_LAST && TOK(p).sval)) {
			ps_syntax_error(p, &TOK(p));
			return ps_err_node(p);
		}
		n = ps_mk(p, t.kind == T_SELF ? DT_N_SELF : DT_N_THIS, &t);
		n->sval = TOK(p).sval;
		ps_next(p);
		return n;
	case T_LPAREN: {
		bool saved = p->in_pred;

		ps_next(p);
		p->in_pred = false;
		n = ps_parse_expr(p);
		p->in_pred = saved;
		ps_expect(p, T_RPAREN);
		return n;
	}
	default:
		ps_syntax_error(p, &t);
		if (t.kind != T_EOF && t.kind != T_RBRACE && t.kind != T_SEMI)
			ps_next(p);
		return ps_err_node(p);
	}
}

struct dt_node *ps_parse_postfix(struct ps *p)
{
	struct dt_node *n = parse_primary(p);

	for (;;) {
		struct dt_token t = TOK(p);
		struct dt_node *m;

		if (t.kind == T_LBRACK) {
			ps_next(p);
			if (TOK(p).kind == T_RBRACK) {	/* a[]: a subscript needs a key */
				ps_syntax_error(p, &TOK(p));
				return ps_err_node(p);
			}
			m = ps_mk(p, DT_N_INDEX, &t);
			m->line = n->line;
			m->col = n->col;
			m->a = n;
			m->b = ps_parse_list(p, T_RBRACK, NULL);
			n = m;
		} else if (t.kind == T_ARROW || t.kind == T_DOT) {
			ps_next(p);
			if (TOK(p).kind != T_IDENT && !(TOK(p).kind >= T_KW_FIRST &&
							 TOK(p).kind < T_KW_LAST && TOK(p).sval)) {
				ps_syntax_error(p, &TOK(p));
				return ps_err_node(p);
			}
			m = ps_mk(p, DT_N_MEMBER, &t);
			m->op = (int16_t)t.kind;
			m->a = n;
			m->sval = TOK(p).sval;
			ps_next(p);
			n = m;
		} else if (t.kind == T_INC || t.kind == T_DEC) {
			ps_next(p);
			m = ps_mk(p, DT_N_POSTOP, &t);
			m->op = (int16_t)t.kind;
			m->a = n;
			n = m;
		} else if (t.kind == T_LPAREN) {
			ps_syntax_error(p, &t);
			return ps_err_node(p);
		} else {
			return n;
		}
	}
}

static struct dt_node *parse_unary(struct ps *p)
{
	struct dt_token t = TOK(p);
	struct dt_node *n;

	if (!ps_enter(p))
		return ps_err_node(p);
	switch (t.kind) {
	case T_MINUS:
	case T_PLUS:
	case T_BANG:
	case T_TILDE:
	case T_STAR:
	case T_AMP:
	case T_INC:
	case T_DEC:
		ps_next(p);
		n = ps_mk(p, DT_N_UNOP, &t);
		n->op = (int16_t)t.kind;
		n->a = parse_unary(p);
		break;
	case T_STRINGOF:
		ps_next(p);
		n = ps_mk(p, DT_N_STRINGOF, &t);
		n->a = parse_unary(p);
		break;
	case T_SIZEOF:
		ps_next(p);
		n = ps_mk(p, DT_N_SIZEOF, &t);
		if (TOK(p).kind == T_LPAREN && ps_is_type_tok(dt_lex_peek(&p->lx, 1))) {
			ps_next(p);
			if (!ps_parse_type(p, &n->ctype))
				p->failed = true;
			n->csname = p->sname_out;
			ps_expect(p, T_RPAREN);
		} else {
			n->a = parse_unary(p);
		}
		break;
	case T_LPAREN:
		if (ps_is_type_tok(dt_lex_peek(&p->lx, 1))) {
			ps_next(p);
			n = ps_mk(p, DT_N_CAST, &t);
			if (!ps_parse_type(p, &n->ctype)) {
				p->failed = true;
				n->ctype.kind = DT_T_ERR;
			}
			n->csname = p->sname_out;
			ps_expect(p, T_RPAREN);
			n->a = parse_unary(p);
			break;
		}
		/* fall through */
	default:
		n = ps_parse_postfix(p);
		break;
	}
	p->depth--;
	return n;
}

/* Binary precedence levels (higher binds tighter); 0: not a binary operator. */
static int binprec(int k)
{
	switch (k) {
	case T_LOR: return 1;
	case T_LXOR: return 2;
	case T_LAND: return 3;
	case T_PIPE: return 4;
	case T_CARET: return 5;
	case T_AMP: return 6;
	case T_EQ: case T_NE: return 7;
	case T_LT: case T_GT: case T_LE: case T_GE: return 8;
	case T_SHL: case T_SHR: return 9;
	case T_PLUS: case T_MINUS: return 10;
	case T_STAR: case T_SLASH: case T_PERCENT: return 11;
	default: return 0;
	}
}

static struct dt_node *parse_binary(struct ps *p, int minprec)
{
	struct dt_node *l = parse_unary(p);

	for (;;) {
		struct dt_token t = TOK(p);
		int prec = binprec(t.kind);
		struct dt_node *n;

		if (!prec || prec < minprec)
			return l;
		if (t.kind == T_SLASH && p->in_pred && pred_close_here(p))
			return l;
		if (!ps_enter(p))
			return l;
		ps_next(p);
		n = ps_mk(p, (t.kind == T_LAND || t.kind == T_LOR || t.kind == T_LXOR) ?
			  DT_N_LOGOP : DT_N_BINOP, &t);
		n->op = (int16_t)t.kind;
		n->a = l;
		n->b = parse_binary(p, prec + 1);
		p->depth--;
		l = n;
	}
}

static struct dt_node *parse_cond(struct ps *p)
{
	struct dt_node *c = parse_binary(p, 1);

	if (TOK(p).kind == T_QUEST) {
		struct dt_node *n = ps_mk(p, DT_N_TERNARY, &TOK(p));

		if (!ps_enter(p))
			return c;
		ps_next(p);
		n->a = c;
		n->b = ps_parse_assign(p);
		ps_expect(p, T_COLON);
		n->c = parse_cond(p);
		p->depth--;
		return n;
	}
	return c;
}

static bool is_assign_op(int k)
{
	return k == T_ASSIGN || (k >= T_ADD_EQ && k <= T_SHR_EQ);
}

struct dt_node *ps_parse_assign(struct ps *p)
{
	struct dt_node *l = parse_cond(p);

	if (is_assign_op(TOK(p).kind)) {
		struct dt_node *n = ps_mk(p, DT_N_ASSIGN, &TOK(p));

		if (!ps_enter(p))
			return l;
		n->op = (int16_t)TOK(p).kind;
		ps_next(p);
		n->a = l;
		n->b = ps_parse_assign(p);
		p->depth--;
		return n;
	}
	return l;
}

struct dt_node *ps_parse_expr(struct ps *p)
{
	struct dt_node *e = ps_parse_assign(p);

	/* C's comma operator, left to right: a, b, c is (a, b), c */
	while (TOK(p).kind == T_COMMA && !p->failed) {
		struct dt_node *n = ps_mk(p, DT_N_COMMA, &TOK(p));

		ps_next(p);
		n->a = e;
		n->b = ps_parse_assign(p);
		e = n;
	}
	return e;
}
