/* The route tables, one per origin (origin.c), and the checks every request goes through once,
 * before any handler: Host (which origin, or 421), cross-site writes (Fetch Metadata, then
 * Origin), URL length, query parameter count, unknown route (404), wrong method (405 + Allow),
 * the route's body size (413); and frame protection on every answer of the app origin. Also the
 * small handlers that need nothing else: the pages' static files, /healthz, /metrics. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "cmi.h"
#include "common.h"
#include "embed.h"
#include "mime.h"

EMBED_DECLARE(runtime_web);
/* The adapter and the data model it runs (scorm-api.js, cmi.wasm), built by runtime/CMakeLists.txt. */
EMBED_DECLARE(cmi_web_files);

enum { M_GET = 1, M_POST = 2 };

typedef void (*route_fn)(rt_app *app, const http_request *req, http_response *resp);

/* Who may use a route in team mode (local mode: everyone is the local learner). */
enum access { A_PUBLIC, A_SIGNED_IN, A_MANAGER, A_ADMIN };

struct route {
	unsigned methods;   /* M_GET also allows HEAD */
	const char *path;   /* exact path, or a prefix when it ends with '/' and `prefix` is set */
	int prefix;
	route_fn handler;
	size_t max_body; /* largest request body this route reads */
	enum access access;
	int team_only; /* not there in local mode (404) */
};

static void h_static(rt_app *app, const http_request *req, http_response *resp);
static void h_healthz(rt_app *app, const http_request *req, http_response *resp);
static void h_metrics(rt_app *app, const http_request *req, http_response *resp);

/* Only commits carry data; every other route reads no body, and HTTP_MAX_SMALL_BODY lets a
 * form or a client that sends a few bytes anyway through. */
static const struct route app_routes[] = {
	{M_GET, "/", 0, page_catalogue, HTTP_MAX_SMALL_BODY, A_SIGNED_IN, 0},
	{M_GET, "/records", 0, page_records, HTTP_MAX_SMALL_BODY, A_SIGNED_IN, 0},
	{M_GET, "/play/", 1, page_player, HTTP_MAX_SMALL_BODY, A_SIGNED_IN, 0},
	{M_POST, "/attempts/", 1, page_new_attempt, HTTP_MAX_SMALL_BODY, A_SIGNED_IN, 0},
	{M_GET, "/static/", 1, h_static, HTTP_MAX_SMALL_BODY, A_PUBLIC, 0},
	{M_POST, "/api/launch/", 1, api_launch, HTTP_MAX_SMALL_BODY, A_SIGNED_IN, 0},
	{M_GET, "/api/records", 0, api_records, HTTP_MAX_SMALL_BODY, A_SIGNED_IN, 0},
	{M_GET, "/api/preview", 0, api_preview, HTTP_MAX_SMALL_BODY, A_PUBLIC, 0},
	{M_GET, "/healthz", 0, h_healthz, HTTP_MAX_SMALL_BODY, A_PUBLIC, 0},
	{M_GET, "/metrics", 0, h_metrics, HTTP_MAX_SMALL_BODY, A_PUBLIC, 0},
	{M_GET, "/login", 0, page_login, HTTP_MAX_SMALL_BODY, A_PUBLIC, 1},
	{M_POST, "/login", 0, page_login_post, HTTP_MAX_SMALL_BODY, A_PUBLIC, 1},
	{M_POST, "/logout", 0, page_logout, HTTP_MAX_SMALL_BODY, A_SIGNED_IN, 1},
	{M_GET, "/invite/", 1, page_invite, HTTP_MAX_SMALL_BODY, A_PUBLIC, 1},
	{M_POST, "/invite/", 1, page_invite_post, HTTP_MAX_SMALL_BODY, A_PUBLIC, 1},
	{M_GET, "/team", 0, page_team, HTTP_MAX_SMALL_BODY, A_MANAGER, 1},
	{M_GET, "/team.csv", 0, page_team_csv, HTTP_MAX_SMALL_BODY, A_MANAGER, 1},
	{M_GET, "/team/learner/", 1, page_team_learner, HTTP_MAX_SMALL_BODY, A_MANAGER, 1},
	{M_GET | M_POST, "/admin", 0, page_admin, HTTP_MAX_SMALL_BODY, A_MANAGER, 1},
	{M_GET | M_POST, "/admin/", 1, page_admin, ADMIN_UPLOAD_MAX, A_MANAGER, 1},
};

/* A content origin: one launch's player frame, session, commits and files (content.c), and the
 * player frame's scripts. Nothing of the app. */
static const struct route content_routes[] = {
	{M_GET, "/static/", 1, h_static, HTTP_MAX_SMALL_BODY, A_PUBLIC, 0},
	{M_GET | M_POST, "/l/", 1, content_launch_route, HTTP_MAX_BODY, A_PUBLIC, 0},
};

struct route_table {
	const struct route *routes;
	size_t n;
};
static const struct route_table tables[] = {
	[ORIGIN_APP] = {app_routes, PC_ARRAY_LEN(app_routes)},
	[ORIGIN_CONTENT] = {content_routes, PC_ARRAY_LEN(content_routes)},
};

static unsigned method_bit(const char *m)
{
	if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
		return M_GET;
	if (strcmp(m, "POST") == 0)
		return M_POST;
	return 0;
}

/* The route of a table for a method and (undecoded, query-less) path, or NULL; *allowed
 * collects the methods of routes whose path matches. */
static const struct route *find_route(const struct route_table *t, const char *method,
				      const char *path, unsigned *allowed)
{
	*allowed = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct route *r = &t->routes[i];
		size_t plen = strlen(r->path);
		int hit = r->prefix ? strncmp(path, r->path, plen) == 0 : strcmp(path, r->path) == 0;
		if (!hit)
			continue;
		*allowed |= r->methods;
		if (r->methods & method_bit(method))
			return r;
	}
	return NULL;
}

size_t routes_body_limit(const char *method, const char *path)
{
	/* The origins' paths do not overlap, so the Host is not needed to tell them apart. */
	if (strncmp(path, "/l/", 3) == 0)
		return content_body_limit(method, path);
	if (strncmp(path, "/admin/", 7) == 0 && strcmp(method, "POST") == 0)
		return admin_body_limit(path);
	unsigned allowed;
	const struct route *r = find_route(&tables[ORIGIN_APP], method, path, &allowed);
	return r ? r->max_body : HTTP_MAX_SMALL_BODY;
}

/* 1 when a browser says a request that changes something came from elsewhere: Fetch Metadata
 * first (Sec-Fetch-Site), else the Origin header (older browsers send it on every POST). A
 * request without either (curl, scripts) is not a browser's forged request. */
static int cross_site_write(const http_request *req)
{
	if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)
		return 0;
	const char *site = http_req_header(req, "Sec-Fetch-Site");
	if (site)
		return strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0;
	const char *origin = http_req_header(req, "Origin"), *host = http_req_header(req, "Host");
	if (!origin)
		return 0;
	/* The request's own origin is its scheme, "://" and its Host. */
	const char *sep = strstr(origin, "://");
	return !sep || !host || strcmp(sep + 3, host) != 0 ||
	       (strncmp(origin, "http://", 7) != 0 && strncmp(origin, "https://", 8) != 0);
}

/* A page of the app put in a frame by another site (clickjacking, or a hidden player that
 * starts sessions in the learner's name): refused before anything runs. frame-ancestors and
 * X-Frame-Options stop browsers from showing it anyway. */
static int cross_site_frame(const http_request *req)
{
	const char *dest = http_req_header(req, "Sec-Fetch-Dest");
	const char *site = http_req_header(req, "Sec-Fetch-Site");
	if (!dest || !site || strcmp(site, "same-origin") == 0 || strcmp(site, "none") == 0)
		return 0;
	return strcmp(dest, "iframe") == 0 || strcmp(dest, "frame") == 0 ||
	       strcmp(dest, "embed") == 0 || strcmp(dest, "object") == 0;
}

/* Team mode: whether the signed-in person (req->session) may use the route; fills resp when
 * not. Pages send someone not signed in to the sign-in form, and come back after; scripts get
 * 401. A write also needs the session's CSRF token (on top of the Fetch Metadata and Origin
 * checks every write gets). */
static int allowed(rt_app *app, const http_request *req, http_response *resp,
		   const struct route *r)
{
	(void)app;
	if (r->access == A_PUBLIC)
		return 1;
	const app_session *s = req->session;
	int get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	if (!s) {
		if (get && strncmp(req->path, "/api/", 5) != 0) {
			buf next;
			buf_init(&next, HTTP_MAX_URL * 3 + 64);
			buf_puts(&next, "/login?next=");
			url_segment(&next, req->path);
			if (req->query && *req->query) {
				buf_puts(&next, "%3F");
				url_segment(&next, req->query);
			}
			resp->status = 303;
			if (!buf_error(&next) && next.len < 500)
				http_header_add(resp, "Location", "%s", buf_cstr(&next));
			else
				http_header_add(resp, "Location", "/login");
			buf_free(&next);
		} else {
			http_error(resp, 401, "sign in first");
		}
		return 0;
	}
	static const app_role needs[] = {[A_SIGNED_IN] = ROLE_LEARNER, [A_MANAGER] = ROLE_MANAGER,
					 [A_ADMIN] = ROLE_ADMIN};
	if (s->role < needs[r->access]) {
		http_error(resp, 403, "your account cannot do this");
		return 0;
	}
	if (!get && !session_csrf_ok(s, req)) {
		http_error(resp, 403, "the form has expired: reload the page and try again");
		return 0;
	}
	return 1;
}

static void dispatch(rt_app *app, http_request *req, http_response *resp, origin_kind origin)
{
	unsigned allowed_methods;
	/* Cross-site request forgery: writes a browser says come from another site. */
	if (cross_site_write(req)) {
		http_error(resp, 403, "requests from other sites are refused");
		return;
	}
	if (origin == ORIGIN_APP && cross_site_frame(req)) {
		http_error(resp, 403, "this page cannot be framed by another site");
		return;
	}
	if (strlen(req->path) + strlen(req->query ? req->query : "") > HTTP_MAX_URL) {
		http_error(resp, 414, "the URL is longer than this server reads");
		return;
	}
	if (http_query_count(req->query) > HTTP_MAX_QUERY_PARAMS) {
		http_errorf(resp, 400, "at most %d query parameters", HTTP_MAX_QUERY_PARAMS);
		return;
	}
	const struct route *match = find_route(&tables[origin], req->method, req->path, &allowed_methods);
	if (!match && !allowed_methods) {
		http_error(resp, 404, "there is nothing at this address");
		return;
	}
	if (!match) {
		http_errorf(resp, 405, "%s is not allowed here", req->method);
		http_header_add(resp, "Allow", "%s", allowed_methods & M_GET ? "GET, HEAD" : "POST");
		return;
	}
	size_t max_body = routes_body_limit(req->method, req->path);
	if (req->body_len > max_body) {
		http_errorf(resp, 413, "request bodies here are limited to %zu bytes", max_body);
		return;
	}
	if (match->team_only && !app->accounts) {
		http_error(resp, 404, "there is nothing at this address (no accounts: local mode)");
		return;
	}
	if (origin == ORIGIN_APP && app->accounts && !allowed(app, req, resp, match))
		return;
	req->rest = req->path + (match->prefix ? strlen(match->path) : strlen(req->path));
	resp->head_only = strcmp(req->method, "HEAD") == 0;
	match->handler(app, req, resp);
}

void routes_dispatch(rt_app *app, http_request *req, http_response *resp)
{
	PC_ASSERT(app != NULL && req != NULL && resp != NULL);
	char label[ORIGIN_LABEL_SIZE];
	const char *host = http_req_header(req, "Host");
	if (!host && req->http11) {
		/* RFC 9112 §3.2 asks for a 400. libmicrohttpd (at its default strictness) leaves it to
		 * us, so it is answered in the error shape; HTTP/1.0 may leave Host out. */
		http_error(resp, 400, "an HTTP/1.1 request must name its Host");
		return;
	}
	origin_kind origin = origin_classify(app, host, label);
	if (origin == ORIGIN_REFUSED) {
		/* DNS rebinding: a name that resolves here but is not one of ours. */
		http_error(resp, 421, "this server does not answer to that host name");
		return;
	}
	req->content_label = origin == ORIGIN_CONTENT ? label : NULL;
	/* Team mode: who is signed in (app origin only: no cookie is read on a content origin). */
	app_session session;
	req->session = NULL;
	if (origin == ORIGIN_APP && app->accounts) {
		int r = session_of(app, req, &session);
		if (r < 0) {
			http_error(resp, 503, "the store does not answer");
			return;
		}
		if (r)
			req->session = &session;
	}
	dispatch(app, req, resp, origin);
	req->content_label = NULL;
	req->session = NULL;
	if (origin == ORIGIN_APP) {
		http_header_add(resp, "X-Frame-Options", "DENY");
		if (!http_response_header(resp, "Content-Security-Policy"))
			http_header_add(resp, "Content-Security-Policy", "frame-ancestors 'none'");
	}
}

/* The player's own files, compiled into the binary: the runtime's, then the adapter's. They
 * change only with the binary, so their ETags (from their bytes and length) are worked out once,
 * on first use: hashing the player's scripts on every request was 3% of fuzz_request's time. */
static const struct {
	const struct embed_file *files;
	const size_t *count;
} static_sets[] = {{runtime_web, &runtime_web_count}, {cmi_web_files, &cmi_web_files_count}};
static uint64_t *static_hashes[PC_ARRAY_LEN(static_sets)]; /* per set, per file; NULL: none */
static pthread_once_t static_hashed = PTHREAD_ONCE_INIT;

static uint64_t file_hash(const struct embed_file *f)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < f->size; i++)
		h = (h ^ f->data[i]) * 1099511628211ULL;
	return h;
}

/* Kept for the process's life; without the memory, each request hashes its file. */
static void hash_static_files(void)
{
	for (size_t k = 0; k < PC_ARRAY_LEN(static_sets); k++) {
		size_t n = *static_sets[k].count;
		uint64_t *h = malloc((n ? n : 1) * sizeof *h);
		for (size_t i = 0; h && i < n; i++)
			h[i] = file_hash(&static_sets[k].files[i]);
		static_hashes[k] = h;
	}
}

static void h_static(rt_app *app, const http_request *req, http_response *resp)
{
	(void)app;
	char name[256];
	if (zipserve_decode_path(req->rest, name, sizeof name) != 0) {
		http_error(resp, 400, "bad file name");
		return;
	}
	const struct embed_file *f = NULL;
	uint64_t h = 0;
	pthread_once(&static_hashed, hash_static_files);
	for (size_t k = 0; !f && k < PC_ARRAY_LEN(static_sets); k++) {
		f = embed_find(static_sets[k].files, *static_sets[k].count, name);
		if (f)
			h = static_hashes[k] ? static_hashes[k][f - static_sets[k].files] : file_hash(f);
	}
	if (!f) {
		http_error(resp, 404, "no such file");
		return;
	}
	char etag[40];
	snprintf(etag, sizeof etag, "\"%016llx-%zx\"", (unsigned long long)h, f->size);
	http_header_add(resp, "ETag", "%s", etag);
	http_header_add(resp, "Cache-Control", "no-cache");
	http_header_add(resp, "X-Content-Type-Options", "nosniff");
	if (http_etag_match(http_req_header(req, "If-None-Match"), etag)) {
		resp->status = 304;
		return;
	}
	resp->content_type = mime_type(name);
	resp->data = f->data;
	resp->data_len = f->size;
}

static void h_healthz(rt_app *app, const http_request *req, http_response *resp)
{
	char why[300];
	if (app_store_health(app, why, sizeof why) != 0) {
		/* Not ok, in the error shape, so a load balancer takes this node out. */
		http_error(resp, 503, why);
		return;
	}
	resp->content_type = "application/json";
	buf_printf(&resp->body, "{\"status\":\"ok\",\"packages\":%zu,\"store\":\"%s\"}\n",
		   app->ncurrent, app->shared_store ? "postgresql" : "sqlite");
}

static void h_metrics(rt_app *app, const http_request *req, http_response *resp)
{
	int64_t commits = 0, attempts = 0, learners = 0;
	app->st->ops->counts(app->st, &commits, &attempts, &learners);
	size_t entries, bytes;
	unsigned long long hits, misses;
	zipserve_stats(app->zs, &entries, &bytes, &hits, &misses);
	buf *b = &resp->body;
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
	static const char *const classes[] = {"2xx", "3xx", "4xx", "5xx"};
	unsigned long long by_class[] = {atomic_load(&app->responses_2xx),
					 atomic_load(&app->responses_3xx),
					 atomic_load(&app->responses_4xx),
					 atomic_load(&app->responses_5xx)};
	buf_puts(b, "# HELP postcard_http_requests_total HTTP requests answered, by status class.\n"
		    "# TYPE postcard_http_requests_total counter\n");
	for (size_t i = 0; i < PC_ARRAY_LEN(classes); i++)
		buf_printf(b, "postcard_http_requests_total{class=\"%s\"} %llu\n", classes[i],
			   by_class[i]);
	buf_printf(b,
		   "# HELP postcard_commits_total Tracking commits processed, by outcome.\n"
		   "# TYPE postcard_commits_total counter\n"
		   "postcard_commits_total{outcome=\"stored\"} %llu\n"
		   "postcard_commits_total{outcome=\"failed\"} %llu\n"
		   "# HELP postcard_commit_batches_total Group-commit transactions written.\n"
		   "# TYPE postcard_commit_batches_total counter\n"
		   "postcard_commit_batches_total %llu\n"
		   "# HELP postcard_journal_rows Rows in the commit journal.\n"
		   "# TYPE postcard_journal_rows gauge\n"
		   "postcard_journal_rows %lld\n"
		   "# HELP postcard_attempts Attempts stored.\n"
		   "# TYPE postcard_attempts gauge\n"
		   "postcard_attempts %lld\n"
		   "# HELP postcard_learners Learners stored.\n"
		   "# TYPE postcard_learners gauge\n"
		   "postcard_learners %lld\n"
		   "# HELP postcard_packages Packages in the catalogue.\n"
		   "# TYPE postcard_packages gauge\n"
		   "postcard_packages %zu\n"
		   "# HELP postcard_asset_cache_entries Package files held inflated in memory.\n"
		   "# TYPE postcard_asset_cache_entries gauge\n"
		   "postcard_asset_cache_entries %zu\n"
		   "# HELP postcard_asset_cache_bytes Bytes of package files held in memory.\n"
		   "# TYPE postcard_asset_cache_bytes gauge\n"
		   "postcard_asset_cache_bytes %zu\n"
		   "# HELP postcard_asset_cache_lookups_total Package file lookups, by result.\n"
		   "# TYPE postcard_asset_cache_lookups_total counter\n"
		   "postcard_asset_cache_lookups_total{result=\"hit\"} %llu\n"
		   "postcard_asset_cache_lookups_total{result=\"miss\"} %llu\n"
		   "# HELP postcard_asset_streams Large package files being sent from their zip.\n"
		   "# TYPE postcard_asset_streams gauge\n"
		   "postcard_asset_streams %u\n"
		   "# HELP postcard_request_body_bytes Request body bytes held in memory.\n"
		   "# TYPE postcard_request_body_bytes gauge\n"
		   "postcard_request_body_bytes %zu\n",
		   atomic_load(&app->commits_ok), atomic_load(&app->commits_failed),
		   atomic_load(&app->commit_batches), (long long)commits, (long long)attempts,
		   (long long)learners, app->ncurrent, entries, bytes, hits, misses,
		   zipserve_streams(app->zs), atomic_load(&app->body_bytes));
}
