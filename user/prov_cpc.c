// SPDX-License-Identifier: GPL-2.0
/*
 * prov_cpc.c: the cpc provider: cpc:::EVENT-MODE-COUNT, an overflow of a
 * performance counter (module/prov_cpc.c has the names and the rules).
 * The kernel's registry lists every event this machine counts, in each
 * mode, with a default COUNT; any other valid name is created by LOOKUP.
 *
 * A description whose clauses all count only the -c/-p target
 * (spec->task, set by the consumer) gets per-task probes: desc.pid is the
 * target and the kernel counts that process (and the children it forks)
 * with one counter instead of one per CPU.  A glob names the system-wide
 * probes the kernel lists; each is then looked up again for the task.
 */
#include <errno.h>
#include <string.h>

#include "prov.h"

static int cpc_lookup(int fd, const struct kt_probespec *sp, const char *name,
		      struct kt_catalog *out)
{
	struct ktrace_probe_desc d;
	int first_err = 0, r;

	memset(&d, 0, sizeof(d));
	kt_cpy(d.provider, sizeof(d.provider), "cpc");
	kt_cpy(d.name, sizeof(d.name), name);
	d.pid = sp->task;
	r = kt_kernel_lookup(fd, &d, 1, out, &first_err);
	return r < 0 ? r : (r ? 0 : first_err);
}

static int cpc_match(int fd, const struct kt_probespec *sp, struct kt_catalog *out)
{
	struct kt_catalog sys = { 0 };
	int i, err = 0;

	if (sp->mod[0] || sp->func[0] || !sp->name[0])
		return 0;
	if (!kt_is_glob(sp->name))	/* made on demand; listed by the kernel after */
		return cpc_lookup(fd, sp, sp->name, sp->task ? out : NULL);
	if (!sp->task)
		return 0;		/* the kernel's list has them */
	err = kt_kernel_list(fd, sp, &sys);
	for (i = 0; !err && i < sys.n; i++)
		if (!strcmp(sys.v[i].d.provider, "cpc") && !sys.v[i].d.pid)
			err = cpc_lookup(fd, sp, sys.v[i].d.name, out);
	kt_catalog_free(&sys);
	return err;
}

const struct kt_provider kt_prov_cpc = {
	.name		= "cpc",
	.flags		= KT_PROV_KERNEL | KT_PROV_TASK,
	.match		= cpc_match,
};
KT_PROVIDER(140, kt_prov_cpc);
