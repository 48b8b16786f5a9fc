/* canary.c - handlers for canary Ingresses (canary, canary-weight, ...) */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "gwshift/check.h"
#include "gwshift/regex.h"
#include "internal.h"
#include "banned.h"

/* canary: "an alternative backend for the same host, path and pathType" */
void gws_handle_canary(struct gws_hctx *hc)
{
	struct gws_canary *c = &hc->plan->canary;

	c->on = hc_true(hc);
	if (!c->on) {
		gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' is '%s': "
				 "not a canary", hc->an->key, hc_quote(hc));
		return;
	}
	/* where it went is said per path, when the primary is found */
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s': this Ingress "
			 "makes no route of its own; its backends join the "
			 "routes of the Ingresses with the same host, path and "
			 "pathType (see its path findings)", hc->an->key);
}

/* canary-weight: "percent (of canary-weight-total) to the canary" */
void gws_handle_canary_weight(struct gws_hctx *hc)
{
	long total = 100, w;
	const char *t = hc_sibling(hc, "canary-weight-total");

	if (hc_not_canary(hc))
		return;
	if (t) {	/* as its handler reads it; else nginx's 100 */
		char *end;
		long n = strtol(t, &end, 10);

		total = *t && !*end && n >= 1 && n <= 1000000 ? n : 100;
	}
	if (!hc_long(hc, 0, total, &w))
		return;
	hc->plan->canary.weight = w;
	hc->plan->canary.weight_total = total;
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> backendRefs "
			 "weights %ld (primary) and %ld (canary) in the primary "
			 "rules with the same host, path and pathType (the path "
			 "findings say which)", hc->an->key, total - w, w);
}

/* canary-weight-total: "the denominator of canary-weight" */
void gws_handle_canary_weight_total(struct gws_hctx *hc)
{
	long n;

	if (hc_not_canary(hc) || !hc_long(hc, 1, 1000000, &n))
		return;
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s': weights are "
			 "proportional in Gateway API, out of %ld here",
			 hc->an->key, n);
}

/*
 * the canary-by-header-value (or else -pattern) sibling cannot be matched
 * (its own finding says why): Returns: its key, or NULL when it can or is
 * not set
 */
static const char *bad_match(struct gws_hctx *hc)
{
	const char *v = hc_sibling(hc, "canary-by-header-value"), *why = NULL;
	char *re2;
	bool ok;

	if (v)
		return gws_check_header_value(v, hc->plan->experimental) ?
		       "canary-by-header-value" : NULL;
	v = hc_sibling(hc, "canary-by-header-pattern");
	if (!v)
		return NULL;
	if (gws_check_header_value(v, hc->plan->experimental))
		return "canary-by-header-pattern";
	re2 = gws_re2_search(v, &why);
	ok = re2 && !gws_check_max_len(re2, 4096);
	free(re2);
	return ok ? NULL : "canary-by-header-pattern";
}

/* canary-by-header: "always -> canary, never -> primary" */
void gws_handle_canary_by_header(struct gws_hctx *hc)
{
	const char *why, *bad;

	if (hc_not_canary(hc))
		return;
	if ((why = gws_check_header_name(hc->an->value)) != NULL) {
		hc_bad(hc, why);	/* and its -value, -pattern do nothing */
		return;
	}
	if ((bad = bad_match(hc)) != NULL) {	/* not always/never either */
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' "
				 "('%s'): %s cannot be matched (see its "
				 "finding), so no header rule is made",
				 hc->an->key, hc_quote(hc), bad);
		return;
	}
	hc->plan->canary.header = hc->an->value;
	gws_hctx_finding(hc, strchr(hc->an->value, '_') ? GWS_APPROXIMATED :
			 GWS_CONVERTED, "annotation '%s' -> rules that match "
			 "header '%s' ahead of the weighted rule%s%s",
			 hc->an->key, hc_quote(hc), strchr(hc->an->value, '_') ?
			 " (a name with '_': Envoy-based implementations drop "
			 "such request headers by default, so the match may "
			 "never hold)" : "",
			 hc_sibling(hc, "canary-by-header-value") ||
			 hc_sibling(hc, "canary-by-header-pattern") ? "" :
			 ": 'always' goes to the canary, 'never' to the primary");
}

/* canary-by-header-value: "this value instead of always" */
/*
 * canary-by-header-value and -pattern need a header to match: true (after
 * a finding) when canary-by-header is missing or not a header name
 */
static bool no_header(struct gws_hctx *hc)
{
	const char *h = hc_sibling(hc, "canary-by-header");

	if (!h)
		gws_hctx_finding(hc, GWS_IGNORED, "annotation '%s' does "
				 "nothing without canary-by-header", hc->an->key);
	else if (gws_check_header_name(h))
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' "
				 "('%s'): canary-by-header is not a header name "
				 "(see its finding), so there is no header to "
				 "match", hc->an->key, hc_quote(hc));
	return !h || gws_check_header_name(h);
}

void gws_handle_canary_by_header_value(struct gws_hctx *hc)
{
	const char *why;

	if (hc_not_canary(hc) || no_header(hc))
		return;
	why = gws_check_header_value(hc->an->value, hc->plan->experimental);
	if (why) {
		hc_bad(hc, why);
		return;
	}
	hc->plan->canary.header_value = hc->an->value;
	gws_hctx_finding(hc, GWS_CONVERTED, "annotation '%s' -> an Exact "
			 "header match on value '%s' to the canary",
			 hc->an->key, hc_quote(hc));
}

/* canary-by-header-pattern: "a PCRE on the header (value wins)" */
void gws_handle_canary_by_header_pattern(struct gws_hctx *hc)
{
	const char *why = NULL;
	char *re2;

	if (hc_not_canary(hc) || no_header(hc))
		return;
	if (hc_sibling(hc, "canary-by-header-value")) {
		gws_hctx_finding(hc, GWS_IGNORED, "annotation '%s' does "
				 "nothing when canary-by-header-value is set",
				 hc->an->key);
		return;
	}
	why = gws_check_header_value(hc->an->value, hc->plan->experimental);
	if (why) {
		hc_bad(hc, why);
		return;
	}
	re2 = gws_re2_search(hc->an->value, &why);
	if (!re2) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s': "
				 "pattern '%s' has %s, which RE2 (what Gateway "
				 "implementations run) does not support",
				 hc->an->key, hc_quote(hc), why);
		return;
	}
	if (gws_check_max_len(re2, 4096)) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s': "
				 "pattern '%s' as a RegularExpression header "
				 "match is longer than the 4096 bytes Gateway API "
				 "allows", hc->an->key, hc_quote(hc));
		free(re2);
		return;
	}
	hc->plan->canary.header_pattern = hc->an->value;
	gws_hctx_finding(hc, GWS_APPROXIMATED, "annotation '%s' -> a "
			 "RegularExpression header match '%s': the pattern "
			 "in RE2 syntax between '.*(?:' and ').*', as nginx "
			 "finds it anywhere in the value and Envoy-based "
			 "implementations match the whole value; nginx ran "
			 "PCRE, implementations run their own regex dialect",
			 hc->an->key, hc_quote_str(re2));
	free(re2);
}

/* canary-by-cookie: "cookie value always/never" */
void gws_handle_canary_by_cookie(struct gws_hctx *hc)
{
	if (hc_not_canary(hc))
		return;
	hc->plan->canary.cookie = hc->an->value;
	gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' (cookie "
			 "'%s'): Gateway API has no cookie match; Envoy "
			 "Gateway can express it with an HTTPRouteFilter "
			 "cookie match, or a header regex on Cookie "
			 "'(^|;\\s*)%s=always(;|$)' would approximate it",
			 hc->an->key, hc_quote(hc), hc_quote(hc));
}
