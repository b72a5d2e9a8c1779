// SPDX-License-Identifier: GPL-2.0
/*
 * ptype.c: print( )'s objects, shown from their bytes and the type the
 * compiler described (struct kt_ptype, dt_ptype.c), as dtrace(1) shows
 * them:
 *
 *   0xffff8881054c1a00 = *			(print(P); not for print(S) of a value)
 *                                               (struct test_struct) {
 *                                                .a = (int)1,
 *                                                .b = (char [5]) [
 *                                                 (char)'t',
 *                                                ],
 *                                                .h = (enum eh)SECONDVAL,
 *                                               }
 *
 * The object is indented to where trace( )'s values start after the probe
 * columns ("%3d %6d %32s ": 44), one more space for each level; members
 * whose bytes are all zero are left out (not the object itself, not the
 * elements of an array); a char array's elements end at its first NUL.
 * Only the first printsize bytes are shown: a member past them is "...",
 * and nothing after it.  As DTrace (which visits members and infers the
 * end of a struct from the next member's depth), a struct's closing brace
 * comes when the next member at its depth or above is shown, or at the
 * end: after a "...".  Arrays close right after their elements.
 *
 * -x format=json gives the object as a JSON value instead (kt_json_object):
 * members by name (all of them; an anonymous struct or union's among its
 * parent's, as C names them), char arrays as strings, enums as their
 * enumerators' names.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define PT_INDENT	44	/* the width of the probe columns ("%3d %6d %32s ") */
#define PT_MAX_DEPTH	64

struct pt_show {
	FILE			*fp;
	const struct kt_prog	*p;
	const unsigned char	*data;
	uint64_t		len;		/* bytes shown at most */
	bool			stop;		/* past printsize: "..." is out */
	int			nopen;		/* structs whose '}' is to come */
	int			open[PT_MAX_DEPTH];	/* their depths */
};

/* Bits BITOFF.. (BITS of them; 0: the whole SIZE bytes, at most 8) as an integer. */
static uint64_t pt_bits(const unsigned char *d, uint64_t bitoff, unsigned int bits,
			uint32_t size, bool sign)
{
	uint64_t v = 0;
	unsigned int n = bits ? bits : size * 8, shift = (unsigned int)(bitoff % 8);
	uint32_t first = (uint32_t)(bitoff / 8), nb;

	if (n > 64)
		n = 64;
	nb = (uint32_t)((bitoff + n - 1) / 8) - first + 1;
	for (uint32_t i = 0; i < nb && i < 8; i++)	/* little-endian */
		v |= (uint64_t)d[first + i] << (8 * i);
	if (shift) {
		v >>= shift;
		if (nb > 8)	/* a 64-bit field over 9 bytes: the top bits of the ninth */
			v |= (uint64_t)d[first + 8] << (64 - shift);
	}
	if (n < 64) {
		v &= (1ull << n) - 1;
		if (sign && (v >> (n - 1)) & 1)
			v |= ~0ull << n;
	}
	return v;
}

static bool pt_zero(const unsigned char *d, uint64_t bitoff, unsigned int bits, uint32_t size)
{
	if (bits)
		return pt_bits(d, bitoff, bits, size, false) == 0;
	for (uint32_t i = 0; i < size; i++)
		if (d[bitoff / 8 + i])
			return false;
	return true;
}

static bool pt_scalar(const struct kt_ptype *t)
{
	return t->kind != KT_PT_STRUCT && t->kind != KT_PT_UNION && t->kind != KT_PT_ARRAY;
}

static void pt_indent(struct pt_show *c, int depth)
{
	fprintf(c->fp, "%*s", PT_INDENT + depth, "");
}

/* The '}' of every struct opened at DEPTH or deeper. */
static void pt_close(struct pt_show *c, int depth)
{
	while (c->nopen && c->open[c->nopen - 1] >= depth) {
		int d = c->open[--c->nopen];

		pt_indent(c, d);
		fprintf(c->fp, "}%s\n", d ? "," : "");
	}
}

static void pt_value(FILE *fp, const struct kt_ptype *t, const unsigned char *d, uint64_t bitoff,
		     unsigned int bits, bool in_chars)
{
	uint64_t v;

	switch (t->kind) {
	case KT_PT_INT:
	case KT_PT_ENUM:
		v = pt_bits(d, bitoff, bits, t->size, t->sign);
		if (t->kind == KT_PT_ENUM)
			for (uint32_t i = 0; i < t->n; i++)
				if ((uint64_t)t->e[i].val == v ||
				    (t->size < 8 && (uint64_t)t->e[i].val ==
				     (v & ((1ull << t->size * 8) - 1)))) {
					fputs(t->e[i].name, fp);
					return;
				}
		if (in_chars && isprint((int)(v & 0xff)))
			fprintf(fp, "'%c'", (int)(v & 0xff));
		else if (t->sign)
			fprintf(fp, "%lld", (long long)v);
		else
			fprintf(fp, "%llu", (unsigned long long)v);
		return;
	case KT_PT_PTR:
		fprintf(fp, "0x%llx", (unsigned long long)pt_bits(d, bitoff, 0, 8, false));
		return;
	case KT_PT_FLOAT:
		if (t->size == 4) {
			float f;

			memcpy(&f, d + bitoff / 8, 4);
			fprintf(fp, "%g", f);
		} else {
			double f;

			memcpy(&f, d + bitoff / 8, 8);
			fprintf(fp, "%g", f);
		}
		return;
	default:	/* what ktrace cannot show by its type: the bytes */
		fputs("0x", fp);
		for (uint32_t i = t->size; i-- > 0;)
			fprintf(fp, "%02x", d[bitoff / 8 + i]);
		return;
	}
}

static void pt_show(struct pt_show *c, uint32_t type, uint64_t bitoff, unsigned int bits,
		    const char *name, int depth, bool elem);

static void pt_array(struct pt_show *c, const struct kt_ptype *t, uint64_t bitoff, int depth)
{
	const struct kt_ptype *e = &c->p->ptypes[t->elem];
	bool chars = e->kind == KT_PT_INT && e->ischar && e->size == 1;

	for (uint32_t i = 0; i < t->nelems && !c->stop; i++) {
		uint64_t at = bitoff + (uint64_t)i * e->size * 8;

		if (chars && (at / 8 >= c->len || !c->data[at / 8]))
			break;	/* a string ends at its NUL (or where the bytes end) */
		pt_show(c, t->elem, at, 0, NULL, depth + 1, true);
	}
	pt_close(c, depth + 1);
}

/* Member NAME (NULL: the object, an array element) of type TYPE at BITOFF, at DEPTH. */
static void pt_show(struct pt_show *c, uint32_t type, uint64_t bitoff, unsigned int bits,
		    const char *name, int depth, bool elem)
{
	const struct kt_ptype *t = &c->p->ptypes[type];
	uint64_t end = bits ? (bitoff + bits + 7) / 8 : bitoff / 8 + t->size;

	if (c->stop || type >= c->p->nptypes || depth >= PT_MAX_DEPTH)
		return;
	if (pt_scalar(t) ? end > c->len : bitoff / 8 >= c->len) {
		pt_indent(c, depth);	/* past printsize: the rest is not shown */
		fputs("...\n", c->fp);
		c->stop = true;
		return;
	}
	if (depth && !elem && pt_zero(c->data, bitoff, bits,
				      end > c->len ? (uint32_t)(c->len - bitoff / 8) : t->size))
		return;
	pt_close(c, depth);
	pt_indent(c, depth);
	if (name && *name)
		fprintf(c->fp, ".%s = ", name);
	fprintf(c->fp, "(%s)", t->name);
	switch (t->kind) {
	case KT_PT_STRUCT:
	case KT_PT_UNION:
		fputs(" {\n", c->fp);
		c->open[c->nopen++] = depth;
		for (uint32_t i = 0; i < t->n && !c->stop; i++)
			pt_show(c, t->m[i].type, bitoff + t->m[i].bitoff, t->m[i].bits,
				t->m[i].name, depth + 1, false);
		if (elem)
			pt_close(c, depth);
		return;
	case KT_PT_ARRAY:
		fputs(" [\n", c->fp);
		pt_array(c, t, bitoff, depth);
		pt_indent(c, depth);
		fprintf(c->fp, "]%s\n", depth ? "," : "");
		return;
	default:
		pt_value(c->fp, t, c->data, bitoff, bits, elem && t->ischar && t->size == 1);
		fprintf(c->fp, "%s\n", depth ? "," : "");
	}
}

void kt_print_object(FILE *fp, const struct kt_prog *p, uint32_t type, const struct kt_val *v,
		     int nv, uint64_t printsize)
{
	struct pt_show c = {
		.fp = fp, .p = p, .data = v[0].bytes,
		.len = v[0].nbytes < printsize ? v[0].nbytes : printsize,
	};

	if (nv > 1)	/* print(P): where the object is */
		fprintf(fp, "0x%llx = *\n", (unsigned long long)v[1].i);
	if (type < p->nptypes)
		pt_show(&c, type, 0, 0, NULL, 0, false);
	pt_close(&c, 0);
}

/* ----- JSON ----- */
static void pt_json(FILE *fp, const struct kt_prog *p, uint32_t type, const unsigned char *d,
		    uint64_t len, uint64_t bitoff, unsigned int bits, int depth);

/*
 * The members of struct/union T at BITOFF as "name":value pairs; an
 * anonymous struct or union's members are the struct's own (as in C).
 * False once past printsize.
 */
static bool pt_json_members(FILE *fp, const struct kt_prog *p, const struct kt_ptype *t,
			    const unsigned char *d, uint64_t len, uint64_t bitoff, int depth,
			    bool *first)
{
	for (uint32_t i = 0; i < t->n; i++) {
		const struct kt_ptype *mt = &p->ptypes[t->m[i].type];
		uint64_t at = bitoff + t->m[i].bitoff;
		uint64_t end = t->m[i].bits ? (at + t->m[i].bits + 7) / 8 : at / 8 + mt->size;

		if (pt_scalar(mt) ? end > len : at / 8 >= len)
			return false;	/* past printsize */
		if (!*t->m[i].name && (mt->kind == KT_PT_STRUCT || mt->kind == KT_PT_UNION) &&
		    depth < PT_MAX_DEPTH) {
			if (!pt_json_members(fp, p, mt, d, len, at, depth + 1, first))
				return false;
			continue;
		}
		fputs(*first ? "" : ",", fp);
		*first = false;
		kt_json_string(fp, t->m[i].name);
		fputc(':', fp);
		pt_json(fp, p, t->m[i].type, d, len, at, t->m[i].bits, depth + 1);
	}
	return true;
}

static void pt_json(FILE *fp, const struct kt_prog *p, uint32_t type, const unsigned char *d,
		    uint64_t len, uint64_t bitoff, unsigned int bits, int depth)
{
	const struct kt_ptype *t = &p->ptypes[type];
	const struct kt_ptype *e;
	bool first = true;
	char s[4096];
	uint32_t i, n;

	if (depth >= PT_MAX_DEPTH) {
		fputs("null", fp);
		return;
	}
	switch (t->kind) {
	case KT_PT_STRUCT:
	case KT_PT_UNION:
		fputc('{', fp);
		pt_json_members(fp, p, t, d, len, bitoff, depth, &first);
		fputc('}', fp);
		return;
	case KT_PT_ARRAY:
		e = &p->ptypes[t->elem];
		if (e->kind == KT_PT_INT && e->ischar && e->size == 1) {
			for (n = 0; n < t->nelems && n < sizeof(s) - 1 && bitoff / 8 + n < len &&
				    d[bitoff / 8 + n]; n++)
				s[n] = (char)d[bitoff / 8 + n];
			s[n] = '\0';
			kt_json_string(fp, s);
			return;
		}
		fputc('[', fp);
		for (i = 0; i < t->nelems; i++) {
			uint64_t at = bitoff + (uint64_t)i * e->size * 8;

			if (pt_scalar(e) ? at / 8 + e->size > len : at / 8 >= len)
				break;
			fputs(i ? "," : "", fp);
			pt_json(fp, p, t->elem, d, len, at, 0, depth + 1);
		}
		fputc(']', fp);
		return;
	case KT_PT_ENUM:
		for (i = 0; i < t->n; i++)
			if ((int64_t)pt_bits(d, bitoff, bits, t->size, t->sign) == t->e[i].val) {
				kt_json_string(fp, t->e[i].name);
				return;
			}
		/* fall through */
	case KT_PT_INT:
		if (t->sign)
			fprintf(fp, "%lld", (long long)pt_bits(d, bitoff, bits, t->size, true));
		else
			fprintf(fp, "%llu",
				(unsigned long long)pt_bits(d, bitoff, bits, t->size, false));
		return;
	case KT_PT_PTR:
		fprintf(fp, "%llu", (unsigned long long)pt_bits(d, bitoff, 0, 8, false));
		return;
	default: {
		FILE *m;
		char *buf = NULL;
		size_t blen = 0;

		m = open_memstream(&buf, &blen);
		if (!m) {
			fputs("null", fp);
			return;
		}
		pt_value(m, t, d, bitoff, bits, false);
		fclose(m);
		if (t->kind == KT_PT_FLOAT)	/* a number, but inf and nan */
			fputs(buf && (isdigit((unsigned char)buf[0]) || buf[0] == '-') &&
			      !strchr(buf, 'n') ? buf : "null", fp);
		else
			kt_json_string(fp, buf ? buf : "");
		free(buf);
	}
	}
}

void kt_json_object(FILE *fp, const struct kt_prog *p, uint32_t type, const struct kt_val *v,
		    int nv, uint64_t printsize)
{
	uint64_t len = v[0].nbytes < printsize ? v[0].nbytes : printsize;

	if (nv > 1)
		fprintf(fp, ",\"address\":%llu", (unsigned long long)v[1].i);
	fputs(",\"type\":", fp);
	kt_json_string(fp, type < p->nptypes ? p->ptypes[type].name : "");
	fputs(",\"value\":", fp);
	if (type < p->nptypes)
		pt_json(fp, p, type, v[0].bytes, len, 0, 0, 0);
	else
		fputs("null", fp);
}
