/* norm.c - what the API server sets or defaults is not a change */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

#define GATEWAY_GROUP "gateway.networking.k8s.io"
#define LAST_APPLIED "kubectl.kubernetes.io/last-applied-configuration"
#define NS_NAME_LABEL "kubernetes.io/metadata.name"

/* metadata fields the API server sets on every object */
static const char *const server_metadata[] = {
	"creationTimestamp", "generation", "managedFields", "resourceVersion",
	"selfLink", "uid",
};

/* ---- the set of filled-in nodes ---- */

/**
 * gws_diff_ptrs_release() - free a set of nodes (not the nodes)
 * @s: the set, or NULL
 */
void gws_diff_ptrs_release(struct gws_diff_ptrs *s)
{
	if (!s)
		return;
	free(s->p);
	memset(s, 0, sizeof(*s));
}

static void ptrs_add(struct gws_diff_ptrs *s, const void *p)
{
	gws_grow((void **)&s->p, &s->cap, s->n + 1, sizeof(*s->p));
	s->p[s->n++] = p;
	s->sorted = false;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a;
	uintptr_t y = (uintptr_t)*(const void *const *)b;

	return x < y ? -1 : x > y;
}

/**
 * gws_diff_ptrs_has() - whether a node is in a set
 * @s: the set, or NULL; sorted on the first look-up after an addition
 * @p: the node
 *
 * Returns: true if @p is in @s.
 */
bool gws_diff_ptrs_has(struct gws_diff_ptrs *s, const void *p)
{
	if (!s || !s->n)
		return false;
	if (!s->sorted) {
		qsort(s->p, s->n, sizeof(*s->p), cmp_ptr);
		s->sorted = true;
	}
	return bsearch(&p, s->p, s->n, sizeof(*s->p), cmp_ptr) != NULL;
}

/* ---- Gateway API defaults (v1.6.1 standard CRDs) ---- */

enum {
	K_GATEWAY = 1 << 0,
	K_LISTENERSET = 1 << 1,
	K_HTTPROUTE = 1 << 2,
	K_GRPCROUTE = 1 << 3,
	K_TLSROUTE = 1 << 4,
	K_TCPROUTE = 1 << 5,
	K_UDPROUTE = 1 << 6,
	K_ROUTES = K_HTTPROUTE | K_GRPCROUTE | K_TLSROUTE | K_TCPROUTE |
		   K_UDPROUTE,
	K_LISTENERS = K_GATEWAY | K_LISTENERSET,
	K_HTTP_GRPC = K_HTTPROUTE | K_GRPCROUTE,
};

enum dflt_type {
	D_STR,
	D_INT,
	D_MAP,			/* {}: its own defaults fill it */
	D_LIST_OF_MAP,		/* [{}] */
};

/*
 * struct dflt - @path gets @str or @num when its parent exists and it is
 * missing. "[]" walks every item of a list. A default that is an object
 * ({type: PathPrefix, value: /}) is an empty map filled by the entries
 * that follow it, so the table is in order: outer fields first.
 */
struct dflt {
	unsigned int kinds;
	const char *path;
	enum dflt_type type;
	const char *str;
	long long num;
};

#define FILTERS(where) \
	{ K_HTTP_GRPC, where ".requestMirror.backendRef.group", D_STR, "", 0 }, \
	{ K_HTTP_GRPC, where ".requestMirror.backendRef.kind", D_STR, \
	  "Service", 0 }, \
	{ K_HTTP_GRPC, where ".requestMirror.fraction.denominator", D_INT, \
	  NULL, 100 }, \
	{ K_HTTPROUTE, where ".requestRedirect.statusCode", D_INT, NULL, 302 }, \
	{ K_HTTPROUTE, where ".cors.maxAge", D_INT, NULL, 5 }

static const struct dflt defaults[] = {
	{ K_ROUTES, "spec.parentRefs[].group", D_STR, GATEWAY_GROUP, 0 },
	{ K_ROUTES, "spec.parentRefs[].kind", D_STR, "Gateway", 0 },
	{ K_HTTPROUTE, "spec.rules", D_LIST_OF_MAP, NULL, 0 },
	{ K_HTTPROUTE, "spec.rules[].matches", D_LIST_OF_MAP, NULL, 0 },
	{ K_HTTPROUTE, "spec.rules[].matches[].path", D_MAP, NULL, 0 },
	{ K_HTTPROUTE, "spec.rules[].matches[].path.type", D_STR,
	  "PathPrefix", 0 },
	{ K_HTTPROUTE, "spec.rules[].matches[].path.value", D_STR, "/", 0 },
	{ K_HTTP_GRPC, "spec.rules[].matches[].headers[].type", D_STR,
	  "Exact", 0 },
	{ K_HTTPROUTE, "spec.rules[].matches[].queryParams[].type", D_STR,
	  "Exact", 0 },
	{ K_GRPCROUTE, "spec.rules[].matches[].method.type", D_STR, "Exact", 0 },
	FILTERS("spec.rules[].filters[]"),
	{ K_ROUTES, "spec.rules[].backendRefs[].group", D_STR, "", 0 },
	{ K_ROUTES, "spec.rules[].backendRefs[].kind", D_STR, "Service", 0 },
	{ K_ROUTES, "spec.rules[].backendRefs[].weight", D_INT, NULL, 1 },
	FILTERS("spec.rules[].backendRefs[].filters[]"),
	{ K_GATEWAY, "spec.addresses[].type", D_STR, "IPAddress", 0 },
	{ K_GATEWAY, "spec.allowedListeners.namespaces", D_MAP, NULL, 0 },
	{ K_GATEWAY, "spec.allowedListeners.namespaces.from", D_STR, "None",
	  0 },
	{ K_LISTENERSET, "spec.parentRef.group", D_STR, GATEWAY_GROUP, 0 },
	{ K_LISTENERSET, "spec.parentRef.kind", D_STR, "Gateway", 0 },
	{ K_LISTENERS, "spec.listeners[].allowedRoutes", D_MAP, NULL, 0 },
	{ K_LISTENERS, "spec.listeners[].allowedRoutes.namespaces", D_MAP,
	  NULL, 0 },
	{ K_LISTENERS, "spec.listeners[].allowedRoutes.namespaces.from", D_STR,
	  "Same", 0 },
	{ K_LISTENERS, "spec.listeners[].allowedRoutes.kinds[].group", D_STR,
	  GATEWAY_GROUP, 0 },
	{ K_LISTENERS, "spec.listeners[].tls.mode", D_STR, "Terminate", 0 },
	{ K_LISTENERS, "spec.listeners[].tls.certificateRefs[].group", D_STR,
	  "", 0 },
	{ K_LISTENERS, "spec.listeners[].tls.certificateRefs[].kind", D_STR,
	  "Secret", 0 },
	{ K_GATEWAY, "spec.tls.backend.clientCertificateRef.group", D_STR, "",
	  0 },
	{ K_GATEWAY, "spec.tls.backend.clientCertificateRef.kind", D_STR,
	  "Secret", 0 },
	{ K_GATEWAY, "spec.tls.frontend.default.validation.mode", D_STR,
	  "AllowValidOnly", 0 },
	{ K_GATEWAY, "spec.tls.frontend.perPort[].tls.validation.mode", D_STR,
	  "AllowValidOnly", 0 },
};

static unsigned int kind_bit(const struct gws_diff_key *key)
{
	static const char *const kinds[] = {
		"Gateway", "ListenerSet", "HTTPRoute", "GRPCRoute", "TLSRoute",
		"TCPRoute", "UDPRoute",
	};
	size_t i;

	if (strcmp(key->group, GATEWAY_GROUP))
		return 0;
	for (i = 0; i < GWS_ARRAY_SIZE(kinds); i++)
		if (!strcmp(key->kind, kinds[i]))
			return 1u << i;
	return 0;
}

static void fill(struct gws_val *map, const char *key, const struct dflt *d,
		 struct gws_diff_ptrs *filled)
{
	struct gws_val *v = NULL;

	switch (d->type) {
	case D_STR:
		v = gws_val_str(d->str);
		break;
	case D_INT:
		v = gws_val_int(d->num);
		break;
	case D_MAP:
		v = gws_val_map();
		break;
	case D_LIST_OF_MAP:
		v = gws_val_seq();
		gws_val_push(v, gws_val_map());
		break;
	}
	ptrs_add(filled, gws_val_set(map, key, v));
}

/* walk @path below @v; fill its last part where the parent exists */
static void apply(struct gws_val *v, const char *path, const struct dflt *d,
		  struct gws_diff_ptrs *filled)
{
	const char *dot = strchr(path, '.');
	size_t len = dot ? (size_t)(dot - path) : strlen(path);
	bool each = len > 2 && !memcmp(path + len - 2, "[]", 2);
	struct gws_val *child;
	char key[64];
	size_t i;

	if (!v || v->kind != GWS_VAL_MAP || len - 2 * each >= sizeof(key))
		return;
	memcpy(key, path, len - 2 * each);
	key[len - 2 * each] = '\0';
	child = gws_val_get(v, key);
	if (!dot) {
		if (!child)
			fill(v, key, d, filled);
		return;
	}
	if (!each) {
		apply(child, dot + 1, d, filled);
		return;
	}
	for (i = 0; child && child->kind == GWS_VAL_SEQ && i < child->n; i++)
		apply(child->items[i], dot + 1, d, filled);
}

/* ---- server-set fields ---- */

static struct gws_val *get_map(struct gws_val *v, const char *key)
{
	struct gws_val *c = gws_val_get(v, key);

	return c && c->kind == GWS_VAL_MAP ? c : NULL;
}

static void drop_if_empty(struct gws_val *map, const char *key)
{
	struct gws_val *c = gws_val_get(map, key);

	if (c && (c->kind == GWS_VAL_MAP || c->kind == GWS_VAL_SEQ) && !c->n)
		gws_val_del(map, key);
}

/* a Namespace: the name label and the finalizer the API server adds */
static void strip_namespace(struct gws_val *doc, struct gws_val *md)
{
	struct gws_val *labels = get_map(md, "labels");
	struct gws_val *spec = get_map(doc, "spec");
	struct gws_val *fin = gws_val_get(spec, "finalizers");
	const char *label = gws_val_get_str(labels, NS_NAME_LABEL);

	if (label && gws_streq(label, gws_val_get_str(md, "name")))
		gws_val_del(labels, NS_NAME_LABEL);
	drop_if_empty(md, "labels");
	if (fin && fin->kind == GWS_VAL_SEQ && fin->n == 1 &&
	    fin->items[0]->kind == GWS_VAL_STR &&
	    !strcmp(fin->items[0]->str, "kubernetes"))
		gws_val_del(spec, "finalizers");
	if (spec)
		drop_if_empty(doc, "spec");
}

static void strip_server_fields(struct gws_val *doc,
				const struct gws_diff_key *key)
{
	struct gws_val *md = get_map(doc, "metadata");
	struct gws_val *ann = get_map(md, "annotations");
	size_t i;

	gws_val_del(doc, "status");
	for (i = 0; md && i < GWS_ARRAY_SIZE(server_metadata); i++)
		gws_val_del(md, server_metadata[i]);
	if (ann)
		gws_val_del(ann, LAST_APPLIED);
	if (md) {
		drop_if_empty(md, "annotations");
		drop_if_empty(md, "labels");
	}
	if (md && !*key->group && !strcmp(key->kind, "Namespace"))
		strip_namespace(doc, md);
}

/**
 * gws_diff_normalize() - remove server-set fields, fill in API defaults
 * @doc: the object, changed in place
 * @key: its key (the defaults depend on the group and kind)
 * @filled: NULL to leave defaults alone; else every default filled in is
 *	    added to it (the nodes belong to @doc)
 */
void gws_diff_normalize(struct gws_val *doc, const struct gws_diff_key *key,
			struct gws_diff_ptrs *filled)
{
	unsigned int bit = kind_bit(key);
	size_t i;

	if (!doc || doc->kind != GWS_VAL_MAP)
		return;
	strip_server_fields(doc, key);
	for (i = 0; filled && bit && i < GWS_ARRAY_SIZE(defaults); i++)
		if (defaults[i].kinds & bit)
			apply(doc, defaults[i].path, &defaults[i], filled);
}
