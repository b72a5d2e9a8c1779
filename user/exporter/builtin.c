// SPDX-License-Identifier: GPL-2.0
/*
 * builtin.c: the programs ktrace-exporter runs when /etc/ktrace/exporter.d
 * has none (`ktrace-exporter --print-builtin` shows them, ready to copy
 * there and edit).  Latencies are measured in nanoseconds and exported in
 * seconds (scale=1e-9), Prometheus's base unit; counts are per process
 * name (comm) where a process is the question.
 */
#include "exporter.h"

const struct kx_builtin kx_builtins[] = {
	{ "syscalls",
	  "// metric: @calls ktrace_syscalls labels=comm help=System calls by process name\n"
	  "// metric: @lat ktrace_syscall_latency_seconds sum=@latsum scale=1e-9 help=System call latency (entry to return)\n"
	  "syscall:::entry { @calls[execname] = count(); self->ts = timestamp; }\n"
	  "syscall:::return /self->ts/ {\n"
	  "\t@lat = quantize(timestamp - self->ts);\n"
	  "\t@latsum = sum(timestamp - self->ts);\n"
	  "\tself->ts = 0;\n"
	  "}\n" },
	{ "biolatency",
	  "// metric: @lat ktrace_block_io_latency_seconds sum=@latsum scale=1e-9 help=Block I/O latency (request issued to completed)\n"
	  "tracepoint:block::block_rq_issue { start[args->dev, args->sector] = timestamp; }\n"
	  "tracepoint:block::block_rq_complete /start[args->dev, args->sector]/ {\n"
	  "\t@lat = quantize(timestamp - start[args->dev, args->sector]);\n"
	  "\t@latsum = sum(timestamp - start[args->dev, args->sector]);\n"
	  "\tstart[args->dev, args->sector] = 0;\n"
	  "}\n" },
	{ "runqlat",
	  "// metric: @lat ktrace_runqueue_latency_seconds sum=@latsum scale=1e-9 help=Run-queue latency (woken to on CPU)\n"
	  "tracepoint:sched::sched_wakeup, tracepoint:sched::sched_wakeup_new { qts[args->pid] = timestamp; }\n"
	  "tracepoint:sched::sched_switch /qts[args->next_pid]/ {\n"
	  "\t@lat = quantize(timestamp - qts[args->next_pid]);\n"
	  "\t@latsum = sum(timestamp - qts[args->next_pid]);\n"
	  "\tqts[args->next_pid] = 0;\n"
	  "}\n" },
	{ "tcp",
	  "// metric: @connects ktrace_tcp_connects labels=comm help=TCP connections initiated (connect), by process name\n"
	  "// metric: @accepts ktrace_tcp_accepts labels=comm help=TCP connections accepted, by process name\n"
	  "fbt::tcp_v4_connect:entry, fbt::tcp_v6_connect:entry { @connects[execname] = count(); }\n"
	  "fbt::inet_csk_accept:return /arg1/ { @accepts[execname] = count(); }\n" },
	{ "pagefaults",
	  "// metric: @faults ktrace_page_faults labels=comm help=Page faults handled, by process name\n"
	  "fbt::handle_mm_fault:entry { @faults[execname] = count(); }\n" },
	{ NULL, NULL }
};
