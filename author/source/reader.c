/* The reading context every source reader shares: parsing with libxml2 (no network, no
 * entities, no DTD) and validation against the embedded source schemas, byte offsets of
 * elements and attributes in the source text, findings reported at those offsets, and the small
 * helpers that take text out of the tree. */
/* realpath() is XSI */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common.h"
#include "explain.h"
#include "reader.h"
#include "schemaset.h"

/* ---------- files and paths ---------- */

int file_read_all(const char *path, size_t max, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	int rc = PC_EIO;
	char *p = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return PC_EIO;
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
		goto cleanup;
	if ((uint64_t)st.st_size > max) {
		rc = PC_ELIMIT;
		goto cleanup;
	}
	size_t size = (size_t)st.st_size;
	p = malloc(size + 1);
	if (!p) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	if (size && fread(p, 1, size, f) != size)
		goto cleanup;
	p[size] = '\0';
	*data = p;
	*len = size;
	p = NULL; /* now owned by the caller */
	rc = 0;
cleanup:
	free(p);
	fclose(f);
	return rc;
}

char *path_join(const char *a, const char *b)
{
	if (!a || !*a || strcmp(a, ".") == 0)
		return strdup(b);
	size_t la = strlen(a);
	while (la > 1 && a[la - 1] == '/')
		la--;
	size_t lb = strlen(b);
	char *p = malloc(la + lb + 2);
	if (!p)
		return NULL;
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---------- where a node sits in the source text ---------- */

static int name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' || c == ':' ||
	       ((unsigned char)c & 0x80);
}

/* Byte offset of the start of 1-based line `line`, or len when past the end. */
static size_t line_start(const char *text, size_t len, unsigned line)
{
	size_t off = 0;
	for (unsigned l = 1; l < line && off < len; off++)
		if (text[off] == '\n')
			l++;
	return off;
}

/* The offset of the `<name` that opens `node`. libxml2 records the line where the start tag
 * ended, so search backwards from the end of that line for the tag. */
static size_t node_offset(const char *text, size_t len, const xmlNode *node)
{
	if (!node || node->type != XML_ELEMENT_NODE)
		return 0;
	long line = xmlGetLineNo(node);
	if (line <= 0)
		return 0;
	size_t ls = line_start(text, len, (unsigned)line), end = ls;
	while (end < len && text[end] != '\n')
		end++;
	const char *name = (const char *)node->name;
	size_t nl = strlen(name);
	for (size_t i = end; i-- > 0;) {
		if (text[i] != '<')
			continue;
		size_t j = i + 1;
		/* skip a namespace prefix */
		size_t k = j;
		while (k < len && name_char(text[k]) && text[k] != ':')
			k++;
		if (k < len && text[k] == ':')
			j = k + 1;
		if (j + nl <= len && memcmp(text + j, name, nl) == 0 &&
		    (j + nl == len || !name_char(text[j + nl])))
			return i;
	}
	return ls;
}

/* The offset of attribute `attr` inside the start tag at `elem`, or `elem` when not found. */
size_t attr_offset(const char *text, size_t len, size_t elem, const char *attr)
{
	size_t al = strlen(attr);
	char quote = 0;
	for (size_t i = elem + 1; i < len; i++) {
		char c = text[i];
		if (quote) {
			if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '"' || c == '\'') {
			quote = c;
			continue;
		}
		if (c == '>')
			break;
		if (isspace((unsigned char)text[i - 1]) && i + al <= len &&
		    memcmp(text + i, attr, al) == 0 && (i + al == len || !name_char(text[i + al])))
			return i;
	}
	return elem;
}

/* ---------- reading context ---------- */

static void report(reader *r, diag_level lvl, size_t off, const char *check, const char *fmt,
		   va_list ap) __attribute__((format(printf, 5, 0)));
static void report(reader *r, diag_level lvl, size_t off, const char *check, const char *fmt,
		   va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	diag_at(r->sink, lvl, r->src, off, check, "%s", msg);
	if (lvl == DIAG_ERROR)
		r->errors++;
}

void err_at(reader *r, size_t off, const char *check, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(r, DIAG_ERROR, off, check, fmt, ap);
	va_end(ap);
}

void warn_at(reader *r, size_t off, const char *check, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(r, DIAG_WARNING, off, check, fmt, ap);
	va_end(ap);
}

size_t off_of(reader *r, const xmlNode *n)
{
	return node_offset(r->src->text, r->src->len, n);
}

size_t attr_off(reader *r, const xmlNode *n, const char *attr)
{
	return attr_offset(r->src->text, r->src->len, off_of(r, n), attr);
}

/* Copies text with runs of white space collapsed to one space and trimmed: XML sources wrap
 * long prompts over several indented lines. */
static char *norm_dup(reader *r, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s), o = 0;
	char *p = malloc(n + 1);
	if (!p) {
		r->oom = 1;
		return NULL;
	}
	int space = 0;
	for (size_t i = 0; i < n; i++) {
		if (isspace((unsigned char)s[i])) {
			space = o > 0;
			continue;
		}
		if (space)
			p[o++] = ' ';
		space = 0;
		p[o++] = s[i];
	}
	p[o] = '\0';
	return p;
}

char *text_of(reader *r, const xmlNode *n)
{
	xmlChar *t = xmlNodeGetContent(n);
	char *s = norm_dup(r, t ? (const char *)t : "");
	xmlFree(t);
	return s;
}

char *attr_of(reader *r, const xmlNode *n, const char *name)
{
	xmlChar *t = xmlGetNoNsProp(n, (const xmlChar *)name);
	if (!t)
		return NULL;
	char *s = norm_dup(r, (const char *)t);
	xmlFree(t);
	return s;
}

int attr_bool(const xmlNode *n, const char *name)
{
	xmlChar *t = xmlGetNoNsProp(n, (const xmlChar *)name);
	int v = t && (strcmp((const char *)t, "true") == 0 || strcmp((const char *)t, "1") == 0);
	xmlFree(t);
	return v;
}

unsigned attr_uint(const xmlNode *n, const char *name, unsigned dflt)
{
	xmlChar *t = xmlGetNoNsProp(n, (const xmlChar *)name);
	if (!t)
		return dflt;
	unsigned long v = strtoul((const char *)t, NULL, 10);
	xmlFree(t);
	return (unsigned)v;
}

int is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Grows an array by one zeroed element; returns the new element or NULL (oom set). */
void *push(reader *r, void **arr, size_t *n, size_t size)
{
	char *p = realloc(*arr, (*n + 1) * size);
	if (!p) {
		r->oom = 1;
		return NULL;
	}
	*arr = p;
	memset(p + *n * size, 0, size);
	return p + (*n)++ * size;
}

/* ---------- parsing and schema validation ---------- */

/* libxml2's messages name elements as '{urn:postcard:module:1}card'; authors know them as
 * 'card'. Also drops the trailing newline. */
static void tidy_message(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; in[i] && o + 1 < cap; i++) {
		if (in[i] == '{' && strncmp(in + i + 1, "urn:postcard:", 13) == 0) {
			const char *close = strchr(in + i, '}');
			if (close) {
				i = (size_t)(close - in);
				continue;
			}
		}
		out[o++] = in[i];
	}
	while (o > 0 && (out[o - 1] == '\n' || out[o - 1] == ' ' || out[o - 1] == '.'))
		o--;
	out[o] = '\0';
}

static void on_parse_error(void *ctx, xmlErrorPtr e)
{
	reader *r = ctx;
	if (!e || e->level == XML_ERR_NONE)
		return;
	char msg[600];
	tidy_message(e->message ? e->message : "malformed XML", msg, sizeof msg);
	size_t off = e->line > 0 ? line_start(r->src->text, r->src->len, (unsigned)e->line) : 0;
	/* the column libxml2 gives counts characters from 1; walk that many code points */
	for (int c = 1; c < e->int2 && off < r->src->len && r->src->text[off] != '\n'; c++) {
		off++;
		while (off < r->src->len && ((unsigned char)r->src->text[off] & 0xc0) == 0x80)
			off++;
	}
	buf plain = BUF_INIT;
	if (explain_parse(e->code, msg, r->src->text, r->src->len, off, &plain) && !buf_error(&plain))
		snprintf(msg, sizeof msg, "%s", buf_cstr(&plain));
	buf_free(&plain);
	if (e->level == XML_ERR_WARNING)
		warn_at(r, off, "xml", "%s", msg);
	else
		err_at(r, off, "xml", "%s", msg);
}

/* The elements schema findings were placed at, so each finding can be explained with its
 * element (explain.c): schemaset reports a finding right after locating its node. */
typedef struct located {
	reader *r;
	struct {
		unsigned line, col;
		const xmlNode *node;
	} *at;
	size_t n, cap;
} located;

/* schemaset's locate callback: line and column (code points) of a node's start tag. */
static void locate_node(void *ctx, const xmlNode *node, unsigned *line, unsigned *col)
{
	located *l = ctx;
	diag_src_locate(l->r->src, off_of(l->r, node), line, col);
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		void *p = realloc(l->at, cap * sizeof *l->at);
		if (!p)
			return; /* only the explanation is lost */
		l->at = p;
		l->cap = cap;
	}
	l->at[l->n].line = *line;
	l->at[l->n].col = *col;
	l->at[l->n++].node = node;
}

static const xmlNode *located_node(const located *l, unsigned line, unsigned col)
{
	for (size_t i = l->n; i-- > 0;)
		if (l->at[i].line == line && l->at[i].col == col)
			return l->at[i].node;
	return NULL;
}

/* Byte offset of a 1-based line and column (in code points) of r->src. */
static size_t offset_of(reader *r, unsigned line, unsigned col)
{
	size_t off = line ? line_start(r->src->text, r->src->len, line) : 0;
	for (unsigned c = 1; c < col && off < r->src->len && r->src->text[off] != '\n'; c++) {
		off++;
		while (off < r->src->len && ((unsigned char)r->src->text[off] & 0xc0) == 0x80)
			off++;
	}
	return off;
}

/* Validates against the built-in source schema (author/validate/schemaset.h), then reports each finding
 * again at its byte offset so it is printed with the source line and a caret, pointing at the
 * attribute when the message names one, in the project's words where explain.c has a rule. */
static int validate_source(reader *r, xmlDoc *doc, int is_course)
{
	diag_sink *tmp = NULL;
	if (diag_sink_new(&tmp) != 0) {
		r->oom = 1;
		return PC_ENOMEM;
	}
	located where = {r, NULL, 0, 0};
	char last[600] = "";
	size_t last_off = 0;
	int rc = schemaset_validate_source(is_course ? SCHEMASET_COURSE : SCHEMASET_MODULE, doc,
					   r->src->file, tmp, locate_node, &where);
	for (size_t i = 0; i < diag_count(tmp); i++) {
		const diag *d = diag_get(tmp, i);
		size_t off = offset_of(r, d->line, d->col);
		const char *a = strstr(d->message, "attribute '");
		if (a) {
			char attr[64];
			size_t k = 0;
			for (a += 11; *a && *a != '\'' && k + 1 < sizeof attr; a++)
				attr[k++] = *a;
			attr[k] = '\0';
			off = attr_offset(r->src->text, r->src->len, off, attr);
		}
		char msg[600];
		tidy_message(d->message, msg, sizeof msg);
		buf plain = BUF_INIT;
		if (explain_schema(located_node(&where, d->line, d->col), msg, &plain) &&
		    !buf_error(&plain))
			snprintf(msg, sizeof msg, "%s", buf_cstr(&plain));
		buf_free(&plain);
		/* one cause, one finding: two facets refusing the same empty value read the same */
		if (i > 0 && off == last_off && strcmp(msg, last) == 0)
			continue;
		last_off = off;
		snprintf(last, sizeof last, "%s", msg);
		if (d->level == DIAG_ERROR)
			err_at(r, off, "schema", "%s", msg);
		else
			warn_at(r, off, "schema", "%s", msg);
	}
	free(where.at);
	diag_sink_free(tmp);
	return rc;
}

/* Parses r->src and validates it against the module or course schema. Returns the document
 * (NULL when not well-formed: errors reported). *valid tells whether the schema accepted it. */
xmlDoc *parse_and_validate(reader *r, int is_course, int *valid)
{
	*valid = 0;
	xmlSetStructuredErrorFunc(r, on_parse_error);
	/* NONET: never fetch anything; no NOENT/DTDLOAD: entities are not expanded, no DTD read */
	xmlDoc *doc = xmlReadMemory(r->src->text, (int)r->src->len, r->src->file, NULL,
				    XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!doc) {
		if (!r->errors)
			err_at(r, 0, "xml", "not a well-formed XML document");
		return NULL;
	}
	if (doc->intSubset) {
		/* a DOCTYPE can declare entities; sources have no use for one */
		const char *dt = strstr(r->src->text, "<!DOCTYPE");
		err_at(r, dt ? (size_t)(dt - r->src->text) : 0, "xml",
		       "a DOCTYPE declaration is not allowed in postcard sources");
		return doc;
	}
	int before = r->errors;
	int rc = validate_source(r, doc, is_course);
	*valid = rc == 0 && r->errors == before;
	return doc;
}

/* Fill-in answers match ignoring case and extra spaces: compare them the same way. */
int same_answer(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}
