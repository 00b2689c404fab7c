/* What the LMS computes and seeds: launch values from the learner record and the manifest,
 * the end of a session (total_time, next entry, evaluated 2004 statuses, the 1.2 mastery score
 * and default status), the start of the next one and new attempts.
 *
 * Readings chosen where the texts leave room:
 * - 1.2 mastery score: applied at the end of each session when cmi.student_data.mastery_score
 *   is set, credit is "credit" and the SCO left a non-empty score.raw: passed when raw >=
 *   mastery, else failed, whatever status the SCO set (the 1.2 RTE lets the LMS override).
 * - 1.2 status never set by the SCO: "completed" at the end of the session ("browsed" when
 *   lesson_mode is browse), as the 1.2 RTE suggests.
 * - 1.2 entry: "resume" after exit=suspend, otherwise "" (data kept: 1.2 has no attempt end of
 *   its own; the server decides when to start a new attempt with cmi_state_reset_attempt).
 * - 2004: exit=suspend, or adl.nav.request=suspendAll, suspends (next entry "resume"); any
 *   other exit ("", normal, logout, time-out) ends the attempt: the next session starts a new
 *   one (entry ab-initio, total_time zero, only the seeded values).
 * - Durations add up exactly in hundredths of a second; 2004 years count 365 days and months 30
 *   (ISO 8601 leaves them nominal); totals saturate (1.2 at 9999:59:59.99). */
#include <stdlib.h>
#include <string.h>

#include "cmi_int.h"

int cmi_seed_launch(cmi_state *st, const cmi_launch *l, const char **bad_element)
{
	int v12 = cmi_is12(st);
	const struct {
		const char *value;
		const char *name;
	} seeds[] = {
		{l->learner_id, v12 ? "cmi.core.student_id" : "cmi.learner_id"},
		{l->learner_name, v12 ? "cmi.core.student_name" : "cmi.learner_name"},
		{l->credit, v12 ? "cmi.core.credit" : "cmi.credit"},
		{l->mode, v12 ? "cmi.core.lesson_mode" : "cmi.mode"},
		{l->launch_data, "cmi.launch_data"},
		{l->mastery_score, v12 ? "cmi.student_data.mastery_score" : NULL},
		{l->max_time_allowed, v12 ? "cmi.student_data.max_time_allowed" : "cmi.max_time_allowed"},
		{l->time_limit_action, v12 ? "cmi.student_data.time_limit_action" : "cmi.time_limit_action"},
		{l->completion_threshold, v12 ? NULL : "cmi.completion_threshold"},
		{l->scaled_passing_score, v12 ? NULL : "cmi.scaled_passing_score"},
	};
	int first = 0;
	for (size_t i = 0; i < PC_ARRAY_LEN(seeds); i++) {
		if (!seeds[i].value || !seeds[i].name)
			continue;
		int rc = cmi_seed(st, seeds[i].name, seeds[i].value);
		if (rc < 0)
			return rc;
		if (rc > 0 && !first) {
			first = rc;
			if (bad_element)
				*bad_element = seeds[i].name;
		}
	}
	return first;
}

/* Drops every value and seed whose name starts with `prefix` (counts included). */
static void drop_prefix(struct cmi_store *s, const char *prefix, size_t *bytes)
{
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < s->cap;) {
		struct cmi_slot *sl = &s->slots[i];
		if (!sl->key || sl->klen < plen || memcmp(sl->key, prefix, plen) != 0) {
			i++;
			continue;
		}
		if (bytes && !(sl->klen > 7 && !memcmp(sl->key + sl->klen - 7, "._count", 7)))
			*bytes -= sl->vlen;
		cmi_store_del(s, sl->key, sl->klen);
		i = 0; /* deletion moves later entries of the cluster back: look again */
	}
}

int cmi_seed_shared_data(cmi_state *st, const cmi_shared_map *maps, size_t n, const char **bad_element)
{
	if (st->model != CMI_M2004_4)
		return 0;
	drop_prefix(&st->values, "adl.data.", &st->bytes);
	drop_prefix(&st->seeds, "adl.data.", NULL);
	memset(st->shared_written, 0, sizeof st->shared_written);
	for (size_t i = 0; i < n; i++) {
		char el[CMI_KEY_MAX];
		const char *what[4][2] = {
			{"id", maps[i].target_id ? maps[i].target_id : ""},
			{"readSharedData", maps[i].read ? NULL : "false"},
			{"writeSharedData", maps[i].write ? NULL : "false"},
			{"store", maps[i].read ? maps[i].store : NULL},
		};
		for (size_t k = 0; k < 4; k++) {
			if (!what[k][1])
				continue;
			cmi_keyf(el, "adl.data.%zu.%s", i, what[k][0]);
			int rc = cmi_model_seed(st, el, what[k][1], strlen(what[k][1]), 1);
			if (rc < 0)
				return rc;
			if (rc > 0 && k != 3) {
				if (bad_element)
					*bad_element = "adl.data.n.id";
				return rc;
			}
		}
	}
	return 0;
}

int cmi_shared_take_written(cmi_state *st, int (*fn)(void *ud, const char *target_id, const char *value),
			    void *ud)
{
	for (size_t n = 0; n < 8 * sizeof st->shared_written; n++) {
		unsigned char bit = (unsigned char)(1u << (n % 8));
		if (!(st->shared_written[n / 8] & bit))
			continue;
		char id[CMI_KEY_MAX], store[CMI_KEY_MAX];
		cmi_keyf(id, "adl.data.%zu.id", n);
		cmi_keyf(store, "adl.data.%zu.store", n);
		const char *tid = cmi_stored(st, id), *v = cmi_stored(st, store);
		if (tid && v) {
			int rc = fn(ud, tid, v);
			if (rc)
				return rc;
		}
		st->shared_written[n / 8] &= (unsigned char)~bit;
	}
	return 0;
}

const char *cmi_state_get(const cmi_state *st, const char *element)
{
	PC_ASSERT(st != NULL);
	return element ? cmi_model_peek(st, element) : NULL;
}

const char *cmi_state_stored(const cmi_state *st, const char *element)
{
	PC_ASSERT(st != NULL);
	return element ? cmi_stored(st, element) : NULL;
}

size_t cmi_state_count(const cmi_state *st, const char *collection)
{
	PC_ASSERT(st != NULL);
	/* no collection has a longer name: such a name would not fit a key */
	if (!collection || strlen(collection) > CMI_KEY_MAX - sizeof "._count")
		return 0;
	return cmi_count_of(st, collection);
}

unsigned long cmi_state_session(const cmi_state *st) { return st->session; }

static int store_text(cmi_state *st, const char *key, const char *v)
{
	return cmi_store_value(st, key, v, strlen(v));
}

/* total += session_time, when the SCO reported one. */
static int add_session_time(cmi_state *st)
{
	int v12 = cmi_is12(st);
	const char *key = v12 ? "cmi.core.total_time" : "cmi.total_time";
	const char *session = cmi_stored(st, v12 ? "cmi.core.session_time" : "cmi.session_time");
	if (!session)
		return 0;
	const char *total = cmi_model_peek(st, key);
	long long a = v12 ? cmi_timespan12_cs(total) : cmi_duration_cs(total);
	long long b = v12 ? cmi_timespan12_cs(session) : cmi_duration_cs(session);
	if (a < 0)
		a = 0;
	if (b < 0)
		b = 0;
	long long sum = a > CMI_CS_CAP - b ? CMI_CS_CAP : a + b;
	buf t;
	buf_init(&t, 0);
	int rc = v12 ? cmi_timespan12_format(sum, &t) : cmi_duration_format(sum, &t);
	if (!rc)
		rc = store_text(st, key, buf_cstr(&t));
	buf_free(&t);
	return rc;
}

static int end12(cmi_state *st)
{
	const char *mastery = cmi_stored(st, "cmi.student_data.mastery_score");
	const char *raw = cmi_stored(st, "cmi.core.score.raw");
	const char *credit = cmi_model_peek(st, "cmi.core.credit");
	if (mastery && *mastery && raw && *raw && credit && !strcmp(credit, "credit")) {
		int pass = cmi_decimal_cmp(raw, strlen(raw), mastery, strlen(mastery)) >= 0;
		return store_text(st, "cmi.core.lesson_status", pass ? "passed" : "failed");
	}
	if (!cmi_stored(st, "cmi.core.lesson_status")) {
		const char *mode = cmi_model_peek(st, "cmi.core.lesson_mode");
		return store_text(st, "cmi.core.lesson_status",
				  mode && !strcmp(mode, "browse") ? "browsed" : "completed");
	}
	return 0;
}

static int end2004(cmi_state *st)
{
	/* keep the evaluated statuses, so the stored record says what GetValue said */
	int rc = 0;
	if (cmi_stored(st, "cmi.completion_threshold"))
		rc = store_text(st, "cmi.completion_status", cmi_model_peek(st, "cmi.completion_status"));
	if (!rc && cmi_stored(st, "cmi.scaled_passing_score"))
		rc = store_text(st, "cmi.success_status", cmi_model_peek(st, "cmi.success_status"));
	return rc;
}

void cmi_report_fill(const cmi_state *st, cmi_session_report *r)
{
	int v12 = cmi_is12(st);
	memset(r, 0, sizeof *r);
	const char *exit = cmi_stored(st, v12 ? "cmi.core.exit" : "cmi.exit");
	if (exit && strlen(exit) < sizeof r->exit)
		strcpy(r->exit, exit);
	const char *nav = v12 ? "" : cmi_model_peek(st, "adl.nav.request");
	if (nav) {
		/* the token without its {target=..} */
		const char *tok = nav[0] == '{' ? strchr(nav, '}') : NULL;
		tok = tok ? tok + 1 : nav;
		if (strlen(tok) < sizeof r->nav_request)
			strcpy(r->nav_request, tok);
	}
	r->suspended = !strcmp(r->exit, "suspend") || !strcmp(r->nav_request, "suspendAll");
	r->attempt_ended = !r->suspended;
	if (!v12) {
		r->completion_set = cmi_stored(st, "cmi.completion_status") != NULL;
		r->success_set = cmi_stored(st, "cmi.success_status") != NULL;
	}
}

int cmi_session_end(cmi_state *st, cmi_session_report *report)
{
	PC_ASSERT(st != NULL);
	int rc = 0;
	if (st->ended)
		goto done;
	int v12 = cmi_is12(st);
	cmi_session_report r;
	cmi_report_fill(st, &r);

	rc = add_session_time(st);
	if (!rc)
		rc = v12 ? end12(st) : end2004(st);
	if (!rc)
		rc = store_text(st, v12 ? "cmi.core.entry" : "cmi.entry", r.suspended ? "resume" : "");
	if (rc)
		return rc;
	st->report = r;
	st->ended = 1;
	st->attempt_ended = r.attempt_ended;
	if (st->api == CMI_API_RUNNING)
		st->api = CMI_API_TERMINATED;
done:
	if (report)
		*report = st->report;
	return rc;
}

int cmi_state_reset_attempt(cmi_state *st)
{
	struct cmi_kv *kv = malloc((st->seeds.len ? st->seeds.len : 1) * sizeof *kv);
	size_t n = 0;
	if (!kv)
		return PC_ENOMEM;
	for (size_t i = 0; i < st->seeds.cap; i++) {
		const struct cmi_slot *sl = &st->seeds.slots[i];
		if (sl->key)
			kv[n++] = (struct cmi_kv){sl->key, sl->val, sl->vlen};
	}
	cmi_store_free(&st->values);
	st->bytes = 0;
	int rc = cmi_model_load(st, kv, n, 0, NULL, 0);
	if (rc == PC_EFORMAT)
		rc = 0; /* seeds were checked when given; a refusal now cannot happen */
	free(kv);
	return rc;
}

int cmi_session_begin(cmi_state *st, int *new_attempt)
{
	PC_ASSERT(st != NULL);
	int rc = 0, fresh = 0;
	int v12 = cmi_is12(st);
	if (st->active && !st->ended)
		rc = cmi_session_end(st, NULL);
	if (!rc && !v12 && st->ended && st->attempt_ended) {
		rc = cmi_state_reset_attempt(st);
		fresh = 1;
	}
	if (rc)
		return rc;
	cmi_drop_value(st, v12 ? "cmi.core.exit" : "cmi.exit");
	cmi_drop_value(st, v12 ? "cmi.core.session_time" : "cmi.session_time");
	if (!v12)
		cmi_drop_value(st, "adl.nav.request");
	st->api = CMI_API_NOT_INITIALIZED;
	cmi_clear_error(st);
	st->session++;
	st->seq = 0;
	st->applied = 0;
	st->active = 0;
	st->ended = 0;
	st->attempt_ended = 0;
	memset(&st->report, 0, sizeof st->report);
	if (new_attempt)
		*new_attempt = fresh;
	return 0;
}

cmi_phase cmi_state_phase(const cmi_state *st)
{
	if (st->ended)
		return st->attempt_ended ? CMI_PHASE_DONE : CMI_PHASE_SUSPENDED;
	return st->active ? CMI_PHASE_RUNNING : CMI_PHASE_NEW;
}

int cmi_state_keep_attempt(cmi_state *st)
{
	if (!st->ended || !st->attempt_ended)
		return 0;
	int rc = store_text(st, cmi_is12(st) ? "cmi.core.entry" : "cmi.entry", "resume");
	if (rc)
		return rc;
	st->attempt_ended = 0;
	st->report.suspended = 1;
	st->report.attempt_ended = 0;
	return 0;
}
