/* The SQLite back end's sequencing operations (store.h, docs/sequencing.md): an attempt's
 * tracking state as runtime/sn saves it, with the root's rolled-up result that records show as
 * the package-level row, and each learner's global objectives. Same connections, locks and rules
 * as store_sqlite.c: the commit queue reads and writes these inside its batch, on the writer;
 * the package-level report reads through the reader unless it names one attempt. */
#include <stdio.h>

#include "common.h"
#include "store_sqlite_int.h"

/* Migration 7 (store_pg_seq.c has the same tables). One row per attempt that sequencing runs
 * (SCORM 2004 packages with sequencing), fenced by its revision like sco_states; one per learner
 * with global objectives (objectivesGlobalToSystem: shared by the learner's packages). */
const char sq_migration_seq[] =
	"CREATE TABLE seq_states("
	"  attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id),"
	"  state TEXT NOT NULL,"
	"  completion TEXT, success TEXT, score_scaled TEXT,"
	"  rev INTEGER NOT NULL DEFAULT 1,"
	"  updated_at TEXT NOT NULL);"
	"CREATE TABLE seq_globals("
	"  learner_id INTEGER PRIMARY KEY REFERENCES learners(id),"
	"  globals TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL);";

#define NOW "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

enum seq_stmt { Q_GET, Q_PUT, Q_GLOBALS_GET, Q_GLOBALS_PUT, Q_MAX };
_Static_assert(Q_MAX <= SQ_SEQ_STMTS, "more statements than slots in struct conn");

static const char *const seq_sql[Q_MAX] = {
	[Q_GET] = "SELECT state, rev FROM seq_states WHERE attempt_id = ?1",
	[Q_PUT] = "INSERT INTO seq_states(attempt_id, state, completion, success, score_scaled, rev,"
		  " updated_at) VALUES(?1, ?2, ?3, ?4, ?5, 1, " NOW ") ON CONFLICT(attempt_id) DO UPDATE"
		  " SET state = excluded.state, completion = excluded.completion,"
		  " success = excluded.success, score_scaled = excluded.score_scaled,"
		  " updated_at = excluded.updated_at, rev = seq_states.rev + 1"
		  " WHERE ?6 = 0 OR seq_states.rev = ?6",
	[Q_GLOBALS_GET] = "SELECT globals FROM seq_globals WHERE learner_id = ?1",
	[Q_GLOBALS_PUT] = "INSERT INTO seq_globals(learner_id, globals, updated_at) VALUES(?1, ?2, " NOW ")"
			  " ON CONFLICT(learner_id) DO UPDATE SET globals = excluded.globals,"
			  " updated_at = excluded.updated_at",
};

static sqlite3_stmt *qstmt(struct conn *c, enum seq_stmt id)
{
	if (!c->seq[id] && sqlite3_prepare_v3(c->db, seq_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
					      &c->seq[id], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_reset(c->seq[id]);
	sqlite3_clear_bindings(c->seq[id]);
	return c->seq[id];
}

void sq_seq_close_conn(struct conn *c)
{
	for (int i = 0; i < Q_MAX; i++) {
		sqlite3_finalize(c->seq[i]);
		c->seq[i] = NULL;
	}
}

/* The text column of the row keyed by `key` (and its revision, when rev is not NULL), on the
 * writer (the batch's own writes count). */
static int get_text(store *st, enum seq_stmt id, int64_t key, char **out, int64_t *rev)
{
	sqlite_store *s = (sqlite_store *)st;
	*out = NULL;
	if (rev)
		*rev = 0;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = qstmt(&s->w, id);
	int rc = PC_EIO;
	if (q) {
		sqlite3_bind_int64(q, 1, key);
		int step = sqlite3_step(q);
		if (step == SQLITE_ROW) {
			*out = col_dup(q, 0);
			if (rev)
				*rev = sqlite3_column_int64(q, 1);
			rc = *out ? 0 : PC_ENOMEM;
		} else if (step == SQLITE_DONE) {
			rc = 0;
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int sq_seq_get(store *st, int64_t attempt_id, char **state, int64_t *rev)
{
	return get_text(st, Q_GET, attempt_id, state, rev);
}

int sq_seq_globals_get(store *st, int64_t learner_id, char **globals)
{
	return get_text(st, Q_GLOBALS_GET, learner_id, globals, NULL);
}

int sq_seq_put(store *st, const store_seq_write *w)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = qstmt(&s->w, Q_PUT);
	if (q) {
		sqlite3_bind_int64(q, 1, w->attempt_id);
		bind_text(q, 2, w->state);
		bind_text(q, 3, w->completion);
		bind_text(q, 4, w->success);
		bind_text(q, 5, w->score_scaled);
		sqlite3_bind_int64(q, 6, w->expect_rev);
	}
	int rc = step_done(q);
	if (rc == 0 && sqlite3_changes(s->w.db) != 1)
		rc = PC_ECONFLICT; /* the fence: another writer moved this attempt on since we read it */
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int sq_seq_globals_put(store *st, int64_t learner_id, const char *globals)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = qstmt(&s->w, Q_GLOBALS_PUT);
	if (q) {
		sqlite3_bind_int64(q, 1, learner_id);
		bind_text(q, 2, globals);
	}
	int rc = step_done(q);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

static const char seq_records_sql[] =
	"SELECT l.ident, l.name, p.ident, v.title, a.number, a.closed, q.completion, q.success,"
	" q.score_scaled, (SELECT coalesce(sum(s.total_seconds), 0) FROM sco_states s"
	"   WHERE s.attempt_id = a.id), q.updated_at, l.email"
	" FROM seq_states q JOIN attempts a ON a.id = q.attempt_id"
	" JOIN learners l ON l.id = a.learner_id JOIN packages p ON p.id = a.package_id"
	" JOIN package_versions v ON v.hash = a.version_hash" REPORT_FILTERS
	" AND (?7 IS NULL OR q.completion = ?7 OR q.success = ?7)"
	" AND (?8 IS NULL OR q.updated_at >= ?8) AND (?9 IS NULL OR q.updated_at < ?9)"
	" ORDER BY l.ident, p.ident, a.number";

static void fill_seq_record(sqlite3_stmt *q, void *row)
{
	store_seq_record *e = row;
	e->learner = col_dup(q, 0);
	e->learner_name = col_dup(q, 1);
	e->package = col_dup(q, 2);
	e->package_title = col_dup(q, 3);
	e->attempt = sqlite3_column_int64(q, 4);
	e->closed = sqlite3_column_int(q, 5);
	e->completion = col_dup(q, 6);
	e->success = col_dup(q, 7);
	e->score_scaled = col_dup(q, 8);
	e->total_seconds = sqlite3_column_double(q, 9);
	e->updated_at = col_dup(q, 10);
	e->learner_email = col_dup(q, 11);
}

int sq_seq_records(store *st, const store_filter *f, store_seq_record **out, size_t *n)
{
	void *rows = NULL;
	int rc = sq_report_rows((sqlite_store *)st, f, SQ_REPORT_SEQ, seq_records_sql, sizeof **out,
				fill_seq_record, &rows, n);
	*out = rc ? NULL : rows;
	if (rc) {
		store_seq_records_free(rows, *n);
		*n = 0;
	}
	return rc;
}
