// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 11: page faults from one mapping.
 *
 * indexer maps five index files (named at random from a list, 2 MiB each)
 * and reads them.  Four it reads once, keeping their pages; the fifth,
 * picked per start, it drops (madvise MADV_DONTNEED) and reads again ten
 * times a second, so every page of it faults in over and over.  The answer
 * is that file's name.
 */
#include "lab.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FILES 5
#define SIZE (2u << 20)

static const char *names[] = {
	"users.idx", "orders.idx", "sessions.idx", "products.idx", "invoices.idx", "events.idx",
	"tags.idx", "geo.idx",
};

static unsigned long touch(const volatile char *p)
{
	unsigned long sum = 0;

	for (unsigned int off = 0; off < SIZE; off += 4096)
		sum += p[off];
	return sum;
}

static void work(const struct lab_run *run)
{
	const char *n[sizeof(names) / sizeof(names[0])];
	unsigned int culprit = lab_rand(FILES);
	char *map[FILES];
	char path[300];
	volatile unsigned long sink = 0;

	lab_name("indexer");
	memcpy(n, names, sizeof(n));
	lab_shuffle(n, sizeof(n) / sizeof(n[0]));
	for (unsigned int i = 0; i < FILES; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/%s", run->workdir, n[i]);
		lab_write_file(path, SIZE);
		fd = open(path, O_RDONLY);
		map[i] = fd < 0 ? MAP_FAILED : mmap(NULL, SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map[i] == MAP_FAILED)
			lab_die("mmap %s", path);
		close(fd);
		sink += touch(map[i]);
	}
	lab_answer("%s", n[culprit]);
	for (;;) {
		for (unsigned int i = 0; i < FILES; i++)
			sink += touch(map[i]);
		madvise(map[culprit], SIZE, MADV_DONTNEED);
		lab_sleep_ms(100);
	}
}

const struct lab lab = {
	.title = "an indexer with millions of page faults",
	.level = "medium",
	.teaches = "fbt provider (handle_mm_fault), args[0] typed from BTF (vm_area_struct -> vm_file -> dentry), stringof()",
	.symptom =
	"\"indexer's page fault counter climbs by thousands a second although its\n"
	"files are small and in the page cache. Which of its mappings faults?\"",
	.kind = LAB_FILE,
	.hints = {
		"Drill down from the symptom: faults happen in the kernel's fault handler. Which process, which mapping?",
		"fbt::handle_mm_fault:entry fires for every page fault a process takes; its first argument is the struct vm_area_struct of the mapping.",
		"args[0] is typed from BTF: args[0]->vm_file is the mapped file (0 for anonymous memory), ->f_path.dentry->d_name.name its name.",
		"The answer is the name of the mapped file that faults, e.g. users.idx",
		NULL,
	},
	.solution =
	"# 1. page faults by process for 2 s: indexer stands out\n"
	"ktrace -q -n 'fbt::handle_mm_fault:entry { @[execname] = count(); } tick-2s { exit(0); }'\n"
	"# 2. indexer's faults by mapped file (vm_area_struct -> file -> dentry name)\n"
	"ktrace -q -n 'fbt::handle_mm_fault:entry /execname == \"indexer\" && args[0]->vm_file/ {\n"
	"\t@[stringof(args[0]->vm_file->f_path.dentry->d_name.name)] = count(); } tick-2s { exit(0); }' |\n"
	"\ttee /tmp/lab-indexer.out\n"
	"# 3. the answer: the file with the most faults (last line)\n"
	"awk 'NF == 2 { f = $1 } END { print f }' /tmp/lab-indexer.out\n",
	.work = work,
};
