/* Per-learner quotas on commits (team mode): a rate (a token bucket per learner) and the bytes
 * a learner's records may take in the store (their journal: every commit as it came). Without
 * them one learner, or a package acting in their name, could flood the writer or grow the
 * database without end. The store counts each learner's bytes (learners.stored_bytes); this
 * keeps an estimate between reads of it. Per node: with several nodes each counts its own
 * rate, and the bytes come from the one store. */
#ifndef POSTCARD_QUOTA_H
#define POSTCARD_QUOTA_H

#include <stddef.h>
#include <stdint.h>

typedef struct quota quota;

/* A learner's stored bytes as the store has them now: 0 or an error code. */
typedef int (*quota_usage_fn)(void *ctx, int64_t learner_id, int64_t *bytes);

/* per_minute commits a minute per learner, in bursts of at most that many; max_bytes stored
 * per learner. Returns 0 or PC_ENOMEM (*out NULL). */
int quota_new(quota **out, unsigned per_minute, int64_t max_bytes, quota_usage_fn usage,
	      void *usage_ctx);
void quota_free(quota *q); /* accepts NULL */
/* Forgets every learner (app_forget). */
void quota_clear(quota *q);

typedef enum quota_verdict {
	QUOTA_OK = 0,
	QUOTA_RATE,  /* too many commits just now: try again in *retry_after seconds */
	QUOTA_BYTES, /* the learner's records are at their size limit */
	QUOTA_STORE, /* the store could not say how much the learner has stored */
} quota_verdict;

/* Whether learner_id may commit `bytes` more at now_ms (monotonic milliseconds). An accepted
 * commit is counted (a token spent, its bytes added to the estimate). Thread-safe. */
quota_verdict quota_commit(quota *q, int64_t learner_id, size_t bytes, uint64_t now_ms,
			   unsigned *retry_after);
/* The limits, for error messages. */
unsigned quota_per_minute(const quota *q);
int64_t quota_max_bytes(const quota *q);

#endif
