/* The manifest reader (see manifest.h). libxml2 builds the tree; a small scanner over the same
 * text finds where each start tag and attribute begins, and the offsets are attached to the
 * nodes (_private) in document order. The scanner only runs on text libxml2 accepted, so it
 * never has to cope with malformed markup; if its count disagrees with the tree anyway (an
 * encoding libxml2 converted, say), findings fall back to libxml2's line numbers. Places are
 * only needed to print findings, so the scan and the line index are made on the first request
 * (a valid 2 MB manifest never pays for them), once, under a lock: the schema validation asks
 * from its own thread. */
#include "manifest.h"

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/entities.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "common.h"

struct manifest {
	char *file;
	char *text;
	size_t len;
	diag_src src;
	xmlDoc *doc;
	int has_entities;
	int scannable; /* the text is what libxml2 parsed (not UTF-16 it converted) */
	int placed;    /* the offsets and line index were made (under `lock`) */
	pthread_mutex_t lock;
	char **strs;   /* strings built by mf_attr/mf_text, freed with the manifest */
	size_t nstrs, capstrs;
};

/* ---- scanning start tags ---- */

typedef struct scan {
	size_t *elem;      /* offset of '<' of each start tag */
	size_t *attr0;     /* index into attr[] of each element's first attribute */
	size_t *attr;      /* offset of each non-xmlns attribute name */
	size_t ne, na, n0, cape, capa, cap0;
	int oom;
} scan;

static void scan_push(size_t **arr, size_t *n, size_t *cap, size_t v, int *oom)
{
	if (*oom)
		return;
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		size_t *p = realloc(*arr, c * sizeof *p);
		if (!p) {
			*oom = 1;
			return;
		}
		*arr = p;
		*cap = c;
	}
	(*arr)[(*n)++] = v;
}

static size_t skip_past(const char *t, size_t len, size_t i, const char *end)
{
	size_t el = strlen(end);
	while (i + el <= len) {
		if (memcmp(t + i, end, el) == 0)
			return i + el;
		i++;
	}
	return len;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Skips a DOCTYPE declaration, internal subset included. */
static size_t skip_doctype(const char *t, size_t len, size_t i)
{
	int depth = 0;
	while (i < len) {
		char c = t[i];
		if (c == '"' || c == '\'') {
			const char *q = memchr(t + i + 1, c, len - i - 1);
			i = q ? (size_t)(q - t) + 1 : len;
		} else if (c == '<' && i + 3 < len && memcmp(t + i, "<!--", 4) == 0) {
			i = skip_past(t, len, i + 4, "-->");
		} else if (c == '<' && i + 1 < len && t[i + 1] == '?') {
			i = skip_past(t, len, i + 2, "?>");
		} else if (c == '[') {
			depth++, i++;
		} else if (c == ']') {
			depth--, i++;
		} else if (c == '>' && depth <= 0) {
			return i + 1;
		} else {
			i++;
		}
	}
	return len;
}

static size_t scan_tag(scan *s, const char *t, size_t len, size_t i)
{
	scan_push(&s->elem, &s->ne, &s->cape, i, &s->oom);
	scan_push(&s->attr0, &s->n0, &s->cap0, s->na, &s->oom);
	i++;
	while (i < len && !is_space(t[i]) && t[i] != '>' && t[i] != '/')
		i++;
	for (;;) {
		while (i < len && is_space(t[i]))
			i++;
		if (i >= len || t[i] == '>' || t[i] == '/')
			break;
		size_t name = i;
		while (i < len && !is_space(t[i]) && t[i] != '=')
			i++;
		size_t nlen = i - name;
		if (!((nlen == 5 && memcmp(t + name, "xmlns", 5) == 0) ||
		      (nlen > 6 && memcmp(t + name, "xmlns:", 6) == 0)))
			scan_push(&s->attr, &s->na, &s->capa, name, &s->oom);
		while (i < len && t[i] != '"' && t[i] != '\'')
			i++;
		if (i >= len)
			break;
		const char *q = memchr(t + i + 1, t[i], len - i - 1);
		i = q ? (size_t)(q - t) + 1 : len;
	}
	return i;
}

static void scan_text(scan *s, const char *t, size_t len)
{
	size_t i = 0;
	while (i < len) {
		const char *lt = memchr(t + i, '<', len - i);
		if (!lt)
			break;
		i = (size_t)(lt - t);
		if (i + 3 < len && memcmp(t + i, "<!--", 4) == 0)
			i = skip_past(t, len, i + 4, "-->");
		else if (i + 1 < len && t[i + 1] == '?')
			i = skip_past(t, len, i + 2, "?>");
		else if (i + 8 < len && memcmp(t + i, "<![CDATA[", 9) == 0)
			i = skip_past(t, len, i + 9, "]]>");
		else if (i + 1 < len && t[i + 1] == '!')
			i = skip_doctype(t, len, i + 2);
		else if (i + 1 < len && t[i + 1] == '/')
			i = skip_past(t, len, i + 2, ">");
		else
			i = scan_tag(s, t, len, i);
	}
}

static void scan_free(scan *s)
{
	free(s->elem);
	free(s->attr0);
	free(s->attr);
}

static void *off_ptr(size_t off)
{
	return (void *)(uintptr_t)(off + 1);
}

/* Attaches scanned offsets to the tree, in document order. Returns 1 when the counts agree. */
static int attach(manifest *m, scan *s)
{
	xmlNode *n = xmlDocGetRootElement(m->doc);
	size_t k = 0;
	while (n) {
		if (n->type == XML_ELEMENT_NODE) {
			if (k >= s->ne)
				return 0;
			n->_private = off_ptr(s->elem[k]);
			size_t a = s->attr0[k], aend = k + 1 < s->ne ? s->attr0[k + 1] : s->na;
			size_t count = 0;
			for (xmlAttr *at = n->properties; at; at = at->next)
				count++;
			if (count == aend - a)
				for (xmlAttr *at = n->properties; at; at = at->next)
					at->_private = off_ptr(s->attr[a++]);
			k++;
		}
		/* pre-order over elements; entity references are not descended into */
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n && !n->next) {
			n = n->parent;
			if (n && n->type == XML_DOCUMENT_NODE)
				n = NULL;
		}
		if (n)
			n = n->next;
	}
	return k == s->ne;
}

/* libxml2 caps nesting at 256 levels without XML_PARSE_HUGE, so recursion is bounded. */
static void clear_offsets(xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		n->_private = NULL;
		for (xmlAttr *a = n->properties; a; a = a->next)
			a->_private = NULL;
		clear_offsets(n->children);
	}
}

/* Attaches the offsets and builds the line index, the first time any place is asked for.
 * Without memory for the scan, findings keep libxml2's line numbers. */
static void place(manifest *m)
{
	pthread_mutex_lock(&m->lock);
	if (!m->placed) {
		m->placed = 1;
		if (m->scannable) {
			scan s = {0};
			scan_text(&s, m->text, m->len);
			if (s.oom || !attach(m, &s)) /* no offset is better than a wrong one */
				clear_offsets(xmlDocGetRootElement(m->doc));
			scan_free(&s);
		}
		unsigned line, col;
		diag_src_locate(&m->src, 0, &line, &col); /* builds the line index */
	}
	pthread_mutex_unlock(&m->lock);
}

/* ---- parsing ---- */

struct perr {
	diag_sink *sink;
	const char *file;
	int count;
	const manifest *m;
	size_t decl_from; /* where the text after the last entity declaration starts */
};

/* libxml2 repeats some fatal errors many times (one per entity reference): the first few say
 * everything. */
#define MAX_PARSE_ERRORS 20

static void on_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr pc = ctx;
	struct perr *pe = pc->_private;
	if (!pe || !e || e->level < XML_ERR_ERROR)
		return;
	if (pe->count++ >= MAX_PARSE_ERRORS)
		return;
	char msg[512];
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "malformed XML");
	size_t l = strlen(msg);
	while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
		msg[--l] = '\0';
	diag_line(pe->sink, DIAG_ERROR, pe->file, e->line > 0 ? (unsigned)e->line : 0,
		  e->int2 > 0 ? (unsigned)e->int2 : 0, "xml", "not well-formed XML: %s", msg);
}

/* Refuses every external resource: the manifest must not make the parser open a file or a URL.
 * libxml2 does not load external entities without XML_PARSE_NOENT/DTDLOAD anyway; this is the
 * second lock on the door. */
static xmlParserInputPtr no_entity_loader(void *ctx, const xmlChar *public_id,
					  const xmlChar *system_id)
{
	return NULL;
}

/* The first "<!ENTITY" of text[from, to) outside comments, processing instructions and quoted
 * literals (an entity's value may hold the same characters), or `to`. */
static size_t next_entity_decl(const char *t, size_t from, size_t to)
{
	static const struct {
		const char *open, *close;
	} skips[] = {{"<!--", "-->"}, {"<?", "?>"}, {"\"", "\""}, {"'", "'"}};
	for (size_t i = from; i < to;) {
		if (to - i >= 8 && memcmp(t + i, "<!ENTITY", 8) == 0)
			return i;
		size_t k = 0, n = PC_ARRAY_LEN(skips);
		while (k < n && strncmp(t + i, skips[k].open, strlen(skips[k].open)) != 0)
			k++;
		if (k == n) {
			i++;
			continue;
		}
		const char *end = strstr(t + i + strlen(skips[k].open), skips[k].close);
		i = end ? (size_t)(end - t) + strlen(skips[k].close) : to;
	}
	return to;
}

/* Where each entity declaration of the document's own text starts: libxml2 keeps no position
 * for them, so this SAX step notes one on the entity it has just added (in its _private, as an
 * offset + 1, like the elements' offsets). The parser stands near the declaration's end (before
 * its '>'), past where the previous one ended: the declaration is the first in between. One
 * that comes out of a parameter entity's text has no place in the file and gets none. */
static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
			   const xmlChar *system_id, xmlChar *content)
{
	xmlParserCtxtPtr pc = ctx;
	xmlSAX2EntityDecl(ctx, name, type, public_id, system_id, content);
	struct perr *pe = pc->_private;
	const manifest *m = pe ? pe->m : NULL;
	long at = xmlByteConsumed(pc);
	if (!m || !m->scannable || pc->inputNr != 1 || !pc->myDoc || at < 0 ||
	    (size_t)at > m->len || (size_t)at < pe->decl_from)
		return;
	size_t from = next_entity_decl(m->text, pe->decl_from, (size_t)at);
	pe->decl_from = (size_t)at;
	int param = type == XML_INTERNAL_PARAMETER_ENTITY || type == XML_EXTERNAL_PARAMETER_ENTITY;
	xmlEntity *ent = param ? xmlGetParameterEntity(pc->myDoc, name) : xmlGetDocEntity(pc->myDoc, name);
	/* the first declaration of a name is the one kept; predefined entities are shared */
	if (from < (size_t)at && ent && ent->doc == pc->myDoc &&
	    ent->etype != XML_INTERNAL_PREDEFINED_ENTITY && !ent->_private)
		ent->_private = off_ptr(from);
}

static void check_entities(manifest *m, diag_sink *sink)
{
	xmlDtd *dtd = m->doc->intSubset;
	if (!dtd)
		return;
	for (xmlNode *n = dtd->children; n; n = n->next) {
		if (n->type != XML_ENTITY_DECL)
			continue;
		xmlEntity *ent = (xmlEntity *)n;
		m->has_entities = 1;
		if (ent->SystemID || ent->ExternalID)
			manifest_report(m, sink, DIAG_ERROR, n, "entity",
					"the manifest declares an external entity '%s' (%s): external "
					"entities are never loaded",
					(const char *)ent->name,
					ent->SystemID ? (const char *)ent->SystemID
						      : (const char *)ent->ExternalID);
		else
			manifest_report(m, sink, DIAG_ERROR, n, "entity",
					"the manifest declares an entity '%s': entity declarations are "
					"not allowed in a manifest (they are never expanded)",
					(const char *)ent->name);
	}
}

static int doc_has_entity_refs(const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type == XML_ENTITY_REF_NODE)
			return 1;
		if (n->type == XML_ELEMENT_NODE) {
			for (xmlAttr *a = n->properties; a; a = a->next)
				if (doc_has_entity_refs(a->children))
					return 1;
			if (doc_has_entity_refs(n->children))
				return 1;
		}
	}
	return 0;
}

int manifest_parse(manifest **out, const char *file, const char *text, size_t len,
		   diag_sink *sink)
{
	*out = NULL;
	int rc = 0;
	xmlParserCtxtPtr pc = NULL;
	manifest *m = calloc(1, sizeof *m);
	if (!m)
		return PC_ENOMEM;
	if (pthread_mutex_init(&m->lock, NULL) != 0) {
		free(m);
		return PC_ENOMEM;
	}
	m->file = strdup(file);
	m->text = malloc(len + 1);
	if (!m->file || !m->text || len > INT32_MAX) {
		rc = len > INT32_MAX ? PC_ELIMIT : PC_ENOMEM;
		goto cleanup;
	}
	memcpy(m->text, text, len);
	m->text[len] = '\0';
	m->len = len;
	diag_src_init(&m->src, m->file, m->text, m->len);

	pc = xmlNewParserCtxt();
	if (!pc) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	/* UTF-16 text was converted by libxml2: offsets into the raw bytes would be wrong */
	m->scannable = !(len >= 2 && (text[0] == '\0' || text[1] == '\0'));
	struct perr pe = {sink, m->file, 0, m, 0};
	pc->_private = &pe;
	pc->sax->serror = on_error;
	pc->sax->entityDecl = on_entity_decl;
	pc->sax->resolveEntity = no_entity_loader;
	pc->sax->warning = NULL;
	pc->sax->error = NULL;
	pc->sax->fatalError = NULL;
	/* NONET: no network. No NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE, HUGE. */
	/* COMPACT and NOBLANKS: fewer, smaller nodes (whitespace between elements means nothing in a
	 * manifest; whitespace-only element content is kept), which makes parsing, schema
	 * validation and freeing about a third cheaper on large manifests */
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
		   XML_PARSE_COMPACT | XML_PARSE_NOBLANKS;
	m->doc = xmlCtxtReadMemory(pc, m->text, (int)len, m->file, NULL, opts);
	if (!m->doc || !pc->wellFormed) {
		if (pe.count == 0)
			diag_line(sink, DIAG_ERROR, m->file, 0, 0, "xml", "not well-formed XML");
		rc = PC_EFORMAT;
		goto cleanup;
	}
	if (!xmlDocGetRootElement(m->doc)) {
		diag_line(sink, DIAG_ERROR, m->file, 0, 0, "xml", "the manifest has no root element");
		rc = PC_EFORMAT;
		goto cleanup;
	}
	check_entities(m, sink);
	/* without an internal subset no entity can be declared, and a reference to an undeclared
	 * one is not well-formed: only then can the tree hold entity references */
	if (m->doc->intSubset && doc_has_entity_refs(xmlDocGetRootElement(m->doc)))
		m->has_entities = 1;
	*out = m;
	m = NULL;
cleanup:
	if (pc) {
		pc->_private = NULL;
		xmlFreeParserCtxt(pc);
	}
	manifest_free(m);
	return rc;
}

void manifest_free(manifest *m)
{
	if (!m)
		return;
	if (m->doc)
		xmlFreeDoc(m->doc);
	for (size_t i = 0; i < m->nstrs; i++)
		free(m->strs[i]);
	free(m->strs);
	diag_src_free(&m->src);
	free(m->text);
	free(m->file);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

xmlDoc *manifest_doc(const manifest *m)
{
	return m->doc;
}

xmlNode *manifest_root(const manifest *m)
{
	return xmlDocGetRootElement(m->doc);
}

const char *manifest_file(const manifest *m)
{
	return m->file;
}

int manifest_has_entities(const manifest *m)
{
	return m->has_entities;
}

static int node_offset(const xmlNode *n, size_t *off)
{
	if (n && n->_private) {
		*off = (size_t)(uintptr_t)n->_private - 1;
		return 1;
	}
	return 0;
}

void manifest_locate(void *ctx, const xmlNode *node, unsigned *line, unsigned *col)
{
	manifest *m = ctx;
	size_t off;
	*line = *col = 0;
	place(m);
	if (node_offset(node, &off)) {
		diag_src_locate(&m->src, off, line, col);
		return;
	}
	if (node && node->type == XML_ATTRIBUTE_NODE)
		node = node->parent;
	if (node && node_offset(node, &off)) {
		diag_src_locate(&m->src, off, line, col);
		return;
	}
	if (node && node->type == XML_ELEMENT_NODE) {
		long l = xmlGetLineNo(node);
		*line = l > 0 ? (unsigned)l : 0;
	}
}

void manifest_report(manifest *m, diag_sink *sink, diag_level level, const void *node,
		     const char *check, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const xmlNode *n = node;
	size_t off;
	place(m);
	if (n && (node_offset(n, &off) ||
		  (n->type == XML_ATTRIBUTE_NODE && node_offset(n->parent, &off)))) {
		diag_at(sink, level, &m->src, off, check, "%s", msg);
		return;
	}
	unsigned line = 0, col = 0;
	if (n)
		manifest_locate(m, n, &line, &col);
	diag_line(sink, level, m->file, line, col, check, "%s", msg);
}

int manifest_offset(manifest *m, unsigned line, unsigned col, size_t *off)
{
	place(m); /* the line index */
	if (!m->src.lines || line == 0 || line > m->src.nlines)
		return 0;
	size_t o = m->src.lines[line - 1];
	for (unsigned c = 1; c < col && o < m->len && m->text[o] != '\n'; o++)
		c += ((unsigned char)m->text[o + 1] & 0xc0) != 0x80;
	*off = o;
	return 1;
}

diag_src *manifest_src(manifest *m)
{
	place(m);
	return &m->src;
}

/* ---- tree helpers ---- */

const char *mf_ns(const xmlNode *n)
{
	/* only elements and attributes have an ns field (a document node's layout differs) */
	if (!n || (n->type != XML_ELEMENT_NODE && n->type != XML_ATTRIBUTE_NODE))
		return NULL;
	return n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
}

int mf_is(const xmlNode *n, const char *ns, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
		return 0;
	const char *h = mf_ns(n);
	return ns ? h && strcmp(h, ns) == 0 : h == NULL;
}

xmlAttr *mf_attr_node(const xmlNode *n, const char *ns, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (xmlAttr *a = n->properties; a; a = a->next) {
		if (strcmp((const char *)a->name, name) != 0)
			continue;
		const char *h = a->ns && a->ns->href ? (const char *)a->ns->href : NULL;
		if (ns ? h && strcmp(h, ns) == 0 : h == NULL)
			return a;
	}
	return NULL;
}

static const char *keep(manifest *m, char *s)
{
	if (!s)
		return NULL;
	if (m->nstrs == m->capstrs) {
		size_t c = m->capstrs ? m->capstrs * 2 : 16;
		char **p = realloc(m->strs, c * sizeof *p);
		if (!p) {
			free(s);
			return NULL;
		}
		m->strs = p;
		m->capstrs = c;
	}
	m->strs[m->nstrs++] = s;
	return s;
}

/* Joins the text children of a list; entity references contribute nothing. */
static const char *join_text(manifest *m, const xmlNode *first)
{
	if (!first)
		return "";
	if ((first->type == XML_TEXT_NODE || first->type == XML_CDATA_SECTION_NODE) &&
	    !first->next)
		return first->content ? (const char *)first->content : "";
	buf b = BUF_INIT;
	for (const xmlNode *c = first; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			buf_puts(&b, (const char *)c->content);
	if (buf_error(&b))
		return "";
	if (b.len == 0)
		return "";
	const char *s = keep(m, buf_detach(&b, NULL));
	return s ? s : "";
}

const char *mf_attr(manifest *m, const xmlNode *n, const char *ns, const char *name)
{
	xmlAttr *a = mf_attr_node(n, ns, name);
	return a ? join_text(m, a->children) : NULL;
}

const char *mf_text(manifest *m, const xmlNode *n)
{
	return n ? join_text(m, n->children) : "";
}

xmlNode *mf_first(const xmlNode *n)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

xmlNode *mf_next(const xmlNode *n)
{
	for (xmlNode *c = n ? n->next : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

xmlNode *mf_child(const xmlNode *n, const char *ns, const char *name, size_t *count)
{
	xmlNode *first = NULL;
	size_t k = 0;
	for (xmlNode *c = mf_first(n); c; c = mf_next(c))
		if (mf_is(c, ns, name)) {
			if (!first)
				first = c;
			k++;
		}
	if (count)
		*count = k;
	return first;
}

/* ---- the edition ---- */

/* <schemaversion> values and the edition they name. "CAM 1.3" is 2004 2nd Edition, which the
 * 4th-edition ADL validator still accepts (with a warning): it is checked and run as 3rd. */
static const struct {
	const char *text;
	scorm_version v;
	int second;
} schemaversions[] = {
	{"1.2", SCORM_12, 0},
	{"2004 3rd Edition", SCORM_2004_3RD, 0},
	{"2004 4th Edition", SCORM_2004_4TH, 0},
	{"CAM 1.3", SCORM_2004_3RD, 1},
};

/* Elements or attributes only 4th Edition has: the guess when <schemaversion> is unusable. */
static int uses_4th_features(const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *ns = mf_ns(n);
		if (ns && strcmp(ns, NS_ADLCP13) == 0 &&
		    (strcmp((const char *)n->name, "data") == 0 ||
		     (strcmp((const char *)n->name, "completionThreshold") == 0 && n->properties)))
			return 1;
		if (ns && strcmp(ns, NS_ADLSEQ) == 0 && strcmp((const char *)n->name, "objectives") == 0)
			return 1;
		if (mf_attr_node(n, NS_ADLCP13, "sharedDataGlobalToSystem"))
			return 1;
		if (uses_4th_features(n->children))
			return 1;
	}
	return 0;
}

/* The element's direct text with XML white space trimmed, into out[size] (cut to fit). */
static void own_text(const xmlNode *n, char *out, size_t size)
{
	size_t len = 0;
	for (const xmlNode *t = n ? n->children : NULL; t; t = t->next)
		if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content)
			for (const char *p = (const char *)t->content; *p && len + 1 < size; p++)
				out[len++] = *p;
	out[len] = '\0';
	size_t a = 0;
	while (a < len && strchr(" \t\r\n", out[a]))
		a++;
	while (len > a && strchr(" \t\r\n", out[len - 1]))
		len--;
	memmove(out, out + a, len - a);
	out[len - a] = '\0';
}

const char *mf_edition_name(scorm_version v, int second)
{
	return second ? "SCORM 2004 2nd Edition" : scorm_version_name(v);
}

void mf_edition(const xmlNode *root, mf_edition_info *out)
{
	memset(out, 0, sizeof *out);
	const char *ns = root ? mf_ns(root) : NULL;
	int ns12 = ns && strcmp(ns, NS_CP12) == 0, ns2004 = ns && strcmp(ns, NS_CP2004) == 0;
	if (!mf_is(root, ns, "manifest") || (!ns12 && !ns2004))
		return;
	const char *cp = ns12 ? NS_CP12 : NS_CP2004;
	xmlNode *md = mf_child(root, cp, "metadata", NULL);
	xmlNode *sv = md ? mf_child(md, cp, "schemaversion", NULL) : NULL;
	char text[64];
	own_text(sv, text, sizeof text);
	out->has_schemaversion = sv != NULL;
	for (size_t i = 0; sv && i < PC_ARRAY_LEN(schemaversions); i++)
		if (strcmp(text, schemaversions[i].text) == 0) {
			out->declared = schemaversions[i].v;
			out->second = schemaversions[i].second;
		}
	if (ns12)
		out->version = SCORM_12;
	else if (out->declared != SCORM_UNKNOWN)
		out->version = out->declared; /* "1.2" in the 2004 namespace: a 1.2 package */
	else
		out->version = uses_4th_features(root) ? SCORM_2004_4TH : SCORM_2004_3RD;
	if (out->version != SCORM_2004_3RD)
		out->second = 0;
}
