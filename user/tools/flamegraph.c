// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace-flamegraph: folded stacks -> interactive SVG flame graph.
 *
 * Input (default): one stack per line, root first, frames separated by ';',
 * then a blank and a sample count (fractions allowed):  main;do_work;compute 42
 * Lines for the same stack are summed.  With --from-ktrace the input is the
 * printa() output of `@[stack()] = count()` (or `@[stack(), ustack()]`):
 * indented frames, leaf first, one per line, then the count on a line of its
 * own; several stacks of one key (kernel, then user) are joined, user frames
 * nearest the root.  Frame offsets (+0x1c) are dropped, and so is the
 * "vmlinux`" module prefix.  --reverse merges every stack leaf first.
 * --diff A B reads two profiles: frames are as wide as in B and coloured by
 * how much they grew (red) or shrank (blue) since A.  Folded input with two
 * counts per stack ("a;b;c 40 42", what --diff --fold prints) is such a
 * differential profile on its own.
 *
 * This file reads the input into a tree of frames; flamegraph_svg.c draws it.  --fold
 * prints the merged folded stacks instead (sorted; with --diff two counts).
 *
 * No dependencies beyond libc; exit status 0, 1 on bad input, 2 on usage.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flamegraph.h"

static const char *prog = "ktrace-flamegraph";
static unsigned long lineno;
static const char *fname = "<stdin>";

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

static struct fg_node *node_new(const char *name, size_t len)
{
	struct fg_node *n = xrealloc(NULL, sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->name = xstrndup(name, len);
	return n;
}

/* children are kept sorted by name: binary search, insert in place */
static struct fg_node *node_child(struct fg_node *p, const char *name, size_t len)
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

/* where a count goes: the drawn profile, or --diff's first one */
static int into_base;

static void add_count(struct fg_node *n, double count)
{
	if (into_base)
		n->base += count;
	else
		n->value += count;
}

/* add one root-first stack "a;b;c" with count */
static void add_stack(struct fg_node *root, const char *s, size_t len, double count)
{
	struct fg_node *n = root;
	size_t i = 0;

	add_count(root, count);
	while (i < len) {
		size_t j = i;

		while (j < len && s[j] != ';')
			j++;
		if (j > i) {
			n = node_child(n, s + i, j - i);
			add_count(n, count);
		}
		i = j + 1;
	}
}

/* "a;b;c" -> "c;b;a" in place (--reverse) */
static void reverse_frames(char *s, size_t len)
{
	char *t = xrealloc(NULL, len + 1);
	size_t o = 0, e = len;

	while (e > 0) {
		size_t b = e;

		while (b > 0 && s[b - 1] != ';')
			b--;
		memcpy(t + o, s + b, e - b);
		o += e - b;
		if (b > 0)
			t[o++] = ';';
		e = b ? b - 1 : 0;
	}
	memcpy(s, t, len);
	free(t);
}

/* a sample count: a finite number >= 0 (fractions allowed), nothing after it */
static int parse_count(const char *s, double *out)
{
	char *end;

	if ((*s < '0' || *s > '9') && *s != '.')
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (errno || !isfinite(*out) || end == s)
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

/* the folded input's form, set by its first stack line */
enum { FOLDED_ANY, FOLDED_ONE, FOLDED_TWO };

/*
 * Folded input: "a;b;c 42", or "a;b;c 40 42": two counts, before and after,
 * a differential profile as --diff --fold prints it (and difffolded.pl).  The
 * first stack line sets the form for the file; a line of the other form is
 * reported, so that neither is read as the other ("c 40" is no frame name).
 */
static int read_folded(FILE *in, struct fg_node *root, int reverse, int *form)
{
	static const char *const want[] = {
		[FOLDED_ONE] = "'frame;frame;... COUNT', as the first line",
		[FOLDED_TWO] = "'frame;frame;... BEFORE AFTER', as the first line",
	};
	char *line = NULL;
	size_t cap = 0;
	int bad = 0;

	*form = FOLDED_ANY;
	while (getline(&line, &cap, in) > 0) {
		char *sp, *sp2;
		double count, before;
		int f;

		lineno++;
		chomp(line);
		if (!line[0] || line[0] == '#')
			continue;
		sp = strrchr(line, ' ');
		if (!sp || parse_count(sp + 1, &count)) {
			fprintf(stderr, "%s: %s: line %lu: expected 'frame;frame;... COUNT': %s\n",
				prog, fname, lineno, line);
			bad = 1;
			continue;
		}
		*sp = '\0';
		sp2 = strrchr(line, ' ');
		f = sp2 && !parse_count(sp2 + 1, &before) ? FOLDED_TWO : FOLDED_ONE;
		if (*form == FOLDED_ANY)
			*form = f;
		if (f != *form) {
			*sp = ' ';
			fprintf(stderr, "%s: %s: line %lu: expected %s: %s\n",
				prog, fname, lineno, want[*form], line);
			bad = 1;
			continue;
		}
		if (f == FOLDED_TWO)
			*sp2 = '\0';
		if (reverse)
			reverse_frames(line, strlen(line));
		if (f == FOLDED_TWO) {
			into_base = 1;
			add_stack(root, line, strlen(line), before);
			into_base = 0;
		}
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
static int read_ktrace(FILE *in, struct fg_node *root, int keep_off, int reverse)
{
	char *line = NULL, *acc = NULL, *rev = NULL;
	size_t cap = 0, alen = 0, acap = 0, nframes = 0;

	while (getline(&line, &cap, in) > 0) {
		double count;
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
				fprintf(stderr, "%s: %s: line %lu: a count with no stack before it\n",
					prog, fname, lineno);
				continue;
			}
			if (reverse) {	/* acc is leaf first already */
				add_stack(root, acc, alen - 1, count);
				alen = 0;
				nframes = 0;
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

static void print_folded(const struct fg_node *n, char *path, size_t len, size_t cap, int diff)
{
	double kids = 0, kbase = 0;

	for (size_t i = 0; i < n->nkids; i++) {
		kids += n->kids[i]->value;
		kbase += n->kids[i]->base;
	}
	if (len && (n->value > kids || (diff && n->base > kbase))) {
		printf("%.*s ", (int)len, path);
		if (diff) {
			fg_print_count(stdout, n->base - kbase);
			putchar(' ');
		}
		fg_print_count(stdout, n->value - kids);
		putchar('\n');
	}
	for (size_t i = 0; i < n->nkids; i++) {
		const struct fg_node *k = n->kids[i];
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
		print_folded(k, p, nl, kcap, diff);
		if (p != path)
			free(p);
	}
}


static void usage(FILE *f, int status)
{
	fprintf(f,
		"usage: %s [OPTIONS] [FILE]\n"
		"       %s [OPTIONS] --diff BEFORE AFTER\n"
		"ktrace-flamegraph - draw stacks as an interactive SVG flame graph.\n"
		"  reads folded stacks ('root;...;leaf COUNT', one per line) from FILE or stdin\n"
		"  and writes an SVG flame graph to stdout (click a frame to zoom, Search or\n"
		"  Ctrl-F to highlight frames by regular expression).\n"
		"  --from-ktrace    input is ktrace printa output of @[stack()] = count()\n"
		"                   (or @[stack(), ustack()]): frames one per line, then the count\n"
		"  --fold           print the merged folded stacks instead of an SVG\n"
		"  --width PX       image width (default 1200)\n"
		"  --title TEXT     heading (default \"Flame Graph\", \"Differential Flame Graph\")\n"
		"  --countname NAME what the counts are (default \"samples\")\n"
		"  --colors NAME    palette: hot (default), mem, io, kernel (kernel frames\n"
		"                   orange, user frames aqua), java (java green, C++ yellow,\n"
		"                   native red, kernel orange), red, green, blue, aqua,\n"
		"                   yellow, purple, orange\n"
		"  --inverted       icicle graph: the root at the top\n"
		"  --reverse        merge the stacks leaf first (the leaf at the root)\n"
		"  --diff A B       differential: widths from B, red = grew since A,\n"
		"                   blue = shrank (the stronger, the bigger the change);\n"
		"                   FILE with two counts per stack ('stack A B', as --diff\n"
		"                   --fold prints) draws the same graph without --diff\n"
		"  --minwidth PX    omit frames narrower than this (default 0.1)\n"
		"  --keep-offsets   keep +0x.. offsets in ktrace frames (default: dropped)\n",
		prog, prog);
	exit(status);
}

/* read FILE (NULL, "-": stdin); *form: the folded input's form */
static int read_input(const char *path, struct fg_node *root, const struct fg_opts *op,
		      int *form)
{
	FILE *in = stdin;
	int bad;

	fname = "<stdin>";
	if (path && strcmp(path, "-")) {
		in = fopen(path, "r");
		if (!in) {
			fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
			exit(1);
		}
		fname = path;
	}
	lineno = 0;
	*form = FOLDED_ONE;
	bad = op->from_ktrace ? read_ktrace(in, root, op->keep_offsets, op->reverse) :
				read_folded(in, root, op->reverse, form);
	if (in != stdin)
		fclose(in);
	return bad;
}

static int known_palette(const char *name)
{
	for (size_t i = 0; fg_palettes[i]; i++)
		if (!strcmp(fg_palettes[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "from-ktrace", no_argument, NULL, 'k' },
		{ "fold", no_argument, NULL, 'f' },
		{ "width", required_argument, NULL, 'w' },
		{ "title", required_argument, NULL, 't' },
		{ "countname", required_argument, NULL, 'n' },
		{ "colors", required_argument, NULL, 'c' },
		{ "inverted", no_argument, NULL, 'i' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "diff", no_argument, NULL, 'd' },
		{ "minwidth", required_argument, NULL, 'm' },
		{ "keep-offsets", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fg_opts op = { .width = 1200, .minwidth = 0.1, .countname = "samples",
			      .colors = "hot" };
	struct fg_node *root = node_new("all", 3);
	char *end;
	int c, form, bad = 0;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'k': op.from_ktrace = 1; break;
		case 'f': op.fold = 1; break;
		case 'o': op.keep_offsets = 1; break;
		case 'i': op.inverted = 1; break;
		case 'r': op.reverse = 1; break;
		case 'd': op.diff = 1; break;
		case 't': op.title = optarg; break;
		case 'n':
			if (!*optarg) {
				fprintf(stderr, "%s: --countname: empty name\n", prog);
				return 2;
			}
			op.countname = optarg;
			break;
		case 'c':
			if (!known_palette(optarg)) {
				fprintf(stderr, "%s: --colors: unknown palette '%s' (see --help)\n",
					prog, optarg);
				return 2;
			}
			op.colors = optarg;
			break;
		case 'w':
			errno = 0;
			op.width = (int)strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || op.width < 100 || op.width > 100000) {
				fprintf(stderr, "%s: --width: '%s' is not a number in 100..100000\n",
					prog, optarg);
				return 2;
			}
			break;
		case 'm':
			op.minwidth = strtod(optarg, &end);
			if (end == optarg || *end || !(op.minwidth >= 0)) {
				fprintf(stderr, "%s: --minwidth: bad value '%s'\n", prog, optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, 2);
		}
	}
	if (op.diff) {
		if (argc - optind != 2)
			usage(stderr, 2);
		for (int i = 0; i < 2; i++) {
			into_base = i == 0;
			bad |= read_input(argv[optind + i], root, &op, &form);
			if (form == FOLDED_TWO) {
				fprintf(stderr, "%s: %s has two counts per stack: it is a "
					"differential profile already (draw it without --diff)\n",
					prog, argv[optind + i]);
				return 1;
			}
		}
		into_base = 0;
	} else {
		if (argc - optind > 1)
			usage(stderr, 2);
		bad = read_input(optind < argc ? argv[optind] : NULL, root, &op, &form);
		op.diff = form == FOLDED_TWO;
	}
	if (!op.title)
		op.title = op.diff ? "Differential Flame Graph" : "Flame Graph";
	if (!(root->value > 0) && !(op.diff && root->base > 0)) {
		fprintf(stderr, "%s: no samples in the input\n", prog);
		return 1;
	}
	if (op.fold)
		print_folded(root, NULL, 0, 0, op.diff);
	else
		fg_write_svg(stdout, root, &op);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
		return 1;
	}
	return bad;
}
