/* Fuzz target for whole requests through the route table and every handler, without sockets
 * (runtime/server/routes.c, pages.c, records.c, launch.c, commit.c, zipserve.c, http.c): the
 * same path a request takes after server.c has read it. One app serves the whole run (a SCORM
 * 1.2 package in two parts, with a large stored video and a large deflated file, and a SCORM
 * 2004 one with controls and objectives). After each input its store is put back to the same
 * rows (the two versions and the local learner) and the app forgets what it remembers about
 * learners and sessions (app_forget), so an input replays alone exactly as it ran; only the
 * file cache is kept, which changes no answer. Random bytes (launch tokens) come from a
 * generator restarted for every input. A new app per input (a thread, a schema, two
 * manifests, and every SQL statement prepared again) ran about 100 inputs a second; see
 * reset_store.
 *
 * Input: up to 8 requests separated by a line "%%". A request is "METHOD TARGET", then header
 * lines "Name: value", an empty line, and the body. A request whose first line ends in " D" is
 * answered through the deferred path (as the server parks commits), otherwise synchronously.
 * Launch tokens are not known in advance, so an input names the last one the app made (POST /api/launch) as
 * "@T@" in a target and its content origin as "@H@" in a header value (before any launch, a
 * token and a host that name nothing). The pc_learner cookie picks the learner.
 *
 * Checks, besides "no crash, no leak, no hang": every status is one the server knows and never
 * 500; errors are the one JSON shape (or, for commits, the adapter's answer); HTML and JSON
 * bodies are valid UTF-8; 304 has no body and 206 a Content-Range; a streamed large file (the
 * 1.2 package has two) gives its first blocks. FUZZ_REQUEST_TRACE=1 in the environment
 * prints a line per request (see trace). */
#define _GNU_SOURCE
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>
#include <zip.h>

#include "app.h"
#include "utf8.h"

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
	 * one by inflating from its start (a range near its end costs ~10 ms: only the inputs
	 * that name it pay) */
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

static rt_app *app; /* the one app of the run (make_app) */

/* The store is an in-memory database shared by name between the connections of this process
 * (SQLite's memdb VFS shares a database whose name starts with '/'): the store's two, which
 * keep their prepared statements for the whole run, and `db`, this file's own, which puts the
 * rows back between inputs. A new store per input spent most of its time parsing the schema
 * and preparing statements again. */
#define STORE_URI "file:/postcard-fuzz?vfs=memdb"
#define TEMPLATE_URI "file:/postcard-fuzz-template?vfs=memdb"
#define MAX_TABLES 64
static sqlite3 *db;
static sqlite3_stmt *clear[MAX_TABLES], *refill[MAX_TABLES]; /* per table */
static size_t ntables;
static int data_version; /* the store's, as db last saw it */

static void sql(const char *q)
{
	check(sqlite3_exec(db, q, NULL, NULL, NULL) == SQLITE_OK);
}

static int store_data_version(void)
{
	sqlite3_stmt *q = NULL;
	check(sqlite3_prepare_v2(db, "PRAGMA main.data_version", -1, &q, NULL) == SQLITE_OK);
	check(sqlite3_step(q) == SQLITE_ROW);
	int v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* Copies every table of the store, as the app left it after setting up, into the template,
 * and prepares the statements that put them back. Tables are found in the schema, so new
 * migrations need nothing here. Triggers are off on this connection only (the journal's
 * refuse DELETE), as are foreign keys (tables are cleared in any order). */
static void make_template(void)
{
	check(sqlite3_open_v2(STORE_URI, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, NULL) ==
	      SQLITE_OK);
	check(sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL) == SQLITE_OK);
	sql("PRAGMA foreign_keys=OFF; ATTACH '" TEMPLATE_URI "' AS tmpl");
	sqlite3_stmt *q = NULL;
	check(sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_schema WHERE type = 'table'", -1,
				 &q, NULL) == SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 0);
		check(ntables < MAX_TABLES);
		/* prefixed: "sqlite_sequence" (AUTOINCREMENT) is a reserved name */
		char *copy = sqlite3_mprintf("CREATE TABLE tmpl.\"copy_%w\" AS SELECT * FROM main.\"%w\"", t, t);
		char *del = sqlite3_mprintf("DELETE FROM main.\"%w\"", t);
		char *ins = sqlite3_mprintf("INSERT INTO main.\"%w\" SELECT * FROM tmpl.\"copy_%w\"", t, t);
		check(copy && del && ins);
		sql(copy);
		check(sqlite3_prepare_v3(db, del, -1, SQLITE_PREPARE_PERSISTENT, &clear[ntables], NULL) == SQLITE_OK);
		check(sqlite3_prepare_v3(db, ins, -1, SQLITE_PREPARE_PERSISTENT, &refill[ntables], NULL) == SQLITE_OK);
		ntables++;
		sqlite3_free(copy);
		sqlite3_free(del);
		sqlite3_free(ins);
	}
	sqlite3_finalize(q);
	data_version = store_data_version();
}

static void step(sqlite3_stmt *q)
{
	check(sqlite3_step(q) == SQLITE_DONE);
	sqlite3_reset(q);
}

/* Puts the store's rows back as they were after setting up, when anything was written since
 * (the data version moves with every commit of another connection): about 0.1 ms, where a
 * new store with its migrations took 1 ms and preparing the statements again as much. */
static void reset_store(void)
{
	int v = store_data_version();
	if (v == data_version)
		return;
	sql("BEGIN IMMEDIATE");
	for (size_t i = 0; i < ntables; i++) {
		step(clear[i]);
		step(refill[i]);
	}
	sql("COMMIT");
	data_version = store_data_version();
}

static void free_app(void)
{
	rt_app_free(app);
	app = NULL;
	for (size_t i = 0; i < ntables; i++) {
		sqlite3_finalize(clear[i]);
		sqlite3_finalize(refill[i]);
	}
	sqlite3_close(db);
	db = NULL;
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

/* The app, its packages loaded (manifests parsed) once for the run, and the template of its
 * store: the two versions and the local learner. */
static void make_app(void)
{
	make_packages();
	check(sqlite3_config(SQLITE_CONFIG_URI, 1) == SQLITE_OK); /* before SQLite starts */
	check(randombytes_set_implementation(&rng) == 0);        /* before sodium_init */
	rt_config cfg = {.data_dir = dir, .db_path = STORE_URI, .learner = "fuzzer",
			 .simulate_learners = 1};
	char err[256] = "";
	check(rt_app_new(&app, &cfg, err, sizeof err) == 0);
	store_version v12 = {.package = (char *)"fz12", .hash = (char *)HASH12, .title = (char *)"Fuzz 1.2",
			     .scorm = (char *)"1.2", .size = 1};
	store_version v04 = {.package = (char *)"fz2004", .hash = (char *)HASH04,
			     .title = (char *)"Fuzz 2004", .scorm = (char *)"2004-4th", .size = 1};
	char *prev = NULL;
	check(app->st->ops->version_put(app->st, &v12, &prev) == 0);
	free(prev);
	prev = NULL;
	check(app->st->ops->version_put(app->st, &v04, &prev) == 0);
	free(prev);
	check(app_load_version(app, "fz12", HASH12, 1, NULL) == 0);
	check(app_load_version(app, "fz2004", HASH04, 1, NULL) == 0);
	make_template();
	rng_state = 0; /* as after every input */
	atexit(free_app); /* registered after make_packages' remove_dir: runs before it */
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

static void check_response(const http_request *req, const http_response *r)
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
		check(utf8_valid(body, len));
	if (r->status >= 400) {
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

/* The last launch's token and content origin host (see the top of this file). */
static char last_token[HTTP_TOKEN_LEN + 1], last_host[128];

static void reset_launch(void)
{
	memset(last_token, 'A', HTTP_TOKEN_LEN);
	last_token[HTTP_TOKEN_LEN] = '\0';
	snprintf(last_host, sizeof last_host, "p000000000000000000000000.postcard.localhost");
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

/* Copies `in` with every "@T@" and "@H@" replaced; returns a static buffer. */
static const char *substitute(const char *in, char *out, size_t size)
{
	size_t o = 0;
	for (const char *p = in; *p && o + 1 < size;) {
		const char *v = strncmp(p, "@T@", 3) == 0 ? last_token : strncmp(p, "@H@", 3) == 0 ? last_host : NULL;
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

/* Runs one request "METHOD TARGET[ D]\nheaders\n\nbody" (text is modified in place). */
static void one_request(char *text, size_t len)
{
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
	if (getenv("FUZZ_REQUEST_TRACE"))
		trace(&req, &resp);
	check_response(&req, &resp);
	if (resp.status == 200 && strncmp(req.path, "/api/launch/", 12) == 0)
		note_launch(&resp);
	http_response_free(&resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!app)
		make_app();
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
	for (int n = 0; n < 8 && p < end; n++) {
		char *sep = memmem(p, (size_t)(end - p), "\n%%\n", 4);
		size_t len = sep ? (size_t)(sep - p) : (size_t)(end - p);
		one_request(p, len);
		p += len + (sep ? 4 : 0);
	}
	/* for the next input, and now rather than before it: what this input left in memory (a
	 * cached state, pages) is freed within it, so libFuzzer does not suspect a leak and run
	 * it again to look for one */
	reset_store();
	app_forget(app);
	rng_state = 0;
	free(copy);
	return 0;
}
