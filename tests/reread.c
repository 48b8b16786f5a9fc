/* reread.c - re-read YAML as YAML 1.2 (libfyaml) and YAML 1.1 (libyaml) */
/* SPDX-License-Identifier: MIT */

/*
 * gws-reread reads one YAML stream twice: with libfyaml's event parser,
 * resolving plain scalars by the YAML 1.2 core schema, and with libyaml's
 * loader, resolving them by the YAML 1.1 implicit types (what kubectl's YAML
 * library does with `on`, `yes`, `010`, ...). Each reading becomes a list of
 * typed records, one per node; --check compares the two lists.
 *
 *   gws-reread --check FILE...   exit 0 when both readers agree everywhere
 *   gws-reread --dump12 FILE     print the YAML 1.2 records
 *   gws-reread --dump11 FILE     print the YAML 1.1 records
 *
 * Exit status: 0 agree, 1 disagree or cannot read/parse, 2 usage error.
 */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>
#include <yaml.h>

#include "reread.h"

#define MAX_DEPTH 1000		/* nesting; also stops recursive aliases */
#define MAX_RECORDS 1000000	/* stops alias bombs */

enum kind { K_SCALAR, K_SEQ, K_MAP };

/*
 * struct node - one node as a reader sees it. A forest owns every node;
 * an alias is the same node pointer twice, so nodes are never freed
 * through their parents.
 */
struct node {
	enum kind kind;
	char *text;		/* scalars: typed rendering, `int 8080` */
	int line, col;		/* 1-based */
	struct node **kids;	/* seq: items; map: key, value, key, ... */
	size_t n, cap;
};

struct forest {
	const char *reader;	/* "yaml 1.2 (libfyaml)" */
	struct node **all;
	size_t nall, capall;
	struct node **docs;
	size_t ndocs, capdocs;
};

/* struct rec - one line of a dump: a node, its path and its type */
struct rec {
	int line, col;
	char *text;
};

struct recs {
	struct rec *v;
	size_t n, cap;
};

/* ---- the node forest ---- */

static struct node *node_new(struct forest *f, enum kind kind, int line,
			     int col)
{
	struct node *nd = gws_rr_realloc(NULL, sizeof(*nd));

	memset(nd, 0, sizeof(*nd));
	nd->kind = kind;
	nd->line = line;
	nd->col = col;
	f->all = gws_rr_grow(f->all, &f->capall, f->nall + 1, sizeof(*f->all));
	f->all[f->nall++] = nd;
	return nd;
}

static void node_add(struct node *parent, struct node *kid)
{
	parent->kids = gws_rr_grow(parent->kids, &parent->cap, parent->n + 1,
				   sizeof(*parent->kids));
	parent->kids[parent->n++] = kid;
}

static void forest_add_doc(struct forest *f, struct node *root)
{
	f->docs = gws_rr_grow(f->docs, &f->capdocs, f->ndocs + 1,
			      sizeof(*f->docs));
	f->docs[f->ndocs++] = root;
}

static void forest_release(struct forest *f)
{
	size_t i;

	for (i = 0; i < f->nall; i++) {
		free(f->all[i]->text);
		free(f->all[i]->kids);
		free(f->all[i]);
	}
	free(f->all);
	free(f->docs);
	f->all = NULL;
	f->docs = NULL;
	f->nall = f->capall = f->ndocs = f->capdocs = 0;
}

/* ---- YAML 1.2: libfyaml events ---- */

struct anchor {
	char *name;
	struct node *nd;
};

struct fy_state {
	struct forest *f;
	struct node *stack[MAX_DEPTH];
	int depth;
	struct anchor *anchors;
	size_t nanchors, capanchors;
	int line, col;		/* last known position */
};

static char *token_text(struct fy_token *t, size_t *lenp)
{
	const char *s;
	size_t n = 0;
	char *d;

	s = t ? fy_token_get_text(t, &n) : NULL;
	if (!s)
		n = 0;
	d = gws_rr_realloc(NULL, n + 1);
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	if (lenp)
		*lenp = n;
	return d;
}

static void anchors_clear(struct fy_state *st)
{
	size_t i;

	for (i = 0; i < st->nanchors; i++)
		free(st->anchors[i].name);
	st->nanchors = 0;
}

static void anchor_set(struct fy_state *st, struct fy_event *fye,
		       struct node *nd)
{
	struct fy_token *t = fy_event_get_anchor_token(fye);

	if (!t)
		return;
	st->anchors = gws_rr_grow(st->anchors, &st->capanchors,
				  st->nanchors + 1, sizeof(*st->anchors));
	st->anchors[st->nanchors].name = token_text(t, NULL);
	st->anchors[st->nanchors++].nd = nd;
}

static struct node *anchor_get(struct fy_state *st, const char *name)
{
	size_t i;

	for (i = st->nanchors; i > 0; i--)
		if (strcmp(st->anchors[i - 1].name, name) == 0)
			return st->anchors[i - 1].nd;
	return NULL;
}

/* attach() - make @nd the next child of the open collection, or a root */
static void attach(struct fy_state *st, struct node *nd)
{
	if (st->depth > 0)
		node_add(st->stack[st->depth - 1], nd);
	else
		forest_add_doc(st->f, nd);
}

static struct node *fy_scalar(struct fy_state *st, struct fy_event *fye)
{
	struct fy_token *t = fy_event_get_token(fye);
	struct fy_token *tt = fy_event_get_tag_token(fye);
	struct node *nd = node_new(st->f, K_SCALAR, st->line, st->col);
	char *tag = tt ? token_text(tt, NULL) : NULL;
	size_t n;
	char *s = token_text(t, &n);
	bool plain = !t || fy_token_scalar_style(t) == FYSS_PLAIN;

	nd->text = gws_rr_scalar(12, s, n, plain, tag);
	free(s);
	free(tag);
	return nd;
}

/* fy_event_one() - add one event to the forest; returns 0 or -1 */
static int fy_event_one(struct fy_state *st, const char *path,
			struct fy_event *fye)
{
	const struct fy_mark *m = fy_event_start_mark(fye);
	struct node *nd;
	char *name;

	if (m && m->line >= 0) {
		st->line = m->line + 1;
		st->col = m->column + 1;
	}
	switch (fye->type) {
	case FYET_DOCUMENT_START:
		anchors_clear(st);
		return 0;
	case FYET_MAPPING_START:
	case FYET_SEQUENCE_START:
		if (st->depth == MAX_DEPTH) {
			fprintf(stderr, "%s:%d:%d: error: nesting deeper "
				"than %d\n", path, st->line, st->col,
				MAX_DEPTH);
			return -1;
		}
		nd = node_new(st->f, fye->type == FYET_MAPPING_START ? K_MAP
				: K_SEQ, st->line, st->col);
		anchor_set(st, fye, nd);
		attach(st, nd);
		st->stack[st->depth++] = nd;
		return 0;
	case FYET_MAPPING_END:
	case FYET_SEQUENCE_END:
		st->depth--;
		return 0;
	case FYET_SCALAR:
		nd = fy_scalar(st, fye);
		anchor_set(st, fye, nd);
		attach(st, nd);
		return 0;
	case FYET_ALIAS:
		name = token_text(fy_event_get_token(fye), NULL);
		nd = anchor_get(st, name);
		if (!nd)
			fprintf(stderr, "%s:%d:%d: error: unknown anchor '%s'\n",
				path, st->line, st->col, name);
		free(name);
		if (!nd)
			return -1;
		attach(st, nd);
		return 0;
	default:
		return 0;
	}
}

/* load12() - read @path with libfyaml into @f; returns 0 or -1 */
static int load12(struct forest *f, const char *path)
{
	struct fy_parse_cfg cfg;
	struct fy_state st;
	struct fy_parser *fyp = NULL;
	struct fy_event *fye;
	int rc = -1;

	memset(&cfg, 0, sizeof(cfg));
	memset(&st, 0, sizeof(st));
	cfg.flags = FYPCF_DEFAULT_PARSE;
	st.f = f;
	st.line = st.col = 1;
	fyp = fy_parser_create(&cfg);
	if (!fyp || fy_parser_set_input_file(fyp, path) != 0) {
		fprintf(stderr, "%s: error: cannot open with libfyaml\n", path);
		goto out;
	}
	rc = 0;
	while (rc == 0 && (fye = fy_parser_parse(fyp)) != NULL) {
		rc = fy_event_one(&st, path, fye);
		fy_parser_event_free(fyp, fye);
	}
	if (rc == 0 && fy_parser_get_stream_error(fyp)) {
		fprintf(stderr, "%s: error: cannot parse as YAML 1.2 "
			"(libfyaml)\n", path);
		rc = -1;
	}
out:
	anchors_clear(&st);
	free(st.anchors);
	fy_parser_destroy(fyp);
	return rc;
}

/* ---- YAML 1.1: libyaml documents ---- */

/*
 * explicit_tag() - whether the node at @mark starts with a tag, maybe
 * after an anchor: libyaml's loader gives an untagged plain scalar the
 * str tag too, so only the source text tells `!!str yes` from `yes`.
 */
static bool explicit_tag(const struct gws_rr_source *src, yaml_mark_t mark)
{
	size_t i = gws_rr_source_at(src, mark.line, mark.column);

	if (i < src->len && src->buf[i] == '&') {
		while (i < src->len && !strchr(" \t\r\n,[]{}", src->buf[i]))
			i++;
		while (i < src->len && strchr(" \t\r\n", src->buf[i]))
			i++;
	}
	return i < src->len && src->buf[i] == '!';
}

struct y_state {
	struct forest *f;
	yaml_document_t *doc;
	const struct gws_rr_source *src;
	struct node **memo;	/* by node index - 1: aliases share nodes */
	const char *path;
};

static struct node *y_node(struct y_state *st, int index, int depth);

static struct node *y_scalar(struct y_state *st, yaml_node_t *yn)
{
	struct node *nd = node_new(st->f, K_SCALAR, (int)yn->start_mark.line
				   + 1, (int)yn->start_mark.column + 1);
	const char *tag = (const char *)yn->tag;
	bool plain = yn->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;

	if (tag && strcmp(tag, GWS_RR_TAG_STR) == 0 &&
	    !explicit_tag(st->src, yn->start_mark))
		tag = NULL;
	nd->text = gws_rr_scalar(11, (const char *)yn->data.scalar.value,
				 yn->data.scalar.length, plain, tag);
	return nd;
}

static int y_kids(struct y_state *st, struct node *nd, yaml_node_t *yn,
		  int depth)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *pr;
	struct node *k, *v;

	if (yn->type == YAML_SEQUENCE_NODE) {
		for (it = yn->data.sequence.items.start;
		     it < yn->data.sequence.items.top; it++) {
			if (!(k = y_node(st, *it, depth + 1)))
				return -1;
			node_add(nd, k);
		}
		return 0;
	}
	for (pr = yn->data.mapping.pairs.start;
	     pr < yn->data.mapping.pairs.top; pr++) {
		k = y_node(st, pr->key, depth + 1);
		v = k ? y_node(st, pr->value, depth + 1) : NULL;
		if (!v)
			return -1;
		node_add(nd, k);
		node_add(nd, v);
	}
	return 0;
}

/* y_node() - the node for libyaml node @index; NULL on error */
static struct node *y_node(struct y_state *st, int index, int depth)
{
	yaml_node_t *yn = yaml_document_get_node(st->doc, index);
	struct node *nd;

	if (!yn)
		return NULL;
	if (st->memo[index - 1])
		return st->memo[index - 1];
	if (depth >= MAX_DEPTH) {
		fprintf(stderr, "%s:%zu:%zu: error: nesting deeper than %d\n",
			st->path, yn->start_mark.line + 1,
			yn->start_mark.column + 1, MAX_DEPTH);
		return NULL;
	}
	if (yn->type == YAML_SCALAR_NODE) {
		nd = y_scalar(st, yn);
		st->memo[index - 1] = nd;
		return nd;
	}
	nd = node_new(st->f, yn->type == YAML_MAPPING_NODE ? K_MAP : K_SEQ,
		      (int)yn->start_mark.line + 1,
		      (int)yn->start_mark.column + 1);
	st->memo[index - 1] = nd;
	return y_kids(st, nd, yn, depth) == 0 ? nd : NULL;
}

static void y_error(const char *path, const yaml_parser_t *p)
{
	if (p->error == YAML_READER_ERROR) {
		fprintf(stderr, "%s: error: %s at byte %zu [yaml 1.1, "
			"libyaml]\n", path, p->problem ? p->problem : "cannot "
			"read", p->problem_offset);
		return;
	}
	fprintf(stderr, "%s:%zu:%zu: error: %s", path,
		p->problem_mark.line + 1, p->problem_mark.column + 1,
		p->problem ? p->problem : "cannot parse");
	if (p->context)
		fprintf(stderr, " (%s at %zu:%zu)", p->context,
			p->context_mark.line + 1, p->context_mark.column + 1);
	fputs(" [yaml 1.1, libyaml]\n", stderr);
}

/* y_document() - add the document's root to the forest; 1 at the end */
static int y_document(struct forest *f, const struct gws_rr_source *src,
		      const char *path, yaml_document_t *doc)
{
	struct y_state st;
	struct node *root;
	size_t count = (size_t)(doc->nodes.top - doc->nodes.start);

	if (!yaml_document_get_root_node(doc))
		return 1;
	st.f = f;
	st.doc = doc;
	st.src = src;
	st.path = path;
	st.memo = gws_rr_realloc(NULL, count * sizeof(*st.memo));
	memset(st.memo, 0, count * sizeof(*st.memo));
	root = y_node(&st, 1, 0);
	free(st.memo);
	if (!root)
		return -1;
	forest_add_doc(f, root);
	return 0;
}

/* load11() - read @src with libyaml into @f; returns 0 or -1 */
static int load11(struct forest *f, const struct gws_rr_source *src,
		  const char *path)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc = 0;

	if (!yaml_parser_initialize(&parser)) {
		fprintf(stderr, "%s: error: cannot start libyaml\n", path);
		return -1;
	}
	yaml_parser_set_input_string(&parser, src->buf, src->len);
	while (rc == 0) {
		if (!yaml_parser_load(&parser, &doc)) {
			y_error(path, &parser);
			rc = -1;
			break;
		}
		rc = y_document(f, src, path, &doc);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	return rc < 0 ? -1 : 0;
}

/* ---- records ---- */

static void recs_add(struct recs *r, const struct node *nd, char *text)
{
	r->v = gws_rr_grow(r->v, &r->cap, r->n + 1, sizeof(*r->v));
	r->v[r->n].line = nd->line;
	r->v[r->n].col = nd->col;
	r->v[r->n++].text = text;
}

static void recs_release(struct recs *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].text);
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}

/* path_key() - ".name" for a plain-word string key, else "[<typed>]" */
static void path_key(struct gws_rr_buf *path, const struct node *key)
{
	const char *t = key->text;
	size_t n;

	if (key->kind != K_SCALAR) {
		gws_rr_buf_adds(path, "[?]");
		return;
	}
	if (strncmp(t, "str \"", 5) == 0) {
		n = strlen(t + 5) - 1;
		if (n > 0 && strspn(t + 5, "abcdefghijklmnopqrstuvwxyz"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./") == n) {
			gws_rr_buf_adds(path, ".");
			gws_rr_buf_add(path, t + 5, n);
			return;
		}
	}
	gws_rr_buf_addf(path, "[%.100s]", t);
}

static int cmp_text(const void *a, const void *b)
{
	const struct node *x = *(struct node *const *)a;
	const struct node *y = *(struct node *const *)b;

	if (x->kind != K_SCALAR || y->kind != K_SCALAR)
		return (x->kind > y->kind) - (x->kind < y->kind);
	return strcmp(x->text, y->text);
}

/* dup_key() - a scalar key that occurs twice in map @nd, or NULL */
static const struct node *dup_key(const struct node *nd)
{
	size_t i, nk = nd->n / 2;
	const struct node **keys, *dup = NULL;

	if (nk < 2)
		return NULL;
	keys = gws_rr_realloc(NULL, nk * sizeof(*keys));
	for (i = 0; i < nk; i++)
		keys[i] = nd->kids[2 * i];
	qsort(keys, nk, sizeof(*keys), cmp_text);
	for (i = 1; i < nk && !dup; i++)
		if (keys[i]->kind == K_SCALAR && keys[i - 1]->kind == K_SCALAR &&
		    strcmp(keys[i]->text, keys[i - 1]->text) == 0)
			dup = keys[i];
	free(keys);
	return dup;
}

struct flat {
	struct recs *r;
	struct gws_rr_buf path;
	const char *file;
	const char *reader;
};

static int flatten(struct flat *fl, const struct node *nd, const char *label,
		   int depth);

static int flatten_kids(struct flat *fl, const struct node *nd, int depth)
{
	size_t i, keep = fl->path.len;
	const struct node *dup;

	for (i = 0; i < nd->n; i++) {
		if (nd->kind == K_SEQ) {
			gws_rr_buf_addf(&fl->path, "[%zu]", i);
		} else if (i % 2 == 0) {
			if (flatten(fl, nd->kids[i], "key ", depth + 1))
				return -1;
			continue;
		} else {
			path_key(&fl->path, nd->kids[i - 1]);
		}
		if (flatten(fl, nd->kids[i], "", depth + 1))
			return -1;
		fl->path.len = keep;
		fl->path.s[keep] = '\0';
	}
	dup = nd->kind == K_MAP ? dup_key(nd) : NULL;
	if (dup)
		fprintf(stderr, "%s:%d:%d: error: duplicate key %s in %s as %s "
			"reads it\n", fl->file, dup->line, dup->col,
			dup->text, fl->path.s, fl->reader);
	return dup ? -1 : 0;
}

/* flatten() - append the records of @nd and its children to fl->r */
static int flatten(struct flat *fl, const struct node *nd, const char *label,
		   int depth)
{
	struct gws_rr_buf b = { 0 };

	if (depth >= MAX_DEPTH || fl->r->n >= MAX_RECORDS) {
		fprintf(stderr, "%s:%d:%d: error: %s\n", fl->file, nd->line,
			nd->col, depth >= MAX_DEPTH ? "nesting too deep or "
			"recursive alias" : "too many nodes (alias bomb?)");
		return -1;
	}
	gws_rr_buf_adds(&b, fl->path.s);
	gws_rr_buf_adds(&b, " ");
	gws_rr_buf_adds(&b, label);
	if (nd->kind == K_SCALAR)
		gws_rr_buf_adds(&b, nd->text);
	else
		gws_rr_buf_addf(&b, "%s %zu", nd->kind == K_MAP ? "map" : "seq",
				nd->kind == K_MAP ? nd->n / 2 : nd->n);
	recs_add(fl->r, nd, gws_rr_buf_detach(&b));
	if (nd->kind == K_SCALAR)
		return 0;
	if (*label) {
		/* a collection used as a key: its children get their own path */
		size_t keep = fl->path.len;
		int rc;

		gws_rr_buf_adds(&fl->path, "{key}");
		rc = flatten_kids(fl, nd, depth);
		fl->path.len = keep;
		fl->path.s[keep] = '\0';
		return rc;
	}
	return flatten_kids(fl, nd, depth);
}

/* flatten_forest() - records of every document of @f into @r */
static int flatten_forest(const struct forest *f, const char *file,
			  struct recs *r)
{
	struct flat fl = { r, { 0 }, file, f->reader };
	struct gws_rr_buf b = { 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < f->ndocs && rc == 0; i++) {
		gws_rr_buf_addf(&b, "--- document %zu", i + 1);
		recs_add(r, f->docs[i], gws_rr_buf_detach(&b));
		fl.path.len = 0;
		gws_rr_buf_adds(&fl.path, "$");
		rc = flatten(&fl, f->docs[i], "", 0);
	}
	free(fl.path.s);
	return rc;
}

/* ---- commands ---- */
/* read_both() - the records of @path as YAML 1.2 and as YAML 1.1 */
static int read_both(const char *path, struct recs *r12, struct recs *r11)
{
	struct gws_rr_source src = { 0 };
	struct forest f12 = { .reader = "yaml 1.2 (libfyaml)" };
	struct forest f11 = { .reader = "yaml 1.1 (libyaml)" };
	int rc = -1;

	if (gws_rr_source_read(&src, path))
		goto out;
	if (r12 && (load12(&f12, path) || flatten_forest(&f12, path, r12)))
		goto out;
	if (r11 && (load11(&f11, &src, path) ||
		    flatten_forest(&f11, path, r11)))
		goto out;
	rc = 0;
out:
	forest_release(&f11);
	forest_release(&f12);
	gws_rr_source_release(&src);
	return rc;
}

/* text after the "L:C " position is what is compared */
static int compare(const char *path, const struct recs *a,
		   const struct recs *b)
{
	size_t i, n = a->n < b->n ? a->n : b->n;
	const struct rec *x, *y;

	for (i = 0; i < n; i++)
		if (strcmp(a->v[i].text, b->v[i].text) != 0)
			break;
	if (i == a->n && i == b->n)
		return 0;
	x = i < a->n ? &a->v[i] : NULL;
	y = i < b->n ? &b->v[i] : NULL;
	fprintf(stderr, "%s:%d:%d: error: the YAML 1.2 and YAML 1.1 readers "
		"disagree\n", path, x ? x->line : y->line,
		x ? x->col : y->col);
	gws_rr_show_line(path, x ? x->line : y->line, x ? x->col : y->col);
	fprintf(stderr, "  yaml 1.2 (libfyaml) %d:%d: %s\n",
		x ? x->line : 0, x ? x->col : 0, x ? x->text : "(nothing more)");
	fprintf(stderr, "  yaml 1.1 (libyaml)  %d:%d: %s\n",
		y ? y->line : 0, y ? y->col : 0, y ? y->text : "(nothing more)");
	return 1;
}

static int cmd_check(const char *path)
{
	struct recs r12 = { 0 }, r11 = { 0 };
	int rc = 1;

	if (read_both(path, &r12, &r11) == 0)
		rc = compare(path, &r12, &r11);
	recs_release(&r12);
	recs_release(&r11);
	return rc;
}

static int cmd_dump(const char *path, int version)
{
	struct recs r = { 0 };
	size_t i;
	int rc;

	rc = read_both(path, version == 12 ? &r : NULL,
		       version == 11 ? &r : NULL);
	for (i = 0; rc == 0 && i < r.n; i++)
		printf("%d:%d %s\n", r.v[i].line, r.v[i].col, r.v[i].text);
	recs_release(&r);
	if (fflush(stdout) != 0)
		rc = -1;
	return rc ? 1 : 0;
}

static void usage(FILE *fp)
{
	fputs("usage: " GWS_RR_PROG " --check FILE...\n"
	      "       " GWS_RR_PROG " --dump12 FILE\n"
	      "       " GWS_RR_PROG " --dump11 FILE\n"
	      "\n"
	      "Reads YAML as YAML 1.2 core schema (libfyaml) and as YAML 1.1\n"
	      "(libyaml). --check exits 0 when both read every value with\n"
	      "the same type, 1 when they disagree or cannot parse a file.\n"
	      "--dump12/--dump11 print one typed record per node.\n"
	      "Exit status: 0 agree, 1 disagree or error, 2 usage error.\n",
	      fp);
}

int main(int argc, char **argv)
{
	int i, rc = 0;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	gws_rr_scalar_init();
	if (argc >= 3 && strcmp(argv[1], "--check") == 0) {
		for (i = 2; i < argc; i++)
			if (cmd_check(argv[i]))
				rc = 1;
	} else if (argc == 3 && strcmp(argv[1], "--dump12") == 0) {
		rc = cmd_dump(argv[2], 12);
	} else if (argc == 3 && strcmp(argv[1], "--dump11") == 0) {
		rc = cmd_dump(argv[2], 11);
	} else {
		fputs(GWS_RR_PROG ": bad usage\n"
		      "see '" GWS_RR_PROG " --help'\n", stderr);
		rc = 2;
	}
	gws_rr_scalar_release();
	return rc;
}
