/* A SCORM package's files, wherever they come from: a zip (PIF), a folder, a bare
 * imsmanifest.xml (no files: file checks are skipped), or memory (what the compiler builds before
 * writing the zip). Reading is bounded: the limits below stop zip bombs and huge manifests before
 * they cost memory or time. Findings about the container itself (zip slip, symlinks, duplicate or
 * non-UTF-8 names, limits hit) go to the diagnostics sink.
 *
 * CONTRACT between the validator (owner), the compiler and the runtime: extend freely, but do not
 * change the meaning of what is here without updating every caller. */
#ifndef POSTCARD_PKG_H
#define POSTCARD_PKG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"

typedef struct pkg_limits {
	size_t max_entries;      /* files in the zip */
	uint64_t max_total;      /* sum of uncompressed sizes */
	uint64_t max_entry;      /* uncompressed size of one file */
	uint32_t max_ratio;      /* uncompressed/compressed, per entry (zip bombs) */
	size_t max_manifest;     /* bytes of imsmanifest.xml */
} pkg_limits;

/* The documented defaults (see `postcard help validate` and README.md):
 *   max_entries  50000   a large e-learning package has a few thousand files
 *   max_total    2 GiB   the NHS Learning Hub's upload limit
 *   max_entry    1 GiB   a long video
 *   max_ratio    200     applied to entries over 1 MiB: real content stays far below, a deflate
 *                        bomb sits near 1000
 *   max_manifest 16 MiB  a 1,000-item manifest is about 2 MiB; libxml2 needs ~10x in memory */
#define PKG_DEFAULT_MAX_ENTRIES 50000
#define PKG_DEFAULT_MAX_TOTAL ((uint64_t)2 << 30)
#define PKG_DEFAULT_MAX_ENTRY ((uint64_t)1 << 30)
#define PKG_DEFAULT_MAX_RATIO 200
#define PKG_DEFAULT_MAX_MANIFEST ((size_t)16 << 20)
void pkg_limits_default(pkg_limits *lim);

typedef enum pkg_kind { PKG_ZIP, PKG_DIR, PKG_MANIFEST, PKG_MEMORY } pkg_kind;

typedef struct pkg pkg;

/* Opens a zip, a folder or a bare manifest, by looking at what `path` is. Returns 0, or
 * PC_EIO / PC_EFORMAT / PC_ELIMIT with the reason reported to `sink` (the caller then exits 2).
 * A package that opens may still have findings in `sink` (warnings or errors about entries). */
int pkg_open(pkg **out, const char *path, const pkg_limits *lim, diag_sink *sink);
/* An empty in-memory package (limits: defaults). */
int pkg_new_memory(pkg **out);
/* Adds a copy of a file to an in-memory package. PC_EINVAL for a name a zip must not carry
 * (absolute, `..`, backslash, drive letter, empty, control characters). */
int pkg_add(pkg *p, const char *name, const void *data, size_t len);
void pkg_free(pkg *p);

pkg_kind pkg_get_kind(const pkg *p);
/* The name shown in findings about the package itself (the path given to pkg_open). */
const char *pkg_display_name(const pkg *p);
size_t pkg_count(const pkg *p);
/* The i-th file's name ('/' separated, relative to the package root). Borrowed. */
const char *pkg_name(const pkg *p, size_t i);
/* 1 if the package holds a file of exactly this name. */
int pkg_has(const pkg *p, const char *name);
/* Reads a whole file (at most the limits allow) into a new NUL-terminated buffer the caller
 * frees. PC_ENOTFOUND when there is no such file. */
int pkg_read(pkg *p, const char *name, char **data, size_t *len);
/* The same, reporting why a read failed (corrupt data, a limit, encryption) to `sink`. */
int pkg_read_report(pkg *p, const char *name, char **data, size_t *len, diag_sink *sink);

/* Reads every file through the limits without keeping the data (zip integrity: CRCs, sizes
 * that lie, bombs), reporting each failure to `sink`. Returns 0, or PC_ENOMEM. */
int pkg_verify(pkg *p, diag_sink *sink);

/* Sees the contents of chosen files while pkg_verify_visit reads them, so a check of the
 * content costs no second read: `want` picks files by name, `data` gets each picked file's
 * bytes once they are known to be intact (the first PKG_VISIT_MAX of a larger file, with
 * `truncated` set). Both run on the thread calling pkg_verify_visit. A file that cannot be read
 * is reported as by pkg_verify and not handed over. */
#define PKG_VISIT_MAX ((size_t)8 << 20)
typedef struct pkg_visitor {
	int (*want)(void *ud, const char *name);
	void (*data)(void *ud, const char *name, const unsigned char *bytes, size_t len,
		     int truncated);
	void *ud;
} pkg_visitor;
/* pkg_verify, handing the files `v` wants to it (folders and memory packages: read for it). */
int pkg_verify_visit(pkg *p, diag_sink *sink, const pkg_visitor *v);
/* The file name shown in findings about the manifest: "imsmanifest.xml" for zips and memory,
 * "DIR/imsmanifest.xml" for folders, the path given for a bare manifest. Borrowed. */
const char *pkg_manifest_display(const pkg *p);
/* When several packages are checked in one run, findings must say which package they belong
 * to: from this call on, files of a zip are shown as "PKG.zip(NAME)" (the notation GNU tools
 * use for archive members), the manifest as "PKG.zip(imsmanifest.xml)". Folders already show
 * "DIR/NAME". Returns 0 or PC_ENOMEM. */
int pkg_qualify_members(pkg *p);
/* Appends the name findings about the package's file `name` carry (as above). */
void pkg_member_display(const pkg *p, const char *name, buf *out);
/* Declared uncompressed size of the i-th file. */
uint64_t pkg_size(const pkg *p, size_t i);
const pkg_limits *pkg_get_limits(const pkg *p);

#endif
