/* Fuzz target for whole requests through the route table and every handler, without sockets
 * (runtime/server/routes.c, pages.c, records.c, launch.c, commit.c, zipserve.c, http.c): the same path a
 * request takes after server.c has read it. Each input gets a fresh app (in-memory store, the
 * commit queue, two packages: a two-part SCORM 1.2 one and a SCORM 2004 one with controls and
 * objectives), so a failure replays exactly.
 *
 * Input: up to 8 requests separated by a line "%%". A request is "METHOD TARGET", then header
 * lines "Name: value", an empty line, and the body. A request whose first line ends in " D" is
 * answered through the deferred path (as the server parks commits), otherwise synchronously.
 * Launch tokens are random, so an input names the last one the app made (POST /api/launch) as
 * "@T@" in a target and its content origin as "@H@" in a header value (before any launch, a
 * token and a host that name nothing). The pc_learner cookie picks the learner.
 *
 * Checks, besides "no crash, no leak, no hang": every status is one the server knows and never
 * 500; errors are the one JSON shape (or, for commits, the adapter's answer); HTML and JSON
 * bodies are valid UTF-8; 304 has no body and 206 a Content-Range; a streamed large file (the
 * 1.2 package has one) gives its first blocks. FUZZ_REQUEST_TRACE=1 in the
 * environment prints each request's status, to see what a corpus file exercises. */
#define _GNU_SOURCE
#include <dirent.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

static void write_zip(const char *path, const char *const *files)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	check(z != NULL);
	for (size_t i = 0; files[i]; i += 2) {
		zip_source_t *s = zip_source_buffer(z, files[i + 1], strlen(files[i + 1]), 0);
		check(s && zip_file_add(z, files[i], s, ZIP_FL_ENC_UTF_8) >= 0);
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
	/* Over ZIPSERVE_CACHE_ENTRY_MAX: served as a stream. */
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
				   "style.css", "body{}", "media/v.mp4", video, NULL};
	const char *const p04[] = {"imsmanifest.xml", manifest04, "index.html", "<!doctype html><title>a</title>",
				   "img/x.svg", "<svg/>", NULL};
	snprintf(path, sizeof path, "%s/packages/%s.zip", dir, HASH12);
	write_zip(path, p12);
	snprintf(path, sizeof path, "%s/packages/%s.zip", dir, HASH04);
	write_zip(path, p04);
	atexit(remove_dir);
}

static rt_app *new_app(void)
{
	rt_config cfg = {.data_dir = dir, .db_path = ":memory:", .learner = "fuzzer",
			 .simulate_learners = 1};
	char err[256] = "";
	rt_app *app = NULL;
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
	return app;
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

static void on_done(void *ctx)
{
	atomic_store((atomic_int *)ctx, 1);
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
static void one_request(rt_app *app, char *text, size_t len)
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
		atomic_int done = 0;
		d->start(d, on_done, &done);
		for (int i = 0; i < 100000 && !atomic_load(&done); i++)
			nanosleep(&(struct timespec){0, 100000}, NULL);
		check(atomic_load(&done));
		d->finish(d, &resp);
	}
	if (getenv("FUZZ_REQUEST_TRACE")) /* to see what a corpus file exercises */
		fprintf(stderr, "%s %s?%s -> %d %.*s\n", req.method, req.path, req.query, resp.status,
			resp.status >= 400 ? 120 : 0, resp.body.data ? resp.body.data : "");
	check_response(&req, &resp);
	if (resp.status == 200 && strncmp(req.path, "/api/launch/", 12) == 0)
		note_launch(&resp);
	http_response_free(&resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0])
		make_packages();
	if (size > HTTP_MAX_BODY)
		return 0;
	char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	rt_app *app = new_app();
	nlaunched = 0;
	reset_launch();
	char *p = copy, *end = copy + size;
	for (int n = 0; n < 8 && p < end; n++) {
		char *sep = memmem(p, (size_t)(end - p), "\n%%\n", 4);
		size_t len = sep ? (size_t)(sep - p) : (size_t)(end - p);
		one_request(app, p, len);
		p += len + (sep ? 4 : 0);
	}
	rt_app_free(app);
	free(copy);
	return 0;
}
