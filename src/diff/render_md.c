/* render_md.c - the diff as Markdown for a pull-request comment */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

#define VALUE_MAX 200		/* a value in a table cell: at most this */

/* ---- escaping ---- */

/* @s as Markdown text in a table cell: nothing in it formats */
static void md_text(struct gws_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			gws_buf_adds(out, "&lt;");
		else if (*s == '>')
			gws_buf_adds(out, "&gt;");
		else if (*s == '&')
			gws_buf_adds(out, "&amp;");
		else if (*s == '\n')
			gws_buf_adds(out, "<br>");
		else if (strchr("\\`*_[]|", *s))
			gws_buf_addf(out, "\\%c", *s);
		else
			gws_buf_addc(out, *s);
	}
}

/* @s as HTML text (in <summary>) */
static void html_text(struct gws_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			gws_buf_adds(out, "&lt;");
		else if (*s == '>')
			gws_buf_adds(out, "&gt;");
		else if (*s == '&')
			gws_buf_adds(out, "&amp;");
		else
			gws_buf_addc(out, *s);
	}
}

static size_t longest_backticks(const char *s)
{
	size_t run = 0, best = 0;

	for (; *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

static void add_ticks(struct gws_buf *out, size_t n)
{
	while (n--)
		gws_buf_addc(out, '`');
}

/* @s as a code span in a table cell ('|' escaped, as tables need) */
static void md_code(struct gws_buf *out, const char *s)
{
	size_t ticks = longest_backticks(s) + 1;
	bool pad = s[0] == '`' || (*s && s[strlen(s) - 1] == '`');

	add_ticks(out, ticks);
	if (pad)
		gws_buf_addc(out, ' ');
	for (; *s; s++) {
		if (*s == '|')
			gws_buf_addc(out, '\\');
		gws_buf_addc(out, *s == '\n' ? ' ' : *s);
	}
	if (pad)
		gws_buf_addc(out, ' ');
	add_ticks(out, ticks);
}

/* a fenced block of @lang holding @s (which ends with a newline) */
static void md_block(struct gws_buf *out, const char *lang, const char *s)
{
	size_t ticks = longest_backticks(s) + 1;

	if (ticks < 3)
		ticks = 3;
	add_ticks(out, ticks);
	gws_buf_addf(out, "%s\n%s", lang, s);
	add_ticks(out, ticks);
	gws_buf_adds(out, "\n\n");
}

static void add_pos(struct gws_buf *out, const struct gws_pos *pos)
{
	char *s = gws_xasprintf("%s:%d:%d", pos->src->name, pos->line,
				pos->col);

	md_code(out, s);
	free(s);
}

/* ---- objects ---- */

static void md_summary(struct gws_buf *out, const struct gws_diff_item *it)
{
	char *label = gws_diff_key_label(&it->key);

	gws_buf_addf(out, "<details>\n<summary>%s <code>",
		     gws_diff_action_name(it->action));
	html_text(out, label);
	gws_buf_adds(out, "</code>");
	if (it->ex) {
		gws_buf_adds(out, " in <code>");
		html_text(out, it->ex->pos.src->name);
		gws_buf_addf(out, ":%d:%d</code>", it->ex->pos.line,
			     it->ex->pos.col);
	}
	if (it->action == GWS_DIFF_CHANGE)
		gws_buf_addf(out, ": %zu field%s", it->nchanges,
			     it->nchanges == 1 ? "" : "s");
	gws_buf_adds(out, "</summary>\n\n");
	free(label);
}

/* the YAML of a created object: its diff without headers and '+' */
static void md_created(struct gws_buf *out, const char *udiff)
{
	struct gws_buf yaml;
	const char *p = udiff, *nl;
	int line = 0;

	gws_buf_init(&yaml);
	for (; *p; p = nl + 1, line++) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		if (line >= 3)
			gws_buf_add(&yaml, p + 1, (size_t)(nl - p));
	}
	md_block(out, "yaml", yaml.data ? yaml.data : "");
	gws_buf_release(&yaml);
}

static void md_changes(struct gws_buf *out, const struct gws_diff_item *it)
{
	const struct gws_diff_change *ch;
	char *old, *new;
	size_t i;

	gws_buf_adds(out, "| field | existing | generated |\n|---|---|---|\n");
	for (i = 0; i < it->nchanges; i++) {
		ch = &it->changes[i];
		old = gws_diff_value_text(ch->old, VALUE_MAX);
		new = gws_diff_value_text(ch->new, VALUE_MAX);
		gws_buf_adds(out, "| ");
		md_code(out, ch->path);
		gws_buf_adds(out, " | ");
		if (ch->old)
			md_code(out, old);
		else
			gws_buf_adds(out, "(absent)");
		gws_buf_adds(out, " | ");
		if (ch->new)
			md_code(out, new);
		else
			gws_buf_adds(out, "(absent)");
		gws_buf_adds(out, " |\n");
		free(old);
		free(new);
	}
	gws_buf_addc(out, '\n');
	md_block(out, "diff", it->udiff);
}

static void md_item(struct gws_buf *out, const struct gws_diff_item *it)
{
	char *src;

	md_summary(out, it);
	if (it->action == GWS_DIFF_CREATE) {
		md_created(out, it->udiff);
	} else if (it->action == GWS_DIFF_CHANGE) {
		md_changes(out, it);
	} else {
		src = gws_xasprintf(GWS_SOURCE_ANNOTATION ": %s",
				    it->ex->source);
		gws_buf_adds(out, "Has ");
		md_code(out, src);
		gws_buf_adds(out, " but is no longer generated.\n\n");
		free(src);
	}
	gws_buf_adds(out, "</details>\n\n");
}

static void md_unchanged(struct gws_buf *out, const struct gws_diff *d)
{
	const struct gws_diff_item *it;
	char *label;
	size_t i;

	if (!d->counts[GWS_DIFF_UNCHANGED])
		return;
	gws_buf_addf(out, "<details>\n<summary>%zu unchanged</summary>\n\n",
		     d->counts[GWS_DIFF_UNCHANGED]);
	for (i = 0; i < d->n; i++) {
		it = &d->items[i];
		if (it->action != GWS_DIFF_UNCHANGED)
			continue;
		label = gws_diff_key_label(&it->key);
		gws_buf_adds(out, "- ");
		md_code(out, label);
		gws_buf_adds(out, " in ");
		add_pos(out, &it->ex->pos);
		gws_buf_addc(out, '\n');
		free(label);
	}
	gws_buf_adds(out, "\n</details>\n\n");
}

/* ---- findings ---- */

static void md_group_head(struct gws_buf *out, const struct gws_report *rep,
			  const size_t *idx, size_t i)
{
	const struct gws_finding *f = &rep->items[idx[i]];
	size_t counts[GWS_STATE_COUNT] = { 0 };
	const char *sep = ": ";
	size_t j;
	int s;

	for (j = i; j < rep->n && gws_diff_same_object(f,
						       &rep->items[idx[j]]); j++)
		counts[rep->items[idx[j]].state]++;
	gws_buf_adds(out, "<details>\n<summary>");
	html_text(out, *f->kind ? f->kind : "(no object)");
	gws_buf_adds(out, " <code>");
	if (f->ns) {
		html_text(out, f->ns);
		gws_buf_addc(out, '/');
	}
	html_text(out, f->name);
	gws_buf_adds(out, "</code>");
	for (s = 0; s < GWS_STATE_COUNT; s++) {
		if (!counts[s])
			continue;
		gws_buf_addf(out, "%s%zu %s", sep, counts[s],
			     gws_state_name((enum gws_state)s));
		sep = ", ";
	}
	gws_buf_adds(out, "</summary>\n\n| state | where | field | message |\n"
		     "|---|---|---|---|\n");
}

static void md_finding(struct gws_buf *out, const struct gws_finding *f)
{
	gws_buf_addf(out, "| %s | ", gws_state_name(f->state));
	if (f->pos.src)
		add_pos(out, &f->pos);
	else
		gws_buf_adds(out, "-");
	gws_buf_adds(out, " | ");
	if (*f->field)
		md_code(out, f->field);
	gws_buf_adds(out, " | ");
	md_text(out, f->message);
	gws_buf_adds(out, " |\n");
}

static void md_findings(struct gws_buf *out, const struct gws_report *rep)
{
	size_t *idx = gws_diff_finding_order(rep);
	const struct gws_finding *f, *next;
	size_t i;
	int s;

	gws_buf_adds(out, "### Conversion findings\n\n| state | count |\n"
		     "|---|---|\n");
	for (s = 0; s < GWS_STATE_COUNT; s++)
		gws_buf_addf(out, "| %s | %zu |\n",
			     gws_state_name((enum gws_state)s), rep->counts[s]);
	gws_buf_addc(out, '\n');
	for (i = 0; i < rep->n; i++) {
		f = &rep->items[idx[i]];
		if (!i || !gws_diff_same_object(&rep->items[idx[i - 1]], f))
			md_group_head(out, rep, idx, i);
		md_finding(out, f);
		next = i + 1 < rep->n ? &rep->items[idx[i + 1]] : NULL;
		if (!next || !gws_diff_same_object(f, next))
			gws_buf_adds(out, "\n</details>\n\n");
	}
	free(idx);
}

/**
 * gws_diff_render_markdown() - the diff as a pull-request comment
 * @v: the diff and the report
 * @out: where the Markdown goes
 *
 * A summary table of the actions, then each created, changed and orphaned
 * object in a collapsible section (a table of the changed fields and the
 * unified diff), the unchanged ones in one section, then the findings in
 * one section per Ingress.
 */
void gws_diff_render_markdown(const struct gws_diff_view *v,
			      struct gws_buf *out)
{
	const struct gws_diff *d = v->d;
	size_t i;
	int a;

	gws_buf_adds(out, "## gwshift diff\n\n| action | objects |\n"
		     "|---|---|\n");
	for (a = 0; a < GWS_DIFF_NACTIONS; a++)
		gws_buf_addf(out, "| %s | %zu |\n",
			     gws_diff_action_name((enum gws_diff_action)a),
			     d->counts[a]);
	gws_buf_addc(out, '\n');
	for (i = 0; i < d->n; i++)
		if (d->items[i].action != GWS_DIFF_UNCHANGED)
			md_item(out, &d->items[i]);
	md_unchanged(out, d);
	md_findings(out, v->rep);
}
