/* The diagnostics sink: the compiler and the validator report every finding of a run here, and
 * the CLI prints them in the GNU form `path:line:col: level: message` (optionally followed by the
 * source line and a caret) or as JSON. Findings are placed either by byte offset into a source
 * text (diag_src: line:col is worked out from the offset, counting columns in code points) or by
 * line and column directly (as libxml2 reports them). */
#ifndef POSTCARD_DIAG_H
#define POSTCARD_DIAG_H

#include <stddef.h>

#include "buf.h"

typedef enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR } diag_level;

typedef struct diag {
	diag_level level;
	char *file;    /* as shown to the user; NULL for findings about no file in particular */
	unsigned line; /* 1-based; 0 when unknown */
	unsigned col;  /* 1-based, in code points; 0 when unknown */
	char *check;   /* stable id of the rule, e.g. "identifierref"; never NULL ("" if none) */
	char *message; /* one line, no trailing newline */
	char *source;  /* the source line quoted under the message, or NULL */
} diag;

/* A source text findings can point into. The text is borrowed: it must stay alive while
 * diag_at() is called with this source; the sink copies what it needs. */
typedef struct diag_src {
	const char *file;
	const char *text;
	size_t len;
	size_t *lines; /* start offset of each line, built on first use */
	size_t nlines;
} diag_src;

void diag_src_init(diag_src *src, const char *file, const char *text, size_t len);
void diag_src_free(diag_src *src);
/* Works out the 1-based line and column (in code points) of a byte offset. */
void diag_src_locate(diag_src *src, size_t offset, unsigned *line, unsigned *col);

typedef struct diag_sink diag_sink;

/* The sink keeps at most DIAG_MAX_KEPT findings (hostile input can produce millions); the rest
 * are counted, and rendering says how many were left out. */
#define DIAG_MAX_KEPT 10000

int diag_sink_new(diag_sink **out);
void diag_sink_free(diag_sink *sink);

/* Reports a finding at a byte offset of `src` (offset past the end is clamped). */
void diag_at(diag_sink *sink, diag_level level, diag_src *src, size_t offset, const char *check,
	     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Reports a finding at a known line and column (0 = unknown) of `file` (may be NULL). */
void diag_line(diag_sink *sink, diag_level level, const char *file, unsigned line, unsigned col,
	       const char *check, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Reports a copy of a finding of another sink (its quoted line too). */
void diag_copy(diag_sink *into, const diag *d);

size_t diag_count(const diag_sink *sink);
/* Findings of a level, including those not kept. */
size_t diag_count_level(const diag_sink *sink, diag_level level);
/* Borrowed; valid until the sink is freed or more findings are added. */
const diag *diag_get(const diag_sink *sink, size_t i);
/* Stable sort by file, line, column: report order is kept for ties. */
void diag_sort(diag_sink *sink);

const char *diag_level_name(diag_level level);

/* Appends every finding as text, one line each, plus the quoted source line and a caret when
 * `with_source` is set and the finding has one. */
int diag_render_text(const diag_sink *sink, buf *out, int with_source);
/* Appends a JSON array of {"file","line","column","level","check","message"} objects. */
int diag_render_json(const diag_sink *sink, buf *out);

#endif
