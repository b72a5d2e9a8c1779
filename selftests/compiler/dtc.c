// SPDX-License-Identifier: GPL-2.0
/*
 * dtc: a developer tool for the compiler: compile D from the command line
 * (-n PROG or a file), print diagnostics, verify the object with the
 * shared verifier and disassemble it.  Not installed; used by the tests
 * and for debugging.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kt_user.h"
#include "vm.h"
#include "slurp.h"

int main(int argc, char **argv)
{
	struct kt_compile_opts o = { .filename = "<command line>", .strsize = 256 };
	struct kt_diags d = { 0 };
	const char *src, *name;
	struct kt_prog *p;
	char *text = NULL;
	bool dis = false, pre = false;
	int ai = 1;

	if (ai < argc && !strcmp(argv[ai], "-E")) {	/* print -C's output and stop */
		pre = true;
		ai++;
	}

	if (ai < argc && !strcmp(argv[ai], "-S")) {
		dis = true;
		ai++;
	}
	if (ai < argc && !strcmp(argv[ai], "-w")) {
		o.destructive = true;
		ai++;
	}
	if (ai + 1 < argc && !strcmp(argv[ai], "-n")) {
		src = argv[ai + 1];
		name = "<command line>";
		ai += 2;
	} else if (ai < argc) {
		text = slurp(argv[ai]);
		if (!text) {
			perror(argv[ai]);
			return 2;
		}
		src = text;
		name = argv[ai];
		ai++;
	} else {
		fprintf(stderr, "usage: dtc [-E] [-S] [-w] -n PROG | FILE [args]\n");
		return 2;
	}
	o.macro_args = argv + ai;
	o.nmacro_args = argc - ai;
	if (pre) {
		char *e = kt_preprocess(src, name, &o, &d);

		kt_diags_print(&d, stderr);
		kt_diags_free(&d);
		if (e)
			fputs(e, stdout);
		free(e);
		free(text);
		return e ? 0 : 1;
	}
	if (getenv("DTC_CPP"))
		o.cpp = true;
	o.btf_path = getenv("DTC_BTF");	/* e.g. /sys/kernel/btf/vmlinux */
	p = kt_compile(&src, &name, 1, &o, &d);
	kt_diags_print(&d, stderr);
	kt_diags_free(&d);
	if (!p) {
		free(text);
		return 1;
	}
	{
		struct ktrace_enabling *en = calloc(p->nclauses + 1, sizeof(*en));
		void *obj;
		uint32_t size;
		char logbuf[4096] = "";
		struct ktrace_vlog log = { .buf = logbuf, .size = sizeof(logbuf) };
		struct ktrace_opts kopts = { 0 };
		struct ktrace_prog *kp = NULL;
		int rc;

		for (uint32_t i = 0; i < p->nclauses; i++) {
			en[i].probe = 1;
			en[i].clause = i;
		}
		if (kt_prog_serialize(p, en, p->nclauses, &obj, &size)) {
			fprintf(stderr, "serialize failed\n");
			return 1;
		}
		rc = ktrace_prog_load(obj, size, &kopts, &log, &kp);
		if (rc) {
			fprintf(stderr, "verifier: %d\n%s", rc, logbuf);
			return 3;
		}
		if (dis) {
			for (uint32_t i = 0; i < kp->ninsns; i++) {
				char b[256];

				ktrace_disasm_insn(b, sizeof(b), &kp->insns[i], kp);
				printf("%4u: %s\n", i, b);
			}
			for (uint32_t i = 0; i < p->nclauses; i++)
				printf("clause %u: pred %u+%u body %u+%u\n", i, p->clauses[i].pred_start,
				       p->clauses[i].pred_len, p->clauses[i].body_start,
				       p->clauses[i].body_len);
		}
		ktrace_prog_free(kp);
		free(obj);
		free(en);
	}
	kt_prog_free(p);
	free(text);
	return 0;
}
