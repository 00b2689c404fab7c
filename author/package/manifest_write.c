/* imsmanifest.xml for the three editions. One SCO per module; a course is one organization with a
 * root item the learner cannot launch, optional group items, and the module SCOs in course order
 * (so an LMS that only follows item order, as SCORM 1.2 LMSs do, still walks them right).
 * SCORM 1.2 carries the pass mark as adlcp:masteryscore (the NHS Learning Hub shows a score only
 * with one); SCORM 2004 carries it as the primary objective's minNormalizedMeasure, with
 * completion and success set by content and rolled up (choice and flow) for courses.
 * Identifiers come from the module/course id and MAJOR version only: a MINOR or PATCH re-upload
 * keeps learners' records (field-lessons.md, complaint 4). */
#include "manifest_write.h"

#include <string.h>

#include "common.h"
#include "schemaset.h"

static void text(buf *b, const char *s)
{
	buf_put_xml(b, s, strlen(s));
}

static void indent(buf *b, int depth)
{
	for (int i = 0; i < depth; i++)
		buf_puts(b, "  ");
}

static int is_2004(scorm_version v)
{
	return v == SCORM_2004_3RD || v == SCORM_2004_4TH;
}

void manifest_ids(const module *m, char *item, size_t item_cap, char *res, size_t res_cap)
{
	snprintf(item, item_cap, "item-%s-v%u", m->id, m->major);
	snprintf(res, res_cap, "res-%s-v%u", m->id, m->major);
}

static int scored_questions(const module *m)
{
	int n = 0;
	for (size_t i = 0; i < m->nquestions; i++)
		n += m->questions[i].type != Q_LIKERT;
	return n;
}

/* The pass mark as a fraction with up to two decimals: 80 -> "0.8", 5 -> "0.05". */
static void fraction(unsigned pass, char *out, size_t cap)
{
	if (pass >= 100)
		snprintf(out, cap, "1");
	else if (pass % 10 == 0)
		snprintf(out, cap, "0.%u", pass / 10);
	else
		snprintf(out, cap, "0.%02u", pass);
}

/* Sequencing of a module's SCO item (2004): content sets completion and success; with a quiz the
 * primary objective is satisfied by measure at the pass mark; without one it does not count
 * towards the course's satisfaction or score. */
static void sco_sequencing(buf *b, const module *m, const char *item_id, int depth)
{
	indent(b, depth);
	buf_puts(b, "<imsss:sequencing>\n");
	if (m->has_quiz && scored_questions(m)) {
		char frac[8];
		fraction(m->pass, frac, sizeof frac);
		indent(b, depth + 1);
		buf_puts(b, "<imsss:objectives>\n");
		indent(b, depth + 2);
		buf_printf(b, "<imsss:primaryObjective objectiveID=\"%s-passed\" satisfiedByMeasure=\"true\">\n",
			   item_id);
		indent(b, depth + 3);
		buf_printf(b, "<imsss:minNormalizedMeasure>%s</imsss:minNormalizedMeasure>\n", frac);
		indent(b, depth + 2);
		buf_puts(b, "</imsss:primaryObjective>\n");
		indent(b, depth + 1);
		buf_puts(b, "</imsss:objectives>\n");
	} else {
		indent(b, depth + 1);
		buf_puts(b, "<imsss:rollupRules rollupObjectiveSatisfied=\"false\" objectiveMeasureWeight=\"0\"/>\n");
	}
	indent(b, depth + 1);
	buf_puts(b, "<imsss:deliveryControls completionSetByContent=\"true\" objectiveSetByContent=\"true\"/>\n");
	indent(b, depth);
	buf_puts(b, "</imsss:sequencing>\n");
}

static void rollup_rule(buf *b, int depth, const char *set, const char *cond, int negate,
			const char *action)
{
	indent(b, depth);
	buf_printf(b, "<imsss:rollupRule childActivitySet=\"%s\">\n", set);
	indent(b, depth + 1);
	buf_printf(b, "<imsss:rollupConditions><imsss:rollupCondition%s condition=\"%s\"/></imsss:rollupConditions>\n",
		   negate ? " operator=\"not\"" : "", cond);
	indent(b, depth + 1);
	buf_printf(b, "<imsss:rollupAction action=\"%s\"/>\n", action);
	indent(b, depth);
	buf_puts(b, "</imsss:rollupRule>\n");
}

/* Sequencing of a cluster (the organization, a group): the learner may choose any module and
 * go forward/back (choice + flow); completion and success roll up from the modules. */
static void cluster_sequencing(buf *b, int depth)
{
	indent(b, depth);
	buf_puts(b, "<imsss:sequencing>\n");
	indent(b, depth + 1);
	buf_puts(b, "<imsss:controlMode choice=\"true\" flow=\"true\"/>\n");
	indent(b, depth + 1);
	buf_puts(b, "<imsss:rollupRules>\n");
	rollup_rule(b, depth + 2, "all", "satisfied", 0, "satisfied");
	rollup_rule(b, depth + 2, "any", "satisfied", 1, "notSatisfied");
	rollup_rule(b, depth + 2, "all", "completed", 0, "completed");
	rollup_rule(b, depth + 2, "any", "completed", 1, "incomplete");
	indent(b, depth + 1);
	buf_puts(b, "</imsss:rollupRules>\n");
	indent(b, depth);
	buf_puts(b, "</imsss:sequencing>\n");
}

static void sco_item(buf *b, const manifest_in *in, const module *m, int depth)
{
	char item[96], res[96];
	manifest_ids(m, item, sizeof item, res, sizeof res);
	indent(b, depth);
	buf_printf(b, "<item identifier=\"%s\" identifierref=\"%s\">\n", item, res);
	indent(b, depth + 1);
	buf_puts(b, "<title>");
	text(b, m->title);
	buf_puts(b, "</title>\n");
	if (!is_2004(in->version)) {
		if (m->has_quiz && scored_questions(m) && !in->no_mastery) {
			indent(b, depth + 1);
			buf_printf(b, "<adlcp:masteryscore>%u</adlcp:masteryscore>\n", m->pass);
		}
	} else if (!in->no_sequencing) {
		sco_sequencing(b, m, item, depth + 1);
	}
	indent(b, depth);
	buf_puts(b, "</item>\n");
}

static void header(buf *b, const manifest_in *in)
{
	scorm_version v = in->version;
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	buf_printf(b, "<manifest identifier=\"%s\" version=\"", in->manifest_id);
	text(b, in->pkg_version);
	buf_puts(b, "\"\n");
	if (!is_2004(v)) {
		buf_puts(b, "          xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"\n"
			    "          xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\"\n");
	} else {
		buf_puts(b, "          xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\"\n"
			    "          xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\"\n"
			    "          xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\"\n"
			    "          xmlns:adlnav=\"http://www.adlnet.org/xsd/adlnav_v1p3\"\n"
			    "          xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\"\n");
	}
	buf_puts(b, "          xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
		    "          xsi:schemaLocation=\"");
	text(b, schemaset_location(v));
	buf_puts(b, "\">\n  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>");
	buf_puts(b, v == SCORM_12 ? "1.2" : v == SCORM_2004_3RD ? "2004 3rd Edition" : "2004 4th Edition");
	buf_puts(b, "</schemaversion>\n  </metadata>\n");
}

static void resources(buf *b, const manifest_in *in)
{
	const char *type_attr = is_2004(in->version) ? "adlcp:scormType" : "adlcp:scormtype";
	buf_puts(b, "  <resources>\n");
	for (size_t i = 0; i < in->nscos; i++) {
		const manifest_sco *s = &in->scos[i];
		char item[96], res[96];
		manifest_ids(s->mod, item, sizeof item, res, sizeof res);
		buf_printf(b, "    <resource identifier=\"%s\" type=\"webcontent\" %s=\"sco\" href=\"", res,
			   type_attr);
		text(b, s->base);
		buf_puts(b, "index.html\">\n      <file href=\"");
		text(b, s->base);
		buf_puts(b, "index.html\"/>\n");
		for (size_t k = 0; k < s->nfiles; k++) {
			buf_puts(b, "      <file href=\"");
			text(b, s->base);
			text(b, s->files[k]);
			buf_puts(b, "\"/>\n");
		}
		if (in->nassets)
			buf_puts(b, "      <dependency identifierref=\"res-assets\"/>\n");
		buf_puts(b, "    </resource>\n");
	}
	if (in->nassets) {
		buf_printf(b, "    <resource identifier=\"res-assets\" type=\"webcontent\" %s=\"asset\">\n",
			   type_attr);
		for (size_t k = 0; k < in->nassets; k++) {
			buf_puts(b, "      <file href=\"");
			text(b, in->assets[k]);
			buf_puts(b, "\"/>\n");
		}
		buf_puts(b, "    </resource>\n");
	}
	buf_puts(b, "  </resources>\n");
}

int manifest_write(const manifest_in *in, buf *out)
{
	int v2004 = is_2004(in->version) && !in->no_sequencing;
	header(out, in);
	buf_printf(out, "  <organizations default=\"%s\">\n", in->org_id);
	buf_printf(out, "    <organization identifier=\"%s\">\n      <title>", in->org_id);
	text(out, in->title);
	buf_puts(out, "</title>\n");
	if (!in->root_id) {
		sco_item(out, in, in->scos[0].mod, 3);
	} else {
		/* a course: one root item the learner cannot launch, groups, then the SCOs */
		buf_printf(out, "      <item identifier=\"%s\">\n        <title>", in->root_id);
		text(out, in->title);
		buf_puts(out, "</title>\n");
		for (size_t i = 0; i < in->nscos;) {
			const manifest_sco *s = &in->scos[i];
			if (!s->group_id) {
				sco_item(out, in, s->mod, 4);
				i++;
				continue;
			}
			buf_printf(out, "        <item identifier=\"group-%s-v%u\">\n          <title>",
				   s->group_id, in->major);
			text(out, s->group_title ? s->group_title : s->group_id);
			buf_puts(out, "</title>\n");
			size_t j = i;
			for (; j < in->nscos && in->scos[j].group_id &&
			       strcmp(in->scos[j].group_id, s->group_id) == 0;
			     j++)
				sco_item(out, in, in->scos[j].mod, 5);
			if (v2004)
				cluster_sequencing(out, 5);
			buf_puts(out, "        </item>\n");
			i = j;
		}
		if (v2004)
			cluster_sequencing(out, 4);
		buf_puts(out, "      </item>\n");
	}
	if (v2004) {
		if (in->root_id)
			cluster_sequencing(out, 3);
		else {
			indent(out, 3);
			buf_puts(out, "<imsss:sequencing>\n        <imsss:controlMode choice=\"true\" flow=\"true\"/>\n      </imsss:sequencing>\n");
		}
	}
	buf_puts(out, "    </organization>\n  </organizations>\n");
	resources(out, in);
	buf_puts(out, "</manifest>\n");
	return buf_error(out);
}
