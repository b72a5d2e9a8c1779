/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dt_cg.h: what the files of the code generator share (docs in
 * dt_codegen.c): its state; the emitter (tables, instructions, registers,
 * which instruction for what) in dt_cg_emit.c; the tuple stack and
 * variables in dt_cg_var.c, assignments in dt_cg_assign.c and the
 * expressions in dt_cg_expr.c, which call each other (one recursion);
 * dt_codegen.c generates actions, statements, clauses and the object's
 * tables from them, each file calling only those before it.  Internal to the compiler's code
 * generation pass.
 */
#ifndef DT_CG_H
#define DT_CG_H

#include "dt_impl.h"

#define DT_MAX_INSNS	65536

struct patchlist {
	int	*v;
	int	n, cap;
};

struct loopctx {
	struct patchlist	brk, cont;
	struct loopctx		*outer;
};

struct cg {
	struct dt_cc		*cc;
	struct kt_prog		*p;
	uint16_t		used;		/* allocated registers (bit i: %ri) */
	bool			noreg;		/* ran out of registers (diagnosed) */
	bool			toobig;
	struct loopctx		*loop;
	const struct dt_node	*stmt;		/* for diagnostics */
	bool			record;		/* pushing the values trace()/printf() record or
						 * an aggregation's keys (cg_value) */
};

struct keyregs {
	int			r[KTRACE_MAX_KEYS];
	const struct dt_type	*t[KTRACE_MAX_KEYS];
	int			n;
};

/* dt_cg_emit.c */
void *cg_grow(struct dt_cc *cc, void *v, uint32_t n, uint32_t *cap, size_t esize);
uint32_t cg_stroff_n(struct dt_cc *cc, const char *s, uint32_t len);
uint32_t cg_stroff(struct dt_cc *cc, const char *s);
int cg_emit(struct cg *g, int op, int rd, int rs1, int rs2, int32_t imm);
int cg_here(struct cg *g);
void cg_patch(struct cg *g, int at, int target);
void cg_pl_add(struct dt_cc *cc, struct patchlist *l, int at);
int cg_ralloc(struct cg *g);
void cg_rfree(struct cg *g, int r);
void cg_set_const(struct cg *g, int r, int64_t v);
void cg_narrow(struct cg *g, int r, const struct dt_type *t);
int cg_ld_op(int scope);
int cg_st_op(int scope);
int cg_load_op(int aspace);
void cg_deref(struct cg *g, int r, const struct dt_type *ptr);
int cg_ptr_scale(const struct dt_type *t);
void cg_scale(struct cg *g, int r, int s);
int cg_arith_op(int op, bool sign);
/* dt_cg_var.c: the tuple stack, variables */
bool cg_uses_tuple(const struct dt_node *n);
int cg_push_val(struct cg *g, int r, const struct dt_type *t);
int cg_push_list(struct cg *g, struct dt_node *list, uint8_t *dtypes, int maxd);
int cg_builtin_key(const struct dt_node *a);
int cg_value(struct cg *g, struct dt_node *n);
bool cg_is_array(const struct dt_ident *id);
bool cg_garr_elem(const struct dt_node *l);
void cg_keys_eval(struct cg *g, struct dt_node *keys, struct keyregs *k);
void cg_keys_free(struct cg *g, const struct keyregs *k);
void cg_var_load(struct cg *g, int rd, const struct dt_ident *id, const struct keyregs *k);
void cg_var_store(struct cg *g, int rs, const struct dt_ident *id, const struct keyregs *k);
/* variables of a struct type declared in D */
int cg_var_member(struct cg *g, struct dt_node *n);
int cg_var_member_store(struct cg *g, struct dt_node *n, int op, bool post);
int cg_struct_assign(struct cg *g, struct dt_node *n);
int cg_push_var_words(struct cg *g, const struct dt_node *n, uint32_t size);
/* dt_cg_assign.c: =, op=, ++, -- */
int cg_assign(struct cg *g, struct dt_node *n);
int cg_incdec(struct cg *g, struct dt_node *n, bool post);
int cg_compound_value(struct cg *g, struct dt_node *n, int op, int cur, const struct dt_type *t);
int cg_compound_result(struct cg *g, int cur, int v, bool post);
/* dt_cg_expr.c: an expression into a new register (-1: diagnosed) */
int cg_expr(struct cg *g, struct dt_node *n);
int cg_kstring_addr(struct cg *g, struct dt_node *n, uint32_t *max);

#endif
