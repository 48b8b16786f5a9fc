/* internal.h - shared by the model readers: typed node access, findings */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_MODEL_INTERNAL_H
#define GWS_MODEL_INTERNAL_H

#include <libfyaml.h>

#include "gwshift/model.h"

/* struct rd - reading one object: where it is and what it is */
struct rd {
	struct gws_model *m;
	const struct gws_src *src;
	const char *kind;
	const char *ns;
	const char *name;
	int errors;
};

/* deref() - follow an alias one step (no expansion); NULL stays NULL */
struct fy_node *deref(struct fy_node *fyn);
/* get() - the value under @key of mapping @map, or NULL */
struct fy_node *get(struct fy_node *map, const char *key);
/* node_pos() - where @fyn starts: its token, or its first key or item */
struct gws_pos node_pos(const struct gws_src *src, struct fy_node *fyn);
const char *pair_key(struct fy_node_pair *pair);

/* rd_error() - diagnose an input error at @at and count it */
void rd_error(struct rd *rd, struct fy_node *at, const char *fmt, ...)
	GWS_PRINTF(3, 4);
/* finding() - record a finding about @field of the object being read */
void finding(struct rd *rd, enum gws_state st, struct fy_node *at,
	     const char *field, const char *fmt, ...) GWS_PRINTF(5, 6);
/* unknown_key() - a not-converted finding for a key gwshift does not know */
void unknown_key(struct rd *rd, struct fy_node_pair *pair, const char *parent);

/*
 * want_str() - the string in @fyn (borrowed from the document), or NULL
 * after an error when it is missing, not a scalar, or a plain scalar that
 * YAML reads as a number, boolean or null.
 */
const char *want_str(struct rd *rd, struct fy_node *fyn, const char *field);
/* dup_str() - want_str(), copied; the caller frees it */
char *dup_str(struct rd *rd, struct fy_node *fyn, const char *field);
/* want_int() - a plain decimal integer; Returns: 0, or -1 after an error */
int want_int(struct rd *rd, struct fy_node *fyn, const char *field, long *out);
/* enum name_rule - the rule Kubernetes checks a kind of name with */
enum name_rule {
	DNS1123_SUBDOMAIN,	/* most names: Secrets, IngressClasses, ... */
	DNS1123_LABEL,		/* namespaces */
	DNS1035_LABEL,		/* Services */
	KIND_NAME,		/* kinds: gws_kind_name() */
};

/*
 * want_name() - check @s, the string read from @fyn, against @rule; else
 * the error "@what '@s' is not a valid Kubernetes @noun (@rule)" at @fyn.
 * Names become object names and paths: nothing else may pass.
 * Returns: 0, or -1 after the error.
 */
int want_name(struct rd *rd, struct fy_node *fyn, const char *s,
	      enum name_rule rule, const char *what, const char *noun);
/* want_kind() - true if @fyn is a mapping (@mapping) or a list, else error */
bool want_kind(struct rd *rd, struct fy_node *fyn, bool mapping,
	       const char *field);

/* ingress.c */
int read_ingress(struct rd *rd, struct fy_node *root, const char *api_version,
		 struct gws_ingress *ing);
void ingress_release(struct gws_ingress *ing);
/* read_kv() - a mapping of strings (labels, annotations, data) into @out */
void read_kv(struct rd *rd, struct fy_node *map, const char *field,
	     struct gws_kv **out, size_t *n);
void kv_release(struct gws_kv *kv, size_t n);

#endif
