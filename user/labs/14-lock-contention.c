// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 14: lock contention.
 *
 * sessiond runs four worker threads that handle requests through five
 * functions, each guarding its own table with its own mutex.  In one of
 * them, picked per start, the critical section holds the lock for about
 * 2 ms (it sleeps inside the lock, as slow I/O would), so the other
 * workers queue on it while the CPUs stay idle.  The answer is that function's name.
 */
#include "lab.h"

#include <pthread.h>
#include <unistd.h>

#define WORKERS 4

static pthread_mutex_t locks[5] = {
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
};
static unsigned long tables[5];
static unsigned int slow;

static inline __attribute__((always_inline)) void critical(unsigned int i)
{
	pthread_mutex_lock(&locks[i]);
	tables[i]++;
	if (slow == i)
		lab_sleep_ms(2);	/* slow work (I/O, say) under the lock */
	else
		lab_spin_us(20);
	pthread_mutex_unlock(&locks[i]);
}

#define SECTION(name, i) \
	static __attribute__((noinline)) void name(void) { critical(i); }
SECTION(update_stats, 0)
SECTION(lookup_session, 1)
SECTION(append_journal, 2)
SECTION(refresh_token, 3)
SECTION(touch_lru, 4)

static const struct {
	void (*fn)(void);
	const char *name;
} sections[] = {
	{ update_stats, "update_stats" }, { lookup_session, "lookup_session" },
	{ append_journal, "append_journal" }, { refresh_token, "refresh_token" },
	{ touch_lru, "touch_lru" },
};

/*
 * A request every 1-3 ms per worker: with four workers the slow section's
 * 2 ms hold keeps its lock contended all the time.  (A fixed 10 ms pause
 * let the workers fall into step, 2 ms apart, after the first convoy: the
 * slow lock was then rarely contended, and on a loaded machine the other
 * locks' preempted holders could out-wait it.)
 */
static void *worker(void *arg)
{
	for (;;) {
		for (unsigned int i = 0; i < 5; i++)
			sections[i].fn();
		lab_sleep_ms(1 + lab_rand(3));
	}
	return NULL;
}

static void work(const struct lab_run *run)
{
	pthread_t t;

	slow = lab_rand(5);
	lab_name("sessiond");
	lab_answer("%s", sections[slow].name);
	for (unsigned int i = 1; i < WORKERS; i++)
		if (pthread_create(&t, NULL, worker, NULL))
			lab_die("pthread_create");
	worker(NULL);
}

const struct lab lab = {
	.title = "more threads, no more throughput",
	.level = "hard",
	.teaches = "pid provider (pthread_mutex_lock entry/return), self-> timestamps, ustack(1) as a key, sum() of wait times; USE: saturation",
	.symptom =
	"\"sessiond got four worker threads instead of one, and handles no more\n"
	"requests than before. The CPUs are not busy. The threads seem to wait on\n"
	"each other.\"",
	.kind = LAB_FUNC,
	.hints = {
		"USE method: the CPUs are not saturated, so look at the other resources: locks. Where do the threads wait?",
		"Threads wait for a mutex in pthread_mutex_lock(): time it with the pid provider, entry to return (ktrace -p PID, self->ts = timestamp).",
		"At pthread_mutex_lock:return the user pc is the return site, in the function that took the lock: sum the waits by ustack(1).",
		"The answer is the function whose lock is contended, e.g. update_stats",
		NULL,
	},
	.solution =
	"# 1. time spent waiting in pthread_mutex_lock, by the function that called it, for 3 s\n"
	"ktrace -q -p $(pidof sessiond) -n '\n"
	"pid$target::pthread_mutex_lock:entry { self->ts = timestamp; }\n"
	"pid$target::pthread_mutex_lock:return /self->ts/ { @wait_ns[ustack(1)] = sum(timestamp - self->ts); self->ts = 0; }\n"
	"tick-3s { exit(0); }' | tee /tmp/lab-sessiond.out\n"
	"# 2. the answer: the function (summed over its call sites) whose lock they wait for longest\n"
	"awk '/`/ { f = $1; sub(/\\+.*/, \"\", f); sub(/.*`/, \"\", f); next }\n"
	"\tNF == 1 && f != \"\" { s[f] += $1; f = \"\" }\n"
	"\tEND { for (x in s) if (!n++ || s[x] > m) { m = s[x]; b = x } print b }' /tmp/lab-sessiond.out\n",
	.work = work,
};
