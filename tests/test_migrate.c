/* test_migrate.c - unit tests for migrate: diff, documents, rewrite, paths */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "migrate/internal.h"

/* ---------------------------------------------------------------------
 * mig_lcs(): the edit script is a shortest one
 */

/* length of a longest common subsequence, by dynamic programming */
static size_t lcs_len(const char *a, size_t n, const char *b, size_t m)
{
	size_t *t = calloc((n + 1) * (m + 1), sizeof(*t)), i, j, r;

	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;)
			t[i * (m + 1) + j] = a[i] == b[j] ?
				1 + t[(i + 1) * (m + 1) + j + 1] :
				t[(i + 1) * (m + 1) + j] > t[i * (m + 1) + j + 1] ?
				t[(i + 1) * (m + 1) + j] : t[i * (m + 1) + j + 1];
	r = t[0];
	free(t);
	return r;
}

/* one line per character of @s */
static char *as_lines(const char *s)
{
	struct gws_buf b;

	gws_buf_init(&b);
	for (; *s; s++) {
		gws_buf_addc(&b, *s);
		gws_buf_addc(&b, '\n');
	}
	return gws_buf_detach(&b, NULL);
}

static void check_script(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), nd = 0, ni = 0, i = 0, j = 0;
	char *ta = as_lines(a), *tb = as_lines(b);
	bool del[64] = { 0 }, ins[64] = { 0 };
	struct mig_lines la, lb;

	mig_lines_init(&la, ta, 2 * n);
	mig_lines_init(&lb, tb, 2 * m);
	mig_lcs(&la, 0, la.n, &lb, 0, lb.n, del, ins);
	for (i = 0; i < n; i++)
		nd += del[i];
	for (j = 0; j < m; j++)
		ni += ins[j];
	assert_int_equal(nd, n - lcs_len(a, n, b, m));
	assert_int_equal(ni, m - lcs_len(a, n, b, m));
	for (i = 0, j = 0;; i++, j++) {
		while (i < n && del[i])
			i++;
		while (j < m && ins[j])
			j++;
		if (i >= n || j >= m)
			break;
		assert_int_equal(a[i], b[j]);
	}
	assert_true(i >= n && j >= m);
	mig_lines_release(&la);
	mig_lines_release(&lb);
	free(ta);
	free(tb);
}

static void random_word(char *s, size_t max, int alphabet)
{
	size_t n = (size_t)rand() % (max + 1), i;

	for (i = 0; i < n; i++)
		s[i] = (char)('a' + rand() % alphabet);
	s[n] = '\0';
}

static void test_lcs_is_shortest(void **state)
{
	char a[64], b[64];
	int k;

	(void)state;
	srand(1234);
	check_script("", "");
	check_script("abc", "");
	check_script("", "abc");
	check_script("abcabba", "cbabac");
	for (k = 0; k < 20000; k++) {
		random_word(a, 40, 1 + k % 5);
		random_word(b, 40, 1 + k % 5);
		check_script(a, b);
	}
}

/* ---------------------------------------------------------------------
 * mig_udiff(): the text, and a patch that gives the new file back
 */

static char *udiff(const char *a, const char *b, const struct mig_span *sp,
		   size_t nsp)
{
	struct gws_buf out;

	gws_buf_init(&out);
	mig_udiff(&out, "f.yaml", 0644, a, a ? strlen(a) : 0, b,
		  b ? strlen(b) : 0, sp, nsp);
	return gws_buf_detach(&out, NULL);
}

static void test_udiff_text(void **state)
{
	char *d;

	(void)state;
	d = udiff("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nD\ne\nf\ng\nh\n",
		  NULL, 0);
	assert_string_equal(d, "diff --git a/f.yaml b/f.yaml\n"
			    "--- a/f.yaml\n+++ b/f.yaml\n"
			    "@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n");
	free(d);
	d = udiff(NULL, "x\n", NULL, 0);
	assert_string_equal(d, "diff --git a/f.yaml b/f.yaml\n"
			    "new file mode 100644\n--- /dev/null\n"
			    "+++ b/f.yaml\n@@ -0,0 +1 @@\n+x\n");
	free(d);
	d = udiff("x\ny", NULL, NULL, 0);
	assert_string_equal(d, "diff --git a/f.yaml b/f.yaml\n"
			    "deleted file mode 100644\n--- a/f.yaml\n"
			    "+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n"
			    "\\ No newline at end of file\n");
	free(d);
	d = udiff("same\n", "same\n", NULL, 0);
	assert_string_equal(d, "");
	free(d);
}

static const char *next_line(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl ? nl + 1 : p + strlen(p);
}

/* one hunk line: context and '-' take an old line, '+' adds one */
static const char *hunk_line(struct gws_buf *out, const char *p,
			     const char *a, char *prev)
{
	const char *q = next_line(p), *e = next_line(a);

	if (*p == '\\') {
		if (*prev == '+')	/* the diff's line break was not real */
			out->data[--out->len] = '\0';
		return a;
	}
	*prev = *p;
	if (*p == '+') {
		gws_buf_add(out, p + 1, (size_t)(q - p - 1));
		return a;
	}
	if (*p == ' ')
		gws_buf_add(out, a, (size_t)(e - a));
	return e;
}

/* apply a diff made by mig_udiff() to @a: a patch tool in small */
static char *apply(const char *a, const char *diff)
{
	struct gws_buf out;
	const char *p = strstr(diff, "\n@@ -"), *q;
	size_t line = 1, start, len;
	char prev = 0;

	gws_buf_init(&out);
	p = p ? p + 1 : NULL;
	while (p && !strncmp(p, "@@ -", 4)) {
		start = strtoul(p + 4, (char **)&q, 10);
		len = *q == ',' ? strtoul(q + 1, NULL, 10) : 1;
		start += len == 0;	/* an empty range names the line before */
		for (; line < start; line++) {
			q = next_line(a);
			gws_buf_add(&out, a, (size_t)(q - a));
			a = q;
		}
		for (p = next_line(p); *p && strncmp(p, "@@ -", 4);
		     p = next_line(p)) {
			q = hunk_line(&out, p, a, &prev);
			line += q != a;
			a = q;
		}
	}
	gws_buf_adds(&out, a);
	return gws_buf_detach(&out, NULL);
}

static void random_text(struct gws_buf *b, int lines)
{
	int i;

	for (i = 0; i < lines; i++) {
		gws_buf_addc(b, (char)('a' + rand() % 3));
		gws_buf_addc(b, (char)('a' + rand() % 3));
		gws_buf_adds(b, rand() % 4 ? "\n" : "\r\n");
	}
}

static void test_udiff_applies(void **state)
{
	int k, q;

	(void)state;
	srand(99);
	for (k = 0; k < 3000; k++) {
		struct gws_buf a, b;
		struct mig_span sp[4];
		size_t nsp = 0, pos = 0, s, e;
		char *d1, *d2, *r1, *r2;

		gws_buf_init(&a);
		gws_buf_init(&b);
		random_text(&a, rand() % 25);
		for (q = 0; q < 3 && pos <= a.len; q++) {
			s = pos + (size_t)rand() % (a.len - pos + 1);
			e = s + (size_t)rand() % ((a.len - s) / 2 + 1);
			gws_buf_add(&b, a.data + pos, s - pos);
			sp[nsp] = (struct mig_span){ s, e, b.len, 0 };
			random_text(&b, rand() % 4);
			sp[nsp++].b1 = b.len;
			pos = e;
		}
		gws_buf_add(&b, a.data + pos, a.len - pos);
		d1 = udiff(a.data, b.data, sp, nsp);
		d2 = udiff(a.data, b.data, NULL, 0);
		r1 = apply(a.data, d1);
		r2 = apply(a.data, d2);
		assert_string_equal(r1, b.data);
		assert_string_equal(r2, b.data);
		free(d1);
		free(d2);
		free(r1);
		free(r2);
		gws_buf_release(&a);
		gws_buf_release(&b);
	}
}

/* ---------------------------------------------------------------------
 * mig_scan(): the Ingress documents of a file and their bytes
 */

static const char ing[] = "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
			  "metadata: {name: a, namespace: b}\n";

static int setup_dir(void **state)
{
	char tmpl[] = "/tmp/gws-test-migrate.XXXXXX";

	if (!mkdtemp(tmpl))
		return -1;
	*state = strdup(tmpl);
	return 0;
}

static int teardown_dir(void **state)
{
	char *cmd = gws_xasprintf("rm -rf '%s'", (char *)*state);
	int rc = system(cmd);

	free(cmd);
	free(*state);
	return rc == 0 ? 0 : -1;
}

/* scan @text as a file; the caller destroys the result */
static struct mig_file *scan_text(void **state, const char *text)
{
	struct mig_file *f = gws_xcalloc(1, sizeof(*f));
	FILE *fp;

	f->rel = gws_xstrdup("t.yaml");
	f->path = gws_xasprintf("%s/t.yaml", (char *)*state);
	f->src.name = f->path;
	fp = fopen(f->path, "wb");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	mig_scan(f);
	assert_false(f->failed);
	return f;
}

/* the text of [start, end) of @f */
static char *part(const struct mig_file *f, size_t start, size_t end)
{
	assert_true(start <= end && end <= f->src.len);
	return gws_xstrndup(f->src.data + start, end - start);
}

static void expect_doc(const struct mig_file *f, size_t i, const char *content,
		       const char *whole)
{
	char *c, *w;

	assert_true(i < f->ndocs);
	c = part(f, f->docs[i].cstart, f->docs[i].cend);
	w = part(f, f->docs[i].rstart, f->docs[i].rend);
	assert_string_equal(c, content);
	assert_string_equal(w, whole);
	free(c);
	free(w);
}

static void test_ranges_plain(void **state)
{
	char *text = gws_xasprintf("# lead\n\n%s# after\n---\nkind: X\n", ing);
	struct mig_file *f = scan_text(state, text);

	assert_int_equal(f->ndocs, 1);
	assert_string_equal(f->docs[0].id, "b/a");
	assert_true(f->docs[0].has_ns);
	expect_doc(f, 0, ing, ing);
	assert_false(f->docs[0].inline_start);
	mig_file_destroy(f);
	free(text);
}

static void test_ranges_markers(void **state)
{
	char *text = gws_xasprintf("a: 1\n--- # c\n# about it\n%s"
				   "  # trailing\n...\n---\n%s", ing, ing);
	char *whole = gws_xasprintf("--- # c\n# about it\n%s  # trailing\n"
				    "...\n", ing);
	char *last = gws_xasprintf("---\n%s", ing);
	struct mig_file *f = scan_text(state, text);

	assert_int_equal(f->ndocs, 2);
	expect_doc(f, 0, ing, whole);
	expect_doc(f, 1, ing, last);
	mig_file_destroy(f);
	free(text);
	free(whole);
	free(last);
}

static void test_ranges_crlf_bom(void **state)
{
	static const char crlf[] = "apiVersion: networking.k8s.io/v1\r\n"
		"kind: Ingress\r\nmetadata:\r\n  name: a\r\n";
	char *text = gws_xasprintf("\xef\xbb\xbf%s---\r\nb: 2\r\n", crlf);
	struct mig_file *f = scan_text(state, text);

	assert_int_equal(f->ndocs, 1);
	assert_int_equal(f->docs[0].cstart, 3);
	expect_doc(f, 0, crlf, crlf);
	assert_string_equal(f->docs[0].id, "default/a");
	assert_false(f->docs[0].has_ns);
	mig_file_destroy(f);
	free(text);
}

static void test_ranges_no_newline(void **state)
{
	static const char open[] = "apiVersion: networking.k8s.io/v1\n"
		"kind: Ingress\nmetadata:\n  name: a\nspec: {}";
	char *text = gws_xasprintf("x: 1\n---\n%s", open);
	char *whole = gws_xasprintf("---\n%s", open);
	struct mig_file *f = scan_text(state, text);

	expect_doc(f, 0, open, whole);
	mig_file_destroy(f);
	free(text);
	free(whole);
}

static void test_ranges_inline(void **state)
{
	static const char flow[] = "--- {apiVersion: networking.k8s.io/v1, "
		"kind: Ingress,\n  metadata: {name: a}}\n";
	struct mig_file *f = scan_text(state, flow);

	assert_true(f->docs[0].inline_start);
	expect_doc(f, 0, flow + 4, flow);
	mig_file_destroy(f);
}

/* @text with ing at %s: its removed range is @whole (also with %s) */
static void expect_whole(void **state, const char *text, const char *whole)
{
	char *t = gws_xasprintf(text, ing), *w = gws_xasprintf(whole, ing);
	struct mig_file *f = scan_text(state, t);

	assert_int_equal(f->ndocs, 1);
	expect_doc(f, 0, ing, w);
	mig_file_destroy(f);
	free(t);
	free(w);
}

static void test_ranges_directives(void **state)
{
	char *text = gws_xasprintf("a: 1\n...\n# c\n%%YAML 1.2\n\n---\n%s",
				   ing);
	char *whole = gws_xasprintf("%%YAML 1.2\n\n---\n%s", ing);
	struct mig_file *f = scan_text(state, text);

	assert_int_equal(f->ndocs, 1);
	expect_doc(f, 0, ing, whole);
	mig_file_destroy(f);
	free(text);
	free(whole);
	/* libfyaml lets a document without '---' follow its directives */
	expect_whole(state, "a: 1\n...\n%%YAML 1.2\n%s", "%%YAML 1.2\n%s");
}

/* what follows a '...' that the removed range would take keeps a marker */
static void test_ranges_document_end(void **state)
{
	/* directives after a document need its '...' */
	expect_whole(state, "a: 1\n---\n%s...\n%%YAML 1.2\n---\nb: 2\n",
		     "---\n%s");
	/* ... but not at the start of the stream */
	expect_whole(state, "---\n%s...\n%%YAML 1.2\n---\nb: 2\n",
		     "---\n%s...\n");
	/* a document with no '---' takes the Ingress's */
	expect_whole(state, "a: 1\n---\n%s...\nb: 2\n", "%s...\n");
	/* a '---' after it needs nothing */
	expect_whole(state, "a: 1\n---\n%s...\n---\nb: 2\n",
		     "---\n%s...\n");
}

static void test_ranges_lone_cr(void **state)
{
	static const char mac[] = "apiVersion: networking.k8s.io/v1\r"
		"kind: Ingress\rmetadata: {name: a, namespace: b}\r";
	char *text = gws_xasprintf("%s---\r%s", mac, mac);
	char *whole = gws_xasprintf("---\r%s", mac);
	struct mig_file *f = scan_text(state, text);

	assert_int_equal(f->ndocs, 2);
	expect_doc(f, 0, mac, mac);
	expect_doc(f, 1, mac, whole);
	mig_file_destroy(f);
	free(text);
	free(whole);
	/* a lone CR before the '---' of the next document (LF elsewhere) */
	text = gws_xasprintf("%.*s\r---\n%s", (int)strlen(ing) - 1, ing, ing);
	whole = gws_xasprintf("---\n%s", ing);
	f = scan_text(state, text);
	assert_int_equal(f->ndocs, 2);
	assert_int_equal(f->docs[0].cend, strlen(ing));
	expect_doc(f, 1, ing, whole);
	mig_file_destroy(f);
	free(text);
	free(whole);
}

/* NEL (U+0085) ends a line in a YAML 1.1 document only */
static void test_ranges_nel(void **state)
{
	int n = (int)strlen(ing) - 1;
	char *text = gws_xasprintf("%%YAML 1.1\n---\n%.*s\xc2\x85---\n%s", n,
				   ing, ing);
	char *content = gws_xasprintf("%.*s\xc2\x85", n, ing);
	char *whole = gws_xasprintf("%%YAML 1.1\n---\n%s", content);
	struct mig_file *f = scan_text(state, text);

	assert_int_equal(f->ndocs, 2);
	expect_doc(f, 0, content, whole);
	mig_file_destroy(f);
	free(text);
	free(content);
	free(whole);
	text = gws_xasprintf("%.*s # \xc2\x85 x\n---\n%s", n, ing, ing);
	content = gws_xasprintf("%.*s # \xc2\x85 x\n", n, ing);
	f = scan_text(state, text);
	assert_int_equal(f->ndocs, 2);
	expect_doc(f, 0, content, content);
	mig_file_destroy(f);
	free(text);
	free(content);
}

static void test_ranges_properties(void **state)
{
	char *text = gws_xasprintf("--- &a\n%s---\n!!map\n%s", ing, ing);
	char *c0 = gws_xasprintf("&a\n%s", ing);
	char *w0 = gws_xasprintf("--- %s", c0);
	char *c1 = gws_xasprintf("!!map\n%s", ing);
	char *w1 = gws_xasprintf("---\n%s", c1);
	struct mig_file *f = scan_text(state, text);

	assert_int_equal(f->ndocs, 2);
	assert_true(f->docs[0].inline_start);
	expect_doc(f, 0, c0, w0);
	assert_false(f->docs[1].inline_start);
	expect_doc(f, 1, c1, w1);
	mig_file_destroy(f);
	free(text);
	free(c0);
	free(w0);
	free(c1);
	free(w1);
}

static void test_ranges_list_and_helm(void **state)
{
	struct mig_file *f = scan_text(state, "kind: List\napiVersion: v1\n"
				       "items:\n- kind: Ingress\n"
				       "  apiVersion: networking.k8s.io/v1\n"
				       "  metadata: {name: x}\n");

	assert_int_equal(f->ndocs, 0);
	assert_int_equal(f->nnotes, 1);
	assert_int_equal(f->notes[0].kind, MIG_NOTE_LIST);
	assert_int_equal(f->notes[0].pos.line, 4);
	mig_file_destroy(f);
	f = scan_text(state, "metadata:\n  name: {{ .Name }}\nkind: Ingress\n");
	assert_true(f->helm);
	assert_int_equal(f->nnotes, 1);
	assert_int_equal(f->notes[0].pos.line, 3);
	mig_file_destroy(f);
}

/* ---------------------------------------------------------------------
 * mig_rewrite_text(): the new bytes, and spans that say where they differ
 */

static int setup_maps(void **state)
{
	struct gws_mapping_set *maps = gws_xcalloc(1, sizeof(*maps));

	if (gws_mappings_load(maps, NULL) != 0) {
		free(maps);
		return -1;
	}
	*state = maps;
	return 0;
}

static int teardown_maps(void **state)
{
	gws_mappings_release(*state);
	free(*state);
	return 0;
}

static const char web[] = "apiVersion: networking.k8s.io/v1\n"
	"kind: Ingress\nmetadata: {name: web, namespace: apps}\n"
	"spec:\n  ingressClassName: nginx\n  rules:\n"
	"  - host: web.example.com\n    http:\n      paths:\n"
	"      - path: /\n        pathType: Prefix\n"
	"        backend: {service: {name: web, port: {number: 80}}}\n";

/* the primary of canary("web-old", "old.example.com"), in another file */
static const char old_primary[] = "apiVersion: networking.k8s.io/v1\n"
	"kind: Ingress\nmetadata: {name: old, namespace: apps}\n"
	"spec:\n  ingressClassName: nginx\n  rules:\n"
	"  - host: old.example.com\n    http:\n      paths:\n"
	"      - path: /\n        pathType: Prefix\n"
	"        backend: {service: {name: old, port: {number: 80}}}\n";

/* a canary Ingress of @host, with no line break at its end */
static char *canary(const char *name, const char *host)
{
	return gws_xasprintf("apiVersion: networking.k8s.io/v1\n"
		"kind: Ingress\nmetadata:\n  name: %s\n  namespace: apps\n"
		"  annotations:\n"
		"    nginx.ingress.kubernetes.io/canary: \"true\"\n"
		"    nginx.ingress.kubernetes.io/canary-weight: \"10\"\n"
		"spec:\n  ingressClassName: nginx\n  rules:\n  - host: %s\n"
		"    http:\n      paths:\n      - path: /\n"
		"        pathType: Prefix\n"
		"        backend: {service: {name: %s, port: {number: 80}}}",
		name, host, name);
}

/* @text migrated: @nspans spans in order, the bytes between them kept */
static void expect_rewrite(void **state, const char *text, size_t nspans)
{
	struct gws_map_opts o;
	struct mig_repo *r;
	struct mig_file *f;
	size_t i, pa = 0, pb = 0;
	char *d, *back;

	memset(&o, 0, sizeof(o));
	o.gateway_ns = GWS_DEFAULT_GATEWAY_NS;
	r = mig_rewrite_texts(*state, &o, "t.yaml", text, strlen(text),
			      "old.yaml", old_primary);
	f = r->files[0];
	assert_true(f->changed);
	assert_false(f->failed);
	assert_int_equal(f->nspans, nspans);
	for (i = 0; i < f->nspans; i++) {
		const struct mig_span *sp = &f->spans[i];

		assert_true(pa <= sp->a0 && sp->a0 <= sp->a1);
		assert_true(pb <= sp->b0 && sp->b0 <= sp->b1);
		assert_true(sp->a1 <= f->src.len && sp->b1 <= f->outlen);
		assert_int_equal(sp->a0 - pa, sp->b0 - pb);
		assert_memory_equal(f->src.data + pa, f->out + pb,
				    sp->a0 - pa);
		pa = sp->a1;
		pb = sp->b1;
	}
	assert_int_equal(f->src.len - pa, f->outlen - pb);
	assert_memory_equal(f->src.data + pa, f->out + pb, f->src.len - pa);
	assert_int_not_equal(f->out[f->outlen - 1], '\n');
	d = udiff(f->src.data, f->out, f->spans, f->nspans);
	back = apply(f->src.data, d);
	assert_string_equal(back, f->out);
	free(d);
	free(back);
	mig_repo_destroy(r);
}

/*
 * a file left with white space only (its canary folded into its primary's
 * route, in another file): removed, and its diff says so
 */
static void test_rewrite_removed(void **state)
{
	char *alone = canary("web-old", "old.example.com");
	char *text = gws_xasprintf("\n---\n%s\n  \n", alone);
	struct gws_map_opts o;
	struct mig_repo *r;
	struct mig_file *f;
	char *back;

	memset(&o, 0, sizeof(o));
	o.gateway_ns = GWS_DEFAULT_GATEWAY_NS;
	r = mig_rewrite_texts(*state, &o, "t.yaml", text, strlen(text),
			      "old.yaml", old_primary);
	f = r->files[0];
	assert_true(f->changed && f->removed);
	mig_commit(f, true);
	assert_non_null(strstr(f->report, "+++ /dev/null\n"));
	back = apply(f->src.data, f->report);
	assert_string_equal(back, "");
	free(back);
	mig_repo_destroy(r);
	free(text);
	free(alone);
}

/*
 * a canary whose primary is not in the repo: left as it is (its primary,
 * elsewhere, may still split traffic to it), with a finding that says so
 */
static void test_rewrite_orphan_canary(void **state)
{
	char *alone = canary("web-old", "old.example.com");
	struct gws_map_opts o;
	struct mig_repo *r;
	size_t i, found = 0;

	memset(&o, 0, sizeof(o));
	o.gateway_ns = GWS_DEFAULT_GATEWAY_NS;
	r = mig_rewrite_text(*state, &o, "t.yaml", alone, strlen(alone));
	assert_false(r->files[0]->changed);
	assert_int_equal(r->files[0]->docs[0].action, MIG_KEEP);
	for (i = 0; i < r->rep.n; i++)
		found += strstr(r->rep.items[i].message, "no migrated route "
				"takes in") != NULL;
	assert_int_equal(found, 1);
	mig_repo_destroy(r);
	free(alone);
}

/* the last documents removed from a file with no line break at its end */
static void test_rewrite_no_newline(void **state)
{
	char *next = canary("web-next", "web.example.com");
	char *old = canary("web-old", "old.example.com");
	char *text;

	/* the canary folded into the route just before it: one span */
	text = gws_xasprintf("%s---\n%s", web, next);
	expect_rewrite(state, text, 1);
	free(text);
	/* two canaries in a row after a Service: the route, then both */
	text = gws_xasprintf("%s---\napiVersion: v1\nkind: Service\n"
			     "metadata: {name: web, namespace: apps}\n---\n"
			     "%s\n---\n%s", web, next, old);
	expect_rewrite(state, text, 2);
	free(text);
	free(next);
	free(old);
}

/* ---------------------------------------------------------------------
 * paths and kustomizations
 */

static void expect_join(const char *dir, const char *rel, const char *want)
{
	char *got = mig_path_join(dir, rel);

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_path_join(void **state)
{
	(void)state;
	expect_join("", "a.yaml", "a.yaml");
	expect_join("apps/shop", "../../base", "base");
	expect_join("apps", "./x//y/.", "apps/x/y");
	expect_join("apps", "../..", NULL);
	expect_join("apps", "/etc/passwd", NULL);
	expect_join("apps", "https://example.com/x", NULL);
	expect_join("a/b", "..", "a");
	expect_join("a", "..", "");
}

static void test_kustomization(void **state)
{
	struct mig_file *f = gws_xcalloc(1, sizeof(*f));
	struct mig_kust *k;
	FILE *fp;

	f->rel = gws_xstrdup("apps/kustomization.yaml");
	f->path = gws_xasprintf("%s/k.yaml", (char *)*state);
	f->src.name = f->path;
	f->kustomization = true;
	fp = fopen(f->path, "wb");
	assert_non_null(fp);
	fputs("resources:\n- a.yaml\n- \"../b\"   # b\npatches:\n"
	      "- path: p.yaml\n- target: {kind: Ingress}\n  patch: x\n"
	      "patchesStrategicMerge: [q.yaml]\n", fp);
	fclose(fp);
	mig_scan(f);
	k = f->kust;
	assert_non_null(k);
	assert_int_equal(k->style, MIG_RES_BLOCK);
	assert_int_equal(k->nres, 2);
	assert_string_equal(k->res[0].path, "apps/a.yaml");
	assert_string_equal(k->res[1].path, "b");
	assert_memory_equal(f->src.data + k->res[1].start, "\"../b\"", 6);
	assert_int_equal(k->npatches, 2);
	assert_string_equal(k->patches[0], "apps/p.yaml");
	assert_string_equal(k->patches[1], "apps/q.yaml");
	assert_int_equal(f->nnotes, 1);
	assert_int_equal(f->notes[0].kind, MIG_NOTE_KPATCH);
	assert_int_equal(f->notes[0].pos.line, 6);
	mig_file_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lcs_is_shortest),
		cmocka_unit_test(test_udiff_text),
		cmocka_unit_test(test_udiff_applies),
		cmocka_unit_test_setup_teardown(test_ranges_plain, setup_dir,
						teardown_dir),
		cmocka_unit_test_setup_teardown(test_ranges_markers, setup_dir,
						teardown_dir),
		cmocka_unit_test_setup_teardown(test_ranges_crlf_bom, setup_dir,
						teardown_dir),
		cmocka_unit_test_setup_teardown(test_ranges_no_newline,
						setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_ranges_inline, setup_dir,
						teardown_dir),
		cmocka_unit_test_setup_teardown(test_ranges_directives,
						setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_ranges_document_end,
						setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_ranges_lone_cr, setup_dir,
						teardown_dir),
		cmocka_unit_test_setup_teardown(test_ranges_nel, setup_dir,
						teardown_dir),
		cmocka_unit_test_setup_teardown(test_ranges_properties,
						setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_ranges_list_and_helm,
						setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_rewrite_no_newline,
						setup_maps, teardown_maps),
		cmocka_unit_test_setup_teardown(test_rewrite_removed,
						setup_maps, teardown_maps),
		cmocka_unit_test_setup_teardown(test_rewrite_orphan_canary,
						setup_maps, teardown_maps),
		cmocka_unit_test(test_path_join),
		cmocka_unit_test_setup_teardown(test_kustomization, setup_dir,
						teardown_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
