/* Reading postcard sources: module.xml and course.xml are parsed with libxml2 (no network, no
 * entities, no DTD), validated against the embedded source schemas, then checked for everything
 * a schema cannot say (exactly one correct option, ids unique, files present, ...). Every finding
 * goes to the sink as `path:line:col` with the source line quoted; all of a run's errors are
 * reported, not just the first. Card bodies are handed to render.c. */
/* realpath() is XSI */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common.h"
#include "embed.h"
#include "model.h"
#include "schemaset.h"
#include "utf8.h"

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

static int is_dir(const char *path)
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
static size_t attr_offset(const char *text, size_t len, size_t elem, const char *attr)
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

typedef struct reader {
	diag_sink *sink;
	diag_src *src;
	int errors; /* errors this reader reported */
	int oom;
} reader;

static void err_at(reader *r, size_t off, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void warn_at(reader *r, size_t off, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

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

static void err_at(reader *r, size_t off, const char *check, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(r, DIAG_ERROR, off, check, fmt, ap);
	va_end(ap);
}

static void warn_at(reader *r, size_t off, const char *check, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(r, DIAG_WARNING, off, check, fmt, ap);
	va_end(ap);
}

static size_t off_of(reader *r, const xmlNode *n)
{
	return node_offset(r->src->text, r->src->len, n);
}

static size_t attr_off(reader *r, const xmlNode *n, const char *attr)
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

static char *text_of(reader *r, const xmlNode *n)
{
	xmlChar *t = xmlNodeGetContent(n);
	char *s = norm_dup(r, t ? (const char *)t : "");
	xmlFree(t);
	return s;
}

static char *attr_of(reader *r, const xmlNode *n, const char *name)
{
	xmlChar *t = xmlGetNoNsProp(n, (const xmlChar *)name);
	if (!t)
		return NULL;
	char *s = norm_dup(r, (const char *)t);
	xmlFree(t);
	return s;
}

static int attr_bool(const xmlNode *n, const char *name)
{
	xmlChar *t = xmlGetNoNsProp(n, (const xmlChar *)name);
	int v = t && (strcmp((const char *)t, "true") == 0 || strcmp((const char *)t, "1") == 0);
	xmlFree(t);
	return v;
}

static unsigned attr_uint(const xmlNode *n, const char *name, unsigned dflt)
{
	xmlChar *t = xmlGetNoNsProp(n, (const xmlChar *)name);
	if (!t)
		return dflt;
	unsigned long v = strtoul((const char *)t, NULL, 10);
	xmlFree(t);
	return (unsigned)v;
}

static int is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

#define EACH_CHILD(c, parent)                                                                     \
	for (xmlNode *c = xmlFirstElementChild((xmlNode *)(parent)); c; c = xmlNextElementSibling(c))

/* Grows an array by one zeroed element; returns the new element or NULL (oom set). */
static void *push(reader *r, void **arr, size_t *n, size_t size)
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
	if (e->level == XML_ERR_WARNING)
		warn_at(r, off, "xml", "%s", msg);
	else
		err_at(r, off, "xml", "%s", msg);
}

/* schemaset's locate callback: line and column (code points) of a node's start tag. */
static void locate_node(void *ctx, const xmlNode *node, unsigned *line, unsigned *col)
{
	reader *r = ctx;
	diag_src_locate(r->src, off_of(r, node), line, col);
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
 * attribute when the message names one. */
static int validate_source(reader *r, xmlDoc *doc, int is_course)
{
	diag_sink *tmp = NULL;
	if (diag_sink_new(&tmp) != 0) {
		r->oom = 1;
		return PC_ENOMEM;
	}
	int rc = schemaset_validate_source(is_course ? SCHEMASET_COURSE : SCHEMASET_MODULE, doc,
					   r->src->file, tmp, locate_node, r);
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
		if (d->level == DIAG_ERROR)
			err_at(r, off, "schema", "%s", msg);
		else
			warn_at(r, off, "schema", "%s", msg);
	}
	diag_sink_free(tmp);
	return rc;
}

/* Parses r->src and validates it against the module or course schema. Returns the document
 * (NULL when not well-formed: errors reported). *valid tells whether the schema accepted it. */
static xmlDoc *parse_and_validate(reader *r, int is_course, int *valid)
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

/* ---------- small checks ---------- */

/* Compares two decimals as the schema allows them (-?digits(.digits)?): <0, 0, >0. Written by
 * hand so the result never depends on the locale's decimal separator. */
static int dec_cmp(const char *a, const char *b)
{
	int na = *a == '-', nb = *b == '-';
	a += na;
	b += nb;
	/* -0 equals 0: treat an all-zero number as positive */
	int za = strspn(a, "0.") == strlen(a), zb = strspn(b, "0.") == strlen(b);
	if (za)
		na = 0;
	if (zb)
		nb = 0;
	if (na != nb)
		return na ? -1 : 1;
	while (*a == '0' && a[1] && a[1] != '.')
		a++;
	while (*b == '0' && b[1] && b[1] != '.')
		b++;
	size_t ia = strcspn(a, "."), ib = strcspn(b, ".");
	int c = 0;
	if (ia != ib)
		c = ia < ib ? -1 : 1;
	else {
		c = strncmp(a, b, ia);
		const char *fa = a[ia] ? a + ia + 1 : "", *fb = b[ib] ? b + ib + 1 : "";
		while (!c && (*fa || *fb)) {
			char da = *fa ? *fa++ : '0', db = *fb ? *fb++ : '0';
			c = (da > db) - (da < db);
		}
		c = (c > 0) - (c < 0);
	}
	return na ? -c : c;
}

/* Fill-in answers match ignoring case and extra spaces: compare them the same way. */
static int same_answer(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

/* Ids share one name space per module: cards, quiz, questions and reflection. */
typedef struct idseen {
	const char *id;
	size_t off;
} idseen;

static void check_id(reader *r, idseen *seen, size_t *n, size_t cap, const char *id, size_t off)
{
	if (!id)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp(seen[i].id, id) == 0) {
			unsigned line, col;
			diag_src_locate(r->src, seen[i].off, &line, &col);
			err_at(r, off, "duplicate-id", "id '%s' is already used on line %u; ids must be unique in a module",
			       id, line);
			return;
		}
	if (*n < cap)
		seen[(*n)++] = (idseen){id, off};
}

/* ---------- module.xml ---------- */

const char *q_type_name(q_type t)
{
	static const char *const names[] = {"choice",  "multiple", "true-false", "fill-in",
					    "numeric", "matching", "ordering",   "likert"};
	return names[t];
}

static int q_type_of(const xmlNode *n, q_type *t)
{
	for (int i = Q_CHOICE; i <= Q_LIKERT; i++)
		if (is(n, q_type_name((q_type)i))) {
			*t = (q_type)i;
			return 1;
		}
	return 0;
}

static void read_feedback(reader *r, question *q, const xmlNode *n)
{
	q->fb_correct = attr_of(r, n, "correct");
	q->fb_incorrect = attr_of(r, n, "incorrect");
}

static void check_distinct(reader *r, char **texts, size_t n, const size_t *offs, size_t dflt_off,
			   const char *what)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (texts[i] && texts[j] && same_answer(texts[i], texts[j])) {
				err_at(r, offs ? offs[i] : dflt_off, "duplicate-text",
				       "two %s read '%s': the learner could not tell them apart", what,
				       texts[i]);
				j = i;
			}
}

static void read_question(reader *r, module *m, question *q, const xmlNode *n)
{
	q->off = off_of(r, n);
	q->id = attr_of(r, n, "id");
	q->maxlength = attr_uint(n, "maxlength", 60);
	q->answer = attr_bool(n, "answer");
	size_t ncorrect = 0;
	size_t *offs = NULL, noffs = 0;
	EACH_CHILD(c, n) {
		if (is(c, "prompt")) {
			q->prompt = text_of(r, c);
		} else if (is(c, "feedback")) {
			read_feedback(r, q, c);
		} else if (is(c, "option")) {
			q_option *o = push(r, (void **)&q->options, &q->noptions, sizeof *o);
			if (!o)
				return;
			o->text = text_of(r, c);
			o->feedback = attr_of(r, c, "feedback");
			o->correct = attr_bool(c, "correct");
			o->off = off_of(r, c);
			ncorrect += o->correct;
		} else if (is(c, "answer") && q->type == Q_FILL_IN) {
			size_t k = q->nanswers;
			char **a = push(r, (void **)&q->answers, &q->nanswers, sizeof *a);
			size_t *ao = a ? push(r, (void **)&q->answer_offs, &k, sizeof *ao) : NULL;
			if (!a || !ao)
				return;
			*a = text_of(r, c);
			*ao = off_of(r, c);
		} else if (is(c, "answer") && q->type == Q_NUMERIC) {
			char *v = attr_of(r, c, "value");
			q->min = attr_of(r, c, "min");
			q->max = attr_of(r, c, "max");
			size_t off = off_of(r, c);
			if (v && (q->min || q->max)) {
				err_at(r, off, "numeric-answer",
				       "give either value=\"…\" for an exact answer, or min/max for a range, not both");
			} else if (v) {
				q->min = v;
				q->max = strdup(v);
				v = NULL;
				if (!q->max)
					r->oom = 1;
			} else if (!q->min && !q->max) {
				err_at(r, off, "numeric-answer",
				       "a numeric answer needs value=\"…\", or min=\"…\" and/or max=\"…\"");
			} else if (q->min && q->max && dec_cmp(q->min, q->max) > 0) {
				err_at(r, attr_off(r, c, "min"), "numeric-range",
				       "min (%s) is greater than max (%s): no answer could be right",
				       q->min, q->max);
			}
			free(v);
		} else if (is(c, "pair")) {
			size_t k = q->npairs, k2 = q->npairs;
			char **s = push(r, (void **)&q->sources, &k, sizeof *s);
			char **t = s ? push(r, (void **)&q->targets, &k2, sizeof *t) : NULL;
			size_t *po = t ? push(r, (void **)&offs, &noffs, sizeof *po) : NULL;
			if (!po)
				return;
			q->npairs++;
			*po = off_of(r, c);
			EACH_CHILD(pc, c) {
				if (is(pc, "source") && !*s)
					*s = text_of(r, pc);
				else if (is(pc, "target") && !*t)
					*t = text_of(r, pc);
			}
		} else if (is(c, "step")) {
			char **s = push(r, (void **)&q->steps, &q->nsteps, sizeof *s);
			size_t *po = s ? push(r, (void **)&offs, &noffs, sizeof *po) : NULL;
			if (!po)
				return;
			*s = text_of(r, c);
			*po = off_of(r, c);
		}
	}
	const char *tn = q_type_name(q->type);
	switch (q->type) {
	case Q_CHOICE:
		if (ncorrect == 0)
			err_at(r, q->off, "correct-option",
			       "choice question '%s' has no correct option: mark one with correct=\"true\"",
			       q->id);
		else if (ncorrect > 1)
			err_at(r, q->off, "correct-option",
			       "choice question '%s' has %zu correct options; a <choice> has exactly one (use <multiple> for several)",
			       q->id, ncorrect);
		break;
	case Q_MULTIPLE:
		if (ncorrect == 0)
			err_at(r, q->off, "correct-option",
			       "multiple question '%s' has no correct option: mark at least one with correct=\"true\"",
			       q->id);
		break;
	case Q_FILL_IN:
		for (size_t i = 0; i < q->nanswers; i++) {
			size_t len = q->answers[i] ? utf8_count(q->answers[i], strlen(q->answers[i])) : 0;
			if (len > q->maxlength)
				err_at(r, q->answer_offs[i], "answer-length",
				       "accepted answer is %zu characters long but maxlength is %u: the learner could never type it",
				       len, q->maxlength);
		}
		check_distinct(r, q->answers, q->nanswers, q->answer_offs, q->off, "accepted answers");
		break;
	default:
		break;
	}
	if (q->noptions) {
		char **texts = calloc(q->noptions, sizeof *texts);
		size_t *oo = calloc(q->noptions, sizeof *oo);
		if (!texts || !oo)
			r->oom = 1;
		else {
			for (size_t i = 0; i < q->noptions; i++) {
				texts[i] = q->options[i].text;
				oo[i] = q->options[i].off;
			}
			check_distinct(r, texts, q->noptions, oo, q->off, "options");
		}
		free(texts);
		free(oo);
	}
	if (q->npairs) {
		check_distinct(r, q->sources, q->npairs, offs, q->off, "sources");
		check_distinct(r, q->targets, q->npairs, offs, q->off, "targets");
	}
	if (q->nsteps)
		check_distinct(r, q->steps, q->nsteps, offs, q->off, "steps");
	(void)tn;
	(void)m;
	free(offs);
}

/* Words that say nothing about where a link goes (WCAG 2.4.4). Compared ignoring case. */
static const char *const vague_links[] = {
	"click here", "here", "click", "link", "this link", "read more", "more", "this", "go",
	"more info", "more information", "see here", "this page",
};

int link_text_vague(const char *text)
{
	for (size_t i = 0; i < PC_ARRAY_LEN(vague_links); i++)
		if (same_answer(text, vague_links[i]))
			return 1;
	return 0;
}

static void read_cards(reader *r, module *m)
{
	for (size_t i = 0; i < m->ncards; i++) {
		card *c = &m->cards[i];
		char *path = path_join(m->dir, c->src);
		char *text = NULL;
		size_t len = 0;
		if (!path) {
			r->oom = 1;
			return;
		}
		int rc = file_read_all(path, SRC_MAX_CARD, &text, &len);
		size_t soff = attr_offset(r->src->text, r->src->len, c->off, "src");
		if (rc == PC_ENOMEM) {
			r->oom = 1;
		} else if (rc == PC_ELIMIT) {
			err_at(r, soff, "card-file", "card file '%s' is larger than %zu KiB", c->src,
			       SRC_MAX_CARD >> 10);
		} else if (rc != 0) {
			err_at(r, soff, "card-file", "card file '%s' not found (looked for %s)", c->src,
			       path);
		} else if (!utf8_valid(text, len)) {
			err_at(r, soff, "card-file", "card file '%s' is not UTF-8 text", c->src);
		} else {
			diag_src cs;
			diag_src_init(&cs, path, text, len);
			rc = render_card(m, c, &cs, r->sink);
			if (rc == PC_ENOMEM)
				r->oom = 1;
			else if (rc != 0)
				r->errors++;
			diag_src_free(&cs);
		}
		free(text);
		free(path);
	}
}

static void read_module_tree(reader *r, module *m, xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	idseen seen[200];
	size_t nseen = 0;
	m->id = attr_of(r, root, "id");
	m->version = attr_of(r, root, "version");
	m->lang = attr_of(r, root, "lang");
	m->id_off = attr_off(r, root, "id");
	m->lang_off = attr_off(r, root, "lang");
	m->major = m->version ? (unsigned)strtoul(m->version, NULL, 10) : 0;
	EACH_CHILD(c, root) {
		q_type qt;
		if (is(c, "title")) {
			m->title = text_of(r, c);
		} else if (is(c, "phase")) {
			m->phase = text_of(r, c);
		} else if (is(c, "summary")) {
			m->summary = text_of(r, c);
		} else if (is(c, "duration")) {
			m->duration = text_of(r, c);
		} else if (is(c, "keywords")) {
			EACH_CHILD(k, c) {
				char **kw = push(r, (void **)&m->keywords, &m->nkeywords, sizeof *kw);
				if (kw)
					*kw = text_of(r, k);
			}
		} else if (is(c, "card")) {
			card *cd = push(r, (void **)&m->cards, &m->ncards, sizeof *cd);
			if (!cd)
				return;
			cd->id = attr_of(r, c, "id");
			cd->src = attr_of(r, c, "src");
			cd->off = off_of(r, c);
			check_id(r, seen, &nseen, PC_ARRAY_LEN(seen), cd->id, attr_off(r, c, "id"));
			for (size_t i = 0; i + 1 < m->ncards; i++)
				if (cd->src && m->cards[i].src && strcmp(m->cards[i].src, cd->src) == 0)
					warn_at(r, attr_off(r, c, "src"), "card-file",
						"card file '%s' is already used by card '%s'", cd->src,
						m->cards[i].id);
		} else if (is(c, "quiz")) {
			m->has_quiz = 1;
			m->quiz_id = attr_of(r, c, "id");
			m->pass = attr_uint(c, "pass", 0);
			check_id(r, seen, &nseen, PC_ARRAY_LEN(seen), m->quiz_id, attr_off(r, c, "id"));
			size_t scored = 0;
			EACH_CHILD(qn, c) {
				if (!q_type_of(qn, &qt))
					continue;
				question *q = push(r, (void **)&m->questions, &m->nquestions, sizeof *q);
				if (!q)
					return;
				q->type = qt;
				read_question(r, m, q, qn);
				scored += qt != Q_LIKERT;
				check_id(r, seen, &nseen, PC_ARRAY_LEN(seen), q->id, attr_off(r, qn, "id"));
			}
			if (!scored && m->pass > 0)
				err_at(r, attr_off(r, c, "pass"), "pass-mark",
				       "quiz '%s' has a pass mark of %u%% but no scored question (likert questions are not scored)",
				       m->quiz_id, m->pass);
		} else if (is(c, "reflection")) {
			m->has_reflection = 1;
			m->refl_id = attr_of(r, c, "id");
			m->refl_max = attr_uint(c, "maxlength", 2000);
			check_id(r, seen, &nseen, PC_ARRAY_LEN(seen), m->refl_id, attr_off(r, c, "id"));
			EACH_CHILD(p, c) {
				if (is(p, "prompt"))
					m->refl_prompt = text_of(r, p);
			}
		} else if (is(c, "reading")) {
			EACH_CHILD(l, c) {
				reading_link *lk = push(r, (void **)&m->reading, &m->nreading, sizeof *lk);
				if (!lk)
					return;
				lk->href = attr_of(r, l, "href");
				lk->text = text_of(r, l);
				if (lk->text && link_text_vague(lk->text))
					warn_at(r, off_of(r, l), "link-text",
						"link text '%s' does not say where the link goes; name the page instead",
						lk->text);
			}
		}
	}
}

void module_free(module *m)
{
	if (!m)
		return;
	free(m->dir);
	free(m->xml_path);
	free(m->xml_text);
	diag_src_free(&m->src);
	free(m->id);
	free(m->version);
	free(m->lang);
	free(m->title);
	free(m->phase);
	free(m->summary);
	free(m->duration);
	for (size_t i = 0; i < m->nkeywords; i++)
		free(m->keywords[i]);
	free(m->keywords);
	for (size_t i = 0; i < m->ncards; i++) {
		free(m->cards[i].id);
		free(m->cards[i].src);
		free(m->cards[i].title);
		free(m->cards[i].html);
	}
	free(m->cards);
	free(m->quiz_id);
	for (size_t i = 0; i < m->nquestions; i++) {
		question *q = &m->questions[i];
		free(q->id);
		free(q->prompt);
		free(q->fb_correct);
		free(q->fb_incorrect);
		for (size_t j = 0; j < q->noptions; j++) {
			free(q->options[j].text);
			free(q->options[j].feedback);
		}
		free(q->options);
		for (size_t j = 0; j < q->nanswers; j++)
			free(q->answers[j]);
		free(q->answers);
		free(q->answer_offs);
		free(q->min);
		free(q->max);
		for (size_t j = 0; j < q->npairs; j++) {
			free(q->sources[j]);
			free(q->targets[j]);
		}
		free(q->sources);
		free(q->targets);
		for (size_t j = 0; j < q->nsteps; j++)
			free(q->steps[j]);
		free(q->steps);
		free(q->shown);
	}
	free(m->questions);
	free(m->refl_id);
	free(m->refl_prompt);
	for (size_t i = 0; i < m->nreading; i++) {
		free(m->reading[i].href);
		free(m->reading[i].text);
	}
	free(m->reading);
	for (size_t i = 0; i < m->nmedia; i++) {
		free(m->media[i].path);
		free(m->media[i].data);
	}
	free(m->media);
	free(m);
}

int module_add_media(module *m, const char *rel, diag_src *src, size_t off, diag_sink *sink)
{
	for (size_t i = 0; i < m->nmedia; i++)
		if (strcmp(m->media[i].path, rel) == 0)
			return 0;
	if (m->nmedia >= SRC_MAX_MEDIA_FILES) {
		diag_at(sink, DIAG_ERROR, src, off, "media",
			"a module may use at most %d files besides its cards", SRC_MAX_MEDIA_FILES);
		return PC_EINVALID;
	}
	size_t total = 0;
	for (size_t i = 0; i < m->nmedia; i++)
		total += m->media[i].len;
	char *path = path_join(m->dir, rel), *data = NULL;
	size_t len = 0;
	if (!path)
		return PC_ENOMEM;
	int rc = file_read_all(path, SRC_MAX_MEDIA, &data, &len);
	if (rc == PC_ELIMIT || (rc == 0 && total + len > SRC_MAX_MEDIA_TOTAL)) {
		diag_at(sink, DIAG_ERROR, src, off, "media", "'%s' is too large (a file may be %zu MiB, all files together %zu MiB)",
			rel, SRC_MAX_MEDIA >> 20, SRC_MAX_MEDIA_TOTAL >> 20);
		rc = PC_EINVALID;
	} else if (rc == PC_EIO) {
		diag_at(sink, DIAG_ERROR, src, off, "media", "'%s' not found in the module folder (looked for %s)",
			rel, path);
		rc = PC_EINVALID;
	}
	free(path);
	if (rc != 0) {
		free(data);
		return rc;
	}
	media *nm = realloc(m->media, (m->nmedia + 1) * sizeof *nm);
	char *p = strdup(rel);
	if (!nm || !p) {
		if (nm)
			m->media = nm;
		free(p);
		free(data);
		return PC_ENOMEM;
	}
	m->media = nm;
	m->media[m->nmedia++] = (media){p, (unsigned char *)data, len};
	return 0;
}


/* Parses and checks module.xml text (owned by m from here) for the module folder m->dir. */
static int module_parse(module *m, diag_sink *sink)
{
	int valid = 0;
	diag_src_init(&m->src, m->xml_path, m->xml_text, m->xml_len);
	reader r = {sink, &m->src, 0, 0};
	xmlDoc *doc = parse_and_validate(&r, 0, &valid);
	if (valid) {
		read_module_tree(&r, m, doc);
		if (!r.oom)
			read_cards(&r, m);
	}
	xmlFreeDoc(doc);
	if (r.oom)
		return PC_ENOMEM;
	if (r.errors)
		return PC_EINVALID;
	int rc = module_shuffle(m);
	if (rc == 0)
		budget_compute(m);
	return rc;
}

static int module_new(module **out, const char *dir)
{
	module *m = calloc(1, sizeof *m);
	*out = m;
	if (!m)
		return PC_ENOMEM;
	m->dir = strdup(dir);
	m->xml_path = path_join(dir, "module.xml");
	return m->dir && m->xml_path ? 0 : PC_ENOMEM;
}

int module_read(module **out, const char *dir, diag_sink *sink)
{
	*out = NULL;
	module *m = NULL;
	int rc = module_new(&m, dir);
	if (rc)
		goto cleanup;
	rc = file_read_all(m->xml_path, SRC_MAX_XML, &m->xml_text, &m->xml_len);
	if (rc != 0) {
		if (rc == PC_ENOMEM)
			goto cleanup;
		diag_line(sink, DIAG_ERROR, m->xml_path, 0, 0, "module-file", "%s",
			  rc == PC_ELIMIT ? "module.xml is larger than 1 MiB"
					  : "cannot read module.xml: a module folder holds a module.xml file");
		rc = PC_EINVALID;
		goto cleanup;
	}
	if ((rc = module_parse(m, sink)) != 0)
		goto cleanup;
	*out = m;
	m = NULL; /* now owned by the caller */
cleanup:
	module_free(m);
	return rc;
}

int module_read_memory(module **out, const char *dir, const char *text, size_t len,
		       diag_sink *sink)
{
	*out = NULL;
	module *m = NULL;
	int rc = module_new(&m, dir);
	if (rc)
		goto cleanup;
	if (len > SRC_MAX_XML) {
		diag_line(sink, DIAG_ERROR, m->xml_path, 0, 0, "module-file", "module.xml is larger than 1 MiB");
		rc = PC_EINVALID;
		goto cleanup;
	}
	m->xml_text = malloc(len + 1);
	if (!m->xml_text) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	memcpy(m->xml_text, text, len);
	m->xml_text[len] = '\0';
	m->xml_len = len;
	if ((rc = module_parse(m, sink)) != 0)
		goto cleanup;
	*out = m;
	m = NULL; /* now owned by the caller */
cleanup:
	module_free(m);
	return rc;
}

/* ---------- modules read once per build ---------- */

struct source_set {
	struct {
		char *key; /* realpath of the module folder */
		module *mod;
		int rc;
	} *items;
	size_t n;
};

int source_set_new(source_set **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? 0 : PC_ENOMEM;
}

void source_set_free(source_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++) {
		free(set->items[i].key);
		module_free(set->items[i].mod);
	}
	free(set->items);
	free(set);
}

int source_set_module(source_set *set, const char *dir, diag_sink *sink, module **out)
{
	*out = NULL;
	char *key = realpath(dir, NULL);
	if (!key)
		key = strdup(dir);
	if (!key)
		return PC_ENOMEM;
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->items[i].key, key) == 0) {
			free(key);
			*out = set->items[i].mod;
			return set->items[i].rc;
		}
	void *p = realloc(set->items, (set->n + 1) * sizeof *set->items);
	if (!p) {
		free(key);
		return PC_ENOMEM;
	}
	set->items = p;
	module *m = NULL;
	int rc = module_read(&m, dir, sink);
	set->items[set->n].key = key;
	set->items[set->n].mod = m;
	set->items[set->n].rc = rc;
	set->n++;
	*out = m;
	return rc;
}

/* ---------- course.xml ---------- */

void course_free(course *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->text);
	diag_src_free(&c->src);
	free(c->id);
	free(c->version);
	free(c->lang);
	free(c->title);
	free(c->summary);
	for (size_t i = 0; i < c->nentries; i++) {
		free(c->entries[i].group_id);
		free(c->entries[i].group_title);
	}
	free(c->entries);
	free(c);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static void course_add(reader *r, course *c, source_set *set, const char *cdir, const xmlNode *n,
		       const char *gid, const char *gtitle)
{
	char *src = attr_of(r, n, "src");
	size_t off = attr_off(r, n, "src");
	char *dir = src ? path_join(cdir, src) : NULL;
	char *xml = dir ? path_join(dir, "module.xml") : NULL;
	struct stat st;
	if (!xml) {
		r->oom = 1;
		goto cleanup;
	}
	if (stat(xml, &st) != 0) {
		err_at(r, off, "course-module", "no module '%s': %s does not exist", src,
		       is_dir(dir) ? xml : dir);
		goto cleanup;
	}
	module *m = NULL;
	int rc = source_set_module(set, dir, r->sink, &m);
	if (rc == PC_ENOMEM) {
		r->oom = 1;
		goto cleanup;
	}
	if (rc != 0) {
		err_at(r, off, "course-module", "module '%s' has errors (reported above)", src);
		goto cleanup;
	}
	for (size_t i = 0; i < c->nentries; i++)
		if (c->entries[i].mod == m || strcmp(c->entries[i].mod->id, m->id) == 0) {
			err_at(r, off, "course-module",
			       "module '%s' is already in this course; a module can appear once", m->id);
			goto cleanup;
		}
	if (c->lang && strcmp(c->lang, m->lang) != 0)
		err_at(r, off, "course-lang",
		       "module '%s' is in lang '%s' but the course is '%s'", m->id, m->lang, c->lang);
	course_entry *e = push(r, (void **)&c->entries, &c->nentries, sizeof *e);
	if (!e)
		goto cleanup;
	e->mod = m;
	e->group_id = gid ? strdup(gid) : NULL;
	e->group_title = gtitle ? strdup(gtitle) : NULL;
	if ((gid && !e->group_id) || (gtitle && !e->group_title))
		r->oom = 1;
cleanup:
	free(src);
	free(dir);
	free(xml);
}

int course_read(course **out, const char *path, source_set *set, diag_sink *sink)
{
	*out = NULL;
	int rc = 0, valid = 0;
	xmlDoc *doc = NULL;
	char *cdir = NULL;
	course *c = calloc(1, sizeof *c);
	if (!c)
		return PC_ENOMEM;
	c->path = strdup(path);
	cdir = dir_of(path);
	if (!c->path || !cdir) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	rc = file_read_all(path, SRC_MAX_XML, &c->text, &c->len);
	if (rc != 0) {
		if (rc == PC_ENOMEM)
			goto cleanup;
		diag_line(sink, DIAG_ERROR, path, 0, 0, "course-file", "%s",
			  rc == PC_ELIMIT ? "the course file is larger than 1 MiB"
					  : "cannot read the course file");
		rc = PC_EINVALID;
		goto cleanup;
	}
	diag_src_init(&c->src, path, c->text, c->len);
	reader r = {sink, &c->src, 0, 0};
	doc = parse_and_validate(&r, 1, &valid);
	if (valid) {
		xmlNode *root = xmlDocGetRootElement(doc);
		c->id = attr_of(&r, root, "id");
		c->version = attr_of(&r, root, "version");
		c->lang = attr_of(&r, root, "lang");
		c->major = c->version ? (unsigned)strtoul(c->version, NULL, 10) : 0;
		char *gids[100];
		size_t ngids = 0;
		EACH_CHILD(n, root) {
			if (is(n, "title")) {
				c->title = text_of(&r, n);
			} else if (is(n, "summary")) {
				c->summary = text_of(&r, n);
			} else if (is(n, "module")) {
				course_add(&r, c, set, cdir, n, NULL, NULL);
			} else if (is(n, "group")) {
				char *gid = attr_of(&r, n, "id"), *gtitle = NULL;
				for (size_t i = 0; gid && i < ngids; i++)
					if (strcmp(gids[i], gid) == 0)
						err_at(&r, attr_off(&r, n, "id"), "duplicate-id",
						       "group id '%s' is already used; ids must be unique in a course",
						       gid);
				EACH_CHILD(g, n) {
					if (is(g, "title") && !gtitle)
						gtitle = text_of(&r, g);
					else if (is(g, "module"))
						course_add(&r, c, set, cdir, g, gid, gtitle);
				}
				if (gid && ngids < PC_ARRAY_LEN(gids))
					gids[ngids++] = gid;
				else
					free(gid);
				free(gtitle);
			}
			if (r.oom)
				break;
		}
		for (size_t i = 0; i < ngids; i++)
			free(gids[i]);
	}
	if (r.oom) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	if (r.errors) {
		rc = PC_EINVALID;
		goto cleanup;
	}
	*out = c;
	c = NULL; /* now owned by the caller */
cleanup:
	xmlFreeDoc(doc);
	free(cdir);
	course_free(c);
	return rc;
}
