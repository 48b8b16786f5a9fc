/* reread.h - shared parts of gws-reread, the YAML 1.1/1.2 re-reader */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_RR_REREAD_H
#define GWS_RR_REREAD_H

#include <stdbool.h>
#include <stddef.h>

#define GWS_RR_PROG "gws-reread"
#define GWS_RR_TAG_STR "tag:yaml.org,2002:str"

/* gws_rr_realloc() - realloc() that exits on failure; never NULL */
void *gws_rr_realloc(void *p, size_t n);

/*
 * gws_rr_grow() - make room for @need elements of @size bytes in @arr,
 * holding *@cap. Returns: the (maybe moved) array; the caller frees it.
 */
void *gws_rr_grow(void *arr, size_t *cap, size_t need, size_t size);

/* struct gws_rr_buf - growable NUL-terminated text; zero-initialise */
struct gws_rr_buf {
	char *s;
	size_t len, cap;
};

void gws_rr_buf_add(struct gws_rr_buf *b, const char *p, size_t n);
void gws_rr_buf_adds(struct gws_rr_buf *b, const char *s);
void gws_rr_buf_addf(struct gws_rr_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* gws_rr_buf_detach() - Returns: the text (never NULL); the caller frees */
char *gws_rr_buf_detach(struct gws_rr_buf *b);

/* compile / free the YAML 1.1 and 1.2 resolution patterns */
void gws_rr_scalar_init(void);
void gws_rr_scalar_release(void);

/*
 * gws_rr_scalar() - the typed rendering of scalar @s (@n bytes) as YAML
 * @version (11 or 12) reads it: `str "on"`, `bool true`, `int 8`,
 * `float 1.1`, `null`. @plain: plain style; @tag: the explicit tag or NULL.
 * Returns: a string the caller frees.
 */
char *gws_rr_scalar(int version, const char *s, size_t n, bool plain,
		    const char *tag);

/* struct gws_rr_source - the input bytes and where each line starts */
struct gws_rr_source {
	unsigned char *buf;
	size_t len, bufcap;
	size_t *lines;
	size_t nlines, cap;
};

/* gws_rr_source_read() - read @path into zeroed @src; 0 or -1 (printed) */
int gws_rr_source_read(struct gws_rr_source *src, const char *path);
void gws_rr_source_release(struct gws_rr_source *src);
/* gws_rr_source_at() - byte offset of 0-based @line, @col (characters) */
size_t gws_rr_source_at(const struct gws_rr_source *src, size_t line,
			size_t col);
/* gws_rr_show_line() - print line @line of @path and a caret at @col */
void gws_rr_show_line(const char *path, int line, int col);

#endif
