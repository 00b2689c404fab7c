/* The server's HTTP model, independent of libmicrohttpd: a handler reads an http_request and
 * fills an http_response (status, type, body, a few headers). server.c is the only file that
 * talks to libmicrohttpd; everything else, and every unit test, works on these two structs.
 * Errors use one JSON shape everywhere: {"code":N,"error":"short text","detail":"one line"}. */
#ifndef POSTCARD_HTTP_H
#define POSTCARD_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"

/* Longest request target (path + query) we read. Our own URLs are short; package file names are
 * bounded by the zip format, and 4 KiB covers every real one while keeping hostile URLs cheap. */
#define HTTP_MAX_URL 4096
/* Largest request body, a commit's (other routes take HTTP_MAX_SMALL_BODY). A SCORM 2004 commit
 * carries at most 64000 characters of suspend data (up to 256 000 bytes in UTF-8) plus
 * interactions; 2 MiB leaves room and stops abuse early. */
#define HTTP_MAX_BODY ((size_t)2 << 20)
/* Largest body of a route that reads none (forms, launches, GET): a client that sends a few bytes
 * anyway is let through, anything more is refused before it is read. */
#define HTTP_MAX_SMALL_BODY ((size_t)4 << 10)
/* Largest page or JSON response we build. */
#define HTTP_MAX_RESPONSE ((size_t)32 << 20)
#define HTTP_MAX_RESP_HEADERS 12

typedef struct http_response http_response;
struct app_session;

typedef struct http_request {
	const char *method; /* "GET", "POST", ... */
	const char *path;   /* raw path as received: still percent-encoded, no query */
	const char *query;  /* raw query string (after '?'), "" when none */
	const char *body;   /* NULL when there is none */
	size_t body_len;
	/* Request header lookup (case-insensitive name); NULL when absent. */
	const char *(*header)(const void *ctx, const char *name);
	const void *header_ctx;
	/* Set by the router: the raw path after the route's prefix ("" when none). */
	const char *rest;
	/* Set by the router on a content origin: its label (origin.c); NULL on the app origin. */
	const char *content_label;
	/* Set by the router in team mode: the signed-in person (session.c), or NULL. */
	const struct app_session *session;
	/* Set by the server: the client's address (NULL in unit tests). */
	const struct sockaddr *peer;
	/* Set by the server: the request is HTTP/1.1, which must name its Host (RFC 9112 §3.2). */
	int http11;
	/* Set by the server: a handler may defer its answer (see http_deferred). Unit tests leave
	 * it 0 and handlers then answer synchronously. */
	int can_defer;
} http_request;

/* A handler whose answer waits on other work (a commit waiting for its group's fsync) can,
 * when req->can_defer, hand back one of these instead of blocking a server thread. The server
 * parks the connection, calls start() with a callback the worker calls (from any thread) when
 * done, then calls finish() on a server thread to fill the response; finish frees `d`. */
typedef struct http_deferred {
	void (*start)(struct http_deferred *d, void (*done)(void *ctx), void *ctx);
	void (*finish)(struct http_deferred *d, http_response *r);
} http_deferred;

/* A body produced while it is sent (large package files), instead of held in memory. */
typedef struct http_stream {
	/* Fills up to `max` bytes at offset `pos` of the body (the server asks in order); returns
	 * the count (> 0), or -1 on an error (the connection is then closed). */
	long (*read)(void *ctx, uint64_t pos, char *buf, size_t max);
	void (*free)(void *ctx); /* called once, whether or not anything was read */
	void *ctx;
	uint64_t len; /* the body's length */
} http_stream;

typedef struct http_header {
	const char *name; /* static string */
	char *value;      /* owned */
} http_header;

struct http_response {
	int status;
	const char *content_type; /* static string; NULL = none */
	buf body;                 /* owned bytes, used when `data` is NULL */
	const void *data;         /* borrowed bytes that outlive the response (cached assets) */
	size_t data_len;
	http_stream stream;       /* used when stream.read is set (owned until the server takes it) */
	uint64_t full_len; /* for HEAD */
	int head_only;     /* HEAD: headers as for GET, no body */
	http_header headers[HTTP_MAX_RESP_HEADERS];
	size_t nheaders;
	http_deferred *deferred; /* set instead of an answer: see http_deferred */
};

void http_response_init(http_response *r);
/* Frees what the response owns (a stream included); the struct can be initialised again. */
void http_response_free(http_response *r);
/* Adds a response header (the value is copied). Extra headers past the maximum are dropped:
 * handlers only ever add a few. */
int http_header_add(http_response *r, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *http_response_header(const http_response *r, const char *name);
/* The body as bytes, whichever of `data`/`body` holds it (not for a stream: empty then). */
const void *http_response_bytes(const http_response *r, size_t *len);

/* Replaces whatever the response held with the JSON error shape. `detail` may be NULL. */
void http_error(http_response *r, int status, const char *detail);
void http_errorf(http_response *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The reason phrase for a status ("Not Found"), "Unknown" for others. */
const char *http_status_text(int status);

/* A header of the request, or NULL. */
const char *http_req_header(const http_request *req, const char *name);
/* Decodes the query parameter `name` (percent-decoding, '+' as space) into `out`. Returns 1 when
 * present, 0 when absent or malformed (bad escape, NUL, longer than `size`-1). */
int http_query_param(const http_request *req, const char *name, char *out, size_t size);

/* ---- Parsers of request headers and targets (each has a fuzz target in tests/fuzz) ---------- */

/* Queries with more parameters than this are refused (400) before any handler runs: ours take at
 * most three, and the cap keeps every lookup (a linear scan) cheap. */
#define HTTP_MAX_QUERY_PARAMS 32
/* The number of '&'-separated parameters in a raw query string ("" has none). */
size_t http_query_count(const char *query);

/* Parses a Range header ("bytes=A-B", "bytes=A-", "bytes=-N") against a representation of `len`
 * bytes. Returns 1 with the inclusive [*from, *to] (from <= to < len), 0 when the header is to
 * be ignored (absent, malformed, several ranges, another unit: RFC 9110 lets a server answer
 * 200 then), -1 when unsatisfiable (answer 416). Only digits are accepted as numbers: no signs,
 * no spaces, no overflow. */
int http_parse_range(const char *h, uint64_t len, uint64_t *from, uint64_t *to);

/* 1 when an If-None-Match header value ("*", or a comma-separated list of entity tags, each
 * optionally W/-prefixed) names `etag` (a quoted entity tag such as "\"abc\""); weak comparison,
 * as RFC 9110 says for If-None-Match. A malformed list matches nothing (the full answer is sent). */
int http_etag_match(const char *if_none_match, const char *etag);

/* 1 when a Host header names this machine: localhost, 127.x.y.z (four decimal octets) or an IPv6
 * loopback address in brackets, each with an optional :PORT (1 to 5 digits, at most 65535).
 * A missing Host (NULL, HTTP/1.0) counts as loopback; anything else, as not (DNS rebinding). */
int http_host_is_loopback(const char *host);

/* Finds cookie `name` in a Cookie header ("a=1; b=2"). Returns 1 and copies the value (quotes
 * around it removed) into `out`; 0 when absent; -1 when present but longer than size-1 or not
 * made of cookie octets (RFC 6265: no controls, space, '"', ',', ';', '\\'). The first pair of
 * that name wins, as browsers send the most specific cookie first. */
int http_cookie(const char *cookies, const char *name, char *out, size_t size);

/* 1 when a Content-Type header's media type is `type` ("application/json"), compared without
 * case and ignoring parameters ("; charset=UTF-8"); 0 otherwise (NULL included). */
int http_media_type_is(const char *content_type, const char *type);

/* Checks a commit's Content-Type (application/json, text/plain from a beacon, or none), that it
 * has a body, and its JSON nesting (at most HTTP_COMMIT_MAX_DEPTH). Returns 0, or fills `resp`
 * with the JSON error (415, 400) and returns -1. */
int http_commit_check(const http_request *req, http_response *resp);

/* JSON nesting accepted in a commit body: the adapter sends {"changes":[["el","value"]]}, three
 * levels; 32 leaves room for additions while keeping the JSON parser's recursion shallow. */
#define HTTP_COMMIT_MAX_DEPTH 32

/* A launch token's length: 32 random bytes in base64url without padding (launch_auth.c). */
#define HTTP_TOKEN_LEN 43
/* Splits what follows "/l/" in a content origin's request target: "<token>/<sub>", the token
 * HTTP_TOKEN_LEN characters of base64url (A-Z a-z 0-9 - _). Returns 0 with the token copied and
 * *sub pointing into `rest` after the '/', or -1 when it is not of that shape. */
int http_launch_target(const char *rest, char token[HTTP_TOKEN_LEN + 1], const char **sub);

/* Finds field `name` in a form body (application/x-www-form-urlencoded, `len` bytes, no NUL
 * needed) and decodes it ('+' is a space) into `out`. Returns 1 when present, 0 when absent
 * (out is ""), -1 when malformed: a bad escape, a NUL, invalid UTF-8, or longer than size-1.
 * The first field of that name wins. */
int http_form_field(const char *body, size_t len, const char *name, char *out, size_t size);

/* Percent-decodes a single path segment (no '/' inside) into `out`. Refuses (returns -1) encoded
 * '/' or '\', NUL, bad escapes, invalid UTF-8 (overlong forms included) and control characters. */
int http_decode_segment(const char *in, size_t len, char *out, size_t size);

#endif
