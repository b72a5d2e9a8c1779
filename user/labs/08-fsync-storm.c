// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 8: a writer that flushes after every write.
 *
 * Four services, named at random from a list, append records to their log
 * files in the lab's directory, twenty a second each.  Three flush
 * (fdatasync) once a second; one, picked per start, calls fsync after
 * every single record.  The answer is that process's pid.
 */
#include "lab.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WRITERS 4

static const char *names[] = {
	"auditd-lite", "orderlog", "eventbus", "metrics-agent", "journald-lite", "txlogger",
};

static void writer(const char *name, const char *dir, int culprit)
{
	static const char rec[] = "2026-01-01T00:00:00Z level=info msg=\"record\" id=42\n";
	char path[300];
	int fd;

	lab_name(name);
	snprintf(path, sizeof(path), "%s/%s.log", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0)
		lab_die("open %s", path);
	for (unsigned int i = 1;; i++) {
		if (write(fd, rec, sizeof(rec) - 1) < 0)
			lab_die("write %s", path);
		if (culprit)
			fsync(fd);
		else if (i % 20 == 0)
			fdatasync(fd);
		if (i % 2000 == 0 && ftruncate(fd, 0))
			lab_die("ftruncate %s", path);
		lab_sleep_ms(50);
	}
}

static void work(const struct lab_run *run)
{
	const char *n[sizeof(names) / sizeof(names[0])];
	unsigned int culprit = lab_rand(WRITERS);
	pid_t pid;

	lab_name("logsvc");
	memcpy(n, names, sizeof(n));
	lab_shuffle(n, sizeof(n) / sizeof(n[0]));
	for (unsigned int i = 0; i < WRITERS; i++) {
		pid = lab_fork();
		if (pid == 0)
			writer(n[i], run->workdir, i == culprit);
		if (i == culprit)
			lab_answer("%d", (int)pid);
	}
	for (;;)
		pause();
}

const struct lab lab = {
	.title = "a disk busy with flushes",
	.level = "medium",
	.teaches = "syscall provider (fsync, fdatasync), count() by pid; vfsstat, syscount -P",
	.symptom =
	"\"The log disk does far more flushes than writes would explain, and every\n"
	"service on it has become slow to commit. Four services log there.\"",
	.kind = LAB_PID,
	.hints = {
		"Characterise the I/O: how many writes, how many flushes, from whom?",
		"vfsstat counts reads, writes and fsyncs per second: the flushes are many.",
		"Flushes are system calls: ktrace -n 'syscall::fsync:entry, syscall::fdatasync:entry { @[pid, execname, probefunc] = count(); }'",
		"The answer is the pid of the process that flushes after every write.",
		NULL,
	},
	.solution =
	"# 1. VFS operations per second for 2 s: as many fsyncs as writes\n"
	"vfsstat 1 2\n"
	"# 2. flushes by process and call, for 2 s\n"
	"ktrace -q -n 'syscall::fsync:entry, syscall::fdatasync:entry { @[pid, execname, probefunc] = count(); }\n"
	"\ttick-2s { exit(0); }' | tee /tmp/lab-flush.out\n"
	"# 3. the answer: the process with the most (last line)\n"
	"awk 'NF == 4 { p = $1 } END { print p }' /tmp/lab-flush.out\n",
	.work = work,
};
