/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ktrace labs' framework (lab.c).  Each lab is one program,
 * user/labs/NN-NAME.c, that defines `const struct lab lab` and is linked
 * with lab.c, which gives it the commands ktrace-lab(8) runs:
 *
 *   NN-NAME info       one line: level, title (for `ktrace-lab list`)
 *   NN-NAME start      pick this run's culprit, start the workload in the
 *                      background (its own process group), print the symptom
 *   NN-NAME hint       the next hint of the ladder
 *   NN-NAME check ANS  right (exit 0) or wrong (exit 1)
 *   NN-NAME stop       kill the workload's process group, remove its files
 *   NN-NAME solution   the reference solution: a sh script of ktrace
 *                      commands whose last output line is the answer
 *
 * State of a running lab: $KTRACE_LAB_STATE (default /run/ktrace-lab)/NN/,
 * a root-only (0700) directory: `answer` (the truth, written by the
 * workload once it knows it, e.g. a pid), `pgid`, `hints` (hints shown).
 * The workload's files live in $KTRACE_LAB_TMP (default /tmp)/ktrace-lab.NN.
 * The reference solutions never read either: they find the answer with
 * ktrace.
 */
#ifndef KTRACE_LAB_H
#define KTRACE_LAB_H

#include <stddef.h>
#include <sys/types.h>

/* how `check` compares an answer with the truth */
enum lab_kind {
	LAB_TEXT,	/* the same text (surrounding blanks ignored) */
	LAB_PID,	/* the same decimal number */
	LAB_FUNC,	/* a function: "f", "mod`f" and "mod`f+0x1c" all name f */
	LAB_FILE,	/* a file's name: its last path component is compared */
	LAB_BAND,	/* a latency: "N[ns|us|ms|s]" (ms by default) inside the
			 * truth's band "LO_NS HI_NS" (LO <= N < HI) */
};

#define LAB_MAX_HINTS 6
#define LAB_DATA_SIZE 2048

struct lab_run {
	char workdir[200];	/* the lab's scratch directory (created) */
	char shown[256];	/* what the symptom's %s shows */
	unsigned char data[LAB_DATA_SIZE];	/* the lab's own choices */
};

struct lab {
	const char *title;	/* one line, for `list` */
	const char *level;	/* easy, medium, hard */
	const char *teaches;	/* providers and tools the solution uses */
	const char *symptom;	/* what a user reports; may hold one %s (shown) */
	const char *hints[LAB_MAX_HINTS + 1];	/* the ladder, NULL-terminated */
	const char *solution;	/* sh script: ktrace commands, answer last */
	enum lab_kind kind;
	/* in `start`: pick this run's choices (lab_rand) into run */
	void (*setup)(struct lab_run *run);
	/* in the background (the process group's leader): the workload; it
	 * calls lab_answer() once it knows the truth; never returns */
	void (*work)(const struct lab_run *run);
	/* in `stop` (and a `start` after a crash), once no process of the lab
	 * is left: undo what the workload set up outside its directory */
	void (*cleanup)(void);
};

extern const struct lab lab;

/* a uniformly random number in [0, n) (getrandom) */
unsigned int lab_rand(unsigned int n);
/* shuffle an array of n pointers */
void lab_shuffle(const char **v, unsigned int n);
/* record the truth for `check` (the workload calls it once) */
void lab_answer(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* name the calling process (comm and argv[0]), as ps and ktrace see it */
void lab_name(const char *name);
/* fork a helper that dies with its parent; returns its pid in the parent,
 * 0 in the child (like fork) */
pid_t lab_fork(void);
/* sleep for ms milliseconds */
void lab_sleep_ms(unsigned int ms);
/* monotonic time in nanoseconds */
unsigned long long lab_now_ns(void);
/* burn CPU in user mode for about us microseconds */
void lab_spin_us(unsigned int us);
/* write a file of len bytes (pattern) at path; exits the workload on error */
void lab_write_file(const char *path, size_t len);
/* the workload's fatal error: message to the lab's log, group killed */
void lab_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
