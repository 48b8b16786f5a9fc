/* write.h - deterministic YAML and JSON output, atomic file trees */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_WRITE_H
#define GWS_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include "gwshift/util.h"
#include "gwshift/val.h"

enum gws_format {
	GWS_FORMAT_YAML,
	GWS_FORMAT_JSON,
};

/*
 * gws_yaml_plain_ok() - the quoting rule: true when @s can be written as a
 * plain YAML scalar and is read back as the same string by YAML 1.1
 * (kubectl, libyaml) and YAML 1.2 (libfyaml) readers alike. Every string
 * the writer emits goes through this one function.
 */
bool gws_yaml_plain_ok(const char *s);

/*
 * gws_write_docs() - append @n documents to @out: YAML documents each
 * preceded by "---\n" when @fmt is GWS_FORMAT_YAML; with GWS_FORMAT_JSON,
 * one JSON object {"apiVersion": "v1", "kind": "List", "items": [...]}
 * (indented by 2, trailing newline). Block style, 2-space indent, sequences
 * indented under their key as kubectl writes them.
 * Returns: 0, or -1 if the emitter failed.
 */
int gws_write_docs(struct gws_buf *out, struct gws_val *const *docs, size_t n,
		   enum gws_format fmt);

/*
 * gws_write_yaml_doc() - @doc as one YAML document appended to @out, as
 * gws_write_docs() writes it; a failure's message goes to @errs, not to
 * stderr (for threads: printed later, in order). Returns: 0 or -1.
 */
int gws_write_yaml_doc(struct gws_buf *out, struct gws_val *doc,
		       struct gws_buf *errs);

/* struct gws_file - one file of an output tree: relative path and content */
struct gws_file {
	char *path;		/* relative to the tree root, '/'-separated */
	char *data;		/* NULL: the @len bytes at @off of file @fd */
	size_t len;
	int fd;
	long long off;
};

/*
 * gws_write_tree() - write @n files below @dir atomically: each file goes to
 * a temporary name in its final folder, and only when every file is written
 * are all renamed into place; on any error every temporary file is removed
 * and nothing else is left (folders created for it are removed when empty).
 * @dir is created if missing. Paths must be relative without ".." parts.
 * On error prints "gwshift: error: ..." to stderr with the path and errno text.
 * Returns: 0, or -1 on an I/O error.
 */
int gws_write_tree(const char *dir, const struct gws_file *files, size_t n);

/*
 * gws_write_file_atomic() - write one file through a temporary name and
 * rename; on error nothing is left. Returns: 0, or -1 (message printed).
 */
int gws_write_file_atomic(const char *path, const char *data, size_t len);

#endif
