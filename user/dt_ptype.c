// SPDX-License-Identifier: GPL-2.0
/*
 * print( )'s types.  print(P) records P and the bytes of the object P
 * points to; the consumer shows them member by member (ptype.c) from a
 * description of the object's type the compiler writes into the program
 * here (struct kt_prog.ptypes, struct kt_ptype in kt_user.h): the names
 * DTrace shows ("struct sk_buff", "char [5]", "uint64_t", "enum eh"),
 * sizes, members with their bit offsets, enumerators.  The types come
 * from BTF (the kernel's) or from D declarations.  A struct, union or
 * enum is described once per program however often it is embedded
 * (kt_ptype.key); pointers are not followed (an address is a value).
 */
#include <stdlib.h>
#include <string.h>
#include "dt_impl.h"

#define PT_MAX_DEPTH	32		/* structs in structs: BTF's are far shallower */
#define PT_KEY_BTF	(1u << 30)	/* key: a BTF type id */
#define PT_KEY_D	(2u << 30)	/* key: a dstruct index */

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		dt_oom();
	return d;
}

static void *xcalloc(size_t n, size_t size)
{
	void *v = calloc(n ? n : 1, size);

	if (!v)
		dt_oom();
	return v;
}

/* A new entry (of KEY, 0: not shared) named NAME: its index. */
static uint32_t pt_new(struct kt_prog *p, uint32_t key, const char *name, int kind,
		       uint32_t size)
{
	struct kt_ptype *v = realloc(p->ptypes, sizeof(*v) * (p->nptypes + 1));

	if (!v)
		dt_oom();
	p->ptypes = v;
	memset(&v[p->nptypes], 0, sizeof(*v));
	v[p->nptypes].key = key;
	v[p->nptypes].name = xstrdup(name);
	v[p->nptypes].kind = (uint8_t)kind;
	v[p->nptypes].size = size;
	return p->nptypes++;
}

static bool pt_find(const struct kt_prog *p, uint32_t key, uint32_t *idx)
{
	for (uint32_t i = 0; key && i < p->nptypes; i++)
		if (p->ptypes[i].key == key) {
			*idx = i;
			return true;
		}
	return false;
}

static uint32_t pt_array(struct kt_prog *p, uint32_t elem, uint32_t nelems)
{
	char name[256];
	uint32_t i;

	snprintf(name, sizeof(name), "%s [%u]", p->ptypes[elem].name, nelems);
	i = pt_new(p, 0, name, KT_PT_ARRAY, p->ptypes[elem].size * nelems);
	p->ptypes[i].elem = elem;
	p->ptypes[i].nelems = nelems;
	return i;
}

/* ----- kernel types (BTF) ----- */
static uint32_t btf_pt(struct kt_prog *p, const struct dt_btf *b, uint32_t id, int depth);

/* TYPE as print( ) names it: C's name, arrays as "char [16]", anonymous tags bare */
static void btf_pname(const struct dt_btf *b, uint32_t id, char *buf, size_t size)
{
	int k = dt_btf_kind(b, id);

	if ((k == BTF_KIND_STRUCT || k == BTF_KIND_UNION || k == BTF_KIND_ENUM ||
	     k == BTF_KIND_ENUM64) && !*dt_btf_name(b, id))
		snprintf(buf, size, "%s", k == BTF_KIND_STRUCT ? "struct" :
			 k == BTF_KIND_UNION ? "union" : "enum");
	else
		dt_btf_c_name(b, id, buf, size);
}

static void btf_members(struct kt_prog *p, const struct dt_btf *b, uint32_t r, uint32_t i,
			int depth)
{
	int n = dt_btf_vlen(b, r);
	struct kt_ptmember *m = xcalloc((size_t)n, sizeof(*m));

	for (int j = 0; j < n; j++) {
		const char *name;
		uint32_t type, bitoff, bits;

		if (!dt_btf_member_at(b, r, j, &name, &type, &bitoff, &bits))
			break;
		m[j].name = xstrdup(name);
		m[j].type = btf_pt(p, b, type, depth + 1);
		m[j].bitoff = bitoff;
		m[j].bits = (uint8_t)bits;
	}
	p->ptypes[i].m = m;	/* after the members': p->ptypes moves as it grows */
	p->ptypes[i].n = (uint32_t)n;
}

static uint32_t btf_pt(struct kt_prog *p, const struct dt_btf *b, uint32_t id, int depth)
{
	uint32_t r = dt_btf_resolve(b, id), i, elem, nelems, size = dt_btf_size(b, id);
	int k = dt_btf_kind(b, r), isize, n;
	bool sign, ischar;
	char name[256];

	if (pt_find(p, PT_KEY_BTF | id, &i))
		return i;
	btf_pname(b, id, name, sizeof(name));
	if (depth > PT_MAX_DEPTH)
		return pt_new(p, 0, name, KT_PT_OPAQUE, size);
	switch (k) {
	case BTF_KIND_INT:
		if (!dt_btf_int(b, r, &isize, &sign, &ischar))
			return pt_new(p, PT_KEY_BTF | id, name, KT_PT_OPAQUE, size);
		i = pt_new(p, PT_KEY_BTF | id, name, KT_PT_INT, size);
		p->ptypes[i].sign = sign;
		p->ptypes[i].ischar = ischar;
		return i;
	case BTF_KIND_PTR:
		return pt_new(p, PT_KEY_BTF | id, name, KT_PT_PTR, 8);
	case BTF_KIND_FLOAT:
		return pt_new(p, PT_KEY_BTF | id, name, size == 4 || size == 8 ? KT_PT_FLOAT :
			      KT_PT_OPAQUE, size);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (!dt_btf_int(b, r, &isize, &sign, &ischar))
			return pt_new(p, PT_KEY_BTF | id, name, KT_PT_OPAQUE, size);
		i = pt_new(p, PT_KEY_BTF | id, name, KT_PT_ENUM, size);
		p->ptypes[i].sign = sign;
		n = dt_btf_vlen(b, r);
		p->ptypes[i].e = xcalloc((size_t)n, sizeof(struct kt_ptenum));
		for (int j = 0; j < n; j++) {
			const char *en;
			int64_t v;

			if (!dt_btf_enumerator(b, r, j, &en, &v))
				break;
			p->ptypes[i].e[j].name = xstrdup(en);
			p->ptypes[i].e[j].val = v;
			p->ptypes[i].n = (uint32_t)j + 1;
		}
		return i;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		i = pt_new(p, PT_KEY_BTF | id, name,
			   k == BTF_KIND_STRUCT ? KT_PT_STRUCT : KT_PT_UNION, size);
		btf_members(p, b, r, i, depth);
		return i;
	case BTF_KIND_ARRAY:
		elem = btf_pt(p, b, dt_btf_target(b, r, &nelems), depth + 1);
		i = pt_array(p, elem, nelems);
		p->ptypes[i].key = PT_KEY_BTF | id;
		return i;
	default:
		return pt_new(p, PT_KEY_BTF | id, name, KT_PT_OPAQUE, size);
	}
}

/* ----- types declared in D ----- */
static uint32_t d_pt(struct dt_cc *cc, struct kt_prog *p, const struct dt_type *t,
		     const char *pname, uint16_t penum, const char *sname, int depth);

static uint32_t dstruct_pt(struct dt_cc *cc, struct kt_prog *p, uint16_t idx, const char *pname,
			   int depth)
{
	struct dt_dstruct *ds = cc->dstructs[idx - 1];
	uint32_t align, size, i;
	struct kt_ptmember *m;
	char name[256];

	if (pt_find(p, PT_KEY_D | idx, &i))
		return i;
	size = dt_type_sizeof(cc, &(struct dt_type){ .kind = DT_T_STRUCT, .dstruct = idx },
			      &align);
	if (pname)
		snprintf(name, sizeof(name), "%s", pname);
	else if (*ds->name)
		snprintf(name, sizeof(name), "%s %s", dt_tag_word(ds->kind), ds->name);
	else
		snprintf(name, sizeof(name), "%s", dt_tag_word(ds->kind));
	i = pt_new(p, PT_KEY_D | idx, name, ds->kind == T_UNION ? KT_PT_UNION : KT_PT_STRUCT,
		   size);
	if (depth > PT_MAX_DEPTH || !ds->defined)
		return i;
	m = xcalloc((size_t)ds->nmembers, sizeof(*m));
	for (int j = 0; j < ds->nmembers; j++) {
		const struct dt_smember *sm = &ds->m[j];
		uint32_t t = d_pt(cc, p, &sm->type.t, sm->pname, sm->penum, sm->type.sname,
				  depth + 1);

		if (sm->type.nelems)
			t = pt_array(p, t, sm->type.nelems);
		m[j].name = xstrdup(sm->name);
		m[j].type = t;
		m[j].bitoff = sm->bitoff;
		m[j].bits = sm->bits;
	}
	p->ptypes[i].m = m;
	p->ptypes[i].n = (uint32_t)ds->nmembers;
	return i;
}

static uint32_t d_pt(struct dt_cc *cc, struct kt_prog *p, const struct dt_type *t,
		     const char *pname, uint16_t penum, const char *sname, int depth)
{
	const struct dt_btf *b;
	char name[256];
	uint32_t i, id;

	if (pname && t->kind == DT_T_PTR) {
		int at = snprintf(name, sizeof(name), "%s ", pname);

		for (int d = 0; d < t->pdepth && at < (int)sizeof(name) - 1; d++)
			name[at++] = '*';
		name[at] = '\0';
	} else if (pname) {
		snprintf(name, sizeof(name), "%s", pname);
	} else {
		dt_type_name(t, name, sizeof(name));
	}
	switch (t->kind) {
	case DT_T_INT:
		if (penum && penum <= cc->ndstructs) {
			const struct dt_dstruct *ds = cc->dstructs[penum - 1];

			i = pt_new(p, 0, name, KT_PT_ENUM, t->size);
			p->ptypes[i].sign = t->sign;
			p->ptypes[i].e = xcalloc((size_t)ds->nenums, sizeof(struct kt_ptenum));
			for (int j = 0; j < ds->nenums; j++) {
				p->ptypes[i].e[j].name = xstrdup(ds->en[j].name);
				p->ptypes[i].e[j].val = ds->en[j].val;
			}
			p->ptypes[i].n = (uint32_t)ds->nenums;
			return i;
		}
		i = pt_new(p, 0, name, KT_PT_INT, t->size);
		p->ptypes[i].sign = t->sign;
		p->ptypes[i].ischar = t->size == 1 && t->ischar;	/* char: as BTF's */
		return i;
	case DT_T_PTR:
		return pt_new(p, 0, name, KT_PT_PTR, 8);
	case DT_T_FLOAT:
		return pt_new(p, 0, name, t->size == 4 || t->size == 8 ? KT_PT_FLOAT : KT_PT_OPAQUE,
			      t->size);
	case DT_T_STRING:	/* a string member: its characters */
		i = pt_new(p, 0, "char", KT_PT_INT, 1);
		p->ptypes[i].sign = true;
		p->ptypes[i].ischar = true;
		i = pt_array(p, i, (uint32_t)cc->strsize);
		free(p->ptypes[i].name);
		p->ptypes[i].name = xstrdup("string");
		return i;
	case DT_T_STRUCT:
		if (t->dstruct && t->dstruct <= cc->ndstructs)
			return dstruct_pt(cc, p, t->dstruct, pname, depth);
		b = dt_btf_try(cc);
		id = t->btf ? t->btf : b && sname ? dt_btf_struct(b, sname) : 0;
		if (b && id)
			return btf_pt(p, b, id, depth);
		return pt_new(p, 0, name, KT_PT_OPAQUE, 0);
	default:
		return pt_new(p, 0, name, KT_PT_OPAQUE, 0);
	}
}

/* A struct or union of type T, in cc->prog's table: index + 1; 0: none. */
uint32_t dt_ptype_of(struct dt_cc *cc, const struct dt_type *t)
{
	if (!cc->prog || t->kind != DT_T_STRUCT)
		return 0;
	return d_pt(cc, cc->prog, t, NULL, 0, NULL, 0) + 1;
}

/* The object a pointer of type PTR points to, in cc->prog's table: index + 1; 0: none. */
uint32_t dt_ptype_of_pointee(struct dt_cc *cc, const struct dt_type *ptr)
{
	struct kt_prog *p = cc->prog;
	const struct dt_btf *b;
	struct dt_type o;

	if (!p || ptr->kind != DT_T_PTR || ptr->pdepth != 1)
		return 0;
	if (ptr->dstruct && ptr->dstruct <= cc->ndstructs)
		return dstruct_pt(cc, p, ptr->dstruct, NULL, 0) + 1;
	if (ptr->btf) {
		b = dt_btf_try(cc);
		return b ? btf_pt(p, b, ptr->btf, 0) + 1 : 0;
	}
	if (!ptr->bsize)
		return 0;
	o = (struct dt_type){ .kind = DT_T_INT, .size = ptr->bsize, .sign = ptr->bsign };
	return d_pt(cc, p, &o, NULL, 0, NULL, 0) + 1;
}
