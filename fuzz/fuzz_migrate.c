/* fuzz_migrate.c - libFuzzer target: a manifest's bytes -> migrate's rewrite */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "gwshift/map.h"
#include "gwshift/mappings.h"
#include "migrate/internal.h"
#include "options.h"
#include "banned.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME "fuzz.yaml"
#define MAX_DEPTH 256	/* deeper than this, trees are taken as equal */

/* loaded once: the built-in tables do not depend on the input */
static struct gws_mapping_set maps;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (gws_mappings_load(&maps, NULL) != 0)
		abort();
	return 0;
}

/* an invariant of the rewriter does not hold: libFuzzer keeps the input */
static _Noreturn void broken(const char *what)
{
	fprintf(stderr, "fuzz_migrate: %s\n", what);
	abort();
}

/*
 * The command-line choices follow from the low bits of the input size, as
 * in fuzz_convert.c (options.h); bit 5 asks for the --dry-run diff too.
 */
static bool pick_options(size_t size, struct gws_map_opts *o)
{
	fuzz_pick_options(size, o);
	return size & 32;
}

/* ---- 1. every byte outside the spans is kept ---- */

static void check_spans(const struct mig_file *f)
{
	const char *a = f->src.data, *b = f->out;
	size_t i, pa = 0, pb = 0;

	for (i = 0; i < f->nspans; i++) {
		const struct mig_span *sp = &f->spans[i];

		if (sp->a0 < pa || sp->a1 < sp->a0 || sp->a1 > f->src.len ||
		    sp->b0 < pb || sp->b1 < sp->b0 || sp->b1 > f->outlen)
			broken("spans out of order or out of bounds");
		if (sp->a0 - pa != sp->b0 - pb ||
		    memcmp(a + pa, b + pb, sp->a0 - pa))
			broken("bytes between spans changed");
		pa = sp->a1;
		pb = sp->b1;
	}
	if (f->src.len - pa != f->outlen - pb ||
	    memcmp(a + pa, b + pb, f->src.len - pa))
		broken("bytes after the last span changed");
}

/* ---- 2. each span's old bytes are one whole Ingress document ---- */

/* the documents of some text, loaded as the reader loads them */
struct docs {
	struct fy_parser *fyp;
	struct fy_document **d;
	size_t n, cap;
};

/* as gws_read_parser() decides it for a .yaml name */
static bool json_mode(const char *s, size_t len)
{
	size_t i = len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3) ? 3 : 0;

	while (i < len && strchr(" \t\r\n", s[i]))
		i++;
	return i < len && (s[i] == '{' || s[i] == '[');
}

/* Returns: 0, or -1 when the text does not parse (@ds then empty) */
static int load(struct docs *ds, const char *s, size_t len, bool json)
{
	struct fy_parse_cfg cfg = { 0 };
	struct fy_document *fyd;

	memset(ds, 0, sizeof(*ds));
	cfg.flags = FYPCF_QUIET |
		    (json ? FYPCF_JSON_FORCE : FYPCF_JSON_NONE);
	ds->fyp = fy_parser_create(&cfg);
	if (!ds->fyp || fy_parser_set_string(ds->fyp, s, len) != 0)
		abort();
	while ((fyd = fy_parse_load_document(ds->fyp)) != NULL) {
		gws_grow((void **)&ds->d, &ds->cap, ds->n + 1, sizeof(*ds->d));
		ds->d[ds->n++] = fyd;
	}
	return fy_parser_get_stream_error(ds->fyp) ? -1 : 0;
}

static void unload(struct docs *ds)
{
	size_t i;

	for (i = 0; i < ds->n; i++)
		fy_parse_document_destroy(ds->fyp, ds->d[i]);
	free(ds->d);
	fy_parser_destroy(ds->fyp);
}

static bool same_text(const char *a, size_t la, const char *b, size_t lb)
{
	if (!a || !b)
		return a == b;
	return la == lb && !memcmp(a, b, la);
}

static bool same_node(struct fy_node *a, struct fy_node *b, unsigned depth);

static bool same_items(struct fy_node *a, struct fy_node *b, unsigned depth)
{
	void *ia = NULL, *ib = NULL;
	struct fy_node *x, *y;

	do {
		x = fy_node_sequence_iterate(a, &ia);
		y = fy_node_sequence_iterate(b, &ib);
		if (!same_node(x, y, depth + 1))
			return false;
	} while (x);
	return true;
}

static bool same_pairs(struct fy_node *a, struct fy_node *b, unsigned depth)
{
	void *ia = NULL, *ib = NULL;
	struct fy_node_pair *x, *y;

	for (;;) {
		x = fy_node_mapping_iterate(a, &ia);
		y = fy_node_mapping_iterate(b, &ib);
		if (!x || !y)
			return x == y;
		if (!same_node(fy_node_pair_key(x), fy_node_pair_key(y),
			       depth + 1) ||
		    !same_node(fy_node_pair_value(x), fy_node_pair_value(y),
			       depth + 1))
			return false;
	}
}

/* the same type, style, tag and content, in the same order */
static bool same_node(struct fy_node *a, struct fy_node *b, unsigned depth)
{
	const char *ta, *tb;
	size_t la = 0, lb = 0;

	if (!a || !b)
		return a == b;
	if (fy_node_get_type(a) != fy_node_get_type(b) ||
	    fy_node_get_style(a) != fy_node_get_style(b))
		return false;
	ta = fy_node_get_tag(a, &la);
	tb = fy_node_get_tag(b, &lb);
	if (!same_text(ta, la, tb, lb))
		return false;
	if (depth > MAX_DEPTH)
		return true;
	switch (fy_node_get_type(a)) {
	case FYNT_SEQUENCE:
		return same_items(a, b, depth);
	case FYNT_MAPPING:
		return same_pairs(a, b, depth);
	default:
		ta = fy_node_get_scalar(a, &la);
		tb = fy_node_get_scalar(b, &lb);
		return same_text(ta, la, tb, lb);
	}
}

/* a directive ('%' at the start of a line) applies beyond its document */
static bool has_directive(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	for (; p < end; p++)
		if (*p == '%' && (p == s || p[-1] == '\n'))
			return true;
	return false;
}

/* is document @d edited, and its old bytes inside @sp? */
static bool edited_in(const struct mig_doc *d, const struct mig_span *sp)
{
	if (d->action == MIG_REPLACE)
		return sp->a0 <= d->cstart && d->cend <= sp->a1;
	if (d->action == MIG_REMOVE)
		return sp->a0 <= d->rstart && d->rend <= sp->a1;
	return false;
}

/*
 * Parsed alone, the old bytes of a span are the documents it covers (one,
 * or a few in a row when their spans met), the same trees as in the whole
 * file, and every edited document is in a span: the ranges found from the
 * parser's marks and the lines around them cut no document short and take
 * nothing of another.
 */
static void check_ranges(const struct mig_file *f)
{
	const char *s = f->src.data;
	bool json = json_mode(s, f->src.len);
	struct docs all, one;
	size_t i = 0, k, j;

	if (has_directive(s, f->src.len))
		return;
	if (load(&all, s, f->src.len, json) < 0)
		broken("a migrated file does not parse");
	for (k = 0; k < f->nspans; k++) {
		const struct mig_span *sp = &f->spans[k];

		if (load(&one, s + sp->a0, sp->a1 - sp->a0, json) < 0)
			broken("a span does not parse alone");
		for (j = 0; i < f->ndocs; i++) {
			const struct mig_doc *d = &f->docs[i];

			if (d->action != MIG_REPLACE &&
			    d->action != MIG_REMOVE)
				continue;
			if (!edited_in(d, sp))
				break;
			if (j >= one.n || d->index >= all.n ||
			    !same_node(fy_document_root(one.d[j++]),
				       fy_document_root(all.d[d->index]), 0))
				broken("a span is not the documents it edits");
		}
		if (!j || j != one.n)
			broken("a span is not whole documents");
		unload(&one);
	}
	for (; i < f->ndocs; i++)
		if (f->docs[i].action == MIG_REPLACE ||
		    f->docs[i].action == MIG_REMOVE)
			broken("an edited document has no span");
	unload(&all);
}

/* ---- 3. the --dry-run diff applies and gives the new bytes ---- */

/* the end of the line at @p: after its '\n', or @end */
static const char *eol(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl + 1 : end;
}

/* diff line [d, de) shows old line [a, ae) (which may lack its '\n') */
static bool shows(const char *d, const char *de, const char *a,
		  const char *ae)
{
	size_t n = (size_t)(ae - a);

	if (n && a[n - 1] != '\n')
		return (size_t)(de - d) == n + 1 && de[-1] == '\n' &&
		       !memcmp(d, a, n);
	return (size_t)(de - d) == n && !memcmp(d, a, n);
}

/* struct patch - applying one diff to the old text */
struct patch {
	const char *a, *ae;	/* the old text not yet taken */
	const char *p, *pe;	/* the diff not yet read */
	size_t line;		/* the number of the old line at @a */
	struct gws_buf out;
};

/* one hunk, at its "@@ " line; Returns: false when it does not apply */
static bool hunk(struct patch *pt)
{
	unsigned long start, olds = 1, news = 1;
	char *q, prev = 0;
	const char *e, *l;

	if (strncmp(pt->p, "@@ -", 4))
		return false;
	start = strtoul(pt->p + 4, &q, 10);
	if (*q == ',')
		olds = strtoul(q + 1, &q, 10);
	if (strncmp(q, " +", 2))
		return false;
	(void)strtoul(q + 2, &q, 10);
	if (*q == ',')
		news = strtoul(q + 1, &q, 10);
	start += olds == 0;	/* an empty range names the line before */
	if (start < pt->line)
		return false;
	for (; pt->line < start && pt->a < pt->ae; pt->line++) {
		l = eol(pt->a, pt->ae);
		gws_buf_add(&pt->out, pt->a, (size_t)(l - pt->a));
		pt->a = l;
	}
	for (pt->p = eol(pt->p, pt->pe);
	     pt->p < pt->pe && strncmp(pt->p, "@@ ", 3); pt->p = e) {
		e = eol(pt->p, pt->pe);
		if (*pt->p == '+') {
			gws_buf_add(&pt->out, pt->p + 1,
				    (size_t)(e - pt->p - 1));
			news--;
		} else if (*pt->p == ' ' || *pt->p == '-') {
			l = eol(pt->a, pt->ae);
			if (pt->a == pt->ae || !shows(pt->p + 1, e, pt->a, l))
				return false;
			if (*pt->p == ' ') {
				gws_buf_add(&pt->out, pt->a,
					    (size_t)(l - pt->a));
				news--;
			}
			olds--;
			pt->a = l;
			pt->line++;
		} else if (*pt->p == '\\' && prev == '+' && pt->out.len &&
			   pt->out.data[pt->out.len - 1] == '\n') {
			pt->out.data[--pt->out.len] = '\0';
		} else if (*pt->p != '\\') {
			return false;
		}
		prev = *pt->p;
	}
	return olds == 0 && news == 0;
}

static void check_diff(struct mig_file *f)
{
	struct patch pt;
	const char *want = f->removed ? "" : f->out;
	size_t wantlen = f->removed ? 0 : f->outlen;

	mig_commit(f, true);
	if (!f->report)
		broken("no diff");
	pt.a = f->src.data;
	pt.ae = f->src.data + f->src.len;
	pt.line = 1;
	pt.p = f->report;
	pt.pe = f->report + f->reportlen;
	gws_buf_init(&pt.out);
	while (pt.p < pt.pe && strncmp(pt.p, "@@ ", 3))
		pt.p = eol(pt.p, pt.pe);
	if (pt.p == pt.pe)
		broken("a diff with no hunk");
	while (pt.p < pt.pe)
		if (!hunk(&pt))
			broken("the diff does not apply");
	gws_buf_add(&pt.out, pt.a, (size_t)(pt.ae - pt.a));
	if (pt.out.len != wantlen || memcmp(pt.out.data, want, wantlen))
		broken("the diff applied does not give the new bytes");
	gws_buf_release(&pt.out);
}

/* ---- 4. a second run finds nothing to do ---- */

static void check_again(const struct mig_file *f,
			const struct gws_map_opts *opts)
{
	struct mig_repo *r;

	if (f->removed)
		return;
	r = mig_rewrite_text(&maps, opts, NAME, f->out, f->outlen);
	if (r->files[0]->failed)
		broken("the new bytes do not migrate again");
	if (r->files[0]->changed)
		broken("a second run changes the new bytes");
	mig_repo_destroy(r);
}

/*
 * One input is one manifest file, migrated as 'gwshift migrate FILE' does
 * it, in memory (mig_rewrite_text()). When it changes, the promises of
 * docs/cli.md are checked: only the Ingress documents' bytes changed, the
 * diff gives the new bytes, and a second run changes nothing.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gws_map_opts opts;
	bool diff = pick_options(size, &opts);
	struct mig_repo *r;
	struct mig_file *f;

	r = mig_rewrite_text(&maps, &opts, NAME, (const char *)data, size);
	f = r->files[0];
	if (f->changed && f->failed)
		broken("a failed file has new bytes");
	if (f->changed) {
		check_spans(f);
		check_ranges(f);
		if (diff)
			check_diff(f);
		check_again(f, &opts);
	}
	mig_repo_destroy(r);
	return 0;
}
