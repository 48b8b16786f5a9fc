/* test_check.c - unit tests for the Gateway API value checks */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gwshift/check.h"
#include "gwshift/regex.h"

static char long_buf[5000];

static const char *rep(char c, size_t n)
{
	memset(long_buf, c, n);
	long_buf[n] = '\0';
	return long_buf;
}

static void test_header_name(void **state)
{
	(void)state;
	assert_null(gws_check_header_name("X-Canary"));
	assert_null(gws_check_header_name("x_under~score!"));
	assert_non_null(gws_check_header_name(""));
	assert_non_null(gws_check_header_name("X Canary"));
	assert_non_null(gws_check_header_name("X:Canary"));
	assert_non_null(gws_check_header_name("X\nCanary"));
	assert_non_null(gws_check_header_name("X-\xc3\xa9"));
	assert_null(gws_check_header_name(rep('a', 256)));
	assert_non_null(gws_check_header_name(rep('a', 257)));
}

static void test_header_value(void **state)
{
	(void)state;
	assert_null(gws_check_header_value("/api v1", true));
	assert_null(gws_check_header_value("a\tb", true));
	assert_non_null(gws_check_header_value("", false));
	assert_non_null(gws_check_header_value("a\nb", false));
	assert_non_null(gws_check_header_value("a\x7f", false));
	assert_null(gws_check_header_value(" a  b ", false));
	assert_non_null(gws_check_header_value(" a", true));
	assert_non_null(gws_check_header_value("a ", true));
	assert_non_null(gws_check_header_value("a  b", true));
	assert_non_null(gws_check_header_value("caf\xc3\xa9", true));
	assert_null(gws_check_header_value("caf\xc3\xa9", false));
	assert_null(gws_check_header_value(rep('a', 4096), true));
	assert_non_null(gws_check_header_value(rep('a', 4097), false));
}

static void test_hostname(void **state)
{
	(void)state;
	assert_null(gws_check_hostname("a.example.com"));
	assert_null(gws_check_hostname("1.2.3.4"));
	assert_null(gws_check_hostname("x"));
	assert_non_null(gws_check_hostname(""));
	assert_non_null(gws_check_hostname("A.example.com"));
	assert_non_null(gws_check_hostname("bad_host.example.com"));
	assert_non_null(gws_check_hostname("a..b"));
	assert_non_null(gws_check_hostname(".a"));
	assert_non_null(gws_check_hostname("a."));
	assert_non_null(gws_check_hostname("-a.b"));
	assert_non_null(gws_check_hostname("a-.b"));
	assert_non_null(gws_check_hostname("*.a.b"));
	assert_non_null(gws_check_hostname(rep('a', 254)));
	assert_null(gws_check_route_hostname("*.a.b"));
	assert_non_null(gws_check_route_hostname("*"));
	assert_non_null(gws_check_route_hostname("a.*.b"));
	rep('a', 253);
	memcpy(long_buf, "*.", 2);
	assert_null(gws_check_route_hostname(long_buf));
	rep('a', 254);
	memcpy(long_buf, "*.", 2);
	assert_non_null(gws_check_route_hostname(long_buf));
}

/* nginx (PCRE) patterns as RE2; a header pattern found anywhere in the value */
static void test_regex(void **state)
{
	static const struct {
		const char *pcre, *re2, *search;
	} ok[] = {
		{ "^eu-.*", "^eu-.*", ".*(?:^eu-.*).*" },
		{ "a|b", "a|b", ".*(?:a|b).*" },
		{ "(?<v>\\d+)\\Z", "(?P<v>\\d+)$", ".*(?:(?P<v>\\d+)$).*" },
		{ "\\Qa.b", "\\Qa.b\\E", ".*(?:\\Qa.b\\E).*" },
		{ "\\Q(?=x\\E|y", "\\Q(?=x\\E|y", ".*(?:\\Q(?=x\\E|y).*" },
	};
	static const char *const bad[] = {
		"(?=x)", "(a)\\1", "a++", "(?>a)", "x\\K",
	};
	const char *why;
	char *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		s = gws_re2_from_pcre(ok[i].pcre, &why);
		assert_non_null(s);
		assert_string_equal(s, ok[i].re2);
		free(s);
		s = gws_re2_search(ok[i].pcre, &why);
		assert_non_null(s);
		assert_string_equal(s, ok[i].search);
		free(s);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_null(gws_re2_search(bad[i], &why));
		assert_non_null(why);
	}
}

static void test_paths(void **state)
{
	(void)state;
	assert_null(gws_check_uri_path("/auth/check;v=1"));
	assert_null(gws_check_uri_path("/a%2Fb"));
	assert_non_null(gws_check_uri_path(""));
	assert_non_null(gws_check_uri_path("/a b"));
	assert_non_null(gws_check_uri_path("/a?b"));
	assert_non_null(gws_check_uri_path("/a%zz"));
	assert_non_null(gws_check_uri_path("/a%2"));
	assert_non_null(gws_check_uri_path(rep('/', 1025)));
	assert_null(gws_check_path_modifier(""));
	assert_null(gws_check_path_modifier("/$1{x}"));
	assert_non_null(gws_check_path_modifier("/a b"));
	assert_non_null(gws_check_path_modifier("/a\nb"));
	assert_null(gws_check_path_modifier(rep('a', 1024)));
	assert_non_null(gws_check_path_modifier(rep('a', 1025)));
	assert_string_equal(gws_check_max_len("abc", 2), "is too long");
	assert_null(gws_check_max_len("ab", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_name),
		cmocka_unit_test(test_header_value),
		cmocka_unit_test(test_hostname),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_regex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
