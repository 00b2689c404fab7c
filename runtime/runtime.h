/* The runtime library's public interface, what the CLI calls: open an app (the store, the
 * package catalogue, the commit queue), import packages, run the HTTP server, print records.
 * Nothing here prints: the access log goes to a callback, findings to a diagnostics sink. */
#ifndef POSTCARD_RUNTIME_H
#define POSTCARD_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"

typedef struct rt_app rt_app;
typedef struct rt_server rt_server;

typedef void (*rt_log_fn)(void *ctx, const char *line);

/* A request head (request line and headers) must arrive whole within this many seconds of
 * the connection opening or the previous answer, or the connection is closed (slowloris). */
#define RT_HEADER_TIMEOUT 30
/* Team mode's quotas per learner: a SCO commits after each answer and when the page goes (in
 * 64 KB envelopes), so a learner rarely needs ten a minute; 120 with bursts of as many leaves
 * room for several tabs and retries. 64 MiB of records is thousands of modules' worth. */
#define RT_COMMITS_PER_MINUTE 120
#define RT_LEARNER_BYTES ((int64_t)64 << 20)

typedef struct rt_config {
	const char *data_dir; /* packages are stored in DATA/packages/<sha256>.zip */
	const char *db_path;  /* NULL: DATA/postcard.db; ":memory:" for a throwaway store; or a
			       * PostgreSQL URL (postgresql://...) shared by several nodes */
	const char *learner;  /* the local learner's identifier (no accounts yet) */
	const char *learner_name;
	unsigned threads;     /* HTTP worker threads; 0 = one per core */
	unsigned header_timeout; /* seconds a request head may take, however it trickles in;
				  * 0 = RT_HEADER_TIMEOUT */
	rt_log_fn log;        /* access log, one line per request; NULL = none */
	void *log_ctx;
	int preview;          /* preview mode: live reload and build errors in the page */
	int simulate_learners; /* local mode: a `pc_learner` cookie on the app origin picks the
				 learner (tests and benchmarks simulate many learners so) */
	/* `serve`: check the store thoroughly before starting (refusing a damaged one) and hold
	 * the data folder's serve lock (one server per SQLite data folder). */
	int serve;
	rt_log_fn warn;       /* storage failures, one line each; NULL = none */
	int no_learner;       /* import, records: no local learner is written */
	/* Team mode (on once an account exists): the public address of the app behind a proxy
	 * ("https://lms.example.org") and the packages' (the pattern *.lms.example.org over https); NULL for the
	 * local names (postcard.localhost). */
	const char *public_url;
	const char *content_url;
	unsigned pw_cost; /* 1: argon2id's minimum cost instead of its interactive one (tests) */
	/* Team mode: commits a minute per learner (0 = RT_COMMITS_PER_MINUTE) and bytes a learner's
	 * records may take in the store (0 = RT_LEARNER_BYTES). Local mode has no quotas. */
	unsigned commits_per_minute;
	int64_t learner_bytes;
} rt_config;

/* Opens the data folder and the store (creating both when needed), loads the catalogue and
 * starts the commit queue. On failure returns a code with the reason in `err`. */
int rt_app_new(rt_app **out, const rt_config *cfg, char *err, size_t errsize);
void rt_app_free(rt_app *app);

typedef struct rt_import_result {
	char package[256];  /* manifest identifier */
	char title[256];
	char hash[65];
	char previous[65];  /* hash of the version this one replaced, "" if none */
	int already;        /* this exact zip was already stored */
	int scos, previous_scos;
	char edition[32];          /* "SCORM 2004 4th Edition", ... */
	char previous_edition[32]; /* of the version it replaced, "" if none */
	char changes[1024]; /* what changed since the previous version, one line per change */
} rt_import_result;

/* Validates a SCORM zip (findings to `sink`), then stores it by content hash and makes it the
 * package's current version. Learners' records are keyed by the manifest identifier and item
 * identifiers, so they carry over to the new version. Returns 0; PC_EINVALID when validation
 * reported errors (nothing stored); PC_EIO/PC_EFORMAT/PC_ELIMIT with the reason in `sink`. */
int rt_import(rt_app *app, const char *zip_path, diag_sink *sink, rt_import_result *res);

/* Receives the report a block (at most ~64 KiB plus one row) at a time, in order; returns 0, or
 * an error code that stops the report and is returned by rt_records. */
typedef int (*rt_records_sink)(void *ctx, const char *data, size_t len);

/* For `records --package X` when X is no package's identifier: whether X is the title of a
 * stored package (ASCII case ignored), whose identifier then goes to out. Returns 1 when X is
 * an identifier, 0 with out filled when it is a title, PC_ENOTFOUND when neither, or the
 * store's error. */
int rt_package_check(rt_app *app, const char *id, char *out, size_t size);

/* 1 when the app is in team mode (an account exists): every page then needs a signed-in person,
 * and --listen may name any address. */
int rt_app_accounts(const rt_app *app);

/* Accounts (team mode), for `postcard user`. Each returns 0, or an error code with the reason in
 * err: PC_EINVAL (bad email, name, role or password, or the email is taken), PC_ENOTFOUND (no
 * such account), or the store's error. rt_user_add: role "learner", "manager" or "admin";
 * password NULL leaves it unset (a one-time link sets it). rt_user_erase removes the person and
 * everything kept about them, the journal included; it is audited. */
int rt_user_add(rt_app *app, const char *email, const char *name, const char *role,
		const char *password, char *err, size_t errsize);
int rt_user_password(rt_app *app, const char *email, const char *password, char *err,
		     size_t errsize);
int rt_user_erase(rt_app *app, const char *email, char *err, size_t errsize);
/* One line per account ("EMAIL ROLE NAME") to the sink. */
int rt_user_list(rt_app *app, rt_records_sink sink, void *ctx);
/* Journal retention: deletes journal rows older than `days` days (the current state of every
 * SCO stays), audited. *deleted gets the count. */
int rt_journal_prune(rt_app *app, unsigned days, int64_t *deleted);

/* Starts listening on "HOST:PORT" (port 0 picks a free one). Only loopback hosts are allowed
 * without accounts. Returns PC_EINVAL with the explanation in `err` for any other. */
int rt_server_start(rt_server **out, rt_app *app, const char *listen, char *err, size_t errsize);
/* Checks a --listen value the way rt_server_start will (HOST:PORT; a loopback address unless
 * `any`, as with accounts) without binding anything, so a command can refuse it before creating
 * files. 0; PC_EINVAL (not HOST:PORT) or PC_ELIMIT (not loopback) with the reason in err. */
int rt_listen_check(const char *listen, int any, char *err, size_t errsize);
/* The port actually bound. */
unsigned rt_server_port(const rt_server *s);
void rt_server_stop(rt_server *s);

/* Preview mode: the page polls this generation counter and reloads when it changes; `error`
 * (may be NULL) is shown in the page above the last package that built, and `warnings` (may be
 * NULL: none) above the content of a build that worked. */
void rt_preview_set(rt_app *app, const char *error, const char *warnings);

typedef enum rt_records_format { RT_RECORDS_TABLE, RT_RECORDS_CSV, RT_RECORDS_JSON } rt_records_format;

typedef struct rt_records_query {
	const char *package; /* manifest identifier or NULL */
	const char *learner; /* learner identifier or NULL */
	int interactions;    /* also every answer */
	rt_records_format format;
} rt_records_query;

/* Writes the records report to `sink`. The report is never held whole, so its size has no cap
 * (the rows the store returns are, for now, read into memory at once). Returns 0, a store
 * error, or the sink's error. */
int rt_records(rt_app *app, const rt_records_query *q, rt_records_sink sink, void *ctx);

#endif
