/* map.h - Ingress model -> Gateway API objects and findings */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_MAP_H
#define GWS_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include "gwshift/mappings.h"
#include "gwshift/model.h"
#include "gwshift/report.h"
#include "gwshift/val.h"

#define GWS_SOURCE_ANNOTATION "gwshift.io/source"
#define GWS_API_VERSION "gateway.networking.k8s.io/v1"

/* struct gws_map_opts - the translation choices of a run (CLI flags) */
struct gws_map_opts {
	const char *gateway_ns;		/* --gateway-namespace */
	const char *gateway_name;	/* --gateway-name, NULL: per class */
	const char *gateway_class;	/* --gateway-class, NULL: class name */
	char *const *classes;		/* --ingress-class filter */
	size_t nclasses;
	bool listenersets;		/* --tls-listeners listenerset */
	bool experimental;		/* --channel experimental */
};

/* enum gws_role - who owns a generated object */
enum gws_role {
	GWS_ROLE_PLATFORM,
	GWS_ROLE_APP,
};

/* struct gws_object - one generated object; owns its tree */
struct gws_object {
	struct gws_val *doc;
	enum gws_role role;
	const char *kind;	/* borrowed from doc */
	const char *ns;
	const char *name;
};

struct gws_output {
	struct gws_object *objs;
	size_t n;
	size_t cap;
};

void gws_output_init(struct gws_output *out);
void gws_output_release(struct gws_output *out);
/* gws_output_add() - take @doc (apiVersion, kind, metadata set) */
struct gws_object *gws_output_add(struct gws_output *out, struct gws_val *doc,
				  enum gws_role role);
/* gws_output_sort() - role, namespace, kind, name: the output order */
void gws_output_sort(struct gws_output *out);

/*
 * gws_map_run() - convert every Ingress of @m into @out, with a finding in
 * @rep for every field and annotation.
 * Returns: 0, or -1 if two generated objects collide (diagnosed).
 */
int gws_map_run(const struct gws_model *m, const struct gws_mapping_set *maps,
		const struct gws_map_opts *opts, struct gws_report *rep,
		struct gws_output *out);

#endif
