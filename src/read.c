/* read.c - read inputs (files, folders, stdin; YAML or JSON) into the model */
/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfyaml.h>

#include "gwshift/read.h"
#include "read_internal.h"
#include "banned.h"

#define MAX_INPUT_BYTES ((size_t)1 << 31)

void gws_inputs_init(struct gws_inputs *in)
{
	memset(in, 0, sizeof(*in));
}

void gws_inputs_release(struct gws_inputs *in)
{
	size_t i;

	if (!in)
		return;
	for (i = 0; i < in->n; i++) {
		free(in->srcs[i]->name);
		if (in->srcs[i]->mapped)
			munmap(in->srcs[i]->data, in->srcs[i]->mapped);
		else
			free(in->srcs[i]->data);
		free(in->srcs[i]);
	}
	free(in->srcs);
	memset(in, 0, sizeof(*in));
}

/*
 * read all of @fd into one buffer: as large as a regular file (plus the
 * byte that finds its end), else grown by doubling and trimmed at the end,
 * so an input costs its own size in memory, not up to twice that
 * Returns: the bytes, NUL-terminated (the caller frees them), or NULL with
 * errno set
 */
static char *slurp(int fd, size_t *len)
{
	struct stat st;
	size_t cap = 65536, n = 0;
	char *data;
	ssize_t got;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (unsigned long long)st.st_size <= MAX_INPUT_BYTES)
		cap = (size_t)st.st_size + 2;
	data = gws_xmalloc(cap);
	for (;;) {
		if (n + 1 == cap) {
			cap = cap > MAX_INPUT_BYTES / 2 ? MAX_INPUT_BYTES + 2 :
			      2 * cap;
			data = gws_xrealloc(data, cap);
		}
		got = read(fd, data + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			break;
		if (got == 0) {
			data[n] = '\0';
			*len = n;
			return n + 1 < cap ? gws_xrealloc(data, n + 1) : data;
		}
		n += (size_t)got;
		if (n > MAX_INPUT_BYTES) {
			errno = EFBIG;
			break;
		}
	}
	free(data);
	return NULL;
}

/*
 * ---- a large file is mapped, and forgotten behind the reader ----
 *
 * A file of MAP_MIN bytes or more is mapped rather than copied, and the
 * pages the reader is done with are given back (MADV_DONTNEED) as it goes:
 * an export is never held whole in memory. A diagnostic that quotes a line
 * later reads its page again from the file. The mapping is one page longer
 * than the file, anonymous there, so that the text ends with a NUL byte as
 * a copy does.
 */
#define MAP_MIN ((size_t)4 << 20)
#define FORGET_STEP ((size_t)8 << 20)	/* give pages back this many at once */
#define FORGET_LAG ((size_t)1 << 20)	/* and keep this much behind */

static char *map_file(int fd, size_t *len, size_t *mapped)
{
	struct stat st;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), size;
	char *p;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (unsigned long long)st.st_size < MAP_MIN ||
	    (unsigned long long)st.st_size > MAX_INPUT_BYTES)
		return NULL;
	size = ((size_t)st.st_size / page + 1) * page;
	p = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (mmap(p, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd,
		 0) == MAP_FAILED) {
		munmap(p, size);
		return NULL;
	}
	*len = (size_t)st.st_size;
	*mapped = size;
	return p;
}

/* give back the pages of a mapped @src wholly before @off, from @from */
size_t rd_forget(const struct gws_src *src, size_t from, size_t off)
{
	size_t page, end;

	if (!src->mapped || off < from + FORGET_STEP + FORGET_LAG)
		return from;
	page = (size_t)sysconf(_SC_PAGESIZE);
	end = (off - FORGET_LAG) / page * page;
	if (end > src->mapped)
		end = src->mapped;
	if (end > from)
		madvise(src->data + from, end - from, MADV_DONTNEED);
	return end;
}

void rd_forget_all(const struct gws_src *src)
{
	rd_forget(src, 0, src->len + FORGET_LAG + FORGET_STEP);
}

static struct gws_src *add_src(struct gws_inputs *in, const char *name,
			       char *data, size_t len, size_t mapped)
{
	struct gws_src *src = gws_xcalloc(1, sizeof(*src));

	src->name = gws_xstrdup(name);
	src->data = data;
	src->len = len;
	src->mapped = mapped;
	gws_grow((void **)&in->srcs, &in->cap, in->n + 1, sizeof(*in->srcs));
	in->srcs[in->n++] = src;
	return src;
}

/* line and column (1-based) of byte @off of @src */
static struct gws_pos pos_of_offset(const struct gws_src *src, size_t off)
{
	struct gws_pos pos = { src, 1, 1 };
	size_t i;

	for (i = 0; i < off && i < src->len; i++) {
		if (src->data[i] == '\n') {
			pos.line++;
			pos.col = 1;
		} else if (((unsigned char)src->data[i] & 0xc0) != 0x80) {
			pos.col++;
		}
	}
	return pos;
}

/* length of the UTF-8 sequence at @s (at most @n bytes), 0 if invalid */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * a byte-order mark at @i that starts a line, past the one a stream may
 * begin with: YAML 1.2 allows one before every document and libyaml (so
 * kubectl) skips it at the start of any line, but libfyaml reads it as
 * text, a key of its own. The two would read different objects
 */
static bool bom_at_line_start(const unsigned char *s, size_t i)
{
	if (s[i] != 0xef || s[i + 1] != 0xbb || s[i + 2] != 0xbf || i == 0)
		return false;
	if (i == 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return true;
	return s[i - 1] == '\n' || s[i - 1] == '\r';
}

/*
 * refuse input that is not UTF-8 text before the parser sees it; and say
 * in @odd_breaks whether it has NEL, LS or PS (line breaks to YAML 1.1)
 */
static int check_text(const struct gws_src *src, bool *odd_breaks)
{
	const unsigned char *s = (const unsigned char *)src->data;
	size_t i = 0, len, forgot = 0;
	struct gws_pos pos;

	*odd_breaks = false;
	while (i < src->len) {
		if (!(i & 0xfffff))
			forgot = rd_forget(src, forgot, i);
		if (s[i] && s[i] < 0x80) {	/* ASCII: most of any input */
			i++;
			continue;
		}
		if (s[i] == 0) {
			pos = pos_of_offset(src, i);
			gws_diag(&pos, "error", "input has a NUL byte");
			return -1;
		}
		len = utf8_len(s + i, src->len - i);
		if (!len) {
			pos = pos_of_offset(src, i);
			gws_diag(&pos, "error",
				 "invalid UTF-8 byte 0x%02x", s[i]);
			return -1;
		}
		if (len == 3 && bom_at_line_start(s, i)) {
			pos = pos_of_offset(src, i);
			gws_diag(&pos, "error", "a byte-order mark (U+FEFF) "
				 "after the start of the input: YAML readers "
				 "disagree on it (kubectl skips it, libfyaml "
				 "reads it as text); remove it");
			return -1;
		}
		if ((len == 2 && s[i] == 0xc2 && s[i + 1] == 0x85) ||
		    (len == 3 && s[i] == 0xe2 && s[i + 1] == 0x80 &&
		     (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)))
			*odd_breaks = true;
		i += len;
	}
	rd_forget_all(src);
	return 0;
}

static bool looks_like_json(const struct gws_src *src)
{
	size_t i = 0;
	const char *ext = strrchr(src->name, '.');

	if (ext && !strcmp(ext, ".json"))
		return true;
	if (src->len >= 3 && !memcmp(src->data, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < src->len && strchr(" \t\r\n", src->data[i]))
		i++;
	return i < src->len && (src->data[i] == '{' || src->data[i] == '[');
}

/* print the errors @diag collected, in the house format; Returns: how many */
static size_t print_errors(const struct gws_src *src, struct fy_diag *diag)
{
	struct fy_diag_error *err;
	void *iter = NULL;
	size_t n = 0;

	while (diag && (err = fy_diag_errors_iterate(diag, &iter)) != NULL) {
		struct gws_pos pos = { src, err->line, err->column };

		if (err->type < FYET_ERROR)
			continue;
		gws_diag(&pos, "error", "%s", err->msg);
		n++;
	}
	return n;
}

/* print the parser's collected errors; Returns: how many */
static size_t report_parse_errors(const struct gws_src *src,
				  struct fy_parser *fyp)
{
	struct fy_diag *diag = fy_parser_get_diag(fyp);
	size_t n = print_errors(src, diag);

	if (diag)
		fy_diag_unref(diag);
	return n;
}

static void no_output(struct fy_diag *diag, void *user, const char *buf,
		      size_t len)
{
	(void)diag;
	(void)user;
	(void)buf;
	(void)len;
}

/* a diagnostic object that collects errors and prints nothing */
struct fy_diag *rd_quiet_diag(void)
{
	struct fy_diag_cfg dcfg;
	struct fy_diag *diag;

	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = no_output;
	dcfg.colorize = false;
	diag = fy_diag_create(&dcfg);
	if (diag)
		fy_diag_set_collect_errors(diag, true);
	return diag;
}

/*
 * ---- aliases ----
 *
 * kubectl reads aliases and merge keys ("<<") as copies of their anchors,
 * and so does gwshift (fy_document_resolve()); but a rule list of 1,000
 * aliases to a rule whose paths are 1,000 aliases to one path is 10^6 paths,
 * from a few kilobytes (billion laughs). Every document is therefore
 * counted first: its own nodes, and when it has aliases, the nodes it has
 * with every alias replaced by its target, without copying anything. It
 * may grow to twice its size plus ALIAS_SLACK nodes (what anchored labels
 * or annotations shared by a few objects need), and is refused beyond
 * that, before anything is expanded.
 */
#define ALIAS_SLACK 10000

/* struct walk - an explicit stack: cyclic aliases must not recurse */
struct walk {
	struct fy_node **stack;
	size_t n;
	size_t cap;
	size_t count;		/* nodes pushed so far */
	size_t limit;
	bool follow;		/* count an alias as its target */
	size_t aliases;		/* aliases seen */
	struct fy_node *alias;	/* the alias seen last */
};

/* push @fyn; Returns: false once the count passes the limit */
static bool walk_push(struct walk *w, struct fy_node *fyn)
{
	if (!fyn)
		return true;
	if (++w->count > w->limit)
		return false;
	gws_grow((void **)&w->stack, &w->cap, w->n + 1, sizeof(*w->stack));
	w->stack[w->n++] = fyn;
	return true;
}

/* push the children of @fyn (an alias's target when following) */
static bool walk_children(struct walk *w, struct fy_node *fyn)
{
	struct fy_node_pair *pair;
	struct fy_node *item;
	void *iter = NULL;

	if (fy_node_is_mapping(fyn)) {
		while ((pair = fy_node_mapping_iterate(fyn, &iter)) != NULL)
			if (!walk_push(w, fy_node_pair_key(pair)) ||
			    !walk_push(w, fy_node_pair_value(pair)))
				return false;
	} else if (fy_node_is_sequence(fyn)) {
		while ((item = fy_node_sequence_iterate(fyn, &iter)) != NULL)
			if (!walk_push(w, item))
				return false;
	} else if (fy_node_is_alias(fyn)) {
		w->aliases++;
		w->alias = fyn;
		if (w->follow)
			return walk_push(w, fy_node_resolve_alias(fyn));
	}
	return true;
}

/* count the nodes under @root; Returns: false when past @limit */
static bool walk_count(struct walk *w, struct fy_node *root, bool follow,
		       size_t limit)
{
	bool ok;

	memset(w, 0, sizeof(*w));
	w->follow = follow;
	w->limit = limit;
	ok = walk_push(w, root);
	while (ok && w->n > 0)
		ok = walk_children(w, w->stack[--w->n]);
	free(w->stack);
	w->stack = NULL;
	return ok;
}

/* where scalar or alias @fyn is written (1:1 when unknown) */
static struct gws_pos token_pos(const struct gws_src *src,
				struct fy_node *fyn)
{
	struct gws_pos pos = { src, 1, 1 };
	struct fy_token *tok = fyn ? fy_node_get_scalar_token(fyn) : NULL;
	const struct fy_mark *mk = tok ? fy_token_start_mark(tok) : NULL;

	if (mk) {
		pos.line = mk->line + 1;
		pos.col = mk->column + 1;
	}
	return pos;
}

/*
 * print the errors libfyaml collected while resolving a document, then
 * drop them (switching collection off frees them) so that the parser's
 * report at the end does not repeat them
 */
static void report_document_errors(const struct gws_src *src,
				   struct fy_document *fyd)
{
	struct fy_diag *diag = fy_document_get_diag(fyd);

	if (!print_errors(src, diag))
		gws_diag(&(struct gws_pos){ src, 1, 1 }, "error",
			 "cannot resolve the aliases of a document");
	if (diag) {
		fy_diag_set_collect_errors(diag, false);
		fy_diag_set_collect_errors(diag, true);
		fy_diag_reset_error(diag);
		fy_diag_unref(diag);
	}
}

/*
 * A document with aliases: refuse it when they would expand it out of
 * proportion, else resolve it as kubectl does (aliases replaced by copies
 * of their anchors, merge keys "<<" merged, an alias with no anchor an
 * error), so the model sees plain trees.
 * Returns: 0, or -1 after a diagnostic.
 */
static int resolve_aliases(const struct gws_src *src, struct fy_document *fyd)
{
	struct fy_node *root = fy_document_root(fyd);
	struct walk w;
	struct gws_pos pos;
	size_t own, limit;

	if (!root)
		return 0;
	walk_count(&w, root, false, SIZE_MAX);
	if (!w.aliases)
		return 0;
	own = w.count;
	limit = own > (SIZE_MAX - ALIAS_SLACK) / 2 ? SIZE_MAX :
		2 * own + ALIAS_SLACK;
	if (!walk_count(&w, root, true, limit)) {
		pos = token_pos(src, w.alias);
		gws_diag(&pos, "error", "too many aliases: the document would "
			 "expand to more than %zu nodes", limit);
		return -1;
	}
	if (fy_document_resolve(fyd) != 0) {
		report_document_errors(src, fyd);
		return -1;
	}
	return 0;
}

int gws_read_resolve(const struct gws_src *src, struct fy_document *fyd)
{
	return resolve_aliases(src, fyd);
}

/* an empty document, or one that is only null: skipped, as kubectl does */
static bool empty_document(struct fy_node *root)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	const char *s;
	size_t len, i;

	if (!root)
		return true;
	if (!fy_node_is_scalar(root) || fy_node_get_style(root) != FYNS_PLAIN)
		return false;
	s = fy_node_get_scalar(root, &len);
	for (i = 0; i < GWS_ARRAY_SIZE(nulls); i++)
		if (strlen(nulls[i]) == len && (!len || !memcmp(s, nulls[i], len)))
			return true;
	return false;
}

/* a List kind: "List" (kubectl), or "IngressList" and the like (the API) */
bool rd_list_kind(const char *kind)
{
	size_t n = kind ? strlen(kind) : 0;

	return n >= 4 && !strcmp(kind + n - 4, "List");
}

static const char *root_kind(struct fy_node *root)
{
	if (!root || !fy_node_is_mapping(root))
		return NULL;
	return fy_node_mapping_lookup_scalar0_by_simple_key(root, "kind", 4);
}

/* one document: a single object, or a List of them */
static void add_document(const struct gws_src *src, struct gws_model *m,
			 struct fy_node *root)
{
	struct fy_node *items, *item;
	void *iter = NULL;

	if (empty_document(root))
		return;
	if (!rd_list_kind(root_kind(root)) ||
	    !(items = fy_node_mapping_lookup_by_string(root, "items", 5)) ||
	    !fy_node_is_sequence(items)) {
		gws_model_add(m, src, root);
		return;
	}
	while ((item = fy_node_sequence_iterate(items, &iter)) != NULL)
		gws_model_add(m, src, item);
}

/*
 * ---- documents built from the parser's events ----
 *
 * kubectl exports one List document, and fy_parse_load_document() would
 * hold all of it as one tree: ten times the size of the export. Documents
 * are built here from the parser's events instead, and each item of a
 * top-level "items" list goes to the model as soon as it is complete and
 * is freed, so only one item is ever held as a tree. Until the document
 * ends its kind is not known (kubectl writes "items" before "kind"), so a
 * document whose items were streamed must turn out to be a List. Aliases
 * need their anchors: once an anchor appears, the rest of the document is
 * kept as a tree and read when it ends, as any other document.
 */

struct level {
	struct fy_node *node;		/* the mapping or sequence being built */
	struct fy_node_pair *pair;	/* mapping: the key waiting for a value */
	bool metadata;			/* the value of a key 'metadata' */
};

struct builder {
	const struct gws_src *src;
	struct gws_model *m;
	struct fy_parser *fyp;
	struct fy_document *fyd;
	struct level *stack;
	size_t depth;
	size_t cap;
	struct fy_node *items;		/* the top-level items list, streamed */
	struct fy_node *items_key;
	struct gws_pos items_pos;	/* where its key is */
	struct fy_token *alias;		/* an alias met while streaming */
	bool anchors;			/* an anchor was met: keep the rest */
	size_t streamed;		/* items handed to the model */
	bool diagnosed;			/* the error that stopped it is printed */
	size_t forgot;			/* input pages before this given back */
	size_t skip;			/* items of the first List already read */
	size_t skipping;		/* levels of a managedFields list left
					 * out: in it, and how deep */
	/* reading a part of a List alone (read_split.c) */
	bool strict;			/* fail, silently, where only the whole
					 * can say: aliases, anchors, duplicate
					 * keys, depth, more documents */
	size_t add_max;			/* items past this are read, not kept */
	const char *input;		/* the parser's text (marks count in it) */
	size_t input_len;
};

static bool is_key(struct fy_node *fyn, const char *key)
{
	const char *s;
	size_t len;

	if (!fy_node_is_scalar(fyn) || fy_node_is_alias(fyn))
		return false;
	s = fy_node_get_scalar(fyn, &len);
	return s && len == strlen(key) && !memcmp(s, key, len);
}

/* @fyn is an item of the streamed list: read it and free it */
static void stream_item(struct builder *b, struct fy_node *fyn)
{
	if (b->streamed < b->skip || b->streamed >= b->add_max) {
		/* read already from its part, or the next part's */
	} else if (b->alias) {
		struct gws_pos pos = { b->src, 1, 1 };
		const struct fy_mark *mk = fy_token_start_mark(b->alias);

		if (mk) {
			pos.line = mk->line + 1;
			pos.col = mk->column + 1;
		}
		gws_diag(&pos, "error", "invalid alias");
		b->m->errors++;
		b->alias = NULL;
	} else {
		gws_model_add(b->m, b->src, fyn);
	}
	b->streamed++;
	fy_node_free(fyn);
}

/*
 * is scalar key @key in @map already? Its text is compared with each
 * scalar key's: libfyaml's own check compares whole nodes, far slower
 */
static bool has_key(struct fy_node *map, struct fy_node *key)
{
	struct fy_node_pair *pair;
	struct fy_node *k;
	const char *s, *t;
	size_t len, tlen;
	void *iter = NULL;

	if (fy_node_is_alias(key) || !(s = fy_node_get_scalar(key, &len)))
		return fy_node_mapping_lookup_pair(map, key) != NULL;
	while ((pair = fy_node_mapping_iterate(map, &iter)) != NULL) {
		k = fy_node_pair_key(pair);
		if (!k || !fy_node_is_scalar(k) || fy_node_is_alias(k))
			continue;
		t = fy_node_get_scalar(k, &tlen);
		if (t && tlen == len && !memcmp(s, t, len))
			return true;
	}
	return false;
}

/*
 * the node just made goes into its parent; an item of the streamed list
 * goes nowhere (a mapping or list until it ends)
 * Returns: 0, or -1 if libfyaml refused it (a duplicate key)
 */
static int attach(struct builder *b, struct fy_node *fyn, bool collection)
{
	struct level *top = b->depth ? &b->stack[b->depth - 1] : NULL;

	if (!top)
		return fy_document_set_root(b->fyd, fyn);
	if (top->node == b->items && !b->anchors) {
		if (!collection)
			stream_item(b, fyn);
		return 0;
	}
	if (fy_node_is_sequence(top->node))
		return fy_node_sequence_add_item(top->node, fyn);
	if (!top->pair) {
		if (!collection && has_key(top->node, fyn)) {
			struct gws_pos pos = token_pos(b->src, fyn);

			if (b->strict)
				return -1;	/* the whole's reader says it */
			gws_diag(&pos, "error", "duplicate key");
			b->diagnosed = true;
			return -1;
		}
		top->pair = fy_node_pair_create_with_key(b->fyd, top->node, fyn);
		if (b->depth == 1 && is_key(fyn, "items"))
			b->items_key = fyn;
		return top->pair ? 0 : -1;
	}
	if (fy_node_pair_update_with_value(top->pair, fyn))
		return -1;
	top->pair = NULL;
	if (b->items_key && collection && fy_node_is_sequence(fyn) &&
	    !b->anchors) {
		b->items = fyn;
		b->items_pos = token_pos(b->src, b->items_key);
	}
	b->items_key = NULL;
	return 0;
}

/* an anchor: items from now on stay in the tree, where aliases find it */
static int keep_items(struct builder *b)
{
	b->anchors = true;
	/* the item being built, if any, joins the list */
	if (b->items && b->depth > 2 && b->stack[1].node == b->items)
		return fy_node_sequence_add_item(b->items, b->stack[2].node);
	return 0;
}

static struct fy_token *event_anchor(struct fy_event *fye)
{
	switch (fye->type) {
	case FYET_SCALAR:
		return fye->scalar.anchor;
	case FYET_MAPPING_START:
		return fye->mapping_start.anchor;
	case FYET_SEQUENCE_START:
		return fye->sequence_start.anchor;
	default:
		return NULL;
	}
}

/*
 * libfyaml's loader refuses documents nested deeper than 64 collections
 * (FYPCF_GUARANTEED_MINIMUM_DEPTH_LIMIT), its event parser does not, and
 * freeing a tree recurses: the same limit, with the same message
 */
#define MAX_DEPTH 64

static int too_deep(struct builder *b, struct fy_event *fye)
{
	const struct fy_mark *mk = fy_event_start_mark(fye);
	struct gws_pos pos = { b->src, 1, 1 };

	if (b->strict)
		return -1;	/* the whole's reader says it */
	if (mk) {
		pos.line = mk->line + 1;
		pos.col = mk->column + 1;
	}
	gws_diag(&pos, "error", "Max depth (%d) exceeded", MAX_DEPTH);
	b->diagnosed = true;
	return -1;
}

/* do the @n bytes at @p hold four quotes in a row? */
static bool quote_run(const char *p, size_t n)
{
	const char *end = p + n;

	while ((p = memchr(p, '\'', (size_t)(end - p))) != NULL &&
	       end - p >= 4) {
		if (!memcmp(p, "''''", 4))
			return true;
		p++;
	}
	return false;
}

/*
 * is @fye a single-quoted scalar of @input with two escaped quotes in a
 * row? Then the error is printed, if @say
 */
static bool quote_run_event(const struct gws_src *src, const char *input,
			    size_t input_len, struct fy_event *fye, bool say)
{
	struct fy_token *tok = fye->type == FYET_SCALAR ?
			       fye->scalar.value : NULL;
	const struct fy_mark *s, *e;
	struct gws_pos pos;

	if (!tok || fy_token_scalar_style(tok) != FYSS_SINGLE_QUOTED ||
	    !(s = fy_token_start_mark(tok)) || !(e = fy_token_end_mark(tok)) ||
	    e->input_pos > input_len || s->input_pos > e->input_pos ||
	    !quote_run(input + s->input_pos, e->input_pos - s->input_pos))
		return false;
	if (say) {
		pos = (struct gws_pos){ src, s->line + 1, s->column + 1 };
		gws_diag(&pos, "error", "a single-quoted string with escaped "
			 "quotes ('') in a row is read wrong by libfyaml "
			 "0.7.12: write it double-quoted");
	}
	return true;
}

/*
 * libfyaml 0.7.12 reads a single-quoted scalar with two escaped quotes in
 * a row ('a''''b') wrong: it drops or adds characters, and from four in a
 * row it also leaks memory. Such a scalar is refused before its text is
 * ever asked for.
 * Returns: 0, or -1 with the error printed (unless @b is strict)
 */
static int quotes_in_a_row(struct builder *b, struct fy_event *fye)
{
	if (!quote_run_event(b->src, b->input, b->input_len, fye, !b->strict))
		return 0;
	b->diagnosed = true;	/* (when strict, the whole's reader says it) */
	return -1;
}

/* a node with no token of its own keeps where its event starts */
static void keep_pos(struct builder *b, struct fy_node *fyn,
		     struct fy_event *fye)
{
	const struct fy_mark *mk = fy_event_start_mark(fye);
	struct level *top = b->depth ? &b->stack[b->depth - 1] : NULL;
	struct fy_token *key;
	int col;

	/* an empty value has no place: its key's (a quoted one at its quote) */
	if (!mk && top && top->pair &&
	    (key = fy_node_get_scalar_token(fy_node_pair_key(top->pair))) &&
	    (mk = fy_token_start_mark(key)) != NULL) {
		col = mk->column + 1;
		if (col > 1 && (fy_token_scalar_style(key) == FYSS_SINGLE_QUOTED ||
				fy_token_scalar_style(key) == FYSS_DOUBLE_QUOTED))
			col--;
		gws_node_keep_pos(fyn, mk->line + 1, col);
		return;
	}
	if (mk)
		gws_node_keep_pos(fyn, mk->line + 1, mk->column + 1);
}

/*
 * ---- metadata.managedFields, left out ----
 *
 * The API server's record of who set which field is a quarter of an
 * export's lines and nothing gwshift reads (the model notes the key as
 * ignored). Its list is attached empty, and the events in it are only
 * checked: for depth, aliases to nothing and what libfyaml reads wrong, as
 * if built. An anchor in it is refused: an alias elsewhere could not find
 * it. A duplicate key in it goes unnoticed (finding one would cost what
 * leaving the list out saves).
 */

/* is the list about to be read the value of metadata.managedFields? */
static bool managed_fields(struct builder *b, struct fy_event *fye)
{
	struct level *top = b->depth ? &b->stack[b->depth - 1] : NULL;

	return top && top->metadata && top->pair && !event_anchor(fye) &&
	       fye->type == FYET_SEQUENCE_START &&
	       is_key(fy_node_pair_key(top->pair), "managedFields");
}

/* does alias @tok name an anchor of the document built so far? */
static bool anchor_known(struct builder *b, struct fy_token *tok)
{
	size_t len = 0;
	const char *name = tok ? fy_token_get_text(tok, &len) : NULL;

	return name && fy_document_lookup_anchor(b->fyd, name, len);
}

/* an event inside the left-out list */
static int skip_event(struct builder *b, struct fy_event *fye,
		      bool collection)
{
	const struct fy_mark *mk;
	struct gws_pos pos;

	if (event_anchor(fye)) {
		b->diagnosed = true;
		if (b->strict)
			return -1;	/* the whole's reader says it */
		mk = fy_token_start_mark(event_anchor(fye));
		pos = (struct gws_pos){ b->src, mk ? mk->line + 1 : 1,
					mk ? mk->column + 1 : 1 };
		if (mk && mk->column && mk->input_pos <= b->input_len &&
		    b->input[mk->input_pos - 1] == '&')
			pos.col--;	/* (its mark is after the '&') */
		gws_diag(&pos, "error", "an anchor inside "
			 "metadata.managedFields, which gwshift does not "
			 "read: remove it");
		return -1;
	}
	if (fye->type == FYET_ALIAS && !anchor_known(b, fye->alias.anchor)) {
		b->diagnosed = true;
		if (b->strict)
			return -1;	/* the whole's reader says it */
		mk = fy_token_start_mark(fye->alias.anchor);
		pos = (struct gws_pos){ b->src, mk ? mk->line + 1 : 1,
					mk ? mk->column + 1 : 1 };
		gws_diag(&pos, "error", "invalid alias");
		return -1;
	}
	if (fye->type == FYET_SCALAR && quotes_in_a_row(b, fye))
		return -1;
	if (collection && b->depth + b->skipping + 1 >= MAX_DEPTH)
		return too_deep(b, fye);
	b->skipping += collection;
	return 0;
}

static int node_event(struct builder *b, struct fy_event *fye)
{
	bool collection = fye->type == FYET_MAPPING_START ||
			  fye->type == FYET_SEQUENCE_START;
	struct level *top = b->depth ? &b->stack[b->depth - 1] : NULL;
	bool metadata = false, skip = false;
	struct fy_node *fyn;

	if (b->skipping)
		return skip_event(b, fye, collection);
	if (collection && b->depth + 1 >= MAX_DEPTH)
		return too_deep(b, fye);
	if (top && top->pair && fye->type == FYET_MAPPING_START)
		metadata = is_key(fy_node_pair_key(top->pair), "metadata");
	else if (collection)
		skip = managed_fields(b, fye);
	if (fye->type == FYET_SCALAR && quotes_in_a_row(b, fye))
		return -1;
	if (b->strict && (event_anchor(fye) || fye->type == FYET_ALIAS))
		return -1;	/* aliases need the whole document */
	if (!b->anchors && event_anchor(fye) && keep_items(b))
		return -1;
	if (fye->type == FYET_ALIAS && b->items && !b->anchors && !b->alias)
		b->alias = fye->alias.anchor;
	fyn = fy_node_create_from_event(b->fyd, b->fyp, fye);
	if (!fyn)
		return -1;
	if (collection || !fy_node_get_scalar_token(fyn))
		keep_pos(b, fyn, fye);
	if (attach(b, fyn, collection)) {
		fy_node_free(fyn);
		return -1;
	}
	if (skip) {
		b->skipping = 1;	/* attached empty, not entered */
	} else if (collection) {
		gws_grow((void **)&b->stack, &b->cap, b->depth + 1,
			 sizeof(*b->stack));
		b->stack[b->depth].node = fyn;
		b->stack[b->depth].metadata = metadata;
		b->stack[b->depth++].pair = NULL;
	}
	return 0;
}

static int end_event(struct builder *b, struct fy_event *fye)
{
	struct fy_node *fyn;

	if (b->skipping) {
		b->skipping--;
		return 0;
	}
	if (!b->depth)
		return -1;
	fyn = b->stack[--b->depth].node;
	if (fy_node_update_from_event(fyn, b->fyp, fye))
		return -1;
	if (fyn == b->items)
		b->items = NULL;	/* the list ends: nothing more to stream */
	else if (b->items && !b->anchors && b->depth &&
		 b->stack[b->depth - 1].node == b->items)
		stream_item(b, fyn);
	return 0;
}

/* the document is complete: check the streamed List, read the rest */
static void end_document(struct builder *b)
{
	struct fy_node *root = fy_document_root(b->fyd);

	if (b->streamed && !rd_list_kind(root_kind(root))) {
		gws_diag(&b->items_pos, "error", "a document with a top-level 'items' "
			 "list must be a List, not '%s'",
			 root_kind(root) ? root_kind(root) : "an object");
		b->m->errors++;
	} else if (resolve_aliases(b->src, b->fyd) < 0) {
		b->m->errors++;
	} else if (!b->streamed || fy_node_is_mapping(root)) {
		add_document(b->src, b->m, root);
	}
	fy_document_destroy(b->fyd);
	b->fyd = NULL;
	b->depth = 0;
	b->items = NULL;
	b->items_key = NULL;
	b->alias = NULL;
	b->anchors = false;
	b->streamed = 0;
	b->skipping = 0;
}

static int on_event(struct builder *b, struct fy_event *fye)
{
	switch (fye->type) {
	case FYET_DOCUMENT_START:
		if (b->fyd || (b->strict && b->streamed))
			return -1;	/* (a part is one document) */
		b->fyd = fy_document_create_from_event(b->fyp, fye);
		return b->fyd ? 0 : -1;
	case FYET_DOCUMENT_END:
		if (!b->fyd || fy_document_update_from_event(b->fyd, b->fyp,
							     fye))
			return -1;
		if (b->strict) {	/* a part: its items are read (and
					 * its header is not the List's) */
			fy_document_destroy(b->fyd);
			b->fyd = NULL;
			return 0;
		}
		end_document(b);
		return 0;
	case FYET_SCALAR:
	case FYET_ALIAS:
	case FYET_MAPPING_START:
	case FYET_SEQUENCE_START:
		return b->fyd ? node_event(b, fye) : -1;
	case FYET_MAPPING_END:
	case FYET_SEQUENCE_END:
		return end_event(b, fye);
	default:
		return 0;
	}
}

/*
 * a document cut short (a syntax error, a duplicate key) is freed: each
 * key still waiting for its value gets an empty one so that it joins its
 * mapping, and an item being streamed is in no tree, so it is freed alone
 */
static void builder_abort(struct builder *b)
{
	struct fy_node *fyn;
	size_t i;

	if (!b->fyd)
		return;
	for (i = b->depth; i-- > 0;) {
		if (!b->stack[i].pair)
			continue;	/* (a key may be a mapping, so any level) */
		fyn = fy_node_create_scalar(b->fyd, "", 0);
		if (!fyn || fy_node_pair_update_with_value(b->stack[i].pair, fyn))
			fy_node_free(fyn);
	}
	if (b->items && !b->anchors && b->depth > 2 &&
	    b->stack[1].node == b->items)
		fy_node_free(b->stack[2].node);
	fy_document_destroy(b->fyd);
	b->fyd = NULL;
}

/* a builder of @src's objects for @m from @fyp, which reads @input */
static void builder_init(struct builder *b, const struct gws_src *src,
			 struct gws_model *m, struct fy_parser *fyp,
			 const char *input, size_t input_len)
{
	memset(b, 0, sizeof(*b));
	b->src = src;
	b->m = m;
	b->fyp = fyp;
	b->add_max = SIZE_MAX;
	b->input = input;
	b->input_len = input_len;
}

/* read every document of @fyp; Returns: 0, or -1 if building failed */
static int build_documents(const struct gws_src *src, struct gws_model *m,
			   struct fy_parser *fyp, size_t skip)
{
	struct builder b;
	struct fy_event *fye;
	int rc = 0;

	builder_init(&b, src, m, fyp, src->data, src->len);
	b.skip = skip;
	while (rc == 0 && (fye = fy_parser_parse(fyp)) != NULL) {
		const struct fy_mark *mk;

		rc = on_event(&b, fye);
		if (src->mapped && (mk = fy_event_end_mark(fye)) != NULL)
			b.forgot = rd_forget(src, b.forgot, mk->input_pos);
		fy_parser_event_free(fyp, fye);
	}
	if (rc && b.fyd && !b.diagnosed)
		report_document_errors(src, b.fyd);
	builder_abort(&b);
	free(b.stack);
	return rc;
}

/* a parser of @len bytes at @text, from @src, with @flags added to gwshift's */
static struct fy_parser *parser_of(const struct gws_src *src,
				   const char *text, size_t len,
				   enum fy_parse_cfg_flags flags)
{
	struct fy_parse_cfg cfg = { 0 };
	struct fy_parser *fyp = NULL;
	struct fy_diag *diag = rd_quiet_diag();

	cfg.diag = diag;
	cfg.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | flags |
		    (looks_like_json(src) ? FYPCF_JSON_FORCE : FYPCF_JSON_NONE);
	fyp = diag ? fy_parser_create(&cfg) : NULL;
	if (fyp && fy_parser_set_string(fyp, text, len) == 0)
		return fyp;	/* @diag is released by gws_read_parser_done() */
	gws_diag_plain("error", "cannot start the YAML parser");
	fy_parser_destroy(fyp);
	fy_diag_unref(diag);
	return NULL;
}

struct fy_parser *gws_read_parser(const struct gws_src *src)
{
	return parser_of(src, src->data, src->len, 0);
}

/* as gws_read_parser_done(), the errors printed only if @say */
static size_t parser_done(const struct gws_src *src, struct fy_parser *fyp,
			  bool say)
{
	struct fy_diag *diag;
	size_t n = 0;

	if (!fyp)
		return 0;
	if (fy_parser_get_stream_error(fyp) && !say) {
		n = 1;
	} else if (fy_parser_get_stream_error(fyp)) {
		n = report_parse_errors(src, fyp);
		if (!n)
			gws_diag(&(struct gws_pos){ src, 1, 1 }, "error",
				 "cannot parse the input");
		n += !n;
	}
	diag = fy_parser_get_diag(fyp);
	fy_parser_destroy(fyp);
	/* turning collection off frees the collected errors (to no_output) */
	if (diag) {
		fy_diag_set_collect_errors(diag, false);
		fy_diag_unref(diag);	/* the reference just taken */
		fy_diag_unref(diag);	/* gws_read_parser()'s */
	}
	return n;
}

size_t gws_read_parser_done(const struct gws_src *src, struct fy_parser *fyp)
{
	return parser_done(src, fyp, true);
}

/*
 * the quotes-in-a-row check of the builder, for readers that load whole
 * documents: an event pass, only when the text has four quotes in a row
 * at all (syntax errors are left to the reader that follows)
 */
static int check_quote_runs(const struct gws_src *src)
{
	struct fy_parser *fyp;
	struct fy_event *fye;
	int rc = 0;

	if (!quote_run(src->data, src->len))
		return 0;
	fyp = parser_of(src, src->data, src->len, 0);
	while (fyp && rc == 0 && (fye = fy_parser_parse(fyp)) != NULL) {
		if (quote_run_event(src, src->data, src->len, fye, true))
			rc = -1;
		fy_parser_event_free(fyp, fye);
	}
	parser_done(src, fyp, false);
	return rc;
}

int gws_read_check_text(const struct gws_src *src)
{
	bool odd_breaks;

	if (check_text(src, &odd_breaks) < 0)
		return -1;
	return check_quote_runs(src);
}

/*
 * objects are small: no key hash tables, their lookups scan; and attach()
 * finds duplicate keys itself, faster than libfyaml does
 */
#define READ_FLAGS (FYPCF_DISABLE_ACCELERATORS | FYPCF_ALLOW_DUPLICATE_KEYS)

int rd_read_part(const struct gws_src *src, const char *text, size_t len,
		 struct gws_model *m, size_t want, bool last)
{
	struct fy_parser *fyp = parser_of(src, text, len, READ_FLAGS);
	struct builder b;
	struct fy_event *fye;
	int rc = fyp ? 0 : -1;

	builder_init(&b, src, m, fyp, text, len);
	b.strict = true;
	b.add_max = want;
	while (rc == 0 && (fye = fy_parser_parse(fyp)) != NULL) {
		rc = on_event(&b, fye);
		fy_parser_event_free(fyp, fye);
	}
	if (rc == 0 && (b.fyd || !b.items_pos.line ||
			b.streamed != want + !last))
		rc = -1;	/* cut short, or not the items expected */
	builder_abort(&b);
	free(b.stack);
	if (parser_done(src, fyp, false))
		rc = -1;
	return rc;
}

/*
 * read @src into @m; a large List is read in parts on @threads threads
 * (read_split.c), and from where that stopped, if it did, here
 */
static int read_buffer(const struct gws_src *src, struct gws_model *m,
		       unsigned threads)
{
	const char *test_split = getenv("GWSHIFT_TEST_SPLIT");
	struct fy_parser *fyp = NULL;
	size_t errors_before = m->errors, done = 0, part_bytes = 0;
	bool odd_breaks = false;

	if (check_text(src, &odd_breaks) < 0) {
		m->errors++;
		return GWS_EXIT_INPUT;
	}
	if (test_split) {	/* the tests split any List, into small parts */
		threads = 3;
		part_bytes = strtoul(test_split, NULL, 10);
	}
	if (threads > 1 && !odd_breaks && !looks_like_json(src) &&
	    rd_read_split(src, m, threads, part_bytes, &done))
		return m->errors != errors_before ? GWS_EXIT_INPUT : GWS_EXIT_OK;
	fyp = parser_of(src, src->data, src->len, READ_FLAGS);
	if (!fyp)
		return GWS_EXIT_IO;
	if (build_documents(src, m, fyp, done) < 0)
		m->errors++;
	if (gws_read_parser_done(src, fyp))
		m->errors++;
	rd_forget_all(src);
	return m->errors != errors_before ? GWS_EXIT_INPUT : GWS_EXIT_OK;
}

int gws_read_buffer(const struct gws_src *src, struct gws_model *m)
{
	return read_buffer(src, m, 1);
}

struct gws_src *gws_read_source(struct gws_inputs *in, const char *path)
{
	char *data = NULL;
	size_t len = 0, mapped = 0;
	int fd = 0, err;

	if (strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			gws_diag_plain("error", "cannot read '%s': %s", path,
				       strerror(errno));
			return NULL;
		}
		data = map_file(fd, &len, &mapped);
	}
	if (!data)
		data = slurp(fd, &len);
	err = data ? 0 : errno;
	if (fd > 0)
		close(fd);
	if (err) {
		gws_diag_plain("error", "cannot read '%s': %s", path,
			       strerror(err));
		return NULL;
	}
	return add_src(in, strcmp(path, "-") ? path : "<stdin>", data, len,
		       mapped);
}

static int read_one(struct gws_inputs *in, struct gws_model *m,
		    const char *path)
{
	struct gws_src *src = gws_read_source(in, path);

	return src ? read_buffer(src, m, in->threads) : GWS_EXIT_IO;
}

static bool wanted_file(const char *name)
{
	const char *ext = strrchr(name, '.');

	return ext && (!strcmp(ext, ".yaml") || !strcmp(ext, ".yml") ||
		       !strcmp(ext, ".json"));
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int worst(int a, int b)
{
	/* an I/O error outranks an input error */
	if (a == GWS_EXIT_IO || b == GWS_EXIT_IO)
		return GWS_EXIT_IO;
	return a ? a : b;
}

struct walk_to {
	int (*one)(void *arg, const char *path);
	void *arg;
};

static int walk_path(const struct walk_to *w, const char *path, bool top);

static int walk_dir(const struct walk_to *w, const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = GWS_EXIT_OK;

	if (!dir) {
		gws_diag_plain("error", "cannot read '%s': %s", path,
			       strerror(errno));
		return GWS_EXIT_IO;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		gws_grow((void **)&names, &cap, n + 1, sizeof(*names));
		names[n++] = gws_xasprintf("%s/%s", path, de->d_name);
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		rc = worst(rc, walk_path(w, names[i], false));
		free(names[i]);
	}
	free(names);
	return rc;
}

static int walk_path(const struct walk_to *w, const char *path, bool top)
{
	struct stat st;

	if (!strcmp(path, "-"))
		return w->one(w->arg, path);
	if ((top ? stat(path, &st) : lstat(path, &st)) < 0) {
		gws_diag_plain("error", "cannot read '%s': %s", path,
			       strerror(errno));
		return GWS_EXIT_IO;
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(w, path);
	if (!top && (!S_ISREG(st.st_mode) || !wanted_file(path)))
		return GWS_EXIT_OK;	/* links and other files in folders */
	return w->one(w->arg, path);
}

int gws_read_walk(char *const *paths, size_t npaths,
		  int (*one)(void *arg, const char *path), void *arg)
{
	struct walk_to w = { one, arg };
	int rc = GWS_EXIT_OK;
	size_t i;

	for (i = 0; i < npaths; i++)
		rc = worst(rc, walk_path(&w, paths[i], true));
	return rc;
}

struct read_to {
	struct gws_inputs *in;
	struct gws_model *m;
};

static int read_to_model(void *arg, const char *path)
{
	struct read_to *r = arg;

	return read_one(r->in, r->m, path);
}

int gws_read_paths(struct gws_inputs *in, struct gws_model *m,
		   char *const *paths, size_t npaths)
{
	struct read_to r = { in, m };

	return gws_read_walk(paths, npaths, read_to_model, &r);
}
