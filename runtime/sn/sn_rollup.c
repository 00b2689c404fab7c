/* Rollup (RB.1.1 measure, RB.1.1b completion measure, RB.1.2 objective, RB.1.3 progress, RB.1.4
 * rule check with RB.1.4.1/RB.1.4.2, RB.1.5 overall) and the two utilities that end attempts:
 * UP.4 End Attempt and UP.3 Terminate Descendent Attempts. */
#include "common.h"
#include "sn_int.h"

/* RB.1.4.2 Check Child for Rollup. */
static bool child_included(const sn_state *st, int c, rule_action action)
{
	const seq_def *d = &ACT(st, c)->d;
	const act_track *t = &st->t[c];
	required_for req;
	if (action == ACT_SATISFIED || action == ACT_NOT_SATISFIED) {
		if (!d->rollup_sat)
			return false;
		req = action == ACT_SATISFIED ? d->req_sat : d->req_notsat;
	} else {
		if (!d->rollup_prog)
			return false;
		req = action == ACT_COMPLETED ? d->req_comp : d->req_incomp;
	}
	switch (req) {
	case REQ_IF_NOT_SUSPENDED:
		return t->act_prog && !(t->attempts > 0 && t->suspended);
	case REQ_IF_ATTEMPTED:
		return t->act_prog && t->attempts > 0;
	case REQ_IF_NOT_SKIPPED:
		return sn_rules_check(st, c, &d->pre, 1u << ACT_SKIP) < 0;
	case REQ_ALWAYS:
		break;
	}
	return true;
}

/* RB.1.4.1 on one child: the rule's conditions, each on the child's primary objective and
 * attempt data, combined all/any in three-valued logic. */
static tv child_conditions(const sn_state *st, int c, const rule *r)
{
	bool unknown = false;
	if (!r->nconds)
		return TV_UNKNOWN;
	for (size_t i = 0; i < r->nconds; i++) {
		tv v = sn_cond_eval(st, c, &r->conds[i], true);
		if (v == TV_UNKNOWN)
			unknown = true;
		else if (r->any && v == TV_TRUE)
			return TV_TRUE;
		else if (!r->any && v == TV_FALSE)
			return TV_FALSE;
	}
	return unknown ? TV_UNKNOWN : (r->any ? TV_FALSE : TV_TRUE);
}

/* The child set of one rollup rule over the contributing children. */
static bool rollup_rule_fires(const sn_state *st, int a, const rule *r)
{
	const act_track *t = &st->t[a];
	unsigned n = 0, nt = 0, nf = 0, nu = 0;
	for (size_t i = 0; i < t->navail; i++) {
		int c = t->avail[i];
		if (!ACT(st, c)->d.tracked || !child_included(st, c, r->action))
			continue;
		tv v = child_conditions(st, c, r);
		n++;
		nt += v == TV_TRUE;
		nf += v == TV_FALSE;
		nu += v == TV_UNKNOWN;
	}
	/* An empty set of contributing children is read literally: "all" and "none" hold (no False,
	 * no Unknown in it), "any" does not (CTS RU-15b: a cluster whose children are all excluded
	 * is completed by its "all satisfied" rule). */
	switch (r->set) {
	case SET_ALL: return nf == 0 && nu == 0;
	case SET_ANY: return nt > 0;
	case SET_NONE: return nt == 0 && nu == 0;
	case SET_AT_LEAST_COUNT: return nt >= r->min_count;
	case SET_AT_LEAST_PERCENT: return n ? (double)nt / (double)n >= r->min_percent - 1e-9 : r->min_percent <= 0;
	}
	return false;
}

/* The rules used when an activity has none for satisfaction (or none for completion):
 * satisfied if all children are, not satisfied when all are known; the same for completion. */
static const rule_cond default_conds[] = {
	{COND_SATISFIED, false, 0, 0.0},
	{COND_OBJ_STATUS_KNOWN, false, 0, 0.0},
	{COND_COMPLETED, false, 0, 0.0},
	{COND_PROGRESS_KNOWN, false, 0, 0.0},
};

/* RB.1.4 Rollup Rule Check: does any rule for `action` fire? */
static bool rollup_check(const sn_state *st, int a, rule_action action)
{
	const rule_list *l = &ACT(st, a)->d.rollup;
	bool objective = action == ACT_SATISFIED || action == ACT_NOT_SATISFIED;
	bool has = false; /* a rule for this pair of actions (satisfied/notSatisfied or
			     completed/incomplete): then no default rule for either (CTS RU-12a) */
	for (size_t i = 0; i < l->n; i++) {
		rule_action ra = l->v[i].action;
		if ((ra == ACT_SATISFIED || ra == ACT_NOT_SATISFIED) == objective)
			has = true;
		if (ra == action && rollup_rule_fires(st, a, &l->v[i]))
			return true;
	}
	if (has)
		return false;
	size_t k = action == ACT_SATISFIED ? 0 : action == ACT_NOT_SATISFIED ? 1 : action == ACT_COMPLETED ? 2 : 3;
	rule def = {.action = action, .any = false, .conds = (rule_cond *)&default_conds[k], .nconds = 1, .set = SET_ALL};
	return rollup_rule_fires(st, a, &def);
}

/* RB.1.1 Measure Rollup: weighted mean of the tracked children's known measures. */
static void measure_rollup(sn_state *st, int a)
{
	act_track *t = &st->t[a];
	double total = 0, counted = 0;
	bool valid = false;
	for (size_t i = 0; i < t->navail; i++) {
		int c = t->avail[i];
		const seq_def *cd = &ACT(st, c)->d;
		if (!cd->tracked)
			continue;
		counted += cd->measure_weight;
		obj_track o = sn_rollup_obj(st, c);
		if (o.meas_known) {
			total += cd->measure_weight * o.meas;
			valid = true;
		}
	}
	if (valid && counted > 0) {
		t->obj[0].meas_known = true;
		t->obj[0].meas = total / counted;
		t->obj[0].dec[SN_V_SCALED] = -1;
	} else {
		t->obj[0].meas_known = false;
	}
}

/* RB.1.1b Completion Measure Rollup: weighted mean of the children's progress measures. */
static void completion_measure_rollup(sn_state *st, int a)
{
	act_track *t = &st->t[a];
	double total = 0, counted = 0;
	bool valid = false;
	for (size_t i = 0; i < t->navail; i++) {
		int c = t->avail[i];
		const activity *ca = ACT(st, c);
		if (!ca->d.tracked)
			continue;
		counted += ca->progress_weight;
		obj_track o = sn_rollup_obj(st, c);
		if (o.pm_known) {
			total += ca->progress_weight * o.pm;
			valid = true;
		}
	}
	if (valid && counted > 0) {
		t->amt_known = true;
		t->amt = total / counted;
		t->amt_dec = -1;
	} else {
		t->amt_known = false;
	}
}

/* RB.1.2 Objective Rollup (using measure, else rules, else the default rules). */
static void objective_rollup(sn_state *st, int a)
{
	const activity *ad = ACT(st, a);
	act_track *t = &st->t[a];
	const obj_def *p = &ad->d.obj[0];
	if (p->sat_by_measure) {
		obj_track o = sn_eff_obj(st, a, 0);
		if (!o.meas_known)
			t->obj[0].prog = false;
		else if (!t->active || ad->d.measure_sat_if_active) {
			t->obj[0].prog = true;
			t->obj[0].sat = o.meas >= p->min_measure;
		} else
			t->obj[0].prog = false;
		return;
	}
	if (!ad->nchildren)
		return;
	if (rollup_check(st, a, ACT_NOT_SATISFIED)) {
		t->obj[0].prog = true;
		t->obj[0].sat = false;
	}
	if (rollup_check(st, a, ACT_SATISFIED)) {
		t->obj[0].prog = true;
		t->obj[0].sat = true;
	}
}

/* RB.1.3 Activity Progress Rollup (using measure, else rules, else the default rules). */
static void progress_rollup(sn_state *st, int a)
{
	const activity *ad = ACT(st, a);
	act_track *t = &st->t[a];
	if (ad->completed_by_measure) {
		bool known, comp, amt_known;
		double amt;
		sn_eff_progress(st, a, &known, &comp, &amt_known, &amt);
		if (amt_known) {
			t->att_prog = true;
			t->att_comp = amt >= ad->min_progress;
		} else if (ad->nchildren) {
			t->att_prog = false;
		}
		return;
	}
	if (!ad->nchildren)
		return;
	if (rollup_check(st, a, ACT_INCOMPLETE)) {
		t->att_prog = true;
		t->att_comp = false;
	}
	if (rollup_check(st, a, ACT_COMPLETED)) {
		t->att_prog = true;
		t->att_comp = true;
	}
}

void sn_overall_rollup(sn_state *st, int a)
{
	for (int x = a; x >= 0; x = parent_of(st, x)) {
		if (!ACT(st, x)->d.tracked)
			continue;
		if (!is_leaf(st, x)) {
			measure_rollup(st, x);
			completion_measure_rollup(st, x);
		}
		objective_rollup(st, x);
		progress_rollup(st, x);
		/* a leaf's own values are written when its attempt ends (a leaf that only reads here
		 * must not write its old values again) */
		if (!is_leaf(st, x))
			sn_write_maps(st, x);
	}
}

void sn_end_attempt(sn_state *st, int a)
{
	const activity *ad = ACT(st, a);
	act_track *t = &st->t[a];
	if (is_leaf(st, a)) {
		if (ad->d.tracked && !t->suspended) {
			if (!ad->d.completion_by_content && !t->att_prog && !t->comp_set) {
				t->att_prog = true;
				t->att_comp = true;
			}
			if (!ad->d.objective_by_content && !t->obj[0].prog && !t->sat_set) {
				t->obj[0].prog = true;
				t->obj[0].sat = true;
			}
		}
	} else {
		bool any = false;
		for (size_t i = 0; i < ad->nchildren; i++)
			any |= st->t[ad->children[i]].suspended;
		t->suspended = any;
	}
	t->active = false;
	if (!is_leaf(st, a) && !t->suspended)
		sn_select_randomize(st, a, true);
	st->gdirty = false;
	sn_write_maps(st, a);
	sn_overall_rollup(st, a);
	sn_rollup_readers(st);
}

/* Activities elsewhere in the tree that read a global objective just written see a new value:
 * their clusters roll up again (CTS CO-11: a cluster nobody attempted becomes satisfied from
 * what its children read). Bounded: a few passes settle any tree without write/read cycles. */
void sn_rollup_readers(sn_state *st)
{
	for (int pass = 0; pass < 4 && st->gdirty; pass++) {
		st->gdirty = false;
		for (size_t i = 0; i < st->tree->n; i++) {
			const seq_def *d = &st->tree->a[i].d;
			bool reads = false;
			for (size_t o = 0; o < d->nobj && !reads; o++)
				for (size_t m = 0; m < d->obj[o].nmaps && !reads; m++) {
					const obj_map *mp = &d->obj[o].maps[m];
					reads = mp->read_sat || mp->read_meas || mp->read_raw || mp->read_min || mp->read_max ||
						mp->read_comp || mp->read_pm;
				}
			if (reads)
				sn_overall_rollup(st, (int)i);
		}
	}
	st->gdirty = false;
}

void sn_terminate_descendents(sn_state *st, int a)
{
	if (st->current < 0)
		return;
	int ca = sn_common_ancestor(st, st->current, a);
	for (int x = st->current; x >= 0 && x != ca; x = parent_of(st, x))
		if (st->t[x].active)
			sn_end_attempt(st, x);
}

int sn_rollup(sn_state *st, int a)
{
	if (!st || a < 0 || (size_t)a >= st->tree->n)
		return PC_EINVAL;
	sn_overall_rollup(st, a);
	return 0;
}
