/* fuzz_convert.c - libFuzzer target: bytes -> the whole convert pipeline */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gwshift/cli.h"
#include "gwshift/map.h"
#include "gwshift/mappings.h"
#include "gwshift/model.h"
#include "gwshift/place.h"
#include "gwshift/read.h"
#include "gwshift/report.h"
#include "gwshift/write.h"
#include "options.h"
#include "banned.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* loaded once: the built-in tables do not depend on the input */
static struct gws_mapping_set maps;
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (gws_mappings_load(&maps, NULL) != 0)
		abort();
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

/* what convert writes: the --out-dir files, stdout, the report */
static void render(struct gws_output *out, struct gws_report *rep)
{
	static const enum gws_report_format fmts[] = {
		GWS_REPORT_TEXT, GWS_REPORT_MARKDOWN, GWS_REPORT_JSON,
	};
	struct gws_val **docs = gws_xcalloc(out->n + 1, sizeof(*docs));
	struct gws_tree tree = { 0 };
	struct gws_buf b;
	size_t i;

	for (i = 0; i < out->n; i++)
		docs[i] = out->objs[i].doc;
	gws_buf_init(&b);
	(void)gws_place(out, &tree);
	(void)gws_write_docs(&b, docs, out->n, GWS_FORMAT_YAML);
	(void)gws_write_docs(&b, docs, out->n, GWS_FORMAT_JSON);
	for (i = 0; i < GWS_ARRAY_SIZE(fmts); i++)
		gws_report_render(rep, fmts[i], &b);
	gws_report_summary(rep, devnull, 20);
	gws_buf_release(&b);
	gws_tree_release(&tree);
	free(docs);
}

/*
 * One input is one file, converted as gws_run_convert() and the convert
 * command do it, with every output kept in memory: nothing is written.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char name[] = "fuzz.yaml";
	struct gws_src src = { name, NULL, size, 0, NULL, 0 };
	struct gws_map_opts opts;
	struct gws_report rep;
	struct gws_model m;
	struct gws_output out;

	src.data = gws_xmalloc(size + 1);
	if (size)
		memcpy(src.data, data, size);
	src.data[size] = '\0';
	fuzz_pick_options(size, &opts);
	gws_report_init(&rep);
	gws_model_init(&m, &rep);
	gws_output_init(&out);
	if (gws_read_buffer(&src, &m) == GWS_EXIT_OK &&
	    gws_model_finish(&m) == 0 &&
	    gws_map_run(&m, &maps, &opts, &rep, &out) == 0) {
		gws_output_sort(&out);
		gws_report_sort(&rep);
		render(&out, &rep);
	}
	gws_output_release(&out);
	gws_model_release(&m);
	gws_report_release(&rep);
	free(src.data);
	return 0;
}
