// SPDX-License-Identifier: GPL-2.0
/*
 * printf( ) and printa( ) formats checked against their arguments
 * (D_PRINTF_ARG_PROTO, D_PRINTF_ARG_EXTRA...).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "dt_tc.h"

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
	case 'Y': case 'T':
		return "integer (nanoseconds since the epoch)";
	default:
		return "float, double or integer";	/* e f g: an integer converted */
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
	case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
		return is_scalar(t) || (t->kind == DT_T_FLOAT && t->size <= 8);
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
		struct kt_fmtspec fs;
		struct conv cv;
		size_t n;

		memset(&cv, 0, sizeof(cv));
		p++;
		if (*p == '%') {
			p++;
			continue;
		}
		convno++;
		kt_fmt_parse(&p, &fs);
		cv.dynw = fs.width == KT_FMT_STAR;
		cv.dynp = fs.prec == KT_FMT_STAR;
		if (fs.agg && !agg) {
			dt_nerror(cc, where, "D_PRINTF_AGG_CONV",
				  "%s( ) format conversion #%d (%%@) requires an aggregation (printa)",
				  fname, convno);
			return -1;
		}
		if (!fs.conv) {
			dt_nerror(cc, where, "D_PRINTF_FMT",
				  "%s( ) format conversion #%d is incomplete: %%%s", fname, convno,
				  fs.start);
			return -1;
		}
		cv.c = fs.conv;
		n = fs.len;
		if (n >= sizeof(cv.spec))
			n = sizeof(cv.spec) - 1;
		memcpy(cv.spec, fs.start, n);
		cv.spec[n] = '\0';
		if (!strchr("aAcCdeEfFgGikopsSTuxXY", cv.c)) {
			dt_nerror(cc, where, "D_PRINTF_FMT",
				  "%s( ) format conversion #%d is undefined: %%%s", fname, convno, cv.spec);
			return -1;
		}
		if (agg) {
			bool isagg = strchr(cv.spec, '@') != NULL;
			const struct dt_type *t;
			struct dt_type vt = dt_t_i64;

			/* as DTrace: a '*' width or precision takes the next key */
			for (int d = 0; d < cv.dynw + cv.dynp; d++) {
				if (keyno >= agg->nuser) {
					dt_nerror(cc, where, "D_PRINTF_ARG_PROTO",
						  "printa( ) prototype mismatch: conversion #%d (%%%s) is missing a corresponding width/precision argument",
						  convno, cv.spec);
					return -1;
				}
				t = keyno < KTRACE_MAX_KEYS ? &agg->keys[keyno] : &vt;
				keyno++;
				if (!is_int(t)) {
					dt_nerror(cc, where, "D_PRINTF_DYN_TYPE",
						  "printa( ) key #%d is incompatible with conversion #%d prototype:\n\tconversion: %%*\n\t prototype: int",
						  keyno, convno);
					return -1;
				}
			}
			if (isagg) {
				if (agg->func == KTRACE_AGG_QUANTIZE || agg->func == KTRACE_AGG_LQUANTIZE ||
				    agg->func == KTRACE_AGG_LLQUANTIZE)
					continue;	/* the distribution is printed */
				/* integers, and the dates of nanoseconds (min(walltimestamp)) */
				if (!strchr("dioxXucYT", cv.c)) {
					dt_nerror(cc, where, "D_PRINTF_ARG_PROTO",
						  "printa( ) aggregation conversion #%d (%%%s) must be an integer or date conversion",
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
		if (cv.c == 'A' && !a->type.dtype)	/* recorded with its pid, as usym() */
			((struct dt_node *)a)->type.dtype = KT_DT_USYM + 1;
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
