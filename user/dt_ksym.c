// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbols in D (the type checker's part): `sym and `mod`sym are
 * the value of a kernel variable, &`sym its address.  The address comes
 * from the CLI (kt_compile_opts.ksym_addr: /proc/kallsyms), the type from
 * BTF (the variable's VAR record).  Both are expanded in place into what
 * the code generator already knows: &`sym is the constant address as a
 * pointer to the variable's type, `sym is *(&`sym), read with the
 * fault-safe kernel load like any pointer.  Per-CPU variables are refused
 * (their kallsyms address is an offset, not an address).
 */
#include <errno.h>
#include <string.h>
#include "dt_tc.h"

/*
 * &`sym: N becomes (TYPE *)ADDR; *pt its type, *ext the extern declaration
 * that gave it (NULL: BTF's, or none).  false: diagnosed.
 */
static bool ksym_addr(struct dt_cc *cc, struct dt_node *n, const char *sym, struct dt_type *pt,
		      const struct dt_dtype **ext)
{
	char mod[128] = "", *name = (char *)sym, *bq = strchr(sym, '`');
	struct dt_btf *b;
	struct dt_node *c, *v;
	uint64_t addr = 0;
	uint32_t type;
	bool percpu = false, typed = false;
	int rc;

	*ext = NULL;
	if (bq) {
		snprintf(mod, sizeof(mod), "%.*s", (int)(bq - sym), sym);
		name = bq + 1;
	}
	if (!cc->opts->ksym_addr) {
		dt_nerror(cc, n, "D_SYM_NOKERN",
			  "kernel symbol `%s cannot be resolved here (no kernel symbol table)", sym);
		return false;
	}
	rc = cc->opts->ksym_addr(cc->opts->ksym_ctx, mod[0] ? mod : NULL, name, &addr);
	if (rc == -EPERM) {
		dt_nerror(cc, n, "D_SYM_NOADDR",
			  "the address of `%s is hidden by /proc/kallsyms (run as root)", sym);
		return false;
	}
	if (rc < 0) {
		dt_nerror(cc, n, "D_SYM_BADREF", "kernel symbol `%s is not defined", sym);
		return false;
	}
	b = dt_btf_try(cc);
	if (b && (!mod[0] || !strcmp(mod, KTRACE_MOD_VMLINUX)) && dt_btf_var(b, name, &type, &percpu)) {
		if (percpu) {
			dt_nerror(cc, n, "D_SYM_PERCPU",
				  "`%s is a per-CPU variable: its symbol is an offset, not an address",
				  sym);
			return false;
		}
		typed = dt_btf_ptr_to(b, type, pt, 0);
	}
	if (!typed) {	/* extern TYPE sym; */
		struct dt_dtype *d = dt_hget(&cc->externs, name, (uint32_t)strlen(name));

		if (!d)
			d = dt_hget(&cc->externs, sym, (uint32_t)strlen(sym));
		if (d && !dt_dtype_resolve(cc, d))
			return false;
		*ext = d;
		/* an array's address points to its first element; a function's has no type */
		if (d && (d->ext == DT_EXT_FUNC || d->ext == DT_EXT_FLOAT || d->fsize)) {
			typed = false;
		} else if (d && d->t.kind == DT_T_INT) {
			*pt = (struct dt_type){ .kind = DT_T_PTR, .size = 8, .pdepth = 1,
						.bsize = d->t.size, .bsign = d->t.sign };
			typed = true;
		} else if (d && d->t.kind == DT_T_PTR) {
			*pt = d->t;
			pt->pdepth++;
			typed = true;
		} else if (d && d->t.kind == DT_T_STRUCT) {
			*pt = (struct dt_type){ .kind = DT_T_PTR, .size = 8, .pdepth = 1,
						.btf = d->t.btf, .dstruct = d->t.dstruct };
			typed = d->t.btf != 0;
		}
	}
	if (!typed)	/* an address of unknown type: moves in bytes (is_void_ptr()) */
		*pt = (struct dt_type){ .kind = DT_T_PTR, .size = 8, .pdepth = 1,
					.dtype = KT_DT_PTR + 1 };
	pt->aspace = DT_AS_KERNEL;
	v = dt_node_new(cc, DT_N_INT, n->src, n->line, n->col);
	v->ival = (int64_t)addr;
	v->type = dt_t_u64;
	v->isconst = true;
	c = dt_node_new(cc, DT_N_CAST, n->src, n->line, n->col);
	c->ctype = *pt;
	c->a = v;
	c->next = n->next;
	*n = *c;
	return true;
}

static const char *name_of(const char *sym)
{
	const char *bq = strchr(sym, '`');

	return bq ? bq + 1 : sym;
}

/* `sym as a value. */
void tc_ksym(struct dt_cc *cc, struct dt_node *n)
{
	char *sym = n->sval;
	const struct dt_dtype *ext;
	struct dt_node *p;
	struct dt_type pt;

	if (!ksym_addr(cc, n, sym, &pt, &ext)) {
		tc_set_err(n);
		return;
	}
	if (ext && ext->ext == DT_EXT_FLOAT) {
		dt_nerror(cc, n, "D_SYM_FLOAT",
			  "`%s is a floating-point variable: D has no floating-point values; read its bytes with a cast (*(uint%d_t *)&`%s)",
			  sym, ext->fsize > 8 ? 64 : ext->fsize * 8, sym);
		tc_set_err(n);
		return;
	}
	if (ext && ext->ext == DT_EXT_ARRAY && ext->ndims > 1) {
		dt_nerror(cc, n, "D_SYM_ARRAY",
			  "`%s is an array of %d dimensions: only one-dimensional extern arrays can be used (declare it as %s[])",
			  sym, ext->ndims, name_of(sym));
		tc_set_err(n);
		return;
	}
	if (ext && (ext->ext == DT_EXT_ARRAY || ext->ext == DT_EXT_FUNC)) {
		tc_expr(cc, n);		/* an array or a function is its address */
		return;
	}
	if (pt.pdepth == 1 && !pt.bsize && !pt.btf) {
		dt_nerror(cc, n, "D_SYM_NOTYPE",
			  "`%s has no type in the kernel's BTF: declare it (extern int `%s;) or read it with a cast (*(int *)&`%s)",
			  sym, name_of(sym), sym);
		tc_set_err(n);
		return;
	}
	p = dt_node_new(cc, DT_N_CAST, n->src, n->line, n->col);
	*p = *n;
	p->next = NULL;
	n->kind = DT_N_UNOP;
	n->op = T_STAR;
	n->a = p;
	tc_expr(cc, n);
}

/* &`sym; false if N's operand is not a kernel symbol. */
bool tc_ksym_addrof(struct dt_cc *cc, struct dt_node *n)
{
	const struct dt_dtype *ext;
	struct dt_type pt;

	if (n->op != T_AMP || !n->a)
		return false;
	/* &NAME of extern T NAME; (not shadowed by a variable) is &`NAME */
	if (n->a->kind == DT_N_IDENT && !dt_var_lookup(cc, n->a->sval, KTRACE_SCOPE_GLOBAL) &&
	    !dt_var_lookup(cc, n->a->sval, KTRACE_SCOPE_GARRAY) &&
	    dt_hget(&cc->externs, n->a->sval, (uint32_t)strlen(n->a->sval)))
		n->a->kind = DT_N_KSYM;
	if (n->a->kind != DT_N_KSYM)
		return false;
	if (!ksym_addr(cc, n->a, n->a->sval, &pt, &ext)) {
		tc_set_err(n);
		return true;
	}
	{
		struct dt_node *next = n->next;

		*n = *n->a;
		n->next = next;
	}
	tc_expr(cc, n);
	return true;
}
