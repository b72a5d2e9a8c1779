// SPDX-License-Identifier: GPL-2.0
/*
 * The type model: D's types (names, display types, C's usual arithmetic
 * conversions), the types of built-in variables, of fbt arguments (BTF)
 * and of curthread, which types variables and keys may hold, and the
 * types declared in D (their names, sizes and C layouts; kernel struct
 * names looked up in BTF when used).  It sits below the parser and the
 * passes after it and calls none of them (only the lexer, for operators'
 * names); the type checker's files (dt_tc.h) apply it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "dt_tc.h"
#include "prov.h"

const struct dt_type dt_t_err = { .kind = DT_T_ERR };
const struct dt_type dt_t_void = { .kind = DT_T_VOID };
const struct dt_type dt_t_string = { .kind = DT_T_STRING };
const struct dt_type dt_t_i32 = { .kind = DT_T_INT, .size = 4, .sign = true };
const struct dt_type dt_t_i64 = { .kind = DT_T_INT, .size = 8, .sign = true };
const struct dt_type dt_t_u64 = { .kind = DT_T_INT, .size = 8, .sign = false };
const struct dt_type dt_t_u32 = { .kind = DT_T_INT, .size = 4, .sign = false };

void dt_type_name(const struct dt_type *t, char *buf, size_t size)
{
	const char *base;
	char b[48];

	switch (t->kind) {
	case DT_T_VOID:
		snprintf(buf, size, "void");
		return;
	case DT_T_STRING:
		snprintf(buf, size, "string");
		return;
	case DT_T_STACK:
		snprintf(buf, size, "stack");
		return;
	case DT_T_USTACK:
		snprintf(buf, size, "ustack");
		return;
	case DT_T_ERR:
		snprintf(buf, size, "<error>");
		return;
	case DT_T_FLOAT:
		snprintf(buf, size, "%s", t->size == 4 ? "float" : t->size == 8 ? "double" :
			 "long double");
		return;
	case DT_T_STRUCT:
		if (t->dstruct)
			snprintf(buf, size, "%s %s", dt_dstruct_tag(t->dstruct),
				 dt_dstruct_name(t->dstruct));
		else
			snprintf(buf, size, "struct %s", dt_btf_type_name(t->btf));
		return;
	default:
		break;
	}
	if (t->kind == DT_T_PTR && t->dstruct) {
		char stars[9] = "********";
		int d = t->pdepth > 8 ? 8 : t->pdepth;

		stars[d] = '\0';
		snprintf(buf, size, "%s %s %s", dt_dstruct_tag(t->dstruct),
			 dt_dstruct_name(t->dstruct), stars);
		return;
	}
	if (t->kind == DT_T_PTR && t->btf) {
		char stars[9] = "********";
		int d = t->pdepth > 8 ? 8 : t->pdepth;

		stars[d] = '\0';
		snprintf(buf, size, "struct %s %s", dt_btf_type_name(t->btf), stars);
		return;
	}
	{
		int sz = t->kind == DT_T_PTR ? t->bsize : t->size;
		bool sg = t->kind == DT_T_PTR ? t->bsign : t->sign;

		if (t->kind == DT_T_PTR && !sz)
			base = "void";
		else if (sz == 1)
			base = t->ischar ? "char" : sg ? "int8_t" : "uint8_t";
		else if (sz == 2)
			base = sg ? "short" : "unsigned short";
		else if (sz == 4)
			base = sg ? "int" : "unsigned int";
		else
			base = sg ? "int64_t" : "uint64_t";
		snprintf(b, sizeof(b), "%s", base);
	}
	if (t->kind == DT_T_PTR) {
		char stars[9] = "********";
		int d = t->pdepth > 8 ? 8 : t->pdepth;

		stars[d] = '\0';
		snprintf(buf, size, "%s %s", b, stars);
	} else {
		snprintf(buf, size, "%s", b);
	}
}

int dt_type_to_dtype(const struct dt_type *t)
{
	if (t->dtype)
		return t->dtype - 1;
	switch (t->kind) {
	case DT_T_STRING:
		return KT_DT_STRING;
	case DT_T_STACK:
		return KT_DT_STACK;
	case DT_T_USTACK:
		return KT_DT_USTACK;
	case DT_T_PTR:
		return KT_DT_PTR;
	case DT_T_FLOAT:
		return t->size == 4 ? KT_DT_FLOAT : KT_DT_DOUBLE;
	case DT_T_INT:
		if (t->ischar)
			return KT_DT_CHAR;
		switch (t->size) {
		case 1: return t->sign ? KT_DT_S8 : KT_DT_U8;
		case 2: return t->sign ? KT_DT_S16 : KT_DT_U16;
		case 4: return t->sign ? KT_DT_S32 : KT_DT_U32;
		default: return t->sign ? KT_DT_S64 : KT_DT_U64;
		}
	default:
		return KT_DT_S64;
	}
}

struct dt_type tc_with_dtype(struct dt_type t, int dt)
{
	t.dtype = (uint8_t)(dt + 1);
	return t;
}

/*
 * args[IDX] of an fbt clause, typed from the function's prototype in the
 * kernel's BTF (entry: its arguments; return: args[1] is the return
 * value), as DTrace types fbt arguments from CTF.  Only when every probe
 * description of the clause names the same vmlinux function and probe
 * name without globs, and only for types D can hold; otherwise (and
 * without BTF) args[IDX] stays int64_t.
 */
void tc_fbt_arg_type(struct dt_cc *cc, struct dt_node *n, int idx)
{
	const struct dt_node *c = cc->clause;
	const struct kt_probespec *s0;
	struct dt_btf *b;
	struct dt_type t;
	uint32_t type;
	bool ret;

	if (!c || !c->nspecs)
		return;
	s0 = &c->specs[0];
	for (int i = 0; i < c->nspecs; i++) {
		const struct kt_probespec *s = &c->specs[i];

		if (!kt_prov_has(s->prov, KT_PROV_BTF_ARGS) || !s->func[0] || strpbrk(s->func, "*?[\\") ||
		    (s->mod[0] && strcmp(s->mod, KTRACE_MOD_VMLINUX)) || strcmp(s->func, s0->func) ||
		    strcmp(s->name, s0->name))
			return;
	}
	ret = !strcmp(s0->name, "return");
	if (!ret && strcmp(s0->name, "entry"))
		return;
	b = dt_btf_try(cc);
	if (b && dt_fbt_arg(b, s0->func, ret, idx, &type, &t))
		n->type = t;
}

bool dt_fbt_arg(const struct dt_btf *b, const char *func, bool ret, int idx, uint32_t *type,
		struct dt_type *t)
{
	const char *why;

	if (ret && idx != 1)
		return false;	/* args[0] of a return probe: the offset */
	if (!dt_btf_func_arg(b, func, ret ? -1 : idx, type) || !*type)
		return false;
	if (dt_btf_kind(b, dt_btf_resolve(b, *type)) == 4 /* STRUCT */ ||
	    dt_btf_kind(b, dt_btf_resolve(b, *type)) == 5 /* UNION */)
		return false;	/* passed by value: not a pointer to read through */
	return dt_btf_to_type(b, *type, t, &why);
}

/* *P for P a pointer to a kernel struct: the struct, where P points. */
struct dt_type tc_struct_at(const struct dt_type *p)
{
	struct dt_type t = { .kind = DT_T_STRUCT, .aspace = p->aspace, .btf = p->btf,
			     .dstruct = p->dstruct };

	return t;
}

/* curthread is a struct task_struct * when the kernel's types can be read. */
void tc_type_curthread(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_btf *b = dt_btf_try(cc);
	uint32_t id = b ? dt_btf_struct(b, "task_struct") : 0;

	if (id)
		n->type.btf = id;
}

/* ----- built-in variables ----- */
struct dt_type tc_builtin_type(int id)
{
	switch (id) {
	case KTRACE_VAR_PID:
	case KTRACE_VAR_TID:
	case KTRACE_VAR_PPID:
	case KTRACE_VAR_CPU:
	case KTRACE_VAR_CHIP:
	case KTRACE_VAR_LGRP:
	case KTRACE_VAR_ERRNO:
		return dt_t_i32;
	case KTRACE_VAR_UID:
	case KTRACE_VAR_GID:
	case KTRACE_VAR_ID:
	case KTRACE_VAR_EPID:
	case KTRACE_VAR_STACKDEPTH:
	case KTRACE_VAR_USTACKDEPTH:
	case KTRACE_VAR_IPL:
		return dt_t_u32;
	case KTRACE_VAR_EXECNAME:
	case KTRACE_VAR_PROBEPROV:
	case KTRACE_VAR_PROBEMOD:
	case KTRACE_VAR_PROBEFUNC:
	case KTRACE_VAR_PROBENAME:
		return dt_t_string;
	case KTRACE_VAR_TIMESTAMP:
	case KTRACE_VAR_VTIMESTAMP:
	case KTRACE_VAR_UREGS_PC:
	case KTRACE_VAR_TPRAW:
	case KTRACE_VAR_TPRAWSIZE:
		return dt_t_u64;
	case KTRACE_VAR_WALLTIMESTAMP:
		return dt_t_i64;
	case KTRACE_VAR_CURTHREAD: {
		struct dt_type t = { .kind = DT_T_PTR, .size = 8, .pdepth = 1 };

		return t;
	}
	case KTRACE_VAR_CALLER:
		return tc_with_dtype(dt_t_u64, KT_DT_U64);
	case KTRACE_VAR_UCALLER:
		return dt_t_u64;
	default:
		return dt_t_i64;	/* arg0..arg9 */
	}
}

/* ----- helpers ----- */
void tc_set_err(struct dt_node *n)
{
	n->type = dt_t_err;
}

struct dt_type tc_promote(struct dt_type t)
{
	if (t.kind == DT_T_INT && t.size < 4)
		return dt_t_i32;
	t.ischar = false;
	t.dtype = 0;
	return t;
}

struct dt_type tc_arith_conv(const struct dt_type *a, const struct dt_type *b)
{
	struct dt_type x = tc_promote(*a), y = tc_promote(*b), r;

	if (x.size == y.size)
		r = DT_INT_TYPE(x.size, x.sign && y.sign);
	else if (x.size > y.size)
		r = x;
	else
		r = y;
	return r;
}

/*
 * The type of an arithmetic result, as D has it (DTrace's type promotion,
 * unlike C's): no promotion to int, the larger type wins, and of two of
 * one size the unsigned one.  The value is computed in 64 bits and only
 * narrowed where it is stored, cast or recorded, so an int expression
 * that overflows midway (i * i / i) keeps its 64-bit intermediate value,
 * and unsigned char + unsigned char is an unsigned char (254 + 253 prints
 * as 251 with %d).
 */
struct dt_type tc_arith_type(const struct dt_type *a, const struct dt_type *b)
{
	struct dt_type x = *a, y = *b, r;

	x.ischar = y.ischar = false;
	x.dtype = y.dtype = 0;
	if (x.size == y.size)
		r = DT_INT_TYPE(x.size, x.sign && y.sign);
	else
		r = x.size > y.size ? x : y;
	return r;
}

/*
 * How many tuple entries a key of type T takes: one, or for a struct or
 * union declared in D (a variable's words) one per 64-bit word of it.
 */
int dt_key_width(const struct dt_type *t)
{
	if (t->kind == DT_T_STRUCT && t->dstruct)
		return (int)((dt_dstruct_size(t->dstruct) + 7) / 8);
	return 1;
}

int64_t tc_trunc_val(int64_t v, const struct dt_type *t)
{
	if (!is_int(t) || t->size >= 8)
		return v;
	if (t->sign) {
		int sh = 64 - t->size * 8;

		return (int64_t)((uint64_t)v << sh) >> sh;
	}
	return (int64_t)((uint64_t)v & ((1ULL << (t->size * 8)) - 1));
}

const char *tc_opname(int op)
{
	return dt_tok_name(op);
}

void tc_incompat(struct dt_cc *cc, struct dt_node *n, const struct dt_type *a, int op,
		 const struct dt_type *b)
{
	char x[64], y[64];

	dt_type_name(a, x, sizeof(x));
	dt_type_name(b, y, sizeof(y));
	dt_nerror(cc, n, "D_OP_INCOMPAT", "operands have incompatible types: \"%s\" %s \"%s\"",
		  x, tc_opname(op), y);
	tc_set_err(n);
}

/* ----- variables ----- */
const char *tc_scope_prefix(int scope)
{
	return scope == KTRACE_SCOPE_TLS || scope == KTRACE_SCOPE_TARRAY ? "self->" :
	       scope == KTRACE_SCOPE_LOCAL ? "this->" : "";
}

bool tc_storable(struct dt_cc *cc, struct dt_node *where, const struct dt_type *t)
{
	if (t->kind == DT_T_VOID) {
		dt_nerror(cc, where, "D_OP_VOID", "a void expression cannot be stored");
		return false;
	}
	if (t->kind == DT_T_STACK || t->kind == DT_T_USTACK) {
		dt_nerror(cc, where, "D_STACK_STORE",
			  "stack() and ustack() values can only be aggregation keys or traced");
		return false;
	}
	if (t->kind == DT_T_FLOAT && t->size > 8) {
		dt_nerror(cc, where, "D_TYPE_ERR",
			  "a long double cannot be stored: a D variable holds at most 8 bytes");
		return false;
	}
	return true;
}

/* Check the keys of an array/aggregation reference against its prototype. */
bool tc_check_keys(struct dt_cc *cc, struct dt_node *where, const char *pfx,
		   const char *name, int *nkeys, struct dt_type *keys, struct dt_node *args,
		   bool define)
{
	int n = 0, width = 0;
	bool ok = true;

	for (struct dt_node *a = args; a; a = a->next) {
		if (is_err(&a->type))
			return false;
		if (a->type.kind == DT_T_VOID) {
			dt_nerror(cc, a, "D_PROTO_ARG", "%s%s[ ] key #%d is void", pfx, name, n + 1);
			return false;
		}
		if (a->type.kind == DT_T_FLOAT) {
			dt_nerror(cc, a, "D_KEY_TYPE",
				  "%s%s[ ] key #%d is floating-point: D has no floating-point keys",
				  pfx, name, n + 1);
			return false;
		}
		/* a struct key: a struct or union variable declared in D, by its bytes */
		if (a->type.kind == DT_T_STRUCT && a->type.dstruct &&
		    (!a->ident ||
		     (a->kind != DT_N_IDENT && a->kind != DT_N_SELF && a->kind != DT_N_THIS))) {
			dt_nerror(cc, a, "D_PROTO_ARG",
				  "%s%s[ ] key #%d: a struct key must be a variable of a struct or union declared in D",
				  pfx, name, n + 1);
			return false;
		}
		width += dt_key_width(&a->type);
		n++;
	}
	if (n <= KTRACE_MAX_KEYS && width > KTRACE_MAX_KEYS) {
		dt_nerror(cc, where, "D_ARR_KEYS",
			  "%s%s[ ]: keys too large (%d words, at most %d; a struct key takes one per 8 bytes)",
			  pfx, name, width, KTRACE_MAX_KEYS);
		return false;
	}
	if (n > KTRACE_MAX_KEYS) {
		dt_nerror(cc, where, "D_ARR_KEYS", "%s%s[ ]: too many keys (%d, at most %d)", pfx,
			  name, n, KTRACE_MAX_KEYS);
		return false;
	}
	if (*nkeys < 0) {
		if (!define) {
			/* reading an array never written: keys fix the prototype */
		}
		*nkeys = n;
		n = 0;
		for (struct dt_node *a = args; a; a = a->next) {
			keys[n] = tc_promote(a->type);
			keys[n].dtype = a->type.dtype;
			n++;
		}
		return true;
	}
	if (n != *nkeys) {
		dt_nerror(cc, where, "D_PROTO_LEN",
			  "%s%s[ ] prototype mismatch: %d key%s passed, %d expected", pfx, name, n,
			  n == 1 ? "" : "s", *nkeys);
		return false;
	}
	n = 0;
	for (struct dt_node *a = args; a; a = a->next, n++) {
		const struct dt_type *k = &keys[n];
		bool compat = (is_scalar(k) && is_scalar(&a->type)) ||
			      (k->kind == a->type.kind && !is_scalar(k) &&
			       k->dstruct == a->type.dstruct);

		/* an aggregation key from a stack sample (ustackmode=dwarf) is one everywhere */
		if (define && kt_dt_from_usample(dt_type_to_dtype(k)) !=
			      kt_dt_from_usample(dt_type_to_dtype(&a->type)))
			compat = false;

		if (!compat) {
			char x[64], y[64];

			dt_type_name(k, x, sizeof(x));
			dt_type_name(&a->type, y, sizeof(y));
			dt_nerror(cc, a, "D_PROTO_ARG",
				  "%s%s[ ] key #%d is incompatible with prototype:\n\tprototype: %s\n\t      key: %s",
				  pfx, name, n + 1, x, y);
			ok = false;
		}
	}
	return ok;
}

/*
 * ----- declared types (the parser declares them): names, kernel struct
 * names looked up when used, sizes and layouts -----
 */
/* The compilation in progress on this thread, for type names. */
static __thread struct dt_cc *names_cc;

const char *dt_dstruct_name(uint16_t idx)
{
	if (!names_cc || !idx || idx > names_cc->ndstructs)
		return "<unknown>";
	return names_cc->dstructs[idx - 1]->name[0] ? names_cc->dstructs[idx - 1]->name :
						      "<anonymous>";
}

/* "struct", "union" or "enum": the keyword of declared type IDX */
const char *dt_dstruct_tag(uint16_t idx)
{
	if (!names_cc || !idx || idx > names_cc->ndstructs)
		return "struct";
	return dt_tag_word(names_cc->dstructs[idx - 1]->kind);
}

uint32_t dt_dstruct_size(uint16_t idx)
{
	uint32_t align;

	if (!names_cc || !idx || idx > names_cc->ndstructs)
		return 0;
	return dt_type_sizeof(names_cc, &(struct dt_type){ .kind = DT_T_STRUCT, .dstruct = idx },
			      &align);
}

/* CC's declared types are the ones named from now on (the parser, as it declares one) */
void dt_dstruct_bind(struct dt_cc *cc)
{
	names_cc = cc;
}

void dt_decl_release(struct dt_cc *cc)
{
	if (names_cc == cc)
		names_cc = NULL;
}

/* the keyword of a declared type of KIND (T_STRUCT, T_UNION, T_ENUM) */
const char *dt_tag_word(int kind)
{
	return kind == T_UNION ? "union" : kind == T_ENUM ? "enum" : "struct";
}

/* "struct NAME" (or union) of the kernel as T: a pointer to it, or its value. */
bool dt_kstruct_type(struct dt_cc *cc, const char *name, struct dt_type *t, int src,
		     int line, int col)
{
	struct dt_btf *b = dt_btf_get(cc, src, line, col);
	uint32_t id;

	if (!b)
		return false;
	id = dt_btf_struct(b, name);
	if (!id) {
		dt_error(cc, src, line, col, "D_UNKNOWN", "struct %s is not a kernel type", name);
		return false;
	}
	t->btf = id;
	if (t->kind == DT_T_VOID) {
		t->kind = DT_T_STRUCT;
		t->size = 0;
	}
	return true;
}

bool dt_dtype_resolve(struct dt_cc *cc, struct dt_dtype *d)
{
	if (!d->sname)
		return true;
	if (!dt_kstruct_type(cc, d->sname, &d->t, d->src, d->line, d->col))
		return false;
	d->sname = NULL;
	return true;
}

/* ----- sizes and layouts ----- */
/*
 * C's layout (as GCC lays out x86-64): members at their alignment; a
 * bit-field at the next free bit, unless it would cross a boundary of its
 * type's size, then at that boundary; a union's members all at 0.
 */
static bool layout(struct dt_cc *cc, struct dt_dstruct *ds)
{
	uint64_t pos = 0;	/* the next free bit */
	uint32_t size = 0, align = 1;

	if (!ds->defined && ds->kind != T_ENUM) {
		dt_error(cc, ds->fsrc, ds->fline, ds->fcol, "D_DECL_INCOMPLETE",
			 "%s %s is incomplete: it is neither a kernel type nor defined in D",
			 ds->kind == T_UNION ? "union" : "struct", ds->name);
		return false;
	}
	if (ds->size || !ds->nmembers)
		return true;
	if (ds->busy) {
		dt_error(cc, ds->m[0].type.src, ds->m[0].type.line, ds->m[0].type.col,
			 "D_DECL_INCOMPLETE", "%s %s is incomplete: it contains itself",
			 ds->kind == T_UNION ? "union" : "struct", ds->name);
		return false;
	}
	ds->busy = true;
	for (int i = 0; i < ds->nmembers; i++) {
		struct dt_smember *m = &ds->m[i];
		uint32_t a = 1, sz;

		if (!dt_dtype_resolve(cc, &m->type))
			goto fail;
		sz = dt_type_sizeof(cc, &m->type.t, &a);
		if (!sz)
			goto fail;
		if (m->type.nelems)
			sz *= m->type.nelems;
		if (ds->kind == T_UNION) {
			m->off = 0;
			m->bitoff = 0;
		} else if (m->bits) {
			if (pos % (sz * 8) + m->bits > sz * 8)
				pos = (pos + sz * 8 - 1) / (sz * 8) * (sz * 8);
			m->bitoff = (uint32_t)pos;
			m->off = (uint32_t)(pos / 8);
			pos += m->bits;
		} else {
			uint64_t off = ((pos + 7) / 8 + a - 1) / a * a;

			m->off = (uint32_t)off;
			m->bitoff = (uint32_t)off * 8;
			pos = (off + sz) * 8;
		}
		m->size = sz;
		if (sz > size)
			size = sz;
		if (a > align)
			align = a;
	}
	if (ds->kind != T_UNION)
		size = (uint32_t)((pos + 7) / 8);
	ds->align = align;
	ds->size = (size + align - 1) / align * align;
	ds->busy = false;
	return true;
fail:
	ds->busy = false;
	return false;
}

/* Size of a value of type T (0: none), and its alignment in *align. */
uint32_t dt_type_sizeof(struct dt_cc *cc, const struct dt_type *t, uint32_t *align)
{
	uint32_t a, sz;

	switch (t->kind) {
	case DT_T_INT:
	case DT_T_PTR:
	case DT_T_FLOAT:
		*align = t->size;
		return t->size;
	case DT_T_STRING:
		*align = 1;
		return (uint32_t)cc->strsize;
	case DT_T_STRUCT:
		if (t->dstruct) {
			struct dt_dstruct *ds = cc->dstructs[t->dstruct - 1];

			if (!layout(cc, ds))
				return 0;
			*align = ds->align ? ds->align : 1;
			return ds->size;
		}
		sz = cc->btf ? dt_btf_size(cc->btf, t->btf) : 0;
		for (a = 8; a > 1 && sz % a; a /= 2)
			;
		*align = a;
		return sz;
	default:
		*align = 1;
		return 0;
	}
}
