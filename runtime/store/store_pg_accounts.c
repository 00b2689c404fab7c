/* The PostgreSQL back end's team-mode operations (store.h): launch tokens, and learners looked
 * up without being created; the same behaviour as store_sqlite_accounts.c. Writes go through
 * the writer (launch_start inside the commit queue's batch), lookups through the reader. */
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

int pg_launch_prune(store *st, int64_t now)
{
	pg_store *s = (pg_store *)st;
	char b[24];
	const char *p[] = {I64(b, now)};
	PGresult *r;
	pthread_mutex_lock(&s->wlock);
	int rc = pg_query(&s->w, "DELETE FROM launches WHERE expires < $1", 1, p, &r);
	pthread_mutex_unlock(&s->wlock);
	if (rc == 0)
		PQclear(r);
	return rc;
}
