/* pool.c - interned strings: each distinct string stored once */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "gwshift/pool.h"
#include "gwshift/util.h"
#include "banned.h"

#define BLOCK ((size_t)64 << 10)

void gws_pool_init(struct gws_pool *p)
{
	memset(p, 0, sizeof(*p));
}

void gws_pool_release(struct gws_pool *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nblocks; i++)
		free(p->blocks[i]);
	free(p->blocks);
	free(p->slots);
	memset(p, 0, sizeof(*p));
}

/* room for @len bytes: in the current block, a new one, or one of its own */
static char *take(struct gws_pool *p, size_t len)
{
	char *mem;

	if (p->block && p->size - p->used >= len) {
		mem = p->block + p->used;
		p->used += len;
		return mem;
	}
	mem = gws_xmalloc(len > BLOCK / 4 ? len : BLOCK);
	gws_grow((void **)&p->blocks, &p->blocks_cap, p->nblocks + 1,
		 sizeof(*p->blocks));
	p->blocks[p->nblocks++] = mem;
	if (len <= BLOCK / 4) {		/* a large string keeps its block */
		p->block = mem;
		p->size = BLOCK;
		p->used = len;
	}
	return mem;
}

static void rehash(struct gws_pool *p)
{
	size_t n = p->nslots ? 2 * p->nslots : 1024, i, j;
	const char **slots = gws_xcalloc(n, sizeof(*slots));

	for (i = 0; i < p->nslots; i++) {
		if (!p->slots[i])
			continue;
		j = gws_hash(p->slots[i], strlen(p->slots[i])) & (n - 1);
		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = p->slots[i];
	}
	free(p->slots);
	p->slots = slots;
	p->nslots = n;
}

const char *gws_pool_intern(struct gws_pool *p, const char *s)
{
	size_t len, i;
	char *copy;

	if (!s)
		return NULL;
	if (2 * (p->n + 1) > p->nslots)
		rehash(p);
	len = strlen(s);
	for (i = gws_hash(s, len) & (p->nslots - 1); p->slots[i];
	     i = (i + 1) & (p->nslots - 1))
		if (!strcmp(p->slots[i], s))
			return p->slots[i];
	copy = memcpy(take(p, len + 1), s, len + 1);
	p->slots[i] = copy;
	p->n++;
	return copy;
}
