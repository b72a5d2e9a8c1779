// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 12: a file written by an unknown process.
 *
 * Four processes, named at random from a list of plausible ones, read the
 * service's configuration file (workdir/app.conf) twice a second; one of
 * them, picked per start, also rewrites it every second with a stale
 * copy.  The answer is that process's pid.
 */
#include "lab.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PROCS 4

static const char *names[] = {
	"confsync", "puppet-agent", "backupd", "healthd", "logwatch", "deployd", "auditor",
};

static void user(const char *name, const char *path, int writer)
{
	static const char stale[] = "# app.conf (stale copy)\nlisten = 8080\nworkers = 2\n";
	char buf[512];
	int fd;

	lab_name(name);
	for (unsigned int i = 0;; i++) {
		fd = open(path, O_RDONLY);
		if (fd >= 0) {
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
		}
		if (writer && i % 2 == 0) {
			fd = open(path, O_WRONLY | O_TRUNC);
			if (fd >= 0) {
				if (write(fd, stale, sizeof(stale) - 1) < 0)
					lab_die("write %s", path);
				close(fd);
			}
		}
		lab_sleep_ms(500);
	}
}

static void setup(struct lab_run *run)
{
	snprintf(run->shown, sizeof(run->shown), "%s/app.conf", run->workdir);
}

static void work(const struct lab_run *run)
{
	const char *n[sizeof(names) / sizeof(names[0])];
	unsigned int culprit = lab_rand(PROCS);
	pid_t pid;

	lab_name("appsvc");
	lab_write_file(run->shown, 300);
	memcpy(n, names, sizeof(n));
	lab_shuffle(n, sizeof(n) / sizeof(n[0]));
	for (unsigned int i = 0; i < PROCS; i++) {
		pid = lab_fork();
		if (pid == 0)
			user(n[i], run->shown, i == culprit);
		if (i == culprit)
			lab_answer("%d", (int)pid);
	}
	for (;;)
		pause();
}

const struct lab lab = {
	.title = "a configuration file that changes back by itself",
	.level = "medium",
	.teaches = "fbt provider (vfs_write), args[0] typed from BTF (file -> dentry name), macro arguments ($$1); opensnoop -f",
	.symptom =
	"\"Every time we fix %s it is back to an old version a\n"
	"second later. Several agents on this box read that file. Which one writes it?\"",
	.kind = LAB_PID,
	.hints = {
		"Who opens the file is not the question: several processes do. Who writes to it?",
		"opensnoop -f PATH shows who opens it, but not for what. Writes go through the kernel's vfs_write(), whatever the system call.",
		"fbt::vfs_write:entry has the struct file in args[0] (typed from BTF): args[0]->f_path.dentry->d_name.name is the file's name; compare it with $$1 (the name given after the script).",
		"The answer is the pid of the writer.",
		NULL,
	},
	.solution =
	"# 1. who opens it (several processes do)\n"
	"opensnoop -d 2 | grep app.conf\n"
	"# 2. who writes to a file named app.conf, for 3 s, by pid\n"
	"ktrace -q -n 'fbt::vfs_write:entry /stringof(args[0]->f_path.dentry->d_name.name) == $$1/ {\n"
	"\t@[pid, execname] = count(); } tick-3s { exit(0); }' app.conf | tee /tmp/lab-writer.out\n"
	"# 3. the answer: the writer's pid (the busiest, last)\n"
	"awk 'NF == 3 { p = $1 } END { print p }' /tmp/lab-writer.out\n",
	.setup = setup,
	.work = work,
};
