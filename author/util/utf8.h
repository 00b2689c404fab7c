/* UTF-8 helpers: SCORM limits count characters (code points), and every text we emit as JSON or
 * XML must be valid UTF-8 even when the input was not. */
#ifndef POSTCARD_UTF8_H
#define POSTCARD_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s[0..len). Returns its length in bytes (1-4), or 0 when the bytes
 * are not valid UTF-8 (overlong forms, surrogates and values past U+10FFFF are invalid). */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* 1 when the whole text is valid UTF-8. */
int utf8_valid(const char *s, size_t len);
/* Number of code points in valid UTF-8 text (each invalid byte counts as one). */
size_t utf8_count(const char *s, size_t len);

#endif
