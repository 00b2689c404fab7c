/* The sequencing request processes (SB.2.12 and the Start, Resume All, Exit, Retry, Continue,
 * Previous, Choice and Jump processes) over the flow traversal subprocesses (SB.2.1 Flow Tree
 * Traversal, SB.2.2 Flow Activity Traversal, SB.2.3 Flow, SB.2.4 Choice Activity Traversal,
 * SB.2.9.1/2 Choice Flow), and delivery (DB.1.1 Delivery Request, DB.2 Content Delivery
 * Environment with DB.2.1 Clear Suspended Activity). */
#include <string.h>

#include "common.h"
#include "sn_int.h"

enum { DIR_NA = 0, DIR_FWD, DIR_BWD };

typedef struct trav {
	int next; /* -1 when none */
	int dir;
	bool end; /* end the sequencing session */
	const char *exc;
} trav;

static const int *avail(const sn_state *st, int a, size_t *n)
{
	*n = st->t[a].navail;
	return st->t[a].avail;
}

static bool last_of_parent(const sn_state *st, int a)
{
	int p = parent_of(st, a);
	size_t n;
	const int *v = p >= 0 ? avail(st, p, &n) : NULL;
	return v && n && v[n - 1] == a;
}

static bool first_of_parent(const sn_state *st, int a)
{
	int p = parent_of(st, a);
	size_t n;
	const int *v = p >= 0 ? avail(st, p, &n) : NULL;
	return v && n && v[0] == a;
}

static int sibling(const sn_state *st, int a, int step)
{
	int p = parent_of(st, a);
	int i = sn_avail_index(st, a);
	if (p < 0 || i < 0)
		return -1;
	int j = i + step;
	return j >= 0 && (size_t)j < st->t[p].navail ? st->t[p].avail[j] : -1;
}

static bool last_in_preorder(const sn_state *st, int a)
{
	int x = 0;
	while (st->t[x].navail)
		x = st->t[x].avail[st->t[x].navail - 1];
	return x == a;
}

/* The pseudo-code's recursions are all tail calls: the two subprocesses below loop instead, so a
 * long run of skipped activities cannot exhaust the stack. A walk visits each activity a bounded
 * number of times; past that the tree is refused as if it had nothing to deliver. */
#define STEPS_OK(st, k) ((size_t)(k) <= 4 * (st)->tree->n + 16)

/* SB.2.1 Flow Tree Traversal Subprocess. */
static trav flow_tree(sn_state *st, int a, int dir, bool consider, int prev)
{
	trav r = {-1, dir, false, NULL};
	for (size_t steps = 0;; steps++) {
		r.dir = dir;
		if (!STEPS_OK(st, steps)) {
			r.exc = "SB.2.1-2";
			return r;
		}
		bool reversed = false;
		if (prev == DIR_BWD && last_of_parent(st, a)) {
			dir = DIR_BWD;
			a = st->t[parent_of(st, a)].avail[0];
			reversed = true;
		}
		r.dir = dir;
		int p = parent_of(st, a);
		if (dir == DIR_FWD) {
			if (last_in_preorder(st, a) || (a == 0 && !consider)) {
				sn_terminate_descendents(st, 0);
				sn_end_attempt(st, 0);
				r.end = true;
				return r;
			}
			if (is_leaf(st, a) || !consider) {
				if (last_of_parent(st, a)) {
					/* recurse on the parent, forward, without its children */
					a = p, dir = DIR_FWD, consider = false, prev = DIR_NA;
					continue;
				}
				r.next = sibling(st, a, +1);
				if (r.next < 0)
					r.exc = "SB.2.1-2";
				return r;
			}
			if (st->t[a].navail)
				r.next = st->t[a].avail[0];
			else
				r.exc = "SB.2.1-2";
			return r;
		}
		if (a == 0) {
			r.exc = "SB.2.1-3";
			return r;
		}
		if (is_leaf(st, a) || !consider) {
			if (!reversed && ACT(st, p)->d.forward_only) {
				r.exc = "SB.2.1-4";
				return r;
			}
			if (first_of_parent(st, a)) {
				a = p, dir = DIR_BWD, consider = false, prev = DIR_NA;
				continue;
			}
			r.next = sibling(st, a, -1);
			if (r.next < 0)
				r.exc = "SB.2.1-2";
			return r;
		}
		if (st->t[a].navail) {
			if (ACT(st, a)->d.forward_only) {
				r.next = st->t[a].avail[0];
				r.dir = DIR_FWD;
			} else {
				r.next = st->t[a].avail[st->t[a].navail - 1];
			}
		} else {
			r.exc = "SB.2.1-2";
		}
		return r;
	}
}

typedef struct fa {
	bool ok;
	int act;
	bool end;
	const char *exc;
} fa;

/* SB.2.2 Flow Activity Traversal Subprocess. */
static fa flow_activity(sn_state *st, int a, int dir, int prev)
{
	fa r = {false, a, false, NULL};
	for (size_t steps = 0;; steps++) {
		r.act = a;
		int p = parent_of(st, a);
		if (!STEPS_OK(st, steps)) {
			r.exc = "SB.2.2-2";
			return r;
		}
		if (p >= 0 && !ACT(st, p)->d.flow) {
			r.exc = "SB.2.2-1";
			return r;
		}
		if (sn_rules_check(st, a, &ACT(st, a)->d.pre, 1u << ACT_SKIP) >= 0) {
			trav t = flow_tree(st, a, dir, false, prev);
			if (t.next < 0) {
				r.end = t.end;
				r.exc = t.exc;
				return r;
			}
			if (prev == DIR_BWD && t.dir == DIR_BWD)
				a = t.next, dir = t.dir, prev = DIR_NA;
			else
				a = t.next;
			continue;
		}
		if (sn_check_activity(st, a)) {
			r.exc = "SB.2.2-2";
			return r;
		}
		if (!is_leaf(st, a)) {
			trav t = flow_tree(st, a, dir, true, DIR_NA);
			if (t.next < 0) {
				r.end = t.end;
				r.exc = t.exc;
				return r;
			}
			if (dir == DIR_BWD && t.dir == DIR_FWD)
				a = t.next, dir = DIR_FWD, prev = DIR_BWD;
			else
				a = t.next, prev = DIR_NA;
			continue;
		}
		r.ok = true;
		return r;
	}
}

/* SB.2.3 Flow Subprocess: the deliverable activity or -1 with out->end / out->exc. */
static void flow(sn_state *st, int a, int dir, bool consider, seq_out *out)
{
	trav t = flow_tree(st, a, dir, consider, DIR_NA);
	if (t.next < 0) {
		out->end = t.end;
		out->exc = t.end ? NULL : t.exc;
		return;
	}
	fa f = flow_activity(st, t.next, t.dir, DIR_NA);
	if (!f.ok) {
		out->end = f.end;
		out->exc = f.end ? NULL : f.exc;
		return;
	}
	out->deliver = f.act;
}

/* SB.2.4 Choice Activity Traversal Subprocess. */
static const char *choice_traversal(const sn_state *st, int a, int dir)
{
	if (dir == DIR_FWD)
		return sn_rules_check(st, a, &ACT(st, a)->d.pre, 1u << ACT_STOP_FORWARD) >= 0 ? "SB.2.4-1" : NULL;
	int p = parent_of(st, a);
	if (p < 0)
		return "SB.2.4-3";
	return ACT(st, p)->d.forward_only ? "SB.2.4-2" : NULL;
}

/* SB.2.9.2 Choice Flow Tree Traversal: one step in preorder without entering children. */
static int choice_flow_tree(const sn_state *st, int a, int dir)
{
	for (int x = a; x > 0; x = parent_of(st, x)) {
		int s = sibling(st, x, dir == DIR_FWD ? +1 : -1);
		if (s >= 0)
			return s;
	}
	return -1;
}

/* Preorder position comparison: is b after a in the tree? */
static bool after(const sn_state *st, int a, int b)
{
	/* activities are numbered in manifest preorder; available-children order may differ after
	 * randomization, so compare along the available lists from the common ancestor */
	int ca = sn_common_ancestor(st, a, b);
	if (ca == a)
		return b != a;
	if (ca == b)
		return false;
	int xa = a, xb = b;
	while (parent_of(st, xa) != ca)
		xa = parent_of(st, xa);
	while (parent_of(st, xb) != ca)
		xb = parent_of(st, xb);
	return sn_avail_index(st, xb) > sn_avail_index(st, xa);
}

/* The activities from `from` up to `to` (both included, from first) into path; count returned. */
static size_t up_path(const sn_state *st, int from, int to, int *path)
{
	size_t n = 0;
	for (int x = from; x >= 0; x = parent_of(st, x)) {
		path[n++] = x;
		if (x == to)
			break;
	}
	return n;
}

/* SB.2.9 Choice Sequencing Request Process. */
static void choice(sn_state *st, int target, seq_out *out)
{
	size_t n = st->tree->n;
	int path[SN_MAX_ACTIVITIES];
	if (target < 0 || (size_t)target >= n) {
		out->exc = "SB.2.9-1";
		return;
	}
	size_t np = up_path(st, target, 0, path);
	for (size_t i = np; i-- > 0;) {
		int x = path[i];
		if (x != 0 && sn_avail_index(st, x) < 0) {
			out->exc = "SB.2.9-2";
			return;
		}
		if (sn_rules_check(st, x, &ACT(st, x)->d.pre, 1u << ACT_HIDDEN_FROM_CHOICE) >= 0) {
			out->exc = "SB.2.9-3";
			return;
		}
	}
	if (target != 0 && !ACT(st, parent_of(st, target))->d.choice) {
		out->exc = "SB.2.9-4";
		return;
	}
	int cur = st->current;
	int ca = cur >= 0 ? sn_common_ancestor(st, cur, target) : 0;
	const char *e;
	if (cur == target) {
		/* nothing to check */
	} else if (cur >= 0 && parent_of(st, cur) == parent_of(st, target) && parent_of(st, cur) >= 0) {
		int p = parent_of(st, cur);
		int ic = sn_avail_index(st, cur), it = sn_avail_index(st, target);
		if (ic < 0 || it < 0) {
			out->exc = "SB.2.9-5";
			return;
		}
		int dir = it > ic ? DIR_FWD : DIR_BWD;
		int lo = ic < it ? ic : it, hi = ic < it ? it : ic;
		for (int i = lo; i <= hi; i++) {
			int x = st->t[p].avail[i];
			/* the activities from the current one to the target, both included */
			if ((e = choice_traversal(st, x, dir))) {
				out->exc = e;
				return;
			}
		}
	} else if (cur < 0 || cur == ca) {
		np = up_path(st, target, ca, path);
		for (size_t i = np; i-- > 0;) {
			int x = path[i];
			if (i + 1 < np || x != ca) {
				if ((e = choice_traversal(st, x, DIR_FWD))) {
					out->exc = e;
					return;
				}
			}
			if (!st->t[x].active && x != ca && ACT(st, x)->d.prevent_activation) {
				out->exc = "SB.2.9-6";
				return;
			}
		}
	} else if (target == ca) {
		np = up_path(st, cur, target, path);
		for (size_t i = 0; i + 1 < np; i++)
			if (!ACT(st, path[i])->d.choice_exit) {
				out->exc = "SB.2.9-7";
				return;
			}
	} else {
		np = up_path(st, cur, ca, path);
		int constrained = -1;
		for (size_t i = 0; i + 1 < np; i++) {
			const seq_def *d = &ACT(st, path[i])->d;
			if (!d->choice_exit) {
				out->exc = "SB.2.9-7";
				return;
			}
			/* constrainChoice, like the control modes, governs an activity's children: a leaf
			 * has none to constrain (CTS CM-07d gives one through a collection entry) */
			if (constrained < 0 && d->constrain_choice && !is_leaf(st, path[i]))
				constrained = path[i];
		}
		bool forward = after(st, cur, target);
		if (constrained >= 0) {
			int dir = after(st, constrained, target) ? DIR_FWD : DIR_BWD;
			int consider = choice_flow_tree(st, constrained, dir);
			if (consider < 0)
				consider = constrained;
			if (target != constrained && !sn_is_ancestor(st, consider, target)) {
				out->exc = "SB.2.9-8";
				return;
			}
		}
		np = up_path(st, target, ca, path);
		for (size_t i = np; i-- > 0;) {
			int x = path[i];
			if (forward && x != ca && (e = choice_traversal(st, x, DIR_FWD))) {
				out->exc = e;
				return;
			}
			if (!st->t[x].active && x != ca && ACT(st, x)->d.prevent_activation) {
				out->exc = "SB.2.9-6";
				return;
			}
		}
	}
	if (is_leaf(st, target)) {
		out->deliver = target;
		return;
	}
	seq_out f = {-1, false, NULL};
	flow(st, target, DIR_FWD, true, &f);
	if (f.deliver < 0) {
		sn_terminate_descendents(st, ca);
		sn_end_attempt(st, ca);
		st->current = target;
		out->exc = "SB.2.9-9";
		return;
	}
	out->deliver = f.deliver;
}

void sn_sequencing_request(sn_state *st, seq_req req, int target, seq_out *out)
{
	out->deliver = -1;
	out->end = false;
	out->exc = NULL;
	int cur = st->current;
	switch (req) {
	case SEQ_START:
		if (cur >= 0)
			out->exc = "SB.2.5-1";
		else if (is_leaf(st, 0))
			out->deliver = 0;
		else if (st->t[0].navail == 1 && is_leaf(st, st->t[0].avail[0]))
			/* a root with one leaf starts it whatever the flow control says (CTS SX-08a/b:
			 * the default flow="false" must not leave a one-SCO course unstartable) */
			out->deliver = st->t[0].avail[0];
		else
			flow(st, 0, DIR_FWD, true, out);
		return;
	case SEQ_RESUME_ALL:
		if (cur >= 0)
			out->exc = "SB.2.6-1";
		else if (st->suspended < 0)
			out->exc = "SB.2.6-2";
		else
			out->deliver = st->suspended;
		return;
	case SEQ_EXIT:
		if (cur < 0)
			out->exc = "SB.2.11-1";
		else if (st->t[cur].active)
			out->exc = "SB.2.11-2";
		else if (cur == 0)
			out->end = true;
		return;
	case SEQ_RETRY:
		if (cur < 0)
			out->exc = "SB.2.10-1";
		else if (st->t[cur].active || st->t[cur].suspended)
			out->exc = "SB.2.10-2";
		else if (!is_leaf(st, cur)) {
			flow(st, cur, DIR_FWD, true, out);
			if (out->deliver < 0) {
				out->end = false;
				out->exc = "SB.2.10-3";
			}
		} else
			out->deliver = cur;
		return;
	case SEQ_CONTINUE:
	case SEQ_PREVIOUS: {
		bool fwd = req == SEQ_CONTINUE;
		if (cur < 0)
			out->exc = fwd ? "SB.2.7-1" : "SB.2.8-1";
		else if (cur != 0 && !ACT(st, parent_of(st, cur))->d.flow)
			out->exc = fwd ? "SB.2.7-2" : "SB.2.8-2";
		else {
			flow(st, cur, fwd ? DIR_FWD : DIR_BWD, false, out);
			if (!fwd)
				out->end = false;
		}
		return;
	}
	case SEQ_CHOICE:
		choice(st, target, out);
		return;
	case SEQ_JUMP:
		if (cur < 0)
			out->exc = "SB.2.13-1";
		else
			out->deliver = target;
		return;
	case SEQ_NONE:
		break;
	}
	out->exc = "SB.2.12-1";
}

const char *sn_delivery_check(const sn_state *st, int a)
{
	if (!is_leaf(st, a))
		return "DB.1.1-1";
	for (int x = a; x >= 0; x = parent_of(st, x))
		if (sn_check_activity(st, x))
			return "DB.1.1-3";
	return NULL;
}

/* DB.2.1 Clear Suspended Activity Subprocess. */
static void clear_suspended(sn_state *st, int a)
{
	int s = st->suspended;
	if (s < 0)
		return;
	int ca = sn_common_ancestor(st, a, s);
	for (int x = s; x >= 0; x = parent_of(st, x)) {
		if (is_leaf(st, x)) {
			st->t[x].suspended = false;
		} else {
			bool any = false;
			const activity *ad = ACT(st, x);
			for (size_t i = 0; i < ad->nchildren; i++)
				any |= st->t[ad->children[i]].suspended;
			if (!any)
				st->t[x].suspended = false;
		}
		if (x == ca)
			break;
	}
	st->suspended = -1;
}

static void begin_attempt(sn_state *st, int x)
{
	const activity *ad = ACT(st, x);
	act_track *t = &st->t[x];
	t->attempts++;
	if (t->attempts == 1)
		t->act_prog = true;
	memset(t->obj, 0, ad->d.nobj * sizeof *t->obj);
	t->att_prog = t->att_comp = t->amt_known = false;
	t->amt = 0;
	t->amt_dec = -1;
	t->obj_stale = t->prog_stale = false;
	t->comp_set = t->sat_set = false;
	/* global objectives scoped to this course attempt (objectivesGlobalToSystem="false") start
	 * afresh with a new attempt on the root (CTS OB-03b) */
	if (x == 0 && t->attempts > 1 && !st->tree->globals_to_system)
		for (size_t g = 0; g < st->ng; g++)
			memset(&st->g[g].t, 0, sizeof st->g[g].t);
	if (t->attempts > 1)
		for (size_t i = 0; i < ad->nchildren; i++) {
			act_track *c = &st->t[ad->children[i]];
			if (ad->d.use_cur_obj)
				c->obj_stale = true;
			if (ad->d.use_cur_prog)
				c->prog_stale = true;
		}
}

const char *sn_deliver(sn_state *st, int a, int *resumed)
{
	*resumed = 0;
	if (st->current >= 0 && st->t[st->current].active)
		return "DB.2-1";
	if (a != st->suspended)
		clear_suspended(st, a);
	sn_terminate_descendents(st, a);
	int path[SN_MAX_ACTIVITIES];
	size_t np = up_path(st, a, 0, path);
	for (size_t i = np; i-- > 0;) {
		int x = path[i];
		act_track *t = &st->t[x];
		if (t->active)
			continue;
		if (t->suspended) {
			t->suspended = false;
			if (x == a)
				*resumed = 1;
		} else if (ACT(st, x)->d.tracked) {
			begin_attempt(st, x);
		}
		t->active = true;
	}
	st->current = a;
	st->suspended = -1;
	return NULL;
}
