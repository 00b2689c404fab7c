#ifndef TEST_VALIDATE_H
#define TEST_VALIDATE_H
#include "author.h"
int test_checks(void);
int test_pkg(void);
int test_manifest(void);
int test_content(void);
/* Validates `manifest` in a memory package with the given files (NULL-terminated list; each
 * holds "x"), plus `add` and minus `drop`. The caller frees *sink. */
int validate_text(const char *manifest, const char *const *files, const char *add,
		  const char *drop, diag_sink **sink, validate_result *res);
/* The same with options (NULL: the defaults). */
int validate_text_opts(const char *manifest, const char *const *files, const char *add,
		       const char *drop, const validate_options *opt, diag_sink **sink,
		       validate_result *res);
/* 1 when every finding has the level the check table gives its check (else prints why). */
int levels_follow_table(const diag_sink *sink, scorm_version v, int strict);
#endif
