/* Navigation: the Overall Sequencing Process (OP.1) over NB.2.1 Navigation Request, TB.2.3
 * Termination Request (with TB.2.1 exit action rules and TB.2.2 post-condition rules), the
 * sequencing request processes and delivery; tentative evaluation for request_valid. */
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "sn_int.h"

typedef enum {
	TERM_NONE,
	TERM_EXIT,
	TERM_EXIT_ALL,
	TERM_SUSPEND_ALL,
	TERM_ABANDON,
	TERM_ABANDON_ALL,
	TERM_EXIT_PARENT, /* only from post-condition rules */
} term_req;

static const struct {
	const char *name;
	sn_nav req;
} nav_names[] = {
	{"_none_", SN_NAV_NONE},       {"start", SN_NAV_START},       {"resumeAll", SN_NAV_RESUME_ALL},
	{"continue", SN_NAV_CONTINUE}, {"previous", SN_NAV_PREVIOUS}, {"forward", SN_NAV_FORWARD},
	{"backward", SN_NAV_BACKWARD}, {"choice", SN_NAV_CHOICE},     {"jump", SN_NAV_JUMP},
	{"exit", SN_NAV_EXIT},         {"exitAll", SN_NAV_EXIT_ALL},  {"abandon", SN_NAV_ABANDON},
	{"abandonAll", SN_NAV_ABANDON_ALL}, {"suspendAll", SN_NAV_SUSPEND_ALL},
};

const char *sn_nav_name(sn_nav req)
{
	for (size_t i = 0; i < PC_ARRAY_LEN(nav_names); i++)
		if (nav_names[i].req == req)
			return nav_names[i].name;
	return "_none_";
}

int sn_nav_parse(const char *value, sn_nav *req, char *target, size_t tlen)
{
	if (target && tlen)
		target[0] = '\0';
	if (!value)
		return PC_EFORMAT;
	const char *name = value;
	if (!strncmp(value, "{target=", 8)) {
		const char *close = strchr(value + 8, '}');
		if (!close || close == value + 8)
			return PC_EFORMAT;
		size_t l = (size_t)(close - (value + 8));
		if (!target || l >= tlen)
			return PC_EFORMAT;
		memcpy(target, value + 8, l);
		target[l] = '\0';
		name = close + 1;
		if (strcmp(name, "choice") && strcmp(name, "jump")) {
			target[0] = '\0';
			return PC_EFORMAT;
		}
	}
	for (size_t i = 0; i < PC_ARRAY_LEN(nav_names); i++)
		if (!strcmp(nav_names[i].name, name)) {
			bool targeted = nav_names[i].req == SN_NAV_CHOICE || nav_names[i].req == SN_NAV_JUMP;
			if (targeted != (name != value))
				break;
			*req = nav_names[i].req;
			return 0;
		}
	if (target && tlen)
		target[0] = '\0';
	return PC_EFORMAT;
}

/* NB.2.1 Navigation Request Process: NULL (valid) or the exception; nothing changes. */
static const char *nav_request(const sn_state *st, sn_nav req, int target, term_req *term, seq_req *seq)
{
	int cur = st->current;
	bool active = cur >= 0 && st->t[cur].active;
	*term = TERM_NONE;
	*seq = SEQ_NONE;
	switch (req) {
	case SN_NAV_START:
		if (cur >= 0)
			return "NB.2.1-1";
		*seq = SEQ_START;
		return NULL;
	case SN_NAV_RESUME_ALL:
		if (cur >= 0)
			return "NB.2.1-1";
		if (st->suspended < 0)
			return "NB.2.1-3";
		*seq = SEQ_RESUME_ALL;
		return NULL;
	case SN_NAV_CONTINUE:
		if (cur < 0)
			return "NB.2.1-2";
		if (cur == 0 || !ACT(st, parent_of(st, cur))->d.flow)
			return "NB.2.1-4";
		*term = active ? TERM_EXIT : TERM_NONE;
		*seq = SEQ_CONTINUE;
		return NULL;
	case SN_NAV_PREVIOUS:
		if (cur < 0)
			return "NB.2.1-2";
		if (cur == 0)
			return "NB.2.1-6";
		if (!ACT(st, parent_of(st, cur))->d.flow || ACT(st, parent_of(st, cur))->d.forward_only)
			return "NB.2.1-5";
		*term = active ? TERM_EXIT : TERM_NONE;
		*seq = SEQ_PREVIOUS;
		return NULL;
	case SN_NAV_FORWARD:
	case SN_NAV_BACKWARD:
		return "NB.2.1-7";
	case SN_NAV_CHOICE:
		if (target < 0 || (target != 0 && sn_avail_index(st, target) < 0))
			return "NB.2.1-11";
		if (target != 0 && !ACT(st, parent_of(st, target))->d.choice)
			return "NB.2.1-10";
		if (cur >= 0) {
			if (parent_of(st, cur) != parent_of(st, target) || cur == 0) {
				int ca = sn_common_ancestor(st, cur, target);
				for (int x = cur; x >= 0 && x != ca; x = parent_of(st, x))
					if (st->t[x].active && !ACT(st, x)->d.choice_exit)
						return "NB.2.1-8";
			}
			*term = active ? TERM_EXIT : TERM_NONE;
		}
		*seq = SEQ_CHOICE;
		return NULL;
	case SN_NAV_JUMP:
		if (target < 0 || (target != 0 && sn_avail_index(st, target) < 0))
			return "NB.2.1-11";
		if (cur < 0)
			return "NB.2.1-2";
		*term = active ? TERM_EXIT : TERM_NONE;
		*seq = SEQ_JUMP;
		return NULL;
	case SN_NAV_EXIT:
	case SN_NAV_ABANDON:
		if (cur < 0)
			return "NB.2.1-2";
		if (!active)
			return "NB.2.1-12";
		*term = req == SN_NAV_EXIT ? TERM_EXIT : TERM_ABANDON;
		*seq = SEQ_EXIT;
		return NULL;
	case SN_NAV_EXIT_ALL:
	case SN_NAV_ABANDON_ALL:
	case SN_NAV_SUSPEND_ALL:
		if (cur < 0)
			return "NB.2.1-2";
		*term = req == SN_NAV_EXIT_ALL ? TERM_EXIT_ALL : req == SN_NAV_ABANDON_ALL ? TERM_ABANDON_ALL : TERM_SUSPEND_ALL;
		*seq = SEQ_EXIT;
		return NULL;
	case SN_NAV_NONE:
		break;
	}
	return "NB.2.1-13";
}

/* TB.2.1 Sequencing Exit Action Rules Subprocess. */
static void exit_action_rules(sn_state *st)
{
	int path[SN_MAX_ACTIVITIES];
	size_t n = 0;
	for (int x = parent_of(st, st->current); x >= 0; x = parent_of(st, x))
		path[n++] = x;
	for (size_t i = n; i-- > 0;) {
		int x = path[i];
		if (sn_rules_check(st, x, &ACT(st, x)->d.exit, 1u << ACT_EXIT) >= 0) {
			sn_terminate_descendents(st, x);
			sn_end_attempt(st, x);
			st->current = x;
			return;
		}
	}
}

/* TB.2.2 Sequencing Post Condition Rules Subprocess. */
static void post_condition_rules(const sn_state *st, term_req *term, seq_req *seq)
{
	*term = TERM_NONE;
	*seq = SEQ_NONE;
	int cur = st->current;
	if (st->t[cur].suspended)
		return;
	unsigned mask = 1u << ACT_EXIT_PARENT | 1u << ACT_EXIT_ALL | 1u << ACT_RETRY | 1u << ACT_RETRY_ALL |
			1u << ACT_CONTINUE | 1u << ACT_PREVIOUS;
	switch (sn_rules_check(st, cur, &ACT(st, cur)->d.post, mask)) {
	case ACT_RETRY: *seq = SEQ_RETRY; break;
	case ACT_CONTINUE: *seq = SEQ_CONTINUE; break;
	case ACT_PREVIOUS: *seq = SEQ_PREVIOUS; break;
	case ACT_EXIT_PARENT: *term = TERM_EXIT_PARENT; break;
	case ACT_EXIT_ALL: *term = TERM_EXIT_ALL; break;
	case ACT_RETRY_ALL:
		*term = TERM_EXIT_ALL;
		*seq = SEQ_RETRY;
		break;
	default: break;
	}
}

/* An abandoned attempt leaves no results: what the content reported is dropped. */
static void discard(sn_state *st, int a)
{
	act_track *t = &st->t[a];
	if (!is_leaf(st, a) || !st->t[a].active)
		return;
	memset(t->obj, 0, ACT(st, a)->d.nobj * sizeof *t->obj);
	t->att_prog = t->att_comp = t->amt_known = false;
	t->amt = 0;
	t->comp_set = t->sat_set = false;
}

/* TB.2.3 Termination Request Process: NULL or the exception; *seq gets the sequencing request it
 * returns (SEQ_NONE when none). */
static const char *termination(sn_state *st, term_req term, seq_req *seq)
{
	int cur = st->current;
	*seq = SEQ_NONE;
	if (cur < 0)
		return "TB.2.3-1";
	if ((term == TERM_EXIT || term == TERM_ABANDON) && !st->t[cur].active)
		return "TB.2.3-2";
	seq_req retry = SEQ_NONE;
	switch (term) {
	case TERM_EXIT: {
		sn_end_attempt(st, cur);
		exit_action_rules(st);
		for (size_t guard = 0; guard <= st->tree->n; guard++) {
			term_req pt;
			seq_req ps;
			post_condition_rules(st, &pt, &ps);
			if (pt == TERM_EXIT_ALL) {
				retry = ps;
				goto exit_all;
			}
			if (pt == TERM_EXIT_PARENT) {
				if (st->current == 0)
					return "TB.2.3-4";
				st->current = parent_of(st, st->current);
				sn_end_attempt(st, st->current);
				continue;
			}
			if (st->current == 0 && ps != SEQ_RETRY)
				*seq = SEQ_EXIT;
			else
				*seq = ps;
			return NULL;
		}
		return "TB.2.3-4";
	}
	case TERM_EXIT_ALL:
	exit_all:
		if (st->t[st->current].active)
			sn_end_attempt(st, st->current);
		sn_terminate_descendents(st, 0);
		sn_end_attempt(st, 0);
		st->current = 0;
		*seq = retry == SEQ_RETRY ? SEQ_RETRY : SEQ_EXIT;
		return NULL;
	case TERM_SUSPEND_ALL: {
		int s;
		if (st->t[cur].active || st->t[cur].suspended) {
			st->gdirty = false;
			sn_write_maps(st, cur);
			sn_overall_rollup(st, cur);
			sn_rollup_readers(st);
			s = cur;
		} else if (cur != 0) {
			s = parent_of(st, cur);
		} else {
			return "TB.2.3-3";
		}
		st->suspended = s;
		for (int x = s; x >= 0; x = parent_of(st, x)) {
			st->t[x].active = false;
			st->t[x].suspended = true;
		}
		st->current = 0;
		*seq = SEQ_EXIT;
		return NULL;
	}
	case TERM_ABANDON:
		discard(st, cur);
		st->t[cur].active = false;
		return NULL;
	case TERM_ABANDON_ALL:
		discard(st, cur);
		for (int x = cur; x >= 0; x = parent_of(st, x))
			st->t[x].active = false;
		st->current = 0;
		*seq = SEQ_EXIT;
		return NULL;
	case TERM_EXIT_PARENT:
	case TERM_NONE:
		break;
	}
	return "TB.2.3-7";
}

static void refuse(sn_result *res, const char *exc)
{
	res->outcome = SN_REFUSED;
	snprintf(res->exception, sizeof res->exception, "%s", exc);
}

int sn_navigate(sn_state *st, sn_nav req, const char *target, sn_result *res)
{
	memset(res, 0, sizeof *res);
	res->activity = -1;
	if (!st)
		return PC_EINVAL;
	if (req == SN_NAV_NONE) {
		res->outcome = SN_WAIT;
		return 0;
	}
	int tgt = -1;
	if (req == SN_NAV_CHOICE || req == SN_NAV_JUMP)
		tgt = sn_tree_find(st->tree, target);
	term_req term;
	seq_req seq;
	const char *exc = nav_request(st, req, tgt, &term, &seq);
	if (exc) {
		refuse(res, exc);
		return 0;
	}
	if (term != TERM_NONE) {
		seq_req ts;
		if ((exc = termination(st, term, &ts))) {
			refuse(res, exc);
			return 0;
		}
		if (ts != SEQ_NONE)
			seq = ts;
	}
	if (seq == SEQ_NONE) {
		res->outcome = SN_WAIT;
		return 0;
	}
	seq_out out;
	sn_sequencing_request(st, seq, tgt, &out);
	if (out.exc) {
		refuse(res, out.exc);
		return 0;
	}
	if (out.end) {
		st->current = -1;
		res->outcome = SN_ENDED;
		return 0;
	}
	if (out.deliver < 0) {
		res->outcome = SN_WAIT;
		return 0;
	}
	if ((exc = sn_delivery_check(st, out.deliver)) || (exc = sn_deliver(st, out.deliver, &res->resumed))) {
		refuse(res, exc);
		return 0;
	}
	res->outcome = SN_DELIVER;
	res->activity = out.deliver;
	return 0;
}

int sn_nav_allowed(const sn_state *st, sn_nav req, const char *target)
{
	term_req term;
	seq_req seq;
	int tgt = (req == SN_NAV_CHOICE || req == SN_NAV_JUMP) ? sn_tree_find(st->tree, target) : -1;
	return req != SN_NAV_NONE && nav_request(st, req, tgt, &term, &seq) == NULL;
}

int sn_valid(const sn_state *st, sn_nav req, const char *target)
{
	sn_state *copy = NULL;
	int rc = sn_state_clone(&copy, st);
	if (rc)
		return rc;
	sn_result res;
	rc = sn_navigate(copy, req, target, &res);
	sn_state_free(copy);
	if (rc)
		return rc;
	return res.outcome == SN_DELIVER || (req == SN_NAV_CONTINUE && res.outcome == SN_ENDED);
}
