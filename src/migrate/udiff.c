/* udiff.c - line diff (Myers, linear space) and git-style unified diffs */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

#define CONTEXT 3

void mig_lines_init(struct mig_lines *l, const char *data, size_t len)
{
	size_t n = 0, cap = 16, i;

	l->data = data;
	l->off = gws_xmalloc(cap * sizeof(*l->off));
	l->off[0] = 0;
	for (i = 0; i < len; i++) {
		if (data[i] != '\n' && i + 1 < len)
			continue;
		gws_grow((void **)&l->off, &cap, n + 2, sizeof(*l->off));
		l->off[++n] = i + 1;
	}
	l->n = n;
	l->hash = gws_xmalloc((n + 1) * sizeof(*l->hash));
	for (i = 0; i < n; i++) {
		uint64_t h = 14695981039346656037ULL;
		size_t k;

		for (k = l->off[i]; k < l->off[i + 1]; k++)
			h = (h ^ (unsigned char)data[k]) * 1099511628211ULL;
		l->hash[i] = h;
	}
}

void mig_lines_release(struct mig_lines *l)
{
	if (!l)
		return;
	free(l->off);
	free(l->hash);
	memset(l, 0, sizeof(*l));
}

/* struct lcs - one mig_lcs() call: both texts, the marks, the V arrays */
struct lcs {
	const struct mig_lines *a, *b;
	bool *del, *ins;
	long *vf, *vb;		/* furthest x per diagonal, forward/backward */
	long mid;		/* index of diagonal 0 in vf and vb */
};

static bool same(const struct lcs *c, size_t i, size_t j)
{
	size_t la = c->a->off[i + 1] - c->a->off[i];

	return c->a->hash[i] == c->b->hash[j] &&
	       la == c->b->off[j + 1] - c->b->off[j] &&
	       !memcmp(c->a->data + c->a->off[i], c->b->data + c->b->off[j], la);
}

/* struct box - the part being compared: a[a0,a1) against b[b0,b1) */
struct box {
	size_t a0, a1, b0, b1;
};

/* follow a forward snake from (x, y), box-relative; returns the new x */
static long snake_fwd(const struct lcs *c, const struct box *bx, long x,
		      long y)
{
	long n = (long)(bx->a1 - bx->a0), m = (long)(bx->b1 - bx->b0);

	while (x < n && y < m &&
	       same(c, bx->a0 + (size_t)x, bx->b0 + (size_t)y))
		x++, y++;
	return x;
}

/* the same backwards: u, v count lines from the box's end */
static long snake_bwd(const struct lcs *c, const struct box *bx, long u,
		      long v)
{
	long n = (long)(bx->a1 - bx->a0), m = (long)(bx->b1 - bx->b0);

	while (u < n && v < m &&
	       same(c, bx->a1 - 1 - (size_t)u, bx->b1 - 1 - (size_t)v))
		u++, v++;
	return u;
}

/* the next furthest x on diagonal k from the (d-1)-paths in @v */
static long step(const long *v, long mid, long k, long d)
{
	if (k == -d || (k != d && v[mid + k - 1] < v[mid + k + 1]))
		return v[mid + k + 1];		/* down: one line inserted */
	return v[mid + k - 1] + 1;		/* right: one line deleted */
}

/*
 * struct search - the bounds of one middle-snake search. Diagonals whose
 * paths ran off the box are not followed again (lo/hi shrink by 2).
 */
struct search {
	long n, m, delta, d;
	long flo, fhi, blo, bhi;
};

/* forward pass of round d; true with *x, *y set when the paths meet */
static bool forward(struct lcs *c, const struct box *bx, struct search *s,
		    long *sx, long *sy)
{
	long k, x, y, d = s->d, kb;

	for (k = -d + s->flo; k <= d - s->fhi; k += 2) {
		x = snake_fwd(c, bx, step(c->vf, c->mid, k, d),
			      step(c->vf, c->mid, k, d) - k);
		y = x - k;
		c->vf[c->mid + k] = x;
		if (x > s->n) {
			s->fhi += 2;
		} else if (y > s->m) {
			s->flo += 2;
		} else if (s->delta & 1) {
			kb = s->delta - k;
			if (kb >= -(d - 1) && kb <= d - 1 &&
			    c->vb[c->mid + kb] >= 0 &&
			    x >= s->n - c->vb[c->mid + kb]) {
				*sx = x;
				*sy = y;
				return true;
			}
		}
	}
	return false;
}

/* backward pass of round d, the mirror of forward() */
static bool backward(struct lcs *c, const struct box *bx, struct search *s,
		     long *sx, long *sy)
{
	long k, u, v, d = s->d, kf;

	for (k = -d + s->blo; k <= d - s->bhi; k += 2) {
		u = snake_bwd(c, bx, step(c->vb, c->mid, k, d),
			      step(c->vb, c->mid, k, d) - k);
		v = u - k;
		c->vb[c->mid + k] = u;
		if (u > s->n) {
			s->bhi += 2;
		} else if (v > s->m) {
			s->blo += 2;
		} else if (!(s->delta & 1)) {
			kf = s->delta - k;
			if (kf >= -d && kf <= d && c->vf[c->mid + kf] >= 0 &&
			    c->vf[c->mid + kf] >= s->n - u) {
				*sx = s->n - u;
				*sy = s->m - v;
				return true;
			}
		}
	}
	return false;
}

/*
 * find a point of a shortest edit path through the box (its middle
 * snake) and return it in absolute line numbers; false if none is found
 * (cannot happen for a box whose sides are both non-empty)
 */
static bool middle(struct lcs *c, const struct box *bx, size_t *ax,
		   size_t *by)
{
	struct search s = { 0 };
	long k, sx = 0, sy = 0, dmax;

	s.n = (long)(bx->a1 - bx->a0);
	s.m = (long)(bx->b1 - bx->b0);
	s.delta = s.n - s.m;
	dmax = (s.n + s.m + 1) / 2;
	for (k = -dmax - 1; k <= dmax + 1; k++)
		c->vf[c->mid + k] = c->vb[c->mid + k] = -1;
	c->vf[c->mid + 1] = c->vb[c->mid + 1] = 0;
	for (s.d = 0; s.d <= dmax; s.d++) {
		if (forward(c, bx, &s, &sx, &sy) ||
		    backward(c, bx, &s, &sx, &sy)) {
			*ax = bx->a0 + (size_t)sx;
			*by = bx->b0 + (size_t)sy;
			return true;
		}
	}
	return false;
}

static void compare(struct lcs *c, struct box bx)
{
	struct box lo, hi;
	size_t x, y, i;

	while (bx.a0 < bx.a1 && bx.b0 < bx.b1 && same(c, bx.a0, bx.b0))
		bx.a0++, bx.b0++;
	while (bx.a0 < bx.a1 && bx.b0 < bx.b1 &&
	       same(c, bx.a1 - 1, bx.b1 - 1))
		bx.a1--, bx.b1--;
	if (bx.a0 == bx.a1 || bx.b0 == bx.b1 || !middle(c, &bx, &x, &y)) {
		for (i = bx.a0; i < bx.a1; i++)
			c->del[i] = true;
		for (i = bx.b0; i < bx.b1; i++)
			c->ins[i] = true;
		return;
	}
	lo = (struct box){ bx.a0, x, bx.b0, y };
	hi = (struct box){ x, bx.a1, y, bx.b1 };
	compare(c, lo);
	compare(c, hi);
}

void mig_lcs(const struct mig_lines *a, size_t a0, size_t a1,
	     const struct mig_lines *b, size_t b0, size_t b1,
	     bool *del, bool *ins)
{
	struct lcs c = { a, b, del, ins, NULL, NULL, 0 };
	size_t size = (a1 - a0) + (b1 - b0) + 4;

	c.mid = (long)size / 2 + 1;
	c.vf = gws_xmalloc((size + 3) * sizeof(*c.vf));
	c.vb = gws_xmalloc((size + 3) * sizeof(*c.vb));
	compare(&c, (struct box){ a0, a1, b0, b1 });
	free(c.vf);
	free(c.vb);
}

/* ---- hunks ---- */

/* struct change - old lines [i0,i1) became new lines [j0,j1) */
struct change {
	size_t i0, i1, j0, j1;
};

/* struct udiff - the state of one file's diff */
struct udiff {
	struct mig_lines a, b;
	size_t alen, blen;
	bool *del, *ins;
	struct change *ch;
	size_t nch, cap;
};

/* the line that holds byte @pos (n for the end of the text) */
static size_t line_of(const struct mig_lines *l, size_t pos)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;

		if (l->off[mid] <= pos)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* the first line that starts at or after byte @pos (n if none) */
static size_t line_from(const struct mig_lines *l, size_t pos)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->off[mid] >= pos)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* a line boundary of @l: the start, the end, or just after a newline */
static bool boundary(const struct mig_lines *l, size_t len, size_t pos)
{
	return pos == 0 || pos >= len || l->data[pos - 1] == '\n';
}

/* struct region - a changed part: old bytes [a0,a1), new bytes [b0,b1) */
struct region {
	size_t a0, a1, b0, b1;
};

/*
 * widen the region of span *k to whole lines: its start back to the start
 * of its line, its end to the next line end, taking in the spans that
 * this reaches. The bytes outside the spans are the same in both texts,
 * so both sides widen by the same amounts.
 */
static struct region widen(const struct udiff *u, const struct mig_span *sp,
			   size_t n, size_t *k)
{
	struct region g = { sp[*k].a0, sp[*k].a1, sp[*k].b0, sp[*k].b1 };
	size_t t;

	while (g.a0 > 0 && u->a.data[g.a0 - 1] != '\n')
		g.a0--, g.b0--;
	for (;;) {
		if (!boundary(&u->a, u->alen, g.a1) ||
		    !boundary(&u->b, u->blen, g.b1)) {
			t = u->a.off[line_from(&u->a, g.a1 + 1)] - g.a1;
			g.a1 += t;
			g.b1 += t;
		}
		if (*k + 1 >= n || sp[*k + 1].a0 > g.a1)
			return g;
		(*k)++;
		if (sp[*k].a1 >= g.a1) {
			g.a1 = sp[*k].a1;
			g.b1 = sp[*k].b1;
		} else {
			g.b1 = g.a1 + sp[*k].b1 - sp[*k].a1;
		}
	}
}

/* diff only where the spans are: each line-aligned region on its own */
static void diff_spans(struct udiff *u, const struct mig_span *sp, size_t n)
{
	struct region g;
	size_t k;

	for (k = 0; k < n; k++) {
		g = widen(u, sp, n, &k);
		mig_lcs(&u->a, line_of(&u->a, g.a0), line_from(&u->a, g.a1),
			&u->b, line_of(&u->b, g.b0), line_from(&u->b, g.b1),
			u->del, u->ins);
	}
}

static void add_change(struct udiff *u, size_t i0, size_t i1, size_t j0,
		       size_t j1)
{
	gws_grow((void **)&u->ch, &u->cap, u->nch + 1, sizeof(*u->ch));
	u->ch[u->nch++] = (struct change){ i0, i1, j0, j1 };
}

/* walk both texts in step and collect the changed runs */
static void collect(struct udiff *u)
{
	size_t i = 0, j = 0, i0, j0;

	while (i < u->a.n || j < u->b.n) {
		if ((i < u->a.n && u->del[i]) || (j < u->b.n && u->ins[j])) {
			i0 = i;
			j0 = j;
			while (i < u->a.n && u->del[i])
				i++;
			while (j < u->b.n && u->ins[j])
				j++;
			add_change(u, i0, i, j0, j);
		} else {
			i++;
			j++;
		}
	}
}

/* "-start,len": one line shows no length, none shows the line before */
static void add_range(struct gws_buf *out, char sign, size_t start,
		      size_t len)
{
	if (len == 1)
		gws_buf_addf(out, "%c%zu", sign, start + 1);
	else if (len == 0)
		gws_buf_addf(out, "%c%zu,0", sign, start);
	else
		gws_buf_addf(out, "%c%zu,%zu", sign, start + 1, len);
}

static void add_line(struct gws_buf *out, char sign,
		     const struct mig_lines *l, size_t i)
{
	size_t s = l->off[i], e = l->off[i + 1];

	gws_buf_addc(out, sign);
	gws_buf_add(out, l->data + s, e - s);
	if (e == s || l->data[e - 1] != '\n')
		gws_buf_adds(out, "\n\\ No newline at end of file\n");
}

/* one hunk: changes [c0, c1) with their context */
static void add_hunk(struct gws_buf *out, const struct udiff *u, size_t c0,
		     size_t c1)
{
	const struct change *f = &u->ch[c0], *l = &u->ch[c1 - 1];
	size_t s = f->i0 > CONTEXT ? f->i0 - CONTEXT : 0;
	size_t e = l->i1 + CONTEXT < u->a.n ? l->i1 + CONTEXT : u->a.n;
	size_t js = f->j0 - (f->i0 - s), je = l->j1 + (e - l->i1);
	size_t i = s, j = js, k;

	gws_buf_adds(out, "@@ ");
	add_range(out, '-', s, e - s);
	gws_buf_addc(out, ' ');
	add_range(out, '+', js, je - js);
	gws_buf_adds(out, " @@\n");
	for (k = c0; k < c1; k++) {
		for (; i < u->ch[k].i0; i++, j++)
			add_line(out, ' ', &u->a, i);
		for (; i < u->ch[k].i1; i++)
			add_line(out, '-', &u->a, i);
		for (; j < u->ch[k].j1; j++)
			add_line(out, '+', &u->b, j);
	}
	for (; i < e; i++)
		add_line(out, ' ', &u->a, i);
}

static void add_header(struct gws_buf *out, const char *path, mode_t mode,
		       bool is_new, bool is_gone)
{
	unsigned m = (mode & 0111) ? 0100755 : 0100644;

	gws_buf_addf(out, "diff --git a/%s b/%s\n", path, path);
	if (is_new)
		gws_buf_addf(out, "new file mode %o\n", m);
	if (is_gone)
		gws_buf_addf(out, "deleted file mode %o\n", m);
	if (is_new)
		gws_buf_adds(out, "--- /dev/null\n");
	else
		gws_buf_addf(out, "--- a/%s\n", path);
	if (is_gone)
		gws_buf_adds(out, "+++ /dev/null\n");
	else
		gws_buf_addf(out, "+++ b/%s\n", path);
}

void mig_udiff(struct gws_buf *out, const char *path, mode_t mode,
	       const char *a, size_t alen, const char *b, size_t blen,
	       const struct mig_span *spans, size_t nspans)
{
	struct udiff u;
	size_t c0, c1;

	memset(&u, 0, sizeof(u));
	u.alen = a ? alen : 0;
	u.blen = b ? blen : 0;
	mig_lines_init(&u.a, a ? a : "", u.alen);
	mig_lines_init(&u.b, b ? b : "", u.blen);
	u.del = gws_xcalloc(u.a.n + 1, sizeof(*u.del));
	u.ins = gws_xcalloc(u.b.n + 1, sizeof(*u.ins));
	if (spans && nspans)
		diff_spans(&u, spans, nspans);
	else
		mig_lcs(&u.a, 0, u.a.n, &u.b, 0, u.b.n, u.del, u.ins);
	collect(&u);
	if (u.nch || !a || !b)
		add_header(out, path, mode, !a, !b);
	for (c0 = 0; c0 < u.nch; c0 = c1) {
		for (c1 = c0 + 1; c1 < u.nch &&
		     u.ch[c1].i0 - u.ch[c1 - 1].i1 <= 2 * CONTEXT; c1++)
			;
		add_hunk(out, &u, c0, c1);
	}
	free(u.ch);
	free(u.del);
	free(u.ins);
	mig_lines_release(&u.a);
	mig_lines_release(&u.b);
}
