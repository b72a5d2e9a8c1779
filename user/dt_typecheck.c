// SPDX-License-Identifier: GPL-2.0
/*
 * Type checking, in program order (as DTrace does): a variable's type is
 * fixed by its declaration or by its first assignment; self-> and this->
 * variables read before any assignment are implicitly int64; globals and
 * arrays read before being defined are errors (D_IDENT_UNDEF).
 *
 * Also here: C's usual arithmetic conversions and constant folding
 * (division by a constant zero is D_DIV_ZERO), string comparison,
 * subroutine and action prototypes (D_PROTO_LEN, D_PROTO_ARG),
 * aggregation definitions (the same function, parameters and key
 * prototypes on every use: D_AGG_REDEF, D_PROTO_LEN/D_PROTO_ARG for
 * keys), printf-style format checking against the arguments
 * (D_PRINTF_ARG_PROTO, D_PRINTF_ARG_EXTRA...), destructive actions
 * (need -w) and DTrace's speculation ordering rules (D_ACT_SPEC).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "dt_impl.h"

static const struct dt_type t_err = { .kind = DT_T_ERR };
static const struct dt_type t_void = { .kind = DT_T_VOID };
static const struct dt_type t_string = { .kind = DT_T_STRING };
static const struct dt_type t_i32 = { .kind = DT_T_INT, .size = 4, .sign = true };
static const struct dt_type t_i64 = { .kind = DT_T_INT, .size = 8, .sign = true };
static const struct dt_type t_u64 = { .kind = DT_T_INT, .size = 8, .sign = false };
static const struct dt_type t_u32 = { .kind = DT_T_INT, .size = 4, .sign = false };

static void tc_expr(struct dt_cc *cc, struct dt_node *n);
static void tc_stmts(struct dt_cc *cc, struct dt_node *s);

static bool is_err(const struct dt_type *t) { return t->kind == DT_T_ERR; }
static bool is_int(const struct dt_type *t) { return t->kind == DT_T_INT; }
static bool is_ptr(const struct dt_type *t) { return t->kind == DT_T_PTR; }
static bool is_str(const struct dt_type *t) { return t->kind == DT_T_STRING; }
static bool is_scalar(const struct dt_type *t) { return is_int(t) || is_ptr(t); }

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
	case DT_T_STRUCT:
		snprintf(buf, size, "struct %s", dt_btf_type_name(t->btf));
		return;
	default:
		break;
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

static struct dt_type with_dtype(struct dt_type t, int dt)
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
static void fbt_arg_type(struct dt_cc *cc, struct dt_node *n, int idx)
{
	const struct dt_node *c = cc->clause;
	const struct kt_probespec *s0;
	struct dt_btf *b;
	struct dt_type t;
	const char *why;
	uint32_t type;
	bool ret;

	if (!c || !c->nspecs)
		return;
	s0 = &c->specs[0];
	for (int i = 0; i < c->nspecs; i++) {
		const struct kt_probespec *s = &c->specs[i];

		if (strcmp(s->prov, "fbt") || !s->func[0] || strpbrk(s->func, "*?[\\") ||
		    (s->mod[0] && strcmp(s->mod, "vmlinux")) || strcmp(s->func, s0->func) ||
		    strcmp(s->name, s0->name))
			return;
	}
	ret = !strcmp(s0->name, "return");
	if (!ret && strcmp(s0->name, "entry"))
		return;
	if (ret && idx != 1)
		return;		/* args[0] of a return probe: the offset */
	b = dt_btf_try(cc);
	if (!b || !dt_btf_func_arg(b, s0->func, ret ? -1 : idx, &type) || !type)
		return;
	if (dt_btf_kind(b, dt_btf_resolve(b, type)) == 4 /* STRUCT */ ||
	    dt_btf_kind(b, dt_btf_resolve(b, type)) == 5 /* UNION */)
		return;		/* passed by value: not a pointer to read through */
	if (dt_btf_to_type(b, type, &t, &why))
		n->type = t;
}

/* *P for P a pointer to a kernel struct: the struct, where P points. */
static struct dt_type struct_at(const struct dt_type *p)
{
	struct dt_type t = { .kind = DT_T_STRUCT, .aspace = p->aspace, .btf = p->btf };

	return t;
}

/* curthread is a struct task_struct * when the kernel's types can be read. */
static void type_curthread(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_btf *b = dt_btf_try(cc);
	uint32_t id = b ? dt_btf_struct(b, "task_struct") : 0;

	if (id)
		n->type.btf = id;
}

/* ----- built-in variables ----- */
static struct dt_type builtin_type(int id)
{
	switch (id) {
	case KTRACE_VAR_PID:
	case KTRACE_VAR_TID:
	case KTRACE_VAR_PPID:
	case KTRACE_VAR_CPU:
	case KTRACE_VAR_ERRNO:
		return t_i32;
	case KTRACE_VAR_UID:
	case KTRACE_VAR_GID:
	case KTRACE_VAR_ID:
	case KTRACE_VAR_EPID:
	case KTRACE_VAR_STACKDEPTH:
	case KTRACE_VAR_USTACKDEPTH:
	case KTRACE_VAR_IPL:
		return t_u32;
	case KTRACE_VAR_EXECNAME:
	case KTRACE_VAR_PROBEPROV:
	case KTRACE_VAR_PROBEMOD:
	case KTRACE_VAR_PROBEFUNC:
	case KTRACE_VAR_PROBENAME:
		return t_string;
	case KTRACE_VAR_TIMESTAMP:
	case KTRACE_VAR_VTIMESTAMP:
	case KTRACE_VAR_UREGS_PC:
	case KTRACE_VAR_TPRAW:
	case KTRACE_VAR_TPRAWSIZE:
		return t_u64;
	case KTRACE_VAR_WALLTIMESTAMP:
		return t_i64;
	case KTRACE_VAR_CURTHREAD: {
		struct dt_type t = { .kind = DT_T_PTR, .size = 8, .pdepth = 1 };

		return t;
	}
	case KTRACE_VAR_CALLER:
		return with_dtype(t_u64, KT_DT_U64);
	case KTRACE_VAR_UCALLER:
		return t_u64;
	default:
		return t_i64;	/* arg0..arg9 */
	}
}

/* ----- helpers ----- */
static void set_err(struct dt_node *n)
{
	n->type = t_err;
}

static struct dt_type promote(struct dt_type t)
{
	if (t.kind == DT_T_INT && t.size < 4)
		return t_i32;
	t.ischar = false;
	t.dtype = 0;
	return t;
}

static struct dt_type arith_conv(const struct dt_type *a, const struct dt_type *b)
{
	struct dt_type x = promote(*a), y = promote(*b), r;

	if (x.size == y.size)
		r = DT_INT_TYPE(x.size, x.sign && y.sign);
	else if (x.size > y.size)
		r = x;
	else
		r = y;
	return r;
}

static int64_t trunc_val(int64_t v, const struct dt_type *t)
{
	if (!is_int(t) || t->size >= 8)
		return v;
	if (t->sign) {
		int sh = 64 - t->size * 8;

		return (int64_t)((uint64_t)v << sh) >> sh;
	}
	return (int64_t)((uint64_t)v & ((1ULL << (t->size * 8)) - 1));
}

static const char *opname(int op)
{
	return dt_tok_name(op);
}

static void incompat(struct dt_cc *cc, struct dt_node *n, const struct dt_type *a, int op,
		     const struct dt_type *b)
{
	char x[64], y[64];

	dt_type_name(a, x, sizeof(x));
	dt_type_name(b, y, sizeof(y));
	dt_nerror(cc, n, "D_OP_INCOMPAT", "operands have incompatible types: \"%s\" %s \"%s\"",
		  x, opname(op), y);
	set_err(n);
}

/* ----- variables ----- */
static const char *scope_prefix(int scope)
{
	return scope == KTRACE_SCOPE_TLS || scope == KTRACE_SCOPE_TARRAY ? "self->" :
	       scope == KTRACE_SCOPE_LOCAL ? "this->" : "";
}

static bool storable(struct dt_cc *cc, struct dt_node *where, const struct dt_type *t)
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
	return true;
}

/* Check the keys of an array/aggregation reference against its prototype. */
static bool check_keys(struct dt_cc *cc, struct dt_node *where, const char *pfx,
		       const char *name, int *nkeys, struct dt_type *keys, struct dt_node *args,
		       bool define)
{
	int n = 0;
	bool ok = true;

	for (struct dt_node *a = args; a; a = a->next) {
		if (is_err(&a->type))
			return false;
		if (a->type.kind == DT_T_VOID) {
			dt_nerror(cc, a, "D_PROTO_ARG", "%s%s[ ] key #%d is void", pfx, name, n + 1);
			return false;
		}
		n++;
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
			keys[n] = promote(a->type);
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
			      (k->kind == a->type.kind && !is_scalar(k));

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

/* ----- subroutines ----- */
enum argk { A_STR, A_INT, A_PTR /* int or pointer */, A_ANY, A_STROR0 };

struct subr {
	const char	*name;
	int		id;		/* KTRACE_SUBR_* */
	int		min, max;
	enum argk	args[3];
	int		ret;		/* 0 int64, 1 string, 2 void, 3 ptr (ktrace), 4 u64, 5 stack, 6 ustack, 7 i32, 8 u16, 9 u32 */
	bool		destructive;
};

static const struct subr subrs[] = {
	{ "strlen", KTRACE_SUBR_STRLEN, 1, 1, { A_STR }, 4, false },
	{ "strjoin", KTRACE_SUBR_STRJOIN, 2, 2, { A_STR, A_STR }, 1, false },
	{ "substr", KTRACE_SUBR_SUBSTR, 2, 3, { A_STR, A_INT, A_INT }, 1, false },
	{ "index", KTRACE_SUBR_INDEX, 2, 3, { A_STR, A_STR, A_INT }, 0, false },
	{ "rindex", KTRACE_SUBR_RINDEX, 2, 3, { A_STR, A_STR, A_INT }, 0, false },
	{ "strchr", KTRACE_SUBR_STRCHR, 2, 2, { A_STR, A_INT }, 1, false },
	{ "strrchr", KTRACE_SUBR_STRRCHR, 2, 2, { A_STR, A_INT }, 1, false },
	{ "strstr", KTRACE_SUBR_STRSTR, 2, 2, { A_STR, A_STR }, 1, false },
	{ "strtok", KTRACE_SUBR_STRTOK, 2, 2, { A_STROR0, A_STR }, 1, false },
	{ "tolower", KTRACE_SUBR_TOLOWER, 1, 1, { A_STR }, 1, false },
	{ "toupper", KTRACE_SUBR_TOUPPER, 1, 1, { A_STR }, 1, false },
	{ "lltostr", KTRACE_SUBR_LLTOSTR, 1, 2, { A_INT, A_INT }, 1, false },
	{ "basename", KTRACE_SUBR_BASENAME, 1, 1, { A_STR }, 1, false },
	{ "dirname", KTRACE_SUBR_DIRNAME, 1, 1, { A_STR }, 1, false },
	{ "cleanpath", KTRACE_SUBR_CLEANPATH, 1, 1, { A_STR }, 1, false },
	{ "htons", KTRACE_SUBR_HTONS, 1, 1, { A_INT }, 8, false },
	{ "htonl", KTRACE_SUBR_HTONL, 1, 1, { A_INT }, 9, false },
	{ "htonll", KTRACE_SUBR_HTONLL, 1, 1, { A_INT }, 4, false },
	{ "ntohs", KTRACE_SUBR_HTONS, 1, 1, { A_INT }, 8, false },
	{ "ntohl", KTRACE_SUBR_HTONL, 1, 1, { A_INT }, 9, false },
	{ "ntohll", KTRACE_SUBR_HTONLL, 1, 1, { A_INT }, 4, false },
	{ "inet_ntoa", KTRACE_SUBR_INET_NTOA, 1, 1, { A_PTR }, 1, false },
	{ "rand", KTRACE_SUBR_RAND, 0, 0, { A_ANY }, 7, false },
	{ "copyin", KTRACE_SUBR_COPYIN, 2, 2, { A_PTR, A_INT }, 3, false },
	{ "copyinstr", KTRACE_SUBR_COPYINSTR, 1, 2, { A_PTR, A_INT }, 1, false },
	{ "copyinto", KTRACE_SUBR_COPYINTO, 3, 3, { A_PTR, A_INT, A_PTR }, 2, false },
	{ "stack", KTRACE_SUBR_STACK, 0, 1, { A_INT }, 5, false },
	{ "ustack", KTRACE_SUBR_USTACK, 0, 2, { A_INT, A_INT }, 6, false },
	{ "jstack", KTRACE_SUBR_USTACK, 0, 2, { A_INT, A_INT }, 6, false },
	{ "speculation", KTRACE_SUBR_SPECULATION, 0, 0, { A_ANY }, 7, false },
	{ "strtoll", KTRACE_SUBR_STRTOLL, 1, 2, { A_STR, A_INT }, 0, false },
	{ "progenyof", KTRACE_SUBR_PROGENYOF, 1, 1, { A_INT }, 7, false },
	{ "copyout", KTRACE_SUBR_COPYOUT, 3, 3, { A_PTR, A_PTR, A_INT }, 2, true },
	{ "copyoutstr", KTRACE_SUBR_COPYOUTSTR, 3, 3, { A_STR, A_PTR, A_INT }, 2, true },
	{ "alloca", KTRACE_SUBR_ALLOCA, 1, 1, { A_INT }, 3, false },
	{ "bcopy", KTRACE_SUBR_BCOPY, 3, 3, { A_PTR, A_PTR, A_INT }, 2, false },
	{ "strncmp", KTRACE_SUBR_STRNCMP, 3, 3, { A_STR, A_STR, A_INT }, 7, false },
};

/* Display-only functions: the value is the argument; the type says how to print. */
static const struct {
	const char	*name;
	int		dtype;
} identities[] = {
	{ "sym", KT_DT_SYM }, { "func", KT_DT_SYM }, { "mod", KT_DT_MOD },
	{ "usym", KT_DT_USYM }, { "ufunc", KT_DT_USYM }, { "uaddr", KT_DT_USYM },
	{ "umod", KT_DT_UMOD },
};

/* Actions usable as statements. */
struct action {
	const char	*name;
	int		kind;		/* KTRACE_ACT_* or -1 for special */
	int		min, max;	/* user-visible argument counts (-1: varargs) */
	bool		destructive;
};

static const struct action actions[] = {
	{ "trace", KTRACE_ACT_TRACE, 1, 1, false },
	{ "printf", KTRACE_ACT_PRINTF, 1, -1, false },
	{ "printa", KTRACE_ACT_PRINTA, 1, -1, false },
	{ "print", KTRACE_ACT_PRINT, 1, 1, false },
	{ "exit", KTRACE_ACT_EXIT, 1, 1, false },
	{ "clear", KTRACE_ACT_CLEAR, 1, 1, false },
	{ "trunc", KTRACE_ACT_TRUNC, 1, 2, false },
	{ "normalize", KTRACE_ACT_NORMALIZE, 2, 2, false },
	{ "denormalize", KTRACE_ACT_DENORMALIZE, 1, 1, false },
	{ "setopt", KTRACE_ACT_SETOPT, 1, 2, false },
	{ "speculate", KTRACE_ACT_SPECULATE, 1, 1, false },
	{ "commit", KTRACE_ACT_COMMIT, 1, 1, false },
	{ "discard", KTRACE_ACT_DISCARD, 1, 1, false },
	{ "system", KTRACE_ACT_SYSTEM, 1, -1, true },
	{ "raise", KTRACE_ACT_RAISE, 1, 1, true },
	{ "stop", KTRACE_ACT_STOP, 0, 0, true },
	{ "chill", KTRACE_ACT_CHILL, 1, 1, true },
	{ "panic", KTRACE_ACT_PANIC, 0, 0, true },
	{ "breakpoint", KTRACE_ACT_PANIC, 0, 0, true },
	{ "ftruncate", KTRACE_ACT_FTRUNCATE, 0, 0, false },
	{ "freopen", KTRACE_ACT_FREOPEN, 1, -1, true },
};

static const struct action *action_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].name, name))
			return &actions[i];
	return NULL;
}

static const struct {
	const char	*name;
	int		func;
	int		min, max;
} aggfuncs[] = {
	{ "count", KTRACE_AGG_COUNT, 0, 0 },
	{ "sum", KTRACE_AGG_SUM, 1, 1 },
	{ "avg", KTRACE_AGG_AVG, 1, 1 },
	{ "min", KTRACE_AGG_MIN, 1, 1 },
	{ "max", KTRACE_AGG_MAX, 1, 1 },
	{ "stddev", KTRACE_AGG_STDDEV, 1, 1 },
	{ "quantize", KTRACE_AGG_QUANTIZE, 1, 2 },
	{ "lquantize", KTRACE_AGG_LQUANTIZE, 3, 5 },
	{ "llquantize", KTRACE_AGG_LLQUANTIZE, 5, 6 },
};

static int aggfunc_lookup(const char *name, int *min, int *max)
{
	for (size_t i = 0; i < sizeof(aggfuncs) / sizeof(aggfuncs[0]); i++)
		if (!strcmp(aggfuncs[i].name, name)) {
			*min = aggfuncs[i].min;
			*max = aggfuncs[i].max;
			return aggfuncs[i].func;
		}
	return -1;
}

static const char *aggfunc_name(int f)
{
	for (size_t i = 0; i < sizeof(aggfuncs) / sizeof(aggfuncs[0]); i++)
		if (aggfuncs[i].func == f)
			return aggfuncs[i].name;
	return "?";
}

static int count_list(const struct dt_node *a)
{
	int n = 0;

	for (; a; a = a->next)
		n++;
	return n;
}

static bool check_arg_count(struct dt_cc *cc, struct dt_node *n, const char *name, int got,
			    int min, int max)
{
	if (got >= min && (max < 0 || got <= max))
		return true;
	if (min == max)
		dt_nerror(cc, n, "D_PROTO_LEN", "%s( ) prototype mismatch: %d arg%s passed, %d expected",
			  name, got, got == 1 ? "" : "s", min);
	else if (got < min)
		dt_nerror(cc, n, "D_PROTO_LEN",
			  "%s( ) prototype mismatch: %d arg%s passed, at least %d expected", name, got,
			  got == 1 ? "" : "s", min);
	else
		dt_nerror(cc, n, "D_PROTO_LEN",
			  "%s( ) prototype mismatch: %d arg%s passed, at most %d expected", name, got,
			  got == 1 ? "" : "s", max);
	set_err(n);
	return false;
}

static bool arg_ok(const struct dt_node *a, enum argk k)
{
	const struct dt_type *t = &a->type;

	switch (k) {
	case A_STR:
		return is_str(t);
	case A_INT:
		return is_int(t);
	case A_PTR:
		return is_scalar(t);
	case A_STROR0:
		return is_str(t) || (is_int(t) && a->isconst && a->ival == 0);
	default:
		return t->kind != DT_T_VOID;
	}
}

static const char *argk_name(enum argk k)
{
	switch (k) {
	case A_STR: return "string";
	case A_INT: return "integer";
	case A_PTR: return "pointer or integer";
	case A_STROR0: return "string or NULL";
	default: return "any value";
	}
}

static bool proto_arg_error(struct dt_cc *cc, struct dt_node *call, const char *fname, int i,
			    struct dt_node *a, const char *proto)
{
	char y[64];

	dt_type_name(&a->type, y, sizeof(y));
	dt_nerror(cc, a, "D_PROTO_ARG",
		  "%s( ) argument #%d is incompatible with prototype:\n\tprototype: %s\n\t argument: %s",
		  fname, i, proto, y);
	set_err(call);
	return false;
}

static bool check_destructive(struct dt_cc *cc, struct dt_node *n, const char *name)
{
	cc->destructive = true;
	if (cc->destructive_ok)
		return true;
	dt_nerror(cc, n, "D_ACT_DESTRUCT",
		  "destructive actions not allowed: %s( ) requires -w or #pragma D option destructive",
		  name);
	return false;
}

static void tc_call(struct dt_cc *cc, struct dt_node *n, bool stmt);

/* ----- expressions ----- */

static void tc_ident(struct dt_cc *cc, struct dt_node *n)
{
	int b = dt_builtin_lookup(n->sval);
	struct dt_ident *id;

	if (b >= 0) {
		n->builtin = b + 1;
		n->type = builtin_type(b);
		if (b == KTRACE_VAR_CURTHREAD)
			type_curthread(cc, n);
		return;
	}
	if (!strcmp(n->sval, "NULL") && !dt_var_lookup(cc, "NULL", KTRACE_SCOPE_GLOBAL)) {
		n->type = t_i64;
		n->ival = 0;
		n->isconst = true;
		return;
	}
	id = dt_var_lookup(cc, n->sval, KTRACE_SCOPE_GLOBAL);
	if (!id) {
		dt_nerror(cc, n, "D_IDENT_UNDEF", "failed to resolve %s: Unknown variable name",
			  n->sval);
		set_err(n);
		return;
	}
	if (id->scope == KTRACE_SCOPE_GARRAY) {
		dt_nerror(cc, n, "D_ARR_BADREF", "%s is an associative array: use %s[key]",
			  n->sval, n->sval);
		set_err(n);
		return;
	}
	n->ident = id;
	n->type = id->type;
	n->lvalue = true;
}

static void tc_dynvar(struct dt_cc *cc, struct dt_node *n)
{
	int scope = n->kind == DT_N_SELF ? KTRACE_SCOPE_TLS : KTRACE_SCOPE_LOCAL;
	struct dt_ident *id = dt_var_lookup(cc, n->sval, scope);

	if (id && id->scope == KTRACE_SCOPE_TARRAY) {
		dt_nerror(cc, n, "D_ARR_BADREF", "self->%s is an associative array: use self->%s[key]",
			  n->sval, n->sval);
		set_err(n);
		return;
	}
	if (!id) {
		/* read before any assignment: an implicit int64, as in DTrace */
		id = dt_var_new(cc, n->sval, scope, n);
		id->type = t_i64;
		id->typed = true;
	}
	n->ident = id;
	n->type = id->type;
	n->lvalue = true;
}

static void tc_index(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_node *base = n->a;
	struct dt_ident *id = NULL;
	int scope;
	const char *name;

	for (struct dt_node *k = n->b; k; k = k->next)
		tc_expr(cc, k);
	for (struct dt_node *k = n->b; k; k = k->next)
		if (is_err(&k->type)) {
			set_err(n);
			return;
		}
	if (base->kind == DT_N_IDENT && dt_builtin_lookup(base->sval) < 0) {
		scope = KTRACE_SCOPE_GARRAY;
		name = base->sval;
		id = dt_var_lookup(cc, name, scope);
		if (id && id->scope != KTRACE_SCOPE_GARRAY) {
			struct dt_node *b2 = base;

			/* a scalar pointer variable indexed: pointer arithmetic */
			tc_expr(cc, b2);
			goto ptrindex;
		}
	} else if (base->kind == DT_N_SELF) {
		scope = KTRACE_SCOPE_TARRAY;
		name = base->sval;
		id = dt_var_lookup(cc, name, KTRACE_SCOPE_TLS);
		if (id && id->scope != KTRACE_SCOPE_TARRAY) {
			tc_expr(cc, base);
			goto ptrindex;
		}
	} else if (base->kind == DT_N_THIS) {
		/* a clause-local pointer indexed: pointer arithmetic */
		if (dt_var_lookup(cc, base->sval, KTRACE_SCOPE_LOCAL)) {
			tc_expr(cc, base);
			goto ptrindex;
		}
		dt_nerror(cc, n, "D_ARR_LOCAL", "clause-local arrays are not supported: this->%s[ ]",
			  base->sval);
		set_err(n);
		return;
	} else {
		tc_expr(cc, base);
		goto ptrindex;
	}
	if (!id) {
		/* an array read before it is written: create it (values read as 0) */
		id = dt_var_new(cc, name, scope, n);
		id->type = t_i64;
		id->typed = false;
	}
	n->ident = id;
	if (!check_keys(cc, n, scope_prefix(scope), name, &id->nkeys, id->keys, n->b, false)) {
		set_err(n);
		return;
	}
	n->type = id->type;
	n->lvalue = true;
	return;

ptrindex:
	if (is_err(&base->type)) {
		set_err(n);
		return;
	}
	if (!is_ptr(&base->type) || count_list(n->b) != 1 || !is_int(&n->b->type)) {
		char x[64];

		dt_type_name(&base->type, x, sizeof(x));
		dt_nerror(cc, n, "D_OP_ARRAY", "operator [ ] cannot be applied to a value of type \"%s\"",
			  x);
		set_err(n);
		return;
	}
	if (base->type.pdepth == 1 && !base->type.bsize && !base->type.btf) {
		dt_nerror(cc, n, "D_DEREF_VOID", "cannot dereference a pointer to void");
		set_err(n);
		return;
	}
	n->ident = NULL;
	if (base->type.pdepth > 1) {
		n->type = base->type;
		n->type.pdepth--;
	} else if (base->type.btf) {
		n->type = struct_at(&base->type);
	} else {
		n->type = DT_INT_TYPE(base->type.bsize, base->type.bsign);
		n->type.ischar = base->type.bsize == 1 && base->type.bsign;
	}
}

static void fold_binop(struct dt_cc *cc, struct dt_node *n)
{
	int64_t a = n->a->ival, b = n->b->ival, r = 0;
	bool u = !n->type.sign;

	if (!n->a->isconst || !n->b->isconst || !is_int(&n->type))
		return;
	switch (n->op) {
	case T_PLUS: r = (int64_t)((uint64_t)a + (uint64_t)b); break;
	case T_MINUS: r = (int64_t)((uint64_t)a - (uint64_t)b); break;
	case T_STAR: r = (int64_t)((uint64_t)a * (uint64_t)b); break;
	case T_SLASH:
	case T_PERCENT:
		if (b == 0)
			return;	/* diagnosed */
		if (u)
			r = (int64_t)(n->op == T_SLASH ? (uint64_t)a / (uint64_t)b :
					(uint64_t)a % (uint64_t)b);
		else if (b == -1)
			r = n->op == T_SLASH ? (int64_t)(0 - (uint64_t)a) : 0;
		else
			r = n->op == T_SLASH ? a / b : a % b;
		break;
	case T_AMP: r = a & b; break;
	case T_PIPE: r = a | b; break;
	case T_CARET: r = a ^ b; break;
	case T_SHL: r = (int64_t)((uint64_t)a << (b & 63)); break;
	case T_SHR:
		r = u ? (int64_t)((uint64_t)a >> (b & 63)) : a >> (b & 63);
		break;
	case T_EQ: r = a == b; break;
	case T_NE: r = a != b; break;
	case T_LT: r = u ? (uint64_t)a < (uint64_t)b : a < b; break;
	case T_LE: r = u ? (uint64_t)a <= (uint64_t)b : a <= b; break;
	case T_GT: r = u ? (uint64_t)a > (uint64_t)b : a > b; break;
	case T_GE: r = u ? (uint64_t)a >= (uint64_t)b : a >= b; break;
	default:
		return;
	}
	(void)cc;
	n->ival = trunc_val(r, &n->type);
	n->isconst = true;
}

static bool is_cmp(int op)
{
	return op == T_EQ || op == T_NE || op == T_LT || op == T_LE || op == T_GT || op == T_GE;
}

static void tc_binop(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_type *a, *b;
	int op = n->op;

	tc_expr(cc, n->a);
	tc_expr(cc, n->b);
	a = &n->a->type;
	b = &n->b->type;
	if (is_err(a) || is_err(b)) {
		set_err(n);
		return;
	}
	if (is_cmp(op)) {
		if ((is_str(a) && is_str(b)) || (is_scalar(a) && is_scalar(b))) {
			n->type = t_i32;
			/* signedness of the comparison: from the operands */
			if (is_scalar(a)) {
				struct dt_type c = (is_ptr(a) || is_ptr(b)) ? t_u64 : arith_conv(a, b);

				n->ctype = c;	/* comparison type for codegen */
				n->type = t_i32;
				{
					struct dt_type save = n->type;

					n->type = c;
					fold_binop(cc, n);
					n->type = save;
				}
			}
			return;
		}
		incompat(cc, n, a, op, b);
		return;
	}
	if (!is_scalar(a) || !is_scalar(b)) {
		incompat(cc, n, a, op, b);
		return;
	}
	if (is_ptr(a) || is_ptr(b)) {
		if (op == T_PLUS && is_ptr(a) != is_ptr(b)) {
			n->type = is_ptr(a) ? *a : *b;
			return;
		}
		if (op == T_MINUS && is_ptr(a) && is_int(b)) {
			n->type = *a;
			return;
		}
		if (op == T_MINUS && is_ptr(a) && is_ptr(b)) {
			n->type = t_i64;
			return;
		}
		/* bit operations on addresses: treat as integers */
		if (op == T_AMP || op == T_PIPE || op == T_CARET || op == T_SHL || op == T_SHR ||
		    op == T_PERCENT || op == T_SLASH || op == T_STAR) {
			n->type = t_u64;
			return;
		}
		incompat(cc, n, a, op, b);
		return;
	}
	if ((op == T_SLASH || op == T_PERCENT) && n->b->isconst && n->b->ival == 0) {
		dt_nerror(cc, n, "D_DIV_ZERO", "expression contains division by zero");
		set_err(n);
		return;
	}
	if (op == T_SHL || op == T_SHR)
		n->type = promote(*a);
	else
		n->type = arith_conv(a, b);
	fold_binop(cc, n);
}

static void tc_logop(struct dt_cc *cc, struct dt_node *n)
{
	tc_expr(cc, n->a);
	tc_expr(cc, n->b);
	if (is_err(&n->a->type) || is_err(&n->b->type)) {
		set_err(n);
		return;
	}
	if (!is_scalar(&n->a->type) || !is_scalar(&n->b->type)) {
		incompat(cc, n, &n->a->type, n->op, &n->b->type);
		return;
	}
	n->type = t_i32;
	if (n->a->isconst && n->b->isconst) {
		bool x = n->a->ival != 0, y = n->b->ival != 0;

		n->ival = n->op == T_LAND ? (x && y) : n->op == T_LOR ? (x || y) : (x != y);
		n->isconst = true;
	}
}

/*
 * A store through a pointer: *p, p[i] where p is a pointer variable or
 * expression (not an associative array).  Code generation emits `st`,
 * which the VM bounds to scratch (alloca() memory).
 */
static bool is_ptr_lvalue(struct dt_cc *cc, const struct dt_node *l)
{
	const struct dt_ident *id;

	if (l->kind == DT_N_UNOP && l->op == T_STAR)
		return true;
	if (l->kind != DT_N_INDEX)
		return false;
	switch (l->a->kind) {
	case DT_N_IDENT:
		if (dt_builtin_lookup(l->a->sval) >= 0)
			return true;
		id = dt_var_lookup(cc, l->a->sval, KTRACE_SCOPE_GLOBAL);
		return id && id->scope != KTRACE_SCOPE_GARRAY;
	case DT_N_SELF:
		id = dt_var_lookup(cc, l->a->sval, KTRACE_SCOPE_TLS);
		return id && id->scope != KTRACE_SCOPE_TARRAY;
	case DT_N_THIS:
		return true;	/* a clause-local pointer, or D_ARR_LOCAL from tc_index */
	default:
		return true;
	}
}

/* Type-check the target of a store through a pointer; false if diagnosed. */
static bool tc_ptr_lvalue(struct dt_cc *cc, struct dt_node *n, struct dt_node *l)
{
	tc_expr(cc, l);
	if (is_err(&l->type))
		return false;
	if (!is_int(&l->type) && !is_ptr(&l->type)) {
		char x[64];

		dt_type_name(&l->type, x, sizeof(x));
		dt_nerror(cc, n, "D_OP_LVAL", "operator %s requires a modifiable lvalue: cannot store a value of type \"%s\" through a pointer",
			  opname(n->op), x);
		return false;
	}
	l->lvalue = true;
	return true;
}

static bool check_lvalue(struct dt_cc *cc, struct dt_node *n, int op)
{
	struct dt_node *l = n->a;

	if (l->kind == DT_N_IDENT && dt_builtin_lookup(l->sval) >= 0) {
		dt_nerror(cc, n, "D_OP_WRITE", "operator %s requires a modifiable lvalue: %s is a built-in variable",
			  opname(op), l->sval);
		return false;
	}
	if (l->kind == DT_N_IDENT || l->kind == DT_N_SELF || l->kind == DT_N_THIS ||
	    (l->kind == DT_N_INDEX && (l->a->kind == DT_N_IDENT || l->a->kind == DT_N_SELF)) ||
	    is_ptr_lvalue(cc, l))
		return true;
	if (l->kind == DT_N_AGGREF) {
		dt_nerror(cc, n, "D_AGG_FUNC",
			  "aggregations may only be assigned the result of an aggregating function");
		return false;
	}
	dt_nerror(cc, n, "D_OP_LVAL", "operator %s requires a modifiable lvalue", opname(op));
	return false;
}

/* Look up or create the variable an assignment targets. */
static struct dt_ident *assign_target(struct dt_cc *cc, struct dt_node *l, bool define,
				      const struct dt_type *rt)
{
	struct dt_ident *id;

	switch (l->kind) {
	case DT_N_IDENT:
		id = dt_var_lookup(cc, l->sval, KTRACE_SCOPE_GLOBAL);
		if (id && id->scope == KTRACE_SCOPE_GARRAY) {
			dt_nerror(cc, l, "D_ARR_BADREF", "%s is an associative array: use %s[key]",
				  l->sval, l->sval);
			return NULL;
		}
		if (!id) {
			if (!define) {
				dt_nerror(cc, l, "D_IDENT_UNDEF",
					  "failed to resolve %s: Unknown variable name", l->sval);
				return NULL;
			}
			id = dt_var_new(cc, l->sval, KTRACE_SCOPE_GLOBAL, l);
		}
		break;
	case DT_N_SELF:
	case DT_N_THIS: {
		int scope = l->kind == DT_N_SELF ? KTRACE_SCOPE_TLS : KTRACE_SCOPE_LOCAL;

		id = dt_var_lookup(cc, l->sval, scope);
		if (id && id->scope == KTRACE_SCOPE_TARRAY) {
			dt_nerror(cc, l, "D_ARR_BADREF", "self->%s is an associative array", l->sval);
			return NULL;
		}
		if (!id)
			id = dt_var_new(cc, l->sval, scope, l);
		break;
	}
	case DT_N_INDEX: {
		bool self = l->a->kind == DT_N_SELF;
		int scope = self ? KTRACE_SCOPE_TARRAY : KTRACE_SCOPE_GARRAY;

		for (struct dt_node *k = l->b; k; k = k->next)
			tc_expr(cc, k);
		for (struct dt_node *k = l->b; k; k = k->next)
			if (is_err(&k->type))
				return NULL;
		id = dt_var_lookup(cc, l->a->sval, self ? KTRACE_SCOPE_TLS : KTRACE_SCOPE_GLOBAL);
		if (id && id->scope != scope) {
			dt_nerror(cc, l, "D_ARR_BADREF", "%s%s is not an associative array",
				  self ? "self->" : "", l->a->sval);
			return NULL;
		}
		if (!id)
			id = dt_var_new(cc, l->a->sval, scope, l);
		if (!check_keys(cc, l, scope_prefix(scope), l->a->sval, &id->nkeys, id->keys, l->b,
				true))
			return NULL;
		break;
	}
	default:
		return NULL;
	}
	if (!id->typed && rt) {
		id->type = *rt;
		id->type.dtype = rt->dtype;
		if (is_int(&id->type) && id->type.size < 4 && !id->type.ischar)
			id->type = promote(id->type);
		id->typed = true;
	} else if (!id->typed) {
		id->type = t_i64;
		id->typed = true;
	}
	l->ident = id;
	l->type = id->type;
	l->lvalue = true;
	return id;
}

static void tc_assign(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_node *l = n->a;
	struct dt_ident *id;
	int op = n->op;

	if (!check_lvalue(cc, n, op)) {
		set_err(n);
		tc_expr(cc, n->b);
		return;
	}
	if (is_ptr_lvalue(cc, l)) {
		bool ok = tc_ptr_lvalue(cc, n, l);

		tc_expr(cc, n->b);
		if (!ok || is_err(&n->b->type)) {
			set_err(n);
			return;
		}
		if ((op == T_ASSIGN && !is_scalar(&n->b->type)) ||
		    (op != T_ASSIGN && (!is_int(&n->b->type) ||
					(is_ptr(&l->type) && op != T_ADD_EQ && op != T_SUB_EQ)))) {
			incompat(cc, n, &l->type, op, &n->b->type);
			return;
		}
		n->type = l->type;
		return;
	}
	tc_expr(cc, n->b);
	if (is_err(&n->b->type)) {
		set_err(n);
		return;
	}
	if (op == T_ASSIGN) {
		if (!storable(cc, n->b, &n->b->type)) {
			set_err(n);
			return;
		}
		id = assign_target(cc, l, true, &n->b->type);
		if (!id) {
			set_err(n);
			return;
		}
		{
			const struct dt_type *L = &id->type, *R = &n->b->type;
			bool ok = (is_scalar(L) && is_scalar(R)) || (is_str(L) && is_str(R));

			if (!ok) {
				incompat(cc, n, L, op, R);
				return;
			}
		}
		n->type = id->type;
		return;
	}
	/* compound: the variable must hold an integer (or pointer for += -=) */
	{
		struct dt_type it = t_i64;

		id = assign_target(cc, l, true, &it);
	}
	if (!id) {
		set_err(n);
		return;
	}
	if (!is_scalar(&id->type) || !is_int(&n->b->type) ||
	    (is_ptr(&id->type) && op != T_ADD_EQ && op != T_SUB_EQ)) {
		incompat(cc, n, &id->type, op, &n->b->type);
		return;
	}
	if ((op == T_DIV_EQ || op == T_MOD_EQ) && n->b->isconst && n->b->ival == 0) {
		dt_nerror(cc, n, "D_DIV_ZERO", "expression contains division by zero");
		set_err(n);
		return;
	}
	n->type = id->type;
}

static void tc_incdec(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_ident *id;
	struct dt_type it = t_i64;

	if (!check_lvalue(cc, n, n->op)) {
		set_err(n);
		return;
	}
	if (is_ptr_lvalue(cc, n->a)) {
		if (!tc_ptr_lvalue(cc, n, n->a)) {
			set_err(n);
			return;
		}
		n->type = n->a->type;
		return;
	}
	id = assign_target(cc, n->a, true, &it);
	if (!id) {
		set_err(n);
		return;
	}
	if (!is_scalar(&id->type)) {
		char x[64];

		dt_type_name(&id->type, x, sizeof(x));
		dt_nerror(cc, n, "D_OP_SCALAR", "operator %s requires an operand of scalar type, not \"%s\"",
			  opname(n->op), x);
		set_err(n);
		return;
	}
	n->type = id->type;
}

static void tc_unop(struct dt_cc *cc, struct dt_node *n)
{
	struct dt_type *t;

	if (n->op == T_INC || n->op == T_DEC) {
		tc_incdec(cc, n);
		return;
	}
	if (n->op == T_AMP) {
		dt_nerror(cc, n, "D_ADDROF_VAR", "the address-of operator & is not supported");
		set_err(n);
		return;
	}
	tc_expr(cc, n->a);
	t = &n->a->type;
	if (is_err(t)) {
		set_err(n);
		return;
	}
	switch (n->op) {
	case T_STAR:
		if (!is_ptr(t)) {
			char x[64];

			dt_type_name(t, x, sizeof(x));
			dt_nerror(cc, n, "D_DEREF_NONPTR",
				  "unary * requires an operand of pointer type, not \"%s\"", x);
			set_err(n);
			return;
		}
		if (t->pdepth == 1 && !t->bsize && !t->btf) {
			dt_nerror(cc, n, "D_DEREF_VOID", "cannot dereference a pointer to void");
			set_err(n);
			return;
		}
		if (t->pdepth > 1) {
			n->type = *t;
			n->type.pdepth--;
		} else if (t->btf) {
			n->type = struct_at(t);
		} else {
			n->type = DT_INT_TYPE(t->bsize, t->bsign);
		}
		n->lvalue = false;
		return;
	case T_BANG:
		if (!is_scalar(t)) {
			char x[64];

			dt_type_name(t, x, sizeof(x));
			dt_nerror(cc, n, "D_OP_SCALAR", "operator ! requires an operand of scalar type, not \"%s\"", x);
			set_err(n);
			return;
		}
		n->type = t_i32;
		if (n->a->isconst) {
			n->ival = !n->a->ival;
			n->isconst = true;
		}
		return;
	default:	/* - + ~ */
		if (!is_int(t)) {
			char x[64];

			dt_type_name(t, x, sizeof(x));
			dt_nerror(cc, n, "D_OP_INT", "operator %s requires an operand of integer type, not \"%s\"",
				  opname(n->op), x);
			set_err(n);
			return;
		}
		n->type = promote(*t);
		if (n->a->isconst) {
			int64_t v = n->a->ival;

			v = n->op == T_MINUS ? (int64_t)(0 - (uint64_t)v) : n->op == T_TILDE ? ~v : v;
			n->ival = trunc_val(v, &n->type);
			n->isconst = true;
		}
		return;
	}
}

/*
 * E->M and E.M on kernel structures (BTF): the member's offset, and its
 * value: an integer or pointer is loaded, a nested struct/union is an
 * address, a char array a string, another array a pointer to its first
 * element.  Bit-fields are not supported.
 */
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
			set_err(n);
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
		set_err(n);
		return;
	}
	if (!dt_btf_member(b, sid, n->sval, &mt, &bitoff, &bitsize)) {
		dt_nerror(cc, n, "D_TYPE_MEMBER", "struct %s has no member named %s",
			  dt_btf_name(b, sid), n->sval);
		set_err(n);
		return;
	}
	if (bitsize || (bitoff & 7)) {
		dt_nerror(cc, n, "D_TYPE_MEMBER", "%s is a bit-field: bit-fields are not supported",
			  n->sval);
		set_err(n);
		return;
	}
	n->mem_off = bitoff / 8;
	mt = dt_btf_resolve(b, mt);
	elem = dt_btf_target(b, mt, &nelems);
	if (dt_btf_kind(b, mt) == 3 /* BTF_KIND_ARRAY */) {
		uint32_t e = dt_btf_resolve(b, elem);

		if (dt_btf_int(b, e, &size, &sign, &ischar) && size == 1 && ischar && nelems) {
			n->type = t_string;
			n->mem_how = DT_MEM_STR;
			n->tp_size = nelems > 65536 ? 65536 : (int)nelems;
			return;
		}
		dt_btf_ptr_to(b, e, &n->type, 0);
		n->type.aspace = a->aspace;
		n->mem_how = DT_MEM_ADDR;
		return;
	}
	if (!dt_btf_to_type(b, mt, &n->type, &why)) {
		dt_nerror(cc, n, "D_TYPE_MEMBER", "member %s of struct %s is %s", n->sval,
			  dt_btf_name(b, sid), why);
		set_err(n);
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

static void tc_member(struct dt_cc *cc, struct dt_node *n)
{
	const struct kt_tp_field *f;

	if (n->a->kind == DT_N_IDENT && !strcmp(n->a->sval, "args") && n->op == T_ARROW &&
	    !dt_var_lookup(cc, "args", KTRACE_SCOPE_GLOBAL)) {
		f = dt_tp_lookup(cc, cc->clause, n, n->sval);
		if (!f) {
			set_err(n);
			return;
		}
		n->tp_off = f->offset;
		n->tp_size = f->size;
		n->tp_sign = f->is_signed;
		n->tp_dataloc = f->is_data_loc;
		n->tp_str = f->is_string;
		if (n->tp_str) {
			n->type = t_string;
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
			set_err(n);
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
	tc_expr(cc, n->a);
	if (is_err(&n->a->type)) {
		set_err(n);
		return;
	}
	tc_struct_member(cc, n);
}

static bool cast_ok(const struct dt_type *to, const struct dt_type *from)
{
	if (is_scalar(to) && is_scalar(from))
		return true;
	if (is_str(to) && (is_str(from)))
		return true;
	return false;
}

static void tc_expr(struct dt_cc *cc, struct dt_node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case DT_N_INT:
		if (n->type.kind != DT_T_ERR && n->type.kind != DT_T_INT) {
			n->type = t_i32;
		}
		if (n->type.kind == DT_T_INT)
			n->isconst = true;
		return;
	case DT_N_STR:
		n->type = t_string;
		if ((int)n->slen >= cc->strsize)
			dt_warn(cc, n->src, n->line, n->col, "D_STR_TRUNC",
				"string literal is longer than strsize (%d) and will be truncated",
				cc->strsize);
		return;
	case DT_N_IDENT:
		tc_ident(cc, n);
		return;
	case DT_N_SELF:
	case DT_N_THIS:
		tc_dynvar(cc, n);
		return;
	case DT_N_AGGREF:
		dt_nerror(cc, n, "D_AGG_REF",
			  "aggregation @%s can only be used in printa( ), clear( ), trunc( ), normalize( ), denormalize( )",
			  n->sval);
		set_err(n);
		return;
	case DT_N_KSYM:
		dt_nerror(cc, n, "D_SYM_UNSUP", "kernel symbol references (`%s) are not supported",
			  n->sval);
		set_err(n);
		return;
	case DT_N_INDEX:
		tc_index(cc, n);
		return;
	case DT_N_CALL:
		tc_call(cc, n, false);
		return;
	case DT_N_UNOP:
		tc_unop(cc, n);
		return;
	case DT_N_POSTOP:
		tc_incdec(cc, n);
		return;
	case DT_N_BINOP:
		tc_binop(cc, n);
		return;
	case DT_N_LOGOP:
		tc_logop(cc, n);
		return;
	case DT_N_ASSIGN:
		tc_assign(cc, n);
		return;
	case DT_N_TERNARY: {
		struct dt_type *b, *c;

		tc_expr(cc, n->a);
		tc_expr(cc, n->b);
		tc_expr(cc, n->c);
		if (is_err(&n->a->type) || is_err(&n->b->type) || is_err(&n->c->type)) {
			set_err(n);
			return;
		}
		if (!is_scalar(&n->a->type)) {
			dt_nerror(cc, n->a, "D_OP_SCALAR", "operator ?: requires a scalar condition");
			set_err(n);
			return;
		}
		b = &n->b->type;
		c = &n->c->type;
		if (is_int(b) && is_int(c))
			n->type = arith_conv(b, c);
		else if (is_scalar(b) && is_scalar(c))
			n->type = is_ptr(b) ? *b : *c;
		else if (is_str(b) && is_str(c))
			n->type = t_string;
		else {
			char x[64], y[64];

			dt_type_name(b, x, sizeof(x));
			dt_type_name(c, y, sizeof(y));
			dt_nerror(cc, n, "D_OP_INCOMPAT",
				  "operator ?: operands must have compatible types: \"%s\" : \"%s\"", x, y);
			set_err(n);
			return;
		}
		if (n->a->isconst && n->b->isconst && n->c->isconst && is_int(&n->type)) {
			n->ival = trunc_val(n->a->ival ? n->b->ival : n->c->ival, &n->type);
			n->isconst = true;
		}
		return;
	}
	case DT_N_CAST:
		tc_expr(cc, n->a);
		if (is_err(&n->a->type) || n->ctype.kind == DT_T_ERR) {
			set_err(n);
			return;
		}
		if (!cast_ok(&n->ctype, &n->a->type)) {
			char x[64], y[64];

			dt_type_name(&n->a->type, x, sizeof(x));
			dt_type_name(&n->ctype, y, sizeof(y));
			dt_nerror(cc, n, "D_CAST_INVAL", "invalid cast expression: \"%s\" to \"%s\"", x, y);
			set_err(n);
			return;
		}
		n->type = n->ctype;
		if (is_ptr(&n->type) && is_ptr(&n->a->type))
			n->type.aspace = n->a->type.aspace;
		if (n->a->isconst && is_int(&n->type)) {
			n->ival = trunc_val(n->a->ival, &n->type);
			n->isconst = true;
		}
		return;
	case DT_N_SIZEOF: {
		const struct dt_type *t;

		if (n->a) {
			tc_expr(cc, n->a);
			if (is_err(&n->a->type)) {
				set_err(n);
				return;
			}
			t = &n->a->type;
		} else {
			t = &n->ctype;
		}
		n->type = t_u64;
		n->isconst = true;
		switch (t->kind) {
		case DT_T_INT:
		case DT_T_PTR:
			n->ival = t->size;
			break;
		case DT_T_STRING:
			n->ival = cc->strsize;
			break;
		case DT_T_STRUCT:	/* sizeof(*curthread): from BTF */
			n->ival = cc->btf ? dt_btf_size(cc->btf, t->btf) : 0;
			break;
		default:
			dt_nerror(cc, n, "D_SIZEOF_TYPE", "sizeof cannot be applied to this type");
			set_err(n);
		}
		return;
	}
	case DT_N_MEMBER:
		tc_member(cc, n);
		return;
	case DT_N_ARGS:
		tc_expr(cc, n->a);
		if (is_err(&n->a->type)) {
			set_err(n);
			return;
		}
		if (!is_int(&n->a->type)) {
			dt_nerror(cc, n, "D_ARGS_IDX", "args[ ] index must be an integer");
			set_err(n);
			return;
		}
		if (n->a->isconst && (n->a->ival < 0 || n->a->ival > 9)) {
			dt_nerror(cc, n, "D_ARGS_IDX", "index %lld is out of range for args[ ] (0..9)",
				  (long long)n->a->ival);
			set_err(n);
			return;
		}
		n->type = t_i64;
		if (n->a->isconst)
			fbt_arg_type(cc, n, (int)n->a->ival);
		return;
	case DT_N_STRINGOF:
		tc_expr(cc, n->a);
		if (is_err(&n->a->type)) {
			set_err(n);
			return;
		}
		if (!is_scalar(&n->a->type) && !is_str(&n->a->type)) {
			dt_nerror(cc, n, "D_STRINGOF_TYPE",
				  "stringof( ) requires a pointer, integer or string operand");
			set_err(n);
			return;
		}
		n->type = t_string;
		return;
	case DT_N_MACRO:
	default:
		set_err(n);
		return;
	}
}

/* ----- calls ----- */

struct spec_state {
	bool	data, spec, commit, agg;
};

static __thread struct spec_state clause_spec;	/* per compilation (one per thread) */

static void note_data(struct dt_cc *cc, struct dt_node *n, const char *what)
{
	if (clause_spec.commit)
		dt_nerror(cc, n, "D_ACT_SPEC", "%s may not follow commit( ) or discard( )", what);
	clause_spec.data = true;
}

static void tc_call(struct dt_cc *cc, struct dt_node *n, bool stmt)
{
	const char *name = n->sval;
	const struct action *act;
	int nargs = count_list(n->b), id, min, max, i;

	for (size_t k = 0; k < sizeof(identities) / sizeof(identities[0]); k++)
		if (!strcmp(identities[k].name, name)) {
			if (!check_arg_count(cc, n, name, nargs, 1, 1))
				return;
			tc_expr(cc, n->b);
			if (is_err(&n->b->type)) {
				set_err(n);
				return;
			}
			if (!is_scalar(&n->b->type)) {
				proto_arg_error(cc, n, name, 1, n->b, "pointer or integer");
				return;
			}
			n->scope = DT_CC_IDENTITY;
			n->type = with_dtype(t_u64, identities[k].dtype);
			return;
		}
	if (aggfunc_lookup(name, &min, &max) >= 0) {
		dt_nerror(cc, n, "D_AGG_FUNC",
			  "%s( ) may only be used as the value of an aggregation: @name[keys] = %s(...)",
			  name, name);
		set_err(n);
		return;
	}
	act = action_lookup(name);
	if (act) {
		if (!stmt) {
			dt_nerror(cc, n, "D_ACT_EXPR", "%s( ) is an action and cannot be used in an expression",
				  name);
			set_err(n);
			return;
		}
		/* checked by tc_action() */
		return;
	}
	for (size_t k = 0; k < sizeof(subrs) / sizeof(subrs[0]); k++) {
		const struct subr *s = &subrs[k];
		struct dt_node *a;

		if (strcmp(s->name, name))
			continue;
		if (!check_arg_count(cc, n, name, nargs, s->min, s->max))
			return;
		for (a = n->b; a; a = a->next)
			tc_expr(cc, a);
		for (a = n->b, i = 0; a; a = a->next, i++) {
			if (is_err(&a->type)) {
				set_err(n);
				return;
			}
			if (!arg_ok(a, s->args[i])) {
				proto_arg_error(cc, n, name, i + 1, a, argk_name(s->args[i]));
				return;
			}
		}
		if (s->destructive && !check_destructive(cc, n, name)) {
			set_err(n);
			return;
		}
		if (s->id == KTRACE_SUBR_SPECULATION && stmt)
			dt_warn(cc, n->src, n->line, n->col, "D_SPEC_UNUSED",
				"speculation( ) result is not used");
		n->scope = DT_CC_SUBR;
		n->ival = s->id;
		switch (s->ret) {
		case 0: n->type = t_i64; break;
		case 1: n->type = t_string; break;
		case 2: n->type = t_void; break;
		case 3: {
			struct dt_type t = { .kind = DT_T_PTR, .size = 8, .pdepth = 1, .bsize = 0,
					     .aspace = DT_AS_KTRACE };

			n->type = t;
			break;
		}
		case 4: n->type = t_u64; break;
		case 5: n->type.kind = DT_T_STACK; break;
		case 6: n->type.kind = DT_T_USTACK; break;
		case 7: n->type = t_i32; break;
		case 8: n->type = DT_INT_TYPE(2, false); break;
		default: n->type = t_u32; break;
		}
		/* constant frame counts */
		if ((s->id == KTRACE_SUBR_STACK || s->id == KTRACE_SUBR_USTACK) && n->b) {
			if (n->b->next && !n->b->next->isconst) {
				dt_nerror(cc, n->b->next, "D_USTACK_STRSIZE",
					  "%s( ) string size (argument #2) must be a constant", name);
				set_err(n);
				return;
			}
			if (!n->b->isconst || n->b->ival <= 0 || n->b->ival > KTRACE_MAX_STACKFRAMES) {
				dt_nerror(cc, n->b, "D_STACK_SIZE",
					  "%s( ) frame count must be a constant in 1..%d", name,
					  KTRACE_MAX_STACKFRAMES);
				set_err(n);
				return;
			}
		}
		(void)id;
		return;
	}
	dt_nerror(cc, n, "D_IDENT_UNDEF", "failed to resolve %s: Unknown function name", name);
	set_err(n);
}

static struct dt_aggr *agg_new(struct dt_cc *cc, const char *name, struct dt_node *where);

/* printa() formats whose aggregation is defined later: checked at the end. */
struct deferred {
	struct dt_node		*call;
	const char		*fmt;
	struct deferred		*next;
};

static __thread struct deferred *deferred_printa;

static struct dt_aggr *agg_lookup(struct dt_cc *cc, const char *name)
{
	return dt_hget(&cc->aggs, name, (uint32_t)strlen(name));
}

/* The aggregation argument of printa/clear/trunc/...: must be defined already. */
static struct dt_aggr *agg_arg(struct dt_cc *cc, struct dt_node *call, struct dt_node *a,
			       int argno)
{
	struct dt_aggr *ag;

	if (!a || a->kind != DT_N_AGGREF) {
		if (a)
			tc_expr(cc, a);
		dt_nerror(cc, a ? a : call, "D_PRINTA_AGGARG",
			  "%s( ) argument #%d is incompatible with prototype:\n\tprototype: aggregation\n\t argument: %s",
			  call->sval, argno, a && a->kind == DT_N_STR ? "string" : "expression");
		return NULL;
	}
	if (a->ival) {
		dt_nerror(cc, a, "D_PRINTA_AGGBAD", "%s( ) takes an aggregation without keys: @%s",
			  call->sval, a->sval);
		return NULL;
	}
	ag = agg_lookup(cc, a->sval);
	if (!ag)
		ag = agg_new(cc, a->sval, a);	/* defined later in the program (checked at the end) */
	a->agg = ag;
	return ag;
}

/* Do two aggregations have the same key signature (for a joined printa)? */
static bool same_keys(const struct dt_aggr *a, const struct dt_aggr *b)
{
	if (a->nuser != b->nuser)
		return false;
	for (int i = 0; i < a->nuser && i < KTRACE_MAX_KEYS; i++) {
		const struct dt_type *x = &a->keys[i], *y = &b->keys[i];

		/* integers and pointers are both INT tuple elements */
		if (x->kind != y->kind && !(is_scalar(x) && is_scalar(y)))
			return false;
	}
	return true;
}

static void printa_keys_check(struct dt_cc *cc, struct dt_node *call)
{
	const struct dt_node *first = NULL;
	int argno = 1;

	for (struct dt_node *a = call->b; a; a = a->next, argno++) {
		if (a->kind != DT_N_AGGREF || !a->agg || a->agg->func < 0)
			continue;
		if (!first) {
			first = a;
			continue;
		}
		if (!same_keys(first->agg, a->agg)) {
			dt_nerror(cc, a, "D_PRINTA_AGGPROTO",
				  "printa( ) argument #%d is incompatible with prototype:\n\tprototype: aggregation with the key signature of @%s\n\t argument: @%s",
				  argno, first->sval, a->sval);
			set_err(call);
			return;
		}
	}
}

/*
 * printa(fmt, @a, @b, ...): the aggregations are joined on their keys, so
 * they must have the same key signature; the n-th %@ prints the n-th one.
 */
static void tc_printa_multi(struct dt_cc *cc, struct dt_node *n, const char *fmt,
			    struct dt_node *aggn)
{
	int argno = 2;
	bool later = false;

	for (struct dt_node *a = aggn; a; a = a->next, argno++) {
		struct dt_aggr *ag = agg_arg(cc, n, a, argno);

		if (!ag) {
			set_err(n);
			return;
		}
		if (ag->func < 0)
			later = true;
	}
	n->agg = aggn->agg;
	note_data(cc, n, "printa( )");
	if (later) {
		struct deferred *df = dt_alloc(&cc->ar, sizeof(*df));

		df->call = n;
		df->fmt = fmt;
		df->next = deferred_printa;
		deferred_printa = df;
		return;
	}
	printa_keys_check(cc, n);
	if (dt_printf_check(cc, n, "printa", fmt, NULL, 1, aggn->agg) < 0)
		set_err(n);
}

static void tc_action(struct dt_cc *cc, struct dt_node *n, const struct action *act)
{
	int nargs = count_list(n->b);
	struct dt_node *a;

	n->scope = DT_CC_ACTION;
	n->ival = act->kind;
	n->type = t_void;
	if (!check_arg_count(cc, n, act->name, nargs, act->min, act->max))
		return;
	if (act->destructive && !check_destructive(cc, n, act->name)) {
		set_err(n);
		return;
	}
	if (clause_spec.spec && (act->destructive || act->kind == KTRACE_ACT_EXIT)) {
		dt_nerror(cc, n, "D_ACT_SPEC", "%s( ) may not follow speculate( )", act->name);
		set_err(n);
		return;
	}
	switch (act->kind) {
	case KTRACE_ACT_PRINTA:
	case KTRACE_ACT_CLEAR:
	case KTRACE_ACT_TRUNC:
	case KTRACE_ACT_NORMALIZE:
	case KTRACE_ACT_DENORMALIZE: {
		struct dt_node *aggn = n->b;
		const char *fmt = NULL;
		struct dt_aggr *ag;

		if (act->kind == KTRACE_ACT_PRINTA && aggn && aggn->kind == DT_N_STR) {
			fmt = aggn->sval;
			aggn = aggn->next;
			if (!aggn) {
				dt_nerror(cc, n, "D_PROTO_LEN",
					  "printa( ) prototype mismatch: an aggregation is required after the format");
				set_err(n);
				return;
			}
			if (aggn->next) {
				tc_printa_multi(cc, n, fmt, aggn);
				return;
			}
		} else if (act->kind == KTRACE_ACT_PRINTA && nargs > 1) {
			if (aggn->kind != DT_N_AGGREF)
				tc_expr(cc, aggn);
			dt_nerror(cc, aggn, "D_PRINTA_PROTO",
				  "printa( ) argument #1 is incompatible with prototype:\n\tprototype: string constant or aggregation");
			set_err(n);
			return;
		}
		ag = agg_arg(cc, n, aggn, fmt ? 2 : 1);
		if (!ag) {
			set_err(n);
			return;
		}
		n->agg = ag;
		if (act->kind == KTRACE_ACT_PRINTA) {
			note_data(cc, n, "printa( )");
			if (fmt && ag->func < 0) {
				struct deferred *df = dt_alloc(&cc->ar, sizeof(*df));

				df->call = n;
				df->fmt = fmt;
				df->next = deferred_printa;
				deferred_printa = df;
			} else if (fmt && dt_printf_check(cc, n, "printa", fmt, NULL, 1, ag) < 0) {
				set_err(n);
			}
			return;
		}
		/* trunc(@, n), normalize(@, n) */
		for (a = aggn->next; a; a = a->next) {
			tc_expr(cc, a);
			if (is_err(&a->type)) {
				set_err(n);
				return;
			}
			if (!is_int(&a->type)) {
				proto_arg_error(cc, n, act->name, 2, a, "integer");
				return;
			}
		}
		note_data(cc, n, act->name);
		return;
	}
	default:
		break;
	}
	for (a = n->b; a; a = a->next)
		tc_expr(cc, a);
	for (a = n->b; a; a = a->next)
		if (is_err(&a->type)) {
			set_err(n);
			return;
		}
	switch (act->kind) {
	case KTRACE_ACT_TRACE:
	case KTRACE_ACT_PRINT:
		if (n->b->type.kind == DT_T_VOID) {
			dt_nerror(cc, n->b, "D_PROTO_ARG", "%s( ) argument #1 is void", act->name);
			set_err(n);
			return;
		}
		note_data(cc, n, "data-recording actions");
		return;
	case KTRACE_ACT_PRINTF:
	case KTRACE_ACT_SYSTEM:
	case KTRACE_ACT_FREOPEN:
		if (n->b->kind != DT_N_STR) {
			char y[64];

			dt_type_name(&n->b->type, y, sizeof(y));
			dt_nerror(cc, n->b, "D_PRINTF_ARG_FMT",
				  "%s( ) argument #1 is incompatible with prototype:\n\tprototype: string constant\n\t argument: %s",
				  act->name, y);
			set_err(n);
			return;
		}
		if (dt_printf_check(cc, n, act->name, n->b->sval, n->b->next, 2, NULL) < 0) {
			set_err(n);
			return;
		}
		note_data(cc, n, "data-recording actions");
		return;
	case KTRACE_ACT_EXIT:
	case KTRACE_ACT_RAISE:
	case KTRACE_ACT_CHILL:
		if (!is_int(&n->b->type)) {
			proto_arg_error(cc, n, act->name, 1, n->b, "integer");
			return;
		}
		if (act->kind == KTRACE_ACT_EXIT)
			note_data(cc, n, "exit( )");
		return;
	case KTRACE_ACT_SETOPT:
		for (a = n->b, nargs = 1; a; a = a->next, nargs++)
			if (!is_str(&a->type)) {
				proto_arg_error(cc, n, act->name, nargs, a, "string");
				return;
			}
		return;
	case KTRACE_ACT_SPECULATE:
	case KTRACE_ACT_COMMIT:
	case KTRACE_ACT_DISCARD:
		if (!is_int(&n->b->type)) {
			proto_arg_error(cc, n, act->name, 1, n->b, "integer");
			return;
		}
		if (act->kind == KTRACE_ACT_SPECULATE) {
			if (clause_spec.spec) {
				dt_nerror(cc, n, "D_ACT_SPEC", "speculate( ) may not follow speculate( )");
				set_err(n);
			} else if (clause_spec.data) {
				dt_nerror(cc, n, "D_ACT_SPEC",
					  "speculate( ) may not follow data-recording actions");
				set_err(n);
			} else if (clause_spec.agg) {
				dt_nerror(cc, n, "D_ACT_SPEC",
					  "speculate( ) may not follow aggregating actions");
				set_err(n);
			} else if (clause_spec.commit) {
				dt_nerror(cc, n, "D_ACT_SPEC",
					  "speculate( ) may not follow commit( ) or discard( )");
				set_err(n);
			}
			clause_spec.spec = true;
		} else {
			if (clause_spec.data) {
				dt_nerror(cc, n, "D_ACT_SPEC", "%s( ) may not follow data-recording actions",
					  act->name);
				set_err(n);
			} else if (clause_spec.spec) {
				dt_nerror(cc, n, "D_ACT_SPEC", "%s( ) may not follow speculate( )",
					  act->name);
				set_err(n);
			}
			clause_spec.commit = true;
		}
		return;
	default:
		return;
	}
}

/* ----- aggregations ----- */

static struct dt_aggr *agg_new(struct dt_cc *cc, const char *name, struct dt_node *where)
{
	struct dt_aggr *ag = dt_alloc(&cc->ar, sizeof(*ag));

	ag->name = dt_strndup(&cc->ar, name, strlen(name));
	ag->index = cc->naggs;
	ag->func = -1;
	ag->nuser = -1;
	ag->src = where->src;
	ag->line = where->line;
	ag->col = where->col;
	if (cc->naggs == cc->aggcap) {
		int ncap = cc->aggcap ? cc->aggcap * 2 : 8;
		struct dt_aggr **nv = realloc(cc->aggv, sizeof(*nv) * (size_t)ncap);

		if (!nv)
			longjmp(cc->oom_jmp, 1);
		cc->aggv = nv;
		cc->aggcap = ncap;
	}
	cc->aggv[cc->naggs++] = ag;
	if (!dt_hput(&cc->aggs, ag->name, (uint32_t)strlen(ag->name), ag))
		longjmp(cc->oom_jmp, 1);
	return ag;
}

static bool const_arg(struct dt_cc *cc, struct dt_node *call, struct dt_node *a, int argno,
		      int64_t *v)
{
	if (!a->isconst || !is_int(&a->type)) {
		dt_nerror(cc, a, "D_AGG_CONST", "%s( ) argument #%d must be an integer constant",
			  call->sval, argno);
		return false;
	}
	*v = a->ival;
	return true;
}

static void tc_agg(struct dt_cc *cc, struct dt_node *s)
{
	struct dt_node *call = s->c, *a;
	struct dt_aggr *ag;
	int func, min, max, nargs, i;
	int64_t params[4] = { 0, 0, 0, 0 };
	struct dt_type valtype = t_i64;

	if (!call || call->kind != DT_N_CALL) {
		dt_nerror(cc, s, "D_AGG_FUNC",
			  "aggregations may only be assigned the result of an aggregating function");
		return;
	}
	func = aggfunc_lookup(call->sval, &min, &max);
	if (func < 0) {
		dt_nerror(cc, call, "D_AGG_FUNC", "%s( ) is not an aggregating function", call->sval);
		return;
	}
	if (clause_spec.spec) {
		dt_nerror(cc, s, "D_AGG_SPEC", "aggregating actions may not follow speculate( )");
		return;
	}
	clause_spec.agg = true;
	nargs = count_list(call->b);
	if (!check_arg_count(cc, call, call->sval, nargs, min, max))
		return;
	for (a = s->b; a; a = a->next)
		tc_expr(cc, a);
	for (a = call->b; a; a = a->next)
		tc_expr(cc, a);
	for (a = s->b; a; a = a->next)
		if (is_err(&a->type))
			return;
	for (a = call->b, i = 1; a; a = a->next, i++) {
		if (is_err(&a->type))
			return;
		if (!is_scalar(&a->type)) {
			proto_arg_error(cc, call, call->sval, i, a, "integer");
			return;
		}
	}
	if (call->b)
		valtype = call->b->type;
	/* parameters */
	if (func == KTRACE_AGG_LQUANTIZE) {
		struct dt_node *x = call->b->next;
		int64_t lo, hi, step = 1;

		if (!const_arg(cc, call, x, 2, &lo) || !const_arg(cc, call, x->next, 3, &hi))
			return;
		if (x->next->next && !const_arg(cc, call, x->next->next, 4, &step))
			return;
		if (step <= 0 || step > UINT16_MAX) {
			dt_nerror(cc, call, "D_LQUANT_STEPVAL",
				  "lquantize( ) step must be in 1..%d", UINT16_MAX);
			return;
		}
		if (lo >= hi) {
			dt_nerror(cc, call, "D_LQUANT_MISMATCH",
				  "lquantize( ) lower bound (%lld) must be less than upper bound (%lld)",
				  (long long)lo, (long long)hi);
			return;
		}
		if (lo < INT32_MIN || hi > INT32_MAX) {
			dt_nerror(cc, call, "D_LQUANT_BASEVAL",
				  "lquantize( ) bounds must be 32-bit integers");
			return;
		}
		if ((hi - lo) / step > UINT16_MAX) {
			dt_nerror(cc, call, "D_LQUANT_STEPLARGE",
				  "lquantize( ) has too many levels: (upper - lower) / step must not exceed %d",
				  UINT16_MAX);
			return;
		}
		if ((hi - lo) % step) {
			dt_nerror(cc, call, "D_LQUANT_MATCHSTEP",
				  "lquantize( ) upper bound minus lower bound must be a multiple of the step");
			return;
		}
		params[0] = lo;
		params[1] = hi;
		params[2] = step;
	} else if (func == KTRACE_AGG_LLQUANTIZE) {
		struct dt_node *x = call->b->next;
		int64_t f, lo, hi, ns;

		if (!const_arg(cc, call, x, 2, &f) || !const_arg(cc, call, x->next, 3, &lo) ||
		    !const_arg(cc, call, x->next->next, 4, &hi) ||
		    !const_arg(cc, call, x->next->next->next, 5, &ns))
			return;
		if (f < 2 || f > UINT16_MAX) {
			dt_nerror(cc, call, "D_LLQUANT_FACTORVAL",
				  "llquantize( ) factor (argument #2) must be in 2..%d", UINT16_MAX);
			return;
		}
		if (lo < 0 || lo > UINT16_MAX || hi < 0 || hi > UINT16_MAX) {
			dt_nerror(cc, call, "D_LLQUANT_MAGRANGE",
				  "llquantize( ) magnitudes (arguments #3, #4) must be in 0..%d", UINT16_MAX);
			return;
		}
		if (hi <= lo) {
			dt_nerror(cc, call, "D_LLQUANT_MAGRANGE",
				  "llquantize( ) high magnitude (argument #4) must be greater than the low magnitude");
			return;
		}
		if (ns < f || ns % f) {
			dt_nerror(cc, call, "D_LLQUANT_NSTEPMATCH",
				  "llquantize( ) steps (argument #5) must be a multiple of the factor");
			return;
		}
		{
			/* the smallest power of the factor not below steps must be a multiple of steps */
			int64_t v = f;

			while (v < ns)
				v *= f;
			if (v % ns) {
				dt_nerror(cc, call, "D_LLQUANT_NSTEPMATCH",
					  "llquantize( ) steps (argument #5) must divide a power of the factor");
				return;
			}
		}
		if ((hi - lo + 1) * ns + 2 > 65536) {
			dt_nerror(cc, call, "D_LLQUANT_MAGTOOBIG",
				  "llquantize( ) has too many buckets: (high - low + 1) * steps must not exceed 65534");
			return;
		}
		{
			/* factor^(hi+1) must fit in 64 bits */
			uint64_t v = 1;

			for (int64_t k = 0; k <= hi; k++) {
				if (v > UINT64_MAX / (uint64_t)f) {
					dt_nerror(cc, call, "D_LLQUANT_MAGTOOBIG",
						  "llquantize( ) factor ** (high magnitude + 1) overflows 64 bits");
					return;
				}
				v *= (uint64_t)f;
			}
		}
		params[0] = f;
		params[1] = lo;
		params[2] = hi;
		params[3] = ns;
	}
	ag = agg_lookup(cc, s->sval);
	if (!ag)
		ag = agg_new(cc, s->sval, s);
	if (ag->func < 0) {
		ag->src = s->src;
		ag->line = s->line;
		ag->col = s->col;
		ag->func = func;
		memcpy(ag->params, params, sizeof(params));
		ag->valtype = valtype;
	} else if (ag->func != func || memcmp(ag->params, params, sizeof(params))) {
		dt_nerror(cc, s, "D_AGG_REDEF",
			  "aggregation redefined: @%s\n\t current: %s( )\n\tprevious: %s( ) at %s:%d:%d",
			  s->sval, call->sval, aggfunc_name(ag->func),
			  cc->srcs[ag->src].name, ag->line, ag->col);
		return;
	}
	if (!check_keys(cc, s, "@", s->sval, &ag->nuser, ag->keys, s->b, true))
		return;
	/* tuple layout: user/umod keys take two elements */
	if (ag->nkeys == 0 && ag->nuser > 0) {
		int k = 0;

		for (a = s->b, i = 0; a; a = a->next, i++) {
			int dt = dt_type_to_dtype(&a->type);

			if (dt == KT_DT_USYM || dt == KT_DT_UMOD) {
				if (k < KTRACE_MAX_KEYS)
					ag->kdtype[k] = KT_DT_UPID;
				k++;
			}
			if (k < KTRACE_MAX_KEYS)
				ag->kdtype[k] = (uint8_t)dt;
			k++;
		}
		if (k > KTRACE_MAX_KEYS) {
			dt_nerror(cc, s, "D_ARR_KEYS",
				  "@%s[ ]: too many keys (usym( )/umod( ) keys count twice; at most %d)",
				  s->sval, KTRACE_MAX_KEYS);
			return;
		}
		ag->nkeys = k;
	}
	s->agg = ag;
}

/* ----- statements ----- */

static void tc_stmt(struct dt_cc *cc, struct dt_node *s)
{
	switch (s->kind) {
	case DT_S_EXPR:
		if (s->a && s->a->kind == DT_N_CALL) {
			const struct action *act = action_lookup(s->a->sval);

			if (act) {
				tc_action(cc, s->a, act);
				return;
			}
			if (!strcmp(s->a->sval, "stack") || !strcmp(s->a->sval, "ustack") ||
			    !strcmp(s->a->sval, "jstack")) {
				tc_call(cc, s->a, true);
				if (!is_err(&s->a->type)) {
					s->a->scope = DT_CC_ACTION;	/* recorded like trace(stack()) */
					note_data(cc, s->a, "data-recording actions");
				}
				return;
			}
			tc_call(cc, s->a, true);
			return;
		}
		tc_expr(cc, s->a);
		return;
	case DT_S_AGG:
		tc_agg(cc, s);
		return;
	case DT_S_IF:
		tc_expr(cc, s->a);
		if (!is_err(&s->a->type) && !is_scalar(&s->a->type))
			dt_nerror(cc, s->a, "D_COND_SCALAR", "if condition must be of scalar type");
		if (s->b)
			tc_stmt(cc, s->b);
		if (s->c)
			tc_stmt(cc, s->c);
		return;
	case DT_S_WHILE:
		tc_expr(cc, s->a);
		if (!is_err(&s->a->type) && !is_scalar(&s->a->type))
			dt_nerror(cc, s->a, "D_COND_SCALAR", "while condition must be of scalar type");
		cc->loopdepth++;
		if (s->b)
			tc_stmt(cc, s->b);
		cc->loopdepth--;
		return;
	case DT_S_FOR:
		if (s->a)
			tc_expr(cc, s->a);
		if (s->b) {
			tc_expr(cc, s->b);
			if (!is_err(&s->b->type) && !is_scalar(&s->b->type))
				dt_nerror(cc, s->b, "D_COND_SCALAR", "for condition must be of scalar type");
		}
		if (s->c)
			tc_expr(cc, s->c);
		cc->loopdepth++;
		if (s->d)
			tc_stmt(cc, s->d);
		cc->loopdepth--;
		return;
	case DT_S_BREAK:
	case DT_S_CONTINUE:
		if (!cc->loopdepth)
			dt_nerror(cc, s, "D_LOOP_CTL", "%s statement not within a loop",
				  s->kind == DT_S_BREAK ? "break" : "continue");
		return;
	case DT_S_BLOCK:
		tc_stmts(cc, s->a);
		return;
	default:
		return;
	}
}

static void tc_stmts(struct dt_cc *cc, struct dt_node *s)
{
	for (; s; s = s->next) {
		if (dt_too_many_errors(cc))
			return;
		tc_stmt(cc, s);
	}
}

/*
 * A kernel struct (DT_T_STRUCT) is only ever the operand of '.' (or the
 * result of * and [ ] on its way there): it has no value that could be
 * stored, compared, printed or used as a key.  N is checked as a child of
 * PARENT; a child of an expression already in error is not reported
 * again (statements and clauses have no type: they are always checked).
 */
static void no_struct_values(struct dt_cc *cc, const struct dt_node *parent, struct dt_node *n)
{
	struct dt_node *kids[4] = { n->a, n->b, n->c, n->d };

	if (n->type.kind == DT_T_STRUCT &&
	    (parent->kind >= DT_S_EXPR || !is_err(&parent->type)) &&
	    !(parent->kind == DT_N_MEMBER && parent->op == T_DOT && parent->a == n) &&
	    parent->kind != DT_N_SIZEOF) {
		char x[96];

		dt_type_name(&n->type, x, sizeof(x));
		dt_nerror(cc, n, "D_STRUCT_VALUE",
			  "\"%s\" is not a value: use its members (s.member) or a pointer to it", x);
		return;
	}
	for (int i = 0; i < 4; i++)
		for (struct dt_node *k = kids[i]; k; k = k->next)
			no_struct_values(cc, n, k);
}

int dt_typecheck(struct dt_cc *cc)
{
	deferred_printa = NULL;
	for (struct dt_node *c = cc->top; c; c = c->next) {
		if (c->kind != DT_TOP_CLAUSE)
			continue;
		if (dt_too_many_errors(cc))
			break;
		cc->clause = c;
		memset(&clause_spec, 0, sizeof(clause_spec));
		if (c->a) {
			tc_expr(cc, c->a);
			if (!is_err(&c->a->type) && !is_scalar(&c->a->type)) {
				char x[64];

				dt_type_name(&c->a->type, x, sizeof(x));
				dt_nerror(cc, c->a, "D_PRED_SCALAR",
					  "predicate result must be of scalar type, not \"%s\"", x);
			}
		}
		tc_stmts(cc, c->b);
		for (struct dt_node *x = c->a; x; x = x->next)
			no_struct_values(cc, c, x);
		for (struct dt_node *x = c->b; x; x = x->next)
			no_struct_values(cc, c, x);
	}
	cc->clause = NULL;
	for (int i = 0; i < cc->naggs; i++) {
		struct dt_aggr *ag = cc->aggv[i];

		if (ag->func < 0)
			dt_error(cc, ag->src, ag->line, ag->col, "D_AGG_UNDEF",
				 "failed to resolve @%s: Unknown aggregation", ag->name);
	}
	for (struct deferred *df = deferred_printa; df; df = df->next)
		if (df->call->agg && df->call->agg->func >= 0) {
			printa_keys_check(cc, df->call);
			dt_printf_check(cc, df->call, "printa", df->fmt, NULL, 1, df->call->agg);
		}
	deferred_printa = NULL;
	return cc->diags && cc->diags->nerrors ? -1 : 0;
}

/* ----- printf-style formats ----- */

struct conv {
	char	spec[32];	/* the conversion as written, without '%' */
	char	c;		/* conversion character */
	int	dynw, dynp;	/* '*' width / precision */
};

static const char *conv_proto(char c)
{
	switch (c) {
	case 'd': case 'i':
		return "char, short, int, long, or long long";
	case 'o': case 'u': case 'x': case 'X':
		return "integer or pointer";
	case 'c': case 'C':
		return "char or integer";
	case 's': case 'S':
		return "string";
	case 'p': case 'a': case 'A':
		return "pointer or integer";
	case 'k':
		return "stack";
	case 'Y':
		return "integer (nanoseconds since the epoch)";
	default:
		return "integer";	/* e f g: converted to floating point */
	}
}

static bool conv_accepts(char c, const struct dt_type *t)
{
	switch (c) {
	case 'd': case 'i':
		return is_int(t);
	case 's': case 'S':
		return is_str(t);
	case 'k':
		return t->kind == DT_T_STACK || t->kind == DT_T_USTACK;
	default:
		return is_scalar(t);
	}
}

int dt_printf_check(struct dt_cc *cc, const struct dt_node *call, const char *fname,
		    const char *fmt, const struct dt_node *args, int argno0,
		    const struct dt_aggr *agg)
{
	const struct dt_node *a = args;
	int convno = 0, keyno = 0, argno = argno0;
	const char *p = fmt;
	struct dt_node *where = (struct dt_node *)call;

	while ((p = strchr(p, '%'))) {
		struct conv cv;
		const char *start = ++p;
		size_t n;

		memset(&cv, 0, sizeof(cv));
		if (*p == '%') {
			p++;
			continue;
		}
		convno++;
		while (*p && strchr("-+ #0'@", *p))
			p++;
		if (*p == '*') {
			cv.dynw = 1;
			p++;
		} else {
			while (isdigit((unsigned char)*p))
				p++;
		}
		if (*p == '.') {
			p++;
			if (*p == '*') {
				cv.dynp = 1;
				p++;
			} else {
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (*p == '?')
			p++;
		if (memchr(start, '@', (size_t)(p - start)) && !agg) {
			dt_nerror(cc, where, "D_PRINTF_AGG_CONV",
				  "%s( ) format conversion #%d (%%@) requires an aggregation (printa)",
				  fname, convno);
			return -1;
		}
		while (*p && strchr("hlLjzt", *p))
			p++;
		if (!*p) {
			dt_nerror(cc, where, "D_PRINTF_FMT",
				  "%s( ) format conversion #%d is incomplete: %%%s", fname, convno, start);
			return -1;
		}
		cv.c = *p++;
		n = (size_t)(p - start);
		if (n >= sizeof(cv.spec))
			n = sizeof(cv.spec) - 1;
		memcpy(cv.spec, start, n);
		cv.spec[n] = '\0';
		if (!strchr("aAcCdeEfFgGikopsSuxXY", cv.c)) {
			dt_nerror(cc, where, "D_PRINTF_FMT",
				  "%s( ) format conversion #%d is undefined: %%%s", fname, convno, cv.spec);
			return -1;
		}
		if (agg) {
			bool isagg = strchr(cv.spec, '@') != NULL;
			const struct dt_type *t;
			struct dt_type vt = t_i64;

			if (cv.dynw || cv.dynp) {
				dt_nerror(cc, where, "D_PRINTF_DYN",
					  "printa( ) conversion #%d: '*' width or precision is not supported",
					  convno);
				return -1;
			}
			if (isagg) {
				if (agg->func == KTRACE_AGG_QUANTIZE || agg->func == KTRACE_AGG_LQUANTIZE ||
				    agg->func == KTRACE_AGG_LLQUANTIZE)
					continue;	/* the distribution is printed */
				if (!strchr("dioxXuc", cv.c)) {
					dt_nerror(cc, where, "D_PRINTF_ARG_PROTO",
						  "printa( ) aggregation conversion #%d (%%%s) must be an integer conversion",
						  convno, cv.spec);
					return -1;
				}
				continue;
			}
			if (keyno >= agg->nuser) {
				dt_nerror(cc, where, "D_PRINTF_ARG_PROTO",
					  "printa( ) prototype mismatch: conversion #%d (%%%s) is missing a corresponding value argument",
					  convno, cv.spec);
				return -1;
			}
			t = keyno < KTRACE_MAX_KEYS ? &agg->keys[keyno] : &vt;
			keyno++;
			if (!conv_accepts(cv.c, t)) {
				char y[64];

				dt_type_name(t, y, sizeof(y));
				dt_nerror(cc, where, "D_PRINTF_ARG_PROTO",
					  "printa( ) key #%d is incompatible with conversion #%d prototype:\n\tconversion: %%%s\n\t prototype: %s\n\t  argument: %s",
					  keyno, convno, cv.spec, conv_proto(cv.c), y);
				return -1;
			}
			continue;
		}
		for (int d = 0; d < cv.dynw + cv.dynp; d++) {
			if (!a) {
				dt_nerror(cc, where, "D_PRINTF_ARG_PROTO",
					  "%s( ) prototype mismatch: conversion #%d (%%%s) is missing a corresponding width/precision argument",
					  fname, convno, cv.spec);
				return -1;
			}
			if (!is_int(&a->type)) {
				char y[64];

				dt_type_name(&a->type, y, sizeof(y));
				dt_nerror(cc, (struct dt_node *)a, "D_PRINTF_DYN_TYPE",
					  "%s( ) argument #%d is incompatible with conversion #%d prototype:\n\tconversion: %%*\n\t prototype: int\n\t  argument: %s",
					  fname, argno, convno, y);
				return -1;
			}
			a = a->next;
			argno++;
		}
		if (!a) {
			dt_nerror(cc, where, "D_PRINTF_ARG_PROTO",
				  "%s( ) prototype mismatch: conversion #%d (%%%s) is missing a corresponding value argument",
				  fname, convno, cv.spec);
			return -1;
		}
		if (!conv_accepts(cv.c, &a->type)) {
			char y[64];

			dt_type_name(&a->type, y, sizeof(y));
			dt_nerror(cc, (struct dt_node *)a, "D_PRINTF_ARG_PROTO",
				  "%s( ) argument #%d is incompatible with conversion #%d prototype:\n\tconversion: %%%s\n\t prototype: %s\n\t  argument: %s",
				  fname, argno, convno, cv.spec, conv_proto(cv.c), y);
			return -1;
		}
		a = a->next;
		argno++;
	}
	if (a && !agg) {
		int need = argno - argno0;

		dt_nerror(cc, (struct dt_node *)a, "D_PRINTF_ARG_EXTRA",
			  "%s( ) prototype mismatch: only %d argument%s required by this format string",
			  fname, need, need == 1 ? "" : "s");
		return -1;
	}
	return 0;
}
