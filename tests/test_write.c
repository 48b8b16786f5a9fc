/* test_write.c - unit tests for YAML and JSON output */
/* SPDX-License-Identifier: MIT */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cJSON.h>
#include <libfyaml.h>
#include <yaml.h>

#include "gwshift/util.h"
#include "gwshift/val.h"
#include "gwshift/write.h"

/* ---------------------------------------------------------------------
 * Strings that trip up YAML writers
 */

static const char *const tricky[] = {
	"on", "On", "ON", "off", "yes", "Yes", "no", "NO", "y", "Y", "n",
	"true", "False", "TRUE", "null", "Null", "NULL", "~", "",
	"8080", "1.10", "0o17", "017", "0x1F", "0b101", "1e3", "1E-3",
	"1_000", "1:20", "190:20:30.15", ".5", "5.", ".", "..", ".inf",
	"-.inf", ".NaN", "+1", "-1", "2001-12-14",
	"2001-12-14t21:59:43.10-05:00",
	"- x", "-", "--", "---", "...", "#x", "a #b", "a#b", "a: b", "a:b",
	"key:", "? x", "?x", ":x", "[x]", "{x: y}", "a,b", "*alias",
	"&anchor", "!tag", "!!str", "|", ">", "%YAML", "@x", "`x", "'x'",
	"\"x\"", "<<", "=", " lead", "trail ", "  ", "tab\there",
	"new\nline", "trailing newline\n", "\n", "cr\rx", "quote\"s",
	"single'q", "back\\slash", "a\\nb", "ctrl\x01\x1f\x7f",
	"unicode \xc3\xa9 \xc3\xbc \xe6\x97\xa5\xe6\x9c\xac",
	"emoji \xf0\x9f\x98\x80", "nel\xc2\x85x", "ls\xe2\x80\xa8x",
	"ps\xe2\x80\xa9x", "bom\xef\xbb\xbfx", "c1\xc2\x80\xc2\x9f",
	"http://example.com/a?b=c#frag", "/path/with spaces/",
	"multi   spaces", "inf", "NaN", "Infinity",
	"v1", "example.com", "/", "PathPrefix", "nginx.ingress.kubernetes.io/x",
};

/* "a a a ... a" (more than 255 columns, the width limit of 0.7.12) */
static char long_str[600];

static void init_long_str(void)
{
	size_t i;

	for (i = 0; i + 1 < sizeof(long_str); i++)
		long_str[i] = i % 2 ? ' ' : 'a';
	long_str[sizeof(long_str) - 2] = 'z';
	long_str[sizeof(long_str) - 1] = '\0';
}

/*
 * Plain scalars some YAML 1.1 or 1.2 resolver reads as non-strings:
 * YAML 1.2 core schema, YAML 1.1 types (bool, null, int with base 2, 8,
 * 16 and 60, float, merge, value, timestamp) and go-yaml's float syntax.
 */
static const char *const non_string_res[] = {
	"^(~|null|Null|NULL)?$",
	"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$",
	"^(true|True|TRUE|false|False|FALSE)$",
	"^[-+]?[0-9]+$", "^0o[0-7]+$", "^0x[0-9a-fA-F]+$",
	"^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$",
	"^[-+]?\\.(inf|Inf|INF)$", "^\\.(nan|NaN|NAN)$",
	"^[-+]?0b[0-1_]+$", "^[-+]?0[0-7_]+$", "^[-+]?(0|[1-9][0-9_]*)$",
	"^[-+]?0x[0-9a-fA-F_]+$", "^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+$",
	"^[-+]?([0-9][0-9_]*)?\\.[0-9.]*([eE][-+][0-9]+)?$",
	"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*$",
	"^<<$", "^=$", "^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?",
};

static bool resolves_to_non_string(const char *s)
{
	regex_t re;
	size_t i;
	bool hit = false;

	for (i = 0; i < GWS_ARRAY_SIZE(non_string_res) && !hit; i++) {
		assert_int_equal(regcomp(&re, non_string_res[i],
					 REG_EXTENDED | REG_NOSUB), 0);
		hit = regexec(&re, s, 0, NULL, 0) == 0;
		regfree(&re);
	}
	return hit;
}

/* ---------------------------------------------------------------------
 * Capturing stderr
 */

struct capture {
	int saved_stderr;
	int pipe_rd;
	char err[1024];
};

/* send stderr into a pipe (not a file: RLIMIT_FSIZE tests limit files) */
static void capture_begin(struct capture *cap)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	fflush(stderr);
	cap->saved_stderr = dup(STDERR_FILENO);
	dup2(fds[1], STDERR_FILENO);
	close(fds[1]);
	cap->pipe_rd = fds[0];
}

static const char *capture_end(struct capture *cap)
{
	ssize_t n;
	size_t got = 0;

	fflush(stderr);
	dup2(cap->saved_stderr, STDERR_FILENO);
	close(cap->saved_stderr);
	while (got + 1 < sizeof(cap->err) &&
	       (n = read(cap->pipe_rd, cap->err + got,
			 sizeof(cap->err) - 1 - got)) > 0)
		got += (size_t)n;
	cap->err[got] = '\0';
	close(cap->pipe_rd);
	return cap->err;
}

/* ---------------------------------------------------------------------
 * The quoting rule
 */

static void test_plain_ok_quotes(void **state)
{
	static const char *const must_quote[] = {
		"", "on", "Off", "YES", "n", "TRUE", "null", "~", "8080",
		"1.10", ".5", "1e3", "0o17", "0x1f", "0b1", "1:20", "1_000",
		".inf", ".NaN", "+1", "- x", "-x", "#x", "a: b", "a #b",
		"key:", " x", "x ", "a\nb", "a\tb", "\xc3\xa9", "<<", "a<<b",
		"---", "...x", "?", ":", ",", "[", "]", "{", "}", "&", "*",
		"!", "|", ">", "'", "\"", "%", "@", "`", "=", "inf", "nan",
		"..", ".", "x\x7f", NULL,
	};
	size_t i;

	(void)state;
	for (i = 0; i < GWS_ARRAY_SIZE(must_quote); i++) {
		if (gws_yaml_plain_ok(must_quote[i]))
			fail_msg("'%s' must be quoted", must_quote[i]);
	}
}

static void test_plain_ok_plain(void **state)
{
	static const char *const plain[] = {
		"v1", "HTTPRoute", "example.com", "/", "/api/v1", "a:b",
		"a#b", "it's", "say \"hi\"", "back\\slash", "a,b", "x-y",
		"gateway.networking.k8s.io/v1", ".well-known", "onion",
		"nully", "yesterday", "a b", "a=b", "C:\\dir", "~user",
	};
	size_t i;

	(void)state;
	for (i = 0; i < GWS_ARRAY_SIZE(plain); i++) {
		if (!gws_yaml_plain_ok(plain[i]))
			fail_msg("'%s' should be plain", plain[i]);
	}
}

/* every plain string must stay a string for both schemas */
static void test_plain_ok_agrees_with_resolvers(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < GWS_ARRAY_SIZE(tricky); i++) {
		if (gws_yaml_plain_ok(tricky[i]) &&
		    resolves_to_non_string(tricky[i]))
			fail_msg("'%s' is plain but not a string", tricky[i]);
	}
}

/* ---------------------------------------------------------------------
 * Round trips through libfyaml and libyaml
 */

struct scalars {
	char **text;
	size_t *len;
	bool *plain;
	size_t n;
	size_t cap;
	int docs;
};

static void scalars_add(struct scalars *sc, const char *s, size_t len,
			bool plain)
{
	void *p = NULL;

	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 64;
		p = gws_xrealloc(sc->text, sc->cap * sizeof(*sc->text));
		sc->text = p;
		p = gws_xrealloc(sc->len, sc->cap * sizeof(*sc->len));
		sc->len = p;
		p = gws_xrealloc(sc->plain, sc->cap * sizeof(*sc->plain));
		sc->plain = p;
	}
	sc->text[sc->n] = gws_xstrndup(s, len);
	sc->len[sc->n] = len;
	sc->plain[sc->n] = plain;
	sc->n++;
}

static void scalars_free(struct scalars *sc)
{
	size_t i;

	for (i = 0; i < sc->n; i++)
		free(sc->text[i]);
	free(sc->text);
	free(sc->len);
	free(sc->plain);
	memset(sc, 0, sizeof(*sc));
}

/* read @yaml with libyaml (YAML 1.1); fails the test on a parse error */
static void read_libyaml(const char *yaml, struct scalars *sc)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	bool done = false;

	assert_true(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml,
				     strlen(yaml));
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev))
			fail_msg("libyaml: %s at line %zu", parser.problem,
				 parser.problem_mark.line + 1);
		if (ev.type == YAML_DOCUMENT_START_EVENT)
			sc->docs++;
		if (ev.type == YAML_SCALAR_EVENT) {
			assert_null(ev.data.scalar.tag);
			scalars_add(sc, (const char *)ev.data.scalar.value,
				    ev.data.scalar.length,
				    ev.data.scalar.style ==
				    YAML_PLAIN_SCALAR_STYLE);
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
}

/* read @yaml with libfyaml (YAML 1.2) */
static void read_libfyaml(const char *yaml, struct scalars *sc)
{
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET };
	struct fy_parser *fyp = fy_parser_create(&cfg);
	struct fy_event *fye = NULL;
	const char *text = NULL;
	size_t len = 0;

	assert_non_null(fyp);
	assert_int_equal(fy_parser_set_string(fyp, yaml, strlen(yaml)), 0);
	while ((fye = fy_parser_parse(fyp)) != NULL) {
		if (fye->type == FYET_DOCUMENT_START)
			sc->docs++;
		if (fye->type == FYET_SCALAR) {
			assert_null(fye->scalar.tag);
			text = fy_token_get_text(fye->scalar.value, &len);
			assert_non_null(text);
			scalars_add(sc, text, len,
				    fy_token_scalar_style(fye->scalar.value) ==
				    FYSS_PLAIN);
		}
		fy_parser_event_free(fyp, fye);
	}
	assert_false(fy_parser_get_stream_error(fyp));
	fy_parser_destroy(fyp);
}

/*
 * { strings: [s...], keys: { s: v, ... }, values: { k0: s, ... } }
 * and the scalars a reader must see, in order.
 */
static struct gws_val *tricky_doc(struct scalars *want)
{
	struct gws_val *doc = gws_val_map();
	struct gws_val *seq = gws_val_list(doc, "strings");
	struct gws_val *keys = gws_val_child(doc, "keys");
	struct gws_val *vals = gws_val_child(doc, "values");
	char k[32];
	size_t n = GWS_ARRAY_SIZE(tricky) + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *s = i < n - 1 ? tricky[i] : long_str;

		gws_val_push(seq, gws_val_str(s));
		gws_val_set_str(keys, s, "v");
		snprintf(k, sizeof(k), "k%zu", i);
		gws_val_set_str(vals, k, s);
	}
	assert_int_equal(keys->n, n);
	scalars_add(want, "strings", 7, true);
	for (i = 0; i < n; i++)
		scalars_add(want, seq->items[i]->str,
			    strlen(seq->items[i]->str), false);
	scalars_add(want, "keys", 4, true);
	for (i = 0; i < n; i++) {
		scalars_add(want, keys->keys[i], strlen(keys->keys[i]), false);
		scalars_add(want, "v", 1, true);
	}
	scalars_add(want, "values", 6, true);
	for (i = 0; i < n; i++) {
		scalars_add(want, vals->keys[i], strlen(vals->keys[i]), true);
		scalars_add(want, vals->items[i]->str,
			    strlen(vals->items[i]->str), false);
	}
	return doc;
}

static void check_scalars(const char *reader, const struct scalars *want,
			  const struct scalars *got, int docs)
{
	size_t i;

	assert_int_equal(got->docs, docs);
	assert_int_equal(got->n, want->n * (size_t)docs);
	for (i = 0; i < got->n; i++) {
		size_t w = i % want->n;

		if (got->len[i] != want->len[w] ||
		    memcmp(got->text[i], want->text[w], want->len[w]) != 0)
			fail_msg("%s: scalar %zu: want '%s', got '%s'", reader,
				 i, want->text[w], got->text[i]);
		if (got->plain[i] && resolves_to_non_string(got->text[i]))
			fail_msg("%s: '%s' is plain", reader, got->text[i]);
	}
}

static void test_yaml_round_trip(void **state)
{
	struct scalars want = { 0 };
	struct scalars fy = { 0 };
	struct scalars ly = { 0 };
	struct gws_val *doc = tricky_doc(&want);
	struct gws_val *docs[2] = { doc, doc };
	struct gws_buf out;

	(void)state;
	gws_buf_init(&out);
	assert_int_equal(gws_write_docs(&out, docs, 2, GWS_FORMAT_YAML), 0);
	assert_memory_equal(out.data, "---\nstrings:\n- ", 15);
	read_libfyaml(out.data, &fy);
	read_libyaml(out.data, &ly);
	check_scalars("libfyaml", &want, &fy, 2);
	check_scalars("libyaml", &want, &ly, 2);
	/* no line is folded */
	assert_non_null(strstr(out.data, long_str));
	scalars_free(&want);
	scalars_free(&fy);
	scalars_free(&ly);
	gws_buf_release(&out);
	gws_val_destroy(doc);
}

/* ---------------------------------------------------------------------
 * Exact output
 */

static struct gws_val *route(void)
{
	struct gws_val *rt = gws_val_map();
	struct gws_val *md = NULL;
	struct gws_val *spec = NULL;
	struct gws_val *rule = NULL;
	struct gws_val *path = NULL;
	struct gws_val *be = NULL;

	gws_val_set_str(rt, "apiVersion", "gateway.networking.k8s.io/v1");
	gws_val_set_str(rt, "kind", "HTTPRoute");
	md = gws_val_child(rt, "metadata");
	gws_val_set_str(md, "name", "web");
	gws_val_set_str(gws_val_child(md, "labels"), "enabled", "on");
	spec = gws_val_child(rt, "spec");
	gws_val_push(gws_val_list(spec, "hostnames"),
		     gws_val_str("example.com"));
	rule = gws_val_push(gws_val_list(spec, "rules"), gws_val_map());
	path = gws_val_child(gws_val_push(gws_val_list(rule, "matches"),
					  gws_val_map()), "path");
	gws_val_set_str(path, "type", "PathPrefix");
	gws_val_set_str(path, "value", "/");
	be = gws_val_push(gws_val_list(rule, "backendRefs"), gws_val_map());
	gws_val_set_str(be, "name", "svc");
	gws_val_set_int(be, "port", 8080);
	gws_val_set(be, "tls", gws_val_bool(false));
	gws_val_list(spec, "filters");
	gws_val_child(spec, "extra");
	gws_val_push(gws_val_push(gws_val_list(spec, "nested"), gws_val_seq()),
		     gws_val_str("8080"));
	return rt;
}

static const char route_yaml[] =
	"---\n"
	"apiVersion: gateway.networking.k8s.io/v1\n"
	"kind: HTTPRoute\n"
	"metadata:\n"
	"  name: web\n"
	"  labels:\n"
	"    enabled: \"on\"\n"
	"spec:\n"
	"  hostnames:\n"
	"  - example.com\n"
	"  rules:\n"
	"  - matches:\n"
	"    - path:\n"
	"        type: PathPrefix\n"
	"        value: /\n"
	"    backendRefs:\n"
	"    - name: svc\n"
	"      port: 8080\n"
	"      tls: false\n"
	"  filters: []\n"
	"  extra: {}\n"
	"  nested:\n"
	"  - - \"8080\"\n";

static const char route_json[] =
	"{\n"
	"  \"apiVersion\": \"v1\",\n"
	"  \"kind\": \"List\",\n"
	"  \"items\": [\n"
	"    {\n"
	"      \"apiVersion\": \"gateway.networking.k8s.io/v1\",\n"
	"      \"kind\": \"HTTPRoute\",\n"
	"      \"metadata\": {\n"
	"        \"name\": \"web\",\n"
	"        \"labels\": {\n"
	"          \"enabled\": \"on\"\n"
	"        }\n"
	"      },\n"
	"      \"spec\": {\n"
	"        \"hostnames\": [\n"
	"          \"example.com\"\n"
	"        ],\n"
	"        \"rules\": [\n"
	"          {\n"
	"            \"matches\": [\n"
	"              {\n"
	"                \"path\": {\n"
	"                  \"type\": \"PathPrefix\",\n"
	"                  \"value\": \"/\"\n"
	"                }\n"
	"              }\n"
	"            ],\n"
	"            \"backendRefs\": [\n"
	"              {\n"
	"                \"name\": \"svc\",\n"
	"                \"port\": 8080,\n"
	"                \"tls\": false\n"
	"              }\n"
	"            ]\n"
	"          }\n"
	"        ],\n"
	"        \"filters\": [],\n"
	"        \"extra\": {},\n"
	"        \"nested\": [\n"
	"          [\n"
	"            \"8080\"\n"
	"          ]\n"
	"        ]\n"
	"      }\n"
	"    }\n"
	"  ]\n"
	"}\n";

static int route_setup(void **state)
{
	*state = route();
	return 0;
}

static int route_teardown(void **state)
{
	gws_val_destroy(*state);
	return 0;
}

static void test_yaml_exact(void **state)
{
	struct gws_val *docs[2] = { *state, *state };
	struct gws_buf out;
	struct gws_buf again;

	gws_buf_init(&out);
	gws_buf_init(&again);
	assert_int_equal(gws_write_docs(&out, docs, 1, GWS_FORMAT_YAML), 0);
	assert_string_equal(out.data, route_yaml);
	/* appends, and is deterministic */
	assert_int_equal(gws_write_docs(&out, docs, 1, GWS_FORMAT_YAML), 0);
	assert_int_equal(gws_write_docs(&again, docs, 2, GWS_FORMAT_YAML), 0);
	assert_string_equal(out.data, again.data);
	assert_int_equal(out.len, 2 * strlen(route_yaml));
	gws_buf_release(&out);
	gws_buf_release(&again);
	/* no documents, no output */
	assert_int_equal(gws_write_docs(&out, docs, 0, GWS_FORMAT_YAML), 0);
	assert_int_equal(out.len, 0);
}

static void test_json_exact(void **state)
{
	struct gws_val *docs[1] = { *state };
	struct gws_buf out;

	gws_buf_init(&out);
	assert_int_equal(gws_write_docs(&out, docs, 1, GWS_FORMAT_JSON), 0);
	assert_string_equal(out.data, route_json);
	gws_buf_release(&out);
	assert_int_equal(gws_write_docs(&out, docs, 0, GWS_FORMAT_JSON), 0);
	assert_string_equal(out.data, "{\n  \"apiVersion\": \"v1\",\n"
			    "  \"kind\": \"List\",\n  \"items\": []\n}\n");
	gws_buf_release(&out);
}

static void test_json_round_trip(void **state)
{
	struct scalars want = { 0 };
	struct gws_val *doc = tricky_doc(&want);
	struct gws_val *docs[1] = { doc };
	struct gws_val *nums = gws_val_list(doc, "numbers");
	const cJSON *item = NULL;
	const cJSON *s = NULL;
	cJSON *root = NULL;
	struct gws_buf out;
	size_t i;

	(void)state;
	gws_val_push(nums, gws_val_int(-9223372036854775807LL - 1));
	gws_val_push(nums, gws_val_int(0));
	gws_val_push(nums, gws_val_bool(true));
	gws_buf_init(&out);
	assert_int_equal(gws_write_docs(&out, docs, 1, GWS_FORMAT_JSON), 0);
	assert_int_equal(out.data[out.len - 1], '\n');
	root = cJSON_Parse(out.data);
	assert_non_null(root);
	item = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "items"), 0);
	s = cJSON_GetObjectItem(item, "strings");
	assert_int_equal(cJSON_GetArraySize(s), GWS_ARRAY_SIZE(tricky) + 1);
	for (i = 0; i < GWS_ARRAY_SIZE(tricky); i++) {
		const cJSON *e = cJSON_GetArrayItem(s, (int)i);

		assert_true(cJSON_IsString(e));
		assert_string_equal(e->valuestring, tricky[i]);
		assert_non_null(cJSON_GetObjectItem(
			cJSON_GetObjectItem(item, "keys"), tricky[i]));
	}
	s = cJSON_GetObjectItem(item, "numbers");
	assert_true(cJSON_IsNumber(cJSON_GetArrayItem(s, 0)));
	assert_non_null(strstr(out.data, "-9223372036854775808,"));
	assert_true(cJSON_IsNumber(cJSON_GetArrayItem(s, 1)));
	assert_true(cJSON_IsTrue(cJSON_GetArrayItem(s, 2)));
	cJSON_Delete(root);
	gws_buf_release(&out);
	scalars_free(&want);
	gws_val_destroy(doc);
}

static void test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	};
	struct gws_val *doc = gws_val_map();
	struct gws_val *docs[1] = { doc };
	struct capture cap;
	struct gws_buf out;
	size_t i;

	(void)state;
	gws_buf_init(&out);
	gws_buf_adds(&out, "keep");
	for (i = 0; i < GWS_ARRAY_SIZE(bad); i++) {
		gws_val_set_str(doc, "bad", bad[i]);
		capture_begin(&cap);
		assert_int_equal(gws_write_docs(&out, docs, 1,
						GWS_FORMAT_YAML), -1);
		assert_int_equal(gws_write_docs(&out, docs, 1,
						GWS_FORMAT_JSON), -1);
		assert_string_equal(capture_end(&cap),
				    "gwshift: error: cannot write a string "
				    "that is not valid UTF-8\n"
				    "gwshift: error: cannot write a string "
				    "that is not valid UTF-8\n");
		assert_string_equal(out.data, "keep");
	}
	gws_buf_release(&out);
	gws_val_destroy(doc);
}

/* YAML limits implicit keys to 1024 characters; 0.7.12 writes no others */
static void test_long_keys(void **state)
{
	struct gws_val *doc = gws_val_map();
	struct gws_val *docs[1] = { doc };
	struct scalars got = { 0 };
	struct capture cap;
	struct gws_buf out;
	char key[1200];

	(void)state;
	memset(key, 'k', sizeof(key));
	key[990] = '\0';
	gws_val_set_str(doc, key, "short enough");
	gws_buf_init(&out);
	assert_int_equal(gws_write_docs(&out, docs, 1, GWS_FORMAT_YAML), 0);
	read_libyaml(out.data, &got);
	assert_int_equal(got.n, 2);
	assert_string_equal(got.text[0], key);
	scalars_free(&got);
	gws_buf_release(&out);
	/* escapes count: 300 tabs are 600 characters written */
	gws_val_del(doc, key);
	memset(key, '\t', 600);
	key[600] = '\0';
	gws_val_set_str(doc, key, "too long");
	capture_begin(&cap);
	assert_int_equal(gws_write_docs(&out, docs, 1, GWS_FORMAT_YAML), -1);
	assert_non_null(strstr(capture_end(&cap), "limited to 1000"));
	assert_int_equal(out.len, 0);
	gws_val_del(doc, key);
	memset(key, 'k', sizeof(key));
	key[sizeof(key) - 1] = '\0';
	gws_val_set_str(doc, key, "too long");
	capture_begin(&cap);
	assert_int_equal(gws_write_docs(&out, docs, 1, GWS_FORMAT_YAML), -1);
	assert_non_null(strstr(capture_end(&cap), "gwshift: error: cannot "
			       "write key 'kkkkkkkkkk"));
	/* JSON has no such limit */
	assert_int_equal(gws_write_docs(&out, docs, 1, GWS_FORMAT_JSON), 0);
	assert_non_null(strstr(out.data, key));
	gws_buf_release(&out);
	gws_val_destroy(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_ok_quotes),
		cmocka_unit_test(test_plain_ok_plain),
		cmocka_unit_test(test_plain_ok_agrees_with_resolvers),
		cmocka_unit_test(test_yaml_round_trip),
		cmocka_unit_test_setup_teardown(test_yaml_exact, route_setup,
						route_teardown),
		cmocka_unit_test_setup_teardown(test_json_exact, route_setup,
						route_teardown),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_long_keys),
	};

	init_long_str();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
