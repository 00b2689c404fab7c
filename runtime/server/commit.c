/* Committing: POST /l/<token>/commit (content.c) parses the adapter's envelope on the request
 * thread and parks the request; the writer applies it with the C data model (cmi_commit_apply
 * re-validates every value and applies each journal entry exactly once), stores the result in
 * its group commit and only then answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commitq.h"
#include "common.h"
#include "quota.h"

/* One try at a commit job. Returns 1 when the job must run again on a state reloaded from the
 * store: its fenced write lost (another node wrote this SCO since this one cached it), or a
 * cached state refused the commit (a stale cache would refuse a session another node began). */
static int commit_once(commitq *q, cq_job *j, int last_try)
{
	rt_app *app = q->app;
	store *s = app->st;
	j->status = 500;
	struct cache_entry *e = cache_get(q, j->attempt_id, j->item);
	int cached = e != NULL;
	if (!e) {
		int64_t owner;
		char *package = NULL, *hash = NULL;
		int rc = s->ops->attempt_owner(s, j->attempt_id, &owner, &package, &hash);
		const rt_pkg *pkg = NULL;
		if (rc == 0)
			rc = app_load_version(app, package, hash, 0, &pkg);
		free(package);
		free(hash);
		if (rc == PC_ENOTFOUND) {
			j->status = 404;
			snprintf(j->detail, sizeof j->detail, "no such attempt");
			return 0;
		}
		if (rc)
			return 0;
		rc = load_state(q, j->attempt_id, j->item, owner, pkg, &e);
		if (rc == PC_ENOTFOUND) {
			j->status = 404;
			snprintf(j->detail, sizeof j->detail, "this SCO was never launched in this attempt");
			return 0;
		}
		if (rc)
			return 0;
	}
	if (e->learner_id != j->learner_id) {
		j->status = 403;
		snprintf(j->detail, sizeof j->detail, "this attempt belongs to another learner");
		return 0;
	}
	cmi_commit_result res;
	memset(&res, 0, sizeof res);
	buf_reset(&j->out);
	/* The state may change below; mark it so a failed batch forgets it. */
	e->dirty_in_batch = 1;
	int rc = cmi_commit_apply(e->st, j->req, &j->out, &res);
	if (rc == PC_EFORMAT) {
		j->status = 400;
		return 0;
	}
	if (rc)
		return 0;
	if (res.error_code && cached && !last_try && app->shared_store) {
		cache_drop(q, e); /* ask the store: another node may have moved this SCO on */
		return 1;
	}
	j->status = 200;
	/* A repeat (the next page resending a stash, a beacon after its keepalive twin) says nothing
	 * about the session: after the end it must not mark it open again, or the next launch would
	 * wait for a session that is over (settle). */
	if (!res.duplicate || res.terminated) {
		pthread_mutex_lock(&q->lock);
		note_session(q, j->attempt_id, j->item, !res.terminated);
		pthread_mutex_unlock(&q->lock);
	}
	if (res.duplicate && !res.terminated)
		return 0; /* nothing new to store: already durable */
	j->wrote = 1;
	if ((rc = shared_data_write(s, e->learner_id, e->pkg, j->attempt_id, e->st)) != 0) {
		j->status = 500;
		app_store_failed(app, rc, "the shared data could not be stored", j->detail,
				 sizeof j->detail);
		cache_drop(q, e); /* ahead of the store now: reload it, the adapter resends */
		return 0;
	}
	char *body = strndup(j->body, j->body_len);
	if (!body) {
		j->status = 500;
		return 0;
	}
	/* SCORM 2004 with sequencing: what the SCO set reaches the tracking model (which decides
	 * when the attempt ends), first, so that a lost fence there leaves nothing of this job
	 * written; otherwise the attempt ends once every part has. */
	rc = e->pkg->tree ? seq_commit(q, e, &res) : 0;
	if (rc == 0)
		rc = store_state(q, e, (int64_t)res.seq, body, buf_cstr(&j->out), &res, 0);
	free(body);
	if (rc == 0 && !e->pkg->tree && res.terminated)
		rc = maybe_close_attempt(q, j->attempt_id, e->pkg);
	if (rc) {
		/* The state in memory is ahead of the store now: reload it next time. */
		if (e->pkg->tree)
			seq_forget(q, j->attempt_id);
		cache_drop(q, e);
		if (rc == PC_ECONFLICT && !last_try)
			return 1;
		j->status = rc == PC_ECONFLICT ? 503 : 500;
		app_store_failed(app, rc, "the commit could not be stored", j->detail, sizeof j->detail);
	}
	return 0;
}

void run_commit(commitq *q, cq_job *j)
{
	for (int t = 1; commit_once(q, j, t == CQ_CONFLICT_TRIES); t++)
		;
}

/* A commit parked while its group commit runs (see http_deferred). */
typedef struct commit_wait {
	http_deferred base;
	rt_app *app;
	cq_job j;
	char item[512];
} commit_wait;

static void commit_answer(cq_job *j, http_response *resp)
{
	if (j->status == 200 || (j->status == 400 && j->out.len)) {
		resp->status = j->status;
		resp->content_type = "application/json";
		buf_put(&resp->body, buf_cstr(&j->out), j->out.len);
	} else {
		http_error(resp, j->status, j->detail[0] ? j->detail : "the commit could not be stored");
	}
	http_header_add(resp, "Cache-Control", "no-store");
}

static void commit_start(http_deferred *d, void (*done)(void *ctx), void *ctx)
{
	commit_wait *w = (commit_wait *)d;
	w->j.notify = done;
	w->j.notify_ctx = ctx;
	submit(w->app->cq, &w->j);
}

static void commit_finish(http_deferred *d, http_response *resp)
{
	commit_wait *w = (commit_wait *)d;
	commit_answer(&w->j, resp);
	buf_free(&w->j.out);
	cmi_commit_req_free(w->j.req);
	free(w);
}

/* Team mode: whether the learner may commit this now (quota.h); fills resp when not. Refused
 * commits are answered in the error shape, which the adapter retries with its back-off (a
 * rate refusal passes; a full quota stays until an admin prunes, erases or raises it). */
static int commit_within_quota(rt_app *app, int64_t learner_id, size_t bytes, http_response *resp)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	uint64_t now = (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
	unsigned after = 0;
	switch (quota_commit(app->quota, learner_id, bytes, now, &after)) {
	case QUOTA_OK:
		return 1;
	case QUOTA_RATE:
		http_errorf(resp, 429,
			    "too many commits: at most %u a minute per learner; try again in %u s",
			    quota_per_minute(app->quota), after);
		http_header_add(resp, "Retry-After", "%u", after);
		break;
	case QUOTA_BYTES:
		http_errorf(resp, 507,
			    "this learner's records have reached their limit of %lld MiB: nothing more "
			    "can be saved for them until an admin prunes the journal (postcard journal "
			    "prune) or raises the limit (postcard serve --learner-quota MB)",
			    (long long)(quota_max_bytes(app->quota) >> 20));
		break;
	case QUOTA_STORE:
		http_error(resp, 503, "the store does not answer");
		http_header_add(resp, "Retry-After", "1");
		break;
	}
	http_header_add(resp, "Cache-Control", "no-store");
	return 0;
}

/* The adapter's commit (JSON, or text/plain from a beacon) to one SCO of an attempt, for the
 * learner the launch token names (content.c). Answered once the commit is durable; the server
 * thread is not held while waiting. */
void commit_request(rt_app *app, const http_request *req, int64_t attempt_id, const char *item,
		    int64_t learner_id, http_response *resp)
{
	if (http_commit_check(req, resp) != 0)
		return;
	if (app->quota && !commit_within_quota(app, learner_id, req->body_len, resp))
		return;
	commit_wait *w = calloc(1, sizeof *w);
	if (!w) {
		http_error(resp, 503, "out of memory");
		return;
	}
	snprintf(w->item, sizeof w->item, "%s", item);
	w->base.start = commit_start;
	w->base.finish = commit_finish;
	w->app = app;
	w->j.kind = JOB_COMMIT;
	w->j.attempt_id = attempt_id;
	w->j.item = w->item;
	w->j.learner_id = learner_id;
	w->j.body = req->body; /* the server keeps the body until the request completes */
	w->j.body_len = req->body_len;
	/* Parsed here, on a request thread, so the one writer thread has less to do per commit. */
	if (cmi_commit_parse(&w->j.req, req->body, req->body_len) != 0) {
		free(w);
		http_error(resp, 503, "out of memory");
		return;
	}
	buf_init(&w->j.out, HTTP_MAX_RESPONSE);
	if (req->can_defer) {
		resp->deferred = &w->base;
		return;
	}
	submit(app->cq, &w->j);
	commit_finish(&w->base, resp);
}
