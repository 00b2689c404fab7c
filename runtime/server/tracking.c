/* What a SCO's CMI state writes to the store after a launch or a commit: the summary columns
 * reports read (status, score, time, location), one row per interaction the commit touched, the
 * journal row; and closing the attempt once every launchable item is finished. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commitq.h"
#include "common.h"

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

/* Stores a state after a commit or launch: summary columns (completion and success as given
 * when not NULL), interactions, journal row. */
static int put_state(commitq *q, struct cache_entry *e, int64_t seq, const char *request,
		     const char *response, const cmi_commit_result *res, int all_interactions,
		     const char *completion_as, const char *success_as)
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
	if (completion_as)
		completion = completion_as;
	if (success_as)
		success = success_as;
	const char *total = cmi_state_get(st, nm->total);
	store_sco_write w = {
		.attempt_id = e->attempt_id,
		.item = e->item,
		.seq = seq,
		.expect_rev = e->rev ? e->rev : -1,
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
	if (rc == 0)
		e->rev = e->rev ? e->rev + 1 : 1;
	free(scratch);
cleanup:
	free(its);
	return rc;
}

int store_state(commitq *q, struct cache_entry *e, int64_t seq, const char *request,
		const char *response, const cmi_commit_result *res, int all_interactions)
{
	return put_state(q, e, seq, request, response, res, all_interactions, NULL, NULL);
}

int store_state_status(commitq *q, struct cache_entry *e, const cmi_commit_result *res,
		       const char *completion, const char *success)
{
	return put_state(q, e, e->seq, NULL, NULL, res, 1, completion, success);
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
int maybe_close_attempt(commitq *q, int64_t attempt_id, const rt_pkg *pkg)
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

