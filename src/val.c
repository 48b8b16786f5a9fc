/* val.c - ordered value tree for generated manifests */
/* SPDX-License-Identifier: MIT */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "gwshift/util.h"
#include "gwshift/val.h"
#include "banned.h"

static struct gws_val *val_new(enum gws_val_kind kind)
{
	struct gws_val *v = gws_xcalloc(1, sizeof(*v));

	v->kind = kind;
	return v;
}

/**
 * gws_val_map() - a new empty map
 *
 * Returns: the map; the caller frees it with gws_val_destroy().
 */
struct gws_val *gws_val_map(void)
{
	return val_new(GWS_VAL_MAP);
}

/**
 * gws_val_seq() - a new empty sequence
 *
 * Returns: the sequence; the caller frees it with gws_val_destroy().
 */
struct gws_val *gws_val_seq(void)
{
	return val_new(GWS_VAL_SEQ);
}

/**
 * gws_val_str() - a new string value
 * @s: the string, copied
 *
 * Returns: the value; the caller frees it with gws_val_destroy().
 */
/* a string and its node are one allocation: a manifest is mostly strings */
struct gws_val *gws_val_str(const char *s)
{
	size_t len = strlen(s);
	struct gws_val *v = gws_xcalloc(1, sizeof(*v) + len + 1);

	v->kind = GWS_VAL_STR;
	v->str = memcpy((char *)(v + 1), s, len + 1);
	return v;
}

/**
 * gws_val_int() - a new integer value
 * @n: the number
 *
 * Returns: the value; the caller frees it with gws_val_destroy().
 */
struct gws_val *gws_val_int(long long n)
{
	struct gws_val *v = val_new(GWS_VAL_INT);

	v->num = n;
	return v;
}

/**
 * gws_val_bool() - a new boolean value
 * @b: the boolean
 *
 * Returns: the value; the caller frees it with gws_val_destroy().
 */
struct gws_val *gws_val_bool(bool b)
{
	struct gws_val *v = val_new(GWS_VAL_BOOL);

	v->b = b;
	return v;
}

/**
 * gws_val_destroy() - free a tree with all its children and strings
 * @v: the tree, or NULL
 */
void gws_val_destroy(struct gws_val *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		if (v->keys)
			free(v->keys[i]);
		gws_val_destroy(v->items[i]);
	}
	free(v->keys);
	free(v->items);
	if (v->str != (char *)(v + 1))
		free(v->str);
	free(v->index);
	free(v);
}

/* make room for one more entry; maps keep keys[] and items[] in step */
static void val_reserve(struct gws_val *v)
{
	void *keys = v->keys;
	void *items = v->items;
	size_t kcap = v->cap;
	size_t icap = v->cap;

	if (v->kind == GWS_VAL_MAP) {
		gws_grow(&keys, &kcap, v->n + 1, sizeof(*v->keys));
		v->keys = keys;
	}
	gws_grow(&items, &icap, v->n + 1, sizeof(*v->items));
	v->items = items;
	v->cap = icap;
}

/**
 * gws_val_clone() - deep copy of a tree
 * @v: the tree, or NULL
 *
 * Returns: the copy (NULL for NULL); the caller frees it with
 * gws_val_destroy().
 */
struct gws_val *gws_val_clone(const struct gws_val *v)
{
	struct gws_val *c = NULL;
	size_t i;

	if (!v)
		return NULL;
	if (v->kind == GWS_VAL_STR && v->str)
		return gws_val_str(v->str);
	c = val_new(v->kind);
	c->num = v->num;
	c->b = v->b;
	if (v->str)
		c->str = gws_xstrdup(v->str);
	for (i = 0; i < v->n; i++) {
		val_reserve(c);
		if (v->kind == GWS_VAL_MAP)
			c->keys[i] = gws_xstrdup(v->keys[i]);
		c->items[i] = gws_val_clone(v->items[i]);
		c->n++;
	}
	return c;
}

/*
 * ---- key lookup ----
 *
 * Most maps hold a handful of keys and are searched in order. A map that
 * grows past INDEX_MIN keys (one entry per namespace, per host, ...) gets
 * a hash table of positions, so that filling it stays linear: open
 * addressing over index_size() slots, each the position of a key plus one
 * (0: empty). It is built on the first lookup, rebuilt when the map's
 * arrays grow, kept up to date by appends and dropped by deletes.
 */
#define INDEX_MIN 16

/* a power of two, at least twice the map's capacity */
static size_t index_size(const struct gws_val *map)
{
	size_t size = 64;

	while (size < 2 * map->cap)
		size *= 2;
	return size;
}

static void index_put(struct gws_val *map, size_t pos)
{
	size_t mask = index_size(map) - 1;
	size_t i = gws_hash(map->keys[pos], strlen(map->keys[pos])) & mask;

	while (map->index[i])
		i = (i + 1) & mask;
	map->index[i] = pos + 1;
}

static void index_build(struct gws_val *map)
{
	size_t i;

	free(map->index);
	map->index = gws_xcalloc(index_size(map), sizeof(*map->index));
	for (i = 0; i < map->n; i++)
		index_put(map, i);
}

static bool val_find(const struct gws_val *map, const char *key, size_t *at)
{
	size_t i, mask;

	assert(map && map->kind == GWS_VAL_MAP);
	if (map->n < INDEX_MIN) {
		for (i = 0; i < map->n; i++) {
			if (strcmp(map->keys[i], key) == 0) {
				*at = i;
				return true;
			}
		}
		return false;
	}
	if (!map->index)
		index_build((struct gws_val *)map);	/* a cache */
	mask = index_size(map) - 1;
	for (i = gws_hash(key, strlen(key)) & mask; map->index[i];
	     i = (i + 1) & mask) {
		if (strcmp(map->keys[map->index[i] - 1], key) == 0) {
			*at = map->index[i] - 1;
			return true;
		}
	}
	return false;
}

/**
 * gws_val_set() - set @key of @map to @v
 * @map: a map
 * @key: the key, copied
 * @v: the value; the map takes it
 *
 * An older value under @key is freed and replaced in place, so the key
 * keeps its position; a new key goes last.
 * Returns: @v, borrowed from the map.
 */
struct gws_val *gws_val_set(struct gws_val *map, const char *key,
			    struct gws_val *v)
{
	size_t i, size;

	assert(v);
	if (val_find(map, key, &i)) {
		if (map->items[i] != v)
			gws_val_destroy(map->items[i]);
		map->items[i] = v;
		return v;
	}
	size = index_size(map);
	val_reserve(map);
	map->keys[map->n] = gws_xstrdup(key);
	map->items[map->n] = v;
	map->n++;
	if (map->index && index_size(map) != size)
		index_build(map);
	else if (map->index)
		index_put(map, map->n - 1);
	return v;
}

/**
 * gws_val_set_str() - set @key of @map to a copy of @s
 * @map: a map
 * @key: the key, copied
 * @s: the string, copied
 *
 * Returns: the new value, borrowed from the map.
 */
struct gws_val *gws_val_set_str(struct gws_val *map, const char *key,
				const char *s)
{
	return gws_val_set(map, key, gws_val_str(s));
}

/**
 * gws_val_set_int() - set @key of @map to @n
 * @map: a map
 * @key: the key, copied
 * @n: the number
 *
 * Returns: the new value, borrowed from the map.
 */
struct gws_val *gws_val_set_int(struct gws_val *map, const char *key,
				long long n)
{
	return gws_val_set(map, key, gws_val_int(n));
}

static struct gws_val *val_get_kind(struct gws_val *map, const char *key,
				    enum gws_val_kind kind)
{
	struct gws_val *v = gws_val_get(map, key);

	if (v && v->kind == kind)
		return v;
	return gws_val_set(map, key, val_new(kind));
}

/**
 * gws_val_child() - the map under @key, created empty if missing
 * @map: a map
 * @key: the key
 *
 * A value under @key that is not a map is replaced by an empty map.
 * Returns: the child map, borrowed from @map.
 */
struct gws_val *gws_val_child(struct gws_val *map, const char *key)
{
	return val_get_kind(map, key, GWS_VAL_MAP);
}

/**
 * gws_val_list() - the sequence under @key, created empty if missing
 * @map: a map
 * @key: the key
 *
 * A value under @key that is not a sequence is replaced by an empty one.
 * Returns: the sequence, borrowed from @map.
 */
struct gws_val *gws_val_list(struct gws_val *map, const char *key)
{
	return val_get_kind(map, key, GWS_VAL_SEQ);
}

/**
 * gws_val_get() - look up @key
 * @map: a map, or NULL
 * @key: the key
 *
 * Returns: the value borrowed from @map, or NULL if absent or @map is NULL
 * or not a map.
 */
struct gws_val *gws_val_get(const struct gws_val *map, const char *key)
{
	size_t i;

	if (!map || map->kind != GWS_VAL_MAP)
		return NULL;
	return val_find(map, key, &i) ? map->items[i] : NULL;
}

/**
 * gws_val_get_str() - look up the string under @key
 * @map: a map, or NULL
 * @key: the key
 *
 * Returns: the string borrowed from @map, or NULL if absent or not a string.
 */
const char *gws_val_get_str(const struct gws_val *map, const char *key)
{
	const struct gws_val *v = gws_val_get(map, key);

	return v && v->kind == GWS_VAL_STR ? v->str : NULL;
}

/**
 * gws_val_del() - remove @key from @map and free its value
 * @map: a map
 * @key: the key
 *
 * Returns: true if @key was there.
 */
bool gws_val_del(struct gws_val *map, const char *key)
{
	size_t i;
	size_t rest;

	if (!val_find(map, key, &i))
		return false;
	free(map->keys[i]);
	gws_val_destroy(map->items[i]);
	rest = map->n - i - 1;
	memmove(&map->keys[i], &map->keys[i + 1], rest * sizeof(*map->keys));
	memmove(&map->items[i], &map->items[i + 1],
		rest * sizeof(*map->items));
	map->n--;
	free(map->index);	/* positions moved: rebuilt when needed */
	map->index = NULL;
	return true;
}

/**
 * gws_val_push() - append @v to @seq
 * @seq: a sequence
 * @v: the value; the sequence takes it
 *
 * Returns: @v, borrowed from the sequence.
 */
struct gws_val *gws_val_push(struct gws_val *seq, struct gws_val *v)
{
	assert(seq && seq->kind == GWS_VAL_SEQ && v);
	val_reserve(seq);
	seq->items[seq->n++] = v;
	return v;
}

static bool map_equal(const struct gws_val *a, const struct gws_val *b)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct gws_val *bv = gws_val_get(b, a->keys[i]);

		if (!bv || !gws_val_equal(a->items[i], bv))
			return false;
	}
	return true;
}

/**
 * gws_val_equal() - deep equality
 * @a: a tree, or NULL
 * @b: a tree, or NULL
 *
 * Maps are equal with the same keys and equal values in any order;
 * sequences need equal items in the same order.
 * Returns: true if equal (two NULLs are equal).
 */
bool gws_val_equal(const struct gws_val *a, const struct gws_val *b)
{
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case GWS_VAL_STR:
		return strcmp(a->str, b->str) == 0;
	case GWS_VAL_INT:
		return a->num == b->num;
	case GWS_VAL_BOOL:
		return a->b == b->b;
	case GWS_VAL_MAP:
		return a->n == b->n && map_equal(a, b);
	case GWS_VAL_SEQ:
		break;
	}
	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (!gws_val_equal(a->items[i], b->items[i]))
			return false;
	return true;
}
