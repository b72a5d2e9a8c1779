// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 1: a service that keeps retrying a file that does not exist.
 *
 * configd opens its configuration files every 50 ms: three that exist, and
 * one include file, picked per start from a list of plausible names under
 * /etc, that does not.  It never gives up on it.  Two other optional files
 * are missing too, but configd only looks for them once a second: the
 * answer is the path it fails on over and over.
 */
#include "lab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dirs[] = { "configd", "configd/conf.d", "appsvc", "cfgmgr.d", "svc-config" };
static const char *names[] = {
	"overrides.conf", "cluster.conf", "tls-bundle.pem", "features.yaml", "limits.conf",
	"peers.list", "secrets.env", "routes.conf", "quota.ini", "backends.json",
};

struct choice {
	char missing[128];	/* the culprit */
	char optional[2][128];	/* missing too, rarely tried */
};

static void setup(struct lab_run *run)
{
	struct choice *c = (struct choice *)run->data;
	const char *n[sizeof(names) / sizeof(names[0])];
	struct stat st;

	memcpy(n, names, sizeof(n));
	lab_shuffle(n, sizeof(n) / sizeof(n[0]));
	for (unsigned int i = 0; i < 3; i++) {
		char *p = i ? c->optional[i - 1] : c->missing;

		snprintf(p, 128, "/etc/%s/%s", dirs[lab_rand(sizeof(dirs) / sizeof(dirs[0]))], n[i]);
		if (!stat(p, &st))	/* exists here: then it is not missing */
			snprintf(p, 128, "/etc/ktrace-lab-%u/%s", lab_rand(100000), n[i]);
	}
}

static void try_open(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		char buf[512];

		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
}

static void work(const struct lab_run *run)
{
	const struct choice *c = (const void *)run->data;
	static const char *present[] = { "configd.conf", "logging.conf", "defaults.conf" };
	char path[300];

	lab_name("configd");
	for (unsigned int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", run->workdir, present[i]);
		lab_write_file(path, 700 + 300 * i);
	}
	lab_answer("%s", c->missing);
	for (unsigned int round = 0;; round++) {
		for (unsigned int i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), "%s/%s", run->workdir, present[i]);
			try_open(path);
		}
		if (round % 20 == 0) {
			try_open(c->optional[0]);
			try_open(c->optional[1]);
		}
		try_open(c->missing);
		lab_sleep_ms(50);
	}
}

const struct lab lab = {
	.title = "a service that never becomes ready",
	.level = "easy",
	.teaches = "syscall provider (openat return, errno); opensnoop -x, errinfo",
	.symptom =
	"\"configd was restarted this morning and has not become ready since. It is\n"
	"running, it logs nothing, and it uses a little CPU all the time.\"",
	.kind = LAB_TEXT,
	.hints = {
		"Workload characterisation first: what is configd doing? Which system calls, how often, do they succeed?",
		"errinfo -n configd shows its failing system calls with their errno.",
		"Failing opens: opensnoop -x -n configd shows each failed open with its path.",
		"The answer is the full path configd keeps failing to open, e.g. /etc/x/y.conf",
		NULL,
	},
	.solution =
	"# 1. what fails? errors by syscall and errno for 2 s\n"
	"errinfo -c -n configd -d 2\n"
	"# openat fails with ENOENT, over and over. 2. which paths? failed opens only\n"
	"opensnoop -x -n configd -d 2 >/tmp/lab-configd.out\n"
	"head -n 12 /tmp/lab-configd.out\n"
	"# 3. the path it retries: the most frequent one (the others are tried once a second)\n"
	"awk '$1 ~ /^[0-9]+$/ && $4 == 2 { n[$NF]++ } END { for (p in n) print n[p], p }' /tmp/lab-configd.out |\n"
	"\tsort -n | tail -n 1 | awk '{ print $2 }'\n",
	.setup = setup,
	.work = work,
};
