/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prov.h: the probe catalogue's provider table.  Each provider is one file
 * (user/prov_*.c) that knows where its probes come from and how to create
 * them in the kernel, and registers itself (KT_PROVIDER below); probes.c
 * builds the table from the registrations, dispatches ktrace_probes_
 * match()/list() to it, and has what the providers share: globs, the
 * kernel's probe queries (KTRACE_IOC_PROBES) and a string hash table.
 */
#ifndef KT_PROV_H
#define KT_PROV_H

#include <sys/types.h>

#include "kt_user.h"

#define TRACEFS		"/sys/kernel/tracing"
#define LOOKUP_BATCH	4096	/* descs per LIST/LOOKUP ioctl */

struct kt_strmap;

struct kt_provider {
	const char	*name;
	unsigned int	flags;
	/*
	 * Append the probes spec matches to out, created in the kernel (ids
	 * filled).  NULL: nothing to do before the kernel's list is read.
	 * An error counts only when the description names the provider
	 * literally (or is -E2BIG, a refusal already explained).
	 */
	int	(*match)(int fd, const struct kt_probespec *spec, struct kt_catalog *out);
	/* After the last match of one resolution: drop what match cached (NULL: nothing) */
	void	(*match_done)(void);
	/* Instead of match: for a provider that needs the target (-c/-p; 0: none) */
	int	(*match_target)(int fd, const struct kt_probespec *spec, int target,
				struct kt_catalog *out);
	/*
	 * Instead of the flags' rules: can the description's provider field
	 * name this provider?  *exact: it names it for sure (errors count).
	 */
	bool	(*named)(const char *prov, bool *exact);
	/* -l: create in the kernel the probes filter (NULL: every probe) matches */
	int	(*list_prepare)(int fd, const struct kt_probespec *filter);
	/*
	 * -l: append the probes filter matches that the kernel does not have
	 * yet (have: "provider:module:function:name" of those it has), id 0.
	 */
	int	(*list_more)(int fd, const struct kt_probespec *filter, struct kt_catalog *out,
			     const struct kt_strmap *have);
	/*
	 * A probe name written alone (no provider, module or function) that
	 * is this provider's (BEGIN, tick-1s), so the catalogue can create it.
	 */
	bool	(*bare)(const char *name);
	/* its stability attributes, DTrace's (-v); NULL: those of DTrace's SDT providers */
	const struct kt_attr *attr;	/* [KT_ATTR_NPARTS] */
};

/* kt_provider.flags */
#define KT_PROV_KERNEL		0x1	/* the kernel's registry lists its probes (after match) */
#define KT_PROV_LITERAL		0x2	/* reached only when named exactly (uprobe:PATH) */
#define KT_PROV_NUMBERED	0x4	/* named NAME<N>, N a process id (pid123) */
/*
 * Probes may be per-task (desc.pid, cpc): match() makes those of a spec
 * with a task; the kernel's list gives only the system-wide ones (pid 0),
 * and only to a spec without one.
 */
#define KT_PROV_TASK		0x8
/* What the compiler and the output read (looked up with kt_prov_find()): */
#define KT_PROV_PATH		0x10	/* the module field is a file path: its '/' opens no predicate */
#define KT_PROV_SHORT		0x20	/* PROV:MOD:NAME means PROV:MOD::NAME (tracepoint:SUBSYS:EVENT) */
#define KT_PROV_TP_ARGS		0x40	/* args-> typed by the tracefs event format of SUBSYS:EVENT */
#define KT_PROV_BTF_ARGS	0x80	/* args[N] typed by the BTF prototype of FUNCTION (entry, return) */
#define KT_PROV_SYSCALLS	0x100	/* entry/return are system calls: flowindent draws => and <= */
#define KT_PROV_ANYCPU		0x200	/* fires where tracing starts and stops: -x cpu keeps it */

/*
 * A provider file registers itself, after its definition:
 *	KT_PROVIDER(ORDER, kt_prov_NAME);
 * puts it in the kt_provider_table section; probes.c's table is that
 * section sorted by ORDER (dtrace 10, syscall 20, ...: the order probes are
 * enabled in), built before main().  No list names the providers: a new
 * one is its file.
 */
struct kt_provider_reg {
	int				order;
	const struct kt_provider	*prov;
};
#define KT_PROVIDER(ord, var)							\
	static const struct kt_provider_reg var##_reg				\
	__attribute__((used, section("kt_provider_table"), aligned(sizeof(void *)))) = \
		{ (ord), &(var) }
/* at most this many providers (probes.c checks it when it builds the table) */
#define KT_MAX_PROVIDERS	32

/* The table, in ORDER; NULL-terminated. */
extern const struct kt_provider *kt_providers[KT_MAX_PROVIDERS + 1];
/* dtrace (BEGIN, END, ERROR): the compiler adds its default ERROR clause */
extern const struct kt_provider kt_prov_dtrace;

/* The provider named exactly name[0..len) (len: strlen(name) if -1), or NULL. */
const struct kt_provider *kt_prov_find(const char *name, ssize_t len);
/* Does the provider named exactly name have every flag of flags? */
bool kt_prov_has(const char *name, unsigned int flags);
/* The provider of a probe name written alone (BEGIN, tick-1s), or NULL. */
const struct kt_provider *kt_prov_bare(const char *name);

/*
 * -lv (dt_attr.c): the stability attributes of the probe d (of its
 * description, the parts it has) and of its arguments, from its
 * provider's.
 */
void kt_probe_attrs(const struct ktrace_probe_desc *d, struct kt_attr *desc,
		    struct kt_attr *args);

/* ----- shared by the providers (probes.c) ----- */
bool kt_is_glob(const char *s);
int kt_cat_add(struct kt_catalog *c, const struct ktrace_probe_desc *d);
/* Every probe the kernel knows that sp matches, appended to out. */
int kt_kernel_list(int fd, const struct kt_probespec *sp, struct kt_catalog *out);
/* The probe the kernel has with this id (-i): 0, or -ENOENT / -errno. */
int kt_kernel_probe(int fd, uint32_t id, struct ktrace_probe_desc *d);
/*
 * LOOKUP (find or create) n descs; the ones the kernel accepts are appended
 * to out (if non-NULL).  Per-desc errors are skipped; returns the number
 * accepted or a negative errno when the ioctl itself fails.  *first_err
 * (may be NULL) gets the first per-desc error.
 */
int kt_kernel_lookup(int fd, struct ktrace_probe_desc *v, int n, struct kt_catalog *out,
		     int *first_err);

/*
 * The ELF objects of process pid, mapped or needed by its executable
 * (prov_uprobe.c): fn(arg, path to read it from, base name, is it the
 * executable); a non-zero return stops the walk and is returned.  0 or
 * -errno.
 */
typedef int kt_pid_obj_fn(void *arg, const char *path, const char *base, bool exe);
int kt_pid_objects(int pid, kt_pid_obj_fn *fn, void *arg);
/* Does the module field pat name this object: its base name, or a.out (DTrace) the executable? */
bool kt_pid_mod_match(const char *pat, const char *base, bool exe);

/* A growable desc array for LOOKUP batches. */
struct kt_descs {
	struct ktrace_probe_desc *v;
	int n, cap;
};

struct ktrace_probe_desc *kt_descs_new(struct kt_descs *ds);
/* Copy a name into a desc field (names too long for it are cut: the kernel
 * then refuses or does not find them). */
void kt_cpy(char *dst, size_t size, const char *src);

/* A string -> u64 hash table (open addressing; keys copied). */
struct kt_strmap {
	char		**keys;
	uint64_t	*vals;
	size_t		cap, n;
};

/* Insert key unless present; the slot's value, or NULL (no memory). */
uint64_t *kt_strmap_put(struct kt_strmap *m, const char *key, bool *added);
uint64_t *kt_strmap_get(const struct kt_strmap *m, const char *key);
void kt_strmap_free(struct kt_strmap *m);

#endif /* KT_PROV_H */
