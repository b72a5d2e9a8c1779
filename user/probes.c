// SPDX-License-Identifier: GPL-2.0
/*
 * probes.c: the probe catalogue.  Expands probe descriptions into kernel
 * probe ids and lists probes for `ktrace -l`, through the provider table
 * (prov.h): each provider is one file, user/prov_*.c.
 *
 *   dtrace, syscall, profile   the kernel's registry (KTRACE_PROBE_LIST);
 *                              profile rates outside the default set are
 *                              created by LOOKUP when named literally.
 *   tracepoint                 tracefs available_events, LOOKUP'd (the
 *                              kernel verifies the event and its id); the
 *                              record layouts for args-> (kt_tp_format).
 *   fbt                        tracefs available_filter_functions minus
 *                              the kprobes blacklist, addresses from
 *                              /proc/kallsyms, LOOKUP'd in batches.
 *   pid<PID>, uprobe           ELF symbol tables (elf.c) of the process's
 *                              objects, or of the given path.
 * `ktrace -l` with a description creates the probes it lists (so they show
 * their ids); without one, fbt functions not created yet are listed with
 * id 0 (creating ~70k kernel probes to list them would cost a kernel
 * allocation each).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "prov.h"

/* ------------------------------------------------------------------ */
/* globs                                                               */
/* ------------------------------------------------------------------ */

bool kt_is_glob(const char *s)
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

int kt_cat_add(struct kt_catalog *c, const struct ktrace_probe_desc *d)
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

/* Every probe the kernel knows, filtered. */
int kt_kernel_list(int fd, const struct kt_probespec *sp, struct kt_catalog *out)
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
				err = kt_cat_add(out, &v[i]);
		start = q.next;
	} while (start && !err);
	free(v);
	return err;
}

int kt_kernel_probe(int fd, uint32_t id, struct ktrace_probe_desc *d)
{
	struct ktrace_probe_query q = {
		.size = sizeof(q), .op = KTRACE_PROBE_LIST, .start = id, .count = 1,
		.descs = (uintptr_t)d, .desc_size = sizeof(*d),
	};

	memset(d, 0, sizeof(*d));
	if (ioctl(fd, KTRACE_IOC_PROBES, &q) < 0)
		return -errno;
	return q.count == 1 && d->id == id ? 0 : -ENOENT;
}

/* LOOKUP n descs (prov.h) */
int kt_kernel_lookup(int fd, struct ktrace_probe_desc *v, int n, struct kt_catalog *out,
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
			if (out && kt_cat_add(out, &v[done + i])) {
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

struct ktrace_probe_desc *kt_descs_new(struct kt_descs *ds)
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
void kt_cpy(char *dst, size_t size, const char *src)
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

static uint64_t strhash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int strmap_grow(struct kt_strmap *m);

/* Insert key (copied) unless present; returns the slot's value pointer. */
uint64_t *kt_strmap_put(struct kt_strmap *m, const char *key, bool *added)
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

uint64_t *kt_strmap_get(const struct kt_strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = strhash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->keys[i], key))
			return &m->vals[i];
	return NULL;
}

static int strmap_grow(struct kt_strmap *m)
{
	struct kt_strmap nm = { 0 };
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

void kt_strmap_free(struct kt_strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------------------ */
/* the provider table and the entry points                             */
/* ------------------------------------------------------------------ */

const struct kt_provider *kt_providers[KT_MAX_PROVIDERS + 1];

/* the linker's bounds of the section KT_PROVIDER() fills */
extern const struct kt_provider_reg __start_kt_provider_table[], __stop_kt_provider_table[];

static int reg_cmp(const void *a, const void *b)
{
	const struct kt_provider_reg *x = *(const struct kt_provider_reg *const *)a;
	const struct kt_provider_reg *y = *(const struct kt_provider_reg *const *)b;

	return x->order - y->order;
}

/* kt_providers[] from the section, sorted by order; two of one order or too many is a bug */
__attribute__((constructor)) static void providers_init(void)
{
	const struct kt_provider_reg *r[KT_MAX_PROVIDERS];
	size_t n = (size_t)(__stop_kt_provider_table - __start_kt_provider_table);

	if (n > KT_MAX_PROVIDERS) {
		fprintf(stderr, "ktrace: %zu providers registered, at most %d\n", n, KT_MAX_PROVIDERS);
		abort();
	}
	for (size_t i = 0; i < n; i++)
		r[i] = &__start_kt_provider_table[i];
	qsort(r, n, sizeof(r[0]), reg_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i && r[i]->order == r[i - 1]->order) {
			fprintf(stderr, "ktrace: providers %s and %s share order %d\n",
				r[i - 1]->prov->name, r[i]->prov->name, r[i]->order);
			abort();
		}
		kt_providers[i] = r[i]->prov;
	}
	kt_providers[n] = NULL;
}

const struct kt_provider *kt_prov_find(const char *name, ssize_t len)
{
	size_t n = len < 0 ? strlen(name) : (size_t)len;

	for (int i = 0; kt_providers[i]; i++)
		if (strlen(kt_providers[i]->name) == n && !memcmp(kt_providers[i]->name, name, n))
			return kt_providers[i];
	return NULL;
}

bool kt_prov_has(const char *name, unsigned int flags)
{
	const struct kt_provider *p = kt_prov_find(name, -1);

	return p && (p->flags & flags) == flags;
}

const struct kt_provider *kt_prov_bare(const char *name)
{
	for (int i = 0; kt_providers[i]; i++)
		if (kt_providers[i]->bare && kt_providers[i]->bare(name))
			return kt_providers[i];
	return NULL;
}

/* Can the description's provider field name p?  *exact: by its very name. */
static bool prov_named(const struct kt_provider *p, const char *prov, bool *exact)
{
	size_t n = strlen(p->name);

	if (p->named)
		return p->named(prov, exact);
	*exact = !strcmp(prov, p->name);
	if (p->flags & KT_PROV_NUMBERED) {
		*exact = !strncmp(prov, p->name, n) && prov[n] &&
			 strspn(prov + n, "0123456789") == strlen(prov + n);
		return *exact;
	}
	if (p->flags & KT_PROV_LITERAL)
		return *exact;
	return kt_glob_match(prov, p->name);
}

static const struct kt_provider *kernel_provider(const char *name)
{
	for (int i = 0; kt_providers[i]; i++)
		if ((kt_providers[i]->flags & KT_PROV_KERNEL) && !strcmp(kt_providers[i]->name, name))
			return kt_providers[i];
	return NULL;
}

int kt_probes_match(int fd, const struct kt_probespec *spec, int target_pid,
		    struct kt_catalog *out)
{
	struct kt_catalog known = { 0 };
	bool exact, kernel = false;
	int err, i;

	/* pid$target, PROVIDER$target: the compiler has replaced $target */
	for (i = 0; kt_providers[i]; i++) {
		const struct kt_provider *p = kt_providers[i];

		if (!prov_named(p, spec->prov, &exact))
			continue;
		kernel |= p->flags & KT_PROV_KERNEL;
		if (p->match)
			err = p->match(fd, spec, out);
		else if (p->match_target)
			err = p->match_target(fd, spec, target_pid, out);
		else
			continue;
		if (err && (exact || err == -E2BIG))
			return err;
	}
	if (!kernel)
		return 0;
	err = kt_kernel_list(fd, spec, &known);
	for (i = 0; !err && i < known.n; i++) {
		const struct kt_provider *kp = kernel_provider(known.v[i].d.provider);

		if (kp && (!(kp->flags & KT_PROV_TASK) || (!spec->task && !known.v[i].d.pid)))
			err = kt_cat_add(out, &known.v[i].d);
	}
	kt_catalog_free(&known);
	return err;
}

void kt_probes_match_done(void)
{
	for (int i = 0; kt_providers[i]; i++)
		if (kt_providers[i]->match_done)
			kt_providers[i]->match_done();
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
	struct kt_strmap have = { 0 };	/* what the kernel has: prov:mod:func:name */
	struct kt_catalog k = { 0 };
	char key[512];
	bool exact;
	int start = out->n, err, i;

	/* pid<N>, uprobe:PATH, usdt: listed from the ELF files, created as when matched */
	for (i = 0; filter && kt_providers[i]; i++) {
		const struct kt_provider *p = kt_providers[i];

		if ((p->flags & (KT_PROV_LITERAL | KT_PROV_NUMBERED)) &&
		    prov_named(p, filter->prov, &exact))
			return p->match(fd, filter, out);
		if (p->match_target && prov_named(p, filter->prov, &exact) && exact)
			return p->match_target(fd, filter, 0, out);
	}
	for (i = 0; kt_providers[i]; i++)
		if (kt_providers[i]->list_prepare &&
		    (!filter || prov_named(kt_providers[i], filter->prov, &exact)))
			kt_providers[i]->list_prepare(fd, filter);	/* no tracefs, not root: fewer */
	err = kt_kernel_list(fd, filter, &k);
	for (i = 0; !err && i < k.n; i++) {
		const struct ktrace_probe_desc *d = &k.v[i].d;

		snprintf(key, sizeof(key), "%s:%s:%s:%s", d->provider, d->module, d->function,
			 d->name);
		if (!kt_strmap_put(&have, key, NULL))
			err = -ENOMEM;
		else
			err = kt_cat_add(out, d);	/* ids are unique in the kernel's list */
	}
	kt_catalog_free(&k);
	if (err)
		goto out;
	/* known ids first, in id order; then the others, already in name order */
	qsort(out->v + start, out->n - start, sizeof(out->v[0]), cmp_desc);
	for (i = 0; kt_providers[i]; i++)	/* no tracefs, no ELF file: fewer */
		if (kt_providers[i]->list_more &&
		    (!filter || prov_named(kt_providers[i], filter->prov, &exact)))
			kt_providers[i]->list_more(fd, filter, out, &have);
out:
	kt_strmap_free(&have);
	return err;
}
