// SPDX-License-Identifier: GPL-2.0
/*
 * vm_mem.c: the out-of-line VM memory helpers (vm_mem.h): which ktrace
 * region an address lies in, and the string length for the callers off
 * the hot path.  Probe context; no state, no locks.
 */
#include "vm_mem.h"

size_t ktrace_vm_avail(const struct ktrace_vm *vm, uintptr_t a)
{
	const struct ktrace_prog *p = vm->prog;
	struct ktrace_region r;
	size_t n;

	/* only what is allocated: a pointer of an earlier clause is stale */
	n = vm_in_region(a, vm->scratch, vm->scratch_used);
	if (n)
		return n;
	n = vm_in_region(a, p->strtab, p->strtab_size);
	if (n)
		return n;
	if (vm->rt) {
		n = vm_in_region(a, vm->rt->globals, p->globals_size);
		if (n)
			return n;
	}
	n = vm_in_region(a, vm->locals, p->locals_size);
	if (n)
		return n;
	if (vm->fire) {
		n = vm_in_region(a, vm->fire->raw, vm->fire->raw_size);
		if (n)
			return n;
	}
	if (vm->rt && vm->rt->dynvars) {
		ktrace_dynvars_region(vm->rt->dynvars, &r);
		return vm_in_region(a, (const void *)r.base, r.size);
	}
	return 0;
}

int ktrace_vm_strlen(struct ktrace_vm *vm, uintptr_t a, u32 *len)
{
	return vm_strlen(vm, a, len);
}
