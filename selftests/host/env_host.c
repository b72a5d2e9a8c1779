// SPDX-License-Identifier: GPL-2.0
/*
 * env_host.c: ktrace_env_* for host builds: a fake kernel and user memory
 * map, fixed built-in values, a fixed stack, a test-and-set spinlock.
 * Plus the object builder and VM arena helpers of env_host.h.
 */
#include <stdlib.h>
#include "env_host.h"
#include "vm_mem.h"

u8 host_kmem[HOST_KSIZE];
u8 host_umem[HOST_USIZE];
u64 host_thread_key = 0x1000;
unsigned int host_actions;
u32 host_last_action;
int host_action_ret;
u32 host_nframes = 5;
const char *host_execname = "hostprog";
unsigned int host_overtime_calls;
unsigned int host_overtime_at;

int ktrace_env_read_kernel(void *dst, u64 src, size_t size)
{
	if (src < HOST_KBASE || size > HOST_KSIZE || src - HOST_KBASE > HOST_KSIZE - size)
		return -EFAULT;
	memcpy(dst, host_kmem + (src - HOST_KBASE), size);
	return 0;
}

int ktrace_env_read_user(void *dst, u64 src, size_t size)
{
	if (src < HOST_UBASE || size > HOST_USIZE || src - HOST_UBASE > HOST_USIZE - size)
		return -EFAULT;
	memcpy(dst, host_umem + (src - HOST_UBASE), size);
	return 0;
}

int ktrace_env_builtin(struct ktrace_vm *vm, u32 id, u64 *out)
{
	char *s;

	switch (id) {
	case KTRACE_VAR_PID: *out = 1234; return 0;
	case KTRACE_VAR_TID: *out = 1235; return 0;
	case KTRACE_VAR_PPID: *out = 1; return 0;
	case KTRACE_VAR_UID: *out = 1000; return 0;
	case KTRACE_VAR_GID: *out = 1001; return 0;
	case KTRACE_VAR_TIMESTAMP: *out = 1000000; return 0;
	case KTRACE_VAR_VTIMESTAMP: *out = 500000; return 0;
	case KTRACE_VAR_WALLTIMESTAMP: *out = 1700000000000000000ULL; return 0;
	case KTRACE_VAR_CPU: *out = 0; return 0;
	case KTRACE_VAR_CHIP: *out = 0; return 0;
	case KTRACE_VAR_LGRP: *out = 0; return 0;
	case KTRACE_VAR_EXECNAME: {
		/*
		 * as env.c copies a task's comm: 16 bytes, NUL-padded, two
		 * word copies (the padded copy of host_execname is made
		 * when it changes, as a task's comm is kept)
		 */
		static char comm[16];
		static const char *comm_of;

		if (comm_of != host_execname) {
			memset(comm, 0, sizeof(comm));
			strncpy(comm, host_execname, sizeof(comm) - 1);
			comm_of = host_execname;
		}
		s = ktrace_vm_scratch_alloc(vm, sizeof(comm));
		if (!s)
			return ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, sizeof(comm));
		memcpy(s, comm, sizeof(comm));
		*out = (uintptr_t)s;
		return 0;
	}
	case KTRACE_VAR_STACKDEPTH: *out = host_nframes; return 0;
	default: *out = 0; return 0;
	}
}

u32 ktrace_env_stack(struct ktrace_vm *vm, int user, u64 *dst, u32 max)
{
	u32 i, n = host_nframes < max ? host_nframes : max;

	for (i = 0; i < n; i++)
		dst[i] = (user ? 0x400000ULL : 0xffffffff81000000ULL) + i * 16;
	return n;
}

/* A fixed sample: registers 1..8, stack words 0x400000 + 8 * i. */
u32 ktrace_env_usample(struct ktrace_vm *vm, struct ktrace_uregs *ur, void *stack, u32 max)
{
	u64 *w = stack;
	u32 i, n = max < 64 ? max / 8 : 8;

	ur->ip = 1; ur->sp = 2; ur->bp = 3; ur->bx = 4;
	ur->r12 = 5; ur->r13 = 6; ur->r14 = 7; ur->r15 = 8;
	for (i = 0; i < n; i++)
		w[i] = 0x400000ULL + 8 * i;
	return n * 8;
}

u64 ktrace_env_thread_key(struct ktrace_vm *vm)
{
	return host_thread_key;
}

int ktrace_env_action(struct ktrace_vm *vm, const struct ktrace_action_desc *ad)
{
	host_actions++;
	host_last_action = ad->kind;
	return host_action_ret;
}

int ktrace_env_subr(struct ktrace_vm *vm, u32 subr, u64 *out)
{
	switch (subr) {
	case KTRACE_SUBR_RAND: *out = 4; return 0;
	case KTRACE_SUBR_SPECULATION: *out = 1; return 0;
	case KTRACE_SUBR_PROGENYOF: *out = vm->tup[0].val == 1; return 0;
	default: *out = 0; return 0;
	}
}

bool ktrace_env_firing_overtime(struct ktrace_vm *vm)
{
	return ++host_overtime_calls == host_overtime_at;
}

void ktrace_env_lock(void *lock)
{
	ktrace_lock_t *l = lock;

	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		;
}

void ktrace_env_unlock(void *lock)
{
	ktrace_lock_t *l = lock;

	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/* ---- arena ---- */
int tenv_load_blob(struct tenv *te, const void *blob, u32 size, const struct ktrace_opts *opts)
{
	memset(te, 0, sizeof(*te));
	te->vlog.buf = te->log;
	te->vlog.size = sizeof(te->log);
	te->err = ktrace_prog_load(blob, size, opts, &te->vlog, &te->prog);
	if (te->err)
		return te->err;
	te->scratch = calloc(1, TENV_SCRATCH);
	te->rec = calloc(1, TENV_REC);
	te->dvmem = aligned_alloc(64, TENV_DYNVARS);
	te->aggmem = aligned_alloc(64, TENV_AGG);
	te->rt.prog = te->prog;
	te->rt.globals = calloc(1, te->prog->globals_size + 8);
	ktrace_dynvars_init(&te->rt.dynvars, te->dvmem, TENV_DYNVARS);
	te->ab.hdr = (struct ktrace_agg_hdr *)te->aggmem;
	te->ab.size = TENV_AGG;
	ktrace_aggbuf_reset(&te->ab);
	te->vm.rt = &te->rt;
	te->vm.prog = te->prog;
	te->vm.agg = &te->ab;
	te->vm.scratch = te->scratch;
	te->vm.scratch_size = TENV_SCRATCH;
	te->vm.locals = calloc(1, te->prog->locals_size + 8);
	te->vm.rec = te->rec;
	te->vm.rec_size = TENV_REC;
	te->fire.probe_id = 1;
	te->fire.epid = 1;
	te->fire.prov = "test";
	te->fire.mod = "mod";
	te->fire.func = "func";
	te->fire.name = "entry";
	return 0;
}

int tenv_load(struct tenv *te, const struct tobj *t, const struct ktrace_opts *opts)
{
	u32 size;
	void *b = tobj_blob(t, &size);
	int err = tenv_load_blob(te, b, size, opts);

	free(b);
	return err;
}

int tenv_run(struct tenv *te, u32 clause, u64 *ret)
{
	const struct ktrace_clause_desc *c = &te->prog->clauses[clause];
	int err;

	ktrace_vm_firing_begin(&te->vm, &te->fire);
	te->vm.rec_used = 0;
	if (c->pred_len) {
		err = ktrace_vm_run(&te->vm, c->pred_start, ret);
		if (err || !*ret)
			return err;
		te->vm.in_clause = 1;
	}
	return ktrace_vm_run(&te->vm, c->body_start, ret);
}

void tenv_free(struct tenv *te)
{
	if (te->prog) {
		free(te->vm.locals);
		free(te->rt.globals);
		free(te->scratch);
		free(te->rec);
		free(te->dvmem);
		free(te->aggmem);
	}
	ktrace_prog_free(te->prog);
	te->prog = NULL;
}
