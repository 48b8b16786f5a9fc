/* diag.h - source positions, error messages and exit codes */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_DIAG_H
#define GWS_DIAG_H

#include <stddef.h>
#include <stdio.h>
#include "gwshift/util.h"

/* enum gws_exit - the process exit codes, documented in docs/cli.md */
enum gws_exit {
	GWS_EXIT_OK = 0,	/* success */
	GWS_EXIT_FINDINGS = 1,	/* --strict and a not-converted finding */
	GWS_EXIT_USAGE = 2,	/* bad command line */
	GWS_EXIT_INPUT = 3,	/* an input could not be read as Kubernetes objects */
	GWS_EXIT_IO = 4,	/* reading or writing a file failed */
};

/* struct gws_src - one input file held in memory for the whole run */
struct gws_src {
	char *name;		/* as given on the command line, "<stdin>" for - */
	char *data;		/* NUL-terminated */
	size_t len;
	size_t mapped;		/* data is a mapping of this many bytes, or 0 */
	/* a part of @whole read alone: its marks count lines from @line0 */
	const struct gws_src *whole;
	int line0;
};

/* struct gws_pos - a place in an input: 1-based line and column */
struct gws_pos {
	const struct gws_src *src;
	int line;
	int col;
};

/*
 * gws_diag() - print "file:line:col: @severity: message" to stderr, then the
 * source line and a caret under the column when the source is known.
 */
void gws_diag(const struct gws_pos *pos, const char *severity,
	      const char *fmt, ...) GWS_PRINTF(3, 4);
void gws_vdiag(const struct gws_pos *pos, const char *severity,
	       const char *fmt, va_list ap) GWS_PRINTF(3, 0);

/* gws_diag_plain() - "gwshift: @severity: message" for errors with no place */
void gws_diag_plain(const char *severity, const char *fmt, ...)
	GWS_PRINTF(2, 3);

/*
 * gws_diag_set_stream() - send the diagnostics of the calling thread to
 * @fp instead of stderr (NULL: stderr again). Lets worker threads collect
 * their messages and print them in a fixed order.
 * Returns: the stream used before (NULL for stderr); the caller keeps
 * ownership of @fp.
 */
FILE *gws_diag_set_stream(FILE *fp);

/* gws_diag_puts() - print @text, diagnostics collected on another stream */
void gws_diag_puts(const char *text);

/*
 * How much of an input value a message quotes. GWS_QUOTE_MAX: a value
 * quoted in a line (a name, an annotation value); a name of any length
 * Kubernetes allows (253) shows whole. GWS_QUOTE_BLOCK_MAX: a value quoted
 * as a block of text for the reader to act on (a snippet's content).
 */
#define GWS_QUOTE_MAX 256
#define GWS_QUOTE_BLOCK_MAX 4096
/* GWS_CUT_SIZE() - the room gws_cut() needs for a cut at @max bytes */
#define GWS_CUT_SIZE(max) \
	((max) + sizeof("... (18446744073709551615 more bytes)"))

/**
 * gws_cut() - a value as a message quotes it
 * @buf: room for the cut value: GWS_CUT_SIZE(@max) bytes
 * @max: the most bytes of @s to quote
 * @s: the value, NUL-terminated
 *
 * A value of at most @max bytes is quoted whole. A longer one is cut after
 * its last whole UTF-8 character within @max bytes and followed by
 * "... (N more bytes)", so a 100 MB value gives a short message.
 *
 * Returns: @s, or @buf holding the cut value; nothing to free.
 */
const char *gws_cut(char *buf, size_t max, const char *s);

#endif
