// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 9: a memory leak by one code path.
 *
 * cachesvc serves requests through six handlers, each allocating a few
 * buffers with malloc() and freeing them when done; one handler, picked per
 * start, forgets to free one of its buffers.  The answer is that
 * handler's name.  (The labs are built without sibling-call optimisation,
 * so free() returns into the handler that called it.)  The leak is slow (64 bytes a call, ~6 KiB/s) so a
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
	.teaches = "pid provider (malloc and free returns), ustack(1) as a key, sum() of +1/-1; malloccount",
	.symptom =
	"\"cachesvc's memory keeps growing, a few KB a second, until the OOM killer\n"
	"takes it every couple of weeks. The cache is bounded; something leaks.\"",
	.kind = LAB_FUNC,
	.hints = {
		"Memory that grows: who allocates it, and who never gives it back? Trace malloc and free in the process.",
		"The pid provider traces user functions: pid$target::malloc and pid$target::free, with ktrace -p PID (malloccount shows the rate and sizes).",
		"At a :return probe the user pc is the return site, in the function that called: ustack(1) names it. Count +1 at malloc:return and -1 at free:return into one aggregation keyed by ustack(1).",
		"The code path whose count keeps growing allocates more than it frees. The answer is that function's name, e.g. handle_get",
		NULL,
	},
	.solution =
	"# 1. the allocation rate and sizes (malloccount traces malloc with the pid provider)\n"
	"malloccount -p $(pidof cachesvc) -d 2\n"
	"# 2. allocations minus frees by the calling function (the return site: ustack(1)), for 3 s\n"
	"ktrace -q -p $(pidof cachesvc) -n '\n"
	"pid$target::malloc:return { @net[ustack(1)] = sum(1); }\n"
	"pid$target::free:return { @net[ustack(1)] = sum(-1); }\n"
	"tick-3s { exit(0); }' | tee /tmp/lab-cachesvc.out\n"
	"# 3. the answer: the function (summed over its call sites) with the biggest surplus\n"
	"awk '/`/ { f = $1; sub(/\\+.*/, \"\", f); sub(/.*`/, \"\", f); next }\n"
	"\tNF == 1 && f != \"\" { s[f] += $1; f = \"\" }\n"
	"\tEND { for (x in s) if (!n++ || s[x] > m) { m = s[x]; b = x } print b }' /tmp/lab-cachesvc.out\n",
	.work = work,
};
