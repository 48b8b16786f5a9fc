/* plan.c - what the annotations of one Ingress ask of its routes */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "gwshift/plan.h"
#include "banned.h"

void gws_plan_init(struct gws_route_plan *plan, const struct gws_ingress *ing,
		   bool experimental)
{
	memset(plan, 0, sizeof(*plan));
	plan->ing = ing;
	plan->experimental = experimental;
	plan->ssl_redirect = -1;
	plan->canary.weight = -1;
	plan->canary.weight_total = 100;
}

void gws_plan_release(struct gws_route_plan *plan)
{
	if (!plan)
		return;
	gws_val_destroy(plan->request_headers);
	gws_val_destroy(plan->response_headers);
	gws_val_destroy(plan->cors);
	gws_val_destroy(plan->mirror);
	gws_val_destroy(plan->timeouts);
	gws_val_destroy(plan->retry);
	gws_val_destroy(plan->route_annotations);
	gws_val_destroy(plan->session);
	gws_val_destroy(plan->ext_auth);
	gws_val_destroy(plan->auth_response_headers);
	gws_val_destroy(plan->aliases);
	memset(plan, 0, sizeof(*plan));
}
