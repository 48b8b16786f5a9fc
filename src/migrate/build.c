/* build.c - new file contents, the gateway folder, and writing them out */
/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gwshift/write.h"
#include "internal.h"
#include "banned.h"

/* does the line at or after @p end in CRLF? (else the file's first line) */
static bool crlf_at(const char *s, size_t len, size_t p)
{
	const char *nl = memchr(s + p, '\n', len - p);

	if (!nl)
		nl = memchr(s, '\n', len);
	return nl && nl > s && nl[-1] == '\r';
}

/* append @text, its line breaks as CRLF when @crlf */
static void add_text(struct gws_buf *b, const char *text, size_t len,
		     bool crlf)
{
	const char *p = text, *end = text + len, *nl;

	if (!crlf) {
		gws_buf_add(b, text, len);
		return;
	}
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		gws_buf_add(b, p, (size_t)(nl - p));
		gws_buf_add(b, "\r\n", 2);
		p = nl + 1;
	}
	gws_buf_add(b, p, (size_t)(end - p));
}

/* the documents that replace @d, without the first '---' line */
static int add_replacement(struct gws_buf *b, const struct mig_file *f,
			   const struct mig_doc *d)
{
	struct gws_val **docs = gws_xcalloc(d->nobjs + 1, sizeof(*docs));
	bool crlf = crlf_at(f->src.data, f->src.len, d->cstart);
	struct gws_buf t;
	size_t i, skip;
	int rc;

	for (i = 0; i < d->nobjs; i++)
		docs[i] = d->objs[i]->doc;
	gws_buf_init(&t);
	rc = gws_write_docs(&t, docs, d->nobjs, GWS_FORMAT_YAML);
	if (rc == 0) {
		skip = t.len >= 4 && !memcmp(t.data, "---\n", 4) ? 4 : 0;
		if (d->inline_start)
			add_text(b, "\n", 1, crlf);
		add_text(b, t.data + skip, t.len - skip, crlf);
	}
	gws_buf_release(&t);
	free(docs);
	return rc;
}

static void add_span(struct mig_file *f, size_t *cap, struct mig_span sp)
{
	gws_grow((void **)&f->spans, cap, f->nspans + 1, sizeof(*f->spans));
	f->spans[f->nspans++] = sp;
}

/*
 * a file that had no line break at its end (LF, or a lone CR) has none
 * after: drop the one the new text ends with. The last span grows to
 * cover what it takes: kept bytes before it (in both texts), or the end of
 * the new text of the span before it, which then becomes one span with it
 * (two removed documents in a row, or a removed one right after a
 * replaced one).
 */
static void keep_last_line_open(struct mig_file *f, struct gws_buf *b)
{
	size_t cut, d;
	struct mig_span *sp;

	if (!f->src.len || f->src.data[f->src.len - 1] == '\n' ||
	    f->src.data[f->src.len - 1] == '\r' || !b->len ||
	    b->data[b->len - 1] != '\n')
		return;
	cut = b->len >= 2 && b->data[b->len - 2] == '\r' ? 2 : 1;
	b->len -= cut;
	b->data[b->len] = '\0';
	if (!f->nspans)
		return;
	sp = &f->spans[f->nspans - 1];
	if (sp->b1 > b->len)
		sp->b1 = b->len;
	while (sp->b0 > b->len) {
		if (f->nspans > 1 && sp[-1].b1 > b->len) {
			sp[-1].a1 = sp->a1;
			sp[-1].b1 = b->len;
			f->nspans--;
			sp--;
			continue;
		}
		d = sp->b0 - b->len;
		sp->b0 -= d;
		sp->a0 -= d;
	}
}

static bool blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

bool mig_edits(const struct mig_file *f)
{
	size_t i;

	for (i = 0; !f->failed && i < f->ndocs; i++)
		if (f->docs[i].action == MIG_REPLACE ||
		    f->docs[i].action == MIG_REMOVE)
			return true;
	return false;
}

void mig_build(struct mig_file *f)
{
	const char *s = f->src.data;
	struct gws_buf b;
	size_t pos = 0, cap = 0, i, b0;

	gws_buf_init(&b);
	for (i = 0; i < f->ndocs; i++) {
		const struct mig_doc *d = &f->docs[i];

		if (d->action == MIG_REPLACE) {
			gws_buf_add(&b, s + pos, d->cstart - pos);
			b0 = b.len;
			if (add_replacement(&b, f, d) < 0) {
				gws_diag(&d->pos, "error", "cannot write the "
					 "objects of Ingress '%s'", d->id);
				f->failed = true;
				break;
			}
			add_span(f, &cap, (struct mig_span){ d->cstart, d->cend,
							     b0, b.len });
			pos = d->cend;
		} else if (d->action == MIG_REMOVE) {
			gws_buf_add(&b, s + pos, d->rstart - pos);
			add_span(f, &cap, (struct mig_span){ d->rstart, d->rend,
							     b.len, b.len });
			pos = d->rend;
		}
	}
	gws_buf_add(&b, s + pos, f->src.len - pos);
	keep_last_line_open(f, &b);
	if (f->failed || !f->nspans) {
		gws_buf_release(&b);
		return;
	}
	f->changed = true;
	f->removed = blank(b.data, b.len);
	f->out = gws_buf_detach(&b, &f->outlen);
}

/* ---- the platform objects: one file each in --gateway-dir ---- */

static char *file_name(const struct gws_object *o)
{
	char *kind = gws_xstrdup(o->kind), *p, *name;

	for (p = kind; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	name = gws_xasprintf("%s-%s.yaml", kind, o->name);
	free(kind);
	return name;
}

/* one platform object's file: new, the same, or different (left alone) */
static int gateway_file(struct mig_repo *r, const struct mig_opts *o,
			const struct gws_object *obj, const char *name)
{
	char *rel = gws_xasprintf("%s/%s", o->gateway_dir, name);
	struct gws_val *doc = obj->doc;
	struct mig_file *f;
	struct gws_buf b;
	bool err;
	int rc = 0;

	gws_buf_init(&b);
	f = mig_file_get(r, rel, true, &err);
	if (!f || gws_write_docs(&b, &doc, 1, GWS_FORMAT_YAML) < 0) {
		rc = -1;
	} else if (!f->exists) {
		f->changed = true;
		f->out = gws_buf_detach(&b, &f->outlen);
	} else if (f->src.len != b.len || memcmp(f->src.data, b.data, b.len)) {
		gws_diag_plain("error", "'%s' exists and is not the %s gwshift "
			       "makes now: left as it is (merge the two by "
			       "hand)", f->path, obj->kind);
		rc = -1;
	}
	gws_buf_release(&b);
	free(rel);
	return rc;
}

/* does a route of this run replace an Ingress of @r? */
static bool any_replaced(const struct mig_repo *r)
{
	size_t i, j;

	for (i = 0; i < r->n; i++)
		for (j = 0; j < r->files[i]->ndocs; j++)
			if (r->files[i]->docs[j].action == MIG_REPLACE &&
			    !r->files[i]->failed)
				return true;
	return false;
}

int mig_gateway_files(struct mig_repo *r, const struct mig_opts *o)
{
	char **names = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (!any_replaced(r)) {	/* no route to attach: no Gateway */
		mig_drop_platform(r);
		return mig_kust_update(r, o, NULL, 0);
	}
	for (i = 0; i < r->out.n; i++) {
		const struct gws_object *obj = &r->out.objs[i];

		if (obj->role != GWS_ROLE_PLATFORM)
			continue;
		names = gws_xrealloc(names, (n + 1) * sizeof(*names));
		names[n] = file_name(obj);
		if (gateway_file(r, o, obj, names[n]) < 0)
			rc = -1;
		n++;
	}
	if (mig_kust_update(r, o, (const char *const *)names, n) < 0)
		rc = -1;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc < 0)
		r->rc = mig_worst(r->rc, GWS_EXIT_INPUT);
	return rc;
}

/* ---- writing ---- */

/* the folders of a new file, made one by one (links were refused before) */
static int make_dirs(const struct mig_file *f)
{
	char *p = gws_xstrdup(f->path);
	size_t i, start = strlen(f->path) - strlen(f->rel);
	int rc = 0;

	for (i = start; p[i] && !rc; i++) {
		if (p[i] != '/')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			rc = -1;
		p[i] = '/';
	}
	free(p);
	return rc;
}

static int write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* write to a temporary name next to the file, keep its mode, rename */
static int write_atomic(const struct mig_file *f)
{
	const char *slash = strrchr(f->path, '/');
	int dl = slash ? (int)(slash - f->path) + 1 : 0, fd, err = 0;
	char *tmp = gws_xasprintf("%.*s.%s.gwshift-tmp-%ld", dl, f->path,
				  f->path + dl, (long)getpid());

	if (!f->exists && make_dirs(f) < 0)
		err = errno;
	fd = err ? -1 : open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			     0644);
	/* left over by an earlier run that had our pid */
	if (fd < 0 && !err && errno == EEXIST && unlink(tmp) == 0)
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && !err)
		err = errno;
	if (!err && ((f->exists && fchmod(fd, f->mode & 07777) < 0) ||
		     write_all(fd, f->out, f->outlen) < 0))
		err = errno ? errno : EIO;
	if (fd >= 0 && close(fd) < 0 && !err)
		err = errno;
	if (!err && rename(tmp, f->path) < 0)
		err = errno;
	if (err && fd >= 0)
		unlink(tmp);
	free(tmp);
	errno = err;
	return err ? -1 : 0;
}

void mig_commit(struct mig_file *f, bool dry_run)
{
	struct gws_buf b;
	int rc;

	if (dry_run) {
		gws_buf_init(&b);
		/*
		 * an absolute PATH: paths relative to the root folder. A
		 * removed file loses its white space outside the spans too.
		 */
		mig_udiff(&b, f->path + strspn(f->path, "/"),
			  f->exists ? f->mode : 0644,
			  f->exists ? f->src.data : NULL, f->src.len,
			  f->removed ? NULL : f->out, f->outlen,
			  f->removed ? NULL : f->spans,
			  f->removed ? 0 : f->nspans);
		f->report = gws_buf_detach(&b, &f->reportlen);
		return;
	}
	rc = f->removed ? unlink(f->path) : write_atomic(f);
	if (rc < 0) {
		gws_diag_plain("error", "cannot write '%s': %s", f->path,
			       strerror(errno));
		f->io_failed = true;
	}
}
