/* The activity tree from an imsmanifest.xml held in memory: one organization's items in
 * preorder, each with its sequencing definition (XSD defaults, then the sequencingCollection
 * entry its IDRef names, then what the item itself says: attribute by attribute, and a rule
 * list or the objectives as a whole), adlcp completion threshold and launch values, and adlnav
 * hideLMSUI. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common.h"
#include "sn_int.h"

#define NS_IMSSS "http://www.imsglobal.org/xsd/imsss"
#define NS_ADLSEQ "http://www.adlnet.org/xsd/adlseq_v1p3"
#define NS_ADLCP "http://www.adlnet.org/xsd/adlcp_v1p3"
#define NS_ADLNAV "http://www.adlnet.org/xsd/adlnav_v1p3"

typedef struct reader {
	sn_tree *t;
	xmlNode *collection;
	char *err;
	size_t errlen;
	int rc;
	/* referenced objective names of rule conditions, resolved once the objectives are final */
	char **refs;
	size_t nrefs, caprefs;
} reader;

static int fail(reader *r, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(reader *r, int rc, const char *fmt, ...)
{
	if (r->rc == 0) {
		r->rc = rc;
		if (r->err && r->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(r->err, r->errlen, fmt, ap);
			va_end(ap);
		}
	}
	return rc;
}

static bool in_ns(const xmlNode *n, const char *ns)
{
	return n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0;
}

static bool is_el(const xmlNode *n, const char *ns, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 &&
	       (ns == NULL || in_ns(n, ns));
}

static xmlNode *child(const xmlNode *n, const char *ns, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is_el(c, ns, name))
			return c;
	return NULL;
}

/* An attribute's value with XML Schema whitespace collapsed at both ends (RU-15a writes
 * readSatisfiedStatus=" false "). Returns a malloc'd string or NULL when absent. */
static char *attr(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *s = strdup((const char *)v);
	xmlFree(v);
	if (!s)
		return NULL;
	char *b = s;
	while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r')
		b++;
	size_t l = strlen(b);
	while (l && (b[l - 1] == ' ' || b[l - 1] == '\t' || b[l - 1] == '\n' || b[l - 1] == '\r'))
		l--;
	memmove(s, b, l);
	s[l] = '\0';
	return s;
}

static const char *where(const xmlNode *n)
{
	static _Thread_local char w[64];
	snprintf(w, sizeof w, "line %d", n ? (int)xmlGetLineNo(n) : 0);
	return w;
}

static void get_bool(reader *r, const xmlNode *n, const char *name, bool *dst)
{
	char *v = attr(n, name);
	if (!v)
		return;
	if (!strcmp(v, "true") || !strcmp(v, "1"))
		*dst = true;
	else if (!strcmp(v, "false") || !strcmp(v, "0"))
		*dst = false;
	else
		fail(r, PC_EFORMAT, "%s: %s=\"%.40s\" is not a boolean", where(n), name, v);
	free(v);
}

static void get_dec(reader *r, const xmlNode *n, const char *name, double lo, double hi, double *dst,
		    char **text)
{
	char *v = attr(n, name);
	if (!v)
		return;
	char *end = NULL;
	errno = 0;
	double d = strtod(v, &end);
	if (!*v || *end || errno || !(d >= lo && d <= hi))
		fail(r, PC_EFORMAT, "%s: %s=\"%.40s\" is not a decimal in [%g, %g]", where(n), name, v, lo, hi);
	else
		*dst = d;
	if (text && r->rc == 0) {
		free(*text);
		*text = v;
		return;
	}
	free(v);
}

static void get_uint(reader *r, const xmlNode *n, const char *name, unsigned *dst, bool *given)
{
	char *v = attr(n, name);
	if (!v)
		return;
	char *end = NULL;
	errno = 0;
	unsigned long u = strtoul(v, &end, 10);
	if (!*v || *end || errno || v[0] == '-' || u > 1000000000UL)
		fail(r, PC_EFORMAT, "%s: %s=\"%.40s\" is not a non-negative integer", where(n), name, v);
	else {
		*dst = (unsigned)u;
		if (given)
			*given = true;
	}
	free(v);
}

/* Looks `v` up in a NULL-terminated name table; -1 when absent (the caller reports). */
static int lookup(const char *const *names, const char *v)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], v))
			return i;
	return -1;
}

static void get_enum(reader *r, const xmlNode *n, const char *name, const char *const *names, int *dst)
{
	char *v = attr(n, name);
	if (!v)
		return;
	int k = lookup(names, v);
	if (k < 0)
		fail(r, PC_EFORMAT, "%s: %s=\"%.40s\" is not an allowed value", where(n), name, v);
	else
		*dst = k;
	free(v);
}

static const char *const cond_names[] = {
	"satisfied", "objectiveStatusKnown", "objectiveMeasureKnown", "objectiveMeasureGreaterThan",
	"objectiveMeasureLessThan", "completed", "activityProgressKnown", "attempted",
	"attemptLimitExceeded", "timeLimitExceeded", "outsideAvailableTimeRange", "always", NULL};
static const char *const action_names[] = {
	"skip", "disabled", "hiddenFromChoice", "stopForwardTraversal", "exit", "exitParent",
	"exitAll", "retry", "retryAll", "continue", "previous", "satisfied", "notSatisfied",
	"completed", "incomplete", NULL};
static const char *const set_names[] = {"all", "any", "none", "atLeastCount", "atLeastPercent", NULL};
static const char *const required_names[] = {"always", "ifAttempted", "ifNotSkipped", "ifNotSuspended", NULL};
static const char *const timing_names[] = {"never", "once", "onEachNewAttempt", NULL};
static const char *const hide_names[] = {"previous", "continue", "exit", "exitAll", "abandon",
					 "abandonAll", "suspendAll", NULL};

static void rule_list_clear(rule_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].conds);
	free(l->v);
	l->v = NULL;
	l->n = 0;
	l->given = false;
}

static void obj_defs_clear(seq_def *d)
{
	for (size_t i = 0; i < d->nobj; i++) {
		free(d->obj[i].id);
		free(d->obj[i].min_measure_text);
		for (size_t m = 0; m < d->obj[i].nmaps; m++)
			free(d->obj[i].maps[m].target);
		free(d->obj[i].maps);
	}
	free(d->obj);
	d->obj = NULL;
	d->nobj = 0;
}

static void seq_def_defaults(seq_def *d)
{
	memset(d, 0, sizeof *d);
	d->choice = d->choice_exit = true;
	d->use_cur_obj = d->use_cur_prog = true;
	d->rollup_sat = d->rollup_prog = true;
	d->measure_weight = 1.0;
	d->tracked = true;
	d->measure_sat_if_active = true;
}

/* Remembers a condition's referencedObjective; the index is stored in c->objective as
 * -(2 + slot) until resolution. */
static void remember_ref(reader *r, rule_cond *c, char *ref)
{
	if (!ref) {
		c->objective = -1; /* the primary */
		return;
	}
	if (r->nrefs == r->caprefs) {
		size_t nc = r->caprefs ? r->caprefs * 2 : 16;
		char **nv = realloc(r->refs, nc * sizeof *nv);
		if (!nv) {
			free(ref);
			fail(r, PC_ENOMEM, "out of memory");
			return;
		}
		r->refs = nv;
		r->caprefs = nc;
	}
	r->refs[r->nrefs] = ref;
	c->objective = -2 - (int)r->nrefs;
	r->nrefs++;
}

/* Reads one rule (sequencing or rollup) into *ru. */
static void read_rule(reader *r, xmlNode *n, bool rollup, rule *ru, rule_action fixed_action, bool has_fixed)
{
	memset(ru, 0, sizeof *ru);
	xmlNode *conds = child(n, NS_IMSSS, rollup ? "rollupConditions" : "ruleConditions");
	xmlNode *act = child(n, NS_IMSSS, rollup ? "rollupAction" : "ruleAction");
	ru->any = rollup; /* XSD: rollupConditions default "any", ruleConditions "all" */
	if (rollup) {
		int s = SET_ALL;
		get_enum(r, n, "childActivitySet", set_names, &s);
		ru->set = (child_set)s;
		get_uint(r, n, "minimumCount", &ru->min_count, NULL);
		get_dec(r, n, "minimumPercent", 0, 1, &ru->min_percent, NULL);
	}
	if (conds) {
		int comb = rollup ? 1 : 0;
		static const char *const comb_names[] = {"all", "any", NULL};
		get_enum(r, conds, "conditionCombination", comb_names, &comb);
		ru->any = comb == 1;
		size_t cnt = 0;
		for (xmlNode *c = conds->children; c; c = c->next)
			if (is_el(c, NS_IMSSS, rollup ? "rollupCondition" : "ruleCondition"))
				cnt++;
		if (cnt > SN_MAX_CONDITIONS) {
			fail(r, PC_ELIMIT, "%s: more than %d conditions in one rule", where(conds), SN_MAX_CONDITIONS);
			return;
		}
		ru->conds = cnt ? calloc(cnt, sizeof *ru->conds) : NULL;
		if (cnt && !ru->conds) {
			fail(r, PC_ENOMEM, "out of memory");
			return;
		}
		for (xmlNode *c = conds->children; c; c = c->next) {
			if (!is_el(c, NS_IMSSS, rollup ? "rollupCondition" : "ruleCondition"))
				continue;
			rule_cond *rc = &ru->conds[ru->nconds++];
			int k = -1;
			char *cv = attr(c, "condition");
			if (cv)
				k = lookup(cond_names, cv);
			if (k < 0)
				fail(r, PC_EFORMAT, "%s: condition=\"%.40s\" is not a rule condition", where(c),
				     cv ? cv : "");
			free(cv);
			rc->kind = k < 0 ? COND_ALWAYS : (cond_kind)k;
			static const char *const op_names[] = {"noOp", "not", NULL};
			int op = 0;
			get_enum(r, c, "operator", op_names, &op);
			rc->negate = op == 1;
			get_dec(r, c, "measureThreshold", -1, 1, &rc->threshold, NULL);
			remember_ref(r, rc, rollup ? NULL : attr(c, "referencedObjective"));
		}
	}
	if (has_fixed) {
		ru->action = fixed_action;
	} else {
		int a = -1;
		char *av = act ? attr(act, "action") : NULL;
		if (av)
			a = lookup(action_names, av);
		if (a < 0)
			fail(r, PC_EFORMAT, "%s: rule action \"%.40s\" is not allowed here", where(act ? act : n),
			     av ? av : "");
		free(av);
		ru->action = a < 0 ? ACT_SKIP : (rule_action)a;
	}
}

static void read_rules(reader *r, xmlNode *parent, const char *ns, const char *name, bool rollup,
		       rule_list *l)
{
	size_t cnt = 0;
	for (xmlNode *c = parent->children; c; c = c->next)
		if (is_el(c, ns, name))
			cnt++;
	if (!cnt)
		return;
	if (cnt > SN_MAX_RULES) {
		fail(r, PC_ELIMIT, "%s: more than %d %s rules", where(parent), SN_MAX_RULES, name);
		return;
	}
	rule_list_clear(l);
	l->given = true;
	l->v = calloc(cnt, sizeof *l->v);
	if (!l->v) {
		fail(r, PC_ENOMEM, "out of memory");
		return;
	}
	for (xmlNode *c = parent->children; c && r->rc == 0; c = c->next) {
		if (!is_el(c, ns, name))
			continue;
		read_rule(r, c, rollup, &l->v[l->n], 0, false);
		l->n++;
		rule *ru = &l->v[l->n - 1];
		/* the action must belong to the rule kind */
		bool ok = rollup ? ru->action >= ACT_SATISFIED
				 : !strcmp(name, "preConditionRule") ? ru->action <= ACT_STOP_FORWARD
				 : !strcmp(name, "exitConditionRule") ? ru->action == ACT_EXIT
								     : ru->action >= ACT_EXIT_PARENT && ru->action <= ACT_PREVIOUS;
		bool cond_ok = true;
		for (size_t k = 0; k < ru->nconds; k++)
			if (rollup && (ru->conds[k].kind == COND_ALWAYS || ru->conds[k].kind == COND_OBJ_MEASURE_GT ||
				       ru->conds[k].kind == COND_OBJ_MEASURE_LT))
				cond_ok = false;
		if (!ok || !cond_ok)
			fail(r, PC_EFORMAT, "%s: %s with an action or condition it may not have", where(c), name);
	}
}

/* A targetObjectiveID as a key: %XX escapes decoded, then whitespace collapsed the way XML
 * Schema collapses anyURI (CTS OB-02b maps "  gObj%20-%20OB%2002%20b " and
 * "gObj%20%20-%20%20OB%2002%20b" to one global objective). Works in place; takes ownership. */
static char *norm_uri(char *s)
{
	if (!s)
		return NULL;
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (r[0] == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
			char hex[3] = {r[1], r[2], 0};
			*w++ = (char)strtol(hex, NULL, 16);
			r += 2;
		} else
			*w++ = *r;
	}
	*w = '\0';
	char *o = s;
	bool space = false;
	for (const char *r = s; *r; r++) {
		bool ws = *r == ' ' || *r == '\t' || *r == '\n' || *r == '\r';
		if (ws) {
			space = o != s;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = *r;
	}
	*o = '\0';
	return s;
}

static int add_map(reader *r, obj_def *o, xmlNode *m, bool adl)
{
	if (o->nmaps >= SN_MAX_MAPS)
		return fail(r, PC_ELIMIT, "%s: more than %d maps on one objective", where(m), SN_MAX_MAPS);
	char *target = norm_uri(attr(m, "targetObjectiveID"));
	if (!target || !*target || strlen(target) > SN_MAX_ID) {
		free(target);
		return fail(r, PC_EFORMAT, "%s: mapInfo without a usable targetObjectiveID", where(m));
	}
	obj_map *nv = realloc(o->maps, (o->nmaps + 1) * sizeof *nv);
	if (!nv) {
		free(target);
		return fail(r, PC_ENOMEM, "out of memory");
	}
	o->maps = nv;
	obj_map *mp = &o->maps[o->nmaps++];
	memset(mp, 0, sizeof *mp);
	mp->target = target;
	mp->global = -1;
	if (!adl) {
		mp->read_sat = mp->read_meas = true;
		get_bool(r, m, "readSatisfiedStatus", &mp->read_sat);
		get_bool(r, m, "readNormalizedMeasure", &mp->read_meas);
		get_bool(r, m, "writeSatisfiedStatus", &mp->write_sat);
		get_bool(r, m, "writeNormalizedMeasure", &mp->write_meas);
	} else {
		mp->read_raw = mp->read_min = mp->read_max = mp->read_comp = mp->read_pm = true;
		get_bool(r, m, "readRawScore", &mp->read_raw);
		get_bool(r, m, "readMinScore", &mp->read_min);
		get_bool(r, m, "readMaxScore", &mp->read_max);
		get_bool(r, m, "readCompletionStatus", &mp->read_comp);
		get_bool(r, m, "readProgressMeasure", &mp->read_pm);
		get_bool(r, m, "writeRawScore", &mp->write_raw);
		get_bool(r, m, "writeMinScore", &mp->write_min);
		get_bool(r, m, "writeMaxScore", &mp->write_max);
		get_bool(r, m, "writeCompletionStatus", &mp->write_comp);
		get_bool(r, m, "writeProgressMeasure", &mp->write_pm);
	}
	return r->rc;
}

static void read_objective(reader *r, xmlNode *n, obj_def *o, bool primary)
{
	memset(o, 0, sizeof *o);
	o->primary = primary;
	o->min_measure = 1.0;
	o->id = attr(n, "objectiveID");
	if (o->id && (!*o->id || strlen(o->id) > SN_MAX_ID)) {
		fail(r, PC_EFORMAT, "%s: objectiveID is empty or too long", where(n));
		return;
	}
	if (!primary && !o->id)
		fail(r, PC_EFORMAT, "%s: an objective needs an objectiveID", where(n));
	get_bool(r, n, "satisfiedByMeasure", &o->sat_by_measure);
	xmlNode *mm = child(n, NS_IMSSS, "minNormalizedMeasure");
	if (mm) {
		xmlChar *txt = xmlNodeGetContent(mm);
		char *end = NULL;
		const char *s = txt ? (const char *)txt : "";
		while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
			s++;
		errno = 0;
		double d = strtod(s, &end);
		while (end && (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r'))
			end++;
		if (!*s || (end && *end) || errno || !(d >= -1 && d <= 1))
			fail(r, PC_EFORMAT, "%s: minNormalizedMeasure is not a decimal in [-1, 1]", where(mm));
		else {
			o->min_measure = d;
			size_t l = strcspn(s, " \n\t\r");
			o->min_measure_text = strndup(s, l);
		}
		xmlFree(txt);
	}
	for (xmlNode *m = n->children; m && r->rc == 0; m = m->next)
		if (is_el(m, NS_IMSSS, "mapInfo"))
			add_map(r, o, m, false);
}

static void read_objectives(reader *r, xmlNode *objs, seq_def *d)
{
	size_t cnt = 0;
	for (xmlNode *c = objs->children; c; c = c->next)
		if (is_el(c, NS_IMSSS, "primaryObjective") || is_el(c, NS_IMSSS, "objective"))
			cnt++;
	if (cnt > SN_MAX_OBJECTIVES) {
		fail(r, PC_ELIMIT, "%s: more than %d objectives", where(objs), SN_MAX_OBJECTIVES);
		return;
	}
	obj_defs_clear(d);
	d->obj_given = true;
	d->obj = calloc(cnt ? cnt : 1, sizeof *d->obj);
	if (!d->obj) {
		fail(r, PC_ENOMEM, "out of memory");
		return;
	}
	xmlNode *p = child(objs, NS_IMSSS, "primaryObjective");
	if (p)
		read_objective(r, p, &d->obj[d->nobj++], true);
	for (xmlNode *c = objs->children; c && r->rc == 0; c = c->next)
		if (is_el(c, NS_IMSSS, "objective"))
			read_objective(r, c, &d->obj[d->nobj++], false);
}

/* adlseq:objectives extend imsss objectives of the same ID with 4th Edition maps. */
static void read_adl_objectives(reader *r, xmlNode *objs, seq_def *d)
{
	for (xmlNode *c = objs->children; c && r->rc == 0; c = c->next) {
		if (!is_el(c, NS_ADLSEQ, "objective"))
			continue;
		char *id = attr(c, "objectiveID");
		obj_def *o = NULL;
		for (size_t i = 0; id && i < d->nobj; i++)
			if (d->obj[i].id && !strcmp(d->obj[i].id, id))
				o = &d->obj[i];
		if (!o) {
			/* extends no imsss objective (IDs are case-sensitive; CTS OB-06 writes
			 * "PRIMARYOBJ" for "primaryobj"): there is nothing to extend, ignored */
			free(id);
			continue;
		}
		free(id);
		for (xmlNode *m = c->children; m && r->rc == 0; m = m->next)
			if (is_el(m, NS_ADLSEQ, "mapInfo"))
				add_map(r, o, m, true);
	}
}

/* Applies one <imsss:sequencing> element over *d. */
static void apply_sequencing(reader *r, xmlNode *seq, seq_def *d)
{
	xmlNode *n;
	/* An element given replaces the same element of a referenced collection entry whole:
	 * attributes it leaves out take their XSD defaults again (CTS CM-03b). */
	seq_def def;
	seq_def_defaults(&def);
	if ((n = child(seq, NS_IMSSS, "controlMode"))) {
		d->choice = def.choice, d->choice_exit = def.choice_exit, d->flow = def.flow;
		d->forward_only = def.forward_only, d->use_cur_obj = def.use_cur_obj, d->use_cur_prog = def.use_cur_prog;
		get_bool(r, n, "choice", &d->choice);
		get_bool(r, n, "choiceExit", &d->choice_exit);
		get_bool(r, n, "flow", &d->flow);
		get_bool(r, n, "forwardOnly", &d->forward_only);
		get_bool(r, n, "useCurrentAttemptObjectiveInfo", &d->use_cur_obj);
		get_bool(r, n, "useCurrentAttemptProgressInfo", &d->use_cur_prog);
	}
	if ((n = child(seq, NS_IMSSS, "sequencingRules"))) {
		rule_list_clear(&d->pre);
		rule_list_clear(&d->exit);
		rule_list_clear(&d->post);
		read_rules(r, n, NS_IMSSS, "preConditionRule", false, &d->pre);
		read_rules(r, n, NS_IMSSS, "exitConditionRule", false, &d->exit);
		read_rules(r, n, NS_IMSSS, "postConditionRule", false, &d->post);
	}
	if ((n = child(seq, NS_IMSSS, "limitConditions"))) {
		d->limit_on = false;
		d->attempt_limit = 0;
		free(d->abs_duration);
		d->abs_duration = NULL;
		get_uint(r, n, "attemptLimit", &d->attempt_limit, &d->limit_on);
		/* 0 is read as "no limit" (what authoring tools mean by it), not as "never" */
		if (d->attempt_limit == 0)
			d->limit_on = false;
		char *v = attr(n, "attemptAbsoluteDurationLimit");
		if (v) {
			free(d->abs_duration);
			d->abs_duration = v;
		}
	}
	if ((n = child(seq, NS_IMSSS, "rollupRules"))) {
		d->rollup_sat = def.rollup_sat, d->rollup_prog = def.rollup_prog, d->measure_weight = def.measure_weight;
		rule_list_clear(&d->rollup);
		get_bool(r, n, "rollupObjectiveSatisfied", &d->rollup_sat);
		get_bool(r, n, "rollupProgressCompletion", &d->rollup_prog);
		get_dec(r, n, "objectiveMeasureWeight", 0, 1, &d->measure_weight, NULL);
		read_rules(r, n, NS_IMSSS, "rollupRule", true, &d->rollup);
	}
	if ((n = child(seq, NS_IMSSS, "objectives")))
		read_objectives(r, n, d);
	if ((n = child(seq, NS_IMSSS, "randomizationControls"))) {
		d->rnd_timing = d->sel_timing = TIMING_NEVER;
		d->select_count_on = d->reorder = false;
		d->select_count = 0;
		int t = (int)d->rnd_timing;
		get_enum(r, n, "randomizationTiming", timing_names, &t);
		d->rnd_timing = (sr_timing)t;
		t = (int)d->sel_timing;
		get_enum(r, n, "selectionTiming", timing_names, &t);
		d->sel_timing = (sr_timing)t;
		get_uint(r, n, "selectCount", &d->select_count, &d->select_count_on);
		get_bool(r, n, "reorderChildren", &d->reorder);
	}
	if ((n = child(seq, NS_IMSSS, "deliveryControls"))) {
		d->tracked = def.tracked, d->completion_by_content = def.completion_by_content;
		d->objective_by_content = def.objective_by_content;
		get_bool(r, n, "tracked", &d->tracked);
		get_bool(r, n, "completionSetByContent", &d->completion_by_content);
		get_bool(r, n, "objectiveSetByContent", &d->objective_by_content);
	}
	if ((n = child(seq, NS_ADLSEQ, "constrainedChoiceConsiderations"))) {
		d->prevent_activation = d->constrain_choice = false;
		get_bool(r, n, "preventActivation", &d->prevent_activation);
		get_bool(r, n, "constrainChoice", &d->constrain_choice);
	}
	if ((n = child(seq, NS_ADLSEQ, "rollupConsiderations"))) {
		d->req_sat = d->req_notsat = d->req_comp = d->req_incomp = REQ_ALWAYS;
		d->measure_sat_if_active = def.measure_sat_if_active;
		int v;
		v = (int)d->req_sat, get_enum(r, n, "requiredForSatisfied", required_names, &v), d->req_sat = (required_for)v;
		v = (int)d->req_notsat, get_enum(r, n, "requiredForNotSatisfied", required_names, &v),
		d->req_notsat = (required_for)v;
		v = (int)d->req_comp, get_enum(r, n, "requiredForCompleted", required_names, &v), d->req_comp = (required_for)v;
		v = (int)d->req_incomp, get_enum(r, n, "requiredForIncomplete", required_names, &v),
		d->req_incomp = (required_for)v;
		get_bool(r, n, "measureSatisfactionIfActive", &d->measure_sat_if_active);
	}
	/* adlseq:objectives are read once the imsss objectives are final (add_activity) */
}

static xmlNode *collection_entry(reader *r, const char *id)
{
	for (xmlNode *c = r->collection ? r->collection->children : NULL; c; c = c->next) {
		if (!is_el(c, NS_IMSSS, "sequencing"))
			continue;
		char *v = attr(c, "ID");
		bool hit = v && !strcmp(v, id);
		free(v);
		if (hit)
			return c;
	}
	return NULL;
}

static char *text_of(xmlNode *n)
{
	if (!n)
		return NULL;
	xmlChar *t = xmlNodeGetContent(n);
	char *s = t ? strdup((const char *)t) : NULL;
	xmlFree(t);
	return s;
}

/* Adds the activity for `n` (organization or item) and its items, preorder. */
static int add_activity(reader *r, xmlNode *n, int parent, int depth)
{
	sn_tree *t = r->t;
	if (t->n >= SN_MAX_ACTIVITIES)
		return fail(r, PC_ELIMIT, "more than %d activities", SN_MAX_ACTIVITIES);
	int idx = (int)t->n++;
	activity *a = &t->a[idx];
	memset(a, 0, sizeof *a);
	seq_def_defaults(&a->d);
	a->item.parent = parent;
	a->item.visible = 1;
	a->depth = depth;
	a->min_progress = 1.0;
	a->progress_weight = 1.0;
	a->s_id = attr(n, "identifier");
	if (!a->s_id)
		return fail(r, PC_EFORMAT, "%s: <%s> without identifier", where(n), (const char *)n->name);
	a->s_title = text_of(child(n, NULL, "title"));
	a->s_ref = attr(n, "identifierref");
	a->s_params = attr(n, "parameters");
	char *vis = attr(n, "isvisible");
	if (vis && (!strcmp(vis, "false") || !strcmp(vis, "0")))
		a->item.visible = 0;
	free(vis);

	xmlNode *seq = child(n, NS_IMSSS, "sequencing");
	if (seq) {
		r->t->sequenced = true;
		char *idref = attr(seq, "IDRef");
		if (idref) {
			xmlNode *e = collection_entry(r, idref);
			if (!e)
				fail(r, PC_EFORMAT, "%s: IDRef \"%.60s\" names no sequencingCollection entry", where(seq), idref);
			else
				apply_sequencing(r, e, &a->d);
			free(idref);
		}
		if (r->rc == 0)
			apply_sequencing(r, seq, &a->d);
		/* 4th Edition map extensions apply to the objectives as merged: a collection entry's
		 * adlseq:objectives extend the item's own imsss objectives too (CTS OB-06) */
		xmlNode *ext;
		char *idref2 = attr(seq, "IDRef");
		xmlNode *e = idref2 ? collection_entry(r, idref2) : NULL;
		free(idref2);
		if (e && r->rc == 0 && (ext = child(e, NS_ADLSEQ, "objectives")))
			read_adl_objectives(r, ext, &a->d);
		if (r->rc == 0 && (ext = child(seq, NS_ADLSEQ, "objectives")))
			read_adl_objectives(r, ext, &a->d);
	}
	if (r->rc)
		return r->rc;
	xmlNode *ct = child(n, NS_ADLCP, "completionThreshold");
	if (ct) {
		get_bool(r, ct, "completedByMeasure", &a->completed_by_measure);
		char *txt = NULL;
		get_dec(r, ct, "minProgressMeasure", 0, 1, &a->min_progress, &txt);
		get_dec(r, ct, "progressWeight", 0, 1, &a->progress_weight, NULL);
		if (a->completed_by_measure)
			a->s_ct = txt ? txt : strdup("1.0");
		else
			free(txt);
	}
	a->s_data = text_of(child(n, NS_ADLCP, "dataFromLMS"));
	a->s_tla = text_of(child(n, NS_ADLCP, "timeLimitAction"));
	xmlNode *pres = child(n, NS_ADLNAV, "presentation");
	xmlNode *ni = child(pres, NS_ADLNAV, "navigationInterface");
	for (xmlNode *h = ni ? ni->children : NULL; h; h = h->next) {
		if (!is_el(h, NS_ADLNAV, "hideLMSUI"))
			continue;
		char *v = text_of(h);
		int k = v ? lookup(hide_names, v) : -1;
		free(v);
		if (k >= 0)
			a->item.hide_ui |= 1u << k;
	}

	size_t nkids = 0;
	for (xmlNode *c = n->children; c; c = c->next)
		if (is_el(c, NULL, "item"))
			nkids++;
	if (nkids) {
		a->children = calloc(nkids, sizeof *a->children);
		if (!a->children)
			return fail(r, PC_ENOMEM, "out of memory");
	}
	for (xmlNode *c = n->children; c && r->rc == 0; c = c->next) {
		if (!is_el(c, NULL, "item"))
			continue;
		int kid = (int)t->n;
		if (add_activity(r, c, idx, depth + 1))
			break;
		a = &t->a[idx]; /* t->a does not move (allocated at full size), kept for clarity */
		a->children[a->nchildren++] = kid;
	}
	return r->rc;
}

static size_t count_items(xmlNode *n)
{
	size_t c = 1;
	for (xmlNode *k = n->children; k; k = k->next)
		if (is_el(k, NULL, "item"))
			c += count_items(k);
	return c;
}

/* Every objective gets a primary first (an anonymous one when the manifest gives none); rule
 * references are resolved to indices; maps to global slots. */
static int finish(reader *r)
{
	sn_tree *t = r->t;
	for (size_t i = 0; i < t->n && r->rc == 0; i++) {
		activity *a = &t->a[i];
		seq_def *d = &a->d;
		int prim = -1;
		for (size_t k = 0; k < d->nobj; k++)
			if (d->obj[k].primary)
				prim = (int)k;
		if (prim < 0) {
			obj_def *nv = realloc(d->obj, (d->nobj + 1) * sizeof *nv);
			if (!nv)
				return fail(r, PC_ENOMEM, "out of memory");
			d->obj = nv;
			memmove(d->obj + 1, d->obj, d->nobj * sizeof *nv);
			memset(&d->obj[0], 0, sizeof d->obj[0]);
			d->obj[0].primary = true;
			d->obj[0].min_measure = 1.0;
			d->nobj++;
		} else if (prim > 0) {
			obj_def p = d->obj[prim];
			memmove(d->obj + 1, d->obj, (size_t)prim * sizeof p);
			d->obj[0] = p;
		}
		rule_list *lists[] = {&d->pre, &d->exit, &d->post, &d->rollup};
		for (size_t l = 0; l < PC_ARRAY_LEN(lists); l++)
			for (size_t k = 0; k < lists[l]->n; k++)
				for (size_t c = 0; c < lists[l]->v[k].nconds; c++) {
					rule_cond *rc = &lists[l]->v[k].conds[c];
					if (rc->objective == -1) {
						rc->objective = 0;
						continue;
					}
					const char *ref = r->refs[-2 - rc->objective];
					rc->objective = -1; /* a reference to no objective: conditions on it are unknown */
					for (size_t o = 0; o < d->nobj; o++)
						if (d->obj[o].id && !strcmp(d->obj[o].id, ref))
							rc->objective = (int)o;
				}
		for (size_t o = 0; o < d->nobj; o++)
			for (size_t m = 0; m < d->obj[o].nmaps; m++) {
				obj_map *mp = &d->obj[o].maps[m];
				size_t g = 0;
				while (g < t->nglobals && strcmp(t->globals[g], mp->target))
					g++;
				if (g == t->nglobals) {
					char **nv = realloc(t->globals, (t->nglobals + 1) * sizeof *nv);
					char *dup = nv ? strdup(mp->target) : NULL;
					if (!nv || !dup) {
						if (nv)
							t->globals = nv;
						return fail(r, PC_ENOMEM, "out of memory");
					}
					t->globals = nv;
					t->globals[t->nglobals++] = dup;
				}
				mp->global = (int)g;
			}
		obj_def *p = &d->obj[0];
		a->item.id = a->s_id;
		a->item.title = a->s_title;
		a->item.identifierref = a->s_ref;
		a->item.parameters = a->s_params;
		a->item.data_from_lms = a->s_data;
		a->item.time_limit_action = a->s_tla;
		a->item.attempt_abs_duration = d->abs_duration;
		a->item.completion_threshold = a->s_ct;
		a->item.scaled_passing_score = p->sat_by_measure ? (p->min_measure_text ? p->min_measure_text : "1.0") : NULL;
		a->item.leaf = a->nchildren == 0;
		a->item.tracked = d->tracked;
	}
	return r->rc;
}

static void quiet(void *ud, xmlErrorPtr e)
{
	(void)ud;
	(void)e;
}

static xmlParserInputPtr no_entity(void *ctx, const xmlChar *public_id, const xmlChar *system_id)
{
	(void)ctx;
	(void)public_id;
	(void)system_id;
	return NULL;
}

int sn_tree_parse(sn_tree **out, const char *xml, size_t len, const char *org_id, char *err, size_t errlen)
{
	reader r = {0};
	xmlDoc *doc = NULL;
	*out = NULL;
	r.err = err;
	r.errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
	if (len > SN_MAX_MANIFEST || len > (size_t)0x7fffffff)
		return fail(&r, PC_ELIMIT, "manifest larger than %zu bytes", SN_MAX_MANIFEST);
	/* A parser of our own: libxml2's errors go nowhere (a library never prints; the reason we
	 * give is ours), and no external entity is ever loaded (no network, no local files). */
	xmlParserCtxtPtr pc = xmlNewParserCtxt();
	if (!pc)
		return fail(&r, PC_ENOMEM, "out of memory");
	pc->sax->serror = quiet;
	pc->sax->resolveEntity = no_entity;
	pc->sax->warning = NULL;
	pc->sax->error = NULL;
	pc->sax->fatalError = NULL;
	doc = xmlCtxtReadMemory(pc, xml, (int)len, "imsmanifest.xml", NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	int well_formed = pc->wellFormed;
	xmlFreeParserCtxt(pc);
	if (!doc || !well_formed) {
		xmlFreeDoc(doc);
		return fail(&r, PC_EFORMAT, "not well-formed XML");
	}
	xmlNode *root = xmlDocGetRootElement(doc);
	if (!is_el(root, NULL, "manifest")) {
		fail(&r, PC_EFORMAT, "the root element is not <manifest>");
		goto cleanup;
	}
	r.collection = child(root, NS_IMSSS, "sequencingCollection");
	xmlNode *orgs = child(root, NULL, "organizations");
	xmlNode *org = NULL;
	char *want = org_id ? strdup(org_id) : (orgs ? attr(orgs, "default") : NULL);
	for (xmlNode *c = orgs ? orgs->children : NULL; c; c = c->next) {
		if (!is_el(c, NULL, "organization"))
			continue;
		char *id = attr(c, "identifier");
		bool hit = !want || (id && !strcmp(id, want));
		free(id);
		if (hit) {
			org = c;
			break;
		}
	}
	if (!org && want && !org_id) /* a default naming nothing: take the first */
		for (xmlNode *c = orgs ? orgs->children : NULL; c && !org; c = c->next)
			if (is_el(c, NULL, "organization"))
				org = c;
	if (!org) {
		fail(&r, PC_EFORMAT, "no organization \"%.60s\"", want ? want : "");
		free(want);
		goto cleanup;
	}
	free(want);
	size_t total = count_items(org);
	if (total > SN_MAX_ACTIVITIES) {
		fail(&r, PC_ELIMIT, "more than %d activities", SN_MAX_ACTIVITIES);
		goto cleanup;
	}
	r.t = calloc(1, sizeof *r.t);
	if (!r.t || !(r.t->a = calloc(total, sizeof *r.t->a))) {
		fail(&r, PC_ENOMEM, "out of memory");
		goto cleanup;
	}
	r.t->globals_to_system = true;
	get_bool(&r, org, "objectivesGlobalToSystem", &r.t->globals_to_system);
	if (add_activity(&r, org, -1, 0) == 0)
		finish(&r);
cleanup:
	for (size_t i = 0; i < r.nrefs; i++)
		free(r.refs[i]);
	free(r.refs);
	xmlFreeDoc(doc);
	if (r.rc) {
		sn_tree_free(r.t);
		return r.rc;
	}
	*out = r.t;
	return 0;
}

void sn_tree_free(sn_tree *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		activity *a = &t->a[i];
		rule_list_clear(&a->d.pre);
		rule_list_clear(&a->d.exit);
		rule_list_clear(&a->d.post);
		rule_list_clear(&a->d.rollup);
		obj_defs_clear(&a->d);
		free(a->d.abs_duration);
		free(a->children);
		free(a->s_id);
		free(a->s_title);
		free(a->s_ref);
		free(a->s_params);
		free(a->s_data);
		free(a->s_tla);
		free(a->s_ct);
	}
	free(t->a);
	for (size_t g = 0; g < t->nglobals; g++)
		free(t->globals[g]);
	free(t->globals);
	free(t);
}

size_t sn_tree_size(const sn_tree *t) { return t ? t->n : 0; }

const sn_item *sn_tree_item(const sn_tree *t, size_t i) { return t && i < t->n ? &t->a[i].item : NULL; }

int sn_tree_find(const sn_tree *t, const char *id)
{
	for (size_t i = 0; t && id && i < t->n; i++)
		if (!strcmp(t->a[i].s_id, id))
			return (int)i;
	return -1;
}

int sn_tree_globals_to_system(const sn_tree *t) { return t->globals_to_system; }
size_t sn_tree_globals(const sn_tree *t) { return t->nglobals; }
int sn_tree_sequenced(const sn_tree *t) { return t->sequenced; }
