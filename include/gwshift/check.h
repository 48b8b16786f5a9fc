/* check.h - is a value valid where Gateway API v1.6 puts it? */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_CHECK_H
#define GWS_CHECK_H

#include <stdbool.h>

/*
 * Each gws_check_*() takes a value about to be written to a field of a
 * Gateway API object and returns NULL when the field's schema (pattern,
 * length) and CEL rules accept it, else what is wrong, a static string
 * that reads after "which": "is longer than 256 bytes". Nothing to free.
 */

/* gws_check_header_name() - HTTP header name: a token of 1 to 256 bytes */
const char *gws_check_header_name(const char *s);
/*
 * gws_check_header_value() - a header value (header modifiers and header
 * matches): 1 to 4096 bytes with no control character but tab (both
 * channels: HTTP has none); on the experimental channel (@experimental)
 * also its pattern: printable ASCII words with one space or tab between
 */
const char *gws_check_header_value(const char *s, bool experimental);
/*
 * gws_check_hostname() - PreciseHostname (redirect and rewrite hostname,
 * BackendTLSPolicy): lower-case DNS labels joined by dots, 1 to 253 bytes
 */
const char *gws_check_hostname(const char *s);
/*
 * gws_check_route_hostname() - a route hostname: gws_check_hostname(),
 * optionally after "*.", 253 bytes in all
 */
const char *gws_check_route_hostname(const char *s);
/*
 * gws_check_uri_path() - an ExternalAuth http.path: 1 to 1024 bytes of
 * URI path characters (unreserved, sub-delims, ':', '@', '/', %XX)
 */
const char *gws_check_uri_path(const char *s);
/*
 * gws_check_path_modifier() - replaceFullPath or replacePrefixMatch of a
 * redirect or rewrite: at most 1024 bytes (the schema's only rule), no
 * control characters and no spaces (they would reach the Location header
 * or the request line as they are)
 */
const char *gws_check_path_modifier(const char *s);
/* gws_check_max_len() - "is longer than N bytes" when strlen(@s) > @max */
const char *gws_check_max_len(const char *s, unsigned max);

#endif
