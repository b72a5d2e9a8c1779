/* SPDX-License-Identifier: GPL-2.0 */
/*
 * env_host.h: the host implementation of the ktrace_env_* hooks (for
 * the host tests, the fuzzer and the benchmark) and a small object
 * builder ("assembler") plus a per-test VM arena.
 */
#ifndef _KTRACE_ENV_HOST_H
#define _KTRACE_ENV_HOST_H

#include "vm.h"

/* Fake kernel memory: [HOST_KBASE, +HOST_KSIZE) reads host_kmem. */
#define HOST_KBASE	0xffff888000100000ULL
#define HOST_KSIZE	4096
/* Fake user memory: [HOST_UBASE, +HOST_USIZE) reads host_umem. */
#define HOST_UBASE	0x0000000010000000ULL
#define HOST_USIZE	8192

extern u8 host_kmem[HOST_KSIZE];
extern u8 host_umem[HOST_USIZE];
extern u64 host_thread_key;
extern unsigned int host_actions;	/* env_action calls */
extern u32 host_last_action;		/* kind of the last one */
extern int host_action_ret;		/* what env_action returns */
extern u32 host_nframes;		/* frames env_stack provides */

/* ---- object builder ---- */
struct tobj {
	struct ktrace_insn		insn[4096];
	u32				ni;
	s64				ints[64];
	u32				nint;
	char				str[4096];
	u32				nstr;
	struct ktrace_var_desc		var[32];
	u32				nvar;
	struct ktrace_agg_desc		agg[16];
	u32				nagg;
	struct ktrace_action_desc	act[16];
	u32				nact;
	struct ktrace_clause_desc	cl[8];
	u32				ncl;
	struct ktrace_enabling		en[8];
	u32				nen;
	u32				flags;
};

void tobj_init(struct tobj *t);
u32 t_i(struct tobj *t, u8 op, u8 rd, u8 rs1, u8 rs2, s32 imm);
u32 t_str(struct tobj *t, const char *s);
u32 t_int(struct tobj *t, s64 v);
u32 t_var(struct tobj *t, const char *name, u8 scope, u8 type, u32 nkeys);
u32 t_agg(struct tobj *t, const char *name, u16 func, u16 nkeys, s64 p0, s64 p1,
	  s64 p2, s64 p3);
u32 t_act(struct tobj *t, u16 kind, u16 nargs);
/* clause over [start, ni): body; pred_len 0 */
u32 t_clause(struct tobj *t, u32 pred_start, u32 pred_len, u32 body_start, u32 body_len);
/* serialise; caller frees */
void *tobj_blob(const struct tobj *t, u32 *size);

/* ---- a VM arena ---- */
struct tenv {
	struct ktrace_prog	*prog;
	struct ktrace_rt	rt;
	struct ktrace_vm	vm;
	struct ktrace_fire	fire;
	struct ktrace_aggbuf	ab;
	u8			*scratch, *rec, *dvmem, *aggmem;
	char			log[4096];
	struct ktrace_vlog	vlog;
	int			err;
};

#define TENV_SCRATCH	8192
#define TENV_REC	8192
#define TENV_DYNVARS	(64 * 1024)
#define TENV_AGG	(256 * 1024)

/* load t (NULL opts: defaults); returns ktrace_prog_load's result */
int tenv_load(struct tenv *te, const struct tobj *t, const struct ktrace_opts *opts);
int tenv_load_blob(struct tenv *te, const void *blob, u32 size, const struct ktrace_opts *opts);
/* run clause c's body (after its predicate if any); returns vm_run's result */
int tenv_run(struct tenv *te, u32 clause, u64 *ret);
void tenv_free(struct tenv *te);

#endif
