/* The package's content (README.md "remote-asset"): while the archive is verified, every HTML,
 * CSS and JavaScript file is scanned (content.c) for what it loads from the internet, and
 * what its code names is noted for the --lms profiles (check_lms.c). Runs on the verification
 * thread with a sink of its own; nothing here touches the manifest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "content.h"

/* Longest URL quoted in a message. */
#define URL_SHOWN 160

struct scan_file {
	content_scan_ctx *cs;
	diag_src src;
	const char *data;
	int counted_more; /* this file already counted in cs->more_files */
	size_t first;     /* index in cs->urls of this file's first shown URL */
};

static int want(void *ud, const char *name)
{
	(void)ud;
	return content_kind_of(name) != CONTENT_NONE;
}

static void found(void *ud, const content_load *l)
{
	struct scan_file *f = ud;
	content_scan_ctx *cs = f->cs;
	const char *url = f->data + l->offset;
	for (size_t i = f->first; i < cs->nurls; i++)
		if (cs->urls[i].len == l->len && memcmp(cs->urls[i].url, url, l->len) == 0)
			return; /* the same URL again in this file */
	if (cs->nurls == CONTENT_SHOWN) {
		cs->more++;
		if (!f->counted_more)
			cs->more_files++;
		f->counted_more = 1;
		return;
	}
	cs->urls[cs->nurls].url = url;
	cs->urls[cs->nurls].len = l->len;
	cs->nurls++;
	int cut = l->len > URL_SHOWN;
	diag_at(cs->sink, DIAG_WARNING, &f->src, l->offset, "remote-asset",
		"loads %s from the internet ('%.*s%s'): offline, or behind a web filter that blocks "
		"that host, the content breaks; put a copy in the package",
		l->what, (int)(cut ? URL_SHOWN : l->len), url, cut ? "..." : "");
}

static void data(void *ud, const char *name, const unsigned char *bytes, size_t len, int truncated)
{
	content_scan_ctx *cs = ud;
	(void)truncated; /* the first PKG_VISIT_MAX bytes are what is scanned */
	buf file = BUF_INIT;
	pkg_member_display(cs->p, name, &file);
	if (buf_error(&file)) {
		buf_free(&file);
		return;
	}
	struct scan_file f = {cs, {0}, (const char *)bytes, 0, cs->nurls};
	diag_src_init(&f.src, buf_cstr(&file), (const char *)bytes, len);
	cs->mentions |= content_scan(content_kind_of(name), (const char *)bytes, len, found, &f);
	cs->scanned++;
	/* cs->urls point into these bytes, freed after this call: a later file only compares
	 * with its own (from its `first`) */
	diag_src_free(&f.src);
	buf_free(&file);
}

void content_visitor(content_scan_ctx *cs, pkg_visitor *v)
{
	v->want = want;
	v->data = data;
	v->ud = cs;
}

void check_content_summary(vctx *c, const content_scan_ctx *cs)
{
	if (cs->more)
		diag_line(c->sink, DIAG_WARNING, pkg_display_name(c->p), 0, 0, "remote-asset",
			  "%zu more load%s from the internet in %zu file%s (the first %d are shown)",
			  cs->more, cs->more == 1 ? "" : "s", cs->more_files,
			  cs->more_files == 1 ? "" : "s", CONTENT_SHOWN);
}
