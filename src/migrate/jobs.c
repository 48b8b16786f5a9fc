/* jobs.c - files spread over threads, progress on a terminal */
/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "banned.h"

#define MAX_THREADS 256
#define WINDOW_PER_JOB 32	/* files parsed ahead of the loader, per job */

/* struct pool - one parallel run: the items, who takes the next, progress */
struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* an item is done, or the window moved */
	size_t n;
	size_t next;		/* the first item nobody took */
	size_t done;
	size_t consumed;	/* pipeline: items handed to the consumer */
	size_t window;		/* 0: no window */
	size_t chunk;		/* parallel for: items taken at a time */
	unsigned char *ready;
	void (*fn)(void *, size_t);
	void *arg;
	const char *what;
	struct timespec shown;
};

static bool progress_shown;

static bool on_terminal(void)
{
	static int tty = -1;

	if (tty < 0)
		tty = isatty(STDERR_FILENO) ? 1 : 0;
	return tty == 1;
}

/* the progress line, at most every 100 ms; called with the lock held */
static void progress(struct pool *p)
{
	struct timespec now;
	long ms;

	if (!p->what || !on_terminal())
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - p->shown.tv_sec) * 1000 +
	     (now.tv_nsec - p->shown.tv_nsec) / 1000000;
	if (ms < 100 && p->done < p->n)
		return;
	p->shown = now;
	fprintf(stderr, "\rgwshift: %s %zu/%zu files", p->what, p->done, p->n);
	fflush(stderr);
	progress_shown = true;
}

void mig_progress_clear(void)
{
	if (!progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	progress_shown = false;
}

/* take the next item, or SIZE_MAX when none is left; lock held */
static size_t take(struct pool *p)
{
	while (p->window && p->next < p->n &&
	       p->next >= p->consumed + p->window)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->next >= p->n)
		return SIZE_MAX;
	return p->next++;
}

/* run item @i with the lock released, then mark it done */
static void run_item(struct pool *p, size_t i)
{
	pthread_mutex_unlock(&p->mu);
	p->fn(p->arg, i);
	pthread_mutex_lock(&p->mu);
	if (p->ready)
		p->ready[i] = 1;
	p->done++;
	progress(p);
	pthread_cond_broadcast(&p->cv);
}

/*
 * take items a chunk at a time: files are sorted by path, so threads that
 * write in different folders do not wait on each other's folder locks
 */
static void *worker(void *arg)
{
	struct pool *p = arg;
	size_t i, end;

	pthread_mutex_lock(&p->mu);
	while ((i = take(p)) != SIZE_MAX) {
		end = p->chunk > 1 && i + p->chunk <= p->n ? i + p->chunk :
		      i + 1;
		if (end > i + 1)
			p->next = end;
		for (; i < end; i++)
			run_item(p, i);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* start up to @jobs - 1 workers (the caller is one more); returns how many */
static unsigned start(struct pool *p, unsigned jobs, pthread_t *tids)
{
	unsigned t, want = jobs > MAX_THREADS ? MAX_THREADS : jobs;

	if (want > p->n)
		want = p->n ? (unsigned)p->n : 1;
	for (t = 0; t + 1 < want; t++)
		if (pthread_create(&tids[t], NULL, worker, p) != 0)
			break;
	return t;
}

static void pool_init(struct pool *p, size_t n, void (*fn)(void *, size_t),
		      void *arg, const char *what)
{
	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->n = n;
	p->fn = fn;
	p->arg = arg;
	p->what = what;
}

static void pool_finish(struct pool *p, pthread_t *tids, unsigned nt)
{
	unsigned t;

	for (t = 0; t < nt; t++)
		pthread_join(tids[t], NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p->ready);
}

void mig_parallel(size_t n, unsigned jobs, void (*fn)(void *, size_t),
		  void *arg, const char *what)
{
	pthread_t tids[MAX_THREADS];
	struct pool p;
	unsigned nt;

	pool_init(&p, n, fn, arg, what);
	p.chunk = jobs > 1 ? n / ((size_t)jobs * 16) : 1;
	nt = start(&p, jobs, tids);
	worker(&p);
	pool_finish(&p, tids, nt);
}

/*
 * the consumer's turn for item @i: until it is ready, the consumer makes
 * items itself (the next free one, @i or one after it in the window)
 */
static void wait_ready(struct pool *p, size_t i)
{
	size_t k;

	pthread_mutex_lock(&p->mu);
	while (!p->ready[i]) {
		if (p->next < p->n && p->next < p->consumed + p->window) {
			k = p->next++;
			run_item(p, k);
		} else {
			pthread_cond_wait(&p->cv, &p->mu);
		}
	}
	pthread_mutex_unlock(&p->mu);
}

void mig_pipeline(size_t n, unsigned jobs, void (*produce)(void *, size_t),
		  void (*consume)(void *, size_t), void *arg,
		  const char *what)
{
	pthread_t tids[MAX_THREADS];
	struct pool p;
	unsigned nt;
	size_t i;

	pool_init(&p, n, produce, arg, what);
	p.ready = gws_xcalloc(n + 1, 1);
	p.window = (size_t)(jobs ? jobs : 1) * WINDOW_PER_JOB;
	nt = start(&p, jobs, tids);
	for (i = 0; i < n; i++) {
		wait_ready(&p, i);
		consume(arg, i);
		pthread_mutex_lock(&p.mu);
		p.consumed = i + 1;
		pthread_cond_broadcast(&p.cv);
		pthread_mutex_unlock(&p.mu);
	}
	pool_finish(&p, tids, nt);
}

void mig_capture_begin(struct mig_capture *c)
{
	memset(c, 0, sizeof(*c));
	c->fp = open_memstream(&c->buf, &c->len);
	c->prev = gws_diag_set_stream(c->fp);
}

void mig_capture_end(struct mig_capture *c, char **buf, size_t *len)
{
	gws_diag_set_stream(c->prev);
	if (c->fp)
		fclose(c->fp);
	if (c->buf && c->len && *buf) {
		*buf = gws_xrealloc(*buf, *len + c->len + 1);
		memcpy(*buf + *len, c->buf, c->len + 1);
		*len += c->len;
	} else if (c->buf && c->len) {
		*buf = c->buf;
		*len = c->len;
		return;
	}
	free(c->buf);
}

void mig_print_captured(char **buf, size_t *len)
{
	if (*buf) {
		mig_progress_clear();
		fwrite(*buf, 1, *len, stderr);
	}
	free(*buf);
	*buf = NULL;
	*len = 0;
}
