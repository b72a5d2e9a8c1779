// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace.c: main() and option handling, with dtrace(1)'s flags.
 *
 *   ktrace [-CeFlqSvVwZ] [-b bufsz] [-c cmd] [-m [prov:]mod] [-n name]
 *          [-o file] [-p pid] [-P prov] [-f [[prov:]mod:]func]
 *          [-s script [args]] [-x opt[=val]] [--format json]
 *
 * Exit status: 0 success, 1 error (compile errors included), 2 usage
 * error, otherwise the status given to exit().
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "cli.h"
#include "cmd.h"
#include "prov.h"
#include "kt_usdt.h"
#include "version.h"

/* long-only options (getopt_long values outside the short ones) */
#define KT_LOPT_SESSIONS	0x100
#define KT_LOPT_WATCH		0x101

/* ---------------------------------------------------------------- -h --- */

/*
 * -h -s provider.d [-o file.h]: the header of DTrace's -h (usdt_header.c),
 * to -o's file or to provider.h in the current directory; nothing is
 * written when the definitions have an error.
 */
static char *read_file(const char *path);

static int header_main(const char *dfile, const char *ofile)
{
	char *text = read_file(dfile), *buf = NULL, hname[4096];
	size_t len = 0;
	FILE *mem, *out;
	int err;

	if (!text) {
		fprintf(stderr, "%s: failed to open %s: %s\n", KT_PNAME, dfile, strerror(errno));
		return KT_EXIT_ERROR;
	}
	mem = open_memstream(&buf, &len);
	if (!mem)
		return KT_EXIT_ERROR;
	err = kt_usdt_header(dfile, text, mem);
	fclose(mem);
	free(text);
	if (err) {
		free(buf);
		return KT_EXIT_ERROR;
	}
	if (!ofile) {
		const char *b = strrchr(dfile, '/');
		size_t n;

		b = b ? b + 1 : dfile;
		n = strlen(b) > 2 && !strcmp(b + strlen(b) - 2, ".d") ? strlen(b) - 2 : strlen(b);
		snprintf(hname, sizeof(hname), "%.*s.h", (int)n, b);
		ofile = hname;
	}
	out = strcmp(ofile, "-") ? fopen(ofile, "w") : stdout;
	if (!out || fwrite(buf, 1, len, out) != len || (out != stdout && fclose(out))) {
		fprintf(stderr, "%s: failed to write %s: %s\n", KT_PNAME, ofile, strerror(errno));
		free(buf);
		return KT_EXIT_ERROR;
	}
	free(buf);
	return KT_EXIT_OK;
}

/* ------------------------------------------------------------- usage --- */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: %s [-CeFGhHlqSvVwZ] [-b bufsz] [-c cmd] [-D name[=def]] [-I path] [-L path]\n"
"\t[-o output] [-p pid] [-U name] [-x opt[=val]] [--format json]\n"
"\t[-P provider [[ predicate ] action ]]\n"
"\t[-m [ provider: ] module [[ predicate ] action ]]\n"
"\t[-f [[ provider: ] module: ] func [[ predicate ] action ]]\n"
"\t[-n [[[ provider: ] module: ] func: ] name [[ predicate ] action ]]\n"
"\t[-i probe-id [[ predicate ] action ]]\n"
"\t[-s script [ args ... ]]\n"
"\n"
"\tpredicate -> '/' D-expression '/'\n"
"\t   action -> '{' D-statements '}'\n"
"\n"
"\t-b  set trace buffer size\n"
"\t-c  run specified command and exit upon its completion\n"
"\t-C  run the C preprocessor on script files\n"
"\t-D  define symbol when invoking preprocessor\n"
"\t-e  exit after compiling and verifying (no module needed)\n"
"\t-f  enable or list probes matching the specified function name\n"
"\t-F  coalesce trace output by function\n"
"\t-G  (Linux needs no object file for USDT probes; says so)\n"
"\t-h  with -s provider.d: generate a C header of USDT probes; alone: this help\n"
"\t-H  print included files when invoking preprocessor\n"
"\t-i  enable or list probes matching the specified probe id\n"
"\t-I  add include directory to preprocessor search path\n"
"\t-L  add library directory to the D library search path\n"
"\t-l  list probes matching specified criteria\n"
"\t-m  enable or list probes matching the specified module name\n"
"\t-n  enable or list probes matching the specified probe name\n"
"\t-o  set output file\n"
"\t-p  grab specified process-ID and cache its symbol tables\n"
"\t-P  enable or list probes matching the specified provider name\n"
"\t-q  set quiet mode (only output explicitly traced data)\n"
"\t-s  enable or list probes according to the specified D script\n"
"\t-S  print D compiler intermediate code\n"
"\t-U  undefine symbol when invoking preprocessor\n"
"\t-v  set verbose mode: report stability attributes\n"
"\t-V  report ktrace API version\n"
"\t-w  permit destructive actions\n"
"\t-x  enable or modify compiler and tracing options\n"
"\t-Z  permit probe descriptions that match zero probes\n"
"\t-64 compile for the 64-bit data model (the only one; -32 is refused)\n"
"\t--format json  one JSON object per record and per aggregation\n"
"\t--sessions     list the tracing sessions of this host\n"
"\t--watch        print session events (started, stopped, aborted, drops)\n",
		KT_PNAME);
}

/*
 * dtrace's -64 and -32 (the data model D compiles for), before the other
 * options (getopt cannot take them): -64 is the kernel's LP64, ktrace's
 * only one, and is dropped; -32 (ILP32) is refused.  -1 after saying so.
 */
static int data_model(int *argc, char **argv)
{
	int i, j;

	for (i = j = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-32")) {
			fprintf(stderr, "%s: -32: ktrace compiles for the kernel's 64-bit data model (LP64, -64) only\n",
				KT_PNAME);
			return -1;
		}
		if (strcmp(argv[i], "-64"))
			argv[j++] = argv[i];
	}
	while (i < *argc)
		argv[j++] = argv[i++];
	argv[j] = NULL;
	*argc = j;
	return 0;
}

/* -H: the files #include'd, one per line on stderr, indented by depth (as cpp -H) */
static void print_included(void *ctx, const char *path, int depth)
{
	(void)ctx;
	for (int i = 0; i < depth; i++)
		fputc('.', stderr);
	fprintf(stderr, " %s\n", path);
}

static bool is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

/* NAME (identifier characters) up to the end or to one of STOP. */
static bool ident_ok(const char *s, const char *stop)
{
	for (; *s && !(*stop && strchr(stop, *s)); s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", KT_PNAME);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage(stderr);
	return KT_EXIT_USAGE;
}

/* A -D NAME[=VALUE] or -U NAME for the preprocessor ("DNAME=V", "UNAME"). */
static int add_cppdef(const char **defs, int *n, char c, const char *arg)
{
	char *d;

	if (!is_ident_start(*arg) || !ident_ok(arg, c == 'D' ? "=" : "")) {
		usage_error(c == 'D' ? "invalid -D '%s': NAME[=VALUE] expected" :
			    "invalid -U '%s': NAME expected", arg);
		return -1;
	}
	d = malloc(strlen(arg) + 2);
	if (!d)
		return -1;
	d[0] = c;
	strcpy(d + 1, arg);
	defs[(*n)++] = d;
	return 0;
}

/*
 * DTrace's preprocessor options as -x: cpp (-C), define (-D), undef (-U),
 * stdc (-X: a and t define __STDC__ as 0, c as 1, s leaves it undefined),
 * argref (a macro argument the program does not read is no error).  Returns 1
 * when NAME is one of them (and done), 0 when not, -1 on a bad value.
 */
static int cpp_xopt(const char *name, const char *val, bool *cflag, bool *argref,
		    const char **defs, int *n)
{
	if (!strcmp(name, "cpp")) {
		*cflag = true;
	} else if (!strcmp(name, "define") || !strcmp(name, "undef")) {
		if (add_cppdef(defs, n, name[0] == 'd' ? 'D' : 'U', val ? val : "") < 0)
			return -1;
	} else if (!strcmp(name, "stdc")) {
		if (!val || strlen(val) != 1 || !strchr("acst", val[0])) {
			fprintf(stderr, "%s: failed to set -x stdc: Invalid value for specified option\n",
				KT_PNAME);
			return -1;
		}
		if (val[0] != 's' && add_cppdef(defs, n, 'D', val[0] == 'c' ? "__STDC__=1" :
						"__STDC__=0") < 0)
			return -1;
	} else if (!strcmp(name, "argref")) {
		*argref = true;
	} else {
		return 0;
	}
	return 1;
}

/* ------------------------------------------------------- program text --- */


static char *read_file(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + 65536);

			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap += 65536;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (buf)
		buf[len] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
}

/*
 * Split the probe description part of -P/-m/-f/-n into a spec, fields
 * counted from the right as dtrace does.  The clause (predicate, body)
 * that may follow is ignored here (used for -l only).
 */

static char *src_text(const struct kt_src *s)
{
	const char *rest;
	char *t;
	size_t dl;

	if (s->kind == KT_SPEC_NAME)
		return strdup(s->arg);
	/* -P/-m/-f: pad the description with ':' to its position */
	dl = strcspn(s->arg, " \t\n/{");
	rest = s->arg + dl;
	t = malloc(strlen(s->arg) + 8);
	if (!t)
		return NULL;
	{
		int ncolon = 0;
		size_t i;

		for (i = 0; i < dl; i++)
			ncolon += s->arg[i] == ':';
		int want = s->kind == KT_SPEC_PROV ? 0 : s->kind == KT_SPEC_MOD ? 1 : 2;
		int pre = want - ncolon;
		int post = 3 - want;

		t[0] = '\0';
		for (i = 0; (int)i < pre; i++)
			strcat(t, ":");
		strncat(t, s->arg, dl);
		for (i = 0; (int)i < post; i++)
			strcat(t, ":");
		strcat(t, rest);
	}
	return t;
}

/* -------------------------------------------------------------- main --- */

/*
 * -lv: the D library's probe declarations (the types of args[]), from
 * dlib (loaded here from dirs and the default directory unless it is
 * already); 0, or -1 (said on stderr).
 */
static int list_decls(const char **dirs, int ndirs, struct kt_dlib *dlib,
		      struct kt_probe_decls *decls)
{
	struct kt_compile_opts copts = { .filename = "<library>" };
	struct kt_diags dd = { 0 };
	char why[160];
	int rc;

	if (!dlib->texts && kt_dlib_load(dirs, ndirs, dlib, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s: failed to load the D library: %s\n", KT_PNAME, why);
		return -1;
	}
	copts.lib_srcs = (const char *const *)dlib->texts;
	copts.lib_names = (const char *const *)dlib->names;
	copts.nlib = dlib->n;
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)	/* fbt's types */
		copts.btf_path = "/sys/kernel/btf/vmlinux";
	rc = kt_probe_decls_load(&copts, decls, &dd);
	kt_diags_print(&dd, stderr);
	kt_diags_free(&dd);
	if (rc < 0)
		fprintf(stderr, "%s: failed to read the D library's probe declarations\n", KT_PNAME);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "sessions", no_argument, NULL, KT_LOPT_SESSIONS },
		{ "watch", no_argument, NULL, KT_LOPT_WATCH },
		{ NULL, 0, NULL, 0 },
	};
	struct kt_cliopts o;
	struct kt_src *srcs;
	struct kt_compile_opts copts;
	struct kt_diags diags = { 0 };
	struct kt_session_args sa;
	struct kt_prog *prog = NULL;
	const char **texts, **names;
	const char *ofile = NULL, *cmd = NULL;
	char what[600], why[160];
	int nsrcs = 0, c, i, ret, nmacro, idfd;
	bool list = false, list_script = false, eflag = false, Sflag = false, Hflag = false;
	long target = 0;
	pid_t child = -1;
	int gofd = -1, errfd = -1;
	FILE *out = stdout;
	const char **cppdefs, **incdirs, **libdirs;
	int ncppdefs = 0, nincdirs = 0, nlibdirs = 0;
	struct kt_dlib dlib = { 0 };
	struct kt_probe_decls decls = { 0 };
	bool cflag = false, hflag = false, vflag = false, argref = false;

	kt_opts_init(&o);
	srcs = calloc(argc + 1, sizeof(*srcs));
	cppdefs = calloc(argc + 1, sizeof(*cppdefs));
	incdirs = calloc(argc + 1, sizeof(*incdirs));
	libdirs = calloc(argc + 1, sizeof(*libdirs));
	if (!srcs || !cppdefs || !incdirs || !libdirs)
		return KT_EXIT_ERROR;
	opterr = 0;
	if (data_model(&argc, argv) < 0)
		return KT_EXIT_USAGE;
	while ((c = getopt_long(argc, argv, "+b:c:CD:eFf:GhHi:I:lL:m:n:o:p:P:qs:SU:vVwx:Z", longopts, NULL)) != -1) {
		char *eq;
		int r;

		switch (c) {
		case 'b':
			if (kt_opt_set(&o, "bufsize", optarg, why, sizeof(why)) < 0) {
				/* as dtrace(1): a value refused is an error, not a usage error */
				fprintf(stderr, "%s: failed to set -b %s: %s\n", KT_PNAME, optarg, why);
				return KT_EXIT_ERROR;
			}
			break;
		case 'c':
			if (cmd || target)
				return usage_error("%s", "only one of -c or -p may be given");
			cmd = optarg;
			break;
		case 'C':
			cflag = true;
			break;
		case 'D':
		case 'U':
			if (add_cppdef(cppdefs, &ncppdefs, (char)c, optarg) < 0)
				return KT_EXIT_USAGE;
			break;
		case 'H':
			Hflag = true;
			break;
		case 'I':
			if (!*optarg)
				return usage_error("%s", "-I needs a directory");
			incdirs[nincdirs++] = optarg;
			break;
		case 'L':
			if (!*optarg)
				return usage_error("%s", "-L needs a directory");
			libdirs[nlibdirs++] = optarg;
			break;
		case 'e':
			eflag = true;
			break;
		case 'F':
			o.flowindent = true;
			break;
		case 'f':
			srcs[nsrcs++] = (struct kt_src){ KT_SPEC_FUNC, optarg, NULL, "<command line>", NULL };
			break;
		case 'h':
			hflag = true;
			break;
		case 'G':
			/* dtrace -G links probe definitions into an object: nothing to link here */
			fprintf(stderr, "%s: -G: Linux needs no object file: the header of ktrace -h defines the probes (sys/sdt.h notes) and their semaphores; compile and link the program as it is\n",
				KT_PNAME);
			return KT_EXIT_OK;
		case 'l':
			list = true;
			break;
		case 'm':
			srcs[nsrcs++] = (struct kt_src){ KT_SPEC_MOD, optarg, NULL, "<command line>", NULL };
			break;
		case 'n':
			srcs[nsrcs++] = (struct kt_src){ KT_SPEC_NAME, optarg, NULL, "<command line>", NULL };
			break;
		case 'i':
			srcs[nsrcs++] = (struct kt_src){ KT_SPEC_ID, optarg, NULL, "<command line>", NULL };
			break;
		case 'o':
			ofile = optarg;
			break;
		case 'p': {
			char *end;

			if (cmd || target)
				return usage_error("%s", "only one of -c or -p may be given");
			errno = 0;
			target = strtol(optarg, &end, 10);
			if (errno || *end || target <= 0 || target > 0x7fffffff)
				return usage_error("invalid pid: %s", optarg);
			if (kill((pid_t)target, 0) < 0 && errno == ESRCH) {
				fprintf(stderr, "%s: failed to grab pid %ld: No such process\n",
					KT_PNAME, target);
				return KT_EXIT_ERROR;
			}
			break;
		}
		case 'P':
			srcs[nsrcs++] = (struct kt_src){ KT_SPEC_PROV, optarg, NULL, "<command line>", NULL };
			break;
		case 'q':
			o.quiet = true;
			break;
		case 's':
			srcs[nsrcs++] = (struct kt_src){ KT_SPEC_FILE, optarg, NULL, optarg, NULL };
			break;
		case 'S':
			Sflag = true;
			break;
		case 'v':
			vflag = true;
			break;
		case 'V':
			/* the last word is the D version, as dtrace -V's ("-x version" takes it) */
			printf("%s: ktrace %s (ABI version %d), D %s\n", KT_PNAME, KTRACE_VERSION,
			       KTRACE_ABI_VERSION, KT_D_VERSION_STR);
			return KT_EXIT_OK;
		case 'w':
			o.destructive = true;
			break;
		case 'x':
			eq = strchr(optarg, '=');
			if (eq)
				*eq++ = '\0';
			if (!strcmp(optarg, "libdir")) {	/* the same as -L */
				if (!eq || !*eq)
					return usage_error("%s", "-x libdir needs a directory");
				libdirs[nlibdirs++] = eq;
				break;
			}
			if (!strcmp(optarg, "incdir")) {	/* the same as -I */
				if (!eq || !*eq)
					return usage_error("%s", "-x incdir needs a directory");
				incdirs[nincdirs++] = eq;
				break;
			}
			if (!strcmp(optarg, "errtags") && !eq) {	/* diagnostics with their tags */
				diags.tags = true;
				break;
			}
			r = cpp_xopt(optarg, eq, &cflag, &argref, cppdefs, &ncppdefs);
			if (r < 0)
				return KT_EXIT_ERROR;
			if (r > 0)
				break;
			if (kt_opt_set(&o, optarg, eq, why, sizeof(why)) < 0) {
				fprintf(stderr, "%s: failed to set -x %s: %s\n", KT_PNAME, optarg, why);
				return KT_EXIT_ERROR;
			}
			break;
		case 'Z':
			o.zdefs = true;
			break;
		case KT_LOPT_SESSIONS:
			return kt_genl_sessions(stdout);
		case KT_LOPT_WATCH:
			return kt_genl_watch(stdout);
		case 'J':
			if (kt_opt_set(&o, "format", optarg, why, sizeof(why)) < 0)
				return usage_error("unknown output format '%s' (text or json)", optarg);
			break;
		case '?':
		default:
			if (optopt && strchr("bcDfILmnopPsUx", optopt)) {
				fprintf(stderr, "%s: option requires an argument -- '%c'\n", KT_PNAME, optopt);
			} else if (optopt) {
				fprintf(stderr, "%s: illegal option -- %c\n", KT_PNAME, optopt);
			} else {
				fprintf(stderr, "%s: unrecognized option '%s'\n", KT_PNAME,
					argv[optind - 1]);
			}
			usage(stderr);
			return KT_EXIT_USAGE;
		}
	}
	nmacro = argc - optind;
	if (hflag) {
		for (i = 0; i < nsrcs && srcs[i].kind != KT_SPEC_FILE; i++)
			;
		if (i == nsrcs) {	/* -h alone: help */
			usage(stdout);
			return KT_EXIT_OK;
		}
		return header_main(srcs[i].arg, ofile);
	}

	/* -i: the probe of each id, as a description from here on */
	for (i = 0, idfd = -1; i < nsrcs; i++) {
		if (srcs[i].kind != KT_SPEC_ID)
			continue;
		srcs[i].owned = cmd_id_text(srcs[i].arg, &idfd);
		if (!srcs[i].owned) {
			if (idfd >= 0)
				close(idfd);
			return KT_EXIT_ERROR;
		}
		srcs[i].kind = KT_SPEC_NAME;
		srcs[i].arg = srcs[i].owned;
	}
	if (idfd >= 0)
		close(idfd);

	for (i = 0; list && i < nsrcs; i++)
		if (srcs[i].kind == KT_SPEC_FILE)
			list_script = true;
	if (list && !list_script) {
		/*
		 * Descriptions alone read no macro argument: one given is a
		 * mistyped command line (D_MACRO_UNUSED), unless -x argref.
		 */
		if (nmacro > 0 && !argref) {
			fprintf(stderr, "%s: invalid probe specifier %s: extraneous argument '%s' ($%d is not referenced)\n",
				KT_PNAME, nsrcs ? srcs[nsrcs - 1].arg : "", argv[argc - 1], nmacro);
			return KT_EXIT_ERROR;
		}
		if (ofile && !(out = fopen(ofile, "a"))) {
			fprintf(stderr, "%s: failed to open output file '%s': %s\n", KT_PNAME, ofile,
				strerror(errno));
			return KT_EXIT_ERROR;
		}
		if (cmd) {
			child = cmd_start_child(cmd, &gofd, &errfd);
			if (child < 0)
				return KT_EXIT_ERROR;
			target = child;
		}
		if (vflag && list_decls(libdirs, nlibdirs, &dlib, &decls) < 0) {
			kt_dlib_free(&dlib);
			return KT_EXIT_ERROR;
		}
		ret = cmd_list_probes(srcs, nsrcs, out, target, vflag ? &decls : NULL);
		kt_probe_decls_free(&decls);
		kt_dlib_free(&dlib);
		if (child > 0) {
			close(gofd);
			cmd_kill_child(child);
		}
		return ret;
	}
	if (nsrcs == 0 && eflag)
		return KT_EXIT_OK;	/* dtrace -e: the options checked, nothing to compile */
	if (nsrcs == 0) {
		usage(stderr);
		return KT_EXIT_USAGE;
	}

	texts = calloc(nsrcs, sizeof(*texts));
	names = calloc(nsrcs, sizeof(*names));
	if (!texts || !names)
		return KT_EXIT_ERROR;
	for (i = 0; i < nsrcs; i++) {
		if (srcs[i].kind == KT_SPEC_FILE) {
			struct stat stb;

			if (stat(srcs[i].arg, &stb) == 0 && S_ISDIR(stb.st_mode)) {
				errno = EISDIR;
				srcs[i].text = NULL;
			} else {
				srcs[i].text = read_file(srcs[i].arg);
			}
			if (!srcs[i].text) {
				fprintf(stderr, "%s: failed to open %s: %s\n", KT_PNAME, srcs[i].arg,
					strerror(errno));
				return KT_EXIT_ERROR;
			}
			/* #! line: blank it, keeping line numbers */
			if (srcs[i].text[0] == '#' && srcs[i].text[1] == '!')
				for (char *p = srcs[i].text; *p && *p != '\n'; p++)
					*p = ' ';
		} else {
			srcs[i].text = src_text(&srcs[i]);
			if (!srcs[i].text)
				return KT_EXIT_ERROR;
		}
		texts[i] = srcs[i].text;
		names[i] = srcs[i].name;
	}

	if (cmd && !eflag) {
		child = cmd_start_child(cmd, &gofd, &errfd);
		if (child < 0)
			return KT_EXIT_ERROR;
		target = child;
	}

	memset(&copts, 0, sizeof(copts));
	copts.filename = names[0];
	copts.macro_args = argv + optind;
	copts.nmacro_args = nmacro;
	copts.target_pid = (int)target;
	copts.strsize = (int)o.k.strsize;	/* 0: the kernel's default */
	copts.scratchsize = o.k.scratchsize;
	copts.printsize = (uint32_t)o.printsize;
	copts.destructive = o.destructive;
	copts.defaultargs = o.defaultargs;
	copts.dversion = o.dversion;
	copts.argref = argref;
	copts.ustack_dwarf = o.ustackmode != 0;
	copts.one_cpu = o.cpu >= 0;
	copts.cpu = (uint32_t)o.cpu;
	copts.tp_format = kt_tp_format;
	copts.ksym_addr = kt_ksym_addr;	/* `sym: /proc/kallsyms, read only if used */	/* args->FIELD from tracefs formats */
	copts.error_clause = !list_script;	/* run (or verified as it would run) */
	/* kernel types for struct pointers and curthread, read only if a program needs them */
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		copts.btf_path = "/sys/kernel/btf/vmlinux";
	copts.cpp = cflag;
	copts.cpp_defs = cppdefs;
	copts.ncpp_defs = ncppdefs;
	copts.cpp_incdirs = incdirs;
	copts.ncpp_incdirs = nincdirs;
	copts.cpp_included = Hflag ? print_included : NULL;
	if (kt_dlib_load(libdirs, nlibdirs, &dlib, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s: failed to load the D library: %s\n", KT_PNAME, why);
		ret = KT_EXIT_ERROR;
		goto out;
	}
	copts.lib_srcs = (const char *const *)dlib.texts;
	copts.lib_names = (const char *const *)dlib.names;
	copts.nlib = dlib.n;
	prog = kt_compile(texts, names, nsrcs, &copts, &diags);
	kt_diags_print(&diags, stderr);
	if (!prog || diags.nerrors) {
		/* the diagnostics say it all, with file, line and caret */
		if (diags.nerrors)
			;
		else if (srcs[0].kind == KT_SPEC_FILE)
			fprintf(stderr, "%s: failed to compile script %s\n", KT_PNAME, srcs[0].arg);
		else
			fprintf(stderr, "%s: failed to compile script\n", KT_PNAME);
		ret = KT_EXIT_ERROR;
		goto out;
	}
	for (i = 0; i < prog->noptions; i++) {
		if (kt_opt_set(&o, prog->options[i].name, prog->options[i].value, why,
			       sizeof(why)) < 0) {
			fprintf(stderr, "%s: failed to set option %s: %s\n", KT_PNAME,
				prog->options[i].name, why);
			ret = KT_EXIT_ERROR;
			goto out;
		}
	}
	if (prog->destructive && !o.destructive) {
		fprintf(stderr, "%s: failed to enable the program: destructive actions not allowed (use -w)\n",
			KT_PNAME);
		ret = KT_EXIT_ERROR;
		goto out;
	}
	if (vflag && !list_script)	/* -l -v: each probe's report instead */
		cmd_print_stability(prog, srcs, nsrcs, stdout);
	kt_opts_finish(&o);
	o.k.flags = (o.destructive ? KTRACE_OPT_F_DESTRUCTIVE : 0) |
		    (o.destructive && o.nodeadman ? KTRACE_OPT_F_NODEADMAN : 0) |
		    (o.ustackmode ? KTRACE_OPT_F_USTACK_DWARF : 0);
	o.k.target_pid = (uint32_t)target;

	if (list_script) {
		/* -l -s: compiled (errors reported), then listed, not run */
		if (ofile && !(out = fopen(ofile, "a"))) {
			fprintf(stderr, "%s: failed to open output file '%s': %s\n", KT_PNAME,
				ofile, strerror(errno));
			ret = KT_EXIT_ERROR;
			goto out;
		}
		if (vflag && list_decls(NULL, 0, &dlib, &decls) < 0) {
			ret = KT_EXIT_ERROR;
			goto out;
		}
		ret = cmd_list_prog(prog, out, target, vflag ? &decls : NULL);
		goto out;
	}
	if (eflag || Sflag) {
		ret = kt_host_check(prog, &o, Sflag, stdout);
		if (eflag || ret)
			goto out;
	}

	if (ofile && !(out = fopen(ofile, "a"))) {
		fprintf(stderr, "%s: failed to open output file '%s': %s\n", KT_PNAME, ofile,
			strerror(errno));
		ret = KT_EXIT_ERROR;
		goto out;
	}
	if (srcs[0].kind == KT_SPEC_FILE)
		snprintf(what, sizeof(what), "script '%s'", srcs[0].arg);
	else
		snprintf(what, sizeof(what), "description '%.500s'", srcs[0].arg);
	memset(&sa, 0, sizeof(sa));
	sa.prog = prog;
	sa.opts = &o;
	sa.out = out;
	sa.what = what;
	sa.target_pid = (int)target;
	sa.target_is_child = child > 0;
	if (child > 0 && cmd_shows_user_addrs(prog))
		cmd_seize_child(child);
	else if (child <= 0 && target > 0 && cmd_shows_user_addrs(prog))
		sa.target_traced = cmd_seize_target((pid_t)target, vflag);
	sa.child_go_fd = gofd;
	sa.child_err_fd = errfd;
	gofd = errfd = -1;
	ret = kt_consume_run(&sa);
	if (sa.target_is_child && sa.target_pid > 0) {
		cmd_kill_child(child);
	}
	if (sa.target_traced && sa.target_pid > 0)
		cmd_release_target(sa.target_pid);
	child = -1;
out:
	if (child > 0) {
		/* never released: it is stopped before its first instruction */
		if (gofd >= 0)
			close(gofd);
		cmd_kill_child(child);
	}
	if (errfd >= 0)
		close(errfd);
	if (out != stdout)
		fclose(out);
	kt_probe_decls_free(&decls);
	kt_dlib_free(&dlib);
	kt_diags_free(&diags);
	if (prog)
		kt_prog_free(prog);
	for (i = 0; i < nsrcs; i++) {
		free(srcs[i].text);
		free(srcs[i].owned);
	}
	free(srcs);
	free(texts);
	free(names);
	return ret;
}
