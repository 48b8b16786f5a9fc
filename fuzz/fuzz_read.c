/* fuzz_read.c - libFuzzer target: bytes -> reader -> model */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gwshift/model.h"
#include "gwshift/read.h"
#include "gwshift/report.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * One input is one file: gws_read_buffer() parses it (YAML, or JSON when it
 * starts with '{' or '['), the model copies every object, and
 * gws_model_finish() sorts them and looks for duplicates. The buffer is
 * NUL-terminated as gws_read_paths() leaves it.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char name[] = "fuzz.yaml";
	struct gws_src src = { name, NULL, size, 0 };
	struct gws_report rep;
	struct gws_model m;

	src.data = gws_xmalloc(size + 1);
	if (size)
		memcpy(src.data, data, size);
	src.data[size] = '\0';
	gws_report_init(&rep);
	gws_model_init(&m, &rep);
	if (gws_read_buffer(&src, &m) == GWS_EXIT_OK)
		(void)gws_model_finish(&m);
	gws_model_release(&m);
	gws_report_release(&rep);
	free(src.data);
	return 0;
}
