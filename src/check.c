/* check.c - is a value valid where Gateway API v1.6 puts it? */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "gwshift/check.h"
#include "banned.h"

/* RFC 9110 tchar: HTTPHeaderName's pattern */
static const char tchar[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST"
	"UVWXYZ0123456789!#$%&'*+-.^_`|~";
/* RFC 3986 pchar without %: the path patterns of HTTPRoute */
static const char pchar[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST"
	"UVWXYZ0123456789-._~!$&'()*+,;=:@/";

static bool hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

const char *gws_check_max_len(const char *s, unsigned max)
{
	static const struct {
		unsigned max;
		const char *why;
	} whys[] = {
		{ 128, "is longer than 128 bytes" },
		{ 253, "is longer than 253 bytes" },
		{ 256, "is longer than 256 bytes" },
		{ 1024, "is longer than 1024 bytes" },
		{ 4096, "is longer than 4096 bytes" },
	};
	size_t i;

	if (strlen(s) <= max)
		return NULL;
	for (i = 0; i < sizeof(whys) / sizeof(whys[0]); i++)
		if (whys[i].max == max)
			return whys[i].why;
	return "is too long";
}

const char *gws_check_header_name(const char *s)
{
	if (!*s)
		return "is empty, not an HTTP header name";
	if (strspn(s, tchar) != strlen(s))
		return "is not an HTTP header name (letters, digits and "
		       "!#$%&'*+-.^_`|~ only: no spaces, ':' or control "
		       "characters)";
	return gws_check_max_len(s, 256);
}

/* the experimental pattern ^[!-~]+([\t ]?[!-~]+)*$ */
static bool printable_words(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p == ' ' || *p == '\t')
		return false;
	for (; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			if (!p[1] || p[1] == ' ' || p[1] == '\t')
				return false;
		} else if (*p < '!' || *p > '~') {
			return false;
		}
	}
	return true;
}

const char *gws_check_header_value(const char *s, bool experimental)
{
	const unsigned char *p;

	if (!*s)
		return "is empty, and a header value may not be";
	for (p = (const unsigned char *)s; *p; p++)
		if ((*p < ' ' && *p != '\t') || *p == 0x7f)
			return "has a control character (a line break?), "
			       "which no HTTP header value may have";
	if (experimental && !printable_words(s))
		return "is not what the experimental channel allows in a "
		       "header value (printable ASCII, no leading or "
		       "trailing space, one space or tab between words)";
	return gws_check_max_len(s, 4096);
}

const char *gws_check_hostname(const char *s)
{
	const char *label = s, *p;

	if (!*s)
		return "is empty, not a host name";
	for (p = s;; p++) {
		if (*p == '.' || !*p) {
			if (p == label || *label == '-' || p[-1] == '-')
				return "is not a host name (lower-case DNS "
				       "labels of a-z, 0-9 and '-', joined by "
				       "dots)";
			if (!*p)
				break;
			label = p + 1;
		} else if (!((*p >= 'a' && *p <= 'z') ||
			     (*p >= '0' && *p <= '9') || *p == '-')) {
			return "is not a host name (lower-case DNS labels of "
			       "a-z, 0-9 and '-', joined by dots)";
		}
	}
	return gws_check_max_len(s, 253);
}

const char *gws_check_route_hostname(const char *s)
{
	const char *why = gws_check_hostname(strncmp(s, "*.", 2) ? s : s + 2);

	return why ? why : gws_check_max_len(s, 253);
}

const char *gws_check_uri_path(const char *s)
{
	const char *p;

	if (!*s)
		return "is empty, not a URL path";
	for (p = s; *p; p++) {
		if (*p == '%') {
			if (!hex(p[1]) || !hex(p[2]))
				return "has a '%' that is not a %XX escape";
			p += 2;
		} else if (!strchr(pchar, *p)) {
			return "has a character a URL path may not have "
			       "unescaped (space, '?', '#', '[', ']', '{', "
			       "'}', '\\', '\"', '<', '>', '^', '|', control "
			       "and non-ASCII characters)";
		}
	}
	return gws_check_max_len(s, 1024);
}

const char *gws_check_path_modifier(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return "has a space or a control character, which "
			       "would reach the request line or the Location "
			       "header as it is";
	return gws_check_max_len(s, 1024);
}
