/* Launching a SCO: find or start the learner's attempt, load or seed its CMI state from the
 * manifest, begin a session, and make the new session durable before the page uses it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commitq.h"
#include "common.h"

/* One try at a launch job; 1 when it must run again because its fenced write lost (another
 * node wrote this SCO since this one cached it: the state is reloaded from the store). */
static int launch_once(commitq *q, cq_job *j, int last_try)
{
	rt_app *app = q->app;
	store *s = app->st;
	int created;
	j->status = 500;
	/* Sequenced packages: the navigation that delivered the part opened the attempt. */
	int sequenced = j->pkg->tree != NULL;
	if (sequenced && (!j->open || j->open->closed)) {
		j->status = 409;
		snprintf(j->detail, sizeof j->detail, "this attempt has ended: open the package again");
		return 0;
	}
	int rc = sequenced ? store_attempt_copy(&j->attempt, j->open)
			   : s->ops->attempt_launch(s, j->learner_id, j->pkg->id, j->pkg->hash,
						    &j->attempt, &created);
	if (rc != 0) {
		snprintf(j->detail, sizeof j->detail, "cannot start or find the attempt");
		return 0;
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
		return 0;
	}
	struct cache_entry *e = NULL;
	sequenced = pkg->tree != NULL;
	/* A sequenced part starts only as the attempt's current activity; seq_launch says why not. */
	if (sequenced && (rc = seq_launch(q, j, item, &e)) != 0) {
		if (rc == PC_ECONFLICT && !last_try) {
			seq_forget(q, j->attempt.id);
			return 1;
		}
		return 0;
	}
	rc = sequenced ? 0 : load_state(q, j->attempt.id, item->id, j->learner_id, pkg, &e);
	if (rc == PC_ENOTFOUND) {
		cmi_state *st = NULL;
		if (cmi_state_new(&st, pkg->scos->version) != 0)
			return 0;
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
			return 0;
		}
		e = cache_put(q, j->attempt.id, item->id, st, j->learner_id, pkg, -1);
		if (!e)
			return 0;
	} else if (rc) {
		snprintf(j->detail, sizeof j->detail, "cannot read the stored state: %s",
			 pc_strerror(rc));
		return 0;
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
		return 0;
	if (shared_data_seed(s, j->learner_id, pkg, j->attempt.id, item, e->st) != 0) {
		snprintf(j->detail, sizeof j->detail, "cannot read the shared data");
		cache_drop(q, e);
		return 0;
	}
	e->dirty_in_batch = 1;
	j->wrote = 1;
	if (sequenced && seq_launch_done(q, j, e) != 0) {
		snprintf(j->detail, sizeof j->detail, "cannot prepare the sequencing answers");
		return 0;
	}
	/* SCORM 1.2: an asset (no API) counts as completed once launched. */
	int asset12 = pkg->scos->version == SCORM_12 && !item->is_sco;
	cmi_commit_result seen;
	memset(&seen, 0, sizeof seen);
	seen.terminated = 1;
	/* The new session number must be durable before the page uses it. */
	rc = asset12 ? store_state_status(q, e, &seen, "completed", NULL)
		     : store_state(q, e, e->seq, NULL, NULL, prev ? &ended : NULL, 1);
	if (!rc && asset12)
		rc = maybe_close_attempt(q, j->attempt.id, pkg);
	if (rc != 0) {
		cache_drop(q, e);
		if (rc == PC_ECONFLICT && !last_try)
			return 1;
		j->status = rc == PC_ECONFLICT ? 503 : 500;
		app_store_failed(app, rc, "cannot store the launch", j->detail, sizeof j->detail);
		return 0;
	}
	j->session = cmi_state_session(e->st);
	/* The token that asked is bound to this attempt and session in the same transaction. */
	if (j->token_hash && s->ops->launch_start(s, j->token_hash, j->attempt.id, pkg->hash,
						   (int64_t)j->session) != 0) {
		snprintf(j->detail, sizeof j->detail, "cannot store the launch");
		return 0;
	}
	if (cmi_state_initial_json(e->st, &j->out) != 0)
		return 0;
	pthread_mutex_lock(&q->lock);
	note_session(q, j->attempt.id, item->id, 1);
	pthread_mutex_unlock(&q->lock);
	j->status = 200;
	return 0;
}

void run_launch(commitq *q, cq_job *j)
{
	for (int t = 1; launch_once(q, j, t == CQ_CONFLICT_TRIES); t++) {
		store_attempt_clear(&j->attempt);
		buf_reset(&j->out);
		sn_state_free(j->valid_from);
		j->valid_from = NULL;
	}
}

int tracking_launch(rt_app *app, const rt_pkg *pkg, const char *item, int64_t learner_id,
		    const char *learner_ident, const char *learner_name, const char *token_hash,
		    tracking_launch_result *res)
{
	store_attempt open;
	int have = app->st->ops->attempt_latest(app->st, learner_id, pkg->id, &open) == 0;
	if (have && !open.closed)
		settle(app->cq, open.id, item);
	memset(res, 0, sizeof *res);
	cq_job j;
	memset(&j, 0, sizeof j);
	j.kind = JOB_LAUNCH;
	j.pkg = pkg;
	j.item = item;
	j.learner_id = learner_id;
	j.learner_ident = learner_ident;
	j.learner_name = learner_name;
	j.token_hash = token_hash;
	j.open = have ? &open : NULL; /* sequenced packages: the navigation opened it */
	buf_init(&j.out, HTTP_MAX_RESPONSE);
	submit(app->cq, &j);
	if (have)
		store_attempt_clear(&open);
	res->status = j.status;
	snprintf(res->detail, sizeof res->detail, "%s", j.detail);
	res->pkg = j.pkg;
	res->attempt = j.attempt;
	res->session = j.session;
	res->initial = buf_detach(&j.out, NULL);
	if (j.status == 200 && !res->initial)
		res->status = 500;
	/* Sequenced: the request_valid answers, worked out here rather than on the writer. */
	if (j.status == 200 && j.valid_from) {
		buf v;
		buf_init(&v, HTTP_MAX_RESPONSE);
		if (seq_valid_json(j.valid_from, &v) != 0 || !(res->valid = buf_detach(&v, NULL)))
			res->status = 500;
		buf_free(&v);
	}
	sn_state_free(j.valid_from);
	buf_free(&j.out);
	return res->status == 200 ? 0 : PC_EIO;
}

void tracking_launch_clear(tracking_launch_result *res)
{
	store_attempt_clear(&res->attempt);
	free(res->initial);
	free(res->valid);
	res->initial = res->valid = NULL;
}

