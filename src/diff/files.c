/* files.c - find and read the files of --against: files, folders, stdin */
/* SPDX-License-Identifier: MIT */
#include "internal.h"
#include "banned.h"

/* one file (or stdin) of --against, kept in @arg's sources and loaded */
static int read_one(void *arg, const char *path)
{
	struct gws_diff_existing *ex = arg;
	struct gws_src *src = gws_read_source(&ex->in, path);

	return src ? gws_diff_load_buffer(ex, src) : GWS_EXIT_IO;
}

/**
 * gws_diff_load_paths() - read the existing objects of --against
 * @ex: where they go
 * @paths: files, folders (walked recursively for *.yaml, *.yml and *.json
 *	   in name order; hidden entries and symbolic links skipped) or "-"
 * @npaths: how many
 *
 * Every path is read, so that every error is printed.
 * Returns: GWS_EXIT_OK, GWS_EXIT_INPUT or GWS_EXIT_IO.
 */
int gws_diff_load_paths(struct gws_diff_existing *ex, char *const *paths,
			size_t npaths)
{
	return gws_read_walk(paths, npaths, read_one, ex);
}
