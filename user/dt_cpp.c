// SPDX-License-Identifier: GPL-2.0
/*
 * The C preprocessor pass (ktrace -C), run over each source before the
 * lexer when kt_compile_opts.cpp is set.  Built in, so -C works where no
 * cpp(1) is installed and costs no process start.
 *
 * What it does, as C99 (and GNU cpp where noted) specifies:
 *   - backslash-newline splices, comments become one space;
 *   - #define (object-like, function-like, variadic with __VA_ARGS__ and
 *     GNU's ", ## __VA_ARGS__"), # stringizing, ## pasting, #undef;
 *     rescanning with hide sets, so a macro never expands inside its own
 *     expansion;
 *   - #if/#ifdef/#ifndef/#elif/#else/#endif with integer constant
 *     expressions (defined, every C operator but assignments, ?:);
 *   - #include "file" (the including file's directory, then the -I
 *     directories) and <file> (the -I directories), nested up to 32;
 *   - #error, #warning (GNU), #line, #pragma (passed on), #ident (GNU,
 *     ignored), the null directive; a first line "#!..." is dropped;
 *   - __LINE__, __FILE__, and the predefined __ktrace, __linux__,
 *     __x86_64__, _LP64, __LP64__, __SUNW_D, __SUNW_D_64 (as dtrace -C).
 *
 * Output: the text the lexer reads (dt_source.scan).  Tokens stay on
 * their source line and, where nothing before them on the line was
 * expanded, in their column, so diagnostics point at the original text;
 * where the file changes (#include) a "#line N \"file\"" marker tells the
 * lexer, and each included file becomes a source of its own (its text
 * is what a diagnostic's source line shows).
 */
#include "dt_cpp.h"

static struct pp_cond *cond_top(struct pp_file *f)
{
	return f->nconds ? &f->conds[f->nconds - 1] : NULL;
}

static bool cond_on(struct pp_file *f)
{
	return !f->nconds || cond_top(f)->on;
}

static void cond_push(struct pp *pp, struct pp_file *f, const struct pp_tok *hash, bool on)
{
	struct pp_cond *c;

	if (f->nconds == f->condcap) {
		int ncap = f->condcap ? f->condcap * 2 : 8;
		struct pp_cond *nv = dt_alloc(&pp->cc->ar, sizeof(*nv) * (size_t)ncap);

		if (f->nconds)
			memcpy(nv, f->conds, sizeof(*nv) * (size_t)f->nconds);
		f->conds = nv;
		f->condcap = ncap;
	}
	c = &f->conds[f->nconds];
	c->parent_on = cond_on(f);
	c->on = c->parent_on && on;
	c->taken = c->on;
	c->seen_else = false;
	c->src = f->src;
	c->line = hash->line;
	f->nconds++;
}

static void process(struct pp *pp, struct pp_file *f);

/* "name" or <name>: the file name of an #include line (after expansion). */
static char *include_name(struct pp *pp, struct pp_file *f, struct pp_vec *l, bool *angled)
{
	struct pp_vec ex = { 0 };
	struct pp_sbuf b = { .ar = &pp->cc->ar };

	if (l->n && l->v[0].kind != PP_STRING && !pp_tok_is(&l->v[0], "<"))
		pp_expand(pp, f, l, &ex);
	else
		ex = *l;
	if (ex.n == 1 && pp_str_complete(&ex.v[0])) {
		*angled = false;
		return dt_strndup(&pp->cc->ar, ex.v[0].text + 1, (size_t)ex.v[0].len - 2);
	}
	if (ex.n < 3 || !pp_tok_is(&ex.v[0], "<") || !pp_tok_is(&ex.v[ex.n - 1], ">"))
		return NULL;
	*angled = true;
	for (int i = 1; i < ex.n - 1; i++) {
		if (i > 1 && ex.v[i].space)
			pp_sb_putc(&b, ' ');
		for (int k = 0; k < ex.v[i].len; k++)
			pp_sb_putc(&b, ex.v[i].text[k]);
	}
	return b.s;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!fp)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 8192;
			nb = cap > PP_MAX_FILE + 8192 ? NULL : realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(fp);
				errno = EFBIG;
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n - 1, fp);
		n += r;
	} while (r > 0);
	if (ferror(fp)) {
		free(buf);
		fclose(fp);
		errno = EIO;
		return NULL;
	}
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int add_source(struct pp *pp, const char *name, char *text, size_t len)
{
	struct dt_cc *cc = pp->cc;
	struct dt_source *nv = dt_alloc(&cc->ar, sizeof(*nv) * (size_t)(cc->nsrcs + 1));

	memcpy(nv, cc->srcs, sizeof(*nv) * (size_t)cc->nsrcs);
	nv[cc->nsrcs].name = dt_strndup(&cc->ar, name, strlen(name));
	nv[cc->nsrcs].text = dt_strndup(&cc->ar, text, len);
	nv[cc->nsrcs].len = len;
	cc->srcs = nv;
	return cc->nsrcs++;
}

static const char *dir_of(struct pp *pp, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return ".";
	if (slash == path)
		return "/";
	return dt_strndup(&pp->cc->ar, path, (size_t)(slash - path));
}

static void do_include(struct pp *pp, struct pp_file *f, const struct pp_tok *hash,
		       struct pp_vec *l)
{
	const struct kt_compile_opts *o = pp->cc->opts;
	struct pp_file inc = { 0 };
	char *name, *text = NULL, path[PATH_MAX];
	bool angled = false;
	size_t len = 0;
	int err = ENOENT;

	name = include_name(pp, f, l, &angled);
	if (!name || !*name) {
		pp_err(pp, f->src, hash->line, hash->col, "#include expects \"FILENAME\" or <FILENAME>");
		return;
	}
	if (pp->depth >= PP_MAX_INCLUDE_DEPTH) {
		pp_err(pp, f->src, hash->line, hash->col, "#include nested more than %d deep",
		       PP_MAX_INCLUDE_DEPTH);
		return;
	}
	if (name[0] == '/') {
		snprintf(path, sizeof(path), "%s", name);
		text = read_file(path, &len);
		err = errno;
	}
	for (int i = -1; !text && name[0] != '/' && i < o->ncpp_incdirs; i++) {
		const char *dir = i < 0 ? (angled ? NULL : f->dir) : o->cpp_incdirs[i];

		if (!dir)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
			continue;
		text = read_file(path, &len);
		if (!text && errno != ENOENT)
			err = errno;
	}
	if (!text) {
		pp_err(pp, f->src, hash->line, hash->col, "#include %c%s%c: %s",
		       angled ? '<' : '"', name, angled ? '>' : '"', strerror(err));
		return;
	}
	if (o->cpp_included)
		o->cpp_included(o->cpp_ctx, path, pp->depth + 1);
	inc.src = add_source(pp, path, text, len);
	inc.name = pp->cc->srcs[inc.src].name;
	inc.dir = dir_of(pp, inc.name);
	pp_tokenize(pp, &inc, text, len);
	free(text);
	pp->depth++;
	process(pp, &inc);
	pp->depth--;
}

static void do_line(struct pp *pp, struct pp_file *f, const struct pp_tok *hash, struct pp_vec *l)
{
	struct pp_vec ex = { 0 };
	long n;

	pp_expand(pp, f, l, &ex);
	if (!ex.n || ex.v[0].kind != PP_NUMBER ||
	    (n = strtol(ex.v[0].text, NULL, 10)) <= 0 || n > INT_MAX ||
	    (ex.n > 1 && (ex.n > 2 || !pp_str_complete(&ex.v[1])))) {
		pp_err(pp, f->src, hash->line, hash->col,
		       "#line expects a positive line number and an optional \"file\"");
		return;
	}
	/* Lines after it are numbered from N: shift the rest of the file. */
	{
		int delta = (int)n - (hash->line + 1);

		for (int i = f->pos; i < f->toks.n; i++)
			f->toks.v[i].line += delta;
	}
	if (ex.n > 1) {
		char *nm = dt_strndup(&pp->cc->ar, ex.v[1].text + 1, (size_t)ex.v[1].len - 2);

		f->name = nm;
		f->src = add_source(pp, nm, "", 0);
	}
	pp->osrc = -1;		/* force a marker before the next token */
}

static void do_message(struct pp *pp, struct pp_file *f, const struct pp_tok *hash,
		       const struct pp_tok *dir, struct pp_vec *l, bool error)
{
	struct pp_sbuf b = { .ar = &pp->cc->ar };

	for (int i = 0; i < l->n; i++) {
		if (i && l->v[i].space)
			pp_sb_putc(&b, ' ');
		for (int k = 0; k < l->v[i].len; k++)
			pp_sb_putc(&b, l->v[i].text[k]);
	}
	if (error)
		pp_err(pp, f->src, hash->line, hash->col, "#error %s", pp_sb_str(&b));
	else
		dt_warn(pp->cc, f->src, hash->line, hash->col, "D_PREPROC", "#%.*s %s",
			dir->len, dir->text, pp_sb_str(&b));
}

/* A directive: f->pos is at the '#'. */
void pp_directive(struct pp *pp, struct pp_file *f)
{
	const struct pp_tok *hash = &f->toks.v[f->pos++];
	const struct pp_tok *dir = NULL;
	struct pp_cond *c = cond_top(f);
	struct pp_vec l;
	bool on = cond_on(f);
	int v;

	if (f->pos < f->toks.n && !f->toks.v[f->pos].bol)
		dir = &f->toks.v[f->pos++];
	pp_directive_line(f, &l);
	if (!dir)
		return;		/* the null directive */
	if (pp_tok_is(dir, "if") || pp_tok_is(dir, "ifdef") || pp_tok_is(dir, "ifndef")) {
		if (!on) {
			cond_push(pp, f, hash, false);
			return;
		}
		if (pp_tok_is(dir, "if")) {
			v = pp_eval_if(pp, f, hash, &l);
		} else if (l.n != 1 || l.v[0].kind != PP_IDENT) {
			pp_err(pp, f->src, dir->line, dir->col, "#%.*s expects one macro name",
			       dir->len, dir->text);
			v = -1;
		} else {
			v = (pp_macro_defined(pp, &l.v[0]) != NULL) == pp_tok_is(dir, "ifdef");
		}
		cond_push(pp, f, hash, v > 0);
		return;
	}
	if (pp_tok_is(dir, "elif") || pp_tok_is(dir, "else") || pp_tok_is(dir, "endif")) {
		if (!c) {
			pp_err(pp, f->src, dir->line, dir->col, "#%.*s without #if",
			       dir->len, dir->text);
			return;
		}
		if (pp_tok_is(dir, "endif")) {
			f->nconds--;
			return;
		}
		if (c->seen_else) {
			pp_err(pp, f->src, dir->line, dir->col, "#%.*s after #else",
			       dir->len, dir->text);
			return;
		}
		if (pp_tok_is(dir, "else")) {
			c->seen_else = true;
			c->on = c->parent_on && !c->taken;
		} else {
			c->on = c->parent_on && !c->taken && pp_eval_if(pp, f, hash, &l) > 0;
		}
		c->taken |= c->on;
		return;
	}
	if (!on)
		return;		/* other directives of skipped groups are not looked at */
	if (pp_tok_is(dir, "define")) {
		pp_do_define(pp, f, hash, &l);
	} else if (pp_tok_is(dir, "undef")) {
		struct pp_macro *m;

		if (l.n != 1 || l.v[0].kind != PP_IDENT) {
			pp_err(pp, f->src, dir->line, dir->col, "#undef expects one macro name");
			return;
		}
		m = pp_macro_get(pp, l.v[0].text, l.v[0].len);
		if (m && m->builtin)
			pp_err(pp, f->src, l.v[0].line, l.v[0].col, "\"%s\" cannot be undefined", m->name);
		else if (m)
			m->defined = false;
	} else if (pp_tok_is(dir, "include")) {
		do_include(pp, f, hash, &l);
	} else if (pp_tok_is(dir, "line")) {
		do_line(pp, f, hash, &l);
	} else if (pp_tok_is(dir, "error") || pp_tok_is(dir, "warning")) {
		do_message(pp, f, hash, dir, &l, pp_tok_is(dir, "error"));
	} else if (pp_tok_is(dir, "pragma")) {
		/* passed on as written, for the compiler (#pragma D option ...) */
		struct pp_vec whole = { (struct pp_tok *)hash, (int)(l.v + l.n - hash), 0 };

		whole.cap = whole.n;
		pp_out_tokens(pp, f->src, &whole);
		pp->ofresh = false;
		pp_out_put(pp, "\n", 1);
		pp->oline++;
		pp->ofresh = true;
	} else if (pp_tok_is(dir, "ident") || pp_tok_is(dir, "sccs")) {
		/* GNU: ignored */
	} else if (dir->kind == PP_NUMBER) {	/* # 12 "file" (cpp's output): as #line */
		struct pp_vec nl = { (struct pp_tok *)dir, l.n + 1, l.n + 1 };

		do_line(pp, f, hash, &nl);
	} else {
		pp_err(pp, f->src, dir->line, dir->col, "invalid preprocessing directive #%.*s",
		       dir->len, dir->text);
	}
}

/* Text lines up to the next directive: expanded and written out. */
static void text_run(struct pp *pp, struct pp_file *f)
{
	struct pp_vec run = { &f->toks.v[f->pos], 0, 0 }, ex = { 0 };

	while (f->pos < f->toks.n &&
	       !(f->toks.v[f->pos].bol && pp_tok_is(&f->toks.v[f->pos], "#"))) {
		run.n++;
		f->pos++;
	}
	run.cap = run.n;
	if (!cond_on(f))
		return;
	pp_expand(pp, f, &run, &ex);
	pp_out_tokens(pp, f->src, &ex);
}

static void process(struct pp *pp, struct pp_file *f)
{
	while (f->pos < f->toks.n && !dt_too_many_errors(pp->cc)) {
		if (f->toks.v[f->pos].bol && pp_tok_is(&f->toks.v[f->pos], "#"))
			pp_directive(pp, f);
		else
			text_run(pp, f);
	}
	for (int i = f->nconds - 1; i >= 0; i--)
		pp_err(pp, f->conds[i].src, f->conds[i].line, 1, "unterminated #if");
	pp->osrc = -1;		/* the includer continues after a marker */
}

/* -D NAME[=VALUE] as "#define NAME VALUE" (VALUE: 1 if none). */
static void define_cmdline(struct pp *pp, const char *def)
{
	struct pp_file f = { .src = -1, .name = "<command line>", .dir = "." };
	const char *eq = strchr(def, '=');
	size_t n = strlen(def) + 16;
	char *text = dt_alloc(&pp->cc->ar, n);
	struct pp_vec l;

	if (eq)
		snprintf(text, n, "%.*s %s", (int)(eq - def), def, eq + 1);
	else
		snprintf(text, n, "%s 1", def);
	pp_tokenize(pp, &f, text, strlen(text));
	l = f.toks;
	pp_do_define(pp, &f, &(struct pp_tok){ .line = 0, .col = 0 }, &l);
}

static void predefine(struct pp *pp)
{
	static const char *const pre[] = {
		"__ktrace", "__linux", "__linux__", "__unix__", "__x86_64", "__x86_64__",
		"__amd64", "_LP64", "__LP64__", "__SUNW_D", "__SUNW_D_64",
	};
	struct pp_macro *m;

	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		define_cmdline(pp, pre[i]);
	m = pp_macro_new(pp, "__LINE__", 8);
	m->defined = true;
	m->builtin = PP_B_LINE;
	m = pp_macro_new(pp, "__FILE__", 8);
	m->defined = true;
	m->builtin = PP_B_FILE;
}

int dt_cpp(struct dt_cc *cc, int src)
{
	const struct kt_compile_opts *o = cc->opts;
	struct pp pp = { .cc = cc, .osrc = src, .oline = 1, .ocol = 1, .ofresh = true };
	struct pp_file f = { .src = src };
	int before = cc->diags ? cc->diags->nerrors : 0;

	f.name = cc->srcs[src].name;
	f.dir = (f.name[0] == '<') ? "." : dir_of(&pp, f.name);
	predefine(&pp);
	for (int i = 0; i < o->ncpp_defs; i++) {
		const char *d = o->cpp_defs[i];

		if (d[0] == 'D') {
			define_cmdline(&pp, d + 1);
		} else {
			struct pp_macro *m = pp_macro_get(&pp, d + 1, (int)strlen(d + 1));

			if (m && !m->builtin)
				m->defined = false;
		}
	}
	pp_tokenize(&pp, &f, cc->srcs[src].text, cc->srcs[src].len);
	process(&pp, &f);
	pp_out_put(&pp, "\n", 1);
	dt_hfree(&pp.macros);
	cc->srcs[src].scan = pp.out;
	cc->srcs[src].scanlen = pp.olen;
	return cc->diags && cc->diags->nerrors != before ? -1 : 0;
}
