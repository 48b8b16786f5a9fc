/* render_json.c - the diff as JSON for CI */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"
#include "banned.h"

static void *must(void *p)
{
	if (!p) {
		gws_diag_plain("fatal", "out of memory");
		abort();
	}
	return p;
}

static cJSON *val_json(const struct gws_val *v)
{
	cJSON *j = NULL;
	size_t i;

	switch (v->kind) {
	case GWS_VAL_STR:
		return must(cJSON_CreateString(v->str));
	case GWS_VAL_INT:
		return must(cJSON_CreateNumber((double)v->num));
	case GWS_VAL_BOOL:
		return must(cJSON_CreateBool(v->b));
	case GWS_VAL_MAP:
		j = must(cJSON_CreateObject());
		for (i = 0; i < v->n; i++)
			cJSON_AddItemToObject(j, v->keys[i],
					      val_json(v->items[i]));
		return j;
	case GWS_VAL_SEQ:
		j = must(cJSON_CreateArray());
		for (i = 0; i < v->n; i++)
			cJSON_AddItemToArray(j, val_json(v->items[i]));
		return j;
	}
	return must(NULL);
}

static cJSON *change_json(const struct gws_diff_change *ch)
{
	cJSON *o = must(cJSON_CreateObject());

	cJSON_AddStringToObject(o, "path", ch->path);
	if (ch->old)
		cJSON_AddItemToObject(o, "old", val_json(ch->old));
	if (ch->new)
		cJSON_AddItemToObject(o, "new", val_json(ch->new));
	return o;
}

static cJSON *pos_json(const struct gws_pos *pos)
{
	cJSON *o = must(cJSON_CreateObject());

	cJSON_AddStringToObject(o, "file", pos->src->name);
	cJSON_AddNumberToObject(o, "line", pos->line);
	cJSON_AddNumberToObject(o, "column", pos->col);
	return o;
}

static cJSON *item_json(const struct gws_diff_item *it)
{
	cJSON *o = must(cJSON_CreateObject());
	cJSON *changes = must(cJSON_CreateArray());
	size_t i;

	cJSON_AddStringToObject(o, "action", gws_diff_action_name(it->action));
	cJSON_AddStringToObject(o, "apiVersion",
				it->api_version ? it->api_version : "");
	cJSON_AddStringToObject(o, "kind", it->key.kind);
	if (*it->key.ns)
		cJSON_AddStringToObject(o, "namespace", it->key.ns);
	cJSON_AddStringToObject(o, "name", it->key.name);
	if (it->ex)
		cJSON_AddItemToObject(o, "existing", pos_json(&it->ex->pos));
	if (it->action == GWS_DIFF_ORPHAN)
		cJSON_AddStringToObject(o, "source", it->ex->source);
	for (i = 0; i < it->nchanges; i++)
		cJSON_AddItemToArray(changes, change_json(&it->changes[i]));
	cJSON_AddItemToObject(o, "changes", changes);
	if (it->udiff)
		cJSON_AddStringToObject(o, "diff", it->udiff);
	return o;
}

/**
 * gws_diff_render_json() - the diff as one JSON object
 * @v: the diff and the report
 * @out: where the JSON goes
 *
 * {"summary": {action: count}, "objects": [every object with its action,
 * changes and unified diff], "report": the report as --report-format json
 * writes it}, indented, with a final newline.
 */
void gws_diff_render_json(const struct gws_diff_view *v, struct gws_buf *out)
{
	cJSON *root = must(cJSON_CreateObject());
	cJSON *sum = must(cJSON_CreateObject());
	cJSON *objs = must(cJSON_CreateArray());
	char *text;
	size_t i;
	int a;

	for (a = 0; a < GWS_DIFF_NACTIONS; a++)
		cJSON_AddNumberToObject(sum, gws_diff_action_name(
						(enum gws_diff_action)a),
					(double)v->d->counts[a]);
	cJSON_AddItemToObject(root, "summary", sum);
	for (i = 0; i < v->d->n; i++)
		cJSON_AddItemToArray(objs, item_json(&v->d->items[i]));
	cJSON_AddItemToObject(root, "objects", objs);
	cJSON_AddItemToObject(root, "report", must(gws_report_json(v->rep)));
	text = must(cJSON_Print(root));
	gws_buf_adds(out, text);
	gws_buf_addc(out, '\n');
	free(text);
	cJSON_Delete(root);
}
