/* test_util.c - unit tests for allocation helpers and growable buffers */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "gwshift/util.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GWS_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(GWS_TEST_ASAN)
/* let malloc() fail instead of ASan reporting the huge allocation */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

static void test_xmalloc_family(void **state)
{
	char *p = gws_xmalloc(0);
	int *z = gws_xcalloc(16, sizeof(*z));
	size_t i;

	(void)state;
	assert_non_null(p);
	free(p);
	for (i = 0; i < 16; i++)
		assert_int_equal(z[i], 0);
	z = gws_xrealloc(z, 1024 * sizeof(*z));
	for (i = 0; i < 16; i++)
		assert_int_equal(z[i], 0);
	free(z);
	p = gws_xcalloc(0, 0);
	assert_non_null(p);
	free(p);
	p = gws_xrealloc(NULL, 0);
	assert_non_null(p);
	free(p);
}

static void test_xstrdup(void **state)
{
	char *s = gws_xstrdup("hello");
	char *t = gws_xstrndup("hello", 3);
	char *u = gws_xstrndup("hi", 10);
	char *e = gws_xstrdup("");

	(void)state;
	assert_string_equal(s, "hello");
	assert_string_equal(t, "hel");
	assert_string_equal(u, "hi");
	assert_string_equal(e, "");
	free(s);
	free(t);
	free(u);
	free(e);
}

static char *call_vasprintf(const char *fmt, ...) GWS_PRINTF(1, 2);

static char *call_vasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	s = gws_xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

static void test_xasprintf(void **state)
{
	char big[5000];
	char *s = gws_xasprintf("%s-%d-%c", "a", 42, 'z');
	char *t = NULL;

	(void)state;
	assert_string_equal(s, "a-42-z");
	free(s);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	t = call_vasprintf("[%s]", big);
	assert_int_equal(strlen(t), sizeof(big) + 1);
	assert_int_equal(t[0], '[');
	assert_int_equal(t[sizeof(big)], ']');
	free(t);
	s = gws_xasprintf("%s", "");
	assert_string_equal(s, "");
	free(s);
}

static void test_grow(void **state)
{
	void *arr = NULL;
	size_t cap = 0;
	size_t i;
	int *ints = NULL;

	(void)state;
	gws_grow(&arr, &cap, 1, sizeof(int));
	assert_non_null(arr);
	assert_true(cap >= 1);
	for (i = 0; i < 1000; i++) {
		size_t old = cap;

		gws_grow(&arr, &cap, i + 1, sizeof(int));
		ints = arr;
		ints[i] = (int)i;
		assert_true(cap >= i + 1);
		if (old >= i + 1)
			assert_int_equal(cap, old);	/* no needless growth */
		else
			assert_true(cap >= 2 * old);	/* at least doubles */
	}
	for (i = 0; i < 1000; i++)
		assert_int_equal(ints[i], (int)i);
	gws_grow(&arr, &cap, 10, sizeof(int));	/* never shrinks */
	assert_true(cap >= 1000);
	free(arr);
}

static int buf_setup(void **state)
{
	struct gws_buf *b = gws_xmalloc(sizeof(*b));

	gws_buf_init(b);
	*state = b;
	return 0;
}

static int buf_teardown(void **state)
{
	struct gws_buf *b = *state;

	gws_buf_release(b);
	free(b);
	return 0;
}

static void test_buf_empty(void **state)
{
	struct gws_buf *b = *state;
	size_t len = 99;
	char *s = NULL;

	assert_non_null(b->data);
	assert_string_equal(b->data, "");
	assert_int_equal(b->len, 0);
	s = gws_buf_detach(b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	gws_buf_release(NULL);
}

static void test_buf_append(void **state)
{
	struct gws_buf *b = *state;

	gws_buf_adds(b, "abc");
	gws_buf_addc(b, '-');
	gws_buf_addf(b, "%d/%s", 7, "x");
	gws_buf_add(b, "zz", 1);
	gws_buf_add(b, NULL, 0);
	assert_string_equal(b->data, "abc-7/xz");
	assert_int_equal(b->len, 8);
	assert_true(b->cap > b->len);
}

static void test_buf_binary_and_large(void **state)
{
	struct gws_buf *b = *state;
	size_t i;

	gws_buf_add(b, "a\0b", 3);
	assert_int_equal(b->len, 3);
	assert_memory_equal(b->data, "a\0b", 4);
	for (i = 0; i < 10000; i++)
		gws_buf_addf(b, "%05zu", i);
	assert_int_equal(b->len, 3 + 5 * 10000);
	assert_int_equal(b->data[b->len], '\0');
	assert_memory_equal(b->data + 3 + 5 * 9999, "09999", 5);
}

static void test_buf_detach_release(void **state)
{
	struct gws_buf *b = *state;
	size_t len = 0;
	char *s = NULL;

	gws_buf_adds(b, "hello");
	s = gws_buf_detach(b, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	free(s);
	/* the buffer is empty again and reusable */
	assert_int_equal(b->len, 0);
	assert_string_equal(b->data, "");
	gws_buf_adds(b, "again");
	gws_buf_release(b);
	assert_int_equal(b->len, 0);
	assert_string_equal(b->data, "");
	gws_buf_adds(b, "x");
	s = gws_buf_detach(b, NULL);
	assert_string_equal(s, "x");
	free(s);
}

static void test_buf_zeroed(void **state)
{
	struct gws_buf b = { 0 };
	char *s = NULL;

	(void)state;
	/* a zero-initialised buffer works too */
	gws_buf_adds(&b, "ok");
	s = gws_buf_detach(&b, NULL);
	assert_string_equal(s, "ok");
	free(s);
}

static void test_streq(void **state)
{
	(void)state;
	assert_true(gws_streq(NULL, NULL));
	assert_false(gws_streq("a", NULL));
	assert_false(gws_streq(NULL, "a"));
	assert_true(gws_streq("a", "a"));
	assert_false(gws_streq("a", "b"));
	assert_true(gws_streq("", ""));
}

static void test_strcmp_null(void **state)
{
	(void)state;
	assert_int_equal(gws_strcmp_null(NULL, NULL), 0);
	assert_true(gws_strcmp_null(NULL, "") < 0);
	assert_true(gws_strcmp_null("", NULL) > 0);
	assert_true(gws_strcmp_null("a", "b") < 0);
	assert_true(gws_strcmp_null("b", "a") > 0);
	assert_int_equal(gws_strcmp_null("x", "x"), 0);
}

static void test_array_size(void **state)
{
	int a[7];

	(void)state;
	(void)a;
	assert_int_equal(GWS_ARRAY_SIZE(a), 7);
}

/* run @fn in a child with stderr captured; returns the child's status */
static int run_child(void (*fn)(void), char *err, size_t errsize)
{
	int fds[2];
	int status = 0;
	ssize_t n;
	size_t got = 0;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		fn();
		_exit(0);
	}
	close(fds[1]);
	while (got + 1 < errsize &&
	       (n = read(fds[0], err + got, errsize - 1 - got)) > 0)
		got += (size_t)n;
	err[got] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return status;
}

static void alloc_too_much(void)
{
	void *p = gws_xmalloc(SIZE_MAX / 2);

	free(p);
}

static void test_out_of_memory(void **state)
{
	const char *msg = "gwshift: fatal: out of memory\n";
	char err[512];
	size_t len;
	int status;

	(void)state;
	status = run_child(alloc_too_much, err, sizeof(err));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	/* last line: under ASan a warning about the allocation comes first */
	len = strlen(err);
	assert_true(len >= strlen(msg));
	assert_string_equal(err + len - strlen(msg), msg);
}

struct item {
	unsigned key;
	unsigned seq;		/* where it was before the sort */
	char pad[56];
};

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* a large array sorts as qsort() sorts it, ties included */
static void test_sort_large(void **state)
{
	size_t n = 40000, i;	/* 2.5 MB: the pointer sort */
	struct item *a = gws_xcalloc(n, sizeof(*a));
	struct item *b = gws_xcalloc(n, sizeof(*b));
	unsigned r = 12345;

	(void)state;
	for (i = 0; i < n; i++) {
		r = r * 1103515245u + 12345u;
		a[i].key = (r >> 8) % 1000;	/* many ties */
		a[i].seq = (unsigned)i;
		memset(a[i].pad, (int)(i & 0x7f), sizeof(a[i].pad));
	}
	memcpy(b, a, n * sizeof(*a));
	gws_sort(a, n, sizeof(*a), cmp_item);
	qsort(b, n, sizeof(*b), cmp_item);
	for (i = 0; i < n; i++) {
		assert_int_equal(a[i].key, b[i].key);
		assert_int_equal(a[i].seq, b[i].seq);
		assert_int_equal(a[i].pad[55], (char)(a[i].seq & 0x7f));
	}
	gws_sort(a, 0, sizeof(*a), cmp_item);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xmalloc_family),
		cmocka_unit_test(test_xstrdup),
		cmocka_unit_test(test_xasprintf),
		cmocka_unit_test(test_grow),
		cmocka_unit_test_setup_teardown(test_buf_empty, buf_setup,
						buf_teardown),
		cmocka_unit_test_setup_teardown(test_buf_append, buf_setup,
						buf_teardown),
		cmocka_unit_test_setup_teardown(test_buf_binary_and_large,
						buf_setup, buf_teardown),
		cmocka_unit_test_setup_teardown(test_buf_detach_release,
						buf_setup, buf_teardown),
		cmocka_unit_test(test_buf_zeroed),
		cmocka_unit_test(test_streq),
		cmocka_unit_test(test_strcmp_null),
		cmocka_unit_test(test_array_size),
		cmocka_unit_test(test_sort_large),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
