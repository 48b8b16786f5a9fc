/* ecosystem.c - handlers for cert-manager and external-dns annotations */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

/* set @key on @map unless it holds another value; Returns: that value */
static const char *claim(struct gws_val *map, const char *key,
			 const char *value)
{
	const char *old = gws_val_get_str(map, key);

	if (old && strcmp(old, value))
		return old;
	gws_val_set_str(map, key, value);
	return NULL;
}

/*
 * the issuer an Ingress names, by name, kind and group: what is wrong with
 * the value of @key (without the prefix), or NULL
 */
static const char *bad_issuer_ref(const char *key, const char *v)
{
	if ((!strcmp(key, "issuer") || !strcmp(key, "cluster-issuer")) &&
	    !gws_dns1123_subdomain(v))
		return "is not a valid Kubernetes name for an issuer "
		       "(DNS-1123 subdomain)";
	if (!strcmp(key, "issuer-kind") && !gws_kind_name(v))
		return "is not a valid Kubernetes kind (DNS-1035 label in any "
		       "letter case)";
	if (!strcmp(key, "issuer-group") && !gws_dns1123_subdomain(v))
		return "is not a valid Kubernetes API group (DNS-1123 "
		       "subdomain)";
	return NULL;
}

/* cert-manager.io/ annotations: "issue the certificates of the TLS hosts" */
void gws_handle_cert_manager(struct gws_hctx *hc)
{
	const char *k = hc->an->key, *v = hc->an->value, *old;
	const char *why = bad_issuer_ref(k + strlen(hc->table->prefix), v);
	char q[GWS_CUT_SIZE(GWS_QUOTE_MAX)];

	if (why) {	/* never copied to the Gateway or ListenerSet */
		hc_bad(hc, why);
		return;
	}
	if (hc->listenersets) {
		old = claim(hc->listener_annotations, k, v);
		if (old)
			old = gws_cut(q, GWS_QUOTE_MAX, old);
		if (old)
			gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation "
					 "'%s' is '%s' here but '%s' on an older "
					 "Ingress of namespace '%s', whose "
					 "ListenerSet keeps '%s'", k,
					 hc_quote(hc), old, hc->ing->ns, old);
		else
			gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> "
					 "the ListenerSet of namespace '%s', "
					 "where cert-manager's Gateway API "
					 "support issues the certificates of its "
					 "HTTPS listeners", k, hc->ing->ns);
		return;
	}
	if (strcmp(hc->ing->ns, hc->gateway_ns)) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' ('%s'): "
				 "cert-manager issues certificates for a "
				 "Gateway's listeners only when their Secrets "
				 "are in the Gateway's namespace '%s', and this "
				 "Ingress's are in '%s'; convert with "
				 "--tls-listeners listenerset, so each namespace's "
				 "ListenerSet carries it", k, hc_quote(hc),
				 hc->gateway_ns, hc->ing->ns);
		return;
	}
	old = claim(hc->gateway_annotations, k, v);
	if (old)
		old = gws_cut(q, GWS_QUOTE_MAX, old);
	if (old)
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' is '%s' "
				 "here but '%s' on an older Ingress of Gateway "
				 "'%s', which keeps '%s'", k, hc_quote(hc), old,
				 hc->gateway, old);
	else
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> Gateway "
				 "'%s', where cert-manager's Gateway API support "
				 "issues the certificates of its HTTPS listeners",
				 k, hc->gateway);
}

/* kubernetes.io/tls-acme: "ingress-shim's default issuer" */
void gws_handle_tls_acme(struct gws_hctx *hc)
{
	gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' asks "
			 "cert-manager's ingress-shim for its default issuer, "
			 "which its Gateway support does not read: set "
			 "cert-manager.io/cluster-issuer (or issuer) on the "
			 "%s", hc->an->key, hc->listenersets ?
			 "ListenerSet of this namespace" : "Gateway");
}

/* acme.cert-manager.io/http01-*: "how the HTTP-01 solver is exposed" */
void gws_handle_acme_http01(struct gws_hctx *hc)
{
	gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' (value '%s') "
			 "tunes an Ingress-based HTTP-01 solver; with Gateway "
			 "API the Issuer's solver must be http01.gatewayHTTPRoute "
			 "with parentRefs to Gateway '%s' (listener 'http')",
			 hc->an->key, hc_quote(hc), hc->gateway);
}

/* external-dns hostname, ttl, provider-specific: read on the routes */
void gws_handle_external_dns_route(struct gws_hctx *hc)
{
	if (!hc->plan->route_annotations)
		hc->plan->route_annotations = gws_val_map();
	gws_val_set_str(hc->plan->route_annotations, hc->an->key,
			hc->an->value);
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> every route "
			 "of this Ingress, where external-dns's Gateway API "
			 "sources read it. During cutover a host served by both "
			 "the Ingress and a route makes external-dns flip its "
			 "records between the two: move a host's DNS with its "
			 "traffic, or run external-dns on one source at a time",
			 hc->an->key);
}

/* external-dns target: read on the Gateway */
void gws_handle_external_dns_gateway(struct gws_hctx *hc)
{
	const char *old = claim(hc->gateway_annotations, hc->an->key,
				hc->an->value);
	char q[GWS_CUT_SIZE(GWS_QUOTE_MAX)];

	if (old) {
		old = gws_cut(q, GWS_QUOTE_MAX, old);
		gws_hctx_finding(hc, GWS_APPROXIMATED, "annotation '%s' is '%s' "
				 "here but '%s' on another Ingress of Gateway "
				 "'%s', which keeps '%s'", hc->an->key,
				 hc_quote(hc), old, hc->gateway, old);
		return;
	}
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> Gateway '%s', "
			 "where external-dns reads the target of the routes "
			 "attached to it", hc->an->key, hc->gateway);
}
