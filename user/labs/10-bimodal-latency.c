// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 10: a user function whose latency is bimodal.
 *
 * lookupd answers lookups through lookup(), resting 15 ms between them:
 * nine in ten from memory (tens of microseconds), one in ten from a slow
 * backend that takes 1.1 to 1.5 times D milliseconds, D picked per start
 * from 24, 96 and 384.  The answer is the slow mode's latency: anything from
 * D / 2 up to (not including) 4 D is right.  That covers the lower bound of
 * the power-of-two bucket quantize() shows it in (at least 0.55 D) and the
 * next buckets (a sleep can overshoot by tens of milliseconds on a loaded
 * machine, under QEMU's TCG above all), however it is written (16777216ns,
 * 30ms, 30).
 */
#include "lab.h"

#include <unistd.h>

static unsigned int slow_ms;

static __attribute__((noinline)) int backend_fetch(unsigned int key)
{
	/* 1.1 D .. 1.5 D */
	lab_sleep_ms(slow_ms + slow_ms / 10 + lab_rand(slow_ms * 4 / 10 + 1));
	return (int)(key * 2654435761u >> 7);
}

static __attribute__((noinline)) int lookup(unsigned int key)
{
	if (lab_rand(10) == 0)
		return backend_fetch(key);
	lab_spin_us(20);
	return (int)(key * 40503u);
}

static void work(const struct lab_run *run)
{
	static const unsigned int choices[] = { 24, 96, 384 };
	volatile int sink = 0;

	slow_ms = choices[lab_rand(3)];
	lab_name("lookupd");
	lab_answer("%llu %llu", slow_ms * 500000ull, slow_ms * 4000000ull);
	for (unsigned int key = 0;; key++) {
		sink += lookup(key);
		lab_sleep_ms(15);
	}
}

const struct lab lab = {
	.title = "lookups are usually fast, but not always",
	.level = "medium",
	.teaches = "pid provider (entry/return of a user function), self-> variables, timestamp, quantize()",
	.symptom =
	"\"lookupd's average latency looks fine, but clients time out now and then.\n"
	"Its lookup() function is the suspect. How slow are the slow lookups?\"",
	.kind = LAB_BAND,
	.hints = {
		"Latency analysis: measure lookup() itself, entry to return, as a distribution rather than an average.",
		"The pid provider: pid$target::lookup:entry and pid$target::lookup:return with ktrace -p PID; remember timestamp in self->ts at entry.",
		"@ = quantize(timestamp - self->ts) at return shows two humps: the fast path and the slow one.",
		"The answer is the slow mode's latency, e.g. 12ms (any value inside its quantize bucket, in ns, us or ms).",
		NULL,
	},
	.solution =
	"# 1. lookup()'s latency distribution in lookupd, for 4 s\n"
	"ktrace -q -p $(pidof lookupd) -n '\n"
	"pid$target::lookup:entry { self->ts = timestamp; }\n"
	"pid$target::lookup:return /self->ts/ { @[\"lookup() ns\"] = quantize(timestamp - self->ts); self->ts = 0; }\n"
	"tick-4s { exit(0); }' | tee /tmp/lab-lookupd.out\n"
	"# 2. two modes: tens of microseconds, and milliseconds. The answer: the busiest\n"
	"#    bucket of the slow mode (4 ms and up), in ns\n"
	"awk '$2 ~ /^\\|/ && $1 >= 4000000 && $3 > n { n = $3; v = $1 } END { print v \"ns\" }' /tmp/lab-lookupd.out\n",
	.work = work,
};
