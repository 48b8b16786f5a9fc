/* regex.c - nginx (PCRE) regular expressions in RE2 syntax */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "gwshift/regex.h"
#include "gwshift/util.h"
#include "banned.h"

/* PCRE group openers RE2 has no form for */
static const struct {
	const char *open;
	const char *why;
} no_group[] = {
	{ "(?=", "a lookahead '(?='" },
	{ "(?!", "a negative lookahead '(?!'" },
	{ "(?<=", "a lookbehind '(?<='" },
	{ "(?<!", "a negative lookbehind '(?<!'" },
	{ "(?>", "an atomic group '(?>'" },
	{ "(?|", "a branch reset '(?|'" },
	{ "(?(", "a conditional '(?('" },
	{ "(?R", "a recursion '(?R)'" },
	{ "(?0", "a recursion" }, { "(?1", "a recursion" },
	{ "(?2", "a recursion" }, { "(?&", "a recursion '(?&'" },
	{ "(?P>", "a recursion '(?P>'" }, { "(?#", "a comment group" },
};

/* an escape outside a class: copy, translate, or refuse */
static const char *escape(struct gws_buf *b, const char **pp)
{
	const char *p = *pp;	/* at the backslash */
	char c = p[1];

	if (!c)
		return "a trailing backslash";
	*pp = p + 2;
	if (c >= '1' && c <= '9')
		return "a backreference";
	if (strchr("GKRXgkC", c))
		return c == 'R' ? "'\\R'" : c == 'K' ? "'\\K'" :
		       "an escape RE2 does not have";
	if (c == 'Z') {
		gws_buf_adds(b, "$");
	} else if (c == 'h') {
		gws_buf_adds(b, "[\\t ]");
	} else if (c == 'e') {
		gws_buf_adds(b, "\\x1b");
	} else {
		gws_buf_addc(b, '\\');
		gws_buf_addc(b, c);
	}
	return NULL;
}

/* a character class: copied to its closing ']' */
static const char *char_class(struct gws_buf *b, const char **pp)
{
	const char *p = *pp;

	gws_buf_addc(b, *p++);	/* '[' */
	if (*p == '^')
		gws_buf_addc(b, *p++);
	if (*p == ']')
		gws_buf_addc(b, *p++);
	while (*p && *p != ']') {
		if (*p == '[' && p[1] == ':') {
			const char *end = strstr(p, ":]");

			if (!end)
				return "an unclosed POSIX class";
			gws_buf_add(b, p, (size_t)(end + 2 - p));
			p = end + 2;
			continue;
		}
		if (*p == '\\' && p[1])
			gws_buf_addc(b, *p++);
		gws_buf_addc(b, *p++);
	}
	if (!*p)
		return "an unclosed '['";
	gws_buf_addc(b, *p++);
	*pp = p;
	return NULL;
}

static const char *group(struct gws_buf *b, const char **pp)
{
	const char *p = *pp;
	size_t i;

	for (i = 0; i < GWS_ARRAY_SIZE(no_group); i++)
		if (!strncmp(p, no_group[i].open, strlen(no_group[i].open)))
			return no_group[i].why;
	if (!strncmp(p, "(?<", 3)) {
		gws_buf_adds(b, "(?P<");
		*pp = p + 3;
		return NULL;
	}
	gws_buf_addc(b, '(');
	*pp = p + 1;
	return NULL;
}

char *gws_re2_from_pcre(const char *pcre, const char **why)
{
	struct gws_buf b;
	const char *p = pcre;

	gws_buf_init(&b);
	*why = NULL;
	while (*p && !*why) {
		if (p[0] == '\\' && p[1] == 'Q') {
			/* a literal run: copied as it is, and closed */
			const char *e = strstr(p + 2, "\\E");
			size_t n = e ? (size_t)(e + 2 - p) : strlen(p);

			gws_buf_add(&b, p, n);
			if (!e)
				gws_buf_adds(&b, "\\E");
			p += n;
		} else if (*p == '\\') {
			*why = escape(&b, &p);
		} else if (*p == '[') {
			*why = char_class(&b, &p);
		} else if (*p == '(') {
			*why = group(&b, &p);
		} else if (strchr("*+?}", *p) && p[1] == '+') {
			*why = "a possessive quantifier";
		} else {
			gws_buf_addc(&b, *p++);
		}
	}
	if (*why) {
		gws_buf_release(&b);
		return NULL;
	}
	return gws_buf_detach(&b, NULL);
}

char *gws_re2_search(const char *pcre, const char **why)
{
	char *re2 = gws_re2_from_pcre(pcre, why), *s;

	if (!re2)
		return NULL;
	s = gws_xasprintf(".*(?:%s).*", re2);
	free(re2);
	return s;
}
