/* output.c - the generated objects, written as YAML while they are made */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE	/* O_TMPFILE */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gwshift/map.h"
#include "gwshift/util.h"
#include "gwshift/write.h"
#include "banned.h"

/*
 * Writing YAML costs more than mapping: convert hands each object, as soon
 * as map has made it, to writer threads, which write its text and free its
 * tree. The queue is short, so map waits when the writers are behind and
 * at most QUEUE trees wait at any time. The text of an object depends on
 * its tree alone: the output is the same whatever the threads' order.
 */
#define QUEUE 64
#define MAX_THREADS 256

struct job {
	struct gws_val *doc;
	struct gws_text *text;
};

struct gws_emitters {
	pthread_mutex_t mu;
	pthread_cond_t work;	/* a job was queued, or stop */
	pthread_cond_t room;	/* a job was taken */
	struct job ring[QUEUE];
	size_t head;
	size_t count;
	bool stop;
	pthread_t tids[MAX_THREADS];
	unsigned nt;
	struct gws_output *out;	/* its spool and spool end, under mu */
};

/* write @b's @len bytes at @off of @fd; Returns: 0, or -1 */
static int spool_write(int fd, const char *b, size_t len, long long off)
{
	ssize_t n;

	while (len > 0) {
		n = pwrite(fd, b, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		b += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

/* move @text's data into the spool, if there is one and room in it */
static void spool(struct gws_emitters *em, struct gws_text *text)
{
	long long off;

	if (em->out->spool < 0)
		return;
	if (em->nt)
		pthread_mutex_lock(&em->mu);
	off = em->out->spooled;
	em->out->spooled += (long long)text->len;
	if (em->nt)
		pthread_mutex_unlock(&em->mu);
	/* (a failed write leaves a hole in the spool, and the text here) */
	if (spool_write(em->out->spool, text->data, text->len, off) == 0) {
		free(text->data);
		text->data = NULL;
		text->off = off;
	}
}

/* write @doc's YAML into @text and free @doc */
static void emit(struct gws_emitters *em, struct gws_val *doc,
		 struct gws_text *text)
{
	struct gws_buf b, errs;

	gws_buf_init(&b);
	gws_buf_init(&errs);
	if (gws_write_yaml_doc(&b, doc, &errs) < 0) {
		gws_buf_release(&b);
		if (!errs.len)
			gws_buf_adds(&errs, "gwshift: error: cannot write a "
				     "generated object\n");
		text->err = gws_buf_detach(&errs, NULL);
	} else {
		text->data = gws_buf_detach(&b, &text->len);
		gws_buf_release(&errs);
		gws_val_destroy(doc);
		spool(em, text);
		if (text->data)
			text->data = gws_xrealloc(text->data, text->len + 1);
		return;
	}
	gws_val_destroy(doc);
}

static void *worker(void *arg)
{
	struct gws_emitters *em = arg;
	struct job j;

	for (;;) {
		pthread_mutex_lock(&em->mu);
		while (!em->count && !em->stop)
			pthread_cond_wait(&em->work, &em->mu);
		if (!em->count) {
			pthread_mutex_unlock(&em->mu);
			return NULL;
		}
		j = em->ring[em->head];
		em->head = (em->head + 1) % QUEUE;
		em->count--;
		pthread_cond_signal(&em->room);
		pthread_mutex_unlock(&em->mu);
		emit(em, j.doc, j.text);
	}
}

static void queue(struct gws_emitters *em, struct gws_val *doc,
		  struct gws_text *text)
{
	if (!em->nt) {
		emit(em, doc, text);
		return;
	}
	pthread_mutex_lock(&em->mu);
	while (em->count == QUEUE)
		pthread_cond_wait(&em->room, &em->mu);
	em->ring[(em->head + em->count) % QUEUE] = (struct job){ doc, text };
	em->count++;
	pthread_cond_signal(&em->work);
	pthread_mutex_unlock(&em->mu);
}

void gws_output_init(struct gws_output *out)
{
	memset(out, 0, sizeof(*out));
	out->spool = -1;
}

int gws_output_spool(struct gws_output *out, const char *dir)
{
	if (out->spool < 0)
		out->spool = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	return out->spool < 0 ? -1 : 0;
}

void gws_output_stream(struct gws_output *out, unsigned threads)
{
	struct gws_emitters *em = gws_xcalloc(1, sizeof(*em));

	pthread_mutex_init(&em->mu, NULL);
	pthread_cond_init(&em->work, NULL);
	pthread_cond_init(&em->room, NULL);
	em->out = out;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	/* a thread that cannot start leaves the work to the others */
	while (em->nt < threads &&
	       pthread_create(&em->tids[em->nt], NULL, worker, em) == 0)
		em->nt++;
	out->em = em;
}

void gws_output_wait(struct gws_output *out)
{
	struct gws_emitters *em = out->em;
	unsigned t;

	if (!em)
		return;
	pthread_mutex_lock(&em->mu);
	em->stop = true;
	pthread_cond_broadcast(&em->work);
	pthread_mutex_unlock(&em->mu);
	for (t = 0; t < em->nt; t++)
		pthread_join(em->tids[t], NULL);
	pthread_cond_destroy(&em->room);
	pthread_cond_destroy(&em->work);
	pthread_mutex_destroy(&em->mu);
	free(em);
	out->em = NULL;
}

void gws_output_release(struct gws_output *out)
{
	size_t i;

	if (!out)
		return;
	gws_output_wait(out);
	for (i = 0; i < out->n; i++) {
		struct gws_object *o = &out->objs[i];

		gws_val_destroy(o->doc);
		if (o->text) {
			free(o->text->data);
			free(o->text->err);
			free(o->text);
		}
	}
	free(out->objs);
	if (out->spool >= 0)
		close(out->spool);
	memset(out, 0, sizeof(*out));
	out->spool = -1;
}

/*
 * the object's text, with its kind, namespace and name copied behind it
 * (the tree goes away): one allocation an object
 */
static struct gws_text *new_text(struct gws_object *o)
{
	size_t lk = strlen(o->kind) + 1, ln = o->ns ? strlen(o->ns) + 1 : 0;
	size_t lm = strlen(o->name) + 1;
	struct gws_text *t = gws_xcalloc(1, sizeof(*t) + lk + ln + lm);
	char *p = (char *)(t + 1);

	o->kind = memcpy(p, o->kind, lk);
	if (o->ns)
		o->ns = memcpy(p + lk, o->ns, ln);
	o->name = memcpy(p + lk + ln, o->name, lm);
	return t;
}

struct gws_object *gws_output_add(struct gws_output *out, struct gws_val *doc,
				  enum gws_role role)
{
	struct gws_object *o;
	const struct gws_val *md = gws_val_get(doc, "metadata");

	gws_grow((void **)&out->objs, &out->cap, out->n + 1, sizeof(*out->objs));
	o = &out->objs[out->n++];
	memset(o, 0, sizeof(*o));
	o->doc = doc;
	o->role = role;
	o->kind = gws_val_get_str(doc, "kind");
	o->ns = gws_val_get_str(md, "namespace");
	o->name = gws_val_get_str(md, "name");
	if (out->em) {
		o->text = new_text(o);
		o->doc = NULL;
		queue(out->em, doc, o->text);
	}
	return o;
}

static int cmp_object(const void *a, const void *b)
{
	const struct gws_object *x = a, *y = b;
	int c;

	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	if ((c = gws_strcmp_null(x->ns, y->ns)) != 0)
		return c;
	if ((c = strcmp(x->kind, y->kind)) != 0)
		return c;
	return strcmp(x->name, y->name);
}

void gws_output_sort(struct gws_output *out)
{
	if (out->n)
		gws_sort(out->objs, out->n, sizeof(*out->objs), cmp_object);
}
