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
/* A content origin's label: "p" and 24 hex digits (origin.c). */
#define ORIGIN_LABEL_SIZE 26

typedef struct rt_pkg {
	char *id; /* manifest identifier */
	char hash[65];
	char label[ORIGIN_LABEL_SIZE]; /* its content origin (origin.c) */
	char *zip_path;
	sco_list *scos;
} rt_pkg;

typedef struct commitq commitq;
typedef struct launch_cache launch_cache;

struct rt_app {
	char *data_dir, *db_path, *learner, *learner_name;
	unsigned threads;
	rt_log_fn log;
	void *log_ctx;
	int preview;
	int simulate_learners; /* the pc_learner cookie picks the learner (tests, benchmarks) */
	unsigned port;         /* the port listened on, once the server started */
	launch_cache *launches;
	int shared_store; /* PostgreSQL: other nodes write the same store */
	int serve_lock;   /* the data folder's serve lock (fd), or -1 */
	rt_log_fn warn;
	/* The store's write path as last seen by the commit queue (/healthz): 0 or the error of
	 * the last failed write, with its reason; cleared by the next write that succeeds. */
	pthread_mutex_t health_lock;
	int health_rc;
	char health_why[256];
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
	char *preview_warnings;
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

/* A store write failed with `rc`: fills `detail` with "what: why" (why: no space left on the
 * data folder, another node writing the same attempt, or the store's own reason), marks the
 * write path failing for /healthz and logs it. */
void app_store_failed(rt_app *app, int rc, const char *what, char *detail, size_t size);
/* A store write succeeded: the write path is healthy again. */
void app_store_ok(rt_app *app);
/* Storage health for /healthz: 0, or an error with the reason in `why`. */
int app_store_health(rt_app *app, char *why, size_t size);

/* Copies a package file from a shared store to `path` in this node's data folder (through a
 * temporary file, checked against its SHA-256, then renamed). 0, PC_ENOTFOUND or PC_EIO. */
int app_fetch_package(rt_app *app, const char *hash, const char *path);

/* Forgets what the app keeps in memory about learners and sessions (cached states, open
 * sessions, launch grants, learner keys), zeroes its counters and marks the store healthy, as
 * if it had just started: for the request fuzzer, which restores its store to the same rows
 * after every input instead of paying for a new app (a thread, a schema, two manifests).
 * Anything new that remembers learners or sessions in memory must be forgotten here too. No
 * request may be in flight. */
void app_forget(rt_app *app);

/* Picks up versions imported by another process (`postcard import` while serving). */
int app_refresh(rt_app *app);

/* The learner a request on the app origin acts for: with simulate_learners, the `pc_learner`
 * cookie when it names a valid identifier (tests and benchmarks simulate many learners that
 * way), else the configured local learner. Fills ident (size >= 65) and returns the learner key;
 * 0 when the learner is not stored yet and `create` is 0 (a request that only reads must not
 * write); -1 on a store error. */
int64_t app_request_learner(rt_app *app, const http_request *req, char *ident, size_t size,
			    int create);
/* The learner identifier a Cookie header carries in `pc_learner`: 1..64 characters of
 * [A-Za-z0-9._@-]. Returns 1 and fills out (NUL-terminated), or 0 when absent or invalid. */
int app_learner_cookie(const char *cookies, char *out, size_t size);

/* ---- Origins (origin.c) --------------------------------------------------------------------- */
typedef enum { ORIGIN_REFUSED, ORIGIN_APP, ORIGIN_CONTENT } origin_kind;
/* A package's content origin label (ORIGIN_LABEL_SIZE bytes with the NUL). */
void origin_label(const char *package_id, char out[ORIGIN_LABEL_SIZE]);
/* Which origin a Host header names; fills `label` for a content origin. ORIGIN_REFUSED for any
 * other host (answered 421: DNS rebinding). */
origin_kind origin_classify(const rt_app *app, const char *host, char label[ORIGIN_LABEL_SIZE]);
/* Appends the content origin of `pkg` ("http://p....localhost:8080") as a browser that sent the
 * app request `req` reaches it. */
void origin_content_url(const rt_app *app, const http_request *req, const rt_pkg *pkg, buf *out);
/* CSP sources: the app origins that may frame a player frame, and the content origins the app's
 * pages may frame. */
const char *origin_frame_ancestors(const rt_app *app);
const char *origin_frame_src(const rt_app *app);

/* ---- Launch tokens (launch_auth.c) ------------------------------------------------------------ */
#define LAUNCH_TOKEN_LEN HTTP_TOKEN_LEN /* 32 random bytes in base64url without padding */
typedef enum { LAUNCH_FRAME, LAUNCH_START, LAUNCH_COMMIT, LAUNCH_FILES, LAUNCH_NAV } launch_action;
/* What a launch token allows (a copy: the package version pointer is borrowed from the app). */
typedef struct launch_grant {
	int64_t learner_id;
	const rt_pkg *pkg; /* the version it plays */
	char item[512];
	int64_t attempt_id;    /* 0 until the session started (LAUNCH_START) */
	unsigned long session; /* the CMI session it began */
	char token_hash[65];
} launch_grant;
int launch_cache_new(launch_cache **out);
void launch_cache_free(launch_cache *c);
/* Forgets every cached grant (after revoking tokens: a learner erased). */
void launch_cache_clear(launch_cache *c);
/* 1 when `token` has a token's shape (43 base64url characters). */
int launch_token_valid(const char *token);
/* Makes and stores a token for the learner to play `item` of `pkg`. Returns 0 or the store's
 * error. */
int launch_token_new(rt_app *app, int64_t learner_id, const rt_pkg *pkg, const char *item,
		     char token[LAUNCH_TOKEN_LEN + 1]);
/* The one check of every player->server call on a content origin: whether `token` (from the
 * request's path) allows `what` on the origin the request came to. Returns 0 with the grant, or
 * -1 with the JSON error in resp (404 unknown, expired or another origin's; 409 not started yet
 * or started already; 503 the store does not answer). */
int launch_authorize(rt_app *app, const http_request *req, const char *token, launch_action what,
		     launch_grant *g, http_response *resp);
/* Records in the cache that the launch started (its grant now has attempt and session). */
void launch_started(rt_app *app, const char *token, const launch_grant *g);

/* ---- Content origin (content.c) --------------------------------------------------------------- */
/* GET /l/<token>/ (the player frame), POST /l/<token>/launch, POST /l/<token>/commit,
 * GET /l/<token>/c/<path> (package files). */
void content_launch_route(rt_app *app, const http_request *req, http_response *resp);
/* The largest body a content route reads (commits: HTTP_MAX_BODY). */
size_t content_body_limit(const char *method, const char *path);
/* Commits a request body to one SCO of an attempt for a learner (commit.c): answers at once or
 * defers (see http_deferred). */
void commit_request(rt_app *app, const http_request *req, int64_t attempt_id, const char *item,
		    int64_t learner_id, http_response *resp);

/* Route handlers (routes.c dispatches to them). */
void page_catalogue(rt_app *app, const http_request *req, http_response *resp);
void page_player(rt_app *app, const http_request *req, http_response *resp);
void page_records(rt_app *app, const http_request *req, http_response *resp);
void page_new_attempt(rt_app *app, const http_request *req, http_response *resp);
void api_launch(rt_app *app, const http_request *req, http_response *resp);
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
/* `token_hash` names the launch token the session is bound to (launch_start), in the same batch. */
int tracking_launch(rt_app *app, const rt_pkg *pkg, const char *item, int64_t learner_id,
		    const char *learner_ident, const char *learner_name, const char *token_hash,
		    tracking_launch_result *res);
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
/* Drops every cached state and every session it remembers (app_forget). The queue must be
 * idle: no job queued or running. */
void commitq_forget(commitq *q);

/* Dispatches a request through the route table: generic checks (unknown route 404, wrong
 * method 405 with Allow, body too large 413, URL too long 414) run here, once. */
void routes_dispatch(rt_app *app, http_request *req, http_response *resp);
/* The largest body the route for `method` and `path` (query-less) reads: the server refuses a
 * larger declared Content-Length before reading it. */
size_t routes_body_limit(const char *method, const char *path);

#endif
