// SPDX-License-Identifier: GPL-2.0
/*
 * config.c: ktrace-exporter's programs.  A program is a D source whose
 * "// metric:" comment lines say which of its aggregations are exported,
 * under which name, type and labels (docs/tools/ktrace-exporter.8):
 *
 *   // metric: @AGG NAME [counter|gauge|histogram] [labels=L1,L2] [sum=@AGG2] [scale=X] [help=TEXT]
 *
 * It is compiled here by the CLI's own compiler, exactly as `ktrace -s`
 * would compile it; what does not compile, or does not fit a metric line,
 * is refused with the reason.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "exporter.h"

static void seterr(char **err, const char *fmt, ...)
{
	va_list ap;

	free(*err);
	*err = NULL;
	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) < 0)
		*err = NULL;
	va_end(ap);
}

static const char *agg_name(const struct kt_prog *p, uint32_t i)
{
	uint32_t off = p->aggs[i].name;

	return off < p->strtab_size ? p->strtab + off : "";
}

static int find_agg(const struct kt_prog *p, const char *name)
{
	uint32_t i;

	for (i = 0; i < p->naggs; i++)
		if (!strcmp(agg_name(p, i), name))
			return (int)i;
	return -1;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && !strcmp(s + a - b, suf);
}

/* one metric line's words (after "metric:"), into m */
static int parse_metric(char *text, struct kx_metric *m, char **err, const char *path)
{
	char *p = text, *w;
	int nw = 0;

	m->scale = 1;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (!strncmp(p, "help=", 5)) {
			m->help = strdup(p + 5);	/* the rest of the line */
			break;
		}
		w = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
		if (nw == 0) {
			if (w[0] != '@' || !w[1]) {
				seterr(err, "%s:%d: metric line: '%s' is not an aggregation (@name)",
				       path, m->line, w);
				return -1;
			}
			m->agg = strdup(w + 1);
		} else if (nw == 1) {
			m->name = strdup(w);
		} else if (!strcmp(w, "counter") || !strcmp(w, "gauge") || !strcmp(w, "histogram")) {
			m->type = w[0] == 'c' ? KX_COUNTER : w[0] == 'g' ? KX_GAUGE : KX_HISTOGRAM;
			m->typed = true;
		} else if (!strncmp(w, "labels=", 7)) {
			char *l, *save = NULL;

			for (l = strtok_r(w + 7, ",", &save); l; l = strtok_r(NULL, ",", &save)) {
				if (m->nlabels == KTRACE_MAX_KEYS) {
					seterr(err, "%s:%d: more than %d labels", path, m->line,
					       KTRACE_MAX_KEYS);
					return -1;
				}
				m->labels[m->nlabels++] = strdup(l);
			}
		} else if (!strncmp(w, "scale=", 6)) {
			char *end;

			m->scale = strtold(w + 6, &end);
			if (*end || end == w + 6 || !(m->scale > 0) || isinf(m->scale)) {
				seterr(err, "%s:%d: scale wants a positive number (1e-9: nanoseconds to seconds), not '%s'",
				       path, m->line, w + 6);
				return -1;
			}
		} else if (!strncmp(w, "sum=@", 5) && w[5]) {
			m->sum_agg = strdup(w + 5);
		} else {
			seterr(err, "%s:%d: metric line: unknown word '%s' (TYPE is counter, gauge or histogram; then labels=, sum=@agg, scale=, help=)",
			       path, m->line, w);
			return -1;
		}
		nw++;
	}
	if (nw < 2) {
		seterr(err, "%s:%d: metric line: wants '@AGG NAME'", path, m->line);
		return -1;
	}
	if (!m->help)
		m->help = strdup("");
	return 0;
}

/* the aggregation's displayed keys (a usym/umod key's pid is not one) */
static int shown_keys(const struct kt_prog *p, uint32_t a)
{
	int i, n = 0;

	for (i = 0; i < p->aggs[a].nkeys && i < KTRACE_MAX_KEYS; i++)
		n += !p->agg_key_dtypes || p->agg_key_dtypes[a][i] != KT_DT_UPID;
	return n;
}

static int check_metric(const struct kt_prog *p, struct kx_metric *m, char **err,
			const char *path)
{
	const struct ktrace_agg_desc *ad;
	int a, i, j;
	bool hist;

	if (!kx_metric_name_ok(m->name)) {
		seterr(err, "%s:%d: '%s' is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)",
		       path, m->line, m->name);
		return -1;
	}
	a = find_agg(p, m->agg);
	if (a < 0) {
		seterr(err, "%s:%d: the program has no aggregation @%s", path, m->line, m->agg);
		return -1;
	}
	m->aggi = (uint32_t)a;
	ad = &p->aggs[a];
	hist = ad->func == KTRACE_AGG_QUANTIZE || ad->func == KTRACE_AGG_LQUANTIZE ||
	       ad->func == KTRACE_AGG_LLQUANTIZE;
	if (!m->typed)
		m->type = hist ? KX_HISTOGRAM :
			  ad->func == KTRACE_AGG_COUNT || ad->func == KTRACE_AGG_SUM ? KX_COUNTER :
			  KX_GAUGE;
	if ((m->type == KX_HISTOGRAM) != hist ||
	    (m->type == KX_COUNTER && ad->func != KTRACE_AGG_COUNT && ad->func != KTRACE_AGG_SUM)) {
		seterr(err, "%s:%d: @%s cannot be a %s (counters: count() or sum(); histograms: quantize(), lquantize(), llquantize(); gauges: any other)",
		       path, m->line, m->agg, m->type == KX_COUNTER ? "counter" :
		       m->type == KX_GAUGE ? "gauge" : "histogram");
		return -1;
	}
	if ((m->type == KX_COUNTER && ends_with(m->name, "_total")) ||
	    (m->type == KX_HISTOGRAM && (ends_with(m->name, "_bucket") || ends_with(m->name, "_count") ||
					 ends_with(m->name, "_sum")))) {
		seterr(err, "%s:%d: name '%s' without its suffix: the exporter adds _total (counters), _bucket/_sum/_count (histograms)",
		       path, m->line, m->name);
		return -1;
	}
	for (i = 0; i < ad->nkeys && i < KTRACE_MAX_KEYS; i++)
		if (ad->key_types[i] == KTRACE_TYPE_STACK || ad->key_types[i] == KTRACE_TYPE_USTACK) {
			seterr(err, "%s:%d: @%s is keyed by a stack: a stack is no label (its cardinality has no bound); key it by func(), sym() or a bounded value",
			       path, m->line, m->agg);
			return -1;
		}
	if (m->nlabels != shown_keys(p, m->aggi)) {
		seterr(err, "%s:%d: @%s has %d key%s but the line names %d label%s", path, m->line,
		       m->agg, shown_keys(p, m->aggi), shown_keys(p, m->aggi) == 1 ? "" : "s",
		       m->nlabels, m->nlabels == 1 ? "" : "s");
		return -1;
	}
	for (i = 0; i < m->nlabels; i++) {
		if (!kx_label_name_ok(m->labels[i])) {
			seterr(err, "%s:%d: '%s' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, not le, not __...)",
			       path, m->line, m->labels[i]);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(m->labels[i], m->labels[j])) {
				seterr(err, "%s:%d: label '%s' twice", path, m->line, m->labels[i]);
				return -1;
			}
	}
	m->sumi = UINT32_MAX;
	if (m->sum_agg) {
		a = find_agg(p, m->sum_agg);
		if (m->type != KX_HISTOGRAM || a < 0 || p->aggs[a].func != KTRACE_AGG_SUM ||
		    p->aggs[a].nkeys != ad->nkeys) {
			seterr(err, "%s:%d: sum=@%s must name a sum() aggregation with the histogram's keys",
			       path, m->line, m->sum_agg);
			return -1;
		}
		m->sumi = (uint32_t)a;
	}
	if (m->type == KX_HISTOGRAM) {
		m->nb = kt_agg_nvals(ad);
		m->le = calloc(m->nb, sizeof(*m->le));
		if (!m->le) {
			seterr(err, "out of memory");
			return -1;
		}
		kt_agg_bucket_le(ad, m->nb, m->le);
		for (i = 0; i < (int)m->nb; i++)
			m->le[i] *= m->scale;
	}
	return 0;
}

static char *compile_diags(const struct kt_diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	kt_diags_print(d, f);
	fclose(f);
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return buf;
}

int kx_prog_build(struct kx_prog *xp, const char *name, const char *path, const char *src,
		  char **err)
{
	struct kt_compile_opts co;
	struct kt_diags diags = { 0 };
	struct kt_dlib dlib = { 0 };
	const char *srcs[1] = { src }, *names[1] = { path };
	const char *p = src;
	char why[256];
	int line = 1, i;

	memset(xp, 0, sizeof(*xp));
	xp->name = strdup(name);
	xp->path = strdup(path);
	xp->src = strdup(src);
	if (!xp->name || !xp->path || !xp->src) {
		seterr(err, "out of memory");
		return -1;
	}
	/* the metric lines */
	for (; *p; line++) {
		const char *nl = strchr(p, '\n'), *q = p;
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		while (*q == ' ' || *q == '\t')
			q++;
		if (!strncmp(q, "//", 2)) {
			q += 2;
			while (*q == ' ' || *q == '\t')
				q++;
			if (!strncmp(q, "metric:", 7)) {
				char *text = strndup(q + 7, len - (size_t)(q + 7 - p));
				void *nm = realloc(xp->m, (xp->nm + 1) * sizeof(*xp->m));

				if (!text || !nm) {
					free(text);
					seterr(err, "out of memory");
					return -1;
				}
				xp->m = nm;
				memset(&xp->m[xp->nm], 0, sizeof(*xp->m));
				xp->m[xp->nm].line = line;
				i = parse_metric(text, &xp->m[xp->nm++], err, path);
				free(text);
				if (i < 0)
					return -1;
			}
		}
		p = nl ? nl + 1 : p + len;
	}
	if (!xp->nm) {
		seterr(err, "%s: no '// metric: @AGG NAME ...' line: nothing to export", path);
		return -1;
	}
	/* the program, compiled as ktrace -s compiles it (after the D library) */
	kt_opts_init(&xp->opts);
	if (kt_dlib_load(NULL, 0, &dlib, why, sizeof(why)) < 0) {
		seterr(err, "%s: the D library: %s", path, why);
		return -1;
	}
	memset(&co, 0, sizeof(co));
	co.lib_srcs = (const char *const *)dlib.texts;
	co.lib_names = (const char *const *)dlib.names;
	co.nlib = dlib.n;
	co.filename = path;
	co.tp_format = kt_tp_format;
	co.error_clause = true;
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		co.btf_path = "/sys/kernel/btf/vmlinux";
	xp->prog = kt_compile(srcs, names, 1, &co, &diags);
	kt_dlib_free(&dlib);
	if (!xp->prog || diags.nerrors) {
		char *d = compile_diags(&diags);

		seterr(err, "%s: does not compile:\n%s", path, d && *d ? d : "(no diagnostics)");
		free(d);
		kt_diags_free(&diags);
		return -1;
	}
	kt_diags_free(&diags);
	for (i = 0; i < xp->prog->noptions; i++)
		if (kt_opt_set(&xp->opts, xp->prog->options[i].name, xp->prog->options[i].value,
			       why, sizeof(why)) < 0) {
			seterr(err, "%s: option %s: %s", path, xp->prog->options[i].name, why);
			return -1;
		}
	if (xp->prog->destructive) {
		seterr(err, "%s: destructive actions are not allowed in the exporter", path);
		return -1;
	}
	xp->opts.quiet = true;
	for (i = 0; i < xp->nm; i++) {
		int j;

		if (check_metric(xp->prog, &xp->m[i], err, path) < 0)
			return -1;
		for (j = 0; j < i; j++)
			if (!strcmp(xp->m[i].name, xp->m[j].name)) {
				seterr(err, "%s:%d: metric %s twice", path, xp->m[i].line, xp->m[i].name);
				return -1;
			}
	}
	return 0;
}

void kx_prog_free(struct kx_prog *xp)
{
	int i, j;

	for (i = 0; i < xp->nm; i++) {
		struct kx_metric *m = &xp->m[i];

		free(m->agg);
		free(m->name);
		free(m->help);
		free(m->sum_agg);
		free(m->le);
		for (j = 0; j < m->nlabels; j++)
			free(m->labels[j]);
	}
	free(xp->m);
	if (xp->prog)
		kt_prog_free(xp->prog);
	free(xp->name);
	free(xp->path);
	free(xp->src);
	memset(xp, 0, sizeof(*xp));
}

static char *read_file(const char *path, char **err)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];

	if (!f) {
		seterr(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		char *nb = len + n > (1 << 20) ? NULL : realloc(buf, len + n + 1);

		if (!nb) {
			seterr(err, "%s: larger than 1 MiB", path);
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = nb;
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!buf)
		buf = calloc(1, 1);
	else
		buf[len] = '\0';
	return buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int kx_config_load(const char *dir, bool dir_given, struct kx_prog *progs, int *n,
		   bool *builtin, char **err)
{
	char *files[KX_MAX_PROGS], path[4096];
	struct dirent *de;
	DIR *d = opendir(dir);
	int nf = 0, i, j, k, l;

	*n = 0;
	*builtin = false;
	if (!d && (dir_given || errno != ENOENT)) {
		seterr(err, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while (d && (de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 3 || strcmp(de->d_name + len - 2, ".d") || de->d_name[0] == '.')
			continue;
		if (nf == KX_MAX_PROGS) {
			seterr(err, "%s: more than %d programs", dir, KX_MAX_PROGS);
			goto fail;
		}
		files[nf++] = strdup(de->d_name);
	}
	if (d)
		closedir(d);
	d = NULL;
	qsort(files, nf, sizeof(*files), cmp_str);
	if (!nf) {
		if (dir_given) {
			seterr(err, "%s: no *.d program", dir);
			return -1;
		}
		/* the built-in set: what this kernel cannot compile (no block
		 * tracepoints, say) is left out, with the reason on stderr */
		*builtin = true;
		for (i = 0; kx_builtins[i].name; i++) {
			snprintf(path, sizeof(path), "<built-in>/%s.d", kx_builtins[i].name);
			if (kx_prog_build(&progs[*n], kx_builtins[i].name, path, kx_builtins[i].src,
					  err) < 0) {
				fprintf(stderr, "%s: left out: %s\n", KX_PNAME, *err);
				kx_prog_free(&progs[*n]);
				continue;
			}
			(*n)++;
		}
		if (!*n) {
			seterr(err, "no built-in program compiles on this system");
			return -1;
		}
		return 0;
	}
	for (i = 0; i < nf; i++) {
		char *src, name[256];

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		snprintf(name, sizeof(name), "%.*s", (int)strlen(files[i]) - 2, files[i]);
		src = read_file(path, err);
		if (!src)
			goto fail;
		k = kx_prog_build(&progs[i], name, path, src, err);
		free(src);
		if (k < 0) {
			kx_prog_free(&progs[i]);
			goto fail;
		}
		*n = i + 1;
	}
	/* a metric name is one program's */
	for (i = 0; i < *n; i++)
		for (j = 0; j < progs[i].nm; j++)
			for (k = 0; k < i; k++)
				for (l = 0; l < progs[k].nm; l++)
					if (!strcmp(progs[i].m[j].name, progs[k].m[l].name)) {
						seterr(err, "%s:%d: metric %s is also %s's", progs[i].path,
						       progs[i].m[j].line, progs[i].m[j].name,
						       progs[k].path);
						goto fail;
					}
	for (i = 0; i < nf; i++)
		free(files[i]);
	return 0;
fail:
	if (d)
		closedir(d);
	for (i = 0; i < nf; i++)
		free(files[i]);
	for (i = 0; i < *n; i++)
		kx_prog_free(&progs[i]);
	*n = 0;
	return -1;
}
