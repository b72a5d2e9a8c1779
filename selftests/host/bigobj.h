/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bigobj.h: hand-made objects too big for tobj.h (up to KTRACE_MAX_INSNS
 * instructions and KTRACE_MAX_CLAUSES clauses), for the tests of the
 * verifier's cost: the host suite (test_bounds.c) and the guest one that
 * submits them through the raw ioctl (selftests/safety/bounds.c).  Only
 * the uapi header and libc.
 */
#ifndef _KTRACE_BIGOBJ_H
#define _KTRACE_BIGOBJ_H

#include <stdlib.h>
#include <string.h>
#include <linux/ktrace.h>

struct bigobj {
	struct ktrace_insn		*insn;
	__u32				ni;
	struct ktrace_clause_desc	*cl;
	__u32				ncl;
	struct ktrace_enabling		*en;	/* NULL: each clause on BEGIN (probe 1) */
	__u32				nen;
	struct ktrace_action_desc	act[4];
	__u32				nact;
};

static inline void bigobj_init(struct bigobj *o, __u32 ninsns, __u32 nclauses)
{
	o->insn = calloc(ninsns, sizeof(*o->insn));
	o->cl = calloc(nclauses, sizeof(*o->cl));
	o->ni = ninsns;
	o->ncl = nclauses;
	o->en = NULL;
	o->nen = 0;
	memset(o->act, 0, sizeof(o->act));
	o->nact = 0;
}

static inline void bigobj_free(struct bigobj *o)
{
	free(o->insn);
	free(o->cl);
	free(o->en);
}

static inline void bigobj_insn(struct bigobj *o, __u32 pc, __u8 op, __s32 imm)
{
	o->insn[pc].op = op;
	o->insn[pc].imm = imm;
}

/* Serialise: header, instructions, "", clauses, enablings. */
static inline void *bigobj_blob(const struct bigobj *o, __u32 *size)
{
	struct ktrace_obj_hdr *h;
	struct ktrace_enabling *en;
	__u32 off = sizeof(*h), nen = o->en ? o->nen : o->ncl, i;
	__u8 *b;

	*size = sizeof(*h) + o->ni * sizeof(*o->insn) + 8 + o->nact * sizeof(o->act[0]) +
		o->ncl * sizeof(*o->cl) + nen * sizeof(*en);
	b = calloc(1, *size);
	h = (void *)b;
	h->magic = KTRACE_OBJ_MAGIC;
	h->version = KTRACE_ABI_VERSION;
	h->hdr_size = sizeof(*h);
	h->obj_size = *size;
	h->insn_off = off;
	h->insn_cnt = o->ni;
	memcpy(b + off, o->insn, o->ni * sizeof(*o->insn));
	off += o->ni * sizeof(*o->insn);
	h->strtab_off = off;
	h->strtab_cnt = 1;
	off += 8;
	h->action_off = off;
	h->action_cnt = o->nact;
	memcpy(b + off, o->act, o->nact * sizeof(o->act[0]));
	off += o->nact * sizeof(o->act[0]);
	h->clause_off = off;
	h->clause_cnt = o->ncl;
	memcpy(b + off, o->cl, o->ncl * sizeof(*o->cl));
	off += o->ncl * sizeof(*o->cl);
	h->enabling_off = off;
	h->enabling_cnt = nen;
	en = (void *)(b + off);
	for (i = 0; i < nen; i++) {
		en[i].probe = o->en ? o->en[i].probe : 1;
		en[i].clause = o->en ? o->en[i].clause : i;
	}
	return b;
}

/*
 * The verifier's worst nesting case: 32766 forward branches to one nop,
 * 32766 loops back to it, ret (65534 instructions), as nclauses clauses
 * sharing that one range.  Rule 12 once walked every loop around the
 * target for every branch.
 */
#define BIGOBJ_NBRANCH	32766
static inline void bigobj_branches_to_loop_head(struct bigobj *o, __u32 nclauses)
{
	__u32 head = BIGOBJ_NBRANCH, i;

	bigobj_init(o, 2 * BIGOBJ_NBRANCH + 2, nclauses);
	for (i = 0; i < BIGOBJ_NBRANCH; i++)
		bigobj_insn(o, i, KTRACE_OP_BA, head);
	bigobj_insn(o, head, KTRACE_OP_NOP, 0);
	for (i = 0; i < BIGOBJ_NBRANCH; i++)
		bigobj_insn(o, head + 1 + i, KTRACE_OP_LOOP, head);
	bigobj_insn(o, o->ni - 1, KTRACE_OP_RET, 0);
	for (i = 0; i < nclauses; i++)
		o->cl[i].body_len = o->ni;
}

/*
 * n - 1 nops and ret as nclauses clauses: all [0, n) (shared), or
 * clause i over [i, n) (every range distinct: the verifier's total work
 * is then quadratic in what the object holds, and rule 17 bounds it).
 */
static inline void bigobj_nops(struct bigobj *o, __u32 n, __u32 nclauses, int distinct)
{
	__u32 i;

	bigobj_init(o, n, nclauses);
	bigobj_insn(o, n - 1, KTRACE_OP_RET, 0);
	for (i = 0; i < nclauses; i++) {
		o->cl[i].body_start = distinct ? i : 0;
		o->cl[i].body_len = n - o->cl[i].body_start;
	}
}

#endif
