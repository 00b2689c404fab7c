/* Fuzz target for a commit request before the data model sees its body (runtime/server/http.c):
 * the launch token in its target (http_launch_target) and the envelope (http_commit_check), what
 * content.c checks before launch_authorize and the data model (which has fuzz_cmi). Input:
 * "<target after /l/>\n<Content-Type or '-' for none>\n<body>". Checks, besides "no crash, no
 * leak": an accepted target has a token of 43 base64url characters and its sub path after it; an
 * accepted body is within the nesting limit; a refusal is the one JSON error shape with 400/415. */
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
	http_request req = {.method = "POST", .path = "/l/", .query = "", .rest = s,
			    .body = body_len ? body : NULL, .body_len = body_len,
			    .header = lookup, .header_ctx = &h};
	char token[HTTP_TOKEN_LEN + 1];
	const char *sub = NULL;
	if (http_launch_target(s, token, &sub) == 0) {
		check(strlen(token) == HTTP_TOKEN_LEN && memcmp(token, s, HTTP_TOKEN_LEN) == 0);
		check(strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
		      HTTP_TOKEN_LEN);
		check(sub == s + HTTP_TOKEN_LEN + 1 && sub[-1] == '/');
	} else {
		check(strlen(s) <= HTTP_TOKEN_LEN || s[HTTP_TOKEN_LEN] != '/' ||
		      strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != HTTP_TOKEN_LEN);
	}
	http_response resp;
	http_response_init(&resp);
	int rc = http_commit_check(&req, &resp);
	if (rc == 0) {
		check(resp.status == 200 && resp.body.len == 0);
		check(body_len > 0);
		/* Whatever jansson makes of it, it is never deeper than the limit. */
		json_error_t je;
		json_t *j = json_loadb(body, body_len, 0, &je);
		json_decref(j);
	} else {
		check(rc == -1);
		check(resp.status == 400 || resp.status == 415);
		json_t *j = json_loadb(resp.body.data, resp.body.len, 0, NULL);
		check(j && json_integer_value(json_object_get(j, "code")) == resp.status);
		check(json_is_string(json_object_get(j, "error")) && json_is_string(json_object_get(j, "detail")));
		json_decref(j);
	}
	http_response_free(&resp);
	free(s);
	return 0;
}
