/* Fuzz target for a navigation request from outside: the body of POST /l/<token>/nav and the
 * `nav` parameter of POST /api/launch (runtime/server/content.c, pages.c) are read by
 * sn_nav_parse and run on the attempt's state. The input is the request text; it is parsed,
 * written back and parsed again (the same request and target), then run on a started course
 * (the jump and choice scenario: a hidden part, flow and choice) after a tentative evaluation.
 * Checks, besides "no crash, no leak, no endless loop": a refused parse leaves no target; the
 * current activity stays in range; a refusal carries an exception code; the tentative answer
 * (sn_valid: a delivery, or continuing past the end) matches what running the request did. */
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

static const char course[] =
	"<manifest identifier=\"m\" xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\""
	" xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\"><organizations default=\"o\">"
	"<organization identifier=\"o\"><title>T</title>"
	"<item identifier=\"menu\" identifierref=\"r\"><title>Menu</title></item>"
	"<item identifier=\"part\"><title>Part</title>"
	"<item identifier=\"reading\" identifierref=\"r\"><title>Reading</title></item>"
	"<item identifier=\"quiz\" identifierref=\"r\"><title>Quiz</title></item>"
	"<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/></imsss:sequencing></item>"
	"<item identifier=\"answers\" identifierref=\"r\" isvisible=\"false\"><title>A</title></item>"
	"<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/></imsss:sequencing>"
	"</organization></organizations><resources><resource identifier=\"r\" type=\"webcontent\""
	" href=\"sco.html\"/></resources></manifest>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* As the server reads it: text without NUL, at most its body limit (4 KiB). */
	if (size > 4096 || memchr(data, 0, size))
		return 0;
	char text[4097], target[SN_MAX_ID + 1], again[SN_MAX_ID + 1];
	memcpy(text, data, size);
	text[size] = '\0';
	sn_nav req, req2;
	if (sn_nav_parse(text, &req, target, sizeof target) != 0) {
		check(target[0] == '\0');
		return 0;
	}
	check(req >= SN_NAV_NONE && req <= SN_NAV_SUSPEND_ALL && sn_nav_name(req));
	int targeted = req == SN_NAV_CHOICE || req == SN_NAV_JUMP;
	check(targeted == (target[0] != '\0'));
	char *back = malloc(strlen(target) + 64);
	check(back != NULL);
	if (targeted)
		sprintf(back, "{target=%s}%s", target, sn_nav_name(req));
	else
		sprintf(back, "%s", sn_nav_name(req));
	check(sn_nav_parse(back, &req2, again, sizeof again) == 0 && req2 == req && !strcmp(again, target));
	free(back);

	sn_tree *t = NULL;
	sn_state *st = NULL;
	sn_result r;
	check(sn_tree_parse(&t, course, sizeof course - 1, NULL, NULL, 0) == 0);
	check(sn_state_new(&st, t, 7) == 0);
	check(sn_navigate(st, SN_NAV_START, NULL, &r) == 0 && r.outcome == SN_DELIVER);
	int valid = sn_valid(st, req, target);
	check(valid == 0 || valid == 1);
	check(sn_navigate(st, req, target, &r) == 0);
	check(valid == (r.outcome == SN_DELIVER || (req == SN_NAV_CONTINUE && r.outcome == SN_ENDED)));
	check(r.outcome != SN_REFUSED || r.exception[0]);
	check(sn_current(st) >= -1 && sn_current(st) < (int)sn_tree_size(t));
	buf view = BUF_INIT;
	check(sn_ui_json(st, &view) == 0);
	buf_free(&view);
	sn_state_free(st);
	sn_tree_free(t);
	return 0;
}
