// SPDX-License-Identifier: GPL-2.0
/*
 * The compiler driver: kt_compile() runs the passes over every source in
 * order (parse each, then resolve, type-check and generate code over the
 * whole program), kt_prog_free() releases the result and
 * kt_prog_serialize() lays it out as a ktrace object with enablings.
 *
 * Memory: the syntax tree, symbols and strings live in one arena
 * (dt_mem.c) freed before kt_compile() returns; the kt_prog is plain
 * malloc'd arrays.  On allocation failure anywhere, the passes longjmp
 * back here (dt_oom_jmp) and the compilation fails with an "out of
 * memory" diagnostic.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dt_impl.h"
#include "dt_tc.h"
#include "prov.h"

/* ----- the result ----- */
void kt_prog_free(struct kt_prog *p)
{
	if (!p)
		return;
	free(p->insns);
	free(p->ints);
	free(p->strtab);
	free(p->vars);
	free(p->aggs);
	free(p->agg_key_dtypes);
	free(p->agg_val_dtype);
	free(p->actions);
	free(p->clauses);
	if (p->cinfo) {
		for (uint32_t i = 0; i < p->nclauses; i++)
			free(p->cinfo[i].specs);
		free(p->cinfo);
	}
	for (int i = 0; i < p->noptions; i++) {
		free(p->options[i].name);
		free(p->options[i].value);
	}
	free(p->options);
	for (uint32_t i = 0; i < p->nptypes; i++) {
		for (uint32_t j = 0; p->ptypes[i].m && j < p->ptypes[i].n; j++)
			free(p->ptypes[i].m[j].name);
		for (uint32_t j = 0; p->ptypes[i].e && j < p->ptypes[i].n; j++)
			free(p->ptypes[i].e[j].name);
		free(p->ptypes[i].m);
		free(p->ptypes[i].e);
		free(p->ptypes[i].name);
	}
	free(p->ptypes);
	free(p->act_ptype);
	free(p);
}

static void cc_cleanup(struct dt_cc *cc)
{
	dt_btf_release(cc);
	dt_hfree(&cc->globals);
	dt_hfree(&cc->tls);
	dt_hfree(&cc->locals);
	dt_hfree(&cc->aggs);
	dt_hfree(&cc->strmap);
	dt_hfree(&cc->intmap);
	dt_hfree(&cc->tpmap);
	dt_decl_release(cc);
	dt_hfree(&cc->typedefs);
	dt_hfree(&cc->tags);
	dt_hfree(&cc->enumconsts);
	dt_hfree(&cc->inlines);
	dt_hfree(&cc->xlators);
	dt_hfree(&cc->pdecls);
	dt_hfree(&cc->externs);
	free(cc->vars);
	free(cc->aggv);
	dt_arena_free(&cc->ar);
}

/*
 * ustackmode=dwarf: every ustack() value becomes a stack sample (the
 * kernel's KTRACE_TYPE_USAMPLE, unwound by the consumer), in the tuples
 * the program pushes, the actions' arguments and the aggregation keys.
 * ustack() pushes KTRACE_TT_USTACK, and so do the ucaller and ustackdepth
 * values recorded (cg_usample_node in dt_cg_var.c: their display types,
 * KT_DT_UCALLER..., say what the consumer derives from the sample); the
 * rest of the program is as in fp mode.
 */
static void ustack_samples(struct kt_prog *p)
{
	for (uint32_t i = 0; i < p->ninsns; i++)
		if (p->insns[i].op == KTRACE_OP_PUSH && p->insns[i].imm == KTRACE_TT_USTACK)
			p->insns[i].imm = KTRACE_TT_USAMPLE;
	for (uint32_t i = 0; i < p->nactions; i++)
		for (int k = 0; k < 16; k++)
			if (p->actions[i].arg_types[k] == KT_DT_USTACK)
				p->actions[i].arg_types[k] = KT_DT_USAMPLE;
	for (uint32_t i = 0; i < p->naggs; i++)
		for (int k = 0; k < p->aggs[i].nkeys && k < KTRACE_MAX_KEYS; k++)
			if (p->aggs[i].key_types[k] == KTRACE_TYPE_USTACK) {
				p->aggs[i].key_types[k] = KTRACE_TYPE_USAMPLE;
				if (p->agg_key_dtypes)
					p->agg_key_dtypes[i][k] = KT_DT_USAMPLE;
			}
}

struct kt_prog *kt_compile(const char *const *srcs, const char *const *names, int nsrcs,
			   const struct kt_compile_opts *opts, struct kt_diags *diags)
{
	static const struct kt_compile_opts defopts = { .filename = "<input>" };
	struct dt_cc *volatile cc;
	struct kt_prog *volatile prog = NULL;
	jmp_buf *volatile saved = dt_oom_jmp;
	volatile int vnsrcs = nsrcs;
	int nlib;
	const struct kt_compile_opts *volatile vopts = opts;
	int rc = 0;

	if (!opts)
		opts = &defopts;
	cc = calloc(1, sizeof(*cc));
	if (!cc)
		return NULL;
	cc->diags = diags;
	cc->opts = opts;
	cc->strsize = opts->strsize > 0 ? opts->strsize : KTRACE_DEF_STRSIZE;
	cc->scratchsize = opts->scratchsize ? opts->scratchsize : KTRACE_DEF_SCRATCHSIZE;
	cc->printsize = opts->printsize ? opts->printsize : KT_DEF_PRINTSIZE;
	cc->defaultargs = opts->defaultargs;
	cc->dversion = opts->dversion ? opts->dversion : KT_D_VERSION(2, 0, 0);
	cc->ustack_dwarf = opts->ustack_dwarf;
	cc->one_cpu = opts->one_cpu;
	cc->cpu = opts->cpu;
	cc->destructive_ok = opts->destructive;
	cc->tc_const = tc_expr;	/* enumerators' values, as the parser reads them */
	dt_oom_jmp = &cc->oom_jmp;
	if (setjmp(cc->oom_jmp)) {
		dt_error(cc, -1, 0, 0, "D_NOMEM", "out of memory");
		if (cc->prog)
			kt_prog_free(cc->prog);
		cc->prog = NULL;
		for (int i = 0; i < cc->noptions; i++) {
			free(cc->options[i].name);
			free(cc->options[i].value);
		}
		free(cc->options);
		goto out;
	}
	nsrcs = vnsrcs < 0 ? 0 : vnsrcs;
	opts = vopts;
	nlib = opts->nlib > 0 && !opts->probe_only ? opts->nlib : 0;
	cc->srcs = dt_alloc(&cc->ar, sizeof(*cc->srcs) * (size_t)(nlib + nsrcs + 1));
	cc->nsrcs = nlib + nsrcs;
	for (int i = 0; i < nlib; i++) {	/* the library first: declarations */
		cc->srcs[i].name = opts->lib_names && opts->lib_names[i] ? opts->lib_names[i] :
				   "<library>";
		cc->srcs[i].text = opts->lib_srcs[i] ? opts->lib_srcs[i] : "";
		cc->srcs[i].lib = true;
	}
	for (int i = 0; i < nsrcs; i++) {
		cc->srcs[nlib + i].name = names && names[i] ? names[i] :
					  opts->filename ? opts->filename : "<input>";
		cc->srcs[nlib + i].text = srcs[i] ? srcs[i] : "";
	}
	for (int i = 0; i < nlib + nsrcs; i++) {
		cc->srcs[i].len = strlen(cc->srcs[i].text);
		cc->srcs[i].scan = cc->srcs[i].text;
		cc->srcs[i].scanlen = cc->srcs[i].len;
	}
	for (int i = nlib; opts->cpp && i < nlib + nsrcs; i++)	/* may add sources: after */
		if (dt_cpp(cc, i) < 0 || dt_too_many_errors(cc))
			goto parsed;
	for (int i = 0; i < nlib + nsrcs; i++) {
		if (opts->probe_only)
			dt_parse_probe_only(cc, i);
		else
			dt_parse(cc, i);
		if (dt_too_many_errors(cc))
			break;
	}
	if (!opts->probe_only && nsrcs > 0 && !(diags && diags->nerrors) && !cc->nuser_items)
		dt_error(cc, nlib, 0, 0, "D_EMPTY", "empty D program translation unit");
parsed:
	if (diags && diags->nerrors)
		rc = -1;
	if (!rc)
		rc = dt_resolve(cc);
	/*
	 * As dtrace(1): a macro argument the program never reads is an error
	 * (a mistyped command line), unless -x argref; the last one is named.
	 */
	if (!rc && !opts->probe_only && !opts->argref) {
		for (int i = opts->nmacro_args; i >= 1; i--) {
			if (cc->macro_refd && cc->macro_refd[i])
				continue;
			dt_error(cc, -1, 0, 0, "D_MACRO_UNUSED", "extraneous argument '%s' ($%d is not referenced)",
				 opts->macro_args[i - 1], i);
			rc = -1;
			break;
		}
	}
	if (!rc && !opts->probe_only)
		rc = dt_typecheck(cc);
	if (!rc)
		rc = dt_codegen(cc);
	if (diags && diags->nerrors)
		rc = -1;
	if (rc) {
		kt_prog_free(cc->prog);
		cc->prog = NULL;
		for (int i = 0; i < cc->noptions; i++) {
			free(cc->options[i].name);
			free(cc->options[i].value);
		}
		free(cc->options);
		goto out;
	}
	prog = cc->prog;
	if (cc->ustack_dwarf)
		ustack_samples(prog);
	prog->options = cc->options;
	prog->noptions = cc->noptions;
	prog->destructive = cc->destructive;
out:
	cc_cleanup(cc);
	free(cc);
	dt_oom_jmp = saved;
	return prog;
}

char *kt_preprocess(const char *src, const char *name, const struct kt_compile_opts *opts,
		    struct kt_diags *diags)
{
	struct kt_compile_opts o = *opts;
	struct dt_cc *volatile cc;
	char *volatile out = NULL;
	jmp_buf *volatile saved = dt_oom_jmp;

	o.cpp = true;
	cc = calloc(1, sizeof(*cc));
	if (!cc)
		return NULL;
	cc->diags = diags;
	cc->opts = &o;
	dt_oom_jmp = &cc->oom_jmp;
	if (setjmp(cc->oom_jmp)) {
		dt_error(cc, -1, 0, 0, "D_NOMEM", "out of memory");
		goto done;
	}
	cc->srcs = dt_alloc(&cc->ar, sizeof(*cc->srcs));
	cc->nsrcs = 1;
	cc->srcs[0].name = name ? name : "<input>";
	cc->srcs[0].text = src ? src : "";
	cc->srcs[0].len = strlen(cc->srcs[0].text);
	if (dt_cpp(cc, 0) == 0)
		out = strdup(cc->srcs[0].scan);
done:
	cc_cleanup(cc);
	free(cc);
	dt_oom_jmp = saved;
	return out;
}

/* ----- the library's probe declarations (-lv) ----- */
static int decls_add(struct kt_probe_decls *out, const char *prov, const struct dt_pprobe *pr)
{
	struct kt_probe_decl *v = realloc(out->v, sizeof(*v) * (size_t)(out->n + 1)), *d;

	if (!v)
		return -1;
	out->v = v;
	d = &v[out->n];
	memset(d, 0, sizeof(*d));
	d->prov = strdup(prov);
	d->name = strdup(pr->name);
	d->args = calloc((size_t)pr->nargs + 1, sizeof(*d->args));
	out->n++;		/* freed with the rest on failure */
	if (!d->prov || !d->name || !d->args)
		return -1;
	for (int i = 0; i < pr->nargs; i++) {
		d->args[i] = strdup(pr->argtext[i] ? pr->argtext[i] : "");
		if (!d->args[i])
			return -1;
		d->nargs++;
	}
	return 0;
}

int kt_probe_decls_load(const struct kt_compile_opts *opts, struct kt_probe_decls *out,
			struct kt_diags *diags)
{
	struct dt_cc *volatile cc;
	jmp_buf *volatile saved = dt_oom_jmp;
	volatile int rc = -1;
	int nlib = opts->nlib > 0 ? opts->nlib : 0;

	memset(out, 0, sizeof(*out));
	cc = calloc(1, sizeof(*cc));
	if (!cc)
		return -1;
	cc->diags = diags;
	cc->opts = opts;
	cc->strsize = KTRACE_DEF_STRSIZE;
	cc->scratchsize = KTRACE_DEF_SCRATCHSIZE;
	cc->printsize = KT_DEF_PRINTSIZE;
	cc->tc_const = tc_expr;
	dt_oom_jmp = &cc->oom_jmp;
	if (setjmp(cc->oom_jmp)) {
		dt_error(cc, -1, 0, 0, "D_NOMEM", "out of memory");
		goto out;
	}
	cc->srcs = dt_alloc(&cc->ar, sizeof(*cc->srcs) * (size_t)(nlib + 1));
	cc->nsrcs = nlib;
	for (int i = 0; i < nlib; i++) {
		cc->srcs[i].name = opts->lib_names && opts->lib_names[i] ? opts->lib_names[i] :
				   "<library>";
		cc->srcs[i].text = opts->lib_srcs[i] ? opts->lib_srcs[i] : "";
		cc->srcs[i].lib = true;
		cc->srcs[i].len = strlen(cc->srcs[i].text);
		cc->srcs[i].scan = cc->srcs[i].text;
		cc->srcs[i].scanlen = cc->srcs[i].len;
	}
	for (int i = 0; i < nlib && !dt_too_many_errors(cc); i++)
		dt_parse(cc, i);
	if (diags && diags->nerrors)
		goto out;
	for (uint32_t i = 0; i < cc->pdecls.cap; i++) {
		const struct dt_pdecl *pd = cc->pdecls.v[i].key ? cc->pdecls.v[i].val : NULL;

		for (const struct dt_pprobe *pr = pd ? pd->probes : NULL; pr; pr = pr->next)
			if (decls_add(out, pd->name, pr) < 0) {
				dt_error(cc, -1, 0, 0, "D_NOMEM", "out of memory");
				goto out;
			}
	}
	if (opts->btf_path) {
		const char *why;

		out->btf = dt_btf_open(opts->btf_path, &why);	/* none: fbt untyped */
	}
	rc = 0;
out:
	cc_cleanup(cc);
	free(cc);
	dt_oom_jmp = saved;
	if (rc)
		kt_probe_decls_free(out);
	return rc;
}

static void decl_clear(struct kt_probe_decl *d)
{
	for (int j = 0; d->args && d->args[j]; j++)
		free(d->args[j]);
	free(d->args);
	free(d->prov);
	free(d->name);
	memset(d, 0, sizeof(*d));
}

/* fbt's: the compiler's (dt_fbt_arg), NULL when none is typed */
static const struct kt_probe_decl *fbt_types(struct kt_probe_decls *d,
					     const struct ktrace_probe_desc *p)
{
	const struct dt_btf *b = d->btf;
	bool ret = !strcmp(p->name, "return");
	struct kt_probe_decl *f = &d->fbt;
	uint32_t type;
	int n = 0;

	decl_clear(f);
	if (!b || (strcmp(p->module, KTRACE_MOD_VMLINUX) && p->module[0]) ||
	    (!ret && strcmp(p->name, "entry")))
		return NULL;
	f->args = calloc(DT_PROBE_MAXARGS + 1, sizeof(*f->args));
	if (!f->args)
		return NULL;
	if (ret) {
		struct dt_type t;

		if (!dt_fbt_arg(b, p->function, true, 1, &type, &t))
			return NULL;
		f->args[0] = strdup("int64_t");	/* the offset: untyped */
		if (!f->args[0] || !(f->args[1] = malloc(128)))
			return NULL;
		dt_btf_c_name(b, type, f->args[1], 128);
		n = 2;
	} else {
		for (; n < DT_PROBE_MAXARGS && dt_btf_func_arg(b, p->function, n, &type); n++) {
			struct dt_type t;

			f->args[n] = malloc(128);
			if (!f->args[n])
				return NULL;
			if (dt_fbt_arg(b, p->function, false, n, &type, &t))
				dt_btf_c_name(b, type, f->args[n], 128);
			else	/* a struct by value: args[n] stays an int64_t */
				snprintf(f->args[n], 128, "int64_t");
		}
		if (!n)
			return NULL;
	}
	f->nargs = n;
	return f;
}

const struct kt_probe_decl *kt_probe_decls_types(struct kt_probe_decls *d,
						 const struct ktrace_probe_desc *p)
{
	const struct kt_probe_decl *pd = kt_probe_decls_find(d, p->provider, p->name);

	if (pd)
		return pd;
	if (kt_prov_has(p->provider, KT_PROV_BTF_ARGS))
		return fbt_types(d, p);
	return NULL;
}

const struct kt_probe_decl *kt_probe_decls_find(const struct kt_probe_decls *d,
						const char *prov, const char *name)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].prov, prov) && !strcmp(d->v[i].name, name))
			return &d->v[i];
	return NULL;
}

void kt_probe_decls_free(struct kt_probe_decls *d)
{
	for (int i = 0; i < d->n; i++)
		decl_clear(&d->v[i]);
	decl_clear(&d->fbt);
	free(d->v);
	if (d->btf)
		dt_btf_close(d->btf);
	memset(d, 0, sizeof(*d));
}

/* ----- serialisation ----- */
static uint32_t align8(uint32_t x)
{
	return (x + 7) & ~7u;
}

int kt_prog_serialize(const struct kt_prog *p, const struct ktrace_enabling *en,
		      uint32_t nen, void **objp, uint32_t *sizep)
{
	struct ktrace_obj_hdr h;
	uint64_t off = align8(sizeof(h));
	uint8_t *obj;

	if (!p || !objp || !sizep || (nen && !en))
		return -EINVAL;
	memset(&h, 0, sizeof(h));
	h.magic = KTRACE_OBJ_MAGIC;
	h.version = KTRACE_ABI_VERSION;
	h.hdr_size = sizeof(h);
	h.flags = p->destructive ? KTRACE_OBJ_F_DESTRUCTIVE : 0;
#define SECT(field_off, field_cnt, cnt, esize)				\
	do {								\
		h.field_off = (uint32_t)off;				\
		h.field_cnt = (uint32_t)(cnt);				\
		off = align8((uint32_t)(off + (uint64_t)(cnt) * (esize)));	\
		if (off > UINT32_MAX / 2)				\
			return -E2BIG;					\
	} while (0)
	SECT(insn_off, insn_cnt, p->ninsns, sizeof(struct ktrace_insn));
	SECT(int_off, int_cnt, p->nints, sizeof(int64_t));
	SECT(strtab_off, strtab_cnt, p->strtab_size, 1);
	SECT(var_off, var_cnt, p->nvars, sizeof(struct ktrace_var_desc));
	SECT(agg_off, agg_cnt, p->naggs, sizeof(struct ktrace_agg_desc));
	SECT(action_off, action_cnt, p->nactions, sizeof(struct ktrace_action_desc));
	SECT(clause_off, clause_cnt, p->nclauses, sizeof(struct ktrace_clause_desc));
	SECT(enabling_off, enabling_cnt, nen, sizeof(struct ktrace_enabling));
#undef SECT
	h.obj_size = (uint32_t)off;
	obj = calloc(1, off);
	if (!obj)
		return -ENOMEM;
	memcpy(obj, &h, sizeof(h));
	if (p->ninsns)
		memcpy(obj + h.insn_off, p->insns, p->ninsns * sizeof(*p->insns));
	if (p->nints)
		memcpy(obj + h.int_off, p->ints, p->nints * sizeof(*p->ints));
	if (p->strtab_size)
		memcpy(obj + h.strtab_off, p->strtab, p->strtab_size);
	if (p->nvars)
		memcpy(obj + h.var_off, p->vars, p->nvars * sizeof(*p->vars));
	if (p->naggs)
		memcpy(obj + h.agg_off, p->aggs, p->naggs * sizeof(*p->aggs));
	if (p->nactions)
		memcpy(obj + h.action_off, p->actions, p->nactions * sizeof(*p->actions));
	if (p->nclauses && p->clauses)
		memcpy(obj + h.clause_off, p->clauses, p->nclauses * sizeof(*p->clauses));
	if (nen)
		memcpy(obj + h.enabling_off, en, nen * sizeof(*en));
	*objp = obj;
	*sizep = h.obj_size;
	return 0;
}
