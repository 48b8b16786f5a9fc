/* traffic.c - handlers for CORS, headers, timeouts and retries */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

/* nginx's CORS defaults, written out: Gateway API defaults differ */
static const char default_methods[] = "GET, PUT, POST, DELETE, PATCH, OPTIONS";
static const char default_headers[] = "DNT,Keep-Alive,User-Agent,"
	"X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,"
	"Authorization";
static const char *const methods[] = {
	"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE",
	"PATCH",
};

/* split a comma list into @seq, trimmed; Returns: items left out */
static size_t add_list(struct gws_val *seq, const char *list,
		       bool (*ok)(const char *))
{
	char *copy = gws_xstrdup(list), *p = copy, *item;
	size_t bad = 0;

	while ((item = p) != NULL) {
		char *end;

		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
		while (*item == ' ' || *item == '\t')
			item++;
		end = item + strlen(item);
		while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (!*item)
			continue;
		if (ok(item))
			gws_val_push(seq, gws_val_str(item));
		else
			bad++;
	}
	free(copy);
	return bad;
}

static bool method_ok(const char *m)
{
	size_t i;

	for (i = 0; i < GWS_ARRAY_SIZE(methods); i++)
		if (!strcmp(m, methods[i]))
			return true;
	return !strcmp(m, "*");
}

static bool token_ok(const char *h)
{
	return strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789!#$%&'*+-.^_`|~") == strlen(h) &&
	       strlen(h) <= 256;
}

/* http(s)://[*.]host[:port] or *: what the CORS origin pattern takes */
static bool origin_ok(const char *o)
{
	const char *h;

	if (!strcmp(o, "*"))
		return true;
	if (strncmp(o, "http://", 7) && strncmp(o, "https://", 8))
		return false;
	h = strstr(o, "://") + 3;
	if (!strncmp(h, "*.", 2))
		h += 2;
	return *h && strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"
			    "RSTUVWXYZ0123456789-.:") == strlen(h);
}

/* enable-cors: "CORS with nginx's defaults, tuned by cors-*" */
void gws_handle_enable_cors(struct gws_hctx *hc)
{
	const char *v;
	struct gws_val *cors;
	long age = 1728000;

	if (!hc_true(hc)) {
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is '%s': "
				 "no CORS", hc->an->key, hc_quote(hc));
		return;
	}
	cors = hc->plan->cors = gws_val_map();
	v = hc_sibling(hc, "cors-allow-origin");
	add_list(gws_val_list(cors, "allowOrigins"), v ? v : "*", origin_ok);
	v = hc_sibling(hc, "cors-allow-credentials");
	gws_val_set(cors, "allowCredentials",
		    gws_val_bool(!v || !strcmp(v, "true")));
	v = hc_sibling(hc, "cors-allow-methods");
	add_list(gws_val_list(cors, "allowMethods"), v ? v : default_methods,
		 method_ok);
	v = hc_sibling(hc, "cors-allow-headers");
	add_list(gws_val_list(cors, "allowHeaders"), v ? v : default_headers,
		 token_ok);
	v = hc_sibling(hc, "cors-expose-headers");
	if (v)
		add_list(gws_val_list(cors, "exposeHeaders"), v, token_ok);
	v = hc_sibling(hc, "cors-max-age");
	if (v && strtol(v, NULL, 10) >= 1)
		age = strtol(v, NULL, 10);
	gws_val_set_int(cors, "maxAge", age);
	if (!gws_val_get(cors, "allowOrigins")->n)
		gws_val_del(cors, "allowOrigins");
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> a CORS "
			 "filter on every rule, with nginx's defaults written "
			 "out (Gateway API's differ)", hc->an->key);
}

/* the cors-* annotations: read by enable-cors; here, their findings */
void gws_handle_cors_part(struct gws_hctx *hc)
{
	const char *on = hc_sibling(hc, "enable-cors");
	const char *k = hc->an->key + strlen(hc->table->prefix);
	struct gws_val *tmp = gws_val_seq();
	size_t bad = 0;

	if (!on || strcmp(on, "true")) {
		gws_hctx_finding(hc, GWS_IGNORED, "annotation '%s' does "
				 "nothing without enable-cors: \"true\"",
				 hc->an->key);
		gws_val_destroy(tmp);
		return;
	}
	if (!strcmp(k, "cors-allow-origin"))
		bad = add_list(tmp, hc->an->value, origin_ok);
	else if (!strcmp(k, "cors-allow-methods"))
		bad = add_list(tmp, hc->an->value, method_ok);
	else if (strstr(k, "headers"))
		bad = add_list(tmp, hc->an->value, token_ok);
	gws_val_destroy(tmp);
	if (bad)
		gws_hctx_finding(hc, GWS_APPROXIMATED, "annotation '%s' "
				 "('%s'): %zu item(s) Gateway API's CORS filter "
				 "does not accept were left out (origins must "
				 "be http(s)://[*.]host[:port] or *, methods one "
				 "of the nine HTTP methods, headers tokens)",
				 hc->an->key, hc_quote(hc), bad);
	else
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> the "
				 "CORS filter", hc->an->key);
}

/* custom-headers: "ConfigMap ns/name whose data become response headers" */
void gws_handle_custom_headers(struct gws_hctx *hc)
{
	char *ns = NULL;
	const char *name = hc_ref(hc->an->value, &ns);
	const struct gws_configmap *cm;
	size_t i, under = 0;

	if (!name) {
		hc_bad(hc, "is not a ConfigMap as 'namespace/name' (a "
		       "DNS-1123 label, '/', a DNS-1123 subdomain)");
		return;
	}
	if (!ns)
		ns = gws_xstrdup(hc->ing->ns);
	cm = gws_model_configmap(hc->m, ns, name);
	if (!cm) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s': "
				 "ConfigMap '%s/%s' is not in the input, so "
				 "its headers are unknown; add it to the input",
				 hc->an->key, ns, name);
		free(ns);
		return;
	}
	for (i = 0; i < cm->ndata; i++) {
		hc_set_header(&hc->plan->response_headers, cm->data[i].key,
			      cm->data[i].value);
		under += strchr(cm->data[i].key, '_') != NULL;
	}
	gws_hctx_finding(hc, under ? GWS_APPROXIMATED : GWS_CONVERTED,
			 "annotation '%s' -> ResponseHeaderModifier setting "
			 "%zu header(s) from ConfigMap '%s/%s'%s", hc->an->key,
			 cm->ndata, ns, cm->name, under ? "; header names with "
			 "'_' are valid in Gateway API but Envoy-based "
			 "implementations reject or drop them by default" : "");
	free(ns);
}

static void set_timeout(struct gws_hctx *hc, const char *which, long n)
{
	char *d = hc_seconds(n);

	if (!hc->plan->timeouts)
		hc->plan->timeouts = gws_val_map();
	gws_val_set_str(hc->plan->timeouts, which, d);
	free(d);
}

/* proxy-read-timeout: "max gap between two reads from upstream, s" */
void gws_handle_proxy_read_timeout(struct gws_hctx *hc)
{
	long n;

	if (!hc_long(hc, 1, 86400 * 7, &n))
		return;
	if (hc->plan->proto == GWS_PROTO_GRPC ||
	    hc->plan->proto == GWS_PROTO_GRPCS) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s': "
				 "GRPCRoute has no timeouts", hc->an->key);
		return;
	}
	set_timeout(hc, "backendRequest", n);
	gws_hctx_finding(hc, GWS_APPROXIMATED, "annotation '%s' (%lds) -> "
			 "timeouts.backendRequest: nginx limits the gap "
			 "between two reads, Gateway API the whole backend "
			 "request, so long streaming responses may be cut",
			 hc->an->key, n);
}

/* proxy-connect-timeout and proxy-send-timeout: no portable form */
void gws_handle_proxy_timeout_other(struct gws_hctx *hc)
{
	gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' (%s s): Gateway "
			 "API has no %s timeout (timeouts.backendRequest covers "
			 "a whole backend request); implementation policies "
			 "that can: %s", hc->an->key, hc_quote(hc),
			 strstr(hc->an->key, "connect") ? "connect" : "send",
			 hc->entry->targets ? hc->entry->targets : "none");
}

/* proxy-next-upstream-timeout: "time budget for all tries" */
void gws_handle_proxy_next_upstream_timeout(struct gws_hctx *hc)
{
	long n;

	if (!hc_long(hc, 0, 86400 * 7, &n))
		return;
	if (n == 0) {
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is 0: no "
				 "limit, as without timeouts.request",
				 hc->an->key);
		return;
	}
	set_timeout(hc, "request", n);
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> "
			 "timeouts.request %lds (it covers retries)",
			 hc->an->key, n);
}

/* http_502 ... in proxy-next-upstream -> retry codes */
static void retry_codes(struct gws_val *retry, const char *v)
{
	struct gws_val *codes = gws_val_list(retry, "codes");
	const char *p = v;

	while ((p = strstr(p, "http_")) != NULL) {
		long code = strtol(p + 5, NULL, 10);

		if (code >= 500 && code <= 599)
			gws_val_push(codes, gws_val_int(code));
		p += 5;
	}
	if (!codes->n)
		gws_val_del(retry, "codes");
}

/* proxy-next-upstream: "retry conditions; default error timeout" */
void gws_handle_proxy_next_upstream(struct gws_hctx *hc)
{
	const char *tries = hc_sibling(hc, "proxy-next-upstream-tries");
	long n = tries ? strtol(tries, NULL, 10) : 3;

	if (!strcmp(hc->an->value, "off")) {
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is off: "
				 "no retries, as Gateway API does without a "
				 "retry", hc->an->key);
		return;
	}
	if (!hc->plan->experimental) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' "
				 "('%s'): retries are an experimental Gateway "
				 "API feature; convert with --channel "
				 "experimental to get a rule retry",
				 hc->an->key, hc_quote(hc));
		return;
	}
	hc->plan->retry = gws_val_map();
	retry_codes(hc->plan->retry, hc->an->value);
	gws_val_set_int(hc->plan->retry, "attempts", n > 1 ? n - 1 : 1);
	gws_hctx_finding(hc, GWS_APPROXIMATED, "annotation '%s' ('%s') -> "
			 "rule retry (experimental): connection errors are "
			 "retried whenever retry is set; nginx's 'timeout' "
			 "and 'invalid_header' have no codes", hc->an->key,
			 hc_quote(hc));
}

/* proxy-next-upstream-tries: "tries in all, first included" */
void gws_handle_proxy_next_upstream_tries(struct gws_hctx *hc)
{
	long n;

	if (!hc_long(hc, 0, 100, &n))
		return;
	if (!hc->plan->experimental) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s': "
				 "retries are an experimental Gateway API "
				 "feature; convert with --channel experimental",
				 hc->an->key);
		return;
	}
	if (!hc_sibling(hc, "proxy-next-upstream")) {
		hc->plan->retry = gws_val_map();
		gws_val_set_int(hc->plan->retry, "attempts", n > 1 ? n - 1 : 1);
	}
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> retry "
			 "attempts %ld (tries minus the first)", hc->an->key,
			 n > 1 ? n - 1 : 1);
}

/* affinity: "cookie = sticky upstream via a cookie" */
void gws_handle_affinity(struct gws_hctx *hc)
{
	struct gws_route_plan *p = hc->plan;
	const char *name = hc_sibling(hc, "session-cookie-name");
	const char *age = hc_sibling(hc, "session-cookie-max-age");
	struct gws_val *sp, *cc;

	if (strcmp(hc->an->value, "cookie")) {
		hc_bad(hc, "is not 'cookie', the only affinity nginx has");
		return;
	}
	if (!p->experimental) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s': "
				 "session persistence is an experimental Gateway "
				 "API feature (convert with --channel "
				 "experimental); implementation policies that "
				 "can: %s", hc->an->key, hc->entry->targets ?
				 hc->entry->targets : "none");
		return;
	}
	if (!age)
		age = hc_sibling(hc, "session-cookie-expires");
	sp = p->session = gws_val_map();
	gws_val_set_str(sp, "sessionName", name ? name : "INGRESSCOOKIE");
	gws_val_set_str(sp, "type", "Cookie");
	if (age && strtol(age, NULL, 10) > 0) {
		char *d = hc_seconds(strtol(age, NULL, 10));

		gws_val_set_str(sp, "absoluteTimeout", d);
		cc = gws_val_child(sp, "cookieConfig");
		gws_val_set_str(cc, "lifetimeType", "Permanent");
		free(d);
	}
	gws_hctx_finding(hc, GWS_APPROXIMATED, "annotation '%s' -> rule "
			 "sessionPersistence (experimental), cookie '%s': "
			 "implementations may rebalance sticky sessions when "
			 "backends scale, unlike nginx", hc->an->key,
			 name ? name : "INGRESSCOOKIE");
}

/* session-cookie-*: read by affinity */
void gws_handle_session_cookie(struct gws_hctx *hc)
{
	const char *k = hc->an->key + strlen(hc->table->prefix);
	const char *aff = hc_sibling(hc, "affinity");
	bool used = !strcmp(k, "session-cookie-name") ||
		    !strcmp(k, "session-cookie-max-age") ||
		    (!strcmp(k, "session-cookie-expires") &&
		     !hc_sibling(hc, "session-cookie-max-age"));

	if (!aff || strcmp(aff, "cookie"))
		gws_hctx_finding(hc, GWS_IGNORED, "annotation '%s' does nothing "
				 "without affinity: cookie", hc->an->key);
	else if (used && hc->plan->experimental)
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> the "
				 "rule's sessionPersistence", hc->an->key);
	else
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' "
				 "('%s'): Gateway API's session persistence "
				 "has no such cookie setting%s; implementation "
				 "policies that can: %s", hc->an->key,
				 hc_quote(hc), used ? " on the standard channel"
				 : "", hc->entry->targets ? hc->entry->targets :
				 "none");
}

/* server-alias: "more server_names for the hosts of this Ingress" */
void gws_handle_server_alias(struct gws_hctx *hc)
{
	struct gws_val *list = gws_val_seq();
	char *copy = gws_xstrdup(hc->an->value), *p = copy, *tok;
	size_t bad = 0;

	while ((tok = p) != NULL) {
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		if (gws_dns1123_subdomain(tok) ||
		    (!strncmp(tok, "*.", 2) && gws_dns1123_subdomain(tok + 2)))
			gws_val_push(list, gws_val_str(tok));
		else
			bad++;
	}
	free(copy);
	hc->plan->aliases = list;
	gws_hctx_finding(hc, bad ? GWS_APPROXIMATED : GWS_CONVERTED,
			 "annotation '%s' -> %zu more hostname(s) on each "
			 "route of this Ingress%s; HTTPS for them needs a "
			 "certificate that names them", hc->an->key, list->n,
			 bad ? " (nginx regexes and invalid names left out)" :
			 "");
}
