/* SCORM 2004 sequencing checks (scorm-cam.md G): ID only inside the sequencing collection and
 * IDRef only outside it, pointing at a collection ID; at most one of each child; objective IDs
 * present and unique per activity; referencedObjective naming an objective of the activity;
 * mapInfo reading each field at most once per objective and writing each field of a global
 * objective at most once per activity; rule actions the root activity cannot take. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static const char *const seq_children[] = {
	"controlMode",  "sequencingRules", "limitConditions", "auxiliaryResources", "rollupRules",
	"objectives",   "randomizationControls", "deliveryControls",
};
static const char *const adlseq_children[] = {"constrainedChoiceConsiderations",
					      "rollupConsiderations", "objectives"};

/* mapInfo fields: IMS SS on imsss:mapInfo, ADL's 4th-edition extension on adlseq:mapInfo.
 * Reads default to true, writes to false (IMS SS 1.0, SCORM 2004 4th Ed SN). */
struct field {
	const char *name, *read, *write;
};
static const struct field imsss_fields[] = {
	{"SatisfiedStatus", "readSatisfiedStatus", "writeSatisfiedStatus"},
	{"NormalizedMeasure", "readNormalizedMeasure", "writeNormalizedMeasure"},
};
static const struct field adlseq_fields[] = {
	{"RawScore", "readRawScore", "writeRawScore"},
	{"MinScore", "readMinScore", "writeMinScore"},
	{"MaxScore", "readMaxScore", "writeMaxScore"},
	{"CompletionStatus", "readCompletionStatus", "writeCompletionStatus"},
	{"ProgressMeasure", "readProgressMeasure", "writeProgressMeasure"},
};

/* Post-condition actions that need a parent or siblings, which the root activity (the
 * organization) does not have. */
static const char *const root_forbidden[] = {"exitParent", "continue", "previous"};

static int attr_true(vctx *c, const xmlNode *n, const char *name, int dflt)
{
	const char *v = mf_attr(c->m, n, NULL, name);
	if (!v)
		return dflt;
	v = vtrim(c, v);
	return strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
}

/* One pass over the children: each known child counted, then reported when repeated. */
static void check_counts(vctx *c, const xmlNode *seq)
{
	size_t ni = PC_ARRAY_LEN(seq_children), na = PC_ARRAY_LEN(adlseq_children);
	size_t count[PC_ARRAY_LEN(seq_children) + PC_ARRAY_LEN(adlseq_children)] = {0};
	const xmlNode *first[PC_ARRAY_LEN(seq_children) + PC_ARRAY_LEN(adlseq_children)] = {0};
	xmlNode *aux = NULL, *lim = NULL;
	for (xmlNode *ch = mf_first(seq); ch; ch = mf_next(ch)) {
		const char *ns = mf_ns(ch);
		if (!ns)
			continue;
		int imsss = strcmp(ns, NS_IMSSS) == 0, adlseq = !imsss && strcmp(ns, NS_ADLSEQ) == 0;
		const char *const *names = imsss ? seq_children : adlseq_children;
		size_t n = imsss ? ni : adlseq ? na : 0, off = imsss ? 0 : ni;
		for (size_t i = 0; i < n; i++)
			if (strcmp((const char *)ch->name, names[i]) == 0) {
				if (!count[off + i]++)
					first[off + i] = ch;
				if (imsss && i == 3)
					aux = ch;
				if (imsss && i == 2)
					lim = ch;
				break;
			}
	}
	for (size_t i = 0; i < ni + na; i++)
		if (count[i] > 1)
			vreport(c, first[i], "sequencing-structure",
				"<imsss:sequencing> has %zu <%s:%s> elements: at most one is allowed",
				count[i], i < ni ? "imsss" : "adlseq",
				i < ni ? seq_children[i] : adlseq_children[i - ni]);
	if (aux)
		vreport(c, aux, "auxiliary-resources",
			"imsss:auxiliaryResources is not used by SCORM 2004 LMSs: it is ignored");
	xmlAttr *dur = lim ? mf_attr_node(lim, NULL, "attemptAbsoluteDurationLimit") : NULL;
	if (dur)
		vreport(c, dur, "limit-conditions",
			"attemptAbsoluteDurationLimit is not enforced the same way by every LMS: use "
			"with caution");
}

/* Checks one mapInfo list: each field read at most once (for this objective; one finding per
 * mapInfo naming every field it reads a second time), and records writes per target in
 * `writes` (key: field + target). Two reads of IMS SS's fields break ADL's rule; ADL accepts
 * two reads of its own 4th Edition fields (its test packages have them), where which global
 * wins is only undefined: a warning. */
static void check_map_infos(vctx *c, const xmlNode *obj, const char *ns,
			    const struct field *fields, size_t nfields, strmap *writes,
			    const char *obj_id)
{
	if (!mf_child(obj, ns, "mapInfo", NULL))
		return;
	int imsss = strcmp(ns, NS_IMSSS) == 0;
	unsigned read_before = 0; /* bit f: field f read by an earlier mapInfo */
	for (xmlNode *mi = mf_first(obj); mi; mi = mf_next(mi)) {
		if (!mf_is(mi, ns, "mapInfo"))
			continue;
		buf again = BUF_INIT;
		size_t nagain = 0;
		const char *last = NULL;
		for (size_t f = 0; f < nfields; f++) {
			if (!attr_true(c, mi, fields[f].read, 1))
				continue;
			if (read_before & (1u << f)) {
				buf_printf(&again, "%s%s", nagain ? ", " : "", fields[f].name);
				nagain++;
				last = fields[f].read;
			}
			read_before |= 1u << f;
		}
		if (nagain)
			vreport(c, mi, imsss ? "mapinfo" : "mapinfo-read",
				"objective '%s' reads %s from more than one global objective: set %s=\"false\""
				"%s on all but one mapInfo",
				obj_id, buf_cstr(&again), last, nagain > 1 ? " (and the like)" : "");
		buf_free(&again);
		const char *target = mf_attr(c->m, mi, NULL, "targetObjectiveID");
		for (size_t f = 0; target && f < nfields; f++) {
			if (!attr_true(c, mi, fields[f].write, 0))
				continue;
			buf key = BUF_INIT; /* field, newline, target: puts (a printf cost 2,000) */
			buf_puts(&key, fields[f].name);
			buf_putc(&key, '\n');
			buf_puts(&key, vtrim(c, target));
			const char *k = vkeep(c, buf_detach(&key, NULL));
			if (k && strmap_add(writes, k, (void *)mi, NULL) == 0)
				vreport(c, mi, "mapinfo",
					"global objective '%s' has its %s written by more than one "
					"mapInfo of this activity",
					vtrim(c, target), fields[f].name);
		}
	}
}

/* The objective IDs an activity's rules may name: the exact IDs, and the same IDs in a
 * canonical form (%-escapes decoded, runs of white space one space, trimmed, ASCII lower case)
 * mapped to the exact one. objectiveID is an xs:anyURI and ADL's own test packages name
 * objectives with escapes and spaces that differ between the ID and the reference: those are
 * accepted with a warning, as an LMS comparing strings exactly would not connect them. */
struct objids {
	strmap exact; /* id -> objective node */
	strmap canon; /* canonical form -> exact id */
};

static const char *canonical(vctx *c, const char *id)
{
	size_t n = strlen(id);
	char *out = malloc(n + 1);
	if (!out) {
		c->oom = 1;
		return "";
	}
	size_t w = 0;
	int space = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)id[i];
		if (ch == '%' && isxdigit((unsigned char)id[i + 1]) && isxdigit((unsigned char)id[i + 2])) {
			char hex[3] = {id[i + 1], id[i + 2], 0};
			ch = (unsigned char)strtol(hex, NULL, 16);
			i += 2;
		}
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			space = 1;
			continue;
		}
		if (space && w)
			out[w++] = ' ';
		space = 0;
		out[w++] = (char)tolower(ch);
	}
	out[w] = '\0';
	const char *k = vkeep(c, out);
	return k ? k : "";
}

static int objids_add(vctx *c, struct objids *ids, const char *id, const xmlNode *o)
{
	int added = strmap_add(&ids->exact, id, (void *)o, NULL);
	if (added == 1)
		strmap_add(&ids->canon, canonical(c, id), (void *)id, NULL);
	return added;
}

static void objids_free(vctx *c, struct objids *ids)
{
	c->oom |= ids->exact.oom | ids->canon.oom;
	strmap_free(&ids->exact);
	strmap_free(&ids->canon);
}

/* Registers the objective IDs of an <imsss:objectives> without checking them. */
static void objids_add_all(vctx *c, struct objids *ids, const xmlNode *objs)
{
	for (xmlNode *o = mf_first(objs); o; o = mf_next(o)) {
		const char *oid = mf_attr(c->m, o, NULL, "objectiveID");
		if (oid && (mf_is(o, NS_IMSSS, "objective") || mf_is(o, NS_IMSSS, "primaryObjective")))
			objids_add(c, ids, vtrim(c, oid), o);
	}
}

/* Does `ref` name one of the objectives? 1 exactly; 1 after a warning at `at` when only the
 * canonical forms match; 0 not at all (the caller reports). */
static int objids_match(vctx *c, const struct objids *ids, const char *ref, const void *at,
			const char *what)
{
	if (strmap_has(&ids->exact, ref))
		return 1;
	const char *exact = strmap_get(&ids->canon, canonical(c, ref));
	if (!exact)
		return 0;
	vreport(c, at, "objective-id-form",
		"%s '%s' matches objective '%s' only once %%-escapes, spaces and case are ignored: an "
		"LMS that compares them exactly will not connect the two",
		what, ref, exact);
	return 1;
}

/* Collects the objective IDs of one <imsss:objectives> and checks them. */
static void check_objectives(vctx *c, const xmlNode *objs, struct objids *ids, strmap *writes)
{
	size_t primaries;
	mf_child(objs, NS_IMSSS, "primaryObjective", &primaries);
	if (primaries != 1)
		vreport(c, objs, "objective-id",
			"<imsss:objectives> must hold exactly one primaryObjective, not %zu", primaries);
	for (xmlNode *o = mf_first(objs); o; o = mf_next(o)) {
		int primary = mf_is(o, NS_IMSSS, "primaryObjective");
		if (!primary && !mf_is(o, NS_IMSSS, "objective"))
			continue;
		const char *id = mf_attr(c->m, o, NULL, "objectiveID");
		id = id ? vtrim(c, id) : NULL;
		int has_map = mf_child(o, NS_IMSSS, "mapInfo", NULL) != NULL;
		if (!id || !*id) {
			if (!primary || has_map)
				vreport(c, o, "objective-id", "%s needs a non-empty objectiveID",
					primary ? "a primaryObjective with mapInfo" : "an objective");
			continue;
		}
		if (objids_add(c, ids, id, o) == 0)
			vreport(c, mf_attr_node(o, NULL, "objectiveID"), "objective-id",
				"objectiveID '%s' is used twice in the same activity", id);
		check_map_infos(c, o, NS_IMSSS, imsss_fields, PC_ARRAY_LEN(imsss_fields), writes, id);
	}
}

static void check_adlseq_objectives(vctx *c, const xmlNode *objs, const struct objids *ids,
				    strmap *writes)
{
	for (xmlNode *o = mf_first(objs); o; o = mf_next(o)) {
		if (!mf_is(o, NS_ADLSEQ, "objective"))
			continue;
		const char *id = mf_attr(c->m, o, NULL, "objectiveID");
		id = id ? vtrim(c, id) : "";
		if (!objids_match(c, ids, id, o, "adlseq:objective"))
			vreport(c, o, "objective-id",
				"adlseq:objective '%s' does not match an imsss objective of this activity",
				id);
		check_map_infos(c, o, NS_ADLSEQ, adlseq_fields, PC_ARRAY_LEN(adlseq_fields), writes,
				id);
	}
}

static void check_referenced(vctx *c, const xmlNode *rules, const struct objids *ids)
{
	for (xmlNode *rule = mf_first(rules); rule; rule = mf_next(rule)) {
		xmlNode *conds = mf_child(rule, NS_IMSSS, "ruleConditions", NULL);
		for (xmlNode *cond = mf_first(conds); cond; cond = mf_next(cond)) {
			xmlAttr *ra = mf_attr_node(cond, NULL, "referencedObjective");
			if (!ra)
				continue;
			const char *ref = vtrim(c, mf_attr(c->m, cond, NULL, "referencedObjective"));
			if (!objids_match(c, ids, ref, ra, "referencedObjective"))
				vreport(c, ra, "referenced-objective",
					"referencedObjective '%s' is not an objective of this activity",
					ref);
		}
	}
}

static void check_root_actions(vctx *c, const xmlNode *seq)
{
	xmlNode *rules = mf_child(seq, NS_IMSSS, "sequencingRules", NULL);
	for (xmlNode *rule = mf_first(rules); rule; rule = mf_next(rule)) {
		if (!mf_is(rule, NS_IMSSS, "postConditionRule"))
			continue;
		xmlNode *act = mf_child(rule, NS_IMSSS, "ruleAction", NULL);
		const char *a = act ? mf_attr(c->m, act, NULL, "action") : NULL;
		for (size_t i = 0; a && i < PC_ARRAY_LEN(root_forbidden); i++)
			if (strcmp(vtrim(c, a), root_forbidden[i]) == 0)
				vreport(c, act, "rule-action",
					"post-condition action '%s' is not allowed on the organization: "
					"the root activity has no parent or siblings",
					root_forbidden[i]);
	}
}

/* The activities' sequencing that refers to each shared one (collection ID -> list). A shared
 * definition is completed by each activity that uses it (IMS SS: the activity's own elements
 * take precedence), so its rules may name objectives only those activities define. */
struct referrers {
	const xmlNode **n;
	size_t count, cap;
};

static void collect_referrers(vctx *c, const xmlNode *n, strmap *by_id)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (mf_is(n, NS_IMSSS, "sequencing")) {
			const char *r = mf_attr(c->m, n, NULL, "IDRef");
			if (!r || mf_is(n->parent, NS_IMSSS, "sequencingCollection"))
				continue;
			r = vtrim(c, r);
			struct referrers *list = strmap_get(by_id, r);
			if (!list) {
				list = calloc(1, sizeof *list);
				if (!list || strmap_add(by_id, r, list, NULL) != 1) {
					free(list);
					c->oom = 1;
					continue;
				}
			}
			if (list->count == list->cap) {
				size_t cap = list->cap ? list->cap * 2 : 4;
				const xmlNode **p = realloc(list->n, cap * sizeof *p);
				if (!p) {
					c->oom = 1;
					continue;
				}
				list->n = p;
				list->cap = cap;
			}
			list->n[list->count++] = n;
			continue;
		}
		collect_referrers(c, n->children, by_id);
	}
}

static void check_one(vctx *c, const xmlNode *seq, const strmap *referrers)
{
	int in_collection = mf_is(seq->parent, NS_IMSSS, "sequencingCollection");
	xmlAttr *id = mf_attr_node(seq, NULL, "ID"), *idref = mf_attr_node(seq, NULL, "IDRef");
	const xmlNode *shared = NULL;
	if (in_collection) {
		if (!id)
			vreport(c, seq, "sequencing-id",
				"sequencing in the sequencingCollection needs an ID");
		if (idref)
			vreport(c, idref, "sequencing-id",
				"IDRef is not allowed inside the sequencingCollection");
	} else {
		if (id)
			vreport(c, id, "sequencing-id",
				"ID is only allowed on sequencing inside the sequencingCollection");
		if (idref) {
			const char *r = vtrim(c, mf_attr(c->m, seq, NULL, "IDRef"));
			shared = strmap_get(&c->seq_ids, r);
			if (!shared)
				vreport(c, idref, "sequencing-idref",
					"IDRef '%s' does not match the ID of any sequencing in the "
					"sequencingCollection",
					r);
		}
	}
	check_counts(c, seq);
	if (mf_is(seq->parent, c->cp, "organization"))
		check_root_actions(c, seq);

	/* the objectives the rules may name: the activity's own and those of the shared
	 * sequencing it refers to; for a shared sequencing, its own and those of every activity
	 * that refers to it */
	struct objids ids = {STRMAP_INIT, STRMAP_INIT};
	strmap writes = STRMAP_INIT;
	xmlNode *objs = mf_child(seq, NS_IMSSS, "objectives", NULL);
	if (objs)
		check_objectives(c, objs, &ids, &writes);
	if (shared)
		objids_add_all(c, &ids, mf_child(shared, NS_IMSSS, "objectives", NULL));
	const struct referrers *refs =
		in_collection && id ? strmap_get(referrers, vtrim(c, mf_attr(c->m, seq, NULL, "ID")))
				    : NULL;
	for (size_t i = 0; refs && i < refs->count; i++)
		objids_add_all(c, &ids, mf_child(refs->n[i], NS_IMSSS, "objectives", NULL));
	xmlNode *aobjs = mf_child(seq, NS_ADLSEQ, "objectives", NULL);
	if (aobjs && (!in_collection || objs || refs))
		check_adlseq_objectives(c, aobjs, &ids, &writes);
	xmlNode *rules = mf_child(seq, NS_IMSSS, "sequencingRules", NULL);
	if (rules && (!in_collection || objs || refs))
		check_referenced(c, rules, &ids);
	objids_free(c, &ids);
	c->oom |= writes.oom;
	strmap_free(&writes);
}

static void walk(vctx *c, const xmlNode *n, const strmap *referrers)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (mf_is(n, NS_IMSSS, "sequencing")) {
			check_one(c, n, referrers);
			continue;
		}
		walk(c, n->children, referrers);
	}
}

void check_sequencing(vctx *c)
{
	strmap referrers = STRMAP_INIT;
	collect_referrers(c, c->root, &referrers);
	walk(c, c->root, &referrers);
	for (size_t i = 0; i < referrers.cap; i++) {
		struct referrers *r = referrers.vals ? referrers.vals[i] : NULL;
		if (referrers.keys && referrers.keys[i] && r) {
			free(r->n);
			free(r);
		}
	}
	c->oom |= referrers.oom;
	strmap_free(&referrers);
}
