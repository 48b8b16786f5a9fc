/* paths.c - handlers for paths and rewrites (use-regex, rewrite-target, ...) */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "gwshift/check.h"
#include "internal.h"
#include "banned.h"

/* use-regex: "paths of the host are case-insensitive regexes" (nginx ~*) */
void gws_handle_use_regex(struct gws_hctx *hc)
{
	hc->plan->regex_host = hc_true(hc);
	if (!hc_true(hc)) {
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is '%s': "
				 "paths stay prefix and exact matches unless "
				 "another Ingress of the host turns regex on",
				 hc->an->key, hc_quote(hc));
		return;
	}
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s': every path of "
			 "this Ingress's hosts, in every Ingress, becomes a "
			 "case-insensitive RegularExpression match anchored at "
			 "the start, as nginx matches them", hc->an->key);
}

/* rewrite-target: the route builder reads it with the paths */
void gws_handle_rewrite_target(struct gws_hctx *hc)
{
	const char *why = gws_check_path_modifier(hc->an->value);

	hc->plan->rewrite_target = hc->an->value;
	if (why) {	/* the route builder leaves its paths out */
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' has "
				 "value '%s', which %s; a URLRewrite cannot "
				 "take it, so the paths of this Ingress are left "
				 "out", hc->an->key, hc_quote(hc), why);
		return;
	}
	/* the finding comes per path, from the route builder */
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' ('%s') -> a "
			 "URLRewrite filter on each path of this Ingress (see "
			 "the path findings); it also makes the paths of its "
			 "hosts regex matches", hc->an->key, hc_quote(hc));
}

/* app-root: "if ($uri = /) return 302 <app-root>" */
void gws_handle_app_root(struct gws_hctx *hc)
{
	const char *v = hc->an->value, *why;

	if (v[0] != '/' || strpbrk(v, " ?#\\\"")) {
		hc_bad(hc, "is not an absolute path");
		return;
	}
	if ((why = gws_check_path_modifier(v)) != NULL) {
		hc_bad(hc, why);	/* a redirect's replaceFullPath */
		return;
	}
	hc->plan->app_root = v;
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> a rule "
			 "matching exactly '/' that redirects (302) to '%s'",
			 hc->an->key, hc_quote(hc));
}

/* x-forwarded-prefix: "adds X-Forwarded-Prefix to the upstream request" */
void gws_handle_x_forwarded_prefix(struct gws_hctx *hc)
{
	const char *why;

	if (!hc_sibling(hc, "rewrite-target")) {
		gws_hctx_finding(hc, GWS_IGNORED, "annotation '%s' has no "
				 "effect without rewrite-target: ingress-nginx "
				 "sets the header only when it rewrites",
				 hc->an->key);
		return;
	}
	why = gws_check_header_value(hc->an->value, hc->plan->experimental);
	if (why) {
		hc_bad(hc, why);
		return;
	}
	hc_set_header(&hc->plan->request_headers, "X-Forwarded-Prefix",
		      hc->an->value);
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> "
			 "RequestHeaderModifier setting X-Forwarded-Prefix: %s",
			 hc->an->key, hc_quote(hc));
}

/* upstream-vhost: "sets the upstream Host header" */
void gws_handle_upstream_vhost(struct gws_hctx *hc)
{
	const char *v = hc->an->value;

	if (!gws_dns1123_subdomain(v)) {
		hc_bad(hc, "is not a host name a URLRewrite can set (nginx "
		       "variables and ports have no Gateway API form)");
		return;
	}
	hc->plan->host_rewrite = v;
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> URLRewrite "
			 "hostname '%s' on every rule", hc->an->key,
			 hc_quote(hc));
}
