/* `postcard validate`: every check of ../shared/reference/scorm-cam.md A-H on an opened package,
 * plus the content's remote loads and, on request, what a given LMS is known to require.
 * Findings go to the sink with a stable check id; the result says which SCORM edition the
 * manifest declares and how many errors and warnings were found.
 *
 * Levels (README.md, "postcard validate"): an error means an LMS will refuse the package or the
 * content cannot work; a spec violation real LMSs tolerate is a warning tagged with the
 * requirement ADL's test suite applies ("conformance"; `strict` makes those errors); other
 * warnings are risks. Every check id and its level is in the table validate_checks().
 *
 * CONTRACT between the validator (owner), the compiler (validates every package in memory before
 * writing it) and the runtime (validates on import). */
#ifndef POSTCARD_VALIDATE_H
#define POSTCARD_VALIDATE_H

#include "common.h"
#include "diag.h"
#include "pkg.h"

/* The class of a check. VL_SAME only in validate_check.level12 ("as in 2004"). */
typedef enum validate_level {
	VL_SAME = 0,
	VL_ERROR,       /* an LMS refuses the package, or the content cannot work */
	VL_CONFORMANCE, /* ADL's test suite fails it, LMSs accept it: a warning (strict: an error) */
	VL_WARNING,     /* a risk or a waste, not a violation */
	VL_NOTE,
} validate_level;

typedef struct validate_check {
	const char *id;         /* stable: the "check" of every finding */
	validate_level level;   /* its class (for SCORM 1.2 too, unless level12 says otherwise) */
	validate_level level12; /* its class in SCORM 1.2, or VL_SAME */
	const char *req;        /* conformance checks: the requirement ADL applies (shown in the finding) */
	const char *what;       /* one line */
} validate_check;

/* The table of every check (static, `*count` rows). */
const validate_check *validate_checks(size_t *count);
/* A row by id, or NULL. */
const validate_check *validate_check_find(const char *id);
/* Its class for an edition (SCORM_UNKNOWN counts as 2004), and the level a finding gets. */
validate_level validate_check_class(const validate_check *chk, scorm_version v);
diag_level validate_check_level(const validate_check *chk, scorm_version v, int strict);
/* "error", "conformance", "warning", "note" ("same" for VL_SAME). */
const char *validate_level_name(validate_level l);

/* The LMSs whose known requirements and mishandlings `--lms` adds (as warnings with the reason:
 * ../shared/reference/lms-behaviours.md). VALIDATE_LMS_NONE adds nothing. */
typedef enum validate_lms {
	VALIDATE_LMS_NONE = 0,
	VALIDATE_LMS_LEARNING_HUB,
	VALIDATE_LMS_MOODLE,
	VALIDATE_LMS_SCORM_CLOUD,
} validate_lms;
/* "learning-hub", "moodle", "scorm-cloud" ("generic" is NONE). Returns 0, or PC_EINVAL. */
int validate_lms_parse(const char *name, validate_lms *out);

typedef struct validate_options {
	int strict;       /* conformance findings are errors (authors who must pass ADL's suite) */
	validate_lms lms; /* add what this LMS is known to require */
	/* Not 0: the parsed manifest is not freed but handed over in result->manifest (the caller
	 * frees it with manifest_free). A command about to exit may leave it to the operating
	 * system: freeing a 2 MB manifest's tree node by node (280,000 frees) is a tenth of a large
	 * validation, all of it after the last check. */
	int keep_manifest;
} validate_options;

typedef struct validate_result {
	scorm_version version; /* detected from the manifest; SCORM_UNKNOWN if it could not tell.
				* 2nd Edition ("CAM 1.3") is checked as SCORM_2004_3RD */
	const char *edition;   /* what to call it: "SCORM 2004 2nd Edition" for CAM 1.3, else
				* scorm_version_name(version). Static. */
	size_t errors;
	size_t warnings;
	struct manifest *manifest; /* with keep_manifest: the parsed manifest (the caller's), or NULL */
} validate_result;

/* Returns 0 when the checks ran (look at result->errors), or a negative code when they could
 * not (no manifest readable, out of memory), with the reason in the sink. `opt` NULL: the
 * defaults (not strict, no LMS profile). */
int validate_package_opts(pkg *p, const validate_options *opt, diag_sink *sink,
			  validate_result *result);
/* validate_package_opts with the defaults. */
int validate_package(pkg *p, diag_sink *sink, validate_result *result);

#endif
