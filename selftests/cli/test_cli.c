// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli: host unit tests of the ktrace CLI's output formats and
 * option handling.  Expected strings follow DTrace's formats (widths
 * from dtrace(1)/libdtrace: " %16lld" values, "  %-50s" string keys,
 * 40-column distributions...).  KTAP output; exit 1 on any failure.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

#define main ktrace_cli_main
#include "../../user/ktrace.c"
#undef main

static int ntests, nfail;

static void result(const char *name, bool ok, const char *got, const char *want)
{
	ntests++;
	if (!ok) {
		nfail++;
		if (want)
			printf("# %s:\n#  want [%s]\n#   got [%s]\n", name, want, got ? got : "(null)");
	}
	printf("%s %d %s\n", ok ? "ok" : "not ok", ntests, name);
}

/* ---------------------------------------------------------- helpers --- */

static struct kt_val I(int64_t v, int dt)
{
	struct kt_val x = { .enc = KTRACE_TYPE_INT, .dtype = (uint8_t)dt, .i = v };
	return x;
}

static struct kt_val S(const char *s)
{
	struct kt_val x = { .enc = KTRACE_TYPE_STRING, .dtype = KT_DT_STRING, .s = s };
	return x;
}

static struct kt_cliopts O(bool quiet)
{
	struct kt_cliopts o;

	kt_opts_init(&o);
	o.quiet = quiet;
	return o;
}

static void check_fmt(const char *name, const char *fmt, const struct kt_val *a, int n,
		      const char *want)
{
	struct kt_cliopts o = O(true);
	char *buf = NULL, err[128] = "";
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int r = kt_format(m, fmt, a, n, NULL, &o, err, sizeof(err));

	fclose(m);
	if (!want)
		result(name, r < 0, buf, "(an error)");
	else
		result(name, r >= 0 && !strcmp(buf, want), r < 0 ? err : buf, want);
	free(buf);
}

/* ------------------------------------------------------------ printf --- */

static void test_printf(void)
{
	struct kt_val a[4];

	a[0] = I(42, KT_DT_S64);
	check_fmt("printf_d", "hello %d\n", a, 1, "hello 42\n");
	check_fmt("printf_i_width_flags", "[%5d|%-5d|%05d|%+d|% d]", (struct kt_val[]){
		I(42, 0), I(42, 0), I(42, 0), I(42, 0), I(42, 0) }, 5, "[   42|42   |00042|+42| 42]");
	a[0] = I(255, KT_DT_S64);
	check_fmt("printf_x_X_o_alt", "%x %X %o %#x %#o", (struct kt_val[]){
		a[0], a[0], a[0], a[0], a[0] }, 5, "ff FF 377 0xff 0377");
	a[0] = I(-1, KT_DT_S64);
	check_fmt("printf_u_of_negative_64bit", "%u", a, 1, "18446744073709551615");
	a[0] = I(-1, KT_DT_S32);
	check_fmt("printf_d_int32", "%d", a, 1, "-1");
	a[0] = I(0xffffffffLL, KT_DT_U32);
	check_fmt("printf_u_uint32", "%u", a, 1, "4294967295");
	a[0] = I(-1, KT_DT_S32);
	check_fmt("printf_x_int32_natural_width", "%x", a, 1, "ffffffff");
	a[0] = I(257, KT_DT_S64);
	check_fmt("printf_hhd", "%hhd", a, 1, "1");
	a[0] = I(65537, KT_DT_S64);
	check_fmt("printf_hd", "%hd", a, 1, "1");
	a[0] = I(1LL << 40, KT_DT_S64);
	check_fmt("printf_lld_ld", "%lld %ld", (struct kt_val[]){ a[0], a[0] }, 2,
		  "1099511627776 1099511627776");
	a[0] = S("hello");
	check_fmt("printf_s_width_prec", "[%s|%10s|%-10s|%.3s]", (struct kt_val[]){
		a[0], a[0], a[0], a[0] }, 4, "[hello|     hello|hello     |hel]");
	a[0] = I(65, KT_DT_CHAR);
	check_fmt("printf_c", "%c%c", (struct kt_val[]){ a[0], I(66, KT_DT_CHAR) }, 2, "AB");
	check_fmt("printf_percent", "100%%\n", NULL, 0, "100%\n");
	check_fmt("printf_star_width", "[%*d]", (struct kt_val[]){ I(5, 0), I(42, 0) }, 2, "[   42]");
	check_fmt("printf_star_negative_width", "[%*d]", (struct kt_val[]){ I(-5, 0), I(42, 0) }, 2,
		  "[42   ]");
	/* printa/tst.dynwidth.r: printa()'s '*' takes the keys as printf's does its arguments */
	check_fmt("printa_star_width_from_keys", "-->%*d<--|-->%*d<--", (struct kt_val[]){
		I(10, KT_DT_S32), I(100, KT_DT_S32), I(-10, KT_DT_S32), I(200, KT_DT_S32) }, 4,
		  "-->       100<--|-->200       <--");
	check_fmt("printf_star_prec", "[%.*s]", (struct kt_val[]){ I(2, 0), S("abcdef") }, 2, "[ab]");
	check_fmt("printf_e_f_g", "%e %f %g %.2f", (struct kt_val[]){
		I(3, 0), I(3, 0), I(3, 0), I(7, 0) }, 4, "3.000000e+00 3.000000 3 7.00");
	/* a float or double variable's value is its bits: 1.5f is 0x3fc00000, -0.25 0xbfd0... */
	check_fmt("printf_e_f_g_of_float_and_double_bits", "%f %e %g %.3f %G", (struct kt_val[]){
		I(0x3fc00000, KT_DT_FLOAT), I(0x3fc00000, KT_DT_FLOAT),
		I((int64_t)0xbfd0000000000000ULL, KT_DT_DOUBLE),
		I((int64_t)0xbfd0000000000000ULL, KT_DT_DOUBLE), I(0, KT_DT_DOUBLE) }, 5,
		  "1.500000 1.500000e+00 -0.25 -0.250 0");
	/* DTrace's printf/tst.basics.r: %p is %x of the address, no 0x */
	check_fmt("printf_p_is_hex_without_0x", "%p", (struct kt_val[]){ I(0x1000, KT_DT_PTR) }, 1,
		  "1000");
	/* printf/tst.widths1.r: '?' is the width of a pointer */
	check_fmt("printf_qmark_is_pointer_width", "[%?d|%-?d|%?4d]", (struct kt_val[]){
		I(5, 0), I(5, 0), I(5, 0) }, 3, "[               5|5               |   5]");
	/* printf/tst.precs.r, tst.wp.r: a precision of 0 is none */
	check_fmt("printf_precision_0_is_none", "[%.0s|%0.0s|%.*s|%*.*s|%.0d]", (struct kt_val[]){
		S("hello"), S("hello"), I(0, 0), S("hello"), I(0, 0), I(0, 0), S("hello"), I(0, 0) },
		  8, "[hello|hello|hello|hello|0]");
	check_fmt("printf_a_symbol", "%a", (struct kt_val[]){ I((int64_t)0xffffffff81000010ull,
		  KT_DT_PTR) }, 1, "vmlinux`do_sys_open+0x10");
	check_fmt("printf_a_unknown_is_hex", "%a", (struct kt_val[]){ I(0x1234, KT_DT_PTR) }, 1,
		  "0x1234");
	/* printf/tst.conv_T.r, tst.conv_Y.r: local time (a POSIX TZ rule: no zoneinfo needed);
	 * %T's year is the ISO week's, as DTrace's (31 Dec 1969 is in 1970's week 1) */
	{
		char *tz = getenv("TZ") ? strdup(getenv("TZ")) : NULL;

		setenv("TZ", "PST8PDT,M4.1.0,M10.5.0", 1);
		tzset();
		check_fmt("printf_T_rfc822_local", "%T|%T", (struct kt_val[]){ I(0, KT_DT_U64),
			  I(1062609821LL * 1000000000LL, KT_DT_U64) }, 2,
			  "Wed, 31 Dec 1970 16:00:00 PST|Wed, 03 Sep 2003 10:23:41 PDT");
		check_fmt("printf_Y_local", "%Y|%Y", (struct kt_val[]){ I(0, KT_DT_U64),
			  I(1062609821LL * 1000000000LL, KT_DT_U64) }, 2,
			  "1969 Dec 31 16:00:00|2003 Sep  3 10:23:41");
		if (tz)
			setenv("TZ", tz, 1);
		else
			unsetenv("TZ");
		free(tz);
		tzset();
	}
	check_fmt("printf_too_few_args_is_error", "%d %d", (struct kt_val[]){ I(1, 0) }, 1, NULL);
	check_fmt("printf_string_for_d_is_error", "%d", (struct kt_val[]){ S("x") }, 1, NULL);
	check_fmt("printf_agg_outside_printa_is_error", "%@d", NULL, 0, NULL);
	check_fmt("printf_trailing_percent_is_error", "abc%", NULL, 0, NULL);
	check_fmt("printf_no_conversions", "plain text\n", NULL, 0, "plain text\n");
	check_fmt("printf_int64_min", "%d", (struct kt_val[]){ I(INT64_MIN, 0) }, 1,
		  "-9223372036854775808");
}

/* ------------------------------------------------------ trace, lines --- */

static char *capture_trace(const struct kt_val *v, bool quiet)
{
	struct kt_cliopts o = O(quiet);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	kt_print_trace(m, v, &o);
	fclose(m);
	return buf;
}

static void test_trace_and_lines(void)
{
	struct kt_val v = I(42, KT_DT_S64);
	struct ktrace_probe_desc pd;
	struct kt_cliopts o = O(false);
	struct kt_flow fl = { 0 };
	char *buf = NULL, *t;
	size_t len = 0;
	FILE *m;

	t = capture_trace(&v, false);
	/* a 64-bit integer in 20 columns (" %19lld"), as DTrace's suite shows */
	result("trace_int_default_width", !strcmp(t, "                  42"), t, "                  42");
	free(t);
	t = capture_trace(&v, true);
	result("trace_int_quiet", !strcmp(t, "42"), t, "42");
	free(t);
	v = S("abc");
	t = capture_trace(&v, false);
	result("trace_string_default_width", !strcmp(t, "  abc                              "), t,
	       "  abc                              ");
	free(t);
	/* -x rawbytes: a string's strsize bytes and NUL as dtrace(1)'s byte dump */
	{
		struct kt_cliopts ro = O(true);
		const char *want =
			"\n             0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef\n"
			"         0: 63 64 65 66 0a 46 00 00 00 00 00 00 00 00 00 00  cdef.F..........\n"
			"        10: 00 00                                            ..\n";

		ro.rawbytes = true;
		ro.k.strsize = 17;
		v = S("cdef\nF");
		m = open_memstream(&buf, &len);
		kt_print_trace(m, &v, &ro);
		fclose(m);
		result("trace_string_rawbytes_dump", !strcmp(buf, want), buf, want);
		free(buf);
		buf = NULL;
	}
	/* DTrace's actions/trace/tst.{u,}int{8,16,32}_t.r: width by size, sign by type */
	v = I(-1, KT_DT_S32);
	t = capture_trace(&v, false);
	result("trace_int32_width", !strcmp(t, "         -1"), t, "         -1");
	free(t);
	v = I(-1, KT_DT_U32);
	t = capture_trace(&v, false);
	result("trace_uint32_unsigned", !strcmp(t, " 4294967295"), t, " 4294967295");
	free(t);
	v = I(-1, KT_DT_S16);
	t = capture_trace(&v, false);
	result("trace_int16_signed", !strcmp(t, "    -1"), t, "    -1");
	free(t);
	v = I(-1, KT_DT_U8);
	t = capture_trace(&v, true);
	result("trace_uint8_quiet_unsigned", !strcmp(t, "255"), t, "255");
	free(t);
	v = I(-1, KT_DT_U64);
	t = capture_trace(&v, true);
	result("trace_uint64_quiet_unsigned", !strcmp(t, "18446744073709551615"), t,
	       "18446744073709551615");
	free(t);

	memset(&pd, 0, sizeof(pd));
	pd.id = 1;
	strcpy(pd.provider, "dtrace");
	strcpy(pd.name, "BEGIN");
	m = open_memstream(&buf, &len);
	kt_print_header(m, &o);
	kt_print_probe(m, &o, &fl, 0, &pd);
	fclose(m);
	result("probe_line_default", !strcmp(buf, "CPU     ID                    FUNCTION:NAME\n"
		"  0      1                           :BEGIN "), buf,
	       "CPU     ID                    FUNCTION:NAME\n  0      1                           :BEGIN ");
	free(buf);

	/* -F: entry indents the following lines, return unindents */
	o.flowindent = true;
	buf = NULL;
	m = open_memstream(&buf, &len);
	kt_print_header(m, &o);
	strcpy(pd.provider, "fbt");
	strcpy(pd.function, "vfs_read");
	strcpy(pd.name, "entry");
	kt_print_probe(m, &o, &fl, 1, &pd);
	fputc('\n', m);
	strcpy(pd.function, "rw_verify_area");
	kt_print_probe(m, &o, &fl, 1, &pd);
	fputc('\n', m);
	strcpy(pd.name, "return");
	kt_print_probe(m, &o, &fl, 1, &pd);
	fputc('\n', m);
	strcpy(pd.function, "vfs_read");
	kt_print_probe(m, &o, &fl, 1, &pd);
	fputc('\n', m);
	fclose(m);
	{
		const char *want =
			"CPU FUNCTION                                 \n"
			"  1  -> vfs_read                              \n"
			"  1    -> rw_verify_area                      \n"
			"  1    <- rw_verify_area                      \n"
			"  1  <- vfs_read                              \n";
		result("flowindent_entry_return", !strcmp(buf, want), buf, want);
	}
	free(buf);
}

/* ------------------------------------------------------ aggregations --- */

static struct kt_prog prog;
static struct ktrace_agg_desc aggs[8];
static uint8_t keyd[8][KTRACE_MAX_KEYS];
static uint8_t vald[8];
static char strtab[] = "\0a\0b\0c\0d\0e\0f\0g";

static void setup_prog(void)
{
	memset(&prog, 0, sizeof(prog));
	memset(aggs, 0, sizeof(aggs));
	prog.aggs = aggs;
	prog.naggs = 8;
	prog.agg_key_dtypes = keyd;
	prog.agg_val_dtype = vald;
	prog.strtab = strtab;
	prog.strtab_size = sizeof(strtab);
}

static void key_int(uint8_t *k, int64_t v)
{
	memcpy(k, &v, 8);
}

static uint32_t key_str(uint8_t *k, const char *s)
{
	uint32_t n = (uint32_t)((strlen(s) + 1 + 7) & ~7u);

	memset(k, 0, n);
	strcpy((char *)k, s);
	return n;
}

static char *print_aggs(struct kt_aggtab *t, uint32_t agg, const char *fmt, struct kt_cliopts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	kt_agg_print(m, t, &agg, 1, fmt, o);
	fclose(m);
	return buf;
}

#define ROW(v, bar, c) v " |" bar " " c "\n"
#define AT40 "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
#define SP40 "                                        "
#define DHDR "\n           value  ------------- Distribution ------------- count    \n"

/*
 * ustackmode=dwarf keys: raw samples are unwound when merged (the stub
 * kt_unwind gives the sample's ip alone) and kept as their frames, so
 * samples whose stack bytes differ but frames agree are one key.
 */
static size_t usample(uint8_t *buf, uint64_t pid, uint64_t ip, uint64_t fill, uint32_t size)
{
	struct ktrace_usample us = { .pid = pid, .size = size, .frames = 20 };

	us.regs.ip = ip;
	us.regs.sp = 0x7ffff000;
	memcpy(buf, &us, sizeof(us));
	for (uint32_t i = 0; i < size / 8; i++)
		memcpy(buf + sizeof(us) + 8 * i, &fill, 8);
	return sizeof(us) + size;
}

/*
 * A BYTES record field (trace() of a struct or array, tracemem()): the
 * count, the bytes, zeros to 8; shown as dtrace(1)'s hex dump (the
 * format of DTrace's tracemem/tst.tracemem.r), nothing for no bytes
 */
static void test_bytes(void)
{
	uint8_t rec[40];
	uint64_t n = 18;
	struct kt_val v;
	char *t;
	bool ok;
	const char *want =
		"\n             0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef\n"
		"         0: 4c 69 6e 75 78 20 76 65 72 73 69 6f 6e 20 00 7f  Linux version ..\n"
		"        10: 41 ff                                            A.\n";

	memset(rec, 0xee, sizeof(rec));
	memcpy(rec, &n, 8);
	memcpy(rec + 8, "Linux version \0\x7f" "A\xff", 18);
	memset(rec + 26, 0, 6);
	ok = kt_decode_val(rec, 32, KTRACE_TYPE_BYTES, KT_DT_BYTES, &v) == 32 &&
	     v.nbytes == 18 && v.bytes == rec + 8;
	result("bytes_decode_count_and_padding", ok, NULL, NULL);
	/* a count past the field, or padding past it, is a bad record */
	ok = kt_decode_val(rec, 31, KTRACE_TYPE_BYTES, KT_DT_BYTES, &v) < 0 &&
	     kt_decode_val(rec, 7, KTRACE_TYPE_BYTES, KT_DT_BYTES, &v) < 0;
	n = UINT64_MAX - 3;
	memcpy(rec, &n, 8);
	ok = ok && kt_decode_val(rec, 40, KTRACE_TYPE_BYTES, KT_DT_BYTES, &v) < 0;
	result("bytes_decode_rejects_bad_count", ok, NULL, NULL);
	n = 18;
	memcpy(rec, &n, 8);
	kt_decode_val(rec, 32, KTRACE_TYPE_BYTES, KT_DT_BYTES, &v);
	t = capture_trace(&v, false);
	result("trace_bytes_hex_dump", !strcmp(t, want), t, want);
	free(t);
	t = capture_trace(&v, true);
	result("trace_bytes_hex_dump_quiet", !strcmp(t, want), t, want);
	free(t);
	n = 0;
	memcpy(rec, &n, 8);
	ok = kt_decode_val(rec, 8, KTRACE_TYPE_BYTES, KT_DT_BYTES, &v) == 8 && !v.nbytes;
	t = capture_trace(&v, false);
	result("trace_no_bytes_shows_nothing", ok && !*t, t, "");
	free(t);
	result("bytes_display_type_encoding", kt_dtype_enc(KT_DT_BYTES) == KTRACE_TYPE_BYTES,
	       NULL, NULL);
}

static void test_usample_keys(void)
{
	struct kt_aggtab t;
	uint8_t k[512];
	int64_t v[1];
	size_t n;
	struct kt_val val;
	struct ktrace_usample us;
	bool ok;

	setup_prog();
	aggs[0].func = KTRACE_AGG_COUNT;
	aggs[0].nkeys = 1;
	aggs[0].key_types[0] = KTRACE_TYPE_USAMPLE;
	keyd[0][0] = KT_DT_USAMPLE;
	kt_aggtab_init(&t, &prog);
	n = usample(k, 4242, 0x401000, 1, 64);
	v[0] = 2;
	kt_agg_merge(&t, 0, k, (uint32_t)n, v, 1);
	n = usample(k, 4242, 0x401000, 2, 128);	/* other bytes, same frames */
	v[0] = 3;
	kt_agg_merge(&t, 0, k, (uint32_t)n, v, 1);
	n = usample(k, 4242, 0x402000, 1, 64);	/* other frames */
	v[0] = 7;
	kt_agg_merge(&t, 0, k, (uint32_t)n, v, 1);
	ok = t.n == 2 && t.v[0]->vals[0] == 5 && t.v[1]->vals[0] == 7 &&
	     t.v[0]->keys[0].enc == KTRACE_TYPE_USTACK && t.v[0]->keys[0].dtype == KT_DT_USTACK &&
	     t.v[0]->keys[0].pid == 4242 && t.v[0]->keys[0].depth == 1 &&
	     t.v[0]->keys[0].pcs[0] == 0x401000 && t.v[1]->keys[0].pcs[0] == 0x402000;
	result("usample_keys_merged_by_frames", ok, NULL, NULL);
	memcpy(&us, t.v[0]->key, sizeof(us));
	result("usample_key_kept_unwound", t.v[0]->keysize == sizeof(us) + 8 &&
	       us.frames == (1 | KT_USAMPLE_UNWOUND) && us.size == 8 && !us.regs.ip, NULL, NULL);
	kt_aggtab_free(&t);

	/* a record's raw sample decodes as its frames */
	n = usample(k, 77, 0x403000, 5, 32);
	result("usample_record_decodes_as_ustack",
	       kt_decode_val(k, n, KTRACE_TYPE_USAMPLE, KT_DT_USAMPLE, &val) == (int)n &&
	       val.enc == KTRACE_TYPE_USTACK && val.pid == 77 && val.depth == 1 &&
	       val.pcs[0] == 0x403000, NULL, NULL);
	/* malformed: a size not in words, or past the end */
	usample(k, 77, 0x403000, 5, 32);
	((struct ktrace_usample *)k)->size = 12;
	ok = kt_decode_val(k, n, KTRACE_TYPE_USAMPLE, KT_DT_USAMPLE, &val) < 0;
	((struct ktrace_usample *)k)->size = 40;
	ok = ok && kt_decode_val(k, n, KTRACE_TYPE_USAMPLE, KT_DT_USAMPLE, &val) < 0;
	ok = ok && kt_decode_val(k, sizeof(us) - 8, KTRACE_TYPE_USAMPLE, KT_DT_USAMPLE, &val) < 0;
	result("usample_malformed_refused", ok, NULL, NULL);
	keyd[0][0] = 0;
}

extern const uint64_t kt_stub_chain_bp;

/* A sample the stub unwinds as ip, then the frames given (0-ended), then fill bytes. */
static size_t chain_sample(uint8_t *buf, uint64_t pid, uint64_t ip, const uint64_t *frames,
			   uint64_t fill, uint32_t size)
{
	size_t n = usample(buf, pid, ip, fill, size);

	((struct ktrace_usample *)buf)->regs.bp = kt_stub_chain_bp;
	for (uint32_t i = 0; i * 8 < size; i++) {
		memcpy(buf + sizeof(struct ktrace_usample) + 8 * i, &frames[i], 8);
		if (!frames[i])
			break;
	}
	return n;
}

/*
 * ustackmode=dwarf ucaller and ustackdepth: the caller (second frame) and
 * the frames, derived from the sample by the consumer; as keys, samples
 * with the same value are one key, kept as that value.
 */
static void test_usample_derived(void)
{
	static const uint64_t c1[] = { 0x401100, 0x401200, 0x401300, 0 };
	static const uint64_t c1b[] = { 0x401100, 0x409900, 0 };	/* same caller, shorter */
	static const uint64_t c2[] = { 0x402100, 0 };
	static const uint64_t none[] = { 0 };
	struct ktrace_usample us;
	struct kt_aggtab t;
	struct kt_val val;
	uint8_t k[512];
	int64_t v[1];
	size_t n;
	bool ok;

	setup_prog();
	aggs[0].func = KTRACE_AGG_COUNT;
	aggs[0].nkeys = 1;
	aggs[0].key_types[0] = KTRACE_TYPE_USAMPLE;
	keyd[0][0] = KT_DT_UCALLER_SYM;
	kt_aggtab_init(&t, &prog);
	n = chain_sample(k, 31, 0x401000, c1, 1, 64);
	v[0] = 2;
	kt_agg_merge(&t, 0, k, (uint32_t)n, v, 1);
	n = chain_sample(k, 31, 0x401050, c1b, 2, 128);	/* another pc and stack, same caller */
	v[0] = 3;
	kt_agg_merge(&t, 0, k, (uint32_t)n, v, 1);
	n = chain_sample(k, 31, 0x401000, c2, 1, 64);
	v[0] = 7;
	kt_agg_merge(&t, 0, k, (uint32_t)n, v, 1);
	ok = t.n == 2 && t.v[0]->vals[0] == 5 && t.v[1]->vals[0] == 7 &&
	     t.v[0]->keys[0].enc == KTRACE_TYPE_INT && t.v[0]->keys[0].dtype == KT_DT_USYM &&
	     t.v[0]->keys[0].pid == 31 && t.v[0]->keys[0].i == 0x401100 &&
	     t.v[1]->keys[0].i == 0x402100;
	result("usample_ucaller_keys_merged_by_caller", ok, NULL, NULL);
	memcpy(&us, t.v[0]->key, sizeof(us));
	result("usample_ucaller_key_kept_as_value", t.v[0]->keysize == sizeof(us) + 8 &&
	       us.frames == (KT_USAMPLE_UNWOUND | KT_USAMPLE_VALUE) && us.size == 8 &&
	       us.pid == 31, NULL, NULL);
	kt_aggtab_free(&t);

	/* records: ustackdepth counts the frames, ucaller of one frame is 0 */
	n = chain_sample(k, 77, 0x403000, c1, 5, 64);
	ok = kt_decode_val(k, n, KTRACE_TYPE_USAMPLE, KT_DT_USTACKDEPTH, &val) == (int)n &&
	     val.enc == KTRACE_TYPE_INT && val.dtype == KT_DT_U32 && val.i == 4 && val.pid == 77;
	ok = ok && kt_decode_val(k, n, KTRACE_TYPE_USAMPLE, KT_DT_UCALLER, &val) == (int)n &&
	     val.enc == KTRACE_TYPE_INT && val.dtype == KT_DT_U64 && val.i == 0x401100;
	ok = ok && kt_decode_val(k, n, KTRACE_TYPE_USAMPLE, KT_DT_UCALLER_MOD, &val) == (int)n &&
	     val.dtype == KT_DT_UMOD && val.i == 0x401100 && val.pid == 77;
	n = chain_sample(k, 77, 0x403000, none, 5, 64);
	ok = ok && kt_decode_val(k, n, KTRACE_TYPE_USAMPLE, KT_DT_UCALLER, &val) == (int)n &&
	     val.i == 0;
	ok = ok && kt_decode_val(k, n, KTRACE_TYPE_USAMPLE, KT_DT_USTACKDEPTH, &val) == (int)n &&
	     val.i == 1;
	result("usample_ucaller_ustackdepth_records", ok, NULL, NULL);
	/* a value form is only read as a derived value */
	memset(&us, 0, sizeof(us));
	us.frames = KT_USAMPLE_UNWOUND | KT_USAMPLE_VALUE;
	us.size = 8;
	memcpy(k, &us, sizeof(us));
	memset(k + sizeof(us), 0, 8);
	result("usample_value_form_needs_derived_type",
	       kt_decode_val(k, sizeof(us) + 8, KTRACE_TYPE_USAMPLE, KT_DT_USAMPLE, &val) < 0 &&
	       kt_decode_val(k, sizeof(us) + 8, KTRACE_TYPE_USAMPLE, KT_DT_USTACKDEPTH, &val) ==
	       (int)(sizeof(us) + 8), NULL, NULL);
	keyd[0][0] = 0;
}

static void test_aggs(void)
{
	struct kt_cliopts o = O(true);
	struct kt_aggtab t;
	uint8_t k[64];
	int64_t v[200];
	uint32_t n;
	char *out;

	setup_prog();
	aggs[0].func = KTRACE_AGG_COUNT;
	aggs[1].func = KTRACE_AGG_SUM;
	aggs[1].nkeys = 1;
	aggs[1].key_types[0] = KTRACE_TYPE_STRING;
	keyd[1][0] = KT_DT_STRING;
	aggs[2].func = KTRACE_AGG_QUANTIZE;
	aggs[3].func = KTRACE_AGG_LQUANTIZE;
	aggs[3].params[0] = 0;
	aggs[3].params[1] = 10;
	aggs[3].params[2] = 5;
	aggs[4].func = KTRACE_AGG_AVG;
	aggs[5].func = KTRACE_AGG_STDDEV;
	aggs[6].func = KTRACE_AGG_MIN;
	aggs[6].nkeys = 1;
	aggs[6].key_types[0] = KTRACE_TYPE_INT;
	aggs[7].func = KTRACE_AGG_LLQUANTIZE;
	aggs[7].params[0] = 10;
	aggs[7].params[1] = 0;
	aggs[7].params[2] = 2;
	aggs[7].params[3] = 10;
	kt_aggtab_init(&t, &prog);

	/* count(), no keys, merged from two CPUs */
	v[0] = 2;
	kt_agg_merge(&t, 0, NULL, 0, v, 1);
	v[0] = 3;
	kt_agg_merge(&t, 0, NULL, 0, v, 1);
	out = print_aggs(&t, 0, NULL, &o);
	result("agg_count_nokey_merged", !strcmp(out, "\n                5\n"), out,
	       "\n                5\n");
	free(out);

	/* sum() by string key, sorted by value then key */
	n = key_str(k, "bash");
	v[0] = 30;
	kt_agg_merge(&t, 1, k, n, v, 1);
	n = key_str(k, "sshd");
	v[0] = 10;
	kt_agg_merge(&t, 1, k, n, v, 1);
	n = key_str(k, "cron");
	v[0] = 10;
	kt_agg_merge(&t, 1, k, n, v, 1);
	out = print_aggs(&t, 1, NULL, &o);
	{
		const char *want = "\n"
"  cron                                                             10\n"
"  sshd                                                             10\n"
"  bash                                                             30\n";
		result("agg_sum_string_keys_sorted", !strcmp(out, want), out, want);
	}
	free(out);
	o.aggsortrev = true;
	out = print_aggs(&t, 1, NULL, &o);
	{
		const char *want = "\n"
"  bash                                                             30\n"
"  sshd                                                             10\n"
"  cron                                                             10\n";
		result("agg_aggsortrev", !strcmp(out, want), out, want);
	}
	free(out);
	o.aggsortrev = false;
	o.aggsortkey = true;
	out = print_aggs(&t, 1, NULL, &o);
	{
		const char *want = "\n"
"  bash                                                             30\n"
"  cron                                                             10\n"
"  sshd                                                             10\n";
		result("agg_aggsortkey", !strcmp(out, want), out, want);
	}
	free(out);
	o.aggsortkey = false;
	out = print_aggs(&t, 1, "%-8s %@d\n", &o);
	result("printa_format", !strcmp(out, "cron     10\nsshd     10\nbash     30\n"), out,
	       "cron     10\nsshd     10\nbash     30\n");
	free(out);
	/* aggs/tst.keysort.d: DTrace also takes the '@' after the width */
	out = print_aggs(&t, 1, "%-8s|%4@d|%-4@d|\n", &o);
	result("printa_width_before_at", !strcmp(out, "cron    |  10|10  |\nsshd    |  10|10  |\n"
	       "bash    |  30|30  |\n"), out, "cron    |  10|10  |...");
	free(out);

	/* quantize: 1 once, 2..3 twice, 4..7 once */
	memset(v, 0, sizeof(v));
	v[KTRACE_QUANTIZE_ZERO + 1] = 1;
	v[KTRACE_QUANTIZE_ZERO + 2] = 2;
	v[KTRACE_QUANTIZE_ZERO + 3] = 1;
	kt_agg_merge(&t, 2, NULL, 0, v, KTRACE_QUANTIZE_NBUCKETS);
	out = print_aggs(&t, 2, NULL, &o);
	{
		const char *want = "\n" DHDR
			ROW("               0", SP40, "0        ")
			ROW("               1", "@@@@@@@@@@" "                              ", "1        ")
			ROW("               2", "@@@@@@@@@@@@@@@@@@@@" "                    ", "2        ")
			ROW("               4", "@@@@@@@@@@" "                              ", "1        ")
			ROW("               8", SP40, "0        ")
			"\n";
		result("agg_quantize_layout", !strcmp(out, want), out, want);
	}
	free(out);

	/* lquantize(x, 0, 10, 5): one below, one at 5, one at/over limit */
	memset(v, 0, sizeof(v));
	v[0] = 1;
	v[2] = 2;
	v[3] = 1;
	kt_agg_merge(&t, 3, NULL, 0, v, 4);
	out = print_aggs(&t, 3, NULL, &o);
	{
		const char *want = "\n" DHDR
			ROW("             < 0", "@@@@@@@@@@" "                              ", "1        ")
			ROW("               0", SP40, "0        ")
			ROW("               5", "@@@@@@@@@@@@@@@@@@@@" "                    ", "2        ")
			ROW("           >= 10", "@@@@@@@@@@" "                              ", "1        ")
			"\n";
		result("agg_lquantize_base_limit_rows", !strcmp(out, want), out, want);
	}
	free(out);

	/* avg: integer division, stddev: DTrace's formula */
	v[0] = 2;
	v[1] = 3;
	kt_agg_merge(&t, 4, NULL, 0, v, 2);
	out = print_aggs(&t, 4, NULL, &o);
	result("agg_avg_integer_division", !strcmp(out, "\n                1\n"), out,
	       "\n                1\n");
	free(out);
	v[0] = 8;
	v[1] = 40;
	v[2] = 232;
	v[3] = 0;
	kt_agg_merge(&t, 5, NULL, 0, v, 4);
	out = print_aggs(&t, 5, NULL, &o);
	result("agg_stddev", !strcmp(out, "\n                2\n"), out, "\n                2\n");
	free(out);
	{
		int64_t big[4] = { 2, 0, 0, 1 };	/* sum of squares 2^64 over 2 values */

		result("stddev_128bit_sum_of_squares", kt_stddev(big, 1) == 3037000499ull, NULL, NULL);
	}

	/* min by int key; clear sets min to INT64_MAX like DTrace */
	key_int(k, 7);
	v[0] = 5;
	kt_agg_merge(&t, 6, k, 8, v, 1);
	v[0] = 3;
	kt_agg_merge(&t, 6, k, 8, v, 1);
	v[0] = 9;
	kt_agg_merge(&t, 6, k, 8, v, 1);
	out = print_aggs(&t, 6, NULL, &o);
	result("agg_min_int_key", !strcmp(out, "\n                7                3\n"), out,
	       "\n                7                3\n");
	free(out);
	kt_agg_clear(&t, 6);
	out = print_aggs(&t, 6, NULL, &o);
	result("agg_clear_keeps_keys", !strcmp(out,
		"\n                7 9223372036854775807\n"), out,
	       "\n                7 9223372036854775807\n");
	free(out);

	/* aggs/tst.signedkeys.r: 8- and 16-bit keys print unsigned, in their widths */
	{
		static const struct { int dt; const char *want; } sk[] = {
			{ KT_DT_S8, "\n 254               -2\n" },
			{ KT_DT_S16, "\n 65534               -2\n" },
			{ KT_DT_S32, "\n       -2               -2\n" },
		};
		struct kt_aggtab t2;
		bool ok = true;

		for (size_t i = 0; i < sizeof(sk) / sizeof(sk[0]); i++) {
			keyd[6][0] = (uint8_t)sk[i].dt;
			kt_aggtab_init(&t2, &prog);
			key_int(k, -2);
			v[0] = -2;
			kt_agg_merge(&t2, 6, k, 8, v, 1);
			out = print_aggs(&t2, 6, NULL, &o);
			if (strcmp(out, sk[i].want)) {
				ok = false;
				printf("# key dtype %d: [%s]\n", sk[i].dt, out);
			}
			free(out);
			kt_aggtab_free(&t2);
		}
		keyd[6][0] = 0;
		result("agg_small_int_keys_unsigned", ok, NULL, NULL);
	}

	/* normalize / denormalize */
	kt_agg_normalize(&t, 1, 10);
	out = print_aggs(&t, 1, NULL, &o);
	{
		const char *want = "\n"
"  cron                                                              1\n"
"  sshd                                                              1\n"
"  bash                                                              3\n";
		result("agg_normalize", !strcmp(out, want), out, want);
	}
	free(out);
	kt_agg_normalize(&t, 1, 1);

	/* trunc(@, 1) keeps the largest; trunc(@, -1) the smallest */
	kt_agg_trunc(&t, 1, 1, &o);
	out = print_aggs(&t, 1, NULL, &o);
	result("agg_trunc_top", !strcmp(out,
		"\n  bash                                                             30\n"), out,
	       "\n  bash                                                             30\n");
	free(out);
	kt_agg_trunc(&t, 1, 0, &o);
	out = print_aggs(&t, 1, NULL, &o);
	result("agg_trunc_all", !strcmp(out, "\n"), out, "\n");
	free(out);

	/* llquantize(x, 10, 0, 2, 10) with one value 5: DTrace for Linux's layout, 57 values
	 * ([0] <= -1000, [1..27] -900 .. -1, [28] 0, [29..55] 1 .. 900, [56] >= 1000) */
	n = kt_agg_nvals(&aggs[7]);
	result("llquantize_nbins", n == 57, NULL, NULL);
	memset(v, 0, sizeof(v));
	v[33] = 1;
	kt_agg_merge(&t, 7, NULL, 0, v, n);
	out = print_aggs(&t, 7, NULL, &o);
	{
		const char *want = "\n" DHDR
			ROW("               4", SP40, "0        ")
			ROW("               5", AT40, "1        ")
			ROW("               6", SP40, "0        ")
			"\n";
		result("agg_llquantize_layout", !strcmp(out, want), out, want);
	}
	free(out);
	/* aggs/tst.llquantize_basic.r: -5 twice and 0 once, rows around them */
	memset(v, 0, sizeof(v));
	v[33] = -1;
	v[23] = 2;
	v[28] = 1;
	kt_agg_merge(&t, 7, NULL, 0, v, n);
	out = print_aggs(&t, 7, NULL, &o);
	{
		const char *want = "\n" DHDR
			ROW("              -6", SP40, "0        ")
			ROW("              -5", "@@@@@@@@@@@@@@@@@@@@@@@@@@@             ", "2        ")
			ROW("              -4", SP40, "0        ")
			ROW("              -3", SP40, "0        ")
			ROW("              -2", SP40, "0        ")
			ROW("              -1", SP40, "0        ")
			ROW("               0", "@@@@@@@@@@@@@                           ", "1        ")
			ROW("               1", SP40, "0        ")
			"\n";
		result("agg_llquantize_negative", !strcmp(out, want), out, want);
	}
	free(out);
	{
		/* the middle bucket of magnitudes from 2 (aggs/tst.llquantize_basic.r's basicD) */
		struct ktrace_agg_desc ad = { .func = KTRACE_AGG_LLQUANTIZE, .params = { 4, 4, 6, 32 } };
		uint32_t nv = kt_agg_nvals(&ad);
		int64_t vv[512] = { 0 };
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		vv[(nv - 1) / 2] = 130;
		kt_print_llquantize(m, vv, nv, ad.params, 1);
		fclose(m);
		result("llquantize_middle_abs_label", nv < 512 &&
		       strstr(buf, "     abs() < 256 |" AT40 " 130") &&
		       strstr(buf, "            -256 |") && strstr(buf, "             256 |"),
		       buf, "abs() < 256 between -256 and 256");
		free(buf);
	}
	{
		/* aggs/tst.llquantize_basic.r's @zero: weights that cancel print 0 and the rows above */
		struct ktrace_agg_desc ad = { .func = KTRACE_AGG_LLQUANTIZE, .params = { 2, 0, 1, 2 } };
		int64_t vv[8] = { 0 };
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		const char *want = DHDR
			ROW("               0", SP40, "0        ")
			ROW("               1", SP40, "0        ")
			ROW("               2", SP40, "0        ");

		kt_print_llquantize(m, vv, kt_agg_nvals(&ad), ad.params, 1);
		fclose(m);
		result("llquantize_no_data_rows", kt_agg_nvals(&ad) == 7 && !strcmp(buf, want), buf, want);
		free(buf);
	}

	/* quantize with a negative weight: bars split around the centre */
	{
		struct kt_aggtab t2;

		kt_aggtab_init(&t2, &prog);
		memset(v, 0, sizeof(v));
		v[KTRACE_QUANTIZE_ZERO + 1] = 1;
		v[KTRACE_QUANTIZE_ZERO + 2] = -1;
		kt_agg_merge(&t2, 2, NULL, 0, v, KTRACE_QUANTIZE_NBUCKETS);
		out = print_aggs(&t2, 2, NULL, &o);
		const char *want = "\n" DHDR
			"               0                     |                     0        \n"
			"               1                     |@@@@@@@@@@           1        \n"
			"               2           @@@@@@@@@@|                     -1       \n"
			"               4                     |                     0        \n"
			"\n";
		result("agg_quantize_negative_split_bar", !strcmp(out, want), out, want);
		free(out);
		kt_aggtab_free(&t2);
	}

	/* exit-time printing: only aggregations not printed yet */
	{
		struct kt_aggtab t3;
		char *buf = NULL;
		size_t len = 0;
		FILE *m;

		kt_aggtab_init(&t3, &prog);
		v[0] = 4;
		kt_agg_merge(&t3, 0, NULL, 0, v, 1);
		n = key_str(k, "x");
		v[0] = 6;
		kt_agg_merge(&t3, 1, k, n, v, 1);
		m = open_memstream(&buf, &len);
		kt_agg_print_all(m, &t3, &o);
		fclose(m);
		const char *want = "                4\n"
"  x                                                                 6\n";
		result("agg_print_all_unprinted", !strcmp(buf, want), buf, want);
		free(buf);
		/* aggsortrev: the last aggregation first (aggs/tst.signedkeyspos) */
		{
			struct kt_cliopts rev = o;

			rev.aggsortrev = true;
			buf = NULL;
			m = open_memstream(&buf, &len);
			kt_agg_print_all(m, &t3, &rev);
			fclose(m);
			want = "  x                                                                 6\n"
			       "                4\n";
			result("agg_print_all_aggsortrev_last_first", !strcmp(buf, want), buf, want);
			free(buf);
		}
		free(print_aggs(&t3, 0, NULL, &o));	/* printa(@0) */
		buf = NULL;
		m = open_memstream(&buf, &len);
		kt_agg_print_all(m, &t3, &o);
		fclose(m);
		want = "  x                                                                 6\n";
		result("agg_print_all_skips_printa_printed", !strcmp(buf, want), buf, want);
		free(buf);
		kt_aggtab_free(&t3);
	}

	/* aggpercpu: each CPU's value under the entry's, an idle CPU's min() INT64_MAX */
	{
		struct kt_aggtab t4;
		struct kt_cliopts po = o;

		po.aggpercpu = true;
		kt_aggtab_init(&t4, &prog);
		t4.ncpus = 3;
		key_int(k, 7);
		t4.cpu = 2;
		v[0] = -5;
		kt_agg_merge(&t4, 6, k, 8, v, 1);
		t4.cpu = 0;
		v[0] = 4;
		kt_agg_merge(&t4, 6, k, 8, v, 1);
		t4.cpu = -1;
		out = print_aggs(&t4, 6, NULL, &po);
		const char *want = "\n"
"                7               -5\n"
"    [CPU 0]                4\n"
"    [CPU 1] 9223372036854775807\n"
"    [CPU 2]               -5\n";
		result("agg_aggpercpu_each_cpu", !strcmp(out, want), out, want);
		free(out);
		kt_aggtab_free(&t4);
	}

	/* a value count that does not match the function is rejected */
	result("agg_merge_rejects_bad_nvals", kt_agg_merge(&t, 0, NULL, 0, v, 3) < 0, NULL, NULL);
	result("agg_merge_rejects_bad_agg", kt_agg_merge(&t, 99, NULL, 0, v, 1) < 0, NULL, NULL);
	kt_aggtab_free(&t);
}

/* ---------------------------------------- the one format parser --- */

/* kt_fmt_parse() is what the compiler checks and what kt_format() prints */
/*
 * multiaggs/tst.many.r, tst.zero2.r: a joined printa of more aggregations
 * than keys (12 here), and zero values for keys an aggregation lacks (a
 * quantize's zeros are a whole distribution).
 */
static void test_joined_printa(void)
{
	enum { N = 12 };
	static struct ktrace_agg_desc ja[N];
	static uint8_t jk[N][KTRACE_MAX_KEYS], jv[N];
	struct kt_prog jp = { 0 };
	struct kt_cliopts o = O(true);
	struct kt_aggtab t;
	uint32_t ids[N];
	uint8_t k[8];
	int64_t v[KTRACE_QUANTIZE_NBUCKETS];
	char fmt[128] = "%d", *out;
	size_t f = 2;

	for (int i = 0; i < N; i++) {
		ja[i].func = i == N - 1 ? KTRACE_AGG_QUANTIZE : KTRACE_AGG_SUM;
		ja[i].nkeys = 1;
		ja[i].key_types[0] = KTRACE_TYPE_INT;
		jk[i][0] = KT_DT_S64;
		ids[i] = (uint32_t)i;
		if (i < N - 1)
			f += (size_t)snprintf(fmt + f, sizeof(fmt) - f, " %%@d");
	}
	snprintf(fmt + f, sizeof(fmt) - f, "\n");
	jp.aggs = ja;
	jp.naggs = N;
	jp.agg_key_dtypes = jk;
	jp.agg_val_dtype = jv;
	jp.strtab = strtab;
	jp.strtab_size = sizeof(strtab);
	kt_aggtab_init(&t, &jp);
	key_int(k, 1);
	memset(v, 0, sizeof(v));
	for (int i = 0; i < N - 1; i++) {
		v[0] = 100 + i;
		kt_agg_merge(&t, (uint32_t)i, k, 8, v, 1);
	}
	v[0] = 0;
	key_int(k, 2);
	v[0] = 7;
	kt_agg_merge(&t, N - 2, k, 8, v, 1);
	out = NULL;
	{
		size_t len = 0;
		FILE *m = open_memstream(&out, &len);

		kt_agg_print(m, &t, ids, N - 1, fmt, &o);
		fclose(m);
	}
	result("printa_joined_12_aggregations", !strcmp(out,
	       "1 100 101 102 103 104 105 106 107 108 109 110\n2 0 0 0 0 0 0 0 0 0 0 7\n"),
	       out, "1 100 101 ... 110\n2 0 0 ... 7\n");
	free(out);
	/* the quantize lacks key 1: its distribution is all zeros, not garbage */
	out = NULL;
	{
		size_t len = 0;
		FILE *m = open_memstream(&out, &len);
		uint32_t two[2] = { N - 2, N - 1 };

		memset(v, 0, sizeof(v));
		v[KTRACE_QUANTIZE_ZERO + 1] = 3;
		key_int(k, 2);
		kt_agg_merge(&t, N - 1, k, 8, v, KTRACE_QUANTIZE_NBUCKETS);
		kt_agg_print(m, &t, two, 2, NULL, &o);
		fclose(m);
	}
	result("printa_joined_missing_quantize_is_zeros",
	       out && strstr(out, "\n                1              110" DHDR "              -1 |" SP40
			      " 0        \n               0 |" SP40 " 0        \n               1 |"
			      SP40 " 0        \n\n"),
	       out, "a distribution of zeros for key 1");
	free(out);
	kt_aggtab_free(&t);
}

static void test_fmtspec(void)
{
	struct kt_fmtspec f;
	const char *p = "-08.3lld tail";
	struct kt_val a[1] = { I(7, KT_DT_S64) };

	kt_fmt_parse(&p, &f);
	result("fmtspec_fields", f.nflags == 2 && !strncmp(f.flags, "-0", 2) && f.width == 8 &&
	       f.prec == 3 && f.lmod == 'L' && f.conv == 'd' && f.len == 8 && !f.agg &&
	       !strcmp(p, " tail"), NULL, NULL);
	p = "@-*.*d";
	kt_fmt_parse(&p, &f);
	result("fmtspec_agg_and_stars", f.agg && f.width == KT_FMT_STAR && f.prec == KT_FMT_STAR &&
	       f.conv == 'd' && !*p, NULL, NULL);
	p = "5";
	kt_fmt_parse(&p, &f);
	result("fmtspec_incomplete", f.conv == 0 && f.width == 5 && !*p, NULL, NULL);
	/* what nothing prints stays an error at run time, as before the one parser */
	check_fmt("printf_qmark_is_an_error", "%5?d", a, 1, NULL);
	check_fmt("printf_two_length_modifiers_is_an_error", "%hld", a, 1, NULL);
	check_fmt("printf_flags_after_at_are_flags", "[%-0-5d]", a, 1, "[7    ]");
	/* widths and precisions saturate (the compiler fuzzer's int overflow) */
	p = "0555555555555555555555.99999999999999d";
	kt_fmt_parse(&p, &f);
	result("fmtspec_huge_width_saturates", f.width == KT_FMT_MAX_WIDTH &&
	       f.prec == KT_FMT_MAX_WIDTH && f.conv == 'd' && !*p, NULL, NULL);
	{
		struct kt_cliopts o = O(true);
		char *buf = NULL, err[128] = "";
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		struct kt_val w[2] = { I(INT64_MIN, KT_DT_S64), I(7, KT_DT_S64) };
		int r = kt_format(m, "%*d|", w, 2, NULL, &o, err, sizeof(err));

		fclose(m);
		/* a '*' width of INT64_MIN: left-justified in the largest width */
		result("printf_star_width_int64_min_clamped", r >= 0 &&
		       len == KT_FMT_MAX_WIDTH + 1 && buf[0] == '7' && buf[len - 1] == '|',
		       r < 0 ? err : NULL, NULL);
		free(buf);
	}
	{
		struct kt_cliopts o = O(true);
		char *buf = NULL, err[128] = "";
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		struct kt_val w[1] = { I(1, KT_DT_S64) };
		int r = kt_format(m, "%10000000d|%.10000000d", (struct kt_val[]){ w[0], w[0] }, 2,
				  NULL, &o, err, sizeof(err));

		fclose(m);
		/* printf/tst.wide-bug30404549: widths and precisions of 10M are printed */
		result("printf_width_and_precision_10M", r >= 0 && len == 20000001 &&
		       buf[9999999] == '1' && buf[10000000] == '|' && buf[10000001] == '0' &&
		       buf[len - 1] == '1', r < 0 ? err : NULL, NULL);
		free(buf);
	}
}

/* ----------------------------------------------------------- options --- */

static int run_main(int argc, const char **argv)
{
	int so = dup(1), se = dup(2), dn = open("/dev/null", O_WRONLY), r;

	fflush(stdout);
	dup2(dn, 1);
	dup2(dn, 2);
	optind = 0;
	r = ktrace_cli_main(argc, (char **)argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	close(dn);
	return r;
}

/* argv strings are writable in a real main(): copy them */
static int run_copy(int na, const char **av0)
{
	const char *av[16];
	int i, r;

	for (i = 0; i < na && i < 15; i++)
		av[i] = strdup(av0[i]);
	av[i] = NULL;
	r = run_main(i, av);
	while (i--)
		free((char *)av[i]);
	return r;
}

#define RUN(...) ({ const char *av0[] = { "ktrace", __VA_ARGS__, NULL }; \
		    run_copy((int)(sizeof(av0) / sizeof(av0[0])) - 1, av0); })

static void test_options(void)
{
	uint64_t v;
	struct kt_cliopts o;
	char why[160];

	result("size_4m", kt_parse_size("4m", &v) == 0 && v == 4ull << 20, NULL, NULL);
	result("size_512k", kt_parse_size("512k", &v) == 0 && v == 512ull << 10, NULL, NULL);
	result("size_1g", kt_parse_size("1g", &v) == 0 && v == 1ull << 30, NULL, NULL);
	result("size_plain", kt_parse_size("12", &v) == 0 && v == 12, NULL, NULL);
	result("size_bad_suffix", kt_parse_size("4x", &v) < 0, NULL, NULL);
	result("size_empty", kt_parse_size("", &v) < 0, NULL, NULL);
	result("rate_hz", kt_parse_rate("10hz", &v) == 0 && v == 100000000ull, NULL, NULL);
	result("rate_ms", kt_parse_rate("100ms", &v) == 0 && v == 100000000ull, NULL, NULL);
	result("rate_s", kt_parse_rate("1s", &v) == 0 && v == 1000000000ull, NULL, NULL);
	result("rate_bare_is_hz", kt_parse_rate("5", &v) == 0 && v == 200000000ull, NULL, NULL);
	result("rate_zero_rejected", kt_parse_rate("0hz", &v) < 0, NULL, NULL);
	result("rate_bad_unit", kt_parse_rate("3parsecs", &v) < 0, NULL, NULL);
	kt_opts_init(&o);
	result("opt_bufpolicy_ring", kt_opt_set(&o, "bufpolicy", "ring", why, sizeof(why)) == 0 &&
	       o.k.bufpolicy == KTRACE_BUFPOLICY_RING, NULL, NULL);
	result("opt_bufpolicy_bad", kt_opt_set(&o, "bufpolicy", "spin", why, sizeof(why)) < 0,
	       NULL, NULL);
	result("opt_quiet_flag", kt_opt_set(&o, "quiet", NULL, why, sizeof(why)) == 0 && o.quiet,
	       NULL, NULL);
	result("opt_unknown", kt_opt_set(&o, "nosuchopt", "1", why, sizeof(why)) < 0 &&
	       !strcmp(why, "Invalid option name"), why, "Invalid option name");
	result("opt_strsize", kt_opt_set(&o, "strsize", "1k", why, sizeof(why)) == 0 &&
	       o.k.strsize == 1024, NULL, NULL);
	result("opt_aggsortpos", kt_opt_set(&o, "aggsortpos", "1", why, sizeof(why)) == 0 &&
	       o.aggsortpos == 1, NULL, NULL);

	/* the kernel's options start at 0 (its default) and keep its ranges */
	kt_opts_init(&o);
	result("opt_kernel_defaults_left_to_kernel", o.k.bufsize == 0 && o.k.strsize == 0 &&
	       o.stackindent == 14 && o.cleanrate_ns == 10000000ull, NULL, NULL);
	result("opt_insn_budget_and_budget_are_one",
	       kt_opt_set(&o, "insn_budget", "100", why, sizeof(why)) == 0 &&
	       o.k.insn_budget == 100 && kt_opt_set(&o, "budget", "200", why, sizeof(why)) == 0 &&
	       o.k.insn_budget == 200, NULL, NULL);
	result("opt_strsize_1_out_of_range", kt_opt_set(&o, "strsize", "1", why, sizeof(why)) < 0 &&
	       !strcmp(why, "Value out of range (1 is not in 2..8192)"), why,
	       "Value out of range (1 is not in 2..8192)");
	result("opt_bufsize_5g_out_of_range",
	       kt_opt_set(&o, "bufsize", "5g", why, sizeof(why)) < 0 && strstr(why, "out of range"),
	       why, "Value out of range ...");
	/* sizes from 1 byte, as dtrace(1)'s (the kernel rounds them up) */
	result("opt_bufsize_min_and_max_accepted",
	       kt_opt_set(&o, "bufsize", "1", why, sizeof(why)) == 0 && o.k.bufsize == 1 &&
	       kt_opt_set(&o, "bufsize", "4g", why, sizeof(why)) == 0 &&
	       o.k.bufsize == 4ULL << 30 &&
	       kt_opt_set(&o, "bufsize", "4294967297", why, sizeof(why)) < 0, NULL, NULL);
	result("opt_strsize_min_accepted", kt_opt_set(&o, "strsize", "2", why, sizeof(why)) == 0 &&
	       o.k.strsize == 2, NULL, NULL);
	result("opt_stackframes_max", kt_opt_set(&o, "stackframes", "128", why, sizeof(why)) == 0 &&
	       kt_opt_set(&o, "stackframes", "129", why, sizeof(why)) < 0, NULL, NULL);
	/* DTrace's maxframes caps both depths (printa/tst.stack.d sets it to 5) */
	kt_opts_init(&o);
	result("opt_maxframes_caps_stack_and_ustack",
	       kt_opt_set(&o, "maxframes", "5", why, sizeof(why)) == 0 &&
	       (kt_opts_finish(&o), o.k.stackframes == 5 && o.k.ustackframes == 5), NULL, NULL);
	kt_opts_init(&o);
	result("opt_maxframes_above_defaults_keeps_them",
	       kt_opt_set(&o, "maxframes", "50", why, sizeof(why)) == 0 &&
	       kt_opt_set(&o, "ustackframes", "60", why, sizeof(why)) == 0 &&
	       (kt_opts_finish(&o), o.k.stackframes == 20 && o.k.ustackframes == 50) &&
	       kt_opt_set(&o, "maxframes", "0", why, sizeof(why)) < 0 &&
	       kt_opt_set(&o, "maxframes", "129", why, sizeof(why)) < 0, NULL, NULL);
	/* options/tst.version.sh, err.version.d: a D version up to ktrace's (2.0) */
	result("opt_version_up_to_2_0",
	       kt_opt_set(&o, "version", "2.0", why, sizeof(why)) == 0 &&
	       kt_opt_set(&o, "version", "1.6.3", why, sizeof(why)) == 0 &&
	       kt_opt_set(&o, "version", "99.1", why, sizeof(why)) < 0 &&
	       kt_opt_set(&o, "version", "2.0.1", why, sizeof(why)) < 0 &&
	       kt_opt_set(&o, "version", "2", why, sizeof(why)) < 0 &&
	       kt_opt_set(&o, "version", "2.0.", why, sizeof(why)) < 0 &&
	       kt_opt_set(&o, "version", "1.2.3.4", why, sizeof(why)) < 0, why, "2.0, 1.6.3 accepted");
	result("opt_unsupported_is_refused_as_such",
	       kt_opt_set(&o, "aggpack", NULL, why, sizeof(why)) < 0 &&
	       !strcmp(why, "Option not supported by ktrace"), why, "Option not supported by ktrace");

	result("usage_no_arguments_exit_2", RUN("-q") == 2, NULL, NULL);
	result("usage_unknown_flag_exit_2", RUN("-Q", "-n", "BEGIN") == 2, NULL, NULL);
	result("usage_missing_argument_exit_2", RUN("-n") == 2, NULL, NULL);
	/* as dtrace(1) (options/err.b-too-low.d, err.stdc-x.d...): a refused option is exit 1 */
	result("bad_x_option_exit_1", RUN("-x", "nosuchopt=1", "-n", "BEGIN") == 1, NULL, NULL);
	result("bad_x_value_exit_1", RUN("-x", "bufsize=lots", "-n", "BEGIN") == 1, NULL, NULL);
	result("x_bufsize_out_of_range_exit_1", RUN("-x", "bufsize=1", "-n", "BEGIN") == 1,
	       NULL, NULL);
	result("b_out_of_range_exit_1", RUN("-b", "1g", "-n", "BEGIN") == 1, NULL, NULL);
	result("x_stdc_bad_value_exit_1", RUN("-x", "stdc=X", "-n", "BEGIN") == 1, NULL, NULL);
	result("usage_bad_pid_exit_2", RUN("-p", "abc", "-n", "BEGIN") == 2, NULL, NULL);
	result("usage_bad_format_exit_2", RUN("--format", "xml", "-n", "BEGIN") == 2, NULL, NULL);
	result("usage_c_and_p_exit_2", RUN("-c", "true", "-p", "1", "-n", "BEGIN") == 2, NULL, NULL);
	result("version_exit_0", RUN("-V") == 0, NULL, NULL);
	result("help_exit_0", RUN("-h") == 0, NULL, NULL);
	result("compile_error_exit_1", RUN("-n", "BEGIN {") == 1, NULL, NULL);
	result("missing_script_exit_1", RUN("-s", "/nonexistent/x.d") == 1, NULL, NULL);
}

/* A file with text in /tmp; its path (static buffer per slot). */
static const char *tmp_file(int slot, const char *text)
{
	static char paths[4][64];
	FILE *f;

	snprintf(paths[slot], sizeof(paths[slot]), "/tmp/test_cli.%d.%d.d", (int)getpid(), slot);
	f = fopen(paths[slot], "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return paths[slot];
}

static char *slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	buf[0] = 0;
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	return buf;
}

/* ktrace -h -s provider.d: the USDT header (usdt_header.c); -G */
static void test_usdt_header(void)
{
	const char *d = tmp_file(0, "/* c */\n#pragma D attributes Evolving provider p provider\n"
				    "provider p {\n\tprobe q__start(char *, int);\n\tprobe t(void);\n};\n");
	const char *bad = tmp_file(1, "provider p {\n\tprobe a(int)\n};\n");
	char h[80], hb[80];
	const char *out;

	snprintf(h, sizeof(h), "%s.h", d);
	snprintf(hb, sizeof(hb), "%s.h", bad);
	unlink(hb);
	out = RUN("-h", "-s", d, "-o", h) == 0 ? slurp(h) : "";
	result("usdt_header_macros",
	       strstr(out, "#define P_Q_START(arg0, arg1) \\\n\tSTAP_PROBE2(p, q__start, arg0, arg1)\n") &&
	       strstr(out, "#define P_Q_START_ENABLED() \\\n\t__builtin_expect(*(volatile unsigned short *)&p_q__start_semaphore != 0, 0)\n") &&
	       strstr(out, "#define P_T() \\\n\tSTAP_PROBE(p, t)\n") &&
	       strstr(out, "__extension__ unsigned short p_t_semaphore\n") &&
	       strstr(out, "#define _SDT_HAS_SEMAPHORES 1\n#include <sys/sdt.h>\n"), out, "P_Q_START, P_Q_START_ENABLED, P_T");
	result("usdt_header_error_writes_nothing",
	       RUN("-h", "-s", bad, "-o", hb) == 1 && access(hb, F_OK) != 0, NULL, NULL);
	result("usdt_G_needs_no_object_exit_0", RUN("-G", "-s", d) == 0, NULL, NULL);
	unlink(h);
	unlink(d);
	unlink(bad);
}

/* ----------------------------------------------------- provider table --- */

/* kt_providers[]: every prov_*.c registered itself, in enabling order, and the lookups use it */
static void test_provider_table(void)
{
	static const char *const want = "dtrace syscall profile tracepoint fbt pid uprobe usdt "
					"proc sched io ip tcp udp lockstat cpc ";
	char got[256] = "";
	size_t o = 0;

	for (int i = 0; kt_providers[i] && o < sizeof(got); i++)
		o += snprintf(got + o, sizeof(got) - o, "%s ", kt_providers[i]->name);
	result("provider_table_every_file_registered_in_order", !strcmp(got, want), got, want);
	result("provider_find_uses_the_table",
	       kt_prov_find("tcp", -1) && !strcmp(kt_prov_find("tcp", -1)->name, "tcp") &&
	       kt_prov_find("tcpx", 3) == kt_prov_find("tcp", -1) && !kt_prov_find("tcpx", -1) &&
	       kt_prov_bare("BEGIN") == &kt_prov_dtrace && kt_prov_bare("tick-1s") == kt_prov_find("profile", -1),
	       NULL, NULL);
}

#define NPLANNED 146

int main(void)
{
	printf("KTAP version 1\n");
	printf("1..%d\n", NPLANNED);
	test_printf();
	test_trace_and_lines();
	test_bytes();
	test_aggs();
	test_usample_keys();
	test_usample_derived();
	test_joined_printa();
	test_fmtspec();
	test_options();
	test_usdt_header();
	test_provider_table();
	if (ntests != NPLANNED)
		printf("# planned %d tests, ran %d\n", NPLANNED, ntests);
	printf("# %d tests, %d failed\n", ntests, nfail);
	return nfail || ntests != NPLANNED;
}
