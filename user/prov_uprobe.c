// SPDX-License-Identifier: GPL-2.0
/*
 * prov_uprobe.c: the user-level providers, both uprobes on ELF functions
 * (entry and return; the kernel places them at file offsets):
 *   pid<PID>:OBJECT:FUNCTION:   the objects mapped in the process and the
 *                               libraries its executable needs;
 *   uprobe:PATH:FUNCTION:       the ELF file at PATH, any process.
 * Function names and offsets come from elf.c's symbol walker.  The
 * objects of a process (kt_pid_objects()) serve the usdt provider too.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prov.h"
#include "kt_elf.h"

struct up_ctx {
	const struct kt_probespec *sp;
	struct kt_descs		*ds;
	struct kt_strmap		seen;
	const char		*prov, *mod, *path;
	int			pid;
};

static int up_one(void *arg, const struct kt_elf_sym *s)
{
	static const char *const names[2] = { "entry", "return" };
	struct up_ctx *c = arg;
	const char *name = s->name;
	int k;

	if (s->off == KT_ELF_NO_OFFSET || strlen(name) >= KTRACE_FUNCNAMELEN ||
	    !kt_glob_match(c->sp->func, name))
		return 0;
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
		d->addr = s->off;
		d->pid = c->pid;
		d->path = (uintptr_t)c->path;
	}
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
	err = kt_elf_funcs(sp->mod, up_one, &c, NULL, NULL);
	if (!err)
		err = up_lookup(fd, &c, out);
	free(ds.v);
	kt_strmap_free(&c.seen);
	return err;
}

/*
 * The DT_NEEDED names and the DT_RUNPATH (or DT_RPATH) of an ELF file.
 * Returns the number of names stored in v[max] (strdup'd), or < 0.
 */
static int elf_needed(const char *path, char **v, int max, char *runpath, size_t rsz)
{
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	int fd, n = 0;
	Elf *e;

	runpath[0] = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		n = -ENOEXEC;
		goto out;
	}
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
			} else if (dyn.d_tag == DT_RUNPATH || !runpath[0]) {
				kt_cpy(runpath, rsz, str);
			}
		}
	}
out:
	if (e)
		elf_end(e);
	close(fd);
	return n;
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
 * fn gets a path to read the object from and its base name.
 */
int kt_pid_objects(int pid, int (*fn)(void *arg, const char *path, const char *base), void *arg)
{
	struct kt_strmap done = { 0 };
	char path[PATH_MAX], line[PATH_MAX + 128];
	char *queue[PID_MAX_OBJS];
	int nq = 0, qi, err = 0;
	FILE *maps;
	bool first;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	maps = fopen(path, "r");
	if (!maps)
		return -ESRCH;
	while (!err && fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi;
		char perms[8], file[PATH_MAX], link[64];

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %4095[^\n]", &lo, &hi, perms, file) != 4 ||
		    file[0] != '/' || perms[2] != 'x')
			continue;
		err = obj_first(&done, file, &first);
		if (err || !first)
			continue;
		if (nq < PID_MAX_OBJS)
			queue[nq++] = strdup(file);
		/* the mapped file itself, whatever the namespace (root only) */
		snprintf(link, sizeof(link), "/proc/%d/map_files/%lx-%lx", pid, lo, hi);
		err = fn(arg, access(link, R_OK) ? file : link, strrchr(file, '/') + 1);
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
		nn = elf_needed(queue[qi], need, 64, runpath, sizeof(runpath));
		for (k = 0; k < nn; k++) {
			if (!err && find_library(need[k], runpath, origin, lib, sizeof(lib))) {
				err = obj_first(&done, lib, &first);
				if (!err && first) {
					if (nq < PID_MAX_OBJS)
						queue[nq++] = strdup(lib);
					err = fn(arg, lib, strrchr(lib, '/') + 1);
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

static int pid_one_obj(void *arg, const char *path, const char *base)
{
	struct pid_ctx *pc = arg;
	struct up_ctx *c = pc->c;

	if (!kt_glob_match(c->sp->mod, base))
		return 0;
	c->path = path;
	c->mod = base;
	if (kt_elf_funcs(path, up_one, c, NULL, NULL))
		return 0;
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
