/* Private to runtime/: the application context every handler receives (store, package
 * catalogue, zip server, commit queue, counters) and the functions the handler files share. */
#ifndef POSTCARD_APP_H
#define POSTCARD_APP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "cmi.h"
#include "http.h"
#include "runtime.h"
#include "scolist.h"
#include "store.h"
#include "zipserve.h"

/* One package version the server can play. Immutable once published in the catalogue, and
 * never freed before the app: handlers hold plain pointers without locking. */
typedef struct rt_pkg {
	char *id; /* manifest identifier */
	char hash[65];
	char *zip_path;
	sco_list *scos;
} rt_pkg;

typedef struct commitq commitq;

struct rt_app {
	char *data_dir, *db_path, *learner, *learner_name;
	unsigned threads;
	rt_log_fn log;
	void *log_ctx;
	int preview;
	store *st;
	zipserve *zs;
	commitq *cq;
	int64_t learner_id; /* the local learner's key */
	/* Learner keys by cookie identifier, so a request never waits on the store's writer (which
	 * a group commit holds through its fsync) just to learn who is asking. Keys never change. */
	struct learner_slot *learner_cache;
	pthread_mutex_t learner_lock;
	pthread_rwlock_t lock; /* the catalogue below */
	rt_pkg **current; /* the current version of each package */
	size_t ncurrent;
	rt_pkg **all; /* every version loaded, current or retired (freed with the app) */
	size_t nall, capall;
	/* Counters for /metrics. */
	atomic_ullong requests, responses_2xx, responses_3xx, responses_4xx, responses_5xx;
	atomic_ullong commits_ok, commits_failed, commit_batches;
	atomic_size_t body_bytes; /* request body bytes the server holds, over all connections */
	/* Largest /api/records answer; 0 means HTTP_MAX_RESPONSE (tests lower it to stay small). */
	size_t records_max;
	/* Preview. */
	atomic_uint preview_generation;
	pthread_mutex_t preview_lock;
	char *preview_error;
};

/* The current version of a package, or NULL. Borrowed (lives as long as the app). */
const rt_pkg *app_find_package(rt_app *app, const char *id);
/* A loaded version by hash (current or retired), or NULL. */
const rt_pkg *app_find_version(rt_app *app, const char *hash);
/* A snapshot of the current packages: a malloc'd array of borrowed pointers (free the array). */
int app_packages(rt_app *app, const rt_pkg ***out, size_t *n);
/* Loads a stored version into memory (parses its manifest), publishing it as current when
 * `make_current`. */
int app_load_version(rt_app *app, const char *package, const char *hash, int make_current,
		     const rt_pkg **out);

/* Picks up versions imported by another process (`postcard import` while serving). */
int app_refresh(rt_app *app);

/* The learner a request acts for: the `pc_learner` cookie when it names a valid identifier
 * (tests and benchmarks simulate many learners that way), else the configured local learner.
 * Fills ident (size >= 65) and returns the learner key, or -1 on a store error. */
int64_t app_request_learner(rt_app *app, const http_request *req, char *ident, size_t size);
/* The learner identifier a Cookie header carries in `pc_learner`: 1..64 characters of
 * [A-Za-z0-9._@-]. Returns 1 and fills out (NUL-terminated), or 0 when absent or invalid. */
int app_learner_cookie(const char *cookies, char *out, size_t size);

/* Route handlers (routes.c dispatches to them). */
void page_catalogue(rt_app *app, const http_request *req, http_response *resp);
void page_player(rt_app *app, const http_request *req, http_response *resp);
void page_records(rt_app *app, const http_request *req, http_response *resp);
void page_new_attempt(rt_app *app, const http_request *req, http_response *resp);
void api_launch(rt_app *app, const http_request *req, http_response *resp);
void api_commit(rt_app *app, const http_request *req, http_response *resp);
void api_records(rt_app *app, const http_request *req, http_response *resp);
void api_preview(rt_app *app, const http_request *req, http_response *resp);

/* Launching a SCO (launch.c): through the commit queue, so it is ordered with commits. */
typedef struct tracking_launch_result {
	int status; /* HTTP status: 200, 404, 500, 503 */
	char detail[160];
	const rt_pkg *pkg;     /* the version the attempt plays (may be older than current) */
	store_attempt attempt; /* owned */
	unsigned long session;
	char *initial; /* the adapter's `initial` JSON, owned */
} tracking_launch_result;
int tracking_launch(rt_app *app, const rt_pkg *pkg, const char *item, int64_t learner_id,
		    const char *learner_ident, const char *learner_name, tracking_launch_result *res);
void tracking_launch_clear(tracking_launch_result *res);

/* Shared data (shared_data.c), called by the commit queue inside its batch: seeds a launched
 * 4th Edition SCO's adl.data rows from its item's maps and the learner's buckets (after
 * cmi_session_begin), and stores the buckets the SCO wrote (after a commit was applied). Both
 * do nothing for other versions. Return 0, PC_ENOMEM or the store's error. */
int shared_data_seed(store *s, int64_t learner_id, const rt_pkg *pkg, int64_t attempt_id,
		     const sco_item *item, cmi_state *st);
int shared_data_write(store *s, int64_t learner_id, const rt_pkg *pkg, int64_t attempt_id,
		      cmi_state *st);

/* The commit queue (commitq.c): one writer thread batching commits into transactions. */
int commitq_new(commitq **out, rt_app *app);
void commitq_free(commitq *q);

/* Dispatches a request through the route table: generic checks (unknown route 404, wrong
 * method 405 with Allow, body too large 413, URL too long 414) run here, once. */
void routes_dispatch(rt_app *app, http_request *req, http_response *resp);
/* The largest body the route for `method` and `path` (query-less) reads: the server refuses a
 * larger declared Content-Length before reading it. */
size_t routes_body_limit(const char *method, const char *path);

#endif
