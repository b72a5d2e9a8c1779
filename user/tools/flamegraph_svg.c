// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace-flamegraph's SVG: one <g class="f"> per frame (a <title> tooltip
 * "name (N samples, P%)", a <rect>, a label), laid out from the stack tree,
 * plus inline JavaScript (no network) for what flame graph readers expect:
 *   click a frame       zoom: it spans the width, its ancestors are shown
 *                       faded, frames outside it are hidden
 *   Reset Zoom          (top left, shown while zoomed) back to the whole graph
 *   Search, Ctrl-F      a regular expression: matching frames turn magenta and
 *                       "Matched: P%" gives their share (nested matches
 *                       counted once); Reset Search clears it
 * Each frame carries its unzoomed geometry in data-x/data-w (pixels) and its
 * depth in data-d, which the script zooms from.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "flamegraph.h"

#define FRAME_H		16	/* pixels per stack level */
#define PAD_X		10
#define PAD_TOP		40
#define PAD_BOTTOM	30
#define FONT_PX		12
#define CHAR_PX		7.0	/* average glyph width for label fitting */

const char *const fg_palettes[] = {
	"hot", "mem", "io", "kernel", "java", "red", "green", "blue", "aqua", "yellow",
	"purple", "orange", NULL,
};

void fg_print_count(FILE *o, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		fprintf(o, "%.0f", v);
	else
		fprintf(o, "%.6g", v);
}

/* the frame's name without a flame graph annotation (_[k] _[u] _[j] _[i] _[w]) */
static size_t shown_len(const char *s, char *ann)
{
	size_t n = strlen(s);

	*ann = 0;
	if (n > 4 && s[n - 4] == '_' && s[n - 3] == '[' && s[n - 1] == ']' &&
	    strchr("kujiw", s[n - 2])) {
		*ann = s[n - 2];
		return n - 4;
	}
	return n;
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
static uint32_t name_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

struct rgb {
	int r, g, b;
};

/* a colour of family FAM ("red", "green"...), varied by the hash */
static struct rgb family(const char *fam, uint32_t h)
{
	int v1 = (int)(h % 55), v2 = (int)((h >> 8) % 80), v3 = (int)((h >> 16) % 55);

	if (!strcmp(fam, "red"))
		return (struct rgb){ 200 + v1, 50 + v2, 50 + v2 };
	if (!strcmp(fam, "green"))
		return (struct rgb){ 50 + v2, 200 + v1, 50 + v2 };
	if (!strcmp(fam, "blue"))
		return (struct rgb){ 80 + v2, 80 + v2, 200 + v1 };
	if (!strcmp(fam, "aqua"))
		return (struct rgb){ 50 + v2, 165 + v1, 165 + v1 };
	if (!strcmp(fam, "yellow"))
		return (struct rgb){ 175 + v1, 175 + v1, 50 + v3 };
	if (!strcmp(fam, "purple"))
		return (struct rgb){ 190 + v1, 80 + v2, 190 + v1 };
	if (!strcmp(fam, "orange"))
		return (struct rgb){ 200 + v1, 110 + v3, 0 + v3 };
	/* hot */
	return (struct rgb){ 205 + (int)(h % 51), (int)((h >> 8) % 231), (int)((h >> 16) % 56) };
}

/*
 * kernel: frames annotated _[k], and bare names (ktrace folds kernel frames
 * without a module), are kernel; module`func, hex addresses and _[u] are user.
 */
static int is_user_frame(const char *s, size_t n, char ann)
{
	if (ann)
		return ann != 'k';
	return memchr(s, '`', n) || (n > 2 && s[0] == '0' && s[1] == 'x');
}

static const char *java_family(const char *s, size_t n, char ann)
{
	if (ann == 'k')
		return "orange";
	if (ann == 'j')
		return "green";
	if (ann == 'i')
		return "aqua";
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == ':' && s[i + 1] == ':')
			return "yellow";
	if (memchr(s, '/', n) || (n > 5 && !strncmp(s, "java.", 5)))
		return "green";
	return "red";
}

static struct rgb frame_color(const char *pal, const char *s, size_t n, char ann)
{
	uint32_t h = name_hash(s, n);

	if (!strcmp(pal, "mem"))
		return family("green", h);
	if (!strcmp(pal, "io"))
		return family("blue", h);
	if (!strcmp(pal, "kernel"))
		return family(is_user_frame(s, n, ann) ? "aqua" : "orange", h);
	if (!strcmp(pal, "java"))
		return family(java_family(s, n, ann), h);
	return family(pal, h);
}

/* --diff: white for no change, redder the more it grew, bluer the more it shrank */
static struct rgb diff_color(double delta, double maxabs)
{
	int fade = maxabs > 0 ? (int)lround(210 * (1 - fabs(delta) / maxabs)) : 210;

	if (delta > 0)
		return (struct rgb){ 255, fade, fade };
	if (delta < 0)
		return (struct rgb){ fade, fade, 255 };
	return (struct rgb){ 250, 250, 250 };
}

static int max_depth(const struct fg_node *n)
{
	int d = 0;

	for (size_t i = 0; i < n->nkids; i++) {
		int k = max_depth(n->kids[i]);

		if (k > d)
			d = k;
	}
	return d + 1;
}

static double max_delta(const struct fg_node *n)
{
	double m = fabs(n->value - n->base);

	for (size_t i = 0; i < n->nkids; i++) {
		double k = max_delta(n->kids[i]);

		if (k > m)
			m = k;
	}
	return m;
}

struct layout {
	FILE			*o;
	const struct fg_opts	*op;
	double			scale;		/* pixels per sample */
	double			total;
	double			maxdelta;
	int			height;
};

static void draw(const struct layout *L, const struct fg_node *n, double x, int depth)
{
	const struct fg_opts *op = L->op;
	double w = n->value * L->scale;
	int y = op->inverted ? PAD_TOP + depth * FRAME_H :
			       L->height - PAD_BOTTOM - (depth + 1) * FRAME_H;
	size_t len, fit;
	struct rgb c;
	char ann;

	if (!(w >= op->minwidth) || w <= 0)
		return;
	len = shown_len(n->name, &ann);
	if (op->diff)
		c = diff_color(n->value - n->base, L->maxdelta);
	else if (depth == 0)
		c = (struct rgb){ 230, 120, 40 };
	else
		c = frame_color(op->colors, n->name, len, ann);
	fprintf(L->o, "<g class=\"f\" data-x=\"%.2f\" data-w=\"%.2f\" data-d=\"%d\"><title>",
		x, w, depth);
	xml_escape(L->o, n->name, len);
	fputs(" (", L->o);
	fg_print_count(L->o, n->value);
	fprintf(L->o, " ");
	xml_escape(L->o, op->countname, SIZE_MAX);
	fprintf(L->o, ", %.2f%%", L->total > 0 ? 100.0 * n->value / L->total : 0.0);
	if (op->diff) {
		double d = n->value - n->base;

		fputs("; ", L->o);
		if (d >= 0)
			fputc('+', L->o);
		fg_print_count(L->o, d);
		if (n->base > 0)
			fprintf(L->o, ", %+.2f%%", 100.0 * d / n->base);
		else
			fputs(", new", L->o);
	}
	fprintf(L->o, ")</title><rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" "
		"fill=\"rgb(%d,%d,%d)\" rx=\"2\" ry=\"2\"/>", x, y, w, FRAME_H - 1, c.r, c.g, c.b);
	fprintf(L->o, "<text x=\"%.2f\" y=\"%d\">", x + 3, y + FRAME_H - 4);
	fit = w > 6 ? (size_t)((w - 6) / CHAR_PX) : 0;
	if (len <= fit) {
		xml_escape(L->o, n->name, len);
	} else if (fit >= 3) {
		xml_escape(L->o, n->name, fit - 2);
		fputs("..", L->o);
	}
	fputs("</text></g>\n", L->o);
	for (size_t i = 0; i < n->nkids; i++) {
		draw(L, n->kids[i], x, depth + 1);
		x += n->kids[i]->value * L->scale;
	}
}

/* the interactive part: plain ES5 against the SVG DOM, no external resources */
static const char fg_script[] =
"var W, PADX, CHARPX, frames, zoomed = null, resetz, searchb, matched;\n"
"function fname(g) {\n"
"	var t = g.getElementsByTagName('title')[0].textContent;\n"
"	return t.substring(0, t.lastIndexOf(' ('));\n"
"}\n"
"function label(g, w) {\n"
"	var n = fname(g), fit = Math.floor((w - 6) / CHARPX);\n"
"	var t = g.getElementsByTagName('text')[0];\n"
"	t.textContent = n.length <= fit ? n : fit >= 3 ? n.substring(0, fit - 2) + '..' : '';\n"
"}\n"
"function place(g, x, w) {\n"
"	var r = g.getElementsByTagName('rect')[0];\n"
"	r.setAttribute('x', x.toFixed(2));\n"
"	r.setAttribute('width', w.toFixed(2));\n"
"	g.getElementsByTagName('text')[0].setAttribute('x', (x + 3).toFixed(2));\n"
"	label(g, w);\n"
"}\n"
"function init() {\n"
"	var svg = document.documentElement;\n"
"	W = +svg.getAttribute('data-width'); PADX = +svg.getAttribute('data-padx');\n"
"	CHARPX = +svg.getAttribute('data-charpx');\n"
"	frames = Array.prototype.slice.call(document.querySelectorAll('g.f'));\n"
"	resetz = document.getElementById('resetzoom');\n"
"	searchb = document.getElementById('search');\n"
"	matched = document.getElementById('matched');\n"
"	frames.forEach(function (g) {\n"
"		g.addEventListener('click', function () { zoom(g); });\n"
"	});\n"
"	resetz.addEventListener('click', unzoom);\n"
"	searchb.addEventListener('click', searchPrompt);\n"
"	document.getElementById('resetsearch').addEventListener('click', function () {\n"
"		search('');\n"
"	});\n"
"	window.addEventListener('keydown', function (e) {\n"
"		var f = e.key === 'f' || e.key === 'F' || e.keyCode === 70;\n"
"		if (e.key === 'F3' || e.keyCode === 114 || ((e.ctrlKey || e.metaKey) && f)) {\n"
"			e.preventDefault();\n"
"			searchPrompt();\n"
"		} else if (e.key === 'Escape' || e.keyCode === 27) {\n"
"			search('');\n"
"			unzoom();\n"
"		}\n"
"	});\n"
"}\n"
"function geo(g) {\n"
"	return { x: +g.getAttribute('data-x'), w: +g.getAttribute('data-w'),\n"
"		 d: +g.getAttribute('data-d') };\n"
"}\n"
"function zoom(z) {\n"
"	var f = geo(z), k = (W - 2 * PADX) / f.w, eps = 0.0001;\n"
"	zoomed = z;\n"
"	frames.forEach(function (g) {\n"
"		var a = geo(g);\n"
"		g.classList.remove('hide'); g.classList.remove('parent');\n"
"		if (a.d < f.d && a.x <= f.x + eps && a.x + a.w >= f.x + f.w - eps) {\n"
"			g.classList.add('parent');\n"
"			place(g, PADX, W - 2 * PADX);\n"
"		} else if (a.d >= f.d && a.x >= f.x - eps && a.x + a.w <= f.x + f.w + eps) {\n"
"			place(g, PADX + (a.x - f.x) * k, a.w * k);\n"
"		} else {\n"
"			g.classList.add('hide');\n"
"		}\n"
"	});\n"
"	resetz.classList.remove('hide');\n"
"}\n"
"function unzoom() {\n"
"	zoomed = null;\n"
"	frames.forEach(function (g) {\n"
"		var a = geo(g);\n"
"		g.classList.remove('hide'); g.classList.remove('parent');\n"
"		place(g, a.x, a.w);\n"
"	});\n"
"	resetz.classList.add('hide');\n"
"}\n"
"function searchPrompt() {\n"
"	var t = window.prompt('Search frames (regular expression):', '');\n"
"	if (t !== null)\n"
"		search(t);\n"
"}\n"
"function search(term) {\n"
"	var re = null, spans = [], total = 0, i, cur;\n"
"	if (term) {\n"
"		try { re = new RegExp(term); } catch (e) { window.alert('bad regular expression: ' + e.message); return; }\n"
"	}\n"
"	frames.forEach(function (g) {\n"
"		var r = g.getElementsByTagName('rect')[0], a = geo(g);\n"
"		if (!r.hasAttribute('data-fill'))\n"
"			r.setAttribute('data-fill', r.getAttribute('fill'));\n"
"		if (re && re.test(fname(g))) {\n"
"			r.setAttribute('fill', 'rgb(230,0,230)');\n"
"			g.classList.add('match');\n"
"			spans.push([a.x, a.x + a.w]);\n"
"		} else {\n"
"			r.setAttribute('fill', r.getAttribute('data-fill'));\n"
"			g.classList.remove('match');\n"
"		}\n"
"	});\n"
"	spans.sort(function (p, q) { return p[0] - q[0]; });\n"
"	for (i = 0, cur = null; i < spans.length; i++) {\n"
"		if (cur && spans[i][0] < cur[1]) {\n"
"			cur[1] = Math.max(cur[1], spans[i][1]);\n"
"		} else {\n"
"			if (cur) total += cur[1] - cur[0];\n"
"			cur = spans[i].slice();\n"
"		}\n"
"	}\n"
"	if (cur) total += cur[1] - cur[0];\n"
"	if (re) {\n"
"		matched.textContent = 'Matched: ' + (100 * total / (W - 2 * PADX)).toFixed(1) + '%';\n"
"		matched.classList.remove('hide');\n"
"		document.getElementById('resetsearch').classList.remove('hide');\n"
"	} else {\n"
"		matched.classList.add('hide');\n"
"		document.getElementById('resetsearch').classList.add('hide');\n"
"	}\n"
"}\n";

void fg_write_svg(FILE *o, const struct fg_node *root, const struct fg_opts *op)
{
	struct layout L = { .o = o, .op = op, .total = root->value };
	int depth = max_depth(root);

	L.height = PAD_TOP + depth * FRAME_H + PAD_BOTTOM;
	L.scale = root->value > 0 ? (op->width - 2 * PAD_X) / root->value : 0;
	L.maxdelta = op->diff ? max_delta(root) : 0;
	fprintf(o, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" onload=\"init()\" "
		"data-width=\"%d\" data-padx=\"%d\" data-charpx=\"%.1f\">\n",
		op->width, L.height, op->width, L.height, op->width, PAD_X, CHAR_PX);
	fprintf(o, "<style>text { font-family: monospace; font-size: %dpx; fill: #000; }"
		" g.f:hover rect { stroke: #000; stroke-width: 0.5; } g.f { cursor: pointer; }"
		" .hide { display: none; } g.parent { opacity: 0.5; }"
		" .button { cursor: pointer; fill: #06c; }</style>\n", FONT_PX);
	fprintf(o, "<script type=\"text/ecmascript\"><![CDATA[\n%s]]></script>\n", fg_script);
	fprintf(o, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fdf6e3\"/>\n",
		op->width, L.height);
	fprintf(o, "<text x=\"%d\" y=\"24\" text-anchor=\"middle\" style=\"font-size:17px\">",
		op->width / 2);
	xml_escape(o, op->title, SIZE_MAX);
	fputs("</text>\n", o);
	fprintf(o, "<text id=\"resetzoom\" class=\"button hide\" x=\"%d\" y=\"24\">Reset Zoom</text>\n",
		PAD_X);
	fprintf(o, "<text id=\"search\" class=\"button\" x=\"%d\" y=\"24\" text-anchor=\"end\">"
		"Search</text>\n", op->width - PAD_X);
	fprintf(o, "<text id=\"resetsearch\" class=\"button hide\" x=\"%d\" y=\"24\" "
		"text-anchor=\"end\">Reset Search</text>\n", op->width - PAD_X - 60);
	fprintf(o, "<text id=\"matched\" class=\"hide\" x=\"%d\" y=\"%d\" text-anchor=\"end\">"
		"</text>\n", op->width - PAD_X, L.height - 10);
	fprintf(o, "<text x=\"%d\" y=\"%d\">", PAD_X, L.height - 10);
	fg_print_count(o, root->value);
	fputc(' ', o);
	xml_escape(o, op->countname, SIZE_MAX);
	fprintf(o, "; width is the share of %s%s, frames sorted by name (not time)</text>\n",
		op->diff ? "the second profile's " : "", op->countname);
	if (root->value > 0)
		draw(&L, root, PAD_X, 0);
	fputs("</svg>\n", o);
}
