/* A growable byte buffer with a size cap: every HTML, XML and JSON text we build goes through it.
 * A buffer that would grow past its cap, or fails to grow, frees its memory and stays failed:
 * later appends do nothing and return the same error, so a caller can append many pieces and
 * check once at the end (buf_error). The data is always NUL-terminated when non-empty. */
#ifndef POSTCARD_BUF_H
#define POSTCARD_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* cap on len; 0 means BUF_DEFAULT_MAX */
	int err;    /* 0, PC_ENOMEM or PC_ELIMIT once failed */
} buf;

/* 256 MiB: larger than any manifest or page we are willing to produce. */
#define BUF_DEFAULT_MAX ((size_t)256 << 20)

#define BUF_INIT {0, 0, 0, 0, 0}

void buf_init(buf *b, size_t max);
void buf_free(buf *b);
/* Empties the buffer and clears a failure, keeping the memory and the cap. */
void buf_reset(buf *b);

int buf_put(buf *b, const void *data, size_t len);
int buf_puts(buf *b, const char *s);
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Appends text escaped for the given context. */
int buf_put_xml(buf *b, const char *s, size_t len);  /* element text and attribute values */
/* Text inside a JSON string, without the quotes. Invalid UTF-8 becomes U+FFFD, and < > & and
 * U+2028/U+2029 are escaped, so the result is valid JSON and safe inside an HTML <script>. */
int buf_put_json(buf *b, const char *s, size_t len);
/* The same, with the quotes. */
int buf_put_json_string(buf *b, const char *s);

int buf_error(const buf *b);
/* Hands the data to the caller (free() it) and leaves the buffer empty. Returns NULL when the
 * buffer failed or never held any byte; *len (when non-NULL) gets the length. */
char *buf_detach(buf *b, size_t *len);
/* Borrowed pointer to the text; "" when empty. */
const char *buf_cstr(const buf *b);

#endif
