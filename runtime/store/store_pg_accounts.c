/* The PostgreSQL back end's team-mode operations (store.h): launch tokens, learners looked up
 * without being created, accounts, sessions, one-time links, groups and assignments, sign-in
 * throttling, the audit log, stored bytes, erasing a learner and pruning the journal; the same
 * behaviour as store_sqlite_accounts.c. Writes go through the writer (launch_start inside the
 * commit queue's batch), lookups through the reader. A refusal the caller expects (a taken email,
 * a missing group) is found without raising an error, so a transaction around it goes on. */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "store_pg_int.h"

int pg_learner_find(store *st, const char *ident, int64_t *id)
{
	pg_store *s = (pg_store *)st;
	const char *p[] = {ident};
	PGresult *r;
	pthread_mutex_lock(&s->rlock);
	int rc = pg_query(&s->r, "SELECT id FROM learners WHERE ident = $1", 1, p, &r);
	pthread_mutex_unlock(&s->rlock);
	if (rc)
		return rc;
	rc = PQntuples(r) == 1 ? 0 : PC_ENOTFOUND;
	if (rc == 0)
		*id = val_i64(r, 0, 0);
	PQclear(r);
	return rc;
}

int pg_learner_get(store *st, int64_t id, char **ident, char **name)
{
	pg_store *s = (pg_store *)st;
	*ident = *name = NULL;
	char b[24];
	const char *p[] = {I64(b, id)};
	PGresult *r;
	pthread_mutex_lock(&s->rlock);
	int rc = pg_query(&s->r, "SELECT ident, name FROM learners WHERE id = $1", 1, p, &r);
	pthread_mutex_unlock(&s->rlock);
	if (rc)
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return PC_ENOTFOUND;
	}
	*ident = val_dup(r, 0, 0);
	*name = val_dup(r, 0, 1);
	PQclear(r);
	if (!*ident || !*name) {
		free(*ident);
		free(*name);
		*ident = *name = NULL;
		return PC_ENOMEM;
	}
	return 0;
}

/* A token already stored is refused (PC_EIO), as in SQLite; without raising an error, so a
 * batch around the call would not be aborted. */
int pg_launch_put(store *st, const store_launch *l)
{
	pg_store *s = (pg_store *)st;
	char b2[24], b6[24];
	const char *p[] = {l->token_hash, I64(b2, l->learner_id), l->package, l->item, l->version_hash,
			   I64(b6, l->expires)};
	PGresult *r;
	pthread_mutex_lock(&s->wlock);
	int rc = pg_query(&s->w,
			  "INSERT INTO launches(token_hash, learner_id, package, item, version_hash, expires)"
			  " VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT(token_hash) DO NOTHING",
			  6, p, &r);
	pthread_mutex_unlock(&s->wlock);
	if (rc)
		return rc;
	rc = atoi(PQcmdTuples(r)) == 1 ? 0 : PC_EIO;
	if (rc)
		set_error(s, "this launch token is already stored");
	PQclear(r);
	return rc;
}

int pg_launch_get(store *st, const char *token_hash, store_launch *out)
{
	pg_store *s = (pg_store *)st;
	memset(out, 0, sizeof *out);
	const char *p[] = {token_hash};
	PGresult *r;
	pthread_mutex_lock(&s->rlock);
	int rc = pg_query(&s->r,
			  "SELECT learner_id, package, item, version_hash, attempt_id, session, expires"
			  " FROM launches WHERE token_hash = $1",
			  1, p, &r);
	pthread_mutex_unlock(&s->rlock);
	if (rc)
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return PC_ENOTFOUND;
	}
	out->token_hash = strdup(token_hash);
	out->learner_id = val_i64(r, 0, 0);
	out->package = val_dup(r, 0, 1);
	out->item = val_dup(r, 0, 2);
	out->version_hash = val_dup(r, 0, 3);
	out->attempt_id = val_i64(r, 0, 4);
	out->session = val_i64(r, 0, 5);
	out->expires = val_i64(r, 0, 6);
	PQclear(r);
	if (!out->token_hash || !out->package || !out->item || !out->version_hash) {
		store_launch_clear(out);
		return PC_ENOMEM;
	}
	return 0;
}

int pg_launch_start(store *st, const char *token_hash, int64_t attempt_id, const char *version_hash,
		    int64_t session)
{
	pg_store *s = (pg_store *)st;
	char b2[24], b4[24];
	const char *p[] = {token_hash, I64(b2, attempt_id), version_hash, I64(b4, session)};
	PGresult *r;
	pthread_mutex_lock(&s->wlock);
	int rc = pg_query(&s->w,
			  "UPDATE launches SET attempt_id = $2, version_hash = $3, session = $4"
			  " WHERE token_hash = $1",
			  4, p, &r);
	pthread_mutex_unlock(&s->wlock);
	if (rc)
		return rc;
	rc = atoi(PQcmdTuples(r)) == 1 ? 0 : PC_ENOTFOUND;
	PQclear(r);
	return rc;
}

/* Migration 6 (SQLite's migration 6, the same tables and meaning). The journal's trigger lets
 * rows go only while journal_permit holds a row, which an erasure or a prune inserts and deletes
 * inside its own transaction (no other transaction ever sees it). */
const char pg_migration_accounts[] =
	"ALTER TABLE learners ADD COLUMN email TEXT;"
	"ALTER TABLE learners ADD COLUMN role TEXT NOT NULL DEFAULT 'learner';"
	"ALTER TABLE learners ADD COLUMN password_hash TEXT;"
	"ALTER TABLE learners ADD COLUMN stored_bytes BIGINT NOT NULL DEFAULT 0;"
	"CREATE UNIQUE INDEX learners_by_email ON learners(email) WHERE email IS NOT NULL;"
	"UPDATE learners SET stored_bytes = (SELECT coalesce(sum(octet_length(c.request)"
	"  + octet_length(c.response)), 0) FROM commits c JOIN attempts a ON a.id = c.attempt_id"
	"  WHERE a.learner_id = learners.id);"
	"CREATE TABLE sessions("
	"  token_hash TEXT PRIMARY KEY,"
	"  learner_id BIGINT NOT NULL REFERENCES learners(id),"
	"  csrf TEXT NOT NULL,"
	"  expires BIGINT NOT NULL);"
	"CREATE TABLE invites("
	"  token_hash TEXT PRIMARY KEY,"
	"  learner_id BIGINT NOT NULL REFERENCES learners(id),"
	"  expires BIGINT NOT NULL);"
	"CREATE TABLE groups("
	"  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  created_at TEXT NOT NULL);"
	"CREATE TABLE memberships("
	"  group_id BIGINT NOT NULL REFERENCES groups(id),"
	"  learner_id BIGINT NOT NULL REFERENCES learners(id),"
	"  manager INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY(group_id, learner_id));"
	"CREATE TABLE assignments("
	"  group_id BIGINT NOT NULL REFERENCES groups(id),"
	"  package_id BIGINT NOT NULL REFERENCES packages(id),"
	"  assigned_at TEXT NOT NULL,"
	"  PRIMARY KEY(group_id, package_id));"
	"CREATE TABLE throttle("
	"  key TEXT PRIMARY KEY,"
	"  failures BIGINT NOT NULL,"
	"  window_start BIGINT NOT NULL);"
	"CREATE TABLE audit("
	"  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  actor TEXT,"
	"  action TEXT NOT NULL,"
	"  target TEXT,"
	"  detail TEXT);"
	"CREATE TABLE journal_permit(one INTEGER PRIMARY KEY CHECK (one = 1));"
	"CREATE OR REPLACE FUNCTION commits_append_only() RETURNS trigger LANGUAGE plpgsql AS"
	"  $$BEGIN"
	"    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM journal_permit) THEN RETURN OLD; END IF;"
	"    RAISE EXCEPTION 'the commit journal is append-only';"
	"  END$$;"
	"CREATE FUNCTION commits_usage() RETURNS trigger LANGUAGE plpgsql AS"
	"  $$BEGIN"
	"    IF TG_OP = 'INSERT' THEN"
	"      UPDATE learners SET stored_bytes = stored_bytes + octet_length(NEW.request)"
	"        + octet_length(NEW.response)"
	"      WHERE id = (SELECT learner_id FROM attempts WHERE id = NEW.attempt_id);"
	"      RETURN NEW;"
	"    END IF;"
	"    UPDATE learners SET stored_bytes = stored_bytes - octet_length(OLD.request)"
	"      - octet_length(OLD.response)"
	"    WHERE id = (SELECT learner_id FROM attempts WHERE id = OLD.attempt_id);"
	"    RETURN OLD;"
	"  END$$;"
	"CREATE TRIGGER commits_usage AFTER INSERT OR DELETE ON commits"
	"  FOR EACH ROW EXECUTE FUNCTION commits_usage();";

#define PG_NOW "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
#define USER_COLS "id, ident, email, name, role, password_hash, stored_bytes, created_at"

/* One write or read of a statement, under the connection's lock; *out as pg_query. */
static int q_w(pg_store *s, const char *sql, int n, const char *const *p, PGresult **r)
{
	pthread_mutex_lock(&s->wlock);
	int rc = pg_query(&s->w, sql, n, p, r);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

static int q_r(pg_store *s, const char *sql, int n, const char *const *p, PGresult **r)
{
	pthread_mutex_lock(&s->rlock);
	int rc = pg_query(&s->r, sql, n, p, r);
	pthread_mutex_unlock(&s->rlock);
	return rc;
}

/* A statement whose row count answers: 0 when it touched `want` rows (any when want < 0),
 * else `otherwise`. */
static int affected(pg_store *s, const char *sql, int n, const char *const *p, int want,
		    int otherwise)
{
	PGresult *r;
	int rc = q_w(s, sql, n, p, &r);
	if (rc)
		return rc;
	int got = atoi(PQcmdTuples(r));
	PQclear(r);
	return want < 0 || got == want ? 0 : otherwise;
}

int pg_prune_expired(store *st, int64_t now)
{
	pg_store *s = (pg_store *)st;
	char b[24];
	const char *p[] = {I64(b, now)};
	PGresult *r;
	int rc = q_w(s,
		     "WITH a AS (DELETE FROM launches WHERE expires < $1::bigint),"
		     " b AS (DELETE FROM sessions WHERE expires < $1::bigint),"
		     " c AS (DELETE FROM invites WHERE expires < $1::bigint)"
		     " DELETE FROM throttle WHERE window_start < $1::bigint - 86400",
		     1, p, &r);
	if (rc == 0)
		PQclear(r);
	return rc;
}

/* ---- Accounts ------------------------------------------------------------------------------ */

static void fill_user(PGresult *r, int i, store_user *u)
{
	memset(u, 0, sizeof *u);
	u->id = val_i64(r, i, 0);
	u->ident = val_dup(r, i, 1);
	u->email = val_dup(r, i, 2);
	u->name = val_dup(r, i, 3);
	u->role = val_dup(r, i, 4);
	u->password_hash = val_dup(r, i, 5);
	u->stored_bytes = val_i64(r, i, 6);
	u->created_at = val_dup(r, i, 7);
}

int pg_user_add(store *st, const store_user *u, int64_t *id)
{
	pg_store *s = (pg_store *)st;
	const char *p[] = {u->ident, u->email, u->name, u->role, u->password_hash};
	PGresult *r;
	int rc = q_w(s,
		     "INSERT INTO learners(ident, email, name, role, password_hash, created_at)"
		     " VALUES($1, $2, $3, $4, $5, " PG_NOW ") ON CONFLICT DO NOTHING RETURNING id",
		     5, p, &r);
	if (rc)
		return rc;
	rc = PQntuples(r) == 1 ? 0 : PC_EINVAL; /* the email or the ident is taken */
	if (rc == 0)
		*id = val_i64(r, 0, 0);
	PQclear(r);
	return rc;
}

int pg_user_get(store *st, int64_t id, const char *email, store_user *out)
{
	pg_store *s = (pg_store *)st;
	memset(out, 0, sizeof *out);
	char b[24];
	const char *p[] = {email ? email : I64(b, id)};
	PGresult *r;
	int rc = q_r(s,
		     email ? "SELECT " USER_COLS " FROM learners WHERE email = $1"
			   : "SELECT " USER_COLS " FROM learners WHERE id = $1::bigint",
		     1, p, &r);
	if (rc)
		return rc;
	rc = PQntuples(r) == 1 ? 0 : PC_ENOTFOUND;
	if (rc == 0)
		fill_user(r, 0, out);
	PQclear(r);
	if (rc == 0 && (!out->ident || !out->name || !out->role)) {
		store_user_clear(out);
		rc = PC_ENOMEM;
	}
	return rc;
}

int pg_user_list(store *st, store_user **out, size_t *n)
{
	pg_store *s = (pg_store *)st;
	*out = NULL;
	*n = 0;
	PGresult *r;
	int rc = q_r(s,
		     "SELECT " USER_COLS " FROM learners WHERE email IS NOT NULL ORDER BY lower(name), email",
		     0, NULL, &r);
	if (rc)
		return rc;
	int rows = PQntuples(r);
	store_user *u = calloc(rows ? (size_t)rows : 1, sizeof *u);
	if (!u) {
		PQclear(r);
		return PC_ENOMEM;
	}
	for (int i = 0; i < rows; i++)
		fill_user(r, i, &u[i]);
	PQclear(r);
	*out = u;
	*n = (size_t)rows;
	return 0;
}

int pg_user_update(store *st, int64_t id, const char *password_hash, const char *role,
		   const char *name)
{
	char b[24];
	const char *p[] = {I64(b, id), password_hash, role, name};
	return affected((pg_store *)st,
			"UPDATE learners SET password_hash = coalesce($2, password_hash),"
			" role = coalesce($3, role), name = coalesce($4, name) WHERE id = $1::bigint",
			4, p, 1, PC_ENOTFOUND);
}

/* Runs statements with $1 = `id` in one transaction of their own (not inside a batch). */
static int in_transaction(pg_store *s, const char *const *sql, size_t n, int64_t id,
			  int64_t *last_count)
{
	char b[24];
	const char *p[] = {I64(b, id)};
	pthread_mutex_lock(&s->wlock);
	int rc = pg_command(&s->w, "BEGIN");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		PGresult *r;
		rc = pg_query(&s->w, sql[i], strchr(sql[i], '$') ? 1 : 0, p, &r);
		if (rc == 0) {
			if (last_count)
				*last_count = atoi(PQcmdTuples(r));
			PQclear(r);
		}
	}
	if (rc == 0)
		rc = pg_command(&s->w, "COMMIT");
	else
		pg_command(&s->w, "ROLLBACK");
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int pg_learner_erase(store *st, int64_t id)
{
	static const char *const sql[] = {
		"INSERT INTO journal_permit(one) VALUES(1)",
		"DELETE FROM commits WHERE attempt_id IN (SELECT id FROM attempts WHERE learner_id = $1::bigint)",
		"DELETE FROM journal_permit",
		"DELETE FROM interactions WHERE attempt_id IN (SELECT id FROM attempts WHERE learner_id = $1::bigint)",
		"DELETE FROM sco_states WHERE attempt_id IN (SELECT id FROM attempts WHERE learner_id = $1::bigint)",
		"DELETE FROM shared_data WHERE learner_id = $1::bigint",
		"DELETE FROM seq_states WHERE attempt_id IN (SELECT id FROM attempts WHERE learner_id = $1::bigint)",
		"DELETE FROM seq_globals WHERE learner_id = $1::bigint",
		"DELETE FROM launches WHERE learner_id = $1::bigint",
		"DELETE FROM attempts WHERE learner_id = $1::bigint",
		"DELETE FROM sessions WHERE learner_id = $1::bigint",
		"DELETE FROM invites WHERE learner_id = $1::bigint",
		"DELETE FROM memberships WHERE learner_id = $1::bigint",
		"DELETE FROM learners WHERE id = $1::bigint",
	};
	pg_store *s = (pg_store *)st;
	int64_t gone = 0;
	/* An unknown learner: nothing to do, and said so before any work. */
	char b[24];
	const char *p[] = {I64(b, id)};
	PGresult *r;
	int rc = q_r(s, "SELECT 1 FROM learners WHERE id = $1::bigint", 1, p, &r);
	if (rc)
		return rc;
	int known = PQntuples(r) == 1;
	PQclear(r);
	if (!known)
		return PC_ENOTFOUND;
	rc = in_transaction(s, sql, sizeof sql / sizeof sql[0], id, &gone);
	return rc ? rc : gone == 1 ? 0 : PC_ENOTFOUND;
}

int pg_learner_usage(store *st, int64_t id, int64_t *bytes)
{
	pg_store *s = (pg_store *)st;
	char b[24];
	const char *p[] = {I64(b, id)};
	PGresult *r;
	/* The writer: the commit queue asks inside its batch, which must count its own rows. */
	int rc = q_w(s, "SELECT stored_bytes FROM learners WHERE id = $1::bigint", 1, p, &r);
	if (rc)
		return rc;
	rc = PQntuples(r) == 1 ? 0 : PC_ENOTFOUND;
	if (rc == 0)
		*bytes = val_i64(r, 0, 0);
	PQclear(r);
	return rc;
}

int pg_journal_prune(store *st, const char *before, int64_t *deleted)
{
	pg_store *s = (pg_store *)st;
	*deleted = 0;
	const char *p[] = {before};
	pthread_mutex_lock(&s->wlock);
	PGresult *r = NULL;
	int rc = pg_command(&s->w, "BEGIN");
	if (rc == 0)
		rc = pg_query(&s->w, "INSERT INTO journal_permit(one) VALUES(1)", 0, NULL, &r);
	if (r)
		PQclear(r);
	r = NULL;
	if (rc == 0)
		rc = pg_query(&s->w, "DELETE FROM commits WHERE received_at < $1", 1, p, &r);
	if (r) {
		*deleted = atoi(PQcmdTuples(r));
		PQclear(r);
		r = NULL;
	}
	if (rc == 0)
		rc = pg_query(&s->w, "DELETE FROM journal_permit", 0, NULL, &r);
	if (r)
		PQclear(r);
	if (rc == 0)
		rc = pg_command(&s->w, "COMMIT");
	else
		pg_command(&s->w, "ROLLBACK");
	pthread_mutex_unlock(&s->wlock);
	if (rc)
		*deleted = 0;
	return rc;
}

/* ---- Sessions and one-time links ----------------------------------------------------------- */

int pg_session_put(store *st, const char *token_hash, int64_t user_id, const char *csrf,
		   int64_t expires)
{
	char b2[24], b4[24];
	const char *p[] = {token_hash, I64(b2, user_id), csrf, I64(b4, expires)};
	return affected((pg_store *)st,
			"INSERT INTO sessions(token_hash, learner_id, csrf, expires) VALUES($1, $2, $3, $4)"
			" ON CONFLICT DO NOTHING",
			4, p, 1, PC_EIO);
}

int pg_session_get(store *st, const char *token_hash, int64_t *user_id, char **csrf,
		   int64_t *expires)
{
	*csrf = NULL;
	const char *p[] = {token_hash};
	PGresult *r;
	int rc = q_r((pg_store *)st, "SELECT learner_id, csrf, expires FROM sessions WHERE token_hash = $1",
		     1, p, &r);
	if (rc)
		return rc;
	rc = PQntuples(r) == 1 ? 0 : PC_ENOTFOUND;
	if (rc == 0) {
		*user_id = val_i64(r, 0, 0);
		*csrf = val_dup(r, 0, 1);
		*expires = val_i64(r, 0, 2);
		rc = *csrf ? 0 : PC_ENOMEM;
	}
	PQclear(r);
	return rc;
}

int pg_session_delete(store *st, const char *token_hash, int64_t user_id)
{
	char b[24];
	const char *p[] = {token_hash ? token_hash : I64(b, user_id)};
	return affected((pg_store *)st,
			token_hash ? "DELETE FROM sessions WHERE token_hash = $1"
				   : "DELETE FROM sessions WHERE learner_id = $1::bigint",
			1, p, -1, 0);
}

int pg_invite_put(store *st, const char *token_hash, int64_t user_id, int64_t expires)
{
	char b2[24], b3[24];
	const char *p[] = {token_hash, I64(b2, user_id), I64(b3, expires)};
	return affected((pg_store *)st,
			"INSERT INTO invites(token_hash, learner_id, expires) VALUES($1, $2, $3)"
			" ON CONFLICT DO NOTHING",
			3, p, 1, PC_EIO);
}

int pg_invite_get(store *st, const char *token_hash, int64_t *user_id, int64_t *expires)
{
	const char *p[] = {token_hash};
	PGresult *r;
	int rc = q_r((pg_store *)st, "SELECT learner_id, expires FROM invites WHERE token_hash = $1", 1,
		     p, &r);
	if (rc)
		return rc;
	rc = PQntuples(r) == 1 ? 0 : PC_ENOTFOUND;
	if (rc == 0) {
		*user_id = val_i64(r, 0, 0);
		*expires = val_i64(r, 0, 1);
	}
	PQclear(r);
	return rc;
}

int pg_invite_delete(store *st, const char *token_hash, int64_t user_id)
{
	char b[24];
	const char *p[] = {token_hash ? token_hash : I64(b, user_id)};
	return affected((pg_store *)st,
			token_hash ? "DELETE FROM invites WHERE token_hash = $1"
				   : "DELETE FROM invites WHERE learner_id = $1::bigint",
			1, p, -1, 0);
}

/* ---- Groups, memberships, assignments -------------------------------------------------------- */

int pg_group_add(store *st, const char *name, int64_t *id)
{
	const char *p[] = {name};
	PGresult *r;
	int rc = q_w((pg_store *)st,
		     "INSERT INTO groups(name, created_at) VALUES($1, " PG_NOW ")"
		     " ON CONFLICT(name) DO NOTHING RETURNING id",
		     1, p, &r);
	if (rc)
		return rc;
	rc = PQntuples(r) == 1 ? 0 : PC_EINVAL;
	if (rc == 0)
		*id = val_i64(r, 0, 0);
	PQclear(r);
	return rc;
}

int pg_group_list(store *st, store_group **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	PGresult *r;
	int rc = q_r((pg_store *)st,
		     "SELECT g.id, g.name,"
		     " (SELECT count(*) FROM memberships m WHERE m.group_id = g.id AND m.manager = 0),"
		     " (SELECT count(*) FROM memberships m WHERE m.group_id = g.id AND m.manager = 1)"
		     " FROM groups g ORDER BY lower(g.name)",
		     0, NULL, &r);
	if (rc)
		return rc;
	int rows = PQntuples(r);
	store_group *g = calloc(rows ? (size_t)rows : 1, sizeof *g);
	if (!g) {
		PQclear(r);
		return PC_ENOMEM;
	}
	for (int i = 0; i < rows; i++) {
		g[i].id = val_i64(r, i, 0);
		g[i].name = val_dup(r, i, 1);
		g[i].members = val_i64(r, i, 2);
		g[i].managers = val_i64(r, i, 3);
	}
	PQclear(r);
	*out = g;
	*n = (size_t)rows;
	return 0;
}

int pg_member_set(store *st, int64_t group, int64_t user, int manager)
{
	char b1[24], b2[24];
	const char *p[] = {I64(b1, group), I64(b2, user), manager ? "1" : "0"};
	return affected((pg_store *)st,
			"INSERT INTO memberships(group_id, learner_id, manager)"
			" SELECT $1::bigint, $2::bigint, $3::int"
			" WHERE EXISTS (SELECT 1 FROM groups WHERE id = $1::bigint)"
			" AND EXISTS (SELECT 1 FROM learners WHERE id = $2::bigint)"
			" ON CONFLICT(group_id, learner_id) DO UPDATE SET manager = excluded.manager",
			3, p, 1, PC_ENOTFOUND);
}

int pg_member_remove(store *st, int64_t group, int64_t user)
{
	char b1[24], b2[24];
	const char *p[] = {I64(b1, group), I64(b2, user)};
	return affected((pg_store *)st,
			"DELETE FROM memberships WHERE group_id = $1::bigint AND learner_id = $2::bigint",
			2, p, -1, 0);
}

int pg_member_list(store *st, int64_t group, int64_t user, store_member **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	char b1[24], b2[24];
	const char *p[] = {I64(b1, group), I64(b2, user)};
	PGresult *r;
	int rc = q_r((pg_store *)st,
		     "SELECT m.group_id, g.name, m.learner_id, l.email, l.name, l.ident, m.manager"
		     " FROM memberships m JOIN groups g ON g.id = m.group_id"
		     " JOIN learners l ON l.id = m.learner_id"
		     " WHERE ($1::bigint = 0 OR m.group_id = $1::bigint)"
		     " AND ($2::bigint = 0 OR m.learner_id = $2::bigint)"
		     " ORDER BY lower(g.name), m.manager DESC, lower(l.name), l.email",
		     2, p, &r);
	if (rc)
		return rc;
	int rows = PQntuples(r);
	store_member *m = calloc(rows ? (size_t)rows : 1, sizeof *m);
	if (!m) {
		PQclear(r);
		return PC_ENOMEM;
	}
	for (int i = 0; i < rows; i++) {
		m[i].group_id = val_i64(r, i, 0);
		m[i].group_name = val_dup(r, i, 1);
		m[i].user_id = val_i64(r, i, 2);
		m[i].email = val_dup(r, i, 3);
		m[i].name = val_dup(r, i, 4);
		m[i].ident = val_dup(r, i, 5);
		m[i].manager = (int)val_i64(r, i, 6);
	}
	PQclear(r);
	*out = m;
	*n = (size_t)rows;
	return 0;
}

int pg_assignment_set(store *st, int64_t group, const char *package, int assigned)
{
	char b[24];
	const char *p[] = {I64(b, group), package};
	if (!assigned)
		return affected((pg_store *)st,
				"DELETE FROM assignments WHERE group_id = $1::bigint"
				" AND package_id = (SELECT id FROM packages WHERE ident = $2)",
				2, p, -1, 0);
	return affected((pg_store *)st,
			"INSERT INTO assignments(group_id, package_id, assigned_at)"
			" SELECT $1::bigint, p.id, " PG_NOW " FROM packages p WHERE p.ident = $2"
			" AND EXISTS (SELECT 1 FROM groups WHERE id = $1::bigint)"
			" ON CONFLICT(group_id, package_id) DO NOTHING",
			2, p, -1, 0);
}

int pg_assignment_list(store *st, int64_t user, store_assignment **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	char b[24];
	const char *p[] = {I64(b, user)};
	PGresult *r;
	int rc = q_r((pg_store *)st,
		     "SELECT a.group_id, g.name, p.ident, a.assigned_at FROM assignments a"
		     " JOIN groups g ON g.id = a.group_id JOIN packages p ON p.id = a.package_id"
		     " WHERE $1::bigint = 0 OR a.group_id IN"
		     "  (SELECT group_id FROM memberships WHERE learner_id = $1::bigint)"
		     " ORDER BY lower(g.name), p.ident",
		     1, p, &r);
	if (rc)
		return rc;
	int rows = PQntuples(r);
	store_assignment *a = calloc(rows ? (size_t)rows : 1, sizeof *a);
	if (!a) {
		PQclear(r);
		return PC_ENOMEM;
	}
	for (int i = 0; i < rows; i++) {
		a[i].group_id = val_i64(r, i, 0);
		a[i].group_name = val_dup(r, i, 1);
		a[i].package = val_dup(r, i, 2);
		a[i].assigned_at = val_dup(r, i, 3);
	}
	PQclear(r);
	*out = a;
	*n = (size_t)rows;
	return 0;
}

/* ---- Sign-in throttling and the audit log ---------------------------------------------------- */

int pg_throttle_hit(store *st, const char *key, int64_t now, int64_t window, int64_t *count)
{
	char b2[24], b3[24];
	const char *p[] = {key, I64(b2, now), I64(b3, window)};
	PGresult *r;
	int rc = q_w((pg_store *)st,
		     "INSERT INTO throttle(key, failures, window_start) VALUES($1, 1, $2::bigint)"
		     " ON CONFLICT(key) DO UPDATE SET"
		     " failures = CASE WHEN throttle.window_start <= $2::bigint - $3::bigint THEN 1"
		     "   ELSE throttle.failures + 1 END,"
		     " window_start = CASE WHEN throttle.window_start <= $2::bigint - $3::bigint"
		     "   THEN $2::bigint ELSE throttle.window_start END"
		     " RETURNING failures",
		     3, p, &r);
	if (rc)
		return rc;
	rc = PQntuples(r) == 1 ? 0 : PC_EIO;
	if (rc == 0)
		*count = val_i64(r, 0, 0);
	PQclear(r);
	return rc;
}

int pg_throttle_count(store *st, const char *key, int64_t now, int64_t window, int64_t *count)
{
	*count = 0;
	char b2[24], b3[24];
	const char *p[] = {key, I64(b2, now), I64(b3, window)};
	PGresult *r;
	int rc = q_r((pg_store *)st,
		     "SELECT failures FROM throttle WHERE key = $1"
		     " AND window_start > $2::bigint - $3::bigint",
		     3, p, &r);
	if (rc)
		return rc;
	if (PQntuples(r) == 1)
		*count = val_i64(r, 0, 0);
	PQclear(r);
	return 0;
}

int pg_throttle_clear(store *st, const char *key)
{
	const char *p[] = {key};
	return affected((pg_store *)st, "DELETE FROM throttle WHERE key = $1", 1, p, -1, 0);
}

int pg_audit_add(store *st, const char *actor, const char *action, const char *target,
		 const char *detail)
{
	const char *p[] = {actor, action, target, detail};
	return affected((pg_store *)st,
			"INSERT INTO audit(at, actor, action, target, detail) VALUES(" PG_NOW
			", $1, $2, $3, $4)",
			4, p, 1, PC_EIO);
}

int pg_audit_list(store *st, int64_t limit, store_audit **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	char b[24];
	const char *p[] = {I64(b, limit)};
	PGresult *r;
	int rc = q_r((pg_store *)st,
		     "SELECT id, at, actor, action, target, detail FROM audit ORDER BY id DESC"
		     " LIMIT $1::bigint",
		     1, p, &r);
	if (rc)
		return rc;
	int rows = PQntuples(r);
	store_audit *a = calloc(rows ? (size_t)rows : 1, sizeof *a);
	if (!a) {
		PQclear(r);
		return PC_ENOMEM;
	}
	for (int i = 0; i < rows; i++) {
		a[i].id = val_i64(r, i, 0);
		a[i].at = val_dup(r, i, 1);
		a[i].actor = val_dup(r, i, 2);
		a[i].action = val_dup(r, i, 3);
		a[i].target = val_dup(r, i, 4);
		a[i].detail = val_dup(r, i, 5);
	}
	PQclear(r);
	*out = a;
	*n = (size_t)rows;
	return 0;
}
