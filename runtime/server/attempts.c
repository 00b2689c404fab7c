/* Attempts and tracking: launching a SCO (find or start the learner's attempt, load or seed its
 * CMI state, begin a session) and the commit path, both run by one writer thread, the commit
 * queue. Request threads put a job on the queue and wait; the writer takes every job waiting,
 * runs them in one store transaction (a savepoint each) and commits once: one fsync for many
 * learners' commits (group commit), and a job is answered only after that commit returned, so
 * every acknowledged commit is durable. One thread also means one owner per CMI state (cmi.h
 * states are not thread-safe), kept in a small cache between commits.
 *
 * The C data model (cmi.h) is the authority: the body, parsed by the request thread
 * (cmi_commit_parse), is applied by cmi_commit_apply, which
 * re-validates every value, applies each journal entry exactly once (sequence numbers make
 * repeats and reordering harmless), and computes what the LMS computes at the end of a session. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "cmi.h"
#include "common.h"

/* Jobs written in one transaction at most: bounds the time one batch holds the writer. */
#define CQ_BATCH_MAX 512
/* CMI states kept in memory between commits (a state is a few kilobytes). */
#define CQ_CACHE_MAX 2048

typedef enum { JOB_LAUNCH, JOB_COMMIT } job_kind;

typedef struct cq_job {
	job_kind kind;
	struct cq_job *next;
	/* Inputs. */
	int64_t learner_id;
	const char *learner_ident;
	const char *learner_name;
	const rt_pkg *pkg; /* launch: the package version; commit: filled by the writer */
	const char *item;  /* manifest item identifier */
	int64_t attempt_id;
	const char *body;
	size_t body_len;
	cmi_commit_req *req; /* commit: the body, parsed by the request thread */
	/* Outputs. */
	int done;
	int status; /* HTTP status */
	buf out;    /* launch: the adapter's `initial` JSON; commit: the answer */
	unsigned long session;
	store_attempt attempt; /* launch */
	char detail[160];
	/* Called (from the writer, outside its lock) once the job is done, or NULL when the
	 * submitter waits on the condition variable instead. */
	void (*notify)(void *ctx);
	void *notify_ctx;
	/* Writer-private. */
	int wrote;
} cq_job;

struct cache_entry {
	int64_t attempt_id;
	char *item;
	cmi_state *st;
	int64_t learner_id;
	const rt_pkg *pkg;
	int64_t seq; /* last stored commit sequence for this SCO state */
	int dirty_in_batch;
};

/* Sessions seen recently, shared with request threads (under the queue's lock). */
#define CQ_RECENT 256
struct recent_session {
	int64_t attempt_id;
	char item[128];
	double at; /* when it last saw a commit or a launch (monotonic seconds) */
	int open;  /* a session began and has not ended */
};

struct commitq {
	struct recent_session recent[CQ_RECENT];
	size_t recent_next;
	rt_app *app;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake, done;
	cq_job *head, *tail;
	int stop;
	struct cache_entry *cache;
	size_t ncache;
	buf state; /* the writer's scratch for a state's JSON, kept to save reallocating it */
};

static struct cache_entry *cache_get(commitq *q, int64_t attempt_id, const char *item)
{
	for (size_t i = 0; i < q->ncache; i++)
		if (q->cache[i].attempt_id == attempt_id && strcmp(q->cache[i].item, item) == 0)
			return &q->cache[i];
	return NULL;
}

static void cache_drop_at(commitq *q, size_t i)
{
	free(q->cache[i].item);
	cmi_state_free(q->cache[i].st);
	q->cache[i] = q->cache[--q->ncache];
}

static void cache_drop(commitq *q, struct cache_entry *e)
{
	cache_drop_at(q, (size_t)(e - q->cache));
}

/* Adds a state (ownership moves to the cache). Returns the entry or NULL (state freed). */
static struct cache_entry *cache_put(commitq *q, int64_t attempt_id, const char *item,
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

static double mono_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Records that a session of this SCO is open or ended (call with q->lock held). */
static void note_session(commitq *q, int64_t attempt_id, const char *item, int open)
{
	struct recent_session *slot = NULL;
	for (size_t i = 0; i < CQ_RECENT && !slot; i++)
		if (q->recent[i].attempt_id == attempt_id && strcmp(q->recent[i].item, item) == 0)
			slot = &q->recent[i];
	if (!slot) {
		slot = &q->recent[q->recent_next];
		q->recent_next = (q->recent_next + 1) % CQ_RECENT;
		slot->attempt_id = attempt_id;
		snprintf(slot->item, sizeof slot->item, "%s", item);
	}
	slot->open = open;
	slot->at = mono_now();
}

/* "HHHH:MM:SS.SS" (1.2) or an ISO 8601 duration "P[nY][nM][nD][T[nH][nM][n.nS]]" (2004) in
 * seconds; 0 for anything else. Months and years count as 30 and 365 days, as only sessions'
 * sums are ever shown. */
static double seconds_of(const char *t)
{
	if (!t || !*t)
		return 0;
	if (t[0] != 'P') {
		double h = 0, m = 0, s = 0;
		if (sscanf(t, "%lf:%lf:%lf", &h, &m, &s) == 3)
			return h * 3600 + m * 60 + s;
		return 0;
	}
	double total = 0;
	int in_time = 0;
	for (const char *p = t + 1; *p;) {
		if (*p == 'T') {
			in_time = 1;
			p++;
			continue;
		}
		char *end;
		double v = strtod(p, &end);
		if (end == p || !*end)
			return 0;
		switch (*end) {
		case 'Y': total += v * 365 * 86400; break;
		case 'M': total += in_time ? v * 60 : v * 30 * 86400; break;
		case 'W': total += v * 7 * 86400; break;
		case 'D': total += v * 86400; break;
		case 'H': total += v * 3600; break;
		case 'S': total += v; break;
		default: return 0;
		}
		p = end + 1;
	}
	return total;
}

/* The names of the summary elements in each data model. */
struct names {
	const char *completion, *success, *raw, *scaled, *total, *location;
	const char *i_learner, *i_time, *i_desc;
};
static const struct names names12 = {
	"cmi.core.lesson_status", NULL, "cmi.core.score.raw", NULL, "cmi.core.total_time",
	"cmi.core.lesson_location", "student_response", "time", NULL,
};
static const struct names names04 = {
	"cmi.completion_status", "cmi.success_status", "cmi.score.raw", "cmi.score.scaled",
	"cmi.total_time", "cmi.location", "learner_response", "timestamp", "description",
};

static const char *iget(cmi_state *st, char *name, size_t size, size_t n, const char *leaf)
{
	snprintf(name, size, "cmi.interactions.%zu.%s", n, leaf);
	return cmi_state_get(st, name);
}

/* Stores a state after a commit or launch: summary columns, interactions, journal row. */
static int store_state(commitq *q, struct cache_entry *e, int64_t seq, const char *request,
		       const char *response, const cmi_commit_result *res, int all_interactions)
{
	rt_app *app = q->app;
	cmi_state *st = e->st;
	const struct names *nm = cmi_state_version(st) == SCORM_12 ? &names12 : &names04;
	buf *state = &q->state;
	buf_reset(state);
	store_interaction *its = NULL;
	int rc = cmi_state_to_json(st, state);
	if (rc)
		goto cleanup;
	const char *completion = cmi_state_get(st, nm->completion);
	const char *success = nm->success ? cmi_state_get(st, nm->success) : NULL;
	if (!nm->success && completion &&
	    (strcmp(completion, "passed") == 0 || strcmp(completion, "failed") == 0))
		success = completion;
	const char *total = cmi_state_get(st, nm->total);
	store_sco_write w = {
		.attempt_id = e->attempt_id,
		.item = e->item,
		.seq = seq,
		.state = buf_cstr(state),
		.completion = completion,
		.success = success,
		.location = cmi_state_get(st, nm->location),
		.score_raw = cmi_state_get(st, nm->raw),
		.score_scaled = nm->scaled ? cmi_state_get(st, nm->scaled) : NULL,
		.total_time = total,
		.total_seconds = seconds_of(total),
		.exit = res && res->terminated ? res->report.exit : NULL,
		.terminated = res && res->terminated,
		.request = request,
		.response = response,
	};
	size_t count = cmi_state_count(st, "cmi.interactions");
	/* A launch rewrites every row; a commit only the rows its changes touched. */
	int all = all_interactions || !res || res->rows_beyond;
	if (count) {
		its = calloc(count, sizeof *its);
		if (!its) {
			rc = PC_ENOMEM;
			goto cleanup;
		}
	}
	/* Names are built into one scratch block per row, kept until the write is done. */
	char (*scratch)[10][80] = count ? calloc(count, sizeof *scratch) : NULL;
	if (count && !scratch) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	for (size_t n = 0; n < count; n++) {
		if (!all && (n >= CMI_COMMIT_ROWS || !(res->rows[n / 8] & (1u << (n % 8)))))
			continue;
		store_interaction *it = &its[w.ninteractions++];
		char(*nb)[80] = scratch[n];
		it->n = (int64_t)n;
		it->id = iget(st, nb[0], 80, n, "id");
		it->type = iget(st, nb[1], 80, n, "type");
		it->description = nm->i_desc ? iget(st, nb[2], 80, n, nm->i_desc) : NULL;
		it->learner_response = iget(st, nb[3], 80, n, nm->i_learner);
		it->correct_responses = iget(st, nb[4], 80, n, "correct_responses.0.pattern");
		it->result = iget(st, nb[5], 80, n, "result");
		it->weighting = iget(st, nb[6], 80, n, "weighting");
		it->latency = iget(st, nb[7], 80, n, "latency");
		it->timestamp = iget(st, nb[8], 80, n, nm->i_time);
	}
	w.interactions = its;
	rc = app->st->ops->sco_put(app->st, &w);
	free(scratch);
cleanup:
	free(its);
	return rc;
}

/* 1 when a SCO's stored row says it is finished for this attempt. */
static int sco_done(const store_record *r, scorm_version v)
{
	if (!r->ended)
		return 0;
	if (v != SCORM_12)
		return 1; /* 2004: a session ending without suspend ends the SCO's attempt */
	const char *s = r->completion ? r->completion : "";
	return strcmp(s, "completed") == 0 || strcmp(s, "passed") == 0 || strcmp(s, "failed") == 0;
}

/* After a session ended: closes the attempt when every launchable item is finished. */
static int maybe_close_attempt(commitq *q, int64_t attempt_id, const rt_pkg *pkg)
{
	store *s = q->app->st;
	store_filter f = {.attempt = attempt_id};
	store_record *r = NULL;
	size_t n = 0;
	int rc = s->ops->records(s, &f, &r, &n);
	if (rc)
		return rc;
	int all_done = 1;
	for (size_t i = 0; i < pkg->scos->count && all_done; i++) {
		const sco_item *it = &pkg->scos->items[i];
		if (!it->href)
			continue;
		int found = 0;
		for (size_t j = 0; j < n; j++)
			if (strcmp(r[j].item, it->id) == 0)
				found = sco_done(&r[j], pkg->scos->version);
		all_done = found;
	}
	store_records_free(r, n);
	return all_done ? s->ops->attempt_close(s, attempt_id) : 0;
}

/* Loads (or creates, for a launch) the CMI state of one SCO of an attempt. */
static int load_state(commitq *q, int64_t attempt_id, const char *item, int64_t learner_id,
		      const rt_pkg *pkg, struct cache_entry **out)
{
	*out = cache_get(q, attempt_id, item);
	if (*out)
		return 0;
	char *json = NULL;
	int64_t seq;
	int rc = q->app->st->ops->sco_get(q->app->st, attempt_id, item, &json, &seq);
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
	return *out ? 0 : PC_ENOMEM;
}

static void run_launch(commitq *q, cq_job *j)
{
	rt_app *app = q->app;
	store *s = app->st;
	int created;
	j->status = 500;
	if (s->ops->attempt_launch(s, j->learner_id, j->pkg->id, j->pkg->hash, &j->attempt,
				   &created) != 0) {
		snprintf(j->detail, sizeof j->detail, "cannot start or find the attempt");
		return;
	}
	/* An open attempt keeps the version it started with: its suspend data belongs to it. */
	const rt_pkg *pkg = j->pkg;
	/* (In preview the point is to see the latest build, so the current version always wins.) */
	if (!app->preview && strcmp(j->attempt.version_hash, pkg->hash) != 0 &&
	    app_load_version(app, pkg->id, j->attempt.version_hash, 0, &pkg) != 0)
		pkg = j->pkg;
	j->pkg = pkg;
	const sco_item *item = sco_list_find(pkg->scos, j->item);
	if (!item || !item->href) {
		j->status = 404;
		snprintf(j->detail, sizeof j->detail, "no launchable item '%s' in this package",
			 j->item);
		return;
	}
	struct cache_entry *e = NULL;
	int rc = load_state(q, j->attempt.id, item->id, j->learner_id, pkg, &e);
	if (rc == PC_ENOTFOUND) {
		cmi_state *st = NULL;
		if (cmi_state_new(&st, pkg->scos->version) != 0)
			return;
		cmi_launch l = {
			.learner_id = j->learner_ident,
			.learner_name = j->learner_name,
			.launch_data = item->launch_data,
			.mastery_score = item->mastery_score,
			.max_time_allowed = item->max_time_allowed,
			.time_limit_action = item->time_limit_action,
			.completion_threshold = item->completion_threshold,
			.scaled_passing_score = item->scaled_passing_score,
		};
		const char *bad = NULL;
		rc = cmi_seed_launch(st, &l, &bad);
		/* 2004: the objectives the manifest declares exist from the start, by id. */
		for (size_t k = 0; rc >= 0 && pkg->scos->version != SCORM_12 && k < item->nobjectives; k++) {
			char el[64];
			snprintf(el, sizeof el, "cmi.objectives.%zu.id", k);
			int src = cmi_seed(st, el, item->objectives[k]);
			if (src < 0)
				rc = src;
		}
		if (rc > 0) {
			/* A manifest value the data model refuses: launch without it rather than
			 * not at all, as the validator already reported it on import. */
			rc = 0;
		}
		if (rc) {
			cmi_state_free(st);
			return;
		}
		e = cache_put(q, j->attempt.id, item->id, st, j->learner_id, pkg, -1);
		if (!e)
			return;
	} else if (rc) {
		snprintf(j->detail, sizeof j->detail, "cannot read the stored state: %s",
			 pc_strerror(rc));
		return;
	}
	/* The exit the previous session left: if that session never sent its Terminate (a page
	 * closed abruptly, a beacon lost), beginning this one ends it, and its exit is the one to
	 * record. */
	const char *exit_el = pkg->scos->version == SCORM_12 ? "cmi.core.exit" : "cmi.exit";
	const char *prev = cmi_state_get(e->st, exit_el);
	cmi_commit_result ended;
	memset(&ended, 0, sizeof ended);
	if (prev) {
		ended.terminated = 1;
		snprintf(ended.report.exit, sizeof ended.report.exit, "%s", prev);
	}
	int new_attempt = 0;
	if (cmi_session_begin(e->st, &new_attempt) != 0)
		return;
	if (shared_data_seed(s, j->learner_id, pkg, j->attempt.id, item, e->st) != 0) {
		snprintf(j->detail, sizeof j->detail, "cannot read the shared data");
		cache_drop(q, e);
		return;
	}
	e->dirty_in_batch = 1;
	j->wrote = 1;
	/* The new session number must be durable before the page uses it. */
	if (store_state(q, e, e->seq, NULL, NULL, prev ? &ended : NULL, 1) != 0) {
		snprintf(j->detail, sizeof j->detail, "cannot store the launch");
		return;
	}
	j->session = cmi_state_session(e->st);
	if (cmi_state_initial_json(e->st, &j->out) != 0)
		return;
	pthread_mutex_lock(&q->lock);
	note_session(q, j->attempt.id, item->id, 1);
	pthread_mutex_unlock(&q->lock);
	j->status = 200;
}

static void run_commit(commitq *q, cq_job *j)
{
	rt_app *app = q->app;
	store *s = app->st;
	j->status = 500;
	struct cache_entry *e = cache_get(q, j->attempt_id, j->item);
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
			return;
		}
		if (rc)
			return;
		rc = load_state(q, j->attempt_id, j->item, owner, pkg, &e);
		if (rc == PC_ENOTFOUND) {
			j->status = 404;
			snprintf(j->detail, sizeof j->detail, "this SCO was never launched in this attempt");
			return;
		}
		if (rc)
			return;
	}
	if (e->learner_id != j->learner_id) {
		j->status = 403;
		snprintf(j->detail, sizeof j->detail, "this attempt belongs to another learner");
		return;
	}
	cmi_commit_result res;
	memset(&res, 0, sizeof res);
	buf_reset(&j->out);
	/* The state may change below; mark it so a failed batch forgets it. */
	e->dirty_in_batch = 1;
	int rc = cmi_commit_apply(e->st, j->req, &j->out, &res);
	if (rc == PC_EFORMAT) {
		j->status = 400;
		return;
	}
	if (rc)
		return;
	j->status = 200;
	pthread_mutex_lock(&q->lock);
	note_session(q, j->attempt_id, j->item, !res.terminated);
	pthread_mutex_unlock(&q->lock);
	if (res.duplicate && !res.terminated)
		return; /* nothing new to store: already durable */
	j->wrote = 1;
	if (shared_data_write(s, e->learner_id, e->pkg, j->attempt_id, e->st) != 0) {
		j->status = 500;
		snprintf(j->detail, sizeof j->detail, "the shared data could not be stored");
		cache_drop(q, e); /* ahead of the store now: reload it, the adapter resends */
		return;
	}
	char *body = strndup(j->body, j->body_len);
	if (!body) {
		j->status = 500;
		return;
	}
	rc = store_state(q, e, (int64_t)res.seq, body, buf_cstr(&j->out), &res, 0);
	free(body);
	if (rc == 0 && res.terminated)
		rc = maybe_close_attempt(q, j->attempt_id, e->pkg);
	if (rc) {
		j->status = 500;
		snprintf(j->detail, sizeof j->detail, "the commit could not be stored");
		/* The state in memory is ahead of the store now: reload it next time. */
		cache_drop(q, e);
	}
}

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

		int began = app->st->ops->batch_begin(app->st) == 0;
		for (cq_job *j = batch; j; j = j->next) {
			if (!began) {
				j->status = 503;
				snprintf(j->detail, sizeof j->detail, "the store is not writable");
				continue;
			}
			if (j->kind == JOB_LAUNCH)
				run_launch(q, j);
			else
				run_commit(q, j);
		}
		int ok = began && app->st->ops->batch_end(app->st, 1) == 0;
		for (size_t i = q->ncache; i-- > 0;) {
			if (!ok && q->cache[i].dirty_in_batch)
				cache_drop_at(q, i);
			else
				q->cache[i].dirty_in_batch = 0;
		}
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
				j->status = 500;
				snprintf(j->detail, sizeof j->detail, "the transaction failed");
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
static void submit(commitq *q, cq_job *j)
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
	q->app = app;
	buf_init(&q->state, 0);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	pthread_cond_init(&q->done, NULL);
	if (pthread_create(&q->thread, NULL, writer, q) != 0) {
		free(q->cache);
		free(q);
		return PC_ENOMEM;
	}
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
	while (q->ncache)
		cache_drop_at(q, q->ncache - 1);
	free(q->cache);
	buf_free(&q->state);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->wake);
	pthread_cond_destroy(&q->done);
	free(q);
}

/* A page being reloaded (or left for the next part) sends its final commit as a beacon at about
 * the time the new page asks for its launch; starting the new session first would turn that
 * beacon away. So a launch waits, for up to WAIT seconds, while this SCO's session is open and
 * was active in the last ACTIVE seconds. Returns at once in every other case. */
#define SETTLE_ACTIVE 10.0
#define SETTLE_WAIT 3.0
static void settle(commitq *q, int64_t attempt_id, const char *item)
{
	double until = mono_now() + SETTLE_WAIT;
	for (;;) {
		int busy = 0;
		pthread_mutex_lock(&q->lock);
		for (size_t i = 0; i < CQ_RECENT; i++)
			if (q->recent[i].attempt_id == attempt_id && strcmp(q->recent[i].item, item) == 0)
				busy = q->recent[i].open && mono_now() - q->recent[i].at < SETTLE_ACTIVE;
		pthread_mutex_unlock(&q->lock);
		if (!busy || mono_now() > until)
			return;
		nanosleep(&(struct timespec){0, 25 * 1000 * 1000}, NULL);
	}
}

int tracking_launch(rt_app *app, const rt_pkg *pkg, const char *item, int64_t learner_id,
		    const char *learner_ident, const char *learner_name, tracking_launch_result *res)
{
	store_attempt open;
	if (app->st->ops->attempt_latest(app->st, learner_id, pkg->id, &open) == 0) {
		if (!open.closed)
			settle(app->cq, open.id, item);
		store_attempt_clear(&open);
	}
	memset(res, 0, sizeof *res);
	cq_job j;
	memset(&j, 0, sizeof j);
	j.kind = JOB_LAUNCH;
	j.pkg = pkg;
	j.item = item;
	j.learner_id = learner_id;
	j.learner_ident = learner_ident;
	j.learner_name = learner_name;
	buf_init(&j.out, HTTP_MAX_RESPONSE);
	submit(app->cq, &j);
	res->status = j.status;
	snprintf(res->detail, sizeof res->detail, "%s", j.detail);
	res->pkg = j.pkg;
	res->attempt = j.attempt;
	res->session = j.session;
	res->initial = buf_detach(&j.out, NULL);
	if (j.status == 200 && !res->initial)
		res->status = 500;
	buf_free(&j.out);
	return res->status == 200 ? 0 : PC_EIO;
}

void tracking_launch_clear(tracking_launch_result *res)
{
	store_attempt_clear(&res->attempt);
	free(res->initial);
	res->initial = NULL;
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

/* POST /api/commit/<attempt>/<item>: the adapter's commit (JSON, or text/plain from a beacon).
 * Answered once the commit is durable; the server thread is not held while waiting. */
void api_commit(rt_app *app, const http_request *req, http_response *resp)
{
	http_commit_req cr;
	if (http_commit_parse(req, &cr, resp) != 0)
		return;
	commit_wait *w = calloc(1, sizeof *w);
	if (!w) {
		http_error(resp, 503, "out of memory");
		return;
	}
	memcpy(w->item, cr.item, sizeof w->item);
	char ident[80];
	int64_t learner = app_request_learner(app, req, ident, sizeof ident);
	if (learner < 0) {
		free(w);
		http_error(resp, 503, "the store does not answer");
		return;
	}
	w->base.start = commit_start;
	w->base.finish = commit_finish;
	w->app = app;
	w->j.kind = JOB_COMMIT;
	w->j.attempt_id = cr.attempt;
	w->j.item = w->item;
	w->j.learner_id = learner;
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
