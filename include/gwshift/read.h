/* read.h - read inputs (files, folders, stdin; YAML or JSON) into the model */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_READ_H
#define GWS_READ_H

#include "gwshift/diag.h"
#include "gwshift/model.h"

struct fy_document;
struct fy_parser;

/* struct gws_inputs - the sources of a run; owns them */
struct gws_inputs {
	struct gws_src **srcs;
	size_t n;
	size_t cap;
	unsigned threads;	/* read a large List on this many (0, 1: none) */
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
 * gws_read_source() - read @path ("-": stdin) into a source kept in @in
 * (a large file is mapped, see read.c). Returns: the source, or NULL with
 * the error printed ("cannot read ...").
 */
struct gws_src *gws_read_source(struct gws_inputs *in, const char *path);

/*
 * gws_read_walk() - call @one(@arg, file) for every path in @paths that is
 * a file or "-", and for every *.yaml, *.yml and *.json file below a folder
 * (recursively, in name order; hidden entries and symbolic links inside
 * folders skipped). A path that cannot be read is diagnosed. Every path is
 * walked, so that every error is printed.
 * Returns: the worst of @one's results and GWS_EXIT_IO (I/O outranks input).
 */
int gws_read_walk(char *const *paths, size_t npaths,
		  int (*one)(void *arg, const char *path), void *arg);

/*
 * gws_read_buffer() - parse @src (already in memory) and add its objects
 * to @m. Returns: as gws_read_paths().
 */
int gws_read_buffer(const struct gws_src *src, struct gws_model *m);

/*
 * gws_read_check_text() - @src must be UTF-8 text without NUL bytes.
 * Returns: 0, or -1 after a file:line:col diagnostic.
 */
int gws_read_check_text(const struct gws_src *src);

/*
 * gws_read_parser() - a libfyaml parser over @src->data (JSON mode for .json
 * names and input that starts with '{' or '['), collecting its errors
 * instead of printing them. @src must outlive the parser.
 * Returns: the parser, to be ended with gws_read_parser_done(); NULL if it
 * could not start (diagnosed).
 */
struct fy_parser *gws_read_parser(const struct gws_src *src);

/*
 * gws_read_parser_done() - print the parse errors of @fyp as file:line:col
 * diagnostics of @src, then destroy it (NULL is accepted).
 * Returns: the number of errors printed, 0 when the stream was well formed.
 */
size_t gws_read_parser_done(const struct gws_src *src, struct fy_parser *fyp);

/*
 * gws_read_resolve() - check and resolve the aliases of @fyd, a document
 * of @src loaded with fy_parse_load_document(): a document whose aliases
 * would expand it to more than twice its size (plus 10,000 nodes) is
 * refused, as is an alias with no anchor; else aliases are replaced by
 * copies of their anchors and merge keys ("<<") merged, as kubectl reads
 * it. Call it before reading a document that may hold aliases: the model
 * follows them, and a few kilobytes of nested aliases make billions of
 * nodes. Returns: 0, or -1 after a file:line:col diagnostic.
 */
int gws_read_resolve(const struct gws_src *src, struct fy_document *fyd);

#endif
