/* notes.c - handlers for what Gateway API cannot say: the report says why */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

static void where_else(struct gws_buf *b, const struct gws_mapping_entry *e)
{
	if (e->reason)
		gws_buf_addf(b, " (%s)", e->reason);
	if (e->targets)
		gws_buf_addf(b, "; implementation policies that can: %s",
			     e->targets);
	else
		gws_buf_adds(b, "; no implementation policy either");
}

/* "unsupported": Gateway API has no equivalent; say who else has one */
void gws_handle_unsupported(struct gws_hctx *hc)
{
	struct gws_buf b;

	gws_buf_init(&b);
	gws_buf_addf(&b, "annotation '%s' (value '%s') has no Gateway API "
		     "equivalent: %s", hc->an->key, hc_quote(hc),
		     hc->entry->note ? hc->entry->note : "");
	where_else(&b, hc->entry);
	gws_hctx_finding(hc, GWS_NOT_CONVERTED, "%s", b.data);
	gws_buf_release(&b);
}

/*
 * the *-snippet annotations: raw nginx, quoted whole so nothing is lost
 * (but past GWS_QUOTE_BLOCK_MAX bytes: the finding points at the source)
 */
void gws_handle_snippet(struct gws_hctx *hc)
{
	char q[GWS_CUT_SIZE(GWS_QUOTE_BLOCK_MAX)];
	const char *text;
	struct gws_buf b;

	gws_buf_init(&b);
	gws_buf_addf(&b, "annotation '%s' holds raw nginx configuration, "
		     "which no Gateway API object can carry (a default "
		     "ingress-nginx install rejects snippets); re-create "
		     "what it does by hand", hc->an->key);
	where_else(&b, hc->entry);
	text = gws_cut(q, GWS_QUOTE_BLOCK_MAX, hc->an->value);
	gws_buf_addf(&b, ". Its %s:\n%s", text == hc->an->value ?
		     "whole content" : "content, cut", text);
	gws_hctx_finding(hc, GWS_NOT_CONVERTED, "%s", b.data);
	gws_buf_release(&b);
}

/* proxy-body-size: nginx sizes, not Kubernetes quantities */
void gws_handle_body_size(struct gws_hctx *hc)
{
	const char *v = hc->an->value;
	char *end;
	double n = strtod(v, &end);
	const char *unit = !*end ? "bytes" : !strcmp(end, "k") ||
			   !strcmp(end, "K") ? "kilobytes (1024 bytes)" :
			   !strcmp(end, "m") || !strcmp(end, "M") ?
			   "megabytes (1024*1024 bytes)" :
			   !strcmp(end, "g") || !strcmp(end, "G") ?
			   "gigabytes" : NULL;

	if (!unit || n < 0 || end == v) {
		hc_bad(hc, "is not an nginx size (a number with k, m or g)");
		return;
	}
	gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' is '%s': "
			 "%s%s; Gateway API has no request body limit. Note: "
			 "nginx '%s' means %g %s, not a Kubernetes quantity "
			 "('10m' is ten megabytes, not 0.01)%s%s", hc->an->key,
			 hc_quote(hc), n == 0 ? "no limit" :
			 "a request body limit", "", hc_quote(hc), n, unit,
			 hc->entry->targets ?
			 "; implementation policies that can: " : "",
			 hc->entry->targets ? hc->entry->targets : "");
}

/* auth-type, auth-secret, auth-secret-type, auth-realm: basic auth */
void gws_handle_basic_auth(struct gws_hctx *hc)
{
	gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' (value "
			 "'%s'): Gateway API has no basic authentication, so "
			 "the route is NOT protected. "
			 "Envoy Gateway (SecurityPolicy basicAuth) and kgateway "
			 "(TrafficPolicy basicAuth) read an htpasswd Secret "
			 "under key '.htpasswd' with {SHA} hashes only: entries "
			 "made with htpasswd's default apr1 (MD5), bcrypt or "
			 "crypt cannot be read and must be re-hashed; NGINX "
			 "Gateway Fabric's AuthenticationFilter reads key "
			 "'auth' like ingress-nginx. Digest auth has no "
			 "implementation", hc->an->key, hc_quote(hc));
}
