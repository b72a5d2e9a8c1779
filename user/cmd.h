/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmd.h: the parts of the ktrace command itself (ktrace.c's main() and
 * option handling use them): the program's sources as the flags give
 * them, the listing of -l and -lv (cmd_list.c) and the -c/-p target
 * process (cmd_target.c).
 */
#ifndef KT_CMD_H
#define KT_CMD_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include "cli.h"
enum kt_speckind { KT_SPEC_NAME, KT_SPEC_PROV, KT_SPEC_MOD, KT_SPEC_FUNC, KT_SPEC_FILE, KT_SPEC_ID };

struct kt_src {
	enum kt_speckind	kind;
	const char		*arg;
	char			*text;		/* source text */
	const char		*name;		/* for diagnostics */
	char			*owned;		/* -i: the description arg points to */
};

/* cmd_list.c: -P/-m/-f/-n/-i descriptions, -l and -lv */
char *cmd_id_text(const char *arg, int *fd);
void cmd_print_stability(const struct kt_prog *prog, const struct kt_src *srcs, int nsrcs, FILE *out);
/* -lv: probe d's report (its attributes, its args[] types in decls) */
void cmd_print_probe_info(FILE *out, const struct ktrace_probe_desc *d,
			  struct kt_probe_decls *decls);
/* decls: -lv, each probe's report after its line (NULL: -l alone) */
int cmd_list_probes(struct kt_src *srcs, int nsrcs, FILE *out, long target,
		    struct kt_probe_decls *decls);
int cmd_list_prog(const struct kt_prog *prog, FILE *out, long target,
		  struct kt_probe_decls *decls);
bool cmd_desc_to_spec(enum kt_speckind kind, const char *arg, struct kt_probespec *sp);

/* cmd_target.c: the -c command and the -p process */
bool cmd_shows_user_addrs(const struct kt_prog *p);
void cmd_seize_child(pid_t pid);
bool cmd_seize_target(pid_t pid, bool verbose);
void cmd_release_target(pid_t pid);
void cmd_kill_child(pid_t pid);
pid_t cmd_start_child(const char *cmd, int *gofd, int *errfd);

#endif
