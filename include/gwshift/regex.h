/* regex.h - nginx (PCRE) regular expressions in RE2 syntax */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_REGEX_H
#define GWS_REGEX_H

/*
 * gws_re2_from_pcre() - @pcre as RE2 syntax, which Gateway implementations
 * run: "(?<name>" becomes "(?P<name>", "\Z" becomes "$", "\h" a class,
 * a literal run "\Q..." is kept as it is and closed with "\E".
 * Returns: the RE2 pattern (the caller frees it), or NULL with *@why set
 * to the construct RE2 lacks (lookaround, backreference, atomic group,
 * possessive quantifier, recursion, conditional, ...), a static string.
 */
char *gws_re2_from_pcre(const char *pcre, const char **why);

/*
 * gws_re2_search() - @pcre, which nginx finds anywhere in a value (as
 * ngx.re.match does), as an RE2 pattern that matches the same values
 * whether an implementation matches the whole value (Envoy) or searches
 * it: ".*(?:RE2).*". Returns: as gws_re2_from_pcre().
 */
char *gws_re2_search(const char *pcre, const char **why);

#endif
