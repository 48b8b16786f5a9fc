/* internal.h - shared by the mapping stage: plans for Gateways and routes */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_MAP_INTERNAL_H
#define GWS_MAP_INTERNAL_H

#include "gwshift/handlers.h"
#include "gwshift/map.h"

/*
 * struct strset - a set of strings with a hash index; owns them. Items stay
 * in insertion order until strset_sort(); read v in order only after it.
 */
struct strset {
	char **v;
	size_t n;
	size_t cap;
	size_t *slot;		/* hash index: 1 + position in v, 0 empty */
	size_t nslot;
	bool unsorted;
};

void strset_add(struct strset *s, const char *str);
bool strset_has(const struct strset *s, const char *str);
/* strset_index() - the position of @str in v, or -1 */
long strset_index(const struct strset *s, const char *str);
/* strset_sort() - sort v (and the index with it) */
void strset_sort(struct strset *s);
void strset_release(struct strset *s);
/* strset_join() - the items, sorted, joined by @sep; the caller frees it */
char *strset_join(struct strset *s, const char *sep, size_t max);

/* struct tls_host - one HTTPS listener: a host and the Secret it serves */
struct tls_host {
	char *host;
	char *secret_ns;
	char *secret;
	struct strset sources;	/* "ns/name" of the Ingresses */
	struct strset allowed;	/* namespaces whose routes may attach */
	char *lset;		/* the ListenerSet that holds it, if any */
	bool passthrough;	/* a TLS listener in Passthrough mode */
	struct gws_pos pos;	/* of the first Ingress TLS entry or rule */
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
	struct strset tls_index;	/* hosts of tls[], until gw_finish */
	struct host_ns *hosts;		/* route hosts */
	size_t nhosts;
	size_t cap_hosts;
	bool listenersets;
	char *catch_all;		/* "ns/name" of the Ingress that has it */
	struct gws_val *annotations;	/* for the Gateway (cert-manager, DNS) */
	struct gws_val *ns_annotations;	/* namespace -> for its ListenerSets */
};

/* struct canary_ref - a canary Ingress path, found by host, type and path */
struct canary_ref {
	char *key;			/* class, host, pathType, path */
	const struct gws_ingress *ing;
	const struct gws_route_plan *plan;
	const struct gws_ipath *path;
	const struct gws_ingress *primary;	/* set when a primary takes it */
	size_t rank;			/* of its Ingress in the age order */
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
	struct gws_route_plan *plans;	/* one per Ingress of the model */
	struct canary_ref *canaries;	/* sorted by key */
	size_t ncanaries;
	struct strset regex_hosts;	/* "class host" in regex mode */
	const struct gws_ingress **order;	/* as ingress-nginx sorts them */
	struct strset ingress_names;	/* "ns/name" of every Ingress */
	struct strset route_names;	/* "ns/name" of every route made */
	struct strset fallbacks;	/* "class host" with a '/' fallback */
	struct canary_ref *owners;	/* the Ingress that owns each path */
	size_t nowners;
	struct strset tls_policies;	/* "ns/service" with a BackendTLSPolicy */
};

/* enum attach - which listeners a route attaches to */
enum attach {
	ATTACH_ALL,		/* the Gateway (and its ListenerSets) */
	ATTACH_HTTP,		/* only the 'http' listener */
	ATTACH_HTTPS,		/* only the HTTPS listeners of its hosts */
};

/* struct prule - one rule being built: a match, filters and backends */
struct prule {
	const char *type;		/* path match type, NULL: no path match */
	char *value;
	struct gws_val *headers;	/* header matches, or NULL */
	struct gws_val *method;		/* GRPCRoute method match, or NULL */
	struct gws_val *filters;	/* or NULL */
	struct gws_val *backends;	/* sequence, empty for a redirect */
	const struct gws_ipath **paths;	/* the Ingress paths it serves */
	size_t npaths;
	const char *note;		/* why the first path is approximated */
	const struct gws_ingress *canary;	/* merged into it, or NULL */
};

struct rules {
	struct prule *v;
	size_t n;
	size_t cap;
};

/* rules.c */
/*
 * rules_plan() - the rules for Ingress rules @irs (of one host group whose
 * first host is @host): matches as the controller matches, rewrites,
 * filters, canary backends; a finding for every path left out.
 */
void rules_plan(struct mapper *mp, struct gw_plan *gw,
		const struct gws_ingress *ing, const struct gws_route_plan *plan,
		const struct gws_irule *const *irs, size_t nirs,
		const char *host, struct rules *out);
void rules_release(struct rules *r);
/* rule_val() - the rule as a route rule (GRPCRoute when @grpc) */
struct gws_val *rule_val(const struct prule *r,
			 const struct gws_route_plan *plan, bool grpc);
/* backend_ref() - a backendRef for @be of @ing, or NULL with a finding */
struct gws_val *backend_ref(struct mapper *mp, const struct gws_ingress *ing,
			    const struct gws_backend *be);

/* canary.c */
void canary_index(struct mapper *mp);
struct canary_ref *canary_find(struct mapper *mp, struct gw_plan *gw,
			       const char *host, const struct gws_ipath *p);
bool canary_host(struct mapper *mp, struct gw_plan *gw, const char *host);
/* path_owner() - the oldest Ingress with @p on @host (nginx keeps it) */
const struct gws_ingress *path_owner(struct mapper *mp, struct gw_plan *gw,
				     const char *host,
				     const struct gws_ipath *p);
void canary_findings(struct mapper *mp);
void canary_release(struct mapper *mp);
/* route_plan() - the plan of Ingress @ing (the model's array order) */
const struct gws_route_plan *route_plan(const struct mapper *mp,
					const struct gws_ingress *ing);
/* class_of() - the class of an Ingress: field, annotation or default */
const char *class_of(const struct gws_model *m, const struct gws_ingress *ing);
/* regex_host() - is @host of @gw in regex mode? */
bool regex_host(struct mapper *mp, struct gw_plan *gw, const char *host);

/* route.c */
/* backend_tls_policies() - BackendTLSPolicies for HTTPS/GRPCS backends */
void backend_tls_policies(struct mapper *mp, const struct gws_ingress *ing);
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
char *listener_name(const char *host, bool passthrough);
void gw_release(struct gw_plan *gw);
/* gw_parent_refs() - append the parentRefs of a route for @hosts to @refs */
void gw_parent_refs(struct mapper *mp, struct gw_plan *gw, const char **hosts,
		    size_t nhosts, enum attach at, struct gws_val *refs);
/* gw_add_passthrough() - a TLS Passthrough listener for @host */
void gw_add_passthrough(struct gw_plan *gw, const struct gws_ingress *ing,
			const char *host, const struct gws_pos *pos);
/* tls_for() - the TLS listener that serves @host, or NULL */
const struct tls_host *tls_for(const struct gw_plan *gw, const char *host);
/* host_covers() - does listener host @l serve request host @h? */
bool host_covers(const char *l, const char *h);

/* shared builders */
struct gws_val *new_object(const char *kind, const char *ns, const char *name,
			   struct strset *sources);
struct gws_val *ns_selector(struct strset *namespaces);
char *numbered_name(const char *base, size_t k);

#endif
