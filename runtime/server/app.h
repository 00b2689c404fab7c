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
#include "sn.h"
#include "store.h"
#include "zipserve.h"

/* One package version the server can play. Immutable once published in the catalogue, and
 * never freed before the app: handlers hold plain pointers without locking. */
/* A content origin's label: "p" and 24 hex digits (origin.c). */
#define ORIGIN_LABEL_SIZE 26

struct json_t;

typedef struct rt_pkg {
	char *id; /* manifest identifier */
	char hash[65];
	char label[ORIGIN_LABEL_SIZE]; /* its content origin (origin.c) */
	char *zip_path;
	sco_list *scos;
	/* Per item of scos: the module a Postcard-built SCO carries (pkginfo.c), or NULL. */
	struct pkginfo_module **modules;
	/* SCORM 2004: the activity tree sequencing runs (runtime/sn), read once per version and
	 * shared read-only; NULL for SCORM 1.2, and for a 2004 manifest the engine cannot read
	 * (the reason in sn_error), which then plays by the package list alone. */
	sn_tree *tree;
	char sn_error[160];
} rt_pkg;

typedef struct commitq commitq;
typedef struct launch_cache launch_cache;
typedef struct session_cache session_cache;
typedef struct pwq pwq;
typedef struct quota quota;

struct rt_app {
	char *data_dir, *db_path, *learner, *learner_name;
	unsigned threads;
	unsigned header_timeout; /* seconds for a whole request head (headwatch.h) */
	rt_log_fn log;
	void *log_ctx;
	int preview;
	int simulate_learners; /* the pc_learner cookie picks the learner (tests, benchmarks) */
	int accounts;          /* team mode: accounts exist, so every page needs a signed-in person */
	int https;             /* the public address is https: Secure, __Host- cookies */
	char *public_origin;   /* team mode: "https://lms.example.org", or NULL (local names) */
	char *public_host;     /* its host[:port] */
	char *content_origin;  /* team mode: the pattern *.lms.example.org over https ('*': a package's label) */
	char *content_suffix;  /* what follows the label: ".lms.example.org" */
	char *csp_ancestors, *csp_frames; /* CSP sources for the origins above */
	session_cache *sessions;
	pwq *pw;               /* the password hashing thread (pwq.c) */
	quota *quota;          /* team mode: per-learner commit quotas (quota.c); NULL = none */
	unsigned pw_cost;      /* 0: argon2id's interactive limits; 1: the minimum (tests only) */
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
	uint64_t learner_gen; /* a slot of another generation is empty (app_forget moves it on) */
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

/* ---- What a package says about itself (pkginfo.c) ---------------------------------------------- */
/* Reads each launchable item's module data (Postcard-built SCOs); others stay NULL. */
int pkginfo_load(rt_app *app, rt_pkg *p);
void pkginfo_free(rt_pkg *p);
/* A string of an item's module ("title", "phase", "summary", "id"), or NULL. Borrowed. */
const char *pkginfo_field(const rt_pkg *p, size_t item, const char *field);
/* About how many minutes the item's module takes, or 0 when unknown. */
unsigned pkginfo_minutes(const rt_pkg *p, size_t item);
/* The index of the first item with module data, or -1. */
long pkginfo_first_module(const rt_pkg *p);
/* The prompt of the question an interaction id names, or NULL. Borrowed. */
const char *pkginfo_prompt(const rt_pkg *p, const char *item, const char *interaction_id);
/* Appends a response in letters as its options' text ("Option A; Option C", pairs "x: y",
 * steps "x → y"): 1 when it could, 0 when the response is text already or not one of the
 * question's (nothing appended then). */
int pkginfo_answer(const rt_pkg *p, const char *item, const char *interaction_id,
		   const char *response, buf *out);

/* The learner's reflections in one SCO's stored state (1.2 cmi.comments, 2004 each
 * cmi.comments_from_learner.n.comment without its {lang=..}), each non-empty one handed to
 * `each` in order (records.c). A state that cannot be read has none. */
void app_reflections(rt_app *app, int64_t attempt_id, const char *item,
		     void (*each)(void *ctx, const char *text), void *ctx);

/* A report's rows in their order (records.c): each attempt's SCO rows (`sco` set, `whole`
 * NULL), then, for a sequenced package, the attempt's package-level row (`whole` set, `sco`
 * NULL); a package row without SCO rows in its place by learner, package and attempt. Both
 * lists come from the store ordered that way. Stops at the first non-zero `each` answers and
 * answers it (0 when all rows were walked). */
int app_records_walk(const store_record *r, size_t n, const store_seq_record *pr, size_t np,
		     int (*each)(void *ctx, const store_record *sco, const store_seq_record *whole),
		     void *ctx);

/* A records table's rows as HTML (pages.c), for app_records_walk: the learner's own records
 * page (`team` 0) and the team page (`team` 1: first a learner column, a link to their page).
 * A sequenced package's package-level row reads "Whole package", its score a percentage. */
typedef struct record_table {
	rt_app *app;
	buf *b;
	int team;
} record_table;
int record_table_row(void *ctx, const store_record *sco, const store_seq_record *whole);

/* ---- People (accounts.c, session.c) ----------------------------------------------------------- */
typedef enum { ROLE_LEARNER = 0, ROLE_MANAGER = 1, ROLE_ADMIN = 2 } app_role;
/* Who a request comes from in team mode (a copy, made per request). */
typedef struct app_session {
	int64_t user_id;
	app_role role;
	char ident[65];
	char email[256];
	char name[256];
	char csrf[HTTP_TOKEN_LEN + 1]; /* this session's form token */
	char token_hash[65];
} app_session;

/* Email addresses (RFC 5321), passwords (characters; bytes), argon2id strings, link lifetime. */
#define ACCOUNTS_EMAIL_MAX 254
#define ACCOUNTS_PASSWORD_MIN 10
#define ACCOUNTS_PASSWORD_MAX 256
#define ACCOUNTS_HASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define ACCOUNTS_LINK_TTL ((int64_t)7 * 24 * 3600)
/* The role named `name` ("learner", "manager", "admin"), or -1. */
int accounts_role(const char *name);
const char *accounts_role_name(app_role r);
/* Trims and lower-cases an email address into out; -1 when it does not look like one. */
int accounts_email(const char *in, char *out, size_t size);
/* Why a password cannot be used (a sentence), or NULL when it can. */
const char *accounts_password_problem(const char *pw);
/* argon2id (interactive limits; cost 1: the minimum, for tests). 0 or PC_ENOMEM. */
int accounts_hash(const char *pw, unsigned cost, char out[ACCOUNTS_HASH_MAX]);
/* 1 when `pw` matches the argon2id string `hash` (NULL: no). */
int accounts_verify(const char *hash, const char *pw);
/* A new random token (32 bytes, base64url) and, when `hash` is not NULL, its SHA-256 in hex. */
void accounts_token(char token[HTTP_TOKEN_LEN + 1], char hash[65]);
void accounts_token_hash(const char *token, char hash[65]);
/* Creates an account (password may be NULL: it is set through a one-time link, written to
 * `link` when not NULL). Audited as done by `actor`. PC_EINVAL with the reason in err. */
int accounts_create(rt_app *app, const char *actor, const char *email, const char *name,
		    app_role role, const char *password, int64_t *id, char link[HTTP_TOKEN_LEN + 1],
		    char *err, size_t errsize);
/* A one-time link for the person to set their password (an invitation or a reset). */
int accounts_link(rt_app *app, int64_t user_id, char link[HTTP_TOKEN_LEN + 1]);
/* Erases a person and everything kept about them (store learner_erase), audited. */
int accounts_erase(rt_app *app, const char *actor, int64_t user_id, const char *label);

/* ---- The password thread (pwq.c) -------------------------------------------------------------- */
#define PWQ_MAX 64 /* sign-ins and password changes waiting at once; past it 503 + Retry-After */
typedef enum { PW_VERIFY, PW_HASH } pw_kind;
typedef struct pw_job {
	pw_kind kind;
	char password[ACCOUNTS_PASSWORD_MAX + 1]; /* wiped once used */
	char hash[ACCOUNTS_HASH_MAX]; /* verify: the stored hash ("" when no account); hash: out */
	int ok;
	int done;
	/* Called from the password thread once done, or NULL to wait in pwq_submit. */
	void (*notify)(void *ctx);
	void *notify_ctx;
	struct pw_job *next;
} pw_job;
int pwq_new(pwq **out, unsigned cost);
void pwq_free(pwq *q);
/* Queues a job: waits for it without a notify callback. PC_ELIMIT when PWQ_MAX are waiting. */
int pwq_submit(pwq *q, pw_job *j);

/* ---- Sessions (session.c) ---------------------------------------------------------------------- */
/* A session lasts this long from sign-in (no sliding: a request never writes to find who it is). */
#define SESSION_TTL ((int64_t)12 * 3600)
int session_cache_new(session_cache **out);
void session_cache_free(session_cache *c);
void session_cache_clear(session_cache *c);
/* Who the request's session cookie belongs to: 1 and *out filled, 0 when none (no cookie, an
 * unknown or expired token, an erased person), -1 when the store does not answer. */
int session_of(rt_app *app, const http_request *req, app_session *out);
/* Starts a session for a person: stores it and adds its Set-Cookie to resp. */
int session_start(rt_app *app, int64_t user_id, http_response *resp);
/* Ends the request's session (if any) and expires its cookie. */
void session_end(rt_app *app, const http_request *req, http_response *resp);
/* 1 when a form's csrf field (or an X-CSRF-Token header) is this session's token. */
int session_csrf_ok(const app_session *s, const http_request *req);
/* Appends the cookie name for sessions (__Host-pc_session over https, else pc_session). */
const char *session_cookie_name(const rt_app *app);

/* One CSV cell (RFC 4180 quoting) and its separator (',' or, when last, a line break); a cell a
 * spreadsheet would take for a formula is prefixed with ' (records.c). */
void csv_cell(buf *b, const char *s, int last);

/* ---- CSV uploads (csvin.c) ---------------------------------------------------------------------- */
/* An uploaded list of people: 256 KiB, 2000 rows (a large trust's department at once), 8 fields
 * of 256 bytes each (an email is at most 254). */
#define CSV_TEXT_MAX (256 << 10)
#define CSV_ROWS_MAX 2000
#define CSV_FIELDS_MAX 8
#define CSV_FIELD_MAX 256
typedef struct csv_row {
	char *fields[CSV_FIELDS_MAX];
	size_t n;
	size_t line; /* where the row starts, from 1 */
} csv_row;
/* Parses CSV text (UTF-8; a leading byte order mark is skipped; empty lines too). Returns 0 with
 * the rows (the caller frees them with csv_rows_free), or PC_EFORMAT / PC_ELIMIT / PC_ENOMEM
 * with a one-line reason naming the line in err. */
int csv_parse(const char *text, size_t len, csv_row **rows, size_t *nrows, char *err,
	      size_t errsize);
void csv_rows_free(csv_row *rows, size_t n);

/* ---- Page layout (layout.c) --------------------------------------------------------------------- */
enum layout_nav { NAV_NONE, NAV_PACKAGES, NAV_RECORDS, NAV_TEAM, NAV_ADMIN };
/* Appends text for HTML: escaped, control characters and bidirectional overrides replaced. */
void html_text(buf *b, const char *s);
/* Percent-encodes a path segment. */
void url_segment(buf *b, const char *s);
/* The page's head, skip link and header: navigation for who is signed in (req may be NULL). */
void layout_head(rt_app *app, const http_request *req, buf *b, const char *title,
		 enum layout_nav current, const char *body_class);
void layout_foot(rt_app *app, buf *b);
/* Content type and the headers every page is sent with (no caching, CSP); 500 when the page
 * grew past the response limit. */
void layout_finish(rt_app *app, http_response *resp);
/* The hidden CSRF field of a form (nothing in local mode). */
void layout_csrf(const http_request *req, buf *b);

/* ---- Origins (origin.c) --------------------------------------------------------------------- */
typedef enum { ORIGIN_REFUSED, ORIGIN_APP, ORIGIN_CONTENT } origin_kind;
/* A package's content origin label (ORIGIN_LABEL_SIZE bytes with the NUL). */
void origin_label(const char *package_id, char out[ORIGIN_LABEL_SIZE]);
/* Sets the public origins of team mode from --public-url and --content-url (NULL: the default
 * pattern, *.<public host> with the same scheme). Nothing to do without a public URL (local names). */
int origin_setup(rt_app *app, const char *public_url, const char *content_url, char *err,
		 size_t errsize);
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
void page_login(rt_app *app, const http_request *req, http_response *resp);
void page_login_post(rt_app *app, const http_request *req, http_response *resp);
void page_logout(rt_app *app, const http_request *req, http_response *resp);
void page_invite(rt_app *app, const http_request *req, http_response *resp);
void page_invite_post(rt_app *app, const http_request *req, http_response *resp);
/* Team records (team.c). */
void page_team(rt_app *app, const http_request *req, http_response *resp);
void page_team_csv(rt_app *app, const http_request *req, http_response *resp);
void page_team_learner(rt_app *app, const http_request *req, http_response *resp);
/* /admin and below (admin.c, admin_packages.c). */
#define ADMIN_CSV_BODY_MAX ((size_t)1 << 20)   /* a 256 KiB list, form-encoded */
#define ADMIN_UPLOAD_MAX ((size_t)48 << 20)    /* held in memory: under the 64 MiB of bodies */
void page_admin(rt_app *app, const http_request *req, http_response *resp);
size_t admin_body_limit(const char *path);
void admin_packages_page(rt_app *app, const http_request *req, const char *rest,
			 http_response *resp);
void admin_packages_upload(rt_app *app, const http_request *req, const char *rest,
			   http_response *resp);

/* Launching a SCO (launch.c): through the commit queue, so it is ordered with commits. */
typedef struct tracking_launch_result {
	int status; /* HTTP status: 200, 404, 500, 503 */
	char detail[160];
	const rt_pkg *pkg;     /* the version the attempt plays (may be older than current) */
	store_attempt attempt; /* owned */
	unsigned long session;
	char *initial; /* the adapter's `initial` JSON, owned */
	char *valid;   /* sequenced: adl.nav.request_valid.* answers as JSON (sequencing.c), owned */
} tracking_launch_result;
/* `token_hash` names the launch token the session is bound to (launch_start), in the same batch. */
int tracking_launch(rt_app *app, const rt_pkg *pkg, const char *item, int64_t learner_id,
		    const char *learner_ident, const char *learner_name, const char *token_hash,
		    tracking_launch_result *res);
void tracking_launch_clear(tracking_launch_result *res);

/* Sequencing (sequencing.c): runs a navigation request for a learner on a sequenced package
 * (rt_pkg.tree) through the commit queue. `nav` in adl.nav.request's syntax, or NULL for a plain
 * launch (the current part, resume all or start; a choice of `item` when given); `from`: the
 * item the asker shows ("" none; NULL no check: a request made elsewhere meanwhile wins);
 * `attempt_id`: the attempt a content request belongs to (its launch), 0 for the learner's. */
typedef struct seq_nav_result {
	int status; /* HTTP: 200, 400 (not a request), 409 (attempt ended), 500, 503 */
	char detail[160];
	const rt_pkg *pkg; /* the version the attempt plays */
	int64_t attempt_id;
	int outcome;         /* nav_outcome (commitq.h): 1 deliver, 2 wait, 3 ended, 4 refused */
	int moved, closed;
	char item[512];      /* delivered */
	char exception[16];  /* a refusal to tell the learner about ("" none) */
	char *view;          /* sn_ui_json, owned */
} seq_nav_result;
int seq_navigate(rt_app *app, const rt_pkg *pkg, int64_t learner_id, const char *ident,
		 const char *name, int64_t attempt_id, const char *item, const char *nav,
		 const char *from, seq_nav_result *res);
void seq_nav_result_clear(seq_nav_result *res);
/* "deliver", "wait", "ended", "refused" (static; "" for anything else). */
const char *seq_outcome_name(int outcome);

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
