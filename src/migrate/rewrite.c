/* rewrite.c - one manifest migrated in memory, as a repo of that one file */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "banned.h"

/* a file of @r with @len bytes at @data, scanned and loaded */
static struct mig_file *add_text(struct mig_repo *r, struct mig_loader *ld,
				 const char *name, const char *data,
				 size_t len)
{
	struct mig_file *f = gws_xcalloc(1, sizeof(*f));

	r->files = gws_xrealloc(r->files, (r->n + 1) * sizeof(*r->files));
	r->files[r->n++] = f;
	r->cap = r->n;
	f->rel = gws_xstrdup(name);
	f->path = gws_xstrdup(name);
	f->src.name = f->path;
	f->src.data = gws_xmalloc(len + 1);
	if (len)
		memcpy(f->src.data, data, len);
	f->src.data[len] = '\0';
	f->src.len = len;
	f->mode = S_IFREG | 0644;
	f->walked = f->exists = true;
	mig_scan_text(f);
	mig_load(ld, f);
	return f;
}

struct mig_repo *mig_rewrite_texts(const struct gws_mapping_set *maps,
				   const struct gws_map_opts *opts,
				   const char *name, const char *data,
				   size_t len, const char *other_name,
				   const char *other)
{
	struct mig_repo *r = gws_xcalloc(1, sizeof(*r));
	struct mig_loader *ld;
	struct mig_file *f;

	gws_report_init(&r->rep);
	gws_model_init(&r->m, &r->rep);
	gws_output_init(&r->out);
	r->root = gws_xstrdup(".");
	r->prefix = gws_xstrdup("");
	ld = mig_loader_create(r);
	f = add_text(r, ld, name, data, len);
	if (other)
		add_text(r, ld, other_name, other, strlen(other));
	mig_loader_finish(ld);
	if (r->m.ningresses && mig_plan(r, maps, opts) == 0 && mig_edits(f))
		mig_build(f);
	return r;
}

struct mig_repo *mig_rewrite_text(const struct gws_mapping_set *maps,
				  const struct gws_map_opts *opts,
				  const char *name, const char *data,
				  size_t len)
{
	return mig_rewrite_texts(maps, opts, name, data, len, NULL, NULL);
}
