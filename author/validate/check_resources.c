/* Resource, file and xml:base checks (scorm-cam.md F): type and SCORM type attributes, href
 * rules, a launched resource's href present and listed among its own files or those of the
 * resources it depends on, every <file> present in the package (the inventory), xml:base
 * syntax. Paths are resolved through xml:base (manifest, resources, resource) and %-decoding
 * before they are looked up. */
#include <stdlib.h>
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
		vreport(c, a, "xml-base", "xml:base '%s' contains a backslash", b);
	if (b[0] == '/')
		vreport(c, a, "xml-base",
			"xml:base '%s' starts with '/': it must be relative to the package root", b);
	if (!*b || b[strlen(b) - 1] != '/')
		vreport(c, a, "xml-base", "xml:base '%s' must end with '/'", b);
	if (chars_over(b, 2000))
		vreport(c, a, "href-length",
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
			vreport(c, o, "scormtype",
				"resource '%s' spells the attribute '%s%s%s': %s uses adlcp:%s in "
				"namespace '%s'",
				res_id(c, r), o->ns && o->ns->prefix ? (const char *)o->ns->prefix : "",
				o->ns && o->ns->prefix ? ":" : "", (const char *)o->name,
				c->is2004 ? "SCORM 2004" : "SCORM 1.2", name, c->adlcp);
			return;
		}
	if (!a) {
		vreport(c, r, "scormtype",
			"resource '%s' has no adlcp:%s: every resource must say sco or asset",
			res_id(c, r), name);
		return;
	}
	const char *v = vtrim(c, mf_attr(c->m, r, c->adlcp, name));
	if (strcmp(v, "sco") != 0 && strcmp(v, "asset") != 0)
		vreport(c, a, "scormtype", "adlcp:%s '%s' must be 'sco' or 'asset'", name,
			v);
}

/* A resource's own file paths, kept until the dependency pass. */
struct res_files {
	const xmlNode *r;
	strmap paths;
};

/* A resource whose href is not one of its own files: looked for in the files of the
 * resources it depends on once every resource has been read. */
struct pending {
	const xmlNode *r;
	xmlAttr *ha;
	const char *hpath;
	int launched;
};

struct res_pass {
	strmap files;       /* resource identifier -> struct res_files */
	struct res_files **all;
	size_t nall, capall;
	struct pending *pend;
	size_t npend, cappend;
};

static void *grow(vctx *c, void *arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(arr, ncap * size);
	if (!p) {
		c->oom = 1;
		return NULL;
	}
	*cap = ncap;
	return p;
}

static void check_resource(vctx *c, const xmlNode *r, struct res_pass *rp)
{
	const char *id = res_id(c, r);
	check_base(c, r);
	xmlAttr *type = mf_attr_node(r, NULL, "type");
	if (!type) {
		vreport(c, r, "resource-type", "resource '%s' has no type attribute", id);
	} else {
		const char *t = vtrim(c, mf_attr(c->m, r, NULL, "type"));
		if (strcmp(t, "webcontent") != 0)
			vreport(c, type, "resource-type-value",
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
		vreport(c, r, "href-required", "resource '%s' has no href, but item '%s' launches it",
			id, iid ? vtrim(c, iid) : "?");
	}
	if (ha) {
		if (chars_over(href, 2000))
			vreport(c, ha, "href-length",
				"href is over the 2000 characters LMSs must support");
		local = resolve_href(c, r, ha, launcher ? "launch page" : "href", href, &hpath,
				    HREF_REPORT_EXTERNAL | (launcher ? HREF_LAUNCH : 0));
		if (local && !has_extension(href))
			vreport(c, ha, "href-extension",
				"resource '%s' href '%s' has no file extension: LMSs guess the type "
				"from it",
				id, href);
		if (local && launcher) {
			const char *iid = mf_attr(c->m, launcher, NULL, "identifier");
			if (check_file_exists(c, ha, hpath, NULL, "launch page") == 0)
				vreport(c, ha, "launch-missing",
					"item '%s' launches '%s' (resource '%s'), which is not in the "
					"package",
					iid ? vtrim(c, iid) : "?", hpath, id);
		}
	}

	struct res_files *own = calloc(1, sizeof *own);
	struct res_files **all = grow(c, rp->all, &rp->capall, rp->nall, sizeof *rp->all);
	if (!own || !all) {
		free(own);
		c->oom = 1;
		return;
	}
	rp->all = all;
	rp->all[rp->nall++] = own;
	own->r = r;
	strmap_add(&rp->files, id, own, NULL);
	for (xmlNode *f = mf_first(r); f; f = mf_next(f)) {
		if (!mf_is(f, c->cp, "file"))
			continue;
		xmlAttr *fa = mf_attr_node(f, NULL, "href");
		if (!fa) {
			vreport(c, f, "href", "<file> in resource '%s' has no href", id);
			continue;
		}
		const char *path;
		if (resolve_href(c, r, fa, "file", mf_attr(c->m, f, NULL, "href"), &path,
				 HREF_REPORT_EXTERNAL)) {
			strmap_add(&own->paths, path, NULL, NULL);
			if (!(launcher && hpath && strcmp(path, hpath) == 0))
				check_file_exists(c, fa, path, "file-missing", "file");
		}
		xmlNode *fmd = mf_child(f, c->cp, "metadata", NULL);
		if (fmd && mf_first(f) != fmd)
			vreport(c, fmd, "element-order", "<metadata> must be the first child of <file>");
	}
	if (local && !strmap_has(&own->paths, hpath)) {
		struct pending *pe = grow(c, rp->pend, &rp->cappend, rp->npend, sizeof *rp->pend);
		if (!pe)
			return;
		rp->pend = pe;
		rp->pend[rp->npend++] = (struct pending){r, ha, hpath, launcher != NULL};
	}
}

/* Is `path` a file of a resource `r` depends on, directly or through other dependencies
 * (ADL's checker follows them before failing REQ_30.7.3.9.1.1; the golf samples list each
 * launch page once, in a shared asset)? Breadth first; each resource visited once, so a
 * cycle ends. */
static int in_dependencies(vctx *c, struct res_pass *rp, const xmlNode *r, const char *path)
{
	const xmlNode **queue = NULL;
	size_t nq = 0, capq = 0, head = 0;
	strmap seen = STRMAP_INIT;
	int found = 0;
	const xmlNode *cur = r;
	strmap_add(&seen, res_id(c, r), NULL, NULL);
	for (;;) {
		for (xmlNode *d = mf_first(cur); d; d = mf_next(d)) {
			if (!mf_is(d, c->cp, "dependency"))
				continue;
			const char *ref = mf_attr(c->m, d, NULL, "identifierref");
			if (!ref)
				continue;
			ref = vtrim(c, ref);
			struct res_files *rf = strmap_get(&rp->files, ref);
			if (!rf || strmap_add(&seen, ref, NULL, NULL) != 1)
				continue;
			if (strmap_has(&rf->paths, path)) {
				found = 1;
				goto done;
			}
			const xmlNode **q = grow(c, queue, &capq, nq, sizeof *queue);
			if (!q)
				goto done;
			queue = q;
			queue[nq++] = rf->r;
		}
		if (head == nq)
			break;
		cur = queue[head++];
	}
done:
	c->oom |= seen.oom;
	strmap_free(&seen);
	free(queue);
	return found;
}

static void check_pending(vctx *c, struct res_pass *rp, const struct pending *pe)
{
	if (in_dependencies(c, rp, pe->r, pe->hpath))
		return;
	const char *href = mf_attr(c->m, pe->r, NULL, "href");
	vreport(c, pe->ha, "href-file",
		"resource '%s' href '%s' is not listed in a <file> of the resource or of a resource "
		"it depends on (the inventory must list the launch page)",
		res_id(c, pe->r), href);
	if (!pe->launched)
		check_file_exists(c, pe->ha, pe->hpath, "file-missing", "href");
}

static void walk(vctx *c, const xmlNode *n, struct res_pass *rp)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (mf_is(n, c->cp, "manifest") || mf_is(n, c->cp, "resources"))
			check_base(c, n);
		if (mf_is(n, c->cp, "resource")) {
			check_resource(c, n, rp);
			continue;
		}
		walk(c, n->children, rp);
	}
}

void check_resources(vctx *c)
{
	struct res_pass rp = {STRMAP_INIT, NULL, 0, 0, NULL, 0, 0};
	walk(c, c->root, &rp);
	for (size_t i = 0; i < rp.npend; i++)
		check_pending(c, &rp, &rp.pend[i]);
	for (size_t i = 0; i < rp.nall; i++) {
		c->oom |= rp.all[i]->paths.oom;
		strmap_free(&rp.all[i]->paths);
		free(rp.all[i]);
	}
	c->oom |= rp.files.oom;
	strmap_free(&rp.files);
	free(rp.all);
	free(rp.pend);
}
