/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KT_TEST_SLURP_H
#define KT_TEST_SLURP_H

/* The file at path, NUL-terminated, in a calloc()ed buffer; NULL if it cannot be read. */
char *slurp(const char *path);

#endif
