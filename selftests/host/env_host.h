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
extern const char *host_execname;	/* execname (at most 15 characters) */
extern unsigned int host_overtime_calls;	/* env_firing_overtime calls */
extern unsigned int host_overtime_at;	/* the call that reports overtime (0: never) */

#include "tobj.h"	/* the object builder, shared with the guest tests */

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
