// SPDX-License-Identifier: GPL-2.0
/*
 * elf.c: the one walker of ELF symbol tables, for the pid/uprobe providers
 * (function name -> file offset, where uprobes are placed) and for user
 * symbolisation in sym.c (address -> function).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "kt_user.h"
#include "kt_elf.h"

static void sym_offset(const GElf_Phdr *ph, size_t nph, struct kt_elf_sym *s)
{
	size_t i;

	s->off = KT_ELF_NO_OFFSET;
	for (i = 0; i < nph; i++)
		if (ph[i].p_type == PT_LOAD && s->vaddr >= ph[i].p_vaddr &&
		    s->vaddr < ph[i].p_vaddr + ph[i].p_filesz) {
			s->off = s->vaddr - ph[i].p_vaddr + ph[i].p_offset;
			return;
		}
}

int kt_elf_funcs(const char *path, int (*fn)(void *arg, const struct kt_elf_sym *s), void *arg,
		 GElf_Phdr **php, size_t *nphp)
{
	Elf_Scn *scn = NULL;
	GElf_Phdr *ph = NULL;
	GElf_Ehdr eh;
	size_t nph, i;
	int fd, err = 0;
	Elf *e;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) || elf_getphdrnum(e, &nph)) {
		err = -ENOEXEC;
		goto out;
	}
	ph = calloc(nph ? nph : 1, sizeof(*ph));
	if (!ph) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nph; i++)
		gelf_getphdr(e, i, &ph[i]);
	while ((scn = elf_nextscn(e, scn)) && !err) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t k, cnt;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM))
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !sh.sh_entsize)
			continue;
		cnt = sh.sh_size / sh.sh_entsize;
		for (k = 0; k < cnt && !err; k++) {
			struct kt_elf_sym s;
			GElf_Sym sym;

			if (!gelf_getsym(data, k, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    sym.st_shndx == SHN_UNDEF || !sym.st_value)
				continue;
			s.name = elf_strptr(e, sh.sh_link, sym.st_name);
			if (!s.name || !*s.name)
				continue;
			s.vaddr = sym.st_value;
			s.size = sym.st_size;
			sym_offset(ph, nph, &s);
			err = fn(arg, &s);
		}
	}
	if (!err && php) {
		*php = ph;
		*nphp = nph;
		ph = NULL;
	}
out:
	free(ph);
	if (e)
		elf_end(e);
	close(fd);
	return err;
}
