/* Every manifest check, failing and passing: each case bends one of the valid base packages in
 * bases.h with up to three find/replace edits (and optionally adds or drops a file), validates
 * it in memory, and asserts the check id fired at the expected level, or, for a passing case,
 * that it did not fire and the package has no errors at all. What each failing case's findings
 * say, and where they point (the text at the caret), must equal checks.expected: a check that
 * fires with the wrong words or at the wrong place fails too. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "author.h"
#include "bases.h"
#include "test_validate.h"

#define X10 "abcdefghij"
#define X50 X10 X10 X10 X10 X10
#define X200 X50 X50 X50 X50
#define X250 X200 X50
#define X2000 X250 X250 X250 X250 X250 X250 X250 X250

enum { PASS = 0, FAIL = 1 };
/* Expected levels: C is an ADL-conformance finding, a warning that --strict makes an error (each
 * such case runs twice). */
enum { E, W, N, C };

struct tcase {
	const char *name;
	const char *base;
	const char *find[3], *repl[3];
	const char *check;
	int level;  /* E, W, N or C */
	int expect; /* FAIL: at least one finding `check` at `level`; PASS: none, and no errors */
	const char *add, *drop; /* a file to add (or replace) / a base file to leave out */
};

#define COLL(x) "<imsss:sequencingCollection>" x "</imsss:sequencingCollection>"
#define SEQ_OBJ(objs) "<imsss:sequencing><imsss:objectives>" objs "</imsss:objectives></imsss:sequencing>"

static const struct tcase cases[] = {
	/* A: package and manifest */
	{"manifest present", BASE_4TH, {0}, {0}, "manifest-missing", E, PASS},
	{"manifest missing", BASE_4TH, {0}, {0}, "manifest-missing", E, FAIL, "sub/imsmanifest.xml", "imsmanifest.xml"},
	{"not well-formed", BASE_4TH, {"</manifest>"}, {"</manifes>"}, "xml", E, FAIL},
	{"well-formed", BASE_4TH, {0}, {0}, "xml", E, PASS},
	{"entity declared", BASE_4TH, {"?>\n"}, {"?>\n<!DOCTYPE manifest [<!ENTITY x \"y\">]>\n"}, "entity", E, FAIL},
	{"entities declared, one external", BASE_4TH, {"?>\n"}, {"?>\n<!DOCTYPE manifest [\n  <!ENTITY % p \"<!ENTITY q 'r'>\">\n<!ENTITY ext SYSTEM \"file:///etc/passwd\"><!ENTITY x \"<!ENTITY\">]>\n"}, "entity", E, FAIL},
	{"no entities", BASE_4TH, {0}, {0}, "entity", E, PASS},
	{"root not manifest", BASE_4TH, {"<manifest identifier", "</manifest>"}, {"<manifesto identifier", "</manifesto>"}, "root-element", E, FAIL},
	{"root in no namespace", BASE_12, {"xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\""}, {""}, "root-element", E, FAIL},
	{"root manifest", BASE_12, {0}, {0}, "root-element", E, PASS},
	{"1.2 namespace, 2004 version", BASE_12, {">1.2<"}, {">2004 4th Edition<"}, "version", E, FAIL},
	{"2004 namespace, 1.2 version", BASE_4TH, {">2004 4th Edition<"}, {">1.2<"}, "version", E, FAIL},
	{"version agrees", BASE_3RD, {0}, {0}, "version", E, PASS},
	{"schema missing", BASE_4TH, {"<schema>ADL SCORM</schema>"}, {""}, "metadata", C, FAIL},
	{"metadata missing", BASE_12, {"<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"}, {""}, "metadata", C, FAIL},
	{"schema after schemaversion", BASE_4TH, {"<schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion>"}, {"<schemaversion>2004 4th Edition</schemaversion><schema>ADL SCORM</schema>"}, "metadata", C, FAIL},
	{"metadata complete", BASE_4TH, {0}, {0}, "metadata", C, PASS},
	{"schema misspelt", BASE_4TH, {">ADL SCORM<"}, {">ADL SCROM<"}, "schema-value", C, FAIL},
	{"schema with spaces", BASE_12, {">ADL SCORM<"}, {"> ADL SCORM\n<"}, "schema-value", C, PASS},
	{"schemaversion unknown", BASE_4TH, {">2004 4th Edition<"}, {">2004 5th Edition<"}, "schemaversion", E, FAIL},
	{"2004 without schemaversion", BASE_4TH, {"<schemaversion>2004 4th Edition</schemaversion>"}, {""}, "schemaversion", E, FAIL},
	{"1.2 schemaversion unknown", BASE_12, {">1.2<"}, {">1.2.0<"}, "schemaversion", C, FAIL},
	{"2nd Edition named", BASE_4TH, {">2004 4th Edition<"}, {">CAM 1.3<"}, "edition-2nd", W, FAIL},
	{"3rd Edition is not 2nd", BASE_3RD, {0}, {0}, "edition-2nd", W, PASS},
	{"schemaversion CAM 1.3", BASE_4TH, {">2004 4th Edition<"}, {">CAM 1.3<"}, "edition-2nd", W, FAIL},
	{"schemaversion 3rd", BASE_3RD, {0}, {0}, "schemaversion", E, PASS},
	{"two resources elements", BASE_4TH, {"<!--COLL-->"}, {"<resources/>"}, "element-count", C, FAIL},
	{"no organizations", BASE_12, {"<organizations default=\"O\">", "</organizations>"}, {"<x:o xmlns:x=\"urn:x\">", "</x:o>"}, "manifest-structure", E, FAIL},
	{"two collections", BASE_4TH, {"<!--COLL-->"}, {COLL("<imsss:sequencing ID=\"S1\"/>") COLL("<imsss:sequencing ID=\"S2\"/>")}, "element-count", C, FAIL},
	{"structure ok", BASE_4TH, {0}, {0}, "manifest-structure", E, PASS},
	{"1.2 version too long", BASE_12, {"\"M\" version=\"1.0\""}, {"\"M\" version=\"123456789012345678901\""}, "version-length", C, FAIL},
	{"2004 version too long", BASE_4TH, {"version=\"1\""}, {"version=\"123456789012345678901\""}, "version-length", W, FAIL},
	{"version 20 chars", BASE_12, {"\"M\" version=\"1.0\""}, {"\"M\" version=\"12345678901234567890\""}, "version-length", C, PASS},
	{"sub-manifest", BASE_4TH, {"<!--COLL-->"}, {"<manifest identifier=\"SUB\"><organizations/><resources/></manifest>"}, "submanifest", W, FAIL},
	{"no sub-manifest", BASE_4TH, {0}, {0}, "submanifest", W, PASS},
	{"resource package", BASE_12, {"<organizations default=\"O\"><organization identifier=\"O\">", "</organization></organizations>"}, {"<organizations/><x:o xmlns:x=\"urn:x\">", "</x:o>"}, "resource-package", W, FAIL},
	{"content aggregation", BASE_12, {0}, {0}, "resource-package", W, PASS},
	{"namespace not mapped", BASE_4TH, {"http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd ", "<!--I1-->"}, {"", "<adlnav:presentation/>"}, "schemalocation", C, FAIL},
	{"schemaLocation missing", BASE_12, {"xsi:schemaLocation="}, {"xsi:foo="}, "schemalocation", C, FAIL},
	{"schemaLocation odd", BASE_12, {" adlcp_rootv1p2.xsd\""}, {" adlcp_rootv1p2.xsd urn:dangling\""}, "schemalocation", C, FAIL},
	{"schemaLocation above root", BASE_12, {" imscp_rootv1p1p2.xsd"}, {" ../imscp_rootv1p1p2.xsd"}, "schemalocation", C, FAIL},
	{"namespaces mapped", BASE_4TH, {"<!--I1-->"}, {"<adlnav:presentation/>"}, "schemalocation", C, PASS},
	/* a LOM block with its own xsi:schemaLocation maps the LOM namespace (ADL collects them from every element) */
	{"LOM mapped on its own element", BASE_4TH, {"</schemaversion></metadata>"}, {"</schemaversion><lom xmlns=\"http://ltsc.ieee.org/xsd/LOM\" xsi:schemaLocation=\"http://ltsc.ieee.org/xsd/LOM lom.xsd\"><general><title><string language=\"en\">T</string></title></general></lom></metadata>"}, "schemalocation", C, PASS, "lom.xsd"},
	{"LOM not mapped", BASE_4TH, {"</schemaversion></metadata>"}, {"</schemaversion><lom xmlns=\"http://ltsc.ieee.org/xsd/LOM\"><general><title><string language=\"en\">T</string></title></general></lom></metadata>"}, "schemalocation", C, FAIL, "lom.xsd"},
	{"LOM schema missing at root", BASE_4TH, {"</schemaversion></metadata>"}, {"</schemaversion><lom xmlns=\"http://ltsc.ieee.org/xsd/LOM\" xsi:schemaLocation=\"http://ltsc.ieee.org/xsd/LOM lom.xsd\"><general><title><string language=\"en\">T</string></title></general></lom></metadata>"}, "schema-file", C, FAIL},
	{"location outside metadata", BASE_4TH, {"<!--I1-->"}, {"<adlcp:location>m.xml</adlcp:location>"}, "location", C, FAIL, "m.xml"},
	{"location in metadata", BASE_4TH, {"</schemaversion></metadata>"}, {"</schemaversion><adlcp:location>m.xml</adlcp:location></metadata>"}, "location", C, PASS, "m.xml"},
	{"location file missing", BASE_4TH, {"</schemaversion></metadata>"}, {"</schemaversion><adlcp:location>m.xml</adlcp:location></metadata>"}, "file-missing", E, FAIL},
	{"schema file missing", BASE_4TH, {0}, {0}, "schema-file", C, FAIL, NULL, "imsss_v1p0.xsd"},
	{"schema file in subfolder only", BASE_12, {" adlcp_rootv1p2.xsd\""}, {" xsd/adlcp_rootv1p2.xsd\""}, "schema-file", C, FAIL, "xsd/adlcp_rootv1p2.xsd", "adlcp_rootv1p2.xsd"},
	{"schema files at root", BASE_12, {0}, {0}, "schema-file", C, PASS},
	{"unlisted file", BASE_4TH, {0}, {0}, "unlisted-files", W, FAIL, "extra.txt"},
	{"every file listed", BASE_4TH, {0}, {0}, "unlisted-files", W, PASS},
	{"objectivesGlobalToSystem on item", BASE_4TH, {"<item identifier=\"I2\""}, {"<item adlseq:objectivesGlobalToSystem=\"false\" identifier=\"I2\""}, "placement", C, FAIL},
	{"objectivesGlobalToSystem on organization", BASE_4TH, {"<organization identifier=\"O\">"}, {"<organization identifier=\"O\" adlseq:objectivesGlobalToSystem=\"false\">"}, "placement", C, PASS},
	{"sharedDataGlobalToSystem in 3rd", BASE_3RD, {"<organization identifier=\"O\">"}, {"<organization identifier=\"O\" adlcp:sharedDataGlobalToSystem=\"false\">"}, "placement", C, FAIL},
	{"sharedDataGlobalToSystem in 4th", BASE_4TH, {"<organization identifier=\"O\">"}, {"<organization identifier=\"O\" adlcp:sharedDataGlobalToSystem=\"false\">"}, "placement", C, PASS},
	{"persistState", BASE_4TH, {"<organization identifier=\"O\">"}, {"<organization identifier=\"O\" adlcp:persistState=\"true\">"}, "placement", C, FAIL},
	{"scormType on item", BASE_4TH, {"<item identifier=\"I2\""}, {"<item adlcp:scormType=\"sco\" identifier=\"I2\""}, "placement", C, FAIL},
	{"timeLimitAction in resource", BASE_4TH, {"<!--R1-->"}, {"<adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>"}, "placement", C, FAIL},
	{"adlcp:data in 3rd", BASE_3RD, {"<!--I1-->"}, {"<adlcp:data><adlcp:map targetID=\"t\"/></adlcp:data>"}, "placement", C, FAIL},
	{"2004 element in 1.2", BASE_12, {"<!--I1-->"}, {"<imsss:sequencing xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\"/>"}, "wrong-version", C, FAIL},
	{"1.2 attribute in 2004", BASE_4TH, {"adlcp:scormType=\"asset\" href=\"two.html\""}, {"adlcp:scormType=\"asset\" a12:scormtype=\"asset\" xmlns:a12=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\" href=\"two.html\""}, "wrong-version", C, FAIL},
	{"editions not mixed", BASE_4TH, {0}, {0}, "wrong-version", C, PASS},
	/* B: identifiers and references */
	{"identifier not NCName", BASE_4TH, {"identifier=\"I2\""}, {"identifier=\"2I\""}, "identifier-syntax", C, FAIL},
	{"identifier missing", BASE_4TH, {"<item identifier=\"I2\" "}, {"<item "}, "identifier", E, FAIL},
	{"identifiers valid", BASE_4TH, {0}, {0}, "identifier", E, PASS},
	{"identifier starts with a digit", BASE_4TH, {"<organizations default=\"O\"><organization identifier=\"O\">"}, {"<organizations default=\"5O\"><organization identifier=\"5O\">"}, "identifier-syntax", C, FAIL},
	{"identifiers are XML IDs", BASE_4TH, {0}, {0}, "identifier-syntax", C, PASS},
	{"identifiers distinct", BASE_4TH, {0}, {0}, "identifier-duplicate", E, PASS},
	{"item and resource share an identifier", BASE_4TH, {"<item identifier=\"I2\" identifierref=\"R2\">"}, {"<item identifier=\"R2\" identifierref=\"R2\">"}, "identifier-shared", C, FAIL},
	{"duplicate identifier", BASE_4TH, {"identifier=\"I2\""}, {"identifier=\"I1\""}, "identifier-duplicate", E, FAIL},
	{"sequencing ID clashes with item", BASE_4TH, {"<!--COLL-->"}, {COLL("<imsss:sequencing ID=\"I1\"/>")}, "identifier-shared", C, FAIL},
	{"identifiers unique", BASE_4TH, {"<!--COLL-->"}, {COLL("<imsss:sequencing ID=\"S1\"/>")}, "identifier-shared", C, PASS},
	{"default names nothing", BASE_4TH, {"default=\"O\""}, {"default=\"X\""}, "default-organization", C, FAIL},
	{"default missing in 2004", BASE_4TH, {" default=\"O\""}, {""}, "default-organization", C, FAIL},
	{"default missing in 1.2", BASE_12, {" default=\"O\""}, {""}, "default-organization", C, PASS},
	{"default names an organization", BASE_4TH, {0}, {0}, "default-organization", C, PASS},
	{"identifierref dangling", BASE_4TH, {"identifierref=\"R2\""}, {"identifierref=\"R9\""}, "identifierref", E, FAIL},
	{"leaf without identifierref", BASE_4TH, {"<item identifier=\"I2\" identifierref=\"R2\">"}, {"<item identifier=\"I2\">"}, "leaf-item", E, FAIL},
	{"parent with identifierref", BASE_4TH, {"<!--I1-->"}, {"<item identifier=\"I1a\" identifierref=\"R2\"><title>x</title></item>"}, "parent-item-launch", C, FAIL},
	{"1.2 leaf without identifierref", BASE_12, {" identifierref=\"R1\""}, {""}, "leaf-item", W, FAIL},
	{"leaves launch", BASE_4TH, {0}, {0}, "leaf-item", E, PASS},
	{"parents launch nothing", BASE_4TH, {0}, {0}, "parent-item-launch", C, PASS},
	{"identifierrefs resolve", BASE_4TH, {0}, {0}, "identifierref", E, PASS},
	{"parameters malformed", BASE_4TH, {"identifierref=\"R2\""}, {"identifierref=\"R2\" parameters=\"a b\""}, "parameters", C, FAIL},
	{"parameters without identifierref", BASE_4TH, {"<!--ORG-->"}, {"<item identifier=\"P\" parameters=\"?a=1\"><title>p</title><item identifier=\"P1\" identifierref=\"R2\"><title>q</title></item></item>"}, "parameters-ignored", W, FAIL},
	{"parameters query", BASE_4TH, {"identifierref=\"R2\""}, {"identifierref=\"R2\" parameters=\"?a=1&amp;b=x%20y#top\""}, "parameters", C, PASS},
	{"parameters fragment", BASE_4TH, {"identifierref=\"R2\""}, {"identifierref=\"R2\" parameters=\"#slide2\""}, "parameters-ignored", W, PASS},
	{"dependency dangling", BASE_4TH, {"identifierref=\"SHARED\""}, {"identifierref=\"NOPE\""}, "dependency", E, FAIL},
	{"dependency not empty", BASE_4TH, {"<dependency identifierref=\"SHARED\"/>"}, {"<dependency identifierref=\"SHARED\"><file href=\"one.html\"/></dependency>"}, "dependency-content", C, FAIL},
	{"dependency resolves", BASE_4TH, {0}, {0}, "dependency", E, PASS},
	{"dependencies empty", BASE_4TH, {0}, {0}, "dependency-content", C, PASS},
	{"resource unused", BASE_4TH, {"<dependency identifierref=\"SHARED\"/>"}, {""}, "unused-resource", W, FAIL},
	{"every resource used", BASE_4TH, {0}, {0}, "unused-resource", W, PASS},
	/* D: organization and item */
	{"item without title", BASE_4TH, {"<title>Two</title>"}, {""}, "title", C, FAIL},
	{"item with two titles", BASE_4TH, {"<title>Two</title>"}, {"<title>Two</title><title>2</title>"}, "title", C, FAIL},
	{"organization without title", BASE_4TH, {"<title>Course</title>"}, {""}, "title", C, FAIL},
	{"titles present", BASE_4TH, {0}, {0}, "title", C, PASS},
	{"1.2 title over 200", BASE_12, {"<title>One</title>"}, {"<title>" X200 "x</title>"}, "title-length", C, FAIL},
	{"2004 title over 200", BASE_4TH, {"<title>One</title>"}, {"<title>" X200 "x</title>"}, "title-length", W, FAIL},
	{"title of 200", BASE_12, {"<title>One</title>"}, {"<title>" X200 "</title>"}, "title-length", C, PASS},
	{"title not first", BASE_4TH, {"<title>One</title>"}, {"<metadata/><title>One</title>"}, "element-order", C, FAIL},
	{"metadata before child item", BASE_4TH, {"<!--I1-->"}, {"<metadata/><item identifier=\"I1a\"><title>x</title></item>"}, "element-order", C, FAIL},
	{"order kept", BASE_4TH, {"<!--I1-->"}, {"<metadata/><adlcp:completionThreshold completedByMeasure=\"true\"/>"}, "element-order", C, PASS},
	{"two timeLimitActions", BASE_4TH, {"<!--I1-->"}, {"<adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction><adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>"}, "element-count", C, FAIL},
	{"two masteryscores", BASE_12, {"<!--I1-->"}, {"<adlcp:masteryscore>1</adlcp:masteryscore><adlcp:masteryscore>2</adlcp:masteryscore>"}, "element-count", C, FAIL},
	{"one of each", BASE_4TH, {"<!--I1-->"}, {"<adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction><adlcp:dataFromLMS>x</adlcp:dataFromLMS>"}, "element-count", C, PASS},
	{"isvisible yes", BASE_4TH, {"<item identifier=\"I2\""}, {"<item isvisible=\"yes\" identifier=\"I2\""}, "isvisible", C, FAIL},
	{"isvisible 1", BASE_4TH, {"<item identifier=\"I2\""}, {"<item isvisible=\"1\" identifier=\"I2\""}, "isvisible-numeric", W, FAIL},
	{"isvisible true", BASE_4TH, {"<item identifier=\"I2\""}, {"<item isvisible=\"true\" identifier=\"I2\""}, "isvisible-numeric", W, PASS},
	{"isvisible false", BASE_4TH, {"<item identifier=\"I2\""}, {"<item isvisible=\"false\" identifier=\"I2\""}, "isvisible", C, PASS},
	{"organization without items", BASE_4TH, {"</organization></organizations>"}, {"</organization><organization identifier=\"O2\"><title>Empty</title></organization></organizations>"}, "organization-items", C, FAIL},
	{"organizations with items", BASE_4TH, {0}, {0}, "organization-items", C, PASS},
	{"structure over 200", BASE_4TH, {"<organization identifier=\"O\">"}, {"<organization identifier=\"O\" structure=\"" X200 "x\">"}, "structure", W, FAIL},
	{"structure hierarchical", BASE_4TH, {"<organization identifier=\"O\">"}, {"<organization identifier=\"O\" structure=\"hierarchical\">"}, "structure", W, PASS},
	/* E: learner elements */
	{"masteryscore over 100", BASE_12, {"<!--I1-->"}, {"<adlcp:masteryscore>101</adlcp:masteryscore>"}, "masteryscore", C, FAIL},
	{"masteryscore not a number", BASE_12, {"<!--I1-->"}, {"<adlcp:masteryscore>eighty</adlcp:masteryscore>"}, "masteryscore", C, FAIL},
	{"masteryscore 80", BASE_12, {"<!--I1-->"}, {"<adlcp:masteryscore>80</adlcp:masteryscore>"}, "masteryscore", C, PASS},
	{"maxtimeallowed bad", BASE_12, {"<!--I1-->"}, {"<adlcp:maxtimeallowed>1:00</adlcp:maxtimeallowed>"}, "maxtimeallowed", C, FAIL},
	{"maxtimeallowed ok", BASE_12, {"<!--I1-->"}, {"<adlcp:maxtimeallowed>0000:30:00.5</adlcp:maxtimeallowed>"}, "maxtimeallowed", C, PASS},
	{"timelimitaction bad", BASE_12, {"<!--I1-->"}, {"<adlcp:timelimitaction>stop</adlcp:timelimitaction>"}, "timelimitaction", C, FAIL},
	{"timelimitaction ok", BASE_12, {"<!--I1-->"}, {"<adlcp:timelimitaction>continue,no message</adlcp:timelimitaction>"}, "timelimitaction", C, PASS},
	{"timeLimitAction bad", BASE_4TH, {"<!--I1-->"}, {"<adlcp:timeLimitAction>exit</adlcp:timeLimitAction>"}, "timelimitaction", C, FAIL},
	{"timeLimitAction ok", BASE_4TH, {"<!--I1-->"}, {"<adlcp:timeLimitAction>exit,no message</adlcp:timeLimitAction>"}, "timelimitaction", C, PASS},
	{"datafromlms over 255", BASE_12, {"<!--I1-->"}, {"<adlcp:datafromlms>" X250 "123456</adlcp:datafromlms>"}, "datafromlms", C, FAIL},
	{"datafromlms 255", BASE_12, {"<!--I1-->"}, {"<adlcp:datafromlms>" X250 "12345</adlcp:datafromlms>"}, "datafromlms", C, PASS},
	{"dataFromLMS over 4000", BASE_4TH, {"<!--I1-->"}, {"<adlcp:dataFromLMS>" X2000 X2000 "x</adlcp:dataFromLMS>"}, "datafromlms", W, FAIL},
	{"dataFromLMS 4000", BASE_4TH, {"<!--I1-->"}, {"<adlcp:dataFromLMS>" X2000 X2000 "</adlcp:dataFromLMS>"}, "datafromlms", W, PASS},
	{"prerequisites over 200", BASE_12, {"<!--I1-->"}, {"<adlcp:prerequisites type=\"aicc_script\">" X200 "x</adlcp:prerequisites>"}, "prerequisites", C, FAIL},
	{"prerequisites ok", BASE_12, {"<!--I1-->"}, {"<adlcp:prerequisites type=\"aicc_script\">I0</adlcp:prerequisites>"}, "prerequisites", C, PASS},
	{"3rd threshold over 1", BASE_3RD, {"<!--I1-->"}, {"<adlcp:completionThreshold>1.5</adlcp:completionThreshold>"}, "completion-threshold", C, FAIL},
	{"3rd threshold 0.8", BASE_3RD, {"<!--I1-->"}, {"<adlcp:completionThreshold>0.8</adlcp:completionThreshold>"}, "completion-threshold", C, PASS},
	{"4th threshold value", BASE_4TH, {"<!--I1-->"}, {"<adlcp:completionThreshold>0.8</adlcp:completionThreshold>"}, "completion-threshold-value", W, FAIL},
	{"4th threshold value and attributes", BASE_4TH, {"<!--I1-->"}, {"<adlcp:completionThreshold minProgressMeasure=\"0.5\">0.8</adlcp:completionThreshold>"}, "completion-threshold", C, FAIL},
	{"4th minProgressMeasure over 1", BASE_4TH, {"<!--I1-->"}, {"<adlcp:completionThreshold minProgressMeasure=\"2\"/>"}, "completion-threshold", C, FAIL},
	{"4th threshold attributes", BASE_4TH, {"<!--I1-->"}, {"<adlcp:completionThreshold completedByMeasure=\"true\" minProgressMeasure=\"0.8\" progressWeight=\"1\"/>"}, "completion-threshold", C, PASS},
	{"4th threshold attributes only", BASE_4TH, {"<!--I1-->"}, {"<adlcp:completionThreshold completedByMeasure=\"true\" minProgressMeasure=\"0.8\" progressWeight=\"1\"/>"}, "completion-threshold-value", W, PASS},
	{"timeLimitAction on an asset item", BASE_4TH, {"<title>Two</title>"}, {"<title>Two</title><adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>"}, "sco-only", C, FAIL},
	{"completionThreshold on an asset item", BASE_4TH, {"<title>Two</title>"}, {"<title>Two</title><adlcp:completionThreshold completedByMeasure=\"true\"/>"}, "sco-only", C, FAIL},
	{"timeLimitAction on a SCO item", BASE_4TH, {"<!--I1-->"}, {"<adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>"}, "sco-only", C, PASS},
	{"adlcp:data empty", BASE_4TH, {"<!--I1-->"}, {"<adlcp:data/>"}, "shared-data", C, FAIL},
	{"adlcp:map blank target", BASE_4TH, {"<!--I1-->"}, {"<adlcp:data><adlcp:map targetID=\" \"/></adlcp:data>"}, "shared-data", C, FAIL},
	{"adlcp:data ok", BASE_4TH, {"<!--I1-->"}, {"<adlcp:data><adlcp:map targetID=\"notes\" readSharedData=\"true\" writeSharedData=\"true\"/></adlcp:data>"}, "shared-data", C, PASS},
	{"hideLMSUI unknown", BASE_4TH, {"<!--I1-->"}, {"<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>exitall</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>"}, "hidelmsui", C, FAIL},
	{"hideLMSUI ok", BASE_4TH, {"<!--I1-->"}, {"<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>exitAll</adlnav:hideLMSUI><adlnav:hideLMSUI>previous</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>"}, "hidelmsui", C, PASS},
	/* F: resources, files, xml:base */
	{"scormType missing", BASE_4TH, {" adlcp:scormType=\"asset\" href=\"two.html\""}, {" href=\"two.html\""}, "scormtype", E, FAIL},
	{"scormType SCO", BASE_4TH, {"adlcp:scormType=\"asset\" href=\"two.html\""}, {"adlcp:scormType=\"SCO\" href=\"two.html\""}, "scormtype", E, FAIL},
	{"1.2 scormtype missing", BASE_12, {" adlcp:scormtype=\"sco\""}, {""}, "scormtype", E, FAIL},
	{"scorm types valid", BASE_12, {0}, {0}, "scormtype", E, PASS},
	{"resource type missing", BASE_4TH, {"<resource identifier=\"R2\" type=\"webcontent\""}, {"<resource identifier=\"R2\""}, "resource-type", C, FAIL},
	{"resource type not webcontent", BASE_4TH, {"<resource identifier=\"R2\" type=\"webcontent\""}, {"<resource identifier=\"R2\" type=\"html\""}, "resource-type-value", W, FAIL},
	{"resource types webcontent", BASE_4TH, {0}, {0}, "resource-type-value", W, PASS},
	{"resource type webcontent", BASE_4TH, {0}, {0}, "resource-type", C, PASS},
	{"xml:base without slash", BASE_4TH, {"<resource identifier=\"R2\""}, {"<resource xml:base=\"sub\" identifier=\"R2\""}, "xml-base", C, FAIL, "sub/two.html"},
	{"xml:base absolute", BASE_4TH, {"<resource identifier=\"R2\""}, {"<resource xml:base=\"/sub/\" identifier=\"R2\""}, "xml-base", C, FAIL},
	{"xml:base backslash", BASE_4TH, {"<resources>"}, {"<resources xml:base=\"a\\b/\">"}, "xml-base", C, FAIL},
	{"xml:base resolves", BASE_4TH, {"<resource identifier=\"R2\""}, {"<resource xml:base=\"sub/\" identifier=\"R2\""}, "xml-base", C, PASS, "sub/two.html", "two.html"},
	{"xml:base file missing", BASE_4TH, {"<resource identifier=\"SHARED\""}, {"<resource xml:base=\"sub/\" identifier=\"SHARED\""}, "file-missing", E, FAIL},
	{"xml:base launch page missing", BASE_4TH, {"<resource identifier=\"R2\""}, {"<resource xml:base=\"sub/\" identifier=\"R2\""}, "launch-missing", E, FAIL},
	{"href backslash", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"shared\\api.js\"/>"}, "href", C, FAIL},
	{"href absolute", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"/shared/api.js\"/>"}, "href", C, FAIL},
	{"href file URL", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"file:///shared/api.js\"/>"}, "href", C, FAIL},
	{"href javascript", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"javascript:alert(1)\"/>"}, "href", C, FAIL},
	{"href drive", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"C:/shared/api.js\"/>"}, "href", C, FAIL},
	{"file without href", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file/>"}, "href", C, FAIL},
	{"hrefs fine", BASE_4TH, {0}, {0}, "href", C, PASS},
	{"bad percent escape", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"shared/api%2.js\"/>"}, "href-encoding", C, FAIL},
	{"percent escape decoded", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"shared/my%20api.js\"/>"}, "href-encoding", C, PASS, "shared/my api.js", "shared/api.js"},
	{"href climbs out", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"../shared/api.js\"/>"}, "href-above-root", C, FAIL},
	{"href climbs and returns", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"shared/x/../api.js\"/>"}, "href-above-root", C, PASS},
	{"external href", BASE_4TH, {"href=\"two.html\"><file href=\"two.html\"/>"}, {"href=\"https://example.org/two.html\">"}, "external-href", W, FAIL, NULL, "two.html"},
	{"local hrefs", BASE_4TH, {0}, {0}, "external-href", W, PASS},
	{"href over 2000", BASE_4TH, {"href=\"two.html\"><file href=\"two.html\"/>"}, {"href=\"" X2000 ".html\"><file href=\"" X2000 ".html\"/>"}, "href-length", W, FAIL, X2000 ".html", "two.html"},
	{"href short", BASE_4TH, {0}, {0}, "href-length", W, PASS},
	{"href without extension", BASE_4TH, {"href=\"two.html\"><file href=\"two.html\"/>"}, {"href=\"two\"><file href=\"two\"/>"}, "href-extension", W, FAIL, "two", "two.html"},
	{"href with extension", BASE_4TH, {"href=\"two.html\"><file href=\"two.html\"/>"}, {"href=\"two.html?page=1\"><file href=\"two.html\"/>"}, "href-extension", W, PASS},
	{"href not among files", BASE_4TH, {"<file href=\"two.html\"/>"}, {"<file href=\"other.html\"/>"}, "href-file", C, FAIL, "other.html"},
	{"1.2 href not among files", BASE_12, {"<file href=\"one.html\"/>"}, {"<file href=\"other.html\"/>"}, "href-file", W, FAIL, "other.html"},
	{"href among files, with query", BASE_4TH, {"href=\"two.html\""}, {"href=\"two.html?x=1#y\""}, "href-file", C, PASS},
	/* the golf pattern: the launch page listed once, in a shared asset reached through <dependency> */
	{"href in a dependency's files", BASE_4TH, {"href=\"one.html\"><file href=\"one.html\"/>", "<file href=\"shared/api.js\"/>"}, {"href=\"shared/launchpage.html?content=playing\">", "<file href=\"shared/api.js\"/><file href=\"shared/launchpage.html\"/>"}, "href-file", C, PASS, "shared/launchpage.html"},
	{"href two dependencies away", BASE_4TH, {"href=\"one.html\"><file href=\"one.html\"/>", "<file href=\"shared/api.js\"/></resource>"}, {"href=\"shared/launchpage.html?content=playing\">", "<file href=\"shared/api.js\"/><dependency identifierref=\"COMMON\"/></resource><resource identifier=\"COMMON\" type=\"webcontent\" adlcp:scormType=\"asset\"><file href=\"shared/launchpage.html\"/><dependency identifierref=\"R1\"/></resource>"}, "href-file", C, PASS, "shared/launchpage.html"},
	{"href in no dependency (cycle)", BASE_4TH, {"href=\"one.html\"><file href=\"one.html\"/>", "<file href=\"shared/api.js\"/></resource>"}, {"href=\"shared/launchpage.html\">", "<file href=\"shared/api.js\"/><dependency identifierref=\"R1\"/></resource>"}, "href-file", C, FAIL, "shared/launchpage.html"},
	{"1.2 href in a dependency's files", BASE_12, {"href=\"one.html\"><file href=\"one.html\"/><!--R1-->", "</resources>"}, {"href=\"one.html\"><dependency identifierref=\"C\"/>", "<resource identifier=\"C\" type=\"webcontent\" adlcp:scormtype=\"asset\"><file href=\"one.html\"/></resource></resources>"}, "href-file", W, PASS},
	{"launched resource without href", BASE_4TH, {" href=\"two.html\""}, {""}, "href-required", E, FAIL},
	{"asset without href, not launched", BASE_4TH, {0}, {0}, "href-required", E, PASS},
	{"launch page missing", BASE_4TH, {0}, {0}, "launch-missing", E, FAIL, NULL, "two.html"},
	{"launch pages present", BASE_4TH, {0}, {0}, "launch-missing", E, PASS},
	{"launch href absolute", BASE_4TH, {"href=\"two.html\"><file"}, {"href=\"/two.html\"><file"}, "launch-href", E, FAIL},
	{"launch href a file: URL", BASE_4TH, {"href=\"two.html\"><file"}, {"href=\"file:///two.html\"><file"}, "launch-href", E, FAIL},
	{"launch href climbs out", BASE_4TH, {"href=\"two.html\"><file"}, {"href=\"../two.html\"><file"}, "launch-href", E, FAIL},
	{"launch href with a backslash", BASE_4TH, {"href=\"two.html\"><file href=\"two.html\"/>"}, {"href=\"sub\\two.html\"><file href=\"sub/two.html\"/>"}, "launch-href", E, PASS, "sub/two.html", "two.html"},
	{"launch hrefs usable", BASE_4TH, {0}, {0}, "launch-href", E, PASS},
	{"listed file missing", BASE_4TH, {0}, {0}, "file-missing", E, FAIL, NULL, "shared/api.js"},
	{"listed files present", BASE_4TH, {0}, {0}, "file-missing", E, PASS},
	{"file differs by case", BASE_4TH, {0}, {0}, "file-case", W, FAIL, "Shared/api.js", "shared/api.js"},
	{"file case exact", BASE_4TH, {0}, {0}, "file-case", W, PASS},
	/* G: sequencing */
	{"ID outside the collection", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing ID=\"S1\"/>"}, "sequencing-id", C, FAIL},
	{"IDRef inside the collection", BASE_4TH, {"<!--COLL-->"}, {COLL("<imsss:sequencing ID=\"S1\" IDRef=\"S1\"/>")}, "sequencing-id", C, FAIL},
	{"collection sequencing without ID", BASE_4TH, {"<!--COLL-->"}, {COLL("<imsss:sequencing/>")}, "sequencing-id", C, FAIL},
	{"IDs where they belong", BASE_4TH, {"<!--COLL-->", "<!--I1-->"}, {COLL("<imsss:sequencing ID=\"S1\"/>"), "<imsss:sequencing IDRef=\"S1\"/>"}, "sequencing-id", C, PASS},
	{"IDRef dangling", BASE_4TH, {"<!--COLL-->", "<!--I1-->"}, {COLL("<imsss:sequencing ID=\"S1\"/>"), "<imsss:sequencing IDRef=\"S9\"/>"}, "sequencing-idref", E, FAIL},
	{"IDRef resolves", BASE_4TH, {"<!--COLL-->", "<!--I1-->"}, {COLL("<imsss:sequencing ID=\"S1\"/>"), "<imsss:sequencing IDRef=\"S1\"/>"}, "sequencing-idref", E, PASS},
	{"two controlModes", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:controlMode/><imsss:controlMode/></imsss:sequencing>"}, "sequencing-structure", C, FAIL},
	{"one controlMode", BASE_4TH, {"<!--ORG-->"}, {"<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/></imsss:sequencing>"}, "sequencing-structure", C, PASS},
	{"auxiliaryResources", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:auxiliaryResources/></imsss:sequencing>"}, "auxiliary-resources", W, FAIL},
	{"no auxiliaryResources", BASE_4TH, {0}, {0}, "auxiliary-resources", W, PASS},
	{"attemptAbsoluteDurationLimit", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit=\"PT1H\"/></imsss:sequencing>"}, "limit-conditions", W, FAIL},
	{"attemptLimit only", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:limitConditions attemptLimit=\"3\"/></imsss:sequencing>"}, "limit-conditions", W, PASS},
	{"objective IDs repeated", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective objectiveID=\"a\"/><imsss:objective objectiveID=\"a\"/>")}, "objective-id", C, FAIL},
	{"objective without ID", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective objectiveID=\"a\"/><imsss:objective/>")}, "objective-id", C, FAIL},
	{"primaryObjective with mapInfo, no ID", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective><imsss:mapInfo targetObjectiveID=\"g\"/></imsss:primaryObjective>")}, "objective-id", C, FAIL},
	{"two primaryObjectives", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective objectiveID=\"a\"/><imsss:primaryObjective objectiveID=\"b\"/>")}, "objective-id", C, FAIL},
	{"adlseq objective unknown", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID=\"a\"/></imsss:objectives><adlseq:objectives><adlseq:objective objectiveID=\"b\"><adlseq:mapInfo targetObjectiveID=\"g\"/></adlseq:objective></adlseq:objectives></imsss:sequencing>"}, "objective-id", C, FAIL},
	{"objectives fine", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID=\"a\" satisfiedByMeasure=\"true\"><imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure></imsss:primaryObjective><imsss:objective objectiveID=\"b\"/></imsss:objectives><adlseq:objectives><adlseq:objective objectiveID=\"a\"><adlseq:mapInfo targetObjectiveID=\"g\" writeRawScore=\"true\"/></adlseq:objective></adlseq:objectives></imsss:sequencing>"}, "objective-id", C, PASS},
	{"two reads of satisfied status", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective objectiveID=\"a\"><imsss:mapInfo targetObjectiveID=\"g1\"/><imsss:mapInfo targetObjectiveID=\"g2\"/></imsss:primaryObjective>")}, "mapinfo", C, FAIL},
	{"two writes to one global", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective objectiveID=\"a\"><imsss:mapInfo targetObjectiveID=\"g\" writeSatisfiedStatus=\"true\"/></imsss:primaryObjective><imsss:objective objectiveID=\"b\"><imsss:mapInfo targetObjectiveID=\"g\" readSatisfiedStatus=\"false\" readNormalizedMeasure=\"false\" writeSatisfiedStatus=\"true\"/></imsss:objective>")}, "mapinfo", C, FAIL},
	{"two raw score writes", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID=\"a\"/><imsss:objective objectiveID=\"b\"/></imsss:objectives><adlseq:objectives><adlseq:objective objectiveID=\"a\"><adlseq:mapInfo targetObjectiveID=\"g\" writeRawScore=\"true\"/></adlseq:objective><adlseq:objective objectiveID=\"b\"><adlseq:mapInfo targetObjectiveID=\"g\" readRawScore=\"false\" writeRawScore=\"true\"/></adlseq:objective></adlseq:objectives></imsss:sequencing>"}, "mapinfo", C, FAIL},
	{"one read, one write", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective objectiveID=\"a\"><imsss:mapInfo targetObjectiveID=\"g1\" writeSatisfiedStatus=\"true\"/><imsss:mapInfo targetObjectiveID=\"g2\" readSatisfiedStatus=\"false\" readNormalizedMeasure=\"false\" writeNormalizedMeasure=\"true\"/></imsss:primaryObjective>")}, "mapinfo", C, PASS},
	{"two reads of a raw score", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID=\"a\"/></imsss:objectives><adlseq:objectives><adlseq:objective objectiveID=\"a\"><adlseq:mapInfo targetObjectiveID=\"g1\" writeRawScore=\"true\"/><adlseq:mapInfo targetObjectiveID=\"g2\" readCompletionStatus=\"false\" readProgressMeasure=\"false\"/></adlseq:objective></adlseq:objectives></imsss:sequencing>"}, "mapinfo-read", W, FAIL},
	{"one read of each score", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID=\"a\"/></imsss:objectives><adlseq:objectives><adlseq:objective objectiveID=\"a\"><adlseq:mapInfo targetObjectiveID=\"g1\" writeRawScore=\"true\"/><adlseq:mapInfo targetObjectiveID=\"g2\" readRawScore=\"false\" readMinScore=\"false\" readMaxScore=\"false\" readCompletionStatus=\"false\" readProgressMeasure=\"false\"/></adlseq:objective></adlseq:objectives></imsss:sequencing>"}, "mapinfo-read", W, PASS},
	{"referencedObjective unknown", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective=\"nope\" condition=\"satisfied\"/></imsss:ruleConditions><imsss:ruleAction action=\"skip\"/></imsss:preConditionRule></imsss:sequencingRules><imsss:objectives><imsss:primaryObjective objectiveID=\"a\"/></imsss:objectives></imsss:sequencing>"}, "referenced-objective", E, FAIL},
	{"referencedObjective known", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective=\"a\" condition=\"satisfied\"/></imsss:ruleConditions><imsss:ruleAction action=\"skip\"/></imsss:preConditionRule></imsss:sequencingRules><imsss:objectives><imsss:primaryObjective objectiveID=\"a\"/></imsss:objectives></imsss:sequencing>"}, "referenced-objective", E, PASS},
	{"referencedObjective from shared sequencing", BASE_4TH, {"<!--COLL-->", "<!--I1-->"}, {COLL("<imsss:sequencing ID=\"S1\"><imsss:objectives><imsss:primaryObjective objectiveID=\"shared\"/></imsss:objectives></imsss:sequencing>"), "<imsss:sequencing IDRef=\"S1\"><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective=\"shared\" condition=\"satisfied\"/></imsss:ruleConditions><imsss:ruleAction action=\"skip\"/></imsss:preConditionRule></imsss:sequencingRules></imsss:sequencing>"}, "referenced-objective", E, PASS},
	/* a shared definition's rules may name an objective the activity using it defines (ADL's SX-05) */
	{"shared rules name the activity's objective", BASE_4TH, {"<!--COLL-->", "<!--I1-->"}, {COLL("<imsss:sequencing ID=\"S1\"><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective=\"local\" condition=\"satisfied\"/></imsss:ruleConditions><imsss:ruleAction action=\"skip\"/></imsss:preConditionRule></imsss:sequencingRules><imsss:objectives><imsss:primaryObjective/></imsss:objectives></imsss:sequencing>"), "<imsss:sequencing IDRef=\"S1\"><imsss:objectives><imsss:primaryObjective objectiveID=\"p\"/><imsss:objective objectiveID=\"local\"/></imsss:objectives></imsss:sequencing>"}, "referenced-objective", E, PASS},
	{"shared adlseq objective the activity defines", BASE_4TH, {"<!--COLL-->", "<!--I1-->"}, {COLL("<imsss:sequencing ID=\"S1\"><imsss:objectives><imsss:primaryObjective/><imsss:objective objectiveID=\"other\"/></imsss:objectives><adlseq:objectives><adlseq:objective objectiveID=\"PRIMARYOBJ\"><adlseq:mapInfo targetObjectiveID=\"g\" writeRawScore=\"true\"/></adlseq:objective></adlseq:objectives></imsss:sequencing>"), "<imsss:sequencing IDRef=\"S1\"><imsss:objectives><imsss:primaryObjective objectiveID=\"PRIMARYOBJ\"/></imsss:objectives></imsss:sequencing>"}, "objective-id", C, PASS},
	{"objective named with escapes", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective=\"ob%20%20j%201\" condition=\"satisfied\"/></imsss:ruleConditions><imsss:ruleAction action=\"skip\"/></imsss:preConditionRule></imsss:sequencingRules><imsss:objectives><imsss:primaryObjective objectiveID=\"ob j 1\"/></imsss:objectives></imsss:sequencing>"}, "objective-id-form", W, FAIL},
	{"objective named in another case", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID=\"primaryobj\"/></imsss:objectives><adlseq:objectives><adlseq:objective objectiveID=\"PRIMARYOBJ\"><adlseq:mapInfo targetObjectiveID=\"g\" writeRawScore=\"true\"/></adlseq:objective></adlseq:objectives></imsss:sequencing>"}, "objective-id-form", W, FAIL},
	{"objective named exactly", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective=\"ob j 1\" condition=\"satisfied\"/></imsss:ruleConditions><imsss:ruleAction action=\"skip\"/></imsss:preConditionRule></imsss:sequencingRules><imsss:objectives><imsss:primaryObjective objectiveID=\"ob j 1\"/></imsss:objectives></imsss:sequencing>"}, "objective-id-form", W, PASS},
	{"exitParent on the organization", BASE_4TH, {"<!--ORG-->"}, {"<imsss:sequencing><imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition condition=\"always\"/></imsss:ruleConditions><imsss:ruleAction action=\"exitParent\"/></imsss:postConditionRule></imsss:sequencingRules></imsss:sequencing>"}, "rule-action", C, FAIL},
	{"exitAll on the organization", BASE_4TH, {"<!--ORG-->"}, {"<imsss:sequencing><imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition condition=\"always\"/></imsss:ruleConditions><imsss:ruleAction action=\"exitAll\"/></imsss:postConditionRule></imsss:sequencingRules></imsss:sequencing>"}, "rule-action", C, PASS},
	{"exitParent on an item", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition condition=\"always\"/></imsss:ruleConditions><imsss:ruleAction action=\"exitParent\"/></imsss:postConditionRule></imsss:sequencingRules></imsss:sequencing>"}, "rule-action", C, PASS},
};

static const char *const files_2004[] = {"one.html", "two.html", "shared/api.js", "imscp_v1p1.xsd",
					 "adlcp_v1p3.xsd", "adlseq_v1p3.xsd", "adlnav_v1p3.xsd",
					 "imsss_v1p0.xsd", NULL};
static const char *const files_12[] = {"one.html", "imscp_rootv1p1p2.xsd", "imsmd_rootv1p2p1.xsd",
				       "adlcp_rootv1p2.xsd", NULL};

/* The base with each find replaced once. Fails the test if a find string is absent. */
static char *apply(const struct tcase *tc)
{
	char *s = strdup(tc->base);
	for (int i = 0; i < 3 && tc->find[i]; i++) {
		char *at = strstr(s, tc->find[i]);
		if (!at)
			fail_msg("case '%s': '%s' not in the base", tc->name, tc->find[i]);
		size_t fl = strlen(tc->find[i]), rl = strlen(tc->repl[i]), sl = strlen(s);
		char *n = malloc(sl - fl + rl + 1);
		size_t pre = (size_t)(at - s);
		memcpy(n, s, pre);
		memcpy(n + pre, tc->repl[i], rl);
		memcpy(n + pre + rl, at + fl, sl - pre - fl + 1);
		free(s);
		s = n;
	}
	return s;
}

int validate_text_opts(const char *manifest, const char *const *files, const char *add,
		       const char *drop, const validate_options *opt, diag_sink **sink_out,
		       validate_result *res)
{
	pkg *p;
	assert_int_equal(pkg_new_memory(&p), 0);
	int drop_manifest = drop && strcmp(drop, "imsmanifest.xml") == 0;
	if (!drop_manifest)
		assert_int_equal(pkg_add(p, "imsmanifest.xml", manifest, strlen(manifest)), 0);
	for (size_t i = 0; files && files[i]; i++) {
		if (drop && strcmp(drop, files[i]) == 0)
			continue;
		assert_int_equal(pkg_add(p, files[i], "x", 1), 0);
	}
	if (add) {
		const char *data = drop_manifest ? manifest : "x";
		assert_int_equal(pkg_add(p, add, data, strlen(data)), 0);
	}
	assert_int_equal(diag_sink_new(sink_out), 0);
	int rc = validate_package_opts(p, opt, *sink_out, res);
	pkg_free(p);
	return rc;
}

int validate_text(const char *manifest, const char *const *files, const char *add,
		  const char *drop, diag_sink **sink_out, validate_result *res)
{
	return validate_text_opts(manifest, files, add, drop, NULL, sink_out, res);
}

/* Every finding carries the level the check table gives its check for this edition: the one
 * policy holds for every check (and no check id is missing from the table). */
int levels_follow_table(const diag_sink *sink, scorm_version v, int strict)
{
	int ok = 1;
	for (size_t i = 0; i < diag_count(sink); i++) {
		const diag *d = diag_get(sink, i);
		const validate_check *chk = validate_check_find(d->check);
		if (!chk) {
			print_message("check id '%s' is not in the check table\n", d->check);
			ok = 0;
		} else if (validate_check_level(chk, v, strict) != d->level) {
			print_message("'%s' reported as %s, the table says %s: %s\n", d->check,
				      diag_level_name(d->level),
				      diag_level_name(validate_check_level(chk, v, strict)), d->message);
			ok = 0;
		}
	}
	return ok;
}

static void dump(const diag_sink *sink)
{
	buf out = BUF_INIT;
	diag_render_text(sink, &out, 0);
	print_message("%s", buf_cstr(&out));
	buf_free(&out);
}

/* Every failing case's findings of its check, one line each: "case | where | level | message |
 * the text at the caret" (the first 40 bytes of the source line from the column). */
static buf findings = BUF_INIT;

static void note_findings(const struct tcase *tc, const diag_sink *sink)
{
	for (size_t i = 0; i < diag_count(sink); i++) {
		const diag *d = diag_get(sink, i);
		if (strcmp(d->check, tc->check) != 0)
			continue;
		buf_printf(&findings, "%s | %s:%u:%u | %s | %s", tc->name, d->file ? d->file : "-",
			   d->line, d->col, diag_level_name(d->level), d->message);
		if (d->source && d->col) {
			const char *at = d->source;
			/* columns count code points: step over continuation bytes */
			for (unsigned c = 1; c < d->col && *at; c++)
				for (at++; (*at & 0xC0) == 0x80; at++)
					;
			buf_printf(&findings, " | at: %.40s", at);
		}
		buf_putc(&findings, '\n');
	}
}

static int run_case_mode(const struct tcase *tc, const char *text, int strict)
{
	int is12 = strstr(tc->base, "imscp_rootv1p1p2\"") != NULL;
	diag_sink *sink;
	validate_result res;
	validate_options opt = {strict, VALIDATE_LMS_NONE};
	assert_int_equal(validate_text_opts(text, is12 ? files_12 : files_2004, tc->add, tc->drop,
					    &opt, &sink, &res),
			 0);
	diag_level want = tc->level == E   ? DIAG_ERROR
			  : tc->level == W ? DIAG_WARNING
			  : tc->level == N ? DIAG_NOTE
			  : strict	   ? DIAG_ERROR
					   : DIAG_WARNING;
	size_t hits = 0, any = 0;
	for (size_t i = 0; i < diag_count(sink); i++) {
		const diag *d = diag_get(sink, i);
		if (strcmp(d->check, tc->check) != 0)
			continue;
		any++;
		hits += d->level == want;
	}
	/* a passing case has no errors at all (under --strict: its check did not fire) */
	int ok = tc->expect == FAIL ? hits > 0 : any == 0 && (strict || res.errors == 0);
	if (!ok) {
		print_message("case '%s' (check %s, expected to %s%s):\n", tc->name, tc->check,
			      tc->expect == FAIL ? "fire" : "pass", strict ? ", --strict" : "");
		dump(sink);
	}
	ok &= levels_follow_table(sink, res.version, strict);
	if (tc->expect == FAIL && !strict)
		note_findings(tc, sink);
	diag_sink_free(sink);
	return ok;
}

/* A conformance case runs twice: a warning by default, an error under --strict. A passing
 * case must pass under --strict too. */
static int run_case(const struct tcase *tc)
{
	char *text = apply(tc);
	int ok = run_case_mode(tc, text, 0);
	if (tc->level == C || tc->expect == PASS)
		ok &= run_case_mode(tc, text, 1);
	free(text);
	return ok;
}

static int under_ci(void)
{
	const char *ci = getenv("CI");
	return ci && *ci && strcmp(ci, "0") != 0 && strcmp(ci, "false") != 0;
}

/* Compares the findings with checks.expected (the working directory is this folder) and shows
 * the first lines that differ. UPDATE_GOLDEN=1 rewrites the file instead, never under CI: the
 * file is what a person read and agreed with. */
static int findings_as_expected(void)
{
	const char *path = "checks.expected";
	const char *update = getenv("UPDATE_GOLDEN");
	if (update && strcmp(update, "1") == 0) {
		if (under_ci()) {
			print_message("UPDATE_GOLDEN=1 refused under CI: %s is updated by a person, then reviewed\n",
				      path);
			return 0;
		}
		FILE *out = fopen(path, "w");
		assert_non_null(out);
		fwrite(findings.data, 1, findings.len, out);
		fclose(out);
		print_message("%s rewritten: review it (git diff)\n", path);
		return 1;
	}
	FILE *in = fopen(path, "r");
	if (!in) {
		print_message("%s is missing\n", path);
		return 0;
	}
	buf want = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		buf_put(&want, chunk, n);
	fclose(in);
	const char *a = buf_cstr(&want), *b = buf_cstr(&findings);
	int same = want.len == findings.len && memcmp(a, b, want.len) == 0;
	for (unsigned line = 1, shown = 0; !same && shown < 10 && (*a || *b); line++) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
		if (la != lb || memcmp(a, b, la) != 0) {
			print_message("checks.expected:%u:\n- %.*s\n+ %.*s\n", line, (int)la, a, (int)lb, b);
			shown++;
		}
		a += la + (a[la] == '\n');
		b += lb + (b[lb] == '\n');
	}
	buf_free(&want);
	return same;
}

/* All cases run even when one fails, so a report shows every broken check at once. */
static void every_case(void **state)
{
	size_t failed = 0;
	buf_reset(&findings);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		failed += !run_case(&cases[i]);
	int expected = findings_as_expected();
	buf_free(&findings);
	assert_int_equal(failed, 0);
	assert_true(expected);
}

/* Every check id the cases cover has a passing and a failing case. */
static void each_check_passes_and_fails(void **state)
{
	size_t lacking = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int pass = 0, fail = 0, first = 1;
		for (size_t j = 0; j < sizeof cases / sizeof cases[0]; j++) {
			if (strcmp(cases[i].check, cases[j].check) != 0)
				continue;
			first &= j >= i;
			pass |= cases[j].expect == PASS;
			fail |= cases[j].expect == FAIL;
		}
		if (first && (!pass || !fail)) {
			print_message("check '%s' lacks a %s case\n", cases[i].check,
				      pass ? "failing" : "passing");
			lacking++;
		}
	}
	assert_int_equal(lacking, 0);
}

static void bases_are_clean(void **state)
{
	const char *bases[] = {BASE_4TH, BASE_3RD, BASE_12};
	const scorm_version want[] = {SCORM_2004_4TH, SCORM_2004_3RD, SCORM_12};
	for (size_t i = 0; i < 3; i++) {
		diag_sink *sink;
		validate_result res;
		assert_int_equal(validate_text(bases[i], i == 2 ? files_12 : files_2004, NULL, NULL,
					       &sink, &res),
				 0);
		size_t other = 0;
		for (size_t k = 0; k < diag_count(sink); k++)
			other += strcmp(diag_get(sink, k)->check, "schema") != 0;
		if (other)
			dump(sink);
		assert_int_equal(other, 0);
		assert_int_equal(res.errors, 0);
		assert_int_equal(res.version, want[i]);
		diag_sink_free(sink);
	}
}

static void message_and_place(void **state)
{
	struct tcase tc = {"", BASE_4TH, {"identifierref=\"R2\""}, {"identifierref=\"r9\""}};
	char *text = apply(&tc);
	diag_sink *sink;
	validate_result res;
	assert_int_equal(validate_text(text, files_2004, NULL, NULL, &sink, &res), 0);
	diag_sort(sink);
	buf out = BUF_INIT;
	diag_render_text(sink, &out, 1);
	assert_non_null(strstr(buf_cstr(&out),
			       "imsmanifest.xml:6:23: error: item 'I2' has identifierref 'r9' but no "
			       "resource has that identifier\n"
			       "    6 | <item identifier=\"I2\" identifierref=\"r9\"><title>Two</title></item>\n"
			       "      |                       ^\n"));
	buf_free(&out);
	diag_sink_free(sink);
	free(text);
}

/* xml:base values add up: manifest, resources, resource (each ends with '/'). */
static void xml_base_chain(void **state)
{
	struct tcase tc = {"", BASE_4TH, {"<resources>", "<resource identifier=\"R2\""},
			   {"<resources xml:base=\"content/\">",
			    "<resource xml:base=\"pages/\" identifier=\"R2\""}};
	char *text = apply(&tc);
	const char *files[] = {"content/one.html", "content/pages/two.html", "content/shared/api.js",
			       "imscp_v1p1.xsd", "adlcp_v1p3.xsd", "adlseq_v1p3.xsd",
			       "adlnav_v1p3.xsd", "imsss_v1p0.xsd", NULL};
	diag_sink *sink;
	validate_result res;
	assert_int_equal(validate_text(text, files, NULL, NULL, &sink, &res), 0);
	if (res.errors || res.warnings > 1)
		dump(sink);
	assert_int_equal(res.errors, 0);
	diag_sink_free(sink);
	assert_int_equal(validate_text(text, files_2004, NULL, NULL, &sink, &res), 0);
	assert_true(res.errors >= 3); /* the same files without the bases are not where it points */
	diag_sink_free(sink);
	free(text);
}

static void bare_manifest_skips_files(void **state)
{
	char path[] = "/tmp/pc_manifest_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *m = BASE_12;
	assert_int_equal(write(fd, m, strlen(m)), (ssize_t)strlen(m));
	close(fd);
	diag_sink *sink;
	pkg *p;
	validate_result res;
	assert_int_equal(diag_sink_new(&sink), 0);
	assert_int_equal(pkg_open(&p, path, NULL, sink), 0);
	assert_int_equal(pkg_get_kind(p), PKG_MANIFEST);
	assert_int_equal(validate_package(p, sink, &res), 0);
	int skipped = 0, files = 0;
	for (size_t i = 0; i < diag_count(sink); i++) {
		skipped += strcmp(diag_get(sink, i)->check, "files-skipped") == 0;
		files += strcmp(diag_get(sink, i)->check, "schema-file") == 0 ||
			 strcmp(diag_get(sink, i)->check, "launch-missing") == 0;
	}
	assert_int_equal(skipped, 1);
	assert_int_equal(files, 0);
	assert_int_equal(res.version, SCORM_12);
	pkg_free(p);
	diag_sink_free(sink);
	unlink(path);
}

int test_checks(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bases_are_clean),
		cmocka_unit_test(every_case),
		cmocka_unit_test(each_check_passes_and_fails),
		cmocka_unit_test(message_and_place),
		cmocka_unit_test(xml_base_chain),
		cmocka_unit_test(bare_manifest_skips_files),
	};
	return cmocka_run_group_tests_name("checks", tests, NULL, NULL);
}
