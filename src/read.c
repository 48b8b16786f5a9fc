/* read.c - read inputs (files, folders, stdin; YAML or JSON) into the model */
/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfyaml.h>

#include "gwshift/read.h"
#include "banned.h"

#define MAX_INPUT_BYTES ((size_t)1 << 31)

void gws_inputs_init(struct gws_inputs *in)
{
	memset(in, 0, sizeof(*in));
}

void gws_inputs_release(struct gws_inputs *in)
{
	size_t i;

	if (!in)
		return;
	for (i = 0; i < in->n; i++) {
		free(in->srcs[i]->name);
		free(in->srcs[i]->data);
		free(in->srcs[i]);
	}
	free(in->srcs);
	memset(in, 0, sizeof(*in));
}

/* read all of @fd into @b; Returns: 0, or -1 with errno set */
static int slurp(int fd, struct gws_buf *b)
{
	char chunk[65536];
	ssize_t got;

	for (;;) {
		got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			return 0;
		if (b->len + (size_t)got > MAX_INPUT_BYTES) {
			errno = EFBIG;
			return -1;
		}
		gws_buf_add(b, chunk, (size_t)got);
	}
}

static struct gws_src *add_src(struct gws_inputs *in, const char *name,
			       struct gws_buf *b)
{
	struct gws_src *src = gws_xcalloc(1, sizeof(*src));

	src->name = gws_xstrdup(name);
	src->data = gws_buf_detach(b, &src->len);
	gws_grow((void **)&in->srcs, &in->cap, in->n + 1, sizeof(*in->srcs));
	in->srcs[in->n++] = src;
	return src;
}

/* line and column (1-based) of byte @off of @src */
static struct gws_pos pos_of_offset(const struct gws_src *src, size_t off)
{
	struct gws_pos pos = { src, 1, 1 };
	size_t i;

	for (i = 0; i < off && i < src->len; i++) {
		if (src->data[i] == '\n') {
			pos.line++;
			pos.col = 1;
		} else if (((unsigned char)src->data[i] & 0xc0) != 0x80) {
			pos.col++;
		}
	}
	return pos;
}

/* length of the UTF-8 sequence at @s (at most @n bytes), 0 if invalid */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* refuse input that is not UTF-8 text before the parser sees it */
static int check_text(const struct gws_src *src)
{
	const unsigned char *s = (const unsigned char *)src->data;
	size_t i = 0, len;
	struct gws_pos pos;

	while (i < src->len) {
		if (s[i] == 0) {
			pos = pos_of_offset(src, i);
			gws_diag(&pos, "error", "input has a NUL byte");
			return -1;
		}
		len = utf8_len(s + i, src->len - i);
		if (!len) {
			pos = pos_of_offset(src, i);
			gws_diag(&pos, "error",
				 "invalid UTF-8 byte 0x%02x", s[i]);
			return -1;
		}
		i += len;
	}
	return 0;
}

static bool looks_like_json(const struct gws_src *src)
{
	size_t i = 0;
	const char *ext = strrchr(src->name, '.');

	if (ext && !strcmp(ext, ".json"))
		return true;
	if (src->len >= 3 && !memcmp(src->data, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < src->len && strchr(" \t\r\n", src->data[i]))
		i++;
	return i < src->len && (src->data[i] == '{' || src->data[i] == '[');
}

/* print the parser's collected errors; Returns: how many */
static size_t report_parse_errors(const struct gws_src *src,
				  struct fy_parser *fyp)
{
	struct fy_diag *diag = fy_parser_get_diag(fyp);
	struct fy_diag_error *err;
	void *iter = NULL;
	size_t n = 0;

	while (diag && (err = fy_diag_errors_iterate(diag, &iter)) != NULL) {
		struct gws_pos pos = { src, err->line, err->column };

		if (err->type < FYET_ERROR)
			continue;
		gws_diag(&pos, "error", "%s", err->msg);
		n++;
	}
	if (diag)
		fy_diag_unref(diag);
	return n;
}

static void no_output(struct fy_diag *diag, void *user, const char *buf,
		      size_t len)
{
	(void)diag;
	(void)user;
	(void)buf;
	(void)len;
}

/* a diagnostic object that collects errors and prints nothing */
static struct fy_diag *quiet_diag(void)
{
	struct fy_diag_cfg dcfg;
	struct fy_diag *diag;

	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = no_output;
	dcfg.colorize = false;
	diag = fy_diag_create(&dcfg);
	if (diag)
		fy_diag_set_collect_errors(diag, true);
	return diag;
}

/* one document: a single object, or a List of them */
static void add_document(const struct gws_src *src, struct gws_model *m,
			 struct fy_node *root)
{
	struct fy_node *items, *item;
	const char *kind;
	void *iter = NULL;

	if (!root)
		return;
	kind = fy_node_is_mapping(root) ?
	       fy_node_mapping_lookup_scalar0_by_simple_key(root, "kind", 4) :
	       NULL;
	if (!kind || strcmp(kind, "List") != 0 ||
	    !(items = fy_node_mapping_lookup_by_string(root, "items", 5)) ||
	    !fy_node_is_sequence(items)) {
		gws_model_add(m, src, root);
		return;
	}
	while ((item = fy_node_sequence_iterate(items, &iter)) != NULL)
		gws_model_add(m, src, item);
}

int gws_read_buffer(const struct gws_src *src, struct gws_model *m)
{
	struct fy_parse_cfg cfg = { 0 };
	struct fy_parser *fyp = NULL;
	struct fy_diag *diag;
	struct fy_document *fyd;
	size_t errors_before = m->errors;
	int rc = GWS_EXIT_OK;

	if (check_text(src) < 0) {
		m->errors++;
		return GWS_EXIT_INPUT;
	}
	diag = quiet_diag();
	cfg.diag = diag;
	cfg.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG |
		    (looks_like_json(src) ? FYPCF_JSON_FORCE : FYPCF_JSON_NONE);
	fyp = diag ? fy_parser_create(&cfg) : NULL;
	if (!fyp || fy_parser_set_string(fyp, src->data, src->len) != 0) {
		gws_diag_plain("error", "cannot start the YAML parser");
		fy_parser_destroy(fyp);
		fy_diag_unref(diag);
		return GWS_EXIT_IO;
	}
	while ((fyd = fy_parse_load_document(fyp)) != NULL) {
		add_document(src, m, fy_document_root(fyd));
		fy_parse_document_destroy(fyp, fyd);
	}
	if (fy_parser_get_stream_error(fyp)) {
		size_t n = report_parse_errors(src, fyp);

		if (!n)
			gws_diag(&(struct gws_pos){ src, 1, 1 }, "error",
				 "cannot parse the input");
		m->errors++;
	}
	fy_parser_destroy(fyp);
	/* turning collection off frees the collected errors (to no_output) */
	fy_diag_set_collect_errors(diag, false);
	fy_diag_unref(diag);
	if (m->errors != errors_before)
		rc = GWS_EXIT_INPUT;
	return rc;
}

static int read_one(struct gws_inputs *in, struct gws_model *m,
		    const char *path)
{
	struct gws_buf b;
	int fd = 0, err;

	gws_buf_init(&b);
	if (strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			gws_diag_plain("error", "cannot read '%s': %s", path,
				       strerror(errno));
			gws_buf_release(&b);
			return GWS_EXIT_IO;
		}
	}
	err = slurp(fd, &b) < 0 ? errno : 0;
	if (fd > 0)
		close(fd);
	if (err) {
		gws_diag_plain("error", "cannot read '%s': %s", path,
			       strerror(err));
		gws_buf_release(&b);
		return GWS_EXIT_IO;
	}
	return gws_read_buffer(add_src(in, strcmp(path, "-") ? path : "<stdin>",
				       &b), m);
}

static bool wanted_file(const char *name)
{
	const char *ext = strrchr(name, '.');

	return ext && (!strcmp(ext, ".yaml") || !strcmp(ext, ".yml") ||
		       !strcmp(ext, ".json"));
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int worst(int a, int b)
{
	/* an I/O error outranks an input error */
	if (a == GWS_EXIT_IO || b == GWS_EXIT_IO)
		return GWS_EXIT_IO;
	return a ? a : b;
}

static int read_path(struct gws_inputs *in, struct gws_model *m,
		     const char *path, bool top);

static int read_dir(struct gws_inputs *in, struct gws_model *m,
		    const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = GWS_EXIT_OK;

	if (!dir) {
		gws_diag_plain("error", "cannot read '%s': %s", path,
			       strerror(errno));
		return GWS_EXIT_IO;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		gws_grow((void **)&names, &cap, n + 1, sizeof(*names));
		names[n++] = gws_xasprintf("%s/%s", path, de->d_name);
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		rc = worst(rc, read_path(in, m, names[i], false));
		free(names[i]);
	}
	free(names);
	return rc;
}

static int read_path(struct gws_inputs *in, struct gws_model *m,
		     const char *path, bool top)
{
	struct stat st;

	if (!strcmp(path, "-"))
		return read_one(in, m, path);
	if ((top ? stat(path, &st) : lstat(path, &st)) < 0) {
		gws_diag_plain("error", "cannot read '%s': %s", path,
			       strerror(errno));
		return GWS_EXIT_IO;
	}
	if (S_ISDIR(st.st_mode))
		return read_dir(in, m, path);
	if (!top && (!S_ISREG(st.st_mode) || !wanted_file(path)))
		return GWS_EXIT_OK;	/* links and other files in folders */
	return read_one(in, m, path);
}

int gws_read_paths(struct gws_inputs *in, struct gws_model *m,
		   char *const *paths, size_t npaths)
{
	int rc = GWS_EXIT_OK;
	size_t i;

	for (i = 0; i < npaths; i++)
		rc = worst(rc, read_path(in, m, paths[i], true));
	return rc;
}
