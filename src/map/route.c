/* route.c - one Ingress -> its routes (HTTP, gRPC, TLS), with findings */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

#define MAX_RULES 16
#define MAX_HOSTNAMES 16

/* struct hgroup - hosts that share the same paths, so one route serves them */
struct hgroup {
	const char **hosts;	/* NULL entry: no host */
	size_t nhosts;
	const struct gws_irule **rules;	/* rules of the first host */
	size_t nrules;
	const struct gws_irule **also;	/* same rules of the other hosts */
	size_t nalso;
	bool https;		/* every host has an HTTPS listener */
};

/* struct rctx - building the routes of one Ingress */
struct rctx {
	struct mapper *mp;
	struct gw_plan *gw;
	const struct gws_ingress *ing;
	const struct gws_route_plan *plan;
	size_t k;		/* routes made so far: numbers the names */
	size_t www;		/* www redirect routes made so far */
	bool no_alias;		/* the route being made takes no server-alias */
};

/*
 * take_name() - @cand (taken) or, when another route or Ingress of the
 * namespace has it, the first free "<cand>-N". Returns: the name to free.
 */
static char *take_name(struct rctx *rc, char *cand)
{
	char *name = cand;
	size_t k = 1;

	for (;;) {
		char *id = gws_xasprintf("%s/%s", rc->ing->ns, name);
		bool free_name = !strset_has(&rc->mp->route_names, id) &&
				 (!strcmp(name, rc->ing->name) ||
				  !strset_has(&rc->mp->ingress_names, id));

		if (free_name) {
			strset_add(&rc->mp->route_names, id);
			free(id);
			if (name != cand)
				free(cand);
			return name;
		}
		free(id);
		if (name != cand)
			free(name);
		name = numbered_name(cand, k++);
	}
}

/*
 * suffixed() - "<name><suffix>" as an object name: 253 bytes at most. A
 * name too long for the suffix is cut and gets a hash of the whole name,
 * so two long names that share their start keep apart. Returns: the name
 * to free.
 */
static char *suffixed(const char *name, const char *suffix)
{
	size_t n = strlen(name), room = 253 - strlen(suffix) - 9;
	unsigned long h = 2166136261UL;
	const char *p;

	if (n + strlen(suffix) <= 253)
		return gws_xasprintf("%s%s", name, suffix);
	for (p = name; *p; p++)	/* FNV-1a */
		h = ((h ^ (unsigned char)*p) * 16777619UL) & 0xffffffffUL;
	n = room;
	while (n > 1 && (name[n - 1] == '.' || name[n - 1] == '-'))
		n--;	/* a cut must not leave "x.-" */
	return gws_xasprintf("%.*s-%08lx%s", (int)n, name, h, suffix);
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

static bool covered(const struct gw_plan *gw, const char *host)
{
	const struct tls_host *th = host ? tls_for(gw, host) : NULL;

	return th && !th->passthrough;
}

/* group the rules by host */
static struct hgroup *group_hosts(const struct rctx *rc, size_t *n)
{
	const struct gws_ingress *ing = rc->ing;
	struct hgroup *gs = NULL;
	size_t cap = 0, i, j;

	*n = 0;
	for (i = 0; i < ing->nrules; i++) {
		const struct gws_irule *r = &ing->rules[i];
		struct hgroup *g = NULL;

		for (j = 0; j < *n && !g; j++)
			if (gws_streq(gs[j].hosts[0], r->host))
				g = &gs[j];
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
		g->https = covered(rc->gw, r->host);
	}
	return gs;
}

static bool can_merge(const struct rctx *rc, const struct hgroup *a,
		      const struct hgroup *b)
{
	size_t k;

	if (a->nrules != b->nrules || !a->hosts[0] || !b->hosts[0] ||
	    a->nhosts >= MAX_HOSTNAMES || a->https != b->https ||
	    canary_host(rc->mp, rc->gw, a->hosts[0]) ||
	    canary_host(rc->mp, rc->gw, b->hosts[0]) ||
	    regex_host(rc->mp, rc->gw, a->hosts[0]) !=
	    regex_host(rc->mp, rc->gw, b->hosts[0]))
		return false;
	for (k = 0; k < a->nrules; k++)
		if (!same_paths(a->rules[k], b->rules[k]))
			return false;
	return true;
}

/* merge single-host groups with identical rules into multi-host groups */
static void merge_groups(const struct rctx *rc, struct hgroup *gs, size_t *n)
{
	size_t i, j, out = 0;

	for (i = 0; i < *n; i++) {
		bool merged = false;

		for (j = 0; j < out && !merged; j++) {
			if (!can_merge(rc, &gs[j], &gs[i]))
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

/* a route of @kind for @hosts; the caller adds the rules */
static struct gws_val *new_route(struct rctx *rc, const char *kind,
				 const char *name, const char **hosts,
				 size_t nhosts, enum attach at,
				 const struct prule *rules, size_t nrules)
{
	const struct gws_val *aliases = rc->no_alias ? NULL :
					rc->plan->aliases;
	struct strset src = { 0 };
	struct gws_val *doc, *spec, *list;
	char *id = gws_xasprintf("%s/%s", rc->ing->ns, rc->ing->name);
	const char **all;
	size_t i, n = 0;

	strset_add(&src, id);
	for (i = 0; i < nrules; i++) {	/* canaries merged into its rules */
		if (!rules[i].canary)
			continue;
		free(id);
		id = gws_xasprintf("%s/%s", rules[i].canary->ns,
				   rules[i].canary->name);
		strset_add(&src, id);
	}
	doc = new_object(kind, rc->ing->ns, name, &src);
	add_labels(doc, rc->ing);
	for (i = 0; rc->plan->route_annotations &&
	     i < rc->plan->route_annotations->n; i++)
		gws_val_set(gws_val_child(gws_val_child(doc, "metadata"),
					  "annotations"),
			    rc->plan->route_annotations->keys[i],
			    gws_val_clone(rc->plan->route_annotations->items[i]));
	spec = gws_val_child(doc, "spec");
	all = gws_xcalloc(nhosts + (aliases ? aliases->n : 0) + 1,
			  sizeof(*all));
	for (i = 0; i < nhosts; i++)
		all[n++] = hosts[i];
	for (i = 0; hosts && hosts[0] && aliases && i < aliases->n &&
	     n < MAX_HOSTNAMES; i++)
		all[n++] = aliases->items[i]->str;
	/* an alias reaches the listeners of its own name too */
	gw_parent_refs(rc->mp, rc->gw, all, n, at,
		       gws_val_list(spec, "parentRefs"));
	if (n && all[0]) {
		list = gws_val_list(spec, "hostnames");
		for (i = 0; i < n; i++)
			gws_val_push(list, gws_val_str(all[i]));
	}
	free(all);
	gws_val_list(spec, "rules");
	strset_release(&src);
	free(id);
	return doc;
}

static void path_finding(struct rctx *rc, const struct gws_ipath *p,
			 enum gws_state st, const char *fmt, ...)
	GWS_PRINTF(4, 5);

static void path_finding(struct rctx *rc, const struct gws_ipath *p,
			 enum gws_state st, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = gws_xvasprintf(fmt, ap);
	va_end(ap);
	gws_report_add(rc->mp->rep, st, &p->pos, "Ingress", rc->ing->ns,
		       rc->ing->name, p->field, "%s", msg);
	free(msg);
}

/* one finding per Ingress path: converted, or approximated and why */
static void rule_findings(struct rctx *rc, const struct prule *r,
			  const char *kind, const char *route)
{
	size_t i;

	for (i = 0; i < r->npaths; i++) {
		const struct gws_ipath *p = r->paths[i];
		const char *m = r->method ? "method" : r->type ? r->type :
				"catch-all";

		if (i > 0)
			path_finding(rc, p, GWS_APPROXIMATED, "path '%s' is "
				     "listed more than once: its backends "
				     "share the traffic of one rule in %s "
				     "'%s/%s'", p->path, kind, rc->ing->ns,
				     route);
		else if (r->note)
			path_finding(rc, p, GWS_APPROXIMATED, "path '%s' -> %s "
				     "match in %s '%s/%s': %s", p->path, m,
				     kind, rc->ing->ns, route, r->note);
		else
			path_finding(rc, p, GWS_CONVERTED, "path '%s' -> %s "
				     "match in %s '%s/%s'", p->path, m, kind,
				     rc->ing->ns, route);
	}
}

/* the hosts of a group and the paths of its merged hosts: findings */
static void group_findings(struct rctx *rc, const struct hgroup *g,
			   const char *kind, const char *route,
			   const char *redirect)
{
	size_t i, j;

	for (i = 0; i < g->nrules + g->nalso; i++) {
		const struct gws_irule *r = i < g->nrules ? g->rules[i] :
					    g->also[i - g->nrules];
		char *field = gws_xasprintf("%s.host", r->field);

		if (r->host)
			gws_report_add(rc->mp->rep, GWS_CONVERTED, &r->pos,
				       "Ingress", rc->ing->ns, rc->ing->name,
				       field, "host '%s' -> hostname of %s "
				       "'%s/%s'%s%s", r->host, kind, rc->ing->ns,
				       route, redirect ? "; plain HTTP "
				       "redirects to https through HTTPRoute " :
				       "", redirect ? redirect : "");
		else
			gws_report_add(rc->mp->rep, GWS_CONVERTED, &r->pos,
				       "Ingress", rc->ing->ns, rc->ing->name,
				       field, "no host: %s '%s/%s' has no "
				       "hostnames and serves every host", kind,
				       rc->ing->ns, route);
		free(field);
		for (j = 0; i >= g->nrules && j < r->npaths; j++)
			if (r->paths[j].field)
				path_finding(rc, &r->paths[j], GWS_CONVERTED,
					     "path '%s' is the same as on host "
					     "'%s': served by %s '%s/%s'",
					     r->paths[j].path, g->hosts[0], kind,
					     rc->ing->ns, route);
	}
}

/* emit @rs as routes of at most 16 rules; Returns: the first name */
static char *emit_rules(struct rctx *rc, const char *kind,
			const struct hgroup *g, const struct rules *rs,
			enum attach at, const char *base)
{
	bool grpc = !strcmp(kind, "GRPCRoute");
	char *first = NULL;
	size_t i, j;

	for (i = 0; i < rs->n; i += MAX_RULES) {
		size_t chunk = rs->n - i < MAX_RULES ? rs->n - i : MAX_RULES;
		char *name = take_name(rc, base ? numbered_name(base,
					i / MAX_RULES) : numbered_name(
					rc->ing->name, rc->k++));
		struct gws_val *doc = new_route(rc, kind, name, g->hosts,
						g->nhosts, at, rs->v + i,
						chunk);
		struct gws_val *list = gws_val_list(gws_val_child(doc, "spec"),
						    "rules");

		for (j = i; j < i + chunk; j++) {
			gws_val_push(list, rule_val(&rs->v[j], rc->plan, grpc));
			rule_findings(rc, &rs->v[j], kind, name);
		}
		gws_output_add(rc->mp->out, doc, GWS_ROLE_APP);
		if (!first)
			first = name;
		else
			free(name);
	}
	return first;
}

/* the HTTP listener's half of ssl-redirect: every match redirects to https */
static char *emit_redirect(struct rctx *rc, const struct hgroup *g,
			   const struct rules *main, size_t idx)
{
	struct rules rs = { 0 };
	char *base = suffixed(rc->ing->name, "-https-redirect");
	char *name = numbered_name(base, idx), *first;
	struct gws_val *f, *rr;
	size_t i;

	for (i = 0; i < main->n; i++) {
		const struct prule *m = &main->v[i];
		struct prule *r;
		size_t j;

		for (j = 0; j < i; j++)	/* one redirect per path match */
			if (gws_streq(main->v[j].type, m->type) &&
			    gws_streq(main->v[j].value, m->value))
				break;
		if (j < i)
			continue;
		gws_grow((void **)&rs.v, &rs.cap, rs.n + 1, sizeof(*rs.v));
		r = &rs.v[rs.n++];
		memset(r, 0, sizeof(*r));
		r->type = m->type;
		r->value = m->value ? gws_xstrdup(m->value) : NULL;
		if (!g->https) {	/* TLS ends in front of the Gateway */
			struct gws_val *h = gws_val_map();

			if (!r->headers)
				r->headers = gws_val_seq();
			gws_val_set_str(h, "name", "X-Forwarded-Proto");
			gws_val_set_str(h, "value", "http");
			gws_val_push(r->headers, h);
		}
		r->backends = gws_val_seq();
		r->filters = gws_val_seq();
		f = gws_val_push(r->filters, gws_val_map());
		gws_val_set_str(f, "type", "RequestRedirect");
		rr = gws_val_child(f, "requestRedirect");
		gws_val_set_str(rr, "scheme", "https");
		if (rc->plan->port_in_redirects)
			gws_val_set_int(rr, "port", 443);
		gws_val_set_int(rr, "statusCode", 308);
	}
	first = emit_rules(rc, "HTTPRoute", g, &rs, ATTACH_HTTP, name);
	rules_release(&rs);
	free(name);
	free(base);
	return first;
}

/* from-to-www-redirect: the www twin of each host redirects to it */
static void emit_www(struct rctx *rc, const struct hgroup *g)
{
	size_t i;

	for (i = 0; i < g->nhosts && g->hosts[i]; i++) {	/* no host: none */
		const char *h = g->hosts[i];
		char *twin = !strncmp(h, "www.", 4) ? gws_xstrdup(h + 4) :
			     gws_xasprintf("www.%s", h);
		char *base = suffixed(rc->ing->name, "-www-redirect");
		char *name = take_name(rc, numbered_name(base, rc->www++));
		const char *hosts[1] = { twin };
		struct gws_val *doc, *rule, *f, *rr;

		free(base);
		if (!gws_dns1123_subdomain(twin) || !strncmp(h, "*.", 2)) {
			free(twin);
			free(name);
			continue;
		}
		rc->no_alias = true;
		doc = new_route(rc, "HTTPRoute", name, hosts, 1, ATTACH_ALL,
				NULL, 0);
		rc->no_alias = false;
		rule = gws_val_push(gws_val_list(gws_val_child(doc, "spec"),
						 "rules"), gws_val_map());
		f = gws_val_push(gws_val_list(rule, "filters"), gws_val_map());
		gws_val_set_str(f, "type", "RequestRedirect");
		rr = gws_val_child(f, "requestRedirect");
		gws_val_set_str(rr, "hostname", h);
		gws_val_set_int(rr, "statusCode", 308);
		gws_output_add(rc->mp->out, doc, GWS_ROLE_APP);
		free(twin);
		free(name);
	}
}

/* one host group: its rules as routes, and the redirect half */
static size_t emit_group(struct rctx *rc, const struct hgroup *g,
			 size_t gidx)
{
	const struct gws_route_plan *plan = rc->plan;
	bool grpc = plan->proto == GWS_PROTO_GRPC ||
		    plan->proto == GWS_PROTO_GRPCS;
	bool redirect = !plan->redirect_url && g->hosts[0] &&
			((g->https && plan->ssl_redirect != 0) ||
			 plan->force_ssl_redirect);
	const char *kind = grpc ? "GRPCRoute" : "HTTPRoute";
	struct rules rs = { 0 };
	char *name, *rname = NULL;
	size_t i, before = rc->k;

	rules_plan(rc->mp, rc->gw, rc->ing, plan, g->rules, g->nrules,
		   g->hosts[0], &rs);
	if (rs.n) {
		name = emit_rules(rc, kind, g, &rs, redirect && g->https ?
				  ATTACH_HTTPS : ATTACH_ALL, NULL);
		if (redirect)
			rname = emit_redirect(rc, g, &rs, gidx);
		group_findings(rc, g, kind, name, rname);
		free(name);
		free(rname);
		if (plan->from_to_www)
			emit_www(rc, g);
	}
	for (i = 0; !rs.n && i < g->nrules + g->nalso; i++) {
		const struct gws_irule *r = i < g->nrules ? g->rules[i] :
					    g->also[i - g->nrules];
		char *field = gws_xasprintf("%s.host", r->field);

		gws_report_add(rc->mp->rep, GWS_NOT_CONVERTED, &r->pos,
			       "Ingress", rc->ing->ns, rc->ing->name, field,
			       "host '%s' has no path that could be converted: "
			       "no route serves it", r->host ? r->host : "*");
		free(field);
	}
	rules_release(&rs);
	return rc->k - before;
}

/* ssl-passthrough: a TLSRoute for the hosts, to the backend of '/' */
static size_t emit_passthrough(struct rctx *rc)
{
	const struct gws_ingress *ing = rc->ing;
	const struct gws_ipath *use = NULL;
	const char **hosts = gws_xcalloc(ing->nrules + 1, sizeof(*hosts));
	struct gws_val *doc, *rule, *ref;
	char *name;
	size_t i, j, n = 0;

	for (i = 0; i < ing->nrules; i++) {
		for (j = 0; j < n && ing->rules[i].host; j++)
			if (!strcmp(hosts[j], ing->rules[i].host))
				break;
		if (ing->rules[i].host && j == n)
			hosts[n++] = ing->rules[i].host;
		for (j = 0; j < ing->rules[i].npaths; j++)
			if (ing->rules[i].paths[j].field && (!use ||
			    !strcmp(ing->rules[i].paths[j].path, "/")))
				use = &ing->rules[i].paths[j];
	}
	ref = use && n ? backend_ref(rc->mp, ing, &use->backend) : NULL;
	for (i = 0; i < ing->nrules; i++)
		for (j = 0; j < ing->rules[i].npaths; j++) {
			const struct gws_ipath *p = &ing->rules[i].paths[j];

			if (!p->field)
				continue;
			if (p == use && ref)
				path_finding(rc, p, GWS_CONVERTED, "path '%s' -> "
					     "the backend of TLSRoute '%s/%s'",
					     p->path, ing->ns, ing->name);
			else
				path_finding(rc, p, GWS_NOT_CONVERTED, "path "
					     "'%s': with ssl-passthrough every "
					     "connection of the host goes to "
					     "one backend%s", p->path, n ? "" :
					     ", and this Ingress has no host");
		}
	if (!ref) {
		free(hosts);
		return 0;
	}
	name = take_name(rc, gws_xstrdup(ing->name));
	doc = new_route(rc, "TLSRoute", name, hosts, n, ATTACH_HTTPS, NULL, 0);
	free(name);
	rule = gws_val_push(gws_val_list(gws_val_child(doc, "spec"), "rules"),
			    gws_val_map());
	gws_val_push(gws_val_list(rule, "backendRefs"), ref);
	gws_output_add(rc->mp->out, doc, GWS_ROLE_APP);
	free(hosts);
	return 1;
}

/* defaultBackend: a route with no hostnames on the HTTP listener */
static size_t emit_catch_all(struct rctx *rc)
{
	const struct gws_backend *be = rc->ing->default_backend;
	const struct gws_ingress *ing = rc->ing;
	struct gws_val *ref, *doc, *rule, *m, *path;
	char *name;

	if (rc->gw->catch_all) {
		gws_report_add(rc->mp->rep, ing->nrules ? GWS_APPROXIMATED :
			       GWS_NOT_CONVERTED, &be->pos, "Ingress", ing->ns,
			       ing->name, be->field, "Gateway '%s' already "
			       "sends unmatched hosts to the defaultBackend of "
			       "Ingress '%s'; this one %s", rc->gw->name,
			       rc->gw->catch_all, ing->nrules ? "is only the "
			       "'/' fallback of its own hosts" : "is not used");
		return 0;
	}
	ref = backend_ref(rc->mp, ing, be);
	if (!ref)
		return 0;
	rc->gw->catch_all = gws_xasprintf("%s/%s", ing->ns, ing->name);
	name = take_name(rc, numbered_name(ing->name, rc->k++));
	doc = new_route(rc, "HTTPRoute", name, NULL, 0, ATTACH_HTTP, NULL, 0);
	rule = gws_val_push(gws_val_list(gws_val_child(doc, "spec"), "rules"),
			    gws_val_map());
	m = gws_val_push(gws_val_list(rule, "matches"), gws_val_map());
	path = gws_val_child(m, "path");
	gws_val_set_str(path, "type", "PathPrefix");
	gws_val_set_str(path, "value", "/");
	gws_val_push(gws_val_list(rule, "backendRefs"), ref);
	gws_output_add(rc->mp->out, doc, GWS_ROLE_APP);
	gws_report_add(rc->mp->rep, GWS_CONVERTED, &be->pos, "Ingress", ing->ns,
		       ing->name, be->field, "defaultBackend -> HTTPRoute "
		       "'%s/%s' with no hostnames on listener 'http': it "
		       "receives plain-HTTP requests for every host no rule "
		       "names (HTTPS needs a certificate per host)%s", ing->ns,
		       name, ing->nrules ? ", and is the '/' fallback of this "
		       "Ingress's hosts" : "");
	free(name);
	return 1;
}

/* defaultBackend of an Ingress with a hostless rule: that route catches all */
static void hostless_default(struct rctx *rc)
{
	const struct gws_backend *be = rc->ing->default_backend;
	const struct gws_ingress *ing = rc->ing;

	if (rc->gw->catch_all) {
		gws_report_add(rc->mp->rep, GWS_APPROXIMATED, &be->pos, "Ingress",
			       ing->ns, ing->name, be->field, "defaultBackend "
			       "-> the '/' rule of the route with no hostnames; "
			       "for unmatched hosts it competes with the "
			       "defaultBackend of Ingress '%s' (the Gateway "
			       "prefers the older route)", rc->gw->catch_all);
		return;
	}
	rc->gw->catch_all = gws_xasprintf("%s/%s", ing->ns, ing->name);
	gws_report_add(rc->mp->rep, GWS_CONVERTED, &be->pos, "Ingress", ing->ns,
		       ing->name, be->field, "defaultBackend -> the '/' rule of "
		       "the route with no hostnames: it receives requests for "
		       "every host no rule names");
}

/* the hosts of a canary or passthrough Ingress */
static void host_findings(struct rctx *rc)
{
	const struct gws_ingress *ing = rc->ing;
	size_t i;

	for (i = 0; i < ing->nrules; i++) {
		const struct gws_irule *r = &ing->rules[i];
		char *field = gws_xasprintf("%s.host", r->field);

		gws_report_add(rc->mp->rep, GWS_CONVERTED, &r->pos, "Ingress",
			       ing->ns, ing->name, field, rc->plan->canary.on ?
			       "host '%s': the canary paths join the routes of "
			       "its primary Ingresses" : "host '%s' -> hostname "
			       "of the TLSRoute and its Passthrough listener",
			       r->host ? r->host : "*");
		free(field);
	}
}

void map_ingress(struct mapper *mp, struct gw_plan *gw,
		 const struct gws_ingress *ing)
{
	struct rctx rc = { mp, gw, ing, route_plan(mp, ing), 0, 0, false };
	size_t ngroups, i;
	struct hgroup *gs;
	bool hostless = false;

	mp->rep->ingresses++;
	if (rc.plan->canary.on || rc.plan->passthrough)
		host_findings(&rc);
	if (rc.plan->canary.on)
		return;		/* its paths join their primaries' rules */
	if (rc.plan->passthrough) {
		if (!emit_passthrough(&rc))
			gws_report_add(mp->rep, GWS_NOT_CONVERTED, &ing->pos,
				       "Ingress", ing->ns, ing->name, "spec",
				       "ssl-passthrough Ingress has no host "
				       "and backend to pass through: no route");
		return;
	}
	gs = group_hosts(&rc, &ngroups);
	merge_groups(&rc, gs, &ngroups);
	for (i = 0; i < ngroups; i++) {
		hostless |= gs[i].hosts[0] == NULL;
		emit_group(&rc, &gs[i], i);
		free(gs[i].hosts);
		free(gs[i].rules);
		free(gs[i].also);
	}
	free(gs);
	if (ing->default_backend && !hostless)
		emit_catch_all(&rc);
	else if (ing->default_backend)
		hostless_default(&rc);
	if (rc.k == 0)
		gws_report_add(mp->rep, GWS_NOT_CONVERTED, &ing->pos, "Ingress",
			       ing->ns, ing->name, "spec", "Ingress has no "
			       "path that could be converted: no route made");
}

/* HTTPS/GRPCS backends with proxy-ssl-secret and -name: BackendTLSPolicy */
void backend_tls_policies(struct mapper *mp, const struct gws_ingress *ing)
{
	const struct gws_route_plan *plan = route_plan(mp, ing);
	const char *secret = plan->proxy_ssl_secret;
	size_t i, j;

	/* the handlers set a name and a Secret of this namespace, or none */
	if ((plan->proto != GWS_PROTO_HTTPS && plan->proto != GWS_PROTO_GRPCS) ||
	    !secret || !plan->proxy_ssl_name || plan->canary.on)
		return;
	for (i = 0; i < ing->nrules; i++)
		for (j = 0; j < ing->rules[i].npaths; j++) {
			const char *svc = ing->rules[i].paths[j].backend.service;
			char *id, *name;
			struct gws_val *doc, *spec, *t, *v, *ca;
			struct strset src = { 0 };

			if (!svc || !ing->rules[i].paths[j].field)
				continue;
			id = gws_xasprintf("%s/%s", ing->ns, svc);
			if (strset_has(&mp->tls_policies, id)) {
				free(id);
				continue;
			}
			strset_add(&mp->tls_policies, id);
			free(id);
			id = gws_xasprintf("%s/%s", ing->ns, ing->name);
			strset_add(&src, id);
			name = gws_xasprintf("%s-backend-tls", svc);
			doc = new_object("BackendTLSPolicy", ing->ns, name, &src);
			spec = gws_val_child(doc, "spec");
			t = gws_val_push(gws_val_list(spec, "targetRefs"),
					 gws_val_map());
			gws_val_set_str(t, "group", "");
			gws_val_set_str(t, "kind", "Service");
			gws_val_set_str(t, "name", svc);
			v = gws_val_child(spec, "validation");
			ca = gws_val_push(gws_val_list(v, "caCertificateRefs"),
					  gws_val_map());
			gws_val_set_str(ca, "group", "");
			gws_val_set_str(ca, "kind", "Secret");
			gws_val_set_str(ca, "name", secret);
			gws_val_set_str(v, "hostname", plan->proxy_ssl_name);
			gws_output_add(mp->out, doc, GWS_ROLE_APP);
			strset_release(&src);
			free(name);
			free(id);
		}
}
