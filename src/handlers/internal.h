/* internal.h - helpers shared by the annotation handler families */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_HANDLERS_INTERNAL_H
#define GWS_HANDLERS_INTERNAL_H

#include <stdbool.h>
#include "gwshift/handlers.h"
#include "gwshift/plan.h"

/* hc_sibling() - the value of annotation <prefix>@key on the same Ingress */
const char *hc_sibling(const struct gws_hctx *hc, const char *key);
/* hc_true() - the value is "true" (nginx reads booleans that way) */
bool hc_true(const struct gws_hctx *hc);
/*
 * hc_long() - the value as a decimal in [@min, @max]; otherwise a
 * not-converted finding and false.
 */
bool hc_long(struct gws_hctx *hc, long min, long max, long *out);
/*
 * hc_quote() - the annotation's value as a finding quotes it: cut with
 * gws_cut() past GWS_QUOTE_MAX bytes, control characters escaped (\n, \t,
 * \r, \xNN) so the finding stays one line. Returns: the value, or the
 * copy in a buffer of the calling thread (the next call writes over it,
 * so use it in one message); nothing to free.
 */
const char *hc_quote(const struct gws_hctx *hc);
/*
 * hc_quote_str() - any other value (a part of the annotation's, one made
 * from it) as hc_quote() quotes it, in a buffer of its own: one
 * hc_quote() and one hc_quote_str() fit in a message
 */
const char *hc_quote_str(const char *s);
/* hc_bad() - a not-converted finding: the value cannot be read */
void hc_bad(struct gws_hctx *hc, const char *why);
/*
 * hc_ref() - read @v as an object reference, "name" or "namespace/name":
 * a DNS-1123 subdomain, after a DNS-1123 label and '/' when there is one.
 * Returns: the name (a pointer into @v), with *@ns the namespace (a copy
 * the caller frees; NULL when @v has none); NULL when @v is no such
 * reference (*@ns NULL too).
 */
const char *hc_ref(const char *v, char **ns);
/* hc_set_header() - add {name, value} to a header modifier's set list */
void hc_set_header(struct gws_val **mod, const char *name, const char *value);
/* hc_canary_only() - true (after an ignored finding) if not a canary */
bool hc_not_canary(struct gws_hctx *hc);
/* hc_parse_url() - host (the caller frees it) and port of an http(s) URL */
bool hc_parse_url(const char *url, char **host, long *port);
/* hc_service_of() - the Service a URL host names in @ns, or NULL */
char *hc_service_of(const char *host, const char *ns);
/* hc_header_name_ok() - @s is an HTTP header name Gateway API takes */
bool hc_header_name_ok(const char *s);
/*
 * hc_add_list() - push the items of comma list @list onto @seq, trimmed,
 * each once, those @ok accepts, up to @max items; a '*' among them stays
 * alone (the Gateway API lists refuse '*' with others, and it covers them).
 * Returns: how many items were left out (not @ok, or past @max).
 */
size_t hc_add_list(struct gws_val *seq, const char *list,
		   bool (*ok)(const char *), size_t max);
/* hc_seconds() - "N" seconds as a Gateway API duration, e.g. "60s" */
char *hc_seconds(long n);

#endif
