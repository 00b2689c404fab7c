/* Per-learner quotas on commits (see quota.h): a small hash table of learners, each with a
 * token bucket and an estimate of their stored bytes that is read again from the store after
 * every QUOTA_RECHECK_BYTES accepted or QUOTA_RECHECK_MS (so a prune or an erase elsewhere is
 * seen, and several nodes together overshoot by at most that much each). */
#include "quota.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define QUOTA_RECHECK_BYTES ((int64_t)1 << 20)
#define QUOTA_RECHECK_MS 60000u
#define QUOTA_BUCKETS 1024 /* chains, not a cap: every learner who commits gets an entry */

struct entry {
	struct entry *next;
	int64_t learner_id;
	double tokens;      /* commits allowed now */
	uint64_t refilled;  /* when tokens was last brought up to date */
	int64_t stored;     /* bytes the store reported at the last check */
	int64_t since;      /* bytes accepted since */
	uint64_t checked;   /* when; 0 = never */
};

struct quota {
	pthread_mutex_t lock;
	unsigned per_minute;
	int64_t max_bytes;
	quota_usage_fn usage;
	void *usage_ctx;
	size_t n; /* entries: quota_clear walks the buckets only when there are some */
	struct entry *buckets[QUOTA_BUCKETS];
};

int quota_new(quota **out, unsigned per_minute, int64_t max_bytes, quota_usage_fn usage,
	      void *usage_ctx)
{
	*out = NULL;
	quota *q = calloc(1, sizeof *q);
	if (!q)
		return PC_ENOMEM;
	pthread_mutex_init(&q->lock, NULL);
	q->per_minute = per_minute ? per_minute : 1;
	q->max_bytes = max_bytes;
	q->usage = usage;
	q->usage_ctx = usage_ctx;
	*out = q;
	return 0;
}

void quota_clear(quota *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	for (size_t i = 0; q->n && i < QUOTA_BUCKETS; i++) {
		while (q->buckets[i]) {
			struct entry *e = q->buckets[i];
			q->buckets[i] = e->next;
			free(e);
		}
	}
	q->n = 0;
	pthread_mutex_unlock(&q->lock);
}

void quota_free(quota *q)
{
	if (!q)
		return;
	quota_clear(q);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

static struct entry *entry_of(quota *q, int64_t learner_id, uint64_t now)
{
	size_t h = (size_t)((uint64_t)learner_id * 0x9E3779B97F4A7C15ULL >> 54) % QUOTA_BUCKETS;
	for (struct entry *e = q->buckets[h]; e; e = e->next)
		if (e->learner_id == learner_id)
			return e;
	struct entry *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->learner_id = learner_id;
	e->tokens = q->per_minute; /* a full bucket: a minute's worth at once */
	e->refilled = now;
	e->next = q->buckets[h];
	q->buckets[h] = e;
	q->n++;
	return e;
}

quota_verdict quota_commit(quota *q, int64_t learner_id, size_t bytes, uint64_t now_ms,
			   unsigned *retry_after)
{
	*retry_after = 0;
	quota_verdict v = QUOTA_OK;
	pthread_mutex_lock(&q->lock);
	struct entry *e = entry_of(q, learner_id, now_ms);
	if (!e) {
		pthread_mutex_unlock(&q->lock);
		return QUOTA_STORE;
	}
	if (now_ms > e->refilled) {
		e->tokens += (double)(now_ms - e->refilled) * q->per_minute / 60000.0;
		if (e->tokens > q->per_minute)
			e->tokens = q->per_minute;
		e->refilled = now_ms;
	}
	if (e->tokens < 1.0) {
		double wait_ms = (1.0 - e->tokens) * 60000.0 / q->per_minute;
		*retry_after = (unsigned)(wait_ms / 1000.0) + 1;
		pthread_mutex_unlock(&q->lock);
		return QUOTA_RATE;
	}
	int recheck = !e->checked || e->since >= QUOTA_RECHECK_BYTES ||
		      now_ms - e->checked >= QUOTA_RECHECK_MS;
	pthread_mutex_unlock(&q->lock);
	int64_t stored = 0;
	/* Outside the lock: the store may be busy with a group commit, and other learners must
	 * not wait for it. Entries are freed only by quota_clear, with no request in flight. */
	if (recheck && q->usage(q->usage_ctx, learner_id, &stored) != 0)
		return QUOTA_STORE;
	pthread_mutex_lock(&q->lock);
	if (recheck) {
		e->stored = stored;
		e->since = 0;
		e->checked = now_ms ? now_ms : 1;
	}
	if (e->stored + e->since + (int64_t)bytes > q->max_bytes) {
		v = QUOTA_BYTES;
	} else if (e->tokens < 1.0) {
		v = QUOTA_RATE; /* another commit took the last token meanwhile */
		*retry_after = 1;
	} else {
		e->tokens -= 1.0;
		e->since += (int64_t)bytes;
	}
	pthread_mutex_unlock(&q->lock);
	return v;
}

unsigned quota_per_minute(const quota *q)
{
	return q->per_minute;
}

int64_t quota_max_bytes(const quota *q)
{
	return q->max_bytes;
}
