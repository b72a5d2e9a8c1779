// SPDX-License-Identifier: GPL-2.0
/*
 * The io provider (DTrace's stable block I/O probes) on Linux's block
 * request tracepoints:
 *   start   block_rq_issue: a request goes to the device driver
 *   done    block_rq_complete: the driver completed (part of) a request,
 *           in the completing context (often an interrupt or softirq)
 * arg0, arg1 and arg2 are the struct request (args[0..2]: its bufinfo_t,
 * devinfo_t and fileinfo_t); io:::done also has arg3, the bytes this
 * completion covers, and arg4, its errno (0 or a negative errno).
 * Locks and contexts: see stable.h.
 */
#include <linux/module.h>
#include <linux/blkdev.h>
#include <linux/blk-mq.h>

#include "stable.h"

enum { IS_ISSUE, IS_COMPLETE };

static void io_issue(void *data, struct request *rq)
{
	kt_sp_fire(KTRACE_SP_IO_START, NULL, (unsigned long)rq, (unsigned long)rq,
		   (unsigned long)rq, 0, 0, 0);
}

static void io_complete(void *data, struct request *rq, blk_status_t error,
			unsigned int nr_bytes)
{
	if (!kt_sp_on(KTRACE_SP_IO_DONE))
		return;
	kt_sp_fire(KTRACE_SP_IO_DONE, NULL, (unsigned long)rq, (unsigned long)rq,
		   (unsigned long)rq, nr_bytes, (s64)blk_status_to_errno(error), 0);
}

static struct kt_sp_source io_src[] = {
	[IS_ISSUE]    = { .name = "block_rq_issue", .hook = io_issue },
	[IS_COMPLETE] = { .name = "block_rq_complete", .hook = io_complete },
};

static const struct kt_sp_need io_need[] = {
	{ KTRACE_SP_IO_START,	BIT(IS_ISSUE) },
	{ KTRACE_SP_IO_DONE,	BIT(IS_COMPLETE) },
};

KT_SP_DEFINE(kt_sp_io, "io", io_src, io_need);
KTRACE_PROVIDER(100, struct kt_sp_provider, kt_sp_io, .prov);
