/* Resource, file and xml:base checks (scorm-cam.md F): type and SCORM type attributes, href
 * rules, a launched resource's href present and listed among its own files, every <file>
 * present in the package (the inventory), xml:base syntax. Paths are resolved through
 * xml:base (manifest, resources, resource) and %-decoding before they are looked up. */
#include <string.h>
#include <strings.h>

#include "check.h"
#include "utf8.h"

static const char *res_id(vctx *c, const xmlNode *r)
{
	const char *id = mf_attr(c->m, r, NULL, "identifier");
	return id ? vtrim(c, id) : "?";
}

/* xml:base must be relative, use '/', and end with '/' (ADL-SCH). */
static void check_base(vctx *c, const xmlNode *n)
{
	xmlAttr *a = mf_attr_node(n, NS_XML, "base");
	if (!a)
		return;
	const char *b = mf_attr(c->m, n, NS_XML, "base");
	if (strchr(b, '\\'))
		vreport(c, DIAG_ERROR, a, "xml-base", "xml:base '%s' contains a backslash", b);
	if (b[0] == '/')
		vreport(c, DIAG_ERROR, a, "xml-base",
			"xml:base '%s' starts with '/': it must be relative to the package root", b);
	if (!*b || b[strlen(b) - 1] != '/')
		vreport(c, DIAG_ERROR, a, "xml-base", "xml:base '%s' must end with '/'", b);
	if (chars_over(b, 2000))
		vreport(c, DIAG_WARNING, a, "href-length",
			"xml:base is over the 2000 characters LMSs must support");
}

static int has_extension(const char *href)
{
	size_t end = strcspn(href, "?#");
	const char *slash = NULL;
	for (const char *p = href; p < href + end; p++)
		if (*p == '/')
			slash = p;
	const char *base = slash ? slash + 1 : href;
	const char *dot = memchr(base, '.', (size_t)(href + end - base));
	return dot && dot > base && dot + 1 < href + end;
}

static void check_scorm_type(vctx *c, const xmlNode *r)
{
	const char *name = c->is2004 ? "scormType" : "scormtype";
	xmlAttr *a = mf_attr_node(r, c->adlcp, name);
	for (xmlAttr *o = r->properties; o && !a; o = o->next)
		if (strcasecmp((const char *)o->name, "scormtype") == 0) {
			vreport(c, DIAG_ERROR, o, "scormtype",
				"resource '%s' spells the attribute '%s%s%s': %s uses adlcp:%s in "
				"namespace '%s'",
				res_id(c, r), o->ns && o->ns->prefix ? (const char *)o->ns->prefix : "",
				o->ns && o->ns->prefix ? ":" : "", (const char *)o->name,
				c->is2004 ? "SCORM 2004" : "SCORM 1.2", name, c->adlcp);
			return;
		}
	if (!a) {
		vreport(c, DIAG_ERROR, r, "scormtype",
			"resource '%s' has no adlcp:%s: every resource must say sco or asset",
			res_id(c, r), name);
		return;
	}
	const char *v = vtrim(c, mf_attr(c->m, r, c->adlcp, name));
	if (strcmp(v, "sco") != 0 && strcmp(v, "asset") != 0)
		vreport(c, DIAG_ERROR, a, "scormtype", "adlcp:%s '%s' must be 'sco' or 'asset'", name,
			v);
}

static void check_resource(vctx *c, const xmlNode *r)
{
	const char *id = res_id(c, r);
	check_base(c, r);
	xmlAttr *type = mf_attr_node(r, NULL, "type");
	if (!type) {
		vreport(c, DIAG_ERROR, r, "resource-type", "resource '%s' has no type attribute", id);
	} else {
		const char *t = vtrim(c, mf_attr(c->m, r, NULL, "type"));
		if (strcmp(t, "webcontent") != 0)
			vreport(c, DIAG_WARNING, type, "resource-type",
				"resource '%s' has type '%s': SCORM content is 'webcontent'", id, t);
	}
	check_scorm_type(c, r);

	/* the href's path first, so its existence is checked once (as a launch page when an
	 * item launches it), then the files, then whether the href is one of them */
	xmlAttr *ha = mf_attr_node(r, NULL, "href");
	xmlNode *launcher = strmap_get(&c->launched, id);
	const char *href = ha ? mf_attr(c->m, r, NULL, "href") : NULL, *hpath = NULL;
	int local = 0;
	if (!ha && launcher) {
		const char *iid = mf_attr(c->m, launcher, NULL, "identifier");
		vreport(c, DIAG_ERROR, r, "href-required",
			"resource '%s' has no href, but item '%s' launches it", id,
			iid ? vtrim(c, iid) : "?");
	}
	if (ha) {
		if (chars_over(href, 2000))
			vreport(c, DIAG_WARNING, ha, "href-length",
				"href is over the 2000 characters LMSs must support");
		local = resolve_href(c, r, ha, "href", href, &hpath, 1);
		if (local && !has_extension(href))
			vreport(c, DIAG_WARNING, ha, "href-extension",
				"resource '%s' href '%s' has no file extension: LMSs guess the type "
				"from it",
				id, href);
		if (local && launcher) {
			const char *iid = mf_attr(c->m, launcher, NULL, "identifier");
			if (check_file_exists(c, ha, hpath, NULL, "launch page") == 0)
				vreport(c, DIAG_ERROR, ha, "launch-missing",
					"item '%s' launches '%s' (resource '%s'), which is not in the "
					"package",
					iid ? vtrim(c, iid) : "?", hpath, id);
		}
	}

	strmap own = STRMAP_INIT;
	for (xmlNode *f = mf_first(r); f; f = mf_next(f)) {
		if (!mf_is(f, c->cp, "file"))
			continue;
		xmlAttr *fa = mf_attr_node(f, NULL, "href");
		if (!fa) {
			vreport(c, DIAG_ERROR, f, "href", "<file> in resource '%s' has no href", id);
			continue;
		}
		const char *path;
		if (resolve_href(c, r, fa, "file", mf_attr(c->m, f, NULL, "href"), &path, 1)) {
			strmap_add(&own, path, NULL, NULL);
			if (!(launcher && hpath && strcmp(path, hpath) == 0))
				check_file_exists(c, fa, path, "file-missing", "file");
		}
		xmlNode *fmd = mf_child(f, c->cp, "metadata", NULL);
		if (fmd && mf_first(f) != fmd)
			vreport(c, DIAG_ERROR, fmd, "element-order",
				"<metadata> must be the first child of <file>");
	}
	if (local) {
		if (!strmap_has(&own, hpath))
			vreport(c, c->is2004 ? DIAG_ERROR : DIAG_WARNING, ha, "href-file",
				"resource '%s' href '%s' is not one of its own <file> elements%s", id,
				href, c->is2004 ? "" : " (list it so the inventory is complete)");
		if (!launcher && !strmap_has(&own, hpath))
			check_file_exists(c, ha, hpath, "file-missing", "href");
	}
	strmap_free(&own);
}

static void walk(vctx *c, const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (mf_is(n, c->cp, "manifest") || mf_is(n, c->cp, "resources"))
			check_base(c, n);
		if (mf_is(n, c->cp, "resource")) {
			check_resource(c, n);
			continue;
		}
		walk(c, n->children);
	}
}

void check_resources(vctx *c)
{
	walk(c, c->root);
}
