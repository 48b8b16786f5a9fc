/* read_internal.h - between the reader (read.c) and its List splitter */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_READ_INTERNAL_H
#define GWS_READ_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "gwshift/diag.h"
#include "gwshift/model.h"

/*
 * rd_read_part() - read the @want items of a List of @src that @len bytes
 * at @text hold into @m, as reading the whole would (gws_model_add(), in
 * order). @text is "items:", the lines of the items, then (@last) the
 * List's keys after its items, or else the first line of the next item,
 * so that each item ends as it ends in the whole (that next item is read,
 * not kept). Prints nothing of its own: a part that is not
 * those items alone (aliases, anchors, duplicate keys, a syntax error,
 * too deep, another count) fails, for the reader of the whole to say what
 * is wrong.
 * Returns: 0, or -1 if it failed (@m then has some of it)
 */
int rd_read_part(const struct gws_src *src, const char *text, size_t len,
		 struct gws_model *m, size_t want, bool last);

/*
 * rd_read_split() - read the items of a kubectl List in @src into @m on
 * @threads threads, parts of about @part_bytes (0: chosen by size) at once.
 * Returns: true if @src is read; false if it must be read whole, from its
 * start, skipping the first *@done items of its List (read already)
 */
bool rd_read_split(const struct gws_src *src, struct gws_model *m,
		   unsigned threads, size_t part_bytes, size_t *done);

struct fy_diag;

bool rd_list_kind(const char *kind);
struct fy_diag *rd_quiet_diag(void);
size_t rd_forget(const struct gws_src *src, size_t from, size_t off);
/* rd_forget_all() - give back every page of a mapped @src */
void rd_forget_all(const struct gws_src *src);

#endif
