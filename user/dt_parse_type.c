// SPDX-License-Identifier: GPL-2.0
/*
 * The D parser's type names: specifiers (char, unsigned long, typedef
 * names, struct NAME), pointers, and the struct, union and enum types
 * declared in them with their bodies (members, enumerators), which fill
 * the compilation's tables (struct dt_cc).  Types and expressions nest
 * each other (a cast or sizeof holds a type; an enumerator's value is an
 * expression), so this file and dt_parse_expr.c are one room of the
 * parser; dt_decl.c and dt_parse.c are above them.
 */
#include <stdlib.h>
#include <string.h>
#include "dt_parse.h"
#include "dt_tc.h"

bool ps_is_type_start(int k)
{
	return k == T_CHAR || k == T_SHORT || k == T_INT_KW || k == T_LONG || k == T_SIGNED ||
	       k == T_UNSIGNED || k == T_VOID || k == T_STRING_KW || k == T_STRUCT ||
	       k == T_UNION || k == T_ENUM || k == T_CONST || k == T_VOLATILE ||
	       k == T_TYPEDEF_NAME;
}

static struct dt_dstruct *dstruct_new(struct dt_cc *cc, const char *name, int kind);

/*
 * A pointer to "struct NAME" that is neither a kernel type nor declared in
 * D: a forward tag, as C's incomplete types.  The pointer can be kept and
 * cast; its members are an error until a D declaration defines NAME.
 */
static bool forward_tag(struct ps *p, const struct type_spec *ts, struct dt_type *t)
{
	struct dt_cc *cc = p->cc;
	char *key = dt_tag_key(cc, ts->tagkind, ts->sname.sval);
	struct dt_dstruct *ds = dt_hget(&cc->tags, key, (uint32_t)strlen(key));

	if (!ds) {
		ds = dstruct_new(cc, ts->sname.sval, ts->tagkind);
		ds->fsrc = ts->sname.src;
		ds->fline = ts->sname.line;
		ds->fcol = ts->sname.col;
		if (!dt_hput(&cc->tags, key, (uint32_t)strlen(key), ds))
			dt_oom();
	}
	for (int i = 0; i < cc->ndstructs; i++)
		if (cc->dstructs[i] == ds)
			t->dstruct = (uint16_t)(i + 1);
	t->btf = 0;
	return true;
}

bool ps_is_type_tok(const struct dt_token *t)
{
	return ps_is_type_start(t->kind) ||
	       (t->kind == T_IDENT && (!strcmp(t->sval, "float") || !strcmp(t->sval, "double")));
}

/* An integer type's name as C names it (what print( ) shows): "unsigned long long" */
static const char *int_pname(int nchar, int nshort, int nlong, int nsigned, int nunsigned)
{
	static const char *const names[2][5] = {
		{ "char", "short", "int", "long", "long long" },
		{ "unsigned char", "unsigned short", "unsigned int", "unsigned long",
		  "unsigned long long" },
	};
	int w = nchar ? 0 : nshort ? 1 : 2 + nlong;

	if (nchar && nsigned)
		return "signed char";
	return names[nunsigned ? 1 : 0][w];
}

/* type := specifiers { '*' } ; returns false after a diagnosed error */
bool ps_parse_type_spec(struct ps *p, struct type_spec *ts)
{
	int nlong = 0, nshort = 0, nchar = 0, nint = 0, nsigned = 0, nunsigned = 0, nfloat = 0;
	int ndouble = 0;
	bool isvoid = false, isstring = false, istd = false, istag = false, any = false, ktd = false;
	const struct dt_dtype *utd = NULL;
	int tdsize = 0;
	bool tdsign = true;
	struct dt_token start = TOK(p);
	struct dt_type *t = &ts->t;

	memset(ts, 0, sizeof(*ts));
	ts->start = start;
	for (;;) {
		int k = TOK(p).kind;

		if (k == T_CONST || k == T_VOLATILE) {
			ps_next(p);
			continue;
		}
		if (k == T_LONG)
			nlong++;
		else if (k == T_SHORT)
			nshort++;
		else if (k == T_CHAR)
			nchar++;
		else if (k == T_INT_KW)
			nint++;
		else if (k == T_SIGNED)
			nsigned++;
		else if (k == T_UNSIGNED)
			nunsigned++;
		else if (k == T_VOID)
			isvoid = true;
		else if (k == T_STRING_KW)
			isstring = true;
		else if (k == T_IDENT && !strcmp(TOK(p).sval, "float"))
			nfloat++;
		else if (k == T_IDENT && !strcmp(TOK(p).sval, "double"))
			ndouble++;
		else if (k == T_TYPEDEF_NAME && !istd && !any) {
			istd = true;
			ts->pname = TOK(p).sval;
			utd = dt_hget(&p->cc->typedefs, TOK(p).sval, (uint32_t)strlen(TOK(p).sval));
			if (!utd && !dt_typedef_lookup(TOK(p).sval, &tdsize, &tdsign)) {
				/* a kernel typedef of a struct (dt_ktypedef_lookup()) */
				ktd = true;
				ts->isstruct = true;
				ts->sname = TOK(p);
			} else if (utd && utd->sname) {
				ts->isstruct = true;
				ts->sname = TOK(p);
				ts->sname.sval = (char *)utd->sname;
			}
		} else if ((k == T_STRUCT || k == T_UNION || k == T_ENUM) && !any) {
			if (!ps_tag_type(p, ts))
				return false;
			istag = true;
		} else
			break;
		any = true;
		ps_next(p);
	}
	if (!any) {
		ps_syntax_error(p, &TOK(p));
		return false;
	}
	if ((isvoid || isstring || istd || istag) &&
	    (nlong || nshort || nchar || nint || nsigned || nunsigned || istd + istag > 1)) {
		dt_error(p->cc, start.src, start.line, start.col, "D_TYPE_ERR",
			 "invalid type combination");
		return false;
	}
	if ((nfloat || ndouble) &&
	    (nfloat + ndouble > 1 || isvoid || isstring || istd || istag || nshort || nchar ||
	     nint || nsigned || nunsigned || nlong > (ndouble ? 1 : 0))) {
		dt_error(p->cc, start.src, start.line, start.col, "D_TYPE_ERR",
			 "invalid type combination");
		return false;
	}
	if (nlong > 2 || (nshort && (nlong || nchar)) || (nchar && (nlong || nint)) ||
	    (nsigned && nunsigned) || nshort > 1 || nchar > 1 || nint > 1) {
		dt_error(p->cc, start.src, start.line, start.col, "D_TYPE_ERR",
			 "invalid type combination");
		return false;
	}
	if (nfloat || ndouble) {
		t->kind = DT_T_FLOAT;
		t->size = nfloat ? 4 : nlong ? 16 : 8;
		t->sign = false;	/* its bits, loaded without sign extension */
		ts->pname = nfloat ? "float" : nlong ? "long double" : "double";
	} else if (isstring) {
		t->kind = DT_T_STRING;
		ts->pname = "string";
	} else if (isvoid) {
		t->kind = DT_T_VOID;
		ts->pname = "void";
	} else if (istag) {
		/* set by ps_tag_type() */
	} else if (utd) {
		*t = utd->t;
	} else if (ktd) {
		*t = (struct dt_type){ .kind = DT_T_VOID };	/* the struct, looked up as a tag's */
	} else if (istd) {
		*t = DT_INT_TYPE(tdsize, tdsign);
	} else {
		int size = nchar ? 1 : nshort ? 2 : nlong ? 8 : 4;

		*t = DT_INT_TYPE(size, !nunsigned);
		t->ischar = nchar && !nsigned && !nunsigned;
		ts->pname = int_pname(nchar, nshort, nlong, nsigned, nunsigned);
	}
	ts->start = start;
	return true;
}

/*
 * The '*'s of one declarator applied to the specifiers TS: in
 * "int *a, b;" a is a pointer and b an int.
 */
bool ps_parse_type_ptrs(struct ps *p, const struct type_spec *ts, struct dt_type *t)
{
	const struct dt_token start = ts->start;

	*t = ts->t;
	p->sname_out = NULL;
	while (TOK(p).kind == T_STAR) {
		ps_next(p);
		if (t->kind == DT_T_STRING) {
			dt_error(p->cc, start.src, start.line, start.col, "D_TYPE_ERR",
				 "pointers to string are not supported");
			return false;
		}
		if (t->kind != DT_T_PTR) {
			t->bsize = t->kind == DT_T_INT ? t->size : 0;
			t->bsign = t->sign;
			t->kind = DT_T_PTR;
			t->size = 8;
			t->sign = false;
			t->pdepth = 1;
		} else if (t->pdepth < 8) {
			t->pdepth++;
		}
		while (TOK(p).kind == T_CONST || TOK(p).kind == T_VOLATILE)
			ps_next(p);
	}
	if (!ts->isstruct)
		return true;
	if (p->defer) {		/* looked up when used (dt_dtype_resolve()) */
		p->sname_out = ts->sname.sval;
		return true;
	}
	if (!p->cc->opts->btf_path) {
		if (t->kind == DT_T_VOID) {
			dt_error(p->cc, start.src, start.line, start.col, "D_TYPE_ERR",
				 "struct types are only supported as pointers");
			return false;
		}
		return true;	/* an opaque pointer without kernel types */
	}
	if (t->kind == DT_T_PTR && ts->tagkind) {
		struct dt_btf *b = dt_btf_get(p->cc, ts->sname.src, ts->sname.line,
					      ts->sname.col);

		if (!b)
			return false;
		if (!dt_btf_struct(b, ts->sname.sval))
			return forward_tag(p, ts, t);
	}
	return dt_kstruct_type(p->cc, ts->sname.sval, t, ts->sname.src, ts->sname.line,
			       ts->sname.col);
}

bool ps_parse_type(struct ps *p, struct dt_type *t)
{
	struct type_spec ts;

	return ps_parse_type_spec(p, &ts) && ps_parse_type_ptrs(p, &ts, t);
}

/* ----- struct, union and enum types declared in D ----- */
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

/* the key of a struct, union or enum tag in cc->tags: "struct NAME" */
char *dt_tag_key(struct dt_cc *cc, int kind, const char *name)
{
	size_t n = strlen(name) + 8;
	char *k = dt_alloc(&cc->ar, n);

	snprintf(k, n, "%s %s", dt_tag_word(kind), name);
	return k;
}

/* A member declaration list: { TYPE NAME [ '[' N ']' ] {, ...} ; ... } */
/* The ")(PARAMS)" that ends a function pointer declarator: skipped */
static bool skip_fn_params(struct ps *p)
{
	int depth = 0;

	if (!ps_expect(p, T_RPAREN))
		return false;
	if (TOK(p).kind != T_LPAREN) {
		ps_syntax_error(p, &TOK(p));
		return false;
	}
	do {
		if (TOK(p).kind == T_EOF) {
			ps_syntax_error(p, &TOK(p));
			return false;
		}
		depth += TOK(p).kind == T_LPAREN ? 1 : TOK(p).kind == T_RPAREN ? -1 : 0;
		ps_next(p);
	} while (depth > 0);
	return true;
}

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
			bool fnptr = false;

			memset(sm, 0, sizeof(*sm));
			if (!ps_parse_type_ptrs(p, &ts, &sm->type.t))
				return false;
			sm->type.sname = p->sname_out;
			sm->pname = ts.pname;
			sm->penum = ts.penum;
			sm->type.src = at.src;
			sm->type.line = at.line;
			sm->type.col = at.col;
			if (TOK(p).kind == T_LPAREN) {
				/* a function pointer, RET (*NAME[N])(PARAMS): a void * */
				ps_next(p);
				if (!ps_expect(p, T_STAR))
					return false;
				while (TOK(p).kind == T_STAR)
					ps_next(p);
				sm->type.t = (struct dt_type){ .kind = DT_T_PTR, .size = 8, .pdepth = 1 };
				sm->type.sname = NULL;
				fnptr = true;
			}
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
			if (fnptr && !skip_fn_params(p))
				return false;
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
	struct dt_enumer en[1024];
	int64_t next = 0;
	int n = 0;

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
		if (n < 1024) {		/* what print( ) names (more are rare: shown as numbers) */
			en[n].name = at.sval;
			en[n++].val = next;
		}
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
	ds->en = dt_alloc(&p->cc->ar, sizeof(*en) * (size_t)(n ? n : 1));
	memcpy(ds->en, en, sizeof(*en) * (size_t)n);
	ds->nenums = n;
	ds->defined = true;
	return true;
}

/* "struct NAME", or "struct" for an anonymous one: as print( ) names it */
static const char *tag_pname(struct dt_cc *cc, int kind, const char *name)
{
	return name ? dt_tag_key(cc, kind, name) : dt_tag_word(kind);
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
		key = dt_tag_key(cc, kind, name.sval);
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
	ts->pname = tag_pname(cc, kind, key ? name.sval : NULL);
	if (kind == T_ENUM) {
		struct dt_btf *b;
		int size;
		bool sign;

		for (int i = 0; ds && i < cc->ndstructs; i++)
			if (cc->dstructs[i] == ds)
				ts->penum = (uint16_t)(i + 1);

		/* not declared in D: the kernel's, an integer of its size */
		if (!ds && !p->defer && cc->opts->btf_path && (b = dt_btf_try(cc)) &&
		    dt_btf_enum(b, name.sval, &size, &sign)) {
			ts->t = DT_INT_TYPE(size, sign);
			return true;
		}
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
	ts->tagkind = kind;
	return true;
}
