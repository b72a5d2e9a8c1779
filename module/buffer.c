// SPDX-License-Identifier: GPL-2.0
/*
 * buffer.c: the principal buffer writer, the page pool that backs the
 * principal buffers, and the speculation buffers.
 *
 * Concurrency (docs/buffers.md has the layout and the reader's side):
 *   - A CPU's principal buffer and speculation buffers are written only
 *     by that CPU in probe context (interrupts off, no re-entry), so the
 *     writer needs no lock or atomic; it publishes 'head' with a release
 *     store after the record's bytes.
 *   - The data pages of a principal buffer are taken from the session's
 *     pool (struct ktrace_pool) by that CPU when its first lap reaches
 *     them: a cmpxchg on pool->taken, from any CPU and any context (NMI
 *     included), no lock.  The pool is filled in process context only
 *     (LOAD, then the pool work, queued through the session's irq_work
 *     when a take leaves half its target or less): one filler at a
 *     time, publishing each page with a release store of pool->filled.
 *     A record that needs a page the pool does not have is dropped and
 *     counted like any other drop.
 *   - consumer_tail lives in the user-writable header page: it is read
 *     once per commit and clamped into [head - bsize, head]; a lying
 *     consumer can only lose its own records.
 *   - Process context touches these buffers only while no firing can
 *     run on that CPU: through on_each_cpu() (speculation work; the IPI
 *     cannot interrupt a firing since firings run with irqs off) or after
 *     the session's probes are detached.
 *   - Speculation state words (ktrace_spec.state) are changed with
 *     cmpxchg from probe context and by the speculation work.
 */
#include <linux/kernel.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include "ktrace_internal.h"

/*
 * Read and clamp the consumer's tail (untrusted).  Pairs with the
 * release store in user/consumer.c:cursor_close: the consumer finished
 * reading the bytes below its tail before it stored it.  The writer's
 * stores into the space this frees are ordered after this load by the
 * control dependency of ktrace_buf_commit's room check.
 */
static u64 consumer_tail(struct ktrace_cpu *c)
{
	u64 t = READ_ONCE(*c->consumer_tail);

	if (t > c->head)
		t = c->head;
	if (c->head - t > c->bsize)
		t = c->head - c->bsize;
	return t;
}

/* The data byte at ring position pos (< bsize, backed). */
static __always_inline u8 *buf_at(const struct ktrace_cpu *c, u64 pos)
{
	return c->bpg[pos >> PAGE_SHIFT] + (pos & (PAGE_SIZE - 1));
}

static void write_pad(struct ktrace_cpu *c, u64 pos, u32 len)
{
	struct ktrace_rec *pad = (struct ktrace_rec *)buf_at(c, pos);

	/* a pad record may be only 8 bytes: size and epid 0 */
	pad->size = len;
	pad->epid = 0;
}

/* Ring policy: drop the oldest whole records until 'need' bytes are free. */
static int ring_make_room(struct ktrace_cpu *c, u64 need)
{
	while (c->bsize - (c->head - c->rtail) < need) {
		const struct ktrace_rec *old =
			(const struct ktrace_rec *)buf_at(c, c->rtail & (c->bsize - 1));
		u32 sz = READ_ONCE(old->size);

		if (c->rtail == c->head || sz < 8 || (sz & 7) ||
		    sz > c->head - c->rtail)
			return -EIO;	/* cannot happen: the kernel wrote it */
		c->rtail += sz;
	}
	return 0;
}

/*
 * Copy a record (size a multiple of 8, both ends 8-aligned) word by word:
 * records are small, and memcpy() is a rep movsb that QEMU TCG runs one
 * emulated iteration per byte.  WRITE_ONCE keeps the compiler from turning
 * the loop back into a memcpy() call.
 */
static __always_inline void copy_words(void *dst, const void *src, u32 size)
{
	u64 *d = dst;
	const u64 *s = src;
	u32 i;

	for (i = 0; i < size / 8; i++)
		WRITE_ONCE(d[i], s[i]);
}

/* Copy size bytes to ring position pos (pos + size <= bsize), page by page. */
static void copy_in(struct ktrace_cpu *c, u64 pos, const u8 *src, u32 size)
{
	while (size) {
		u32 n = min_t(u64, size, PAGE_SIZE - (pos & (PAGE_SIZE - 1)));

		copy_words(buf_at(c, pos), src, n);
		pos += n;
		src += n;
		size -= n;
	}
}

/*
 * Take a page from s's pool (any context), or NULL when it is empty.  A
 * take that leaves half the target or less, or finds none, queues the
 * pool work; finding none also makes it double the target.
 */
static void *pool_take(struct ktrace_session *s)
{
	struct ktrace_pool *p = &s->pool;
	unsigned long t, f;
	void *pg;

	for (;;) {
		t = READ_ONCE(p->taken);
		/*
		 * Pairs with the release store in ktrace_pool_fill(): the slots
		 * below 'filled' hold their pages.  taken <= filled always, and
		 * t was read first, so t <= f.
		 */
		f = smp_load_acquire(&p->filled);
		if (t == f) {
			WRITE_ONCE(p->starved, true);
			ktrace_session_kick(s, KTRACE_KICK_POOL);
			return NULL;
		}
		/*
		 * Read before the cmpxchg (a full barrier): the filler reuses
		 * slot t % cap only once taken > t, which fails our cmpxchg.
		 */
		pg = READ_ONCE(p->slot[t & (p->cap - 1)]);
		if (cmpxchg(&p->taken, t, t + 1) == t)
			break;
	}
	if (f - t - 1 <= READ_ONCE(p->target) / 2)
		ktrace_session_kick(s, KTRACE_KICK_POOL);
	return pg;
}

/*
 * Back this CPU's data up to ring position end (first lap only: backed
 * is a prefix, and U64_MAX once the whole buffer is).  false: the pool
 * ran dry (the pages taken so far stay).
 */
static bool buf_back(struct ktrace_cpu *c, u64 end)
{
	void *pg;

	end = min(end, c->bsize);
	while (c->backed < end) {
		pg = pool_take(c->sess);
		if (!pg)
			return false;
		/*
		 * Before the release store of head that publishes the first
		 * record in this page: a consumer that read that head and
		 * touches the page finds it in the mmap fault handler
		 * (session_mem.c:map_page, READ_ONCE).
		 */
		WRITE_ONCE(c->bpg[c->backed >> PAGE_SHIFT], pg);
		c->backed += PAGE_SIZE;
	}
	if (c->backed >= c->bsize)
		c->backed = U64_MAX;
	return true;
}

/*
 * Process context, one filler at a time (LOAD before GO; then only the
 * pool work, which release cancels before freeing): top the pool up to
 * its target.  Returns the pages added.
 */
unsigned long ktrace_pool_fill(struct ktrace_session *s)
{
	struct ktrace_pool *p = &s->pool;
	unsigned long f = p->filled, n = 0;
	void *pg;

	while (p->left && f - READ_ONCE(p->taken) < p->target) {
		pg = (void *)__get_free_page(KTRACE_GFP_MAYFAIL | __GFP_ZERO);
		if (!pg)
			break;
		WRITE_ONCE(p->slot[f & (p->cap - 1)], pg);
		p->left--;
		n++;
		/* the slot before filled: pairs with pool_take's acquire */
		smp_store_release(&p->filled, ++f);
		if (!(n & 63))
			cond_resched();
	}
	ktrace_mem_resident_add(s, (s64)n << PAGE_SHIFT);
	return n;
}

/*
 * The pool work (queued at half the target or less): CPUs that emptied
 * the pool, or drained it to a quarter before this work could run, take
 * pages faster than it refills at this target: double it first.
 */
void ktrace_pool_work(struct work_struct *work)
{
	struct ktrace_session *s = container_of(work, struct ktrace_session, pool.work);
	struct ktrace_pool *p = &s->pool;

	if (READ_ONCE(p->starved) || p->filled - READ_ONCE(p->taken) < p->target / 4) {
		WRITE_ONCE(p->starved, false);
		WRITE_ONCE(p->target, min(p->target * 2, p->cap));
	}
	ktrace_pool_fill(s);
}

/*
 * Copy a whole record (header included, size a multiple of 8) into this
 * CPU's principal buffer.  is_end: an END record may use the fill
 * policy's reserve.  Returns 0 or -ENOSPC (counted as a drop).
 */
int ktrace_buf_commit(struct ktrace_cpu *c, const void *rec, u32 size, bool is_end)
{
	struct ktrace_session *s = c->sess;
	u64 pos = c->head & (c->bsize - 1);
	u64 pad = 0, need, used;

	if (unlikely(size > c->bsize || (size & 7) || size < sizeof(struct ktrace_rec)))
		goto drop;
	if (pos + size > c->bsize)
		pad = c->bsize - pos;
	need = pad + size;
	/*
	 * First lap: the bytes [head, head + need) (the pad, if any, ends at
	 * bsize and the record starts at 0, backed already) need pages.
	 */
	if (unlikely(c->head + need > c->backed) && !buf_back(c, c->head + need))
		goto drop;

	switch (s->opts.bufpolicy) {
	case KTRACE_BUFPOLICY_RING:
		if (ring_make_room(c, need))
			goto drop;
		if (c->rtail != READ_ONCE(c->bhdr->tail)) {
			WRITE_ONCE(c->bhdr->wrapped, 1);
			/*
			 * The tail moves before the head: a reader re-checks
			 * it.  Pairs with the acquire load of tail in
			 * user/consumer.c:cursor_open (after its acquire load
			 * of head, so a reader that sees a head sees at least
			 * the tail stored before it); orders 'wrapped' before
			 * the tail.
			 */
			smp_store_release(&c->bhdr->tail, c->rtail);
		}
		break;
	case KTRACE_BUFPOLICY_FILL:
		used = c->head - consumer_tail(c);
		if (c->bsize - used < need + (is_end ? 0 : s->reserve)) {
			if (!is_end)
				ktrace_session_abort(s, KTRACE_ABORT_FILL);
			goto drop;
		}
		break;
	default:	/* switch */
		used = c->head - consumer_tail(c);
		if (c->bsize - used < need)
			goto drop;
		break;
	}
	if (pad) {
		write_pad(c, pos, pad);
		pos = 0;
	}
	copy_in(c, pos, rec, size);
	c->head += need;
	/*
	 * Publish the record: its bytes (and a pad record) before head.
	 * Pairs with the acquire loads of head in user/consumer.c:cursor_open
	 * and in ktrace_buf_readable() below.
	 */
	smp_store_release(&c->bhdr->head, c->head);

	/*
	 * wake_armed: set by ktrace_buf_readable() (poll, process context)
	 * with WRITE_ONCE, cleared here.  No full barrier orders the arm
	 * against this head store, so a commit racing with poll can miss one
	 * wakeup; the consumer's ppoll() timeout (user/consumer.c) bounds it.
	 */
	if (c->wake_armed && c->head - READ_ONCE(*c->consumer_tail) >= s->watermark) {
		c->wake_armed = false;
		ktrace_session_kick(s, KTRACE_KICK_WAKE);
	}
	return 0;
drop:
	c->drops++;
	WRITE_ONCE(c->bhdr->drops, c->drops);
	return -ENOSPC;
}

/*
 * Poll: has this CPU at least 'watermark' unread bytes?  Re-arms the wakeup.
 * The acquire pairs with the release store of head in ktrace_buf_commit();
 * the consumer's tail pairs with its release in user/consumer.c:cursor_close.
 */
bool ktrace_buf_readable(struct ktrace_cpu *c)
{
	u64 head = smp_load_acquire(&c->bhdr->head);
	u64 tail = READ_ONCE(*c->consumer_tail);

	if (tail > head)
		tail = head;
	if (head - tail >= c->sess->watermark)
		return true;
	/* read (plainly, on its own CPU) by ktrace_buf_commit() above */
	WRITE_ONCE(c->wake_armed, true);
	return false;
}

/* ------------------------------------------------------------------ */
/* speculations                                                        */
/* ------------------------------------------------------------------ */

/* Append a record to this CPU's buffer of speculation id (1-based). */
int ktrace_spec_stage(struct ktrace_cpu *c, u32 id, const void *rec, u32 size)
{
	struct ktrace_session *s = c->sess;
	struct ktrace_specbuf *sb;

	if (!id || id > s->nspec) {
		c->spec_unavail++;
		return -EINVAL;
	}
	/*
	 * As DTrace: the first CPU to stage makes it ACTIVEONE(cpu), a second
	 * one ACTIVEMANY.  The cmpxchg orders us against commit()/discard()
	 * on another CPU: either it sees ACTIVEMANY (and flushes us by IPI,
	 * which cannot interrupt this firing) or we see it committing.  It
	 * pairs with the cmpxchg in env.c:spec_end (ACTIVE* -> COMMITTING/
	 * DISCARDING); both are full barriers.
	 */
	for (;;) {
		int st = READ_ONCE(s->spec[id - 1].state), to;

		if (!ktrace_spec_is_active(st)) {
			/* inactive, committing or discarding: busy */
			c->spec_drops++;
			return -EBUSY;
		}
		if (st == KTRACE_SPEC_ACTIVEMANY || st == KTRACE_SPEC_ACTIVEONE + (int)c->cpu)
			break;
		to = st == KTRACE_SPEC_ACTIVE ? KTRACE_SPEC_ACTIVEONE + (int)c->cpu :
						KTRACE_SPEC_ACTIVEMANY;
		if (cmpxchg(&s->spec[id - 1].state, st, to) == st)
			break;
	}
	sb = &c->spec[id - 1];
	if (sb->size - sb->used < size) {
		c->spec_drops++;
		return -ENOSPC;
	}
	memcpy(sb->data + sb->used, rec, size);
	sb->used += size;
	return 0;
}

/* Move this CPU's speculative records of id into its principal buffer. */
void ktrace_spec_commit_local(struct ktrace_cpu *c, u32 id)
{
	struct ktrace_specbuf *sb = &c->spec[id - 1];
	u32 off = 0;

	while (off + sizeof(struct ktrace_rec) <= sb->used) {
		const struct ktrace_rec *r = (const void *)(sb->data + off);

		if (r->size < sizeof(*r) || r->size > sb->used - off)
			break;
		ktrace_buf_commit(c, r, r->size, false);
		off += r->size;
	}
	sb->used = 0;
}

void ktrace_spec_discard_local(struct ktrace_cpu *c, u32 id)
{
	c->spec[id - 1].used = 0;
}

/* IPI: finish every committing/discarding speculation on this CPU. */
static void spec_flush_ipi(void *arg)
{
	struct ktrace_session *s = arg;
	struct ktrace_cpu *c = s->cpu[smp_processor_id()];
	u32 i;

	/*
	 * The guard: a firing in an NMI (cpc) that interrupts the copy into
	 * the principal buffer is dropped, not interleaved with it.  An IPI
	 * never interrupts a firing (interrupts are off there), so it is free.
	 */
	if (!c || !ktrace_probe_guard_enter())
		return;
	for (i = 0; i < s->nspec; i++) {
		int st = READ_ONCE(s->spec[i].state);

		if (st == KTRACE_SPEC_COMMITTING)
			ktrace_spec_commit_local(c, i + 1);
		else if (st == KTRACE_SPEC_DISCARDING)
			ktrace_spec_discard_local(c, i + 1);
	}
	ktrace_probe_guard_exit();
}

/*
 * Process context (the session's spec_work): commit or discard the other
 * CPUs' buffers of every speculation in COMMITTING/DISCARDING, then make
 * those speculations available again.  A speculation changes state only
 * here (to INACTIVE) and in probe context (INACTIVE -> ACTIVE ->
 * COMMITTING/DISCARDING), so the final transition is a plain cmpxchg.
 */
void ktrace_spec_work(struct work_struct *work)
{
	struct ktrace_session *s = container_of(work, struct ktrace_session, spec_work);

	mutex_lock(&s->lock);
	if (s->spec && s->probes_on)
		ktrace_spec_flush(s);
	mutex_unlock(&s->lock);
}

/*
 * s->lock held, process context: finish every speculation in COMMITTING
 * or DISCARDING now.  The work above calls it while tracing; STOP calls
 * it after END so that a commit() in END (or one whose work had not run
 * yet) reaches the principal buffers before the final read.
 */
void ktrace_spec_flush(struct ktrace_session *s)
{
	int pending[64];
	u32 i, n;

	for (i = 0; i < s->nspec; i += n) {
		u32 j;

		n = min_t(u32, s->nspec - i, ARRAY_SIZE(pending));
		for (j = 0; j < n; j++)
			pending[j] = READ_ONCE(s->spec[i + j].state);
		on_each_cpu(spec_flush_ipi, s, 1);
		for (j = 0; j < n; j++)
			if (pending[j] == KTRACE_SPEC_COMMITTING ||
			    pending[j] == KTRACE_SPEC_DISCARDING)
				cmpxchg(&s->spec[i + j].state, pending[j], KTRACE_SPEC_INACTIVE);
	}
}
