#ifndef TEST_VALIDATE_H
#define TEST_VALIDATE_H
#include "author.h"
int test_checks(void);
int test_pkg(void);
int test_manifest(void);
/* Validates `manifest` in a memory package with the given files (NULL-terminated list; each
 * holds "x"), plus `add` and minus `drop`. The caller frees *sink. */
int validate_text(const char *manifest, const char *const *files, const char *add,
		  const char *drop, diag_sink **sink, validate_result *res);
#endif
