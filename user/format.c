// SPDX-License-Identifier: GPL-2.0
/*
 * format.c: DTrace's output formats -- the printf engine (printf(),
 * printa() formats), trace() output, the default probe line printed
 * without -q, -F flow indentation and stack printing.
 */
#include <ctype.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include "cli.h"
#include "prov.h"

int kt_dtype_enc(int dtype)
{
	switch (dtype) {
	case KT_DT_STRING:
		return KTRACE_TYPE_STRING;
	case KT_DT_STACK:
		return KTRACE_TYPE_STACK;
	case KT_DT_BYTES:
		return KTRACE_TYPE_BYTES;
	case KT_DT_USTACK:
		return KTRACE_TYPE_USTACK;
	case KT_DT_USAMPLE:
	case KT_DT_UCALLER:
	case KT_DT_UCALLER_SYM:
	case KT_DT_UCALLER_MOD:
	case KT_DT_USTACKDEPTH:
		return KTRACE_TYPE_USAMPLE;
	default:
		return KTRACE_TYPE_INT;
	}
}

/*
 * The frames of a raw sample unwound while a record is decoded live in one
 * of these until as many other samples have been decoded (a record has at
 * most KTRACE_TUPLE_MAX values; aggregation keys are kept unwound, see
 * kt_usample_unwound).
 */
#define USAMPLE_POOL	64
static uint64_t usample_pool[USAMPLE_POOL][KTRACE_MAX_STACKFRAMES];
static unsigned int usample_next;

/*
 * What a value derived from a sample (KT_DT_UCALLER...) is: the caller's
 * pc (0 when the stack has one frame) or the number of frames, shown as
 * the built-in is in ustackmode=fp.
 */
static void usample_derive(int dtype, struct kt_val *v)
{
	uint64_t x = 0;

	if (dtype == KT_DT_USTACKDEPTH)	/* as kt_print_stack shows them: up to a 0 */
		while (x < v->depth && v->pcs[x])
			x++;
	else if (v->depth > 1)
		x = v->pcs[1];
	v->enc = KTRACE_TYPE_INT;
	v->dtype = dtype == KT_DT_UCALLER_SYM ? KT_DT_USYM :
		   dtype == KT_DT_UCALLER_MOD ? KT_DT_UMOD :
		   dtype == KT_DT_USTACKDEPTH ? KT_DT_U32 : KT_DT_U64;
	v->i = (int64_t)x;
	v->pcs = NULL;
	v->depth = 0;
}

/*
 * A USAMPLE element: its frames, unwound now from a raw sample or as kept
 * unwound; a derived value (dtype KT_DT_UCALLER...) from them, or as kept
 * derived (KT_USAMPLE_VALUE).
 */
static int decode_usample(const uint8_t *p, size_t len, int dtype, struct kt_val *v)
{
	struct ktrace_usample us;
	uint32_t frames;
	uint64_t *pcs;

	if (len < sizeof(us))
		return -1;
	memcpy(&us, p, sizeof(us));
	if (us.size % 8 || us.size > len - sizeof(us))
		return -1;
	v->enc = KTRACE_TYPE_USTACK;
	v->dtype = KT_DT_USTACK;
	v->pid = (int)us.pid;
	frames = us.frames & ~(KT_USAMPLE_UNWOUND | KT_USAMPLE_VALUE);
	if (us.frames & KT_USAMPLE_VALUE) {
		if (!kt_dt_from_usample(dtype) || us.size != 8)
			return -1;
		usample_derive(dtype, v);
		memcpy(&v->i, p + sizeof(us), 8);
		return (int)(sizeof(us) + 8);
	}
	if (us.frames & KT_USAMPLE_UNWOUND) {
		if (us.size != frames * 8)
			return -1;
		v->depth = frames;
		v->pcs = (const uint64_t *)(p + sizeof(us));
	} else {
		if (frames > KTRACE_MAX_STACKFRAMES)
			frames = KTRACE_MAX_STACKFRAMES;
		pcs = usample_pool[usample_next++ % USAMPLE_POOL];
		v->depth = kt_unwind(v->pid, &us.regs, p + sizeof(us), us.size, pcs, frames);
		v->pcs = pcs;
	}
	if (kt_dt_from_usample(dtype))
		usample_derive(dtype, v);
	return (int)(sizeof(us) + us.size);
}

int kt_usample_unwound(const uint8_t *p, size_t len, int dtype, uint8_t **out, size_t *outlen)
{
	struct ktrace_usample us;
	struct kt_val v;
	int n = decode_usample(p, len, dtype, &v);
	uint64_t x;

	if (n < 0)
		return -1;
	memset(&us, 0, sizeof(us));
	us.pid = (uint64_t)v.pid;
	if (kt_dt_from_usample(dtype)) {
		/* a key of usym/ufunc/uaddr(ucaller) is the function, of umod the module */
		x = (uint64_t)v.i;
		if (v.dtype == KT_DT_USYM)
			x = kt_usym_func(v.pid, x);
		else if (v.dtype == KT_DT_UMOD)
			x = kt_umod_base(v.pid, x);
		us.size = 8;
		us.frames = KT_USAMPLE_UNWOUND | KT_USAMPLE_VALUE;
	} else {
		us.size = v.depth * 8;
		us.frames = v.depth | KT_USAMPLE_UNWOUND;
	}
	*outlen = sizeof(us) + us.size;
	*out = malloc(*outlen);
	if (!*out)
		return -1;
	memcpy(*out, &us, sizeof(us));
	memcpy(*out + sizeof(us), kt_dt_from_usample(dtype) ? (const void *)&x : (const void *)v.pcs,
	       us.size);
	return n;
}

int kt_decode_val(const uint8_t *p, size_t len, int enc, int dtype, struct kt_val *v)
{
	uint64_t depth, pid;
	size_t n;

	memset(v, 0, sizeof(*v));
	v->enc = enc;
	v->dtype = dtype;
	switch (enc) {
	case KTRACE_TYPE_INT:
		if (len < 8)
			return -1;
		memcpy(&v->i, p, 8);
		return 8;
	case KTRACE_TYPE_STRING:
		n = strnlen((const char *)p, len);
		if (n == len)
			return -1;
		v->s = (const char *)p;
		return (int)((n + 1 + 7) & ~(size_t)7) <= (int)len ? (int)((n + 1 + 7) & ~(size_t)7) : -1;
	case KTRACE_TYPE_STACK:
		if (len < 8)
			return -1;
		memcpy(&depth, p, 8);
		if (depth > (len - 8) / 8)
			return -1;
		v->depth = (uint32_t)depth;
		v->pcs = (const uint64_t *)(p + 8);
		return (int)(8 + depth * 8);
	case KTRACE_TYPE_USAMPLE:
		return decode_usample(p, len, dtype, v);
	case KTRACE_TYPE_BYTES:		/* the count, the bytes, zeros to 8 */
		if (len < 8)
			return -1;
		memcpy(&depth, p, 8);
		if (depth > len - 8 || ((8 + depth + 7) & ~(uint64_t)7) > len)
			return -1;
		v->bytes = p + 8;
		v->nbytes = (uint32_t)depth;
		return (int)((8 + depth + 7) & ~(uint64_t)7);
	case KTRACE_TYPE_USTACK:
		if (len < 16)
			return -1;
		memcpy(&pid, p, 8);
		memcpy(&depth, p + 8, 8);
		if (depth > (len - 16) / 8)
			return -1;
		v->pid = (int)pid;
		v->depth = (uint32_t)depth;
		kt_upid_note(v->pid);
		v->pcs = (const uint64_t *)(p + 16);
		return (int)(16 + depth * 8);
	}
	return -1;
}

int kt_vals_fold_upid(struct kt_val *v, int n)
{
	int i, k = 0;

	for (i = 0; i < n; i++) {
		if (v[i].dtype == KT_DT_UPID && i + 1 < n) {
			v[i + 1].pid = (int)v[i].i;
			kt_upid_note(v[i + 1].pid);
			continue;
		}
		v[k++] = v[i];
	}
	return k;
}

/* ------------------------------------------------------------ symbols --- */

void kt_print_stack(FILE *fp, const struct kt_val *v, int indent, const char *fmt)
{
	char sym[512];
	uint32_t i;

	fputc('\n', fp);
	for (i = 0; i < v->depth; i++) {
		uint64_t pc = v->pcs[i];

		if (pc == 0)
			break;
		if (v->enc == KTRACE_TYPE_USTACK)
			kt_addr_text(KT_DT_USYM, v->pid, pc, true, sym, sizeof(sym));
		else
			kt_addr_text(KT_DT_SYM, 0, pc, true, sym, sizeof(sym));
		fprintf(fp, "%*s", indent, "");
		if (fmt)
			fprintf(fp, fmt, sym);
		else
			fputs(sym, fp);
		fputc('\n', fp);
	}
}

/* ------------------------------------------------------ probe lines --- */

void kt_print_header(FILE *fp, const struct kt_cliopts *o)
{
	if (o->quiet)
		return;
	if (o->flowindent)
		fprintf(fp, "%3s %-41s\n", "CPU", "FUNCTION");
	else
		fprintf(fp, "%3s %6s %32s\n", "CPU", "ID", "FUNCTION:NAME");
}

static bool name_is(const char *n, const char *what)
{
	size_t ln = strlen(n), lw = strlen(what);

	if (ln < lw || strcmp(n + ln - lw, what))
		return false;
	return ln == lw || n[ln - lw - 1] == '-';
}

void kt_print_probe(FILE *fp, const struct kt_cliopts *o, struct kt_flow *fl,
		    int cpu, const struct ktrace_probe_desc *pd)
{
	char name[KTRACE_FUNCNAMELEN + KTRACE_NAMELEN + 512];
	const char *prefix = "| ";
	int flow = 0;

	if (!o->flowindent) {
		snprintf(name, sizeof(name), "%s:%s", pd->function, pd->name);
		fprintf(fp, "%3d %6u %32s ", cpu, pd->id, name);
		return;
	}
	/* as dtrace(1): " -> func" (a space first: "  0  -> func"), a non-flow probe "| f:n" */
	if (name_is(pd->name, "entry")) {
		flow = 1;
		prefix = kt_prov_has(pd->provider, KT_PROV_SYSCALLS) ? " => " : " -> ";
	} else if (name_is(pd->name, "return")) {
		flow = -1;
		prefix = kt_prov_has(pd->provider, KT_PROV_SYSCALLS) ? " <= " : " <- ";
		if (fl->indent >= 2)
			fl->indent -= 2;
	}
	if (flow == 0)
		snprintf(name, sizeof(name), "%*s%s%s:%s", fl->indent, "", prefix,
			 pd->function, pd->name);
	else
		snprintf(name, sizeof(name), "%*s%s%s", fl->indent, "", prefix, pd->function);
	fprintf(fp, "%3d %-41s ", cpu, name);
	if (flow == 1)
		fl->indent += 2;
}

/* ------------------------------------------------------------ trace() --- */

static bool printable_string(const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		if (!(isprint(c) || isspace(c) || c == '\b' || c == '\a'))
			return false;
	}
	return true;
}

/*
 * N bytes at C as dtrace(1)'s byte dump: a heading of the 16 column
 * offsets, then per 16 bytes the offset, the bytes in hex and as text
 * ('.' for what does not print).
 */
static void print_bytes(FILE *fp, const unsigned char *c, size_t n)
{
	size_t i, j;

	fprintf(fp, "\n%11s", "");
	for (i = 0; i < 16; i++)
		fprintf(fp, "  %c", "0123456789abcdef"[i]);
	fputs("  0123456789abcdef\n", fp);
	for (i = 0; i < n; i += 16) {
		fprintf(fp, "%10zx:", i);
		for (j = i; j < i + 16 && j < n; j++)
			fprintf(fp, " %02x", c[j]);
		for (; j < i + 16; j++)
			fputs("   ", fp);
		fputs("  ", fp);
		for (j = i; j < i + 16 && j < n; j++)
			fputc(c[j] < ' ' || c[j] > '~' ? '.' : c[j], fp);
		fputc('\n', fp);
	}
}

/*
 * trace() of a string with -x rawbytes: its strsize bytes and the NUL
 * (what follows the string is zeros), as dtrace(1) shows them.
 */
static void print_string_bytes(FILE *fp, const char *s, const struct kt_cliopts *o)
{
	size_t n = (o->k.strsize ? o->k.strsize : KTRACE_DEF_STRSIZE) + 1, len = strlen(s);
	unsigned char *buf = calloc(1, n);

	if (!buf) {
		fputs(s, fp);
		return;
	}
	memcpy(buf, s, len < n ? len : n - 1);
	print_bytes(fp, buf, n);
	free(buf);
}

void kt_print_trace(FILE *fp, const struct kt_val *v, const struct kt_cliopts *o)
{
	char sym[512];

	switch (v->enc) {
	case KTRACE_TYPE_STRING:
		if (o->rawbytes) {
			print_string_bytes(fp, v->s, o);
			return;
		}
		if (!printable_string(v->s)) {
			const unsigned char *c = (const unsigned char *)v->s;
			size_t i, n = strlen(v->s);

			for (i = 0; i < n; i++)
				fprintf(fp, " %02x", c[i]);
			return;
		}
		if (o->quiet)
			fputs(v->s, fp);
		else
			fprintf(fp, "  %-33s", v->s);
		return;
	case KTRACE_TYPE_STACK:
	case KTRACE_TYPE_USTACK:
		kt_print_stack(fp, v, o->stackindent, NULL);
		return;
	case KTRACE_TYPE_BYTES:		/* none (tracemem()'s size 0): nothing */
		if (v->nbytes)
			print_bytes(fp, v->bytes, v->nbytes);
		return;
	}
	switch (v->dtype) {
	case KT_DT_SYM:
	case KT_DT_USYM:
	case KT_DT_MOD:
	case KT_DT_UMOD:
		kt_addr_text(v->dtype, v->pid, (uint64_t)v->i, false, sym, sizeof(sym));
		fprintf(fp, "  %-50s", sym);
		return;
	/*
	 * as dtrace(1): by the value's type, signed or unsigned, in its width
	 * (a 64-bit value in 20 columns, as DTrace's suite shows trace(++x))
	 */
	case KT_DT_S32:
		fprintf(fp, o->quiet ? "%d" : " %10d", (int32_t)v->i);
		return;
	case KT_DT_U32:
		fprintf(fp, o->quiet ? "%u" : " %10u", (uint32_t)v->i);
		return;
	case KT_DT_S16:
		fprintf(fp, o->quiet ? "%d" : " %5d", (int16_t)v->i);
		return;
	case KT_DT_U16:
		fprintf(fp, o->quiet ? "%u" : " %5u", (uint16_t)v->i);
		return;
	case KT_DT_S8:
	case KT_DT_CHAR:
		fprintf(fp, o->quiet ? "%d" : " %3d", (int8_t)v->i);
		return;
	case KT_DT_U8:
		fprintf(fp, o->quiet ? "%u" : " %3u", (uint8_t)v->i);
		return;
	case KT_DT_U64:
		fprintf(fp, o->quiet ? "%llu" : " %19llu", (unsigned long long)v->i);
		return;
	default:
		fprintf(fp, o->quiet ? "%lld" : " %19lld", (long long)v->i);
	}
}

/* ------------------------------------------------------------ printf --- */

struct kt_spec {
	char	flags[8];
	int	nflags;
	int	width;		/* -1: none */
	int	prec;		/* -1: none */
	int	lmod;		/* 0 none, 'h' 'H'(hh) 'l' 'L'(ll) 'j' 'z' 't' */
	bool	agg;		/* %@ */
	char	conv;
};

static int nat_bits(int dtype)
{
	switch (dtype) {
	case KT_DT_S32: case KT_DT_U32:
		return 32;
	case KT_DT_S16: case KT_DT_U16:
		return 16;
	case KT_DT_S8: case KT_DT_U8: case KT_DT_CHAR:
		return 8;
	default:
		return 64;
	}
}

/* The value of a float (its bits in the low 32 of I) or a double (I's bits). */
static double float_bits(int64_t i, int dtype)
{
	uint32_t w = (uint32_t)i;
	float f;
	double d;

	if (dtype == KT_DT_FLOAT) {
		memcpy(&f, &w, sizeof(f));
		return f;
	}
	memcpy(&d, &i, sizeof(d));
	return d;
}

static bool dtype_unsigned(int dtype)
{
	return dtype == KT_DT_U64 || dtype == KT_DT_U32 || dtype == KT_DT_U16 ||
	       dtype == KT_DT_U8 || dtype == KT_DT_PTR || dtype == KT_DT_SYM ||
	       dtype == KT_DT_USYM || dtype == KT_DT_MOD || dtype == KT_DT_UMOD;
}

/*
 * The C format of one conversion.  As in dtrace(1), a precision of 0 is no
 * precision ("%.0s" and "%.*s" of 0 print the whole string).
 */
static void build_cfmt(char *cf, size_t n, const struct kt_spec *sp, const char *len, char conv)
{
	int o = 0;

	o += snprintf(cf + o, n - o, "%%%.*s", sp->nflags, sp->flags);
	if (sp->width >= 0)
		o += snprintf(cf + o, n - o, "%d", sp->width);
	if (sp->prec > 0)
		o += snprintf(cf + o, n - o, ".%d", sp->prec);
	snprintf(cf + o, n - o, "%s%c", len, conv);
}

/* Integer value after the length modifier and natural width. */
static long long int_signed(int64_t v, int dtype, int lmod)
{
	int bits = nat_bits(dtype);

	if (lmod == 'H')
		bits = 8;
	else if (lmod == 'h')
		bits = 16;
	if (bits == 8)
		return dtype_unsigned(dtype) && lmod != 'H' && lmod != 'h' ? (uint8_t)v : (int8_t)v;
	if (bits == 16)
		return dtype_unsigned(dtype) && lmod != 'H' && lmod != 'h' ? (uint16_t)v : (int16_t)v;
	if (bits == 32)
		return dtype_unsigned(dtype) ? (long long)(uint32_t)v : (int32_t)v;
	return v;
}

static unsigned long long int_unsigned(int64_t v, int dtype, int lmod)
{
	int bits = nat_bits(dtype);

	if (lmod == 'H')
		bits = 8;
	else if (lmod == 'h')
		bits = 16;
	if (bits == 8)
		return (uint8_t)v;
	if (bits == 16)
		return (uint16_t)v;
	if (bits == 32)
		return (uint32_t)v;
	return (uint64_t)v;
}

/*
 * %Y: "2003 Sep  3 10:23:41"; %T, as DTrace's: RFC 822 style with the
 * zone, "Wed, 03 Sep 2003 10:23:41 PDT" (its year is the ISO 8601 week's,
 * as DTrace's: 31 Dec 1969 is in 1970's first week).  Local time (TZ).
 */
static void fmt_walltime(char *buf, size_t n, int64_t ns, char conv)
{
	time_t t = (time_t)(ns / 1000000000LL);
	struct tm tm;

	if (!localtime_r(&t, &tm)) {
		snprintf(buf, n, "%lld", (long long)ns);
		return;
	}
	strftime(buf, n, conv == 'T' ? "%a, %d %b %G %T %Z" : "%Y %b %e %T", &tm);
}

/* %S: the string with C escapes for control characters, \\ and quotes. */
static char *escape_str(const char *s)
{
	char *out = malloc(strlen(s) * 4 + 1), *o = out;
	static const char from[] = "\a\b\f\n\r\t\v\\\"'", to[] = "abfnrtv\\\"'";

	if (!out)
		return NULL;
	for (; *s; s++) {
		unsigned char c = *s;
		const char *e = c ? strchr(from, c) : NULL;

		if (e) {
			*o++ = '\\';
			*o++ = to[e - from];
		} else if (!isprint(c)) {
			o += sprintf(o, "\\%03o", c);
		} else {
			*o++ = c;
		}
	}
	*o = '\0';
	return out;
}

/* Print one non-@ conversion of argument v. */
static int fmt_one(FILE *fp, const struct kt_spec *sp, const struct kt_val *v,
		   const struct kt_cliopts *o, char *errbuf, size_t errlen)
{
	char cf[64], sym[512];
	int n;

	switch (sp->conv) {
	case 'd': case 'i':
		if (v->enc != KTRACE_TYPE_INT)
			goto badarg;
		/* as dtrace(1): %d of an unsigned value prints it unsigned */
		if (dtype_unsigned(v->dtype) && !sp->lmod) {
			build_cfmt(cf, sizeof(cf), sp, "ll", 'u');
			return fprintf(fp, cf, int_unsigned(v->i, v->dtype, sp->lmod));
		}
		build_cfmt(cf, sizeof(cf), sp, "ll", sp->conv);
		return fprintf(fp, cf, int_signed(v->i, v->dtype, sp->lmod));
	case 'u': case 'o': case 'x': case 'X':
		if (v->enc != KTRACE_TYPE_INT)
			goto badarg;
		build_cfmt(cf, sizeof(cf), sp, "ll", sp->conv);
		return fprintf(fp, cf, int_unsigned(v->i, v->dtype, sp->lmod));
	case 'c':
		if (v->enc != KTRACE_TYPE_INT)
			goto badarg;
		build_cfmt(cf, sizeof(cf), sp, "", 'c');
		return fprintf(fp, cf, (int)(unsigned char)v->i);
	case 'p':
		/* as dtrace(1): %p is the address in hex, %x of 64 bits */
		if (v->enc != KTRACE_TYPE_INT)
			goto badarg;
		build_cfmt(cf, sizeof(cf), sp, "ll", 'x');
		return fprintf(fp, cf, (unsigned long long)v->i);
	case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
		if (v->enc != KTRACE_TYPE_INT)
			goto badarg;
		build_cfmt(cf, sizeof(cf), sp, "", sp->conv);
		if (v->dtype == KT_DT_FLOAT || v->dtype == KT_DT_DOUBLE)
			return fprintf(fp, cf, float_bits(v->i, v->dtype));
		return fprintf(fp, cf, dtype_unsigned(v->dtype) ? (double)(uint64_t)v->i : (double)v->i);
	case 's': case 'S':
		build_cfmt(cf, sizeof(cf), sp, "", 's');
		if (v->enc == KTRACE_TYPE_STRING && sp->conv == 'S') {
			char *e = escape_str(v->s);

			n = e ? fprintf(fp, cf, e) : -1;
			free(e);
			return n;
		}
		if (v->enc == KTRACE_TYPE_STRING)
			return fprintf(fp, cf, v->s);
		if (v->enc == KTRACE_TYPE_INT) {
			snprintf(sym, sizeof(sym), "%lld", (long long)v->i);
			return fprintf(fp, cf, sym);
		}
		goto badarg;
	case 'a': case 'A':
		if (v->enc != KTRACE_TYPE_INT)
			goto badarg;
		kt_addr_text(sp->conv == 'a' ? KT_DT_SYM : KT_DT_USYM, v->pid, (uint64_t)v->i,
			     true, sym, sizeof(sym));
		build_cfmt(cf, sizeof(cf), sp, "", 's');
		return fprintf(fp, cf, sym);
	case 'k':
		if (v->enc != KTRACE_TYPE_STACK && v->enc != KTRACE_TYPE_USTACK)
			goto badarg;
		kt_print_stack(fp, v, o ? o->stackindent : 14, NULL);
		return 0;
	case 'Y': case 'T':
		if (v->enc != KTRACE_TYPE_INT)
			goto badarg;
		fmt_walltime(sym, sizeof(sym), v->i, sp->conv);
		build_cfmt(cf, sizeof(cf), sp, "", 's');
		return fprintf(fp, cf, sym);
	}
	snprintf(errbuf, errlen, "invalid conversion '%%%c'", sp->conv);
	return -1;
badarg:
	snprintf(errbuf, errlen, "argument of the wrong type for '%%%c'", sp->conv);
	return -1;
	(void)n;
}

static int fmt_aggval(FILE *fp, const struct kt_spec *sp, const struct kt_aggdata *d,
		      const struct kt_cliopts *o, char *errbuf, size_t errlen)
{
	const struct ktrace_agg_desc *ad = d->ad;
	struct kt_val v;
	int64_t norm = d->normal ? d->normal : 1;

	memset(&v, 0, sizeof(v));
	v.enc = KTRACE_TYPE_INT;
	v.dtype = d->vdtype;
	switch (ad->func) {
	case KTRACE_AGG_QUANTIZE:
	case KTRACE_AGG_LQUANTIZE:
	case KTRACE_AGG_LLQUANTIZE:
		kt_agg_print_value(fp, d, false);
		return 0;
	case KTRACE_AGG_AVG:
		v.dtype = KT_DT_S64;
		v.i = kt_agg_avg(d->e->vals, norm);
		break;
	case KTRACE_AGG_STDDEV:
		v.dtype = KT_DT_U64;
		v.i = d->e->vals[0] ? (int64_t)kt_stddev(d->e->vals, norm) : 0;
		break;
	default:
		v.i = d->e->vals[0] / norm;
	}
	return fmt_one(fp, sp, &v, o, errbuf, errlen);
}

/*
 * As dtrace(1): a '0' flag cancels an earlier '-' and a '-' an earlier '0'
 * ("%-05d" zero-pads, "%0-5d" left-justifies).  ' (grouping) is ignored.
 */
static void add_flag(struct kt_spec *sp, char c)
{
	char cancel = c == '0' ? '-' : c == '-' ? '0' : 0;
	int i, j;

	if (c == '\'')
		return;
	for (i = j = 0; i < sp->nflags; i++)
		if (sp->flags[i] != cancel && sp->flags[i] != c)
			sp->flags[j++] = sp->flags[i];
	sp->nflags = j;
	if (sp->nflags < (int)sizeof(sp->flags) - 2)
		sp->flags[sp->nflags++] = c;
}

/* One conversion (kt_fmt_parse()), its '*' width and precision taken from args. */
static int parse_spec(const char **pp, struct kt_spec *sp, const struct kt_val *args,
		      int nargs, int *ai, char *errbuf, size_t errlen)
{
	struct kt_fmtspec f;

	kt_fmt_parse(pp, &f);
	memset(sp, 0, sizeof(*sp));
	for (int i = 0; i < f.nflags; i++)
		if (f.flags[i] != '@' && f.flags[i] != '?')
			add_flag(sp, f.flags[i]);
	sp->agg = f.agg;
	sp->width = f.width;
	if (f.width == KT_FMT_STAR) {
		if (*ai >= nargs || args[*ai].enc != KTRACE_TYPE_INT) {
			snprintf(errbuf, errlen, "missing width argument");
			return -1;
		}
		int64_t w = args[(*ai)++].i;

		if (w < 0) {
			sp->flags[sp->nflags++] = '-';
			w = w == INT64_MIN ? INT64_MAX : -w;
		}
		sp->width = w > KT_FMT_MAX_WIDTH ? KT_FMT_MAX_WIDTH : (int)w;
	}
	sp->prec = f.prec;
	if (f.prec == KT_FMT_STAR) {
		if (*ai >= nargs || args[*ai].enc != KTRACE_TYPE_INT) {
			snprintf(errbuf, errlen, "missing precision argument");
			return -1;
		}
		int64_t pr = args[(*ai)++].i;

		sp->prec = pr < 0 ? -1 : pr > KT_FMT_MAX_WIDTH ? KT_FMT_MAX_WIDTH : (int)pr;
	}
	sp->lmod = f.lmod;
	if (!f.conv) {
		snprintf(errbuf, errlen, "format ends in a conversion");
		return -1;
	}
	/* '?' and a second length modifier are conversions nothing prints */
	sp->conv = f.qmark ? '?' : f.badlen ? f.badlen : f.conv;
	return 0;
}

int kt_format(FILE *fp, const char *fmt, const struct kt_val *args, int nargs,
	      const struct kt_aggdata *agg, const struct kt_cliopts *o,
	      char *errbuf, size_t errlen)
{
	const char *p = fmt;
	const struct kt_aggdata *lastagg = NULL;
	int ai = 0, total = 0, r;
	struct kt_spec sp;

	while (*p) {
		const char *pct = strchr(p, '%');

		if (!pct) {
			total += fprintf(fp, "%s", p);
			break;
		}
		if (pct > p)
			total += (int)fwrite(p, 1, pct - p, fp);
		p = pct + 1;
		if (*p == '%') {
			fputc('%', fp);
			total++;
			p++;
			continue;
		}
		if (parse_spec(&p, &sp, args, nargs, &ai, errbuf, errlen) < 0)
			return -1;
		if (sp.agg) {
			/* %@ beyond the aggregations given re-converts the last one */
			if (agg && !agg->ad && lastagg)
				agg = lastagg;
			if (!agg || !agg->ad) {
				snprintf(errbuf, errlen, agg ? "too many %%@ conversions" :
					 "%%@ is only valid in printa()");
				return -1;
			}
			r = fmt_aggval(fp, &sp, agg, o, errbuf, errlen);
			lastagg = agg++;
		} else {
			if (ai >= nargs) {
				snprintf(errbuf, errlen, "too few arguments for the format");
				return -1;
			}
			r = fmt_one(fp, &sp, &args[ai++], o, errbuf, errlen);
		}
		if (r < 0)
			return -1;
		total += r;
	}
	return total;
}
