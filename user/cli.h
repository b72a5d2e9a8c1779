/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h: private interfaces of the ktrace CLI/consumer (ktrace.c,
 * consumer.c, format.c, aggprint.c, json.c).  Not shared with the
 * compiler or the probe catalogue: those talk through kt_user.h.
 */
#ifndef KTRACE_CLI_H
#define KTRACE_CLI_H

#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include "kt_user.h"
#include "kt_json.h"

#define KT_PNAME	"ktrace"

/* Exit statuses (dtrace(1)). */
#define KT_EXIT_OK	0
#define KT_EXIT_ERROR	1
#define KT_EXIT_USAGE	2

/* Everything the options (-x, pragmas, setopt()) control: options.c's table. */
struct kt_cliopts {
	struct ktrace_opts	k;		/* sent with LOAD */
	bool			quiet;
	bool			flowindent;
	bool			destructive;
	bool			zdefs;
	bool			json;
	bool			rawbytes;
	bool			noresolve;	/* user addresses as MODULE:0xOFFSET */
	bool			aggsortkey;
	bool			aggsortrev;
	bool			aggpercpu;	/* printed entries show each CPU's value too */
	int			aggsortpos;
	int			aggsortkeypos;
	int			stackindent;	/* default 14 */
	uint64_t		printsize;	/* print( ) shows at most this many bytes */
	uint32_t		maxframes;	/* caps stackframes, ustackframes; 0: unset */
	uint64_t		switchrate_ns;
	uint64_t		aggrate_ns;
	uint64_t		statusrate_ns;
	uint64_t		cleanrate_ns;
	bool			nodeadman;
	bool			defaultargs;	/* for the compiler */
	uint64_t		dversion;	/* -x version: for the compiler (0: ktrace's) */
	int			cpu;		/* for the compiler: trace on CPU cpu only; -1: all */
	bool			temporal;	/* records of all CPUs in time order across switches */
	uint32_t		ustackmode;	/* 0: fp, 1: dwarf (KTRACE_OPT_F_USTACK_DWARF) */
};

/* Every option at its default (options.c; the kernel's stay 0: its default). */
void kt_opts_init(struct kt_cliopts *o);
/* Set one option by name (kt_opt_parse); returns 0, or -1 with the reason in why. */
int kt_opt_set(struct kt_cliopts *o, const char *name, const char *val,
	       char *why, size_t whylen);
/* Apply the options that constrain others (maxframes), before LOAD. */
void kt_opts_finish(struct kt_cliopts *o);
/* Parse "4m", "512k", "1g": 0 or -1. */
int kt_parse_size(const char *s, uint64_t *out);
/* Parse "10hz", "100ms", "1s", bare number = hz: interval in ns. */
int kt_parse_rate(const char *s, uint64_t *ns);

/* ----- decoded record/key values ----- */
struct kt_val {
	uint8_t		enc;		/* enum ktrace_type (encoding) */
	uint8_t		dtype;		/* enum kt_dtype (display) */
	int64_t		i;		/* INT */
	const char	*s;		/* STRING (NUL terminated within bounds) */
	const uint64_t	*pcs;		/* STACK/USTACK frames */
	uint32_t	depth;
	int		pid;		/* USTACK */
	const unsigned char *bytes;	/* BYTES: nbytes of them */
	uint32_t	nbytes;
};

/* Encoding of a display type. */
int kt_dtype_enc(int dtype);
/*
 * Decode one encoded element at p (at most len bytes): returns bytes
 * consumed (multiple of 8) or -1.
 */
int kt_decode_val(const uint8_t *p, size_t len, int enc, int dtype, struct kt_val *v);
/*
 * A USAMPLE element (ustackmode=dwarf) decodes as a KT_DT_USTACK value:
 * a raw sample is unwound then (unwind.c).  Aggregation keys are kept
 * unwound: the consumer replaces a raw sample by the same header with
 * frames = depth | KT_USAMPLE_UNWOUND, size = depth * 8, zero registers,
 * then the frames (kt_usample_unwound: *out malloc'd, *outlen its size;
 * returns the bytes the raw element took, or -1).  The kernel's frames
 * are at most KTRACE_MAX_STACKFRAMES: the flag never comes from it.
 * A value derived from a sample (dtype KT_DT_UCALLER...) is kept as that
 * value: frames = KT_USAMPLE_UNWOUND | KT_USAMPLE_VALUE, size 8, the
 * value (usym/ufunc/uaddr(ucaller): its function, umod: its module's base,
 * as such keys are in fp mode); it decodes as a KTRACE_TYPE_INT value.
 */
#define KT_USAMPLE_UNWOUND	(1U << 31)
#define KT_USAMPLE_VALUE	(1U << 30)
int kt_usample_unwound(const uint8_t *p, size_t len, int dtype, uint8_t **out, size_t *outlen);
/*
 * A user address (usym, umod, %A) is recorded after a KT_DT_UPID value, the
 * pid it belongs to: fold each such pid into the value after it, in place.
 * Returns the number of values left.
 */
int kt_vals_fold_upid(struct kt_val *v, int n);

/* ----- output (format.c) ----- */
struct kt_aggdata;

/*
 * DTrace's printf: format fmt with args.  For printa, agg is an array of
 * values (ended by one with ad == NULL) that successive %@ conversions
 * consume (NULL outside printa).  Returns
 * bytes written or -1 (message in errbuf).
 */
int kt_format(FILE *fp, const char *fmt, const struct kt_val *args, int nargs,
	      const struct kt_aggdata *agg, const struct kt_cliopts *o,
	      char *errbuf, size_t errlen);
/* trace(): one value in dtrace's widths (quiet or not). */
void kt_print_trace(FILE *fp, const struct kt_val *v, const struct kt_cliopts *o);
/* stack()/ustack() frames, each on its own line after a newline. */
void kt_print_stack(FILE *fp, const struct kt_val *v, int indent, const char *fmt);
/* print( )'s object (ptype.c): as dtrace(1) shows it, or as a JSON value */
void kt_print_object(FILE *fp, const struct kt_prog *p, uint32_t type, const struct kt_val *v,
		     int nv, uint64_t printsize);
void kt_json_object(FILE *fp, const struct kt_prog *p, uint32_t type, const struct kt_val *v,
		    int nv, uint64_t printsize);
/* The probe line printed without -q ("%3d %6d %32s "), flow-indented with -F. */
struct kt_flow {
	int	indent;
};
void kt_print_header(FILE *fp, const struct kt_cliopts *o);
void kt_print_probe(FILE *fp, const struct kt_cliopts *o, struct kt_flow *fl,
		    int cpu, const struct ktrace_probe_desc *pd);
/* Symbol text for an address of display type dtype (SYM, USYM, MOD, UMOD). */

/* ----- aggregations (aggprint.c) ----- */
struct kt_aggent {
	struct kt_aggent	*hnext;		/* hash chain */
	uint32_t		agg;
	uint32_t		keysize;
	uint32_t		hash;
	uint32_t		nvals;
	uint8_t			*key;		/* encoded key */
	int64_t			*vals;
	int64_t			*pcpu;		/* aggpercpu: [ncpus][nvals], or NULL */
	struct kt_val		keys[KTRACE_MAX_KEYS];	/* decoded views into key */
	int			nkeys;
};

/* One value as printa()'s %@ sees it. */
struct kt_aggdata {
	const struct ktrace_agg_desc	*ad;
	const struct kt_aggent		*e;
	int64_t				normal;
	int				vdtype;		/* display type of sum/min/max */
};

struct kt_aggtab {
	const struct kt_prog	*prog;
	struct kt_aggent	**buckets;
	uint32_t		nbuckets;
	struct kt_aggent	**v;		/* every entry, insertion order */
	size_t			n, cap;
	int64_t			*normal;	/* [naggs] */
	bool			*printed;	/* [naggs] */
	uint64_t		*drops;		/* per CPU totals reported */
	int			ncpus;		/* aggpercpu: CPUs kept apart, else 0 */
	int			cpu;		/* whose copy is being merged, -1: none */
};

int kt_aggtab_init(struct kt_aggtab *t, const struct kt_prog *p);
void kt_aggtab_free(struct kt_aggtab *t);
/* Merge one kernel entry (key + values) into the table. */
int kt_agg_merge(struct kt_aggtab *t, uint32_t agg, const uint8_t *key, uint32_t keysize,
		 const int64_t *vals, uint32_t nvals);
/* Merge a whole aggregation copy (struct ktrace_agg_hdr at base, size bytes). */
int kt_agg_merge_copy(struct kt_aggtab *t, const void *base, uint64_t size, uint64_t *drops);
uint32_t kt_agg_nvals(const struct ktrace_agg_desc *ad);
/* The entry of agg with this (encoded) key, or NULL. */
struct kt_aggent *kt_agg_find(const struct kt_aggtab *t, uint32_t agg, const uint8_t *key,
			      uint32_t keysize);
void kt_agg_clear(struct kt_aggtab *t, uint32_t agg);
void kt_agg_trunc(struct kt_aggtab *t, uint32_t agg, int64_t n, const struct kt_cliopts *o);
void kt_agg_normalize(struct kt_aggtab *t, uint32_t agg, int64_t normal);
/* printa(@a) / printa(fmt, @a, @b...): aggs[] indexes; fmt NULL for default. */
int kt_agg_print(FILE *fp, struct kt_aggtab *t, const uint32_t *aggs, int naggs,
		 const char *fmt, const struct kt_cliopts *o);
/* At exit: every aggregation not printed yet. */
int kt_agg_print_all(FILE *fp, struct kt_aggtab *t, const struct kt_cliopts *o);
/* Sorted entries of agg (caller frees the array). */
struct kt_aggent **kt_agg_sorted(struct kt_aggtab *t, const uint32_t *aggs, int naggs,
				 size_t *np, const struct kt_cliopts *o);
/* The value one entry sorts by (avg, stddev, quantize sums...). */
long double kt_agg_sortval(const struct ktrace_agg_desc *ad, const struct kt_aggent *e);
/* DTrace's tie-break of distributions: the weight of the bucket holding 0 */
int64_t kt_agg_zeroweight(const struct ktrace_agg_desc *ad, const struct kt_aggent *e);
/* llquantize: the value of each of its n buckets (its row's label); 0 or -1 */
int kt_agg_llq_values(const __s64 *params, uint32_t n, int64_t *val);
uint64_t kt_stddev(const int64_t *vals, int64_t normal);
/* avg()'s value, normalized: sum / normal / count (0 when empty) */
int64_t kt_agg_avg(const int64_t *vals, int64_t normal);
/* Print one value column as dtrace does (" %16lld", distributions...). */
void kt_agg_print_value(FILE *fp, const struct kt_aggdata *d, bool packed);
void kt_print_quantize(FILE *fp, const int64_t *v, uint32_t n, int64_t normal);
void kt_print_lquantize(FILE *fp, const int64_t *v, uint32_t n, const __s64 *params,
			int64_t normal);
void kt_print_llquantize(FILE *fp, const int64_t *v, uint32_t n, const __s64 *params,
			 int64_t normal);

/*
 * The inclusive upper bound of each of the n buckets of a quantize,
 * lquantize or llquantize aggregation (the last one is INFINITY): a value
 * v is in bucket i when le[i-1] < v <= le[i] (ktrace-exporter's "le").
 */
void kt_agg_bucket_le(const struct ktrace_agg_desc *ad, uint32_t n, long double *le);

/* Has agg entries that no printa() has printed (what is printed at exit)? */
bool kt_agg_pending(const struct kt_aggtab *t, uint32_t agg);

/*
 * ----- the output of a session (output.c: the interface and text; json.c:
 * --format json, JSON Lines) -----
 * The consumer decodes records and carries out what actions do (exit,
 * clear, trunc, setopt, freopen...); what is shown, and how, is only here.
 */
struct kt_output;

struct kt_output_ops {
	/* a record of enabled probe pd, taken on cpu at ts, begins */
	void	(*rec_begin)(struct kt_output *out, int cpu, const struct ktrace_probe_desc *pd,
			     uint64_t ts);
	/* one action of the record (any kind but printa, system and ftruncate),
	 * its decoded values */
	void	(*action)(struct kt_output *out, const struct ktrace_action_desc *ad,
			  const char *fmt, const struct kt_val *v, int nv);
	/* printa(): the aggregations aggs[] (fmt NULL: the default layout) */
	void	(*printa)(struct kt_output *out, struct kt_aggtab *t, const uint32_t *aggs,
			  int naggs, const char *fmt);
	/* system(): run cmd, its standard output shown as this output shows it */
	void	(*system)(struct kt_output *out, const char *cmd);
	/* ftruncate(): empty the output file, the record going on after it */
	void	(*truncate)(struct kt_output *out);
	/* print( ) of an object: its bytes v[0], of the program's type TYPE, at address
	 * v[1] (nv 2: print(P) of a pointer; 1: print(S) of a struct value) */
	void	(*print)(struct kt_output *out, const struct kt_prog *p, uint32_t type,
			 const struct kt_val *v, int nv);
	/* freopen(): the output goes on in fp */
	void	(*redirect)(struct kt_output *out, FILE *fp);
	void	(*rec_end)(struct kt_output *out);
	/* the session has ended: what printa() has not printed */
	void	(*final)(struct kt_output *out, struct kt_aggtab *t);
};

struct kt_output {
	const struct kt_output_ops	*ops;
	FILE				*fp;	/* freopen() changes it */
	FILE				*fp0;	/* -o's file or stdout: freopen("")'s */
	const struct kt_cliopts		*o;
	struct kt_flow			flow;	/* text: -F indentation */
	bool				heading;/* text: the column header is out */
	bool				first;	/* json: no item in the record yet */
};

/* Text or JSON, as o->json says (also after setopt("format", ...)). */
void kt_output_select(struct kt_output *out);
void kt_output_init(struct kt_output *out, FILE *fp, const struct kt_cliopts *o);
/* Make FP the output (freopen()), closing a file freopen() opened before. */
static inline void kt_output_leave(struct kt_output *out, FILE *fp)
{
	if (out->fp != out->fp0 && out->fp != fp)
		fclose(out->fp);
	else
		fflush(out->fp);
	out->fp = fp;
}
extern const struct kt_output_ops kt_output_json;

/* ----- JSON values (json.c) ----- */
void kt_json_val(FILE *fp, const struct kt_val *v);
void kt_json_agg(FILE *fp, struct kt_aggtab *t, const uint32_t *aggs, int naggs,
		 const struct kt_cliopts *o);

/* ----- the session (consumer.c) ----- */
struct kt_session_args {
	struct kt_prog		*prog;
	struct kt_cliopts	*opts;
	FILE			*out;
	const char		*what;		/* "description 'X'" / "script 'f.d'" for the notice */
	int			target_pid;	/* -c/-p */
	bool			target_is_child;/* -c */
	bool			target_traced;	/* -p, seized with ptrace (seize_target) */
	int			child_go_fd;	/* write end of the -c handshake pipe, or -1 */
	int			child_err_fd;	/* read end of the exec-error pipe, or -1 */
};

int kt_consume_run(struct kt_session_args *a);

/* The state of a running session (consumer.c); an enabled probe: epid - 1 indexes the table. */
struct kt_epid {
	struct ktrace_probe_desc	pd;
	uint32_t			clause;
};

struct kt_sess {
	int				fd;
	struct kt_prog			*p;
	struct kt_cliopts		*o;
	struct kt_output		out;
	struct kt_epid			*ep;
	uint32_t			nep;
	void				*map;
	uint64_t			map_size;
	struct ktrace_map_hdr		*hdr;
	uint64_t			tails[KTRACE_MAX_CPUS];
	uint64_t			drops[KTRACE_MAX_CPUS];
	uint64_t			aggdrops[KTRACE_MAX_CPUS];
	struct ktrace_status		last;
	struct kt_aggtab		aggs;
	bool				exited;
	int				exit_status;
	bool				snapped_since_rec;
	struct kt_aggtab		*delta;		/* if set: each snapshot's copies merged
							 * here too (ktrace-exporter's totals) */
	uint64_t			aggdrops_total;	/* aggregation drops of every snapshot */
	int				errclause;	/* clause index of the default ERROR clause */
	bool				stopped;	/* tracing stopped: the last drain (temporal) */
};


/*
 * A session as a library (kt_consume_run is the CLI's loop over it; the
 * exporter runs several): open /dev/ktrace, resolve probes, LOAD and map
 * (no probe enabled yet; *nprobes, if given, is how many matched); GO;
 * then kt_sess_status (heartbeat; the state, or -1), kt_sess_consume
 * (drain the principal buffers, doing the records' actions) and
 * kt_sess_agg_snap as often as wanted; kt_sess_close ends it (closing the
 * device stops and frees the session in the kernel).  Errors go to
 * stderr through kt_errmsg.
 */
int kt_sess_open(struct kt_sess *s, struct kt_prog *p, struct kt_cliopts *o, FILE *out,
		 int target_pid, uint32_t *nprobes);
int kt_sess_go(struct kt_sess *s);
int kt_sess_status(struct kt_sess *s, struct ktrace_status *st);
void kt_sess_consume(struct kt_sess *s);
void kt_sess_close(struct kt_sess *s);

/* "ktrace: " + the message, on stderr (a macro: every layer prints through it) */
#define kt_errmsg(...)	(fputs(KT_PNAME ": ", stderr), fprintf(stderr, __VA_ARGS__))
/* "N WHATs" (" on CPU n" when cpu >= 0) through kt_errmsg, when N is not 0 */
static inline void kt_report_count(uint64_t n, const char *what, int cpu)
{
	if (!n)
		return;
	if (cpu >= 0)
		kt_errmsg("%llu %s%s on CPU %d\n", (unsigned long long)n, what, n == 1 ? "" : "s", cpu);
	else
		kt_errmsg("%llu %s%s\n", (unsigned long long)n, what, n == 1 ? "" : "s");
}
/* aggprint.c: AGGSNAP and merge every CPU's readable copy into s->aggs */
int kt_sess_agg_snap(struct kt_sess *s);
/* record.c: decode one record of the principal buffer and carry out its
 * actions; -1 if it is malformed */
int kt_record(struct kt_sess *s, int cpu, const uint8_t *r, uint32_t size);

/* Build a ktrace_prog_load-able object with placeholder enablings (-e/-S). */
int kt_host_check(struct kt_prog *p, const struct kt_cliopts *o, bool disasm, FILE *out);

extern volatile int kt_intr;

/* ----- generic netlink (genl.c): ktrace --sessions / --watch ----- */
int kt_genl_sessions(FILE *out);
int kt_genl_watch(FILE *out);

/* ----- the D library (dlib.c) ----- */
struct kt_dlib {
	char	**texts;	/* the files' text, in load order */
	char	**names;	/* their paths */
	int	n;
};

/* Read the library: DIRS (-L, -x libdir) first, then the default; false: why. */
int kt_dlib_load(const char *const *dirs, int ndirs, struct kt_dlib *lib, char *why,
		 size_t whylen);
void kt_dlib_free(struct kt_dlib *lib);

#endif /* KTRACE_CLI_H */
