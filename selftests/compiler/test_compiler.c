// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the D compiler, KTAP output.
 *
 *  - every positive case compiles without errors AND its object, with
 *    one enabling per clause, passes the shared object parser and
 *    verifier (module/prog.c, verify.c: ktrace_prog_load());
 *  - negative cases produce exactly the expected first diagnostic line
 *    (FILE:LINE:COL: error: message) and DTrace-style tag; a dozen also
 *    check the source line and caret word for word;
 *  - properties of the output: actions, display types, aggregation
 *    descriptors, probe descriptions, options, tracepoint fields...;
 *  - selftests/corpus/err.*.d: the diagnostics printed for each equal
 *    its .err file;
 *  - robustness: mutated and random inputs never crash;
 *  - speed: a 200-line script compiles in well under 50 ms.
 *
 * Run from the repository root (the Makefile's `run` target does).
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "kt_user.h"
#include "cli.h"
#include "vm.h"
#include "slurp.h"

static int ntest, nfail;

static void result(bool ok, const char *name, const char *why)
{
	ntest++;
	if (!ok)
		nfail++;
	printf("%s %d %s\n", ok ? "ok" : "not ok", ntest, name);
	if (!ok && why && *why) {
		const char *p = why;

		while (*p) {
			const char *e = strchr(p, '\n');
			int n = e ? (int)(e - p) : (int)strlen(p);

			printf("# %.*s\n", n, p);
			p += n + (e ? 1 : 0);
		}
	}
}

static char *diags_text(const struct kt_diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char *r;

	kt_diags_print(d, f);
	fclose(f);
	r = strdup(buf ? buf : "");
	free(buf);
	return r;
}

static struct kt_compile_opts base_opts(void)
{
	struct kt_compile_opts o = { .filename = "t.d", .strsize = 256 };

	return o;
}

static struct kt_prog *compile_o(const char *src, const struct kt_compile_opts *o,
				 struct kt_diags *d)
{
	const char *name = "t.d";

	memset(d, 0, sizeof(*d));
	return kt_compile(&src, &name, 1, o, d);
}

/* Serialise with one enabling per clause and run the kernel's loader + verifier. */
static int verify_prog(const struct kt_prog *p, char *log, size_t logsz)
{
	struct ktrace_enabling *en = calloc(p->nclauses + 1, sizeof(*en));
	struct ktrace_vlog vlog = { .buf = log, .size = (u32)logsz };
	struct ktrace_opts kopts = { 0 };
	struct ktrace_prog *kp = NULL;
	void *obj = NULL;
	uint32_t size;
	int rc;

	log[0] = '\0';
	for (uint32_t i = 0; i < p->nclauses; i++) {
		en[i].probe = 1;
		en[i].clause = i;
	}
	kopts.flags = p->destructive ? KTRACE_OPT_F_DESTRUCTIVE : 0;
	rc = kt_prog_serialize(p, en, p->nclauses, &obj, &size);
	if (!rc)
		rc = ktrace_prog_load(obj, size, &kopts, &vlog, &kp);
	if (kp)
		ktrace_prog_free(kp);
	free(obj);
	free(en);
	return rc;
}

/* ----- positive cases ----- */
static const char *const good[] = {
	/* a char of a char array member of a struct in alloca( ) memory is stored (print( )'s tests) */
	"struct s { int a; char b[5]; struct { char n[3]; } in; }; BEGIN { t = (struct s *)alloca(sizeof (struct s)); t->b[0] = 't'; i = 4; t->b[i] = 0; t->in.n[2] = 'x'; print(t); }",
	/* declared arrays: N-1 and a computed index, compound ops, the array's address */
	"int a[5]; char c[65536]; long l[8192]; int *ps[2]; BEGIN { a[4] = 1; i = 2; a[i] += 3; a[i]++; --a[0]; c[65535] = 1; l[8191] = a[i]; ps[1] = (int *)curthread; p = a; q = &a[i]; trace(p[1] + a[i] + ps[1][0] + *q + (&a[4] - &a[0])); }",
	/* uregs[R]: every register from 0 to the last (25), read and traced */
	"BEGIN { trace(uregs[0]); x = uregs[25]; @[uregs[16]] = count(); trace(uregs[19] + x); }",
	/* struct and union variables declared in D as keys, by their bytes */
	"struct r { int a; char c; }; struct r x; union u { int i; long l; } v; BEGIN { y[x, 1] = 1; self->t[v] = 2; trace(y[x, 1] + self->t[v]); }",
	/* arg0 stays readable in BEGIN; args[ ] where a probe of the clause has some */
	"BEGIN { trace(arg0); } BEGIN, tick-1s { trace(args[0]); }",
	/* arithmetic on typed pointers, and on void * cast to an integer */
	"void *p; BEGIN { trace((char *)p + 1); trace((uintptr_t)p + 1); trace((int *)arg0 - 1); }",
	/* the constant 0 (NULL) resets a pointer variable */
	"BEGIN { x = curthread; x = 0; x = NULL; self->p = curthread; self->p = 0; }",
	"BEGIN { printf(\"hello %d\\n\", 42); exit(0); }",
	/* D 1.0 programs may name variables as D 1.1's functions */
	"#pragma D option version=1.0\nint strstr; int index[int]; BEGIN { strstr = 1; index[1] = strstr; }",
	/* associative arrays of structs: stored, members read and written, deleted by 0 */
	"struct s { int a; long b; char c; }; this struct s v; BEGIN { this->v.a = 1; a[1, \"k\"] = this->v; a[1, \"k\"].b += 2; self->t[3] = a[1, \"k\"]; trace(self->t[3].b); this->w = self->t[3]; a[1, \"k\"] = 0; self->t[3] = 0; trace(this->w.a); }",
	/* 0 stored to a thread-local struct or union deletes it */
	"struct s { int a; long b; }; union u { int i; }; this struct s v; this union u w; BEGIN { this->v.a = 1; self->x = this->v; self->x = 0; this->w.i = 2; self->y = this->w; self->y = 0; }",
	/* the comma operator: statements, values, for( ) clauses, predicates */
	"BEGIN /(n = 1, n)/ { x = 1, y = 2; z = (x++, y * 3); for (i = 0, j = 9; i < j; i++, j--) z += i; s = (1, \"str\"); trace(z); trace(s); }",
	"syscall:::entry { @[execname] = count(); }",
	"syscall::read:entry /pid == $target/ { @bytes[execname] = sum(arg2); }",
	"syscall::read:entry { self->ts = timestamp; } syscall::read:return /self->ts/ { @lat = quantize(timestamp - self->ts); self->ts = 0; }",
	"BEGIN { x = 1; y = x + 2 * 3 - (4 / 2) % 3; trace(y); }",
	/* the body is checked before the predicate (DTrace's order): n, s declared there */
	"tick-1s /n < 5/ { printf(\"%d\\n\", n++); }",
	"BEGIN /s == \"x\"/ { s = \"y\"; }",
	/* ... unless the predicate defines a global the body reads */
	"BEGIN /x++ == 0/ { exit(x - 1); }",
	/* strings and char pointers as DTrace converts them */
	"BEGIN { this->s = alloca(10); bcopy(probename, this->s, 5); printf(\"%s\", (string)this->s); }",
	"char *c; BEGIN { c = probeprov; trace(c[0]); }",
	"BEGIN { trace(strlen(0)); trace(substr(NULL, 1)); }",
	/* a string variable takes NULL: no string at all (s = NULL; s == NULL) */
	"string s; BEGIN { s = \"a\"; s = NULL; this->t = \"b\"; this->t = 0; self->u = \"c\"; self->u = NULL; }",
	"BEGIN { s = strchr(\"abc\", 'z'); t = s; trace(s == NULL && s == t && t <= \"\"); }",
	/* a kernel char * where a string is taken: the string at that address */
	"fbt::vfs_open:entry { trace(strjoin((char *)arg0, \"x\")); trace(substr((char *)arg1, 1)); trace(strchr((char *)arg0, 'a')); trace(index((char *)arg0, (char *)arg1)); trace(basename((char *)arg0)); }",
	/* a #pragma line inside a clause, as DTrace allows */
	"BEGIN {\n#pragma D option quiet\n\ttrace(1);\n}\n",
	"BEGIN { s = \"abc\"; t = strjoin(s, \"def\"); trace(strlen(t)); }",
	"BEGIN { a[1, \"x\"] = 5; a[2, \"y\"] += 3; trace(a[1, \"x\"]); }",
	"BEGIN { self->a[pid] = 1; self->a[pid]++; trace(self->a[pid]); }",
	"BEGIN { this->x = 10; this->s = execname; printf(\"%d %s\\n\", this->x, this->s); }",
	"tick-1s { printa(@x); } BEGIN { @x[probefunc] = count(); }",
	"BEGIN { @c = count(); @s = sum(1); @a = avg(2); @mi = min(3); @ma = max(4); @sd = stddev(5); }",
	"BEGIN { @q = quantize(arg0); @l = lquantize(arg0, 0, 100, 10); @ll = llquantize(arg0, 10, 0, 6, 20); }",
	"BEGIN { @l = lquantize(arg0, -10, 10); @q[1] = quantize(arg1, 3); }",
	/* a range that is not a whole number of steps: (20 - 1) / 5 = 3 levels, as DTrace */
	"BEGIN { @l = lquantize(arg0, 1, 20, 5); }",
	"profile-997 /cpu == 0/ { @[stack()] = count(); }",
	"profile-997 /arg1/ { @[ustack(5)] = count(); @u[usym(arg1)] = count(); @m[umod(arg1)] = count(); }",
	"fbt::vfs_read:entry { @[sym(caller), mod(caller), func(caller)] = count(); }",
	"BEGIN { trace(pid); trace(tid); trace(ppid); trace(uid); trace(gid); trace(execname); }",
	"BEGIN { trace(timestamp); trace(vtimestamp); trace(walltimestamp); trace(cpu); trace(id); trace(epid); }",
	"BEGIN { trace(probeprov); trace(probemod); trace(probefunc); trace(probename); trace(errno); }",
	"BEGIN { trace(curthread); trace(caller); trace(ucaller); trace(stackdepth); trace(ustackdepth); }",
	"BEGIN { trace(arg0 + arg1 + arg2 + arg3 + arg4 + arg5 + arg6 + arg7 + arg8 + arg9); }",
	"tick-1s { trace(args[0]); trace(args[arg1 & 7]); }",
	"BEGIN { x = 5; x += 1; x -= 2; x *= 3; x /= 2; x %= 7; x &= 0xff; x |= 0x100; x ^= 3; x <<= 2; x >>= 1; trace(x); }",
	"BEGIN { x = 0; x++; ++x; x--; --x; trace(x++ + ++x); }",
	"BEGIN { trace(1 < 2 ? \"yes\" : \"no\"); trace(arg0 > 3 ? arg0 : 3); }",
	"BEGIN { trace(execname == \"bash\"); trace(execname < \"m\"); trace(\"a\" != probefunc); }",
	"BEGIN { trace(!arg0); trace(~arg0); trace(-arg0); trace(arg0 && arg1); trace(arg0 || arg1); trace(arg0 ^^ arg1); }",
	"BEGIN { trace((char)arg0); trace((unsigned char)arg0); trace((short)arg0); trace((uint16_t)arg0); trace((int)arg0); trace((unsigned)arg0); trace((int64_t)arg0); }",
	"BEGIN { trace(sizeof(int)); trace(sizeof(long long)); trace(sizeof(char *)); trace(sizeof (arg0)); }",
	"BEGIN { p = (int *)arg0; trace(*p); trace(p[2]); q = (char **)arg1; trace(*q); }",
	"BEGIN { trace(*(uint8_t *)arg0); trace(*(int64_t *)(arg0 + 8)); }",
	"BEGIN { trace(stringof(arg0)); trace(copyinstr(arg0)); trace(copyinstr(arg0, 32)); }",
	"BEGIN { p = (int *)copyin(arg0, 16); trace(*p); trace(p[3]); }",
	"BEGIN { trace(substr(\"hello\", 1)); trace(substr(\"hello\", 1, 2)); trace(index(\"abc\", \"b\")); trace(rindex(\"abcb\", \"b\", 2)); }",
	"BEGIN { trace(strchr(\"abc\", 'b')); trace(strrchr(\"abc\", 'b')); trace(strstr(\"abc\", \"bc\")); trace(strtok(\"a,b\", \",\")); trace(strtok(NULL, \",\")); }",
	"BEGIN { trace(tolower(\"ABC\")); trace(toupper(\"abc\")); trace(lltostr(123)); trace(lltostr(255, 16)); }",
	"BEGIN { trace(basename(\"/a/b\")); trace(dirname(\"/a/b\")); trace(cleanpath(\"/a/../b\")); }",
	"BEGIN { trace(htons(1)); trace(htonl(1)); trace(htonll(1)); trace(ntohs(1)); trace(ntohl(1)); trace(ntohll(1)); trace(inet_ntoa(arg0)); }",
	"BEGIN { trace(rand()); trace(strtoll(\"12\")); trace(strtoll(\"ff\", 16)); trace(progenyof(1)); }",
	"BEGIN { copyinto(arg0, 8, alloca(8)); }",
	"BEGIN { this->p = (int *)alloca(8); this->p[0] = 7; *this->p += 2; this->p[1]++; --*this->p; trace(this->p[1]); }",
	"BEGIN { p = (uint8_t *)alloca(4); *(p + 3) = 255; q = (char **)alloca(8); *q = (char *)p; trace(p[3]); }",
	"BEGIN { this->a = (uint32_t *)alloca(4); copyinto(arg0, 4, this->a); *this->a = 0x0100007f; trace(inet_ntoa(this->a)); }",
	"uint8_t ib[20]; BEGIN { this->e = (uint64_t *)alloca(8); t = 1; trace(link_ntop(1, this->e)); trace(link_ntop(32, ib)); trace(link_ntop(t, arg0)); }",
	"BEGIN { @a[\"x\"] = count(); @b[\"x\"] = sum(1); printa(\"%s %@d %@d\\n\", @a, @b); }",
	"END { printa(\"%d %s %@d %@d %@d\\n\", @a, @b, @c); } BEGIN { @a[1, \"x\"] = count(); @b[2, \"y\"] = max(3); @c[3, \"z\"] = min(4); }",
	"BEGIN { printf(\"%d %i %u %o %x %X %c %s %p\\n\", 1, 2, 3, 4, 5, 6, 'c', \"s\", arg0); }",
	"BEGIN { printf(\"%-10s|%+5d|%05.2d|%#x|% d|%*d|%.*s\\n\", \"a\", 1, 2, 3, 4, 5, 6, 3, \"abc\"); }",
	"BEGIN { printf(\"%hd %hhd %ld %lld %lu %llx %%\\n\", 1, 2, 3, 4, 5, 6); }",
	"BEGIN { printf(\"%e %f %g %E %G\\n\", 1, 2, 3, 4, 5); printf(\"%a %A %k %Y\\n\", caller, ucaller, stack(), walltimestamp); }",
	"BEGIN { @a[execname, pid] = sum(arg0); } END { printa(\"%-16s %6d %@10d\\n\", @a); printa(@a); }",
	"BEGIN { @a[1] = count(); @b[1] = sum(2); printa(\"%?d %8@d %-4@d\\n\", @a, @b); printf(\"%?d %.0s\\n\", 1, \"x\"); }",
	"BEGIN { @[10, 100] = sum(1); @c[5, 2, 7] = count(); printa(\"-->%-*d<--%@d\\n\", @); printa(\"%*.*d\\n\", @c); }",
	/* printa/tst.walltimestamp.sh: an aggregation of nanoseconds printed as dates */
	"BEGIN { @a = min(walltimestamp); printa(\"%@T|%@Y\\n\", @a); printf(\"%T\\n\", walltimestamp); }",
	"BEGIN { @a = quantize(arg0); } END { printa(\"%@d\\n\", @a); clear(@a); trunc(@a); trunc(@a, 10); normalize(@a, 1000); denormalize(@a); }",
	"BEGIN { print(arg0); print(execname); stack(); ustack(); stack(5); ustack(5, 128); }",
	"BEGIN { setopt(\"quiet\"); setopt(\"bufsize\", \"4m\"); }",
	/* speculation/tst.DiscardAftDataRec, tst.ExitAftDiscard: discard( ) orders freely */
	"BEGIN { s = speculation(); printf(\"%d\\n\", s); discard(s); trace(1); exit(0); }",
	"BEGIN { self->spec = speculation(); } syscall::read:entry /self->spec/ { speculate(self->spec); printf(\"%d\\n\", arg2); } syscall::read:return /self->spec/ { commit(self->spec); } END /self->spec/ { discard(self->spec); }",
	"BEGIN { i = 0; while (i < 10) { i++; if (i == 3) continue; if (i == 8) break; } trace(i); }",
	"BEGIN { for (i = 0; i < 5; i++) { for (j = 0; j < i; j++) { t += j; } } trace(t); }",
	"BEGIN { for (;;) { n++; if (n > 5) break; } for (k = 0; k < 3; ) { k++; } }",
	"BEGIN { if (arg0) { trace(1); } else if (arg1) { trace(2); } else { trace(3); } }",
	"BEGIN { if (arg0) trace(1); else trace(2); if (1) trace(3); if (0) trace(4); }",
	"BEGIN {}",
	"BEGIN",
	"BEGIN, END {} tick-1s /1/",
	"syscall::read:entry, syscall::write:entry /arg0 == 1/ { @[probefunc] = count(); }",
	"syscall::*read*:entry, fbt::vfs_*:entry, syscall::[rw]ead:return, syscall::?rite:entry { trace(probefunc); }",
	"pid$target::malloc:entry { @[ustack()] = count(); }",
	"#pragma D option quiet\n#pragma D option bufsize=8m\nBEGIN { trace(1); }",
	"#pragma D option insn_budget=100\n#pragma D option budget=100\nBEGIN { trace(1); }",
	"/* comment */ BEGIN // line comment\n{ /* inner */ trace(1); // end\n}",
	"#!/usr/sbin/ktrace -s\nBEGIN { exit(0); }",
	"int x; string s; self int t; this string u; int a[string, int];\nBEGIN { x = 1; s = \"a\"; self->t = 2; this->u = \"b\"; a[\"k\", 1] = 3; }",
	"uint64_t big; BEGIN { big = 0xffffffffffffffff; trace(big); trace(0x7fffffffffffffffLL); trace(10000000000); }",
	"BEGIN { trace('a'); trace('\\n'); trace('\\0'); trace(\"tab\\there\\x41\\101\"); }",
	"BEGIN { trace(\"a\" \"b\"); }",
	"BEGIN { x = arg0 > 0 && arg1 > 0 || arg2 > 0; trace(x); trace(1 << 3 | 2 & 1 ^ 4); }",
	"BEGIN { trace(((((((((((((arg0)))))))))))) ); }",
	"BEGIN { x = (arg0 + 1) * (arg1 + 2) * (arg2 + 3) * (arg3 + 4) * (arg4 + 5) * (arg5 + 6); trace(x); }",
	"BEGIN { printf(\"%s %d %s %d %s %d %s %d %s %d %s %d\\n\", strjoin(\"a\",\"b\"), 1, strjoin(\"c\",\"d\"), 2, strjoin(\"e\",\"f\"), 3, execname, 4, probefunc, 5, probename, 6); }",
	"BEGIN { a[strjoin(\"a\", \"b\"), strlen(\"x\")] = 1; trace(a[strjoin(\"a\", \"b\"), strlen(\"x\")]); }",
	"BEGIN { s[execname] = \"x\"; t = s[execname]; trace(t); self->s2 = strjoin(s[execname], \"y\"); }",
	"BEGIN { @[strjoin(execname, \"x\"), strlen(probefunc)] = sum(strlen(execname)); }",
	"BEGIN { exit(1 + 1); } END { printf(\"bye\\n\"); }",
	"ERROR { printf(\"fault %d at %d\\n\", arg4, arg3); }",
	"BEGIN { trace(stackdepth > 3 ? stackdepth : 0); trace(probefunc == \"read\" ? 1 : 2); }",
	"BEGIN { x = 1; x = 0; self->y = 1; self->y = 0; a[1] = 2; a[1] = 0; }",
	"BEGIN { t = timestamp; } END { @d = quantize((timestamp - t) / 1000); }",
	"BEGIN { u = (unsigned)arg0; trace(u / 3); trace(u % 3); trace(u >> 1); trace(u < 5); i = (int)arg0; trace(i / 3); trace(i >> 1); trace(i < -5); }",
};

static void test_good(void)
{
	char log[4096], name[64];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct kt_compile_opts o = base_opts();
		struct kt_diags d;
		struct kt_prog *p;
		char *why = NULL;
		bool ok;

		o.target_pid = 1234;
		p = compile_o(good[i], &o, &d);
		snprintf(name, sizeof(name), "compiles_and_verifies_%02zu", i);
		if (!p) {
			why = diags_text(&d);
			ok = false;
		} else {
			int rc = verify_prog(p, log, sizeof(log));

			ok = rc == 0;
			if (!ok) {
				why = malloc(8192);
				snprintf(why, 8192, "program: %s\nverifier %d: %s", good[i], rc, log);
			}
		}
		result(ok, name, why);
		free(why);
		kt_prog_free(p);
		kt_diags_free(&d);
	}
}

/* ----- negative cases: exact first diagnostic line and tag ----- */
struct bad {
	const char	*src;
	const char	*line;	/* first diagnostic, as printed */
	const char	*tag;
};

static const struct bad bad[] = {
	/* a global variable named as a built-in function (of the program's D version) */
	{ "int strstr; BEGIN { }",
	  "t.d:1:5: error: identifier redeclared: strstr (a built-in function)", "D_DECL_IDRED" },
	{ "#pragma D option version=1.1\nint index; BEGIN { }",
	  "t.d:2:5: error: identifier redeclared: index (a built-in function)", "D_DECL_IDRED" },
	{ "#pragma D option version=1.0\nlong count[int]; BEGIN { }",
	  "t.d:2:6: error: identifier redeclared: count (a built-in function)", "D_DECL_IDRED" },
	/* a struct variable takes 0 only where it is deleted: thread-local */
	{ "struct s { int a; }; this struct s v; BEGIN { this->v.a = 1; self->x = this->v; self->x = 1; }",
	  "t.d:1:89: error: operands have incompatible types: \"struct s\" = \"int\"", "D_OP_INCOMPAT" },
	{ "struct s { int a; }; struct s g; BEGIN { g = 0; }",
	  "t.d:1:44: error: operands have incompatible types: \"struct s\" = \"int\"", "D_OP_INCOMPAT" },
	{ "BEGIN { trace(strlen(1)); }",
	  "t.d:1:22: error: strlen( ) argument #1 is incompatible with prototype:", "D_PROTO_ARG" },
	{ "BEGIN { trace(link_ntop(\"1\", arg0)); }",
	  "t.d:1:25: error: link_ntop( ) argument #1 is incompatible with prototype:", "D_PROTO_ARG" },
	{ "BEGIN { trace(link_ntop(1, \"ab\")); }",
	  "t.d:1:28: error: link_ntop( ) argument #2 is incompatible with prototype:", "D_PROTO_ARG" },
	{ "BEGIN { trace(link_ntop(1)); }",
	  "t.d:1:15: error: link_ntop( ) prototype mismatch: 1 arg passed, 2 expected", "D_PROTO_LEN" },
	/* NULL, not just any integer, for a string */
	{ "string s; BEGIN { s = 1; }",
	  "t.d:1:21: error: operands have incompatible types: \"string\" = \"int\"", "D_OP_INCOMPAT" },
	{ "BEGIN { trace(strlen((int *)0)); }",
	  "t.d:1:22: error: strlen( ) argument #1 is incompatible with prototype:", "D_PROTO_ARG" },
	{ "int *p; BEGIN { p = probeprov; }",
	  "t.d:1:19: error: operands have incompatible types: \"int *\" = \"string\"", "D_OP_INCOMPAT" },
	{ "BEGIN { }\n#pragma D option quiet",
	  "t.d:2:1: error: end of file encountered in #pragma: end the line with a newline", "D_PRAGMA_MALFORM" },
	/* the predicate is checked after the body: the body's type wins */
	{ "BEGIN /s == 1/ { s = \"y\"; }",
	  "t.d:1:10: error: operands have incompatible types: \"string\" == \"int\"", "D_OP_INCOMPAT" },
	{ "BEGIN { printf(\"%d\\n\", \"x\"); }",
	  "t.d:1:24: error: printf( ) argument #2 is incompatible with conversion #1 prototype:", "D_PRINTF_ARG_PROTO" },
	{ "BEGIN { printf(\"%d %d\\n\", 1); }",
	  "t.d:1:9: error: printf( ) prototype mismatch: conversion #2 (%d) is missing a corresponding value argument", "D_PRINTF_ARG_PROTO" },
	{ "BEGIN { printf(\"%d\\n\", 1, 2); }",
	  "t.d:1:27: error: printf( ) prototype mismatch: only 1 argument required by this format string", "D_PRINTF_ARG_EXTRA" },
	{ "BEGIN { printf(\"%z\\n\", 1); }",
	  "t.d:1:9: error: printf( ) format conversion #1 is undefined: %z", "D_PRINTF_FMT" },
	{ "BEGIN { printf(\"\"); }",
	  "t.d:1:16: error: printf( ) format string is empty", "D_PRINTF_FMT_EMPTY" },
	{ "BEGIN { @[\"a\", 1] = sum(1); printa(\"%*d\\n\", @); }",
	  "t.d:1:29: error: printa( ) key #1 is incompatible with conversion #1 prototype:", "D_PRINTF_DYN_TYPE" },
	{ "BEGIN { @[1] = sum(1); printa(\"%*d\\n\", @); }",
	  "t.d:1:24: error: printa( ) prototype mismatch: conversion #1 (%*d) is missing a corresponding value argument", "D_PRINTF_ARG_PROTO" },
	{ "BEGIN { printf(arg0); }",
	  "t.d:1:16: error: printf( ) argument #1 is incompatible with prototype:", "D_PRINTF_ARG_FMT" },
	/* tracemem(addr, size [, dynsize]), as DTrace's tracemem/err.* cases */
	{ "BEGIN { tracemem(arg0); }",
	  "t.d:1:9: error: tracemem( ) prototype mismatch: 1 arg passed, at least 2 expected", "D_PROTO_LEN" },
	{ "struct s { int a; } v; BEGIN { tracemem(v, 8); }",
	  "t.d:1:41: error: tracemem( ) argument #1 is incompatible with prototype:", "D_TRACEMEM_ADDR" },
	{ "BEGIN { tracemem(arg0, \"8\"); }",
	  "t.d:1:24: error: tracemem( ) argument #2 is incompatible with prototype:", "D_PROTO_ARG" },
	{ "BEGIN { tracemem(arg0, arg1); }",
	  "t.d:1:24: error: tracemem( ) argument #2 must be a non-zero positive integral constant expression", "D_TRACEMEM_SIZE" },
	{ "BEGIN { tracemem(arg0, -1); }",
	  "t.d:1:24: error: tracemem( ) argument #2 must be a non-zero positive integral constant expression", "D_TRACEMEM_SIZE" },
	{ "BEGIN { tracemem(arg0, 8, \"x\"); }",
	  "t.d:1:27: error: tracemem( ) argument #3 is incompatible with prototype:", "D_PROTO_ARG" },
	/* trace() of a struct variable: at most 16 words (128 bytes; 129 is too many) */
	{ "struct s { char c[129]; } v; BEGIN { trace(v); }",
	  "t.d:1:44: error: trace( ) of a struct variable records at most 16 words (128 bytes): trace the copy in alloca( ) memory (*p) of a larger one", "D_PROTO_ARG" },
	/* a char array member's char is stored by plain assignment only: a compound one, as any string's, is an error */
	{ "struct s { char b[5]; }; BEGIN { t = (struct s *)alloca(8); t->b[0] += 1; }",
	  "t.d:1:69: error: operator += requires a modifiable lvalue: the characters of a string cannot be assigned", "D_OP_LVAL" },
	/* print() of a struct variable: its words, as trace()'s, at most 16 */
	{ "struct s { char c[129]; } v; BEGIN { print(v); }",
	  "t.d:1:44: error: print( ) of a struct variable records at most 16 words (128 bytes): print the copy in alloca( ) memory (*p) of a larger one", "D_PROTO_ARG" },
	{ "BEGIN { printf(\"%s\\n\", 1); }",
	  "t.d:1:24: error: printf( ) argument #2 is incompatible with conversion #1 prototype:", "D_PRINTF_ARG_PROTO" },
	{ "BEGIN { @a = count(); } END { @a = sum(1); }",
	  "t.d:1:31: error: aggregation redefined: @a", "D_AGG_REDEF" },
	{ "BEGIN { @a = lquantize(arg0, 0, 10, 1); @a = lquantize(arg0, 0, 20, 1); }",
	  "t.d:1:41: error: aggregation redefined: @a", "D_AGG_REDEF" },
	{ "BEGIN { @a[1] = count(); @a[1, 2] = count(); }",
	  "t.d:1:26: error: @a[ ] prototype mismatch: 2 keys passed, 1 expected", "D_PROTO_LEN" },
	{ "BEGIN { @a[1] = count(); @a[\"x\"] = count(); }",
	  "t.d:1:29: error: @a[ ] key #1 is incompatible with prototype:", "D_PROTO_ARG" },
	{ "BEGIN { a[1] = 1; a[\"x\"] = 2; }",
	  "t.d:1:21: error: a[ ] key #1 is incompatible with prototype:", "D_PROTO_ARG" },
	{ "BEGIN { a[1] = 1; trace(a[1, 2]); }",
	  "t.d:1:25: error: a[ ] prototype mismatch: 2 keys passed, 1 expected", "D_PROTO_LEN" },
	{ "BEGIN { trace(y); }",
	  "t.d:1:15: error: failed to resolve y: Unknown variable name", "D_IDENT_UNDEF" },
	{ "BEGIN { foo(1); }",
	  "t.d:1:9: error: failed to resolve foo: Unknown function name", "D_IDENT_UNDEF" },
	{ "BEGIN /\"x\"/ { }",
	  "t.d:1:8: error: predicate result must be of scalar type, not \"string\"", "D_PRED_SCALAR" },
	{ "BEGIN { a = 1 / 0; }",
	  "t.d:1:15: error: expression contains division by zero", "D_DIV_ZERO" },
	{ "BEGIN { a = arg0 % (2 - 2); }",
	  "t.d:1:18: error: expression contains division by zero", "D_DIV_ZERO" },
	{ "BEGIN { x = 08; }",
	  "t.d:1:14: error: invalid digit '8' in octal constant", "D_INT_DIGIT" },
	{ "BEGIN { x = 12ab; }",
	  "t.d:1:15: error: invalid digit 'a' in decimal constant", "D_INT_DIGIT" },
	{ "BEGIN { x = 0x1ffffffffffffffff; }",
	  "t.d:1:13: error: integer constant 0x1ffffffffffffffff results in overflow", "D_INT_OFLOW" },
	{ "BEGIN { x = \"abc\n\"; }",
	  "t.d:1:13: error: newline encountered in string literal", "D_STR_NL" },
	{ "BEGIN { x = ''; }",
	  "t.d:1:13: error: empty character constant", "D_CHR_NULL" },
	{ "BEGIN { strlen(\"a\", \"b\"); }",
	  "t.d:1:9: error: strlen( ) prototype mismatch: 2 args passed, 1 expected", "D_PROTO_LEN" },
	{ "BEGIN { substr(\"a\"); }",
	  "t.d:1:9: error: substr( ) prototype mismatch: 1 arg passed, at least 2 expected", "D_PROTO_LEN" },
	{ "BEGIN { trace(strlen(1)); }",
	  "t.d:1:22: error: strlen( ) argument #1 is incompatible with prototype:", "D_PROTO_ARG" },
	{ "BEGIN { system(\"ls\"); }",
	  "t.d:1:9: error: destructive actions not allowed: system( ) requires -w or #pragma D option destructive", "D_ACT_DESTRUCT" },
	{ "BEGIN { raise(9); }",
	  "t.d:1:9: error: destructive actions not allowed: raise( ) requires -w or #pragma D option destructive", "D_ACT_DESTRUCT" },
	{ "BEGIN { printf(\"x\"); speculate(1); }",
	  "t.d:1:22: error: speculate( ) may not follow data-recording actions", "D_ACT_SPEC" },
	{ "BEGIN { speculate(1); @a = count(); }",
	  "t.d:1:23: error: aggregating actions may not follow speculate( )", "D_AGG_SPEC" },
	{ "BEGIN { speculate(1); speculate(2); }",
	  "t.d:1:23: error: speculate( ) may not follow speculate( )", "D_ACT_SPEC" },
	/* a struct key: a D struct or union variable, of one type, within 8 words */
	{ "struct r { int a; }; struct q { int a; }; struct r x; struct q z; BEGIN { y[x] = 3; trace(y[z]); }",
	  "t.d:1:93: error: y[ ] key #1 is incompatible with prototype:", "D_PROTO_ARG" },
	{ "struct r { long a[9]; }; struct r x; BEGIN { y[x] = 3; }",
	  "t.d:1:46: error: y[ ]: keys too large (9 words, at most 8; a struct key takes one per 8 bytes)", "D_ARR_KEYS" },
	{ "struct p { int a; }; struct r { struct p in; }; struct r x; BEGIN { z[x.in] = 2; }",
	  "t.d:1:72: error: z[ ] key #1: a struct key must be a variable of a struct or union declared in D", "D_PROTO_ARG" },
	/* BEGIN and END have no arguments: args[ ] is an error there */
	{ "BEGIN { trace(args[0]); }",
	  "t.d:1:15: error: args[ ] may not be referenced: the probe dtrace:::BEGIN has no arguments", "D_ARGS_IDX" },
	{ "dtrace:::END { trace(args[1]); }",
	  "t.d:1:22: error: args[ ] may not be referenced: the probe dtrace:::END has no arguments", "D_ARGS_IDX" },
	/* void * has no element size: no pointer arithmetic on it */
	{ "void *p; BEGIN { trace(p + 1); }",
	  "t.d:1:26: error: operands have incompatible types: \"void *\" + \"int\"", "D_OP_INCOMPAT" },
	{ "BEGIN { trace(2 + (void *)arg0); }",
	  "t.d:1:17: error: operands have incompatible types: \"int\" + \"void *\"", "D_OP_INCOMPAT" },
	/* a pointer variable takes no integer but the constant 0 */
	{ "BEGIN { x = curthread; x = pid; }",
	  "t.d:1:26: error: operands have incompatible types: \"void *\" = \"int\"", "D_OP_INCOMPAT" },
	{ "BEGIN { self->x = curthread; self->x = pid; }",
	  "t.d:1:38: error: operands have incompatible types: \"void *\" = \"int\"", "D_OP_INCOMPAT" },
	{ "BEGIN { this->x = curthread; this->x = 1; }",
	  "t.d:1:38: error: operands have incompatible types: \"void *\" = \"int\"", "D_OP_INCOMPAT" },
	{ "BEGIN { s = speculation(); commit(s); exit(0); }",
	  "t.d:1:39: error: exit( ) may not follow commit( )", "D_ACT_SPEC" },
	{ "BEGIN { x = 1; x = \"s\"; }",
	  "t.d:1:18: error: operands have incompatible types: \"int\" = \"string\"", "D_OP_INCOMPAT" },
	{ "BEGIN { trace(\"a\" * 2); }",
	  "t.d:1:19: error: operands have incompatible types: \"string\" * \"int\"", "D_OP_INCOMPAT" },
	{ "BEGIN { trace(1 - \"a\"); }",
	  "t.d:1:17: error: operands have incompatible types: \"int\" - \"string\"", "D_OP_INCOMPAT" },
	{ "BEGIN { trace(execname == 1); }",
	  "t.d:1:24: error: operands have incompatible types: \"string\" == \"int\"", "D_OP_INCOMPAT" },
	{ "BEGIN { x = ; }",
	  "t.d:1:13: error: syntax error near \";\"", "D_SYNTAX" },
	{ "BEGIN { trace(1) trace(2); }",
	  "t.d:1:18: error: syntax error near \"trace\"", "D_SYNTAX" },
	{ "BEGIN { trace(1);",
	  "t.d:1:18: error: syntax error: unexpected end of input", "D_SYNTAX" },
	{ "BEGIN { x = count(); }",
	  "t.d:1:13: error: count( ) may only be used as the value of an aggregation: @name[keys] = count(...)", "D_AGG_FUNC" },
	{ "BEGIN { @a = 1; }",
	  "t.d:1:14: error: aggregations may only be assigned the result of an aggregating function", "D_AGG_FUNC" },
	{ "BEGIN { @a = lquantize(arg0, 10, 0, 1); }",
	  "t.d:1:14: error: lquantize( ) lower bound (10) must be less than upper bound (0)", "D_LQUANT_MISMATCH" },
	{ "BEGIN { @a = lquantize(arg0, 0, arg1, 1); }",
	  "t.d:1:33: error: lquantize( ) argument #3 must be an integer constant", "D_AGG_CONST" },
	{ "BEGIN { @a = llquantize(arg0, 1, 0, 6, 20); }",
	  "t.d:1:14: error: llquantize( ) factor (argument #2) must be in 2..65535", "D_LLQUANT_FACTORVAL" },
	{ "BEGIN { @a = quantize(); }",
	  "t.d:1:14: error: quantize( ) prototype mismatch: 0 args passed, at least 1 expected", "D_PROTO_LEN" },
	{ "BEGIN { printa(@nope); }",
	  "t.d:1:16: error: failed to resolve @nope: Unknown aggregation", "D_AGG_UNDEF" },
	{ "BEGIN { trace(@a); }",
	  "t.d:1:15: error: aggregation @a can only be used in printa( ), clear( ), trunc( ), normalize( ), denormalize( )", "D_AGG_REF" },
	{ "BEGIN { break; }",
	  "t.d:1:9: error: break statement not within a loop", "D_LOOP_CTL" },
	{ "BEGIN { trace($1); }",
	  "t.d:1:15: error: macro argument $1 is not defined", "D_MACRO_UNDEF" },
	{ "BEGIN { trace($nosuch); }",
	  "t.d:1:15: error: macro variable $nosuch is not defined", "D_MACRO_UNDEF" },
	{ "syscall::$1:entry { }",
	  "t.d:1:1: error: macro argument $1 is not defined in probe description \"syscall::$1:entry\"", "D_MACRO_UNDEF" },
	{ "a:b:c:d:e { }",
	  "t.d:1:1: error: invalid probe description \"a:b:c:d:e\": too many fields", "D_PDESC_INVAL" },
	{ "#pragma D option nosuchopt\nBEGIN { }",
	  "t.d:1:1: error: failed to set option 'nosuchopt': Invalid option name", "D_PRAGMA_OPTSET" },
	{ "#pragma D option aggpack\nBEGIN { }",
	  "t.d:1:1: error: failed to set option 'aggpack': Option not supported by ktrace", "D_PRAGMA_OPTSET" },
	{ "#pragma D option strsize=1\nBEGIN { }",
	  "t.d:1:1: error: failed to set option 'strsize': Value out of range (1 is not in 2..8192)", "D_PRAGMA_OPTSET" },
	{ "#pragma D option quiet=maybe\nBEGIN { }",
	  "t.d:1:1: error: failed to set option 'quiet': Invalid value for specified option", "D_PRAGMA_OPTSET" },
	{ "BEGIN { pid = 1; }",
	  "t.d:1:13: error: operator = requires a modifiable lvalue: pid is a built-in variable", "D_OP_WRITE" },
	{ "BEGIN { trace(*arg0); }",
	  "t.d:1:15: error: unary * requires an operand of pointer type, not \"int64_t\"", "D_DEREF_NONPTR" },
	{ "BEGIN { trace(args[10]); }",
	  "t.d:1:15: error: index 10 is out of range for args[ ] (0..9)", "D_ARGS_IDX" },
	{ "BEGIN { trace(args->foo); }",
	  "t.d:1:19: error: args->foo: typed arguments are only known for tracepoint:SUBSYS:EVENT probes", "D_ARGS_TYPE" },
	{ "int x; int x;",
	  "t.d:1:12: error: identifier redeclared: x", "D_DECL_IDRED" },
	{ "BEGIN { x = printf(\"a\"); }",
	  "t.d:1:13: error: printf( ) is an action and cannot be used in an expression", "D_ACT_EXPR" },
	{ "BEGIN { trace(`max_pfn); }",
	  "t.d:1:15: error: kernel symbol `max_pfn cannot be resolved here (no kernel symbol table)", "D_SYM_NOKERN" },
	{ "BEGIN { x = stack(); }",
	  "t.d:1:13: error: stack() and ustack() values can only be aggregation keys or traced", "D_STACK_STORE" },
	{ "BEGIN { @a[1] = count(); printa(\"%s %@d\\n\", @a); }",
	  "t.d:1:26: error: printa( ) key #1 is incompatible with conversion #1 prototype:", "D_PRINTF_ARG_PROTO" },
	{ "BEGIN { @a[1] = count(); @b[\"x\"] = count(); printa(\"%d %@d %@d\\n\", @a, @b); }",
	  "t.d:1:72: error: printa( ) argument #3 is incompatible with prototype:", "D_PRINTA_AGGPROTO" },
	{ "BEGIN { @a[1] = count(); printa(\"%d %@d\\n\", @a, 1); }",
	  "t.d:1:49: error: printa( ) argument #3 is incompatible with prototype:", "D_PRINTA_AGGARG" },
	{ "BEGIN { *(int *)arg0 = \"s\"; }",
	  "t.d:1:22: error: operands have incompatible types: \"int\" = \"string\"", "D_OP_INCOMPAT" },
	{ "BEGIN { this->a[1] = 10; }",
	  "t.d:1:9: error: clause-local arrays are not supported: this->a[ ]", "D_ARR_LOCAL" },
	{ "int a[5]; BEGIN { trace(a[5]); }",
	  "t.d:1:27: error: index 5 is out of range for array a of 5", "D_ARR_BOUNDS" },
	{ "int a[5]; BEGIN { a[-1] = 1; }",
	  "t.d:1:21: error: index -1 is out of range for array a of 5", "D_ARR_BOUNDS" },
	{ "int a[5]; BEGIN { a[1, 2] = 1; }",
	  "t.d:1:19: error: a is an array of 5 elements: it takes one subscript, not 2", "D_ARR_BADREF" },
	{ "int a[5]; BEGIN { a[\"x\"] = 1; }",
	  "t.d:1:21: error: the subscript of array a must be an integer", "D_ARR_BADREF" },
	{ "int a[5]; BEGIN { a = 0; }",
	  "t.d:1:21: error: operator = requires a modifiable lvalue: a is an array", "D_OP_LVAL" },
	{ "int a[];",
	  "t.d:1:5: error: array declaration requires array dimension or tuple signature: a", "D_DECL_ARRNULL" },
	{ "int a[0];",
	  "t.d:1:7: error: positive integral constant expression or tuple signature expected as array declaration subscript", "D_DECL_ARRSUB" },
	{ "int a[-7];",
	  "t.d:1:7: error: positive integral constant expression or tuple signature expected as array declaration subscript", "D_DECL_ARRSUB" },
	{ "char a[65537];",
	  "t.d:1:8: error: positive integral constant expression or tuple signature expected as array declaration subscript", "D_DECL_ARRSUB" },
	{ "long a[8193];",
	  "t.d:1:6: error: declared array a of 8193 elements is larger than 65536 bytes", "D_DECL_ARRSUB" },
	{ "string s[2];",
	  "t.d:1:8: error: declared array s: its elements must be integers or pointers", "D_DECL_ARRTYPE" },
	{ "self int a[2];",
	  "t.d:1:10: error: declared arrays are global: self->a[2]", "D_DECL_ARRDIM" },
	{ "int a[2][3];",
	  "t.d:1:9: error: declared arrays have one dimension: a", "D_DECL_ARRDIM" },
	{ "BEGIN { trace(uregs[26]); }",
	  "t.d:1:21: error: uregs[]: index out of bounds (26)", "D_UNKNOWN" },
	{ "BEGIN { trace(uregs[-1]); }",
	  "t.d:1:21: error: uregs[]: index out of bounds (-1)", "D_UNKNOWN" },
	{ "BEGIN { i = 16; trace(uregs[i]); }",
	  "t.d:1:29: error: uregs[ ] argument #1 is incompatible with prototype:", "D_PROTO_ARG" },
	{ "BEGIN { trace(uregs[0, 1]); }",
	  "t.d:1:15: error: uregs[ ] prototype mismatch: 2 args passed, 1 expected", "D_PROTO_LEN" },
	{ "BEGIN { uregs[16] = 1; }",
	  "t.d:1:9: error: uregs[ ] is a read-only built-in variable", "D_OP_WRITE" },
	{ "BEGIN { *(void *)arg0 = 1; }",
	  "t.d:1:9: error: cannot dereference a pointer to void", "D_DEREF_VOID" },
	{ "BEGIN { printf(\"%@d\\n\", 1); }",
	  "t.d:1:9: error: printf( ) format conversion #1 (%@) requires an aggregation (printa)", "D_PRINTF_AGG_CONV" },
	{ "BEGIN { exit(\"x\"); }",
	  "t.d:1:14: error: exit( ) argument #1 is incompatible with prototype:", "D_PROTO_ARG" },
	{ "BEGIN { trace(1, 2); }",
	  "t.d:1:9: error: trace( ) prototype mismatch: 2 args passed, 1 expected", "D_PROTO_LEN" },
	{ "BEGIN { trace(stack(0)); }",
	  "t.d:1:21: error: stack( ) frame count must be a constant in 1..128", "D_STACK_SIZE" },
	{ "BEGIN { x = (string)1; }",
	  "t.d:1:13: error: invalid cast expression: \"int\" to \"string\"", "D_CAST_INVAL" },
	{ "BEGIN { @a = count(); clear(@a, 1); }",
	  "t.d:1:23: error: clear( ) prototype mismatch: 2 args passed, 1 expected", "D_PROTO_LEN" },
	{ "BEGIN { x = 1 ? \"a\" : 2; }",
	  "t.d:1:15: error: operator ?: operands must have compatible types: \"string\" : \"int\"", "D_OP_INCOMPAT" },
	{ "BEGIN { x = &y; }",
	  "t.d:1:13: error: the address-of operator & applies to kernel symbols (&`sym) and objects in memory (&p[i], &p->m), not to variables", "D_ADDROF_VAR" },
	{ "BEGIN { @ = count(); @ = max(1); }",
	  "t.d:1:22: error: aggregation redefined: @", "D_AGG_REDEF" },
	{ "BEGIN { x = 1 $ 2; }",
	  "t.d:1:15: error: invalid macro argument reference: $", "D_MACRO_NAME" },
};

static void test_bad(void)
{
	char name[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kt_compile_opts o = base_opts();
		struct kt_diags d;
		struct kt_prog *p = compile_o(bad[i].src, &o, &d);
		char *txt = diags_text(&d);
		char *nl = strchr(txt, '\n');
		bool ok;
		char why[2048];

		if (nl)
			*nl = '\0';
		ok = !p && d.nerrors > 0 && !strcmp(txt, bad[i].line) && d.n > 0 &&
		     d.v[0].tag && !strcmp(d.v[0].tag, bad[i].tag);
		snprintf(why, sizeof(why), "program: %s\nexpected: %s [%s]\n     got: %s [%s]",
			 bad[i].src, bad[i].line, bad[i].tag, txt,
			 d.n && d.v[0].tag ? d.v[0].tag : "-");
		snprintf(name, sizeof(name), "diagnoses_%02zu_%s", i, bad[i].tag);
		result(ok, name, why);
		free(txt);
		kt_prog_free(p);
		kt_diags_free(&d);
	}
}

/* Whole diagnostics, word for word (message, source line, caret). */
static const struct {
	const char *name, *src, *out;
} exact[] = {
	{ "caret_under_printf_arg", "BEGIN {\n\tprintf(\"%d\\n\", execname);\n}\n",
	  "t.d:2:17: error: printf( ) argument #2 is incompatible with conversion #1 prototype:\n"
	  "\tconversion: %d\n\t prototype: char, short, int, long, or long long\n\t  argument: string\n"
	  "\tprintf(\"%d\\n\", execname);\n\t               ^\n" },
	{ "caret_undefined_var", "BEGIN { trace(nosuch + 1); }",
	  "t.d:1:15: error: failed to resolve nosuch: Unknown variable name\n"
	  "BEGIN { trace(nosuch + 1); }\n              ^\n" },
	{ "two_errors_reported", "BEGIN { x = ; }\nEND { y = 1 +; }\n",
	  "t.d:1:13: error: syntax error near \";\"\nBEGIN { x = ; }\n            ^\n"
	  "t.d:2:14: error: syntax error near \";\"\nEND { y = 1 +; }\n             ^\n" },
	{ "three_type_errors", "BEGIN { trace(a); trace(b); trace(c); }",
	  "t.d:1:15: error: failed to resolve a: Unknown variable name\nBEGIN { trace(a); trace(b); trace(c); }\n              ^\n"
	  "t.d:1:25: error: failed to resolve b: Unknown variable name\nBEGIN { trace(a); trace(b); trace(c); }\n                        ^\n"
	  "t.d:1:35: error: failed to resolve c: Unknown variable name\nBEGIN { trace(a); trace(b); trace(c); }\n                                  ^\n" },
	{ "caret_div_zero_line3", "BEGIN\n{\n  x = 10 / 0;\n}",
	  "t.d:3:10: error: expression contains division by zero\n  x = 10 / 0;\n         ^\n" },
	{ "caret_string_newline", "BEGIN { s = \"ab\n\"; }",
	  "t.d:1:13: error: newline encountered in string literal\nBEGIN { s = \"ab\n            ^\n" },
	{ "caret_destructive", "BEGIN { stop(); }",
	  "t.d:1:9: error: destructive actions not allowed: stop( ) requires -w or #pragma D option destructive\n"
	  "BEGIN { stop(); }\n        ^\n" },
	{ "caret_agg_redef", "BEGIN { @x = count(); }\nEND { @x = avg(1); }",
	  "t.d:2:7: error: aggregation redefined: @x\n\t current: avg( )\n\tprevious: count( ) at t.d:1:9\n"
	  "END { @x = avg(1); }\n      ^\n" },
	{ "caret_pred_scalar", "syscall::read:entry /probefunc/ { }",
	  "t.d:1:22: error: predicate result must be of scalar type, not \"string\"\n"
	  "syscall::read:entry /probefunc/ { }\n                     ^\n" },
	{ "caret_bad_digit", "BEGIN { x = 0x; }",
	  "t.d:1:13: error: invalid hexadecimal constant: no digits after 0x\nBEGIN { x = 0x; }\n            ^\n" },
	{ "caret_proto_len", "BEGIN { trace(substr(\"a\", 1, 2, 3)); }",
	  "t.d:1:15: error: substr( ) prototype mismatch: 4 args passed, at most 3 expected\n"
	  "BEGIN { trace(substr(\"a\", 1, 2, 3)); }\n              ^\n" },
	{ "caret_key_proto", "BEGIN { a[\"x\"] = 1; }\nEND { trace(a[1]); }",
	  "t.d:2:15: error: a[ ] key #1 is incompatible with prototype:\n\tprototype: string\n\t      key: int\n"
	  "END { trace(a[1]); }\n              ^\n" },
	{ "translator_member_twice_warns",
	  "struct s { int a; };\ntranslator struct s < int x > { a = x; a = 2; };\nBEGIN { trace(q); }",
	  "t.d:2:40: warning: translator member a is defined twice: its first definition is used\n"
	  "translator struct s < int x > { a = x; a = 2; };\n                                       ^\n"
	  "t.d:3:15: error: failed to resolve q: Unknown variable name\nBEGIN { trace(q); }\n              ^\n" },
	{ "warning_kept_with_error", "#pragma ident \"x\"\n#pragma foo\nBEGIN { trace(q); }",
	  "t.d:2:1: warning: ignoring unknown #pragma\n#pragma foo\n^\n"
	  "t.d:3:15: error: failed to resolve q: Unknown variable name\nBEGIN { trace(q); }\n              ^\n" },
};

static void test_exact(void)
{
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
		struct kt_compile_opts o = base_opts();
		struct kt_diags d;
		struct kt_prog *p = compile_o(exact[i].src, &o, &d);
		char *txt = diags_text(&d);
		char *why = malloc(strlen(txt) + strlen(exact[i].out) + 64);

		sprintf(why, "expected:\n%s\ngot:\n%s", exact[i].out, txt);
		result(!p && !strcmp(txt, exact[i].out), exact[i].name, why);
		free(why);
		free(txt);
		kt_prog_free(p);
		kt_diags_free(&d);
	}
}

/* ----- properties of the output ----- */
#define CHECK2(cond) do { if (!(cond)) { snprintf(why, sizeof(why), "failed: %s (line %d)", #cond, __LINE__); goto out2; } } while (0)
#define CHECK(cond) do { if (!(cond)) { snprintf(why, sizeof(why), "failed: %s (line %d)", #cond, __LINE__); goto out; } } while (0)

static struct kt_prog *must(const char *src, struct kt_compile_opts *o, char *why, size_t n)
{
	struct kt_diags d;
	struct kt_prog *p = compile_o(src, o, &d);

	if (!p) {
		char *t = diags_text(&d);

		snprintf(why, n, "%s", t);
		free(t);
	}
	kt_diags_free(&d);
	return p;
}

static void test_printf_action(void)
{
	struct kt_compile_opts o = base_opts();
	char why[1024] = "";
	struct kt_prog *p = must("BEGIN { printf(\"%d %s %u %c\\n\", pid, execname, uid, (char)65); exit(3); }",
				 &o, why, sizeof(why));

	if (!p)
		goto out;
	CHECK(p->nactions == 2);
	CHECK(p->actions[0].kind == KTRACE_ACT_PRINTF && p->actions[0].nargs == 4);
	CHECK(!strcmp(p->strtab + p->actions[0].fmt, "%d %s %u %c\n"));
	CHECK(p->actions[0].arg_types[0] == KT_DT_S32);
	CHECK(p->actions[0].arg_types[1] == KT_DT_STRING);
	CHECK(p->actions[0].arg_types[2] == KT_DT_U32);
	CHECK(p->actions[0].arg_types[3] == KT_DT_CHAR);
	CHECK(p->actions[1].kind == KTRACE_ACT_EXIT && p->actions[1].nargs == 1);
	CHECK(p->nclauses == 1 && p->cinfo[0].nspecs == 1);
	CHECK(!strcmp(p->cinfo[0].specs[0].prov, "dtrace") && !strcmp(p->cinfo[0].specs[0].name, "BEGIN"));
	why[0] = '\0';
out:
	result(!why[0], "printf_action_descriptor_and_display_types", why);
	kt_prog_free(p);
}

/*
 * trace() of a struct, union or array and tracemem() record bytes: a
 * struct variable as its words (KT_ACTF_WORDS: count and first byte in the
 * flags), memory as one BYTES push of the count register; tracemem()'s
 * dynamic size is clamped to its size by one unsigned comparison.
 */
static void test_trace_bytes(void)
{
	struct kt_compile_opts o = base_opts();
	char why[1024] = "", log[2048];
	const struct ktrace_insn *in;
	struct kt_prog *p = must("struct pair { int a; char b; short c; } v; "
				 "struct outer { char t; struct pair p; } w; struct one { char x; } z; "
				 "BEGIN { trace(v); trace(w.p); trace(z); "
				 "this->m = (struct pair *)alloca(8); trace(*this->m); "
				 "tracemem(this->m, 8); tracemem(this->m, 8, arg0); }",
				 &o, why, sizeof(why));
	int npush_bytes = 0, nsltu = 0;

	if (!p)
		goto out;
	CHECK(p->nactions == 6);
	CHECK(p->actions[0].kind == KTRACE_ACT_TRACE && p->actions[0].nargs == 1);
	CHECK(p->actions[0].flags == (KT_ACTF_WORDS | 8));
	/* w.p: bytes 4..11 of w, in its two words */
	CHECK(p->actions[1].nargs == 2 &&
	      p->actions[1].flags == (KT_ACTF_WORDS | 8 | 4 << KT_ACTF_WORDS_SKIP_SHIFT));
	CHECK(p->actions[2].nargs == 1 && p->actions[2].flags == (KT_ACTF_WORDS | 1));
	CHECK(p->actions[3].kind == KTRACE_ACT_TRACE && p->actions[3].nargs == 1 &&
	      !p->actions[3].flags && p->actions[3].arg_types[0] == KT_DT_BYTES);
	CHECK(p->actions[4].kind == KTRACE_ACT_TRACEMEM && p->actions[4].nargs == 1 &&
	      p->actions[4].arg_types[0] == KT_DT_BYTES);
	CHECK(p->actions[5].kind == KTRACE_ACT_TRACEMEM && p->actions[5].nargs == 1);
	for (in = p->insns; in < p->insns + p->ninsns; in++) {
		if (in->op == KTRACE_OP_PUSH && in->imm == KTRACE_TT_BYTES) {
			npush_bytes++;
			CHECK(in->rs2 != 0);	/* the count */
		}
		nsltu += in->op == KTRACE_OP_SLTU;
	}
	CHECK(npush_bytes == 3 && nsltu == 1);
	CHECK(verify_prog(p, log, sizeof(log)) == 0);
	why[0] = '\0';
out:
	result(!why[0], "trace_bytes_record_layout", why);
	kt_prog_free(p);
}

static void test_agg_descs(void)
{
	struct kt_compile_opts o = base_opts();
	char why[1024] = "";
	struct kt_prog *p = must("syscall:::entry { @[execname, pid] = count(); @s[stack()] = sum(arg0); @u[usym(arg0)] = max((int)arg1); @l = lquantize(arg0, 0, 100, 5); @ll = llquantize(arg0, 10, 0, 6, 20); }",
				 &o, why, sizeof(why));

	if (!p)
		goto out;
	CHECK(p->naggs == 5);
	CHECK(p->aggs[0].func == KTRACE_AGG_COUNT && p->aggs[0].nkeys == 2);
	CHECK(p->aggs[0].key_types[0] == KTRACE_TYPE_STRING && p->aggs[0].key_types[1] == KTRACE_TYPE_INT);
	CHECK(p->agg_key_dtypes[0][0] == KT_DT_STRING && p->agg_key_dtypes[0][1] == KT_DT_S32);
	CHECK(p->aggs[1].key_types[0] == KTRACE_TYPE_STACK && p->agg_key_dtypes[1][0] == KT_DT_STACK);
	CHECK(p->aggs[2].nkeys == 2 && p->agg_key_dtypes[2][0] == KT_DT_UPID && p->agg_key_dtypes[2][1] == KT_DT_USYM);
	CHECK(p->agg_val_dtype[2] == KT_DT_S32);
	CHECK(p->aggs[3].func == KTRACE_AGG_LQUANTIZE && p->aggs[3].params[0] == 0 && p->aggs[3].params[1] == 100 && p->aggs[3].params[2] == 5);
	CHECK(p->aggs[4].params[0] == 10 && p->aggs[4].params[2] == 6 && p->aggs[4].params[3] == 20);
	CHECK(!strcmp(p->strtab + p->aggs[0].name, "") && !strcmp(p->strtab + p->aggs[1].name, "s"));
	CHECK(p->nactions == 0);	/* only aggregations: records nothing */
	why[0] = '\0';
out:
	result(!why[0], "aggregation_descriptors_keys_and_params", why);
	kt_prog_free(p);
}

static void test_default_action(void)
{
	struct kt_compile_opts o = base_opts();
	char why[1024] = "";
	struct kt_prog *p = must("BEGIN {} END /1/ { self->x = 1; }", &o, why, sizeof(why));

	if (!p)
		goto out;
	CHECK(p->nactions == 1 && p->actions[0].kind == KTRACE_ACT_NONE);
	CHECK(p->nclauses == 2 && p->clauses[1].pred_len > 0);
	why[0] = '\0';
out:
	result(!why[0], "empty_clause_gets_default_action", why);
	kt_prog_free(p);
}

static void test_probespecs(void)
{
	struct kt_compile_opts o = base_opts();
	char why[1024] = "";
	char *args[] = { "openat", "42", "bash" };
	struct kt_prog *p;
	const struct kt_probespec *s;

	o.macro_args = args;
	o.nmacro_args = 3;
	o.target_pid = 777;
	p = must("syscall::read:entry, read:entry, entry, a:b:c:d, tick-1s, pid$target::malloc:entry, syscall::$1:entry, fbt::vfs_*:entry { trace($2); trace($$3); }",
		 &o, why, sizeof(why));
	if (!p)
		goto out;
	CHECK(p->nclauses == 1 && p->cinfo[0].nspecs == 8);
	s = p->cinfo[0].specs;
	CHECK(!strcmp(s[0].prov, "syscall") && !strcmp(s[0].mod, "") && !strcmp(s[0].func, "read") && !strcmp(s[0].name, "entry"));
	CHECK(!strcmp(s[1].prov, "") && !strcmp(s[1].func, "read") && !strcmp(s[1].name, "entry"));
	CHECK(!strcmp(s[2].prov, "") && !strcmp(s[2].func, "") && !strcmp(s[2].name, "entry"));
	CHECK(!strcmp(s[3].prov, "a") && !strcmp(s[3].mod, "b") && !strcmp(s[3].func, "c") && !strcmp(s[3].name, "d"));
	CHECK(!strcmp(s[4].prov, "profile") && !strcmp(s[4].name, "tick-1s"));
	CHECK(!strcmp(s[5].prov, "pid777") && !strcmp(s[5].func, "malloc"));
	CHECK(!strcmp(s[6].func, "openat"));
	CHECK(!strcmp(s[7].func, "vfs_*"));
	CHECK(s[3].line == 1 && s[3].col == 41);
	why[0] = '\0';
out:
	result(!why[0], "probe_descriptions_short_forms_and_macros", why);
	kt_prog_free(p);
}

static void test_options(void)
{
	struct kt_compile_opts o = base_opts();
	char why[1024] = "";
	struct kt_prog *p = must("#pragma D option quiet\n#pragma D option bufsize=16m\n#pragma D option destructive\nBEGIN { system(\"true\"); }",
				 &o, why, sizeof(why));

	if (!p)
		goto out;
	CHECK(p->noptions == 3);
	CHECK(!strcmp(p->options[0].name, "quiet") && !p->options[0].value);
	CHECK(!strcmp(p->options[1].name, "bufsize") && !strcmp(p->options[1].value, "16m"));
	CHECK(p->destructive);
	why[0] = '\0';
out:
	result(!why[0], "pragma_options_collected_and_destructive_pragma", why);
	kt_prog_free(p);
	p = must("BEGIN {\n#pragma D option quiet\n\ttrace(1);\n}\n", &o, why, sizeof(why));
	if (!p)
		goto out2;
	CHECK2(p->noptions == 1 && !strcmp(p->options[0].name, "quiet"));
	why[0] = '\0';
out2:
	result(!why[0], "pragma_inside_a_clause_sets_its_option", why);
	kt_prog_free(p);
}

/*
 * The built-in functions come from the uapi's X-macros (dt_builtins.c):
 * every subroutine of KTRACE_SUBRS and every action of KTRACE_ACTIONS a
 * program can call is known by its uapi name.
 */
static void test_builtins_from_uapi(void)
{
	static const char *const subrs[] = {
#define T_SUBR(n, v, str, mn, mx, rs) str,
		KTRACE_SUBRS(T_SUBR)
#undef T_SUBR
	};
	static const char *const acts[] = {
#define T_ACT(n, v, str, rec, destr) str,
		KTRACE_ACTIONS(T_ACT)
#undef T_ACT
	};
	char why[512] = "";
	size_t i;

	for (i = 0; i < sizeof(subrs) / sizeof(subrs[0]) + sizeof(acts) / sizeof(acts[0]); i++) {
		bool subr = i < sizeof(subrs) / sizeof(subrs[0]);
		const char *name = subr ? subrs[i] : acts[i - sizeof(subrs) / sizeof(subrs[0])];
		struct kt_compile_opts o = base_opts();
		struct kt_diags d = { 0 };
		struct kt_prog *p;
		char src[128], *t;

		/* stringof is an operator; "none" is no call; stack()/ustack() are subroutines */
		if (!strcmp(name, "stringof") || !strcmp(name, "none"))
			continue;
		snprintf(src, sizeof(src), subr ? "BEGIN { x = %s(); }" : "BEGIN { %s(); }", name);
		p = kt_compile((const char *const[]){ src }, NULL, 1, &o, &d);
		t = diags_text(&d);
		if (strstr(t, "Unknown function name") && !why[0])
			snprintf(why, sizeof(why), "%s: %s", src, t);
		free(t);
		kt_prog_free(p);
		kt_diags_free(&d);
	}
	result(!why[0], "builtins_every_uapi_subroutine_and_action_is_known", why);
}

static void test_destructive_w(void)
{
	struct kt_compile_opts o = base_opts();
	char why[1024] = "", log[2048];
	struct kt_prog *p;

	o.destructive = true;
	p = must("BEGIN { system(\"echo %d\", pid); raise(1); stop(); chill(10); panic(); copyout(arg0, arg1, 4); copyoutstr(\"x\", arg1, 2); }",
		 &o, why, sizeof(why));
	if (!p)
		goto out;
	CHECK(p->destructive);
	CHECK(verify_prog(p, log, sizeof(log)) == 0);
	why[0] = '\0';
out:
	result(!why[0], "destructive_actions_allowed_with_w", why);
	kt_prog_free(p);
}

static int fake_tp(void *ctx, const char *subsys, const char *event, struct kt_tp_field **f, int *n)
{
	struct kt_tp_field *v;

	if (strcmp(subsys, "sched") || strcmp(event, "sched_switch"))
		return -2;
	v = calloc(5, sizeof(*v));
	strcpy(v[0].name, "prev_comm");
	v[0].offset = 8;
	v[0].size = 16;
	v[0].is_string = v[0].is_array = true;
	strcpy(v[1].name, "prev_pid");
	v[1].offset = 24;
	v[1].size = 4;
	v[1].is_signed = true;
	strcpy(v[2].name, "name");
	v[2].offset = 28;
	v[2].size = 4;
	v[2].is_data_loc = v[2].is_string = true;
	strcpy(v[3].name, "prev_state");
	v[3].offset = 32;
	v[3].size = 8;
	strcpy(v[4].name, "ips");	/* __data_loc unsigned long[] ips */
	strcpy(v[4].type, "unsigned long");
	v[4].offset = 40;
	v[4].size = 4;
	v[4].is_data_loc = true;
	*f = v;
	*n = 5;
	return 0;
}

static void test_tracepoint_args(void)
{
	struct kt_compile_opts o = base_opts();
	char why[1024] = "", log[2048];
	struct kt_prog *p;
	bool lds4 = false, lds_signed = false;

	o.tp_format = fake_tp;
	p = must("tracepoint:sched:sched_switch { @[args->prev_comm] = count(); trace(args->prev_pid); trace(args->name); trace(args->prev_state); }",
		 &o, why, sizeof(why));
	if (!p)
		goto out;
	CHECK(verify_prog(p, log, sizeof(log)) == 0);
	for (uint32_t i = 0; i < p->ninsns; i++) {
		if (p->insns[i].op == KTRACE_OP_LDS && p->insns[i].imm == (4 | KTRACE_LD_SIGNED))
			lds_signed = true;
		if (p->insns[i].op == KTRACE_OP_LDS && p->insns[i].imm == 4)
			lds4 = true;	/* the __data_loc word */
	}
	CHECK(lds_signed && lds4);
	CHECK(p->actions[0].arg_types[0] == KT_DT_S32);
	CHECK(p->actions[1].arg_types[0] == KT_DT_STRING);
	why[0] = '\0';
out:
	result(!why[0], "tracepoint_args_fields_from_format_callback", why);
	kt_prog_free(p);
	{
		struct kt_diags d;

		p = compile_o("tracepoint:sched:sched_switch { trace(args->nope); }", &o, &d);
		result(!p && d.n && !strcmp(d.v[0].msg, "tracepoint sched:sched_switch has no member named 'nope'"),
		       "tracepoint_unknown_field_diagnosed", d.n ? d.v[0].msg : "no error");
		kt_diags_free(&d);
		kt_prog_free(p);
	}
	/* a dynamic array is a pointer to its elements in the record */
	why[0] = '\0';
	p = must("tracepoint:sched:sched_switch { trace(args->ips[1]); }", &o, why, sizeof(why));
	if (p) {
		bool lds8 = false;

		for (uint32_t i = 0; i < p->ninsns; i++)
			if (p->insns[i].op == KTRACE_OP_LDS && p->insns[i].imm == 8)
				lds8 = true;
		if (!lds8 || p->actions[0].arg_types[0] != KT_DT_U64)
			snprintf(why, sizeof(why), "element load lds8=%d type=%d", lds8,
				 p->actions[0].arg_types[0]);
		else if (verify_prog(p, log, sizeof(log)))
			snprintf(why, sizeof(why), "verifier: %.900s", log);
	}
	result(p && !why[0], "tracepoint_dynamic_array_indexed", why);
	kt_prog_free(p);
}

/* The default ERROR clause comes from the code generator, last, verified. */
static void test_default_error_clause(void)
{
	struct kt_compile_opts o = base_opts();
	char why[1024] = "", log[2048];
	const struct ktrace_action_desc *ad;
	struct kt_prog *p;
	int pushes = 0;

	o.error_clause = true;
	p = must("BEGIN { trace(1); }", &o, why, sizeof(why));
	if (!p)
		goto out;
	CHECK(p->nclauses == 2 && p->errclause == 1);
	CHECK(p->cinfo[1].nspecs == 1 && !strcmp(p->cinfo[1].specs[0].prov, "dtrace") &&
	      !strcmp(p->cinfo[1].specs[0].name, "ERROR"));
	ad = &p->actions[p->nactions - 1];
	CHECK(ad->kind == KTRACE_ACT_TRACE && ad->nargs == 5 && ad->flags == KT_ACTF_DEFERR);
	for (uint32_t i = p->clauses[1].body_start;
	     i < p->clauses[1].body_start + p->clauses[1].body_len; i++)
		pushes += p->insns[i].op == KTRACE_OP_PUSH;
	CHECK(pushes == 5);
	CHECK(verify_prog(p, log, sizeof(log)) == 0);
	kt_prog_free(p);
	o.error_clause = false;
	p = must("BEGIN { trace(1); }", &o, why, sizeof(why));
	if (!p)
		goto out;
	CHECK(p->nclauses == 1 && p->errclause == -1);
	why[0] = '\0';
out:
	result(!why[0], "default_error_clause_from_codegen", why);
	kt_prog_free(p);
}

static void test_probe_only(void)
{
	struct kt_compile_opts o = base_opts();
	char why[1024] = "";
	struct kt_prog *p;

	o.probe_only = true;
	p = must("syscall::read*:entry, fbt:::return", &o, why, sizeof(why));
	if (!p)
		goto out;
	CHECK(p->nclauses == 1 && p->cinfo[0].nspecs == 2 && p->ninsns == 0);
	CHECK(!strcmp(p->cinfo[0].specs[1].prov, "fbt") && !strcmp(p->cinfo[0].specs[1].name, "return"));
	why[0] = '\0';
out:
	result(!why[0], "probe_only_mode_returns_specs", why);
	kt_prog_free(p);
}

static void test_multi_source(void)
{
	const char *srcs[] = { "BEGIN { x = 1; }", "END { trace(x); trace(nope); }" };
	const char *names[] = { "a.d", "b.d" };
	struct kt_compile_opts o = base_opts();
	struct kt_diags d = { 0 };
	struct kt_prog *p = kt_compile(srcs, names, 2, &o, &d);

	result(!p && d.nerrors == 1 && !strcmp(d.v[0].file, "b.d") && d.v[0].col == 23,
	       "several_sources_share_symbols_and_name_their_file", d.n ? d.v[0].msg : "");
	kt_diags_free(&d);
	kt_prog_free(p);
}

static void test_perf(void)
{
	size_t cap = 64 * 1024, len = 0;
	char *src = malloc(cap);
	struct kt_compile_opts o = base_opts();
	struct kt_diags d;
	struct kt_prog *p;
	struct timespec a, b;
	double ms;
	char why[256];

	for (int i = 0; i < 200; i++)
		len += (size_t)snprintf(src + len, cap - len,
			"syscall::read:entry /pid != %d && execname != \"x%d\"/ { self->t%d = timestamp; @a%d[execname, probefunc] = quantize(arg2); printf(\"%%s %%d\\n\", execname, arg%d); }\n",
			i, i, i, i % 30, i % 10);
	/*
	 * CPU time, best of three: what the compiler costs, not how long a
	 * loaded host (CI runs guests beside this) took to schedule it.
	 */
	ms = 1e9;
	p = NULL;
	for (int run = 0; run < 3; run++) {
		double t;

		kt_prog_free(p);
		if (run)
			kt_diags_free(&d);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
		p = compile_o(src, &o, &d);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
		t = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
		if (t < ms)
			ms = t;
	}
	snprintf(why, sizeof(why), "compiled=%d in %.2f ms of CPU", p != NULL, ms);
	result(p && ms < 25.0, "compiles_200_line_script_fast", why);
	printf("# 200-line script: %.2f ms of CPU (best of 3)\n", ms);
	kt_prog_free(p);
	kt_diags_free(&d);
	free(src);
}

static void test_robustness(void)
{
	static const char *const seeds[] = {
		"syscall::read:entry /pid == 1/ { @[execname] = quantize(arg2); printf(\"%s %d\", execname, arg0); }",
		"BEGIN { for (i = 0; i < 10; i++) { if (i) continue; a[i, \"x\"] = strjoin(\"a\", \"b\"); } }",
		"#pragma D option quiet\nint x; tick-1s { x++; printa(\"%@d\", @a); } BEGIN { @a = count(); }",
	};
	unsigned int seed = 12345;
	int runs = 0;
	char buf[512];

	for (int s = 0; s < 3; s++) {
		for (int iter = 0; iter < 3000; iter++) {
			size_t n = strlen(seeds[s]);
			struct kt_compile_opts o = base_opts();
			struct kt_diags d;
			struct kt_prog *p;

			memcpy(buf, seeds[s], n + 1);
			for (int k = 0; k < 1 + iter % 4; k++) {
				size_t pos;

				seed = seed * 1103515245u + 12345u;
				pos = (seed >> 8) % n;
				switch ((seed >> 4) % 3) {
				case 0:
					buf[pos] = (char)(" \n(){}[]/*@$\"'\\;,:-+%0aZ\x80\x01"[(seed >> 16) % 28]);
					break;
				case 1:	/* truncate */
					buf[pos] = '\0';
					n = pos ? pos : 1;
					break;
				default:	/* duplicate a chunk */
					if (n + 20 < sizeof(buf)) {
						memmove(buf + pos + 10, buf + pos, n - pos + 1);
						n += 10;
					}
				}
			}
			o.macro_args = NULL;
			p = compile_o(buf, &o, &d);
			kt_prog_free(p);
			kt_diags_free(&d);
			runs++;
		}
	}
	{
		/* deep nesting is bounded, not a stack overflow */
		char *deep = malloc(200020);
		struct kt_compile_opts o = base_opts();
		struct kt_diags d;
		struct kt_prog *p;

		strcpy(deep, "BEGIN { x = ");
		memset(deep + 12, '(', 100000);
		strcpy(deep + 100012, "1; }");
		p = compile_o(deep, &o, &d);
		result(!p && d.nerrors > 0, "deep_nesting_is_an_error_not_a_crash", NULL);
		kt_prog_free(p);
		kt_diags_free(&d);
		free(deep);
	}
	snprintf(buf, sizeof(buf), "%d mutated inputs", runs);
	result(true, "mutated_inputs_never_crash", buf);
}

static void test_macro_args(void)
{
	struct kt_compile_opts o = base_opts();
	char why[1024] = "";
	char *args[] = { "0x10", "hello", "x y" };
	struct kt_prog *p;

	o.macro_args = args;
	o.nmacro_args = 3;
	p = must("BEGIN { trace($1 + 1); trace($$2); trace($$3); trace($target); trace($uid); }", &o, why, sizeof(why));
	if (!p)
		goto out;
	CHECK(p->insns[0].op == KTRACE_OP_SETI && p->insns[0].imm == 17);
	why[0] = '\0';
out:
	result(!why[0], "macro_arguments_integer_and_string", why);
	kt_prog_free(p);
}

static void test_loops_shape(void)
{
	struct kt_compile_opts o = base_opts();
	char why[1024] = "";
	struct kt_prog *p = must("BEGIN { for (i = 0; i < 3; i++) { if (i == 1) continue; if (i == 2) break; } }",
				 &o, why, sizeof(why));
	int loops = 0;

	if (!p)
		goto out;
	for (uint32_t i = 0; i < p->ninsns; i++) {
		const struct ktrace_insn *in = &p->insns[i];

		if (in->op == KTRACE_OP_LOOP) {
			loops++;
			CHECK((uint32_t)in->imm < i);
		}
		if (in->op == KTRACE_OP_BA || in->op == KTRACE_OP_BZ || in->op == KTRACE_OP_BNZ)
			CHECK((uint32_t)in->imm > i);
	}
	CHECK(loops == 1);
	why[0] = '\0';
out:
	result(!why[0], "loops_have_one_back_edge_and_forward_branches", why);
	kt_prog_free(p);
}

/* selftests/corpus/err.*.d: the printed diagnostics equal the .err file. */
static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * -C on a program with no directive changes nothing: the same object
 * byte for byte, or the same diagnostics.  Mismatches are collected and
 * reported by one test after the corpus.
 */
static int cpp_compared;
static char cpp_mismatch[4096];

static bool same_object(const struct kt_prog *a, const struct kt_prog *b)
{
	void *oa = NULL, *ob = NULL;
	uint32_t na = 0, nb = 0;
	bool same;

	if (!a || !b)
		return !a && !b;
	if (kt_prog_serialize(a, NULL, 0, &oa, &na) || kt_prog_serialize(b, NULL, 0, &ob, &nb))
		same = false;
	else
		same = na == nb && !memcmp(oa, ob, na);
	free(oa);
	free(ob);
	return same;
}

static void cpp_same(const char *src, const char *name, const struct kt_compile_opts *o,
		     const struct kt_prog *p, const char *diags)
{
	struct kt_compile_opts co = *o;
	struct kt_diags d = { 0 };
	struct kt_prog *q;
	char *got;

	co.cpp = true;
	q = kt_compile(&src, &name, 1, &co, &d);
	got = diags_text(&d);
	cpp_compared++;
	if (!same_object(p, q) || strcmp(got, diags)) {
		size_t l = strlen(cpp_mismatch);

		snprintf(cpp_mismatch + l, sizeof(cpp_mismatch) - l, "%s: %s\n", name,
			 strcmp(got, diags) ? got : "different object");
	}
	free(got);
	kt_prog_free(q);
	kt_diags_free(&d);
}

static void test_corpus(void)
{
	DIR *dir = opendir("selftests/corpus");
	const char *btf = access("/sys/kernel/btf/vmlinux", R_OK) ? NULL :
			  "/sys/kernel/btf/vmlinux";
	struct kt_dlib lib;
	char libwhy[300];
	struct dirent *e;
	char *names[1024];
	int n = 0;

	/* as ktrace compiles them: after the D library (user/lib, found from build/) */
	result(kt_dlib_load(NULL, 0, &lib, libwhy, sizeof(libwhy)) == 0 && lib.n > 0,
	       "corpus_d_library_loads", libwhy);

	if (!dir) {
		result(false, "corpus_directory", "selftests/corpus not found (run from the repo root)");
		return;
	}
	while ((e = readdir(dir)) && n < 1024) {
		size_t l = strlen(e->d_name);

		if ((!strncmp(e->d_name, "err.", 4) || !strncmp(e->d_name, "tst.", 4)) && l > 2 &&
		    !strcmp(e->d_name + l - 2, ".d"))
			names[n++] = strdup(e->d_name);
	}
	closedir(dir);
	qsort(names, (size_t)n, sizeof(names[0]), cmpstr);
	for (int i = 0; i < n; i++) {
		char path[600], tname[600], log[4096];
		char *src, *want, *got, *args;
		const char *cn = names[i];
		struct kt_compile_opts o = base_opts();
		struct kt_diags d = { 0 };
		struct kt_prog *p;
		char *argv[16];
		int argc = 0;
		bool err = cn[0] == 'e';

		snprintf(path, sizeof(path), "selftests/corpus/%s", cn);
		src = slurp(path);
		snprintf(path, sizeof(path), "selftests/corpus/%s.err", cn);
		want = slurp(path);
		snprintf(path, sizeof(path), "selftests/corpus/%s.args", cn);
		args = slurp(path);
		for (char *t = args ? strtok(args, " \t\n") : NULL; t && argc < 16; t = strtok(NULL, " \t\n"))
			argv[argc++] = t;
		/* a .skip file marks a missing feature: SKIP with its reason */
		snprintf(path, sizeof(path), "selftests/corpus/%s.skip", cn);
		{
			char *skip = slurp(path);

			if (skip) {
				skip[strcspn(skip, "\n")] = '\0';
				ntest++;
				printf("ok %d corpus_%s # SKIP %s\n", ntest, cn, skip);
				free(skip);
				free(src);
				free(want);
				free(args);
				free(names[i]);
				continue;
			}
		}
		/* err.* files whose expected output is not a compiler diagnostic belong to the CLI */
		if (err && (!want || strncmp(want, cn, strlen(cn)))) {
			free(src);
			free(want);
			free(args);
			free(names[i]);
			continue;
		}
		o.filename = cn;
		o.macro_args = argv;
		o.nmacro_args = argc;
		/* the words of .args are options and arguments alike here: none is an error */
		o.argref = true;
		o.target_pid = 1;
		o.lib_srcs = (const char *const *)lib.texts;
		o.lib_names = (const char *const *)lib.names;
		o.nlib = lib.n;
		o.btf_path = btf;
		o.ksym_addr = kt_ksym_addr;
		p = src ? kt_compile((const char *const *)&src, &cn, 1, &o, &d) : NULL;
		got = diags_text(&d);
		if (src)
			cpp_same(src, cn, &o, p, got);
		snprintf(tname, sizeof(tname), "corpus_%s", cn);
		if (err) {
			char *why = malloc(strlen(got) + strlen(want) + 64);

			sprintf(why, "expected:\n%s\ngot:\n%s", want, got);
			result(src && !p && !strcmp(got, want), tname, why);
			free(why);
		} else if (!p && !btf && strstr(got, "kernel types are not available")) {
			ntest++;
			printf("ok %d %s # SKIP needs /sys/kernel/btf/vmlinux\n", ntest, tname);
		} else {
			int rc = p ? verify_prog(p, log, sizeof(log)) : -1;
			char *why = malloc(strlen(got) + sizeof(log) + 64);

			sprintf(why, "%s%s", got, p ? log : "");
			result(p && rc == 0, tname, why);
			free(why);
		}
		free(got);
		free(src);
		free(want);
		free(args);
		kt_prog_free(p);
		kt_diags_free(&d);
		free(names[i]);
	}
	kt_dlib_free(&lib);
}

/* ----- the C preprocessor (-C) ----- */

/* Whitespace runs to one space, #line markers dropped, trimmed. */
static char *pp_norm(const char *s)
{
	char *r = malloc(strlen(s) + 1), *w = r;
	bool sp = false, bol = true;

	for (; *s; s++) {
		if (bol && !strncmp(s, "#line ", 6)) {
			while (*s && *s != '\n')
				s++;
			if (!*s)
				break;
		}
		bol = *s == '\n';
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			sp = w != r;
			continue;
		}
		if (sp)
			*w++ = ' ';
		sp = false;
		*w++ = *s;
	}
	*w = '\0';
	return r;
}

static const struct {
	const char	*name, *src, *want;
} pp_cases[] = {
	{ "object_macro", "#define N 10\nx = N;", "x = 10;" },
	{ "function_macro", "#define MAX(a,b) ((a)>(b)?(a):(b))\nMAX(1, 2)", "((1)>(2)?(1):(2))" },
	{ "self_reference_not_expanded", "#define foo foo + 1\nfoo", "foo + 1" },
	{ "mutual_recursion_stops", "#define a b\n#define b a\na b", "a b" },
	{ "c99_hideset_example", "#define f(a) a*g\n#define g(a) f(a)\nf(2)(9)", "2*9*g" },
	{ "stringize", "#define S(x) #x\nS(a  +  \"q\")", "\"a + \\\"q\\\"\"" },
	{ "paste_with_empty_operands", "#define C(a,b) a##b\nC(x,1) C(,y) C(z,)", "x1 y z" },
	{ "paste_makes_d_aggregation", "#define AGG(n) @##n\nAGG(cnt) = count();", "@cnt = count();" },
	{ "variadic", "#define P(f, ...) printf(f, __VA_ARGS__)\nP(\"%d %d\", 1, 2)",
	  "printf(\"%d %d\", 1, 2)" },
	{ "gnu_comma_paste_drops_comma", "#define P(f, ...) printf(f, ## __VA_ARGS__)\nP(\"x\") P(\"%d\", 1)",
	  "printf(\"x\") printf(\"%d\", 1)" },
	{ "if_arithmetic", "#if (1 << 3) == 8 && -1 < 0 && 7 / 2 == 3 && (0 ? 1 : 2) == 2 && 0x10 == 16 && 'a' == 97\nyes\n#else\nno\n#endif",
	  "yes" },
	{ "if_short_circuit_division", "#if 0 && 1 / 0\nno\n#else\nyes\n#endif", "yes" },
	{ "ifdef_ifndef_elif_else", "#define A\n#ifdef A\na\n#endif\n#ifndef A\nb\n#elif defined(A) && !defined B\nc\n#else\nd\n#endif",
	  "a c" },
	{ "skipped_groups_nest", "#if 0\n#if 1\nx\n#else\ny\n#endif\n#define Z 1\n#error no\n#endif\n#ifdef Z\nbad\n#endif\nok", "ok" },
	{ "undef", "#define X 1\n#undef X\nX", "X" },
	{ "line_and_file", "\n\n__LINE__ __FILE__", "3 \"t.d\"" },
	{ "no_accidental_token_merge", "#define NEG -\nx = 5 NEG-1;", "x = 5 - -1;" },
	{ "comments_and_splices", "a /* c\n */ b \\\n c // x\nd", "a b c d" },
	{ "function_name_without_call", "#define F(x) x\nF + F(1)", "F + 1" },
	{ "argument_with_parens_and_commas", "#define ID(x) x\nID((a, b))", "(a, b)" },
	{ "multiline_call", "#define ID(x) x\nID(1 +\n2) z", "1 + 2 z" },
	{ "predefined_macros", "#if defined(__ktrace) && defined(__linux__) && _LP64 && __SUNW_D\nyes\n#endif", "yes" },
	{ "pragma_passed_on", "#pragma D option quiet\nBEGIN", "#pragma D option quiet BEGIN" },
	{ "probe_description_kept", "#define P syscall::read:entry\nP /pid == 1/ { }", "syscall::read:entry /pid == 1/ { }" },
	{ "macro_in_probe_name", "#define HZ 997\nprofile-HZ { }", "profile-997 { }" },
	{ "shebang_dropped", "#!/usr/sbin/ktrace -Cs\nBEGIN", "BEGIN" },
	{ "d_tokens_kept", "#define T $target\npid == T && @a[$1] == `max_pid", "pid == $target && @a[$1] == `max_pid" },
	{ "null_directive_and_ident", "#\n#ident \"x\"\nok", "ok" },
};

static const struct {
	const char	*name, *src, *want;	/* want: the first diagnostic line */
} pp_bad[] = {
	{ "error_directive", "#error stop  here", "t.d:1:1: error: #error stop here" },
	{ "unterminated_if", "\n#if 1\nx", "t.d:2:1: error: unterminated #if" },
	{ "endif_without_if", "#endif", "t.d:1:2: error: #endif without #if" },
	{ "else_after_else", "#if 1\n#else\n#else\n#endif", "t.d:3:2: error: #else after #else" },
	{ "too_many_arguments", "#define F(a) a\nF(1, 2)", "t.d:2:1: error: macro \"F\" passed 2 arguments, but takes just 1" },
	{ "too_few_arguments", "#define F(a, b) a\nF(1)", "t.d:2:1: error: macro \"F\" requires 2 arguments, but only 1 given" },
	{ "unterminated_call", "#define F(a) a\nx F(1", "t.d:2:3: error: unterminated argument list invoking macro \"F\"" },
	{ "division_by_zero", "#if 1 / 0\n#endif", "t.d:1:7: error: division by zero in #if" },
	{ "missing_include", "#include \"no-such-file.h\"", "t.d:1:1: error: #include \"no-such-file.h\": No such file or directory" },
	{ "unknown_directive", "#foo", "t.d:1:2: error: invalid preprocessing directive #foo" },
	{ "bad_macro_name", "#define 1x", "t.d:1:9: error: macro names must be identifiers" },
	{ "paste_at_end", "#define C(a) a ##", "t.d:1:9: error: '##' cannot appear at either end of a macro expansion" },
	{ "stringize_non_parameter", "#define S(a) #b", "t.d:1:14: error: '#' is not followed by a macro parameter" },
	{ "if_without_expression", "#if\n#endif", "t.d:1:1: error: #if with no expression" },
	{ "bad_line", "#line 0", "t.d:1:1: error: #line expects a positive line number and an optional \"file\"" },
	{ "bad_paste", "#define C(a, b) a ## b\nC(+, /)", "t.d:2:1: error: pasting \"+\" and \"/\" does not give a valid preprocessing token" },
	{ "unterminated_comment", "x /* y", "t.d:1:3: error: end-of-file encountered before matching */" },
	{ "compile_error_after_expansion_keeps_line", "#define X 1\n\nBEGIN { y = X +; }", "t.d:3:16: error: syntax error near \";\"" },
};

static void pp_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static char pp_log[1024];

static void pp_included(void *ctx, const char *path, int depth)
{
	size_t l = strlen(pp_log);

	(void)ctx;
	snprintf(pp_log + l, sizeof(pp_log) - l, "%d:%s;", depth, strrchr(path, '/') + 1);
}

/* The first diagnostic of compiling SRC with -C, or "" if it compiles. */
static char *pp_first_diag(const char *src, const struct kt_compile_opts *o)
{
	struct kt_diags d;
	struct kt_prog *p = compile_o(src, o, &d);
	char *t = diags_text(&d);

	t[strcspn(t, "\n")] = '\0';
	kt_prog_free(p);
	kt_diags_free(&d);
	return t;
}

static void test_cpp(void)
{
	struct kt_compile_opts o = base_opts();
	char dir[] = "/tmp/ktrace-cpp-XXXXXX", path[256], src[1024], name[96], *t;

	o.cpp = true;
	for (size_t i = 0; i < sizeof(pp_cases) / sizeof(pp_cases[0]); i++) {
		struct kt_diags d = { 0 };
		char *out = kt_preprocess(pp_cases[i].src, "t.d", &o, &d);
		char *n = out ? pp_norm(out) : strdup("(failed)");
		char *why = malloc(strlen(n) + 1024);

		sprintf(why, "want: %s\ngot:  %s\n%s", pp_cases[i].want, n, d.n ? d.v[0].msg : "");
		snprintf(name, sizeof(name), "cpp_%s", pp_cases[i].name);
		result(out && !d.nerrors && !strcmp(n, pp_cases[i].want), name, why);
		free(why);
		free(n);
		free(out);
		kt_diags_free(&d);
	}
	for (size_t i = 0; i < sizeof(pp_bad) / sizeof(pp_bad[0]); i++) {
		char *why;

		t = pp_first_diag(pp_bad[i].src, &o);
		why = malloc(strlen(t) + 512);
		sprintf(why, "want: %s\ngot:  %s", pp_bad[i].want, t);
		snprintf(name, sizeof(name), "cpp_diagnoses_%s", pp_bad[i].name);
		result(!strcmp(t, pp_bad[i].want), name, why);
		free(why);
		free(t);
	}

	/* without -C a directive is an error that names the fix */
	o.cpp = false;
	t = pp_first_diag("#define X 1\nBEGIN { }", &o);
	result(!strcmp(t, "t.d:1:1: error: #define needs the C preprocessor (ktrace -C); without it only #pragma and #line are understood"),
	       "directive_without_cpp_names_the_flag", t);
	free(t);
	o.cpp = true;

	/* -D NAME=VALUE, -D NAME (1), -U NAME, in command-line order */
	{
		const char *defs[] = { "DX=5", "DY", "U__ktrace", "DZ=1", "UZ" };
		struct kt_diags d = { 0 };
		char *out, *n;

		o.cpp_defs = defs;
		o.ncpp_defs = 5;
		out = kt_preprocess("X Y __ktrace Z", "t.d", &o, &d);
		n = out ? pp_norm(out) : strdup("(failed)");
		result(!strcmp(n, "5 1 __ktrace Z"), "cpp_command_line_defines_and_undefines", n);
		free(n);
		free(out);
		kt_diags_free(&d);
		o.cpp_defs = NULL;
		o.ncpp_defs = 0;
	}

	if (!mkdtemp(dir)) {
		result(false, "cpp_include_tests", "mkdtemp failed");
		return;
	}
	snprintf(path, sizeof(path), "%s/defs.h", dir);
	pp_write(path, "#define A 1\n#define B 2\n#define C 3\n#include \"sub/more.h\"\n");
	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/sub/more.h", dir);
	pp_write(path, "#define D 4\n");
	snprintf(path, sizeof(path), "%s/bad.h", dir);
	pp_write(path, "#define Q 1\n\nBEGIN { x = ; }\n");
	snprintf(path, sizeof(path), "%s/self.h", dir);
	pp_write(path, "#include \"self.h\"\n");

	/* "file" relative to the includer, nested, then lines of the includer are right */
	snprintf(src, sizeof(src), "#include \"%s/defs.h\"\n\nBEGIN { x = A + B + C + D; y = ; }", dir);
	t = pp_first_diag(src, &o);
	result(!strcmp(t, "t.d:3:32: error: syntax error near \";\""), "cpp_include_keeps_includer_lines", t);
	free(t);
	snprintf(src, sizeof(src), "#include \"%s/defs.h\"\nBEGIN { trace(A + B + C + D); }", dir);
	t = pp_first_diag(src, &o);
	result(!*t, "cpp_include_nested_relative", t);
	free(t);

	/* an error in an included file names that file, its line and its text */
	{
		struct kt_diags d;
		struct kt_prog *p;

		snprintf(src, sizeof(src), "#include \"%s/bad.h\"\nBEGIN { }", dir);
		p = compile_o(src, &o, &d);
		snprintf(path, sizeof(path), "%s/bad.h", dir);
		result(!p && d.n && d.v[0].file && !strcmp(d.v[0].file, path) && d.v[0].line == 3 &&
		       d.v[0].col == 13 && d.v[0].srcline && !strcmp(d.v[0].srcline, "BEGIN { x = ; }"),
		       "cpp_error_in_include_points_into_it", d.n ? d.v[0].msg : "no error");
		kt_prog_free(p);
		kt_diags_free(&d);
	}

	/* <file> and "file" through -I, in order; -H's callback sees each with its depth */
	{
		const char *inc[] = { "/nonexistent", dir };

		o.cpp_incdirs = inc;
		o.ncpp_incdirs = 2;
		o.cpp_included = pp_included;
		pp_log[0] = '\0';
		t = pp_first_diag("#include <defs.h>\nBEGIN { trace(A + D); }", &o);
		result(!*t && !strcmp(pp_log, "1:defs.h;2:more.h;"), "cpp_include_search_path", *t ? t : pp_log);
		free(t);
		o.cpp_incdirs = NULL;
		o.ncpp_incdirs = 0;
		o.cpp_included = NULL;
	}

	/* a file including itself stops at the depth limit */
	snprintf(src, sizeof(src), "#include \"%s/self.h\"\n", dir);
	t = pp_first_diag(src, &o);
	result(strstr(t, "self.h:1:1: error: #include nested more than 32 deep") != NULL,
	       "cpp_include_depth_limited", t);
	free(t);

	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		fprintf(stderr, "# could not remove %s\n", dir);
}

/* ----- kernel types (BTF) ----- */

/*
 * A small BTF file: struct foo { int a; char name[8]; struct foo *next;
 * union { long u; }; int bits : 3; int sb : 5; int wide : 20; }, to
 * check offsets exactly, and
 * long foo_fn(struct foo *a, int bits), and enum fooe { FA = 1 } of 2 bytes,
 * unsigned.
 */
/* The consumer's text (or JSON) of print( )'s object BYTES at ADDR, of action ACT's type */
static char *print_text(const struct kt_prog *p, uint32_t act, const void *bytes, uint32_t n,
			uint64_t addr, uint64_t printsize, bool json, int nv)
{
	struct kt_val v[2] = {
		{ .enc = KTRACE_TYPE_BYTES, .dtype = KT_DT_BYTES, .bytes = bytes, .nbytes = n },
		{ .enc = KTRACE_TYPE_INT, .dtype = KT_DT_PTR, .i = (int64_t)addr },
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	if (act < p->nact_ptype && p->act_ptype[act]) {
		if (json)
			kt_json_object(m, p, p->act_ptype[act] - 1, v, nv, printsize);
		else
			kt_print_object(m, p, p->act_ptype[act] - 1, v, nv, printsize);
	}
	fclose(m);
	return buf;
}

static void check_text(const char *name, const char *got, const char *want)
{
	char *why = malloc(strlen(want) + (got ? strlen(got) : 0) + 32);

	sprintf(why, "want:\n%s\ngot:\n%s", want, got ? got : "(none)");
	result(got && !strcmp(got, want), name, why);
	free(why);
}

/* The C layout of the struct the D program declares: its bytes are print( )'s record. */
struct print_ts {
	int		a;
	char		b[5];
	union {
		uint8_t		c;
		uint64_t	d;
	} u;
	struct {
		void		*e;
		uint64_t	f;
	} s;
	bool		g;
	int		h;
	unsigned int	bf:4;
	int		neg:5;
	short		arr[3];
	long long	ll;
	unsigned char	uc[2];
};

#define PI(n)	"                                            " n	/* 44: past the probe columns */

/*
 * print(P): the object's bytes and P recorded (BYTES then P), its type
 * described (names, members, enumerators, bit-fields), shown as dtrace(1)
 * shows it: members by name and type, zeroed ones left out, char arrays to
 * their NUL, enums by name; printsize cuts it with "..." where the bytes end.
 */
static void test_print(void)
{
	static const char src[] =
		"enum eh { FIRSTVAL = 0, SECONDVAL = 1, THIRDVAL = 3 };\n"
		"struct ts { int a; char b[5]; union { __u8 c; __u64 d; } u;\n"
		"  struct { void *e; uint64_t f; } s; bool g; enum eh h;\n"
		"  unsigned int bf : 4; int neg : 5; short arr[3]; long long ll;\n"
		"  unsigned char uc[2]; };\n"
		"BEGIN { t = (struct ts *)alloca(sizeof (struct ts)); print(t); print(t->a); }\n";
	struct kt_compile_opts o = base_opts();
	struct print_ts ts;
	struct kt_diags d;
	struct kt_prog *p = compile_o(src, &o, &d);
	char log[4096], *t;
	bool ok;

	if (!p) {
		t = diags_text(&d);
		result(false, "print_struct_records_bytes_and_pointer", t);
		free(t);
		kt_diags_free(&d);
		return;
	}
	ok = p->nactions >= 2 && p->actions[0].kind == KTRACE_ACT_PRINT &&
	     p->actions[0].nargs == 2 && p->actions[0].arg_types[0] == KT_DT_BYTES &&
	     p->actions[0].arg_types[1] == KT_DT_PTR && p->nact_ptype >= 1 && p->act_ptype[0] &&
	     (p->nact_ptype < 2 || !p->act_ptype[1]) && !verify_prog(p, log, sizeof(log));
	result(ok, "print_struct_records_bytes_and_pointer", log);
	ok = p->nactions >= 2 && p->actions[1].kind == KTRACE_ACT_PRINT &&
	     p->actions[1].nargs == 1 && p->actions[1].arg_types[0] == KT_DT_S32;
	result(ok, "print_integer_records_its_value", "");
	ok = p->nact_ptype && p->act_ptype[0] &&
	     p->ptypes[p->act_ptype[0] - 1].size == sizeof(struct print_ts);
	snprintf(log, sizeof(log), "D size %u, C size %zu", ok ? 0 :
		 p->nact_ptype && p->act_ptype[0] ? p->ptypes[p->act_ptype[0] - 1].size : 0,
		 sizeof(struct print_ts));
	result(ok, "print_struct_type_size_is_c_layout", log);

	memset(&ts, 0, sizeof(ts));
	ts.a = 1;
	memcpy(ts.b, "test", 5);
	ts.u.d = 123456789;
	ts.s.e = (void *)0xffff9b7aca7e0000ull;
	ts.s.f = 987654321;
	ts.g = 1;
	ts.h = 1;
	ts.bf = 9;
	ts.neg = -3;
	ts.arr[0] = 1;
	ts.arr[2] = -2;
	ts.ll = -7;
	ts.uc[0] = 'A';
	t = print_text(p, 0, &ts, sizeof(ts), 0x1000, 8192, false, 2);
	check_text("print_struct_members_by_type", t,
		   "0x1000 = *\n"
		   PI("(struct ts) {\n")
		   PI(" .a = (int)1,\n")
		   PI(" .b = (char [5]) [\n")
		   PI("  (char)'t',\n") PI("  (char)'e',\n") PI("  (char)'s',\n") PI("  (char)'t',\n")
		   PI(" ],\n")
		   PI(" .u = (union) {\n")
		   PI("  .c = (__u8)21,\n")
		   PI("  .d = (__u64)123456789,\n")
		   PI(" },\n")
		   PI(" .s = (struct) {\n")
		   PI("  .e = (void *)0xffff9b7aca7e0000,\n")
		   PI("  .f = (uint64_t)987654321,\n")
		   PI(" },\n")
		   PI(" .g = (bool)1,\n")
		   PI(" .h = (enum eh)SECONDVAL,\n")
		   PI(" .bf = (unsigned int)9,\n")
		   PI(" .neg = (int)-3,\n")
		   PI(" .arr = (short [3]) [\n")
		   PI("  (short)1,\n") PI("  (short)0,\n") PI("  (short)-2,\n")
		   PI(" ],\n")
		   PI(" .ll = (long long)-7,\n")
		   PI(" .uc = (unsigned char [2]) [\n")	/* not chars: numbers, to the end */
		   PI("  (unsigned char)65,\n") PI("  (unsigned char)0,\n")
		   PI(" ],\n")
		   PI("}\n"));
	free(t);

	/* printsize 20: d (bytes 16..23) is past it; the union's '}' after the "..." */
	t = print_text(p, 0, &ts, sizeof(ts), 0x1000, 20, false, 2);
	check_text("print_printsize_cuts_with_ellipsis", t,
		   "0x1000 = *\n"
		   PI("(struct ts) {\n")
		   PI(" .a = (int)1,\n")
		   PI(" .b = (char [5]) [\n")
		   PI("  (char)'t',\n") PI("  (char)'e',\n") PI("  (char)'s',\n") PI("  (char)'t',\n")
		   PI(" ],\n")
		   PI(" .u = (union) {\n")
		   PI("  .c = (__u8)21,\n")
		   PI("  ...\n")
		   PI(" },\n")
		   PI("}\n"));
	free(t);

	/* zeroed members are left out, a char array ends at its first NUL */
	memset(&ts, 0, sizeof(ts));
	memcpy(ts.b, "\0est", 5);
	ts.h = 3;
	t = print_text(p, 0, &ts, sizeof(ts), 0x2000, 8192, false, 2);
	check_text("print_zeroed_members_left_out", t,
		   "0x2000 = *\n"
		   PI("(struct ts) {\n")
		   PI(" .b = (char [5]) [\n")
		   PI(" ],\n")
		   PI(" .h = (enum eh)THIRDVAL,\n")
		   PI("}\n"));
	free(t);

	/* -x format=json: every member by name, chars as a string, enums by name */
	ts.a = -5;
	memcpy(ts.b, "ab", 3);
	ts.u.d = 300;
	ts.neg = -1;
	t = print_text(p, 0, &ts, sizeof(ts), 0x2000, 8192, true, 2);
	check_text("print_json_object", t,
		   ",\"address\":8192,\"type\":\"struct ts\",\"value\":{\"a\":-5,\"b\":\"ab\","
		   "\"u\":{\"c\":44,\"d\":300},\"s\":{\"e\":0,\"f\":0},\"g\":0,\"h\":\"THIRDVAL\","
		   "\"bf\":0,\"neg\":-1,\"arr\":[0,0,0],\"ll\":0,\"uc\":[0,0]}");
	free(t);
	kt_prog_free(p);
	kt_diags_free(&d);

	/* print(S) of a struct value: a variable's words, *p's bytes; no address */
	p = compile_o("struct pv { int a; char c; short s; } v; BEGIN { v.a = 7; print(v); "
		      "t = (struct pv *)alloca(sizeof (struct pv)); print(*t); }", &o, &d);
	ok = p && p->nactions >= 2 && p->nact_ptype >= 2 && p->act_ptype[0] && p->act_ptype[1] &&
	     p->actions[0].kind == KTRACE_ACT_PRINT && (p->actions[0].flags & KT_ACTF_WORDS) &&
	     p->actions[1].kind == KTRACE_ACT_PRINT && p->actions[1].nargs == 1 &&
	     p->actions[1].arg_types[0] == KT_DT_BYTES && !verify_prog(p, log, sizeof(log));
	result(ok, "print_struct_value_records_its_bytes", p ? log : "no program");
	if (p) {
		static const unsigned char pv[8] = { 7, 0, 0, 0, 0, 0, 0xff, 0xff };

		t = print_text(p, 1, pv, sizeof(pv), 0, 8192, false, 1);
		check_text("print_struct_value_has_no_address", t,
			   PI("(struct pv) {\n") PI(" .a = (int)7,\n") PI(" .s = (short)-1,\n")
			   PI("}\n"));
		free(t);
		t = print_text(p, 1, pv, sizeof(pv), 0, 8192, true, 1);
		check_text("print_struct_value_json_has_no_address", t,
			   ",\"type\":\"struct pv\",\"value\":{\"a\":7,\"c\":0,\"s\":-1}");
		free(t);
	}
	kt_prog_free(p);
	kt_diags_free(&d);
}

static bool write_test_btf(const char *path)
{
	static const char strs[] =
		"\0int\0char\0foo\0a\0name\0next\0bits\0u\0long\0foo_fn\0sb\0wide\0fooe\0FA";
	enum { S_INT = 1, S_CHAR = 5, S_FOO = 10, S_A = 14, S_NAME = 16, S_NEXT = 21,
	       S_BITS = 26, S_U = 31, S_LONG = 33, S_FN = 38, S_SB = 45, S_WIDE = 48,
	       S_FOOE = 53, S_FA = 58 };
	uint32_t t[] = {
		/* 1: int */		S_INT, 1u << 24, 4, (1u << 24) | 32,
		/* 2: char */		S_CHAR, 1u << 24, 1, (1u << 24) | 8,
		/* 3: char[8] */	0, 3u << 24, 0, 2, 1, 8,
		/* 4: struct foo */	S_FOO, (4u << 24) | (1u << 31) | 7, 40,
					S_A, 1, 0, S_NAME, 3, 32, S_NEXT, 5, 128,
					0, 6, 192, S_BITS, 1, (3u << 24) | 256,
					S_SB, 1, (5u << 24) | 259, S_WIDE, 1, (20u << 24) | 264,
		/* 5: struct foo * */	0, 2u << 24, 4,
		/* 6: union { long u; } */ 0, (5u << 24) | 1, 8, S_U, 7, 0,
		/* 7: long */		S_LONG, 1u << 24, 8, (1u << 24) | 64,
		/* 8: long (struct foo *, int) */ 0, (13u << 24) | 2, 7, S_A, 5, S_BITS, 1,
		/* 9: foo_fn */		S_FN, 12u << 24, 8,
		/* 10: enum fooe */	S_FOOE, (6u << 24) | 1, 2, S_FA, 1,
	};
	struct {
		uint16_t magic; uint8_t version, flags; uint32_t hdr_len;
		uint32_t type_off, type_len, str_off, str_len;
	} h = { 0xeB9F, 1, 0, 24, 0, sizeof(t), sizeof(t), sizeof(strs) };
	FILE *f = fopen(path, "w");
	bool ok;

	if (!f)
		return false;
	ok = fwrite(&h, sizeof(h), 1, f) == 1 && fwrite(t, sizeof(t), 1, f) == 1 &&
	     fwrite(strs, sizeof(strs), 1, f) == 1;
	return !fclose(f) && ok;
}

static const struct {
	const char	*name, *src, *want;	/* want: first diagnostic, "" to compile */
} btf_cases[] = {
	{ "btf_unknown_member", "BEGIN { f = (struct foo *)arg0; trace(f->nosuch); }",
	  "t.d:1:40: error: struct foo has no member named nosuch" },
	{ "btf_dot_on_pointer", "BEGIN { f = (struct foo *)arg0; trace(f.a); }",
	  "t.d:1:40: error: operator . cannot be applied to a value of type \"struct foo *\"" },
	/* a pointer to a struct neither BTF nor D has: a forward tag (C's incomplete type) */
	{ "btf_unknown_struct", "BEGIN { trace(((struct bar *)arg0)->a); }",
	  "t.d:1:35: error: struct bar is incomplete: it is neither a kernel type nor defined in D" },
	{ "btf_unknown_struct_value", "struct bar b;",
	  "t.d:1:8: error: struct bar is not a kernel type" },
	{ "btf_forward_tag_defined_later",
	  "struct bar *q; struct bar { int a; long b; }; BEGIN { q = (struct bar *)arg0; trace(q->b); trace(sizeof(struct bar)); }",
	  "" },
	{ "btf_forward_tag_pointer_kept_and_cast",
	  "struct in { int i; }; struct out { int o; }; translator struct out < struct opaque *p > { o = ((struct in *)p)->i; }; BEGIN { trace(xlate<struct out>((struct opaque *)arg0).o); }",
	  "" },
	{ "btf_kernel_enum_is_an_integer_of_its_size",
	  "enum fooe e; BEGIN { e = (enum fooe)-1; @[sizeof(enum fooe)] = sum(e); }", "" },
	{ "btf_unknown_enum", "BEGIN { trace(sizeof(enum nosuch)); }",
	  "t.d:1:27: error: enum nosuch is not declared" },
	{ "btf_forward_tag_arithmetic", "BEGIN { p = (union nou *)arg0; trace((uint64_t)(p + 1)); }",
	  "t.d:1:20: error: union nou is incomplete: it is neither a kernel type nor defined in D" },
	{ "btf_bit_field", "BEGIN { trace(((struct foo *)arg0)->bits); }", "" },
	{ "btf_char_array_last_index", "BEGIN { trace(((struct foo *)arg0)->name[7]); }", "" },
	{ "btf_char_array_index_out_of_bounds", "BEGIN { trace(((struct foo *)arg0)->name[8]); }",
	  "t.d:1:42: error: index 8 is out of range for array name of 8" },
	{ "btf_bit_field_no_address", "BEGIN { trace(&((struct foo *)arg0)->bits); }",
	  "t.d:1:15: error: cannot take the address of bit-field bits" },
	{ "btf_member_address", "BEGIN { f = (struct foo *)arg0; trace(&f->name); trace(&f->next[1]); trace(&f->a); }", "" },
	/* print( ) of an incomplete type: no size to show */
	{ "btf_print_incomplete_type", "BEGIN { print((struct nosuch *)arg0); }",
	  "t.d:1:23: error: struct nosuch is incomplete: it is neither a kernel type nor defined in D" },
	{ "btf_struct_value_printed", "BEGIN { print(*(struct foo *)arg0); print(((struct foo *)arg0)->next[0]); }", "" },
	{ "btf_struct_key_is_not_a_value", "BEGIN { @[((struct foo *)arg0)->next[0]] = count(); }",
	  "t.d:1:31: error: \"struct foo\" is not a value: use its members (s.member) or a pointer to it" },
	{ "btf_member_of_integer", "BEGIN { trace(arg0->a); }",
	  "t.d:1:19: error: no type information for member a of \"int64_t\": cast to a struct pointer first (and only args->FIELD of tracepoints has fields without one)" },
	{ "btf_fbt_args_typed", "fbt::foo_fn:entry { trace(args[0]->next->a); trace(args[1]); } fbt::foo_fn:return { trace(args[1]); }", "" },
	{ "btf_fbt_args_untyped_with_globs", "fbt::foo_*:entry { trace(args[0]->a); }",
	  "t.d:1:33: error: no type information for member a of \"int64_t\": cast to a struct pointer first (and only args->FIELD of tracepoints has fields without one)" },
	{ "btf_fbt_return_arg0_is_offset", "fbt::foo_fn:return { trace(args[0]->a); }",
	  "t.d:1:35: error: no type information for member a of \"int64_t\": cast to a struct pointer first (and only args->FIELD of tracepoints has fields without one)" },
	{ "btf_fbt_int_arg_is_int", "fbt::foo_fn:entry { printf(\"%s\", args[1]); }",
	  "t.d:1:34: error: printf( ) argument #2 is incompatible with conversion #1 prototype:" },
	{ "btf_good", "BEGIN { f = (struct foo *)arg0; trace(f->a); trace(f->name); trace(f->next->u); trace((*f).a); trace(f->next[1].a); trace(f == f->next); }", "" },
};

/*
 * The kernel's types are read when a program names one, never for the D
 * library's declarations: `BEGIN { exit(0); }` with the library (which
 * declares uio_rw_t and spinlock_t) reads no BTF; a cast to a kernel
 * struct, or a _t name the program itself declares, reads it once.
 */
static void test_btf_read_on_need(const struct kt_compile_opts *base)
{
	static const struct {
		const char	*name, *src;
		unsigned int	reads;
	} cases[] = {
		{ "btf_not_read_for_a_program_naming_no_kernel_type", "BEGIN { exit(0); }", 0 },
		{ "btf_read_once_for_a_kernel_struct_cast",
		  "BEGIN { trace(((struct foo *)arg0)->a); exit(0); }", 1 },
		{ "btf_read_once_for_a_program_declaring_a_t_name",
		  "typedef int my_count_t; BEGIN { exit(0); }", 1 },
	};
	struct kt_compile_opts o = *base;
	struct kt_dlib lib;
	char why[300];

	if (kt_dlib_load(NULL, 0, &lib, why, sizeof(why)) || !lib.n) {
		result(false, "btf_read_on_need_library_loads", why);
		return;
	}
	o.lib_srcs = (const char *const *)lib.texts;
	o.lib_names = (const char *const *)lib.names;
	o.nlib = lib.n;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int before = kt_btf_reads;
		struct kt_diags d;
		struct kt_prog *p = compile_o(cases[i].src, &o, &d);
		char *t = diags_text(&d);

		snprintf(why, sizeof(why), "%u reads of BTF, want %u; %s", kt_btf_reads - before,
			 cases[i].reads, p ? "compiled" : t);
		result(p && kt_btf_reads - before == cases[i].reads, cases[i].name, why);
		free(t);
		kt_prog_free(p);
		kt_diags_free(&d);
	}
	kt_dlib_free(&lib);
}

static void test_btf(void)
{
	char path[] = "/tmp/ktrace-btf-XXXXXX", name[96];
	struct kt_compile_opts o = base_opts();
	int fd = mkstemp(path);
	struct kt_diags d;
	struct kt_prog *p;
	char *t, log[4096];

	if (fd < 0 || !write_test_btf(path)) {
		result(false, "btf_test_file", "could not write a BTF file in /tmp");
		return;
	}
	close(fd);
	o.btf_path = path;
	test_btf_read_on_need(&o);
	for (size_t i = 0; i < sizeof(btf_cases) / sizeof(btf_cases[0]); i++) {
		char *why;

		t = pp_first_diag(btf_cases[i].src, &o);
		why = malloc(strlen(t) + 512);
		sprintf(why, "want: %s\ngot:  %s", btf_cases[i].want, t);
		snprintf(name, sizeof(name), "%s", btf_cases[i].name);
		result(!strcmp(t, btf_cases[i].want), name, why);
		free(why);
		free(t);
	}

	/*
	 * bit-fields, exactly: bits (int, 3 at bit 256) is byte 32 << 61 sar 61;
	 * sb (signed, 5 at bit 259) byte 32 << 56 sar 59; wide (signed, 20 at
	 * bit 264) 4 bytes at 33 << 44 sar 44
	 */
	p = compile_o("BEGIN { f = (struct foo *)arg0; trace(f->bits); trace(f->sb); trace(f->wide); }",
		      &o, &d);
	if (p) {
		static const int64_t want[][5] = {	/* addi, ldk size, shl, shift, op */
			{ 32, 1, 61, 61, KTRACE_OP_SAR },
			{ 32, 1, 56, 59, KTRACE_OP_SAR },
			{ 33, 4, 44, 44, KTRACE_OP_SAR },
		};
		int found = 0;

		for (uint32_t i = 0; i + 6 < p->ninsns && found < 3; i++) {
			const struct ktrace_insn *x = &p->insns[i];
			const int64_t *w = want[found];

			if (x[0].op == KTRACE_OP_ADDI && x[0].imm == w[0] &&
			    x[1].op == KTRACE_OP_LDK && x[1].imm == w[1] &&
			    x[2].op == KTRACE_OP_SETI && x[2].imm == w[2] && x[3].op == KTRACE_OP_SHL &&
			    x[4].op == KTRACE_OP_SETI && x[4].imm == w[3] && x[5].op == w[4])
				found++;
		}
		snprintf(log, sizeof(log), "%d of 3 bit-field reads as expected", found);
		result(found == 3 && !verify_prog(p, log, sizeof(log)), "btf_bit_field_reads_exact", log);
	} else {
		t = diags_text(&d);
		result(false, "btf_bit_field_reads_exact", t);
		free(t);
	}
	kt_prog_free(p);
	kt_diags_free(&d);

	/*
	 * print( ) of a kernel struct: its members from BTF, an anonymous union,
	 * bit-fields (bits 3, sb -3, wide -2 in bytes 32..35), a pointer
	 */
	p = compile_o("BEGIN { print((struct foo *)arg0); }", &o, &d);
	if (p) {
		static const unsigned char foo[40] = {
			7, 0, 0, 0, 'a', 'b', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0x00, 0x10, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0,
			0xeb, 0xfe, 0xff, 0x0f, 0, 0, 0, 0,
		};

		t = print_text(p, 0, foo, sizeof(foo), 0x1234, 8192, false, 2);
		check_text("btf_print_kernel_struct", t,
			   "0x1234 = *\n"
			   PI("(struct foo) {\n")
			   PI(" .a = (int)7,\n")
			   PI(" .name = (char [8]) [\n")
			   PI("  (char)'a',\n") PI("  (char)'b',\n")
			   PI(" ],\n")
			   PI(" .next = (struct foo *)0x1000,\n")
			   PI(" (union) {\n")
			   PI("  .u = (long)5,\n")
			   PI(" },\n")
			   PI(" .bits = (int)3,\n")
			   PI(" .sb = (int)-3,\n")
			   PI(" .wide = (int)-2,\n")
			   PI("}\n"));
		free(t);
		/* JSON: the anonymous union's member among the struct's own, as C names it */
		t = print_text(p, 0, foo, sizeof(foo), 0x1234, 8192, true, 2);
		check_text("btf_print_kernel_struct_json", t,
			   ",\"address\":4660,\"type\":\"struct foo\",\"value\":{\"a\":7,"
			   "\"name\":\"ab\",\"next\":4096,\"u\":5,\"bits\":3,\"sb\":-3,\"wide\":-2}");
		free(t);
	} else {
		t = diags_text(&d);
		result(false, "btf_print_kernel_struct", t);
		free(t);
	}
	kt_prog_free(p);
	kt_diags_free(&d);

	/* the offsets and loads the members compile to, exactly */
	p = compile_o("BEGIN { f = (struct foo *)arg0; printf(\"%s\", f->name); trace(f->next->u); trace(f->next[2].a); trace(f->name); }",
		      &o, &d);
	if (p) {
		bool name4 = false, next16 = false, u24 = false, ld8 = false, kstr = false, scale40 = false;
		bool bytes = false;	/* trace() of the char array: its bytes */

		for (uint32_t i = 0; i < p->ninsns; i++) {
			const struct ktrace_insn *x = &p->insns[i];

			name4 |= x->op == KTRACE_OP_ADDI && x->imm == 4;
			/* f->next, a load at offset 16: the offset in the load's imm */
			next16 |= x->op == KTRACE_OP_LDK && x->imm == KTRACE_LD_IMM(8, 16);
			u24 |= (x->op == KTRACE_OP_ADDI && x->imm == 24) ||
			       (x->op == KTRACE_OP_LDK && KTRACE_LD_OFF(x->imm) == 24);
			ld8 |= x->op == KTRACE_OP_LDK && (x->imm & KTRACE_LD_SIZE_MASK) == 8;
			kstr |= x->op == KTRACE_OP_CALL && x->imm == KTRACE_SUBR_KSTRING;
			scale40 |= x->op == KTRACE_OP_SETI && x->imm == 40;
			bytes |= x->op == KTRACE_OP_PUSH && x->imm == KTRACE_TT_BYTES && i > 2 &&
				 p->insns[i - 1].op == KTRACE_OP_ADDI && p->insns[i - 1].imm == 4 &&
				 p->insns[i - 3].op == KTRACE_OP_SETI && p->insns[i - 3].imm == 8 &&
				 p->insns[i - 3].rd == x->rs2;
		}
		result(name4 && next16 && u24 && ld8 && kstr && scale40 && bytes &&
		       !verify_prog(p, log, sizeof(log)),
		       "btf_member_offsets_exact", log);
	} else {
		t = diags_text(&d);
		result(false, "btf_member_offsets_exact", t);
		free(t);
	}
	kt_prog_free(p);
	kt_diags_free(&d);

	/* sizeof a struct is its BTF size */
	p = compile_o("BEGIN { trace(sizeof(*(struct foo *)arg0)); }", &o, &d);
	{
		bool seti40 = false;

		for (uint32_t i = 0; p && i < p->ninsns; i++)
			seti40 |= p->insns[i].op == KTRACE_OP_SETI && p->insns[i].imm == 40;
		t = diags_text(&d);
		result(seti40, "btf_sizeof_struct", t);
		free(t);
	}
	kt_prog_free(p);
	kt_diags_free(&d);

	/* a kernel enum is an integer of its BTF size and signedness: 2 * 100000 + 65535 */
	p = compile_o("BEGIN { trace(sizeof(enum fooe) * 100000 + (enum fooe)-1); }", &o, &d);
	{
		bool want = false;

		for (uint32_t i = 0; p && i < p->ninsns; i++)
			want |= p->insns[i].op == KTRACE_OP_SETI && p->insns[i].imm == 265535;
		t = diags_text(&d);
		result(want, "btf_kernel_enum_size_and_sign", t);
		free(t);
	}
	kt_prog_free(p);
	kt_diags_free(&d);

	/* BTF asked for but unreadable: said once, where it was needed */
	o.btf_path = "/nonexistent/vmlinux";
	t = pp_first_diag("BEGIN { trace(((struct foo *)arg0)->a); }", &o);
	result(!strcmp(t, "t.d:1:24: error: kernel types are not available: /nonexistent/vmlinux: No such file or directory"),
	       "btf_missing_file_diagnosed", t);
	free(t);
	pp_write(path, "not a BTF file at all");
	o.btf_path = path;
	t = pp_first_diag("BEGIN { trace(((struct foo *)arg0)->a); }", &o);
	result(strstr(t, "kernel types are not available") && strstr(t, "not a BTF file"),
	       "btf_malformed_file_diagnosed", t);
	free(t);
	/* curthread without types is an opaque pointer, as before */
	t = pp_first_diag("BEGIN { trace(curthread); }", &o);
	result(!*t, "btf_curthread_opaque_without_types", t);
	free(t);
	unlink(path);

	/* the running kernel's own types, when this machine has them */
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		ntest++;
		printf("ok %d btf_host_kernel_types # SKIP no /sys/kernel/btf/vmlinux\n", ntest);
		return;
	}
	o.btf_path = "/sys/kernel/btf/vmlinux";
	p = compile_o("BEGIN { trace(curthread->pid); trace(curthread->comm); "
		      "trace(curthread->real_parent->tgid); trace(curthread->thread_pid->numbers[0].nr); "
		      "trace(curthread->se.vruntime); }", &o, &d);
	t = diags_text(&d);
	result(p && !verify_prog(p, log, sizeof(log)), "btf_host_kernel_types", p ? log : t);
	free(t);
	kt_prog_free(p);
	kt_diags_free(&d);
	/*
	 * The lock subroutines are loads of the lock's word through the kernel's
	 * types: mutex_owner() masks the owner's three flag bits (~7),
	 * rw_iswriter() a qrwlock's writer bits (0x1ff) or, under PREEMPT_RT,
	 * tests READER_BIAS; mutex_type_adaptive() is the constant 1.
	 */
	p = compile_o("fbt::mutex_lock:return { m = (struct mutex *)arg0; trace(mutex_owned(m)); "
		      "trace(mutex_owner(m)); trace(mutex_owner(m)->pid); "
		      "trace(mutex_type_adaptive(m) * 10 + mutex_type_spin(m)); } "
		      "fbt::_raw_read_lock:entry { trace(rw_read_held(args[0])); "
		      "trace(rw_write_held(args[0])); trace(rw_iswriter(args[0])); }", &o, &d);
	t = diags_text(&d);
	{
		bool flags7 = false, wmask = false, ten = false;

		for (uint32_t i = 0; p && i < p->ninsns; i++) {
			const struct ktrace_insn *x = &p->insns[i];

			flags7 |= x->op == KTRACE_OP_SETI && x->imm == ~7;
			/* a qrwlock's writer bits, or PREEMPT_RT's reader count */
			wmask |= x->op == KTRACE_OP_SETI && (x->imm == 0x1ff || x->imm == 0x3fffffff);
			ten |= x->op == KTRACE_OP_SETI && x->imm == 10;
		}
		result(p && flags7 && wmask && ten && !verify_prog(p, log, sizeof(log)),
		       "btf_host_lock_subroutines", p ? log : t);
	}
	free(t);
	kt_prog_free(p);
	kt_diags_free(&d);
	/*
	 * A kernel typedef of a struct is a D type name (rwlock_t, an anonymous
	 * struct's): casts, sizeof and declarations take it; a name ending in
	 * _t that the kernel has no such typedef for stays a variable.
	 */
	p = compile_o("rwlock_t *g; fbt::_raw_read_lock:entry { self->r = (rwlock_t *)arg0; g = self->r; "
		      "trace(rw_read_held(self->r)); trace(rw_iswriter(g)); trace(sizeof(rwlock_t)); "
		      "not_a_kernel_type_t = 1; trace(not_a_kernel_type_t); }", &o, &d);
	t = diags_text(&d);
	result(p && !verify_prog(p, log, sizeof(log)), "btf_host_kernel_typedef_is_a_type_name",
	       p ? log : t);
	free(t);
	kt_prog_free(p);
	kt_diags_free(&d);
	/* their argument is the lock they take */
	t = pp_first_diag("BEGIN { trace(mutex_owned((struct task_struct *)arg0)); }", &o);
	result(strstr(t, "mutex_owned( ) argument #1 is incompatible with prototype:") != NULL,
	       "btf_host_mutex_owned_takes_a_mutex", t);
	free(t);
	t = pp_first_diag("BEGIN { trace(rw_iswriter((struct mutex *)arg0)); }", &o);
	result(strstr(t, "rw_iswriter( ) argument #1 is incompatible with prototype:") != NULL,
	       "btf_host_rw_iswriter_takes_a_rwlock", t);
	free(t);
	t = pp_first_diag("BEGIN { trace(rw_read_held(arg0)); }", &o);
	result(strstr(t, "rw_read_held( ) argument #1 is incompatible with prototype:") != NULL,
	       "btf_host_rw_read_held_takes_a_pointer", t);
	free(t);
	/* trace() of an array of structs: its bytes, RLIM_NLIMITS (16) struct rlimit of 16 */
	p = compile_o("BEGIN { trace(curthread->signal->rlim); }", &o, &d);
	t = diags_text(&d);
	{
		bool bytes256 = false;

		for (uint32_t i = 0; p && i < p->ninsns; i++) {
			const struct ktrace_insn *x = &p->insns[i];

			if (x->op == KTRACE_OP_PUSH && x->imm == KTRACE_TT_BYTES)
				for (uint32_t j = 0; j < i; j++)
					bytes256 |= p->insns[j].op == KTRACE_OP_SETI &&
						    p->insns[j].rd == x->rs2 && p->insns[j].imm == 256;
		}
		result(p && bytes256 && p->actions[0].arg_types[0] == KT_DT_BYTES &&
		       !verify_prog(p, log, sizeof(log)), "btf_host_trace_array_bytes", p ? log : t);
	}
	free(t);
	kt_prog_free(p);
	kt_diags_free(&d);
}

int main(void)
{
	printf("KTAP version 1\n");
	test_good();
	test_bad();
	test_exact();
	test_printf_action();
	test_trace_bytes();
	test_print();
	test_agg_descs();
	test_default_action();
	test_probespecs();
	test_options();
	test_builtins_from_uapi();
	test_destructive_w();
	test_tracepoint_args();
	test_default_error_clause();
	test_probe_only();
	test_multi_source();
	test_macro_args();
	test_loops_shape();
	test_robustness();
	test_perf();
	test_corpus();
	result(cpp_compared > 100 && !cpp_mismatch[0], "cpp_leaves_corpus_programs_unchanged",
	       cpp_mismatch);
	test_cpp();
	test_btf();
	printf("1..%d\n", ntest);
	printf("# %d tests, %d failed\n", ntest, nfail);
	return nfail ? 1 : 0;
}
