// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl.c: the /dev/ktrace ioctls (docs/uapi.md): the size-versioned uapi
 * structs copied in and out, their flags and reserved fields checked, and
 * the dispatch to the session (session.c: LOAD, GO, STOP, STATUS;
 * session_mem.c: AGGSNAP) or an answer from here (CONF; PROBES through
 * probe.c).
 *
 * The size-versioned copy in (ktrace_copy_struct_from_user) is uaccess.c's,
 * shared with probe.c and prov_uprobe.c.
 *
 * Locks (order in ktrace_internal.h): CONF, PROBES and STATUS run without
 * s->lock (STATUS reads only what session.c's lock comment allows to be
 * read lockless); LOAD, GO, STOP and AGGSNAP run under s->lock, taken
 * here.  This file owns no shared state.  Process context only.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/capability.h>
#include "ktrace_internal.h"

/* ------------------------------------------------------------------ */
/* uapi struct helpers                                                 */
/* ------------------------------------------------------------------ */

static int get_struct(void *dst, size_t ksize, unsigned long arg, u32 *usizep)
{
	u32 usize;
	int err;

	if (get_user(usize, (u32 __user *)arg))
		return -EFAULT;
	err = ktrace_copy_struct_from_user(dst, ksize, (void __user *)arg, usize);
	if (err)
		return err;
	*(u32 *)dst = min_t(u32, usize, ksize);	/* the size we answer with */
	*usizep = usize;
	return 0;
}

/* Copy an out struct back: min(user size, kernel size) bytes. */
static int put_struct(unsigned long arg, const void *src, size_t ksize, u32 usize)
{
	return copy_to_user((void __user *)arg, src, min_t(size_t, ksize, usize)) ? -EFAULT : 0;
}

/* ------------------------------------------------------------------ */
/* KTRACE_IOC_CONF                                                     */
/* ------------------------------------------------------------------ */

static long ioc_conf(unsigned long arg)
{
	struct ktrace_conf c;
	u32 usize;
	int err = get_struct(&c, sizeof(c), arg, &usize);

	if (err)
		return err;
	memset(&c, 0, sizeof(c));
	c.size = min_t(u32, usize, sizeof(c));
	c.abi_version = KTRACE_ABI_VERSION;
	c.max_insns = KTRACE_MAX_INSNS;
	c.max_ints = KTRACE_MAX_INTS;
	c.max_strtab = KTRACE_MAX_STRTAB;
	c.max_vars = KTRACE_MAX_VARS;
	c.max_aggs = KTRACE_MAX_AGGS;
	c.max_actions = KTRACE_MAX_ACTIONS;
	c.max_clauses = KTRACE_MAX_CLAUSES;
	c.max_enablings = KTRACE_MAX_ENABLINGS;
	c.max_tuple = KTRACE_TUPLE_MAX;
	c.max_strsize = KTRACE_MAX_STRSIZE;
	c.max_loops = KTRACE_MAX_LOOPS;
	c.ncpus = nr_cpu_ids;
	c.max_bufsize = KTRACE_MAX_BUFSIZE;
	c.max_aggsize = KTRACE_MAX_AGGSIZE;
	c.max_dynvarsize = KTRACE_MAX_DYNVARSIZE;
	c.max_stackframes = KTRACE_MAX_STACKFRAMES;
	c.max_ustacksize = KTRACE_MAX_USTACKSIZE;
	c.max_scratchsize = KTRACE_MAX_SCRATCHSIZE;
	c.max_fbt_return = KTRACE_FBT_MAX_RETURN;
	c.max_insn_budget = KTRACE_MAX_BUDGET;
	c.max_firing_ms = KTRACE_FIRING_MAX_MS;
	c.max_verify_work = KTRACE_MAX_VERIFY_WORK;
	c.max_probe_query = KTRACE_MAX_PROBE_QUERY;
	c.mem_limit = ktrace_mem_limit_bytes();
	c.mem_used = ktrace_mem_in_use();
	c.mem_resident = ktrace_mem_resident();
	return put_struct(arg, &c, sizeof(c), usize);
}

/* ------------------------------------------------------------------ */
/* KTRACE_IOC_LOAD                                                     */
/* ------------------------------------------------------------------ */

static long ioc_load(struct ktrace_session *s, unsigned long arg)
{
	struct ktrace_load ld;
	struct ktrace_vlog log = { };
	void *obj = NULL;
	u32 usize;
	long err;

	err = get_struct(&ld, sizeof(ld), arg, &usize);
	if (err)
		return err;
	if (ld.flags || ld.reserved)
		return -EINVAL;
	/* out fields (log_used, map_size, hdr_map_size) are ignored on input */
	ld.log_used = 0;
	if (ld.log_size > KTRACE_MAX_LOG_SIZE || (ld.log_size && !ld.log_buf))
		return -EINVAL;
	if (ld.obj_size < sizeof(struct ktrace_obj_hdr) || !ld.obj)
		return -EINVAL;
	if (ld.obj_size > KTRACE_MAX_OBJ_SIZE)
		return -E2BIG;
	if (s->state != KTRACE_STATE_NEW)
		return -EBUSY;

	if (ld.log_size) {
		log.buf = kvzalloc(ld.log_size, KTRACE_GFP_MAYFAIL);
		if (!log.buf)
			return -ENOMEM;
		log.size = ld.log_size;
	}
	if ((ld.opts.flags & KTRACE_OPT_F_DESTRUCTIVE) && !capable(CAP_SYS_ADMIN)) {
		ktrace_vlog(&log, "options: destructive actions need CAP_SYS_ADMIN\n");
		err = -EPERM;
		goto out_log;
	}
	obj = kvmalloc(ld.obj_size, KTRACE_GFP_MAYFAIL);
	if (!obj) {
		err = -ENOMEM;
		goto out_log;
	}
	if (copy_from_user(obj, u64_to_user_ptr(ld.obj), ld.obj_size)) {
		err = -EFAULT;
		goto out_log;
	}
	err = ktrace_session_load(s, obj, ld.obj_size, &ld.opts, &log);
	if (err)
		goto out_log;
	ld.map_size = s->map_size;
	ld.hdr_map_size = s->hdr_map_size;
	ld.opts = s->opts;
out_log:
	kvfree(obj);
	if (ld.log_size) {
		ld.log_used = log.used + 1;
		if (copy_to_user(u64_to_user_ptr(ld.log_buf), log.buf, ld.log_used) && !err)
			err = -EFAULT;
	}
	kvfree(log.buf);
	if (put_struct(arg, &ld, sizeof(ld), usize) && !err)
		err = -EFAULT;
	ktrace_session_load_end(s, err);
	return err;
}

/* ------------------------------------------------------------------ */
/* GO / STOP / STATUS / AGGSNAP                                        */
/* ------------------------------------------------------------------ */

static long ioc_go(struct ktrace_session *s, unsigned long arg)
{
	struct ktrace_go go;
	u32 usize;
	int err;

	err = get_struct(&go, sizeof(go), arg, &usize);
	if (err)
		return err;
	if (go.flags || go.reserved)
		return -EINVAL;
	return ktrace_session_go(s);
}

static long ioc_stop(struct ktrace_session *s, unsigned long arg)
{
	struct ktrace_stop st;
	u32 usize;
	int err;

	err = get_struct(&st, sizeof(st), arg, &usize);
	if (err)
		return err;
	if (st.flags || st.reserved)
		return -EINVAL;
	return ktrace_session_stop(s);
}

static long ioc_status(struct ktrace_session *s, unsigned long arg)
{
	struct ktrace_status st;
	u32 usize;
	int err;

	err = get_struct(&st, sizeof(st), arg, &usize);
	if (err)
		return err;
	if (st.flags)
		return -EINVAL;
	ktrace_session_status(s, &st);
	st.size = min_t(u32, usize, sizeof(st));
	return put_struct(arg, &st, sizeof(st), usize);
}

static long ioc_aggsnap(struct ktrace_session *s, unsigned long arg)
{
	struct ktrace_aggsnap as;
	u32 usize;
	int err;

	err = get_struct(&as, sizeof(as), arg, &usize);
	if (err)
		return err;
	if (as.flags || as.reserved || as.readable)
		return -EINVAL;
	err = ktrace_session_aggsnap(s);
	if (err < 0)
		return err;
	as.readable = err;
	as.size = min_t(u32, usize, sizeof(as));
	return put_struct(arg, &as, sizeof(as), usize);
}

/* ------------------------------------------------------------------ */
/* the dispatcher                                                      */
/* ------------------------------------------------------------------ */

long ktrace_session_ioctl(struct ktrace_session *s, unsigned int cmd, unsigned long arg)
{
	long err;

	switch (cmd) {
	case KTRACE_IOC_CONF:
		return ioc_conf(arg);
	case KTRACE_IOC_PROBES:
		return ktrace_probe_query((void __user *)arg);
	case KTRACE_IOC_STATUS:
		return ioc_status(s, arg);
	case KTRACE_IOC_LOAD:
	case KTRACE_IOC_GO:
	case KTRACE_IOC_STOP:
	case KTRACE_IOC_AGGSNAP:
		break;
	default:
		return -ENOTTY;
	}
	if (mutex_lock_interruptible(&s->lock))
		return -EINTR;
	switch (cmd) {
	case KTRACE_IOC_LOAD:
		err = ioc_load(s, arg);
		break;
	case KTRACE_IOC_GO:
		err = ioc_go(s, arg);
		break;
	case KTRACE_IOC_STOP:
		err = ioc_stop(s, arg);
		break;
	default:
		err = ioc_aggsnap(s, arg);
		break;
	}
	mutex_unlock(&s->lock);
	return err;
}
