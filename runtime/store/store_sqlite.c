/* The SQLite storage back end (see store.h): one database file in WAL mode with
 * synchronous=FULL, so a transaction that returned is on disk. Two connections: the writer
 * (every write, and reads that must see a batch's own uncommitted rows) and a reader for
 * reports, so pages never wait for a group commit's fsync. Statements are prepared once and
 * reused. The schema is migrated forward by the numbered steps in `migrations[]`, tracked in
 * PRAGMA user_version. */
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "common.h"
#include "store_sqlite_int.h"

/* Each step runs once, in its own transaction; never edit a released step, add a new one. */
static const char *const migrations[] = {
	/* 1: the first schema. */
	"CREATE TABLE learners("
	"  id INTEGER PRIMARY KEY,"
	"  ident TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  created_at TEXT NOT NULL);"
	"CREATE TABLE packages("
	"  id INTEGER PRIMARY KEY,"
	"  ident TEXT NOT NULL UNIQUE,"
	"  current_hash TEXT NOT NULL);"
	"CREATE TABLE package_versions("
	"  hash TEXT PRIMARY KEY,"
	"  package_id INTEGER NOT NULL REFERENCES packages(id),"
	"  title TEXT NOT NULL,"
	"  scorm TEXT NOT NULL,"
	"  version_attr TEXT,"
	"  size INTEGER NOT NULL,"
	"  imported_at TEXT NOT NULL);"
	"CREATE TABLE attempts("
	"  id INTEGER PRIMARY KEY,"
	"  learner_id INTEGER NOT NULL REFERENCES learners(id),"
	"  package_id INTEGER NOT NULL REFERENCES packages(id),"
	"  number INTEGER NOT NULL,"
	"  version_hash TEXT NOT NULL REFERENCES package_versions(hash),"
	"  closed INTEGER NOT NULL DEFAULT 0,"
	"  started_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  UNIQUE(learner_id, package_id, number));"
	"CREATE TABLE sco_states("
	"  attempt_id INTEGER NOT NULL REFERENCES attempts(id),"
	"  item TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  state TEXT NOT NULL,"
	"  completion TEXT, success TEXT, score_raw TEXT, score_scaled TEXT,"
	"  total_time TEXT, total_seconds REAL NOT NULL DEFAULT 0,"
	"  location TEXT, exit TEXT, ended INTEGER NOT NULL DEFAULT 0,"
	"  commits INTEGER NOT NULL DEFAULT 0,"
	"  updated_at TEXT NOT NULL,"
	"  PRIMARY KEY(attempt_id, item)) WITHOUT ROWID;"
	"CREATE TABLE interactions("
	"  attempt_id INTEGER NOT NULL REFERENCES attempts(id),"
	"  item TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  ident TEXT, type TEXT, description TEXT, learner_response TEXT,"
	"  correct_responses TEXT, result TEXT, weighting TEXT, latency TEXT, timestamp TEXT,"
	"  PRIMARY KEY(attempt_id, item, n)) WITHOUT ROWID;"
	"CREATE TABLE commits("
	"  id INTEGER PRIMARY KEY,"
	"  attempt_id INTEGER NOT NULL REFERENCES attempts(id),"
	"  item TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  received_at TEXT NOT NULL,"
	"  request TEXT NOT NULL,"
	"  response TEXT NOT NULL);"
	"CREATE INDEX commits_by_sco ON commits(attempt_id, item, seq);"
	"CREATE TRIGGER commits_append_only_u BEFORE UPDATE ON commits"
	"  BEGIN SELECT RAISE(ABORT, 'the commit journal is append-only'); END;"
	"CREATE TRIGGER commits_append_only_d BEFORE DELETE ON commits"
	"  BEGIN SELECT RAISE(ABORT, 'the commit journal is append-only'); END;",
	/* 2: SCORM 2004 4th Edition shared data (adl.data): one bucket per learner, package and
	 * adlcp:map targetID; attempt_id 0 when it outlives attempts (sharedDataGlobalToSystem). */
	"CREATE TABLE shared_data("
	"  learner_id INTEGER NOT NULL REFERENCES learners(id),"
	"  package_id INTEGER NOT NULL REFERENCES packages(id),"
	"  attempt_id INTEGER NOT NULL,"
	"  target TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  PRIMARY KEY(learner_id, package_id, attempt_id, target)) WITHOUT ROWID;",
	/* 3: launch tokens (store_sqlite_accounts.c). */
	sq_migration_launches,
	/* 4: a revision per SCO state, so writers in several processes can fence each other. */
	"ALTER TABLE sco_states ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;",
	/* 5: package files where every node reads them. PostgreSQL keeps the zips in tables; a
	 * SQLite store lives on one machine, whose data folder is that place: nothing to add. */
	"SELECT 1;",
	/* 6: accounts, sessions, groups, throttling, audit, usage (store_sqlite_accounts.c). */
	sq_migration_accounts,
	/* 7: sequencing state and global objectives (store_sqlite_seq.c). */
	sq_migration_seq,
};

#define NOW "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

/* Every statement, prepared on first use per connection. */
enum stmt_id {
	S_BEGIN,
	S_COMMIT,
	S_ROLLBACK,
	S_SAVEPOINT,
	S_RELEASE,
	S_ROLLBACK_TO,
	S_PKG_GET,
	S_PKG_INSERT,
	S_PKG_SET_CURRENT,
	S_VER_INSERT,
	S_VER_LIST,
	S_LEARNER_GET,
	S_LEARNER_INSERT,
	S_ATTEMPT_LATEST,
	S_ATTEMPT_INSERT,
	S_ATTEMPT_OWNER,
	S_ATTEMPT_CLOSE,
	S_ATTEMPT_TOUCH,
	S_SCO_GET,
	S_SCO_PUT,
	S_INTER_PUT,
	S_JOURNAL_PUT,
	S_COUNTS,
	S_SHARED_GET,
	S_SHARED_PUT,
	S_MAX
};

static const char *const stmt_sql[S_MAX] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SAVEPOINT] = "SAVEPOINT one_commit",
	[S_RELEASE] = "RELEASE one_commit",
	[S_ROLLBACK_TO] = "ROLLBACK TO one_commit",
	[S_PKG_GET] = "SELECT id, current_hash FROM packages WHERE ident = ?1",
	[S_PKG_INSERT] = "INSERT INTO packages(ident, current_hash) VALUES(?1, ?2)",
	[S_PKG_SET_CURRENT] = "UPDATE packages SET current_hash = ?2 WHERE id = ?1",
	[S_VER_INSERT] = "INSERT OR IGNORE INTO package_versions(hash, package_id, title, scorm,"
			 " version_attr, size, imported_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, " NOW ")",
	[S_VER_LIST] = "SELECT p.ident, v.hash, v.title, v.scorm, v.version_attr, v.imported_at, v.size"
		       " FROM packages p JOIN package_versions v ON v.hash = p.current_hash"
		       " ORDER BY v.title COLLATE NOCASE, p.ident",
	[S_LEARNER_GET] = "SELECT id FROM learners WHERE ident = ?1",
	[S_LEARNER_INSERT] = "INSERT INTO learners(ident, name, created_at) VALUES(?1, ?2, " NOW ")",
	[S_ATTEMPT_LATEST] = "SELECT a.id, a.number, a.closed, a.version_hash, a.started_at, a.updated_at"
			     " FROM attempts a JOIN packages p ON p.id = a.package_id"
			     " WHERE a.learner_id = ?1 AND p.ident = ?2 ORDER BY a.number DESC LIMIT 1",
	[S_ATTEMPT_INSERT] = "INSERT INTO attempts(learner_id, package_id, number, version_hash,"
			     " started_at, updated_at)"
			     " SELECT ?1, p.id, ?3, ?4, " NOW ", " NOW " FROM packages p WHERE p.ident = ?2",
	[S_ATTEMPT_OWNER] = "SELECT a.learner_id, p.ident, a.version_hash FROM attempts a"
			    " JOIN packages p ON p.id = a.package_id WHERE a.id = ?1",
	[S_ATTEMPT_CLOSE] = "UPDATE attempts SET closed = 1, updated_at = " NOW " WHERE id = ?1",
	[S_ATTEMPT_TOUCH] = "UPDATE attempts SET updated_at = " NOW " WHERE id = ?1",
	[S_SCO_GET] = "SELECT state, seq, rev FROM sco_states WHERE attempt_id = ?1 AND item = ?2",
	[S_SCO_PUT] = "INSERT INTO sco_states(attempt_id, item, seq, state, completion, success,"
		      " score_raw, score_scaled, total_time, total_seconds, location, exit, ended,"
		      " commits, updated_at, rev)"
		      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, " NOW ", 1)"
		      " ON CONFLICT(attempt_id, item) DO UPDATE SET seq = excluded.seq,"
		      " state = excluded.state, completion = excluded.completion,"
		      " success = excluded.success, score_raw = excluded.score_raw,"
		      " score_scaled = excluded.score_scaled, total_time = excluded.total_time,"
		      " total_seconds = excluded.total_seconds, location = excluded.location,"
		      " exit = coalesce(excluded.exit, exit), ended = excluded.ended,"
		      " commits = commits + excluded.commits, updated_at = excluded.updated_at,"
		      " rev = sco_states.rev + 1 WHERE ?15 = 0 OR sco_states.rev = ?15",
	[S_INTER_PUT] = "INSERT OR REPLACE INTO interactions(attempt_id, item, n, ident, type,"
			" description, learner_response, correct_responses, result, weighting,"
			" latency, timestamp) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[S_JOURNAL_PUT] = "INSERT INTO commits(attempt_id, item, seq, received_at, request, response)"
			  " VALUES(?1, ?2, ?3, " NOW ", ?4, ?5)",
	[S_COUNTS] = "SELECT (SELECT count(*) FROM commits), (SELECT count(*) FROM attempts),"
		     " (SELECT count(*) FROM learners)",
	[S_SHARED_GET] = "SELECT d.value FROM shared_data d JOIN packages p ON p.id = d.package_id"
			 " WHERE d.learner_id = ?1 AND p.ident = ?2 AND d.attempt_id = ?3 AND d.target = ?4",
	[S_SHARED_PUT] = "INSERT INTO shared_data(learner_id, package_id, attempt_id, target, value, updated_at)"
			 " SELECT ?1, p.id, ?3, ?4, ?5, " NOW " FROM packages p WHERE p.ident = ?2"
			 " ON CONFLICT(learner_id, package_id, attempt_id, target) DO UPDATE SET"
			 " value = excluded.value, updated_at = excluded.updated_at",
};

_Static_assert(S_MAX <= SQ_CORE_STMTS, "more statements than slots in struct conn");

/* Records why the connection's last call failed and maps it to an error code: a full disk is
 * PC_ENOSPC (the caller says so instead of "the transaction failed"), anything else PC_EIO. */
static int conn_fail(struct conn *c)
{
	int code = sqlite3_extended_errcode(c->db);
	const char *msg = sqlite3_errmsg(c->db);
	int full = (code & 0xff) == SQLITE_FULL;
	pthread_mutex_lock(&c->owner->errlock);
	snprintf(c->owner->error, sizeof c->owner->error, "%s",
		 full ? "no space left on the device holding the database" : msg ? msg : "?");
	pthread_mutex_unlock(&c->owner->errlock);
	return full ? PC_ENOSPC : PC_EIO;
}

static sqlite3_stmt *stmt(struct conn *c, enum stmt_id id)
{
	if (!c->stmts[id] && sqlite3_prepare_v3(c->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
						&c->stmts[id], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_reset(c->stmts[id]);
	sqlite3_clear_bindings(c->stmts[id]);
	return c->stmts[id];
}

static int exec_simple(struct conn *c, enum stmt_id id)
{
	sqlite3_stmt *s = stmt(c, id);
	int rc = s ? sqlite3_step(s) : SQLITE_ERROR;
	if (s)
		sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : conn_fail(c);
}

int sq_exec(struct conn *c, const char *sql)
{
	return sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : PC_EIO;
}

static void conn_close_stmts(struct conn *c)
{
	for (int i = 0; i < S_MAX; i++)
		sqlite3_finalize(c->stmts[i]);
	for (int i = 0; i < SQ_REPORTS; i++)
		sqlite3_finalize(c->report[i]);
}

static void conn_close(struct conn *c)
{
	conn_close_stmts(c);
	sq_accounts_close_conn(c);
	sq_seq_close_conn(c);
	sqlite3_close(c->db);
}

static void sq_close(store *st)
{
	sqlite_store *s = (sqlite_store *)st;
	if (!s)
		return;
	sq_ckpt_stop(s->ckpt, s->w.db);
	if (s->r.db == s->w.db) {
		conn_close_stmts(&s->r);
		sq_accounts_close_conn(&s->r);
		sq_seq_close_conn(&s->r);
	} else {
		conn_close(&s->r);
	}
	conn_close(&s->w);
	pthread_mutex_destroy(&s->wlock);
	pthread_mutex_destroy(&s->rlock);
	pthread_mutex_destroy(&s->errlock);
	free(s);
}

static int sq_version_put(store *st, const store_version *v, char **previous)
{
	sqlite_store *s = (sqlite_store *)st;
	*previous = NULL;
	int rc = PC_EIO;
	pthread_mutex_lock(&s->wlock);
	struct conn *c = &s->w;
	if (exec_simple(c, S_BEGIN))
		goto cleanup;
	sqlite3_stmt *q = stmt(c, S_PKG_GET);
	if (!q)
		goto rollback;
	bind_text(q, 1, v->package);
	int64_t pkg_id = 0;
	char *cur = NULL;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		pkg_id = sqlite3_column_int64(q, 0);
		cur = col_dup(q, 1);
	} else if (step != SQLITE_DONE) {
		goto rollback;
	}
	sqlite3_reset(q);
	if (!pkg_id) {
		q = stmt(c, S_PKG_INSERT);
		if (!q)
			goto rollback;
		bind_text(q, 1, v->package);
		bind_text(q, 2, v->hash);
		if (sqlite3_step(q) != SQLITE_DONE)
			goto rollback;
		pkg_id = sqlite3_last_insert_rowid(c->db);
		sqlite3_reset(q);
	}
	q = stmt(c, S_VER_INSERT);
	if (!q)
		goto rollback_cur;
	bind_text(q, 1, v->hash);
	sqlite3_bind_int64(q, 2, pkg_id);
	bind_text(q, 3, v->title);
	bind_text(q, 4, v->scorm);
	bind_text(q, 5, v->version_attr);
	sqlite3_bind_int64(q, 6, v->size);
	if (sqlite3_step(q) != SQLITE_DONE)
		goto rollback_cur;
	sqlite3_reset(q);
	q = stmt(c, S_PKG_SET_CURRENT);
	if (!q)
		goto rollback_cur;
	sqlite3_bind_int64(q, 1, pkg_id);
	bind_text(q, 2, v->hash);
	if (sqlite3_step(q) != SQLITE_DONE)
		goto rollback_cur;
	sqlite3_reset(q);
	if (exec_simple(c, S_COMMIT))
		goto rollback_cur;
	if (cur && strcmp(cur, v->hash) != 0)
		*previous = cur;
	else
		free(cur);
	rc = 0;
	goto cleanup;
rollback_cur:
	free(cur);
rollback:
	exec_simple(c, S_ROLLBACK);
cleanup:
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

static int sq_version_list(store *st, store_version **out, size_t *n)
{
	sqlite_store *s = (sqlite_store *)st;
	*out = NULL;
	*n = 0;
	int rc = PC_EIO;
	size_t cap = 0;
	store_version *v = NULL;
	pthread_mutex_lock(s->r.lock);
	sqlite3_stmt *q = stmt(&s->r, S_VER_LIST);
	int step;
	while (q && (step = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			store_version *nv = realloc(v, cap * sizeof *nv);
			if (!nv) {
				rc = PC_ENOMEM;
				goto cleanup;
			}
			v = nv;
		}
		store_version *e = &v[(*n)++];
		e->package = col_dup(q, 0);
		e->hash = col_dup(q, 1);
		e->title = col_dup(q, 2);
		e->scorm = col_dup(q, 3);
		e->version_attr = col_dup(q, 4);
		e->imported_at = col_dup(q, 5);
		e->size = sqlite3_column_int64(q, 6);
	}
	if (q && step == SQLITE_DONE)
		rc = 0;
cleanup:
	if (q)
		sqlite3_reset(q);
	pthread_mutex_unlock(s->r.lock);
	if (rc) {
		store_versions_free(v, *n);
		*n = 0;
	} else {
		*out = v;
	}
	return rc;
}

static int sq_learner_ensure(store *st, const char *ident, const char *name, int64_t *id)
{
	sqlite_store *s = (sqlite_store *)st;
	int rc = PC_EIO;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = stmt(&s->w, S_LEARNER_GET);
	if (!q)
		goto cleanup;
	bind_text(q, 1, ident);
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(q, 0);
		rc = 0;
	}
	sqlite3_reset(q);
	if (step != SQLITE_DONE)
		goto cleanup;
	q = stmt(&s->w, S_LEARNER_INSERT);
	if (!q)
		goto cleanup;
	bind_text(q, 1, ident);
	bind_text(q, 2, name ? name : ident);
	if (sqlite3_step(q) == SQLITE_DONE) {
		*id = sqlite3_last_insert_rowid(s->w.db);
		rc = 0;
	}
	sqlite3_reset(q);
cleanup:
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

/* Reads the latest attempt with the given connection (lock held). */
static int latest(struct conn *c, int64_t learner_id, const char *package, store_attempt *a)
{
	memset(a, 0, sizeof *a);
	sqlite3_stmt *q = stmt(c, S_ATTEMPT_LATEST);
	if (!q)
		return PC_EIO;
	sqlite3_bind_int64(q, 1, learner_id);
	bind_text(q, 2, package);
	int step = sqlite3_step(q);
	int rc = step == SQLITE_DONE ? PC_ENOTFOUND : PC_EIO;
	if (step == SQLITE_ROW) {
		a->id = sqlite3_column_int64(q, 0);
		a->number = sqlite3_column_int64(q, 1);
		a->closed = sqlite3_column_int(q, 2);
		a->version_hash = col_dup(q, 3);
		a->started_at = col_dup(q, 4);
		a->updated_at = col_dup(q, 5);
		rc = a->version_hash && a->started_at && a->updated_at ? 0 : PC_ENOMEM;
	}
	sqlite3_reset(q);
	return rc;
}

static int sq_attempt_latest(store *st, int64_t learner_id, const char *package, store_attempt *out)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(s->r.lock);
	int rc = latest(&s->r, learner_id, package, out);
	pthread_mutex_unlock(s->r.lock);
	if (rc)
		store_attempt_clear(out);
	return rc;
}

static int sq_attempt_launch(store *st, int64_t learner_id, const char *package, const char *hash,
			     store_attempt *out, int *created)
{
	sqlite_store *s = (sqlite_store *)st;
	*created = 0;
	pthread_mutex_lock(&s->wlock);
	int rc = latest(&s->w, learner_id, package, out);
	if (rc == 0 && !out->closed)
		goto cleanup;
	if (rc && rc != PC_ENOTFOUND)
		goto cleanup;
	int64_t number = rc == 0 ? out->number + 1 : 1;
	store_attempt_clear(out);
	rc = PC_EIO;
	sqlite3_stmt *q = stmt(&s->w, S_ATTEMPT_INSERT);
	if (!q)
		goto cleanup;
	sqlite3_bind_int64(q, 1, learner_id);
	bind_text(q, 2, package);
	sqlite3_bind_int64(q, 3, number);
	bind_text(q, 4, hash);
	int step = sqlite3_step(q);
	int changed = sqlite3_changes(s->w.db);
	if (step != SQLITE_DONE)
		rc = conn_fail(&s->w);
	sqlite3_reset(q);
	if (step != SQLITE_DONE)
		goto cleanup;
	if (!changed) {
		rc = PC_ENOTFOUND; /* no such package */
		goto cleanup;
	}
	rc = latest(&s->w, learner_id, package, out);
	*created = rc == 0;
cleanup:
	pthread_mutex_unlock(&s->wlock);
	if (rc)
		store_attempt_clear(out);
	return rc;
}

static int sq_attempt_owner(store *st, int64_t attempt_id, int64_t *learner_id, char **package,
			    char **hash)
{
	sqlite_store *s = (sqlite_store *)st;
	*package = NULL;
	*hash = NULL;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = stmt(&s->w, S_ATTEMPT_OWNER);
	int rc = PC_EIO;
	if (q) {
		sqlite3_bind_int64(q, 1, attempt_id);
		int step = sqlite3_step(q);
		if (step == SQLITE_ROW) {
			*learner_id = sqlite3_column_int64(q, 0);
			*package = col_dup(q, 1);
			*hash = col_dup(q, 2);
			rc = *package && *hash ? 0 : PC_ENOMEM;
			if (rc) {
				free(*package);
				free(*hash);
				*package = *hash = NULL;
			}
		} else if (step == SQLITE_DONE) {
			rc = PC_ENOTFOUND;
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

static int sq_sco_get(store *st, int64_t attempt_id, const char *item, char **state, int64_t *seq,
		      int64_t *rev)
{
	sqlite_store *s = (sqlite_store *)st;
	*state = NULL;
	*seq = -1;
	*rev = 0;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = stmt(&s->w, S_SCO_GET);
	int rc = PC_EIO;
	if (q) {
		sqlite3_bind_int64(q, 1, attempt_id);
		bind_text(q, 2, item);
		int step = sqlite3_step(q);
		if (step == SQLITE_ROW) {
			*state = col_dup(q, 0);
			*seq = sqlite3_column_int64(q, 1);
			*rev = sqlite3_column_int64(q, 2);
			rc = *state ? 0 : PC_ENOMEM;
		} else if (step == SQLITE_DONE) {
			rc = 0;
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

static int sq_batch_begin(store *st)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	int rc = exec_simple(&s->w, S_BEGIN);
	if (rc) {
		pthread_mutex_unlock(&s->wlock);
		return rc;
	}
	s->in_batch = 1;
	return 0;
}

static int sq_batch_end(store *st, int commit)
{
	sqlite_store *s = (sqlite_store *)st;
	int rc = commit ? exec_simple(&s->w, S_COMMIT) : 0;
	if (!commit || rc)
		exec_simple(&s->w, S_ROLLBACK);
	s->in_batch = 0;
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

/* Steps a statement that returns no rows and resets it: 0, or the error, recorded. */
static int conn_step(struct conn *c, sqlite3_stmt *q)
{
	int rc = q && sqlite3_step(q) == SQLITE_DONE ? 0 : conn_fail(c);
	if (q)
		sqlite3_reset(q);
	return rc;
}

/* Writes one commit: state, summary, touched interactions, journal row, attempt timestamp. */
static int put_one(struct conn *c, const store_sco_write *w)
{
	sqlite3_stmt *q = stmt(c, S_SCO_PUT);
	if (!q)
		return PC_EIO;
	sqlite3_bind_int64(q, 1, w->attempt_id);
	bind_text(q, 2, w->item);
	sqlite3_bind_int64(q, 3, w->seq);
	bind_text(q, 4, w->state);
	bind_text(q, 5, w->completion);
	bind_text(q, 6, w->success);
	bind_text(q, 7, w->score_raw);
	bind_text(q, 8, w->score_scaled);
	bind_text(q, 9, w->total_time);
	sqlite3_bind_double(q, 10, w->total_seconds);
	bind_text(q, 11, w->location);
	bind_text(q, 12, w->exit);
	sqlite3_bind_int(q, 13, w->terminated && w->exit && strcmp(w->exit, "suspend") != 0);
	sqlite3_bind_int(q, 14, w->request != NULL);
	sqlite3_bind_int64(q, 15, w->expect_rev);
	int rc = conn_step(c, q);
	if (rc)
		return rc;
	if (sqlite3_changes(c->db) != 1)
		return PC_ECONFLICT; /* the fence: someone else wrote this SCO since we read it */
	for (size_t i = 0; i < w->ninteractions; i++) {
		const store_interaction *it = &w->interactions[i];
		q = stmt(c, S_INTER_PUT);
		if (!q)
			return PC_EIO;
		sqlite3_bind_int64(q, 1, w->attempt_id);
		bind_text(q, 2, w->item);
		sqlite3_bind_int64(q, 3, it->n);
		bind_text(q, 4, it->id);
		bind_text(q, 5, it->type);
		bind_text(q, 6, it->description);
		bind_text(q, 7, it->learner_response);
		bind_text(q, 8, it->correct_responses);
		bind_text(q, 9, it->result);
		bind_text(q, 10, it->weighting);
		bind_text(q, 11, it->latency);
		bind_text(q, 12, it->timestamp);
		if ((rc = conn_step(c, q)))
			return rc;
	}
	if (!w->request)
		goto touch; /* a launch: state only, nothing arrived to journal */
	q = stmt(c, S_JOURNAL_PUT);
	if (!q)
		return PC_EIO;
	sqlite3_bind_int64(q, 1, w->attempt_id);
	bind_text(q, 2, w->item);
	sqlite3_bind_int64(q, 3, w->seq);
	bind_text(q, 4, w->request ? w->request : "");
	bind_text(q, 5, w->response ? w->response : "");
	if ((rc = conn_step(c, q)))
		return rc;
touch:
	q = stmt(c, S_ATTEMPT_TOUCH);
	if (!q)
		return PC_EIO;
	sqlite3_bind_int64(q, 1, w->attempt_id);
	return conn_step(c, q);
}

static int sq_sco_put(store *st, const store_sco_write *w)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	/* Outside a batch the write is its own transaction; inside, a savepoint isolates it. */
	int own = !s->in_batch;
	int rc = exec_simple(&s->w, own ? S_BEGIN : S_SAVEPOINT);
	if (rc == 0) {
		rc = put_one(&s->w, w);
		if (rc == 0)
			rc = exec_simple(&s->w, own ? S_COMMIT : S_RELEASE);
		if (rc) {
			if (own) {
				exec_simple(&s->w, S_ROLLBACK);
			} else {
				exec_simple(&s->w, S_ROLLBACK_TO);
				exec_simple(&s->w, S_RELEASE);
			}
		}
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

static int sq_attempt_close(store *st, int64_t attempt_id)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = stmt(&s->w, S_ATTEMPT_CLOSE);
	if (q)
		sqlite3_bind_int64(q, 1, attempt_id);
	int rc = conn_step(&s->w, q);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

static const char records_sql[] =
	"SELECT l.ident, l.name, p.ident, v.title, s.item, a.number, a.closed, s.completion,"
	" s.success, s.score_raw, s.score_scaled, s.total_time, s.total_seconds, s.location,"
	" s.updated_at, s.commits, s.exit, s.ended, l.email, a.id"
	" FROM sco_states s JOIN attempts a ON a.id = s.attempt_id"
	" JOIN learners l ON l.id = a.learner_id JOIN packages p ON p.id = a.package_id"
	" JOIN package_versions v ON v.hash = a.version_hash" REPORT_FILTERS
	" AND (?7 IS NULL OR s.completion = ?7 OR s.success = ?7)"
	" AND (?8 IS NULL OR s.updated_at >= ?8) AND (?9 IS NULL OR s.updated_at < ?9)"
	" ORDER BY l.ident, p.ident, a.number, s.item";

static const char interactions_sql[] =
	"SELECT l.ident, p.ident, i.item, a.number, i.n, i.ident, i.type, i.description,"
	" i.learner_response, i.correct_responses, i.result, i.weighting, i.latency, i.timestamp"
	" FROM interactions i JOIN attempts a ON a.id = i.attempt_id"
	" JOIN learners l ON l.id = a.learner_id JOIN packages p ON p.id = a.package_id"
	REPORT_FILTERS " ORDER BY l.ident, p.ident, a.number, i.item, i.n";

/* Prepared once per connection, like the statements of stmt_sql: a terminating commit runs the
 * records report inside the group commit, and every /api/records call runs one; parsing
 * their SQL every time was about a third of the request fuzzer's CPU time. Binds the filters
 * (a statement without ?7..?9, the interactions', ignores those). */
static sqlite3_stmt *report_stmt(struct conn *c, enum sq_report which, const char *sql,
				 const store_filter *f)
{
	if (!c->report[which] && sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
						    &c->report[which], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_stmt *q = c->report[which];
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	bind_text(q, 1, f ? f->package : NULL);
	bind_text(q, 2, f ? f->learner : NULL);
	sqlite3_bind_int64(q, 3, f ? f->attempt : 0);
	sqlite3_bind_int(q, 4, f ? f->latest_only : 0);
	sqlite3_bind_int64(q, 5, f ? f->group : 0);
	sqlite3_bind_int64(q, 6, f ? f->manager : 0);
	bind_text(q, 7, f ? f->status : NULL);
	bind_text(q, 8, f ? f->since : NULL);
	bind_text(q, 9, f ? f->until : NULL);
	return q;
}

/* The attempt-scoped reports read through the writer so the commit queue sees its own batch. */
static struct conn *report_conn(sqlite_store *s, const store_filter *f, pthread_mutex_t **lock)
{
	if (f && f->attempt) {
		*lock = &s->wlock;
		return &s->w;
	}
	*lock = s->r.lock;
	return &s->r;
}

int sq_report_rows(sqlite_store *s, const store_filter *f, enum sq_report which, const char *sql,
		   size_t size, void (*fill)(sqlite3_stmt *q, void *row), void **out, size_t *n)
{
	pthread_mutex_t *lock;
	struct conn *c = report_conn(s, f, &lock);
	pthread_mutex_lock(lock);
	int step = SQLITE_ERROR;
	size_t cap = 0;
	char *rows = NULL;
	*n = 0;
	sqlite3_stmt *q = report_stmt(c, which, sql, f);
	while (q && (step = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			char *grown = realloc(rows, cap * size);
			if (!grown)
				break;
			rows = grown;
		}
		void *row = rows + (*n)++ * size;
		memset(row, 0, size);
		fill(q, row);
	}
	if (q)
		sqlite3_reset(q); /* ends its read: a statement left stepping would hold a snapshot */
	pthread_mutex_unlock(lock);
	*out = rows;
	return step == SQLITE_DONE ? 0 : PC_EIO;
}

static void fill_record(sqlite3_stmt *q, void *row)
{
	store_record *e = row;
	e->learner = col_dup(q, 0);
	e->learner_name = col_dup(q, 1);
	e->package = col_dup(q, 2);
	e->package_title = col_dup(q, 3);
	e->item = col_dup(q, 4);
	e->attempt = sqlite3_column_int64(q, 5);
	e->closed = sqlite3_column_int(q, 6);
	e->completion = col_dup(q, 7);
	e->success = col_dup(q, 8);
	e->score_raw = col_dup(q, 9);
	e->score_scaled = col_dup(q, 10);
	e->total_time = col_dup(q, 11);
	e->total_seconds = sqlite3_column_double(q, 12);
	e->location = col_dup(q, 13);
	e->updated_at = col_dup(q, 14);
	e->commits = sqlite3_column_int64(q, 15);
	e->exit = col_dup(q, 16);
	e->ended = sqlite3_column_int(q, 17);
	e->learner_email = col_dup(q, 18);
	e->attempt_id = sqlite3_column_int64(q, 19);
}

static void fill_interaction(sqlite3_stmt *q, void *row)
{
	store_interaction_row *e = row;
	e->learner = col_dup(q, 0);
	e->package = col_dup(q, 1);
	e->item = col_dup(q, 2);
	e->attempt = sqlite3_column_int64(q, 3);
	e->n = sqlite3_column_int64(q, 4);
	e->id = col_dup(q, 5);
	e->type = col_dup(q, 6);
	e->description = col_dup(q, 7);
	e->learner_response = col_dup(q, 8);
	e->correct_responses = col_dup(q, 9);
	e->result = col_dup(q, 10);
	e->weighting = col_dup(q, 11);
	e->latency = col_dup(q, 12);
	e->timestamp = col_dup(q, 13);
}

static int sq_records(store *st, const store_filter *f, store_record **out, size_t *n)
{
	void *rows = NULL;
	int rc = sq_report_rows((sqlite_store *)st, f, SQ_REPORT_RECORDS, records_sql, sizeof **out,
			     fill_record, &rows, n);
	*out = rc ? NULL : rows;
	if (rc) {
		store_records_free(rows, *n);
		*n = 0;
	}
	return rc;
}

static int sq_interactions(store *st, const store_filter *f, store_interaction_row **out, size_t *n)
{
	void *rows = NULL;
	int rc = sq_report_rows((sqlite_store *)st, f, SQ_REPORT_INTERACTIONS, interactions_sql, sizeof **out,
			     fill_interaction, &rows, n);
	*out = rc ? NULL : rows;
	if (rc) {
		store_interaction_rows_free(rows, *n);
		*n = 0;
	}
	return rc;
}

static int sq_counts(store *st, int64_t *commits, int64_t *attempts, int64_t *learners)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(s->r.lock);
	sqlite3_stmt *q = stmt(&s->r, S_COUNTS);
	int rc = PC_EIO;
	if (q && sqlite3_step(q) == SQLITE_ROW) {
		*commits = sqlite3_column_int64(q, 0);
		*attempts = sqlite3_column_int64(q, 1);
		*learners = sqlite3_column_int64(q, 2);
		rc = 0;
	}
	if (q)
		sqlite3_reset(q);
	pthread_mutex_unlock(s->r.lock);
	return rc;
}

/* Shared data buckets: read and written on the writer connection, since launches and commits run
 * inside the commit queue's batch and must see its uncommitted writes. */
static int sq_shared_get(store *st, int64_t learner_id, const char *package, int64_t attempt_id,
			 const char *target, char **value)
{
	sqlite_store *s = (sqlite_store *)st;
	*value = NULL;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = stmt(&s->w, S_SHARED_GET);
	int rc = PC_EIO;
	if (q) {
		sqlite3_bind_int64(q, 1, learner_id);
		bind_text(q, 2, package);
		sqlite3_bind_int64(q, 3, attempt_id);
		bind_text(q, 4, target);
		int step = sqlite3_step(q);
		if (step == SQLITE_ROW) {
			*value = col_dup(q, 0);
			rc = *value ? 0 : PC_ENOMEM;
		} else if (step == SQLITE_DONE) {
			rc = 0;
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

static int sq_shared_put(store *st, int64_t learner_id, const char *package, int64_t attempt_id,
			 const char *target, const char *value)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = stmt(&s->w, S_SHARED_PUT);
	int rc = PC_EIO;
	if (q) {
		sqlite3_bind_int64(q, 1, learner_id);
		bind_text(q, 2, package);
		sqlite3_bind_int64(q, 3, attempt_id);
		bind_text(q, 4, target);
		bind_text(q, 5, value);
		if (sqlite3_step(q) == SQLITE_DONE)
			rc = sqlite3_changes(s->w.db) == 1 ? 0 : PC_ENOTFOUND;
		else
			rc = conn_fail(&s->w);
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

/* The data folder is where every process on this machine reads package files: no copy here. */
static int sq_package_file_put(store *st, const char *hash, const char *path)
{
	(void)st;
	(void)hash;
	(void)path;
	return 0;
}

static int sq_package_file_get(store *st, const char *hash, const char *path)
{
	(void)st;
	(void)hash;
	(void)path;
	return PC_ENOTFOUND;
}

/* quick_check reads every page (O(database size), a second or so per GB): at start-up only. */
static int sq_check(store *st, int thorough, char *why, size_t whysize)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(s->r.lock);
	sqlite3_stmt *q = NULL;
	int rc = PC_EIO;
	const char *sql = thorough ? "PRAGMA quick_check" : "SELECT count(*) FROM sqlite_master";
	if (sqlite3_prepare_v2(s->r.db, sql, -1, &q, NULL) != SQLITE_OK) {
		snprintf(why, whysize, "%s", sqlite3_errmsg(s->r.db));
		goto cleanup;
	}
	int step = sqlite3_step(q);
	if (step != SQLITE_ROW) {
		snprintf(why, whysize, "%s", sqlite3_errmsg(s->r.db));
		goto cleanup;
	}
	const char *first = (const char *)sqlite3_column_text(q, 0);
	if (thorough && (!first || strcmp(first, "ok") != 0)) {
		/* The first findings, on one line (SQLite lists them one per line). */
		snprintf(why, whysize, "PRAGMA quick_check: %.200s", first ? first : "?");
		for (char *p = why; *p; p++)
			if (*p == '\n')
				*p = ' ';
		goto cleanup;
	}
	rc = 0;
cleanup:
	sqlite3_finalize(q);
	pthread_mutex_unlock(s->r.lock);
	return rc;
}

static void sq_last_error(store *st, char *out, size_t size)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->errlock);
	snprintf(out, size, "%s", s->error);
	pthread_mutex_unlock(&s->errlock);
}

static const store_ops sqlite_ops = {
	.close = sq_close,
	.version_put = sq_version_put,
	.version_list = sq_version_list,
	.learner_ensure = sq_learner_ensure,
	.attempt_launch = sq_attempt_launch,
	.attempt_latest = sq_attempt_latest,
	.attempt_owner = sq_attempt_owner,
	.sco_get = sq_sco_get,
	.batch_begin = sq_batch_begin,
	.batch_end = sq_batch_end,
	.sco_put = sq_sco_put,
	.attempt_close = sq_attempt_close,
	.records = sq_records,
	.interactions = sq_interactions,
	.counts = sq_counts,
	.shared_get = sq_shared_get,
	.shared_put = sq_shared_put,
	.learner_find = sq_learner_find,
	.learner_get = sq_learner_get,
	.launch_put = sq_launch_put,
	.launch_get = sq_launch_get,
	.launch_start = sq_launch_start,
	.package_file_put = sq_package_file_put,
	.package_file_get = sq_package_file_get,
	.check = sq_check,
	.last_error = sq_last_error,
	.prune_expired = sq_prune_expired,
	.user_add = sq_user_add,
	.user_get = sq_user_get,
	.user_list = sq_user_list,
	.user_update = sq_user_update,
	.learner_erase = sq_learner_erase,
	.learner_usage = sq_learner_usage,
	.journal_prune = sq_journal_prune,
	.session_put = sq_session_put,
	.session_get = sq_session_get,
	.session_delete = sq_session_delete,
	.invite_put = sq_invite_put,
	.invite_get = sq_invite_get,
	.invite_delete = sq_invite_delete,
	.group_add = sq_group_add,
	.group_list = sq_group_list,
	.member_set = sq_member_set,
	.member_remove = sq_member_remove,
	.member_list = sq_member_list,
	.assignment_set = sq_assignment_set,
	.assignment_list = sq_assignment_list,
	.throttle_hit = sq_throttle_hit,
	.throttle_count = sq_throttle_count,
	.throttle_clear = sq_throttle_clear,
	.audit_add = sq_audit_add,
	.audit_list = sq_audit_list,
	.seq_get = sq_seq_get,
	.seq_put = sq_seq_put,
	.seq_globals_get = sq_seq_globals_get,
	.seq_globals_put = sq_seq_globals_put,
	.seq_records = sq_seq_records,
};

int store_sqlite_schema_version(void)
{
	return (int)PC_ARRAY_LEN(migrations);
}

const char *store_sqlite_migration_sql(int step)
{
	return step >= 1 && step <= store_sqlite_schema_version() ? migrations[step - 1] : NULL;
}

/* A file SQLite cannot read as a database: the caller says "damaged", not "failed". */
static int is_damage(int code)
{
	return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

static int open_conn(sqlite3 **db, const char *path, char *err, size_t errsize)
{
	if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		if (err)
			snprintf(err, errsize, "cannot open %s: %s", path,
				 *db ? sqlite3_errmsg(*db) : "out of memory");
		return PC_EIO;
	}
	sqlite3_busy_timeout(*db, 10000);
	/* WAL lets reports read while a commit is being written; synchronous=FULL makes every
	 * committed transaction survive a crash or power loss, which is the promise we make. */
	char *msg = NULL;
	if (sqlite3_exec(*db,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
			 NULL, NULL, &msg) != SQLITE_OK) {
		int damaged = is_damage(sqlite3_errcode(*db));
		if (err && damaged)
			snprintf(err, errsize, "%s", msg ? msg : "?");
		else if (err)
			snprintf(err, errsize, "cannot set up %s: %s", path, msg ? msg : "?");
		sqlite3_free(msg);
		return damaged ? PC_EDAMAGED : PC_EIO;
	}
	return 0;
}

static int migrate(sqlite3 *db, const char *path, char *err, size_t errsize)
{
	sqlite3_stmt *q = NULL;
	int have = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		have = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	int want = store_sqlite_schema_version();
	if (have > want) {
		if (err)
			snprintf(err, errsize,
				 "%s has schema version %d; this postcard knows up to %d (upgrade postcard)",
				 path, have, want);
		return PC_EFORMAT;
	}
	for (int v = have; v < want; v++) {
		char pragma[64], *msg = NULL;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;", v + 1);
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, migrations[v], NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, pragma, NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
			if (err)
				snprintf(err, errsize, "migrating %s to schema %d failed: %s", path,
					 v + 1, msg ? msg : "?");
			sqlite3_free(msg);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return PC_EIO;
		}
	}
	return 0;
}

int store_sqlite_open(store **out, const char *path, char *err, size_t errsize)
{
	*out = NULL;
	sqlite_store *s = calloc(1, sizeof *s);
	if (!s)
		return PC_ENOMEM;
	s->base.ops = &sqlite_ops;
	s->w.lock = &s->wlock;
	s->r.lock = &s->rlock;
	s->w.owner = s->r.owner = s;
	pthread_mutex_init(&s->errlock, NULL);
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	/* Recursive: a batch holds the writer while the commit queue reads through it. */
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&s->wlock, &attr);
	pthread_mutex_init(&s->rlock, &attr);
	pthread_mutexattr_destroy(&attr);
	int memory = strcmp(path, ":memory:") == 0;
	int rc = open_conn(&s->w.db, path, err, errsize);
	if (!rc)
		rc = migrate(s->w.db, path, err, errsize);
	if (!rc && !memory)
		rc = open_conn(&s->r.db, path, err, errsize);
	if (!rc && memory)
		s->r.db = s->w.db;
	sqlite3 *own = NULL;
	if (!rc && !memory && (rc = open_conn(&own, path, err, errsize)) != 0)
		sqlite3_close(own);
	if (!rc && !memory)
		rc = sq_ckpt_start(&s->ckpt, s->w.db, own);
	if (rc) {
		sq_close(&s->base);
		return rc;
	}
	if (memory)
		s->r.lock = &s->wlock; /* one connection: reports share the writer's lock */
	*out = &s->base;
	return 0;
}
