/* Helpers shared by the server's unit tests (see test_server.h). */
#define _GNU_SOURCE
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "test_server.h"

static const char *lookup(const void *ctx, const char *name)
{
	const test_req *t = ctx;
	size_t n = strlen(name);
	for (size_t i = 0; t->headers[i]; i++)
		if (strncasecmp(t->headers[i], name, n) == 0 && t->headers[i][n] == ':')
			return t->headers[i] + n + 2;
	return NULL;
}

void test_req_init(test_req *t, const char *method, const char *target, const char *const *headers)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; headers && headers[i] && i < 4; i++)
		t->headers[i] = headers[i];
	static char path[8192];
	snprintf(path, sizeof path, "%s", target);
	char *q = strchr(path, '?');
	if (q)
		*q++ = '\0';
	t->req.method = method;
	t->req.path = path;
	t->req.query = q ? q : "";
	t->req.header = lookup;
	t->req.header_ctx = t;
}

void test_write_zip(const char *path, const char *const *files)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(z);
	for (size_t i = 0; files[i]; i += 2) {
		zip_source_t *s = zip_source_buffer(z, files[i + 1], strlen(files[i + 1]), 0);
		assert_non_null(s);
		assert_true(zip_file_add(z, files[i], s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
}

char *test_tmpdir(void)
{
	char *t = strdup("/tmp/postcard-test-XXXXXX");
	assert_non_null(mkdtemp(t));
	return t;
}

rt_app *test_app(char **dir)
{
	*dir = test_tmpdir();
	rt_config cfg = {.data_dir = *dir, .db_path = ":memory:", .learner = "tester"};
	char err[256] = "";
	rt_app *app = NULL;
	assert_int_equal(rt_app_new(&app, &cfg, err, sizeof err), 0);
	return app;
}

static const char manifest12[] =
	"<?xml version=\"1.0\"?>\n"
	"<manifest identifier=\"pkg-one\" version=\"1\" xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\""
	" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\">"
	"<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"
	"<organizations default=\"o\"><organization identifier=\"o\"><title>Package One</title>"
	"<item identifier=\"i1\" identifierref=\"r1\"><title>Part one</title>"
	"<adlcp:masteryscore>80</adlcp:masteryscore></item>"
	"<item identifier=\"i2\" identifierref=\"r2\" parameters=\"?page=2\"><title>Part two</title></item>"
	"</organization></organizations>"
	"<resources><resource identifier=\"r1\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"index.html\">"
	"<file href=\"index.html\"/></resource>"
	"<resource identifier=\"r2\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"two/page two.html\">"
	"<file href=\"two/page two.html\"/></resource></resources></manifest>\n";

#define ASSET300                                                                                   \
	"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567" \
	"8901234567890123456789012345678901234567890123456789012345678901234567890123456789012345" \
	"6789012345678901234567890123456789012345678901234567890123456789012345678901234567890123" \
	"456789012345678901234567890123456789"

const char *const test_pkg12[] = {
	"imsmanifest.xml", manifest12,
	"index.html", "<!doctype html><title>one</title>",
	"two/page two.html", "<!doctype html><title>two</title>",
	"assets/data.bin", ASSET300,
	"style.css", "body{}",
	NULL,
};
