/* The project's SCORM schemas (schemas/), compiled from the copies embedded in the binary, and
 * the table of which files each edition ships at a package's root. Compilation happens once per
 * schema set, on first use, and resolves every xs:import/xs:include to an embedded file through
 * a private URL scheme: nothing is read from the network or the disk. */
#include "schemaset.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

EMBED_DECLARE(postcard_schemas);

/* Schema files are named postcard-schema:/<set>/<name>, where <name> is the file's name at the
 * root of a package. Relative imports inside a schema resolve within the same set, exactly as
 * they do in a package, so compiling also proves the set is complete. */
#define SCHEME "postcard-schema:/"

/* A file of a set: its name in the package and its path in the embedded tree (schemas/). */
struct set_file {
	const char *name;
	const char *source;
};

/* A namespace a set's root schema imports, and the file that declares it. */
struct set_import {
	const char *ns;
	const char *file;
};

struct schema_set {
	const char *key; /* the <set> part of the URLs */
	const char *label;
	const struct set_file *files;
	size_t nfiles;
	const struct set_import *imports;
	size_t nimports;
	const char *location; /* xsi:schemaLocation the compiler writes; NULL for source formats */

	pthread_once_t once;
	xmlSchemaPtr schema; /* compiled; NULL when compilation failed */
	char error[256];     /* first compile error, when it failed */

	/* schemaset_files(): the same files named for the package root. */
	struct embed_file shipped[8];
	const struct embed_file *shipped_ptrs[8];
	size_t nshipped;
};

#define NS_XML "http://www.w3.org/XML/1998/namespace"
#define NS_CP12 "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
#define NS_ADLCP12 "http://www.adlnet.org/xsd/adlcp_rootv1p2"
#define NS_IMSMD "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
#define NS_CP "http://www.imsglobal.org/xsd/imscp_v1p1"
#define NS_ADLCP "http://www.adlnet.org/xsd/adlcp_v1p3"
#define NS_ADLSEQ "http://www.adlnet.org/xsd/adlseq_v1p3"
#define NS_ADLNAV "http://www.adlnet.org/xsd/adlnav_v1p3"
#define NS_IMSSS "http://www.imsglobal.org/xsd/imsss"
#define NS_LOM "http://ltsc.ieee.org/xsd/LOM"

static const struct set_file files_12[] = {
	{"imscp_rootv1p1p2.xsd", "scorm12/imscp_rootv1p1p2.xsd"},
	{"adlcp_rootv1p2.xsd", "scorm12/adlcp_rootv1p2.xsd"},
	{"imsmd_rootv1p2p1.xsd", "scorm12/imsmd_rootv1p2p1.xsd"},
	{"ims_xml.xsd", "scorm12/ims_xml.xsd"},
};

/* 3rd and 4th Edition share the files that did not change between them (IMS SS, ADL Nav, the
 * xml: attributes, LOM); CP, ADL CP and ADL Seq differ. */
static const struct set_file files_3rd[] = {
	{"imscp_v1p1.xsd", "scorm2004-3rd/imscp_v1p1.xsd"},
	{"adlcp_v1p3.xsd", "scorm2004-3rd/adlcp_v1p3.xsd"},
	{"adlseq_v1p3.xsd", "scorm2004-3rd/adlseq_v1p3.xsd"},
	{"adlnav_v1p3.xsd", "scorm2004-common/adlnav_v1p3.xsd"},
	{"imsss_v1p0.xsd", "scorm2004-common/imsss_v1p0.xsd"},
	{"lom.xsd", "scorm2004-common/lom.xsd"},
	{"xml.xsd", "scorm2004-common/xml.xsd"},
};

static const struct set_file files_4th[] = {
	{"imscp_v1p1.xsd", "scorm2004-4th/imscp_v1p1.xsd"},
	{"adlcp_v1p3.xsd", "scorm2004-4th/adlcp_v1p3.xsd"},
	{"adlseq_v1p3.xsd", "scorm2004-4th/adlseq_v1p3.xsd"},
	{"adlnav_v1p3.xsd", "scorm2004-common/adlnav_v1p3.xsd"},
	{"imsss_v1p0.xsd", "scorm2004-common/imsss_v1p0.xsd"},
	{"lom.xsd", "scorm2004-common/lom.xsd"},
	{"xml.xsd", "scorm2004-common/xml.xsd"},
};

static const struct set_import imports_12[] = {
	{NS_CP12, "imscp_rootv1p1p2.xsd"},
	{NS_ADLCP12, "adlcp_rootv1p2.xsd"},
	{NS_IMSMD, "imsmd_rootv1p2p1.xsd"},
};

static const struct set_import imports_2004[] = {
	{NS_XML, "xml.xsd"},
	{NS_CP, "imscp_v1p1.xsd"},
	{NS_ADLCP, "adlcp_v1p3.xsd"},
	{NS_ADLSEQ, "adlseq_v1p3.xsd"},
	{NS_ADLNAV, "adlnav_v1p3.xsd"},
	{NS_IMSSS, "imsss_v1p0.xsd"},
	{NS_LOM, "lom.xsd"},
};

static const struct set_file files_module[] = {{"postcard-module.xsd", "postcard-module.xsd"}};
static const struct set_file files_course[] = {{"postcard-course.xsd", "postcard-course.xsd"}};
static const struct set_import imports_module[] = {{"urn:postcard:module:1", "postcard-module.xsd"}};
static const struct set_import imports_course[] = {{"urn:postcard:course:1", "postcard-course.xsd"}};

/* Every namespace a manifest of the edition may use, so the validator's "namespace used but not
 * mapped" check never fires on our own packages (mapping an unused namespace is harmless). */
#define LOCATION_12                                                                                \
	NS_CP12 " imscp_rootv1p1p2.xsd " NS_IMSMD " imsmd_rootv1p2p1.xsd " NS_ADLCP12              \
		" adlcp_rootv1p2.xsd"
#define LOCATION_2004                                                                              \
	NS_CP " imscp_v1p1.xsd " NS_ADLCP " adlcp_v1p3.xsd " NS_ADLSEQ " adlseq_v1p3.xsd " NS_ADLNAV \
	      " adlnav_v1p3.xsd " NS_IMSSS " imsss_v1p0.xsd " NS_LOM " lom.xsd"

#define SET(key, label, files, imports, location)                                                  \
	{key,                                                                                      \
	 label,                                                                                    \
	 files,                                                                                    \
	 PC_ARRAY_LEN(files),                                                                      \
	 imports,                                                                                  \
	 PC_ARRAY_LEN(imports),                                                                    \
	 location,                                                                                 \
	 PTHREAD_ONCE_INIT,                                                                        \
	 NULL,                                                                                     \
	 {0},                                                                                      \
	 {{0}},                                                                                    \
	 {0},                                                                                      \
	 0}

enum { SET_12, SET_3RD, SET_4TH, SET_MODULE, SET_COURSE, SET_COUNT };

static struct schema_set sets[SET_COUNT] = {
	[SET_12] = SET("scorm12", "SCORM 1.2", files_12, imports_12, LOCATION_12),
	[SET_3RD] = SET("scorm2004-3rd", "SCORM 2004 3rd Edition", files_3rd, imports_2004,
			LOCATION_2004),
	[SET_4TH] = SET("scorm2004-4th", "SCORM 2004 4th Edition", files_4th, imports_2004,
			LOCATION_2004),
	[SET_MODULE] = SET("postcard-module", "postcard module", files_module, imports_module, NULL),
	[SET_COURSE] = SET("postcard-course", "postcard course", files_course, imports_course, NULL),
};

static struct schema_set *set_for_version(scorm_version v)
{
	switch (v) {
	case SCORM_12:
		return &sets[SET_12];
	case SCORM_2004_3RD:
		return &sets[SET_3RD];
	case SCORM_2004_4TH:
		return &sets[SET_4TH];
	default:
		return NULL;
	}
}

static const struct embed_file *set_file_data(const struct schema_set *set, const char *name)
{
	for (size_t i = 0; i < set->nfiles; i++)
		if (strcmp(set->files[i].name, name) == 0)
			return embed_find(postcard_schemas, postcard_schemas_count,
					  set->files[i].source);
	return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * Files shipped in packages */

static pthread_once_t shipped_once = PTHREAD_ONCE_INIT;

static void shipped_init(void)
{
	for (size_t s = 0; s < SET_COUNT; s++) {
		struct schema_set *set = &sets[s];
		for (size_t i = 0; i < set->nfiles && set->nshipped < PC_ARRAY_LEN(set->shipped); i++) {
			const struct embed_file *f = set_file_data(set, set->files[i].name);
			if (!f)
				continue; /* a build without the file: the tests catch it */
			set->shipped[set->nshipped] =
				(struct embed_file){set->files[i].name, f->data, f->size};
			set->shipped_ptrs[set->nshipped] = &set->shipped[set->nshipped];
			set->nshipped++;
		}
	}
}

const struct embed_file *const *schemaset_files(scorm_version v, size_t *count)
{
	struct schema_set *set = set_for_version(v);
	*count = 0;
	if (!set)
		return NULL;
	pthread_once(&shipped_once, shipped_init);
	*count = set->nshipped;
	return set->shipped_ptrs;
}

const char *schemaset_location(scorm_version v)
{
	const struct schema_set *set = set_for_version(v);
	return set ? set->location : "";
}

/* ---------------------------------------------------------------------------------------------
 * Compiling */

/* libxml2 loads imported schemas through one process-wide entity loader. While a set compiles
 * (under compile_lock) ours is installed: it serves postcard-schema: URLs from the embedded
 * files and refuses everything else for the compiling thread. Other threads that load an entity
 * during that window get libxml2's no-network loader: the same behaviour they would get from
 * this project anywhere else. */
static pthread_mutex_t compile_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct schema_set *compiling;

static void compile_note(struct schema_set *set, const char *msg)
{
	if (set->error[0] != '\0')
		return; /* keep the first: it is the cause */
	snprintf(set->error, sizeof set->error, "%s", msg);
	size_t n = strlen(set->error);
	while (n > 0 && (set->error[n - 1] == '\n' || set->error[n - 1] == ' '))
		set->error[--n] = '\0';
}

static xmlParserInputPtr embedded_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	struct schema_set *set = compiling;
	if (!set)
		return xmlNoNetExternalEntityLoader(url, id, ctxt);

	const struct embed_file *f = NULL;
	size_t keylen = strlen(set->key);
	if (url && strncmp(url, SCHEME, strlen(SCHEME)) == 0) {
		const char *rest = url + strlen(SCHEME);
		if (strncmp(rest, set->key, keylen) == 0 && rest[keylen] == '/')
			f = set_file_data(set, rest + keylen + 1);
	}
	if (!f) {
		char msg[200];
		snprintf(msg, sizeof msg, "schema file '%.150s' is not one of the embedded files",
			 url ? url : "(none)");
		compile_note(set, msg);
		return NULL;
	}
	/* A copy, not xmlParserInputBufferCreateStatic(): libxml2 2.9 misreads static buffers of
	 * this size (observed: tag mismatches deep inside a correct 20 KB schema). */
	xmlParserInputBufferPtr in = xmlParserInputBufferCreateMem(
		(const char *)f->data, (int)f->size, XML_CHAR_ENCODING_NONE);
	if (!in)
		return NULL;
	xmlParserInputPtr input = xmlNewIOInputStream(ctxt, in, XML_CHAR_ENCODING_NONE);
	if (!input) {
		xmlFreeParserInputBuffer(in);
		return NULL;
	}
	input->filename = (char *)xmlStrdup((const xmlChar *)url); /* names the file in imports */
	return input;
}

/* Collects compile-time messages (parse errors of an embedded file, schema errors) instead of
 * letting libxml2 print them. Warnings are dropped: our files compile without any, and a stray
 * one must not reach stderr. */
static void compile_error(void *ctx, xmlErrorPtr err)
{
	struct schema_set *set = ctx;
	if (err && err->level >= XML_ERR_ERROR && err->message)
		compile_note(set, err->message);
}

static void generic_sink(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* The root schema of a set: one import per namespace, each from the set's file (absolute URLs:
 * this text has no base URL of its own). */
static int driver_text(const struct schema_set *set, buf *out)
{
	buf_puts(out, "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema' "
		      "targetNamespace='urn:postcard:schemaset'>");
	for (size_t i = 0; i < set->nimports; i++)
		buf_printf(out, "<xs:import namespace='%s' schemaLocation='" SCHEME "%s/%s'/>",
			   set->imports[i].ns, set->key, set->imports[i].file);
	buf_puts(out, "</xs:schema>");
	return buf_error(out);
}

static void compile_set(struct schema_set *set)
{
	buf text = BUF_INIT;
	xmlSchemaParserCtxtPtr pctxt = NULL;

	buf_init(&text, 1 << 16);
	if (driver_text(set, &text) != 0) {
		compile_note(set, "out of memory");
		goto done;
	}

	pthread_mutex_lock(&compile_lock);
	xmlExternalEntityLoader saved_loader = xmlGetExternalEntityLoader();
	xmlStructuredErrorFunc saved_serror = xmlStructuredError;
	void *saved_sctx = xmlStructuredErrorContext;
	xmlGenericErrorFunc saved_gerror = xmlGenericError;
	void *saved_gctx = xmlGenericErrorContext;

	compiling = set;
	xmlSetExternalEntityLoader(embedded_loader);
	xmlSetStructuredErrorFunc(set, compile_error);
	xmlSetGenericErrorFunc(NULL, generic_sink);

	pctxt = xmlSchemaNewMemParserCtxt(buf_cstr(&text), (int)text.len);
	if (pctxt) {
		xmlSchemaSetParserStructuredErrors(pctxt, compile_error, set);
		set->schema = xmlSchemaParse(pctxt);
	}

	xmlSetGenericErrorFunc(saved_gctx, saved_gerror);
	xmlSetStructuredErrorFunc(saved_sctx, saved_serror);
	xmlSetExternalEntityLoader(saved_loader);
	compiling = NULL;
	pthread_mutex_unlock(&compile_lock);

	if (!set->schema)
		compile_note(set, "the schema did not compile");
done:
	xmlSchemaFreeParserCtxt(pctxt);
	buf_free(&text);
}

/* pthread_once takes no argument: one trampoline per set. */
#define ONCE_FN(idx)                                                                               \
	static void compile_##idx(void) { compile_set(&sets[idx]); }
ONCE_FN(SET_12)
ONCE_FN(SET_3RD)
ONCE_FN(SET_4TH)
ONCE_FN(SET_MODULE)
ONCE_FN(SET_COURSE)

static void (*const compile_fns[SET_COUNT])(void) = {
	compile_SET_12, compile_SET_3RD, compile_SET_4TH, compile_SET_MODULE, compile_SET_COURSE,
};

static xmlSchemaPtr set_schema(struct schema_set *set)
{
	pthread_once(&set->once, compile_fns[set - sets]);
	return set->schema;
}

/* ---------------------------------------------------------------------------------------------
 * Validating */

/* Namespace URIs as libxml2 writes them in messages ("{uri}name") and what we show instead. */
static const struct {
	const char *uri;
	const char *prefix;
} short_names[] = {
	{"{" NS_CP "}", ""},           {"{" NS_CP12 "}", ""},        {"{" NS_ADLCP "}", "adlcp:"},
	{"{" NS_ADLCP12 "}", "adlcp:"}, {"{" NS_ADLSEQ "}", "adlseq:"}, {"{" NS_ADLNAV "}", "adlnav:"},
	{"{" NS_IMSSS "}", "imsss:"},  {"{" NS_LOM "}", "lom:"},      {"{" NS_IMSMD "}", "imsmd:"},
	{"{" NS_XML "}", "xml:"},
};

/* One line: namespace URIs shortened (not in "##other{uri}", libxml2's name for a wildcard),
 * trailing newline and spaces removed. */
static void tidy_message(const char *msg, buf *out)
{
	const char *p = msg ? msg : "schema error";
	while (*p) {
		size_t i = 0;
		if (out->len >= 7 && memcmp(out->data + out->len - 7, "##other", 7) == 0)
			i = PC_ARRAY_LEN(short_names);
		for (; i < PC_ARRAY_LEN(short_names); i++) {
			size_t n = strlen(short_names[i].uri);
			if (strncmp(p, short_names[i].uri, n) == 0) {
				buf_puts(out, short_names[i].prefix);
				p += n;
				break;
			}
		}
		if (i == PC_ARRAY_LEN(short_names))
			buf_putc(out, *p == '\n' ? ' ' : *p), p++;
	}
	while (out->len > 0 && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
}

struct report {
	diag_sink *sink;
	const char *file;
	schemaset_locate_fn locate;
	void *locate_ctx;
	int attrs;     /* place attribute errors at the attribute (the locate function takes them) */
	size_t errors; /* reported by this validation */
};

/* libxml2 places an error about an attribute's value at its element; the message names the
 * attribute ("Element 'item', attribute 'isvisible': ..."). Returns that attribute node when the
 * element has it, so the finding points at the attribute (as the code checks' do), else `node`. */
static const xmlNode *message_attr(void *node, const char *msg)
{
	const xmlNode *n = node;
	const char *at = msg && n->type == XML_ELEMENT_NODE && strncmp(msg, "Element '", 9) == 0
				 ? strstr(msg, "', attribute '")
				 : NULL;
	if (!at)
		return n;
	const char *name = at + 14, *end = strchr(name, '\'');
	const char *uri = NULL;
	size_t urilen = 0;
	if (!end)
		return n;
	if (*name == '{') {
		const char *close = memchr(name, '}', (size_t)(end - name));
		if (!close)
			return n;
		uri = name + 1;
		urilen = (size_t)(close - uri);
		name = close + 1;
	}
	size_t len = (size_t)(end - name);
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		if (strlen((const char *)a->name) != len || memcmp(a->name, name, len) != 0)
			continue;
		const char *ans = a->ns && a->ns->href ? (const char *)a->ns->href : NULL;
		if ((!uri && !ans) ||
		    (uri && ans && strlen(ans) == urilen && memcmp(ans, uri, urilen) == 0))
			return (const xmlNode *)a;
	}
	return n;
}

static void report_error(void *ctx, xmlErrorPtr err)
{
	struct report *r = ctx;
	if (!err)
		return;
	unsigned line = 0, col = 0;
	if (r->locate && err->node)
		r->locate(r->locate_ctx,
			  r->attrs ? message_attr(err->node, err->message) : (const xmlNode *)err->node,
			  &line, &col);
	if (line == 0) {
		line = err->line > 0 ? (unsigned)err->line : 0;
		col = err->int2 > 0 ? (unsigned)err->int2 : 0;
	}
	buf msg = BUF_INIT;
	buf_init(&msg, 8192); /* libxml2 quotes values: a huge attribute must not make a huge line */
	tidy_message(err->message, &msg);
	diag_line(r->sink, err->level == XML_ERR_WARNING ? DIAG_WARNING : DIAG_ERROR, r->file, line,
		  col, "schema", "%s", buf_error(&msg) ? "schema error" : buf_cstr(&msg));
	buf_free(&msg);
	r->errors += err->level != XML_ERR_WARNING;
}

static int validate_with(struct schema_set *set, xmlDoc *doc, const char *file, diag_sink *sink,
			 schemaset_locate_fn locate, void *locate_ctx, int attrs)
{
	xmlSchemaPtr schema = set_schema(set);
	if (!schema) {
		diag_line(sink, DIAG_ERROR, file, 0, 0, "schema",
			  "internal error: the built-in %s schemas did not compile: %s", set->label,
			  set->error);
		return PC_EFORMAT;
	}
	xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema);
	if (!vctxt)
		return PC_ENOMEM;
	struct report r = {sink, file, locate, locate_ctx, attrs, 0};
	xmlSchemaSetValidStructuredErrors(vctxt, report_error, &r);
	int rc = xmlSchemaValidateDoc(vctxt, doc);
	xmlSchemaFreeValidCtxt(vctxt);
	if (rc < 0) {
		diag_line(sink, DIAG_ERROR, file, 0, 0, "schema",
			  "internal error: schema validation could not run");
		return PC_EINVAL;
	}
	if (rc > 0 && r.errors == 0) /* invalid, yet libxml2 said nothing: never report "valid" */
		diag_line(sink, DIAG_ERROR, file, 0, 0, "schema", "the document is not schema-valid");
	return 0;
}

void schemaset_prepare(scorm_version v)
{
	struct schema_set *set = set_for_version(v);
	if (set)
		set_schema(set);
}

int schemaset_validate(scorm_version v, xmlDoc *doc, const char *file, diag_sink *sink,
		       schemaset_locate_fn locate, void *locate_ctx)
{
	struct schema_set *set = set_for_version(v);
	if (!set || !doc)
		return PC_EINVAL;
	return validate_with(set, doc, file, sink, locate, locate_ctx, 1);
}

int schemaset_validate_source(schemaset_source kind, xmlDoc *doc, const char *file,
			      diag_sink *sink, schemaset_locate_fn locate, void *locate_ctx)
{
	if (!doc || (kind != SCHEMASET_MODULE && kind != SCHEMASET_COURSE))
		return PC_EINVAL;
	return validate_with(&sets[kind == SCHEMASET_MODULE ? SET_MODULE : SET_COURSE], doc, file,
			     sink, locate, locate_ctx, 0);
}
