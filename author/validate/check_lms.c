/* --lms PROFILE: what an LMS is known to require or mishandle, added as warnings with the
 * reason (../shared/reference/lms-behaviours.md: the NHS Learning Hub's and Moodle 5.1's
 * behaviour seen with real packages). One table row per fact: the profile it belongs to,
 * when it applies, and what to say. Facts about the content's code (cmi.comments, ...) apply
 * only when the package's files were scanned. */
#include <string.h>

#include "check.h"
#include "content.h"

/* What the rows look at. */
struct facts {
	vctx *c;
	const content_scan_ctx *cs;
	size_t scos;     /* leaf items launching a SCO */
	xmlNode *rules;  /* the first sequencing element beyond choice/flow, or NULL */
};

struct fact {
	validate_lms lms;
	const char *check;
	int (*applies)(const struct facts *f);
	const char *message;
	int at_manifest;     /* placed at the manifest's root (else at the package) */
};

static int is_2004(const struct facts *f)
{
	return f->c->is2004;
}

static int mentions(const struct facts *f, unsigned bit)
{
	return f->cs && f->cs->scanned && (f->cs->mentions & bit);
}

static int comments_12(const struct facts *f)
{
	return !f->c->is2004 && mentions(f, CONTENT_MENTIONS_COMMENTS);
}

static int interactions_count(const struct facts *f)
{
	return mentions(f, CONTENT_MENTIONS_INTERACTIONS_COUNT);
}

/* 2004 content that records interactions (or whose code was not available to look at) */
static int interactions_2004(const struct facts *f)
{
	return f->c->is2004 && (!f->cs || !f->cs->scanned || mentions(f, CONTENT_MENTIONS_INTERACTIONS));
}

static int sco_12(const struct facts *f)
{
	return !f->c->is2004 && f->scos > 0;
}

static int multi_sco(const struct facts *f)
{
	return f->scos > 1;
}

static int sequencing_rules(const struct facts *f)
{
	return f->c->is2004 && f->rules != NULL;
}

static int always(const struct facts *f)
{
	(void)f;
	return 1;
}

static const struct fact facts[] = {
	{VALIDATE_LMS_LEARNING_HUB, "lms-edition", is_2004,
	 "the NHS Learning Hub takes SCORM 1.2 packages only: export or build this package as "
	 "SCORM 1.2",
	 1},
	{VALIDATE_LMS_LEARNING_HUB, "lms-comments", comments_12,
	 "the content uses cmi.comments, which the NHS Learning Hub never fills at launch (its "
	 "API then throws on LMSGetValue) and never keeps: what a learner writes there is lost",
	 0},
	{VALIDATE_LMS_LEARNING_HUB, "lms-interactions-resume", interactions_count,
	 "the content reads cmi.interactions._count, which the NHS Learning Hub answers with 0 "
	 "even on resume while it stores interactions by position: a resumed session that numbers "
	 "its interactions from it overwrites the first session's",
	 0},
	{VALIDATE_LMS_MOODLE, "lms-interactions-report", interactions_2004,
	 "Moodle's Interactions report reads only SCORM 1.2 element names: the interactions this "
	 "SCORM 2004 content records are stored but show as one empty column (SCORM 1.2 gives "
	 "better reports in Moodle)",
	 1},
	{VALIDATE_LMS_MOODLE, "lms-completion", sco_12,
	 "a SCORM 1.2 SCO that ends 'passed' or 'failed' never meets the default completion rule "
	 "of Moodle's SCORM activity ('Require status: Completed'): tick 'Passed' as well in the "
	 "activity's completion settings",
	 1},
	{VALIDATE_LMS_MOODLE, "lms-grading", multi_sco,
	 "Moodle's default grading method, 'Highest grade', grades a package of several SCOs by "
	 "its best SCO (full marks after one module): choose 'Learning objects' or 'Average "
	 "grade' in the activity's settings",
	 1},
	{VALIDATE_LMS_MOODLE, "lms-sequencing", sequencing_rules,
	 "Moodle runs SCORM 2004 sequencing only in part: rules beyond choice and flow navigation "
	 "(rules, rollup, objectives, limits) may not run as the manifest says",
	 0},
	{VALIDATE_LMS_SCORM_CLOUD, "lms-profile", always,
	 "SCORM Cloud: Postcard knows no requirement beyond the standard for it (it runs SCORM 1.2 "
	 "and all 2004 editions, sequencing included): the other findings are what matter",
	 0},
};

static void count_scos(struct facts *f, const xmlNode *n)
{
	vctx *c = f->c;
	for (xmlNode *i = mf_first(n); i; i = mf_next(i)) {
		if (!mf_is(i, c->cp, "item"))
			continue;
		xmlNode *r = item_is_leaf(c, i) ? item_resource(c, i) : NULL;
		const char *type = r ? resource_scorm_type(c, r) : NULL;
		if (type && strcmp(type, "sco") == 0)
			f->scos++;
		count_scos(f, i);
	}
}

/* The first imsss:sequencing child beyond controlMode (choice/flow), anywhere. */
static xmlNode *find_rules(const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (mf_is(n, NS_IMSSS, "sequencing")) {
			for (xmlNode *ch = mf_first(n); ch; ch = mf_next(ch))
				if (!mf_is(ch, NS_IMSSS, "controlMode"))
					return ch;
			continue;
		}
		xmlNode *r = find_rules(n->children);
		if (r)
			return r;
	}
	return NULL;
}

void check_lms(vctx *c, const content_scan_ctx *cs)
{
	if (c->lms == VALIDATE_LMS_NONE || !c->root)
		return;
	struct facts f = {c, cs, 0, NULL};
	xmlNode *orgs = mf_child(c->root, c->cp, "organizations", NULL);
	xmlNode *def = NULL;
	const char *want = orgs ? mf_attr(c->m, orgs, NULL, "default") : NULL;
	for (xmlNode *o = mf_first(orgs); o; o = mf_next(o)) {
		const char *id = mf_is(o, c->cp, "organization")
					 ? mf_attr(c->m, o, NULL, "identifier")
					 : NULL;
		if (id && (!def || (want && strcmp(vtrim(c, id), vtrim(c, want)) == 0)))
			def = o;
	}
	if (def)
		count_scos(&f, def);
	if (c->is2004)
		f.rules = find_rules(c->root);
	for (size_t i = 0; i < PC_ARRAY_LEN(facts); i++) {
		if (facts[i].lms != c->lms || !facts[i].applies(&f))
			continue;
		const void *at = strcmp(facts[i].check, "lms-sequencing") == 0 ? (const void *)f.rules
				 : facts[i].at_manifest ? (const void *)c->root
							: NULL;
		if (at)
			vreport(c, at, facts[i].check, "%s", facts[i].message);
		else
			diag_line(c->sink, validate_check_level(validate_check_find(facts[i].check), c->v,
								c->strict),
				  pkg_display_name(c->p), 0, 0, facts[i].check, "%s", facts[i].message);
	}
}

int validate_lms_parse(const char *name, validate_lms *out)
{
	static const struct {
		const char *name;
		validate_lms lms;
	} names[] = {
		{"generic", VALIDATE_LMS_NONE},
		{"learning-hub", VALIDATE_LMS_LEARNING_HUB},
		{"moodle", VALIDATE_LMS_MOODLE},
		{"scorm-cloud", VALIDATE_LMS_SCORM_CLOUD},
	};
	for (size_t i = 0; i < PC_ARRAY_LEN(names); i++)
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].lms;
			return 0;
		}
	return PC_EINVAL;
}
