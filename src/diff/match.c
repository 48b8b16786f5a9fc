/* match.c - match generated with existing objects: one action each */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "gwshift/write.h"
#include "internal.h"
#include "banned.h"

static const char *const action_names[GWS_DIFF_NACTIONS] = {
	"create", "change", "unchanged", "orphan",
};

/**
 * gws_diff_action_name() - the name of an action, as the output writes it
 * @a: the action
 *
 * Returns: a static string.
 */
const char *gws_diff_action_name(enum gws_diff_action a)
{
	return action_names[a];
}

/**
 * gws_diff_gen_init() - the keys of the generated objects, in a hash table
 * @g: filled; gws_diff_gen_release() frees it
 * @out: the generated objects; they must outlive @g (keys borrow them)
 */
void gws_diff_gen_init(struct gws_diff_gen *g, const struct gws_output *out)
{
	size_t i, old;

	memset(g, 0, sizeof(*g));
	gws_diff_index_init(&g->ix);
	g->n = out->n;
	g->keys = gws_xcalloc(out->n + 1, sizeof(*g->keys));
	g->groups = gws_xcalloc(out->n + 1, sizeof(*g->groups));
	for (i = 0; i < out->n; i++) {
		const struct gws_object *o = &out->objs[i];
		const char *av = gws_val_get_str(o->doc, "apiVersion");

		g->groups[i] = gws_diff_group_of(av ? av : "");
		g->keys[i].group = g->groups[i];
		g->keys[i].kind = o->kind ? o->kind : "";
		g->keys[i].ns = o->ns ? o->ns : "";
		g->keys[i].name = o->name ? o->name : "";
		/* the mapper never makes two objects with one key */
		gws_diff_index_add(&g->ix, &g->keys[i], i, &old);
	}
}

/**
 * gws_diff_gen_release() - free what gws_diff_gen_init() made
 * @g: the keys, or NULL
 */
void gws_diff_gen_release(struct gws_diff_gen *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->n; i++)
		free(g->groups[i]);
	free(g->groups);
	free(g->keys);
	gws_diff_index_release(&g->ix);
	memset(g, 0, sizeof(*g));
}

/**
 * gws_diff_gen_want() - which existing objects matter (for @ex->want)
 * @key: an existing object's key
 * @has_source: whether it has gwshift's source annotation
 * @arg: the struct gws_diff_gen of the generated objects
 *
 * Returns: true for an object with a generated key or a source annotation.
 */
bool gws_diff_gen_want(const struct gws_diff_key *key, bool has_source,
		       void *arg)
{
	const struct gws_diff_gen *g = arg;
	size_t i;

	return has_source || gws_diff_index_find(&g->ix, key, &i);
}

/**
 * gws_diff_init() - start an empty diff
 * @d: the diff
 */
void gws_diff_init(struct gws_diff *d)
{
	memset(d, 0, sizeof(*d));
}

/**
 * gws_diff_release() - free the items of a diff
 * @d: the diff, or NULL
 */
void gws_diff_release(struct gws_diff *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++)
		gws_diff_item_release(&d->items[i]);
	free(d->items);
	memset(d, 0, sizeof(*d));
}

static struct gws_diff_item *add_item(struct gws_diff *d,
				      enum gws_diff_action a,
				      const struct gws_diff_key *key,
				      const char *api_version)
{
	struct gws_diff_item *it;

	gws_grow((void **)&d->items, &d->cap, d->n + 1, sizeof(*d->items));
	it = &d->items[d->n++];
	memset(it, 0, sizeof(*it));
	it->action = a;
	it->key = *key;
	it->api_version = api_version;
	return it;
}

/* @doc as YAML without the leading "---"; Returns: NULL if it failed */
static char *yaml_of(struct gws_val *doc)
{
	struct gws_buf b;

	gws_buf_init(&b);
	if (gws_write_docs(&b, &doc, 1, GWS_FORMAT_YAML) < 0) {
		gws_buf_release(&b);
		return NULL;
	}
	if (b.len >= 4 && !memcmp(b.data, "---\n", 4)) {
		memmove(b.data, b.data + 4, b.len - 3);
		b.len -= 4;
	}
	return gws_buf_detach(&b, NULL);
}

/* the unified diff of @it from @old (NULL: none) to @new */
static int add_udiff(struct gws_diff_item *it, struct gws_val *old,
		     struct gws_val *new)
{
	char *a = old ? yaml_of(old) : gws_xstrdup("");
	char *b = a ? yaml_of(new) : NULL;
	char *path = gws_xasprintf("%s%s%s/%s", it->key.kind,
				   *it->key.ns ? "/" : "", it->key.ns,
				   it->key.name);
	char *la = old ? gws_xasprintf("existing/%s", path) :
		   gws_xstrdup("/dev/null");
	char *lb = gws_xasprintf("generated/%s", path);
	struct gws_buf u;
	int rc = -1;

	if (a && b) {
		gws_buf_init(&u);
		gws_diff_unified(&u, a, b, la, lb);
		it->udiff = gws_buf_detach(&u, NULL);
		rc = 0;
	}
	free(a);
	free(b);
	free(path);
	free(la);
	free(lb);
	return rc;
}

static int compare_one(struct gws_diff_item *it, struct gws_val *gen,
		       struct gws_diff_obj *o)
{
	struct gws_diff_ptrs fold = { 0 }, fnew = { 0 };
	struct gws_val *new = gws_val_clone(gen);
	int rc = 0;

	gws_diff_normalize(o->doc, &o->key, &fold);
	gws_diff_normalize(new, &it->key, &fnew);
	gws_diff_compare(it, o->doc, new, &fold, &fnew);
	it->action = it->nchanges ? GWS_DIFF_CHANGE : GWS_DIFF_UNCHANGED;
	if (it->nchanges)
		rc = add_udiff(it, o->doc, new);
	gws_val_destroy(new);
	gws_diff_ptrs_release(&fold);
	gws_diff_ptrs_release(&fnew);
	return rc;
}

static int cmp_items(const void *a, const void *b)
{
	const struct gws_diff_item *x = a, *y = b;

	return gws_diff_key_cmp(&x->key, &y->key);
}

/**
 * gws_diff_build() - give every object its action
 * @d: gets the items; they borrow from @out, @g and @ex
 * @out: the generated objects, in output order
 * @g: their keys
 * @ex: the existing objects; matched ones are normalized in place
 *
 * One hash look-up per generated object: linear in the number of objects.
 * Returns: 0, or -1 if an object could not be written as YAML (printed).
 */
int gws_diff_build(struct gws_diff *d, const struct gws_output *out,
		   const struct gws_diff_gen *g, struct gws_diff_existing *ex)
{
	struct gws_diff_item *it;
	size_t i, j, first;

	for (i = 0; i < out->n; i++) {
		struct gws_val *doc = out->objs[i].doc;

		it = add_item(d, GWS_DIFF_CREATE, &g->keys[i],
			      gws_val_get_str(doc, "apiVersion"));
		if (!gws_diff_index_find(&ex->ix, &g->keys[i], &j)) {
			if (add_udiff(it, NULL, doc) < 0)
				return -1;
			continue;
		}
		ex->objs[j].matched = true;
		it->ex = &ex->objs[j];
		if (compare_one(it, doc, &ex->objs[j]) < 0)
			return -1;
	}
	first = d->n;
	for (j = 0; j < ex->n; j++) {
		if (ex->objs[j].matched || !ex->objs[j].source)
			continue;
		it = add_item(d, GWS_DIFF_ORPHAN, &ex->objs[j].key,
			      ex->objs[j].api_version);
		it->ex = &ex->objs[j];
	}
	if (d->n > first)
		qsort(d->items + first, d->n - first, sizeof(*d->items),
		      cmp_items);
	for (i = 0; i < d->n; i++)
		d->counts[d->items[i].action]++;
	return 0;
}
