/* Fuzz targets for the server's parsers of request targets and headers (runtime/server/http.c,
 * runtime/server/zipserve.c, runtime/server/app.c). One file, one target per parser, picked at compile time
 * by FUZZ_HTTP_<NAME> (CMake builds it once per target). Besides "no crash, no leak", each
 * checks the parser's contract on what it accepted:
 *   PATH    zipserve_decode_path: never a traversal, an absolute path or a separator smuggled in
 *   QUERY   http_query_param / http_query_count: decoded values fit and are valid UTF-8
 *   RANGE   http_parse_range: an accepted range lies inside the representation
 *   ETAG    http_etag_match: a tag matches itself; a match means the tag is in the header
 *   HOST    http_host_is_loopback: only loopback names, IPv4 127/8 and [::1] forms pass
 *   COOKIE  http_cookie / app_learner_cookie: values are cookie octets and came from the header
 *   FORM    http_form_field: the same answer and value as a plain reading of its contract
 *           (reference below); a found value fits, is valid UTF-8 without NUL; absent means ""
 *   ORIGIN  origin_classify (Host -> app, a package's content origin, or refused), local and
 *           team mode: a content origin's label is "p" and 24 lower-case hex digits */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "http.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

/* The input as a NUL-terminated string (cut at the first NUL, as headers are). */
__attribute__((unused)) static char *cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#if defined(FUZZ_HTTP_PATH)
static void check_plain_path(const char *out)
{
	size_t n = strlen(out);
	check(n > 0 && out[0] != '/' && out[n - 1] != '/');
	check(utf8_valid(out, n));
	check(!strstr(out, "//"));
	check(!(((out[0] | 0x20) >= 'a' && (out[0] | 0x20) <= 'z') && out[1] == ':'));
	for (const char *p = out; *p; p++)
		check(*p != '\\' && (unsigned char)*p >= 0x20 && *p != 0x7f);
	/* No "." or ".." segment anywhere. */
	for (const char *seg = out; seg;) {
		const char *end = strchr(seg, '/');
		size_t len = end ? (size_t)(end - seg) : strlen(seg);
		check(!(len == 1 && seg[0] == '.') && !(len == 2 && seg[0] == '.' && seg[1] == '.'));
		seg = end ? end + 1 : NULL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw = cstr(data, size);
	char out[HTTP_MAX_URL];
	if (zipserve_decode_path(raw, out, sizeof out) == 0)
		check_plain_path(out);
	/* A tiny buffer: never written past. */
	char small[8];
	if (zipserve_decode_path(raw, small, sizeof small) == 0)
		check(strlen(small) < sizeof small);
	if (http_decode_segment(raw, strlen(raw), out, sizeof out) == 0) {
		check(!strchr(out, '/') && !strchr(out, '\\') && utf8_valid(out, strlen(out)));
		check(strlen(out) <= strlen(raw));
	}
	free(raw);
	return 0;
}

#elif defined(FUZZ_HTTP_QUERY)
static const char *lookup_none(const void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* Byte 0: the output buffer's size (1..256). */
	size_t outsize = (size_t)data[0] + 1;
	char *q = cstr(data + 1, size - 1);
	http_request req = {.method = "GET", .path = "/api/records", .query = q,
			    .header = lookup_none};
	static const char *const names[] = {"package", "interactions", "learner", "", "a", "a b"};
	char *out = malloc(outsize);
	size_t count = http_query_count(q);
	check(count <= strlen(q) + 1);
	check(*q ? count >= 1 : count == 0);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		memset(out, 'x', outsize);
		if (http_query_param(&req, names[i], out, outsize)) {
			size_t n = strnlen(out, outsize);
			check(n < outsize && utf8_valid(out, n));
			/* A parameter is there only when its name is a key of the query. */
			check(count > 0);
		}
	}
	free(out);
	free(q);
	return 0;
}

#elif defined(FUZZ_HTTP_RANGE)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 8)
		return 0;
	/* Bytes 0..7: the representation's length, often small so ranges hit it. */
	uint64_t len = 0;
	for (int i = 0; i < 8; i++)
		len = len << 8 | data[i];
	if (data[0] & 0x80)
		len &= 0xffff;
	char *h = cstr(data + 8, size - 8);
	uint64_t from = 12345, to = 67890;
	int r = http_parse_range(h, len, &from, &to);
	check(r >= -1 && r <= 1);
	if (r == 1)
		check(from <= to && to < len);
	if (r != 0)
		check(strncasecmp(h, "bytes=", 6) == 0 && !strchr(h, ','));
	if (r == -1)
		check(from == 12345 && to == 67890);
	free(h);
	return 0;
}

#elif defined(FUZZ_HTTP_ETAG)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* "<etag>\n<If-None-Match header>" */
	char *s = cstr(data, size);
	char *nl = strchr(s, '\n');
	const char *etag = s, *inm = nl ? nl + 1 : "";
	if (nl)
		*nl = '\0';
	int m = http_etag_match(inm, etag);
	check(m == 0 || m == 1);
	if (m) {
		const char *bare = strncmp(etag, "W/", 2) == 0 ? etag + 2 : etag;
		check(strstr(inm, bare) != NULL || strchr(inm, '*') != NULL);
	}
	/* Our own tags ("..." of visible characters) always match themselves and "*". */
	size_t n = strlen(etag);
	int plain = n >= 2 && etag[0] == '"' && etag[n - 1] == '"';
	for (size_t i = 1; plain && i + 1 < n; i++)
		plain = (unsigned char)etag[i] > 0x20 && etag[i] != '"' && etag[i] != 0x7f;
	if (plain) {
		check(http_etag_match(etag, etag) == 1);
		check(http_etag_match("*", etag) == 1);
		char list[600];
		if (n < 500) {
			snprintf(list, sizeof list, "\"x\", W/%s , \"y\"", etag);
			check(http_etag_match(list, etag) == 1);
		}
	}
	free(s);
	return 0;
}

#elif defined(FUZZ_HTTP_HOST)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *h = cstr(data, size);
	if (http_host_is_loopback(h)) {
		for (const char *p = h; *p; p++)
			check((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
			      (*p >= 'A' && *p <= 'Z') || *p == '.' || *p == ':' || *p == '[' || *p == ']');
		check(strncasecmp(h, "localhost", 9) == 0 || strncmp(h, "127.", 4) == 0 || h[0] == '[');
		if (h[0] == '[')
			check(strchr(h, ']') != NULL);
		if (strncasecmp(h, "localhost", 9) == 0)
			check(h[9] == '\0' || h[9] == ':');
	}
	check(http_host_is_loopback(NULL) == 1);
	free(h);
	return 0;
}

#elif defined(FUZZ_HTTP_COOKIE)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t outsize = (size_t)data[0] % 80 + 1;
	char *c = cstr(data + 1, size - 1);
	char *out = malloc(outsize);
	int r = http_cookie(c, "pc_learner", out, outsize);
	check(r >= -1 && r <= 1);
	if (r == 1) {
		size_t n = strnlen(out, outsize);
		check(n < outsize);
		for (size_t i = 0; i < n; i++)
			check((unsigned char)out[i] > 0x20 && (unsigned char)out[i] < 0x7f && out[i] != ';' &&
			      out[i] != ',' && out[i] != '"' && out[i] != '\\');
		check(strstr(c, "pc_learner=") != NULL && strstr(c, out) != NULL);
	}
	char ident[80];
	if (app_learner_cookie(c, ident, sizeof ident)) {
		size_t n = strlen(ident);
		check(n >= 1 && n <= 64 && strstr(c, ident) != NULL);
		for (size_t i = 0; i < n; i++)
			check(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-",
				     ident[i]) != NULL);
	}
	free(out);
	free(c);
	return 0;
}

#elif defined(FUZZ_HTTP_FORM)
/* The contract of http_form_field (http.h), written out plainly: fields split at '&', the first
 * whose name is exactly `name` wins; its value is percent-decoded with '+' as a space; a bad
 * escape, a NUL (raw or %00), invalid UTF-8 or a value longer than size-1 make it -1; no such
 * field: 0 and "". Returns like http_form_field; the value goes to out (size bytes). */
static int hexdigit(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int reference(const char *body, size_t len, const char *name, char *out, size_t size)
{
	size_t start = 0;
	while (start < len) {
		size_t stop = start;
		while (stop < len && body[stop] != '&')
			stop++;
		size_t eq = start;
		while (eq < stop && body[eq] != '=')
			eq++;
		if (eq - start == strlen(name) && memcmp(body + start, name, eq - start) == 0) {
			size_t o = 0;
			for (size_t i = eq < stop ? eq + 1 : stop; i < stop; i++) {
				unsigned c = (unsigned char)body[i];
				if (c == '%') {
					if (i + 2 >= stop || !hexdigit(body[i + 1]) || !hexdigit(body[i + 2]))
						return -1;
					char hex[3] = {body[i + 1], body[i + 2], 0};
					c = (unsigned)strtoul(hex, NULL, 16);
					i += 2;
				} else if (c == '+') {
					c = ' ';
				}
				if (c == 0 || o + 1 >= size)
					return -1;
				out[o++] = (char)c;
			}
			out[o] = '\0';
			return utf8_valid(out, o) ? 1 : -1;
		}
		start = stop + 1;
	}
	out[0] = '\0';
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t outsize = (size_t)data[0] % 64 + 1;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	char *out = malloc(outsize), *want = malloc(outsize);
	if (!out || !want)
		abort();
	static const char *const names[] = {"csrf", "email", "password", "a", ""};
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		int r = http_form_field(body, len, names[k], out, outsize);
		check(r >= -1 && r <= 1);
		check(r == reference(body, len, names[k], want, outsize));
		if (r == 1) {
			size_t n = strnlen(out, outsize);
			check(n < outsize && utf8_valid(out, n) && strcmp(out, want) == 0);
		}
		if (r == 0)
			check(out[0] == '\0');
	}
	free(out);
	free(want);
	return 0;
}

#elif defined(FUZZ_HTTP_ORIGIN)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *h = cstr(data, size);
	rt_app local, team;
	memset(&local, 0, sizeof local);
	memset(&team, 0, sizeof team);
	char err[200];
	check(origin_setup(&team, "https://lms.example.org", NULL, err, sizeof err) == 0);
	const rt_app *apps[] = {&local, &team};
	for (size_t k = 0; k < 2; k++) {
		char label[ORIGIN_LABEL_SIZE];
		origin_kind o = origin_classify(apps[k], h, label);
		check(o == ORIGIN_REFUSED || o == ORIGIN_APP || o == ORIGIN_CONTENT);
		if (o == ORIGIN_CONTENT) {
			check(strlen(label) == ORIGIN_LABEL_SIZE - 1 && label[0] == 'p');
			check(strspn(label + 1, "0123456789abcdef") == ORIGIN_LABEL_SIZE - 2);
			check(strncasecmp(h, label, ORIGIN_LABEL_SIZE - 1) == 0);
		} else {
			check(label[0] == '\0');
		}
		if (o == ORIGIN_APP && k == 1)
			check(http_host_is_loopback(h) || strcasecmp(h, "lms.example.org") == 0);
	}
	free(team.public_origin);
	free(team.public_host);
	free(team.content_origin);
	free(team.content_suffix);
	free(team.csp_ancestors);
	free(team.csp_frames);
	free(h);
	return 0;
}

#else
#error "define one FUZZ_HTTP_<NAME>"
#endif
