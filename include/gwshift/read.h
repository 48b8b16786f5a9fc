/* read.h - read inputs (files, folders, stdin; YAML or JSON) into the model */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_READ_H
#define GWS_READ_H

#include "gwshift/diag.h"
#include "gwshift/model.h"

/* struct gws_inputs - the sources of a run; owns them */
struct gws_inputs {
	struct gws_src **srcs;
	size_t n;
	size_t cap;
};

void gws_inputs_init(struct gws_inputs *in);
void gws_inputs_release(struct gws_inputs *in);

/*
 * gws_read_paths() - read every path in @paths ("-" is stdin; folders are
 * walked recursively for *.yaml, *.yml and *.json, in name order) and add
 * every object to @m. Sources are kept in @in for diagnostics.
 * Returns: GWS_EXIT_OK, GWS_EXIT_INPUT if any input was malformed (each
 * error diagnosed), or GWS_EXIT_IO if a file could not be read.
 */
int gws_read_paths(struct gws_inputs *in, struct gws_model *m,
		   char *const *paths, size_t npaths);

/*
 * gws_read_buffer() - parse @src (already in memory) and add its objects
 * to @m. Returns: as gws_read_paths().
 */
int gws_read_buffer(const struct gws_src *src, struct gws_model *m);

#endif
