/* render.c - the diff as text for a terminal, and what the formats share */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

#define VALUE_MAX 120		/* a value in a text line: at most this */

/* ---- values as compact JSON ---- */

static void add_json_str(struct gws_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	gws_buf_addc(out, '"');
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			gws_buf_addf(out, "\\%c", *p);
		else if (*p == '\n')
			gws_buf_adds(out, "\\n");
		else if (*p == '\t')
			gws_buf_adds(out, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			gws_buf_addf(out, "\\u%04x", *p);
		else
			gws_buf_addc(out, (char)*p);
	}
	gws_buf_addc(out, '"');
}

static void add_value(struct gws_buf *out, const struct gws_val *v)
{
	size_t i;

	switch (v->kind) {
	case GWS_VAL_STR:
		add_json_str(out, v->str);
		return;
	case GWS_VAL_INT:
		gws_buf_addf(out, "%lld", v->num);
		return;
	case GWS_VAL_BOOL:
		gws_buf_adds(out, v->b ? "true" : "false");
		return;
	case GWS_VAL_MAP:
	case GWS_VAL_SEQ:
		break;
	}
	gws_buf_addc(out, v->kind == GWS_VAL_MAP ? '{' : '[');
	for (i = 0; i < v->n; i++) {
		if (i)
			gws_buf_addc(out, ',');
		if (v->kind == GWS_VAL_MAP) {
			add_json_str(out, v->keys[i]);
			gws_buf_addc(out, ':');
		}
		add_value(out, v->items[i]);
	}
	gws_buf_addc(out, v->kind == GWS_VAL_MAP ? '}' : ']');
}

/* cut @b to at most @max bytes, at a UTF-8 boundary, ending in "..." */
static void cut_value(struct gws_buf *b, size_t max)
{
	size_t n = max > 3 ? max - 3 : 0;

	if (!max || b->len <= max)
		return;
	while (n > 0 && ((unsigned char)b->data[n] & 0xc0) == 0x80)
		n--;
	b->len = n;
	b->data[n] = '\0';
	gws_buf_adds(b, "...");
}

/**
 * gws_diff_value_text() - a value as compact JSON, for one line
 * @v: the value, or NULL for one that is not there
 * @max: cut to at most this many bytes, ending in "..." (0: no limit)
 *
 * Returns: the text ("(absent)" for NULL); the caller frees it.
 */
char *gws_diff_value_text(const struct gws_val *v, size_t max)
{
	struct gws_buf b;

	if (!v)
		return gws_xstrdup("(absent)");
	gws_buf_init(&b);
	add_value(&b, v);
	cut_value(&b, max);
	return gws_buf_detach(&b, NULL);
}

/* ---- findings grouped by the object they are about ---- */

/**
 * gws_diff_same_object() - whether two findings are about one object
 * @a: a finding
 * @b: another
 *
 * Returns: true with the same kind, namespace and name.
 */
bool gws_diff_same_object(const struct gws_finding *a,
			  const struct gws_finding *b)
{
	return !strcmp(a->kind, b->kind) && gws_streq(a->ns, b->ns) &&
	       !strcmp(a->name, b->name);
}

/* struct at - a finding and its place in the report, for sorting */
struct at {
	const struct gws_finding *f;
	size_t i;
};

static int cmp_at(const void *x, const void *y)
{
	const struct at *p = x, *q = y;
	const struct gws_finding *a = p->f, *b = q->f;
	int c = strcmp(a->kind, b->kind);

	if (!c)
		c = gws_strcmp_null(a->ns, b->ns);
	if (!c)
		c = strcmp(a->name, b->name);
	return c ? c : (p->i > q->i) - (p->i < q->i);
}

/**
 * gws_diff_finding_order() - the findings grouped by object
 * @rep: the report, its findings sorted
 *
 * Groups by kind, namespace and name; report order within a group.
 * Returns: @rep->n indexes into @rep->items; the caller frees them.
 */
size_t *gws_diff_finding_order(const struct gws_report *rep)
{
	struct at *ats = gws_xcalloc(rep->n + 1, sizeof(*ats));
	size_t *idx = gws_xcalloc(rep->n + 1, sizeof(*idx));
	size_t i;

	for (i = 0; i < rep->n; i++) {
		ats[i].f = &rep->items[i];
		ats[i].i = i;
	}
	if (rep->n)
		qsort(ats, rep->n, sizeof(*ats), cmp_at);
	for (i = 0; i < rep->n; i++)
		idx[i] = ats[i].i;
	free(ats);
	return idx;
}

/* ---- text ---- */

#define BOLD "\033[1m"
#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define CYAN "\033[36m"
#define RESET "\033[m"

/* struct text - rendering text, with or without colour */
struct text {
	struct gws_buf *out;
	bool color;
};

static void colored(struct text *t, const char *color, const char *s)
{
	if (t->color && color)
		gws_buf_addf(t->out, "%s%s%s", color, s, RESET);
	else
		gws_buf_adds(t->out, s);
}

static const char *action_color(enum gws_diff_action a)
{
	static const char *const colors[GWS_DIFF_NACTIONS] = {
		GREEN, YELLOW, NULL, RED,
	};

	return colors[a];
}

static void text_counts(struct text *t, const struct gws_diff *d)
{
	char *line = gws_xasprintf("gwshift diff: %zu to create, %zu to "
				   "change, %zu unchanged, %zu orphaned",
				   d->counts[GWS_DIFF_CREATE],
				   d->counts[GWS_DIFF_CHANGE],
				   d->counts[GWS_DIFF_UNCHANGED],
				   d->counts[GWS_DIFF_ORPHAN]);

	colored(t, BOLD, line);
	gws_buf_adds(t->out, "\n\n");
	free(line);
}

/* the colour of line @n (0-based) of a unified diff: two header lines */
static const char *udiff_color(const char *line, size_t n)
{
	if (n < 2)
		return BOLD;
	if (line[0] == '@')
		return CYAN;
	if (line[0] == '-')
		return RED;
	if (line[0] == '+')
		return GREEN;
	return NULL;
}

/* the unified diff, line by line in colour */
static void text_udiff(struct text *t, const char *u)
{
	const char *p = u, *nl, *color;
	size_t len, n;

	if (!t->color) {
		gws_buf_adds(t->out, u);
		return;
	}
	for (n = 0; *p; p += len + (nl != NULL), n++) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		color = udiff_color(p, n);
		if (color)
			gws_buf_adds(t->out, color);
		gws_buf_add(t->out, p, len);
		gws_buf_adds(t->out, color ? RESET "\n" : "\n");
	}
}

static void text_change(struct text *t, const struct gws_diff_change *ch)
{
	char *old = gws_diff_value_text(ch->old, VALUE_MAX);
	char *new = gws_diff_value_text(ch->new, VALUE_MAX);

	gws_buf_addf(t->out, "  %s: %s -> %s\n", ch->path, old, new);
	free(old);
	free(new);
}

static void text_item(struct text *t, const struct gws_diff_item *it)
{
	char *label = gws_diff_key_label(&it->key);
	const struct gws_pos *pos = it->ex ? &it->ex->pos : NULL;
	size_t i;

	colored(t, action_color(it->action), gws_diff_action_name(it->action));
	gws_buf_addf(t->out, " %s", label);
	if (pos)
		gws_buf_addf(t->out, " (%s:%d:%d)", pos->src->name, pos->line,
			     pos->col);
	if (it->action == GWS_DIFF_ORPHAN)
		gws_buf_addf(t->out, ": has " GWS_SOURCE_ANNOTATION " '%s' but "
			     "is no longer generated", it->ex->source);
	gws_buf_addc(t->out, '\n');
	for (i = 0; i < it->nchanges; i++)
		text_change(t, &it->changes[i]);
	if (it->udiff) {
		text_udiff(t, it->udiff);
		gws_buf_addc(t->out, '\n');
	}
	free(label);
}

static void text_finding(struct text *t, const struct gws_finding *f)
{
	static const char *const colors[GWS_STATE_COUNT] = {
		NULL, YELLOW, NULL, RED, NULL,
	};

	gws_buf_adds(t->out, "  ");
	if (f->pos.src)
		gws_buf_addf(t->out, "%s:%d:%d: ", f->pos.src->name,
			     f->pos.line, f->pos.col);
	colored(t, colors[f->state], gws_state_name(f->state));
	gws_buf_addf(t->out, ": %s: %s\n", *f->field ? f->field : "-",
		     f->message);
}

static void text_findings(struct text *t, const struct gws_report *rep)
{
	size_t *idx = gws_diff_finding_order(rep);
	const struct gws_finding *f, *prev = NULL;
	size_t i;
	int s;

	gws_buf_adds(t->out, "conversion findings:");
	for (s = 0; s < GWS_STATE_COUNT; s++)
		gws_buf_addf(t->out, "%s %zu %s", s ? "," : "", rep->counts[s],
			     gws_state_name((enum gws_state)s));
	gws_buf_addc(t->out, '\n');
	for (i = 0; i < rep->n; i++) {
		f = &rep->items[idx[i]];
		if (!prev || !gws_diff_same_object(prev, f)) {
			gws_buf_addc(t->out, '\n');
			colored(t, BOLD, *f->kind ? f->kind : "(no object)");
			gws_buf_addf(t->out, " %s%s%s\n", f->ns ? f->ns : "",
				     f->ns ? "/" : "", f->name);
		}
		text_finding(t, f);
		prev = f;
	}
	free(idx);
}

/**
 * gws_diff_render_text() - the diff for a terminal
 * @v: the diff, the report, and whether to use ANSI colours
 * @out: where the text goes
 *
 * A line of counts; each object with its action, its changed fields and
 * unified diff; then the findings grouped by Ingress.
 */
void gws_diff_render_text(const struct gws_diff_view *v, struct gws_buf *out)
{
	struct text t = { out, v->color };
	const struct gws_diff_item *it;
	size_t i;

	text_counts(&t, v->d);
	for (i = 0; i < v->d->n; i++) {
		it = &v->d->items[i];
		text_item(&t, it);
	}
	if (v->d->n && !v->d->items[v->d->n - 1].udiff)
		gws_buf_addc(out, '\n');
	text_findings(&t, v->rep);
}
