/* ingress.c - read an Ingress (v1, v1beta1) with a finding for every field */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

#define CLASS_ANNOTATION "kubernetes.io/ingress.class"

static const char *const ignored_metadata[] = {
	"creationTimestamp", "deletionGracePeriodSeconds",
	"deletionTimestamp", "generation", "managedFields",
	"resourceVersion", "selfLink", "uid",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/* Ingress hosts: a DNS-1123 subdomain, optionally with a leading "*.",
 * 253 bytes in all, and not an IP address (Kubernetes refuses those) */
static bool valid_host(const char *h)
{
	size_t dots = 0;
	const char *p;

	if (strlen(h) > 253)
		return false;
	if (!strncmp(h, "*.", 2))
		h += 2;
	for (p = h; *p; p++)
		dots += *p == '.';
	if (dots == 3 && strspn(h, "0123456789.") == strlen(h))
		return false;	/* an IPv4 address */
	return gws_dns1123_subdomain(h);
}

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct gws_kv *)a)->key,
		      ((const struct gws_kv *)b)->key);
}

void read_kv(struct rd *rd, struct fy_node *map, const char *field,
		    struct gws_kv **out, size_t *n)
{
	char q[GWS_CUT_SIZE(GWS_QUOTE_MAX)];
	struct fy_node_pair *pair;
	void *iter = NULL;
	size_t cap = 0;

	if (!want_kind(rd, map, true, field))
		return;
	while ((pair = fy_node_mapping_iterate(deref(map), &iter)) != NULL) {
		char *value, *vfield = gws_xasprintf("%s['%s']", field,
						     pair_key(pair));

		value = dup_str(rd, fy_node_pair_value(pair), vfield);
		free(vfield);
		if (!value)
			continue;
		if (strlen(pair_key(pair)) > 316) {	/* prefix 253 + / + 63 */
			rd_error(rd, fy_node_pair_key(pair), "key '%s' of '%s' "
				 "is longer than a Kubernetes key can be",
				 gws_cut(q, GWS_QUOTE_MAX, pair_key(pair)),
				 field);
			free(value);
			continue;
		}
		gws_grow((void **)out, &cap, *n + 1, sizeof(**out));
		(*out)[*n].key = gws_xstrdup(pair_key(pair));
		(*out)[*n].value = value;
		(*out)[*n].pos = node_pos(rd->src, fy_node_pair_key(pair));
		(*n)++;
	}
}

/* canaries that Argo Rollouts or Flagger own must move with their owner */
static void owner_finding(struct rd *rd, struct fy_node_pair *pair,
			  const char *field)
{
	struct fy_node *first = fy_node_sequence_get_by_index(
		deref(fy_node_pair_value(pair)), 0);
	const char *kind = fy_node_get_scalar0(get(first, "kind"));
	const char *av = fy_node_get_scalar0(get(first, "apiVersion"));
	bool argo = kind && av && !strcmp(kind, "Rollout") &&
		    strstr(av, "argoproj.io");
	bool flagger = kind && av && !strcmp(kind, "Canary") &&
		       strstr(av, "flagger.app");
	const char *name = fy_node_get_scalar0(get(first, "name"));
	char q[GWS_CUT_SIZE(GWS_QUOTE_MAX)];

	if (argo || flagger)
		finding(rd, GWS_NOT_CONVERTED, fy_node_pair_key(pair), field,
			"this Ingress is managed by %s (%s '%s'): after the "
			"migration it will keep rewriting Ingresses; switch it "
			"to its Gateway API traffic router (%s) so it sets the "
			"HTTPRoute weights instead", argo ? "Argo Rollouts" :
			"Flagger", kind,
			name ? gws_cut(q, GWS_QUOTE_MAX, name) : "?", argo ?
			"the gatewayAPI trafficRouting plugin" :
			"provider: gatewayapi");
	else
		finding(rd, GWS_IGNORED, fy_node_pair_key(pair), field,
			"'%s' is not carried over: the generated objects are "
			"not owned by the Ingress's owner", field);
}

/* a class, from the field or the annotation: an IngressClass name */
static int want_class(struct rd *rd, struct fy_node *fyn, const char *s)
{
	return want_name(rd, fyn, s, DNS1123_SUBDOMAIN, "class",
			 "IngressClass name");
}

static void read_metadata(struct rd *rd, struct fy_node *md,
			  struct gws_ingress *ing)
{
	const struct gws_kv *kv;
	struct fy_node_pair *pair;
	void *iter = NULL;

	while ((pair = fy_node_mapping_iterate(md, &iter)) != NULL) {
		const char *k = pair_key(pair);
		struct fy_node *v = fy_node_pair_value(pair);
		char *field = gws_xasprintf("metadata.%s", k);

		if (!strcmp(k, "creationTimestamp") && !ing->created)
			ing->created = dup_str(rd, v, field);	/* the order */
		if (!strcmp(k, "name") || !strcmp(k, "namespace"))
			;	/* read with every object */
		else if (!strcmp(k, "annotations"))
			read_kv(rd, v, field, &ing->annotations,
				&ing->nannotations);
		else if (!strcmp(k, "labels"))
			read_kv(rd, v, field, &ing->labels, &ing->nlabels);
		else if (in_list(k, ignored_metadata,
				 GWS_ARRAY_SIZE(ignored_metadata)))
			finding(rd, GWS_IGNORED, fy_node_pair_key(pair), field,
				"'%s' is set by the API server", field);
		else if (!strcmp(k, "ownerReferences"))
			owner_finding(rd, pair, field);
		else if (!strcmp(k, "finalizers") || !strcmp(k, "generateName"))
			finding(rd, GWS_IGNORED, fy_node_pair_key(pair), field,
				"'%s' is not carried over", field);
		else
			unknown_key(rd, pair, "metadata");
		if (!strcmp(k, "ownerReferences")) {
			struct fy_node *first = fy_node_sequence_get_by_index(
				deref(v), 0);

			ing->has_owner = true;
			if (get(first, "kind"))
				ing->owner_kind = dup_str(rd, get(first, "kind"),
					"metadata.ownerReferences[0].kind");
		}
		free(field);
	}
	if (ing->nannotations)
		qsort(ing->annotations, ing->nannotations,
		      sizeof(*ing->annotations), cmp_kv);
	kv = gws_model_annotation(ing, CLASS_ANNOTATION);
	if (kv)		/* a class name too, whether it is used or not */
		(void)want_class(rd, get(get(md, "annotations"),
					 CLASS_ANNOTATION), kv->value);
}

/* a Service port number: 1 to 65535 */
static int want_port(struct rd *rd, struct fy_node *fyn, const char *field,
		     long *out)
{
	if (want_int(rd, fyn, field, out) < 0)
		return -1;
	if (*out < 1 || *out > 65535) {
		rd_error(rd, fyn, "'%s' must be a port from 1 to 65535, not "
			 "%ld", field, *out);
		*out = 0;
		return -1;
	}
	return 0;
}

/* a backend's Service name: Kubernetes names Services with DNS-1035 labels */
static int want_service(struct rd *rd, struct fy_node *fyn, const char *s)
{
	return want_name(rd, fyn, s, DNS1035_LABEL, "Service", "Service name");
}

/*
 * a resource backend's apiGroup ("" is the core group), kind and name, read
 * (NULL after an error) and checked as Kubernetes names them: they become
 * the backendRef's group, kind and name. Returns: 0, or -1 after an error.
 */
static int want_resource(struct rd *rd, struct fy_node *res,
			 const struct gws_backend *be)
{
	int rc = be->res_group && be->res_kind && be->res_name ? 0 : -1;

	if (be->res_group && *be->res_group &&
	    want_name(rd, get(res, "apiGroup"), be->res_group,
		      DNS1123_SUBDOMAIN, "resource apiGroup", "API group") < 0)
		rc = -1;
	if (be->res_kind && want_name(rd, get(res, "kind"), be->res_kind,
				      KIND_NAME, "resource kind", "kind") < 0)
		rc = -1;
	if (be->res_name && want_name(rd, get(res, "name"), be->res_name,
				      DNS1123_SUBDOMAIN, "resource name",
				      "name") < 0)
		rc = -1;
	return rc;
}

/* v1 backend {service {name, port {number|name}}, resource {...}} */
/*
 * string @key of mapping @map (@field: its field), or an error at @map
 * when it is missing (a missing key has no place of its own)
 */
static char *need_str(struct rd *rd, struct fy_node *map, const char *key,
		      const char *field)
{
	struct fy_node *v = get(map, key);

	if (!v) {
		rd_error(rd, map, "'%s' is missing", field);
		return NULL;
	}
	return dup_str(rd, v, field);
}

static int read_backend_v1(struct rd *rd, struct fy_node *be,
			   const char *field, struct gws_backend *out)
{
	struct fy_node *svc = get(be, "service"), *res = get(be, "resource");
	struct fy_node *port = get(svc, "port");
	char *f = NULL;
	bool bad;
	int rc = 0;

	if (svc && res) {
		rd_error(rd, res, "'%s' sets both service and resource", field);
		return -1;
	}
	if (res) {
		f = gws_xasprintf("%s.resource.apiGroup", field);
		out->res_group = get(res, "apiGroup") ?
			dup_str(rd, get(res, "apiGroup"), f) : gws_xstrdup("");
		free(f);
		f = gws_xasprintf("%s.resource.kind", field);
		out->res_kind = need_str(rd, res, "kind", f);
		free(f);
		f = gws_xasprintf("%s.resource.name", field);
		out->res_name = need_str(rd, res, "name", f);
		rc = want_resource(rd, res, out);
	} else if (svc) {
		f = gws_xasprintf("%s.service.name", field);
		out->service = need_str(rd, svc, "name", f);
		free(f);
		bad = out->service && want_service(rd, get(svc, "name"),
						   out->service) < 0;
		f = gws_xasprintf("%s.service.port", field);
		if (get(port, "name"))
			out->port_name = dup_str(rd, get(port, "name"), f);
		else if (get(port, "number"))
			rc = want_port(rd, get(port, "number"), f,
				       &out->port_number);
		else
			rd_error(rd, be, "'%s' has no port", f);
		rc = rc || bad || !out->service ||
		     (!out->port_name && !out->port_number) ? -1 : 0;
	} else {
		rd_error(rd, be, "'%s' names neither a service nor a resource",
			 field);
		rc = -1;
	}
	free(f);
	return rc;
}

/* v1beta1 backend {serviceName, servicePort (number or name)} */
static int read_backend_beta(struct rd *rd, struct fy_node *be,
			     const char *field, struct gws_backend *out)
{
	struct fy_node *port = get(be, "servicePort");
	char *f = gws_xasprintf("%s.serviceName", field);
	bool bad;
	int rc = 0;

	out->service = need_str(rd, be, "serviceName", f);
	free(f);
	bad = out->service && want_service(rd, get(be, "serviceName"),
					   out->service) < 0;
	f = gws_xasprintf("%s.servicePort", field);
	if (port && fy_node_is_scalar(port) &&
	    fy_node_get_style(port) == FYNS_PLAIN &&
	    strspn(fy_node_get_scalar0(port), "0123456789") ==
	    strlen(fy_node_get_scalar0(port)))
		rc = want_port(rd, port, f, &out->port_number);
	else
		out->port_name = dup_str(rd, port, f);
	free(f);
	return rc || bad || !out->service ||
	       (!out->port_name && !out->port_number) ? -1 : 0;
}

static int read_backend(struct rd *rd, struct fy_node *be, const char *field,
			struct gws_backend *out)
{
	memset(out, 0, sizeof(*out));
	if (!want_kind(rd, be, true, field))
		return -1;
	out->pos = node_pos(rd->src, be);
	out->field = gws_xstrdup(field);
	if (get(be, "serviceName") || get(be, "servicePort"))
		return read_backend_beta(rd, be, field, out);
	return read_backend_v1(rd, be, field, out);
}

static int read_path(struct rd *rd, struct fy_node *p, const char *field,
		     struct gws_ipath *out)
{
	struct fy_node *type = get(p, "pathType"), *path = get(p, "path");
	char q[GWS_CUT_SIZE(GWS_QUOTE_MAX)];
	const char *t = NULL;
	char *f = gws_xasprintf("%s.backend", field);
	int rc;

	memset(out, 0, sizeof(*out));
	out->pos = node_pos(rd->src, p);
	out->field = gws_xstrdup(field);
	out->path = path ? dup_str(rd, path, field) : gws_xstrdup("/");
	out->type_missing = !type;
	if (type && (t = want_str(rd, type, field)) != NULL) {
		if (!strcmp(t, "Exact"))
			out->type = GWS_PATH_EXACT;
		else if (!strcmp(t, "Prefix"))
			out->type = GWS_PATH_PREFIX;
		else if (!strcmp(t, "ImplementationSpecific"))
			out->type = GWS_PATH_IMPL;
		else
			rd_error(rd, type, "unknown pathType '%s'",
				 gws_cut(q, GWS_QUOTE_MAX, t));
	} else if (!type) {
		out->type = GWS_PATH_IMPL;
	}
	if (get(p, "backend")) {
		rc = read_backend(rd, get(p, "backend"), f, &out->backend);
	} else {	/* (a missing key has no place: the path's) */
		memset(&out->backend, 0, sizeof(out->backend));
		rd_error(rd, p, "'%s' is missing", f);
		rc = -1;
	}
	free(f);
	if (out->path && out->path[0] != '/') {
		rd_error(rd, path, "path '%s' must start with '/'",
			 gws_cut(q, GWS_QUOTE_MAX, out->path));
		rc = -1;
	}
	return out->path && rc == 0 ? 0 : -1;
}

static void read_rule(struct rd *rd, struct fy_node *r, size_t idx,
		      struct gws_irule *out)
{
	struct fy_node *paths = get(get(r, "http"), "paths"), *p;
	char *field = gws_xasprintf("spec.rules[%zu]", idx);
	char q[GWS_CUT_SIZE(GWS_QUOTE_MAX)];
	void *iter = NULL;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	out->pos = node_pos(rd->src, r);
	out->field = field;
	if (!want_kind(rd, r, true, field))
		return;
	if (get(r, "host")) {
		out->host = dup_str(rd, get(r, "host"), "host");
		if (out->host && !*out->host) {	/* "" is no host, as in k8s */
			free(out->host);
			out->host = NULL;
		} else if (out->host && !valid_host(out->host)) {
			rd_error(rd, get(r, "host"),
				 "host '%s' is not a valid DNS name",
				 gws_cut(q, GWS_QUOTE_MAX, out->host));
		}
	}
	if (paths && !want_kind(rd, paths, false, "http.paths"))
		return;
	while (paths && (p = fy_node_sequence_iterate(paths, &iter)) != NULL) {
		char *pf = gws_xasprintf("%s.http.paths[%zu]", field, out->npaths);

		gws_grow((void **)&out->paths, &cap, out->npaths + 1,
			 sizeof(*out->paths));
		if (want_kind(rd, p, true, pf))
			read_path(rd, deref(p), pf, &out->paths[out->npaths]);
		else
			memset(&out->paths[out->npaths], 0,
			       sizeof(*out->paths));
		out->npaths++;
		free(pf);
	}
}

static void read_tls(struct rd *rd, struct fy_node *t, size_t idx,
		     struct gws_itls *out)
{
	struct fy_node *hosts = get(t, "hosts"), *h;
	char q[GWS_CUT_SIZE(GWS_QUOTE_MAX)];
	void *iter = NULL;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	out->field = gws_xasprintf("spec.tls[%zu]", idx);
	out->pos = node_pos(rd->src, t);
	if (!want_kind(rd, t, true, out->field))
		return;
	if (get(t, "secretName")) {
		out->secret = dup_str(rd, get(t, "secretName"), "secretName");
		if (out->secret)
			(void)want_name(rd, get(t, "secretName"), out->secret,
					DNS1123_SUBDOMAIN, "Secret",
					"Secret name");
	}
	if (hosts && !want_kind(rd, hosts, false, "hosts"))
		return;
	while (hosts && (h = fy_node_sequence_iterate(hosts, &iter)) != NULL) {
		char *s = dup_str(rd, h, "tls.hosts");

		if (!s)
			continue;
		if (!valid_host(s)) {
			rd_error(rd, h, "host '%s' is not a valid DNS name",
				 gws_cut(q, GWS_QUOTE_MAX, s));
			free(s);
			continue;
		}
		gws_grow((void **)&out->hosts, &cap, out->nhosts + 1,
			 sizeof(*out->hosts));
		out->hosts[out->nhosts++] = s;
	}
}

static void read_list(struct rd *rd, struct fy_node *seq, const char *field,
		      struct gws_ingress *ing, bool rules)
{
	struct fy_node *item;
	void *iter = NULL;
	size_t cap = 0;

	if (!want_kind(rd, seq, false, field))
		return;
	while ((item = fy_node_sequence_iterate(deref(seq), &iter)) != NULL) {
		if (rules) {
			gws_grow((void **)&ing->rules, &cap, ing->nrules + 1,
				 sizeof(*ing->rules));
			read_rule(rd, deref(item), ing->nrules,
				  &ing->rules[ing->nrules]);
			ing->nrules++;
		} else {
			gws_grow((void **)&ing->tls, &cap, ing->ntls + 1,
				 sizeof(*ing->tls));
			read_tls(rd, deref(item), ing->ntls, &ing->tls[ing->ntls]);
			ing->ntls++;
		}
	}
}

static void read_spec(struct rd *rd, struct fy_node *spec,
		      struct gws_ingress *ing)
{
	struct fy_node_pair *pair;
	void *iter = NULL;

	while ((pair = fy_node_mapping_iterate(spec, &iter)) != NULL) {
		const char *k = pair_key(pair);
		struct fy_node *v = deref(fy_node_pair_value(pair));

		if (!strcmp(k, "ingressClassName")) {
			ing->class_name = dup_str(rd, v, "spec.ingressClassName");
			if (ing->class_name)
				(void)want_class(rd, v, ing->class_name);
			ing->class_from = GWS_CLASS_FIELD;
			ing->class_pos = node_pos(rd->src, v);
		} else if ((!strcmp(k, "defaultBackend") ||
			    !strcmp(k, "backend")) && ing->default_backend) {
			rd_error(rd, fy_node_pair_key(pair), "spec has both "
				 "'backend' (v1beta1) and 'defaultBackend'");
		} else if (!strcmp(k, "defaultBackend") || !strcmp(k, "backend")) {
			ing->default_backend = gws_xcalloc(1, sizeof(struct gws_backend));
			read_backend(rd, v, !strcmp(k, "backend") ?
				     "spec.backend" : "spec.defaultBackend",
				     ing->default_backend);
		} else if (!strcmp(k, "rules")) {
			read_list(rd, v, "spec.rules", ing, true);
		} else if (!strcmp(k, "tls")) {
			read_list(rd, v, "spec.tls", ing, false);
		} else {
			unknown_key(rd, pair, "spec");
		}
	}
}

/* the class from the legacy annotation, when spec.ingressClassName is unset */
static void class_from_annotation(struct gws_ingress *ing)
{
	const struct gws_kv *kv;

	if (ing->class_name)
		return;
	kv = gws_model_annotation(ing, CLASS_ANNOTATION);
	if (!kv)
		return;
	ing->class_name = gws_xstrdup(kv->value);
	ing->class_from = GWS_CLASS_ANNOTATION;
	ing->class_pos = kv->pos;
}

int read_ingress(struct rd *rd, struct fy_node *root, const char *api_version,
		 struct gws_ingress *ing)
{
	struct fy_node_pair *pair;
	void *iter = NULL;
	int before = rd->errors;

	ing->api_version = gws_xstrdup(api_version);
	while ((pair = fy_node_mapping_iterate(root, &iter)) != NULL) {
		const char *k = pair_key(pair);
		struct fy_node *v = deref(fy_node_pair_value(pair));

		if (!strcmp(k, "apiVersion") &&
		    strcmp(api_version, "networking.k8s.io/v1") != 0)
			finding(rd, GWS_CONVERTED, fy_node_pair_value(pair),
				"apiVersion", "%s Ingress read as "
				"networking.k8s.io/v1 (serviceName and "
				"servicePort become service.name and "
				"service.port)", api_version);
		if (!strcmp(k, "apiVersion") || !strcmp(k, "kind"))
			continue;
		if (!strcmp(k, "metadata"))
			read_metadata(rd, v, ing);
		else if (!strcmp(k, "spec") && want_kind(rd, v, true, "spec"))
			read_spec(rd, v, ing);
		else if (!strcmp(k, "status"))
			finding(rd, GWS_IGNORED, fy_node_pair_key(pair), "status",
				"'status' is set by the controller");
		else if (strcmp(k, "spec") != 0)
			unknown_key(rd, pair, "");
	}
	class_from_annotation(ing);
	return rd->errors == before ? 0 : -1;
}

static void backend_release(struct gws_backend *be)
{
	if (!be)
		return;
	free(be->service);
	free(be->port_name);
	free(be->res_group);
	free(be->res_kind);
	free(be->res_name);
	free(be->field);
}

void kv_release(struct gws_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

void ingress_release(struct gws_ingress *ing)
{
	size_t i, j;

	free(ing->ns);
	free(ing->name);
	free(ing->api_version);
	free(ing->class_name);
	free(ing->owner_kind);
	free(ing->created);
	kv_release(ing->annotations, ing->nannotations);
	kv_release(ing->labels, ing->nlabels);
	for (i = 0; i < ing->nrules; i++) {
		for (j = 0; j < ing->rules[i].npaths; j++) {
			free(ing->rules[i].paths[j].path);
			free(ing->rules[i].paths[j].field);
			backend_release(&ing->rules[i].paths[j].backend);
		}
		free(ing->rules[i].paths);
		free(ing->rules[i].host);
		free(ing->rules[i].field);
	}
	free(ing->rules);
	for (i = 0; i < ing->ntls; i++) {
		for (j = 0; j < ing->tls[i].nhosts; j++)
			free(ing->tls[i].hosts[j]);
		free(ing->tls[i].hosts);
		free(ing->tls[i].secret);
		free(ing->tls[i].field);
	}
	free(ing->tls);
	backend_release(ing->default_backend);
	free(ing->default_backend);
}
