/* common.c - helpers shared by the annotation handler families */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gwshift/check.h"
#include "internal.h"
#include "banned.h"

const char *hc_sibling(const struct gws_hctx *hc, const char *key)
{
	char *full = gws_xasprintf("%s%s", hc->table->prefix, key);
	const struct gws_kv *kv = gws_model_annotation(hc->ing, full);

	free(full);
	return kv ? kv->value : NULL;
}

bool hc_true(const struct gws_hctx *hc)
{
	return !strcmp(hc->an->value, "true");
}

/* @s cut past GWS_QUOTE_MAX bytes into @buf, one line (escaped) in @esc */
static const char *quote_into(char *buf, char *esc, const char *s)
{
	const char *cut = gws_cut(buf, GWS_QUOTE_MAX, s);
	const unsigned char *p;
	char *o = esc;

	for (p = (const unsigned char *)cut; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			break;
	if (!*p)
		return cut;
	for (p = (const unsigned char *)cut; *p; p++) {	/* one line */
		if (*p == '\n' || *p == '\t' || *p == '\r') {
			*o++ = '\\';
			*o++ = *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r';
		} else if (*p < ' ' || *p == 0x7f) {
			snprintf(o, 5, "\\x%02x", *p);
			o += 4;
		} else {
			*o++ = (char)*p;
		}
	}
	*o = '\0';
	return esc;
}

const char *hc_quote(const struct gws_hctx *hc)
{
	static _Thread_local char buf[GWS_CUT_SIZE(GWS_QUOTE_MAX)];
	static _Thread_local char esc[4 * GWS_CUT_SIZE(GWS_QUOTE_MAX)];

	return quote_into(buf, esc, hc->an->value);
}

const char *hc_quote_str(const char *s)
{
	static _Thread_local char buf[GWS_CUT_SIZE(GWS_QUOTE_MAX)];
	static _Thread_local char esc[4 * GWS_CUT_SIZE(GWS_QUOTE_MAX)];

	return quote_into(buf, esc, s);
}

void hc_bad(struct gws_hctx *hc, const char *why)
{
	gws_hctx_finding(hc, GWS_NOT_CONVERTED, "annotation '%s' has value "
			 "'%s', which %s; not converted", hc->an->key,
			 hc_quote(hc), why);
}

bool hc_long(struct gws_hctx *hc, long min, long max, long *out)
{
	const char *s = hc->an->value;
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (!*s || *end || errno || *out < min || *out > max) {
		char *why = gws_xasprintf("is not a whole number from %ld to "
					  "%ld", min, max);

		hc_bad(hc, why);
		free(why);
		return false;
	}
	return true;
}

const char *hc_ref(const char *v, char **ns)
{
	const char *slash = strchr(v, '/');

	*ns = NULL;
	if (!slash)
		return gws_dns1123_subdomain(v) ? v : NULL;
	if (!gws_dns1123_subdomain(slash + 1))
		return NULL;
	*ns = gws_xstrndup(v, (size_t)(slash - v));
	if (gws_dns1123_label(*ns))
		return slash + 1;
	free(*ns);
	*ns = NULL;
	return NULL;
}

void hc_set_header(struct gws_val **mod, const char *name, const char *value)
{
	struct gws_val *h;

	if (!*mod)
		*mod = gws_val_map();
	h = gws_val_push(gws_val_list(*mod, "set"), gws_val_map());
	gws_val_set_str(h, "name", name);
	gws_val_set_str(h, "value", value);
}

bool hc_not_canary(struct gws_hctx *hc)
{
	const char *on = hc_sibling(hc, "canary");

	if (on && !strcmp(on, "true"))
		return false;
	gws_hctx_finding(hc, GWS_IGNORED, "annotation '%s' is read only on "
			 "canary Ingresses (canary: \"true\"), and this one "
			 "is not", hc->an->key);
	return true;
}

char *hc_seconds(long n)
{
	if (n <= 99999)
		return gws_xasprintf("%lds", n);
	if (n % 60 == 0 && n / 60 <= 99999)
		return gws_xasprintf("%ldm", n / 60);
	return gws_xasprintf("%ldh%lds", n / 3600, n % 3600);
}

bool hc_header_name_ok(const char *s)
{
	return !gws_check_header_name(s);
}

/* @item is in @seq already */
static bool has_item(const struct gws_val *seq, const char *item)
{
	size_t i;

	for (i = 0; i < seq->n; i++)
		if (!strcmp(seq->items[i]->str, item))
			return true;
	return false;
}

size_t hc_add_list(struct gws_val *seq, const char *list,
		   bool (*ok)(const char *), size_t max)
{
	char *copy = gws_xstrdup(list), *p = copy, *item;
	size_t bad = 0;

	while ((item = p) != NULL) {
		char *end;

		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
		while (*item == ' ' || *item == '\t')
			item++;
		end = item + strlen(item);
		while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (!*item || has_item(seq, item))
			continue;
		if (ok(item) && seq->n < max)
			gws_val_push(seq, gws_val_str(item));
		else
			bad++;
	}
	free(copy);
	if (seq->n > 1 && has_item(seq, "*")) {	/* it covers the rest */
		struct gws_val *star = NULL;
		size_t i;

		for (i = 0; i < seq->n; i++)
			if (!star && !strcmp(seq->items[i]->str, "*"))
				star = seq->items[i];
			else
				gws_val_destroy(seq->items[i]);
		seq->items[0] = star;
		seq->n = 1;
	}
	return bad;
}
