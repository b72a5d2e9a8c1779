/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the /dev/ktrace uapi selftests: build program objects by
 * hand (no compiler involved), load them, map and read the buffers.
 */
#ifndef KTRACE_UAPI_TEST_H
#define KTRACE_UAPI_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/ktrace.h>

#define KT_MAXI 64

/* An object under construction. */
struct kt_obj {
	struct ktrace_insn insn[KT_MAXI];
	unsigned int ninsn;
	char strtab[256];
	unsigned int nstr;
	struct ktrace_action_desc act[8];
	unsigned int nact;
	struct ktrace_clause_desc cl[8];
	unsigned int ncl;
	struct ktrace_enabling en[8];
	unsigned int nen;
	uint32_t flags;
};

static inline void kt_obj_init(struct kt_obj *o)
{
	memset(o, 0, sizeof(*o));
	o->nstr = 1;		/* offset 0 is "" */
}

static inline unsigned int kt_str(struct kt_obj *o, const char *s)
{
	unsigned int off = o->nstr;

	strcpy(o->strtab + off, s);
	o->nstr += strlen(s) + 1;
	return off;
}

static inline unsigned int kt_insn(struct kt_obj *o, int op, int rd, int rs1, int rs2, int imm)
{
	struct ktrace_insn *i = &o->insn[o->ninsn];

	i->op = op;
	i->rd = rd;
	i->rs1 = rs1;
	i->rs2 = rs2;
	i->imm = imm;
	return o->ninsn++;
}

static inline unsigned int kt_action(struct kt_obj *o, int kind, int nargs, const char *fmt)
{
	struct ktrace_action_desc *a = &o->act[o->nact];

	a->kind = kind;
	a->nargs = nargs;
	a->fmt = fmt ? kt_str(o, fmt) : 0;
	return o->nact++;
}

/* Clause whose body is insns [start, ninsn); enabled on probe. */
static inline void kt_clause(struct kt_obj *o, unsigned int start, uint32_t probe)
{
	struct ktrace_clause_desc *c = &o->cl[o->ncl];

	c->body_start = start;
	c->body_len = o->ninsn - start;
	o->en[o->nen].probe = probe;
	o->en[o->nen].clause = o->ncl;
	o->nen++;
	o->ncl++;
}

/* Body: trace(v) with action 'printf' (fmt), then optionally exit(status). */
static inline void kt_clause_print(struct kt_obj *o, uint32_t probe, const char *fmt,
				   int v, int do_exit, int status)
{
	unsigned int start = o->ninsn;
	unsigned int a = kt_action(o, KTRACE_ACT_PRINTF, 1, fmt);

	kt_insn(o, KTRACE_OP_SETI, 1, 0, 0, v);
	kt_insn(o, KTRACE_OP_PUSH, 0, 1, 0, KTRACE_TT_INT);
	kt_insn(o, KTRACE_OP_ACT, 0, 0, 0, a);
	if (do_exit) {
		unsigned int e = kt_action(o, KTRACE_ACT_EXIT, 1, NULL);

		kt_insn(o, KTRACE_OP_SETI, 1, 0, 0, status);
		kt_insn(o, KTRACE_OP_PUSH, 0, 1, 0, KTRACE_TT_INT);
		kt_insn(o, KTRACE_OP_ACT, 0, 0, 0, e);
	}
	kt_insn(o, KTRACE_OP_RET, 0, 0, 0, 0);
	kt_clause(o, start, probe);
}

/* Serialise; returns a malloc'd blob of *size bytes. */
static inline void *kt_obj_build(struct kt_obj *o, uint32_t *size)
{
	struct ktrace_obj_hdr h = { 0 };
	size_t off = (sizeof(h) + 7) & ~7UL;
	char *b;

#define KT_SEC(field, cnt, bytes) do {					\
		h.field##_off = off; h.field##_cnt = (cnt);		\
		off += ((bytes) + 7) & ~7UL;				\
	} while (0)
	KT_SEC(insn, o->ninsn, o->ninsn * sizeof(struct ktrace_insn));
	KT_SEC(int, 0, 0);
	KT_SEC(strtab, o->nstr, o->nstr);
	KT_SEC(var, 0, 0);
	KT_SEC(agg, 0, 0);
	KT_SEC(action, o->nact, o->nact * sizeof(struct ktrace_action_desc));
	KT_SEC(clause, o->ncl, o->ncl * sizeof(struct ktrace_clause_desc));
	KT_SEC(enabling, o->nen, o->nen * sizeof(struct ktrace_enabling));
#undef KT_SEC
	h.magic = KTRACE_OBJ_MAGIC;
	h.version = KTRACE_ABI_VERSION;
	h.hdr_size = sizeof(h);
	h.obj_size = off;
	h.flags = o->flags;
	b = calloc(1, off);
	memcpy(b, &h, sizeof(h));
	memcpy(b + h.insn_off, o->insn, o->ninsn * sizeof(struct ktrace_insn));
	memcpy(b + h.strtab_off, o->strtab, o->nstr);
	memcpy(b + h.action_off, o->act, o->nact * sizeof(struct ktrace_action_desc));
	memcpy(b + h.clause_off, o->cl, o->ncl * sizeof(struct ktrace_clause_desc));
	memcpy(b + h.enabling_off, o->en, o->nen * sizeof(struct ktrace_enabling));
	*size = off;
	return b;
}

/* Small buffers so many sessions fit in a small guest. */
static inline void kt_small_opts(struct ktrace_opts *op)
{
	memset(op, 0, sizeof(*op));
	op->bufsize = 64 << 10;
	op->aggsize = 16 << 10;
	op->dynvarsize = 64 << 10;
	op->specsize = 4096;
}

static char kt_log[4096];

/* LOAD o into fd; returns 0 or -errno.  ld (optional) gets the answer. */
static inline int kt_load(int fd, struct kt_obj *o, struct ktrace_load *ldout)
{
	struct ktrace_load ld = { .size = sizeof(ld) };
	uint32_t size;
	void *blob = kt_obj_build(o, &size);
	int r;

	ld.obj = (uintptr_t)blob;
	ld.obj_size = size;
	ld.log_buf = (uintptr_t)kt_log;
	ld.log_size = sizeof(kt_log);
	kt_small_opts(&ld.opts);
	kt_log[0] = 0;
	r = ioctl(fd, KTRACE_IOC_LOAD, &ld);
	free(blob);
	if (ldout)
		*ldout = ld;
	return r ? -errno : 0;
}

static inline int kt_open(void)
{
	return open(KTRACE_DEVICE, O_RDWR | O_CLOEXEC);
}

static inline int kt_simple(int fd, int cmd)
{
	struct ktrace_go g = { .size = sizeof(g) };	/* GO and STOP share the layout */

	return ioctl(fd, cmd, &g) ? -errno : 0;
}

static inline int kt_status(int fd, struct ktrace_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return ioctl(fd, KTRACE_IOC_STATUS, st) ? -errno : 0;
}

/* A mapped session: header (RW) and the whole map (RO). */
struct kt_map {
	struct ktrace_map_hdr *hdr;	/* RW mapping of the header pages */
	const char *ro;			/* RO mapping of everything */
	size_t size, hdr_size;
};

static inline int kt_map(int fd, const struct ktrace_load *ld, struct kt_map *m)
{
	m->size = ld->map_size;
	m->hdr_size = ld->hdr_map_size;
	m->hdr = mmap(NULL, m->hdr_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m->hdr == MAP_FAILED)
		return -errno;
	m->ro = mmap(NULL, m->size, PROT_READ, MAP_SHARED, fd, 0);
	if (m->ro == MAP_FAILED)
		return -errno;
	return 0;
}

static inline void kt_unmap(struct kt_map *m)
{
	munmap(m->hdr, m->hdr_size);
	munmap((void *)m->ro, m->size);
}

/*
 * Read every unread record of every CPU; calls fn(rec, arg) for each
 * non-pad record and advances consumer_tail.  Returns records seen.
 */
static inline int kt_consume(struct kt_map *m, void (*fn)(const struct ktrace_rec *, void *),
			     void *arg)
{
	int n = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < m->hdr->ncpus; cpu++) {
		struct ktrace_cpu_area *a = &m->hdr->cpu[cpu];
		const struct ktrace_buf_hdr *bh;
		const char *data;
		uint64_t head, tail;

		if (!a->buf_size)
			continue;
		bh = (const void *)(m->ro + a->buf_off);
		data = m->ro + a->buf_off + m->hdr->page_size;
		head = __atomic_load_n(&bh->head, __ATOMIC_ACQUIRE);
		tail = a->consumer_tail;
		while (tail < head) {
			const struct ktrace_rec *r = (const void *)(data + (tail & (a->buf_size - 1)));

			if (r->size < 8 || r->size % 8)
				return -EIO;
			if (r->epid) {
				fn(r, arg);
				n++;
			}
			tail += r->size;
		}
		__atomic_store_n(&a->consumer_tail, tail, __ATOMIC_RELEASE);
	}
	return n;
}

#endif
