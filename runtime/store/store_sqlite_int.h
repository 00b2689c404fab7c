/* Private to the SQLite back end: the handle and the helpers its files share (store_sqlite.c for
 * the core operations, store_sqlite_accounts.c for launches, accounts, sessions and the rest of
 * team mode). Each file keeps its own prepared statements in its own slots of `struct conn`. */
#ifndef POSTCARD_STORE_SQLITE_INT_H
#define POSTCARD_STORE_SQLITE_INT_H

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"

/* Statement slots per connection: the core file's, then the accounts file's. */
#define SQ_CORE_STMTS 64
#define SQ_ACCT_STMTS 96

struct conn {
	sqlite3 *db;
	sqlite3_stmt *stmts[SQ_CORE_STMTS];
	sqlite3_stmt *acct[SQ_ACCT_STMTS];
	pthread_mutex_t *lock;
	struct sqlite_store *owner;
};

typedef struct sqlite_store {
	store base;
	struct conn w, r; /* r.db == w.db for :memory: */
	pthread_mutex_t wlock, rlock;
	int in_batch;
	pthread_mutex_t errlock;
	char error[256]; /* the last failure's text (under errlock) */
} sqlite_store;

static inline void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static inline char *col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? strdup((const char *)t) : NULL;
}

/* Steps a statement that returns no rows and resets it: 0 or PC_EIO. */
static inline int step_done(sqlite3_stmt *q)
{
	int rc = q && sqlite3_step(q) == SQLITE_DONE ? 0 : -3 /* PC_EIO */;
	if (q)
		sqlite3_reset(q);
	return rc;
}

/* Runs one statement of SQL outside the statement cache (BEGIN, COMMIT, ...): 0 or PC_EIO. */
int sq_exec(struct conn *c, const char *sql);

/* The accounts file's schema steps, appended to the core migrations in this order (see
 * store_sqlite.c `migrations[]`). */
extern const char sq_migration_launches[];

/* The accounts file's operations (store_sqlite_accounts.c), set in the core ops table. */
void sq_accounts_close_conn(struct conn *c);
int sq_launch_put(store *st, const store_launch *l);
int sq_launch_get(store *st, const char *token_hash, store_launch *out);
int sq_launch_start(store *st, const char *token_hash, int64_t attempt_id, const char *version_hash,
		    int64_t session);
int sq_launch_prune(store *st, int64_t now);
int sq_learner_find(store *st, const char *ident, int64_t *id);
int sq_learner_get(store *st, int64_t id, char **ident, char **name);

#endif
