/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktrace user space: the interfaces between the compiler (dt_*.c), the
 * probe catalogue (probes.c, sym.c) and the consumer/CLI (ktrace.c,
 * consumer.c, format.c, aggprint.c).
 */
#ifndef KTRACE_USER_H
#define KTRACE_USER_H

#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <linux/ktrace.h>

/* ----- display types (ktrace_action_desc.arg_types, agg key types) ----- */
enum kt_dtype {
	KT_DT_S64 = 0,	/* signed integers by width */
	KT_DT_S32,
	KT_DT_S16,
	KT_DT_S8,
	KT_DT_U64,	/* unsigned integers by width */
	KT_DT_U32,
	KT_DT_U16,
	KT_DT_U8,
	KT_DT_PTR,	/* pointer: printed in hex */
	KT_DT_STRING,
	KT_DT_STACK,	/* kernel stack */
	KT_DT_USTACK,	/* user stack */
	KT_DT_SYM,	/* kernel address printed as symbol+off */
	KT_DT_USYM,	/* user address printed as symbol */
	KT_DT_MOD,	/* kernel address printed as module */
	KT_DT_UMOD,	/* user address printed as module */
	KT_DT_CHAR,	/* char */
	KT_DT_UPID,	/* pid for the user address (USYM/UMOD) that follows it; not
			 * printed by itself and not matched by a printf conversion */
	KT_DT_USAMPLE,	/* a user stack sample (ustackmode=dwarf): decoded, unwound,
			 * into a KT_DT_USTACK value */
	/*
	 * ustackmode=dwarf: a value the consumer derives from a user stack
	 * sample (recorded as KTRACE_TYPE_USAMPLE, see kt_dt_from_usample),
	 * decoded into a KTRACE_TYPE_INT value of the display type noted
	 */
	KT_DT_UCALLER,		/* ucaller: the second frame (KT_DT_U64) */
	KT_DT_UCALLER_SYM,	/* usym/ufunc/uaddr(ucaller) (KT_DT_USYM) */
	KT_DT_UCALLER_MOD,	/* umod(ucaller) (KT_DT_UMOD) */
	KT_DT_USTACKDEPTH,	/* ustackdepth: the frames unwound (KT_DT_U32) */
	KT_DT_FLOAT,	/* the bits of a float (the low 32 of the integer) */
	KT_DT_DOUBLE,	/* the bits of a double */
	KT_DT_BYTES,	/* bytes (KTRACE_TYPE_BYTES): trace() of a struct, union or
			 * array, tracemem(); shown as a hex dump */
	KT_DT_MAX
};

static inline bool kt_dt_from_usample(int dtype)
{
	return dtype >= KT_DT_UCALLER && dtype <= KT_DT_USTACKDEPTH;
}

/* ----- probe specifications from the program ----- */
struct kt_probespec {
	char	prov[KTRACE_PROVNAMELEN];	/* glob patterns, "" = any */
	char	mod[KTRACE_MODNAMELEN];
	char	func[KTRACE_FUNCNAMELEN];
	char	name[KTRACE_NAMELEN];
	const char *file;			/* where it was written */
	int	line, col;
	int	task;		/* count only this process (cpc), set by the consumer; 0: all */
	bool	prov_implied;	/* prov not written: BEGIN, tick-1s... (-v's attributes) */
};

/*
 * DTrace's stability attributes (dtrace -v): the stability of names and of
 * data (KT_STAB_*) and the dependency class (KT_CLASS_*), least first, with
 * the names -v prints: X(ID, "Name").
 */
#define KT_STABILITIES(X) \
	X(INTERNAL, "Internal") X(PRIVATE, "Private") X(OBSOLETE, "Obsolete") \
	X(EXTERNAL, "External") X(UNSTABLE, "Unstable") X(EVOLVING, "Evolving") \
	X(STABLE, "Stable") X(STANDARD, "Standard")
#define KT_CLASSES(X) \
	X(UNKNOWN, "Unknown") X(CPU, "CPU") X(PLATFORM, "Platform") X(GROUP, "Group") \
	X(ISA, "ISA") X(COMMON, "Common")
#define KT_STAB_ENUM(id, name)	KT_STAB_##id,
#define KT_CLASS_ENUM(id, name)	KT_CLASS_##id,
enum { KT_STABILITIES(KT_STAB_ENUM) KT_NSTABS };
enum { KT_CLASSES(KT_CLASS_ENUM) KT_NCLASSES };
struct kt_attr {
	uint8_t		name, data, class;
};
/* a provider's attributes, of each part of its probes' descriptions and of their arguments */
enum { KT_ATTR_PROVIDER, KT_ATTR_MODULE, KT_ATTR_FUNCTION, KT_ATTR_NAME, KT_ATTR_ARGS,
       KT_ATTR_NPARTS };
#define KT_ATTR(n, d, c)	{ KT_STAB_##n, KT_STAB_##d, KT_CLASS_##c }
/* each of the three the lesser */
static inline struct kt_attr kt_attr_min(struct kt_attr a, struct kt_attr b)
{
	struct kt_attr m = {
		.name = a.name < b.name ? a.name : b.name,
		.data = a.data < b.data ? a.data : b.data,
		.class = a.class < b.class ? a.class : b.class,
	};
	return m;
}

struct kt_clause_info {
	struct kt_probespec	*specs;
	int			nspecs;
	int			src;		/* kt_compile()'s srcs[src]; -1 or past: not one */
	struct kt_attr		desc_attr;	/* its probe descriptions' (the least) */
	struct kt_attr		stmt_attr;	/* its predicate's and actions' (the least) */
	/* the predicate holds only in $target or its progeny (-c/-p): cpc counts only those */
	bool			target_only;
};

/* An option set by #pragma D option or -x. */
struct kt_option {
	char	*name;
	char	*value;		/* NULL for a flag option */
};

/*
 * The option table (options.c): every option of -x, -b, #pragma D option
 * and setopt(), with how its value is written, its default and its range.
 */
enum kt_optkind {
	KT_OPT_FLAG,		/* no value, or 1/0, set/unset, true/false */
	KT_OPT_SIZE,		/* bytes, with k/m/g/t suffixes */
	KT_OPT_COUNT,		/* a plain number */
	KT_OPT_RATE,		/* 10hz, 100ms, 1s...: an interval in ns */
	KT_OPT_POLICY,		/* switch, fill or ring (enum ktrace_bufpolicy) */
	KT_OPT_FORMAT,		/* text or json */
	KT_OPT_USTACKMODE,	/* fp or dwarf */
	KT_OPT_VERSION,		/* a D version MAJOR.MINOR[.MICRO], at most KT_D_VERSION */
	KT_OPT_UNSUPPORTED,	/* a DTrace option ktrace does not implement */
};

/* The D language version ktrace implements (DTrace's 2.0), as -V prints it. */
#define KT_D_VERSION_STR	"2.0"
#define KT_D_VERSION(maj, min, mic)	(((uint64_t)(maj) << 24) | ((min) << 12) | (mic))

/* Where an option takes effect (bits). */
#define KT_OPTW_CLI		(1U << 0)	/* the consumer: output, rates */
#define KT_OPTW_COMPILER	(1U << 1)	/* compiling the program */
#define KT_OPTW_KERNEL		(1U << 2)	/* sent with LOAD (struct ktrace_opts) */

struct kt_optdesc {
	const char		*name;
	enum kt_optkind		kind;
	unsigned int		where;		/* KT_OPTW_* */
	size_t			off, size;	/* its field in the CLI's options */
	uint64_t		def, min, max;	/* default; accepted range */
};

/* The option NAME (or one of its aliases), or NULL. */
const struct kt_optdesc *kt_opt_lookup(const char *name);
/*
 * Parse VAL (NULL for NAME alone) for option NAME and check its range:
 * 0 with *dp and *out set, or -1 with the reason in why ("Invalid option
 * name", "Option not supported by ktrace", ...); *dp is NULL for an
 * unknown name.
 */
int kt_opt_parse(const char *name, const char *val, const struct kt_optdesc **dp,
		 uint64_t *out, char *why, size_t whylen);

/*
 * print( )'s types (dt_ptype.c builds them, ptype.c shows values of them):
 * the object a print( )ed pointer points to, described for the consumer,
 * which gets only its bytes.  A table (struct kt_prog.ptypes) whose entries
 * refer to each other by index: a struct's members, an array's element.
 */
enum kt_ptkind {
	KT_PT_INT,	/* size 1, 2, 4, 8; sign; ischar: a char (in an array: 'c') */
	KT_PT_PTR,	/* an address */
	KT_PT_ENUM,	/* an integer shown by its enumerator's name */
	KT_PT_FLOAT,	/* float (4), double (8) */
	KT_PT_STRUCT,
	KT_PT_UNION,
	KT_PT_ARRAY,	/* nelems of elem */
	KT_PT_OPAQUE,	/* a type the consumer cannot show (its size in bytes only) */
};

struct kt_ptmember {
	char		*name;		/* "" for an anonymous struct or union */
	uint32_t	type;		/* index in the table */
	uint32_t	bitoff;		/* from the start of the struct */
	uint8_t		bits;		/* a bit-field's width, 0 if it is none */
};

struct kt_ptenum {
	char		*name;
	int64_t		val;
};

struct kt_ptype {
	char		*name;		/* as DTrace shows it: "struct sk_buff", "char [5]", "__u8" */
	uint8_t		kind;		/* enum kt_ptkind */
	bool		sign;		/* INT, ENUM */
	bool		ischar;		/* INT */
	uint32_t	size;		/* bytes */
	uint32_t	elem, nelems;	/* ARRAY */
	uint32_t	n;		/* STRUCT, UNION: members; ENUM: enumerators */
	struct kt_ptmember *m;
	struct kt_ptenum *e;
	uint32_t	key;		/* the compiler's: the type it describes (shared) */
};

/* print( )'s default printsize: the bytes of an object shown (and recorded) at most */
#define KT_DEF_PRINTSIZE	8192

/*
 * The compiler's output: the object's sections (without enablings, which
 * the CLI adds once probes are resolved) plus what the consumer needs.
 */
struct kt_prog {
	struct ktrace_insn		*insns;
	uint32_t			ninsns;
	int64_t				*ints;
	uint32_t			nints;
	char				*strtab;
	uint32_t			strtab_size;
	struct ktrace_var_desc		*vars;
	uint32_t			nvars;
	struct ktrace_agg_desc		*aggs;
	uint32_t			naggs;
	uint8_t				(*agg_key_dtypes)[KTRACE_MAX_KEYS]; /* [naggs] */
	uint8_t				*agg_val_dtype;	/* [naggs]: sum/min/max display type */
	struct ktrace_action_desc	*actions;
	uint32_t			nactions;
	struct ktrace_clause_desc	*clauses;
	uint32_t			nclauses;
	struct kt_clause_info		*cinfo;		/* [nclauses] */
	struct kt_option		*options;	/* pragmas, in order */
	int				noptions;
	bool				destructive;	/* uses destructive actions */
	int				errclause;	/* the default ERROR clause's index, or -1 */
	struct kt_ptype			*ptypes;	/* print( )'s types */
	uint32_t			nptypes;
	uint32_t			nact_ptype;	/* act_ptype[] entries (<= nactions) */
	uint32_t			*act_ptype;	/* [nactions]: print( )'s object's
							 * type + 1; 0: a value as trace( ) */
};

/*
 * Action flag (ktrace_action_desc.flags, ignored by the kernel) of the
 * default ERROR clause (kt_compile_opts.error_clause): its one action
 * records ERROR's arg1..arg5, which the consumer prints as DTrace's
 * "error in clause N for probe ID P" message.
 */
#define KT_ACTF_DEFERR	0x80000000u
/*
 * trace() of a struct variable: the action's values are the words that
 * hold it, one value of (flags & KT_ACTF_WORDS_NBYTES) bytes from byte
 * (flags >> KT_ACTF_WORDS_SKIP_SHIFT) & 7 of the first (record.c)
 */
#define KT_ACTF_WORDS		0x40000000u
#define KT_ACTF_WORDS_NBYTES	0xffffu
#define KT_ACTF_WORDS_SKIP_SHIFT 16

/* ----- printf formats (fmtspec.c): one parser for the compiler and the consumer ----- */
#define KT_FMT_STAR	(-2)	/* a width or precision given as '*' */
/* A width or precision larger than this, written or from a '*' argument, is this. */
#define KT_FMT_MAX_WIDTH	16777216	/* 16M: DTrace prints widths of 10M */
#define KT_FMT_PTR_WIDTH	16	/* the width of a '?' flag: a 64-bit pointer in hex */

struct kt_fmtspec {
	const char	*start;		/* the conversion as written, after its '%'... */
	size_t		len;		/* ...len bytes, its conversion character included */
	const char	*flags;		/* its flag characters ('@', '?' included)... */
	int		nflags;		/* ...nflags of them */
	bool		agg;		/* an '@' flag: printa()'s aggregation value */
	int		width;		/* -1: none; KT_FMT_STAR */
	int		prec;		/* -1: none; KT_FMT_STAR */
	bool		qmark;		/* a '?' after the precision */
	int		lmod;		/* 0, 'h', 'H' (hh), 'l', 'L' (ll), 'j', 'z', 't' */
	char		badlen;		/* a length modifier after lmod, or 0 */
	char		conv;		/* the conversion character; 0: the format ended */
};

/* Parse the conversion at *pp (just after its '%') and move *pp past it. */
void kt_fmt_parse(const char **pp, struct kt_fmtspec *sp);

/* ----- diagnostics (dt_diag.c) ----- */
enum kt_diag_kind { KT_DIAG_ERROR, KT_DIAG_WARNING, KT_DIAG_NOTE };

struct kt_diag {
	enum kt_diag_kind	kind;
	char			*file;		/* malloc'd, or NULL */
	int			line, col;	/* 1-based; 0: unknown */
	char			*msg;
	const char		*tag;		/* DTrace-style tag, e.g. "D_PRINTF_ARG_PROTO", or NULL */
	char			*srcline;	/* the source line, for the caret */
};

struct kt_diags {
	struct kt_diag	*v;
	int		n, cap;
	int		nerrors;
	bool		tags;	/* print each one's tag, "[D_TAG] " (-x errtags) */
};

void kt_diags_print(const struct kt_diags *d, FILE *f);
void kt_diags_free(struct kt_diags *d);

/* ----- the compiler (dt_compile.c drives the passes) ----- */

/* One field of a tracepoint's raw record (from .../events/SUBSYS/EVENT/format). */
struct kt_tp_field {
	char	name[64];
	int	offset, size;	/* bytes, relative to the record start */
	bool	is_signed;
	bool	is_string;	/* char[N] array or __data_loc char[] */
	bool	is_data_loc;	/* __data_loc TYPE[]: u32 at offset, data at record +
				 * (low 16 bits), length in bytes in the high 16 */
	bool	is_array;	/* NAME[N] */
	char	type[128];	/* C type as written in the format file ("const char *";
				 * of an array: its element's), or "" */
};

struct kt_compile_opts {
	const char	*filename;	/* for diagnostics: "<command line>" for -n */
	char		**macro_args;	/* $1..$N (argv of -s FILE args / trailing args) */
	int		nmacro_args;
	int		target_pid;	/* $target, 0 if none */
	int		strsize;	/* string size for type checking (256) */
	uint32_t	scratchsize;	/* alloca() bytes per clause, 0: the default (256) */
	uint32_t	printsize;	/* print( ): an object's bytes recorded at most,
					 * 0: the default (KT_DEF_PRINTSIZE) */
	bool		destructive;	/* -w given */
	bool		probe_only;	/* -n PATTERN with no clause body: just specs (for -l) */
	bool		defaultargs;	/* -x defaultargs: a missing $N reads as 0 or "" */
	uint64_t	dversion;	/* -x version: the D version (KT_D_VERSION), 0: ktrace's */
	bool		argref;		/* -x argref: a macro argument the program never reads is no error */
	bool		ustack_dwarf;	/* -x ustackmode=dwarf: ustack() values are stack samples */
	/*
	 * -x cpu=N: every clause gets "cpu == N" first in its predicate, but
	 * those of providers that fire where the session starts and stops
	 * (BEGIN, END: KT_PROV_ANYCPU), which DTrace runs on CPU N.
	 */
	bool		one_cpu;
	uint32_t	cpu;
	/*
	 * Append the default ERROR clause (dtrace:::ERROR, one KT_ACTF_DEFERR
	 * action), so every fault is reported even without a user ERROR clause.
	 */
	bool		error_clause;
	/*
	 * -C: run the C preprocessor (dt_cpp.c) over each source first.
	 * cpp_defs: -D NAME[=VALUE] and -U NAME in command-line order, as
	 * "DNAME[=VALUE]" / "UNAME"; cpp_incdirs: -I DIR, searched in order;
	 * cpp_included (may be NULL): called with each file #include'd and
	 * its nesting depth (1: included by the program), for -H.
	 */
	bool		cpp;
	/*
	 * Kernel types (BTF) for struct pointers, -> and . on kernel
	 * structures and curthread: the file to read them from when a
	 * program needs them (the CLI: /sys/kernel/btf/vmlinux), or NULL.
	 * kt_btf_reads counts the reads (a program that names no kernel
	 * type, its library included, never reads it: start-up time).
	 */
	const char	*btf_path;
	const char *const *cpp_defs;
	int		ncpp_defs;
	const char *const *cpp_incdirs;
	int		ncpp_incdirs;
	void		(*cpp_included)(void *ctx, const char *path, int depth);
	void		*cpp_ctx;
	/*
	 * Tracepoint record layouts, for args->FIELD in tracepoint:SUBSYS:EVENT
	 * clauses (tracepoint provider: module = SUBSYS, function or name =
	 * EVENT).  Fills *fields with a malloc'd array the compiler free()s and
	 * *n with its length; returns 0 or a negative errno.  NULL: no layouts
	 * (args-> on a tracepoint is then an error).
	 */
	/*
	 * The D library (user/dlib.c reads it): nlib sources of declarations
	 * only, parsed before the program; kernel struct names in them are
	 * looked up in BTF only when the program uses them.
	 */
	/*
	 * `sym and `mod`sym: the address of a kernel symbol (mod NULL: any;
	 * "vmlinux": the kernel's own); 0, -ENOENT or -EPERM (addresses
	 * hidden).  NULL: kernel symbols cannot be referenced.
	 */
	int		(*ksym_addr)(void *ctx, const char *mod, const char *name,
				     uint64_t *addr);
	void		*ksym_ctx;
	const char *const *lib_srcs;
	const char *const *lib_names;
	int		nlib;
	int		(*tp_format)(void *ctx, const char *subsys, const char *event,
				     struct kt_tp_field **fields, int *n);
	void		*tp_ctx;
};

/* times a compilation read btf_path (dt_btf.c) */
extern unsigned int kt_btf_reads;

/* Compile one or more sources (several -n/-s are concatenated in order). */
struct kt_prog *kt_compile(const char *const *srcs, const char *const *names, int nsrcs,
			   const struct kt_compile_opts *opts, struct kt_diags *diags);
void kt_prog_free(struct kt_prog *p);
/* -C's preprocessing alone: the text the lexer would read (malloc'd), or NULL (diagnosed). */
char *kt_preprocess(const char *src, const char *name, const struct kt_compile_opts *opts,
		    struct kt_diags *diags);

/*
 * The probes the D library declares (provider NAME { probe ...; }, user/
 * lib/): the types of their args[] as declared, the declarations the
 * compiler types args[N] by (dtrace -lv's "Argument Types").
 */
struct kt_probe_decl {
	char	*prov;
	char	*name;		/* as probes are named: "__" is "-" */
	int	nargs;
	char	**args;		/* args[i]'s type as written: "lwpsinfo_t *" */
};
struct kt_probe_decls {
	struct kt_probe_decl	*v;
	int			n;
	void			*btf;	/* the kernel's types (fbt), or NULL */
	struct kt_probe_decl	fbt;	/* the last fbt probe's (kt_probe_decls_types) */
};
/*
 * Parse opts' library (lib_srcs) and read the kernel's types (btf_path,
 * if given and readable): 0, or -1 (diagnosed in diags).
 */
int kt_probe_decls_load(const struct kt_compile_opts *opts, struct kt_probe_decls *out,
			struct kt_diags *diags);
/* The declaration of probe prov:::name, or NULL. */
const struct kt_probe_decl *kt_probe_decls_find(const struct kt_probe_decls *d,
						const char *prov, const char *name);
/*
 * The args[] types of probe p as a program's args[N] has them: its
 * provider's declaration's, or an fbt probe's from its function's
 * prototype (args[0] of a return probe is its untyped offset); NULL when
 * they are untyped.  An fbt probe's are valid until the next call.
 */
const struct kt_probe_decl *kt_probe_decls_types(struct kt_probe_decls *d,
						 const struct ktrace_probe_desc *p);
void kt_probe_decls_free(struct kt_probe_decls *d);

/* Serialise with enablings into a ktrace object (malloc'd). */
int kt_prog_serialize(const struct kt_prog *p, const struct ktrace_enabling *en,
		      uint32_t nen, void **objp, uint32_t *sizep);

/* ----- the probe catalogue (probes.c) ----- */
struct kt_probe {
	struct ktrace_probe_desc	d;	/* id filled once known to the kernel */
};

struct kt_catalog {
	struct kt_probe	*v;
	int		n, cap;
};

/* Glob matching as DTrace does: *, ?, [...], \ escapes. */
bool kt_glob_match(const char *pattern, const char *s);
/*
 * Find every probe matching spec, creating kernel ids as needed
 * (fbt from available_filter_functions + /proc/kallsyms, uprobes from
 * ELF symbols). fd is an open /dev/ktrace. Appends to out.
 */
int kt_probes_match(int fd, const struct kt_probespec *spec, int target_pid,
		    struct kt_catalog *out);
/* After the last kt_probes_match() of one resolution: providers drop their caches. */
void kt_probes_match_done(void);
/*
 * For -l: every probe filter (NULL: any) matches, with its id when the
 * kernel has it (a description creates what it lists; pid and uprobe
 * probes are created as kt_probes_match() does); a negative errno.
 */
int kt_probes_list(int fd, const struct kt_probespec *filter, struct kt_catalog *out);
void kt_catalog_free(struct kt_catalog *c);
/*
 * The raw record layout of tracepoint SUBSYS:EVENT from tracefs
 * events/SUBSYS/EVENT/format, for kt_compile_opts.tp_format (ctx unused).
 * *fields is malloc'd (caller frees); 0 or a negative errno.
 */
int kt_tp_format(void *ctx, const char *subsys, const char *event,
		 struct kt_tp_field **fields, int *n);

/* ----- symbols (sym.c) ----- */
/* "module`function+0x12" for a kernel address, into buf. */
void kt_ksym(uint64_t addr, char *buf, size_t size, bool with_offset);
int kt_ksym_addr(void *ctx, const char *mod, const char *name, uint64_t *addr);
void kt_kmod(uint64_t addr, char *buf, size_t size);
/* "libc.so.6`malloc+0x10" for a user address of process pid. */
void kt_usym(int pid, uint64_t addr, char *buf, size_t size, bool with_offset);
/*
 * -x noresolve: user addresses (usym, uaddr, ufunc, ustack frames) are not
 * resolved to symbols but printed as MODULE:0xOFFSET, the offset from the
 * object's lowest mapping (umod() still names the object)
 */
extern bool kt_usym_noresolve;
void kt_umod(int pid, uint64_t addr, char *buf, size_t size);
/* dtype KT_DT_SYM, _MOD, _USYM or _UMOD: kt_ksym, kt_kmod, kt_usym or kt_umod; hex when unknown */
void kt_addr_text(int dtype, int pid, uint64_t addr, bool with_offset, char *buf, size_t size);
/* A process whose user addresses will be printed: its mappings are cached
 * now, while it lives (-c/-p targets, pids of ustack()/usym() values). */
void kt_upid_note(int pid);
/* Read pid's mappings again now, and the symbols of its deleted files: it
 * is about to exit or replace its image (the -c target's ptrace stops). */
void kt_upid_learn(int pid);
/*
 * The file mappings known for pid (what kt_upid_note/learn read, kept after
 * it exits): fn for each, lo..hi mapped from file offset pgoff of file (as
 * /proc/PID/maps names it).  Returns a generation number that changes
 * whenever they change (0: none known); fn may be NULL.
 */
unsigned int kt_umaps(int pid, void (*fn)(void *arg, uint64_t lo, uint64_t hi, uint64_t pgoff,
					  const char *file), void *arg);
/* Read pid's mappings again if it lives and addr is in none known: true if it is now. */
bool kt_umap_refresh(int pid, uint64_t addr);

/* ----- user stacks from samples (unwind.c) ----- */
/*
 * Unwind a ustackmode=dwarf sample of process pid from the call frame
 * information of its mapped files (libdw): at most max return addresses
 * into pcs, the sample's ip first.  Returns the frames stored.
 */
uint32_t kt_unwind(int pid, const struct ktrace_uregs *regs, const uint8_t *stack,
		   uint32_t size, uint64_t *pcs, uint32_t max);
/* Where the function of (module holding) user address addr starts; addr
 * when unknown.  Aggregation keys of usym()/ufunc() (umod()) are by it. */
uint64_t kt_usym_func(int pid, uint64_t addr);
uint64_t kt_umod_base(int pid, uint64_t addr);

#endif /* KTRACE_USER_H */
