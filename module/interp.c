// SPDX-License-Identifier: GPL-2.0
/*
 * interp.c: the interpreter.  Runs one verified function on a CPU's
 * struct ktrace_vm with a computed-goto dispatch table generated from
 * KTRACE_OPS.
 *
 * Context: probe context only (interrupts disabled, any CPU, NMI-like
 * restrictions): no allocation, no sleeping, no locks of its own.  The
 * only lock reached from here is the dynamic variable space's raw lock,
 * taken inside dynvar.c and never held across anything else.  All state
 * touched is the CPU's own struct ktrace_vm (scratch, locals, record
 * staging), the session's globals (plain stores; races between CPUs give
 * torn values as in DTrace, never wild accesses), the CPU's aggregation
 * copy and the dynamic variable space.
 *
 * Safety: kernel memory is read only through ktrace_env_read_kernel()
 * (ldk: its inline form ktrace_kread_word(), kt_compat.h),
 * user memory only through ktrace_env_read_user(); every reference
 * dereferenced directly is checked against the VM's regions (string
 * table, scratch, globals, locals, dynamic variables, the tracepoint raw
 * record); stores go to scratch only (st), or to ktrace-owned variable
 * storage with bounded sizes.  Every string is bounded by strsize.  A
 * fault ends the function with vm->fault/fault_pc/fault_val set.
 */
#include "vm_mem.h"

static const u8 act_records[KTRACE_ACT_MAX] = {
#define KTRACE_ACT_REC(name, val, str, rec, destr) [val] = rec,
	KTRACE_ACTIONS(KTRACE_ACT_REC)
#undef KTRACE_ACT_REC
};

/* pushb: the tuple type of each built-in (string built-ins push STR) */
static const u8 builtin_tt[KTRACE_VAR_MAX] = {
#define KTRACE_BI_TT(name, val, str, isstr) [val] = isstr ? KTRACE_TT_STR : KTRACE_TT_INT,
	KTRACE_BUILTINS(KTRACE_BI_TT)
#undef KTRACE_BI_TT
};

/*
 * Clause-local (this->) variables are not reset here: as in DTrace, whose
 * clause-locals live in per-CPU storage that nothing clears between
 * firings, a firing starts with the values the CPU's previous firing of
 * this session left (DTrace calls them undefined; its own tests read at a
 * probe's return what its entry stored).  vm->locals is the session's own
 * area for this CPU, zeroed when it is allocated (session_mem.c), so a
 * read before any store gives 0 or a value this program stored: never
 * memory of anyone else.
 */
void ktrace_vm_firing_begin(struct ktrace_vm *vm, const struct ktrace_fire *fire)
{
	vm->fire = fire;
	vm->loops = 0;
	vm->insns = 0;
	vm->strtok = 0;
}

/*
 * A global or clause-local string variable holds its characters (a slot
 * of at least 8 bytes, ktrace_str_slot(), zeroed after the NUL), or no
 * string at all: NULL, as DTrace's s = NULL or the result of strchr()
 * that found nothing.  NULL is kept as the bytes "\0\1": no string's
 * bytes look like that, as copy_str() zeroes what follows the
 * terminating NUL, and a variable nobody wrote (all zeros) is the empty
 * string.
 */
#define KTRACE_STR_NULL_MARK	1

/* Store a string reference (or 0, NULL) into a string variable's bytes. */
static int copy_str(struct ktrace_vm *vm, char *dst, uintptr_t src)
{
	u32 len;

	if (!src) {
		dst[0] = '\0';
		dst[1] = KTRACE_STR_NULL_MARK;
		return 0;
	}
	if (ktrace_vm_strlen(vm, src, &len))
		return -EFAULT;
	memmove(dst, (const void *)src, len);
	memset(dst + len, 0, ktrace_str_slot(&vm->prog->opts) - len);
	return 0;
}

/* The reference a string variable's bytes read as: 0 if it holds NULL. */
static __always_inline u64 str_ref(const char *slot)
{
	return !slot[0] && slot[1] == KTRACE_STR_NULL_MARK ? 0 : (uintptr_t)slot;
}

/* Size of one encoded tuple element. */
static __always_inline u32 enc_size(const struct ktrace_tuple *t)
{
	return t->type == KTRACE_TT_INT ? 8 : ALIGN(t->size, 8);
}

/*
 * Zero bytes [len, n) of dst, n a multiple of 8 and n - len in 1..8: they
 * all lie in the last word, so one masked word store does it (a memset
 * call is a rep stosb, one emulated iteration per byte under QEMU TCG).
 */
static __always_inline void zero_tail(u8 *dst, u32 len, u32 n)
{
	u32 keep = len - (n - 8);	/* bytes of the last word to keep, 0..7 */
	u64 w;

	memcpy(&w, dst + n - 8, 8);
	w = keep ? w & (~0ULL >> (64 - 8 * keep)) : 0;
	memcpy(dst + n - 8, &w, 8);
}

/*
 * Copy n bytes that do not overlap, inline: keys are short, and a library
 * call per key (a rep movsb under emulation) costs more than the copy.
 * Reads stay in src[0..n): whole words, then the bytes of the last one.
 */
static __always_inline void copy_small(u8 *dst, const u8 *src, u32 n)
{
	u32 i = 0;
	u64 w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, src + i, 8);
		memcpy(dst + i, &w, 8);
	}
	for (; i < n; i++)
		dst[i] = src[i];
}

/* Encode tup[0..ntup) at dst (cap bytes); returns bytes or -EFAULT. */
static __always_inline int tuple_encode(struct ktrace_vm *vm, u8 *dst, u32 cap)
{
	u32 i, off = 0, ntup = vm->ntup;

	for (i = 0; i < ntup; i++) {
		const struct ktrace_tuple *t = &vm->tup[i];
		u32 n = enc_size(t);

		if (n > cap - off)
			return ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, n);
		if (t->type == KTRACE_TT_INT) {
			memcpy(dst + off, &t->val, 8);
		} else if (t->type == KTRACE_TT_STR) {
			/*
			 * size counts the NUL; the source may lack it
			 * (truncated).  The source lies below free scratch
			 * (or in another region): no overlap with dst.  An
			 * aligned scratch string (execname, strjoin()...)
			 * with n bytes of scratch after it is copied in
			 * whole words, the bytes past its length then
			 * cleared by zero_tail: no byte loop.
			 */
			if (IS_ALIGNED(t->val, 8) &&
			    vm_in_region(t->val, vm->scratch, vm->scratch_size) >= n)
				copy_small(dst + off, (const u8 *)(uintptr_t)t->val, n);
			else
				copy_small(dst + off, (const u8 *)(uintptr_t)t->val, t->size - 1);
			zero_tail(dst + off, t->size - 1, n);
		} else if (t->type == KTRACE_TT_BYTES) {
			/* the count, the bytes (allocated ktrace memory: no overlap) */
			u64 len = t->size - 8;

			memcpy(dst + off, &len, 8);
			if (len) {
				copy_small(dst + off + 8, (const u8 *)(uintptr_t)t->val, (u32)len);
				zero_tail(dst + off + 8, (u32)len, n - 8);
			}
		} else {
			memmove(dst + off, (const void *)(uintptr_t)t->val, t->size);
		}
		off += n;
	}
	return off;
}

/* Validate a push; fills t->size. */
static __always_inline int tuple_push(struct ktrace_vm *vm, u64 v, u32 type, u64 limit)
{
	struct ktrace_tuple *t;
	u64 hdr[2];
	void *copy;
	u32 len;

	if (unlikely(vm->ntup >= KTRACE_TUPLE_MAX))
		return ktrace_vm_fault(vm, KTRACE_FAULT_TUPOFLOW, vm->ntup);
	t = &vm->tup[vm->ntup];
	t->val = v;
	t->type = type;
	switch (type) {
	case KTRACE_TT_INT:
		t->size = 8;
		break;
	case KTRACE_TT_STR:
		if (vm_strlen(vm, v, &len))
			return -EFAULT;
		if (limit && limit < len)
			len = (u32)limit;
		t->size = len + 1;
		break;
	case KTRACE_TT_BYTES:
		if (limit > vm->scratch_size)
			return ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, limit);
		t->size = 8 + (u32)limit;
		if (!limit)
			break;
		/*
		 * limit bytes in ktrace memory (copyin(), alloca()...), or
		 * kernel memory copied now to this statement's scratch
		 * (fault-safe, released when the statement ends)
		 */
		if (ktrace_vm_avail(vm, v)) {
			if (ktrace_vm_avail(vm, v) < limit)
				return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, v);
			break;
		}
		if (!KTRACE_IS_KERNEL_ADDR(v))
			return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, v);
		copy = ktrace_vm_scratch_alloc(vm, (u32)limit);
		if (!copy)
			return ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, limit);
		if (ktrace_env_read_kernel(copy, v, limit))
			return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, v);
		t->val = (uintptr_t)copy;
		break;
	case KTRACE_TT_STACK:
	case KTRACE_TT_USTACK: {
		u32 h = type == KTRACE_TT_STACK ? 1 : 2;
		size_t avail = ktrace_vm_avail(vm, v);

		if (avail < h * 8 || !IS_ALIGNED(v, 8))
			return ktrace_vm_fault(vm, KTRACE_FAULT_BADSTACK, v);
		memcpy(hdr, (const void *)(uintptr_t)v, h * 8);
		if (hdr[h - 1] > KTRACE_MAX_STACKFRAMES ||
		    avail < (h + hdr[h - 1]) * 8)
			return ktrace_vm_fault(vm, KTRACE_FAULT_BADSTACK, v);
		t->size = (u32)(h + hdr[h - 1]) * 8;
		break;
	}
	case KTRACE_TT_USAMPLE: {
		struct ktrace_usample us;
		size_t avail = ktrace_vm_avail(vm, v);

		if (avail < sizeof(us) || !IS_ALIGNED(v, 8))
			return ktrace_vm_fault(vm, KTRACE_FAULT_BADSTACK, v);
		memcpy(&us, (const void *)(uintptr_t)v, sizeof(us));
		if (us.size > KTRACE_MAX_USTACKSIZE || !IS_ALIGNED(us.size, 8) ||
		    avail < sizeof(us) + us.size)
			return ktrace_vm_fault(vm, KTRACE_FAULT_BADSTACK, v);
		t->size = sizeof(us) + us.size;
		break;
	}
	default:
		return ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, type);
	}
	vm->ntup++;
	return 0;
}

/* Build the dynamic variable key in free scratch: [thread key] + tuple. */
static int dyn_key(struct ktrace_vm *vm, bool thread, bool array, u8 **keyp,
		   u32 *sizep)
{
	u8 *k = vm->scratch + vm->scratch_used;
	u32 cap = vm->scratch_size - vm->scratch_used, off = 0;
	int n;

	if (thread) {
		u64 tk = ktrace_env_thread_key(vm);

		if (cap < 8)
			return ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, 8);
		memcpy(k, &tk, 8);
		off = 8;
	}
	n = array ? tuple_encode(vm, k + off, cap - off) : 0;
	if (n < 0)
		return n;
	*keyp = k;
	*sizep = off + n;
	return 0;
}

/*
 * The key of dynamic variable v: self->x's is the thread key alone, in *tk
 * (no scratch); an array element's is built in free scratch (dyn_key).
 */
static __always_inline int dyn_var_key(struct ktrace_vm *vm, const struct ktrace_var_desc *v,
				       bool thread, bool array, u64 *tk, u8 **key, u32 *ksz)
{
	if (!array) {
		*tk = ktrace_env_thread_key(vm);
		*key = (u8 *)tk;
		*ksz = 8;
		return 0;
	}
	if (vm->ntup != v->nkeys)
		return ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, vm->ntup);
	return dyn_key(vm, thread, array, key, ksz) ? -EFAULT : 0;
}

static int dyn_load(struct ktrace_vm *vm, u32 var, bool thread, bool array,
		    u64 *out)
{
	const struct ktrace_var_desc *v = &vm->prog->vars[var];
	bool str = v->type == KTRACE_TYPE_STRING;
	u32 vsz = str ? ktrace_str_slot(&vm->prog->opts) : 8, ksz;
	u8 *key, *slot = NULL;
	u64 tk;

	if (dyn_var_key(vm, v, thread, array, &tk, &key, &ksz))
		return -EFAULT;
	if (vm->rt && vm->rt->dynvars)
		slot = ktrace_dynvar_get(vm->rt->dynvars, var, key, ksz, vsz, false);
	if (!slot)
		*out = 0;	/* absent: 0, and a string that is NULL (DTrace's) */
	else if (str)
		*out = (uintptr_t)slot;
	else
		memcpy(out, slot, 8);
	return 0;
}

static int dyn_store(struct ktrace_vm *vm, u32 var, bool thread, bool array,
		     u64 val)
{
	const struct ktrace_var_desc *v = &vm->prog->vars[var];
	bool str = v->type == KTRACE_TYPE_STRING;
	u32 vsz = str ? ktrace_str_slot(&vm->prog->opts) : 8, ksz, len = 0;
	struct ktrace_dynvars *dv = vm->rt ? vm->rt->dynvars : NULL;
	u8 *key, *slot;
	u64 tk;

	if (str && val && ktrace_vm_strlen(vm, val, &len))
		return -EFAULT;
	if (dyn_var_key(vm, v, thread, array, &tk, &key, &ksz))
		return -EFAULT;
	if (!dv)
		return 0;
	slot = ktrace_dynvar_get(dv, var, key, ksz, vsz, val != 0);
	if (!slot)
		return 0;	/* absent, or dropped (counted by dynvar.c) */
	if (!val) {
		ktrace_dynvar_free(dv, slot, thread);
		return 0;
	}
	if (str) {
		memmove(slot, (const void *)(uintptr_t)val, len);
		memset(slot + len, 0, vsz - len);
	} else {
		memcpy(slot, &val, 8);
	}
	return 0;
}

static int do_action(struct ktrace_vm *vm, u32 idx)
{
	const struct ktrace_action_desc *ad = &vm->prog->actions[idx];
	struct ktrace_rec_item *it;
	int n, err;

	if (vm->ntup != ad->nargs)
		return ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, vm->ntup);
	if (act_records[ad->kind]) {
		u32 cap = vm->rec_size - vm->rec_used;

		if (cap < sizeof(*it))
			return ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, sizeof(*it));
		it = (struct ktrace_rec_item *)(vm->rec + vm->rec_used);
		n = tuple_encode(vm, (u8 *)(it + 1), cap - sizeof(*it));
		if (n < 0)
			return n;
		it->size = sizeof(*it) + n;
		it->action = (u16)idx;
		it->reserved = 0;
		vm->rec_used += it->size;
	}
	switch (ad->kind) {
	case KTRACE_ACT_EXIT:
		/* the first exit() of the firing wins (docs/uapi.md) */
		if (!vm->exit_req) {
			vm->exit_req = 1;
			vm->exit_status = vm->ntup ? (s32)vm->tup[0].val : 0;
		}
		fallthrough;
	case KTRACE_ACT_SPECULATE:
	case KTRACE_ACT_COMMIT:
	case KTRACE_ACT_DISCARD:
	case KTRACE_ACT_RAISE:
	case KTRACE_ACT_STOP:
	case KTRACE_ACT_CHILL:
	case KTRACE_ACT_PANIC:
		err = ktrace_env_action(vm, ad);
		if (err < 0)
			return vm->fault ? -EFAULT :
			       ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, idx);
		return err;
	}
	return 0;
}

static int do_agg(struct ktrace_vm *vm, u32 idx, s64 val, s64 weight)
{
	const struct ktrace_agg_desc *ad = &vm->prog->aggs[idx];
	u8 *key = vm->scratch + vm->scratch_used;
	u32 i, ntup = vm->ntup;
	int n;

	if (ntup != ad->nkeys)
		return ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, ntup);
	for (i = 0; i < ntup; i++)
		if (vm->tup[i].type != ad->key_types[i])
			return ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, vm->tup[i].type);
	n = tuple_encode(vm, key, vm->scratch_size - vm->scratch_used);
	if (n < 0)
		return n;
	if (vm->agg)
		ktrace_agg_update(vm->agg, vm->prog, idx, key, n, val, weight);
	return 0;
}

static __always_inline int do_builtin(struct ktrace_vm *vm, u32 id, u64 *out)
{
	const struct ktrace_fire *f = vm->fire;
	const char *s = NULL;
	int err;

	switch (id) {
	case KTRACE_VAR_ARG0 ... KTRACE_VAR_ARG9:
		*out = f ? f->args[id - KTRACE_VAR_ARG0] : 0;
		return 0;
	case KTRACE_VAR_ID:
		*out = f ? f->probe_id : 0;
		return 0;
	case KTRACE_VAR_EPID:
		*out = f ? f->epid : 0;
		return 0;
	case KTRACE_VAR_ERRNO:
		*out = f ? f->errno_val : 0;
		return 0;
	case KTRACE_VAR_TPRAW:
		*out = f ? (uintptr_t)f->raw : 0;
		return 0;
	case KTRACE_VAR_TPRAWSIZE:
		*out = f ? f->raw_size : 0;
		return 0;
	case KTRACE_VAR_PROBEPROV:
		s = f ? f->prov : NULL;
		break;
	case KTRACE_VAR_PROBEMOD:
		s = f ? f->mod : NULL;
		break;
	case KTRACE_VAR_PROBEFUNC:
		s = f ? f->func : NULL;
		break;
	case KTRACE_VAR_PROBENAME:
		s = f ? f->name : NULL;
		break;
	default:
		vm->fault = 0;
		err = ktrace_env_builtin(vm, id, out);
		if (err < 0)
			return vm->fault ? -EFAULT :
			       ktrace_vm_fault(vm, err == -EFAULT ? KTRACE_FAULT_BADADDR :
					       KTRACE_FAULT_ILLOP, id);
		return 0;
	}
	{
		/* probe description strings are the kernel's own, trusted */
		u32 len = s ? (u32)strnlen(s, vm->prog->opts.strsize) : 0;
		char *d = ktrace_vm_scratch_alloc(vm, len + 1);

		if (!d)
			return ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, len + 1);
		if (len)
			memcpy(d, s, len);
		d[len] = 0;
		*out = (uintptr_t)d;
	}
	return 0;
}

/*
 * aggb: @agg[built-in] = f(val, weight), the key built where the built-in
 * put its value: an integer in a local, a string (execname, probefunc: a
 * fresh copy in scratch, aligned, in an allocation rounded up to 8) NUL
 * padded in place to its encoded size, in free scratch when it is not.
 * The keys are the bytes pushb + agg would encode.  The verifier checked
 * the aggregation's one key has the built-in's type (rule 19).
 */
static __always_inline int do_aggb(struct ktrace_vm *vm, u32 imm, s64 val, s64 weight)
{
	u32 agg = KTRACE_AGGB_AGG(imm), var = KTRACE_AGGB_VAR(imm), len, n;
	u64 v;
	u8 *key;

	if (unlikely(vm->ntup))
		return ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, vm->ntup);
	if (do_builtin(vm, var, &v))
		return -EFAULT;
	if (builtin_tt[var] == KTRACE_TT_INT) {
		key = (u8 *)&v;
		n = 8;
	} else {
		if (vm_strlen(vm, v, &len))
			return -EFAULT;
		n = ALIGN(len + 1, 8);
		if (IS_ALIGNED(v, 8) && vm_in_region(v, vm->scratch, vm->scratch_size) >= n) {
			key = (u8 *)(uintptr_t)v;
		} else {
			key = ktrace_vm_scratch_alloc(vm, n);
			if (!key)
				return ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, n);
			copy_small(key, (const u8 *)(uintptr_t)v, len);
		}
		zero_tail(key, len, n);
	}
	if (vm->agg)
		ktrace_agg_update(vm->agg, vm->prog, agg, key, n, val, weight);
	return 0;
}

/*
 * aggks: @agg[stringof(addr)] = f(val, weight), the one string key read
 * from kernel memory straight into free scratch, aligned, and NUL padded
 * in place to its encoded size: the bytes stringof (at most max
 * characters, 0: strsize) + push + agg would encode, with no subroutine
 * call, no scratch copy and no tuple.  The verifier checked the
 * aggregation's one key is a string (rule 20).
 */
static __always_inline int do_aggks(struct ktrace_vm *vm, u64 addr, u32 imm, s64 val, s64 weight)
{
	u32 agg = KTRACE_AGGKS_AGG(imm), lim = vm->prog->opts.strsize, len, n;
	u32 max = KTRACE_AGGKS_MAX(imm);
	u8 *key;

	if (unlikely(vm->ntup))
		return ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, vm->ntup);
	if (max && max < lim)
		lim = max;
	key = ktrace_vm_scratch_alloc(vm, lim + 1);
	if (!key)
		return ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, lim + 1);
	if (ktrace_vm_read_kstr(vm, (char *)key, addr, lim, &len))
		return -EFAULT;
	n = ALIGN(len + 1, 8);
	zero_tail(key, len, n);
	if (vm->agg)
		ktrace_agg_update(vm->agg, vm->prog, agg, key, n, val, weight);
	return 0;
}

/*
 * A load of imm's size at base + the offset in imm.  A fault reports the
 * address read, or 0 when base is NULL: a member of a NULL pointer faults
 * at NULL, as DTrace reports it, whatever the member's offset.
 */
static int do_load(struct ktrace_vm *vm, u32 op, u64 base, u32 imm, u64 *out)
{
	u64 addr = base + (u64)(s64)KTRACE_LD_OFF(imm);
	u64 bad = base ? addr : 0;
	u32 sz = imm & KTRACE_LD_SIZE_MASK;
	union { u8 b; u16 h; u32 w; u64 d; } u = { .d = 0 };
	int err;

	if (op == KTRACE_OP_LDK) {
		/* a user address (NULL included) is no kernel object: DTrace says "invalid address" */
		if (!KTRACE_IS_KERNEL_ADDR(addr))
			return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, bad);
		err = ktrace_kread_word(&u, addr, sz);
	} else if (op == KTRACE_OP_LDU) {
		if (KTRACE_IS_KERNEL_ADDR(addr))
			return ktrace_vm_fault(vm, KTRACE_FAULT_UPRIV, addr);
		err = ktrace_env_read_user(&u, addr, sz);
	} else {
		err = ktrace_vm_avail(vm, addr) >= sz ? 0 : -EFAULT;
		if (!err)
			memcpy(&u, (const void *)(uintptr_t)addr, sz);
	}
	if (err)
		return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, bad);
	switch (sz | (imm & KTRACE_LD_SIGNED)) {
	case 1: *out = u.b; break;
	case 2: *out = u.h; break;
	case 4: *out = u.w; break;
	case 8: *out = u.d; break;
	case 1 | KTRACE_LD_SIGNED: *out = (s64)(s8)u.b; break;
	case 2 | KTRACE_LD_SIGNED: *out = (s64)(s16)u.h; break;
	case 4 | KTRACE_LD_SIGNED: *out = (s64)(s32)u.w; break;
	default: *out = u.d; break;
	}
	return 0;
}

/*
 * Element idx of the declared array var (int a[N]; verifier rule 9): its
 * address in the session's globals, or a BADINDEX fault when idx >= N.
 */
static int garr_elem(struct ktrace_vm *vm, u32 var, u64 idx, u8 **elem, u32 *esz)
{
	const struct ktrace_prog *p = vm->prog;
	const struct ktrace_var_desc *v = &p->vars[var];

	if (unlikely(idx >= v->nelems))
		return ktrace_vm_fault(vm, KTRACE_FAULT_BADINDEX, idx);
	*esz = v->elem & KTRACE_LD_SIZE_MASK;
	*elem = vm->rt->globals + p->var_off[var] + (u32)idx * *esz;
	return 0;
}

static int garr_load(struct ktrace_vm *vm, u32 var, u64 idx, u64 *out)
{
	union { u8 b; u16 h; u32 w; u64 d; } u = { .d = 0 };
	u8 *e;
	u32 sz;
	int err = garr_elem(vm, var, idx, &e, &sz);

	if (err)
		return err;
	memcpy(&u, e, sz);
	switch (sz | (vm->prog->vars[var].elem & KTRACE_LD_SIGNED)) {
	case 1: *out = u.b; break;
	case 2: *out = u.h; break;
	case 4: *out = u.w; break;
	case 1 | KTRACE_LD_SIGNED: *out = (s64)(s8)u.b; break;
	case 2 | KTRACE_LD_SIGNED: *out = (s64)(s16)u.h; break;
	case 4 | KTRACE_LD_SIGNED: *out = (s64)(s32)u.w; break;
	default: *out = u.d; break;
	}
	return 0;
}

static int garr_store(struct ktrace_vm *vm, u32 var, u64 idx, u64 v)
{
	u8 *e;
	u32 sz;
	int err = garr_elem(vm, var, idx, &e, &sz);

	if (!err)
		memcpy(e, &v, sz);	/* little-endian: the low bytes */
	return err;
}

static int do_store(struct ktrace_vm *vm, u64 addr, u64 v, u32 sz)
{
	if (!ktrace_vm_writable(vm, addr, sz))
		return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, addr);
	if (!IS_ALIGNED(addr, sz))
		return ktrace_vm_fault(vm, KTRACE_FAULT_BADALIGN, addr);
	memcpy((void *)(uintptr_t)addr, &v, sz);	/* little-endian: low bytes */
	return 0;
}

static int scmp(struct ktrace_vm *vm, u64 a, u64 b, u64 *out)
{
	u32 la, lb, n;
	int c;

	if (!a || !b) {
		/* NULL sorts before every string, "" too, and equals NULL */
		*out = a ? 1 : b ? (u64)-1 : 0;
		return 0;
	}
	if (ktrace_vm_strlen(vm, a, &la) || ktrace_vm_strlen(vm, b, &lb))
		return -EFAULT;
	n = min(la, lb);
	c = memcmp((const void *)(uintptr_t)a, (const void *)(uintptr_t)b, n);
	if (!c)
		c = la < lb ? -1 : la > lb;
	*out = c < 0 ? (u64)-1 : c > 0;
	return 0;
}

int ktrace_vm_run(struct ktrace_vm *vm, u32 start, u64 *ret)
{
	static const void *const dispatch[256] = {
		[0 ... 255] = &&op_BAD,
#define KTRACE_OP_LABEL(name, val, mn, fmt) [val] = &&op_##name,
		KTRACE_OPS(KTRACE_OP_LABEL)
#undef KTRACE_OP_LABEL
	};
	const struct ktrace_prog *p = vm->prog;
	const struct ktrace_insn *insns = p->insns, *in;
	u64 *r = vm->regs;
	u32 pc = start, rec_used0 = vm->rec_used;
	/*
	 * What is left of the firing's budget, handed out in chunks that end
	 * where the firing's count crosses a multiple of KTRACE_BUDGET_CHUNK:
	 * the dispatch loop's count stays one decrement, and the firing's
	 * clock is read once per chunk of the firing's instructions, however
	 * they are spread over clauses.  Run so far: given - left.
	 */
	u32 budget = p->opts.insn_budget - min(vm->insns, p->opts.insn_budget);
	u32 given = min_t(u32, budget, KTRACE_BUDGET_CHUNK - vm->insns % KTRACE_BUDGET_CHUNK);
	u32 left = given;
	u64 v;

	/*
	 * The verifier rejects a read of any register but %r0 before it is
	 * written (rule 13), so only %r0 needs a value: no 128-byte clear per
	 * run (a rep stos, slow under emulation, on every clause).
	 */
	r[0] = 0;
	vm->ntup = 0;
	if (vm->in_clause) {
		/* a body after its predicate: what the predicate alloca()'d stays */
		vm->in_clause = 0;
		vm->scratch_used = vm->scratch_keep;
	} else {
		vm->scratch_used = 0;
		vm->scratch_keep = 0;
		vm->alloca_used = 0;
	}
	vm->actidx = 0;
	vm->fault = 0;
	vm->fault_val = 0;

#define NEXT() do {							\
		if (unlikely(!left--))					\
			goto refill;					\
		in = &insns[pc];					\
		goto *dispatch[in->op];					\
	} while (0)
#define RD	r[in->rd]
#define RS1	r[in->rs1]
#define RS2	r[in->rs2]
#define IMM	in->imm
#define CHECK(x) do { if (unlikely((x) < 0)) goto fault; } while (0)

	NEXT();

op_NOP:
	pc++; NEXT();
op_ADD:
	RD = RS1 + RS2; pc++; NEXT();
op_SUB:
	RD = RS1 - RS2; pc++; NEXT();
op_MUL:
	RD = RS1 * RS2; pc++; NEXT();
op_SDIV:
	if (unlikely(!RS2))
		goto fault_div;
	RD = ((s64)RS2 == -1) ? -RS1 : (u64)((s64)RS1 / (s64)RS2);
	pc++; NEXT();
op_UDIV:
	if (unlikely(!RS2))
		goto fault_div;
	RD = RS1 / RS2; pc++; NEXT();
op_SREM:
	if (unlikely(!RS2))
		goto fault_div;
	RD = ((s64)RS2 == -1) ? 0 : (u64)((s64)RS1 % (s64)RS2);
	pc++; NEXT();
op_UREM:
	if (unlikely(!RS2))
		goto fault_div;
	RD = RS1 % RS2; pc++; NEXT();
op_AND:
	RD = RS1 & RS2; pc++; NEXT();
op_OR:
	RD = RS1 | RS2; pc++; NEXT();
op_XOR:
	RD = RS1 ^ RS2; pc++; NEXT();
op_SHL:
	RD = RS1 << (RS2 & 63); pc++; NEXT();
op_SHR:
	RD = RS1 >> (RS2 & 63); pc++; NEXT();
op_SAR:
	RD = (u64)((s64)RS1 >> (RS2 & 63)); pc++; NEXT();
op_SEQ:
	RD = RS1 == RS2; pc++; NEXT();
op_SNE:
	RD = RS1 != RS2; pc++; NEXT();
op_SLT:
	RD = (s64)RS1 < (s64)RS2; pc++; NEXT();
op_SLE:
	RD = (s64)RS1 <= (s64)RS2; pc++; NEXT();
op_SLTU:
	RD = RS1 < RS2; pc++; NEXT();
op_SLEU:
	RD = RS1 <= RS2; pc++; NEXT();
op_SCMP:
	CHECK(scmp(vm, RS1, RS2, &v));
	RD = v; pc++; NEXT();
op_MOV:
	RD = RS1; pc++; NEXT();
op_NEG:
	RD = -RS1; pc++; NEXT();
op_NOT:
	RD = ~RS1; pc++; NEXT();
op_LNOT:
	RD = !RS1; pc++; NEXT();
op_ADDI:
	RD = RS1 + (u64)(s64)IMM; pc++; NEXT();
op_SEXT:
	RD = (u64)((s64)(RS1 << (64 - IMM)) >> (64 - IMM)); pc++; NEXT();
op_ZEXT:
	RD = RS1 & ((1ULL << IMM) - 1); pc++; NEXT();
op_SETI:
	RD = (u64)(s64)IMM; pc++; NEXT();
op_SETX:
	RD = (u64)p->ints[IMM]; pc++; NEXT();
op_SETS:
	RD = (uintptr_t)(p->strtab + IMM); pc++; NEXT();
op_BA:
	pc = IMM; NEXT();
op_BZ:
	pc = RS1 ? pc + 1 : (u32)IMM; NEXT();
op_BNZ:
	pc = RS1 ? (u32)IMM : pc + 1; NEXT();
op_LOOP:
	if (unlikely(++vm->loops > p->opts.maxloops)) {
		ktrace_vm_fault(vm, KTRACE_FAULT_LOOPMAX, vm->loops - 1);
		goto fault;
	}
	vm->scratch_used = vm->scratch_keep;	/* a statement boundary */
	pc = IMM; NEXT();
op_RET:
	*ret = RS1;
	vm->insns += given - left;
	vm->ntup = 0;
	return 0;
op_LDK:
op_LDU:
op_LDS:
	CHECK(do_load(vm, in->op, RS1, IMM, &v));
	RD = v; pc++; NEXT();
op_ST:
	CHECK(do_store(vm, RD, RS1, IMM));
	pc++; NEXT();
op_LDG:
	if (p->vars[IMM].type == KTRACE_TYPE_STRING)
		RD = str_ref((const char *)vm->rt->globals + p->var_off[IMM]);
	else
		memcpy(&RD, vm->rt->globals + p->var_off[IMM], 8);
	pc++; NEXT();
op_STG:
	if (p->vars[IMM].type == KTRACE_TYPE_STRING)
		CHECK(copy_str(vm, (char *)vm->rt->globals + p->var_off[IMM], RS1));
	else
		memcpy(vm->rt->globals + p->var_off[IMM], &RS1, 8);
	pc++; NEXT();
op_LDGX:
	CHECK(garr_load(vm, IMM, RS1, &v));
	RD = v; pc++; NEXT();
op_STGX:
	CHECK(garr_store(vm, IMM, RD, RS1));
	pc++; NEXT();
op_ADRG:
	RD = (uintptr_t)(vm->rt->globals + p->var_off[IMM]);
	pc++; NEXT();
op_LDL:
	if (p->vars[IMM].type == KTRACE_TYPE_STRING)
		RD = str_ref((const char *)vm->locals + p->var_off[IMM]);
	else
		memcpy(&RD, vm->locals + p->var_off[IMM], 8);
	pc++; NEXT();
op_STL:
	if (p->vars[IMM].type == KTRACE_TYPE_STRING)
		CHECK(copy_str(vm, (char *)vm->locals + p->var_off[IMM], RS1));
	else
		memcpy(vm->locals + p->var_off[IMM], &RS1, 8);
	pc++; NEXT();
op_LDT:
	CHECK(dyn_load(vm, IMM, true, false, &v));
	RD = v; pc++; NEXT();
op_LDTA:
	CHECK(dyn_load(vm, IMM, true, true, &v));
	vm->ntup = 0;
	RD = v; pc++; NEXT();
op_LDGA:
	CHECK(dyn_load(vm, IMM, false, true, &v));
	vm->ntup = 0;
	RD = v; pc++; NEXT();
op_STT:
	CHECK(dyn_store(vm, IMM, true, false, RS1));
	pc++; NEXT();
op_STTA:
	CHECK(dyn_store(vm, IMM, true, true, RS1));
	vm->ntup = 0;
	pc++; NEXT();
op_STGA:
	CHECK(dyn_store(vm, IMM, false, true, RS1));
	vm->ntup = 0;
	pc++; NEXT();
op_LDB:
	CHECK(do_builtin(vm, IMM, &v));
	RD = v; pc++; NEXT();
op_LDARG:
	if (unlikely(RS1 > 9)) {
		ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, RS1);
		goto fault;
	}
	RD = vm->fire ? vm->fire->args[RS1] : 0;
	pc++; NEXT();
op_PUSH:
	CHECK(tuple_push(vm, RS1, IMM, in->rs2 ? RS2 : 0));
	pc++; NEXT();
op_POPTS:
	vm->ntup = 0; pc++; NEXT();
op_PUSHB:
	/* ldb + push in one dispatch (verifier rule 18: IMM < KTRACE_VAR_MAX) */
	CHECK(do_builtin(vm, IMM, &v));
	CHECK(tuple_push(vm, v, builtin_tt[IMM], 0));
	pc++; NEXT();
op_CALL:
	CHECK(ktrace_subr_call(vm, IMM, &v));
	vm->ntup = 0;
	RD = v; pc++; NEXT();
op_ACT:
	vm->actidx++;
	v = (u64)(s64)do_action(vm, IMM);
	if (unlikely(v)) {
		CHECK((s64)v);
		goto end_clause;	/* KTRACE_ACT_END_CLAUSE */
	}
	vm->ntup = 0;
	vm->scratch_used = vm->scratch_keep;	/* the end of a statement */
	pc++; NEXT();
op_AGG:
	vm->actidx++;
	CHECK(do_agg(vm, IMM, RS1, in->rs2 ? RS2 : 1));
	vm->ntup = 0;
	vm->scratch_used = vm->scratch_keep;
	pc++; NEXT();
op_AGGB:
	vm->actidx++;
	CHECK(do_aggb(vm, IMM, RS1, in->rs2 ? RS2 : 1));
	vm->ntup = 0;
	vm->scratch_used = vm->scratch_keep;
	pc++; NEXT();
op_AGGKS:
	vm->actidx++;
	CHECK(do_aggks(vm, RD, IMM, RS1, in->rs2 ? RS2 : 1));
	vm->ntup = 0;
	vm->scratch_used = vm->scratch_keep;
	pc++; NEXT();
op_BAD:
	ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, in->op);
	goto fault;

refill:
	/* left wrapped: this instruction is not run yet */
	left = 0;
	if (given >= budget)
		goto fault_budget;
	if (ktrace_env_firing_overtime(vm)) {
		/* over time: the rest of the firing's budget goes too */
		ktrace_vm_fault(vm, KTRACE_FAULT_BUDGET, vm->insns + given);
		given = budget;
		in = &insns[pc];
		goto fault;
	}
	left = min_t(u32, budget - given, KTRACE_BUDGET_CHUNK);
	given += left;
	left--;
	in = &insns[pc];
	goto *dispatch[in->op];

fault_div:
	ktrace_vm_fault(vm, KTRACE_FAULT_DIVZERO, 0);
	goto fault;
fault_budget:
	/* the value: instructions this firing has run */
	ktrace_vm_fault(vm, KTRACE_FAULT_BUDGET, vm->insns + given);
	in = &insns[pc];
	goto fault;
fault:
	vm->fault_pc = pc;
	vm->insns += given - left;
	vm->rec_used = rec_used0;
	vm->ntup = 0;
	return -EFAULT;
end_clause:
	/* the clause ends without a record, as if its predicate were false */
	vm->insns += given - left;
	vm->rec_used = rec_used0;
	vm->ntup = 0;
	vm->spec = 0;
	*ret = 0;
	return 0;
#undef NEXT
#undef RD
#undef RS1
#undef RS2
#undef IMM
#undef CHECK
}
/* the computed-goto dispatch is not a call: objtool cannot follow it */
STACK_FRAME_NON_STANDARD(ktrace_vm_run);
