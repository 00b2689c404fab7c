/* The commit queue: launches and commits (launch.c, commit.c) both run on one writer thread.
 * Request threads put a job on the queue and wait; the writer takes every job waiting, runs
 * them in one store transaction (a savepoint each) and commits once: one fsync for many
 * learners' commits (group commit), and a job is answered only after that commit returned, so
 * every acknowledged commit is durable. One thread also means one owner per CMI state (cmi.h
 * states are not thread-safe), kept in a small cache between commits. */
#define _GNU_SOURCE /* pthread_setname_np */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commitq.h"
#include "common.h"

struct cache_entry *cache_get(commitq *q, int64_t attempt_id, const char *item)
{
	for (size_t i = 0; i < q->ncache; i++)
		if (q->cache[i].attempt_id == attempt_id && strcmp(q->cache[i].item, item) == 0)
			return &q->cache[i];
	return NULL;
}

void cache_drop_at(commitq *q, size_t i)
{
	free(q->cache[i].item);
	cmi_state_free(q->cache[i].st);
	q->cache[i] = q->cache[--q->ncache];
}

void cache_drop(commitq *q, struct cache_entry *e)
{
	cache_drop_at(q, (size_t)(e - q->cache));
}

/* Adds a state (ownership moves to the cache). Returns the entry or NULL (state freed). */
struct cache_entry *cache_put(commitq *q, int64_t attempt_id, const char *item,
				     cmi_state *st, int64_t learner_id, const rt_pkg *pkg, int64_t seq)
{
	if (q->ncache == CQ_CACHE_MAX) {
		/* Full: forget the entries not touched by the running batch. */
		for (size_t i = q->ncache; i-- > 0;)
			if (!q->cache[i].dirty_in_batch)
				cache_drop_at(q, i);
		if (q->ncache == CQ_CACHE_MAX) {
			cmi_state_free(st);
			return NULL;
		}
	}
	struct cache_entry *e = &q->cache[q->ncache];
	memset(e, 0, sizeof *e);
	if (!(e->item = strdup(item))) {
		cmi_state_free(st);
		return NULL;
	}
	e->attempt_id = attempt_id;
	e->st = st;
	e->learner_id = learner_id;
	e->pkg = pkg;
	e->seq = seq;
	q->ncache++;
	return e;
}

double mono_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct recent_session *recent_find(commitq *q, int64_t attempt_id, const char *item)
{
	for (size_t i = 0; i < CQ_RECENT; i++)
		if (q->recent[i].item && q->recent[i].attempt_id == attempt_id &&
		    strcmp(q->recent[i].item, item) == 0)
			return &q->recent[i];
	return NULL;
}

/* Records that a session of this SCO is open or ended (call with q->lock held). Out of memory,
 * it is not recorded: a launch then does not wait for it (settle), as for an unknown session. */
void note_session(commitq *q, int64_t attempt_id, const char *item, int open)
{
	struct recent_session *slot = recent_find(q, attempt_id, item);
	if (!slot) {
		char *copy = strdup(item);
		if (!copy)
			return;
		slot = &q->recent[q->recent_next];
		q->recent_next = (q->recent_next + 1) % CQ_RECENT;
		free(slot->item);
		slot->item = copy;
		slot->attempt_id = attempt_id;
	}
	slot->open = open;
	slot->at = mono_now();
}

/* Loads (or creates, for a launch) the CMI state of one SCO of an attempt. */
int load_state(commitq *q, int64_t attempt_id, const char *item, int64_t learner_id,
		      const rt_pkg *pkg, struct cache_entry **out)
{
	*out = cache_get(q, attempt_id, item);
	if (*out)
		return 0;
	char *json = NULL;
	int64_t seq, rev;
	int rc = q->app->st->ops->sco_get(q->app->st, attempt_id, item, &json, &seq, &rev);
	if (rc)
		return rc;
	if (!json)
		return PC_ENOTFOUND;
	cmi_state *st = NULL;
	char err[160];
	rc = cmi_state_from_json(&st, json, strlen(json), err, sizeof err);
	free(json);
	if (rc)
		return rc;
	*out = cache_put(q, attempt_id, item, st, learner_id, pkg, seq);
	if (*out)
		(*out)->rev = rev;
	return *out ? 0 : PC_ENOMEM;
}

/* What the writer runs for each kind of job. */
static void (*const run_job[])(commitq *q, cq_job *j) = {
	[JOB_LAUNCH] = run_launch,
	[JOB_COMMIT] = run_commit,
	[JOB_NAV] = run_nav,
};

static void *writer(void *arg)
{
	commitq *q = arg;
	rt_app *app = q->app;
	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (!q->head && !q->stop)
			pthread_cond_wait(&q->wake, &q->lock);
		if (!q->head && q->stop) {
			pthread_mutex_unlock(&q->lock);
			break;
		}
		/* Take up to CQ_BATCH_MAX jobs; later arrivals wait for the next batch. */
		cq_job *batch = q->head, *last = q->head;
		size_t n = 1;
		while (last->next && n < CQ_BATCH_MAX) {
			last = last->next;
			n++;
		}
		q->head = last->next;
		if (!q->head)
			q->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&q->lock);

		int brc = app->st->ops->batch_begin(app->st);
		int began = brc == 0;
		char why[160] = "";
		if (!began)
			app_store_failed(app, brc, "the store is not writable", why, sizeof why);
		for (cq_job *j = batch; j; j = j->next) {
			if (!began) {
				j->status = 503;
				snprintf(j->detail, sizeof j->detail, "%s", why);
				continue;
			}
			run_job[j->kind](q, j);
		}
		if (began && (brc = app->st->ops->batch_end(app->st, 1)) != 0)
			app_store_failed(app, brc, "the transaction failed", why, sizeof why);
		int ok = began && brc == 0;
		int wrote = 0;
		for (cq_job *j = batch; j; j = j->next)
			wrote |= j->wrote;
		if (ok && wrote)
			app_store_ok(app);
		for (size_t i = q->ncache; i-- > 0;) {
			if (!ok && q->cache[i].dirty_in_batch)
				cache_drop_at(q, i);
			else
				q->cache[i].dirty_in_batch = 0;
		}
		seq_after_batch(q, ok);
		atomic_fetch_add(&app->commit_batches, 1);
		/* A job may be freed by its owner as soon as it is marked done: read everything
		 * needed first, and call the notifications after letting go of the lock. */
		void (*notify[CQ_BATCH_MAX])(void *);
		void *notify_ctx[CQ_BATCH_MAX];
		size_t nnotify = 0;
		pthread_mutex_lock(&q->lock);
		for (cq_job *j = batch, *next; j; j = next) {
			next = j->next;
			if (!ok && j->wrote) {
				j->status = brc == PC_ENOSPC ? 503 : 500;
				snprintf(j->detail, sizeof j->detail, "%s", why);
			}
			if (j->kind == JOB_COMMIT)
				atomic_fetch_add(j->status == 200 ? &app->commits_ok : &app->commits_failed, 1);
			if (j->notify) {
				notify[nnotify] = j->notify;
				notify_ctx[nnotify++] = j->notify_ctx;
			}
			j->done = 1;
		}
		pthread_cond_broadcast(&q->done);
		pthread_mutex_unlock(&q->lock);
		for (size_t i = 0; i < nnotify; i++)
			notify[i](notify_ctx[i]);
	}
	return NULL;
}

/* Queues a job. Without a notify callback, waits until the writer has answered it (and made
 * it durable); with one, returns at once and the callback says when. */
void submit(commitq *q, cq_job *j)
{
	pthread_mutex_lock(&q->lock);
	j->next = NULL;
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	pthread_cond_signal(&q->wake);
	while (!j->notify && !j->done)
		pthread_cond_wait(&q->done, &q->lock);
	pthread_mutex_unlock(&q->lock);
}

int commitq_new(commitq **out, rt_app *app)
{
	*out = NULL;
	commitq *q = calloc(1, sizeof *q);
	if (!q)
		return PC_ENOMEM;
	q->cache = calloc(CQ_CACHE_MAX, sizeof *q->cache);
	if (!q->cache) {
		free(q);
		return PC_ENOMEM;
	}
	q->seqs = calloc(CQ_SEQ_MAX, sizeof *q->seqs);
	if (!q->seqs) {
		free(q->cache);
		free(q);
		return PC_ENOMEM;
	}
	q->app = app;
	buf_init(&q->state, 0);
	buf_init(&q->seqtext, 0);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	pthread_cond_init(&q->done, NULL);
	if (pthread_create(&q->thread, NULL, writer, q) != 0) {
		free(q->seqs);
		free(q->cache);
		free(q);
		return PC_ENOMEM;
	}
	pthread_setname_np(q->thread, "pc-commit"); /* for top -H and perf */
	*out = q;
	return 0;
}

void commitq_free(commitq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->stop = 1;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	commitq_forget(q); /* the cache and the recent sessions */
	free(q->cache);
	seq_cache_free(q);
	buf_free(&q->state);
	buf_free(&q->seqtext);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->wake);
	pthread_cond_destroy(&q->done);
	free(q);
}

void commitq_forget(commitq *q)
{
	pthread_mutex_lock(&q->lock);
	while (q->ncache)
		cache_drop_at(q, q->ncache - 1);
	while (q->nseqs)
		seq_forget(q, q->seqs[q->nseqs - 1].attempt_id);
	for (size_t i = 0; i < CQ_RECENT; i++)
		free(q->recent[i].item);
	memset(q->recent, 0, sizeof q->recent);
	q->recent_next = 0;
	pthread_mutex_unlock(&q->lock);
}

/* A page being reloaded (or left for the next part) sends its final commit as a beacon at about
 * the time the new page asks for its launch; starting the new session first would turn that
 * beacon away. So a launch waits, for up to WAIT seconds, while this SCO's session is open and
 * was active in the last ACTIVE seconds. Returns at once in every other case. */
#define SETTLE_ACTIVE 10.0
#define SETTLE_WAIT 3.0
void settle(commitq *q, int64_t attempt_id, const char *item)
{
	double until = mono_now() + SETTLE_WAIT;
	for (;;) {
		int busy = 0;
		pthread_mutex_lock(&q->lock);
		const struct recent_session *r = recent_find(q, attempt_id, item);
		busy = r && r->open && mono_now() - r->at < SETTLE_ACTIVE;
		pthread_mutex_unlock(&q->lock);
		if (!busy || mono_now() > until)
			return;
		nanosleep(&(struct timespec){0, 25 * 1000 * 1000}, NULL);
	}
}

