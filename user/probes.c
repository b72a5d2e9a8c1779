// SPDX-License-Identifier: GPL-2.0
/*
 * probes.c: the probe catalogue.  Expands probe specifications into
 * kernel probe ids, lists probes for `ktrace -l`, and reads tracepoint
 * record layouts for the compiler.
 *
 * Where probes come from:
 *   syscall, profile, dtrace   the kernel's registry (KTRACE_PROBE_LIST);
 *                              profile rates not in the default set are
 *                              created by LOOKUP when named literally.
 *   tracepoint                 tracefs available_events, LOOKUP'd (the
 *                              kernel verifies the event and its id).
 *   fbt                        tracefs available_filter_functions minus
 *                              debugfs kprobes/blacklist (and minus
 *                              ktrace's own text); addresses from
 *                              /proc/kallsyms (root); LOOKUP'd in batches.
 *                              Read in big chunks and filtered on the fly
 *                              (see "fbt" below); return probes capped at
 *                              the module's limit (CONF max_fbt_return).
 *   pid<PID>, uprobe           ELF symbol tables (libelf) of the process's
 *                              executable and mapped objects, or of the
 *                              given path; symbol value -> file offset
 *                              through the program headers.
 * `ktrace -l` lists fbt functions without creating kernel probes (that
 * would cost a kernel allocation per function): those not created yet
 * are listed with id 0.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kt_user.h"

#define TRACEFS		"/sys/kernel/tracing"
#define LOOKUP_BATCH	4096	/* descs per LIST/LOOKUP ioctl */

/* ------------------------------------------------------------------ */
/* globs                                                               */
/* ------------------------------------------------------------------ */

static bool is_glob(const char *s)
{
	return strpbrk(s, "*?[\\") != NULL;
}

/* [...] at *pp (after the '['); advances *pp past ']'. -1: malformed. */
static int glob_class(const char **pp, char c)
{
	const char *p = *pp;
	bool neg = false, hit = false;

	if (*p == '!' || *p == '^') {
		neg = true;
		p++;
	}
	if (*p == ']') {	/* a leading ']' is literal */
		hit |= c == ']';
		p++;
	}
	for (; *p && *p != ']'; p++) {
		char lo = *p, hi;

		if (lo == '\\' && p[1])
			lo = *++p;
		hi = lo;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = p[2];
			p += 2;
		}
		if (c >= lo && c <= hi)
			hit = true;
	}
	if (*p != ']')
		return -1;
	*pp = p + 1;
	return hit != neg;
}

bool kt_glob_match(const char *pat, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;

	if (!pat || !*pat)
		return true;	/* an empty field matches anything */
	while (*s) {
		const char *p = pat;
		int m;

		switch (*pat) {
		case '*':
			star_p = ++pat;
			star_s = s;
			continue;
		case '?':
			pat++;
			s++;
			continue;
		case '[':
			p = pat + 1;
			m = glob_class(&p, *s);
			if (m < 0)
				goto literal;
			if (m) {
				pat = p;
				s++;
				continue;
			}
			goto backtrack;
		case '\\':
			if (pat[1])
				p = pat + 1;
			if (*p == *s) {
				pat = p + 1;
				s++;
				continue;
			}
			goto backtrack;
		default:
literal:
			if (*pat == *s) {
				pat++;
				s++;
				continue;
			}
		}
backtrack:
		if (!star_p)
			return false;
		pat = star_p;
		s = ++star_s;
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

/* ------------------------------------------------------------------ */
/* catalogue and kernel queries                                         */
/* ------------------------------------------------------------------ */

static int cat_add(struct kt_catalog *c, const struct ktrace_probe_desc *d)
{
	if (c->n == c->cap) {
		int cap = c->cap ? 2 * c->cap : 256;
		struct kt_probe *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n].d = *d;
	c->v[c->n].d.path = 0;
	c->n++;
	return 0;
}

void kt_catalog_free(struct kt_catalog *c)
{
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

static bool spec_match(const struct kt_probespec *sp, const struct ktrace_probe_desc *d)
{
	return !sp || (kt_glob_match(sp->prov, d->provider) && kt_glob_match(sp->mod, d->module) &&
		       kt_glob_match(sp->func, d->function) && kt_glob_match(sp->name, d->name));
}

static bool spec_may_be(const struct kt_probespec *sp, const char *prov)
{
	return !sp || kt_glob_match(sp->prov, prov);
}

/* Every probe the kernel knows, filtered. */
static int kernel_list(int fd, const struct kt_probespec *sp, struct kt_catalog *out)
{
	struct ktrace_probe_desc *v = calloc(LOOKUP_BATCH, sizeof(*v));
	struct ktrace_probe_query q;
	uint32_t start = 1;
	int i, err = 0;

	if (!v)
		return -ENOMEM;
	do {
		memset(&q, 0, sizeof(q));
		q.size = sizeof(q);
		q.op = KTRACE_PROBE_LIST;
		q.start = start;
		q.count = LOOKUP_BATCH;
		q.descs = (uintptr_t)v;
		q.desc_size = sizeof(*v);
		if (ioctl(fd, KTRACE_IOC_PROBES, &q) < 0) {
			err = -errno;
			break;
		}
		for (i = 0; i < (int)q.count && !err; i++)
			if (spec_match(sp, &v[i]))
				err = cat_add(out, &v[i]);
		start = q.next;
	} while (start && !err);
	free(v);
	return err;
}

/*
 * LOOKUP n descs; the ones the kernel accepts are appended to out (if
 * non-NULL).  Per-desc errors are skipped; returns the number accepted
 * or a negative errno when the ioctl itself fails.  *first_err gets the
 * first per-desc error.
 */
static int kernel_lookup(int fd, struct ktrace_probe_desc *v, int n, struct kt_catalog *out,
			 int *first_err)
{
	struct ktrace_probe_query q;
	int done = 0, i, ok = 0;
	int32_t *errs = calloc(n > 0 && n < LOOKUP_BATCH ? n : LOOKUP_BATCH, sizeof(*errs));

	if (!errs)
		return -ENOMEM;
	while (done < n) {
		int cnt = n - done < LOOKUP_BATCH ? n - done : LOOKUP_BATCH;

		memset(&q, 0, sizeof(q));
		q.size = sizeof(q);
		q.op = KTRACE_PROBE_LOOKUP;
		q.count = cnt;
		q.descs = (uintptr_t)(v + done);
		q.desc_size = sizeof(*v);
		q.errors = (uintptr_t)errs;
		if (ioctl(fd, KTRACE_IOC_PROBES, &q) < 0) {
			ok = -errno;
			break;
		}
		for (i = 0; i < cnt; i++) {
			if (errs[i]) {
				if (first_err && !*first_err)
					*first_err = errs[i];
				continue;
			}
			ok++;
			if (out && cat_add(out, &v[done + i])) {
				ok = -ENOMEM;
				goto out;
			}
		}
		done += cnt;
	}
out:
	free(errs);
	return ok;
}

/* A growable desc array for LOOKUP batches. */
struct descs {
	struct ktrace_probe_desc *v;
	int n, cap;
};

static struct ktrace_probe_desc *descs_new(struct descs *ds)
{
	if (ds->n == ds->cap) {
		int cap = ds->cap ? 2 * ds->cap : 256;
		struct ktrace_probe_desc *v = realloc(ds->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		ds->v = v;
		ds->cap = cap;
	}
	memset(&ds->v[ds->n], 0, sizeof(ds->v[0]));
	return &ds->v[ds->n++];
}

/* Copy a name into a desc field (names too long for it are cut: the kernel
 * then refuses or does not find them). */
static void cpy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* ------------------------------------------------------------------ */
/* a small string -> u64 hash (kallsyms, blacklist, de-duplication)     */
/* ------------------------------------------------------------------ */

struct strmap {
	char		**keys;
	uint64_t	*vals;
	size_t		cap, n;
};

static uint64_t strhash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int strmap_grow(struct strmap *m);

/* Insert key (copied) unless present; returns the slot's value pointer. */
static uint64_t *strmap_put(struct strmap *m, const char *key, bool *added)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap && strmap_grow(m))
		return NULL;
	for (i = strhash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->keys[i], key)) {
			if (added)
				*added = false;
			return &m->vals[i];
		}
	m->keys[i] = strdup(key);
	if (!m->keys[i])
		return NULL;
	m->vals[i] = 0;
	m->n++;
	if (added)
		*added = true;
	return &m->vals[i];
}

static uint64_t *strmap_get(const struct strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = strhash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->keys[i], key))
			return &m->vals[i];
	return NULL;
}

static int strmap_grow(struct strmap *m)
{
	struct strmap nm = { 0 };
	size_t i;

	nm.cap = m->cap ? m->cap * 2 : 1024;
	nm.keys = calloc(nm.cap, sizeof(*nm.keys));
	nm.vals = calloc(nm.cap, sizeof(*nm.vals));
	if (!nm.keys || !nm.vals) {
		free(nm.keys);
		free(nm.vals);
		return -ENOMEM;
	}
	for (i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->keys[i])
			continue;
		for (j = strhash(m->keys[i]) & (nm.cap - 1); nm.keys[j]; j = (j + 1) & (nm.cap - 1))
			;
		nm.keys[j] = m->keys[i];
		nm.vals[j] = m->vals[i];
		nm.n++;
	}
	free(m->keys);
	free(m->vals);
	*m = nm;
	return 0;
}

static void strmap_free(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------------------ */
/* fbt                                                                  */
/* ------------------------------------------------------------------ */

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
	*mod = "vmlinux";
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

static int fn_cmp(const void *a, const void *b)
{
	const struct fbt_fn *x = a, *y = b;

	return strcmp(x->mod, y->mod) ?: strcmp(x->func, y->func);
}

/*
 * fbt probes matching sp.  create: LOOKUP them (the kernel creates them),
 * appending the ones it accepts to out.  !create (listing): append them
 * with id 0, sorted by module, function and name, skipping those in
 * skip ("mod:func:name").
 */
static int fbt_expand(int fd, const struct kt_probespec *sp, struct kt_catalog *out,
		      bool create, const struct strmap *skip)
{
	static const char *const names[2] = { "entry", "return" };
	struct fbt_set fs = { 0 };
	struct descs ds = { 0 };
	bool want[2];
	uint32_t maxret;
	int err, i, k, nwant = 0, first_err = 0;

	for (k = 0; k < 2; k++)
		want[k] = !sp || kt_glob_match(sp->name, names[k]);
	if (!want[0] && !want[1])
		return 0;
	err = fbt_read_functions(sp, &fs);
	if (err || !fs.n)
		goto out;
	fbt_read_blacklist(&fs);
	for (i = 0; i < fs.n; i++)
		nwant += !fs.v[i].denied;
	maxret = create && want[1] ? fbt_max_return(fd) : 0;
	if (maxret && (uint32_t)nwant > maxret) {
		fprintf(stderr, "ktrace: %s:%s:%s:%s matches %d functions: at most %u fbt return probes can be enabled at once (each is a kretprobe); narrow the description or use :entry\n",
			sp ? sp->prov : "", sp ? sp->mod : "", sp ? sp->func : "", sp ? sp->name : "",
			nwant, maxret);
		err = -E2BIG;
		goto out;
	}
	if (create && nwant) {
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
				d = descs_new(&ds);
				if (!d) {
					err = -ENOMEM;
					goto out;
				}
			} else {
				memset(d, 0, sizeof(*d));
			}
			memcpy(d->provider, "fbt", 4);
			cpy(d->module, sizeof(d->module), f->mod);
			cpy(d->function, sizeof(d->function), f->func);
			memcpy(d->name, names[k], strlen(names[k]) + 1);
			d->addr = f->addr;
			if (!create && skip && skip->n) {
				char key[512];

				snprintf(key, sizeof(key), "%s:%s:%s", d->module, d->function, d->name);
				if (strmap_get(skip, key))
					continue;
			}
			if (!create) {
				err = cat_add(out, d);
				if (err)
					goto out;
			}
		}
	}
	if (create && ds.n) {
		err = kernel_lookup(fd, ds.v, ds.n, out, &first_err);
		if (err >= 0)
			err = 0;
	}
out:
	free(ds.v);
	fbt_set_free(&fs);
	return err;
}

/* ------------------------------------------------------------------ */
/* tracepoints                                                          */
/* ------------------------------------------------------------------ */

static int tp_expand(int fd, const struct kt_probespec *sp, struct kt_catalog *out)
{
	FILE *f = fopen(TRACEFS "/available_events", "r");
	struct descs ds = { 0 };
	char line[512];
	int err = 0;

	if (!f)
		return -errno;
	if (sp && sp->func[0] && !kt_glob_match(sp->func, "")) {
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		char *ev = strchr(line, ':');
		struct ktrace_probe_desc *d;

		if (!ev)
			continue;
		*ev++ = 0;
		ev[strcspn(ev, "\n")] = 0;
		if (sp && (!kt_glob_match(sp->mod, line) || !kt_glob_match(sp->name, ev)))
			continue;
		d = descs_new(&ds);
		if (!d) {
			err = -ENOMEM;
			break;
		}
		cpy(d->provider, sizeof(d->provider), "tracepoint");
		cpy(d->module, sizeof(d->module), line);
		cpy(d->name, sizeof(d->name), ev);
	}
	fclose(f);
	if (!err && ds.n) {
		err = kernel_lookup(fd, ds.v, ds.n, out, NULL);
		if (err > 0)
			err = 0;
	}
	free(ds.v);
	return err;
}

/*
 * One "field:" declaration of a format file: "TYPE NAME", "TYPE NAME[N]"
 * (fixed array) or "__data_loc TYPE[] NAME" (variable length: the field is
 * a u32 holding offset | length << 16 of the data, relative to the record
 * start).  The brackets are after the name in the first form and after the
 * type in the second, so they are taken out wherever they are; the name is
 * the last identifier left and the type (the element type of an array) is
 * what precedes it.
 */
static void tp_parse_decl(char *decl, struct kt_tp_field *fl)
{
	char *br, *end, *name;

	while (isspace((unsigned char)*decl))
		decl++;
	if (!strncmp(decl, "__data_loc ", 11)) {
		fl->is_data_loc = true;
		decl += 11;
	}
	while ((br = strchr(decl, '['))) {
		end = strchr(br, ']');
		fl->is_array = true;
		if (!end) {
			*br = 0;
			break;
		}
		memmove(br, end + 1, strlen(end + 1) + 1);
	}
	name = decl + strlen(decl);
	while (name > decl && isspace((unsigned char)name[-1]))
		*--name = 0;
	while (name > decl && (isalnum((unsigned char)name[-1]) || name[-1] == '_'))
		name--;
	cpy(fl->name, sizeof(fl->name), name);
	*name = 0;
	while (name > decl && isspace((unsigned char)name[-1]))
		*--name = 0;
	cpy(fl->type, sizeof(fl->type), decl);
	fl->is_string = fl->is_array &&
			(!strcmp(decl, "char") || !strcmp(decl, "const char"));
	if (fl->is_data_loc)	/* no fixed bounds: is_array means "NAME[N]" */
		fl->is_array = false;
}

int kt_tp_format(void *ctx, const char *subsys, const char *event,
		 struct kt_tp_field **fieldsp, int *np)
{
	struct kt_tp_field *v = NULL;
	char path[PATH_MAX], line[1024];
	int n = 0, cap = 0;
	FILE *f;

	(void)ctx;
	if (strchr(subsys, '/') || strchr(event, '/') || !*subsys || !*event)
		return -EINVAL;
	snprintf(path, sizeof(path), TRACEFS "/events/%s/%s/format", subsys, event);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *decl = strstr(line, "field:"), *semi;
		int off, size, sgn;
		struct kt_tp_field *fl;
		char *o, *s, *g;

		if (!decl)
			continue;
		decl += 6;
		semi = strchr(decl, ';');
		o = strstr(line, "offset:");
		s = strstr(line, "size:");
		g = strstr(line, "signed:");
		if (!semi || !o || !s || !g || sscanf(o, "offset:%d", &off) != 1 ||
		    sscanf(s, "size:%d", &size) != 1 || sscanf(g, "signed:%d", &sgn) != 1)
			continue;
		*semi = 0;
		if (n == cap) {
			struct kt_tp_field *nv;

			cap = cap ? 2 * cap : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				fclose(f);
				return -ENOMEM;
			}
			v = nv;
		}
		fl = &v[n];
		memset(fl, 0, sizeof(*fl));
		fl->offset = off;
		fl->size = size;
		fl->is_signed = sgn;
		tp_parse_decl(decl, fl);
		if (fl->name[0])
			n++;
	}
	fclose(f);
	*fieldsp = v;
	*np = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* pid / uprobe: ELF symbols                                            */
/* ------------------------------------------------------------------ */

/* Call fn for every defined function symbol of the ELF file at path. */
static int elf_funcs(const char *path,
		     int (*fn)(void *arg, const char *name, uint64_t off), void *arg)
{
	Elf *e;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	size_t nph, i;
	GElf_Phdr *ph = NULL;
	int fd, err = 0;

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
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(data, k, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    sym.st_shndx == SHN_UNDEF || !sym.st_value)
				continue;
			name = elf_strptr(e, sh.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			for (i = 0; i < nph; i++) {
				if (ph[i].p_type == PT_LOAD && sym.st_value >= ph[i].p_vaddr &&
				    sym.st_value < ph[i].p_vaddr + ph[i].p_filesz) {
					err = fn(arg, name, sym.st_value - ph[i].p_vaddr + ph[i].p_offset);
					break;
				}
			}
		}
	}
out:
	free(ph);
	if (e)
		elf_end(e);
	close(fd);
	return err;
}

struct up_ctx {
	const struct kt_probespec *sp;
	struct descs		*ds;
	struct strmap		seen;
	const char		*prov, *mod, *path;
	int			pid;
};

static int up_one(void *arg, const char *name, uint64_t off)
{
	static const char *const names[2] = { "entry", "return" };
	struct up_ctx *c = arg;
	int k;

	if (strlen(name) >= KTRACE_FUNCNAMELEN || !kt_glob_match(c->sp->func, name))
		return 0;
	for (k = 0; k < 2; k++) {
		struct ktrace_probe_desc *d;
		char key[KTRACE_FUNCNAMELEN + 8];
		bool added;

		if (!kt_glob_match(c->sp->name, names[k]))
			continue;
		snprintf(key, sizeof(key), "%s:%s", name, names[k]);
		if (!strmap_put(&c->seen, key, &added))
			return -ENOMEM;
		if (!added)
			continue;	/* .symtab and .dynsym both list it */
		d = descs_new(c->ds);
		if (!d)
			return -ENOMEM;
		cpy(d->provider, sizeof(d->provider), c->prov);
		cpy(d->module, sizeof(d->module), c->mod);
		cpy(d->function, sizeof(d->function), name);
		cpy(d->name, sizeof(d->name), names[k]);
		d->addr = off;
		d->pid = c->pid;
		d->path = (uintptr_t)c->path;
	}
	return 0;
}

static int up_lookup(int fd, struct up_ctx *c, struct kt_catalog *out)
{
	int err = 0, first_err = 0;

	if (c->ds->n) {
		err = kernel_lookup(fd, c->ds->v, c->ds->n, out, &first_err);
		if (err == 0 && first_err)
			err = first_err;
		else if (err > 0)
			err = 0;
	}
	c->ds->n = 0;
	strmap_free(&c->seen);
	return err;
}

static int uprobe_expand(int fd, const struct kt_probespec *sp, struct kt_catalog *out)
{
	struct descs ds = { 0 };
	struct up_ctx c = { .sp = sp, .ds = &ds, .prov = "uprobe" };
	const char *base;
	int err;

	if (!sp->mod[0] || is_glob(sp->mod))
		return -EINVAL;	/* uprobe:PATH:... needs a literal path */
	c.path = sp->mod;
	base = strrchr(sp->mod, '/');
	c.mod = strlen(sp->mod) < KTRACE_MODNAMELEN ? sp->mod : (base ? base + 1 : sp->mod);
	err = elf_funcs(sp->mod, up_one, &c);
	if (!err)
		err = up_lookup(fd, &c, out);
	free(ds.v);
	strmap_free(&c.seen);
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
				cpy(runpath, rsz, str);
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
		cpy(out, size, name);
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
static int obj_first(struct strmap *done, const char *path, bool *first)
{
	char real[PATH_MAX];

	if (!realpath(path, real))
		cpy(real, sizeof(real), path);
	return strmap_put(done, real, first) ? 0 : -ENOMEM;
}

static int pid_one_obj(int fd, struct up_ctx *c, const char *path, const char *base,
		       struct kt_catalog *out)
{
	if (!kt_glob_match(c->sp->mod, base))
		return 0;
	c->path = path;
	c->mod = base;
	if (elf_funcs(path, up_one, c))
		return 0;
	return up_lookup(fd, c, out);
}

/*
 * pid<PID>: the objects mapped in the process, and the libraries its
 * executable needs (recursively) even when not mapped yet: stopped right
 * after exec (-c), a dynamically linked process has only its executable
 * and the dynamic linker mapped.  A uprobe on a library's inode filtered
 * on the process is installed by the kernel when the library is mapped.
 */
static int pid_expand(int fd, const struct kt_probespec *sp, int pid, struct kt_catalog *out)
{
	struct descs ds = { 0 };
	struct up_ctx c = { .sp = sp, .ds = &ds, .pid = pid };
	struct strmap done = { 0 };
	char prov[KTRACE_PROVNAMELEN], path[PATH_MAX], line[PATH_MAX + 128];
	char *queue[PID_MAX_OBJS];
	int nq = 0, qi, err = 0;
	FILE *maps;
	bool first;

	snprintf(prov, sizeof(prov), "pid%d", pid);
	c.prov = prov;
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
		err = pid_one_obj(fd, &c, access(link, R_OK) ? file : link, strrchr(file, '/') + 1, out);
	}
	fclose(maps);
	/* the libraries they need */
	for (qi = 0; !err && qi < nq; qi++) {
		char *need[64], runpath[PATH_MAX], origin[PATH_MAX], lib[PATH_MAX];
		int nn, k;

		if (!queue[qi])
			continue;
		cpy(origin, sizeof(origin), queue[qi]);
		*strrchr(origin, '/') = 0;
		nn = elf_needed(queue[qi], need, 64, runpath, sizeof(runpath));
		for (k = 0; k < nn; k++) {
			if (!err && find_library(need[k], runpath, origin, lib, sizeof(lib))) {
				err = obj_first(&done, lib, &first);
				if (!err && first) {
					if (nq < PID_MAX_OBJS)
						queue[nq++] = strdup(lib);
					err = pid_one_obj(fd, &c, lib, strrchr(lib, '/') + 1, out);
				}
			}
			free(need[k]);
		}
	}
	for (qi = 0; qi < nq; qi++)
		free(queue[qi]);
	free(ds.v);
	strmap_free(&c.seen);
	strmap_free(&done);
	return err;
}

/* ------------------------------------------------------------------ */
/* public entry points                                                  */
/* ------------------------------------------------------------------ */

static int literal_lookup(int fd, const struct kt_probespec *sp, struct kt_catalog *out)
{
	struct ktrace_probe_desc d;
	int first_err = 0, r;

	memset(&d, 0, sizeof(d));
	cpy(d.provider, sizeof(d.provider), sp->prov);
	cpy(d.module, sizeof(d.module), sp->mod);
	cpy(d.function, sizeof(d.function), sp->func);
	cpy(d.name, sizeof(d.name), sp->name);
	r = kernel_lookup(fd, &d, 1, out, &first_err);
	return r < 0 ? r : (r ? 0 : first_err);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Is id in the sorted v[n]? */
static bool id_in(const uint32_t *v, int n, uint32_t id)
{
	return n && bsearch(&id, v, n, sizeof(*v), cmp_u32);
}

int kt_probes_match(int fd, const struct kt_probespec *spec, int target_pid,
		    struct kt_catalog *out)
{
	struct kt_catalog known = { 0 };
	int err, i, pid;
	char *end;

	/* pid<N> (the compiler has replaced $target) */
	if (!strncmp(spec->prov, "pid", 3) && spec->prov[3] && !is_glob(spec->prov)) {
		pid = strtol(spec->prov + 3, &end, 10);
		if (*end || pid <= 0)
			return -EINVAL;
		return pid_expand(fd, spec, pid, out);
	}
	(void)target_pid;
	if (!strcmp(spec->prov, "uprobe"))
		return uprobe_expand(fd, spec, out);

	if (spec_may_be(spec, "tracepoint")) {
		err = tp_expand(fd, spec, out);
		if (err && err != -ENOENT && strcmp(spec->prov, "tracepoint"))
			err = 0;	/* no tracefs: only an error when asked for */
		if (err)
			return err;
	}
	if (spec_may_be(spec, "fbt")) {
		err = fbt_expand(fd, spec, out, true, NULL);
		if (err && err != -E2BIG && strcmp(spec->prov, "fbt"))
			err = 0;
		if (err)
			return err;
	}
	/* profile rates outside the default set */
	if (!strcmp(spec->prov, "profile") && !is_glob(spec->name) && spec->name[0] &&
	    !spec->mod[0] && !spec->func[0]) {
		err = literal_lookup(fd, spec, &known);
		if (err)
			goto out;
	}
	kt_catalog_free(&known);
	err = kernel_list(fd, spec, &known);
	if (err)
		goto out;
	for (i = 0; i < known.n; i++) {
		if (!strcmp(known.v[i].d.provider, "fbt") || !strcmp(known.v[i].d.provider, "tracepoint"))
			continue;	/* expanded above */
		if (!strncmp(known.v[i].d.provider, "pid", 3) || !strcmp(known.v[i].d.provider, "uprobe"))
			continue;	/* only through their own expansion */
		/* out has only fbt and tracepoint probes from start: no duplicates */
		err = cat_add(out, &known.v[i].d);
		if (err)
			goto out;
	}
out:
	kt_catalog_free(&known);
	return err;
}

static int cmp_desc(const void *a, const void *b)
{
	const struct kt_probe *x = a, *y = b;

	if (!x->d.id != !y->d.id)
		return x->d.id ? -1 : 1;	/* known ids first, in id order */
	if (x->d.id)
		return x->d.id < y->d.id ? -1 : x->d.id > y->d.id;
	return strcmp(x->d.module, y->d.module) ?: strcmp(x->d.function, y->d.function) ?:
	       strcmp(x->d.name, y->d.name);
}

int kt_probes_list(int fd, const struct kt_probespec *filter, struct kt_catalog *out)
{
	struct strmap have = { 0 };	/* fbt probes the kernel already has */
	struct kt_catalog k = { 0 };
	uint32_t *tp_ids;
	char key[512];
	int start = out->n, err, i, ntp;

	if (!filter || spec_may_be(filter, "tracepoint"))
		tp_expand(fd, filter, out);	/* creates ids; no tracefs: none */
	ntp = out->n - start;
	tp_ids = malloc((ntp ? ntp : 1) * sizeof(*tp_ids));
	if (!tp_ids)
		return -ENOMEM;
	for (i = 0; i < ntp; i++)
		tp_ids[i] = out->v[start + i].d.id;
	qsort(tp_ids, ntp, sizeof(*tp_ids), cmp_u32);
	err = kernel_list(fd, filter, &k);
	for (i = 0; !err && i < k.n; i++) {
		const struct ktrace_probe_desc *d = &k.v[i].d;

		if (!strcmp(d->provider, "fbt")) {
			snprintf(key, sizeof(key), "%s:%s:%s", d->module, d->function, d->name);
			if (!strmap_put(&have, key, NULL)) {
				err = -ENOMEM;
				break;
			}
		}
		if (strcmp(d->provider, "tracepoint") || !id_in(tp_ids, ntp, d->id))
			err = cat_add(out, d);	/* ids are unique in the kernel's list */
	}
	kt_catalog_free(&k);
	if (err)
		goto out;
	/* known ids first, in id order; then fbt's, already in name order */
	qsort(out->v + start, out->n - start, sizeof(out->v[0]), cmp_desc);
	if (!filter || spec_may_be(filter, "fbt"))
		fbt_expand(fd, filter, out, false, &have);
out:
	free(tp_ids);
	strmap_free(&have);
	return err;
}
