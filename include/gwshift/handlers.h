/* handlers.h - annotation handlers, named by the mapping tables */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_HANDLERS_H
#define GWS_HANDLERS_H

#include <stddef.h>
#include "gwshift/mappings.h"
#include "gwshift/model.h"
#include "gwshift/report.h"
#include "gwshift/plan.h"

/* struct gws_hctx - what a handler sees of the annotation it handles */
struct gws_hctx {
	struct gws_report *rep;
	const struct gws_model *m;
	const struct gws_ingress *ing;
	const struct gws_mapping_table *table;
	const struct gws_mapping_entry *entry;
	const struct gws_kv *an;		/* the annotation */
	struct gws_route_plan *plan;		/* the routes being built */
	struct gws_val *gateway_annotations;	/* the Gateway's: a map */
	struct gws_val *listener_annotations;	/* this namespace's ListenerSets */
	const char *gateway;			/* "ns/name" of the Gateway */
	const char *gateway_ns;
	bool listenersets;			/* --tls-listeners listenerset */
};

/* struct gws_handler - one entry of the alphabetized handler table */
struct gws_handler {
	const char *name;
	void (*fn)(struct gws_hctx *hc);
};

extern const struct gws_handler gws_handlers[];
extern const size_t gws_nhandlers;

/* gws_handler_find() - the handler named @name (bsearch), or NULL */
const struct gws_handler *gws_handler_find(const char *name);

/* gws_hctx_finding() - a finding about the annotation of @hc */
void gws_hctx_finding(struct gws_hctx *hc, enum gws_state st,
		      const char *fmt, ...) GWS_PRINTF(3, 4);

/* handlers (src/handlers/<family>.c), in the order of gws_handlers[] */
void gws_handle_acme_http01(struct gws_hctx *hc);
void gws_handle_affinity(struct gws_hctx *hc);
void gws_handle_app_root(struct gws_hctx *hc);
void gws_handle_auth_response_headers(struct gws_hctx *hc);
void gws_handle_auth_url(struct gws_hctx *hc);
void gws_handle_backend_protocol(struct gws_hctx *hc);
void gws_handle_basic_auth(struct gws_hctx *hc);
void gws_handle_body_size(struct gws_hctx *hc);
void gws_handle_canary(struct gws_hctx *hc);
void gws_handle_canary_by_cookie(struct gws_hctx *hc);
void gws_handle_canary_by_header(struct gws_hctx *hc);
void gws_handle_canary_by_header_pattern(struct gws_hctx *hc);
void gws_handle_canary_by_header_value(struct gws_hctx *hc);
void gws_handle_canary_weight(struct gws_hctx *hc);
void gws_handle_canary_weight_total(struct gws_hctx *hc);
void gws_handle_cert_manager(struct gws_hctx *hc);
void gws_handle_client_cert(struct gws_hctx *hc);
void gws_handle_cors_part(struct gws_hctx *hc);
void gws_handle_custom_headers(struct gws_hctx *hc);
void gws_handle_enable_cors(struct gws_hctx *hc);
void gws_handle_external_dns_gateway(struct gws_hctx *hc);
void gws_handle_external_dns_route(struct gws_hctx *hc);
void gws_handle_force_ssl_redirect(struct gws_hctx *hc);
void gws_handle_from_to_www(struct gws_hctx *hc);
void gws_handle_ignore(struct gws_hctx *hc);
void gws_handle_mirror_target(struct gws_hctx *hc);
void gws_handle_pending(struct gws_hctx *hc);
void gws_handle_permanent_redirect(struct gws_hctx *hc);
void gws_handle_port_in_redirects(struct gws_hctx *hc);
void gws_handle_preserve_trailing_slash(struct gws_hctx *hc);
void gws_handle_proxy_next_upstream(struct gws_hctx *hc);
void gws_handle_proxy_next_upstream_timeout(struct gws_hctx *hc);
void gws_handle_proxy_next_upstream_tries(struct gws_hctx *hc);
void gws_handle_proxy_read_timeout(struct gws_hctx *hc);
void gws_handle_proxy_ssl_name(struct gws_hctx *hc);
void gws_handle_proxy_ssl_on(struct gws_hctx *hc);
void gws_handle_proxy_ssl_secret(struct gws_hctx *hc);
void gws_handle_proxy_timeout_other(struct gws_hctx *hc);
void gws_handle_redirect_code(struct gws_hctx *hc);
void gws_handle_rewrite_target(struct gws_hctx *hc);
void gws_handle_server_alias(struct gws_hctx *hc);
void gws_handle_session_cookie(struct gws_hctx *hc);
void gws_handle_snippet(struct gws_hctx *hc);
void gws_handle_ssl_passthrough(struct gws_hctx *hc);
void gws_handle_ssl_redirect(struct gws_hctx *hc);
void gws_handle_temporal_redirect(struct gws_hctx *hc);
void gws_handle_tls_acme(struct gws_hctx *hc);
void gws_handle_unsupported(struct gws_hctx *hc);
void gws_handle_upstream_vhost(struct gws_hctx *hc);
void gws_handle_use_regex(struct gws_hctx *hc);
void gws_handle_x_forwarded_prefix(struct gws_hctx *hc);

#endif
