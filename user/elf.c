// SPDX-License-Identifier: GPL-2.0
/*
 * elf.c: the one walker of ELF symbol tables, for the pid/uprobe providers
 * (function name -> file offset, where uprobes are placed) and for user
 * symbolisation in sym.c (address -> function), and of the USDT notes of
 * <sys/sdt.h> (.note.stapsdt) for the usdt provider.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kt_user.h"
#include "kt_elf.h"

#define KT_VERSYM_HIDDEN	0x8000	/* .gnu.version: not the default version */

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

/* Open an ELF file and read its program headers. */
static int elf_open(const char *path, int *fdp, Elf **ep, GElf_Phdr **php, size_t *nphp)
{
	GElf_Ehdr eh;
	size_t nph, i;
	Elf *e;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) || elf_getphdrnum(e, &nph))
		goto noexec;
	*php = calloc(nph ? nph : 1, sizeof(**php));
	if (!*php) {
		elf_end(e);
		close(fd);
		return -ENOMEM;
	}
	for (i = 0; i < nph; i++)
		gelf_getphdr(e, i, &(*php)[i]);
	*fdp = fd;
	*ep = e;
	*nphp = nph;
	return 0;
noexec:
	if (e)
		elf_end(e);
	close(fd);
	return -ENOEXEC;
}

/* The .gnu.version data of the symbol table in section symndx, or NULL. */
static Elf_Data *elf_versym(Elf *e, size_t symndx)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(e, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_GNU_versym && sh.sh_link == symndx)
			return elf_getdata(scn, NULL);
	return NULL;
}

/* The symbols of one table (section scn) for elf_walk_syms(): hidden versions or the others. */
static int elf_walk_table(Elf *e, Elf_Scn *scn, const GElf_Phdr *ph, size_t nph, bool funcs_only,
			  bool hidden, int (*fn)(void *arg, const struct kt_elf_sym *s), void *arg)
{
	Elf_Data *data, *vers = NULL;
	GElf_Shdr sh;
	size_t k, cnt;
	int err = 0;

	if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM))
		return 0;
	data = elf_getdata(scn, NULL);
	if (!data || !sh.sh_entsize)
		return 0;
	if (sh.sh_type == SHT_DYNSYM)
		vers = elf_versym(e, elf_ndxscn(scn));
	if (hidden && !vers)
		return 0;
	cnt = sh.sh_size / sh.sh_entsize;
	for (k = 0; k < cnt && !err; k++) {
		struct kt_elf_sym s;
		GElf_Versym ver;
		GElf_Sym sym;
		int type;
		bool func;

		if (!gelf_getsym(data, k, &sym) || sym.st_shndx == SHN_UNDEF || !sym.st_value)
			continue;
		if (hidden != (vers && gelf_getversym(vers, (int)k, &ver) && (ver & KT_VERSYM_HIDDEN)))
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		func = type == STT_FUNC || type == STT_GNU_IFUNC;
		if (!func && (funcs_only || (type != STT_OBJECT && type != STT_NOTYPE &&
					     type != STT_TLS)))
			continue;
		s.name = elf_strptr(e, sh.sh_link, sym.st_name);
		if (!s.name || !*s.name)
			continue;
		s.vaddr = sym.st_value;
		s.size = sym.st_size;
		s.is_func = func;
		s.is_ifunc = type == STT_GNU_IFUNC;
		sym_offset(ph, nph, &s);
		err = fn(arg, &s);
	}
	return err;
}

/*
 * Every defined symbol of .symtab and .dynsym with a value (funcs only or
 * all).  The .dynsym symbols of a hidden (non-default) version come after
 * the others: glibc's memcpy@GLIBC_2.2.5 is the old ABI's, not the
 * memcpy@@GLIBC_2.14 programs link to, and both are named "memcpy" in the
 * string table (a caller keeping the first of a name keeps the default).
 */
static int elf_walk_syms(Elf *e, const GElf_Phdr *ph, size_t nph, bool funcs_only,
			 int (*fn)(void *arg, const struct kt_elf_sym *s), void *arg)
{
	Elf_Scn *scn;
	int err = 0, hidden;

	for (hidden = 0; hidden < 2 && !err; hidden++)
		for (scn = elf_nextscn(e, NULL); scn && !err; scn = elf_nextscn(e, scn))
			err = elf_walk_table(e, scn, ph, nph, funcs_only, hidden, fn, arg);
	return err;
}

int kt_elf_funcs(const char *path, int (*fn)(void *arg, const struct kt_elf_sym *s), void *arg,
		 GElf_Phdr **php, size_t *nphp)
{
	GElf_Phdr *ph;
	size_t nph;
	int fd, err;
	Elf *e;

	err = elf_open(path, &fd, &e, &ph, &nph);
	if (err)
		return err;
	err = elf_walk_syms(e, ph, nph, true, fn, arg);
	if (!err && php) {
		*php = ph;
		*nphp = nph;
		ph = NULL;
	}
	free(ph);
	elf_end(e);
	close(fd);
	return err;
}

int kt_elf_needed(const char *path, char **v, int max, char *runpath, size_t rsz)
{
	Elf_Scn *scn = NULL;
	GElf_Phdr *ph;
	size_t nph;
	int fd, n;
	Elf *e;

	runpath[0] = 0;
	n = elf_open(path, &fd, &e, &ph, &nph);
	if (n)
		return n;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t k;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		for (k = 0; data && k < sh.sh_size / sh.sh_entsize; k++) {
			GElf_Dyn dyn;
			const char *str;

			if (!gelf_getdyn(data, k, &dyn))
				break;
			if (dyn.d_tag != DT_NEEDED && dyn.d_tag != DT_RUNPATH && dyn.d_tag != DT_RPATH)
				continue;
			str = elf_strptr(e, sh.sh_link, dyn.d_un.d_val);
			if (!str)
				continue;
			if (dyn.d_tag == DT_NEEDED) {
				if (n < max && (v[n] = strdup(str)))
					n++;
			} else if ((dyn.d_tag == DT_RUNPATH || !runpath[0]) && strlen(str) < rsz) {
				memcpy(runpath, str, strlen(str) + 1);
			}
		}
	}
	free(ph);
	elf_end(e);
	close(fd);
	return n;
}

/* The GNU build-id note in a note area, or 0. */
size_t kt_elf_note_build_id(const void *notes, size_t len, unsigned char *id, size_t size)
{
	const unsigned char *p = notes, *end = p + len;

	while (end - p >= 12) {
		uint32_t namesz, descsz, type;
		size_t nl, dl;

		memcpy(&namesz, p, 4);
		memcpy(&descsz, p + 4, 4);
		memcpy(&type, p + 8, 4);
		nl = (namesz + 3) & ~3u;
		dl = (descsz + 3) & ~3u;
		if (nl > (size_t)(end - p - 12) || dl > (size_t)(end - p - 12 - nl))
			return 0;
		if (type == NT_GNU_BUILD_ID && namesz == 4 && !memcmp(p + 12, "GNU", 4) &&
		    descsz && descsz <= size) {
			memcpy(id, p + 12 + nl, descsz);
			return descsz;
		}
		p += 12 + nl + dl;
	}
	return 0;
}

size_t kt_elf_build_id(const char *path, unsigned char *id, size_t size)
{
	Elf_Scn *scn = NULL;
	GElf_Phdr *ph;
	size_t nph, n = 0;
	int fd;
	Elf *e;

	if (elf_open(path, &fd, &e, &ph, &nph))
		return 0;
	while (!n && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_NOTE &&
		    (data = elf_getdata(scn, NULL)) && data->d_buf)
			n = kt_elf_note_build_id(data->d_buf, data->d_size, id, size);
	}
	free(ph);
	elf_end(e);
	close(fd);
	return n;
}

/* ----- USDT: the .note.stapsdt notes of <sys/sdt.h> ----- */

struct elf_symtab {
	struct kt_elf_sym	*v;
	size_t			n, cap;
};

static int symtab_add(void *arg, const struct kt_elf_sym *s)
{
	struct elf_symtab *t = arg;

	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		struct kt_elf_sym *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n] = *s;
	t->v[t->n].name = strdup(s->name);
	if (!t->v[t->n].name)
		return -ENOMEM;
	t->n++;
	return 0;
}

static void symtab_free(struct elf_symtab *t)
{
	while (t->n)
		free((char *)t->v[--t->n].name);
	free(t->v);
}

/* The function containing vaddr (largest start <= vaddr within its size), or NULL. */
static const char *symtab_func(const struct elf_symtab *t, uint64_t vaddr)
{
	const struct kt_elf_sym *best = NULL;
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct kt_elf_sym *s = &t->v[i];

		if (s->is_func && s->vaddr <= vaddr && vaddr < s->vaddr + (s->size ? s->size : 1) &&
		    (!best || s->vaddr > best->vaddr))
			best = s;
	}
	return best ? best->name : NULL;
}

int kt_elf_sym_vaddr(const struct kt_elf_usdt *u, const char *name, uint64_t *vaddr)
{
	const struct elf_symtab *t = u->symtab;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, name)) {
			*vaddr = t->v[i].vaddr;
			return 0;
		}
	return -ENOENT;
}

static uint64_t vaddr_offset(const GElf_Phdr *ph, size_t nph, uint64_t vaddr)
{
	struct kt_elf_sym s = { .vaddr = vaddr };

	sym_offset(ph, nph, &s);
	return s.off;
}

/* A note's three addresses and three strings; false if malformed. */
static bool usdt_note(const char *desc, size_t len, uint64_t addr[3], const char *str[3])
{
	size_t pos = 24, k;

	if (len < pos)
		return false;
	memcpy(addr, desc, 24);
	for (k = 0; k < 3; k++) {
		const char *end = memchr(desc + pos, 0, len - pos);

		if (pos >= len || !end)
			return false;
		str[k] = desc + pos;
		pos = end - desc + 1;
	}
	return true;
}

int kt_elf_usdt(const char *path, int (*fn)(void *arg, const struct kt_elf_usdt *u), void *arg)
{
	struct elf_symtab syms = { 0 };
	uint64_t base_addr = 0;
	bool have_base = false, have_syms = false;
	Elf_Scn *scn = NULL;
	GElf_Phdr *ph;
	size_t nph, shstrndx;
	int fd, err;
	Elf *e;

	err = elf_open(path, &fd, &e, &ph, &nph);
	if (err)
		return err;
	if (elf_getshdrstrndx(e, &shstrndx)) {
		err = -ENOEXEC;
		goto out;
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *nm;

		if (gelf_getshdr(scn, &sh) && (nm = elf_strptr(e, shstrndx, sh.sh_name)) &&
		    !strcmp(nm, ".stapsdt.base")) {
			base_addr = sh.sh_addr;
			have_base = true;
		}
	}
	while (!err && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		GElf_Nhdr nh;
		Elf_Data *data;
		size_t off = 0, name_off, desc_off;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		while (!err && data && (off = gelf_getnote(data, off, &nh, &name_off, &desc_off))) {
			const char *owner = (const char *)data->d_buf + name_off;
			struct kt_elf_usdt u = { .symtab = &syms };
			uint64_t addr[3];
			const char *str[3];

			if (nh.n_type != KT_NT_STAPSDT || nh.n_namesz != sizeof("stapsdt") ||
			    memcmp(owner, "stapsdt", sizeof("stapsdt")) ||
			    !usdt_note((const char *)data->d_buf + desc_off, nh.n_descsz, addr, str))
				continue;
			if (!have_syms) {
				err = elf_walk_syms(e, ph, nph, false, symtab_add, &syms);
				have_syms = true;
				if (err)
					break;
			}
			/* prelink moves .stapsdt.base: the notes' addresses move with it */
			u.pc = addr[0] + (have_base ? base_addr - addr[1] : 0);
			u.semaphore = addr[2] ? addr[2] + (have_base ? base_addr - addr[1] : 0) : 0;
			u.pc_off = vaddr_offset(ph, nph, u.pc);
			u.sem_off = u.semaphore ? vaddr_offset(ph, nph, u.semaphore) : 0;
			u.provider = str[0];
			u.name = str[1];
			u.args = str[2];
			u.func = symtab_func(&syms, u.pc);
			err = fn(arg, &u);
		}
	}
out:
	symtab_free(&syms);
	free(ph);
	elf_end(e);
	close(fd);
	return err;
}
