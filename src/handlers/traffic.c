/* traffic.c - handlers for CORS, headers, timeouts and retries */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "gwshift/check.h"
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

static bool method_ok(const char *m)
{
	size_t i;

	for (i = 0; i < GWS_ARRAY_SIZE(methods); i++)
		if (!strcmp(m, methods[i]))
			return true;
	return !strcmp(m, "*");
}

/* [a-zA-Z0-9-]+ labels joined by dots (the CORS origin pattern's host) */
static bool origin_host(const char *h, size_t n)
{
	size_t i, label = 0;

	for (i = 0; i < n; i++) {
		if (h[i] == '.') {
			if (!label)
				return false;
			label = 0;
		} else if ((h[i] >= 'a' && h[i] <= 'z') ||
			   (h[i] >= 'A' && h[i] <= 'Z') ||
			   (h[i] >= '0' && h[i] <= '9') || h[i] == '-') {
			label++;
		} else {
			return false;
		}
	}
	return label > 0;
}

/* http(s)://[*.]host[:port] or *: what the CORS origin pattern takes */
static bool origin_ok(const char *o)
{
	const char *h, *colon;
	size_t n;

	if (!strcmp(o, "*"))
		return true;
	if ((strncmp(o, "http://", 7) && strncmp(o, "https://", 8)) ||
	    strlen(o) > 253)
		return false;
	h = strstr(o, "://") + 3;
	colon = strchr(h, ':');
	n = colon ? (size_t)(colon - h) : strlen(h);
	if (colon && (!colon[1] || strlen(colon + 1) > 5 ||
		      strspn(colon + 1, "0123456789") != strlen(colon + 1)))
		return false;
	if (n == 1 && h[0] == '*')
		return true;
	if (n > 2 && !strncmp(h, "*.", 2))
		h += 2, n -= 2;
	return origin_host(h, n);
}

/* cors-max-age as maxAge (an int32 from 1), or 0 */
static long max_age(const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);

	return *v && !*end && n >= 1 && n <= 2147483647 ? n : 0;
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
	hc_add_list(gws_val_list(cors, "allowOrigins"), v ? v : "*", origin_ok,
		    64);
	v = hc_sibling(hc, "cors-allow-credentials");
	gws_val_set(cors, "allowCredentials",
		    gws_val_bool(!v || !strcmp(v, "true")));
	v = hc_sibling(hc, "cors-allow-methods");
	hc_add_list(gws_val_list(cors, "allowMethods"), v ? v : default_methods,
		    method_ok, 9);
	v = hc_sibling(hc, "cors-allow-headers");
	hc_add_list(gws_val_list(cors, "allowHeaders"), v ? v : default_headers,
		    hc_header_name_ok, 64);
	v = hc_sibling(hc, "cors-expose-headers");
	if (v)
		hc_add_list(gws_val_list(cors, "exposeHeaders"), v,
			    hc_header_name_ok, 64);
	v = hc_sibling(hc, "cors-max-age");
	if (v && max_age(v) > 0)	/* else its finding says */
		age = max_age(v);
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
		bad = hc_add_list(tmp, hc->an->value, origin_ok, 64);
	else if (!strcmp(k, "cors-allow-methods"))
		bad = hc_add_list(tmp, hc->an->value, method_ok, 9);
	else if (strstr(k, "headers"))
		bad = hc_add_list(tmp, hc->an->value, hc_header_name_ok, 64);
	gws_val_destroy(tmp);
	if (!strcmp(k, "cors-max-age") && !max_age(hc->an->value)) {
		hc_bad(hc, "is not a whole number from 1 to 2147483647 (the "
		       "CORS filter keeps nginx's default, 1728000)");
		return;
	}
	if (bad)
		gws_hctx_finding(hc, GWS_APPROXIMATED, "annotation '%s' "
				 "('%s'): %zu item(s) Gateway API's CORS filter "
				 "does not accept were left out (origins must "
				 "be http(s)://[*.]host[:port] or *, methods one "
				 "of the nine HTTP methods, headers tokens; 64 "
				 "items at most, 9 methods)",
				 hc->an->key, hc_quote(hc), bad);
	else
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> the "
				 "CORS filter", hc->an->key);
}

/* a ConfigMap entry custom-headers cannot set: a finding on the entry */
static void bad_header(struct gws_hctx *hc, const struct gws_configmap *cm,
		       const struct gws_kv *kv)
{
	char q[GWS_CUT_SIZE(GWS_QUOTE_MAX)];
	const char *why = gws_check_header_name(kv->key), *what = "name";
	const char *key = gws_cut(q, GWS_QUOTE_MAX, kv->key);
	char *field;

	if (!why) {
		why = gws_check_header_value(kv->value, hc->plan->experimental);
		what = "value";
	}
	if (!why) {
		why = "is past the 16 headers a ResponseHeaderModifier sets";
		what = "entry";
	}
	field = gws_xasprintf("data['%s']", key);
	gws_report_add(hc->rep, GWS_NOT_CONVERTED, &kv->pos, "ConfigMap",
		       cm->ns, cm->name, field, "header '%s' (annotation '%s' "
		       "of Ingress '%s/%s') is not set: its %s %s", key,
		       hc->an->key, hc->ing->ns, hc->ing->name, what, why);
	free(field);
}

/* custom-headers: "ConfigMap ns/name whose data become response headers" */
void gws_handle_custom_headers(struct gws_hctx *hc)
{
	char *ns = NULL;
	const char *name = hc_ref(hc->an->value, &ns);
	const struct gws_configmap *cm;
	size_t i, under = 0, set = 0;

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
		const struct gws_kv *kv = &cm->data[i];

		if (gws_check_header_name(kv->key) || gws_check_header_value(
		    kv->value, hc->plan->experimental) || set >= 16) {
			bad_header(hc, cm, kv);
			continue;
		}
		hc_set_header(&hc->plan->response_headers, kv->key, kv->value);
		under += strchr(kv->key, '_') != NULL;
		set++;
	}
	gws_hctx_finding(hc, under || set < cm->ndata ? GWS_APPROXIMATED :
			 GWS_CONVERTED, "annotation '%s' -> "
			 "ResponseHeaderModifier setting %zu header(s) from "
			 "ConfigMap '%s/%s'%s%s", hc->an->key, set, ns, cm->name,
			 set < cm->ndata ? " (the others are left out, see "
			 "their findings)" : "", under ? "; header names with "
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

		size_t i;

		for (i = 0; i < codes->n; i++)	/* a set: each code once */
			if (codes->items[i]->num == code)
				break;
		if (code >= 500 && code <= 599 && i == codes->n)
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
	char *end = NULL;
	long n = tries ? strtol(tries, &end, 10) : 3;

	if (tries && (!*tries || *end || n < 0 || n > 100))
		n = 3;	/* nginx's default; the tries finding says why */

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

/* session-cookie-name as sessionName: a cookie name, 128 bytes at most */
static bool cookie_name_ok(const char *v)
{
	return !gws_check_header_name(v) && strlen(v) <= 128;
}

/* session-cookie-max-age (or -expires) in seconds, 1 to 99999h; or 0 */
static long cookie_age(const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);

	return *v && !*end && n >= 1 && n <= 99999L * 3600 ? n : 0;
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
	if (!name || !cookie_name_ok(name))	/* else its finding says */
		name = "INGRESSCOOKIE";
	sp = p->session = gws_val_map();
	gws_val_set_str(sp, "sessionName", name);
	gws_val_set_str(sp, "type", "Cookie");
	if (age && cookie_age(age)) {
		char *d = hc_seconds(cookie_age(age));

		gws_val_set_str(sp, "absoluteTimeout", d);
		cc = gws_val_child(sp, "cookieConfig");
		gws_val_set_str(cc, "lifetimeType", "Permanent");
		free(d);
	}
	gws_hctx_finding(hc, GWS_APPROXIMATED, "annotation '%s' -> rule "
			 "sessionPersistence (experimental), cookie '%s': "
			 "implementations may rebalance sticky sessions when "
			 "backends scale, unlike nginx", hc->an->key, name);
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
	else if (used && hc->plan->experimental && !strcmp(k,
		 "session-cookie-name") && !cookie_name_ok(hc->an->value))
		hc_bad(hc, "is not a cookie name of 1 to 128 bytes (letters, "
		       "digits and !#$%&'*+-.^_`|~); the session cookie keeps "
		       "nginx's default name, INGRESSCOOKIE");
	else if (used && hc->plan->experimental && strcmp(k,
		 "session-cookie-name") && !cookie_age(hc->an->value))
		hc_bad(hc, "is not a whole number of seconds from 1 to "
		       "359996400 (99999h); the session cookie has no "
		       "absoluteTimeout");
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

/* hostnames a route holds (Gateway API: spec.hostnames maxItems) */
#define ROUTE_HOSTNAMES 16

/* how many different hosts the rules of @ing name */
static size_t distinct_hosts(const struct gws_ingress *ing)
{
	size_t i, j, n = 0;

	for (i = 0; i < ing->nrules; i++) {
		for (j = 0; ing->rules[i].host && j < i; j++)
			if (ing->rules[j].host &&
			    !strcmp(ing->rules[i].host, ing->rules[j].host))
				break;
		n += ing->rules[i].host && j == i;
	}
	return n;
}

/* server-alias: "more server_names for the hosts of this Ingress" */
void gws_handle_server_alias(struct gws_hctx *hc)
{
	struct gws_val *list = gws_val_seq();
	char *copy = gws_xstrdup(hc->an->value), *p = copy, *tok;
	size_t bad = 0;
	bool full;

	while ((tok = p) != NULL) {
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		if ((gws_dns1123_subdomain(tok) || (!strncmp(tok, "*.", 2) &&
		     gws_dns1123_subdomain(tok + 2))) && strlen(tok) <= 253)
			gws_val_push(list, gws_val_str(tok));
		else
			bad++;
	}
	free(copy);
	hc->plan->aliases = list;
	full = distinct_hosts(hc->ing) + list->n > ROUTE_HOSTNAMES;
	gws_hctx_finding(hc, bad || full ? GWS_APPROXIMATED : GWS_CONVERTED,
			 "annotation '%s' -> %zu more hostname(s) on each "
			 "route of this Ingress%s%s; HTTPS for them needs a "
			 "certificate that names them", hc->an->key, list->n,
			 bad ? " (nginx regexes and invalid names left out)" :
			 "", full ? " as far as they fit: a route holds at "
			 "most 16 hostnames, and the aliases past that are "
			 "left out of the routes whose own hosts fill it" : "");
}
