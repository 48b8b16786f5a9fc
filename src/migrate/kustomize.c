/* kustomize.c - kustomization files: resources read and edited as bytes */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "gwshift/read.h"
#include "gwshift/write.h"
#include "internal.h"
#include "banned.h"

static const char *const kust_names[] = {
	"kustomization.yaml", "kustomization.yml", "Kustomization",
};

void mig_kust_destroy(struct mig_kust *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->nres; i++)
		free(k->res[i].path);
	free(k->res);
	for (i = 0; i < k->npatches; i++)
		free(k->patches[i]);
	free(k->patches);
	for (i = 0; i < k->nadd; i++)
		free(k->add[i]);
	free(k->add);
	free(k->drop);
	free(k->dir);
	free(k);
}

static struct fy_node *get(struct fy_node *map, const char *key)
{
	if (!map || !fy_node_is_mapping(map))
		return NULL;
	return fy_node_mapping_lookup_by_string(map, key, FY_NT);
}

static const char *text_of(struct fy_node *n)
{
	return n && fy_node_is_scalar(n) ? fy_node_get_scalar0(n) : NULL;
}

/* does a line end at byte @i of the @len bytes at @s? LF, and a lone CR */
static bool line_break(const char *s, size_t len, size_t i)
{
	return s[i] == '\n' ||
	       (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'));
}

static size_t line_start(const char *s, size_t len, size_t p)
{
	while (p > 0 && !line_break(s, len, p - 1))
		p--;
	return p;
}

/* just after the line break that ends the line holding byte @p - 1 */
static size_t line_end(const char *s, size_t len, size_t p)
{
	if (p > 0 && line_break(s, len, p - 1))
		return p;
	while (p < len && !line_break(s, len, p))
		p++;
	return p < len ? p + 1 : len;
}

/* the line break the file uses: its first one's (CRLF, LF or a lone CR) */
static const char *file_eol(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			return "\n";
		if (s[i] == '\r')
			return i + 1 < len && s[i + 1] == '\n' ? "\r\n" : "\r";
	}
	return "\n";
}

/* one item of resources: its bytes with the quotes, its repo path */
static int add_entry(struct mig_file *f, struct mig_kust *k,
		     struct fy_node *item)
{
	struct fy_token *tok = fy_node_get_scalar_token(item);
	const char *s = f->src.data, *text = text_of(item);
	struct mig_entry *e;
	size_t start, end;

	if (!tok || !text)
		return -1;
	start = fy_token_start_mark(tok)->input_pos;
	end = fy_token_end_mark(tok)->input_pos;
	if (start > 0 && (s[start - 1] == '"' || s[start - 1] == '\''))
		start--;
	if (end < f->src.len && (s[end] == '"' || s[end] == '\'') &&
	    s[end] == s[start])
		end++;
	k->res = gws_xrealloc(k->res, (k->nres + 1) * sizeof(*k->res));
	e = &k->res[k->nres++];
	e->path = mig_path_join(k->dir, text);
	e->start = start;
	e->end = end;
	return 0;
}

static void read_resources(struct mig_file *f, struct mig_kust *k,
			   struct fy_node_pair *pair)
{
	struct fy_token *kt = fy_node_get_scalar_token(fy_node_pair_key(pair));
	struct fy_node *v = fy_node_pair_value(pair), *item;
	const char *open;
	void *iter = NULL;
	size_t key_end;

	if (!kt) {
		k->style = MIG_RES_OTHER;
		return;
	}
	key_end = fy_token_end_mark(kt)->input_pos;
	k->key_eol = line_end(f->src.data, f->src.len, key_end + 1);
	if (!v || (fy_node_is_scalar(v) && !fy_node_get_scalar_token(v))) {
		k->style = MIG_RES_EMPTY;
		return;
	}
	if (!fy_node_is_sequence(v)) {
		k->style = MIG_RES_OTHER;
		return;
	}
	k->style = fy_node_get_style(v) == FYNS_FLOW ? MIG_RES_FLOW :
		   MIG_RES_BLOCK;
	open = memchr(f->src.data + key_end, '[', f->src.len - key_end);
	k->flow_open = open ? (size_t)(open - f->src.data) + 1 : 0;
	while ((item = fy_node_sequence_iterate(v, &iter)) != NULL)
		if (add_entry(f, k, item) < 0)
			k->style = MIG_RES_OTHER;
	if (k->style == MIG_RES_FLOW && !open)
		k->style = MIG_RES_OTHER;
}

static void add_patch(struct mig_kust *k, const char *path)
{
	char *p = mig_path_join(k->dir, path);

	if (!p)
		return;
	k->patches = gws_xrealloc(k->patches,
				  (k->npatches + 1) * sizeof(*k->patches));
	k->patches[k->npatches++] = p;
}

static bool names_ingress(const char *text)
{
	return text && strstr(text, "kind: Ingress") != NULL &&
	       !strstr(text, "kind: IngressClass");
}

/* one item of patches, patchesStrategicMerge or patchesJson6902 */
static void read_patch(struct mig_file *f, struct mig_kust *k,
		       struct fy_node *item)
{
	const char *text = text_of(item), *kind;

	if (text && !strchr(text, '\n')) {
		add_patch(k, text);
		return;
	}
	if (text) {
		if (names_ingress(text))
			mig_add_note(f, MIG_NOTE_KPATCH, mig_node_pos(f, item),
				     NULL);
		return;
	}
	if (text_of(get(item, "path")))
		add_patch(k, text_of(get(item, "path")));
	kind = text_of(get(get(item, "target"), "kind"));
	if ((kind && !strcmp(kind, "Ingress")) ||
	    names_ingress(text_of(get(item, "patch"))))
		mig_add_note(f, MIG_NOTE_KPATCH, mig_node_pos(f, item), NULL);
}

static void read_kust(struct mig_file *f, struct mig_kust *k,
		      struct fy_node *root)
{
	static const char *const patch_keys[] = {
		"patches", "patchesStrategicMerge", "patchesJson6902",
	};
	struct fy_node_pair *pair;
	struct fy_node *list, *item;
	void *iter;
	size_t i;

	pair = root && fy_node_is_mapping(root) ?
	       fy_node_mapping_lookup_pair_by_string(root, "resources", FY_NT) :
	       NULL;
	if (pair)
		read_resources(f, k, pair);
	/* a flow mapping ({resources: ...}) has no line to add a key on */
	if (!root || !fy_node_is_mapping(root) ||
	    (!pair && fy_node_get_style(root) == FYNS_FLOW))
		k->style = MIG_RES_OTHER;
	for (i = 0; i < GWS_ARRAY_SIZE(patch_keys); i++) {
		list = get(root, patch_keys[i]);
		iter = NULL;
		while (list && fy_node_is_sequence(list) &&
		       (item = fy_node_sequence_iterate(list, &iter)) != NULL)
			read_patch(f, k, item);
	}
}

void mig_kust_parse(struct mig_file *f)
{
	struct mig_kust *k = gws_xcalloc(1, sizeof(*k));
	struct fy_parser *fyp;
	struct fy_document *fyd;

	f->kust = k;
	k->dir = mig_dir_of(f->rel);
	k->style = MIG_RES_OTHER;
	if (gws_read_check_text(&f->src) < 0) {
		f->failed = true;
		return;
	}
	fyp = gws_read_parser(&f->src);
	fyd = fyp ? fy_parse_load_document(fyp) : NULL;
	if (fyd) {
		k->style = MIG_RES_NONE;
		read_kust(f, k, fy_document_root(fyd));
		fy_parse_document_destroy(fyp, fyd);
	}
	while (fyp && (fyd = fy_parse_load_document(fyp)) != NULL)
		fy_parse_document_destroy(fyp, fyd);
	if (!fyp || gws_read_parser_done(&f->src, fyp)) {
		k->style = MIG_RES_OTHER;
		f->failed = true;
	}
	k->drop = gws_xcalloc(k->nres + 1, sizeof(*k->drop));
}

/* ---- edits ---- */

/* struct edit - bytes [at,end) of the file become text */
struct edit {
	size_t at, end;
	char *text;
};

struct edits {
	struct edit *v;
	size_t n, cap;
};

static void add_edit(struct edits *e, size_t at, size_t end, char *text)
{
	gws_grow((void **)&e->v, &e->cap, e->n + 1, sizeof(*e->v));
	e->v[e->n++] = (struct edit){ at, end, text };
}

/* a resources entry as YAML: plain when that reads back the same */
static void add_value(struct gws_buf *b, const char *v)
{
	if (gws_yaml_plain_ok(v)) {
		gws_buf_adds(b, v);
		return;
	}
	gws_buf_addc(b, '"');
	for (; *v; v++) {
		if ((unsigned char)*v < ' ' || *v == 0x7f) {
			gws_buf_addf(b, "\\x%02x", (unsigned char)*v);
			continue;	/* (a line break would fold to a space) */
		}
		if (*v == '"' || *v == '\\')
			gws_buf_addc(b, '\\');
		gws_buf_addc(b, *v);
	}
	gws_buf_addc(b, '"');
}

/* the dropped entries of a block list: their lines */
static void drop_block(const struct mig_file *f, struct edits *e)
{
	const struct mig_kust *k = f->kust;
	const char *s = f->src.data;
	size_t i, ls, p;

	for (i = 0; i < k->nres; i++) {
		if (!k->drop[i])
			continue;
		ls = line_start(s, f->src.len, k->res[i].start);
		for (p = ls; p < k->res[i].start && strchr(" \t-", s[p]); p++)
			;
		if (p == k->res[i].start)
			add_edit(e, ls, line_end(s, f->src.len, k->res[i].end),
				 NULL);
	}
}

/* the dropped entries of a flow list, with their commas */
static void drop_flow(const struct mig_file *f, struct edits *e)
{
	const struct mig_kust *k = f->kust;
	size_t i, q = k->nres;

	while (q > 0 && k->drop[q - 1])
		q--;
	for (i = 0; i < q; i++)
		if (k->drop[i])
			add_edit(e, k->res[i].start, k->res[i + 1].start, NULL);
	if (q < k->nres)
		add_edit(e, q ? k->res[q - 1].end : k->res[q].start,
			 k->res[k->nres - 1].end, NULL);
}

/* the new entries: after the last one, in its style */
static void add_entries(const struct mig_file *f, struct edits *e,
			const char *eol)
{
	const struct mig_kust *k = f->kust;
	const char *s = f->src.data;
	size_t len = f->src.len, i, at = len, ls;
	const struct mig_entry *last = k->nres ? &k->res[k->nres - 1] : NULL;
	struct gws_buf b;
	bool open_end;

	gws_buf_init(&b);
	if (k->style == MIG_RES_BLOCK)
		at = line_end(s, len, last->end);
	else if (k->style == MIG_RES_FLOW)
		at = last ? last->end : k->flow_open;
	else if (k->style == MIG_RES_EMPTY)
		at = k->key_eol;
	open_end = at == len && len && !line_break(s, len, len - 1);
	if (k->style == MIG_RES_NONE) {
		gws_buf_addf(&b, "%sresources:%s", open_end ? eol : "", eol);
		open_end = false;
	}
	for (i = 0; i < k->nadd; i++) {
		if (k->style == MIG_RES_FLOW) {
			gws_buf_adds(&b, i || last ? ", " : "");
		} else {
			gws_buf_adds(&b, open_end ? eol : "");
			if (k->style == MIG_RES_BLOCK) {
				ls = line_start(s, len, last->start);
				gws_buf_add(&b, s + ls, last->start - ls);
			} else {
				gws_buf_adds(&b, "- ");
			}
		}
		add_value(&b, k->add[i]);
		if (k->style != MIG_RES_FLOW && !open_end)
			gws_buf_adds(&b, eol);
	}
	add_edit(e, at, at, gws_buf_detach(&b, NULL));
}

static int cmp_edit(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->text != NULL) - (y->text != NULL);
}

static void apply(struct mig_file *f, struct edits *e)
{
	struct gws_buf b;
	size_t pos = 0, i;

	if (e->n)
		qsort(e->v, e->n, sizeof(*e->v), cmp_edit);
	gws_buf_init(&b);
	for (i = 0; i < e->n; i++) {
		if (e->v[i].at < pos)
			continue;
		gws_buf_add(&b, f->src.data + pos, e->v[i].at - pos);
		if (e->v[i].text)
			gws_buf_adds(&b, e->v[i].text);
		pos = e->v[i].end;
	}
	gws_buf_add(&b, f->src.data + pos, f->src.len - pos);
	for (i = 0; i < e->n; i++)
		free(e->v[i].text);
	free(e->v);
	if (b.len != f->src.len || memcmp(b.data, f->src.data, b.len)) {
		f->changed = true;
		f->out = gws_buf_detach(&b, &f->outlen);
	}
	gws_buf_release(&b);
}

static void edit_kust(struct mig_file *f)
{
	const char *eol = file_eol(f->src.data, f->src.len);
	struct edits e = { NULL, 0, 0 };

	if (f->kust->style == MIG_RES_BLOCK)
		drop_block(f, &e);
	else if (f->kust->style == MIG_RES_FLOW)
		drop_flow(f, &e);
	if (f->kust->nadd)
		add_entries(f, &e, eol);
	apply(f, &e);
}

/* ---- what changes: entries of removed files, the gateway folder ---- */

/* the kustomization of folder @dir, parsed; NULL if it has none */
static struct mig_file *kust_in(struct mig_repo *r, const char *dir,
				bool *err)
{
	struct mig_file *f = NULL;
	size_t i;
	char *rel;

	*err = false;
	for (i = 0; !f && !*err && i < GWS_ARRAY_SIZE(kust_names); i++) {
		rel = *dir ? gws_xasprintf("%s/%s", dir, kust_names[i]) :
			     gws_xstrdup(kust_names[i]);
		f = mig_file_get(r, rel, false, err);
		free(rel);
	}
	if (f && !f->kust && !f->failed)
		mig_kust_parse(f);
	return f;
}

static bool lists(const struct mig_kust *k, const char *path)
{
	size_t i;

	for (i = 0; i < k->nres; i++)
		if (k->res[i].path && !strcmp(k->res[i].path, path))
			return true;
	for (i = 0; i < k->nadd; i++) {
		char *p = mig_path_join(k->dir, k->add[i]);
		bool same = p && !strcmp(p, path);

		free(p);
		if (same)
			return true;
	}
	return false;
}

/* add @entry (relative to the kustomization's folder) unless listed */
static int add_to(struct mig_file *f, const char *entry)
{
	struct mig_kust *k = f->kust;
	char *path;

	if (f->failed || k->style == MIG_RES_OTHER) {
		gws_diag_plain("warning", "cannot add '%s' to the resources of "
			       "'%s': add it by hand", entry, f->path);
		return 0;
	}
	path = mig_path_join(k->dir, entry);
	if (path && !lists(k, path)) {
		k->add = gws_xrealloc(k->add, (k->nadd + 1) * sizeof(*k->add));
		k->add[k->nadd++] = gws_xstrdup(entry);
	}
	free(path);
	return 0;
}

/* a new kustomization.yaml that lists @names */
static int new_kust(struct mig_repo *r, const char *dir,
		    const char *const *names, size_t n)
{
	char *rel = gws_xasprintf("%s/kustomization.yaml", dir);
	struct gws_val *k = gws_val_map(), *res;
	struct mig_file *f;
	struct gws_buf b;
	size_t i;
	bool err;
	int rc = -1;

	gws_val_set_str(k, "apiVersion", "kustomize.config.k8s.io/v1beta1");
	gws_val_set_str(k, "kind", "Kustomization");
	res = gws_val_list(k, "resources");
	for (i = 0; i < n; i++)
		gws_val_push(res, gws_val_str(names[i]));
	gws_buf_init(&b);
	f = mig_file_get(r, rel, true, &err);
	if (f && gws_write_docs(&b, &k, 1, GWS_FORMAT_YAML) == 0) {
		f->changed = true;
		f->out = gws_buf_detach(&b, &f->outlen);
		rc = 0;
	}
	gws_buf_release(&b);
	gws_val_destroy(k);
	free(rel);
	return rc;
}

/* the gateway folder: its own kustomization, and the nearest one above */
static int gateway_dir(struct mig_repo *r, const char *gw,
		       const char *const *names, size_t n)
{
	struct mig_file *kf;
	char *dir, *up;
	size_t i;
	bool err;
	int rc = 0;

	kf = kust_in(r, gw, &err);
	if (err)
		return -1;
	if (!kf)
		rc = new_kust(r, gw, names, n);
	for (i = 0; kf && i < n; i++)
		add_to(kf, names[i]);
	for (dir = mig_dir_of(gw);; dir = up) {
		kf = kust_in(r, dir, &err);
		if (kf || err || !*dir)
			break;
		up = mig_dir_of(dir);
		free(dir);
	}
	if (kf)
		add_to(kf, gw + strlen(dir) + (*dir ? 1 : 0));
	free(dir);
	return err ? -1 : rc;
}

int mig_kust_update(struct mig_repo *r, const struct mig_opts *o,
		    const char *const *gw_files, size_t ngw)
{
	const struct mig_file *g;
	struct mig_kust *k;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < r->n; i++) {
		k = r->files[i]->kust;
		for (j = 0; k && !r->files[i]->failed && j < k->nres; j++) {
			g = k->res[j].path ? mig_file_find(r, k->res[j].path) :
			    NULL;
			if (g && g->removed)
				k->drop[j] = true;
		}
	}
	if (ngw && gateway_dir(r, o->gateway_dir, gw_files, ngw) < 0)
		rc = -1;
	for (i = 0; i < r->n; i++) {
		struct mig_file *f = r->files[i];

		for (j = 0; f->kust && j < f->kust->nres; j++)
			if (f->kust->drop[j])
				break;
		if (f->kust && !f->failed &&
		    (f->kust->nadd || j < f->kust->nres))
			edit_kust(f);
	}
	return rc;
}
