// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 3: a CPU-hot function hidden among many.
 *
 * reportgen builds a report ten times a second through twelve stages, each
 * a function of its own with a little work in it; one of them, picked per
 * start, does thirty times the work of the others.  The answer is that
 * function's name.  The work is inlined into each function (no shared leaf
 * function), so a sample's user pc is in the stage itself.  It is
 * calibrated at start: the hot stage takes about 15 ms of CPU per report,
 * the others 0.5 ms, on any machine (about 20% of a CPU in all).
 */
#include "lab.h"

#include <unistd.h>

static volatile unsigned long sink;
static unsigned int weight[12];

static inline __attribute__((always_inline)) void churn(unsigned int n)
{
	unsigned long x = sink;

	for (unsigned int i = 0; i < n; i++)
		x = x * 6364136223846793005ul + 1442695040888963407ul;
	sink = x;
}

#define STAGE(name, i) \
	static __attribute__((noinline)) void name(void) { churn(weight[i]); }
STAGE(parse_template, 0)
STAGE(tokenize_input, 1)
STAGE(resolve_links, 2)
STAGE(format_dates, 3)
STAGE(sort_index, 4)
STAGE(hash_keys, 5)
STAGE(merge_sections, 6)
STAGE(escape_html, 7)
STAGE(checksum_rows, 8)
STAGE(compress_chunk, 9)
STAGE(encode_base64, 10)
STAGE(render_footer, 11)

static const struct {
	void (*fn)(void);
	const char *name;
} stages[12] = {
	{ parse_template, "parse_template" }, { tokenize_input, "tokenize_input" },
	{ resolve_links, "resolve_links" }, { format_dates, "format_dates" },
	{ sort_index, "sort_index" }, { hash_keys, "hash_keys" },
	{ merge_sections, "merge_sections" }, { escape_html, "escape_html" },
	{ checksum_rows, "checksum_rows" }, { compress_chunk, "compress_chunk" },
	{ encode_base64, "encode_base64" }, { render_footer, "render_footer" },
};

static void work(const struct lab_run *run)
{
	unsigned int culprit = lab_rand(12);
	unsigned long long t0, ns;
	unsigned int per_ms;

	lab_name("reportgen");
	t0 = lab_now_ns();
	churn(1000000);
	ns = lab_now_ns() - t0;
	per_ms = (unsigned int)(1000000ull * 1000000 / (ns ? ns : 1));
	for (unsigned int i = 0; i < 12; i++)
		weight[i] = i == culprit ? per_ms * 15 : per_ms / 2;
	lab_answer("%s", stages[culprit].name);
	for (;;) {
		for (unsigned int i = 0; i < 12; i++)
			stages[i].fn();
		lab_sleep_ms(100);
	}
}

const struct lab lab = {
	.title = "reports take too long to build",
	.level = "easy",
	.teaches = "profile provider (profile-N, arg1 = user pc), ufunc(); ktrace-profile, ktrace-flamegraph",
	.symptom =
	"\"reportgen has become CPU-bound: the same reports take much longer than last\n"
	"week, and top shows it busy. Which of its functions is eating the CPU?\"",
	.kind = LAB_FUNC,
	.hints = {
		"It is on CPU, so sample it: which code is running when the CPU is busy?",
		"The profile provider samples every CPU: profile-199 fires 199 times a second; arg1 is the user pc (0 in the kernel).",
		"ktrace -n 'profile-199 /execname == \"reportgen\" && arg1/ { @[ufunc(arg1)] = count(); }' counts samples by user function (ktrace-profile -n reportgen -u and ktrace-flamegraph draw the stacks).",
		"The answer is a function name, e.g. parse_template",
		NULL,
	},
	.solution =
	"# 1. sample reportgen's user code 199 times a second for 3 s, by function\n"
	"ktrace -q -n 'profile-199 /execname == \"reportgen\" && arg1/ { @[ufunc(arg1)] = count(); }\n"
	"\ttick-3s { exit(0); }' | tee /tmp/lab-reportgen.out\n"
	"# (a flame graph of the same: ktrace-profile -n reportgen -u -d 10 | ktrace-flamegraph >cpu.svg)\n"
	"# 2. the answer: the function with the most samples (last line), without its module\n"
	"awk 'NF == 2 { f = $1 } END { sub(/.*`/, \"\", f); print f }' /tmp/lab-reportgen.out\n",
	.work = work,
};
