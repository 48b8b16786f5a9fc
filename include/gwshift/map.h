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

/*
 * struct gws_text - an object written as YAML by gws_output_stream()'s
 * threads: the text, or the message saying why it could not be written
 */
struct gws_text {
	char *data;		/* NULL when spooled */
	size_t len;
	long long off;		/* spooled: where in the output's spool */
	char *err;		/* "gwshift: error: ...\n", or NULL */
};

/* struct gws_object - one generated object; owns its tree or its text */
struct gws_object {
	struct gws_val *doc;	/* NULL once handed to the writer threads */
	struct gws_text *text;	/* gws_output_stream(): the YAML */
	enum gws_role role;
	const char *kind;	/* borrowed from doc, or copies behind text */
	const char *ns;
	const char *name;
};

struct gws_emitters;

struct gws_output {
	struct gws_object *objs;
	size_t n;
	size_t cap;
	struct gws_emitters *em;	/* gws_output_stream() */
	int spool;			/* gws_output_spool(), or -1 */
	long long spooled;		/* bytes in it */
};

void gws_output_init(struct gws_output *out);
void gws_output_release(struct gws_output *out);
/*
 * gws_output_stream() - from now on, each object added is written as YAML
 * by @threads threads (0: at once, on this one) and its tree freed, so
 * that the whole output is never held as trees. gws_output_wait() ends it.
 */
void gws_output_stream(struct gws_output *out, unsigned threads);
/*
 * gws_output_spool() - from now on the texts gws_output_stream() makes
 * wait in an unlinked file in folder @dir (the page cache), not in memory:
 * the output of a large export is never held whole. Without it (a file
 * system without O_TMPFILE, a folder that cannot be written) they stay
 * in memory. Returns: 0, or -1 if there is no spool.
 */
int gws_output_spool(struct gws_output *out, const char *dir);
/* gws_output_wait() - every object added so far has its text */
void gws_output_wait(struct gws_output *out);
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
