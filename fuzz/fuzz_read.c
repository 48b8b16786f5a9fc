/* fuzz_read.c - libFuzzer target: bytes -> reader -> model */
/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gwshift/model.h"
#include "gwshift/read.h"
#include "gwshift/report.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct read {
	struct gws_report rep;
	struct gws_model m;
	int rc;
	char *diag;		/* what it printed */
	size_t len;
};

/* read @src into @r, its diagnostics kept; @split: in parts on threads */
static void read_once(struct gws_src *src, struct read *r, bool split)
{
	FILE *fp = open_memstream(&r->diag, &r->len), *was;

	if (!fp)
		abort();
	if (split)
		setenv("GWSHIFT_TEST_SPLIT", "1", 1);
	was = gws_diag_set_stream(fp);
	gws_report_init(&r->rep);
	gws_model_init(&r->m, &r->rep);
	r->rc = gws_read_buffer(src, &r->m);
	gws_diag_set_stream(was);
	fclose(fp);
	unsetenv("GWSHIFT_TEST_SPLIT");
}

static void read_release(struct read *r)
{
	gws_model_release(&r->m);
	gws_report_release(&r->rep);
	free(r->diag);
}

/*
 * One input is one file: gws_read_buffer() parses it (YAML, or JSON when it
 * starts with '{' or '['), the model copies every object, and
 * gws_model_finish() sorts them and looks for duplicates. The buffer is
 * NUL-terminated as gws_read_paths() leaves it. It is read a second time
 * with a List cut into parts of one item read on threads (read_split.c),
 * which must give the same objects, findings and diagnostics.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char name[] = "fuzz.yaml";
	struct gws_src src = { name, NULL, size, 0, NULL, 0 };
	struct read one, parts;

	src.data = gws_xmalloc(size + 1);
	if (size)
		memcpy(src.data, data, size);
	src.data[size] = '\0';
	read_once(&src, &one, false);
	read_once(&src, &parts, true);
	if (one.rc != parts.rc || one.len != parts.len ||
	    memcmp(one.diag, parts.diag, one.len) != 0 ||
	    one.m.errors != parts.m.errors ||
	    one.m.ningresses != parts.m.ningresses ||
	    one.m.nservices != parts.m.nservices ||
	    one.m.nclasses != parts.m.nclasses ||
	    one.m.nconfigmaps != parts.m.nconfigmaps ||
	    one.rep.n != parts.rep.n ||
	    one.rep.objects_in != parts.rep.objects_in ||
	    one.rep.nother != parts.rep.nother)
	{
		fprintf(stderr, "fuzz_read: read in parts: rc %d/%d, errors "
			"%zu/%zu, Ingresses %zu/%zu, findings %zu/%zu, objects "
			"%zu/%zu, diagnostics:\n%s\n---- in parts:\n%s\n",
			one.rc, parts.rc, one.m.errors, parts.m.errors,
			one.m.ningresses, parts.m.ningresses, one.rep.n,
			parts.rep.n, one.rep.objects_in, parts.rep.objects_in,
			one.diag, parts.diag);
		abort();	/* reading in parts changed what was read */
	}
	if (one.rc == GWS_EXIT_OK)
		(void)gws_model_finish(&one.m);
	read_release(&one);
	read_release(&parts);
	free(src.data);
	return 0;
}
