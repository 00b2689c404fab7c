/* The project's own SCORM schemas (schemas/), compiled into the binary: validating a manifest
 * against them, and the files a package of each edition must carry at its root. Loading never
 * touches the network or the file system: every import resolves to an embedded file.
 *
 * CONTRACT between the schemas work (owner), the validator and the compiler. */
#ifndef POSTCARD_SCHEMASET_H
#define POSTCARD_SCHEMASET_H

#include <libxml/tree.h>

#include "common.h"
#include "diag.h"
#include "embed.h"

/* Places a node for a finding: the validator passes one that knows element offsets, so schema
 * errors get a column too. NULL: use the line libxml2 reports and no column. `node` is the
 * element the error is about; for schemaset_validate (manifests) it is the attribute node
 * (XML_ATTRIBUTE_NODE) when the error is about one attribute's value. Leaving *line at 0 falls
 * back to libxml2's line. */
typedef void (*schemaset_locate_fn)(void *ctx, const xmlNode *node, unsigned *line, unsigned *col);

/* Validates `doc` against the schemas for edition `v`. Each schema error becomes a DIAG_ERROR in
 * `sink`, attributed to `file`, with check id "schema". Returns 0 when validation ran (the
 * number of errors is in the sink), or a negative code when the schemas could not be compiled
 * (PC_EINVAL for SCORM_UNKNOWN; PC_EFORMAT when the built-in schemas fail to compile, which is
 * a build bug, also reported in `sink`). Namespace URIs in messages are shortened to the usual
 * prefixes (adlcp:, imsss:, ...; none for the CP namespace).
 * Safe to call from several threads: schemas are compiled once and shared. Two threads must not
 * validate the same `doc` at once: libxml2 records xs:ID values on the document while validating.
 * xsi:schemaLocation in the document is ignored: nothing is ever loaded for a validation. */
int schemaset_validate(scorm_version v, xmlDoc *doc, const char *file, diag_sink *sink,
		       schemaset_locate_fn locate, void *locate_ctx);

/* Compiles the schemas for edition `v` now instead of on first use, so a caller can overlap
 * the compilation with other work (the validator does it while the manifest is parsed). Does
 * nothing for SCORM_UNKNOWN or when they are compiled already; a failure is reported by the
 * next schemaset_validate. Thread-safe. */
void schemaset_prepare(scorm_version v);

/* The XSD files a package of edition `v` ships at its root (names relative to the root).
 * Returns a borrowed, static array of `*count` entries. */
const struct embed_file *const *schemaset_files(scorm_version v, size_t *count);

/* The xsi:schemaLocation value the compiler writes for edition `v`: namespace/file pairs for every
 * namespace a manifest of that edition may use (CP, ADL CP, IMS metadata for 1.2; CP, ADL CP,
 * ADL Seq, ADL Nav, IMS SS and LOM for 2004), each file one of schemaset_files(). "" for
 * SCORM_UNKNOWN. Static string. */
const char *schemaset_location(scorm_version v);

/* The postcard source formats (schemas/postcard-module.xsd, schemas/postcard-course.xsd), for
 * the compiler: module.xml and course.xml. */
typedef enum schemaset_source {
	SCHEMASET_MODULE,
	SCHEMASET_COURSE,
} schemaset_source;

/* Validates a module.xml or course.xml document, with the same reporting, return codes and
 * thread safety as schemaset_validate(). */
int schemaset_validate_source(schemaset_source kind, xmlDoc *doc, const char *file,
			      diag_sink *sink, schemaset_locate_fn locate, void *locate_ctx);

#endif
