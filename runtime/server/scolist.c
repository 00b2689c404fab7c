/* Reads the player's view of imsmanifest.xml (see scolist.h). The package was validated on
 * import, so this reader is lenient: it matches elements by local name, takes the default
 * organization (or the first), and skips what it does not understand. */
#include "scolist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "manifest.h"

/* Manifest bytes we are willing to parse here: the validator caps manifests on import too. */
#define SCOLIST_MAX_MANIFEST ((size_t)16 << 20)
/* Items we list: a course of a thousand SCOs is already far past anything a person navigates. */
#define SCOLIST_MAX_ITEMS 4096
/* Shared data maps per item: adl.data keeps 256 rows (cmi_table.c), so more cannot be seeded. */
#define SCOLIST_MAX_MAPS 256

static int is(const xmlNode *n, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *local)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is(c, local))
			return c;
	return NULL;
}

/* Attribute by local name in any namespace (adlcp:scormtype, xml:base, ...). Caller frees. */
static char *attr(const xmlNode *n, const char *local)
{
	for (const xmlAttr *a = n ? n->properties : NULL; a; a = a->next)
		if (strcmp((const char *)a->name, local) == 0) {
			xmlChar *v = xmlNodeGetContent((const xmlNode *)a);
			char *s = v ? strdup((const char *)v) : NULL;
			xmlFree(v);
			return s;
		}
	return NULL;
}

/* The trimmed text of an element. Caller frees; NULL when absent or empty. */
static char *text(const xmlNode *n)
{
	if (!n)
		return NULL;
	xmlChar *v = xmlNodeGetContent(n);
	if (!v)
		return NULL;
	const char *s = (const char *)v;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	char *out = len ? strndup(s, len) : NULL;
	xmlFree(v);
	return out;
}

static char *concat3(const char *a, const char *b, const char *c)
{
	size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0, lc = c ? strlen(c) : 0;
	char *s = malloc(la + lb + lc + 1);
	if (!s)
		return NULL;
	memcpy(s, a ? a : "", la);
	memcpy(s + la, b ? b : "", lb);
	memcpy(s + la + lb, c ? c : "", lc);
	s[la + lb + lc] = '\0';
	return s;
}

/* Appends item parameters to an href as the CAM says: "#frag" as is, otherwise joined with '?'
 * or '&' (a leading '?' or '&' on the parameters is dropped). */
static char *with_parameters(const char *href, const char *params)
{
	if (!params || !*params)
		return strdup(href);
	if (params[0] == '#')
		return concat3(href, params, NULL);
	while (*params == '?' || *params == '&')
		params++;
	return concat3(href, strchr(href, '?') ? "&" : "?", params);
}

struct parse {
	sco_list *list;
	const xmlNode *resources;
	char *base; /* manifest xml:base + resources xml:base */
	size_t cap;
	int err;
};

static const xmlNode *find_resource(struct parse *p, const char *id)
{
	for (const xmlNode *r = p->resources ? p->resources->children : NULL; r; r = r->next) {
		if (!is(r, "resource"))
			continue;
		char *rid = attr(r, "identifier");
		int match = rid && strcmp(rid, id) == 0;
		free(rid);
		if (match)
			return r;
	}
	return NULL;
}

/* An xs:boolean attribute ("true"/"1", "false"/"0", surrounding spaces allowed); `dflt` when
 * absent or not a boolean. */
static int xsd_bool(const char *v, int dflt)
{
	if (!v)
		return dflt;
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	size_t n = strcspn(v, " \t\r\n");
	if ((n == 4 && !memcmp(v, "true", 4)) || (n == 1 && v[0] == '1'))
		return 1;
	if ((n == 5 && !memcmp(v, "false", 5)) || (n == 1 && v[0] == '0'))
		return 0;
	return dflt;
}

/* The controlMode of an organization or cluster: choice defaults to true, flow to false (IMS SS). */
static void control_mode(const xmlNode *parent, scorm_version v, int *choice, int *flow)
{
	*choice = 1;
	*flow = v == SCORM_12 ? 1 : 0;
	const xmlNode *cm = child(child(parent, "sequencing"), "controlMode");
	if (!cm)
		return;
	char *c = attr(cm, "choice"), *f = attr(cm, "flow");
	if (c)
		*choice = strcmp(c, "true") == 0 || strcmp(c, "1") == 0;
	if (f)
		*flow = strcmp(f, "true") == 0 || strcmp(f, "1") == 0;
	free(c);
	free(f);
}

/* Sequencing we do not run: anything in imsss:sequencing besides controlMode, objectives and
 * deliveryControls, or a sequencingCollection reference. */
static void note_sequencing(struct parse *p, const xmlNode *n)
{
	const xmlNode *seq = child(n, "sequencing");
	if (!seq)
		return;
	char *idref = attr(seq, "IDRef");
	if (idref)
		p->list->unsupported_sequencing = 1;
	free(idref);
	for (const xmlNode *c = seq->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !is(c, "controlMode") && !is(c, "objectives") &&
		    !is(c, "deliveryControls"))
			p->list->unsupported_sequencing = 1;
}

static int add_item(struct parse *p, const xmlNode *it, int depth, int choice, int flow)
{
	sco_list *l = p->list;
	if (l->count >= SCOLIST_MAX_ITEMS)
		return PC_ELIMIT;
	if (l->count == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		sco_item *items = realloc(l->items, cap * sizeof *items);
		if (!items)
			return PC_ENOMEM;
		l->items = items;
		p->cap = cap;
	}
	sco_item *s = &l->items[l->count++];
	memset(s, 0, sizeof *s);
	s->depth = depth;
	s->choice = choice;
	s->flow = flow;
	s->id = attr(it, "identifier");
	if (!s->id)
		s->id = strdup("");
	s->title = text(child(it, "title"));
	if (!s->title)
		s->title = strdup(s->id ? s->id : "");
	if (!s->id || !s->title)
		return PC_ENOMEM;
	char *ref = attr(it, "identifierref");
	const xmlNode *res = ref ? find_resource(p, ref) : NULL;
	free(ref);
	if (res) {
		char *href = attr(res, "href"), *rbase = attr(res, "base");
		char *type = attr(res, "scormtype");
		if (!type)
			type = attr(res, "scormType");
		s->is_sco = type && strcmp(type, "sco") == 0;
		free(type);
		if (href) {
			char *full = concat3(p->base, rbase, href);
			char *params = attr(it, "parameters");
			s->href = full ? with_parameters(full, params) : NULL;
			free(full);
			free(params);
			if (!s->href) {
				free(href);
				free(rbase);
				return PC_ENOMEM;
			}
			l->launchable++;
		}
		free(href);
		free(rbase);
	}
	s->launch_data = text(child(it, "datafromlms"));
	if (!s->launch_data)
		s->launch_data = text(child(it, "dataFromLMS"));
	s->mastery_score = text(child(it, "masteryscore"));
	s->max_time_allowed = text(child(it, "maxtimeallowed"));
	/* 2004: the attempt's duration limit is the SCO's cmi.max_time_allowed (RTE 4.2.13). */
	if (!s->max_time_allowed && l->version != SCORM_12)
		s->max_time_allowed = attr(child(child(it, "sequencing"), "limitConditions"),
					   "attemptAbsoluteDurationLimit");
	s->time_limit_action = text(child(it, "timelimitaction"));
	if (!s->time_limit_action)
		s->time_limit_action = text(child(it, "timeLimitAction"));
	const xmlNode *ct = child(it, "completionThreshold");
	if (ct) {
		/* 4th Edition: attributes, used only with completedByMeasure="true"; 3rd: the text. */
		char *by = attr(ct, "completedByMeasure"), *minp = attr(ct, "minProgressMeasure");
		if (by || minp) {
			if (by && strcmp(by, "true") == 0)
				s->completion_threshold = minp ? minp : strdup("1.0");
			else
				free(minp);
		} else {
			s->completion_threshold = text(ct);
		}
		free(by);
	}
	const xmlNode *objs = child(child(it, "sequencing"), "objectives");
	for (const xmlNode *o = objs ? objs->children : NULL; o; o = o->next) {
		if (!is(o, "primaryObjective") && !is(o, "objective"))
			continue;
		char *oid = attr(o, "objectiveID");
		if (!oid)
			continue;
		char **grown = realloc(s->objectives, (s->nobjectives + 1) * sizeof *grown);
		if (!grown) {
			free(oid);
			return PC_ENOMEM;
		}
		s->objectives = grown;
		s->objectives[s->nobjectives++] = oid;
	}
	/* 4th Edition shared data: only SCO items have a run-time to share it with. */
	const xmlNode *data = l->version == SCORM_2004_4TH && s->is_sco ? child(it, "data") : NULL;
	for (const xmlNode *m = data ? data->children : NULL; m; m = m->next) {
		if (!is(m, "map") || s->nmaps >= SCOLIST_MAX_MAPS)
			continue;
		char *tid = attr(m, "targetID");
		if (!tid || !*tid) {
			free(tid);
			continue; /* the validator refuses a blank targetID; nothing to share here */
		}
		sco_shared_map *grown = realloc(s->maps, (s->nmaps + 1) * sizeof *grown);
		if (!grown) {
			free(tid);
			return PC_ENOMEM;
		}
		s->maps = grown;
		char *r = attr(m, "readSharedData"), *w = attr(m, "writeSharedData");
		s->maps[s->nmaps++] = (sco_shared_map){tid, xsd_bool(r, 1), xsd_bool(w, 1)};
		free(r);
		free(w);
	}
	const xmlNode *prim = child(objs, "primaryObjective");
	if (prim) {
		char *sbm = attr(prim, "satisfiedByMeasure");
		if (sbm && strcmp(sbm, "true") == 0)
			s->scaled_passing_score = text(child(prim, "minNormalizedMeasure"));
		free(sbm);
	}
	return 0;
}

static int walk(struct parse *p, const xmlNode *parent, int depth)
{
	int choice, flow;
	control_mode(parent, p->list->version, &choice, &flow);
	note_sequencing(p, parent);
	for (const xmlNode *c = parent->children; c; c = c->next) {
		if (!is(c, "item"))
			continue;
		int rc = add_item(p, c, depth, choice, flow);
		if (rc)
			return rc;
		if (depth < 64 && (rc = walk(p, c, depth + 1)))
			return rc;
	}
	return 0;
}

/* The edition as the validator reads it (mf_edition), so `validate`, `import` and the
 * catalogue name the same one; a manifest outside the SCORM namespaces (never imported, but
 * read leniently) falls back to <schemaversion> and the ADL namespaces declared. */
static scorm_version detect_version(const xmlNode *root, int *second)
{
	mf_edition_info ed;
	mf_edition(root, &ed);
	*second = ed.second;
	if (ed.version != SCORM_UNKNOWN)
		return ed.version;
	char *sv = text(child(child(root, "metadata"), "schemaversion"));
	scorm_version v = SCORM_UNKNOWN;
	if (sv) {
		if (strstr(sv, "1.2"))
			v = SCORM_12;
		else if (strstr(sv, "3rd"))
			v = SCORM_2004_3RD;
		else if (strstr(sv, "2004"))
			v = SCORM_2004_4TH;
		free(sv);
	}
	if (v != SCORM_UNKNOWN)
		return v;
	for (const xmlNs *ns = root->nsDef; ns; ns = ns->next) {
		const char *href = (const char *)ns->href;
		if (href && strstr(href, "adlcp_rootv1p2"))
			return SCORM_12;
		if (href && strstr(href, "adlcp_v1p3"))
			v = SCORM_2004_4TH;
	}
	return v;
}

const char *sco_list_edition(const sco_list *l)
{
	return mf_edition_name(l->version, l->second_edition);
}

int sco_list_parse(sco_list **out, const char *xml, size_t len)
{
	*out = NULL;
	if (len > SCOLIST_MAX_MANIFEST || len > (size_t)INT32_MAX)
		return PC_ELIMIT;
	int rc = PC_EFORMAT;
	struct parse p = {0};
	xmlDoc *doc = xmlReadMemory(xml, (int)len, "imsmanifest.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	sco_list *l = calloc(1, sizeof *l);
	if (!l) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	p.list = l;
	const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!is(root, "manifest"))
		goto cleanup;
	l->manifest_id = attr(root, "identifier");
	l->version_attr = attr(root, "version");
	l->version = detect_version(root, &l->second_edition);
	if (l->version == SCORM_UNKNOWN)
		l->version = SCORM_12;
	const xmlNode *orgs = child(root, "organizations");
	char *def = attr(orgs, "default");
	const xmlNode *org = NULL;
	for (const xmlNode *c = orgs ? orgs->children : NULL; c; c = c->next) {
		if (!is(c, "organization"))
			continue;
		char *id = attr(c, "identifier");
		if (!org || (def && id && strcmp(def, id) == 0))
			org = c;
		free(id);
	}
	free(def);
	if (!org || !l->manifest_id)
		goto cleanup;
	char *sdg = attr(org, "sharedDataGlobalToSystem");
	l->shared_data_global = xsd_bool(sdg, 1);
	free(sdg);
	l->title = text(child(org, "title"));
	if (!l->title && !(l->title = strdup(l->manifest_id))) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	p.resources = child(root, "resources");
	char *mbase = attr(root, "base"), *rbase = attr(p.resources, "base");
	p.base = concat3(mbase, rbase, NULL);
	free(mbase);
	free(rbase);
	if (!p.base) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	rc = walk(&p, org, 0);
	if (rc == 0 && l->launchable == 0)
		rc = PC_EFORMAT;
cleanup:
	free(p.base);
	xmlFreeDoc(doc);
	if (rc == 0)
		*out = l;
	else
		sco_list_free(l);
	return rc;
}

void sco_list_free(sco_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++) {
		sco_item *s = &l->items[i];
		free(s->id);
		free(s->title);
		free(s->href);
		free(s->launch_data);
		free(s->mastery_score);
		free(s->max_time_allowed);
		free(s->time_limit_action);
		free(s->completion_threshold);
		free(s->scaled_passing_score);
		for (size_t k = 0; k < s->nobjectives; k++)
			free(s->objectives[k]);
		free(s->objectives);
		for (size_t k = 0; k < s->nmaps; k++)
			free(s->maps[k].target_id);
		free(s->maps);
	}
	free(l->items);
	free(l->manifest_id);
	free(l->version_attr);
	free(l->title);
	free(l);
}

const sco_item *sco_list_find(const sco_list *l, const char *id)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].id, id) == 0)
			return &l->items[i];
	return NULL;
}

long sco_list_first(const sco_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i].href)
			return (long)i;
	return -1;
}

long sco_list_step(const sco_list *l, size_t i, int dir)
{
	for (long j = (long)i + dir; j >= 0 && (size_t)j < l->count; j += dir)
		if (l->items[j].href)
			return j;
	return -1;
}
