// SPDX-License-Identifier: GPL-2.0
/*
 * prov_tracepoint.c: the tracepoint provider's probes (tracepoint:SUBSYS::
 * EVENT, from tracefs available_events; the kernel checks each event when
 * it creates the probe) and their typed arguments: args->FIELD from the
 * event's record layout (events/SUBSYS/EVENT/format).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov.h"

static int tp_expand(int fd, const struct kt_probespec *sp, struct kt_catalog *out)
{
	FILE *f = fopen(TRACEFS "/available_events", "r");
	struct kt_descs ds = { 0 };
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
		d = kt_descs_new(&ds);
		if (!d) {
			err = -ENOMEM;
			break;
		}
		kt_cpy(d->provider, sizeof(d->provider), "tracepoint");
		kt_cpy(d->module, sizeof(d->module), line);
		kt_cpy(d->name, sizeof(d->name), ev);
	}
	fclose(f);
	if (!err && ds.n) {
		err = kt_kernel_lookup(fd, ds.v, ds.n, out, NULL);
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
	kt_cpy(fl->name, sizeof(fl->name), name);
	*name = 0;
	while (name > decl && isspace((unsigned char)name[-1]))
		*--name = 0;
	kt_cpy(fl->type, sizeof(fl->type), decl);
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

static int tp_match(int fd, const struct kt_probespec *spec, struct kt_catalog *out)
{
	return tp_expand(fd, spec, out);
}

/* -l: every event gets its id */
static int tp_list_prepare(int fd, const struct kt_probespec *filter)
{
	return tp_expand(fd, filter, NULL);
}

const struct kt_provider kt_prov_tracepoint = {
	.name		= "tracepoint",
	.flags		= KT_PROV_SHORT | KT_PROV_TP_ARGS,
	.match		= tp_match,
	.list_prepare	= tp_list_prepare,
};
KT_PROVIDER(40, kt_prov_tracepoint);
