// SPDX-License-Identifier: GPL-2.0
/*
 * addr.c: an address as the consumer prints it, by its D type: a kernel
 * symbol or module (kallsyms, sym.c), a process's symbol or module (its
 * mappings and ELF symbols, sym.c), hex when none is known.  Every output
 * path (printf, printa keys and values, stacks, JSON) prints through it.
 */
#include <stdio.h>
#include "kt_user.h"

void kt_addr_text(int dtype, int pid, uint64_t addr, bool with_offset, char *buf, size_t size)
{
	buf[0] = '\0';
	switch (dtype) {
	case KT_DT_SYM:
		kt_ksym(addr, buf, size, with_offset);
		break;
	case KT_DT_MOD:
		kt_kmod(addr, buf, size);
		break;
	case KT_DT_USYM:
		kt_usym(pid, addr, buf, size, with_offset);
		break;
	case KT_DT_UMOD:
		kt_umod(pid, addr, buf, size);
		break;
	}
	if (!buf[0])
		snprintf(buf, size, "0x%llx", (unsigned long long)addr);
}
