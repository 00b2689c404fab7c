/* Growable, capped byte buffer (see buf.h). */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "utf8.h"

void buf_init(buf *b, size_t max)
{
	PC_ASSERT(b != NULL);
	memset(b, 0, sizeof *b);
	b->max = max;
}

void buf_free(buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void buf_reset(buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int buf_fail(buf *b, int err)
{
	buf_free(b);
	b->err = err;
	return err;
}

/* Makes room for `extra` more bytes plus the terminating NUL. */
static int buf_grow(buf *b, size_t extra)
{
	size_t max = b->max ? b->max : BUF_DEFAULT_MAX;
	if (b->err)
		return b->err;
	if (extra > max || b->len > max - extra)
		return buf_fail(b, PC_ELIMIT);
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return buf_fail(b, PC_ENOMEM);
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_put(buf *b, const void *data, size_t len)
{
	PC_ASSERT(b != NULL && (data != NULL || len == 0));
	int rc = buf_grow(b, len);
	if (rc)
		return rc;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int buf_puts(buf *b, const char *s)
{
	return buf_put(b, s, strlen(s));
}

int buf_putc(buf *b, char c)
{
	return buf_put(b, &c, 1);
}

int buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return buf_fail(b, PC_EINVAL);
	int rc = buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int buf_put_xml(buf *b, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '&': rep = "&amp;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_put(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	return buf_put(b, s + start, len - start);
}

/* 1 for the bytes buf_put_json copies as they are: printable ASCII but " \\ < > &. */
static int json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
}

int buf_put_json(buf *b, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len;) {
		/* Runs of plain bytes (nearly all of most texts) are skipped first, in one go. */
		while (i < len && json_plain((unsigned char)s[i]))
			i++;
		if (i == len)
			break;
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		const char *rep = NULL;
		size_t step = 1;
		uint32_t cp;
		if (c >= 0x80) {
			step = utf8_decode(s + i, len - i, &cp);
			if (!step) /* invalid UTF-8 would make the whole document invalid JSON */
				rep = "\\ufffd", step = 1;
			else if (cp == 0x2028 || cp == 0x2029) /* line terminators in older JavaScript */
				rep = cp == 0x2028 ? "\\u2028" : "\\u2029";
		} else if (c == '"') {
			rep = "\\\"";
		} else if (c == '\\') {
			rep = "\\\\";
		} else if (c == '\n') {
			rep = "\\n";
		} else if (c == '\t') {
			rep = "\\t";
		} else if (c == '\r') {
			rep = "\\r";
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			/* < > & escaped so JSON can sit inside an HTML <script> element */
			snprintf(esc, sizeof esc, "\\u%04x", c);
			rep = esc;
		}
		if (rep) {
			buf_put(b, s + start, i - start);
			buf_puts(b, rep);
			start = i + step;
		}
		i += step;
	}
	return buf_put(b, s + start, len - start);
}

int buf_put_json_string(buf *b, const char *s)
{
	buf_putc(b, '"');
	buf_put_json(b, s, strlen(s));
	return buf_putc(b, '"');
}

int buf_error(const buf *b)
{
	return b->err;
}

char *buf_detach(buf *b, size_t *len)
{
	char *p = b->err ? NULL : b->data;
	if (len)
		*len = p ? b->len : 0;
	if (!p)
		free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

const char *buf_cstr(const buf *b)
{
	return b->data && !b->err ? b->data : "";
}
