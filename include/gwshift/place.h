/* place.h - who owns each object: the output tree and its kustomizations */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_PLACE_H
#define GWS_PLACE_H

#include "gwshift/map.h"
#include "gwshift/write.h"

/* struct gws_tree - the files of an --out-dir tree; owns them */
struct gws_tree {
	struct gws_file *files;
	size_t n;
	size_t cap;
};

/*
 * gws_place() - lay out @out (sorted) as DIR/platform/<ns>/<kind>-<name>.yaml
 * for the platform role and DIR/apps/<ns>/... for app teams, with a
 * kustomization.yaml in every folder and at the top. The YAML texts of a
 * streamed @out (gws_output_stream()) move to @tree's files.
 * Returns: 0, or -1 if the writer failed (an object's text says why).
 */
int gws_place(const struct gws_output *out, struct gws_tree *tree);
void gws_tree_release(struct gws_tree *tree);

#endif
