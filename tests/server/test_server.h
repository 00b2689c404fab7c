/* Shared helpers of the server's unit tests: requests without sockets, a zip made in memory,
 * and an app over a scratch folder with an in-memory store. */
#ifndef TEST_SERVER_H
#define TEST_SERVER_H

#include <stddef.h>

#include "app.h"
#include "fstree.h"

/* A request with up to 4 headers given as "Name: value" strings (NULL-terminated list). */
typedef struct test_req {
	http_request req;
	const char *headers[5];
} test_req;
void test_req_init(test_req *t, const char *method, const char *target, const char *const *headers);

/* Writes a zip of (name, content) pairs, NULL-terminated, to `path`. */
void test_write_zip(const char *path, const char *const *files);

/* A scratch folder (mkdtemp), removed with fstree_remove. */
char *test_tmpdir(void);

/* An app over a fresh scratch folder and an in-memory store. */
rt_app *test_app(char **dir);

/* Gives attempt `attempt_id` `items` SCOs ("bulk-0", ...) of `per_item` interactions each, every
 * response `response_len` characters, through the store interface. Returns 0 or the store's
 * error (test_fill.c: no cmocka, so records_fill links it too). */
int test_fill_interactions(store *st, int64_t attempt_id, size_t items, size_t per_item,
			   size_t response_len);

/* A small SCORM 1.2 package: manifest + index.html + a 300-byte asset + a file in a folder. */
extern const char *const test_pkg12[];

int test_http(void);
int test_zipserve(void);
int test_scolist(void);
int test_routes(void);
int test_team(void);

#endif
