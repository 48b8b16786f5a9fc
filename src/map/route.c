/* route.c - one Ingress -> its HTTPRoutes, with a finding per field */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

#define MAX_RULES 16
#define MAX_HOSTNAMES 16

/* struct prule - one rule being built: a path match and its backends */
struct prule {
	const char *type;		/* "Exact" or "PathPrefix" */
	const char *value;
	struct gws_val *backends;	/* sequence of backendRefs */
	const struct gws_ipath **paths;	/* the Ingress paths it came from */
	size_t npaths;
};

/* struct hgroup - hosts that share the same paths, so one route serves them */
struct hgroup {
	const char **hosts;	/* NULL entry: no host */
	size_t nhosts;
	const struct gws_irule **rules;	/* rules of the first host */
	size_t nrules;
	const struct gws_irule **also;	/* same rules of the other hosts */
	size_t nalso;
};

static void path_finding(struct mapper *mp, const struct gws_ingress *ing,
			 const struct gws_ipath *p, enum gws_state st,
			 const char *fmt, ...) GWS_PRINTF(5, 6);

static void path_finding(struct mapper *mp, const struct gws_ingress *ing,
			 const struct gws_ipath *p, enum gws_state st,
			 const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = gws_xvasprintf(fmt, ap);
	va_end(ap);
	gws_report_add(mp->rep, st, &p->pos, "Ingress", ing->ns, ing->name,
		       p->field, "%s", msg);
	free(msg);
}

/* the Gateway API path CEL rules for Exact and PathPrefix values */
static const char *bad_path(const char *v)
{
	static const char *const banned[] = { "//", "/./", "/../", "%2f",
					      "%2F", "#" };
	static const char ok[] = "-/._~!$&'()*+,;=:@%";
	size_t i, n = strlen(v);

	for (i = 0; i < GWS_ARRAY_SIZE(banned); i++)
		if (strstr(v, banned[i]))
			return banned[i];
	if ((n >= 2 && !strcmp(v + n - 2, "/.")) ||
	    (n >= 3 && !strcmp(v + n - 3, "/..")))
		return "a trailing '/.' or '/..'";
	for (i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      (v[i] >= '0' && v[i] <= '9') || strchr(ok, v[i])))
			return "a character outside the allowed set";
	return NULL;
}

/* backendRef for @be, or NULL (with a finding) when it cannot be resolved */
static struct gws_val *backend_ref(struct mapper *mp,
				   const struct gws_ingress *ing,
				   const struct gws_backend *be)
{
	const struct gws_service *svc;
	struct gws_val *ref = gws_val_map();
	size_t i;

	if (!be->service) {
		gws_val_set_str(ref, "group", be->res_group);
		gws_val_set_str(ref, "kind", be->res_kind);
		gws_val_set_str(ref, "name", be->res_name);
		gws_report_add(mp->rep, GWS_APPROXIMATED, &be->pos, "Ingress",
			       ing->ns, ing->name, be->field, "resource backend "
			       "'%s %s': whether the Gateway can route to it is "
			       "implementation-specific", be->res_kind,
			       be->res_name);
		return ref;
	}
	gws_val_set_str(ref, "name", be->service);
	if (be->port_number) {
		gws_val_set_int(ref, "port", be->port_number);
		return ref;
	}
	svc = gws_model_service(mp->m, ing->ns, be->service);
	for (i = 0; svc && i < svc->nports; i++) {
		if (gws_streq(svc->ports[i].name, be->port_name)) {
			gws_val_set_int(ref, "port", svc->ports[i].port);
			gws_report_add(mp->rep, GWS_CONVERTED, &be->pos,
				       "Ingress", ing->ns, ing->name, be->field,
				       "named port '%s' resolved to %ld through "
				       "Service '%s/%s'", be->port_name,
				       svc->ports[i].port, ing->ns, be->service);
			return ref;
		}
	}
	gws_val_destroy(ref);
	if (svc)
		gws_report_add(mp->rep, GWS_NOT_CONVERTED, &be->pos, "Ingress",
			       ing->ns, ing->name, be->field, "Service '%s/%s' "
			       "has no port named '%s'; the backend is left out",
			       ing->ns, be->service, be->port_name);
	else
		gws_report_add(mp->rep, GWS_NOT_CONVERTED, &be->pos, "Ingress",
			       ing->ns, ing->name, be->field, "Service '%s/%s' "
			       "is not in the input, so its port '%s' cannot be "
			       "resolved to a number; the backend is left out "
			       "(add the Service to the input)", ing->ns,
			       be->service, be->port_name);
	return NULL;
}

static const char *match_type(const struct gws_ipath *p)
{
	return p->type == GWS_PATH_EXACT ? "Exact" : "PathPrefix";
}

static void prule_add(struct prule **rules, size_t *n, size_t *cap,
		      const char *type, const char *value, struct gws_val *ref,
		      const struct gws_ipath *p)
{
	struct prule *r = NULL;
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*rules)[i].type, type) &&
		    !strcmp((*rules)[i].value, value))
			r = &(*rules)[i];
	if (!r) {
		gws_grow((void **)rules, cap, *n + 1, sizeof(**rules));
		r = &(*rules)[(*n)++];
		memset(r, 0, sizeof(*r));
		r->type = type;
		r->value = value;
		r->backends = gws_val_seq();
	}
	gws_val_push(r->backends, ref);
	if (p) {
		r->paths = gws_xrealloc(r->paths, (r->npaths + 1) *
					sizeof(*r->paths));
		r->paths[r->npaths++] = p;
	}
}

/* the rules of one host group: one per distinct path match */
static struct prule *plan_rules(struct mapper *mp,
				const struct gws_ingress *ing,
				const struct hgroup *g, size_t *n)
{
	struct prule *rules = NULL;
	size_t cap = 0, i, j;
	bool has_root = false;

	*n = 0;
	for (i = 0; i < g->nrules; i++) {
		for (j = 0; j < g->rules[i]->npaths; j++) {
			const struct gws_ipath *p = &g->rules[i]->paths[j];
			const char *type, *why;
			struct gws_val *ref;

			if (!p->field)
				continue;
			type = match_type(p);
			has_root |= !strcmp(type, "PathPrefix") &&
				    !strcmp(p->path, "/");
			why = bad_path(p->path);
			if (why) {
				path_finding(mp, ing, p, GWS_NOT_CONVERTED,
					     "path '%s' cannot be a Gateway API "
					     "%s match (it has %s); left out",
					     p->path, type, why);
				continue;
			}
			ref = backend_ref(mp, ing, &p->backend);
			if (!ref) {
				path_finding(mp, ing, p, GWS_NOT_CONVERTED,
					     "path '%s' left out: its backend "
					     "cannot be resolved", p->path);
				continue;
			}
			prule_add(&rules, n, &cap, type, p->path, ref, p);
		}
	}
	if (ing->default_backend && !has_root) {
		struct gws_val *ref = backend_ref(mp, ing, ing->default_backend);

		if (ref)
			prule_add(&rules, n, &cap, "PathPrefix", "/", ref, NULL);
	}
	return rules;
}

static struct gws_val *rule_val(const struct prule *r)
{
	struct gws_val *rule = gws_val_map(), *m = gws_val_map();
	struct gws_val *path = gws_val_child(m, "path");

	gws_val_set_str(path, "type", r->type);
	gws_val_set_str(path, "value", r->value);
	gws_val_push(gws_val_list(rule, "matches"), m);
	gws_val_set(rule, "backendRefs", gws_val_clone(r->backends));
	return rule;
}

static bool same_paths(const struct gws_irule *a, const struct gws_irule *b)
{
	size_t i;

	if (a->npaths != b->npaths)
		return false;
	for (i = 0; i < a->npaths; i++) {
		const struct gws_ipath *x = &a->paths[i], *y = &b->paths[i];

		if (!gws_streq(x->path, y->path) || x->type != y->type ||
		    !gws_streq(x->backend.service, y->backend.service) ||
		    x->backend.port_number != y->backend.port_number ||
		    !gws_streq(x->backend.port_name, y->backend.port_name) ||
		    !gws_streq(x->backend.res_name, y->backend.res_name))
			return false;
	}
	return true;
}

/* group the rules by host, then hosts whose paths are the same */
static struct hgroup *group_hosts(const struct gws_ingress *ing, size_t *n)
{
	struct hgroup *gs = NULL;
	size_t cap = 0, i, j;

	*n = 0;
	for (i = 0; i < ing->nrules; i++) {
		const struct gws_irule *r = &ing->rules[i];
		struct hgroup *g = NULL;

		for (j = 0; j < *n && !g; j++) {
			size_t k;

			for (k = 0; k < gs[j].nhosts; k++)
				if (gws_streq(gs[j].hosts[k], r->host))
					g = &gs[j];
		}
		if (g) {	/* the same host again: more paths for it */
			g->rules = gws_xrealloc(g->rules, (g->nrules + 1) *
						sizeof(*g->rules));
			g->rules[g->nrules++] = r;
			continue;
		}
		gws_grow((void **)&gs, &cap, *n + 1, sizeof(*gs));
		g = &gs[(*n)++];
		memset(g, 0, sizeof(*g));
		g->hosts = gws_xmalloc(sizeof(*g->hosts));
		g->hosts[g->nhosts++] = r->host;
		g->rules = gws_xmalloc(sizeof(*g->rules));
		g->rules[g->nrules++] = r;
	}
	return gs;
}

/* merge single-host groups with identical rules into multi-host groups */
static void merge_groups(struct hgroup *gs, size_t *n)
{
	size_t i, j, k, out = 0;

	for (i = 0; i < *n; i++) {
		bool merged = false;

		for (j = 0; j < out && !merged; j++) {
			if (gs[j].nrules != gs[i].nrules || !gs[i].hosts[0] ||
			    !gs[j].hosts[0] || gs[j].nhosts >= MAX_HOSTNAMES)
				continue;
			for (k = 0; k < gs[i].nrules; k++)
				if (!same_paths(gs[j].rules[k], gs[i].rules[k]))
					break;
			if (k < gs[i].nrules)
				continue;
			gs[j].hosts = gws_xrealloc(gs[j].hosts,
				(gs[j].nhosts + 1) * sizeof(*gs[j].hosts));
			gs[j].hosts[gs[j].nhosts++] = gs[i].hosts[0];
			gs[j].also = gws_xrealloc(gs[j].also, (gs[j].nalso +
				gs[i].nrules) * sizeof(*gs[j].also));
			memcpy(gs[j].also + gs[j].nalso, gs[i].rules,
			       gs[i].nrules * sizeof(*gs[i].rules));
			gs[j].nalso += gs[i].nrules;
			free(gs[i].hosts);
			free(gs[i].rules);
			merged = true;
		}
		if (!merged)
			gs[out++] = gs[i];
	}
	*n = out;
}

static void add_labels(struct gws_val *doc, const struct gws_ingress *ing)
{
	struct gws_val *labels;
	size_t i;

	if (!ing->nlabels)
		return;
	labels = gws_val_map();
	for (i = 0; i < ing->nlabels; i++)
		gws_val_set_str(labels, ing->labels[i].key, ing->labels[i].value);
	gws_val_set(gws_val_child(doc, "metadata"), "labels", labels);
}

/* emit one HTTPRoute for hosts @hosts and rules @rules; Returns: its name */
static char *emit_route(struct mapper *mp, struct gw_plan *gw,
			const struct gws_ingress *ing, size_t k,
			const char **hosts, size_t nhosts,
			const struct prule *rules, size_t nrules,
			const char *section)
{
	struct strset src = { 0 };
	struct gws_val *doc, *spec, *list;
	char *name = numbered_name(ing->name, k);
	char *id = gws_xasprintf("%s/%s", ing->ns, ing->name);
	size_t i;

	strset_add(&src, id);
	doc = new_object("HTTPRoute", ing->ns, name, &src);
	add_labels(doc, ing);
	spec = gws_val_child(doc, "spec");
	gw_parent_refs(mp, gw, hosts, nhosts, section,
		       gws_val_list(spec, "parentRefs"));
	if (nhosts && hosts[0]) {
		list = gws_val_list(spec, "hostnames");
		for (i = 0; i < nhosts; i++)
			gws_val_push(list, gws_val_str(hosts[i]));
	}
	list = gws_val_list(spec, "rules");
	for (i = 0; i < nrules; i++)
		gws_val_push(list, rule_val(&rules[i]));
	gws_output_add(mp->out, doc, GWS_ROLE_APP);
	strset_release(&src);
	free(id);
	return name;
}

/* one finding per Ingress path: converted, or approximated and why */
static void rules_findings(struct mapper *mp, const struct gws_ingress *ing,
			   const struct prule *r, const char *route)
{
	size_t i;

	for (i = 0; i < r->npaths; i++) {
		const struct gws_ipath *p = r->paths[i];

		if (i > 0)
			path_finding(mp, ing, p, GWS_APPROXIMATED, "path '%s' "
				     "is listed more than once: its backends "
				     "share the traffic of one rule in "
				     "HTTPRoute '%s/%s'", p->path, ing->ns,
				     route);
		else if (p->type == GWS_PATH_IMPL)
			path_finding(mp, ing, p, GWS_APPROXIMATED, "path '%s' "
				     "-> PathPrefix match in HTTPRoute '%s/%s': "
				     "pathType %s is matched as a prefix; the "
				     "controller's own matching may differ",
				     p->path, ing->ns, route, p->type_missing ?
				     "(missing)" : "ImplementationSpecific");
		else
			path_finding(mp, ing, p, GWS_CONVERTED, "path '%s' -> "
				     "%s match in HTTPRoute '%s/%s'", p->path,
				     r->type, ing->ns, route);
	}
}

static void free_rules(struct prule *rules, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		gws_val_destroy(rules[i].backends);
		free(rules[i].paths);
	}
	free(rules);
}

/* the hosts of a group and the paths of its merged hosts: findings */
static void group_findings(struct mapper *mp, const struct gws_ingress *ing,
			   const struct hgroup *g, const char *route)
{
	size_t i, j;

	for (i = 0; i < g->nrules + g->nalso; i++) {
		const struct gws_irule *r = i < g->nrules ? g->rules[i] :
					    g->also[i - g->nrules];
		char *field = gws_xasprintf("%s.host", r->field);

		gws_report_add(mp->rep, GWS_CONVERTED, &r->pos, "Ingress",
			       ing->ns, ing->name, field, r->host ? "host '%s' "
			       "-> hostname of HTTPRoute '%s/%s'" : "%sno host: "
			       "HTTPRoute '%s/%s' has no hostnames and serves "
			       "every host", r->host ? r->host : "", ing->ns,
			       route);
		free(field);
		for (j = 0; i >= g->nrules && j < r->npaths; j++)
			if (r->paths[j].field)
				path_finding(mp, ing, &r->paths[j],
					     GWS_CONVERTED, "path '%s' is the "
					     "same as on host '%s': served by "
					     "HTTPRoute '%s/%s'", r->paths[j].path,
					     g->hosts[0], ing->ns, route);
	}
}

/* one host group -> routes of at most 16 rules; Returns: routes emitted */
static size_t emit_group(struct mapper *mp, struct gw_plan *gw,
			 const struct gws_ingress *ing, const struct hgroup *g,
			 size_t k)
{
	size_t nrules, i, j, made = 0;
	struct prule *rules = plan_rules(mp, ing, g, &nrules);

	for (i = 0; i < nrules; i += MAX_RULES) {
		size_t chunk = nrules - i < MAX_RULES ? nrules - i : MAX_RULES;
		char *name = emit_route(mp, gw, ing, k + made, g->hosts,
					g->nhosts, rules + i, chunk, NULL);

		for (j = i; j < i + chunk; j++)
			rules_findings(mp, ing, &rules[j], name);
		if (i == 0)
			group_findings(mp, ing, g, name);
		free(name);
		made++;
	}
	for (i = 0; made == 0 && i < g->nrules + g->nalso; i++) {
		const struct gws_irule *r = i < g->nrules ? g->rules[i] :
					    g->also[i - g->nrules];
		char *field = gws_xasprintf("%s.host", r->field);

		gws_report_add(mp->rep, GWS_NOT_CONVERTED, &r->pos, "Ingress",
			       ing->ns, ing->name, field, "host '%s' has no "
			       "path that could be converted: no route serves "
			       "it", r->host ? r->host : "*");
		free(field);
	}
	free_rules(rules, nrules);
	return made;
}

/* defaultBackend: a route with no hostnames on the HTTP listener */
static size_t emit_catch_all(struct mapper *mp, struct gw_plan *gw,
			     const struct gws_ingress *ing, size_t k)
{
	const struct gws_backend *be = ing->default_backend;
	char *id = gws_xasprintf("%s/%s", ing->ns, ing->name), *name;
	struct prule *rules = NULL;
	struct gws_val *ref;
	size_t n = 0, cap = 0;

	if (gw->catch_all) {
		gws_report_add(mp->rep, ing->nrules ? GWS_APPROXIMATED :
			       GWS_NOT_CONVERTED, &be->pos, "Ingress", ing->ns,
			       ing->name, be->field, "Gateway '%s' already "
			       "sends unmatched hosts to the defaultBackend of "
			       "Ingress '%s'; this one %s", gw->name,
			       gw->catch_all, ing->nrules ? "is only the '/' "
			       "fallback of its own hosts" : "is not used");
		free(id);
		return 0;
	}
	ref = backend_ref(mp, ing, be);
	if (!ref) {
		free(id);
		return 0;
	}
	gw->catch_all = id;
	prule_add(&rules, &n, &cap, "PathPrefix", "/", ref, NULL);
	name = emit_route(mp, gw, ing, k, NULL, 0, rules, n, "http");
	gws_report_add(mp->rep, GWS_CONVERTED, &be->pos, "Ingress", ing->ns,
		       ing->name, be->field, "defaultBackend -> HTTPRoute "
		       "'%s/%s' with no hostnames on listener 'http': it "
		       "receives plain-HTTP requests for every host no rule "
		       "names (HTTPS needs a certificate per host)%s",
		       ing->ns, name, ing->nrules ? ", and is the '/' "
		       "fallback of this Ingress's hosts" : "");
	free(name);
	free_rules(rules, n);
	return 1;
}

/* defaultBackend of an Ingress with a hostless rule: that route catches all */
static void hostless_default(struct mapper *mp, struct gw_plan *gw,
			     const struct gws_ingress *ing)
{
	const struct gws_backend *be = ing->default_backend;

	if (gw->catch_all) {
		gws_report_add(mp->rep, GWS_APPROXIMATED, &be->pos, "Ingress",
			       ing->ns, ing->name, be->field, "defaultBackend "
			       "-> the '/' rule of the route with no hostnames; "
			       "for unmatched hosts it competes with the "
			       "defaultBackend of Ingress '%s' (the Gateway "
			       "prefers the older route)", gw->catch_all);
		return;
	}
	gw->catch_all = gws_xasprintf("%s/%s", ing->ns, ing->name);
	gws_report_add(mp->rep, GWS_CONVERTED, &be->pos, "Ingress", ing->ns,
		       ing->name, be->field, "defaultBackend -> the '/' rule of "
		       "the route with no hostnames: it receives requests for "
		       "every host no rule names");
}

void map_ingress(struct mapper *mp, struct gw_plan *gw,
		 const struct gws_ingress *ing)
{
	size_t ngroups, i, k = 0;
	struct hgroup *gs = group_hosts(ing, &ngroups);
	bool hostless = false;

	merge_groups(gs, &ngroups);
	for (i = 0; i < ngroups; i++) {
		hostless |= gs[i].hosts[0] == NULL;
		k += emit_group(mp, gw, ing, &gs[i], k);
		free(gs[i].hosts);
		free(gs[i].rules);
		free(gs[i].also);
	}
	free(gs);
	if (ing->default_backend && !hostless)
		k += emit_catch_all(mp, gw, ing, k);
	else if (ing->default_backend)
		hostless_default(mp, gw, ing);
	if (k == 0)
		gws_report_add(mp->rep, GWS_NOT_CONVERTED, &ing->pos, "Ingress",
			       ing->ns, ing->name, "spec", "Ingress has no "
			       "path that could be converted: no route made");
	mp->rep->ingresses++;
}
