/* test_diag.c - unit tests for diagnostics: values quoted in messages */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gwshift/diag.h"
#include "gwshift/util.h"

/* @n times @c; the caller frees it */
static char *repeat(char c, size_t n)
{
	char *s = gws_xmalloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* a value that fits is quoted as it is, not copied */
static void test_cut_short(void **state)
{
	char buf[GWS_CUT_SIZE(8)];
	const char *s = "12345678", *empty = "";

	(void)state;
	assert_ptr_equal(gws_cut(buf, 8, s), s);
	assert_ptr_equal(gws_cut(buf, 8, empty), empty);
	assert_ptr_equal(gws_cut(buf, 0, empty), empty);
	assert_ptr_equal(gws_cut(buf, 100, s), s);
}

/* a longer one: its first @max bytes, then how many more there were */
static void test_cut_long(void **state)
{
	char buf[GWS_CUT_SIZE(8)];
	const char *s = "123456789";

	(void)state;
	assert_ptr_equal(gws_cut(buf, 8, s), buf);
	assert_string_equal(buf, "12345678... (1 more bytes)");
	assert_string_equal(gws_cut(buf, 0, s), "... (9 more bytes)");
}

/* never half a UTF-8 character: the cut moves back to a character start */
static void test_cut_utf8(void **state)
{
	char buf[GWS_CUT_SIZE(4)];

	(void)state;
	/* "ab" then U+00E9 (2 bytes) then U+20AC (3 bytes) */
	assert_string_equal(gws_cut(buf, 4, "ab\xc3\xa9\xe2\x82\xac"),
			    "ab\xc3\xa9... (3 more bytes)");
	assert_string_equal(gws_cut(buf, 3, "ab\xc3\xa9\xe2\x82\xac"),
			    "ab... (5 more bytes)");
	assert_string_equal(gws_cut(buf, 4, "\xe2\x82\xac\xe2\x82\xac"),
			    "\xe2\x82\xac... (3 more bytes)");
	assert_string_equal(gws_cut(buf, 2, "\xe2\x82\xac"),
			    "... (3 more bytes)");
}

/* a 100 MB value: the quote stays within the buffer the macro sizes */
static void test_cut_huge(void **state)
{
	char buf[GWS_CUT_SIZE(GWS_QUOTE_MAX)];
	char *big = repeat('x', 100u * 1024 * 1024);
	char *want = repeat('x', GWS_QUOTE_MAX);
	const char *q;
	char *line;

	(void)state;
	q = gws_cut(buf, GWS_QUOTE_MAX, big);
	line = gws_xasprintf("%s... (%zu more bytes)", want,
			     (size_t)100 * 1024 * 1024 - GWS_QUOTE_MAX);
	assert_string_equal(q, line);
	assert_true(strlen(q) < sizeof(buf));
	free(line);
	free(want);
	free(big);
}

/* the room asked for covers the longest count a size_t can have */
static void test_cut_size(void **state)
{
	char count[32];

	(void)state;
	snprintf(count, sizeof(count), "%zu", SIZE_MAX);
	assert_true(GWS_CUT_SIZE(0) >=
		    strlen("... ( more bytes)") + strlen(count) + 1);
}

/* a long message keeps its head and its end, cut between characters */
static void test_diag_long_utf8(void **state)
{
	char *val = repeat('a', 6000), *out = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&out, &len), *old;

	(void)state;
	/* a two-byte character across each place a cut could fall */
	for (i = 2041; i < 2060; i += 2)
		memcpy(val + i, "\xc3\xa9", 2);
	for (i = 6000 - 1041; i < 6000 - 1010; i += 2)
		memcpy(val + i, "\xc3\xa9", 2);
	old = gws_diag_set_stream(fp);
	gws_diag(NULL, "error", "x%s", val + 1);
	gws_diag_set_stream(old);
	fclose(fp);
	assert_non_null(strstr(out, "bytes cut) ..."));
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c == 0xc3)
			assert_int_equal((unsigned char)out[i + 1], 0xa9);
		else if (c == 0xa9)
			assert_int_equal((unsigned char)out[i - 1], 0xc3);
	}
	free(out);
	free(val);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_cut_long),
		cmocka_unit_test(test_cut_utf8),
		cmocka_unit_test(test_cut_huge),
		cmocka_unit_test(test_cut_size),
		cmocka_unit_test(test_diag_long_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
