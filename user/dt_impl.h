/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The D compiler's internal interfaces.  The passes, in layers: a file
 * calls only those below it, but within one pass's recursion split for
 * size (docs/architecture.md draws them):
 *   dt_mem.c, dt_diag.c, dt_btf.c   arena, hash map, nodes; diagnostics as
 *                   data; kernel types from BTF, for struct pointers, -> and .
 *   dt_cpp.c        -C: the C preprocessor, source text -> the text
 *                   the lexer reads (dt_source.scan)
 *   dt_lex.c        source text -> tokens (on demand, with a probe
 *                   description mode the parser switches to)
 *   dt_types.c      the type model, declared types' sizes and layouts
 *   dt_builtins.c   subroutines, actions, aggregating functions, built-in
 *                   variables
 *   dt_parse.c      tokens -> syntax tree (dt_ast.h), recursive descent
 *                   (dt_decl.c D declarations, on dt_parse_type.c type
 *                   names and dt_parse_expr.c expressions)
 *   dt_resolve.c    probe descriptions, pragmas, macro arguments,
 *                   declarations, built-in names
 *   dt_typecheck.c  types, implicit declarations in program order,
 *                   aggregations, action/subroutine prototypes, printf
 *                   format checking, constant folding (with dt_tcop.c,
 *                   dt_tcaction.c, dt_tcagg.c, dt_tcstmt.c: dt_tc.h)
 *   dt_xlate.c      (type checker) inlines, translators, provider arguments
 *   dt_tcmember.c   (type checker) members of structs, unions, tracepoints
 *   dt_codegen.c    syntax tree -> instructions and object tables
 *                   (on dt_cg_expr.c expressions, dt_cg_var.c variables,
 *                   dt_cg_assign.c assignments, on dt_cg_emit.c the
 *                   emitter)
 *                   (dt_attr.c each clause's stability attributes)
 *   dt_compile.c    drives them: kt_compile(), kt_prog_free(),
 *                   kt_prog_serialize()
 * Library code: never exits, never prints except kt_diags_print().
 */
#ifndef KT_DT_IMPL_H
#define KT_DT_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <setjmp.h>
#include "kt_user.h"
#include "dt_ast.h"

/* ----- arena: every compile-time allocation, freed at once ----- */
struct dt_arena_blk;
struct dt_arena {
	struct dt_arena_blk	*head;
	bool			oom;
};

/* dt_mem.c.  On allocation failure: longjmp to *dt_oom_jmp (set by kt_compile()). */
extern __thread jmp_buf *dt_oom_jmp;
void dt_oom(void) __attribute__((noreturn));
void *dt_alloc(struct dt_arena *ar, size_t size);	/* zeroed; never NULL (longjmp on OOM) */
char *dt_strndup(struct dt_arena *ar, const char *s, size_t n);
void dt_arena_free(struct dt_arena *ar);

/* ----- a string-keyed hash map (symbols, strtab and ints dedupe) ----- */
struct dt_hent {
	const void	*key;
	uint32_t	klen;
	uint32_t	hash;
	void		*val;
};

struct dt_hmap {
	struct dt_hent	*v;
	uint32_t	cap, n;
};

void *dt_hget(const struct dt_hmap *h, const void *key, uint32_t klen);
/* Insert (key must outlive the map); returns false only on OOM. */
bool dt_hput(struct dt_hmap *h, const void *key, uint32_t klen, void *val);
void dt_hfree(struct dt_hmap *h);

/* ----- tokens ----- */
enum dt_tok {
	T_EOF = 0,
	T_ERR,
	T_INT,		/* ival */
	T_STR,		/* sval/slen */
	T_CHR,		/* ival */
	T_IDENT,
	T_MACRO,	/* $1, $$1, $target: sval without the $; dollar2 for $$ */
	T_AGG,		/* @name (sval, may be "") */
	T_KSYM,		/* `name */
	/* punctuation */
	T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_LBRACE, T_RBRACE,
	T_COMMA, T_SEMI, T_COLON, T_QUEST, T_DOT, T_ARROW,
	T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT,
	T_AMP, T_PIPE, T_CARET, T_TILDE, T_BANG,
	T_LT, T_GT, T_LE, T_GE, T_EQ, T_NE,
	T_SHL, T_SHR,
	T_LAND, T_LOR, T_LXOR,
	T_INC, T_DEC,
	T_ASSIGN, T_ADD_EQ, T_SUB_EQ, T_MUL_EQ, T_DIV_EQ, T_MOD_EQ,
	T_AND_EQ, T_OR_EQ, T_XOR_EQ, T_SHL_EQ, T_SHR_EQ,
	/* keywords */
	T_KW_FIRST,
	T_SELF = T_KW_FIRST, T_THIS, T_IF, T_ELSE, T_WHILE, T_FOR, T_BREAK,
	T_CONTINUE, T_SIZEOF, T_STRINGOF, T_RETURN,
	/* type keywords */
	T_CHAR, T_SHORT, T_INT_KW, T_LONG, T_SIGNED, T_UNSIGNED, T_VOID,
	T_STRING_KW, T_STRUCT, T_CONST, T_VOLATILE, T_STATIC, T_EXTERN,
	T_UNION, T_ENUM, T_TYPEDEF, T_INLINE, T_TRANSLATOR, T_XLATE, T_OFFSETOF,
	T_TYPEDEF_NAME,	/* int8_t..., sval */
	T_KW_LAST,
	T_PRAGMA,	/* #pragma line: sval = rest of the line */
};

struct dt_token {
	int		kind;
	int		src;		/* source (cc->srcs) the token is in */
	int		line, col;
	int64_t		ival;
	bool		isunsigned;	/* INT: suffix u or doesn't fit int64 */
	bool		islong;		/* INT: suffix l/ll or too big for int */
	bool		dollar2;	/* MACRO: $$ */
	char		*sval;
	uint32_t	slen;
	uint32_t	pos;		/* byte offset of the token */
};

struct dt_source {
	const char	*name;		/* file name for diagnostics */
	const char	*text;		/* as written (diagnostics show its lines) */
	size_t		len;
	const char	*scan;		/* what the lexer reads: text, or dt_cpp()'s output */
	size_t		scanlen;
	bool		lib;		/* a D library file: declarations only, kernel
					 * types looked up when used (dt_decl.c) */
};

struct dt_cc;

struct dt_lexer {
	struct dt_cc	*cc;
	int		src;
	const char	*s;
	size_t		len, pos;
	int		line;
	size_t		linestart;
	struct dt_token	tok;		/* current token */
	struct dt_token	peek[2];	/* lookahead */
	int		npeek;
	bool		quiet;		/* recovering from an error: lexical errors not reported */
};

void dt_lex_init(struct dt_lexer *lx, struct dt_cc *cc, int src);
void dt_lex_next(struct dt_lexer *lx);		/* advance lx->tok */
const struct dt_token *dt_lex_peek(struct dt_lexer *lx, int n);	/* n = 1, 2 */
/* Skip spaces/comments; true if at EOF afterwards. */
bool dt_lex_skip_space(struct dt_lexer *lx);
/* Probe description mode: read one raw description at the current position. */
bool dt_lex_probedesc(struct dt_lexer *lx, char **out, int *line, int *col);
const char *dt_tok_name(int kind);
/* Raw reader at the current token's start / right after it (drops lookahead). */
void dt_lex_rewind(struct dt_lexer *lx);
void dt_lex_resync(struct dt_lexer *lx);

/* ----- identifiers ----- */
enum dt_idkind {
	DT_ID_VAR,	/* user variable (scope in 'scope') */
};

struct dt_ident {
	char		*name;
	int		scope;		/* KTRACE_SCOPE_* */
	int		index;		/* var desc index */
	struct dt_type	type;
	bool		typed;		/* type known (declared or assigned) */
	bool		declared;	/* explicit declaration */
	int		nkeys;		/* arrays: -1 unknown yet */
	struct dt_type	keys[KTRACE_MAX_KEYS];
	int		src, line, col;	/* first definition */
	/* a struct/union declared in D: its bytes in nwords 64-bit words, word 0
	 * this variable's own, word k > 0 the hidden variable word1 + k - 1 */
	int		nwords, word1;
	/* a declared array (int a[N], global): N elements of type `type`, read
	 * and written with ldgx/stgx, its value (a) their address (adrg) */
	uint32_t	nelems;
};

struct dt_aggr {
	char		*name;		/* without '@' */
	int		index;
	int		func;		/* KTRACE_AGG_* */
	int		nkeys;		/* number of tuple elements */
	int		nuser;		/* number of keys as written */
	struct dt_type	keys[KTRACE_MAX_KEYS];
	uint8_t		kdtype[KTRACE_MAX_KEYS];
	int64_t		params[4];
	struct dt_type	valtype;
	int		src, line, col;
};

/* ----- kernel types (dt_btf.c) ----- */
/* BTF's kinds (include/uapi/linux/btf.h), as dt_btf_kind() gives them */
enum {
	BTF_KIND_INT = 1, BTF_KIND_PTR, BTF_KIND_ARRAY, BTF_KIND_STRUCT, BTF_KIND_UNION,
	BTF_KIND_ENUM, BTF_KIND_FWD, BTF_KIND_TYPEDEF, BTF_KIND_VOLATILE, BTF_KIND_CONST,
	BTF_KIND_RESTRICT, BTF_KIND_FUNC, BTF_KIND_FUNC_PROTO, BTF_KIND_VAR, BTF_KIND_DATASEC,
	BTF_KIND_FLOAT, BTF_KIND_DECL_TAG, BTF_KIND_TYPE_TAG, BTF_KIND_ENUM64,
};
struct dt_btf;
struct dt_btf *dt_btf_get(struct dt_cc *cc, int src, int line, int col);	/* NULL: diagnosed */
struct dt_btf *dt_btf_try(struct dt_cc *cc);	/* NULL: none, not diagnosed */
const char *dt_btf_type_name(uint32_t id);	/* of the compilation in progress */
uint32_t dt_btf_type_size(uint32_t id);
void dt_btf_release(struct dt_cc *cc);
uint32_t dt_btf_struct(const struct dt_btf *b, const char *name);	/* 0: none */
bool dt_btf_typedef_struct(const struct dt_btf *b, const char *name);
bool dt_btf_enum(const struct dt_btf *b, const char *name, int *size, bool *sign);
bool dt_btf_var(const struct dt_btf *b, const char *name, uint32_t *type, bool *percpu);
uint32_t dt_btf_resolve(const struct dt_btf *b, uint32_t id);
int dt_btf_kind(const struct dt_btf *b, uint32_t id);
const char *dt_btf_name(const struct dt_btf *b, uint32_t id);
uint32_t dt_btf_size(const struct dt_btf *b, uint32_t id);
bool dt_btf_member(const struct dt_btf *b, uint32_t sid, const char *name, uint32_t *type,
		   uint32_t *bitoff, uint32_t *bitsize);
bool dt_btf_int(const struct dt_btf *b, uint32_t id, int *size, bool *sign, bool *ischar);
int dt_btf_vlen(const struct dt_btf *b, uint32_t id);
bool dt_btf_member_at(const struct dt_btf *b, uint32_t sid, int i, const char **name,
		      uint32_t *type, uint32_t *bitoff, uint32_t *bitsize);
bool dt_btf_enumerator(const struct dt_btf *b, uint32_t id, int i, const char **name,
		       int64_t *val);
/* print( )'s type table (dt_ptype.c): the object type of print(P) (P's type), index + 1; 0: none */
uint32_t dt_ptype_of_pointee(struct dt_cc *cc, const struct dt_type *ptr);
uint32_t dt_ptype_of(struct dt_cc *cc, const struct dt_type *t);	/* of a struct or union */
uint32_t dt_btf_target(const struct dt_btf *b, uint32_t id, uint32_t *nelems);
bool dt_btf_func_arg(const struct dt_btf *b, const char *func, int idx, uint32_t *type);
bool dt_btf_ptr_to(const struct dt_btf *b, uint32_t target, struct dt_type *t, int depth);
/* Outside a compilation (-lv): the kernel's types from PATH, NULL (and *why) if none. */
struct dt_btf *dt_btf_open(const char *path, const char **why);
void dt_btf_close(struct dt_btf *b);
/* A BTF type as C writes it ("struct file *", "const char *", "size_t"), cut to size. */
void dt_btf_c_name(const struct dt_btf *b, uint32_t id, char *buf, size_t size);
/*
 * args[IDX] of fbt probe FUNC:entry (ret false) or FUNC:return (ret: the
 * return value, args[1]) as the compiler types it: its BTF type *type and
 * D type *t, or false when args[IDX] stays an untyped int64_t (dt_types.c).
 */
bool dt_fbt_arg(const struct dt_btf *b, const char *func, bool ret, int idx, uint32_t *type,
		struct dt_type *t);
/* A BTF type as a D type: false (and *why) if D cannot hold it. */
bool dt_btf_to_type(const struct dt_btf *b, uint32_t id, struct dt_type *t, const char **why);

/* ----- D declarations (dt_decl.c reads them, dt_xlate.c uses them) ----- */
/* A type as declared: kernel struct names are looked up in BTF when used. */
struct dt_dtype {
	struct dt_type	t;
	const char	*sname;		/* t is (a pointer to) kernel "struct sname" */
	uint32_t	nelems;		/* NAME[N]: an array of N (char[N]: a string) */
	uint8_t		ext;		/* extern declarations only: enum dt_ext */
	uint8_t		ndims;		/* DT_EXT_ARRAY: its dimensions (nelems: the first, 0: []) */
	uint8_t		fsize;		/* DT_EXT_FLOAT: float 4, double 8, long double 16 */
	int		src, line, col;
};

/* What an extern declaration names besides a variable of type t (dt_decl.c, dt_ksym.c). */
enum dt_ext {
	DT_EXT_VAR = 0,		/* extern T NAME; */
	DT_EXT_ARRAY,		/* extern T NAME[N]...; its value is its address (a T *) */
	DT_EXT_FUNC,		/* extern T NAME(PARAMS); its value is its address */
	DT_EXT_FLOAT,		/* extern float|double|long double NAME; no value in D */
};

struct dt_smember {
	char		*name;
	struct dt_dtype	type;
	uint32_t	off, size;	/* bytes (a bit-field: the byte of its first bit) */
	uint32_t	bitoff;		/* its first bit */
	uint8_t		bits;		/* a bit-field's width, 0 if it is none */
	const char	*pname;		/* its type's specifier as print( ) names it */
	uint16_t	penum;		/* of an enum declared in D: its dstruct index + 1 */
};

/* An enumerator of an enum declared in D. */
struct dt_enumer {
	char		*name;
	int64_t		val;
};

/* A struct, union or enum declared in D. */
struct dt_dstruct {
	char			*name;		/* "" if anonymous */
	int			kind;		/* T_STRUCT, T_UNION, T_ENUM */
	bool			defined;	/* has its member list */
	int			fsrc, fline, fcol; /* !defined: a forward tag, first named here */
	int			nmembers;
	struct dt_smember	*m;
	int			nenums;		/* an enum's enumerators */
	struct dt_enumer	*en;
	uint32_t		size, align;
	bool			busy;		/* being laid out (containing itself: an error) */
};

/* inline TYPE NAME = EXPR; or inline TYPE NAME[PTYPE PARAM] = EXPR; */
struct dt_inline {
	char		*name;
	struct dt_dtype	type;
	struct dt_node	*expr;		/* as parsed: cloned at each use */
	int		nparams;	/* NAME[k1, k2...]'s parameters, 0: none */
	char		*param[KTRACE_MAX_KEYS];
	struct dt_dtype	ptype[KTRACE_MAX_KEYS];	/* their types (keys converted to them) */
	int		src, line, col;
	bool		busy;		/* being expanded (a cycle is an error) */
};

/* translator OUT < IN NAME > { MEMBER = EXPR; ... }; */
struct dt_xlator {
	struct dt_dtype		out;		/* a D struct */
	struct dt_dtype		in;
	char			*inname;
	struct dt_node		*members;	/* DT_N_ASSIGN list: IDENT(member) = EXPR */
	struct dt_xlator	*next;		/* others for the same output struct */
	int			src, line, col;
};

/* provider NAME { probe PNAME(native...) : (translated...); ... }; */
#define DT_PROBE_MAXARGS	10
struct dt_pprobe {
	char		*name;		/* with "__" turned to "-" */
	int		nnative, nargs;
	struct dt_dtype	native[DT_PROBE_MAXARGS];
	struct dt_dtype	args[DT_PROBE_MAXARGS];
	int		map[DT_PROBE_MAXARGS];	/* args[i] is from native[map[i]] */
	const char	*ntext[DT_PROBE_MAXARGS];	/* native[i]'s type as written */
	const char	*argtext[DT_PROBE_MAXARGS];	/* args[i]'s type as written (-lv) */
	struct dt_pprobe *next;
};


struct dt_pdecl {
	char		*name;
	struct dt_pprobe *probes;
	struct kt_attr	attr[KT_ATTR_NPARTS];
	bool		has_attr;
};

/* ----- the compilation ----- */
struct dt_cc {
	struct dt_arena		ar;
	jmp_buf			oom_jmp;	/* taken on allocation failure */
	struct kt_diags		*diags;
	const struct kt_compile_opts *opts;
	struct dt_source	*srcs;
	int			nsrcs;
	int			nerrors_stop;	/* stop after this many errors */
	bool			defaultargs;
	uint64_t		dversion;	/* the program's D version (KT_D_VERSION) */
	bool			*macro_refd;	/* [1..nmacro_args]: $N read by the program */
	bool			ustack_dwarf;	/* ustack() values are stack samples (ustackmode=dwarf) */
	bool			one_cpu;	/* -x cpu or #pragma D option cpu: cpu */
	uint32_t		cpu;
	bool			destructive_ok;	/* -w or #pragma D option destructive */
	struct dt_btf		*btf;		/* kernel types, once loaded */
	const char		*btf_why;	/* why there are none (tried) */
	bool			btf_diagnosed;	/* ... and said so */
	int			strsize;
	uint64_t		scratchsize;	/* alloca() bytes per clause (a constant size above is an error) */
	uint64_t		printsize;	/* print( ): an object's bytes recorded at most */
	int			nuser_items;	/* declarations and clauses outside the library */

	/* parse output: top-level items of every source in order */
	struct dt_node		*top, *toptail;
	/* options */
	struct kt_option	*options;
	int			noptions, optcap;

	/* symbols */
	struct dt_hmap		globals;	/* GLOBAL and GARRAY */
	struct dt_hmap		tls;		/* TLS and TARRAY */
	struct dt_hmap		locals;		/* LOCAL */
	struct dt_hmap		aggs;
	struct dt_ident		**vars;		/* by index */
	int			nvars, varcap;
	struct dt_aggr		**aggv;
	int			naggs, aggcap;
	int			anon_aggs;

	/* D declarations (dt_decl.c) */
	struct dt_hmap		typedefs;	/* name -> struct dt_dtype */
	struct dt_hmap		tags;		/* "struct N"/"union N"/"enum N" -> dt_dstruct */
	struct dt_dstruct	**dstructs;	/* by dt_type.dstruct - 1 */
	int			ndstructs, dstructcap;
	struct dt_hmap		enumconsts;	/* name -> int64_t * */
	struct dt_hmap		inlines;	/* name -> struct dt_inline */
	struct dt_hmap		xlators;	/* output struct's tag -> struct dt_xlator list */
	struct dt_hmap		pdecls;		/* provider name -> struct dt_pdecl */
	struct dt_hmap		externs;	/* kernel symbol -> struct dt_dtype */

	/*
	 * The type checker's tc_expr(), for the parser: an enumerator's value
	 * is an integer constant expression that dt_parse_type.c must have
	 * while it parses (the next enumerator counts on from it; the
	 * declarations after it may use it), and only the type checker, a
	 * later pass, folds constant expressions.  kt_compile() installs it,
	 * so that the parser calls nothing of the passes above it.
	 */
	void			(*tc_const)(struct dt_cc *cc, struct dt_node *e);

	/* current clause while checking */
	struct dt_node		*clause;
	int			loopdepth;

	/* output being built (dt_codegen.c) */
	struct kt_prog		*prog;
	struct dt_hmap		strmap;
	struct dt_hmap		intmap;
	struct dt_hmap		tpmap;		/* tracepoint layouts by "subsys:event" */
	uint32_t		strcap, intcap, insncap, actcap, clausecap;
	bool			destructive;
};

/* diagnostics helpers (dt_diag.c) */
void dt_error(struct dt_cc *cc, int src, int line, int col, const char *tag,
	      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void dt_warn(struct dt_cc *cc, int src, int line, int col, const char *tag,
	     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void dt_nerror(struct dt_cc *cc, const struct dt_node *n, const char *tag,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
bool dt_too_many_errors(const struct dt_cc *cc);

/* passes */
int dt_cpp(struct dt_cc *cc, int src);	/* appends #include'd files to cc->srcs */
int dt_parse(struct dt_cc *cc, int src);
int dt_parse_probe_only(struct dt_cc *cc, int src);
int dt_resolve(struct dt_cc *cc);
int dt_typecheck(struct dt_cc *cc);
int dt_codegen(struct dt_cc *cc);
/* dt_attr.c: a clause's stability attributes (ktrace -v) */
void dt_clause_attrs(const struct dt_node *c, struct kt_attr *desc, struct kt_attr *stmt);

/* shared helpers */
struct dt_node *dt_node_new(struct dt_cc *cc, int kind, int src, int line, int col);
int dt_type_to_dtype(const struct dt_type *t);	/* enum kt_dtype */
void dt_type_name(const struct dt_type *t, char *buf, size_t size);
struct dt_ident *dt_var_new(struct dt_cc *cc, const char *name, int scope,
			    const struct dt_node *where);
struct dt_ident *dt_var_lookup(struct dt_cc *cc, const char *name, int scope);
#define DT_STRUCT_MAXWORDS	64	/* a struct variable: at most 512 bytes */
bool dt_var_words(struct dt_cc *cc, struct dt_ident *id, const struct dt_node *where);
int dt_builtin_lookup(const char *name);	/* KTRACE_VAR_* or -1 */
bool dt_builtin_func(const char *name, uint64_t version);	/* a built-in function of D VERSION */
int dt_printf_check(struct dt_cc *cc, const struct dt_node *call, const char *fname,
		    const char *fmt, const struct dt_node *args, int argno0,
		    const struct dt_aggr *agg);
/* For the tracepoint provider: fields of one event, or NULL (diagnosed). */
const struct kt_tp_field *dt_tp_lookup(struct dt_cc *cc, const struct dt_node *clause,
				       const struct dt_node *where, const char *field);

/* D declarations: dt_decl.c (parsing) and dt_xlate.c (use) */
bool dt_usertype_lookup(struct dt_cc *cc, const char *name);	/* a typedef'd name (dt_lex.c) */
/*
 * A kernel typedef of a struct or union used as a type name (rwlock_t,
 * dt_lex.c): names ending in "_t" only, so that the kernel's types are read
 * for no other identifier and a variable is never taken for one.
 */
bool dt_ktypedef_lookup(struct dt_cc *cc, int src, const char *name);
/* declared types in the type model (dt_types.c) */
bool dt_kstruct_type(struct dt_cc *cc, const char *name, struct dt_type *t, int src,
		     int line, int col);
bool dt_dtype_resolve(struct dt_cc *cc, struct dt_dtype *d);	/* false: diagnosed */
const char *dt_tag_word(int kind);
void dt_dstruct_bind(struct dt_cc *cc);
const char *dt_dstruct_name(uint16_t idx);
uint32_t dt_dstruct_size(uint16_t idx);
int dt_key_width(const struct dt_type *t);	/* tuple entries of a key */
const char *dt_dstruct_tag(uint16_t idx);	/* of the compilation in progress */
void dt_decl_release(struct dt_cc *cc);	/* of the compilation in progress */
uint32_t dt_type_sizeof(struct dt_cc *cc, const struct dt_type *t, uint32_t *align);
struct dt_node *dt_clone(struct dt_cc *cc, const struct dt_node *n);
const struct dt_pdecl *dt_pdecl_find(struct dt_cc *cc, const char *prov);

/* CALL classes (dt_node.scope of a CALL node, set by the type checker) */
enum { DT_CC_NONE = 0, DT_CC_SUBR, DT_CC_ACTION, DT_CC_IDENTITY };

#define DT_INT_TYPE(sz, sg) ((struct dt_type){ .kind = DT_T_INT, .size = (sz), .sign = (sg) })

#endif /* KT_DT_IMPL_H */
