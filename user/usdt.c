// SPDX-License-Identifier: GPL-2.0
/*
 * usdt.c: the argument specs of a <sys/sdt.h> probe site (the third string
 * of its .note.stapsdt note) turned into struct ktrace_usdt_arg, which the
 * kernel evaluates when the site is hit.  A spec is space-separated
 * operands "SIZE@OPERAND", SIZE one of 1 2 4 8 (negative: signed) and
 * OPERAND in AT&T syntax, as the compiler chose for the asm's "nor"
 * constraint:
 *   $42  $-1  $0x10           a constant
 *   %rdi  %esi  %r8w  %al     a register (its low SIZE bytes)
 *   -20(%rbp)  8(%rax,%rbx,4)  (%rsp)
 *                             memory at base + index * scale + disp
 *   counter(%rip)  tab+8(%rip)
 *                             memory at a symbol of the file (PIE or not)
 *   counter  0x601040         memory at an absolute address (non-PIE)
 * Anything else (a segment override such as %fs:8, %ah) is an argument
 * ktrace cannot read: it is described as KTRACE_USDT_ARG_NONE and reads 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_user.h"
#include "kt_elf.h"
#include "kt_usdt.h"

/* The 64-bit register whose low part a name is; NONE if unknown. */
static int ureg_of(const char *name, size_t len)
{
	static const char *const names[][4] = {
		[KTRACE_UREG_RAX] = { "rax", "eax", "ax", "al" },
		[KTRACE_UREG_RBX] = { "rbx", "ebx", "bx", "bl" },
		[KTRACE_UREG_RCX] = { "rcx", "ecx", "cx", "cl" },
		[KTRACE_UREG_RDX] = { "rdx", "edx", "dx", "dl" },
		[KTRACE_UREG_RSI] = { "rsi", "esi", "si", "sil" },
		[KTRACE_UREG_RDI] = { "rdi", "edi", "di", "dil" },
		[KTRACE_UREG_RBP] = { "rbp", "ebp", "bp", "bpl" },
		[KTRACE_UREG_RSP] = { "rsp", "esp", "sp", "spl" },
		[KTRACE_UREG_RIP] = { "rip", "eip", NULL, NULL },
	};
	char buf[8];
	int r, k;

	if (len >= sizeof(buf))
		return KTRACE_UREG_NONE;
	memcpy(buf, name, len);
	buf[len] = 0;
	for (r = KTRACE_UREG_NONE + 1; r < KTRACE_UREG_COUNT; r++)
		for (k = 0; r < (int)(sizeof(names) / sizeof(names[0])) && k < 4; k++)
			if (names[r][k] && !strcmp(buf, names[r][k]))
				return r;
	/* r8..r15 with their d, w, b forms */
	if (buf[0] == 'r' && buf[1] >= '0' && buf[1] <= '9') {
		char *end;
		long n = strtol(buf + 1, &end, 10);

		if (n >= 8 && n <= 15 && (!*end || (!end[1] && strchr("dwb", *end))))
			return KTRACE_UREG_R8 + (int)(n - 8);
	}
	return KTRACE_UREG_NONE;
}

/* "%name" at *pp: its register, *pp moved past it; NONE if not one. */
static int parse_reg(const char **pp)
{
	const char *p = *pp;
	size_t len;
	int r;

	if (*p != '%')
		return KTRACE_UREG_NONE;
	p++;
	len = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
	r = ureg_of(p, len);
	if (r != KTRACE_UREG_NONE)
		*pp = p + len;
	return r;
}

/* A number (decimal, 0x hex, signed); false if none. */
static bool parse_num(const char **pp, int64_t *v)
{
	char *end;

	errno = 0;
	*v = (int64_t)strtoull(*pp, &end, 0);
	if (*pp[0] == '-')
		*v = strtoll(*pp, &end, 0);
	if (end == *pp || errno)
		return false;
	*pp = end;
	return true;
}

/*
 * The displacement before '(' or the whole absolute operand: a number,
 * or SYMBOL[+-N] (its address in the file: *is_sym).
 */
static bool parse_disp(const struct kt_elf_usdt *u, const char **pp, int64_t *v, bool *is_sym)
{
	const char *p = *pp;
	size_t len = strcspn(p, "+-(");
	char name[256];
	uint64_t addr;
	int64_t off = 0;

	*is_sym = false;
	if (!*p || *p == '(') {
		*v = 0;
		return true;
	}
	if (*p == '-' || (*p >= '0' && *p <= '9'))
		return parse_num(pp, v);
	if (!len || len >= sizeof(name))
		return false;
	memcpy(name, p, len);
	name[len] = 0;
	if (kt_elf_sym_vaddr(u, name, &addr))
		return false;
	p += len;
	if ((*p == '+' || *p == '-') && !parse_num(&p, &off))
		return false;
	*v = (int64_t)addr + off;
	*is_sym = true;
	*pp = p;
	return true;
}

/* One operand (after "SIZE@"), up to the end of its text; false: ktrace cannot read it. */
static bool parse_operand(const struct kt_elf_usdt *u, const char *p, struct ktrace_usdt_arg *a)
{
	int64_t v, scale;
	bool is_sym;

	if (*p == '$') {
		p++;
		if (!parse_num(&p, &v) || *p)
			return false;
		a->kind = KTRACE_USDT_ARG_CONST;
		a->val = v;
		return true;
	}
	if (*p == '%') {
		a->base = parse_reg(&p);
		a->kind = KTRACE_USDT_ARG_REG;
		return a->base != KTRACE_UREG_NONE && !*p;
	}
	if (!parse_disp(u, &p, &v, &is_sym))
		return false;
	a->kind = KTRACE_USDT_ARG_MEM;
	a->val = v;
	if (!*p)
		return true;	/* an absolute address */
	if (*p++ != '(')
		return false;
	a->base = parse_reg(&p);
	if (a->base == KTRACE_UREG_RIP) {
		/* sym(%rip): the symbol's address relative to the site */
		if (!is_sym || strcmp(p, ")"))
			return false;
		a->val = v - (int64_t)u->pc;
		return true;
	}
	if (is_sym || (a->base == KTRACE_UREG_NONE && *p != ','))
		return false;
	if (*p == ',') {
		p++;
		a->index = parse_reg(&p);
		if (a->index == KTRACE_UREG_NONE || a->index == KTRACE_UREG_RIP)
			return false;
		a->scale = 1;
		if (*p == ',') {
			p++;
			if (!parse_num(&p, &scale) || (scale != 1 && scale != 2 && scale != 4 && scale != 8))
				return false;
			a->scale = (uint8_t)scale;
		}
	}
	return !strcmp(p, ")");
}

int kt_usdt_site(const struct kt_elf_usdt *u, struct ktrace_usdt_site *site)
{
	const char *p = u->args;
	int unreadable = 0;

	memset(site, 0, sizeof(*site));
	site->offset = u->pc_off;
	while (*p) {
		struct ktrace_usdt_arg *a;
		char op[256];
		size_t len;
		int size = 8;
		const char *at;

		p += strspn(p, " ");
		len = strcspn(p, " ");
		if (!len)
			break;
		if (site->nargs == KTRACE_USDT_MAXARGS)
			break;	/* arg10 and arg11 of sys/sdt.h: not reachable in D */
		if (len >= sizeof(op))
			return -EINVAL;
		memcpy(op, p, len);
		op[len] = 0;
		p += len;
		a = &site->args[site->nargs++];
		at = strchr(op, '@');
		if (at) {
			size = atoi(op);
			if (size != 1 && size != -1 && size != 2 && size != -2 && size != 4 &&
			    size != -4 && size != 8 && size != -8)
				return -EINVAL;
			at++;
		} else {
			at = op;
		}
		a->size = (uint8_t)(size < 0 ? -size : size);
		a->is_signed = size < 0;
		if (!parse_operand(u, at, a)) {
			uint8_t sz = a->size, sg = a->is_signed;

			memset(a, 0, sizeof(*a));
			a->size = sz;
			a->is_signed = sg;
			unreadable++;
		}
	}
	return unreadable;
}
