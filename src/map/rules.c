/* rules.c - Ingress paths -> route rules: matches, rewrites, filters, canaries */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "gwshift/check.h"
#include "gwshift/regex.h"
#include "internal.h"
#include "banned.h"

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
	if (gws_check_uri_path(v))	/* the rest of its rules */
		return n > 1024 ? "more than 1024 bytes" :
		       "a '%' that is not a %XX escape";
	return NULL;
}

struct gws_val *backend_ref(struct mapper *mp, const struct gws_ingress *ing,
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
			       "'%s %s' -> a backendRef of that kind, whose "
			       "support is implementation-specific (ingress-nginx "
			       "ignores resource backends and answers 404)",
			       be->res_kind, be->res_name);
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

static bool nginx_table(const struct gw_plan *gw)
{
	return gw->table && !strcmp(gw->table->name, "ingress-nginx");
}

/* struct pmatch - how one Ingress path matches, and how it rewrites */
struct pmatch {
	const char *type;
	char *value;
	struct gws_val *rewrite;	/* URLRewrite path modifier, or NULL */
	const char *note;		/* approximation, or NULL */
	char *why;			/* not converted: why */
};

/* the capture forms of rewrite-target that are a prefix rewrite */
static const struct {
	const char *tail;	/* how the path ends */
	const char *ref;	/* how the target ends */
	const char *note;	/* what differs, or NULL */
} idioms[] = {
	{ "(/|$)(.*)", "$2", NULL },
	{ "(/|$)(.*)$", "$2", NULL },
	{ "(/.*)", "$1", NULL },
	{ "(/.*)$", "$1", NULL },
	{ "/(.*)", "$1", "the prefix itself without its trailing '/' matches "
	  "here but not in nginx" },
	{ "/(.*)$", "$1", "the prefix itself without its trailing '/' "
	  "matches here but not in nginx" },
	{ "/?(.*)", "$1", "nginx also matches longer names such as "
	  "'<prefix>x'; Gateway API prefixes end at a '/'" },
};

/* rewrite-target "<T>$N" on "<P>(/|$)(.*)" and the like: a prefix rewrite */
static bool capture_idiom(const char *path, const char *target,
			  struct pmatch *pm)
{
	size_t i, pl = strlen(path), tl = strlen(target);

	for (i = 0; i < GWS_ARRAY_SIZE(idioms); i++) {
		size_t fl = strlen(idioms[i].tail), rl = strlen(idioms[i].ref);
		char *prefix, *repl;

		if (pl <= fl || strcmp(path + pl - fl, idioms[i].tail) ||
		    tl < rl || strcmp(target + tl - rl, idioms[i].ref) ||
		    memchr(target, '$', tl - rl))
			continue;
		prefix = gws_xstrndup(path, pl - fl);
		if (!*prefix || bad_path(prefix) ||
		    strpbrk(prefix, "()[]^$|?*+\\")) {
			free(prefix);
			return false;
		}
		repl = gws_xstrndup(target, tl - rl);
		if (strlen(repl) > 1 && repl[strlen(repl) - 1] == '/')
			repl[strlen(repl) - 1] = '\0';
		pm->type = "PathPrefix";
		pm->value = prefix;
		pm->rewrite = gws_val_map();
		gws_val_set_str(pm->rewrite, "type", "ReplacePrefixMatch");
		gws_val_set_str(pm->rewrite, "replacePrefixMatch", repl);
		pm->note = idioms[i].note;
		free(repl);
		return true;
	}
	return false;
}

/* how @p matches (and rewrites) on @host for this controller */
static void match_of(struct mapper *mp, struct gw_plan *gw,
		     const struct gws_route_plan *plan, const char *host,
		     const struct gws_ipath *p, struct pmatch *pm)
{
	const char *t = plan->rewrite_target, *why = NULL;
	char *re2;

	memset(pm, 0, sizeof(*pm));
	if (t && gws_check_path_modifier(t)) {
		pm->why = gws_xasprintf("rewrite-target cannot be converted "
			"(see its finding), so path '%s' is left out", p->path);
		return;
	}
	if (t && strchr(t, '$')) {
		if (capture_idiom(p->path, t, pm) && nginx_table(gw) &&
		    !pm->note)
			pm->note = "the prefix now matches case-sensitively; "
				   "nginx matched this regex path ignoring "
				   "case";
		if (!pm->value)
			pm->why = gws_xasprintf("rewrite-target '%s' uses "
				"captures of path '%s' in a way Gateway API "
				"cannot rewrite (only '<prefix>(/|$)(.*)' with "
				"'<target>$2' and the like become a prefix "
				"rewrite); the path is left out", t, p->path);
		return;
	}
	if (t) {
		pm->rewrite = gws_val_map();
		gws_val_set_str(pm->rewrite, "type", "ReplaceFullPath");
		gws_val_set_str(pm->rewrite, "replaceFullPath", t);
	}
	if (nginx_table(gw) && regex_host(mp, gw, host)) {
		re2 = gws_re2_from_pcre(p->path, &why);
		if (!re2) {
			pm->why = gws_xasprintf("path '%s' is a regex on this "
				"host and has %s, which RE2 (what Gateway "
				"implementations run) lacks; the path is left "
				"out", p->path, why);
			return;
		}
		pm->type = "RegularExpression";
		pm->value = gws_xasprintf("(?i)%s.*", re2);
		free(re2);
		if (strlen(pm->value) > 1024)
			pm->why = gws_xasprintf("path '%s' is a regex on this "
				"host, and as a RegularExpression match it "
				"is longer than the 1024 bytes Gateway API "
				"allows; the path is left out", p->path);
		return;
	}
	pm->type = p->type == GWS_PATH_EXACT ? "Exact" : "PathPrefix";
	pm->value = gws_xstrdup(p->path);
	if (p->type == GWS_PATH_IMPL && !nginx_table(gw))
		pm->note = "pathType ImplementationSpecific is matched as a "
			   "prefix; the controller's own matching may differ";
	if ((why = bad_path(p->path)) != NULL)
		pm->why = gws_xasprintf("path '%s' cannot be a Gateway API %s "
			"match (it has %s); left out", p->path, pm->type, why);
}

/* the redirect path: nginx sends the URL as it is, or base + request URI */
static void redirect_path(struct gws_val *r, const char *u, const char *path,
			  const char *type, const char *value)
{
	struct gws_val *pm;
	const char *ru = strstr(u, "$request_uri");
	size_t blen = path ? (ru ? (size_t)(ru - path) :
			      strcspn(path, "?#")) : 0;
	char *base = gws_xstrndup(path ? path : "", blen), *v;

	if (ru && !blen) {	/* "https://host$request_uri": keep the path */
		free(base);
		return;
	}
	pm = gws_val_child(r, "path");
	if (!ru) {
		gws_val_set_str(pm, "type", "ReplaceFullPath");
		gws_val_set_str(pm, "replaceFullPath", blen ? base : "/");
	} else if (type && !strcmp(type, "PathPrefix")) {
		/* base + the whole URI: the matched prefix becomes base+prefix */
		v = gws_xasprintf("%s%s", base, strcmp(value, "/") ? value : "");
		gws_val_set_str(pm, "type", "ReplacePrefixMatch");
		gws_val_set_str(pm, "replacePrefixMatch", v);
		free(v);
	} else {	/* Exact: base + the path; a regex: base alone */
		v = gws_xasprintf("%s%s", base, type && !strcmp(type, "Exact") ?
				  value : "");
		gws_val_set_str(pm, "type", "ReplaceFullPath");
		gws_val_set_str(pm, "replaceFullPath", v);
		free(v);
	}
	free(base);
}

/* RequestRedirect for permanent-redirect / temporal-redirect */
static struct gws_val *redirect_filter(const struct gws_route_plan *plan,
				       const char *type, const char *value)
{
	const char *u = plan->redirect_url, *h = strstr(u, "://") + 3;
	const char *end = h + strcspn(h, ":/?#$");
	struct gws_val *f = gws_val_map(), *r;
	int code = plan->redirect_code;
	char *host = gws_xstrndup(h, (size_t)(end - h)), *c;
	const char *port_end = end;

	for (c = host; *c; c++)	/* as the handler said: lower case */
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');

	gws_val_set_str(f, "type", "RequestRedirect");
	r = gws_val_child(f, "requestRedirect");
	gws_val_set_str(r, "scheme", strncmp(u, "https", 5) ? "http" : "https");
	gws_val_set_str(r, "hostname", host);
	if (*end == ':') {
		gws_val_set_int(r, "port", strtol(end + 1, NULL, 10));
		port_end = end + 1 + strspn(end + 1, "0123456789");
	}
	redirect_path(r, u, *port_end == '/' ? port_end : NULL, type, value);
	if (code != 301 && code != 302 && code != 303 && code != 307 &&
	    code != 308)	/* what the code annotation's finding says */
		code = plan->redirect_temporal ? 302 : 301;
	gws_val_set_int(r, "statusCode", code);
	free(host);
	return f;
}

/* the redirect of a rule matching @type @value has a path of 1024 bytes */
static bool redirect_fits(const struct gws_route_plan *plan, const char *type,
			  const char *value)
{
	struct gws_val *f = redirect_filter(plan, type, value);
	const struct gws_val *path = gws_val_get(gws_val_get(f,
				     "requestRedirect"), "path");
	const char *v = NULL;
	bool fits;

	if (path)
		v = gws_val_get_str(path, "replaceFullPath");
	if (path && !v)
		v = gws_val_get_str(path, "replacePrefixMatch");
	fits = !v || strlen(v) <= 1024;
	gws_val_destroy(f);
	return fits;
}

static void push_filter(struct gws_val **filters, const char *type,
			const char *member, const struct gws_val *body)
{
	struct gws_val *f;

	if (!body)
		return;
	if (!*filters)
		*filters = gws_val_seq();
	f = gws_val_push(*filters, gws_val_map());
	gws_val_set_str(f, "type", type);
	gws_val_set(f, member, gws_val_clone(body));
}

/* the filters of a rule: what the annotations asked, and the rewrite */
static struct gws_val *rule_filters(const struct gws_route_plan *plan,
				    const struct gws_val *rewrite, bool grpc,
				    const char *type, const char *value)
{
	struct gws_val *filters = NULL, *rw = NULL;

	if (plan->redirect_url && !grpc) {
		filters = gws_val_seq();
		gws_val_push(filters, redirect_filter(plan, type, value));
		return filters;
	}
	push_filter(&filters, "RequestHeaderModifier", "requestHeaderModifier",
		    plan->request_headers);
	push_filter(&filters, "ResponseHeaderModifier",
		    "responseHeaderModifier", plan->response_headers);
	push_filter(&filters, "RequestMirror", "requestMirror", plan->mirror);
	if (grpc)
		return filters;
	push_filter(&filters, "CORS", "cors", plan->cors);
	if (plan->ext_auth) {
		struct gws_val *ea = gws_val_clone(plan->ext_auth);
		const struct gws_val *hdrs = plan->auth_response_headers;

		if (hdrs && hdrs->n)	/* checked header names */
			gws_val_set(gws_val_child(ea, "http"),
				    "allowedResponseHeaders",
				    gws_val_clone(hdrs));
		push_filter(&filters, "ExternalAuth", "externalAuth", ea);
		gws_val_destroy(ea);
	}
	if (plan->host_rewrite || rewrite) {
		rw = gws_val_map();
		if (plan->host_rewrite)
			gws_val_set_str(rw, "hostname", plan->host_rewrite);
		if (rewrite)
			gws_val_set(rw, "path", gws_val_clone(rewrite));
		push_filter(&filters, "URLRewrite", "urlRewrite", rw);
		gws_val_destroy(rw);
	}
	return filters;
}

static struct prule *prule_new(struct rules *rs, const char *type,
			       const char *value)
{
	struct prule *r;

	gws_grow((void **)&rs->v, &rs->cap, rs->n + 1, sizeof(*rs->v));
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->value = value ? gws_xstrdup(value) : NULL;
	r->backends = gws_val_seq();
	return r;
}

static void prule_path(struct prule *r, const struct gws_ipath *p)
{
	r->paths = gws_xrealloc(r->paths, (r->npaths + 1) * sizeof(*r->paths));
	r->paths[r->npaths++] = p;
}

/* the rule for a match, shared by paths with the same match */
static struct prule *rule_for(struct rules *rs, const char *type,
			      const char *value, bool *fresh)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (!rs->v[i].headers && gws_streq(rs->v[i].type, type) &&
		    gws_streq(rs->v[i].value, value)) {
			*fresh = false;
			return &rs->v[i];
		}
	*fresh = true;
	return prule_new(rs, type, value);
}

static struct gws_val *header_match(const char *name, const char *value,
				    bool regex)
{
	struct gws_val *hs = gws_val_seq(), *h = gws_val_push(hs, gws_val_map());

	if (regex)
		gws_val_set_str(h, "type", "RegularExpression");
	gws_val_set_str(h, "name", name);
	gws_val_set_str(h, "value", value);
	return hs;
}

static void weigh(struct gws_val *backends, long w)
{
	size_t i;

	for (i = 0; i < backends->n; i++)
		gws_val_set_int(backends->items[i], "weight", w);
}

/* a header rule of a canary: @to's backends for requests with H: V */
static void canary_rule(struct rules *rs, const struct prule *base,
			struct gws_val *headers, const struct gws_val *to)
{
	struct prule *r = prule_new(rs, base->type, base->value);
	size_t i;

	r->headers = headers;
	r->canary = base->canary;
	r->filters = base->filters ? gws_val_clone(base->filters) : NULL;
	for (i = 0; i < to->n; i++)
		gws_val_push(r->backends, gws_val_clone(to->items[i]));
}

/* merge canary @c into rule @r: weights, then header rules */
static void apply_canary(struct mapper *mp, struct rules *rs, size_t ri,
			 const struct canary_ref *c)
{
	const struct gws_canary *cy = &c->plan->canary;
	struct gws_val *cref = backend_ref(mp, c->ing, &c->path->backend);
	struct gws_val *canary = gws_val_seq(), *primary;
	const char *why;
	struct prule base;
	char *re2;

	if (!cref) {
		gws_val_destroy(canary);
		return;
	}
	gws_val_push(canary, cref);
	rs->v[ri].canary = c->ing;	/* a source of its route too */
	primary = gws_val_clone(rs->v[ri].backends);
	if (cy->weight >= 0) {
		struct gws_val *w = gws_val_clone(canary->items[0]);

		weigh(rs->v[ri].backends, cy->weight_total - cy->weight);
		gws_val_set_int(w, "weight", cy->weight);
		gws_val_push(rs->v[ri].backends, w);
	}
	base = rs->v[ri];	/* copy: rs->v may move below */
	if (cy->header && cy->header_value) {
		canary_rule(rs, &base, header_match(cy->header,
			    cy->header_value, false), canary);
	} else if (cy->header && cy->header_pattern) {
		/* (the handler made sure that it translates) */
		re2 = gws_re2_search(cy->header_pattern, &why);
		if (re2)
			canary_rule(rs, &base, header_match(cy->header, re2,
				    true), canary);
		free(re2);
	} else if (cy->header) {
		canary_rule(rs, &base, header_match(cy->header, "always", false),
			    canary);
		canary_rule(rs, &base, header_match(cy->header, "never", false),
			    primary);
	}
	gws_val_destroy(canary);
	gws_val_destroy(primary);
}

/* "/pkg.Service/Method" -> a GRPCRoute method match (NULL: match all) */
static bool grpc_method(const char *path, struct gws_val **method)
{
	static const char svc_chars[] = "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.";
	const char *s = path + 1, *slash = strchr(s, '/');
	size_t sl = slash ? (size_t)(slash - s) : strlen(s);
	char *svc;

	*method = NULL;
	if (!strcmp(path, "/"))
		return true;
	if (!sl || strspn(s, svc_chars) < sl || s[0] == '.' ||
	    (s[0] >= '0' && s[0] <= '9') || s[sl - 1] == '.')
		return false;
	svc = gws_xstrndup(s, sl);
	*method = gws_val_map();
	gws_val_set_str(*method, "service", svc);
	free(svc);
	if (slash && slash[1]) {
		if (strspn(slash + 1, svc_chars) != strlen(slash + 1) ||
		    strchr(slash + 1, '.') || (slash[1] >= '0' && slash[1] <= '9')) {
			gws_val_destroy(*method);
			*method = NULL;
			return false;
		}
		gws_val_set_str(*method, "method", slash + 1);
	}
	return true;
}

/* one Ingress path: its rule, or a finding why it has none */
static void plan_path(struct mapper *mp, struct gw_plan *gw,
		      const struct gws_ingress *ing,
		      const struct gws_route_plan *plan, const char *host,
		      const struct gws_ipath *p, struct rules *out)
{
	bool grpc = plan->proto == GWS_PROTO_GRPC ||
		    plan->proto == GWS_PROTO_GRPCS, fresh;
	struct gws_val *ref, *method = NULL;
	const struct gws_ingress *owner;
	struct canary_ref *c;
	struct prule *r;
	struct pmatch pm;

	owner = path_owner(mp, gw, host, p);
	if (owner && owner != ing) {
		path_finding(mp, ing, p, GWS_NOT_CONVERTED, "path '%s' (%s) "
			     "on host '%s' is already served by the older "
			     "Ingress '%s/%s': ingress-nginx keeps the first "
			     "(its admission webhook refuses the duplicate), so "
			     "no rule is made for it", p->path, p->type ==
			     GWS_PATH_EXACT ? "Exact" : "Prefix", host ? host :
			     "*", owner->ns, owner->name);
		return;
	}
	match_of(mp, gw, plan, host, p, &pm);
	if (!pm.why && grpc && !grpc_method(p->path, &method))
		pm.why = gws_xasprintf("path '%s' is not '/package.Service' or "
				       "'/package.Service/Method', so it cannot "
				       "be a GRPCRoute match; left out", p->path);
	if (!pm.why && !grpc && plan->redirect_url &&
	    !redirect_fits(plan, pm.type, pm.value))
		pm.why = gws_xasprintf("path '%s' redirects (permanent-redirect "
				       "or temporal-redirect) to a path longer "
				       "than the 1024 bytes Gateway API allows; "
				       "left out", p->path);
	if (pm.why) {
		path_finding(mp, ing, p, GWS_NOT_CONVERTED, "%s", pm.why);
		goto out;
	}
	ref = backend_ref(mp, ing, &p->backend);
	if (!ref) {
		path_finding(mp, ing, p, GWS_NOT_CONVERTED, "path '%s' left out: "
			     "its backend cannot be resolved", p->path);
		goto out;
	}
	if (grpc) {
		char *key = method ? gws_xasprintf("%s/%s", gws_val_get_str(
			method, "service"), gws_val_get_str(method, "method") ?
			gws_val_get_str(method, "method") : "") : NULL;

		r = rule_for(out, NULL, key, &fresh);
		free(key);
		if (fresh)
			r->method = method, method = NULL;
	} else {
		r = rule_for(out, pm.type, pm.value, &fresh);
	}
	if (!fresh && nginx_table(gw)) {
		path_finding(mp, ing, p, GWS_CONVERTED, "path '%s' is listed "
			     "again in this Ingress: ingress-nginx serves it "
			     "from the first entry only, and so does the route; "
			     "backend '%s' gets no traffic", p->path,
			     p->backend.service ? p->backend.service :
			     p->backend.res_name);
		gws_val_destroy(ref);
		goto out;
	}
	if (fresh) {
		r->filters = rule_filters(plan, pm.rewrite, grpc, r->type,
					  r->value);
		r->note = pm.note;
	}
	if (plan->redirect_url)		/* a redirect rule has no backends */
		gws_val_destroy(ref);
	else
		gws_val_push(r->backends, ref);
	prule_path(r, p);
	c = plan->redirect_url ? NULL : canary_find(mp, gw, host, p);
	if (c && fresh) {
		c->primary = ing;
		apply_canary(mp, out, (size_t)(r - out->v), c);
	}
out:
	free(pm.value);
	free(pm.why);
	gws_val_destroy(pm.rewrite);
	gws_val_destroy(method);
}

/* app-root: Exact '/' redirects (302) to the app root */
static void app_root_rule(const struct gws_route_plan *plan, struct rules *rs)
{
	struct prule *r = prule_new(rs, "Exact", "/");
	struct gws_val *f, *rr, *path;

	r->filters = gws_val_seq();
	f = gws_val_push(r->filters, gws_val_map());
	gws_val_set_str(f, "type", "RequestRedirect");
	rr = gws_val_child(f, "requestRedirect");
	path = gws_val_child(rr, "path");
	gws_val_set_str(path, "type", "ReplaceFullPath");
	gws_val_set_str(path, "replaceFullPath", plan->app_root);
	gws_val_set_int(rr, "statusCode", 302);
}

/*
 * a host's '/' comes from a path '/' of any Ingress, else from the
 * defaultBackend of the oldest Ingress that names the host (nginx)
 */
static bool first_fallback(struct mapper *mp, struct gw_plan *gw,
			   const char *host)
{
	struct gws_ipath root = { 0 };
	char *key;
	bool first;

	root.path = (char *)"/";
	root.type = GWS_PATH_PREFIX;
	if (path_owner(mp, gw, host, &root))
		return false;
	key = gws_xasprintf("%s %s", gw->class_key, host ? host : "");
	first = !strset_has(&mp->fallbacks, key);
	strset_add(&mp->fallbacks, key);
	free(key);
	return first;
}

void rules_plan(struct mapper *mp, struct gw_plan *gw,
		const struct gws_ingress *ing, const struct gws_route_plan *plan,
		const struct gws_irule *const *irs, size_t nirs,
		const char *host, struct rules *out)
{
	bool has_root = false, grpc = plan->proto == GWS_PROTO_GRPC ||
		plan->proto == GWS_PROTO_GRPCS;
	size_t i, j;

	for (i = 0; i < nirs; i++) {
		for (j = 0; j < irs[i]->npaths; j++) {
			const struct gws_ipath *p = &irs[i]->paths[j];

			if (!p->field)
				continue;
			has_root |= !strcmp(p->path, "/") &&
				    p->type != GWS_PATH_EXACT;
			plan_path(mp, gw, ing, plan, host, p, out);
		}
	}
	if (ing->default_backend && !has_root && !plan->redirect_url &&
	    first_fallback(mp, gw, host)) {
		struct gws_val *ref = backend_ref(mp, ing, ing->default_backend);
		struct prule *r;

		if (ref) {
			bool re = nginx_table(gw) && regex_host(mp, gw, host);

			r = prule_new(out, grpc ? NULL : re ?
				      "RegularExpression" : "PathPrefix",
				      grpc ? NULL : re ? "(?i)/.*" : "/");
			r->filters = rule_filters(plan, NULL, grpc, r->type,
						  r->value);
			gws_val_push(r->backends, ref);
		}
	}
	if (plan->app_root && !grpc)
		app_root_rule(plan, out);
}

void rules_release(struct rules *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].value);
		gws_val_destroy(r->v[i].headers);
		gws_val_destroy(r->v[i].method);
		gws_val_destroy(r->v[i].filters);
		gws_val_destroy(r->v[i].backends);
		free(r->v[i].paths);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* seconds in a duration this code wrote ("90s", "2m", "1h30s") */
static long seconds(const char *d)
{
	long total = 0, n = 0;

	for (; d && *d; d++) {
		if (*d >= '0' && *d <= '9') {
			n = n * 10 + (*d - '0');
			continue;
		}
		total += n * (*d == 'h' ? 3600 : *d == 'm' ? 60 : 1);
		n = 0;
	}
	return total;
}

static struct gws_val *timeouts_of(const struct gws_val *t)
{
	struct gws_val *out = gws_val_clone(t);
	const char *req = gws_val_get_str(t, "request");
	const char *be = gws_val_get_str(t, "backendRequest");

	/* CEL: backendRequest may not be longer than request */
	if (req && be && seconds(be) > seconds(req))
		gws_val_del(out, "backendRequest");
	return out;
}

struct gws_val *rule_val(const struct prule *r,
			 const struct gws_route_plan *plan, bool grpc)
{
	struct gws_val *rule = gws_val_map(), *m = NULL;

	if (r->type || r->headers || r->method) {
		m = gws_val_push(gws_val_list(rule, "matches"), gws_val_map());
		if (r->type) {
			struct gws_val *path = gws_val_child(m, "path");

			gws_val_set_str(path, "type", r->type);
			gws_val_set_str(path, "value", r->value);
		}
		if (r->method)
			gws_val_set(m, "method", gws_val_clone(r->method));
		if (r->headers)
			gws_val_set(m, "headers", gws_val_clone(r->headers));
	}
	if (r->filters)
		gws_val_set(rule, "filters", gws_val_clone(r->filters));
	if (r->backends->n)
		gws_val_set(rule, "backendRefs", gws_val_clone(r->backends));
	if (!grpc && r->backends->n && plan->timeouts)
		gws_val_set(rule, "timeouts", timeouts_of(plan->timeouts));
	if (!grpc && r->backends->n && plan->retry)
		gws_val_set(rule, "retry", gws_val_clone(plan->retry));
	if (r->backends->n && plan->session)
		gws_val_set(rule, "sessionPersistence",
			    gws_val_clone(plan->session));
	return rule;
}
