/* Identifier and reference checks (scorm-cam.md B): identifiers present, NCNames, unique
 * across the whole document (one ID space, sequencing IDs included); organizations/@default;
 * identifierref on leaf and only leaf items, pointing at a resource; dependencies; parameters;
 * resources nobody uses. The XSD types some of these as ID/IDREF, but libxml2 does not check
 * IDREF targets and identifierref is a plain string, so the code does. */
#include <ctype.h>
#include <string.h>

#include "check.h"

/* Elements whose identifier is an xs:ID in every edition. */
static const char *const id_owners[] = {"manifest", "organization", "item", "resource"};

/* Which kind of thing an identifier names: two of one kind sharing it make references
 * ambiguous (an error); different kinds sharing it (an item and the resource it launches, as
 * some tools write them) break only the XSD's single ID space. Organizations and items are
 * both activities to the sequencer. */
static int id_kind(const xmlNode *n)
{
	const char *name = (const char *)n->name;
	if (strcmp(name, "organization") == 0 || strcmp(name, "item") == 0)
		return 1;
	if (strcmp(name, "resource") == 0)
		return 2;
	if (strcmp(name, "manifest") == 0)
		return 3;
	return 4; /* imsss:sequencing */
}

static void add_id(vctx *c, const xmlNode *n, const char *attr_name, int required)
{
	xmlAttr *a = mf_attr_node(n, NULL, attr_name);
	if (!a) {
		if (required)
			vreport(c, n, "identifier", "<%s> has no %s", (const char *)n->name,
				attr_name);
		return;
	}
	const char *id = vtrim(c, mf_attr(c->m, n, NULL, attr_name));
	if (!*id) {
		vreport(c, a, "identifier", "<%s> has an empty %s", (const char *)n->name, attr_name);
		return;
	}
	if (!is_ncname(id))
		vreport(c, a, "identifier-syntax",
			"<%s> %s '%s' is not a valid XML ID: it must start with a letter or '_' and "
			"hold only letters, digits, '.', '-' and '_' (LMSs accept it)",
			(const char *)n->name, attr_name, id);
	void *old = NULL;
	int added = strmap_add(&c->ids, id, (void *)n, &old);
	if (added == 0) {
		unsigned line, col;
		const xmlNode *o = old;
		manifest_locate(c->m, o, &line, &col);
		if (id_kind(o) == id_kind(n))
			vreport(c, a, "identifier-duplicate",
				"identifier '%s' is already used by the <%s> on line %u: identifiers "
				"must be unique in the whole manifest",
				id, (const char *)o->name, line);
		else
			vreport(c, a, "identifier-shared",
				"identifier '%s' is also the identifier of the <%s> on line %u: the "
				"manifest has one identifier space (LMSs accept it)",
				id, (const char *)o->name, line);
	}
}

/* Walks every element: registers identifiers and indexes resources and sub-manifests. */
static void collect(vctx *c, const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *ns = mf_ns(n);
		if (ns && strcmp(ns, c->cp) == 0) {
			for (size_t i = 0; i < PC_ARRAY_LEN(id_owners); i++)
				if (strcmp((const char *)n->name, id_owners[i]) == 0)
					add_id(c, n, "identifier", 1);
			const char *id = mf_attr(c->m, n, NULL, "identifier");
			if (id && mf_is(n, c->cp, "resource"))
				strmap_add(&c->resources, vtrim(c, id), (void *)n, NULL);
			if (id && mf_is(n, c->cp, "manifest") && n != c->root)
				strmap_add(&c->submanifests, vtrim(c, id), (void *)n, NULL);
		} else if (mf_is(n, NS_IMSSS, "sequencing")) {
			add_id(c, n, "ID", 0);
			const char *id = mf_attr(c->m, n, NULL, "ID");
			if (id && mf_is(n->parent, NS_IMSSS, "sequencingCollection"))
				strmap_add(&c->seq_ids, vtrim(c, id), (void *)n, NULL);
		}
		collect(c, n->children);
	}
}

static void check_default(vctx *c)
{
	xmlNode *orgs = mf_child(c->root, c->cp, "organizations", NULL);
	if (!orgs)
		return;
	xmlAttr *d = mf_attr_node(orgs, NULL, "default");
	int any = mf_child(orgs, c->cp, "organization", NULL) != NULL;
	if (!d) {
		if (c->is2004 && any)
			vreport(c, orgs, "default-organization",
				"<organizations> has no default attribute: SCORM 2004 requires it to name "
				"the default <organization>");
		return;
	}
	const char *def = vtrim(c, mf_attr(c->m, orgs, NULL, "default"));
	for (xmlNode *o = mf_first(orgs); o; o = mf_next(o))
		if (mf_is(o, c->cp, "organization")) {
			const char *id = mf_attr(c->m, o, NULL, "identifier");
			if (id && strcmp(vtrim(c, id), def) == 0)
				return;
		}
	vreport(c, d, "default-organization",
		"default organization '%s' is not the identifier of any <organization>", def);
}

/* ADL's parameter syntax: "#frag", "?n=v&n2=v2", or "n=v&..." (optionally then "#frag"). */
static int param_char(unsigned char ch)
{
	return isalnum(ch) || strchr("-_.!*'()", ch);
}

static int valid_parameters(const char *s)
{
	if (*s == '#') {
		for (s++; *s; s++)
			if (!param_char((unsigned char)*s) && *s != '%' && *s != '=' && *s != '&' &&
			    *s != '/' && *s != '?' && *s != ':')
				return 0;
		return 1;
	}
	if (*s == '?')
		s++;
	while (*s && *s != '#') {
		/* name */
		size_t n = 0;
		for (; *s && *s != '=' && *s != '&' && *s != '#'; s++, n++) {
			if (*s == '%') {
				if (!isxdigit((unsigned char)s[1]) || !isxdigit((unsigned char)s[2]))
					return 0;
				s += 2;
			} else if (!param_char((unsigned char)*s)) {
				return 0;
			}
		}
		if (!n || *s != '=')
			return 0;
		for (s++; *s && *s != '&' && *s != '#'; s++) {
			if (*s == '%') {
				if (!isxdigit((unsigned char)s[1]) || !isxdigit((unsigned char)s[2]))
					return 0;
				s += 2;
			} else if (!param_char((unsigned char)*s)) {
				return 0;
			}
		}
		if (*s == '&')
			s++;
	}
	return *s ? valid_parameters(s) : 1;
}

static void check_item_refs(vctx *c, const xmlNode *item)
{
	const char *iid = mf_attr(c->m, item, NULL, "identifier");
	iid = iid ? vtrim(c, iid) : "?";
	xmlAttr *ref = mf_attr_node(item, NULL, "identifierref");
	int leaf = item_is_leaf(c, item);
	if (!ref) {
		if (leaf)
			vreport(c, item, "leaf-item",
				"item '%s' has no child items and no identifierref: it launches nothing",
				iid);
	} else if (!leaf) {
		vreport(c, ref, "parent-item-launch",
			"item '%s' has child items and an identifierref: only leaf items may launch "
			"a resource",
			iid);
	}
	if (ref) {
		const char *r = vtrim(c, mf_attr(c->m, item, NULL, "identifierref"));
		xmlNode *res = strmap_get(&c->resources, r);
		if (res) {
			strmap_add(&c->referenced, r, res, NULL);
			strmap_add(&c->launched, r, (void *)item, NULL);
		} else if (!strmap_has(&c->submanifests, r)) {
			vreport(c, ref, "identifierref",
				"item '%s' has identifierref '%s' but no resource has that identifier",
				iid, r);
		}
	}
	xmlAttr *par = mf_attr_node(item, NULL, "parameters");
	if (par) {
		const char *p = mf_attr(c->m, item, NULL, "parameters");
		if (!ref)
			vreport(c, par, "parameters-ignored",
				"item '%s' has parameters but no identifierref: they are ignored", iid);
		if (*p && !valid_parameters(p))
			vreport(c, par, "parameters",
				"parameters '%s' are not '#fragment', '?name=value&...' or "
				"'name=value&...' (letters, digits, -_.!*'() and %%HH)",
				p);
	}
	for (xmlNode *ch = mf_first(item); ch; ch = mf_next(ch))
		if (mf_is(ch, c->cp, "item"))
			check_item_refs(c, ch);
}

/* Dependencies live in resources: walks manifest > resources > resource > dependency (and
 * sub-manifests), not the whole tree. */
static void check_dependencies(vctx *c, const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || !mf_ns(n) || strcmp(mf_ns(n), c->cp) != 0)
			continue;
		if (mf_is(n, c->cp, "dependency")) {
			xmlAttr *a = mf_attr_node(n, NULL, "identifierref");
			const char *owner = mf_attr(c->m, n->parent, NULL, "identifier");
			if (!a) {
				vreport(c, n, "dependency", "<dependency> has no identifierref");
			} else {
				const char *r = vtrim(c, mf_attr(c->m, n, NULL, "identifierref"));
				xmlNode *res = strmap_get(&c->resources, r);
				if (res)
					strmap_add(&c->referenced, r, res, NULL);
				else
					vreport(c, a, "dependency",
						"resource '%s' depends on '%s' but no resource has that "
						"identifier",
						owner ? owner : "?", r);
			}
			if (mf_first(n))
				vreport(c, mf_first(n), "dependency-content",
					"<dependency> must be empty");
			continue;
		}
		if (mf_is(n, c->cp, "manifest") || mf_is(n, c->cp, "resources") ||
		    mf_is(n, c->cp, "resource"))
			check_dependencies(c, n->children);
	}
}

static void check_unused(vctx *c)
{
	xmlNode *rs = mf_child(c->root, c->cp, "resources", NULL);
	for (xmlNode *r = mf_first(rs); r; r = mf_next(r)) {
		if (!mf_is(r, c->cp, "resource"))
			continue;
		const char *id = mf_attr(c->m, r, NULL, "identifier");
		if (id && !strmap_has(&c->referenced, vtrim(c, id)))
			vreport(c, r, "unused-resource",
				"resource '%s' is not used by any item or dependency", vtrim(c, id));
	}
}

void check_ids(vctx *c)
{
	collect(c, c->root);
	check_default(c);
	xmlNode *orgs = mf_child(c->root, c->cp, "organizations", NULL);
	for (xmlNode *o = mf_first(orgs); o; o = mf_next(o))
		if (mf_is(o, c->cp, "organization"))
			for (xmlNode *i = mf_first(o); i; i = mf_next(i))
				if (mf_is(i, c->cp, "item"))
					check_item_refs(c, i);
	check_dependencies(c, c->root);
	/* a resource package has no items: its resources are not "unused" */
	if (orgs && mf_child(orgs, c->cp, "organization", NULL))
		check_unused(c);
}
