/* rewrite.c - one manifest migrated in memory, as a repo of that one file */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "banned.h"

struct mig_repo *mig_rewrite_text(const struct gws_mapping_set *maps,
				  const struct gws_map_opts *opts,
				  const char *name, const char *data,
				  size_t len)
{
	struct mig_repo *r = gws_xcalloc(1, sizeof(*r));
	struct mig_file *f = gws_xcalloc(1, sizeof(*f));
	struct mig_loader *ld;

	gws_report_init(&r->rep);
	gws_model_init(&r->m, &r->rep);
	gws_output_init(&r->out);
	r->root = gws_xstrdup(".");
	r->prefix = gws_xstrdup("");
	r->files = gws_xcalloc(1, sizeof(*r->files));
	r->files[0] = f;
	r->n = r->cap = 1;
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
	ld = mig_loader_create(r);
	mig_load(ld, f);
	mig_loader_finish(ld);
	if (r->m.ningresses && mig_plan(r, maps, opts) == 0 && mig_edits(f))
		mig_build(f);
	return r;
}
