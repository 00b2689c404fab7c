/* Filling the SCO page template and writing the data JSON (page.c), per author/render/web/README.md. */
#ifndef POSTCARD_PAGE_H
#define POSTCARD_PAGE_H

#include "buf.h"
#include "model.h"

/* Appends the data JSON (safe inside an HTML <script>). `scorm` is "1.2", "2004-3rd" or
 * "2004-4th"; `lms` a profile name; `budget` the longest resume state in that profile (m->budget
 * plus what the profile adds). Returns buf_error(b). */
int page_data_json(const module *m, const char *scorm, const char *lms, size_t budget, buf *b);

/* 0 when {{cards}} and {{data}} appear exactly once in the template (the others may appear any
 * number of times); otherwise PC_EFORMAT and *missing names the first that does not. */
int page_check_template(const char *tpl, size_t len, const char **missing);

/* Appends the filled page. `assets` is the path from the page to the shared assets folder,
 * ending in '/'. The template must have passed page_check_template. */
int page_render(const module *m, const char *scorm, const char *lms, size_t budget,
		const char *assets, const char *tpl, size_t tlen, buf *out);

#endif
