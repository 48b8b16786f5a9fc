/* mappings.h - controller annotation tables (mappings/<controller>.yaml) */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_MAPPINGS_H
#define GWS_MAPPINGS_H

#include <stddef.h>
#include <stdio.h>

enum gws_support {
	GWS_SUPPORT_STANDARD,
	GWS_SUPPORT_EXPERIMENTAL,
	GWS_SUPPORT_TARGET_SPECIFIC,
	GWS_SUPPORT_UNSUPPORTED,
};

/* struct gws_mapping_entry - one annotation of a controller */
struct gws_mapping_entry {
	char *key;		/* without the controller prefix */
	char *handler;		/* name in the C handler table */
	enum gws_support support;
	char *construct;	/* the Gateway API construct it becomes */
	char *note;		/* for the report: what the controller does */
	char *targets;		/* implementation policies that can say it */
	char *reason;		/* why Gateway API cannot, when it cannot */
};

/* struct gws_mapping_table - one controller's table */
struct gws_mapping_table {
	char *name;		/* "ingress-nginx" */
	char *prefix;		/* "nginx.ingress.kubernetes.io/" */
	char **controllers;	/* IngressClass spec.controller values */
	size_t ncontrollers;
	char **classes;		/* class names that imply it without an IngressClass */
	size_t nclasses;
	struct gws_mapping_entry *entries;	/* sorted by key */
	size_t nentries;
};

/* struct gws_mapping_set - every table of a run (built in, then --mappings) */
struct gws_mapping_set {
	struct gws_mapping_table **tables;
	size_t n;
};

/*
 * gws_mappings_load() - load the built-in tables, then every *.yaml of
 * @dir (may be NULL): a table with the name of a built-in one replaces it.
 * Errors are diagnosed with file:line:col. Returns: 0, or a GWS_EXIT_* code.
 */
int gws_mappings_load(struct gws_mapping_set *set, const char *dir);
void gws_mappings_release(struct gws_mapping_set *set);

const struct gws_mapping_table *
gws_mappings_by_name(const struct gws_mapping_set *set, const char *name);
/* the table whose controllers list @controller (IngressClass spec.controller) */
const struct gws_mapping_table *
gws_mappings_by_controller(const struct gws_mapping_set *set,
			   const char *controller);
/* the table whose classes list @class_name (no IngressClass in the input) */
const struct gws_mapping_table *
gws_mappings_by_class(const struct gws_mapping_set *set, const char *class_name);
/* the table whose prefix starts @key */
const struct gws_mapping_table *
gws_mappings_by_prefix(const struct gws_mapping_set *set, const char *key);

/* gws_mapping_lookup() - the entry for annotation @key (full, with prefix) */
const struct gws_mapping_entry *
gws_mapping_lookup(const struct gws_mapping_table *t, const char *key);

const char *gws_support_name(enum gws_support s);

/* gws_mappings_print() - the table as Markdown (docs/mappings/NAME.md) */
void gws_mappings_print(const struct gws_mapping_table *t, FILE *fp);

/* built-in tables, generated from mappings/ at build time */
struct gws_builtin_table {
	const char *name;
	const char *text;
};
extern const struct gws_builtin_table gws_builtin_tables[];
extern const size_t gws_builtin_ntables;

#endif
