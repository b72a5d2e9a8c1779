// SPDX-License-Identifier: GPL-2.0
/*
 * fmtspec.c: the one parser of a printf()/printa() conversion, for the
 * compiler's check of a format against its arguments (dt_printf.c) and
 * the consumer's formatting (format.c), so what the compiler accepts is
 * what the consumer reads.
 *
 *   % [flags: - + space # 0 ' @ ?] [width | *] [. [precision | *]] [?] [@]
 *     [h hh l ll j z t L] conversion
 *
 * As in DTrace, a '?' among the flags is the width of a pointer (16) when
 * no width follows; a '?' after the precision is no conversion at all.
 *
 * Widths and precisions saturate at KT_FMT_MAX_WIDTH (format.c clamps a '*'
 * argument the same way).
 *
 * '@' among the flags or after the width and precision ("%8@d", as DTrace
 * allows) makes it printa()'s aggregation value.
 */
#include <ctype.h>
#include <string.h>
#include "kt_user.h"

/* Decimal digits at *pp, saturated at KT_FMT_MAX_WIDTH. */
static int fmt_number(const char **pp)
{
	const char *p = *pp;
	int v = 0;

	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p++ - '0');
		if (v > KT_FMT_MAX_WIDTH)
			v = KT_FMT_MAX_WIDTH;
	}
	*pp = p;
	return v;
}

void kt_fmt_parse(const char **pp, struct kt_fmtspec *sp)
{
	const char *p = *pp;

	memset(sp, 0, sizeof(*sp));
	sp->start = p;
	sp->flags = p;
	sp->width = -1;
	while (*p && strchr("-+ #0'@?", *p)) {
		if (*p == '@')
			sp->agg = true;
		else if (*p == '?')
			sp->width = KT_FMT_PTR_WIDTH;
		p++;
	}
	sp->nflags = (int)(p - sp->flags);
	if (*p == '*') {
		sp->width = KT_FMT_STAR;
		p++;
	} else if (isdigit((unsigned char)*p)) {
		sp->width = fmt_number(&p);
	}
	sp->prec = -1;
	if (*p == '.') {
		p++;
		sp->prec = 0;
		if (*p == '*') {
			sp->prec = KT_FMT_STAR;
			p++;
		} else {
			sp->prec = fmt_number(&p);
		}
	}
	if (*p == '?') {
		sp->qmark = true;
		p++;
	}
	if (*p == '@') {
		sp->agg = true;
		p++;
	}
	if (p[0] == 'h' && p[1] == 'h') {
		sp->lmod = 'H';
		p += 2;
	} else if (p[0] == 'l' && p[1] == 'l') {
		sp->lmod = 'L';
		p += 2;
	} else if (*p && strchr("hljztL", *p)) {
		sp->lmod = *p++;
	}
	if (*p && strchr("hlLjzt", *p)) {
		sp->badlen = *p;
		while (*p && strchr("hlLjzt", *p))
			p++;
	}
	sp->conv = *p;
	if (*p)
		p++;
	sp->len = (size_t)(p - sp->start);
	*pp = p;
}
