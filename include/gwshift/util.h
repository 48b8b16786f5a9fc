/* util.h - allocation that never returns NULL, growable buffers */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_UTIL_H
#define GWS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define GWS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define GWS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * gws_xmalloc() and friends abort the program with a message when memory
 * runs out; they never return NULL. The caller frees the result with free().
 */
void *gws_xmalloc(size_t n);
void *gws_xcalloc(size_t n, size_t size);
void *gws_xrealloc(void *p, size_t n);
char *gws_xstrdup(const char *s);
char *gws_xstrndup(const char *s, size_t n);
char *gws_xasprintf(const char *fmt, ...) GWS_PRINTF(1, 2);
char *gws_xvasprintf(const char *fmt, va_list ap) GWS_PRINTF(1, 0);

/*
 * gws_grow() - make room for @need elements in an array of @size-byte
 * elements at *@arr holding *@cap; doubles the capacity (from one), and
 * grows it by an eighth once the array takes a megabyte, by a 32nd past
 * 32 MB.
 */
void gws_grow(void **arr, size_t *cap, size_t need, size_t size);

/* struct gws_buf - a growable byte buffer, always NUL-terminated */
struct gws_buf {
	char *data;
	size_t len;
	size_t cap;
};

void gws_buf_init(struct gws_buf *b);
void gws_buf_release(struct gws_buf *b);
void gws_buf_add(struct gws_buf *b, const void *p, size_t n);
void gws_buf_adds(struct gws_buf *b, const char *s);
void gws_buf_addc(struct gws_buf *b, char c);
void gws_buf_addf(struct gws_buf *b, const char *fmt, ...) GWS_PRINTF(2, 3);
/* gws_buf_detach() - hand the data to the caller, who frees it */
char *gws_buf_detach(struct gws_buf *b, size_t *len);

/* gws_streq() - NULL-safe string equality */
bool gws_streq(const char *a, const char *b);
/* gws_strcmp_null() - strcmp that orders NULL first */
int gws_strcmp_null(const char *a, const char *b);
/*
 * gws_sort() - qsort() for large arrays of large items: glibc's qsort
 * takes a copy of the whole array; this sorts pointers to the items and
 * then moves them in place, so it needs two pointers an item. Ties keep
 * the order qsort() gives them.
 */
void gws_sort(void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *));
/* gws_hash() - FNV-1a hash of @len bytes at @s, for hash tables */
size_t gws_hash(const char *s, size_t len);

#endif
