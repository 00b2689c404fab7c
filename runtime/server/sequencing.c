/* SCORM 2004 sequencing on the server (docs/sequencing.md, docs/seams.md §2): the commit queue
 * keeps one sn_state per open attempt next to its CMI states, and everything that moves it runs
 * here on the writer thread, in the same group commit as the CMI states it touches:
 *   navigation  run_nav: a plain launch (the current part, resume all, start), a choice from the
 *               list, a learner's button or a SCO's adl.nav.request; the SCO being left ends
 *               its session first; a new attempt of the delivered activity gets a fresh CMI
 *               state seeded from the tracking model (cmi_sn_seed);
 *   launch      seq_launch, seq_launch_done: only the current activity starts a session; the
 *               adapter gets adl.nav.request_valid.* from tentative runs;
 *   commits     seq_commit: what the SCO set reaches the tracking model at every commit
 *               (sn_report_attempt), so a SCO that leaves without Terminate still counts;
 *   store       the state (sn_state_save) with the root's rolled-up result per attempt, and the
 *               learner's global objectives (sn_globals_save) per learner.
 * Readings of our own (docs/sequencing.md, "The runtime"): a plain launch re-delivers the
 * current part unless its SCO finished its attempt (then the learner chooses); a Suspend All
 * the learner asks for keeps the suspended SCO's data for the resume; a course of one SCO ends
 * its attempt when that SCO ends without suspending or asking for anything. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmi_sn.h"
#include "commitq.h"
#include "common.h"

/* Activities past which the launch answer leaves out per-target request_valid answers (each is
 * a tentative run on a copy of the state): the adapter answers "unknown" for those. */
#define SEQ_VALID_TARGETS 512

static uint64_t seed_of(int64_t attempt_id, int64_t learner_id)
{
	uint64_t z = (uint64_t)attempt_id * 0x9E3779B97F4A7C15ULL ^ (uint64_t)learner_id << 32;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static struct seq_entry *seq_find(commitq *q, int64_t attempt_id)
{
	for (size_t i = 0; i < q->nseqs; i++)
		if (q->seqs[i].attempt_id == attempt_id)
			return &q->seqs[i];
	return NULL;
}

static void seq_drop_at(commitq *q, size_t i)
{
	sn_state_free(q->seqs[i].sn);
	q->seqs[i] = q->seqs[--q->nseqs];
}

void seq_after_batch(commitq *q, int ok)
{
	for (size_t i = q->nseqs; i-- > 0;) {
		if (!ok && q->seqs[i].dirty_in_batch)
			seq_drop_at(q, i);
		else
			q->seqs[i].dirty_in_batch = 0;
	}
}

void seq_forget(commitq *q, int64_t attempt_id)
{
	struct seq_entry *s = seq_find(q, attempt_id);
	if (s)
		seq_drop_at(q, (size_t)(s - q->seqs));
}

void seq_cache_free(commitq *q)
{
	while (q->nseqs)
		seq_drop_at(q, q->nseqs - 1);
	free(q->seqs);
	q->seqs = NULL;
}

static int shares_globals(const sn_tree *t)
{
	return sn_tree_globals_to_system(t) && sn_tree_globals(t) > 0;
}

/* Reads the learner's global objectives into the state again: another package of the same
 * learner may have written them since. An unreadable record keeps what the state holds. */
static int globals_in(commitq *q, struct seq_entry *s)
{
	if (!shares_globals(s->pkg->tree))
		return 0;
	store *st = q->app->st;
	char *g = NULL, err[160];
	int rc = st->ops->seq_globals_get(st, s->learner_id, &g);
	if (!rc && g && sn_globals_load(s->sn, g, strlen(g), err, sizeof err) == PC_ENOMEM)
		rc = PC_ENOMEM;
	free(g);
	return rc;
}

/* The attempt's sequencing state: cached, stored, or new (seeded from the attempt, so a replay
 * draws the same random choices). A stored state another version of the package made (preview
 * rebuilds) starts again. */
static int seq_load(commitq *q, int64_t attempt_id, int64_t learner_id, const rt_pkg *pkg,
		    struct seq_entry **out)
{
	*out = NULL;
	struct seq_entry *s = seq_find(q, attempt_id);
	if (s && s->pkg != pkg) {
		seq_drop_at(q, (size_t)(s - q->seqs));
		s = NULL;
	}
	if (!s) {
		if (q->nseqs == CQ_SEQ_MAX)
			for (size_t i = q->nseqs; i-- > 0;)
				if (!q->seqs[i].dirty_in_batch)
					seq_drop_at(q, i);
		if (q->nseqs == CQ_SEQ_MAX)
			return PC_ELIMIT;
		store *st = q->app->st;
		char *text = NULL, err[160];
		sn_state *sn = NULL;
		int64_t rev = 0;
		int rc = st->ops->seq_get(st, attempt_id, &text, &rev);
		if (!rc && text) {
			rc = sn_state_load(&sn, pkg->tree, text, strlen(text), err, sizeof err);
			if (rc == PC_EFORMAT)
				rc = 0;
		}
		free(text);
		if (!rc && !sn)
			rc = sn_state_new(&sn, pkg->tree, seed_of(attempt_id, learner_id));
		if (rc)
			return rc;
		s = &q->seqs[q->nseqs++];
		memset(s, 0, sizeof *s);
		s->attempt_id = attempt_id;
		s->learner_id = learner_id;
		s->pkg = pkg;
		s->sn = sn;
		s->rev = rev;
	}
	int rc = globals_in(q, s);
	if (rc)
		return rc;
	*out = s;
	return 0;
}

/* The root's result as records show it: what a rollup from the current activity would give now
 * (a copy is rolled up; the learner's state is not changed). */
struct summary {
	char completion[16], success[16], scaled[32];
};

static int summarize(const sn_state *sn, struct summary *out)
{
	sn_state *look = NULL;
	const sn_state *from = sn;
	int cur = sn_current(sn);
	if (cur >= 0) {
		int rc = sn_state_clone(&look, sn);
		if (rc)
			return rc;
		sn_rollup(look, cur);
		from = look;
	}
	sn_status r;
	sn_activity_status(from, 0, &r);
	snprintf(out->completion, sizeof out->completion, "%s",
		 r.v.completion_known ? (r.v.completed ? "completed" : "incomplete")
		 : r.attempted      ? "unknown"
				    : "not attempted");
	snprintf(out->success, sizeof out->success, "%s",
		 r.v.success_known ? (r.v.passed ? "passed" : "failed") : "unknown");
	out->scaled[0] = '\0';
	if (r.v.scaled_known)
		snprintf(out->scaled, sizeof out->scaled, "%.7g", r.v.scaled);
	sn_state_free(look);
	return 0;
}

/* Writes the state with the root's result, and the learner's global objectives. */
static int seq_save(commitq *q, struct seq_entry *s)
{
	store *st = q->app->st;
	buf *t = &q->seqtext;
	struct summary sum;
	s->dirty_in_batch = 1;
	buf_reset(t);
	int rc = sn_state_save(s->sn, t);
	if (!rc)
		rc = summarize(s->sn, &sum);
	if (rc)
		return rc;
	store_seq_write w = {.attempt_id = s->attempt_id,
			     .expect_rev = s->rev ? s->rev : -1,
			     .state = buf_cstr(t),
			     .completion = sum.completion,
			     .success = sum.success,
			     .score_scaled = sum.scaled[0] ? sum.scaled : NULL};
	if ((rc = st->ops->seq_put(st, &w)))
		return rc;
	s->rev = s->rev ? s->rev + 1 : 1;
	if (!shares_globals(s->pkg->tree))
		return 0;
	buf_reset(t);
	if ((rc = sn_globals_save(s->sn, t)))
		return rc;
	return st->ops->seq_globals_put(st, s->learner_id, buf_cstr(t));
}

static const sn_item *item_at(const struct seq_entry *s, int a)
{
	return a >= 0 ? sn_tree_item(s->pkg->tree, (size_t)a) : NULL;
}

/* A fresh CMI state for a new attempt of activity `a`, seeded from the tracking model, replacing
 * whatever an earlier attempt of it left (in the cache and, with this batch, in the store). */
static int fresh_state(commitq *q, struct seq_entry *s, int a, const char *ident, const char *name,
		       struct cache_entry **out)
{
	const sn_item *it = item_at(s, a);
	cmi_state *cs = NULL;
	int rc = cmi_state_new(&cs, s->pkg->scos->version);
	if (!rc)
		rc = cmi_sn_seed(cs, s->sn, a, ident, name);
	if (rc) {
		cmi_state_free(cs);
		return rc;
	}
	/* The new state replaces the stored row of the earlier attempt: its write is fenced on
	 * that row's revision. */
	int64_t rev = 0;
	struct cache_entry *old = cache_get(q, s->attempt_id, it->id);
	if (old) {
		rev = old->rev;
		cache_drop(q, old);
	} else {
		char *json = NULL;
		int64_t seq;
		rc = q->app->st->ops->sco_get(q->app->st, s->attempt_id, it->id, &json, &seq, &rev);
		free(json);
		if (rc) {
			cmi_state_free(cs);
			return rc;
		}
	}
	struct cache_entry *e = cache_put(q, s->attempt_id, it->id, cs, s->learner_id, s->pkg, -1);
	if (!e)
		return PC_ENOMEM;
	e->rev = rev;
	e->dirty_in_batch = 1;
	*out = e;
	return store_state(q, e, -1, NULL, NULL, NULL, 1);
}

/* The CMI state of a part of this attempt: PC_ENOTFOUND when it was never launched. */
static int sco_state(commitq *q, struct seq_entry *s, const sn_item *it, struct cache_entry **e)
{
	return load_state(q, s->attempt_id, it->id, s->learner_id, s->pkg, e);
}

/* Before a request runs: the current SCO's session, if it never ended (the page went away
 * without Terminate, or the learner moves on while it runs), ends with what it reported, and
 * that reaches the tracking model. */
static int settle_current(commitq *q, struct seq_entry *s)
{
	int cur = sn_current(s->sn);
	const sn_item *it = item_at(s, cur);
	struct cache_entry *e = NULL;
	if (!it || !it->leaf)
		return 0;
	int rc = sco_state(q, s, it, &e);
	if (rc == PC_ENOTFOUND)
		return 0;
	if (rc || cmi_state_phase(e->st) != CMI_PHASE_RUNNING)
		return rc;
	cmi_commit_result ended;
	memset(&ended, 0, sizeof ended);
	e->dirty_in_batch = 1;
	if ((rc = cmi_session_end(e->st, &ended.report)))
		return rc;
	ended.terminated = 1;
	cmi_sn_report rep;
	if ((rc = cmi_sn_report_ended(e->st, &ended.report, &rep)))
		return rc;
	sn_report_attempt(s->sn, cur, &rep.r);
	cmi_sn_report_free(&rep);
	return store_state(q, e, e->seq, NULL, NULL, &ended, 0);
}

/* After a Suspend All the learner asked for: the suspended SCO resumes its data next time, even
 * when its session had ended the attempt (SN 4.6.2: the activity's attempt is suspended). */
static int keep_suspended(commitq *q, struct seq_entry *s)
{
	const sn_item *it = item_at(s, sn_suspended(s->sn));
	struct cache_entry *e = NULL;
	if (!it || !it->leaf)
		return 0;
	int rc = sco_state(q, s, it, &e);
	if (rc == PC_ENOTFOUND)
		return 0;
	if (rc || cmi_state_phase(e->st) != CMI_PHASE_DONE)
		return rc;
	e->dirty_in_batch = 1;
	if ((rc = cmi_state_keep_attempt(e->st)))
		return rc;
	return store_state(q, e, e->seq, NULL, NULL, NULL, 0);
}

/* A part whose attempt ended without its SCO ever reporting (an asset, a SCO that never
 * started): its record takes what sequencing concluded (End Attempt's defaults). */
static int record_unreported(commitq *q, struct seq_entry *s, int a)
{
	const sn_item *it = item_at(s, a);
	struct cache_entry *e = NULL;
	sn_status st;
	if (!it || !it->leaf || sn_activity_status(s->sn, a, &st) || st.active)
		return 0;
	int rc = sco_state(q, s, it, &e);
	if (rc == PC_ENOTFOUND)
		return 0;
	if (rc || cmi_state_phase(e->st) != CMI_PHASE_NEW || (!st.v.completion_known && !st.v.success_known))
		return rc;
	e->dirty_in_batch = 1;
	return store_state_status(q, e, NULL,
				  st.v.completion_known ? (st.v.completed ? "completed" : "incomplete") : NULL,
				  st.v.success_known ? (st.v.passed ? "passed" : "failed") : NULL);
}

/* What a plain launch does when nothing is requested: the current part again, unless its SCO
 * finished its attempt (or the current activity is a cluster): then the learner chooses. */
static void current_again(commitq *q, struct seq_entry *s, cq_job *j)
{
	int cur = sn_current(s->sn);
	const sn_item *it = item_at(s, cur);
	struct cache_entry *e = NULL;
	j->outcome = NAV_WAIT;
	if (!it || !it->leaf)
		return;
	int rc = sco_state(q, s, it, &e);
	if (rc == 0 && cmi_state_phase(e->st) == CMI_PHASE_DONE)
		return;
	j->outcome = NAV_DELIVER;
	snprintf(j->delivered, sizeof j->delivered, "%s", it->id);
}

/* Runs one request; fills j->outcome, j->delivered, j->exception. */
static int navigate(commitq *q, struct seq_entry *s, cq_job *j, sn_nav req, const char *target)
{
	int before = sn_current(s->sn);
	int rc = settle_current(q, s);
	sn_result r;
	if (!rc)
		rc = sn_navigate(s->sn, req, target, &r);
	if (rc)
		return rc;
	switch (r.outcome) {
	case SN_DELIVER: {
		const sn_item *it = item_at(s, r.activity);
		struct cache_entry *e = NULL;
		if (!r.resumed || sco_state(q, s, it, &e) == PC_ENOTFOUND)
			rc = fresh_state(q, s, r.activity, j->learner_ident, j->learner_name, &e);
		j->outcome = NAV_DELIVER;
		snprintf(j->delivered, sizeof j->delivered, "%s", it->id);
		break;
	}
	case SN_ENDED:
		j->outcome = NAV_ENDED;
		if (req == SN_NAV_SUSPEND_ALL)
			rc = keep_suspended(q, s);
		if (!rc && sn_suspended(s->sn) < 0) {
			rc = q->app->st->ops->attempt_close(q->app->st, s->attempt_id);
			j->closed = 1;
		}
		break;
	case SN_WAIT:
		j->outcome = NAV_WAIT;
		break;
	case SN_REFUSED:
		j->outcome = NAV_REFUSED;
		snprintf(j->exception, sizeof j->exception, "%s", r.exception);
		break;
	}
	if (!rc && before >= 0 && before != sn_current(s->sn))
		rc = record_unreported(q, s, before);
	return rc;
}

/* The attempt a navigation job moves, and the version it plays. */
static int nav_attempt(commitq *q, cq_job *j)
{
	store *st = q->app->st;
	rt_app *app = q->app;
	if (j->attempt_id) {
		/* A request from the content: its attempt must still be the learner's open one. */
		if (!j->open || j->open->id != j->attempt_id || j->open->closed) {
			j->status = 409;
			snprintf(j->detail, sizeof j->detail, "this attempt has ended: open the package again");
			return 1;
		}
		return store_attempt_copy(&j->attempt, j->open);
	}
	int created;
	if (st->ops->attempt_launch(st, j->learner_id, j->pkg->id, j->pkg->hash, &j->attempt, &created)) {
		snprintf(j->detail, sizeof j->detail, "cannot start or find the attempt");
		return PC_EIO;
	}
	/* An open attempt keeps the version it started with (in preview the latest build wins). */
	const rt_pkg *pkg = NULL;
	if (!app->preview && strcmp(j->attempt.version_hash, j->pkg->hash) != 0 &&
	    app_load_version(app, j->pkg->id, j->attempt.version_hash, 0, &pkg) == 0 && pkg && pkg->tree)
		j->pkg = pkg;
	return 0;
}

/* Forgets what memory holds of an attempt (its sequencing state and its SCOs' CMI states):
 * after a failure they may be ahead of the store, after a lost fence behind it. */
static void forget_attempt(commitq *q, int64_t attempt_id)
{
	seq_forget(q, attempt_id);
	for (size_t i = q->ncache; i-- > 0;)
		if (q->cache[i].attempt_id == attempt_id)
			cache_drop_at(q, i);
}

/* One try at a navigation job; 1 when it must run again on states read again from the store
 * (a fenced write lost: another node moved the attempt on). */
static int nav_once(commitq *q, cq_job *j, int last_try)
{
	j->status = 500;
	if (!j->pkg->tree) {
		j->status = 409;
		snprintf(j->detail, sizeof j->detail, "this package does not run sequencing");
		return 0;
	}
	int rc = nav_attempt(q, j);
	if (rc)
		return 0;
	struct seq_entry *s = NULL;
	j->wrote = 1;
	if ((rc = seq_load(q, j->attempt.id, j->learner_id, j->pkg, &s))) {
		snprintf(j->detail, sizeof j->detail, "cannot read the sequencing state: %s", pc_strerror(rc));
		return 0;
	}
	const sn_item *cur = item_at(s, sn_current(s->sn));
	j->moved = j->from && strcmp(j->from, cur ? cur->id : "") != 0;
	sn_nav req = SN_NAV_NONE;
	char target[SN_MAX_ID + 1] = "";
	int plain = 1;
	if (j->nav && !j->moved) {
		if (sn_nav_parse(j->nav, &req, target, sizeof target) != 0) {
			j->status = 400;
			snprintf(j->detail, sizeof j->detail, "not a navigation request");
			return 0;
		}
		plain = 0;
	} else if (j->item && !j->moved && (!cur || strcmp(cur->id, j->item) != 0)) {
		req = SN_NAV_CHOICE;
		snprintf(target, sizeof target, "%s", j->item);
		plain = 0;
	}
	if (!plain) {
		rc = navigate(q, s, j, req, target);
		if (!rc && j->outcome == NAV_REFUSED && j->attempt_id)
			memcpy(s->said, j->exception, sizeof s->said); /* for the page's next launch */
		/* A learner's request refused: show where they are (the content was taken away to
		 * ask); the answer says why. */
		if (!rc && j->outcome == NAV_REFUSED && !j->attempt_id)
			current_again(q, s, j);
	} else if (sn_current(s->sn) >= 0) {
		current_again(q, s, j);
		if (j->item && j->outcome == NAV_WAIT && cur && !strcmp(cur->id, j->item))
			rc = navigate(q, s, j, SN_NAV_CHOICE, j->item); /* this finished part again */
	} else {
		/* Nothing current: resume what a Suspend All left, else start; a course that
		 * cannot start by itself (no flow) waits for a choice from the list. */
		rc = navigate(q, s, j, sn_suspended(s->sn) >= 0 ? SN_NAV_RESUME_ALL : SN_NAV_START, NULL);
		if (!rc && j->outcome == NAV_REFUSED && sn_suspended(s->sn) >= 0)
			rc = navigate(q, s, j, SN_NAV_START, NULL);
		if (!rc && j->outcome == NAV_REFUSED) {
			j->outcome = NAV_WAIT;
			j->exception[0] = '\0';
		}
	}
	if (!rc && plain && !j->attempt_id && s->said[0] && !j->exception[0]) {
		memcpy(j->exception, s->said, sizeof j->exception);
		s->said[0] = '\0';
	}
	if (!rc)
		rc = seq_save(q, s);
	if (!rc)
		rc = sn_state_clone(&j->valid_from, s->sn); /* the view is drawn off the writer */
	if (rc) {
		forget_attempt(q, j->attempt.id);
		if (rc == PC_ECONFLICT && !last_try)
			return 1;
		j->status = rc == PC_ECONFLICT ? 503 : 500;
		snprintf(j->detail, sizeof j->detail, "cannot run the navigation request: %s", pc_strerror(rc));
		return 0;
	}
	j->status = 200;
	return 0;
}

void run_nav(commitq *q, cq_job *j)
{
	const rt_pkg *asked = j->pkg;
	for (int t = 1; nav_once(q, j, t == CQ_CONFLICT_TRIES); t++) {
		store_attempt_clear(&j->attempt);
		buf_reset(&j->out);
		sn_state_free(j->valid_from);
		j->valid_from = NULL;
		j->pkg = asked;
		j->outcome = 0;
		j->moved = j->closed = 0;
		j->delivered[0] = j->exception[0] = '\0';
	}
}

int seq_launch(commitq *q, cq_job *j, const sco_item *item, struct cache_entry **e)
{
	struct seq_entry *s = NULL;
	int rc = seq_load(q, j->attempt.id, j->learner_id, j->pkg, &s);
	if (rc) {
		snprintf(j->detail, sizeof j->detail, "cannot read the sequencing state: %s", pc_strerror(rc));
		return rc;
	}
	int cur = sn_current(s->sn);
	const sn_item *it = item_at(s, cur);
	if (!it || strcmp(it->id, item->id) != 0) {
		j->status = 409;
		snprintf(j->detail, sizeof j->detail,
			 "this part is not the current one any more: open the package again");
		return PC_EINVAL;
	}
	rc = load_state(q, j->attempt.id, item->id, j->learner_id, j->pkg, e);
	if (rc == PC_ENOTFOUND)
		rc = fresh_state(q, s, cur, j->learner_ident, j->learner_name, e);
	if (rc)
		snprintf(j->detail, sizeof j->detail, "cannot read the stored state: %s", pc_strerror(rc));
	return rc;
}

/* {"continue":b,"previous":b,"choice":{"ID":b,...},"jump":{"ID":b,...}}: a tentative run of
 * each request on the state as the SCO starts (its values reach sequencing when it ends). */
int seq_valid_json(const sn_state *sn, buf *out)
{
	const sn_tree *t = sn_state_tree(sn);
	size_t n = sn_tree_size(t);
	int c = sn_valid(sn, SN_NAV_CONTINUE, NULL), p = sn_valid(sn, SN_NAV_PREVIOUS, NULL);
	if (c < 0 || p < 0)
		return PC_ENOMEM;
	buf_printf(out, "{\"continue\":%s,\"previous\":%s", c ? "true" : "false", p ? "true" : "false");
	static const struct {
		const char *name;
		sn_nav req;
	} kinds[] = {{"choice", SN_NAV_CHOICE}, {"jump", SN_NAV_JUMP}};
	for (size_t k = 0; n <= SEQ_VALID_TARGETS && k < PC_ARRAY_LEN(kinds); k++) {
		buf_printf(out, ",\"%s\":{", kinds[k].name);
		for (size_t i = 0; i < n; i++) {
			const sn_item *it = sn_tree_item(t, i);
			int v = sn_valid(sn, kinds[k].req, it->id);
			if (v < 0)
				return PC_ENOMEM;
			if (i)
				buf_putc(out, ',');
			buf_put_json_string(out, it->id);
			buf_puts(out, v ? ":true" : ":false");
		}
		buf_putc(out, '}');
	}
	buf_putc(out, '}');
	return buf_error(out);
}

int seq_launch_done(commitq *q, cq_job *j, struct cache_entry *e)
{
	struct seq_entry *s = seq_find(q, j->attempt.id);
	if (!s)
		return PC_ENOTFOUND;
	int cur = sn_current(s->sn);
	int rc = cmi_sn_refresh(e->st, s->sn, cur);
	sn_state_free(j->valid_from);
	j->valid_from = NULL;
	if (!rc)
		rc = sn_state_clone(&j->valid_from, s->sn);
	return rc;
}

static int leaves(const sn_tree *t)
{
	int n = 0;
	for (size_t i = 0; i < sn_tree_size(t); i++)
		n += sn_tree_item(t, i)->leaf;
	return n;
}

int seq_commit(commitq *q, struct cache_entry *e, const cmi_commit_result *res)
{
	if (!e->pkg->tree)
		return 0;
	struct seq_entry *s = NULL;
	int rc = seq_load(q, e->attempt_id, e->learner_id, e->pkg, &s);
	if (rc)
		return rc;
	int cur = sn_current(s->sn);
	const sn_item *it = item_at(s, cur);
	/* A late commit of a part the course has left keeps its values in its own record. */
	if (!it || strcmp(it->id, e->item) != 0)
		return 0;
	cmi_sn_report rep;
	rc = res->terminated ? cmi_sn_report_ended(e->st, &res->report, &rep)
			     : cmi_sn_report_make(e->st, &rep);
	if (rc)
		return rc;
	sn_report_attempt(s->sn, cur, &rep.r);
	cmi_sn_report_free(&rep);
	const char *nav = res->report.nav_request;
	if (res->terminated && !res->report.suspended && (!*nav || !strcmp(nav, "_none_")) &&
	    leaves(e->pkg->tree) == 1) {
		sn_result r;
		if ((rc = sn_navigate(s->sn, SN_NAV_EXIT_ALL, NULL, &r)))
			return rc;
		if (r.outcome == SN_ENDED && sn_suspended(s->sn) < 0 &&
		    (rc = q->app->st->ops->attempt_close(q->app->st, s->attempt_id)))
			return rc;
	}
	return seq_save(q, s);
}

int seq_navigate(rt_app *app, const rt_pkg *pkg, int64_t learner_id, const char *ident,
		 const char *name, int64_t attempt_id, const char *item, const char *nav,
		 const char *from, seq_nav_result *res)
{
	memset(res, 0, sizeof *res);
	/* The part the learner leaves may still be sending its last commit: let it arrive first. */
	store_attempt open;
	int have = app->st->ops->attempt_latest(app->st, learner_id, pkg->id, &open) == 0;
	if (have && from && *from && !attempt_id && !open.closed)
		settle(app->cq, open.id, from);
	cq_job j;
	memset(&j, 0, sizeof j);
	j.kind = JOB_NAV;
	j.pkg = pkg;
	j.learner_id = learner_id;
	j.learner_ident = ident;
	j.learner_name = name;
	j.attempt_id = attempt_id;
	j.item = item;
	j.nav = nav;
	j.from = from;
	j.open = have ? &open : NULL;
	buf_init(&j.out, HTTP_MAX_RESPONSE);
	submit(app->cq, &j);
	if (have)
		store_attempt_clear(&open);
	res->status = j.status;
	snprintf(res->detail, sizeof res->detail, "%s", j.detail);
	res->pkg = j.pkg;
	res->attempt_id = j.attempt.id;
	res->outcome = (int)j.outcome;
	res->moved = j.moved;
	res->closed = j.closed;
	memcpy(res->item, j.delivered, sizeof res->item);
	memcpy(res->exception, j.exception, sizeof res->exception);
	/* The player's view, drawn here from the job's copy of the state: it runs a tentative
	 * evaluation per activity, which the one writer thread must not wait for. */
	if (j.status == 200 && (!j.valid_from || sn_ui_json(j.valid_from, &j.out) != 0))
		res->status = 500;
	sn_state_free(j.valid_from);
	if (res->status == 200 && !(res->view = buf_detach(&j.out, NULL)))
		res->status = 500;
	buf_free(&j.out);
	store_attempt_clear(&j.attempt);
	return res->status == 200 ? 0 : PC_EIO;
}

void seq_nav_result_clear(seq_nav_result *res)
{
	free(res->view);
	res->view = NULL;
}

const char *seq_outcome_name(int outcome)
{
	static const char *const names[] = {
		[NAV_DELIVER] = "deliver",
		[NAV_WAIT] = "wait",
		[NAV_ENDED] = "ended",
		[NAV_REFUSED] = "refused",
	};
	return outcome > 0 && (size_t)outcome < PC_ARRAY_LEN(names) ? names[outcome] : "";
}
