/* test_diff.c - unit tests for gwshift diff: keys, loading, defaults, diffs */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gwshift/util.h"
#include "gwshift/val.h"
#include "diff/internal.h"

/* ---------------------------------------------------------------------
 * index.c
 */

static void test_index(void **state)
{
	struct gws_diff_index ix;
	struct gws_diff_key *keys = calloc(3000, sizeof(*keys));
	char **names = calloc(3000, sizeof(*names));
	struct gws_diff_key other = { "", "Service", "a", "x1" };
	size_t i, v = 0;

	(void)state;
	gws_diff_index_init(&ix);
	assert_false(gws_diff_index_find(&ix, &other, &v));
	for (i = 0; i < 3000; i++) {
		names[i] = gws_xasprintf("x%zu", i);
		keys[i] = (struct gws_diff_key){
			"gateway.networking.k8s.io", "HTTPRoute",
			i % 2 ? "a" : "b", names[i] };
		assert_true(gws_diff_index_add(&ix, &keys[i], i, &v));
	}
	for (i = 0; i < 3000; i++) {
		assert_true(gws_diff_index_find(&ix, &keys[i], &v));
		assert_int_equal(v, i);
	}
	/* the same name in another group, kind or namespace is another key */
	assert_false(gws_diff_index_find(&ix, &other, &v));
	assert_false(gws_diff_index_add(&ix, &keys[7], 99, &v));
	assert_int_equal(v, 7);
	assert_int_equal(ix.n, 3000);
	gws_diff_index_release(&ix);
	for (i = 0; i < 3000; i++)
		free(names[i]);
	free(names);
	free(keys);
}

static void test_keys(void **state)
{
	struct gws_diff_key a = { "gateway.networking.k8s.io", "HTTPRoute",
				  "shop", "web" };
	struct gws_diff_key b = { "networking.istio.io", "Gateway", "",
				  "web" };
	char *s;

	(void)state;
	s = gws_diff_group_of("gateway.networking.k8s.io/v1");
	assert_string_equal(s, "gateway.networking.k8s.io");
	free(s);
	s = gws_diff_group_of("v1");
	assert_string_equal(s, "");
	free(s);
	s = gws_diff_key_label(&a);
	assert_string_equal(s, "HTTPRoute shop/web");
	free(s);
	s = gws_diff_key_label(&b);
	assert_string_equal(s, "Gateway.networking.istio.io web");
	free(s);
	assert_true(gws_diff_key_cmp(&a, &b) < 0);
	assert_int_equal(gws_diff_key_cmp(&a, &a), 0);
}

/* ---------------------------------------------------------------------
 * udiff.c: every diff applied to its old text gives the new text
 */

/* the next line of *@p (without '\n'), advancing; NULL at the end */
static char *next_line(const char **p)
{
	const char *nl;
	char *line;

	if (!**p)
		return NULL;
	nl = strchr(*p, '\n');
	line = gws_xstrndup(*p, nl ? (size_t)(nl - *p) : strlen(*p));
	*p = nl ? nl + 1 : *p + strlen(*p);
	return line;
}

/* apply unified diff @u to @a; Returns: the new text, or NULL if bad */
static char *apply(const char *a, const char *u)
{
	struct gws_buf out;
	const char *pa = a, *pu = u;
	char *line, *old;
	long at = 0, start, cnt;
	int ok = 1;

	gws_buf_init(&out);
	free(next_line(&pu));		/* --- */
	free(next_line(&pu));		/* +++ */
	while (ok && (line = next_line(&pu)) != NULL) {
		if (line[0] == '@') {
			cnt = 1;
			ok = sscanf(line, "@@ -%ld,%ld", &start, &cnt) >= 1;
			start = cnt ? start - 1 : start;
			for (; ok && at < start; at++) {
				old = next_line(&pa);
				ok = old != NULL;
				if (old)
					gws_buf_addf(&out, "%s\n", old);
				free(old);
			}
		} else if (line[0] == '+') {
			gws_buf_addf(&out, "%s\n", line + 1);
		} else {
			old = next_line(&pa);
			ok = old && !strcmp(old, line + 1);
			if (ok && line[0] == ' ')
				gws_buf_addf(&out, "%s\n", old);
			at++;
			free(old);
		}
		free(line);
	}
	while (ok && (line = next_line(&pa)) != NULL) {
		gws_buf_addf(&out, "%s\n", line);
		free(line);
	}
	if (!ok) {
		gws_buf_release(&out);
		return NULL;
	}
	return gws_buf_detach(&out, NULL);
}

static char *udiff(const char *a, const char *b)
{
	struct gws_buf u;

	gws_buf_init(&u);
	gws_diff_unified(&u, a, b, "a", "b");
	return gws_buf_detach(&u, NULL);
}

static void check_round_trip(const char *a, const char *b)
{
	char *u = udiff(a, b);
	char *got = apply(a, u);

	if (!strcmp(a, b)) {
		assert_string_equal(u, "");
	} else {
		assert_non_null(got);
		assert_string_equal(got, b);
	}
	free(got);
	free(u);
}

static void test_udiff_exact(void **state)
{
	char *u;

	(void)state;
	u = udiff("a\nb\nc\n", "a\nx\nc\n");
	assert_string_equal(u, "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n+x\n"
			    " c\n");
	free(u);
	u = udiff("", "x\ny\n");
	assert_string_equal(u, "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n");
	free(u);
	u = udiff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
		  "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n");
	assert_string_equal(u, "--- a\n+++ b\n@@ -9,4 +9,3 @@\n 9\n 10\n"
			    " 11\n-12\n");
	free(u);
	/* changes 7 lines apart are two hunks, 6 apart one */
	u = udiff("a\n1\n2\n3\n4\n5\n6\n7\nb\n", "A\n1\n2\n3\n4\n5\n6\n7\nB\n");
	assert_string_equal(u, "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n"
			    " 3\n@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-b\n+B\n");
	free(u);
	u = udiff("a\n1\n2\n3\n4\n5\n6\nb\n", "A\n1\n2\n3\n4\n5\n6\nB\n");
	assert_non_null(strstr(u, "@@ -1,8 +1,8 @@\n"));
	assert_null(strstr(u + 1, "\n@@ -6"));
	free(u);
}

static unsigned int lcg(unsigned int *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

static char *random_text(unsigned int *seed, size_t lines)
{
	struct gws_buf b;
	size_t i;

	gws_buf_init(&b);
	for (i = 0; i < lines; i++)
		gws_buf_addf(&b, "line %u\n", lcg(seed) % 6);
	return gws_buf_detach(&b, NULL);
}

static void test_udiff_random(void **state)
{
	unsigned int seed = 42;
	char *a, *b;
	int i;

	(void)state;
	check_round_trip("", "");
	check_round_trip("x\n", "");
	check_round_trip("same\n", "same\n");
	for (i = 0; i < 300; i++) {
		a = random_text(&seed, lcg(&seed) % 40);
		b = random_text(&seed, lcg(&seed) % 40);
		check_round_trip(a, b);
		free(a);
		free(b);
	}
	/* past the edit bound: still a correct diff */
	a = random_text(&seed, 3000);
	b = random_text(&seed, 3000);
	check_round_trip(a, b);
	free(a);
	free(b);
}

/* ---------------------------------------------------------------------
 * load.c
 */

static bool want_all(const struct gws_diff_key *key, bool has_source,
		     void *arg)
{
	(void)key;
	(void)has_source;
	(void)arg;
	return true;
}

static int load(struct gws_diff_existing *ex, struct gws_src *src,
		const char *name, const char *text)
{
	gws_diff_existing_init(ex);
	ex->want = want_all;
	memset(src, 0, sizeof(*src));
	src->name = (char *)name;
	src->data = (char *)text;
	src->len = strlen(text);
	return gws_diff_load_buffer(ex, src);
}

static void test_load_yaml(void **state)
{
	static const char text[] =
		"apiVersion: gateway.networking.k8s.io/v1\n"
		"kind: HTTPRoute\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"  annotations: {gwshift.io/source: shop/web}\n"
		"spec:\n"
		"  port: 80\n"
		"  quoted: \"80\"\n"
		"  tagged: !!str 81\n"
		"  flag: true\n"
		"  word: yes\n"
		"  gone: null\n"
		"  empty:\n"
		"  list: [a, ~, 1]\n"
		"  float: 1.5\n"
		"---\n"
		"apiVersion: kustomize.config.k8s.io/v1beta1\n"
		"kind: Kustomization\n"
		"resources: [a.yaml]\n"
		"---\n"
		"just: a mapping\n"
		"---\n"
		"- a list\n"
		"---\n"
		"apiVersion: v1\n"
		"kind: List\n"
		"items:\n"
		"- apiVersion: v1\n"
		"  kind: Namespace\n"
		"  metadata: {name: shop}\n";
	struct gws_diff_existing ex;
	struct gws_src src;
	struct gws_val *spec, *list;

	(void)state;
	assert_int_equal(load(&ex, &src, "in.yaml", text), 0);
	assert_int_equal(ex.n, 2);
	assert_int_equal(ex.read, 2);
	assert_string_equal(ex.objs[0].key.group, "gateway.networking.k8s.io");
	assert_string_equal(ex.objs[0].key.ns, "shop");
	assert_string_equal(ex.objs[0].source, "shop/web");
	assert_int_equal(ex.objs[0].pos.line, 1);
	spec = gws_val_get(ex.objs[0].doc, "spec");
	assert_int_equal(gws_val_get(spec, "port")->kind, GWS_VAL_INT);
	assert_string_equal(gws_val_get_str(spec, "quoted"), "80");
	assert_string_equal(gws_val_get_str(spec, "tagged"), "81");
	assert_int_equal(gws_val_get(spec, "flag")->kind, GWS_VAL_BOOL);
	assert_string_equal(gws_val_get_str(spec, "word"), "yes");
	assert_null(gws_val_get(spec, "gone"));
	assert_null(gws_val_get(spec, "empty"));
	assert_string_equal(gws_val_get_str(spec, "float"), "1.5");
	list = gws_val_get(spec, "list");
	assert_int_equal(list->n, 2);
	assert_string_equal(ex.objs[1].key.kind, "Namespace");
	assert_string_equal(ex.objs[1].key.ns, "");
	assert_int_equal(ex.objs[1].pos.line, 29);
	assert_int_equal(ex.objs[1].pos.col, 3);
	gws_diff_existing_release(&ex);
}

static void test_load_json(void **state)
{
	static const char text[] =
		"{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n"
		"  {\"apiVersion\": \"v1\", \"kind\": \"Service\",\n"
		"   \"metadata\": {\"name\": \"a\", \"namespace\": \"x\"},\n"
		"   \"spec\": {\"port\": 80, \"name\": \"80\", \"x\": null}}]}\n";
	struct gws_diff_existing ex;
	struct gws_src src;
	struct gws_val *spec;

	(void)state;
	assert_int_equal(load(&ex, &src, "export.json", text), 0);
	assert_int_equal(ex.n, 1);
	assert_int_equal(ex.objs[0].pos.line, 2);
	assert_int_equal(ex.objs[0].pos.col, 4);
	spec = gws_val_get(ex.objs[0].doc, "spec");
	assert_int_equal(gws_val_get(spec, "port")->kind, GWS_VAL_INT);
	assert_string_equal(gws_val_get_str(spec, "name"), "80");
	assert_int_equal(spec->n, 2);
	gws_diff_existing_release(&ex);
}

static void test_load_errors(void **state)
{
	struct gws_diff_existing ex;
	struct gws_src src;

	(void)state;
	assert_int_equal(load(&ex, &src, "bad.yaml", "a: [b\n"), GWS_EXIT_INPUT);
	gws_diff_existing_release(&ex);
	assert_int_equal(load(&ex, &src, "noname.yaml",
			      "apiVersion: v1\nkind: Service\nmetadata: {}\n"),
			 GWS_EXIT_INPUT);
	gws_diff_existing_release(&ex);
	assert_int_equal(load(&ex, &src, "kind.yaml",
			      "apiVersion: v1\nkind: 5\nmetadata: {}\n"),
			 GWS_EXIT_INPUT);
	gws_diff_existing_release(&ex);
	assert_int_equal(load(&ex, &src, "dup.yaml",
			      "apiVersion: v1\nkind: Service\nmetadata: "
			      "{name: a}\n---\napiVersion: v1\nkind: Service"
			      "\nmetadata: {name: a}\n"), GWS_EXIT_INPUT);
	assert_int_equal(ex.n, 1);
	gws_diff_existing_release(&ex);
	assert_int_equal(load(&ex, &src, "dupkey.yaml", "a: 1\na: 2\n"),
			 GWS_EXIT_INPUT);
	gws_diff_existing_release(&ex);
	assert_int_equal(load(&ex, &src, "utf8.yaml", "a: \xff\n"),
			 GWS_EXIT_INPUT);
	gws_diff_existing_release(&ex);
}

/* ---------------------------------------------------------------------
 * norm.c and compare.c
 */

static struct gws_val *route(long long port, bool defaults)
{
	struct gws_val *rt = gws_val_map(), *md, *spec, *rule, *ref, *seq;

	gws_val_set_str(rt, "apiVersion", "gateway.networking.k8s.io/v1");
	gws_val_set_str(rt, "kind", "HTTPRoute");
	md = gws_val_child(rt, "metadata");
	gws_val_set_str(md, "name", "web");
	gws_val_set_str(md, "namespace", "shop");
	spec = gws_val_child(rt, "spec");
	ref = gws_val_push(gws_val_list(spec, "parentRefs"), gws_val_map());
	gws_val_set_str(ref, "name", "gw");
	rule = gws_val_push(gws_val_list(spec, "rules"), gws_val_map());
	ref = gws_val_push(gws_val_list(rule, "backendRefs"), gws_val_map());
	gws_val_set_str(ref, "name", "web");
	gws_val_set_int(ref, "port", port);
	if (!defaults)
		return rt;
	gws_val_set_str(md, "uid", "1234");
	gws_val_set_str(md, "resourceVersion", "9");
	gws_val_set_str(gws_val_child(md, "annotations"),
			"kubectl.kubernetes.io/last-applied-configuration",
			"{}");
	gws_val_set_str(gws_val_child(rt, "status"), "x", "y");
	gws_val_set_int(ref, "weight", 1);
	gws_val_set_str(ref, "kind", "Service");
	seq = gws_val_list(rule, "matches");
	gws_val_set_str(gws_val_child(gws_val_push(seq, gws_val_map()), "path"),
			"type", "PathPrefix");
	return rt;
}

static const struct gws_diff_key route_key = {
	"gateway.networking.k8s.io", "HTTPRoute", "shop", "web",
};

static void compare(struct gws_diff_item *it, struct gws_val *old,
		    struct gws_val *new)
{
	struct gws_diff_ptrs fo = { 0 }, fn = { 0 };

	memset(it, 0, sizeof(*it));
	gws_diff_normalize(old, &route_key, &fo);
	gws_diff_normalize(new, &route_key, &fn);
	gws_diff_compare(it, old, new, &fo, &fn);
	gws_diff_ptrs_release(&fo);
	gws_diff_ptrs_release(&fn);
}

static void test_defaults_not_changes(void **state)
{
	struct gws_val *old = route(80, true), *new = route(80, false);
	struct gws_val *ref;
	struct gws_diff_item it;

	(void)state;
	compare(&it, old, new);
	assert_int_equal(it.nchanges, 0);
	/* server fields are gone; defaults explicit in old stay in both */
	assert_null(gws_val_get(old, "status"));
	assert_null(gws_val_get(gws_val_get(old, "metadata"), "uid"));
	assert_null(gws_val_get(gws_val_get(old, "metadata"), "annotations"));
	ref = gws_val_get(gws_val_get(new, "spec"), "rules")->items[0];
	ref = gws_val_get(ref, "backendRefs")->items[0];
	assert_non_null(gws_val_get(ref, "weight"));
	/* defaults filled on both sides are not shown: group on parentRefs */
	ref = gws_val_get(gws_val_get(new, "spec"), "parentRefs")->items[0];
	assert_null(gws_val_get(ref, "group"));
	assert_int_equal(ref->n, 1);
	gws_diff_item_release(&it);
	gws_val_destroy(old);
	gws_val_destroy(new);
}

static void test_changes(void **state)
{
	struct gws_val *old = route(8080, true), *new = route(80, false);
	struct gws_val *spec = gws_val_get(new, "spec");
	struct gws_diff_item it;

	(void)state;
	gws_val_push(gws_val_list(spec, "hostnames"), gws_val_str("a.b"));
	gws_val_set_str(gws_val_child(gws_val_get(old, "metadata"), "labels"),
			"x.io/y", "z");
	compare(&it, old, new);
	assert_int_equal(it.nchanges, 3);
	assert_string_equal(it.changes[0].path,
			    "metadata.labels");
	assert_non_null(it.changes[0].old);
	assert_null(it.changes[0].new);
	assert_string_equal(it.changes[1].path,
			    "spec.rules[0].backendRefs[0].port");
	assert_int_equal(it.changes[1].old->num, 8080);
	assert_int_equal(it.changes[1].new->num, 80);
	assert_string_equal(it.changes[2].path, "spec.hostnames");
	assert_null(it.changes[2].old);
	/* old follows new's key order */
	assert_string_equal(gws_val_get(old, "spec")->keys[0], "parentRefs");
	gws_diff_item_release(&it);
	gws_val_destroy(old);
	gws_val_destroy(new);
}

static void set_hosts(struct gws_val *rt, const char *const *hosts, size_t n)
{
	struct gws_val *seq = gws_val_list(gws_val_get(rt, "spec"),
					   "hostnames");
	size_t i;

	for (i = 0; i < n; i++)
		gws_val_push(seq, gws_val_str(hosts[i]));
}

static void test_list_alignment(void **state)
{
	static const char *const ac[] = { "a", "c", "d" };
	static const char *const abc[] = { "a", "b", "c", "x" };
	struct gws_val *old = route(80, false), *new = route(80, false);
	struct gws_diff_item it;

	(void)state;
	set_hosts(old, ac, 3);
	set_hosts(new, abc, 4);
	compare(&it, old, new);
	/* b is added at 1; d (old index 2) is x (new index 3) */
	assert_int_equal(it.nchanges, 2);
	assert_string_equal(it.changes[0].path, "spec.hostnames[1]");
	assert_null(it.changes[0].old);
	assert_string_equal(it.changes[0].new->str, "b");
	assert_string_equal(it.changes[1].path, "spec.hostnames[3]");
	assert_string_equal(it.changes[1].old->str, "d");
	assert_string_equal(it.changes[1].new->str, "x");
	gws_diff_item_release(&it);
	gws_val_destroy(old);
	gws_val_destroy(new);
	old = route(80, false);
	new = route(80, false);
	set_hosts(old, abc, 4);
	set_hosts(new, ac, 2);
	compare(&it, old, new);
	/* b and x removed, at their old indexes */
	assert_int_equal(it.nchanges, 2);
	assert_string_equal(it.changes[0].path, "spec.hostnames[1]");
	assert_string_equal(it.changes[1].path, "spec.hostnames[3]");
	assert_null(it.changes[1].new);
	gws_diff_item_release(&it);
	gws_val_destroy(old);
	gws_val_destroy(new);
}

static struct gws_val *gateway(const char *const *names, size_t n)
{
	struct gws_val *gw = gws_val_map(), *ls, *l;
	size_t i;

	gws_val_set_str(gw, "apiVersion", "gateway.networking.k8s.io/v1");
	gws_val_set_str(gw, "kind", "Gateway");
	ls = gws_val_list(gws_val_child(gw, "spec"), "listeners");
	for (i = 0; i < n; i++) {
		l = gws_val_push(ls, gws_val_map());
		gws_val_set_str(l, "name", names[i]);
		gws_val_set_int(l, "port", 80);
	}
	return gw;
}

static void test_keyed_listeners(void **state)
{
	static const char *const ab[] = { "a", "b.c" }, *const ba[] = {
		"b.c", "a", "new" };
	static const struct gws_diff_key key = {
		"gateway.networking.k8s.io", "Gateway", "edge", "gw" };
	struct gws_val *old = gateway(ab, 2), *new = gateway(ba, 3);
	struct gws_diff_ptrs fo = { 0 }, fn = { 0 };
	struct gws_diff_item it;
	struct gws_val *ls;

	(void)state;
	memset(&it, 0, sizeof(it));
	gws_diff_normalize(old, &key, &fo);
	gws_diff_normalize(new, &key, &fn);
	gws_diff_compare(&it, old, new, &fo, &fn);
	assert_int_equal(it.nchanges, 1);
	assert_string_equal(it.changes[0].path, "spec.listeners[name=new]");
	/* the added listener has no filled-in allowedRoutes */
	assert_int_equal(it.changes[0].new->n, 2);
	ls = gws_val_get(gws_val_get(old, "spec"), "listeners");
	assert_string_equal(gws_val_get_str(ls->items[0], "name"), "b.c");
	assert_int_equal(((struct gws_val *)ls->items[0])->n, 2);
	gws_diff_item_release(&it);
	gws_diff_ptrs_release(&fo);
	gws_diff_ptrs_release(&fn);
	gws_val_destroy(old);
	gws_val_destroy(new);
}

static void test_namespace(void **state)
{
	static const struct gws_diff_key key = { "", "Namespace", "", "edge" };
	struct gws_val *ns = gws_val_map(), *md;
	struct gws_diff_ptrs f = { 0 };

	(void)state;
	gws_val_set_str(ns, "kind", "Namespace");
	md = gws_val_child(ns, "metadata");
	gws_val_set_str(md, "name", "edge");
	gws_val_set_str(gws_val_child(md, "labels"),
			"kubernetes.io/metadata.name", "edge");
	gws_val_push(gws_val_list(gws_val_child(ns, "spec"), "finalizers"),
		     gws_val_str("kubernetes"));
	gws_diff_normalize(ns, &key, &f);
	assert_int_equal(ns->n, 2);
	assert_int_equal(md->n, 1);
	assert_int_equal(f.n, 0);
	gws_diff_ptrs_release(&f);
	gws_val_destroy(ns);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_udiff_exact),
		cmocka_unit_test(test_udiff_random),
		cmocka_unit_test(test_load_yaml),
		cmocka_unit_test(test_load_json),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_defaults_not_changes),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_list_alignment),
		cmocka_unit_test(test_keyed_listeners),
		cmocka_unit_test(test_namespace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
