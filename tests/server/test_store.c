/* store_sqlite.c: migrations, versions, attempts and their history, per-SCO state, the journal
 * (append-only), group-commit batches and their rollback, reports. Runs on :memory: and on a
 * file (WAL, reopened). */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "test_server.h"

static store *open_mem(void)
{
	store *s = NULL;
	char err[256];
	assert_int_equal(store_sqlite_open(&s, ":memory:", err, sizeof err), 0);
	return s;
}

static void put_version(store *s, const char *pkg, const char *hash, char **prev)
{
	store_version v = {.package = (char *)pkg, .hash = (char *)hash, .title = (char *)"T",
			   .scorm = (char *)"1.2", .size = 10};
	assert_int_equal(s->ops->version_put(s, &v, prev), 0);
}

static void versions_replace_and_keep(void **state)
{
	store *s = open_mem();
	char *prev = NULL;
	put_version(s, "p", "h1", &prev);
	assert_null(prev);
	put_version(s, "p", "h1", &prev); /* same again: nothing replaced */
	assert_null(prev);
	put_version(s, "p", "h2", &prev);
	assert_string_equal(prev, "h1");
	free(prev);
	store_version *v;
	size_t n;
	assert_int_equal(s->ops->version_list(s, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].hash, "h2");
	assert_non_null(v[0].imported_at);
	store_versions_free(v, n);
	store_close(s);
}

static store_sco_write write_for(int64_t attempt, const char *item, int64_t seq, const char *exit,
				 int terminated, const char *status)
{
	store_sco_write w = {.attempt_id = attempt, .item = item, .seq = seq, .state = "{}",
			     .completion = status, .exit = exit, .terminated = terminated,
			     .request = "{\"seq\":1}", .response = "{}"};
	return w;
}

static void attempts_and_history(void **state)
{
	store *s = open_mem();
	char *prev = NULL;
	put_version(s, "p", "h1", &prev);
	int64_t learner;
	assert_int_equal(s->ops->learner_ensure(s, "ann", "Ann", &learner), 0);
	int64_t again;
	assert_int_equal(s->ops->learner_ensure(s, "ann", "Ann", &again), 0);
	assert_int_equal(learner, again);
	store_attempt a;
	int created;
	assert_int_equal(s->ops->attempt_launch(s, learner, "p", "h1", &a, &created), 0);
	assert_true(created);
	assert_int_equal(a.number, 1);
	int64_t first = a.id;
	store_attempt_clear(&a);
	/* Relaunching an open attempt resumes it. */
	assert_int_equal(s->ops->attempt_launch(s, learner, "p", "h1", &a, &created), 0);
	assert_false(created);
	assert_int_equal(a.id, first);
	store_attempt_clear(&a);
	store_sco_write w = write_for(first, "i1", 1, "", 1, "failed");
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	assert_int_equal(s->ops->attempt_close(s, first), 0);
	/* After a closed attempt, a launch starts attempt 2; attempt 1 stays in the history. */
	assert_int_equal(s->ops->attempt_launch(s, learner, "p", "h1", &a, &created), 0);
	assert_true(created);
	assert_int_equal(a.number, 2);
	int64_t second = a.id;
	store_attempt_clear(&a);
	w = write_for(second, "i1", 1, "suspend", 1, "incomplete");
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	store_record *r;
	size_t n;
	store_filter all = {0};
	assert_int_equal(s->ops->records(s, &all, &r, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].attempt, 1);
	assert_true(r[0].closed);
	assert_true(r[0].ended);
	assert_string_equal(r[0].completion, "failed");
	assert_int_equal(r[1].attempt, 2);
	assert_false(r[1].ended); /* suspended */
	assert_string_equal(r[1].exit, "suspend");
	store_records_free(r, n);
	store_filter latest = {.latest_only = 1};
	assert_int_equal(s->ops->records(s, &latest, &r, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].attempt, 2);
	store_records_free(r, n);
	/* Unknown package: no attempt. */
	assert_int_equal(s->ops->attempt_launch(s, learner, "nope", "h1", &a, &created), PC_ENOTFOUND);
	store_close(s);
}

static void state_interactions_and_journal(void **state)
{
	store *s = open_mem();
	char *prev = NULL;
	put_version(s, "p", "h1", &prev);
	int64_t learner;
	s->ops->learner_ensure(s, "ann", "Ann", &learner);
	store_attempt a;
	int created;
	s->ops->attempt_launch(s, learner, "p", "h1", &a, &created);
	char *st;
	int64_t seq;
	assert_int_equal(s->ops->sco_get(s, a.id, "i1", &st, &seq), 0);
	assert_null(st);
	assert_int_equal(seq, -1);
	store_interaction its[] = {{.n = 0, .id = "q1", .type = "choice", .result = "correct",
				    .learner_response = "a"},
				   {.n = 1, .id = "q2", .type = "numeric", .result = "wrong"}};
	store_sco_write w = write_for(a.id, "i1", 3, NULL, 0, "incomplete");
	w.state = "{\"x\":1}";
	w.interactions = its;
	w.ninteractions = 2;
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	its[1].result = "correct"; /* answered again: the row is replaced */
	w.seq = 4;
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	assert_int_equal(s->ops->sco_get(s, a.id, "i1", &st, &seq), 0);
	assert_string_equal(st, "{\"x\":1}");
	assert_int_equal(seq, 4);
	free(st);
	store_interaction_row *ir;
	size_t n;
	store_filter f = {.package = "p"};
	assert_int_equal(s->ops->interactions(s, &f, &ir, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ir[1].id, "q2");
	assert_string_equal(ir[1].result, "correct");
	store_interaction_rows_free(ir, n);
	int64_t commits, attempts, learners;
	assert_int_equal(s->ops->counts(s, &commits, &attempts, &learners), 0);
	assert_int_equal(commits, 2);
	/* A launch writes state, not a journal row. */
	w.request = NULL;
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	s->ops->counts(s, &commits, &attempts, &learners);
	assert_int_equal(commits, 2);
	store_attempt_clear(&a);
	store_close(s);
}

static void batches_commit_or_roll_back(void **state)
{
	store *s = open_mem();
	char *prev = NULL;
	put_version(s, "p", "h1", &prev);
	int64_t learner;
	s->ops->learner_ensure(s, "ann", "Ann", &learner);
	store_attempt a;
	int created;
	s->ops->attempt_launch(s, learner, "p", "h1", &a, &created);
	assert_int_equal(s->ops->batch_begin(s), 0);
	store_sco_write w = write_for(a.id, "i1", 1, NULL, 0, "incomplete");
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	w.item = "i2";
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	/* Reads inside the batch see the batch. */
	char *st;
	int64_t seq;
	assert_int_equal(s->ops->sco_get(s, a.id, "i2", &st, &seq), 0);
	assert_non_null(st);
	free(st);
	assert_int_equal(s->ops->batch_end(s, 0), 0); /* roll back */
	int64_t commits, attempts, learners;
	s->ops->counts(s, &commits, &attempts, &learners);
	assert_int_equal(commits, 0);
	assert_int_equal(s->ops->batch_begin(s), 0);
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	assert_int_equal(s->ops->batch_end(s, 1), 0);
	s->ops->counts(s, &commits, &attempts, &learners);
	assert_int_equal(commits, 1);
	store_attempt_clear(&a);
	store_close(s);
}

static void file_store_is_wal_and_journal_append_only(void **state)
{
	char *dir = test_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/t.db", dir);
	store *s = NULL;
	char err[256];
	assert_int_equal(store_sqlite_open(&s, path, err, sizeof err), 0);
	char *prev = NULL;
	put_version(s, "p", "h1", &prev);
	int64_t learner;
	s->ops->learner_ensure(s, "ann", "Ann", &learner);
	store_attempt a;
	int created;
	s->ops->attempt_launch(s, learner, "p", "h1", &a, &created);
	store_sco_write w = write_for(a.id, "i1", 1, NULL, 0, "incomplete");
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	store_attempt_clear(&a);
	store_close(s);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *q;
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), store_sqlite_schema_version());
	sqlite3_finalize(q);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE commits SET seq = 9", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM commits", NULL, NULL, NULL), SQLITE_OK);
	/* A newer schema than we know is refused, not downgraded. */
	sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(store_sqlite_open(&s, path, err, sizeof err), PC_EFORMAT);
	assert_non_null(strstr(err, "999"));
	assert_null(s);
	fstree_remove(dir);
	free(dir);
}

/* Shared data buckets (schema 2), and a schema-1 database (before shared data) migrating with
 * its records intact. */
static void shared_data_and_migration(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char path[512], err[256];
	snprintf(path, sizeof path, "%s/t.db", dir);
	store *s = NULL;
	assert_int_equal(store_sqlite_open(&s, path, err, sizeof err), 0);
	char *prev = NULL, *v = NULL;
	put_version(s, "p", "h1", &prev);
	int64_t ann, bob;
	s->ops->learner_ensure(s, "ann", "Ann", &ann);
	s->ops->learner_ensure(s, "bob", "Bob", &bob);
	assert_int_equal(s->ops->shared_get(s, ann, "p", 0, "urn:x:t", &v), 0);
	assert_null(v);
	assert_int_equal(s->ops->shared_put(s, ann, "p", 0, "urn:x:t", "one"), 0);
	assert_int_equal(s->ops->shared_put(s, ann, "p", 0, "urn:x:t", "two"), 0);
	assert_int_equal(s->ops->shared_put(s, ann, "p", 7, "urn:x:t", "attempt 7"), 0);
	assert_int_equal(s->ops->shared_put(s, ann, "nope", 0, "urn:x:t", "x"), PC_ENOTFOUND);
	assert_int_equal(s->ops->shared_get(s, ann, "p", 0, "urn:x:t", &v), 0);
	assert_string_equal(v, "two");
	free(v);
	assert_int_equal(s->ops->shared_get(s, ann, "p", 7, "urn:x:t", &v), 0);
	assert_string_equal(v, "attempt 7");
	free(v);
	assert_int_equal(s->ops->shared_get(s, bob, "p", 0, "urn:x:t", &v), 0); /* per learner */
	assert_null(v);
	store_close(s);

	/* Back to schema 1, as a database written by the previous release. */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE shared_data; DROP TABLE launches;"
				      " PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_sqlite_open(&s, path, err, sizeof err), 0);
	int64_t again;
	s->ops->learner_ensure(s, "ann", "Ann", &again);
	assert_int_equal(again, ann); /* the old rows are there */
	assert_int_equal(s->ops->shared_get(s, ann, "p", 0, "urn:x:t", &v), 0);
	assert_null(v);
	assert_int_equal(s->ops->shared_put(s, ann, "p", 0, "urn:x:t", "after"), 0);
	store_close(s);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *q;
	sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), store_sqlite_schema_version());
	sqlite3_finalize(q);
	sqlite3_close(db);
	fstree_remove(dir);
	free(dir);
}

int test_store(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(versions_replace_and_keep),
		cmocka_unit_test(attempts_and_history),
		cmocka_unit_test(state_interactions_and_journal),
		cmocka_unit_test(batches_commit_or_roll_back),
		cmocka_unit_test(file_store_is_wal_and_journal_append_only),
		cmocka_unit_test(shared_data_and_migration),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
