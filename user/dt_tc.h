/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dt_tc.h: what the type checker's files share (dt_types.c, dt_builtins.c,
 * dt_typecheck.c, dt_tcop.c, dt_tcaction.c, dt_tcagg.c, dt_tcstmt.c,
 * dt_printf.c...; dt_typecheck.c has the overview).  Private to them, but
 * for the type model and the built-in tables, below the parser, which
 * dt_decl.c and dt_parse_type.c use too: the other passes see dt_impl.h
 * only.
 */
#ifndef KTRACE_DT_TC_H
#define KTRACE_DT_TC_H

#include "dt_impl.h"

/* ----- the type model (dt_types.c) ----- */
extern const struct dt_type dt_t_err, dt_t_void, dt_t_string, dt_t_i32, dt_t_i64, dt_t_u64,
	dt_t_u32;

static inline bool is_err(const struct dt_type *t) { return t->kind == DT_T_ERR; }
static inline bool is_int(const struct dt_type *t) { return t->kind == DT_T_INT; }
static inline bool is_ptr(const struct dt_type *t) { return t->kind == DT_T_PTR; }
static inline bool is_str(const struct dt_type *t) { return t->kind == DT_T_STRING; }
static inline bool is_scalar(const struct dt_type *t) { return is_int(t) || is_ptr(t); }
/*
 * A void *: no arithmetic on it.  The address of a kernel symbol BTF has
 * no type for (&`max_pfn) is one only for want of its type (DTrace's CTF
 * knows it): it is marked with its display type and moves in bytes.
 */
static inline bool is_void_ptr(const struct dt_type *t)
{
	return is_ptr(t) && t->pdepth == 1 && !t->bsize && !t->btf && !t->dstruct && !t->dtype;
}

/* ----- built-in functions (dt_builtins.c) ----- */
/* What D accepts for an argument of a built-in function. */
enum dt_argk {
	DT_A_STR,		/* a string, or the constant 0 (NULL) */
	DT_A_INT,
	DT_A_PTR,		/* integer or pointer */
	DT_A_ANY,
	DT_A_BUF,		/* an alloca pointer (bcopy()'s, copyinto()'s destination):
				 * a pointer to ktrace memory (alloca(), copyin()) */
	DT_A_PTRSTR,		/* integer, pointer or string (bcopy()'s source: its bytes) */
	DT_A_IN6,		/* a struct in6_addr * (in6_addr_t *), or the constant 0 */
};

/* The type of a subroutine's result. */
enum dt_ret {
	DT_R_STRING,
	DT_R_I64,
	DT_R_VOID,
	DT_R_KPTR,		/* a pointer into ktrace's scratch (copyin, alloca) */
	DT_R_U64,
	DT_R_STACK,
	DT_R_USTACK,
	DT_R_I32,
	DT_R_U16,
	DT_R_U32,
};

struct dt_subr {
	int		id;		/* KTRACE_SUBR_* */
	int		min, max;	/* argument counts in D */
	enum dt_argk	args[3];
	enum dt_ret	ret;
	bool		destructive;
};

struct dt_action {
	const char	*name;		/* as called */
	int		kind;		/* KTRACE_ACT_* */
	int		min, max;	/* argument counts in D (-1: any number) */
	bool		destructive;
};

/* The subroutine NAME (or one of its other names): true and *s filled. */
bool dt_subr_find(const char *name, struct dt_subr *s);
/* The action NAME usable as a statement: true and *a filled. */
bool dt_action_find(const char *name, struct dt_action *a);
/* KTRACE_AGG_* of aggregating function NAME with its argument counts, or -1. */
int dt_aggfunc_lookup(const char *name, int *min, int *max);
const char *dt_aggfunc_name(int f);
/* The display type (KT_DT_*) of sym(), mod(), usym()..., or -1. */
int dt_identity_dtype(const char *name);
/* A constant D names (DTRACEFLT_*): false if NAME is none. */
bool dt_const_lookup(const char *name, int64_t *val);

/* dt_types.c */
struct dt_type tc_with_dtype(struct dt_type t, int dt);
void tc_fbt_arg_type(struct dt_cc *cc, struct dt_node *n, int idx);
struct dt_type tc_struct_at(const struct dt_type *p);
void tc_type_curthread(struct dt_cc *cc, struct dt_node *n);
struct dt_type tc_builtin_type(int id);
void tc_set_err(struct dt_node *n);
struct dt_type tc_promote(struct dt_type t);
struct dt_type tc_arith_conv(const struct dt_type *a, const struct dt_type *b);
struct dt_type tc_arith_type(const struct dt_type *a, const struct dt_type *b);
int64_t tc_trunc_val(int64_t v, const struct dt_type *t);
const char *tc_opname(int op);
void tc_incompat(struct dt_cc *cc, struct dt_node *n, const struct dt_type *a, int op,
		 const struct dt_type *b);
const char *tc_scope_prefix(int scope);
bool tc_storable(struct dt_cc *cc, struct dt_node *where, const struct dt_type *t);
bool tc_check_keys(struct dt_cc *cc, struct dt_node *where, const char *pfx,
		   const char *name, int *nkeys, struct dt_type *keys, struct dt_node *args,
		   bool define);

/* dt_builtins.c */
int tc_count_list(const struct dt_node *a);
bool tc_check_arg_count(struct dt_cc *cc, struct dt_node *n, const char *name, int got,
			int min, int max);
bool tc_arg_ok(const struct dt_node *a, enum dt_argk k);
const char *tc_argk_name(enum dt_argk k);
bool tc_proto_arg_error(struct dt_cc *cc, struct dt_node *call, const char *fname, int i,
			struct dt_node *a, const char *proto);
bool tc_check_destructive(struct dt_cc *cc, struct dt_node *n, const char *name);

/* dt_typecheck.c */
void tc_expr(struct dt_cc *cc, struct dt_node *n);
/* dt_tcaction.c: A op B, B an integer constant, a new node at AT (not yet checked) */
struct dt_node *tc_binop_node(struct dt_cc *cc, const struct dt_node *at, int op,
			      struct dt_node *a, int64_t b);
/*
 * mutex_owned(), mutex_owner(), mutex_type_*(), rw_*() (dt_tclock.c): N
 * rewritten into the loads they are and checked; false: N is none of them.
 */
bool tc_lock_subr(struct dt_cc *cc, struct dt_node *n, int nargs);

/* dt_tcop.c: operators, assignments */
void tc_binop(struct dt_cc *cc, struct dt_node *n);
void tc_logop(struct dt_cc *cc, struct dt_node *n);
void tc_assign(struct dt_cc *cc, struct dt_node *n);
void tc_incdec(struct dt_cc *cc, struct dt_node *n);
void tc_unop(struct dt_cc *cc, struct dt_node *n);
struct dt_ident *tc_assign_target(struct dt_cc *cc, struct dt_node *l, bool define,
				  const struct dt_type *rt);

/* dt_xlate.c: declared names, types and translators */
bool tc_decl_ident(struct dt_cc *cc, struct dt_node *n);
bool tc_decl_index(struct dt_cc *cc, struct dt_node *n);
bool tc_xlate_member(struct dt_cc *cc, struct dt_node *n);
/* dt_tcmember.c */
void tc_member(struct dt_cc *cc, struct dt_node *n);
bool tc_dstruct_member(struct dt_cc *cc, struct dt_node *n);
struct dt_type tc_ptr_to(const struct dt_type *t);
bool tc_addrof_memory(struct dt_cc *cc, struct dt_node *n);
bool tc_is_var_struct(const struct dt_node *n);
void tc_var_member(struct dt_cc *cc, struct dt_node *n);
bool tc_struct_assign(struct dt_cc *cc, struct dt_node *n);
void tc_check_xlators(struct dt_cc *cc);
void tc_xlate_bare(struct dt_cc *cc, struct dt_node *n);
void tc_offsetof(struct dt_cc *cc, struct dt_node *n);
bool tc_node_ctype(struct dt_cc *cc, struct dt_node *n);
void tc_provider_arg(struct dt_cc *cc, struct dt_node *n);

/* dt_ksym.c: `sym, `mod`sym and &`sym */
void tc_ksym(struct dt_cc *cc, struct dt_node *n);
bool tc_ksym_addrof(struct dt_cc *cc, struct dt_node *n);

/* dt_tcaction.c: calls, actions, a clause's speculation ordering */
void tc_call(struct dt_cc *cc, struct dt_node *n, bool stmt);
void tc_action(struct dt_cc *cc, struct dt_node *n, const struct dt_action *act);
void tc_clause_begin(void);
void tc_note_data(struct dt_cc *cc, struct dt_node *n, const char *what);
bool tc_note_agg(struct dt_cc *cc, struct dt_node *s);

/* dt_tcagg.c: aggregations */
void tc_agg(struct dt_cc *cc, struct dt_node *s);
struct dt_aggr *tc_agg_arg(struct dt_cc *cc, struct dt_node *call, struct dt_node *a,
			   int argno);
void tc_printa_multi(struct dt_cc *cc, struct dt_node *n, const char *fmt,
		     struct dt_node *aggn);
void tc_printa_defer(struct dt_cc *cc, struct dt_node *n, const char *fmt);
void tc_aggs_begin(void);
void tc_aggs_end(struct dt_cc *cc);

#endif /* KTRACE_DT_TC_H */
