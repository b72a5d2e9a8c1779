// SPDX-License-Identifier: GPL-2.0
/*
 * mem.c: the memory of loaded sessions, accounted together.
 *
 * LOAD (session_mem.c) adds up everything a session is about to allocate
 * (struct ktrace_mem) and reserves it here before allocating anything:
 * the reservation fails with -ENOMEM and a line in the user's log when
 * all sessions together would pass the limit (module parameter
 * mem_limit, default half of RAM), or when the system has not that much
 * to spare.  The allocations themselves use KTRACE_GFP_MAYFAIL, so an
 * unlucky one fails LOAD instead of calling the OOM killer.  The
 * session's release gives the reservation back.
 *
 * The reservation is the most a session can hold; what it holds now is
 * less (the principal buffers' pages come from a pool filled as they are
 * used, buffer.c): ktrace_mem_resident_add() counts what is allocated,
 * per session (genl.c reports it) and for all sessions (CONF).
 *
 * Locks: none; the counters are atomic.  Process context.
 */
#include <linux/mm.h>
#include <linux/atomic.h>
#include "ktrace_internal.h"

/* Bytes reserved by every loaded session (struct ktrace_session.mem). */
static atomic64_t ktrace_mem_used = ATOMIC64_INIT(0);
/* Bytes of it allocated now (struct ktrace_session.resident). */
static atomic64_t ktrace_mem_res = ATOMIC64_INIT(0);

u64 ktrace_mem_limit_bytes(void)
{
	unsigned long l = READ_ONCE(ktrace_mem_limit);

	return l ? l : (u64)totalram_pages() * PAGE_SIZE / 2;
}

u64 ktrace_mem_in_use(void)
{
	return atomic64_read(&ktrace_mem_used);
}

static void mem_log(struct ktrace_vlog *log, const struct ktrace_mem *m, u64 need)
{
	ktrace_vlog(log, "memory: the session needs %llu bytes (buffers %llu, speculations %llu, dynamic variables %llu, other %llu)\n",
		    need, m->bufs, m->spec, m->dyn, m->other);
}

int ktrace_mem_reserve(struct ktrace_session *s, const struct ktrace_mem *m,
		       struct ktrace_vlog *log)
{
	u64 need = m->bufs + m->spec + m->dyn + m->other;
	u64 limit = ktrace_mem_limit_bytes();
	u64 avail = (u64)si_mem_available() * PAGE_SIZE;
	u64 spare = (u64)totalram_pages() * PAGE_SIZE / 8;
	u64 used;

	if (need > limit) {
		mem_log(log, m, need);
		ktrace_vlog(log, "memory: over the limit of all sessions together, %llu bytes (module parameter mem_limit)\n",
			    limit);
		return -ENOMEM;
	}
	/* keep an eighth of RAM available to the rest of the system */
	if (need + spare > avail) {
		mem_log(log, m, need);
		ktrace_vlog(log, "memory: the system has %llu bytes available, and keeps %llu of them\n",
			    avail, spare);
		return -ENOMEM;
	}
	used = atomic64_add_return(need, &ktrace_mem_used);
	if (used > limit) {
		atomic64_sub(need, &ktrace_mem_used);
		mem_log(log, m, need);
		ktrace_vlog(log, "memory: other sessions use %llu of the %llu bytes all sessions may use (module parameter mem_limit)\n",
			    used - need, limit);
		return -ENOMEM;
	}
	WRITE_ONCE(s->mem, need);
	return 0;
}

void ktrace_mem_resident_add(struct ktrace_session *s, s64 bytes)
{
	atomic64_add(bytes, &s->resident);
	atomic64_add(bytes, &ktrace_mem_res);
}

u64 ktrace_mem_resident(void)
{
	return atomic64_read(&ktrace_mem_res);
}

/* Everything s allocated is freed: give back its reservation. */
void ktrace_mem_release(struct ktrace_session *s)
{
	ktrace_mem_resident_add(s, -atomic64_read(&s->resident));
	atomic64_sub(s->mem, &ktrace_mem_used);
	WRITE_ONCE(s->mem, 0);
}
