/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dt_cpp.h: the preprocessor's private types and the functions its files
 * share (dt_cpp.c: directives, conditionals, #include and the driver;
 * dt_cpp_lex.c: tokens, hide sets, tokenizing and output; dt_cpp_macro.c:
 * macro expansion and #define; dt_cpp_expr.c: #if expressions).
 */
#ifndef KTRACE_DT_CPP_H
#define KTRACE_DT_CPP_H

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

/* A growing string on the arena (out of memory: dt_alloc longjmps). */
struct pp_sbuf {
	struct dt_arena	*ar;
	char		*s;
	size_t		n, cap;
};

/* dt_cpp_lex.c */
void pp_vec_push(struct pp *pp, struct pp_vec *v, const struct pp_tok *t);
void pp_vec_append(struct pp *pp, struct pp_vec *v, const struct pp_vec *w);
bool pp_hs_has(const struct pp_hs *h, int id);
const struct pp_hs *pp_hs_add(struct pp *pp, const struct pp_hs *h, int id);
const struct pp_hs *pp_hs_union(struct pp *pp, const struct pp_hs *a, const struct pp_hs *b);
const struct pp_hs *pp_hs_inter(struct pp *pp, const struct pp_hs *a, const struct pp_hs *b);
void pp_sb_putc(struct pp_sbuf *b, int ch);
const char *pp_sb_str(struct pp_sbuf *b);
void pp_err(struct pp *pp, int src, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void pp_tokenize(struct pp *pp, struct pp_file *f, const char *text, size_t len);
bool pp_tok_is(const struct pp_tok *t, const char *s);
bool pp_str_complete(const struct pp_tok *t);
void pp_out_put(struct pp *pp, const char *s, size_t n);
bool pp_word_like(const struct pp_tok *t);
void pp_out_tokens(struct pp *pp, int src, const struct pp_vec *v);

/* dt_cpp_macro.c */
struct pp_macro *pp_macro_get(struct pp *pp, const char *name, int len);
struct pp_macro *pp_macro_new(struct pp *pp, const char *name, int len);
struct pp_macro *pp_macro_defined(struct pp *pp, const struct pp_tok *t);
void pp_expand(struct pp *pp, struct pp_file *f, const struct pp_vec *in, struct pp_vec *out);
void pp_directive_line(struct pp_file *f, struct pp_vec *line);
void pp_do_define(struct pp *pp, struct pp_file *f, const struct pp_tok *hash,
		  struct pp_vec *l);

/* dt_cpp_expr.c */
int pp_eval_if(struct pp *pp, struct pp_file *f, const struct pp_tok *hash, struct pp_vec *l);

/* dt_cpp.c */
void pp_directive(struct pp *pp, struct pp_file *f);

#endif /* KTRACE_DT_CPP_H */
