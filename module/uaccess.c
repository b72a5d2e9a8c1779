// SPDX-License-Identifier: GPL-2.0
/*
 * uaccess.c: the uapi struct copy helper shared by ioctl.c (every ioctl's
 * struct), probe.c (PROBES' query and descriptions) and prov_uprobe.c
 * (USDT descriptions).  It sits below all three and calls no other file of
 * the module.
 *
 * Owns no shared state; process context only (it may fault and sleep).
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include "ktrace_internal.h"

/*
 * Copy a size-versioned struct: a smaller user struct is zero-filled, a
 * larger one is accepted only if the extra bytes are zero (-E2BIG).
 */
int ktrace_copy_struct_from_user(void *dst, size_t ksize, const void __user *src,
				 size_t usize)
{
	if (usize < 2 * sizeof(u32) || usize > PAGE_SIZE)
		return -EINVAL;
	return copy_struct_from_user(dst, ksize, src, usize);
}
