/* node.c - typed reads of libfyaml nodes, with positions and errors */
/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "internal.h"
#include "banned.h"

struct fy_node *deref(struct fy_node *fyn)
{
	if (fyn && fy_node_is_alias(fyn))
		return fy_node_resolve_alias(fyn);
	return fyn;
}

/*
 * A node with no token of its own (a collection, an empty value) can keep
 * where its event started in its meta pointer, line and column packed in
 * its bits (read.c's builder does): no allocation for the many nodes.
 */
#define POS_BITS (sizeof(uintptr_t) * 4)

void gws_node_keep_pos(struct fy_node *fyn, int line, int col)
{
	if (POS_BITS >= 32 && line > 0 && col > 0)
		fy_node_set_meta(fyn, (void *)(((uintptr_t)line << POS_BITS) |
					       (uintptr_t)(unsigned)col));
}

/* the place of @fyn's own token, if it has one */
static bool token_place(struct fy_node *fyn, int *line, int *col)
{
	struct fy_token *tok = fy_node_get_scalar_token(fyn);
	const struct fy_mark *mk = tok ? fy_token_start_mark(tok) : NULL;

	if (!mk)
		return false;
	*line = mk->line + 1;
	*col = mk->column + 1;
	/* the mark of a quoted scalar is after its quote */
	if (*col > 1 && (fy_node_get_style(fyn) == FYNS_SINGLE_QUOTED ||
			 fy_node_get_style(fyn) == FYNS_DOUBLE_QUOTED))
		(*col)--;
	return true;
}

/* the place of the first token in @fyn: its own, its first key's or item's */
static bool first_place(struct fy_node *fyn, int *line, int *col)
{
	struct fy_node_pair *pair;
	void *iter;
	int depth;

	for (depth = 0; fyn && depth < 64; depth++) {
		if (token_place(fyn, line, col))
			return true;
		iter = NULL;
		if (fy_node_is_mapping(fyn)) {
			pair = fy_node_mapping_iterate(fyn, &iter);
			fyn = pair ? fy_node_pair_key(pair) : NULL;
		} else if (fy_node_is_sequence(fyn)) {
			fyn = fy_node_sequence_iterate(fyn, &iter);
		} else {
			fyn = deref(fyn);
		}
	}
	return false;
}

/* @fyn and the nodes under it (64 levels) without a token get @line:@col */
static void fill_pos(struct fy_node *fyn, int line, int col, int depth)
{
	struct fy_node_pair *pair;
	struct fy_node *item;
	void *iter = NULL;
	int l = line, c = col;

	if (!fyn || depth >= 64 || fy_node_is_alias(fyn) ||
	    token_place(fyn, &l, &c))
		return;
	gws_node_keep_pos(fyn, line, col);
	if (fy_node_is_mapping(fyn)) {
		while ((pair = fy_node_mapping_iterate(fyn, &iter)) != NULL) {
			if (!token_place(fy_node_pair_key(pair), &l, &c))
				fill_pos(fy_node_pair_key(pair), l, c,
					 depth + 1);
			fill_pos(fy_node_pair_value(pair), l, c, depth + 1);
		}
	} else if (fy_node_is_sequence(fyn)) {
		while ((item = fy_node_sequence_iterate(fyn, &iter)) != NULL) {
			fill_pos(item, l, c, depth + 1);
			first_place(item, &l, &c);
		}
	}
}

void gws_node_fill_pos(struct fy_node *root, int line, int col)
{
	fill_pos(root, line, col, 0);
}

/* the place gws_node_keep_pos() kept; false if none */
static bool kept_pos(struct fy_node *fyn, struct gws_pos *pos, int line0)
{
	uintptr_t v = POS_BITS >= 32 && fyn ?
		      (uintptr_t)fy_node_get_meta(fyn) : 0;

	if (!v)
		return false;
	pos->line = (int)(v >> POS_BITS) + line0;
	pos->col = (int)(v & (((uintptr_t)1 << POS_BITS) - 1));
	return true;
}

/* position of a node: its token, or its first key or item */
struct gws_pos node_pos(const struct gws_src *src, struct fy_node *fyn)
{
	struct gws_pos pos = { src->whole ? src->whole : src, 0, 0 };
	int line, col;

	if (first_place(fyn, &line, &col)) {
		pos.line = line + src->line0;
		pos.col = col;
		return pos;
	}
	kept_pos(fyn, &pos, src->line0);
	return pos;
}

struct gws_pos gws_node_pos(const struct gws_src *src, struct fy_node *fyn)
{
	return node_pos(src, fyn);
}

void rd_error(struct rd *rd, struct fy_node *at, const char *fmt, ...)
{
	struct gws_pos pos = node_pos(rd->src, at);
	va_list ap;

	va_start(ap, fmt);
	gws_vdiag(&pos, "error", fmt, ap);
	va_end(ap);
	rd->errors++;
}

/* does a plain scalar resolve to something other than a string? */
static bool plain_non_string(const char *s, size_t len)
{
	static const char *const words[] = {
		"null", "Null", "NULL", "~", "true", "True", "TRUE",
		"false", "False", "FALSE",
	};
	char buf[64], *end;
	size_t i;

	if (len == 0)
		return true;
	for (i = 0; i < GWS_ARRAY_SIZE(words); i++)
		if (strlen(words[i]) == len && !memcmp(s, words[i], len))
			return true;
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!(isdigit((unsigned char)buf[0]) || strchr("-+.", buf[0])))
		return false;
	errno = 0;
	(void)strtod(buf, &end);
	return *end == '\0';
}

/* the string value of @fyn, or NULL with an error if it is no string */
const char *want_str(struct rd *rd, struct fy_node *fyn,
			    const char *field)
{
	const char *s;
	size_t len;

	fyn = deref(fyn);
	if (!fyn || !fy_node_is_scalar(fyn)) {
		rd_error(rd, fyn, "'%s' must be a string", field);
		return NULL;
	}
	s = fy_node_get_scalar(fyn, &len);
	if (!s || (fy_node_get_style(fyn) == FYNS_PLAIN &&
		   plain_non_string(s, len))) {
		rd_error(rd, fyn, "'%s' must be a string, not '%.*s'", field,
			 (int)(len > 40 ? 40 : len), s ? s : "");
		return NULL;
	}
	if (memchr(s, '\0', len)) {
		rd_error(rd, fyn, "'%s' has a NUL character", field);
		return NULL;
	}
	/* the scalar text is not NUL-terminated: libfyaml keeps a copy */
	return fy_node_get_scalar0(fyn);
}

char *dup_str(struct rd *rd, struct fy_node *fyn, const char *field)
{
	const char *s = want_str(rd, fyn, field);
	size_t len = 0;

	if (!s)
		return NULL;
	(void)fy_node_get_scalar(deref(fyn), &len);
	return gws_xstrndup(s, len);
}

/* a plain integer scalar; Returns: 0, or -1 with an error */
int want_int(struct rd *rd, struct fy_node *fyn, const char *field,
		    long *out)
{
	const char *s;
	char buf[32], *end;
	size_t len;

	fyn = deref(fyn);
	s = fyn && fy_node_is_scalar(fyn) ? fy_node_get_scalar(fyn, &len) : NULL;
	if (!s || fy_node_get_style(fyn) != FYNS_PLAIN || len == 0 ||
	    len >= sizeof(buf)) {
		rd_error(rd, fyn, "'%s' must be a number", field);
		return -1;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtol(buf, &end, 10);
	if (*end || errno) {
		rd_error(rd, fyn, "'%s' must be a number, not '%s'", field, buf);
		return -1;
	}
	return 0;
}

struct fy_node *get(struct fy_node *map, const char *key)
{
	map = deref(map);
	if (!map || !fy_node_is_mapping(map))
		return NULL;
	return deref(fy_node_mapping_lookup_by_string(map, key, strlen(key)));
}

bool want_kind(struct rd *rd, struct fy_node *fyn, bool mapping,
		      const char *field)
{
	fyn = deref(fyn);
	if (fyn && (mapping ? fy_node_is_mapping(fyn) : fy_node_is_sequence(fyn)))
		return true;
	rd_error(rd, fyn, "'%s' must be a %s", field, mapping ? "mapping" : "list");
	return false;
}

void finding(struct rd *rd, enum gws_state st, struct fy_node *at,
		    const char *field, const char *fmt, ...)
{
	struct gws_pos pos = node_pos(rd->src, at);
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = gws_xvasprintf(fmt, ap);
	va_end(ap);
	gws_report_add(rd->m->rep, st, &pos, rd->kind, rd->ns, rd->name, field,
		       "%s", msg);
	free(msg);
}

/* an unknown key: reported, never dropped in silence */
void unknown_key(struct rd *rd, struct fy_node_pair *pair,
			const char *parent)
{
	const char *k = fy_node_get_scalar0(fy_node_pair_key(pair));
	char *field = gws_xasprintf("%s%s%s", parent, *parent ? "." : "",
				    k ? k : "?");

	finding(rd, GWS_NOT_CONVERTED, fy_node_pair_key(pair), field,
		"field '%s' is not known to gwshift and was not converted",
		field);
	free(field);
}

const char *pair_key(struct fy_node_pair *pair)
{
	const char *k = fy_node_get_scalar0(deref(fy_node_pair_key(pair)));

	return k ? k : "";
}

bool gws_dns1123_label(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) ||
		      isdigit((unsigned char)s[i]) || s[i] == '-'))
			return false;
	return true;
}

bool gws_dns1035_label(const char *s)
{
	return islower((unsigned char)s[0]) && gws_dns1123_label(s);
}

bool gws_kind_name(const char *s)
{
	char low[64];
	size_t i, n = strlen(s);

	if (n == 0 || n > 63)
		return false;
	for (i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	return gws_dns1035_label(low);
}

bool gws_dns1123_subdomain(const char *s)
{
	size_t n = strlen(s), i;

	/* Kubernetes limits the whole name, not each label, to 253 */
	if (n == 0 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		bool edge = i == 0 || i == n - 1 || s[i - 1] == '.' ||
			    s[i + 1] == '.';

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		if ((c == '-' || c == '.') && !edge)
			continue;
		return false;
	}
	return true;
}

int want_name(struct rd *rd, struct fy_node *fyn, const char *s,
	      enum name_rule rule, const char *what, const char *noun)
{
	static const char *const rules[] = {
		[DNS1123_SUBDOMAIN] = "DNS-1123 subdomain",
		[DNS1123_LABEL] = "DNS-1123 label",
		[DNS1035_LABEL] = "DNS-1035 label",
		[KIND_NAME] = "DNS-1035 label in any letter case",
	};
	char buf[GWS_CUT_SIZE(GWS_QUOTE_MAX)];
	bool ok = rule == DNS1123_SUBDOMAIN ? gws_dns1123_subdomain(s) :
		  rule == DNS1123_LABEL ? gws_dns1123_label(s) :
		  rule == DNS1035_LABEL ? gws_dns1035_label(s) :
		  gws_kind_name(s);

	if (ok)
		return 0;
	rd_error(rd, fyn, "%s '%s' is not a valid Kubernetes %s (%s)", what,
		 gws_cut(buf, GWS_QUOTE_MAX, s), noun, rules[rule]);
	return -1;
}
