/* walk.c - the files of a repo: YAML manifests, kustomizations, charts */
/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "banned.h"

static const char *const kust_names[] = {
	"kustomization.yaml", "kustomization.yml", "Kustomization",
};

/* struct walk - one walk of a repo folder */
struct walk {
	struct mig_repo *r;
	const struct mig_opts *o;
	char *real_root;	/* the repo root with every link resolved */
	int rc;
};

void mig_file_destroy(struct mig_file *f)
{
	size_t i;

	if (!f)
		return;
	mig_file_release_held(f);
	for (i = 0; i < f->ndocs; i++) {
		free(f->docs[i].id);
		free(f->docs[i].objs);
	}
	free(f->docs);
	for (i = 0; i < f->nnotes; i++)
		free(f->notes[i].name);
	free(f->notes);
	mig_kust_destroy(f->kust);
	free(f->spans);
	free(f->diag);
	free(f->out);
	free(f->report);
	free(f->src.data);
	free(f->path);
	free(f->rel);
	free(f);
}

void mig_repo_destroy(struct mig_repo *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		mig_file_destroy(r->files[i]);
	free(r->files);
	gws_output_release(&r->out);
	gws_model_release(&r->m);
	gws_report_release(&r->rep);
	free(r->root);
	free(r->prefix);
	free(r);
}

char *mig_dir_of(const char *rel)
{
	const char *slash = strrchr(rel, '/');

	return slash ? gws_xstrndup(rel, (size_t)(slash - rel)) :
		       gws_xstrdup("");
}

/* push the parts of @p (split at '/') onto @out, folding "." and ".." */
static int fold(struct gws_buf *out, const char *p)
{
	size_t n;

	while (*p) {
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash;

			if (!out->len)
				return -1;
			slash = strrchr(out->data, '/');
			out->len = slash ? (size_t)(slash - out->data) : 0;
			out->data[out->len] = '\0';
		} else if (n && !(n == 1 && p[0] == '.')) {
			if (out->len)
				gws_buf_addc(out, '/');
			gws_buf_add(out, p, n);
		}
		p += n;
		p += *p == '/';
	}
	return 0;
}

char *mig_path_join(const char *dir, const char *rel)
{
	struct gws_buf b;

	if (!rel || rel[0] == '/' || strstr(rel, "://"))
		return NULL;
	gws_buf_init(&b);
	if (fold(&b, dir) < 0 || fold(&b, rel) < 0) {
		gws_buf_release(&b);
		return NULL;
	}
	return gws_buf_detach(&b, NULL);
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp((*(struct mig_file *const *)a)->rel,
		      (*(struct mig_file *const *)b)->rel);
}

struct mig_file *mig_file_find(const struct mig_repo *r, const char *rel)
{
	struct mig_file key, *kp = &key, **hit;

	key.rel = (char *)rel;
	if (!r->n)
		return NULL;
	hit = bsearch(&kp, r->files, r->n, sizeof(*r->files), cmp_file);
	return hit ? *hit : NULL;
}

static struct mig_file *new_file(struct mig_repo *r, const char *rel)
{
	struct mig_file *f = gws_xcalloc(1, sizeof(*f));

	f->rel = gws_xstrdup(rel);
	f->path = gws_xasprintf("%s%s", r->prefix, rel);
	f->src.name = f->path;
	gws_grow((void **)&r->files, &r->cap, r->n + 1, sizeof(*r->files));
	r->files[r->n++] = f;
	return f;
}

static bool is_kust_name(const char *name)
{
	size_t i;

	for (i = 0; i < GWS_ARRAY_SIZE(kust_names); i++)
		if (!strcmp(name, kust_names[i]))
			return true;
	return false;
}

static bool is_yaml_name(const char *name)
{
	const char *ext = strrchr(name, '.');

	return name[0] != '.' && ext &&
	       (!strcmp(ext, ".yaml") || !strcmp(ext, ".yml"));
}

static bool skipped_dir(const struct mig_opts *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->ninclude; i++)
		if (!strcmp(o->include_dirs[i], name))
			return false;
	return name[0] == '.' || !strcmp(name, "node_modules") ||
	       !strcmp(name, "vendor");
}

/* a link that leads out of the repo is named; others are just skipped */
static void check_link(struct walk *w, const char *rel, const char *name)
{
	char *full = gws_xasprintf("%s%s", w->r->prefix, rel);
	char *real = realpath(full, NULL);
	size_t n = strlen(w->real_root);
	struct stat st;
	bool inside;

	inside = real && !strncmp(real, w->real_root, n) &&
		 (real[n] == '/' || real[n] == '\0' || n == 1);
	if (real && !inside && stat(full, &st) == 0 &&
	    (S_ISDIR(st.st_mode) || is_yaml_name(name)))
		gws_diag_plain("warning", "'%s' is a symbolic link out of '%s': "
			       "not followed", full, w->r->root);
	free(real);
	free(full);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the names in folder @full, sorted; NULL after an error (diagnosed) */
static char **list_dir(const char *full, size_t *n)
{
	DIR *dir = opendir(full);
	struct dirent *de;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (!dir) {
		gws_diag_plain("error", "cannot read '%s': %s", full,
			       strerror(errno));
		return NULL;
	}
	while ((de = readdir(dir)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		gws_grow((void **)&names, &cap, *n + 2, sizeof(*names));
		names[(*n)++] = gws_xstrdup(de->d_name);
	}
	closedir(dir);
	if (*n)
		qsort(names, *n, sizeof(*names), cmp_names);
	return names ? names : gws_xcalloc(1, sizeof(*names));
}

static bool has_name(char **names, size_t n, const char *name)
{
	return bsearch(&name, names, n, sizeof(*names), cmp_names) != NULL;
}

static void walk_dir(struct walk *w, const char *rel, bool helm);

static void walk_entry(struct walk *w, const char *rel, const char *name,
		       bool helm)
{
	char *full = gws_xasprintf("%s%s", w->r->prefix, rel);
	struct mig_file *f;
	struct stat st;

	if (lstat(full, &st) < 0) {
		gws_diag_plain("error", "cannot read '%s': %s", full,
			       strerror(errno));
		w->rc = mig_worst(w->rc, GWS_EXIT_IO);
	} else if (S_ISLNK(st.st_mode)) {
		check_link(w, rel, name);
	} else if (S_ISDIR(st.st_mode)) {
		if (!skipped_dir(w->o, name))
			walk_dir(w, rel, helm);
	} else if (S_ISREG(st.st_mode) &&
		   (is_kust_name(name) || is_yaml_name(name))) {
		f = new_file(w->r, rel);
		f->walked = f->exists = true;
		f->mode = st.st_mode;
		f->helm = helm;
		f->kustomization = is_kust_name(name);
	}
	free(full);
}

static void walk_dir(struct walk *w, const char *rel, bool helm)
{
	char *full = gws_xasprintf("%s%s", w->r->prefix, rel), **names, *sub;
	size_t n, i;
	bool chart;

	names = list_dir(*full ? full : ".", &n);
	free(full);
	if (!names) {
		w->rc = mig_worst(w->rc, GWS_EXIT_IO);
		return;
	}
	chart = has_name(names, n, "Chart.yaml");
	for (i = 0; i < n; i++) {
		sub = *rel ? gws_xasprintf("%s/%s", rel, names[i]) :
			     gws_xstrdup(names[i]);
		walk_entry(w, sub, names[i], helm ||
			   (chart && !strcmp(names[i], "templates")));
		free(sub);
		free(names[i]);
	}
	free(names);
}

/* "a//b/./" -> "a/b"; "./x" -> "x"; "" and "./" -> "." */
static char *clean_root(const char *path)
{
	struct gws_buf b;
	char *out;

	gws_buf_init(&b);
	if (path[0] == '/')
		gws_buf_addc(&b, '/');
	while (*path) {
		size_t n = strcspn(path, "/");

		if (n && !(n == 1 && path[0] == '.')) {
			if (b.len && b.data[b.len - 1] != '/')
				gws_buf_addc(&b, '/');
			gws_buf_add(&b, path, n);
		}
		path += n;
		path += *path == '/';
	}
	if (!b.len)
		gws_buf_addc(&b, '.');
	out = gws_buf_detach(&b, NULL);
	return out;
}

static void set_root(struct mig_repo *r, char *root)
{
	r->root = root;
	if (!strcmp(root, "."))
		r->prefix = gws_xstrdup("");
	else if (!strcmp(root, "/"))
		r->prefix = gws_xstrdup("/");
	else
		r->prefix = gws_xasprintf("%s/", root);
}

/* a file PATH: a repo of one file, rooted at its folder */
static int walk_file(struct mig_repo *r, const char *path,
		     const struct stat *st)
{
	char *clean = clean_root(path), *slash = strrchr(clean, '/');
	struct mig_file *f;

	if (slash) {
		set_root(r, slash == clean ? gws_xstrdup("/") :
			 gws_xstrndup(clean, (size_t)(slash - clean)));
		f = new_file(r, slash + 1);
	} else {
		set_root(r, gws_xstrdup("."));
		f = new_file(r, clean);
	}
	f->walked = f->exists = true;
	f->mode = st->st_mode;
	f->kustomization = is_kust_name(f->rel);
	free(clean);
	return GWS_EXIT_OK;
}

int mig_walk(struct mig_repo *r, const char *path, const struct mig_opts *o)
{
	struct walk w = { r, o, NULL, GWS_EXIT_OK };
	struct stat st;

	if (stat(path, &st) < 0) {
		gws_diag_plain("error", "cannot read '%s': %s", path,
			       strerror(errno));
		set_root(r, clean_root(path));
		return GWS_EXIT_IO;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (S_ISREG(st.st_mode) && lstat(path, &st) == 0 &&
		    S_ISLNK(st.st_mode)) {
			gws_diag_plain("error", "'%s' is a symbolic link: name "
				       "the file it leads to", path);
			set_root(r, clean_root(path));
			return GWS_EXIT_IO;
		}
		if (S_ISREG(st.st_mode))
			return walk_file(r, path, &st);
		gws_diag_plain("error", "'%s' is not a file or a folder", path);
		set_root(r, clean_root(path));
		return GWS_EXIT_IO;
	}
	set_root(r, clean_root(path));
	w.real_root = realpath(r->root, NULL);
	if (!w.real_root)
		w.real_root = gws_xstrdup(r->root);
	walk_dir(&w, "", false);
	free(w.real_root);
	if (r->n)
		qsort(r->files, r->n, sizeof(*r->files), cmp_file);
	return w.rc;
}

/* is any folder of @rel, or @rel itself, a link? (never followed) */
static int check_parents(const struct mig_repo *r, const char *rel,
			 bool *exists)
{
	char *full = gws_xasprintf("%s%s", r->prefix, rel);
	size_t i = strlen(r->prefix);
	struct stat st;
	int rc = 0;

	*exists = true;
	for (;; i++) {
		char c = full[i];

		if (c != '/' && c != '\0')
			continue;
		full[i] = '\0';
		if (lstat(full, &st) < 0) {
			*exists = false;
		} else if (S_ISLNK(st.st_mode) ||
			   (c == '/' && !S_ISDIR(st.st_mode)) ||
			   (c == '\0' && !S_ISREG(st.st_mode))) {
			gws_diag_plain("error", "'%s' is %s: not used", full,
				       S_ISLNK(st.st_mode) ?
				       "a symbolic link" : c ? "not a folder" :
				       "not a regular file");
			rc = -1;
		}
		full[i] = c;
		if (c == '\0' || rc < 0 || !*exists)
			break;
	}
	free(full);
	return rc;
}

struct mig_file *mig_file_get(struct mig_repo *r, const char *rel,
			      bool create, bool *err)
{
	struct mig_file *f = mig_file_find(r, rel);
	bool exists;

	*err = false;
	if (f)
		return f;
	if (check_parents(r, rel, &exists) < 0) {
		*err = true;
		return NULL;
	}
	if (!exists && !create)
		return NULL;
	f = new_file(r, rel);
	f->exists = exists;
	f->kustomization = is_kust_name(strrchr(rel, '/') ?
					strrchr(rel, '/') + 1 : rel);
	qsort(r->files, r->n, sizeof(*r->files), cmp_file);
	if (exists && mig_read(f) < 0) {
		f->failed = true;
		*err = true;
		return NULL;
	}
	return f;
}
