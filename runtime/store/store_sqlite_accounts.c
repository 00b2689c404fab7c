/* The SQLite back end's team-mode operations (store.h): launch tokens, learners looked up
 * without being created, accounts, sessions, one-time links (invitations, password resets),
 * groups and their assignments, sign-in throttling, the audit log, each learner's stored bytes,
 * erasing a learner and pruning the journal. Same connections, locks and rules as
 * store_sqlite.c: writes go through the writer (inside the commit queue's batch when one is
 * open), reads that need not see a running batch through the reader. */
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

/* Migration 4. Accounts are learners with an email (the local learner has none). The journal
 * stays append-only except inside the two operations that must delete from it (erasing a
 * learner, pruning by age), which hold journal_permit's one row for their transaction. Each
 * learner's journal bytes are counted by triggers (the stored-bytes quota). */
const char sq_migration_accounts[] =
	"ALTER TABLE learners ADD COLUMN email TEXT;"
	"ALTER TABLE learners ADD COLUMN role TEXT NOT NULL DEFAULT 'learner';"
	"ALTER TABLE learners ADD COLUMN password_hash TEXT;"
	"ALTER TABLE learners ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;"
	"CREATE UNIQUE INDEX learners_by_email ON learners(email) WHERE email IS NOT NULL;"
	"UPDATE learners SET stored_bytes = (SELECT coalesce(sum(length(CAST(c.request AS BLOB))"
	"  + length(CAST(c.response AS BLOB))), 0) FROM commits c JOIN attempts a ON a.id = c.attempt_id"
	"  WHERE a.learner_id = learners.id);"
	"CREATE TABLE sessions("
	"  token_hash TEXT PRIMARY KEY,"
	"  learner_id INTEGER NOT NULL REFERENCES learners(id),"
	"  csrf TEXT NOT NULL,"
	"  expires INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE invites("
	"  token_hash TEXT PRIMARY KEY,"
	"  learner_id INTEGER NOT NULL REFERENCES learners(id),"
	"  expires INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE groups("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  created_at TEXT NOT NULL);"
	"CREATE TABLE memberships("
	"  group_id INTEGER NOT NULL REFERENCES groups(id),"
	"  learner_id INTEGER NOT NULL REFERENCES learners(id),"
	"  manager INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY(group_id, learner_id)) WITHOUT ROWID;"
	"CREATE TABLE assignments("
	"  group_id INTEGER NOT NULL REFERENCES groups(id),"
	"  package_id INTEGER NOT NULL REFERENCES packages(id),"
	"  assigned_at TEXT NOT NULL,"
	"  PRIMARY KEY(group_id, package_id)) WITHOUT ROWID;"
	"CREATE TABLE throttle("
	"  key TEXT PRIMARY KEY,"
	"  failures INTEGER NOT NULL,"
	"  window_start INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE audit("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  actor TEXT,"
	"  action TEXT NOT NULL,"
	"  target TEXT,"
	"  detail TEXT);"
	"CREATE TABLE journal_permit(one INTEGER PRIMARY KEY CHECK (one = 1));"
	"DROP TRIGGER commits_append_only_d;"
	"CREATE TRIGGER commits_append_only_d BEFORE DELETE ON commits"
	"  WHEN NOT EXISTS (SELECT 1 FROM journal_permit)"
	"  BEGIN SELECT RAISE(ABORT, 'the commit journal is append-only'); END;"
	"CREATE TRIGGER commits_usage_in AFTER INSERT ON commits BEGIN"
	"  UPDATE learners SET stored_bytes = stored_bytes + length(CAST(NEW.request AS BLOB))"
	"    + length(CAST(NEW.response AS BLOB))"
	"  WHERE id = (SELECT learner_id FROM attempts WHERE id = NEW.attempt_id); END;"
	"CREATE TRIGGER commits_usage_out AFTER DELETE ON commits BEGIN"
	"  UPDATE learners SET stored_bytes = stored_bytes - length(CAST(OLD.request AS BLOB))"
	"    - length(CAST(OLD.response AS BLOB))"
	"  WHERE id = (SELECT learner_id FROM attempts WHERE id = OLD.attempt_id); END;";

#define NOW "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
#define USER_COLS "id, ident, email, name, role, password_hash, stored_bytes, created_at"

enum acct_stmt {
	A_LEARNER_FIND,
	A_LEARNER_GET,
	A_LAUNCH_PUT,
	A_LAUNCH_GET,
	A_LAUNCH_START,
	A_USER_ADD,
	A_USER_BY_ID,
	A_USER_BY_EMAIL,
	A_USER_LIST,
	A_USER_UPDATE,
	A_LEARNER_USAGE,
	A_SESSION_PUT,
	A_SESSION_GET,
	A_SESSION_DELETE,
	A_SESSION_DELETE_USER,
	A_INVITE_PUT,
	A_INVITE_GET,
	A_INVITE_DELETE,
	A_INVITE_DELETE_USER,
	A_GROUP_ADD,
	A_GROUP_LIST,
	A_MEMBER_SET,
	A_MEMBER_REMOVE,
	A_MEMBER_LIST,
	A_ASSIGN,
	A_UNASSIGN,
	A_ASSIGNMENT_LIST,
	A_THROTTLE_HIT,
	A_THROTTLE_COUNT,
	A_THROTTLE_CLEAR,
	A_AUDIT_ADD,
	A_AUDIT_LIST,
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
	[A_USER_ADD] = "INSERT INTO learners(ident, email, name, role, password_hash, created_at)"
		       " VALUES(?1, ?2, ?3, ?4, ?5, " NOW ")",
	[A_USER_BY_ID] = "SELECT " USER_COLS " FROM learners WHERE id = ?1",
	[A_USER_BY_EMAIL] = "SELECT " USER_COLS " FROM learners WHERE email = ?1",
	[A_USER_LIST] = "SELECT " USER_COLS " FROM learners WHERE email IS NOT NULL"
			" ORDER BY name COLLATE NOCASE, email",
	[A_USER_UPDATE] = "UPDATE learners SET password_hash = coalesce(?2, password_hash),"
			  " role = coalesce(?3, role), name = coalesce(?4, name) WHERE id = ?1",
	[A_LEARNER_USAGE] = "SELECT stored_bytes FROM learners WHERE id = ?1",
	[A_SESSION_PUT] = "INSERT INTO sessions(token_hash, learner_id, csrf, expires) VALUES(?1, ?2, ?3, ?4)",
	[A_SESSION_GET] = "SELECT learner_id, csrf, expires FROM sessions WHERE token_hash = ?1",
	[A_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
	[A_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE learner_id = ?1",
	[A_INVITE_PUT] = "INSERT INTO invites(token_hash, learner_id, expires) VALUES(?1, ?2, ?3)",
	[A_INVITE_GET] = "SELECT learner_id, expires FROM invites WHERE token_hash = ?1",
	[A_INVITE_DELETE] = "DELETE FROM invites WHERE token_hash = ?1",
	[A_INVITE_DELETE_USER] = "DELETE FROM invites WHERE learner_id = ?1",
	[A_GROUP_ADD] = "INSERT INTO groups(name, created_at) VALUES(?1, " NOW ")",
	[A_GROUP_LIST] = "SELECT g.id, g.name,"
			 " (SELECT count(*) FROM memberships m WHERE m.group_id = g.id AND m.manager = 0),"
			 " (SELECT count(*) FROM memberships m WHERE m.group_id = g.id AND m.manager = 1)"
			 " FROM groups g ORDER BY g.name COLLATE NOCASE",
	[A_MEMBER_SET] = "INSERT INTO memberships(group_id, learner_id, manager) VALUES(?1, ?2, ?3)"
			 " ON CONFLICT(group_id, learner_id) DO UPDATE SET manager = excluded.manager",
	[A_MEMBER_REMOVE] = "DELETE FROM memberships WHERE group_id = ?1 AND learner_id = ?2",
	[A_MEMBER_LIST] = "SELECT m.group_id, g.name, m.learner_id, l.email, l.name, l.ident, m.manager"
			  " FROM memberships m JOIN groups g ON g.id = m.group_id"
			  " JOIN learners l ON l.id = m.learner_id"
			  " WHERE (?1 = 0 OR m.group_id = ?1) AND (?2 = 0 OR m.learner_id = ?2)"
			  " ORDER BY g.name COLLATE NOCASE, m.manager DESC, l.name COLLATE NOCASE, l.email",
	[A_ASSIGN] = "INSERT INTO assignments(group_id, package_id, assigned_at)"
		     " SELECT ?1, p.id, " NOW " FROM packages p WHERE p.ident = ?2"
		     " ON CONFLICT(group_id, package_id) DO NOTHING",
	[A_UNASSIGN] = "DELETE FROM assignments WHERE group_id = ?1"
		       " AND package_id = (SELECT id FROM packages WHERE ident = ?2)",
	[A_ASSIGNMENT_LIST] = "SELECT a.group_id, g.name, p.ident, a.assigned_at FROM assignments a"
			      " JOIN groups g ON g.id = a.group_id JOIN packages p ON p.id = a.package_id"
			      " WHERE ?1 = 0 OR a.group_id IN"
			      "  (SELECT group_id FROM memberships WHERE learner_id = ?1)"
			      " ORDER BY g.name COLLATE NOCASE, p.ident",
	[A_THROTTLE_HIT] = "INSERT INTO throttle(key, failures, window_start) VALUES(?1, 1, ?2)"
			   " ON CONFLICT(key) DO UPDATE SET"
			   " failures = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END,"
			   " window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END"
			   " RETURNING failures",
	[A_THROTTLE_COUNT] = "SELECT failures FROM throttle WHERE key = ?1 AND window_start > ?2 - ?3",
	[A_THROTTLE_CLEAR] = "DELETE FROM throttle WHERE key = ?1",
	[A_AUDIT_ADD] = "INSERT INTO audit(at, actor, action, target, detail) VALUES(" NOW ", ?1, ?2, ?3, ?4)",
	[A_AUDIT_LIST] = "SELECT id, at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT ?1",
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

/* What is past its time: launch tokens, sessions and one-time links (expired before `now`), and
 * sign-in failures counted more than a day ago. */
static const char prune_sql[] =
	"DELETE FROM launches WHERE expires < ?1;"
	"DELETE FROM sessions WHERE expires < ?1;"
	"DELETE FROM invites WHERE expires < ?1;"
	"DELETE FROM throttle WHERE window_start < ?1 - 86400;";

static int exec_with_id(sqlite3 *db, const char *sql, int64_t id);

int sq_prune_expired(store *st, int64_t now)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	int rc = sq_exec(&s->w, "BEGIN IMMEDIATE");
	if (rc == 0) {
		rc = exec_with_id(s->w.db, prune_sql, now);
		rc = rc ? rc : sq_exec(&s->w, "COMMIT");
		if (rc)
			sq_exec(&s->w, "ROLLBACK");
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

/* ---- Accounts ------------------------------------------------------------------------------ */

static void fill_user(sqlite3_stmt *q, store_user *u)
{
	u->id = sqlite3_column_int64(q, 0);
	u->ident = col_dup(q, 1);
	u->email = col_dup(q, 2);
	u->name = col_dup(q, 3);
	u->role = col_dup(q, 4);
	u->password_hash = col_dup(q, 5);
	u->stored_bytes = sqlite3_column_int64(q, 6);
	u->created_at = col_dup(q, 7);
}

int sq_user_add(store *st, const store_user *u, int64_t *id)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_USER_ADD);
	int rc = PC_EIO;
	if (q) {
		bind_text(q, 1, u->ident);
		bind_text(q, 2, u->email);
		bind_text(q, 3, u->name);
		bind_text(q, 4, u->role);
		bind_text(q, 5, u->password_hash);
		int step = sqlite3_step(q);
		if (step == SQLITE_DONE) {
			*id = sqlite3_last_insert_rowid(s->w.db);
			rc = 0;
		} else if (sqlite3_extended_errcode(s->w.db) == SQLITE_CONSTRAINT_UNIQUE) {
			rc = PC_EINVAL; /* the email (or identifier) is taken */
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int sq_user_get(store *st, int64_t id, const char *email, store_user *out)
{
	sqlite_store *s = (sqlite_store *)st;
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(s->r.lock);
	sqlite3_stmt *q = astmt(&s->r, email ? A_USER_BY_EMAIL : A_USER_BY_ID);
	int rc = PC_EIO;
	if (q) {
		if (email)
			bind_text(q, 1, email);
		else
			sqlite3_bind_int64(q, 1, id);
		int step = sqlite3_step(q);
		if (step == SQLITE_ROW) {
			fill_user(q, out);
			rc = out->ident && out->name && out->role ? 0 : PC_ENOMEM;
		} else if (step == SQLITE_DONE) {
			rc = PC_ENOTFOUND;
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(s->r.lock);
	if (rc)
		store_user_clear(out);
	return rc;
}

int sq_user_list(store *st, store_user **out, size_t *n)
{
	sqlite_store *s = (sqlite_store *)st;
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	int rc = PC_EIO, step = SQLITE_ERROR;
	pthread_mutex_lock(s->r.lock);
	sqlite3_stmt *q = astmt(&s->r, A_USER_LIST);
	while (q && (step = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			store_user *grown = realloc(*out, cap * sizeof *grown);
			if (!grown) {
				step = SQLITE_NOMEM;
				break;
			}
			*out = grown;
		}
		store_user *u = &(*out)[(*n)++];
		memset(u, 0, sizeof *u);
		fill_user(q, u);
	}
	if (q)
		sqlite3_reset(q);
	pthread_mutex_unlock(s->r.lock);
	if (step == SQLITE_DONE)
		rc = 0;
	else if (step == SQLITE_NOMEM)
		rc = PC_ENOMEM;
	if (rc) {
		store_users_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int sq_user_update(store *st, int64_t id, const char *password_hash, const char *role,
		   const char *name)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_USER_UPDATE);
	int rc = PC_EIO;
	if (q) {
		sqlite3_bind_int64(q, 1, id);
		bind_text(q, 2, password_hash);
		bind_text(q, 3, role);
		bind_text(q, 4, name);
		if (sqlite3_step(q) == SQLITE_DONE)
			rc = sqlite3_changes(s->w.db) == 1 ? 0 : PC_ENOTFOUND;
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

/* Everything of one learner, children first; the journal's delete trigger lets these rows go
 * only while journal_permit holds its row, which exists only inside this transaction. */
static const char erase_sql[] =
	"INSERT INTO journal_permit(one) VALUES(1);"
	"DELETE FROM commits WHERE attempt_id IN (SELECT id FROM attempts WHERE learner_id = ?1);"
	"DELETE FROM journal_permit;"
	"DELETE FROM interactions WHERE attempt_id IN (SELECT id FROM attempts WHERE learner_id = ?1);"
	"DELETE FROM sco_states WHERE attempt_id IN (SELECT id FROM attempts WHERE learner_id = ?1);"
	"DELETE FROM shared_data WHERE learner_id = ?1;"
	"DELETE FROM seq_states WHERE attempt_id IN (SELECT id FROM attempts WHERE learner_id = ?1);"
	"DELETE FROM seq_globals WHERE learner_id = ?1;"
	"DELETE FROM launches WHERE learner_id = ?1;"
	"DELETE FROM attempts WHERE learner_id = ?1;"
	"DELETE FROM sessions WHERE learner_id = ?1;"
	"DELETE FROM invites WHERE learner_id = ?1;"
	"DELETE FROM memberships WHERE learner_id = ?1;"
	"DELETE FROM learners WHERE id = ?1;";

/* Runs several statements with ?1 bound to `id` each, in the writer's transaction. */
static int exec_with_id(sqlite3 *db, const char *sql, int64_t id)
{
	const char *tail = sql;
	while (tail && *tail) {
		sqlite3_stmt *q = NULL;
		if (sqlite3_prepare_v2(db, tail, -1, &q, &tail) != SQLITE_OK)
			return PC_EIO;
		if (!q)
			break; /* trailing whitespace */
		if (sqlite3_bind_parameter_count(q) >= 1)
			sqlite3_bind_int64(q, 1, id);
		int step = sqlite3_step(q);
		sqlite3_finalize(q);
		if (step != SQLITE_DONE)
			return PC_EIO;
	}
	return 0;
}

int sq_learner_erase(store *st, int64_t id)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	int rc = sq_exec(&s->w, "BEGIN IMMEDIATE");
	if (rc == 0) {
		rc = exec_with_id(s->w.db, erase_sql, id);
		if (rc == 0 && sqlite3_changes(s->w.db) != 1)
			rc = PC_ENOTFOUND;
		if (rc == 0)
			rc = sq_exec(&s->w, "COMMIT");
		if (rc)
			sq_exec(&s->w, "ROLLBACK");
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int sq_journal_prune(store *st, const char *before, int64_t *deleted)
{
	sqlite_store *s = (sqlite_store *)st;
	*deleted = 0;
	pthread_mutex_lock(&s->wlock);
	int rc = sq_exec(&s->w, "BEGIN IMMEDIATE");
	if (rc == 0) {
		sqlite3_stmt *q = NULL;
		rc = sq_exec(&s->w, "INSERT INTO journal_permit(one) VALUES(1)");
		if (rc == 0 && sqlite3_prepare_v2(s->w.db, "DELETE FROM commits WHERE received_at < ?1",
						  -1, &q, NULL) == SQLITE_OK) {
			bind_text(q, 1, before);
			rc = sqlite3_step(q) == SQLITE_DONE ? 0 : PC_EIO;
			*deleted = sqlite3_changes(s->w.db);
		} else if (rc == 0) {
			rc = PC_EIO;
		}
		sqlite3_finalize(q);
		if (rc == 0)
			rc = sq_exec(&s->w, "DELETE FROM journal_permit");
		if (rc == 0)
			rc = sq_exec(&s->w, "COMMIT");
		if (rc) {
			sq_exec(&s->w, "ROLLBACK");
			*deleted = 0;
		}
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int sq_learner_usage(store *st, int64_t id, int64_t *bytes)
{
	sqlite_store *s = (sqlite_store *)st;
	/* The writer: the commit queue asks inside its batch, which must count its own rows. */
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_LEARNER_USAGE);
	int rc = PC_EIO;
	if (q) {
		sqlite3_bind_int64(q, 1, id);
		int step = sqlite3_step(q);
		if (step == SQLITE_ROW) {
			*bytes = sqlite3_column_int64(q, 0);
			rc = 0;
		} else if (step == SQLITE_DONE) {
			rc = PC_ENOTFOUND;
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

/* ---- Sessions and one-time links ----------------------------------------------------------- */

int sq_session_put(store *st, const char *token_hash, int64_t user_id, const char *csrf,
		   int64_t expires)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_SESSION_PUT);
	if (q) {
		bind_text(q, 1, token_hash);
		sqlite3_bind_int64(q, 2, user_id);
		bind_text(q, 3, csrf);
		sqlite3_bind_int64(q, 4, expires);
	}
	int rc = step_done(q);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int sq_session_get(store *st, const char *token_hash, int64_t *user_id, char **csrf,
		   int64_t *expires)
{
	sqlite_store *s = (sqlite_store *)st;
	*csrf = NULL;
	pthread_mutex_lock(s->r.lock);
	sqlite3_stmt *q = astmt(&s->r, A_SESSION_GET);
	int rc = PC_EIO;
	if (q) {
		bind_text(q, 1, token_hash);
		int step = sqlite3_step(q);
		if (step == SQLITE_ROW) {
			*user_id = sqlite3_column_int64(q, 0);
			*csrf = col_dup(q, 1);
			*expires = sqlite3_column_int64(q, 2);
			rc = *csrf ? 0 : PC_ENOMEM;
		} else if (step == SQLITE_DONE) {
			rc = PC_ENOTFOUND;
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(s->r.lock);
	return rc;
}

int sq_session_delete(store *st, const char *token_hash, int64_t user_id)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, token_hash ? A_SESSION_DELETE : A_SESSION_DELETE_USER);
	if (q) {
		if (token_hash)
			bind_text(q, 1, token_hash);
		else
			sqlite3_bind_int64(q, 1, user_id);
	}
	int rc = step_done(q);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int sq_invite_put(store *st, const char *token_hash, int64_t user_id, int64_t expires)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_INVITE_PUT);
	if (q) {
		bind_text(q, 1, token_hash);
		sqlite3_bind_int64(q, 2, user_id);
		sqlite3_bind_int64(q, 3, expires);
	}
	int rc = step_done(q);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int sq_invite_get(store *st, const char *token_hash, int64_t *user_id, int64_t *expires)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(s->r.lock);
	sqlite3_stmt *q = astmt(&s->r, A_INVITE_GET);
	int rc = PC_EIO;
	if (q) {
		bind_text(q, 1, token_hash);
		int step = sqlite3_step(q);
		if (step == SQLITE_ROW) {
			*user_id = sqlite3_column_int64(q, 0);
			*expires = sqlite3_column_int64(q, 1);
			rc = 0;
		} else if (step == SQLITE_DONE) {
			rc = PC_ENOTFOUND;
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(s->r.lock);
	return rc;
}

int sq_invite_delete(store *st, const char *token_hash, int64_t user_id)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, token_hash ? A_INVITE_DELETE : A_INVITE_DELETE_USER);
	if (q) {
		if (token_hash)
			bind_text(q, 1, token_hash);
		else
			sqlite3_bind_int64(q, 1, user_id);
	}
	int rc = step_done(q);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

/* ---- Groups, memberships, assignments -------------------------------------------------------- */

int sq_group_add(store *st, const char *name, int64_t *id)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_GROUP_ADD);
	int rc = PC_EIO;
	if (q) {
		bind_text(q, 1, name);
		int step = sqlite3_step(q);
		if (step == SQLITE_DONE) {
			*id = sqlite3_last_insert_rowid(s->w.db);
			rc = 0;
		} else if (sqlite3_extended_errcode(s->w.db) == SQLITE_CONSTRAINT_UNIQUE) {
			rc = PC_EINVAL;
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

/* Collects the rows of a reader statement into an array of `size`-byte rows, each filled by
 * `fill`. 0, PC_ENOMEM or PC_EIO (rows read so far are freed by `clear`). */
static int collect(sqlite_store *s, enum acct_stmt id, void (*bind)(sqlite3_stmt *, const void *),
		   const void *args, size_t size, void (*fill)(sqlite3_stmt *, void *),
		   void (*clear)(void *), void **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	char *rows = NULL;
	int step = SQLITE_ERROR;
	pthread_mutex_lock(s->r.lock);
	sqlite3_stmt *q = astmt(&s->r, id);
	if (q && bind)
		bind(q, args);
	while (q && (step = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			char *grown = realloc(rows, cap * size);
			if (!grown) {
				step = SQLITE_NOMEM;
				break;
			}
			rows = grown;
		}
		void *row = rows + (*n)++ * size;
		memset(row, 0, size);
		fill(q, row);
	}
	if (q)
		sqlite3_reset(q);
	pthread_mutex_unlock(s->r.lock);
	if (step != SQLITE_DONE) {
		for (size_t i = 0; i < *n; i++)
			clear(rows + i * size);
		free(rows);
		*n = 0;
		return step == SQLITE_NOMEM ? PC_ENOMEM : PC_EIO;
	}
	*out = rows;
	return 0;
}

static void fill_group(sqlite3_stmt *q, void *row)
{
	store_group *g = row;
	g->id = sqlite3_column_int64(q, 0);
	g->name = col_dup(q, 1);
	g->members = sqlite3_column_int64(q, 2);
	g->managers = sqlite3_column_int64(q, 3);
}

static void clear_group(void *row)
{
	store_group *g = row;
	free(g->name);
}

int sq_group_list(store *st, store_group **out, size_t *n)
{
	void *rows;
	int rc = collect((sqlite_store *)st, A_GROUP_LIST, NULL, NULL, sizeof **out, fill_group,
			 clear_group, &rows, n);
	*out = rows;
	return rc;
}

int sq_member_set(store *st, int64_t group, int64_t user, int manager)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_MEMBER_SET);
	int rc = PC_EIO;
	if (q) {
		sqlite3_bind_int64(q, 1, group);
		sqlite3_bind_int64(q, 2, user);
		sqlite3_bind_int(q, 3, manager != 0);
		int step = sqlite3_step(q);
		if (step == SQLITE_DONE)
			rc = 0;
		else if (sqlite3_extended_errcode(s->w.db) == SQLITE_CONSTRAINT_FOREIGNKEY)
			rc = PC_ENOTFOUND; /* no such group or person */
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int sq_member_remove(store *st, int64_t group, int64_t user)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_MEMBER_REMOVE);
	if (q) {
		sqlite3_bind_int64(q, 1, group);
		sqlite3_bind_int64(q, 2, user);
	}
	int rc = step_done(q);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

struct two_ids {
	int64_t a, b;
};

static void bind_two(sqlite3_stmt *q, const void *args)
{
	const struct two_ids *t = args;
	sqlite3_bind_int64(q, 1, t->a);
	sqlite3_bind_int64(q, 2, t->b);
}

static void fill_member(sqlite3_stmt *q, void *row)
{
	store_member *m = row;
	m->group_id = sqlite3_column_int64(q, 0);
	m->group_name = col_dup(q, 1);
	m->user_id = sqlite3_column_int64(q, 2);
	m->email = col_dup(q, 3);
	m->name = col_dup(q, 4);
	m->ident = col_dup(q, 5);
	m->manager = sqlite3_column_int(q, 6);
}

static void clear_member(void *row)
{
	store_member *m = row;
	free(m->group_name);
	free(m->email);
	free(m->name);
	free(m->ident);
}

int sq_member_list(store *st, int64_t group, int64_t user, store_member **out, size_t *n)
{
	struct two_ids t = {group, user};
	void *rows;
	int rc = collect((sqlite_store *)st, A_MEMBER_LIST, bind_two, &t, sizeof **out, fill_member,
			 clear_member, &rows, n);
	*out = rows;
	return rc;
}

int sq_assignment_set(store *st, int64_t group, const char *package, int assigned)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, assigned ? A_ASSIGN : A_UNASSIGN);
	int rc = PC_EIO;
	if (q) {
		sqlite3_bind_int64(q, 1, group);
		bind_text(q, 2, package);
		int step = sqlite3_step(q);
		if (step == SQLITE_DONE)
			rc = 0;
		else if (sqlite3_extended_errcode(s->w.db) == SQLITE_CONSTRAINT_FOREIGNKEY)
			rc = PC_ENOTFOUND;
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

static void bind_one(sqlite3_stmt *q, const void *args)
{
	sqlite3_bind_int64(q, 1, *(const int64_t *)args);
}

static void fill_assignment(sqlite3_stmt *q, void *row)
{
	store_assignment *a = row;
	a->group_id = sqlite3_column_int64(q, 0);
	a->group_name = col_dup(q, 1);
	a->package = col_dup(q, 2);
	a->assigned_at = col_dup(q, 3);
}

static void clear_assignment(void *row)
{
	store_assignment *a = row;
	free(a->group_name);
	free(a->package);
	free(a->assigned_at);
}

int sq_assignment_list(store *st, int64_t user, store_assignment **out, size_t *n)
{
	void *rows;
	int rc = collect((sqlite_store *)st, A_ASSIGNMENT_LIST, bind_one, &user, sizeof **out,
			 fill_assignment, clear_assignment, &rows, n);
	*out = rows;
	return rc;
}

/* ---- Sign-in throttling and the audit log ---------------------------------------------------- */

int sq_throttle_hit(store *st, const char *key, int64_t now, int64_t window, int64_t *count)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_THROTTLE_HIT);
	int rc = PC_EIO;
	if (q) {
		bind_text(q, 1, key);
		sqlite3_bind_int64(q, 2, now);
		sqlite3_bind_int64(q, 3, window);
		if (sqlite3_step(q) == SQLITE_ROW) {
			*count = sqlite3_column_int64(q, 0);
			rc = 0;
		}
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int sq_throttle_count(store *st, const char *key, int64_t now, int64_t window, int64_t *count)
{
	sqlite_store *s = (sqlite_store *)st;
	*count = 0;
	pthread_mutex_lock(s->r.lock);
	sqlite3_stmt *q = astmt(&s->r, A_THROTTLE_COUNT);
	int rc = PC_EIO;
	if (q) {
		bind_text(q, 1, key);
		sqlite3_bind_int64(q, 2, now);
		sqlite3_bind_int64(q, 3, window);
		int step = sqlite3_step(q);
		if (step == SQLITE_ROW)
			*count = sqlite3_column_int64(q, 0);
		rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : PC_EIO;
		sqlite3_reset(q);
	}
	pthread_mutex_unlock(s->r.lock);
	return rc;
}

int sq_throttle_clear(store *st, const char *key)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_THROTTLE_CLEAR);
	if (q)
		bind_text(q, 1, key);
	int rc = step_done(q);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int sq_audit_add(store *st, const char *actor, const char *action, const char *target,
		 const char *detail)
{
	sqlite_store *s = (sqlite_store *)st;
	pthread_mutex_lock(&s->wlock);
	sqlite3_stmt *q = astmt(&s->w, A_AUDIT_ADD);
	if (q) {
		bind_text(q, 1, actor);
		bind_text(q, 2, action);
		bind_text(q, 3, target);
		bind_text(q, 4, detail);
	}
	int rc = step_done(q);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

static void fill_audit(sqlite3_stmt *q, void *row)
{
	store_audit *a = row;
	a->id = sqlite3_column_int64(q, 0);
	a->at = col_dup(q, 1);
	a->actor = col_dup(q, 2);
	a->action = col_dup(q, 3);
	a->target = col_dup(q, 4);
	a->detail = col_dup(q, 5);
}

static void clear_audit(void *row)
{
	store_audit *a = row;
	free(a->at);
	free(a->actor);
	free(a->action);
	free(a->target);
	free(a->detail);
}

int sq_audit_list(store *st, int64_t limit, store_audit **out, size_t *n)
{
	void *rows;
	int rc = collect((sqlite_store *)st, A_AUDIT_LIST, bind_one, &limit, sizeof **out, fill_audit,
			 clear_audit, &rows, n);
	*out = rows;
	return rc;
}
