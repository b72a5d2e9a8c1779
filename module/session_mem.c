// SPDX-License-Identifier: GPL-2.0
/*
 * session_mem.c: a session's memory (docs/buffers.md): the options that
 * size it and its accounting (mem.c), the mapping's layout (header pages,
 * then per CPU a buffer header page, the principal buffer and two
 * aggregation copies), the per-CPU VM state and the ECBs that LOAD builds,
 * their release, the AGGSNAP flip of the aggregation copies, mmap (pages
 * inserted on fault: the principal buffers' data pages exist only once
 * their CPU wrote there, buffer.c) and poll.
 *
 * Locks (order in ktrace_internal.h; session.c describes the others):
 *   s->lock (mutex)  held by LOAD (ktrace_session_build, and
 *                    ktrace_session_free_load when LOAD fails) and
 *                    AGGSNAP; release frees the memory without it, once
 *                    the probes are detached and every work and timer
 *                    has stopped (session.c:ktrace_session_destroy).  It
 *                    is never taken by mmap (which runs under mmap_lock
 *                    while LOAD copies from user memory under s->lock):
 *                    mmap only reads s->map, published once with a
 *                    release store (s->mapped,
 *                    session.c:ktrace_session_load_end) after LOAD has
 *                    built everything, and freed at release.  The mmap
 *                    fault handler reads a CPU's data page pointers
 *                    (READ_ONCE; written by that CPU in probe context,
 *                    buffer.c) and inserts the page; for a page not there
 *                    yet it inserts the session's page of zeros, which
 *                    then stays in that mapping (a consumer reads only
 *                    below head, published after the page: only one
 *                    that reads ahead maps zeros, and loses its own
 *                    records there).
 *   s->agg_lock      the aggregation copies' pages and mappings (struct
 *   (mutex)          ktrace_aggmap): taken by AGGSNAP (inside s->lock)
 *                    and by the growth work (agg_grow_work, alone: the
 *                    teardown cancels it holding neither).  A copy is
 *                    mapped with its header, buckets and
 *                    KTRACE_AGG_ROOM_LOAD bytes of entries at LOAD; an
 *                    insert that leaves less than half of the mapped
 *                    room asks (agg.c:agg_mapped, any context: a bit and
 *                    the session's irq_work), and the work maps twice
 *                    as many pages at a new address and hands it to the
 *                    owner CPU in an IPI (agg_swap), which no firing can
 *                    be in the middle of.  The mmap fault handler reads
 *                    a copy's pages below 'mapped' (acquire).
 *   poll             no lock: the state (READ_ONCE), then each CPU's
 *                    buffer head (buffer.c) once GO made them reachable.
 *   per-CPU state    struct ktrace_cpu: its CPU in probe context; process
 *                    context only before GO, after the probes are
 *                    detached, or from an IPI (AGGSNAP).
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/log2.h>
#include <linux/cpu.h>
#include <linux/sizes.h>
#include <linux/math64.h>
#include "ktrace_internal.h"

/* ------------------------------------------------------------------ */
/* layout and LOAD                                                     */
/* ------------------------------------------------------------------ */

/*
 * Effective options: the VM's defaults, sizes rounded as the buffers
 * need (uapi: any size from 1 byte is accepted).  A principal buffer is
 * a power of two of whole pages; an aggregation copy holds aggsize bytes
 * (header included; it is allocated and mapped as whole pages,
 * agg_copy_size()); the dynamic variable space is at least
 * KTRACE_DYNVARS_MIN bytes (its header and bucket table); a speculation
 * buffer's records are 8-aligned.
 */
static void fill_opts(struct ktrace_opts *o)
{
	ktrace_opts_defaults(o);
	o->bufsize = roundup_pow_of_two(max_t(u64, o->bufsize, PAGE_SIZE));
	o->aggsize = ALIGN(max_t(u64, o->aggsize, sizeof(struct ktrace_agg_hdr)), 8);
	o->dynvarsize = ALIGN(max_t(u64, o->dynvarsize, KTRACE_DYNVARS_MIN), 8);
	o->specsize = ALIGN(o->specsize, 8);
}

static bool prog_uses_dynvars(const struct ktrace_prog *prog)
{
	u32 i;

	for (i = 0; i < prog->nvars; i++)
		if (prog->vars[i].scope == KTRACE_SCOPE_TLS ||
		    prog->vars[i].scope == KTRACE_SCOPE_GARRAY ||
		    prog->vars[i].scope == KTRACE_SCOPE_TARRAY)
			return true;
	return false;
}

/*
 * Bytes of one aggregation copy: a program without aggregations gets one
 * page (an empty, valid copy) instead of aggsize, which vmalloc_user()
 * would zero for nothing (megabytes per CPU: most of a short session's
 * start-up under emulation).
 */
static u64 agg_copy_size(const struct ktrace_session *s)
{
	return s->prog->naggs ? PAGE_ALIGN(s->opts.aggsize) : PAGE_SIZE;
}

/* Bytes an aggregation copy may fill: aggsize, or the empty copy's page. */
static u64 agg_room(const struct ktrace_session *s)
{
	return s->prog->naggs ? s->opts.aggsize : PAGE_SIZE;
}

/* The program stages records for speculations: a speculate() action. */
static bool prog_speculates(const struct ktrace_prog *prog)
{
	u32 i;

	for (i = 0; i < prog->nactions; i++)
		if (prog->actions[i].kind == KTRACE_ACT_SPECULATE)
			return true;
	return false;
}

/* Bytes of one CPU's speculation buffers (none without speculate()). */
static u64 spec_cpu_size(const struct ktrace_session *s)
{
	return prog_speculates(s->prog) ? (u64)s->nspec * s->opts.specsize : 0;
}

/* The mapping's size: header pages, then per CPU buffer and aggregation pages. */
static u64 map_bytes(const struct ktrace_session *s, u64 *hdrp, u64 *per_cpup)
{
	u64 per_cpu = PAGE_SIZE + s->opts.bufsize + 2 * agg_copy_size(s);
	u64 hdr = PAGE_ALIGN(sizeof(struct ktrace_map_hdr) +
			     (u64)nr_cpu_ids * sizeof(struct ktrace_cpu_area));

	if (hdrp)
		*hdrp = hdr;
	if (per_cpup)
		*per_cpup = per_cpu;
	return hdr + per_cpu * num_possible_cpus();
}

/* Slots of the page pool: what all data pages need, at most KTRACE_POOL_MAX. */
static unsigned long pool_cap(const struct ktrace_session *s)
{
	u64 pages = (u64)num_possible_cpus() * (s->opts.bufsize >> PAGE_SHIFT);

	return roundup_pow_of_two(min_t(u64, pages, KTRACE_POOL_MAX));
}

/* A CPU's scratch: strings and temporaries, and scratchsize for alloca(). */
static u32 scratch_bytes(const struct ktrace_opts *o)
{
	return 8 * ktrace_str_slot(o) + KTRACE_SCRATCH_EXTRA + o->scratchsize;
}

/*
 * Everything LOAD may allocate for s, by kind (for mem.c): the mapped
 * buffers (the principal buffers' data pages only as they are used), the
 * speculation buffers, the dynamic variable space, and the rest (per-CPU
 * VM state: scratch, clause locals, record staging, the data page
 * tables; the globals, the ECBs, the program, the pool's slots).
 */
static void session_mem(const struct ktrace_session *s, u64 dynsize, struct ktrace_mem *m)
{
	const struct ktrace_opts *o = &s->opts;
	const struct ktrace_prog *prog = s->prog;
	u64 ncpus = num_possible_cpus();
	u64 cpu_state = sizeof(struct ktrace_cpu) + scratch_bytes(o) +
			max_t(u32, prog->locals_size, 8) +
			min_t(u64, KTRACE_REC_STAGING, o->bufsize / 4) +
			(u64)s->nspec * sizeof(struct ktrace_specbuf) +
			(o->bufsize >> PAGE_SHIFT) * sizeof(u8 *) + sizeof(u32);

	m->bufs = map_bytes(s, NULL, NULL);
	/* reserved as the options ask; allocated only for a program that speculates */
	m->spec = ncpus * s->nspec * o->specsize;
	m->dyn = dynsize;
	m->other = ncpus * cpu_state + max_t(u32, prog->globals_size, 8) +
		   (u64)s->nspec * sizeof(*s->spec) + (u64)nr_cpu_ids * sizeof(*s->cpu) +
		   (u64)max_t(u32, prog->nenablings, 1) * sizeof(*s->ecbs) + prog->blob_size +
		   (u64)pool_cap(s) * sizeof(void *) + PAGE_SIZE;	/* + zpage */
}

/*
 * The mapping: header pages, then per CPU: buf header page + data, 2 agg
 * copies.  Allocated here: the header pages; alloc_cpu() allocates the
 * buffer header pages and the aggregation copies' first pages, the pool
 * the data pages.
 */
static int alloc_map(struct ktrace_session *s, struct ktrace_vlog *log)
{
	const struct ktrace_opts *o = &s->opts;
	u64 aggsize = agg_copy_size(s);
	u64 hdr, per_cpu, total = map_bytes(s, &hdr, &per_cpu);
	struct ktrace_map_hdr *mh;
	u64 off = hdr;
	unsigned int cpu, slot = 0;

	if (total > (u64)INT_MAX * PAGE_SIZE) {
		ktrace_vlog(log, "options: buffers need %llu bytes (%llu per CPU), over %llu\n",
			    total, per_cpu, (u64)INT_MAX * PAGE_SIZE);
		return -ENOMEM;
	}
	/* mapped page by page (ktrace_session_mmap), so no VM_USERMAP needed */
	s->map = __vmalloc(hdr, KTRACE_GFP_MAYFAIL | __GFP_ZERO);
	s->slot_cpu = kcalloc(num_possible_cpus(), sizeof(*s->slot_cpu), GFP_KERNEL);
	s->zpage = (void *)__get_free_page(KTRACE_GFP_MAYFAIL | __GFP_ZERO);
	if (!s->map || !s->slot_cpu || !s->zpage) {
		ktrace_vlog(log, "options: cannot allocate %llu bytes of buffers\n", hdr);
		return -ENOMEM;
	}
	s->map_size = total;
	s->hdr_map_size = hdr;
	s->cpu_map_size = per_cpu;
	mh = s->map;
	mh->magic = KTRACE_OBJ_MAGIC;
	mh->version = KTRACE_ABI_VERSION;
	mh->ncpus = nr_cpu_ids;
	mh->page_size = PAGE_SIZE;
	mh->map_size = total;
	for_each_possible_cpu(cpu) {
		struct ktrace_cpu_area *a = &mh->cpu[cpu];

		a->buf_off = off;
		a->buf_size = o->bufsize;
		off += PAGE_SIZE + o->bufsize;
		a->agg_off[0] = off;
		a->agg_off[1] = off + aggsize;
		a->agg_size = aggsize;
		off += 2 * aggsize;
		s->slot_cpu[slot++] = cpu;
	}
	s->mhdr = mh;
	return 0;
}

/* ------------------------------------------------------------------ */
/* aggregation copies: mapped as they fill                             */
/* ------------------------------------------------------------------ */

/* Pages of a copy mapped at LOAD: header, buckets, KTRACE_AGG_ROOM_LOAD. */
static unsigned int agg_pages_at_load(const struct ktrace_session *s)
{
	u64 want = PAGE_ALIGN(ktrace_agg_entries_off(agg_room(s)) + KTRACE_AGG_ROOM_LOAD);

	return min(want, agg_copy_size(s)) >> PAGE_SHIFT;
}

/* Bytes the copies of every CPU leave unmapped at LOAD (not resident yet). */
static u64 agg_unmapped_at_load(const struct ktrace_session *s)
{
	return (u64)num_possible_cpus() * 2 *
	       (agg_copy_size(s) - ((u64)agg_pages_at_load(s) << PAGE_SHIFT));
}

/* grow() of a kernel copy (agg.c:agg_mapped), any context. */
static void agg_grow_ask(struct ktrace_aggbuf *ab)
{
	struct ktrace_cpu *c = ab->owner;

	ktrace_session_kick(c->sess, KTRACE_KICK_AGG);
}

/* Allocate pages [m->mapped, n) of a copy; returns how far it got. */
static unsigned int agg_pages_alloc(struct ktrace_aggmap *m, unsigned int n)
{
	unsigned int k;

	for (k = m->mapped; k < n; k++) {
		/* zeroed: the consumer maps them */
		m->pg[k] = alloc_page(KTRACE_GFP_MAYFAIL | __GFP_ZERO);
		if (!m->pg[k])
			break;
	}
	return k;
}

static void agg_pages_free(struct ktrace_aggmap *m, unsigned int from, unsigned int to)
{
	while (to > from)
		__free_page(m->pg[--to]);
}

/* A copy's limit when n of its pages are mapped: 0 once all of them are. */
static size_t agg_limit(const struct ktrace_aggmap *m, unsigned int n)
{
	return n == m->total ? 0 : (size_t)n << PAGE_SHIFT;
}

/* LOAD: copy i of CPU c, its first pages mapped and reset. */
static int agg_map_init(struct ktrace_session *s, struct ktrace_cpu *c, unsigned int i)
{
	struct ktrace_aggmap *m = &c->aggmap[i];
	struct ktrace_aggbuf *ab = &c->agg[i];
	unsigned int n = agg_pages_at_load(s), got;

	m->total = agg_copy_size(s) >> PAGE_SHIFT;
	m->pg = kvcalloc(m->total, sizeof(*m->pg), KTRACE_GFP_MAYFAIL);
	if (!m->pg)
		return -ENOMEM;
	got = agg_pages_alloc(m, n);
	ab->hdr = got == n ? vmap(m->pg, n, VM_MAP, PAGE_KERNEL) : NULL;
	if (!ab->hdr)
		goto free_pages;
	m->mapped = n;
	ab->size = agg_room(s);
	ab->limit = agg_limit(m, n);
	ab->grow = agg_grow_ask;
	ab->owner = c;
	ktrace_aggbuf_reset(ab);
	return 0;

free_pages:
	agg_pages_free(m, 0, got);
	kvfree(m->pg);
	m->pg = NULL;
	return -ENOMEM;
}

static void agg_map_free(struct ktrace_aggmap *m, struct ktrace_aggbuf *ab)
{
	if (ab->hdr)
		vunmap(ab->hdr);
	ab->hdr = NULL;
	if (m->pg)
		agg_pages_free(m, 0, m->mapped);
	kvfree(m->pg);
	m->pg = NULL;
}

struct agg_swap_arg {
	struct ktrace_aggbuf	*ab;
	void			*hdr;
	size_t			limit;
};

/*
 * On the copy's CPU, between its firings (an IPI; or directly when it is
 * offline): the new mapping, then its limit, then a new request may come.
 * An NMI firing that interrupts this sees the new hdr with the old limit
 * at worst (agg.c:agg_mapped reads limit once).
 */
static void agg_swap(void *arg)
{
	struct agg_swap_arg *a = arg;

	WRITE_ONCE(a->ab->hdr, a->hdr);
	barrier();
	WRITE_ONCE(a->ab->limit, a->limit);
	barrier();
	WRITE_ONCE(a->ab->asked, 0);
}

/*
 * Map twice the pages of copy i of CPU c (s->agg_lock held).  On failure
 * the copy keeps its mapping and its request (no more are made): its
 * inserts past the mapping are dropped and counted, as past aggsize.
 */
static void agg_grow(struct ktrace_session *s, struct ktrace_cpu *c, unsigned int i)
{
	struct ktrace_aggmap *m = &c->aggmap[i];
	struct ktrace_aggbuf *ab = &c->agg[i];
	unsigned int n = min(m->total, 2 * m->mapped), got;
	struct agg_swap_arg a = { .ab = ab };
	void *old = ab->hdr;

	if (m->mapped == m->total)
		return;
	got = agg_pages_alloc(m, n);
	a.hdr = got == n ? vmap(m->pg, n, VM_MAP, PAGE_KERNEL) : NULL;
	if (!a.hdr) {
		agg_pages_free(m, m->mapped, got);
		return;
	}
	ktrace_mem_resident_add(s, (s64)(n - m->mapped) << PAGE_SHIFT);
	/* the pages before the copy can reach them: pairs with map_page() */
	smp_store_release(&m->mapped, n);
	a.limit = agg_limit(m, n);
	cpus_read_lock();
	if (!cpu_online(c->cpu) || smp_call_function_single(c->cpu, agg_swap, &a, 1))
		agg_swap(&a);
	cpus_read_unlock();
	/* no firing on c->cpu uses the old mapping any more */
	vunmap(old);
}

/* KTRACE_KICK_AGG's work: grow every copy that asked. */
void ktrace_agg_grow_work(struct work_struct *work)
{
	struct ktrace_session *s = container_of(work, struct ktrace_session, agg_work);
	unsigned int cpu, i;

	mutex_lock(&s->agg_lock);
	for_each_possible_cpu(cpu)
		for (i = 0; i < 2; i++)
			if (READ_ONCE(s->cpu[cpu]->agg[i].asked))
				agg_grow(s, s->cpu[cpu], i);
	mutex_unlock(&s->agg_lock);
}

/* CPU cpu's state, its buffer header page and its aggregation copies. */
static int alloc_cpu(struct ktrace_session *s, unsigned int cpu)
{
	const struct ktrace_opts *o = &s->opts;
	struct ktrace_cpu_area *a = &s->mhdr->cpu[cpu];
	u64 spec_size = spec_cpu_size(s);
	struct ktrace_cpu *c;
	u32 i;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	s->cpu[cpu] = c;
	c->sess = s;
	c->cpu = cpu;
	c->bhdr = (void *)__get_free_page(KTRACE_GFP_MAYFAIL | __GFP_ZERO);
	c->bpg = kvcalloc(o->bufsize >> PAGE_SHIFT, sizeof(*c->bpg), KTRACE_GFP_MAYFAIL);
	if (!c->bhdr || !c->bpg)
		return -ENOMEM;
	c->bsize = o->bufsize;
	c->consumer_tail = &a->consumer_tail;
	c->wake_armed = true;
	for (i = 0; i < 2; i++) {
		int err = agg_map_init(s, c, i);

		if (err)
			return err;
	}
	c->vm.rt = &s->rt;
	c->vm.prog = s->prog;
	c->vm.agg = &c->agg[0];
	c->vm.env = c;
	c->vm.scratch_size = scratch_bytes(o);
	c->vm.scratch = kvzalloc(c->vm.scratch_size, KTRACE_GFP_MAYFAIL);
	c->vm.locals = kvzalloc(max_t(u32, s->prog->locals_size, 8), KTRACE_GFP_MAYFAIL);
	c->vm.rec_size = min_t(u64, KTRACE_REC_STAGING, o->bufsize / 4);
	c->vm.rec = kvzalloc(c->vm.rec_size, KTRACE_GFP_MAYFAIL);
	if (!c->vm.scratch || !c->vm.locals || !c->vm.rec)
		return -ENOMEM;
	c->spec = kcalloc(s->nspec, sizeof(*c->spec), GFP_KERNEL);
	if (!c->spec)
		return -ENOMEM;
	if (!spec_size)		/* nothing is ever staged: every size 0 */
		goto done;
	c->spec[0].data = kvzalloc(spec_size, KTRACE_GFP_MAYFAIL);
	if (!c->spec[0].data)
		return -ENOMEM;
	for (i = 0; i < s->nspec; i++) {
		c->spec[i].data = c->spec[0].data + (size_t)i * o->specsize;
		c->spec[i].size = o->specsize;
	}
done:
	ktrace_env_cpu_init(c);
	return 0;
}

/*
 * What of a clause's code cannot run in NMI context (docs/architecture.md,
 * "NMI context"): the name of the first such subroutine or action, or NULL.
 * chill() busy-waits; copyout()/copyoutstr() write user memory.
 */
static const char *range_nmi_unsafe(const struct ktrace_prog *prog, u32 start, u32 len)
{
	const struct ktrace_insn *in;
	u32 i;

	for (i = start; i < start + len && i < prog->ninsns; i++) {
		in = &prog->insns[i];
		if (in->op == KTRACE_OP_CALL && in->imm == KTRACE_SUBR_COPYOUT)
			return "copyout()";
		if (in->op == KTRACE_OP_CALL && in->imm == KTRACE_SUBR_COPYOUTSTR)
			return "copyoutstr()";
		if (in->op == KTRACE_OP_ACT && (u32)in->imm < prog->nactions &&
		    prog->actions[in->imm].kind == KTRACE_ACT_CHILL)
			return "chill()";
	}
	return NULL;
}

static int check_nmi_clause(const struct ktrace_prog *prog, u32 clause,
			    const struct ktrace_probe *p, struct ktrace_vlog *log)
{
	const struct ktrace_clause_desc *cd = &prog->clauses[clause];
	const char *what;

	if (!p->prov->fires_in_nmi || !p->prov->fires_in_nmi(p))
		return 0;
	what = range_nmi_unsafe(prog, cd->pred_start, cd->pred_len) ?:
	       range_nmi_unsafe(prog, cd->body_start, cd->body_len);
	if (!what)
		return 0;
	ktrace_vlog(log, "clause %u: %s cannot run in NMI context, where %s:%s:%s:%s fires\n",
		    clause, what, p->desc.provider, p->desc.module, p->desc.function,
		    p->desc.name);
	return -EINVAL;
}

/*
 * The page pool of the principal buffers (buffer.c): its slots, and its
 * first ktrace_buf_pool_pages pages.
 */
static int pool_init(struct ktrace_session *s, struct ktrace_vlog *log)
{
	struct ktrace_pool *p = &s->pool;

	p->cap = pool_cap(s);
	p->slot = kvcalloc(p->cap, sizeof(*p->slot), KTRACE_GFP_MAYFAIL);
	if (!p->slot) {
		ktrace_vlog(log, "out of memory for the buffer page pool\n");
		return -ENOMEM;
	}
	p->left = (unsigned long)num_possible_cpus() * (s->opts.bufsize >> PAGE_SHIFT);
	p->target = clamp_t(unsigned long, READ_ONCE(ktrace_buf_pool_pages), 1, p->cap);
	if (!ktrace_pool_fill(s)) {
		ktrace_vlog(log, "cannot allocate the buffer page pool\n");
		return -ENOMEM;
	}
	return 0;
}

/* Free the pool's pages not taken, then the data pages each CPU took. */
static void pool_free(struct ktrace_session *s)
{
	struct ktrace_pool *p = &s->pool;
	unsigned int cpu;
	u64 i;

	if (p->slot)
		for (i = p->taken; i != p->filled; i++)
			free_page((unsigned long)p->slot[i & (p->cap - 1)]);
	kvfree(p->slot);
	p->slot = NULL;
	p->taken = p->filled = 0;
	if (!s->cpu)
		return;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct ktrace_cpu *c = s->cpu[cpu];

		if (!c || !c->bpg)
			continue;
		for (i = 0; i < (c->bsize >> PAGE_SHIFT); i++)
			if (c->bpg[i])
				free_page((unsigned long)c->bpg[i]);
	}
}

/* LOAD (s->lock held): allocate and build everything for s->prog. */
int ktrace_session_build(struct ktrace_session *s, struct ktrace_vlog *log)
{
	const struct ktrace_prog *prog = s->prog;
	struct ktrace_mem mem;
	unsigned int cpu;
	u64 dynsize;
	u32 i;
	int err;

	s->opts = prog->opts;
	fill_opts(&s->opts);
	s->destructive = s->opts.flags & KTRACE_OPT_F_DESTRUCTIVE;
	s->nodeadman = s->opts.flags & KTRACE_OPT_F_NODEADMAN;
	s->nspec = s->opts.nspec;
	s->watermark = max_t(u64, s->opts.bufsize / 4, 1);
	dynsize = prog_uses_dynvars(prog) ? s->opts.dynvarsize : KTRACE_DYNVARS_MIN;

	session_mem(s, dynsize, &mem);
	err = ktrace_mem_reserve(s, &mem, log);
	if (err)
		return err;
	/*
	 * all of it but the data pages, which the pool counts as it
	 * allocates, the aggregation copies' pages past the first ones,
	 * which agg_grow() counts, and the speculation buffers of a program
	 * that never speculates
	 */
	ktrace_mem_resident_add(s, mem.bufs + mem.dyn + mem.other +
				(u64)num_possible_cpus() * spec_cpu_size(s) -
				(u64)num_possible_cpus() * s->opts.bufsize -
				agg_unmapped_at_load(s));
	err = alloc_map(s, log);
	if (err)
		return err;

	s->globals = kvzalloc(max_t(u32, prog->globals_size, 8), KTRACE_GFP_MAYFAIL);
	s->dynmem = kvzalloc(dynsize, KTRACE_GFP_MAYFAIL);
	s->spec = kcalloc(s->nspec, sizeof(*s->spec), GFP_KERNEL);
	s->cpu = kcalloc(nr_cpu_ids, sizeof(*s->cpu), GFP_KERNEL);
	s->ecbs = kcalloc(max_t(u32, prog->nenablings, 1), sizeof(*s->ecbs), GFP_KERNEL);
	if (!s->globals || !s->dynmem || !s->spec || !s->cpu || !s->ecbs) {
		ktrace_vlog(log, "out of memory for session state\n");
		return -ENOMEM;
	}
	s->dynsize = dynsize;
	err = ktrace_dynvars_init(&s->rt.dynvars, s->dynmem, dynsize);
	if (err) {
		ktrace_vlog(log, "option dynvarsize: cannot initialise %llu bytes\n", dynsize);
		return err;
	}
	s->clean_on = prog_uses_dynvars(prog);
	s->rt.prog = prog;
	s->rt.globals = s->globals;
	s->rt.owner = s;

	for (i = 0; i < num_possible_cpus(); i++) {
		cpu = s->slot_cpu[i];
		err = alloc_cpu(s, cpu);
		if (err) {
			ktrace_vlog(log, "out of memory for CPU %u state\n", cpu);
			return err;
		}
	}
	err = pool_init(s, log);
	if (err)
		return err;

	s->only_dtrace = true;
	for (i = 0; i < prog->nenablings; i++) {
		const struct ktrace_enabling *en = &prog->enablings[i];
		struct ktrace_ecb *e = &s->ecbs[i];

		if (en->clause >= prog->nclauses) {
			ktrace_vlog(log, "enabling %u: clause %u does not exist\n", i, en->clause);
			return -EINVAL;
		}
		e->probe = ktrace_probe_lookup_id(en->probe);
		if (!e->probe) {
			ktrace_vlog(log, "enabling %u: no probe with id %u\n", i, en->probe);
			return -ENOENT;
		}
		err = check_nmi_clause(prog, en->clause, e->probe, log);
		if (err)
			return err;
		if (en->probe == KTRACE_PROBE_END)
			s->has_end = true;
		if (en->probe > KTRACE_PROBE_ERROR)
			s->only_dtrace = false;
		e->sess = s;
		e->clause = &prog->clauses[en->clause];
		e->epid = i + 1;
		INIT_LIST_HEAD(&e->node);
	}
	s->necbs = prog->nenablings;
	if (s->opts.bufpolicy == KTRACE_BUFPOLICY_FILL && s->has_end)
		s->reserve = min_t(u64, s->opts.bufsize / 4, KTRACE_REC_STAGING);
	return 0;
}

/* Free everything LOAD allocated; nothing may run on it any more. */
void ktrace_session_free_load(struct ktrace_session *s)
{
	unsigned int cpu;

	pool_free(s);
	if (s->cpu) {
		for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
			struct ktrace_cpu *c = s->cpu[cpu];

			if (!c)
				continue;
			ktrace_env_cpu_sync(c);
			agg_map_free(&c->aggmap[0], &c->agg[0]);
			agg_map_free(&c->aggmap[1], &c->agg[1]);
			kvfree(c->bpg);
			free_page((unsigned long)c->bhdr);
			kvfree(c->vm.scratch);
			kvfree(c->vm.locals);
			kvfree(c->vm.rec);
			if (c->spec)
				kvfree(c->spec[0].data);
			kfree(c->spec);
			kfree(c);
		}
		kfree(s->cpu);
		s->cpu = NULL;
	}
	kfree(s->ecbs);
	s->ecbs = NULL;
	s->necbs = 0;
	kfree(s->spec);
	s->spec = NULL;
	kvfree(s->dynmem);
	s->dynmem = NULL;
	kvfree(s->globals);
	s->globals = NULL;
	vfree(s->map);
	s->map = NULL;
	kfree(s->slot_cpu);
	s->slot_cpu = NULL;
	free_page((unsigned long)s->zpage);
	s->zpage = NULL;
	ktrace_prog_free(s->prog);
	s->prog = NULL;
	ktrace_mem_release(s);
}

/* ------------------------------------------------------------------ */
/* AGGSNAP                                                             */
/* ------------------------------------------------------------------ */

static void aggflip_ipi(void *arg)
{
	struct ktrace_session *s = arg;
	struct ktrace_cpu *c = s->cpu[smp_processor_id()];

	if (!c)
		return;
	c->agg_active ^= 1;
	c->vm.agg = &c->agg[c->agg_active];
}

/* An offline CPU runs no probe: flip it directly (CPU hotplug is held off). */
static void aggflip_offline(struct ktrace_session *s, unsigned int cpu)
{
	struct ktrace_cpu *c = s->cpu[cpu];

	c->agg_active ^= 1;
	c->vm.agg = &c->agg[c->agg_active];
}

/*
 * AGGSNAP (s->lock held): flip every CPU's aggregation copies; returns
 * the copy user space may now read (0 or 1), or -ENOENT before LOAD.
 */
int ktrace_session_aggsnap(struct ktrace_session *s)
{
	unsigned int cpu;

	if (s->state == KTRACE_STATE_NEW)
		return -ENOENT;
	mutex_lock(&s->agg_lock);
	/* the copy read last time is inactive everywhere: empty it */
	if (s->agg_readable >= 0)
		for_each_possible_cpu(cpu)
			ktrace_aggbuf_reset(&s->cpu[cpu]->agg[s->agg_readable]);
	/* a CPU in probe context has irqs off: the flip cannot split an update */
	cpus_read_lock();
	on_each_cpu(aggflip_ipi, s, 1);
	/* offline CPUs did not get the IPI: flip them here (nothing runs there) */
	for_each_possible_cpu(cpu)
		if (!cpu_online(cpu))
			aggflip_offline(s, cpu);
	cpus_read_unlock();
	mutex_unlock(&s->agg_lock);
	s->agg_readable = s->cpu[cpumask_first(cpu_possible_mask)]->agg_active ^ 1;
	return s->agg_readable;
}

/* ------------------------------------------------------------------ */
/* mmap / poll                                                         */
/* ------------------------------------------------------------------ */

/*
 * The page at offset off of the mapping (off < map_size); for a principal
 * buffer's data page its CPU has not written yet, or an aggregation
 * copy's page not mapped yet, the page of zeros.  The consumer reads a
 * copy below its 'used' only, which the copy's CPU moved past a page
 * after agg_grow() published it.
 */
static struct page *map_page(struct ktrace_session *s, u64 off)
{
	struct ktrace_cpu *c;
	u64 r, slot;
	unsigned int i;
	u8 *pg;

	if (off < s->hdr_map_size)
		return vmalloc_to_page(s->map + off);
	slot = div64_u64_rem(off - s->hdr_map_size, s->cpu_map_size, &r);
	c = s->cpu[s->slot_cpu[slot]];
	if (r < PAGE_SIZE)
		return virt_to_page(c->bhdr);
	r -= PAGE_SIZE;
	if (r < c->bsize) {
		/* see buffer.c:buf_back: written before the head that covers it */
		pg = READ_ONCE(c->bpg[r >> PAGE_SHIFT]);
		return virt_to_page(pg ?: s->zpage);
	}
	r -= c->bsize;
	i = r >= agg_copy_size(s);
	r = (r - i * agg_copy_size(s)) >> PAGE_SHIFT;
	/* pairs with agg_grow()'s release: the page is there */
	if (r < smp_load_acquire(&c->aggmap[i].mapped))
		return c->aggmap[i].pg[r];
	return virt_to_page(s->zpage);
}

/* mmap_lock held for reading; s lives until release, after every munmap */
static vm_fault_t map_fault(struct vm_fault *vmf)
{
	struct ktrace_session *s = vmf->vma->vm_private_data;
	u64 off = (u64)vmf->pgoff << PAGE_SHIFT;
	struct page *page;
	int err;

	if (off >= s->map_size)
		return VM_FAULT_SIGBUS;
	page = map_page(s, off);
	/* VM_MIXEDMAP is set: no mmap_lock for writing needed */
	err = vm_insert_page(vmf->vma, vmf->address & PAGE_MASK, page);
	if (err && err != -EBUSY)	/* -EBUSY: another thread's fault mapped it */
		return vmf_error(err);
	return VM_FAULT_NOPAGE;
}

static const struct vm_operations_struct map_vm_ops = {
	.fault = map_fault,
};

int ktrace_session_mmap(struct ktrace_session *s, struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	void *map;

	/*
	 * LOAD published the map; it lives until release (after every
	 * munmap).  Pairs with the smp_store_release of s->mapped in
	 * session.c:ktrace_session_load_end: map_size, hdr_map_size and
	 * everything map_page() reads are read after it.
	 */
	map = smp_load_acquire(&s->mapped);
	if (!map)
		return -ENODEV;
	if (off >= s->map_size || len > s->map_size - off)
		return -EINVAL;
	if (off + len > s->hdr_map_size) {
		/* the kernel-written part is read-only */
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		vma->vm_flags &= ~VM_MAYWRITE;
	}
	/* pages are inserted as they are touched (map_fault) */
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP | VM_MIXEDMAP;
	vma->vm_ops = &map_vm_ops;
	vma->vm_private_data = s;
	return 0;
}

__poll_t ktrace_session_poll(struct ktrace_session *s, struct file *file, poll_table *pt)
{
	__poll_t mask = 0;
	unsigned int cpu;
	int st;

	poll_wait(file, &s->wq, pt);
	/*
	 * Pairs with session.c:ktrace_session_go's smp_store_release of
	 * ACTIVE, which orders s->cpu before it; no barrier follows this
	 * load (x86 keeps loads in order, see probe.c:ecb_may_run).
	 */
	st = READ_ONCE(s->state);
	if (st == KTRACE_STATE_NEW || st == KTRACE_STATE_LOADED)
		return 0;
	if (st == KTRACE_STATE_DRAINING || st == KTRACE_STATE_STOPPED ||
	    st == KTRACE_STATE_KILLED)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLPRI;
	for_each_possible_cpu(cpu)
		if (ktrace_buf_readable(s->cpu[cpu]))
			mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}
