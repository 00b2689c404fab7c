/* Helpers over the request/response structs of http.h: headers, the one JSON error shape, query
 * parameters, and strict percent-decoding of URL path segments. */
#include "http.h"

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

void http_response_free(http_response *r)
{
	if (!r)
		return;
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
