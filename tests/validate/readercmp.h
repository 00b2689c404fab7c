/* Differential check of the zip reader: the same archive opened with the shortcuts of
 * zipcd.c / zipverify.c and with libzip alone must give the same listing, the same bytes for
 * every entry and the same findings. Used by the package unit tests and the zip fuzz target. */
#ifndef READERCMP_H
#define READERCMP_H

#include <stddef.h>

#include "pkg.h"

struct readercmp_result {
	int fast_listing; /* the shortcut listed the archive (libzip was not opened to list it) */
	char why[512];    /* the first difference, when there is one */
};

/* Opens `path` both ways under `lim`, validates both, reads every entry of both. Returns 0
 * when everything agrees, 1 with r->why set when something differs, -1 when the comparison
 * could not run (out of memory). */
int readercmp(const char *path, const pkg_limits *lim, struct readercmp_result *r);

#endif
