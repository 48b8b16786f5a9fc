/* core.c - the handler table and the handlers every table can use */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "gwshift/handlers.h"
#include "banned.h"

/* keep sorted by name: gws_handler_find() uses bsearch (tests check it) */
const struct gws_handler gws_handlers[] = {
	{ "ignore", gws_handle_ignore },
	{ "pending", gws_handle_pending },
	{ "unsupported", gws_handle_unsupported },
};

const size_t gws_nhandlers = GWS_ARRAY_SIZE(gws_handlers);

static int cmp_handler(const void *key, const void *h)
{
	return strcmp(key, ((const struct gws_handler *)h)->name);
}

const struct gws_handler *gws_handler_find(const char *name)
{
	return bsearch(name, gws_handlers, gws_nhandlers,
		       sizeof(gws_handlers[0]), cmp_handler);
}

void gws_hctx_finding(struct gws_hctx *hc, enum gws_state st,
		      const char *fmt, ...)
{
	char *field = gws_xasprintf("metadata.annotations['%s']", hc->an->key);
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = gws_xvasprintf(fmt, ap);
	va_end(ap);
	gws_report_add(hc->rep, st, &hc->an->pos, "Ingress", hc->ing->ns,
		       hc->ing->name, field, "%s", msg);
	free(msg);
	free(field);
}

/* "ignore": the annotation has no effect on traffic */
void gws_handle_ignore(struct gws_hctx *hc)
{
	gws_hctx_finding(hc, GWS_IGNORED, "annotation '%s' has no effect on "
			 "the generated objects%s%s", hc->an->key,
			 hc->entry->note ? ": " : "",
			 hc->entry->note ? hc->entry->note : "");
}

/* "pending": known to the table, its handler is not written yet */
void gws_handle_pending(struct gws_hctx *hc)
{
	gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' (value '%s') "
			 "was not converted: gwshift has no handler for it "
			 "yet (%s; Gateway API: %s)", hc->an->key,
			 hc->an->value, gws_support_name(hc->entry->support),
			 hc->entry->construct ? hc->entry->construct : "none");
}

/* "unsupported": Gateway API has no equivalent */
void gws_handle_unsupported(struct gws_hctx *hc)
{
	gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' (value '%s') "
			 "has no Gateway API equivalent%s%s", hc->an->key,
			 hc->an->value, hc->entry->note ? ": " : "",
			 hc->entry->note ? hc->entry->note : "");
}
