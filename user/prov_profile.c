// SPDX-License-Identifier: GPL-2.0
/*
 * prov_profile.c: the profile provider: profile-N (every CPU, N Hz) and
 * tick-N (one CPU) timers.  The kernel's registry lists the default rates;
 * a rate named literally (profile:::profile-4999, tick-250ms) is created
 * by LOOKUP, and the kernel's list then has it.
 */
#include <string.h>

#include "prov.h"

static int literal_lookup(int fd, const struct kt_probespec *sp, struct kt_catalog *out)
{
	struct ktrace_probe_desc d;
	int first_err = 0, r;

	memset(&d, 0, sizeof(d));
	kt_cpy(d.provider, sizeof(d.provider), sp->prov);
	kt_cpy(d.module, sizeof(d.module), sp->mod);
	kt_cpy(d.function, sizeof(d.function), sp->func);
	kt_cpy(d.name, sizeof(d.name), sp->name);
	r = kt_kernel_lookup(fd, &d, 1, out, &first_err);
	return r < 0 ? r : (r ? 0 : first_err);
}

extern const struct kt_provider kt_prov_profile;

static int profile_match(int fd, const struct kt_probespec *sp, struct kt_catalog *out)
{
	if (strcmp(sp->prov, kt_prov_profile.name) || kt_is_glob(sp->name) || !sp->name[0] || sp->mod[0] ||
	    sp->func[0])
		return 0;
	return literal_lookup(fd, sp, NULL);
}

/* tick-N and profile-N written alone (not a glob: that would be a name of any provider) */
static bool profile_bare(const char *name)
{
	return !kt_is_glob(name) && (!strncmp(name, "tick-", 5) || !strncmp(name, "profile-", 8));
}

const struct kt_provider kt_prov_profile = {
	.name		= "profile",
	.flags		= KT_PROV_KERNEL,
	.match		= profile_match,
	.bare		= profile_bare,
	.attr		= (const struct kt_attr[KT_ATTR_NPARTS]) {
		KT_ATTR(EVOLVING, EVOLVING, COMMON), KT_ATTR(UNSTABLE, UNSTABLE, UNKNOWN),
		KT_ATTR(PRIVATE, PRIVATE, UNKNOWN), KT_ATTR(EVOLVING, EVOLVING, COMMON),
		KT_ATTR(EVOLVING, EVOLVING, COMMON) },
};
KT_PROVIDER(30, kt_prov_profile);
