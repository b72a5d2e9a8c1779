/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exporter.h: ktrace-exporter's programs (config.c: reading and compiling
 * them; builtin.c: the default set) and their sessions (exporter.c).
 */
#ifndef KTRACE_EXPORTER_H
#define KTRACE_EXPORTER_H

#include "cli.h"
#include "expo.h"

#define KX_PNAME	"ktrace-exporter"
#define KX_CONFIG_DIR	"/etc/ktrace/exporter.d"
#define KX_MAX_PROGS	64

/* One "// metric: @AGG NAME [TYPE] [labels=a,b] [sum=@AGG2] [scale=X] [help=TEXT]" line. */
struct kx_metric {
	char			*agg, *name, *help, *sum_agg;
	enum kx_type		type;
	bool			typed;		/* TYPE written (else from the function) */
	char			*labels[KTRACE_MAX_KEYS];
	int			nlabels;
	int			line;
	long double		scale;		/* values (and bounds) times this: 1e-9 for ns -> s */
	uint32_t		aggi, sumi;	/* indexes in prog->aggs; sumi UINT32_MAX: none */
	uint32_t		nb;		/* histogram buckets */
	long double		*le;
};

/* One program: a config file (or a built-in one) and its session. */
struct kx_prog {
	char			*name;		/* the file's name without .d */
	char			*path;		/* "<built-in>/NAME.d" for the default set */
	char			*src;
	struct kt_prog		*prog;
	struct kt_cliopts	opts;
	struct kx_metric	*m;
	int			nm;
	FILE			*devnull;	/* what the program prints goes nowhere */
	struct kt_sess		sess;
	struct kt_aggtab	delta;		/* what the last snapshot added */
	bool			running;
	uint32_t		nprobes;
	struct ktrace_status	st;
};

/*
 * Parse the metric lines of src and compile it: 0, or -1 with the reason
 * (the compiler's diagnostics, or what is wrong with a metric line) in
 * *err (malloc'd).
 */
int kx_prog_build(struct kx_prog *xp, const char *name, const char *path, const char *src,
		  char **err);
void kx_prog_free(struct kx_prog *xp);
/*
 * Every DIR/ *.d in name order into progs[] (*n of them): 0, or -1 with
 * *err set (nothing kept).  A missing or empty default directory gives the
 * built-in set (*builtin set true).
 */
int kx_config_load(const char *dir, bool dir_given, struct kx_prog *progs, int *n,
		   bool *builtin, char **err);

/* The built-in default set: NULL-terminated {name, source} pairs. */
struct kx_builtin {
	const char	*name;
	const char	*src;
};
extern const struct kx_builtin kx_builtins[];

#endif /* KTRACE_EXPORTER_H */
