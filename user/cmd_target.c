// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_target.c: the target process: the -c command (started stopped,
 * released at GO, killed if tracing never starts) and the -p process,
 * both followed with ptrace (exec and exit stops only) where the program
 * shows user addresses, so their symbols outlive them.
 */
#include <ctype.h>
#include <signal.h>
#include <time.h>
#include <fcntl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "cmd.h"
/* ----------------------------------------------------------------- -c --- */

static char **split_words(const char *s)
{
	char **v = calloc(strlen(s) / 2 + 2, sizeof(*v));
	int n = 0;

	if (!v)
		return NULL;
	while (*s) {
		size_t l;

		while (*s && isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		l = strcspn(s, " \t\n");
		v[n++] = strndup(s, l);
		s += l;
	}
	v[n] = NULL;
	return v;
}

/*
 * Start cmd stopped right after its exec, as dtrace -c does: pid$target
 * probes are resolved in the new image (its executable, its interpreter
 * and the libraries it needs), and the process is released only when
 * every probe is enabled.  The child asks to be traced and execs; the
 * exec stops it with SIGTRAP; ktrace detaches leaving a SIGSTOP pending,
 * so the command stops before its first instruction until the SIGCONT
 * sent after GO (kt_consume_run).  *gofd is a token for "not started
 * yet" (closing it does nothing); the exec error, if any, is reported
 * here.
 */

/* Does the program show user addresses (ustack(), usym()... keys or arguments)? */
bool cmd_shows_user_addrs(const struct kt_prog *p)
{
	for (uint32_t i = 0; i < p->nactions; i++)
		for (int k = 0; k < p->actions[i].nargs && k < 16; k++)
			if (p->actions[i].arg_types[k] == KT_DT_UPID ||
			    p->actions[i].arg_types[k] == KT_DT_USTACK ||
			    p->actions[i].arg_types[k] == KT_DT_USAMPLE ||
			    kt_dt_from_usample(p->actions[i].arg_types[k]))
				return true;
	for (uint32_t i = 0; p->agg_key_dtypes && i < p->naggs; i++)
		for (int k = 0; k < p->aggs[i].nkeys && k < KTRACE_MAX_KEYS; k++)
			if (p->agg_key_dtypes[i][k] == KT_DT_UPID ||
			    p->agg_key_dtypes[i][k] == KT_DT_USTACK ||
			    p->agg_key_dtypes[i][k] == KT_DT_USAMPLE ||
			    kt_dt_from_usample(p->agg_key_dtypes[i][k]))
				return true;
	return false;
}

/*
 * A program that shows user addresses has the -c command (stopped by
 * start_child) seized with ptrace, asking to be told of its exec and its
 * exit: the consumer reads the process's mappings at those stops, while
 * its memory is still there, so its user symbols resolve after it has
 * exited (child_events in consumer.c).  The command runs on otherwise
 * untouched (its signals and job-control stops are passed on), but for
 * one thing ptrace implies: a signal it ignores is delivered (to be
 * ignored then) instead of being discarded when sent, so proc:::signal-
 * discard does not fire for it.  A kernel or LSM that forbids the seize
 * leaves the mappings read while the process lives.
 */
void cmd_seize_child(pid_t pid)
{
	int st;

	/* the SIGSTOP left by the detach: the command is in a group-stop */
	while (waitpid(pid, &st, WUNTRACED) < 0)
		if (errno != EINTR)
			return;
	if (!WIFSTOPPED(st))
		return;
	if (ptrace(PTRACE_SEIZE, pid, NULL,
		   (void *)(long)(PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC)) < 0)
		return;
	/*
	 * Seized while stopped, it reports the group-stop at once (the seize
	 * waits for that); LISTEN keeps it stopped until the SIGCONT after GO.
	 * Anything else is left to the consumer's loop (child_events, consumer.c).
	 */
	for (int i = 0; i < 100; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		pid_t r = waitpid(pid, &st, WNOHANG | __WALL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0 && WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_STOP)
			ptrace(PTRACE_LISTEN, pid, NULL, NULL);
		if (r != 0)
			return;
		nanosleep(&ts, NULL);
	}
}

/*
 * -p: as for the -c command, a program that shows user addresses has the
 * target followed with ptrace, seized (so not stopped) and asking only for
 * its exec and exit stops, where the consumer reads its mappings
 * (child_events in consumer.c), as dtrace -p grabs the process.  Only the
 * thread that is its pid is seized: its exec, and its exit when it ends
 * the process (a return from main, exit()), are seen; an exit made by
 * another thread or by a fatal signal is not (6.1 makes no exit stop for
 * a task being killed).  Another tracer (a debugger, strace), the
 * ptrace_scope setting or an LSM refusing the seize leaves the target as
 * it was, its mappings read while it lives (said under -v).
 */
bool cmd_seize_target(pid_t pid, bool verbose)
{
	if (ptrace(PTRACE_SEIZE, pid, NULL,
		   (void *)(long)(PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC)) == 0)
		return true;
	if (verbose)
		fprintf(stderr, "%s: pid %d is not followed with ptrace (%s): its user symbols "
			"resolve from the mappings read while it lives\n", KT_PNAME, (int)pid,
			strerror(errno));
	return false;
}

/*
 * Leave a seized -p target as it was: stop it (PTRACE_INTERRUPT, or the
 * stop it is making), then detach, handing over a signal it was stopped
 * to receive; a job-control stop it was in goes on after the detach.  A
 * target that does not stop within 2 s (in an uninterruptible sleep) is
 * left to the kernel, which detaches it when ktrace exits.
 */
void cmd_release_target(pid_t pid)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int st, sig;

	if (ptrace(PTRACE_INTERRUPT, pid, NULL, NULL) < 0)
		return;	/* gone */
	for (int i = 0; i < 200; ) {
		pid_t r = waitpid(pid, &st, WNOHANG | __WALL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || (r > 0 && !WIFSTOPPED(st)))
			return;	/* it has exited */
		if (r == 0) {
			nanosleep(&ts, NULL);
			i++;
			continue;
		}
		/* a signal-delivery stop passes its signal on; a trap stop none */
		sig = (st >> 16) == 0 ? WSTOPSIG(st) : 0;
		if (ptrace(PTRACE_DETACH, pid, NULL, (void *)(long)sig) == 0 || errno == ESRCH)
			return;
	}
}

/* Kill the -c command and reap it (also while ktrace traces it with ptrace). */
void cmd_kill_child(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	for (;;) {
		pid_t r = waitpid(pid, &st, __WALL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || !WIFSTOPPED(st))
			return;
		ptrace(PTRACE_CONT, pid, NULL, NULL);	/* a stop it made before the kill */
	}
}

pid_t cmd_start_child(const char *cmd, int *gofd, int *errfd)
{
	int gp[2], ep[2], st, e = 0;
	char **argv = split_words(cmd);
	pid_t pid = -1;

	if (!argv || !argv[0]) {
		fprintf(stderr, "%s: -c: empty command\n", KT_PNAME);
		return -1;
	}
	if (pipe2(gp, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) {
		fprintf(stderr, "%s: pipe: %s\n", KT_PNAME, strerror(errno));
		goto out_free;
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: failed to create process: %s\n", KT_PNAME, strerror(errno));
		goto out_free;
	}
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0)
			execvp(argv[0], argv);
		e = errno;
		if (write(ep[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(gp[0]);
	close(ep[1]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFSTOPPED(st)) {
		if (read(ep[0], &e, sizeof(e)) != sizeof(e))
			e = ECHILD;
		fprintf(stderr, "%s: failed to execute %s: %s\n", KT_PNAME, argv[0], strerror(e));
		close(gp[1]);
		close(ep[0]);
		pid = -1;
		goto out_free;
	}
	close(ep[0]);
	if (ptrace(PTRACE_DETACH, pid, NULL, (void *)(long)SIGSTOP) < 0) {
		fprintf(stderr, "%s: failed to control %s: %s\n", KT_PNAME, argv[0], strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(gp[1]);
		pid = -1;
		goto out_free;
	}
	*gofd = gp[1];
	*errfd = -1;
out_free:
	for (int i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
	return pid;
}
