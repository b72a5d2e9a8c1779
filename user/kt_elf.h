/* SPDX-License-Identifier: GPL-2.0 */
/* kt_elf.h: ELF symbol tables (elf.c), for the uprobe providers and sym.c. */
#ifndef KT_ELF_H
#define KT_ELF_H

#include <gelf.h>
#include <stdint.h>

#define KT_ELF_NO_OFFSET	UINT64_MAX

/* A defined function symbol (.symtab or .dynsym: one may be in both). */
struct kt_elf_sym {
	const char	*name;		/* valid during the callback */
	uint64_t	vaddr, size;
	uint64_t	off;		/* file offset (through PT_LOAD), or KT_ELF_NO_OFFSET */
};

/*
 * Call fn for every defined function symbol of the ELF file at path; a
 * non-zero return stops the walk and is returned.  php (may be NULL)
 * receives the program headers (malloc'd, *nphp of them).  0 or -errno.
 */
int kt_elf_funcs(const char *path, int (*fn)(void *arg, const struct kt_elf_sym *s), void *arg,
		 GElf_Phdr **php, size_t *nphp);

#endif /* KT_ELF_H */
