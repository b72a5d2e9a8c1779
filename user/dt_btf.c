// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel type information for the compiler, from BTF: the kernel's own
 * description of its types (/sys/kernel/btf/vmlinux, or the file named by
 * kt_compile_opts.btf_path).  It gives `struct NAME *` casts, `->` and `.`
 * on kernel structures and unions, and a typed `curthread`.
 *
 * The file is read and indexed the first time a program needs it, never
 * otherwise: programs that do not look into kernel structures pay
 * nothing.  Every offset read from it is bounds-checked; a malformed file
 * is "no type information", never a crash.
 *
 * Format (include/uapi/linux/btf.h): a header, then the type section (a
 * sequence of 12-byte struct btf_type records, each followed by data of
 * its kind) and the string section.  Type ids count from 1 in the order
 * of the records; id 0 is void.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dt_impl.h"

#define BTF_MAGIC	0xeB9F

struct dt_btf;
int dt_btf_kind(const struct dt_btf *b, uint32_t id);
static bool ptr_to(const struct dt_btf *b, uint32_t target, struct dt_type *t, int depth);
#define BTF_MAX_FILE	(256u << 20)

struct btf_hdr {
	uint16_t	magic;
	uint8_t		version;
	uint8_t		flags;
	uint32_t	hdr_len;
	uint32_t	type_off, type_len;
	uint32_t	str_off, str_len;
};

struct btf_type {
	uint32_t	name_off;
	uint32_t	info;		/* vlen: 0-15, kind: 24-28, kind_flag: 31 */
	uint32_t	size_type;	/* size (INT, STRUCT, UNION, ENUM...) or type */
};

struct btf_member {
	uint32_t	name_off;
	uint32_t	type;
	uint32_t	offset;		/* bits; kind_flag: bitfield size << 24 | offset */
};

struct btf_array {
	uint32_t	type, index_type, nelems;
};

struct dt_btf {
	uint8_t			*data;
	size_t			size;
	const uint8_t		*types;		/* type section */
	uint32_t		types_len;
	const char		*strs;
	uint32_t		strs_len;
	uint32_t		*off;		/* [id]: offset of its record in types */
	uint32_t		ntypes;		/* ids 1..ntypes */
	struct dt_hmap		tags;		/* struct/union name -> id (complete ones) */
	struct dt_hmap		tdefs;		/* typedef name -> the struct/union it names
						 * (rwlock_t), when no tag has that name */
	struct dt_hmap		enums;		/* enum name -> id */
	struct dt_hmap		funcs;		/* function name -> its FUNC_PROTO id */
	struct dt_hmap		vars;		/* global variable name -> VAR id (per-CPU:
						 * the id | DT_BTF_PERCPU) */
};

#define DT_BTF_PERCPU	0x80000000u

static int kind_of(const struct btf_type *t)
{
	return (t->info >> 24) & 0x1f;
}

static int vlen_of(const struct btf_type *t)
{
	return t->info & 0xffff;
}

/* Bytes of kind-specific data after the record; -1 for an unknown kind. */
static long extra_size(const struct btf_type *t)
{
	switch (kind_of(t)) {
	case BTF_KIND_INT:		return 4;
	case BTF_KIND_ARRAY:		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:		return (long)vlen_of(t) * sizeof(struct btf_member);
	case BTF_KIND_ENUM:		return (long)vlen_of(t) * 8;
	case BTF_KIND_FUNC_PROTO:	return (long)vlen_of(t) * 8;
	case BTF_KIND_VAR:		return 4;
	case BTF_KIND_DATASEC:		return (long)vlen_of(t) * 12;
	case BTF_KIND_DECL_TAG:		return 4;
	case BTF_KIND_ENUM64:		return (long)vlen_of(t) * 12;
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC: case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:		return 0;
	default:			return -1;
	}
}

static const struct btf_type *type_at(const struct dt_btf *b, uint32_t id)
{
	return id && id <= b->ntypes ? (const struct btf_type *)(b->types + b->off[id]) : NULL;
}

const char *dt_btf_str(const struct dt_btf *b, uint32_t off)
{
	return b && off < b->strs_len ? b->strs + off : "";
}

static void btf_free(struct dt_btf *b)
{
	if (!b)
		return;
	dt_hfree(&b->tags);
	dt_hfree(&b->tdefs);
	dt_hfree(&b->enums);
	dt_hfree(&b->funcs);
	dt_hfree(&b->vars);
	free(b->off);
	free(b->data);
	free(b);
}

/* Index the type section; false if it is malformed. */
static bool btf_index(struct dt_btf *b)
{
	uint32_t pos = 0, cap = 1024;
	uint8_t *percpu;

	b->off = malloc(sizeof(*b->off) * cap);
	if (!b->off)
		return false;
	b->off[0] = 0;
	while (pos < b->types_len) {
		const struct btf_type *t = (const struct btf_type *)(b->types + pos);
		long extra;

		if (b->types_len - pos < sizeof(*t) || (extra = extra_size(t)) < 0 ||
		    b->types_len - pos - sizeof(*t) < (unsigned long)extra)
			return false;
		if (b->ntypes + 1 >= cap) {
			uint32_t *no = realloc(b->off, sizeof(*no) * cap * 2);

			if (!no)
				return false;
			b->off = no;
			cap *= 2;
		}
		b->off[++b->ntypes] = pos;
		pos += (uint32_t)(sizeof(*t) + (unsigned long)extra);
	}
	percpu = calloc(b->ntypes + 1, 1);
	if (!percpu)
		return false;
	for (uint32_t id = 1; id <= b->ntypes; id++) {	/* the per-CPU section's variables */
		const struct btf_type *t = type_at(b, id);
		const uint32_t *e = (const uint32_t *)(t + 1);	/* btf_var_secinfo: type, off, size */

		if (kind_of(t) != BTF_KIND_DATASEC ||
		    strcmp(dt_btf_str(b, t->name_off), ".data..percpu"))
			continue;
		for (int i = 0; i < vlen_of(t); i++)
			if (e[3 * i] <= b->ntypes)
				percpu[e[3 * i]] = 1;
	}
	for (uint32_t id = 1; id <= b->ntypes; id++) {
		const struct btf_type *t = type_at(b, id);
		const char *name = dt_btf_str(b, t->name_off);

		if (kind_of(t) == BTF_KIND_VAR && *name &&
		    !dt_hget(&b->vars, name, (uint32_t)strlen(name)) &&
		    !dt_hput(&b->vars, name, (uint32_t)strlen(name),
			     (void *)(uintptr_t)(id | (percpu[id] ? DT_BTF_PERCPU : 0))))
			goto fail;
		if ((kind_of(t) == BTF_KIND_STRUCT || kind_of(t) == BTF_KIND_UNION) && *name &&
		    !dt_hget(&b->tags, name, (uint32_t)strlen(name)) &&
		    !dt_hput(&b->tags, name, (uint32_t)strlen(name), (void *)(uintptr_t)id))
			goto fail;
		if ((kind_of(t) == BTF_KIND_ENUM || kind_of(t) == BTF_KIND_ENUM64) && *name &&
		    !dt_hget(&b->enums, name, (uint32_t)strlen(name)) &&
		    !dt_hput(&b->enums, name, (uint32_t)strlen(name), (void *)(uintptr_t)id))
			goto fail;
		if (kind_of(t) == BTF_KIND_FUNC && *name &&
		    dt_btf_kind(b, t->size_type) == BTF_KIND_FUNC_PROTO &&
		    !dt_hget(&b->funcs, name, (uint32_t)strlen(name)) &&
		    !dt_hput(&b->funcs, name, (uint32_t)strlen(name), (void *)(uintptr_t)t->size_type))
			goto fail;
	}
	for (uint32_t id = 1; id <= b->ntypes; id++) {	/* after every tag is known */
		const struct btf_type *t = type_at(b, id);
		const char *name = dt_btf_str(b, t->name_off);
		uint32_t sid;

		if (kind_of(t) != BTF_KIND_TYPEDEF || !*name ||
		    dt_hget(&b->tags, name, (uint32_t)strlen(name)) ||
		    dt_hget(&b->tdefs, name, (uint32_t)strlen(name)))
			continue;
		sid = dt_btf_resolve(b, id);
		if ((dt_btf_kind(b, sid) == BTF_KIND_STRUCT || dt_btf_kind(b, sid) == BTF_KIND_UNION) &&
		    !dt_hput(&b->tdefs, name, (uint32_t)strlen(name), (void *)(uintptr_t)sid))
			goto fail;
	}
	free(percpu);
	return true;
fail:
	free(percpu);
	return false;
}

unsigned int kt_btf_reads;

static struct dt_btf *btf_load(const char *path, const char **why)
{
	struct dt_btf *b = calloc(1, sizeof(*b));
	const struct btf_hdr *h;
	FILE *f = fopen(path, "r");
	size_t cap = 1 << 20, r;

	*why = strerror(ENOMEM);
	kt_btf_reads++;
	if (!b)
		goto fail;
	if (!f) {
		*why = strerror(errno);
		goto fail;
	}
	for (;;) {
		if (!b->data || b->size == cap) {
			size_t ncap = b->data ? cap * 2 : cap;
			uint8_t *nd;

			if (ncap > BTF_MAX_FILE) {
				*why = "file too large";
				goto fail;
			}
			nd = realloc(b->data, ncap);
			if (!nd)
				goto fail;
			b->data = nd;
			cap = ncap;
		}
		r = fread(b->data + b->size, 1, cap - b->size, f);
		if (!r)
			break;
		b->size += r;
	}
	if (ferror(f)) {
		*why = strerror(EIO);
		goto fail;
	}
	fclose(f);
	f = NULL;
	*why = "not a BTF file";
	h = (const struct btf_hdr *)b->data;
	if (b->size < sizeof(*h) || h->magic != BTF_MAGIC || h->version != 1 ||
	    h->hdr_len < sizeof(*h) || h->hdr_len > b->size ||
	    h->type_off > b->size - h->hdr_len || h->type_len > b->size - h->hdr_len - h->type_off ||
	    h->str_off > b->size - h->hdr_len || h->str_len > b->size - h->hdr_len - h->str_off ||
	    !h->str_len || b->data[h->hdr_len + h->str_off + h->str_len - 1] != '\0' ||
	    ((h->hdr_len + h->type_off) & 3))	/* the records are read in place */
		goto fail;
	b->types = b->data + h->hdr_len + h->type_off;
	b->types_len = h->type_len;
	b->strs = (const char *)b->data + h->hdr_len + h->str_off;
	b->strs_len = h->str_len;
	*why = "malformed type section";
	if (!btf_index(b))
		goto fail;
	return b;
fail:
	if (f)
		fclose(f);
	btf_free(b);
	return NULL;
}

/* The kernel's types outside a compilation (ktrace -lv): NULL and *why if none. */
struct dt_btf *dt_btf_open(const char *path, const char **why)
{
	return btf_load(path, why);
}

void dt_btf_close(struct dt_btf *b)
{
	btf_free(b);
}

/* The types of the compilation in progress on this thread, for type names. */
static __thread const struct dt_btf *names_btf;

const char *dt_btf_type_name(uint32_t id)
{
	const char *n = names_btf ? dt_btf_name(names_btf, id) : "";

	return *n ? n : "<anonymous>";
}

uint32_t dt_btf_type_size(uint32_t id)
{
	return names_btf ? dt_btf_size(names_btf, id) : 0;
}

/* The kernel's types, loaded on first use; NULL if there are none. */
struct dt_btf *dt_btf_try(struct dt_cc *cc)
{
	const char *path = cc->opts->btf_path;

	if (cc->btf || cc->btf_why)
		return cc->btf;
	if (!path) {
		cc->btf_why = "no kernel type information (BTF) was given to the compiler";
		return NULL;
	}
	cc->btf = btf_load(path, &cc->btf_why);
	if (cc->btf) {
		cc->btf_why = NULL;
		names_btf = cc->btf;
	}
	return cc->btf;
}

/* The same, with an error (once) at SRC:LINE:COL if there are none. */
struct dt_btf *dt_btf_get(struct dt_cc *cc, int src, int line, int col)
{
	const char *path = cc->opts->btf_path;

	if (dt_btf_try(cc))
		return cc->btf;
	if (!cc->btf_diagnosed)
		dt_error(cc, src, line, col, "D_BTF", "kernel types are not available: %s%s%s",
			 path ? path : "", path ? ": " : "", cc->btf_why);
	cc->btf_diagnosed = true;
	return NULL;
}

void dt_btf_release(struct dt_cc *cc)
{
	if (names_btf == cc->btf)
		names_btf = NULL;
	btf_free(cc->btf);
	cc->btf = NULL;
}

/* Skip typedef, const, volatile, restrict and type tags. */
uint32_t dt_btf_resolve(const struct dt_btf *b, uint32_t id)
{
	for (int guard = 0; guard < 64; guard++) {
		const struct btf_type *t = type_at(b, id);

		if (!t)
			return 0;
		switch (kind_of(t)) {
		case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
			id = t->size_type;
			break;
		case BTF_KIND_FWD: {
			const char *name = dt_btf_str(b, t->name_off);
			void *v = *name ? dt_hget(&b->tags, name, (uint32_t)strlen(name)) : NULL;

			return v ? (uint32_t)(uintptr_t)v : id;
		}
		default:
			return id;
		}
	}
	return 0;
}

/* Global variable NAME: its type id in *type; false if BTF has no such variable. */
bool dt_btf_var(const struct dt_btf *b, const char *name, uint32_t *type, bool *percpu)
{
	uintptr_t v = (uintptr_t)dt_hget(&b->vars, name, (uint32_t)strlen(name));
	const struct btf_type *t;

	if (!v)
		return false;
	*percpu = v & DT_BTF_PERCPU;
	t = type_at(b, (uint32_t)(v & ~DT_BTF_PERCPU));
	*type = t ? t->size_type : 0;
	return t != NULL;
}

/*
 * The kernel struct or union NAME: a tag, or a typedef that names one
 * (rwlock_t, an anonymous struct's typedef, as DTrace's CTF types have it).
 */
uint32_t dt_btf_struct(const struct dt_btf *b, const char *name)
{
	void *v = dt_hget(&b->tags, name, (uint32_t)strlen(name));

	if (!v)
		v = dt_hget(&b->tdefs, name, (uint32_t)strlen(name));
	return v ? (uint32_t)(uintptr_t)v : 0;
}

/* NAME is a kernel typedef of a struct or union, and no tag. */
bool dt_btf_typedef_struct(const struct dt_btf *b, const char *name)
{
	return dt_hget(&b->tdefs, name, (uint32_t)strlen(name)) != NULL;
}

/* "enum NAME" of the kernel: its size in bytes and signedness; false if BTF has none. */
bool dt_btf_enum(const struct dt_btf *b, const char *name, int *size, bool *sign)
{
	void *v = dt_hget(&b->enums, name, (uint32_t)strlen(name));
	const struct btf_type *t = v ? type_at(b, (uint32_t)(uintptr_t)v) : NULL;

	if (!t || (t->size_type != 1 && t->size_type != 2 && t->size_type != 4 &&
		   t->size_type != 8))
		return false;
	*size = (int)t->size_type;
	*sign = (t->info >> 31) & 1;	/* kind_flag: a signed enum */
	return true;
}

/*
 * Argument IDX of kernel function FUNC (-1: its return value): its type
 * id in *type (0: void).  False if the function or the argument is unknown.
 */
bool dt_btf_func_arg(const struct dt_btf *b, const char *func, int idx, uint32_t *type)
{
	void *v = dt_hget(&b->funcs, func, (uint32_t)strlen(func));
	const struct btf_type *t = v ? type_at(b, (uint32_t)(uintptr_t)v) : NULL;
	const uint32_t *params;

	if (!t)
		return false;
	if (idx < 0) {
		*type = t->size_type;
		return true;
	}
	if (idx >= vlen_of(t))
		return false;
	params = (const uint32_t *)(t + 1);	/* struct btf_param { name_off, type } */
	*type = params[2 * idx + 1];
	return *type != 0;	/* 0: the "..." of a variadic function */
}

int dt_btf_kind(const struct dt_btf *b, uint32_t id)
{
	const struct btf_type *t = type_at(b, id);

	return t ? kind_of(t) : 0;
}

const char *dt_btf_name(const struct dt_btf *b, uint32_t id)
{
	const struct btf_type *t = type_at(b, id);

	return t ? dt_btf_str(b, t->name_off) : "";
}

uint32_t dt_btf_size(const struct dt_btf *b, uint32_t id)
{
	uint64_t n = 1;		/* elements of the arrays walked so far */

	/* iterative, and bounded: a hostile file's array may contain itself */
	for (int guard = 0; guard < 64; guard++) {
		const struct btf_type *t = type_at(b, dt_btf_resolve(b, id));
		const struct btf_array *a;
		uint64_t s;

		if (!t)
			return 0;
		switch (kind_of(t)) {
		case BTF_KIND_INT: case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64: case BTF_KIND_FLOAT: case BTF_KIND_DATASEC:
			s = n * t->size_type;
			return s > UINT32_MAX ? 0 : (uint32_t)s;
		case BTF_KIND_PTR:
			s = n * 8;
			return s > UINT32_MAX ? 0 : (uint32_t)s;
		case BTF_KIND_ARRAY:
			a = (const void *)(t + 1);
			n *= a->nelems;
			if (n > UINT32_MAX)
				return 0;
			id = a->type;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

/*
 * Member NAME of struct/union SID, looking into anonymous members: its
 * type, and its offset in bits and bit-field width (0: not a bit-field).
 */
static bool member_in(const struct dt_btf *b, uint32_t sid, const char *name, uint32_t *type,
		      uint32_t *bitoff, uint32_t *bitsize, int depth)
{
	const struct btf_type *t = type_at(b, dt_btf_resolve(b, sid));
	const struct btf_member *m;

	if (!t || (kind_of(t) != BTF_KIND_STRUCT && kind_of(t) != BTF_KIND_UNION) || depth > 16)
		return false;
	m = (const void *)(t + 1);
	for (int i = 0; i < vlen_of(t); i++) {
		uint32_t off = t->info >> 31 ? m[i].offset & 0xffffff : m[i].offset;
		uint32_t bsz = t->info >> 31 ? m[i].offset >> 24 : 0;

		if (m[i].name_off && !strcmp(dt_btf_str(b, m[i].name_off), name)) {
			*type = m[i].type;
			*bitoff = off;
			*bitsize = bsz;
			return true;
		}
		/* an anonymous struct/union: its members are ours */
		if (!m[i].name_off &&
		    member_in(b, m[i].type, name, type, bitoff, bitsize, depth + 1)) {
			*bitoff += off;
			return true;
		}
	}
	return false;
}

/*
 * Member NAME of struct/union SID, looking into anonymous members: its
 * type, and its offset in bits and bit-field width (0: not a bit-field).
 */
bool dt_btf_member(const struct dt_btf *b, uint32_t sid, const char *name, uint32_t *type,
		   uint32_t *bitoff, uint32_t *bitsize)
{
	return member_in(b, sid, name, type, bitoff, bitsize, 0);
}

/* The members of a struct/union, enumerators of an enum, parameters of a function type. */
int dt_btf_vlen(const struct dt_btf *b, uint32_t id)
{
	const struct btf_type *t = type_at(b, id);

	return t ? vlen_of(t) : 0;
}

/* Member I of struct/union SID (not resolved): as dt_btf_member() gives them, and its name. */
bool dt_btf_member_at(const struct dt_btf *b, uint32_t sid, int i, const char **name,
		      uint32_t *type, uint32_t *bitoff, uint32_t *bitsize)
{
	const struct btf_type *t = type_at(b, sid);
	const struct btf_member *m;

	if (!t || (kind_of(t) != BTF_KIND_STRUCT && kind_of(t) != BTF_KIND_UNION) ||
	    i < 0 || i >= vlen_of(t))
		return false;
	m = (const struct btf_member *)(t + 1) + i;
	*name = dt_btf_str(b, m->name_off);
	*type = m->type;
	*bitoff = t->info >> 31 ? m->offset & 0xffffff : m->offset;
	*bitsize = t->info >> 31 ? m->offset >> 24 : 0;
	return true;
}

/* Enumerator I of ENUM or ENUM64 ID: its name and value. */
bool dt_btf_enumerator(const struct dt_btf *b, uint32_t id, int i, const char **name,
		       int64_t *val)
{
	const struct btf_type *t = type_at(b, id);
	const uint32_t *e;

	if (!t || i < 0 || i >= vlen_of(t))
		return false;
	if (kind_of(t) == BTF_KIND_ENUM) {
		e = (const uint32_t *)(t + 1) + 2 * i;	/* name_off, val */
		*val = t->info >> 31 ? (int64_t)(int32_t)e[1] : (int64_t)e[1];
	} else if (kind_of(t) == BTF_KIND_ENUM64) {
		e = (const uint32_t *)(t + 1) + 3 * i;	/* name_off, lo32, hi32 */
		*val = (int64_t)((uint64_t)e[2] << 32 | e[1]);
	} else {
		return false;
	}
	*name = dt_btf_str(b, e[0]);
	return true;
}

/* INT: size and signedness; false for other kinds. */
bool dt_btf_int(const struct dt_btf *b, uint32_t id, int *size, bool *sign, bool *ischar)
{
	const struct btf_type *t = type_at(b, id);
	uint32_t enc;

	if (!t)
		return false;
	if (kind_of(t) == BTF_KIND_ENUM || kind_of(t) == BTF_KIND_ENUM64) {
		*size = (int)t->size_type;
		*sign = t->info >> 31;
		*ischar = false;
		return *size == 1 || *size == 2 || *size == 4 || *size == 8;
	}
	if (kind_of(t) != BTF_KIND_INT)
		return false;
	enc = *(const uint32_t *)(t + 1);
	*size = (int)t->size_type;
	*sign = (enc >> 24) & 1;
	*ischar = ((enc >> 24) & 2) || !strcmp(dt_btf_str(b, t->name_off), "char");
	return (*size == 1 || *size == 2 || *size == 4 || *size == 8) && !(enc & 0xff0000) &&
	       (enc & 0xff) == (uint32_t)*size * 8;
}

/* PTR: the pointed-to type id; ARRAY: the element type id and count. */
uint32_t dt_btf_target(const struct dt_btf *b, uint32_t id, uint32_t *nelems)
{
	const struct btf_type *t = type_at(b, id);

	if (!t)
		return 0;
	if (kind_of(t) == BTF_KIND_ARRAY) {
		const struct btf_array *a = (const void *)(t + 1);

		*nelems = a->nelems;
		return a->type;
	}
	*nelems = 0;
	return kind_of(t) == BTF_KIND_PTR ? t->size_type : 0;
}

/* The D type of a pointer to TARGET (BTF id). */
bool dt_btf_ptr_to(const struct dt_btf *b, uint32_t target, struct dt_type *t, int depth)
{
	return ptr_to(b, target, t, depth);
}

static bool ptr_to(const struct dt_btf *b, uint32_t target, struct dt_type *t, int depth)
{
	uint32_t id = dt_btf_resolve(b, target), n;
	int size;
	bool sign, ischar;

	memset(t, 0, sizeof(*t));
	t->kind = DT_T_PTR;
	t->size = 8;
	t->pdepth = 1;
	switch (dt_btf_kind(b, id)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (dt_btf_int(b, id, &size, &sign, &ischar)) {
			t->bsize = (uint8_t)size;
			t->bsign = sign || (size == 1 && ischar);
		}
		return true;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		t->btf = id;
		return true;
	case BTF_KIND_PTR:
		if (depth < 7 && ptr_to(b, dt_btf_target(b, id, &n), t, depth + 1)) {
			t->pdepth++;
			return true;
		}
		memset(t, 0, sizeof(*t));
		t->kind = DT_T_PTR;
		t->size = 8;
		t->pdepth = 2;
		return true;
	default:	/* void, functions, floats, forward declarations: void * */
		return true;
	}
}

bool dt_btf_to_type(const struct dt_btf *b, uint32_t id, struct dt_type *t, const char **why)
{
	int size;
	bool sign, ischar;
	uint32_t n;

	id = dt_btf_resolve(b, id);
	memset(t, 0, sizeof(*t));
	switch (dt_btf_kind(b, id)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (!dt_btf_int(b, id, &size, &sign, &ischar)) {
			*why = "an integer of an unsupported size";
			return false;
		}
		*t = DT_INT_TYPE(size, sign || (size == 1 && ischar));
		t->ischar = size == 1 && ischar;
		return true;
	case BTF_KIND_PTR:
		return ptr_to(b, dt_btf_target(b, id, &n), t, 0);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		t->kind = DT_T_STRUCT;
		t->btf = id;
		return true;
	case BTF_KIND_FWD:
		*why = "an incomplete type";
		return false;
	case BTF_KIND_FLOAT:
		*why = "floating point";
		return false;
	default:
		*why = "not a data type";
		return false;
	}
}

/*
 * Type ID as C writes it, as DTrace names types (dtrace -lv): "struct
 * file *", "const char *", "size_t", "int (*)()".  Appended to buf[*at..).
 */
static void c_name(const struct dt_btf *b, uint32_t id, char *buf, size_t size, size_t *at,
		   int depth)
{
	const struct btf_type *t = id ? type_at(b, id) : NULL;
	const char *n, *tag = "";
	size_t len;

#define PUT(...) do {							\
	int k_ = snprintf(buf + *at, size - *at, __VA_ARGS__);		\
	if (k_ > 0)							\
		*at = *at + (size_t)k_ >= size ? size - 1 : *at + (size_t)k_;	\
} while (0)
	if (!id) {
		PUT("void");
		return;
	}
	if (!t || depth > 32) {
		PUT("?");
		return;
	}
	n = dt_btf_str(b, t->name_off);
	switch (kind_of(t)) {
	case BTF_KIND_PTR: {
		const struct btf_type *to = t->size_type ? type_at(b, t->size_type) : NULL;

		if (to && kind_of(to) == BTF_KIND_FUNC_PROTO) {
			c_name(b, to->size_type, buf, size, at, depth + 1);
			PUT(" (*)()");
			return;
		}
		c_name(b, t->size_type, buf, size, at, depth + 1);
		len = *at;
		PUT(len && buf[len - 1] == '*' ? "*" : " *");
		return;
	}
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE: {
		const struct btf_type *to = t->size_type ? type_at(b, t->size_type) : NULL;
		const char *q = kind_of(t) == BTF_KIND_CONST ? "const" : "volatile";

		if (to && kind_of(to) == BTF_KIND_PTR) {	/* char *const */
			c_name(b, t->size_type, buf, size, at, depth + 1);
			PUT(" %s", q);
		} else {
			PUT("%s ", q);
			c_name(b, t->size_type, buf, size, at, depth + 1);
		}
		return;
	}
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		c_name(b, t->size_type, buf, size, at, depth + 1);
		return;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = (const struct btf_array *)(t + 1);

		c_name(b, a->type, buf, size, at, depth + 1);
		PUT("[%u]", a->nelems);
		return;
	}
	case BTF_KIND_STRUCT:
		tag = "struct ";
		break;
	case BTF_KIND_UNION:
		tag = "union ";
		break;
	case BTF_KIND_FWD:
		tag = (t->info >> 31) & 1 ? "union " : "struct ";
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		tag = "enum ";
		break;
	case BTF_KIND_FUNC_PROTO:
		c_name(b, t->size_type, buf, size, at, depth + 1);
		PUT(" ()");
		return;
	default:
		break;
	}
	PUT("%s%s", tag, *n ? n : "<anonymous>");
#undef PUT
}

void dt_btf_c_name(const struct dt_btf *b, uint32_t id, char *buf, size_t size)
{
	size_t at = 0;

	if (!size)
		return;
	buf[0] = '\0';
	c_name(b, id, buf, size, &at, 0);
}
