// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace-heatmap: "TIME_NS LATENCY_NS" lines -> SVG latency heat map.
 *
 * Every event falls in one cell: the column is (TIME - first TIME) / --step
 * (a time slice, default 1 s), the row is its latency bucket: log2 buckets
 * by default (row k holds [2^k, 2^(k+1)) ns; latency 0 goes to row 0), or
 * --linear with --rows N buckets of --max/N ns each (latencies >= --max go
 * to the top row, labelled "+").  The colour of a cell is its count, from
 * pale yellow (1) to dark red (the largest count), white when empty; every
 * cell carries a <title> tooltip with its time slice, latency range and
 * count.  --text prints the counts as a table instead (rows top = highest
 * latency), which is also what the selftests compare.
 *
 * Lines that are blank or start with '#' are ignored; any other line that is
 * not two non-negative integers is reported (with its number) and skipped,
 * and makes the exit status 1.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXROWS		64
#define MAXCOLS		100000
#define PAD_LEFT	80
#define PAD_RIGHT	20
#define PAD_TOP		40
#define PAD_BOTTOM	50

static const char *prog = "ktrace-heatmap";

struct ev {
	uint64_t	t, lat;
};

struct opts {
	uint64_t	step;		/* ns per column */
	int		linear;
	uint64_t	max;		/* linear: top of the range */
	int		rows;		/* linear: number of rows */
	int		width, height;	/* pixels of the plot area, 0 = auto */
	int		text;
	const char	*title;
};

struct grid {
	int		ncols, nrows;
	int		row0;		/* log2: exponent of the bottom row */
	uint64_t	t0;
	uint64_t	*cells;		/* [row * ncols + col] */
	uint64_t	maxcount;
};

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (!p) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	return p;
}

static int ilog2_u64(uint64_t v)
{
	return v ? 63 - __builtin_clzll(v) : 0;
}

/* "10", "10ns", "5us", "100ms", "2s" -> ns; -1 on error */
static int parse_ns(const char *s, uint64_t *out)
{
	char *end;
	uint64_t v, mul = 1;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (!*end || !strcmp(end, "ns"))
		mul = 1;
	else if (!strcmp(end, "us"))
		mul = 1000;
	else if (!strcmp(end, "ms"))
		mul = 1000000;
	else if (!strcmp(end, "s"))
		mul = 1000000000;
	else
		return -1;
	if (v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static int row_of(const struct opts *op, const struct grid *g, uint64_t lat)
{
	if (op->linear) {
		uint64_t r = lat / (op->max / op->rows);

		return r >= (uint64_t)op->rows ? op->rows - 1 : (int)r;
	}
	return ilog2_u64(lat) - g->row0;
}

/* "1.5ms"-style short duration */
static void fmt_ns(char *buf, size_t n, uint64_t ns)
{
	static const struct { uint64_t div; const char *u; } units[] = {
		{ 1000000000ull, "s" }, { 1000000, "ms" }, { 1000, "us" }, { 1, "ns" },
	};

	for (size_t i = 0; i < 4; i++) {
		if (ns >= units[i].div || units[i].div == 1) {
			if (ns % units[i].div == 0)
				snprintf(buf, n, "%" PRIu64 "%s", ns / units[i].div, units[i].u);
			else
				snprintf(buf, n, "%.3g%s", (double)ns / units[i].div, units[i].u);
			return;
		}
	}
}

/* row r's latency range [lo, hi); hi = 0 means unbounded */
static void row_range(const struct opts *op, const struct grid *g, int r, uint64_t *lo, uint64_t *hi)
{
	if (op->linear) {
		uint64_t w = op->max / op->rows;

		*lo = w * r;
		*hi = r == op->rows - 1 ? 0 : w * (r + 1);
	} else {
		int e = r + g->row0;

		*lo = e == 0 ? 0 : 1ull << e;
		*hi = e >= 63 ? 0 : 1ull << (e + 1);
	}
}

static void color(uint64_t c, uint64_t max, int *r, int *gr, int *b)
{
	double f;

	if (!c) {
		*r = *gr = *b = 255;
		return;
	}
	f = max > 1 ? (double)(c - 1) / (double)(max - 1) : 1.0;
	/* pale yellow (255,245,170) -> orange (250,140,30) -> dark red (140,0,0) */
	if (f < 0.5) {
		f *= 2;
		*r = 255 - (int)(5 * f);
		*gr = 245 - (int)(105 * f);
		*b = 170 - (int)(140 * f);
	} else {
		f = (f - 0.5) * 2;
		*r = 250 - (int)(110 * f);
		*gr = 140 - (int)(140 * f);
		*b = 30 - (int)(30 * f);
	}
}

static void write_text(const struct opts *op, const struct grid *g)
{
	char lo[32], hi[32];

	printf("# %d columns of ", g->ncols);
	fmt_ns(lo, sizeof(lo), op->step);
	printf("%s from t0=%" PRIu64 " ns; rows: latency, highest first; cells: counts\n",
	       lo, g->t0);
	for (int r = g->nrows - 1; r >= 0; r--) {
		uint64_t a, b;

		row_range(op, g, r, &a, &b);
		fmt_ns(lo, sizeof(lo), a);
		if (b)
			fmt_ns(hi, sizeof(hi), b);
		else
			snprintf(hi, sizeof(hi), "+");
		printf("[%s,%s)", lo, hi);
		for (int c = 0; c < g->ncols; c++)
			printf(" %" PRIu64, g->cells[r * g->ncols + c]);
		putchar('\n');
	}
}

static void write_svg(const struct opts *op, const struct grid *g)
{
	int pw = op->width ? op->width : (g->ncols * 12 < 400 ? 400 : g->ncols * 12);
	int ph = op->height ? op->height : g->nrows * 14;
	double cw = (double)pw / g->ncols, rh = (double)ph / g->nrows;
	int W = PAD_LEFT + pw + PAD_RIGHT, H = PAD_TOP + ph + PAD_BOTTOM;
	int xticks = g->ncols < 10 ? g->ncols : 10;
	int ystride = rh >= 12 ? 1 : (int)(12 / rh) + 1;
	char a[32], b[32];

	printf("<?xml version=\"1.0\" standalone=\"no\"?>\n"
	       "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
	       " viewBox=\"0 0 %d %d\">\n", W, H, W, H);
	printf("<style>text { font-family: monospace; font-size: 11px; }</style>\n");
	printf("<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", W, H);
	printf("<text x=\"%d\" y=\"22\" text-anchor=\"middle\" style=\"font-size:16px\">",
	       W / 2);
	for (const char *s = op->title; *s; s++) {
		if (*s == '<') fputs("&lt;", stdout);
		else if (*s == '>') fputs("&gt;", stdout);
		else if (*s == '&') fputs("&amp;", stdout);
		else putchar(*s);
	}
	printf("</text>\n");
	printf("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n",
	       PAD_LEFT, PAD_TOP, pw, ph);
	for (int r = 0; r < g->nrows; r++) {
		uint64_t lo, hi;

		row_range(op, g, r, &lo, &hi);
		fmt_ns(a, sizeof(a), lo);
		if (hi)
			fmt_ns(b, sizeof(b), hi);
		else
			snprintf(b, sizeof(b), "+");
		for (int c = 0; c < g->ncols; c++) {
			uint64_t n = g->cells[r * g->ncols + c];
			int cr, cg, cb;
			char t0[32], t1[32];

			if (!n)
				continue;
			color(n, g->maxcount, &cr, &cg, &cb);
			fmt_ns(t0, sizeof(t0), (uint64_t)c * op->step);
			fmt_ns(t1, sizeof(t1), (uint64_t)(c + 1) * op->step);
			printf("<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
			       "fill=\"rgb(%d,%d,%d)\"><title>t %s..%s, latency %s..%s: %" PRIu64
			       "</title></rect>\n",
			       PAD_LEFT + c * cw, PAD_TOP + ph - (r + 1) * rh, cw, rh,
			       cr, cg, cb, t0, t1, a, b, n);
		}
		if (r % ystride == 0)
			printf("<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\">%s</text>\n",
			       PAD_LEFT - 4, PAD_TOP + ph - r * rh - 1, a);
	}
	for (int i = 0; i <= xticks; i++) {
		int c = (int)((long)g->ncols * i / xticks);

		fmt_ns(a, sizeof(a), (uint64_t)c * op->step);
		printf("<text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
		       PAD_LEFT + c * cw, PAD_TOP + ph + 14, a);
	}
	fmt_ns(a, sizeof(a), op->step);
	printf("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time (columns of %s);"
	       " max %" PRIu64 " events per cell</text>\n",
	       PAD_LEFT + pw / 2, PAD_TOP + ph + 34, a, g->maxcount);
	printf("<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">"
	       "latency (%s)</text>\n", PAD_TOP + ph / 2, PAD_TOP + ph / 2,
	       op->linear ? "linear" : "log2");
	printf("</svg>\n");
}

static void usage(FILE *f, int status)
{
	fprintf(f,
		"usage: %s [--step DUR] [--linear --max DUR [--rows N]] [--width PX]\n"
		"          [--height PX] [--title TEXT] [--text] [FILE]\n"
		"ktrace-heatmap - draw event latencies over time as an SVG heat map.\n"
		"  reads 'TIME_NS LATENCY_NS' lines from FILE or stdin and writes an SVG\n"
		"  latency heat map to stdout (x: time, y: latency, colour: count).\n"
		"  --step DUR    time per column (default 1s; units ns us ms s)\n"
		"  --linear      linear latency rows (default: log2 buckets)\n"
		"  --max DUR     linear: latency at the top of the range (required)\n"
		"  --rows N      linear: number of rows (default 20, 1..%d)\n"
		"  --width PX, --height PX   plot area size (default: 12 px per column,\n"
		"                14 px per row)\n"
		"  --title TEXT  heading (default \"Latency Heat Map\")\n"
		"  --text        print the cell counts as a table instead of an SVG\n",
		prog, MAXROWS);
	exit(status);
}

static int read_events(FILE *in, struct ev **evs, size_t *nev)
{
	char *line = NULL;
	size_t cap = 0, ecap = 0;
	unsigned long lineno = 0;
	int bad = 0;

	while (getline(&line, &cap, in) > 0) {
		unsigned long long t, l;
		char extra;
		char *s = line;

		lineno++;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '\n' || *s == '#')
			continue;
		if (*s == '-' || sscanf(s, "%llu %llu %c", &t, &l, &extra) != 2 ||
		    strchr(s, '-')) {
			size_t n = strlen(line);

			if (n && line[n - 1] == '\n')
				line[n - 1] = '\0';
			fprintf(stderr, "%s: line %lu: expected 'TIME_NS LATENCY_NS': %s\n",
				prog, lineno, line);
			bad = 1;
			continue;
		}
		if (*nev == ecap) {
			ecap = ecap ? ecap * 2 : 1024;
			*evs = realloc(*evs, ecap * sizeof(**evs));
			if (!*evs) {
				fprintf(stderr, "%s: out of memory\n", prog);
				exit(1);
			}
		}
		(*evs)[*nev].t = t;
		(*evs)[(*nev)++].lat = l;
	}
	free(line);
	return bad;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "step", required_argument, NULL, 's' },
		{ "linear", no_argument, NULL, 'l' },
		{ "max", required_argument, NULL, 'm' },
		{ "rows", required_argument, NULL, 'r' },
		{ "width", required_argument, NULL, 'w' },
		{ "height", required_argument, NULL, 'H' },
		{ "title", required_argument, NULL, 't' },
		{ "text", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts op = { .step = 1000000000ull, .rows = 20, .title = "Latency Heat Map" };
	struct grid g = { 0 };
	struct ev *evs = NULL;
	size_t nev = 0;
	uint64_t tmin = UINT64_MAX, tmax = 0, lmin = UINT64_MAX, lmax = 0;
	FILE *in = stdin;
	char *end;
	long v;
	int c, bad;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_ns(optarg, &op.step) || !op.step) {
				fprintf(stderr, "%s: --step: bad duration '%s'\n", prog, optarg);
				return 2;
			}
			break;
		case 'm':
			if (parse_ns(optarg, &op.max) || !op.max) {
				fprintf(stderr, "%s: --max: bad duration '%s'\n", prog, optarg);
				return 2;
			}
			break;
		case 'l': op.linear = 1; break;
		case 'x': op.text = 1; break;
		case 't': op.title = optarg; break;
		case 'r': case 'w': case 'H':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > (c == 'r' ? MAXROWS : 100000)) {
				fprintf(stderr, "%s: bad number '%s'\n", prog, optarg);
				return 2;
			}
			if (c == 'r')
				op.rows = (int)v;
			else if (c == 'w')
				op.width = (int)v;
			else
				op.height = (int)v;
			break;
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, 2);
		}
	}
	if (argc - optind > 1)
		usage(stderr, 2);
	if (op.linear && !op.max) {
		fprintf(stderr, "%s: --linear needs --max DUR\n", prog);
		return 2;
	}
	if (op.linear && op.max < (uint64_t)op.rows) {
		fprintf(stderr, "%s: --max must be at least --rows ns\n", prog);
		return 2;
	}
	if (optind < argc && strcmp(argv[optind], "-")) {
		in = fopen(argv[optind], "r");
		if (!in) {
			fprintf(stderr, "%s: %s: %s\n", prog, argv[optind], strerror(errno));
			return 1;
		}
	}
	bad = read_events(in, &evs, &nev);
	if (!nev) {
		fprintf(stderr, "%s: no events in the input\n", prog);
		return 1;
	}
	for (size_t i = 0; i < nev; i++) {
		if (evs[i].t < tmin) tmin = evs[i].t;
		if (evs[i].t > tmax) tmax = evs[i].t;
		if (evs[i].lat < lmin) lmin = evs[i].lat;
		if (evs[i].lat > lmax) lmax = evs[i].lat;
	}
	if ((tmax - tmin) / op.step >= MAXCOLS) {
		fprintf(stderr, "%s: %" PRIu64 " ns of events in steps of %" PRIu64
			" ns make more than %d columns (use a larger --step)\n",
			prog, tmax - tmin, op.step, MAXCOLS);
		return 1;
	}
	g.t0 = tmin;
	g.ncols = (int)((tmax - tmin) / op.step) + 1;
	if (op.linear) {
		g.nrows = op.rows;
	} else {
		g.row0 = ilog2_u64(lmin);
		g.nrows = ilog2_u64(lmax) - g.row0 + 1;
	}
	g.cells = xcalloc((size_t)g.ncols * g.nrows, sizeof(*g.cells));
	for (size_t i = 0; i < nev; i++) {
		int col = (int)((evs[i].t - tmin) / op.step);
		uint64_t *cell = &g.cells[row_of(&op, &g, evs[i].lat) * g.ncols + col];

		if (++*cell > g.maxcount)
			g.maxcount = *cell;
	}
	if (op.text)
		write_text(&op, &g);
	else
		write_svg(&op, &g);
	free(g.cells);
	free(evs);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
		return 1;
	}
	return bad;
}
