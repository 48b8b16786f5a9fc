/* map.c - the mapping stage: classes, annotations, then routes and Gateways */
/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

static const char last_applied[] =
	"kubectl.kubernetes.io/last-applied-configuration";

static bool selected(const struct gws_map_opts *o, const char *cls)
{
	size_t i;

	if (!o->nclasses)
		return true;
	for (i = 0; i < o->nclasses; i++)
		if (!strcmp(o->classes[i], cls))
			return true;
	return false;
}

/* a DNS label from a class name, for Gateway names */
static char *label_of(const char *s)
{
	char *out = gws_xstrdup(*s ? s : "default"), *p, *q;

	for (p = out; *p; p++)
		*p = isalnum((unsigned char)*p) ? (char)tolower(*p) : '-';
	for (p = out; *p == '-'; p++)	/* a label starts with [a-z0-9] */
		;
	memmove(out, p, strlen(p) + 1);
	if (strlen(out) > 63)
		out[63] = '\0';
	for (q = out + strlen(out); q > out && q[-1] == '-'; q--)
		q[-1] = '\0';
	if (!*out) {
		free(out);
		out = gws_xstrdup("default");
	}
	return out;
}

static struct gw_plan *plan_for(struct mapper *mp, const char *cls)
{
	struct gw_plan *gw;
	const struct gws_ingress_class *ic;
	size_t i;

	for (i = 0; i < mp->ngws; i++)
		if (!strcmp(mp->gws[i].class_key, cls))
			return &mp->gws[i];
	mp->gws = gws_xrealloc(mp->gws, (mp->ngws + 1) * sizeof(*mp->gws));
	gw = &mp->gws[mp->ngws++];
	memset(gw, 0, sizeof(*gw));
	gw->class_key = gws_xstrdup(cls);
	gw->annotations = gws_val_map();
	gw->ns_annotations = gws_val_map();
	ic = *cls ? gws_model_class(mp->m, cls) : NULL;
	if (ic && ic->controller)
		gw->table = gws_mappings_by_controller(mp->maps, ic->controller);
	else
		gw->table = gws_mappings_by_class(mp->maps, cls);
	gw->gateway_class = mp->opts->gateway_class ?
		gws_xstrdup(mp->opts->gateway_class) : label_of(cls);
	return gw;
}

static int cmp_plan(const void *a, const void *b)
{
	return strcmp(((const struct gw_plan *)a)->class_key,
		      ((const struct gw_plan *)b)->class_key);
}

/* Gateway names: --gateway-name for one class, with the class for several */
static void name_plans(struct mapper *mp)
{
	size_t i;

	if (mp->ngws)
		qsort(mp->gws, mp->ngws, sizeof(*mp->gws), cmp_plan);
	for (i = 0; i < mp->ngws; i++) {
		char *cls = label_of(mp->gws[i].class_key);

		if (!mp->opts->gateway_name)
			mp->gws[i].name = gws_xstrdup(cls);
		else if (mp->ngws == 1)
			mp->gws[i].name = gws_xstrdup(mp->opts->gateway_name);
		else
			mp->gws[i].name = gws_xasprintf("%s-%s",
				mp->opts->gateway_name, cls);
		free(cls);
	}
}

/* one annotation: by its table, to its handler, or a finding why not */
static void annotation(struct gws_hctx *hc, struct mapper *mp,
		       struct gw_plan *gw, const struct gws_kv *an)
{
	const struct gws_mapping_table *t;
	const struct gws_mapping_entry *e;

	if (!strcmp(an->key, last_applied)) {
		gws_hctx_finding(hc, GWS_IGNORED, "kubectl's record of the last "
				 "applied configuration");
		return;
	}
	if (!strcmp(an->key, "kubernetes.io/ingress.class")) {
		gws_hctx_finding(hc, GWS_CONVERTED, "class '%s' -> Gateway "
				 "'%s/%s'", an->value, mp->opts->gateway_ns,
				 gw->name);
		return;
	}
	t = gws_mappings_by_prefix(mp->maps, an->key);
	if (!t) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' is "
				 "not carried over to the generated objects",
				 an->key);
		return;
	}
	e = gws_mapping_lookup(t, an->key);
	if (!e) {
		gws_hctx_finding(hc, GWS_NOT_CONVERTED, "unknown %s annotation "
				 "'%s' (not in mappings/%s.yaml)", t->name,
				 an->key, t->name);
		return;
	}
	hc->table = t;
	hc->entry = e;
	gws_handler_find(e->handler)->fn(hc);
}

/* ingress-nginx reads few annotations of a canary Ingress */
static bool ignored_on_canary(struct mapper *mp, const struct gws_ingress *ing,
			      const struct gws_kv *an)
{
	static const char *const kept[] = {
		"canary", "affinity", "session-cookie", "load-balance",
		"upstream-hash-by",
	};
	const struct gws_mapping_table *t =
		gws_mappings_by_prefix(mp->maps, an->key);
	const struct gws_kv *c;
	char *key;
	size_t i;

	if (!t || strcmp(t->name, "ingress-nginx"))
		return false;
	key = gws_xasprintf("%scanary", t->prefix);
	c = gws_model_annotation(ing, key);
	free(key);
	if (!c || strcmp(c->value, "true"))
		return false;
	for (i = 0; i < GWS_ARRAY_SIZE(kept); i++)
		if (!strncmp(an->key + strlen(t->prefix), kept[i],
			     strlen(kept[i])))
			return false;
	return true;
}

static void map_annotation(struct mapper *mp, struct gw_plan *gw,
			   const struct gws_ingress *ing, const struct gws_kv *an)
{
	char *gwid = gws_xasprintf("%s/%s", mp->opts->gateway_ns, gw->name);
	struct gws_hctx hc = { mp->rep, mp->m, ing, NULL, NULL, an,
			       &mp->plans[ing - mp->m->ingresses],
			       gw->annotations, gws_val_child(gw->ns_annotations,
							      ing->ns), gwid,
			       mp->opts->gateway_ns, mp->opts->listenersets };

	if (ignored_on_canary(mp, ing, an)) {
		gws_hctx_finding(&hc, GWS_IGNORED, "annotation '%s' has no "
				 "effect on a canary Ingress: ingress-nginx "
				 "reads only its canary, affinity and load "
				 "balancing annotations", an->key);
		free(gwid);
		return;
	}
	annotation(&hc, mp, gw, an);
	free(gwid);
}

static void class_finding(struct mapper *mp, struct gw_plan *gw,
			  const struct gws_ingress *ing)
{
	if (ing->class_from == GWS_CLASS_FIELD)
		gws_report_add(mp->rep, GWS_CONVERTED, &ing->class_pos,
			       "Ingress", ing->ns, ing->name,
			       "spec.ingressClassName", "class '%s' -> Gateway "
			       "'%s/%s'", ing->class_name, mp->opts->gateway_ns,
			       gw->name);
}

static void other_findings(struct mapper *mp, const struct gws_ingress *ing)
{
	if (ing->nlabels)
		gws_report_add(mp->rep, GWS_CONVERTED, &ing->labels[0].pos,
			       "Ingress", ing->ns, ing->name, "metadata.labels",
			       "labels copied to the generated routes");
}

/* a TLS entry: HTTPS listeners for its hosts, one finding for the entry */
static void plan_tls(struct mapper *mp, struct gw_plan *gw,
		     const struct gws_ingress *ing, const struct gws_itls *t)
{
	char *why;

	if (!t->secret || !t->nhosts) {
		gws_report_add(mp->rep, GWS_NOT_CONVERTED, &t->pos, "Ingress",
			       ing->ns, ing->name, t->field, "TLS entry %s: no "
			       "HTTPS listener made for it", !t->secret ?
			       "has no secretName (the controller's default "
			       "certificate)" : "names no hosts");
		return;
	}
	why = gw_add_tls(gw, ing, t);
	if (why)
		gws_report_add(mp->rep, GWS_APPROXIMATED, &t->pos, "Ingress",
			       ing->ns, ing->name, t->field, "Secret '%s/%s' is "
			       "not used for every host: %s", ing->ns, t->secret,
			       why);
	else
		gws_report_add(mp->rep, GWS_CONVERTED, &t->pos, "Ingress",
			       ing->ns, ing->name, t->field, "HTTPS listener for "
			       "'%s'%s with certificate Secret '%s/%s'",
			       t->hosts[0], t->nhosts > 1 ? " and the other hosts" :
			       "", ing->ns, t->secret);
	free(why);
}

/* pass 1: sort Ingresses into Gateways by class */
static void classify(struct mapper *mp, const struct gws_ingress *ing)
{
	const char *cls = class_of(mp->m, ing);
	struct gw_plan *gw;
	char *id;

	if (!selected(mp->opts, cls)) {
		gws_report_add(mp->rep, GWS_IGNORED, &ing->pos, "Ingress",
			       ing->ns, ing->name, "spec.ingressClassName",
			       "class '%s' is not selected by --ingress-class: "
			       "Ingress skipped", *cls ? cls : "(none)");
		return;
	}
	gw = plan_for(mp, cls);
	id = gws_xasprintf("%s/%s", ing->ns, ing->name);
	strset_add(&gw->sources, id);
	strset_add(&gw->namespaces, ing->ns);
	free(id);
}

static struct gw_plan *plan_of(struct mapper *mp, const struct gws_ingress *ing)
{
	const char *cls = class_of(mp->m, ing);
	size_t i;

	for (i = 0; i < mp->ngws; i++)
		if (!strcmp(mp->gws[i].class_key, cls))
			return &mp->gws[i];
	return NULL;
}

/* pass 2: the annotations fill the Ingress's plan */
static void annotate(struct mapper *mp, const struct gws_ingress *ing)
{
	struct gw_plan *gw = plan_of(mp, ing);
	size_t i;

	if (!gw || !selected(mp->opts, gw->class_key))
		return;
	class_finding(mp, gw, ing);
	for (i = 0; i < ing->nannotations; i++)
		map_annotation(mp, gw, ing, &ing->annotations[i]);
	other_findings(mp, ing);
}

/* the TLS entries of a canary or passthrough Ingress make no listener */
static void tls_unused(struct mapper *mp, const struct gws_ingress *ing,
		       const char *why)
{
	size_t i;

	for (i = 0; i < ing->ntls; i++)
		gws_report_add(mp->rep, GWS_IGNORED, &ing->tls[i].pos,
			       "Ingress", ing->ns, ing->name, ing->tls[i].field,
			       "TLS entry not used: %s", why);
}

/* pass 3: hosts and certificates */
static void collect_tls(struct mapper *mp, const struct gws_ingress *ing)
{
	const struct gws_route_plan *plan = route_plan(mp, ing);
	struct gw_plan *gw = plan_of(mp, ing);
	size_t i;

	if (!gw || !selected(mp->opts, gw->class_key))
		return;
	if (plan->canary.on) {
		tls_unused(mp, ing, "a canary Ingress takes its hosts' "
			   "certificates from its primary");
		return;
	}
	for (i = 0; i < ing->nrules; i++) {
		if (!ing->rules[i].host)
			continue;
		gw_add_host(gw, ing->rules[i].host, ing->ns);
		if (plan->passthrough)
			gw_add_passthrough(gw, ing, ing->rules[i].host,
					   &ing->rules[i].pos);
	}
	if (plan->passthrough) {
		tls_unused(mp, ing, "with ssl-passthrough the backend "
			   "terminates TLS with its own certificate");
		return;
	}
	for (i = 0; i < ing->ntls; i++)
		plan_tls(mp, gw, ing, &ing->tls[i]);
}

static void convert_ingress(struct mapper *mp, const struct gws_ingress *ing)
{
	struct gw_plan *gw = plan_of(mp, ing);

	if (gw && selected(mp->opts, gw->class_key)) {
		map_ingress(mp, gw, ing);
		backend_tls_policies(mp, ing);
	}
}

/* struct grant - the Secrets of one namespace the Gateways must read */
struct grant {
	const char *ns;
	struct strset secrets;
	struct strset sources;
};

static void emit_grant(struct mapper *mp, struct grant *g)
{
	size_t i, k;

	strset_sort(&g->secrets);
	for (k = 0; k * 16 < g->secrets.n; k++) {
		char *base = gws_xasprintf("gwshift-from-%s", mp->opts->gateway_ns);
		char *name = numbered_name(base, k);
		struct gws_val *doc = new_object("ReferenceGrant", g->ns, name,
						 &g->sources);
		struct gws_val *spec = gws_val_child(doc, "spec"), *from, *to;

		from = gws_val_push(gws_val_list(spec, "from"), gws_val_map());
		gws_val_set_str(from, "group", "gateway.networking.k8s.io");
		gws_val_set_str(from, "kind", "Gateway");
		gws_val_set_str(from, "namespace", mp->opts->gateway_ns);
		for (i = k * 16; i < g->secrets.n && i < (k + 1) * 16; i++) {
			to = gws_val_push(gws_val_list(spec, "to"), gws_val_map());
			gws_val_set_str(to, "group", "");
			gws_val_set_str(to, "kind", "Secret");
			gws_val_set_str(to, "name", g->secrets.v[i]);
		}
		gws_output_add(mp->out, doc, GWS_ROLE_APP);
		free(name);
		free(base);
	}
}

/* ReferenceGrants: Gateways in the gateway namespace read app Secrets */
static void emit_grants(struct mapper *mp)
{
	struct grant *gs = NULL;
	struct strset index = { 0 };	/* namespace -> its grant in gs */
	size_t n = 0, cap = 0, i, j, k;

	for (i = 0; i < mp->ngws; i++) {
		struct gw_plan *gw = &mp->gws[i];

		for (j = 0; !gw->listenersets && j < gw->ntls; j++) {
			struct tls_host *th = &gw->tls[j];
			struct grant *g = NULL;

			if (th->passthrough || th->lset ||
			    !strcmp(th->secret_ns, mp->opts->gateway_ns))
				continue;
			if (strset_has(&index, th->secret_ns)) {
				g = &gs[strset_index(&index, th->secret_ns)];
			} else {
				strset_add(&index, th->secret_ns);
				gws_grow((void **)&gs, &cap, n + 1, sizeof(*gs));
				g = &gs[n++];
				memset(g, 0, sizeof(*g));
				g->ns = th->secret_ns;
			}
			strset_add(&g->secrets, th->secret);
			for (k = 0; k < th->sources.n; k++)
				strset_add(&g->sources, th->sources.v[k]);
		}
	}
	for (i = 0; i < n; i++) {
		emit_grant(mp, &gs[i]);
		strset_release(&gs[i].secrets);
		strset_release(&gs[i].sources);
	}
	free(gs);
	strset_release(&index);
}

static void emit_namespace(struct mapper *mp)
{
	struct strset src = { 0 };
	struct gws_val *doc;
	size_t i, j;

	for (i = 0; i < mp->ngws; i++)
		for (j = 0; j < mp->gws[i].sources.n; j++)
			strset_add(&src, mp->gws[i].sources.v[j]);
	doc = new_object("Namespace", NULL, mp->opts->gateway_ns, &src);
	gws_val_set_str(doc, "apiVersion", "v1");
	gws_output_add(mp->out, doc, GWS_ROLE_PLATFORM);
	strset_release(&src);
}

/* two generated objects with one kind, namespace and name: an error */
static int check_unique(struct gws_output *out)
{
	size_t i;
	int rc = 0;

	gws_output_sort(out);
	for (i = 1; i < out->n; i++) {
		const struct gws_object *a = &out->objs[i - 1], *b = &out->objs[i];

		if (a->role == b->role && gws_streq(a->ns, b->ns) &&
		    !strcmp(a->kind, b->kind) && !strcmp(a->name, b->name)) {
			gws_diag_plain("error", "two generated objects are named "
				       "%s '%s/%s': rename an Ingress", a->kind,
				       a->ns ? a->ns : "", a->name);
			rc = -1;
		}
	}
	return rc;
}

static void gw_finding(struct mapper *mp, struct gw_plan *gw,
		       const char *msg)
{
	gws_report_add(mp->rep, GWS_APPROXIMATED, NULL, "Gateway",
		       mp->opts->gateway_ns, gw->name, "spec", "ingress-nginx "
		       "default that Gateway API does not share: %s", msg);
}

/* what ingress-nginx does with no annotation at all, once per Gateway */
static void nginx_defaults(struct mapper *mp, struct gw_plan *gw)
{
	size_t i;
	bool wild = false, tls = false, regex = false;

	if (!gw->table || strcmp(gw->table->name, "ingress-nginx"))
		return;
	for (i = 0; i < gw->nhosts; i++)
		wild |= !strncmp(gw->hosts[i].key, "*.", 2);
	for (i = 0; i < gw->ntls; i++)
		tls |= !gw->tls[i].passthrough;
	for (i = 0; i < mp->regex_hosts.n; i++)
		regex |= !strncmp(mp->regex_hosts.v[i], gw->class_key,
				  strlen(gw->class_key)) &&
			 mp->regex_hosts.v[i][strlen(gw->class_key)] == ' ';
	gw_finding(mp, gw, "request bodies over 1m are refused (413) by "
		   "default (proxy-body-size); Gateway API sets no limit");
	gw_finding(mp, gw, mp->opts->experimental ?
		   "failed requests are retried on error and timeout, 3 tries "
		   "in all (proxy-next-upstream); only routes whose Ingress set "
		   "proxy-next-upstream get a retry here" :
		   "failed requests are retried on error and timeout, 3 tries "
		   "in all (proxy-next-upstream); routes here retry only with "
		   "a retry (--channel experimental)");
	if (tls) {
		gw_finding(mp, gw, "TLS hosts get 'Strict-Transport-Security: "
			   "max-age=31536000' (hsts); add it with the "
			   "implementation's policy or a ResponseHeaderModifier");
		gw_finding(mp, gw, "the redirect to https drops a trailing '/' "
			   "unless preserve-trailing-slash is set; Gateway API "
			   "redirects keep the path as it is");
	}
	if (regex)
		gw_finding(mp, gw, "regex paths are case-insensitive and tried "
			   "longest first; Gateway implementations order "
			   "RegularExpression matches their own way");
	if (wild)
		gw_finding(mp, gw, "a wildcard host matches exactly one label in "
			   "ingress-nginx ('*.example.com' covers 'a.example.com', "
			   "not 'a.b.example.com'); in Gateway API it matches one "
			   "or more");
}

int gws_map_run(const struct gws_model *m, const struct gws_mapping_set *maps,
		const struct gws_map_opts *opts, struct gws_report *rep,
		struct gws_output *out)
{
	struct mapper mp;
	size_t i;
	int rc;

	memset(&mp, 0, sizeof(mp));
	mp.m = m;
	mp.maps = maps;
	mp.opts = opts;
	mp.rep = rep;
	mp.out = out;
	mp.plans = gws_xcalloc(m->ningresses + 1, sizeof(*mp.plans));
	mp.order = gws_model_age_order(m);	/* "first Ingress wins" */
	for (i = 0; i < m->ningresses; i++) {
		char *id = gws_xasprintf("%s/%s", m->ingresses[i].ns,
					 m->ingresses[i].name);

		gws_plan_init(&mp.plans[i], &m->ingresses[i], opts->experimental);
		strset_add(&mp.ingress_names, id);
		free(id);
		classify(&mp, mp.order[i]);
	}
	name_plans(&mp);
	for (i = 0; i < m->ningresses; i++)
		annotate(&mp, mp.order[i]);
	for (i = 0; i < m->ningresses; i++)
		collect_tls(&mp, mp.order[i]);
	for (i = 0; i < mp.ngws; i++)
		gw_finish(&mp, &mp.gws[i]);
	canary_index(&mp);
	for (i = 0; i < m->ningresses; i++)
		convert_ingress(&mp, mp.order[i]);
	canary_findings(&mp);
	for (i = 0; i < mp.ngws; i++) {
		gw_emit(&mp, &mp.gws[i]);
		nginx_defaults(&mp, &mp.gws[i]);
	}
	emit_grants(&mp);
	if (mp.ngws)
		emit_namespace(&mp);
	rc = check_unique(out);
	rep->objects_out = out->n;
	for (i = 0; i < mp.ngws; i++)
		gw_release(&mp.gws[i]);
	free(mp.gws);
	for (i = 0; i < m->ningresses; i++)
		gws_plan_release(&mp.plans[i]);
	free(mp.plans);
	canary_release(&mp);
	free(mp.order);
	strset_release(&mp.ingress_names);
	strset_release(&mp.route_names);
	strset_release(&mp.fallbacks);
	strset_release(&mp.regex_hosts);
	strset_release(&mp.tls_policies);
	return rc;
}
