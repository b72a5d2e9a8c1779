/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The D compiler's syntax tree (dt_parse.c builds it; dt_resolve.c,
 * dt_typecheck.c and dt_codegen.c annotate and consume it).
 *
 * Every node lives in the compilation's arena (dt_impl.h) and is freed
 * with it; nothing here is ever freed individually.
 */
#ifndef KT_DT_AST_H
#define KT_DT_AST_H

#include <stdint.h>
#include <stdbool.h>

/* Value types as the type checker sees them. */
enum dt_tkind {
	DT_T_ERR = 0,	/* erroneous: already diagnosed, suppresses follow-ups */
	DT_T_VOID,	/* no value (actions, void functions) */
	DT_T_INT,	/* integer of size bytes, signed or not */
	DT_T_PTR,	/* pointer: pdepth levels to base (int of bsize/bsign, or void) */
	DT_T_STRING,
	DT_T_STACK,	/* stack() */
	DT_T_USTACK,	/* ustack() */
	DT_T_STRUCT,	/* a kernel struct/union (BTF id btf) in memory: its value is its address */
	DT_T_FLOAT,	/* float, double, long double (size 4, 8, 16): its bits, kept, copied
			 * and printed by printf's %e %f %g; no arithmetic, as in DTrace */
};

struct dt_type {
	uint8_t	kind;		/* enum dt_tkind */
	uint8_t	size;		/* INT: 1, 2, 4, 8; PTR: 8 */
	bool	sign;		/* INT: signed */
	uint8_t	pdepth;		/* PTR: levels of indirection */
	uint8_t	bsize;		/* PTR: size of the base integer; 0: void */
	bool	bsign;		/* PTR: base signedness */
	uint8_t	dtype;		/* display override (enum kt_dtype + 1), 0: from the type */
	bool	ischar;		/* INT of size 1 declared as char (prints as char with %c) */
	uint8_t	aspace;		/* PTR, STRUCT: where it points / is (enum dt_aspace) */
	uint32_t btf;		/* PTR: BTF id of the struct/union at the base; STRUCT: its id */
	uint16_t dstruct;	/* PTR, STRUCT: a struct/union declared in D (index + 1 in
				 * dt_cc.dstructs), instead of a kernel one */
};

/* A member of a kernel struct: what its value is. */
enum dt_mem_how {
	DT_MEM_NONE = 0,	/* not a struct member (args->FIELD of a tracepoint) */
	DT_MEM_LOAD,		/* an integer or pointer: load it */
	DT_MEM_ADDR,		/* a struct/union, or an array decayed to a pointer: its address */
	DT_MEM_STR,		/* a char array: the string at its address */
	DT_MEM_BITS,		/* a bit-field: load, shift, mask (mem_bshift, mem_bits) */
	DT_MEM_VAR,		/* of a struct variable (ident): at byte mem_off of its words */
};

/* Address spaces of pointers: which load instruction dereferences them. */
enum dt_aspace {
	DT_AS_KERNEL = 0,	/* ldk */
	DT_AS_USER,		/* ldu */
	DT_AS_KTRACE,		/* lds: copyin()/alloca() buffers, tracepoint records */
};

/* Node kinds.  Expressions first, then statements, then top level. */
enum dt_nkind {
	DT_N_INT,	/* ival */
	DT_N_STR,	/* sval (slen bytes) */
	DT_N_IDENT,	/* sval: a bare identifier (variable, builtin, or function name) */
	DT_N_MACRO,	/* sval: "1", "$1", "target"... ($ stripped); resolved away */
	DT_N_SELF,	/* self->sval */
	DT_N_THIS,	/* this->sval */
	DT_N_AGGREF,	/* @sval used as an expression (printa, clear...) */
	DT_N_INDEX,	/* a[args]: a = IDENT or SELF, args list in b */
	DT_N_CALL,	/* sval(args in b) */
	DT_N_UNOP,	/* op a */
	DT_N_POSTOP,	/* a op (++, --) */
	DT_N_BINOP,	/* a op b */
	DT_N_LOGOP,	/* a && b, a || b, a ^^ b */
	DT_N_ASSIGN,	/* a op= b (op '=' for plain) */
	DT_N_TERNARY,	/* a ? b : c */
	DT_N_COMMA,	/* a , b: a for its effects, then b's value */
	DT_N_CAST,	/* (ctype) a */
	DT_N_SIZEOF,	/* sizeof a or sizeof (ctype) when a is NULL */
	DT_N_MEMBER,	/* a->sval or a.sval */
	DT_N_ARGS,	/* args[a] */
	DT_N_STRINGOF,	/* stringof a */
	DT_N_KSYM,	/* `sym */
	DT_N_XLATE,	/* xlate < ctype > ( a ) */
	DT_N_OFFSETOF,	/* offsetof ( ctype , sval ) */

	DT_S_EXPR,	/* expression statement a */
	DT_S_AGG,	/* @sval[keys b] = func c (a CALL) */
	DT_S_IF,	/* if (a) b else c */
	DT_S_WHILE,	/* while (a) b */
	DT_S_FOR,	/* for (a; b; c) d */
	DT_S_BREAK,
	DT_S_CONTINUE,
	DT_S_BLOCK,	/* { list in a } */
	DT_S_EMPTY,
	DT_S_DECL,	/* local declaration inside a clause (this int x;) */

	DT_TOP_CLAUSE,	/* probe descriptions (specs), predicate a, body list b */
	DT_TOP_DECL,	/* declaration: scope, ctype, sval, keys */
	DT_TOP_PRAGMA,	/* handled at parse time; kept for ordering */
};

/* Operator codes for UNOP/BINOP/ASSIGN (token values, see dt_impl.h). */

struct dt_ident;
struct dt_aggr;

struct dt_node {
	uint8_t		kind;		/* enum dt_nkind */
	uint8_t		scope;		/* DECL: enum ktrace_var_scope-ish (0 global, 1 self, 2 this) */
	int16_t		op;		/* operator token */
	int		src;		/* source index (file name, text) */
	int		line, col;
	struct dt_node	*a, *b, *c, *d;
	struct dt_node	*next;		/* sibling in a list */
	int64_t		ival;
	char		*sval;
	uint32_t	slen;
	struct dt_type	type;		/* typecheck result */
	struct dt_type	ctype;		/* CAST, SIZEOF, DECL: the written type */
	const char	*csname;	/* ctype is "struct csname" of the kernel, looked up
					 * when checked (declared in a library file) */
	bool		isconst;	/* typecheck: ival holds the constant value */
	bool		lvalue;
	struct dt_ident	*ident;		/* resolved variable */
	struct dt_aggr	*agg;		/* resolved aggregation */
	int		builtin;	/* IDENT: KTRACE_VAR_* + 1, 0 if not a builtin;
					 * INDEX: uregs[R]'s KTRACE_VAR_UREGS + R + 1 */
	/* tracepoint fields (MEMBER on args) */
	int		tp_off, tp_size;
	bool		tp_sign, tp_dataloc, tp_str;
	/* MEMBER of a kernel struct (BTF): byte offset, and what to do at it */
	uint32_t	mem_off;
	uint8_t		mem_how;	/* DT_MEM_* */
	uint8_t		mem_bshift;	/* BITS: the field's first bit in the loaded bytes */
	uint8_t		mem_bits;	/* BITS: its width */
	uint8_t		mem_lsize;	/* BITS: bytes loaded at mem_off (1, 2, 4, 8) */
	/* CALL of trace(), tracemem(): bytes recorded (a struct, union or
	 * array traced; tracemem()'s size), 0: trace() records a value;
	 * MEMBER that is a kernel array other than char[] (a pointer to its
	 * first element): the array's bytes, which trace() records */
	uint32_t	nbytes;
	/* clause: probe specs */
	struct kt_probespec *specs;
	int		nspecs;
	int		nkeys;		/* DECL of an array: key types in keyt */
	struct dt_type	*keyt;
	uint32_t	nelems;		/* DECL of a declared array (int a[N]): N */
};

#endif /* KT_DT_AST_H */
