/* reread-text.c - buffers, input text and scalar resolution for gws-reread */
/* SPDX-License-Identifier: MIT */

#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reread.h"

/* ---- memory and strings ---- */

void *gws_rr_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs(GWS_RR_PROG ": out of memory\n", stderr);
		exit(1);
	}
	return p;
}

void *gws_rr_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return arr;
	while (*cap < need)
		*cap = *cap ? *cap * 2 : 16;
	return gws_rr_realloc(arr, *cap * size);
}

void gws_rr_buf_add(struct gws_rr_buf *b, const char *p, size_t n)
{
	b->s = gws_rr_grow(b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void gws_rr_buf_adds(struct gws_rr_buf *b, const char *s)
{
	gws_rr_buf_add(b, s, strlen(s));
}

void gws_rr_buf_addf(struct gws_rr_buf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		fputs(GWS_RR_PROG ": internal error: text too long\n", stderr);
		exit(1);
	}
	gws_rr_buf_add(b, tmp, (size_t)n);
}

/* add_quoted() - add @p as a JSON string: quotes, escapes for " \ and C0 */
static void add_quoted(struct gws_rr_buf *b, const char *p, size_t n)
{
	size_t i;

	gws_rr_buf_adds(b, "\"");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '"' || c == '\\')
			gws_rr_buf_addf(b, "\\%c", c);
		else if (c == '\n')
			gws_rr_buf_adds(b, "\\n");
		else if (c == '\t')
			gws_rr_buf_adds(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			gws_rr_buf_addf(b, "\\u%04x", c);
		else
			gws_rr_buf_add(b, (const char *)&p[i], 1);
	}
	gws_rr_buf_adds(b, "\"");
}

char *gws_rr_buf_detach(struct gws_rr_buf *b)
{
	char *s = b->s;

	if (!s) {
		s = gws_rr_realloc(NULL, 1);
		s[0] = '\0';
	}
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

/* ---- scalar resolution ---- */

enum type { T_STR, T_NULL, T_BOOL, T_INT, T_FLOAT, T_TIMESTAMP, T_MERGE,
	    T_VALUE };

struct pattern {
	const char *re;
	enum type type;
};

/* YAML 1.2.2 section 10.3.2, the core schema */
static const struct pattern yaml12_patterns[] = {
	{ "^(~|null|Null|NULL|)$", T_NULL },
	{ "^(true|True|TRUE|false|False|FALSE)$", T_BOOL },
	{ "^[-+]?[0-9]+$", T_INT },
	{ "^0o[0-7]+$", T_INT },
	{ "^0x[0-9a-fA-F]+$", T_INT },
	{ "^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$", T_FLOAT },
	{ "^[-+]?\\.(inf|Inf|INF)$", T_FLOAT },
	{ "^\\.(nan|NaN|NAN)$", T_FLOAT },
};

/*
 * The YAML 1.1 types (yaml.org/type/), plus 0o octal and the Go float
 * form (1e3, 08) that go-yaml resolves: any string a YAML 1.1 reader may
 * take for something else is flagged.
 */
static const struct pattern yaml11_patterns[] = {
	{ "^(~|null|Null|NULL|)$", T_NULL },
	{ "^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
	  "|on|On|ON|off|Off|OFF)$", T_BOOL },
	{ "^[-+]?0b[01_]+$", T_INT },
	{ "^[-+]?0o?[0-7_]+$", T_INT },
	{ "^[-+]?(0|[1-9][0-9_]*)$", T_INT },
	{ "^[-+]?0x[0-9a-fA-F_]+$", T_INT },
	{ "^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+$", T_INT },
	{ "^[-+]?[0-9][0-9_]*\\.[0-9_]*([eE][-+][0-9]+)?$", T_FLOAT },
	{ "^[-+]?\\.[0-9_]+([eE][-+][0-9]+)?$", T_FLOAT },
	{ "^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$", T_FLOAT },
	{ "^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*$", T_FLOAT },
	{ "^[-+]?\\.(inf|Inf|INF)$", T_FLOAT },
	{ "^\\.(nan|NaN|NAN)$", T_FLOAT },
	{ "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", T_TIMESTAMP },
	{ "^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}"
	  ":[0-9]{2}(\\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?$",
	  T_TIMESTAMP },
	{ "^<<$", T_MERGE },
	{ "^=$", T_VALUE },
};

#define N12 (sizeof(yaml12_patterns) / sizeof(yaml12_patterns[0]))
#define N11 (sizeof(yaml11_patterns) / sizeof(yaml11_patterns[0]))

static regex_t yaml12_rx[N12];
static regex_t yaml11_rx[N11];
static bool rx_ready;

static void compile_table(const struct pattern *p, regex_t *rx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (regcomp(&rx[i], p[i].re, REG_EXTENDED | REG_NOSUB) != 0) {
			fprintf(stderr, GWS_RR_PROG ": internal error: "
				"bad regex '%s'\n", p[i].re);
			exit(1);
		}
	}
}

void gws_rr_scalar_init(void)
{
	if (rx_ready)
		return;
	compile_table(yaml12_patterns, yaml12_rx, N12);
	compile_table(yaml11_patterns, yaml11_rx, N11);
	rx_ready = true;
}

void gws_rr_scalar_release(void)
{
	size_t i;

	if (!rx_ready)
		return;
	for (i = 0; i < N12; i++)
		regfree(&yaml12_rx[i]);
	for (i = 0; i < N11; i++)
		regfree(&yaml11_rx[i]);
	rx_ready = false;
}

static enum type classify(int version, const char *s)
{
	const struct pattern *p = version == 11 ? yaml11_patterns
						: yaml12_patterns;
	regex_t *rx = version == 11 ? yaml11_rx : yaml12_rx;
	size_t i, n = version == 11 ? N11 : N12;

	for (i = 0; i < n; i++)
		if (regexec(&rx[i], s, 0, NULL, 0) == 0)
			return p[i].type;
	return T_STR;
}

/* strip_number() - copy of @s without sign and '_'; caller frees */
static char *strip_number(const char *s, bool *neg)
{
	char *d = gws_rr_realloc(NULL, strlen(s) + 1), *o = d;

	*neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	for (; *s; s++)
		if (*s != '_')
			*o++ = *s;
	*o = '\0';
	return d;
}

/* base 60: "1:20" is 80; the last part may be a float ("1:20.5") */
static bool sexagesimal(const char *s, double *out)
{
	double v = 0;
	char *end = NULL;

	for (;;) {
		double part;

		errno = 0;
		part = strtod(s, &end);
		if (errno || end == s)
			return false;
		v = v * 60 + part;
		if (*end != ':')
			break;
		s = end + 1;
	}
	*out = v;
	return *end == '\0';
}

static bool parse_uint(const char *c, bool yaml11, unsigned long long *v)
{
	const char *d = c;
	char *end = NULL;
	int base = 10;

	if (c[0] == '0' && (c[1] == 'x' || c[1] == 'b' || c[1] == 'o')) {
		base = c[1] == 'x' ? 16 : c[1] == 'b' ? 2 : 8;
		d = c + 2;
	} else if (yaml11 && c[0] == '0' && c[1]) {
		base = 8;
		d = c + 1;
	}
	errno = 0;
	*v = strtoull(d, &end, base);
	return errno == 0 && end != d && *end == '\0';
}

static void render_int(struct gws_rr_buf *b, const char *s, bool yaml11)
{
	bool neg, ok;
	char *c = strip_number(s, &neg);
	unsigned long long v = 0;

	if (strchr(c, ':')) {
		double d = 0;

		ok = sexagesimal(c, &d) && d < 9e15;
		v = (unsigned long long)d;
	} else {
		ok = parse_uint(c, yaml11, &v);
	}
	if (ok)
		gws_rr_buf_addf(b, "int %s%llu", neg && v ? "-" : "", v);
	else
		gws_rr_buf_addf(b, "int %s%.80s (out of range)",
				neg ? "-" : "", c);
	free(c);
}

/* shortest "%.Ng" that reads back as @d */
static void render_double(struct gws_rr_buf *b, double d)
{
	char tmp[64];
	int prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
	gws_rr_buf_addf(b, "float %s", tmp);
}

static void render_float(struct gws_rr_buf *b, const char *s)
{
	bool neg;
	char *c;
	double d = 0;

	if (strstr(s, "inf") || strstr(s, "Inf") || strstr(s, "INF")) {
		gws_rr_buf_adds(b, *s == '-' ? "float -.inf" : "float .inf");
		return;
	}
	if (strstr(s, "nan") || strstr(s, "NaN") || strstr(s, "NAN")) {
		gws_rr_buf_adds(b, "float .nan");
		return;
	}
	c = strip_number(s, &neg);
	if (!strchr(c, ':') || !sexagesimal(c, &d))
		d = strtod(c, NULL);
	free(c);
	render_double(b, neg ? -d : d);
}

static bool truthy(const char *s)
{
	return s[0] == 'y' || s[0] == 'Y' || s[0] == 't' || s[0] == 'T' ||
	       ((s[0] == 'o' || s[0] == 'O') && (s[1] == 'n' || s[1] == 'N'));
}

/* gws_rr_scalar() - see reread.h; quoted and tagged scalars are strings */
char *gws_rr_scalar(int version, const char *s, size_t n, bool plain,
		    const char *tag)
{
	struct gws_rr_buf b = { 0 };
	char *z;

	if (tag && strcmp(tag, "!") != 0 && strcmp(tag, GWS_RR_TAG_STR) != 0) {
		gws_rr_buf_addf(&b, "tagged %.100s ", tag);
		add_quoted(&b, s, n);
		return gws_rr_buf_detach(&b);
	}
	if (tag || !plain || memchr(s, '\0', n)) {
		gws_rr_buf_adds(&b, "str ");
		add_quoted(&b, s, n);
		return gws_rr_buf_detach(&b);
	}
	z = gws_rr_realloc(NULL, n + 1);
	memcpy(z, s, n);
	z[n] = '\0';
	switch (classify(version, z)) {
	case T_NULL:
		gws_rr_buf_adds(&b, "null");
		break;
	case T_BOOL:
		gws_rr_buf_adds(&b, truthy(z) ? "bool true" : "bool false");
		break;
	case T_INT:
		render_int(&b, z, version == 11);
		break;
	case T_FLOAT:
		render_float(&b, z);
		break;
	case T_TIMESTAMP:
		gws_rr_buf_addf(&b, "timestamp %.80s", z);
		break;
	case T_MERGE:
		gws_rr_buf_adds(&b, "merge <<");
		break;
	case T_VALUE:
		gws_rr_buf_adds(&b, "value =");
		break;
	case T_STR:
		gws_rr_buf_adds(&b, "str ");
		add_quoted(&b, s, n);
		break;
	}
	free(z);
	return gws_rr_buf_detach(&b);
}

/* ---- input text ---- */

/* line breaks as libyaml counts them: CR LF, CR, LF, NEL, LS, PS */
static size_t line_break(const unsigned char *p, size_t left)
{
	if (p[0] == '\r')
		return left > 1 && p[1] == '\n' ? 2 : 1;
	if (p[0] == '\n')
		return 1;
	if (left > 1 && p[0] == 0xc2 && p[1] == 0x85)
		return 2;
	if (left > 2 && p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] == 0xa8 || p[2] == 0xa9))
		return 3;
	return 0;
}

static void source_index(struct gws_rr_source *src)
{
	size_t i = 0, brk;

	if (src->len >= 3 && memcmp(src->buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;		/* libyaml does not count the BOM */
	src->lines = gws_rr_grow(src->lines, &src->cap, 1,
				 sizeof(*src->lines));
	src->lines[src->nlines++] = i;
	while (i < src->len) {
		brk = line_break(src->buf + i, src->len - i);
		i += brk ? brk : 1;
		if (!brk)
			continue;
		src->lines = gws_rr_grow(src->lines, &src->cap,
					 src->nlines + 1, sizeof(*src->lines));
		src->lines[src->nlines++] = i;
	}
}

size_t gws_rr_source_at(const struct gws_rr_source *src, size_t line,
			size_t col)
{
	size_t i;

	if (line >= src->nlines)
		return src->len;
	i = src->lines[line];
	while (col > 0 && i < src->len) {
		i++;
		while (i < src->len && (src->buf[i] & 0xc0) == 0x80)
			i++;
		col--;
	}
	return i;
}

int gws_rr_source_read(struct gws_rr_source *src, const char *path)
{
	FILE *fp = fopen(path, "rb");
	size_t n;
	char tmp[65536];

	if (!fp) {
		fprintf(stderr, "%s: error: cannot open: %s\n", path,
			strerror(errno));
		return -1;
	}
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0) {
		src->buf = gws_rr_grow(src->buf, &src->bufcap, src->len + n,
				       1);
		memcpy(src->buf + src->len, tmp, n);
		src->len += n;
	}
	n = (size_t)ferror(fp);
	fclose(fp);
	if (!src->buf)	/* libyaml wants a buffer, even an empty one */
		src->buf = gws_rr_grow(src->buf, &src->bufcap, 1, 1);
	if (n) {
		fprintf(stderr, "%s: error: cannot read\n", path);
		return -1;
	}
	source_index(src);
	return 0;
}

void gws_rr_source_release(struct gws_rr_source *src)
{
	free(src->buf);
	free(src->lines);
	memset(src, 0, sizeof(*src));
}

/* gws_rr_show_line() - @line and @col are 1-based; prints to stderr */
void gws_rr_show_line(const char *path, int line, int col)
{
	struct gws_rr_source src = { 0 };
	size_t a, b, i;

	if (line < 1 || gws_rr_source_read(&src, path))
		goto out;
	a = gws_rr_source_at(&src, (size_t)line - 1, 0);
	b = a;
	while (b < src.len && !line_break(src.buf + b, src.len - b))
		b++;
	fprintf(stderr, "%.*s\n", (int)(b - a), (const char *)src.buf + a);
	b = gws_rr_source_at(&src, (size_t)line - 1,
			     col > 0 ? (size_t)col - 1 : 0);
	for (i = a; i < b; i++)
		if ((src.buf[i] & 0xc0) != 0x80)
			fputc(src.buf[i] == '\t' ? '\t' : ' ', stderr);
	fputs("^\n", stderr);
out:
	gws_rr_source_release(&src);
}

