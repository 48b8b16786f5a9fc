/* report.c - findings: what became of every input field */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gwshift/report.h"
#include "banned.h"

/* a finding quotes values (snippets whole) up to this many bytes */
#define GWS_MAX_MESSAGE 65536

static const char *const state_names[GWS_STATE_COUNT] = {
	"converted", "approximated", "target-specific", "not-converted",
	"ignored",
};

static const char *const severity_names[] = { "info", "warning", "error" };

const char *gws_state_name(enum gws_state state)
{
	return state_names[state];
}

void gws_report_init(struct gws_report *rep)
{
	memset(rep, 0, sizeof(*rep));
}

void gws_report_release(struct gws_report *rep)
{
	size_t i;

	if (!rep)
		return;
	gws_pool_release(&rep->pool);
	free(rep->items);
	for (i = 0; i < rep->nother; i++)
		free(rep->other_kinds[i]);
	free(rep->other_kinds);
	free(rep->other_counts);
	memset(rep, 0, sizeof(*rep));
}

void gws_report_add(struct gws_report *rep, enum gws_state state,
		    const struct gws_pos *pos, const char *kind,
		    const char *ns, const char *name, const char *field,
		    const char *fmt, ...)
{
	struct gws_finding f;
	va_list ap;
	char *msg;

	memset(&f, 0, sizeof(f));
	f.state = state;
	f.severity = state == GWS_NOT_CONVERTED || state == GWS_APPROXIMATED ?
		     GWS_SEV_WARNING : GWS_SEV_INFO;
	va_start(ap, fmt);
	msg = gws_xvasprintf(fmt, ap);
	va_end(ap);
	if (strlen(msg) > GWS_MAX_MESSAGE) {	/* a 100 MB value */
		char *buf = gws_xmalloc(GWS_CUT_SIZE(GWS_MAX_MESSAGE));

		f.message = gws_cut(buf, GWS_MAX_MESSAGE, msg);
		free(msg);
		msg = buf;
	} else {
		f.message = msg;
	}
	if (pos)
		f.pos = *pos;
	f.kind = kind ? kind : "";
	f.ns = ns;
	f.name = name ? name : "";
	f.field = field ? field : "";
	gws_report_push(rep, &f);
	free(msg);
}

void gws_report_push(struct gws_report *rep, const struct gws_finding *f)
{
	struct gws_finding *to;

	gws_grow((void **)&rep->items, &rep->cap, rep->n + 1,
		 sizeof(*rep->items));
	to = &rep->items[rep->n++];
	*to = *f;
	to->message = gws_pool_intern(&rep->pool, f->message);
	to->kind = gws_pool_intern(&rep->pool, f->kind);
	to->ns = gws_pool_intern(&rep->pool, f->ns);
	to->name = gws_pool_intern(&rep->pool, f->name);
	to->field = gws_pool_intern(&rep->pool, f->field);
	rep->counts[f->state]++;
}

/* @n more objects of @kind, ignored */
static void count_kind(struct gws_report *rep, const char *kind, size_t n)
{
	size_t i;

	for (i = 0; i < rep->nother; i++) {
		if (!strcmp(rep->other_kinds[i], kind)) {
			rep->other_counts[i] += n;
			return;
		}
	}
	rep->other_kinds = gws_xrealloc(rep->other_kinds,
					(rep->nother + 1) * sizeof(char *));
	rep->other_counts = gws_xrealloc(rep->other_counts,
					 (rep->nother + 1) * sizeof(size_t));
	rep->other_kinds[rep->nother] = gws_xstrdup(kind);
	rep->other_counts[rep->nother++] = n;
}

void gws_report_count_kind(struct gws_report *rep, const char *kind)
{
	count_kind(rep, kind, 1);
}

void gws_report_take(struct gws_report *rep, const struct gws_report *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		gws_report_push(rep, &from->items[i]);
	for (i = 0; i < from->nother; i++)
		count_kind(rep, from->other_kinds[i], from->other_counts[i]);
	rep->objects_in += from->objects_in;
	rep->ingresses += from->ingresses;
	rep->objects_out += from->objects_out;
}

static int cmp_finding(const void *a, const void *b)
{
	const struct gws_finding *x = a, *y = b;
	const char *fx = x->pos.src ? x->pos.src->name : "";
	const char *fy = y->pos.src ? y->pos.src->name : "";
	int c = strcmp(fx, fy);

	if (c)
		return c;
	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	if (x->pos.col != y->pos.col)
		return x->pos.col < y->pos.col ? -1 : 1;
	c = strcmp(x->field, y->field);
	return c ? c : strcmp(x->message, y->message);
}

void gws_report_sort(struct gws_report *rep)
{
	if (rep->n)
		gws_sort(rep->items, rep->n, sizeof(*rep->items), cmp_finding);
}

int gws_report_format_from_name(const char *name, enum gws_report_format *fmt)
{
	if (!strcmp(name, "text"))
		*fmt = GWS_REPORT_TEXT;
	else if (!strcmp(name, "markdown") || !strcmp(name, "md"))
		*fmt = GWS_REPORT_MARKDOWN;
	else if (!strcmp(name, "json"))
		*fmt = GWS_REPORT_JSON;
	else
		return -1;
	return 0;
}

enum gws_report_format gws_report_format_from_path(const char *path)
{
	const char *ext = strrchr(path, '.');

	if (ext && !strcmp(ext, ".json"))
		return GWS_REPORT_JSON;
	if (ext && (!strcmp(ext, ".md") || !strcmp(ext, ".markdown")))
		return GWS_REPORT_MARKDOWN;
	return GWS_REPORT_TEXT;
}

static void add_loc(struct gws_buf *out, const struct gws_finding *f)
{
	if (f->pos.src)
		gws_buf_addf(out, "%s:%d:%d", f->pos.src->name, f->pos.line,
			     f->pos.col);
	else
		gws_buf_adds(out, "-");
}

static void add_message(struct gws_buf *out, const char *msg);

/* kind ns/name, escaped as a message is (a name may come from the input) */
static void add_object(struct gws_buf *out, const struct gws_finding *f)
{
	add_message(out, f->kind);
	gws_buf_adds(out, " ");
	if (f->ns) {
		add_message(out, f->ns);
		gws_buf_adds(out, "/");
	}
	add_message(out, f->name);
}

static void render_counts(const struct gws_report *rep, struct gws_buf *out,
			  const char *sep)
{
	int s;

	for (s = 0; s < GWS_STATE_COUNT; s++)
		gws_buf_addf(out, "%s%zu %s", s ? sep : "", rep->counts[s],
			     state_names[s]);
}

/*
 * a finding's message on one line of text: control characters that a
 * value quoted in it brought (a snippet's line breaks, a tab in a host)
 * are written as escapes (\n, \t, \r, \xNN; C1 controls, NEL, LS and PS
 * as \uNNNN); JSON keeps them as they are
 */
static void add_message(struct gws_buf *out, const char *msg)
{
	const unsigned char *p;

	for (p = (const unsigned char *)msg; *p; p++) {
		if (*p == '\n' || *p == '\t' || *p == '\r') {
			gws_buf_addf(out, "\\%c", *p == '\n' ? 'n' :
				     *p == '\t' ? 't' : 'r');
		} else if (*p < ' ' || *p == 0x7f) {
			gws_buf_addf(out, "\\x%02x", *p);
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			gws_buf_addf(out, "\\u%04x", p[1]);	/* C1, NEL */
			p++;
		} else if (p[0] == 0xe2 && p[1] == 0x80 &&
			   (p[2] == 0xa8 || p[2] == 0xa9)) {
			gws_buf_addf(out, "\\u%04x", 0x2000 + p[2] - 0x80);
			p += 2;			/* LS, PS */
		} else {
			gws_buf_addc(out, (char)*p);
		}
	}
}

static void render_text(const struct gws_report *rep, struct gws_buf *out)
{
	size_t i;

	gws_buf_addf(out, "gwshift report: %zu objects read, %zu Ingresses "
		     "converted, %zu objects generated\n", rep->objects_in,
		     rep->ingresses, rep->objects_out);
	gws_buf_adds(out, "findings: ");
	render_counts(rep, out, ", ");
	gws_buf_adds(out, "\n");
	for (i = 0; i < rep->nother; i++)
		gws_buf_addf(out, "not used: %zu %s\n", rep->other_counts[i],
			     rep->other_kinds[i]);
	gws_buf_adds(out, "\n");
	for (i = 0; i < rep->n; i++) {
		const struct gws_finding *f = &rep->items[i];

		add_loc(out, f);
		gws_buf_addf(out, ": %s: ", state_names[f->state]);
		add_object(out, f);
		gws_buf_adds(out, " ");
		add_message(out, f->field);
		gws_buf_adds(out, ": ");
		add_message(out, f->message);
		gws_buf_adds(out, "\n");
	}
}

/* markdown table cells: no '|' or newline may break the table */
static void add_cell(struct gws_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			gws_buf_adds(out, "\\|");
		else if (*s == '\n')
			gws_buf_adds(out, "<br>");
		else
			gws_buf_addc(out, *s);
	}
}

static void render_markdown(const struct gws_report *rep, struct gws_buf *out)
{
	size_t i;
	int s;

	gws_buf_addf(out, "# gwshift report\n\n%zu objects read, %zu Ingresses "
		     "converted, %zu objects generated.\n\n| state | count |\n"
		     "|---|---|\n", rep->objects_in, rep->ingresses,
		     rep->objects_out);
	for (s = 0; s < GWS_STATE_COUNT; s++)
		gws_buf_addf(out, "| %s | %zu |\n", state_names[s],
			     rep->counts[s]);
	gws_buf_adds(out, "\n## Findings\n\n| state | where | object | field "
		     "| message |\n|---|---|---|---|---|\n");
	for (i = 0; i < rep->n; i++) {
		const struct gws_finding *f = &rep->items[i];
		struct gws_buf cell;

		gws_buf_init(&cell);
		gws_buf_addf(out, "| %s | ", state_names[f->state]);
		add_loc(&cell, f);
		add_cell(out, cell.data);
		gws_buf_adds(out, " | ");
		gws_buf_release(&cell);
		gws_buf_init(&cell);
		add_object(&cell, f);
		add_cell(out, cell.data);
		gws_buf_adds(out, " | `");
		add_cell(out, f->field);
		gws_buf_adds(out, "` | ");
		add_cell(out, f->message);
		gws_buf_adds(out, " |\n");
		gws_buf_release(&cell);
	}
}

static cJSON *finding_json(const struct gws_finding *f)
{
	cJSON *o = cJSON_CreateObject(), *src = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "state", state_names[f->state]);
	cJSON_AddStringToObject(o, "severity", severity_names[f->severity]);
	cJSON_AddStringToObject(o, "message", f->message);
	cJSON_AddStringToObject(src, "file", f->pos.src ? f->pos.src->name : "");
	cJSON_AddNumberToObject(src, "line", f->pos.line);
	cJSON_AddNumberToObject(src, "column", f->pos.col);
	cJSON_AddStringToObject(src, "kind", f->kind);
	if (f->ns)
		cJSON_AddStringToObject(src, "namespace", f->ns);
	cJSON_AddStringToObject(src, "name", f->name);
	cJSON_AddStringToObject(src, "field", f->field);
	cJSON_AddItemToObject(o, "source", src);
	return o;
}

/*
 * gws_report_json() - the report as a cJSON tree; the caller deletes it
 * with cJSON_Delete().
 */
cJSON *gws_report_json(const struct gws_report *rep);

cJSON *gws_report_json(const struct gws_report *rep)
{
	cJSON *root = cJSON_CreateObject(), *sum = cJSON_CreateObject();
	cJSON *list = cJSON_CreateArray(), *other = cJSON_CreateObject();
	size_t i;
	int s;

	for (s = 0; s < GWS_STATE_COUNT; s++)
		cJSON_AddNumberToObject(sum, state_names[s],
					(double)rep->counts[s]);
	cJSON_AddNumberToObject(sum, "objects-read", (double)rep->objects_in);
	cJSON_AddNumberToObject(sum, "ingresses", (double)rep->ingresses);
	cJSON_AddNumberToObject(sum, "objects-generated",
				(double)rep->objects_out);
	for (i = 0; i < rep->nother; i++)
		cJSON_AddNumberToObject(other, rep->other_kinds[i],
					(double)rep->other_counts[i]);
	cJSON_AddItemToObject(sum, "kinds-not-used", other);
	cJSON_AddItemToObject(root, "summary", sum);
	for (i = 0; i < rep->n; i++)
		cJSON_AddItemToArray(list, finding_json(&rep->items[i]));
	cJSON_AddItemToObject(root, "findings", list);
	return root;
}

static void render_json(const struct gws_report *rep, struct gws_buf *out)
{
	cJSON *root = gws_report_json(rep);
	char *s = cJSON_Print(root);

	if (!s) {
		gws_diag_plain("fatal", "out of memory");
		abort();
	}
	gws_buf_adds(out, s);
	gws_buf_adds(out, "\n");
	free(s);
	cJSON_Delete(root);
}

void gws_report_render(const struct gws_report *rep,
		       enum gws_report_format fmt, struct gws_buf *out)
{
	if (fmt == GWS_REPORT_JSON)
		render_json(rep, out);
	else if (fmt == GWS_REPORT_MARKDOWN)
		render_markdown(rep, out);
	else
		render_text(rep, out);
}

void gws_report_summary(const struct gws_report *rep, FILE *fp, size_t max)
{
	struct gws_buf b;
	size_t i, shown = 0, worth = 0;

	gws_buf_init(&b);
	for (i = 0; i < rep->n; i++) {
		const struct gws_finding *f = &rep->items[i];

		if (f->state != GWS_NOT_CONVERTED &&
		    f->state != GWS_APPROXIMATED)
			continue;
		worth++;
		if (shown >= max)
			continue;
		shown++;
		if (f->pos.src)
			add_loc(&b, f);
		else
			gws_buf_adds(&b, "gwshift");
		gws_buf_addf(&b, ": %s: ", state_names[f->state]);
		add_object(&b, f);
		gws_buf_adds(&b, ": ");
		add_message(&b, f->message);
		gws_buf_adds(&b, "\n");
	}
	if (worth > shown)
		gws_buf_addf(&b, "... and %zu more (see --report)\n",
			     worth - shown);
	gws_buf_addf(&b, "gwshift: %zu Ingresses -> %zu objects; ",
		     rep->ingresses, rep->objects_out);
	render_counts(rep, &b, ", ");
	gws_buf_adds(&b, "\n");
	fputs(b.data, fp);
	gws_buf_release(&b);
}
