// SPDX-License-Identifier: GPL-2.0
/*
 * prov_fbt.c: the fbt provider's probes: every function ftrace can trace
 * (tracefs available_filter_functions) minus the kprobes blacklist and
 * ktrace's own text, entry and return; addresses from /proc/kallsyms
 * (root), checked by the kernel (sprint_symbol) when it creates a probe.
 * Return probes are capped at the module's limit (CONF max_fbt_return).
 * Arguments: the compiler types args[N] from the function's BTF.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "prov.h"

/*
 * The fbt catalogue is built from three big kernel files (in the guest:
 * ~50k lines of available_filter_functions, ~150k of /proc/kallsyms).
 * They are read with large read()s and parsed in place, one pass each,
 * with no per-line library calls; only names that pass the spec's globs
 * are kept, and kallsyms is read only when some function matched (and
 * only up to the last one whose address is still missing).
 */

#define RD_CHUNK	(1 << 20)

/*
 * The kernel's cap on fbt return probes registered at once, from its CONF;
 * 0 if the module does not say (it still refuses more with E2BIG).
 */
static uint32_t fbt_max_return(int fd)
{
	struct ktrace_conf c = { .size = sizeof(c) };

	if (ioctl(fd, KTRACE_IOC_CONF, &c) < 0 ||
	    c.size < offsetof(struct ktrace_conf, max_fbt_return) + sizeof(c.max_fbt_return))
		return 0;
	return c.max_fbt_return;
}

/* A line reader over a file read in RD_CHUNK pieces. */
struct rd {
	int	fd;
	char	*buf;
	size_t	len, pos, cap;
	bool	eof;
};

static int rd_open(struct rd *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0)
		return -errno;
	r->cap = RD_CHUNK + 1;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		close(r->fd);
		return -ENOMEM;
	}
	return 0;
}

static void rd_close(struct rd *r)
{
	free(r->buf);
	if (r->fd >= 0)
		close(r->fd);
	r->buf = NULL;
	r->fd = -1;
}

/* The next line, NUL-terminated without its '\n'; NULL at the end. */
static char *rd_line(struct rd *r)
{
	for (;;) {
		char *start = r->buf + r->pos;
		char *nl = memchr(start, '\n', r->len - r->pos);
		ssize_t n;

		if (nl) {
			*nl = 0;
			r->pos = nl + 1 - r->buf;
			return start;
		}
		if (r->eof) {
			if (r->pos == r->len)
				return NULL;
			r->buf[r->len] = 0;	/* a last line without '\n' */
			r->pos = r->len;
			return start;
		}
		/* keep the partial line, make room for a chunk */
		memmove(r->buf, start, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
		if (r->cap - 1 - r->len < RD_CHUNK / 2) {
			char *nb = realloc(r->buf, 2 * r->cap);

			if (!nb)
				return NULL;
			r->buf = nb;
			r->cap *= 2;
		}
		n = read(r->fd, r->buf + r->len, r->cap - 1 - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			r->eof = true;
		else
			r->len += n;
	}
}

/* "func" or "func [mod]" (available_filter_functions, kallsyms tails). */
static void split_func_mod(char *line, char **func, const char **mod)
{
	char *p = line, *br;

	*func = line;
	*mod = KTRACE_MOD_VMLINUX;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (!*p)
		return;
	*p++ = 0;
	br = strchr(p, '[');
	if (br) {
		*mod = br + 1;
		p = br + 1;
		while (*p && *p != ']')
			p++;
		*p = 0;
	}
}

/* One matched function: names point into fbt_set.names. */
struct fbt_fn {
	const char	*func, *mod;
	uint64_t	addr;
	bool		denied;		/* kprobes/blacklist */
};

/* The matched functions with an open-addressing index by (mod, func). */
struct fbt_set {
	struct fbt_fn	*v;
	int		n, cap;
	int		*idx;		/* slot -> v index + 1, 0 empty */
	size_t		icap;
	char		*names;		/* arena of "func\0mod\0" */
	size_t		nlen, ncap;
};

static uint64_t fn_hash(const char *func, const char *mod)
{
	uint64_t h = 1469598103934665603ULL;

	while (*func)
		h = (h ^ (unsigned char)*func++) * 1099511628211ULL;
	h = (h ^ ':') * 1099511628211ULL;
	while (*mod)
		h = (h ^ (unsigned char)*mod++) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static struct fbt_fn *fbt_set_get(const struct fbt_set *fs, const char *func, const char *mod)
{
	size_t i;

	if (!fs->icap)
		return NULL;
	for (i = fn_hash(func, mod) & (fs->icap - 1); fs->idx[i]; i = (i + 1) & (fs->icap - 1)) {
		struct fbt_fn *f = &fs->v[fs->idx[i] - 1];

		if (!strcmp(f->func, func) && !strcmp(f->mod, mod))
			return f;
	}
	return NULL;
}

static int fbt_set_grow_index(struct fbt_set *fs)
{
	size_t icap = fs->icap ? 2 * fs->icap : 1024, j;
	int *idx = calloc(icap, sizeof(*idx)), k;

	if (!idx)
		return -ENOMEM;
	for (k = 0; k < fs->n; k++) {
		for (j = fn_hash(fs->v[k].func, fs->v[k].mod) & (icap - 1); idx[j];
		     j = (j + 1) & (icap - 1))
			;
		idx[j] = k + 1;
	}
	free(fs->idx);
	fs->idx = idx;
	fs->icap = icap;
	return 0;
}

/* Add (func, mod) unless present (names are copied into the arena). */
static int fbt_set_add(struct fbt_set *fs, const char *func, const char *mod)
{
	size_t fl = strlen(func) + 1, ml = strlen(mod) + 1, i;
	struct fbt_fn *f;

	if (fbt_set_get(fs, func, mod))
		return 0;	/* same name twice (static functions): one probe */
	if ((size_t)(fs->n + 1) * 2 > fs->icap && fbt_set_grow_index(fs))
		return -ENOMEM;
	if (fs->n == fs->cap) {
		int cap = fs->cap ? 2 * fs->cap : 256;
		struct fbt_fn *v = realloc(fs->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		fs->v = v;
		fs->cap = cap;
	}
	if (fs->nlen + fl + ml > fs->ncap) {
		size_t ncap = fs->ncap ? 2 * fs->ncap : 65536;
		char *nb, *old = fs->names;
		int k;

		while (ncap < fs->nlen + fl + ml)
			ncap *= 2;
		nb = realloc(fs->names, ncap);
		if (!nb)
			return -ENOMEM;
		for (k = 0; k < fs->n; k++) {	/* rebase the names */
			fs->v[k].func = nb + (fs->v[k].func - old);
			fs->v[k].mod = nb + (fs->v[k].mod - old);
		}
		fs->names = nb;
		fs->ncap = ncap;
	}
	f = &fs->v[fs->n];
	memcpy(fs->names + fs->nlen, func, fl);
	f->func = fs->names + fs->nlen;
	memcpy(fs->names + fs->nlen + fl, mod, ml);
	f->mod = fs->names + fs->nlen + fl;
	fs->nlen += fl + ml;
	f->addr = 0;
	f->denied = false;
	for (i = fn_hash(func, mod) & (fs->icap - 1); fs->idx[i]; i = (i + 1) & (fs->icap - 1))
		;
	fs->idx[i] = ++fs->n;
	return 0;
}

static void fbt_set_free(struct fbt_set *fs)
{
	free(fs->v);
	free(fs->idx);
	free(fs->names);
	memset(fs, 0, sizeof(*fs));
}

/* available_filter_functions, filtered by the spec's module and function. */
static int fbt_read_functions(const struct kt_probespec *sp, struct fbt_set *fs)
{
	bool any_mod = !sp || !sp->mod[0] || !strcmp(sp->mod, "*");
	bool any_func = !sp || !sp->func[0] || !strcmp(sp->func, "*");
	struct rd r;
	char *line;
	int err;

	err = rd_open(&r, TRACEFS "/available_filter_functions");
	if (err)
		return err;
	while ((line = rd_line(&r))) {
		const char *mod;
		char *func;

		split_func_mod(line, &func, &mod);
		if (!*func || strchr(func, '.'))
			continue;	/* "func.cold" etc. are not functions of their own */
		if (!strncmp(func, "__ftrace_invalid_address__", 26))
			continue;	/* a dropped weak function's record, no function */
		if (mod[0] == 'k' && !strcmp(mod, "ktrace"))
			continue;	/* the kernel refuses ktrace's own text */
		if ((!any_func && !kt_glob_match(sp->func, func)) ||
		    (!any_mod && !kt_glob_match(sp->mod, mod)))
			continue;
		err = fbt_set_add(fs, func, mod);
		if (err)
			break;
	}
	rd_close(&r);
	return err;
}

/* Mark the matched functions in /sys/kernel/debug/kprobes/blacklist. */
static void fbt_read_blacklist(struct fbt_set *fs)
{
	struct rd r;
	char *line;

	if (rd_open(&r, "/sys/kernel/debug/kprobes/blacklist"))
		return;
	while ((line = rd_line(&r))) {
		/* "0xstart-0xend\tsym [mod]" */
		char *sym = strchr(line, '\t'), *func;
		const char *mod;
		struct fbt_fn *f;

		if (!sym)
			sym = strchr(line, ' ');
		if (!sym)
			continue;
		split_func_mod(sym + 1, &func, &mod);
		f = fbt_set_get(fs, func, mod);
		if (f)
			f->denied = true;
	}
	rd_close(&r);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * The first text address kallsyms gives for each wanted function.  Stops
 * reading once every one has an address.  -EPERM when kallsyms shows
 * only zeros (kptr_restrict, not root).
 */
static int fbt_read_kallsyms(struct fbt_set *fs, int nwant)
{
	bool zero = true;
	struct rd r;
	char *line;
	int err;

	err = rd_open(&r, "/proc/kallsyms");
	if (err)
		return err;
	while (nwant > 0 && (line = rd_line(&r))) {
		uint64_t addr = 0;
		const char *mod;
		char *p = line, *func;
		struct fbt_fn *f;
		int h;

		while ((h = hexval(*p)) >= 0) {
			addr = addr << 4 | h;
			p++;
		}
		/* "addr T name[\t[mod]]": text, or a weak function (W) */
		if (p[0] != ' ' || ((p[1] | 0x20) != 't' && (p[1] | 0x20) != 'w') || p[2] != ' ')
			continue;
		if (!addr)
			continue;
		zero = false;
		split_func_mod(p + 3, &func, &mod);
		f = fbt_set_get(fs, func, mod);
		if (f && !f->addr && !f->denied) {
			f->addr = addr;
			nwant--;
		}
	}
	rd_close(&r);
	return zero && nwant > 0 ? -EPERM : 0;
}

/*
 * The whole catalogue, for a program naming many fbt descriptions (a
 * generated list of functions): reading the three files once per
 * description costs ~0.5 s each under TCG, so from the second description
 * of one resolution on, every function is read once (blacklist marks and
 * kallsyms addresses included) and each description is filtered from
 * memory, an exact module:function by one lookup.  A single description
 * keeps the cheaper filtered read.  Dropped when the resolution ends
 * (fbt_match_done), so a long-lived process sees modules loaded later.
 */
static struct fbt_set fbt_all;
static int fbt_nmatch;			/* descriptions matched in this resolution */
static bool fbt_all_built, fbt_all_failed;

static int fbt_all_build(void)
{
	int err = fbt_read_functions(NULL, &fbt_all), i, n = 0;

	if (err)
		return err;
	fbt_read_blacklist(&fbt_all);
	for (i = 0; i < fbt_all.n; i++)
		n += !fbt_all.v[i].denied;
	return fbt_read_kallsyms(&fbt_all, n);
}

/* Is the whole catalogue there to filter from (built on the second call)? */
static bool fbt_all_ready(void)
{
	if (fbt_all_built)
		return true;
	if (fbt_all_failed || ++fbt_nmatch < 2)
		return false;
	if (fbt_all_build()) {
		fbt_set_free(&fbt_all);
		fbt_all_failed = true;	/* the per-description reads say why */
		return false;
	}
	fbt_all_built = true;
	return true;
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[\\") != NULL;
}

static int fbt_all_copy(struct fbt_set *fs, const struct fbt_fn *f)
{
	int err = fbt_set_add(fs, f->func, f->mod);
	struct fbt_fn *c;

	if (err)
		return err;
	c = fbt_set_get(fs, f->func, f->mod);
	c->addr = f->addr;
	c->denied = f->denied;
	return 0;
}

/* The functions of fbt_all that sp's module and function match, into fs. */
static int fbt_all_filter(const struct kt_probespec *sp, struct fbt_set *fs)
{
	const struct fbt_fn *f;
	int i, err = 0;

	if (sp && sp->mod[0] && sp->func[0] && !has_glob(sp->mod) && !has_glob(sp->func)) {
		f = fbt_set_get(&fbt_all, sp->func, sp->mod);
		return f ? fbt_all_copy(fs, f) : 0;
	}
	for (i = 0; !err && i < fbt_all.n; i++) {
		f = &fbt_all.v[i];
		if (!sp || (kt_glob_match(sp->func, f->func) && kt_glob_match(sp->mod, f->mod)))
			err = fbt_all_copy(fs, f);
	}
	return err;
}

static void fbt_match_done(void)
{
	fbt_set_free(&fbt_all);
	fbt_nmatch = 0;
	fbt_all_built = fbt_all_failed = false;
}

static int fn_cmp(const void *a, const void *b)
{
	const struct fbt_fn *x = a, *y = b;

	return strcmp(x->mod, y->mod) ?: strcmp(x->func, y->func);
}

/*
 * fbt probes matching sp.  create: LOOKUP them (the kernel creates them),
 * appending the ones it accepts to out (if non-NULL); to_enable: refuse
 * more return probes than the kernel can enable.  !create (listing): append
 * them with id 0, sorted by module, function and name, skipping those in
 * skip ("fbt:mod:func:name").
 */
static int fbt_expand(int fd, const struct kt_probespec *sp, struct kt_catalog *out,
		      bool create, bool to_enable, const struct kt_strmap *skip)
{
	static const char *const names[2] = { "entry", "return" };
	struct fbt_set fs = { 0 };
	struct kt_descs ds = { 0 };
	bool want[2], cached;
	uint32_t maxret;
	int err, i, k, nwant = 0, first_err = 0;

	for (k = 0; k < 2; k++)
		want[k] = !sp || kt_glob_match(sp->name, names[k]);
	if (!want[0] && !want[1])
		return 0;
	cached = create && to_enable && fbt_all_ready();
	err = cached ? fbt_all_filter(sp, &fs) : fbt_read_functions(sp, &fs);
	if (err || !fs.n)
		goto out;
	if (!cached)
		fbt_read_blacklist(&fs);
	for (i = 0; i < fs.n; i++)
		nwant += !fs.v[i].denied;
	maxret = to_enable && want[1] ? fbt_max_return(fd) : 0;
	if (maxret && (uint32_t)nwant > maxret) {
		fprintf(stderr, "ktrace: %s:%s:%s:%s matches %d functions: at most %u fbt return probes can be enabled at once (each is a kretprobe); narrow the description or use :entry\n",
			sp ? sp->prov : "", sp ? sp->mod : "", sp ? sp->func : "", sp ? sp->name : "",
			nwant, maxret);
		err = -E2BIG;
		goto out;
	}
	if (create && nwant && !cached) {
		err = fbt_read_kallsyms(&fs, nwant);
		if (err)
			goto out;
	}
	if (!create)
		qsort(fs.v, fs.n, sizeof(*fs.v), fn_cmp);	/* fs's index is stale now */
	for (i = 0; i < fs.n; i++) {
		const struct fbt_fn *f = &fs.v[i];

		if (f->denied || (create && !f->addr))
			continue;
		for (k = 0; k < 2; k++) {
			struct ktrace_probe_desc dl, *d = &dl;

			if (!want[k])
				continue;
			if (create) {
				d = kt_descs_new(&ds);
				if (!d) {
					err = -ENOMEM;
					goto out;
				}
			} else {
				memset(d, 0, sizeof(*d));
			}
			memcpy(d->provider, "fbt", 4);
			kt_cpy(d->module, sizeof(d->module), f->mod);
			kt_cpy(d->function, sizeof(d->function), f->func);
			memcpy(d->name, names[k], strlen(names[k]) + 1);
			d->addr = f->addr;
			if (!create && skip && skip->n) {
				char key[512];

				snprintf(key, sizeof(key), "fbt:%s:%s:%s", d->module, d->function, d->name);
				if (kt_strmap_get(skip, key))
					continue;
			}
			if (!create) {
				err = kt_cat_add(out, d);
				if (err)
					goto out;
			}
		}
	}
	if (create && ds.n) {
		err = kt_kernel_lookup(fd, ds.v, ds.n, out, &first_err);
		if (err >= 0)
			err = 0;
	}
out:
	free(ds.v);
	fbt_set_free(&fs);
	return err;
}

static int fbt_match(int fd, const struct kt_probespec *spec, struct kt_catalog *out)
{
	return fbt_expand(fd, spec, out, true, true, NULL);
}

/* -l DESCRIPTION: the functions it names are created, so they show their ids */
static int fbt_list_prepare(int fd, const struct kt_probespec *filter)
{
	return filter ? fbt_expand(fd, filter, NULL, true, false, NULL) : 0;
}

static int fbt_list_more(int fd, const struct kt_probespec *filter, struct kt_catalog *out,
			 const struct kt_strmap *have)
{
	return fbt_expand(fd, filter, out, false, false, have);
}

const struct kt_provider kt_prov_fbt = {
	.name		= "fbt",
	.flags		= KT_PROV_BTF_ARGS,
	.match		= fbt_match,
	.match_done	= fbt_match_done,
	.list_prepare	= fbt_list_prepare,
	.list_more	= fbt_list_more,
	.attr		= (const struct kt_attr[KT_ATTR_NPARTS]) {
		KT_ATTR(EVOLVING, EVOLVING, ISA), KT_ATTR(PRIVATE, PRIVATE, UNKNOWN),
		KT_ATTR(PRIVATE, PRIVATE, UNKNOWN), KT_ATTR(EVOLVING, EVOLVING, ISA),
		KT_ATTR(PRIVATE, PRIVATE, ISA) },
};
KT_PROVIDER(50, kt_prov_fbt);
