/* The SQLite back end's team-mode operations (store.h): launch tokens, and learners looked up
 * without being created. Same connections, locks and rules as store_sqlite.c: writes go
 * through the writer (inside the commit queue's batch when one is open), reads that need not
 * see a running batch through the reader. */
#include <stdio.h>

#include "common.h"
#include "store_sqlite_int.h"

/* Migration 3. A launch token is kept as its SHA-256 only: a copy of the database does not hand
 * out live tokens. */
const char sq_migration_launches[] =
	"CREATE TABLE launches("
	"  token_hash TEXT PRIMARY KEY,"
	"  learner_id INTEGER NOT NULL REFERENCES learners(id),"
	"  package TEXT NOT NULL,"
	"  item TEXT NOT NULL,"
	"  version_hash TEXT NOT NULL,"
	"  attempt_id INTEGER NOT NULL DEFAULT 0,"
	"  session INTEGER NOT NULL DEFAULT 0,"
	"  expires INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX launches_by_expiry ON launches(expires);";

enum acct_stmt {
	A_LEARNER_FIND,
	A_LEARNER_GET,
	A_LAUNCH_PUT,
	A_LAUNCH_GET,
	A_LAUNCH_START,
	A_LAUNCH_PRUNE,
	A_MAX
};
_Static_assert(A_MAX <= SQ_ACCT_STMTS, "more statements than slots in struct conn");

static const char *const acct_sql[A_MAX] = {
	[A_LEARNER_FIND] = "SELECT id FROM learners WHERE ident = ?1",
	[A_LEARNER_GET] = "SELECT ident, name FROM learners WHERE id = ?1",
	[A_LAUNCH_PUT] = "INSERT INTO launches(token_hash, learner_id, package, item, version_hash,"
			 " expires) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[A_LAUNCH_GET] = "SELECT learner_id, package, item, version_hash, attempt_id, session, expires"
			 " FROM launches WHERE token_hash = ?1",
	[A_LAUNCH_START] = "UPDATE launches SET attempt_id = ?2, version_hash = ?3, session = ?4"
			   " WHERE token_hash = ?1",
	[A_LAUNCH_PRUNE] = "DELETE FROM launches WHERE expires < ?1",
};

static sqlite3_stmt *astmt(struct conn *c, enum acct_stmt id)
{
	if (!c->acct[id] && sqlite3_prepare_v3(c->db, acct_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
					       &c->acct[id], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_reset(c->acct[id]);
	sqlite3_clear_bindings(c->acct[id]);
	return c->acct[id];
}

void sq_accounts_close_conn(struct conn *c)
{
	for (int i = 0; i < A_MAX; i++) {
		sqlite3_finalize(c->acct[i]);
		c->acct[i] = NULL;
	}
}

int sq_learner_find(store *st, const char *ident, int64_t *id)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(s->r.lock);
	sqlite3_stmt *q = astmt(&s->r, A_LEARNER_FIND);
	int rc = PC_EIO;
	if (q) {
		bind_text(q, 1, ident);
		int step = sqlite3_step(q);
		if (step == SQLITE_ROW) {
			*id = sqlite3_column_int64(q, 0);
			rc = 0;
		} else if (step == SQLITE_DONE) {
			rc = PC_ENOTFOUND;
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(s->r.lock);
	return rc;
}

int sq_learner_get(store *st, int64_t id, char **ident, char **name)
{
	sqlite_store *s = (sqlite_store *)st;
	*ident = *name = NULL;
	pthread_mutex_lock(s->r.lock);
	sqlite3_stmt *q = astmt(&s->r, A_LEARNER_GET);
	int rc = PC_EIO;
	if (q) {
		sqlite3_bind_int64(q, 1, id);
		int step = sqlite3_step(q);
		if (step == SQLITE_ROW) {
			*ident = col_dup(q, 0);
			*name = col_dup(q, 1);
			rc = *ident && *name ? 0 : PC_ENOMEM;
		} else if (step == SQLITE_DONE) {
			rc = PC_ENOTFOUND;
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(s->r.lock);
	if (rc) {
		free(*ident);
		free(*name);
		*ident = *name = NULL;
	}
	return rc;
}

int sq_launch_put(store *st, const store_launch *l)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_LAUNCH_PUT);
	if (q) {
		bind_text(q, 1, l->token_hash);
		sqlite3_bind_int64(q, 2, l->learner_id);
		bind_text(q, 3, l->package);
		bind_text(q, 4, l->item);
		bind_text(q, 5, l->version_hash);
		sqlite3_bind_int64(q, 6, l->expires);
	}
	int rc = step_done(q);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

/* Read through the reader, so a request never waits on a group commit's fsync: a launch is
 * answered only after the batch that bound it committed, so whatever uses the token next sees
 * the binding. */
int sq_launch_get(store *st, const char *token_hash, store_launch *out)
{
	sqlite_store *s = (sqlite_store *)st;
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(s->r.lock);
	sqlite3_stmt *q = astmt(&s->r, A_LAUNCH_GET);
	int rc = PC_EIO;
	if (q) {
		bind_text(q, 1, token_hash);
		int step = sqlite3_step(q);
		if (step == SQLITE_ROW) {
			out->token_hash = strdup(token_hash);
			out->learner_id = sqlite3_column_int64(q, 0);
			out->package = col_dup(q, 1);
			out->item = col_dup(q, 2);
			out->version_hash = col_dup(q, 3);
			out->attempt_id = sqlite3_column_int64(q, 4);
			out->session = sqlite3_column_int64(q, 5);
			out->expires = sqlite3_column_int64(q, 6);
			rc = out->token_hash && out->package && out->item && out->version_hash
				     ? 0
				     : PC_ENOMEM;
		} else if (step == SQLITE_DONE) {
			rc = PC_ENOTFOUND;
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(s->r.lock);
	if (rc)
		store_launch_clear(out);
	return rc;
}

int sq_launch_start(store *st, const char *token_hash, int64_t attempt_id, const char *version_hash,
		    int64_t session)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_LAUNCH_START);
	int rc = PC_EIO;
	if (q) {
		bind_text(q, 1, token_hash);
		sqlite3_bind_int64(q, 2, attempt_id);
		bind_text(q, 3, version_hash);
		sqlite3_bind_int64(q, 4, session);
		if (sqlite3_step(q) == SQLITE_DONE)
			rc = sqlite3_changes(s->w.db) == 1 ? 0 : PC_ENOTFOUND;
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int sq_launch_prune(store *st, int64_t now)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_LAUNCH_PRUNE);
	if (q)
		sqlite3_bind_int64(q, 1, now);
	int rc = step_done(q);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}
