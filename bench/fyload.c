/* fyload.c - the benchmark's baseline: libfyaml loads every document of a file */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libfyaml.h>

/*
 * usage: fyload FILE
 *
 * Does what gwshift's reader does before its own work starts: reads FILE
 * into memory, then loads each document with libfyaml as a tree (YAML
 * mode, or JSON for *.json) and frees it. Prints the documents loaded and
 * the seconds it took (reading included) on one line. Exit 1 if the file
 * cannot be read or parsed.
 */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* read all of @path; Returns: the bytes (caller frees) or NULL */
static char *slurp(const char *path, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap), *p;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf)
		goto fail;
	for (;;) {
		if (n == cap) {
			p = realloc(buf, cap * 2);
			if (!p)
				goto fail;
			buf = p;
			cap *= 2;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			goto fail;
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	*len = n;
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	struct fy_parse_cfg cfg;
	struct fy_parser *fyp = NULL;
	struct fy_document *fyd;
	const char *ext;
	double t0;
	size_t len = 0, docs = 0;
	char *data;
	int rc = 1;

	if (argc != 2) {
		fputs("usage: fyload FILE\n", stderr);
		return 2;
	}
	t0 = now();
	data = slurp(argv[1], &len);
	if (!data) {
		fprintf(stderr, "fyload: cannot read '%s': %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	ext = strrchr(argv[1], '.');
	memset(&cfg, 0, sizeof(cfg));
	cfg.flags = FYPCF_QUIET | (ext && !strcmp(ext, ".json") ?
				   FYPCF_JSON_FORCE : FYPCF_JSON_NONE);
	fyp = fy_parser_create(&cfg);
	if (!fyp || fy_parser_set_string(fyp, data, len) != 0)
		goto out;
	while ((fyd = fy_parse_load_document(fyp)) != NULL) {
		docs++;
		fy_parse_document_destroy(fyp, fyd);
	}
	if (fy_parser_get_stream_error(fyp)) {
		fprintf(stderr, "fyload: '%s' is not well-formed\n", argv[1]);
		goto out;
	}
	printf("%zu documents %.3f s\n", docs, now() - t0);
	rc = 0;
out:
	fy_parser_destroy(fyp);
	free(data);
	return rc;
}
