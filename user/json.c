// SPDX-License-Identifier: GPL-2.0
/*
 * json.c: --format json.  Every record and every aggregation is one JSON
 * object on one line:
 *   {"type":"record","cpu":0,"id":1,"probe":"dtrace:::BEGIN","timestamp":N,
 *    "data":[{"action":"printf","output":"hello 42\n"}, ...]}
 *   {"type":"aggregation","name":"a","function":"count",
 *    "entries":[{"keys":["bash"],"value":12}, ...]}
 * Distributions give "buckets":[{"value":V,"count":C}, ...] (non-zero only).
 */
#include <string.h>
#include <stdlib.h>
#include "cli.h"

void kt_json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char c = *s;

		switch (c) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\t': fputs("\\t", fp); break;
		case '\r': fputs("\\r", fp); break;
		default:
			if (c < 0x20)
				fprintf(fp, "\\u%04x", c);
			else
				fputc(c, fp);
		}
	}
	fputc('"', fp);
}

void kt_json_val(FILE *fp, const struct kt_val *v)
{
	char sym[512];
	uint32_t i;

	switch (v->enc) {
	case KTRACE_TYPE_STRING:
		kt_json_string(fp, v->s);
		return;
	case KTRACE_TYPE_STACK:
	case KTRACE_TYPE_USTACK:
		fputc('[', fp);
		for (i = 0; i < v->depth && v->pcs[i]; i++) {
			kt_addr_text(v->enc == KTRACE_TYPE_STACK ? KT_DT_SYM : KT_DT_USYM, v->pid,
				     v->pcs[i], true, sym, sizeof(sym));
			if (i)
				fputc(',', fp);
			kt_json_string(fp, sym);
		}
		fputc(']', fp);
		return;
	}
	switch (v->dtype) {
	case KT_DT_SYM: case KT_DT_USYM: case KT_DT_MOD: case KT_DT_UMOD:
		kt_addr_text(v->dtype, v->pid, (uint64_t)v->i, true, sym, sizeof(sym));
		kt_json_string(fp, sym);
		return;
	case KT_DT_U64: case KT_DT_PTR:
		fprintf(fp, "%llu", (unsigned long long)v->i);
		return;
	default:
		fprintf(fp, "%lld", (long long)v->i);
	}
}

static const char *func_name(unsigned int f)
{
	static const char *const names[] = {
#define KT_AGG_NAME(name, val, str, np) [val] = str,
		KTRACE_AGGFUNCS(KT_AGG_NAME)
#undef KT_AGG_NAME
	};
	return f < KTRACE_AGGFUNC_NR ? names[f] : "?";
}

static long long qval(int i)
{
	if (i < KTRACE_QUANTIZE_ZERO)
		return -(1LL << (KTRACE_QUANTIZE_ZERO - 1 - i));
	if (i == KTRACE_QUANTIZE_ZERO)
		return 0;
	return 1LL << (i - KTRACE_QUANTIZE_ZERO - 1);
}

static void json_value(FILE *fp, const struct ktrace_agg_desc *ad, const struct kt_aggent *e,
		       int64_t norm)
{
	uint32_t i;
	bool first = true;

	if (norm <= 0)
		norm = 1;
	switch (ad->func) {
	case KTRACE_AGG_AVG:
		fprintf(fp, "\"value\":%lld", e->vals[0] ?
			(long long)(e->vals[1] / norm / e->vals[0]) : 0LL);
		return;
	case KTRACE_AGG_STDDEV:
		fprintf(fp, "\"value\":%llu", (unsigned long long)kt_stddev(e->vals, norm));
		return;
	case KTRACE_AGG_QUANTIZE:
	case KTRACE_AGG_LQUANTIZE:
	case KTRACE_AGG_LLQUANTIZE:
		fputs("\"buckets\":[", fp);
		for (i = 0; i < e->nvals; i++) {
			long long bv;

			if (!e->vals[i])
				continue;
			if (ad->func == KTRACE_AGG_QUANTIZE)
				bv = qval(i);
			else if (ad->func == KTRACE_AGG_LQUANTIZE)
				bv = i == 0 ? ad->params[0] - 1 :
				     ad->params[0] + (long long)(i - 1) * ad->params[2];
			else
				bv = (long long)i;	/* llquantize: bin index */
			fprintf(fp, "%s{\"%s\":%lld,\"count\":%lld}", first ? "" : ",",
				ad->func == KTRACE_AGG_LLQUANTIZE ? "bin" : "value", bv,
				(long long)(e->vals[i] / norm));
			first = false;
		}
		fputc(']', fp);
		return;
	default:
		fprintf(fp, "\"value\":%lld", (long long)(e->vals[0] / norm));
	}
}

void kt_json_agg(FILE *fp, struct kt_aggtab *t, const uint32_t *aggs, int naggs,
		 const struct kt_cliopts *o)
{
	int j;

	for (j = 0; j < naggs; j++) {
		const struct ktrace_agg_desc *ad = &t->prog->aggs[aggs[j]];
		struct kt_aggent **s;
		size_t n, i;
		int k;

		s = kt_agg_sorted(t, &aggs[j], 1, &n, o);
		if (!s)
			return;
		fputs("{\"type\":\"aggregation\",\"name\":", fp);
		kt_json_string(fp, ad->name < t->prog->strtab_size ? t->prog->strtab + ad->name : "");
		fprintf(fp, ",\"function\":\"%s\",\"entries\":[", func_name(ad->func));
		for (i = 0; i < n; i++) {
			fprintf(fp, "%s{\"keys\":[", i ? "," : "");
			for (k = 0; k < s[i]->nkeys; k++) {
				if (k)
					fputc(',', fp);
				kt_json_val(fp, &s[i]->keys[k]);
			}
			fputs("],", fp);
			json_value(fp, ad, s[i], t->normal[aggs[j]]);
			fputc('}', fp);
		}
		fputs("]}\n", fp);
		free(s);
	}
}
