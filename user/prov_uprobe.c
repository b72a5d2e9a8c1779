// SPDX-License-Identifier: GPL-2.0
/*
 * prov_uprobe.c: the user-level providers, both uprobes on ELF functions
 * (entry and return; the kernel places them at file offsets):
 *   pid<PID>:OBJECT:FUNCTION:   the objects mapped in the process and the
 *                               libraries its executable needs;
 *   uprobe:PATH:FUNCTION:       the ELF file at PATH, any process.
 * Function names and offsets come from elf.c's symbol walker.  The
 * objects of a process (kt_pid_objects()) serve the usdt provider too.
 * The module of pid<PID> is an object's base name (libc.so.6, a glob
 * such as libc*), or a.out for the executable, as in DTrace.
 *
 * A GNU indirect function (STT_GNU_IFUNC: glibc's strlen, memcpy...) has
 * as its symbol's value a resolver that the dynamic linker calls once to
 * choose an implementation (__strlen_avx2...), which is what the process
 * then calls.  Its probes go on that implementation: ktrace asks the
 * resolver of the same build (same GNU build-id) of the library that it
 * has loaded itself (dlsym() runs the resolver; same CPU, so the same
 * choice as the traced process, unless that one runs with GLIBC_TUNABLES
 * that change it).  When ktrace has no such library loaded, the function
 * named exactly gets an error naming the implementations the object's
 * symbol table lists, to be traced instead; a glob leaves it out.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "prov.h"
#include "kt_elf.h"

#define KT_BUILD_ID_MAX	64

/* The loaded object of ktrace itself with the traced object's build. */
struct ifunc_self {
	bool			looked;		/* the fields below are valid */
	char			name[PATH_MAX];	/* "": none */
	uintptr_t		base;
	const ElfW(Phdr)	*ph;
	int			nph;
	unsigned char		id[KT_BUILD_ID_MAX];
	size_t			idlen;
};

struct up_ctx {
	const struct kt_probespec *sp;
	struct kt_descs		*ds;
	struct kt_strmap		seen;
	const char		*prov, *mod, *path;
	int			pid;
	struct ifunc_self	self;
	char			ifunc_miss[KTRACE_FUNCNAMELEN];	/* named, not resolved */
	char			ifunc_elsewhere[PATH_MAX];	/* ... as it resolves there */
};

static int self_obj(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct ifunc_self *o = arg;
	unsigned char id[KT_BUILD_ID_MAX];
	int i;

	(void)size;
	if (!info->dlpi_name || !info->dlpi_name[0])
		return 0;	/* ktrace's executable, or the vdso */
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_NOTE &&
		    kt_elf_note_build_id((const void *)(info->dlpi_addr + ph->p_vaddr), ph->p_memsz,
					 id, sizeof(id)) == o->idlen &&
		    !memcmp(id, o->id, o->idlen)) {
			kt_cpy(o->name, sizeof(o->name), info->dlpi_name);
			o->base = info->dlpi_addr;
			o->ph = info->dlpi_phdr;
			o->nph = info->dlpi_phnum;
			return 1;
		}
	}
	return 0;
}

/*
 * The file offset of the implementation the indirect function name of
 * c->path resolves to, found through ktrace's own copy of the same build;
 * false if ktrace has none loaded.
 */
static bool ifunc_resolve(struct up_ctx *c, const char *name, uint64_t *off)
{
	struct ifunc_self *o = &c->self;
	uintptr_t vaddr;
	Dl_info info;
	void *h, *fn;
	int i;

	if (!o->looked) {
		o->looked = true;
		o->name[0] = 0;
		o->idlen = kt_elf_build_id(c->path, o->id, sizeof(o->id));
		if (o->idlen)
			dl_iterate_phdr(self_obj, o);
	}
	if (!o->name[0])
		return false;
	/* already loaded: RTLD_NOLOAD runs no constructor; dlsym runs the resolver */
	h = dlopen(o->name, RTLD_LAZY | RTLD_NOLOAD);
	if (!h)
		return false;
	fn = dlsym(h, name);
	dlclose(h);
	if (!fn)
		return false;
	vaddr = (uintptr_t)fn - o->base;
	for (i = 0; i < o->nph; i++) {
		const ElfW(Phdr) *ph = &o->ph[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && vaddr >= ph->p_vaddr &&
		    vaddr < ph->p_vaddr + ph->p_filesz) {
			*off = vaddr - ph->p_vaddr + ph->p_offset;
			return true;
		}
	}
	/* resolved into another object (gettimeofday: the vDSO) */
	if (dladdr(fn, &info) && info.dli_fname)
		kt_cpy(c->ifunc_elsewhere, sizeof(c->ifunc_elsewhere), info.dli_fname);
	else
		kt_cpy(c->ifunc_elsewhere, sizeof(c->ifunc_elsewhere), "another object");
	return false;
}

static int up_one(void *arg, const struct kt_elf_sym *s)
{
	static const char *const names[2] = { "entry", "return" };
	struct up_ctx *c = arg;
	const char *name = s->name;
	uint64_t off = s->off;
	int k;

	if (off == KT_ELF_NO_OFFSET || strlen(name) >= KTRACE_FUNCNAMELEN ||
	    !kt_glob_match(c->sp->func, name))
		return 0;
	if (s->is_ifunc && !ifunc_resolve(c, name, &off)) {
		if (c->sp->func[0] && !kt_is_glob(c->sp->func))
			kt_cpy(c->ifunc_miss, sizeof(c->ifunc_miss), name);
		return 0;
	}
	for (k = 0; k < 2; k++) {
		struct ktrace_probe_desc *d;
		char key[KTRACE_FUNCNAMELEN + 8];
		bool added;

		if (!kt_glob_match(c->sp->name, names[k]))
			continue;
		snprintf(key, sizeof(key), "%s:%s", name, names[k]);
		if (!kt_strmap_put(&c->seen, key, &added))
			return -ENOMEM;
		if (!added)
			continue;	/* .symtab and .dynsym both list it */
		d = kt_descs_new(c->ds);
		if (!d)
			return -ENOMEM;
		kt_cpy(d->provider, sizeof(d->provider), c->prov);
		kt_cpy(d->module, sizeof(d->module), c->mod);
		kt_cpy(d->function, sizeof(d->function), name);
		kt_cpy(d->name, sizeof(d->name), names[k]);
		d->addr = off;
		d->pid = c->pid;
		d->path = (uintptr_t)c->path;
	}
	return 0;
}

struct ifunc_impls {
	const char	*func;
	char		list[256];
	size_t		len;
};

/* glibc names an implementation of FUNC __FUNC_VARIANT (__strlen_avx2). */
static int impl_one(void *arg, const struct kt_elf_sym *s)
{
	struct ifunc_impls *im = arg;
	size_t fl = strlen(im->func), l = strlen(s->name);

	if (s->is_ifunc || strncmp(s->name, "__", 2) || strncmp(s->name + 2, im->func, fl) ||
	    s->name[2 + fl] != '_' || strstr(im->list, s->name) || im->len + l + 3 >= sizeof(im->list))
		return 0;
	im->len += snprintf(im->list + im->len, sizeof(im->list) - im->len, "%s%s",
			    im->len ? ", " : "", s->name);
	return 0;
}

/* The walk of one object (c->path), and the error for an unresolved indirect function. */
static int up_object(struct up_ctx *c)
{
	struct ifunc_impls im = { 0 };
	int err;

	c->self.looked = false;
	c->ifunc_miss[0] = 0;
	c->ifunc_elsewhere[0] = 0;
	err = kt_elf_funcs(c->path, up_one, c, NULL, NULL);
	if (err || !c->ifunc_miss[0])
		return err;
	if (c->ifunc_elsewhere[0]) {
		fprintf(stderr, "ktrace: %s:%s:%s: %s is an indirect function (GNU ifunc) that "
			"resolves to code in %s, where uprobes cannot be placed\n", c->prov, c->mod,
			c->ifunc_miss, c->ifunc_miss, c->ifunc_elsewhere);
		return 0;
	}
	im.func = c->ifunc_miss;
	kt_elf_funcs(c->path, impl_one, &im, NULL, NULL);
	fprintf(stderr, "ktrace: %s:%s:%s: %s is an indirect function (GNU ifunc) whose implementation "
		"is chosen at run time, and ktrace has not loaded this build of %s to resolve it; "
		"trace %s instead\n", c->prov, c->mod, c->ifunc_miss, c->ifunc_miss, c->mod,
		im.len ? im.list : "the implementation it calls (see ustack() of a caller)");
	return 0;
}

static int up_lookup(int fd, struct up_ctx *c, struct kt_catalog *out)
{
	int err = 0, first_err = 0;

	if (c->ds->n) {
		err = kt_kernel_lookup(fd, c->ds->v, c->ds->n, out, &first_err);
		if (err == 0 && first_err)
			err = first_err;
		else if (err > 0)
			err = 0;
	}
	c->ds->n = 0;
	kt_strmap_free(&c->seen);
	return err;
}

static int uprobe_expand(int fd, const struct kt_probespec *sp, struct kt_catalog *out)
{
	struct kt_descs ds = { 0 };
	struct up_ctx c = { .sp = sp, .ds = &ds, .prov = "uprobe" };
	const char *base;
	int err;

	if (!sp->mod[0] || kt_is_glob(sp->mod))
		return -EINVAL;	/* uprobe:PATH:... needs a literal path */
	c.path = sp->mod;
	base = strrchr(sp->mod, '/');
	c.mod = strlen(sp->mod) < KTRACE_MODNAMELEN ? sp->mod : (base ? base + 1 : sp->mod);
	err = up_object(&c);
	if (!err)
		err = up_lookup(fd, &c, out);
	free(ds.v);
	kt_strmap_free(&c.seen);
	return err;
}

/* A 64-bit x86 ELF file (not a 32-bit library of the same name)? */
static bool elf_is_ours(const char *path)
{
	unsigned char id[20];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, id, sizeof(id));
	close(fd);
	return n == sizeof(id) && !memcmp(id, ELFMAG, SELFMAG) && id[EI_CLASS] == ELFCLASS64 &&
	       id[18] == (EM_X86_64 & 0xff) && id[19] == (EM_X86_64 >> 8);
}

/*
 * Find library 'name' as the dynamic linker would (without its cache):
 * a name with a '/' as is, else LD_LIBRARY_PATH, the object's run path
 * ($ORIGIN is the object's directory), then the system directories.
 */
static bool find_library(const char *name, const char *runpath, const char *origin,
			 char *out, size_t size)
{
	static const char *const sysdirs =
		"/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib64:/usr/lib64:/lib:/usr/lib:"
		"/usr/local/lib/x86_64-linux-gnu:/usr/local/lib";
	const char *lists[3] = { getenv("LD_LIBRARY_PATH"), runpath, sysdirs };
	char dir[PATH_MAX];
	int k;

	if (strchr(name, '/')) {
		kt_cpy(out, size, name);
		return elf_is_ours(out);
	}
	for (k = 0; k < 3; k++) {
		const char *p = lists[k];

		while (p && *p) {
			size_t l = strcspn(p, ":");

			if (l && l < sizeof(dir)) {
				memcpy(dir, p, l);
				dir[l] = 0;
				if (!strncmp(dir, "$ORIGIN", 7) &&
				    snprintf(dir, sizeof(dir), "%s%.*s", origin, (int)(l - 7),
					     p + 7) >= (int)sizeof(dir))
					dir[0] = 0;
				if (dir[0] && snprintf(out, size, "%s/%s", dir, name) < (int)size &&
				    elf_is_ours(out))
					return true;
			}
			p += l + (p[l] == ':');
		}
	}
	return false;
}

#define PID_MAX_OBJS	128

/* Mark an object done (by its real path); false if it was already. */
static int obj_first(struct kt_strmap *done, const char *path, bool *first)
{
	char real[PATH_MAX];

	if (!realpath(path, real))
		kt_cpy(real, sizeof(real), path);
	return kt_strmap_put(done, real, first) ? 0 : -ENOMEM;
}

/*
 * The objects of process pid: those mapped, and the libraries its
 * executable needs (recursively) even when not mapped yet: stopped right
 * after exec (-c), a dynamically linked process has only its executable
 * and the dynamic linker mapped.  A uprobe on a library's inode filtered
 * on the process is installed by the kernel when the library is mapped.
 * fn gets a path to read the object from, its base name and whether it
 * is the executable (/proc/PID/exe: same device and inode).
 */
int kt_pid_objects(int pid, kt_pid_obj_fn *fn, void *arg)
{
	struct kt_strmap done = { 0 };
	char path[PATH_MAX], line[PATH_MAX + 128];
	char *queue[PID_MAX_OBJS];
	int nq = 0, qi, err = 0;
	struct stat exe;
	FILE *maps;
	bool first;

	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	if (stat(path, &exe))
		exe.st_ino = 0;
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	maps = fopen(path, "r");
	if (!maps)
		return -ESRCH;
	while (!err && fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi, ino;
		unsigned int maj, min;
		char perms[8], file[PATH_MAX], link[64];

		if (sscanf(line, "%lx-%lx %7s %*s %x:%x %lu %4095[^\n]", &lo, &hi, perms, &maj, &min,
			   &ino, file) != 7 || file[0] != '/' || perms[2] != 'x')
			continue;
		err = obj_first(&done, file, &first);
		if (err || !first)
			continue;
		if (nq < PID_MAX_OBJS)
			queue[nq++] = strdup(file);
		/* the mapped file itself, whatever the namespace (root only) */
		snprintf(link, sizeof(link), "/proc/%d/map_files/%lx-%lx", pid, lo, hi);
		err = fn(arg, access(link, R_OK) ? file : link, strrchr(file, '/') + 1,
			 exe.st_ino && ino == exe.st_ino && makedev(maj, min) == exe.st_dev);
	}
	fclose(maps);
	/* the libraries they need */
	for (qi = 0; !err && qi < nq; qi++) {
		char *need[64], runpath[PATH_MAX], origin[PATH_MAX], lib[PATH_MAX];
		int nn, k;

		if (!queue[qi])
			continue;
		kt_cpy(origin, sizeof(origin), queue[qi]);
		*strrchr(origin, '/') = 0;
		nn = kt_elf_needed(queue[qi], need, 64, runpath, sizeof(runpath));
		for (k = 0; k < nn; k++) {
			if (!err && find_library(need[k], runpath, origin, lib, sizeof(lib))) {
				err = obj_first(&done, lib, &first);
				if (!err && first) {
					if (nq < PID_MAX_OBJS)
						queue[nq++] = strdup(lib);
					err = fn(arg, lib, strrchr(lib, '/') + 1, false);
				}
			}
			free(need[k]);
		}
	}
	for (qi = 0; qi < nq; qi++)
		free(queue[qi]);
	kt_strmap_free(&done);
	return err;
}

struct pid_ctx {
	int			fd;
	struct up_ctx		*c;
	struct kt_catalog	*out;
};

bool kt_pid_mod_match(const char *pat, const char *base, bool exe)
{
	return kt_glob_match(pat, base) || (exe && kt_glob_match(pat, "a.out"));
}

static int pid_one_obj(void *arg, const char *path, const char *base, bool exe)
{
	struct pid_ctx *pc = arg;
	struct up_ctx *c = pc->c;

	if (!kt_pid_mod_match(c->sp->mod, base, exe))
		return 0;
	c->path = path;
	c->mod = base;
	if (up_object(c)) {	/* not ELF, unreadable: no probes */
		c->ds->n = 0;
		kt_strmap_free(&c->seen);
		return 0;
	}
	return up_lookup(pc->fd, c, pc->out);
}

/* pid<PID>: the functions of the process's objects (kt_pid_objects()). */
static int pid_expand(int fd, const struct kt_probespec *sp, int pid, struct kt_catalog *out)
{
	struct kt_descs ds = { 0 };
	struct up_ctx c = { .sp = sp, .ds = &ds, .pid = pid };
	struct pid_ctx pc = { .fd = fd, .c = &c, .out = out };
	char prov[KTRACE_PROVNAMELEN];
	int err;

	snprintf(prov, sizeof(prov), "pid%d", pid);
	c.prov = prov;
	err = kt_pid_objects(pid, pid_one_obj, &pc);
	free(ds.v);
	kt_strmap_free(&c.seen);
	return err;
}

static int pid_match(int fd, const struct kt_probespec *spec, struct kt_catalog *out)
{
	char *end;
	long pid = strtol(spec->prov + 3, &end, 10);

	if (*end || pid <= 0 || pid > INT32_MAX)
		return -EINVAL;
	return pid_expand(fd, spec, (int)pid, out);
}

const struct kt_provider kt_prov_pid = {
	.name		= "pid",
	.flags		= KT_PROV_NUMBERED,
	.match		= pid_match,
};
KT_PROVIDER(60, kt_prov_pid);

const struct kt_provider kt_prov_uprobe = {
	.name		= "uprobe",
	.flags		= KT_PROV_LITERAL | KT_PROV_PATH,
	.match		= uprobe_expand,
};
KT_PROVIDER(70, kt_prov_uprobe);
