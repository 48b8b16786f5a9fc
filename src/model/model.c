/* model.c - the model of a run: objects by kind, sorted lookups */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

void gws_model_init(struct gws_model *m, struct gws_report *rep)
{
	memset(m, 0, sizeof(*m));
	m->rep = rep;
}

void gws_model_release(struct gws_model *m)
{
	size_t i, j;

	if (!m)
		return;
	for (i = 0; i < m->ningresses; i++)
		ingress_release(&m->ingresses[i]);
	free(m->ingresses);
	for (i = 0; i < m->nservices; i++) {
		for (j = 0; j < m->services[i].nports; j++)
			free(m->services[i].ports[j].name);
		free(m->services[i].ports);
		free(m->services[i].ns);
		free(m->services[i].name);
		free(m->services[i].type);
	}
	free(m->services);
	for (i = 0; i < m->nclasses; i++) {
		free(m->classes[i].name);
		free(m->classes[i].controller);
	}
	free(m->classes);
	for (i = 0; i < m->nconfigmaps; i++) {
		free(m->configmaps[i].ns);
		free(m->configmaps[i].name);
		kv_release(m->configmaps[i].data, m->configmaps[i].ndata);
	}
	free(m->configmaps);
	memset(m, 0, sizeof(*m));
}

static void read_service(struct rd *rd, struct fy_node *root,
			 struct gws_service *svc)
{
	struct fy_node *ports = get(get(root, "spec"), "ports"), *p;
	void *iter = NULL;
	size_t cap = 0;

	if (get(get(root, "spec"), "type"))
		svc->type = dup_str(rd, get(get(root, "spec"), "type"),
				    "spec.type");
	if (ports && !want_kind(rd, ports, false, "spec.ports"))
		return;
	while (ports && (p = fy_node_sequence_iterate(ports, &iter)) != NULL) {
		struct gws_sport sp = { NULL, 0 };

		if (want_int(rd, get(p, "port"), "spec.ports[].port",
			     &sp.port) < 0)
			continue;
		if (get(p, "name"))
			sp.name = dup_str(rd, get(p, "name"), "spec.ports[].name");
		gws_grow((void **)&svc->ports, &cap, svc->nports + 1,
			 sizeof(*svc->ports));
		svc->ports[svc->nports++] = sp;
	}
}

static void read_class(struct rd *rd, struct fy_node *root,
		       struct gws_ingress_class *cls)
{
	struct fy_node *ctl = get(get(root, "spec"), "controller");
	struct fy_node *def = get(get(get(root, "metadata"), "annotations"),
		"ingressclass.kubernetes.io/is-default-class");
	const char *s;

	if (ctl)
		cls->controller = dup_str(rd, ctl, "spec.controller");
	s = def ? want_str(rd, def, "is-default-class") : NULL;
	cls->is_default = s && !strcmp(s, "true");
}

/*
 * metadata.name and .namespace: required, and safe to use as paths; a
 * Service's name is a DNS-1035 label, as Kubernetes checks it
 */
static int read_names(struct rd *rd, struct fy_node *root, bool namespaced,
		      char **ns, char **name)
{
	struct fy_node *md = get(root, "metadata");
	struct fy_node *n = get(md, "name"), *s = get(md, "namespace");

	if (!md || !want_kind(rd, md, true, "metadata"))
		return rd_error(rd, md ? md : root, "%s has no metadata",
				rd->kind), -1;
	if (!n)
		return rd_error(rd, md, "%s has no metadata.name", rd->kind), -1;
	*name = dup_str(rd, n, "metadata.name");
	if (!*name)
		return -1;
	if (want_name(rd, n, *name, strcmp(rd->kind, "Service") ?
		      DNS1123_SUBDOMAIN : DNS1035_LABEL, "name", "name") < 0)
		return -1;
	if (!namespaced)
		return 0;
	*ns = s ? dup_str(rd, s, "metadata.namespace") : gws_xstrdup("default");
	if (!*ns)
		return -1;
	return want_name(rd, s, *ns, DNS1123_LABEL, "namespace", "namespace");
}

static int add_configmap(struct rd *rd, struct fy_node *root)
{
	struct gws_model *m = rd->m;
	struct gws_configmap cm;
	struct fy_node *data = get(root, "data");

	memset(&cm, 0, sizeof(cm));
	cm.pos = node_pos(rd->src, root);
	if (read_names(rd, root, true, &cm.ns, &cm.name) == 0 && data)
		read_kv(rd, data, "data", &cm.data, &cm.ndata);
	gws_grow((void **)&m->configmaps, &m->cap_configmaps,
		 m->nconfigmaps + 1, sizeof(*m->configmaps));
	m->configmaps[m->nconfigmaps++] = cm;
	return rd->errors ? -1 : 0;
}

static bool is_ingress_api(const char *av)
{
	return !strcmp(av, "networking.k8s.io/v1") ||
	       !strcmp(av, "networking.k8s.io/v1beta1") ||
	       !strcmp(av, "extensions/v1beta1");
}

static int add_ingress(struct rd *rd, struct fy_node *root, const char *av)
{
	struct gws_model *m = rd->m;
	struct gws_ingress ing;
	int rc;

	memset(&ing, 0, sizeof(ing));
	ing.pos = node_pos(rd->src, root);
	if (read_names(rd, root, true, &ing.ns, &ing.name) < 0) {
		ingress_release(&ing);
		return -1;
	}
	rd->ns = ing.ns;
	rd->name = ing.name;
	rc = read_ingress(rd, root, av, &ing);
	if (rc < 0) {
		ingress_release(&ing);
		return -1;
	}
	gws_grow((void **)&m->ingresses, &m->cap_ingresses, m->ningresses + 1,
		 sizeof(*m->ingresses));
	m->ingresses[m->ningresses++] = ing;
	return 0;
}

static int add_other(struct rd *rd, struct fy_node *root, bool service)
{
	struct gws_model *m = rd->m;
	struct gws_service svc;
	struct gws_ingress_class cls;

	memset(&svc, 0, sizeof(svc));
	memset(&cls, 0, sizeof(cls));
	if (service) {
		svc.pos = node_pos(rd->src, root);
		if (read_names(rd, root, true, &svc.ns, &svc.name) == 0)
			read_service(rd, root, &svc);
		gws_grow((void **)&m->services, &m->cap_services,
			 m->nservices + 1, sizeof(*m->services));
		m->services[m->nservices++] = svc;
	} else {
		cls.pos = node_pos(rd->src, root);
		if (read_names(rd, root, false, NULL, &cls.name) == 0)
			read_class(rd, root, &cls);
		gws_grow((void **)&m->classes, &m->cap_classes,
			 m->nclasses + 1, sizeof(*m->classes));
		m->classes[m->nclasses++] = cls;
	}
	return rd->errors ? -1 : 0;
}

int gws_model_add(struct gws_model *m, const struct gws_src *src,
		  struct fy_node *root)
{
	struct rd rd = { m, src, "object", NULL, NULL, 0 };
	const char *av, *kind;
	int rc = 0;

	root = deref(root);
	if (!root || !fy_node_is_mapping(root)) {
		rd_error(&rd, root, "a Kubernetes object must be a mapping");
		m->errors++;
		return -1;
	}
	if (!get(root, "kind") || !get(root, "apiVersion")) {
		rd_error(&rd, root, "object has no '%s'",
			 get(root, "kind") ? "apiVersion" : "kind");
		m->errors++;
		return -1;
	}
	kind = want_str(&rd, get(root, "kind"), "kind");
	av = want_str(&rd, get(root, "apiVersion"), "apiVersion");
	m->rep->objects_in++;
	if (!kind || !av)
		rc = -1;
	else if (!strcmp(kind, "Ingress") && is_ingress_api(av))
		rc = add_ingress(&(struct rd){ m, src, "Ingress", 0, 0, 0 },
				 root, av);
	else if (!strcmp(kind, "Service") && !strcmp(av, "v1"))
		rc = add_other(&(struct rd){ m, src, "Service", 0, 0, 0 },
			       root, true);
	else if (!strcmp(kind, "ConfigMap") && !strcmp(av, "v1"))
		rc = add_configmap(&(struct rd){ m, src, "ConfigMap", 0, 0, 0 },
				   root);
	else if (!strcmp(kind, "IngressClass") &&
		 (!strcmp(av, "networking.k8s.io/v1") ||
		  !strcmp(av, "networking.k8s.io/v1beta1")))
		rc = add_other(&(struct rd){ m, src, "IngressClass", 0, 0, 0 },
			       root, false);
	else
		gws_report_count_kind(m->rep, kind);
	if (rc < 0)
		m->errors++;
	return rc;
}

/* append the @n items of @size bytes at *@from to *@to (@n, @cap) */
static void take(void **to, size_t *n, size_t *cap, void **from,
		 size_t *nfrom, size_t size)
{
	if (!*nfrom)
		return;
	gws_grow(to, cap, *n + *nfrom, size);
	memcpy((char *)*to + *n * size, *from, *nfrom * size);
	*n += *nfrom;
	*nfrom = 0;
}

void gws_model_take(struct gws_model *m, struct gws_model *from)
{
	take((void **)&m->ingresses, &m->ningresses, &m->cap_ingresses,
	     (void **)&from->ingresses, &from->ningresses,
	     sizeof(*m->ingresses));
	take((void **)&m->services, &m->nservices, &m->cap_services,
	     (void **)&from->services, &from->nservices,
	     sizeof(*m->services));
	take((void **)&m->classes, &m->nclasses, &m->cap_classes,
	     (void **)&from->classes, &from->nclasses, sizeof(*m->classes));
	take((void **)&m->configmaps, &m->nconfigmaps, &m->cap_configmaps,
	     (void **)&from->configmaps, &from->nconfigmaps,
	     sizeof(*m->configmaps));
	m->errors += from->errors;
	from->errors = 0;
}

static int cmp_ingress(const void *a, const void *b)
{
	const struct gws_ingress *x = a, *y = b;
	int c = strcmp(x->ns, y->ns);

	return c ? c : strcmp(x->name, y->name);
}

static int cmp_service(const void *a, const void *b)
{
	const struct gws_service *x = a, *y = b;
	int c = gws_strcmp_null(x->ns, y->ns);

	return c ? c : gws_strcmp_null(x->name, y->name);
}

static int cmp_configmap(const void *a, const void *b)
{
	const struct gws_configmap *x = a, *y = b;
	int c = gws_strcmp_null(x->ns, y->ns);

	return c ? c : gws_strcmp_null(x->name, y->name);
}

const struct gws_configmap *gws_model_configmap(const struct gws_model *m,
						const char *ns,
						const char *name)
{
	struct gws_configmap key = { 0 };

	key.ns = (char *)ns;
	key.name = (char *)name;
	if (!m->nconfigmaps)
		return NULL;
	return bsearch(&key, m->configmaps, m->nconfigmaps, sizeof(key),
		       cmp_configmap);
}

static int cmp_class(const void *a, const void *b)
{
	return gws_strcmp_null(((const struct gws_ingress_class *)a)->name,
			       ((const struct gws_ingress_class *)b)->name);
}

static void duplicate(struct gws_model *m, const char *kind,
		      const struct gws_pos *pos, const struct gws_pos *first,
		      const char *ns, const char *name)
{
	gws_diag(pos, "error", "duplicate %s '%s%s%s' (first at %s:%d:%d)",
		 kind, ns ? ns : "", ns ? "/" : "", name, first->src->name,
		 first->line, first->col);
	m->errors++;
}

int gws_model_finish(struct gws_model *m)
{
	size_t i, before = m->errors;

	if (m->ningresses)
		qsort(m->ingresses, m->ningresses, sizeof(*m->ingresses),
		      cmp_ingress);
	if (m->nservices)
		qsort(m->services, m->nservices, sizeof(*m->services),
		      cmp_service);
	if (m->nclasses)
		qsort(m->classes, m->nclasses, sizeof(*m->classes), cmp_class);
	if (m->nconfigmaps)
		qsort(m->configmaps, m->nconfigmaps, sizeof(*m->configmaps),
		      cmp_configmap);
	for (i = 1; i < m->ningresses; i++)
		if (!cmp_ingress(&m->ingresses[i - 1], &m->ingresses[i]))
			duplicate(m, "Ingress", &m->ingresses[i].pos,
				  &m->ingresses[i - 1].pos, m->ingresses[i].ns,
				  m->ingresses[i].name);
	for (i = 1; i < m->nservices; i++)
		if (m->services[i].name &&
		    !cmp_service(&m->services[i - 1], &m->services[i]))
			duplicate(m, "Service", &m->services[i].pos,
				  &m->services[i - 1].pos, m->services[i].ns,
				  m->services[i].name);
	for (i = 1; i < m->nclasses; i++)
		if (m->classes[i].name &&
		    !cmp_class(&m->classes[i - 1], &m->classes[i]))
			duplicate(m, "IngressClass", &m->classes[i].pos,
				  &m->classes[i - 1].pos, NULL,
				  m->classes[i].name);
	return m->errors == before ? 0 : -1;
}

const struct gws_service *gws_model_service(const struct gws_model *m,
					    const char *ns, const char *name)
{
	struct gws_service key = { 0 };

	key.ns = (char *)ns;
	key.name = (char *)name;
	if (!m->nservices)
		return NULL;
	return bsearch(&key, m->services, m->nservices, sizeof(key),
		       cmp_service);
}

const struct gws_ingress_class *gws_model_class(const struct gws_model *m,
						const char *name)
{
	struct gws_ingress_class key = { 0 };

	key.name = (char *)name;
	if (!m->nclasses)
		return NULL;
	return bsearch(&key, m->classes, m->nclasses, sizeof(key), cmp_class);
}

/* oldest first; equal times by namespace/name descending, as nginx sorts */
static int cmp_age(const void *a, const void *b)
{
	const struct gws_ingress *x = *(const struct gws_ingress *const *)a;
	const struct gws_ingress *y = *(const struct gws_ingress *const *)b;
	int c = gws_strcmp_null(x->created, y->created);

	return c ? c : -cmp_ingress(x, y);
}

const struct gws_ingress **gws_model_age_order(const struct gws_model *m)
{
	const struct gws_ingress **v = gws_xcalloc(m->ningresses + 1,
						   sizeof(*v));
	size_t i;

	for (i = 0; i < m->ningresses; i++)
		v[i] = &m->ingresses[i];
	if (m->ningresses)
		qsort(v, m->ningresses, sizeof(*v), cmp_age);
	return v;
}

static int cmp_kv_key(const void *k, const void *kv)
{
	return strcmp(k, ((const struct gws_kv *)kv)->key);
}

const struct gws_kv *gws_model_annotation(const struct gws_ingress *ing,
					  const char *key)
{
	if (!ing->nannotations)
		return NULL;
	return bsearch(key, ing->annotations, ing->nannotations,
		       sizeof(*ing->annotations), cmp_kv_key);
}
