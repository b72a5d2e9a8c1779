// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the BTF reader (user/dt_btf.c): any byte string as
 * the kernel's type file must never crash, leak or hang the compiler.  It
 * is written to a file that a few programs using kernel structures (a
 * cast, ->, ., [ ], a char array as a string in every aggregation key and
 * printf argument position, fbt args[], curthread) are compiled
 * against; whatever compiles must pass the kernel's own verifier.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kt_user.h"
#include "vm.h"
#include "fuzz_verify.h"

static const char *const progs[] = {
	"BEGIN { f = (struct foo *)arg0; trace(f->a); trace(f->name); trace(f->next->u); "
	"trace(f->next[1].a); trace((*f).a); }",
	"fbt::foo_fn:entry { trace(args[0]->a); trace(args[1]); } fbt::foo_fn:return { trace(args[1]); }",
	"BEGIN { trace(curthread->pid); trace(curthread->comm); trace(curthread->real_parent->tgid); }",
	"BEGIN { trace(((struct task_struct *)arg0)->se.vruntime); trace(((union foo *)arg1)->u); }",
	/* a char array as a string in every position of keys and arguments */
	"BEGIN { f = (struct foo *)arg0; @a[f->name] = count(); @b[pid, f->name] = count(); "
	"@c[f->a, f->name, f->next->name] = sum(f->a); printf(\"%s %s %d %s\\n\", execname, f->name, "
	"f->a, stringof(f->name)); trace(strjoin(f->name, f->next->name)); s = f->name; "
	"x[f->name, pid] = strlen(f->name); }",
	"BEGIN /curthread->comm == \"sh\"/ { @[pid, curthread->comm, curthread->real_parent->comm] = "
	"count(); printf(\"%d %s %s\\n\", pid, curthread->comm, stringof(curthread->comm)); }",
};

static char path[64];

static void remove_file(void)
{
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kt_compile_opts o = { .filename = "fuzz.d", .strsize = 256, .target_pid = 1 };
	FILE *f;

	if (!path[0]) {
		snprintf(path, sizeof(path), "/tmp/ktrace-fuzz-btf.%d", (int)getpid());
		atexit(remove_file);
	}
	f = fopen(path, "w");
	if (!f)
		return 0;
	if (size && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return 0;
	}
	fclose(f);
	o.btf_path = path;
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		const char *src = progs[i], *name = "fuzz.d";
		struct kt_diags d = { 0 };
		struct kt_prog *p = kt_compile(&src, &name, 1, &o, &d);

		if (p)
			fuzz_verify_or_abort(p, src);
		kt_prog_free(p);
		kt_diags_free(&d);
	}
	return 0;
}
