/* Private to the validator: the state every check shares, and one entry point per group of
 * checks of ../shared/reference/scorm-cam.md (file check_<group>.c). validate.c runs them in
 * order. Check ids passed to vreport are the stable ids listed in README.md. */
#ifndef POSTCARD_CHECK_H
#define POSTCARD_CHECK_H

#include <stdint.h>

#include "buf.h"
#include "common.h"
#include "manifest.h"
#include "pkg.h"
#include "strmap.h"
#include "validate.h"

typedef struct vctx {
	pkg *p;
	diag_sink *sink;
	manifest *m;
	xmlNode *root;
	scorm_version v;
	scorm_version guess; /* sniffed before parsing, to compile its schemas early */
	int is2004;
	const char *cp;    /* the CP namespace of this edition */
	const char *adlcp; /* the ADL CP namespace of this edition */
	int files;         /* 1 when the package has files to check (not a bare manifest) */
	int strict;        /* conformance findings are errors */
	validate_lms lms;  /* the LMS profile to add */
	int second_edition; /* <schemaversion>CAM 1.3</schemaversion> */
	strmap ids;        /* identifier -> first node carrying it (whole document) */
	strmap resources;  /* resource identifier -> resource node */
	strmap submanifests; /* sub-manifest identifier -> node */
	strmap referenced; /* resource identifier -> itself, when an item or dependency uses it */
	strmap launched;   /* resource identifier -> first item launching it */
	strmap seq_ids;    /* sequencingCollection sequencing ID -> node */
	strmap used;       /* package paths the manifest accounts for (values unused) */
	strmap fold;       /* ASCII-lower-cased package path -> real path, for case hints */
	xmlAttr **sl;      /* every xsi:schemaLocation attribute, in document order */
	size_t nsl, capsl;
	const xmlNode *base_node; /* resolve_href's cache of the xml:base in effect */
	const char *base_str;
	int base_external;
	uint64_t *flagged; /* line << 32 | col of nodes code checks reported on */
	size_t nflagged, capflagged;
	char **owned;      /* strings kept for the maps' keys, freed at the end */
	size_t nowned, capowned;
	int oom;
} vctx;

/* Reports a finding of check `check` at an element or attribute (NULL: the manifest as a whole).
 * Its level comes from the check table (checks.c) for this edition and c->strict; a
 * conformance finding ends with the requirement ADL applies, "[ADL REQ_...]". The place is
 * remembered, so the schema's finding on the same node is not printed as well. */
void vreport(vctx *c, const void *node, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Keeps a heap string alive for the run (for map keys); returns it, or NULL on OOM. */
const char *vkeep(vctx *c, char *s);

/* Shared helpers (check_util.c). */
int is_ncname(const char *s);
/* The value with leading/trailing XML whitespace removed, kept for the run. */
const char *vtrim(vctx *c, const char *s);
/* 1 if s is a decimal number (optional sign, digits, optional fraction), with its value. */
int parse_decimal(const char *s, double *out);
/* SCORM 1.2 CMITimespan HHHH:MM:SS.SS */
int is_cmi_timespan(const char *s);
int is_xs_boolean(const char *s);
/* The length of s in code points when it is over `limit`, else 0 (cheap for short text). */
size_t chars_over(const char *s, size_t limit);
/* Is this item a leaf (no child <item>)? */
int item_is_leaf(vctx *c, const xmlNode *item);
/* The resource an item launches (through identifierref), or NULL. */
xmlNode *item_resource(vctx *c, const xmlNode *item);
/* "sco", "asset", or NULL when the resource has no (valid) type attribute. */
const char *resource_scorm_type(vctx *c, const xmlNode *res);

/* Resolves an href of a <file>, a <resource> or an adlcp:location against the xml:base values
 * in effect at `at`, reporting href syntax findings at `node` (an attribute or element).
 * Returns 1 with the package path in *path (kept for the run) for a local file, 0 for an
 * external URL or an unusable href (already reported). `what` names the href in messages.
 * Flags: HREF_REPORT_EXTERNAL warns about http(s) URLs; HREF_LAUNCH reports an unusable href
 * as "launch-href" (an error: the content cannot start) instead of the conformance ids. A
 * backslash is reported and read as '/', as browsers do. */
#define HREF_REPORT_EXTERNAL 1
#define HREF_LAUNCH 2
int resolve_href(vctx *c, const xmlNode *at, const void *node, const char *what,
		 const char *href, const char **path, int flags);
/* Looks a package path up: 1 found, 0 missing (reported with `check` unless it is NULL), -1
 * found only under a different case (warned). Marks it used. Does nothing but mark when file checks are off. */
int check_file_exists(vctx *c, const void *node, const char *path, const char *check,
		      const char *what);

/* The content scan's state (check_content.c): filled on the verification thread, read after
 * it is joined. */
#define CONTENT_SHOWN 20 /* remote loads shown per package; the rest are counted */
typedef struct content_scan_ctx {
	pkg *p;
	diag_sink *sink; /* the verification's own sink */
	struct {
		const char *url;
		size_t len;
	} urls[CONTENT_SHOWN]; /* shown so far (valid only while their file is scanned) */
	size_t nurls, more, more_files, scanned;
	unsigned mentions; /* CONTENT_MENTIONS_* of every file */
} content_scan_ctx;
void content_visitor(content_scan_ctx *cs, pkg_visitor *v);
/* Reports what was counted but not shown. */
void check_content_summary(vctx *c, const content_scan_ctx *cs);
/* --lms PROFILE (check_lms.c): what the LMS is known to require or mishandle, from the
 * manifest and what the content's code names. */
void check_lms(vctx *c, const content_scan_ctx *cs);

/* The groups, in the order validate.c runs them. */
void check_structure(vctx *c);  /* A root, C metadata/schema/schemaversion, schemaLocation */
void check_ids(vctx *c);        /* B identifiers, default organization, identifierref */
void check_items(vctx *c);      /* D organization/item, E learner elements */
void check_resources(vctx *c);  /* F resources, files, xml:base, dependencies */
void check_sequencing(vctx *c); /* G sequencing references */
void check_files(vctx *c);      /* A files: schemas at root, unlisted files */

#endif
