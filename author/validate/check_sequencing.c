/* SCORM 2004 sequencing checks (scorm-cam.md G): ID only inside the sequencing collection and
 * IDRef only outside it, pointing at a collection ID; at most one of each child; objective IDs
 * present and unique per activity; referencedObjective naming an objective of the activity;
 * mapInfo reading each field at most once per objective and writing each field of a global
 * objective at most once per activity; rule actions the root activity cannot take. */
#include <stdio.h>
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
			vreport(c, DIAG_ERROR, first[i], "sequencing-structure",
				"<imsss:sequencing> has %zu <%s:%s> elements: at most one is allowed",
				count[i], i < ni ? "imsss" : "adlseq",
				i < ni ? seq_children[i] : adlseq_children[i - ni]);
	if (aux)
		vreport(c, DIAG_WARNING, aux, "auxiliary-resources",
			"imsss:auxiliaryResources is not used by SCORM 2004 LMSs: it is ignored");
	xmlAttr *dur = lim ? mf_attr_node(lim, NULL, "attemptAbsoluteDurationLimit") : NULL;
	if (dur)
		vreport(c, DIAG_WARNING, dur, "limit-conditions",
			"attemptAbsoluteDurationLimit is not enforced the same way by every LMS: use "
			"with caution");
}

/* Checks one mapInfo list: each field read at most once (for this objective), and records
 * writes per target in `writes` (key: field + target). */
static void check_map_infos(vctx *c, const xmlNode *obj, const char *ns,
			    const struct field *fields, size_t nfields, strmap *writes,
			    const char *obj_id)
{
	if (!mf_child(obj, ns, "mapInfo", NULL))
		return;
	for (size_t f = 0; f < nfields; f++) {
		const char *rd = fields[f].read, *wr = fields[f].write;
		size_t reads = 0;
		for (xmlNode *mi = mf_first(obj); mi; mi = mf_next(mi)) {
			if (!mf_is(mi, ns, "mapInfo"))
				continue;
			if (attr_true(c, mi, rd, 1) && ++reads == 2)
				vreport(c, DIAG_ERROR, mi, "mapinfo",
					"objective '%s' reads %s from more than one global objective: "
					"set %s=\"false\" on all but one mapInfo",
					obj_id, fields[f].name, rd);
			const char *target = mf_attr(c->m, mi, NULL, "targetObjectiveID");
			if (!target || !attr_true(c, mi, wr, 0))
				continue;
			buf key = BUF_INIT;
			buf_printf(&key, "%s\n%s", fields[f].name, vtrim(c, target));
			const char *k = vkeep(c, buf_detach(&key, NULL));
			if (k && strmap_add(writes, k, (void *)mi, NULL) == 0)
				vreport(c, DIAG_ERROR, mi, "mapinfo",
					"global objective '%s' has its %s written by more than one "
					"mapInfo of this activity",
					vtrim(c, target), fields[f].name);
		}
	}
}

/* Collects the objective IDs of one <imsss:objectives> and checks them. */
static void check_objectives(vctx *c, const xmlNode *objs, strmap *ids, strmap *writes)
{
	size_t primaries;
	mf_child(objs, NS_IMSSS, "primaryObjective", &primaries);
	if (primaries != 1)
		vreport(c, DIAG_ERROR, objs, "objective-id",
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
				vreport(c, DIAG_ERROR, o, "objective-id",
					"%s needs a non-empty objectiveID%s",
					primary ? "a primaryObjective with mapInfo" : "an objective",
					primary ? "" : "");
			continue;
		}
		if (strmap_add(ids, id, o, NULL) == 0)
			vreport(c, DIAG_ERROR, mf_attr_node(o, NULL, "objectiveID"), "objective-id",
				"objectiveID '%s' is used twice in the same activity", id);
		check_map_infos(c, o, NS_IMSSS, imsss_fields, PC_ARRAY_LEN(imsss_fields), writes, id);
	}
}

static void check_adlseq_objectives(vctx *c, const xmlNode *objs, const strmap *ids,
				    strmap *writes)
{
	for (xmlNode *o = mf_first(objs); o; o = mf_next(o)) {
		if (!mf_is(o, NS_ADLSEQ, "objective"))
			continue;
		const char *id = mf_attr(c->m, o, NULL, "objectiveID");
		id = id ? vtrim(c, id) : "";
		if (!strmap_has(ids, id))
			vreport(c, DIAG_ERROR, o, "objective-id",
				"adlseq:objective '%s' does not match an imsss objective of this activity",
				id);
		check_map_infos(c, o, NS_ADLSEQ, adlseq_fields, PC_ARRAY_LEN(adlseq_fields), writes,
				id);
	}
}

static void check_referenced(vctx *c, const xmlNode *rules, const strmap *ids)
{
	for (xmlNode *rule = mf_first(rules); rule; rule = mf_next(rule)) {
		xmlNode *conds = mf_child(rule, NS_IMSSS, "ruleConditions", NULL);
		for (xmlNode *cond = mf_first(conds); cond; cond = mf_next(cond)) {
			xmlAttr *ra = mf_attr_node(cond, NULL, "referencedObjective");
			if (!ra)
				continue;
			const char *ref = vtrim(c, mf_attr(c->m, cond, NULL, "referencedObjective"));
			if (!strmap_has(ids, ref))
				vreport(c, DIAG_ERROR, ra, "referenced-objective",
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
				vreport(c, DIAG_ERROR, act, "rule-action",
					"post-condition action '%s' is not allowed on the organization: "
					"the root activity has no parent or siblings",
					root_forbidden[i]);
	}
}

static void check_one(vctx *c, const xmlNode *seq)
{
	int in_collection = mf_is(seq->parent, NS_IMSSS, "sequencingCollection");
	xmlAttr *id = mf_attr_node(seq, NULL, "ID"), *idref = mf_attr_node(seq, NULL, "IDRef");
	const xmlNode *shared = NULL;
	if (in_collection) {
		if (!id)
			vreport(c, DIAG_ERROR, seq, "sequencing-id",
				"sequencing in the sequencingCollection needs an ID");
		if (idref)
			vreport(c, DIAG_ERROR, idref, "sequencing-id",
				"IDRef is not allowed inside the sequencingCollection");
	} else {
		if (id)
			vreport(c, DIAG_ERROR, id, "sequencing-id",
				"ID is only allowed on sequencing inside the sequencingCollection");
		if (idref) {
			const char *r = vtrim(c, mf_attr(c->m, seq, NULL, "IDRef"));
			shared = strmap_get(&c->seq_ids, r);
			if (!shared)
				vreport(c, DIAG_ERROR, idref, "sequencing-idref",
					"IDRef '%s' does not match the ID of any sequencing in the "
					"sequencingCollection",
					r);
		}
	}
	check_counts(c, seq);
	if (mf_is(seq->parent, c->cp, "organization"))
		check_root_actions(c, seq);

	/* the activity's objectives: its own, plus those of the shared sequencing it refers to */
	strmap ids = STRMAP_INIT, writes = STRMAP_INIT;
	xmlNode *objs = mf_child(seq, NS_IMSSS, "objectives", NULL);
	if (objs)
		check_objectives(c, objs, &ids, &writes);
	xmlNode *sobjs = shared ? mf_child(shared, NS_IMSSS, "objectives", NULL) : NULL;
	for (xmlNode *o = mf_first(sobjs); o; o = mf_next(o)) {
		const char *oid = mf_attr(c->m, o, NULL, "objectiveID");
		if (oid)
			strmap_add(&ids, vtrim(c, oid), o, NULL);
	}
	xmlNode *aobjs = mf_child(seq, NS_ADLSEQ, "objectives", NULL);
	if (aobjs)
		check_adlseq_objectives(c, aobjs, &ids, &writes);
	if (!in_collection || objs) {
		xmlNode *rules = mf_child(seq, NS_IMSSS, "sequencingRules", NULL);
		if (rules)
			check_referenced(c, rules, &ids);
	}
	strmap_free(&ids);
	strmap_free(&writes);
}

static void walk(vctx *c, const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (mf_is(n, NS_IMSSS, "sequencing")) {
			check_one(c, n);
			continue;
		}
		walk(c, n->children);
	}
}

void check_sequencing(vctx *c)
{
	walk(c, c->root);
}
