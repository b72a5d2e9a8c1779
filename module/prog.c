// SPDX-License-Identifier: GPL-2.0
/*
 * prog.c: parse and check a program object, fill in option defaults and
 * the derived layout (variable offsets, aggregation value counts), then
 * run the verifier.
 *
 * Context: process context only (the LOAD ioctl, the CLI, host tests).
 * Allocates with GFP_KERNEL; owns no shared state and takes no locks.
 *
 * Every rejection appends one line to the user's log, naming the part
 * of the object at fault ("object: ...", "var 3: ...", "agg 1: ...",
 * "action 2: ...", "clause 0: ...", "enabling 5: ...", "opts: ...";
 * the verifier's lines are "insn N: ..."), and returns -EINVAL for a
 * malformed object, -E2BIG for an object over a KTRACE_MAX_* limit,
 * -EACCES for a destructive program without the destructive option,
 * -ENOMEM when out of memory.  Nothing is printed to the kernel log.
 */
#include "vm.h"

/* lquantize(): most levels (as DTrace: 16 bits). */
#define KTRACE_MAX_LQ_LEVELS	65535
/* llquantize(): most values per entry. */
#define KTRACE_MAX_LLQ_VALS	131072	/* both signs of the compiler's 65536 */

struct section {
	const char	*name;
	u32		off;
	u64		bytes;
	u32		cnt;
	u32		max;
};

static int check_sections(const struct ktrace_obj_hdr *h, u32 size,
			  struct ktrace_vlog *log)
{
	struct section s[] = {
		{ "insns", h->insn_off, (u64)h->insn_cnt * sizeof(struct ktrace_insn),
		  h->insn_cnt, KTRACE_MAX_INSNS },
		{ "ints", h->int_off, (u64)h->int_cnt * sizeof(s64),
		  h->int_cnt, KTRACE_MAX_INTS },
		{ "strtab", h->strtab_off, h->strtab_cnt, h->strtab_cnt, KTRACE_MAX_STRTAB },
		{ "vars", h->var_off, (u64)h->var_cnt * sizeof(struct ktrace_var_desc),
		  h->var_cnt, KTRACE_MAX_VARS },
		{ "aggs", h->agg_off, (u64)h->agg_cnt * sizeof(struct ktrace_agg_desc),
		  h->agg_cnt, KTRACE_MAX_AGGS },
		{ "actions", h->action_off,
		  (u64)h->action_cnt * sizeof(struct ktrace_action_desc),
		  h->action_cnt, KTRACE_MAX_ACTIONS },
		{ "clauses", h->clause_off,
		  (u64)h->clause_cnt * sizeof(struct ktrace_clause_desc),
		  h->clause_cnt, KTRACE_MAX_CLAUSES },
		{ "enablings", h->enabling_off,
		  (u64)h->enabling_cnt * sizeof(struct ktrace_enabling),
		  h->enabling_cnt, KTRACE_MAX_ENABLINGS },
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(s); i++) {
		if (s[i].cnt > s[i].max) {
			ktrace_vlog(log, "object: section %s: count %u over the limit %u\n",
				    s[i].name, s[i].cnt, s[i].max);
			return -E2BIG;
		}
		if (s[i].off % 8) {
			ktrace_vlog(log, "object: section %s: offset %u is not 8-aligned\n",
				    s[i].name, s[i].off);
			return -EINVAL;
		}
		if (!s[i].bytes)
			continue;
		if (s[i].off < h->hdr_size || (u64)s[i].off + s[i].bytes > size) {
			ktrace_vlog(log, "object: section %s: [%u, %llu) outside the object (%u..%u)\n",
				    s[i].name, s[i].off,
				    (unsigned long long)(s[i].off + s[i].bytes),
				    h->hdr_size, size);
			return -EINVAL;
		}
	}
	for (i = 0; i < ARRAY_SIZE(s); i++) {
		for (j = i + 1; j < ARRAY_SIZE(s); j++) {
			if (!s[i].bytes || !s[j].bytes)
				continue;
			if (s[i].off < s[j].off + s[j].bytes &&
			    s[j].off < s[i].off + s[i].bytes) {
				ktrace_vlog(log, "object: sections %s and %s overlap (%u, %u)\n",
					    s[i].name, s[j].name, s[i].off, s[j].off);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int check_hdr(const void *obj, u32 size, struct ktrace_vlog *log)
{
	const struct ktrace_obj_hdr *h = obj;
	const u8 *p = obj;
	unsigned int i;

	if (size < sizeof(*h)) {
		ktrace_vlog(log, "object: size %u smaller than the header (%zu)\n",
			    size, sizeof(*h));
		return -EINVAL;
	}
	if (h->magic != KTRACE_OBJ_MAGIC) {
		ktrace_vlog(log, "object: bad magic 0x%08x\n", h->magic);
		return -EINVAL;
	}
	if (h->version != KTRACE_ABI_VERSION) {
		ktrace_vlog(log, "object: unsupported version %u\n", h->version);
		return -EINVAL;
	}
	if (h->hdr_size < sizeof(*h) || h->hdr_size % 8 || h->hdr_size > size) {
		ktrace_vlog(log, "object: bad header size %u\n", h->hdr_size);
		return -EINVAL;
	}
	for (i = sizeof(*h); i < h->hdr_size; i++) {
		if (p[i]) {
			ktrace_vlog(log, "object: non-zero byte %u in the header extension\n", i);
			return -EINVAL;
		}
	}
	if (h->obj_size != size) {
		ktrace_vlog(log, "object: obj_size %u but %u bytes given\n", h->obj_size, size);
		return -EINVAL;
	}
	if (h->flags & ~KTRACE_OBJ_F_ALL) {
		ktrace_vlog(log, "object: unknown flags 0x%x\n", h->flags & ~KTRACE_OBJ_F_ALL);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(h->reserved); i++) {
		if (h->reserved[i]) {
			ktrace_vlog(log, "object: reserved[%u] is not zero\n", i);
			return -EINVAL;
		}
	}
	if (!h->insn_cnt) {
		ktrace_vlog(log, "object: no instructions\n");
		return -EINVAL;
	}
	return 0;
}

/*
 * The one check of the session options (KTRACE_OPTS_LIMITS in the uapi),
 * for the kernel's LOAD and for ktrace -e on the host; on success *o holds
 * the effective options (every 0 replaced by its default).
 */
static int check_opts(struct ktrace_opts *o, const struct ktrace_opts *in,
		      struct ktrace_vlog *log)
{
	if (in)
		*o = *in;
	else
		memset(o, 0, sizeof(*o));
	if (o->flags & ~KTRACE_OPT_F_ALL) {
		ktrace_vlog(log, "opts: unknown flags 0x%x\n", o->flags & ~KTRACE_OPT_F_ALL);
		return -EINVAL;
	}
	if (o->reserved) {
		ktrace_vlog(log, "opts: reserved field not zero\n");
		return -EINVAL;
	}
	if ((o->flags & KTRACE_OPT_F_NODEADMAN) && !(o->flags & KTRACE_OPT_F_DESTRUCTIVE)) {
		ktrace_vlog(log, "opts: nodeadman requires destructive (-w)\n");
		return -EINVAL;
	}
#define KT_CHECK_OPT(f, kind, def, lo, hi)					\
	if (o->f && ((u64)o->f < (u64)(lo) || (u64)o->f > (u64)(hi))) {	\
		ktrace_vlog(log, "opts: " #f " %llu not in %llu..%llu\n",	\
			    (u64)o->f, (u64)(lo), (u64)(hi));			\
		return -EINVAL;							\
	}
	KTRACE_OPTS_LIMITS(KT_CHECK_OPT)
#undef KT_CHECK_OPT
	ktrace_opts_defaults(o);
	o->scratchsize = ALIGN(o->scratchsize, 8);
	return 0;
}

void ktrace_opts_defaults(struct ktrace_opts *o)
{
#define KT_DEF_OPT(f, kind, def, lo, hi)	\
	if (!o->f)				\
		o->f = def;
	KTRACE_OPTS_LIMITS(KT_DEF_OPT)
#undef KT_DEF_OPT
}

static int check_name(const struct ktrace_prog *p, const char *what, u32 i,
		      u32 off, struct ktrace_vlog *log)
{
	if (off >= p->strtab_size) {
		ktrace_vlog(log, "%s %u: string offset %u outside the string table (%u)\n",
			    what, i, off, p->strtab_size);
		return -EINVAL;
	}
	return 0;
}

/*
 * A declared array (int a[N]): a global integer of N elements of 1, 2, 4
 * or 8 bytes, KTRACE_MAX_ARRAY_SIZE bytes at most; ldgx/stgx check the
 * index against N at run time.
 */
static int check_garr(const struct ktrace_var_desc *v, u32 i, struct ktrace_vlog *log)
{
	u32 sz = v->elem & KTRACE_LD_SIZE_MASK;

	if (v->scope != KTRACE_SCOPE_GLOBAL || v->type != KTRACE_TYPE_INT ||
	    (sz != 1 && sz != 2 && sz != 4 && sz != 8) ||
	    (v->elem & ~(KTRACE_LD_SIZE_MASK | KTRACE_LD_SIGNED)) ||
	    !v->nelems || v->nelems > KTRACE_MAX_ARRAY_SIZE / sz) {
		ktrace_vlog(log, "var %u: bad declared array (scope %u, type %u, element 0x%x, %u elements)\n",
			    i, v->scope, v->type, v->elem, v->nelems);
		return -EINVAL;
	}
	return 0;
}

static int check_vars(struct ktrace_prog *p, struct ktrace_vlog *log)
{
	u64 gsz = 0, lsz = 0;
	u32 i;

	for (i = 0; i < p->nvars; i++) {
		const struct ktrace_var_desc *v = &p->vars[i];
		bool array = v->scope == KTRACE_SCOPE_GARRAY || v->scope == KTRACE_SCOPE_TARRAY;
		u32 vsz;

		if (check_name(p, "var", i, v->name, log))
			return -EINVAL;
		if (v->scope >= KTRACE_SCOPE_MAX) {
			ktrace_vlog(log, "var %u: unknown scope %u\n", i, v->scope);
			return -EINVAL;
		}
		if (v->type != KTRACE_TYPE_INT && v->type != KTRACE_TYPE_STRING) {
			ktrace_vlog(log, "var %u: bad type %u (int or string)\n", i, v->type);
			return -EINVAL;
		}
		if (array ? (v->nkeys < 1 || v->nkeys > KTRACE_MAX_KEYS) : v->nkeys) {
			ktrace_vlog(log, "var %u: bad key count %u\n", i, v->nkeys);
			return -EINVAL;
		}
		vsz = v->type == KTRACE_TYPE_STRING ? ktrace_str_slot(&p->opts) : sizeof(u64);
		if (v->elem || v->nelems) {
			if (check_garr(v, i, log))
				return -EINVAL;
			/* whole words: a scalar after it stays 8-byte aligned */
			vsz = ALIGN(v->nelems * (v->elem & KTRACE_LD_SIZE_MASK), 8);
		}
		if (v->scope == KTRACE_SCOPE_GLOBAL) {
			p->var_off[i] = (u32)gsz;
			gsz += vsz;
		} else if (v->scope == KTRACE_SCOPE_LOCAL) {
			p->var_off[i] = (u32)lsz;
			lsz += vsz;
		}
	}
	p->globals_size = (u32)gsz;
	p->locals_size = (u32)lsz;
	return 0;
}

static int check_agg_params(const struct ktrace_agg_desc *a, u32 i,
			    struct ktrace_vlog *log)
{
	const s64 *pa = a->params;
	unsigned int np = 0, j;

	if (a->func == KTRACE_AGG_LQUANTIZE) {
		np = 3;
		if (pa[2] <= 0 || pa[0] >= pa[1] ||
		    ((u64)pa[1] - (u64)pa[0]) / (u64)pa[2] < 1 ||
		    ((u64)pa[1] - (u64)pa[0]) / (u64)pa[2] > KTRACE_MAX_LQ_LEVELS) {
			ktrace_vlog(log, "agg %u: bad lquantize (base %lld, limit %lld, step %lld)\n",
				    i, (long long)pa[0], (long long)pa[1], (long long)pa[2]);
			return -EINVAL;
		}
	} else if (a->func == KTRACE_AGG_LLQUANTIZE) {
		s64 v;

		np = 4;
		for (j = 0; j < 4; j++)
			if (pa[j] < 0 || pa[j] > 65535)
				goto bad_llq;
		if (pa[0] < 2 || pa[1] > pa[2] || pa[3] < 1)
			goto bad_llq;
		/* steps divide the factor, or are a multiple of it dividing a power of it */
		if (pa[3] < pa[0]) {
			if (pa[0] % pa[3])
				goto bad_llq;
		} else {
			if (pa[3] % pa[0])
				goto bad_llq;
			for (v = pa[0]; v < pa[3]; v *= pa[0])
				;
			if (v % pa[3])
				goto bad_llq;
		}
		if (ktrace_agg_nvals(a) > KTRACE_MAX_LLQ_VALS)
			goto bad_llq;
	}
	for (j = np; j < ARRAY_SIZE(a->params); j++) {
		if (pa[j]) {
			ktrace_vlog(log, "agg %u: unused params[%u] is not zero\n", i, j);
			return -EINVAL;
		}
	}
	return 0;
bad_llq:
	ktrace_vlog(log, "agg %u: bad llquantize (factor %lld, low %lld, high %lld, steps %lld)\n",
		    i, (long long)pa[0], (long long)pa[1], (long long)pa[2], (long long)pa[3]);
	return -EINVAL;
}

static int check_aggs(struct ktrace_prog *p, struct ktrace_vlog *log)
{
	u32 i, j;

	for (i = 0; i < p->naggs; i++) {
		const struct ktrace_agg_desc *a = &p->aggs[i];

		if (check_name(p, "agg", i, a->name, log))
			return -EINVAL;
		if (a->func >= KTRACE_AGGFUNC_NR) {
			ktrace_vlog(log, "agg %u: unknown function %u\n", i, a->func);
			return -EINVAL;
		}
		if (a->nkeys > KTRACE_MAX_KEYS) {
			ktrace_vlog(log, "agg %u: bad key count %u\n", i, a->nkeys);
			return -EINVAL;
		}
		for (j = 0; j < KTRACE_MAX_KEYS; j++) {
			/* bytes are record fields only */
			if (j < a->nkeys ? a->key_types[j] >= KTRACE_TYPE_MAX ||
					   a->key_types[j] == KTRACE_TYPE_BYTES : a->key_types[j]) {
				ktrace_vlog(log, "agg %u: bad key type %u at %u\n", i,
					    a->key_types[j], j);
				return -EINVAL;
			}
		}
		if (check_agg_params(a, i, log))
			return -EINVAL;
		p->agg_nvals[i] = ktrace_agg_nvals(a);
	}
	return 0;
}

/*
 * An aggsize that cannot hold one entry of each aggregation is refused
 * (ENOSPC), as DTrace refuses an enabling that exceeds its buffer: that
 * aggregation could only drop.  After check_aggs() (agg_nvals).
 */
static int check_aggsize(const struct ktrace_prog *p, struct ktrace_vlog *log)
{
	u32 agg = 0;
	u64 need = ktrace_agg_min_size(p, &agg);

	if (p->opts.aggsize >= need)
		return 0;
	ktrace_vlog(log, "opts: aggsize %llu cannot hold one entry of @%s (at least %llu bytes)\n",
		    (u64)p->opts.aggsize, p->strtab + p->aggs[agg].name, need);
	return -ENOSPC;
}

static bool action_uses_agg(u32 kind)
{
	return kind == KTRACE_ACT_PRINTA || kind == KTRACE_ACT_CLEAR ||
	       kind == KTRACE_ACT_TRUNC || kind == KTRACE_ACT_NORMALIZE ||
	       kind == KTRACE_ACT_DENORMALIZE;
}

static bool action_destructive(u32 kind)
{
	switch (kind) {
#define KTRACE_ACT_DESTR(name, val, str, rec, destr) case val: return destr;
	KTRACE_ACTIONS(KTRACE_ACT_DESTR)
#undef KTRACE_ACT_DESTR
	}
	return false;
}

static int check_actions(struct ktrace_prog *p, struct ktrace_vlog *log)
{
	u32 i;

	for (i = 0; i < p->nactions; i++) {
		const struct ktrace_action_desc *a = &p->actions[i];

		if (a->kind >= KTRACE_ACT_MAX) {
			ktrace_vlog(log, "action %u: unknown kind %u\n", i, a->kind);
			return -EINVAL;
		}
		if (a->nargs > KTRACE_TUPLE_MAX) {
			ktrace_vlog(log, "action %u: %u arguments (max %u)\n", i, a->nargs,
				    KTRACE_TUPLE_MAX);
			return -EINVAL;
		}
		if (check_name(p, "action", i, a->fmt, log))
			return -EINVAL;
		if (action_uses_agg(a->kind) ? a->agg >= p->naggs : a->agg) {
			ktrace_vlog(log, "action %u: bad aggregation index %u\n", i, a->agg);
			return -EINVAL;
		}
		if (action_destructive(a->kind) &&
		    !(p->hdr->flags & KTRACE_OBJ_F_DESTRUCTIVE)) {
			ktrace_vlog(log, "action %u: destructive action in an object not flagged destructive\n",
				    i);
			return -EINVAL;
		}
	}
	if ((p->hdr->flags & KTRACE_OBJ_F_DESTRUCTIVE) &&
	    !(p->opts.flags & KTRACE_OPT_F_DESTRUCTIVE)) {
		ktrace_vlog(log, "object: destructive actions need the destructive option (-w)\n");
		return -EACCES;
	}
	return 0;
}

static int check_clauses(struct ktrace_prog *p, struct ktrace_vlog *log)
{
	u32 i;

	for (i = 0; i < p->nclauses; i++) {
		const struct ktrace_clause_desc *c = &p->clauses[i];

		if (c->flags || c->reserved) {
			ktrace_vlog(log, "clause %u: flags/reserved not zero\n", i);
			return -EINVAL;
		}
		if (c->pred_len ? (c->pred_start >= p->ninsns ||
				   c->pred_len > p->ninsns - c->pred_start) : c->pred_start) {
			ktrace_vlog(log, "clause %u: predicate [%u, +%u) outside the %u instructions\n",
				    i, c->pred_start, c->pred_len, p->ninsns);
			return -EINVAL;
		}
		if (!c->body_len || c->body_start >= p->ninsns ||
		    c->body_len > p->ninsns - c->body_start) {
			ktrace_vlog(log, "clause %u: body [%u, +%u) outside the %u instructions\n",
				    i, c->body_start, c->body_len, p->ninsns);
			return -EINVAL;
		}
	}
	for (i = 0; i < p->nenablings; i++) {
		const struct ktrace_enabling *e = &p->enablings[i];

		if (!e->probe || e->clause >= p->nclauses) {
			ktrace_vlog(log, "enabling %u: bad probe %u or clause %u (%u clauses)\n",
				    i, e->probe, e->clause, p->nclauses);
			return -EINVAL;
		}
	}
	return 0;
}

int ktrace_prog_load(const void *obj, u32 size, const struct ktrace_opts *opts,
		     struct ktrace_vlog *log, struct ktrace_prog **progp)
{
	const struct ktrace_obj_hdr *h;
	struct ktrace_prog *p;
	const u8 *b;
	int err;

	*progp = NULL;
	err = check_hdr(obj, size, log);
	if (err)
		return err;
	err = check_sections(obj, size, log);
	if (err)
		return err;
	h = obj;
	/* in bounds now that the sections are checked */
	if (!h->strtab_cnt || ((const u8 *)obj)[h->strtab_off] != '\0') {
		ktrace_vlog(log, "object: string table must start with \"\"\n");
		return -EINVAL;
	}

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	err = check_opts(&p->opts, opts, log);
	if (err)
		goto free_prog;
	err = -ENOMEM;
	p->blob = kvmalloc(size, KTRACE_GFP_MAYFAIL);
	if (!p->blob)
		goto free_prog;
	memcpy(p->blob, obj, size);
	p->blob_size = size;
	b = p->blob;
	h = p->hdr = p->blob;
	p->insns = (const void *)(b + h->insn_off);
	p->ninsns = h->insn_cnt;
	p->ints = (const void *)(b + h->int_off);
	p->nints = h->int_cnt;
	p->strtab = (const char *)(b + h->strtab_off);
	p->strtab_size = h->strtab_cnt;
	p->vars = (const void *)(b + h->var_off);
	p->nvars = h->var_cnt;
	p->aggs = (const void *)(b + h->agg_off);
	p->naggs = h->agg_cnt;
	p->actions = (const void *)(b + h->action_off);
	p->nactions = h->action_cnt;
	p->clauses = (const void *)(b + h->clause_off);
	p->nclauses = h->clause_cnt;
	p->enablings = (const void *)(b + h->enabling_off);
	p->nenablings = h->enabling_cnt;
	p->var_off = kvcalloc(max_t(u32, p->nvars, 1), sizeof(u32), GFP_KERNEL);
	p->agg_nvals = kvcalloc(max_t(u32, p->naggs, 1), sizeof(u32), GFP_KERNEL);
	if (!p->var_off || !p->agg_nvals)
		goto free_prog;

	err = -EINVAL;
	if (p->strtab[p->strtab_size - 1] != '\0') {
		ktrace_vlog(log, "object: string table is not NUL-terminated\n");
		goto free_prog;
	}
	if (check_vars(p, log) || check_aggs(p, log) || check_clauses(p, log))
		goto free_prog;
	err = check_aggsize(p, log);
	if (err)
		goto free_prog;
	err = check_actions(p, log);
	if (err)
		goto free_prog;
	err = ktrace_verify(p, log);
	if (err)
		goto free_prog;
	*progp = p;
	return 0;

free_prog:
	ktrace_prog_free(p);
	return err;
}

void ktrace_prog_free(struct ktrace_prog *prog)
{
	if (!prog)
		return;
	kvfree(prog->var_off);
	kvfree(prog->agg_nvals);
	kvfree(prog->blob);
	kfree(prog);
}
