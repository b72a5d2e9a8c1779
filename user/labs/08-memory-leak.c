// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 8: a memory leak by one code path.
 *
 * cachesvc serves requests through six handlers, each allocating a few
 * buffers with malloc() and freeing them when done; one handler, picked per
 * start, forgets to free one of its buffers.  The answer is that
 * handler's name.  The leak is slow (64 bytes a call, ~6 KiB/s) so a
 * forgotten lab does not fill the machine.
 */
#include "lab.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned int leaky;
static void *volatile keep;

static void *buffer(size_t n)
{
	void *p = malloc(n);

	if (!p)
		lab_die("out of memory");
	memset(p, 0x5a, n);
	return p;
}

/* each handler: two allocations; the leaky one loses the second */
#define HANDLER(name, i, a, b) \
	static __attribute__((noinline)) void name(void) \
	{ \
		char *x = buffer(a), *y = buffer(b); \
		keep = x; \
		keep = y; \
		free(x); \
		if (leaky != i) \
			free(y); \
	}
HANDLER(handle_get, 0, 96, 64)
HANDLER(handle_put, 1, 128, 64)
HANDLER(handle_delete, 2, 48, 64)
HANDLER(handle_list, 3, 256, 64)
HANDLER(refresh_index, 4, 512, 64)
HANDLER(compact_log, 5, 200, 64)

static const struct {
	void (*fn)(void);
	const char *name;
} handlers[] = {
	{ handle_get, "handle_get" }, { handle_put, "handle_put" },
	{ handle_delete, "handle_delete" }, { handle_list, "handle_list" },
	{ refresh_index, "refresh_index" }, { compact_log, "compact_log" },
};

static void work(const struct lab_run *run)
{
	leaky = lab_rand(6);
	lab_name("cachesvc");
	lab_answer("%s", handlers[leaky].name);
	for (;;) {
		for (unsigned int i = 0; i < 6; i++)
			for (unsigned int j = 0; j < 16; j++)
				handlers[i].fn();
		lab_sleep_ms(10 * 16 * 6 / 10);
	}
}

const struct lab lab = {
	.title = "a cache service that grows and grows",
	.level = "medium",
	.teaches = "pid provider (malloc return, free entry), ucaller, ufunc(), associative arrays, sum(); malloccount",
	.symptom =
	"\"cachesvc's memory keeps growing, a few KB a second, until the OOM killer\n"
	"takes it every couple of weeks. The cache is bounded; something leaks.\"",
	.kind = LAB_FUNC,
	.hints = {
		"Memory that grows: who allocates it, and who never gives it back? Trace malloc and free in the process.",
		"The pid provider traces user functions: pid$target::malloc:entry / :return (arg1 is the pointer returned), pid$target::free:entry (arg0). Use -p PID.",
		"Remember who allocated each pointer (ucaller at malloc entry is the calling function's pc) in an associative array keyed by the pointer; at free, take that caller's count back down.",
		"Sum +1 per malloc and -1 per free by ufunc(caller): the code path whose sum keeps growing is the leak. The answer is that function's name.",
		NULL,
	},
	.solution =
	"# 1. the allocation rate and sizes (malloccount traces malloc with the pid provider)\n"
	"malloccount -p $(pidof cachesvc) -d 2\n"
	"# 2. outstanding allocations by the function that made them, for 3 s:\n"
	"#    +1 at malloc (keyed by the pointer it returns), -1 when that pointer is freed\n"
	"ktrace -q -p $(pidof cachesvc) -n '\n"
	"pid$target::malloc:entry { self->caller = ucaller; }\n"
	"pid$target::malloc:return /self->caller/ { who[arg1] = self->caller; @out[ufunc(self->caller)] = sum(1); self->caller = 0; }\n"
	"pid$target::free:entry /who[arg0]/ { @out[ufunc(who[arg0])] = sum(-1); who[arg0] = 0; }\n"
	"tick-3s { exit(0); }' | tee /tmp/lab-cachesvc.out\n"
	"# 3. the answer: the function with the most allocations never freed (last line)\n"
	"awk 'NF == 2 { f = $1 } END { sub(/.*`/, \"\", f); sub(/\\+.*/, \"\", f); print f }' /tmp/lab-cachesvc.out\n",
	.work = work,
};
