/* Unit tests of runtime/sn, one small tree per behaviour: the definition reader (defaults,
 * collections), navigation requests and their exception codes (NB.2.1), termination (TB.2.3 with
 * exit and post-condition rules), the sequencing requests (SB.2.x), delivery (DB.1.1, DB.2, limit
 * conditions), rollup (RB.1.x), selection and randomization (SR.1/SR.2), three-valued rules,
 * global objectives, tentative evaluation and the state's text form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmocka_all.h"
#include "common.h"
#include "sn.h"

#define NS                                                                                                     \
	"xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\" " \
	"xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\" " \
	"xmlns:adlnav=\"http://www.adlnet.org/xsd/adlnav_v1p3\""

/* A leaf item launching resource R. */
#define LEAF(id) "<item identifier=\"" id "\" identifierref=\"R\"><title>" id "</title></item>"
#define LEAFS(id, seq) "<item identifier=\"" id "\" identifierref=\"R\"><title>" id "</title>" seq "</item>"
#define SEQ(x) "<imsss:sequencing>" x "</imsss:sequencing>"
#define FLOW "<imsss:controlMode flow=\"true\"/>"

static char manifest[65536];

/* The manifest around an organization's items (and `collection`, a sequencingCollection body or
 * ""), parsed; fails the test on errors. */
static sn_tree *tree_c(const char *org, const char *collection)
{
	snprintf(manifest, sizeof manifest,
		 "<manifest identifier=\"M\" %s><organizations default=\"O\"><organization identifier=\"O\">"
		 "<title>O</title>%s</organization></organizations><resources><resource identifier=\"R\" "
		 "type=\"webcontent\" adlcp:scormType=\"sco\" href=\"a.html\"/></resources>%s%s%s</manifest>",
		 NS, org, *collection ? "<imsss:sequencingCollection>" : "", collection,
		 *collection ? "</imsss:sequencingCollection>" : "");
	sn_tree *t = NULL;
	char err[256] = "";
	int rc = sn_tree_parse(&t, manifest, strlen(manifest), NULL, err, sizeof err);
	if (rc)
		fail_msg("manifest: %s", err);
	return t;
}

static sn_tree *tree(const char *org) { return tree_c(org, ""); }

static sn_state *fresh(const sn_tree *t)
{
	sn_state *st = NULL;
	assert_int_equal(sn_state_new(&st, t, 42), 0);
	return st;
}

/* Runs a request; returns the delivered activity's id, "ENDED", "WAIT" or the exception. */
static const char *nav(sn_state *st, sn_nav req, const char *target)
{
	static char out[64];
	sn_result r;
	assert_int_equal(sn_navigate(st, req, target, &r), 0);
	switch (r.outcome) {
	case SN_DELIVER: snprintf(out, sizeof out, "%s", sn_tree_item(sn_state_tree(st), (size_t)r.activity)->id); break;
	case SN_ENDED: snprintf(out, sizeof out, "ENDED"); break;
	case SN_WAIT: snprintf(out, sizeof out, "WAIT"); break;
	case SN_REFUSED: snprintf(out, sizeof out, "%s", r.exception); break;
	}
	return out;
}

/* What the current SCO reports before it terminates: completion 1/0/-1 (unknown), success
 * 1/0/-1, scaled (NAN-free: pass scaled_known 0 for none). */
static void report(sn_state *st, int completed, int passed, int scaled_known, double scaled)
{
	sn_report r;
	memset(&r, 0, sizeof r);
	r.self.completion_known = completed >= 0;
	r.self.completed = completed == 1;
	r.self.completion_set = completed >= 0;
	r.self.success_known = passed >= 0;
	r.self.passed = passed == 1;
	r.self.success_set = passed >= 0;
	r.self.scaled_known = scaled_known;
	r.self.scaled = scaled;
	for (int k = 0; k < 5; k++)
		r.self.decimals[k] = -1;
	assert_int_equal(sn_report_attempt(st, sn_current(st), &r), 0);
}

static sn_status status(const sn_state *st, const char *id)
{
	sn_status s;
	int a = sn_tree_find(sn_state_tree(st), id);
	assert_true(a >= 0);
	assert_int_equal(sn_activity_status(st, a, &s), 0);
	return s;
}

/* ---- the definition reader ---------------------------------------------------------------------- */

static void reader_defaults_and_items(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAF("a") "<item identifier=\"c\" isvisible=\"false\"><title>c</title>" LEAF("b")
			  "<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>continue</adlnav:hideLMSUI>"
			  "</adlnav:navigationInterface></adlnav:presentation></item>");
	assert_int_equal(sn_tree_size(t), 4);
	const sn_item *root = sn_tree_item(t, 0), *c = sn_tree_item(t, 2);
	assert_string_equal(root->id, "O");
	assert_int_equal(root->parent, -1);
	assert_false(root->leaf);
	assert_string_equal(sn_tree_item(t, 1)->identifierref, "R");
	assert_false(c->visible);
	assert_int_equal(c->hide_ui, SN_HIDE_CONTINUE);
	assert_int_equal(sn_tree_item(t, 3)->parent, 2);
	assert_true(sn_tree_globals_to_system(t));
	assert_int_equal(sn_tree_find(t, "b"), 3);
	assert_int_equal(sn_tree_find(t, "nope"), -1);
	/* the organization's flow defaults to false: a two-leaf course cannot start by flow */
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "SB.2.2-1");
	sn_state_free(st);
	sn_tree_free(t);
}

static void reader_collection_merge(void **state)
{
	(void)state;
	/* the item's controlMode replaces the collection's whole: forwardOnly falls back to false,
	 * while the collection's rules (not given locally) stay */
	sn_tree *t = tree_c("<item identifier=\"p\"><title>p</title>" LEAF("a") LEAF("b")
			    "<imsss:sequencing IDRef=\"col\"><imsss:controlMode flow=\"true\"/></imsss:sequencing></item>"
			    SEQ(FLOW),
			    "<imsss:sequencing ID=\"col\"><imsss:controlMode forwardOnly=\"true\" flow=\"false\"/>"
			    "<imsss:limitConditions attemptLimit=\"1\"/></imsss:sequencing>");
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "b");
	assert_string_equal(nav(st, SN_NAV_PREVIOUS, NULL), "a"); /* not forwardOnly any more */
	/* the collection's attempt limit applies to p: leaving and coming back is refused */
	assert_string_equal(nav(st, SN_NAV_EXIT_ALL, NULL), "ENDED");
	assert_string_equal(nav(st, SN_NAV_START, NULL), "SB.2.2-2");
	sn_state_free(st);
	sn_tree_free(t);
}

static void reader_errors(void **state)
{
	(void)state;
	sn_tree *t = NULL;
	char err[256];
	assert_int_equal(sn_tree_parse(&t, "<manifest", 9, NULL, err, sizeof err), PC_EFORMAT);
	assert_null(t);
	snprintf(manifest, sizeof manifest, "<manifest %s><organizations><organization identifier=\"O\">"
		 "<item identifier=\"a\"><imsss:sequencing><imsss:controlMode flow=\"yes\"/></imsss:sequencing>"
		 "</item></organization></organizations></manifest>", NS);
	assert_int_equal(sn_tree_parse(&t, manifest, strlen(manifest), NULL, err, sizeof err), PC_EFORMAT);
	assert_non_null(strstr(err, "flow"));
	snprintf(manifest, sizeof manifest, "<manifest %s><organizations><organization identifier=\"O\">"
		 "<item identifier=\"a\"><imsss:sequencing IDRef=\"none\"/></item></organization></organizations>"
		 "</manifest>", NS);
	assert_int_equal(sn_tree_parse(&t, manifest, strlen(manifest), NULL, err, sizeof err), PC_EFORMAT);
	assert_non_null(strstr(err, "IDRef"));
	snprintf(manifest, sizeof manifest, "<manifest %s><organizations><organization identifier=\"O\">"
		 "</organization></organizations></manifest>", NS);
	assert_int_equal(sn_tree_parse(&t, manifest, strlen(manifest), "other", err, sizeof err), PC_EFORMAT);
	assert_null(t);
}

/* ---- NB.2.1 ------------------------------------------------------------------------------------------ */

static void nb_requests(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAF("a") LEAF("b") SEQ("<imsss:controlMode flow=\"true\" forwardOnly=\"true\"/>"));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "NB.2.1-2");
	assert_string_equal(nav(st, SN_NAV_RESUME_ALL, NULL), "NB.2.1-3");
	assert_string_equal(nav(st, SN_NAV_EXIT_ALL, NULL), "NB.2.1-2");
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_START, NULL), "NB.2.1-1");
	assert_string_equal(nav(st, SN_NAV_PREVIOUS, NULL), "NB.2.1-5"); /* forwardOnly */
	assert_string_equal(nav(st, SN_NAV_FORWARD, NULL), "NB.2.1-7");
	assert_string_equal(nav(st, SN_NAV_CHOICE, "zz"), "NB.2.1-11");
	assert_string_equal(nav(st, SN_NAV_CHOICE, "b"), "b");
	assert_string_equal(nav(st, SN_NAV_ABANDON, NULL), "WAIT");
	assert_string_equal(nav(st, SN_NAV_ABANDON, NULL), "NB.2.1-12"); /* already not active */
	assert_string_equal(nav(st, SN_NAV_EXIT, NULL), "NB.2.1-12");
	/* a refused request changes nothing */
	assert_int_equal(sn_current(st), 2);
	sn_state_free(st);
	sn_tree_free(t);

	t = tree("<item identifier=\"p\"><title>p</title>" LEAF("a")
		 SEQ("<imsss:controlMode flow=\"true\" choiceExit=\"false\"/>") "</item>"
		 "<item identifier=\"q\"><title>q</title>" LEAF("b") SEQ("<imsss:controlMode choice=\"false\" flow=\"true\"/>") "</item>"
		 LEAF("c") SEQ(FLOW));
	st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_CHOICE, "c"), "NB.2.1-8"); /* p is active, choiceExit false */
	assert_string_equal(nav(st, SN_NAV_CHOICE, "b"), "NB.2.1-10"); /* q.choice false */
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "b");
	assert_string_equal(nav(st, SN_NAV_CHOICE, "c"), "c");
	sn_state_free(st);
	sn_tree_free(t);
}

static void nb_parse(void **state)
{
	(void)state;
	sn_nav r;
	char tgt[16];
	assert_int_equal(sn_nav_parse("{target=act_1}choice", &r, tgt, sizeof tgt), 0);
	assert_int_equal(r, SN_NAV_CHOICE);
	assert_string_equal(tgt, "act_1");
	assert_int_equal(sn_nav_parse("{target=x}jump", &r, tgt, sizeof tgt), 0);
	assert_int_equal(r, SN_NAV_JUMP);
	assert_int_equal(sn_nav_parse("suspendAll", &r, tgt, sizeof tgt), 0);
	assert_int_equal(r, SN_NAV_SUSPEND_ALL);
	assert_string_equal(tgt, "");
	assert_int_equal(sn_nav_parse("_none_", &r, tgt, sizeof tgt), 0);
	assert_int_equal(r, SN_NAV_NONE);
	assert_int_equal(sn_nav_parse("choice", &r, tgt, sizeof tgt), PC_EFORMAT);
	assert_int_equal(sn_nav_parse("{target=x}continue", &r, tgt, sizeof tgt), PC_EFORMAT);
	assert_int_equal(sn_nav_parse("{target=}choice", &r, tgt, sizeof tgt), PC_EFORMAT);
	assert_int_equal(sn_nav_parse("{target=much_too_long_target}choice", &r, tgt, sizeof tgt), PC_EFORMAT);
	assert_string_equal(sn_nav_name(SN_NAV_EXIT_ALL), "exitAll");
}

/* ---- flow: SB.2.1/2.2/2.3, start, continue, previous ------------------------------------------------ */

static void sb_flow_skip_and_end(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAF("a")
			  LEAFS("b", SEQ("<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
					 "<imsss:ruleCondition condition=\"always\"/></imsss:ruleConditions>"
					 "<imsss:ruleAction action=\"skip\"/></imsss:preConditionRule></imsss:sequencingRules>"))
			  LEAF("c") SEQ(FLOW));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_PREVIOUS, NULL), "SB.2.1-3"); /* nothing before the first */
	assert_int_equal(sn_current(st), 1); /* ... but the exit happened */
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "c"); /* b skipped */
	assert_string_equal(nav(st, SN_NAV_PREVIOUS, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "c");
	/* past the last leaf: the session ends, the root's attempt with it */
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "ENDED");
	assert_int_equal(sn_current(st), -1);
	assert_false(status(st, "O").active);
	/* b was skipped, never attempted: the default rules leave the course's completion unknown */
	assert_false(status(st, "O").v.completion_known);
	sn_state_free(st);
	sn_tree_free(t);
}

static void sb_previous_into_forward_only(void **state)
{
	(void)state;
	/* backward into a forwardOnly cluster enters at its first child (SX-07a) */
	sn_tree *t = tree("<item identifier=\"p\"><title>p</title>" LEAF("a") LEAF("b")
			  SEQ("<imsss:controlMode flow=\"true\" forwardOnly=\"true\"/>") "</item>" LEAF("c") SEQ(FLOW));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "b");
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "c");
	assert_string_equal(nav(st, SN_NAV_PREVIOUS, NULL), "a");
	sn_state_free(st);
	sn_tree_free(t);
}

static void sb_single_leaf_start(void **state)
{
	(void)state;
	/* one leaf under a root without flow still starts (SX-08) */
	sn_tree *t = tree(LEAF("a"));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "NB.2.1-4");
	sn_state_free(st);
	sn_tree_free(t);
}

/* ---- choice, jump --------------------------------------------------------------------------------------- */

static void sb_choice_controls(void **state)
{
	(void)state;
	const char *stop = "<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
			   "<imsss:ruleCondition condition=\"always\"/></imsss:ruleConditions>"
			   "<imsss:ruleAction action=\"stopForwardTraversal\"/></imsss:preConditionRule></imsss:sequencingRules>";
	char org[4096];
	snprintf(org, sizeof org,
		 LEAF("a") "<item identifier=\"h\" identifierref=\"R\"><title>h</title>"
		 SEQ("<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
		     "<imsss:ruleCondition condition=\"attempted\"/></imsss:ruleConditions>"
		     "<imsss:ruleAction action=\"hiddenFromChoice\"/></imsss:preConditionRule></imsss:sequencingRules>")
		 "</item><item identifier=\"s\" identifierref=\"R\"><title>s</title>" SEQ("%s") "</item>" LEAF("b")
		 "<item identifier=\"p\"><title>p</title>" LEAF("d")
		 SEQ("<adlseq:constrainedChoiceConsiderations preventActivation=\"true\"/>") "</item>" SEQ(FLOW),
		 stop);
	sn_tree *t = tree(org);
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_CHOICE, "a"), "a"); /* choice with no session starts it */
	assert_string_equal(nav(st, SN_NAV_CHOICE, "b"), "SB.2.4-1"); /* stopForwardTraversal on s */
	assert_string_equal(nav(st, SN_NAV_CHOICE, "h"), "h");
	assert_string_equal(nav(st, SN_NAV_CHOICE, "a"), "a");
	assert_string_equal(nav(st, SN_NAV_CHOICE, "h"), "SB.2.9-3"); /* hidden once attempted */
	assert_int_equal(sn_hidden_from_choice(st, 2), 1);
	assert_int_equal(sn_hidden_from_choice(st, 4), 0);
	assert_int_equal(sn_valid(st, SN_NAV_CHOICE, "h"), 0);
	assert_string_equal(nav(st, SN_NAV_CHOICE, "d"), "SB.2.9-6"); /* preventActivation on p */
	/* jump ignores all that: only the delivery checks apply */
	assert_string_equal(nav(st, SN_NAV_JUMP, "d"), "d");
	assert_string_equal(nav(st, SN_NAV_JUMP, "nope"), "NB.2.1-11");
	sn_state_free(st);
	sn_tree_free(t);
}

static void sb_constrain_choice(void **state)
{
	(void)state;
	sn_tree *t = tree("<item identifier=\"p\"><title>p</title>" LEAF("a") LEAF("b")
			  SEQ("<imsss:controlMode flow=\"true\"/><adlseq:constrainedChoiceConsiderations constrainChoice=\"true\"/>")
			  "</item><item identifier=\"q\"><title>q</title>" LEAF("c") SEQ(FLOW) "</item>"
			  "<item identifier=\"r\"><title>r</title>" LEAF("e") SEQ(FLOW) "</item>" SEQ(FLOW));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	/* from inside p only p's logical next (q) may be chosen outside it */
	assert_string_equal(nav(st, SN_NAV_CHOICE, "e"), "SB.2.9-8");
	assert_string_equal(nav(st, SN_NAV_CHOICE, "c"), "c");
	assert_string_equal(nav(st, SN_NAV_CHOICE, "e"), "e");
	sn_state_free(st);
	sn_tree_free(t);
}

static void sb_choice_flowless_cluster(void **state)
{
	(void)state;
	/* choosing a cluster without flow delivers nothing (SB.2.9-9): the learner picks next */
	sn_tree *t = tree(LEAF("a") "<item identifier=\"p\"><title>p</title>" LEAF("b") "</item>" SEQ(FLOW));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_CHOICE, "p"), "SB.2.9-9");
	assert_int_equal(sn_current(st), 2);
	assert_string_equal(nav(st, SN_NAV_CHOICE, "b"), "b");
	sn_state_free(st);
	sn_tree_free(t);
}

/* ---- termination ------------------------------------------------------------------------------------------ */

static void tb_exit_and_post_rules(void **state)
{
	(void)state;
	/* exit action rule on the cluster, then its post-condition rule (SX-02's shape) */
	sn_tree *t = tree(LEAF("a") "<item identifier=\"p\"><title>p</title>" LEAF("b") LEAF("c")
			  SEQ("<imsss:controlMode flow=\"true\" choice=\"false\"/><imsss:sequencingRules>"
			      "<imsss:exitConditionRule><imsss:ruleConditions><imsss:ruleCondition condition=\"satisfied\"/>"
			      "</imsss:ruleConditions><imsss:ruleAction action=\"exit\"/></imsss:exitConditionRule>"
			      "<imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition condition=\"satisfied\"/>"
			      "</imsss:ruleConditions><imsss:ruleAction action=\"previous\"/></imsss:postConditionRule>"
			      "</imsss:sequencingRules>")
			  "</item>" LEAF("d") SEQ(FLOW));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "b");
	report(st, 1, 0, 0, 0); /* failed: p not satisfied yet */
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "c");
	report(st, 1, 1, 0, 0);
	/* all children known, c passed, b failed: p notSatisfied by the default rules */
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "d");
	assert_true(status(st, "p").v.success_known);
	assert_false(status(st, "p").v.passed);
	sn_state_free(st);
	sn_tree_free(t);

	/* exitParent and exitAll post-condition rules */
	t = tree("<item identifier=\"p\"><title>p</title>"
		 LEAFS("a", SEQ("<imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions>"
				"<imsss:ruleCondition condition=\"always\"/></imsss:ruleConditions>"
				"<imsss:ruleAction action=\"exitParent\"/></imsss:postConditionRule></imsss:sequencingRules>"))
		 LEAF("b") SEQ(FLOW) "</item>"
		 LEAFS("c", SEQ("<imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions>"
				"<imsss:ruleCondition condition=\"always\"/></imsss:ruleConditions>"
				"<imsss:ruleAction action=\"exitAll\"/></imsss:postConditionRule></imsss:sequencingRules>"))
		 SEQ(FLOW));
	st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "c"); /* p exited: continue goes past it */
	assert_false(status(st, "p").active);
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "ENDED"); /* exitAll */
	sn_state_free(st);
	sn_tree_free(t);
}

static void tb_retry_rules(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAFS("a", SEQ("<imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions>"
					 "<imsss:ruleCondition operator=\"not\" condition=\"satisfied\"/></imsss:ruleConditions>"
					 "<imsss:ruleAction action=\"retry\"/></imsss:postConditionRule></imsss:sequencingRules>"))
			  LEAF("b") SEQ(FLOW));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	report(st, 1, 0, 0, 0);
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "a"); /* retried: a new attempt */
	assert_int_equal(status(st, "a").attempts, 2);
	report(st, 1, 1, 0, 0);
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "b");
	sn_state_free(st);
	sn_tree_free(t);
}

static void tb_suspend_resume(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAF("a") LEAF("b") SEQ(FLOW));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "b");
	report(st, 0, -1, 0, 0);
	assert_string_equal(nav(st, SN_NAV_SUSPEND_ALL, NULL), "ENDED");
	assert_int_equal(sn_suspended(st), 2);
	assert_true(status(st, "O").suspended);
	/* through the text form, as across a server restart */
	buf b = BUF_INIT;
	assert_int_equal(sn_state_save(st, &b), 0);
	sn_state *st2 = NULL;
	char err[128];
	assert_int_equal(sn_state_load(&st2, t, b.data, b.len, err, sizeof err), 0);
	buf_free(&b);
	sn_result r;
	assert_int_equal(sn_navigate(st2, SN_NAV_RESUME_ALL, NULL, &r), 0);
	assert_int_equal(r.outcome, SN_DELIVER);
	assert_int_equal(r.activity, 2);
	assert_int_equal(r.resumed, 1);
	assert_int_equal(status(st2, "b").attempts, 1); /* the same attempt goes on */
	assert_string_equal(nav(st2, SN_NAV_START, NULL), "NB.2.1-1");
	sn_state_free(st2);
	sn_state_free(st);
	sn_tree_free(t);
}

static void tb_abandon_keeps_nothing(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAF("a") LEAF("b") SEQ(FLOW));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	report(st, 1, 1, 0, 0);
	assert_string_equal(nav(st, SN_NAV_ABANDON_ALL, NULL), "ENDED");
	assert_false(status(st, "a").v.success_known);
	assert_false(status(st, "a").v.completion_known);
	sn_state_free(st);
	sn_tree_free(t);
}

/* ---- delivery and limits ------------------------------------------------------------------------------------ */

static void db_attempt_limit_and_disabled(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAFS("a", SEQ("<imsss:limitConditions attemptLimit=\"1\"/>"))
			  LEAFS("b", SEQ("<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
					 "<imsss:ruleCondition condition=\"always\"/></imsss:ruleConditions>"
					 "<imsss:ruleAction action=\"disabled\"/></imsss:preConditionRule></imsss:sequencingRules>"))
			  LEAF("c") SEQ(FLOW));
	sn_state *st = fresh(t);
	assert_int_equal(sn_disabled(st, 2), 1);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "SB.2.2-2"); /* b disabled stops the flow */
	assert_string_equal(nav(st, SN_NAV_CHOICE, "b"), "DB.1.1-3");
	assert_string_equal(nav(st, SN_NAV_CHOICE, "c"), "c");
	assert_string_equal(nav(st, SN_NAV_CHOICE, "a"), "DB.1.1-3"); /* one attempt only */
	assert_int_equal(sn_disabled(st, 1), 1);
	sn_state_free(st);
	sn_tree_free(t);
}

static void db_attempt_limit_zero(void **state)
{
	(void)state;
	/* attemptLimit="0" is no limit */
	sn_tree *t = tree(LEAFS("a", SEQ("<imsss:limitConditions attemptLimit=\"0\"/>")) LEAF("b") SEQ(FLOW));
	sn_state *st = fresh(t);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(nav(st, i ? SN_NAV_CHOICE : SN_NAV_START, "a"), "a");
		assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "b");
	}
	assert_int_equal(status(st, "a").attempts, 3);
	sn_state_free(st);
	sn_tree_free(t);
}

static void db_completion_defaults(void **state)
{
	(void)state;
	/* a SCO that reports nothing is completed and satisfied when its attempt ends; one that sets
	 * its status to unknown itself is left unknown (CM-06, CM-15); completionSetByContent keeps it
	 * unknown too */
	sn_tree *t = tree(LEAF("a") LEAF("b")
			  LEAFS("c", SEQ("<imsss:deliveryControls completionSetByContent=\"true\" objectiveSetByContent=\"true\"/>"))
			  LEAF("d") SEQ(FLOW));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "b");
	sn_report r;
	memset(&r, 0, sizeof r);
	r.self.completion_set = r.self.success_set = 1;
	assert_int_equal(sn_report_attempt(st, sn_current(st), &r), 0);
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "c");
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "d");
	assert_true(status(st, "a").v.completion_known && status(st, "a").v.completed);
	assert_true(status(st, "a").v.success_known && status(st, "a").v.passed);
	assert_false(status(st, "b").v.completion_known);
	assert_false(status(st, "b").v.success_known);
	assert_false(status(st, "c").v.completion_known);
	assert_false(status(st, "c").v.success_known);
	sn_state_free(st);
	sn_tree_free(t);
}

/* ---- rollup ------------------------------------------------------------------------------------------------ */

static void rb_measure_weights(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAFS("a", SEQ("<imsss:rollupRules objectiveMeasureWeight=\"0.25\"/>"))
			  LEAFS("b", SEQ("<imsss:rollupRules objectiveMeasureWeight=\"0.75\"/>"))
			  LEAFS("c", SEQ("<imsss:deliveryControls tracked=\"false\"/>"))
			  SEQ(FLOW "<imsss:objectives><imsss:primaryObjective satisfiedByMeasure=\"true\">"
			      "<imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure></imsss:primaryObjective>"
			      "</imsss:objectives>"));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	report(st, 1, -1, 1, 1.0);
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "b");
	report(st, 1, -1, 1, 0.2);
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "c");
	sn_status s = status(st, "O");
	assert_true(s.v.scaled_known);
	assert_true(s.v.scaled > 0.399 && s.v.scaled < 0.401); /* (0.25*1 + 0.75*0.2) / 1 */
	assert_true(s.v.success_known);
	assert_false(s.v.passed); /* 0.4 < 0.6 */
	assert_string_equal(sn_tree_item(t, 0)->scaled_passing_score, "0.6");
	sn_state_free(st);
	sn_tree_free(t);
}

static void rb_rules_and_sets(void **state)
{
	(void)state;
	/* atLeastCount 2 of 3 satisfied -> satisfied; completion from a rule with "any" */
	sn_tree *t = tree(LEAF("a") LEAF("b") LEAF("c")
			  SEQ(FLOW "<imsss:rollupRules>"
			      "<imsss:rollupRule childActivitySet=\"atLeastCount\" minimumCount=\"2\"><imsss:rollupConditions>"
			      "<imsss:rollupCondition condition=\"satisfied\"/></imsss:rollupConditions>"
			      "<imsss:rollupAction action=\"satisfied\"/></imsss:rollupRule>"
			      "<imsss:rollupRule childActivitySet=\"any\"><imsss:rollupConditions>"
			      "<imsss:rollupCondition condition=\"completed\"/></imsss:rollupConditions>"
			      "<imsss:rollupAction action=\"completed\"/></imsss:rollupRule>"
			      "</imsss:rollupRules>"));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	report(st, 1, 1, 0, 0);
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "b");
	sn_status s = status(st, "O");
	assert_true(s.v.completion_known && s.v.completed);
	assert_false(s.v.success_known); /* one of the two needed */
	report(st, 0, 1, 0, 0);
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "c");
	s = status(st, "O");
	assert_true(s.v.success_known && s.v.passed);
	sn_state_free(st);
	sn_tree_free(t);
}

static void rb_three_valued(void **state)
{
	(void)state;
	/* "not satisfied" on an unknown status is unknown: the skip must not fire on a fresh attempt
	 * (OB-03b, SX-07a) */
	sn_tree *t = tree(LEAF("a")
			  LEAFS("b", SEQ("<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
					 "<imsss:ruleCondition operator=\"not\" condition=\"satisfied\"/></imsss:ruleConditions>"
					 "<imsss:ruleAction action=\"skip\"/></imsss:preConditionRule></imsss:sequencingRules>"))
			  SEQ(FLOW));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "b");
	sn_state_free(st);
	sn_tree_free(t);
}

static void rb_completion_measure(void **state)
{
	(void)state;
	snprintf(manifest, sizeof manifest, "<manifest %s><organizations><organization identifier=\"O\">"
		 "<item identifier=\"b\" identifierref=\"R\"><title>b</title><adlcp:completionThreshold "
		 "progressWeight=\"3\"/></item></organization></organizations></manifest>", NS);
	sn_tree *t = NULL;
	assert_int_equal(sn_tree_parse(&t, manifest, strlen(manifest), NULL, NULL, 0), PC_EFORMAT);
	assert_null(t); /* progressWeight is at most 1 */
	t = tree("<item identifier=\"a\" identifierref=\"R\"><title>a</title>"
		 "<adlcp:completionThreshold completedByMeasure=\"true\" minProgressMeasure=\"0.5\"/></item>" LEAF("b")
		 SEQ(FLOW));
	assert_string_equal(sn_tree_item(t, 1)->completion_threshold, "0.5");
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	sn_report r;
	memset(&r, 0, sizeof r);
	r.self.completion_known = r.self.completion_set = 1; /* "incomplete", but 0.5 >= 0.5 */
	r.self.progress_known = 1;
	r.self.progress = 0.5;
	assert_int_equal(sn_report_attempt(st, 1, &r), 0);
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "b");
	assert_true(status(st, "a").v.completed);
	report(st, 1, -1, 0, 0);
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "ENDED");
	sn_status s = status(st, "O");
	assert_true(s.v.progress_known);
	/* b reported no measure but still counts its weight: (1 * 0.5 + 1 * nothing) / 2 */
	assert_true(s.v.progress > 0.249 && s.v.progress < 0.251);
	sn_state_free(st);
	sn_tree_free(t);
}

/* ---- global objectives ---------------------------------------------------------------------------------- */

static void globals_read_write(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAFS("a", SEQ("<imsss:objectives><imsss:primaryObjective objectiveID=\"p\">"
					 "<imsss:mapInfo targetObjectiveID=\"g1\" writeSatisfiedStatus=\"true\"/>"
					 "</imsss:primaryObjective></imsss:objectives>"))
			  LEAFS("b", SEQ("<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
					 "<imsss:ruleCondition condition=\"satisfied\" referencedObjective=\"o\"/></imsss:ruleConditions>"
					 "<imsss:ruleAction action=\"skip\"/></imsss:preConditionRule></imsss:sequencingRules>"
					 "<imsss:objectives><imsss:primaryObjective/><imsss:objective objectiveID=\"o\">"
					 "<imsss:mapInfo targetObjectiveID=\"g1\"/></imsss:objective></imsss:objectives>"))
			  LEAF("c") SEQ(FLOW));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	report(st, 1, 1, 0, 0);
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "c"); /* b skipped on the global */
	/* the learner's globals travel separately, and a new attempt reads them */
	buf g = BUF_INIT;
	assert_int_equal(sn_globals_save(st, &g), 0);
	assert_non_null(strstr(g.data, "\"g1\""));
	sn_state *st2 = fresh(t);
	assert_int_equal(sn_globals_load(st2, g.data, g.len, NULL, 0), 0);
	assert_int_equal(sn_objective_count(st2, 2), 1);
	sn_values v;
	assert_int_equal(sn_objective_get(st2, 2, 0, &v), 0);
	assert_string_equal(v.id, "o");
	assert_true(v.success_known && v.passed);
	assert_true(v.from_global & SN_FROM_SUCCESS);
	buf_free(&g);
	sn_state_free(st2);
	sn_state_free(st);
	sn_tree_free(t);
}

/* ---- selection and randomization ----------------------------------------------------------------------- */

static void sr_seeded(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAF("a") LEAF("b") LEAF("c") LEAF("d") LEAF("e")
			  SEQ(FLOW "<imsss:randomizationControls selectionTiming=\"once\" selectCount=\"2\" "
			      "randomizationTiming=\"once\" reorderChildren=\"true\"/>"));
	char seen[5] = {0};
	for (uint64_t seed = 1; seed <= 40; seed++) {
		sn_state *st = NULL;
		assert_int_equal(sn_state_new(&st, t, seed), 0);
		int avail = 0;
		for (int i = 1; i <= 5; i++)
			avail += sn_available(st, i);
		assert_int_equal(avail, 2);
		sn_result r1, r2;
		assert_int_equal(sn_navigate(st, SN_NAV_START, NULL, &r1), 0);
		assert_int_equal(r1.outcome, SN_DELIVER);
		assert_true(sn_available(st, r1.activity));
		seen[r1.activity - 1] = 1;
		/* the same seed gives the same course; the choice survives the text form */
		sn_state *again = NULL;
		assert_int_equal(sn_state_new(&again, t, seed), 0);
		assert_int_equal(sn_navigate(again, SN_NAV_START, NULL, &r2), 0);
		assert_int_equal(r1.activity, r2.activity);
		buf b = BUF_INIT;
		assert_int_equal(sn_state_save(st, &b), 0);
		sn_state *loaded = NULL;
		assert_int_equal(sn_state_load(&loaded, t, b.data, b.len, NULL, 0), 0);
		for (int i = 1; i <= 5; i++)
			assert_int_equal(sn_available(loaded, i), sn_available(st, i));
		buf_free(&b);
		sn_state_free(loaded);
		sn_state_free(again);
		sn_state_free(st);
	}
	/* every child is drawn for some seed */
	for (int i = 0; i < 5; i++)
		assert_true(seen[i]);
	sn_tree_free(t);
}

/* ---- tentative evaluation, state text ------------------------------------------------------------------- */

static void request_valid_is_tentative(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAF("a") LEAF("b") SEQ("<imsss:controlMode flow=\"true\" choice=\"false\"/>"));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	buf before = BUF_INIT, after = BUF_INIT;
	assert_int_equal(sn_state_save(st, &before), 0);
	assert_int_equal(sn_valid(st, SN_NAV_CONTINUE, NULL), 1);
	assert_int_equal(sn_valid(st, SN_NAV_PREVIOUS, NULL), 0);
	assert_int_equal(sn_valid(st, SN_NAV_CHOICE, "b"), 0);
	assert_int_equal(sn_valid(st, SN_NAV_JUMP, "b"), 1);
	assert_int_equal(sn_state_save(st, &after), 0);
	assert_string_equal(before.data, after.data); /* nothing moved */
	buf_free(&before);
	buf_free(&after);
	assert_string_equal(nav(st, SN_NAV_CONTINUE, NULL), "b");
	/* past the last activity a continue ends the session: still "true" */
	assert_int_equal(sn_valid(st, SN_NAV_CONTINUE, NULL), 1);
	sn_state_free(st);
	sn_tree_free(t);
}

static void state_text_checked(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAF("a") LEAF("b") SEQ(FLOW));
	sn_tree *other = tree(LEAF("a") LEAF("x") SEQ(FLOW));
	sn_state *st = fresh(t), *out = NULL;
	buf b = BUF_INIT;
	assert_int_equal(sn_state_save(st, &b), 0);
	char err[128];
	assert_int_equal(sn_state_load(&out, other, b.data, b.len, err, sizeof err), PC_EFORMAT);
	assert_null(out);
	assert_non_null(strstr(err, "changed"));
	assert_int_equal(sn_state_load(&out, t, "{}", 2, err, sizeof err), PC_EFORMAT);
	assert_int_equal(sn_state_load(&out, t, "nope", 4, err, sizeof err), PC_EFORMAT);
	/* out-of-range values are refused, not trusted */
	char *bad = strdup(b.data);
	char *cur = strstr(bad, "\"cur\":-1");
	assert_non_null(cur);
	memcpy(cur, "\"cur\":9 ", 8);
	assert_int_equal(sn_state_load(&out, t, bad, strlen(bad), err, sizeof err), PC_EFORMAT);
	free(bad);
	assert_int_equal(sn_globals_load(st, "[1]", 3, err, sizeof err), PC_EFORMAT);
	/* the generator's state is sixteen hex digits, as saved: no sign, no spaces */
	static const char *const rngs[] = {"-000000000000001", " 00000000000001f", "+00000000000001f"};
	for (size_t i = 0; i < sizeof rngs / sizeof rngs[0]; i++) {
		bad = strdup(b.data);
		char *rng = strstr(bad, "\"rng\":\"");
		assert_non_null(rng);
		memcpy(rng + 7, rngs[i], 16);
		assert_int_equal(sn_state_load(&out, t, bad, strlen(bad), err, sizeof err), PC_EFORMAT);
		assert_non_null(strstr(err, "generator"));
		free(bad);
	}
	/* longer than any text the writers make: refused before it is read (calloc: untouched pages) */
	char *huge = calloc(1, SN_MAX_STATE_TEXT + 1);
	assert_non_null(huge);
	assert_int_equal(sn_state_load(&out, t, huge, SN_MAX_STATE_TEXT + 1, err, sizeof err), PC_ELIMIT);
	assert_null(out);
	assert_non_null(strstr(err, "too long"));
	assert_int_equal(sn_globals_load(st, huge, SN_MAX_STATE_TEXT + 1, err, sizeof err), PC_ELIMIT);
	assert_non_null(strstr(err, "too long"));
	free(huge);
	buf_free(&b);
	sn_state_free(st);
	sn_tree_free(other);
	sn_tree_free(t);
}

/* The text form keeps every value exactly (reals to the last bit, negative ones, integral ones)
 * and is a fixed point: saving what was loaded gives the same text. */
static void state_text_keeps_values(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAF("a") LEAF("b") SEQ(FLOW));
	const double values[] = {0.1 + 0.2, -0.75, 1, 0, -1, 2.5e-9};
	for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
		sn_state *st = fresh(t), *loaded = NULL;
		assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
		report(st, 1, 1, 1, values[i]);
		buf b = BUF_INIT, again = BUF_INIT;
		assert_int_equal(sn_state_save(st, &b), 0);
		assert_int_equal(sn_state_load(&loaded, t, b.data, b.len, NULL, 0), 0);
		sn_status s = status(loaded, "a");
		assert_true(s.v.scaled_known);
		assert_memory_equal(&s.v.scaled, &values[i], sizeof(double));
		assert_true(s.v.completed && s.v.passed);
		assert_int_equal(sn_current(loaded), sn_current(st));
		assert_int_equal(sn_state_save(loaded, &again), 0);
		assert_string_equal(b.data, again.data);
		buf_free(&b);
		buf_free(&again);
		sn_state_free(loaded);
		sn_state_free(st);
	}
	sn_tree_free(t);
}

static void ui_view(void **state)
{
	(void)state;
	sn_tree *t = tree(LEAF("a")
			  LEAFS("b", SEQ("<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
					 "<imsss:ruleCondition condition=\"always\"/></imsss:ruleConditions>"
					 "<imsss:ruleAction action=\"disabled\"/></imsss:preConditionRule></imsss:sequencingRules>"))
			  "<item identifier=\"c\" identifierref=\"R\" isvisible=\"false\"><title>Quiz &amp; \"more\"</title>"
			  "<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>previous</adlnav:hideLMSUI>"
			  "<adlnav:hideLMSUI>suspendAll</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation></item>"
			  SEQ(FLOW));
	sn_state *st = fresh(t);
	assert_string_equal(nav(st, SN_NAV_START, NULL), "a");
	assert_string_equal(nav(st, SN_NAV_CHOICE, "c"), "c");
	buf b = BUF_INIT;
	assert_int_equal(sn_ui_json(st, &b), 0);
	/* c is current, its buttons hidden; b is disabled with a reason; the title is escaped */
	assert_non_null(strstr(b.data, "\"current\":\"c\",\"continue\":true,\"previous\":false"));
	assert_non_null(strstr(b.data, "\"hide\":[\"previous\",\"suspendAll\"]"));
	assert_non_null(strstr(b.data, "{\"id\":\"b\",\"title\":\"b\",\"depth\":1,\"leaf\":true,\"visible\":true,"
				      "\"hidden\":false,\"disabled\":true"));
	assert_non_null(strstr(b.data, "\"choice\":false,\"reason\":\"this part is not available"));
	assert_non_null(strstr(b.data, "\"title\":\"Quiz \\u0026 \\\"more\\\"\""));
	assert_non_null(strstr(b.data, "\"visible\":false"));
	assert_string_equal(sn_exception_text("SB.2.9-3"), "this part is hidden");
	assert_string_equal(sn_exception_text("XX"), "the course's rules do not allow it");
	buf_free(&b);
	sn_state_free(st);
	sn_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reader_defaults_and_items),
		cmocka_unit_test(reader_collection_merge),
		cmocka_unit_test(reader_errors),
		cmocka_unit_test(nb_requests),
		cmocka_unit_test(nb_parse),
		cmocka_unit_test(sb_flow_skip_and_end),
		cmocka_unit_test(sb_previous_into_forward_only),
		cmocka_unit_test(sb_single_leaf_start),
		cmocka_unit_test(sb_choice_controls),
		cmocka_unit_test(sb_constrain_choice),
		cmocka_unit_test(sb_choice_flowless_cluster),
		cmocka_unit_test(tb_exit_and_post_rules),
		cmocka_unit_test(tb_retry_rules),
		cmocka_unit_test(tb_suspend_resume),
		cmocka_unit_test(tb_abandon_keeps_nothing),
		cmocka_unit_test(db_attempt_limit_and_disabled),
		cmocka_unit_test(db_attempt_limit_zero),
		cmocka_unit_test(db_completion_defaults),
		cmocka_unit_test(rb_measure_weights),
		cmocka_unit_test(rb_rules_and_sets),
		cmocka_unit_test(rb_three_valued),
		cmocka_unit_test(rb_completion_measure),
		cmocka_unit_test(globals_read_write),
		cmocka_unit_test(sr_seeded),
		cmocka_unit_test(request_valid_is_tentative),
		cmocka_unit_test(state_text_checked),
		cmocka_unit_test(state_text_keeps_values),
		cmocka_unit_test(ui_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
