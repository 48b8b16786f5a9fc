/* mappings.c - load controller annotation tables (mappings/<controller>.yaml) */
/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "gwshift/diag.h"
#include "gwshift/handlers.h"
#include "gwshift/mappings.h"
#include "banned.h"

static const char *const support_names[] = {
	"standard", "experimental", "target-specific", "unsupported",
};

const char *gws_support_name(enum gws_support s)
{
	return support_names[s];
}

/* struct tl - loading one table: its source for diagnostics */
struct tl {
	const char *file;
	int errors;
};

static void tl_error(struct tl *tl, struct fy_node *at, const char *fmt,
		     ...) GWS_PRINTF(3, 4);

static void tl_error(struct tl *tl, struct fy_node *at, const char *fmt, ...)
{
	struct fy_token *tok = at ? fy_node_get_scalar_token(at) : NULL;
	const struct fy_mark *mk = tok ? fy_token_start_mark(tok) : NULL;
	struct gws_src src = { (char *)tl->file, NULL, 0, 0, NULL, 0 };
	struct gws_pos pos = { &src, mk ? mk->line + 1 : 1,
			       mk ? mk->column + 1 : 1 };
	va_list ap;

	va_start(ap, fmt);
	gws_vdiag(&pos, "error", fmt, ap);
	va_end(ap);
	tl->errors++;
}

static char *str_at(struct tl *tl, struct fy_node *map, const char *key,
		    bool required)
{
	struct fy_node *v = fy_node_mapping_lookup_by_string(map, key, FY_NT);
	const char *s;
	size_t len;

	if (!v) {
		if (required)
			tl_error(tl, map, "table entry has no '%s'", key);
		return NULL;
	}
	s = fy_node_is_scalar(v) ? fy_node_get_scalar(v, &len) : NULL;
	if (!s) {
		tl_error(tl, v, "'%s' must be a string", key);
		return NULL;
	}
	return gws_xstrndup(s, len);
}

static char **str_list(struct tl *tl, struct fy_node *map, const char *key,
		       size_t *n)
{
	struct fy_node *seq = fy_node_mapping_lookup_by_string(map, key, FY_NT);
	struct fy_node *it;
	char **out = NULL;
	void *iter = NULL;
	size_t cap = 0;

	*n = 0;
	if (seq && !fy_node_is_sequence(seq)) {
		tl_error(tl, seq, "'%s' must be a list", key);
		return NULL;
	}
	while (seq && (it = fy_node_sequence_iterate(seq, &iter)) != NULL) {
		const char *s = fy_node_get_scalar0(it);

		if (!s) {
			tl_error(tl, it, "'%s' items must be strings", key);
			continue;
		}
		gws_grow((void **)&out, &cap, *n + 1, sizeof(*out));
		out[(*n)++] = gws_xstrdup(s);
	}
	return out;
}

static int support_from(const char *s, enum gws_support *out)
{
	size_t i;

	for (i = 0; i < GWS_ARRAY_SIZE(support_names); i++) {
		if (!strcmp(s, support_names[i])) {
			*out = (enum gws_support)i;
			return 0;
		}
	}
	return -1;
}

static void read_entry(struct tl *tl, struct fy_node *e,
		       struct gws_mapping_entry *out)
{
	char *support;

	memset(out, 0, sizeof(*out));
	out->key = str_at(tl, e, "key", true);
	out->handler = str_at(tl, e, "handler", true);
	out->construct = str_at(tl, e, "construct", false);
	out->note = str_at(tl, e, "note", false);
	out->targets = str_at(tl, e, "targets", false);
	out->reason = str_at(tl, e, "reason", false);
	support = str_at(tl, e, "support", true);
	if (support && support_from(support, &out->support) < 0)
		tl_error(tl, fy_node_mapping_lookup_by_string(e, "support", FY_NT),
			 "unknown support level '%s'", support);
	if (out->handler && !gws_handler_find(out->handler))
		tl_error(tl, fy_node_mapping_lookup_by_string(e, "handler", FY_NT),
			 "unknown handler '%s'", out->handler);
	free(support);
}

static int cmp_entry(const void *a, const void *b)
{
	return gws_strcmp_null(((const struct gws_mapping_entry *)a)->key,
			       ((const struct gws_mapping_entry *)b)->key);
}

static void table_free(struct gws_mapping_table *t);

static struct gws_mapping_table *read_table(struct tl *tl,
					    struct fy_node *root)
{
	struct gws_mapping_table *t = gws_xcalloc(1, sizeof(*t));
	struct fy_node *list, *e;
	void *iter = NULL;
	size_t cap = 0, i;

	if (!root || !fy_node_is_mapping(root)) {
		tl_error(tl, root, "a mapping table must be a mapping");
		table_free(t);
		return NULL;
	}
	t->name = str_at(tl, root, "name", true);
	t->prefix = str_at(tl, root, "prefix", true);
	t->controllers = str_list(tl, root, "controllers", &t->ncontrollers);
	t->classes = str_list(tl, root, "classes", &t->nclasses);
	list = fy_node_mapping_lookup_by_string(root, "annotations", FY_NT);
	while (list && (e = fy_node_sequence_iterate(list, &iter)) != NULL) {
		gws_grow((void **)&t->entries, &cap, t->nentries + 1,
			 sizeof(*t->entries));
		read_entry(tl, e, &t->entries[t->nentries++]);
	}
	if (t->nentries)
		qsort(t->entries, t->nentries, sizeof(*t->entries), cmp_entry);
	for (i = 1; i < t->nentries; i++)
		if (t->entries[i].key &&
		    !cmp_entry(&t->entries[i - 1], &t->entries[i]))
			tl_error(tl, root, "annotation '%s' is listed twice",
				 t->entries[i].key);
	if (tl->errors) {
		table_free(t);
		return NULL;
	}
	return t;
}

static void table_free(struct gws_mapping_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nentries; i++) {
		free(t->entries[i].key);
		free(t->entries[i].handler);
		free(t->entries[i].construct);
		free(t->entries[i].note);
		free(t->entries[i].targets);
		free(t->entries[i].reason);
	}
	free(t->entries);
	for (i = 0; i < t->ncontrollers; i++)
		free(t->controllers[i]);
	free(t->controllers);
	for (i = 0; i < t->nclasses; i++)
		free(t->classes[i]);
	free(t->classes);
	free(t->name);
	free(t->prefix);
	free(t);
}

/* parse @text and add (or replace by name) its table; Returns: 0 or -1 */
static int add_table(struct gws_mapping_set *set, const char *file,
		     const char *text, size_t len)
{
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET };
	struct fy_document *fyd;
	struct tl tl = { file, 0 };
	struct gws_mapping_table *t;
	size_t i;

	fyd = fy_document_build_from_string(&cfg, text, len);
	if (!fyd) {
		gws_diag_plain("error", "'%s' is not a valid YAML mapping table",
			       file);
		return -1;
	}
	t = read_table(&tl, fy_document_root(fyd));
	fy_document_destroy(fyd);
	if (!t)
		return -1;
	for (i = 0; i < set->n; i++) {
		if (!strcmp(set->tables[i]->name, t->name)) {
			table_free(set->tables[i]);
			set->tables[i] = t;
			return 0;
		}
	}
	set->tables = gws_xrealloc(set->tables, (set->n + 1) * sizeof(t));
	set->tables[set->n++] = t;
	return 0;
}

static int load_dir(struct gws_mapping_set *set, const char *dir)
{
	struct dirent **names = NULL;
	int n, i, rc = 0;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		gws_diag_plain("error", "cannot read '%s': %s", dir,
			       strerror(errno));
		return GWS_EXIT_IO;
	}
	for (i = 0; i < n; i++) {
		const char *ext = strrchr(names[i]->d_name, '.');
		char *path = gws_xasprintf("%s/%s", dir, names[i]->d_name);
		struct gws_buf b;
		FILE *fp;

		if (ext && !strcmp(ext, ".yaml") && (fp = fopen(path, "r"))) {
			char chunk[4096];
			size_t got;

			gws_buf_init(&b);
			while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
				gws_buf_add(&b, chunk, got);
			fclose(fp);
			if (add_table(set, path, b.data, b.len) < 0)
				rc = GWS_EXIT_INPUT;
			gws_buf_release(&b);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int gws_mappings_load(struct gws_mapping_set *set, const char *dir)
{
	size_t i;
	int rc = 0;

	memset(set, 0, sizeof(*set));
	for (i = 0; i < gws_builtin_ntables; i++) {
		const struct gws_builtin_table *b = &gws_builtin_tables[i];
		char *file = gws_xasprintf("mappings/%s.yaml", b->name);

		if (add_table(set, file, b->text, strlen(b->text)) < 0)
			rc = GWS_EXIT_INPUT;
		free(file);
	}
	if (!rc && dir)
		rc = load_dir(set, dir);
	return rc;
}

void gws_mappings_release(struct gws_mapping_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->n; i++)
		table_free(set->tables[i]);
	free(set->tables);
	memset(set, 0, sizeof(*set));
}

const struct gws_mapping_table *
gws_mappings_by_name(const struct gws_mapping_set *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (!strcmp(set->tables[i]->name, name))
			return set->tables[i];
	return NULL;
}

static bool listed(char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

const struct gws_mapping_table *
gws_mappings_by_controller(const struct gws_mapping_set *set,
			   const char *controller)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (listed(set->tables[i]->controllers,
			   set->tables[i]->ncontrollers, controller))
			return set->tables[i];
	return NULL;
}

const struct gws_mapping_table *
gws_mappings_by_class(const struct gws_mapping_set *set, const char *class_name)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (listed(set->tables[i]->classes, set->tables[i]->nclasses,
			   class_name))
			return set->tables[i];
	return NULL;
}

const struct gws_mapping_table *
gws_mappings_by_prefix(const struct gws_mapping_set *set, const char *key)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (!strncmp(key, set->tables[i]->prefix,
			     strlen(set->tables[i]->prefix)))
			return set->tables[i];
	return NULL;
}

const struct gws_mapping_entry *
gws_mapping_lookup(const struct gws_mapping_table *t, const char *key)
{
	struct gws_mapping_entry k = { 0 };
	size_t plen = strlen(t->prefix);

	if (strncmp(key, t->prefix, plen) != 0 || !t->nentries)
		return NULL;
	k.key = (char *)key + plen;
	return bsearch(&k, t->entries, t->nentries, sizeof(k), cmp_entry);
}

static void md_cell(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", fp);
		else
			fputc(*s, fp);
	}
}

void gws_mappings_print(const struct gws_mapping_table *t, FILE *fp)
{
	size_t i;

	fprintf(fp, "# %s annotations\n\nGenerated by `gwshift mappings %s` "
		"from mappings/%s.yaml: do not edit.\n\nPrefix: `%s`. "
		"%zu annotations.\n\n| annotation | support | handler | "
		"Gateway API construct | what it does | implementation "
		"policies | why not portable |\n|---|---|---|---|---|---|---|\n",
		t->name, t->name, t->name, t->prefix, t->nentries);
	for (i = 0; i < t->nentries; i++) {
		const struct gws_mapping_entry *e = &t->entries[i];

		fprintf(fp, "| `%s` | %s | `%s` | ", e->key,
			support_names[e->support], e->handler);
		md_cell(fp, e->construct);
		fputs(" | ", fp);
		md_cell(fp, e->note);
		fputs(" | ", fp);
		md_cell(fp, e->targets);
		fputs(" | ", fp);
		md_cell(fp, e->reason);
		fputs(" |\n", fp);
	}
}
