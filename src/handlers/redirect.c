/* redirect.c - handlers for redirects (ssl-redirect, permanent-redirect, ...) */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "gwshift/check.h"
#include "internal.h"
#include "banned.h"

/* ssl-redirect: "HTTP -> HTTPS 308 for hosts in spec.tls (default true)" */
void gws_handle_ssl_redirect(struct gws_hctx *hc)
{
	hc->plan->ssl_redirect = hc_true(hc);
	if (hc_true(hc))
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s': TLS "
				 "hosts get a 308 redirect to https on the "
				 "HTTP listener (also the default)",
				 hc->an->key);
	else
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is '%s': "
				 "the route serves plain HTTP too, no redirect",
				 hc->an->key, hc_quote(hc));
}

/* force-ssl-redirect: "redirect even without spec.tls" */
void gws_handle_force_ssl_redirect(struct gws_hctx *hc)
{
	hc->plan->force_ssl_redirect = hc_true(hc);
	if (hc_true(hc) && !hc->ing->ntls)
		gws_hctx_finding(hc, GWS_APPROXIMATED, "annotation '%s': hosts "
				 "without a certificate redirect HTTP to https "
				 "with 308 only for requests with "
				 "X-Forwarded-Proto: http, which assumes TLS ends "
				 "in front of the Gateway (nginx with "
				 "use-forwarded-headers); without that header "
				 "nginx redirected every plain request",
				 hc->an->key);
	else
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is '%s'%s",
				 hc->an->key, hc_quote(hc), hc_true(hc) ?
				 ": every host redirects HTTP to https with 308"
				 : "");
}

/* the code annotation of a redirect: nginx takes 300-308, else a default */
static int redirect_code(struct gws_hctx *hc, const char *key, int def)
{
	const char *v = hc_sibling(hc, key);
	long n;
	char *end;

	if (!v)
		return def;
	n = strtol(v, &end, 10);
	return *end || n < 300 || n > 308 ? def : (int)n;
}

/*
 * what a RequestRedirect cannot take in URL @v (http(s)://, checked): its
 * host, port or path; NULL when all fit. *@upper: the host has upper case,
 * which the redirect writes in lower case. Returns: a message the caller
 * frees.
 */
static char *bad_url(const char *v, bool *upper)
{
	const char *h = strstr(v, "://") + 3, *end = h + strcspn(h, ":/?#$");
	char *host = gws_xstrndup(h, (size_t)(end - h)), *c, *why = NULL;
	const char *bad, *path;
	size_t plen;
	long port = 1;

	*upper = false;
	for (c = host; *c; c++)
		if (*c >= 'A' && *c <= 'Z') {
			*c = (char)(*c - 'A' + 'a');
			*upper = true;
		}
	path = end;
	if (*end == ':') {
		char *pend;

		port = strtol(end + 1, &pend, 10);
		path = pend;
		if (pend == end + 1 || end[1] == '-' || end[1] == '+')
			port = 0;
	}
	plen = strcspn(path, "?#$");
	if ((bad = gws_check_hostname(host)) != NULL)
		why = gws_xasprintf("names host '%s', which %s", host, bad);
	else if (port < 1 || port > 65535 || !strchr("/?#$", *path))
		why = gws_xstrdup("has a port that is not a number from 1 to "
				  "65535");
	else if (plen && (path[0] != '/' ||
		 (bad = gws_check_path_modifier(path)) != NULL))
		why = gws_xasprintf("has a path that %s", bad ? bad :
				    "does not start with '/'");
	free(host);
	return why;
}

static void redirect(struct gws_hctx *hc, const char *code_key, int def)
{
	struct gws_route_plan *p = hc->plan;
	const char *v = hc->an->value;
	const char *dollar = strchr(v, '$');
	bool upper;
	char *why;

	if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8)) {
		hc_bad(hc, "is not an http or https URL");
		return;
	}
	if (dollar && strcmp(dollar, "$request_uri")) {
		hc_bad(hc, "uses nginx variables other than a final "
		       "$request_uri, which a RequestRedirect cannot fill in");
		return;
	}
	if ((why = bad_url(v, &upper)) != NULL) {	/* RequestRedirect */
		hc_bad(hc, why);
		free(why);
		return;
	}
	if (p->redirect_url) {	/* temporal-redirect wins, and sorts later */
		gws_hctx_finding(hc, GWS_IGNORED, "annotation '%s' is "
				 "overridden by temporal-redirect", hc->an->key);
		return;
	}
	p->redirect_url = v;
	p->redirect_code = redirect_code(hc, code_key, def);
	p->redirect_temporal = def == 302;
	if (strpbrk(v, "?#") || upper)
		gws_hctx_finding(hc, GWS_APPROXIMATED, "annotation '%s' -> "
				 "every rule of the route redirects to '%s', "
				 "but %s", hc->an->key, hc_quote(hc),
				 strpbrk(v, "?#") ? "without its query or "
				 "fragment: a RequestRedirect cannot set them" :
				 "with the host in lower case, as Gateway API "
				 "requires (host names are case-insensitive)");
	else
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> every "
				 "rule of the route redirects to '%s'%s",
				 hc->an->key, hc_quote(hc), dollar ?
				 " followed by the request path (regex paths "
				 "redirect to the URL's path itself)" : "");
}

/* permanent-redirect: "return 301 <URL> for every request" */
void gws_handle_permanent_redirect(struct gws_hctx *hc)
{
	if (hc_sibling(hc, "temporal-redirect")) {
		gws_hctx_finding(hc, GWS_IGNORED, "annotation '%s' is "
				 "overridden by temporal-redirect, as nginx "
				 "does", hc->an->key);
		return;
	}
	redirect(hc, "permanent-redirect-code", 301);
}

/* temporal-redirect: "return 302 <URL>; wins over permanent-redirect" */
void gws_handle_temporal_redirect(struct gws_hctx *hc)
{
	hc->plan->redirect_url = NULL;
	redirect(hc, "temporal-redirect-code", 302);
}

/* permanent-redirect-code and temporal-redirect-code */
void gws_handle_redirect_code(struct gws_hctx *hc)
{
	const char *base = strstr(hc->an->key, "permanent") ?
			   "permanent-redirect" : "temporal-redirect";
	long n;

	if (!hc_sibling(hc, base)) {
		gws_hctx_finding(hc, GWS_IGNORED, "annotation '%s' does "
				 "nothing without '%s'", hc->an->key, base);
		return;
	}
	if (!hc_long(hc, 300, 308, &n))
		return;
	if (n == 301 || n == 302 || n == 303 || n == 307 || n == 308)
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> "
				 "RequestRedirect statusCode %ld", hc->an->key, n);
	else
		gws_hctx_finding(hc, GWS_APPROXIMATED, "annotation '%s': "
				 "status %ld is not one Gateway API allows "
				 "(301, 302, 303, 307, 308); %s is used",
				 hc->an->key, n, strstr(base, "permanent") ?
				 "301" : "302");
}

/* from-to-www-redirect: "www.<host> <-> <host>, 308 to the Ingress host" */
void gws_handle_from_to_www(struct gws_hctx *hc)
{
	hc->plan->from_to_www = hc_true(hc);
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is '%s'%s",
			 hc->an->key, hc_quote(hc), hc_true(hc) ?
			 ": each host gets a route for its www twin (or the "
			 "name without www) that redirects to it with 308; "
			 "HTTPS for the twin needs a certificate that names "
			 "it" : "");
}

/* preserve-trailing-slash: "keep a trailing / in the ssl-redirect" */
void gws_handle_preserve_trailing_slash(struct gws_hctx *hc)
{
	if (hc_true(hc))
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s': Gateway "
				 "API redirects keep the path as it is",
				 hc->an->key);
	else
		gws_hctx_finding(hc, GWS_APPROXIMATED, "annotation '%s' is "
				 "'%s': nginx strips a trailing '/' in the "
				 "https redirect; Gateway API redirects keep "
				 "the path", hc->an->key, hc_quote(hc));
}

/* use-port-in-redirects: "put the listener port in redirects" */
void gws_handle_port_in_redirects(struct gws_hctx *hc)
{
	hc->plan->port_in_redirects = hc_true(hc);
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is '%s'%s",
			 hc->an->key, hc_quote(hc), hc_true(hc) ?
			 ": the https redirect names port 443" : "");
}
