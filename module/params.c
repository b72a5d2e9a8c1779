// SPDX-License-Identifier: GPL-2.0
/*
 * params.c: the module parameters of the core (/sys/module/ktrace/
 * parameters/): the deadman's periods, the dynamic variable cleaning
 * period, the memory limit and the page pool's start.  Read by probe.c,
 * session.c, session_mem.c and mem.c; calls no other file of the module
 * (genl.c and the providers keep their own parameters).
 *
 * Locks: none.  Each value is written whole by the parameter's setter
 * (WRITE_ONCE, process context) and read with READ_ONCE where it matters
 * (probe context, timers); a reader sees the old or the new value.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include "ktrace_internal.h"

unsigned int ktrace_deadman_interval_ms = 1000;
unsigned int ktrace_deadman_timeout_ms = 10000;
unsigned int ktrace_deadman_user_ms = 30000;
unsigned int ktrace_cleanrate_ms = 10;
unsigned long ktrace_mem_limit;
unsigned int ktrace_buf_pool_pages = KTRACE_POOL_START;

static int param_set_ms(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int err = kstrtouint(val, 0, &v);

	if (err)
		return err;
	if (v < 1 || v > 3600 * 1000)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static const struct kernel_param_ops ms_ops = {
	.set = param_set_ms,
	.get = param_get_uint,
};

module_param_cb(deadman_interval_ms, &ms_ops, &ktrace_deadman_interval_ms, 0644);
MODULE_PARM_DESC(deadman_interval_ms, "deadman timer period (ms, default 1000)");
module_param_cb(deadman_timeout_ms, &ms_ops, &ktrace_deadman_timeout_ms, 0644);
MODULE_PARM_DESC(deadman_timeout_ms, "abort a session not refreshed for this long (ms, default 10000)");
module_param_cb(deadman_user_ms, &ms_ops, &ktrace_deadman_user_ms, 0644);
MODULE_PARM_DESC(deadman_user_ms, "consumer heartbeat (STATUS) timeout (ms, default 30000)");
module_param_cb(cleanrate_ms, &ms_ops, &ktrace_cleanrate_ms, 0644);
MODULE_PARM_DESC(cleanrate_ms, "dynamic variable cleaning period (ms, default 10)");

module_param_named(mem_limit, ktrace_mem_limit, ulong, 0644);
MODULE_PARM_DESC(mem_limit, "bytes all loaded sessions may use together (0, the default: half of RAM)");

static int param_set_pool(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int err = kstrtouint(val, 0, &v);

	if (err)
		return err;
	if (v < 1 || v > KTRACE_POOL_MAX)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static const struct kernel_param_ops pool_ops = {
	.set = param_set_pool,
	.get = param_get_uint,
};

module_param_cb(buf_pool_pages, &pool_ops, &ktrace_buf_pool_pages, 0644);
MODULE_PARM_DESC(buf_pool_pages, "zeroed pages a new session keeps ready for its principal buffers (1..4096, default 32; docs/buffers.md)");
