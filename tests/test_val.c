/* test_val.c - unit tests for the ordered value tree */
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

/*
 * A small HTTPRoute-like object:
 * { kind: HTTPRoute, metadata: { name: web, labels: { app: web } },
 *   spec: { hostnames: [a.example, b.example], port: 80, tls: true } }
 */
static struct gws_val *sample(void)
{
	struct gws_val *rt = gws_val_map();
	struct gws_val *md = NULL;
	struct gws_val *spec = NULL;
	struct gws_val *hosts = NULL;

	gws_val_set_str(rt, "kind", "HTTPRoute");
	md = gws_val_child(rt, "metadata");
	gws_val_set_str(md, "name", "web");
	gws_val_set_str(gws_val_child(md, "labels"), "app", "web");
	spec = gws_val_child(rt, "spec");
	hosts = gws_val_list(spec, "hostnames");
	gws_val_push(hosts, gws_val_str("a.example"));
	gws_val_push(hosts, gws_val_str("b.example"));
	gws_val_set_int(spec, "port", 80);
	gws_val_set(spec, "tls", gws_val_bool(true));
	return rt;
}

static int setup(void **state)
{
	*state = sample();
	return 0;
}

static int teardown(void **state)
{
	gws_val_destroy(*state);
	return 0;
}

static void test_scalars(void **state)
{
	struct gws_val *s = gws_val_str("x");
	struct gws_val *i = gws_val_int(-42);
	struct gws_val *b = gws_val_bool(false);
	struct gws_val *m = gws_val_map();
	struct gws_val *q = gws_val_seq();

	(void)state;
	assert_int_equal(s->kind, GWS_VAL_STR);
	assert_string_equal(s->str, "x");
	assert_int_equal(i->kind, GWS_VAL_INT);
	assert_true(i->num == -42);
	assert_int_equal(b->kind, GWS_VAL_BOOL);
	assert_false(b->b);
	assert_int_equal(m->kind, GWS_VAL_MAP);
	assert_int_equal(m->n, 0);
	assert_int_equal(q->kind, GWS_VAL_SEQ);
	assert_int_equal(q->n, 0);
	gws_val_destroy(s);
	gws_val_destroy(i);
	gws_val_destroy(b);
	gws_val_destroy(m);
	gws_val_destroy(q);
	gws_val_destroy(NULL);
}

static void test_order_and_replace(void **state)
{
	struct gws_val *m = gws_val_map();
	struct gws_val *v = NULL;

	(void)state;
	gws_val_set_str(m, "b", "1");
	gws_val_set_str(m, "a", "2");
	gws_val_set_str(m, "c", "3");
	assert_int_equal(m->n, 3);
	assert_string_equal(m->keys[0], "b");
	assert_string_equal(m->keys[1], "a");
	assert_string_equal(m->keys[2], "c");
	/* replacing keeps the position and frees the old value */
	v = gws_val_set_int(m, "a", 9);
	assert_int_equal(m->n, 3);
	assert_string_equal(m->keys[1], "a");
	assert_ptr_equal(m->items[1], v);
	assert_true(gws_val_get(m, "a")->num == 9);
	/* setting the same value again is harmless */
	assert_ptr_equal(gws_val_set(m, "a", v), v);
	assert_int_equal(m->n, 3);
	gws_val_destroy(m);
}

static void test_get(void **state)
{
	struct gws_val *rt = *state;
	struct gws_val *spec = gws_val_get(rt, "spec");

	assert_non_null(spec);
	assert_int_equal(spec->kind, GWS_VAL_MAP);
	assert_string_equal(gws_val_get_str(rt, "kind"), "HTTPRoute");
	assert_null(gws_val_get(rt, "missing"));
	assert_null(gws_val_get_str(rt, "spec"));	/* not a string */
	assert_null(gws_val_get_str(spec, "port"));
	assert_null(gws_val_get(NULL, "x"));
	assert_null(gws_val_get(gws_val_get(spec, "hostnames"), "x"));
	assert_null(gws_val_get_str(NULL, "x"));
}

static void test_child_and_list(void **state)
{
	struct gws_val *rt = *state;
	struct gws_val *md = gws_val_get(rt, "metadata");
	struct gws_val *hosts = NULL;
	size_t n = rt->n;

	/* existing children are returned, not replaced */
	assert_ptr_equal(gws_val_child(rt, "metadata"), md);
	hosts = gws_val_list(gws_val_child(rt, "spec"), "hostnames");
	assert_int_equal(hosts->n, 2);
	assert_int_equal(rt->n, n);
	/* missing ones are created at the end */
	assert_int_equal(gws_val_child(rt, "status")->kind, GWS_VAL_MAP);
	assert_string_equal(rt->keys[rt->n - 1], "status");
	/* a value of another kind is replaced in place */
	assert_int_equal(gws_val_list(rt, "kind")->kind, GWS_VAL_SEQ);
	assert_string_equal(rt->keys[0], "kind");
	assert_int_equal(gws_val_child(rt, "kind")->kind, GWS_VAL_MAP);
}

static void test_del(void **state)
{
	struct gws_val *m = gws_val_map();

	(void)state;
	gws_val_set_str(m, "a", "1");
	gws_val_set_str(m, "b", "2");
	gws_val_set_str(m, "c", "3");
	gws_val_set_str(m, "d", "4");
	assert_true(gws_val_del(m, "b"));
	assert_false(gws_val_del(m, "b"));
	assert_int_equal(m->n, 3);
	assert_string_equal(m->keys[0], "a");
	assert_string_equal(m->keys[1], "c");
	assert_string_equal(m->keys[2], "d");
	assert_string_equal(gws_val_get_str(m, "c"), "3");
	assert_true(gws_val_del(m, "d"));
	assert_true(gws_val_del(m, "a"));
	assert_int_equal(m->n, 1);
	assert_string_equal(m->keys[0], "c");
	assert_true(gws_val_del(m, "c"));
	assert_int_equal(m->n, 0);
	gws_val_set_str(m, "e", "5");
	assert_string_equal(gws_val_get_str(m, "e"), "5");
	gws_val_destroy(m);
}

static void test_push_many(void **state)
{
	struct gws_val *q = gws_val_seq();
	struct gws_val *m = gws_val_map();
	char key[32];
	int i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		assert_true(gws_val_push(q, gws_val_int(i))->num == i);
		snprintf(key, sizeof(key), "k%d", i);
		gws_val_set_int(m, key, i);
	}
	assert_int_equal(q->n, 1000);
	assert_int_equal(m->n, 1000);
	for (i = 0; i < 1000; i++) {
		assert_true(q->items[i]->num == i);
		snprintf(key, sizeof(key), "k%d", i);
		assert_string_equal(m->keys[i], key);
	}
	assert_true(gws_val_get(m, "k999")->num == 999);
	gws_val_destroy(q);
	gws_val_destroy(m);
}

static void test_clone(void **state)
{
	struct gws_val *rt = *state;
	struct gws_val *c = gws_val_clone(rt);
	struct gws_val *hosts = NULL;

	assert_true(gws_val_equal(rt, c));
	assert_ptr_not_equal(c, rt);
	assert_ptr_not_equal(c->keys[0], rt->keys[0]);
	/* the copy is independent */
	hosts = gws_val_list(gws_val_child(c, "spec"), "hostnames");
	gws_val_push(hosts, gws_val_str("c.example"));
	gws_val_set_str(c, "kind", "GRPCRoute");
	assert_false(gws_val_equal(rt, c));
	assert_string_equal(gws_val_get_str(rt, "kind"), "HTTPRoute");
	hosts = gws_val_get(gws_val_get(rt, "spec"), "hostnames");
	assert_int_equal(hosts->n, 2);
	gws_val_destroy(c);
	assert_null(gws_val_clone(NULL));
}

static void test_equal_maps_any_order(void **state)
{
	struct gws_val *rt = *state;
	struct gws_val *o = gws_val_map();
	struct gws_val *spec = NULL;
	struct gws_val *md = NULL;
	struct gws_val *hosts = NULL;

	/* the same content as sample(), keys inserted in another order */
	spec = gws_val_child(o, "spec");
	gws_val_set(spec, "tls", gws_val_bool(true));
	gws_val_set_int(spec, "port", 80);
	hosts = gws_val_list(spec, "hostnames");
	gws_val_push(hosts, gws_val_str("a.example"));
	gws_val_push(hosts, gws_val_str("b.example"));
	md = gws_val_child(o, "metadata");
	gws_val_set_str(gws_val_child(md, "labels"), "app", "web");
	gws_val_set_str(md, "name", "web");
	gws_val_set_str(o, "kind", "HTTPRoute");
	assert_true(gws_val_equal(rt, o));
	assert_true(gws_val_equal(o, rt));
	/* sequences compare in order */
	gws_val_destroy(hosts->items[0]);
	hosts->items[0] = hosts->items[1];
	hosts->items[1] = gws_val_str("a.example");
	assert_false(gws_val_equal(rt, o));
	gws_val_destroy(o);
}

static void test_equal_kinds(void **state)
{
	struct gws_val *s1 = gws_val_str("1");
	struct gws_val *i1 = gws_val_int(1);
	struct gws_val *i2 = gws_val_int(2);
	struct gws_val *bt = gws_val_bool(true);
	struct gws_val *bf = gws_val_bool(false);
	struct gws_val *m1 = gws_val_map();
	struct gws_val *m2 = gws_val_map();
	struct gws_val *q = gws_val_seq();

	(void)state;
	assert_false(gws_val_equal(s1, i1));
	assert_false(gws_val_equal(i1, i2));
	assert_true(gws_val_equal(i1, i1));
	assert_false(gws_val_equal(bt, bf));
	assert_true(gws_val_equal(NULL, NULL));
	assert_false(gws_val_equal(s1, NULL));
	assert_false(gws_val_equal(NULL, s1));
	assert_true(gws_val_equal(m1, m2));
	assert_false(gws_val_equal(m1, q));
	gws_val_set_int(m1, "a", 1);
	assert_false(gws_val_equal(m1, m2));
	gws_val_set_int(m2, "b", 1);
	assert_false(gws_val_equal(m1, m2));	/* same size, other key */
	gws_val_destroy(s1);
	gws_val_destroy(i1);
	gws_val_destroy(i2);
	gws_val_destroy(bt);
	gws_val_destroy(bf);
	gws_val_destroy(m1);
	gws_val_destroy(m2);
	gws_val_destroy(q);
}

/* a map with many keys (hash-indexed in val.c) behaves as a small one */
static void test_many_keys(void **state)
{
	struct gws_val *m = gws_val_map(), *c = NULL;
	char key[32];
	size_t i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "ns-%zu", i);
		gws_val_set_int(m, key, (long long)i);
	}
	assert_int_equal(m->n, 5000);
	for (i = 0; i < 5000; i += 7) {
		snprintf(key, sizeof(key), "ns-%zu", i);
		assert_int_equal(gws_val_get(m, key)->num, (long long)i);
	}
	assert_null(gws_val_get(m, "ns-5000"));
	/* replacing keeps the position, appending goes last */
	gws_val_set_str(m, "ns-10", "ten");
	assert_string_equal(m->keys[10], "ns-10");
	assert_string_equal(gws_val_get_str(m, "ns-10"), "ten");
	gws_val_set_int(m, "extra", 1);
	assert_string_equal(m->keys[5000], "extra");
	/* deleting moves the later keys: lookups still find them */
	assert_true(gws_val_del(m, "ns-0"));
	assert_false(gws_val_del(m, "ns-0"));
	assert_string_equal(m->keys[0], "ns-1");
	assert_int_equal(gws_val_get(m, "ns-4999")->num, 4999);
	assert_int_equal(gws_val_get(m, "extra")->num, 1);
	assert_null(gws_val_get(m, "ns-0"));
	/* a clone finds its keys too, and is equal */
	c = gws_val_clone(m);
	assert_int_equal(gws_val_get(c, "ns-1234")->num, 1234);
	assert_true(gws_val_equal(m, c));
	gws_val_destroy(c);
	gws_val_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_order_and_replace),
		cmocka_unit_test_setup_teardown(test_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_child_and_list, setup,
						teardown),
		cmocka_unit_test(test_del),
		cmocka_unit_test(test_push_many),
		cmocka_unit_test_setup_teardown(test_clone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_equal_maps_any_order,
						setup, teardown),
		cmocka_unit_test(test_equal_kinds),
		cmocka_unit_test(test_many_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
