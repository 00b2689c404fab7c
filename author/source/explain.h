/* Private to author/source/: libxml2's messages about a module.xml or course.xml, said in the
 * project's words with the fix (authors are library staff, not programmers). Every rule is a
 * table row (explain.c): an element or attribute gets its explanation by adding a row, and the
 * question types come from the model (q_type_name), so new source elements fit without code. */
#ifndef POSTCARD_SOURCE_EXPLAIN_H
#define POSTCARD_SOURCE_EXPLAIN_H

#include <stddef.h>

#include <libxml/tree.h>

#include "buf.h"

/* A well-formedness error: libxml2's error `code` and message, at byte `off` of `text`.
 * Appends one line to `out` and returns 1, or returns 0 (no rule: keep libxml2's words). */
int explain_parse(int code, const char *msg, const char *text, size_t len, size_t off, buf *out);

/* A schema finding about element `node` (libxml2's message, which may name one of its
 * attributes). Appends one line to `out` and returns 1, or returns 0 (no rule). */
int explain_schema(const xmlNode *node, const char *msg, buf *out);

#endif
