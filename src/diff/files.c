/* files.c - find and read the files of --against: files, folders, stdin */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "banned.h"

#define MAX_INPUT_BYTES ((size_t)1 << 31)

static int io_error(const char *path, int err)
{
	gws_diag_plain("error", "cannot read '%s': %s", path, strerror(err));
	return GWS_EXIT_IO;
}

/* read all of @fd into @b; Returns: 0, or an errno value */
static int slurp(int fd, struct gws_buf *b)
{
	char chunk[65536];
	ssize_t got;

	for (;;) {
		got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return errno;
		if (got == 0)
			return 0;
		if (b->len + (size_t)got > MAX_INPUT_BYTES)
			return EFBIG;
		gws_buf_add(b, chunk, (size_t)got);
	}
}

/* keep @b as a source of @ex (it takes the data) and load it */
static int load_source(struct gws_diff_existing *ex, const char *name,
		       struct gws_buf *b)
{
	struct gws_inputs *in = &ex->in;
	struct gws_src *src = gws_xcalloc(1, sizeof(*src));

	src->name = gws_xstrdup(name);
	src->data = gws_buf_detach(b, &src->len);
	gws_grow((void **)&in->srcs, &in->cap, in->n + 1, sizeof(*in->srcs));
	in->srcs[in->n++] = src;
	return gws_diff_load_buffer(ex, src);
}

static int read_one(struct gws_diff_existing *ex, const char *path)
{
	bool is_stdin = !strcmp(path, "-");
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	struct gws_buf b;
	int err;

	if (fd < 0)
		return io_error(path, errno);
	gws_buf_init(&b);
	err = slurp(fd, &b);
	if (!is_stdin)
		close(fd);
	if (err) {
		gws_buf_release(&b);
		return io_error(path, err);
	}
	return load_source(ex, is_stdin ? "<stdin>" : path, &b);
}

static int read_to_existing(void *arg, const char *path)
{
	return read_one(arg, path);
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
	return gws_read_walk(paths, npaths, read_to_existing, ex);
}
