// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of D's declarations (user/dt_decl.c, dt_xlate.c): typedef,
 * struct/union/enum, inline, sizeof/offsetof of declared types,
 * translators and xlate, provider argument declarations, and the D
 * library (kt_compile_opts.lib_srcs): what each compiles to is compared
 * with the code of the expression it stands for, instruction for
 * instruction, or with the constant it must be.  KTAP on stdout.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kt_user.h"
#include "cmd.h"
#include "vm.h"
#include "slurp.h"

static int ntest, nfail;

static void result(bool ok, const char *name, const char *why)
{
	ntest++;
	nfail += !ok;
	printf("%s %d %s\n", ok ? "ok" : "not ok", ntest, name);
	if (!ok && why && *why)
		printf("# %s\n", why);
}

static struct kt_compile_opts opts(void)
{
	return (struct kt_compile_opts){ .filename = "t.d", .strsize = 256 };
}

/* A kernel with `kvar at 0x1000 and `hidden behind kptr_restrict. */
static int fake_ksym(void *ctx, const char *mod, const char *name, uint64_t *addr)
{
	if (!strcmp(name, "hidden"))
		return -EPERM;
	if (strcmp(name, "kvar") || (mod && strcmp(mod, "vmlinux")))
		return -ENOENT;
	*addr = 0x1000;
	return 0;
}

/* Compile SRC after the library LIB (may be NULL); *first: the first diagnostic. */
static struct kt_prog *compile(const char *src, const char *lib, const char *btf,
			       char *first, size_t flen)
{
	struct kt_compile_opts o = opts();
	const char *name = "t.d", *lname = "lib.d";
	struct kt_diags d = { 0 };
	struct kt_prog *p;

	if (lib) {
		o.lib_srcs = &lib;
		o.lib_names = &lname;
		o.nlib = 1;
	}
	o.btf_path = btf;
	o.ksym_addr = fake_ksym;
	p = kt_compile(&src, &name, 1, &o, &d);
	first[0] = '\0';
	if (d.n)
		snprintf(first, flen, "%s:%d:%d: %s", d.v[0].file ? d.v[0].file : "",
			 d.v[0].line, d.v[0].col, d.v[0].msg);
	kt_diags_free(&d);
	if (p && first[0] && !strstr(first, "warning")) {
		kt_prog_free(p);
		return NULL;
	}
	return p;
}

/* A and B (same library) compile to the same instructions. */
static void same_code(const char *name, const char *lib, const char *a, const char *b)
{
	char fa[512], fb[512], why[1200];
	struct kt_prog *pa = compile(a, lib, NULL, fa, sizeof(fa));
	struct kt_prog *pb = compile(b, lib, NULL, fb, sizeof(fb));
	bool ok = pa && pb && pa->ninsns == pb->ninsns &&
		  !memcmp(pa->insns, pb->insns, sizeof(*pa->insns) * pa->ninsns);

	snprintf(why, sizeof(why), "a: %s (%u insns) b: %s (%u insns)", pa ? "ok" : fa,
		 pa ? pa->ninsns : 0, pb ? "ok" : fb, pb ? pb->ninsns : 0);
	result(ok, name, why);
	kt_prog_free(pa);
	kt_prog_free(pb);
}

/* SRC's trace(E) pushes the constant WANT (its first seti). */
static void constant(const char *name, const char *lib, const char *src, int64_t want)
{
	char f[512], why[700];
	struct kt_prog *p = compile(src, lib, NULL, f, sizeof(f));
	int64_t got = -1;
	bool found = false;

	for (uint32_t i = 0; p && i < p->ninsns && !found; i++)
		if (p->insns[i].op == KTRACE_OP_SETI) {
			got = p->insns[i].imm;
			found = true;
		}
	snprintf(why, sizeof(why), "want %lld, got %lld (%s)", (long long)want, (long long)got,
		 p ? "compiled" : f);
	result(found && got == want, name, why);
	kt_prog_free(p);
}

/* SRC fails with WANT as its first diagnostic. */
static void error(const char *name, const char *lib, const char *src, const char *want)
{
	char f[512], why[1200];
	struct kt_prog *p = compile(src, lib, NULL, f, sizeof(f));

	snprintf(why, sizeof(why), "want: %s\ngot:  %s", want, f);
	result(!p && !strcmp(f, want), name, why);
	kt_prog_free(p);
}

static const char types[] =
	"typedef int myint_t;\n"
	"enum color { RED, GREEN = 5, BLUE };\n"
	"inline int TWICE_BLUE = BLUE * 2;\n"
	"struct foo { int a; char b; long c; char name[16]; };\n"
	"union u { int a; long b; char c[12]; };\n"
	"typedef struct s { int v; uint64_t w; char n[8]; } s_t;\n"
	"translator s_t < int X > { v = X * 2; w = X + 1; n = \"xl\"; };\n"
	"translator s_t < uint64_t *P > { v = P[1]; };\n"
	"inline s_t *cur = xlate <s_t *> (pid);\n"
	"inline int sq[int x] = x * x + GREEN;\n"
	"inline string nm[uint8_t c] = c == RED ? \"red\" : c == GREEN ? \"green\" : \"other\";\n"
	"provider p {\n"
	"	probe one(int a, int b) : (s_t *b, int a);\n"
	"	probe two__words(int a);\n"
	"};\n";

/* ----- -lv: each probe's report (cmd_list.c) ----- */
/* the library's declarations of SRC (a file lib.d) */
static int decls_of(const char *src, struct kt_probe_decls *decls, char *first, size_t flen)
{
	struct kt_compile_opts o = opts();
	const char *lname = "lib.d";
	struct kt_diags d = { 0 };
	int rc;

	o.lib_srcs = &src;
	o.lib_names = &lname;
	o.nlib = 1;
	rc = kt_probe_decls_load(&o, decls, &d);
	first[0] = '\0';
	if (d.n)
		snprintf(first, flen, "%s:%d:%d: %s", d.v[0].file ? d.v[0].file : "",
			 d.v[0].line, d.v[0].col, d.v[0].msg);
	kt_diags_free(&d);
	return rc;
}

/* probe PROV:::NAME's args[] as declared in SRC: WANT, its types joined by '|' */
static void decl_types(const char *name, const char *src, const char *prov, const char *pname,
		       const char *want)
{
	struct kt_probe_decls decls;
	const struct kt_probe_decl *pd;
	char got[512] = "", f[512], why[1200];
	int rc = decls_of(src, &decls, f, sizeof(f));

	pd = rc ? NULL : kt_probe_decls_find(&decls, prov, pname);
	for (int i = 0; pd && i < pd->nargs; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", i ? "|" : "",
			 pd->args[i]);
	snprintf(why, sizeof(why), "want '%s', got '%s'%s (%s)", want, got,
		 pd ? "" : " (not declared)", rc ? f : "loaded");
	result(pd && !strcmp(got, want), name, why);
	kt_probe_decls_free(&decls);
}

/*
 * dtrace -lv's report of probe PROV:MOD:FUNC:PNAME typed by DECLS: its
 * description's and its arguments' attributes ("Name/Data/Class" each)
 * and TYPES (args[] joined by '|', "" for None).
 */
static void lv_report(const char *name, struct kt_probe_decls *decls, const char *prov,
		      const char *mod, const char *func, const char *pname, const char *dattr,
		      const char *aattr, const char *types)
{
	struct ktrace_probe_desc d = { 0 };
	char want[2048], *w = want, a[3][3][24], tl[512], why[4600];
	char *got = NULL, *t;
	size_t len = 0;
	FILE *f = open_memstream(&got, &len);

	snprintf(d.provider, sizeof(d.provider), "%s", prov);
	snprintf(d.module, sizeof(d.module), "%s", mod);
	snprintf(d.function, sizeof(d.function), "%s", func);
	snprintf(d.name, sizeof(d.name), "%s", pname);
	if (!f) {
		result(false, name, "open_memstream failed");
		return;
	}
	cmd_print_probe_info(f, &d, decls);
	fclose(f);
	sscanf(dattr, "%23[^/]/%23[^/]/%23s", a[0][0], a[0][1], a[0][2]);
	sscanf(aattr, "%23[^/]/%23[^/]/%23s", a[1][0], a[1][1], a[1][2]);
	for (int i = 0; i < 2; i++)
		w += sprintf(w, "\n\t%s\n\t\tIdentifier Names: %s\n\t\tData Semantics:   %s\n\t\tDependency Class: %s\n",
			     i ? "Argument Attributes" : "Probe Description Attributes",
			     a[i][0], a[i][1], a[i][2]);
	w += sprintf(w, "\n\tArgument Types\n");
	snprintf(tl, sizeof(tl), "%s", types);
	t = strtok(tl, "|");
	if (!t)
		w += sprintf(w, "\t\tNone\n");
	for (int i = 0; t; i++, t = strtok(NULL, "|"))
		w += sprintf(w, "\t\targs[%d]: %s\n", i, t);
	sprintf(w, "\n");
	snprintf(why, sizeof(why), "want:\n%s\ngot:\n%s", want, got ? got : "");
	for (char *p = why; *p; p++)	/* KTAP diagnostics: one line each */
		if (*p == '\n' && p[1])
			memmove(p + 3, p + 1, strlen(p + 1) + 1), p[1] = '#', p[2] = ' ', p += 2;
	result(got && !strcmp(got, want), name, why);
	free(got);
}

static void lv_tests(void)
{
	const char *dirs[] = { "user/lib" };
	struct kt_probe_decls decls;
	struct kt_dlib lib;
	struct kt_compile_opts o = opts();
	struct kt_diags d = { 0 };
	char why[300];
	int rc;

	/* the types as written, one space apart, the stars last; "__" is "-" */
	decl_types("decl_types_as_written", "provider t { probe a__b(struct  foo*x, char ** s,\n"
		   "\tunsigned   long, int) : (uint64_t*x, char* *s); };", "t", "a-b",
		   "uint64_t *|char **");
	decl_types("decl_types_untranslated_are_native", "typedef int myint_t;\n"
		   "provider t { probe a(struct  foo*x, char ** s, unsigned   long, myint_t); };",
		   "t", "a", "struct foo *|char **|unsigned long|myint_t");
	decl_types("decl_types_none", "provider t { probe a(); probe b(void); };", "t", "b", "");

	if (kt_dlib_load(dirs, 1, &lib, why, sizeof(why)) < 0) {
		result(false, "lv_library_loads", why);
		return;
	}
	o.lib_srcs = (const char *const *)lib.texts;
	o.lib_names = (const char *const *)lib.names;
	o.nlib = lib.n;
	rc = kt_probe_decls_load(&o, &decls, &d);
	result(rc == 0 && !d.nerrors, "lv_library_loads", d.n ? d.v[0].msg : "");
	kt_diags_free(&d);
	/* the stable providers: as dtrace -lv prints them (the conformance cases' .r) */
	lv_report("lv_sched_off_cpu", &decls, "sched", "vmlinux", "", "off-cpu",
		  "Private/Private/Unknown", "Evolving/Evolving/ISA", "lwpsinfo_t *|psinfo_t *");
	lv_report("lv_io_done", &decls, "io", "vmlinux", "", "done", "Private/Private/Unknown",
		  "Evolving/Evolving/ISA", "bufinfo_t *|devinfo_t *|fileinfo_t *");
	lv_report("lv_ip_send", &decls, "ip", "vmlinux", "", "send", "Private/Private/Unknown",
		  "Evolving/Evolving/ISA",
		  "pktinfo_t *|csinfo_t *|ipinfo_t *|ifinfo_t *|ipv4info_t *|ipv6info_t *");
	lv_report("lv_lockstat_adaptive_spin", &decls, "lockstat", "vmlinux", "", "adaptive-spin",
		  "Private/Private/Unknown", "Evolving/Evolving/ISA", "struct mutex *|uint64_t");
	lv_report("lv_lockstat_spin_spin", &decls, "lockstat", "vmlinux", "", "spin-spin",
		  "Private/Private/Unknown", "Evolving/Evolving/ISA", "spinlock_t *|uint64_t");
	lv_report("lv_proc_exit_int", &decls, "proc", "vmlinux", "", "exit",
		  "Private/Private/Unknown", "Evolving/Evolving/ISA", "int");
	lv_report("lv_declared_without_arguments_none", &decls, "sched", "vmlinux", "", "on-cpu",
		  "Private/Private/Unknown", "Evolving/Evolving/ISA", "");
	/* no module or function: their attributes do not count (BEGIN is Stable) */
	lv_report("lv_dtrace_begin_stable", &decls, "dtrace", "", "", "BEGIN",
		  "Stable/Stable/Common", "Stable/Stable/Common", "");
	lv_report("lv_profile_untyped", &decls, "profile", "", "", "tick-1s",
		  "Evolving/Evolving/Common", "Evolving/Evolving/Common", "");
	lv_report("lv_syscall_least_of_parts", &decls, "syscall", "vmlinux", "read", "entry",
		  "Private/Private/Unknown", "Unstable/Unstable/ISA", "");
	/* a provider with no attributes of its own: DTrace's SDT providers' */
	lv_report("lv_tracepoint_sdt_attributes", &decls, "tracepoint", "sched", "",
		  "sched_process_fork", "Private/Private/Unknown", "Evolving/Evolving/ISA", "");
	kt_probe_decls_free(&decls);

	/* fbt: the types the compiler gives args[] from the prototype in the kernel's BTF */
	o.btf_path = "/sys/kernel/btf/vmlinux";
	rc = kt_probe_decls_load(&o, &decls, &d);
	kt_diags_free(&d);
	if (rc == 0 && decls.btf) {
		lv_report("lv_fbt_entry_prototype", &decls, "fbt", "vmlinux", "vfs_read", "entry",
			  "Private/Private/Unknown", "Private/Private/ISA",
			  "struct file *|char *|size_t|loff_t *");
		lv_report("lv_fbt_return_offset_and_value", &decls, "fbt", "vmlinux", "vfs_read",
			  "return", "Private/Private/Unknown", "Private/Private/ISA",
			  "int64_t|ssize_t");
		lv_report("lv_fbt_const_pointer", &decls, "fbt", "vmlinux", "do_sys_open", "entry",
			  "Private/Private/Unknown", "Private/Private/ISA",
			  "int|const char *|int|umode_t");
		lv_report("lv_fbt_no_such_function_none", &decls, "fbt", "vmlinux",
			  "no_such_function_kt", "entry", "Private/Private/Unknown",
			  "Private/Private/ISA", "");
	} else {
		for (int i = 0; i < 4; i++)
			printf("ok %d lv_fbt # SKIP the host has no readable %s\n", ++ntest,
			       o.btf_path);
	}
	kt_probe_decls_free(&decls);
	kt_dlib_free(&lib);
}

int main(void)
{
	char f[512], *lib;
	struct kt_prog *p;

	printf("KTAP version 1\n");
	constant("enum_value_after_assigned", types, "BEGIN { trace(BLUE); }", 6);
	constant("inline_constant", types, "BEGIN { trace(TWICE_BLUE); }", 12);
	constant("sizeof_struct_c_layout", types, "BEGIN { trace(sizeof(struct foo)); }", 32);
	constant("offsetof_aligned_member", types, "BEGIN { trace(offsetof(struct foo, c)); }", 8);
	constant("offsetof_array_member", types, "BEGIN { trace(offsetof(struct foo, name)); }",
		 16);
	constant("sizeof_union_is_largest_aligned", types, "BEGIN { trace(sizeof(union u)); }",
		 16);
	constant("sizeof_typedef", types, "BEGIN { trace(sizeof(myint_t)); }", 4);
	constant("sizeof_typedef_struct", types, "BEGIN { trace(sizeof(s_t)); }", 24);
	constant("enum_in_program", NULL, "enum e { A = 3, B }; BEGIN { trace(B); }", 4);
	same_code("typedef_cast_is_its_type", types, "BEGIN { trace((myint_t)arg0); }",
		  "BEGIN { trace((int)arg0); }");
	same_code("xlate_member_is_translator_expression", types,
		  "BEGIN { trace(xlate<s_t *>(arg0)->v); }",
		  "BEGIN { trace((int)(arg0 * 2)); }");
	same_code("xlate_dot_member", types, "BEGIN { trace(xlate<s_t>(arg1).w); }",
		  "BEGIN { trace((uint64_t)(arg1 + 1)); }");
	same_code("xlate_deref_dot_member", types, "BEGIN { trace((*xlate<s_t *>(arg1)).w); }",
		  "BEGIN { trace((uint64_t)(arg1 + 1)); }");
	same_code("xlate_string_member", types, "BEGIN { trace(xlate<s_t *>(1)->n); }",
		  "BEGIN { trace(\"xl\"); }");
	same_code("xlate_picks_translator_by_input_type", types,
		  "BEGIN { trace(xlate<s_t *>((uint64_t *)arg0)->v); }",
		  "BEGIN { trace((int)((uint64_t *)arg0)[1]); }");
	constant("indexed_inline_binds_its_key", types, "BEGIN { trace(sq[3]); }", 14);
	constant("inline_of_two_keys_binds_both", NULL,
		 "inline int f[int x, int y] = x * 10 + y; BEGIN { trace(f[4, 2]); }", 42);
	constant("sizeof_string_constant_is_its_length_and_nul", NULL,
		 "BEGIN { trace(sizeof(\"hi\")); }", 3);
	constant("sizeof_null_is_an_int", NULL, "BEGIN { trace(sizeof(NULL)); }", 4);
	constant("sizeof_kernel_short_typedefs", NULL,
		 "BEGIN { trace(sizeof(uint) * 1000 + sizeof(__u8) * 100 + sizeof(__s64) * 10 + sizeof(ushort)); }",
		 4182);
	same_code("uint_is_unsigned_int", NULL, "BEGIN { trace((uint)-12345); }",
		  "BEGIN { trace((unsigned int)-12345); }");
	constant("sizeof_float_double_long_double", NULL,
		 "float f; BEGIN { trace(sizeof(f) * 10000 + sizeof(double) * 100 + sizeof(long double)); }",
		 40816);
	constant("struct_with_floating_members_c_layout", NULL,
		 "struct fs { char c; double d; float f; int i; }; BEGIN { trace(offsetof(struct fs, d) * 10000 + offsetof(struct fs, i) * 100 + sizeof(struct fs)); }",
		 82024);
	/* a double is kept and copied as its 8 bytes, as a long */
	same_code("double_variable_copies_its_bits", NULL,
		  "double d, e; BEGIN { e = d; printf(\"%f\", e); }",
		  "long d, e; BEGIN { e = d; printf(\"%f\", e); }");
	error("float_no_arithmetic", NULL, "float f; BEGIN { trace(f + 1); }",
	      "t.d:1:26: operands have incompatible types: \"float\" + \"int\"");
	error("float_no_int_assignment", NULL, "double d; BEGIN { d = 1; }",
	      "t.d:1:21: operands have incompatible types: \"double\" = \"int\"");
	error("float_and_double_differ", NULL, "double d; float f; BEGIN { d = f; }",
	      "t.d:1:30: operands have incompatible types: \"double\" = \"float\"");
	error("float_no_cast", NULL, "float f; BEGIN { trace((int)f); }",
	      "t.d:1:24: invalid cast expression: \"float\" to \"int\"");
	error("float_not_traced", NULL, "float f; BEGIN { trace(f); }",
	      "t.d:1:24: trace( ) argument #1 is floating-point: print it with printf( )'s %e, %f or %g");
	error("float_not_printed_by_d", NULL, "float f; BEGIN { printf(\"%d\", f); }",
	      "t.d:1:31: printf( ) argument #2 is incompatible with conversion #1 prototype:\n\tconversion: %d\n\t prototype: char, short, int, long, or long long\n\t  argument: float");
	error("float_no_key", NULL, "float f; BEGIN { @[f] = count(); }",
	      "t.d:1:20: @[ ] key #1 is floating-point: D has no floating-point keys");
	same_code("float_member_loads_its_4_bytes", NULL,
		  "struct fs { int i; float f; }; BEGIN { p = (struct fs *)alloca(8); printf(\"%f\", p->f); }",
		  "struct fs { int i; unsigned int f; }; BEGIN { p = (struct fs *)alloca(8); printf(\"%f\", p->f); }");
	error("long_double_member_not_read", NULL,
	      "struct fs { long double q; }; BEGIN { p = (struct fs *)alloca(16); p->q; }",
	      "t.d:1:69: member q is a long double: D holds at most 8 bytes of a value");
	error("long_double_variable", NULL, "long double l;",
	      "t.d:1:13: long double l: a D variable holds at most 8 bytes");
	error("float_invalid_combination", NULL, "unsigned float f;",
	      "t.d:1:1: invalid type combination");
	constant("constant_int_overflow_keeps_64_bits", NULL,
		 "BEGIN { trace((2147483647 + 1) / 2); }", 1073741824);
	same_code("indexed_inline_key_converted", types, "BEGIN { trace(nm[arg0]); }",
		  "BEGIN { trace((uint8_t)arg0 == 0 ? \"red\" : (uint8_t)arg0 == 5 ? \"green\" : \"other\"); }");
	/* xlate<T *>(E) as a value: the translation built in scratch (alloca) */
	same_code("xlate_pointer_value_built_in_scratch", types,
		  "BEGIN { trace(xlate<s_t *>((uint64_t *)arg0)); }",
		  "BEGIN { trace((this->__xlate_s = (s_t *)alloca(sizeof (s_t)), "
		  "this->__xlate_s->v = (int)((uint64_t *)arg0)[1], this->__xlate_s)); }");
	same_code("inline_xlate_member", types, "BEGIN { trace(cur->v); }",
		  "BEGIN { trace((int)(pid * 2)); }");
	same_code("provider_args_translated", types, "p:::one { trace(args[0]->v); }",
		  "p:::one { trace((int)((int)arg1 * 2)); }");
	same_code("provider_args_mapped_by_name", types, "p:::one { trace(args[1]); }",
		  "p:::one { trace((int)arg0); }");
	same_code("provider_probe_name_dashes", types, "p:::two-words { trace(args[0]); }",
		  "p:::two-words { trace((int)arg0); }");
	same_code("undeclared_probe_args_untyped", types, "q:::one { trace(args[0]); }",
		  "q:::one { trace(args[0]); }");

	same_code("ksym_extern_int_is_a_load", NULL,
		  "extern int kvar; BEGIN { trace(`kvar); trace(kvar); trace(`vmlinux`kvar); }",
		  "BEGIN { trace(*(int *)0x1000); trace(*(int *)0x1000); trace(*(int *)0x1000); }");
	same_code("ksym_module_scope_without_backquote", NULL,
		  "extern int kvar; BEGIN { trace(vmlinux`kvar); trace((uint64_t)&vmlinux`kvar); }",
		  "BEGIN { trace(*(int *)0x1000); trace((uint64_t)(void *)0x1000); }");
	same_code("ksym_address", NULL, "BEGIN { trace((uint64_t)&`kvar); }",
		  "BEGIN { trace((uint64_t)(void *)0x1000); }");
	/* the address of an untyped symbol moves in bytes (void * only for want of a type) */
	same_code("ksym_untyped_address_arithmetic", NULL,
		  "BEGIN { trace(&`kvar + 1); trace(&`kvar - 1); }",
		  "BEGIN { trace((char *)&`kvar + 1); trace((char *)&`kvar - 1); }");
	error("void_pointer_variable_arithmetic", NULL, "BEGIN { p = (void *)&`kvar; trace(p + 1); }",
	      "t.d:1:37: operands have incompatible types: \"void *\" + \"int\"");
	same_code("ksym_untyped_through_a_cast", NULL, "BEGIN { trace(*(short *)&`kvar); }",
		  "BEGIN { trace(*(short *)0x1000); }");
	error("ksym_untyped_value", NULL, "BEGIN { trace(`kvar); }",
	      "t.d:1:15: `kvar has no type in the kernel's BTF: declare it (extern int `kvar;) or read it with a cast (*(int *)&`kvar)");
	/* extern declarations as C writes them (arrays, functions, pointers to functions) */
	same_code("extern_array_is_its_address", NULL,
		  "extern int kvar[4]; BEGIN { trace(kvar[2]); trace((uint64_t)kvar); }",
		  "BEGIN { trace(((int *)0x1000)[2]); trace((uint64_t)(int *)0x1000); }");
	same_code("extern_unsized_array_in_a_list", NULL,
		  "extern long other, kvar[], x2[2][3]; BEGIN { trace(kvar[1]); }",
		  "BEGIN { trace(((long *)0x1000)[1]); }");
	same_code("extern_function_is_its_address", NULL,
		  "extern int kvar(void); BEGIN { trace((uint64_t)kvar); trace((uint64_t)&kvar); }",
		  "BEGIN { trace((uint64_t)(void *)0x1000); trace((uint64_t)(void *)0x1000); }");
	same_code("extern_function_pointer_is_a_load", NULL,
		  "extern int **(*kvar)(int, char *p); BEGIN { trace((uint64_t)kvar); }",
		  "BEGIN { trace((uint64_t)*(void **)0x1000); }");
	same_code("extern_pointer_to_function_pointer", NULL,
		  "extern int (**kvar)(); BEGIN { trace((uint64_t)*kvar); }",
		  "BEGIN { trace((uint64_t)**(void ***)0x1000); }");
	same_code("extern_without_type_is_int", NULL, "extern kvar; BEGIN { trace(kvar); }",
		  "BEGIN { trace(*(int *)0x1000); }");
	same_code("extern_pointer_to_double_is_untyped", NULL,
		  "extern double *kvar; BEGIN { trace((uint64_t)kvar); }",
		  "BEGIN { trace((uint64_t)*(void **)0x1000); }");
	error("extern_double_has_no_value", NULL, "extern long double kvar; BEGIN { trace(kvar); }",
	      "t.d:1:40: `kvar is a floating-point variable: D has no floating-point values; read its bytes with a cast (*(uint64_t *)&`kvar)");
	error("extern_2d_array_value", NULL, "extern int kvar[2][3]; BEGIN { trace(kvar[1]); }",
	      "t.d:1:38: `kvar is an array of 2 dimensions: only one-dimensional extern arrays can be used (declare it as kvar[])");
	error("extern_array_constant_index_out_of_bounds", NULL,
	      "extern int kvar[4]; BEGIN { trace(kvar[4]); }",
	      "t.d:1:40: index 4 is out of range for array kvar of 4");
	error("extern_array_of_functions", NULL, "extern int kvar[2](void);",
	      "t.d:1:19: syntax error near \"(\"");
	error("extern_string", NULL, "extern string kvar;",
	      "t.d:1:8: extern kvar: only integer, floating-point, pointer, struct, array and function types");
	error("ksym_hidden", NULL, "BEGIN { trace(&`hidden); }",
	      "t.d:1:16: the address of `hidden is hidden by /proc/kallsyms (run as root)");
	error("ksym_other_module", NULL, "BEGIN { trace(&`mod`kvar); }",
	      "t.d:1:16: kernel symbol `mod`kvar is not defined");
	error("addrof_variable", NULL, "BEGIN { x = 1; trace(&x); }",
	      "t.d:1:22: the address-of operator & applies to kernel symbols (&`sym) and objects in memory (&p[i], &p->m), not to variables");
	/* a translation with an array member (n) is read a member at a time */
	error("xlate_bare_value_with_array_member", types, "BEGIN { trace(xlate<s_t *>(1)); }",
	      "t.d:1:15: a translated value can only be used with -> or . to read one member, or as a pointer to a translation of scalar members");
	error("xlate_no_translator", types, "BEGIN { trace(xlate<s_t *>(\"x\")->v); }",
	      "t.d:1:32: translator does not exist: struct s from \"string\"");
	error("xlate_undefined_member", types, "BEGIN { trace(xlate<s_t *>((uint64_t *)0)->w); }",
	      "t.d:1:42: translator to struct s does not define member w");
	error("xlate_arrow_on_struct", types, "BEGIN { trace(xlate<s_t>(1)->v); }",
	      "t.d:1:28: operator -> cannot be applied to xlate<struct s>");
	error("inline_int_of_a_string_constant", NULL, "inline int i = \"s\"; BEGIN { }",
	      "t.d:1:12: inline i definition uses incompatible types: \"int\" = \"string\"");
	error("inline_string_of_an_int_constant", NULL, "inline string s = 5; BEGIN { }",
	      "t.d:1:15: inline s definition uses incompatible types: \"string\" = \"int\"");
	error("inline_names_itself", NULL, "inline int a = a + 1; BEGIN { }",
	      "t.d:1:16: failed to resolve a: Unknown variable name");
	error("inline_cycle", NULL,
	      "inline int a = b + 1; inline int b = a + 1; BEGIN { trace(a); }",
	      "t.d:1:38: inline a is defined in terms of itself");
	error("inline_named_as_subroutine", NULL, "inline int rand = 7; BEGIN { }",
	      "t.d:1:12: identifier redeclared: rand");
	error("inline_named_as_aggregating_function", NULL, "inline int count = 7; BEGIN { }",
	      "t.d:1:12: identifier redeclared: count");
	error("indexed_inline_without_key", types, "BEGIN { trace(sq); }",
	      "t.d:1:15: inline sq takes a key: use sq[x]");
	error("indexed_inline_two_keys", types, "BEGIN { trace(sq[1, 2]); }",
	      "t.d:1:15: inline sq takes 1 key, not 2");
	error("inline_of_two_keys_with_one", NULL,
	      "inline int f[int x, int y] = x * 10 + y; BEGIN { trace(f[3]); }",
	      "t.d:1:56: inline f takes 2 keys, not 1");
	error("typedef_redeclared", NULL, "typedef int a_t; typedef long a_t; BEGIN { }",
	      "t.d:1:31: typedef a_t redeclared with another type");
	error("enum_needs_constant", NULL, "enum e { A = arg0 }; BEGIN { }",
	      "t.d:1:14: enumerator A must be assigned an integer constant");
	error("offsetof_no_member", types, "BEGIN { trace(offsetof(struct foo, zz)); }",
	      "t.d:1:15: struct foo has no member named zz");
	error("struct_defined_twice", NULL, "struct a { int x; }; struct a { int y; }; BEGIN { }",
	      "t.d:1:29: struct a is already defined");
	error("translator_unknown_member", NULL,
	      "struct a { int x; }; translator struct a < int I > { y = I; }; BEGIN { }",
	      "t.d:1:54: translator member y is not a member of struct a");
	error("library_has_no_clauses", "BEGIN { }", "BEGIN { }",
	      "lib.d:1:1: a D library file may contain only declarations and pragmas");

	/* kernel struct names in the library: looked up only when used */
	p = compile("BEGIN { trace(1); }",
		    "typedef struct k { int pid; } k_t;\n"
		    "translator k_t < struct task_struct *T > { pid = T->pid; };\n"
		    "inline k_t *curk = xlate <k_t *> (curthread);\n",
		    "/nonexistent/btf", f, sizeof(f));
	result(p && !f[0], "library_kernel_types_not_read_unless_used", f);
	kt_prog_free(p);
	p = compile("BEGIN { trace(curk->pid); }",
		    "typedef struct k { int pid; } k_t;\n"
		    "translator k_t < struct task_struct *T > { pid = T->pid; };\n"
		    "inline k_t *curk = xlate <k_t *> (curthread);\n",
		    "/nonexistent/btf", f, sizeof(f));
	result(!p && strstr(f, "kernel types are not available"),
	       "library_kernel_types_read_when_used", f);
	kt_prog_free(p);

	/* named constants: the fault codes (uapi KTRACE_FAULTS), signal.d's signals */
	constant("fault_code_badaddr", NULL, "BEGIN { trace(DTRACEFLT_BADADDR); }",
		 KTRACE_FAULT_BADADDR);
	constant("fault_code_divzero", NULL, "BEGIN { trace(DTRACEFLT_DIVZERO); }", 4);
	constant("fault_code_unknown_is_none", NULL, "BEGIN { trace(DTRACEFLT_UNKNOWN); }", 0);
	error("fault_code_undefined", NULL, "BEGIN { trace(DTRACEFLT_NOPE); }",
	      "t.d:1:15: failed to resolve DTRACEFLT_NOPE: Unknown variable name");
	lib = slurp("user/lib/signal.d");	/* from the repository root */
	constant("signal_sigusr1", lib, "BEGIN { trace(SIGUSR1); }", SIGUSR1);
	constant("signal_sigint", lib, "BEGIN { trace(SIGINT); }", SIGINT);
	constant("signal_sigrtmax", lib, "BEGIN { trace(SIGRTMAX); }", 64);
	free(lib);

	/* struct variables: words of their own; what they cannot hold */
	constant("struct_var_sizeof", types, "struct foo f; BEGIN { trace(sizeof(f)); }", 32);
	/* function pointer members (types/tst.complex): pointers, an array of them too */
	constant("struct_fnptr_member_offset", NULL,
		 "struct fp { int (*f)(int, char *); long (**g[2])(void); char c; }; BEGIN { trace(offsetof(struct fp, c)); }",
		 24);
	constant("struct_fnptr_member_sizeof", NULL,
		 "struct fp { char c; int (*f)(); }; BEGIN { trace(sizeof(struct fp)); }", 16);
	error("struct_fnptr_member_unclosed", NULL, "struct fp { int (*f)(int; }; BEGIN { }",
	      "t.d:1:39: syntax error: unexpected end of input");
	same_code("struct_var_member_dot_is_copy_source", types,
		  "struct foo f; BEGIN { f.a = 1; g = f; trace(g.a); }",
		  "struct foo f; BEGIN { f.a = 1; g = f; trace(g.a); }");
	/* an array element holds one too; an array of integers does not take one */
	same_code("struct_var_in_array_member_read", types,
		  "struct foo f; BEGIN { a[1] = f; trace(a[1].c); }",
		  "struct foo f; BEGIN { a[1] = f; trace(a[1].c); }");
	error("struct_var_into_int_array", types, "struct foo f; BEGIN { a[1] = 2; a[2] = f; }",
	      "t.d:1:38: operands have incompatible types: \"int\" = \"struct foo\"");
	error("struct_var_array_member", types, "struct foo f; BEGIN { trace(f.name); }",
	      "t.d:1:30: member name of a struct variable: only integers, pointers and structs declared in D can be held (use a pointer to alloca() memory)");
	error("struct_var_not_a_value", types, "struct foo f; BEGIN { @[f] = count(); }",
	      "t.d:1:25: \"struct foo\" is not a value: use its members (s.member) or a pointer to it");
	error("struct_var_copy_other_type", types, "struct foo f; union u v; BEGIN { f = v; }",
	      "t.d:1:36: operands have incompatible types: \"struct foo\" = \"union u\"");
	error("struct_contains_itself", NULL, "struct r { struct r x; int y; }; struct r v; BEGIN { }",
	      "t.d:1:21: struct r is incomplete: it contains itself");

	/* DTrace's scoped type names, typeless self/this declarations, identity casts */
	constant("struct_D_scope_is_declared_in_D", types,
		 "BEGIN { trace(offsetof(struct D`foo, c)); }", 8);
	same_code("struct_vmlinux_scope_is_kernel", NULL,
		  "BEGIN { trace((struct vmlinux`task_struct *)arg0); }",
		  "BEGIN { trace((struct task_struct *)arg0); }");
	error("translator_checked_at_declaration", NULL,
	      "struct in { int i; }; struct out { int o; };\n"
	      "translator struct out < struct in *I > { o = I->nope; };\nBEGIN { }",
	      "t.d:2:47: struct in has no member named nope");
	error("translator_pointer_member_given_integer", NULL,
	      "struct in { char c; }; struct out { char *p; };\n"
	      "translator struct out < struct in *I > { p = I->c; };\nBEGIN { }",
	      "t.d:2:42: translator member p of type \"char *\" is given \"char\"");
	same_code("translator_pointer_member_given_null", NULL,
		  "struct in { char c; }; struct out { char *p; };\n"
		  "translator struct out < struct in *I > { p = 0; };\nBEGIN { trace(1); }",
		  "BEGIN { trace(1); }");
	/* bit-fields of D structs: C's (GCC's) layout */
	constant("bitfield_struct_sizeof_as_gcc", NULL,
		 "struct b { int a : 3; int b : 7; int c : 14; long d : 35; int e : 22; int f : 32; };"
		 " BEGIN { trace(sizeof(struct b)); }", 16);
	constant("bitfield_crossing_its_unit_moves", NULL,
		 "struct b { char a : 2; short b : 12; long c : 32; }; BEGIN { trace(sizeof(struct b)); }",
		 8);
	error("bitfield_of_a_pointer", NULL, "struct b { char *p : 3; }; BEGIN { }",
	      "t.d:1:22: bit-field p must be an integer type of 1 to its size in bits");
	error("bitfield_wider_than_its_type", NULL, "struct b { char c : 9; }; BEGIN { }",
	      "t.d:1:21: bit-field c must be an integer type of 1 to its size in bits");
	error("bitfield_has_no_offset", NULL,
	      "struct b { int a : 3; }; BEGIN { trace(offsetof(struct b, a)); }",
	      "t.d:1:40: offsetof( ) cannot be applied to bit-field a");
	same_code("addrof_element_is_pointer_plus_index", NULL,
		  "BEGIN { this->p = (int *)alloca(8); trace(&this->p[1]); trace(&*this->p); }",
		  "BEGIN { this->p = (int *)alloca(8); trace(this->p + 1); trace(this->p); }");
	constant("getmajor_of_dev_t", NULL, "BEGIN { trace(getmajor(0x801234)); }", 8);
	constant("getminor_of_dev_t", NULL, "BEGIN { trace(getminor(0x801234)); }", 0x1234);
	same_code("getminor_of_a_variable", NULL, "BEGIN { trace(getminor(arg0)); }",
		  "BEGIN { trace((uint32_t)((uint64_t)arg0 & 0xfffff)); }");
	error("storage_class_register", NULL, "register x; BEGIN { }",
	      "t.d:1:1: invalid storage class: register");
	error("ustack_negative_strsize", NULL, "BEGIN { ustack(1, -1); }",
	      "t.d:1:19: ustack( ) string size (argument #2) must be a non-negative constant");
	error("scoped_name_defines_nothing", NULL, "enum foo`bar { A }; BEGIN { }",
	      "t.d:1:14: syntax error near \"{\"");
	same_code("this_without_type_is_int", NULL, "this x; BEGIN { this->x = arg0; trace(this->x); }",
		  "this int x; BEGIN { this->x = arg0; trace(this->x); }");
	same_code("struct_cast_to_its_own_type", types,
		  "struct foo f; BEGIN { trace(((struct foo)f).c); }",
		  "struct foo f; BEGIN { trace(f.c); }");

	lv_tests();
	printf("1..%d\n", ntest);
	return nfail ? 1 : 0;
}
