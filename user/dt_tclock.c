// SPDX-License-Identifier: GPL-2.0
/*
 * DTrace's lock subroutines on Linux's locks, as DTrace for Linux defines
 * them: mutex_owned(), mutex_owner(), mutex_type_adaptive() and
 * mutex_type_spin() of a struct mutex *, rw_read_held(), rw_write_held()
 * and rw_iswriter() of a rwlock_t *.  Each is rewritten here, in the type
 * checker, into the loads and arithmetic it is made of (as getmajor() is):
 * the lock's words are read by ordinary fault-safe kernel loads through the
 * kernel's own types (BTF), so a bad pointer is an `invalid address` error
 * like any other load, and the layout follows the kernel the program runs
 * on:
 *
 *   struct mutex      owner (atomic_long_t): the owning task, its low three
 *                     bits flags (MUTEX_FLAGS); under PREEMPT_RT a mutex
 *                     is an rt_mutex: rtmutex.owner, bit 0 a flag.
 *   rwlock_t          a qrwlock: raw_lock.cnts, bits 0-7 the writer's
 *                     lock byte (_QW_LOCKED), bit 8 a waiting writer
 *                     (_QW_WAITING), readers from bit 9 (_QR_SHIFT); under
 *                     PREEMPT_RT an rwbase_rt: rwbase.readers, READER_BIAS
 *                     (bit 31) while no writer holds or waits, WRITER_BIAS
 *                     (1 << 30) when a writer holds it, the reader count
 *                     below.
 *
 *   mutex_owner(m)          (struct task_struct *)(owner & ~7)
 *   mutex_owned(m)          mutex_owner(m) == curthread (the calling thread
 *                           holds m, as DTrace for Linux)
 *   mutex_type_adaptive(m)  1, mutex_type_spin(m) 0: Linux's mutexes spin on
 *                           a running owner, then sleep
 *   rw_read_held(rw)        the reader count (non-zero: readers hold it)
 *   rw_write_held(rw)       non-zero: a writer holds it
 *   rw_iswriter(rw)         non-zero: a writer holds it or waits for it
 */
#include <string.h>
#include "dt_tc.h"

#define DT_MUTEX_FLAGS		7		/* owner's flag bits */
#define DT_QW_LOCKED		0xffU		/* qrwlock: a writer holds it */
#define DT_QW_WMASK		0x1ffU		/* qrwlock: a writer holds it or waits */
#define DT_RWB_READER_BIAS	(1U << 31)	/* rwbase_rt: no writer in */
#define DT_RWB_WRITER_BIAS	(1U << 30)	/* rwbase_rt: a writer holds it */

enum lock_fn { MUTEX_OWNED, MUTEX_OWNER, MUTEX_ADAPTIVE, MUTEX_SPIN, RW_READ, RW_WRITE,
	       RW_ISWRITER };

static const struct {
	const char	*name;
	bool		rw;
} lock_fns[] = {
	[MUTEX_OWNED]	 = { "mutex_owned" },
	[MUTEX_OWNER]	 = { "mutex_owner" },
	[MUTEX_ADAPTIVE] = { "mutex_type_adaptive" },
	[MUTEX_SPIN]	 = { "mutex_type_spin" },
	[RW_READ]	 = { "rw_read_held", true },
	[RW_WRITE]	 = { "rw_write_held", true },
	[RW_ISWRITER]	 = { "rw_iswriter", true },
};

static struct dt_node *mk(struct dt_cc *cc, const struct dt_node *at, int kind)
{
	return dt_node_new(cc, kind, at->src, at->line, at->col);
}

/* a->NAME (op T_ARROW) or a.NAME (T_DOT) */
static struct dt_node *member(struct dt_cc *cc, const struct dt_node *at, struct dt_node *a,
			      int op, const char *name)
{
	struct dt_node *m = mk(cc, at, DT_N_MEMBER);

	m->op = (int16_t)op;
	m->a = a;
	m->sval = (char *)name;
	return m;
}

static struct dt_node *cast(struct dt_cc *cc, const struct dt_node *at, struct dt_type t,
			    struct dt_node *a)
{
	struct dt_node *c = mk(cc, at, DT_N_CAST);

	c->ctype = t;
	c->a = a;
	return c;
}

/* The pointee's member NAME, or false. */
static bool has_member(struct dt_btf *b, const struct dt_type *t, const char *name)
{
	uint32_t type, off, bits;

	return dt_btf_member(b, t->btf, name, &type, &off, &bits);
}

/*
 * The lock word the subroutine reads, as a u64 (mutex) or u32 (rwlock)
 * expression of the checked argument A; *rt: the PREEMPT_RT layout.  NULL
 * when A does not point to the lock it takes.
 */
static struct dt_node *lock_word(struct dt_cc *cc, struct dt_node *n, struct dt_node *a,
				 bool rw, bool *rt)
{
	struct dt_btf *b = dt_btf_try(cc);
	const struct dt_type *t = &a->type;
	struct dt_node *w;

	if (!b || !is_ptr(t) || t->pdepth != 1 || !t->btf || t->aspace != DT_AS_KERNEL)
		return NULL;
	if (!rw) {
		if (t->btf != dt_btf_struct(b, "mutex"))
			return NULL;
		*rt = !has_member(b, t, "owner") && has_member(b, t, "rtmutex");
		if (*rt)
			w = member(cc, n, member(cc, n, a, T_ARROW, "rtmutex"), T_DOT, "owner");
		else
			w = member(cc, n, member(cc, n, a, T_ARROW, "owner"), T_DOT, "counter");
		return cast(cc, n, dt_t_u64, w);
	}
	*rt = !has_member(b, t, "raw_lock") && has_member(b, t, "rwbase");
	if (*rt)
		w = member(cc, n, member(cc, n, member(cc, n, a, T_ARROW, "rwbase"), T_DOT,
					 "readers"), T_DOT, "counter");
	else if (has_member(b, t, "raw_lock"))
		w = member(cc, n, member(cc, n, member(cc, n, a, T_ARROW, "raw_lock"), T_DOT,
					 "cnts"), T_DOT, "counter");
	else
		return NULL;
	return cast(cc, n, dt_t_u32, w);
}

/* N becomes X, an int (or the owner pointer), type-checked. */
static void replace(struct dt_cc *cc, struct dt_node *n, struct dt_node *x, bool as_int)
{
	struct dt_node *next = n->next;

	if (as_int)
		x = cast(cc, n, dt_t_i32, x);
	*n = *x;
	n->next = next;
	tc_expr(cc, n);
}

static struct dt_node *owner(struct dt_cc *cc, struct dt_node *n, struct dt_node *w)
{
	struct dt_node *cur = mk(cc, n, DT_N_IDENT);

	cur->sval = (char *)"curthread";
	tc_expr(cc, cur);
	return cast(cc, n, cur->type, tc_binop_node(cc, n, T_AMP, w, ~(int64_t)DT_MUTEX_FLAGS));
}

bool tc_lock_subr(struct dt_cc *cc, struct dt_node *n, int nargs)
{
	struct dt_node *a = n->b, *w, *x;
	enum lock_fn f;
	bool rt = false;

	for (f = 0; f < (enum lock_fn)(sizeof(lock_fns) / sizeof(lock_fns[0])); f++)
		if (!strcmp(n->sval, lock_fns[f].name))
			break;
	if (f == sizeof(lock_fns) / sizeof(lock_fns[0]))
		return false;
	if (!tc_check_arg_count(cc, n, n->sval, nargs, 1, 1))
		return true;
	tc_expr(cc, a);
	if (is_err(&a->type)) {
		tc_set_err(n);
		return true;
	}
	a->next = NULL;
	w = lock_word(cc, n, a, lock_fns[f].rw, &rt);
	if (!w) {
		tc_proto_arg_error(cc, n, n->sval, 1, a,
				   lock_fns[f].rw ? "rwlock_t *" : "struct mutex *");
		return true;
	}
	switch (f) {
	case MUTEX_OWNER:
		replace(cc, n, owner(cc, n, w), false);
		break;
	case MUTEX_OWNED: {
		struct dt_node *cur = mk(cc, n, DT_N_IDENT);

		cur->sval = (char *)"curthread";
		x = mk(cc, n, DT_N_BINOP);
		x->op = T_EQ;
		x->a = owner(cc, n, w);
		x->b = cur;
		replace(cc, n, x, true);
		break;
	}
	case MUTEX_ADAPTIVE:
	case MUTEX_SPIN:
		x = mk(cc, n, DT_N_INT);
		x->ival = f == MUTEX_ADAPTIVE;
		x->type = dt_t_i32;
		x->isconst = true;
		replace(cc, n, x, false);
		break;
	case RW_READ:
		replace(cc, n, tc_binop_node(cc, n, T_AMP, w, rt ? DT_RWB_WRITER_BIAS - 1 :
					     ~(int64_t)DT_QW_WMASK & 0xffffffff), true);
		break;
	case RW_WRITE:
		if (rt) {
			x = tc_binop_node(cc, n, T_EQ, w, DT_RWB_WRITER_BIAS);
			replace(cc, n, x, true);
		} else {
			replace(cc, n, tc_binop_node(cc, n, T_AMP, w, DT_QW_LOCKED), true);
		}
		break;
	case RW_ISWRITER:
		if (rt)
			x = tc_binop_node(cc, n, T_EQ, tc_binop_node(cc, n, T_AMP, w,
								      DT_RWB_READER_BIAS), 0);
		else
			x = tc_binop_node(cc, n, T_AMP, w, DT_QW_WMASK);
		replace(cc, n, x, true);
		break;
	}
	return true;
}
