/* Private to author/source/: the reading context the module, question and course readers
 * share (reader.c). Offsets are bytes into the source text; findings are printed with the line
 * and a caret by the sink. */
#ifndef POSTCARD_SOURCE_READER_H
#define POSTCARD_SOURCE_READER_H

#include <stddef.h>

#include <libxml/tree.h>

#include "diag.h"
#include "model.h"

typedef struct reader {
	diag_sink *sink;
	diag_src *src;
	int errors; /* errors this reader reported */
	int oom;
} reader;

void err_at(reader *r, size_t off, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void warn_at(reader *r, size_t off, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Byte offsets: of an element's start tag; of one of its attributes (the tag when absent). */
size_t off_of(reader *r, const xmlNode *n);
size_t attr_off(reader *r, const xmlNode *n, const char *attr);
/* The offset of attribute `attr` inside the start tag at `elem` of `text`, or `elem`. */
size_t attr_offset(const char *text, size_t len, size_t elem, const char *attr);

/* Text content and attribute values with white space collapsed (NULL and r->oom set when out
 * of memory; attr_of NULL when absent). The caller frees. */
char *text_of(reader *r, const xmlNode *n);
char *attr_of(reader *r, const xmlNode *n, const char *name);
int attr_bool(const xmlNode *n, const char *name);
unsigned attr_uint(const xmlNode *n, const char *name, unsigned dflt);
/* 1 when n is an element named `name`. */
int is(const xmlNode *n, const char *name);
#define EACH_CHILD(c, parent)                                                                     \
	for (xmlNode *c = xmlFirstElementChild((xmlNode *)(parent)); c; c = xmlNextElementSibling(c))
/* Grows an array by one zeroed element; returns the new element or NULL (oom set). */
void *push(reader *r, void **arr, size_t *n, size_t size);

/* Parses r->src and validates it against the module or course schema. Returns the document
 * (NULL when not well-formed: errors reported); the caller frees it. *valid tells whether the
 * schema accepted it. */
xmlDoc *parse_and_validate(reader *r, int is_course, int *valid);

/* Fill-in answers match ignoring case: 1 when a and b are the same answer. */
int same_answer(const char *a, const char *b);
/* 1 when path names a folder. */
int is_dir(const char *path);

/* question.c: the question type an element names (0 when none), and reading one question. */
int q_type_of(const xmlNode *n, q_type *t);
void read_question(reader *r, module *m, question *q, const xmlNode *n);

#endif
