/* Error codes shared by the author and runtime libraries. Functions return 0 on success and one
 * of these (negative) on failure; callers pass a callee's code up unchanged. Details of *why*
 * something failed go to a diagnostics sink (diag.h), never to stdout/stderr: libraries do not print. */
#ifndef POSTCARD_COMMON_H
#define POSTCARD_COMMON_H

enum pc_error {
	PC_OK = 0,
	PC_ENOMEM = -1,  /* allocation failed */
	PC_ELIMIT = -2,  /* a documented size/count limit was exceeded */
	PC_EIO = -3,     /* could not read or write a file */
	PC_EINVAL = -4,  /* bad argument from the caller (a programming error or bad option) */
	PC_EFORMAT = -5, /* input is not in the expected format (not a zip, not XML, ...) */
	PC_ENOTFOUND = -6,
	PC_EINVALID = -7, /* input was read but diagnostics of level error were reported */
	PC_ENOSPC = -8,   /* no space left on the device: nothing was written */
	PC_ECONFLICT = -9, /* another writer changed the record first (a fenced write lost) */
	PC_EDAMAGED = -10, /* stored data is damaged (a corrupt database file) */
};

/* A short, fixed, human-readable text for an error code (never NULL). */
const char *pc_strerror(int code);

/* The SCORM editions Postcard reads and writes. */
typedef enum scorm_version {
	SCORM_UNKNOWN = 0,
	SCORM_12,
	SCORM_2004_3RD,
	SCORM_2004_4TH,
} scorm_version;

/* "SCORM 1.2", "SCORM 2004 3rd Edition", "SCORM 2004 4th Edition", or "unknown SCORM version". */
const char *scorm_version_name(scorm_version v);

#define PC_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Programming errors (STYLE.md): PC_ASSERT(cond) states what the code guarantees, such as a
 * handle that is never NULL or a key that always fits its buffer; it is never used for anything
 * input can cause (that is an error code). Checked in every build type, NDEBUG or not: a broken
 * guarantee stops the process with "file:line: assertion failed: cond" on stderr (the one
 * message a library writes) rather than carrying on with a corrupted state, e.g. a learner's
 * record. Keep the conditions cheap. */
#define PC_ASSERT(cond) ((cond) ? (void)0 : pc_assert_fail(#cond, __FILE__, __LINE__))
_Noreturn void pc_assert_fail(const char *cond, const char *file, int line);

#endif
