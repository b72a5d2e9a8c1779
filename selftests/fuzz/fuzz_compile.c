// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the D compiler: any byte string through
 * kt_compile() (with or without the -C preprocessor) must never crash, leak or hang, and every program it
 * accepts must pass the kernel's own object loader and verifier
 * (module/prog.c, verify.c) -- a compiled program the verifier rejects
 * is a compiler bug, reported as a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kt_user.h"
#include "vm.h"
#include "fuzz_verify.h"

static int fake_tp(void *ctx, const char *subsys, const char *event, struct kt_tp_field **f,
		   int *n)
{
	struct kt_tp_field *v = calloc(3, sizeof(*v));

	if (!v)
		return -12;
	strcpy(v[0].name, "comm");
	v[0].offset = 8;
	v[0].size = 16;
	v[0].is_string = v[0].is_array = true;
	strcpy(v[1].name, "pid");
	v[1].offset = 24;
	v[1].size = 4;
	v[1].is_signed = true;
	strcpy(v[2].name, "filename");
	v[2].offset = 28;
	v[2].size = 4;
	v[2].is_string = v[2].is_data_loc = true;
	*f = v;
	*n = 3;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *args[] = { "42", "bash", "0x10" };
	struct kt_compile_opts o = {
		.filename = "fuzz.d", .strsize = 256, .macro_args = args, .nmacro_args = 3,
		.target_pid = 1, .tp_format = fake_tp,
	};
	struct kt_diags d = { 0 };
	const char *name = "fuzz.d";
	struct kt_prog *p;
	char *src = malloc(size + 1);
	FILE *null;

	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	o.destructive = size && (data[0] & 1);
	o.cpp = size && (data[0] & 2);		/* half the runs through dt_cpp.c first */
	p = kt_compile((const char *const *)&src, &name, 1, &o, &d);
	null = fopen("/dev/null", "w");
	if (null) {
		kt_diags_print(&d, null);
		fclose(null);
	}
	if (p)
		fuzz_verify_or_abort(p, src);
	kt_prog_free(p);
	kt_diags_free(&d);
	free(src);
	return 0;
}
