/* What only the SQLite back end has: WAL mode, the schema version in PRAGMA user_version, and
 * a database written by an older release migrating forward with its rows. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "backends.h"
#include "common.h"
#include "fstree.h"

static int pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return v;
}

static void wal_and_user_version(void **state)
{
	(void)state;
	char dir[] = "/tmp/postcard-sqlite-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/t.db", dir);
	store *s = backend_open(path);
	store_close(s);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *q;
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	assert_int_equal(pragma_int(db, "PRAGMA user_version"), store_sqlite_schema_version());
	sqlite3_close(db);
	fstree_remove(dir, NULL, 0);
}

/* A schema-1 database (before shared data, revisions and accounts), built with migration 1's
 * own SQL, migrates with its records intact; the learners' journal bytes are counted. */
static void migrates_from_schema_1(void **state)
{
	(void)state;
	char dir[] = "/tmp/postcard-sqlite-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/t.db", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, store_sqlite_migration_sql(1), NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO learners(id, ident, name, created_at) VALUES(7, 'ann', 'Ann', 'x');"
		"INSERT INTO packages(id, ident, current_hash) VALUES(1, 'p', 'h1');"
		"INSERT INTO package_versions VALUES('h1', 1, 'T', '1.2', NULL, 10, 'x');"
		"INSERT INTO attempts VALUES(3, 7, 1, 1, 'h1', 0, 'x', 'x');"
		"INSERT INTO sco_states(attempt_id, item, seq, state, updated_at) VALUES(3, 'i1', 7, '{}', 'x');"
		"INSERT INTO commits(attempt_id, item, seq, received_at, request, response)"
		"  VALUES(3, 'i1', 7, 'x', '0123456789', 'abcd');"
		"PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	store *s = backend_open(path);
	int64_t again;
	s->ops->learner_ensure(s, "ann", "Ann", &again);
	assert_int_equal(again, 7); /* the old rows are there */
	char *st, *val = NULL;
	int64_t seq, rev, bytes = 0;
	assert_int_equal(s->ops->sco_get(s, 3, "i1", &st, &seq, &rev), 0);
	assert_int_equal(seq, 7);
	assert_int_equal(rev, 1); /* rows from before revisions start at 1 */
	free(st);
	assert_int_equal(s->ops->learner_usage(s, 7, &bytes), 0);
	assert_int_equal(bytes, 14);
	assert_int_equal(s->ops->shared_get(s, 7, "p", 0, "urn:x:t", &val), 0);
	assert_null(val);
	assert_int_equal(s->ops->shared_put(s, 7, "p", 0, "urn:x:t", "after"), 0);
	store_close(s);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(pragma_int(db, "PRAGMA user_version"), store_sqlite_schema_version());
	sqlite3_close(db);
	assert_null(store_sqlite_migration_sql(store_sqlite_schema_version() + 1));
	fstree_remove(dir, NULL, 0);
}

/* A damaged file is found by the thorough check (what serve runs before starting). */
static void quick_check_finds_damage(void **state)
{
	(void)state;
	char dir[] = "/tmp/postcard-sqlite-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/t.db", dir);
	store *s = backend_open(path);
	int64_t id;
	char name[32];
	for (int i = 0; i < 400; i++) { /* several pages of learners */
		snprintf(name, sizeof name, "learner-%04d-with-a-long-name", i);
		assert_int_equal(s->ops->learner_ensure(s, name, name, &id), 0);
	}
	store_close(s);
	/* Scribble over the middle of an index page (not the header: the file still opens). */
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	assert_true(size > 4 * 4096);
	for (long page = 2; page * 4096 < size; page++) {
		fseek(f, page * 4096 + 100, SEEK_SET);
		static const char junk[256] = {[0 ... 255] = 0x5a};
		fwrite(junk, 1, sizeof junk, f);
	}
	fclose(f);
	char err[512] = "", why[512] = "";
	s = NULL;
	int rc = store_open(&s, path, err, sizeof err);
	if (rc == 0) {
		assert_int_not_equal(s->ops->check(s, 1, why, sizeof why), 0);
		assert_non_null(strstr(why, "quick_check"));
		store_close(s);
	}
	fstree_remove(dir, NULL, 0);
}

int test_sqlite_only(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wal_and_user_version),
		cmocka_unit_test(migrates_from_schema_1),
		cmocka_unit_test(quick_check_finds_damage),
	};
	return cmocka_run_group_tests_name("store: sqlite only", tests, NULL, NULL);
}
