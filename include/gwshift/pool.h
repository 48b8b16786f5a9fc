/* pool.h - interned strings: each distinct string stored once */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_POOL_H
#define GWS_POOL_H

#include <stddef.h>

/*
 * struct gws_pool - a set of strings kept until the pool is released,
 * each stored once in large blocks: a million findings that name the same
 * few hundred fields and messages cost a pointer each, not a malloc each.
 * Not thread-safe.
 */
struct gws_pool {
	const char **slots;	/* open addressing, NULL: empty */
	size_t nslots;		/* a power of two, or 0 */
	size_t n;
	char *block;		/* the block being filled */
	size_t used;		/* bytes of it taken */
	size_t size;
	char **blocks;		/* every block, to free them */
	size_t nblocks;
	size_t blocks_cap;
};

void gws_pool_init(struct gws_pool *p);
void gws_pool_release(struct gws_pool *p);
/*
 * gws_pool_intern() - the pool's copy of @s (NUL-terminated), made if it
 * is not there yet. Returns: a string that lives as long as @p; NULL for
 * NULL.
 */
const char *gws_pool_intern(struct gws_pool *p, const char *s);

#endif
