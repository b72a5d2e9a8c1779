// SPDX-License-Identifier: GPL-2.0
/*
 * dt_tcmember.c: the type checker's members (part of dt_typecheck.c's
 * pass, see its overview): E->M and E.M of kernel structs (BTF, with
 * bit-fields), of structs declared in D (dt_xlate.c) in memory or in
 * struct variables, of translated values, and args->FIELD of tracepoints.
 */
#include <string.h>
#include "dt_tc.h"

/*
 * E->M and E.M on kernel structures (BTF): the member's offset, and its
 * value: an integer or pointer is loaded, a nested struct/union is an
 * address, a char array a string, another array a pointer to its first
 * element.  A bit-field is read from the fewest bytes (1, 2, 4, 8) that
 * hold it, shifted and masked (sign-extended when its type is signed).
 */
static void tc_bitfield(struct dt_cc *cc, struct dt_node *n, uint32_t mt, uint32_t bitoff,
			uint64_t bits)
{
	const char *why = NULL;
	uint64_t need = bitoff % 8 + bits, lsize = 1;

	while (lsize <= 8 && lsize * 8 < need)	/* stops past 8 bytes: BTF sizes are hostile */
		lsize *= 2;
	if (!dt_btf_to_type(cc->btf, dt_btf_resolve(cc->btf, mt), &n->type, &why) ||
	    n->type.kind != DT_T_INT || !bits || lsize > 8) {
		dt_nerror(cc, n, "D_TYPE_MEMBER", "bit-field %s of %llu bits at bit %u cannot be read",
			  n->sval, (unsigned long long)bits, bitoff);
		tc_set_err(n);
		return;
	}
	n->mem_off = bitoff / 8;
	n->mem_bshift = (uint8_t)(bitoff % 8);
	n->mem_bits = (uint8_t)bits;
	n->mem_lsize = (uint8_t)lsize;
	n->mem_how = DT_MEM_BITS;
	n->type.aspace = n->a->type.aspace;
}

static void tc_struct_member(struct dt_cc *cc, struct dt_node *n)
{
	const struct dt_type *a = &n->a->type;
	struct dt_btf *b = cc->btf;
	uint32_t sid = 0, mt, bitoff, bitsize, elem, nelems;
	const char *why = NULL;
	char x[96];
	int size;
	bool sign, ischar;

	if (n->op == T_ARROW && a->kind == DT_T_PTR && a->pdepth == 1 && a->btf)
		sid = a->btf;
	else if (n->op == T_DOT && a->kind == DT_T_STRUCT)
		sid = a->btf;
	if (!b && (a->kind == DT_T_PTR || a->kind == DT_T_INT)) {
		dt_btf_get(cc, n->src, n->line, n->col);	/* says why there are no types */
		if (!cc->btf) {
			tc_set_err(n);
			return;
		}
		b = cc->btf;
	}
	if (!sid || !b) {
		dt_type_name(a, x, sizeof(x));
		if ((a->kind == DT_T_PTR && !a->btf && a->pdepth == 1) || a->kind == DT_T_INT)
			dt_nerror(cc, n, "D_TYPE_MEMBER",
				  "no type information for member %s of \"%s\": cast to a struct pointer first (and only args->FIELD of tracepoints has fields without one)",
				  n->sval, x);
		else
			dt_nerror(cc, n, "D_TYPE_MEMBER", "operator %s cannot be applied to a value of type \"%s\"",
				  n->op == T_ARROW ? "->" : ".", x);
		tc_set_err(n);
		return;
	}
	if (!dt_btf_member(b, sid, n->sval, &mt, &bitoff, &bitsize)) {
		dt_nerror(cc, n, "D_TYPE_MEMBER", "struct %s has no member named %s",
			  dt_btf_name(b, sid), n->sval);
		tc_set_err(n);
		return;
	}
	if (bitsize || (bitoff & 7)) {
		tc_bitfield(cc, n, mt, bitoff, bitsize ? bitsize : (uint64_t)dt_btf_size(b, mt) * 8);
		return;
	}
	n->mem_off = bitoff / 8;
	mt = dt_btf_resolve(b, mt);
	elem = dt_btf_target(b, mt, &nelems);
	if (dt_btf_kind(b, mt) == 3 /* BTF_KIND_ARRAY */) {
		uint32_t e = dt_btf_resolve(b, elem);

		if (dt_btf_int(b, e, &size, &sign, &ischar) && size == 1 && ischar && nelems) {
			n->type = dt_t_string;
			n->mem_how = DT_MEM_STR;
			n->tp_size = nelems > 65536 ? 65536 : (int)nelems;
			return;
		}
		dt_btf_ptr_to(b, e, &n->type, 0);
		n->type.aspace = a->aspace;
		n->mem_how = DT_MEM_ADDR;
		n->nbytes = nelems ? dt_btf_size(b, mt) : 0;	/* what trace() records */
		return;
	}
	if (!dt_btf_to_type(b, mt, &n->type, &why)) {
		dt_nerror(cc, n, "D_TYPE_MEMBER", "member %s of struct %s is %s", n->sval,
			  dt_btf_name(b, sid), why);
		tc_set_err(n);
		return;
	}
	n->type.aspace = a->aspace;
	n->mem_how = n->type.kind == DT_T_STRUCT ? DT_MEM_ADDR : DT_MEM_LOAD;
}

/*
 * The type of a tracepoint's dynamic array (__data_loc TYPE[]): a pointer
 * into the raw record, to TYPE when it is an integer type the format files
 * use, else to void (cast it to read it).
 */
static struct dt_type tp_elem_ptr(const char *ctype)
{
	static const struct {
		const char	*name;
		uint8_t		size;
		bool		sign;
	} ints[] = {
		{ "char", 1, true }, { "signed char", 1, true }, { "unsigned char", 1, false },
		{ "bool", 1, false }, { "u8", 1, false }, { "s8", 1, true },
		{ "__u8", 1, false }, { "__s8", 1, true },
		{ "short", 2, true }, { "unsigned short", 2, false },
		{ "u16", 2, false }, { "s16", 2, true }, { "__u16", 2, false }, { "__s16", 2, true },
		{ "int", 4, true }, { "unsigned int", 4, false }, { "unsigned", 4, false },
		{ "u32", 4, false }, { "s32", 4, true }, { "__u32", 4, false }, { "__s32", 4, true },
		{ "pid_t", 4, true },
		{ "long", 8, true }, { "unsigned long", 8, false }, { "long long", 8, true },
		{ "unsigned long long", 8, false }, { "u64", 8, false }, { "s64", 8, true },
		{ "__u64", 8, false }, { "__s64", 8, true }, { "size_t", 8, false },
	};
	struct dt_type t = { .kind = DT_T_PTR, .size = 8, .pdepth = 1, .aspace = DT_AS_KTRACE };

	if (!strncmp(ctype, "const ", 6))
		ctype += 6;
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (!strcmp(ctype, ints[i].name)) {
			t.bsize = ints[i].size;
			t.bsign = ints[i].sign;
			break;
		}
	return t;
}

void tc_member(struct dt_cc *cc, struct dt_node *n)
{
	const struct kt_tp_field *f;

	if (n->a->kind == DT_N_IDENT && !strcmp(n->a->sval, "args") && n->op == T_ARROW &&
	    !dt_var_lookup(cc, "args", KTRACE_SCOPE_GLOBAL)) {
		f = dt_tp_lookup(cc, cc->clause, n, n->sval);
		if (!f) {
			tc_set_err(n);
			return;
		}
		n->tp_off = f->offset;
		n->tp_size = f->size;
		n->tp_sign = f->is_signed;
		n->tp_dataloc = f->is_data_loc;
		n->tp_str = f->is_string;
		if (n->tp_str) {
			n->type = dt_t_string;
			return;
		}
		if (f->is_data_loc) {	/* a dynamic array: a pointer to its first element */
			n->type = tp_elem_ptr(f->type);
			return;
		}
		if (f->offset < 0 || f->offset > 65535 ||
		    (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8) || f->is_array) {
			dt_nerror(cc, n, "D_ARGS_MEMBER",
				  "args->%s: field of size %d%s is not supported (only scalars and strings)",
				  n->sval, f->size, f->is_array ? " (array)" : "");
			tc_set_err(n);
			return;
		}
		if (strchr(f->type, '*')) {
			struct dt_type t = { .kind = DT_T_PTR, .size = 8, .pdepth = 1 };

			if (strstr(f->type, "char")) {
				t.bsize = 1;
				t.bsign = true;
			}
			if (strstr(f->type, "__user"))
				t.aspace = DT_AS_USER;
			n->type = t;
		} else {
			n->type = DT_INT_TYPE(f->size, f->is_signed);
			if (f->size == 1 && strstr(f->type, "char") && !strstr(f->type, "unsigned"))
				n->type.ischar = true;
		}
		return;
	}
	if (tc_xlate_member(cc, n))
		return;
	tc_expr(cc, n->a);
	if (is_err(&n->a->type)) {
		tc_set_err(n);
		return;
	}
	if (n->op == T_DOT && tc_is_var_struct(n->a)) {
		tc_var_member(cc, n);
		return;
	}
	if (!(n->a->ident && n->op == T_DOT) && tc_dstruct_member(cc, n))
		return;
	tc_struct_member(cc, n);
}

/*
 * &E of an object in memory, as C: &*p is p, &p[i] is p + i (&a[i] of a
 * declared array a + i), &E->M and
 * &E.M the member's address (a char array's: a char *).  Variables and
 * bit-fields have no address (D_ADDROF_VAR, as for other operands).
 * False if E is none of these (diagnosed), true when N is rewritten.
 */
bool tc_addrof_memory(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_node *a = n->a, *next = n->next;
	struct dt_type t;

	if (a->kind == DT_N_IDENT || a->kind == DT_N_SELF || a->kind == DT_N_THIS)
		goto novar;
	tc_expr(cc, a);
	if (is_err(&a->type)) {
		tc_set_err(n);
		return true;
	}
	if (a->kind == DT_N_UNOP && a->op == T_STAR) {
		*n = *a->a;
	} else if (a->kind == DT_N_INDEX && (!a->ident || a->ident->nelems) &&
		   is_ptr(&a->a->type)) {
		/* p[i], or a[i] of a declared array (a is its address) */
		n->kind = DT_N_BINOP;
		n->op = T_PLUS;
		n->a = a->a;
		n->b = a->b;
		n->type = a->a->type;
		n->type.dtype = 0;
	} else if (a->kind == DT_N_MEMBER && (a->mem_how == DT_MEM_LOAD ||
		   a->mem_how == DT_MEM_ADDR || a->mem_how == DT_MEM_STR)) {
		if (a->mem_how == DT_MEM_STR)
			t = (struct dt_type){ .kind = DT_T_PTR, .size = 8, .pdepth = 1, .bsize = 1,
					      .bsign = true };
		else
			t = tc_ptr_to(&a->type);
		t.aspace = a->a->type.aspace;
		a->type = t;
		a->mem_how = DT_MEM_ADDR;
		*n = *a;
	} else if (a->kind == DT_N_MEMBER && (a->mem_how == DT_MEM_BITS || a->mem_bits)) {
		dt_nerror(cc, n, "D_ADDROF_BITFIELD", "cannot take the address of bit-field %s",
			  a->sval);
		tc_set_err(n);
		return true;
	} else {
novar:
		dt_nerror(cc, n, "D_ADDROF_VAR",
			  "the address-of operator & applies to kernel symbols (&`sym) and objects in memory (&p[i], &p->m), not to variables");
		tc_set_err(n);
		return true;
	}
	n->next = next;
	n->lvalue = false;
	return true;
}
