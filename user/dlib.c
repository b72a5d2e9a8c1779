// SPDX-License-Identifier: GPL-2.0
/*
 * The D library: the .d files of declarations (types, translators,
 * inlines, provider argument declarations) the compiler reads before
 * every program.  The directories, in order: each -L DIR / -x libdir=DIR,
 * then the installed PREFIX/lib/ktrace (found next to the binary, as
 * PREFIX/sbin/ktrace's ../lib/ktrace) or, run from the build tree
 * (build/user/ktrace), the repository's user/lib.  A file name seen in an
 * earlier directory hides the later ones.  Files load in name order,
 * except that "#pragma D depends_on library NAME.d" loads NAME.d first.
 * Only the text is read here; the compiler parses it (kernel types in it
 * are looked up only when a program uses them, so the library costs no
 * BTF read at start).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

#define KT_DLIB_MAX	256	/* files: far more than the library has */

struct dfile {
	char	*name;		/* base name */
	char	*path;
	char	*text;
	int	state;		/* 0 not yet, 1 loading, 2 loaded */
};

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The library directory that comes with this binary, or NULL. */
static char *default_dir(void)
{
	static const char *const rel[] = { "../lib/ktrace", "../../user/lib" };
	char exe[PATH_MAX], *slash, *d;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		if (asprintf(&d, "%s/%s", exe, rel[i]) < 0)
			return NULL;
		if (is_dir(d))
			return d;
		free(d);
	}
	return NULL;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dfile *)a)->name, ((const struct dfile *)b)->name);
}

static char *slurp(const char *path, char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);

			if (!nb) {
				free(buf);
				fclose(f);
				snprintf(why, whylen, "%s: out of memory", path);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
	} while (n == 4096);
	buf[len] = '\0';
	if (ferror(f)) {
		snprintf(why, whylen, "%s: read error", path);
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Add the .d files of DIR not already known (by name). */
static int scan_dir(const char *dir, struct dfile *v, int *n, char *why, size_t whylen)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		snprintf(why, whylen, "library directory %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		bool dup = false;

		if (l < 3 || strcmp(e->d_name + l - 2, ".d") || e->d_name[0] == '.')
			continue;
		for (int i = 0; i < *n; i++)
			dup |= !strcmp(v[i].name, e->d_name);
		if (dup)
			continue;
		if (*n == KT_DLIB_MAX) {
			snprintf(why, whylen, "library directory %s: more than %d files", dir,
				 KT_DLIB_MAX);
			closedir(d);
			return -1;
		}
		v[*n].name = strdup(e->d_name);
		if (!v[*n].name || asprintf(&v[*n].path, "%s/%s", dir, e->d_name) < 0) {
			closedir(d);
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		(*n)++;
	}
	closedir(d);
	return 0;
}

/* Load F after the libraries it depends on, appending to LIB. */
static int load(struct dfile *v, int n, struct dfile *f, struct kt_dlib *lib, char *why,
		size_t whylen)
{
	static const char pragma[] = "depends_on library";
	const char *s;

	if (f->state == 2)
		return 0;
	if (f->state == 1) {
		snprintf(why, whylen, "%s: circular #pragma D depends_on library", f->path);
		return -1;
	}
	f->state = 1;
	for (s = f->text; (s = strstr(s, pragma)); s += sizeof(pragma) - 1) {
		const char *b = s + sizeof(pragma) - 1, *e;
		const char *line = s;
		struct dfile *dep = NULL;

		while (line > f->text && line[-1] != '\n')
			line--;
		if (strncmp(line, "#pragma", 7))
			continue;
		while (*b == ' ' || *b == '\t')
			b++;
		for (e = b; *e && *e != '\n' && *e != ' ' && *e != '\t'; e++)
			;
		for (int i = 0; i < n; i++)
			if (strlen(v[i].name) == (size_t)(e - b) && !strncmp(v[i].name, b, e - b))
				dep = &v[i];
		if (!dep) {
			snprintf(why, whylen, "%s: #pragma D depends_on library %.*s: no such library file",
				 f->path, (int)(e - b), b);
			return -1;
		}
		if (load(v, n, dep, lib, why, whylen) < 0)
			return -1;
	}
	lib->texts[lib->n] = f->text;
	lib->names[lib->n++] = f->path;
	f->text = NULL;
	f->path = NULL;
	f->state = 2;
	return 0;
}

int kt_dlib_load(const char *const *dirs, int ndirs, struct kt_dlib *lib, char *why,
		 size_t whylen)
{
	struct dfile *v = calloc(KT_DLIB_MAX, sizeof(*v));
	char *def = default_dir();
	int n = 0, rc = -1;

	memset(lib, 0, sizeof(*lib));
	if (!v)
		goto out;
	for (int i = 0; i < ndirs; i++)
		if (scan_dir(dirs[i], v, &n, why, whylen) < 0)
			goto out;
	if (def && scan_dir(def, v, &n, why, whylen) < 0)
		goto out;
	qsort(v, (size_t)n, sizeof(*v), name_cmp);
	lib->texts = calloc((size_t)n + 1, sizeof(*lib->texts));
	lib->names = calloc((size_t)n + 1, sizeof(*lib->names));
	if (!lib->texts || !lib->names) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		v[i].text = slurp(v[i].path, why, whylen);
		if (!v[i].text)
			goto out;
	}
	for (int i = 0; i < n; i++)
		if (load(v, n, &v[i], lib, why, whylen) < 0)
			goto out;
	rc = 0;
out:
	for (int i = 0; v && i < n; i++) {
		free(v[i].name);
		free(v[i].path);
		free(v[i].text);
	}
	free(v);
	free(def);
	if (rc < 0)
		kt_dlib_free(lib);
	return rc;
}

void kt_dlib_free(struct kt_dlib *lib)
{
	for (int i = 0; i < lib->n; i++) {
		free(lib->texts[i]);
		free(lib->names[i]);
	}
	free(lib->texts);
	free(lib->names);
	memset(lib, 0, sizeof(*lib));
}
