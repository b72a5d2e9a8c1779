// SPDX-License-Identifier: GPL-2.0
/*
 * options.c: the one table of ktrace's options.  -x NAME[=VALUE], -b SIZE,
 * #pragma D option NAME[=VALUE] (checked by the compiler, applied by the
 * CLI), setopt() at run time and the offline check of ktrace -e all go
 * through it, so a name, its value syntax, its default and its range are
 * written once.
 *
 * The options the kernel owns (struct ktrace_opts) come from the uapi's
 * KTRACE_OPTS_LIMITS: their kind, default and range are the very ones the
 * module checks at LOAD, so a value the kernel would refuse is refused
 * here first, with or without the module.  Their fields stay 0 in
 * struct kt_cliopts until set: 0 asks the kernel for its default.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define NS_PER_SEC	1000000000ull

#define CLI(f)		offsetof(struct kt_cliopts, f), sizeof(((struct kt_cliopts *)0)->f)
#define KOPT(f)		CLI(k.f)

static const struct kt_optdesc opt_table[] = {
	/* the kernel's session options, from the uapi's one definition */
#define KT_KERNEL_OPT(f, kind, def, lo, hi)					\
	{ #f, KT_OPT_##kind, KT_OPTW_KERNEL, KOPT(f), def, lo, hi },
	KTRACE_OPTS_LIMITS(KT_KERNEL_OPT)
#undef KT_KERNEL_OPT
	/* flags: the compiler's, the kernel's (LOAD flags) and the consumer's */
	{ "destructive", KT_OPT_FLAG, KT_OPTW_COMPILER | KT_OPTW_KERNEL,
	  CLI(destructive), 0, 0, 1 },
	{ "nodeadman", KT_OPT_FLAG, KT_OPTW_KERNEL, CLI(nodeadman), 0, 0, 1 },
	{ "defaultargs", KT_OPT_FLAG, KT_OPTW_COMPILER, CLI(defaultargs), 0, 0, 1 },
	{ "quiet", KT_OPT_FLAG, KT_OPTW_CLI, CLI(quiet), 0, 0, 1 },
	{ "flowindent", KT_OPT_FLAG, KT_OPTW_CLI, CLI(flowindent), 0, 0, 1 },
	{ "zdefs", KT_OPT_FLAG, KT_OPTW_CLI, CLI(zdefs), 0, 0, 1 },
	{ "rawbytes", KT_OPT_FLAG, KT_OPTW_CLI, CLI(rawbytes), 0, 0, 1 },
	{ "noresolve", KT_OPT_FLAG, KT_OPTW_CLI, CLI(noresolve), 0, 0, 1 },
	{ "aggsortkey", KT_OPT_FLAG, KT_OPTW_CLI, CLI(aggsortkey), 0, 0, 1 },
	{ "aggsortrev", KT_OPT_FLAG, KT_OPTW_CLI, CLI(aggsortrev), 0, 0, 1 },
	{ "aggpercpu", KT_OPT_FLAG, KT_OPTW_CLI, CLI(aggpercpu), 0, 0, 1 },
	/* the consumer's numbers and rates */
	{ "aggsortpos", KT_OPT_COUNT, KT_OPTW_CLI, CLI(aggsortpos), 0, 0, 1024 },
	{ "aggsortkeypos", KT_OPT_COUNT, KT_OPTW_CLI, CLI(aggsortkeypos), 0, 0, 1024 },
	{ "stackindent", KT_OPT_COUNT, KT_OPTW_CLI, CLI(stackindent), 14, 0, 1024 },
	/* print( ): an object's bytes recorded (the compiler) and shown (the consumer) at most */
	{ "printsize", KT_OPT_SIZE, KT_OPTW_CLI | KT_OPTW_COMPILER, CLI(printsize),
	  KT_DEF_PRINTSIZE, 1, KTRACE_MAX_SCRATCHSIZE },
	{ "maxframes", KT_OPT_COUNT, KT_OPTW_CLI, CLI(maxframes), 0, 1, KTRACE_MAX_STACKFRAMES },
	{ "switchrate", KT_OPT_RATE, KT_OPTW_CLI, CLI(switchrate_ns), NS_PER_SEC,
	  1, UINT64_MAX },
	{ "aggrate", KT_OPT_RATE, KT_OPTW_CLI, CLI(aggrate_ns), NS_PER_SEC, 1, UINT64_MAX },
	{ "statusrate", KT_OPT_RATE, KT_OPTW_CLI, CLI(statusrate_ns), NS_PER_SEC,
	  1, UINT64_MAX },
	{ "cleanrate", KT_OPT_RATE, KT_OPTW_CLI, CLI(cleanrate_ns), NS_PER_SEC / 100,
	  1, UINT64_MAX },
	{ "format", KT_OPT_FORMAT, KT_OPTW_CLI, CLI(json), 0, 0, 1 },
	/* how ustack() is taken: frame pointers (0), or stack samples unwound here (1) */
	{ "ustackmode", KT_OPT_USTACKMODE, KT_OPTW_COMPILER | KT_OPTW_KERNEL, CLI(ustackmode),
	  0, 0, 1 },
	/* trace on this CPU only (-1: every CPU); the compiler adds "cpu == N" to the clauses */
	{ "cpu", KT_OPT_COUNT, KT_OPTW_COMPILER, CLI(cpu), (uint32_t)-1, 0, KTRACE_MAX_CPUS - 1 },
	/* print the records of every CPU in time order, not one switch's worth at a time */
	{ "temporal", KT_OPT_FLAG, KT_OPTW_CLI, CLI(temporal), 0, 0, 1 },
	/* the D version a program is written for: any up to ktrace's (DTrace 1.0..2.0) */
	{ "version", KT_OPT_VERSION, KT_OPTW_COMPILER, CLI(dversion), 0, KT_D_VERSION(1, 0, 0),
	  KT_D_VERSION(2, 0, 0) },
	/* DTrace's options ktrace does not implement: known, and refused as such */
	{ "aggpack", KT_OPT_UNSUPPORTED, 0, 0, 0, 0, 0, 0 },
	{ "agghist", KT_OPT_UNSUPPORTED, 0, 0, 0, 0, 0, 0 },
	{ "aggzoom", KT_OPT_UNSUPPORTED, 0, 0, 0, 0, 0, 0 },
	{ "bufresize", KT_OPT_UNSUPPORTED, 0, 0, 0, 0, 0, 0 },
	{ "encoding", KT_OPT_UNSUPPORTED, 0, 0, 0, 0, 0, 0 },
	{ "evaltime", KT_OPT_UNSUPPORTED, 0, 0, 0, 0, 0, 0 },
	{ "grabanon", KT_OPT_UNSUPPORTED, 0, 0, 0, 0, 0, 0 },
	{ "jstackframes", KT_OPT_UNSUPPORTED, 0, 0, 0, 0, 0, 0 },
	{ "jstackstrsize", KT_OPT_UNSUPPORTED, 0, 0, 0, 0, 0, 0 },
};

/* Other names accepted for an option (the CLI's short forms). */
static const struct {
	const char *alias, *name;
} opt_aliases[] = {
	{ "budget", "insn_budget" },
};

const struct kt_optdesc *kt_opt_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(opt_aliases) / sizeof(opt_aliases[0]); i++)
		if (!strcmp(name, opt_aliases[i].alias))
			name = opt_aliases[i].name;
	for (i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++)
		if (!strcmp(name, opt_table[i].name))
			return &opt_table[i];
	return NULL;
}

int kt_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (!s || !*s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end)
		return -1;
	if (shift && v > (~0ull >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

int kt_parse_rate(const char *s, uint64_t *ns)
{
	static const struct { const char *sfx; uint64_t mul; } units[] = {
		{ "ns", 1 }, { "nsec", 1 }, { "us", 1000 }, { "usec", 1000 },
		{ "ms", 1000000 }, { "msec", 1000000 }, { "s", NS_PER_SEC },
		{ "sec", NS_PER_SEC }, { "m", 60 * NS_PER_SEC }, { "min", 60 * NS_PER_SEC },
		{ "h", 3600 * NS_PER_SEC }, { "hour", 3600 * NS_PER_SEC },
		{ "d", 86400 * NS_PER_SEC }, { "day", 86400 * NS_PER_SEC },
	};
	char *end;
	unsigned long long v;
	size_t i;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (!*end || !strcmp(end, "hz") || !strcmp(end, "Hz")) {
		if (v == 0)
			return -1;
		*ns = NS_PER_SEC / v;
		if (!*ns)
			*ns = 1;
		return 0;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].sfx)) {
			if (v == 0 || v > ~0ull / units[i].mul)
				return -1;
			*ns = v * units[i].mul;
			return 0;
		}
	return -1;
}

static int parse_count(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int parse_flag(const char *s, uint64_t *out)
{
	if (!s || !*s || !strcmp(s, "1") || !strcmp(s, "set") || !strcmp(s, "true"))
		*out = 1;
	else if (!strcmp(s, "0") || !strcmp(s, "unset") || !strcmp(s, "false"))
		*out = 0;
	else
		return -1;
	return 0;
}

/* MAJOR.MINOR[.MICRO] as KT_D_VERSION() */
static int parse_version(const char *s, uint64_t *out)
{
	unsigned long p[3] = { 0, 0, 0 };
	char *end;
	int i;

	for (i = 0; i < 3; i++) {
		if (!s || !isdigit((unsigned char)*s))
			return -1;
		p[i] = strtoul(s, &end, 10);
		if (p[i] > 4095 || (i == 0 && p[i] > 255))
			return -1;
		if (!*end)
			break;
		if (*end != '.')
			return -1;
		s = end + 1;
	}
	if (i == 0 || i == 3)
		return -1;
	*out = KT_D_VERSION(p[0], p[1], p[2]);
	return 0;
}

static int parse_word(const char *s, const char *const *words, int n, uint64_t *out)
{
	for (int i = 0; s && i < n; i++)
		if (!strcmp(s, words[i])) {
			*out = (uint64_t)i;
			return 0;
		}
	return -1;
}

int kt_opt_parse(const char *name, const char *val, const struct kt_optdesc **dp,
		 uint64_t *out, char *why, size_t whylen)
{
	/* indexed by enum ktrace_bufpolicy and by kt_cliopts.json */
	static const char *const policies[] = { "switch", "fill", "ring" };
	static const char *const formats[] = { "text", "json" };
	/* indexed by kt_cliopts.ustackmode */
	static const char *const ustackmodes[] = { "fp", "dwarf" };
	const struct kt_optdesc *d = kt_opt_lookup(name);
	uint64_t v = 0;
	int err = -1;

	*dp = d;
	if (!d) {
		snprintf(why, whylen, "Invalid option name");
		return -1;
	}
	switch (d->kind) {
	case KT_OPT_UNSUPPORTED:
		snprintf(why, whylen, "Option not supported by ktrace");
		return -1;
	case KT_OPT_FLAG:
		err = parse_flag(val, &v);
		break;
	case KT_OPT_SIZE:
		err = kt_parse_size(val, &v);
		break;
	case KT_OPT_COUNT:
		err = parse_count(val, &v);
		break;
	case KT_OPT_RATE:
		err = kt_parse_rate(val, &v);
		break;
	case KT_OPT_POLICY:
		err = parse_word(val, policies, 3, &v);
		break;
	case KT_OPT_FORMAT:
		err = parse_word(val, formats, 2, &v);
		break;
	case KT_OPT_USTACKMODE:
		err = parse_word(val, ustackmodes, 2, &v);
		break;
	case KT_OPT_VERSION:
		err = parse_version(val, &v);
		if (!err && (v < d->min || v > d->max)) {
			snprintf(why, whylen, "Invalid value for specified option");
			return -1;
		}
		break;
	}
	if (err < 0) {
		snprintf(why, whylen, "Invalid value for specified option");
		return -1;
	}
	if (v < d->min || v > d->max) {
		snprintf(why, whylen, "Value out of range (%llu is not in %llu..%llu)",
			 (unsigned long long)v, (unsigned long long)d->min,
			 (unsigned long long)d->max);
		return -1;
	}
	*out = v;
	return 0;
}

static void opt_store(struct kt_cliopts *o, const struct kt_optdesc *d, uint64_t v)
{
	char *p = (char *)o + d->off;

	switch (d->size) {
	case 1: {
		bool b = v != 0;

		memcpy(p, &b, 1);
		break;
	}
	case 4: {
		uint32_t x = (uint32_t)v;

		memcpy(p, &x, 4);
		break;
	}
	case 8:
		memcpy(p, &v, 8);
		break;
	}
}

void kt_opts_init(struct kt_cliopts *o)
{
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++)
		if (opt_table[i].size && !(opt_table[i].where & KT_OPTW_KERNEL))
			opt_store(o, &opt_table[i], opt_table[i].def);
}

static uint32_t cap_frames(uint32_t v, uint32_t def, uint32_t max)
{
	if (!v)
		v = def;
	return v < max ? v : max;
}

/* As DTrace's maxframes: the most frames stack() and ustack() take. */
void kt_opts_finish(struct kt_cliopts *o)
{
	if (!o->maxframes)
		return;
	o->k.stackframes = cap_frames(o->k.stackframes, KTRACE_DEF_STACKFRAMES, o->maxframes);
	o->k.ustackframes = cap_frames(o->k.ustackframes, KTRACE_DEF_USTACKFRAMES, o->maxframes);
}

int kt_opt_set(struct kt_cliopts *o, const char *name, const char *val,
	       char *why, size_t whylen)
{
	const struct kt_optdesc *d;
	uint64_t v;

	if (kt_opt_parse(name, val, &d, &v, why, whylen) < 0)
		return -1;
	opt_store(o, d, v);
	return 0;
}
