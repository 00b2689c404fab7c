/* Writing imsmanifest.xml for a built package (manifest_write.c). */
#ifndef POSTCARD_MANIFEST_WRITE_H
#define POSTCARD_MANIFEST_WRITE_H

#include <stdio.h>

#include "buf.h"
#include "common.h"
#include "model.h"

typedef struct manifest_sco {
	const module *mod;
	const char *base;        /* folder of the SCO in the package, "" or ending in '/' */
	const char *group_id;    /* course group, or NULL */
	const char *group_title;
	const char *const *files; /* the SCO's files besides index.html, relative to base */
	size_t nfiles;
} manifest_sco;

typedef struct manifest_in {
	scorm_version version;
	const char *manifest_id, *org_id;
	const char *root_id;     /* a course's non-launchable root item; NULL for one module */
	unsigned major;          /* of the course (group identifiers) */
	const char *pkg_version; /* manifest/@version: the module's or course's version */
	const char *title;
	const manifest_sco *scos;
	size_t nscos;
	const char *const *assets; /* shared files (assets/...), one asset resource */
	size_t nassets;
	int no_sequencing;         /* 2004 without imsss:sequencing (--lms moodle: Moodle ignores it) */
	int no_mastery;            /* 1.2 without adlcp:masteryscore (--lms moodle: it would turn the
				      content's completed into passed/failed) */
} manifest_in;

/* Appends the manifest to `out`. Returns buf_error(out). */
int manifest_write(const manifest_in *in, buf *out);

/* The item and resource identifiers of a module's SCO: "item-ID-vMAJOR", "res-ID-vMAJOR". */
void manifest_ids(const module *m, char *item, size_t item_cap, char *res, size_t res_cap);

#endif
