/* udiff.c - unified line diff (Myers' O(ND) algorithm) */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

#define CONTEXT 3
/*
 * The search keeps one row per edit, so its memory grows with the square
 * of the edits; past this many the middle is shown as removed and added
 * whole, which is still a correct diff. Objects are small: their common
 * head and tail are cut off first.
 */
#define MAX_EDITS 1000

/* struct lines - a text cut into lines */
struct lines {
	const char **at;	/* start of each line */
	size_t *len;		/* without the '\n' */
	uint64_t *hash;
	size_t n;
};

enum op { OP_SAME, OP_DEL, OP_ADD };

/* struct script - the edit script: one op per line of either side */
struct script {
	unsigned char *ops;
	size_t n;
	size_t cap;
};

static uint64_t line_hash(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void split(struct lines *l, const char *text)
{
	const char *p = text, *nl;
	size_t cap = 0;

	memset(l, 0, sizeof(*l));
	while (*p) {
		nl = strchr(p, '\n');
		if (l->n == cap) {
			cap = cap ? cap * 2 : 64;
			l->at = gws_xrealloc(l->at, cap * sizeof(*l->at));
			l->len = gws_xrealloc(l->len, cap * sizeof(*l->len));
			l->hash = gws_xrealloc(l->hash, cap * sizeof(*l->hash));
		}
		l->at[l->n] = p;
		l->len[l->n] = nl ? (size_t)(nl - p) : strlen(p);
		l->hash[l->n] = line_hash(p, l->len[l->n]);
		l->n++;
		p = nl ? nl + 1 : p + strlen(p);
	}
}

static void lines_release(struct lines *l)
{
	free(l->at);
	free(l->len);
	free(l->hash);
}

static bool same(const struct lines *a, size_t i, const struct lines *b,
		 size_t j)
{
	return a->hash[i] == b->hash[j] && a->len[i] == b->len[j] &&
	       !memcmp(a->at[i], b->at[j], a->len[i]);
}

static void emit(struct script *s, enum op op, size_t count)
{
	while (count--) {
		gws_grow((void **)&s->ops, &s->cap, s->n + 1, 1);
		s->ops[s->n++] = (unsigned char)op;
	}
}

/*
 * struct search - Myers' greedy search over a[lo_a, hi_a) and b[lo_b,
 * hi_b). rows[d] holds, for each diagonal k in [-d, d] (index k + d), the
 * furthest x reached with d edits.
 */
struct search {
	const struct lines *a, *b;
	size_t lo_a, lo_b;
	long n, m;
	long **rows;
	long nrows;
};

static long row_at(const struct search *s, long d, long k)
{
	return s->rows[d][k + d];
}

/* the greedy pass; Returns: the number of edits, or -1 past MAX_EDITS */
static long forward(struct search *s)
{
	long d, k, x, y;

	s->rows = gws_xcalloc(MAX_EDITS + 1, sizeof(*s->rows));
	for (d = 0; d <= MAX_EDITS; d++) {
		s->rows[d] = gws_xcalloc((size_t)(2 * d + 1), sizeof(long));
		s->nrows = d + 1;
		for (k = -d; k <= d; k += 2) {
			if (d == 0)
				x = 0;
			else if (k == -d || (k != d && row_at(s, d - 1, k - 1) <
						      row_at(s, d - 1, k + 1)))
				x = row_at(s, d - 1, k + 1);	/* down: add */
			else
				x = row_at(s, d - 1, k - 1) + 1;	/* right */
			y = x - k;
			while (x < s->n && y < s->m &&
			       same(s->a, s->lo_a + (size_t)x, s->b,
				    s->lo_b + (size_t)y))
				x++, y++;
			s->rows[d][k + d] = x;
			if (x >= s->n && y >= s->m)
				return d;
		}
	}
	return -1;
}

/* walk back from (n, m) and write the ops, last first, into @rev */
static void backtrack(const struct search *s, long d, struct script *rev)
{
	long x = s->n, y = s->m, k, pk, px, py;

	for (; d > 0; d--) {
		k = x - y;
		if (k == -d || (k != d && row_at(s, d - 1, k - 1) <
					  row_at(s, d - 1, k + 1)))
			pk = k + 1;
		else
			pk = k - 1;
		px = row_at(s, d - 1, pk);
		py = px - pk;
		/* the snake after the edit, then the edit itself */
		if (pk == k + 1) {
			emit(rev, OP_SAME, (size_t)(x - px));
			emit(rev, OP_ADD, 1);
		} else {
			emit(rev, OP_SAME, (size_t)(x - px - 1));
			emit(rev, OP_DEL, 1);
		}
		x = px;
		y = py;
	}
	emit(rev, OP_SAME, (size_t)x);
}

/* the ops for the middle part that the head and tail cut left */
static void middle(struct search *s, struct script *out)
{
	struct script rev = { 0 };
	long d = forward(s), i;
	size_t j;

	if (d < 0) {
		emit(out, OP_DEL, (size_t)s->n);
		emit(out, OP_ADD, (size_t)s->m);
	} else {
		backtrack(s, d, &rev);
		for (j = rev.n; j > 0; j--)
			emit(out, (enum op)rev.ops[j - 1], 1);
	}
	for (i = 0; i < s->nrows; i++)
		free(s->rows[i]);
	free(s->rows);
	free(rev.ops);
}

static void diff_lines(const struct lines *a, const struct lines *b,
		       struct script *out)
{
	size_t head = 0, tail = 0;
	struct search s;

	while (head < a->n && head < b->n && same(a, head, b, head))
		head++;
	while (tail < a->n - head && tail < b->n - head &&
	       same(a, a->n - 1 - tail, b, b->n - 1 - tail))
		tail++;
	emit(out, OP_SAME, head);
	memset(&s, 0, sizeof(s));
	s.a = a;
	s.b = b;
	s.lo_a = head;
	s.lo_b = head;
	s.n = (long)(a->n - head - tail);
	s.m = (long)(b->n - head - tail);
	if (s.n && s.m)
		middle(&s, out);
	else {
		emit(out, OP_DEL, (size_t)s.n);
		emit(out, OP_ADD, (size_t)s.m);
	}
	emit(out, OP_SAME, tail);
}

static void add_range(struct gws_buf *out, size_t start, size_t count)
{
	if (count == 1)
		gws_buf_addf(out, "%zu", start + 1);
	else if (count == 0)
		gws_buf_addf(out, "%zu,0", start);
	else
		gws_buf_addf(out, "%zu,%zu", start + 1, count);
}

/* struct hunks - writing the hunks of a script */
struct hunks {
	const struct script *s;
	const struct lines *a, *b;
	size_t *apos;		/* old lines before each op */
	size_t *bpos;
};

static void add_hunk(struct gws_buf *out, const struct hunks *h,
		     size_t start, size_t end)
{
	size_t k, ai, bi;

	gws_buf_adds(out, "@@ -");
	add_range(out, h->apos[start], h->apos[end] - h->apos[start]);
	gws_buf_adds(out, " +");
	add_range(out, h->bpos[start], h->bpos[end] - h->bpos[start]);
	gws_buf_adds(out, " @@\n");
	for (k = start; k < end; k++) {
		ai = h->apos[k];
		bi = h->bpos[k];
		if (h->s->ops[k] == OP_ADD) {
			gws_buf_addc(out, '+');
			gws_buf_add(out, h->b->at[bi], h->b->len[bi]);
		} else {
			gws_buf_addc(out, h->s->ops[k] == OP_DEL ? '-' : ' ');
			gws_buf_add(out, h->a->at[ai], h->a->len[ai]);
		}
		gws_buf_addc(out, '\n');
	}
}

/* the end of the hunk whose first change is at @j */
static size_t hunk_end(const struct script *s, size_t j)
{
	size_t k, last = j;

	for (k = j; k < s->n; k++) {
		if (s->ops[k] != OP_SAME)
			last = k;
		else if (k - last > 2 * CONTEXT)
			break;
	}
	return last + 1 + CONTEXT < s->n ? last + 1 + CONTEXT : s->n;
}

static void add_hunks(struct gws_buf *out, const struct hunks *h)
{
	const struct script *s = h->s;
	size_t i = 0, j, start, end;

	while (i < s->n) {
		for (j = i; j < s->n && s->ops[j] == OP_SAME; j++)
			;
		if (j == s->n)
			break;
		start = j > i + CONTEXT ? j - CONTEXT : i;
		end = hunk_end(s, j);
		add_hunk(out, h, start, end);
		i = end;
	}
}

/**
 * gws_diff_unified() - a unified diff of two texts, as diff -u writes it
 * @out: where the diff is appended
 * @a: the old text: lines ended by '\n'
 * @b: the new text
 * @label_a: the name on the "---" line
 * @label_b: the name on the "+++" line
 *
 * Myers' algorithm on lines after the common head and tail are cut off,
 * 3 lines of context, hunks closer than 6 lines merged. Past 1000 edits
 * the rest is shown removed and added whole. Nothing is appended when
 * the texts are equal.
 */
void gws_diff_unified(struct gws_buf *out, const char *a, const char *b,
		      const char *label_a, const char *label_b)
{
	struct script s = { 0 };
	struct lines la, lb;
	struct hunks h;
	size_t k;

	split(&la, a);
	split(&lb, b);
	diff_lines(&la, &lb, &s);
	h.s = &s;
	h.a = &la;
	h.b = &lb;
	h.apos = gws_xcalloc(s.n + 1, sizeof(*h.apos));
	h.bpos = gws_xcalloc(s.n + 1, sizeof(*h.bpos));
	for (k = 0; k < s.n; k++) {
		h.apos[k + 1] = h.apos[k] + (s.ops[k] != OP_ADD);
		h.bpos[k + 1] = h.bpos[k] + (s.ops[k] != OP_DEL);
	}
	for (k = 0; k < s.n && s.ops[k] == OP_SAME; k++)
		;
	if (k < s.n) {
		gws_buf_addf(out, "--- %s\n+++ %s\n", label_a, label_b);
		add_hunks(out, &h);
	}
	free(h.apos);
	free(h.bpos);
	free(s.ops);
	lines_release(&la);
	lines_release(&lb);
}
