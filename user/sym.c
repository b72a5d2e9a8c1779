// SPDX-License-Identifier: GPL-2.0
/*
 * sym.c: symbolisation for the consumer.
 *
 * Kernel: /proc/kallsyms (as root) loaded once into a table sorted by
 * address; an address prints as "func+0x12" in vmlinux and
 * "module`func+0x12" in a module, or in hex when unknown.
 * User: /proc/PID/maps gives the mapping and the file; the file's ELF
 * symbols (cached per path) give the function: "libc.so.6`malloc+0x10",
 * "libc.so.6`0x1234" (offset in the file) without a symbol, hex without
 * a mapping.  Single-threaded (the consumer).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kt_user.h"

struct ksym {
	uint64_t	addr;
	const char	*name;
	const char	*mod;	/* NULL: vmlinux */
};

static struct ksym *ksyms;
static size_t nksyms;
static bool ksyms_loaded;

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void ksyms_load(void)
{
	FILE *f;
	char line[512];
	size_t cap = 0;

	ksyms_loaded = true;
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256], mod[128];
		int n;

		mod[0] = 0;
		n = sscanf(line, "%llx %c %255s [%127[^]]]", &addr, &type, name, mod);
		if (n < 3 || !addr || (type != 't' && type != 'T' && type != 'w' && type != 'W'))
			continue;
		if (nksyms == cap) {
			struct ksym *v;

			cap = cap ? cap * 2 : 65536;
			v = realloc(ksyms, cap * sizeof(*v));
			if (!v)
				break;
			ksyms = v;
		}
		ksyms[nksyms].addr = addr;
		ksyms[nksyms].name = strdup(name);
		ksyms[nksyms].mod = n == 4 ? strdup(mod) : NULL;
		if (!ksyms[nksyms].name)
			break;
		nksyms++;
	}
	fclose(f);
	qsort(ksyms, nksyms, sizeof(*ksyms), ksym_cmp);
}

static const struct ksym *ksym_find(uint64_t addr)
{
	size_t lo = 0, hi;

	if (!ksyms_loaded)
		ksyms_load();
	hi = nksyms;
	if (!nksyms || addr < ksyms[0].addr)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (ksyms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	/* past the last symbol of the text: only trust it within 1 MB */
	if (lo == nksyms - 1 && addr - ksyms[lo].addr > (1 << 20))
		return NULL;
	return &ksyms[lo];
}

void kt_ksym(uint64_t addr, char *buf, size_t size, bool with_offset)
{
	const struct ksym *s = ksym_find(addr);
	char off[32] = "";

	if (!s) {
		snprintf(buf, size, "0x%" PRIx64, addr);
		return;
	}
	if (with_offset && addr != s->addr)
		snprintf(off, sizeof(off), "+0x%" PRIx64, addr - s->addr);
	if (s->mod)
		snprintf(buf, size, "%s`%s%s", s->mod, s->name, off);
	else
		snprintf(buf, size, "%s%s", s->name, off);
}

void kt_kmod(uint64_t addr, char *buf, size_t size)
{
	const struct ksym *s = ksym_find(addr);

	if (!s)
		snprintf(buf, size, "0x%" PRIx64, addr);
	else
		snprintf(buf, size, "%s", s->mod ? s->mod : "vmlinux");
}

/* ----- user space ----- */

struct usym {
	uint64_t	vaddr, size;
	char		*name;
};

struct uobj {
	char		*path;
	struct usym	*syms;
	size_t		nsyms;
	GElf_Phdr	*ph;
	size_t		nph;
	struct uobj	*next;
};

static struct uobj *uobjs;

static int usym_cmp(const void *a, const void *b)
{
	const struct usym *x = a, *y = b;

	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static void uobj_read(struct uobj *o, const char *file)
{
	Elf_Scn *scn = NULL;
	size_t cap = 0, i;
	Elf *e;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || elf_getphdrnum(e, &o->nph))
		goto out;
	o->ph = calloc(o->nph ? o->nph : 1, sizeof(*o->ph));
	if (!o->ph)
		goto out;
	for (i = 0; i < o->nph; i++)
		gelf_getphdr(e, i, &o->ph[i]);
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t k;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    !sh.sh_entsize || !(d = elf_getdata(scn, NULL)))
			continue;
		for (k = 0; k < sh.sh_size / sh.sh_entsize; k++) {
			GElf_Sym s;
			const char *n;

			if (!gelf_getsym(d, k, &s) || GELF_ST_TYPE(s.st_info) != STT_FUNC ||
			    !s.st_value || s.st_shndx == SHN_UNDEF)
				continue;
			n = elf_strptr(e, sh.sh_link, s.st_name);
			if (!n || !*n)
				continue;
			if (o->nsyms == cap) {
				struct usym *v;

				cap = cap ? cap * 2 : 1024;
				v = realloc(o->syms, cap * sizeof(*v));
				if (!v)
					goto out;
				o->syms = v;
			}
			o->syms[o->nsyms].vaddr = s.st_value;
			o->syms[o->nsyms].size = s.st_size;
			o->syms[o->nsyms].name = strdup(n);
			if (o->syms[o->nsyms].name)
				o->nsyms++;
		}
	}
	qsort(o->syms, o->nsyms, sizeof(*o->syms), usym_cmp);
out:
	if (e)
		elf_end(e);
	close(fd);
}

static struct uobj *uobj_get(const char *path, const char *open_as)
{
	struct uobj *o;

	for (o = uobjs; o; o = o->next)
		if (!strcmp(o->path, path))
			return o;
	o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->path = strdup(path);
	if (!o->path) {
		free(o);
		return NULL;
	}
	uobj_read(o, open_as);
	o->next = uobjs;
	uobjs = o;
	return o;
}

/* The mapping of addr in pid: file path, file offset of addr, map range. */
static bool umap_find(int pid, uint64_t addr, char *file, size_t fsize, uint64_t *foff,
		      char *link, size_t lsize)
{
	char path[64], line[PATH_MAX + 128];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, pgoff;
		char name[PATH_MAX];

		name[0] = 0;
		if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %4095[^\n]", &lo, &hi, &pgoff, name) < 3)
			continue;
		if (addr < lo || addr >= hi)
			continue;
		if (name[0] != '/')
			break;
		snprintf(file, fsize, "%s", name);
		snprintf(link, lsize, "/proc/%d/map_files/%lx-%lx", pid, lo, hi);
		*foff = addr - lo + pgoff;
		found = true;
		break;
	}
	fclose(f);
	return found;
}

static void usym_common(int pid, uint64_t addr, char *buf, size_t size, bool with_offset,
			bool mod_only)
{
	char file[PATH_MAX], link[96];
	const char *base;
	struct uobj *o;
	uint64_t foff, vaddr = 0;
	bool have_vaddr = false;
	size_t i, lo, hi;

	if (pid <= 0 || !umap_find(pid, addr, file, sizeof(file), &foff, link, sizeof(link))) {
		snprintf(buf, size, "0x%" PRIx64, addr);
		return;
	}
	base = strrchr(file, '/') + 1;
	if (mod_only) {
		snprintf(buf, size, "%s", base);
		return;
	}
	o = uobj_get(file, access(link, R_OK) ? file : link);
	for (i = 0; o && i < o->nph; i++) {
		const GElf_Phdr *p = &o->ph[i];

		if (p->p_type == PT_LOAD && foff >= p->p_offset && foff < p->p_offset + p->p_filesz) {
			vaddr = foff - p->p_offset + p->p_vaddr;
			have_vaddr = true;
			break;
		}
	}
	if (!have_vaddr || !o->nsyms || vaddr < o->syms[0].vaddr) {
		snprintf(buf, size, "%s`0x%" PRIx64, base, foff);
		return;
	}
	lo = 0;
	hi = o->nsyms;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->syms[mid].vaddr <= vaddr)
			lo = mid;
		else
			hi = mid;
	}
	if (o->syms[lo].size && vaddr >= o->syms[lo].vaddr + o->syms[lo].size) {
		snprintf(buf, size, "%s`0x%" PRIx64, base, foff);
		return;
	}
	if (with_offset && vaddr != o->syms[lo].vaddr)
		snprintf(buf, size, "%s`%s+0x%" PRIx64, base, o->syms[lo].name,
			 vaddr - o->syms[lo].vaddr);
	else
		snprintf(buf, size, "%s`%s", base, o->syms[lo].name);
}

void kt_usym(int pid, uint64_t addr, char *buf, size_t size, bool with_offset)
{
	usym_common(pid, addr, buf, size, with_offset, false);
}

void kt_umod(int pid, uint64_t addr, char *buf, size_t size)
{
	usym_common(pid, addr, buf, size, false, true);
}
