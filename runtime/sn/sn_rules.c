/* Rule conditions in three-valued logic and the utility processes built on them: UP.1 Limit
 * Conditions Check, UP.2 Sequencing Rules Check (UP.2.1 Rule Check), UP.5 Check Activity. */
#include <string.h>

#include "common.h"
#include "sn_int.h"

static tv tv_of(bool known, bool v) { return known ? (v ? TV_TRUE : TV_FALSE) : TV_UNKNOWN; }

tv sn_cond_eval(const sn_state *st, int a, const rule_cond *c, bool rollup)
{
	const act_track *t = &st->t[a];
	const seq_def *d = &ACT(st, a)->d;
	tv v = TV_UNKNOWN;
	obj_track o;
	switch (c->kind) {
	case COND_SATISFIED:
	case COND_OBJ_STATUS_KNOWN:
	case COND_OBJ_MEASURE_KNOWN:
	case COND_OBJ_MEASURE_GT:
	case COND_OBJ_MEASURE_LT:
	case COND_COMPLETED:
	case COND_PROGRESS_KNOWN:
		if (c->objective < 0)
			break; /* a reference to an objective the activity does not have */
		/* an untracked activity has no tracking information for its rules to read, not even
		 * what its read maps would show its content (CTS OB-06, CO-05b) */
		if (d->tracked)
			o = rollup && c->objective == 0 ? sn_rollup_obj(st, a) : sn_eff_obj(st, a, c->objective);
		else
			memset(&o, 0, sizeof o);
		switch (c->kind) {
		case COND_SATISFIED: v = tv_of(o.prog, o.sat); break;
		case COND_OBJ_STATUS_KNOWN: v = o.prog ? TV_TRUE : TV_FALSE; break;
		case COND_OBJ_MEASURE_KNOWN: v = o.meas_known ? TV_TRUE : TV_FALSE; break;
		case COND_OBJ_MEASURE_GT: v = tv_of(o.meas_known, o.meas > c->threshold); break;
		case COND_OBJ_MEASURE_LT: v = tv_of(o.meas_known, o.meas < c->threshold); break;
		case COND_COMPLETED: v = tv_of(o.comp_known, o.comp); break;
		default: /* activityProgressKnown */
			/* a completion read from a global is known whether or not this activity was
			 * attempted (CTS CO-13b), but not for an untracked activity (CO-05b) */
			v = (c->objective != 0 || t->act_prog || (d->tracked && (o.from & SN_FROM_COMPLETION))) &&
					    o.comp_known
				    ? TV_TRUE
				    : TV_FALSE;
			break;
		}
		break;
	case COND_ATTEMPTED: v = t->act_prog && t->attempts > 0 ? TV_TRUE : TV_FALSE; break;
	case COND_ATTEMPT_LIMIT_EXCEEDED:
		v = d->limit_on && t->act_prog && t->attempts >= d->attempt_limit ? TV_TRUE : TV_FALSE;
		break;
	case COND_TIME_LIMIT_EXCEEDED:
	case COND_OUTSIDE_TIME_RANGE:
		v = TV_FALSE; /* no clock limits are tracked (SN leaves them optional) */
		break;
	case COND_ALWAYS: v = TV_TRUE; break;
	}
	if (c->negate && v != TV_UNKNOWN)
		v = v == TV_TRUE ? TV_FALSE : TV_TRUE;
	return v;
}

/* UP.2.1: Kleene AND ("all") or OR ("any") over the conditions; no conditions is unknown. */
static tv rule_eval(const sn_state *st, int a, const rule *r)
{
	if (!r->nconds)
		return TV_UNKNOWN;
	bool unknown = false;
	for (size_t i = 0; i < r->nconds; i++) {
		tv v = sn_cond_eval(st, a, &r->conds[i], false);
		if (v == TV_UNKNOWN)
			unknown = true;
		else if (r->any && v == TV_TRUE)
			return TV_TRUE;
		else if (!r->any && v == TV_FALSE)
			return TV_FALSE;
	}
	return unknown ? TV_UNKNOWN : (r->any ? TV_FALSE : TV_TRUE);
}

int sn_rules_check(const sn_state *st, int a, const rule_list *list, unsigned actions)
{
	for (size_t i = 0; i < list->n; i++) {
		const rule *r = &list->v[i];
		if ((actions & (1u << r->action)) && rule_eval(st, a, r) == TV_TRUE)
			return (int)r->action;
	}
	return -1;
}

bool sn_limit_violated(const sn_state *st, int a)
{
	const seq_def *d = &ACT(st, a)->d;
	const act_track *t = &st->t[a];
	if (!d->tracked || t->active || t->suspended)
		return false;
	return d->limit_on && t->act_prog && t->attempts >= d->attempt_limit;
}

bool sn_check_activity(const sn_state *st, int a)
{
	if (sn_rules_check(st, a, &ACT(st, a)->d.pre, 1u << ACT_DISABLED) >= 0)
		return true;
	return sn_limit_violated(st, a);
}

int sn_hidden_from_choice(const sn_state *st, int a)
{
	if (!st || a < 0 || (size_t)a >= st->tree->n)
		return 0;
	for (int x = a; x >= 0; x = parent_of(st, x))
		if (sn_rules_check(st, x, &ACT(st, x)->d.pre, 1u << ACT_HIDDEN_FROM_CHOICE) >= 0)
			return 1;
	return 0;
}

int sn_disabled(const sn_state *st, int a)
{
	if (!st || a < 0 || (size_t)a >= st->tree->n)
		return 0;
	return sn_check_activity(st, a);
}
