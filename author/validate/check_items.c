/* Organization and item checks (scorm-cam.md D) and the learner-rule elements of each edition
 * (E): titles and their lengths, isvisible, the order and count of an item's children,
 * masteryscore / maxtimeallowed / timelimitaction / datafromlms (1.2), and timeLimitAction,
 * dataFromLMS, completionThreshold, adlcp:data and hideLMSUI (2004), the SCO-only ones
 * included. */
#include <string.h>

#include "check.h"
#include "utf8.h"

/* Title lengths: SCORM 1.2's XSD caps at 200 (an error); 2004 makes 200 the smallest permitted
 * maximum (longer titles may be cut: a warning). */
#define TITLE_MAX 200

static const char *item_id(vctx *c, const xmlNode *n)
{
	const char *id = mf_attr(c->m, n, NULL, "identifier");
	return id ? vtrim(c, id) : "?";
}

static void check_title(vctx *c, const xmlNode *n, const char *what)
{
	size_t count;
	xmlNode *t = mf_child(n, c->cp, "title", &count);
	if (count != 1) {
		vreport(c, count ? mf_next(t) : n, "title",
			"%s '%s' has %zu <title> elements: exactly one is required", what,
			item_id(c, n), count);
	}
	if (!t)
		return;
	const char *s = mf_text(c->m, t);
	size_t len = chars_over(s, TITLE_MAX);
	if (len)
		vreport(c, t, "title-length",
			"the title of %s '%s' is %zu characters: %s %d", what, item_id(c, n), len,
			c->is2004 ? "LMSs need only keep" : "SCORM 1.2 allows at most", TITLE_MAX);
}

/* Where an item's child belongs in the required order: title, items, metadata, extensions. */
static int rank(vctx *c, const xmlNode *ch)
{
	if (mf_is(ch, c->cp, "title"))
		return 0;
	if (mf_is(ch, c->cp, "item"))
		return 1;
	if (mf_is(ch, c->cp, "metadata"))
		return 2;
	return 3;
}

/* Extension children of a 2004 item, each allowed at most once. */
static const struct {
	const char *ns, *name;
} once_2004[] = {
	{NS_CP2004, "metadata"},          {NS_ADLCP13, "timeLimitAction"},
	{NS_ADLCP13, "dataFromLMS"},      {NS_ADLCP13, "completionThreshold"},
	{NS_IMSSS, "sequencing"},         {NS_ADLNAV, "presentation"},
	{NS_ADLCP13, "data"},
}, once_12[] = {
	{NS_CP12, "metadata"},            {NS_ADLCP12, "prerequisites"},
	{NS_ADLCP12, "maxtimeallowed"},   {NS_ADLCP12, "timelimitaction"},
	{NS_ADLCP12, "datafromlms"},      {NS_ADLCP12, "masteryscore"},
};

static void check_order(vctx *c, const xmlNode *item)
{
	int last = 0;
	for (xmlNode *ch = mf_first(item); ch; ch = mf_next(ch)) {
		int r = rank(c, ch);
		if (r < last) {
			static const char *const want[] = {"<title>", "child <item>s", "<metadata>",
							   "extension elements"};
			vreport(c, ch, "element-order",
				"in item '%s', <%s> comes too late: the order is %s, %s, %s, then %s",
				item_id(c, item), (const char *)ch->name, want[0], want[1], want[2],
				want[3]);
			break;
		}
		last = r;
	}
	size_t n = c->is2004 ? PC_ARRAY_LEN(once_2004) : PC_ARRAY_LEN(once_12);
	for (size_t i = 0; i < n; i++) {
		const char *ns = c->is2004 ? once_2004[i].ns : once_12[i].ns;
		const char *name = c->is2004 ? once_2004[i].name : once_12[i].name;
		size_t count;
		xmlNode *first = mf_child(item, ns, name, &count);
		if (count > 1)
			vreport(c, first, "element-count",
				"item '%s' has %zu <%s> elements: at most one is allowed",
				item_id(c, item), count, name);
	}
}

static const char *const time_limit_actions[] = {"exit,message", "exit,no message",
						 "continue,message", "continue,no message"};

static int is_time_limit_action(const char *s)
{
	for (size_t i = 0; i < PC_ARRAY_LEN(time_limit_actions); i++)
		if (strcmp(s, time_limit_actions[i]) == 0)
			return 1;
	return 0;
}

static void check_learner_12(vctx *c, const xmlNode *item)
{
	xmlNode *e;
	if ((e = mf_child(item, NS_ADLCP12, "masteryscore", NULL))) {
		const char *v = vtrim(c, mf_text(c->m, e));
		double d;
		if (!parse_decimal(v, &d) || d < 0 || d > 100)
			vreport(c, e, "masteryscore",
				"masteryscore '%s' must be a number from 0 to 100", v);
	}
	if ((e = mf_child(item, NS_ADLCP12, "maxtimeallowed", NULL))) {
		const char *v = vtrim(c, mf_text(c->m, e));
		if (!is_cmi_timespan(v))
			vreport(c, e, "maxtimeallowed",
				"maxtimeallowed '%s' must be a CMITimespan HHHH:MM:SS.SS", v);
	}
	if ((e = mf_child(item, NS_ADLCP12, "timelimitaction", NULL))) {
		const char *v = vtrim(c, mf_text(c->m, e));
		if (!is_time_limit_action(v))
			vreport(c, e, "timelimitaction",
				"timelimitaction '%s' must be one of 'exit,message', 'exit,no message', "
				"'continue,message', 'continue,no message'",
				v);
	}
	if ((e = mf_child(item, NS_ADLCP12, "datafromlms", NULL))) {
		const char *v = mf_text(c->m, e);
		size_t len = chars_over(v, 255);
		if (len)
			vreport(c, e, "datafromlms",
				"datafromlms is %zu characters: SCORM 1.2 allows at most 255", len);
	}
	if ((e = mf_child(item, NS_ADLCP12, "prerequisites", NULL))) {
		const char *v = mf_text(c->m, e);
		size_t len = chars_over(v, 200);
		if (len)
			vreport(c, e, "prerequisites",
				"prerequisites is %zu characters: SCORM 1.2 allows at most 200", len);
	}
}

static int unit_interval(const char *v)
{
	double d;
	return parse_decimal(v, &d) && d >= 0 && d <= 1;
}

static void check_completion_threshold(vctx *c, const xmlNode *e)
{
	const char *v = vtrim(c, mf_text(c->m, e));
	if (c->v == SCORM_2004_3RD) {
		if (!unit_interval(v))
			vreport(c, e, "completion-threshold",
				"completionThreshold '%s' must be a decimal from 0 to 1", v);
		return;
	}
	int attrs = 0;
	static const char *const unit_attrs[] = {"minProgressMeasure", "progressWeight"};
	for (size_t i = 0; i < PC_ARRAY_LEN(unit_attrs); i++) {
		xmlAttr *a = mf_attr_node(e, NULL, unit_attrs[i]);
		if (!a)
			continue;
		attrs = 1;
		const char *av = vtrim(c, mf_attr(c->m, e, NULL, unit_attrs[i]));
		if (!unit_interval(av))
			vreport(c, a, "completion-threshold",
				"%s '%s' must be a decimal from 0 to 1", unit_attrs[i], av);
	}
	xmlAttr *cbm = mf_attr_node(e, NULL, "completedByMeasure");
	if (cbm) {
		attrs = 1;
		const char *av = vtrim(c, mf_attr(c->m, e, NULL, "completedByMeasure"));
		if (!is_xs_boolean(av))
			vreport(c, cbm, "completion-threshold",
				"completedByMeasure '%s' must be true or false", av);
	}
	if (*v && attrs)
		vreport(c, e, "completion-threshold",
			"completionThreshold has both a value and attributes: SCORM 2004 4th Edition "
			"uses the attributes only");
	else if (*v)
		vreport(c, e, "completion-threshold-value",
			"a completionThreshold value is deprecated in SCORM 2004 4th Edition: use "
			"completedByMeasure and minProgressMeasure");
}

static void check_learner_2004(vctx *c, const xmlNode *item)
{
	xmlNode *res = item_resource(c, item);
	const char *type = res ? resource_scorm_type(c, res) : NULL;
	int sco = type && strcmp(type, "sco") == 0;
	static const char *const sco_only[] = {"timeLimitAction", "dataFromLMS",
					       "completionThreshold"};
	for (size_t i = 0; i < PC_ARRAY_LEN(sco_only); i++) {
		xmlNode *e = mf_child(item, NS_ADLCP13, sco_only[i], NULL);
		if (e && !sco && type)
			vreport(c, e, "sco-only",
				"adlcp:%s is only allowed on items that launch a SCO, and item '%s' "
				"launches an asset",
				sco_only[i], item_id(c, item));
	}
	xmlNode *e;
	if ((e = mf_child(item, NS_ADLCP13, "timeLimitAction", NULL))) {
		const char *v = vtrim(c, mf_text(c->m, e));
		if (!is_time_limit_action(v))
			vreport(c, e, "timelimitaction",
				"timeLimitAction '%s' must be one of 'exit,message', 'exit,no message', "
				"'continue,message', 'continue,no message'",
				v);
	}
	if ((e = mf_child(item, NS_ADLCP13, "dataFromLMS", NULL))) {
		const char *v = mf_text(c->m, e);
		size_t len = chars_over(v, 4000);
		if (len)
			vreport(c, e, "datafromlms",
				"dataFromLMS is %zu characters: LMSs need only keep 4000", len);
	}
	if ((e = mf_child(item, NS_ADLCP13, "completionThreshold", NULL)))
		check_completion_threshold(c, e);
	if ((e = mf_child(item, NS_ADLCP13, "data", NULL))) {
		size_t maps;
		mf_child(e, NS_ADLCP13, "map", &maps);
		if (maps == 0)
			vreport(c, e, "shared-data", "adlcp:data needs at least one adlcp:map");
		for (xmlNode *m = mf_first(e); m; m = mf_next(m)) {
			if (!mf_is(m, NS_ADLCP13, "map"))
				continue;
			const char *t = mf_attr(c->m, m, NULL, "targetID");
			if (!t || !*vtrim(c, t))
				vreport(c, m, "shared-data",
					"adlcp:map needs a non-empty targetID");
		}
	}
	xmlNode *pres = mf_child(item, NS_ADLNAV, "presentation", NULL);
	xmlNode *nav = pres ? mf_child(pres, NS_ADLNAV, "navigationInterface", NULL) : NULL;
	static const char *const ui[] = {"previous", "continue", "exit",     "exitAll",
					 "abandon",  "abandonAll", "suspendAll"};
	for (xmlNode *h = mf_first(nav); h; h = mf_next(h)) {
		if (!mf_is(h, NS_ADLNAV, "hideLMSUI"))
			continue;
		const char *v = vtrim(c, mf_text(c->m, h));
		int ok = 0;
		for (size_t i = 0; i < PC_ARRAY_LEN(ui); i++)
			ok |= strcmp(v, ui[i]) == 0;
		if (!ok)
			vreport(c, h, "hidelmsui",
				"hideLMSUI '%s' must be one of previous, continue, exit, exitAll, abandon, "
				"abandonAll, suspendAll",
				v);
	}
}

static void check_item(vctx *c, const xmlNode *item)
{
	check_title(c, item, "item");
	xmlAttr *vis = mf_attr_node(item, NULL, "isvisible");
	if (vis) {
		const char *v = vtrim(c, mf_attr(c->m, item, NULL, "isvisible"));
		if (is_xs_boolean(v) && strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
			vreport(c, vis, "isvisible-numeric",
				"isvisible '%s' is a valid boolean, but LMSs look for 'true' or 'false'",
				v);
		else if (!is_xs_boolean(v))
			vreport(c, vis, "isvisible", "isvisible '%s' must be 'true' or 'false'", v);
	}
	check_order(c, item);
	if (c->is2004)
		check_learner_2004(c, item);
	else
		check_learner_12(c, item);
	for (xmlNode *ch = mf_first(item); ch; ch = mf_next(ch))
		if (mf_is(ch, c->cp, "item"))
			check_item(c, ch);
}

void check_items(vctx *c)
{
	xmlNode *orgs = mf_child(c->root, c->cp, "organizations", NULL);
	for (xmlNode *o = mf_first(orgs); o; o = mf_next(o)) {
		if (!mf_is(o, c->cp, "organization"))
			continue;
		check_title(c, o, "organization");
		size_t items;
		mf_child(o, c->cp, "item", &items);
		if (items == 0)
			vreport(c, o, "organization-items",
				"organization '%s' has no <item>: it must hold at least one", item_id(c, o));
		xmlAttr *st = mf_attr_node(o, NULL, "structure");
		if (st) {
			const char *v = mf_attr(c->m, o, NULL, "structure");
			if (chars_over(v, 200))
				vreport(c, st, "structure",
					"structure is over the 200 characters LMSs must keep");
		}
		for (xmlNode *i = mf_first(o); i; i = mf_next(i))
			if (mf_is(i, c->cp, "item"))
				check_item(c, i);
	}
}
