/* place.c - who owns each object: the output tree and its kustomizations */
/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gwshift/place.h"
#include "banned.h"

static const char *const role_dirs[] = { "platform", "apps" };

void gws_tree_release(struct gws_tree *tree)
{
	size_t i;

	if (!tree)
		return;
	for (i = 0; i < tree->n; i++) {
		free(tree->files[i].path);
		free(tree->files[i].data);
	}
	free(tree->files);
	memset(tree, 0, sizeof(*tree));
}

/*
 * a file at @path: @text's data, taken (or its place in spool @spool), or
 * @doc written now
 */
static int add_file(struct gws_tree *tree, char *path, struct gws_val *doc,
		    struct gws_text *text, int spool)
{
	struct gws_buf b;
	struct gws_file *f;

	gws_buf_init(&b);
	if (text && text->err) {
		fputs(text->err, stderr);
		free(path);
		return -1;
	}
	if (!text && gws_write_docs(&b, &doc, 1, GWS_FORMAT_YAML) < 0) {
		gws_buf_release(&b);
		free(path);
		return -1;
	}
	gws_grow((void **)&tree->files, &tree->cap, tree->n + 1,
		 sizeof(*tree->files));
	f = &tree->files[tree->n++];
	memset(f, 0, sizeof(*f));
	f->path = path;
	if (text && !text->data) {
		f->len = text->len;
		f->fd = spool;
		f->off = text->off;
	} else if (text) {
		f->data = text->data;
		f->len = text->len;
		text->data = NULL;
	} else {
		f->data = gws_buf_detach(&b, &f->len);
	}
	return 0;
}

static struct gws_val *kustomization(void)
{
	struct gws_val *k = gws_val_map();

	gws_val_set_str(k, "apiVersion", "kustomize.config.k8s.io/v1beta1");
	gws_val_set_str(k, "kind", "Kustomization");
	gws_val_list(k, "resources");
	return k;
}

/* write kustomization.yaml in @dir listing @k's resources, then free @k */
static int add_kustomization(struct gws_tree *tree, const char *dir,
			     struct gws_val *k)
{
	char *path = *dir ? gws_xasprintf("%s/kustomization.yaml", dir) :
		     gws_xstrdup("kustomization.yaml");
	int rc = add_file(tree, path, k, NULL, -1);

	gws_val_destroy(k);
	return rc;
}

static char *lower(const char *s)
{
	char *out = gws_xstrdup(s), *p;

	for (p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

/* "<kind>-<name>.yaml", cut with a hash when too long for a file name */
static char *file_name(const char *kind, const char *name)
{
	unsigned long h = 2166136261UL;
	const char *p;

	if (strlen(kind) + strlen(name) < 200)
		return gws_xasprintf("%s-%s.yaml", kind, name);
	for (p = name; *p; p++)
		h = ((h ^ (unsigned char)*p) * 16777619UL) & 0xffffffffUL;
	return gws_xasprintf("%s-%.180s-%08lx.yaml", kind, name, h);
}

/* the namespace folder of an object; cluster objects go by their name */
static const char *folder_of(const struct gws_object *o)
{
	return o->ns ? o->ns : o->name;
}

int gws_place(const struct gws_output *out, struct gws_tree *tree)
{
	struct gws_val *top = kustomization(), *role = NULL, *nsk = NULL;
	const char *cur_ns = NULL;
	int cur_role = -1, rc = 0;
	size_t i;

	for (i = 0; i < out->n && rc == 0; i++) {
		const struct gws_object *o = &out->objs[i];
		const char *rd = role_dirs[o->role];
		char *kind = lower(o->kind), *file, *dir;

		if ((int)o->role != cur_role || strcmp(cur_ns, folder_of(o))) {
			if (nsk) {
				dir = gws_xasprintf("%s/%s", role_dirs[cur_role],
						    cur_ns);
				rc |= add_kustomization(tree, dir, nsk);
				free(dir);
			}
			if ((int)o->role != cur_role) {
				if (role)
					rc |= add_kustomization(tree,
						role_dirs[cur_role], role);
				role = kustomization();
				gws_val_push(gws_val_get(top, "resources"),
					     gws_val_str(rd));
			}
			nsk = kustomization();
			gws_val_push(gws_val_get(role, "resources"),
				     gws_val_str(folder_of(o)));
			cur_role = (int)o->role;
			cur_ns = folder_of(o);
		}
		file = file_name(kind, o->name);
		gws_val_push(gws_val_get(nsk, "resources"), gws_val_str(file));
		rc |= add_file(tree, gws_xasprintf("%s/%s/%s", rd, cur_ns, file),
			       o->doc, o->text, out->spool);
		free(file);
		free(kind);
	}
	if (nsk) {
		char *dir = gws_xasprintf("%s/%s", role_dirs[cur_role], cur_ns);

		rc |= add_kustomization(tree, dir, nsk);
		free(dir);
	}
	if (role)
		rc |= add_kustomization(tree, role_dirs[cur_role], role);
	rc |= add_kustomization(tree, "", top);
	return rc ? -1 : 0;
}
