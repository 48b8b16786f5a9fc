/* handlers.h - annotation handlers, named by the mapping tables */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_HANDLERS_H
#define GWS_HANDLERS_H

#include <stddef.h>
#include "gwshift/mappings.h"
#include "gwshift/model.h"
#include "gwshift/report.h"

struct gws_route_plan;

/* struct gws_hctx - what a handler sees of the annotation it handles */
struct gws_hctx {
	struct gws_report *rep;
	const struct gws_ingress *ing;
	const struct gws_mapping_table *table;
	const struct gws_mapping_entry *entry;
	const struct gws_kv *an;		/* the annotation */
	struct gws_route_plan *plan;		/* the routes being built */
};

/* struct gws_handler - one entry of the alphabetized handler table */
struct gws_handler {
	const char *name;
	void (*fn)(struct gws_hctx *hc);
};

extern const struct gws_handler gws_handlers[];
extern const size_t gws_nhandlers;

/* gws_handler_find() - the handler named @name (bsearch), or NULL */
const struct gws_handler *gws_handler_find(const char *name);

/* gws_hctx_finding() - a finding about the annotation of @hc */
void gws_hctx_finding(struct gws_hctx *hc, enum gws_state st,
		      const char *fmt, ...) GWS_PRINTF(3, 4);

/* handlers (src/handlers/<family>.c) */
void gws_handle_ignore(struct gws_hctx *hc);
void gws_handle_pending(struct gws_hctx *hc);
void gws_handle_unsupported(struct gws_hctx *hc);

#endif
