/* internal.h - shared by the diff modules: keys, existing objects, changes */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_DIFF_INTERNAL_H
#define GWS_DIFF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gwshift/diag.h"
#include "gwshift/map.h"
#include "gwshift/read.h"
#include "gwshift/report.h"
#include "gwshift/util.h"
#include "gwshift/val.h"

/* ---- index.c: objects matched by API group, kind, namespace and name ---- */

/* struct gws_diff_key - what matches a generated and an existing object */
struct gws_diff_key {
	const char *group;	/* "" for the core group */
	const char *kind;
	const char *ns;		/* "" for cluster-scoped objects */
	const char *name;
};

struct gws_diff_slot {
	uint64_t hash;
	size_t val;
	struct gws_diff_key key;	/* borrowed strings */
	bool used;
};

/* struct gws_diff_index - a hash table from keys to array positions */
struct gws_diff_index {
	struct gws_diff_slot *slots;
	size_t cap;		/* a power of two, or 0 */
	size_t n;
};

void gws_diff_index_init(struct gws_diff_index *ix);
void gws_diff_index_release(struct gws_diff_index *ix);

/*
 * gws_diff_index_add() - map @key (its strings borrowed: they must outlive
 * the index) to @val. When @key is already there, nothing is added and its
 * value is stored in *@old.
 * Returns: true if added, false for a duplicate.
 */
bool gws_diff_index_add(struct gws_diff_index *ix,
			const struct gws_diff_key *key, size_t val, size_t *old);

/* gws_diff_index_find() - true and *@val set if @key is there */
bool gws_diff_index_find(const struct gws_diff_index *ix,
			 const struct gws_diff_key *key, size_t *val);

/* gws_diff_key_cmp() - order by group, kind, namespace, name */
int gws_diff_key_cmp(const struct gws_diff_key *a,
		     const struct gws_diff_key *b);

/*
 * gws_diff_group_of() - the API group of @api_version ("" for "v1").
 * Returns: a new string; the caller frees it.
 */
char *gws_diff_group_of(const char *api_version);

/*
 * gws_diff_key_label() - "Kind ns/name", or "Kind name" when cluster-scoped;
 * the kind is qualified "Kind.group" outside the core and Gateway API groups.
 * Returns: a new string; the caller frees it.
 */
char *gws_diff_key_label(const struct gws_diff_key *key);

/* ---- load.c: the existing objects (--against) ---- */

/* struct gws_diff_obj - one existing object */
struct gws_diff_obj {
	struct gws_val *doc;	/* owned */
	char *group;		/* owned */
	struct gws_diff_key key;	/* kind, ns, name borrowed from doc */
	const char *api_version;	/* borrowed from doc */
	const char *source;	/* the gwshift.io/source annotation, or NULL */
	struct gws_pos pos;	/* where the object starts */
	bool matched;		/* a generated object has its key */
};

/*
 * struct gws_diff_existing - the existing objects of a run; owns them and
 * their sources. @want (with @arg) says which objects to keep: the others
 * are checked and dropped without being copied.
 */
struct gws_diff_existing {
	struct gws_inputs in;
	struct gws_diff_obj *objs;
	size_t n;
	size_t cap;
	struct gws_diff_index ix;
	size_t read;		/* Kubernetes objects read, kept or not */
	size_t errors;		/* input errors diagnosed */
	bool (*want)(const struct gws_diff_key *key, bool has_source,
		     void *arg);
	void *arg;
};

void gws_diff_existing_init(struct gws_diff_existing *ex);
void gws_diff_existing_release(struct gws_diff_existing *ex);

/*
 * gws_diff_load_paths() - read files, folders (recursively: *.yaml, *.yml,
 * *.json in name order) or "-" (stdin), and keep their objects.
 * Returns: GWS_EXIT_OK, GWS_EXIT_INPUT after input errors (each printed
 * as file:line:col: error: ...), or GWS_EXIT_IO.
 */
int gws_diff_load_paths(struct gws_diff_existing *ex, char *const *paths,
			size_t npaths);

/*
 * gws_diff_load_buffer() - parse @src (YAML or JSON, multi-document,
 * kind: List) and keep its objects; @src must outlive @ex.
 * Returns: as gws_diff_load_paths().
 */
int gws_diff_load_buffer(struct gws_diff_existing *ex,
			 const struct gws_src *src);

/* ---- norm.c: what the API server sets or defaults is not a change ---- */

/* struct gws_diff_ptrs - a set of nodes (the defaults filled in) */
struct gws_diff_ptrs {
	const void **p;
	size_t n;
	size_t cap;
	bool sorted;
};

void gws_diff_ptrs_release(struct gws_diff_ptrs *s);
bool gws_diff_ptrs_has(struct gws_diff_ptrs *s, const void *p);

/*
 * gws_diff_normalize() - remove the fields the API server and kubectl set
 * (status, metadata.uid, ...) from @doc, an object of @key; with @filled,
 * also add every Gateway API default that @doc leaves out, and record
 * each node added in @filled. docs/diff.md lists them all.
 */
void gws_diff_normalize(struct gws_val *doc, const struct gws_diff_key *key,
			struct gws_diff_ptrs *filled);

/* ---- compare.c: field-level changes ---- */

enum gws_diff_action {
	GWS_DIFF_CREATE,
	GWS_DIFF_CHANGE,
	GWS_DIFF_UNCHANGED,
	GWS_DIFF_ORPHAN,
	GWS_DIFF_NACTIONS,
};

/* struct gws_diff_change - one field: old and new value (NULL: absent) */
struct gws_diff_change {
	char *path;		/* "spec.rules[0].backendRefs[0].port" */
	struct gws_val *old;	/* owned */
	struct gws_val *new;	/* owned */
};

/* struct gws_diff_item - one object and what applying would do to it */
struct gws_diff_item {
	enum gws_diff_action action;
	struct gws_diff_key key;	/* borrowed */
	const char *api_version;	/* borrowed */
	const struct gws_diff_obj *ex;	/* NULL when created */
	struct gws_diff_change *changes;
	size_t nchanges;
	size_t cap;
	char *udiff;		/* create and change: the unified diff */
};

/*
 * gws_diff_compare() - compare @old (existing) with @new (generated), both
 * normalized with their filled-in defaults in @fold and @fnew; add the
 * changes to @it. Both trees are then trimmed for display: defaults filled
 * on both sides are removed, @old follows @new's key order.
 */
void gws_diff_compare(struct gws_diff_item *it, struct gws_val *old,
		      struct gws_val *new, struct gws_diff_ptrs *fold,
		      struct gws_diff_ptrs *fnew);

/* gws_diff_item_release() - free what @it owns */
void gws_diff_item_release(struct gws_diff_item *it);

/* ---- udiff.c: unified line diff ---- */

/*
 * gws_diff_unified() - append to @out a unified diff (3 lines of context)
 * from text @a to text @b (NUL-terminated, '\n'-separated lines), headed
 * "--- @label_a" and "+++ @label_b". Appends nothing when they are equal.
 */
void gws_diff_unified(struct gws_buf *out, const char *a, const char *b,
		      const char *label_a, const char *label_b);

/* ---- match.c: the whole diff ---- */

/* struct gws_diff_gen - the keys of the generated objects, indexed */
struct gws_diff_gen {
	struct gws_diff_key *keys;
	char **groups;
	size_t n;
	struct gws_diff_index ix;
};

/* struct gws_diff - every object with its action; owns the items */
struct gws_diff {
	struct gws_diff_item *items;
	size_t n;
	size_t cap;
	size_t counts[GWS_DIFF_NACTIONS];
};

void gws_diff_gen_init(struct gws_diff_gen *g, const struct gws_output *out);
void gws_diff_gen_release(struct gws_diff_gen *g);
/* gws_diff_gen_want() - keep existing objects generated or with a source */
bool gws_diff_gen_want(const struct gws_diff_key *key, bool has_source,
		       void *arg);

void gws_diff_init(struct gws_diff *d);
void gws_diff_release(struct gws_diff *d);

/*
 * gws_diff_build() - match @out (sorted; keys in @g) with @ex: create,
 * change or unchanged for each generated object in output order, then the
 * orphans (existing objects with a source annotation that are not
 * generated) in key order. Existing trees are normalized in place.
 * Returns: 0, or -1 if an object could not be written as YAML (printed).
 */
int gws_diff_build(struct gws_diff *d, const struct gws_output *out,
		   const struct gws_diff_gen *g, struct gws_diff_existing *ex);

/* gws_diff_action_name() - "create", "change", "unchanged", "orphan" */
const char *gws_diff_action_name(enum gws_diff_action a);

/* ---- render.c, render_md.c, render_json.c: output formats ---- */

/* struct gws_diff_view - what the renderers need */
struct gws_diff_view {
	const struct gws_diff *d;
	const struct gws_report *rep;
	bool color;		/* text only: ANSI colours */
};

void gws_diff_render_text(const struct gws_diff_view *v, struct gws_buf *out);
void gws_diff_render_markdown(const struct gws_diff_view *v,
			      struct gws_buf *out);
void gws_diff_render_json(const struct gws_diff_view *v, struct gws_buf *out);

/*
 * gws_diff_value_text() - @v as compact JSON text (NULL: "(absent)"), cut
 * to at most @max bytes, ending in "..." (0: no limit). The caller frees it.
 */
char *gws_diff_value_text(const struct gws_val *v, size_t max);

/*
 * gws_diff_finding_order() - the findings of @rep grouped by source object
 * (kind, namespace, name), in report order within a group.
 * Returns: @rep->n indexes; the caller frees them.
 */
size_t *gws_diff_finding_order(const struct gws_report *rep);

/* gws_diff_same_object() - whether two findings are about one object */
bool gws_diff_same_object(const struct gws_finding *a,
			  const struct gws_finding *b);

#endif
