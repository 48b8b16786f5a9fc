/* gateway.c - the shared Gateways: listeners, ListenerSets, ReferenceGrants */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

#define MAX_LISTENERS 64
#define MAX_GRANT_TO 16
#define MAX_SOURCE_LEN 4000

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the slot of @str: where it is, or the empty slot it would take */
static size_t probe(const struct strset *s, const char *str)
{
	size_t i = gws_hash(str, strlen(str)) & (s->nslot - 1);

	while (s->slot[i] && strcmp(s->v[s->slot[i] - 1], str))
		i = (i + 1) & (s->nslot - 1);
	return i;
}

static void reindex(struct strset *s, size_t nslot)
{
	size_t i;

	free(s->slot);
	s->nslot = nslot;
	s->slot = gws_xcalloc(nslot, sizeof(*s->slot));
	for (i = 0; i < s->n; i++)
		s->slot[probe(s, s->v[i])] = i + 1;
}

void strset_add(struct strset *s, const char *str)
{
	size_t i;

	if (s->nslot && s->slot[probe(s, str)])
		return;
	gws_grow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = gws_xstrdup(str);
	if (s->n > 1 && strcmp(s->v[s->n - 2], str) > 0)
		s->unsorted = true;
	if (s->n * 2 > s->nslot) {
		reindex(s, s->nslot ? s->nslot * 2 : 16);
		return;
	}
	i = probe(s, str);
	s->slot[i] = s->n;
}

bool strset_has(const struct strset *s, const char *str)
{
	return strset_index(s, str) >= 0;
}

long strset_index(const struct strset *s, const char *str)
{
	size_t i;

	if (!s->nslot)
		return -1;
	i = probe(s, str);
	return s->slot[i] ? (long)s->slot[i] - 1 : -1;
}

void strset_sort(struct strset *s)
{
	if (!s->unsorted)
		return;
	qsort(s->v, s->n, sizeof(*s->v), cmp_str);
	reindex(s, s->nslot);
	s->unsorted = false;
}

void strset_release(struct strset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

char *strset_join(struct strset *s, const char *sep, size_t max)
{
	struct gws_buf b;
	size_t i;

	strset_sort(s);
	gws_buf_init(&b);
	for (i = 0; i < s->n; i++) {
		if (b.len + strlen(s->v[i]) > max) {
			gws_buf_addf(&b, "%s(%zu more)", i ? sep : "", s->n - i);
			break;
		}
		gws_buf_addf(&b, "%s%s", i ? sep : "", s->v[i]);
	}
	return gws_buf_detach(&b, NULL);
}

struct gws_val *new_object(const char *kind, const char *ns, const char *name,
			   struct strset *sources)
{
	struct gws_val *doc = gws_val_map(), *md;
	char *src;

	gws_val_set_str(doc, "apiVersion", GWS_API_VERSION);
	gws_val_set_str(doc, "kind", kind);
	md = gws_val_child(doc, "metadata");
	gws_val_set_str(md, "name", name);
	if (ns)
		gws_val_set_str(md, "namespace", ns);
	if (sources) {
		src = strset_join(sources, ", ", MAX_SOURCE_LEN);
		gws_val_set_str(gws_val_child(md, "annotations"),
				GWS_SOURCE_ANNOTATION, src);
		free(src);
	}
	return doc;
}

struct gws_val *ns_selector(struct strset *namespaces)
{
	struct gws_val *ns = gws_val_map(), *expr = gws_val_map(), *vals;
	size_t i;

	strset_sort(namespaces);
	gws_val_set_str(ns, "from", "Selector");
	gws_val_set_str(expr, "key", "kubernetes.io/metadata.name");
	gws_val_set_str(expr, "operator", "In");
	vals = gws_val_list(expr, "values");
	for (i = 0; i < namespaces->n; i++)
		gws_val_push(vals, gws_val_str(namespaces->v[i]));
	gws_val_push(gws_val_list(gws_val_child(ns, "selector"),
				  "matchExpressions"), expr);
	return ns;
}

char *numbered_name(const char *base, size_t k)
{
	size_t n = strlen(base);

	if (k == 0)
		return gws_xstrdup(base);
	if (n > 240)
		n = 240;
	while (n > 1 && (base[n - 1] == '.' || base[n - 1] == '-'))
		n--;	/* a cut must not leave "x.-2" */
	return gws_xasprintf("%.*s-%zu", (int)n, base, k + 1);
}

/* FNV-1a of @s, for names cut to fit */
static unsigned long name_hash(const char *s)
{
	unsigned long h = 2166136261UL;

	for (; *s; s++)
		h = ((h ^ (unsigned char)*s) * 16777619UL) & 0xffffffffUL;
	return h;
}

bool host_covers(const char *l, const char *h)
{
	const char *dot;

	if (!strcmp(l, h))
		return true;
	if (strncmp(l, "*.", 2) != 0 || !strncmp(h, "*.", 2))
		return false;
	/* Kubernetes: a wildcard covers exactly one more label */
	dot = strchr(h, '.');
	return dot && !strcmp(dot + 1, l + 2);
}

static struct tls_host *find_tls(struct gw_plan *gw, const char *host)
{
	long i = strset_index(&gw->tls_index, host);

	return i < 0 ? NULL : &gw->tls[i];
}

/* a new TLS listener for @host (tls[] and its index grow together) */
static struct tls_host *new_tls(struct gw_plan *gw, const char *host)
{
	struct tls_host *th;

	gws_grow((void **)&gw->tls, &gw->cap_tls, gw->ntls + 1,
		 sizeof(*gw->tls));
	th = &gw->tls[gw->ntls++];
	memset(th, 0, sizeof(*th));
	th->host = gws_xstrdup(host);
	strset_add(&gw->tls_index, host);
	return th;
}

char *gw_add_tls(struct gw_plan *gw, const struct gws_ingress *ing,
		 const struct gws_itls *t)
{
	char *id = gws_xasprintf("%s/%s", ing->ns, ing->name);
	struct gws_buf why;
	size_t i;

	gws_buf_init(&why);
	for (i = 0; i < t->nhosts; i++) {
		struct tls_host *th = find_tls(gw, t->hosts[i]);

		if (th && th->passthrough) {
			gws_buf_addf(&why, "%shost '%s' is passed through to "
				     "its backend (ssl-passthrough of %s), so "
				     "the Gateway does not terminate its TLS",
				     why.len ? "; " : "", t->hosts[i],
				     th->sources.v[0]);
			continue;
		}
		if (th && (strcmp(th->secret_ns, ing->ns) ||
			   strcmp(th->secret, t->secret))) {
			gws_buf_addf(&why, "%shost '%s' already has certificate "
				     "'%s/%s' (from %s)", why.len ? "; " : "",
				     t->hosts[i], th->secret_ns, th->secret,
				     th->sources.v[0]);
			continue;
		}
		if (!th) {
			th = new_tls(gw, t->hosts[i]);
			th->secret_ns = gws_xstrdup(ing->ns);
			th->secret = gws_xstrdup(t->secret);
		}
		strset_add(&th->sources, id);
		strset_add(&th->allowed, ing->ns);
	}
	free(id);
	if (!why.len) {
		gws_buf_release(&why);
		return NULL;
	}
	return gws_buf_detach(&why, NULL);
}

void gw_add_passthrough(struct gw_plan *gw, const struct gws_ingress *ing,
			const char *host, const struct gws_pos *pos)
{
	char *id = gws_xasprintf("%s/%s", ing->ns, ing->name);
	struct tls_host *th = find_tls(gw, host);

	if (!th) {
		th = new_tls(gw, host);
		th->secret_ns = gws_xstrdup(ing->ns);
		th->passthrough = true;
		th->pos = *pos;
	}
	strset_add(&th->sources, id);
	strset_add(&th->allowed, ing->ns);
	free(id);
}

void gw_add_host(struct gw_plan *gw, const char *host, const char *ns)
{
	gws_grow((void **)&gw->hosts, &gw->cap_hosts, gw->nhosts + 1,
		 sizeof(*gw->hosts));
	gw->hosts[gw->nhosts].key = gws_xstrdup(host);
	gw->hosts[gw->nhosts].ns = ns;
	gw->nhosts++;
}

char *listener_name(const char *host, bool passthrough)
{
	/* "https." never starts a wildcard's name: the two cannot collide */
	const char *proto = passthrough ? "tls" : "https";
	char *name = strncmp(host, "*.", 2) ?
		     gws_xasprintf("%s.%s", proto, host) :
		     gws_xasprintf("%s-wildcard.%s", proto, host + 2);

	if (strlen(name) > 253) {	/* cut, and keep it unique */
		char *cut;
		size_t n = 244;

		while (n > 1 && strchr(".-", name[n - 1]))
			n--;
		cut = gws_xasprintf("%.*s-%08lx", (int)n, name, name_hash(name));
		free(name);
		name = cut;
	}
	return name;
}

static int cmp_tls(const void *a, const void *b)
{
	return strcmp(((const struct tls_host *)a)->host,
		      ((const struct tls_host *)b)->host);
}

static int cmp_host(const void *a, const void *b)
{
	return strcmp(((const struct host_ns *)a)->key,
		      ((const struct host_ns *)b)->key);
}

/* add the namespaces of every route host equal to @key in sorted @hs */
static void allow_matching(struct strset *allowed, const struct host_ns *hs,
			   size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(hs[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && !strcmp(hs[lo].key, key); lo++)
		strset_add(allowed, hs[lo].ns);
}

/* which namespaces may attach to each HTTPS listener: those with its hosts */
static void pick_namespaces(struct gw_plan *gw)
{
	struct host_ns *parents = gws_xcalloc(gw->nhosts + 1, sizeof(*parents));
	size_t i, np = 0;

	for (i = 0; i < gw->nhosts; i++) {
		const char *dot = strchr(gw->hosts[i].key, '.');

		if (dot && strncmp(gw->hosts[i].key, "*.", 2) != 0)
			parents[np++] = (struct host_ns){ (char *)dot + 1,
							  gw->hosts[i].ns };
	}
	if (gw->nhosts)
		qsort(gw->hosts, gw->nhosts, sizeof(*gw->hosts), cmp_host);
	if (np)
		qsort(parents, np, sizeof(*parents), cmp_host);
	for (i = 0; i < gw->ntls; i++) {
		struct tls_host *th = &gw->tls[i];

		allow_matching(&th->allowed, gw->hosts, gw->nhosts, th->host);
		if (!strncmp(th->host, "*.", 2))
			allow_matching(&th->allowed, parents, np, th->host + 2);
	}
	free(parents);
}

/* ListenerSets: per Secret namespace, at most 64 listeners each */
static void assign_listenersets(struct gw_plan *gw)
{
	struct strset nss = { 0 };
	char *base = gws_xasprintf("%s-tls", gw->name);
	size_t *count, i;

	for (i = 0; i < gw->ntls; i++)
		if (!gw->tls[i].passthrough)
			strset_add(&nss, gw->tls[i].secret_ns);
	count = gws_xcalloc(nss.n + 1, sizeof(*count));
	for (i = 0; i < gw->ntls; i++) {
		size_t *k;

		if (gw->tls[i].passthrough)
			continue;
		k = &count[strset_index(&nss, gw->tls[i].secret_ns)];
		gw->tls[i].lset = numbered_name(base, *k / MAX_LISTENERS);
		++*k;
	}
	free(count);
	free(base);
	strset_release(&nss);
}

void gw_finish(struct mapper *mp, struct gw_plan *gw)
{
	if (gw->ntls)
		qsort(gw->tls, gw->ntls, sizeof(*gw->tls), cmp_tls);
	strset_release(&gw->tls_index);	/* tls[] moved: tls_for() from now */
	pick_namespaces(gw);
	gw->listenersets = mp->opts->listenersets;
	if (!gw->listenersets && gw->ntls + 1 > MAX_LISTENERS) {
		gw->listenersets = true;
		gws_report_add(mp->rep, GWS_APPROXIMATED, NULL, "Gateway",
			       mp->opts->gateway_ns, gw->name, "spec.listeners",
			       "Gateway '%s/%s' would need %zu listeners (at most "
			       "64): its HTTPS listeners are in ListenerSets in "
			       "the app namespaces instead",
			       mp->opts->gateway_ns, gw->name, gw->ntls + 1);
	}
	if (gw->listenersets)
		assign_listenersets(gw);
}

const struct tls_host *tls_for(const struct gw_plan *gw, const char *host)
{
	struct tls_host key = { 0 };
	const struct tls_host *th;
	const char *dot;
	char *wild;

	if (!gw->ntls)
		return NULL;
	key.host = (char *)host;
	th = bsearch(&key, gw->tls, gw->ntls, sizeof(key), cmp_tls);
	dot = strchr(host, '.');
	if (th || !dot || !strncmp(host, "*.", 2))
		return th;
	wild = gws_xasprintf("*%s", dot);
	key.host = wild;
	th = bsearch(&key, gw->tls, gw->ntls, sizeof(key), cmp_tls);
	free(wild);
	return th;
}

static struct gws_val *gateway_ref(struct mapper *mp, struct gw_plan *gw,
				   struct gws_val *refs, const char *section)
{
	struct gws_val *ref = gws_val_push(refs, gws_val_map());

	gws_val_set_str(ref, "name", gw->name);
	gws_val_set_str(ref, "namespace", mp->opts->gateway_ns);
	if (section)
		gws_val_set_str(ref, "sectionName", section);
	return ref;
}

/* the listener of @th as a parentRef: on the Gateway or its ListenerSet */
static void listener_ref(struct mapper *mp, struct gw_plan *gw,
			 const struct tls_host *th, bool section,
			 struct strset *seen, struct gws_val *refs)
{
	char *lname = listener_name(th->host, th->passthrough);
	char *id = gws_xasprintf("%s/%s/%s", th->lset ? th->secret_ns : "",
				 th->lset ? th->lset : "", section ? lname : "");
	struct gws_val *ref;

	if (!strset_has(seen, id)) {
		strset_add(seen, id);
		if (!th->lset) {
			gateway_ref(mp, gw, refs, lname);
		} else {
			ref = gws_val_push(refs, gws_val_map());
			gws_val_set_str(ref, "group", "gateway.networking.k8s.io");
			gws_val_set_str(ref, "kind", "ListenerSet");
			gws_val_set_str(ref, "name", th->lset);
			gws_val_set_str(ref, "namespace", th->secret_ns);
			if (section)
				gws_val_set_str(ref, "sectionName", lname);
		}
	}
	free(id);
	free(lname);
}

void gw_parent_refs(struct mapper *mp, struct gw_plan *gw, const char **hosts,
		    size_t nhosts, enum attach at, struct gws_val *refs)
{
	struct strset seen = { 0 };
	size_t i;

	if (at != ATTACH_HTTPS)
		gateway_ref(mp, gw, refs, at == ATTACH_HTTP ? "http" : NULL);
	for (i = 0; at != ATTACH_HTTP && hosts && i < nhosts; i++) {
		const struct tls_host *th = hosts[i] ? tls_for(gw, hosts[i]) :
					    NULL;

		/* the Gateway ref reaches its own listeners already */
		if (th && (at == ATTACH_HTTPS || th->lset))
			listener_ref(mp, gw, th, at == ATTACH_HTTPS, &seen,
				     refs);
	}
	strset_release(&seen);
}

static struct gws_val *https_listener(struct tls_host *th,
				      const char *listener_ns)
{
	struct gws_val *l = gws_val_map(), *tls, *ref;
	char *name = listener_name(th->host, th->passthrough);

	gws_val_set_str(l, "name", name);
	gws_val_set_str(l, "hostname", th->host);
	gws_val_set_int(l, "port", 443);
	gws_val_set_str(l, "protocol", th->passthrough ? "TLS" : "HTTPS");
	tls = gws_val_child(l, "tls");
	gws_val_set_str(tls, "mode", th->passthrough ? "Passthrough" :
			"Terminate");
	if (th->passthrough) {
		gws_val_set(gws_val_child(l, "allowedRoutes"), "namespaces",
			    ns_selector(&th->allowed));
		free(name);
		return l;
	}
	ref = gws_val_push(gws_val_list(tls, "certificateRefs"), gws_val_map());
	gws_val_set_str(ref, "kind", "Secret");
	gws_val_set_str(ref, "name", th->secret);
	if (strcmp(th->secret_ns, listener_ns))
		gws_val_set_str(ref, "namespace", th->secret_ns);
	gws_val_set(gws_val_child(l, "allowedRoutes"), "namespaces",
		    ns_selector(&th->allowed));
	free(name);
	return l;
}

/* copy @extra (a map) into the object's annotations, but keys with @skip */
static void add_annotations(struct gws_val *doc, const struct gws_val *extra,
			    const char *skip)
{
	struct gws_val *an = gws_val_child(gws_val_child(doc, "metadata"),
					   "annotations");
	size_t i;

	for (i = 0; extra && i < extra->n; i++)
		if (!skip || strncmp(extra->keys[i], skip, strlen(skip)))
			gws_val_set(an, extra->keys[i],
				    gws_val_clone(extra->items[i]));
}

/* @idx: the indexes in gw->tls of one ListenerSet's hosts, in order */
static void emit_listenerset(struct mapper *mp, struct gw_plan *gw,
			     const size_t *idx, size_t n)
{
	const struct tls_host *first = &gw->tls[idx[0]];
	struct strset src = { 0 };
	struct gws_val *doc, *spec, *list, *parent;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < gw->tls[idx[i]].sources.n; j++)
			strset_add(&src, gw->tls[idx[i]].sources.v[j]);
	doc = new_object("ListenerSet", first->secret_ns, first->lset, &src);
	add_annotations(doc, gws_val_get(gw->ns_annotations, first->secret_ns),
			NULL);
	spec = gws_val_child(doc, "spec");
	parent = gws_val_child(spec, "parentRef");
	gws_val_set_str(parent, "name", gw->name);
	gws_val_set_str(parent, "namespace", mp->opts->gateway_ns);
	list = gws_val_list(spec, "listeners");
	for (i = 0; i < n; i++)
		gws_val_push(list, https_listener(&gw->tls[idx[i]],
						  first->secret_ns));
	gws_output_add(mp->out, doc, GWS_ROLE_APP);
	strset_release(&src);
}

/* a host of a ListenerSet: the set's namespace and name, its gw->tls index */
struct lset_ref {
	const char *ns;
	const char *lset;
	size_t i;
};

/* by namespace, ListenerSet, then position in gw->tls */
static int cmp_lset(const void *a, const void *b)
{
	const struct lset_ref *x = a, *y = b;
	int c = strcmp(x->ns, y->ns);

	if (!c)
		c = strcmp(x->lset, y->lset);
	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* the hosts grouped by ListenerSet: one sort, not a scan per set */
static void emit_listenersets(struct mapper *mp, struct gw_plan *gw,
			      struct strset *lset_ns)
{
	struct lset_ref *refs = gws_xcalloc(gw->ntls + 1, sizeof(*refs));
	size_t *idx = gws_xcalloc(gw->ntls + 1, sizeof(*idx));
	size_t i, n = 0, start;

	for (i = 0; i < gw->ntls; i++) {
		if (!gw->tls[i].lset)
			continue;
		refs[n++] = (struct lset_ref){ gw->tls[i].secret_ns,
					       gw->tls[i].lset, i };
		strset_add(lset_ns, gw->tls[i].secret_ns);
	}
	qsort(refs, n, sizeof(*refs), cmp_lset);
	for (i = 0; i < n; i++)
		idx[i] = refs[i].i;
	for (start = 0; start < n; start = i) {
		for (i = start + 1; i < n &&
		     !strcmp(refs[i].ns, refs[start].ns) &&
		     !strcmp(refs[i].lset, refs[start].lset); i++)
			;
		emit_listenerset(mp, gw, idx + start, i - start);
	}
	free(idx);
	free(refs);
}

void gw_emit(struct mapper *mp, struct gw_plan *gw)
{
	struct gws_val *doc, *spec, *list, *http;
	struct strset lset_ns = { 0 };
	size_t i;

	doc = new_object("Gateway", mp->opts->gateway_ns, gw->name,
			 &gw->sources);
	add_annotations(doc, gw->annotations, gw->listenersets ?
			"cert-manager.io/" : NULL);
	spec = gws_val_child(doc, "spec");
	gws_val_set_str(spec, "gatewayClassName", gw->gateway_class);
	list = gws_val_list(spec, "listeners");
	http = gws_val_push(list, gws_val_map());
	gws_val_set_str(http, "name", "http");
	gws_val_set_int(http, "port", 80);
	gws_val_set_str(http, "protocol", "HTTP");
	gws_val_set(gws_val_child(http, "allowedRoutes"), "namespaces",
		    ns_selector(&gw->namespaces));
	for (i = 0; i < gw->ntls; i++)
		if (!gw->tls[i].lset)
			gws_val_push(list, https_listener(&gw->tls[i],
						mp->opts->gateway_ns));
	if (gw->listenersets) {
		emit_listenersets(mp, gw, &lset_ns);
		if (lset_ns.n)
			gws_val_set(gws_val_child(spec, "allowedListeners"),
				    "namespaces", ns_selector(&lset_ns));
	}
	gws_output_add(mp->out, doc, GWS_ROLE_PLATFORM);
	strset_release(&lset_ns);
}

void gw_release(struct gw_plan *gw)
{
	size_t i;

	for (i = 0; i < gw->ntls; i++) {
		free(gw->tls[i].host);
		free(gw->tls[i].secret_ns);
		free(gw->tls[i].secret);
		free(gw->tls[i].lset);
		strset_release(&gw->tls[i].sources);
		strset_release(&gw->tls[i].allowed);
	}
	free(gw->tls);
	for (i = 0; i < gw->nhosts; i++)
		free(gw->hosts[i].key);
	free(gw->hosts);
	strset_release(&gw->namespaces);
	strset_release(&gw->sources);
	strset_release(&gw->tls_index);
	free(gw->class_key);
	free(gw->name);
	free(gw->gateway_class);
	free(gw->catch_all);
	gws_val_destroy(gw->annotations);
	gws_val_destroy(gw->ns_annotations);
}
