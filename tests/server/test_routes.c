/* routes.c and the handlers, without sockets: the central checks (404, 405, 413, 414), content,
 * static files, pages, commits (idempotent by sequence, beacons as text/plain, other learners
 * refused), /healthz and /metrics. */
#include "cmocka_all.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "commitq.h"
#include "test_server.h"

struct fx {
	char *dir;
	rt_app *app;
	char hash[65];
};

/* Stores a package the way import does, minus validation (validate.c has its own tests). */
static void add_package_as(struct fx *f, const char *id, const char *title, const char *const *files)
{
	char path[512], dest[700];
	snprintf(path, sizeof path, "%s/in.zip", f->dir);
	test_write_zip(path, files);
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	static unsigned char data[1 << 20];
	size_t n = fread(data, 1, sizeof data, in);
	fclose(in);
	unsigned char digest[32];
	assert_int_equal(sodium_init() < 0, 0);
	crypto_hash_sha256(digest, data, n);
	sodium_bin2hex(f->hash, sizeof f->hash, digest, sizeof digest);
	snprintf(dest, sizeof dest, "%s/packages/%s.zip", f->dir, f->hash);
	assert_int_equal(rename(path, dest), 0);
	store_version v = {.package = (char *)id, .hash = f->hash, .title = (char *)title,
			   .scorm = (char *)"1.2", .size = (int64_t)n};
	char *prev = NULL;
	assert_int_equal(f->app->st->ops->version_put(f->app->st, &v, &prev), 0);
	free(prev);
	assert_int_equal(app_load_version(f->app, id, f->hash, 1, NULL), 0);
}

static void add_package(struct fx *f, const char *const *files)
{
	add_package_as(f, "pkg-one", "Package One", files);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->app = test_app(&f->dir);
	add_package(f, test_pkg12);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	rt_app_free(f->app);
	fstree_remove(f->dir, NULL, 0);
	free(f->dir);
	free(f);
	return 0;
}

static int call(struct fx *f, const char *method, const char *target, const char *const *headers,
		const char *body, http_response *r)
{
	test_req t;
	test_req_init(&t, method, target, headers);
	t.req.body = body;
	t.req.body_len = body ? strlen(body) : 0;
	http_response_init(r);
	routes_dispatch(f->app, &t.req, r);
	return r->status;
}

static const char *text(http_response *r)
{
	static char copy[1 << 16];
	size_t len;
	const char *b = http_response_bytes(r, &len);
	if (len >= sizeof copy)
		len = sizeof copy - 1;
	memcpy(copy, b, len);
	copy[len] = '\0';
	return copy;
}

static void central_checks(void **state)
{
	struct fx *f = *state;
	http_response r;
	assert_int_equal(call(f, "GET", "/nowhere", NULL, NULL, &r), 404);
	assert_non_null(strstr(text(&r), "\"code\":404"));
	http_response_free(&r);
	assert_int_equal(call(f, "DELETE", "/", NULL, NULL, &r), 405);
	assert_string_equal(http_response_header(&r, "Allow"), "GET, HEAD");
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/api/launch/pkg-one", NULL, NULL, &r), 405);
	assert_string_equal(http_response_header(&r, "Allow"), "POST");
	http_response_free(&r);
	char *big = malloc(HTTP_MAX_BODY + 2);
	memset(big, 'x', HTTP_MAX_BODY + 1);
	big[HTTP_MAX_BODY + 1] = '\0';
	static const char commit_path[] = "/l/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/commit";
	assert_int_equal(call(f, "POST", commit_path, NULL, big, &r), 404); /* not on the app */
	http_response_free(&r);
	/* Routes that read no body take a few bytes at most; commits take up to HTTP_MAX_BODY. */
	big[HTTP_MAX_SMALL_BODY + 1] = '\0';
	assert_int_equal(call(f, "POST", "/api/launch/pkg-one", NULL, big, &r), 413);
	assert_non_null(strstr(text(&r), "limited to 4096 bytes"));
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/", NULL, big, &r), 413);
	http_response_free(&r);
	assert_int_equal(routes_body_limit("POST", commit_path), HTTP_MAX_BODY);
	assert_int_equal(routes_body_limit("POST", "/l/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/launch"),
			 HTTP_MAX_SMALL_BODY);
	assert_int_equal(routes_body_limit("POST", "/api/launch/x"), HTTP_MAX_SMALL_BODY);
	assert_int_equal(routes_body_limit("PUT", "/nowhere"), HTTP_MAX_SMALL_BODY);
	/* Query parameters past the cap are refused before any handler. */
	char q[400] = "/api/records?";
	for (int i = 0; i <= HTTP_MAX_QUERY_PARAMS; i++)
		strcat(q, i ? "&a=1" : "a=1");
	assert_int_equal(call(f, "GET", q, NULL, NULL, &r), 400);
	http_response_free(&r);
	q[strlen(q) - 4] = '\0';
	assert_int_equal(call(f, "GET", q, NULL, NULL, &r), 200);
	http_response_free(&r);
	char *url = malloc(HTTP_MAX_URL + 100);
	strcpy(url, "/play/");
	memset(url + 6, 'a', HTTP_MAX_URL + 10);
	url[HTTP_MAX_URL + 16] = '\0';
	assert_int_equal(call(f, "GET", url, NULL, NULL, &r), 414);
	http_response_free(&r);
	free(big);
	free(url);
	const char *const rebound[] = {"Host: attacker.example:8080", NULL};
	assert_int_equal(call(f, "GET", "/records", rebound, NULL, &r), 421);
	http_response_free(&r);
	const char *const local[] = {"Host: localhost:8080", NULL};
	assert_int_equal(call(f, "GET", "/healthz", local, NULL, &r), 200);
	http_response_free(&r);
	const char *const v6[] = {"Host: [::1]:8080", NULL};
	assert_int_equal(call(f, "GET", "/healthz", v6, NULL, &r), 200);
	http_response_free(&r);
	const char *const cross[] = {"Host: 127.0.0.1:8080", "Sec-Fetch-Site: cross-site", NULL};
	assert_int_equal(call(f, "POST", "/attempts/pkg-one/new", cross, NULL, &r), 403);
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/", cross, NULL, &r), 200); /* reading a link is fine */
	/* Every answer of the app says it may not be framed. */
	assert_string_equal(http_response_header(&r, "X-Frame-Options"), "DENY");
	assert_non_null(strstr(http_response_header(&r, "Content-Security-Policy"), "frame-ancestors 'none'"));
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/healthz", NULL, NULL, &r), 200);
	assert_string_equal(http_response_header(&r, "Content-Security-Policy"), "frame-ancestors 'none'");
	http_response_free(&r);
	/* Another site framing a page is refused before anything runs. */
	const char *const framed[] = {"Sec-Fetch-Site: cross-site", "Sec-Fetch-Dest: iframe", NULL};
	assert_int_equal(call(f, "GET", "/play/pkg-one", framed, NULL, &r), 403);
	http_response_free(&r);
	const char *const own_frame[] = {"Sec-Fetch-Site: same-origin", "Sec-Fetch-Dest: iframe", NULL};
	assert_int_equal(call(f, "GET", "/play/pkg-one", own_frame, NULL, &r), 200);
	http_response_free(&r);
	/* Without Fetch Metadata (older browsers), the Origin of a write must be this origin. */
	const char *const other_origin[] = {"Host: 127.0.0.1:8080", "Origin: http://evil.example", NULL};
	assert_int_equal(call(f, "POST", "/attempts/pkg-one/new", other_origin, NULL, &r), 403);
	http_response_free(&r);
	const char *const null_origin[] = {"Host: 127.0.0.1:8080", "Origin: null", NULL};
	assert_int_equal(call(f, "POST", "/attempts/pkg-one/new", null_origin, NULL, &r), 403);
	http_response_free(&r);
	const char *const other_port[] = {"Host: 127.0.0.1:8080", "Origin: http://127.0.0.1:9090", NULL};
	assert_int_equal(call(f, "POST", "/attempts/pkg-one/new", other_port, NULL, &r), 403);
	http_response_free(&r);
	const char *const same_origin[] = {"Host: 127.0.0.1:8080", "Origin: http://127.0.0.1:8080", NULL};
	assert_int_equal(call(f, "POST", "/attempts/pkg-one/new", same_origin, NULL, &r), 303);
	http_response_free(&r);
	/* A content origin's name: only launches are there, nothing of the app. */
	char host[128];
	snprintf(host, sizeof host, "Host: %s.postcard.localhost:8080", f->app->current[0]->label);
	const char *const content[] = {host, NULL};
	assert_int_equal(call(f, "GET", "/records", content, NULL, &r), 404);
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/static/frame.js", content, NULL, &r), 200);
	http_response_free(&r);
	static const char *const not_ours[] = {"Host: pzzzz.postcard.localhost:8080",
					       "Host: p000000000000000000000000.localhost:8080",
					       "Host: postcard.localhost.example", "Host: x.postcard.localhost",
					       "Host: postcard.localhost:99999"};
	for (size_t i = 0; i < PC_ARRAY_LEN(not_ours); i++) {
		const char *const h[] = {not_ours[i], NULL};
		assert_int_equal(call(f, "GET", "/healthz", h, NULL, &r), 421);
		http_response_free(&r);
	}
	const char *const named[] = {"Host: postcard.localhost:8080", NULL};
	assert_int_equal(call(f, "GET", "/healthz", named, NULL, &r), 200);
	http_response_free(&r);
	assert_int_equal(call(f, "HEAD", "/healthz", NULL, NULL, &r), 200);
	assert_true(r.head_only);
	http_response_free(&r);
}

static void content_and_static(void **state)
{
	struct fx *f = *state;
	http_response r;
	char url[256];
	/* Package files are not on the app origin at all. */
	snprintf(url, sizeof url, "/content/%s/index.html", f->hash);
	assert_int_equal(call(f, "GET", url, NULL, NULL, &r), 404);
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/static/site.css", NULL, NULL, &r), 200);
	assert_string_equal(r.content_type, "text/css; charset=utf-8");
	char inm[128];
	snprintf(inm, sizeof inm, "If-None-Match: %s", http_response_header(&r, "ETag"));
	http_response_free(&r);
	const char *const h[] = {inm, NULL};
	assert_int_equal(call(f, "GET", "/static/site.css", h, NULL, &r), 304);
	http_response_free(&r);
	/* each file's ETag is its own (FNV-1a of its bytes, then its length), in both sets */
	static const char *const files[] = {"/static/site.css", "/static/player.js", "/static/scorm-api.js"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		assert_int_equal(call(f, "GET", files[i], NULL, NULL, &r), 200);
		uint64_t fnv = 1469598103934665603ULL;
		for (size_t k = 0; k < r.data_len; k++)
			fnv = (fnv ^ ((const unsigned char *)r.data)[k]) * 1099511628211ULL;
		char want[40];
		snprintf(want, sizeof want, "\"%016llx-%zx\"", (unsigned long long)fnv, r.data_len);
		assert_string_equal(http_response_header(&r, "ETag"), want);
		http_response_free(&r);
	}
	assert_int_equal(call(f, "GET", "/static/scorm-api.js", NULL, NULL, &r), 200);
	assert_string_equal(r.content_type, "text/javascript; charset=utf-8");
	assert_true(r.data_len > 1000 && memcmp(r.data, "/* Postcard SCORM API adapter", 29) == 0);
	http_response_free(&r);
	/* the data model the adapter runs: the C model as WebAssembly */
	assert_int_equal(call(f, "GET", "/static/cmi.wasm", NULL, NULL, &r), 200);
	assert_string_equal(r.content_type, "application/wasm");
	assert_true(r.data_len > 1000 && memcmp(r.data, "\0asm\1\0\0\0", 8) == 0);
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/static/../runtime.h", NULL, NULL, &r), 400);
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/static/", NULL, NULL, &r), 400); /* no listing */
	http_response_free(&r);
}

/* Launches a part as the browser does: the app page asks /api/launch for a token, then the
 * player frame starts the session on the package's content origin. Returns the frame's launch
 * JSON plus "host" (the content origin's Host header) and "frame" (the frame's path). */
static json_t *launch(struct fx *f, const char *target, const char *const *headers)
{
	http_response r;
	assert_int_equal(call(f, "POST", target, headers, NULL, &r), 200);
	assert_string_equal(r.content_type, "application/json");
	json_t *a = json_loads(text(&r), 0, NULL);
	assert_non_null(a);
	http_response_free(&r);
	const char *frame = json_string_value(json_object_get(a, "frameUrl"));
	const char *origin = json_string_value(json_object_get(a, "origin"));
	assert_non_null(frame);
	assert_non_null(origin);
	assert_memory_equal(origin, "http://p", 8);
	assert_memory_equal(frame, origin, strlen(origin));
	char host[200], path[200];
	snprintf(host, sizeof host, "Host: %s", origin + 7);
	snprintf(path, sizeof path, "%slaunch", frame + strlen(origin));
	const char *const h[] = {host, NULL};
	assert_int_equal(call(f, "POST", path, h, NULL, &r), 200);
	assert_string_equal(r.content_type, "application/json");
	json_t *j = json_loads(text(&r), 0, NULL);
	assert_non_null(j);
	http_response_free(&r);
	json_object_set_new(j, "host", json_string(host));
	json_object_set_new(j, "frame", json_string(frame + strlen(origin)));
	json_decref(a);
	return j;
}

/* A request on a launch's content origin, with an optional Content-Type line. */
static int content_call(struct fx *f, json_t *l, const char *method, const char *path,
			const char *ct, const char *body, http_response *r)
{
	const char *const h[] = {json_string_value(json_object_get(l, "host")), ct, NULL};
	return call(f, method, path, h, body, r);
}

static int64_t latest_attempt(struct fx *f, const char *pkg)
{
	store_attempt a;
	assert_int_equal(f->app->st->ops->attempt_latest(f->app->st, f->app->learner_id, pkg, &a), 0);
	int64_t id = a.id;
	store_attempt_clear(&a);
	return id;
}

static void pages(void **state)
{
	struct fx *f = *state;
	http_response r;
	assert_int_equal(call(f, "GET", "/", NULL, NULL, &r), 200);
	assert_non_null(strstr(text(&r), "Package One"));
	assert_non_null(strstr(text(&r), "Not started"));
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/play/pkg-one/i2", NULL, NULL, &r), 200);
	const char *page = text(&r);
	assert_non_null(strstr(page, "<iframe id=\"player-frame\" title=\"Part two\" sandbox=\""));
	assert_null(strstr(page, "allow-top-navigation"));
	assert_non_null(strstr(page, "Part 2 of 2"));
	assert_non_null(strstr(page, "rel=\"prev\" href=\"/play/pkg-one/i1\""));
	assert_null(strstr(page, "rel=\"next\""));
	assert_non_null(strstr(page, "\"launchUrl\":\"/api/launch/pkg-one/i2\""));
	assert_non_null(strstr(http_response_header(&r, "Content-Security-Policy"),
			       "frame-src http://*.postcard.localhost:*"));
	http_response_free(&r);
	/* Serving the page starts nothing: the script's launch does. */
	assert_int_equal(call(f, "GET", "/", NULL, NULL, &r), 200);
	assert_non_null(strstr(text(&r), "Not started"));
	http_response_free(&r);
	json_t *l = launch(f, "/api/launch/pkg-one/i2", NULL);
	const char *content = json_string_value(json_object_get(l, "contentUrl"));
	assert_non_null(strstr(content, "/c/two/page%20two.html?page=2"));
	assert_string_equal(json_string_value(json_object_get(l, "version")), "1.2");
	assert_true(json_is_object(json_object_get(l, "initial")));
	/* The player frame, the package's files, on the content origin: framed by the app only. */
	assert_int_equal(content_call(f, l, "GET", json_string_value(json_object_get(l, "frame")), NULL,
				      NULL, &r), 200);
	assert_non_null(strstr(text(&r), "<iframe id=\"content-frame\" title=\"Part two\""));
	assert_non_null(strstr(text(&r), "/static/frame.js"));
	assert_string_equal(http_response_header(&r, "Content-Security-Policy"),
			    "frame-ancestors http://postcard.localhost:* http://127.0.0.1:* http://localhost:*");
	assert_null(http_response_header(&r, "X-Frame-Options"));
	http_response_free(&r);
	char file[256];
	snprintf(file, sizeof file, "%s", content);
	*strstr(file, "/c/") = '\0';
	strcat(file, "/c/index.html");
	assert_int_equal(content_call(f, l, "GET", file, NULL, NULL, &r), 200);
	assert_string_equal(text(&r), "<!doctype html><title>one</title>");
	assert_string_equal(http_response_header(&r, "Cross-Origin-Resource-Policy"), "same-origin");
	http_response_free(&r);
	*strstr(file, "/c/") = '\0';
	strcat(file, "/c/%2e%2e/index.html");
	assert_int_equal(content_call(f, l, "GET", file, NULL, NULL, &r), 400);
	http_response_free(&r);
	/* The token works on its own package's origin only. */
	const char *const app_host[] = {"Host: 127.0.0.1:8080", NULL};
	*strstr(file, "/c/") = '\0';
	strcat(file, "/c/index.html");
	assert_int_equal(call(f, "GET", file, app_host, NULL, &r), 404);
	http_response_free(&r);
	const char *const other_pkg[] = {"Host: p000000000000000000000000.postcard.localhost:8080", NULL};
	assert_int_equal(call(f, "GET", file, other_pkg, NULL, &r), 404);
	http_response_free(&r);
	/* A launch starts once. */
	char start[256];
	snprintf(start, sizeof start, "%slaunch", json_string_value(json_object_get(l, "frame")));
	assert_int_equal(content_call(f, l, "POST", start, NULL, NULL, &r), 409);
	http_response_free(&r);
	json_decref(l);
	assert_int_equal(call(f, "GET", "/play/nope", NULL, NULL, &r), 404);
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/play/pkg-one/nope", NULL, NULL, &r), 404);
	http_response_free(&r);
	assert_int_equal(call(f, "POST", "/api/launch/pkg-one/nope", NULL, NULL, &r), 404);
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/", NULL, NULL, &r), 200);
	assert_non_null(strstr(text(&r), "In progress (attempt 1)"));
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/records", NULL, NULL, &r), 200);
	assert_non_null(strstr(text(&r), "Part two"));
	http_response_free(&r);
}

static char *commit_body(json_t *launch_json, unsigned seq, unsigned from, const char *changes,
			 int terminate)
{
	char *b = malloc(4096);
	snprintf(b, 4096,
		 "{\"protocol\":1,\"version\":\"%s\",\"session\":%lld,\"seq\":%u,\"from\":%u,"
		 "\"changes\":%s,\"terminate\":%s}",
		 json_string_value(json_object_get(launch_json, "version")),
		 (long long)json_integer_value(json_object_get(launch_json, "session")), seq, from,
		 changes, terminate ? "true" : "false");
	return b;
}

/* Whether the runtime holds the session of `item` in `attempt` open: what a launch waits for
 * (settle, commitq.c). */
static int session_open(struct fx *f, int64_t attempt, const char *item)
{
	commitq *q = f->app->cq;
	pthread_mutex_lock(&q->lock);
	const struct recent_session *r = recent_find(q, attempt, item);
	int open = r && r->open;
	pthread_mutex_unlock(&q->lock);
	return open;
}

static void commits(void **state)
{
	struct fx *f = *state;
	json_t *l = launch(f, "/api/launch/pkg-one", NULL);
	char url[128];
	snprintf(url, sizeof url, "%s", json_string_value(json_object_get(l, "commitUrl")));
	assert_memory_equal(url, "/l/", 3);
	assert_string_equal(url + strlen(url) - 7, "/commit");
	http_response r;
	char *body = commit_body(l, 1, 0, "[[\"cmi.core.lesson_location\",\"p1\"]]", 0);
	const char *json_ct = "Content-Type: application/json";
	assert_int_equal(content_call(f, l, "POST", url, json_ct, body, &r), 200);
	json_t *ans = json_loads(text(&r), 0, NULL);
	assert_true(json_is_true(json_object_get(ans, "result")));
	assert_int_equal(json_integer_value(json_object_get(ans, "applied")), 1);
	json_decref(ans);
	http_response_free(&r);
	/* The same request again (a retry) is harmless. */
	assert_int_equal(content_call(f, l, "POST", url, json_ct, body, &r), 200);
	ans = json_loads(text(&r), 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(ans, "applied")), 1);
	json_decref(ans);
	http_response_free(&r);
	free(body);
	/* A beacon arrives as text/plain. */
	body = commit_body(l, 2, 0,
			   "[[\"cmi.core.lesson_location\",\"p1\"],[\"cmi.core.lesson_status\",\"incomplete\"],"
			   "[\"cmi.core.exit\",\"suspend\"]]",
			   1);
	assert_int_equal(content_call(f, l, "POST", url, "Content-Type: text/plain;charset=UTF-8", body, &r),
			 200);
	ans = json_loads(text(&r), 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(ans, "applied")), 3);
	json_decref(ans);
	http_response_free(&r);
	assert_false(session_open(f, 1, "i1"));
	/* The same final envelope again (the next page resends its stash): the session stays over,
	 * so the next launch does not wait for it (it waited 3 s). */
	assert_int_equal(content_call(f, l, "POST", url, "Content-Type: text/plain;charset=UTF-8", body, &r),
			 200);
	http_response_free(&r);
	assert_false(session_open(f, 1, "i1"));
	free(body);
	store_filter flt = {0};
	store_record *rec;
	size_t n;
	assert_int_equal(f->app->st->ops->records(f->app->st, &flt, &rec, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rec[0].completion, "incomplete");
	assert_string_equal(rec[0].location, "p1");
	assert_string_equal(rec[0].exit, "suspend");
	assert_int_equal(rec[0].commits, 2); /* the exact retry stored nothing */
	store_records_free(rec, n);
	/* Wrong type, not JSON, a made-up token, a token on the app origin, a cross-site write. */
	assert_int_equal(content_call(f, l, "POST", url, "Content-Type: application/xml", "{}", &r), 415);
	http_response_free(&r);
	assert_int_equal(content_call(f, l, "POST", url, json_ct, "not json", &r), 400);
	http_response_free(&r);
	body = commit_body(l, 3, 3, "[]", 0);
	assert_int_equal(content_call(f, l, "POST", "/l/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/commit",
				      json_ct, body, &r), 404);
	http_response_free(&r);
	assert_int_equal(content_call(f, l, "POST", "/l/short/commit", json_ct, body, &r), 404);
	http_response_free(&r);
	assert_int_equal(call(f, "POST", url, NULL, body, &r), 404);
	http_response_free(&r);
	assert_int_equal(content_call(f, l, "POST", url, "Sec-Fetch-Site: same-site", body, &r), 403);
	http_response_free(&r);
	/* The removed routes of the app: no commits by attempt number, no files by hash. */
	assert_int_equal(call(f, "POST", "/api/commit/1/i1", NULL, body, &r), 404);
	http_response_free(&r);
	free(body);
	/* Relaunch resumes the same attempt, with a new token. */
	int64_t attempt = latest_attempt(f, "pkg-one");
	json_t *l2 = launch(f, "/api/launch/pkg-one", NULL);
	assert_string_not_equal(json_string_value(json_object_get(l2, "commitUrl")), url);
	assert_int_equal(latest_attempt(f, "pkg-one"), attempt);
	assert_string_equal(json_string_value(json_object_get(l2, "item")), "i1");
	/* The first launch's page goes on (another tab): told it was superseded, nothing stored. */
	body = commit_body(l, 3, 3, "[[\"cmi.core.lesson_location\",\"old tab\"]]", 0);
	assert_int_equal(content_call(f, l, "POST", url, json_ct, body, &r), 200);
	ans = json_loads(text(&r), 0, NULL);
	assert_false(json_is_true(json_object_get(ans, "result")));
	assert_true(json_is_true(json_object_get(ans, "superseded")));
	json_decref(ans);
	http_response_free(&r);
	free(body);
	/* A session newer than the state's is not a takeover (a stale copy elsewhere): no flag. */
	json_t *newer = json_deep_copy(l2);
	json_object_set_new(newer, "session", json_integer(json_integer_value(json_object_get(l2, "session")) + 5));
	body = commit_body(newer, 1, 0, "[]", 0);
	char url2[128];
	snprintf(url2, sizeof url2, "%s", json_string_value(json_object_get(l2, "commitUrl")));
	assert_int_equal(content_call(f, l2, "POST", url2, json_ct, body, &r), 200);
	ans = json_loads(text(&r), 0, NULL);
	assert_null(json_object_get(ans, "superseded"));
	json_decref(ans);
	http_response_free(&r);
	free(body);
	json_decref(newer);
	json_decref(l);
	json_decref(l2);
}

/* Item identifiers reach 511 bytes (launch_grant.item): the runtime knows such a session is
 * open, and that it ended, by its whole identifier (a prefix kept in 128 bytes never matched,
 * so a launch did not wait for the page's last commit). */
static void long_item_ids(void **state)
{
	struct fx *f = *state;
	char id[301], manifest[2048], target[400];
	memset(id, 'x', sizeof id - 1);
	id[0] = 'i';
	id[sizeof id - 1] = '\0';
	snprintf(manifest, sizeof manifest,
		 "<?xml version=\"1.0\"?>\n<manifest identifier=\"long\" version=\"1\""
		 " xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\""
		 " xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\"><metadata><schema>ADL SCORM"
		 "</schema><schemaversion>1.2</schemaversion></metadata><organizations default=\"o\">"
		 "<organization identifier=\"o\"><title>Long</title><item identifier=\"%s\""
		 " identifierref=\"r\"><title>Long part</title></item></organization></organizations>"
		 "<resources><resource identifier=\"r\" type=\"webcontent\" adlcp:scormtype=\"sco\""
		 " href=\"index.html\"><file href=\"index.html\"/></resource></resources></manifest>\n",
		 id);
	const char *const files[] = {"imsmanifest.xml", manifest, "index.html", "<title>x</title>", NULL};
	add_package_as(f, "long", "Long", files);
	snprintf(target, sizeof target, "/api/launch/long/%s", id);
	json_t *l = launch(f, target, NULL);
	const char *url = json_string_value(json_object_get(l, "commitUrl"));
	int64_t attempt = latest_attempt(f, "long");
	const char *json_ct = "Content-Type: application/json";
	http_response r;
	char *body = commit_body(l, 1, 0, "[[\"cmi.core.lesson_location\",\"p1\"]]", 0);
	assert_int_equal(content_call(f, l, "POST", url, json_ct, body, &r), 200);
	http_response_free(&r);
	free(body);
	assert_true(session_open(f, attempt, id));
	body = commit_body(l, 2, 1, "[]", 1);
	assert_int_equal(content_call(f, l, "POST", url, json_ct, body, &r), 200);
	http_response_free(&r);
	free(body);
	assert_false(session_open(f, attempt, id));
	json_decref(l);
}

/* A store whose batches wait for the test: the writer holds a commit as long as we like. */
static struct {
	const store_ops *real;
	store_ops ops;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int entered, released;
} held = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static int held_batch_begin(store *st)
{
	pthread_mutex_lock(&held.lock);
	held.entered = 1;
	pthread_cond_broadcast(&held.cond);
	while (!held.released)
		pthread_cond_wait(&held.cond, &held.lock);
	pthread_mutex_unlock(&held.lock);
	return held.real->batch_begin(st);
}

struct client {
	unsigned port;
	char request[8192];
	char answer[8192];
};

/* One HTTP exchange over a socket; the answer is what came back before the server closed. */
static void *client_run(void *arg)
{
	struct client *c = arg;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)c->port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    write(fd, c->request, strlen(c->request)) == (ssize_t)strlen(c->request)) {
		size_t got = 0;
		ssize_t n;
		while (got < sizeof c->answer - 1 &&
		       (n = read(fd, c->answer + got, sizeof c->answer - 1 - got)) > 0)
			got += (size_t)n;
		c->answer[got] = '\0';
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

struct stopper {
	rt_server *srv;
	int released_before_return;
};

static void *stop_run(void *arg)
{
	struct stopper *s = arg;
	rt_server_stop(s->srv);
	pthread_mutex_lock(&held.lock);
	s->released_before_return = held.released;
	pthread_mutex_unlock(&held.lock);
	return NULL;
}

/* Stopping the server while the writer holds a parked commit: the stop waits for the writer's
 * answer and the commit is answered and stored (the server used to give up after 30 s and free
 * the connection, and the commit job inside it, while the writer still had the job). */
static void stop_waits_for_parked_commits(void **state)
{
	struct fx *f = *state;
	rt_server *srv = NULL;
	char err[256] = "";
	assert_int_equal(rt_server_start(&srv, f->app, "127.0.0.1:0", err, sizeof err), 0);
	json_t *l = launch(f, "/api/launch/pkg-one", NULL);
	char *body = commit_body(l, 1, 0, "[[\"cmi.core.lesson_location\",\"held\"]]", 0);
	struct client c = {.port = rt_server_port(srv)};
	snprintf(c.request, sizeof c.request,
		 "POST %s HTTP/1.1\r\n%s\r\nContent-Type: application/json\r\n"
		 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
		 json_string_value(json_object_get(l, "commitUrl")),
		 json_string_value(json_object_get(l, "host")), strlen(body), body);
	free(body);
	held.real = f->app->st->ops;
	held.ops = *held.real;
	held.ops.batch_begin = held_batch_begin;
	held.entered = held.released = 0;
	f->app->st->ops = &held.ops;
	pthread_t client, stopper;
	assert_int_equal(pthread_create(&client, NULL, client_run, &c), 0);
	/* the commit is parked and its job is in the writer's hands */
	pthread_mutex_lock(&held.lock);
	while (!held.entered)
		pthread_cond_wait(&held.cond, &held.lock);
	pthread_mutex_unlock(&held.lock);
	struct stopper st = {.srv = srv};
	assert_int_equal(pthread_create(&stopper, NULL, stop_run, &st), 0);
	nanosleep(&(struct timespec){1, 500 * 1000 * 1000}, NULL);
	pthread_mutex_lock(&held.lock);
	held.released = 1;
	pthread_cond_broadcast(&held.cond);
	pthread_mutex_unlock(&held.lock);
	pthread_join(stopper, NULL);
	pthread_join(client, NULL);
	f->app->st->ops = held.real;
	assert_true(st.released_before_return);
	assert_memory_equal(c.answer, "HTTP/1.1 200", 12);
	assert_non_null(strstr(c.answer, "\"result\":true"));
	store_filter flt = {0};
	store_record *rec;
	size_t n;
	assert_int_equal(f->app->st->ops->records(f->app->st, &flt, &rec, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rec[0].location, "held");
	store_records_free(rec, n);
	json_decref(l);
}

static void health_and_metrics(void **state)
{
	struct fx *f = *state;
	http_response r;
	assert_int_equal(call(f, "GET", "/healthz", NULL, NULL, &r), 200);
	json_t *j = json_loads(text(&r), 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
	assert_int_equal(json_integer_value(json_object_get(j, "packages")), 1);
	json_decref(j);
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/metrics", NULL, NULL, &r), 200);
	assert_non_null(strstr(text(&r), "# TYPE postcard_commits_total counter"));
	assert_non_null(strstr(text(&r), "postcard_packages 1\n"));
	http_response_free(&r);
}

/* A course's parts are nested lists that follow the manifest: the lone root item that cannot be
 * launched is left out (the page heading names it), groups are labels, the current part is
 * marked, every other part is a link. */
static void table_of_contents(void **state)
{
	struct fx *f = *state;
	static const char manifest[] =
		"<?xml version=\"1.0\"?>\n"
		"<manifest identifier=\"course\" xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\""
		" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\">"
		"<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"
		"<organizations default=\"o\"><organization identifier=\"o\"><title>Course</title>"
		"<item identifier=\"root\"><title>The course</title>"
		"<item identifier=\"m0\" identifierref=\"r\"><title>Overview</title></item>"
		"<item identifier=\"g1\"><title>Before &amp; after</title>"
		"<item identifier=\"m1\" identifierref=\"r\"><title>First</title></item>"
		"<item identifier=\"m2\" identifierref=\"r\"><title>Second</title></item></item>"
		"<item identifier=\"m3\" identifierref=\"r\"><title>Last</title></item>"
		"</item></organization></organizations>"
		"<resources><resource identifier=\"r\" type=\"webcontent\" adlcp:scormtype=\"sco\""
		" href=\"index.html\"><file href=\"index.html\"/></resource></resources></manifest>\n";
	const char *const files[] = {"imsmanifest.xml", manifest, "index.html", "<!doctype html>", NULL};
	add_package_as(f, "course", "Course", files);
	http_response r;
	assert_int_equal(call(f, "GET", "/play/course/m1", NULL, NULL, &r), 200);
	const char *page = text(&r);
	const char *toc = strstr(page, "<nav class=\"toc\"");
	assert_non_null(toc);
	const char *end = strstr(toc, "</nav>");
	assert_non_null(end);
	char got[2048];
	snprintf(got, sizeof got, "%.*s", (int)(end - toc), toc);
	assert_string_equal(got,
			    "<nav class=\"toc\" aria-label=\"Parts of this package\">\n<h2>Parts</h2>\n"
			    "<ol>\n"
			    "<li><a href=\"/play/course/m0\">Overview</a></li>\n"
			    "<li><span class=\"toc-label\">Before &amp; after</span>\n<ol>\n"
			    "<li><span aria-current=\"step\">First <span class=\"visually-hidden\">"
			    "(this part)</span></span></li>\n"
			    "<li><a href=\"/play/course/m2\">Second</a></li>\n"
			    "</ol>\n</li>\n"
			    "<li><a href=\"/play/course/m3\">Last</a></li>\n"
			    "</ol>\n");
	http_response_free(&r);
}

/* SCORM 2004 4th Edition shared data end to end: A writes a bucket, B (another item of the package
 * mapping the same targetID) reads it on its next launch; the map's permissions travel in the
 * seed; buckets outlive attempts; a 3rd Edition package with the same markup is unaffected. */
static const char shared_manifest[] =
	"<?xml version=\"1.0\"?>\n"
	"<manifest identifier=\"%s\" xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\""
	" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\">"
	"<metadata><schema>ADL SCORM</schema><schemaversion>2004 %s Edition</schemaversion></metadata>"
	"<organizations default=\"o\"><organization identifier=\"o\"%s><title>Shared</title>"
	"<item identifier=\"a\" identifierref=\"r\"><title>A</title>"
	"<adlcp:data><adlcp:map targetID=\"urn:x:notes\"/></adlcp:data></item>"
	"<item identifier=\"b\" identifierref=\"r\"><title>B</title>"
	"<adlcp:data><adlcp:map targetID=\"urn:x:notes\" writeSharedData=\"false\"/>"
	"<adlcp:map targetID=\"urn:x:drop\" readSharedData=\"false\" writeSharedData=\"true\"/></adlcp:data></item>"
	"<item identifier=\"c\" identifierref=\"r\"><title>C</title></item>"
	"</organization></organizations>"
	"<resources><resource identifier=\"r\" type=\"webcontent\" adlcp:scormType=\"sco\""
	" href=\"index.html\"><file href=\"index.html\"/></resource></resources></manifest>\n";

static void add_shared_package(struct fx *f, const char *id, const char *edition, const char *org_attr)
{
	static char manifest[4096];
	snprintf(manifest, sizeof manifest, shared_manifest, id, edition, org_attr);
	const char *const files[] = {"imsmanifest.xml", manifest, "index.html", "<!doctype html>", NULL};
	add_package_as(f, id, id, files);
}

/* Commits `changes` (then Terminate) to a launched SCO; returns the answer. */
static json_t *commit_and_end(struct fx *f, json_t *l, const char *changes)
{
	http_response r;
	char *body = commit_body(l, 1, 0, changes, 1);
	assert_int_equal(content_call(f, l, "POST", json_string_value(json_object_get(l, "commitUrl")),
				      "Content-Type: application/json", body, &r), 200);
	json_t *ans = json_loads(text(&r), 0, NULL);
	assert_non_null(ans);
	http_response_free(&r);
	free(body);
	return ans;
}

static const char *initial(json_t *l, const char *el)
{
	return json_string_value(json_object_get(json_object_get(l, "initial"), el));
}

static void shared_data(void **state)
{
	struct fx *f = *state;
	add_shared_package(f, "shared4", "4th", "");
	json_t *a = launch(f, "/api/launch/shared4/a", NULL);
	assert_string_equal(initial(a, "adl.data.0.id"), "urn:x:notes");
	assert_null(initial(a, "adl.data.0.store")); /* never written: 403 for the SCO */
	assert_null(initial(a, "adl.data.0.writeSharedData")); /* the default, true */
	json_t *ans = commit_and_end(f, a, "[[\"adl.data.0.store\",\"from A\"],[\"cmi.exit\",\"suspend\"]]");
	assert_true(json_is_true(json_object_get(ans, "result")));
	json_decref(ans);
	json_decref(a);

	/* B reads what A wrote; its map forbids writing it, and lets it write but not read urn:x:drop. */
	json_t *b = launch(f, "/api/launch/shared4/b", NULL);
	assert_string_equal(initial(b, "adl.data.0.id"), "urn:x:notes");
	assert_string_equal(initial(b, "adl.data.0.store"), "from A");
	assert_string_equal(initial(b, "adl.data.0.writeSharedData"), "false");
	assert_string_equal(initial(b, "adl.data.1.id"), "urn:x:drop");
	assert_string_equal(initial(b, "adl.data.1.readSharedData"), "false");
	ans = commit_and_end(f, b, "[[\"adl.data.0.store\",\"from B\"],[\"adl.data.1.store\",\"dropped by B\"],"
				   "[\"adl.data.0.readSharedData\",\"true\"],[\"cmi.exit\",\"suspend\"]]");
	json_t *rej = json_object_get(ans, "rejected");
	assert_int_equal(json_array_size(rej), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rej, 0), "element")), "adl.data.0.store");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rej, 0), "errorCode")), 404);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rej, 1), "errorCode")), 401);
	json_decref(ans);
	json_decref(b);

	/* B's refused write changed nothing; what B could write is there, though B cannot read it. */
	char *v = NULL;
	store *s = f->app->st;
	assert_int_equal(s->ops->shared_get(s, f->app->learner_id, "shared4", 0, "urn:x:notes", &v), 0);
	assert_string_equal(v, "from A");
	free(v);
	assert_int_equal(s->ops->shared_get(s, f->app->learner_id, "shared4", 0, "urn:x:drop", &v), 0);
	assert_string_equal(v, "dropped by B");
	free(v);
	b = launch(f, "/api/launch/shared4/b", NULL);
	assert_null(initial(b, "adl.data.1.store")); /* not sent to a SCO that may not read it */
	json_decref(b);

	/* C maps nothing: no rows. Buckets outlive the attempt (sharedDataGlobalToSystem default). */
	json_t *c = launch(f, "/api/launch/shared4/c", NULL);
	assert_null(initial(c, "adl.data.0.id"));
	int64_t attempt = latest_attempt(f, "shared4");
	json_decref(c);
	assert_int_equal(s->ops->attempt_close(s, attempt), 0);
	a = launch(f, "/api/launch/shared4/a", NULL);
	assert_int_not_equal(latest_attempt(f, "shared4"), attempt); /* a new attempt */
	assert_string_equal(initial(a, "adl.data.0.store"), "from A");
	json_decref(a);

	/* sharedDataGlobalToSystem="false": the buckets last one attempt. */
	add_shared_package(f, "local4", "4th", " adlcp:sharedDataGlobalToSystem=\"false\"");
	a = launch(f, "/api/launch/local4/a", NULL);
	ans = commit_and_end(f, a, "[[\"adl.data.0.store\",\"this attempt\"]]");
	json_decref(ans);
	attempt = latest_attempt(f, "local4");
	json_decref(a);
	b = launch(f, "/api/launch/local4/b", NULL);
	assert_string_equal(initial(b, "adl.data.0.store"), "this attempt");
	json_decref(b);
	assert_int_equal(s->ops->attempt_close(s, attempt), 0);
	b = launch(f, "/api/launch/local4/b", NULL);
	assert_null(initial(b, "adl.data.0.store"));
	json_decref(b);

	/* 3rd Edition: adl.data does not exist, whatever the manifest holds. */
	add_shared_package(f, "shared3", "3rd", "");
	a = launch(f, "/api/launch/shared3/a", NULL);
	json_t *init = json_object_get(a, "initial");
	const char *key;
	json_t *val;
	json_object_foreach(init, key, val) assert_true(strncmp(key, "adl.data", 8) != 0);
	ans = commit_and_end(f, a, "[[\"adl.data.0.store\",\"x\"]]");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(ans, "rejected"), 0), "errorCode")), 401);
	json_decref(ans);
	json_decref(a);
	assert_int_equal(s->ops->shared_get(s, f->app->learner_id, "shared3", 0, "urn:x:notes", &v), 0);
	assert_null(v);
}

/* What a sink saw of a report: everything, in order, and the largest block. */
struct collected {
	char *data;
	size_t len, cap, calls, largest;
	int fail_at; /* > 0: the sink fails on this call */
};

static int collect(void *ctx, const char *data, size_t len)
{
	struct collected *c = ctx;
	c->calls++;
	if (c->fail_at && c->calls == (size_t)c->fail_at)
		return PC_EIO;
	if (len > c->largest)
		c->largest = len;
	if (c->len + len + 1 > c->cap) {
		c->cap = (c->len + len + 1) * 2;
		c->data = realloc(c->data, c->cap);
		assert_non_null(c->data);
	}
	memcpy(c->data + c->len, data, len);
	c->len += len;
	c->data[c->len] = '\0';
	return 0;
}

/* Records past the response limit: /api/records says so plainly (and still answers a smaller
 * question), while rt_records (`postcard records`) hands the whole report to its sink in blocks.
 * The limit is lowered to 1 MiB here so the test stays quick under valgrind; records.test.js
 * runs the real 32 MiB one against the binary. */
static void records_past_the_response_limit(void **state)
{
	struct fx *f = *state;
	store *st = f->app->st;
	store_attempt a = {0};
	int created = 0;
	assert_int_equal(st->ops->attempt_launch(st, f->app->learner_id, "pkg-one", f->hash, &a, &created), 0);
	/* 36 x 16 answers of 4000 characters: 2.3 MB of responses, over a 1 MiB limit. */
	enum { ITEMS = 36, PER = 16, LEN = 4000 };
	f->app->records_max = (size_t)1 << 20;
	assert_int_equal(test_fill_interactions(st, a.id, ITEMS, PER, LEN), 0);
	store_attempt_clear(&a);
	http_response r;
	assert_int_equal(call(f, "GET", "/api/records?interactions=1", NULL, NULL, &r), 500);
	json_t *e = json_loads(text(&r), 0, NULL);
	assert_non_null(e);
	const char *detail = json_string_value(json_object_get(e, "detail"));
	assert_non_null(strstr(detail, "larger than the 1 MiB"));
	assert_non_null(strstr(detail, "postcard records"));
	json_decref(e);
	http_response_free(&r);
	/* Without the answers the report is small and served. */
	assert_int_equal(call(f, "GET", "/api/records", NULL, NULL, &r), 200);
	e = json_loads(text(&r), 0, NULL);
	assert_int_equal(json_array_size(json_object_get(e, "records")), ITEMS);
	json_decref(e);
	http_response_free(&r);
	/* The CLI's path: every row, in blocks of about 64 KiB, never the whole at once. */
	rt_records_query q = {.interactions = 1, .format = RT_RECORDS_JSON};
	struct collected c = {0};
	assert_int_equal(rt_records(f->app, &q, collect, &c), 0);
	assert_true(c.len > 2 * f->app->records_max);
	assert_true(c.calls > c.len / (128 << 10));
	assert_true(c.calls >= 20);
	assert_true(c.largest < (64 << 10) + 2 * LEN);
	json_error_t je;
	e = json_loadb(c.data, c.len, 0, &je);
	assert_non_null(e);
	json_t *in = json_object_get(e, "interactions");
	assert_int_equal(json_array_size(in), ITEMS * PER);
	const char *resp = json_string_value(json_object_get(json_array_get(in, ITEMS * PER - 1),
							     "learner_response"));
	assert_non_null(resp);
	assert_int_equal(strlen(resp), LEN);
	assert_memory_equal(resp, "abcdefghijklmnopqrstuvwxyz", 26);
	json_decref(e);
	free(c.data);
	/* A sink that fails stops the report, and its error comes back. */
	struct collected broken = {.fail_at = 3};
	q.format = RT_RECORDS_CSV;
	assert_int_equal(rt_records(f->app, &q, collect, &broken), PC_EIO);
	assert_int_equal(broken.calls, 3);
	free(broken.data);
}

/* Interactions' latency and timestamp in one format per column whatever the edition: latency
 * h:mm:ss (hundredths when any), timestamps ISO 8601 date-time moved to UTC when they name a
 * zone, a 1.2 time of day as it is (no date is made up); JSON keeps what the SCO wrote. */
static void interaction_times_in_one_format(void **state)
{
	struct fx *f = *state;
	store *st = f->app->st;
	store_attempt a = {0};
	int created = 0;
	assert_int_equal(st->ops->attempt_launch(st, f->app->learner_id, "pkg-one", f->hash, &a, &created), 0);
	static const struct {
		const char *latency, *timestamp, *want_latency, *want_timestamp;
	} cases[] = {
		{"0000:00:05.5", "10:00:00", "0:00:05.50", "10:00:00"},                  /* 1.2 */
		{"PT1M5S", "2026-01-02T10:00:00+02:00", "0:01:05", "2026-01-02T08:00:00Z"},
		{"PT0.25S", "2026-01-01T01:30:00.5-05:30", "0:00:00.25", "2026-01-01T07:00:00.5Z"},
		{"P1DT1H", "2026-01-01T00:15+01", "25:00:00", "2025-12-31T23:15:00Z"},
		{"PT2H", "2026-03-01T00:00:00Z", "2:00:00", "2026-03-01T00:00:00Z"},
		{"0001:02:03", "2026-01-02T10", "1:02:03", "2026-01-02T10:00:00"},    /* no zone */
		{"soon", "2026-01-02", "soon", "2026-01-02"},                         /* as they are */
		{NULL, "2026-13-02T10:00", NULL, "2026-13-02T10:00"},
	};
	enum { N = sizeof cases / sizeof cases[0] };
	store_interaction in[N];
	char ids[N][8];
	for (size_t i = 0; i < N; i++) {
		snprintf(ids[i], sizeof ids[i], "q%zu", i);
		in[i] = (store_interaction){.n = (int64_t)i, .id = ids[i], .type = "other",
					    .latency = cases[i].latency, .timestamp = cases[i].timestamp};
	}
	store_sco_write w = {.attempt_id = a.id, .item = "sco-1", .seq = 1, .state = "{}",
			     .interactions = in, .ninteractions = N, .request = "{}", .response = "{}"};
	assert_int_equal(st->ops->sco_put(st, &w), 0);
	store_attempt_clear(&a);
	rt_records_query q = {.interactions = 1, .format = RT_RECORDS_JSON};
	struct collected c = {0};
	assert_int_equal(rt_records(f->app, &q, collect, &c), 0);
	json_error_t je;
	json_t *e = json_loadb(c.data, c.len, 0, &je);
	assert_non_null(e);
	json_t *rows = json_object_get(e, "interactions");
	assert_int_equal(json_array_size(rows), N);
	for (size_t i = 0; i < N; i++) {
		json_t *r = json_array_get(rows, i);
		const char *got[] = {json_string_value(json_object_get(r, "latency")),
				     json_string_value(json_object_get(r, "timestamp")),
				     json_string_value(json_object_get(r, "scorm_latency")),
				     json_string_value(json_object_get(r, "scorm_timestamp"))};
		const char *want[] = {cases[i].want_latency, cases[i].want_timestamp, cases[i].latency,
				      cases[i].timestamp};
		for (size_t k = 0; k < 4; k++) {
			if (!want[k])
				assert_null(got[k]);
			else
				assert_string_equal(got[k], want[k]);
		}
	}
	json_decref(e);
	free(c.data);
	/* CSV: the same columns, one format. */
	struct collected csv = {0};
	q.format = RT_RECORDS_CSV;
	assert_int_equal(rt_records(f->app, &q, collect, &csv), 0);
	assert_non_null(strstr(csv.data, ",other,,,,,,0:00:05.50,10:00:00,,\n"));
	assert_non_null(strstr(csv.data, ",other,,,,,,25:00:00,2025-12-31T23:15:00Z,,\n"));
	assert_non_null(strstr(csv.data, ",other,,,,,,0:00:00.25,2026-01-01T07:00:00.5Z,,\n"));
	free(csv.data);
}

/* What the manifest says about time reaches the SCO at launch: 1.2 adlcp:maxtimeallowed and
 * adlcp:timelimitaction as cmi.student_data.*, 2004 imsss:limitConditions
 * @attemptAbsoluteDurationLimit and adlcp:timeLimitAction as cmi.max_time_allowed and
 * cmi.time_limit_action; without them 2004 answers 403 and the default action. */
static void time_limits_seeded(void **state)
{
	struct fx *f = *state;
	static const char m12[] =
		"<?xml version=\"1.0\"?>\n"
		"<manifest identifier=\"t12\" xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\""
		" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\">"
		"<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"
		"<organizations default=\"o\"><organization identifier=\"o\"><title>T</title>"
		"<item identifier=\"i\" identifierref=\"r\"><title>I</title>"
		"<adlcp:maxtimeallowed>00:20:00</adlcp:maxtimeallowed>"
		"<adlcp:timelimitaction>exit,message</adlcp:timelimitaction></item>"
		"</organization></organizations>"
		"<resources><resource identifier=\"r\" type=\"webcontent\" adlcp:scormtype=\"sco\""
		" href=\"index.html\"><file href=\"index.html\"/></resource></resources></manifest>\n";
	static const char m04[] =
		"<?xml version=\"1.0\"?>\n"
		"<manifest identifier=\"t04\" xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\""
		" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\" xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\">"
		"<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>"
		"<organizations default=\"o\"><organization identifier=\"o\"><title>T</title>"
		"<item identifier=\"i\" identifierref=\"r\"><title>I</title>"
		"<adlcp:timeLimitAction>continue,message</adlcp:timeLimitAction>"
		"<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit=\"PT1H30M\"/></imsss:sequencing></item>"
		"<item identifier=\"j\" identifierref=\"r\"><title>J</title></item>"
		"</organization></organizations>"
		"<resources><resource identifier=\"r\" type=\"webcontent\" adlcp:scormType=\"sco\""
		" href=\"index.html\"><file href=\"index.html\"/></resource></resources></manifest>\n";
	const char *const f12[] = {"imsmanifest.xml", m12, "index.html", "<!doctype html>", NULL};
	const char *const f04[] = {"imsmanifest.xml", m04, "index.html", "<!doctype html>", NULL};
	add_package_as(f, "t12", "T12", f12);
	add_package_as(f, "t04", "T04", f04);
	json_t *l = launch(f, "/api/launch/t12/i", NULL);
	assert_string_equal(initial(l, "cmi.student_data.max_time_allowed"), "00:20:00");
	assert_string_equal(initial(l, "cmi.student_data.time_limit_action"), "exit,message");
	json_decref(l);
	l = launch(f, "/api/launch/t04/i", NULL);
	assert_string_equal(initial(l, "cmi.max_time_allowed"), "PT1H30M");
	assert_string_equal(initial(l, "cmi.time_limit_action"), "continue,message");
	json_decref(l);
	l = launch(f, "/api/launch/t04/j", NULL);
	assert_null(initial(l, "cmi.max_time_allowed"));
	assert_null(initial(l, "cmi.time_limit_action"));
	json_decref(l);
}

int test_routes(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(central_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(content_and_static, setup, teardown),
		cmocka_unit_test_setup_teardown(pages, setup, teardown),
		cmocka_unit_test_setup_teardown(table_of_contents, setup, teardown),
		cmocka_unit_test_setup_teardown(commits, setup, teardown),
		cmocka_unit_test_setup_teardown(long_item_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(stop_waits_for_parked_commits, setup, teardown),
		cmocka_unit_test_setup_teardown(health_and_metrics, setup, teardown),
		cmocka_unit_test_setup_teardown(shared_data, setup, teardown),
		cmocka_unit_test_setup_teardown(records_past_the_response_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(interaction_times_in_one_format, setup, teardown),
		cmocka_unit_test_setup_teardown(time_limits_seeded, setup, teardown),
	};
	return cmocka_run_group_tests_name("routes", tests, NULL, NULL);
}
