/* The PostgreSQL storage back end (see store.h), over libpq: the store several `serve` nodes
 * share. Two connections per process, as in SQLite: the writer (every write, the commit
 * queue's batches, and reads that must see a batch's own rows) and a reader for reports and
 * package files. Statements are prepared once per connection; a commit's state, journal row,
 * interactions and attempt timestamp go in one statement (one round trip). A transaction is
 * acknowledged only after its COMMIT returned with synchronous_commit=on, so it is flushed to
 * the server's disk. Migrations are the same numbered list as SQLite's, run under an advisory
 * lock so nodes starting together migrate once. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "buf.h"
#include "common.h"
#include "store_pg_int.h"

/* Each step runs once, in the migration's transaction; never edit a released step. The same
 * numbers mean the same tables in store_sqlite.c. */
static const char *const migrations[] = {
	/* 1: the first schema. */
	"CREATE TABLE learners("
	"  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	"  ident TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  created_at TEXT NOT NULL);"
	"CREATE TABLE packages("
	"  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	"  ident TEXT NOT NULL UNIQUE,"
	"  current_hash TEXT NOT NULL);"
	"CREATE TABLE package_versions("
	"  hash TEXT PRIMARY KEY,"
	"  package_id BIGINT NOT NULL REFERENCES packages(id),"
	"  title TEXT NOT NULL,"
	"  scorm TEXT NOT NULL,"
	"  version_attr TEXT,"
	"  size BIGINT NOT NULL,"
	"  imported_at TEXT NOT NULL);"
	"CREATE TABLE attempts("
	"  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	"  learner_id BIGINT NOT NULL REFERENCES learners(id),"
	"  package_id BIGINT NOT NULL REFERENCES packages(id),"
	"  number BIGINT NOT NULL,"
	"  version_hash TEXT NOT NULL REFERENCES package_versions(hash),"
	"  closed INTEGER NOT NULL DEFAULT 0,"
	"  started_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  UNIQUE(learner_id, package_id, number));"
	"CREATE TABLE sco_states("
	"  attempt_id BIGINT NOT NULL REFERENCES attempts(id),"
	"  item TEXT NOT NULL,"
	"  seq BIGINT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  completion TEXT, success TEXT, score_raw TEXT, score_scaled TEXT,"
	"  total_time TEXT, total_seconds DOUBLE PRECISION NOT NULL DEFAULT 0,"
	"  location TEXT, exit TEXT, ended INTEGER NOT NULL DEFAULT 0,"
	"  commits BIGINT NOT NULL DEFAULT 0,"
	"  updated_at TEXT NOT NULL,"
	"  PRIMARY KEY(attempt_id, item));"
	"CREATE TABLE interactions("
	"  attempt_id BIGINT NOT NULL REFERENCES attempts(id),"
	"  item TEXT NOT NULL,"
	"  n BIGINT NOT NULL,"
	"  ident TEXT, type TEXT, description TEXT, learner_response TEXT,"
	"  correct_responses TEXT, result TEXT, weighting TEXT, latency TEXT, timestamp TEXT,"
	"  PRIMARY KEY(attempt_id, item, n));"
	"CREATE TABLE commits("
	"  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	"  attempt_id BIGINT NOT NULL REFERENCES attempts(id),"
	"  item TEXT NOT NULL,"
	"  seq BIGINT NOT NULL,"
	"  received_at TEXT NOT NULL,"
	"  request TEXT NOT NULL,"
	"  response TEXT NOT NULL);"
	"CREATE INDEX commits_by_sco ON commits(attempt_id, item, seq);"
	"CREATE FUNCTION commits_append_only() RETURNS trigger LANGUAGE plpgsql AS"
	"  $$BEGIN RAISE EXCEPTION 'the commit journal is append-only'; END$$;"
	"CREATE TRIGGER commits_append_only BEFORE UPDATE OR DELETE ON commits"
	"  FOR EACH ROW EXECUTE FUNCTION commits_append_only();"
	"CREATE TRIGGER commits_no_truncate BEFORE TRUNCATE ON commits"
	"  FOR EACH STATEMENT EXECUTE FUNCTION commits_append_only();",
	/* 2: SCORM 2004 4th Edition shared data (adl.data). */
	"CREATE TABLE shared_data("
	"  learner_id BIGINT NOT NULL REFERENCES learners(id),"
	"  package_id BIGINT NOT NULL REFERENCES packages(id),"
	"  attempt_id BIGINT NOT NULL,"
	"  target TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  PRIMARY KEY(learner_id, package_id, attempt_id, target));",
	/* 3: launch tokens (store_pg_accounts.c), as SQLite's migration 3. */
	"CREATE TABLE launches("
	"  token_hash TEXT PRIMARY KEY,"
	"  learner_id BIGINT NOT NULL REFERENCES learners(id),"
	"  package TEXT NOT NULL,"
	"  item TEXT NOT NULL,"
	"  version_hash TEXT NOT NULL,"
	"  attempt_id BIGINT NOT NULL DEFAULT 0,"
	"  session BIGINT NOT NULL DEFAULT 0,"
	"  expires BIGINT NOT NULL);"
	"CREATE INDEX launches_by_expiry ON launches(expires);",
	/* 4: a revision per SCO state, so writers in several processes can fence each other. */
	"ALTER TABLE sco_states ADD COLUMN rev BIGINT NOT NULL DEFAULT 1;",
	/* 5: package files (the zips) where every node reads them, in chunks of PG_CHUNK bytes. */
	"CREATE TABLE package_files("
	"  hash TEXT PRIMARY KEY,"
	"  size BIGINT NOT NULL,"
	"  chunks INTEGER NOT NULL);"
	"CREATE TABLE package_chunks("
	"  hash TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  data BYTEA NOT NULL,"
	"  PRIMARY KEY(hash, n));",
	/* 6: accounts, sessions, groups, throttling, audit, usage (store_pg_accounts.c), as
	 * SQLite's migration 6. */
	pg_migration_accounts,
	/* 7: sequencing state and global objectives (store_pg_seq.c), as SQLite's migration 7. */
	pg_migration_seq,
};

/* Package files travel in 1 MiB rows: one row stays far below bytea's 1 GB value limit and a
 * fetch holds one chunk in memory at a time. */
#define PG_CHUNK (1024 * 1024)
/* Serialises migrations among processes starting together ("postcard" in ASCII). */
#define PG_MIGRATION_LOCK 0x706f737463617264LL

#define NOW "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

enum stmt_id {
	S_PKG_ENSURE,
	S_PKG_LOCK,
	S_PKG_SET_CURRENT,
	S_VER_INSERT,
	S_VER_LIST,
	S_LEARNER_INSERT,
	S_LEARNER_GET,
	S_ATTEMPT_LATEST,
	S_ATTEMPT_INSERT,
	S_ATTEMPT_OWNER,
	S_ATTEMPT_CLOSE,
	S_SCO_GET,
	S_SCO_PUT,
	S_COUNTS,
	S_SHARED_GET,
	S_SHARED_PUT,
	S_FILE_HAS,
	S_FILE_CHUNK_PUT,
	S_FILE_PUT,
	S_FILE_CHUNK_GET,
	S_RECORDS,
	S_INTERACTIONS,
	S_MAX
};

/* The reports' filters are REPORT_WHERE (store_pg_int.h); records also filter by status and
 * by the last activity's range ($7..$9). */
static const char *const stmt_sql[S_MAX] = {
	[S_PKG_ENSURE] = "INSERT INTO packages(ident, current_hash) VALUES($1, $2)"
			 " ON CONFLICT(ident) DO NOTHING",
	[S_PKG_LOCK] = "SELECT id, current_hash FROM packages WHERE ident = $1 FOR UPDATE",
	[S_PKG_SET_CURRENT] = "UPDATE packages SET current_hash = $2 WHERE id = $1",
	[S_VER_INSERT] = "INSERT INTO package_versions(hash, package_id, title, scorm, version_attr,"
			 " size, imported_at) VALUES($1, $2, $3, $4, $5, $6, " NOW ")"
			 " ON CONFLICT(hash) DO NOTHING",
	[S_VER_LIST] = "SELECT p.ident, v.hash, v.title, v.scorm, v.version_attr, v.imported_at, v.size"
		       " FROM packages p JOIN package_versions v ON v.hash = p.current_hash"
		       " ORDER BY lower(v.title), p.ident",
	[S_LEARNER_INSERT] = "INSERT INTO learners(ident, name, created_at) VALUES($1, $2, " NOW ")"
			     " ON CONFLICT(ident) DO NOTHING RETURNING id",
	[S_LEARNER_GET] = "SELECT id FROM learners WHERE ident = $1",
	[S_ATTEMPT_LATEST] = "SELECT a.id, a.number, a.closed, a.version_hash, a.started_at, a.updated_at"
			     " FROM attempts a JOIN packages p ON p.id = a.package_id"
			     " WHERE a.learner_id = $1 AND p.ident = $2 ORDER BY a.number DESC LIMIT 1",
	[S_ATTEMPT_INSERT] = "INSERT INTO attempts(learner_id, package_id, number, version_hash,"
			     " started_at, updated_at)"
			     " SELECT $1, p.id, $3, $4, " NOW ", " NOW " FROM packages p WHERE p.ident = $2"
			     " ON CONFLICT(learner_id, package_id, number) DO NOTHING",
	[S_ATTEMPT_OWNER] = "SELECT a.learner_id, p.ident, a.version_hash FROM attempts a"
			    " JOIN packages p ON p.id = a.package_id WHERE a.id = $1",
	[S_ATTEMPT_CLOSE] = "UPDATE attempts SET closed = 1, updated_at = " NOW " WHERE id = $1",
	[S_SCO_GET] = "SELECT state, seq, rev FROM sco_states WHERE attempt_id = $1 AND item = $2",
	/* The whole commit in one statement: the fenced upsert of the state, and only when it
	 * wrote, the journal row, the interactions (as arrays) and the attempt's timestamp. */
	[S_SCO_PUT] =
		"WITH s AS (INSERT INTO sco_states(attempt_id, item, seq, state, completion, success,"
		"  score_raw, score_scaled, total_time, total_seconds, location, exit, ended, commits,"
		"  updated_at, rev)"
		"  VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, " NOW ", 1)"
		"  ON CONFLICT(attempt_id, item) DO UPDATE SET seq = excluded.seq,"
		"  state = excluded.state, completion = excluded.completion,"
		"  success = excluded.success, score_raw = excluded.score_raw,"
		"  score_scaled = excluded.score_scaled, total_time = excluded.total_time,"
		"  total_seconds = excluded.total_seconds, location = excluded.location,"
		"  exit = coalesce(excluded.exit, sco_states.exit), ended = excluded.ended,"
		"  commits = sco_states.commits + excluded.commits, updated_at = excluded.updated_at,"
		"  rev = sco_states.rev + 1"
		"  WHERE $15::bigint = 0 OR sco_states.rev = $15::bigint"
		"  RETURNING 1),"
		" j AS (INSERT INTO commits(attempt_id, item, seq, received_at, request, response)"
		"  SELECT $1, $2, $3, " NOW ", $16, coalesce($17, '') FROM s WHERE $16::text IS NOT NULL),"
		" i AS (INSERT INTO interactions(attempt_id, item, n, ident, type, description,"
		"  learner_response, correct_responses, result, weighting, latency, timestamp)"
		"  SELECT $1, $2, u.* FROM unnest($18::bigint[], $19::text[], $20::text[], $21::text[],"
		"  $22::text[], $23::text[], $24::text[], $25::text[], $26::text[], $27::text[]) AS u"
		"  WHERE EXISTS (SELECT 1 FROM s)"
		"  ON CONFLICT(attempt_id, item, n) DO UPDATE SET ident = excluded.ident,"
		"  type = excluded.type, description = excluded.description,"
		"  learner_response = excluded.learner_response,"
		"  correct_responses = excluded.correct_responses, result = excluded.result,"
		"  weighting = excluded.weighting, latency = excluded.latency,"
		"  timestamp = excluded.timestamp),"
		" t AS (UPDATE attempts SET updated_at = " NOW " WHERE id = $1 AND EXISTS (SELECT 1 FROM s))"
		" SELECT count(*) FROM s",
	[S_COUNTS] = "SELECT (SELECT count(*) FROM commits), (SELECT count(*) FROM attempts),"
		     " (SELECT count(*) FROM learners)",
	[S_SHARED_GET] = "SELECT d.value FROM shared_data d JOIN packages p ON p.id = d.package_id"
			 " WHERE d.learner_id = $1 AND p.ident = $2 AND d.attempt_id = $3 AND d.target = $4",
	[S_SHARED_PUT] = "INSERT INTO shared_data(learner_id, package_id, attempt_id, target, value, updated_at)"
			 " SELECT $1, p.id, $3, $4, $5, " NOW " FROM packages p WHERE p.ident = $2"
			 " ON CONFLICT(learner_id, package_id, attempt_id, target) DO UPDATE SET"
			 " value = excluded.value, updated_at = excluded.updated_at",
	[S_FILE_HAS] = "SELECT size, chunks FROM package_files WHERE hash = $1",
	[S_FILE_CHUNK_PUT] = "INSERT INTO package_chunks(hash, n, data) VALUES($1, $2, $3)"
			     " ON CONFLICT(hash, n) DO NOTHING",
	[S_FILE_PUT] = "INSERT INTO package_files(hash, size, chunks) VALUES($1, $2, $3)"
		       " ON CONFLICT(hash) DO NOTHING",
	[S_FILE_CHUNK_GET] = "SELECT data FROM package_chunks WHERE hash = $1 AND n = $2",
	[S_RECORDS] = "SELECT l.ident, l.name, p.ident, v.title, s.item, a.number, a.closed, s.completion,"
		      " s.success, s.score_raw, s.score_scaled, s.total_time, s.total_seconds, s.location,"
		      " s.updated_at, s.commits, s.exit, s.ended, l.email, a.id"
		      " FROM sco_states s JOIN attempts a ON a.id = s.attempt_id"
		      " JOIN learners l ON l.id = a.learner_id JOIN packages p ON p.id = a.package_id"
		      " JOIN package_versions v ON v.hash = a.version_hash" REPORT_WHERE
		      " AND ($7::text IS NULL OR s.completion = $7 OR s.success = $7)"
		      " AND ($8::text IS NULL OR s.updated_at >= $8) AND ($9::text IS NULL OR s.updated_at < $9)"
		      " ORDER BY l.ident, p.ident, a.number, s.item",
	[S_INTERACTIONS] = "SELECT l.ident, p.ident, i.item, a.number, i.n, i.ident, i.type, i.description,"
			   " i.learner_response, i.correct_responses, i.result, i.weighting, i.latency,"
			   " i.timestamp"
			   " FROM interactions i JOIN attempts a ON a.id = i.attempt_id"
			   " JOIN learners l ON l.id = a.learner_id JOIN packages p ON p.id = a.package_id"
			   REPORT_WHERE " ORDER BY l.ident, p.ident, a.number, i.item, i.n",
};

void set_error(pg_store *s, const char *msg)
{
	pthread_mutex_lock(&s->errlock);
	snprintf(s->error, sizeof s->error, "%s", msg ? msg : "?");
	s->error[strcspn(s->error, "\n")] = '\0';
	pthread_mutex_unlock(&s->errlock);
}

/* Maps a failed result (or a NULL one) to an error code and records why. */
int result_fail(struct pconn *c, PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorMessage(r) : NULL;
	if (!msg || !*msg)
		msg = PQerrorMessage(c->c);
	if (state && strcmp(state, "53100") == 0) {
		set_error(c->owner, "no space left on the database server's disk");
		return PC_ENOSPC;
	}
	set_error(c->owner, msg);
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
		return PC_ECONFLICT; /* serialization failure, deadlock: two nodes raced */
	return PC_EIO;
}

/* Prepares every statement on a fresh connection and sets what every session needs. */
static int conn_setup(struct pconn *c)
{
	PGresult *r = PQexec(c->c, "SET synchronous_commit = on; SET client_min_messages = warning;"
				   " SET TIME ZONE 'UTC'");
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	int rc = ok ? 0 : result_fail(c, r);
	PQclear(r);
	for (int i = 0; ok && i < S_MAX; i++) {
		char name[16];
		snprintf(name, sizeof name, "s%d", i);
		r = PQprepare(c->c, name, stmt_sql[i], 0, NULL);
		ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			rc = result_fail(c, r);
		PQclear(r);
	}
	c->prepared = ok;
	return rc;
}

/* A working connection (reconnecting after a lost one, when no transaction depends on it). */
int conn_ready(struct pconn *c)
{
	if (PQstatus(c->c) == CONNECTION_OK && c->prepared)
		return 0;
	if (c->owner->in_batch && c == &c->owner->w)
		return PC_EIO; /* the batch's transaction is gone with the connection */
	PQreset(c->c);
	if (PQstatus(c->c) != CONNECTION_OK) {
		set_error(c->owner, PQerrorMessage(c->c));
		return PC_EIO;
	}
	return conn_setup(c);
}

/* Runs a prepared statement with text parameters (NULL = SQL NULL). *out gets the result when
 * it succeeded (the caller clears it); returns 0 or the error. */
static int run(struct pconn *c, enum stmt_id id, int n, const char *const *params, PGresult **out)
{
	*out = NULL;
	int rc = conn_ready(c);
	if (rc)
		return rc;
	char name[16];
	snprintf(name, sizeof name, "s%d", (int)id);
	PGresult *r = PQexecPrepared(c->c, name, n, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		rc = result_fail(c, r);
		PQclear(r);
		return rc;
	}
	*out = r;
	return 0;
}

int pg_query(struct pconn *c, const char *sql, int n, const char *const *params, PGresult **out)
{
	*out = NULL;
	int rc = conn_ready(c);
	if (rc)
		return rc;
	PGresult *r = PQexecParams(c->c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		rc = result_fail(c, r);
		PQclear(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* Runs a plain command (BEGIN, COMMIT, SAVEPOINT ...). */
int pg_command(struct pconn *c, const char *sql)
{
	int rc = conn_ready(c);
	if (rc)
		return rc;
	PGresult *r = PQexec(c->c, sql);
	rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : result_fail(c, r);
	/* COMMIT of a transaction an error aborted "succeeds" as a ROLLBACK: that is a failure. */
	if (rc == 0 && strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		set_error(c->owner, "the transaction was rolled back after an earlier error");
		rc = PC_EIO;
	}
	PQclear(r);
	return rc;
}

/* A transaction of its own, or a savepoint inside the caller's batch. */
static int tx_begin(pg_store *s)
{
	return pg_command(&s->w, s->in_batch ? "SAVEPOINT one_write" : "BEGIN");
}

static int tx_end(pg_store *s, int rc)
{
	if (s->in_batch) {
		if (rc)
			pg_command(&s->w, "ROLLBACK TO SAVEPOINT one_write");
		int rrc = pg_command(&s->w, "RELEASE SAVEPOINT one_write");
		return rc ? rc : rrc;
	}
	if (rc) {
		pg_command(&s->w, "ROLLBACK");
		return rc;
	}
	/* Acknowledged only once COMMIT returned: with synchronous_commit=on, flushed. */
	rc = pg_command(&s->w, "COMMIT");
	if (rc)
		pg_command(&s->w, "ROLLBACK");
	return rc;
}

char *val_dup(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : strdup(PQgetvalue(r, row, col));
}

int64_t val_i64(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}


static void pg_close(store *st)
{
	pg_store *s = (pg_store *)st;
	if (!s)
		return;
	PQfinish(s->w.c);
	PQfinish(s->r.c);
	pthread_mutex_destroy(&s->wlock);
	pthread_mutex_destroy(&s->rlock);
	pthread_mutex_destroy(&s->errlock);
	free(s->conninfo);
	free(s);
}

static int pg_version_put(store *st, const store_version *v, char **previous)
{
	pg_store *s = (pg_store *)st;
	*previous = NULL;
	char b1[24], b2[24];
	PGresult *r = NULL;
	char *cur = NULL;
	pthread_mutex_lock(&s->wlock);
	int rc = tx_begin(s);
	if (rc)
		goto cleanup;
	const char *ensure[] = {v->package, v->hash};
	if ((rc = run(&s->w, S_PKG_ENSURE, 2, ensure, &r)))
		goto done;
	PQclear(r);
	const char *lock[] = {v->package};
	if ((rc = run(&s->w, S_PKG_LOCK, 1, lock, &r)))
		goto done;
	if (PQntuples(r) != 1) {
		rc = PC_EIO;
		goto done;
	}
	int64_t pkg_id = val_i64(r, 0, 0);
	cur = val_dup(r, 0, 1);
	PQclear(r);
	const char *ver[] = {v->hash, I64(b1, pkg_id), v->title, v->scorm, v->version_attr,
			     I64(b2, v->size)};
	if ((rc = run(&s->w, S_VER_INSERT, 6, ver, &r)))
		goto done;
	PQclear(r);
	const char *set[] = {b1, v->hash};
	if ((rc = run(&s->w, S_PKG_SET_CURRENT, 2, set, &r)))
		goto done;
	PQclear(r);
done:
	rc = tx_end(s, rc);
	if (rc == 0 && cur && strcmp(cur, v->hash) != 0) {
		*previous = cur;
		cur = NULL;
	}
cleanup:
	free(cur);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

static int pg_version_list(store *st, store_version **out, size_t *n)
{
	pg_store *s = (pg_store *)st;
	*out = NULL;
	*n = 0;
	PGresult *r;
	pthread_mutex_lock(&s->rlock);
	int rc = run(&s->r, S_VER_LIST, 0, NULL, &r);
	pthread_mutex_unlock(&s->rlock);
	if (rc)
		return rc;
	int rows = PQntuples(r);
	store_version *v = calloc(rows ? (size_t)rows : 1, sizeof *v);
	if (!v) {
		PQclear(r);
		return PC_ENOMEM;
	}
	for (int i = 0; i < rows; i++) {
		v[i].package = val_dup(r, i, 0);
		v[i].hash = val_dup(r, i, 1);
		v[i].title = val_dup(r, i, 2);
		v[i].scorm = val_dup(r, i, 3);
		v[i].version_attr = val_dup(r, i, 4);
		v[i].imported_at = val_dup(r, i, 5);
		v[i].size = val_i64(r, i, 6);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)rows;
	return 0;
}

static int pg_learner_ensure(store *st, const char *ident, const char *name, int64_t *id)
{
	pg_store *s = (pg_store *)st;
	PGresult *r;
	const char *p[] = {ident, name ? name : ident};
	pthread_mutex_lock(&s->wlock);
	/* Another node may add the same learner at the same moment: insert or find. */
	int rc = run(&s->w, S_LEARNER_INSERT, 2, p, &r);
	if (rc == 0 && PQntuples(r) == 0) {
		PQclear(r);
		rc = run(&s->w, S_LEARNER_GET, 1, p, &r);
		if (rc == 0 && PQntuples(r) != 1)
			rc = PC_EIO;
	}
	if (rc == 0)
		*id = val_i64(r, 0, 0);
	if (r && rc == 0)
		PQclear(r);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

static int latest(struct pconn *c, int64_t learner_id, const char *package, store_attempt *a)
{
	memset(a, 0, sizeof *a);
	char b[24];
	const char *p[] = {I64(b, learner_id), package};
	PGresult *r;
	int rc = run(c, S_ATTEMPT_LATEST, 2, p, &r);
	if (rc)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return PC_ENOTFOUND;
	}
	a->id = val_i64(r, 0, 0);
	a->number = val_i64(r, 0, 1);
	a->closed = (int)val_i64(r, 0, 2);
	a->version_hash = val_dup(r, 0, 3);
	a->started_at = val_dup(r, 0, 4);
	a->updated_at = val_dup(r, 0, 5);
	PQclear(r);
	return a->version_hash && a->started_at && a->updated_at ? 0 : PC_ENOMEM;
}

static int pg_attempt_latest(store *st, int64_t learner_id, const char *package, store_attempt *out)
{
	pg_store *s = (pg_store *)st;
	pthread_mutex_lock(&s->rlock);
	int rc = latest(&s->r, learner_id, package, out);
	pthread_mutex_unlock(&s->rlock);
	if (rc)
		store_attempt_clear(out);
	return rc;
}

static int pg_attempt_launch(store *st, int64_t learner_id, const char *package, const char *hash,
			     store_attempt *out, int *created)
{
	pg_store *s = (pg_store *)st;
	*created = 0;
	pthread_mutex_lock(&s->wlock);
	int rc = 0;
	/* Two nodes may start the same learner's next attempt at once: the loser of the unique
	 * (learner, package, number) finds the winner's attempt and resumes it. */
	for (int tries = 0; tries < 3; tries++) {
		rc = latest(&s->w, learner_id, package, out);
		if (rc == 0 && !out->closed)
			break;
		if (rc && rc != PC_ENOTFOUND)
			break;
		int64_t number = rc == 0 ? out->number + 1 : 1;
		store_attempt_clear(out);
		char b1[24], b3[24];
		const char *p[] = {I64(b1, learner_id), package, I64(b3, number), hash};
		PGresult *r;
		if ((rc = run(&s->w, S_ATTEMPT_INSERT, 4, p, &r)))
			break;
		int inserted = atoi(PQcmdTuples(r)) == 1;
		PQclear(r);
		if (inserted) {
			rc = latest(&s->w, learner_id, package, out);
			if (rc == PC_ENOTFOUND)
				rc = PC_EIO;
			*created = rc == 0;
			break;
		}
		/* Nothing inserted: no such package, or another node took this number. */
		rc = latest(&s->w, learner_id, package, out);
		if (rc == PC_ENOTFOUND)
			break; /* no such package */
		if (rc == 0 && out->number < number) {
			rc = PC_ENOTFOUND;
			break;
		}
	}
	pthread_mutex_unlock(&s->wlock);
	if (rc)
		store_attempt_clear(out);
	return rc;
}

static int pg_attempt_owner(store *st, int64_t attempt_id, int64_t *learner_id, char **package,
			    char **hash)
{
	pg_store *s = (pg_store *)st;
	*package = *hash = NULL;
	char b[24];
	const char *p[] = {I64(b, attempt_id)};
	PGresult *r;
	pthread_mutex_lock(&s->wlock);
	int rc = run(&s->w, S_ATTEMPT_OWNER, 1, p, &r);
	pthread_mutex_unlock(&s->wlock);
	if (rc)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return PC_ENOTFOUND;
	}
	*learner_id = val_i64(r, 0, 0);
	*package = val_dup(r, 0, 1);
	*hash = val_dup(r, 0, 2);
	PQclear(r);
	if (!*package || !*hash) {
		free(*package);
		free(*hash);
		*package = *hash = NULL;
		return PC_ENOMEM;
	}
	return 0;
}

static int pg_sco_get(store *st, int64_t attempt_id, const char *item, char **state, int64_t *seq,
		      int64_t *rev)
{
	pg_store *s = (pg_store *)st;
	*state = NULL;
	*seq = -1;
	*rev = 0;
	char b[24];
	const char *p[] = {I64(b, attempt_id), item};
	PGresult *r;
	pthread_mutex_lock(&s->wlock);
	int rc = run(&s->w, S_SCO_GET, 2, p, &r);
	pthread_mutex_unlock(&s->wlock);
	if (rc)
		return rc;
	if (PQntuples(r) == 1) {
		*state = val_dup(r, 0, 0);
		*seq = val_i64(r, 0, 1);
		*rev = val_i64(r, 0, 2);
		rc = *state ? 0 : PC_ENOMEM;
	}
	PQclear(r);
	return rc;
}

static int pg_batch_begin(store *st)
{
	pg_store *s = (pg_store *)st;
	pthread_mutex_lock(&s->wlock);
	int rc = pg_command(&s->w, "BEGIN");
	if (rc) {
		pthread_mutex_unlock(&s->wlock);
		return rc;
	}
	s->in_batch = 1;
	return 0;
}

static int pg_batch_end(store *st, int commit)
{
	pg_store *s = (pg_store *)st;
	s->in_batch = 0;
	int rc = commit ? pg_command(&s->w, "COMMIT") : 0;
	if (!commit || rc)
		pg_command(&s->w, "ROLLBACK");
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

/* An SQL array literal of text values ({"a","b",NULL}) into b. */
static void text_array(buf *b, const char *const *v, size_t n, size_t stride)
{
	buf_putc(b, '{');
	for (size_t i = 0; i < n; i++) {
		const char *x = *(const char *const *)((const char *)v + i * stride);
		if (i)
			buf_putc(b, ',');
		if (!x) {
			buf_puts(b, "NULL");
			continue;
		}
		buf_putc(b, '"');
		for (; *x; x++) {
			if (*x == '"' || *x == '\\')
				buf_putc(b, '\\');
			buf_putc(b, *x);
		}
		buf_putc(b, '"');
	}
	buf_putc(b, '}');
}

static int pg_sco_put(store *st, const store_sco_write *w)
{
	pg_store *s = (pg_store *)st;
	char b1[24], b3[24], b10[40], b13[4], b14[4], b15[24];
	int ended = w->terminated && w->exit && strcmp(w->exit, "suspend") != 0;
	snprintf(b10, sizeof b10, "%.17g", w->total_seconds);
	snprintf(b13, sizeof b13, "%d", ended);
	snprintf(b14, sizeof b14, "%d", w->request != NULL);
	/* The interactions as ten arrays, one per column. */
	buf arr[10];
	const char *params[27];
	for (int k = 0; k < 10; k++)
		buf_init(&arr[k], 0);
	const store_interaction *it = w->interactions;
	size_t n = w->ninteractions, stride = sizeof *it;
	buf_putc(&arr[0], '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(&arr[0], "%s%" PRId64, i ? "," : "", it[i].n);
	buf_putc(&arr[0], '}');
	static const size_t offs[9] = {
		offsetof(store_interaction, id),
		offsetof(store_interaction, type),
		offsetof(store_interaction, description),
		offsetof(store_interaction, learner_response),
		offsetof(store_interaction, correct_responses),
		offsetof(store_interaction, result),
		offsetof(store_interaction, weighting),
		offsetof(store_interaction, latency),
		offsetof(store_interaction, timestamp),
	};
	for (int k = 0; k < 9; k++)
		text_array(&arr[k + 1], n ? (const char *const *)((const char *)it + offs[k]) : NULL, n,
			   stride);
	int rc = 0;
	for (int k = 0; k < 10; k++)
		if (buf_error(&arr[k]))
			rc = PC_ENOMEM;
	if (rc)
		goto cleanup;
	const char *p[] = {I64(b1, w->attempt_id), w->item, I64(b3, w->seq), w->state, w->completion,
			   w->success, w->score_raw, w->score_scaled, w->total_time, b10,
			   w->location, w->exit, b13, b14, I64(b15, w->expect_rev), w->request,
			   w->response};
	memcpy(params, p, sizeof p);
	for (int k = 0; k < 10; k++)
		params[17 + k] = buf_cstr(&arr[k]);
	PGresult *r;
	pthread_mutex_lock(&s->wlock);
	/* One statement: atomic on its own, so no savepoint is needed inside a batch (a failure
	 * there is the connection's or the disk's, and fails the batch anyway). */
	rc = run(&s->w, S_SCO_PUT, 27, params, &r);
	if (rc == 0) {
		rc = val_i64(r, 0, 0) == 1 ? 0 : PC_ECONFLICT;
		PQclear(r);
	}
	pthread_mutex_unlock(&s->wlock);
cleanup:
	for (int k = 0; k < 10; k++)
		buf_free(&arr[k]);
	return rc;
}

static int pg_attempt_close(store *st, int64_t attempt_id)
{
	pg_store *s = (pg_store *)st;
	char b[24];
	const char *p[] = {I64(b, attempt_id)};
	PGresult *r;
	pthread_mutex_lock(&s->wlock);
	int rc = run(&s->w, S_ATTEMPT_CLOSE, 1, p, &r);
	pthread_mutex_unlock(&s->wlock);
	if (rc == 0)
		PQclear(r);
	return rc;
}

void pg_report_params(struct pg_report_params *rp, const store_filter *f)
{
	snprintf(rp->latest, sizeof rp->latest, "%d", f && f->latest_only ? 1 : 0);
	const char *p[] = {f ? f->package : NULL,	       f ? f->learner : NULL,
			   I64(rp->attempt, f ? f->attempt : 0), rp->latest,
			   I64(rp->group, f ? f->group : 0),	       I64(rp->manager, f ? f->manager : 0),
			   f ? f->status : NULL,		       f ? f->since : NULL,
			   f ? f->until : NULL};
	memcpy(rp->p, p, sizeof p);
}

struct pconn *pg_report_conn(pg_store *s, const store_filter *f)
{
	return f && f->attempt ? &s->w : &s->r;
}

/* Runs a report (the interactions' reads only $1..$6). */
static int report(pg_store *s, enum stmt_id id, const store_filter *f, PGresult **r)
{
	struct pg_report_params rp;
	pg_report_params(&rp, f);
	struct pconn *c = pg_report_conn(s, f);
	pthread_mutex_lock(c->lock);
	int rc = run(c, id, id == S_RECORDS ? 9 : 6, rp.p, r);
	pthread_mutex_unlock(c->lock);
	return rc;
}

static int pg_records(store *st, const store_filter *f, store_record **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	PGresult *r;
	int rc = report((pg_store *)st, S_RECORDS, f, &r);
	if (rc)
		return rc;
	int rows = PQntuples(r);
	store_record *e = calloc(rows ? (size_t)rows : 1, sizeof *e);
	if (!e) {
		PQclear(r);
		return PC_ENOMEM;
	}
	for (int i = 0; i < rows; i++) {
		e[i].learner = val_dup(r, i, 0);
		e[i].learner_name = val_dup(r, i, 1);
		e[i].package = val_dup(r, i, 2);
		e[i].package_title = val_dup(r, i, 3);
		e[i].item = val_dup(r, i, 4);
		e[i].attempt = val_i64(r, i, 5);
		e[i].closed = (int)val_i64(r, i, 6);
		e[i].completion = val_dup(r, i, 7);
		e[i].success = val_dup(r, i, 8);
		e[i].score_raw = val_dup(r, i, 9);
		e[i].score_scaled = val_dup(r, i, 10);
		e[i].total_time = val_dup(r, i, 11);
		e[i].total_seconds = PQgetisnull(r, i, 12) ? 0 : strtod(PQgetvalue(r, i, 12), NULL);
		e[i].location = val_dup(r, i, 13);
		e[i].updated_at = val_dup(r, i, 14);
		e[i].commits = val_i64(r, i, 15);
		e[i].exit = val_dup(r, i, 16);
		e[i].ended = (int)val_i64(r, i, 17);
		e[i].learner_email = val_dup(r, i, 18);
		e[i].attempt_id = val_i64(r, i, 19);
	}
	PQclear(r);
	*out = e;
	*n = (size_t)rows;
	return 0;
}

static int pg_interactions(store *st, const store_filter *f, store_interaction_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	PGresult *r;
	int rc = report((pg_store *)st, S_INTERACTIONS, f, &r);
	if (rc)
		return rc;
	int rows = PQntuples(r);
	store_interaction_row *e = calloc(rows ? (size_t)rows : 1, sizeof *e);
	if (!e) {
		PQclear(r);
		return PC_ENOMEM;
	}
	for (int i = 0; i < rows; i++) {
		e[i].learner = val_dup(r, i, 0);
		e[i].package = val_dup(r, i, 1);
		e[i].item = val_dup(r, i, 2);
		e[i].attempt = val_i64(r, i, 3);
		e[i].n = val_i64(r, i, 4);
		e[i].id = val_dup(r, i, 5);
		e[i].type = val_dup(r, i, 6);
		e[i].description = val_dup(r, i, 7);
		e[i].learner_response = val_dup(r, i, 8);
		e[i].correct_responses = val_dup(r, i, 9);
		e[i].result = val_dup(r, i, 10);
		e[i].weighting = val_dup(r, i, 11);
		e[i].latency = val_dup(r, i, 12);
		e[i].timestamp = val_dup(r, i, 13);
	}
	PQclear(r);
	*out = e;
	*n = (size_t)rows;
	return 0;
}

static int pg_counts(store *st, int64_t *commits, int64_t *attempts, int64_t *learners)
{
	pg_store *s = (pg_store *)st;
	PGresult *r;
	pthread_mutex_lock(&s->rlock);
	int rc = run(&s->r, S_COUNTS, 0, NULL, &r);
	pthread_mutex_unlock(&s->rlock);
	if (rc)
		return rc;
	*commits = val_i64(r, 0, 0);
	*attempts = val_i64(r, 0, 1);
	*learners = val_i64(r, 0, 2);
	PQclear(r);
	return 0;
}

static int pg_shared_get(store *st, int64_t learner_id, const char *package, int64_t attempt_id,
			 const char *target, char **value)
{
	pg_store *s = (pg_store *)st;
	*value = NULL;
	char b1[24], b3[24];
	const char *p[] = {I64(b1, learner_id), package, I64(b3, attempt_id), target};
	PGresult *r;
	pthread_mutex_lock(&s->wlock);
	int rc = run(&s->w, S_SHARED_GET, 4, p, &r);
	pthread_mutex_unlock(&s->wlock);
	if (rc)
		return rc;
	if (PQntuples(r) == 1) {
		*value = val_dup(r, 0, 0);
		rc = *value ? 0 : PC_ENOMEM;
	}
	PQclear(r);
	return rc;
}

static int pg_shared_put(store *st, int64_t learner_id, const char *package, int64_t attempt_id,
			 const char *target, const char *value)
{
	pg_store *s = (pg_store *)st;
	char b1[24], b3[24];
	const char *p[] = {I64(b1, learner_id), package, I64(b3, attempt_id), target, value};
	PGresult *r;
	pthread_mutex_lock(&s->wlock);
	int rc = run(&s->w, S_SHARED_PUT, 5, p, &r);
	if (rc == 0) {
		rc = atoi(PQcmdTuples(r)) == 1 ? 0 : PC_ENOTFOUND;
		PQclear(r);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

/* Copies a zip into the database in PG_CHUNK rows, in one transaction on the writer (so a
 * killed import leaves nothing half stored). */
static int pg_package_file_put(store *st, const char *hash, const char *path)
{
	pg_store *s = (pg_store *)st;
	PGresult *r;
	const char *p1[] = {hash};
	unsigned char *chunk = NULL;
	int fd = -1;
	pthread_mutex_lock(&s->wlock);
	int rc = run(&s->w, S_FILE_HAS, 1, p1, &r);
	if (rc)
		goto cleanup;
	int have = PQntuples(r) == 1;
	PQclear(r);
	if (have)
		goto cleanup;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	chunk = malloc(PG_CHUNK);
	if (fd < 0 || !chunk) {
		rc = fd < 0 ? PC_EIO : PC_ENOMEM;
		if (fd < 0)
			set_error(s, strerror(errno));
		goto cleanup;
	}
	if ((rc = tx_begin(s)))
		goto cleanup;
	int64_t size = 0;
	int n = 0;
	for (;; n++) {
		size_t got = 0;
		while (got < PG_CHUNK) {
			ssize_t k = read(fd, chunk + got, PG_CHUNK - got);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				set_error(s, strerror(errno));
				rc = PC_EIO;
				break;
			}
			if (k == 0)
				break;
			got += (size_t)k;
		}
		if (rc || (got == 0 && n > 0))
			break;
		char bn[16];
		snprintf(bn, sizeof bn, "%d", n);
		const char *vals[] = {hash, bn, (const char *)chunk};
		int lens[] = {0, 0, (int)got};
		int fmts[] = {0, 0, 1};
		char name[16];
		snprintf(name, sizeof name, "s%d", (int)S_FILE_CHUNK_PUT);
		r = PQexecPrepared(s->w.c, name, 3, vals, lens, fmts, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = result_fail(&s->w, r);
		PQclear(r);
		size += (int64_t)got;
		if (rc || got < PG_CHUNK) {
			n++;
			break;
		}
	}
	if (rc == 0) {
		char bs[24], bc[16];
		snprintf(bc, sizeof bc, "%d", n);
		const char *p[] = {hash, I64(bs, size), bc};
		if ((rc = run(&s->w, S_FILE_PUT, 3, p, &r)) == 0)
			PQclear(r);
	}
	rc = tx_end(s, rc);
cleanup:
	pthread_mutex_unlock(&s->wlock);
	if (fd >= 0)
		close(fd);
	free(chunk);
	return rc;
}

/* Writes a stored zip to `path` chunk by chunk (reader connection), fsynced. */
static int pg_package_file_get(store *st, const char *hash, const char *path)
{
	pg_store *s = (pg_store *)st;
	PGresult *r;
	const char *p1[] = {hash};
	int fd = -1;
	pthread_mutex_lock(&s->rlock);
	int rc = run(&s->r, S_FILE_HAS, 1, p1, &r);
	if (rc)
		goto cleanup;
	if (PQntuples(r) != 1) {
		PQclear(r);
		rc = PC_ENOTFOUND;
		goto cleanup;
	}
	int64_t size = val_i64(r, 0, 0);
	int chunks = (int)val_i64(r, 0, 1);
	PQclear(r);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		set_error(s, strerror(errno));
		rc = errno == ENOSPC ? PC_ENOSPC : PC_EIO;
		goto cleanup;
	}
	int64_t written = 0;
	char name[16];
	snprintf(name, sizeof name, "s%d", (int)S_FILE_CHUNK_GET);
	for (int n = 0; n < chunks && !rc; n++) {
		char bn[16];
		snprintf(bn, sizeof bn, "%d", n);
		const char *vals[] = {hash, bn};
		if ((rc = conn_ready(&s->r)))
			break;
		r = PQexecPrepared(s->r.c, name, 2, vals, NULL, NULL, 1); /* binary: the raw bytes */
		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
			rc = PQresultStatus(r) == PGRES_TUPLES_OK ? PC_EIO : result_fail(&s->r, r);
			PQclear(r);
			break;
		}
		const char *data = PQgetvalue(r, 0, 0);
		size_t len = (size_t)PQgetlength(r, 0, 0);
		for (size_t off = 0; off < len;) {
			ssize_t k = write(fd, data + off, len - off);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				set_error(s, strerror(errno));
				rc = errno == ENOSPC ? PC_ENOSPC : PC_EIO;
				break;
			}
			off += (size_t)k;
		}
		written += (int64_t)len;
		PQclear(r);
	}
	if (!rc && written != size) {
		set_error(s, "a stored package file is shorter than recorded");
		rc = PC_EIO;
	}
	if (!rc && fsync(fd) != 0) {
		set_error(s, strerror(errno));
		rc = PC_EIO;
	}
cleanup:
	pthread_mutex_unlock(&s->rlock);
	if (fd >= 0) {
		close(fd);
		if (rc)
			unlink(path);
	}
	return rc;
}

/* One SHOW: 1 when the setting is `want`. */
static int setting_is(struct pconn *c, const char *name, const char *want, char *got, size_t size)
{
	char sql[64];
	snprintf(sql, sizeof sql, "SHOW %s", name);
	PGresult *r = PQexec(c->c, sql);
	int ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	snprintf(got, size, "%s", ok ? PQgetvalue(r, 0, 0) : "?");
	PQclear(r);
	return ok && strcmp(got, want) == 0;
}

/* The schema answers; thorough: also the settings without which an acknowledged commit could
 * be lost (fsync, synchronous_commit) or a crash could tear pages (full_page_writes). */
static int pg_check(store *st, int thorough, char *why, size_t whysize)
{
	pg_store *s = (pg_store *)st;
	pthread_mutex_lock(&s->rlock);
	int rc = conn_ready(&s->r);
	if (rc) {
		snprintf(why, whysize, "cannot reach the database: %s", PQerrorMessage(s->r.c));
		why[strcspn(why, "\n")] = '\0';
		goto cleanup;
	}
	PGresult *r = PQexec(s->r.c, "SELECT version FROM schema_version");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 ||
	    atoi(PQgetvalue(r, 0, 0)) != store_pg_schema_version()) {
		snprintf(why, whysize, "the schema is not the one this postcard writes (version %s)",
			 PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? PQgetvalue(r, 0, 0)
										  : "?");
		PQclear(r);
		rc = PC_EFORMAT;
		goto cleanup;
	}
	PQclear(r);
	static const char *const durable[][2] = {
		{"fsync", "on"}, {"synchronous_commit", "on"}, {"full_page_writes", "on"}};
	for (size_t i = 0; thorough && i < PC_ARRAY_LEN(durable); i++) {
		char got[64];
		if (!setting_is(&s->r, durable[i][0], durable[i][1], got, sizeof got)) {
			snprintf(why, whysize, "the server runs with %s=%s: acknowledged commits could be "
					       "lost in a crash (set %s=%s)",
				 durable[i][0], got, durable[i][0], durable[i][1]);
			rc = PC_EFORMAT;
			goto cleanup;
		}
	}
cleanup:
	pthread_mutex_unlock(&s->rlock);
	return rc;
}

static void pg_last_error(store *st, char *out, size_t size)
{
	pg_store *s = (pg_store *)st;
	pthread_mutex_lock(&s->errlock);
	snprintf(out, size, "%s", s->error);
	pthread_mutex_unlock(&s->errlock);
}

static const store_ops pg_ops = {
	.close = pg_close,
	.version_put = pg_version_put,
	.version_list = pg_version_list,
	.learner_ensure = pg_learner_ensure,
	.attempt_launch = pg_attempt_launch,
	.attempt_latest = pg_attempt_latest,
	.attempt_owner = pg_attempt_owner,
	.sco_get = pg_sco_get,
	.batch_begin = pg_batch_begin,
	.batch_end = pg_batch_end,
	.sco_put = pg_sco_put,
	.attempt_close = pg_attempt_close,
	.records = pg_records,
	.interactions = pg_interactions,
	.counts = pg_counts,
	.shared_get = pg_shared_get,
	.shared_put = pg_shared_put,
	.package_file_put = pg_package_file_put,
	.package_file_get = pg_package_file_get,
	.check = pg_check,
	.last_error = pg_last_error,
	.learner_find = pg_learner_find,
	.learner_get = pg_learner_get,
	.launch_put = pg_launch_put,
	.launch_get = pg_launch_get,
	.launch_start = pg_launch_start,
	.prune_expired = pg_prune_expired,
	.user_add = pg_user_add,
	.user_get = pg_user_get,
	.user_list = pg_user_list,
	.user_update = pg_user_update,
	.learner_erase = pg_learner_erase,
	.learner_usage = pg_learner_usage,
	.journal_prune = pg_journal_prune,
	.session_put = pg_session_put,
	.session_get = pg_session_get,
	.session_delete = pg_session_delete,
	.invite_put = pg_invite_put,
	.invite_get = pg_invite_get,
	.invite_delete = pg_invite_delete,
	.group_add = pg_group_add,
	.group_list = pg_group_list,
	.member_set = pg_member_set,
	.member_remove = pg_member_remove,
	.member_list = pg_member_list,
	.assignment_set = pg_assignment_set,
	.assignment_list = pg_assignment_list,
	.throttle_hit = pg_throttle_hit,
	.throttle_count = pg_throttle_count,
	.throttle_clear = pg_throttle_clear,
	.audit_add = pg_audit_add,
	.audit_list = pg_audit_list,
	.seq_get = pg_seq_get,
	.seq_put = pg_seq_put,
	.seq_globals_get = pg_seq_globals_get,
	.seq_globals_put = pg_seq_globals_put,
	.seq_records = pg_seq_records,
};

int store_pg_schema_version(void)
{
	return (int)PC_ARRAY_LEN(migrations);
}

/* Runs one SQL text (several statements allowed) and reports its error into err. */
static int exec_sql(PGconn *c, const char *sql, char *err, size_t errsize, PGresult **keep)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		if (err)
			snprintf(err, errsize, "%s", PQresultErrorMessage(r));
		PQclear(r);
		return PC_EIO;
	}
	if (keep)
		*keep = r;
	else
		PQclear(r);
	return 0;
}

static int migrate(PGconn *c, char *err, size_t errsize)
{
	char msg[512] = "", sql[160];
	PGresult *r = NULL;
	int rc = exec_sql(c, "BEGIN", msg, sizeof msg, NULL);
	snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%lld)", (long long)PG_MIGRATION_LOCK);
	if (!rc)
		rc = exec_sql(c, sql, msg, sizeof msg, NULL);
	if (!rc)
		rc = exec_sql(c, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL);"
				 "INSERT INTO schema_version SELECT 0 WHERE NOT EXISTS"
				 " (SELECT 1 FROM schema_version)",
			      msg, sizeof msg, NULL);
	if (!rc)
		rc = exec_sql(c, "SELECT version FROM schema_version", msg, sizeof msg, &r);
	int have = rc == 0 && PQntuples(r) == 1 ? atoi(PQgetvalue(r, 0, 0)) : 0;
	PQclear(r);
	int want = store_pg_schema_version();
	if (!rc && have > want) {
		exec_sql(c, "ROLLBACK", NULL, 0, NULL);
		snprintf(err, errsize,
			 "the database has schema version %d; this postcard knows up to %d (upgrade postcard)",
			 have, want);
		return PC_EFORMAT;
	}
	for (int v = have; !rc && v < want; v++) {
		rc = exec_sql(c, migrations[v], msg, sizeof msg, NULL);
		snprintf(sql, sizeof sql, "UPDATE schema_version SET version = %d", v + 1);
		if (!rc)
			rc = exec_sql(c, sql, msg, sizeof msg, NULL);
		if (rc)
			snprintf(sql, sizeof sql, "migrating to schema %d failed", v + 1);
	}
	if (!rc)
		rc = exec_sql(c, "COMMIT", msg, sizeof msg, NULL);
	if (rc) {
		exec_sql(c, "ROLLBACK", NULL, 0, NULL);
		msg[strcspn(msg, "\n")] = '\0';
		snprintf(err, errsize, "setting up the database failed: %s", msg);
	}
	return rc;
}

/* Server notices (NOTICE, WARNING) are not errors: a library does not print them. */
static void no_notices(void *ctx, const char *message)
{
	(void)ctx;
	(void)message;
}

static int connect_one(struct pconn *c, const char *conninfo, char *err, size_t errsize)
{
	c->c = PQconnectdb(conninfo);
	if (c->c)
		PQsetNoticeProcessor(c->c, no_notices, NULL);
	if (PQstatus(c->c) != CONNECTION_OK) {
		char msg[300];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(c->c));
		msg[strcspn(msg, "\n")] = '\0';
		if (err)
			snprintf(err, errsize, "cannot connect to the database: %s", msg);
		return PC_EIO;
	}
	return 0;
}

int store_pg_open(store **out, const char *conninfo, char *err, size_t errsize)
{
	*out = NULL;
	pg_store *s = calloc(1, sizeof *s);
	if (!s || !(s->conninfo = strdup(conninfo))) {
		free(s);
		return PC_ENOMEM;
	}
	s->base.ops = &pg_ops;
	s->w.lock = &s->wlock;
	s->r.lock = &s->rlock;
	s->w.owner = s->r.owner = s;
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	/* Recursive: a batch holds the writer while the commit queue reads through it. */
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&s->wlock, &attr);
	pthread_mutex_init(&s->rlock, &attr);
	pthread_mutexattr_destroy(&attr);
	pthread_mutex_init(&s->errlock, NULL);
	int rc = connect_one(&s->w, conninfo, err, errsize);
	if (!rc)
		rc = migrate(s->w.c, err, errsize);
	if (!rc)
		rc = connect_one(&s->r, conninfo, err, errsize);
	if (!rc && (rc = conn_setup(&s->w)) == 0)
		rc = conn_setup(&s->r);
	if (rc) {
		if (err && !*err)
			snprintf(err, errsize, "cannot set up the database connection: %s", s->error);
		pg_close(&s->base);
		return rc;
	}
	*out = &s->base;
	return 0;
}
