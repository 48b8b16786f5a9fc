/* internal.h - shared by the mapping stage: plans for Gateways and routes */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_MAP_INTERNAL_H
#define GWS_MAP_INTERNAL_H

#include "gwshift/handlers.h"
#include "gwshift/map.h"

/* struct strset - a sorted set of strings; owns them */
struct strset {
	char **v;
	size_t n;
	size_t cap;
};

void strset_add(struct strset *s, const char *str);
bool strset_has(const struct strset *s, const char *str);
void strset_release(struct strset *s);
/* strset_join() - the items joined by @sep; the caller frees it */
char *strset_join(const struct strset *s, const char *sep, size_t max);

/* struct tls_host - one HTTPS listener: a host and the Secret it serves */
struct tls_host {
	char *host;
	char *secret_ns;
	char *secret;
	struct strset sources;	/* "ns/name" of the Ingresses */
	struct strset allowed;	/* namespaces whose routes may attach */
	char *lset;		/* the ListenerSet that holds it, if any */
};

/* struct host_ns - a route hostname and the namespace of its route */
struct host_ns {
	char *key;	/* the host, or its parent domain in the parent index */
	const char *ns;
};

/* struct gw_plan - one shared Gateway: an ingress class and what it serves */
struct gw_plan {
	char *class_key;		/* "" for Ingresses with no class */
	const struct gws_mapping_table *table;
	char *name;
	char *gateway_class;
	struct strset namespaces;	/* of every route: the HTTP listener */
	struct strset sources;
	struct tls_host *tls;
	size_t ntls;
	size_t cap_tls;
	struct host_ns *hosts;		/* route hosts */
	size_t nhosts;
	size_t cap_hosts;
	bool listenersets;
	char *catch_all;		/* "ns/name" of the Ingress that has it */
};

/* struct mapper - one run of the mapping stage */
struct mapper {
	const struct gws_model *m;
	const struct gws_mapping_set *maps;
	const struct gws_map_opts *opts;
	struct gws_report *rep;
	struct gws_output *out;
	struct gw_plan *gws;
	size_t ngws;
};

/* route.c */
void map_ingress(struct mapper *mp, struct gw_plan *gw,
		 const struct gws_ingress *ing);

/* gateway.c */
/*
 * gw_add_tls() - HTTPS listeners for the hosts of @t. Returns: NULL, or why
 * some hosts keep another Ingress's certificate (the caller frees it).
 */
char *gw_add_tls(struct gw_plan *gw, const struct gws_ingress *ing,
		 const struct gws_itls *t);
void gw_add_host(struct gw_plan *gw, const char *host, const char *ns);
/* gw_finish() - after pass 1: sort listeners, pick namespaces, ListenerSets */
void gw_finish(struct mapper *mp, struct gw_plan *gw);
void gw_emit(struct mapper *mp, struct gw_plan *gw);
/* listener_name() - the stable listener name for TLS host @host */
char *listener_name(const char *host);
void gw_release(struct gw_plan *gw);
/* gw_parent_refs() - append the parentRefs of a route for @hosts to @refs */
void gw_parent_refs(struct mapper *mp, struct gw_plan *gw, const char **hosts,
		    size_t nhosts, const char *section, struct gws_val *refs);
/* host_covers() - does listener host @l serve request host @h? */
bool host_covers(const char *l, const char *h);

/* shared builders */
struct gws_val *new_object(const char *kind, const char *ns, const char *name,
			   const struct strset *sources);
struct gws_val *ns_selector(const struct strset *namespaces);
char *numbered_name(const char *base, size_t k);

#endif
