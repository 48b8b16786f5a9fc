/* util.c - allocation that never returns NULL, growable buffers */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gwshift/util.h"
#include "banned.h"

/* Shared empty string for buffers that own no memory yet (cap == 0). */
static char empty_buf[1];

static _Noreturn void die_oom(void)
{
	fputs("gwshift: fatal: out of memory\n", stderr);
	abort();
}

/**
 * gws_xmalloc() - malloc() that aborts when memory runs out
 * @n: bytes; 0 is treated as 1 so the result is never NULL
 *
 * Returns: new memory; the caller frees it with free().
 */
void *gws_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die_oom();
	return p;
}

/**
 * gws_xcalloc() - calloc() that aborts when memory runs out
 * @n: number of elements
 * @size: size of one element
 *
 * Returns: zeroed memory; the caller frees it with free().
 */
void *gws_xcalloc(size_t n, size_t size)
{
	void *p = NULL;

	if (n == 0 || size == 0)
		n = size = 1;
	p = calloc(n, size);
	if (!p)
		die_oom();
	return p;
}

/**
 * gws_xrealloc() - realloc() that aborts when memory runs out
 * @p: old block or NULL
 * @n: new size; 0 is treated as 1
 *
 * Returns: the resized block; the caller frees it with free().
 */
void *gws_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die_oom();
	return q;
}

/**
 * gws_xstrdup() - strdup() that aborts when memory runs out
 * @s: string to copy
 *
 * Returns: a copy; the caller frees it with free().
 */
char *gws_xstrdup(const char *s)
{
	return gws_xstrndup(s, strlen(s));
}

/**
 * gws_xstrndup() - copy at most @n bytes of @s, NUL-terminated
 * @s: string to copy
 * @n: maximum number of bytes
 *
 * Returns: a copy; the caller frees it with free().
 */
char *gws_xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = NULL;

	if (len == SIZE_MAX)
		die_oom();
	p = gws_xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/**
 * gws_xvasprintf() - format into new memory
 * @fmt: printf format
 * @ap: arguments
 *
 * Returns: the formatted string; the caller frees it with free().
 */
char *gws_xvasprintf(const char *fmt, va_list ap)
{
	char small[128];
	va_list cp;
	char *s = NULL;
	int len;

	/* most strings fit; this also avoids a gcc 12 false "null format
	 * string" warning on vsnprintf(NULL, 0, ...) under -fsanitize */
	va_copy(cp, ap);
	len = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (len < 0)
		die_oom();
	if ((size_t)len < sizeof(small))
		return gws_xstrndup(small, (size_t)len);
	s = gws_xmalloc((size_t)len + 1);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	return s;
}

/**
 * gws_xasprintf() - format into new memory
 * @fmt: printf format
 *
 * Returns: the formatted string; the caller frees it with free().
 */
char *gws_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	s = gws_xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/**
 * gws_grow() - make room for @need elements
 * @arr: the array; *@arr may be NULL when *@cap is 0
 * @cap: capacity in elements, updated
 * @need: elements the caller wants room for
 * @size: size of one element
 *
 * The capacity at least doubles, so appending one at a time is amortised
 * linear. When *@cap is 0, *@arr is not reallocated (it may point to
 * memory the array does not own) but replaced.
 */
void gws_grow(void **arr, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap;

	if (need <= *cap)
		return;
	if (ncap < 1)
		ncap = 1;
	/*
	 * doubling (most arrays hold an item or two), then an eighth more past
	 * 1 MB and a 32nd past 32 MB: realloc() of a block that large moves
	 * pages, not bytes, and a million findings should not carry a hundred
	 * thousand empty slots
	 */
	while (ncap < need) {
		size_t bytes = size ? ncap * size : 0;

		if (ncap > SIZE_MAX / 2)
			die_oom();
		if (bytes >= ((size_t)32 << 20) && ncap >= 32)
			ncap += ncap / 32;
		else if (bytes >= ((size_t)1 << 20) && ncap >= 8)
			ncap += ncap / 8;
		else
			ncap *= 2;
	}
	if (size && ncap > SIZE_MAX / size)
		die_oom();
	*arr = gws_xrealloc(*cap ? *arr : NULL, ncap * size);
	*cap = ncap;
}

/**
 * gws_buf_init() - start an empty buffer; it needs no memory until used
 * @b: the buffer
 */
void gws_buf_init(struct gws_buf *b)
{
	b->data = empty_buf;
	b->len = 0;
	b->cap = 0;
}

/**
 * gws_buf_release() - free the buffer's memory and leave it empty
 * @b: the buffer, or NULL
 */
void gws_buf_release(struct gws_buf *b)
{
	if (!b)
		return;
	if (b->cap)
		free(b->data);
	gws_buf_init(b);
}

static void buf_reserve(struct gws_buf *b, size_t extra)
{
	void *p = b->data;

	if (extra >= SIZE_MAX - b->len)
		die_oom();
	gws_grow(&p, &b->cap, b->len + extra + 1, 1);
	b->data = p;
}

/**
 * gws_buf_add() - append @n bytes (which may hold NULs)
 * @b: the buffer
 * @p: bytes to append
 * @n: how many
 */
void gws_buf_add(struct gws_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (n >= b->cap - b->len)	/* (cap > len once there is data) */
		buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/**
 * gws_buf_adds() - append a string
 * @b: the buffer
 * @s: the string
 */
void gws_buf_adds(struct gws_buf *b, const char *s)
{
	gws_buf_add(b, s, strlen(s));
}

/**
 * gws_buf_addc() - append one byte
 * @b: the buffer
 * @c: the byte
 */
void gws_buf_addc(struct gws_buf *b, char c)
{
	gws_buf_add(b, &c, 1);
}

/**
 * gws_buf_addf() - append formatted text
 * @b: the buffer
 * @fmt: printf format
 */
void gws_buf_addf(struct gws_buf *b, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		die_oom();
	buf_reserve(b, (size_t)len);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)len + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)len;
}

/**
 * gws_buf_detach() - take the buffer's data; the buffer is left empty
 * @b: the buffer
 * @len: if not NULL, set to the data length
 *
 * Returns: NUL-terminated data (never NULL); the caller frees it.
 */
char *gws_buf_detach(struct gws_buf *b, size_t *len)
{
	char *p = b->cap ? b->data : gws_xcalloc(1, 1);

	if (len)
		*len = b->len;
	gws_buf_init(b);
	return p;
}

/* gws_sort()'s comparison, for the pointer comparison: qsort has no arg */
static _Thread_local int (*sort_cmp)(const void *, const void *);

static int cmp_pointees(const void *a, const void *b)
{
	return sort_cmp(*(const void *const *)a, *(const void *const *)b);
}

void gws_sort(void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *))
{
	char *b = base, *tmp;
	void **ptrs;
	size_t *from, i, j, k;

	if (n * size < ((size_t)1 << 20) || size <= 2 * sizeof(void *)) {
		qsort(base, n, size, cmp);
		return;
	}
	ptrs = gws_xmalloc(n * sizeof(*ptrs));
	for (i = 0; i < n; i++)
		ptrs[i] = b + i * size;
	sort_cmp = cmp;
	qsort(ptrs, n, sizeof(*ptrs), cmp_pointees);
	from = (size_t *)ptrs;	/* slot i takes the item now at from[i] */
	for (i = 0; i < n; i++)
		from[i] = (size_t)((char *)ptrs[i] - b) / size;
	/* move the items along each cycle of the permutation, one spare */
	tmp = gws_xmalloc(size);
	for (i = 0; i < n; i++) {
		if (from[i] == i)
			continue;
		memcpy(tmp, b + i * size, size);
		for (j = i; (k = from[j]) != i; j = k) {
			memcpy(b + j * size, b + k * size, size);
			from[j] = j;
		}
		memcpy(b + j * size, tmp, size);
		from[j] = j;
	}
	free(tmp);
	free(ptrs);
}

size_t gws_hash(const char *s, size_t len)
{
	size_t h = 14695981039346656037u;	/* FNV-1a */

	while (len--)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

/**
 * gws_streq() - NULL-safe string equality
 * @a: string or NULL
 * @b: string or NULL
 *
 * Returns: true if both are NULL or both are equal strings.
 */
bool gws_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/**
 * gws_strcmp_null() - strcmp() that orders NULL before every string
 * @a: string or NULL
 * @b: string or NULL
 *
 * Returns: <0, 0 or >0 like strcmp().
 */
int gws_strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}
