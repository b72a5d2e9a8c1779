// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 13: rare disk latency outliers.
 *
 * dbwriter writes 4 KiB blocks (O_DIRECT) to four disks: null_blk devices
 * it creates through configfs (the null_blk module, loaded with modprobe if
 * it is not).  Three take ten writes a second each and complete at once;
 * the fourth, picked per start, takes one write a second and completes each
 * after 50 ms (null_blk's timer completion mode): 2% of the I/O, 50 ms
 * outliers.  The answer is that disk's name.  stop powers the devices off
 * and removes them.
 */
#include "lab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DISKS 4
#define NULLB "/sys/kernel/config/nullb"

/* configfs item names: the disks' names too (6.1 names a configfs
 * null_blk device after its item; older kernels nullbN) */
static const char *const disks[DISKS] = { "dbdata", "dbwal", "dbindex", "dbarchive" };

static void attr(const char *dev, const char *name, const char *val)
{
	char path[300];
	int fd;

	snprintf(path, sizeof(path), NULLB "/%s/%s", dev, name);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		lab_die("%s: %s", path, strerror(errno));
	close(fd);
}

static int index_of(const char *dev)
{
	char path[300], buf[16] = "";
	int fd;

	snprintf(path, sizeof(path), NULLB "/%s/index", dev);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		lab_die("%s: %s", path, strerror(errno));
	close(fd);
	return atoi(buf);
}

/* null_blk's configfs directory: load the module, mount configfs */
static void need_nullb(void)
{
	struct stat st;
	pid_t pid;

	if (stat("/sys/module/null_blk", &st)) {
		pid = fork();
		if (pid == 0) {
			execlp("modprobe", "modprobe", "null_blk", "nr_devices=0", (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	if (stat(NULLB, &st))
		mount("none", "/sys/kernel/config", "configfs", 0, NULL);
	if (stat(NULLB, &st))
		lab_die("this lab needs the null_blk module and configfs (%s): modprobe null_blk", NULLB);
}

static void cleanup(void)
{
	char path[300];
	int fd;

	for (unsigned int i = 0; i < DISKS; i++) {
		snprintf(path, sizeof(path), NULLB "/%s/power", disks[i]);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			continue;
		if (write(fd, "0", 1) < 0)
			fprintf(stderr, "ktrace-lab: %s: %s\n", path, strerror(errno));
		close(fd);
		snprintf(path, sizeof(path), NULLB "/%s", disks[i]);
		rmdir(path);
	}
}

static void work(const struct lab_run *run)
{
	unsigned int slow = lab_rand(DISKS);
	char name[64], path[128];
	struct stat st;
	int fd[DISKS];
	void *buf;

	lab_name("dbwriter");
	need_nullb();
	if (posix_memalign(&buf, 4096, 4096))
		lab_die("posix_memalign");
	memset(buf, 0x6b, 4096);
	for (unsigned int i = 0; i < DISKS; i++) {
		const char *dev = disks[i];

		snprintf(path, sizeof(path), NULLB "/%s", dev);
		if (mkdir(path, 0755))
			lab_die("mkdir %s: %s", path, strerror(errno));
		attr(dev, "size", "16");
		attr(dev, "blocksize", "4096");
		if (i == slow) {
			attr(dev, "irqmode", "2");
			attr(dev, "completion_nsec", "50000000");
		}
		attr(dev, "power", "1");
		snprintf(path, sizeof(path), "/sys/block/%s", dev);
		if (!stat(path, &st))
			snprintf(name, sizeof(name), "%s", dev);
		else
			snprintf(name, sizeof(name), "nullb%d", index_of(dev));
		snprintf(path, sizeof(path), "/dev/%s", name);
		for (unsigned int t = 0; (fd[i] = open(path, O_WRONLY | O_DIRECT)) < 0; t++) {
			if (t == 200)
				lab_die("open %s: %s", path, strerror(errno));
			lab_sleep_ms(10);	/* the device node appears */
		}
		if (i == slow)
			lab_answer("%s", name);
	}
	for (unsigned int round = 0;; round++) {
		for (unsigned int i = 0; i < DISKS; i++) {
			off_t off = (off_t)lab_rand(4096) * 4096;

			if ((i != slow || round % 10 == 0) && pwrite(fd[i], buf, 4096, off) != 4096)
				lab_die("write nullb: %s", strerror(errno));
		}
		lab_sleep_ms(100);
	}
}

const struct lab lab = {
	.title = "a database whose writes stall now and then",
	.level = "medium",
	.teaches = "tracepoint provider (block_rq_issue, block_rq_complete), quantize() per disk; biolatency -D",
	.symptom =
	"\"dbwriter's commits usually take well under a millisecond, but a few take\n"
	"50 ms or more. It writes to four disks. Is one of them to blame?\"",
	.kind = LAB_FILE,
	.cleanup = cleanup,
	.hints = {
		"Latency analysis of the disks: time each block I/O from issue to completion, as a histogram, not an average.",
		"biolatency shows the block I/O latency histogram (tracepoint:block::block_rq_issue to block_rq_complete): note the outliers.",
		"biolatency -D gives one histogram per disk (major,minor); /sys/block/*/dev maps them to names.",
		"The answer is the disk's name, e.g. dbdata",
		NULL,
	},
	.solution =
	"# 1. block I/O latency for 3 s: most I/O is fast, a few take 32-64 ms\n"
	"biolatency -d 3\n"
	"# 2. the same per disk (major,minor)\n"
	"biolatency -D -d 3 | tee /tmp/lab-disks.out\n"
	"# 3. the disk with I/Os of 16 ms and more, by name (its major:minor in /sys/block/*/dev)\n"
	"d=$(awk '$1 == \"disk\" { d = $2 } $2 ~ /^\\|/ && $1 >= 16384 && $3 > 0 { s = d } END { print s }' /tmp/lab-disks.out)\n"
	"for b in /sys/block/*; do [ \"$(cat $b/dev)\" = \"$(echo $d | tr , :)\" ] && echo ${b##*/}; done\n",
	.work = work,
};
