// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel data symbols by name, for the compiler's `sym (dt_ksym.c):
 * /proc/kallsyms is read once per lookup, only by programs that name a
 * kernel symbol.  (sym.c resolves addresses to text symbols instead.)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "kt_user.h"

/*
 * The address of kernel symbol NAME (of module MOD if not NULL: "vmlinux"
 * for the kernel's own), for `sym and `mod`sym in D: 0, -ENOENT if there
 * is none, -EPERM if /proc/kallsyms hides addresses (not root).
 */
int kt_ksym_addr(void *ctx, const char *mod, const char *name, uint64_t *addr)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];
	int rc = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char type, sname[256], smod[128] = "";
		int n = sscanf(line, "%llx %c %255s [%127[^]]]", &a, &type, sname, smod);

		if (n < 3 || strcmp(sname, name))
			continue;
		if (mod && (strcmp(mod, KTRACE_MOD_VMLINUX) ? strcmp(smod, mod) : n == 4))
			continue;
		if (!a) {
			rc = -EPERM;
			break;
		}
		*addr = a;
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}
