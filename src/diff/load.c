/* load.c - read the existing objects that diff compares with */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "gwshift/read.h"
#include "internal.h"
#include "banned.h"

/* one object may not grow past this many nodes with its aliases expanded */
#define MAX_NODES 200000
#define MAX_DEPTH 256

/* struct loader - reading one source */
struct loader {
	struct gws_diff_existing *ex;
	const struct gws_src *src;
};

/* struct conv - turning one object into a value tree */
struct conv {
	struct loader *ld;
	size_t left;		/* nodes still allowed */
	int depth;
	bool failed;		/* an error was printed */
};

/**
 * gws_diff_existing_init() - start an empty set of existing objects
 * @ex: the set; set @ex->want and @ex->arg to keep only some objects
 */
void gws_diff_existing_init(struct gws_diff_existing *ex)
{
	memset(ex, 0, sizeof(*ex));
	gws_inputs_init(&ex->in);
	gws_diff_index_init(&ex->ix);
}

/**
 * gws_diff_existing_release() - free the objects, their sources and index
 * @ex: the set, or NULL
 */
void gws_diff_existing_release(struct gws_diff_existing *ex)
{
	size_t i;

	if (!ex)
		return;
	for (i = 0; i < ex->n; i++) {
		gws_val_destroy(ex->objs[i].doc);
		free(ex->objs[i].group);
	}
	free(ex->objs);
	gws_diff_index_release(&ex->ix);
	gws_inputs_release(&ex->in);
	memset(ex, 0, sizeof(*ex));
}

/* ---- positions and errors ---- */

static void load_error(struct loader *ld, struct fy_node *at,
		       const char *fmt, ...) GWS_PRINTF(3, 4);

static void load_error(struct loader *ld, struct fy_node *at,
		       const char *fmt, ...)
{
	struct gws_pos pos = gws_node_pos(ld->src, at);
	va_list ap;

	if (!pos.line)
		pos.line = pos.col = 1;
	va_start(ap, fmt);
	gws_vdiag(&pos, "error", fmt, ap);
	va_end(ap);
	ld->ex->errors++;
}

/* ---- text checks ---- */

/* length of the UTF-8 sequence at @s (@n bytes left), 0 if invalid */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07u;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3fu);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* offset of the first NUL or invalid UTF-8 byte of @s, or @n */
static size_t bad_text(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, len;

	while (i < n) {
		len = u[i] ? utf8_len(u + i, n - i) : 0;
		if (!len)
			return i;
		i += len;
	}
	return n;
}

/* ---- libfyaml nodes to value trees ---- */

static bool is_word(const char *s, size_t len, const char *const *words,
		    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(words[i]) == len && !memcmp(s, words[i], len))
			return true;
	return false;
}

static bool plain_null(const char *s, size_t len)
{
	static const char *const words[] = { "", "~", "null", "Null", "NULL" };

	return is_word(s, len, words, GWS_ARRAY_SIZE(words));
}

/* a plain decimal integer that fits: YAML 1.2 core schema */
static bool plain_int(const char *s, size_t len, long long *out)
{
	char buf[32], *end;
	size_t i = len && (s[0] == '-' || s[0] == '+');

	if (len == i || len >= sizeof(buf))
		return false;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtoll(buf, &end, 10);
	return !errno && *end == '\0';
}

enum plain { PLAIN_STR, PLAIN_NULL, PLAIN_TRUE, PLAIN_FALSE, PLAIN_INT };

/* what a plain scalar is to the YAML 1.2 core schema (decimal ints only) */
static enum plain plain_type(const char *s, size_t len, long long *num)
{
	static const char *const yes[] = { "true", "True", "TRUE" };
	static const char *const no[] = { "false", "False", "FALSE" };

	if (plain_null(s, len))
		return PLAIN_NULL;
	if (is_word(s, len, yes, GWS_ARRAY_SIZE(yes)))
		return PLAIN_TRUE;
	if (is_word(s, len, no, GWS_ARRAY_SIZE(no)))
		return PLAIN_FALSE;
	return plain_int(s, len, num) ? PLAIN_INT : PLAIN_STR;
}

/* a plain scalar that is not a string (and not !!str) */
static enum plain scalar_type(struct fy_node *fyn, const char *s, size_t len,
			      long long *num)
{
	size_t taglen = 0;
	const char *tag = fy_node_get_tag(fyn, &taglen);

	if (fy_node_get_style(fyn) != FYNS_PLAIN ||
	    (tag && taglen == 21 && !memcmp(tag, "tag:yaml.org,2002:str", 21)))
		return PLAIN_STR;
	return plain_type(s, len, num);
}

static struct gws_val *conv_scalar(struct conv *cv, struct fy_node *fyn)
{
	size_t len = 0;
	const char *s = fy_node_get_scalar(fyn, &len);
	long long num = 0;
	char *copy;
	struct gws_val *v;

	if (!s)
		s = "";
	if (bad_text(s, len) != len) {
		load_error(cv->ld, fyn, "string is not valid UTF-8 or has a "
			   "NUL character");
		cv->failed = true;
		return NULL;
	}
	switch (scalar_type(fyn, s, len, &num)) {
	case PLAIN_NULL:
		return NULL;
	case PLAIN_TRUE:
		return gws_val_bool(true);
	case PLAIN_FALSE:
		return gws_val_bool(false);
	case PLAIN_INT:
		return gws_val_int(num);
	case PLAIN_STR:
		break;
	}
	copy = gws_xstrndup(s, len);
	v = gws_val_str(copy);
	free(copy);
	return v;
}

static struct gws_val *conv_node(struct conv *cv, struct fy_node *fyn);

/* append without the key lookup of gws_val_set(): keys are unique here */
static void map_append(struct gws_val *map, char *key, struct gws_val *v)
{
	size_t cap;

	if (map->n == map->cap) {
		cap = map->cap ? map->cap * 2 : 4;
		map->keys = gws_xrealloc(map->keys, cap * sizeof(*map->keys));
		map->items = gws_xrealloc(map->items,
					  cap * sizeof(*map->items));
		map->cap = cap;
	}
	map->keys[map->n] = key;
	map->items[map->n++] = v;
}

static struct gws_val *conv_map(struct conv *cv, struct fy_node *fyn)
{
	struct gws_val *map = gws_val_map(), *v;
	struct fy_node_pair *pair;
	struct fy_node *k;
	void *iter = NULL;
	const char *s;
	size_t len = 0;

	while (!cv->failed && (pair = fy_node_mapping_iterate(fyn, &iter))) {
		k = fy_node_pair_key(pair);
		if (k && fy_node_is_alias(k))
			k = fy_node_resolve_alias(k);
		s = k && fy_node_is_scalar(k) ? fy_node_get_scalar(k, &len) :
		    NULL;
		if (!s || bad_text(s, len) != len) {
			load_error(cv->ld, k ? k : fyn, "a mapping key must be "
				   "a string");
			cv->failed = true;
			break;
		}
		v = conv_node(cv, fy_node_pair_value(pair));
		if (v)
			map_append(map, gws_xstrndup(s, len), v);
	}
	return map;
}

static struct gws_val *conv_seq(struct conv *cv, struct fy_node *fyn)
{
	struct gws_val *seq = gws_val_seq(), *v;
	struct fy_node *item;
	void *iter = NULL;

	while (!cv->failed && (item = fy_node_sequence_iterate(fyn, &iter))) {
		v = conv_node(cv, item);
		if (v)
			gws_val_push(seq, v);
	}
	return seq;
}

/* a value tree for @fyn, NULL for null; on error cv->failed is set */
static struct gws_val *conv_node(struct conv *cv, struct fy_node *fyn)
{
	struct fy_node *at = fyn;
	struct gws_val *v = NULL;

	if (!fyn || cv->failed)
		return NULL;
	if (fy_node_is_alias(fyn) && !(fyn = fy_node_resolve_alias(fyn))) {
		load_error(cv->ld, at, "alias cannot be resolved");
		cv->failed = true;
		return NULL;
	}
	if (!cv->left || cv->depth >= MAX_DEPTH) {
		load_error(cv->ld, at, "object is too large or too deeply nested "
			   "with its aliases expanded");
		cv->failed = true;
		return NULL;
	}
	cv->left--;
	cv->depth++;
	if (fy_node_is_mapping(fyn))
		v = conv_map(cv, fyn);
	else if (fy_node_is_sequence(fyn))
		v = conv_seq(cv, fyn);
	else
		v = conv_scalar(cv, fyn);
	cv->depth--;
	return v;
}

/* ---- objects ---- */

static struct fy_node *lookup(struct fy_node *map, const char *key)
{
	struct fy_node_pair *pair;
	struct fy_node *k;
	void *iter = NULL;
	size_t len = 0, klen = strlen(key);
	const char *s;

	if (map && fy_node_is_alias(map))
		map = fy_node_resolve_alias(map);
	if (!map || !fy_node_is_mapping(map))
		return NULL;
	while ((pair = fy_node_mapping_iterate(map, &iter)) != NULL) {
		k = fy_node_pair_key(pair);
		s = k && fy_node_is_scalar(k) ? fy_node_get_scalar(k, &len) :
		    NULL;
		if (s && len == klen && !memcmp(s, key, len)) {
			k = fy_node_pair_value(pair);
			if (k && fy_node_is_alias(k))
				k = fy_node_resolve_alias(k);
			return k;
		}
	}
	return NULL;
}

static bool is_null(struct fy_node *fyn)
{
	size_t len = 0;
	long long num;
	const char *s;

	if (!fyn || !fy_node_is_scalar(fyn))
		return false;
	s = fy_node_get_scalar(fyn, &len);
	return scalar_type(fyn, s ? s : "", s ? len : 0, &num) == PLAIN_NULL;
}

/* a non-empty string: quoted, or plain and not a null, number or boolean */
static const char *scalar_str(struct fy_node *fyn)
{
	long long num;
	const char *s;
	size_t len;

	if (!fyn || !fy_node_is_scalar(fyn))
		return NULL;
	s = fy_node_get_scalar0(fyn);
	len = s ? strlen(s) : 0;
	if (!len || bad_text(s, len) != len ||
	    scalar_type(fyn, s, len, &num) != PLAIN_STR)
		return NULL;
	return s;
}

/* the string under @key of @map, or NULL after an error */
static const char *want_str(struct loader *ld, struct fy_node *map,
			    struct fy_node *at, const char *key,
			    const char *field)
{
	struct fy_node *fyn = lookup(map, key);
	const char *s = scalar_str(fyn);

	if (!fyn)
		load_error(ld, at, "object has no '%s'", field);
	else if (!s)
		load_error(ld, fyn, "'%s' must be a non-empty string", field);
	return s;
}

/* struct head - what identifies an object, borrowed from its document */
struct head {
	const char *api_version;
	const char *kind;
	const char *ns;
	const char *name;
	const char *source;
};

/* read the head of @obj; Returns: 0, 1 to skip it, -1 after an error */
static int read_head(struct loader *ld, struct fy_node *obj, struct head *h)
{
	struct fy_node *md, *ann, *nsn;

	memset(h, 0, sizeof(*h));
	if (!lookup(obj, "apiVersion") || !lookup(obj, "kind"))
		return 1;	/* not a Kubernetes object: left alone */
	h->api_version = want_str(ld, obj, obj, "apiVersion", "apiVersion");
	h->kind = want_str(ld, obj, obj, "kind", "kind");
	if (!h->api_version || !h->kind)
		return -1;
	if (!strncmp(h->api_version, "kustomize.config.k8s.io/", 24))
		return 1;	/* kustomization.yaml and components */
	md = lookup(obj, "metadata");
	if (!md || !fy_node_is_mapping(md)) {
		load_error(ld, md ? md : obj, "'metadata' must be a mapping");
		return -1;
	}
	h->name = want_str(ld, md, obj, "name", "metadata.name");
	nsn = lookup(md, "namespace");
	if (is_null(nsn))
		nsn = NULL;	/* read as a field that is not there */
	h->ns = nsn ? want_str(ld, md, obj, "namespace",
			       "metadata.namespace") : "";
	if (!h->name || !h->ns)
		return -1;
	ann = lookup(md, "annotations");
	if (ann && fy_node_is_mapping(ann))
		h->source = scalar_str(lookup(ann, GWS_SOURCE_ANNOTATION));
	return 0;
}

/* copy @obj into the kept objects; Returns: false after an error */
static bool keep(struct loader *ld, struct fy_node *obj, char *group)
{
	struct gws_diff_existing *ex = ld->ex;
	struct conv cv = { ld, MAX_NODES, 0, false };
	struct gws_diff_obj *o;
	struct gws_val *doc = conv_node(&cv, obj), *md;
	const char *ns;

	if (cv.failed || !doc) {
		gws_val_destroy(doc);
		free(group);
		return false;
	}
	md = gws_val_get(doc, "metadata");
	ns = gws_val_get_str(md, "namespace");
	gws_grow((void **)&ex->objs, &ex->cap, ex->n + 1, sizeof(*ex->objs));
	o = &ex->objs[ex->n++];
	memset(o, 0, sizeof(*o));
	o->doc = doc;
	o->group = group;
	o->api_version = gws_val_get_str(doc, "apiVersion");
	o->key.group = group;
	o->key.kind = gws_val_get_str(doc, "kind");
	o->key.ns = ns ? ns : "";
	o->key.name = gws_val_get_str(md, "name");
	o->source = gws_val_get_str(gws_val_get(md, "annotations"),
				    GWS_SOURCE_ANNOTATION);
	o->pos = gws_node_pos(ld->src, obj);
	return true;
}

static void load_object(struct loader *ld, struct fy_node *obj)
{
	struct gws_diff_existing *ex = ld->ex;
	struct gws_diff_key key;
	struct gws_pos first;
	struct head h;
	size_t old;
	char *group, *label;

	if (read_head(ld, obj, &h))
		return;
	ex->read++;
	group = gws_diff_group_of(h.api_version);
	key = (struct gws_diff_key){ group, h.kind, h.ns, h.name };
	if (ex->want && !ex->want(&key, h.source != NULL, ex->arg)) {
		free(group);
		return;
	}
	if (gws_diff_index_find(&ex->ix, &key, &old)) {
		first = ex->objs[old].pos;
		label = gws_diff_key_label(&key);
		load_error(ld, obj, "duplicate object '%s' (first at %s:%d:%d)",
			   label, first.src->name, first.line, first.col);
		free(label);
		free(group);
		return;
	}
	if (keep(ld, obj, group))
		gws_diff_index_add(&ex->ix, &ex->objs[ex->n - 1].key,
				   ex->n - 1, &old);
}

/* one document: an object, a List of objects, or something else (skipped) */
static void load_document(struct loader *ld, struct fy_node *root)
{
	struct fy_node *items, *item;
	const char *kind;
	void *iter = NULL;

	if (!root || !fy_node_is_mapping(root))
		return;
	kind = scalar_str(lookup(root, "kind"));
	items = lookup(root, "items");
	if (!kind || strcmp(kind, "List") || !items) {
		load_object(ld, root);
		return;
	}
	if (!fy_node_is_sequence(items)) {
		load_error(ld, items, "'items' of a List must be a list");
		return;
	}
	while ((item = fy_node_sequence_iterate(items, &iter)) != NULL) {
		if (fy_node_is_alias(item))
			item = fy_node_resolve_alias(item);
		if (item && fy_node_is_mapping(item))
			load_object(ld, item);
		else
			load_error(ld, item, "an item of a List must be a "
				   "mapping");
	}
}

/**
 * gws_diff_load_buffer() - read the objects of one source
 * @ex: where the objects go
 * @src: the text (YAML, or JSON for *.json or text that starts with '{' or
 *	 '['); borrowed, it must outlive @ex (diagnostics quote it)
 *
 * Every document is read: a Kubernetes object, or a List of them;
 * anything else (no apiVersion or kind, kustomize files) is skipped. Kept
 * objects are copied into value trees with plain integers and booleans
 * typed and null values left out. Errors are printed as
 * file:line:col: error: message, and reading goes on to find them all.
 * Returns: GWS_EXIT_OK, GWS_EXIT_INPUT after an error, or GWS_EXIT_IO if
 * the parser could not start.
 */
int gws_diff_load_buffer(struct gws_diff_existing *ex,
			 const struct gws_src *src)
{
	struct loader ld = { ex, src };
	struct fy_parser *fyp;
	struct fy_document *fyd;
	size_t errors = ex->errors;

	if (gws_read_check_text(src) < 0) {
		ex->errors++;
		return GWS_EXIT_INPUT;
	}
	fyp = gws_read_parser(src);
	if (!fyp)
		return GWS_EXIT_IO;
	while ((fyd = fy_parse_load_document(fyp)) != NULL) {
		gws_node_fill_pos(fy_document_root(fyd), 0, 0);
		load_document(&ld, fy_document_root(fyd));
		fy_parse_document_destroy(fyp, fyd);
	}
	if (gws_read_parser_done(src, fyp))
		ex->errors++;
	return ex->errors != errors ? GWS_EXIT_INPUT : GWS_EXIT_OK;
}
