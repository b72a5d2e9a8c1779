// SPDX-License-Identifier: GPL-2.0
/*
 * The D lexer: turns a source's bytes into tokens on demand.
 *
 * Two modes, as in DTrace: ordinary C-like tokens, and probe
 * descriptions, which are read raw (they contain ':', '*', '-' and
 * globs) when the parser expects one (dt_lex_probedesc()).  Columns are
 * 1-based byte offsets into the line.  Errors are diagnosed here and
 * yield a T_ERR token so the parser can recover; nothing here fails
 * otherwise.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "dt_impl.h"
#include "prov.h"

static const struct {
	const char	*name;
	int		tok;
} keywords[] = {
	{ "self", T_SELF }, { "this", T_THIS }, { "if", T_IF }, { "else", T_ELSE },
	{ "while", T_WHILE }, { "for", T_FOR }, { "break", T_BREAK },
	{ "continue", T_CONTINUE }, { "sizeof", T_SIZEOF }, { "stringof", T_STRINGOF },
	{ "return", T_RETURN },
	{ "char", T_CHAR }, { "short", T_SHORT }, { "int", T_INT_KW }, { "long", T_LONG },
	{ "signed", T_SIGNED }, { "unsigned", T_UNSIGNED }, { "void", T_VOID },
	{ "string", T_STRING_KW }, { "struct", T_STRUCT }, { "const", T_CONST },
	{ "volatile", T_VOLATILE }, { "static", T_STATIC }, { "extern", T_EXTERN },
	{ "union", T_UNION }, { "enum", T_ENUM }, { "typedef", T_TYPEDEF },
	{ "inline", T_INLINE }, { "translator", T_TRANSLATOR }, { "xlate", T_XLATE },
	{ "offsetof", T_OFFSETOF },
};

/* Integer typedefs D knows (size, signedness). */
static const struct {
	const char	*name;
	int		size;
	bool		sign;
} typedefs[] = {
	{ "int8_t", 1, true }, { "int16_t", 2, true }, { "int32_t", 4, true },
	{ "int64_t", 8, true }, { "uint8_t", 1, false }, { "uint16_t", 2, false },
	{ "uint32_t", 4, false }, { "uint64_t", 8, false }, { "intptr_t", 8, true },
	{ "uintptr_t", 8, false }, { "size_t", 8, false }, { "ssize_t", 8, true },
	{ "off_t", 8, true }, { "pid_t", 4, true }, { "tid_t", 4, true },
	{ "id_t", 4, true }, { "uid_t", 4, false }, { "gid_t", 4, false },
	{ "processorid_t", 4, true }, { "caddr_t", 8, false }, { "uchar_t", 1, false },
	{ "ushort_t", 2, false }, { "uint_t", 4, false }, { "ulong_t", 8, false },
	{ "u_longlong_t", 8, false }, { "longlong_t", 8, true }, { "hrtime_t", 8, true },
	{ "dev_t", 4, false }, { "mode_t", 4, false }, { "time_t", 8, true },
	{ "u8", 1, false }, { "u16", 2, false }, { "u32", 4, false }, { "u64", 8, false },
	{ "s8", 1, true }, { "s16", 2, true }, { "s32", 4, true }, { "s64", 8, true },
	{ "bool", 1, false }, { "_Bool", 1, false },
	/* the kernel's own short names (linux/types.h, asm-generic/int-ll64.h) */
	{ "uint", 4, false }, { "ushort", 2, false }, { "ulong", 8, false },
	{ "unchar", 1, false }, { "u_char", 1, false }, { "u_short", 2, false },
	{ "u_int", 4, false }, { "u_long", 8, false },
	{ "__u8", 1, false }, { "__u16", 2, false }, { "__u32", 4, false },
	{ "__u64", 8, false }, { "__s8", 1, true }, { "__s16", 2, true },
	{ "__s32", 4, true }, { "__s64", 8, true },
};

bool dt_typedef_lookup(const char *name, int *size, bool *sign);

bool dt_typedef_lookup(const char *name, int *size, bool *sign)
{
	for (size_t i = 0; i < sizeof(typedefs) / sizeof(typedefs[0]); i++)
		if (name[0] == typedefs[i].name[0] && !strcmp(name, typedefs[i].name)) {
			*size = typedefs[i].size;
			*sign = typedefs[i].sign;
			return true;
		}
	return false;
}

/* NAME is a type declared by typedef in the compilation (dt_decl.c fills the table) */
bool dt_usertype_lookup(struct dt_cc *cc, const char *name)
{
	return cc && dt_hget(&cc->typedefs, name, (uint32_t)strlen(name));
}

/*
 * NAME (ending in _t) is a kernel typedef of a struct or union.  Only a
 * program's own sources ask: a library declares every type it uses, and
 * compiling one must not load the kernel's types (a `BEGIN { exit(0); }`
 * never reads BTF).
 */
bool dt_ktypedef_lookup(struct dt_cc *cc, int src, const char *name)
{
	size_t n = strlen(name);
	struct dt_btf *b;

	if (!cc || n < 3 || strcmp(name + n - 2, "_t") || !cc->opts->btf_path ||
	    (src >= 0 && src < cc->nsrcs && cc->srcs[src].lib))
		return false;
	b = dt_btf_try(cc);
	return b && dt_btf_typedef_struct(b, name);
}

const char *dt_tok_name(int kind)
{
	static const char *const punct[] = {
		[T_EOF] = "end of input", [T_ERR] = "invalid token", [T_INT] = "integer",
		[T_STR] = "string", [T_CHR] = "character constant", [T_IDENT] = "identifier",
		[T_MACRO] = "macro argument", [T_AGG] = "aggregation", [T_KSYM] = "`symbol",
		[T_LPAREN] = "(", [T_RPAREN] = ")", [T_LBRACK] = "[", [T_RBRACK] = "]",
		[T_LBRACE] = "{", [T_RBRACE] = "}", [T_COMMA] = ",", [T_SEMI] = ";",
		[T_COLON] = ":", [T_QUEST] = "?", [T_DOT] = ".", [T_ARROW] = "->",
		[T_PLUS] = "+", [T_MINUS] = "-", [T_STAR] = "*", [T_SLASH] = "/",
		[T_PERCENT] = "%", [T_AMP] = "&", [T_PIPE] = "|", [T_CARET] = "^",
		[T_TILDE] = "~", [T_BANG] = "!", [T_LT] = "<", [T_GT] = ">", [T_LE] = "<=",
		[T_GE] = ">=", [T_EQ] = "==", [T_NE] = "!=", [T_SHL] = "<<", [T_SHR] = ">>",
		[T_LAND] = "&&", [T_LOR] = "||", [T_LXOR] = "^^", [T_INC] = "++",
		[T_DEC] = "--", [T_ASSIGN] = "=", [T_ADD_EQ] = "+=", [T_SUB_EQ] = "-=",
		[T_MUL_EQ] = "*=", [T_DIV_EQ] = "/=", [T_MOD_EQ] = "%=", [T_AND_EQ] = "&=",
		[T_OR_EQ] = "|=", [T_XOR_EQ] = "^=", [T_SHL_EQ] = "<<=", [T_SHR_EQ] = ">>=",
		[T_TYPEDEF_NAME] = "type name", [T_PRAGMA] = "#pragma",
	};

	if (kind >= T_KW_FIRST && kind < T_TYPEDEF_NAME) {
		for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
			if (keywords[i].tok == kind)
				return keywords[i].name;
	}
	if (kind >= 0 && kind < (int)(sizeof(punct) / sizeof(punct[0])) && punct[kind])
		return punct[kind];
	return "token";
}

void dt_lex_init(struct dt_lexer *lx, struct dt_cc *cc, int src)
{
	memset(lx, 0, sizeof(*lx));
	lx->cc = cc;
	lx->src = src;
	lx->s = cc->srcs[src].scan;
	lx->len = cc->srcs[src].scanlen;
	lx->line = 1;
	lx->tok.kind = T_EOF;
}

static int cur_col(const struct dt_lexer *lx, size_t pos)
{
	return (int)(pos - lx->linestart) + 1;
}

static void lerr(struct dt_lexer *lx, size_t pos, const char *tag, const char *msg, ...)
	__attribute__((format(printf, 4, 5)));

static void lerr(struct dt_lexer *lx, size_t pos, const char *tag, const char *msg, ...)
{
	char buf[512];
	va_list ap;

	if (lx->quiet)
		return;
	va_start(ap, msg);
	vsnprintf(buf, sizeof(buf), msg, ap);
	va_end(ap);
	dt_error(lx->cc, lx->src, lx->line, cur_col(lx, pos), tag, "%s", buf);
}

static int peekc(const struct dt_lexer *lx, size_t off)
{
	size_t p = lx->pos + off;

	return p < lx->len ? (unsigned char)lx->s[p] : -1;
}

static void newline(struct dt_lexer *lx)
{
	lx->line++;
	lx->linestart = lx->pos;
}

/* Skip white space and comments.  Returns true at EOF. */
/*
 * At a line start: a line marker "#line N "FILE"" or "# N "FILE"" (what
 * the preprocessor writes, or a user's #line): the next line is line N
 * of FILE (a source of cc->srcs; another name keeps the current source).
 * Consumes the marker up to its newline; false (nothing consumed) if
 * there is none here.
 */
static bool lex_line_marker(struct dt_lexer *lx)
{
	const char *p = lx->s + lx->pos, *e = lx->s + lx->len, *q;
	long n = 0;

	if (p >= e || *p != '#')
		return false;
	for (size_t i = lx->linestart; i < lx->pos; i++)	/* only blanks before it */
		if (lx->s[i] != ' ' && lx->s[i] != '\t')
			return false;
	for (p++; p < e && (*p == ' ' || *p == '\t'); p++)
		;
	if (e - p > 4 && !strncmp(p, "line", 4) && (p[4] == ' ' || p[4] == '\t'))
		for (p += 4; p < e && (*p == ' ' || *p == '\t'); p++)
			;
	if (p >= e || *p < '0' || *p > '9')
		return false;
	for (; p < e && *p >= '0' && *p <= '9' && n < 100000000; p++)
		n = n * 10 + (*p - '0');
	for (; p < e && (*p == ' ' || *p == '\t'); p++)
		;
	if (p < e && *p == '"') {
		char name[4096];
		size_t k = 0;

		for (q = p + 1; q < e && *q != '"' && *q != '\n' && k < sizeof(name) - 1; q++) {
			if (*q == '\\' && q + 1 < e && q[1] != '\n')
				q++;
			name[k++] = *q;
		}
		name[k] = '\0';
		for (int i = 0; i < lx->cc->nsrcs; i++)
			if (!strcmp(lx->cc->srcs[i].name, name)) {
				lx->src = i;
				break;
			}
	}
	while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
		lx->pos++;
	lx->line = (int)n - 1;	/* the newline makes it N */
	return true;
}

bool dt_lex_skip_space(struct dt_lexer *lx)
{
	for (;;) {
		int c = peekc(lx, 0);

		if (c < 0)
			return true;
		if (c == '#' && lex_line_marker(lx))
			continue;
		if (c == '\n') {
			lx->pos++;
			newline(lx);
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			lx->pos++;
		} else if (c == '/' && peekc(lx, 1) == '*') {
			size_t start = lx->pos;
			int sl = lx->line;
			size_t sls = lx->linestart;

			lx->pos += 2;
			for (;;) {
				c = peekc(lx, 0);
				if (c < 0) {
					dt_error(lx->cc, lx->src, sl, (int)(start - sls) + 1,
						 "D_SYNTAX", "end-of-file encountered before matching */");
					return true;
				}
				lx->pos++;
				if (c == '\n')
					newline(lx);
				else if (c == '*' && peekc(lx, 0) == '/') {
					lx->pos++;
					break;
				}
			}
		} else if (c == '/' && peekc(lx, 1) == '/') {
			while (peekc(lx, 0) >= 0 && peekc(lx, 0) != '\n')
				lx->pos++;
		} else {
			return false;
		}
	}
}

/*
 * An escape DTrace does not decode stays as it is written, backslash
 * included: lex_escape() returns it as KEEP_ESC | the character.
 */
#define KEEP_ESC	0x100

/*
 * Decode one escape after a backslash at lx->pos (which points past '\'):
 * C's, but for \' and \? which, as any escape DTrace does not know, keep
 * their backslash (DTrace's '\'' is 0x5c27, "\?" two characters).
 */
static int lex_escape(struct dt_lexer *lx)
{
	int c = peekc(lx, 0);
	int v = 0, n = 0;

	lx->pos++;
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'a': return '\a';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'v': return '\v';
	case '\\': return '\\';
	case '"': return '"';
	case '\'':
	case '?':
		return KEEP_ESC | c;
	case 'x':
		while (n < 2 && isxdigit(peekc(lx, 0))) {
			int d = peekc(lx, 0);

			v = v * 16 + (isdigit(d) ? d - '0' : (tolower(d) - 'a' + 10));
			lx->pos++;
			n++;
		}
		if (!n)
			lerr(lx, lx->pos - 2, "D_STR_ESC", "\\x used with no following hex digits");
		return v;
	default:
		if (c >= '0' && c <= '7') {
			v = c - '0';
			while (n < 2 && peekc(lx, 0) >= '0' && peekc(lx, 0) <= '7') {
				v = v * 8 + (peekc(lx, 0) - '0');
				lx->pos++;
				n++;
			}
			return v & 0xff;
		}
		if (c < 0) {
			lx->pos--;
			return 0;
		}
		dt_warn(lx->cc, lx->src, lx->line, cur_col(lx, lx->pos - 2), "D_STR_ESC",
			"unknown escape sequence \\%c (kept as written)", isprint(c) ? c : '?');
		return KEEP_ESC | c;
	}
}

static void lex_string(struct dt_lexer *lx, struct dt_token *t)
{
	size_t cap = 32, n = 0;
	char *buf = malloc(cap);
	size_t start = lx->pos;

	lx->pos++;	/* opening quote */
	for (;;) {
		int c = peekc(lx, 0);

		if (c < 0 || c == '\n') {
			lerr(lx, start, "D_STR_NL", "newline encountered in string literal");
			t->kind = T_ERR;
			break;
		}
		lx->pos++;
		if (c == '"') {
			t->kind = T_STR;
			break;
		}
		if (c == '\\') {
			if (peekc(lx, 0) == '\n') {	/* line continuation */
				lx->pos++;
				newline(lx);
				continue;
			}
			c = lex_escape(lx);
		}
		if (buf && n + 2 >= cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				buf = NULL;
			} else {
				buf = nb;
				cap *= 2;
			}
		}
		if (buf && (c & KEEP_ESC))
			buf[n++] = '\\';
		if (buf)
			buf[n++] = (char)c;
	}
	if (!buf)
		longjmp(lx->cc->oom_jmp, 1);
	t->sval = dt_strndup(&lx->cc->ar, buf, n);
	t->slen = (uint32_t)n;
	free(buf);
}

static void lex_char(struct dt_lexer *lx, struct dt_token *t)
{
	size_t start = lx->pos;
	int64_t v = 0;
	int n = 0;

	lx->pos++;
	for (;;) {
		int c = peekc(lx, 0);

		if (c < 0 || c == '\n') {
			lerr(lx, start, "D_CHR_NL", "newline encountered in character constant");
			t->kind = T_ERR;
			return;
		}
		lx->pos++;
		if (c == '\'')
			break;
		if (c == '\\')
			c = lex_escape(lx);
		if (c & KEEP_ESC) {
			v = (int64_t)(((uint64_t)v << 8) | '\\');
			n++;
		}
		v = (int64_t)(((uint64_t)v << 8) | (uint64_t)(c & 0xff));
		n++;
	}
	if (n == 0) {
		lerr(lx, start, "D_CHR_NULL", "empty character constant");
		t->kind = T_ERR;
		return;
	}
	if (n > 8) {
		lerr(lx, start, "D_CHR_TOOBIG", "character constant is too long");
		t->kind = T_ERR;
		return;
	}
	t->kind = T_CHR;
	/* a one-character constant is a (signed) char value; more than 4 a long */
	t->ival = n == 1 ? (int64_t)(int8_t)v : v;
	t->islong = n > 4;
}

static void lex_number(struct dt_lexer *lx, struct dt_token *t)
{
	size_t start = lx->pos;
	uint64_t v = 0;
	int base = 10;
	bool overflow = false, any = false;

	if (peekc(lx, 0) == '0' && (peekc(lx, 1) == 'x' || peekc(lx, 1) == 'X')) {
		base = 16;
		lx->pos += 2;
	} else if (peekc(lx, 0) == '0') {
		base = 8;
	}
	for (;;) {
		int c = peekc(lx, 0), d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && isxdigit(c))
			d = tolower(c) - 'a' + 10;
		else
			break;
		if (d >= base) {
			lerr(lx, lx->pos, "D_INT_DIGIT", "invalid digit '%c' in octal constant", c);
			while (isalnum(peekc(lx, 0)) || peekc(lx, 0) == '_')
				lx->pos++;
			t->kind = T_ERR;
			return;
		}
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			overflow = true;
		v = v * (uint64_t)base + (uint64_t)d;
		any = true;
		lx->pos++;
	}
	if (base == 16 && !any) {
		lerr(lx, start, "D_INT_DIGIT", "invalid hexadecimal constant: no digits after 0x");
		t->kind = T_ERR;
		return;
	}
	/* suffixes */
	for (;;) {
		int c = peekc(lx, 0);

		if (c == 'u' || c == 'U')
			t->isunsigned = true;
		else if (c == 'l' || c == 'L')
			t->islong = true;
		else
			break;
		lx->pos++;
	}
	if (isalnum(peekc(lx, 0)) || peekc(lx, 0) == '_' || peekc(lx, 0) == '.') {
		int c = peekc(lx, 0);

		lerr(lx, lx->pos, "D_INT_DIGIT", "invalid digit '%c' in %s constant", c,
		     base == 16 ? "hexadecimal" : base == 8 ? "octal" : "decimal");
		while (isalnum(peekc(lx, 0)) || peekc(lx, 0) == '_' || peekc(lx, 0) == '.')
			lx->pos++;
		t->kind = T_ERR;
		return;
	}
	if (overflow) {
		lerr(lx, start, "D_INT_OFLOW", "integer constant %.*s results in overflow",
		     (int)(lx->pos - start > 64 ? 64 : lx->pos - start), lx->s + start);
		t->kind = T_ERR;
		return;
	}
	t->kind = T_INT;
	t->ival = (int64_t)v;
	if (v > INT64_MAX)
		t->isunsigned = t->islong = true;
	else if (v > (t->isunsigned || base != 10 ? UINT32_MAX : INT32_MAX))
		t->islong = true;
}

static bool is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static bool is_ident(int c)
{
	return isalnum(c) || c == '_';
}

static void lex_word(struct dt_lexer *lx, struct dt_token *t)
{
	size_t start = lx->pos;
	int sz;
	bool sg;

	while (is_ident(peekc(lx, 0)))
		lx->pos++;
	t->sval = dt_strndup(&lx->cc->ar, lx->s + start, lx->pos - start);
	t->slen = (uint32_t)(lx->pos - start);
	t->kind = T_IDENT;
	/* the first byte first: every identifier of a program is looked up here */
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (t->sval[0] == keywords[i].name[0] && !strcmp(t->sval, keywords[i].name)) {
			t->kind = keywords[i].tok;
			return;
		}
	if (dt_typedef_lookup(t->sval, &sz, &sg) || dt_usertype_lookup(lx->cc, t->sval) ||
	    dt_ktypedef_lookup(lx->cc, lx->src, t->sval))
		t->kind = T_TYPEDEF_NAME;
}

struct oprec {
	const char	*s;
	int		tok;
};

static const struct oprec ops[] = {
	{ "<<=", T_SHL_EQ }, { ">>=", T_SHR_EQ },
	{ "->", T_ARROW }, { "++", T_INC }, { "--", T_DEC }, { "&&", T_LAND },
	{ "||", T_LOR }, { "^^", T_LXOR }, { "<=", T_LE }, { ">=", T_GE },
	{ "==", T_EQ }, { "!=", T_NE }, { "<<", T_SHL }, { ">>", T_SHR },
	{ "+=", T_ADD_EQ }, { "-=", T_SUB_EQ }, { "*=", T_MUL_EQ }, { "/=", T_DIV_EQ },
	{ "%=", T_MOD_EQ }, { "&=", T_AND_EQ }, { "|=", T_OR_EQ }, { "^=", T_XOR_EQ },
	{ "(", T_LPAREN }, { ")", T_RPAREN }, { "[", T_LBRACK }, { "]", T_RBRACK },
	{ "{", T_LBRACE }, { "}", T_RBRACE }, { ",", T_COMMA }, { ";", T_SEMI },
	{ ":", T_COLON }, { "?", T_QUEST }, { ".", T_DOT }, { "+", T_PLUS },
	{ "-", T_MINUS }, { "*", T_STAR }, { "/", T_SLASH }, { "%", T_PERCENT },
	{ "&", T_AMP }, { "|", T_PIPE }, { "^", T_CARET }, { "~", T_TILDE },
	{ "!", T_BANG }, { "<", T_LT }, { ">", T_GT }, { "=", T_ASSIGN },
};

/* At line start (only spaces before): '#' directives. */
static bool at_line_start(const struct dt_lexer *lx)
{
	for (size_t p = lx->linestart; p < lx->pos; p++)
		if (lx->s[p] != ' ' && lx->s[p] != '\t')
			return false;
	return true;
}

static void lex_scan(struct dt_lexer *lx, struct dt_token *t)
{
	int c;

again:
	memset(t, 0, sizeof(*t));
	if (dt_lex_skip_space(lx)) {
		t->kind = T_EOF;
		t->src = lx->src;
		t->line = lx->line;
		t->col = cur_col(lx, lx->pos);
		t->pos = (uint32_t)lx->pos;
		return;
	}
	t->src = lx->src;
	t->line = lx->line;
	t->col = cur_col(lx, lx->pos);
	t->pos = (uint32_t)lx->pos;
	c = peekc(lx, 0);

	if (c == '#' && at_line_start(lx)) {
		size_t start = lx->pos, e;

		while (peekc(lx, 0) >= 0 && peekc(lx, 0) != '\n')
			lx->pos++;
		e = lx->pos;
		if (lx->line == 1 && start == 0 && e > 1 && lx->s[1] == '!')
			goto again;	/* #!/usr/sbin/ktrace -s */
		{
			const char *p = lx->s + start + 1;

			while (p < lx->s + e && (*p == ' ' || *p == '\t'))
				p++;
			if ((size_t)(lx->s + e - p) >= 6 && !strncmp(p, "pragma", 6)) {
				/* as DTrace's lexer: a #pragma line ends with its newline */
				if (peekc(lx, 0) < 0)
					dt_error(lx->cc, lx->src, t->line, t->col, "D_PRAGMA_MALFORM",
						 "end of file encountered in #pragma: end the line with a newline");
				t->kind = T_PRAGMA;
				p += 6;
				t->sval = dt_strndup(&lx->cc->ar, p, (size_t)(lx->s + e - p));
				t->slen = (uint32_t)strlen(t->sval);
				return;
			}
			size_t n = 0;

			while (p + n < lx->s + e && isalpha((unsigned char)p[n]))
				n++;
			if (n == 4 && !strncmp(p, "line", 4))
				dt_error(lx->cc, lx->src, t->line, t->col, "D_PREPROC",
					 "#line expects a line number and an optional \"file\"");
			else
				dt_error(lx->cc, lx->src, t->line, t->col, "D_PREPROC",
					 "#%.*s needs the C preprocessor (ktrace -C); without it only #pragma and #line are understood",
					 (int)(n ? n : 1), n ? p : "#");
		}
		goto again;
	}
	if (is_ident_start(c)) {
		lex_word(lx, t);
		return;
	}
	if (isdigit(c)) {
		lex_number(lx, t);
		return;
	}
	if (c == '"') {
		lex_string(lx, t);
		return;
	}
	if (c == '\'') {
		lex_char(lx, t);
		return;
	}
	if (c == '$') {
		size_t start;

		lx->pos++;
		if (peekc(lx, 0) == '$') {
			t->dollar2 = true;
			lx->pos++;
		}
		start = lx->pos;
		while (is_ident(peekc(lx, 0)))
			lx->pos++;
		if (lx->pos == start) {
			lerr(lx, t->pos, "D_MACRO_NAME", "invalid macro argument reference: $");
			t->kind = T_ERR;
			return;
		}
		t->kind = T_MACRO;
		t->sval = dt_strndup(&lx->cc->ar, lx->s + start, lx->pos - start);
		t->slen = (uint32_t)(lx->pos - start);
		return;
	}
	if (c == '@') {
		size_t start;

		lx->pos++;
		start = lx->pos;
		while (is_ident(peekc(lx, 0)))
			lx->pos++;
		t->kind = T_AGG;
		t->sval = dt_strndup(&lx->cc->ar, lx->s + start, lx->pos - start);
		t->slen = (uint32_t)(lx->pos - start);
		return;
	}
	if (c == '`') {
		size_t start;

		lx->pos++;
		start = lx->pos;
		while (is_ident(peekc(lx, 0)) || peekc(lx, 0) == '.' || peekc(lx, 0) == '`')
			lx->pos++;
		t->kind = T_KSYM;
		t->sval = dt_strndup(&lx->cc->ar, lx->s + start, lx->pos - start);
		t->slen = (uint32_t)(lx->pos - start);
		return;
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n;

		if (ops[i].s[0] != c)
			continue;
		n = strlen(ops[i].s);
		if (lx->pos + n <= lx->len && !memcmp(lx->s + lx->pos, ops[i].s, n)) {
			lx->pos += n;
			t->kind = ops[i].tok;
			return;
		}
	}
	if (isprint(c))
		lerr(lx, lx->pos, "D_SYNTAX", "invalid input character '%c'", c);
	else
		lerr(lx, lx->pos, "D_SYNTAX", "invalid input character (byte 0x%02x)", c);
	lx->pos++;
	t->kind = T_ERR;
}

void dt_lex_next(struct dt_lexer *lx)
{
	if (lx->npeek) {
		lx->tok = lx->peek[0];
		lx->peek[0] = lx->peek[1];
		lx->npeek--;
		return;
	}
	lex_scan(lx, &lx->tok);
}

const struct dt_token *dt_lex_peek(struct dt_lexer *lx, int n)
{
	if (n < 1)
		n = 1;
	if (n > 2)
		n = 2;
	while (lx->npeek < n) {
		lex_scan(lx, &lx->peek[lx->npeek]);
		lx->npeek++;
	}
	return &lx->peek[n - 1];
}

/* Re-position the raw reader at the current token's start. */
void dt_lex_rewind(struct dt_lexer *lx)
{
	size_t p = lx->tok.pos;
	size_t ls = p;

	while (ls > 0 && lx->s[ls - 1] != '\n')
		ls--;
	lx->pos = p;
	lx->src = lx->tok.src;
	lx->line = lx->tok.line;
	lx->linestart = ls;
	lx->npeek = 0;
}

/* Re-position the raw reader right after the current token. */
void dt_lex_resync(struct dt_lexer *lx)
{
	struct dt_token t = lx->tok, tmp;

	if (!lx->npeek)
		return;
	dt_lex_rewind(lx);
	if (t.kind != T_EOF && t.kind != T_ERR)
		lex_scan(lx, &tmp);
	lx->tok = t;
}

static bool is_desc_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.' || c == '*' || c == '?' ||
	       c == '[' || c == ']' || c == '!' || c == ':' || c == '$' || c == '`' ||
	       c == '+' || c == '~' || c == '^' || c == '\\' || c == '#';
}

/*
 * A '/' inside the module field of a provider whose module is a path
 * (uprobe:PATH:FUNCTION:NAME, usdt:PATH:PROVIDER:NAME) is part of the
 * path (elsewhere it opens a predicate).
 */
static bool desc_path_char(struct dt_lexer *lx, size_t start)
{
	const char *d = lx->s + start, *c;
	const struct kt_provider *p;
	size_t n = lx->pos - start;

	if (peekc(lx, 0) != '/')
		return false;
	/* in the module field: one ':' so far */
	c = memchr(d, ':', n);
	if (!c || memchr(c + 1, ':', n - (size_t)(c + 1 - d)))
		return false;
	p = kt_prov_find(d, c - d);
	return p && (p->flags & KT_PROV_PATH);
}

/*
 * Read one probe description at the raw position.  Returns false (with
 * nothing consumed) when no description starts here.
 */
bool dt_lex_probedesc(struct dt_lexer *lx, char **out, int *line, int *col)
{
	size_t start;

	lx->npeek = 0;
	if (dt_lex_skip_space(lx))
		return false;
	start = lx->pos;
	*line = lx->line;
	*col = cur_col(lx, lx->pos);
	while (peekc(lx, 0) >= 0 &&
	       (is_desc_char(peekc(lx, 0)) || desc_path_char(lx, start))) {
		if (peekc(lx, 0) == '\\' && peekc(lx, 1) >= 0)
			lx->pos++;
		else if (peekc(lx, 0) == '[') {
			/* a glob class may contain anything up to ']' */
			size_t p = lx->pos + 1;

			while (p < lx->len && lx->s[p] != ']' && lx->s[p] != '\n')
				p++;
			if (p < lx->len && lx->s[p] == ']')
				lx->pos = p;
		}
		lx->pos++;
	}
	if (lx->pos == start)
		return false;
	*out = dt_strndup(&lx->cc->ar, lx->s + start, lx->pos - start);
	return true;
}
