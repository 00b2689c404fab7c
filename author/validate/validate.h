/* `postcard validate`: every check of ../shared/reference/scorm-cam.md A-H on an opened package.
 * Findings go to the sink with a stable check id; the result says which SCORM edition the
 * manifest declares and how many errors and warnings were found.
 *
 * CONTRACT between the validator (owner), the compiler (validates every package in memory before
 * writing it) and the runtime (validates on import). */
#ifndef POSTCARD_VALIDATE_H
#define POSTCARD_VALIDATE_H

#include "common.h"
#include "diag.h"
#include "pkg.h"

typedef struct validate_result {
	scorm_version version; /* detected from the manifest; SCORM_UNKNOWN if it could not tell */
	size_t errors;
	size_t warnings;
} validate_result;

/* Returns 0 when the checks ran (look at result->errors), or a negative code when they could
 * not (no manifest readable, out of memory), with the reason in the sink. */
int validate_package(pkg *p, diag_sink *sink, validate_result *result);

#endif
