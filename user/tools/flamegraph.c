// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace-flamegraph: folded stacks -> static SVG flame graph.
 *
 * Input (default): one stack per line, root first, frames separated by ';',
 * then a blank and a sample count:   main;do_work;compute 42
 * Lines for the same stack are summed.  With --from-ktrace the input is the
 * printa() output of `@[stack()] = count()` (or `@[stack(), ustack()]`):
 * indented frames, leaf first, one per line, then the count on a line of its
 * own; several stacks of one key (kernel, then user) are joined, user frames
 * nearest the root.  Frame offsets (+0x1c) are dropped, and so is the
 * "vmlinux`" module prefix.
 *
 * Output: an SVG of --width pixels: the root ("all") at the bottom, every
 * frame a rectangle whose width is proportional to its samples, children
 * sorted alphabetically left to right, a <title> tooltip "name (N samples,
 * P%)" on every frame, a warm palette chosen by a hash of the name (so a
 * function has the same colour in every graph).  --fold prints the merged
 * folded stacks instead (sorted), e.g. to turn ktrace output into input for
 * other tools.
 *
 * No dependencies beyond libc; exit status 0, 1 on bad input, 2 on usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_H		16	/* pixels per stack level */
#define PAD_X		10
#define PAD_TOP		40
#define PAD_BOTTOM	30
#define FONT_PX		12
#define CHAR_PX		7.0	/* average glyph width for label fitting */

struct node {
	char		*name;
	uint64_t	value;		/* samples in this frame and below */
	struct node	**kids;
	size_t		nkids, cap;
};

struct opts {
	int		width;
	double		minwidth;
	const char	*title;
	int		from_ktrace;
	int		fold;
	int		keep_offsets;
};

static const char *prog = "ktrace-flamegraph";
static unsigned long lineno;

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static struct node *node_new(const char *name, size_t len)
{
	struct node *n = xrealloc(NULL, sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->name = xstrndup(name, len);
	return n;
}

/* children are kept sorted by name: binary search, insert in place */
static struct node *node_child(struct node *p, const char *name, size_t len)
{
	size_t lo = 0, hi = p->nkids;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(p->kids[mid]->name, name, len);

		if (c == 0 && p->kids[mid]->name[len] != '\0')
			c = 1;
		if (c == 0)
			return p->kids[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (p->nkids == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 4;
		p->kids = xrealloc(p->kids, p->cap * sizeof(*p->kids));
	}
	memmove(&p->kids[lo + 1], &p->kids[lo], (p->nkids - lo) * sizeof(*p->kids));
	p->nkids++;
	p->kids[lo] = node_new(name, len);
	return p->kids[lo];
}

/* add one root-first stack "a;b;c" with count */
static void add_stack(struct node *root, const char *s, size_t len, uint64_t count)
{
	struct node *n = root;
	size_t i = 0;

	root->value += count;
	while (i < len) {
		size_t j = i;

		while (j < len && s[j] != ';')
			j++;
		if (j > i) {
			n = node_child(n, s + i, j - i);
			n->value += count;
		}
		i = j + 1;
	}
}

static int parse_count(const char *s, uint64_t *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno)
		return -1;
	while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
		end++;
	return *end ? -1 : 0;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* folded input: "a;b;c 42" */
static int read_folded(FILE *in, struct node *root)
{
	char *line = NULL;
	size_t cap = 0;
	int bad = 0;

	while (getline(&line, &cap, in) > 0) {
		char *sp;
		uint64_t count;

		lineno++;
		chomp(line);
		if (!line[0] || line[0] == '#')
			continue;
		sp = strrchr(line, ' ');
		if (!sp || parse_count(sp + 1, &count)) {
			fprintf(stderr, "%s: line %lu: expected 'frame;frame;... COUNT': %s\n",
				prog, lineno, line);
			bad = 1;
			continue;
		}
		*sp = '\0';
		add_stack(root, line, strlen(line), count);
	}
	free(line);
	return bad;
}

/* one ktrace frame "  vmlinux`do_sys_open+0x1c" -> "do_sys_open" appended to buf */
static void append_frame(char **buf, size_t *len, size_t *cap, const char *f, int keep_off)
{
	size_t n;
	const char *plus;

	while (*f == ' ' || *f == '\t')
		f++;
	if (!strncmp(f, "vmlinux`", 8))
		f += 8;
	n = strlen(f);
	plus = strrchr(f, '+');
	if (!keep_off && plus && plus > f && !strncmp(plus, "+0x", 3))
		n = plus - f;
	if (*len + n + 2 > *cap) {
		*cap = (*len + n + 2) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	/* ';' would split the frame: replace it */
	for (size_t i = 0; i < n; i++)
		(*buf)[(*len)++] = f[i] == ';' ? ':' : f[i];
	(*buf)[(*len)++] = ';';
	(*buf)[*len] = '\0';
}

/*
 * ktrace printa output: frames (leaf first) then a count line.  Frames are
 * collected as "leaf;...;root;" and reversed before adding.
 */
static int read_ktrace(FILE *in, struct node *root, int keep_off)
{
	char *line = NULL, *acc = NULL, *rev = NULL;
	size_t cap = 0, alen = 0, acap = 0, nframes = 0;

	while (getline(&line, &cap, in) > 0) {
		uint64_t count;
		char *s = line;

		lineno++;
		chomp(line);
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			continue;
		if (!parse_count(s, &count)) {
			size_t i, r = 0;

			if (!nframes) {
				fprintf(stderr, "%s: line %lu: a count with no stack before it\n",
					prog, lineno);
				continue;
			}
			/* reverse the ';'-separated list into rev */
			rev = xrealloc(rev, alen + 1);
			i = alen - 1;	/* acc ends with ';' */
			while (i > 0) {
				size_t e = i, b = i;

				while (b > 0 && acc[b - 1] != ';')
					b--;
				memcpy(rev + r, acc + b, e - b);
				r += e - b;
				rev[r++] = ';';
				i = b ? b - 1 : 0;
			}
			add_stack(root, rev, r ? r - 1 : 0, count);
			alen = 0;
			nframes = 0;
			continue;
		}
		append_frame(&acc, &alen, &acap, s, keep_off);
		nframes++;
	}
	if (nframes)
		fprintf(stderr, "%s: %zu frame(s) at the end of the input have no count (ignored)\n",
			prog, nframes);
	free(line);
	free(acc);
	free(rev);
	return 0;
}

static void print_folded(const struct node *n, char *path, size_t len, size_t cap)
{
	uint64_t kids = 0;

	for (size_t i = 0; i < n->nkids; i++)
		kids += n->kids[i]->value;
	if (len && n->value > kids)
		printf("%.*s %llu\n", (int)len, path, (unsigned long long)(n->value - kids));
	for (size_t i = 0; i < n->nkids; i++) {
		const struct node *k = n->kids[i];
		size_t kl = strlen(k->name), nl = len + (len ? 1 : 0) + kl;
		char *p = path;
		size_t kcap = cap;

		if (nl + 1 > cap) {
			kcap = nl * 2 + 64;
			p = xrealloc(NULL, kcap);
			if (len)
				memcpy(p, path, len);
		}
		if (len)
			p[len] = ';';
		memcpy(p + len + (len ? 1 : 0), k->name, kl);
		print_folded(k, p, nl, kcap);
		if (p != path)
			free(p);
	}
}

static void xml_escape(FILE *o, const char *s, size_t max)
{
	for (size_t i = 0; *s && i < max; s++, i++) {
		switch (*s) {
		case '<': fputs("&lt;", o); break;
		case '>': fputs("&gt;", o); break;
		case '&': fputs("&amp;", o); break;
		case '"': fputs("&quot;", o); break;
		default:
			if ((unsigned char)*s < 0x20)
				fputc('?', o);
			else
				fputc(*s, o);
		}
	}
}

/* FNV-1a: stable colours across runs and graphs */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void warm_color(const char *name, int *r, int *g, int *b)
{
	uint32_t h = name_hash(name);

	*r = 205 + (int)(h % 51);
	*g = (int)((h >> 8) % 231);
	*b = (int)((h >> 16) % 56);
}

static int max_depth(const struct node *n)
{
	int d = 0;

	for (size_t i = 0; i < n->nkids; i++) {
		int k = max_depth(n->kids[i]);

		if (k > d)
			d = k;
	}
	return d + 1;
}

struct layout {
	FILE		*o;
	double		scale;		/* pixels per sample */
	double		minwidth;
	uint64_t	total;
	int		height;
};

static void draw(const struct layout *L, const struct node *n, double x, int depth)
{
	double w = n->value * L->scale;
	int y = L->height - PAD_BOTTOM - (depth + 1) * FRAME_H;
	int r, g, b;
	size_t fit;

	if (w < L->minwidth)
		return;
	if (depth == 0) {
		r = 230; g = 120; b = 40;
	} else {
		warm_color(n->name, &r, &g, &b);
	}
	fprintf(L->o, "<g><title>");
	xml_escape(L->o, n->name, SIZE_MAX);
	fprintf(L->o, " (%llu samples, %.2f%%)</title>", (unsigned long long)n->value,
		L->total ? 100.0 * n->value / L->total : 0.0);
	fprintf(L->o, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" "
		"fill=\"rgb(%d,%d,%d)\" rx=\"2\" ry=\"2\"/>", x, y, w, FRAME_H - 1, r, g, b);
	fit = (size_t)((w - 6) / CHAR_PX);
	if (fit >= 3) {
		size_t len = strlen(n->name);

		fprintf(L->o, "<text x=\"%.2f\" y=\"%d\">", x + 3, y + FRAME_H - 4);
		if (len <= fit) {
			xml_escape(L->o, n->name, len);
		} else {
			xml_escape(L->o, n->name, fit - 2);
			fputs("..", L->o);
		}
		fputs("</text>", L->o);
	}
	fputs("</g>\n", L->o);
	for (size_t i = 0; i < n->nkids; i++) {
		draw(L, n->kids[i], x, depth + 1);
		x += n->kids[i]->value * L->scale;
	}
}

static void write_svg(FILE *o, const struct node *root, const struct opts *op)
{
	struct layout L = { .o = o, .minwidth = op->minwidth, .total = root->value };
	int depth = max_depth(root);

	L.height = PAD_TOP + depth * FRAME_H + PAD_BOTTOM;
	L.scale = root->value ? (double)(op->width - 2 * PAD_X) / root->value : 0;
	fprintf(o, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		op->width, L.height, op->width, L.height);
	fprintf(o, "<style>text { font-family: monospace; font-size: %dpx; fill: #000; }"
		" rect:hover { stroke: #000; stroke-width: 0.5; }</style>\n", FONT_PX);
	fprintf(o, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fdf6e3\"/>\n",
		op->width, L.height);
	fprintf(o, "<text x=\"%d\" y=\"24\" text-anchor=\"middle\" style=\"font-size:17px\">",
		op->width / 2);
	xml_escape(o, op->title, SIZE_MAX);
	fputs("</text>\n", o);
	fprintf(o, "<text x=\"%d\" y=\"%d\">%llu samples; width is the share of samples,"
		" frames sorted by name (not time)</text>\n", PAD_X, L.height - 10,
		(unsigned long long)root->value);
	if (root->value)
		draw(&L, root, PAD_X, 0);
	fputs("</svg>\n", o);
}

static void usage(FILE *f, int status)
{
	fprintf(f,
		"usage: %s [--from-ktrace] [--fold] [--width PX] [--title TEXT] [--minwidth PX]\n"
		"          [--keep-offsets] [FILE]\n"
		"  reads folded stacks ('root;...;leaf COUNT', one per line) from FILE or stdin\n"
		"  and writes an SVG flame graph to stdout.\n"
		"  --from-ktrace   input is ktrace printa output of @[stack()] = count()\n"
		"                  (or @[stack(), ustack()]): frames one per line, then the count\n"
		"  --fold          print the merged folded stacks instead of an SVG\n"
		"  --width PX      image width (default 1200)\n"
		"  --title TEXT    heading (default \"Flame Graph\")\n"
		"  --minwidth PX   omit frames narrower than this (default 0.1)\n"
		"  --keep-offsets  keep +0x.. offsets in ktrace frames (default: dropped)\n",
		prog);
	exit(status);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "from-ktrace", no_argument, NULL, 'k' },
		{ "fold", no_argument, NULL, 'f' },
		{ "width", required_argument, NULL, 'w' },
		{ "title", required_argument, NULL, 't' },
		{ "minwidth", required_argument, NULL, 'm' },
		{ "keep-offsets", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts op = { .width = 1200, .minwidth = 0.1, .title = "Flame Graph" };
	struct node *root = node_new("all", 3);
	FILE *in = stdin;
	char *end;
	int c, bad;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'k': op.from_ktrace = 1; break;
		case 'f': op.fold = 1; break;
		case 'o': op.keep_offsets = 1; break;
		case 't': op.title = optarg; break;
		case 'w':
			op.width = (int)strtol(optarg, &end, 10);
			if (*end || op.width < 100 || op.width > 100000) {
				fprintf(stderr, "%s: --width: '%s' is not a number in 100..100000\n",
					prog, optarg);
				return 2;
			}
			break;
		case 'm':
			op.minwidth = strtod(optarg, &end);
			if (*end || op.minwidth < 0) {
				fprintf(stderr, "%s: --minwidth: bad value '%s'\n", prog, optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, 2);
		}
	}
	if (argc - optind > 1)
		usage(stderr, 2);
	if (optind < argc && strcmp(argv[optind], "-")) {
		in = fopen(argv[optind], "r");
		if (!in) {
			fprintf(stderr, "%s: %s: %s\n", prog, argv[optind], strerror(errno));
			return 1;
		}
	}
	bad = op.from_ktrace ? read_ktrace(in, root, op.keep_offsets) : read_folded(in, root);
	if (!root->value) {
		fprintf(stderr, "%s: no samples in the input\n", prog);
		return 1;
	}
	if (op.fold)
		print_folded(root, NULL, 0, 0);
	else
		write_svg(stdout, root, &op);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
		return 1;
	}
	return bad;
}
