// SPDX-License-Identifier: GPL-2.0
/*
 * sym.c: symbolisation for the consumer.
 *
 * Kernel: /proc/kallsyms (as root) loaded once into a table sorted by
 * address, functions and variables (not the per-CPU ones: offsets); an
 * address prints as "func+0x12" in vmlinux and "module`func+0x12" in a
 * module, or in hex when unknown.
 * User: /proc/PID/maps (cached per pid, read again while the process
 * lives when an address is not in it) gives the mapping and the file;
 * the file's ELF symbols (cached per path) give the function: "libc.so.6`malloc+0x10",
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
#include "kt_elf.h"

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
	size_t cap = 0, k = 0;
	uint64_t text_lo = UINT64_MAX;

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
		if (n < 3 || !addr || !strchr("tTwWdDbBrR", type))
			continue;
		if (strchr("tTwW", type) && addr < text_lo)
			text_lo = addr;
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
	/* per-CPU variables are offsets, not addresses: below the text, dropped */
	for (size_t i = 0; i < nksyms; i++) {
		if (ksyms[i].addr >= text_lo) {
			ksyms[k++] = ksyms[i];
			continue;
		}
		free((char *)ksyms[i].name);
		free((char *)ksyms[i].mod);
	}
	nksyms = k;
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
		snprintf(buf, size, "%s", s->mod ? s->mod : KTRACE_MOD_VMLINUX);
}

/* ----- user space ----- */

struct usym {
	uint64_t	vaddr, size;
	char		*name;
};

struct uobj {
	char		*path;
	struct usym	*syms;
	size_t		nsyms, cap;
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

static int uobj_add(void *arg, const struct kt_elf_sym *s)
{
	struct uobj *o = arg;

	if (s->is_ifunc)
		return 0;	/* its address is the resolver's, not the function's */
	if (o->nsyms == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 1024;
		struct usym *v = realloc(o->syms, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		o->syms = v;
		o->cap = cap;
	}
	o->syms[o->nsyms].vaddr = s->vaddr;
	o->syms[o->nsyms].size = s->size;
	o->syms[o->nsyms].name = strdup(s->name);
	if (o->syms[o->nsyms].name)
		o->nsyms++;
	return 0;
}

static void uobj_clear(struct uobj *o)
{
	for (size_t i = 0; i < o->nsyms; i++)
		free(o->syms[i].name);
	free(o->syms);
	free(o->ph);
	o->syms = NULL;
	o->ph = NULL;
	o->nsyms = o->cap = o->nph = 0;
}

static int uobj_read(struct uobj *o, const char *file)
{
	int err = kt_elf_funcs(file, uobj_add, o, &o->ph, &o->nph);

	if (err) {
		uobj_clear(o);
		return err;
	}
	qsort(o->syms, o->nsyms, sizeof(*o->syms), usym_cmp);
	return 0;
}

/*
 * The symbols of the object at path, opened as open_as (the process's
 * /proc/PID/map_files link while it lives) or else as path.  An object
 * that could not be read is not cached: the next lookup tries again.
 */
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
	if (!o->path || (uobj_read(o, open_as) && (open_as == path || uobj_read(o, path)))) {
		free(o->path);
		free(o);
		return NULL;
	}
	o->next = uobjs;
	uobjs = o;
	return o;
}

/*
 * The file mappings of each process seen, kept for the session (as dtrace
 * -p promises): read from /proc/PID/maps when the pid first appears, again
 * when an address is not in the cached ones and the process is still
 * there, and when the consumer is told the process is about to change
 * its image or exit (kt_upid_learn: the -c target's exec and exit, seen
 * by ptrace).  A read merges: what is mapped now replaces what it
 * overlaps, and older mappings it does not overlap (a library unloaded
 * since, the image before an exec) stay, so addresses recorded then still
 * resolve after the process has exited.
 */
struct umap {
	uint64_t	lo, hi, pgoff;
	char		*file;		/* as /proc/PID/maps names it, " (deleted)" included;
					 * NULL: anonymous, [stack], [vdso]... */
	bool		exec;		/* mapped executable */
};

struct uproc {
	int		pid;
	struct umap	*maps;
	size_t		n;
	unsigned int	gen;		/* bumped by each read */
	struct uproc	*next;
};

static struct uproc *uprocs;

#define DELETED_SUFFIX	" (deleted)"

static bool umap_push(struct umap **v, size_t *n, size_t *cap, const struct umap *m)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct umap *nv = realloc(*v, ncap * sizeof(*nv));

		if (!nv)
			return false;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = *m;
	return true;
}

static bool umaps_overlap(const struct umap *v, size_t n, const struct umap *m)
{
	for (size_t i = 0; i < n; i++)
		if (m->lo < v[i].hi && v[i].lo < m->hi)
			return true;
	return false;
}

/*
 * Re-read pid's mappings and merge them into the cache; false (the cache
 * unchanged) if the process is gone or its mappings could not be read.
 */
static bool uproc_read(struct uproc *up)
{
	char path[64], line[PATH_MAX + 128], name[PATH_MAX], perms[8];
	struct umap *v = NULL, m;
	size_t n = 0, cap = 0, fresh;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", up->pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, pgoff;

		name[0] = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %4095[^\n]", &lo, &hi, perms, &pgoff,
			   name) < 4)
			continue;
		m.lo = lo;
		m.hi = hi;
		m.pgoff = pgoff;
		m.exec = strchr(perms, 'x') != NULL;
		m.file = name[0] == '/' ? strdup(name) : NULL;	/* NULL: not a file */
		if ((name[0] == '/' && !m.file) || !umap_push(&v, &n, &cap, &m)) {
			free(m.file);
			break;
		}
	}
	fclose(f);
	if (!n && up->n) {
		/* a zombie (its memory released) has no mappings: keep what was known */
		free(v);
		return false;
	}
	fresh = n;
	for (size_t i = 0; i < up->n; i++) {
		if (umaps_overlap(v, fresh, &up->maps[i]) || !umap_push(&v, &n, &cap, &up->maps[i]))
			free(up->maps[i].file);
	}
	free(up->maps);
	up->maps = v;
	up->n = n;
	up->gen++;
	return true;
}

static struct uproc *uproc_get(int pid)
{
	struct uproc *up;

	for (up = uprocs; up; up = up->next)
		if (up->pid == pid)
			return up;
	up = calloc(1, sizeof(*up));
	if (!up)
		return NULL;
	up->pid = pid;
	uproc_read(up);
	up->next = uprocs;
	uprocs = up;
	return up;
}

void kt_upid_note(int pid)
{
	if (pid > 0)
		uproc_get(pid);
}

static struct uobj *uobj_get(const char *path, const char *open_as);

static void map_link(int pid, const struct umap *m, char *link, size_t lsize)
{
	snprintf(link, lsize, "/proc/%d/map_files/%llx-%llx", pid, (unsigned long long)m->lo,
		 (unsigned long long)m->hi);
}

static bool is_deleted(const char *file)
{
	size_t l = strlen(file), sl = strlen(DELETED_SUFFIX);

	return l > sl && !strcmp(file + l - sl, DELETED_SUFFIX);
}

void kt_upid_learn(int pid)
{
	struct uproc *up = pid > 0 ? uproc_get(pid) : NULL;
	char link[96];

	if (!up || !uproc_read(up))
		return;
	/*
	 * A deleted file can only be read through the process's map_files
	 * link, which goes with the process: read its symbols now.
	 */
	for (size_t i = 0; i < up->n; i++) {
		const struct umap *m = &up->maps[i];

		if (!m->file || !m->exec || !is_deleted(m->file))
			continue;
		map_link(pid, m, link, sizeof(link));
		if (!access(link, R_OK))
			uobj_get(m->file, link);
	}
}

static const struct umap *uproc_find(const struct uproc *up, uint64_t addr)
{
	for (size_t i = 0; i < up->n; i++)
		if (addr >= up->maps[i].lo && addr < up->maps[i].hi)
			return &up->maps[i];
	return NULL;
}

unsigned int kt_umaps(int pid, void (*fn)(void *arg, uint64_t lo, uint64_t hi, uint64_t pgoff,
					  const char *file), void *arg)
{
	struct uproc *up = pid > 0 ? uproc_get(pid) : NULL;

	if (!up)
		return 0;
	for (size_t i = 0; fn && i < up->n; i++)
		if (up->maps[i].file)
			fn(arg, up->maps[i].lo, up->maps[i].hi, up->maps[i].pgoff, up->maps[i].file);
	return up->gen;
}

bool kt_umap_refresh(int pid, uint64_t addr)
{
	struct uproc *up = pid > 0 ? uproc_get(pid) : NULL;

	if (!up)
		return false;
	if (uproc_find(up, addr))
		return true;
	return uproc_read(up) && uproc_find(up, addr);
}

/* The mapping of addr in pid: file path, file offset of addr, map range. */
static bool umap_find(int pid, uint64_t addr, char *file, size_t fsize, uint64_t *foff,
		      char *link, size_t lsize)
{
	struct uproc *up = uproc_get(pid);
	const struct umap *m;

	if (!up)
		return false;
	m = uproc_find(up, addr);
	if (!m && uproc_read(up))	/* mapped since: read again while it lives */
		m = uproc_find(up, addr);
	if (!m || !m->file)
		return false;
	snprintf(file, fsize, "%s", m->file);
	map_link(pid, m, link, lsize);
	*foff = addr - m->lo + m->pgoff;
	return true;
}

/*
 * The function of user address addr in pid: the file it is mapped from
 * (*file), its offset there, and its symbol (NULL: none covers it).
 * false: not in a file mapping.
 */
static bool usym_lookup(int pid, uint64_t addr, char *file, size_t fsize, uint64_t *foff,
			const struct usym **symp, uint64_t *vaddrp)
{
	char link[96];
	struct uobj *o;
	uint64_t vaddr = 0;
	bool have_vaddr = false;
	size_t i, lo, hi;

	*symp = NULL;
	if (pid <= 0 || !umap_find(pid, addr, file, fsize, foff, link, sizeof(link)))
		return false;
	o = uobj_get(file, access(link, R_OK) ? file : link);
	for (i = 0; o && i < o->nph; i++) {
		const GElf_Phdr *p = &o->ph[i];

		if (p->p_type == PT_LOAD && *foff >= p->p_offset &&
		    *foff < p->p_offset + p->p_filesz) {
			vaddr = *foff - p->p_offset + p->p_vaddr;
			have_vaddr = true;
			break;
		}
	}
	if (!have_vaddr || !o->nsyms || vaddr < o->syms[0].vaddr)
		return true;
	lo = 0;
	hi = o->nsyms;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->syms[mid].vaddr <= vaddr)
			lo = mid;
		else
			hi = mid;
	}
	if (o->syms[lo].size && vaddr >= o->syms[lo].vaddr + o->syms[lo].size)
		return true;
	*symp = &o->syms[lo];
	*vaddrp = vaddr;
	return true;
}

bool kt_usym_noresolve;

static void usym_common(int pid, uint64_t addr, char *buf, size_t size, bool with_offset,
			bool mod_only)
{
	const struct usym *sym;
	char file[PATH_MAX];
	const char *base;
	uint64_t foff, vaddr;

	if (!usym_lookup(pid, addr, file, sizeof(file), &foff, &sym, &vaddr)) {
		snprintf(buf, size, "0x%" PRIx64, addr);
		return;
	}
	if (is_deleted(file))
		file[strlen(file) - strlen(DELETED_SUFFIX)] = '\0';
	base = strrchr(file, '/') + 1;
	if (mod_only)
		snprintf(buf, size, "%s", base);
	else if (kt_usym_noresolve)
		snprintf(buf, size, "%s:0x%" PRIx64, base, addr - kt_umod_base(pid, addr));
	else if (!sym)
		snprintf(buf, size, "%s`0x%" PRIx64, base, foff);
	else if (with_offset && vaddr != sym->vaddr)
		snprintf(buf, size, "%s`%s+0x%" PRIx64, base, sym->name, vaddr - sym->vaddr);
	else
		snprintf(buf, size, "%s`%s", base, sym->name);
}

uint64_t kt_usym_func(int pid, uint64_t addr)
{
	const struct usym *sym;
	char file[PATH_MAX];
	uint64_t foff, vaddr;

	if (kt_usym_noresolve ||
	    !usym_lookup(pid, addr, file, sizeof(file), &foff, &sym, &vaddr) || !sym)
		return addr;
	return addr - (vaddr - sym->vaddr);
}

uint64_t kt_umod_base(int pid, uint64_t addr)
{
	struct uproc *up = pid > 0 ? uproc_get(pid) : NULL;
	const struct umap *m = up ? uproc_find(up, addr) : NULL;
	uint64_t base;

	if (!m || !m->file)
		return addr;
	base = m->lo;
	for (size_t i = 0; i < up->n; i++)
		if (up->maps[i].file && !strcmp(up->maps[i].file, m->file) && up->maps[i].lo < base)
			base = up->maps[i].lo;
	return base;
}

void kt_usym(int pid, uint64_t addr, char *buf, size_t size, bool with_offset)
{
	usym_common(pid, addr, buf, size, with_offset, false);
}

void kt_umod(int pid, uint64_t addr, char *buf, size_t size)
{
	usym_common(pid, addr, buf, size, false, true);
}
