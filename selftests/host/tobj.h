/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tobj.h: a small assembler for ktrace objects, header-only so that the
 * host tests (selftests/host), the fuzzer's corpus maker and the guest
 * tests that submit hand-made programs through the raw ioctl
 * (selftests/uapi/verifier_rules.c) build objects the same way.
 */
#ifndef _KTRACE_TOBJ_H
#define _KTRACE_TOBJ_H

#include <stdlib.h>
#include <string.h>
#include "vm.h"

struct tobj {
	struct ktrace_insn		insn[4096];
	u32				ni;
	s64				ints[64];
	u32				nint;
	char				str[4096];
	u32				nstr;
	struct ktrace_var_desc		var[32];
	u32				nvar;
	struct ktrace_agg_desc		agg[16];
	u32				nagg;
	struct ktrace_action_desc	act[16];
	u32				nact;
	struct ktrace_clause_desc	cl[8];
	u32				ncl;
	struct ktrace_enabling		en[8];
	u32				nen;
	u32				flags;
};

static inline void tobj_init(struct tobj *t)
{
	memset(t, 0, sizeof(*t));
	t->nstr = 1;	/* "" at 0 */
}

static inline u32 t_i(struct tobj *t, u8 op, u8 rd, u8 rs1, u8 rs2, s32 imm)
{
	struct ktrace_insn *in = &t->insn[t->ni];

	in->op = op;
	in->rd = rd;
	in->rs1 = rs1;
	in->rs2 = rs2;
	in->imm = imm;
	return t->ni++;
}

static inline u32 t_str(struct tobj *t, const char *s)
{
	u32 off = t->nstr, n = (u32)strlen(s) + 1;

	memcpy(t->str + off, s, n);
	t->nstr += n;
	return off;
}

static inline u32 t_int(struct tobj *t, s64 v)
{
	t->ints[t->nint] = v;
	return t->nint++;
}

static inline u32 t_var(struct tobj *t, const char *name, u8 scope, u8 type, u32 nkeys)
{
	struct ktrace_var_desc *v = &t->var[t->nvar];

	memset(v, 0, sizeof(*v));
	v->name = t_str(t, name);
	v->scope = scope;
	v->type = type;
	v->nkeys = nkeys;
	return t->nvar++;
}

static inline u32 t_agg(struct tobj *t, const char *name, u16 func, u16 nkeys, s64 p0, s64 p1,
	  s64 p2, s64 p3)
{
	struct ktrace_agg_desc *a = &t->agg[t->nagg];

	memset(a, 0, sizeof(*a));
	a->name = t_str(t, name);
	a->func = func;
	a->nkeys = nkeys;
	a->params[0] = p0;
	a->params[1] = p1;
	a->params[2] = p2;
	a->params[3] = p3;
	return t->nagg++;
}

static inline u32 t_act(struct tobj *t, u16 kind, u16 nargs)
{
	struct ktrace_action_desc *a = &t->act[t->nact];

	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->nargs = nargs;
	return t->nact++;
}

static inline u32 t_clause(struct tobj *t, u32 pred_start, u32 pred_len, u32 body_start, u32 body_len)
{
	struct ktrace_clause_desc *c = &t->cl[t->ncl];

	memset(c, 0, sizeof(*c));
	c->pred_start = pred_start;
	c->pred_len = pred_len;
	c->body_start = body_start;
	c->body_len = body_len;
	t->en[t->nen].probe = 1;
	t->en[t->nen].clause = t->ncl;
	t->nen++;
	return t->ncl++;
}

#define SEC(off, cnt, src, bytes) do {					\
	off = pos;							\
	memcpy(b + pos, src, bytes);					\
	pos += ((bytes) + 7) & ~7u;					\
	(void)(cnt);							\
} while (0)

static inline void *tobj_blob(const struct tobj *t, u32 *size)
{
	struct ktrace_obj_hdr h;
	u32 pos = sizeof(h), total;
	u8 *b;

	total = sizeof(h) + t->ni * 8 + t->nint * 8 + t->nstr + 8 +
		t->nvar * sizeof(t->var[0]) + t->nagg * sizeof(t->agg[0]) +
		t->nact * sizeof(t->act[0]) + t->ncl * sizeof(t->cl[0]) +
		t->nen * sizeof(t->en[0]) + 64;
	b = calloc(1, total);
	memset(&h, 0, sizeof(h));
	h.magic = KTRACE_OBJ_MAGIC;
	h.version = KTRACE_ABI_VERSION;
	h.hdr_size = sizeof(h);
	h.flags = t->flags;
	SEC(h.insn_off, 0, t->insn, t->ni * 8);
	h.insn_cnt = t->ni;
	if (t->nint)
		SEC(h.int_off, 0, t->ints, t->nint * 8);
	h.int_cnt = t->nint;
	SEC(h.strtab_off, 0, t->str, t->nstr);
	h.strtab_cnt = t->nstr;
	if (t->nvar)
		SEC(h.var_off, 0, t->var, t->nvar * sizeof(t->var[0]));
	h.var_cnt = t->nvar;
	if (t->nagg)
		SEC(h.agg_off, 0, t->agg, t->nagg * sizeof(t->agg[0]));
	h.agg_cnt = t->nagg;
	if (t->nact)
		SEC(h.action_off, 0, t->act, t->nact * sizeof(t->act[0]));
	h.action_cnt = t->nact;
	if (t->ncl)
		SEC(h.clause_off, 0, t->cl, t->ncl * sizeof(t->cl[0]));
	h.clause_cnt = t->ncl;
	if (t->nen)
		SEC(h.enabling_off, 0, t->en, t->nen * sizeof(t->en[0]));
	h.enabling_cnt = t->nen;
	h.obj_size = pos;
	memcpy(b, &h, sizeof(h));
	*size = pos;
	return b;
}

#endif /* _KTRACE_TOBJ_H */
