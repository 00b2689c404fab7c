/* scolist.c: the player's reading of manifests: order, launch URLs with xml:base and
 * parameters, seeded values, 2004 choice/flow and the unsupported-sequencing flag. */
#include "cmocka_all.h"

#include <string.h>

#include "test_server.h"

static void reads_12(void **state)
{
	sco_list *l = NULL;
	const char *m = test_pkg12[1];
	assert_int_equal(sco_list_parse(&l, m, strlen(m)), 0);
	assert_string_equal(l->manifest_id, "pkg-one");
	assert_string_equal(l->title, "Package One");
	assert_int_equal(l->version, SCORM_12);
	assert_int_equal(l->count, 2);
	assert_int_equal(l->launchable, 2);
	assert_string_equal(l->items[0].href, "index.html");
	assert_string_equal(l->items[0].mastery_score, "80");
	assert_string_equal(l->items[1].href, "two/page two.html?page=2");
	assert_true(l->items[0].is_sco);
	assert_true(l->items[0].flow);
	assert_int_equal(sco_list_first(l), 0);
	assert_int_equal(sco_list_step(l, 0, 1), 1);
	assert_int_equal(sco_list_step(l, 1, 1), -1);
	assert_int_equal(sco_list_step(l, 0, -1), -1);
	sco_list_free(l);
}

static const char m2004[] =
	"<manifest identifier=\"c\" xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\""
	" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\""
	" xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\" xml:base=\"pkg/\">"
	"<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>"
	"<organizations default=\"o\"><organization identifier=\"o\"><title>Course</title>"
	"<item identifier=\"g\"><title>Group</title>"
	"<item identifier=\"a\" identifierref=\"r\" parameters=\"#start\"><title>A</title>"
	"<adlcp:completionThreshold completedByMeasure=\"true\" minProgressMeasure=\"0.75\"/>"
	"<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID=\"p\" satisfiedByMeasure=\"true\">"
	"<imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure></imsss:primaryObjective>"
	"</imsss:objectives><imsss:limitConditions attemptAbsoluteDurationLimit=\"PT45M\"/></imsss:sequencing>"
	"<adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>"
	"<adlcp:data><adlcp:map targetID=\"urn:t:1\"/><adlcp:map targetID=\"\"/>"
	"<adlcp:map targetID=\"urn:t:2\" readSharedData=\"false\" writeSharedData=\" 0 \"/>"
	"<adlcp:map targetID=\"urn:t:3\" readSharedData=\"1\" writeSharedData=\"false\"/></adlcp:data></item>"
	"<item identifier=\"b\" identifierref=\"r2\"><title>B</title>"
	"<adlcp:data><adlcp:map targetID=\"urn:t:asset\"/></adlcp:data></item>"
	"<imsss:sequencing><imsss:controlMode choice=\"false\" flow=\"true\"/></imsss:sequencing>"
	"</item>"
	"<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/>"
	"<imsss:rollupRules/></imsss:sequencing>"
	"</organization></organizations>"
	"<resources xml:base=\"res/\"><resource identifier=\"r\" type=\"webcontent\" adlcp:scormType=\"sco\""
	" href=\"a.html\" xml:base=\"a/\"/><resource identifier=\"r2\" type=\"webcontent\""
	" adlcp:scormType=\"asset\" href=\"b.html?x=1\"/></resources></manifest>";

static void reads_2004(void **state)
{
	sco_list *l = NULL;
	assert_int_equal(sco_list_parse(&l, m2004, strlen(m2004)), 0);
	assert_int_equal(l->version, SCORM_2004_4TH);
	assert_int_equal(l->count, 3);
	assert_int_equal(l->launchable, 2);
	assert_null(l->items[0].href); /* the cluster */
	assert_int_equal(l->items[1].depth, 1);
	assert_string_equal(l->items[1].href, "pkg/res/a/a.html#start");
	assert_string_equal(l->items[2].href, "pkg/res/b.html?x=1");
	assert_false(l->items[2].is_sco);
	assert_string_equal(l->items[1].completion_threshold, "0.75");
	assert_string_equal(l->items[1].scaled_passing_score, "0.6");
	assert_int_equal(l->items[1].nobjectives, 1);
	assert_string_equal(l->items[1].objectives[0], "p");
	assert_string_equal(l->items[1].max_time_allowed, "PT45M");
	assert_string_equal(l->items[1].time_limit_action, "exit,message");
	assert_null(l->items[2].max_time_allowed);
	/* The cluster's controlMode governs its children; the organization's, the cluster. */
	assert_false(l->items[1].choice);
	assert_true(l->items[1].flow);
	assert_true(l->items[0].choice);
	assert_true(l->unsupported_sequencing); /* rollupRules */
	/* Shared data maps in order (a blank targetID skipped); an asset has no run-time to share with. */
	assert_int_equal(l->items[1].nmaps, 3);
	assert_string_equal(l->items[1].maps[0].target_id, "urn:t:1");
	assert_true(l->items[1].maps[0].read && l->items[1].maps[0].write);
	assert_string_equal(l->items[1].maps[1].target_id, "urn:t:2");
	assert_false(l->items[1].maps[1].read || l->items[1].maps[1].write);
	assert_true(l->items[1].maps[2].read && !l->items[1].maps[2].write);
	assert_int_equal(l->items[2].nmaps, 0);
	assert_true(l->shared_data_global); /* the default */
	sco_list_free(l);
}

static void refuses_non_manifests(void **state)
{
	sco_list *l = NULL;
	assert_int_equal(sco_list_parse(&l, "<html/>", 7), PC_EFORMAT);
	assert_null(l);
	assert_int_equal(sco_list_parse(&l, "not xml", 7), PC_EFORMAT);
	/* An external entity is never fetched or expanded. */
	static const char xxe[] = "<!DOCTYPE m [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
				  "<manifest identifier=\"x\"><organizations><organization identifier=\"o\">"
				  "<title>&e;</title><item identifier=\"i\" identifierref=\"r\"><title>t</title>"
				  "</item></organization></organizations><resources><resource identifier=\"r\""
				  " href=\"a.html\"/></resources></manifest>";
	assert_int_equal(sco_list_parse(&l, xxe, strlen(xxe)), 0);
	assert_null(strstr(l->title, "root:"));
	sco_list_free(l);
}

int test_scolist(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_12),
		cmocka_unit_test(reads_2004),
		cmocka_unit_test(refuses_non_manifests),
	};
	return cmocka_run_group_tests_name("scolist", tests, NULL, NULL);
}
