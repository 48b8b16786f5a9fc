/* index.c - objects matched by API group, kind, namespace and name */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

#define GATEWAY_GROUP "gateway.networking.k8s.io"

/**
 * gws_diff_index_init() - start an empty index
 * @ix: the index; it needs no memory until the first key
 */
void gws_diff_index_init(struct gws_diff_index *ix)
{
	memset(ix, 0, sizeof(*ix));
}

/**
 * gws_diff_index_release() - free the table (not the keys' strings)
 * @ix: the index, or NULL
 */
void gws_diff_index_release(struct gws_diff_index *ix)
{
	if (!ix)
		return;
	free(ix->slots);
	memset(ix, 0, sizeof(*ix));
}

/* FNV-1a over the four parts, each ended by a byte UTF-8 never has */
static uint64_t key_hash(const struct gws_diff_key *key)
{
	const char *parts[4] = { key->group, key->kind, key->ns, key->name };
	uint64_t h = 14695981039346656037ULL;
	const unsigned char *s;
	size_t i;

	for (i = 0; i < 4; i++) {
		for (s = (const unsigned char *)parts[i]; *s; s++) {
			h ^= *s;
			h *= 1099511628211ULL;
		}
		h ^= 0xff;
		h *= 1099511628211ULL;
	}
	return h;
}

static bool key_equal(const struct gws_diff_key *a,
		      const struct gws_diff_key *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->kind, b->kind) &&
	       !strcmp(a->ns, b->ns) && !strcmp(a->group, b->group);
}

/* the slot of @key, or the empty slot where it would go */
static struct gws_diff_slot *probe(const struct gws_diff_index *ix,
				   const struct gws_diff_key *key,
				   uint64_t hash)
{
	size_t mask = ix->cap - 1;
	size_t i = (size_t)hash & mask;

	while (ix->slots[i].used) {
		if (ix->slots[i].hash == hash &&
		    key_equal(&ix->slots[i].key, key))
			break;
		i = (i + 1) & mask;
	}
	return &ix->slots[i];
}

/* double the table (16 slots at first), keeping it at most half full */
static void grow(struct gws_diff_index *ix)
{
	struct gws_diff_index bigger;
	size_t i;

	bigger.cap = ix->cap ? ix->cap * 2 : 16;
	bigger.n = ix->n;
	bigger.slots = gws_xcalloc(bigger.cap, sizeof(*bigger.slots));
	for (i = 0; i < ix->cap; i++) {
		const struct gws_diff_slot *s = &ix->slots[i];

		if (s->used)
			*probe(&bigger, &s->key, s->hash) = *s;
	}
	free(ix->slots);
	*ix = bigger;
}

/**
 * gws_diff_index_add() - map a key to a value
 * @ix: the index
 * @key: the key; its strings are borrowed and must outlive @ix
 * @val: the value, usually a position in an array
 * @old: set to the value already there when @key is a duplicate
 *
 * Amortized constant time: the table doubles when half full.
 * Returns: true if added, false if @key was there (nothing changed).
 */
bool gws_diff_index_add(struct gws_diff_index *ix,
			const struct gws_diff_key *key, size_t val, size_t *old)
{
	uint64_t hash = key_hash(key);
	struct gws_diff_slot *s;

	if ((ix->n + 1) * 2 > ix->cap)
		grow(ix);
	s = probe(ix, key, hash);
	if (s->used) {
		*old = s->val;
		return false;
	}
	s->used = true;
	s->hash = hash;
	s->key = *key;
	s->val = val;
	ix->n++;
	return true;
}

/**
 * gws_diff_index_find() - look a key up
 * @ix: the index
 * @key: the key
 * @val: set to its value when found
 *
 * Returns: true if @key is there.
 */
bool gws_diff_index_find(const struct gws_diff_index *ix,
			 const struct gws_diff_key *key, size_t *val)
{
	const struct gws_diff_slot *s;

	if (!ix->cap)
		return false;
	s = probe(ix, key, key_hash(key));
	if (!s->used)
		return false;
	*val = s->val;
	return true;
}

/**
 * gws_diff_key_cmp() - order keys by group, kind, namespace and name
 * @a: a key
 * @b: another key
 *
 * Returns: <0, 0 or >0 as strcmp() does.
 */
int gws_diff_key_cmp(const struct gws_diff_key *a,
		     const struct gws_diff_key *b)
{
	int c = strcmp(a->group, b->group);

	if (!c)
		c = strcmp(a->kind, b->kind);
	if (!c)
		c = strcmp(a->ns, b->ns);
	return c ? c : strcmp(a->name, b->name);
}

/**
 * gws_diff_group_of() - the API group of an apiVersion
 * @api_version: "group/version", or "version" for the core group
 *
 * Returns: the group ("" for the core group); the caller frees it.
 */
char *gws_diff_group_of(const char *api_version)
{
	const char *slash = strchr(api_version, '/');

	if (!slash)
		return gws_xstrdup("");
	return gws_xstrndup(api_version, (size_t)(slash - api_version));
}

/**
 * gws_diff_key_label() - how an object is named to the user
 * @key: the object's key
 *
 * "Kind ns/name", "Kind name" for a cluster-scoped object; the kind is
 * "Kind.group" outside the core and Gateway API groups.
 * Returns: the label; the caller frees it.
 */
char *gws_diff_key_label(const struct gws_diff_key *key)
{
	bool plain = !*key->group || !strcmp(key->group, GATEWAY_GROUP);

	return gws_xasprintf("%s%s%s %s%s%s", key->kind, plain ? "" : ".",
			     plain ? "" : key->group, key->ns,
			     *key->ns ? "/" : "", key->name);
}
