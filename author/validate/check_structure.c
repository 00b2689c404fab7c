/* Checks of the manifest's outer structure (scorm-cam.md A and C): the <metadata> with
 * <schema>/<schemaversion>, the counts of <organizations>, <resources> and the sequencing
 * collection, manifest/@version, sub-manifests, xsi:schemaLocation mapping, adlcp:location,
 * and where ADL extension elements and attributes may appear in each edition. */
#include <string.h>
#include <strings.h>

#include "check.h"
#include "utf8.h"

/* An LMS reads the edition (and so which run-time API the content gets) from <schemaversion>:
 * in a 2004 manifest a missing or unknown one is an error (Moodle, for one, then runs the
 * package as SCORM 1.2, where 2004 content finds no API); in 1.2 it changes nothing. */
static void check_metadata(vctx *c)
{
	size_t n;
	xmlNode *md = mf_child(c->root, c->cp, "metadata", &n);
	if (n == 0) {
		if (c->is2004)
			vreport(c, c->root, "schemaversion",
				"the manifest has no <metadata> and so no <schemaversion>: LMSs that "
				"read the edition from it run the package as SCORM 1.2");
		else
			vreport(c, c->root, "metadata",
				"the manifest has no <metadata>: it must hold <schema>ADL SCORM</schema> "
				"and <schemaversion>1.2</schemaversion>");
		return;
	}
	if (n > 1)
		vreport(c, md, "element-count",
			"the manifest has %zu <metadata> elements: exactly one is allowed", n);
	xmlNode *first = mf_first(md), *second = mf_next(first);
	size_t ns, nv;
	xmlNode *schema = mf_child(md, c->cp, "schema", &ns);
	xmlNode *sv = mf_child(md, c->cp, "schemaversion", &nv);
	if (nv == 0 && c->is2004)
		vreport(c, md, "schemaversion",
			"<metadata> has no <schemaversion>: LMSs that read the edition from it run the "
			"package as SCORM 1.2 (write <schemaversion>2004 4th Edition</schemaversion>)");
	else if (ns != 1 || nv != 1 || first != schema || second != sv)
		vreport(c, md, "metadata",
			"the manifest's <metadata> must start with exactly one <schema> followed by "
			"exactly one <schemaversion>");
	if (schema) {
		const char *v = vtrim(c, mf_text(c->m, schema));
		if (strcmp(v, "ADL SCORM") != 0)
			vreport(c, schema, "schema-value", "<schema> is '%s': it must be 'ADL SCORM'", v);
	}
	if (sv) {
		const char *v = vtrim(c, mf_text(c->m, sv));
		static const char *const known[] = {"1.2", "2004 3rd Edition", "2004 4th Edition"};
		int ok = 0;
		for (size_t i = 0; i < PC_ARRAY_LEN(known); i++)
			ok |= strcmp(v, known[i]) == 0;
		if (c->second_edition)
			vreport(c, sv, "edition-2nd",
				"schemaversion 'CAM 1.3' is SCORM 2004 2nd Edition, checked here as 3rd "
				"Edition: declare '2004 3rd Edition' or '2004 4th Edition' if the content "
				"is one of those");
		else if (!ok)
			vreport(c, sv, "schemaversion",
				"schemaversion '%s' is not a SCORM version: use '1.2', '2004 3rd "
				"Edition' or '2004 4th Edition' (checked as %s)",
				v, scorm_version_name(c->v));
	}
}

static void check_counts(vctx *c)
{
	static const char *const parts[] = {"organizations", "resources"};
	for (size_t i = 0; i < PC_ARRAY_LEN(parts); i++) {
		size_t n;
		xmlNode *e = mf_child(c->root, c->cp, parts[i], &n);
		if (n == 0)
			vreport(c, c->root, "manifest-structure", "the manifest has no <%s>", parts[i]);
		else if (n > 1)
			vreport(c, e, "element-count",
				"the manifest has %zu <%s> elements: exactly one is allowed", n, parts[i]);
	}
	size_t n;
	xmlNode *coll = mf_child(c->root, NS_IMSSS, "sequencingCollection", &n);
	if (n > 1)
		vreport(c, coll, "element-count",
			"the manifest has %zu <imsss:sequencingCollection> elements: at most one is "
			"allowed",
			n);
	xmlAttr *ver = mf_attr_node(c->root, NULL, "version");
	if (ver) {
		const char *v = mf_attr(c->m, c->root, NULL, "version");
		size_t len = chars_over(v, 20);
		if (len)
			vreport(c, ver, "version-length", "manifest version is %zu characters: %s", len,
				c->is2004 ? "LMSs need only keep 20" : "SCORM 1.2 allows at most 20");
	}
	for (xmlNode *e = mf_first(c->root); e; e = mf_next(e))
		if (mf_is(e, c->cp, "manifest"))
			vreport(c, e, "submanifest",
				"sub-manifests are allowed but ADL recommends against them: many LMSs "
				"ignore them");
	xmlNode *orgs = mf_child(c->root, c->cp, "organizations", NULL);
	if (orgs && !mf_child(orgs, c->cp, "organization", NULL))
		vreport(c, orgs, "resource-package",
			"<organizations> is empty: this is a resource package, which an LMS cannot "
			"launch");
}

/* ---- xsi:schemaLocation ---- */

static int ignorable_ns(const char *ns)
{
	return strcmp(ns, NS_XML) == 0 || strcmp(ns, NS_XSI) == 0;
}

/* Namespaces in use, by first node using each. A manifest has a handful of xmlNs
 * declarations shared by thousands of nodes: each declaration is looked at once. */
struct ns_seen {
	const xmlNs *ns[32];
	size_t n;
};

static void use_ns(const xmlNs *ns, const void *node, strmap *used, struct ns_seen *seen)
{
	if (!ns || !ns->href)
		return;
	for (size_t i = 0; i < seen->n; i++)
		if (seen->ns[i] == ns)
			return;
	if (seen->n < PC_ARRAY_LEN(seen->ns))
		seen->ns[seen->n++] = ns;
	const char *h = (const char *)ns->href;
	if (!ignorable_ns(h))
		strmap_add(used, h, (void *)node, NULL);
}

/* Keeps an xsi:schemaLocation attribute for check_schema_location and check_files. */
static void keep_location(vctx *c, xmlAttr *a)
{
	if (c->nsl == c->capsl) {
		size_t cap = c->capsl ? c->capsl * 2 : 8;
		xmlAttr **p = realloc(c->sl, cap * sizeof *p);
		if (!p) {
			c->oom = 1;
			return;
		}
		c->sl = p;
		c->capsl = cap;
	}
	c->sl[c->nsl++] = a;
}

/* One walk: the namespaces in use, and every xsi:schemaLocation (ADL's parser collects them
 * from every element, not only the root: a LOM block may map its own namespace). */
static void collect_used_ns(vctx *c, const xmlNode *n, strmap *used, struct ns_seen *seen)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		use_ns(n->ns, n, used, seen);
		for (xmlAttr *a = n->properties; a; a = a->next) {
			use_ns(a->ns, a, used, seen);
			if (a->ns && a->ns->href && strcmp((const char *)a->name, "schemaLocation") == 0 &&
			    strcmp((const char *)a->ns->href, NS_XSI) == 0)
				keep_location(c, a);
		}
		collect_used_ns(c, n->children, used, seen);
	}
}

static void check_schema_location(vctx *c)
{
	strmap mapped = STRMAP_INIT, used = STRMAP_INIT;
	struct ns_seen seen = {{0}, 0};
	collect_used_ns(c, c->root, &used, &seen);
	if (c->nsl == 0) {
		vreport(c, c->root, "schemalocation",
			"the manifest has no xsi:schemaLocation: every namespace it uses must be mapped "
			"to a schema file shipped at the package root");
		goto cleanup;
	}
	for (size_t i = 0; i < c->nsl; i++) {
		xmlAttr *sl = c->sl[i];
		char *copy = strdup(mf_attr(c->m, sl->parent, NS_XSI, "schemaLocation"));
		if (!vkeep(c, copy))
			goto cleanup;
		const char *tok[2];
		size_t k = 0;
		for (char *save = NULL, *t = strtok_r(copy, " \t\r\n", &save); t;
		     t = strtok_r(NULL, " \t\r\n", &save)) {
			tok[k++] = t;
			if (k < 2)
				continue;
			k = 0;
			strmap_add(&mapped, tok[0], (void *)tok[1], NULL);
			const char *loc = tok[1];
			if (!strstr(loc, "://") &&
			    (strncmp(loc, "../", 3) == 0 || strstr(loc, "/../") || loc[0] == '/'))
				vreport(c, sl, "schemalocation",
					"schema location '%s' points outside the package", loc);
		}
		if (k)
			vreport(c, sl, "schemalocation",
				"xsi:schemaLocation must hold namespace/location pairs: '%s' has no "
				"location",
				tok[0]);
	}
	for (size_t i = 0; i < used.cap; i++) {
		if (!used.keys[i] || strmap_has(&mapped, used.keys[i]))
			continue;
		vreport(c, used.vals[i], "schemalocation",
			"namespace '%s' is used but not mapped in an xsi:schemaLocation",
			used.keys[i]);
	}
cleanup:
	strmap_free(&mapped);
	strmap_free(&used);
}

/* ---- adlcp:location (metadata in a separate file) ---- */

static void check_locations(vctx *c, const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (mf_is(n, c->adlcp, "location")) {
			if (!mf_is(n->parent, mf_ns(n->parent), "metadata") || !mf_ns(n->parent) ||
			    strcmp(mf_ns(n->parent), c->cp) != 0) {
				vreport(c, n, "location",
					"adlcp:location may only appear inside a <metadata>");
			}
			const char *href = vtrim(c, mf_text(c->m, n)), *path;
			if (chars_over(href, 2000))
				vreport(c, n, "href-length",
					"adlcp:location is over the 2000 characters LMSs must support");
			if (resolve_href(c, n, n, "metadata location", href, &path, 1))
				check_file_exists(c, n, path, "file-missing", "metadata file");
		}
		check_locations(c, n->children);
	}
}

/* ---- ADL extensions: where each may appear ---- */

struct ext_rule {
	const char *ns, *name; /* the extension */
	const char *parent;    /* local name of the CP element it belongs on; NULL: nowhere */
	unsigned versions;     /* bit (1 << scorm_version) for each edition that has it */
};

#define V12 (1u << SCORM_12)
#define V3 (1u << SCORM_2004_3RD)
#define V4 (1u << SCORM_2004_4TH)

static const struct ext_rule ext_attrs[] = {
	{NS_ADLCP12, "scormtype", "resource", V12},
	{NS_ADLCP13, "scormType", "resource", V3 | V4},
	{NS_ADLSEQ, "objectivesGlobalToSystem", "organization", V3 | V4},
	{NS_ADLCP13, "sharedDataGlobalToSystem", "organization", V4},
};

static const struct ext_rule ext_elems[] = {
	{NS_ADLCP12, "prerequisites", "item", V12},
	{NS_ADLCP12, "maxtimeallowed", "item", V12},
	{NS_ADLCP12, "timelimitaction", "item", V12},
	{NS_ADLCP12, "datafromlms", "item", V12},
	{NS_ADLCP12, "masteryscore", "item", V12},
	{NS_ADLCP12, "location", "metadata", V12},
	{NS_ADLCP13, "timeLimitAction", "item", V3 | V4},
	{NS_ADLCP13, "dataFromLMS", "item", V3 | V4},
	{NS_ADLCP13, "completionThreshold", "item", V3 | V4},
	{NS_ADLCP13, "data", "item", V4},
	{NS_ADLCP13, "location", "metadata", V3 | V4},
	{NS_ADLNAV, "presentation", "item", V3 | V4},
	{NS_IMSSS, "sequencing", "item", V3 | V4},
	{NS_IMSSS, "sequencing", "organization", V3 | V4},
	{NS_IMSSS, "sequencingCollection", "manifest", V3 | V4},
};

/* Namespaces whose elements belong to one family of editions only. */
static const struct {
	const char *ns;
	unsigned versions;
} ns_versions[] = {
	{NS_ADLCP12, V12}, {NS_ADLCP13, V3 | V4}, {NS_IMSSS, V3 | V4},
	{NS_ADLSEQ, V3 | V4}, {NS_ADLNAV, V3 | V4},
};

static unsigned ns_editions(const char *ns);

/* ns_editions by xmlNs pointer: the few declarations are compared by string once each. */
struct fam_cache {
	const xmlNs *ns[32];
	unsigned fam[32];
	size_t n;
};

static unsigned ns_fam(struct fam_cache *fc, const xmlNs *ns)
{
	if (!ns)
		return 0;
	for (size_t i = 0; i < fc->n; i++)
		if (fc->ns[i] == ns)
			return fc->fam[i];
	unsigned f = ns_editions((const char *)ns->href);
	if (fc->n < PC_ARRAY_LEN(fc->ns)) {
		fc->ns[fc->n] = ns;
		fc->fam[fc->n++] = f;
	}
	return f;
}

static unsigned ns_editions(const char *ns)
{
	for (size_t i = 0; ns && i < PC_ARRAY_LEN(ns_versions); i++)
		if (strcmp(ns, ns_versions[i].ns) == 0)
			return ns_versions[i].versions;
	return 0;
}

static const char *family(unsigned versions)
{
	return versions & V12 ? "SCORM 1.2" : "SCORM 2004";
}

static void check_attr_placement(vctx *c, const xmlNode *n, struct fam_cache *fc)
{
	unsigned me = 1u << c->v;
	for (xmlAttr *a = n->properties; a; a = a->next) {
		unsigned fam = ns_fam(fc, a->ns);
		if (!fam)
			continue;
		const char *ns = (const char *)a->ns->href;
		if (strcasecmp((const char *)a->name, "scormtype") == 0 && mf_is(n, c->cp, "resource") &&
		    !mf_attr_node(n, c->adlcp, c->is2004 ? "scormType" : "scormtype"))
			continue; /* a misspelt SCORM type: check_resources says exactly that */
		if (!(fam & me)) {
			vreport(c, a, "wrong-version",
				"attribute '%s' is in the %s namespace '%s', but this is a %s manifest",
				(const char *)a->name, family(fam), ns, scorm_version_name(c->v));
			continue;
		}
		if (strcmp(ns, NS_ADLCP13) == 0 && strcmp((const char *)a->name, "persistState") == 0) {
			vreport(c, a, "placement",
				"adlcp:persistState was removed in SCORM 2004 4th Edition");
			continue;
		}
		const struct ext_rule *r = NULL;
		for (size_t i = 0; i < PC_ARRAY_LEN(ext_attrs); i++)
			if (strcmp(ext_attrs[i].ns, ns) == 0 &&
			    strcmp(ext_attrs[i].name, (const char *)a->name) == 0)
				r = &ext_attrs[i];
		if (!r) {
			/* a near miss in spelling is the common mistake: say which one */
			const char *hint = strcasecmp((const char *)a->name, "scormtype") == 0
						   ? (c->is2004 ? " (SCORM 2004 spells it adlcp:scormType)"
								: " (SCORM 1.2 spells it adlcp:scormtype)")
						   : "";
			vreport(c, a, "placement", "unknown attribute '%s' in '%s'%s",
				(const char *)a->name, ns, hint);
		} else if (!(r->versions & me)) {
			vreport(c, a, "placement", "attribute '%s' does not exist in %s",
				r->name, scorm_version_name(c->v));
		} else if (!mf_is(n, c->cp, r->parent)) {
			vreport(c, a, "placement",
				"attribute '%s' is only allowed on <%s>, not on <%s>", r->name, r->parent,
				(const char *)n->name);
		}
	}
}

static void check_placement(vctx *c, const xmlNode *n, struct fam_cache *fc)
{
	unsigned me = 1u << c->v;
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (n->properties)
			check_attr_placement(c, n, fc);
		const char *ns = mf_ns(n);
		unsigned fam = ns_fam(fc, n->ns);
		const char *pns = n->parent ? mf_ns(n->parent) : NULL;
		int under_cp = pns && strcmp(pns, c->cp) == 0;
		if (fam && !(fam & me)) {
			vreport(c, n, "wrong-version",
				"<%s> is in the %s namespace '%s', but this is a %s manifest",
				(const char *)n->name, family(fam), ns, scorm_version_name(c->v));
			continue; /* its children would only repeat this */
		}
		if (fam && under_cp) {
			/* an extension may have several rows (several allowed parents) */
			const struct ext_rule *r = NULL;
			for (size_t i = 0; i < PC_ARRAY_LEN(ext_elems); i++)
				if (strcmp(ext_elems[i].ns, ns) == 0 &&
				    strcmp(ext_elems[i].name, (const char *)n->name) == 0 &&
				    (!r || strcmp((const char *)n->parent->name, ext_elems[i].parent) == 0))
					r = &ext_elems[i];
			if (r && !(r->versions & me))
				vreport(c, n, "placement", "<%s> does not exist in %s",
					r->name, scorm_version_name(c->v));
			else if (r && strcmp((const char *)n->parent->name, r->parent) != 0)
				vreport(c, n, "placement",
					"<%s> is only allowed in <%s>, not in <%s>", r->name, r->parent,
					(const char *)n->parent->name);
		}
		check_placement(c, n->children, fc);
	}
}

void check_structure(vctx *c)
{
	check_metadata(c);
	check_counts(c);
	check_schema_location(c);
	check_locations(c, c->root);
	struct fam_cache fc = {{0}, {0}, 0};
	check_placement(c, c->root, &fc);
}
