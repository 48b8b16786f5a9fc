/* load.c - hand the parsed documents to the repo's model, in file order */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "internal.h"
#include "banned.h"

/* struct mig_loader - the objects given to the model so far */
struct mig_loader {
	struct mig_repo *r;
	char **keys;		/* a hash set of "kind\napiVersion\nns\nname" */
	size_t nkeys, cap;
};

struct mig_loader *mig_loader_create(struct mig_repo *r)
{
	struct mig_loader *ld = gws_xcalloc(1, sizeof(*ld));

	ld->r = r;
	ld->cap = 256;
	ld->keys = gws_xcalloc(ld->cap, sizeof(*ld->keys));
	return ld;
}

static size_t hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static void set_put(struct mig_loader *ld, char *key)
{
	size_t i = hash(key) & (ld->cap - 1);

	while (ld->keys[i])
		i = (i + 1) & (ld->cap - 1);
	ld->keys[i] = key;
	ld->nkeys++;
}

/* true if @key was there already (then it is freed), else it is kept */
static bool set_seen(struct mig_loader *ld, char *key)
{
	size_t i = hash(key) & (ld->cap - 1), j;
	char **old = ld->keys;

	for (; ld->keys[i]; i = (i + 1) & (ld->cap - 1)) {
		if (!strcmp(ld->keys[i], key)) {
			free(key);
			return true;
		}
	}
	if (2 * (ld->nkeys + 1) > ld->cap) {
		ld->cap *= 2;
		ld->keys = gws_xcalloc(ld->cap, sizeof(*ld->keys));
		ld->nkeys = 0;
		for (j = 0; j < ld->cap / 2; j++)
			if (old[j])
				set_put(ld, old[j]);
		free(old);
	}
	set_put(ld, key);
	return false;
}

static const char *str_at(struct fy_node *map, const char *key)
{
	if (!map || !fy_node_is_mapping(map))
		return NULL;
	return fy_node_mapping_lookup_scalar0_by_simple_key(map, key,
							    strlen(key));
}

/* the same object twice (a base and its overlay): only the first counts */
static char *object_key(struct fy_node *root)
{
	struct fy_node *md = fy_node_mapping_lookup_by_string(root,
		"metadata", FY_NT);
	const char *ns = str_at(md, "namespace");

	return gws_xasprintf("%s\n%s\n%s\n%s", str_at(root, "kind"),
			     str_at(root, "apiVersion"), ns ? ns : "default",
			     str_at(md, "name") ? str_at(md, "name") : "");
}

static void load_object(struct mig_loader *ld, struct mig_file *f,
			struct fy_node *root, bool in_list)
{
	struct fy_node *items, *item;
	const char *kind = str_at(root, "kind");
	void *iter = NULL;

	if (!kind || !str_at(root, "apiVersion"))
		return;
	if (mig_list_kind(kind) && !in_list) {
		items = fy_node_mapping_lookup_by_string(root, "items", FY_NT);
		while (items && fy_node_is_sequence(items) &&
		       (item = fy_node_sequence_iterate(items, &iter)) != NULL)
			if (!(str_at(item, "kind") &&
			      !strcmp(str_at(item, "kind"), "Ingress")))
				load_object(ld, f, item, true);
		return;
	}
	if (set_seen(ld, object_key(root)))
		return;
	if (gws_model_add(&ld->r->m, &f->src, root) < 0)
		f->failed = true;
}

static void load_ingress(struct mig_repo *r, struct mig_file *f,
			 struct mig_doc *d, struct fy_node *root)
{
	const struct gws_ingress *ing;

	if (gws_model_add(&r->m, &f->src, root) < 0) {
		f->failed = true;
		return;
	}
	ing = &r->m.ingresses[r->m.ningresses - 1];
	free(d->id);
	d->id = gws_xasprintf("%s/%s", ing->ns, ing->name);
	d->added = true;
}

static const char *const note_text[] = {
	[MIG_NOTE_HELM] = "Helm template: not edited; render the chart and "
		"migrate its output, or change the template by hand",
	[MIG_NOTE_PATCH] = "Ingress in a kustomize patch: not migrated; patch "
		"the HTTPRoute that replaces the Ingress instead",
	[MIG_NOTE_LIST] = "Ingress inside a kind: List document: not migrated;"
		" split the List into documents",
	[MIG_NOTE_KPATCH] = "kustomization patch of Ingresses: not migrated; "
		"patch the HTTPRoutes that replace them instead",
};

void mig_file_notes(struct gws_report *rep, const struct mig_file *f)
{
	const struct mig_note *n;
	const char *slash;
	char *ns;
	size_t i;

	for (i = 0; i < f->nnotes; i++) {
		n = &f->notes[i];
		slash = n->name ? strchr(n->name, '/') : NULL;
		ns = slash ? gws_xstrndup(n->name, (size_t)(slash - n->name)) :
			     NULL;
		gws_report_add(rep, GWS_NOT_CONVERTED, &n->pos, "Ingress", ns,
			       slash ? slash + 1 : n->kind == MIG_NOTE_HELM ?
			       "(Helm template)" : "(kustomize patch)", "",
			       "%s", note_text[n->kind]);
		free(ns);
	}
}

void mig_load(struct mig_loader *ld, struct mig_file *f)
{
	struct mig_repo *r = ld->r;
	struct fy_node *root;
	size_t i;

	mig_print_captured(&f->diag, &f->diaglen);
	if (!f->failed)
		mig_file_notes(&r->rep, f);
	for (i = 0; !f->failed && i < f->nheld; i++) {
		root = fy_document_root(f->held[i].fyd);
		if (f->held[i].doc != SIZE_MAX)
			load_ingress(r, f, &f->docs[f->held[i].doc], root);
		else
			load_object(ld, f, root, false);
	}
	mig_file_release_held(f);
	if (f->failed)
		mig_drop_findings(&r->rep, f, false);
}

/* struct doc_ref - an Ingress document and the order of its file */
struct doc_ref {
	const char *id;
	size_t fi, di;		/* file order, then document order */
	struct mig_file *f;
	struct mig_doc *d;
};

static int cmp_ref(const void *a, const void *b)
{
	const struct doc_ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	if (x->fi != y->fi)
		return x->fi < y->fi ? -1 : 1;
	return x->di < y->di ? -1 : x->di > y->di;
}

/* one Ingress in two documents: neither file is migrated */
static void duplicates(struct mig_repo *r)
{
	struct doc_ref *refs = NULL;
	size_t n = 0, cap = 0, i, j, first = 0;

	for (i = 0; i < r->n; i++)
		for (j = 0; j < r->files[i]->ndocs; j++) {
			if (!r->files[i]->docs[j].added)
				continue;
			gws_grow((void **)&refs, &cap, n + 1, sizeof(*refs));
			refs[n++] = (struct doc_ref){ r->files[i]->docs[j].id,
				i, j, r->files[i], &r->files[i]->docs[j] };
		}
	if (n)
		qsort(refs, n, sizeof(*refs), cmp_ref);
	for (i = 1; i < n; i++) {
		if (strcmp(refs[i].id, refs[i - 1].id)) {
			first = i;
			continue;
		}
		gws_diag(&refs[i].d->pos, "error", "duplicate Ingress '%s' (first "
			 "at %s:%d:%d): neither file is migrated", refs[i].id,
			 refs[first].f->path, refs[first].d->pos.line,
			 refs[first].d->pos.col);
		refs[i].f->failed = refs[first].f->failed = true;
		r->rc = mig_worst(r->rc, GWS_EXIT_INPUT);
	}
	free(refs);
}

void mig_loader_finish(struct mig_loader *ld)
{
	struct mig_repo *r = ld->r;
	size_t i;

	duplicates(r);
	for (i = 0; i < r->n; i++) {
		if (!r->files[i]->failed)
			continue;
		mig_drop_findings(&r->rep, r->files[i], false);
		mig_model_drop(&r->m, r->files[i]);
		r->rc = mig_worst(r->rc, r->files[i]->io_failed ?
				  GWS_EXIT_IO : GWS_EXIT_INPUT);
	}
	if (gws_model_finish(&r->m) < 0)
		r->rc = mig_worst(r->rc, GWS_EXIT_INPUT);
	for (i = 0; i < ld->cap; i++)
		free(ld->keys[i]);
	free(ld->keys);
	free(ld);
}
