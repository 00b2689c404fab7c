/* The PostgreSQL back end's sequencing operations (store.h, docs/sequencing.md): an attempt's
 * tracking state as runtime/sn saves it, fenced by its revision, with the root's rolled-up
 * result that records show as the package-level row; and each learner's global objectives. The
 * same tables and behaviour as store_sqlite_seq.c. The commit queue reads and writes these inside
 * its batch, on the writer; the package-level report reads through the reader unless it names
 * one attempt. */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "store_pg_int.h"

/* Migration 7, as SQLite's. */
const char pg_migration_seq[] =
	"CREATE TABLE seq_states("
	"  attempt_id BIGINT PRIMARY KEY REFERENCES attempts(id),"
	"  state TEXT NOT NULL,"
	"  completion TEXT, success TEXT, score_scaled TEXT,"
	"  rev BIGINT NOT NULL DEFAULT 1,"
	"  updated_at TEXT NOT NULL);"
	"CREATE TABLE seq_globals("
	"  learner_id BIGINT PRIMARY KEY REFERENCES learners(id),"
	"  globals TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL);";

#define NOW "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/* One text column (and, with rev, a revision) of the row keyed by `key`, on the writer. */
static int get_text(pg_store *s, const char *sql, int64_t key, char **out, int64_t *rev)
{
	char b[24];
	const char *p[] = {I64(b, key)};
	PGresult *r;
	*out = NULL;
	if (rev)
		*rev = 0;
	pthread_mutex_lock(&s->wlock);
	int rc = pg_query(&s->w, sql, 1, p, &r);
	pthread_mutex_unlock(&s->wlock);
	if (rc)
		return rc;
	if (PQntuples(r) == 1) {
		*out = val_dup(r, 0, 0);
		if (rev)
			*rev = val_i64(r, 0, 1);
		rc = *out ? 0 : PC_ENOMEM;
	}
	PQclear(r);
	return rc;
}

int pg_seq_get(store *st, int64_t attempt_id, char **state, int64_t *rev)
{
	return get_text((pg_store *)st, "SELECT state, rev FROM seq_states WHERE attempt_id = $1",
			attempt_id, state, rev);
}

int pg_seq_globals_get(store *st, int64_t learner_id, char **globals)
{
	return get_text((pg_store *)st, "SELECT globals FROM seq_globals WHERE learner_id = $1",
			learner_id, globals, NULL);
}

int pg_seq_put(store *st, const store_seq_write *w)
{
	pg_store *s = (pg_store *)st;
	char b1[24], b6[24];
	const char *p[] = {I64(b1, w->attempt_id), w->state, w->completion, w->success,
			   w->score_scaled, I64(b6, w->expect_rev)};
	PGresult *r;
	pthread_mutex_lock(&s->wlock);
	int rc = pg_query(&s->w,
			  "INSERT INTO seq_states(attempt_id, state, completion, success, score_scaled,"
			  " rev, updated_at) VALUES($1, $2, $3, $4, $5, 1, " NOW ")"
			  " ON CONFLICT(attempt_id) DO UPDATE SET state = excluded.state,"
			  " completion = excluded.completion, success = excluded.success,"
			  " score_scaled = excluded.score_scaled, updated_at = excluded.updated_at,"
			  " rev = seq_states.rev + 1"
			  " WHERE $6::bigint = 0 OR seq_states.rev = $6::bigint",
			  6, p, &r);
	pthread_mutex_unlock(&s->wlock);
	if (rc)
		return rc;
	/* the fence: another writer moved this attempt on since we read it */
	rc = atoi(PQcmdTuples(r)) == 1 ? 0 : PC_ECONFLICT;
	PQclear(r);
	return rc;
}

int pg_seq_globals_put(store *st, int64_t learner_id, const char *globals)
{
	pg_store *s = (pg_store *)st;
	char b[24];
	const char *p[] = {I64(b, learner_id), globals};
	PGresult *r;
	pthread_mutex_lock(&s->wlock);
	int rc = pg_query(&s->w,
			  "INSERT INTO seq_globals(learner_id, globals, updated_at) VALUES($1, $2, " NOW ")"
			  " ON CONFLICT(learner_id) DO UPDATE SET globals = excluded.globals,"
			  " updated_at = excluded.updated_at",
			  2, p, &r);
	pthread_mutex_unlock(&s->wlock);
	if (rc == 0)
		PQclear(r);
	return rc;
}

static const char seq_records_sql[] =
	"SELECT l.ident, l.name, p.ident, v.title, a.number, a.closed, q.completion, q.success,"
	" q.score_scaled, (SELECT coalesce(sum(s.total_seconds), 0) FROM sco_states s"
	"   WHERE s.attempt_id = a.id), q.updated_at, l.email"
	" FROM seq_states q JOIN attempts a ON a.id = q.attempt_id"
	" JOIN learners l ON l.id = a.learner_id JOIN packages p ON p.id = a.package_id"
	" JOIN package_versions v ON v.hash = a.version_hash" REPORT_WHERE
	" AND ($7::text IS NULL OR q.completion = $7 OR q.success = $7)"
	" AND ($8::text IS NULL OR q.updated_at >= $8) AND ($9::text IS NULL OR q.updated_at < $9)"
	" ORDER BY l.ident, p.ident, a.number";

int pg_seq_records(store *st, const store_filter *f, store_seq_record **out, size_t *n)
{
	pg_store *s = (pg_store *)st;
	*out = NULL;
	*n = 0;
	struct pg_report_params rp;
	pg_report_params(&rp, f);
	struct pconn *c = pg_report_conn(s, f);
	PGresult *r;
	pthread_mutex_lock(c->lock);
	int rc = pg_query(c, seq_records_sql, 9, rp.p, &r);
	pthread_mutex_unlock(c->lock);
	if (rc)
		return rc;
	int rows = PQntuples(r);
	store_seq_record *e = calloc(rows ? (size_t)rows : 1, sizeof *e);
	if (!e) {
		PQclear(r);
		return PC_ENOMEM;
	}
	for (int i = 0; i < rows; i++) {
		e[i].learner = val_dup(r, i, 0);
		e[i].learner_name = val_dup(r, i, 1);
		e[i].package = val_dup(r, i, 2);
		e[i].package_title = val_dup(r, i, 3);
		e[i].attempt = val_i64(r, i, 4);
		e[i].closed = (int)val_i64(r, i, 5);
		e[i].completion = val_dup(r, i, 6);
		e[i].success = val_dup(r, i, 7);
		e[i].score_scaled = val_dup(r, i, 8);
		e[i].total_seconds = PQgetisnull(r, i, 9) ? 0 : strtod(PQgetvalue(r, i, 9), NULL);
		e[i].updated_at = val_dup(r, i, 10);
		e[i].learner_email = val_dup(r, i, 11);
	}
	PQclear(r);
	*out = e;
	*n = (size_t)rows;
	return 0;
}
