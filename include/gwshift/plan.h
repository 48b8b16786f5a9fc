/* plan.h - what the annotations of one Ingress ask of its routes */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_PLAN_H
#define GWS_PLAN_H

#include <stdbool.h>
#include "gwshift/model.h"
#include "gwshift/val.h"

enum gws_backend_proto {
	GWS_PROTO_HTTP,
	GWS_PROTO_HTTPS,
	GWS_PROTO_GRPC,
	GWS_PROTO_GRPCS,
	GWS_PROTO_OTHER,	/* AUTO_HTTP, FCGI: nothing to make */
};

/* struct gws_canary - a canary Ingress's choice of traffic */
struct gws_canary {
	bool on;		/* canary: "true" */
	long weight;		/* -1: unset */
	long weight_total;	/* default 100 */
	const char *header;
	const char *header_value;
	const char *header_pattern;	/* RE2 form */
	const char *cookie;
};

/*
 * struct gws_route_plan - filled by the annotation handlers of one Ingress,
 * then read by the route builder. Strings are borrowed from the model;
 * the gws_val trees are owned by the plan (gws_plan_release()).
 */
struct gws_route_plan {
	const struct gws_ingress *ing;
	bool experimental;		/* --channel experimental */
	bool regex_host;		/* a host of this Ingress is in regex mode */

	/* paths and rewrites */
	const char *rewrite_target;
	const char *app_root;
	const char *host_rewrite;	/* upstream-vhost */

	/* redirects */
	int ssl_redirect;		/* -1: default (true with TLS) */
	bool force_ssl_redirect;
	int redirect_code;		/* of permanent/temporal-redirect */
	bool redirect_temporal;
	const char *redirect_url;
	bool from_to_www;
	bool port_in_redirects;

	/* backends */
	enum gws_backend_proto proto;
	const char *proxy_ssl_secret;	/* a Secret name (the Ingress's ns) */
	const char *proxy_ssl_name;	/* a DNS-1123 subdomain */
	bool passthrough;

	/* rule filters and settings, each NULL when unset */
	struct gws_val *request_headers;	/* RequestHeaderModifier */
	struct gws_val *response_headers;	/* ResponseHeaderModifier */
	struct gws_val *cors;			/* the CORS filter's cors: */
	struct gws_val *mirror;			/* the RequestMirror filter */
	struct gws_val *timeouts;
	struct gws_val *retry;
	struct gws_val *route_annotations;	/* for every route: a map */
	struct gws_val *session;		/* sessionPersistence (exp) */
	struct gws_val *ext_auth;		/* ExternalAuth filter (exp) */
	struct gws_val *auth_response_headers;	/* header names: a seq */
	struct gws_val *aliases;		/* server-alias hostnames */

	struct gws_canary canary;
};

void gws_plan_init(struct gws_route_plan *plan, const struct gws_ingress *ing,
		   bool experimental);
void gws_plan_release(struct gws_route_plan *plan);

#endif
