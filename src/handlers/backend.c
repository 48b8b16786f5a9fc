/* backend.c - handlers for backends (backend-protocol, proxy-ssl-*, mirror) */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "gwshift/check.h"
#include "internal.h"
#include "banned.h"

/*
 * proxy-ssl-secret @v as a BackendTLSPolicy's CA: a Secret of the Ingress's
 * namespace. Returns: its name (a pointer into @v), or NULL.
 */
static const char *ca_secret(const struct gws_hctx *hc, const char *v)
{
	char *ns = NULL;
	const char *name = hc_ref(v, &ns);

	if (ns && strcmp(ns, hc->ing->ns))
		name = NULL;
	free(ns);
	return name;
}

/* HTTPS and GRPCS: a BackendTLSPolicy needs a CA and a name to verify */
static void backend_tls(struct gws_hctx *hc, const char *v)
{
	const char *secret = hc_sibling(hc, "proxy-ssl-secret");
	const char *name = hc_sibling(hc, "proxy-ssl-name");
	const char *grpc = v[0] == 'G' ? "a GRPCRoute, and " : "";

	if (secret && name && ca_secret(hc, secret) &&
	    gws_dns1123_subdomain(name))
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is %s: "
				 "%sTLS to the backend Services through a "
				 "BackendTLSPolicy each (CA from proxy-ssl-"
				 "secret, name from proxy-ssl-name)", hc->an->key,
				 v, grpc);
	else if (secret && name)
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' is %s: "
				 "%sproxy-ssl-secret or proxy-ssl-name cannot be "
				 "used (see their findings), so no "
				 "BackendTLSPolicy is made and the Gateway speaks "
				 "plain %s to the backend", hc->an->key, v, grpc,
				 v[0] == 'G' ? "gRPC" : "HTTP");
	else
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' is %s: "
				 "%singress-nginx spoke TLS to the backend "
				 "without verifying it (no proxy-ssl-secret and "
				 "proxy-ssl-name); Gateway API cannot express TLS "
				 "without verification, so no BackendTLSPolicy is "
				 "made and the Gateway speaks plain %s to the "
				 "backend. Give a CA and a name, or use the "
				 "implementation's option (Envoy Gateway Backend "
				 "tls.insecureSkipVerify, kgateway "
				 "BackendConfigPolicy)", hc->an->key, v, grpc,
				 v[0] == 'G' ? "gRPC" : "HTTP");
}

/* backend-protocol: "HTTP, HTTPS, AUTO_HTTP, GRPC, GRPCS, FCGI" */
void gws_handle_backend_protocol(struct gws_hctx *hc)
{
	const char *v = hc->an->value;
	struct gws_route_plan *p = hc->plan;

	if (!strcmp(v, "HTTP")) {
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is HTTP, "
				 "the default", hc->an->key);
	} else if (!strcmp(v, "GRPC")) {
		p->proto = GWS_PROTO_GRPC;
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is GRPC: "
				 "the Ingress becomes a GRPCRoute (paths "
				 "'/package.Service/Method' become method "
				 "matches)", hc->an->key);
	} else if (!strcmp(v, "HTTPS") || !strcmp(v, "GRPCS")) {
		p->proto = v[0] == 'H' ? GWS_PROTO_HTTPS : GWS_PROTO_GRPCS;
		backend_tls(hc, v);
	} else {
		p->proto = GWS_PROTO_OTHER;
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' is "
				 "'%s': Gateway API has no such backend protocol "
				 "(no FastCGI, no protocol sniffing); the routes "
				 "are made as plain HTTP", hc->an->key,
				 hc_quote(hc));
	}
}

/* proxy-ssl-secret: "ns/name Secret with the CA (and a client cert)" */
void gws_handle_proxy_ssl_secret(struct gws_hctx *hc)
{
	bool used = hc->plan->proto == GWS_PROTO_HTTPS ||
		    hc->plan->proto == GWS_PROTO_GRPCS ||
		    hc_sibling(hc, "backend-protocol");
	char *ns = NULL;
	const char *name = hc_ref(hc->an->value, &ns);

	if (!name) {
		hc_bad(hc, "is not a Secret as 'namespace/name' (a DNS-1123 "
		       "label, '/', a DNS-1123 subdomain)");
		return;
	}
	if (ns && strcmp(ns, hc->ing->ns) && used) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' "
				 "('%s'): the Secret is in namespace '%s', and a "
				 "BackendTLSPolicy takes its CA from its own "
				 "namespace, the Service's ('%s'): no "
				 "BackendTLSPolicy is made; copy the ca.crt "
				 "there", hc->an->key, hc_quote(hc), ns,
				 hc->ing->ns);
		free(ns);
		return;
	}
	if (!ns || !strcmp(ns, hc->ing->ns))
		hc->plan->proxy_ssl_secret = name;
	free(ns);
	gws_hctx_finding(hc, used ? GWS_APPROXIMATED : GWS_IGNORED,
			 "annotation '%s' "
			 "(%s): its ca.crt becomes the BackendTLSPolicy's CA "
			 "(a Secret reference: Core support is a ConfigMap "
			 "with key ca.crt); a client certificate in it has no "
			 "per-Service form (Gateway spec.tls.backend is "
			 "gateway-wide)", hc->an->key, hc_quote(hc));
}

/* proxy-ssl-name: "the name to verify, and the SNI" */
void gws_handle_proxy_ssl_name(struct gws_hctx *hc)
{
	if (!gws_dns1123_subdomain(hc->an->value)) {
		hc_bad(hc, "is not a host name");
		return;
	}
	hc->plan->proxy_ssl_name = hc->an->value;
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> "
			 "BackendTLSPolicy validation.hostname '%s'",
			 hc->an->key, hc_quote(hc));
}

/* proxy-ssl-verify and proxy-ssl-server-name: on is what a policy does */
void gws_handle_proxy_ssl_on(struct gws_hctx *hc)
{
	if (!strcmp(hc->an->value, "on"))
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is on: a "
				 "BackendTLSPolicy always verifies and sends SNI",
				 hc->an->key);
	else
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' is "
				 "'%s': Gateway API cannot skip backend "
				 "certificate verification or SNI (Envoy "
				 "Gateway Backend tls.insecureSkipVerify and "
				 "kgateway BackendConfigPolicy can)",
				 hc->an->key, hc_quote(hc));
}

/* ssl-passthrough: "L4 passthrough by SNI" */
void gws_handle_ssl_passthrough(struct gws_hctx *hc)
{
	hc->plan->passthrough = hc_true(hc);
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is '%s'%s",
			 hc->an->key, hc_quote(hc), hc_true(hc) ?
			 ": the hosts get TLS listeners in Passthrough mode "
			 "and a TLSRoute to the backend of path '/'; other "
			 "annotations of this Ingress have no effect, as in "
			 "nginx" : "");
}

/* split "scheme://host[:port]rest" */
bool hc_parse_url(const char *url, char **host, long *port)
{
	const char *h = strstr(url, "://"), *end;
	bool https = !strncmp(url, "https", 5);

	if (!h)
		return false;
	h += 3;
	end = h + strcspn(h, ":/$?");
	*host = gws_xstrndup(h, (size_t)(end - h));
	*port = *end == ':' ? strtol(end + 1, NULL, 10) : (https ? 443 : 80);
	return **host && *port > 0 && *port < 65536;
}

/* a Service of this namespace named by a URL host: svc, svc.ns[.svc...] */
char *hc_service_of(const char *host, const char *ns)
{
	const char *dot = strchr(host, '.'), *rest;
	size_t n = strlen(ns);

	if (!dot)
		return gws_xstrdup(host);
	rest = dot + 1;
	if (strncmp(rest, ns, n) != 0 ||
	    (rest[n] && strcmp(rest + n, ".svc") &&
	     strcmp(rest + n, ".svc.cluster.local")))
		return NULL;
	return gws_xstrndup(host, (size_t)(dot - host));
}

/* a URL annotation whose host is no Service name: not converted */
static void bad_service(struct gws_hctx *hc, const char *svc,
			const char *then)
{
	char q[GWS_CUT_SIZE(GWS_QUOTE_MAX)];

	gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' ('%s'): "
			 "'%s' is not a valid Kubernetes Service name (DNS-1035 "
			 "label), so %s", hc->an->key, hc_quote(hc),
			 gws_cut(q, GWS_QUOTE_MAX, svc), then);
}

/* mirror-target: "mirror every request to a URL" */
void gws_handle_mirror_target(struct gws_hctx *hc)
{
	char *host = NULL, *svc = NULL;
	struct gws_val *ref;
	long port;

	if (!hc_parse_url(hc->an->value, &host, &port) ||
	    !(svc = hc_service_of(host, hc->ing->ns))) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' "
				 "('%s'): a RequestMirror needs a Service of "
				 "namespace '%s' (svc, svc.%s or "
				 "svc.%s.svc.cluster.local); other hosts need "
				 "an ExternalName Service or an implementation "
				 "Backend", hc->an->key, hc_quote(hc),
				 hc->ing->ns, hc->ing->ns, hc->ing->ns);
		free(host);
		return;
	}
	if (!gws_dns1035_label(svc)) {
		bad_service(hc, svc, "no RequestMirror is made");
		free(host);
		free(svc);
		return;
	}
	hc->plan->mirror = gws_val_map();
	ref = gws_val_child(hc->plan->mirror, "backendRef");
	gws_val_set_str(ref, "name", svc);
	gws_val_set_int(ref, "port", port);
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> RequestMirror "
			 "to Service '%s' port %ld (the request path and "
			 "query are kept)", hc->an->key, svc, port);
	free(host);
	free(svc);
}

/* auth-url: "subrequest to a URL; 2xx allows" */
void gws_handle_auth_url(struct gws_hctx *hc)
{
	char *host = NULL, *svc = NULL;
	const char *path, *h, *why;
	struct gws_val *ea, *ref, *http;
	long port;

	if (!hc->plan->experimental) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' ('%s'): "
				 "external authentication is the experimental "
				 "ExternalAuth filter (convert with --channel "
				 "experimental), so the route is NOT protected; "
				 "implementation policies that can: %s",
				 hc->an->key, hc_quote(hc), hc->entry->targets ?
				 hc->entry->targets : "none");
		return;
	}
	if (!hc_parse_url(hc->an->value, &host, &port) || strchr(hc->an->value,
	    '$') || !(svc = hc_service_of(host, hc->ing->ns))) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' ('%s'): "
				 "ExternalAuth needs a Service of namespace '%s' "
				 "and a URL without nginx variables, so the "
				 "route is NOT protected", hc->an->key,
				 hc_quote(hc), hc->ing->ns);
		free(host);
		return;
	}
	if (!gws_dns1035_label(svc)) {
		bad_service(hc, svc, "the route is NOT protected");
		free(host);
		free(svc);
		return;
	}
	h = strstr(hc->an->value, "://") + 3;
	path = strchr(h, '/');
	if (path && (why = gws_check_uri_path(path)) != NULL) {
		char q[GWS_CUT_SIZE(GWS_QUOTE_MAX)];

		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' "
				 "('%s'): its path '%s' %s, so it cannot be "
				 "ExternalAuth http.path: the route is NOT "
				 "protected", hc->an->key, hc_quote(hc),
				 gws_cut(q, GWS_QUOTE_MAX, path), why);
		free(host);
		free(svc);
		return;
	}
	ea = hc->plan->ext_auth = gws_val_map();
	gws_val_set_str(ea, "protocol", "HTTP");
	ref = gws_val_child(ea, "backendRef");
	gws_val_set_str(ref, "name", svc);
	gws_val_set_int(ref, "port", port);
	http = gws_val_child(ea, "http");
	if (path && strcmp(path, "/"))
		gws_val_set_str(http, "path", path);
	gws_hctx_finding(hc, GWS_APPROXIMATED, "annotation '%s' -> ExternalAuth "
			 "filter (experimental) to Service '%s' port %ld: the "
			 "original method is sent, not a GET subrequest, and "
			 "only 200 allows (nginx: any 2xx)", hc->an->key, svc,
			 port);
	free(host);
	free(svc);
}

/* auth-response-headers: "copy these auth response headers upstream" */
void gws_handle_auth_response_headers(struct gws_hctx *hc)
{
	const char *url = hc_sibling(hc, "auth-url");
	size_t bad;

	if (!url || !hc->plan->experimental) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' needs "
				 "auth-url converted to ExternalAuth (--channel "
				 "experimental)", hc->an->key);
		return;
	}
	gws_val_destroy(hc->plan->auth_response_headers);
	hc->plan->auth_response_headers = gws_val_seq();
	bad = hc_add_list(hc->plan->auth_response_headers, hc->an->value,
			  hc_header_name_ok, 64);
	gws_hctx_finding(hc, bad ? GWS_APPROXIMATED : GWS_CONVERTED,
			 "annotation '%s' -> ExternalAuth "
			 "http.allowedResponseHeaders%s", hc->an->key, bad ?
			 " (names that are not HTTP header names, and any "
			 "past 64, are left out)" : "");
}

/* auth-tls-*: "client certificate verification for the host" */
void gws_handle_client_cert(struct gws_hctx *hc)
{
	gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' ('%s'): "
			 "client certificates are verified per port in Gateway "
			 "API (Gateway spec.tls.frontend), for every host on "
			 "it, not per host as nginx does, so gwshift does not "
			 "turn it on for the shared Gateway: the host is NOT "
			 "checking client certificates. Give the host a Gateway "
			 "of its own with spec.tls.frontend (CA as a ConfigMap "
			 "key ca.crt), or use %s", hc->an->key, hc_quote(hc),
			 hc->entry->targets ? hc->entry->targets :
			 "the implementation's policy");
}
