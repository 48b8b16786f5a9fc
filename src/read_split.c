/* read_split.c - read the items of a large kubectl List on several threads */
/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "gwshift/report.h"
#include "gwshift/util.h"
#include "read_internal.h"
#include "banned.h"

/*
 * Parsing is most of reading, and one parser is one thread. An export by
 * kubectl is one List document,
 *
 *	apiVersion: v1
 *	items:
 *	- apiVersion: networking.k8s.io/v1
 *	  ...
 *	kind: List
 *
 * whose items each start a line with "- ". libfyaml lets no scalar or
 * collection run on past such a line (a quoted scalar or a flow collection
 * cut there is an error, a plain or block scalar ends), so the items can be
 * cut into parts at those lines and each part read alone, on its own
 * thread, into a model and report of its own. A part is read in the
 * context it has in the whole ("items:" before it), followed by the first
 * line of the next item (or, for the last, the List's keys after the
 * items), so that its last item ends as it does in the whole. The
 * reader's thread then takes each part's objects, findings and
 * diagnostics in order, so the model and the messages are what reading
 * the whole would give.
 *
 * The cut is only made where that holds for sure; anything else is read
 * whole by read.c: a file under SPLIT_MIN bytes, JSON, directives, more
 * than one document, a top level that is not "key: value" lines around
 * one "items:", an anchor or alias character in those, items indented
 * under "items:", a line break other than LF and CRLF (libfyaml's line
 * count is then not the same), a header or trailer that is not a List. A
 * part that fails (an alias, an anchor, a duplicate key, a syntax error,
 * not one item per "- " line) stops the split there: read.c reads the
 * whole, skipping the items the parts before it gave, so every message
 * about a part that failed is the whole reader's.
 */
#define SPLIT_MIN ((size_t)256 << 10)
#define PART_MIN ((size_t)16 << 10)
#define PART_MAX ((size_t)256 << 10)
#define AHEAD 4		/* parts read ahead of the model, a thread */

struct part {
	size_t start;		/* bytes [start, end) of the source */
	size_t end;
	size_t items;		/* "- " lines in it */
	struct gws_src view;	/* its marks, as places in the source */
	/* what reading it gave, for the model's thread to take in order */
	struct gws_model m;
	struct gws_report rep;
	char *diag;		/* the diagnostics it printed */
	size_t diag_len;
	int state;		/* TODO, BUSY, DONE or FAILED */
};

enum { TODO, BUSY, DONE, FAILED };

struct split {
	const struct gws_src *src;
	size_t header;		/* bytes before the items */
	size_t trailer;		/* where the bytes after them start */
	struct part *parts;
	size_t n;
	size_t cap;
	/* shared with the threads, under mu */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next;		/* the next part to read */
	size_t limit;		/* parts up to here may be read */
	bool stop;
};

/* a line at @s (@n bytes to the end of the source) is "items:" */
static bool items_line(const char *s, size_t n)
{
	size_t i = 6;

	if (n < 6 || memcmp(s, "items:", 6) != 0)
		return false;
	while (i < n && s[i] == ' ')
		i++;
	return i == n || s[i] == '\n' || (s[i] == '\r' && i + 1 < n &&
					  s[i + 1] == '\n');
}

/* a line starting "- ", or just "-": an item of the list */
static bool item_line(const char *s, size_t n)
{
	return n >= 2 && s[0] == '-' &&
	       (s[1] == ' ' || s[1] == '\n' ||
		(s[1] == '\r' && n >= 3 && s[2] == '\n'));
}

/* a line of a top level that is "key: value" lines (and comments) */
static bool plain_line(char c)
{
	return !strchr("-%.[{\t?:&*!|>'\"@`", c);
}

/* a line inside an item (indented, blank or a comment) */
static bool inner_line(const char *s, size_t n)
{
	return s[0] == ' ' || s[0] == '#' || s[0] == '\n' ||
	       (s[0] == '\r' && n > 1 && s[1] == '\n');
}

/* a CR not followed by LF: a line break libfyaml counts and we do not */
static bool lone_cr(const struct gws_src *src)
{
	const char *p = src->data, *end = src->data + src->len;

	while ((p = memchr(p, '\r', (size_t)(end - p))) != NULL) {
		if (p + 1 == end || p[1] != '\n')
			return true;
		p += 2;
	}
	return false;
}

static void add_part(struct split *sp, size_t start, size_t end,
		     size_t items, int line0)
{
	struct part *pt;

	gws_grow((void **)&sp->parts, &sp->cap, sp->n + 1, sizeof(*sp->parts));
	pt = &sp->parts[sp->n++];
	memset(pt, 0, sizeof(*pt));
	pt->start = start;
	pt->end = end;
	pt->items = items;
	pt->view = *sp->src;
	pt->view.mapped = 0;
	pt->view.whole = sp->src;
	pt->view.line0 = line0 - 1;	/* read after a line "items:" */
}

/*
 * find the header, the items and the trailer of @sp->src, and cut the
 * items into parts of about @size bytes at "- " lines
 * Returns: false if the source is not that shape
 */
static bool cut(struct split *sp, size_t size)
{
	const char *s = sp->src->data;
	size_t len = sp->src->len, off = 0, next, start = 0, items = 0;
	const char *eol;
	int line = 0, line0 = 0;
	bool in_items = false;

	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		off = 3;	/* a byte-order mark */
	for (; off < len; off = next, line++) {
		eol = memchr(s + off, '\n', len - off);
		next = eol ? (size_t)(eol - s) + 1 : len;
		if (!in_items && !sp->header) {
			if (items_line(s + off, len - off)) {
				sp->header = next;
				in_items = true;
			} else if (!plain_line(s[off])) {
				return false;
			}
			continue;
		}
		if (!in_items) {	/* the trailer */
			if (!plain_line(s[off]))
				return false;
			continue;
		}
		if (inner_line(s + off, len - off)) {
			if (s[off] == ' ' && !sp->n && !items)
				return false;	/* not a list of items */
			continue;
		}
		if (!item_line(s + off, len - off)) {
			if (s[off] == '-' || !plain_line(s[off]))
				return false;
			in_items = false;	/* the trailer starts */
			sp->trailer = off;
			continue;
		}
		if (items && off - start >= size) {
			add_part(sp, start, off, items, line0);
			items = 0;
		}
		if (!items) {
			start = off;
			line0 = line;
		}
		items++;
	}
	if (!sp->header || !items)
		return false;
	if (in_items)
		sp->trailer = len;
	add_part(sp, start, sp->trailer, items, line0);
	return sp->n > 1;
}

/*
 * the document without its items must be a List: its header and trailer
 * together, "items:" left empty
 */
static bool is_list(const struct split *sp)
{
	const struct gws_src *src = sp->src;
	size_t hlen = sp->header, tlen = src->len - sp->trailer;
	struct fy_parse_cfg cfg = { 0 };
	struct fy_document *fyd;
	struct fy_node *root, *items;
	char *text = gws_xmalloc(hlen + tlen + 1);
	bool ok = false;

	memcpy(text, src->data, hlen);
	memcpy(text + hlen, src->data + sp->trailer, tlen);
	text[hlen + tlen] = '\0';
	/* an anchor makes read.c keep every item until the end (to resolve
	 * aliases): no part may be read before (any '&' or '*' will do) */
	if (strpbrk(text, "&*")) {
		free(text);
		return false;
	}
	cfg.flags = FYPCF_QUIET | FYPCF_JSON_NONE;
	cfg.diag = rd_quiet_diag();
	fyd = cfg.diag ? fy_document_build_from_string(&cfg, text, hlen + tlen) :
	      NULL;
	root = fyd ? fy_document_root(fyd) : NULL;
	if (root && fy_node_is_mapping(root) &&
	    fy_node_mapping_lookup_pair_by_string(root, "items", 5)) {
		items = fy_node_mapping_lookup_by_string(root, "items", 5);
		ok = (!items || (fy_node_is_scalar(items) &&
				 !fy_node_is_alias(items) &&
				 !fy_node_get_scalar_length(items))) &&
		     rd_list_kind(fy_node_mapping_lookup_scalar0_by_simple_key(
			     root, "kind", 4));
	}
	fy_document_destroy(fyd);
	if (cfg.diag) {	/* collection off frees what it collected */
		fy_diag_set_collect_errors(cfg.diag, false);
		fy_diag_unref(cfg.diag);
	}
	free(text);
	return ok;
}

/* the length of the line at @s, with its line break */
static size_t line_len(const char *s, const char *end)
{
	const char *eol = memchr(s, '\n', (size_t)(end - s));

	return eol ? (size_t)(eol - s) + 1 : (size_t)(end - s);
}

/*
 * read part @k into a model and report of its own, as gws_model_add()
 * would read its items of the whole, its diagnostics kept to be printed
 * in order; each item's tree is freed as soon as it is read, by the
 * thread that made it. A part is read as the List's "items:" with its
 * lines (the context libfyaml reads them in in the whole), then the first
 * line of the next item, so that its own last item ends as it does in the
 * whole (libfyaml refuses a "- " at the very end: that alone will not
 * do), or for the last part the trailer.
 */
static void read_one_part(struct split *sp, size_t k)
{
	const struct gws_src *src = sp->src;
	struct part *pt = &sp->parts[k];
	bool last = k + 1 == sp->n;
	size_t len = pt->end - pt->start, tlen;
	const char *tail;
	FILE *fp, *was;
	char *text;
	int rc;

	gws_report_init(&pt->rep);
	gws_model_init(&pt->m, &pt->rep);
	fp = open_memstream(&pt->diag, &pt->diag_len);
	if (!fp) {
		pt->state = FAILED;
		return;
	}
	tail = src->data + (last ? sp->trailer : pt->end);
	tlen = last ? src->len - sp->trailer :
		      line_len(tail, src->data + src->len);
	text = gws_xmalloc(7 + len + tlen + 1);
	memcpy(text, "items:\n", 7);
	memcpy(text + 7, src->data + pt->start, len);
	memcpy(text + 7 + len, tail, tlen);
	text[7 + len + tlen] = '\0';
	was = gws_diag_set_stream(fp);
	rc = rd_read_part(&pt->view, text, 7 + len + tlen, &pt->m, pt->items,
			  last);
	gws_diag_set_stream(was);
	fclose(fp);
	free(text);
	pt->state = rc == 0 ? DONE : FAILED;
}

static void *reader(void *arg)
{
	struct split *sp = arg;
	size_t k;

	pthread_mutex_lock(&sp->mu);
	for (;;) {
		while (!sp->stop && sp->next < sp->n && sp->next >= sp->limit)
			pthread_cond_wait(&sp->cv, &sp->mu);
		if (sp->stop || sp->next >= sp->n)
			break;
		k = sp->next++;
		sp->parts[k].state = BUSY;
		pthread_mutex_unlock(&sp->mu);
		read_one_part(sp, k);
		pthread_mutex_lock(&sp->mu);
		pthread_cond_broadcast(&sp->cv);
	}
	pthread_mutex_unlock(&sp->mu);
	return NULL;
}

/* part @pt's objects and findings into @m, its diagnostics printed */
static void take_part(struct part *pt, struct gws_model *m)
{
	if (pt->diag_len)
		gws_diag_puts(pt->diag);
	gws_model_take(m, &pt->m);
	gws_report_take(m->rep, &pt->rep);
}

static void part_release(struct part *pt)
{
	if (pt->state == DONE || pt->state == FAILED) {
		gws_model_release(&pt->m);
		gws_report_release(&pt->rep);
	}
	free(pt->diag);
	pt->diag = NULL;
}

static unsigned start_readers(struct split *sp, pthread_t *tids,
			      unsigned threads)
{
	unsigned nt;

	for (nt = 0; nt < threads; nt++)
		if (pthread_create(&tids[nt], NULL, reader, sp) != 0)
			break;
	return nt;
}

bool rd_read_split(const struct gws_src *src, struct gws_model *m,
		   unsigned threads, size_t part_bytes, size_t *done)
{
	struct split sp;
	pthread_t tids[64];
	size_t k, forgot = 0;
	unsigned nt;
	bool ok = true;

	*done = 0;
	if (src->len < SPLIT_MIN && !part_bytes)
		return false;
	if (threads > GWS_ARRAY_SIZE(tids))
		threads = GWS_ARRAY_SIZE(tids);
	if (!part_bytes) {
		part_bytes = src->len / threads / 16;
		part_bytes = part_bytes < PART_MIN ? PART_MIN :
			     part_bytes > PART_MAX ? PART_MAX : part_bytes;
	}
	memset(&sp, 0, sizeof(sp));
	sp.src = src;
	if (lone_cr(src) || !cut(&sp, part_bytes) || !is_list(&sp)) {
		free(sp.parts);
		return false;
	}
	pthread_mutex_init(&sp.mu, NULL);
	pthread_cond_init(&sp.cv, NULL);
	sp.limit = (size_t)threads * AHEAD;
	nt = start_readers(&sp, tids, threads);
	for (k = 0; k < sp.n && ok; k++) {
		pthread_mutex_lock(&sp.mu);
		while (nt && sp.parts[k].state != DONE &&
		       sp.parts[k].state != FAILED)
			pthread_cond_wait(&sp.cv, &sp.mu);
		if (!nt && sp.parts[k].state == TODO) {	/* no thread */
			sp.next = k + 1;
			read_one_part(&sp, k);
		}
		ok = sp.parts[k].state == DONE;
		sp.limit = k + 1 + (size_t)threads * AHEAD;
		pthread_cond_broadcast(&sp.cv);
		pthread_mutex_unlock(&sp.mu);
		if (ok) {
			take_part(&sp.parts[k], m);
			*done += sp.parts[k].items;
			forgot = rd_forget(src, forgot, sp.parts[k].end);
		}
		part_release(&sp.parts[k]);
	}
	pthread_mutex_lock(&sp.mu);
	sp.stop = true;
	pthread_cond_broadcast(&sp.cv);
	pthread_mutex_unlock(&sp.mu);
	while (nt)
		pthread_join(tids[--nt], NULL);
	for (; k < sp.n; k++)
		part_release(&sp.parts[k]);
	pthread_cond_destroy(&sp.cv);
	pthread_mutex_destroy(&sp.mu);
	free(sp.parts);
	if (ok)
		rd_forget_all(src);
	return ok;
}
