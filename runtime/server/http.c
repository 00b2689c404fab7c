/* Helpers over the request/response structs of http.h: headers, the one JSON error shape, query
 * parameters, strict percent-decoding of URL path segments, and the parsers of request headers
 * (Range, If-None-Match, Host, Cookie, Content-Type), of a launch's request target and of the
 * commit request's envelope. Every
 * one of them reads untrusted bytes: tests/fuzz has a target for each. */
#include "http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common.h"
#include "utf8.h"

void http_response_init(http_response *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->body, HTTP_MAX_RESPONSE);
	r->status = 200;
}

static void stream_drop(http_response *r)
{
	if (r->stream.free)
		r->stream.free(r->stream.ctx);
	memset(&r->stream, 0, sizeof r->stream);
}

void http_response_free(http_response *r)
{
	if (!r)
		return;
	stream_drop(r);
	buf_free(&r->body);
	for (size_t i = 0; i < r->nheaders; i++)
		free(r->headers[i].value);
	r->nheaders = 0;
	r->data = NULL;
}

int http_header_add(http_response *r, const char *name, const char *fmt, ...)
{
	if (r->nheaders >= HTTP_MAX_RESP_HEADERS)
		return PC_ELIMIT;
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		return PC_ELIMIT;
	char *v = strdup(tmp);
	if (!v)
		return PC_ENOMEM;
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = v;
	r->nheaders++;
	return 0;
}

const char *http_response_header(const http_response *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

const void *http_response_bytes(const http_response *r, size_t *len)
{
	if (r->stream.read) {
		*len = 0;
		return "";
	}
	if (r->data) {
		*len = r->data_len;
		return r->data;
	}
	*len = r->body.len;
	return r->body.data ? r->body.data : "";
}

static const struct {
	int status;
	const char *text;
} status_texts[] = {
	{200, "OK"},
	{204, "No Content"},
	{206, "Partial Content"},
	{301, "Moved Permanently"},
	{302, "Found"},
	{303, "See Other"},
	{304, "Not Modified"},
	{400, "Bad Request"},
	{401, "Unauthorized"},
	{403, "Forbidden"},
	{404, "Not Found"},
	{405, "Method Not Allowed"},
	{409, "Conflict"},
	{411, "Length Required"},
	{413, "Payload Too Large"},
	{414, "URI Too Long"},
	{415, "Unsupported Media Type"},
	{416, "Range Not Satisfiable"},
	{421, "Misdirected Request"},
	{422, "Unprocessable Content"},
	{429, "Too Many Requests"},
	{431, "Request Header Fields Too Large"},
	{500, "Internal Server Error"},
	{503, "Service Unavailable"},
};

const char *http_status_text(int status)
{
	for (size_t i = 0; i < PC_ARRAY_LEN(status_texts); i++)
		if (status_texts[i].status == status)
			return status_texts[i].text;
	return "Unknown";
}

void http_error(http_response *r, int status, const char *detail)
{
	stream_drop(r);
	buf_reset(&r->body);
	r->data = NULL;
	r->data_len = 0;
	r->status = status;
	r->content_type = "application/json";
	buf_printf(&r->body, "{\"code\":%d,\"error\":", status);
	buf_put_json_string(&r->body, http_status_text(status));
	buf_puts(&r->body, ",\"detail\":");
	buf_put_json_string(&r->body, detail ? detail : "");
	buf_puts(&r->body, "}\n");
}

void http_errorf(http_response *r, int status, const char *fmt, ...)
{
	char detail[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	http_error(r, status, detail);
}

const char *http_req_header(const http_request *req, const char *name)
{
	return req->header ? req->header(req->header_ctx, name) : NULL;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes in[0..len) into out (NUL-terminated). `plus_space` turns '+' into ' ' (query
 * strings). Returns the decoded length, or -1 on a bad escape, a NUL, or no room. */
static long decode_pct(const char *in, size_t len, char *out, size_t size, int plus_space)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)in[i];
		if (c == '%') {
			if (i + 2 >= len)
				return -1;
			int hi = hexval(in[i + 1]), lo = hexval(in[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		}
		if (c == 0 || o + 1 >= size)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return (long)o;
}

int http_query_param(const http_request *req, const char *name, char *out, size_t size)
{
	const char *q = req->query ? req->query : "";
	size_t nlen = strlen(name);
	while (*q) {
		const char *end = strchr(q, '&');
		size_t plen = end ? (size_t)(end - q) : strlen(q);
		const char *eq = memchr(q, '=', plen);
		size_t klen = eq ? (size_t)(eq - q) : plen;
		if (klen == nlen && memcmp(q, name, nlen) == 0) {
			const char *v = eq ? eq + 1 : q + plen;
			size_t vlen = (size_t)(q + plen - v);
			if (decode_pct(v, vlen, out, size, 1) < 0 || !utf8_valid(out, strlen(out)))
				return 0;
			return 1;
		}
		q += plen;
		if (*q == '&')
			q++;
	}
	return 0;
}

int http_form_field(const char *body, size_t len, const char *name, char *out, size_t size)
{
	size_t nlen = strlen(name);
	const char *p = body, *end = body ? body + len : NULL;
	while (p && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		size_t plen = amp ? (size_t)(amp - p) : (size_t)(end - p);
		const char *eq = memchr(p, '=', plen);
		size_t klen = eq ? (size_t)(eq - p) : plen;
		if (klen == nlen && memcmp(p, name, nlen) == 0) {
			const char *v = eq ? eq + 1 : p + plen;
			size_t vlen = (size_t)(p + plen - v);
			long n = decode_pct(v, vlen, out, size, 1);
			if (n < 0 || !utf8_valid(out, (size_t)n))
				return -1;
			return 1;
		}
		p += plen + 1;
	}
	if (size)
		out[0] = '\0';
	return 0;
}

int http_decode_segment(const char *in, size_t len, char *out, size_t size)
{
	long n = decode_pct(in, len, out, size, 0);
	if (n < 0)
		return -1;
	for (long i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];
		/* '/' can only appear here encoded (%2f): a name that smuggles a separator past the
		 * segment split. '\' is a separator on Windows-made zips and servers. */
		if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f)
			return -1;
	}
	if (!utf8_valid(out, (size_t)n))
		return -1;
	return 0;
}

size_t http_query_count(const char *query)
{
	if (!query || !*query)
		return 0;
	size_t n = 1;
	for (const char *q = query; *q; q++)
		n += *q == '&';
	return n;
}

/* Reads 1..20 decimal digits at *s into *v, refusing overflow. Returns the end, or NULL. */
static const char *read_u64(const char *s, uint64_t *v)
{
	uint64_t n = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (n > (UINT64_MAX - d) / 10)
			return NULL;
		n = n * 10 + d;
	}
	if (p == s)
		return NULL;
	*v = n;
	return p;
}

int http_parse_range(const char *h, uint64_t len, uint64_t *from, uint64_t *to)
{
	if (!h || strncasecmp(h, "bytes=", 6) != 0 || strchr(h, ','))
		return 0;
	const char *s = h + 6, *end;
	uint64_t a, b;
	if (*s == '-') {
		if (!(end = read_u64(s + 1, &b)) || *end)
			return 0;
		if (b == 0 || len == 0)
			return -1;
		*from = b >= len ? 0 : len - b;
		*to = len - 1;
		return 1;
	}
	if (!(end = read_u64(s, &a)) || *end != '-')
		return 0;
	b = UINT64_MAX;
	if (end[1]) {
		const char *t = end + 1;
		if (!(end = read_u64(t, &b)) || *end)
			return 0;
		if (b < a)
			return 0; /* syntactically invalid: ignore, as RFC 9110 allows */
	}
	if (a >= len)
		return -1;
	*from = a;
	*to = b >= len ? len - 1 : b;
	return 1;
}

static const char *skip_ows(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

int http_etag_match(const char *inm, const char *etag)
{
	if (!inm || !etag)
		return 0;
	const char *s = skip_ows(inm);
	if (*s == '*' && !*skip_ows(s + 1))
		return 1;
	size_t elen = strlen(etag);
	if (elen >= 2 && etag[0] == 'W' && etag[1] == '/') {
		etag += 2;
		elen -= 2;
	}
	for (;;) {
		while (*s == ',' || *s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return 0;
		if (s[0] == 'W' && s[1] == '/')
			s += 2;
		if (*s != '"')
			return 0;
		/* etagc is any visible character but '"' (RFC 9110 §8.8.3). */
		const char *e = s + 1;
		while (*e && *e != '"' && (unsigned char)*e > 0x20 && *e != 0x7f)
			e++;
		if (*e != '"')
			return 0;
		size_t tlen = (size_t)(e - s) + 1;
		if (tlen == elen && memcmp(s, etag, elen) == 0)
			return 1;
		s = skip_ows(e + 1);
		if (*s && *s != ',')
			return 0;
	}
}

/* Reads an optional ":PORT" at s; 1 when s is then at the end. */
static int port_tail(const char *s)
{
	if (!*s)
		return 1;
	if (*s != ':')
		return 0;
	uint64_t port;
	const char *end = read_u64(s + 1, &port);
	return end && !*end && end - (s + 1) <= 5 && port <= 65535;
}

int http_host_is_loopback(const char *host)
{
	if (!host)
		return 1; /* HTTP/1.0 clients may leave it out */
	if (host[0] == '[') {
		const char *close = strchr(host, ']');
		char addr[INET6_ADDRSTRLEN + 1];
		size_t n = close ? (size_t)(close - host - 1) : 0;
		struct in6_addr a6;
		if (!close || n == 0 || n >= sizeof addr)
			return 0;
		memcpy(addr, host + 1, n);
		addr[n] = '\0';
		return inet_pton(AF_INET6, addr, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6) &&
		       port_tail(close + 1);
	}
	if (strncasecmp(host, "localhost", 9) == 0)
		return port_tail(host + 9);
	/* Four decimal octets of 1 to 3 digits each, the first 127. */
	const char *p = host;
	for (int i = 0; i < 4; i++) {
		uint64_t v;
		const char *end = read_u64(p, &v);
		if (!end || end - p > 3 || v > 255 || (i == 0 && v != 127))
			return 0;
		p = end;
		if (i < 3 && *p++ != '.')
			return 0;
	}
	return port_tail(p);
}

/* RFC 6265 cookie-octet. */
static int cookie_octet(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
}

int http_cookie(const char *cookies, const char *name, char *out, size_t size)
{
	if (!cookies)
		return 0;
	size_t nlen = strlen(name);
	const char *p = cookies;
	while (*p) {
		p = skip_ows(p);
		size_t plen = strcspn(p, ";");
		const char *eq = memchr(p, '=', plen);
		if (eq && (size_t)(eq - p) == nlen && memcmp(p, name, nlen) == 0) {
			const char *v = eq + 1;
			size_t vlen = (size_t)(p + plen - v);
			while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			if (vlen >= size)
				return -1;
			for (size_t i = 0; i < vlen; i++)
				if (!cookie_octet((unsigned char)v[i]))
					return -1;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return 1;
		}
		p += plen;
		if (*p == ';')
			p++;
	}
	return 0;
}

int http_media_type_is(const char *ct, const char *type)
{
	if (!ct)
		return 0;
	const char *s = skip_ows(ct);
	size_t n = strlen(type);
	if (strncasecmp(s, type, n) != 0)
		return 0;
	s = skip_ows(s + n);
	return *s == '\0' || *s == ';';
}

/* Deepest bracket nesting of a JSON text, strings skipped; stops counting past `max`. */
static size_t json_depth(const char *s, size_t len, size_t max)
{
	size_t depth = 0, deepest = 0;
	int in_str = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > deepest && (deepest = depth) > max)
				return deepest;
		} else if ((c == ']' || c == '}') && depth) {
			depth--;
		}
	}
	return deepest;
}

int http_commit_check(const http_request *req, http_response *resp)
{
	const char *ct = http_req_header(req, "Content-Type");
	if (ct && !http_media_type_is(ct, "application/json") && !http_media_type_is(ct, "text/plain")) {
		http_error(resp, 415, "commits are JSON (application/json, or text/plain from a beacon)");
		return -1;
	}
	if (!req->body || !req->body_len) {
		http_error(resp, 400, "the commit has no body");
		return -1;
	}
	if (json_depth(req->body, req->body_len, HTTP_COMMIT_MAX_DEPTH) > HTTP_COMMIT_MAX_DEPTH) {
		http_errorf(resp, 400, "commit bodies nest JSON at most %d levels deep",
			    HTTP_COMMIT_MAX_DEPTH);
		return -1;
	}
	return 0;
}

int http_launch_target(const char *rest, char token[HTTP_TOKEN_LEN + 1], const char **sub)
{
	static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t n = 0;
	while (n <= HTTP_TOKEN_LEN && rest[n] && strchr(b64url, rest[n]))
		n++;
	if (n != HTTP_TOKEN_LEN || rest[n] != '/')
		return -1;
	memcpy(token, rest, HTTP_TOKEN_LEN);
	token[HTTP_TOKEN_LEN] = '\0';
	*sub = rest + HTTP_TOKEN_LEN + 1;
	return 0;
}
