// SPDX-License-Identifier: GPL-2.0
/*
 * prov_usdt.c: USDT, the static probes <sys/sdt.h> compiles into programs
 * and libraries (.note.stapsdt notes, read by elf.c), as DTrace names them:
 *   PROVIDER<PID>:MODULE:FUNCTION:NAME   in process PID (PROVIDER$target)
 *   PROVIDER*:::NAME  (any provider glob)  in the target of -c/-p
 *   usdt:PATH:PROVIDER:NAME               every process mapping PATH
 * MODULE is the object's base name, FUNCTION the function holding the
 * site, NAME the note's name with "__" written "-" (DTrace's convention:
 * query__start is query-start).  The sites of one probe in one function
 * are one kernel probe (KTRACE_PD_F_USDT with the sites' offsets and
 * argument specs, usdt.c); the kernel sets the probe's semaphore while
 * it is enabled.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov.h"
#include "kt_elf.h"
#include "kt_usdt.h"

/* One probe being gathered: its description and its sites. */
struct usdt_probe {
	struct ktrace_probe_desc	d;
	struct ktrace_usdt		*u;	/* header + sites (malloc'd) */
	uint32_t			cap;
	bool				warned;
};

struct usdt_ctx {
	const struct kt_probespec	*sp;
	const char			*path;		/* the object, as read */
	const char			*mod;
	int				pid;		/* 0: every process */
	struct usdt_probe		*v;
	int				n, cap;
	struct kt_strmap		index;		/* prov:func:name -> v index */
	int				fd;
	struct kt_catalog		*out;
	bool				any;		/* a note matched */
};

/* "query__start" -> "query-start" (DTrace's probe names) */
static void usdt_name(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	while (*src && n + 1 < size) {
		if (src[0] == '_' && src[1] == '_') {
			dst[n++] = '-';
			src += 2;
		} else {
			dst[n++] = *src++;
		}
	}
	dst[n] = 0;
}

static struct usdt_probe *usdt_get(struct usdt_ctx *c, const char *prov, const char *func,
				   const char *name, uint64_t sem)
{
	char key[KTRACE_PROVNAMELEN + KTRACE_FUNCNAMELEN + KTRACE_NAMELEN + 3];
	struct usdt_probe *p;
	uint64_t *slot;
	bool added;

	snprintf(key, sizeof(key), "%s:%s:%s", prov, func, name);
	slot = kt_strmap_put(&c->index, key, &added);
	if (!slot)
		return NULL;
	if (!added)
		return &c->v[*slot];
	if (c->n == c->cap) {
		int cap = c->cap ? 2 * c->cap : 16;
		struct usdt_probe *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		c->v = v;
		c->cap = cap;
	}
	*slot = c->n;
	p = &c->v[c->n++];
	memset(p, 0, sizeof(*p));
	kt_cpy(p->d.provider, sizeof(p->d.provider), prov);
	kt_cpy(p->d.module, sizeof(p->d.module), c->mod);
	kt_cpy(p->d.function, sizeof(p->d.function), func);
	kt_cpy(p->d.name, sizeof(p->d.name), name);
	p->d.flags = KTRACE_PD_F_USDT;
	p->d.pid = c->pid;
	p->d.path = (uintptr_t)c->path;
	p->u = calloc(1, sizeof(*p->u));
	if (!p->u)
		return NULL;
	p->u->size = sizeof(*p->u);
	p->u->semaphore = sem;
	return p;
}

static int usdt_site(void *arg, const struct kt_elf_usdt *e)
{
	struct usdt_ctx *c = arg;
	char prov[KTRACE_PROVNAMELEN], name[KTRACE_NAMELEN];
	const char *func = e->func ? e->func : "";
	struct ktrace_usdt_site *site;
	struct usdt_probe *p;
	int bad;

	if (c->pid)
		snprintf(prov, sizeof(prov), "%s%d", e->provider, c->pid);
	else
		kt_cpy(prov, sizeof(prov), e->provider);
	usdt_name(name, sizeof(name), e->name);
	/* usdt:PATH:PROVIDER:NAME has the provider in the function field */
	if (c->pid ? !kt_glob_match(c->sp->prov, prov) || !kt_glob_match(c->sp->func, func) :
		     !kt_glob_match(c->sp->func, e->provider))
		return 0;
	if (!kt_glob_match(c->sp->name, name) || e->pc_off == KT_ELF_NO_OFFSET ||
	    strlen(func) >= KTRACE_FUNCNAMELEN)
		return 0;
	c->any = true;
	p = usdt_get(c, prov, func, name, e->sem_off == KT_ELF_NO_OFFSET ? 0 : e->sem_off);
	if (!p)
		return -ENOMEM;
	if (p->u->nsites == KTRACE_USDT_MAXSITES) {
		fprintf(stderr, "ktrace: warning: %s:%s:%s:%s: more than %d sites; the others are not traced\n",
			prov, c->mod, func, name, KTRACE_USDT_MAXSITES);
		return 0;
	}
	if (p->u->nsites == p->cap) {
		uint32_t cap = p->cap ? 2 * p->cap : 4;
		struct ktrace_usdt *u = realloc(p->u, sizeof(*u) + cap * sizeof(*site));

		if (!u)
			return -ENOMEM;
		p->u = u;
		p->cap = cap;
	}
	site = (struct ktrace_usdt_site *)(p->u + 1) + p->u->nsites;
	bad = kt_usdt_site(e, site);
	if (bad < 0) {
		fprintf(stderr, "ktrace: warning: %s:%s:%s:%s: bad argument specs '%s'; site skipped\n",
			prov, c->mod, func, name, e->args);
		return 0;
	}
	if (bad && !p->warned) {
		fprintf(stderr, "ktrace: warning: %s:%s:%s:%s: arguments '%s': an operand ktrace cannot read reads 0\n",
			prov, c->mod, func, name, e->args);
		p->warned = true;
	}
	p->u->nsites++;
	return 0;
}

static void usdt_reset(struct usdt_ctx *c)
{
	int i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].u);
	c->n = 0;
	kt_strmap_free(&c->index);
}

/* The probes of one object: create them in the kernel (LOOKUP). */
static int usdt_object(void *arg, const char *path, const char *base, bool exe)
{
	struct usdt_ctx *c = arg;
	struct kt_descs ds = { 0 };
	int i, err, first_err = 0;

	if (c->pid && !kt_pid_mod_match(c->sp->mod, base, exe))
		return 0;
	c->path = path;
	c->mod = base;
	err = kt_elf_usdt(path, usdt_site, c);
	if (err == -ENOEXEC && c->pid)
		err = 0;	/* not ELF: no probes */
	for (i = 0; !err && i < c->n; i++) {
		struct ktrace_probe_desc *d;

		if (!c->v[i].u->nsites)
			continue;
		d = kt_descs_new(&ds);
		if (!d) {
			err = -ENOMEM;
			break;
		}
		*d = c->v[i].d;
		d->usdt = (uintptr_t)c->v[i].u;
	}
	if (!err && ds.n) {
		err = kt_kernel_lookup(c->fd, ds.v, ds.n, c->out, &first_err);
		err = err < 0 ? err : err == 0 ? first_err : 0;
	}
	free(ds.v);
	usdt_reset(c);
	return err;
}

static int usdt_pid(int fd, const struct kt_probespec *sp, int pid, struct kt_catalog *out)
{
	struct usdt_ctx c = { .sp = sp, .pid = pid, .fd = fd, .out = out };
	int err = kt_pid_objects(pid, usdt_object, &c);

	usdt_reset(&c);
	free(c.v);
	return err;
}

/* usdt:PATH:PROVIDER:NAME */
static int usdt_path(int fd, const struct kt_probespec *sp, struct kt_catalog *out)
{
	struct usdt_ctx c = { .sp = sp, .fd = fd, .out = out };
	const char *base = strrchr(sp->mod, '/');
	int err;

	if (!sp->mod[0] || kt_is_glob(sp->mod)) {
		fprintf(stderr, "ktrace: usdt:PATH:PROVIDER:NAME needs the path of a binary or library\n");
		return -EINVAL;
	}
	err = usdt_object(&c, sp->mod, base ? base + 1 : sp->mod, false);
	free(c.v);
	return err;
}

/* "PROVIDER<N>" -> N (not "pid<N>": the pid provider's); 0 if not that form. */
static int usdt_pid_of(const char *prov)
{
	size_t n = strlen(prov), k = n;

	while (k && prov[k - 1] >= '0' && prov[k - 1] <= '9')
		k--;
	if (!k || k == n || prov[k] == '0' || n - k > 9 || kt_is_glob(prov) ||
	    (k == 3 && !strncmp(prov, "pid", 3)))
		return 0;
	return atoi(prov + k);
}

static bool usdt_named(const char *prov, bool *exact)
{
	*exact = !strcmp(prov, "usdt") || usdt_pid_of(prov);
	return *exact || kt_is_glob(prov);	/* "" (BEGIN, read:entry) does not scan the target */
}

static int usdt_match(int fd, const struct kt_probespec *sp, int target, struct kt_catalog *out)
{
	int pid;

	if (!strcmp(sp->prov, "usdt"))
		return usdt_path(fd, sp, out);
	pid = usdt_pid_of(sp->prov);
	if (pid)
		return usdt_pid(fd, sp, pid, out);
	/* a provider glob: the target's probes (none without -c/-p) */
	return target > 0 ? usdt_pid(fd, sp, target, out) : 0;
}

const struct kt_provider kt_prov_usdt = {
	.name		= "usdt",
	.flags		= KT_PROV_PATH,
	.match_target	= usdt_match,
	.named		= usdt_named,
};
KT_PROVIDER(80, kt_prov_usdt);
