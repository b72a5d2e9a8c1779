/* SPDX-License-Identifier: GPL-2.0 */
/* kt_usdt.h: USDT argument specs (usdt.c), for the usdt provider and host tests. */
#ifndef KT_USDT_H
#define KT_USDT_H

#include <stdio.h>
#include <linux/ktrace.h>
#include "kt_elf.h"

/*
 * The site of note u: its file offset and arguments (at most
 * KTRACE_USDT_MAXARGS).  Returns how many operands ktrace cannot read
 * (described as KTRACE_USDT_ARG_NONE, reading 0), or -EINVAL for a spec
 * that is not "SIZE@OPERAND ..." with SIZE one of +-1, 2, 4, 8.
 */
int kt_usdt_site(const struct kt_elf_usdt *u, struct ktrace_usdt_site *site);

/*
 * ktrace -h (usdt_header.c): the C header of the provider definitions in
 * text (read from file), written to out.  0, or -EINVAL with the reason
 * printed as file:line: error: ... (out then holds a partial header).
 */
int kt_usdt_header(const char *file, const char *text, FILE *out);

#endif /* KT_USDT_H */
