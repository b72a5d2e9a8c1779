// SPDX-License-Identifier: GPL-2.0
/*
 * The D built-in functions as the type checker sees them: subroutines,
 * actions and aggregating functions.  Their names, values and (for
 * subroutines) argument counts come from the uapi's X-macros
 * (KTRACE_SUBRS, KTRACE_ACTIONS, KTRACE_AGGFUNCS), so the compiler cannot
 * disagree with the verifier about them; what is D's alone is written
 * here once, indexed by the uapi value: argument kinds, result types, D's
 * argument counts of actions and aggregating functions, and the other
 * names D accepts (ntohs for htons, jstack for ustack, breakpoint for
 * panic).
 */
#include <string.h>
#include "dt_tc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ----- subroutines ----- */

/* D's side of each subroutine; a string result comes from the X-macro. */
static const struct {
	enum dt_argk	args[3];
	enum dt_ret	ret;		/* unless the X-macro says it returns a string */
	int		dextra;		/* arguments D takes beyond the verifier's (dropped
					 * by the code generator) */
	bool		destructive;
} subr_sig[KTRACE_SUBR_MAX] = {
	[KTRACE_SUBR_STRLEN]	  = { { DT_A_STR }, DT_R_U64 },
	[KTRACE_SUBR_STRJOIN]	  = { { DT_A_STR, DT_A_STR } },
	[KTRACE_SUBR_SUBSTR]	  = { { DT_A_STR, DT_A_INT, DT_A_INT } },
	[KTRACE_SUBR_INDEX]	  = { { DT_A_STR, DT_A_STR, DT_A_INT }, DT_R_I64 },
	[KTRACE_SUBR_RINDEX]	  = { { DT_A_STR, DT_A_STR, DT_A_INT }, DT_R_I64 },
	[KTRACE_SUBR_STRCHR]	  = { { DT_A_STR, DT_A_INT } },
	[KTRACE_SUBR_STRRCHR]	  = { { DT_A_STR, DT_A_INT } },
	[KTRACE_SUBR_STRSTR]	  = { { DT_A_STR, DT_A_STR } },
	[KTRACE_SUBR_STRTOK]	  = { { DT_A_STR, DT_A_STR } },
	[KTRACE_SUBR_TOLOWER]	  = { { DT_A_STR } },
	[KTRACE_SUBR_TOUPPER]	  = { { DT_A_STR } },
	[KTRACE_SUBR_LLTOSTR]	  = { { DT_A_INT, DT_A_INT } },
	[KTRACE_SUBR_BASENAME]	  = { { DT_A_STR } },
	[KTRACE_SUBR_DIRNAME]	  = { { DT_A_STR } },
	[KTRACE_SUBR_CLEANPATH]	  = { { DT_A_STR } },
	[KTRACE_SUBR_HTONS]	  = { { DT_A_INT }, DT_R_U16 },
	[KTRACE_SUBR_HTONL]	  = { { DT_A_INT }, DT_R_U32 },
	[KTRACE_SUBR_HTONLL]	  = { { DT_A_INT }, DT_R_U64 },
	[KTRACE_SUBR_INET_NTOA]	  = { { DT_A_PTR } },
	[KTRACE_SUBR_RAND]	  = { { DT_A_ANY }, DT_R_I32 },
	[KTRACE_SUBR_COPYIN]	  = { { DT_A_PTR, DT_A_INT }, DT_R_KPTR },
	[KTRACE_SUBR_COPYINSTR]	  = { { DT_A_PTR, DT_A_INT } },
	[KTRACE_SUBR_COPYINTO]	  = { { DT_A_PTR, DT_A_INT, DT_A_BUF }, DT_R_VOID },
	[KTRACE_SUBR_KSTRING]	  = { { DT_A_ANY } },	/* stringof(): its own check */
	[KTRACE_SUBR_STACK]	  = { { DT_A_INT }, DT_R_STACK },
	[KTRACE_SUBR_USTACK]	  = { { DT_A_INT, DT_A_INT }, DT_R_USTACK, 1 },
	[KTRACE_SUBR_SPECULATION] = { { DT_A_ANY }, DT_R_I32 },
	[KTRACE_SUBR_STRTOLL]	  = { { DT_A_STR, DT_A_INT }, DT_R_I64 },
	[KTRACE_SUBR_PROGENYOF]	  = { { DT_A_INT }, DT_R_I32 },
	[KTRACE_SUBR_COPYOUT]	  = { { DT_A_PTR, DT_A_PTR, DT_A_INT }, DT_R_VOID, 0, true },
	[KTRACE_SUBR_COPYOUTSTR]  = { { DT_A_STR, DT_A_PTR, DT_A_INT }, DT_R_VOID, 0, true },
	[KTRACE_SUBR_ALLOCA]	  = { { DT_A_INT }, DT_R_KPTR },
	[KTRACE_SUBR_BCOPY]	  = { { DT_A_PTRSTR, DT_A_BUF, DT_A_INT }, DT_R_VOID },
	[KTRACE_SUBR_STRNCMP]	  = { { DT_A_STR, DT_A_STR, DT_A_INT }, DT_R_I32 },
	[KTRACE_SUBR_INET_NTOA6]  = { { DT_A_IN6, DT_A_INT } },
	[KTRACE_SUBR_INET_NTOP]	  = { { DT_A_INT, DT_A_PTR } },
	[KTRACE_SUBR_LINK_NTOP]	  = { { DT_A_INT, DT_A_PTR } },
};

static const struct {
	const char	*name;
	int		id;
	int		min, max;
	bool		string;
} subr_x[] = {
#define DT_SUBR(n, v, str, mn, mx, rs) { str, v, mn, mx, rs },
	KTRACE_SUBRS(DT_SUBR)
#undef DT_SUBR
};

/* Other names of subroutines. */
static const struct {
	const char	*name;
	int		id;
} subr_alias[] = {
	{ "ntohs", KTRACE_SUBR_HTONS }, { "ntohl", KTRACE_SUBR_HTONL },
	{ "ntohll", KTRACE_SUBR_HTONLL }, { "jstack", KTRACE_SUBR_USTACK },
};

bool dt_subr_find(const char *name, struct dt_subr *s)
{
	size_t i;
	int id = -1;

	for (i = 0; i < NELEM(subr_alias); i++)
		if (!strcmp(subr_alias[i].name, name))
			id = subr_alias[i].id;
	for (i = 0; i < NELEM(subr_x); i++) {
		if (id < 0 ? strcmp(subr_x[i].name, name) : subr_x[i].id != id)
			continue;
		id = subr_x[i].id;
		s->id = id;
		s->min = subr_x[i].min;
		s->max = subr_x[i].max + subr_sig[id].dextra;
		memcpy(s->args, subr_sig[id].args, sizeof(s->args));
		s->ret = subr_x[i].string ? DT_R_STRING : subr_sig[id].ret;
		s->destructive = subr_sig[id].destructive;
		return true;
	}
	return false;
}

/* ----- actions usable as statements ----- */

/* D's argument counts (-1: any number); 0..0 for an action D cannot call. */
static const struct {
	int	min, max;
	bool	callable;
} act_sig[KTRACE_ACT_MAX] = {
	[KTRACE_ACT_TRACE]	 = { 1, 1, true },
	[KTRACE_ACT_PRINTF]	 = { 1, -1, true },
	[KTRACE_ACT_PRINTA]	 = { 1, -1, true },
	[KTRACE_ACT_PRINT]	 = { 1, 1, true },
	[KTRACE_ACT_EXIT]	 = { 1, 1, true },
	[KTRACE_ACT_CLEAR]	 = { 1, 1, true },
	[KTRACE_ACT_TRUNC]	 = { 1, 2, true },
	[KTRACE_ACT_NORMALIZE]	 = { 2, 2, true },
	[KTRACE_ACT_DENORMALIZE] = { 1, 1, true },
	[KTRACE_ACT_SETOPT]	 = { 1, 2, true },
	[KTRACE_ACT_SPECULATE]	 = { 1, 1, true },
	[KTRACE_ACT_COMMIT]	 = { 1, 1, true },
	[KTRACE_ACT_DISCARD]	 = { 1, 1, true },
	[KTRACE_ACT_SYSTEM]	 = { 1, -1, true },
	[KTRACE_ACT_RAISE]	 = { 1, 1, true },
	[KTRACE_ACT_STOP]	 = { 0, 0, true },
	[KTRACE_ACT_CHILL]	 = { 1, 1, true },
	[KTRACE_ACT_PANIC]	 = { 0, 0, true },
	[KTRACE_ACT_FTRUNCATE]	 = { 0, 0, true },
	[KTRACE_ACT_FREOPEN]	 = { 1, -1, true },
	[KTRACE_ACT_TRACEMEM]	 = { 2, 3, true },
};

static const struct dt_action actions[] = {
#define DT_ACT(n, v, str, rec, destr) { str, v, 0, 0, destr },
	KTRACE_ACTIONS(DT_ACT)
#undef DT_ACT
};

bool dt_action_find(const char *name, struct dt_action *a)
{
	const char *x = strcmp(name, "breakpoint") ? name : "panic";

	for (size_t i = 0; i < NELEM(actions); i++) {
		int k = actions[i].kind;

		if (strcmp(actions[i].name, x) || !act_sig[k].callable)
			continue;
		*a = actions[i];
		a->name = name;		/* as the program wrote it, for messages */
		a->min = act_sig[k].min;
		a->max = act_sig[k].max;
		return true;
	}
	return false;
}

/* ----- aggregating functions ----- */

/* D's argument counts: the value (not for count()), parameters, increment. */
static const struct {
	int	min, max;
} agg_sig[KTRACE_AGGFUNC_NR] = {
	[KTRACE_AGG_COUNT]	= { 0, 0 },
	[KTRACE_AGG_SUM]	= { 1, 1 },
	[KTRACE_AGG_AVG]	= { 1, 1 },
	[KTRACE_AGG_MIN]	= { 1, 1 },
	[KTRACE_AGG_MAX]	= { 1, 1 },
	[KTRACE_AGG_STDDEV]	= { 1, 1 },
	[KTRACE_AGG_QUANTIZE]	= { 1, 2 },
	[KTRACE_AGG_LQUANTIZE]	= { 3, 5 },
	[KTRACE_AGG_LLQUANTIZE]	= { 5, 6 },
};

static const char *const aggfuncs[KTRACE_AGGFUNC_NR] = {
#define DT_AGG(n, v, str, np) [v] = str,
	KTRACE_AGGFUNCS(DT_AGG)
#undef DT_AGG
};

int dt_aggfunc_lookup(const char *name, int *min, int *max)
{
	for (int f = 0; f < KTRACE_AGGFUNC_NR; f++)
		if (!strcmp(aggfuncs[f], name)) {
			*min = agg_sig[f].min;
			*max = agg_sig[f].max;
			return f;
		}
	return -1;
}

const char *dt_aggfunc_name(int f)
{
	return f >= 0 && f < KTRACE_AGGFUNC_NR ? aggfuncs[f] : "?";
}

/* ----- display-only functions: the value is the argument, the type says how to print ----- */
static const struct {
	const char	*name;
	int		dtype;
} identities[] = {
	{ "sym", KT_DT_SYM }, { "func", KT_DT_SYM }, { "mod", KT_DT_MOD },
	{ "usym", KT_DT_USYM }, { "ufunc", KT_DT_USYM }, { "uaddr", KT_DT_USYM },
	{ "umod", KT_DT_UMOD },
};

int dt_identity_dtype(const char *name)
{
	for (size_t i = 0; i < NELEM(identities); i++)
		if (!strcmp(identities[i].name, name))
			return identities[i].dtype;
	return -1;
}

/* ----- named constants ----- */

/*
 * The fault codes by D's names (the ERROR probe's arg4): DTRACEFLT_BADADDR
 * and the others from the uapi's KTRACE_FAULTS, whose values are DTrace's;
 * its "no fault" code (DTRACEFLT_NONE) is DTrace's DTRACEFLT_UNKNOWN.
 */
static const struct {
	const char	*name;
	int		val;
} faults[] = {
#define FLT_NAME(name, val, str) { "DTRACEFLT_" #name, val },
	KTRACE_FAULTS(FLT_NAME)
#undef FLT_NAME
	{ "DTRACEFLT_UNKNOWN", KTRACE_FAULT_NONE },
};

bool dt_const_lookup(const char *name, int64_t *val)
{
	if (strncmp(name, "DTRACEFLT_", 10))
		return false;
	for (size_t i = 0; i < NELEM(faults); i++)
		if (!strcmp(faults[i].name, name)) {
			*val = faults[i].val;
			return true;
		}
	return false;
}

/* ----- checking a call against its prototype ----- */

int tc_count_list(const struct dt_node *a)
{
	int n = 0;

	for (; a; a = a->next)
		n++;
	return n;
}

bool tc_check_arg_count(struct dt_cc *cc, struct dt_node *n, const char *name, int got,
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
	tc_set_err(n);
	return false;
}

bool tc_arg_ok(const struct dt_node *a, enum dt_argk k)
{
	const struct dt_type *t = &a->type;

	switch (k) {
	case DT_A_STR:	/* or NULL, which faults where it is read, as in DTrace */
		return is_str(t) || (is_int(t) && a->isconst && a->ival == 0);
	case DT_A_PTRSTR:
		return is_scalar(t) || is_str(t);
	case DT_A_INT:
		return is_int(t);
	case DT_A_PTR:
		return is_scalar(t);
	case DT_A_BUF:	/* as DTrace: known at compile time to be alloca memory */
		return is_ptr(t) && t->aspace == DT_AS_KTRACE;
	case DT_A_IN6:
		if (is_int(t))
			return a->isconst && a->ival == 0;
		return is_ptr(t) && t->pdepth == 1 &&
		       ((t->btf && !strcmp(dt_btf_type_name(t->btf), "in6_addr")) ||
			(t->dstruct && !strcmp(dt_dstruct_name(t->dstruct), "in6_addr")));
	default:	/* a float's bits are printed only by printf's %e %f %g */
		return t->kind != DT_T_VOID && t->kind != DT_T_FLOAT;
	}
}

const char *tc_argk_name(enum dt_argk k)
{
	switch (k) {
	case DT_A_STR: return "string";
	case DT_A_INT: return "integer";
	case DT_A_PTR: return "pointer or integer";
	case DT_A_PTRSTR: return "pointer, integer or string";
	case DT_A_BUF: return "alloca pointer";
	case DT_A_IN6: return "struct in6_addr *";
	default: return "any value";
	}
}

bool tc_proto_arg_error(struct dt_cc *cc, struct dt_node *call, const char *fname, int i,
			struct dt_node *a, const char *proto)
{
	char y[64];

	if (!strcmp(proto, "alloca pointer") && is_ptr(&a->type))
		snprintf(y, sizeof(y), "non-alloca pointer");
	else
		dt_type_name(&a->type, y, sizeof(y));
	dt_nerror(cc, a, "D_PROTO_ARG",
		  "%s( ) argument #%d is incompatible with prototype:\n\tprototype: %s\n\t argument: %s",
		  fname, i, proto, y);
	tc_set_err(call);
	return false;
}

bool tc_check_destructive(struct dt_cc *cc, struct dt_node *n, const char *name)
{
	cc->destructive = true;
	if (cc->destructive_ok)
		return true;
	dt_nerror(cc, n, "D_ACT_DESTRUCT",
		  "destructive actions not allowed: %s( ) requires -w or #pragma D option destructive",
		  name);
	return false;
}

/*
 * Is NAME a built-in function (subroutine, action or aggregating function)
 * of D version VERSION?  As DTrace: strstr(), strchr(), strrchr(), strtok(),
 * substr(), index(), rindex() and freopen() came with D 1.1, so a program
 * of version 1.0 may name a variable so; ktrace's others count as 1.0's.
 */
bool dt_builtin_func(const char *name, uint64_t version)
{
	static const char *const v1_1[] = {
		"strstr", "strchr", "strrchr", "strtok", "substr", "index", "rindex", "freopen",
	};
	struct dt_action a;
	struct dt_subr s;
	int min, max;

	if (!dt_subr_find(name, &s) && !dt_action_find(name, &a) &&
	    dt_aggfunc_lookup(name, &min, &max) < 0 && dt_identity_dtype(name) < 0)
		return false;
	for (size_t i = 0; i < NELEM(v1_1); i++)
		if (!strcmp(v1_1[i], name))
			return version >= KT_D_VERSION(1, 1, 0);
	return true;
}

/* the built-in variables (uapi KTRACE_BUILTINS): NAME's KTRACE_VAR_*, or -1 */
int dt_builtin_lookup(const char *name)
{
	static const struct {
		const char	*name;
		int		id;
	} b[] = {
#define KT_BI(n, v, s, str) { s, v },
		KTRACE_BUILTINS(KT_BI)
#undef KT_BI
	};

	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		if (!strcmp(b[i].name, name))
			return b[i].id;
	return -1;
}
