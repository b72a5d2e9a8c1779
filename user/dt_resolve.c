// SPDX-License-Identifier: GPL-2.0
/*
 * Name resolution: probe descriptions, macro arguments, declarations,
 * and tracepoint record layouts.
 *
 * Probe descriptions are "provider:module:function:name" with empty
 * fields and globs; shorter forms are right-aligned as in DTrace
 * ("read:entry" is function:name, "BEGIN" is a name).  Macro variables
 * ($1.. $9, $$1.., $target, $pid...) are expanded in descriptions as
 * text and in expressions as constants ($N an integer if it looks like
 * one, else an identifier; $$N always a string).  Declarations register
 * typed variables before any clause is type-checked.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dt_impl.h"
#include "prov.h"

/* ----- macro variables ----- */

/* Integer macro variables; false if name is not one. */
static bool macro_var(struct dt_cc *cc, const char *name, int64_t *v)
{
	if (!strcmp(name, "target"))
		*v = cc->opts->target_pid;
	else if (!strcmp(name, "pid"))
		*v = getpid();
	else if (!strcmp(name, "ppid"))
		*v = getppid();
	else if (!strcmp(name, "uid"))
		*v = getuid();
	else if (!strcmp(name, "gid"))
		*v = getgid();
	else if (!strcmp(name, "euid"))
		*v = geteuid();
	else if (!strcmp(name, "egid"))
		*v = getegid();
	else if (!strcmp(name, "sid"))
		*v = getsid(0);
	else if (!strcmp(name, "pgid"))
		*v = getpgid(0);
	else if (!strcmp(name, "projid") || !strcmp(name, "taskid"))
		*v = 0;
	else
		return false;
	return true;
}

/* $N argument text, or NULL if absent. */
static const char *macro_arg(struct dt_cc *cc, const char *name, int *idx)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)name[0]))
		return NULL;
	n = strtol(name, &end, 10);
	*idx = (int)n;
	if (*end || n < 0 || n > 1000)
		return NULL;
	if (n == 0)
		return cc->srcs[0].name;	/* $0: the script name */
	if (n > cc->opts->nmacro_args || !cc->opts->macro_args)
		return NULL;
	if (!cc->macro_refd)
		cc->macro_refd = dt_alloc(&cc->ar, (size_t)cc->opts->nmacro_args + 1);
	cc->macro_refd[n] = true;
	return cc->opts->macro_args[n - 1];
}

static bool parse_int(const char *s, int64_t *v)
{
	char *end;
	long long x;

	if (!*s)
		return false;
	errno = 0;
	x = strtoll(s, &end, 0);
	if (*end || errno) {
		unsigned long long u;

		errno = 0;
		u = strtoull(s, &end, 0);
		if (*end || errno || s[0] == '-')
			return false;
		x = (long long)u;
	}
	*v = x;
	return true;
}

static bool valid_ident(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static void resolve_macro(struct dt_cc *cc, struct dt_node *n)
{
	const char *name = n->sval;
	bool dollar2 = n->ival != 0;
	int64_t v;
	int idx = 0;
	const char *arg;

	if (isdigit((unsigned char)name[0])) {
		arg = macro_arg(cc, name, &idx);
		if (!arg && !cc->defaultargs) {
			dt_nerror(cc, n, "D_MACRO_UNDEF", "macro argument $%s%s is not defined",
				  dollar2 ? "$" : "", name);
			n->kind = DT_N_INT;
			n->type.kind = DT_T_ERR;
			return;
		}
		if (!arg)
			arg = dollar2 ? "" : "0";
		if (dollar2) {
			n->kind = DT_N_STR;
			n->sval = dt_strndup(&cc->ar, arg, strlen(arg));
			n->slen = (uint32_t)strlen(arg);
			return;
		}
		if (parse_int(arg, &v)) {
			n->kind = DT_N_INT;
			n->ival = v;
			n->isconst = true;
			n->type = DT_INT_TYPE(v >= INT32_MIN && v <= INT32_MAX ? 4 : 8, true);
			return;
		}
		if (valid_ident(arg)) {
			n->kind = DT_N_IDENT;
			n->sval = dt_strndup(&cc->ar, arg, strlen(arg));
			return;
		}
		dt_nerror(cc, n, "D_MACRO_TOKEN",
			  "macro argument $%s (\"%.64s\") is not an integer or identifier; use $$%s for a string",
			  name, arg, name);
		n->kind = DT_N_INT;
		n->type.kind = DT_T_ERR;
		return;
	}
	if (macro_var(cc, name, &v)) {
		if (dollar2) {
			char buf[32];

			snprintf(buf, sizeof(buf), "%lld", (long long)v);
			n->kind = DT_N_STR;
			n->sval = dt_strndup(&cc->ar, buf, strlen(buf));
			n->slen = (uint32_t)strlen(buf);
			return;
		}
		n->kind = DT_N_INT;
		n->ival = v;
		n->isconst = true;
		n->type = DT_INT_TYPE(4, true);
		return;
	}
	dt_nerror(cc, n, "D_MACRO_UNDEF", "macro variable $%s%s is not defined",
		  dollar2 ? "$" : "", name);
	n->kind = DT_N_INT;
	n->type.kind = DT_T_ERR;
}

static void walk_macros(struct dt_cc *cc, struct dt_node *n, int depth)
{
	for (; n; n = n->next) {
		if (depth > 1000)
			return;
		if (n->kind == DT_N_MACRO)
			resolve_macro(cc, n);
		if (n->kind == DT_TOP_CLAUSE) {
			walk_macros(cc, n->a, depth + 1);
			walk_macros(cc, n->b, depth + 1);
			continue;
		}
		walk_macros(cc, n->a, depth + 1);
		walk_macros(cc, n->b, depth + 1);
		walk_macros(cc, n->c, depth + 1);
		walk_macros(cc, n->d, depth + 1);
	}
}

/* ----- probe descriptions ----- */

/* Expand $N, $$N and $var in a description's text. */
static char *expand_desc(struct dt_cc *cc, const struct dt_node *raw, bool *ok)
{
	const char *s = raw->sval;
	size_t cap = strlen(s) + 64, n = 0;
	char *out = dt_alloc(&cc->ar, cap);

	*ok = true;
	while (*s) {
		const char *val = NULL;
		char num[32], name[64];
		size_t k = 0;
		int idx;
		int64_t v;

		if (*s == '\\' && s[1]) {
			val = NULL;
			if (n + 2 >= cap)
				goto grow;
			out[n++] = *s++;
			out[n++] = *s++;
			continue;
		}
		if (*s != '$') {
			if (n + 1 >= cap)
				goto grow;
			out[n++] = *s++;
			continue;
		}
		s++;
		if (*s == '$')
			s++;
		while (k + 1 < sizeof(name) && (isalnum((unsigned char)*s) || *s == '_'))
			name[k++] = *s++;
		name[k] = '\0';
		if (!k) {
			dt_error(cc, raw->src, raw->line, raw->col, "D_PDESC_INVAL",
				 "invalid probe description \"%s\": '$' without a macro name", raw->sval);
			*ok = false;
			return NULL;
		}
		if (isdigit((unsigned char)name[0])) {
			val = macro_arg(cc, name, &idx);
			if (!val && cc->defaultargs)
				val = "";
		} else if (macro_var(cc, name, &v)) {
			snprintf(num, sizeof(num), "%lld", (long long)v);
			val = num;
		}
		if (!val) {
			dt_error(cc, raw->src, raw->line, raw->col, "D_MACRO_UNDEF",
				 "macro %s $%s is not defined in probe description \"%s\"",
				 isdigit((unsigned char)name[0]) ? "argument" : "variable", name,
				 raw->sval);
			*ok = false;
			return NULL;
		}
		while (n + strlen(val) + 1 >= cap) {
			char *no = dt_alloc(&cc->ar, cap * 2);

			memcpy(no, out, n);
			out = no;
			cap *= 2;
		}
		memcpy(out + n, val, strlen(val));
		n += strlen(val);
		continue;
grow:
		{
			char *no = dt_alloc(&cc->ar, cap * 2);

			memcpy(no, out, n);
			out = no;
			cap *= 2;
		}
	}
	out[n] = '\0';
	return out;
}

static bool copy_field(struct dt_cc *cc, const struct dt_node *raw, char *dst, size_t size,
		       const char *s, size_t n, const char *what)
{
	if (n >= size) {
		dt_error(cc, raw->src, raw->line, raw->col, "D_PDESC_INVAL",
			 "invalid probe description \"%s\": %s name too long (at most %zu characters)",
			 raw->sval, what, size - 1);
		return false;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
	return true;
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[\\") != NULL;
}

static bool split_desc(struct dt_cc *cc, const struct dt_node *raw, const char *text,
		       struct kt_probespec *sp)
{
	const char *f[4];
	size_t len[4];
	int nf = 0, br = 0;
	const char *start = text, *p;
	const struct kt_provider *pv;

	for (p = text;; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '[')
			br = 1;
		else if (*p == ']')
			br = 0;
		if ((*p == ':' && !br) || !*p) {
			if (nf == 4) {
				dt_error(cc, raw->src, raw->line, raw->col, "D_PDESC_INVAL",
					 "invalid probe description \"%s\": too many fields", raw->sval);
				return false;
			}
			f[nf] = start;
			len[nf] = (size_t)(p - start);
			nf++;
			start = p + 1;
			if (!*p)
				break;
		}
	}
	/* tracepoint:SUBSYS:EVENT is tracepoint:SUBSYS::EVENT (as bpftrace writes it) */
	if (nf == 3 && (pv = kt_prov_find(f[0], (ssize_t)len[0])) && (pv->flags & KT_PROV_SHORT)) {
		f[3] = f[2];
		len[3] = len[2];
		f[2] = "";
		len[2] = 0;
		nf = 4;
	}
	/* right-align */
	{
		const char *ff[4] = { "", "", "", "" };
		size_t ll[4] = { 0, 0, 0, 0 };

		for (int i = 0; i < nf; i++) {
			ff[4 - nf + i] = f[i];
			ll[4 - nf + i] = len[i];
		}
		if (!copy_field(cc, raw, sp->prov, sizeof(sp->prov), ff[0], ll[0], "provider") ||
		    !copy_field(cc, raw, sp->mod, sizeof(sp->mod), ff[1], ll[1], "module") ||
		    !copy_field(cc, raw, sp->func, sizeof(sp->func), ff[2], ll[2], "function") ||
		    !copy_field(cc, raw, sp->name, sizeof(sp->name), ff[3], ll[3], "name"))
			return false;
	}
	/* bracket balance in globs */
	for (int i = 0; i < 4; i++) {
		const char *s = i == 0 ? sp->prov : i == 1 ? sp->mod : i == 2 ? sp->func : sp->name;
		int open = 0;

		for (const char *q = s; *q; q++) {
			if (*q == '\\' && q[1])
				q++;
			else if (*q == '[')
				open = 1;
			else if (*q == ']')
				open = 0;
		}
		if (open) {
			dt_error(cc, raw->src, raw->line, raw->col, "D_PDESC_INVAL",
				 "invalid probe description \"%s\": unterminated [ in pattern",
				 raw->sval);
			return false;
		}
	}
	/* providers of single-name probes, so the catalogue can create them */
	if (!sp->prov[0] && !sp->mod[0] && !sp->func[0] && (pv = kt_prov_bare(sp->name))) {
		snprintf(sp->prov, sizeof(sp->prov), "%s", pv->name);
		sp->prov_implied = true;
	}
	return true;
}

/*
 * -x cpu=N: the clause's predicate becomes "cpu == N && (PREDICATE)",
 * unless each of its probes fires where tracing starts and stops (BEGIN,
 * END: DTrace runs them on CPU N; here they run where ktrace does).
 */
static void only_on_cpu(struct dt_cc *cc, struct dt_node *c)
{
	struct dt_node *var, *num, *eq, *and;
	int i;

	for (i = 0; i < c->nspecs; i++)
		if (!kt_prov_has(c->specs[i].prov, KT_PROV_ANYCPU))
			break;
	if (i == c->nspecs)
		return;
	var = dt_node_new(cc, DT_N_IDENT, c->src, c->line, c->col);
	var->sval = dt_strndup(&cc->ar, "cpu", 3);
	num = dt_node_new(cc, DT_N_INT, c->src, c->line, c->col);
	num->ival = cc->cpu;
	num->type = DT_INT_TYPE(4, true);
	num->isconst = true;
	eq = dt_node_new(cc, DT_N_BINOP, c->src, c->line, c->col);
	eq->op = T_EQ;
	eq->a = var;
	eq->b = num;
	if (!c->a) {
		c->a = eq;
		return;
	}
	and = dt_node_new(cc, DT_N_LOGOP, c->src, c->line, c->col);
	and->op = T_LAND;
	and->a = eq;
	and->b = c->a;
	c->a = and;
}

static int resolve_clause(struct dt_cc *cc, struct dt_node *c)
{
	struct dt_node *raw;
	int i = c->nspecs;
	int rc = 0;

	/* c->d holds the raw descriptions in reverse order */
	for (raw = c->d; raw && i > 0; raw = raw->next) {
		struct kt_probespec *sp = &c->specs[--i];
		bool ok;
		char *text = expand_desc(cc, raw, &ok);

		if (!ok || !split_desc(cc, raw, text, sp))
			rc = -1;
	}
	c->d = NULL;
	if (!rc && cc->one_cpu)
		only_on_cpu(cc, c);
	return rc;
}

/* ----- declarations ----- */

static struct dt_hmap *scope_map(struct dt_cc *cc, int scope)
{
	switch (scope) {
	case KTRACE_SCOPE_TLS:
	case KTRACE_SCOPE_TARRAY:
		return &cc->tls;
	case KTRACE_SCOPE_LOCAL:
		return &cc->locals;
	default:
		return &cc->globals;
	}
}

struct dt_ident *dt_var_lookup(struct dt_cc *cc, const char *name, int scope)
{
	return dt_hget(scope_map(cc, scope), name, (uint32_t)strlen(name));
}

struct dt_ident *dt_var_new(struct dt_cc *cc, const char *name, int scope,
			    const struct dt_node *where)
{
	struct dt_ident *id = dt_alloc(&cc->ar, sizeof(*id));

	id->name = dt_strndup(&cc->ar, name, strlen(name));
	id->scope = scope;
	id->nkeys = -1;
	id->index = cc->nvars;
	if (where) {
		id->src = where->src;
		id->line = where->line;
		id->col = where->col;
	}
	if (cc->nvars == cc->varcap) {
		int ncap = cc->varcap ? cc->varcap * 2 : 16;
		struct dt_ident **nv = realloc(cc->vars, sizeof(*nv) * (size_t)ncap);

		if (!nv)
			longjmp(cc->oom_jmp, 1);
		cc->vars = nv;
		cc->varcap = ncap;
	}
	cc->vars[cc->nvars++] = id;
	if (!dt_hput(scope_map(cc, scope), id->name, (uint32_t)strlen(id->name), id))
		longjmp(cc->oom_jmp, 1);
	return id;
}

/*
 * A variable of a struct or union type declared in D holds its bytes in
 * 64-bit words: its own and hidden variables NAME.1, NAME.2... of its
 * scope (names no program can write), read and written a member at a time
 * (dt_cg_var.c).  False (diagnosed) for what cannot be held so.
 */
bool dt_var_words(struct dt_cc *cc, struct dt_ident *id, const struct dt_node *where)
{
	uint32_t size, align;
	char name[300];
	int nerr = cc->diags ? cc->diags->nerrors : 0;

	if (id->type.kind != DT_T_STRUCT || id->nwords)
		return true;
	if (!id->type.dstruct)
		return true;	/* a kernel struct: not a value (D_STRUCT_VALUE where used) */
	size = dt_type_sizeof(cc, &id->type, &align);
	if (!size && cc->diags && cc->diags->nerrors > nerr)
		return false;	/* its layout was diagnosed */
	if (!size || size > DT_STRUCT_MAXWORDS * 8) {
		char tn[96];

		dt_type_name(&id->type, tn, sizeof(tn));
		dt_nerror(cc, where, "D_STRUCT_VALUE",
			  "%s cannot hold \"%s\": a variable holds a struct or union declared in D of at most %d bytes",
			  id->name, tn, DT_STRUCT_MAXWORDS * 8);
		return false;
	}
	id->nwords = (int)((size + 7) / 8);
	for (int k = 1; k < id->nwords; k++) {
		struct dt_ident *w;

		snprintf(name, sizeof(name), "%.256s.%d", id->name, k);
		/* an array's words: arrays of the same keys (codegen gives them its nkeys) */
		w = dt_var_new(cc, name, id->scope, where);
		w->type = DT_INT_TYPE(8, true);
		w->typed = true;
		if (k == 1)
			id->word1 = w->index;
	}
	return true;
}

/*
 * int a[N]: a global of N integers or pointers (the kernel's ldgx/stgx
 * check the index at run time), KTRACE_MAX_ARRAY_SIZE bytes at most.
 */
static bool resolve_garr(struct dt_cc *cc, struct dt_node *d, int scope)
{
	const struct dt_type *t = &d->ctype;
	uint32_t esz = t->kind == DT_T_PTR ? 8 : t->size;

	if (scope != KTRACE_SCOPE_GLOBAL) {
		dt_nerror(cc, d, "D_DECL_ARRDIM", "declared arrays are global: %s%s[%u]",
			  scope == KTRACE_SCOPE_TLS ? "self->" : "this->", d->sval, d->nelems);
		return false;
	}
	if ((t->kind != DT_T_INT && t->kind != DT_T_PTR) || d->csname ||
	    (esz != 1 && esz != 2 && esz != 4 && esz != 8)) {
		dt_nerror(cc, d, "D_DECL_ARRTYPE",
			  "declared array %s: its elements must be integers or pointers", d->sval);
		return false;
	}
	if ((uint64_t)d->nelems * esz > KTRACE_MAX_ARRAY_SIZE) {
		dt_nerror(cc, d, "D_DECL_ARRSUB",
			  "declared array %s of %u elements is larger than %d bytes", d->sval,
			  d->nelems, KTRACE_MAX_ARRAY_SIZE);
		return false;
	}
	return true;
}

static int resolve_decl(struct dt_cc *cc, struct dt_node *d)
{
	int scope = d->scope == 1 ? KTRACE_SCOPE_TLS : d->scope == 2 ? KTRACE_SCOPE_LOCAL :
		    KTRACE_SCOPE_GLOBAL;
	struct dt_ident *id;
	char tn[64];

	if (d->nkeys)
		scope = scope == KTRACE_SCOPE_TLS ? KTRACE_SCOPE_TARRAY :
			scope == KTRACE_SCOPE_GLOBAL ? KTRACE_SCOPE_GARRAY : -1;
	if (scope < 0) {
		dt_nerror(cc, d, "D_DECL_ARRDIM", "clause-local arrays are not supported: this->%s",
			  d->sval);
		return -1;
	}
	if (d->nelems && !resolve_garr(cc, d, scope))
		return -1;
	if (scope == KTRACE_SCOPE_GLOBAL && dt_builtin_lookup(d->sval) >= 0) {
		dt_nerror(cc, d, "D_DECL_IDRED", "identifier redeclared: %s (a built-in variable)",
			  d->sval);
		return -1;
	}
	if ((scope == KTRACE_SCOPE_GLOBAL || scope == KTRACE_SCOPE_GARRAY) &&
	    dt_builtin_func(d->sval, cc->dversion)) {
		dt_nerror(cc, d, "D_DECL_IDRED", "identifier redeclared: %s (a built-in function)",
			  d->sval);
		return -1;
	}
	if (d->ctype.kind == DT_T_VOID) {
		dt_nerror(cc, d, "D_DECL_VOIDOBJ", "cannot have void object: %s", d->sval);
		return -1;
	}
	if (d->ctype.kind == DT_T_FLOAT && d->ctype.size > 8) {
		dt_nerror(cc, d, "D_DECL_TYPE",
			  "long double %s: a D variable holds at most 8 bytes", d->sval);
		return -1;
	}
	id = dt_var_lookup(cc, d->sval, scope);
	if (id) {
		dt_type_name(&id->type, tn, sizeof(tn));
		dt_nerror(cc, d, "D_DECL_IDRED", "identifier redeclared: %s%s", 
			  scope == KTRACE_SCOPE_TLS || scope == KTRACE_SCOPE_TARRAY ? "self->" :
			  scope == KTRACE_SCOPE_LOCAL ? "this->" : "", d->sval);
		return -1;
	}
	id = dt_var_new(cc, d->sval, scope, d);
	id->type = d->ctype;
	id->typed = true;
	id->declared = true;
	id->nelems = d->nelems;
	if (id->type.kind == DT_T_STRUCT && !d->csname && !dt_var_words(cc, id, d))
		return -1;
	if (d->nkeys) {
		id->nkeys = d->nkeys;
		for (int i = 0; i < d->nkeys; i++) {
			id->keys[i] = d->keyt[i];
			if (id->keys[i].kind == DT_T_VOID || id->keys[i].kind == DT_T_FLOAT) {
				dt_nerror(cc, d, "D_DECL_ARRVA", "array key #%d of %s has type %s",
					  i + 1, d->sval,
					  id->keys[i].kind == DT_T_VOID ? "void" : "floating-point");
				return -1;
			}
		}
	}
	return 0;
}

int dt_resolve(struct dt_cc *cc)
{
	int rc = 0;

	for (struct dt_node *t = cc->top; t; t = t->next) {
		if (t->kind == DT_TOP_CLAUSE) {
			if (resolve_clause(cc, t))
				rc = -1;
		} else if (t->kind == DT_TOP_DECL) {
			if (resolve_decl(cc, t))
				rc = -1;
		}
	}
	walk_macros(cc, cc->top, 0);
	if (cc->diags && cc->diags->nerrors)
		rc = -1;
	return rc;
}

/* ----- tracepoint record layouts ----- */

struct tp_layout {
	struct kt_tp_field	*f;
	int			n;
	bool			failed;
};

static struct tp_layout *tp_get(struct dt_cc *cc, const struct dt_node *where,
				const char *subsys, const char *event)
{
	char key[KTRACE_MODNAMELEN + KTRACE_FUNCNAMELEN + 2];
	struct tp_layout *l;
	struct kt_tp_field *f = NULL;
	int n = 0, rc;

	snprintf(key, sizeof(key), "%s:%s", subsys, event);
	l = dt_hget(&cc->tpmap, key, (uint32_t)strlen(key));
	if (l)
		return l->failed ? NULL : l;
	l = dt_alloc(&cc->ar, sizeof(*l));
	if (!cc->opts->tp_format) {
		dt_nerror(cc, where, "D_TP_NOFMT",
			  "args-> for tracepoint %s:%s needs the event's format (not available)",
			  subsys, event);
		l->failed = true;
	} else {
		rc = cc->opts->tp_format(cc->opts->tp_ctx, subsys, event, &f, &n);
		if (rc || !f || n <= 0) {
			dt_nerror(cc, where, "D_TP_NOFMT",
				  "cannot read the format of tracepoint %s:%s: %s", subsys, event,
				  rc ? strerror(-rc > 0 ? -rc : EINVAL) : "no fields");
			free(f);
			l->failed = true;
		} else {
			l->f = dt_alloc(&cc->ar, sizeof(*f) * (size_t)n);
			memcpy(l->f, f, sizeof(*f) * (size_t)n);
			for (int i = 0; i < n; i++)
				l->f[i].name[sizeof(l->f[i].name) - 1] = '\0';
			l->n = n;
			free(f);
		}
	}
	{
		char *k = dt_strndup(&cc->ar, key, strlen(key));

		if (!dt_hput(&cc->tpmap, k, (uint32_t)strlen(k), l))
			longjmp(cc->oom_jmp, 1);
	}
	return l->failed ? NULL : l;
}

const struct kt_tp_field *dt_tp_lookup(struct dt_cc *cc, const struct dt_node *clause,
				       const struct dt_node *where, const char *field)
{
	const struct kt_tp_field *res = NULL;

	if (!clause || !clause->nspecs) {
		dt_nerror(cc, where, "D_ARGS_TYPE", "args-> is only valid in a tracepoint clause");
		return NULL;
	}
	for (int i = 0; i < clause->nspecs; i++) {
		const struct kt_probespec *sp = &clause->specs[i];
		const char *event = sp->name[0] ? sp->name : sp->func;
		const struct kt_tp_field *f = NULL;
		struct tp_layout *l;

		if (!kt_prov_has(sp->prov, KT_PROV_TP_ARGS)) {
			dt_nerror(cc, where, "D_ARGS_TYPE",
				  "args->%s: typed arguments are only known for tracepoint:SUBSYS:EVENT probes",
				  field);
			return NULL;
		}
		if (!sp->mod[0] || !event[0] || has_glob(sp->mod) || has_glob(event) ||
		    (sp->name[0] && sp->func[0] && strcmp(sp->func, sp->name))) {
			dt_nerror(cc, where, "D_ARGS_TYPE",
				  "args->%s: the tracepoint must be named exactly (tracepoint:SUBSYS:EVENT), without globs",
				  field);
			return NULL;
		}
		l = tp_get(cc, where, sp->mod, event);
		if (!l)
			return NULL;
		for (int j = 0; j < l->n; j++)
			if (!strcmp(l->f[j].name, field)) {
				f = &l->f[j];
				break;
			}
		if (!f) {
			dt_nerror(cc, where, "D_ARGS_MEMBER",
				  "tracepoint %s:%s has no member named '%s'", sp->mod, event, field);
			return NULL;
		}
		if (res && (res->offset != f->offset || res->size != f->size ||
			    res->is_signed != f->is_signed || res->is_string != f->is_string ||
			    res->is_data_loc != f->is_data_loc)) {
			dt_nerror(cc, where, "D_ARGS_MEMBER",
				  "args->%s has different layouts in this clause's tracepoints", field);
			return NULL;
		}
		res = f;
	}
	return res;
}
