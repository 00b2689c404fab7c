/* A small strict JSON reader for the texts the data model reads: commit bodies from the browser,
 * stored states and seed objects. The model has its own so that it builds standalone (natively
 * and as WebAssembly) on the C library alone; the rest of Postcard uses jansson.
 *
 * What it accepts: RFC 8259 JSON, any value at the top, valid UTF-8 only. What it refuses, with a
 * one-line reason and the byte offset: anything else, duplicate member names in an object,
 * "\u0000" and unpaired surrogate escapes (neither can be a data model value), nesting deeper than
 * CMI_JSON_MAX_DEPTH and integers outside int64. Numbers with a fraction or exponent are read as
 * CMI_J_REAL without their value (the model stores none). The parsed values live in one array in
 * document order (a value is followed by its children), strings in one block. */
#ifndef POSTCARD_CMI_JSON_READ_H
#define POSTCARD_CMI_JSON_READ_H

#include <stddef.h>

/* A commit is 3 levels deep and a stored state 2; the server refuses commit bodies deeper than
 * 32 before reading them (HTTP_COMMIT_MAX_DEPTH): the same bound here keeps the reader's
 * recursion short whoever calls it. */
#define CMI_JSON_MAX_DEPTH 32

enum cmi_jtype { CMI_J_NULL, CMI_J_FALSE, CMI_J_TRUE, CMI_J_INT, CMI_J_REAL, CMI_J_STRING, CMI_J_ARRAY, CMI_J_OBJECT };

struct cmi_jval {
	enum cmi_jtype type;
	const char *key;  /* member of an object: its name (decoded, NUL-terminated); else NULL */
	size_t klen;
	const char *str;  /* CMI_J_STRING: the text (decoded, NUL-terminated) */
	size_t len;
	long long num;    /* CMI_J_INT */
	size_t count;     /* CMI_J_ARRAY, CMI_J_OBJECT: children */
	size_t size;      /* values in this one's subtree, itself included (the next sibling is at +size) */
};

struct cmi_json {
	struct cmi_jval *vals;
	size_t n, cap;
	char *text; /* decoded strings */
};

/* Parses len bytes of JSON into doc (which the caller frees with cmi_json_free, also after a
 * failure). Returns 0, PC_ENOMEM, or PC_EFORMAT with "why (at byte N)" in err when err is not
 * NULL. */
int cmi_json_parse(struct cmi_json *doc, const char *in, size_t len, char *err, size_t errlen);
void cmi_json_free(struct cmi_json *doc);

/* The top value of a parsed document. */
const struct cmi_jval *cmi_json_root(const struct cmi_json *doc);
/* The first child of an array or object, then the one after `kid`; NULL past the last. */
const struct cmi_jval *cmi_json_first(const struct cmi_jval *v);
const struct cmi_jval *cmi_json_next(const struct cmi_jval *parent, const struct cmi_jval *kid);
/* The member of an object with that name, or NULL (also when v is NULL or not an object). */
const struct cmi_jval *cmi_json_get(const struct cmi_jval *v, const char *name);

#endif
