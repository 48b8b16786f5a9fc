/* canary.c - canary Ingresses, found by host, path and pathType */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

static const char *const type_names[] = { "Prefix", "Exact", "Prefix" };

const struct gws_route_plan *route_plan(const struct mapper *mp,
					const struct gws_ingress *ing)
{
	return &mp->plans[ing - mp->m->ingresses];
}

const char *class_of(const struct gws_model *m, const struct gws_ingress *ing)
{
	size_t i;

	if (ing->class_name)
		return ing->class_name;
	for (i = 0; i < m->nclasses; i++)
		if (m->classes[i].is_default && m->classes[i].name)
			return m->classes[i].name;
	return "";
}

bool regex_host(struct mapper *mp, struct gw_plan *gw, const char *host)
{
	char *key = gws_xasprintf("%s %s", gw->class_key, host ? host : "");
	bool on = strset_has(&mp->regex_hosts, key);

	free(key);
	return on;
}

/* ImplementationSpecific is a Prefix in ingress-nginx: one key for both */
static char *key_of(const char *cls, const char *host,
		    const struct gws_ipath *p)
{
	return gws_xasprintf("%s\x1f%s\x1f%s\x1f%s", cls, host ? host : "",
			     type_names[p->type], p->path);
}

static int cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct canary_ref *)a)->key,
		      ((const struct canary_ref *)b)->key);
}

static void add_ref(struct mapper *mp, size_t *cap, const char *cls,
		    const struct gws_ingress *ing, const struct gws_irule *r,
		    const struct gws_ipath *p)
{
	struct canary_ref *c;

	gws_grow((void **)&mp->canaries, cap, mp->ncanaries + 1,
		 sizeof(*mp->canaries));
	c = &mp->canaries[mp->ncanaries++];
	memset(c, 0, sizeof(*c));
	c->key = key_of(cls, r->host, p);
	c->ing = ing;
	c->plan = route_plan(mp, ing);
	c->path = p;
}

/* the first (oldest) Ingress of each class, host, pathType and path */
static void add_owner(struct mapper *mp, size_t *cap, const char *cls,
		      const struct gws_ingress *ing, const struct gws_irule *r,
		      const struct gws_ipath *p, size_t rank)
{
	struct canary_ref *o;

	gws_grow((void **)&mp->owners, cap, mp->nowners + 1,
		 sizeof(*mp->owners));
	o = &mp->owners[mp->nowners++];
	memset(o, 0, sizeof(*o));
	o->key = key_of(cls, r->host, p);
	o->ing = ing;
	o->path = p;
	o->rank = rank;
}

/* owners by key, then in age order */
static int cmp_owner(const void *a, const void *b)
{
	const struct canary_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

const struct gws_ingress *path_owner(struct mapper *mp, struct gw_plan *gw,
				     const char *host,
				     const struct gws_ipath *p)
{
	struct canary_ref key = { 0 }, *o;
	size_t lo = 0, hi = mp->nowners;

	key.key = key_of(gw->class_key, host, p);
	while (lo < hi) {	/* the first entry with the key */
		size_t mid = (lo + hi) / 2;

		if (strcmp(mp->owners[mid].key, key.key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	o = lo < mp->nowners && !strcmp(mp->owners[lo].key, key.key) ?
	    &mp->owners[lo] : NULL;
	free(key.key);
	return o ? o->ing : NULL;
}

/* index every canary path; hosts with rewrite or regex go to regex mode */
void canary_index(struct mapper *mp)
{
	size_t i, j, k, cap = 0, ocap = 0;

	for (i = 0; i < mp->m->ningresses; i++) {
		const struct gws_ingress *ing = mp->order[i];
		const struct gws_route_plan *plan = route_plan(mp, ing);
		const char *cls = class_of(mp->m, ing);
		bool regex = plan->regex_host || plan->rewrite_target;

		for (j = 0; j < ing->nrules; j++) {
			const struct gws_irule *r = &ing->rules[j];

			if (regex && !plan->canary.on) {
				char *key = gws_xasprintf("%s %s", cls,
							  r->host ? r->host : "");

				strset_add(&mp->regex_hosts, key);
				free(key);
			}
			for (k = 0; k < r->npaths; k++) {
				if (!r->paths[k].field)
					continue;
				if (plan->canary.on)
					add_ref(mp, &cap, cls, ing, r,
						&r->paths[k]);
				else
					add_owner(mp, &ocap, cls, ing, r,
						  &r->paths[k], i);
			}
		}
	}
	if (mp->ncanaries)
		qsort(mp->canaries, mp->ncanaries, sizeof(*mp->canaries),
		      cmp_ref);
	if (mp->nowners)
		qsort(mp->owners, mp->nowners, sizeof(*mp->owners), cmp_owner);
}

struct canary_ref *canary_find(struct mapper *mp, struct gw_plan *gw,
				     const char *host,
				     const struct gws_ipath *p)
{
	struct canary_ref key = { 0 }, *c;

	if (!mp->ncanaries || !host)
		return NULL;
	key.key = key_of(gw->class_key, host, p);
	c = bsearch(&key, mp->canaries, mp->ncanaries, sizeof(key), cmp_ref);
	free(key.key);
	if (!c || c->primary)
		return NULL;	/* one canary per primary rule */
	return c;
}

bool canary_host(struct mapper *mp, struct gw_plan *gw, const char *host)
{
	char *prefix = gws_xasprintf("%s\x1f%s\x1f", gw->class_key,
				     host ? host : "");
	size_t lo = 0, hi = mp->ncanaries, n = strlen(prefix);
	bool found;

	while (lo < hi) {	/* the first key not below the prefix */
		size_t mid = (lo + hi) / 2;

		if (strcmp(mp->canaries[mid].key, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	found = lo < mp->ncanaries &&
		!strncmp(mp->canaries[lo].key, prefix, n);
	free(prefix);
	return found;
}

/* every canary path: where it went, or that it found no primary */
void canary_findings(struct mapper *mp)
{
	size_t i;

	for (i = 0; i < mp->ncanaries; i++) {
		const struct canary_ref *c = &mp->canaries[i];

		if (c->primary)
			gws_report_add(mp->rep, GWS_CONVERTED, &c->path->pos,
				       "Ingress", c->ing->ns, c->ing->name,
				       c->path->field, "canary path '%s' -> "
				       "backends in the routes of Ingress "
				       "'%s/%s'", c->path->path,
				       c->primary->ns, c->primary->name);
		else
			gws_report_add(mp->rep, GWS_NOT_CONVERTED,
				       &c->path->pos, "Ingress", c->ing->ns,
				       c->ing->name, c->path->field, "canary "
				       "path '%s' has no primary Ingress with "
				       "the same host, path and pathType: "
				       "ingress-nginx sends it no traffic, so "
				       "no rule is made", c->path->path);
	}
}

void canary_release(struct mapper *mp)
{
	size_t i;

	for (i = 0; i < mp->ncanaries; i++)
		free(mp->canaries[i].key);
	free(mp->canaries);
	mp->canaries = NULL;
	mp->ncanaries = 0;
	for (i = 0; i < mp->nowners; i++)
		free(mp->owners[i].key);
	free(mp->owners);
	mp->owners = NULL;
	mp->nowners = 0;
}
