/* Private to the PostgreSQL back end: the handle and the helpers its files share (store_pg.c
 * for the core operations, store_pg_accounts.c for launches, accounts and the rest of team
 * mode). */
#ifndef POSTCARD_STORE_PG_INT_H
#define POSTCARD_STORE_PG_INT_H

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "store.h"

struct pg_store;

struct pconn {
	PGconn *c;
	pthread_mutex_t *lock;
	struct pg_store *owner;
	int prepared;
};

typedef struct pg_store {
	store base;
	char *conninfo;
	struct pconn w, r; /* the writer (batches, writes) and a reader (reports, files) */
	pthread_mutex_t wlock, rlock, errlock;
	int in_batch;
	char error[256];
} pg_store;

/* An int64 as text for a query parameter, in `buf`. */
#define I64(buf, v) (snprintf((buf), sizeof(buf), "%" PRId64, (int64_t)(v)), (const char *)(buf))

void set_error(pg_store *s, const char *msg);
/* Maps a failed result (NULL too) to PC_ENOSPC, PC_ECONFLICT or PC_EIO, recording why. */
int result_fail(struct pconn *c, PGresult *r);
/* A working connection (reconnecting after a lost one when no batch depends on it): 0 or error. */
int conn_ready(struct pconn *c);
char *val_dup(PGresult *r, int row, int col);
int64_t val_i64(PGresult *r, int row, int col);
/* Runs SQL with text parameters (NULL = SQL NULL), not prepared. *out gets the result when it
 * succeeded (the caller clears it); 0 or the error. */
int pg_query(struct pconn *c, const char *sql, int n, const char *const *params, PGresult **out);
/* Runs a plain command (BEGIN, COMMIT, ROLLBACK, ...): 0 or the error (a COMMIT that rolled
 * back is one). */
int pg_command(struct pconn *c, const char *sql);

/* The filters every report takes, as in store_sqlite.c (NULL or 0 = any): package, learner,
 * attempt, latest only, a group's members, the people of the groups a manager manages ($1..$6;
 * store_filter). Shared by store_pg.c and store_pg_seq.c. */
#define REPORT_WHERE                                                                               \
	" WHERE ($1::text IS NULL OR p.ident = $1) AND ($2::text IS NULL OR l.ident = $2)"         \
	" AND ($3::bigint = 0 OR a.id = $3)"                                                       \
	" AND ($4::int = 0 OR a.number = (SELECT max(number) FROM attempts b"                      \
	"   WHERE b.learner_id = a.learner_id AND b.package_id = a.package_id))"                    \
	" AND ($5::bigint = 0 OR a.learner_id IN (SELECT learner_id FROM memberships"              \
	"   WHERE group_id = $5))"                                                                 \
	" AND ($6::bigint = 0 OR a.learner_id IN (SELECT m.learner_id FROM memberships m"          \
	"   WHERE m.group_id IN (SELECT group_id FROM memberships WHERE learner_id = $6"            \
	"   AND manager = 1)))"

/* store_pg_accounts.c */
int pg_learner_find(store *st, const char *ident, int64_t *id);
int pg_learner_get(store *st, int64_t id, char **ident, char **name);
int pg_launch_put(store *st, const store_launch *l);
int pg_launch_get(store *st, const char *token_hash, store_launch *out);
int pg_launch_start(store *st, const char *token_hash, int64_t attempt_id, const char *version_hash,
		    int64_t session);
int pg_prune_expired(store *st, int64_t now);
extern const char pg_migration_accounts[];
int pg_user_add(store *st, const store_user *u, int64_t *id);
int pg_user_get(store *st, int64_t id, const char *email, store_user *out);
int pg_user_list(store *st, store_user **out, size_t *n);
int pg_user_update(store *st, int64_t id, const char *password_hash, const char *role,
		   const char *name);
int pg_learner_erase(store *st, int64_t id);
int pg_learner_usage(store *st, int64_t id, int64_t *bytes);
int pg_journal_prune(store *st, const char *before, int64_t *deleted);
int pg_session_put(store *st, const char *token_hash, int64_t user_id, const char *csrf,
		   int64_t expires);
int pg_session_get(store *st, const char *token_hash, int64_t *user_id, char **csrf,
		   int64_t *expires);
int pg_session_delete(store *st, const char *token_hash, int64_t user_id);
int pg_invite_put(store *st, const char *token_hash, int64_t user_id, int64_t expires);
int pg_invite_get(store *st, const char *token_hash, int64_t *user_id, int64_t *expires);
int pg_invite_delete(store *st, const char *token_hash, int64_t user_id);
int pg_group_add(store *st, const char *name, int64_t *id);
int pg_group_list(store *st, store_group **out, size_t *n);
int pg_member_set(store *st, int64_t group, int64_t user, int manager);
int pg_member_remove(store *st, int64_t group, int64_t user);
int pg_member_list(store *st, int64_t group, int64_t user, store_member **out, size_t *n);
int pg_assignment_set(store *st, int64_t group, const char *package, int assigned);
int pg_assignment_list(store *st, int64_t user, store_assignment **out, size_t *n);
int pg_throttle_hit(store *st, const char *key, int64_t now, int64_t window, int64_t *count);
int pg_throttle_count(store *st, const char *key, int64_t now, int64_t window, int64_t *count);
int pg_throttle_clear(store *st, const char *key);
int pg_audit_add(store *st, const char *actor, const char *action, const char *target,
		 const char *detail);
int pg_audit_list(store *st, int64_t limit, store_audit **out, size_t *n);

/* store_pg_seq.c */
extern const char pg_migration_seq[];
int pg_seq_get(store *st, int64_t attempt_id, char **state, int64_t *rev);
int pg_seq_put(store *st, const store_seq_write *w);
int pg_seq_globals_get(store *st, int64_t learner_id, char **globals);
int pg_seq_globals_put(store *st, int64_t learner_id, const char *globals);
int pg_seq_records(store *st, const store_filter *f, store_seq_record **out, size_t *n);

/* A report's parameters $1..$9: the records' filters, numbers written into the buffers here. */
struct pg_report_params {
	char attempt[24], latest[4], group[24], manager[24];
	const char *p[9];
};
void pg_report_params(struct pg_report_params *rp, const store_filter *f);
/* The connection a report reads through: the writer for one attempt (the commit queue may ask
 * inside its batch and must see it), otherwise the reader. */
struct pconn *pg_report_conn(pg_store *s, const store_filter *f);

#endif
