/* diag.c - source positions, error messages and exit codes */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gwshift/diag.h"
#include "banned.h"

/* where this thread's diagnostics go; NULL: stderr */
static _Thread_local FILE *diag_fp;

FILE *gws_diag_set_stream(FILE *fp)
{
	FILE *old = diag_fp;

	diag_fp = fp;
	return old;
}

static FILE *diag_out(void)
{
	return diag_fp ? diag_fp : stderr;
}

void gws_diag_puts(const char *text)
{
	fputs(text, diag_out());
}

/* print the source line of @pos and a caret under its column */
static void show_source(const struct gws_pos *pos)
{
	const char *p = pos->src->data, *end = p + pos->src->len, *eol;
	FILE *fp = diag_out();
	int line = 1, col;

	while (p < end && line < pos->line) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			return;
		p = nl + 1;
		line++;
	}
	if (p >= end)
		return;
	eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	if (eol > p && eol[-1] == '\r')
		eol--;
	if (eol - p > 200)
		return;		/* minified JSON: the line says nothing */
	fprintf(fp, " %.*s\n ", (int)(eol - p), p);
	for (col = 1; col < pos->col && p + col - 1 < eol; col++)
		fputc(p[col - 1] == '\t' ? '\t' : ' ', fp);
	fputs("^\n", fp);
}

const char *gws_cut(char *buf, size_t max, const char *s)
{
	size_t len = strlen(s), n = max;

	if (len <= max)
		return s;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;	/* s[n] continues a character: cut before it */
	memcpy(buf, s, n);
	snprintf(buf + n, GWS_CUT_SIZE(max) - n, "... (%zu more bytes)",
		 len - n);
	return buf;
}

void gws_vdiag(const struct gws_pos *pos, const char *severity,
	       const char *fmt, va_list ap)
{
	FILE *fp = diag_out();
	char *msg;

	if (pos && pos->src)
		fprintf(fp, "%s:%d:%d: %s: ", pos->src->name, pos->line,
			pos->col, severity);
	else
		fprintf(fp, "gwshift: %s: ", severity);
	msg = gws_xvasprintf(fmt, ap);
	if (strlen(msg) > 4096) {	/* a 100 MB value: its head and the end */
		size_t len = strlen(msg), head = 2048, tail = len - 1024;

		/* cut between UTF-8 characters, never inside one */
		while (head && ((unsigned char)msg[head] & 0xc0) == 0x80)
			head--;
		while (((unsigned char)msg[tail] & 0xc0) == 0x80)
			tail++;
		fprintf(fp, "%.*s... (%zu bytes cut) ...%s", (int)head, msg,
			tail - head, msg + tail);
	} else {
		fputs(msg, fp);
	}
	free(msg);
	fputc('\n', fp);
	if (pos && pos->src && pos->src->data && pos->line > 0)
		show_source(pos);
}

void gws_diag(const struct gws_pos *pos, const char *severity,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gws_vdiag(pos, severity, fmt, ap);
	va_end(ap);
}

void gws_diag_plain(const char *severity, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gws_vdiag(NULL, severity, fmt, ap);
	va_end(ap);
}
