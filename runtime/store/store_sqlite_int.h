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
#define SQ_SEQ_STMTS 8

/* The reports (the records' filters bound as ?1..?9), each prepared once per connection. */
enum sq_report { SQ_REPORT_RECORDS, SQ_REPORT_INTERACTIONS, SQ_REPORT_SEQ, SQ_REPORTS };

struct conn {
	sqlite3 *db;
	sqlite3_stmt *stmts[SQ_CORE_STMTS];
	sqlite3_stmt *report[SQ_REPORTS];
	sqlite3_stmt *acct[SQ_ACCT_STMTS];
	sqlite3_stmt *seq[SQ_SEQ_STMTS];
	pthread_mutex_t *lock;
	struct sqlite_store *owner;
};

typedef struct sqlite_store {
	store base;
	struct conn w, r; /* r.db == w.db for :memory: */
	pthread_mutex_t wlock, rlock;
	int in_batch;
	struct sq_ckpt *ckpt; /* the WAL checkpointer (NULL for :memory:) */
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

/* The WAL checkpointer (store_sqlite_ckpt.c): a thread on its own connection `own` (which it
 * owns from here on, also on failure) checkpoints after the writer's commits instead of the
 * writer. 0 or PC_ENOMEM. Stopped before the writer's connection closes. */
struct sq_ckpt;
int sq_ckpt_start(struct sq_ckpt **out, sqlite3 *writer, sqlite3 *own);
void sq_ckpt_stop(struct sq_ckpt *k, sqlite3 *writer);

/* Runs one statement of SQL outside the statement cache (BEGIN, COMMIT, ...): 0 or PC_EIO. */
int sq_exec(struct conn *c, const char *sql);

/* The filters every report takes, as bound parameters (NULL or 0 = any): package, learner,
 * attempt, latest only, a group's members, the members of the groups a manager manages, a status
 * (completion or success), and the last activity's time range [since, until). */
#define REPORT_FILTERS                                                                             \
	" WHERE (?1 IS NULL OR p.ident = ?1) AND (?2 IS NULL OR l.ident = ?2)"                     \
	" AND (?3 = 0 OR a.id = ?3)"                                                                \
	" AND (?4 = 0 OR a.number = (SELECT max(number) FROM attempts b"                           \
	"   WHERE b.learner_id = a.learner_id AND b.package_id = a.package_id))"                    \
	" AND (?5 = 0 OR a.learner_id IN (SELECT learner_id FROM memberships WHERE group_id = ?5))" \
	" AND (?6 = 0 OR a.learner_id IN (SELECT m.learner_id FROM memberships m"                  \
	"   WHERE m.group_id IN (SELECT group_id FROM memberships WHERE learner_id = ?6"            \
	"   AND manager = 1)))"

/* The accounts file's schema steps, appended to the core migrations in this order (see
 * store_sqlite.c `migrations[]`). */
extern const char sq_migration_launches[];
extern const char sq_migration_accounts[];
extern const char sq_migration_seq[];

/* The accounts file's operations (store_sqlite_accounts.c), set in the core ops table. */
void sq_accounts_close_conn(struct conn *c);
int sq_launch_put(store *st, const store_launch *l);
int sq_launch_get(store *st, const char *token_hash, store_launch *out);
int sq_launch_start(store *st, const char *token_hash, int64_t attempt_id, const char *version_hash,
		    int64_t session);
int sq_prune_expired(store *st, int64_t now);
int sq_user_add(store *st, const store_user *u, int64_t *id);
int sq_user_get(store *st, int64_t id, const char *email, store_user *out);
int sq_user_list(store *st, store_user **out, size_t *n);
int sq_user_update(store *st, int64_t id, const char *password_hash, const char *role,
		   const char *name);
int sq_learner_erase(store *st, int64_t id);
int sq_learner_usage(store *st, int64_t id, int64_t *bytes);
int sq_journal_prune(store *st, const char *before, int64_t *deleted);
int sq_session_put(store *st, const char *token_hash, int64_t user_id, const char *csrf,
		   int64_t expires);
int sq_session_get(store *st, const char *token_hash, int64_t *user_id, char **csrf,
		   int64_t *expires);
int sq_session_delete(store *st, const char *token_hash, int64_t user_id);
int sq_invite_put(store *st, const char *token_hash, int64_t user_id, int64_t expires);
int sq_invite_get(store *st, const char *token_hash, int64_t *user_id, int64_t *expires);
int sq_invite_delete(store *st, const char *token_hash, int64_t user_id);
int sq_group_add(store *st, const char *name, int64_t *id);
int sq_group_list(store *st, store_group **out, size_t *n);
int sq_member_set(store *st, int64_t group, int64_t user, int manager);
int sq_member_remove(store *st, int64_t group, int64_t user);
int sq_member_list(store *st, int64_t group, int64_t user, store_member **out, size_t *n);
int sq_assignment_set(store *st, int64_t group, const char *package, int assigned);
int sq_assignment_list(store *st, int64_t user, store_assignment **out, size_t *n);
int sq_throttle_hit(store *st, const char *key, int64_t now, int64_t window, int64_t *count);
int sq_throttle_count(store *st, const char *key, int64_t now, int64_t window, int64_t *count);
int sq_throttle_clear(store *st, const char *key);
int sq_audit_add(store *st, const char *actor, const char *action, const char *target,
		 const char *detail);
int sq_audit_list(store *st, int64_t limit, store_audit **out, size_t *n);
int sq_learner_find(store *st, const char *ident, int64_t *id);
int sq_learner_get(store *st, int64_t id, char **ident, char **name);

/* The sequencing file's operations (store_sqlite_seq.c). */
void sq_seq_close_conn(struct conn *c);
int sq_seq_get(store *st, int64_t attempt_id, char **state, int64_t *rev);
int sq_seq_put(store *st, const store_seq_write *w);
int sq_seq_globals_get(store *st, int64_t learner_id, char **globals);
int sq_seq_globals_put(store *st, int64_t learner_id, const char *globals);
int sq_seq_records(store *st, const store_filter *f, store_seq_record **out, size_t *n);

/* Runs report `which` (its SQL text `sql`) with f's filters and collects its rows into a growing
 * array of `size`-byte rows, each zeroed and then filled by `fill`; the attempt-scoped reports
 * read through the writer, so the commit queue sees its own batch. On failure the rows read so far
 * come back in *out and *n for the caller's free function, with PC_EIO. */
int sq_report_rows(struct sqlite_store *s, const store_filter *f, enum sq_report which,
		   const char *sql, size_t size, void (*fill)(sqlite3_stmt *q, void *row), void **out,
		   size_t *n);

#endif
