// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace-exporter's exposition on the host (KTAP): label escaping, names,
 * cumulative histogram buckets, counters that survive a program's clear(),
 * the series limit, OpenMetrics vs text, content negotiation, bucket bounds
 * against the kernel's own bucketing (module/agg.c), and promtool's verdict
 * on the output.  Linked with the CLI's objects (build/user/obj).
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "../module/vm.h"
#include "exporter/expo.h"

static int tno, failed;

static void ok(bool cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	tno++;
	if (!cond) {
		printf("# %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
		failed++;
	}
	printf("%sok %d %s\n", cond ? "" : "not ", tno, name);
}

static char *render(const struct kx_store *st, bool om)
{
	char *b = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&b, &n);

	kx_render(st, f, om);
	fclose(f);
	return b;
}

static void t_escape(void)
{
	char out[64] = "";
	char small[8] = "";

	kx_escape_label(out, sizeof(out), "a\\b\"c\nd");
	/* 7 bytes of room + NUL: "x" then a 2-byte UTF-8 character would not fit whole */
	kx_escape_label(small, sizeof(small), "abcdef\xc3\xa9");
	ok(!strcmp(out, "a\\\\b\\\"c\\nd") && !strcmp(small, "abcdef"), "expo_escape_label",
	   "got '%s' and '%s'", out, small);
}

static void t_names(void)
{
	ok(kx_metric_name_ok("ktrace_x:y_1") && !kx_metric_name_ok("1x") && !kx_metric_name_ok("a-b") &&
	   !kx_metric_name_ok("") && kx_label_name_ok("comm") && !kx_label_name_ok("le") &&
	   !kx_label_name_ok("__name__") && !kx_label_name_ok("a:b") && !kx_label_name_ok("\xc3\xa9"),
	   "expo_metric_and_label_names", "a name check is wrong");
}

static void t_histogram(void)
{
	struct kx_store st = { 0 };
	static const long double le[] = { 0, 1, 3, 7, INFINITY };
	static const int64_t c1[] = { 0, 2, 0, 5, 1 }, c2[] = { 0, 0, 1, 0, 0 };
	struct kx_family *f = kx_family(&st, "h_seconds", "a \"help\"\\", KX_HISTOGRAM, 5, le, true);
	struct kx_series *s = kx_series(&st, f, "k=\"v\"", 100);
	char *txt;

	kx_hist_add(f, s, c1, 40);
	kx_hist_add(f, s, c2, 2);
	txt = render(&st, false);
	/* from the lowest non-empty bucket (le=1) up, cumulative; +Inf = count */
	ok(!strcmp(txt, "# HELP h_seconds a \"help\"\\\\\n# TYPE h_seconds histogram\n"
			"h_seconds_bucket{k=\"v\",le=\"1\"} 2\n"
			"h_seconds_bucket{k=\"v\",le=\"3\"} 3\n"
			"h_seconds_bucket{k=\"v\",le=\"7\"} 8\n"
			"h_seconds_bucket{k=\"v\",le=\"+Inf\"} 9\n"
			"h_seconds_count{k=\"v\"} 9\n"
			"h_seconds_sum{k=\"v\"} 42\n"),
	   "expo_histogram_cumulative_buckets", "got:\n%s", txt);
	free(txt);
	kx_store_free(&st);
}

/*
 * The program's view (its table, which clear() zeroes) and the exporter's
 * (each snapshot's delta, added to a counter): clear() in between does
 * not take anything from the counter.
 */
static void t_counter_clear(void)
{
	struct ktrace_agg_desc ad = { .func = KTRACE_AGG_COUNT };
	struct kt_prog p = { .aggs = &ad, .naggs = 1 };
	struct kt_aggtab view, delta;
	struct kx_store st = { 0 };
	struct kx_family *f = kx_family(&st, "c", "", KX_COUNTER, 0, NULL, false);
	struct kx_series *s = kx_series(&st, f, "", 1);
	int64_t five = 5, three = 3;
	int round;

	kt_aggtab_init(&view, &p);
	for (round = 0; round < 2; round++) {
		int64_t *v = round ? &three : &five;

		kt_aggtab_init(&delta, &p);
		kt_agg_merge(&view, 0, NULL, 0, v, 1);
		kt_agg_merge(&delta, 0, NULL, 0, v, 1);
		kx_counter_add(s, delta.v[0]->vals[0]);
		kt_aggtab_free(&delta);
		if (!round)
			kt_agg_clear(&view, 0);		/* the program's clear(@) */
	}
	ok(s->value == 8 && view.v[0]->vals[0] == 3, "expo_counter_survives_clear",
	   "counter %Lg (want 8), program's view %lld (want 3)", s->value,
	   (long long)view.v[0]->vals[0]);
	kt_aggtab_free(&view);
	kx_store_free(&st);
}

static void t_max_series(void)
{
	struct kx_store st = { .max_series = 2 };
	struct kx_family *f = kx_family(&st, "g", "", KX_GAUGE, 0, NULL, false);
	struct kx_series *a = kx_series(&st, f, "k=\"a\"", 1);
	struct kx_series *b = kx_series(&st, f, "k=\"b\"", 1);
	struct kx_series *c = kx_series(&st, f, "k=\"c\"", 1);
	struct kx_series *a2 = kx_series(&st, f, "k=\"a\"", 1);

	ok(a && b && !c && a2 == a && st.dropped == 1 && st.nseries == 2, "expo_max_series_drops_counted",
	   "a %p b %p c %p a2 %p dropped %llu series %zu", (void *)a, (void *)b, (void *)c,
	   (void *)a2, (unsigned long long)st.dropped, st.nseries);
	kx_store_free(&st);
}

/* the exporter's own series are neither refused nor counted against the limit */
static void t_max_series_own(void)
{
	struct kx_store st = { .max_series = 2 };
	struct kx_family *own = kx_family(&st, "own", "", KX_COUNTER, 0, NULL, false);
	struct kx_family *f = kx_family(&st, "g", "", KX_GAUGE, 0, NULL, false);
	struct kx_series *o[3], *a, *b, *c;
	int i;

	own->own = true;
	for (i = 0; i < 3; i++)
		o[i] = kx_series(&st, own, i == 0 ? "p=\"0\"" : i == 1 ? "p=\"1\"" : "p=\"2\"", 1);
	a = kx_series(&st, f, "k=\"a\"", 1);
	b = kx_series(&st, f, "k=\"b\"", 1);
	c = kx_series(&st, f, "k=\"c\"", 1);
	ok(o[0] && o[1] && o[2] && a && b && !c && st.dropped == 1 && st.nseries == 5,
	   "expo_max_series_own_not_counted",
	   "own %p %p %p, a %p b %p c %p, dropped %llu series %zu", (void *)o[0], (void *)o[1],
	   (void *)o[2], (void *)a, (void *)b, (void *)c, (unsigned long long)st.dropped,
	   st.nseries);
	kx_store_free(&st);
}

static void t_formats(void)
{
	struct kx_store st = { 0 };
	static const long double le[] = { 1, INFINITY };
	static const int64_t c[] = { 1, 0 };
	struct kx_family *fc = kx_family(&st, "x", "X", KX_COUNTER, 0, NULL, false);
	struct kx_family *fg = kx_family(&st, "y", "Y", KX_GAUGE, 0, NULL, false);
	struct kx_family *fh = kx_family(&st, "z", "Z", KX_HISTOGRAM, 2, le, false);
	struct kx_series *gone;
	char *om, *txt;

	kx_counter_add(kx_series(&st, fc, "", 1.5), 7);
	st.gen = 1;
	gone = kx_series(&st, fg, "k=\"old\"", 1);
	kx_gauge_set(&st, gone, 1);
	st.gen = 2;	/* a later collection did not set it: not shown */
	kx_gauge_set(&st, kx_series(&st, fg, "k=\"new\"", 1), -2.5);
	kx_hist_add(fh, kx_series(&st, fh, "", 2), c, 0);
	om = render(&st, true);
	txt = render(&st, false);
	ok(!strcmp(om, "# HELP x X\n# TYPE x counter\nx_total 7\nx_created 1.500\n"
		       "# HELP y Y\n# TYPE y gauge\ny{k=\"new\"} -2.5\n"
		       "# HELP z Z\n# TYPE z histogram\nz_bucket{le=\"1.0\"} 1\nz_bucket{le=\"+Inf\"} 1\n"
		       "z_count 1\nz_created 2.000\n# EOF\n") &&
	   !strcmp(txt, "# HELP x_total X\n# TYPE x_total counter\nx_total 7\n"
			"# HELP y Y\n# TYPE y gauge\ny{k=\"new\"} -2.5\n"
			"# HELP z Z\n# TYPE z histogram\nz_bucket{le=\"1\"} 1\nz_bucket{le=\"+Inf\"} 1\n"
			"z_count 1\n"),
	   "expo_openmetrics_and_text", "OpenMetrics:\n%s\ntext:\n%s", om, txt);
	free(om);
	free(txt);
	kx_store_free(&st);
}

static void t_accept(void)
{
	ok(kx_accept_openmetrics("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1") &&
	   !kx_accept_openmetrics("text/plain;version=0.0.4;q=0.5,*/*;q=0.1") &&
	   !kx_accept_openmetrics(NULL) && !kx_accept_openmetrics("*/*") &&
	   !kx_accept_openmetrics("application/openmetrics-text;version=2.0.0") &&
	   !kx_accept_openmetrics("application/openmetrics-text;q=0.2,text/plain") &&
	   kx_accept_openmetrics("application/openmetrics-text"),
	   "expo_content_negotiation", "a negotiation is wrong");
}

/* the bucket the kernel's own code (module/agg.c) puts v in */
static int kernel_bucket(const struct ktrace_agg_desc *ad, uint32_t nvals, int64_t v)
{
	static uint64_t buf[1 << 14];
	struct ktrace_aggbuf ab = { .hdr = (void *)buf, .size = sizeof(buf) };
	struct ktrace_prog lp;
	const struct ktrace_agg_hdr *h = ab.hdr;
	const struct ktrace_agg_ent *e;
	const int64_t *vals;
	uint64_t key = 0;
	uint32_t i;

	memset(&lp, 0, sizeof(lp));
	lp.aggs = ad;
	lp.naggs = 1;
	lp.agg_nvals = &nvals;
	ktrace_aggbuf_reset(&ab);
	if (ktrace_agg_update(&ab, &lp, 0, &key, 8, v, 1))
		return -1;
	e = (const void *)((const char *)h + h->entries_off);
	vals = (const int64_t *)((const char *)(e + 1) + 8);
	for (i = 0; i < nvals; i++)
		if (vals[i])
			return (int)i;
	return -1;
}

static bool bounds_agree(const struct ktrace_agg_desc *ad, char *why, size_t n)
{
	uint32_t nb = ktrace_agg_nvals(ad), i;
	long double *le = calloc(nb, sizeof(*le));
	int64_t probe[4];
	bool good;

	if (!le)
		return false;
	kt_agg_bucket_le(ad, nb, le);
	good = isinf(le[nb - 1]);
	for (i = 0; i + 1 < nb && good; i++) {
		int k;

		if (isinf(le[i]) || fabsl(le[i]) > 4e18L)
			continue;
		/* le[i] is in bucket i, le[i] + 1 in bucket i + 1 */
		probe[0] = (int64_t)le[i];
		probe[1] = (int64_t)le[i] + 1;
		for (k = 0; k < 2; k++) {
			int b = kernel_bucket(ad, nb, probe[k]);

			if (b != (int)i + k) {
				snprintf(why, n, "func %u: %lld lands in bucket %d, le says %u",
					 ad->func, (long long)probe[k], b, i + k);
				good = false;
				break;
			}
		}
	}
	free(le);
	return good;
}

static void t_bounds(void)
{
	struct ktrace_agg_desc q = { .func = KTRACE_AGG_QUANTIZE };
	struct ktrace_agg_desc lq = { .func = KTRACE_AGG_LQUANTIZE, .params = { -20, 100, 10 } };
	struct ktrace_agg_desc llq = { .func = KTRACE_AGG_LLQUANTIZE, .params = { 10, 0, 3, 10 } };
	char why[256] = "";

	ok(bounds_agree(&q, why, sizeof(why)) && bounds_agree(&lq, why, sizeof(why)) &&
	   bounds_agree(&llq, why, sizeof(why)), "expo_bucket_bounds_match_the_kernel", "%s", why);
}

/* promtool check metrics (Debian's prometheus package) on a full exposition */
static void t_promtool(void)
{
	struct kx_store st = { 0 };
	static const long double le[] = { 0.001, 0.002, INFINITY };
	static const int64_t c[] = { 3, 4, 1 };
	struct kx_family *fc = kx_family(&st, "ktrace_syscalls", "System calls\nby comm", KX_COUNTER,
					  0, NULL, false);
	struct kx_family *fh = kx_family(&st, "ktrace_latency_seconds", "Latency", KX_HISTOGRAM, 3,
					  le, true);
	struct kx_family *fg = kx_family(&st, "ktrace_avg_bytes", "Average", KX_GAUGE, 0, NULL, false);
	char path[] = "/tmp/expo-promtool.XXXXXX", cmd[256], val[64] = "";
	FILE *f;
	int fd, rc;

	if (system("command -v promtool >/dev/null 2>&1") != 0) {
		tno++;
		printf("not ok %d expo_promtool_check_metrics # promtool missing (make deps: prometheus)\n", tno);
		failed++;
		return;
	}
	kx_escape_label(val, sizeof(val), "we\"ird\\name\n");
	{
		char l[128];

		snprintf(l, sizeof(l), "comm=\"%s\"", val);
		kx_counter_add(kx_series(&st, fc, l, 1), 12);
	}
	kx_counter_add(kx_series(&st, fc, "comm=\"sh\"", 1), 3);
	kx_hist_add(fh, kx_series(&st, fh, "", 1), c, 0.0105);
	kx_gauge_set(&st, kx_series(&st, fg, "", 1), 4096);
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		ok(false, "expo_promtool_check_metrics", "mkstemp failed");
		return;
	}
	kx_render(&st, f, false);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s >%s.out 2>&1", path, path);
	rc = system(cmd);
	snprintf(cmd, sizeof(cmd), "sed 's/^/# promtool: /' %s.out; rm -f %s %s.out", path, path, path);
	ok(rc == 0, "expo_promtool_check_metrics", "promtool status %d", rc);
	if (system(cmd) != 0)
		printf("# could not clean up %s\n", path);
	kx_store_free(&st);
}

int main(void)
{
	printf("KTAP version 1\n1..10\n");
	t_escape();
	t_names();
	t_histogram();
	t_counter_clear();
	t_max_series();
	t_max_series_own();
	t_formats();
	t_accept();
	t_bounds();
	t_promtool();
	return failed ? 1 : 0;
}
