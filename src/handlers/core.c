/* core.c - the handler table and the handlers every table can use */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

/* keep sorted by name: gws_handler_find() uses bsearch (tests check it) */
const struct gws_handler gws_handlers[] = {
	{ "acme-http01", gws_handle_acme_http01 },
	{ "affinity", gws_handle_affinity },
	{ "app-root", gws_handle_app_root },
	{ "auth-response-headers", gws_handle_auth_response_headers },
	{ "auth-url", gws_handle_auth_url },
	{ "backend-protocol", gws_handle_backend_protocol },
	{ "basic-auth", gws_handle_basic_auth },
	{ "body-size", gws_handle_body_size },
	{ "canary", gws_handle_canary },
	{ "canary-by-cookie", gws_handle_canary_by_cookie },
	{ "canary-by-header", gws_handle_canary_by_header },
	{ "canary-by-header-pattern", gws_handle_canary_by_header_pattern },
	{ "canary-by-header-value", gws_handle_canary_by_header_value },
	{ "canary-weight", gws_handle_canary_weight },
	{ "canary-weight-total", gws_handle_canary_weight_total },
	{ "cert-manager", gws_handle_cert_manager },
	{ "client-cert", gws_handle_client_cert },
	{ "cors-part", gws_handle_cors_part },
	{ "custom-headers", gws_handle_custom_headers },
	{ "enable-cors", gws_handle_enable_cors },
	{ "external-dns-gateway", gws_handle_external_dns_gateway },
	{ "external-dns-route", gws_handle_external_dns_route },
	{ "force-ssl-redirect", gws_handle_force_ssl_redirect },
	{ "from-to-www", gws_handle_from_to_www },
	{ "ignore", gws_handle_ignore },
	{ "mirror-target", gws_handle_mirror_target },
	{ "pending", gws_handle_pending },
	{ "permanent-redirect", gws_handle_permanent_redirect },
	{ "port-in-redirects", gws_handle_port_in_redirects },
	{ "preserve-trailing-slash", gws_handle_preserve_trailing_slash },
	{ "proxy-next-upstream", gws_handle_proxy_next_upstream },
	{ "proxy-next-upstream-timeout", gws_handle_proxy_next_upstream_timeout },
	{ "proxy-next-upstream-tries", gws_handle_proxy_next_upstream_tries },
	{ "proxy-read-timeout", gws_handle_proxy_read_timeout },
	{ "proxy-ssl-name", gws_handle_proxy_ssl_name },
	{ "proxy-ssl-on", gws_handle_proxy_ssl_on },
	{ "proxy-ssl-secret", gws_handle_proxy_ssl_secret },
	{ "proxy-timeout-other", gws_handle_proxy_timeout_other },
	{ "redirect-code", gws_handle_redirect_code },
	{ "rewrite-target", gws_handle_rewrite_target },
	{ "server-alias", gws_handle_server_alias },
	{ "session-cookie", gws_handle_session_cookie },
	{ "snippet", gws_handle_snippet },
	{ "ssl-passthrough", gws_handle_ssl_passthrough },
	{ "ssl-redirect", gws_handle_ssl_redirect },
	{ "temporal-redirect", gws_handle_temporal_redirect },
	{ "tls-acme", gws_handle_tls_acme },
	{ "unsupported", gws_handle_unsupported },
	{ "upstream-vhost", gws_handle_upstream_vhost },
	{ "use-regex", gws_handle_use_regex },
	{ "x-forwarded-prefix", gws_handle_x_forwarded_prefix },
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
			 hc_quote(hc), gws_support_name(hc->entry->support),
			 hc->entry->construct ? hc->entry->construct : "none");
}
