/* compare.c - field-level changes between an existing and a generated object */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

/* lists longer than this are not matched by name */
#define MAX_KEYED 1024
/* lists whose unequal middles have more pairs are compared by position */
#define MAX_LCS_CELLS ((size_t)1 << 18)

/* struct drop - a map entry to remove once the walk is done */
struct drop {
	struct gws_val *map;
	const struct gws_val *val;
};

/* struct pending - a change whose values are copied after the drops */
struct pending {
	char *path;
	const struct gws_val *old;
	const struct gws_val *new;
};

/* struct cmp - one comparison in progress */
struct cmp {
	struct gws_diff_ptrs *fold;	/* defaults filled in old */
	struct gws_diff_ptrs *fnew;	/* and in new */
	struct drop *drops;
	size_t ndrops;
	size_t drops_cap;
	struct pending *found;
	size_t nfound;
	size_t found_cap;
	struct gws_buf path;
};

static void cmp_val(struct cmp *c, struct gws_val *a, struct gws_val *b,
		    const char *key);

static void add_drop(struct cmp *c, struct gws_val *map,
		     const struct gws_val *val)
{
	gws_grow((void **)&c->drops, &c->drops_cap, c->ndrops + 1,
		 sizeof(*c->drops));
	c->drops[c->ndrops].map = map;
	c->drops[c->ndrops++].val = val;
}

/* defaults filled inside a subtree with no counterpart are not shown */
static void drop_filled(struct cmp *c, struct gws_diff_ptrs *filled,
			struct gws_val *v)
{
	size_t i;

	for (i = 0; v && i < v->n; i++) {
		if (v->kind == GWS_VAL_MAP &&
		    gws_diff_ptrs_has(filled, v->items[i]))
			add_drop(c, v, v->items[i]);
		else
			drop_filled(c, filled, v->items[i]);
	}
}

/* record a change at the current path; NULL is an absent value */
static void add_change(struct cmp *c, struct gws_val *a, struct gws_val *b)
{
	struct pending *p;

	drop_filled(c, c->fold, a);
	drop_filled(c, c->fnew, b);
	gws_grow((void **)&c->found, &c->found_cap, c->nfound + 1,
		 sizeof(*c->found));
	p = &c->found[c->nfound++];
	p->path = gws_xstrdup(c->path.len ? c->path.data : ".");
	p->old = a;
	p->new = b;
}

/* "a.b", or "a['b.c']" for a key that is not a plain word */
static void push_key(struct gws_buf *path, const char *key)
{
	size_t i, n = strlen(key);
	bool plain = n > 0;

	for (i = 0; i < n && plain; i++)
		plain = (key[i] >= 'a' && key[i] <= 'z') ||
			(key[i] >= 'A' && key[i] <= 'Z') ||
			(key[i] >= '0' && key[i] <= '9') || key[i] == '_' ||
			key[i] == '-';
	if (plain) {
		gws_buf_addf(path, "%s%s", path->len ? "." : "", key);
		return;
	}
	gws_buf_adds(path, "['");
	for (i = 0; i < n; i++) {
		if (key[i] == '\'' || key[i] == '\\')
			gws_buf_addc(path, '\\');
		gws_buf_addc(path, key[i]);
	}
	gws_buf_adds(path, "']");
}

static void cut(struct gws_buf *path, size_t len)
{
	path->len = len;
	if (path->data)
		path->data[len] = '\0';
}

/* put the keys of @a in the order of @b; keys only in @a go last */
static void follow_order(struct gws_val *a, const struct gws_val *b)
{
	char **keys = gws_xcalloc(a->n + 1, sizeof(*keys));
	struct gws_val **items = gws_xcalloc(a->n + 1, sizeof(*items));
	bool *used = gws_xcalloc(a->n + 1, sizeof(*used));
	size_t i, j, n = 0;

	for (j = 0; j < b->n; j++) {
		for (i = 0; i < a->n; i++) {
			if (!used[i] && !strcmp(a->keys[i], b->keys[j])) {
				used[i] = true;
				keys[n] = a->keys[i];
				items[n++] = a->items[i];
				break;
			}
		}
	}
	for (i = 0; i < a->n; i++) {
		if (!used[i]) {
			keys[n] = a->keys[i];
			items[n++] = a->items[i];
		}
	}
	memcpy(a->keys, keys, a->n * sizeof(*keys));
	memcpy(a->items, items, a->n * sizeof(*items));
	free(keys);
	free(items);
	free(used);
}

static void cmp_map(struct cmp *c, struct gws_val *a, struct gws_val *b)
{
	size_t mark = c->path.len, i;
	struct gws_val *av;

	for (i = 0; i < b->n; i++) {
		push_key(&c->path, b->keys[i]);
		av = gws_val_get(a, b->keys[i]);
		if (!av) {
			add_change(c, NULL, b->items[i]);
		} else if (gws_diff_ptrs_has(c->fold, av) &&
			   gws_diff_ptrs_has(c->fnew, b->items[i])) {
			add_drop(c, a, av);	/* a default on both sides */
			add_drop(c, b, b->items[i]);
		} else {
			cmp_val(c, av, b->items[i], b->keys[i]);
		}
		cut(&c->path, mark);
	}
	for (i = 0; i < a->n; i++) {
		if (gws_val_get(b, a->keys[i]))
			continue;
		push_key(&c->path, a->keys[i]);
		add_change(c, a->items[i], NULL);
		cut(&c->path, mark);
	}
	follow_order(a, b);
}

static const char *item_name(const struct gws_val *v)
{
	return v->kind == GWS_VAL_MAP ? gws_val_get_str(v, "name") : NULL;
}

/* every item a map with a name, no name twice */
static bool named_items(const struct gws_val *seq)
{
	size_t i, j;

	if (seq->n > MAX_KEYED)
		return false;
	for (i = 0; i < seq->n; i++) {
		if (!item_name(seq->items[i]))
			return false;
		for (j = 0; j < i; j++)
			if (!strcmp(item_name(seq->items[i]),
				    item_name(seq->items[j])))
				return false;
	}
	return true;
}

/*
 * Lists the Gateway API keys by name (x-kubernetes-list-type: map):
 * listeners, header and query matches, header modifier add and set.
 * Their order is not a change.
 */
static bool keyed_list(const char *key, const struct gws_val *a,
		       const struct gws_val *b)
{
	static const char *const keyed[] = {
		"listeners", "headers", "queryParams", "add", "set",
	};
	size_t i;

	for (i = 0; key && i < GWS_ARRAY_SIZE(keyed); i++)
		if (!strcmp(key, keyed[i]))
			return named_items(a) && named_items(b);
	return false;
}

static size_t find_named(const struct gws_val *seq, const char *name)
{
	size_t i;

	for (i = 0; i < seq->n; i++)
		if (!strcmp(item_name(seq->items[i]), name))
			return i;
	return seq->n;
}

/* @a's items in @b's order, the ones @b does not have last */
static void follow_items(struct gws_val *a, const struct gws_val *b)
{
	struct gws_val **items = gws_xcalloc(a->n + 1, sizeof(*items));
	size_t i, j, n = 0;

	for (j = 0; j < b->n; j++) {
		i = find_named(a, item_name(b->items[j]));
		if (i < a->n)
			items[n++] = a->items[i];
	}
	for (i = 0; i < a->n; i++)
		if (find_named(b, item_name(a->items[i])) == b->n)
			items[n++] = a->items[i];
	memcpy(a->items, items, a->n * sizeof(*items));
	free(items);
}

static void cmp_keyed(struct cmp *c, struct gws_val *a, struct gws_val *b)
{
	size_t mark = c->path.len, i, j;
	const char *name;

	for (j = 0; j < b->n; j++) {
		name = item_name(b->items[j]);
		gws_buf_addf(&c->path, "[name=%s]", name);
		i = find_named(a, name);
		if (i < a->n)
			cmp_val(c, a->items[i], b->items[j], NULL);
		else
			add_change(c, NULL, b->items[j]);
		cut(&c->path, mark);
	}
	for (i = 0; i < a->n; i++) {
		name = item_name(a->items[i]);
		if (find_named(b, name) < b->n)
			continue;
		gws_buf_addf(&c->path, "[name=%s]", name);
		add_change(c, a->items[i], NULL);
		cut(&c->path, mark);
	}
	follow_items(a, b);
}

/* compare item @i of @a with item @j of @b at index @at */
static void cmp_item(struct cmp *c, struct gws_val *a, size_t i,
		     struct gws_val *b, size_t j, size_t at)
{
	size_t mark = c->path.len;

	gws_buf_addf(&c->path, "[%zu]", at);
	if (!a)
		add_change(c, NULL, b->items[j]);
	else if (!b)
		add_change(c, a->items[i], NULL);
	else
		cmp_val(c, a->items[i], b->items[j], NULL);
	cut(&c->path, mark);
}

/*
 * One stretch of unmatched items: the first ones of each side are
 * compared field by field (at @b's index), the rest removed (at @a's
 * index) or added.
 */
static void cmp_gap(struct cmp *c, struct gws_val *a, size_t i, size_t i_end,
		    struct gws_val *b, size_t j, size_t j_end)
{
	for (; i < i_end && j < j_end; i++, j++)
		cmp_item(c, a, i, b, j, j);
	for (; i < i_end; i++)
		cmp_item(c, a, i, NULL, 0, i);
	for (; j < j_end; j++)
		cmp_item(c, NULL, 0, b, j, j);
}

/*
 * The middle of two lists, aligned on their longest common subsequence
 * of equal items (when small enough: it costs the product of the
 * lengths), else by position.
 */
static void cmp_middle(struct cmp *c, struct gws_val *a, size_t lo,
		       size_t a_end, struct gws_val *b, size_t b_end)
{
	size_t na = a_end - lo, nb = b_end - lo, i, j, gi, gj, w = nb + 1;
	unsigned int *len;

	if (!na || !nb || na * nb > MAX_LCS_CELLS) {
		cmp_gap(c, a, lo, a_end, b, lo, b_end);
		return;
	}
	len = gws_xcalloc((na + 1) * w, sizeof(*len));
	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;)
			len[i * w + j] = gws_val_equal(a->items[lo + i],
						       b->items[lo + j]) ?
					 len[(i + 1) * w + j + 1] + 1 :
					 len[(i + 1) * w + j] > len[i * w + j + 1] ?
					 len[(i + 1) * w + j] : len[i * w + j + 1];
	for (i = gi = 0, j = gj = 0; i < na && j < nb;) {
		if (gws_val_equal(a->items[lo + i], b->items[lo + j])) {
			cmp_gap(c, a, lo + gi, lo + i, b, lo + gj, lo + j);
			cmp_item(c, a, lo + i, b, lo + j, lo + j);
			gi = ++i;
			gj = ++j;
		} else if (len[(i + 1) * w + j] >= len[i * w + j + 1]) {
			i++;
		} else {
			j++;
		}
	}
	cmp_gap(c, a, lo + gi, a_end, b, lo + gj, b_end);
	free(len);
}

/* lists: equal head and tail, and the middle aligned */
static void cmp_seq(struct cmp *c, struct gws_val *a, struct gws_val *b)
{
	size_t head = 0, tail = 0, i;

	while (head < a->n && head < b->n &&
	       gws_val_equal(a->items[head], b->items[head]))
		head++;
	while (tail < a->n - head && tail < b->n - head &&
	       gws_val_equal(a->items[a->n - 1 - tail],
			     b->items[b->n - 1 - tail]))
		tail++;
	for (i = 0; i < head; i++)
		cmp_item(c, a, i, b, i, i);
	cmp_middle(c, a, head, a->n - tail, b, b->n - tail);
	for (i = tail; i > 0; i--)
		cmp_item(c, a, a->n - i, b, b->n - i, b->n - i);
}

/* compare two present values found under @key (NULL in a list) */
static void cmp_val(struct cmp *c, struct gws_val *a, struct gws_val *b,
		    const char *key)
{
	if (a->kind != b->kind) {
		add_change(c, a, b);
		return;
	}
	switch (a->kind) {
	case GWS_VAL_STR:
		if (strcmp(a->str, b->str))
			add_change(c, a, b);
		break;
	case GWS_VAL_INT:
		if (a->num != b->num)
			add_change(c, a, b);
		break;
	case GWS_VAL_BOOL:
		if (a->b != b->b)
			add_change(c, a, b);
		break;
	case GWS_VAL_MAP:
		cmp_map(c, a, b);
		break;
	case GWS_VAL_SEQ:
		if (keyed_list(key, a, b))
			cmp_keyed(c, a, b);
		else
			cmp_seq(c, a, b);
		break;
	}
}

/* remove entry @val of @map (it may be gone already) */
static void remove_entry(struct gws_val *map, const struct gws_val *val)
{
	size_t i;

	for (i = 0; i < map->n; i++) {
		if (map->items[i] != val)
			continue;
		free(map->keys[i]);
		gws_val_destroy(map->items[i]);
		memmove(&map->keys[i], &map->keys[i + 1],
			(map->n - i - 1) * sizeof(*map->keys));
		memmove(&map->items[i], &map->items[i + 1],
			(map->n - i - 1) * sizeof(*map->items));
		map->n--;
		return;
	}
}

static void add_item_change(struct gws_diff_item *it, const struct pending *p)
{
	struct gws_diff_change *ch;

	gws_grow((void **)&it->changes, &it->cap, it->nchanges + 1,
		 sizeof(*it->changes));
	ch = &it->changes[it->nchanges++];
	ch->path = p->path;
	ch->old = gws_val_clone(p->old);
	ch->new = gws_val_clone(p->new);
}

/**
 * gws_diff_compare() - the field-level changes from one object to another
 * @it: gets the changes (copies of the values, owned by @it)
 * @old: the existing object, normalized with its defaults in @fold
 * @new: the generated object, normalized with its defaults in @fnew
 * @fold: the defaults filled into @old
 * @fnew: the defaults filled into @new
 *
 * A default filled into both sides is no change and is then removed from
 * both, and one filled into a part that only one side has is removed, so
 * that the trees show a default only where one side wrote it. @old's keys
 * (and its items of lists keyed by name) are put in @new's order.
 */
void gws_diff_compare(struct gws_diff_item *it, struct gws_val *old,
		      struct gws_val *new, struct gws_diff_ptrs *fold,
		      struct gws_diff_ptrs *fnew)
{
	struct cmp c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.fold = fold;
	c.fnew = fnew;
	gws_buf_init(&c.path);
	cmp_val(&c, old, new, NULL);
	for (i = 0; i < c.ndrops; i++)
		remove_entry(c.drops[i].map, c.drops[i].val);
	for (i = 0; i < c.nfound; i++)
		add_item_change(it, &c.found[i]);
	free(c.found);
	free(c.drops);
	gws_buf_release(&c.path);
}

/**
 * gws_diff_item_release() - free the changes and diff of an item
 * @it: the item, or NULL
 */
void gws_diff_item_release(struct gws_diff_item *it)
{
	size_t i;

	if (!it)
		return;
	for (i = 0; i < it->nchanges; i++) {
		free(it->changes[i].path);
		gws_val_destroy(it->changes[i].old);
		gws_val_destroy(it->changes[i].new);
	}
	free(it->changes);
	free(it->udiff);
	memset(it, 0, sizeof(*it));
}
