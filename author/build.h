/* `postcard build` as a library: postcard modules and courses (source folders) in, SCORM packages
 * out. Sources are read and checked (every finding goes to the sink), rendered, packaged with
 * the page template and assets of author/render/web, validated in memory with the package validator, and
 * only then written, as reproducible zips. `postcard new` (scaffold) lives here too. */
#ifndef POSTCARD_BUILD_H
#define POSTCARD_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "diag.h"

/* The LMS profiles --lms selects (see `postcard help build` and docs/lms/ for what each one
 * changes and why). "scorm-cloud" is accepted as a name for LMS_GENERIC. */
typedef enum build_lms {
	LMS_GENERIC,
	LMS_MOODLE,
	LMS_LEARNING_HUB,
} build_lms;

/* "generic", "moodle", "learning-hub": the name the player's data carries. */
const char *build_lms_name(build_lms lms);
/* Returns 0 and sets *out, or PC_EINVAL for an unknown name ("scorm-cloud" gives LMS_GENERIC). */
int build_lms_parse(const char *name, build_lms *out);
/* "1.2", "2004-3rd", "2004-4th" (the --scorm values); PC_EINVAL otherwise. */
int build_scorm_parse(const char *name, scorm_version *out);
const char *build_scorm_name(scorm_version v);

/* The default timestamp of every zip entry when SOURCE_DATE_EPOCH is not set:
 * 2020-01-01T00:00:00Z. A fixed time, never the clock, so builds are reproducible. */
#define BUILD_DEFAULT_EPOCH INT64_C(1577836800)

typedef struct build_options {
	scorm_version version; /* default SCORM_12 */
	build_lms lms;         /* default LMS_GENERIC */
	const char *out_dir;   /* default "." */
	int64_t epoch;         /* zip entry time, Unix seconds; default BUILD_DEFAULT_EPOCH */
	const char *web_dir;   /* take sco.html, postcard.js, ... from here instead of the built-in
				  copies (for working on the player); NULL = built-in */
	int print;             /* write each module's printable postcard (ID-postcard.html)
				  instead of packages */
	/* Called before each package is built (done = packages finished so far). May be NULL. */
	void (*progress)(void *ctx, const char *name, size_t done, size_t total);
	void *progress_ctx;
} build_options;

void build_options_default(build_options *o);

/* Parses SOURCE_DATE_EPOCH's value. Returns 0 and sets *epoch, or PC_EINVAL when it is not a
 * non-negative decimal integer. */
int build_parse_epoch(const char *value, int64_t *epoch);

typedef struct build_result {
	size_t packages; /* zips written */
	size_t targets;  /* modules and courses found */
} build_result;

/* Builds every module and course the paths name (a module folder, a course file, or a folder of
 * modules and courses) into o->out_dir. Every finding is in `sink`. Returns 0 when every package
 * was written; PC_EINVALID when errors were reported (packages without errors are still
 * written); PC_EIO when the output could not be written (reported); PC_ENOMEM. */
int build_paths(const char *const *paths, size_t n, const build_options *o, diag_sink *sink,
		build_result *res);

/* Builds one module folder or course file into a zip in memory (nothing is written). *name gets
 * the package file name. Same return codes; the caller frees *zip and *name. */
int build_one(const char *path, const build_options *o, diag_sink *sink, unsigned char **zip,
	      size_t *len, char **name);

/* Creates folder `dir` (it must not exist or be empty) holding a module that builds as it is and
 * explains each part in comments. The module id comes from the folder name. Returns 0, PC_EIO
 * (reported in the sink), PC_EINVAL (the name cannot make an id; reported). */
int scaffold_module(const char *dir, diag_sink *sink);

#endif
