/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kt_compat.h: the one place that differs between the kernel build of
 * the shared VM sources (module/{prog,verify,interp,subr,agg,dynvar,
 * disasm}.c) and their host build (selftests, fuzz, bench, the CLI).
 *
 * In the kernel it only includes kernel headers.  On the host it maps
 * the handful of kernel types and primitives those files use onto libc
 * and compiler builtins.  Nothing here owns state or locks.
 */
#ifndef _KTRACE_KT_COMPAT_H
#define _KTRACE_KT_COMPAT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/compiler.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/stdarg.h>
#include <linux/spinlock.h>
#include <asm/barrier.h>
#include <asm/byteorder.h>
#include <linux/objtool.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#ifdef CONFIG_X86_64
#include <asm/vsyscall.h>
#endif

/*
 * Allocations whose failure is an answer (LOAD's buffers, the object):
 * fail instead of calling the OOM killer, and say nothing in the log.
 */
#define KTRACE_GFP_MAYFAIL	(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/*
 * Long load-time loops (the verifier) call this between chunks of work:
 * it gives the CPU away if needed; true when the task is being killed.
 */
static inline bool ktrace_yield(void)
{
	cond_resched();
	return fatal_signal_pending(current);
}

/* The dynamic variable space's raw lock (env.c: arch_spin_lock()). */
typedef arch_spinlock_t ktrace_lock_t;
#define KTRACE_LOCK_INIT	((arch_spinlock_t)__ARCH_SPIN_LOCK_UNLOCKED)

/*
 * ktrace_kread_word(): ldk's fault-safe read of one 1-, 2-, 4- or 8-byte
 * kernel object, inline, with the rules of copy_from_kernel_nofault()
 * (mm/maccess.c, arch/x86/mm/maccess.c): refused while lockdown forbids
 * kernel reads (env.c), only a canonical kernel address above the user
 * guard page and outside the vsyscall page, read under pagefault_disable()
 * by one access whose fault the exception table fixes up.  What goes is
 * the three calls of the exported path (our hook, the copy, its address
 * check): a translated argument chases a pointer chain (io:::start's
 * R->q->disk->disk_name: two loads before the name), and calls and
 * returns are what cost most on kernels that send every return through a
 * mitigation thunk, most of all in an emulated guest (docs/benchmarks.md,
 * B9).  0, -EACCES (lockdown) or -EFAULT.
 */
extern bool ktrace_kread_locked;

static __always_inline int ktrace_kread_word(void *dst, u64 src, u32 size)
{
	if (unlikely(READ_ONCE(ktrace_kread_locked)))
		return -EACCES;
#ifdef CONFIG_X86_64
	if (src < TASK_SIZE_MAX + PAGE_SIZE || is_vsyscall_vaddr(src) ||
	    !__is_canonical_address(src, boot_cpu_data.x86_virt_bits))
		return -EFAULT;
	pagefault_disable();
	switch (size) {
	case 1:
		__get_kernel_nofault(dst, (const void *)(uintptr_t)src, u8, fault);
		break;
	case 2:
		__get_kernel_nofault(dst, (const void *)(uintptr_t)src, u16, fault);
		break;
	case 4:
		__get_kernel_nofault(dst, (const void *)(uintptr_t)src, u32, fault);
		break;
	default:
		__get_kernel_nofault(dst, (const void *)(uintptr_t)src, u64, fault);
		break;
	}
	pagefault_enable();
	return 0;
fault:
	pagefault_enable();
	return -EFAULT;
#else
	return copy_from_kernel_nofault(dst, (const void *)(uintptr_t)src, size) ? -EFAULT : 0;
#endif
}

#else /* !__KERNEL__ */

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <linux/types.h>

/* the kernel's own widths (u64 is unsigned long long, as __u64) */
typedef __u8		u8;
typedef __u16		u16;
typedef __u32		u32;
typedef __u64		u64;
typedef __s8		s8;
typedef __s16		s16;
typedef __s32		s32;
typedef __s64		s64;

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

#ifndef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))
#endif
#ifndef noinline
#define noinline	__attribute__((__noinline__))
#endif
#ifndef __printf
#define __printf(a, b)	__attribute__((__format__(printf, a, b)))
#endif
#ifndef __maybe_unused
#define __maybe_unused	__attribute__((__unused__))
#endif
#ifndef fallthrough
#define fallthrough	__attribute__((__fallthrough__))
#endif

/* objtool annotation (the interpreter's computed goto) */
#define STACK_FRAME_NON_STANDARD(f)

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define barrier()		__asm__ __volatile__("" ::: "memory")
#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)

#define GFP_KERNEL	0
#define KTRACE_GFP_MAYFAIL	0
#define kmalloc(n, f)	malloc(n)
#define kzalloc(n, f)	calloc(1, (n))
#define kcalloc(n, s, f) calloc((n), (s))
#define kvzalloc(n, f)	calloc(1, (n))
#define kvcalloc(n, s, f) calloc((n), (s))
#define kvmalloc(n, f)	malloc(n)
#define kfree(p)	free(p)
#define kvfree(p)	free(p)
#define vfree(p)	free(p)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef min
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#endif
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define ALIGN(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define BUILD_BUG_ON(c)	_Static_assert(!(c), "BUILD_BUG_ON: " #c)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S64_MAX		((s64)(U64_MAX >> 1))
#define S64_MIN		(-S64_MAX - 1)

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the host build assumes a little-endian machine"
#endif
#define cpu_to_be16(x)	__builtin_bswap16(x)
#define cpu_to_be32(x)	__builtin_bswap32(x)
#define cpu_to_be64(x)	__builtin_bswap64(x)

static inline bool ktrace_yield(void)
{
	return false;
}

/* The dynamic variable space's lock (env_host.c spins on it). */
typedef struct {
	int	locked;
} ktrace_lock_t;
#define KTRACE_LOCK_INIT	((ktrace_lock_t){ 0 })

/* ldk's reads: the environment hook (env_host.c; vm.h declares it) */
#define ktrace_kread_word(dst, src, size)	ktrace_env_read_kernel((dst), (src), (size))

#endif /* __KERNEL__ */

#endif /* _KTRACE_KT_COMPAT_H */
