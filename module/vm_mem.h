/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vm_mem.h: the VM's memory helpers, shared by the interpreter (interp.c),
 * the subroutines (subr.c) and the environments (env.c, the host's
 * env_host.c): the clause's scratch stack, setting a fault, and the checks
 * that an address lies in ktrace memory (docs/bytecode.md, "Memory").
 * interp.c and subr.c both build on these and do not call each other's
 * helpers: interp.c calls subr.c only through ktrace_subr_call() (vm.h).
 *
 * The small helpers are inline here, as they were inline in the
 * interpreter before they moved: the per-instruction paths (loads,
 * stores, tuple pushes, string pushes from scratch) cost no call.  The
 * region walk and the out-of-line string length are in vm_mem.c.
 *
 * Context: probe context (vm.h); no state of their own, no locks.
 */
#ifndef _KTRACE_VM_MEM_H
#define _KTRACE_VM_MEM_H

#include "vm.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "vm_str_scan() and the key encoding assume a little-endian machine"
#endif

/*
 * Allocate n bytes (rounded up to 8) of this clause's scratch, for env
 * hooks that return strings (execname, probefunc...).  NULL when full.
 *
 * Scratch is a stack: the values of an expression (strings, stacks...)
 * are released at the end of each action and aggregation statement and
 * at each loop back-edge (nothing the compiler generates lives across
 * statements, docs/bytecode.md), so a loop or a long clause reuses it.
 * Memory that a program may keep in a variable as a pointer (alloca(),
 * copyin()) and the string strtok() walks last the whole clause:
 * ktrace_vm_scratch_keep() marks everything allocated so far as such.
 */
static inline void *ktrace_vm_scratch_alloc(struct ktrace_vm *vm, u32 n)
{
	u32 sz = ALIGN(n, 8);
	void *p;

	if (sz < n || vm->scratch_size - vm->scratch_used < sz)
		return NULL;
	p = vm->scratch + vm->scratch_used;
	vm->scratch_used += sz;
	return p;
}

static inline void ktrace_vm_scratch_keep(struct ktrace_vm *vm)
{
	vm->scratch_keep = vm->scratch_used;
}

/* Set the fault; returns -EFAULT. */
static inline int ktrace_vm_fault(struct ktrace_vm *vm, u32 fault, u64 val)
{
	vm->fault = fault;
	vm->fault_val = val;
	return -EFAULT;
}

/* Bytes from a to the end of [base, base + size), 0: not in it. */
static __always_inline size_t vm_in_region(uintptr_t a, const void *base, size_t size)
{
	uintptr_t b = (uintptr_t)base;

	return (base && a >= b && a - b < size) ? size - (a - b) : 0;
}

/* Bytes readable from addr to the end of its ktrace region, 0: not ktrace memory. */
size_t ktrace_vm_avail(const struct ktrace_vm *vm, uintptr_t addr);

/*
 * Is [addr, addr+len) inside the scratch this clause keeps (the only
 * VM-writable memory: alloca() and copyin() buffers)?  As DTrace, memory
 * past the top of what alloca() returned is not writable, nor is a
 * buffer of an earlier clause (scratch is reset per clause).
 */
static inline bool ktrace_vm_writable(const struct ktrace_vm *vm, uintptr_t a, size_t len)
{
	return vm_in_region(a, vm->scratch, vm->scratch_keep) >= len;
}

/*
 * The destination check of bcopy() and copyinto(): 0, or the fault as
 * DTrace reports it: BADADDR (the address) when dst is not in kept
 * scratch, BADSIZE (the size) when the copy runs past its top.
 */
static inline int ktrace_vm_dst_check(struct ktrace_vm *vm, uintptr_t dst, u64 size)
{
	size_t n = vm_in_region(dst, vm->scratch, vm->scratch_keep);

	if (!n)
		return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, dst);
	if (size > n)
		return ktrace_vm_fault(vm, KTRACE_FAULT_BADSIZE, size);
	return 0;
}

/*
 * Length of the string at s, at most lim: a word at a time when s is
 * aligned (scratch strings always are), bytewise only in a last partial
 * word.  In a word, (w - 0x01..01) & ~w & 0x80..80 sets the top bit of
 * the first zero byte (bits above it may be set by the borrow, bits
 * below never are), so on a little-endian machine (x86-64) its lowest
 * set bit, divided by 8, is the NUL's index: no byte loop.  Every byte
 * read lies in s[0..lim), the part of its region it may use.
 */
static __always_inline u32 vm_str_scan(const char *s, u32 lim)
{
	u32 i = 0;
	u64 w, z;

	if (IS_ALIGNED((uintptr_t)s, 8)) {
		for (; i + 8 <= lim; i += 8) {
			memcpy(&w, s + i, 8);
			z = (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL;
			if (z)
				return i + ((u32)__builtin_ctzll(z) >> 3);
		}
	}
	while (i < lim && s[i])
		i++;
	return i;
}

/*
 * Length of the string at addr (NUL excluded), bounded by strsize and
 * its region; -EFAULT (BADADDR fault set) if addr is not ktrace memory.
 * Inline for the hot callers (tuple keys): a string in scratch, where
 * builtins like execname put theirs, needs neither the region search
 * nor a library call.  ktrace_vm_strlen() is the same, out of line.
 */
static __always_inline int vm_strlen(struct ktrace_vm *vm, uintptr_t a, u32 *len)
{
	size_t avail = vm_in_region(a, vm->scratch, vm->scratch_size);
	size_t lim = vm->prog->opts.strsize;

	if (!avail)
		avail = ktrace_vm_avail(vm, a);
	if (!avail)
		return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, a);
	*len = vm_str_scan((const char *)a, (u32)min(lim, avail));
	return 0;
}

int ktrace_vm_strlen(struct ktrace_vm *vm, uintptr_t addr, u32 *len);

#endif /* _KTRACE_VM_MEM_H */
