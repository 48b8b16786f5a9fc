/* plan.c - map a repo's model; decide what becomes of each Ingress document */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

int mig_worst(int a, int b)
{
	if (a == GWS_EXIT_IO || b == GWS_EXIT_IO)
		return GWS_EXIT_IO;
	if (a == GWS_EXIT_INPUT || b == GWS_EXIT_INPUT)
		return GWS_EXIT_INPUT;
	return a ? a : b;
}

/* compare "ns/name" with @ns and @name */
static int cmp_id(const char *id, const char *ns, const char *name)
{
	size_t n = strcspn(id, "/");
	int c = strncmp(id, ns, n);

	if (c || ns[n])
		return c ? c : -1;
	return strcmp(id[n] ? id + n + 1 : "", name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the ids of @f's documents (all, or all but the failed ones), sorted */
static char **doc_ids(const struct mig_file *f, bool keep_failed, size_t *n)
{
	char **ids = gws_xcalloc(f->ndocs + 1, sizeof(*ids));
	size_t i;

	*n = 0;
	for (i = 0; i < f->ndocs; i++)
		if (f->docs[i].id &&
		    !(keep_failed && f->docs[i].action == MIG_FAIL))
			ids[(*n)++] = f->docs[i].id;
	if (*n)
		qsort(ids, *n, sizeof(*ids), cmp_str);
	return ids;
}

static bool in_ids(char **ids, size_t n, const char *ns, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_id(ids[mid], ns, name);

		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

void mig_model_drop(struct gws_model *m, const struct mig_file *f)
{
	struct gws_model gone;
	size_t n, i, keep = 0, cap = 0;
	char **ids = doc_ids(f, false, &n);

	gws_model_init(&gone, m->rep);
	for (i = 0; n && i < m->ningresses; i++) {
		struct gws_ingress *ing = &m->ingresses[i];

		if (in_ids(ids, n, ing->ns, ing->name)) {
			gws_grow((void **)&gone.ingresses, &cap,
				 gone.ningresses + 1, sizeof(*gone.ingresses));
			gone.ingresses[gone.ningresses++] = *ing;
		} else {
			m->ingresses[keep++] = *ing;
		}
	}
	if (n)
		m->ningresses = keep;
	gws_model_release(&gone);
	free(ids);
}

static void recount(struct gws_report *rep)
{
	size_t i;

	memset(rep->counts, 0, sizeof(rep->counts));
	for (i = 0; i < rep->n; i++)
		rep->counts[rep->items[i].state]++;
}

/* move (to @dst) or drop (@dst NULL) the findings about Ingresses @ids */
static void sift(struct gws_report *src, struct gws_report *dst, char **ids,
		 size_t n)
{
	size_t i, keep = 0;

	for (i = 0; i < src->n; i++) {
		struct gws_finding *fd = &src->items[i];

		if (!n || strcmp(fd->kind, "Ingress") || !fd->ns ||
		    !in_ids(ids, n, fd->ns, fd->name))
			src->items[keep++] = *fd;
		else if (dst)
			gws_report_push(dst, fd);
	}
	src->n = keep;
	recount(src);
}

void mig_drop_findings(struct gws_report *rep, const struct mig_file *f,
		       bool keep_failed)
{
	size_t n;
	char **ids = doc_ids(f, keep_failed, &n);

	sift(rep, NULL, ids, n);
	free(ids);
}

/* is @fd about a platform object of @out (the Gateway, its Namespace)? */
static bool platform_finding(const struct gws_output *out,
			     const struct gws_finding *fd)
{
	size_t i;

	for (i = 0; i < out->n; i++) {
		const struct gws_object *o = &out->objs[i];

		if (o->role == GWS_ROLE_PLATFORM && !strcmp(o->kind, fd->kind) &&
		    !strcmp(o->name, fd->name) &&
		    !strcmp(o->ns ? o->ns : "", fd->ns ? fd->ns : ""))
			return true;
	}
	return false;
}

void mig_drop_platform(struct mig_repo *r)
{
	size_t i, keep = 0;

	for (i = 0; i < r->rep.n; i++)
		if (!platform_finding(&r->out, &r->rep.items[i]))
			r->rep.items[keep++] = r->rep.items[i];
	r->rep.n = keep;
	recount(&r->rep);
	for (i = 0; i < r->out.n; i++)
		if (r->out.objs[i].role == GWS_ROLE_PLATFORM &&
		    r->rep.objects_out)
			r->rep.objects_out--;
}

void mig_report_move(struct gws_report *dst, struct gws_report *src)
{
	size_t i, k;

	for (i = 0; i < src->n; i++)
		gws_report_push(dst, &src->items[i]);
	src->n = 0;
	dst->objects_in += src->objects_in;
	dst->ingresses += src->ingresses;
	dst->objects_out += src->objects_out;
	for (i = 0; i < src->nother; i++)
		for (k = 0; k < src->other_counts[i]; k++)
			gws_report_count_kind(dst, src->other_kinds[i]);
	gws_report_release(src);
}

/* ---- which document each generated object goes to ---- */

/* struct ref - an Ingress document by its id */
struct ref {
	const char *id;
	struct mig_file *f;
	struct mig_doc *d;
	bool canary;		/* a canary Ingress */
};

static const struct gws_ingress *model_find(const struct gws_model *m,
					    const char *id);
static bool canary(const struct gws_ingress *ing);

static int cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct ref *)a)->id, ((const struct ref *)b)->id);
}

static struct ref *index_docs(struct mig_repo *r, size_t *n)
{
	struct ref *refs = NULL;
	size_t cap = 0, i, j;

	*n = 0;
	for (i = 0; i < r->n; i++) {
		struct mig_file *f = r->files[i];

		for (j = 0; !f->failed && j < f->ndocs; j++) {
			if (!f->docs[j].added)
				continue;
			f->docs[j].nobjs = 0;
			f->docs[j].folded = false;
			f->docs[j].orphan = false;
			f->docs[j].action = MIG_KEEP;
			gws_grow((void **)&refs, &cap, *n + 1, sizeof(*refs));
			refs[(*n)++] = (struct ref){ f->docs[j].id, f,
				&f->docs[j],
				canary(model_find(&r->m, f->docs[j].id)) };
		}
	}
	if (*n)
		qsort(refs, *n, sizeof(*refs), cmp_ref);
	return refs;
}

static struct ref *find_ref(struct ref *refs, size_t n, const char *id,
			    size_t len)
{
	char *key = gws_xstrndup(id, len);
	struct ref k = { key, NULL, NULL, false }, *hit = NULL;

	if (n)
		hit = bsearch(&k, refs, n, sizeof(*refs), cmp_ref);
	free(key);
	return hit;
}

static const char *sources(const struct gws_object *o)
{
	const struct gws_val *md = gws_val_get(o->doc, "metadata");

	return gws_val_get_str(gws_val_get(md, "annotations"),
			       GWS_SOURCE_ANNOTATION);
}

/* the next "ns/name" of a source list; false at its end */
static bool next_source(const char **p, const char **id, size_t *len)
{
	while (**p) {
		size_t n;

		*p += strspn(*p, ", ");
		n = strcspn(*p, ",");
		while (n && (*p)[n - 1] == ' ')
			n--;
		*id = *p;
		*len = n;
		*p += strcspn(*p, ",");
		if (n && memchr(*id, '/', n) && **id != '(')
			return true;
	}
	return false;
}

/*
 * the document an object goes to: the Ingress with the object's own
 * namespace and name when that is one of its sources, else the first
 * source that is not a canary, else the first (sources are sorted: the
 * choice does not depend on input order)
 */
static struct ref *owner(struct ref *refs, size_t n, const struct gws_object *o,
			 const char *src)
{
	char *own = gws_xasprintf("%s/%s", o->ns ? o->ns : "", o->name);
	struct ref *hit = NULL, *first = NULL, *primary = NULL, *x;
	const char *p = src, *id;
	size_t len;

	while (!hit && next_source(&p, &id, &len)) {
		if ((x = find_ref(refs, n, id, len)) == NULL)
			continue;
		if (len == strlen(own) && !memcmp(id, own, len))
			hit = x;
		if (!first)
			first = x;
		if (!primary && !x->canary)
			primary = x;
	}
	free(own);
	return hit ? hit : primary ? primary : first;
}

static void give(struct mig_doc *d, struct gws_object *o)
{
	gws_grow((void **)&d->objs, &d->cap, d->nobjs + 1, sizeof(*d->objs));
	d->objs[d->nobjs++] = o;
}

static void place_objects(struct ref *refs, size_t n, struct gws_output *out)
{
	const char *src, *p, *id;
	struct ref *x, *y;
	size_t i, len;

	for (i = 0; i < out->n; i++) {
		struct gws_object *o = &out->objs[i];

		if (o->role != GWS_ROLE_APP || !(src = sources(o)))
			continue;
		x = owner(refs, n, o, src);
		if (!x) {
			gws_diag_plain("warning", "generated %s '%s' names no "
				       "Ingress of the repo: not written",
				       o->kind, o->name);
			continue;
		}
		give(x->d, o);
		for (p = src; next_source(&p, &id, &len);)
			if ((y = find_ref(refs, n, id, len)) != NULL && y != x)
				y->d->folded = true;
	}
}

static const struct gws_ingress *model_find(const struct gws_model *m,
					    const char *id)
{
	size_t lo = 0, hi = m->ningresses;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_id(id, m->ingresses[mid].ns, m->ingresses[mid].name);

		if (!c)
			return &m->ingresses[mid];
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* as the mapping stage picks classes: the field, else the default class */
static bool selected(const struct gws_model *m, const struct gws_map_opts *o,
		     const struct gws_ingress *ing)
{
	const char *cls = ing->class_name;
	size_t i;

	for (i = 0; !cls && i < m->nclasses; i++)
		if (m->classes[i].is_default && m->classes[i].name)
			cls = m->classes[i].name;
	if (!o->nclasses)
		return true;
	for (i = 0; i < o->nclasses; i++)
		if (!strcmp(o->classes[i], cls ? cls : ""))
			return true;
	return false;
}

static bool canary(const struct gws_ingress *ing)
{
	const struct gws_kv *kv = ing ? gws_model_annotation(ing, MIG_CANARY) :
				  NULL;

	return kv && kv->value && !strcmp(kv->value, "true");
}

/*
 * a canary that no primary of the repo took in: its primary may be
 * elsewhere (another repo, another folder), still an Ingress that splits
 * its traffic to this one, so it is left as it is rather than removed
 */
static void orphan_finding(struct mig_repo *r, const struct mig_doc *d)
{
	const struct gws_ingress *ing = model_find(&r->m, d->id);

	if (!ing)
		return;
	gws_report_add(&r->rep, GWS_NOT_CONVERTED, &d->pos, "Ingress",
		       ing->ns, ing->name, "", "canary Ingress that no "
		       "migrated route takes in (its primary is not in the "
		       "repo or was not migrated, or its paths could not be "
		       "merged: see its findings): left as it is, since its "
		       "primary may still split traffic to it; migrate the "
		       "two together");
}

/* one document: replaced, folded away, left, or failed (Returns: failed) */
static bool decide(struct mig_repo *r, const struct gws_map_opts *o,
		   struct mig_file *f, struct mig_doc *d)
{
	const struct gws_ingress *ing = model_find(&r->m, d->id);

	if (!ing || !selected(&r->m, o, ing))
		d->action = MIG_KEEP;
	else if (d->nobjs)
		d->action = MIG_REPLACE;
	else if (d->folded)
		d->action = MIG_REMOVE;
	else if (canary(ing))
		d->orphan = true;	/* kept (MIG_KEEP) */
	else
		d->action = MIG_FAIL;
	if (d->action != MIG_FAIL)
		return false;
	gws_diag(&d->pos, "error", "Ingress '%s' gives no Gateway API objects "
		 "(see its findings): '%s' is left as it is", d->id, f->path);
	f->failed = f->map_failed = true;
	return true;
}

/* Returns: how many files failed in this round */
static size_t assign(struct mig_repo *r, const struct gws_map_opts *o,
		     struct gws_output *out)
{
	size_t n, i, j, nfail = 0;
	struct ref *refs = index_docs(r, &n);

	place_objects(refs, n, out);
	for (i = 0; i < r->n; i++) {
		struct mig_file *f = r->files[i];
		bool skip = f->failed, failed = false;

		for (j = 0; !skip && j < f->ndocs; j++)
			if (f->docs[j].added)
				failed |= decide(r, o, f, &f->docs[j]);
		nfail += failed;
	}
	free(refs);
	return nfail;
}

/*
 * a file that failed this round: the findings of its failed Ingresses
 * stay (they say why), the rest go with its Ingresses
 */
static void drop_failed(struct mig_repo *r, struct gws_report *tmp)
{
	size_t i, n;
	char **ids;

	for (i = 0; i < r->n; i++) {
		struct mig_file *f = r->files[i];

		if (!f->map_failed || f->dropped)
			continue;
		f->dropped = true;
		ids = doc_ids(f, false, &n);
		sift(tmp, &r->rep, ids, n);
		free(ids);
		mig_drop_findings(&r->rep, f, true);
		mig_model_drop(&r->m, f);
		r->rc = mig_worst(r->rc, GWS_EXIT_INPUT);
	}
}

static void fail_all(struct mig_repo *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (!r->files[i]->ndocs || r->files[i]->failed)
			continue;
		mig_drop_findings(&r->rep, r->files[i], false);
		r->files[i]->failed = true;
	}
	r->rc = mig_worst(r->rc, GWS_EXIT_INPUT);
}

/*
 * an Ingress with no namespace: so are the objects that replace it, and
 * kustomize or kubectl -n put them where the Ingress went
 */
static void strip_namespace(struct mig_repo *r, struct mig_doc *d)
{
	const struct gws_ingress *ing = model_find(&r->m, d->id);
	size_t i;

	for (i = 0; i < d->nobjs; i++) {
		gws_val_del(gws_val_get(d->objs[i]->doc, "metadata"),
			    "namespace");
		d->objs[i]->ns = NULL;
	}
	gws_report_add(&r->rep, GWS_APPROXIMATED, &d->pos, "Ingress",
		       ing ? ing->ns : "default", ing ? ing->name : d->id,
		       "metadata.namespace", "no namespace: the objects that "
		       "replace it have none either, and the Gateway admits "
		       "their routes from namespace 'default' only; add the "
		       "namespaces they are deployed to");
}

int mig_plan(struct mig_repo *r, const struct gws_mapping_set *maps,
	     const struct gws_map_opts *opts)
{
	struct gws_report tmp;
	struct gws_output out;
	size_t i, j;

	for (;;) {
		gws_report_init(&tmp);
		gws_output_init(&out);
		if (gws_map_run(&r->m, maps, opts, &tmp, &out) < 0) {
			gws_diag_plain("error", "'%s': nothing migrated",
				       r->root);
			gws_output_release(&out);
			gws_report_release(&tmp);
			fail_all(r);
			return -1;
		}
		gws_output_sort(&out);
		if (!assign(r, opts, &out))
			break;
		drop_failed(r, &tmp);
		gws_output_release(&out);
		gws_report_release(&tmp);
	}
	r->out = out;
	mig_report_move(&r->rep, &tmp);
	for (i = 0; i < r->n; i++)
		for (j = 0; !r->files[i]->failed && j < r->files[i]->ndocs; j++)
			if (r->files[i]->docs[j].orphan)
				orphan_finding(r, &r->files[i]->docs[j]);
			else if (r->files[i]->docs[j].action == MIG_REPLACE &&
				 !r->files[i]->docs[j].has_ns)
				strip_namespace(r, &r->files[i]->docs[j]);
	return 0;
}
