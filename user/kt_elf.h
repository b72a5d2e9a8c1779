/* SPDX-License-Identifier: GPL-2.0 */
/* kt_elf.h: ELF symbol tables (elf.c), for the uprobe providers and sym.c. */
#ifndef KT_ELF_H
#define KT_ELF_H

#include <gelf.h>
#include <stdbool.h>
#include <stdint.h>

#define KT_ELF_NO_OFFSET	UINT64_MAX

/* A defined function symbol (.symtab or .dynsym: one may be in both). */
struct kt_elf_sym {
	const char	*name;		/* valid during the callback */
	uint64_t	vaddr, size;
	uint64_t	off;		/* file offset (through PT_LOAD), or KT_ELF_NO_OFFSET */
	bool		is_func;
	bool		is_ifunc;	/* STT_GNU_IFUNC: vaddr is its resolver's */
};

/*
 * Call fn for every defined function symbol of the ELF file at path; a
 * non-zero return stops the walk and is returned.  php (may be NULL)
 * receives the program headers (malloc'd, *nphp of them).  0 or -errno.
 */
int kt_elf_funcs(const char *path, int (*fn)(void *arg, const struct kt_elf_sym *s), void *arg,
		 GElf_Phdr **php, size_t *nphp);

/*
 * The DT_NEEDED names of the ELF file at path (strdup'd into v[max]) and
 * its DT_RUNPATH (else DT_RPATH) into runpath[rsz] ("" if none).  Returns
 * the number of names or -errno.
 */
int kt_elf_needed(const char *path, char **v, int max, char *runpath, size_t rsz);

/*
 * The GNU build-id (NT_GNU_BUILD_ID) of the ELF file at path, or of a
 * note area in memory (a loaded object's PT_NOTE): its length copied to
 * id[size], 0 if none.
 */
size_t kt_elf_build_id(const char *path, unsigned char *id, size_t size);
size_t kt_elf_note_build_id(const void *notes, size_t len, unsigned char *id, size_t size);

/* The note type of <sys/sdt.h>'s probes (owner "stapsdt"). */
#define KT_NT_STAPSDT		3

/* One USDT probe site: a .note.stapsdt note. */
struct kt_elf_usdt {
	const char	*provider, *name;	/* valid during the callback */
	const char	*args;			/* "8@%rdi -4@-20(%rbp) ...", maybe "" */
	const char	*func;			/* the function holding the site, or NULL */
	uint64_t	pc, semaphore;		/* link-time addresses (semaphore 0: none) */
	uint64_t	pc_off, sem_off;	/* file offsets, or KT_ELF_NO_OFFSET (0: none) */
	const void	*symtab;		/* for kt_elf_sym_vaddr() */
};

/*
 * Call fn for every USDT site of the ELF file at path (addresses adjusted
 * as .stapsdt.base says); a non-zero return stops the walk and is
 * returned.  0 (also: no notes) or -errno.
 */
int kt_elf_usdt(const char *path, int (*fn)(void *arg, const struct kt_elf_usdt *u), void *arg);
/* During the callback: the address of the file's symbol name (arguments like sym(%rip)). */
int kt_elf_sym_vaddr(const struct kt_elf_usdt *u, const char *name, uint64_t *vaddr);

#endif /* KT_ELF_H */
