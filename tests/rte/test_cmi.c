/* The C model's server-side API: seeding, states as JSON, sessions and attempts, commits from
 * the browser (exactly once, in any order, terminate once), limits and the embedded adapter. */
#include "cmocka_all.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmi.h"
#include "cmi_int.h"
#include "test_rte.h"

static cmi_state *fresh(scorm_version v)
{
	cmi_state *st = NULL;
	assert_int_equal(cmi_state_new(&st, v), 0);
	return st;
}

/* Handles a commit body and returns the answer (static buffer). */
static const char *commit(cmi_state *st, const char *body, int want_rc, cmi_commit_result *res)
{
	static char answer[4096];
	buf out = BUF_INIT;
	cmi_commit_result r;
	assert_int_equal(cmi_commit_handle(st, body, strlen(body), &out, res ? res : &r), want_rc);
	snprintf(answer, sizeof answer, "%s", buf_cstr(&out));
	buf_free(&out);
	return answer;
}

/* Keys are built in fixed buffers (cmi_keyf, asserted): every table name must leave room for two
 * row numbers of CMI_INDEX_MAX's width and "._count". */
static void table_names_fit_keys(void **state)
{
	(void)state;
	for (size_t i = 0; i < cmi_elem_count; i++)
		assert_true(strlen(cmi_elems[i].name) <= CMI_NAME_MAX);
	for (size_t i = 0; i < cmi_coll_count; i++)
		assert_true(strlen(cmi_colls[i].name) <= CMI_NAME_MAX);
	assert_true(CMI_NAME_MAX + 2 * 10 + sizeof "._count" <= CMI_KEY_MAX);
	/* the longest keys there can be: saturated row numbers at both levels */
	cmi_state *st = NULL;
	assert_int_equal(cmi_state_new(&st, SCORM_2004_4TH), 0);
	assert_int_equal(cmi_api_initialize(st, ""), 1);
	assert_int_equal(cmi_api_set_value(st, "cmi.interactions.99999999999999.correct_responses.99999999999999.pattern", "a"), 0);
	assert_int_equal(cmi_api_last_error(st), 351);
	assert_string_equal(cmi_api_get_value(st, "cmi.interactions.99999999999999.objectives._count"), "");
	assert_int_equal(cmi_api_last_error(st), 301);
	char longname[4096];
	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	assert_int_equal(cmi_state_count(st, longname), 0);
	cmi_state_free(st);
}

static void new_state_rejects_unknown_version(void **state)
{
	(void)state;
	cmi_state *st = (cmi_state *)1;
	assert_int_equal(cmi_state_new(&st, SCORM_UNKNOWN), PC_EINVAL);
	assert_null(st);
	cmi_state_free(NULL);
	assert_int_equal(cmi_version_parse("2004"), SCORM_2004_4TH);
	assert_int_equal(cmi_version_parse("2004-3rd"), SCORM_2004_3RD);
	assert_int_equal(cmi_version_parse("1.2"), SCORM_12);
	assert_int_equal(cmi_version_parse("1.3"), SCORM_UNKNOWN);
	assert_string_equal(cmi_version_string(SCORM_2004_4TH), "2004-4th");
}

static void seeds_are_checked(void **state)
{
	(void)state;
	cmi_state *st = fresh(SCORM_12);
	assert_int_equal(cmi_seed(st, "cmi.core.student_id", "u 1"), 405);
	assert_int_equal(cmi_seed(st, "cmi.core.student_id", "u1"), 0);
	assert_int_equal(cmi_seed(st, "cmi.core.bogus", "x"), 201);
	assert_int_equal(cmi_seed(st, "cmi.core._children", "x"), 402);
	assert_int_equal(cmi_seed(st, "cmi.objectives.1.id", "x"), 201); /* gap */
	assert_int_equal(cmi_seed(st, "cmi.core.lesson_status", "not attempted"), 0); /* the LMS may */
	const char *bad = NULL;
	cmi_launch l = {.learner_id = "u2", .learner_name = "Doe, Jane", .mastery_score = "80",
			.max_time_allowed = "00:30:00", .time_limit_action = "exit,message",
			.completion_threshold = "0.5" /* not 1.2: ignored */};
	assert_int_equal(cmi_seed_launch(st, &l, &bad), 0);
	assert_string_equal(cmi_state_get(st, "cmi.core.student_id"), "u2");
	assert_string_equal(cmi_state_get(st, "cmi.student_data.mastery_score"), "80");
	l.mastery_score = "101";
	l.time_limit_action = "continue,no message";
	assert_int_equal(cmi_seed_launch(st, &l, &bad), 405);
	assert_string_equal(bad, "cmi.student_data.mastery_score");
	/* the refused value is left out, the ones after it are still seeded */
	assert_string_equal(cmi_state_get(st, "cmi.student_data.mastery_score"), "80");
	assert_string_equal(cmi_state_get(st, "cmi.student_data.time_limit_action"), "continue,no message");
	assert_string_equal(cmi_state_get(st, "cmi.student_data.max_time_allowed"), "00:30:00");
	cmi_state_free(st);

	st = fresh(SCORM_2004_4TH);
	cmi_launch l4 = {.learner_id = "urn:l:1", .mode = "review", .completion_threshold = "0.8",
			 .scaled_passing_score = "0.6", .max_time_allowed = "PT1H", .mastery_score = "80"};
	assert_int_equal(cmi_seed_launch(st, &l4, NULL), 0);
	assert_string_equal(cmi_state_get(st, "cmi.mode"), "review");
	assert_string_equal(cmi_state_get(st, "cmi.max_time_allowed"), "PT1H");
	assert_string_equal(cmi_state_get(st, "cmi.scaled_passing_score"), "0.6");
	assert_null(cmi_state_get(st, "cmi.student_data.mastery_score"));
	assert_int_equal(cmi_seed(st, "cmi.interactions.0.correct_responses.0.pattern", "a"), 408); /* no type to check it by */
	char err[200];
	assert_int_equal(cmi_seed_json(st, "{\"cmi.location\": 5}", 19, err, sizeof err), PC_EFORMAT);
	assert_non_null(strstr(err, "cmi.location"));
	assert_int_equal(cmi_seed_json(st, "[1]", 3, err, sizeof err), PC_EFORMAT);
	assert_int_equal(cmi_seed_json(st, "{", 1, err, sizeof err), PC_EFORMAT);
	assert_int_equal(cmi_seed_json(st, "{\"a\":\"1\",\"a\":\"2\"}", 17, err, sizeof err), PC_EFORMAT);
	const char *ok = "{\"cmi.interactions.0.correct_responses.0.pattern\":\"true\",\"cmi.interactions.0.type\":\"true-false\","
			 "\"cmi.interactions.0.id\":\"q\"}";
	assert_int_equal(cmi_seed_json(st, ok, strlen(ok), err, sizeof err), 0);
	assert_int_equal(cmi_state_count(st, "cmi.interactions.0.correct_responses"), 1);
	cmi_state_free(st);
}

static void state_round_trips_through_json(void **state)
{
	(void)state;
	cmi_state *st = fresh(SCORM_2004_4TH), *back = NULL;
	buf a = BUF_INIT, b = BUF_INIT;
	char err[200];
	assert_int_equal(cmi_seed(st, "cmi.learner_id", "urn:l:7"), 0);
	assert_int_equal(cmi_seed(st, "cmi.objectives.0.id", "o1"), 0);
	assert_true(cmi_api_initialize(st, ""));
	assert_true(cmi_api_set_value(st, "cmi.location", "p\"3\" \xe2\x82\xac"));
	assert_true(cmi_api_set_value(st, "cmi.interactions.0.id", "q"));
	assert_true(cmi_api_set_value(st, "cmi.interactions.0.type", "choice"));
	assert_true(cmi_api_set_value(st, "cmi.interactions.0.correct_responses.0.pattern", "a[,]b"));
	assert_int_equal(cmi_state_to_json(st, &a), 0);
	assert_int_equal(cmi_state_from_json(&back, a.data, a.len, err, sizeof err), 0);
	assert_int_equal(cmi_state_to_json(back, &b), 0);
	assert_string_equal(buf_cstr(&a), buf_cstr(&b));
	assert_string_equal(cmi_state_get(back, "cmi.location"), "p\"3\" \xe2\x82\xac");
	assert_int_equal(cmi_state_count(back, "cmi.interactions"), 1);
	/* the API state came back too: still running */
	assert_string_equal(cmi_api_get_value(back, "cmi.learner_id"), "urn:l:7");
	assert_int_equal(cmi_api_last_error(back), 0);

	buf_reset(&b);
	assert_int_equal(cmi_state_initial_json(back, &b), 0);
	assert_null(strstr(buf_cstr(&b), "_count"));
	assert_non_null(strstr(buf_cstr(&b), "\"cmi.interactions.0.correct_responses.0.pattern\":\"a[,]b\""));
	assert_true(cmi_api_set_value(back, "cmi.suspend_data", "</script><b>&\xe2\x80\xa8"));
	buf_reset(&b);
	assert_int_equal(cmi_state_initial_json(back, &b), 0);
	assert_non_null(strstr(buf_cstr(&b), "\"cmi.suspend_data\":\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028\""));
	cmi_state_free(back);

	/* a stored state cannot smuggle in what SetValue refuses */
	const char *evil = "{\"format\":1,\"version\":\"2004-4th\",\"session\":1,\"api\":\"running\",\"seq\":0,\"applied\":0,"
			   "\"seed\":{},\"values\":{\"cmi.score.scaled\":\"7\"}}";
	assert_int_equal(cmi_state_from_json(&back, evil, strlen(evil), err, sizeof err), PC_EFORMAT);
	assert_null(back);
	assert_non_null(strstr(err, "cmi.score.scaled"));
	const char *gap = "{\"format\":1,\"version\":\"1.2\",\"session\":1,\"api\":\"running\",\"seq\":0,\"applied\":0,"
			  "\"seed\":{},\"values\":{\"cmi.objectives.1.id\":\"x\"}}";
	assert_int_equal(cmi_state_from_json(&back, gap, strlen(gap), err, sizeof err), PC_EFORMAT);
	for (const char *bad = "{\"format\":2}\0{\"format\":1,\"version\":\"9\"}\0[]\0{\"format\":1,\"version\":\"1.2\"}\0"; *bad;
	     bad += strlen(bad) + 1)
		assert_int_equal(cmi_state_from_json(&back, bad, strlen(bad), err, sizeof err), PC_EFORMAT);
	buf_free(&a);
	buf_free(&b);
	cmi_state_free(st);
}

static void commits_apply_exactly_once(void **state)
{
	(void)state;
	cmi_state *st = fresh(SCORM_2004_4TH);
	cmi_commit_result r;
	int na;
	assert_int_equal(cmi_session_begin(st, &na), 0);
	assert_int_equal(cmi_state_session(st), 1);
	const char *a = commit(st, "{\"protocol\":1,\"version\":\"2004-4th\",\"session\":1,\"seq\":1,\"from\":0,"
				   "\"changes\":[[\"cmi.location\",\"p1\"],[\"cmi.interactions.0.id\",\"q\"]],\"terminate\":false}", 0, &r);
	assert_string_equal(a, "{\"result\":true,\"errorCode\":0,\"seq\":1,\"applied\":2}");
	assert_int_equal(r.applied, 2);
	assert_false(r.duplicate);
	/* the same request again (a retry whose answer was lost): nothing new */
	a = commit(st, "{\"protocol\":1,\"version\":\"2004\",\"session\":1,\"seq\":1,\"from\":0,"
		       "\"changes\":[[\"cmi.location\",\"p1\"],[\"cmi.interactions.0.id\",\"q\"]]}", 0, &r);
	assert_true(r.duplicate);
	assert_string_equal(a, "{\"result\":true,\"errorCode\":0,\"seq\":1,\"applied\":2}");
	/* an overlapping request: only entry 2 is new; entry 1 would be a second row if replayed */
	a = commit(st, "{\"protocol\":1,\"version\":\"2004-4th\",\"session\":1,\"seq\":2,\"from\":1,"
		       "\"changes\":[[\"cmi.interactions.0.id\",\"q\"],[\"cmi.interactions.1.id\",\"q2\"]]}", 0, &r);
	assert_int_equal(r.applied, 3);
	assert_int_equal(cmi_state_count(st, "cmi.interactions"), 2);
	/* a gap: entries 3..4 missing */
	a = commit(st, "{\"protocol\":1,\"version\":\"2004-4th\",\"session\":1,\"seq\":4,\"from\":5,"
		       "\"changes\":[[\"cmi.location\",\"p9\"]]}", 0, &r);
	assert_int_equal(r.error_code, 391);
	assert_non_null(strstr(a, "\"result\":false"));
	assert_non_null(strstr(a, "\"applied\":3"));
	assert_string_equal(cmi_state_get(st, "cmi.location"), "p1");
	/* a late request of an earlier seq carrying nothing new */
	a = commit(st, "{\"protocol\":1,\"version\":\"2004-4th\",\"session\":1,\"seq\":1,\"from\":0,\"changes\":[]}", 0, &r);
	assert_int_equal(r.error_code, 0);
	cmi_state_free(st);
}

static void commits_report_refused_changes(void **state)
{
	(void)state;
	cmi_state *st = fresh(SCORM_2004_4TH);
	cmi_commit_result r;
	const char *a = commit(st, "{\"protocol\":1,\"version\":\"2004-4th\",\"session\":0,\"seq\":1,\"from\":0,"
				   "\"changes\":[[\"cmi.score.scaled\",\"2\"],[\"cmi.location\",\"ok\"],[\"cmi.credit\",\"credit\"]]}", 0, &r);
	assert_int_equal(r.nrejected, 2);
	assert_int_equal(r.error_code, 391);
	assert_int_equal(r.applied, 3);
	assert_string_equal(a, "{\"result\":false,\"errorCode\":391,\"seq\":1,\"applied\":3,\"rejected\":["
			       "{\"index\":0,\"element\":\"cmi.score.scaled\",\"errorCode\":407,\"diagnostic\":\"cmi.score.scaled: outside the range -1..1\"},"
			       "{\"index\":2,\"element\":\"cmi.credit\",\"errorCode\":404,\"diagnostic\":\"cmi.credit is read-only\"}]}");
	assert_string_equal(cmi_state_get(st, "cmi.location"), "ok");
	assert_null(cmi_state_get(st, "cmi.score.scaled"));
	cmi_state_free(st);

	st = fresh(SCORM_12);
	a = commit(st, "{\"protocol\":1,\"version\":\"1.2\",\"session\":0,\"seq\":1,\"from\":0,"
		       "\"changes\":[[\"cmi.core.lesson_status\",\"not attempted\"]]}", 0, &r);
	assert_int_equal(r.error_code, 101);
	assert_non_null(strstr(a, "\"errorCode\":405"));
	cmi_state_free(st);
}

static void commits_refuse_what_is_not_a_commit(void **state)
{
	(void)state;
	cmi_state *st = fresh(SCORM_12);
	const char *bodies[] = {
		"", "null", "[]", "{", "{\"protocol\":2,\"version\":\"1.2\",\"session\":0,\"seq\":1,\"from\":0,\"changes\":[]}",
		"{\"protocol\":1,\"version\":\"1.2\",\"session\":0,\"seq\":0,\"from\":0,\"changes\":[]}",
		"{\"protocol\":1,\"version\":\"1.2\",\"session\":0,\"seq\":1,\"from\":-1,\"changes\":[]}",
		"{\"protocol\":1,\"version\":\"1.2\",\"session\":0,\"seq\":1,\"from\":0,\"changes\":{}}",
		"{\"protocol\":1,\"version\":\"1.2\",\"session\":0,\"seq\":1,\"from\":0,\"changes\":[[\"a\"]]}",
		"{\"protocol\":1,\"version\":\"1.2\",\"session\":0,\"seq\":1,\"from\":0,\"changes\":[[\"a\",1]]}",
		"{\"protocol\":1,\"version\":\"1.2\",\"session\":0,\"seq\":1,\"from\":0,\"changes\":[],\"terminate\":\"yes\"}",
		"{\"protocol\":1,\"version\":\"2004-4th\",\"session\":0,\"seq\":1,\"from\":0,\"changes\":[]}",
		"{\"protocol\":1,\"version\":\"1.2\",\"session\":0,\"seq\":1,\"from\":0,\"changes\":[[\"cmi.suspend_data\",\"a\\u0000b\"]]}",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		cmi_commit_result r;
		const char *a = commit(st, bodies[i], PC_EFORMAT, &r);
		assert_non_null(strstr(a, "\"result\":false"));
		assert_non_null(strstr(a, "\"errorCode\":101"));
		assert_non_null(strstr(a, "\"error\":"));
	}
	/* another session's commit is a commit, refused */
	cmi_commit_result r;
	const char *a = commit(st, "{\"protocol\":1,\"version\":\"1.2\",\"session\":7,\"seq\":1,\"from\":0,"
				   "\"changes\":[[\"cmi.core.lesson_location\",\"x\"]]}", 0, &r);
	assert_non_null(strstr(a, "another session"));
	assert_null(cmi_state_get(st, "cmi.core.lesson_location"));
	cmi_state_free(st);
}

static void terminate_ends_the_session_once(void **state)
{
	(void)state;
	cmi_state *st = fresh(SCORM_12);
	cmi_commit_result r;
	int na;
	assert_int_equal(cmi_session_begin(st, &na), 0);
	const char *body = "{\"protocol\":1,\"version\":\"1.2\",\"session\":1,\"seq\":3,\"from\":0,"
			   "\"changes\":[[\"cmi.core.session_time\",\"00:10:00\"],[\"cmi.core.exit\",\"suspend\"]],\"terminate\":true}";
	commit(st, body, 0, &r);
	assert_true(r.terminated);
	assert_true(r.report.suspended);
	assert_false(r.report.attempt_ended);
	assert_string_equal(r.report.exit, "suspend");
	assert_string_equal(cmi_state_get(st, "cmi.core.total_time"), "0000:10:00.00");
	/* the beacon repeats it */
	commit(st, body, 0, &r);
	assert_true(r.duplicate);
	assert_false(r.terminated);
	assert_string_equal(cmi_state_get(st, "cmi.core.total_time"), "0000:10:00.00");
	/* nothing new may arrive after the end */
	const char *a = commit(st, "{\"protocol\":1,\"version\":\"1.2\",\"session\":1,\"seq\":4,\"from\":2,"
				   "\"changes\":[[\"cmi.core.session_time\",\"00:10:00\"]]}", 0, &r);
	assert_non_null(strstr(a, "has ended"));
	/* the next launch */
	assert_int_equal(cmi_session_begin(st, &na), 0);
	assert_false(na);
	assert_string_equal(cmi_state_get(st, "cmi.core.entry"), "resume");
	assert_null(cmi_state_get(st, "cmi.core.exit"));
	assert_int_equal(cmi_state_session(st), 2);
	commit(st, "{\"protocol\":1,\"version\":\"1.2\",\"session\":2,\"seq\":1,\"from\":0,"
		   "\"changes\":[[\"cmi.core.session_time\",\"00:05:00\"]],\"terminate\":true}", 0, &r);
	assert_string_equal(cmi_state_get(st, "cmi.core.total_time"), "0000:15:00.00");
	assert_true(r.report.attempt_ended);
	cmi_state_free(st);

	/* 2004: an ended attempt starts over from the seeds */
	st = fresh(SCORM_2004_4TH);
	assert_int_equal(cmi_seed(st, "cmi.learner_id", "urn:l:1"), 0);
	assert_int_equal(cmi_session_begin(st, &na), 0);
	commit(st, "{\"protocol\":1,\"version\":\"2004-4th\",\"session\":1,\"seq\":1,\"from\":0,"
		   "\"changes\":[[\"cmi.location\",\"p\"],[\"cmi.exit\",\"normal\"]],\"terminate\":true}", 0, &r);
	assert_true(r.report.attempt_ended);
	assert_int_equal(cmi_session_begin(st, &na), 0);
	assert_true(na);
	assert_null(cmi_state_get(st, "cmi.location"));
	assert_string_equal(cmi_state_get(st, "cmi.learner_id"), "urn:l:1");
	assert_string_equal(cmi_state_get(st, "cmi.entry"), "ab-initio");
	/* a session that never ended (page closed) is ended by the next launch */
	commit(st, "{\"protocol\":1,\"version\":\"2004-4th\",\"session\":2,\"seq\":1,\"from\":0,"
		   "\"changes\":[[\"cmi.session_time\",\"PT1M\"],[\"cmi.exit\",\"suspend\"]]}", 0, &r);
	assert_int_equal(cmi_session_begin(st, &na), 0);
	assert_false(na);
	assert_string_equal(cmi_state_get(st, "cmi.total_time"), "PT0H1M0S");
	assert_string_equal(cmi_state_get(st, "cmi.entry"), "resume");
	assert_int_equal(cmi_state_reset_attempt(st), 0);
	assert_string_equal(cmi_state_get(st, "cmi.total_time"), "PT0H0M0S");
	cmi_state_free(st);
}

static void apply_changes_lists_refusals(void **state)
{
	(void)state;
	cmi_state *st = fresh(SCORM_2004_4TH);
	cmi_change ch[] = {{"cmi.interactions.0.type", "choice"}, {"cmi.interactions.0.id", "q"},
			   {"cmi.interactions.0.type", "choice"}, {NULL, "x"}, {"cmi.location", NULL}};
	cmi_rejection rej[5];
	size_t n = 99;
	assert_int_equal(cmi_apply_changes(st, ch, 5, rej, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rej[0].index, 0);
	assert_int_equal(rej[0].code, 408);
	assert_int_equal(rej[1].index, 3);
	assert_int_equal(rej[1].code, 351);
	assert_string_equal(cmi_state_get(st, "cmi.location"), "");
	cmi_state_free(st);
}

static void stored_data_is_capped(void **state)
{
	(void)state;
	cmi_state *st = fresh(SCORM_2004_4TH);
	char *big = malloc(64001);
	size_t used = 0;
	memset(big, 'x', 64000);
	big[64000] = '\0';
	/* 64000-character shared data stores: 66 of them pass CMI_STATE_MAX_BYTES */
	int i;
	char el[64], id[32];
	for (i = 0; i < 100; i++) {
		snprintf(el, sizeof el, "adl.data.%d.id", i);
		snprintf(id, sizeof id, "urn:x:%d", i);
		assert_int_equal(cmi_seed(st, el, id), 0);
	}
	assert_true(cmi_api_initialize(st, ""));
	for (i = 0; i < 100; i++) {
		snprintf(el, sizeof el, "adl.data.%d.store", i);
		if (!cmi_api_set_value(st, el, big))
			break;
		used += 64000;
	}
	assert_true(i > 0 && i < 100);
	assert_true(used + 64000 > CMI_STATE_MAX_BYTES);
	assert_true(used <= CMI_STATE_MAX_BYTES);
	assert_int_equal(cmi_api_last_error(st), 351);
	assert_non_null(strstr(cmi_api_diagnostic(st, ""), "4194304 bytes"));
	/* a smaller value still fits, and rewriting a value counts only the difference */
	snprintf(el, sizeof el, "adl.data.%d.store", i - 1);
	assert_true(cmi_api_set_value(st, el, "short"));
	assert_true(cmi_api_set_value(st, el, big));
	cmi_state_free(st);
	free(big);
}

static void invalid_utf8_is_a_type_error(void **state)
{
	(void)state;
	cmi_state *st = fresh(SCORM_2004_4TH);
	assert_true(cmi_api_initialize(st, ""));
	assert_false(cmi_api_set_value(st, "cmi.location", "a\xff"));
	assert_int_equal(cmi_api_last_error(st), 406);
	assert_false(cmi_api_set_value(st, "cmi.location", "\xed\xa0\x80")); /* a surrogate */
	assert_int_equal(cmi_api_last_error(st), 406);
	/* a name with invalid UTF-8: unknown, and the diagnostic stays valid UTF-8 */
	assert_string_equal(cmi_api_get_value(st, "cmi.\xff"), "");
	assert_int_equal(cmi_api_last_error(st), 401);
	assert_string_equal(cmi_api_diagnostic(st, ""), "cmi.\xef\xbf\xbd is not an element of this data model");
	cmi_state_free(st);
}

static void diagnostics_are_cut_to_255_characters(void **state)
{
	(void)state;
	cmi_state *st = fresh(SCORM_12);
	char name[600];
	memset(name, 'z', sizeof name - 1);
	memcpy(name, "cmi.core.", 9);
	name[sizeof name - 1] = '\0';
	assert_true(cmi_api_initialize(st, ""));
	cmi_api_get_value(st, name);
	assert_int_equal(cmi_api_last_error(st), 201);
	assert_int_equal(strlen(cmi_api_diagnostic(st, "")), 255);
	cmi_state_free(st);
}

static int failing_hook(void *ud, cmi_lms_event ev, cmi_state *st, buf *why)
{
	(void)st;
	if (ev != CMI_LMS_COMMIT)
		return 0;
	if (ud)
		buf_puts(why, ud);
	return 1;
}

/* The LMS's failures reach the SCO with the LMS's reason in the diagnostic. */
static void lms_failures_say_why(void **state)
{
	(void)state;
	cmi_state *st = fresh(SCORM_2004_4TH);
	cmi_state_set_hook(st, failing_hook, "the request failed: network down");
	assert_int_equal(cmi_api_initialize(st, ""), 1);
	assert_int_equal(cmi_api_commit(st, ""), 0);
	assert_int_equal(cmi_api_last_error(st), 391);
	assert_string_equal(cmi_api_diagnostic(st, ""),
			    "Commit: the LMS could not store the data (the request failed: network down)");
	cmi_state_set_hook(st, failing_hook, NULL);
	assert_int_equal(cmi_api_commit(st, ""), 0);
	assert_string_equal(cmi_api_diagnostic(st, ""), "Commit: the LMS could not store the data (storage failure)");
	assert_int_equal(cmi_api_terminate(st, ""), 1); /* the hook fails commits only */
	cmi_state_free(st);
}

static void calls_by_name(void **state)
{
	(void)state;
	cmi_state *st = fresh(SCORM_12);
	const char *r;
	assert_int_equal(cmi_api_call(st, "Initialize", "", NULL, &r), PC_ENOTFOUND);
	assert_int_equal(cmi_api_call(st, "LMSInitialize", NULL, NULL, &r), 0);
	assert_string_equal(r, "true");
	assert_int_equal(cmi_api_call(st, "LMSGetValue", "cmi.core._children", NULL, &r), 0);
	assert_non_null(strstr(r, "lesson_status"));
	assert_int_equal(cmi_api_call(st, "LMSSetValue", "cmi.core.score.raw", NULL, &r), 0); /* NULL is "" */
	assert_string_equal(r, "true");
	assert_int_equal(cmi_api_call(st, "LMSGetLastError", NULL, NULL, &r), 0);
	assert_string_equal(r, "0");
	cmi_state_free(st);
}


/* Runs `fn` in a child process and returns what it wrote to stderr; *sig gets the signal that
 * ended it (0 when it exited). cmocka's own signal handlers are put back to the defaults in
 * the child, so an abort ends it as it would end the product. */
static void in_child(void (*fn)(void), char *out, size_t size, int *sig)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGABRT, SIG_DFL);
		signal(SIGSEGV, SIG_DFL);
		dup2(fds[1], 2);
		close(fds[0]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	size_t got = 0;
	ssize_t n;
	while (got < size - 1 && (n = read(fds[0], out + got, size - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(fds[0]);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	*sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void get_value_of_no_state(void)
{
	(void)cmi_api_get_value(NULL, "cmi.location");
}

/* A NULL state is a programming error, not input: the model stops at once and says where and
 * which guarantee broke (PC_ASSERT, in every build type) instead of reading through it. */
static void a_null_state_stops_with_a_message(void **state)
{
	char out[1024];
	int sig;
	in_child(get_value_of_no_state, out, sizeof out, &sig);
	assert_int_equal(sig, SIGABRT);
	assert_non_null(strstr(out, "cmi_api.c:"));
	assert_non_null(strstr(out, ": assertion failed: st != NULL\n"));
}

int test_cmi(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_names_fit_keys),
		cmocka_unit_test(a_null_state_stops_with_a_message),
		cmocka_unit_test(new_state_rejects_unknown_version),
		cmocka_unit_test(seeds_are_checked),
		cmocka_unit_test(state_round_trips_through_json),
		cmocka_unit_test(commits_apply_exactly_once),
		cmocka_unit_test(commits_report_refused_changes),
		cmocka_unit_test(commits_refuse_what_is_not_a_commit),
		cmocka_unit_test(terminate_ends_the_session_once),
		cmocka_unit_test(apply_changes_lists_refusals),
		cmocka_unit_test(stored_data_is_capped),
		cmocka_unit_test(invalid_utf8_is_a_type_error),
		cmocka_unit_test(diagnostics_are_cut_to_255_characters),
		cmocka_unit_test(lms_failures_say_why),
		cmocka_unit_test(calls_by_name),
	};
	return cmocka_run_group_tests_name("cmi", tests, NULL, NULL);
}
