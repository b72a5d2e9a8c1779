// SPDX-License-Identifier: GPL-2.0
/*
 * prov_dtrace.c: the dtrace provider: dtrace:::BEGIN (id 1), END (2) and
 * ERROR (3).  Nothing to register with the kernel: session.c fires BEGIN
 * (GO) and END (STOP) for one session from process context, probe.c
 * fires ERROR from inside a firing (it finds the probe by its id, in its
 * registry: it does not call up into this file).
 *
 * State: the three probe pointers, written once at module init under
 * ktrace_probe_mutex before any session exists, then read-only.
 */
#include <linux/kernel.h>
#include "ktrace_internal.h"

static struct ktrace_probe *dtrace_probes[4];

struct ktrace_probe *ktrace_dtrace_probe(u32 id)
{
	return id >= KTRACE_PROBE_BEGIN && id <= KTRACE_PROBE_ERROR ? dtrace_probes[id] : NULL;
}

static int dtrace_populate(void)
{
	static const char * const names[] = { NULL, "BEGIN", "END", "ERROR" };
	u32 id;

	if (dtrace_probes[1])
		return 0;
	for (id = KTRACE_PROBE_BEGIN; id <= KTRACE_PROBE_ERROR; id++) {
		struct ktrace_probe *p = ktrace_probe_add(&ktrace_prov_dtrace, "", "", names[id]);

		if (!p)
			return -ENOMEM;
		/* the first provider registered: ids 1..3 are ABI */
		if (WARN_ON(p->id != id))
			return -EINVAL;
		dtrace_probes[id] = p;
	}
	return 0;
}

static void dtrace_exit(void)
{
	memset(dtrace_probes, 0, sizeof(dtrace_probes));
}

struct ktrace_provider ktrace_prov_dtrace = {
	.name		= "dtrace",
	.populate	= dtrace_populate,
	.exit		= dtrace_exit,
};
KTRACE_PROVIDER(10, struct ktrace_provider, ktrace_prov_dtrace);
