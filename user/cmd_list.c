// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_list.c: probe descriptions given by -P/-m/-f/-n/-i, and the
 * listings of -l (the probes a program or description matches) and -lv
 * (their stability and argument types), as dtrace(1) prints them.
 */
#include <ctype.h>
#include <fcntl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "prov.h"
/*
 * -P/-m/-f/-n/-i's description ARG as a probe spec, its fields the last
 * of each kind; false (said on stderr) when it has more fields than the
 * option takes (-P one, -m two, -f three), as dtrace says
 * "Overspecified probe description".
 */
bool cmd_desc_to_spec(enum kt_speckind kind, const char *arg, struct kt_probespec *sp)
{
	char buf[512], *f[4], *p, *end;
	int n = 0, i, first;
	char *dst[4] = { sp->prov, sp->mod, sp->func, sp->name };
	size_t lens[4] = { sizeof(sp->prov), sizeof(sp->mod), sizeof(sp->func), sizeof(sp->name) };

	memset(sp, 0, sizeof(*sp));
	snprintf(buf, sizeof(buf), "%s", arg);
	/* uprobe:PATH:..., usdt:PATH:...: the path's '/' does not open a predicate */
	p = buf;
	end = strchr(buf, ':');
	if (end) {
		const struct kt_provider *pv = kt_prov_find(buf, end - buf);

		if (pv && (pv->flags & KT_PROV_PATH))
			p = end + 1 + strcspn(end + 1, ": \t\n{");
	}
	end = p + strcspn(p, " \t\n/{");
	*end = '\0';
	p = buf;
	f[n++] = p;
	while (n < 4 && (p = strchr(p, ':'))) {
		*p++ = '\0';
		f[n++] = p;
	}
	/* the last field of each kind: name, provider, module, function */
	switch (kind) {
	case KT_SPEC_PROV: first = 0 - (n - 1); break;
	case KT_SPEC_MOD: first = 1 - (n - 1); break;
	case KT_SPEC_FUNC: first = 2 - (n - 1); break;
	default: first = 3 - (n - 1); break;
	}
	/*
	 * More fields than the option takes: the extra leading ones must be
	 * empty (dtrace -f :vmlinux:: is the function "" of provider
	 * "vmlinux"), else the description is overspecified.
	 */
	for (i = 0; i < -first && i < n; i++)
		if (f[i][0])
			break;
	if (i < -first || strchr(f[n - 1], ':')) {
		fprintf(stderr, "%s: invalid probe description \"%s\": Overspecified probe description\n",
			KT_PNAME, arg);
		return false;
	}
	for (i = 0; i < n; i++)
		if (first + i >= 0 && first + i < 4)
			snprintf(dst[first + i], lens[first + i], "%s", f[i]);
	return true;
}

/* --------------------------------------------------------------- -l --- */

/* "pid$target", "PROVIDER$target" -> "pid<N>"...; false when there is no target to name. */
static bool target_spec(struct kt_probespec *sp, long target)
{
	size_t n = strlen(sp->prov), k = strlen("$target");

	if (n <= k || strcmp(sp->prov + n - k, "$target"))
		return true;
	if (target <= 0)
		return false;
	snprintf(sp->prov + n - k, sizeof(sp->prov) - (n - k), "%ld", target);
	return true;
}

static int list_open(void)
{
	int fd = open(KTRACE_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == EPERM || errno == EACCES)
		fprintf(stderr, "%s: failed to open %s: Operation not permitted (need CAP_SYS_ADMIN or CAP_PERFMON)\n",
			KT_PNAME, KTRACE_DEVICE);
	else
		fprintf(stderr, "%s: failed to open %s: %s\n", KT_PNAME, KTRACE_DEVICE,
			strerror(errno));
	return -1;
}

/*
 * Append the probes one description matches to cat: 0, -1 (said on
 * stderr), or 1 when it matches none (said by the caller).
 */
static int list_spec(int fd, struct kt_probespec *sp, long target, struct kt_catalog *cat)
{
	int before = cat->n;
	int r = target_spec(sp, target) ? kt_probes_list(fd, sp, cat) : 0;

	if (r < 0 && cat->n == before) {
		fprintf(stderr, "%s: failed to list probes %s:%s:%s:%s: %s\n", KT_PNAME,
			sp->prov, sp->mod, sp->func, sp->name, strerror(-r));
		return -1;
	}
	return cat->n == before;
}

/*
 * -i ID[REST]: dtrace(1)'s probe identifier.  The probe of that id (ktrace
 * -l's first column) becomes its full description, followed by REST (a
 * predicate, a clause).  As in dtrace(1), an argument that does not start
 * with digits, or whose digits go on with something else, is a probe name
 * (-i i23 is :::i23, -i 4-2 is :::-2), and id 0 is an error.  The kernel is
 * asked (*fd, opened once); ids are those of probes it has created (fbt,
 * pid, usdt probes get theirs when first listed or enabled).
 */
char *cmd_id_text(const char *arg, int *fd)
{
	struct ktrace_probe_desc d;
	unsigned long long id;
	char *end, *t = NULL;

	if (!isdigit((unsigned char)arg[0]))
		return asprintf(&t, ":::%s", arg) < 0 ? NULL : t;
	errno = 0;
	id = strtoull(arg, &end, 10);
	if (id == 0 || errno || id > UINT32_MAX) {
		fprintf(stderr, "%s: invalid probe specifier %s: invalid probe identifier %.*s: Unknown probe identifier\n",
			KT_PNAME, arg, (int)(end - arg), arg);
		return NULL;
	}
	if (*end && !strchr(" \t\n/{", *end))
		return asprintf(&t, ":::%s", end) < 0 ? NULL : t;
	if (*fd < 0 && (*fd = list_open()) < 0)
		return NULL;
	if (kt_kernel_probe(*fd, (uint32_t)id, &d) < 0) {
		fprintf(stderr, "%s: invalid probe specifier %s: invalid probe identifier %llu: Unknown probe identifier\n",
			KT_PNAME, arg, id);
		return NULL;
	}
	return asprintf(&t, "%s:%s:%s:%s%s", d.provider, d.module, d.function, d.name, end) < 0 ?
		NULL : t;
}

static void print_attr_lines(FILE *out, const struct kt_attr *a);

/*
 * -lv: after a probe's line, dtrace -lv's report: the attributes of its
 * description and of its arguments (its provider's, kt_probe_attrs()),
 * and the types of its args[] as the D library's provider declaration
 * gives them (the compiler's, kt_probe_decls_load()); "None" when its
 * arguments have no types (arg0..argN only), as DTrace says for probes
 * whose arguments are not typed.
 */
void cmd_print_probe_info(FILE *out, const struct ktrace_probe_desc *d,
			  struct kt_probe_decls *decls)
{
	const struct kt_probe_decl *pd = kt_probe_decls_types(decls, d);
	struct kt_attr desc, args;

	kt_probe_attrs(d, &desc, &args);
	fprintf(out, "\n\tProbe Description Attributes\n");
	print_attr_lines(out, &desc);
	fprintf(out, "\n\tArgument Attributes\n");
	print_attr_lines(out, &args);
	fprintf(out, "\n\tArgument Types\n");
	for (int i = 0; pd && i < pd->nargs; i++)
		fprintf(out, "\t\targs[%d]: %s\n", i, pd->args[i]);
	if (!pd || !pd->nargs)
		fprintf(out, "\t\tNone\n");
	fputc('\n', out);
}

/* decls: -v's report after each line (NULL: -l alone) */
static void list_print(FILE *out, const struct kt_catalog *cat, int from,
		       struct kt_probe_decls *decls)
{
	for (int k = from; k < cat->n; k++) {
		const struct ktrace_probe_desc *d = &cat->v[k].d;

		fprintf(out, "%5u %10s %17s %33s %s\n", d->id, d->provider, d->module,
			d->function, d->name);
		if (decls)
			cmd_print_probe_info(out, d, decls);
	}
}

static void list_header(FILE *out)
{
	fprintf(out, "%5s %10s %17s %33s %s\n", "ID", "PROVIDER", "MODULE", "FUNCTION", "NAME");
}

#define KT_ATTR_TEXT(id, name)	name,
static const char *stab_name(int s)
{
	static const char *const names[KT_NSTABS] = { KT_STABILITIES(KT_ATTR_TEXT) };

	return s >= 0 && s < KT_NSTABS ? names[s] : "Unknown";
}

static const char *class_name(int c)
{
	static const char *const names[KT_NCLASSES] = { KT_CLASSES(KT_ATTR_TEXT) };

	return c >= 0 && c < KT_NCLASSES ? names[c] : "Unknown";
}
#undef KT_ATTR_TEXT

static void print_attr_lines(FILE *out, const struct kt_attr *a)
{
	fprintf(out, "\t\tIdentifier Names: %s\n", stab_name(a->name));
	fprintf(out, "\t\tData Semantics:   %s\n", stab_name(a->data));
	fprintf(out, "\t\tDependency Class: %s\n", class_name(a->class));
}

static void print_attr(FILE *out, const char *what, const struct kt_attr *a)
{
	fprintf(out, "\n\tMinimum %s Attributes\n", what);
	print_attr_lines(out, a);
}

/*
 * -v: dtrace -v's report, for each program (-s file, -n/-P/-m/-f text) with
 * clauses: the least stability attributes of its probe descriptions and of
 * its statements (docs/cli.md).
 */
void cmd_print_stability(const struct kt_prog *prog, const struct kt_src *srcs, int nsrcs,
			    FILE *out)
{
	for (int i = 0; i < nsrcs; i++) {
		struct kt_attr desc = { 0xff, 0xff, 0xff }, stmt = desc;
		int n = 0;

		for (uint32_t c = 0; c < prog->nclauses; c++) {
			const struct kt_clause_info *ci = &prog->cinfo[c];

			if ((int)c == prog->errclause || ci->src != i)
				continue;
			n++;
			desc = kt_attr_min(desc, ci->desc_attr);
			stmt = kt_attr_min(stmt, ci->stmt_attr);
		}
		if (!n)
			continue;
		fprintf(out, "\nStability attributes for %s %s:\n",
			srcs[i].kind == KT_SPEC_FILE ? "script" : "description", srcs[i].arg);
		print_attr(out, "Probe Description", &desc);
		print_attr(out, "Statement", &stmt);
		fputc('\n', out);
	}
}

int cmd_list_probes(struct kt_src *srcs, int nsrcs, FILE *out, long target,
		    struct kt_probe_decls *decls)
{
	struct kt_catalog cat = { 0 };
	struct kt_probespec sp;
	int fd, i, r, ret = KT_EXIT_OK;

	for (i = 0; i < nsrcs; i++)	/* every description is well-formed first */
		if (!cmd_desc_to_spec(srcs[i].kind, srcs[i].arg, &sp))
			return KT_EXIT_ERROR;
	fd = list_open();
	if (fd < 0)
		return KT_EXIT_ERROR;
	list_header(out);
	if (nsrcs == 0) {
		if (kt_probes_list(fd, NULL, &cat) < 0) {
			fprintf(stderr, "%s: failed to list probes: %s\n", KT_PNAME, strerror(errno));
			ret = KT_EXIT_ERROR;
		}
	}
	/*
	 * As dtrace -l: a description that matches nothing is said on stderr
	 * and is no error (the listing is what was asked for).
	 */
	for (i = 0; i < nsrcs; i++) {
		cmd_desc_to_spec(srcs[i].kind, srcs[i].arg, &sp);
		r = list_spec(fd, &sp, target, &cat);
		if (r < 0)
			ret = KT_EXIT_ERROR;
		else if (r > 0)
			fprintf(stderr, "%s: failed to match %s:%s:%s:%s: No probe matches description\n",
				KT_PNAME, sp.prov, sp.mod, sp.func, sp.name);
	}
	list_print(out, &cat, 0, decls);
	kt_catalog_free(&cat);
	close(fd);
	return ret;
}

/*
 * -l with -s: the probes each clause's descriptions match, clause by clause
 * and description by description, as dtrace -l -s does.
 */
int cmd_list_prog(const struct kt_prog *prog, FILE *out, long target,
		  struct kt_probe_decls *decls)
{
	struct kt_catalog cat = { 0 };
	int fd, r, ret = KT_EXIT_OK;
	char text[KTRACE_PROVNAMELEN + KTRACE_MODNAMELEN + KTRACE_FUNCNAMELEN + KTRACE_NAMELEN + 4];

	fd = list_open();
	if (fd < 0)
		return KT_EXIT_ERROR;
	list_header(out);
	for (uint32_t c = 0; c < prog->nclauses; c++) {
		for (int j = 0; j < prog->cinfo[c].nspecs; j++) {
			struct kt_probespec sp = prog->cinfo[c].specs[j];
			int from = cat.n;

			snprintf(text, sizeof(text), "%s:%s:%s:%s", sp.prov, sp.mod, sp.func,
				 sp.name);
			r = list_spec(fd, &sp, target, &cat);
			if (r > 0)
				fprintf(stderr, "%s: invalid probe specifier %s: probe description %s does not match any probes\n",
					KT_PNAME, text, text);
			if (r)
				ret = KT_EXIT_ERROR;
			list_print(out, &cat, from, decls);
		}
	}
	kt_catalog_free(&cat);
	close(fd);
	return ret;
}
