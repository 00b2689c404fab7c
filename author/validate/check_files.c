/* Package-level file checks (scorm-cam.md A) that need the whole manifest read first: every
 * schema named in xsi:schemaLocation shipped at the package root (and at its stated path), and
 * files the manifest does not account for ("excess baggage", a warning). Not run for a bare
 * manifest. */
#include <string.h>
#include <strings.h>

#include "check.h"

/* How many unlisted file names the warning spells out before "and N more". */
#define UNLISTED_SHOWN 5

/* Every location of every xsi:schemaLocation (each checked once): the file at the root, and at
 * its stated path when that is a different one inside the package. */
static void check_schema_files(vctx *c)
{
	strmap seen = STRMAP_INIT;
	for (size_t i = 0; i < c->nsl; i++) {
		xmlAttr *sl = c->sl[i];
		char *copy = strdup(mf_attr(c->m, sl->parent, NS_XSI, "schemaLocation"));
		if (!vkeep(c, copy))
			break;
		size_t k = 0;
		for (char *save = NULL, *t = strtok_r(copy, " \t\r\n", &save); t;
		     t = strtok_r(NULL, " \t\r\n", &save)) {
			if (k++ % 2 == 0)
				continue; /* a namespace */
			const char *slash = strrchr(t, '/');
			const char *base = slash ? slash + 1 : t;
			if (!*base || strmap_add(&seen, t, NULL, NULL) == 0)
				continue;
			if (pkg_has(c->p, base)) {
				strmap_add(&c->used, base, NULL, NULL);
			} else {
				vreport(c, sl, "schema-file",
					"schema '%s' (named in xsi:schemaLocation) is not at the package "
					"root: every schema the manifest names must be shipped there",
					base);
			}
			if (slash && !strstr(t, "://") && t[0] != '/' && !strstr(t, "..")) {
				const char *path = t[0] == '.' && t[1] == '/' ? t + 2 : t;
				if (pkg_has(c->p, path))
					strmap_add(&c->used, path, NULL, NULL);
				else
					vreport(c, sl, "schema-file",
						"schema location '%s' is not in the package", t);
			}
		}
	}
	c->oom |= seen.oom;
	strmap_free(&seen);
}

static int control_document(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && (strcasecmp(name + n - 4, ".xsd") == 0 || strcasecmp(name + n - 4, ".dtd") == 0);
}

static void check_unlisted(vctx *c)
{
	size_t count = 0;
	buf names = BUF_INIT;
	for (size_t i = 0; i < pkg_count(c->p); i++) {
		const char *n = pkg_name(c->p, i);
		if (strcmp(n, "imsmanifest.xml") == 0 || control_document(n) ||
		    strmap_has(&c->used, n))
			continue;
		if (count < UNLISTED_SHOWN)
			buf_printf(&names, "%s'%s'", count ? ", " : "", n);
		count++;
	}
	if (count > UNLISTED_SHOWN)
		buf_printf(&names, " and %zu more", count - UNLISTED_SHOWN);
	if (count)
		diag_line(c->sink, DIAG_WARNING, pkg_display_name(c->p), 0, 0, "unlisted-files",
			  "%zu file%s in the package %s not listed in any <file> of the manifest: %s",
			  count, count == 1 ? "" : "s", count == 1 ? "is" : "are", buf_cstr(&names));
	buf_free(&names);
}

void check_files(vctx *c)
{
	check_schema_files(c);
	check_unlisted(c);
}
