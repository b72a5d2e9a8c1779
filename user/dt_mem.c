// SPDX-License-Identifier: GPL-2.0
/*
 * The compiler's memory helpers, used by every pass: the arena (the syntax
 * tree, symbols and strings of one compilation, freed at once) and an
 * open-addressing hash map; and the syntax tree's nodes (dt_node_new()),
 * made by the parser and the later passes.  Allocation failure longjmps to
 * dt_oom_jmp, set by kt_compile() (dt_compile.c) around the passes.
 */
#include <stdlib.h>
#include <string.h>
#include "dt_impl.h"

/* ----- arena ----- */
struct dt_arena_blk {
	struct dt_arena_blk	*next;
	size_t			used, size;
	max_align_t		data[];
};

#define DT_ARENA_BLK	(64 * 1024)

__thread jmp_buf *dt_oom_jmp;

void dt_oom(void)
{
	if (dt_oom_jmp)
		longjmp(*dt_oom_jmp, 1);
	abort();	/* unreachable: allocation outside kt_compile() */
}

void *dt_alloc(struct dt_arena *ar, size_t size)
{
	struct dt_arena_blk *b = ar->head;
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (!b || b->size - b->used < size) {
		size_t bs = size > DT_ARENA_BLK ? size : DT_ARENA_BLK;

		b = malloc(sizeof(*b) + bs);
		if (!b) {
			ar->oom = true;
			dt_oom();
		}
		b->size = bs;
		b->used = 0;
		b->next = ar->head;
		ar->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

char *dt_strndup(struct dt_arena *ar, const char *s, size_t n)
{
	char *d = dt_alloc(ar, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void dt_arena_free(struct dt_arena *ar)
{
	struct dt_arena_blk *b = ar->head;

	while (b) {
		struct dt_arena_blk *n = b->next;

		free(b);
		b = n;
	}
	ar->head = NULL;
}

/* ----- hash map ----- */
static uint32_t hash_bytes(const void *k, uint32_t n)
{
	const unsigned char *p = k;
	uint32_t h = 2166136261u;

	for (uint32_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h ? h : 1;
}

void *dt_hget(const struct dt_hmap *h, const void *key, uint32_t klen)
{
	uint32_t hs, i;

	if (!h->cap)
		return NULL;
	hs = hash_bytes(key, klen);
	for (i = hs & (h->cap - 1);; i = (i + 1) & (h->cap - 1)) {
		const struct dt_hent *e = &h->v[i];

		if (!e->hash)
			return NULL;
		if (e->hash == hs && e->klen == klen && !memcmp(e->key, key, klen))
			return e->val;
	}
}

bool dt_hput(struct dt_hmap *h, const void *key, uint32_t klen, void *val)
{
	uint32_t hs = hash_bytes(key, klen), i;

	if ((h->n + 1) * 2 > h->cap) {
		uint32_t ncap = h->cap ? h->cap * 2 : 64;
		struct dt_hent *nv = calloc(ncap, sizeof(*nv));

		if (!nv)
			return false;
		for (uint32_t j = 0; j < h->cap; j++) {
			struct dt_hent *e = &h->v[j];

			if (!e->hash)
				continue;
			for (i = e->hash & (ncap - 1); nv[i].hash; i = (i + 1) & (ncap - 1))
				;
			nv[i] = *e;
		}
		free(h->v);
		h->v = nv;
		h->cap = ncap;
	}
	for (i = hs & (h->cap - 1);; i = (i + 1) & (h->cap - 1)) {
		struct dt_hent *e = &h->v[i];

		if (!e->hash) {
			e->hash = hs;
			e->key = key;
			e->klen = klen;
			e->val = val;
			h->n++;
			return true;
		}
		if (e->hash == hs && e->klen == klen && !memcmp(e->key, key, klen)) {
			e->val = val;
			return true;
		}
	}
}

void dt_hfree(struct dt_hmap *h)
{
	free(h->v);
	h->v = NULL;
	h->cap = h->n = 0;
}

/* ----- syntax tree ----- */
/* a node of the syntax tree, in the arena (the parser and the later passes make them) */
struct dt_node *dt_node_new(struct dt_cc *cc, int kind, int src, int line, int col)
{
	struct dt_node *n = dt_alloc(&cc->ar, sizeof(*n));

	n->kind = (uint8_t)kind;
	n->src = src;
	n->line = line;
	n->col = col;
	return n;
}
