/* Team mode without sockets: signing in (the form token, wrong passwords, the limits per email
 * address and per client address, the same answer whether or not an account exists), sessions
 * and their cookie, CSRF on every write, roles on every page, one-time links, and local mode
 * without any of it. Also the parsers of what people type in (form bodies, CSV) and what the
 * pages print (text made safe, CSV cells guarded); the per-learner commit quotas. Passwords use
 * argon2id's minimum cost here. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>

#include "quota.h"
#include "test_server.h"

#define PW "correct horse battery"

struct team {
	char *dir;
	rt_app *app;
	int64_t admin, manager, learner;
	char cookie[128]; /* "pc_session=..." of the last sign-in */
	char csrf[64];
};

static int64_t person(rt_app *app, const char *email, const char *name, app_role role)
{
	int64_t id;
	char err[200];
	assert_int_equal(accounts_create(app, "test", email, name, role, PW, &id, NULL, err, sizeof err), 0);
	return id;
}

static int setup(void **state)
{
	struct team *t = calloc(1, sizeof *t);
	t->app = test_app(&t->dir);
	t->app->pw_cost = 1;
	t->admin = person(t->app, "ada@example.org", "Ada", ROLE_ADMIN);
	t->manager = person(t->app, "manny@example.org", "Manny", ROLE_MANAGER);
	t->learner = person(t->app, "lee@example.org", "Lee", ROLE_LEARNER);
	/* What rt_app_new does when accounts exist at start. */
	t->app->accounts = 1;
	assert_int_equal(session_cache_new(&t->app->sessions), 0);
	assert_int_equal(pwq_new(&t->app->pw, 1), 0);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct team *t = *state;
	rt_app_free(t->app);
	fstree_remove(t->dir, NULL, 0);
	free(t->dir);
	free(t);
	return 0;
}

static int call(struct team *t, const char *method, const char *target, const char *const *headers,
		const char *body, http_response *r)
{
	test_req q;
	test_req_init(&q, method, target, headers);
	q.req.body = body;
	q.req.body_len = body ? strlen(body) : 0;
	http_response_init(r);
	routes_dispatch(t->app, &q.req, r);
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

/* The value of cookie `name` in the response's Set-Cookie headers ("" when none). */
static const char *set_cookie(const http_response *r, const char *name)
{
	static char v[128];
	v[0] = '\0';
	for (size_t i = 0; i < r->nheaders; i++) {
		const char *h = r->headers[i].value;
		size_t n = strlen(name);
		if (strcmp(r->headers[i].name, "Set-Cookie") == 0 && strncmp(h, name, n) == 0 && h[n] == '=')
			snprintf(v, sizeof v, "%.*s", (int)strcspn(h + n + 1, ";"), h + n + 1);
	}
	return v;
}

/* Signs in through the form; returns the status (303 when signed in). */
static int sign_in(struct team *t, const char *email, const char *password)
{
	http_response r;
	assert_int_equal(call(t, "GET", "/login", NULL, NULL, &r), 200);
	char form[64], cookie[128], body[512];
	snprintf(form, sizeof form, "%s", set_cookie(&r, "pc_form"));
	assert_int_equal(strlen(form), 43);
	http_response_free(&r);
	snprintf(cookie, sizeof cookie, "Cookie: pc_form=%s", form);
	snprintf(body, sizeof body, "form=%s&email=%s&password=%s&next=%%2Frecords", form, email, password);
	const char *const h[] = {cookie, NULL};
	int status = call(t, "POST", "/login", h, body, &r);
	if (status == 303) {
		assert_string_equal(http_response_header(&r, "Location"), "/records");
		snprintf(t->cookie, sizeof t->cookie, "Cookie: pc_session=%s", set_cookie(&r, "pc_session"));
		assert_int_equal(strlen(t->cookie), strlen("Cookie: pc_session=") + 43);
	}
	http_response_free(&r);
	if (status == 303) {
		/* The session's form token, from a page. */
		const char *const s[] = {t->cookie, NULL};
		assert_int_equal(call(t, "GET", "/", s, NULL, &r), 200);
		const char *at = strstr(text(&r), "name=\"csrf\" value=\"");
		assert_non_null(at);
		snprintf(t->csrf, sizeof t->csrf, "%.43s", at + strlen("name=\"csrf\" value=\""));
		http_response_free(&r);
	}
	return status;
}

static void signing_in_and_out(void **state)
{
	struct team *t = *state;
	http_response r;
	/* Not signed in: pages go to the form and come back; scripts get 401. */
	assert_int_equal(call(t, "GET", "/records?x=1", NULL, NULL, &r), 303);
	assert_string_equal(http_response_header(&r, "Location"), "/login?next=%2Frecords%3Fx%3D1");
	http_response_free(&r);
	assert_int_equal(call(t, "GET", "/api/records", NULL, NULL, &r), 401);
	http_response_free(&r);
	assert_int_equal(call(t, "POST", "/api/launch/x", NULL, NULL, &r), 401);
	http_response_free(&r);
	assert_int_equal(call(t, "GET", "/healthz", NULL, NULL, &r), 200); /* public */
	http_response_free(&r);
	/* A cookie that names no session is no one. */
	const char *const bogus[] = {"Cookie: pc_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL};
	assert_int_equal(call(t, "GET", "/", bogus, NULL, &r), 303);
	http_response_free(&r);
	/* Wrong password, unknown account, malformed form, missing form token. */
	assert_int_equal(sign_in(t, "lee%40example.org", "wrong+password"), 401);
	assert_int_equal(sign_in(t, "nobody%40example.org", "wrong+password"), 401);
	const char *const none[] = {"Cookie: pc_form=x", NULL};
	assert_int_equal(call(t, "POST", "/login", none, "form=y&email=lee%40example.org&password=x", &r), 403);
	http_response_free(&r);
	/* The right one: a session cookie, HttpOnly and SameSite. */
	assert_int_equal(sign_in(t, "Lee%40Example.org", "correct+horse+battery"), 303);
	const char *const s[] = {t->cookie, NULL};
	assert_int_equal(call(t, "GET", "/records", s, NULL, &r), 200);
	assert_non_null(strstr(text(&r), "Sign out"));
	http_response_free(&r);
	/* Signing out needs the form token; then the cookie opens nothing. */
	assert_int_equal(call(t, "POST", "/logout", s, "csrf=wrong", &r), 403);
	http_response_free(&r);
	char body[100];
	snprintf(body, sizeof body, "csrf=%s", t->csrf);
	assert_int_equal(call(t, "POST", "/logout", s, body, &r), 303);
	assert_non_null(strstr(r.headers[0].value, "pc_session=; Path=/; Max-Age=0"));
	http_response_free(&r);
	assert_int_equal(call(t, "GET", "/records", s, NULL, &r), 303);
	http_response_free(&r);
}

/* A session read once is cached for SESSION_CACHE_TTL; clearing the cache (a role changed, a
 * person erased) sends the next request to the store again. */
static void session_cache_cleared(void **state)
{
	struct team *t = *state;
	http_response r;
	assert_int_equal(sign_in(t, "lee%40example.org", "correct+horse+battery"), 303);
	const char *const s[] = {t->cookie, NULL};
	assert_int_equal(call(t, "GET", "/records", s, NULL, &r), 200);
	http_response_free(&r);
	/* the row goes behind the cache's back: the cached session still opens the page */
	char hash[65];
	accounts_token_hash(t->cookie + strlen("Cookie: pc_session="), hash);
	assert_int_equal(t->app->st->ops->session_delete(t->app->st, hash, 0), 0);
	assert_int_equal(call(t, "GET", "/records", s, NULL, &r), 200);
	http_response_free(&r);
	session_cache_clear(t->app->sessions);
	assert_int_equal(call(t, "GET", "/records", s, NULL, &r), 303);
	http_response_free(&r);
}

static void limits_on_signing_in(void **state)
{
	struct team *t = *state;
	/* Five failures for an address: then even the right password is refused, for a while. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(sign_in(t, "lee%40example.org", "wrong+password"), 401);
	assert_int_equal(sign_in(t, "lee%40example.org", "correct+horse+battery"), 429);
	/* The same for an address with no account (nothing tells them apart). */
	for (int i = 0; i < 5; i++)
		assert_int_equal(sign_in(t, "ghost%40example.org", "x"), 401);
	assert_int_equal(sign_in(t, "ghost%40example.org", "x"), 429);
	/* Other accounts still work, until the client address itself has failed too often (30:
	 * failures refused before any check do not count). */
	assert_int_equal(sign_in(t, "ada%40example.org", "correct+horse+battery"), 303);
	int64_t count;
	store *st = t->app->st;
	assert_int_equal(st->ops->throttle_count(st, "address:unknown", (int64_t)time(NULL), 900, &count), 0);
	assert_int_equal(count, 10);
	for (int i = 0; i < 20; i++) {
		char email[64];
		snprintf(email, sizeof email, "other%d%%40example.org", i);
		assert_int_equal(sign_in(t, email, "x"), 401);
	}
	assert_int_equal(sign_in(t, "manny%40example.org", "correct+horse+battery"), 429);
	assert_int_equal(sign_in(t, "ada%40example.org", "correct+horse+battery"), 429);
}

static void roles_and_csrf(void **state)
{
	struct team *t = *state;
	http_response r;
	static const struct {
		const char *email;
		int team, admin;
	} who[] = {{"lee%40example.org", 403, 403}, {"manny%40example.org", 200, 403},
		   {"ada%40example.org", 200, 200}};
	for (size_t i = 0; i < PC_ARRAY_LEN(who); i++) {
		assert_int_equal(sign_in(t, who[i].email, "correct+horse+battery"), 303);
		const char *const s[] = {t->cookie, NULL};
		assert_int_equal(call(t, "GET", "/team", s, NULL, &r), who[i].team);
		http_response_free(&r);
		assert_int_equal(call(t, "GET", "/admin", s, NULL, &r), who[i].admin);
		http_response_free(&r);
		assert_int_equal(call(t, "GET", "/admin/packages", s, NULL, &r), who[i].admin);
		http_response_free(&r);
	}
	/* The admin's writes need the session's token, in the form or a header. */
	const char *const s[] = {t->cookie, NULL};
	assert_int_equal(call(t, "POST", "/admin/groups", s, "name=Ward", &r), 403);
	http_response_free(&r);
	char body[200], header[100];
	snprintf(body, sizeof body, "csrf=%s&name=Ward+7", t->csrf);
	assert_int_equal(call(t, "POST", "/admin/groups", s, body, &r), 303);
	assert_memory_equal(http_response_header(&r, "Location"), "/admin/groups/", 14);
	http_response_free(&r);
	snprintf(header, sizeof header, "X-CSRF-Token: %s", t->csrf);
	const char *const sh[] = {t->cookie, header, NULL};
	assert_int_equal(call(t, "POST", "/admin/groups", sh, "name=Ward+8", &r), 303);
	http_response_free(&r);
	/* Launches too (the player page's script sends the header). */
	assert_int_equal(call(t, "POST", "/api/launch/pkg", s, NULL, &r), 403);
	http_response_free(&r);
	/* An admin adds someone: a one-time link is shown, the account exists. */
	snprintf(body, sizeof body, "csrf=%s&email=new%%40example.org&name=New+Person&role=learner", t->csrf);
	assert_int_equal(call(t, "POST", "/admin/people", s, body, &r), 200);
	const char *link = strstr(text(&r), "/invite/");
	assert_non_null(link);
	char target[100];
	snprintf(target, sizeof target, "%.51s", link);
	http_response_free(&r);
	store_user u;
	assert_int_equal(t->app->st->ops->user_get(t->app->st, 0, "new@example.org", &u), 0);
	assert_null(u.password_hash);
	store_user_clear(&u);
	/* The link: a form, then a password of the right length twice, then it is spent. */
	assert_int_equal(call(t, "GET", target, NULL, NULL, &r), 200);
	char form[64], cookie[100];
	snprintf(form, sizeof form, "%s", set_cookie(&r, "pc_form"));
	http_response_free(&r);
	snprintf(cookie, sizeof cookie, "Cookie: pc_form=%s", form);
	const char *const fc[] = {cookie, NULL};
	snprintf(body, sizeof body, "form=%s&password=short&again=short", form);
	assert_int_equal(call(t, "POST", target, fc, body, &r), 400);
	assert_non_null(strstr(text(&r), "at least 10 characters"));
	http_response_free(&r);
	snprintf(body, sizeof body, "form=%s&password=long+enough+one&again=long+enough+two", form);
	assert_int_equal(call(t, "POST", target, fc, body, &r), 400);
	http_response_free(&r);
	snprintf(body, sizeof body, "form=%s&password=long+enough+one&again=long+enough+one", form);
	assert_int_equal(call(t, "POST", target, fc, body, &r), 303);
	assert_non_null(strstr(set_cookie(&r, "pc_session"), ""));
	assert_int_equal(strlen(set_cookie(&r, "pc_session")), 43);
	http_response_free(&r);
	assert_int_equal(call(t, "GET", target, NULL, NULL, &r), 404);
	http_response_free(&r);
	assert_int_equal(sign_in(t, "new%40example.org", "long+enough+one"), 303);
	assert_int_equal(call(t, "GET", "/invite/AAAA", NULL, NULL, &r), 404);
	http_response_free(&r);
}

/* The quota table alone: a learner's bucket (a minute's worth at once, then refilled in time),
 * their bytes against the store's count (read again after a while), learners apart. */
static int64_t fake_stored;
static int fake_usage_rc;
static int fake_usage(void *ctx, int64_t learner_id, int64_t *bytes)
{
	(void)ctx;
	*bytes = learner_id == 2 ? 0 : fake_stored;
	return fake_usage_rc;
}

static void quota_table(void **state)
{
	(void)state;
	quota *q;
	unsigned after;
	fake_stored = 900;
	fake_usage_rc = 0;
	assert_int_equal(quota_new(&q, 3, 1000, fake_usage, NULL), 0);
	uint64_t t = 1000;
	for (int i = 0; i < 3; i++)
		assert_int_equal(quota_commit(q, 1, 10, t, &after), QUOTA_OK);
	assert_int_equal(quota_commit(q, 1, 10, t, &after), QUOTA_RATE);
	assert_int_equal(after, 21); /* a token every 20 s */
	assert_int_equal(quota_commit(q, 2, 10, t, &after), QUOTA_OK); /* another learner */
	assert_int_equal(quota_commit(q, 1, 10, t + 19000, &after), QUOTA_RATE);
	assert_int_equal(quota_commit(q, 1, 10, t + 20000, &after), QUOTA_OK);
	quota_free(q);
	/* Bytes: 900 stored + what was accepted since the store was asked. */
	assert_int_equal(quota_new(&q, 1000, 1000, fake_usage, NULL), 0);
	assert_int_equal(quota_commit(q, 1, 40, t, &after), QUOTA_OK);
	assert_int_equal(quota_commit(q, 1, 61, t, &after), QUOTA_BYTES);
	assert_int_equal(quota_commit(q, 1, 60, t, &after), QUOTA_OK);
	assert_int_equal(quota_commit(q, 1, 1, t + 100, &after), QUOTA_BYTES);
	/* A prune elsewhere: seen at the next look at the store (a minute on). */
	fake_stored = 100;
	assert_int_equal(quota_commit(q, 1, 1, t + 200, &after), QUOTA_BYTES);
	assert_int_equal(quota_commit(q, 1, 1, t + 61000, &after), QUOTA_OK);
	/* A store that does not answer refuses rather than lets through. */
	fake_usage_rc = PC_EIO;
	assert_int_equal(quota_commit(q, 3, 1, t, &after), QUOTA_STORE);
	quota_clear(q);
	fake_usage_rc = 0;
	assert_int_equal(quota_commit(q, 1, 1, t, &after), QUOTA_OK);
	quota_free(q);
}

static int store_usage(void *ctx, int64_t learner_id, int64_t *bytes)
{
	rt_app *app = ctx;
	return app->st->ops->learner_usage(app->st, learner_id, bytes);
}

/* A signed-in learner's commits through the server: past the rate, 429 in the error shape with
 * Retry-After; past the bytes the store counts for them, 507 saying what to do. */
static void quotas_per_learner(void **state)
{
	struct team *t = *state;
	rt_app *app = t->app;
	/* A package, stored as import stores it. */
	char zip[600], dest[700], hash[65];
	snprintf(zip, sizeof zip, "%s/in.zip", t->dir);
	test_write_zip(zip, test_pkg12);
	FILE *in = fopen(zip, "rb");
	assert_non_null(in);
	static unsigned char data[1 << 20];
	size_t n = fread(data, 1, sizeof data, in);
	fclose(in);
	unsigned char digest[32];
	crypto_hash_sha256(digest, data, n);
	sodium_bin2hex(hash, sizeof hash, digest, sizeof digest);
	snprintf(dest, sizeof dest, "%s/packages/%s.zip", t->dir, hash);
	assert_int_equal(rename(zip, dest), 0);
	store_version v = {.package = (char *)"pkg", .hash = hash, .title = (char *)"Package",
			   .scorm = (char *)"1.2", .size = (int64_t)n};
	char *prev = NULL;
	assert_int_equal(app->st->ops->version_put(app->st, &v, &prev), 0);
	free(prev);
	assert_int_equal(app_load_version(app, "pkg", hash, 1, NULL), 0);
	/* Small limits: 4 commits a minute, 2 KB. */
	assert_int_equal(quota_new(&app->quota, 4, 2048, store_usage, app), 0);
	assert_int_equal(sign_in(t, "lee%40example.org", "correct+horse+battery"), 303);
	char header[100];
	snprintf(header, sizeof header, "X-CSRF-Token: %s", t->csrf);
	const char *const s[] = {t->cookie, header, NULL};
	http_response r;
	assert_int_equal(call(t, "POST", "/api/launch/pkg", s, NULL, &r), 200);
	json_t *a = json_loads(text(&r), 0, NULL);
	http_response_free(&r);
	const char *frame = json_string_value(json_object_get(a, "frameUrl"));
	const char *origin = json_string_value(json_object_get(a, "origin"));
	assert_non_null(frame);
	char host[200], path[200], commit[200];
	snprintf(host, sizeof host, "Host: %s", origin + 7);
	snprintf(path, sizeof path, "%slaunch", frame + strlen(origin));
	snprintf(commit, sizeof commit, "%scommit", frame + strlen(origin));
	json_decref(a);
	const char *const h[] = {host, "Content-Type: application/json", NULL};
	assert_int_equal(call(t, "POST", path, h, NULL, &r), 200);
	json_t *l = json_loads(text(&r), 0, NULL);
	http_response_free(&r);
	long long session = (long long)json_integer_value(json_object_get(l, "session"));
	json_decref(l);
	char body[1200];
	char big[801];
	memset(big, 'x', 800);
	big[800] = '\0';
	/* Each commit is about 900 bytes: the launch's one (the first) was free. */
	int statuses[6];
	for (unsigned i = 0; i < 6; i++) {
		snprintf(body, sizeof body,
			 "{\"protocol\":1,\"version\":\"1.2\",\"session\":%lld,\"seq\":%u,\"from\":%u,"
			 "\"changes\":[[\"cmi.suspend_data\",\"%.*s\"]],\"terminate\":false}",
			 session, i + 1, i, 800 - (int)i, big);
		statuses[i] = call(t, "POST", commit, h, body, &r);
		if (statuses[i] == 507) {
			json_t *e = json_loads(text(&r), 0, NULL);
			assert_int_equal(json_integer_value(json_object_get(e, "code")), 507);
			assert_non_null(strstr(json_string_value(json_object_get(e, "detail")),
					       "reached their limit of 0 MiB"));
			json_decref(e);
		}
		if (statuses[i] == 429) {
			json_t *e = json_loads(text(&r), 0, NULL);
			assert_int_equal(json_integer_value(json_object_get(e, "code")), 429);
			assert_non_null(strstr(json_string_value(json_object_get(e, "detail")),
					       "at most 4 a minute per learner"));
			json_decref(e);
		}
		http_response_free(&r);
	}
	/* Two fit in 2 KB; the third is refused for its bytes (no token spent), and so on until
	 * the rate stops them first (the bytes check is after the rate's). */
	assert_int_equal(statuses[0], 200);
	assert_int_equal(statuses[1], 200);
	assert_int_equal(statuses[2], 507);
	assert_int_equal(statuses[3], 507);
	int64_t stored = 0;
	assert_int_equal(app->st->ops->learner_usage(app->st, t->learner, &stored), 0);
	assert_true(stored > 1500 && stored <= 2048);
	/* Another learner is not held back by Lee's quota, and Lee's rate runs out: 4 a minute. */
	quota_free(app->quota);
	assert_int_equal(quota_new(&app->quota, 4, (int64_t)1 << 30, store_usage, app), 0);
	int ok = 0, limited = 0;
	for (unsigned i = 2; i < 8; i++) {
		snprintf(body, sizeof body,
			 "{\"protocol\":1,\"version\":\"1.2\",\"session\":%lld,\"seq\":%u,\"from\":%u,"
			 "\"changes\":[[\"cmi.core.lesson_location\",\"p%u\"]],\"terminate\":false}",
			 session, i + 1, i, i);
		int st = call(t, "POST", commit, h, body, &r);
		if (st == 429) {
			limited++;
			int wait = atoi(http_response_header(&r, "Retry-After"));
			assert_true(wait >= 1 && wait <= 16); /* a token every 15 s */
			assert_non_null(strstr(text(&r), "at most 4 a minute per learner"));
		} else {
			assert_int_equal(st, 200);
			ok++;
		}
		http_response_free(&r);
	}
	assert_int_equal(ok, 4);
	assert_int_equal(limited, 2);
}

/* GET (and HEAD) never write: every page and answer an admin, a manager and a learner can
 * fetch, with a package, a group, people and records present, leaves the database as it was
 * (PRAGMA data_version, read on a connection of the test's own, changes with any commit). */
static void gets_never_write(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char db[600];
	snprintf(db, sizeof db, "%s/postcard.db", dir);
	rt_config cfg = {.data_dir = dir, .db_path = db, .learner = "tester", .pw_cost = 1};
	char err[256] = "";
	rt_app *app = NULL;
	assert_int_equal(rt_app_new(&app, &cfg, err, sizeof err), 0);
	struct team t = {.dir = dir, .app = app};
	t.admin = person(app, "ada@example.org", "Ada", ROLE_ADMIN);
	t.learner = person(app, "lee@example.org", "Lee", ROLE_LEARNER);
	app->accounts = 1;
	assert_int_equal(session_cache_new(&app->sessions), 0);
	assert_int_equal(pwq_new(&app->pw, 1), 0);
	int64_t group;
	assert_int_equal(app->st->ops->group_add(app->st, "Ward 7", &group), 0);
	sqlite3 *own;
	assert_int_equal(sqlite3_open_v2(db, &own, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sign_in(&t, "ada%40example.org", "correct+horse+battery"), 303);
	char admin_cookie[128];
	snprintf(admin_cookie, sizeof admin_cookie, "%s", t.cookie);
	assert_int_equal(sign_in(&t, "lee%40example.org", "correct+horse+battery"), 303);
	char paths[][96] = {"/", "/?q=peer", "/records", "/api/records", "/api/records?interactions=1",
			    "/play/nothing", "/healthz", "/metrics", "/login", "/login?next=%2Fteam",
			    "/invite/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/team", "/team.csv",
			    "/team?group=1&status=failed&from=2020-01-01", "/team/learner/2", "/admin",
			    "/admin/packages", "/admin/groups/1", "/admin/people/2/erase",
			    "/static/site.css", "/nowhere"};
	snprintf(paths[14], sizeof paths[14], "/team/learner/%lld", (long long)t.learner);
	snprintf(paths[17], sizeof paths[17], "/admin/groups/%lld", (long long)group);
	snprintf(paths[18], sizeof paths[18], "/admin/people/%lld/erase", (long long)t.learner);
	const char *cookies[] = {admin_cookie, t.cookie, NULL};
	for (size_t who = 0; who < PC_ARRAY_LEN(cookies); who++) {
		for (size_t i = 0; i < PC_ARRAY_LEN(paths); i++) {
			for (int head = 0; head < 2; head++) {
				sqlite3_stmt *q;
				assert_int_equal(sqlite3_prepare_v2(own, "PRAGMA data_version", -1, &q, NULL), SQLITE_OK);
				assert_int_equal(sqlite3_step(q), SQLITE_ROW);
				int before = sqlite3_column_int(q, 0);
				sqlite3_reset(q);
				const char *const h[] = {cookies[who], NULL};
				http_response r;
				int status = call(&t, head ? "HEAD" : "GET", paths[i], cookies[who] ? h : NULL, NULL, &r);
				http_response_free(&r);
				assert_int_equal(sqlite3_step(q), SQLITE_ROW);
				int after = sqlite3_column_int(q, 0);
				sqlite3_finalize(q);
				if (after != before)
					fail_msg("%s %s (as %s) answered %d and wrote to the database",
						 head ? "HEAD" : "GET", paths[i],
						 who == 0 ? "the admin" : who == 1 ? "a learner" : "nobody", status);
			}
		}
	}
	sqlite3_close(own);
	rt_app_free(app);
	fstree_remove(dir, NULL, 0);
	free(dir);
}

static void local_mode_has_none_of_it(void **state)
{
	(void)state;
	char *dir;
	rt_app *app = test_app(&dir);
	http_response r;
	test_req q;
	static const char *const targets[] = {"/login", "/team", "/admin", "/invite/x"};
	for (size_t i = 0; i < PC_ARRAY_LEN(targets); i++) {
		test_req_init(&q, "GET", targets[i], NULL);
		http_response_init(&r);
		routes_dispatch(app, &q.req, &r);
		assert_int_equal(r.status, 404);
		http_response_free(&r);
	}
	rt_app_free(app);
	fstree_remove(dir, NULL, 0);
	free(dir);
}

static void parsers_and_printers(void **state)
{
	(void)state;
	char v[16];
	const char body[] = "a=1&email=lee%40example.org&name=Lou+%C3%A9&bad=%zz&nul=%00&long=0123456789abcdef";
	size_t n = strlen(body);
	assert_int_equal(http_form_field(body, n, "email", v, sizeof v), 1);
	assert_string_equal(v, "lee@example.org");
	assert_int_equal(http_form_field(body, n, "name", v, sizeof v), 1);
	assert_string_equal(v, "Lou \xc3\xa9");
	assert_int_equal(http_form_field(body, n, "bad", v, sizeof v), -1);
	assert_int_equal(http_form_field(body, n, "nul", v, sizeof v), -1);
	assert_int_equal(http_form_field(body, n, "long", v, sizeof v), -1); /* no room */
	assert_int_equal(http_form_field(body, n, "none", v, sizeof v), 0);
	assert_string_equal(v, "");
	assert_int_equal(http_form_field(body, 3, "email", v, sizeof v), 0); /* only what len covers */
	assert_int_equal(http_form_field(NULL, 0, "a", v, sizeof v), 0);

	/* Text for pages: escaped, controls and bidirectional overrides replaced, the rest kept. */
	buf b;
	buf_init(&b, 0);
	html_text(&b, "<b>Fire\xe2\x80\xae" "gnp.exe\x07 caf\xc3\xa9\tok");
	assert_string_equal(buf_cstr(&b), "&lt;b&gt;Fire\xef\xbf\xbdgnp.exe\xef\xbf\xbd caf\xc3\xa9\tok");
	buf_reset(&b);
	html_text(&b, "\xe2\x81\xa6x\xe2\x81\xa9 \xc2\x85");
	assert_string_equal(buf_cstr(&b), "\xef\xbf\xbdx\xef\xbf\xbd \xef\xbf\xbd");
	/* CSV cells: formulas guarded (TAB and CR first too), numbers kept. */
	buf_reset(&b);
	static const char *const cells[] = {"=1+1", "+SUM(A1)", "-5", "+0.75", "-", "@x", "\t=1", "\r=1", "ok", "a,b"};
	for (size_t i = 0; i < PC_ARRAY_LEN(cells); i++)
		csv_cell(&b, cells[i], i + 1 == PC_ARRAY_LEN(cells));
	assert_string_equal(buf_cstr(&b), "'=1+1,'+SUM(A1),-5,+0.75,'-,'@x,'\t=1,\"'\r=1\",ok,\"a,b\"\n");
	buf_free(&b);

	/* CSV uploads. */
	csv_row *rows;
	size_t nrows;
	char err[200];
	const char csv[] = "\xef\xbb\xbf" "email,name\r\na@x.org,\"Smith, Jo\"\n\n\"b@x.org\",\"say \"\"hi\"\"\",admin\n";
	assert_int_equal(csv_parse(csv, strlen(csv), &rows, &nrows, err, sizeof err), 0);
	assert_int_equal(nrows, 3);
	assert_string_equal(rows[1].fields[1], "Smith, Jo");
	assert_int_equal(rows[2].line, 4);
	assert_int_equal(rows[2].n, 3);
	assert_string_equal(rows[2].fields[1], "say \"hi\"");
	csv_rows_free(rows, nrows);
	static const struct {
		const char *in;
		int rc;
		const char *msg;
	} bad[] = {
		{"a,\"b\n", PC_EFORMAT, "line 1: a quote is not closed"},
		{"a\nb,c\"d\n", PC_EFORMAT, "line 2: a quote inside a field"},
		{"\"a\"x,b\n", PC_EFORMAT, "line 1: text after a closing quote"},
		{"1,2,3,4,5,6,7,8,9\n", PC_ELIMIT, "line 1: more than 8 fields"},
		{"\xff\n", PC_EFORMAT, "not UTF-8"},
	};
	for (size_t i = 0; i < PC_ARRAY_LEN(bad); i++) {
		assert_int_equal(csv_parse(bad[i].in, strlen(bad[i].in), &rows, &nrows, err, sizeof err), bad[i].rc);
		assert_non_null(strstr(err, bad[i].msg));
		assert_null(rows);
	}
	char big[400];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(csv_parse(big, strlen(big), &rows, &nrows, err, sizeof err), PC_ELIMIT);
	char *many = malloc(CSV_ROWS_MAX * 2 + 10);
	for (size_t i = 0; i < CSV_ROWS_MAX + 1; i++)
		memcpy(many + 2 * i, "x\n", 2);
	assert_int_equal(csv_parse(many, 2 * (CSV_ROWS_MAX + 1), &rows, &nrows, err, sizeof err), PC_ELIMIT);
	free(many);
	/* Emails and passwords. */
	char e[300];
	assert_int_equal(accounts_email("  Ann.Lee@NHS.net ", e, sizeof e), 0);
	assert_string_equal(e, "ann.lee@nhs.net");
	static const char *const not_emails[] = {"", "a@b", "@x.org", "a@.org", "a@x.", "a b@x.org",
						 "a@@x.org", "<a@x.org>", "a@x.org,b@x.org"};
	for (size_t i = 0; i < PC_ARRAY_LEN(not_emails); i++)
		assert_int_equal(accounts_email(not_emails[i], e, sizeof e), -1);
	assert_non_null(accounts_password_problem("short"));
	assert_null(accounts_password_problem("ten chars!"));
	assert_non_null(accounts_password_problem("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"));
}

int test_team(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(signing_in_and_out, setup, teardown),
		cmocka_unit_test_setup_teardown(session_cache_cleared, setup, teardown),
		cmocka_unit_test_setup_teardown(limits_on_signing_in, setup, teardown),
		cmocka_unit_test_setup_teardown(roles_and_csrf, setup, teardown),
		cmocka_unit_test(local_mode_has_none_of_it),
		cmocka_unit_test(quota_table),
		cmocka_unit_test(gets_never_write),
		cmocka_unit_test_setup_teardown(quotas_per_learner, setup, teardown),
		cmocka_unit_test(parsers_and_printers),
	};
	return cmocka_run_group_tests_name("team", tests, NULL, NULL);
}
