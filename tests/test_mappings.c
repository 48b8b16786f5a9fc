/* test_mappings.c - unit tests for the handler table and mapping tables */
/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "gwshift/diag.h"
#include "gwshift/handlers.h"
#include "gwshift/mappings.h"
#include "gwshift/util.h"

#define NGINX_ENTRIES 138
#define NGINX_PREFIX "nginx.ingress.kubernetes.io/"

/* ---------------------------------------------------------------------
 * Fixture: a mapping set, a folder of tables, captured stderr
 */

struct fixture {
	struct gws_mapping_set set;
	char dir[64];
	FILE *tmp;
	int saved;
	char *err;
};

static int setup(void **state)
{
	struct fixture *fx = gws_xcalloc(1, sizeof(*fx));

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/gwshift-maps-XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	struct dirent *de;
	DIR *d = opendir(fx->dir);

	while (d && (de = readdir(d)) != NULL) {
		char *path;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		path = gws_xasprintf("%s/%s", fx->dir, de->d_name);
		unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
	rmdir(fx->dir);
	gws_mappings_release(&fx->set);
	free(fx->err);
	free(fx);
	return 0;
}

static void capture_begin(struct fixture *fx)
{
	fx->tmp = tmpfile();
	assert_non_null(fx->tmp);
	fflush(stderr);
	fx->saved = dup(STDERR_FILENO);
	dup2(fileno(fx->tmp), STDERR_FILENO);
}

static void capture_end(struct fixture *fx)
{
	struct gws_buf b;
	char chunk[4096];
	size_t got;

	fflush(stderr);
	dup2(fx->saved, STDERR_FILENO);
	close(fx->saved);
	rewind(fx->tmp);
	gws_buf_init(&b);
	while ((got = fread(chunk, 1, sizeof(chunk), fx->tmp)) > 0)
		gws_buf_add(&b, chunk, got);
	fclose(fx->tmp);
	free(fx->err);
	fx->err = gws_buf_detach(&b, NULL);
}

static void assert_err_has(const struct fixture *fx, const char *needle)
{
	if (!strstr(fx->err, needle))
		fail_msg("stderr has no '%s':\n%s", needle, fx->err);
}

static void write_table(const struct fixture *fx, const char *name,
			const char *text)
{
	char *path = gws_xasprintf("%s/%s", fx->dir, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
	free(path);
}

static void remove_table(const struct fixture *fx, const char *name)
{
	char *path = gws_xasprintf("%s/%s", fx->dir, name);

	assert_int_equal(unlink(path), 0);
	free(path);
}

/* gws_mappings_load() from the fixture's folder, stderr captured */
static int load(struct fixture *fx, const char *dir)
{
	int rc;

	gws_mappings_release(&fx->set);
	capture_begin(fx);
	rc = gws_mappings_load(&fx->set, dir);
	capture_end(fx);
	return rc;
}

/* ---------------------------------------------------------------------
 * The handler table
 */

static void test_handlers_sorted(void **state)
{
	size_t i;

	(void)state;
	assert_true(gws_nhandlers > 0);
	for (i = 0; i < gws_nhandlers; i++) {
		assert_non_null(gws_handlers[i].name);
		assert_non_null(gws_handlers[i].fn);
		if (i > 0 && strcmp(gws_handlers[i - 1].name,
				    gws_handlers[i].name) >= 0)
			fail_msg("gws_handlers[] is not sorted strictly: '%s' "
				 "before '%s'", gws_handlers[i - 1].name,
				 gws_handlers[i].name);
	}
}

static void test_handler_find(void **state)
{
	static const char *const unknown[] = {
		"", "a", "zzz", "Ignore", "ignore ", "ignor", "ignores",
		"pending-x", "unsupported2",
	};
	size_t i;

	(void)state;
	for (i = 0; i < gws_nhandlers; i++)
		assert_ptr_equal(gws_handler_find(gws_handlers[i].name),
				 &gws_handlers[i]);
	assert_non_null(gws_handler_find("ignore"));
	assert_non_null(gws_handler_find("pending"));
	assert_non_null(gws_handler_find("unsupported"));
	for (i = 0; i < GWS_ARRAY_SIZE(unknown); i++)
		if (gws_handler_find(unknown[i]))
			fail_msg("handler '%s' should not exist", unknown[i]);
}

/* ---------------------------------------------------------------------
 * The built-in table
 */

static void test_builtin(void **state)
{
	struct fixture *fx = *state;
	const struct gws_mapping_table *t;
	size_t i;

	assert_int_equal(load(fx, NULL), 0);
	assert_string_equal(fx->err, "");
	assert_int_equal(fx->set.n, gws_builtin_ntables);
	t = gws_mappings_by_name(&fx->set, "ingress-nginx");
	assert_non_null(t);
	assert_string_equal(t->name, "ingress-nginx");
	assert_string_equal(t->prefix, NGINX_PREFIX);
	assert_int_equal(t->nentries, NGINX_ENTRIES);
	assert_int_equal(t->ncontrollers, 1);
	assert_string_equal(t->controllers[0], "k8s.io/ingress-nginx");
	assert_int_equal(t->nclasses, 1);
	assert_string_equal(t->classes[0], "nginx");
	for (i = 0; i < t->nentries; i++) {
		const struct gws_mapping_entry *e = &t->entries[i];

		assert_non_null(e->key);
		assert_null(strchr(e->key, '/'));
		if (i > 0 && strcmp(t->entries[i - 1].key, e->key) >= 0)
			fail_msg("entries not sorted: '%s' before '%s'",
				 t->entries[i - 1].key, e->key);
		if (!gws_handler_find(e->handler))
			fail_msg("'%s' names unknown handler '%s'", e->key,
				 e->handler);
		assert_in_range(e->support, GWS_SUPPORT_STANDARD,
				GWS_SUPPORT_UNSUPPORTED);
	}
	assert_string_equal(t->entries[0].key, "affinity");
	assert_string_equal(t->entries[t->nentries - 1].key,
			    "x-forwarded-prefix");
	assert_null(gws_mappings_by_name(&fx->set, "no-such-controller"));
}

/* every built-in table: named as its file, sorted, known handlers */
static void test_builtin_all(void **state)
{
	struct fixture *fx = *state;
	size_t i, j;

	assert_int_equal(load(fx, NULL), 0);
	assert_int_equal(fx->set.n, gws_builtin_ntables);
	for (i = 0; i < gws_builtin_ntables; i++) {
		const struct gws_mapping_table *t;

		t = gws_mappings_by_name(&fx->set, gws_builtin_tables[i].name);
		if (!t)
			fail_msg("mappings/%s.yaml has another name",
				 gws_builtin_tables[i].name);
		assert_true(t->prefix[0] != '\0');
		assert_int_equal(t->prefix[strlen(t->prefix) - 1], '/');
		for (j = 0; j < t->nentries; j++) {
			const struct gws_mapping_entry *e = &t->entries[j];

			if (j > 0 && strcmp(t->entries[j - 1].key, e->key) >= 0)
				fail_msg("%s: '%s' before '%s'", t->name,
					 t->entries[j - 1].key, e->key);
			if (!gws_handler_find(e->handler))
				fail_msg("%s: '%s' names unknown handler '%s'",
					 t->name, e->key, e->handler);
		}
	}
}

static void test_lookup(void **state)
{
	struct fixture *fx = *state;
	const struct gws_mapping_table *t;
	const struct gws_mapping_entry *e;
	size_t i;

	assert_int_equal(load(fx, NULL), 0);
	t = gws_mappings_by_name(&fx->set, "ingress-nginx");
	e = gws_mapping_lookup(t, NGINX_PREFIX "rewrite-target");
	assert_non_null(e);
	assert_string_equal(e->key, "rewrite-target");
	/* every entry is found by its full key: bsearch over the whole table */
	for (i = 0; i < t->nentries; i++) {
		char *key = gws_xasprintf(NGINX_PREFIX "%s", t->entries[i].key);

		assert_ptr_equal(gws_mapping_lookup(t, key), &t->entries[i]);
		/* without the prefix it is not an ingress-nginx annotation */
		assert_null(gws_mapping_lookup(t, t->entries[i].key));
		free(key);
	}
	assert_null(gws_mapping_lookup(t, NGINX_PREFIX));
	assert_null(gws_mapping_lookup(t, NGINX_PREFIX "no-such-thing"));
	assert_null(gws_mapping_lookup(t, NGINX_PREFIX "Rewrite-Target"));
	assert_null(gws_mapping_lookup(t, "nginx.org/rewrite-target"));
	assert_null(gws_mapping_lookup(t, "nginx.ingress.kubernetes.io"));
	assert_null(gws_mapping_lookup(t, ""));
}

static void test_by_controller_class_prefix(void **state)
{
	struct fixture *fx = *state;
	const struct gws_mapping_table *t;

	assert_int_equal(load(fx, NULL), 0);
	t = gws_mappings_by_name(&fx->set, "ingress-nginx");
	assert_ptr_equal(gws_mappings_by_controller(&fx->set,
						    "k8s.io/ingress-nginx"), t);
	assert_null(gws_mappings_by_controller(&fx->set, "k8s.io/ingress"));
	assert_null(gws_mappings_by_controller(&fx->set,
					       "traefik.io/ingress-controller"));
	assert_null(gws_mappings_by_controller(&fx->set, NULL));
	assert_ptr_equal(gws_mappings_by_class(&fx->set, "nginx"), t);
	assert_null(gws_mappings_by_class(&fx->set, "nginx-internal"));
	assert_null(gws_mappings_by_class(&fx->set, ""));
	assert_null(gws_mappings_by_class(&fx->set, NULL));
	assert_ptr_equal(gws_mappings_by_prefix(&fx->set,
						NGINX_PREFIX "ssl-redirect"), t);
	assert_ptr_equal(gws_mappings_by_prefix(&fx->set,
						NGINX_PREFIX "unknown"), t);
	assert_null(gws_mappings_by_prefix(&fx->set, "example.com/x"));
	assert_null(gws_mappings_by_prefix(&fx->set, "nginx.org/x"));
	assert_null(gws_mappings_by_prefix(&fx->set, "nginx.ingress"));
	assert_null(gws_mappings_by_prefix(&fx->set, ""));
}

/* every table answers for its own prefix, and only tables with a prefix */
static void test_by_prefix_every_table(void **state)
{
	struct fixture *fx = *state;
	size_t i;

	assert_int_equal(load(fx, NULL), 0);
	for (i = 0; i < fx->set.n; i++) {
		const struct gws_mapping_table *t = fx->set.tables[i], *got;
		char *key = gws_xasprintf("%sx", t->prefix);

		got = gws_mappings_by_prefix(&fx->set, key);
		assert_non_null(got);
		if (strncmp(key, got->prefix, strlen(got->prefix)) != 0)
			fail_msg("'%s' went to table '%s' (prefix '%s')", key,
				 got->name, got->prefix);
		free(key);
	}
}

static void test_support_names(void **state)
{
	(void)state;
	assert_string_equal(gws_support_name(GWS_SUPPORT_STANDARD), "standard");
	assert_string_equal(gws_support_name(GWS_SUPPORT_EXPERIMENTAL),
			    "experimental");
	assert_string_equal(gws_support_name(GWS_SUPPORT_TARGET_SPECIFIC),
			    "target-specific");
	assert_string_equal(gws_support_name(GWS_SUPPORT_UNSUPPORTED),
			    "unsupported");
}

static void test_print(void **state)
{
	struct fixture *fx = *state;
	char *text = NULL, *p;
	size_t len = 0, rows = 0;
	FILE *fp;

	assert_int_equal(load(fx, NULL), 0);
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	gws_mappings_print(gws_mappings_by_name(&fx->set, "ingress-nginx"), fp);
	assert_int_equal(fclose(fp), 0);
	assert_true(!strncmp(text, "# ingress-nginx annotations\n", 28));
	assert_non_null(strstr(text, "Prefix: `" NGINX_PREFIX "`. 138 "
			       "annotations."));
	assert_non_null(strstr(text, "\n| `rewrite-target` | "));
	for (p = text; (p = strstr(p, "\n| `")) != NULL; p++)
		rows++;
	assert_int_equal(rows, NGINX_ENTRIES);
	free(text);
}

/* ---------------------------------------------------------------------
 * Tables from --mappings DIR
 */

static const char override_table[] =
	"name: ingress-nginx\n"
	"prefix: nginx.ingress.kubernetes.io/\n"
	"controllers: [k8s.io/ingress-nginx, example.com/nginx-fork]\n"
	"classes: [nginx, nginx-internal]\n"
	"annotations:\n"
	"  - key: ssl-redirect\n"
	"    handler: unsupported\n"
	"    support: unsupported\n"
	"    note: \"on | off\"\n"
	"  - key: affinity\n"
	"    handler: ignore\n"
	"    support: standard\n"
	"    construct: none\n";

static const char acme_table[] =
	"name: acme\n"
	"prefix: acme.io/\n"
	"annotations:\n"
	"  - key: timeout\n"
	"    handler: pending\n"
	"    support: target-specific\n";

static void test_override(void **state)
{
	struct fixture *fx = *state;
	const struct gws_mapping_table *t;
	const struct gws_mapping_entry *e;

	write_table(fx, "nginx.yaml", override_table);
	write_table(fx, "README.md", "not: [a table\n");
	write_table(fx, "nginx.yaml.orig", "not: [a table\n");
	assert_int_equal(load(fx, fx->dir), 0);
	assert_string_equal(fx->err, "");
	/* same name: it replaces the built-in table, it does not add one */
	assert_int_equal(fx->set.n, gws_builtin_ntables);
	t = gws_mappings_by_name(&fx->set, "ingress-nginx");
	assert_int_equal(t->nentries, 2);
	assert_string_equal(t->entries[0].key, "affinity");
	assert_string_equal(t->entries[1].key, "ssl-redirect");
	e = gws_mapping_lookup(t, NGINX_PREFIX "ssl-redirect");
	assert_non_null(e);
	assert_string_equal(e->handler, "unsupported");
	assert_int_equal(e->support, GWS_SUPPORT_UNSUPPORTED);
	assert_string_equal(e->note, "on | off");
	assert_null(e->construct);
	e = gws_mapping_lookup(t, NGINX_PREFIX "affinity");
	assert_string_equal(e->construct, "none");
	assert_null(e->note);
	assert_null(gws_mapping_lookup(t, NGINX_PREFIX "rewrite-target"));
	assert_ptr_equal(gws_mappings_by_controller(&fx->set,
						    "example.com/nginx-fork"), t);
	assert_ptr_equal(gws_mappings_by_class(&fx->set, "nginx-internal"), t);
}

static void test_override_print_escapes(void **state)
{
	struct fixture *fx = *state;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	write_table(fx, "nginx.yaml", override_table);
	assert_int_equal(load(fx, fx->dir), 0);
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	gws_mappings_print(gws_mappings_by_name(&fx->set, "ingress-nginx"), fp);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(strstr(text, "| `ssl-redirect` | unsupported | "
			       "`unsupported` |  | on \\| off |  |  |\n"));
	assert_non_null(strstr(text, "| `affinity` | standard | `ignore` | "
			       "none |  |  |  |\n"));
	free(text);
}

static void test_new_table(void **state)
{
	struct fixture *fx = *state;
	const struct gws_mapping_table *t;

	write_table(fx, "acme.yaml", acme_table);
	assert_int_equal(load(fx, fx->dir), 0);
	assert_int_equal(fx->set.n, gws_builtin_ntables + 1);
	t = gws_mappings_by_name(&fx->set, "acme");
	assert_non_null(t);
	assert_int_equal(t->ncontrollers, 0);
	assert_int_equal(t->nclasses, 0);
	assert_ptr_equal(gws_mappings_by_prefix(&fx->set, "acme.io/timeout"), t);
	assert_non_null(gws_mapping_lookup(t, "acme.io/timeout"));
	/* the built-in table is still there */
	assert_int_equal(gws_mappings_by_name(&fx->set, "ingress-nginx")->nentries,
			 NGINX_ENTRIES);
}

static void test_override_order(void **state)
{
	struct fixture *fx = *state;
	const struct gws_mapping_table *t;

	/* two files with one name: the later one in name order wins */
	write_table(fx, "b.yaml", override_table);
	write_table(fx, "a.yaml", "name: ingress-nginx\n"
		    "prefix: nginx.ingress.kubernetes.io/\n"
		    "annotations:\n"
		    "  - {key: only, handler: ignore, support: standard}\n");
	assert_int_equal(load(fx, fx->dir), 0);
	assert_int_equal(fx->set.n, gws_builtin_ntables);
	t = gws_mappings_by_name(&fx->set, "ingress-nginx");
	assert_int_equal(t->nentries, 2);
	assert_null(gws_mapping_lookup(t, NGINX_PREFIX "only"));
}

static void test_unknown_handler(void **state)
{
	struct fixture *fx = *state;

	write_table(fx, "bad.yaml",
		    "name: ingress-nginx\n"
		    "prefix: nginx.ingress.kubernetes.io/\n"
		    "annotations:\n"
		    "  - key: affinity\n"
		    "    handler: frobnicate\n"
		    "    support: standard\n");
	assert_int_equal(load(fx, fx->dir), GWS_EXIT_INPUT);
	assert_err_has(fx, "/bad.yaml:5:14: error: unknown handler "
		       "'frobnicate'");
	/* the bad table replaced nothing */
	assert_int_equal(gws_mappings_by_name(&fx->set, "ingress-nginx")->nentries,
			 NGINX_ENTRIES);
}

static void test_table_errors(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *text;
		const char *error;
	} cases[] = {
		{ "name: x\nprefix: x/\nannotations:\n"
		  "  - {key: a, handler: ignore, support: sometimes}\n",
		  "unknown support level 'sometimes'" },
		{ "name: x\nprefix: x/\nannotations:\n"
		  "  - {handler: ignore, support: standard}\n",
		  "table entry has no 'key'" },
		{ "name: x\nprefix: x/\nannotations:\n"
		  "  - {key: a, support: standard}\n",
		  "table entry has no 'handler'" },
		{ "name: x\nprefix: x/\nannotations:\n"
		  "  - {key: a, handler: ignore}\n",
		  "table entry has no 'support'" },
		{ "name: x\nprefix: x/\nannotations:\n"
		  "  - {key: a, handler: ignore, support: standard}\n"
		  "  - {key: a, handler: pending, support: standard}\n",
		  "annotation 'a' is listed twice" },
		{ "name: x\nprefix: x/\nannotations:\n"
		  "  - {key: [a], handler: ignore, support: standard}\n",
		  "'key' must be a string" },
		{ "prefix: x/\n", "table entry has no 'name'" },
		{ "name: x\n", "table entry has no 'prefix'" },
		{ "name: x\nprefix: x/\ncontrollers: k8s.io/x\n",
		  "'controllers' must be a list" },
		{ "name: x\nprefix: x/\nclasses: [[a]]\n",
		  "'classes' items must be strings" },
		{ "- a\n- b\n", "a mapping table must be a mapping" },
		{ "name: [x\n", "is not a valid YAML mapping table" },
	};
	size_t i;

	for (i = 0; i < GWS_ARRAY_SIZE(cases); i++) {
		write_table(fx, "t.yaml", cases[i].text);
		assert_int_equal(load(fx, fx->dir), GWS_EXIT_INPUT);
		assert_err_has(fx, "/t.yaml");
		assert_err_has(fx, cases[i].error);
		assert_null(gws_mappings_by_name(&fx->set, "x"));
		remove_table(fx, "t.yaml");
	}
}

static void test_missing_dir(void **state)
{
	struct fixture *fx = *state;
	char *missing = gws_xasprintf("%s/none", fx->dir);

	assert_int_equal(load(fx, missing), GWS_EXIT_IO);
	assert_err_has(fx, "gwshift: error: cannot read '");
	assert_err_has(fx, "/none': ");
	free(missing);
}

static void test_empty_dir(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(load(fx, fx->dir), 0);
	assert_int_equal(fx->set.n, gws_builtin_ntables);
}

static void test_release_twice(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(load(fx, NULL), 0);
	gws_mappings_release(&fx->set);
	assert_int_equal(fx->set.n, 0);
	assert_null(fx->set.tables);
	gws_mappings_release(&fx->set);
	gws_mappings_release(NULL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handlers_sorted),
		cmocka_unit_test(test_handler_find),
		T(test_builtin),
		T(test_lookup),
		T(test_builtin_all),
		T(test_by_controller_class_prefix),
		T(test_by_prefix_every_table),
		cmocka_unit_test(test_support_names),
		T(test_print),
		T(test_override),
		T(test_override_print_escapes),
		T(test_new_table),
		T(test_override_order),
		T(test_unknown_handler),
		T(test_table_errors),
		T(test_missing_dir),
		T(test_empty_dir),
		T(test_release_twice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
