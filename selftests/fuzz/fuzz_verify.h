/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the compiler fuzz targets: a program the compiler accepted must pass
 * the kernel's own object loader and verifier (module/prog.c, verify.c);
 * a rejection is a compiler bug, reported as a crash (abort).  WHAT is
 * printed with the verifier's log.
 */
#ifndef KT_FUZZ_VERIFY_H
#define KT_FUZZ_VERIFY_H

#include <stdio.h>
#include <stdlib.h>
#include "kt_user.h"
#include "vm.h"

static inline void fuzz_verify_or_abort(const struct kt_prog *p, const char *what)
{
	struct ktrace_enabling *en;
	char log[2048] = "";
	struct ktrace_vlog vlog = { .buf = log, .size = sizeof(log) };
	struct ktrace_opts kopts = { .flags = p->destructive ? KTRACE_OPT_F_DESTRUCTIVE : 0 };
	struct ktrace_prog *kp = NULL;
	void *obj = NULL;
	uint32_t osize;
	int rc;

	if (!p->nclauses)	/* the CLI's "no probes specified" */
		return;
	en = calloc(p->nclauses, sizeof(*en));
	for (uint32_t i = 0; en && i < p->nclauses; i++)
		en[i].clause = i, en[i].probe = 1;
	rc = en ? kt_prog_serialize(p, en, p->nclauses, &obj, &osize) : -1;
	if (!rc) {
		rc = ktrace_prog_load(obj, osize, &kopts, &vlog, &kp);
		if (rc && rc != -12 /* ENOMEM */ && rc != -7 /* E2BIG */) {
			fprintf(stderr, "compiled program rejected (%d): %s\n%s\n", rc, log, what);
			abort();
		}
	}
	if (kp)
		ktrace_prog_free(kp);
	free(obj);
	free(en);
}

#endif /* KT_FUZZ_VERIFY_H */
