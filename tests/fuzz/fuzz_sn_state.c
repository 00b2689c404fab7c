/* Fuzz target for the stored sequencing state (runtime/sn/sn_state.c): the text the store keeps
 * for an attempt (seq_states.state, read by sn_state_load) and for a learner's global objectives
 * (seq_globals.globals, sn_globals_load). Both back ends give back the bytes they were given, so
 * the readers see whatever a damaged or hand-edited row holds.
 *
 * Input: one byte of choices, then the text.
 *   bit 0     0: the attempt's state; 1: the learner's global objectives
 *   bit 1     the course: 0 keeps its global objectives in the state
 *             (objectivesGlobalToSystem="false"), 1 with the learner
 *   bits 2-5  a navigation request run on the state once it has loaded (see `requests`)
 *   bit 6     whether the SCO reports a suspend in the engine's own run (below)
 * Checks, besides "no crash, no leak, no endless loop": a refused text leaves no state and
 * says why; a text that loads saves to one that loads again and saves to the same bytes (the
 * saved form is a fixed point after one round); the engine, run on a state that loaded, leaves
 * one that still saves and loads, and draws the player's view. Then a state the engine makes
 * (started, a result reported, the request run) must read back as itself: its saved text
 * loads and saves to the same bytes, which a reader dropping any value would not.
 *
 * FUZZ_SN_STATE_SEEDS=DIR in the environment writes the seed corpus into DIR first: both
 * courses' states and global objectives after a few navigations and reported results. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "sn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

/* A lesson whose result goes to a global, a test drawing two of three forms afresh for each
 * attempt (each passed by its measure, written to another global), and a hidden answers part:
 * selection, randomization, read and write maps, rollup, choice and flow. %s: the
 * organization's objectivesGlobalToSystem. */
static const char course_fmt[] =
	"<manifest identifier=\"m\" xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\""
	" xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\""
	" xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\"><organizations default=\"o\">"
	"<organization identifier=\"o\" adlseq:objectivesGlobalToSystem=\"%s\"><title>T</title>"
	"<item identifier=\"lesson\" identifierref=\"r\"><title>Lesson</title>"
	"<imsss:sequencing><imsss:objectives>"
	"<imsss:primaryObjective objectiveID=\"lesson.done\">"
	"<imsss:mapInfo targetObjectiveID=\"g.lesson\" writeSatisfiedStatus=\"true\"/></imsss:primaryObjective>"
	"<imsss:objective objectiveID=\"shared\">"
	"<imsss:mapInfo targetObjectiveID=\"g.score\" readSatisfiedStatus=\"true\"/></imsss:objective>"
	"</imsss:objectives></imsss:sequencing></item>"
	"<item identifier=\"test\"><title>Test</title>"
	"<item identifier=\"q1\" identifierref=\"r\"><title>A</title>%s</item>"
	"<item identifier=\"q2\" identifierref=\"r\"><title>B</title>%s</item>"
	"<item identifier=\"q3\" identifierref=\"r\"><title>C</title>%s</item>"
	"<imsss:sequencing><imsss:controlMode choice=\"false\" flow=\"true\"/>"
	"<imsss:randomizationControls selectionTiming=\"onEachNewAttempt\" selectCount=\"2\""
	" randomizationTiming=\"onEachNewAttempt\" reorderChildren=\"true\"/></imsss:sequencing></item>"
	"<item identifier=\"answers\" identifierref=\"r\" isvisible=\"false\"><title>Answers</title></item>"
	"<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/></imsss:sequencing>"
	"</organization></organizations><resources><resource identifier=\"r\" type=\"webcontent\""
	" href=\"sco.html\"/></resources></manifest>";
static const char form[] =
	"<imsss:sequencing><imsss:objectives>"
	"<imsss:primaryObjective objectiveID=\"pass\" satisfiedByMeasure=\"true\">"
	"<imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>"
	"<imsss:mapInfo targetObjectiveID=\"g.score\" writeSatisfiedStatus=\"true\""
	" writeNormalizedMeasure=\"true\"/></imsss:primaryObjective>"
	"</imsss:objectives></imsss:sequencing>";

static sn_tree *trees[2]; /* [0]: globals in the state; [1]: with the learner */

static void free_trees(void)
{
	sn_tree_free(trees[0]);
	sn_tree_free(trees[1]);
}

static void make_trees(void)
{
	static const char *const scope[2] = {"false", "true"};
	for (int i = 0; i < 2; i++) {
		char xml[sizeof course_fmt + 3 * sizeof form + 8];
		int n = snprintf(xml, sizeof xml, course_fmt, scope[i], form, form, form);
		check(n > 0 && (size_t)n < sizeof xml);
		check(sn_tree_parse(&trees[i], xml, (size_t)n, NULL, NULL, 0) == 0);
		check(sn_tree_globals_to_system(trees[i]) == i && sn_tree_globals(trees[i]) == 2);
	}
	atexit(free_trees);
}

static const struct {
	sn_nav req;
	const char *target;
} requests[16] = {
	{SN_NAV_NONE, NULL},	     {SN_NAV_START, NULL},	 {SN_NAV_RESUME_ALL, NULL},
	{SN_NAV_CONTINUE, NULL},     {SN_NAV_PREVIOUS, NULL},	 {SN_NAV_FORWARD, NULL},
	{SN_NAV_BACKWARD, NULL},     {SN_NAV_CHOICE, "answers"}, {SN_NAV_JUMP, "q2"},
	{SN_NAV_EXIT, NULL},	     {SN_NAV_EXIT_ALL, NULL},	 {SN_NAV_ABANDON, NULL},
	{SN_NAV_ABANDON_ALL, NULL},  {SN_NAV_SUSPEND_ALL, NULL}, {SN_NAV_CHOICE, "lesson"},
	{SN_NAV_JUMP, "test"},
};

/* Saves `st` (its state, or its global objectives) into `out`; 0 or the error. */
static int save(const sn_state *st, int globals, buf *out)
{
	buf_reset(out);
	return globals ? sn_globals_save(st, out) : sn_state_save(st, out);
}

/* Loads `text` into a state of `tree`: a saved state, or global objectives into a new state. */
static int load(sn_state **out, const sn_tree *tree, int globals, const char *text, size_t len, char *err,
		size_t errlen)
{
	if (!globals)
		return sn_state_load(out, tree, text, len, err, errlen);
	check(sn_state_new(out, tree, 1) == 0);
	int rc = sn_globals_load(*out, text, len, err, errlen);
	if (rc) {
		sn_state_free(*out);
		*out = NULL;
	}
	return rc;
}

/* The state saves, and what it saves loads and saves to the same bytes; `first` gets them. */
static void round_trip(const sn_state *st, const sn_tree *tree, int globals, buf *first)
{
	check(save(st, globals, first) == 0);
	sn_state *again = NULL;
	char err[200] = "";
	check(load(&again, tree, globals, buf_cstr(first), first->len, err, sizeof err) == 0);
	buf second = BUF_INIT;
	check(save(again, globals, &second) == 0);
	check(second.len == first->len && memcmp(buf_cstr(&second), buf_cstr(first), first->len) == 0);
	buf_free(&second);
	sn_state_free(again);
}

/* What the SCO of the current activity reports as it ends: every value, the measure passing
 * or not. */
static void report(sn_state *st, double scaled, int suspend)
{
	sn_report rep;
	memset(&rep, 0, sizeof rep);
	rep.self.completion_known = rep.self.completed = 1;
	rep.self.scaled_known = rep.self.raw_known = rep.self.min_known = rep.self.max_known = 1;
	rep.self.scaled = scaled;
	rep.self.raw = scaled * 40, rep.self.min = -40, rep.self.max = 40;
	rep.self.progress_known = 1;
	rep.self.progress = scaled < 0 ? -scaled : scaled;
	rep.self.decimals[SN_V_SCALED] = 2;
	rep.self.success_known = 1;
	rep.self.passed = scaled >= 0.6;
	rep.suspend = suspend;
	check(sn_report_attempt(st, sn_current(st), &rep) == 0);
}

static void write_seeds(const char *dir);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!trees[0]) {
		make_trees();
		const char *seeds = getenv("FUZZ_SN_STATE_SEEDS");
		if (seeds)
			write_seeds(seeds);
	}
	if (size < 1)
		return 0;
	int globals = data[0] & 1;
	const sn_tree *tree = trees[data[0] >> 1 & 1];
	size_t ri = data[0] >> 2 & 15;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;

	sn_state *st = NULL;
	char err[200] = "";
	int rc = load(&st, tree, globals, text, len, err, sizeof err);
	if (rc) {
		check(st == NULL && (rc == PC_EFORMAT || rc == PC_ELIMIT || rc == PC_ENOMEM));
		check(rc == PC_ENOMEM || err[0] != '\0');
		return 0;
	}
	check(st != NULL);
	buf saved = BUF_INIT, view = BUF_INIT;
	round_trip(st, tree, globals, &saved);
	/* the engine on what loaded: whatever it does, the state stays one its reader takes */
	sn_result r;
	rc = sn_navigate(st, requests[ri].req, requests[ri].target, &r);
	check(rc == 0 || rc == PC_ENOMEM);
	check(sn_current(st) >= -1 && sn_current(st) < (int)sn_tree_size(tree));
	check(rc != 0 || r.outcome != SN_REFUSED || r.exception[0]);
	round_trip(st, tree, 0, &saved);
	round_trip(st, tree, 1, &saved);
	check(sn_ui_json(st, &view) == 0);
	buf_free(&view);
	sn_state_free(st);
	/* a state the engine made, not the reader: what it saves reads back as the same state
	 * (a reader that dropped or changed a value would save other bytes) */
	check(sn_state_new(&st, tree, size) == 0);
	check(sn_navigate(st, SN_NAV_START, NULL, &r) == 0 && r.outcome == SN_DELIVER);
	report(st, (double)(size % 21) / 10 - 1, data[0] >> 6 & 1);
	check(sn_navigate(st, requests[ri].req, requests[ri].target, &r) == 0);
	round_trip(st, tree, 0, &saved);
	round_trip(st, tree, 1, &saved);
	buf_free(&saved);
	sn_state_free(st);
	return 0;
}

/* ---- the seed corpus ------------------------------------------------------------------------ */

static void write_seed(const char *dir, const char *name, int choices, const buf *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/seed-%s", dir, name);
	FILE *f = fopen(path, "wb");
	check(f != NULL);
	check(fputc(choices, f) != EOF);
	check(fwrite(buf_cstr(text), 1, text->len, f) == text->len);
	check(fclose(f) == 0);
}

/* For each course, the states along one learner's way: new, started, the lesson passed, a test
 * form failed, suspended, resumed, the hidden answers chosen, ended; and, for the course that
 * keeps them with the learner, its global objectives at each step. */
static void write_seeds(const char *dir)
{
	static const struct {
		const char *name;
		sn_nav req;
		const char *target;
		double scaled; /* reported before the request; < -1: nothing */
		int suspend;
	} way[] = {
		{"new", SN_NAV_NONE, NULL, -2, 0},	   {"started", SN_NAV_START, NULL, -2, 0},
		{"lesson-done", SN_NAV_CONTINUE, NULL, 0.9, 0}, {"form-failed", SN_NAV_CONTINUE, NULL, 0.3, 0},
		{"suspended", SN_NAV_SUSPEND_ALL, NULL, 0.5, 1}, {"resumed", SN_NAV_RESUME_ALL, NULL, -2, 0},
		{"answers", SN_NAV_CHOICE, "answers", -2, 0},	   {"ended", SN_NAV_EXIT_ALL, NULL, 0.7, 0},
	};
	buf text = BUF_INIT;
	for (int c = 0; c < 2; c++) {
		sn_state *st = NULL;
		check(sn_state_new(&st, trees[c], 42) == 0);
		for (size_t i = 0; i < PC_ARRAY_LEN(way); i++) {
			sn_result r;
			if (way[i].scaled >= -1 && sn_current(st) >= 0)
				report(st, way[i].scaled, way[i].suspend);
			check(sn_navigate(st, way[i].req, way[i].target, &r) == 0);
			char name[64];
			snprintf(name, sizeof name, "%s-%s", c ? "learner" : "course", way[i].name);
			check(save(st, 0, &text) == 0);
			write_seed(dir, name, c << 1, &text);
			if (c == 1) {
				snprintf(name, sizeof name, "globals-%s", way[i].name);
				check(save(st, 1, &text) == 0);
				write_seed(dir, name, 1 | c << 1, &text);
			}
		}
		sn_state_free(st);
	}
	buf_free(&text);
}
