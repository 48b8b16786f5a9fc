/* model.h - typed input objects: Ingress, IngressClass, Service */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_MODEL_H
#define GWS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include "gwshift/diag.h"
#include "gwshift/report.h"

struct fy_node;

/* struct gws_kv - a key, a value and where the key was written */
struct gws_kv {
	char *key;
	char *value;
	struct gws_pos pos;
};

/* struct gws_backend - a Service port or a resource an Ingress path names */
struct gws_backend {
	char *service;		/* Service name, or NULL for a resource */
	long port_number;	/* 0 when the port is named */
	char *port_name;
	char *res_group;	/* resource backend: apiGroup ("" core) */
	char *res_kind;
	char *res_name;
	struct gws_pos pos;
	char *field;		/* e.g. "spec.rules[0].http.paths[1].backend" */
};

enum gws_path_type {
	GWS_PATH_PREFIX,
	GWS_PATH_EXACT,
	GWS_PATH_IMPL,		/* ImplementationSpecific, or missing */
};

struct gws_ipath {
	char *path;		/* "/" when the Ingress left it out */
	enum gws_path_type type;
	bool type_missing;
	struct gws_backend backend;
	struct gws_pos pos;
	char *field;		/* "spec.rules[0].http.paths[1]" */
};

struct gws_irule {
	char *host;		/* NULL: any host */
	struct gws_ipath *paths;
	size_t npaths;
	struct gws_pos pos;
	char *field;
};

struct gws_itls {
	char **hosts;
	size_t nhosts;
	char *secret;		/* NULL when left out */
	struct gws_pos pos;
	char *field;
};

enum gws_class_from {
	GWS_CLASS_NONE,
	GWS_CLASS_FIELD,	/* spec.ingressClassName */
	GWS_CLASS_ANNOTATION,	/* kubernetes.io/ingress.class */
	GWS_CLASS_DEFAULT,	/* the IngressClass marked default */
};

/* struct gws_ingress - one Ingress, normalized to networking.k8s.io/v1 */
struct gws_ingress {
	char *ns;
	char *name;
	char *api_version;
	struct gws_pos pos;		/* of the document */
	char *class_name;		/* as written (NULL: none) */
	struct gws_pos class_pos;
	enum gws_class_from class_from;
	struct gws_kv *annotations;	/* sorted by key */
	size_t nannotations;
	struct gws_kv *labels;		/* in input order */
	size_t nlabels;
	struct gws_irule *rules;
	size_t nrules;
	struct gws_itls *tls;
	size_t ntls;
	struct gws_backend *default_backend;	/* NULL if none */
	char *created;			/* metadata.creationTimestamp, or NULL */
	bool has_owner;			/* metadata.ownerReferences set */
	char *owner_kind;
};

struct gws_sport {
	char *name;		/* NULL if unnamed */
	long port;
};

struct gws_service {
	char *ns;
	char *name;
	struct gws_sport *ports;
	size_t nports;
	char *type;
	struct gws_pos pos;
};

struct gws_ingress_class {
	char *name;
	char *controller;
	bool is_default;
	struct gws_pos pos;
};

/* struct gws_configmap - a ConfigMap (custom-headers read them) */
struct gws_configmap {
	char *ns;
	char *name;
	struct gws_kv *data;
	size_t ndata;
	struct gws_pos pos;
};

/*
 * struct gws_model - everything read from the inputs. Owns all its
 * objects and strings; gws_model_release() frees them.
 */
struct gws_model {
	struct gws_ingress *ingresses;
	size_t ningresses;
	size_t cap_ingresses;
	struct gws_service *services;
	size_t nservices;
	size_t cap_services;
	struct gws_ingress_class *classes;
	size_t nclasses;
	size_t cap_classes;
	struct gws_configmap *configmaps;
	size_t nconfigmaps;
	size_t cap_configmaps;
	size_t errors;		/* input errors diagnosed so far */
	struct gws_report *rep;	/* borrowed: where findings go */
};

void gws_model_init(struct gws_model *m, struct gws_report *rep);
void gws_model_release(struct gws_model *m);

/*
 * gws_model_add() - read one Kubernetes object from @root (a libfyaml
 * mapping in a document of @src) into the model. Input errors are printed
 * as file:line:col diagnostics and counted in @m->errors; findings about
 * the object's fields go to the report.
 * Returns: 0, or -1 if the object had an input error.
 */
int gws_model_add(struct gws_model *m, const struct gws_src *src,
		  struct fy_node *root);

/*
 * gws_node_keep_pos() - make @line and @col (1-based, as libfyaml's marks
 * plus one) the place of @fyn, a node with no token of its own (an empty
 * mapping or list, an empty value), in the model's messages about it
 */
struct fy_node;
void gws_node_keep_pos(struct fy_node *fyn, int line, int col);

/*
 * gws_node_fill_pos() - give the nodes of a tree loaded whole
 * (fy_parse_load_document()) that have no token a place: an empty value
 * its key's (as the reader's builder does), an empty item the place of the
 * item before it or of its list, @root (when it has none) @line:@col
 */
void gws_node_fill_pos(struct fy_node *root, int line, int col);

/*
 * gws_model_take() - move every object of @from to the end of @m, and its
 * error count; @from is left empty (its report is not touched)
 */
void gws_model_take(struct gws_model *m, struct gws_model *from);

/*
 * gws_model_finish() - sort the objects by namespace and name so that
 * lookups and output do not depend on input order; duplicate objects
 * (same kind, namespace and name) are input errors.
 * Returns: 0, or -1 on duplicates.
 */
int gws_model_finish(struct gws_model *m);

/* gws_model_service() - the Service @ns/@name, or NULL */
const struct gws_service *gws_model_service(const struct gws_model *m,
					    const char *ns, const char *name);
/* gws_model_class() - the IngressClass @name, or NULL */
const struct gws_ingress_class *gws_model_class(const struct gws_model *m,
						const char *name);
/*
 * gws_model_age_order() - the Ingresses as ingress-nginx processes them:
 * oldest creationTimestamp first, equal ones by namespace/name descending.
 * Returns: an array of @m->ningresses pointers; the caller frees it.
 */
const struct gws_ingress **gws_model_age_order(const struct gws_model *m);

/* gws_model_configmap() - the ConfigMap @ns/@name, or NULL */
const struct gws_configmap *gws_model_configmap(const struct gws_model *m,
						const char *ns,
						const char *name);
/*
 * gws_node_pos() - where @fyn (a node of @src) starts: its token, or its
 * first key or item; 0:0 when it has none
 */
struct gws_pos gws_node_pos(const struct gws_src *src, struct fy_node *fyn);
/* gws_model_annotation() - the value of annotation @key on @ing, or NULL */
const struct gws_kv *gws_model_annotation(const struct gws_ingress *ing,
					  const char *key);

/*
 * gws_dns1123_label() / gws_dns1123_subdomain() / gws_dns1035_label() -
 * Kubernetes name checks: a label is 1 to 63 of [a-z0-9-], not starting or
 * ending with '-' (DNS-1035: starting with a letter); a subdomain is such
 * labels of any length joined by dots, 253 characters at most in all
 */
bool gws_dns1123_label(const char *s);
bool gws_dns1123_subdomain(const char *s);
bool gws_dns1035_label(const char *s);
/*
 * gws_kind_name() - a kind as Kubernetes allows it (CustomResourceDefinition
 * kinds: a DNS-1035 label once in lower case), and as a Gateway API
 * backendRef's kind must be: 1 to 63 letters, digits and '-', from a letter
 */
bool gws_kind_name(const char *s);

#endif
