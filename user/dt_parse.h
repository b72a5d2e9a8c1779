/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dt_parse.h: what the parser's files share, each calling only those
 * before it: dt_parse_expr.c (helpers, expressions) and dt_parse_type.c
 * (type names; struct, union and enum types), one room as types and
 * expressions nest each other; dt_decl.c (typedef, inline, translator,
 * provider, extern); dt_parse.c (statements, declarations of variables,
 * pragmas, clauses, the entry points).  Private to them.
 */
#ifndef KTRACE_DT_PARSE_H
#define KTRACE_DT_PARSE_H

#include "dt_impl.h"

#define DT_MAX_DEPTH	200

bool dt_typedef_lookup(const char *name, int *size, bool *sign);

struct ps {
	struct dt_cc	*cc;
	struct dt_lexer	lx;
	int		depth;
	bool		in_pred;
	bool		failed;		/* a syntax error since the last sync point */
	bool		defer;		/* a library file: kernel struct names are looked up
					 * when used, not while parsing (no BTF at start) */
	const char	*sname_out;	/* the last type parsed is kernel "struct sname_out"
					 * (or a pointer to it), deferred */
};

/* The specifiers of a type (before any '*'), as parse_type_spec() read them. */
struct type_spec {
	struct dt_type	t;
	bool		isstruct;	/* a kernel struct/union: sname */
	bool		tagdef;		/* struct/union/enum with its body: a declaration */
	struct dt_token	start;		/* first token, for diagnostics */
	struct dt_token	sname;		/* struct NAME */
	int		tagkind;	/* its T_STRUCT or T_UNION */
	const char	*pname;		/* the type's name as print( ) shows it ("uint64_t") */
	uint16_t	penum;		/* an enum declared in D: its dstruct index + 1 */
};

#define TOK(p)	((p)->lx.tok)

/* dt_parse_expr.c: the parser's helpers, and expressions */
struct dt_node *ps_mk(struct ps *p, int kind, const struct dt_token *at);
void ps_next(struct ps *p);
void ps_syntax_error(struct ps *p, const struct dt_token *t);
bool ps_expect(struct ps *p, int kind);
struct dt_node *ps_err_node(struct ps *p);
bool ps_enter(struct ps *p);
struct dt_node *ps_parse_list(struct ps *p, int close, int *count);
struct dt_node *ps_parse_postfix(struct ps *p);
struct dt_node *ps_parse_assign(struct ps *p);
struct dt_node *ps_parse_expr(struct ps *p);

/* dt_parse_type.c: type names; struct, union and enum types */
bool ps_is_type_start(int k);
bool ps_is_type_tok(const struct dt_token *t);	/* also float, double */
bool ps_parse_type(struct ps *p, struct dt_type *t);
bool ps_parse_type_spec(struct ps *p, struct type_spec *ts);
bool ps_parse_type_ptrs(struct ps *p, const struct type_spec *ts, struct dt_type *t);
bool ps_tag_type(struct ps *p, struct type_spec *ts);
char *dt_tag_key(struct dt_cc *cc, int kind, const char *name);

/* dt_decl.c */
void ps_decl_special(struct ps *p);	/* typedef, inline, translator, provider */

#endif /* KTRACE_DT_PARSE_H */
