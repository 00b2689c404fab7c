/* Fuzz target for the commit request's envelope (http_commit_parse in runtime/server/http.c): what
 * api_commit checks before the data model sees the body (the model has fuzz_cmi). Input:
 * "<target after /api/commit/>\n<Content-Type or '-' for none>\n<body>". Checks, besides "no
 * crash, no leak": an accepted request has attempt > 0, an item that is one plain UTF-8 segment,
 * a body within the nesting limit, and a refusal is the one JSON error shape with 400/404/415. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

struct hdr {
	const char *ct;
};

static const char *lookup(const void *ctx, const char *name)
{
	const struct hdr *h = ctx;
	return strcmp(name, "Content-Type") == 0 ? h->ct : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	char *nl1 = memchr(s, '\n', size);
	char *nl2 = nl1 ? memchr(nl1 + 1, '\n', size - (size_t)(nl1 + 1 - s)) : NULL;
	if (!nl1 || !nl2) {
		free(s);
		return 0;
	}
	*nl1 = '\0';
	*nl2 = '\0';
	struct hdr h = {.ct = strcmp(nl1 + 1, "-") == 0 ? NULL : nl1 + 1};
	const char *body = nl2 + 1;
	size_t body_len = size - (size_t)(body - s);
	http_request req = {.method = "POST", .path = "/api/commit/", .query = "", .rest = s,
			    .body = body_len ? body : NULL, .body_len = body_len,
			    .header = lookup, .header_ctx = &h};
	http_response resp;
	http_response_init(&resp);
	http_commit_req cr;
	int rc = http_commit_parse(&req, &cr, &resp);
	if (rc == 0) {
		check(resp.status == 200 && resp.body.len == 0);
		check(cr.attempt > 0);
		size_t n = strlen(cr.item);
		check(n > 0 && n < sizeof cr.item && utf8_valid(cr.item, n) && !strchr(cr.item, '/'));
		check(body_len > 0);
		/* Whatever jansson makes of it, it is never deeper than the limit. */
		json_error_t je;
		json_t *j = json_loadb(body, body_len, 0, &je);
		json_decref(j);
	} else {
		check(rc == -1);
		check(resp.status == 400 || resp.status == 404 || resp.status == 415);
		json_t *j = json_loadb(resp.body.data, resp.body.len, 0, NULL);
		check(j && json_integer_value(json_object_get(j, "code")) == resp.status);
		check(json_is_string(json_object_get(j, "error")) && json_is_string(json_object_get(j, "detail")));
		json_decref(j);
	}
	http_response_free(&resp);
	free(s);
	return 0;
}
