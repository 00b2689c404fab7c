/* The storage interface: everything the runtime keeps (learners, packages and their versions,
 * attempts, per-SCO state, interactions, the append-only commit journal) goes through this
 * struct of function pointers, so back ends (SQLite: store_sqlite.c; PostgreSQL: store_pg.c)
 * plug in behind one opaque handle. Every write that returns 0 is durable. Strings in the
 * structs below are owned by whoever filled them; free them with the matching *_free helper.
 *
 * Errors: PC_EIO (the store failed; store_last_error says why), PC_ENOSPC (the store's disk is
 * full: nothing was written), PC_ECONFLICT (a fenced write lost: another writer changed the row
 * first), PC_ENOTFOUND, PC_ENOMEM.
 *
 * Threads: every operation may be called from any thread; back ends serialise writers
 * internally. A batch (batch_begin .. batch_end) holds the writer for its duration: it is how
 * the commit queue puts many learners' commits into one durable transaction (group commit). */
#ifndef POSTCARD_STORE_H
#define POSTCARD_STORE_H

#include <stddef.h>
#include <stdint.h>

typedef struct store store;

/* A stored package version. */
typedef struct store_version {
	char *package;  /* manifest identifier: names the package across versions */
	char *hash;     /* SHA-256 of the zip, 64 hex digits: names this version */
	char *title;
	char *scorm;    /* "1.2", "2004-3rd", "2004-4th" */
	char *version_attr; /* manifest version attribute, may be NULL */
	char *imported_at;  /* ISO 8601 UTC, filled by the store */
	int64_t size;
} store_version;

/* One attempt of a learner on a package. */
typedef struct store_attempt {
	int64_t id;
	int64_t number; /* 1, 2, ... per learner and package */
	int closed;     /* finished: the next launch starts a new attempt */
	char *version_hash;
	char *started_at, *updated_at;
} store_attempt;

/* What a commit writes for one SCO of an attempt, in one transaction with the journal row. */
typedef struct store_interaction {
	int64_t n;
	const char *id, *type, *description, *learner_response, *correct_responses, *result,
		*weighting, *latency, *timestamp;
} store_interaction;

typedef struct store_sco_write {
	int64_t attempt_id;
	const char *item;  /* manifest item identifier */
	int64_t seq;       /* client sequence number applied */
	/* Fencing (several processes may write one attempt: serve nodes on one PostgreSQL). Every
	 * write of a SCO's row increases its revision (1 for the first). expect_rev > 0: write only
	 * if the stored revision is still this one; -1: only if there is no row yet; 0: always
	 * (tools and tests). A lost check writes nothing and answers PC_ECONFLICT. */
	int64_t expect_rev;
	const char *state; /* the whole CMI state, JSON */
	/* Summary columns for reports (NULL when unknown). */
	const char *completion, *success, *location, *score_raw, *score_scaled, *total_time;
	double total_seconds;
	const char *exit; /* cmi exit of the session this commit ended, or NULL */
	int terminated;   /* this commit ended a session (Finish/Terminate) */
	const store_interaction *interactions;
	size_t ninteractions;
	/* The journal row: what arrived, and what was answered. */
	const char *request;
	const char *response;
} store_sco_write;

/* One row of `postcard records`: a learner's attempt on one SCO. */
typedef struct store_record {
	char *learner, *learner_name, *package, *package_title, *item;
	int64_t attempt;
	int closed;
	char *completion, *success, *score_raw, *score_scaled, *total_time, *location, *updated_at;
	char *exit; /* exit of the last session that ended, or NULL */
	int ended;  /* the last session ended without suspending */
	char *learner_email; /* team mode; NULL for the local learner */
	int64_t attempt_id;  /* the attempt's key (for its state: sco_get) */
	double total_seconds;
	int64_t commits;
} store_record;

/* One package-level row of `postcard records`: a learner's attempt on a SCORM 2004 package as
 * sequencing rolled it up (the activity tree's root), next to its per-SCO rows. */
typedef struct store_seq_record {
	char *learner, *learner_name, *package, *package_title;
	int64_t attempt;
	int closed;
	char *completion, *success, *score_scaled; /* NULL when unknown */
	double total_seconds; /* the attempt's SCOs' time, summed */
	char *updated_at;
	char *learner_email; /* team mode; NULL for the local learner */
} store_seq_record;

/* What a sequencing write stores for one attempt (store_*_seq.c): the tracking state as
 * runtime/sn saves it, and the root's rolled-up result for records. */
typedef struct store_seq_write {
	int64_t attempt_id;
	/* Fenced like store_sco_write: every write increases the row's revision (1 for the first);
	 * expect_rev > 0 writes only over that revision, -1 only when there is no row, 0 always. */
	int64_t expect_rev;
	const char *state; /* sn_state_save's text */
	const char *completion, *success, *score_scaled; /* NULL when unknown */
} store_seq_write;

typedef struct store_interaction_row {
	char *learner, *package, *item;
	int64_t attempt, n;
	char *id, *type, *description, *learner_response, *correct_responses, *result, *weighting,
		*latency, *timestamp;
} store_interaction_row;

typedef struct store_filter {
	const char *package; /* manifest identifier, or NULL for all */
	const char *learner; /* learner identifier, or NULL for all */
	int64_t attempt;     /* one attempt, or 0 for all */
	int latest_only;     /* only each learner's latest attempt per package */
	int64_t group;       /* only the members of this group, or 0 */
	int64_t manager;     /* only people in the groups this person manages, or 0 */
	const char *status;  /* records: completion or success equal to this, or NULL */
	const char *since, *until; /* records: last activity in [since, until) (ISO 8601), or NULL */
} store_filter;

/* A launch: what one launch token (DESIGN.md §6, docs/seams.md §4) allows. The token itself is
 * never stored, only its SHA-256 in hex. */
typedef struct store_launch {
	char *token_hash;   /* 64 hex digits */
	int64_t learner_id;
	char *package;      /* manifest identifier */
	char *item;         /* manifest item identifier */
	char *version_hash; /* the version it plays (set again when the session starts) */
	int64_t attempt_id; /* 0 until the player frame started the session */
	int64_t session;    /* the CMI session it began (0 until started) */
	int64_t expires;    /* Unix seconds */
} store_launch;

/* An account (team mode): a learner with an email. Owned strings; store_user_clear. */
typedef struct store_user {
	int64_t id;
	char *ident;         /* what content sees as the learner id: never the email */
	char *email;         /* lower case */
	char *name;
	char *role;          /* "learner", "manager" or "admin" */
	char *password_hash; /* argon2id (libsodium crypto_pwhash_str), NULL until set */
	int64_t stored_bytes; /* bytes of this learner's journal (the stored-bytes quota) */
	char *created_at;
} store_user;

typedef struct store_group {
	int64_t id;
	char *name;
	int64_t members, managers;
} store_group;

/* A person in a group: a member (learner) or one of its managers. */
typedef struct store_member {
	int64_t group_id, user_id;
	char *group_name, *email, *name, *ident;
	int manager;
} store_member;

/* A package assigned to a group. */
typedef struct store_assignment {
	int64_t group_id;
	char *group_name, *package, *assigned_at;
} store_assignment;

typedef struct store_audit {
	int64_t id;
	char *at, *actor, *action, *target, *detail;
} store_audit;

typedef struct store_ops {
	void (*close)(store *s);
	/* Adds a version (no-op when the hash is known) and makes it the package's current one.
	 * *previous gets the hash of the version it replaced (NULL when new or unchanged). */
	int (*version_put)(store *s, const store_version *v, char **previous);
	/* The current version of every package, ordered by title. */
	int (*version_list)(store *s, store_version **out, size_t *n);
	/* Finds or creates a learner; *id gets its key. */
	int (*learner_ensure)(store *s, const char *ident, const char *name, int64_t *id);
	/* The learner's open attempt on the package, or a new one (numbered after the last, which
	 * stays in the history) when there is none or the last is closed. *created says which. */
	int (*attempt_launch)(store *s, int64_t learner_id, const char *package, const char *hash,
			      store_attempt *out, int *created);
	/* The learner's latest attempt on a package: PC_ENOTFOUND when none. */
	int (*attempt_latest)(store *s, int64_t learner_id, const char *package, store_attempt *out);
	/* The learner, package and version of an attempt (for checking a commit's target). */
	int (*attempt_owner)(store *s, int64_t attempt_id, int64_t *learner_id, char **package,
			     char **hash);
	/* The stored CMI state of one SCO and its revision (see store_sco_write): *state NULL, *seq
	 * -1 and *rev 0 when nothing was committed. */
	int (*sco_get)(store *s, int64_t attempt_id, const char *item, char **state, int64_t *seq,
		       int64_t *rev);
	/* Group commit: begin takes the writer, end commits (durably) or rolls back everything. */
	int (*batch_begin)(store *s);
	int (*batch_end)(store *s, int commit);
	/* Inside a batch: a savepoint per commit, so one failing write does not undo the others. */
	int (*sco_put)(store *s, const store_sco_write *w);
	int (*attempt_close)(store *s, int64_t attempt_id);
	/* Reports. */
	int (*records)(store *s, const store_filter *f, store_record **out, size_t *n);
	int (*interactions)(store *s, const store_filter *f, store_interaction_row **out, size_t *n);
	/* Counts for /metrics: commits journaled, attempts. */
	int (*counts)(store *s, int64_t *commits, int64_t *attempts, int64_t *learners);
	/* SCORM 2004 4th Edition shared data (adl.data): the learner's bucket `target` of a package,
	 * kept for one attempt (attempt_id) or for all of them (attempt_id 0). shared_get sets
	 * *value NULL when nothing was ever written (the caller frees *value). shared_put runs in
	 * the caller's batch like sco_put; PC_ENOTFOUND when the package is unknown. */
	int (*shared_get)(store *s, int64_t learner_id, const char *package, int64_t attempt_id,
			  const char *target, char **value);
	int (*shared_put)(store *s, int64_t learner_id, const char *package, int64_t attempt_id,
			  const char *target, const char *value);
	/* A learner's key by identifier without creating one (requests that only read): 0, or
	 * PC_ENOTFOUND. */
	int (*learner_find)(store *s, const char *ident, int64_t *id);
	/* A learner's identifier and name by key (the caller frees both): 0 or PC_ENOTFOUND. */
	int (*learner_get)(store *s, int64_t id, char **ident, char **name);
	/* Launch tokens. launch_put stores a new one (attempt_id and session 0). launch_get fills
	 * *out (free with store_launch_clear) or answers PC_ENOTFOUND; expiry is the caller's
	 * check. launch_start binds it, inside the commit queue's batch, to the attempt and session it
	 * began (PC_ENOTFOUND when unknown). */
	int (*launch_put)(store *s, const store_launch *l);
	int (*launch_get)(store *s, const char *token_hash, store_launch *out);
	int (*launch_start)(store *s, const char *token_hash, int64_t attempt_id,
			    const char *version_hash, int64_t session);
	/* Package files (the zips, named by their SHA-256) where every node can read them. A store
	 * on one machine (SQLite) keeps no copy, as the data folder is that place: put succeeds
	 * without storing and get answers PC_ENOTFOUND. A shared store (PostgreSQL) keeps the bytes:
	 * put copies the file at `path` in (nothing when the hash is known), get writes them to
	 * `path` (a new file, fsynced; removed again on failure). */
	int (*package_file_put)(store *s, const char *hash, const char *path);
	int (*package_file_get)(store *s, const char *hash, const char *path);
	/* Storage health for /healthz and start-up: 0 when the store answers and its checks pass
	 * (`thorough`: SQLite PRAGMA quick_check; PostgreSQL: the schema, and the settings that make
	 * commits durable), else an error with the reason in `why`. */
	int (*check)(store *s, int thorough, char *why, size_t whysize);
	/* Copies the text of the store's most recent failure (any thread) into out ("" if none). */
	void (*last_error)(store *s, char *out, size_t size);
	/* Deletes what expired before `now` (Unix seconds): launch tokens, sessions, one-time links,
	 * and sign-in failures counted over a day earlier. */
	int (*prune_expired)(store *s, int64_t now);

	/* Accounts. user_add stores ident, email, name, role and password_hash (may be NULL) of *u
	 * and gives the key in *id: PC_EINVAL when the email or ident is taken. user_get finds one by
	 * key (email NULL) or by email: PC_ENOTFOUND. user_list: every account, by name. user_update
	 * sets whichever of password hash, role and name is not NULL (PC_ENOTFOUND). The caller
	 * frees with store_user_clear / store_users_free. */
	int (*user_add)(store *s, const store_user *u, int64_t *id);
	int (*user_get)(store *s, int64_t id, const char *email, store_user *out);
	int (*user_list)(store *s, store_user **out, size_t *n);
	int (*user_update)(store *s, int64_t id, const char *password_hash, const char *role,
			   const char *name);
	/* Erases a learner and everything kept about them, the journal included, in one
	 * transaction: PC_ENOTFOUND when there is no such learner. */
	int (*learner_erase)(store *s, int64_t id);
	/* Bytes of the learner's journal, inside the commit queue's batch too (PC_ENOTFOUND). */
	int (*learner_usage)(store *s, int64_t id, int64_t *bytes);
	/* Deletes journal rows received before `before` (ISO 8601 UTC, as received_at); *deleted
	 * says how many. The latest state of every SCO is kept: only the history goes. */
	int (*journal_prune)(store *s, const char *before, int64_t *deleted);

	/* Sessions of signed-in people, by the SHA-256 of their cookie's token. session_get:
	 * PC_ENOTFOUND when unknown (expiry is the caller's check; *csrf is the caller's).
	 * session_delete deletes one (token_hash) or, with token_hash NULL, every one of user_id. */
	int (*session_put)(store *s, const char *token_hash, int64_t user_id, const char *csrf,
			   int64_t expires);
	int (*session_get)(store *s, const char *token_hash, int64_t *user_id, char **csrf,
			   int64_t *expires);
	int (*session_delete)(store *s, const char *token_hash, int64_t user_id);
	/* One-time links (invitations, password resets), by the SHA-256 of their token; the same
	 * shapes as the sessions'. */
	int (*invite_put)(store *s, const char *token_hash, int64_t user_id, int64_t expires);
	int (*invite_get)(store *s, const char *token_hash, int64_t *user_id, int64_t *expires);
	int (*invite_delete)(store *s, const char *token_hash, int64_t user_id);

	/* Groups: a manager's team. group_add: PC_EINVAL when the name is taken. member_set adds a
	 * person to a group or changes whether they manage it (PC_ENOTFOUND: no such group or
	 * person). member_list filters by group and/or person (0: any). Assignments: packages a
	 * group is asked to do; assignment_list gives those of the groups `user` belongs to (0: of
	 * every group). */
	int (*group_add)(store *s, const char *name, int64_t *id);
	int (*group_list)(store *s, store_group **out, size_t *n);
	int (*member_set)(store *s, int64_t group, int64_t user, int manager);
	int (*member_remove)(store *s, int64_t group, int64_t user);
	int (*member_list)(store *s, int64_t group, int64_t user, store_member **out, size_t *n);
	int (*assignment_set)(store *s, int64_t group, const char *package, int assigned);
	int (*assignment_list)(store *s, int64_t user, store_assignment **out, size_t *n);

	/* Sign-in throttling by key ("address:..." or "email:..."): throttle_hit counts one failure
	 * in the window of `window` seconds ending at `now` (a new window when the last one is over)
	 * and answers the count; throttle_count reads it (0 when none); throttle_clear forgets it. */
	int (*throttle_hit)(store *s, const char *key, int64_t now, int64_t window, int64_t *count);
	int (*throttle_count)(store *s, const char *key, int64_t now, int64_t window,
			      int64_t *count);
	int (*throttle_clear)(store *s, const char *key);

	/* The audit log: who did what to whom (account changes, erasures, retention). */
	int (*audit_add)(store *s, const char *actor, const char *action, const char *target,
			 const char *detail);
	int (*audit_list)(store *s, int64_t limit, store_audit **out, size_t *n);

	/* Sequencing (SCORM 2004, runtime/sn; store_*_seq.c). seq_get: the attempt's tracking
	 * state and its revision (*state NULL and *rev 0 when none was stored; the caller frees
	 * *state). seq_put: stores it with the rolled-up result, in the caller's batch like sco_put,
	 * fenced on expect_rev (PC_ECONFLICT when another writer changed it first). seq_globals_get/
	 * put: the learner's global objectives (sn_globals_save's text, shared by every package the
	 * learner plays; *globals NULL when none); not fenced: the last write wins, and writers read
	 * them again before every use. seq_records: the package-level rows with the filters of
	 * `records` (status and the time range apply to the rolled-up values), ordered by learner,
	 * package and attempt number (free with store_seq_records_free). Errors: PC_EIO,
	 * PC_ENOMEM. Reads see the caller's open batch. */
	int (*seq_get)(store *s, int64_t attempt_id, char **state, int64_t *rev);
	int (*seq_put)(store *s, const store_seq_write *w);
	int (*seq_globals_get)(store *s, int64_t learner_id, char **globals);
	int (*seq_globals_put)(store *s, int64_t learner_id, const char *globals);
	int (*seq_records)(store *s, const store_filter *f, store_seq_record **out, size_t *n);
} store_ops;

/* Every back end's handle starts with this. */
struct store {
	const store_ops *ops;
};

/* Opens (creating and migrating when needed) the store named by `where`: a PostgreSQL URL
 * (postgresql://… or postgres://…) or an SQLite file path (":memory:" for a throwaway one).
 * Returns 0, PC_EIO with the reason in `err` (may be NULL), PC_EFORMAT when the store has a
 * newer schema than this binary knows, PC_EINVAL for a PostgreSQL URL in a build without
 * PostgreSQL. */
int store_open(store **out, const char *where, char *err, size_t errsize);
/* 1 when `where` names a PostgreSQL database. */
int store_is_pg(const char *where);

/* Opens (creating and migrating when needed) an SQLite store: a file path, or ":memory:".
 * Returns 0, PC_EIO with the reason in `err` (may be NULL), or PC_EFORMAT when the file is a
 * newer schema than this binary knows. */
int store_sqlite_open(store **out, const char *path, char *err, size_t errsize);
/* The schema version this binary writes (migrations are numbered 1..N, the same in every back
 * end). */
int store_sqlite_schema_version(void);
/* The SQL of migration `step` (1..N), NULL past them: tests build older databases with it. */
const char *store_sqlite_migration_sql(int step);
#ifdef POSTCARD_WITH_PG
/* The same for PostgreSQL (libpq conninfo or URL). */
int store_pg_open(store **out, const char *conninfo, char *err, size_t errsize);
int store_pg_schema_version(void);
#endif

void store_close(store *s);
void store_version_clear(store_version *v);
void store_versions_free(store_version *v, size_t n);
void store_attempt_clear(store_attempt *a);
/* A deep copy of *src into *dst: 0, or PC_ENOMEM with *dst cleared. */
int store_attempt_copy(store_attempt *dst, const store_attempt *src);
void store_records_free(store_record *r, size_t n);
void store_interaction_rows_free(store_interaction_row *r, size_t n);
void store_launch_clear(store_launch *l);
void store_user_clear(store_user *u);
void store_users_free(store_user *u, size_t n);
void store_groups_free(store_group *g, size_t n);
void store_members_free(store_member *m, size_t n);
void store_assignments_free(store_assignment *a, size_t n);
void store_audit_free(store_audit *a, size_t n);
void store_seq_records_free(store_seq_record *r, size_t n);

#endif
