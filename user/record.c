// SPDX-License-Identifier: GPL-2.0
/*
 * record.c: the records of a session's principal buffers.  A record is
 * the epid of the enabled probe that took it and one item per action of
 * the clause (struct ktrace_rec_item): the values are decoded by the
 * action's argument types, shown through the session's output (output.c,
 * json.c), and what the action does to the session (exit, clear, trunc,
 * normalize, setopt, system, freopen, ftruncate) is done here, the same
 * whatever the output.  Records of the default ERROR clause become the
 * "error in clause N for probe ID P" message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

/* Aggregations are snapshot at most once per record (printa, clear, ...). */
static void snap_once(struct kt_sess *s)
{
	if (!s->snapped_since_rec) {
		kt_sess_agg_snap(s);
		s->snapped_since_rec = true;
	}
}

static const char *strtab(const struct kt_prog *p, uint32_t off)
{
	return off && off < p->strtab_size ? p->strtab + off : NULL;
}

static bool in_pred(const struct kt_sess *s, uint32_t clause, int64_t pc)
{
	const struct ktrace_clause_desc *c;

	if (clause >= s->p->nclauses)
		return false;
	c = &s->p->clauses[clause];
	return c->pred_len && pc >= c->pred_start && pc < (int64_t)c->pred_start + c->pred_len;
}

static void error_message(struct kt_sess *s, const struct kt_val *v)
{
	uint64_t probe = (uint64_t)v[0].i, clause = (uint64_t)v[1].i;
	int64_t off = v[2].i, fault = v[3].i;
	static const char *const faults[] = {
#define KT_FAULT_STR(name, val, str) [val] = str,
		KTRACE_FAULTS(KT_FAULT_STR)
#undef KT_FAULT_STR
	};
	const char *fs = fault >= 0 && fault < KTRACE_FAULT_MAX ? faults[fault] : "unknown fault";
	char details[64] = "";
	const struct ktrace_probe_desc *pd = NULL;
	uint32_t i;

	/* ERROR's arg1 is the faulting probe, arg2 the clause (DTrace's BPF ABI) */
	for (i = 0; i < s->nep && !pd; i++)
		if (s->ep[i].clause == clause && s->ep[i].pd.id == probe)
			pd = &s->ep[i].pd;
	if (fault == KTRACE_FAULT_BADADDR || fault == KTRACE_FAULT_BADALIGN ||
	    fault == KTRACE_FAULT_BADSTACK || fault == KTRACE_FAULT_KPRIV ||
	    fault == KTRACE_FAULT_UPRIV || fault == KTRACE_FAULT_BADSIZE)
		snprintf(details, sizeof(details), " (0x%llx)", (unsigned long long)v[4].i);
	else if (fault == KTRACE_FAULT_BADINDEX)	/* the index, as DTrace: (8) */
		snprintf(details, sizeof(details), " (%lld)", (long long)v[4].i);
	fflush(s->out.fp);
	kt_errmsg("error in %sclause %llu for probe ID %llu (%s:%s:%s:%s): %s%s at DIF offset %lld\n",
	          in_pred(s, (uint32_t)clause, off) ? "the predicate of " : "",
	          (unsigned long long)clause, (unsigned long long)probe,
	          pd ? pd->provider : "?", pd ? pd->module : "?", pd ? pd->function : "?",
	          pd ? pd->name : "?", fs, details, (long long)off);
}

static int decode_args(const struct kt_sess *s, const struct ktrace_action_desc *ad,
		       const uint8_t *p, size_t len, struct kt_val *v)
{
	size_t off = 0;
	int i, n;

	if (ad->flags & KT_ACTF_WORDS) {	/* one value: the bytes of its words */
		size_t skip = (ad->flags >> KT_ACTF_WORDS_SKIP_SHIFT) & 7;
		size_t nb = ad->flags & KT_ACTF_WORDS_NBYTES;

		if (len < (size_t)ad->nargs * 8 || skip + nb > (size_t)ad->nargs * 8)
			return -1;
		memset(v, 0, sizeof(*v));
		v->enc = KTRACE_TYPE_BYTES;
		v->dtype = KT_DT_BYTES;
		v->bytes = p + skip;
		v->nbytes = (uint32_t)nb;
		return 1;
	}
	for (i = 0; i < ad->nargs && i < 16; i++) {
		int dt = ad->arg_types[i];
		int enc = kt_dtype_enc(dt);

		n = kt_decode_val(p + off, len - off, enc, dt, &v[i]);
		if (n < 0)
			return -1;
		off += n;
	}
	(void)s;
	return kt_vals_fold_upid(v, i);
}

static void do_printa(struct kt_sess *s, const struct ktrace_action_desc *ad,
		      const struct kt_val *v, int nv)
{
	uint32_t aggs[16];
	int n = 0, i;

	snap_once(s);
	for (i = 0; i < nv; i++)
		if (v[i].enc == KTRACE_TYPE_INT && n < 16)
			aggs[n++] = (uint32_t)v[i].i;
	if (!n)
		aggs[n++] = ad->agg;
	s->out.ops->printa(&s->out, &s->aggs, aggs, n, strtab(s->p, ad->fmt));
}

static void do_setopt(struct kt_sess *s, const struct kt_val *v, int nv)
{
	const char *val = nv > 1 && v[1].enc == KTRACE_TYPE_STRING ? v[1].s : NULL;
	char why[160];

	if (nv < 1 || v[0].enc != KTRACE_TYPE_STRING)
		return;
	if (kt_opt_set(s->o, v[0].s, val, why, sizeof(why)) < 0)
		kt_errmsg("couldn't set option \"%s\" to \"%s\": %s\n", v[0].s, val ? val : "", why);
}

/* printf-style text of system() and freopen() (malloc'd), or NULL (reported) */
static char *format_text(struct kt_sess *s, const char *fmt, const struct kt_val *v, int nv)
{
	char *text = NULL, err[128];
	size_t len = 0;
	FILE *m;

	if (!fmt)
		return NULL;
	m = open_memstream(&text, &len);
	if (!m)
		return NULL;
	if (kt_format(m, fmt, v, nv, NULL, s->o, err, sizeof(err)) < 0) {
		fclose(m);
		free(text);
		kt_errmsg("%s\n", err);
		return NULL;
	}
	fclose(m);
	return text;
}

/* What an action does beyond what it shows. */
static void act_effect(struct kt_sess *s, const struct kt_epid *ep,
		       const struct ktrace_action_desc *ad, const struct kt_val *v, int nv)
{
	const char *fmt = strtab(s->p, ad->fmt);
	char *text;

	switch (ad->kind) {
	case KTRACE_ACT_EXIT:
		/*
		 * the first exit() wins, as in the kernel; but an exit() in
		 * END, which runs after it, has the last word (as in DTrace)
		 */
		if (!s->exited || (!strcmp(ep->pd.provider, "dtrace") && !strcmp(ep->pd.name, "END")))
			s->exit_status = nv > 0 ? (int)v[0].i : 0;
		s->exited = true;
		break;
	case KTRACE_ACT_CLEAR:
		snap_once(s);
		kt_agg_clear(&s->aggs, ad->agg);
		break;
	case KTRACE_ACT_TRUNC:
		snap_once(s);
		kt_agg_trunc(&s->aggs, ad->agg, nv > 0 ? v[0].i : 0, s->o);
		break;
	case KTRACE_ACT_NORMALIZE:
		snap_once(s);
		kt_agg_normalize(&s->aggs, ad->agg, nv > 0 ? v[0].i : 1);
		break;
	case KTRACE_ACT_DENORMALIZE:
		snap_once(s);
		kt_agg_normalize(&s->aggs, ad->agg, 1);
		break;
	case KTRACE_ACT_SETOPT:
		do_setopt(s, v, nv);
		break;
	case KTRACE_ACT_FTRUNCATE:
		s->out.ops->truncate(&s->out);
		break;
	case KTRACE_ACT_SYSTEM:
		text = format_text(s, fmt, v, nv);
		if (text)
			s->out.ops->system(&s->out, text);
		free(text);
		break;
	case KTRACE_ACT_FREOPEN:	/* freopen(""): back to -o's file (or stdout), as dtrace(1) */
		text = format_text(s, fmt ? fmt : "", v, nv);
		if (text) {
			FILE *fp = text[0] ? fopen(text, "a") : s->out.fp0;

			if (!fp)
				kt_errmsg("couldn't freopen() %s: %s\n", text, strerror(errno));
			else
				s->out.ops->redirect(&s->out, fp);
		}
		free(text);
		break;
	default:	/* data actions: shown only */
		break;
	}
}

int kt_record(struct kt_sess *s, int cpu, const uint8_t *r, uint32_t size)
{
	const struct ktrace_rec *rec = (const void *)r;
	const struct kt_epid *ep;
	struct kt_val v[16];
	uint32_t off = sizeof(*rec);
	bool deferr;
	int nv;

	if (rec->epid < 1 || rec->epid > s->nep)
		return -1;
	ep = &s->ep[rec->epid - 1];
	deferr = (int)ep->clause == s->errclause;
	s->snapped_since_rec = false;
	if (!deferr)
		s->out.ops->rec_begin(&s->out, cpu, &ep->pd, rec->timestamp);
	while (off + sizeof(struct ktrace_rec_item) <= size) {
		const struct ktrace_rec_item *it = (const void *)(r + off);
		const struct ktrace_action_desc *ad;

		if (it->size < sizeof(*it) || it->size % 8 || off + it->size > size ||
		    it->action >= s->p->nactions)
			return -1;
		ad = &s->p->actions[it->action];
		nv = decode_args(s, ad, (const uint8_t *)(it + 1), it->size - sizeof(*it), v);
		if (nv < 0)
			return -1;
		if (deferr) {
			if (nv == 5 && (ad->flags & KT_ACTF_DEFERR))
				error_message(s, v);
		} else if (ad->kind == KTRACE_ACT_PRINTA) {
			do_printa(s, ad, v, nv);
		} else if (ad->kind == KTRACE_ACT_PRINT && (nv == 1 || nv == 2) &&
			   v[0].enc == KTRACE_TYPE_BYTES &&
			   it->action < s->p->nact_ptype && s->p->act_ptype[it->action]) {
			s->out.ops->print(&s->out, s->p, s->p->act_ptype[it->action] - 1, v, nv);
		} else {
			if (ad->kind != KTRACE_ACT_SYSTEM && ad->kind != KTRACE_ACT_FTRUNCATE)
				s->out.ops->action(&s->out, ad, strtab(s->p, ad->fmt), v, nv);
			act_effect(s, ep, ad, v, nv);
		}
		off += it->size;
	}
	if (!deferr)
		s->out.ops->rec_end(&s->out);
	return 0;
}
