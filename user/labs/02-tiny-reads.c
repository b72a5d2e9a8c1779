// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 2: a syscall storm of tiny reads.
 *
 * ingest runs four workers (same name) that each parse a 64 KiB input
 * file ten times a second.  Three read it in 64 KiB chunks; one, picked per
 * start, reads it a byte at a time (only its first 2 KiB: the whole file
 * would take a CPU of its own under QEMU's TCG).  The answer is that
 * worker's pid.
 */
#include "lab.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#define WORKERS 4

static void worker(const char *path, int tiny)
{
	char buf[65536];
	int fd;

	lab_name("ingest");
	for (;;) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			lab_die("open %s", path);
		if (tiny) {
			for (int i = 0; i < 2048 && read(fd, buf, 1) == 1; i++)
				;
		} else {
			while (read(fd, buf, sizeof(buf)) > 0)
				;
		}
		close(fd);
		lab_sleep_ms(100);
	}
}

static void work(const struct lab_run *run)
{
	unsigned int culprit = lab_rand(WORKERS);
	char path[300];
	pid_t pid;

	lab_name("ingest");
	snprintf(path, sizeof(path), "%s/batch.dat", run->workdir);
	lab_write_file(path, 65536);
	for (unsigned int i = 0; i < WORKERS; i++) {
		pid = lab_fork();
		if (pid == 0)
			worker(path, i == culprit);
		if (i == culprit)
			lab_answer("%d", (int)pid);
	}
	for (;;)
		pause();
}

const struct lab lab = {
	.title = "one worker of four burns system time",
	.level = "easy",
	.teaches = "syscall provider, count() by pid, quantize(arg2); syscount -P",
	.symptom =
	"\"The ingest service (four worker processes) spends far more time in the kernel\n"
	"than it used to, though it handles the same files. Which worker is it?\"",
	.kind = LAB_PID,
	.hints = {
		"Characterise the workload: who makes system calls, how many, which ones?",
		"syscount -P -n ingest counts system calls per process.",
		"One worker makes thousands of read()s. How big are they? ktrace -n 'syscall::read:entry /execname == \"ingest\"/ { @[pid] = quantize(arg2); }'",
		"The answer is the pid of that worker.",
		NULL,
	},
	.solution =
	"# 1. system calls per process of ingest, for 2 s (the busiest is last)\n"
	"syscount -P -n ingest -d 2 | tee /tmp/lab-ingest.out\n"
	"# 2. the read sizes by worker: one reads a byte at a time\n"
	"ktrace -q -n 'syscall::read:entry /execname == \"ingest\"/ { @[pid] = quantize(arg2); }\n"
	"\ttick-2s { exit(0); }'\n"
	"# 3. the answer: the pid with the most system calls\n"
	"awk '$1 ~ /^[0-9]+$/ { p = $1 } END { print p }' /tmp/lab-ingest.out\n",
	.work = work,
};
