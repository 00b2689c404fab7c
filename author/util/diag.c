/* Diagnostics sink (see diag.h). */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* The quoted source line is cut at this many bytes: a minified one-line manifest would otherwise
 * copy megabytes into every finding. */
#define QUOTE_MAX 240

struct diag_sink {
	diag *items;
	size_t n, cap;
	size_t counts[3];  /* per level, including dropped findings */
	size_t dropped;
	int oom;
};

void diag_src_init(diag_src *src, const char *file, const char *text, size_t len)
{
	memset(src, 0, sizeof *src);
	src->file = file;
	src->text = text;
	src->len = len;
}

void diag_src_free(diag_src *src)
{
	if (!src)
		return;
	free(src->lines);
	src->lines = NULL;
	src->nlines = 0;
}

static int src_index(diag_src *src)
{
	if (src->lines)
		return 0;
	/* memchr, not a byte loop: a 2 MB manifest has 50,000 lines and this runs on every
	 * validation that reports anything */
	const char *t = src->text, *end = t + src->len, *nl;
	size_t n = 1;
	for (const char *q = t; q < end && (nl = memchr(q, '\n', (size_t)(end - q))); q = nl + 1)
		n++;
	src->lines = malloc(n * sizeof *src->lines);
	if (!src->lines)
		return PC_ENOMEM;
	src->lines[0] = 0;
	src->nlines = 1;
	for (const char *q = t; q < end && (nl = memchr(q, '\n', (size_t)(end - q))); q = nl + 1)
		src->lines[src->nlines++] = (size_t)(nl + 1 - t);
	return 0;
}

static size_t src_line_of(const diag_src *src, size_t offset)
{
	size_t lo = 0, hi = src->nlines; /* last line start <= offset */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (src->lines[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void diag_src_locate(diag_src *src, size_t offset, unsigned *line, unsigned *col)
{
	*line = *col = 0;
	if (offset > src->len)
		offset = src->len;
	if (src_index(src) != 0)
		return;
	size_t l = src_line_of(src, offset);
	unsigned c = 1;
	for (size_t i = src->lines[l]; i < offset; i++)
		c += ((unsigned char)src->text[i] & 0xc0) != 0x80; /* count code points, not bytes */
	*line = (unsigned)l + 1;
	*col = c;
}

int diag_sink_new(diag_sink **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? 0 : PC_ENOMEM;
}

static void diag_clear(diag *d)
{
	free(d->file);
	free(d->check);
	free(d->message);
	free(d->source);
}

void diag_sink_free(diag_sink *sink)
{
	if (!sink)
		return;
	for (size_t i = 0; i < sink->n; i++)
		diag_clear(&sink->items[i]);
	free(sink->items);
	free(sink);
}

static char *dup_or_null(const char *s, size_t len)
{
	if (!s)
		return NULL;
	char *p = malloc(len + 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

/* Takes ownership of nothing; copies everything. On allocation failure the finding is counted
 * but not kept, and the sink remembers it ran out of memory. */
static void add(diag_sink *sink, diag_level level, const char *file, unsigned line, unsigned col,
		const char *check, const char *source, size_t source_len, const char *fmt, va_list ap)
	__attribute__((format(printf, 9, 0)));

static void add(diag_sink *sink, diag_level level, const char *file, unsigned line, unsigned col,
		const char *check, const char *source, size_t source_len, const char *fmt, va_list ap)
{
	sink->counts[level]++;
	if (sink->n >= DIAG_MAX_KEPT) {
		sink->dropped++;
		return;
	}
	if (sink->n == sink->cap) {
		size_t cap = sink->cap ? sink->cap * 2 : 16;
		diag *p = realloc(sink->items, cap * sizeof *p);
		if (!p) {
			sink->oom = 1;
			sink->dropped++;
			return;
		}
		sink->items = p;
		sink->cap = cap;
	}
	buf msg = BUF_INIT;
	buf_init(&msg, 4096);
	buf_vprintf(&msg, fmt, ap);
	diag d = {level, file ? dup_or_null(file, strlen(file)) : NULL, line, col,
		  dup_or_null(check ? check : "", strlen(check ? check : "")), buf_detach(&msg, NULL),
		  source ? dup_or_null(source, source_len) : NULL};
	if ((file && !d.file) || !d.check || !d.message || (source && !d.source)) {
		diag_clear(&d);
		sink->oom = 1;
		sink->dropped++;
		return;
	}
	/* one line only: a message must never break the line-per-finding output */
	for (char *p = d.message; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	sink->items[sink->n++] = d;
}

void diag_at(diag_sink *sink, diag_level level, diag_src *src, size_t offset, const char *check,
	     const char *fmt, ...)
{
	PC_ASSERT(sink != NULL && src != NULL && check != NULL && fmt != NULL);
	unsigned line, col;
	diag_src_locate(src, offset, &line, &col);
	const char *quote = NULL;
	size_t qlen = 0;
	if (line && src->lines) {
		size_t start = src->lines[line - 1], end = start;
		while (end < src->len && src->text[end] != '\n' && src->text[end] != '\r')
			end++;
		quote = src->text + start;
		qlen = end - start;
		if (qlen > QUOTE_MAX || memchr(quote, '\0', qlen))
			quote = NULL; /* too long or binary to be worth quoting */
	}
	va_list ap;
	va_start(ap, fmt);
	add(sink, level, src->file, line, col, check, quote, qlen, fmt, ap);
	va_end(ap);
}

void diag_line(diag_sink *sink, diag_level level, const char *file, unsigned line, unsigned col,
	       const char *check, const char *fmt, ...)
{
	PC_ASSERT(sink != NULL && check != NULL && fmt != NULL);
	va_list ap;
	va_start(ap, fmt);
	add(sink, level, file, line, col, check, NULL, 0, fmt, ap);
	va_end(ap);
}

static void add_quoted(diag_sink *sink, const diag *d, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_quoted(diag_sink *sink, const diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(sink, d->level, d->file, d->line, d->col, d->check, d->source,
	    d->source ? strlen(d->source) : 0, fmt, ap);
	va_end(ap);
}

void diag_copy(diag_sink *into, const diag *d)
{
	add_quoted(into, d, "%s", d->message);
}

size_t diag_count(const diag_sink *sink)
{
	return sink->n;
}

size_t diag_count_level(const diag_sink *sink, diag_level level)
{
	return sink->counts[level];
}

const diag *diag_get(const diag_sink *sink, size_t i)
{
	return i < sink->n ? &sink->items[i] : NULL;
}

static int cmp_place(const diag *a, const diag *b)
{
	int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

void diag_sort(diag_sink *sink)
{
	/* insertion sort keeps ties in report order; runs are short and mostly sorted already */
	for (size_t i = 1; i < sink->n; i++) {
		diag d = sink->items[i];
		size_t j = i;
		while (j > 0 && cmp_place(&sink->items[j - 1], &d) > 0) {
			sink->items[j] = sink->items[j - 1];
			j--;
		}
		sink->items[j] = d;
	}
}

const char *diag_level_name(diag_level level)
{
	static const char *const names[] = {"note", "warning", "error"};
	return names[level];
}

static void render_place(const diag *d, buf *out)
{
	if (d->file) {
		buf_puts(out, d->file);
		if (d->line) {
			buf_printf(out, ":%u", d->line);
			if (d->col)
				buf_printf(out, ":%u", d->col);
		}
		buf_puts(out, ": ");
	}
}

static void render_quote(const diag *d, buf *out)
{
	buf_printf(out, "%5u | ", d->line);
	buf_puts(out, d->source);
	buf_puts(out, "\n      | ");
	/* the caret goes under the column: copy tabs so it lines up, count code points */
	unsigned col = 1;
	for (const char *p = d->source; *p && col < d->col; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;
		buf_putc(out, *p == '\t' ? '\t' : ' ');
		col++;
	}
	buf_puts(out, "^\n");
}

int diag_render_text(const diag_sink *sink, buf *out, int with_source)
{
	for (size_t i = 0; i < sink->n; i++) {
		const diag *d = &sink->items[i];
		render_place(d, out);
		buf_printf(out, "%s: %s\n", diag_level_name(d->level), d->message);
		if (with_source && d->source && d->line && d->col)
			render_quote(d, out);
	}
	if (sink->dropped)
		buf_printf(out, "note: %zu more findings were not kept%s\n", sink->dropped,
			   sink->oom ? " (out of memory)" : "");
	return buf_error(out);
}

int diag_render_json(const diag_sink *sink, buf *out)
{
	buf_putc(out, '[');
	for (size_t i = 0; i < sink->n; i++) {
		const diag *d = &sink->items[i];
		buf_puts(out, i ? ",{\"file\":" : "{\"file\":");
		if (d->file)
			buf_put_json_string(out, d->file);
		else
			buf_puts(out, "null");
		buf_printf(out, ",\"line\":%u,\"column\":%u,\"level\":\"%s\",\"check\":", d->line, d->col,
			   diag_level_name(d->level));
		buf_put_json_string(out, d->check);
		buf_puts(out, ",\"message\":");
		buf_put_json_string(out, d->message);
		buf_putc(out, '}');
	}
	return buf_putc(out, ']');
}
