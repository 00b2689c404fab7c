/* Fuzz target for whole requests through the route table and every handler, without sockets
 * (runtime/server/routes.c, pages.c, records.c, launch.c, commit.c, zipserve.c, http.c): the
 * same path a request takes after server.c has read it. One app serves the whole run (a SCORM
 * 1.2 package in two parts, with a large stored video and a large deflated file, and a SCORM
 * 2004 one with controls and objectives; a second app, in team mode, serves "#team" inputs).
 * After each input its store is put back to the same
 * rows (the two versions and the local learner) and the app forgets what it remembers about
 * learners and sessions (app_forget), so an input replays alone exactly as it ran; only the
 * file cache is kept, which changes no answer. Random bytes (launch tokens) come from a
 * generator restarted for every input. A new app per input (a thread, a schema, two
 * manifests, and every SQL statement prepared again) ran about 100 inputs a second; see
 * reset_store. SQLite's objects come from free lists kept for the run (sqlite_pool.c).
 *
 * Input: up to 8 requests separated by a line "%%". A request is "METHOD TARGET", then header
 * lines "Name: value", an empty line, and the body. A request whose first line ends in " D" is
 * answered through the deferred path (as the server parks commits), otherwise synchronously.
 * Launch tokens are not known in advance, so an input names the last one the app made (POST /api/launch) as
 * "@T@" in a target and its content origin as "@H@" in a header value (before any launch, a
 * token and a host that name nothing). The pc_learner cookie picks the learner.
 *
 * An input whose first line is "#team" goes to a second app, in team mode (accounts exist):
 * an admin, a manager and a learner (emails admin@, manager@, learner@example.org, passwords
 * "admin password" and so on), the manager and the learner in group "Team A", which is asked
 * to do fz12. Each has a session already: in header values "@A@", "@M@" and "@L@" are their
 * session tokens (Cookie: pc_session=@A@), "@C@" their form token (X-CSRF-Token: @C@), and
 * "@S@" the session token of the last sign-in of this input (POST /login) that succeeded, and
 * in a target "@V@" the token of the last one-time link an admin page showed (/invite/@V@). So
 * the sign-in, invitation, admin, team and CSV upload handlers get whatever a browser (or an
 * attacker) can send them, past the checks or not.
 *
 * Checks, besides "no crash, no leak, no hang": every status is one the server knows and never
 * 500; errors are the one JSON shape (or, for commits, the adapter's answer); HTML and JSON
 * bodies are valid UTF-8; 304 has no body and 206 a Content-Range; a streamed large file (the
 * 1.2 package has two) gives its first blocks. Team mode: a page behind sign-in is never
 * served (200) to a request without a session, nor /admin or /team to the learner's; pages may
 * answer an error in HTML (the sign-in form again), scripts (/api/) only in JSON.
 * FUZZ_REQUEST_TRACE=1 in the environment prints a line per request (see trace). */
#define _GNU_SOURCE
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>
#include <zip.h>

#include "app.h"
#include "sqlite_pool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

#define HASH12 "1212121212121212121212121212121212121212121212121212121212121212"
#define HASH04 "2004200420042004200420042004200420042004200420042004200420042004"

static const char manifest12[] =
	"<?xml version=\"1.0\"?>\n"
	"<manifest identifier=\"fz12\" version=\"1\" xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\""
	" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\">"
	"<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"
	"<organizations default=\"o\"><organization identifier=\"o\"><title>Fuzz &amp; 1.2</title>"
	"<item identifier=\"i1\" identifierref=\"r1\"><title>Part one</title>"
	"<adlcp:masteryscore>80</adlcp:masteryscore><adlcp:datafromlms>from the manifest</adlcp:datafromlms>"
	"<adlcp:maxtimeallowed>00:10:00</adlcp:maxtimeallowed><adlcp:timelimitaction>exit,message</adlcp:timelimitaction></item>"
	"<item identifier=\"i 2\" identifierref=\"r2\" parameters=\"?page=2\"><title>Part two</title></item>"
	"<item identifier=\"g\"><title>Group</title><item identifier=\"i3\" identifierref=\"r3\"><title>Asset</title></item></item>"
	"</organization></organizations>"
	"<resources><resource identifier=\"r1\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"index.html\">"
	"<file href=\"index.html\"/></resource>"
	"<resource identifier=\"r2\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"two/page two.html\">"
	"<file href=\"two/page two.html\"/></resource>"
	"<resource identifier=\"r3\" type=\"webcontent\" adlcp:scormtype=\"asset\" href=\"big.txt\">"
	"<file href=\"big.txt\"/></resource></resources></manifest>\n";

static const char manifest04[] =
	"<?xml version=\"1.0\"?>\n"
	"<manifest identifier=\"fz2004\" version=\"1.0\" xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\""
	" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\" xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\">"
	"<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>"
	"<organizations default=\"org\"><organization identifier=\"org\"><title>Fuzz 2004</title>"
	"<item identifier=\"a\" identifierref=\"res1\"><title>First</title>"
	"<adlcp:completionThreshold completedByMeasure=\"true\" minProgressMeasure=\"0.8\"/>"
	"<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID=\"p\" satisfiedByMeasure=\"true\">"
	"<imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure></imsss:primaryObjective>"
	"<imsss:objective objectiveID=\"o2\"/></imsss:objectives></imsss:sequencing></item>"
	"<item identifier=\"b\" identifierref=\"res1\" parameters=\"#b\"><title>Second</title></item>"
	"<imsss:sequencing><imsss:controlMode choice=\"false\" flow=\"true\"/><imsss:rollupRules/></imsss:sequencing>"
	"</organization></organizations>"
	"<resources><resource identifier=\"res1\" type=\"webcontent\" adlcp:scormType=\"sco\" href=\"index.html\">"
	"<file href=\"index.html\"/></resource></resources></manifest>\n";

static char dir[64];

/* files: name, content pairs; a name ending in ".mp4" is stored (as authoring tools store
 * media), every other one deflated. */
static void write_zip(const char *path, const char *const *files)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	check(z != NULL);
	for (size_t i = 0; files[i]; i += 2) {
		zip_source_t *s = zip_source_buffer(z, files[i + 1], strlen(files[i + 1]), 0);
		zip_int64_t idx = s ? zip_file_add(z, files[i], s, ZIP_FL_ENC_UTF_8) : -1;
		check(idx >= 0);
		size_t len = strlen(files[i]);
		if (len > 4 && strcmp(files[i] + len - 4, ".mp4") == 0)
			check(zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0) == 0);
	}
	check(zip_close(z) == 0);
}

static void remove_dir(void)
{
	char path[256];
	snprintf(path, sizeof path, "%s/packages/%s.zip", dir, HASH12);
	unlink(path);
	snprintf(path, sizeof path, "%s/packages/%s.zip", dir, HASH04);
	unlink(path);
	snprintf(path, sizeof path, "%s/packages", dir);
	rmdir(path);
	rmdir(dir);
}

/* The package zips, written once per process into a scratch folder. */
static void make_packages(void)
{
	static char big[20000];
	for (size_t i = 0; i + 1 < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	/* Over ZIPSERVE_CACHE_ENTRY_MAX: served as streams, the stored one by seeking, the deflated
	 * one by inflating from its start. A range near its end inflates the whole file: at the
	 * 8 MiB of ordinary builds, 50 ms with ASan, which made inputs that read it (and their
	 * mutations) a quarter of the run; fuzzing builds stream from 256 KiB (zipserve.h). */
	static char video[ZIPSERVE_CACHE_ENTRY_MAX + 100000];
	for (size_t i = 0; i + 1 < sizeof video; i++)
		video[i] = (char)('A' + (i / 4096) % 26);
	snprintf(dir, sizeof dir, "/tmp/postcard-fuzz-XXXXXX");
	check(mkdtemp(dir) != NULL);
	char path[256];
	snprintf(path, sizeof path, "%s/packages", dir);
	check(mkdir(path, 0755) == 0);
	const char *const p12[] = {"imsmanifest.xml", manifest12, "index.html", "<!doctype html><title>1</title>",
				   "two/page two.html", "<p>two</p>", "big.txt", big,
				   "style.css", "body{}", "media/v.mp4", video, "media/long.txt", video, NULL};
	const char *const p04[] = {"imsmanifest.xml", manifest04, "index.html", "<!doctype html><title>a</title>",
				   "img/x.svg", "<svg/>", NULL};
	snprintf(path, sizeof path, "%s/packages/%s.zip", dir, HASH12);
	write_zip(path, p12);
	snprintf(path, sizeof path, "%s/packages/%s.zip", dir, HASH04);
	write_zip(path, p04);
	atexit(remove_dir);
}

/* The two apps of the run (make_apps): local mode, and team mode ("#team" inputs). */
static rt_app *local_app, *team_app;

/* Each app's store is an in-memory database shared by name between the connections of this
 * process (SQLite's memdb VFS shares a database whose name starts with '/'): the store's two,
 * which keep their prepared statements for the whole run, and `db`, this file's own, which
 * puts the rows back between inputs. A new store per input spent most of its time parsing the
 * schema and preparing statements again. */
#define STORE_URI "file:/postcard-fuzz?vfs=memdb"
#define TEMPLATE_URI "file:/postcard-fuzz-template?vfs=memdb"
#define TEAM_STORE_URI "file:/postcard-fuzz-team?vfs=memdb"
#define TEAM_TEMPLATE_URI "file:/postcard-fuzz-team-template?vfs=memdb"
#define MAX_TABLES 64
struct template {
	sqlite3 *db;
	sqlite3_stmt *clear[MAX_TABLES], *refill[MAX_TABLES]; /* per table */
	size_t ntables;
	int data_version; /* the store's, as db last saw it */
};
static struct template local_rows, team_rows;

static void sql(sqlite3 *db, const char *q)
{
	check(sqlite3_exec(db, q, NULL, NULL, NULL) == SQLITE_OK);
}

static int store_data_version(sqlite3 *db)
{
	sqlite3_stmt *q = NULL;
	check(sqlite3_prepare_v2(db, "PRAGMA main.data_version", -1, &q, NULL) == SQLITE_OK);
	check(sqlite3_step(q) == SQLITE_ROW);
	int v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* Opens this file's connection to the store at `uri` (keeping an in-memory database alive
 * while the app that made it is opened again). */
static void template_open(struct template *t, const char *uri)
{
	check(sqlite3_open_v2(uri, &t->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
			      NULL) == SQLITE_OK);
}

/* Copies every table of the store, as the app left it after setting up, into the template
 * (`tmpl_uri`), and prepares the statements that put them back. Tables are found in the
 * schema, so new migrations need nothing here. Triggers are off on this connection only (the
 * journal's refuse DELETE), as are foreign keys (tables are cleared in any order). */
static void make_template(struct template *t, const char *tmpl_uri)
{
	check(sqlite3_db_config(t->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL) == SQLITE_OK);
	char *attach = sqlite3_mprintf("PRAGMA foreign_keys=OFF; ATTACH %Q AS tmpl", tmpl_uri);
	check(attach != NULL);
	sql(t->db, attach);
	sqlite3_free(attach);
	sqlite3_stmt *q = NULL;
	check(sqlite3_prepare_v2(t->db, "SELECT name FROM main.sqlite_schema WHERE type = 'table'", -1,
				 &q, NULL) == SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		check(t->ntables < MAX_TABLES);
		/* prefixed: "sqlite_sequence" (AUTOINCREMENT) is a reserved name */
		char *copy = sqlite3_mprintf("CREATE TABLE tmpl.\"copy_%w\" AS SELECT * FROM main.\"%w\"", name, name);
		char *del = sqlite3_mprintf("DELETE FROM main.\"%w\"", name);
		char *ins = sqlite3_mprintf("INSERT INTO main.\"%w\" SELECT * FROM tmpl.\"copy_%w\"", name, name);
		check(copy && del && ins);
		sql(t->db, copy);
		check(sqlite3_prepare_v3(t->db, del, -1, SQLITE_PREPARE_PERSISTENT, &t->clear[t->ntables], NULL) ==
		      SQLITE_OK);
		check(sqlite3_prepare_v3(t->db, ins, -1, SQLITE_PREPARE_PERSISTENT, &t->refill[t->ntables], NULL) ==
		      SQLITE_OK);
		t->ntables++;
		sqlite3_free(copy);
		sqlite3_free(del);
		sqlite3_free(ins);
	}
	sqlite3_finalize(q);
	t->data_version = store_data_version(t->db);
}

static void step(sqlite3_stmt *q)
{
	check(sqlite3_step(q) == SQLITE_DONE);
	sqlite3_reset(q);
}

/* Puts the store's rows back as they were after setting up, when anything was written since
 * (the data version moves with every commit of another connection): about 0.1 ms, where a
 * new store with its migrations took 1 ms and preparing the statements again as much. */
static void reset_store(struct template *t)
{
	int v = store_data_version(t->db);
	if (v == t->data_version)
		return;
	sql(t->db, "BEGIN IMMEDIATE");
	for (size_t i = 0; i < t->ntables; i++) {
		step(t->clear[i]);
		step(t->refill[i]);
	}
	sql(t->db, "COMMIT");
	t->data_version = store_data_version(t->db);
}

static void template_free(struct template *t)
{
	for (size_t i = 0; i < t->ntables; i++) {
		sqlite3_finalize(t->clear[i]);
		sqlite3_finalize(t->refill[i]);
	}
	sqlite3_close(t->db);
	memset(t, 0, sizeof *t);
}

static void free_apps(void)
{
	rt_app_free(local_app);
	rt_app_free(team_app);
	local_app = team_app = NULL;
	template_free(&local_rows);
	template_free(&team_rows);
}

/* libsodium's random bytes (launch tokens), from a generator (splitmix64) restarted before
 * every input: the same input gets the same tokens, so it replays exactly. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static const char *rng_name(void)
{
	return "fuzz_request";
}

static uint32_t rng_random(void)
{
	return (uint32_t)rng_next();
}

static void rng_buf(void *const out, const size_t size)
{
	unsigned char *b = out;
	for (size_t i = 0; i < size; i++)
		b[i] = (unsigned char)rng_next();
}

static randombytes_implementation rng = {.implementation_name = rng_name,
					 .random = rng_random,
					 .buf = rng_buf};

/* The two versions, stored and loaded (manifests parsed) in `a`. */
static void add_versions(rt_app *a)
{
	store_version v12 = {.package = (char *)"fz12", .hash = (char *)HASH12, .title = (char *)"Fuzz 1.2",
			     .scorm = (char *)"1.2", .size = 1};
	store_version v04 = {.package = (char *)"fz2004", .hash = (char *)HASH04,
			     .title = (char *)"Fuzz 2004", .scorm = (char *)"2004-4th", .size = 1};
	char *prev = NULL;
	check(a->st->ops->version_put(a->st, &v12, &prev) == 0);
	free(prev);
	prev = NULL;
	check(a->st->ops->version_put(a->st, &v04, &prev) == 0);
	free(prev);
	check(app_load_version(a, "fz12", HASH12, 1, NULL) == 0);
	check(app_load_version(a, "fz2004", HASH04, 1, NULL) == 0);
}

/* Team mode's people (see the top of this file): their sessions' tokens and their form token. */
#define SESSION_ADMIN "adminadminadminadminadminadminadminadmin-AA"
#define SESSION_MANAGER "managermanagermanagermanagermanagermanag-MM"
#define SESSION_LEARNER "learnerlearnerlearnerlearnerlearnerlearn-LL"
#define SESSION_CSRF "csrfcsrfcsrfcsrfcsrfcsrfcsrfcsrfcsrfcsrf-CC"
#define WARM_FORM "warmwarmwarmwarmwarmwarmwarmwarmwarmwarm-WW"
_Static_assert(sizeof SESSION_ADMIN == HTTP_TOKEN_LEN + 1 && sizeof SESSION_MANAGER == HTTP_TOKEN_LEN + 1 &&
		       sizeof SESSION_LEARNER == HTTP_TOKEN_LEN + 1 && sizeof SESSION_CSRF == HTTP_TOKEN_LEN + 1 &&
		       sizeof WARM_FORM == HTTP_TOKEN_LEN + 1,
	       "session tokens are HTTP_TOKEN_LEN characters");

/* The team app: its store gets the three accounts (which turns team mode on when the app is
 * opened again), the group, and a session for each. */
static void make_team_app(void)
{
	rt_config cfg = {.data_dir = dir, .db_path = TEAM_STORE_URI, .learner = "fuzzer", .pw_cost = 1};
	char err[256] = "";
	rt_app *a = NULL;
	check(rt_app_new(&a, &cfg, err, sizeof err) == 0);
	template_open(&team_rows, TEAM_STORE_URI); /* the store outlives this first app */
	static const struct {
		const char *email, *name, *password, *token;
		app_role role;
	} people[] = {
		{"admin@example.org", "Ada Admin", "admin password", SESSION_ADMIN, ROLE_ADMIN},
		{"manager@example.org", "Manu Manager", "manager password", SESSION_MANAGER, ROLE_MANAGER},
		{"learner@example.org", "Lea Learner", "learner password", SESSION_LEARNER, ROLE_LEARNER},
	};
	int64_t ids[3], group;
	for (size_t i = 0; i < 3; i++)
		check(accounts_create(a, "fuzz", people[i].email, people[i].name, people[i].role,
				      people[i].password, &ids[i], NULL, err, sizeof err) == 0);
	check(a->st->ops->group_add(a->st, "Team A", &group) == 0);
	check(a->st->ops->member_set(a->st, group, ids[1], 1) == 0);
	check(a->st->ops->member_set(a->st, group, ids[2], 0) == 0);
	add_versions(a);
	check(a->st->ops->assignment_set(a->st, group, "fz12", 1) == 0);
	int64_t expires = (int64_t)time(NULL) + 365 * 24 * 3600;
	for (size_t i = 0; i < 3; i++) {
		char hash[65];
		accounts_token_hash(people[i].token, hash);
		check(a->st->ops->session_put(a->st, hash, ids[i], SESSION_CSRF, expires) == 0);
	}
	rt_app_free(a);
	check(rt_app_new(&team_app, &cfg, err, sizeof err) == 0);
	check(rt_app_accounts(team_app));
	add_versions(team_app);
	make_template(&team_rows, TEAM_TEMPLATE_URI);
}

static void one_request(rt_app *app, char *text, size_t len);
static int warming; /* setting up: no trace */

/* The apps, their packages loaded once for the run, and the templates of their stores. The
 * team app signs in an unknown address once: the password thread then makes, once per process,
 * the hash it checks such attempts against (pwq.c), whose salt would otherwise come from the
 * random bytes of whichever input first did so, and change the tokens that input gets. */
static void make_apps(void)
{
	make_packages();
	check(sqlite3_config(SQLITE_CONFIG_URI, 1) == SQLITE_OK); /* before SQLite starts */
	check(sqlite_pool_use() == SQLITE_OK);
	check(randombytes_set_implementation(&rng) == 0);        /* before sodium_init */
	rt_config cfg = {.data_dir = dir, .db_path = STORE_URI, .learner = "fuzzer",
			 .simulate_learners = 1};
	char err[256] = "";
	check(rt_app_new(&local_app, &cfg, err, sizeof err) == 0);
	add_versions(local_app);
	template_open(&local_rows, STORE_URI);
	make_template(&local_rows, TEMPLATE_URI);
	make_team_app();
	char warm[] = "POST /login\nCookie: pc_form=" WARM_FORM "\n\nform=" WARM_FORM
		      "&email=nobody%40example.org&password=not+an+account";
	warming = 1;
	one_request(team_app, warm, strlen(warm));
	warming = 0;
	reset_store(&team_rows);
	app_forget(team_app);
	rng_state = 0; /* as after every input */
	atexit(free_apps); /* registered after make_packages' remove_dir: runs before it */
}

#define MAX_HEADERS 8
struct freq {
	const char *names[MAX_HEADERS], *values[MAX_HEADERS];
	size_t n;
};

static const char *lookup(const void *ctx, const char *name)
{
	const struct freq *f = ctx;
	for (size_t i = 0; i < f->n; i++)
		if (strcasecmp(f->names[i], name) == 0)
			return f->values[i];
	return NULL;
}

/* A deferred answer's completion, waited for without polling. */
struct done {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int done;
};

static void on_done(void *ctx)
{
	struct done *d = ctx;
	pthread_mutex_lock(&d->lock);
	d->done = 1;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

/* Team mode: a page that needs someone signed in (GET), or a manager. */
static int needs_session(const char *path)
{
	static const char *const exact[] = {"/", "/records", "/api/records", "/admin", "/team", "/team.csv"};
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (strcmp(path, exact[i]) == 0)
			return 1;
	return strncmp(path, "/play/", 6) == 0 || strncmp(path, "/admin/", 7) == 0 ||
	       strncmp(path, "/team/", 6) == 0;
}

static int needs_manager(const char *path)
{
	return strcmp(path, "/admin") == 0 || strncmp(path, "/admin/", 7) == 0 ||
	       strcmp(path, "/team") == 0 || strcmp(path, "/team.csv") == 0 || strncmp(path, "/team/", 6) == 0;
}

/* Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF), the same rule as
 * utf8_valid, written again here without coverage instrumentation: pages are long, and
 * checking them with the instrumented decoder was 8% of the run. */
#if defined(__clang__)
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define NO_COVERAGE
#endif
NO_COVERAGE static int body_utf8(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	for (size_t i = 0; i < len;) {
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
		if (!n || len - i < n)
			return 0;
		for (size_t k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		/* second byte bounds: overlong 3- and 4-byte forms, surrogates, past U+10FFFF */
		if ((c == 0xe0 && s[i + 1] < 0xa0) || (c == 0xed && s[i + 1] > 0x9f) ||
		    (c == 0xf0 && s[i + 1] < 0x90) || (c == 0xf4 && s[i + 1] > 0x8f))
			return 0;
		i += n;
	}
	return 1;
}

/* team: the request went to the team app; cookie_who: see who(). */
static void check_response(const http_request *req, const http_response *r, int team, int cookie_who)
{
	check(strcmp(http_status_text(r->status), "Unknown") != 0);
	check(r->status != 500);
	check(r->nheaders <= HTTP_MAX_RESP_HEADERS);
	size_t len;
	const char *body = http_response_bytes(r, &len);
	check(len <= HTTP_MAX_RESPONSE);
	if (r->status == 304)
		check(len == 0);
	if (r->status == 206)
		check(http_response_header(r, "Content-Range") != NULL);
	if (r->stream.read) {
		/* Read what the server would send first (two blocks), in order. */
		check(r->status == 200 || r->status == 206);
		char block[65536];
		for (uint64_t pos = 0; pos < r->stream.len && pos < 2 * sizeof block;) {
			size_t want = r->stream.len - pos < sizeof block ? (size_t)(r->stream.len - pos)
									 : sizeof block;
			long n = r->stream.read(r->stream.ctx, pos, block, want);
			check(n > 0 && (size_t)n <= want);
			pos += (uint64_t)n;
		}
	}
	const char *ct = r->content_type ? r->content_type : "";
	int json = strncmp(ct, "application/json", 16) == 0;
	if (json || strncmp(ct, "text/html", 9) == 0)
		check(body_utf8(body, len));
	if (team && r->status == 200 && needs_session(req->path))
		check(cookie_who == 2 || (cookie_who == 1 && !needs_manager(req->path)));
	if (r->status >= 400 && team && strncmp(ct, "text/html", 9) == 0) {
		/* a page's form shown again with what went wrong; never a script's answer */
		check(strncmp(req->path, "/api/", 5) != 0 && strncmp(req->path, "/l/", 3) != 0);
	} else if (r->status >= 400) {
		check(json);
		json_t *j = json_loadb(body, len, 0, NULL);
		check(j != NULL);
		if (json_object_get(j, "code")) {
			check(json_integer_value(json_object_get(j, "code")) == r->status);
			check(json_is_string(json_object_get(j, "error")));
			check(json_is_string(json_object_get(j, "detail")));
		} else {
			/* The data model's own answer to a commit it could not read. */
			size_t pl = strlen(req->path);
			check(pl > 7 && strcmp(req->path + pl - 7, "/commit") == 0 && r->status == 400);
			check(json_is_false(json_object_get(j, "result")));
		}
		json_decref(j);
	}
}

/* FUZZ_REQUEST_TRACE: one line per request, to see what a corpus file exercises and, in
 * replay_order.sh, that each input gets the same answers whatever ran before it. The line has
 * the status, a hash of the body without its digits (ids, counts, times and the file cache's
 * statistics may differ from run to run; what the answer says may not) and the start of an
 * error's body. */
static void trace(const http_request *req, const http_response *r)
{
	size_t len;
	const char *body = http_response_bytes(r, &len);
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		if (body[i] < '0' || body[i] > '9')
			h = (h ^ (unsigned char)body[i]) * 16777619u;
	size_t shown = r->status >= 400 ? (len < 120 ? len : 120) : 0;
	const char *nl = shown ? memchr(body, '\n', shown) : NULL;
	if (nl)
		shown = (size_t)(nl - body); /* one line */
	fprintf(stderr, "%s %s?%s -> %d %08x %.*s\n", req->method, req->path, req->query, r->status,
		(unsigned)h, (int)shown, shown ? body : "");
}

/* Packages launched by this input. A second launch of a SCO whose session is open waits up to
 * 3 s for its final save (commitq.c, settle): fuzzing would spend its time asleep, so each
 * package (by its raw name) is launched at most once per input. Unit and browser tests cover
 * relaunching. */
static char launched[4][64];
static size_t nlaunched;

static int launch_allowed(const char *method, const char *path)
{
	if (strcmp(method, "POST") != 0 || strncmp(path, "/api/launch/", 12) != 0)
		return 1;
	char pkg[64];
	snprintf(pkg, sizeof pkg, "%.*s", (int)strcspn(path + 12, "/"), path + 12);
	for (size_t i = 0; i < nlaunched; i++)
		if (strcmp(launched[i], pkg) == 0)
			return 0;
	if (nlaunched == 4)
		return 0;
	memcpy(launched[nlaunched++], pkg, sizeof pkg);
	return 1;
}

/* The last launch's token and content origin host, and the session token of the last
 * sign-in (see the top of this file). */
static char last_token[HTTP_TOKEN_LEN + 1], last_host[128], last_session[HTTP_TOKEN_LEN + 1],
	last_link[HTTP_TOKEN_LEN + 1];

static void reset_launch(void)
{
	memset(last_token, 'A', HTTP_TOKEN_LEN);
	last_token[HTTP_TOKEN_LEN] = '\0';
	memset(last_session, 'S', HTTP_TOKEN_LEN);
	last_session[HTTP_TOKEN_LEN] = '\0';
	memset(last_link, 'V', HTTP_TOKEN_LEN);
	last_link[HTTP_TOKEN_LEN] = '\0';
	snprintf(last_host, sizeof last_host, "p000000000000000000000000.postcard.localhost");
}

/* Remembers the last one-time link ("/invite/<token>") an admin page shows. */
static void note_link(const http_response *r)
{
	size_t len;
	const char *body = http_response_bytes(r, &len);
	for (const char *p = body; p && (p = memmem(p, len - (size_t)(p - body), "/invite/", 8));) {
		p += 8;
		size_t n = 0;
		while (p + n < body + len && n <= HTTP_TOKEN_LEN &&
		       (strchr("-_", p[n]) || (p[n] >= '0' && p[n] <= '9') || ((p[n] | 0x20) >= 'a' && (p[n] | 0x20) <= 'z')))
			n++;
		if (n == HTTP_TOKEN_LEN)
			memcpy(last_link, p, HTTP_TOKEN_LEN);
	}
}

/* Remembers the session token a sign-in's answer sets. */
static void note_sign_in(const http_response *r)
{
	static const char name[] = "pc_session=";
	for (size_t i = 0; i < r->nheaders; i++) {
		const char *v = r->headers[i].value;
		if (strcasecmp(r->headers[i].name, "Set-Cookie") == 0 && strncmp(v, name, sizeof name - 1) == 0 &&
		    strcspn(v + sizeof name - 1, ";") == HTTP_TOKEN_LEN)
			memcpy(last_session, v + sizeof name - 1, HTTP_TOKEN_LEN);
	}
}

/* Remembers the token and host of an /api/launch answer. */
static void note_launch(const http_response *r)
{
	size_t len;
	const char *body = http_response_bytes(r, &len);
	json_t *j = json_loadb(body, len, 0, NULL);
	const char *frame = json_string_value(json_object_get(j, "frameUrl"));
	const char *l = frame ? strstr(frame, "/l/") : NULL;
	if (frame && l && strncmp(frame, "http://", 7) == 0 && strlen(l + 3) == HTTP_TOKEN_LEN + 1) {
		memcpy(last_token, l + 3, HTTP_TOKEN_LEN);
		snprintf(last_host, sizeof last_host, "%.*s", (int)(l - frame - 7), frame + 7);
	}
	json_decref(j);
}

/* What "@X@" stands for (NULL: nothing). */
static const char *placeholder(const char *p)
{
	if (p[0] != '@' || !p[1] || p[2] != '@')
		return NULL;
	switch (p[1]) {
	case 'T': return last_token;
	case 'H': return last_host;
	case 'A': return SESSION_ADMIN;
	case 'M': return SESSION_MANAGER;
	case 'L': return SESSION_LEARNER;
	case 'C': return SESSION_CSRF;
	case 'S': return last_session;
	case 'V': return last_link;
	default: return NULL;
	}
}

/* Copies `in` with every placeholder ("@T@", "@H@", ...) replaced; returns out. */
static const char *substitute(const char *in, char *out, size_t size)
{
	size_t o = 0;
	for (const char *p = in; *p && o + 1 < size;) {
		const char *v = placeholder(p);
		if (v) {
			size_t n = strlen(v);
			if (o + n >= size)
				break;
			memcpy(out + o, v, n);
			o += n;
			p += 3;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return out;
}

/* Team mode: who the request's Cookie header can be (before substitution): 0 nobody, 1 at
 * most the learner, 2 anyone (a manager's or an admin's session, or the last sign-in's). */
static int who(const char *cookie)
{
	if (!cookie)
		return 0;
	if (strstr(cookie, "@A@") || strstr(cookie, "@M@") || strstr(cookie, "@S@") ||
	    strstr(cookie, SESSION_ADMIN) || strstr(cookie, SESSION_MANAGER))
		return 2;
	return strstr(cookie, "@L@") || strstr(cookie, SESSION_LEARNER) ? 1 : 0;
}

/* Runs one request "METHOD TARGET[ D]\nheaders\n\nbody" (text is modified in place) on app. */
static void one_request(rt_app *app, char *text, size_t len)
{
	int cookie_who = 0;
	static char target_buf[HTTP_MAX_URL + 64], value_buf[8][256];
	char *end = text + len;
	char *nl = memchr(text, '\n', len);
	char *line_end = nl ? nl : end;
	*line_end = '\0';
	int defer = line_end - text >= 2 && strcmp(line_end - 2, " D") == 0;
	if (defer)
		line_end[-2] = '\0';
	char *sp = strchr(text, ' ');
	if (!sp)
		return;
	*sp = '\0';
	char *target = sp + 1;
	if (strlen(target) > HTTP_MAX_URL + 1)
		target[HTTP_MAX_URL + 1] = '\0'; /* as server.c keeps it */
	target = (char *)substitute(target, target_buf, sizeof target_buf);
	struct freq f = {.n = 0};
	char *p = nl ? nl + 1 : end;
	while (p < end) {
		char *e = memchr(p, '\n', (size_t)(end - p));
		char *le = e ? e : end;
		*le = '\0';
		if (le == p) {
			p = le + 1;
			break;
		}
		char *colon = strchr(p, ':');
		if (colon && f.n < MAX_HEADERS) {
			*colon = '\0';
			char *v = colon + 1;
			while (*v == ' ')
				v++;
			f.names[f.n] = p;
			if (strcasecmp(p, "Cookie") == 0 && !lookup(&f, "Cookie"))
				cookie_who = who(v); /* the first Cookie header is the one read */
			f.values[f.n] = substitute(v, value_buf[f.n], sizeof value_buf[f.n]);
			f.n++;
		}
		p = le + 1;
	}
	const char *body = p < end ? p : NULL;
	size_t body_len = p < end ? (size_t)(end - p) : 0;
	char *q = strchr(target, '?');
	if (q)
		*q++ = '\0';
	if (!launch_allowed(text, target))
		return;
	http_request req = {.method = text, .path = target, .query = q ? q : "", .body = body,
			    .body_len = body_len, .header = lookup, .header_ctx = &f,
			    .can_defer = defer};
	http_response resp;
	http_response_init(&resp);
	routes_dispatch(app, &req, &resp);
	if (resp.deferred) {
		check(defer);
		http_deferred *d = resp.deferred;
		http_response_free(&resp);
		http_response_init(&resp);
		struct done done = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
		d->start(d, on_done, &done);
		/* a hang is a finding: libFuzzer's -timeout reports it */
		pthread_mutex_lock(&done.lock);
		while (!done.done)
			pthread_cond_wait(&done.cond, &done.lock);
		pthread_mutex_unlock(&done.lock);
		d->finish(d, &resp);
	}
	if (getenv("FUZZ_REQUEST_TRACE") && !warming)
		trace(&req, &resp);
	check_response(&req, &resp, app == team_app, cookie_who);
	if (resp.status == 200 && strncmp(req.path, "/api/launch/", 12) == 0)
		note_launch(&resp);
	if (app == team_app && strcmp(req.path, "/login") == 0)
		note_sign_in(&resp);
	if (app == team_app && strncmp(req.path, "/admin/", 7) == 0 && resp.status == 200)
		note_link(&resp);
	http_response_free(&resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!local_app)
		make_apps();
	if (size > HTTP_MAX_BODY)
		return 0;
	char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	nlaunched = 0;
	reset_launch();
	char *p = copy, *end = copy + size;
	rt_app *app = local_app;
	struct template *rows = &local_rows;
	if (strncmp(p, "#team\n", 6) == 0) {
		app = team_app;
		rows = &team_rows;
		p += 6;
	}
	for (int n = 0; n < 8 && p < end; n++) {
		char *sep = memmem(p, (size_t)(end - p), "\n%%\n", 4);
		size_t len = sep ? (size_t)(sep - p) : (size_t)(end - p);
		one_request(app, p, len);
		p += len + (sep ? 4 : 0);
	}
	/* for the next input, and now rather than before it: what this input left in memory (a
	 * cached state, pages) is freed within it, so libFuzzer does not suspect a leak and run
	 * it again to look for one */
	reset_store(rows);
	app_forget(app);
	rng_state = 0;
	free(copy);
	return 0;
}
