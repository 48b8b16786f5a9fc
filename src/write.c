/* write.c - deterministic YAML and JSON output, atomic file trees */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <libfyaml.h>

#include "gwshift/util.h"
#include "gwshift/val.h"
#include "gwshift/write.h"
#include "banned.h"

/* ---- the quoting rule ---- */

/* characters that may not start a plain scalar (c-indicator, plus space) */
static const char plain_bad_start[] = "-?:,[]{}#&*!|>'\"%@` ";

/*
 * Plain words some YAML 1.1 or 1.2 reader resolves to something other than
 * a string, compared without case: null, booleans (1.1 has y/n/yes/no/on/
 * off), special floats, the 1.1 value key.
 */
static const char *const plain_bad_words[] = {
	"~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
	".inf", ".nan", "inf", "nan", "infinity", "=",
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Anything that starts like a number may be an int, float, sexagesimal or
 * timestamp in some schema: 8080, 0o17, 0x1f, 1_000, 1:20, 1e3, 1.10, .5,
 * +1, and also "." and ".." (the YAML 1.1 float pattern matches them; this
 * also covers "..." which would end the document). '-' is an indicator.
 */
static bool starts_like_number(const char *s)
{
	if (is_digit(s[0]) || s[0] == '+')
		return true;
	if (s[0] != '.')
		return false;
	return is_digit(s[1]) || s[1] == '.' || s[1] == '_' || s[1] == '\0';
}

static bool is_bad_word(const char *s)
{
	size_t i;

	if (strnlen(s, 9) > 8)		/* "infinity" is the longest */
		return false;
	if (!strchr("~nNtTfFyYoO.iI=", s[0]))	/* the words' first letters */
		return false;
	for (i = 0; i < GWS_ARRAY_SIZE(plain_bad_words); i++)
		if (strcasecmp(s, plain_bad_words[i]) == 0)
			return true;
	return false;
}

/**
 * gws_yaml_plain_ok() - whether @s can be written as a plain scalar
 * @s: the string, or NULL (which must be quoted)
 *
 * Rule: quote unless @s is printable ASCII that no YAML 1.1 or 1.2 reader
 * can take for anything but this string. Deliberately generous: a quoted
 * string that did not need it costs two characters, a wrong plain one
 * changes the manifest (`on` becomes true for kubectl).
 * Returns: true if plain is safe, false if the string must be quoted.
 */
/* as gws_yaml_plain_ok(); @flow: and no flow indicator (",[]{}") */
static bool plain_ok(const char *s, bool flow)
{
	const unsigned char *p;

	if (!s || !*s || strchr(plain_bad_start, s[0]))
		return false;
	if (starts_like_number(s) || is_bad_word(s))
		return false;
	/* one pass: printable ASCII, no ": ", " #" or "<<" */
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f)
			return false;
		if ((p[0] == ':' && p[1] == ' ') ||
		    (p[0] == ' ' && p[1] == '#') ||
		    (p[0] == '<' && p[1] == '<'))
			return false;
		if (flow && (*p == ',' || *p == '[' || *p == ']' ||
			     *p == '{' || *p == '}'))
			return false;
	}
	return p[-1] != ' ' && p[-1] != ':';
}

bool gws_yaml_plain_ok(const char *s)
{
	return plain_ok(s, false);
}

/*
 * ---- double-quoted scalar source ----
 *
 * libfyaml 0.7.12 cannot set the style of a created scalar, and picks
 * plain for "on", "8080", "- x" or "" (upstream issue #79). Strings that
 * must be quoted are therefore built by parsing a double-quoted scalar;
 * the emitter keeps that style.
 */

/* decode one UTF-8 sequence at @s; returns its length, or 0 if invalid */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	size_t i;
	uint32_t c;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	c = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * Code points left escaped: C1 controls, NEL and the line and paragraph
 * separators (line breaks to a YAML 1.1 reader), BOM and non-characters.
 */
static bool escape_code_point(uint32_t cp)
{
	return cp <= 0x9f || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff ||
	       cp == 0xfffe || cp == 0xffff;
}

/*
 * In JSON mode the 0.7.12 emitter asks fy_atom_is_number() about every
 * scalar, and that function leaks its iterator's buffer when it gives up
 * on a string whose first source line decodes to more than 8 pieces (text
 * runs and escapes, so more than 3 escapes). Quoted sources for JSON
 * therefore go on a new line (an escaped line break, which adds nothing to
 * the string) before an escape once a line holds ESCAPES_PER_LINE of them;
 * the new line starts with that escape, so no white space is folded away.
 */
#define ESCAPES_PER_LINE 3

struct quoter {
	struct gws_buf *b;
	bool fold;		/* JSON: break lines between escapes */
	int escapes;		/* on the current source line */
};

static void quote_escape(struct quoter *q, const char *fmt, unsigned int c)
{
	if (q->fold && q->escapes == ESCAPES_PER_LINE) {
		gws_buf_adds(q->b, "\\\n");
		q->escapes = 0;
	}
	q->escapes++;
	gws_buf_addf(q->b, fmt, c);
}

static void quote_ascii(struct quoter *q, unsigned char c)
{
	static const char special[] = "\"\\\n\t\r";
	static const char escaped[] = "\"\\ntr";
	const char *e = c ? strchr(special, c) : NULL;

	if (e)
		quote_escape(q, "\\%c", (unsigned char)escaped[e - special]);
	else if (c < 0x20 || c == 0x7f)
		quote_escape(q, "\\x%02x", c);
	else
		gws_buf_addc(q->b, (char)c);
}

/*
 * append @s as a YAML double-quoted scalar (@fold: for the JSON emitter);
 * false if not valid UTF-8
 */
static bool quote_source(struct gws_buf *b, const char *s, bool fold)
{
	const unsigned char *p = (const unsigned char *)s;
	struct quoter q = { b, fold, 0 };
	uint32_t cp = 0;
	size_t n;

	gws_buf_addc(b, '"');
	while (*p) {
		if (*p < 0x80) {
			quote_ascii(&q, *p++);
			continue;
		}
		n = utf8_decode(p, &cp);
		if (!n)
			return false;
		if (escape_code_point(cp))
			quote_escape(&q, cp <= 0xff ? "\\x%02x" : "\\u%04x",
				     (unsigned int)cp);
		else
			gws_buf_add(b, p, n);
		p += n;
	}
	gws_buf_addc(b, '"');
	return true;
}

/*
 * ---- value tree to libfyaml document ----
 *
 * The event API (fy_emit_event) of 0.7.12 writes a block sequence whose
 * first item is a mapping or sequence as "key: [" followed by block items,
 * which no reader accepts (upstream issue #58): it decides whether the
 * sequence is empty before the next event is complete. So each document
 * is built as an fy_document and emitted whole with fy_emit_document().
 */

struct builder {
	struct fy_document *fyd;
	bool json;
	struct gws_buf *errs;	/* messages go here, or NULL: to stderr */
	char **srcs;		/* quoted sources: fyd points into them */
	size_t nsrcs;
	size_t cap;
};

/*
 * 0.7.12 writes every scalar key as an implicit key ("key: value"), which
 * YAML limits to 1024 characters: libyaml rejects longer ones. Refuse keys
 * whose written form might exceed that (bytes count at least characters).
 */
#define KEY_MAX 1000

static struct fy_node *build_node(struct builder *bl,
				  const struct gws_val *v);

static void write_error(struct builder *bl, const char *fmt, ...)
	GWS_PRINTF(2, 3);

static void write_error(struct builder *bl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (bl->errs) {
		char *msg = gws_xvasprintf(fmt, ap);

		gws_buf_addf(bl->errs, "gwshift: error: %s\n", msg);
		free(msg);
	} else {
		fputs("gwshift: error: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

static int builder_init(struct builder *bl, enum gws_format fmt,
			struct gws_buf *errs)
{
	/*
	 * nothing is looked up in an output document: no key hash tables;
	 * and a value tree has no duplicate keys: no check (it compares each
	 * key with every other one of its mapping)
	 */
	struct fy_parse_cfg cfg = {
		.flags = FYPCF_QUIET | FYPCF_DISABLE_ACCELERATORS |
			 FYPCF_ALLOW_DUPLICATE_KEYS,
	};

	memset(bl, 0, sizeof(*bl));
	bl->json = fmt == GWS_FORMAT_JSON;
	bl->errs = errs;
	bl->fyd = fy_document_create(&cfg);
	return bl->fyd ? 0 : -1;
}

static void builder_release(struct builder *bl)
{
	size_t i;

	fy_document_destroy(bl->fyd);
	for (i = 0; i < bl->nsrcs; i++)
		free(bl->srcs[i]);
	free(bl->srcs);
	memset(bl, 0, sizeof(*bl));
}

/* @s is copied unless it outlives the document (the value trees do) */
static struct fy_node *build_scalar(struct builder *bl, const char *s,
				   bool copy)
{
	if (copy)
		return fy_node_create_scalar_copy(bl->fyd, s, strlen(s));
	return fy_node_create_scalar(bl->fyd, s, strlen(s));
}

/*
 * append @s to @b double-quoted (a YAML key if @key): false, with the
 * message, if it is not UTF-8 or too long a key
 */
static bool quote_checked(struct builder *bl, struct gws_buf *b,
			  const char *s, bool key)
{
	size_t len0 = b->len;

	if (!quote_source(b, s, bl->json)) {
		write_error(bl, "cannot write a string that is not valid "
			    "UTF-8");
		return false;
	}
	if (key && !bl->json && b->len - len0 > KEY_MAX) {
		write_error(bl, "cannot write key '%.40s...': YAML keys are "
			    "limited to %d characters", s, KEY_MAX);
		return false;
	}
	return true;
}

static struct fy_node *build_quoted(struct builder *bl, const char *s,
				    bool key)
{
	struct gws_buf src;
	void *srcs = bl->srcs;
	size_t len = 0;
	char *text = NULL;

	gws_buf_init(&src);
	if (!quote_checked(bl, &src, s, key)) {
		gws_buf_release(&src);
		return NULL;
	}
	gws_grow(&srcs, &bl->cap, bl->nsrcs + 1, sizeof(*bl->srcs));
	bl->srcs = srcs;
	text = gws_buf_detach(&src, &len);
	bl->srcs[bl->nsrcs++] = text;
	return fy_node_build_from_string(bl->fyd, text, len);
}

/* a string or (@key true) a mapping key, plain when the rule allows it */
static struct fy_node *build_str(struct builder *bl, const char *s, bool key)
{
	if (!gws_yaml_plain_ok(s) || (key && strlen(s) > KEY_MAX))
		return build_quoted(bl, s, key);
	return build_scalar(bl, s, false);
}

/* append to a mapping; on failure frees @key and @val and returns -1 */
static int map_append(struct fy_node *map, struct fy_node *key,
		      struct fy_node *val)
{
	if (key && val && fy_node_mapping_append(map, key, val) == 0)
		return 0;
	fy_node_free(key);
	fy_node_free(val);
	return -1;
}

static int seq_append(struct fy_node *seq, struct fy_node *item)
{
	if (item && fy_node_sequence_append(seq, item) == 0)
		return 0;
	fy_node_free(item);
	return -1;
}

static struct fy_node *build_map(struct builder *bl, const struct gws_val *v)
{
	struct fy_node *map = fy_node_create_mapping(bl->fyd);
	size_t i;

	if (!map)
		return NULL;
	for (i = 0; i < v->n; i++) {
		struct fy_node *key = build_str(bl, v->keys[i], true);
		struct fy_node *val = key ? build_node(bl, v->items[i]) : NULL;

		if (map_append(map, key, val)) {
			fy_node_free(map);
			return NULL;
		}
	}
	return map;
}

static struct fy_node *build_seq(struct builder *bl, const struct gws_val *v)
{
	struct fy_node *seq = fy_node_create_sequence(bl->fyd);
	size_t i;

	if (!seq)
		return NULL;
	for (i = 0; i < v->n; i++) {
		if (seq_append(seq, build_node(bl, v->items[i]))) {
			fy_node_free(seq);
			return NULL;
		}
	}
	return seq;
}

static struct fy_node *build_node(struct builder *bl,
				  const struct gws_val *v)
{
	char num[32];

	if (!v)
		return NULL;
	switch (v->kind) {
	case GWS_VAL_MAP:
		return build_map(bl, v);
	case GWS_VAL_SEQ:
		return build_seq(bl, v);
	case GWS_VAL_STR:
		return build_str(bl, v->str, false);
	case GWS_VAL_INT:
		snprintf(num, sizeof(num), "%lld", v->num);
		return build_scalar(bl, num, true);
	case GWS_VAL_BOOL:
		return build_scalar(bl, v->b ? "true" : "false", false);
	}
	return NULL;
}

/* ---- emitting ---- */

static int emit_output(struct fy_emitter *emit,
		       enum fy_emitter_write_type type, const char *str,
		       int len, void *userdata)
{
	(void)emit;
	if (len <= 0 || type == fyewt_terminating_zero)
		return len;
	gws_buf_add(userdata, str, (size_t)len);
	return len;
}

static struct fy_emitter *emitter_new(struct gws_buf *out, enum gws_format fmt)
{
	struct fy_emitter_cfg cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.flags = FYECF_INDENT_2 | FYECF_WIDTH_INF | FYECF_VERSION_DIR_OFF |
		    FYECF_TAG_DIR_OFF | FYECF_DOC_END_MARK_OFF;
	if (fmt == GWS_FORMAT_JSON)
		cfg.flags |= FYECF_MODE_JSON | FYECF_DOC_START_MARK_OFF;
	else
		cfg.flags |= FYECF_MODE_BLOCK | FYECF_DOC_START_MARK_ON;
	cfg.output = emit_output;
	cfg.userdata = out;
	return fy_emitter_create(&cfg);
}

/* make @root the root of @bl's document and emit that */
static int emit_root(struct fy_emitter *emit, struct builder *bl,
		     struct fy_node *root)
{
	if (!root || fy_document_set_root(bl->fyd, root)) {
		fy_node_free(root);
		return -1;
	}
	return fy_emit_document(emit, bl->fyd) ? -1 : 0;
}

static struct fy_node *build_list(struct builder *bl,
				  struct gws_val *const *docs, size_t n)
{
	struct fy_node *root = fy_node_create_mapping(bl->fyd);
	struct fy_node *items = fy_node_create_sequence(bl->fyd);
	size_t i;

	if (!root || !items)
		goto fail;
	for (i = 0; i < n; i++)
		if (seq_append(items, build_node(bl, docs[i])))
			goto fail;
	if (map_append(root, build_str(bl, "apiVersion", true),
		       build_str(bl, "v1", false)) ||
	    map_append(root, build_str(bl, "kind", true),
		       build_str(bl, "List", false)))
		goto fail;
	if (map_append(root, build_str(bl, "items", true), items)) {
		items = NULL;
		goto fail;
	}
	return root;
fail:
	fy_node_free(items);
	fy_node_free(root);
	return NULL;
}

/*
 * ---- value tree to YAML source, for libfyaml to read and write ----
 *
 * A scalar libfyaml creates costs it more than one it parses (it analyses
 * every created string anew), and a parsed one is emitted nearly twice as
 * fast: a YAML document is therefore handed to libfyaml as flow-style
 * source, parsed, and emitted in block style by libfyaml like a built
 * document. Every string is written by the one quoting rule: plain when
 * gws_yaml_plain_ok() allows it and it has no flow indicator (",[]{}",
 * which a created scalar's analysis quotes too), else double-quoted by
 * quote_source(); the emitter keeps those styles.
 */


/* append string @s (a key if @key): plain, or quoted; false on failure */
static bool source_str(struct builder *bl, struct gws_buf *b, const char *s,
		       bool key)
{
	if (plain_ok(s, true) && (!key || strlen(s) <= KEY_MAX)) {
		gws_buf_adds(b, s);
		return true;
	}
	return quote_checked(bl, b, s, key);
}

/* append @v as flow-style source; false on failure */
static bool source_node(struct builder *bl, struct gws_buf *b,
			const struct gws_val *v)
{
	char num[32];
	size_t i;

	if (!v)
		return false;
	switch (v->kind) {
	case GWS_VAL_MAP:
	case GWS_VAL_SEQ:
		gws_buf_addc(b, v->kind == GWS_VAL_MAP ? '{' : '[');
		for (i = 0; i < v->n; i++) {
			if (i)
				gws_buf_add(b, ", ", 2);
			if (v->kind == GWS_VAL_MAP) {
				if (!source_str(bl, b, v->keys[i], true))
					return false;
				gws_buf_add(b, ": ", 2);
			}
			if (!source_node(bl, b, v->items[i]))
				return false;
		}
		gws_buf_addc(b, v->kind == GWS_VAL_MAP ? '}' : ']');
		return true;
	case GWS_VAL_STR:
		return source_str(bl, b, v->str, false);
	case GWS_VAL_INT:
		gws_buf_add(b, num, (size_t)snprintf(num, sizeof(num), "%lld",
						     v->num));
		return true;
	case GWS_VAL_BOOL:
		gws_buf_adds(b, v->b ? "true" : "false");
		return true;
	}
	return false;
}

/* emit YAML document @doc (a mapping or sequence, not empty) through its
 * source */
static int emit_yaml(struct fy_emitter *emit, const struct gws_val *doc,
		     struct gws_buf *errs)
{
	struct fy_parse_cfg cfg = {
		.flags = FYPCF_QUIET | FYPCF_DISABLE_ACCELERATORS |
			 FYPCF_ALLOW_DUPLICATE_KEYS | FYPCF_JSON_NONE,
	};
	struct builder bl = { .errs = errs };
	struct fy_document *fyd = NULL;
	struct gws_buf src;
	int ret = -1;

	gws_buf_init(&src);
	if (source_node(&bl, &src, doc)) {
		fyd = fy_document_build_from_string(&cfg, src.data, src.len);
		if (fyd && fy_emit_document(emit, fyd) == 0)
			ret = 0;
		else
			write_error(&bl, "libfyaml could not write a generated "
				    "object");
	}
	fy_document_destroy(fyd);
	gws_buf_release(&src);
	return ret;
}

/* emit one document: YAML @docs[0], or a JSON List of all @n */
static int emit_doc(struct fy_emitter *emit, enum gws_format fmt,
		    struct gws_val *const *docs, size_t n, struct gws_buf *errs)
{
	struct builder bl;
	struct fy_node *root = NULL;
	int ret = -1;

	if (fmt == GWS_FORMAT_YAML && docs[0] && docs[0]->n &&
	    (docs[0]->kind == GWS_VAL_MAP || docs[0]->kind == GWS_VAL_SEQ))
		return emit_yaml(emit, docs[0], errs);
	if (builder_init(&bl, fmt, errs) == 0) {
		root = fmt == GWS_FORMAT_JSON ? build_list(&bl, docs, n) :
						build_node(&bl, docs[0]);
		ret = emit_root(emit, &bl, root);
	}
	builder_release(&bl);
	return ret;
}

static int write_docs(struct gws_buf *out, struct gws_val *const *docs,
		      size_t n, enum gws_format fmt, struct gws_buf *errs)
{
	struct fy_emitter *emit = NULL;
	size_t len0 = out->len;
	size_t i;
	int ret = 0;

	emit = emitter_new(out, fmt);
	if (!emit)
		return -1;
	if (fmt == GWS_FORMAT_JSON)
		ret = emit_doc(emit, fmt, docs, n, errs);
	for (i = 0; fmt == GWS_FORMAT_YAML && i < n && ret == 0; i++)
		ret = emit_doc(emit, fmt, &docs[i], 1, errs);
	fy_emitter_destroy(emit);
	if (ret && out->cap) {
		out->len = len0;
		out->data[len0] = '\0';
	}
	return ret;
}

/**
 * gws_write_docs() - append @n documents to @out as YAML or JSON
 * @out: the buffer to append to
 * @docs: the documents, borrowed
 * @n: how many
 * @fmt: GWS_FORMAT_YAML for a stream of "---" documents, GWS_FORMAT_JSON
 *	 for one List object
 *
 * YAML is block style, 2-space indent, sequences written under their key
 * without extra indent (`key:\n- a`, as kubectl does), lines never folded.
 * Strings are plain when gws_yaml_plain_ok() allows it, else double-quoted.
 * Returns: 0, or -1 if a document could not be written: a string is not
 * valid UTF-8, a YAML key is longer than 1000 characters, or libfyaml
 * failed. A message has been printed then, and @out is left as it was.
 */
int gws_write_docs(struct gws_buf *out, struct gws_val *const *docs, size_t n,
		   enum gws_format fmt)
{
	return write_docs(out, docs, n, fmt, NULL);
}

/**
 * gws_write_yaml_doc() - append @doc to @out as one YAML document
 * @out: the buffer to append to
 * @doc: the document, borrowed
 * @errs: where the message of a failure goes, instead of stderr
 *
 * What gws_write_docs(@out, &@doc, 1, GWS_FORMAT_YAML) writes, for a
 * thread whose messages are printed later, in the output's order.
 * Returns: 0, or -1 with a message ("gwshift: error: ...\n") in @errs.
 */
int gws_write_yaml_doc(struct gws_buf *out, struct gws_val *doc,
		       struct gws_buf *errs)
{
	return write_docs(out, &doc, 1, GWS_FORMAT_YAML, errs);
}

/* ---- atomic files ---- */

/* a file written to @tmp, to be renamed to @dst */
struct pending {
	char *tmp;		/* NULL once renamed */
	char *dst;
};

/* what a write in progress has done, to commit or undo it */
struct tree {
	char **made;		/* folders created, parents first */
	size_t nmade;
	size_t made_cap;
	struct pending *files;
	size_t nfiles;
	size_t files_cap;
};

static void report_msg(const char *path, const char *msg)
{
	fprintf(stderr, "gwshift: error: cannot write '%s': %s\n",
		path ? path : "", msg);
}

static void report(const char *path, int err)
{
	report_msg(path, strerror(err));
}

static void tree_add_made(struct tree *t, const char *path)
{
	void *made = t->made;

	gws_grow(&made, &t->made_cap, t->nmade + 1, sizeof(*t->made));
	t->made = made;
	t->made[t->nmade++] = gws_xstrdup(path);
}

static void tree_add_file(struct tree *t, char *tmp, const char *dst)
{
	void *files = t->files;

	gws_grow(&files, &t->files_cap, t->nfiles + 1, sizeof(*t->files));
	t->files = files;
	t->files[t->nfiles].tmp = tmp;
	t->files[t->nfiles].dst = gws_xstrdup(dst);
	t->nfiles++;
}

/* undo (when @failed) and free: temporaries, then folders deepest first */
static void tree_release(struct tree *t, bool failed)
{
	size_t i;

	for (i = 0; i < t->nfiles; i++) {
		if (failed && t->files[i].tmp)
			unlink(t->files[i].tmp);
		free(t->files[i].tmp);
		free(t->files[i].dst);
	}
	for (i = t->nmade; i-- > 0;) {
		if (failed)
			rmdir(t->made[i]);
		free(t->made[i]);
	}
	free(t->files);
	free(t->made);
	memset(t, 0, sizeof(*t));
}

/*
 * @path must be a folder: made if missing. A folder @inside the tree may not
 * be a symbolic link, which could lead the files out of the tree.
 */
static int ensure_dir(struct tree *t, const char *path, bool inside)
{
	struct stat st;

	if (mkdir(path, 0755) == 0) {
		tree_add_made(t, path);
		return 0;
	}
	if (errno == EEXIST && (inside ? lstat : stat)(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		if (S_ISLNK(st.st_mode)) {
			report_msg(path, "a symbolic link, not followed "
				   "inside the output folder");
			return -1;
		}
		errno = ENOTDIR;
	}
	report(path, errno);
	return -1;
}

/*
 * create every missing folder of @path whose name ends after @from; those
 * are inside the tree when @from is not 0
 */
static int make_dirs(struct tree *t, const char *path, size_t from)
{
	char *p = gws_xstrdup(path);
	size_t i;
	int ret = 0;

	for (i = from; p[i] && ret == 0; i++) {
		if (p[i] != '/' || i == 0 || p[i - 1] == '/')
			continue;
		p[i] = '\0';
		ret = ensure_dir(t, p, from > 0);
		p[i] = '/';
	}
	if (ret == 0)
		ret = ensure_dir(t, p, from > 0);
	free(p);
	return ret;
}

static char *tmp_name(const char *dst)
{
	const char *slash = strrchr(dst, '/');
	const char *base = slash ? slash + 1 : dst;
	int dirlen = (int)(base - dst);

	return gws_xasprintf("%.*s.%s.gwshift-tmp-%ld", dirlen, dst, base,
			     (long)getpid());
}

static int write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int open_tmp(const char *tmp)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
	int fd = open(tmp, flags, 0644);

	/* left over by an earlier run that had our pid */
	if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
		fd = open(tmp, flags, 0644);
	return fd;
}

/* copy the @len bytes at @off of @from to @fd */
static int copy_all(int fd, int from, long long off, size_t len)
{
	char buf[65536];
	ssize_t n;

	while (len > 0) {
		n = pread(from, buf, len < sizeof(buf) ? len : sizeof(buf),
			  (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			errno = n ? errno : EIO;
			return -1;
		}
		if (write_all(fd, buf, (size_t)n) < 0)
			return -1;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

/* write file @f to a temporary name next to @dst, to be renamed later */
static int write_tmp(struct tree *t, const char *dst,
		     const struct gws_file *f)
{
	struct stat st;
	char *tmp = NULL;
	int fd;
	int err;

	if (lstat(dst, &st) == 0 && S_ISDIR(st.st_mode)) {
		report(dst, EISDIR);
		return -1;
	}
	tmp = tmp_name(dst);
	fd = open_tmp(tmp);
	if (fd < 0) {
		report(dst, errno);
		free(tmp);
		return -1;
	}
	tree_add_file(t, tmp, dst);
	if ((f->data ? write_all(fd, f->data, f->len) :
		       copy_all(fd, f->fd, f->off, f->len)) < 0) {
		err = errno;
		close(fd);
		report(dst, err);
		return -1;
	}
	if (close(fd) < 0) {
		report(dst, errno);
		return -1;
	}
	return 0;
}

static int commit(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->nfiles; i++) {
		struct pending *f = &t->files[i];

		if (rename(f->tmp, f->dst) < 0) {
			report(f->dst, errno);
			return -1;
		}
		free(f->tmp);
		f->tmp = NULL;
	}
	return 0;
}

/* relative, non-empty, and no empty, "." or ".." parts */
static bool rel_path_ok(const char *p)
{
	size_t n;

	if (!p || !*p || *p == '/')
		return false;
	for (;;) {
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += n;
		if (!*p)
			return true;
		p++;
	}
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int check_paths(const struct gws_file *files, size_t n)
{
	const char **sorted = NULL;
	size_t i;
	int ret = 0;

	for (i = 0; i < n; i++) {
		if (rel_path_ok(files[i].path))
			continue;
		report_msg(files[i].path,
			   "not a relative path without '.' or '..' parts");
		return -1;
	}
	sorted = gws_xcalloc(n, sizeof(*sorted));
	for (i = 0; i < n; i++)
		sorted[i] = files[i].path;
	qsort(sorted, n, sizeof(*sorted), cmp_path);
	for (i = 1; i < n && ret == 0; i++) {
		if (strcmp(sorted[i - 1], sorted[i]) == 0) {
			report_msg(sorted[i], "path given twice");
			ret = -1;
		}
	}
	free(sorted);
	return ret;
}

/* @dir joined with @rel; "." is left out so messages show plain paths */
static char *join_path(const char *dir, const char *rel)
{
	size_t len = strlen(dir);

	if (strcmp(dir, ".") == 0)
		return gws_xstrdup(rel);
	if (len && dir[len - 1] == '/')
		return gws_xasprintf("%s%s", dir, rel);
	return gws_xasprintf("%s/%s", dir, rel);
}

static int write_one(struct tree *t, const char *dir,
		     const struct gws_file *f)
{
	char *dst = join_path(dir, f->path);
	size_t from = strlen(dst) - strlen(f->path);
	char *slash = strrchr(dst + from, '/');
	int ret = 0;

	if (slash) {
		*slash = '\0';
		ret = make_dirs(t, dst, from);
		*slash = '/';
	}
	if (ret == 0)
		ret = write_tmp(t, dst, f);
	free(dst);
	return ret;
}

/**
 * gws_write_tree() - write @n files below @dir, all or nothing
 * @dir: the tree root, created (with missing parents) if needed; NULL or
 *	 "" mean the current folder
 * @files: the files; paths relative, '/'-separated, no ".", ".." or empty
 *	   parts, each given once
 * @n: how many
 *
 * Each file is written to ".NAME.gwshift-tmp-PID" in its final folder
 * (mode 0644 less the umask; folders 0755); when all are written they are
 * renamed into place. On an error before that, the temporaries and the
 * folders this call created are removed. A failing rename (rare: the
 * folders are known to be writable by then) leaves the files renamed
 * before it in place.
 * Returns: 0, or -1 after printing "gwshift: error: cannot write ...".
 */
int gws_write_tree(const char *dir, const struct gws_file *files, size_t n)
{
	struct tree t;
	size_t i;
	int ret;

	memset(&t, 0, sizeof(t));
	if (!dir || !*dir)
		dir = ".";
	ret = check_paths(files, n);
	if (ret == 0)
		ret = make_dirs(&t, dir, 0);
	for (i = 0; i < n && ret == 0; i++)
		ret = write_one(&t, dir, &files[i]);
	if (ret == 0)
		ret = commit(&t);
	tree_release(&t, ret != 0);
	return ret;
}

/* write @data into @path, which exists and is no regular file */
static int write_in_place(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int err;

	if (fd < 0) {
		report(path, errno);
		return -1;
	}
	if (write_all(fd, data, len) < 0) {
		err = errno;
		close(fd);
		report(path, err);
		return -1;
	}
	if (close(fd) < 0) {
		report(path, errno);
		return -1;
	}
	return 0;
}

/**
 * gws_write_file_atomic() - replace @path with @data through a rename
 * @path: the file; its folder must exist
 * @data: the content
 * @len: its length
 *
 * A symbolic link is followed: the file it names is replaced, through a
 * temporary name in that file's folder, and the link stays. A path that
 * exists and is no regular file (/dev/stdout, /dev/null, a pipe) is
 * written to in place, without a temporary file: renaming over it would
 * replace the device.
 * Returns: 0, or -1 after printing "gwshift: error: cannot write ..."
 * (the temporary file is removed then).
 */
int gws_write_file_atomic(const char *path, const char *data, size_t len)
{
	struct tree t;
	struct stat st;
	size_t plen = path ? strlen(path) : 0;
	char *real = NULL;
	int ret;

	if (plen == 0 || path[plen - 1] == '/') {
		report(path, plen ? EISDIR : ENOENT);
		return -1;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISDIR(st.st_mode))
		return write_in_place(path, data, len);
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		real = realpath(path, NULL);
		if (!real) {
			report(path, errno);
			return -1;
		}
	}
	memset(&t, 0, sizeof(t));
	ret = write_tmp(&t, real ? real : path,
			&(struct gws_file){ .data = (char *)data, .len = len });
	if (ret == 0)
		ret = commit(&t);
	tree_release(&t, ret != 0);
	free(real);
	return ret;
}
