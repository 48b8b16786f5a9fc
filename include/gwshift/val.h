/* val.h - ordered value tree for generated manifests */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_VAL_H
#define GWS_VAL_H

#include <stdbool.h>
#include <stddef.h>

enum gws_val_kind {
	GWS_VAL_MAP,
	GWS_VAL_SEQ,
	GWS_VAL_STR,
	GWS_VAL_INT,
	GWS_VAL_BOOL,
};

/*
 * struct gws_val - one node of a generated object. Maps keep insertion
 * order (that is the output order). A tree owns all its children and
 * strings; gws_val_destroy() frees the whole tree.
 */
struct gws_val {
	enum gws_val_kind kind;
	char *str;		/* GWS_VAL_STR */
	long long num;		/* GWS_VAL_INT */
	bool b;			/* GWS_VAL_BOOL */
	char **keys;		/* GWS_VAL_MAP: n keys */
	struct gws_val **items;	/* GWS_VAL_MAP and GWS_VAL_SEQ: n items */
	size_t n;
	size_t cap;
	size_t *index;		/* a large map's key hash table (val.c) */
};

struct gws_val *gws_val_map(void);
struct gws_val *gws_val_seq(void);
struct gws_val *gws_val_str(const char *s);
struct gws_val *gws_val_int(long long n);
struct gws_val *gws_val_bool(bool b);
void gws_val_destroy(struct gws_val *v);
struct gws_val *gws_val_clone(const struct gws_val *v);

/*
 * gws_val_set() - set @key of @map to @v (replacing, and freeing, an older
 * value in place, so the key keeps its position). The map takes @v.
 * Returns: @v.
 */
struct gws_val *gws_val_set(struct gws_val *map, const char *key,
			    struct gws_val *v);
struct gws_val *gws_val_set_str(struct gws_val *map, const char *key,
				const char *s);
struct gws_val *gws_val_set_int(struct gws_val *map, const char *key,
				long long n);
/* gws_val_child() - the map under @key, created empty if missing */
struct gws_val *gws_val_child(struct gws_val *map, const char *key);
/* gws_val_list() - the sequence under @key, created empty if missing */
struct gws_val *gws_val_list(struct gws_val *map, const char *key);
/* gws_val_get() - borrowed value under @key, or NULL */
struct gws_val *gws_val_get(const struct gws_val *map, const char *key);
/* gws_val_get_str() - borrowed string under @key, or NULL if absent or not a string */
const char *gws_val_get_str(const struct gws_val *map, const char *key);
/* gws_val_del() - remove and free @key; returns true if it was there */
bool gws_val_del(struct gws_val *map, const char *key);
/* gws_val_push() - append @v to @seq, which takes it. Returns: @v. */
struct gws_val *gws_val_push(struct gws_val *seq, struct gws_val *v);
/* gws_val_equal() - deep equality (maps: same keys and values, any order) */
bool gws_val_equal(const struct gws_val *a, const struct gws_val *b);

#endif
