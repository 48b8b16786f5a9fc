/* test_report.c - unit tests for findings and their reports (report.c) */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cJSON.h>

#include "gwshift/diag.h"
#include "gwshift/report.h"
#include "gwshift/util.h"

/* ---------------------------------------------------------------------
 * Fixture: a report and two sources its findings point to
 */

struct fixture {
	struct gws_report rep;
	struct gws_src a;	/* "a.yaml" */
	struct gws_src b;	/* "b.yaml" */
	struct gws_buf out;
};

static int setup(void **state)
{
	struct fixture *fx = gws_xcalloc(1, sizeof(*fx));

	gws_report_init(&fx->rep);
	fx->a.name = gws_xstrdup("a.yaml");
	fx->b.name = gws_xstrdup("b.yaml");
	gws_buf_init(&fx->out);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	gws_report_release(&fx->rep);
	free(fx->a.name);
	free(fx->b.name);
	gws_buf_release(&fx->out);
	free(fx);
	return 0;
}

static struct gws_pos at(const struct gws_src *src, int line, int col)
{
	struct gws_pos pos = { src, line, col };

	return pos;
}

/* ---------------------------------------------------------------------
 * Adding findings
 */

static void test_add_counts(void **state)
{
	struct fixture *fx = *state;
	struct gws_pos pos = at(&fx->a, 3, 5);
	static const enum gws_state states[] = {
		GWS_CONVERTED, GWS_CONVERTED, GWS_APPROXIMATED,
		GWS_NOT_CONVERTED, GWS_IGNORED, GWS_CONVERTED,
		GWS_TARGET_SPECIFIC, GWS_NOT_CONVERTED, GWS_IGNORED,
		GWS_IGNORED,
	};
	static const size_t want[GWS_STATE_COUNT] = { 3, 1, 1, 2, 3 };
	size_t i;
	int s;

	for (i = 0; i < GWS_ARRAY_SIZE(states); i++)
		gws_report_add(&fx->rep, states[i], &pos, "Ingress", "shop",
			       "web", "spec", "finding %zu", i);
	assert_int_equal(fx->rep.n, GWS_ARRAY_SIZE(states));
	for (s = 0; s < GWS_STATE_COUNT; s++)
		assert_int_equal(fx->rep.counts[s], want[s]);
	for (i = 0; i < fx->rep.n; i++) {
		const struct gws_finding *f = &fx->rep.items[i];
		char msg[32];

		snprintf(msg, sizeof(msg), "finding %zu", i);
		assert_int_equal(f->state, states[i]);
		assert_string_equal(f->message, msg);
		/* warnings are what needs a look: not converted, approximated */
		assert_int_equal(f->severity,
				 states[i] == GWS_NOT_CONVERTED ||
				 states[i] == GWS_APPROXIMATED ?
				 GWS_SEV_WARNING : GWS_SEV_INFO);
	}
}

static void test_add_copies(void **state)
{
	struct fixture *fx = *state;
	struct gws_pos pos = at(&fx->b, 7, 2);
	char kind[] = "Ingress", ns[] = "shop", name[] = "web";
	char field[] = "spec.rules[0].host", word[] = "value";
	const struct gws_finding *f;

	gws_report_add(&fx->rep, GWS_CONVERTED, &pos, kind, ns, name, field,
		       "the %s is '%s'", "host", word);
	/* the report keeps copies: the caller's strings may go */
	memset(kind, 'x', sizeof(kind) - 1);
	memset(ns, 'x', sizeof(ns) - 1);
	memset(name, 'x', sizeof(name) - 1);
	memset(field, 'x', sizeof(field) - 1);
	memset(word, 'x', sizeof(word) - 1);
	pos.line = 99;
	f = &fx->rep.items[0];
	assert_string_equal(f->kind, "Ingress");
	assert_string_equal(f->ns, "shop");
	assert_string_equal(f->name, "web");
	assert_string_equal(f->field, "spec.rules[0].host");
	assert_string_equal(f->message, "the host is 'value'");
	assert_ptr_equal(f->pos.src, &fx->b);
	assert_int_equal(f->pos.line, 7);
	assert_int_equal(f->pos.col, 2);
}

static void test_add_nulls(void **state)
{
	struct fixture *fx = *state;
	const struct gws_finding *f;

	gws_report_add(&fx->rep, GWS_APPROXIMATED, NULL, NULL, NULL, NULL,
		       NULL, "%s", "no place");
	f = &fx->rep.items[0];
	assert_null(f->pos.src);
	assert_int_equal(f->pos.line, 0);
	assert_string_equal(f->kind, "");
	assert_null(f->ns);	/* cluster objects have no namespace */
	assert_string_equal(f->name, "");
	assert_string_equal(f->field, "");
	assert_string_equal(f->message, "no place");
}

static void test_many(void **state)
{
	struct fixture *fx = *state;
	struct gws_pos pos = at(&fx->a, 1, 1);
	size_t i;

	for (i = 0; i < 5000; i++)
		gws_report_add(&fx->rep, (enum gws_state)(i % GWS_STATE_COUNT),
			       &pos, "Ingress", "ns", "n", "f", "%zu", i);
	assert_int_equal(fx->rep.n, 5000);
	assert_int_equal(fx->rep.counts[GWS_IGNORED], 1000);
	assert_string_equal(fx->rep.items[4999].message, "4999");
}

static void test_count_kind(void **state)
{
	struct fixture *fx = *state;

	gws_report_count_kind(&fx->rep, "ConfigMap");
	gws_report_count_kind(&fx->rep, "Secret");
	gws_report_count_kind(&fx->rep, "ConfigMap");
	assert_int_equal(fx->rep.nother, 2);
	assert_string_equal(fx->rep.other_kinds[0], "ConfigMap");
	assert_int_equal(fx->rep.other_counts[0], 2);
	assert_string_equal(fx->rep.other_kinds[1], "Secret");
	assert_int_equal(fx->rep.other_counts[1], 1);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(gws_state_name(GWS_CONVERTED), "converted");
	assert_string_equal(gws_state_name(GWS_APPROXIMATED), "approximated");
	assert_string_equal(gws_state_name(GWS_TARGET_SPECIFIC),
			    "target-specific");
	assert_string_equal(gws_state_name(GWS_NOT_CONVERTED), "not-converted");
	assert_string_equal(gws_state_name(GWS_IGNORED), "ignored");
}

/* ---------------------------------------------------------------------
 * Order: file, line, column, field (then message)
 */

static void test_sort(void **state)
{
	struct fixture *fx = *state;
	struct gws_pos p;
	static const char *const want[] = {
		"no place", "a 2:1", "a 2:9", "a 10:1 f-a", "a 10:1 f-b m1",
		"a 10:1 f-b m2", "b 1:1",
	};
	size_t i;

	p = at(&fx->b, 1, 1);
	gws_report_add(&fx->rep, GWS_CONVERTED, &p, "K", "n", "x", "f",
		       "b 1:1");
	p = at(&fx->a, 10, 1);
	gws_report_add(&fx->rep, GWS_CONVERTED, &p, "K", "n", "x", "f-b",
		       "a 10:1 f-b m2");
	gws_report_add(&fx->rep, GWS_CONVERTED, &p, "K", "n", "x", "f-b",
		       "a 10:1 f-b m1");
	gws_report_add(&fx->rep, GWS_CONVERTED, &p, "K", "n", "x", "f-a",
		       "a 10:1 f-a");
	p = at(&fx->a, 2, 9);
	gws_report_add(&fx->rep, GWS_CONVERTED, &p, "K", "n", "x", "a",
		       "a 2:9");
	p = at(&fx->a, 2, 1);
	gws_report_add(&fx->rep, GWS_CONVERTED, &p, "K", "n", "x", "z",
		       "a 2:1");
	gws_report_add(&fx->rep, GWS_IGNORED, NULL, "K", NULL, "x", "f",
		       "no place");
	gws_report_sort(&fx->rep);
	assert_int_equal(fx->rep.n, GWS_ARRAY_SIZE(want));
	for (i = 0; i < fx->rep.n; i++)
		assert_string_equal(fx->rep.items[i].message, want[i]);
	/* sorting again changes nothing; an empty report sorts too */
	gws_report_sort(&fx->rep);
	for (i = 0; i < fx->rep.n; i++)
		assert_string_equal(fx->rep.items[i].message, want[i]);
	gws_report_release(&fx->rep);
	gws_report_sort(&fx->rep);
	assert_int_equal(fx->rep.n, 0);
}

/* ---------------------------------------------------------------------
 * Rendering
 */

static void add_sample(struct fixture *fx)
{
	struct gws_pos p1 = at(&fx->a, 12, 7), p2 = at(&fx->b, 3, 1);

	fx->rep.objects_in = 4;
	fx->rep.ingresses = 2;
	fx->rep.objects_out = 5;
	gws_report_count_kind(&fx->rep, "ConfigMap");
	gws_report_add(&fx->rep, GWS_NOT_CONVERTED, &p1, "Ingress", "shop",
		       "web", "metadata.annotations['x/a|b']",
		       "annotation 'x/a|b' (value 'on|off') was not converted");
	gws_report_add(&fx->rep, GWS_CONVERTED, &p2, "Ingress", "blog",
		       "home", "spec.rules[0].host",
		       "host 'b.example.com' -> hostname");
	gws_report_add(&fx->rep, GWS_APPROXIMATED, NULL, "Gateway", NULL,
		       "nginx", "spec.listeners", "two\nlines");
}

static cJSON *field(const cJSON *obj, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v)
		fail_msg("no '%s' in the JSON report", key);
	return v;
}

static void assert_json_str(const cJSON *obj, const char *key,
			    const char *want)
{
	const cJSON *v = field(obj, key);

	assert_true(cJSON_IsString(v));
	assert_string_equal(v->valuestring, want);
}

static void assert_json_num(const cJSON *obj, const char *key, double want)
{
	const cJSON *v = field(obj, key);

	assert_true(cJSON_IsNumber(v));
	assert_true(v->valuedouble == want);
}

static void test_render_json(void **state)
{
	struct fixture *fx = *state;
	const cJSON *sum, *list, *f, *src;
	cJSON *root;

	add_sample(fx);
	gws_report_render(&fx->rep, GWS_REPORT_JSON, &fx->out);
	assert_true(fx->out.len > 0);
	assert_int_equal(fx->out.data[fx->out.len - 1], '\n');
	root = cJSON_Parse(fx->out.data);
	assert_non_null(root);
	sum = field(root, "summary");
	assert_json_num(sum, "converted", 1);
	assert_json_num(sum, "approximated", 1);
	assert_json_num(sum, "target-specific", 0);
	assert_json_num(sum, "not-converted", 1);
	assert_json_num(sum, "ignored", 0);
	assert_json_num(sum, "objects-read", 4);
	assert_json_num(sum, "ingresses", 2);
	assert_json_num(sum, "objects-generated", 5);
	assert_json_num(field(sum, "kinds-not-used"), "ConfigMap", 1);
	list = field(root, "findings");
	assert_true(cJSON_IsArray(list));
	assert_int_equal(cJSON_GetArraySize(list), 3);

	f = cJSON_GetArrayItem(list, 0);
	assert_json_str(f, "state", "not-converted");
	assert_json_str(f, "severity", "warning");
	assert_json_str(f, "message", "annotation 'x/a|b' (value 'on|off') "
			"was not converted");
	src = field(f, "source");
	assert_json_str(src, "file", "a.yaml");
	assert_json_num(src, "line", 12);
	assert_json_num(src, "column", 7);
	assert_json_str(src, "kind", "Ingress");
	assert_json_str(src, "namespace", "shop");
	assert_json_str(src, "name", "web");
	assert_json_str(src, "field", "metadata.annotations['x/a|b']");

	f = cJSON_GetArrayItem(list, 1);
	assert_json_str(f, "state", "converted");
	assert_json_str(f, "severity", "info");
	src = field(f, "source");
	assert_json_str(src, "file", "b.yaml");
	assert_json_num(src, "line", 3);
	assert_json_str(src, "namespace", "blog");

	/* no place and no namespace: empty file, no "namespace" key */
	f = cJSON_GetArrayItem(list, 2);
	assert_json_str(f, "message", "two\nlines");
	src = field(f, "source");
	assert_json_str(src, "file", "");
	assert_json_num(src, "line", 0);
	assert_null(cJSON_GetObjectItemCaseSensitive(src, "namespace"));
	assert_json_str(src, "kind", "Gateway");
	cJSON_Delete(root);
}

static void test_render_json_empty(void **state)
{
	struct fixture *fx = *state;
	cJSON *root;

	gws_report_render(&fx->rep, GWS_REPORT_JSON, &fx->out);
	root = cJSON_Parse(fx->out.data);
	assert_non_null(root);
	assert_json_num(field(root, "summary"), "converted", 0);
	assert_int_equal(cJSON_GetArraySize(field(root, "findings")), 0);
	cJSON_Delete(root);
}

/* number of '|' not escaped by a backslash in @line (up to '\n') */
static size_t cell_bars(const char *line)
{
	size_t n = 0;
	const char *p;

	for (p = line; *p && *p != '\n'; p++)
		if (*p == '|' && (p == line || p[-1] != '\\'))
			n++;
	return n;
}

static void test_render_markdown(void **state)
{
	struct fixture *fx = *state;
	const char *head = "# gwshift report\n\n4 objects read, 2 Ingresses "
			   "converted, 5 objects generated.\n\n";
	const char *rows, *p;
	size_t n = 0;

	add_sample(fx);
	gws_report_render(&fx->rep, GWS_REPORT_MARKDOWN, &fx->out);
	assert_true(!strncmp(fx->out.data, head, strlen(head)));
	assert_non_null(strstr(fx->out.data, "| not-converted | 1 |\n"));
	rows = strstr(fx->out.data, "| state | where | object | field | "
		      "message |\n|---|---|---|---|---|\n");
	assert_non_null(rows);
	rows = strchr(strchr(rows, '\n') + 1, '\n') + 1;
	/* each finding is one row of five cells: '|' in text is escaped */
	assert_string_equal(rows,
		"| not-converted | a.yaml:12:7 | Ingress shop/web | "
		"`metadata.annotations['x/a\\|b']` | annotation 'x/a\\|b' "
		"(value 'on\\|off') was not converted |\n"
		"| converted | b.yaml:3:1 | Ingress blog/home | "
		"`spec.rules[0].host` | host 'b.example.com' -> hostname |\n"
		"| approximated | - | Gateway nginx | `spec.listeners` | "
		"two<br>lines |\n");
	for (p = rows; *p; p = strchr(p, '\n') + 1) {
		assert_int_equal(cell_bars(p), 6);
		n++;
	}
	assert_int_equal(n, 3);
}

static void test_render_text(void **state)
{
	struct fixture *fx = *state;

	add_sample(fx);
	gws_report_render(&fx->rep, GWS_REPORT_TEXT, &fx->out);
	assert_string_equal(fx->out.data,
		"gwshift report: 4 objects read, 2 Ingresses converted, "
		"5 objects generated\n"
		"findings: 1 converted, 1 approximated, 0 target-specific, "
		"1 not-converted, 0 ignored\n"
		"not used: 1 ConfigMap\n"
		"\n"
		"a.yaml:12:7: not-converted: Ingress shop/web "
		"metadata.annotations['x/a|b']: annotation 'x/a|b' (value "
		"'on|off') was not converted\n"
		"b.yaml:3:1: converted: Ingress blog/home spec.rules[0].host: "
		"host 'b.example.com' -> hostname\n"
		"-: approximated: Gateway nginx spec.listeners: two\\nlines\n");
}

static void test_summary(void **state)
{
	struct fixture *fx = *state;
	struct gws_pos p = at(&fx->a, 1, 2);
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	add_sample(fx);
	gws_report_add(&fx->rep, GWS_NOT_CONVERTED, &p, "Ingress", "shop",
		       "web", "spec.x", "third");
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	gws_report_summary(&fx->rep, fp, 1);
	assert_int_equal(fclose(fp), 0);
	assert_string_equal(text,
		"a.yaml:12:7: not-converted: Ingress shop/web: annotation "
		"'x/a|b' (value 'on|off') was not converted\n"
		"... and 2 more (see --report)\n"
		"gwshift: 2 Ingresses -> 5 objects; 1 converted, 1 "
		"approximated, 0 target-specific, 2 not-converted, 0 ignored\n");
	free(text);
	text = NULL;
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	gws_report_summary(&fx->rep, fp, 20);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(strstr(text, "\ngwshift: approximated: Gateway nginx: "
			       "two\\nlines\n"));
	assert_non_null(strstr(text, "\na.yaml:1:2: not-converted: Ingress "
			       "shop/web: third\n"));
	assert_null(strstr(text, "more (see --report)"));
	assert_null(strstr(text, "hostname"));	/* converted: not shown */
	free(text);
}

/* ---------------------------------------------------------------------
 * Formats
 */

static void test_format_from_name(void **state)
{
	enum gws_report_format fmt = GWS_REPORT_JSON;
	static const char *const bad[] = {
		"", "MD", "Markdown", "JSON", "txt", "yaml", "json ", "html",
	};
	size_t i;

	(void)state;
	assert_int_equal(gws_report_format_from_name("text", &fmt), 0);
	assert_int_equal(fmt, GWS_REPORT_TEXT);
	assert_int_equal(gws_report_format_from_name("markdown", &fmt), 0);
	assert_int_equal(fmt, GWS_REPORT_MARKDOWN);
	assert_int_equal(gws_report_format_from_name("json", &fmt), 0);
	assert_int_equal(fmt, GWS_REPORT_JSON);
	assert_int_equal(gws_report_format_from_name("md", &fmt), 0);
	assert_int_equal(fmt, GWS_REPORT_MARKDOWN);
	for (i = 0; i < GWS_ARRAY_SIZE(bad); i++) {
		assert_int_equal(gws_report_format_from_name(bad[i], &fmt), -1);
		/* a bad name leaves the format as it was */
		assert_int_equal(fmt, GWS_REPORT_MARKDOWN);
	}
}

static void test_format_from_path(void **state)
{
	(void)state;
	assert_int_equal(gws_report_format_from_path("report.json"),
			 GWS_REPORT_JSON);
	assert_int_equal(gws_report_format_from_path("out/r.md"),
			 GWS_REPORT_MARKDOWN);
	assert_int_equal(gws_report_format_from_path("r.markdown"),
			 GWS_REPORT_MARKDOWN);
	assert_int_equal(gws_report_format_from_path("report.txt"),
			 GWS_REPORT_TEXT);
	assert_int_equal(gws_report_format_from_path("report"),
			 GWS_REPORT_TEXT);
	assert_int_equal(gws_report_format_from_path(""), GWS_REPORT_TEXT);
	assert_int_equal(gws_report_format_from_path("report.json.txt"),
			 GWS_REPORT_TEXT);
	assert_int_equal(gws_report_format_from_path("r.md.json"),
			 GWS_REPORT_JSON);
	assert_int_equal(gws_report_format_from_path("out.json/report"),
			 GWS_REPORT_TEXT);
	assert_int_equal(gws_report_format_from_path(".json"),
			 GWS_REPORT_JSON);
}

static void test_release(void **state)
{
	struct fixture *fx = *state;

	add_sample(fx);
	gws_report_release(&fx->rep);
	assert_int_equal(fx->rep.n, 0);
	assert_int_equal(fx->rep.nother, 0);
	assert_int_equal(fx->rep.counts[GWS_CONVERTED], 0);
	gws_report_release(&fx->rep);
	gws_report_release(NULL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_add_counts),
		T(test_add_copies),
		T(test_add_nulls),
		T(test_many),
		T(test_count_kind),
		cmocka_unit_test(test_state_names),
		T(test_sort),
		T(test_render_json),
		T(test_render_json_empty),
		T(test_render_markdown),
		T(test_render_text),
		T(test_summary),
		cmocka_unit_test(test_format_from_name),
		cmocka_unit_test(test_format_from_path),
		T(test_release),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
