/* The manifest reader: parses imsmanifest.xml safely (no network, no entity substitution, no
 * DTD loading, libxml2's default size limits) and remembers where every element and attribute
 * starts in the text, so findings print as `imsmanifest.xml:41:9:` with a caret. Also the small
 * namespace-aware lookups the checks and the runtime use on the tree.
 *
 * The validator owns this; the runtime may use it to read a validated manifest. */
#ifndef POSTCARD_MANIFEST_H
#define POSTCARD_MANIFEST_H

#include <libxml/tree.h>
#include <stddef.h>

#include "common.h"
#include "diag.h"

#define NS_CP12 "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
#define NS_CP2004 "http://www.imsglobal.org/xsd/imscp_v1p1"
#define NS_ADLCP12 "http://www.adlnet.org/xsd/adlcp_rootv1p2"
#define NS_ADLCP13 "http://www.adlnet.org/xsd/adlcp_v1p3"
#define NS_IMSSS "http://www.imsglobal.org/xsd/imsss"
#define NS_ADLSEQ "http://www.adlnet.org/xsd/adlseq_v1p3"
#define NS_ADLNAV "http://www.adlnet.org/xsd/adlnav_v1p3"
#define NS_LOM "http://ltsc.ieee.org/xsd/LOM"
#define NS_IMSMD12 "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
#define NS_XML "http://www.w3.org/XML/1998/namespace"

typedef struct manifest manifest;

/* Parses `len` bytes of `text` (copied; need not be NUL-terminated) as the manifest shown as
 * `file` in findings. Well-formedness errors and entity declarations are reported to `sink`
 * with check ids "xml" and "entity". Returns 0 with *out set (the document may still carry
 * entity findings: see manifest_has_entities), PC_EFORMAT when the text is not well-formed
 * XML (*out NULL), or PC_ENOMEM. Safe to call from several threads. */
int manifest_parse(manifest **out, const char *file, const char *text, size_t len,
		   diag_sink *sink);
void manifest_free(manifest *m);

/* Borrowed; valid until manifest_free. */
xmlDoc *manifest_doc(const manifest *m);
xmlNode *manifest_root(const manifest *m);
const char *manifest_file(const manifest *m);
/* 1 when the document declared or referenced entities (reported already); such a tree is not
 * handed to schema validation. */
int manifest_has_entities(const manifest *m);

/* Line and column (1-based, code points) of an element or attribute node; col 0 when only the
 * line is known. Matches schemaset_locate_fn, with the manifest as ctx. */
void manifest_locate(void *m, const xmlNode *node, unsigned *line, unsigned *col);

/* The byte offset of a 1-based line and column (code points), for findings placed by line:col
 * (libxml2's) that should quote the source too. Returns 0 when the place is not in the text. */
int manifest_offset(manifest *m, unsigned line, unsigned col, size_t *off);
/* The manifest text as a diag source (borrowed). */
diag_src *manifest_src(manifest *m);

/* Reports a finding placed at an element or an attribute (an xmlAttr cast to xmlNode is fine;
 * NULL places it at the start of the file). */
void manifest_report(manifest *m, diag_sink *sink, diag_level level, const void *node,
		     const char *check, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* 1 when `n` is an element named `name` in namespace `ns` (NULL: no namespace). */
int mf_is(const xmlNode *n, const char *ns, const char *name);
/* The namespace URI of an element or attribute, or NULL. */
const char *mf_ns(const xmlNode *n);
/* The attribute node, or NULL. */
xmlAttr *mf_attr_node(const xmlNode *n, const char *ns, const char *name);
/* An attribute's value, or NULL when absent. Borrowed (valid until manifest_free). */
const char *mf_attr(manifest *m, const xmlNode *n, const char *ns, const char *name);
/* The element's own text (direct text and CDATA children, never entity content). Borrowed;
 * "" when empty. */
const char *mf_text(manifest *m, const xmlNode *n);
/* First child element / next sibling element (skipping text, comments...). */
xmlNode *mf_first(const xmlNode *n);
xmlNode *mf_next(const xmlNode *n);
/* First child element with this namespace and name, and how many there are. */
xmlNode *mf_child(const xmlNode *n, const char *ns, const char *name, size_t *count);

/* The SCORM edition a manifest declares, read the same way by the validator and the runtime: the
 * root's namespace says 1.2 or 2004, <schemaversion> which 2004 edition; a 2004 manifest
 * without a known <schemaversion> is 4th Edition if it uses 4th-only elements, else 3rd.
 * 2nd Edition ("CAM 1.3") is checked and run as 3rd (`second` set). A root that is not a
 * SCORM <manifest> gives SCORM_UNKNOWN. */
typedef struct mf_edition_info {
	scorm_version version;  /* the edition to check and run it as */
	int second;             /* declared "CAM 1.3" */
	scorm_version declared; /* what <schemaversion> names (SCORM_UNKNOWN: nothing known) */
	int has_schemaversion;
} mf_edition_info;
void mf_edition(const xmlNode *root, mf_edition_info *out);
/* "SCORM 2004 2nd Edition" when `second`, else scorm_version_name(v). Static. */
const char *mf_edition_name(scorm_version v, int second);

#endif
