/* routes.c and the handlers, without sockets: the central checks (404, 405, 413, 414), content,
 * static files, pages, commits (idempotent by sequence, beacons as text/plain, other learners
 * refused), /healthz and /metrics. */
#include "cmocka_all.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

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
	fstree_remove(f->dir);
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
	assert_int_equal(call(f, "GET", "/api/commit/1/i1", NULL, NULL, &r), 405);
	assert_string_equal(http_response_header(&r, "Allow"), "POST");
	http_response_free(&r);
	char *big = malloc(HTTP_MAX_BODY + 2);
	memset(big, 'x', HTTP_MAX_BODY + 1);
	big[HTTP_MAX_BODY + 1] = '\0';
	assert_int_equal(call(f, "POST", "/api/commit/1/i1", NULL, big, &r), 413);
	http_response_free(&r);
	/* Routes that read no body take a few bytes at most; commits take up to HTTP_MAX_BODY. */
	big[HTTP_MAX_SMALL_BODY + 1] = '\0';
	assert_int_equal(call(f, "POST", "/api/launch/pkg-one", NULL, big, &r), 413);
	assert_non_null(strstr(text(&r), "limited to 4096 bytes"));
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/", NULL, big, &r), 413);
	http_response_free(&r);
	assert_int_equal(routes_body_limit("POST", "/api/commit/1/i1"), HTTP_MAX_BODY);
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
	strcpy(url, "/content/");
	memset(url + 9, 'a', HTTP_MAX_URL + 10);
	url[HTTP_MAX_URL + 19] = '\0';
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
	snprintf(url, sizeof url, "/content/%s/index.html", f->hash);
	assert_int_equal(call(f, "GET", url, NULL, NULL, &r), 200);
	assert_string_equal(text(&r), "<!doctype html><title>one</title>");
	http_response_free(&r);
	snprintf(url, sizeof url, "/content/%s/%%2e%%2e/index.html", f->hash);
	assert_int_equal(call(f, "GET", url, NULL, NULL, &r), 400);
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/content/abc/index.html", NULL, NULL, &r), 404);
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/static/site.css", NULL, NULL, &r), 200);
	assert_string_equal(r.content_type, "text/css; charset=utf-8");
	char inm[128];
	snprintf(inm, sizeof inm, "If-None-Match: %s", http_response_header(&r, "ETag"));
	http_response_free(&r);
	const char *const h[] = {inm, NULL};
	assert_int_equal(call(f, "GET", "/static/site.css", h, NULL, &r), 304);
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/static/player.js", NULL, NULL, &r), 200);
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/static/scorm-api.js", NULL, NULL, &r), 200);
	assert_string_equal(r.content_type, "text/javascript; charset=utf-8");
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/static/../runtime.h", NULL, NULL, &r), 400);
	http_response_free(&r);
	assert_int_equal(call(f, "GET", "/static/", NULL, NULL, &r), 400); /* no listing */
	http_response_free(&r);
}

/* Launches a part (as the player page's script does) and returns the launch JSON. */
static json_t *launch(struct fx *f, const char *target, const char *const *headers)
{
	http_response r;
	assert_int_equal(call(f, "POST", target, headers, NULL, &r), 200);
	assert_string_equal(r.content_type, "application/json");
	json_t *j = json_loads(text(&r), 0, NULL);
	assert_non_null(j);
	http_response_free(&r);
	return j;
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
	assert_non_null(strstr(page, "<iframe id=\"content-frame\" title=\"Part two\""));
	assert_non_null(strstr(page, "Part 2 of 2"));
	assert_non_null(strstr(page, "rel=\"prev\" href=\"/play/pkg-one/i1\""));
	assert_null(strstr(page, "rel=\"next\""));
	assert_non_null(strstr(page, "\"launchUrl\":\"/api/launch/pkg-one/i2\""));
	http_response_free(&r);
	/* Serving the page starts nothing: the script's launch does. */
	assert_int_equal(call(f, "GET", "/", NULL, NULL, &r), 200);
	assert_non_null(strstr(text(&r), "Not started"));
	http_response_free(&r);
	json_t *l = launch(f, "/api/launch/pkg-one/i2", NULL);
	assert_non_null(strstr(json_string_value(json_object_get(l, "contentUrl")), "/two/page%20two.html?page=2"));
	assert_string_equal(json_string_value(json_object_get(l, "version")), "1.2");
	assert_true(json_is_object(json_object_get(l, "initial")));
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

static void commits(void **state)
{
	struct fx *f = *state;
	json_t *l = launch(f, "/api/launch/pkg-one", NULL);
	const char *url = json_string_value(json_object_get(l, "commitUrl"));
	assert_string_equal(url, "/api/commit/1/i1");
	http_response r;
	char *body = commit_body(l, 1, 0, "[[\"cmi.core.lesson_location\",\"p1\"]]", 0);
	const char *const json_ct[] = {"Content-Type: application/json", NULL};
	assert_int_equal(call(f, "POST", url, json_ct, body, &r), 200);
	json_t *ans = json_loads(text(&r), 0, NULL);
	assert_true(json_is_true(json_object_get(ans, "result")));
	assert_int_equal(json_integer_value(json_object_get(ans, "applied")), 1);
	json_decref(ans);
	http_response_free(&r);
	/* The same request again (a retry) is harmless. */
	assert_int_equal(call(f, "POST", url, json_ct, body, &r), 200);
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
	const char *const beacon[] = {"Content-Type: text/plain;charset=UTF-8", NULL};
	assert_int_equal(call(f, "POST", url, beacon, body, &r), 200);
	ans = json_loads(text(&r), 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(ans, "applied")), 3);
	json_decref(ans);
	http_response_free(&r);
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
	/* Wrong type, not JSON, someone else's attempt, no such attempt. */
	const char *const xml[] = {"Content-Type: application/xml", NULL};
	assert_int_equal(call(f, "POST", url, xml, "{}", &r), 415);
	http_response_free(&r);
	assert_int_equal(call(f, "POST", url, json_ct, "not json", &r), 400);
	http_response_free(&r);
	const char *const other[] = {"Content-Type: application/json", "Cookie: a=b; pc_learner=mallory",
				     NULL};
	body = commit_body(l, 3, 3, "[]", 0);
	assert_int_equal(call(f, "POST", url, other, body, &r), 403);
	http_response_free(&r);
	assert_int_equal(call(f, "POST", "/api/commit/99/i1", json_ct, body, &r), 404);
	http_response_free(&r);
	assert_int_equal(call(f, "POST", "/api/commit/x/i1", json_ct, body, &r), 404);
	http_response_free(&r);
	free(body);
	json_decref(l);
	/* Relaunch resumes the same attempt. */
	l = launch(f, "/api/launch/pkg-one", NULL);
	assert_string_equal(json_string_value(json_object_get(l, "commitUrl")), "/api/commit/1/i1");
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
	const char *const json_ct[] = {"Content-Type: application/json", NULL};
	char *body = commit_body(l, 1, 0, changes, 1);
	assert_int_equal(call(f, "POST", json_string_value(json_object_get(l, "commitUrl")), json_ct, body, &r), 200);
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
	int64_t attempt = 0;
	sscanf(json_string_value(json_object_get(c, "commitUrl")), "/api/commit/%" SCNd64, &attempt);
	json_decref(c);
	assert_int_equal(s->ops->attempt_close(s, attempt), 0);
	a = launch(f, "/api/launch/shared4/a", NULL);
	char first[64];
	snprintf(first, sizeof first, "/api/commit/%" PRId64 "/a", attempt);
	assert_string_not_equal(json_string_value(json_object_get(a, "commitUrl")), first); /* a new attempt */
	assert_string_equal(initial(a, "adl.data.0.store"), "from A");
	json_decref(a);

	/* sharedDataGlobalToSystem="false": the buckets last one attempt. */
	add_shared_package(f, "local4", "4th", " adlcp:sharedDataGlobalToSystem=\"false\"");
	a = launch(f, "/api/launch/local4/a", NULL);
	ans = commit_and_end(f, a, "[[\"adl.data.0.store\",\"this attempt\"]]");
	json_decref(ans);
	sscanf(json_string_value(json_object_get(a, "commitUrl")), "/api/commit/%" SCNd64, &attempt);
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
		cmocka_unit_test_setup_teardown(health_and_metrics, setup, teardown),
		cmocka_unit_test_setup_teardown(shared_data, setup, teardown),
		cmocka_unit_test_setup_teardown(records_past_the_response_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(time_limits_seeded, setup, teardown),
	};
	return cmocka_run_group_tests_name("routes", tests, NULL, NULL);
}
