/* See readercmp.h. Each side gets a fresh package and sink; validation runs before the entry
 * reads so its findings (the data check included) come from the same state on both sides. */
#include "readercmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pkg_int.h"
#include "validate.h"

struct side {
	pkg *p;
	diag_sink *sink;
	int open_rc;
	buf text; /* listing, read results and findings, as text */
};

static int run_side(struct side *s, const char *path, const pkg_limits *lim, int libzip_only)
{
	if (diag_sink_new(&s->sink) != 0)
		return -1;
	s->open_rc = pkg_open_reader(&s->p, path, lim, libzip_only, s->sink);
	buf_printf(&s->text, "open %d\n", s->open_rc);
	if (s->open_rc == 0) {
		validate_result res;
		int vrc = validate_package(s->p, s->sink, &res);
		buf_printf(&s->text, "validate %d version %d errors %zu warnings %zu\n", vrc,
			   (int)res.version, res.errors, res.warnings);
		for (size_t i = 0; i < pkg_count(s->p); i++) {
			char *d = NULL;
			size_t len = 0;
			const char *name = pkg_name(s->p, i);
			int rc = pkg_read_report(s->p, name, &d, &len, s->sink);
			/* a hash of the bytes read stands for them */
			unsigned long h = 5381;
			for (size_t k = 0; k < len; k++)
				h = h * 33 + (unsigned char)d[k];
			buf_printf(&s->text, "entry %zu '%s' size %llu read %d len %zu hash %lx\n", i,
				   name, (unsigned long long)pkg_size(s->p, i), rc, len, h);
			free(d);
		}
	}
	diag_sort(s->sink);
	for (size_t i = 0; i < diag_count(s->sink); i++) {
		const diag *d = diag_get(s->sink, i);
		buf_printf(&s->text, "%s:%u:%u %d %s ", d->file ? d->file : "", d->line, d->col,
			   (int)d->level, d->check);
		/* corrupt data is reported by both, in zlib's words or libzip's ("invalid
		 * distance too far back" / "Zlib error: data error", a size or a CRC that does
		 * not match first): the entry named is what must agree */
		const char *q = strcmp(d->check, "corrupt-entry") == 0 ? strchr(d->message, '\'') : NULL;
		const char *end = q ? strchr(q + 1, '\'') : NULL;
		if (end)
			buf_printf(&s->text, "%.*s\n", (int)(end - q + 1), q);
		else
			buf_printf(&s->text, "%s\n", d->message);
	}
	return buf_error(&s->text) ? -1 : 0;
}

static void side_free(struct side *s)
{
	pkg_free(s->p);
	diag_sink_free(s->sink);
	buf_free(&s->text);
}

int readercmp(const char *path, const pkg_limits *lim, struct readercmp_result *r)
{
	struct side fast, ref;
	int rc = -1;
	memset(r, 0, sizeof *r);
	memset(&fast, 0, sizeof fast);
	memset(&ref, 0, sizeof ref);
	if (run_side(&fast, path, lim, 0) != 0 || run_side(&ref, path, lim, 1) != 0)
		goto cleanup;
	r->fast_listing = fast.p && fast.p->kind == PKG_ZIP && fast.p->cd.exact;
	const char *a = buf_cstr(&fast.text), *b = buf_cstr(&ref.text);
	if (strcmp(a, b) == 0) {
		rc = 0;
		goto cleanup;
	}
	/* the first line that differs */
	size_t i = 0, line = 0;
	while (a[i] && a[i] == b[i])
		line = a[i++] == '\n' ? i : line;
	snprintf(r->why, sizeof r->why, "shortcut: %.200s\nlibzip:   %.200s", a + line, b + line);
	rc = 1;
cleanup:
	side_free(&fast);
	side_free(&ref);
	return rc;
}
